/* test_eval.c: evaluation of every operator, name and query, absence, typing, exactness, lets and limits. */
#include "assure/expr.h"

#include "assure/date.h"
#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char doc_text[] =
    "{\"org\": \"RXN\", \"year\": \"2020-21\","
    " \"forecast\": {\"outturn\": -20.6, \"plan\": -19, \"text\": \"abc\"},"
    " \"figures\": [20.6, 17.7, 19.4, 4.1, 4.0, 25.0],"
    " \"actions\": [{\"code\": \"A1\", \"status\": \"Open\", \"due\": \"2020-11-30\"},"
    "               {\"code\": \"A2\", \"status\": \"Complete\", \"due\": \"On-going\"},"
    "               {\"code\": \"A3\", \"status\": \"Open\"}],"
    " \"flags\": {\"yes\": \"yes\", \"t\": true},"
    " \"nested\": {\"a\": {\"b\": [1, {\"c\": 2}]}},"
    " \"one\": {\"x\": 1}, \"empty\": [], \"nul\": null}";

static const char params_text[] =
    "{\"finance\": {\"tolerance\": 0.5}, \"one\": {\"x\": 1.0},"
    " \"list\": [\"a\", \"b\", \"c\"], \"obj\": {\"key\": 7}, \"orgs\": {\"RXN\": -20.6}}";

static json_t *doc, *params;

/* The let names the assert_* helpers compile with (NULL: none). */
static const assure_expr_names *helper_names;

/* The context most tests use: the document as both '$' and '@', as_of 2021-01-13. */
static assure_eval_ctx base_ctx(void)
{
	assure_eval_ctx c = {0};
	c.root = doc;
	c.current = doc;
	c.current_pointer = "";
	c.params = params;
	assure_date_from_ymd(&c.as_of, 2021, 1, 13);
	c.file = "returns/2020-21/m07/finance/rxn.json";
	return c;
}

static assure_expr *compile(const char *src, const assure_expr_names *names)
{
	assure_expr *e = NULL;
	size_t off = 0;
	if (assure_expr_compile(&e, src, names, &off) != 0)
		fail_msg("'%s' did not compile: %s at %zu", src, assure_error_last(), off);
	return e;
}

/* Evaluate src in ctx; expect success and the value described as `want` ('strings' quoted). */
static void assert_eval_in(const assure_eval_ctx *ctx, const char *src, const char *want)
{
	assure_expr *e = compile(src, helper_names);
	assure_value v;
	char *why = NULL;
	int rc = assure_expr_eval(&v, e, ctx, &why);
	if (rc != 0)
		fail_msg("'%s' failed (%d): %s", src, rc, why ? why : assure_error_last());
	char *got = assure_value_describe(&v);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' gave %s, not %s", src, got, want);
	free(got);
	assure_value_clear(&v);
	assure_expr_free(e);
}

static void assert_eval(const char *src, const char *want)
{
	assure_eval_ctx c = base_ctx();
	assert_eval_in(&c, src, want);
}

/* Evaluate src; expect a failure with exactly the reason `why`. */
static void assert_fails_in(const assure_eval_ctx *ctx, const char *src, const char *want)
{
	assure_expr *e = compile(src, helper_names);
	assure_value v;
	char *why = NULL;
	int rc = assure_expr_eval(&v, e, ctx, &why);
	if (rc != ASSURE_EXPR_FAIL) {
		char *got = assure_value_describe(&v);
		fail_msg("'%s' did not fail (%d): %s", src, rc, got);
	}
	assert_int_equal(v.kind, ASSURE_VAL_ABSENT);
	assert_non_null(why);
	if (strcmp(why, want) != 0)
		fail_msg("'%s' failed with \"%s\", not \"%s\"", src, why, want);
	free(why);
	assure_expr_free(e);
}

static void assert_fails(const char *src, const char *want)
{
	assure_eval_ctx c = base_ctx();
	assert_fails_in(&c, src, want);
}

static int setup(void **state)
{
	(void)state;
	json_error_t err;
	doc = json_loads(doc_text, 0, &err);
	params = json_loads(params_text, 0, &err);
	return doc && params ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(doc);
	json_decref(params);
	return 0;
}

/* Decimal arithmetic is exact: the figures of a board paper add up to what the paper says. */
static void test_eval__exact_decimals(void **state)
{
	(void)state;
	assert_eval("20.6 + 17.7 + 19.4 + 4.1 + 4.0 + 25.0 == 90.8", "true");
	assert_eval("-(20.6 + 17.7 + 19.4 + 4.1 + 4.0 + 25.0)", "-90.8");
	assert_eval("$.figures[0] + $.figures[1] + $.figures[2] + $.figures[3] + $.figures[4] + $.figures[5]",
	            "90.8");
	assert_eval("0.1 + 0.2 == 0.3", "true");
	assert_eval("1 / 3 * 3 == 1", "true");
	assert_eval("@.forecast.outturn - @.forecast.plan", "-1.6");
}

/* + - * / and unary minus on numbers. */
static void test_eval__arithmetic(void **state)
{
	(void)state;
	assert_eval("1 + 2 * 3", "7");
	assert_eval("(1 + 2) * 3", "9");
	assert_eval("10 - 4 - 3", "3");
	assert_eval("7 / 2", "3.5");
	assert_eval("2.5 * -4", "-10");
	assert_eval("--5", "5");
	assert_eval("1e3 / 8", "125");
	assert_eval("1 / 3", "~0.333333333333");
}

/* Division by zero and numbers beyond the decimal range fail instead of giving a wrong answer. */
static void test_eval__division_by_zero_and_overflow(void **state)
{
	(void)state;
	assert_fails("1 / 0", "division by zero");
	assert_fails("@.forecast.plan / (2 - 2)", "division by zero");
	assert_fails("1e1000 * 1e1000", "number too large");
}

/* + joins two strings. */
static void test_eval__string_concatenation(void **state)
{
	(void)state;
	assert_eval("'returns/' + $.year + '/control_totals.json'", "'returns/2020-21/control_totals.json'");
	assert_eval("'' + ''", "''");
}

