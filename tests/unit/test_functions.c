/* test_functions.c: every built-in function, passing and failing, and the table itself. */
#include "expr/expr_int.h"

#include "assure/buf.h"
#include "assure/date.h"
#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char doc_text[] =
    "{\"org\": \"RXN\", \"forecast\": {\"outturn\": -20.6, \"plan\": -19, \"text\": \"abc\"},"
    " \"figures\": [20.6, 17.7, 19.4, 4.1, 4.0, 25.0],"
    " \"actions\": [{\"code\": \"A1\", \"status\": \"Open\", \"due\": \"2020-11-30\"},"
    "               {\"code\": \"A2\", \"status\": \"Complete\", \"due\": \"On-going\"},"
    "               {\"code\": \"A3\", \"status\": \"Open\"}],"
    " \"empty\": [], \"nul\": null}";

static const char params_text[] = "{\"finance\": {\"tolerance\": 0.5}, \"list\": [\"a\", \"b\", \"c\"],"
                                  " \"pattern\": \"R[A-Z]+\", \"bad_pattern\": \"(\"}";

static json_t *doc, *params;

static int file_doc_cb(json_t **out, const char *path, void *payload, char **why)
{
	if (strcmp(path, "broken.json") == 0) {
		*why = strdup("broken.json could not be read: end of file expected (line 1, column 3)");
		return ASSURE_EXPR_FAIL;
	}
	*out = strcmp(path, "other.json") == 0 ? payload : NULL;
	return 0;
}

/* A snapshot of three returns for the lookups; "broken" stands for one that could not be read. */
static const char returns_text[] =
    "[{\"path\": \"a/ct.json\", \"doc\": {\"kind\": \"control_totals\", \"year\": \"2020-21\"}},"
    " {\"path\": \"b/ct.json\", \"doc\": {\"kind\": \"control_totals\", \"year\": \"2021-22\"}},"
    " {\"path\": \"c/ct.json\", \"doc\": {\"kind\": \"control_totals\", \"year\": \"2021-22\"}},"
    " {\"path\": \"f.json\", \"doc\": {\"kind\": \"finance\", \"year\": \"2020-21\", \"month\": 7}}]";

static json_t *returns;

static int lookup_cb(json_t **out, const char *kind, json_t *filter, void *payload, char **why)
{
	(void)payload;
	if (strcmp(kind, "broken") == 0) {
		*why =
		    strdup("x.json could not be read: end of file (line 1, column 2), so the broken returns "
		           "looked for are not known");
		return ASSURE_EXPR_FAIL;
	}
	*out = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(returns, i, r)
	{
		json_t *d = json_object_get(r, "doc");
		bool ok = strcmp(json_string_value(json_object_get(d, "kind")), kind) == 0;
		const char *key;
		json_t *want;
		json_object_foreach(filter, key, want) ok = ok && json_equal(json_object_get(d, key), want);
		if (ok)
			json_array_append(*out, r);
	}
	return 0;
}

static assure_eval_ctx base_ctx(void)
{
	assure_eval_ctx c = {0};
	c.root = doc;
	c.current = doc;
	c.current_pointer = "";
	c.params = params;
	assure_date_from_ymd(&c.as_of, 2021, 1, 13);
	c.file = "rxn.json";
	c.file_doc = file_doc_cb;
	c.lookup = lookup_cb;
	c.payload = params;
	return c;
}

static assure_expr *compile(const char *src)
{
	assure_expr *e = NULL;
	size_t off = 0;
	if (assure_expr_compile(&e, src, NULL, &off) != 0)
		fail_msg("'%s' did not compile: %s at %zu", src, assure_error_last(), off);
	return e;
}

static void assert_eval_in(const assure_eval_ctx *c, const char *src, const char *want)
{
	assure_expr *e = compile(src);
	assure_value v;
	char *why = NULL;
	int rc = assure_expr_eval(&v, e, c, &why);
	if (rc != 0)
		fail_msg("'%s' failed (%d): %s", src, rc, why ? why : assure_error_last());
	char *got = assure_value_describe(&v);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' gave %s, not %s", src, got, want);
	free(got);
	assure_value_clear(&v);
	assure_expr_free(e);
}

