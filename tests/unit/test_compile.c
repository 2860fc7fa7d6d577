/* test_compile.c: name and function resolution, load-time regexes, read flags and the source limit. */
#include "expr/expr_int.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void assert_compile_error(const char *src, const assure_expr_names *names, const char *msg,
                                 size_t offset)
{
	assure_expr *e = NULL;
	size_t off = 999;
	int rc = assure_expr_compile(&e, src, names, &off);
	if (rc == 0) {
		assure_expr_free(e);
		fail_msg("'%s' compiled", src);
	}
	assert_int_equal(rc, -1);
	assert_null(e);
	assert_string_equal(assure_error_last(), msg);
	assert_int_equal(off, offset);
}

static assure_expr *compile(const char *src, const assure_expr_names *names)
{
	assure_expr *e = NULL;
	size_t off = 0;
	if (assure_expr_compile(&e, src, names, &off) != 0)
		fail_msg("'%s' did not compile: %s at %zu", src, assure_error_last(), off);
	return e;
}

/* An unknown name is an error at its offset; as_of, file, params and lets are known. */
static void test_compile__unknown_name(void **state)
{
	(void)state;
	assert_compile_error("@.x + tolerance", NULL, "unknown name 'tolerance'", 6);
	assert_compile_error("f(x)", NULL, "unknown name 'x'", 2);
	const char *lets[] = {"gap"};
	assure_expr_names names = {lets, 1, NULL, NULL};
	assure_expr *e = compile("gap + as_of - file * params", &names);
	assure_expr_free(e);
	assert_compile_error("gap + gab", &names, "unknown name 'gab'", 6);
}

/* A let name becomes its slot; the latest of two equal names wins, as each let sees those before it. */
static void test_compile__lets_resolve_to_slots(void **state)
{
	(void)state;
	const char *lets[] = {"a", "b", "a"};
	assure_expr_names names = {lets, 3, NULL, NULL};
	assure_expr *e = compile("b", &names);
	assert_int_equal(e->root->kind, EN_LET);
	assert_int_equal(e->root->slot, 1);
	assure_expr_free(e);
	e = compile("a", &names);
	assert_int_equal(e->root->slot, 2);
	assure_expr_free(e);
	names.count = 2; /* only the lets before the third are visible to it */
	e = compile("a", &names);
	assert_int_equal(e->root->slot, 0);
	assure_expr_free(e);
}

/* An unknown function is an error at its name, even when a let has that name. */
static void test_compile__unknown_function(void **state)
{
	(void)state;
	assert_compile_error("sume($.figures[*]) > 0", NULL, "unknown function 'sume'", 0);
	const char *lets[] = {"total"};
	assure_expr_names names = {lets, 1, NULL, NULL};
	assert_compile_error("1 + total(2)", &names, "unknown function 'total'", 4);
}

/* A call with the wrong number of arguments says how many the function takes. */
static void test_compile__arity(void **state)
{
	(void)state;
	assert_compile_error("len('a', 'b')", NULL, "len() takes 1 argument, not 2", 0);
	assert_compile_error("days(as_of)", NULL, "days() takes 2 arguments, not 1", 0);
	assert_compile_error("1 == round(1, 2, 3)", NULL, "round() takes 1 or 2 arguments, not 3", 5);
	assert_compile_error("min()", NULL, "min() takes at least 1 argument, not 0", 0);
	assure_expr_free(compile("max(1, 2, 3, 4, 5)", NULL));
	assure_expr_free(compile("round(1)", NULL));
}

/* A literal pattern PCRE2 rejects is a load error pointing into the pattern, escapes counted. */
static void test_compile__bad_literal_regex(void **state)
{
	(void)state;
	assert_compile_error("matches(@.code, '^ICSB[0-9{6}-[0-9]{2}$')", NULL,
	                     "invalid regular expression: range out of order in character class",
	                     30); /* the [ ending }-[ */
	assert_compile_error("search(@.code, 'ab(c')", NULL,
	                     "invalid regular expression: missing closing parenthesis", 20);
	/* "\\t(" decodes to TAB and "(": the end of the 2-byte pattern is source offset 19, past the 3
	 * escaped bytes */
	assert_compile_error("search(@.code, '\\t(')", NULL,
	                     "invalid regular expression: missing closing parenthesis", 19);
}

/* A literal pattern is compiled once, at load; a computed one gets a run-time cache instead. */
static void test_compile__regex_compiled_at_load(void **state)
{
	(void)state;
	assure_expr *e = compile("matches(@.code, 'A[0-9]+')", NULL);
	assert_non_null(e->root->re);
	assert_null(e->root->re_cache);
	assure_expr_free(e);
	e = compile("matches(@.code, params.pattern)", NULL);
	assert_null(e->root->re);
	assert_non_null(e->root->re_cache);
	assure_expr_free(e);
}

/* The read flags say whether an expression reads as_of, other files, or the file path. */
static void test_compile__reads(void **state)
{
	(void)state;
	struct {
		const char *src;
		unsigned reads;
	} cases[] = {
	    {"@.x > 1", 0},
	    {"params.a", 0},
	    {"date(@.due) < as_of", ASSURE_EXPR_READS_AS_OF},
	    {"exists(file_doc('x.json'))", ASSURE_EXPR_READS_OTHERS},
	    {"file == 'a'", ASSURE_EXPR_READS_FILE},
	    {"file_doc(file) != null && as_of > date('2020-01-01')",
	     ASSURE_EXPR_READS_OTHERS | ASSURE_EXPR_READS_FILE | ASSURE_EXPR_READS_AS_OF},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_expr *e = compile(cases[i].src, NULL);
		assert_int_equal(assure_expr_reads(e), cases[i].reads);
		assure_expr_free(e);
	}
}

