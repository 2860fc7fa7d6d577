/* test_ruleset.c: loading rule files, and the diagnostics for every kind of mistake in them. */
#include "assure/ruleset.h"

#include "assure/buf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/assure-test-ruleset-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *write_file(const char *name, const char *text)
{
	assure_buf p = ASSURE_BUF_INIT;
	assure_buf_printf(&p, "%s/%s", dir, name);
	FILE *f = fopen(p.ptr, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return assure_buf_detach(&p);
}

#define GOOD_RULE                                                                                            \
	"{\"id\": \"FIN-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"finance\",\n"        \
	" \"applies_to\": {\"kind\": \"finance\"}, \"for_each\": \"$.forecast\",\n"                          \
	" \"let\": {\"gap\": \"@.outturn - @.plan\", \"worse\": \"gap < 0\"},\n"                             \
	" \"assert\": \"!worse\", \"message\": \"gap {gap}\", \"subject\": \"$.org\"}"

static const assure_diag *load_one_error(assure_ruleset **rs, assure_diags **d, const char *name,
                                         const char *text)
{
	char *path = write_file(name, text);
	assure_ruleset_new(rs);
	assure_diags_new(d);
	assert_int_equal(assure_ruleset_load(*rs, path, *d), 0);
	free(path);
	assert_int_equal(assure_diags_count(*d), 1);
	return assure_diags_get(*d, 0);
}

/* A valid file loads: rules, params, name, version and the compiled parts are there. */
static void test_ruleset__loads_a_valid_file(void **state)
{
	(void)state;
	char *path = write_file("good.json", "{\"ruleset\": \"demo\", \"version\": \"1.2.0\",\n"
	                                     " \"params\": {\"finance\": {\"tolerance\": 0.5}},\n"
	                                     " \"rules\": [" GOOD_RULE "]}\n");
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, path, d), 0);
	assert_int_equal(assure_diags_count(d), 0);
	assert_int_equal(assure_ruleset_count(rs), 1);
	const assure_rule *r = assure_ruleset_find(rs, "FIN-001");
	assert_non_null(r);
	assert_int_equal(r->severity, ASSURE_SEV_ERROR);
	assert_string_equal(r->kind, "finance");
	assert_int_equal(r->let_count, 2);
	assert_string_equal(r->let_names[1], "worse");
	/* the rule object opens on the third line, after "rules": [ */
	assert_int_equal(r->line, 3);
	assert_non_null(r->subject);
	assert_string_equal(assure_ruleset_name(rs), "demo");
	assert_string_equal(assure_ruleset_version(rs), "1.2.0");
	json_t *tol = json_object_get(json_object_get(assure_ruleset_params(rs), "finance"), "tolerance");
	assert_non_null(tol);
	assert_int_equal(strlen(assure_ruleset_hash(rs)), 40);
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(path);
}