/* Evaluate src; expect success and the value described as `want` ('strings' quoted). */
static void assert_eval(const char *src, const char *want)
{
	assure_eval_ctx c = base_ctx();
	assert_eval_in(&c, src, want);
}

/* Evaluate src in c; expect a failure with exactly the reason `want`. */
static void assert_fails_in(const assure_eval_ctx *c, const char *src, const char *want)
{
	assure_expr *e = compile(src);
	assure_value v;
	char *why = NULL;
	int rc = assure_expr_eval(&v, e, c, &why);
	if (rc != ASSURE_EXPR_FAIL) {
		char *got = assure_value_describe(&v);
		fail_msg("'%s' did not fail (%d): %s", src, rc, got);
	}
	if (strcmp(why, want) != 0)
		fail_msg("'%s' failed with \"%s\", not \"%s\"", src, why, want);
	free(why);
	assure_expr_free(e);
}

/* Evaluate src; expect a failure with exactly the reason `want`. */
static void assert_fails(const char *src, const char *want)
{
	assure_eval_ctx c = base_ctx();
	assert_fails_in(&c, src, want);
}

static int setup(void **state)
{
	(void)state;
	doc = json_loads(doc_text, 0, NULL);
	params = json_loads(params_text, 0, NULL);
	returns = json_loads(returns_text, 0, NULL);
	return doc && params && returns ? 0 : -1;
}

static int teardown(void **state)
{
	json_decref(returns);
	(void)state;
	json_decref(doc);
	json_decref(params);
	return 0;
}

/* date() reads every date form of date.h, and refuses anything else. */
static void test_functions__date(void **state)
{
	(void)state;
	assert_eval("date('2020-12-02')", "2020-12-02");
	assert_eval("date('02.12.2020')", "2020-12-02");
	assert_eval("date('02/12/2020')", "2020-12-02");
	assert_eval("date('2 December 2020')", "2020-12-02");
	assert_eval("date('December 2020')", "2020-12-31");
	assert_eval("date('Dec-20')", "2020-12-31");
	assert_eval("date(as_of)", "2021-01-13");
	assert_fails("date('On-going')", "'On-going' is not a date");
	assert_fails("date(5)", "5 is not a date");
	assert_fails("date(@.actions[2].due)", "@.actions[2].due is absent");
}

/* is_date() says whether date() would succeed. */
static void test_functions__is_date(void **state)
{
	(void)state;
	assert_eval("is_date('2020-11-30')", "true");
	assert_eval("is_date('TBC')", "false");
	assert_eval("is_date('31/02/2020')", "false");
	assert_eval("is_date(5)", "false");
	assert_eval("is_date(as_of)", "true");
	assert_fails("is_date(@.x)", "@.x is absent");
}

/* days(a, b) is b minus a in days, from dates or date strings. */
static void test_functions__days(void **state)
{
	(void)state;
	assert_eval("days('2020-12-02', as_of)", "42");
	assert_eval("days(as_of, '2 December 2020')", "-42");
	assert_eval("days('2020-02-28', '2020-03-01')", "2");
	assert_fails("days('x', as_of)", "'x' is not a date");
	assert_fails("days(as_of, 1)", "1 is not a date");
}

/* matches() must match the whole string; search() anywhere. */
static void test_functions__matches_and_search(void **state)
{
	(void)state;
	assert_eval("matches('ICSB001-01', 'ICSB[0-9]{3}-[0-9]{2}')", "true");
	assert_eval("matches('xICSB001-01', 'ICSB[0-9]{3}-[0-9]{2}')", "false");
	assert_eval("matches('ab', 'a|ab')", "true");
	assert_eval("search('xab', 'ab')", "true");
	assert_eval("search('xab', '^ab')", "false");
	assert_eval("search('caf\\u00e9', '\\\\w\\u00e9$')", "true");
	assert_fails("matches(5, 'a')", "5 is not a string");
	assert_fails("search(@.x, 'a')", "@.x is absent");
}