/* The source is kept verbatim. */
static void test_compile__source(void **state)
{
	(void)state;
	assure_expr *e = compile(" @.a  + 1 ", NULL);
	assert_string_equal(assure_expr_source(e), " @.a  + 1 ");
	assure_expr_free(e);
}

/* An expression longer than ASSURE_EXPR_MAX_SOURCE bytes is refused before it is parsed. */
static void test_compile__source_limit(void **state)
{
	(void)state;
	char *src = malloc(ASSURE_EXPR_MAX_SOURCE + 2);
	memset(src, ' ', ASSURE_EXPR_MAX_SOURCE);
	src[0] = '1';
	src[ASSURE_EXPR_MAX_SOURCE] = '\0';
	assure_expr_free(compile(src, NULL));
	src[ASSURE_EXPR_MAX_SOURCE] = ' ';
	src[ASSURE_EXPR_MAX_SOURCE + 1] = '\0';
	assert_compile_error(src, NULL, "expression longer than 65536 bytes", ASSURE_EXPR_MAX_SOURCE);
	free(src);
}

/* Freeing NULL is a no-op. */
static void test_compile__free_null(void **state)
{
	(void)state;
	assure_expr_free(NULL);
	assert_null(fn_lookup("no_such_function"));
}

/* A lambda stands only where a function goes through items; its name may not hide another. */
static void test_compile__lambda_errors(void **state)
{
	(void)state;
	const char *lets[] = {"year"};
	assure_expr_names names = {lets, 1, NULL, NULL};
	assert_compile_error(
	    "x -> x", NULL,
	    "'x -> ...' names the item of a list: it can only be the second argument of a function "
	    "that goes through one, such as map()",
	    0);
	assert_compile_error(
	    "len(x -> x)", NULL,
	    "'x -> ...' names the item of a list: it can only be the second argument of a function "
	    "that goes through one, such as map()",
	    4);
	assert_compile_error("mapp([1], x -> x)", NULL, "unknown function 'mapp'", 0);
	assert_compile_error("map([1], year -> year)", &names,
	                     "'year' is already a name here: give the item another name", 9);
	assert_compile_error("map([1], x -> map([2], x -> x))", NULL,
	                     "'x' is already a name here: give the item another name", 23);
	assert_compile_error("map([1], x -> y)", NULL, "unknown name 'y'", 14);
	assert_compile_error("{a: 1, a: 2}", NULL, "member 'a' is given twice", 7);
	assert_compile_error("{a 1}", NULL, "expected ':', found a number", 3);
	assert_compile_error("{1: 2}", NULL, "expected a member name, found a number", 1);
	/* min() and max() take a lambda only as the second of two arguments */
	assert_compile_error(
	    "max([1, 2], o -> o, 3)", NULL,
	    "'o -> ...' names the item of a list: it can only be the second argument of a function "
	    "that goes through one, such as map()",
	    12);
	/* a lambda's variable is out of scope after it */
	assert_compile_error("map([1], x -> x) + x", NULL, "unknown name 'x'", 19);
}

/* What a node's value depends on decides what is remembered per document. */
static void test_compile__memo_slots(void **state)
{
	(void)state;
	assure_expr *e =
	    compile("occurrences($.actions[*].code, @.code) + len(params.list) + count(@.x[*])", NULL);
	/* $.actions[*].code, and len(params.list); not @.code nor count(@.x[*]) */
	assert_int_equal(e->nmemo, 2);
	assure_expr_free(e);
	e = compile("map($.a[*], x -> x.b + len($.c[*]))", NULL);
	/* the whole map() depends on nothing per node, and len($.c[*]) nothing per item */
	assert_int_equal(e->nmemo, 2);
	assert_int_equal(e->root->memo, 0);
	assert_int_equal(e->root->kids[1]->kids[0]->kids[1]->memo, 1);
	assure_expr_free(e);
	e = compile("map($.a[*], @.b)", NULL);
	assert_int_equal(e->nmemo, 1); /* '@' in the body is the item */
	assure_expr_free(e);
	e = compile("map($.a[*], x -> @.b)", NULL);
	assert_int_equal(e->nmemo, 1); /* $.a[*] only: '@' in a lambda is the node */
	assert_int_equal(e->root->memo, -1);
	assure_expr_free(e);
	assert_int_equal(assure_expr_deps(e = compile("$.a + 1", NULL)), 0);
	assure_expr_free(e);
	assert_int_equal(assure_expr_deps(e = compile("key()", NULL)), ASSURE_EXPR_DEP_NODE);
	assure_expr_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compile__unknown_name),
	    cmocka_unit_test(test_compile__lets_resolve_to_slots),
	    cmocka_unit_test(test_compile__unknown_function),
	    cmocka_unit_test(test_compile__arity),
	    cmocka_unit_test(test_compile__bad_literal_regex),
	    cmocka_unit_test(test_compile__regex_compiled_at_load),
	    cmocka_unit_test(test_compile__reads),
	    cmocka_unit_test(test_compile__source),
	    cmocka_unit_test(test_compile__source_limit),
	    cmocka_unit_test(test_compile__free_null),
	    cmocka_unit_test(test_compile__lambda_errors),
	    cmocka_unit_test(test_compile__memo_slots),
	};
	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}