/* Arithmetic on the wrong type fails, naming the offending value. */
static void test_eval__arithmetic_type_errors(void **state)
{
	(void)state;
	assert_fails("'abc' * 2", "'abc' is not a number");
	assert_fails("1 + 'abc'", "'abc' is not a number");
	assert_fails("'abc' + 1", "1 is not a string");
	assert_fails("true - 1", "true is not a number");
	assert_fails("2 / null", "null is not a number");
	assert_fails("@.forecast.text * 2", "'abc' is not a number");
	assert_fails("-'x'", "'x' is not a number");
	assert_fails("[1] + [2]", "[1] is not a number");
	assert_fails("@.one + 1", "{\"x\":1} is not a number");
}

/* Dates move by whole days, and two dates subtract to the days between them. */
static void test_eval__date_arithmetic(void **state)
{
	(void)state;
	assert_eval("date('2020-12-02') + 30", "2021-01-01");
	assert_eval("30 + date('2020-12-02')", "2021-01-01");
	assert_eval("date('2021-01-01') - 1", "2020-12-31");
	assert_eval("date('2021-01-01') - date('2020-12-02')", "30");
	assert_eval("as_of - date('2020-12-02')", "42");
	assert_fails("date('2020-12-02') + 1.5", "1.5 is not a whole number of days");
	assert_fails("date('2020-12-02') - 'x'", "'x' is not a number or a date");
	assert_fails("date('2020-12-02') + 'x'", "'x' is not a number");
	assert_fails("date('2020-12-02') + 10000000", "date out of range");
	assert_eval("date('2020-12-02') + 2914298", "9999-12-31");
	assert_fails("date('2020-12-02') + 2914299", "date out of range");
	assert_eval("date('2020-12-02') - 737760", "0001-01-01");
	assert_fails("date('2020-12-02') - 737761", "date out of range");
	assert_fails("1 - date('2020-12-02')", "2020-12-02 is not a number");
}

/* A date moved by a whole number of days too large for a long is out of range, not "not a whole number". */
static void test_eval__date_moved_by_huge_whole_number_is_out_of_range(void **state)
{
	(void)state;
	assert_fails("date('2020-12-02') + 1e30", "date out of range");
	assert_fails("date('2020-12-02') - 1e30", "date out of range");
	assert_fails("-1e30 + date('2020-12-02')", "date out of range");
	assert_fails("date('2020-12-02') + 9223372036854775808", "date out of range");
	assert_fails("date('2020-12-02') + 1e30 / 3",
	             "~333333333333000000000000000000 is not a whole number of days");
}

/* < <= > >= order numbers, strings (bytewise) and dates. */
static void test_eval__ordering(void **state)
{
	(void)state;
	assert_eval("1 < 2", "true");
	assert_eval("2 <= 2", "true");
	assert_eval("-20.6 > -19", "false");
	assert_eval("3 >= 3.0", "true");
	assert_eval("'a' < 'b'", "true");
	assert_eval("'B' < 'a'", "true");
	assert_eval("date('2020-11-30') < as_of", "true");
	assert_eval("as_of >= date('2021-01-13')", "true");
}

/* Ordering values of different or unordered kinds fails. */
static void test_eval__ordering_type_errors(void **state)
{
	(void)state;
	assert_fails("1 < 'a'", "cannot compare number with string");
	assert_fails("true < false", "cannot compare boolean with boolean");
	assert_fails("@.forecast < 1", "cannot compare object with number");
	assert_fails("as_of > '2020-01-01'", "cannot compare date with string");
	assert_fails("$.figures >= null", "cannot compare array with null");
	assert_fails("[1] < [2]", "cannot compare list with list");
}

/* == compares by value; different kinds are simply unequal. */
static void test_eval__equality(void **state)
{
	(void)state;
	assert_eval("1 == 1.0", "true");
	assert_eval("1 != 2", "true");
	assert_eval("'a' == 'a'", "true");
	assert_eval("1 == '1'", "false");
	assert_eval("1 != '1'", "true");
	assert_eval("null == null", "true");
	assert_eval("@.nul == null", "true");
	assert_eval("@.org == null", "false");
	assert_eval("true == true", "true");
	assert_eval("date('2 December 2020') == date('2020-12-02')", "true");
	assert_eval("[1, 'a', [2]] == [1.0, 'a', [2.00]]", "true");
	assert_eval("[1, 2] == [2, 1]", "false");
	assert_eval("[1] == [1, 1]", "false");
}

/* JSON values compare structurally with exact numbers, and a list equals a JSON array with the same items. */
static void test_eval__equality_of_json(void **state)
{
	(void)state;
	assert_eval("$.figures == [20.6, 17.7, 19.4, 4.1, 4.0, 25.0]", "true");
	assert_eval("[20.6, 17.7, 19.4, 4.1, 4.0, 25] == $.figures", "true");
	assert_eval("$.figures == [20.6]", "false");
	assert_eval("@.nested == $.nested", "true");
	assert_eval("@.one == params.one", "true"); /* 1 and 1.0 */
	assert_eval("@.one == @.flags", "false");
	assert_eval("@.one == [1]", "false");
	assert_eval("$.empty == []", "true");
}

/* in: item of a list or JSON array (== semantics), substring of a string, key of an object. */
static void test_eval__in(void **state)
{
	(void)state;
	assert_eval("'b' in ['a', 'b']", "true");
	assert_eval("'z' in ['a', 'b']", "false");
	assert_eval("4 in $.figures", "true");
	assert_eval("4.1 in $.figures", "true");
	assert_eval("'Open' in $.actions[*].status", "true");
	assert_eval("'Closed' in $.actions[*].status", "false");
	assert_eval("'sub' in 'substring'", "true");
	assert_eval("'' in 'abc'", "true");
	assert_eval("'yes' in @.flags", "true");
	assert_eval("'no' in @.flags", "false");
	assert_eval("'a' in params.list", "true");
	assert_eval("[2] in [[1], [2]]", "true");
	assert_eval("'x' in []", "false");
}

/* in with operands it cannot search fails. */
static void test_eval__in_type_errors(void **state)
{
	(void)state;
	assert_fails("1 in 'abc'", "cannot look for a number in a string");
	assert_fails("1 in @.flags", "cannot look for a number in an object");
	assert_fails("1 in 5", "5 is not a list, string or object");
	assert_fails("@.x in [1]", "@.x is absent");
	assert_fails("1 in @.x", "@.x is absent");
}