/* A pattern computed at run time is compiled then (and cached); a bad one fails the evaluation. */
static void test_functions__dynamic_patterns(void **state)
{
	(void)state;
	assert_eval("matches($.org, params.pattern)", "true");
	assert_eval("map(['^a', '^b', 'c$', 'd', 'e', '^a', 'c$'], search('abc', @))",
	            "[true,false,true,false,false,true,true]");
	assert_fails("search('a', 5)", "5 is not a string");
	assert_fails("matches('a', params.bad_pattern)",
	             "invalid regular expression '(': missing closing parenthesis at offset 1");
}

/* A pattern that runs into PCRE2's match limit fails the evaluation rather than not matching. */
static void test_functions__regex_limit(void **state)
{
	(void)state;
	char src[256];
	snprintf(src, sizeof(src), "search('%sb', '^(a|a?)+$')", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_fails(src, "regular expression hit its match limit");
}

/* len() counts code points of a string and items of a list, array or object. */
static void test_functions__len(void **state)
{
	(void)state;
	assert_eval("len('caf\\u00e9')", "4");
	assert_eval("len('')", "0");
	assert_eval("len([1, 2])", "2");
	assert_eval("len($.figures)", "6");
	assert_eval("len(@.forecast)", "3");
	assert_eval("len($.actions[*].code)", "3");
	assert_fails("len(5)", "5 has no length");
	assert_fails("len(@.x)", "@.x is absent");
}

/* count() counts the nodes a query selects (a singular query selects at most one), or a list's items. */
static void test_functions__count(void **state)
{
	(void)state;
	assert_eval("count($.actions[*])", "3");
	assert_eval("count($.actions)", "1");
	assert_eval("count($.missing)", "0");
	assert_eval("count($.actions[?@.status == 'Open'])", "2");
	assert_eval("count([1, 2])", "2");
	assert_eval("count(params.list)", "3");
	assert_fails("count(5)", "5 is not a list");
	assert_eval("count(@.x.y)", "0");
	assert_fails("count(default(@.x, 3))", "3 is not a list");
}

/* sum() adds exactly; an empty sum is 0; an item that is not a number fails, named. */
static void test_functions__sum(void **state)
{
	(void)state;
	assert_eval("sum($.figures[*])", "90.8");
	assert_eval("sum($.figures[*]) == 90.8", "true");
	assert_eval("sum([0.1, 0.2])", "0.3");
	assert_eval("sum($.empty[*])", "0");
	assert_eval("sum([])", "0");
	assert_eval("sum(filter(params.list, false))", "0");
	assert_fails("sum([1, 'x'])", "item 1 of [1, 'x'] is 'x', not a number");
	assert_fails("sum($.actions[*].code)", "item 0 of $.actions[*].code is 'A1', not a number");
	assert_fails(
	    "sum($.figures)",
	    "item 0 of $.figures is [20.6,17.7,19.4,4.1,4,25], not a number (a singular query is one node: "
	    "write $.figures[*] for its items)");
	assert_fails("sum(5)", "5 is not a list");
}

/* min() and max() of one list or of several arguments: numbers, strings or dates. */
static void test_functions__min_max(void **state)
{
	(void)state;
	assert_eval("min(3, 1, 2)", "1");
	assert_eval("max([3, 1, 2])", "3");
	assert_eval("max($.figures)", "25");
	assert_eval("min($.figures[*])", "4");
	assert_eval("min('b', 'a')", "'a'");
	assert_eval("max(date('2020-01-01'), as_of)", "2021-01-13");
	assert_eval("max([-1])", "-1");
	assert_fails("min([])", "min() of an empty list");
	assert_fails("max(1, 'a')", "cannot compare string with number");
	assert_fails("max(5)", "5 is not a list");
	assert_fails("min([true])", "true is not a number, string or date");
	assert_fails("min(1, @.x)", "@.x is absent");
}

/* abs() of a number. */
static void test_functions__abs(void **state)
{
	(void)state;
	assert_eval("abs(-20.6)", "20.6");
	assert_eval("abs(3)", "3");
	assert_fails("abs('x')", "'x' is not a number");
}

/* round() rounds half away from zero, to n places (default 0, negative for tens). */
static void test_functions__round(void **state)
{
	(void)state;
	assert_eval("round(2.345, 2)", "2.35");
	assert_eval("round(-2.345, 2)", "-2.35");
	assert_eval("round(2.5)", "3");
	assert_eval("round(-2.5)", "-3");
	assert_eval("round(2.4999)", "2");
	assert_eval("round(1250, -2)", "1300");
	assert_eval("round(1 / 3, 3)", "0.333");
	assert_eval("round(0.15 * 100, 1)", "15");
	assert_fails("round('x', 1)", "'x' is not a number");
	assert_fails("round(1, 0.5)", "0.5 is not a whole number of places from -100 to 100");
	assert_fails("round(1, 101)", "101 is not a whole number of places from -100 to 100");
}

/* lower() and upper() change ASCII letters only. */
static void test_functions__lower_upper(void **state)
{
	(void)state;
	assert_eval("lower('ABC D\\u00c9f')", "'abc d\xc3\x89"
	                                      "f'");
	assert_eval("upper('Open')", "'OPEN'");
	assert_fails("lower(1)", "1 is not a string");
	assert_fails("upper(null)", "null is not a string");
}

/* trim() removes blanks, no-break spaces included, from both ends. */
static void test_functions__trim(void **state)
{
	(void)state;
	assert_eval("trim('  a b \\t\\n')", "'a b'");
	assert_eval("trim('\\u00a0x\\u00a0')", "'x'");
	assert_eval("trim('   ')", "''");
	assert_eval("trim('x')", "'x'");
	assert_fails("trim(null)", "null is not a string");
}

/* exists() is false for absent and for a query that selects nothing, and true even for null. */
static void test_functions__exists(void **state)
{
	(void)state;
	assert_eval("exists(@.org)", "true");
	assert_eval("exists(@.nul)", "true");
	assert_eval("exists(@.x)", "false");
	assert_eval("exists($.actions[?@.status == 'Shut'])", "false");
	assert_eval("exists($.actions[*])", "true");
	assert_eval("exists(params.finance)", "true");
	assert_eval("exists(default(@.x, null))", "true");
	assert_fails("exists(1 / 0)", "division by zero");
}

/* default(x, y) is y only when x is absent (null is a value), and evaluates y only then. */
static void test_functions__default(void **state)
{
	(void)state;
	assert_eval("default(@.x, 0)", "0");
	assert_eval("default(@.org, 'none')", "'RXN'");
	assert_eval("default(@.nul, 1)", "null");
	assert_eval("default(@.org, 1 / 0)", "'RXN'");
	assert_fails("default(@.x, 1 / 0)", "division by zero");
	assert_fails("default(1 / 0, 1)", "division by zero");
}

/* all() and any() evaluate a condition with '@' bound to each item, and stop when decided. */
static void test_functions__all_any(void **state)
{
	(void)state;
	assert_eval("all($.actions[*], exists(@.code))", "true");
	assert_eval("all($.actions[*], @.status == 'Open')", "false");
	assert_eval("all($.empty[*], false)", "true");
	assert_eval("any($.actions[*], @.status == 'Complete')", "true");
	assert_eval("any($.empty[*], true)", "false");
	assert_eval("all([false, 1], @)", "false");
	assert_eval("any([true, 1], @)", "true");
	assert_eval("all($.actions[*], $.org == 'RXN' && params.finance.tolerance == 0.5)", "true");
	assert_eval("any($.actions[*], any($.figures[*], @ == 4))", "true");
	assert_fails("all($.actions[*], @.due != '')", "@.due is absent");
	assert_fails("any($.actions[*], @.code)", "'A1' is not true or false");
	assert_fails("all(5, true)", "5 is not a list");
	assert_fails("any(default(@.x, 3), true)", "3 is not a list");
}

/* filter() keeps the items for which the condition holds; map() gives the value of an expression for each. */
static void test_functions__filter_map(void **state)
{
	(void)state;
	assert_eval("map(filter($.actions[*], @.status == 'Open'), @.code)", "[\"A1\",\"A3\"]");
	assert_eval("filter($.figures[*], @ > 20)", "[20.6,25]");
	assert_eval("filter(params.list, @ != 'b')", "[\"a\",\"c\"]");
	assert_eval("map([1, 2, 3], @ * 2)", "[2,4,6]");
	assert_eval("map([[1, 'a'], [2, 'b']], @[1])", "[\"a\",\"b\"]");
	assert_eval("map([as_of], @ + 1)", "[\"2021-01-14\"]");
	assert_eval("map($.empty[*], @)", "[]");
	assert_eval("sum(map($.actions[*], len(@.code)))", "6");
	assert_fails("map($.actions[*], @.due)", "@.due is absent");
	assert_fails("filter($.actions[*], @.code)", "'A1' is not true or false");
	assert_fails("map([[1 / 3]], @[0])", "the number ~0.333333333333 cannot be given to a query exactly");
}

/* file_doc() reads another return through the context's callback; unknown files are absent. */
static void test_functions__file_doc(void **state)
{
	(void)state;
	assert_eval("file_doc('other.json').finance.tolerance", "0.5");
	assert_eval("exists(file_doc('nope.json'))", "false");
	assert_fails("file_doc('nope.json').x + 1", "file_doc('nope.json').x is absent");
	assert_fails("file_doc(1)", "1 is not a string");
	assure_eval_ctx c = base_ctx();
	c.file_doc = NULL;
	assert_fails_in(&c, "exists(file_doc('other.json'))",
	                "file_doc() has no snapshot to read 'other.json' from");
}

/* number() reads a decimal from a string exactly. */
static void test_functions__number(void **state)
{
	(void)state;
	assert_eval("number('20.6')", "20.6");
	assert_eval("number('-1e3')", "-1000");
	assert_eval("number(5)", "5");
	assert_eval("number('0.1') + number('0.2') == 0.3", "true");
	assert_fails("number('abc')", "'abc' is not a number");
	assert_fails("number('')", "'' is not a number");
	assert_fails("number(true)", "true is not a number");
}

/* is_number() and is_string() test a present value's kind. */
static void test_functions__is_number_is_string(void **state)
{
	(void)state;
	assert_eval("is_number(1)", "true");
	assert_eval("is_number('1')", "false");
	assert_eval("is_number(@.forecast.outturn)", "true");
	assert_eval("is_string('a')", "true");
	assert_eval("is_string(@.nul)", "false");
	assert_fails("is_number(@.x)", "@.x is absent");
	assert_fails("is_string(@.x)", "@.x is absent");
}

/* type() names every kind, absent included. */
static void test_functions__type(void **state)
{
	(void)state;
	assert_eval("type(@.x)", "'absent'");
	assert_eval("type(null)", "'null'");
	assert_eval("type(true)", "'boolean'");
	assert_eval("type(1)", "'number'");
	assert_eval("type('a')", "'string'");
	assert_eval("type(as_of)", "'date'");
	assert_eval("type([1])", "'list'");
	assert_eval("type($.actions[*])", "'list'");
	assert_eval("type(@.forecast)", "'object'");
	assert_eval("type($.figures)", "'array'");
	assert_fails("type(1 / 0)", "division by zero");
}

/* occurrences() counts the items equal to x, for duplicate checks. */
static void test_functions__occurrences(void **state)
{
	(void)state;
	assert_eval("occurrences($.actions[*].status, 'Open')", "2");
	assert_eval("occurrences($.figures, 4)", "1");
	assert_eval("occurrences([], 1)", "0");
	assert_fails("occurrences('abc', 'a')", "'abc' is not a list");
	assert_fails("occurrences([1], @.x)", "@.x is absent");
}

/* unique() keeps the first of each set of equal items, in order. */
static void test_functions__unique(void **state)
{
	(void)state;
	assert_eval("unique([1, 2, 1, 1.0, 'a', 'a'])", "[1,2,\"a\"]");
	assert_eval("unique($.actions[*].status)", "[\"Open\",\"Complete\"]");
	assert_eval("len(unique($.figures))", "6");
	assert_fails("unique(5)", "5 is not a list");
}

/* join() puts strings and exact numbers between separators; anything else is not joined. */
static void test_functions__join(void **state)
{
	(void)state;
	assert_eval("join(['a', 'b', 'c'], '; ')", "'a; b; c'");
	assert_eval("join([-90.8, 0.1 + 0.2], ', ')", "'-90.8, 0.3'");
	assert_eval("join([], '; ')", "''");
	assert_eval("join($.actions[*].status, '/')", "'Open/Complete/Open'");
	assert_fails("join(['a', [1]], ',')", "[1] is not a string or a number");
	assert_fails("join('a', ',')", "'a' is not a list");
	assert_fails("join(['a'], 1)", "1 is not a string");
}

/* keys() lists an object's member names in document order. */
static void test_functions__keys(void **state)
{
	(void)state;
	assert_eval("keys(@.forecast)", "[\"outturn\",\"plan\",\"text\"]");
	assert_eval("'plan' in keys(@.forecast)", "true");
	assert_fails("keys([1])", "[1] is not an object");
}

/* string() is the text a message would show. */
static void test_functions__string(void **state)
{
	(void)state;
	assert_eval("string(-90.8)", "'-90.8'");
	assert_eval("string('a')", "'a'");
	assert_eval("string([1, 'a'])", "'[1,\"a\"]'");
	assert_eval("string(as_of)", "'2021-01-13'");
	assert_eval("'M' + string(7)", "'M7'");
	assert_fails("string(@.x)", "@.x is absent");
}

/* The table is sorted (the lookup is a binary search) and every row is well formed. */
static void test_functions__table(void **state)
{
	(void)state;
	size_t n;
	const fn_def *t = fn_table(&n);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
		assert_true(t[i].min_args <= t[i].max_args);
		assert_non_null(t[i].impl);
		assert_ptr_equal(fn_lookup(t[i].name), &t[i]);
		assert_int_equal(strncmp(t[i].synopsis, t[i].name, strlen(t[i].name)), 0);
	}
	assert_null(fn_lookup("sume"));
	assert_null(fn_lookup(""));
}

