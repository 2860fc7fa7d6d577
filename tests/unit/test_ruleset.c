/* test_ruleset.c: loading rule files, and the diagnostics for every kind of mistake in them. */
#include "assure/ruleset.h"

#include "assure/error.h"

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

/* Helpers of any file of a load are callable from every rule of it, whatever the order of the files. */
static void test_ruleset__helpers_across_files(void **state)
{
	(void)state;
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/set", dir);
	assert_int_equal(system(cmd), 0);
	char *a = write_file(
	    "set/a.json",
	    "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	    "{\"id\": \"FIN-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"finance\",\n"
	    " \"applies_to\": {\"kind\": \"finance\"}, \"assert\": \"worse(@.forecast)\", \"message\": "
	    "\"m\"}]}\n");
	char *b =
	    write_file("set/b.json",
	               "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [],\n"
	               " \"helpers\": {\"worse(f)\": \"gap(f) > 0\", \"gap(f)\": \"f.plan - f.outturn\"}}\n");
	char path[96];
	snprintf(path, sizeof(path), "%s/set", dir);
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, path, d), 0);
	if (assure_diags_count(d))
		fail_msg("%s", assure_diags_get(d, 0)->message);
	assert_int_equal(assure_helpers_count(assure_ruleset_helpers(rs)), 2);
	assert_string_equal(assure_helpers_signature(assure_ruleset_helpers(rs), 0), "worse(f)");
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(a);
	free(b);
}

/* Helper problems point into the helper: its signature, its body, a call with the wrong arity, recursion. */
static void test_ruleset__helper_errors(void **state)
{
	(void)state;
	static const struct {
		const char *helpers;
		const char *message;
		int column, expr_column;
	} cases[] = {
	    /* the key's quote is at column 14 of line 2, a body's quote at 22 (or 38 for the second) */
	    {"{\"f(a, a)\": \"a\"}", "'a' cannot be a parameter name here", 20, 6},
	    {"{\"sum(x)\": \"x\"}", "'sum' is a built-in function", 15, 1},
	    {"{\"f x\": \"1\"}", "expected '(' after the helper name, as in 'f(a, b)'", 17, 3},
	    {"{\"f(x)\": \"x + y\"}", "unknown name 'y'", 27, 5},
	    {"{\"f(x)\": \"g(x)\", \"g(y)\": \"f(y, 1)\"}", "f() takes 1 argument, not 2", 39, 1},
	    {"{\"f(x)\": \"g(x)\", \"g(y)\": \"f(y)\"}",
	     "helper 'f' calls itself (helpers cannot be recursive)", 14, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text),
		         "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [],\n \"helpers\": %s}\n",
		         cases[i].helpers);
		assure_ruleset *rs;
		assure_diags *d;
		const assure_diag *g = load_one_error(&rs, &d, "helper.json", text);
		assert_string_equal(g->message, cases[i].message);
		assert_int_equal(g->line, 2);
		assert_int_equal(g->column, cases[i].column);
		assert_int_equal(g->expr_column, cases[i].expr_column);
		assure_diags_free(d);
		assure_ruleset_free(rs);
	}
}

/* A group rule: its kinds, where and key load; a rule without applies_to needs a group; each binds a name. */
static void test_ruleset__group_and_each(void **state)
{
	(void)state;
	char *path = write_file(
	    "group.json",
	    "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	    "{\"id\": \"FIN-002\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"finance\",\n"
	    " \"group\": {\"kind\": [\"finance\", \"control_totals\"], \"where\": \"$.sector != 'system'\", "
	    "\"by\": {\"year\": \"$.year\"}},\n"
	    " \"assert\": \"len($.returns) < 100\", \"message\": \"{$.key.year}\"},\n"
	    "{\"id\": \"SUB-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"finance\",\n"
	    " \"applies_to\": {\"kind\": \"control_totals\"}, \"each\": {\"month\": \"range(1, 12)\"},\n"
	    " \"let\": {\"later\": \"month + 1\"}, \"assert\": \"later > month\", \"message\": "
	    "\"{month}\"}]}\n");
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, path, d), 0);
	if (assure_diags_count(d))
		fail_msg("%s", assure_diags_get(d, 0)->message);
	const assure_rule *g = assure_ruleset_find(rs, "FIN-002");
	assert_int_equal(g->scope, ASSURE_SCOPE_GROUP);
	assert_int_equal(g->group_kind_count, 2);
	assert_string_equal(g->group_kinds[1], "control_totals");
	assert_int_equal(g->group_by_count, 1);
	assert_string_equal(g->group_by_names[0], "year");
	const assure_rule *e = assure_ruleset_find(rs, "SUB-001");
	assert_string_equal(e->each_name, "month");
	assert_int_equal(e->let_count, 2);
	assert_null(e->lets[0]);
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(path);

	static const struct {
		const char *fields;
		const char *message;
	} bad[] = {
	    {"\"assert\": \"true\"",
	     "missing required field 'applies_to' in a rule (only a rule with 'group' may leave it out)"},
	    {"\"group\": {\"kind\": \"finance\", \"by\": {}}, \"assert\": \"true\"",
	     "'by' must name at least one member of the key"},
	    {"\"group\": {\"kind\": [\"finance\", \"finance\"], \"by\": {\"y\": \"$.year\"}}, \"assert\": "
	     "\"true\"",
	     "kind 'finance' is listed twice"},
	    {"\"group\": {\"kind\": \"finance\", \"by\": {\"y\": \"$.year\"}}, \"scope\": \"return\", "
	     "\"assert\": \"true\"",
	     "a rule with 'group' is evaluated per group: leave out 'scope' or make it 'snapshot'"},
	    {"\"applies_to\": {\"kind\": \"x\"}, \"each\": {\"a\": \"[1]\", \"b\": \"[2]\"}, \"assert\": "
	     "\"true\"",
	     "'each' must have exactly one member: the item's name and the list, as in {\"month\": "
	     "\"range(1, 12)\"}"},
	    {"\"applies_to\": {\"paths\": \"returns/**\"}, \"assert\": \"true\"",
	     "'paths' must be a list of patterns or the name of a param that holds one, such as "
	     "'params.returns.paths', not 'returns/**'"},
	    {"\"applies_to\": {\"paths\": \"params.nope\"}, \"assert\": \"true\"",
	     "param 'nope' cannot give the paths: there is no such param"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[600];
		snprintf(text, sizeof(text),
		         "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
		         "{\"id\": \"T-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"d\", "
		         "\"message\": \"m\",\n %s}]}\n",
		         bad[i].fields);
		const assure_diag *gd = load_one_error(&rs, &d, "bad-group.json", text);
		assert_string_equal(gd->message, bad[i].message);
		assure_diags_free(d);
		assure_ruleset_free(rs);
	}
}