/* && || ! work on booleans only. */
static void test_eval__logic(void **state)
{
	(void)state;
	assert_eval("true && false", "false");
	assert_eval("true && true", "true");
	assert_eval("false || true", "true");
	assert_eval("false || false", "false");
	assert_eval("!true", "false");
	assert_eval("!(1 > 2)", "true");
	assert_fails("'yes' && true", "'yes' is not true or false");
	assert_fails("true && 'yes'", "'yes' is not true or false");
	assert_fails("@.flags.yes || true", "'yes' is not true or false");
	assert_fails("!1", "1 is not true or false");
	assert_fails("!@.x", "@.x is absent");
	assert_fails("false || @.x", "@.x is absent");
}

/* && and || do not evaluate their right operand when the left decides. */
static void test_eval__short_circuit(void **state)
{
	(void)state;
	assert_eval("exists(@.x) && @.x > 0", "false");
	assert_eval("!exists(@.x) || @.x > 0", "true");
	assert_eval("false && 1 / 0 == 1", "false");
	assert_eval("true || 'not a boolean'", "true");
	assert_fails("true && @.x > 0", "@.x is absent");
}

/* ?: takes a boolean and evaluates only the chosen branch. */
static void test_eval__conditional(void **state)
{
	(void)state;
	assert_eval("1 < 2 ? 'a' : 'b'", "'a'");
	assert_eval("1 > 2 ? 'a' : 'b'", "'b'");
	assert_eval("true ? 1 : 1 / 0", "1");
	assert_eval("false ? @.x : 'fallback'", "'fallback'");
	assert_eval("false ? 1 : true ? 2 : 3", "2");
	assert_fails("1 ? 2 : 3", "1 is not true or false");
	assert_fails("@.x ? 2 : 3", "@.x is absent");
}

/* Absent is never a silent pass: each operator names the absent operand by its source text. */
static void test_eval__absent_fails_every_operator(void **state)
{
	(void)state;
	const char *ops[] = {"+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">="};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char src[64];
		snprintf(src, sizeof(src), "@.forecast.outturn %s @.forecast.missing", ops[i]);
		assert_fails(src, "@.forecast.missing is absent");
		snprintf(src, sizeof(src), "@.forecast.missing %s 1", ops[i]);
		assert_fails(src, "@.forecast.missing is absent");
	}
	assert_fails("-@.forecast.missing", "@.forecast.missing is absent");
	assert_fails("[1, @.missing]", "@.missing is absent");
	assert_fails("[10, 20][5] + 1", "[10, 20][5] is absent");
	assert_fails("params.finance.missing >= 0", "params.finance.missing is absent");
	assert_fails("( @.a ) == 1", "@.a is absent");
}

/* A singular query yields its node's value or absent; others yield a list of the values. */
static void test_eval__queries(void **state)
{
	(void)state;
	assert_eval("$.org", "'RXN'");
	assert_eval("@.forecast.outturn", "-20.6");
	assert_eval("$.nul", "null");
	assert_eval("$.flags.t", "true");
	assert_eval("$.nested.a.b[1]", "{\"c\":2}");
	assert_eval("$.nested.a.b[-2]", "1");
	assert_eval("$.actions[*].code", "[\"A1\",\"A2\",\"A3\"]");
	assert_eval("$.actions[?@.status == 'Open'].code", "[\"A1\",\"A3\"]");
	assert_eval("$.actions[?@.status == 'Shut'].code", "[]");
	assert_eval("$..c", "[2]");
	assert_eval("$.figures[1:3]", "[17.7,19.4]");
	assert_eval("exists($.missing)", "false");
}

/* '@' is the current node and '$' the root, which differ under for_each. */
static void test_eval__current_and_root(void **state)
{
	(void)state;
	assure_eval_ctx c = base_ctx();
	c.current = json_array_get(json_object_get(doc, "actions"), 1);
	c.current_pointer = "/actions/1";
	assert_eval_in(&c, "@.code", "'A2'");
	assert_eval_in(&c, "$.org", "'RXN'");
	assert_eval_in(&c, "@.code + ' of ' + $.org", "'A2 of RXN'");
	assert_fails_in(&c, "@.owner == 'x'", "@.owner is absent");
	/* no document at all: queries select nothing */
	c.root = NULL;
	c.current = NULL;
	assert_eval_in(&c, "exists(@.code)", "false");
	assert_fails_in(&c, "$.org + 'x'", "$.org is absent");
}

/* as_of, file and params are names; file is absent in snapshot scope. */
static void test_eval__names(void **state)
{
	(void)state;
	assert_eval("as_of", "2021-01-13");
	assert_eval("file", "'returns/2020-21/m07/finance/rxn.json'");
	assert_eval("params.finance.tolerance", "0.5");
	assert_eval("params.finance", "{\"tolerance\":0.5}");
	assert_eval("exists(params.nothing)", "false");
	assure_eval_ctx c = base_ctx();
	c.file = NULL;
	c.params = NULL;
	assert_eval_in(&c, "exists(file)", "false");
	assert_fails_in(&c, "file + '.bak'", "file is absent");
	assert_fails_in(&c, "params.finance.tolerance > 0", "params.finance.tolerance is absent");
}

/* .name and [expr] reach into JSON values and lists; negative indexes count from the end; missing is absent.
 */
static void test_eval__member_and_index(void **state)
{
	(void)state;
	assert_eval("params.list[0]", "'a'");
	assert_eval("params.list[-1]", "'c'");
	assert_eval("params['obj']['key']", "7");
	assert_eval("params.obj.key", "7");
	assert_eval("[10, 20, 30][-1]", "30");
	assert_eval("[10, 20, 30][1]", "20");
	assert_eval("[[1, 2], [3]][0][1]", "2");
	assert_eval("(@.nested).a.b[1].c", "2");
	assert_eval("(@.actions)[1].code", "'A2'");
	assert_eval("(@.nested)['a']", "{\"b\":[1,{\"c\":2}]}");
	assert_eval("params.orgs[$.org]", "-20.6");
	assert_eval("$.actions[$.figures[4] - 3].code", "'A2'"); /* a query, then the index operator */
}