/* Read a whole file into a string (caller frees), or NULL. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assure_buf_put(&b, chunk, got);
	fclose(f);
	return assure_buf_detach(&b);
}

/* The reference documents every function with an example of its use. */
static void test_functions__documented(void **state)
{
	(void)state;
	const char *dir = getenv("ASSURE_SOURCE_DIR");
#ifdef ASSURE_SOURCE_DIR
	if (!dir) /* run by hand, outside ctest */
		dir = ASSURE_SOURCE_DIR;
#endif
	assert_non_null(dir);
	char path[4096];
	snprintf(path, sizeof(path), "%s/docs/rules.md", dir);
	char *text = read_file(path);
	assert_non_null(text);
	const char *section = strstr(text, "## Expression language");
	assert_non_null(section);
	size_t n;
	const fn_def *t = fn_table(&n);
	for (size_t i = 0; i < n; i++) {
		char heading[128], example[128];
		snprintf(heading, sizeof(heading), "`%s`", t[i].synopsis);
		snprintf(example, sizeof(example), "%s(", t[i].name);
		if (!strstr(section, heading))
			fail_msg("%s does not document %s (looked for %s)", path, t[i].name, heading);
		/* an example beyond the heading: a second mention of the call */
		const char *first = strstr(section, example);
		if (!first || !strstr(first + 1, example))
			fail_msg("%s has no example of %s", path, t[i].name);
	}
	free(text);
}

