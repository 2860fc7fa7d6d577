/* test_diag.c: collecting diagnostics and their exact text, caret included. */
#include "assure/diag.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void assert_text(const assure_diag *g, const char *want)
{
	char *got = assure_diag_format(g);
	assert_string_equal(got, want);
	free(got);
}

/* The documented example: location, rule, field, message, expression column, excerpt and caret. */
static void test_diag__expression_caret(void **state)
{
	(void)state;
	assure_diags *d;
	assert_int_equal(assure_diags_new(&d), 0);
	assure_diags_add(d, "broken.json", 11, 50, "FIN-001", "assert", 39,
	                 "@.forecast.outturn >= (@.forecast.plan", "expected '%c'", ')');
	assert_int_equal(assure_diags_count(d), 1);
	assert_text(assure_diags_get(d, 0),
	            "broken.json:11:50: error: FIN-001 assert: expected ')' (column 39)\n"
	            "    @.forecast.outturn >= (@.forecast.plan\n"
	            "                                          ^");
	assure_diags_add(d, "rules/finance.json", 12, 17, "FIN-001", "assert", 22, "@.forecast.outturn < )",
	                 "unexpected ')'");
	assert_text(assure_diags_get(d, 1),
	            "rules/finance.json:12:17: error: FIN-001 assert: unexpected ')' (column 22)\n"
	            "    @.forecast.outturn < )\n"
	            "                         ^");
	assure_diags_free(d);
}

/* Entries keep copies of their strings, in order, and the message is printf-formatted. */
static void test_diag__fields_are_copied(void **state)
{
	(void)state;
	assure_diags *d;
	assure_diags_new(&d);
	char file[] = "a.json", rule[] = "R-1", field[] = "let.gap", excerpt[] = "1 +";
	assure_diags_add(d, file, 3, 4, rule, field, 4, excerpt, "%s %d", "n", 5);
	assure_diags_add(d, NULL, 0, 0, NULL, NULL, 0, NULL, "second");
	memset(file, 'x', 6);
	memset(rule, 'x', 3);
	memset(field, 'x', 7);
	memset(excerpt, 'x', 3);
	const assure_diag *g = assure_diags_get(d, 0);
	assert_string_equal(g->file, "a.json");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->column, 4);
	assert_string_equal(g->rule_id, "R-1");
	assert_string_equal(g->field, "let.gap");
	assert_int_equal(g->expr_column, 4);
	assert_string_equal(g->excerpt, "1 +");
	assert_string_equal(g->message, "n 5");
	g = assure_diags_get(d, 1);
	assert_null(g->file);
	assert_null(g->rule_id);
	assert_null(g->field);
	assert_null(g->excerpt);
	assert_string_equal(g->message, "second");
	assert_null(assure_diags_get(d, 2));
	assure_diags_free(d);
	assure_diags_free(NULL);
}

/* Unknown parts are left out rather than printed as zeros or "(null)". */
static void test_diag__missing_parts(void **state)
{
	(void)state;
	assure_diags *d;
	assure_diags_new(&d);
	assure_diags_add(d, "r.json", 4, 9, "RSK-001", NULL, 0, NULL, "unknown field 'sevrity'");
	assure_diags_add(d, "r.json", 4, 0, NULL, "for_each", 0, NULL, "not a string");
	assure_diags_add(d, "r.json", 0, 0, NULL, NULL, 0, NULL, "cannot read file");
	assure_diags_add(d, NULL, 0, 0, NULL, NULL, 0, NULL, "no rules");
	assure_diags_add(d, "r.json", 2, 3, NULL, NULL, 0, "excerpt without a column", "m");
	assert_text(assure_diags_get(d, 0), "r.json:4:9: error: RSK-001: unknown field 'sevrity'");
	assert_text(assure_diags_get(d, 1), "r.json:4: error: for_each: not a string");
	assert_text(assure_diags_get(d, 2), "r.json: error: cannot read file");
	assert_text(assure_diags_get(d, 3), "error: no rules");
	assert_text(assure_diags_get(d, 4), "r.json:2:3: error: m");
	assure_diags_free(d);
}

/* Columns count characters, so the caret under text with accents or tabs still lines up. */
static void test_diag__caret_counts_characters(void **state)
{
	(void)state;
	assure_diags *d;
	assure_diags_new(&d);
	/* "'café' == )": ')' is character 11 but byte 12 */
	assure_diags_add(d, "f.json", 1, 1, NULL, "assert", 11, "'caf\xc3\xa9' == )", "unexpected ')'");
	assert_text(assure_diags_get(d, 0), "f.json:1:1: error: assert: unexpected ')' (column 11)\n"
	                                    "    'caf\xc3\xa9' == )\n"
	                                    "              ^");
	assure_diags_add(d, "f.json", 1, 1, NULL, "assert", 3, "\t1 $", "unexpected '$'");
	assert_text(assure_diags_get(d, 1), "f.json:1:1: error: assert: unexpected '$' (column 3)\n"
	                                    "    \t1 $\n"
	                                    "    \t ^");
	assure_diags_free(d);
}