/* An unknown field is reported at its key, with the rule id and the field name. */
static void test_ruleset__unknown_field_names_file_line_rule_and_field(void **state)
{
	(void)state;
	assure_ruleset *rs;
	assure_diags *d;
	const assure_diag *g =
	    load_one_error(&rs, &d, "unknown.json",
	                   "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	                   "{\"id\": \"GOV-001\", \"title\": \"t\", \"severity\": \"warning\",\n"
	                   " \"domain\": \"governance\", \"applies_to\": {\"kind\": \"action_log\"},\n"
	                   " \"assert\": \"true\", \"message\": \"m\", \"serverity\": \"error\"}]}\n");
	assert_non_null(strstr(g->file, "unknown.json"));
	assert_int_equal(g->line, 4);
	assert_int_equal(g->column, 36);
	assert_string_equal(g->rule_id, "GOV-001");
	assert_string_equal(g->field, "serverity");
	assert_string_equal(g->message, "unknown field 'serverity' in a rule");
	assure_diags_free(d);
	assure_ruleset_free(rs);
}

/* A syntax error in an expression points at the column inside the expression and in the file. */
static void test_ruleset__expression_error_has_expression_column(void **state)
{
	(void)state;
	assure_ruleset *rs;
	assure_diags *d;
	const assure_diag *g =
	    load_one_error(&rs, &d, "expr.json",
	                   "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	                   "{\"id\": \"RSK-001\", \"title\": \"t\", \"severity\": \"error\",\n"
	                   " \"domain\": \"risk\", \"applies_to\": {\"kind\": \"risk_register\"},\n"
	                   " \"assert\": \"@.score == @.likelihood * \", \"message\": \"m\"}]}\n");
	assert_int_equal(g->line, 4);
	assert_string_equal(g->rule_id, "RSK-001");
	assert_string_equal(g->field, "assert");
	assert_string_equal(g->excerpt, "@.score == @.likelihood * ");
	/* the problem is at the end of the text, after "* " */
	assert_int_equal(g->expr_column, 27);
	assert_int_equal(g->column, 12 + 27);
	assure_diags_free(d);
	assure_ruleset_free(rs);
}

/* A for_each that is not valid RFC 9535 is a load error in field for_each. */
static void test_ruleset__invalid_jsonpath_is_reported(void **state)
{
	(void)state;
	assure_ruleset *rs;
	assure_diags *d;
	const assure_diag *g = load_one_error(
	    &rs, &d, "path.json",
	    "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	    "{\"id\": \"GOV-003\", \"title\": \"t\", \"severity\": \"error\",\n"
	    " \"domain\": \"governance\", \"applies_to\": {\"kind\": \"action_log\"},\n"
	    " \"for_each\": \"$.actions[?@.lead\", \"assert\": \"true\", \"message\": \"m\"}]}\n");
	assert_string_equal(g->field, "for_each");
	assert_string_equal(g->rule_id, "GOV-003");
	assert_true(g->expr_column >= 1);
	assure_diags_free(d);
	assure_ruleset_free(rs);
}

/* A regular expression PCRE2 rejects is a load error, not a run-time surprise. */
static void test_ruleset__bad_regex_is_a_load_error(void **state)
{
	(void)state;
	assure_ruleset *rs;
	assure_diags *d;
	const assure_diag *g =
	    load_one_error(&rs, &d, "re.json",
	                   "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	                   "{\"id\": \"GOV-004\", \"title\": \"t\", \"severity\": \"info\",\n"
	                   " \"domain\": \"governance\", \"applies_to\": {\"kind\": \"action_log\"},\n"
	                   " \"assert\": \"matches(@.code, '^ICSB(')\", \"message\": \"m\"}]}\n");
	assert_string_equal(g->field, "assert");
	assert_true(g->expr_column > 1);
	assure_diags_free(d);
	assure_ruleset_free(rs);
}

/* Every problem is reported, not only the first: lint lists them all. */
static void test_ruleset__reports_every_problem(void **state)
{
	(void)state;
	char *path = write_file(
	    "many.json",
	    "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	    "{\"id\": \"fin-1\", \"title\": \"t\", \"severity\": \"fatal\", \"domain\": \"d\",\n"
	    " \"applies_to\": {}, \"scope\": \"commit\", \"assert\": \"1 +\", \"message\": \"{\"},\n"
	    "{\"id\": \"GOV-001\", \"severity\": \"info\", \"domain\": \"d\",\n"
	    " \"applies_to\": {\"kind\": \"k\"}, \"assert\": \"true\", \"message\": \"m\"}]}\n");
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, path, d), 0);
	/* id pattern, severity, applies_to, scope, assert, message; missing title */
	assert_int_equal(assure_diags_count(d), 7);
	assert_int_equal(assure_ruleset_count(rs), 0);
	const assure_diag *last = assure_diags_get(d, 6);
	assert_string_equal(last->rule_id, "GOV-001");
	assert_string_equal(last->message, "missing required field 'title' in a rule");
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(path);
}

/* The same id in two files of a rule set is an error naming the first definition. */
static void test_ruleset__duplicate_id_across_files(void **state)
{
	(void)state;
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/set", dir);
	mkdir(sub, 0700);
	char *a = write_file("set/a.json",
	                     "{\"ruleset\": \"x\", \"version\": \"1\", \"params\": {\"p\": {\"q\": 1}},\n"
	                     " \"rules\": [" GOOD_RULE "]}\n");
	char *b = write_file("set/b.json",
	                     "{\"ruleset\": \"x\", \"version\": \"1\", \"params\": {\"p\": {\"q\": 2}},\n"
	                     " \"rules\": [" GOOD_RULE "]}\n");
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, sub, d), 0);
	assert_int_equal(assure_diags_count(d), 2);
	const assure_diag *g0 = assure_diags_get(d, 0), *g1 = assure_diags_get(d, 1);
	assert_non_null(strstr(g0->message, "param 'p.q' is already defined in"));
	assert_non_null(strstr(g1->message, "duplicate rule id 'FIN-001' (first defined in"));
	assert_non_null(strstr(g1->file, "b.json"));
	assert_int_equal(assure_ruleset_count(rs), 1);
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(a);
	free(b);
}

/* A let may not use a name the language reserves, and lets see only earlier lets. */
static void test_ruleset__let_names_are_checked(void **state)
{
	(void)state;
	char *path = write_file(
	    "lets.json", "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	                 "{\"id\": \"A-001\", \"title\": \"t\", \"severity\": \"info\", \"domain\": \"d\",\n"
	                 " \"applies_to\": {\"kind\": \"k\"}, \"let\": {\"as_of\": \"1\", \"a\": \"b + 1\", "
	                 "\"b\": \"2\"},\n"
	                 " \"assert\": \"true\", \"message\": \"m\"}]}\n");
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, path, d), 0);
	assert_int_equal(assure_diags_count(d), 2);
	assert_string_equal(assure_diags_get(d, 0)->message, "'as_of' cannot be a let name");
	assert_string_equal(assure_diags_get(d, 1)->field, "let.a");
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(path);
}

/* A file that is not JSON is one diagnostic with its line and column. */
static void test_ruleset__malformed_file_has_position(void **state)
{
	(void)state;
	assure_ruleset *rs;
	assure_diags *d;
	const assure_diag *g =
	    load_one_error(&rs, &d, "bad.json", "{\"ruleset\": \"x\",\n \"version\" \"1\"}\n");
	assert_int_equal(g->line, 2);
	assert_true(g->column > 0);
	assert_null(g->rule_id);
	assure_diags_free(d);
	assure_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ruleset__loads_a_valid_file),
	    cmocka_unit_test(test_ruleset__unknown_field_names_file_line_rule_and_field),
	    cmocka_unit_test(test_ruleset__expression_error_has_expression_column),
	    cmocka_unit_test(test_ruleset__invalid_jsonpath_is_reported),
	    cmocka_unit_test(test_ruleset__bad_regex_is_a_load_error),
	    cmocka_unit_test(test_ruleset__reports_every_problem),
	    cmocka_unit_test(test_ruleset__duplicate_id_across_files),
	    cmocka_unit_test(test_ruleset__let_names_are_checked),
	    cmocka_unit_test(test_ruleset__malformed_file_has_position),
	};
	return cmocka_run_group_tests_name("ruleset", tests, setup, teardown);
}
