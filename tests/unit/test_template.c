/* test_template.c: message templates: interpolation, braces, errors with offsets, absent values. */
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

static json_t *doc;

static assure_eval_ctx base_ctx(void)
{
	assure_eval_ctx c = {0};
	c.root = doc;
	c.current = json_object_get(doc, "forecast");
	c.current_pointer = "/forecast";
	assure_date_from_ymd(&c.as_of, 2021, 1, 13);
	return c;
}

static assure_template *compile(const char *src, const assure_expr_names *names)
{
	assure_template *t = NULL;
	size_t off = 0;
	if (assure_template_compile(&t, src, names, &off) != 0)
		fail_msg("'%s' did not compile: %s at %zu", src, assure_error_last(), off);
	return t;
}

static void assert_render(const char *src, const char *want)
{
	assure_template *t = compile(src, NULL);
	assure_eval_ctx c = base_ctx();
	char *out = NULL, *why = NULL;
	int rc = assure_template_render(&out, t, &c, &why);
	if (rc != 0)
		fail_msg("'%s' failed: %s", src, why ? why : assure_error_last());
	assert_string_equal(out, want);
	free(out);
	assure_template_free(t);
}

static void assert_render_fails(const char *src, const char *want)
{
	assure_template *t = compile(src, NULL);
	assure_eval_ctx c = base_ctx();
	char *out = NULL, *why = NULL;
	assert_int_equal(assure_template_render(&out, t, &c, &why), ASSURE_EXPR_FAIL);
	assert_null(out);
	assert_string_equal(why, want);
	free(why);
	assure_template_free(t);
}

static void assert_template_error(const char *src, const char *msg, size_t offset)
{
	assure_template *t = NULL;
	size_t off = 999;
	if (assure_template_compile(&t, src, NULL, &off) == 0) {
		assure_template_free(t);
		fail_msg("'%s' compiled", src);
	}
	assert_null(t);
	assert_string_equal(assure_error_last(), msg);
	assert_int_equal(off, offset);
}

static int setup(void **state)
{
	(void)state;
	doc = json_loads("{\"org\": \"RXN\", \"forecast\": {\"outturn\": -90.8, \"control_total\": -90},"
	                 " \"codes\": [\"A\", \"B\"]}",
	                 0, NULL);
	return doc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(doc);
	return 0;
}

/* Expressions are interpolated into the text, numbers printed exactly. */
static void test_template__interpolation(void **state)
{
	(void)state;
	assert_render(
	    "forecast outturn {@.outturn} is {@.control_total - @.outturn} worse than {@.control_total}",
	    "forecast outturn -90.8 is 0.8 worse than -90");
	assert_render("{$.org}", "RXN");
	assert_render("{$.org}{$.org}", "RXNRXN");
	assert_render("as of {as_of}: {$.codes}", "as of 2021-01-13: [\"A\",\"B\"]");
	assert_render("{1 / 3}", "~0.333333333333");
	assert_render("{ @.outturn < 0 ? 'deficit' : 'surplus' } of {abs(@.outturn)}", "deficit of 90.8");
}

/* Plain text passes through, and {{ and }} are literal braces. */
static void test_template__literal_text_and_braces(void **state)
{
	(void)state;
	assert_render("", "");
	assert_render("no expressions here", "no expressions here");
	assert_render("{{not an expression}}", "{not an expression}");
	assert_render("{{{$.org}}}", "{RXN}");
	assert_render("£{@.outturn}m", "£-90.8m");
}

/* The template keeps its text as written, for explain to show. */
static void test_template__keeps_its_source(void **state)
{
	(void)state;
	const char *src = "{{x}} {@.outturn} against {default($.org_name, $.org)}";
	assure_template *t = compile(src, NULL);
	assert_string_equal(assure_template_source(t), src);
	assure_template_free(t);
}

/* A '}' inside a string literal does not end the expression. */
static void test_template__brace_in_string(void **state)
{
	(void)state;
	assert_render("{'}' + $.org + '{'}", "}RXN{");
}

/* Syntax errors carry offsets into the template text. */
static void test_template__errors(void **state)
{
	(void)state;
	assert_template_error("{@.code", "expected an operator or '}'", 7);
	assert_template_error("outturn {@.outturn +}", "expected an expression, found '}'", 20);
	assert_template_error("a {} b", "expected an expression, found '}'", 3);
	assert_template_error("a } b", "unmatched '}' (write '}}' for a brace)", 2);
	assert_template_error("x {nope}", "unknown name 'nope'", 3);
	assert_template_error("x {sum(1, 2, 3)}", "sum() takes 1 or 2 arguments, not 3", 3);
	assert_template_error("x {'abc}", "unterminated string", 3);
}

/* An absent value fails the rendering, naming the expression, rather than printing "absent". */
static void test_template__absent_fails(void **state)
{
	(void)state;
	assert_render_fails("code {@.code} is late", "@.code is absent");
	assert_render_fails("{ @.code }", "@.code is absent");
	assert_render_fails("{1 / 0}", "division by zero");
	assert_render("code {default(@.code, '?')}", "code ?");
}

/* Lets are visible to template parts, and the read flags are those of all the parts. */
static void test_template__lets_and_reads(void **state)
{
	(void)state;
	const char *names_list[] = {"gap"};
	assure_expr_names names = {names_list, 1, NULL, NULL}, none = {names_list, 0, NULL, NULL};
	assure_expr *gap = NULL;
	size_t off;
	assert_int_equal(assure_expr_compile(&gap, "@.control_total - @.outturn", &none, &off), 0);
	assure_template *t = compile("{gap} worse as of {as_of} in {file}", &names);
	assert_int_equal(assure_template_reads(t), ASSURE_EXPR_READS_AS_OF | ASSURE_EXPR_READS_FILE);
	assure_value values[1] = {0};
	unsigned char st[1] = {0};
	assure_expr *lets[1] = {gap};
	assure_eval_ctx c = base_ctx();
	c.let_exprs = lets;
	c.let_values = values;
	c.let_state = st;
	c.let_count = 1;
	c.file = "f.json";
	char *out = NULL, *why = NULL;
	assert_int_equal(assure_template_render(&out, t, &c, &why), 0);
	assert_string_equal(out, "0.8 worse as of 2021-01-13 in f.json");
	free(out);
	assure_value_clear(&values[0]);
	assure_template_free(t);
	assure_expr_free(gap);
	t = compile("plain", NULL);
	assert_int_equal(assure_template_reads(t), 0);
	assure_template_free(t);
	assure_template_free(NULL);
}

/* A template longer than ASSURE_EXPR_MAX_SOURCE bytes is refused. */
static void test_template__source_limit(void **state)
{
	(void)state;
	char *src = malloc(ASSURE_EXPR_MAX_SOURCE + 2);
	memset(src, 'x', ASSURE_EXPR_MAX_SOURCE + 1);
	src[ASSURE_EXPR_MAX_SOURCE + 1] = '\0';
	assert_template_error(src, "template longer than 65536 bytes", ASSURE_EXPR_MAX_SOURCE);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_template__interpolation),
	    cmocka_unit_test(test_template__literal_text_and_braces),
	    cmocka_unit_test(test_template__keeps_its_source),
	    cmocka_unit_test(test_template__brace_in_string),
	    cmocka_unit_test(test_template__errors),
	    cmocka_unit_test(test_template__absent_fails),
	    cmocka_unit_test(test_template__lets_and_reads),
	    cmocka_unit_test(test_template__source_limit),
	};
	return cmocka_run_group_tests_name("template", tests, setup, teardown);
}