/*
 * What a rule file says is shown visibly: a newline or an escape in a member name, a rule id or an
 * expression neither breaks the diagnostic's lines nor reaches the terminal, and the caret stays
 * under its character (found by fuzz_ruleset).
 */
static void test_diag__controls_shown_visibly(void **state)
{
	(void)state;
	assure_diags *d;
	assure_diags_new(&d);
	assure_diags_add(d, "r.json", 4, 3, "A\x1b-001", NULL, 0, NULL, "unknown field 'descripti\n'");
	assert_text(assure_diags_get(d, 0), "r.json:4:3: error: A\\x1b-001: unknown field 'descripti\\n'");
	/* "\x1b[2J )": ')' is character 6, after the escape shown in 4 characters */
	assure_diags_add(d, "r.json", 5, 9, NULL, "assert", 6, "\x1b[2J )", "unexpected ')'");
	assert_text(assure_diags_get(d, 1), "r.json:5:9: error: assert: unexpected ')' (column 6)\n"
	                                    "    \\x1b[2J )\n"
	                                    "            ^");
	assure_diags_free(d);
}

/* A multi-line expression shows only the line with the problem; past the end the caret follows the text. */
static void test_diag__multiline_and_end_of_text(void **state)
{
	(void)state;
	assure_diags *d;
	assure_diags_new(&d);
	/* characters: "a &&" 1-4, '\n' 5, "b )" 6-8: ')' is column 8 */
	assure_diags_add(d, "m.json", 7, 2, NULL, "assert", 8, "a &&\nb )", "unexpected ')'");
	assert_text(assure_diags_get(d, 0), "m.json:7:2: error: assert: unexpected ')' (column 8)\n"
	                                    "    b )\n"
	                                    "      ^");
	assure_diags_add(d, "m.json", 7, 2, NULL, "assert", 4, "1 +", "unexpected end of expression");
	assert_text(assure_diags_get(d, 1),
	            "m.json:7:2: error: assert: unexpected end of expression (column 4)\n"
	            "    1 +\n"
	            "       ^");
	assure_diags_free(d);
}

/* Sorting puts problems in file, line, column order, and equal places keep the order they were found in. */
static void test_diag__sort_orders_by_place_and_is_stable(void **state)
{
	(void)state;
	assure_diags *d;
	assure_diags_new(&d);
	assure_diags_add(d, "b.json", 1, 1, NULL, NULL, 0, NULL, "b first");
	assure_diags_add(d, "a.json", 23, 7, NULL, NULL, 0, NULL, "a 23");
	assure_diags_add(d, "a.json", 17, 19, NULL, NULL, 0, NULL, "a 17 second");
	assure_diags_add(d, "a.json", 17, 3, NULL, NULL, 0, NULL, "a 17 col 3");
	assure_diags_add(d, "a.json", 17, 19, NULL, NULL, 0, NULL, "a 17 third");
	assure_diags_sort(d);
	const char *want[] = {"a 17 col 3", "a 17 second", "a 17 third", "a 23", "b first"};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(assure_diags_get(d, i)->message, want[i]);
	assure_diags_free(d);
}

/* A control character in a rule file's name, message or excerpt is shown escaped, caret aligned. */
static void test_diag__controls_shown_escaped(void **state)
{
	(void)state;
	assure_diags *d;
	assert_int_equal(assure_diags_new(&d), 0);
	assure_diags_add(d, "r\n.json", 1, 2, NULL, NULL, 0, NULL, "unknown field '\x1b[2J'");
	assure_diags_add(d, "r.json", 3, 4, "T-001", "assert", 4,
	                 "\x07"
	                 "a b",
	                 "expected ')'");
	assert_text(assure_diags_get(d, 0), "r\\n.json:1:2: error: unknown field '\\x1b[2J'");
	assert_text(assure_diags_get(d, 1), "r.json:3:4: error: T-001 assert: expected ')' (column 4)\n"
	                                    "    \\x07a b\n"
	                                    "          ^");
	assure_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_diag__expression_caret),
	    cmocka_unit_test(test_diag__fields_are_copied),
	    cmocka_unit_test(test_diag__missing_parts),
	    cmocka_unit_test(test_diag__caret_counts_characters),
	    cmocka_unit_test(test_diag__controls_shown_visibly),
	    cmocka_unit_test(test_diag__multiline_and_end_of_text),
	    cmocka_unit_test(test_diag__sort_orders_by_place_and_is_stable),
	    cmocka_unit_test(test_diag__controls_shown_escaped),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