/* count, sum, min and max with an expression per item (a lambda, or '@' for count and sum). */
static void test_functions__per_item_forms(void **state)
{
	(void)state;
	assert_eval("count($.actions[*], a -> a.status == 'Open')", "2");
	assert_eval("count($.actions[*], @.status == 'Open')", "2");
	assert_eval("sum($.actions[*], a -> len(a.code))", "6");
	assert_eval("sum([{'x': 0.1}, {'x': 0.2}], o -> o.x) == 0.3", "true");
	assert_eval("max($.actions[*], a -> a.code)", "'A3'");
	assert_eval("min($.figures[*], f -> f)", "4");
	assert_eval("max(2, 3)", "3"); /* not a lambda: two values, as before */
	assert_fails("sum($.actions[*], a -> a.code)", "'A1' is not a number");
	assert_fails("max($.empty[*], x -> x)", "max() of an empty list");
	assert_fails("count($.actions[*], a -> a.status)", "'Open' is not true or false");
}

/* sort_by is stable, group_by keeps first-seen order, unique_by the first item, index_by refuses clashes. */
static void test_functions__by_key(void **state)
{
	(void)state;
	assert_eval("map(sort_by($.actions[*], a -> a.status), a -> a.code)", "[\"A2\",\"A1\",\"A3\"]");
	assert_eval("map(group_by($.actions[*], a -> a.status), g -> [g.key, len(g.items)])",
	            "[[\"Open\",2],[\"Complete\",1]]");
	assert_eval("map(unique_by($.actions[*], a -> a.status), a -> a.code)", "[\"A1\",\"A2\"]");
	assert_eval("index_by($.actions[*], a -> a.code).A2.status", "'Complete'");
	assert_fails("index_by($.actions[*], a -> a.status)",
	             "items 0 and 2 have the same key 'Open' (group_by() keeps both)");
	assert_fails("sort_by([1, 'a'], x -> x)", "cannot compare number with string");
	assert_fails("sort_by([[1]], x -> x)",
	             "[1] is not a number, string or date, so it cannot be sorted by");
}