/* An index that is missing, out of range or of the wrong kind of container is absent; a bad index fails. */
static void test_eval__member_and_index_absent_and_errors(void **state)
{
	(void)state;
	assert_eval("exists([10, 20][5])", "false");
	assert_eval("exists([10, 20][-3])", "false");
	assert_eval("exists(params.obj.nothing)", "false");
	assert_eval("exists(params.list.x)", "false");
	assert_eval("exists(params.list['x'])", "false");
	assert_eval("exists(params.obj[0])", "false");
	assert_eval("exists('abc'.x)", "false");
	assert_eval("exists(params.nothing.deeper[0])", "false");
	assert_fails("[1][0.5]", "0.5 is not a whole number, so it cannot be an index");
	assert_fails("[1][true]", "true cannot be an index (use a string or a whole number)");
	assert_fails("[1, 2][@.missing]", "@.missing is absent");
}

/* A whole-number index beyond the range of a long is out of range, so absent, not "not a whole number". */
static void test_eval__huge_whole_index_is_absent(void **state)
{
	(void)state;
	assert_eval("exists([1][1e30])", "false");
	assert_eval("exists([1][-1e30])", "false");
	assert_eval("exists([1][9223372036854775808])", "false");
	assert_eval("exists(($.figures)[1e30])", "false");
	assert_eval("exists(params.list[-9223372036854775809])", "false");
	assert_fails("[1][1e30 + 0.5]",
	             "1000000000000000000000000000000.5 is not a whole number, so it cannot be an index");
}

/* A list literal evaluates its items in order. */
static void test_eval__lists(void **state)
{
	(void)state;
	assert_eval("[1 + 1, 'a', $.org, as_of]", "[2,\"a\",\"RXN\",\"2021-01-13\"]");
	assert_eval("[]", "[]");
}

/* Lets are evaluated lazily on first use and memoised, failures included. */
static void test_eval__lazy_lets(void **state)
{
	(void)state;
	const char *names_list[] = {"bad", "outturn", "twice"};
	assure_expr *lets[3];
	assure_expr_names names = {names_list, 0, NULL, NULL};
	lets[0] = compile("1 / 0 == 1", &names);
	names.count = 1;
	lets[1] = compile("@.forecast.outturn", &names);
	names.count = 2;
	lets[2] = compile("outturn * 2", &names);
	names.count = 3;
	assure_value values[3] = {0};
	unsigned char st[3] = {0};
	assure_eval_ctx c = base_ctx();
	c.let_exprs = lets;
	c.let_values = values;
	c.let_state = st;
	c.let_count = 3;

	assure_expr *e = compile("true || bad", &names);
	assure_value v;
	char *why = NULL;
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	assert_true(v.u.b);
	assure_expr_free(e);
	assert_int_equal(st[0], 0); /* never needed, never evaluated */

	e = compile("twice", &names);
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	char *s = assure_value_to_string(&v);
	assert_string_equal(s, "-41.2");
	free(s);
	assure_value_clear(&v);
	assure_expr_free(e);
	assert_int_equal(st[1], 1); /* evaluated through twice */
	assert_int_equal(st[2], 1);

	e = compile("bad", &names);
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), ASSURE_EXPR_FAIL);
	assert_string_equal(why, "division by zero");
	free(why);
	assert_int_equal(st[0], 2); /* the failure is memoised ... */
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), ASSURE_EXPR_FAIL);
	assert_string_equal(why, "division by zero"); /* ... and its reason re-made */
	free(why);
	assure_expr_free(e);

	for (int i = 0; i < 3; i++) {
		assure_value_clear(&values[i]);
		assure_expr_free(lets[i]);
	}
}

static int file_doc_calls;

static int count_file_doc(json_t **out, const char *path, void *payload, char **why)
{
	(void)why;
	file_doc_calls++;
	*out = strcmp(path, "other.json") == 0 ? payload : NULL;
	return 0;
}

/* A let is computed once however often it is used, and means the rule's node even inside all(). */
static void test_eval__let_memoised_and_bound_to_the_rule_node(void **state)
{
	(void)state;
	const char *names_list[] = {"table", "code"};
	assure_expr_names none = {names_list, 0, NULL, NULL}, one = {names_list, 1, NULL, NULL},
	                  both = {names_list, 2, NULL, NULL};
	assure_expr *lets[2] = {compile("file_doc('other.json')", &none), compile("@.code", &one)};
	assure_value values[2] = {0};
	unsigned char st[2] = {0};
	assure_eval_ctx c = base_ctx();
	c.current = json_array_get(json_object_get(doc, "actions"), 0);
	c.current_pointer = "/actions/0";
	c.let_exprs = lets;
	c.let_values = values;
	c.let_state = st;
	c.let_count = 2;
	c.file_doc = count_file_doc;
	c.payload = params;
	file_doc_calls = 0;
	helper_names = &one;
	assert_eval_in(&c, "exists(table) && table.finance.tolerance == 0.5 && len(table) == 5", "true");
	helper_names = NULL;
	assert_int_equal(file_doc_calls, 1);
	/* first used with '@' bound to A2 and A3, code is still the rule node's A1 */
	assure_expr *e = compile("all($.actions[1:], code == 'A1')", &both);
	assure_value v;
	char *why = NULL;
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	assert_true(v.u.b);
	assure_expr_free(e);
	for (int i = 0; i < 2; i++) {
		assure_value_clear(&values[i]);
		assure_expr_free(lets[i]);
	}
}

/* A let that yields absent is absent where it is used, named by the let. */
static void test_eval__absent_let(void **state)
{
	(void)state;
	const char *names_list[] = {"gap"};
	assure_expr_names none = {names_list, 0, NULL, NULL}, one = {names_list, 1, NULL, NULL};
	assure_expr *lets[1] = {compile("@.forecast.missing", &none)};
	assure_value values[1] = {0};
	unsigned char st[1] = {0};
	assure_eval_ctx c = base_ctx();
	c.let_exprs = lets;
	c.let_values = values;
	c.let_state = st;
	c.let_count = 1;
	assure_expr *e = compile("gap <= params.finance.tolerance", &one);
	assure_value v;
	char *why = NULL;
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), ASSURE_EXPR_FAIL);
	assert_string_equal(why, "gap is absent");
	free(why);
	assure_expr_free(e);
	e = compile("default(gap, 0) <= params.finance.tolerance", &one);
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	assert_true(v.u.b);
	assure_expr_free(e);
	assure_value_clear(&values[0]);
	assure_expr_free(lets[0]);
}