/* A param named by applies_to.paths sets the globs, and setting the param again sets them again. */
static void test_ruleset__paths_from_a_param(void **state)
{
	(void)state;
	char *path =
	    write_file("paths.json", "{\"ruleset\": \"x\", \"version\": \"1\", \"params\": {\"returns\": "
	                             "{\"paths\": [\"returns/**/*.json\"]}, \"n\": 1},\n"
	                             " \"rules\": [{\"id\": \"VAL-001\", \"title\": \"t\", \"severity\": "
	                             "\"error\", \"domain\": \"validity\",\n"
	                             " \"applies_to\": {\"paths\": \"params.returns.paths\"}, \"assert\": "
	                             "\"true\", \"message\": \"m\"}]}\n");
	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	assert_int_equal(assure_ruleset_load(rs, path, d), 0);
	assert_int_equal(assure_diags_count(d), 0);
	const assure_rule *r = assure_ruleset_find(rs, "VAL-001");
	assert_int_equal(r->path_count, 1);
	assert_string_equal(r->paths[0], "returns/**/*.json");
	json_t *two = json_pack("[ss]", "a/*.json", "b/**");
	assert_int_equal(assure_ruleset_set_param(rs, "returns.paths", two, "--param"), 0);
	assert_int_equal(r->path_count, 2);
	assert_string_equal(r->paths[1], "b/**");
	json_t *none = json_array();
	assert_int_equal(assure_ruleset_set_param(rs, "returns.paths", none, "--param"), -1);
	assert_string_equal(
	    assure_error_last(),
	    "param 'returns.paths' gives the paths of VAL-001: it must be a non-empty list of path patterns");
	json_t *text = json_string("1");
	assert_int_equal(assure_ruleset_set_param(rs, "n", text, "--param"), -1);
	assert_string_equal(assure_error_last(), "param 'n' must be a number, not a string");
	assert_int_equal(assure_ruleset_set_param(rs, "m", text, "--param"), -1);
	assert_string_equal(assure_error_last(), "unknown param 'm' (assure rules params lists them)");
	json_decref(two);
	json_decref(none);
	json_decref(text);
	assure_diags_free(d);
	assure_ruleset_free(rs);
	free(path);
}

/* A let that does not compile is one error: what uses it is not reported again as an unknown name. */
static void test_ruleset__one_mistake_one_error(void **state)
{
	(void)state;
	assure_ruleset *rs;
	assure_diags *d;
	const assure_diag *g = load_one_error(
	    &rs, &d, "lowr.json",
	    "{\"ruleset\": \"x\", \"version\": \"1\", \"rules\": [\n"
	    "{\"id\": \"GOV-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"d\",\n"
	    " \"applies_to\": {\"kind\": \"action_log\"},\n"
	    " \"let\": {\"status\": \"lowr(@.status)\", \"open\": \"status != 'closed'\"},\n"
	    " \"assert\": \"open\", \"message\": \"{status}\"}]}\n");
	assert_string_equal(g->message, "unknown function 'lowr'");
	assert_string_equal(g->field, "let.status");
	assert_int_equal(assure_ruleset_count(rs), 0);
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
	    cmocka_unit_test(test_ruleset__helpers_across_files),
	    cmocka_unit_test(test_ruleset__helper_errors),
	    cmocka_unit_test(test_ruleset__group_and_each),
	    cmocka_unit_test(test_ruleset__paths_from_a_param),
	    cmocka_unit_test(test_ruleset__one_mistake_one_error),
	};
	return cmocka_run_group_tests_name("ruleset", tests, setup, teardown);
}