/* unique and occurrences hash values with == semantics: 1 and 1.0 are one value, member order does not count.
 */
static void test_functions__hashed_equality(void **state)
{
	(void)state;
	assert_eval("unique([1, 1.0, 0.10, 0.1, 'a', 'a', [1], [1.0]])", "[1,0.1,\"a\",[1]]");
	assert_eval("occurrences([1, 1.0, 2], 1)", "2");
	assert_eval("occurrences(range(1, 50), 30)", "1");
	assert_eval("len(unique([{'a': 1, 'b': 2}, {'b': 2, 'a': 1}]))", "1");
	assert_eval("30 in range(1, 100)", "true");
	assert_eval("101 in range(1, 100)", "false");
}

/* returns() lists the matching returns in path order; the() wants one, absent for none, names several. */
static void test_functions__lookups(void **state)
{
	(void)state;
	assert_eval("map(returns('control_totals', {}), r -> r.path)",
	            "[\"a/ct.json\",\"b/ct.json\",\"c/ct.json\"]");
	assert_eval("the('control_totals', {year: '2020-21'}).path", "'a/ct.json'");
	assert_eval("the('finance', {year: '2020-21', month: 7}).doc.month", "7");
	assert_eval("exists(the('control_totals', {year: '1999-00'}))", "false");
	assert_eval("len(returns('control_totals', {year: '1999-00'}))", "0");
	assert_fails("the('control_totals', {year: '2021-22'})",
	             "2 control_totals returns match {\"year\":\"2021-22\"}, where the() needs one: "
	             "b/ct.json, c/ct.json");
	assert_fails("returns('broken', {})", "x.json could not be read: end of file (line 1, column 2), so "
	                                      "the broken returns looked for are not known");
	assert_fails("exists(the('broken', {}))", "x.json could not be read: end of file (line 1, column 2), "
	                                          "so the broken returns looked for are not known");
	assert_fails("returns('finance', 'year')",
	             "'year' is not an object of members to match, such as {year: $.year}");
	assert_fails("returns(1, {})", "1 is not a string");
	/* an unreadable file is not absent */
	assert_fails("exists(file_doc('broken.json'))",
	             "broken.json could not be read: end of file expected (line 1, column 3)");
}