/* A let missing from the context is a library error (-1), not a finding. */
static void test_eval__let_without_context(void **state)
{
	(void)state;
	const char *names_list[] = {"x"};
	assure_expr_names one = {names_list, 1, NULL, NULL};
	assure_expr *e = compile("x + 1", &one);
	assure_eval_ctx c = base_ctx();
	assure_value v;
	char *why = NULL;
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), -1);
	assert_null(why);
	assert_string_equal(assure_error_last(), "let 'x' is not defined in the evaluation context");
	assure_expr_free(e);
}

/* Evaluation is bounded: nested iteration past ASSURE_EXPR_MAX_STEPS fails instead of running on. */
static void test_eval__step_limit(void **state)
{
	(void)state;
	json_t *big = json_array();
	for (int i = 0; i < 200; i++)
		json_array_append_new(big, json_integer(i));
	json_t *root = json_pack("{s:o}", "big", big);
	assure_eval_ctx c = base_ctx();
	c.root = root;
	c.current = root;
	assert_eval_in(&c, "count(filter($.big[*], any($.big[*], @ == 3)))", "200");
	assert_fails_in(&c, "count(filter($.big[*], any($.big[*], any($.big[*], false))))",
	                "evaluation took more than 1000000 steps");
	json_decref(root);
}

/*
 * A lambda that reads only its item is worked out once per item and remembered: the same
 * expression evaluated again over the same objects gives what it gave the first time.
 * Documents are never changed in place, so this test changes one to see that the result
 * is remembered; a lambda that reads anything else is evaluated again each time.
 */
static void test_eval__lambda_results_remembered_by_item(void **state)
{
	(void)state;
	json_t *items = json_pack("[{s:s,s:s},{s:s,s:s}]", "code", "A1", "status", "open", "code", "A2",
	                          "status", "closed");
	json_t *one = json_pack("{s:s,s:O}", "org", "RXN", "items", items);
	json_t *two = json_pack("{s:s,s:O}", "org", "RTX", "items", items);
	assure_eval_ctx c = base_ctx();
	c.root = c.current = one;
	assure_expr *pure = compile("map($.items[*], a -> a.code + ' ' + a.status)", NULL);
	assure_expr *reads_root = compile("map($.items[*], a -> a.code + ' ' + $.org)", NULL);
	assure_expr *reads_as_of = compile("map($.items[*], a -> string(as_of) + ' ' + a.code)", NULL);
	assure_expr *reads_outer =
	    compile("map($.items[*], a -> map($.items[*], b -> a.code + b.code))[1]", NULL);
	const struct {
		assure_expr *e;
		const char *first, *second;
	} cases[] = {
	    {pure, "[\"A1 open\",\"A2 closed\"]", "[\"A1 open\",\"A2 closed\"]"},
	    {reads_root, "[\"A1 RXN\",\"A2 RXN\"]", "[\"A1 RTX\",\"X RTX\"]"},
	    {reads_as_of, "[\"2021-01-13 A1\",\"2021-01-13 A2\"]", "[\"2021-02-01 A1\",\"2021-02-01 X\"]"},
	    {reads_outer, "[\"A2A1\",\"A2A2\"]", "[\"XA1\",\"XX\"]"},
	};
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			assure_value v;
			char *why = NULL;
			if (assure_expr_eval(&v, cases[i].e, &c, &why) != 0)
				fail_msg("case %zu failed: %s", i, why);
			char *got = assure_value_describe(&v);
			const char *want = pass ? cases[i].second : cases[i].first;
			if (strcmp(got, want) != 0)
				fail_msg("case %zu, pass %d gave %s, not %s", i, pass, got, want);
			free(got);
			assure_value_clear(&v);
		}
		/* the second pass: another root holding the same items, another day, A2 changed */
		c.root = c.current = two;
		assure_date_from_ymd(&c.as_of, 2021, 2, 1);
		json_object_set_new(json_array_get(items, 1), "status", json_string("open"));
		json_object_set_new(json_array_get(items, 1), "code", json_string("X"));
	}
	assure_expr_free(pure);
	assure_expr_free(reads_root);
	assure_expr_free(reads_as_of);
	assure_expr_free(reads_outer);
	json_decref(one);
	json_decref(two);
	json_decref(items);
}

/*
 * A lambda that reads lets that do not read the node is remembered by item with the lets'
 * values it read: evaluated again over the same objects with the same values it gives what it
 * gave (this test changes an item in place to see that), with another value it is worked out
 * again. A let whose value is a list is not compared, and a let that reads the node takes
 * another value on each: a lambda that reads either is evaluated again each time.
 */
static void test_eval__lambda_results_remembered_with_their_lets(void **state)
{
	(void)state;
	json_t *items = json_pack("[{s:s,s:s},{s:s,s:s}]", "code", "A1", "status", "open", "code", "A2",
	                          "status", "closed");
	json_t *one = json_pack("{s:s,s:O}", "want", "open", "items", items);
	json_t *other = json_pack("{s:s,s:O}", "want", "closed", "items", items);
	const char *names_list[] = {"want", "wants", "mine"};
	const unsigned deps[] = {0, 0, ASSURE_EXPR_DEP_NODE};
	assure_expr_names names = {names_list, 0, deps, NULL};
	assure_expr *lets[3];
	lets[0] = compile("$.want", &names);
	names.count = 1;
	lets[1] = compile("[$.want]", &names);
	names.count = 2;
	lets[2] = compile("$.want", &names); /* as if it read the node: nothing tells */
	names.count = 3;
	assure_expr *scalar =
	    compile("map($.items[*], a -> a.code + (a.status == want ? '+' : '-'))", &names);
	assure_expr *list = compile("map($.items[*], a -> a.code + (a.status in wants ? '+' : '-'))", &names);
	assure_expr *node = compile("map($.items[*], a -> a.code + (a.status == mine ? '+' : '-'))", &names);
	const struct {
		json_t *root;
		const char *scalar, *list;
	} passes[] = {
	    {one, "[\"A1+\",\"A2-\"]", "[\"A1+\",\"A2-\"]"},
	    /* A2 is now open: the same want, so its remembered result; the others are read again */
	    {one, "[\"A1+\",\"A2-\"]", "[\"A1+\",\"A2+\"]"},
	    /* another want: worked out again */
	    {other, "[\"A1-\",\"A2-\"]", "[\"A1-\",\"A2-\"]"},
	};
	for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++) {
		assure_value values[3] = {0};
		unsigned char st[3] = {0};
		assure_eval_ctx c = base_ctx();
		c.root = c.current = passes[p].root;
		c.let_exprs = lets;
		c.let_values = values;
		c.let_state = st;
		c.let_count = 3;
		const char *want[] = {passes[p].scalar, passes[p].list, passes[p].list};
		assure_expr *e[] = {scalar, list, node};
		for (size_t i = 0; i < 3; i++) {
			assure_value v;
			char *why = NULL;
			if (assure_expr_eval(&v, e[i], &c, &why) != 0)
				fail_msg("pass %zu, case %zu failed: %s", p, i, why);
			char *got = assure_value_describe(&v);
			if (strcmp(got, want[i]) != 0)
				fail_msg("pass %zu, case %zu gave %s, not %s", p, i, got, want[i]);
			free(got);
			assure_value_clear(&v);
		}
		for (size_t i = 0; i < 3; i++)
			assure_value_clear(&values[i]);
		if (p == 0)
			json_object_set_new(json_array_get(items, 1), "status", json_string("open"));
	}
	assure_expr_free(scalar);
	assure_expr_free(list);
	assure_expr_free(node);
	for (size_t i = 0; i < 3; i++)
		assure_expr_free(lets[i]);
	json_decref(one);
	json_decref(other);
	json_decref(items);
}