/* key() and field() say where '@' is; get() follows a dotted path or a JSON Pointer held in data. */
static void test_functions__where_and_get(void **state)
{
	(void)state;
	assure_eval_ctx c = base_ctx();
	c.current = json_object_get(json_object_get(doc, "forecast"), "plan");
	c.current_pointer = "/forecast/plan";
	assert_eval_in(&c, "key()", "'plan'");
	assert_eval_in(&c, "field()", "'forecast.plan'");
	c.current = json_array_get(json_object_get(doc, "actions"), 1);
	c.current_pointer = "/actions/1";
	assert_eval_in(&c, "key()", "1");
	assert_eval_in(&c, "field()", "'actions.1'");
	assert_eval("key()", "absent"); /* the root has none */
	assert_eval("map(['a', 'b'], key())", "[0,1]");
	assert_eval("get($, 'forecast.outturn')", "-20.6");
	assert_eval("get($, '/actions/2/code')", "'A3'");
	assert_eval("get($, 'actions.0.code')", "'A1'");
	assert_eval("type(get($, 'forecast.nope.x'))", "'absent'");
	assert_eval("get([[1, 2]], '0.1')", "2");
	assert_fails("get($, 1)", "1 is not a string");
}

/* range() and the financial-year helpers. */
static void test_functions__range_and_years(void **state)
{
	(void)state;
	assert_eval("range(1, 4)", "[1,2,3,4]");
	assert_eval("range(3, 1)", "[]");
	assert_fails("range(1, 1000000)", "range(1, 1000000) would make more than 100000 numbers");
	assert_fails("range(0.5, 2)", "0.5 is not a whole number");
	/* each number made is a step: a range per item cannot run away */
	assert_fails("count(range(1, 3000), o -> len(range(o, o + 99999)) > 0) == 0",
	             "evaluation took more than 1000000 steps");
	assert_eval("is_fy('2020-21')", "true");
	assert_eval("is_fy('1999-00')", "true");
	assert_eval(
	    "[is_fy('2020-22'), is_fy('2020/21'), is_fy('2020-2021'), is_fy(2020), is_fy(' 2020-21')]",
	    "[false,false,false,false,false]");
	assert_eval("[is_fy('2020'), is_fy(''), is_fy('2020-21x')]", "[false,false,false]");
	assert_eval("fy_next('2020-21')", "'2021-22'");
	assert_eval("fy_prev('2000-01')", "'1999-00'");
	assert_eval("fy_next('1999-00')", "'2000-01'");
	assert_fails("fy_next('2020-22')",
	             "'2020-22' is not a financial year written YYYY-YY, such as 2020-21");
	assert_eval("fy_month_start('2020-21', 1)", "2020-04-01");
	assert_eval("fy_month_end('2020-21', 7)", "2020-10-31");
	assert_eval("fy_month_end('2020-21', 11)", "2021-02-28");
	assert_eval("fy_month_end('2023-24', 11)", "2024-02-29");
	assert_eval("fy_month_end('2020-21', 12) + 15", "2021-04-15");
	assert_fails("fy_month_start('2020-21', 13)",
	             "13 is not a month of a financial year, a whole number from 1 (April) to 12 (March)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_functions__date),
	    cmocka_unit_test(test_functions__is_date),
	    cmocka_unit_test(test_functions__days),
	    cmocka_unit_test(test_functions__matches_and_search),
	    cmocka_unit_test(test_functions__dynamic_patterns),
	    cmocka_unit_test(test_functions__regex_limit),
	    cmocka_unit_test(test_functions__len),
	    cmocka_unit_test(test_functions__count),
	    cmocka_unit_test(test_functions__sum),
	    cmocka_unit_test(test_functions__min_max),
	    cmocka_unit_test(test_functions__abs),
	    cmocka_unit_test(test_functions__round),
	    cmocka_unit_test(test_functions__lower_upper),
	    cmocka_unit_test(test_functions__trim),
	    cmocka_unit_test(test_functions__exists),
	    cmocka_unit_test(test_functions__default),
	    cmocka_unit_test(test_functions__all_any),
	    cmocka_unit_test(test_functions__filter_map),
	    cmocka_unit_test(test_functions__file_doc),
	    cmocka_unit_test(test_functions__number),
	    cmocka_unit_test(test_functions__is_number_is_string),
	    cmocka_unit_test(test_functions__type),
	    cmocka_unit_test(test_functions__occurrences),
	    cmocka_unit_test(test_functions__unique),
	    cmocka_unit_test(test_functions__join),
	    cmocka_unit_test(test_functions__keys),
	    cmocka_unit_test(test_functions__string),
	    cmocka_unit_test(test_functions__table),
	    cmocka_unit_test(test_functions__documented),
	    cmocka_unit_test(test_functions__per_item_forms),
	    cmocka_unit_test(test_functions__by_key),
	    cmocka_unit_test(test_functions__hashed_equality),
	    cmocka_unit_test(test_functions__lookups),
	    cmocka_unit_test(test_functions__where_and_get),
	    cmocka_unit_test(test_functions__range_and_years),
	};
	return cmocka_run_group_tests_name("functions", tests, setup, teardown);
}