/*
 * A lambda whose items are never met twice (each action log's actions in turn) stops
 * remembering them: after thousands of new items, a changed item is worked out afresh.
 */
static void test_eval__items_never_met_again_are_not_remembered(void **state)
{
	(void)state;
	json_t *items = json_array();
	for (int i = 0; i < 5000; i++)
		json_array_append_new(items, json_pack("{s:i}", "n", i));
	json_t *root = json_pack("{s:o}", "items", items);
	assure_eval_ctx c = base_ctx();
	c.root = c.current = root;
	assure_expr *e = compile("sum(map($.items[*], o -> o.n))", NULL);
	for (int pass = 0; pass < 2; pass++) {
		assure_value v;
		char *why = NULL;
		assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
		char *got = assure_value_to_string(&v);
		/* 0 + ... + 4999, then the same with the last item raised by 1000 */
		assert_string_equal(got, pass ? "12498500" : "12497500");
		free(got);
		assure_value_clear(&v);
		json_object_set_new(json_array_get(items, 4999), "n", json_integer(5999));
	}
	assure_expr_free(e);
	json_decref(root);
}

/*
 * A remembered result costs the steps it took: the same object a thousand times over is
 * as long to go through as a thousand objects, and meets the step limit where they would.
 */
static void test_eval__remembered_results_count_their_steps(void **state)
{
	(void)state;
	json_t *same = json_pack("{s:[iii]}", "xs", 1, 2, 3);
	assure_expr *e =
	    compile("sum(map($.items[*], o -> sum(map(range(1, 1000), n -> n * len(o.xs)))))", NULL);
	for (int times = 100; times <= 1000; times += 900) {
		json_t *items = json_array();
		for (int i = 0; i < times; i++)
			json_array_append(items, same);
		json_t *root = json_pack("{s:o}", "items", items);
		assure_eval_ctx c = base_ctx();
		c.root = c.current = root;
		assure_value v;
		char *why = NULL;
		int rc = assure_expr_eval(&v, e, &c, &why);
		if (times == 100) {
			assert_int_equal(rc, 0);
			char *got = assure_value_to_string(&v);
			assert_string_equal(got, "150150000"); /* 100 * 3 * (1 + ... + 1000) */
			free(got);
			assure_value_clear(&v);
		} else {
			assert_int_equal(rc, ASSURE_EXPR_FAIL);
			assert_string_equal(why, "evaluation took more than 1000000 steps");
			free(why);
		}
		json_decref(root);
	}
	assure_expr_free(e);
	json_decref(same);
}

/* A long value is cut in a reason, at a character boundary, so the reason stays readable. */
static void test_eval__long_values_cut_in_reasons(void **state)
{
	(void)state;
	char src[256], want[256];
	char long_text[151];
	memset(long_text, 'x', 150);
	long_text[150] = '\0';
	snprintf(src, sizeof(src), "'%s' * 2", long_text);
	/* 'xxx... is 152 bytes described: cut to 97 and "..." */
	snprintf(want, sizeof(want), "'%.96s... is not a number", long_text);
	assert_fails(src, want);
}

/* Lets nested in one another are bounded too (each let is, but a chain of them is not). */
static void test_eval__let_nesting_limit(void **state)
{
	(void)state;
	enum { N = 300 };
	char *names_list[N];
	const char *cnames[N];
	assure_expr *lets[N];
	for (int i = 0; i < N; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "a%d", i);
		names_list[i] = strdup(buf);
		cnames[i] = names_list[i];
		assure_expr_names before = {cnames, (size_t)i, NULL, NULL};
		if (i == 0) {
			lets[i] = compile("1", &before);
		} else {
			snprintf(buf, sizeof(buf), "a%d", i - 1);
			lets[i] = compile(buf, &before);
		}
	}
	assure_value values[N] = {{0}};
	unsigned char st[N] = {0};
	assure_eval_ctx c = base_ctx();
	c.let_exprs = lets;
	c.let_values = values;
	c.let_state = st;
	c.let_count = N;
	assure_expr_names all = {cnames, N, NULL, NULL};
	helper_names = &all;
	assert_eval_in(&c, "a200", "1");
	memset(st, 0, sizeof(st));
	for (int i = 0; i < N; i++)
		assure_value_clear(&values[i]);
	assert_fails_in(&c, "a299", "lets nested more than 256 deep");
	helper_names = NULL;
	for (int i = 0; i < N; i++) {
		assure_value_clear(&values[i]);
		assure_expr_free(lets[i]);
		free(names_list[i]);
	}
}

/* The reason is optional: a caller may pass NULL for it. */
static void test_eval__why_may_be_null(void **state)
{
	(void)state;
	assure_expr *e = compile("1 / 0", NULL);
	assure_eval_ctx c = base_ctx();
	assure_value v;
	assert_int_equal(assure_expr_eval(&v, e, &c, NULL), ASSURE_EXPR_FAIL);
	assure_expr_free(e);
}

/* A named item: the lambda's name is the item and '@' keeps its meaning; lambdas nest. */
static void test_eval__named_items(void **state)
{
	(void)state;
	assert_eval("map($.actions[*], a -> a.code)", "[\"A1\",\"A2\",\"A3\"]");
	assert_eval("all($.figures[*], f -> is_number(f))", "true");
	assert_eval("filter($.actions[*], a -> a.status == 'Open' && @.org == 'RXN')[1].code", "'A3'");
	assert_eval("map([1, 2], x -> map([10, 20], y -> x * y))", "[[10,20],[20,40]]");
	assert_eval("any($.actions[*], a -> a.code == $.org)", "false");
	/* absence inside the body names the expression, not the lambda */
	assert_fails("map($.actions[*], a -> a.due)", "a.due is absent");
	assert_fails("all($.actions[*], a -> a.code)", "'A1' is not true or false");
}

/* x?.name is null where x or the member is absent or x is not an object; x ?? y replaces absent and null. */
static void test_eval__optional_member_and_default(void **state)
{
	(void)state;
	assert_eval("@.forecast?.plan", "-19");
	assert_eval("@.forecast?.missing", "null");
	assert_eval("@.nope?.plan", "null");
	assert_eval("@.org?.x", "null");
	assert_eval("@?.nul", "null");
	assert_eval("@.nope ?? 5", "5");
	assert_eval("@.nul ?? 'none'", "'none'");
	assert_eval("@.org ?? 1 / 0", "'RXN'");
	assert_eval("@.nope ?? @.nul ?? 3", "3");
	assert_eval("1 < 2 ? @.nope ?? 'a' : 'b'", "'a'");
	/* without them, absence still fails */
	assert_fails("@.nope.plan + 1", "@.nope.plan is absent");
}

/* {name: value} makes an object; every value must be present. */
static void test_eval__object_literals(void **state)
{
	(void)state;
	assert_eval("{year: $.year, month: 7}", "{\"year\":\"2020-21\",\"month\":7}");
	assert_eval("{'a b': 1}['a b']", "1");
	assert_eval("{}", "{}");
	assert_fails("{year: $.nope}", "$.nope is absent");
}

/* A sub-expression that does not depend on the node is evaluated once per epoch, a failure too. */
static void test_eval__node_independent_parts_remembered(void **state)
{
	(void)state;
	assure_expr *e = compile("occurrences($.actions[*].code, @.code)", NULL);
	assure_eval_ctx c = base_ctx();
	c.epoch = 41;
	json_t *actions = json_object_get(doc, "actions");
	for (size_t i = 0; i < 3; i++) {
		c.current = json_array_get(actions, i);
		assure_value v;
		char *why = NULL;
		assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
		char *got = assure_value_describe(&v);
		assert_string_equal(got, "1");
		free(got);
		assure_value_clear(&v);
	}
	/* the remembered list belongs to epoch 41: under another epoch the new document is read */
	json_t *other = json_pack("{s:[{s:s},{s:s}]}", "actions", "code", "A1", "code", "A1");
	c.root = other;
	c.current = json_array_get(json_object_get(other, "actions"), 0);
	assure_value v;
	char *why = NULL;
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	char *got = assure_value_describe(&v);
	assert_string_equal(got, "1"); /* same epoch: the old list, by design of the caller's contract */
	free(got);
	assure_value_clear(&v);
	c.epoch = 42;
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	got = assure_value_describe(&v);
	assert_string_equal(got, "2");
	free(got);
	assure_value_clear(&v);
	json_decref(other);
	assure_expr_free(e);
}

/* A failure of the step budget depends on the node that ran out: it is not remembered for the next. */
static void test_eval__budget_failures_not_remembered(void **state)
{
	(void)state;
	json_t *big = json_array(), *none = json_array(), *list = json_array();
	for (int i = 0; i < 600000; i++)
		json_array_append_new(big, json_integer(i));
	for (int i = 0; i < 300000; i++)
		json_array_append_new(list, json_integer(i));
	json_t *d = json_pack("{s:[{s:o},{s:o}],s:o}", "nodes", "big", big, "big", none, "list", list);
	assure_expr *e = compile("count(@.big[*], x -> true) >= 0 && count($.list[*], x -> true) >= 0", NULL);
	assure_eval_ctx c = base_ctx();
	c.root = d;
	c.epoch = 77;
	assure_value v;
	char *why = NULL;
	c.current = json_array_get(json_object_get(d, "nodes"), 0);
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), ASSURE_EXPR_FAIL);
	assert_string_equal(why, "evaluation took more than 1000000 steps");
	free(why);
	c.current = json_array_get(json_object_get(d, "nodes"), 1);
	assert_int_equal(assure_expr_eval(&v, e, &c, &why), 0);
	assert_int_equal(v.kind, ASSURE_VAL_BOOL);
	assert_true(v.u.b);
	assure_expr_free(e);
	json_decref(d);
}

/* The guard: the node-independent conditions at the start of an && chain, once per document. */
static void test_eval__guard(void **state)
{
	(void)state;
	assure_eval_ctx c = base_ctx();
	bool holds = true;
	assure_expr *e = compile("$.org == 'XYZ' && @.code == 'A1'", NULL);
	assert_int_equal(assure_expr_guard(e, &c, &holds), 0);
	assert_false(holds);
	assure_expr_free(e);
	e = compile("$.org == 'RXN' && @.code == 'A1'", NULL);
	assert_int_equal(assure_expr_guard(e, &c, &holds), 0);
	assert_true(holds);
	assure_expr_free(e);
	/* a condition on the node is never decided for the whole document */
	e = compile("@.code == 'nope' && $.org == 'XYZ'", NULL);
	assert_int_equal(assure_expr_guard(e, &c, &holds), 0);
	assert_true(holds);
	assure_expr_free(e);
	/* a failing condition is left to each node, where it is reported */
	e = compile("$.nope > 1 && @.code == 'A1'", NULL);
	assert_int_equal(assure_expr_guard(e, &c, &holds), ASSURE_EXPR_FAIL);
	assure_expr_free(e);
}

/* Evaluate src with the as_of range tracked from ALL; the value described, the range in out. */
static char *eval_ranged(const char *src, int32_t as_of, assure_day_range *out)
{
	assure_eval_ctx c = base_ctx();
	c.as_of = as_of;
	*out = ASSURE_DAY_RANGE_ALL;
	c.as_of_range = out;
	assure_expr *e = compile(src, NULL);
	assure_value v;
	char *why = NULL;
	char *got = assure_expr_eval(&v, e, &c, &why) == 0 ? assure_value_describe(&v) : strdup("failed");
	if (strcmp(got, "failed") != 0)
		assure_value_clear(&v);
	free(why);
	assure_expr_free(e);
	return got;
}

/*
 * The as_of range says exactly the days on which an evaluation goes the same way: the same
 * value on every day inside it, and (where it is bounded) another value just outside it.
 */
static void test_eval__as_of_range(void **state)
{
	(void)state;
	int32_t due;
	assure_date_from_ymd(&due, 2020, 11, 30);
	struct {
		const char *src;
		int32_t lo, hi; /* offsets from due, or INT32_MIN/INT32_MAX */
		int32_t at;     /* as_of, offset from due */
	} cases[] = {
	    {"date('2020-11-30') < as_of", 1, INT32_MAX, 5},
	    {"date('2020-11-30') < as_of", INT32_MIN, 0, -3},
	    {"date('2020-11-30') < as_of", INT32_MIN, 0, 0},
	    {"!(as_of <= date('2020-11-30'))", 1, INT32_MAX, 1},
	    {"as_of == date('2020-11-30')", 0, 0, 0},
	    {"as_of != date('2020-11-30')", 1, INT32_MAX, 9},
	    {"as_of >= date('2020-11-30') && as_of < date('2020-11-30') + 10", 0, 9, 4},
	    {"as_of >= date('2020-11-30') && as_of < date('2020-11-30') + 10", 10, INT32_MAX, 12},
	    /* as_of read for anything but a comparison: that day only */
	    {"as_of - date('2020-11-30') > 3", 7, 7, 7},
	    {"string(as_of) == '2020-12-07'", 7, 7, 7},
	    /* nothing read of as_of: every day */
	    {"date('2020-11-30') < date('2021-01-01')", INT32_MIN, INT32_MAX, 7},
	    /* the right side of && is not evaluated when the left is false */
	    {"false && as_of > date('2020-11-30')", INT32_MIN, INT32_MAX, 7},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_day_range r, other;
		int32_t at = due + cases[i].at;
		char *v = eval_ranged(cases[i].src, at, &r);
		int32_t lo = cases[i].lo == INT32_MIN ? INT32_MIN : due + cases[i].lo;
		int32_t hi = cases[i].hi == INT32_MAX ? INT32_MAX : due + cases[i].hi;
		if (r.lo != lo || r.hi != hi)
			fail_msg("'%s' on day %+d: range [%ld, %ld], not [%ld, %ld]", cases[i].src,
			         (int)cases[i].at, (long)r.lo - due, (long)r.hi - due, (long)lo - due,
			         (long)hi - due);
		/* inside: the same value; just outside a bound: another */
		for (int32_t d = at - 40; d <= at + 40; d++) {
			char *w = eval_ranged(cases[i].src, d, &other);
			bool inside = d >= r.lo && d <= r.hi;
			bool next_to = d == (int64_t)r.lo - 1 || d == (int64_t)r.hi + 1;
			if (inside && strcmp(v, w) != 0)
				fail_msg("'%s' gave %s on day %+d, inside its range, and %s on %+d",
				         cases[i].src, w, (int)(d - due), v, (int)cases[i].at);
			if (next_to && cases[i].lo != cases[i].hi && strcmp(v, w) == 0)
				fail_msg("'%s' gave %s on day %+d, just outside its range", cases[i].src, w,
				         (int)(d - due));
			free(w);
		}
		free(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_eval__exact_decimals),
	    cmocka_unit_test(test_eval__arithmetic),
	    cmocka_unit_test(test_eval__division_by_zero_and_overflow),
	    cmocka_unit_test(test_eval__string_concatenation),
	    cmocka_unit_test(test_eval__arithmetic_type_errors),
	    cmocka_unit_test(test_eval__date_arithmetic),
	    cmocka_unit_test(test_eval__date_moved_by_huge_whole_number_is_out_of_range),
	    cmocka_unit_test(test_eval__ordering),
	    cmocka_unit_test(test_eval__ordering_type_errors),
	    cmocka_unit_test(test_eval__equality),
	    cmocka_unit_test(test_eval__equality_of_json),
	    cmocka_unit_test(test_eval__in),
	    cmocka_unit_test(test_eval__in_type_errors),
	    cmocka_unit_test(test_eval__logic),
	    cmocka_unit_test(test_eval__short_circuit),
	    cmocka_unit_test(test_eval__conditional),
	    cmocka_unit_test(test_eval__absent_fails_every_operator),
	    cmocka_unit_test(test_eval__queries),
	    cmocka_unit_test(test_eval__current_and_root),
	    cmocka_unit_test(test_eval__names),
	    cmocka_unit_test(test_eval__member_and_index),
	    cmocka_unit_test(test_eval__member_and_index_absent_and_errors),
	    cmocka_unit_test(test_eval__huge_whole_index_is_absent),
	    cmocka_unit_test(test_eval__lists),
	    cmocka_unit_test(test_eval__lazy_lets),
	    cmocka_unit_test(test_eval__let_memoised_and_bound_to_the_rule_node),
	    cmocka_unit_test(test_eval__absent_let),
	    cmocka_unit_test(test_eval__let_without_context),
	    cmocka_unit_test(test_eval__step_limit),
	    cmocka_unit_test(test_eval__lambda_results_remembered_by_item),
	    cmocka_unit_test(test_eval__lambda_results_remembered_with_their_lets),
	    cmocka_unit_test(test_eval__remembered_results_count_their_steps),
	    cmocka_unit_test(test_eval__items_never_met_again_are_not_remembered),
	    cmocka_unit_test(test_eval__long_values_cut_in_reasons),
	    cmocka_unit_test(test_eval__let_nesting_limit),
	    cmocka_unit_test(test_eval__why_may_be_null),
	    cmocka_unit_test(test_eval__named_items),
	    cmocka_unit_test(test_eval__optional_member_and_default),
	    cmocka_unit_test(test_eval__object_literals),
	    cmocka_unit_test(test_eval__node_independent_parts_remembered),
	    cmocka_unit_test(test_eval__guard),
	    cmocka_unit_test(test_eval__as_of_range),
	    cmocka_unit_test(test_eval__budget_failures_not_remembered),
	};
	return cmocka_run_group_tests_name("eval", tests, setup, teardown);
}
