/* test_engine.c: evaluating rules over snapshots: positions, parse and evaluation failures, scopes, reuse. */
#include "assure/engine.h"

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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[64];

static void write_file(const char *name, const char *text)
{
	assure_buf p = ASSURE_BUF_INIT;
	assure_buf_printf(&p, "%s/%s", dir, name);
	char *slash = strrchr(p.ptr, '/');
	*slash = '\0';
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p.ptr);
	assert_int_equal(system(cmd), 0);
	*slash = '/';
	FILE *f = fopen(p.ptr, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assure_buf_free(&p);
}

static const char *rules_json =
    "{\"ruleset\": \"t\", \"version\": \"1\", \"params\": {\"tol\": 0},\n"
    " \"rules\": [\n"
    "  {\"id\": \"FIN-001\", \"title\": \"deficit\", \"severity\": \"error\", \"domain\": \"finance\",\n"
    "   \"applies_to\": {\"kind\": \"finance\"}, \"for_each\": \"$.forecast.outturn\",\n"
    "   \"let\": {\"ct\": \"file_doc('ct.json').orgs[$.org]\"},\n"
    "   \"assert\": \"@ >= ct - params.tol\", \"message\": \"{@} against {ct}\", \"subject\": \"$.org\"},\n"
    "  {\"id\": \"GOV-001\", \"title\": \"overdue\", \"severity\": \"warning\", \"domain\": \"governance\",\n"
    "   \"applies_to\": {\"paths\": [\"board/*.json\"]}, \"for_each\": \"$.actions[*]\",\n"
    "   \"assert\": \"date(@.due) >= as_of\", \"message\": \"{@.code} overdue\", \"subject\": \"@.code\"},\n"
    "  {\"id\": \"FIN-002\", \"title\": \"system\", \"severity\": \"error\", \"domain\": \"finance\",\n"
    "   \"applies_to\": {\"kind\": \"finance\", \"paths\": [\"finance/r*.json\"]}, \"scope\": \"snapshot\", "
    "\"for_each\": "
    "\"$.returns[*].doc\",\n"
    "   \"assert\": \"@.forecast.outturn > -50\", \"message\": \"{@.org} below -50\", \"subject\": "
    "\"@.org\"},\n"
    "  {\"id\": \"FIN-003\", \"title\": \"surplus\", \"severity\": \"info\", \"domain\": \"finance\",\n"
    "   \"applies_to\": {\"kind\": \"finance\"}, \"assert\": \"$.forecast.outturn <= 0\", \"message\": "
    "\"surplus\"}\n"
    " ]}\n";

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/assure-test-engine-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	write_file("rules/r.json", rules_json);
	write_file("snap/ct.json",
	           "{\"kind\": \"control_totals\", \"orgs\": {\"RXN\": -20.6, \"RXR\": -16.6}}\n");
	write_file("snap/finance/rxn.json", "{\"kind\": \"finance\", \"org\": \"RXN\",\n"
	                                    "  \"forecast\": {\"outturn\": -20.6}}\n");
	write_file("snap/finance/rxr.json", "{\"kind\": \"finance\", \"org\": \"RXR\",\n"
	                                    "  \"forecast\": {\n"
	                                    "    \"outturn\": -57.7}}\n");
	write_file("snap/finance/rtx.json",
	           "{\"kind\": \"finance\", \"org\": \"RTX\", \"forecast\": {\"outturn\": 1}}\n");
	write_file("snap/finance/dup.json", "{\"kind\": \"finance\",\n \"org\": \"X\",\n \"org\": \"Y\"}\n");
	write_file("snap/board/actions.json",
	           "{\"actions\": [\n {\"code\": \"A1\", \"due\": \"2020-12-31\"},\n"
	           " {\"code\": \"A2\", \"due\": \"On-going\"},\n"
	           " {\"code\": \"A3\", \"due\": \"2021-02-01\"}]}\n");
	write_file("snap/notes.txt", "not json, and no rule reads it\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

typedef struct fixture {
	assure_ruleset *rs;
	assure_snapshot *snap;
	assure_engine *engine;
	assure_findings *findings;
	assure_check_result result;
} fixture;

static void run_in(fixture *fx, const char *rules, const char *snap)
{
	char path[128];
	assure_diags *d;
	assure_ruleset_new(&fx->rs);
	assure_diags_new(&d);
	snprintf(path, sizeof(path), "%s/%s", dir, rules);
	assert_int_equal(assure_ruleset_load(fx->rs, path, d), 0);
	if (assure_diags_count(d))
		fail_msg("rule diagnostics: %s", assure_diags_get(d, 0)->message);
	assure_diags_free(d);
	snprintf(path, sizeof(path), "%s/%s", dir, snap);
	const char *paths[] = {path};
	assert_int_equal(assure_snapshot_from_paths(&fx->snap, paths, 1), 0);
	assure_engine_new(&fx->engine, fx->rs);
	assure_findings_new(&fx->findings);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	assert_int_equal(assure_date_parse_iso(&opts.as_of, "2021-01-13"), 0);
	assert_int_equal(assure_engine_check(fx->engine, fx->snap, &opts, fx->findings, &fx->result), 0);
	assure_findings_sort(fx->findings);
}

static void run(fixture *fx)
{
	run_in(fx, "rules", "snap");
}

static void done(fixture *fx)
{
	assure_findings_free(fx->findings);
	assure_engine_free(fx->engine);
	assure_snapshot_free(fx->snap);
	assure_ruleset_free(fx->rs);
}

static const assure_finding *find(const fixture *fx, const char *rule, const char *subject)
{
	for (size_t i = 0; i < assure_findings_count(fx->findings); i++) {
		const assure_finding *f = assure_findings_get(fx->findings, i);
		if (strcmp(f->rule_id, rule) == 0 && (!subject || strcmp(f->subject, subject) == 0))
			return f;
	}
	return NULL;
}

/* The finding in the file at path whose message mentions text. */
static const assure_finding *find_in(const fixture *fx, const char *path, const char *text)
{
	for (size_t i = 0; i < assure_findings_count(fx->findings); i++) {
		const assure_finding *f = assure_findings_get(fx->findings, i);
		if (strcmp(f->path, path) == 0 && strstr(f->message, text))
			return f;
	}
	return NULL;
}

/* A folder under the fixture's temporary directory read as a snapshot. */
static assure_snapshot *snapshot_of(const char *folder)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, folder);
	const char *paths[] = {path};
	assure_snapshot *snap;
	assert_int_equal(assure_snapshot_from_paths(&snap, paths, 1), 0);
	return snap;
}

/* The findings of the fixture's engine on snap as of the date (caller frees). */
static assure_findings *check_with(fixture *fx, const assure_snapshot *snap, const char *as_of)
{
	assure_findings *out;
	assure_findings_new(&out);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	assert_int_equal(assure_date_parse_iso(&opts.as_of, as_of), 0);
	assert_int_equal(assure_engine_check(fx->engine, snap, &opts, out, NULL), 0);
	return out;
}

static size_t count_rule(const assure_findings *l, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < assure_findings_count(l); i++)
		n += strcmp(assure_findings_get(l, i)->rule_id, rule) == 0;
	return n;
}

/* A finding points at the exact line and column of its node, with the rendered message and subject. */
static void test_engine__finding_has_line_column_and_message(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	const assure_finding *f = find(&fx, "FIN-001", "RXR");
	assert_non_null(f);
	assert_string_equal(f->path, "finance/rxr.json");
	assert_string_equal(f->pointer, "/forecast/outturn");
	assert_int_equal(f->line, 3);
	assert_int_equal(f->column, 16);
	assert_string_equal(f->message, "-57.7 against -16.6");
	assert_null(find(&fx, "FIN-001", "RXN"));
	done(&fx);
}

/* Duplicate keys make a file ASSURE-PARSE with the position; other files are still checked. */
static void test_engine__duplicate_key_is_parse_finding(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	const assure_finding *f = find(&fx, ASSURE_RULE_PARSE, NULL);
	assert_non_null(f);
	assert_string_equal(f->path, "finance/dup.json");
	assert_int_equal(f->line, 3);
	assert_non_null(strstr(f->message, "org"));
	assert_int_equal(fx.result.parse_failures, 1);
	assert_non_null(find(&fx, "GOV-001", "A1"));
	done(&fx);
}

/* A value that cannot be evaluated is ASSURE-EVAL naming the rule, the node and why: never a pass. */
static void test_engine__absent_or_wrong_value_is_eval_finding(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	/* RTX has no control total in ct.json: ct is absent */
	const assure_finding *f = find(&fx, ASSURE_RULE_EVAL, "FIN-001 /forecast/outturn");
	assert_non_null(f);
	assert_string_equal(f->path, "finance/rtx.json");
	assert_non_null(strstr(f->message, "FIN-001 could not be evaluated at '/forecast/outturn'"));
	assert_non_null(strstr(f->message, "absent"));
	/* 'On-going' is not a date */
	f = find(&fx, ASSURE_RULE_EVAL, "GOV-001 /actions/1");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "On-going"));
	assert_int_equal(fx.result.eval_failures, 2);
	done(&fx);
}

/* An assert that is absent or not a boolean, and an absent subject, are ASSURE-EVAL naming the expression. */
static void test_engine__non_boolean_assert_and_absent_subject_name_the_expression(void **state)
{
	(void)state;
	write_file("rules-b/r.json",
	           "{\"ruleset\": \"b\", \"version\": \"1\", \"rules\": [\n"
	           " {\"id\": \"T-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"d\",\n"
	           "  \"applies_to\": {\"kind\": \"finance\"}, \"assert\": \"@.flag\", \"message\": \"m\"},\n"
	           " {\"id\": \"T-002\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"d\",\n"
	           "  \"applies_to\": {\"kind\": \"finance\"}, \"assert\": \"false\", \"message\": \"m\",\n"
	           "  \"subject\": \"$.code\"},\n"
	           " {\"id\": \"T-003\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"d\",\n"
	           "  \"applies_to\": {\"paths\": [\"b.json\"]}, \"assert\": \"1\", \"message\": \"m\"}]}\n");
	write_file("snap-b/a.json", "{\"kind\": \"finance\"}\n");
	write_file("snap-b/b.json", "{\"kind\": \"finance\", \"flag\": 3, \"code\": \"B\"}\n");
	fixture fx = {0};
	run_in(&fx, "rules-b", "snap-b");
	const assure_finding *f = find_in(&fx, "a.json", "T-001");
	assert_non_null(f);
	assert_string_equal(f->rule_id, ASSURE_RULE_EVAL);
	assert_string_equal(
	    f->message, "T-001 could not be evaluated at '/' (assert): @.flag is absent, not true or false");
	assert_string_equal(f->subject, "T-001");
	f = find_in(&fx, "b.json", "T-001");
	assert_non_null(f);
	assert_string_equal(f->message,
	                    "T-001 could not be evaluated at '/' (assert): @.flag is 3, not true or false");
	/* T-002 fails everywhere; a.json has no code, so its identity cannot be formed */
	f = find_in(&fx, "a.json", "T-002");
	assert_non_null(f);
	assert_string_equal(f->rule_id, ASSURE_RULE_EVAL);
	assert_string_equal(f->message, "T-002 could not be evaluated at '/' (subject): $.code is absent");
	assert_non_null(find(&fx, "T-002", "B"));
	/* a literal is not described twice */
	const assure_finding *lit = find(&fx, ASSURE_RULE_EVAL, "T-003");
	assert_non_null(lit);
	assert_string_equal(lit->message,
	                    "T-003 could not be evaluated at '/' (assert): 1 is not true or false");
	assert_int_equal(fx.result.eval_failures, 4);
	done(&fx);
}

/* Date rules use as_of: only the action due before it is overdue. */
static void test_engine__date_rule_uses_as_of(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	const assure_finding *f = find(&fx, "GOV-001", "A1");
	assert_non_null(f);
	assert_int_equal(f->line, 2);
	assert_int_equal(f->column, 2);
	assert_null(find(&fx, "GOV-001", "A3"));
	done(&fx);
}

/* A snapshot-scope finding points into the return its node lies in. */
static void test_engine__snapshot_rule_points_into_its_file(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	const assure_finding *f = find(&fx, "FIN-002", "RXR");
	assert_non_null(f);
	assert_string_equal(f->path, "finance/rxr.json");
	assert_string_equal(f->pointer, "");
	assert_int_equal(f->line, 1);
	assert_int_equal(f->column, 1);
	done(&fx);
}

/* Files no rule reads are neither parsed nor reported; rules select by kind and by path. */
static void test_engine__unselected_files_are_ignored(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	for (size_t i = 0; i < assure_findings_count(fx.findings); i++)
		assert_string_not_equal(assure_findings_get(fx.findings, i)->path, "notes.txt");
	assert_int_equal(fx.result.files_seen, 7);
	/* ct.json is read by file_doc but no rule applies to it */
	assert_int_equal(fx.result.files_checked, 4);
	done(&fx);
}

/* A second check of the same snapshot parses nothing again and reuses what depends only on the
 * blob, on as_of while it is the same, and on other files while they are the same; another
 * as_of re-evaluates the date rules. */
static void test_engine__second_check_reuses_parses_and_findings(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	assure_engine_stats before, after;
	assure_engine_get_stats(fx.engine, &before);
	assure_findings *again;
	assure_findings_new(&again);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	assert_int_equal(assure_date_parse_iso(&opts.as_of, "2021-01-13"), 0);
	assure_check_result result;
	assert_int_equal(assure_engine_check(fx.engine, fx.snap, &opts, again, &result), 0);
	assure_engine_get_stats(fx.engine, &after);
	assert_int_equal(after.blobs_parsed, before.blobs_parsed);
	assert_int_equal(assure_findings_count(again), assure_findings_count(fx.findings));
	assert_int_equal(result.eval_failures, fx.result.eval_failures);
	/* FIN-003 reads only the blob: its one finding (RTX's surplus) is reused; GOV-001 reads
	 * as_of, the same again: its overdue A1 and the ASSURE-EVAL of A2 are reused; FIN-001 reads
	 * ct.json, unchanged: RXR's breach and RTX's ASSURE-EVAL are reused; the snapshot rule
	 * FIN-002 selects the same files: RXR below -50 is reused; so is the ASSURE-PARSE of
	 * dup.json, the same blob. Nothing is evaluated. */
	assert_int_equal(after.findings_reused - before.findings_reused, 7);
	assert_int_equal(after.evaluations - before.evaluations, 0);
	assure_findings_free(again);

	/* a month later A3 is overdue too: GOV-001 is evaluated again; FIN-001, FIN-002 and FIN-003
	 * read no date and are still reused, as is dup.json's ASSURE-PARSE */
	assure_findings *later;
	assure_findings_new(&later);
	assert_int_equal(assure_date_parse_iso(&opts.as_of, "2021-03-01"), 0);
	assure_engine_get_stats(fx.engine, &before);
	assert_int_equal(assure_engine_check(fx.engine, fx.snap, &opts, later, &result), 0);
	assure_engine_get_stats(fx.engine, &after);
	assert_int_equal(after.findings_reused - before.findings_reused, 5);
	assert_int_equal(after.evaluations - before.evaluations, 3);
	assert_int_equal(count_rule(later, "GOV-001"), 2);
	assure_findings_free(later);
	done(&fx);
}

/* A rule that reads another file is evaluated again when that file changes, and only then. */
static void test_engine__file_doc_rules_follow_the_files_they_read(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	assert_non_null(find(&fx, "FIN-001", "RXR"));
	write_file("snap-ct/ct.json",
	           "{\"kind\": \"control_totals\", \"orgs\": {\"RXN\": -20.6, \"RXR\": -60}}\n");
	write_file("snap-ct/finance/rxr.json", "{\"kind\": \"finance\", \"org\": \"RXR\",\n"
	                                       "  \"forecast\": {\n"
	                                       "    \"outturn\": -57.7}}\n");
	assure_snapshot *snap = snapshot_of("snap-ct");
	assure_findings *now = check_with(&fx, snap, "2021-01-13");
	/* rxr.json is the same blob, but its control total is now -60: no breach */
	assert_int_equal(count_rule(now, "FIN-001"), 0);
	assure_findings_free(now);
	assure_snapshot_free(snap);
	done(&fx);
}

/* A snapshot rule is evaluated again when a file it selects changes; checking the first snapshot
 * again reuses nothing stale. */
static void test_engine__snapshot_rules_follow_the_files_they_select(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	assert_non_null(find(&fx, "FIN-002", "RXR"));
	write_file("snap-s/finance/rxr.json", "{\"kind\": \"finance\", \"org\": \"RXR\",\n"
	                                      "  \"forecast\": {\"outturn\": -40}}\n");
	assure_snapshot *snap = snapshot_of("snap-s");
	assure_findings *now = check_with(&fx, snap, "2021-01-13");
	assert_int_equal(count_rule(now, "FIN-002"), 0);
	assure_findings_free(now);
	/* and back: the first snapshot's breach is found again */
	now = check_with(&fx, fx.snap, "2021-01-13");
	assert_int_equal(count_rule(now, "FIN-002"), 1);
	assure_findings_free(now);
	assure_snapshot_free(snap);
	done(&fx);
}

/* Retaining an empty set drops every parse (checking again parses anew); retaining the snapshot keeps them.
 */
static void test_engine__retain_drops_only_blobs_outside_the_snapshots(void **state)
{
	(void)state;
	fixture fx = {0};
	run(&fx);
	size_t cached = assure_engine_cached(fx.engine);
	assert_true(cached > 0);
	const assure_snapshot *keep[] = {fx.snap};
	assure_engine_retain(fx.engine, keep, 1);
	assert_int_equal(assure_engine_cached(fx.engine), cached);
	assure_engine_stats before, after;
	assure_engine_get_stats(fx.engine, &before);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	assert_int_equal(assure_date_parse_iso(&opts.as_of, "2021-01-13"), 0);
	assure_findings *again;
	assure_findings_new(&again);
	assert_int_equal(assure_engine_check(fx.engine, fx.snap, &opts, again, NULL), 0);
	assure_engine_get_stats(fx.engine, &after);
	assert_int_equal(after.blobs_parsed, before.blobs_parsed);
	assert_int_equal(assure_findings_count(again), assure_findings_count(fx.findings));
	assure_findings_free(again);

	assure_engine_retain(fx.engine, NULL, 0);
	assert_int_equal(assure_engine_cached(fx.engine), 0);
	assure_findings_new(&again);
	assert_int_equal(assure_engine_check(fx.engine, fx.snap, &opts, again, NULL), 0);
	assure_engine_get_stats(fx.engine, &before);
	assert_int_equal(before.blobs_parsed - after.blobs_parsed, cached);
	/* the results of the last check are kept (an update takes them back when their files
	 * change): every finding is reused, though every blob is parsed again */
	assert_int_equal(before.findings_reused - after.findings_reused, assure_findings_count(fx.findings));
	assert_int_equal(assure_findings_count(again), assure_findings_count(fx.findings));
	assure_findings_free(again);
	done(&fx);
}

static const char *let_go_rules_json =
    "{\"ruleset\": \"l\", \"version\": \"1\", \"rules\": [\n"
    "  {\"id\": \"LGO-001\", \"title\": \"overdue\", \"severity\": \"warning\", \"domain\": \"governance\",\n"
    "   \"applies_to\": {\"kind\": \"action_log\"}, \"for_each\": \"$.actions[*]\",\n"
    "   \"assert\": \"date(@.due) >= as_of\", \"message\": \"{@.code} overdue\", \"subject\": \"@.code\"},\n"
    "  {\"id\": \"LGO-002\", \"title\": \"has a table\", \"severity\": \"warning\", \"domain\": "
    "\"finance\",\n"
    "   \"applies_to\": {\"kind\": \"finance\"}, \"let\": {\"t\": \"the('table', {year: $.year})\"},\n"
    "   \"assert\": \"len(t.doc.orgs) > 1\", \"message\": \"a table of one\", \"subject\": \"$.org\"}\n"
    " ]}\n";

/* Each finding of l as "rule path:line:column subject message", one a line (caller frees). */
static char *describe_all(assure_findings *l)
{
	assure_findings_sort(l);
	assure_buf b = ASSURE_BUF_INIT;
	for (size_t i = 0; i < assure_findings_count(l); i++) {
		const assure_finding *f = assure_findings_get(l, i);
		assure_buf_printf(&b, "%s %s:%d:%d %s %s\n", f->rule_id, f->path, f->line, f->column,
		                  f->subject, f->message);
	}
	return b.ptr ? assure_buf_detach(&b) : assure_xstrdup("");
}

/*
 * A return whose kind no other file's rules read is let go once its own rules have run (the
 * action log here; the table stays, read by LGO-002's lookup). Its findings are reused without
 * parsing it again; its kind and org are still known; and a new day that makes its date rule
 * run again parses it again, with the findings a fresh engine gives, in the same places.
 */
static void test_engine__returns_read_by_no_other_rule_are_let_go(void **state)
{
	(void)state;
	write_file("lrules/l.json", let_go_rules_json);
	write_file("lsnap/log.json", "{\"kind\": \"action_log\", \"org\": \"RXN\", \"actions\": [\n"
	                             "  {\"code\": \"A1\", \"due\": \"2021-01-31\"},\n"
	                             "  {\"code\": \"A2\", \"due\": \"2021-03-01\"}]}\n");
	write_file("lsnap/fin.json", "{\"kind\": \"finance\", \"org\": \"RXN\", \"year\": \"2020-21\"}\n");
	write_file("lsnap/t.json", "{\"kind\": \"table\", \"year\": \"2020-21\", \"orgs\": [\"RXN\"]}\n");
	fixture fx = {0};
	run_in(&fx, "lrules", "lsnap");
	assure_engine_stats st0, st1;
	assure_engine_get_stats(fx.engine, &st0);
	/* log.json and fin.json are let go; t.json, which a lookup reads, is not */
	assert_int_equal(st0.returns_let_go, 2);
	assert_int_equal(count_rule(fx.findings, "LGO-001"), 0);
	assert_int_equal(count_rule(fx.findings, "LGO-002"), 1);
	long log = assure_snapshot_find(fx.snap, "log.json");
	assert_true(log >= 0);
	json_t *org = assure_engine_top(fx.engine, fx.snap, (size_t)log, "org");
	assert_string_equal(json_string_value(org), "RXN");
	assert_null(assure_engine_top(fx.engine, fx.snap, (size_t)log, "actions"));

	/* the same day again: everything reused, nothing parsed */
	assure_findings *same = check_with(&fx, fx.snap, "2021-01-13");
	assure_engine_get_stats(fx.engine, &st1);
	assert_int_equal(st1.blobs_parsed, st0.blobs_parsed);
	assert_int_equal(assure_findings_count(same), assure_findings_count(fx.findings));
	assure_findings_free(same);

	/* a month later A1 is overdue: the log alone is parsed again, and let go again */
	assure_findings *later = check_with(&fx, fx.snap, "2021-02-15");
	assure_engine_stats st2;
	assure_engine_get_stats(fx.engine, &st2);
	assert_int_equal(st2.blobs_parsed - st1.blobs_parsed, 1);
	assert_int_equal(st2.returns_let_go - st1.returns_let_go, 1);
	assure_engine *fresh;
	assure_engine_new(&fresh, fx.rs);
	assure_findings *want;
	assure_findings_new(&want);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	assert_int_equal(assure_date_parse_iso(&opts.as_of, "2021-02-15"), 0);
	assert_int_equal(assure_engine_check(fresh, fx.snap, &opts, want, NULL), 0);
	char *got = describe_all(later), *expected = describe_all(want);
	assert_string_equal(got, expected);
	assert_non_null(strstr(got, "LGO-001 log.json:2:3 A1 A1 overdue"));
	free(got);
	free(expected);
	assure_findings_free(want);
	assure_findings_free(later);
	assure_engine_free(fresh);
	done(&fx);
}

static const char *group_rules_json =
    "{\"ruleset\": \"g\", \"version\": \"1\", \"rules\": [\n"
    "  {\"id\": \"SUM-001\", \"title\": \"year total\", \"severity\": \"error\", \"domain\": \"finance\",\n"
    "   \"group\": {\"kind\": \"finance\", \"where\": \"$?.sector != 'system'\", \"by\": {\"year\": "
    "\"$.year\"}},\n"
    "   \"let\": {\"total\": \"sum($.returns[*], r -> r.doc.outturn)\"},\n"
    "   \"assert\": \"total >= -50\", \"message\": \"{len($.returns)} returns add up to {total}\"},\n"
    "  {\"id\": \"CT-001\", \"title\": \"has a table\", \"severity\": \"warning\", \"domain\": \"finance\",\n"
    "   \"applies_to\": {\"kind\": \"finance\"}, \"let\": {\"t\": \"the('table', {year: $.year})\"},\n"
    "   \"assert\": \"exists(t)\", \"message\": \"no table for {$.year}\", \"subject\": \"$.org\"},\n"
    "  {\"id\": \"MON-001\", \"title\": \"months\", \"severity\": \"info\", \"domain\": \"finance\",\n"
    "   \"applies_to\": {\"kind\": \"table\"}, \"each\": {\"m\": \"range(1, 3)\"},\n"
    "   \"assert\": \"len(returns('finance', {year: $.year, month: m})) > 0\", \"message\": \"no month "
    "{m}\"}\n"
    " ]}\n";

static void write_group_snapshot(const char *folder, const char *a_outturn)
{
	char path[128], text[256];
	snprintf(path, sizeof(path), "%s/a.json", folder);
	snprintf(
	    text, sizeof(text),
	    "{\"kind\": \"finance\", \"org\": \"A\", \"year\": \"2020-21\", \"month\": 1, \"outturn\": %s}\n",
	    a_outturn);
	write_file(path, text);
	snprintf(path, sizeof(path), "%s/b.json", folder);
	write_file(path, "{\"kind\": \"finance\", \"org\": \"B\", \"year\": \"2020-21\", \"month\": 2, "
	                 "\"outturn\": -30}\n");
	snprintf(path, sizeof(path), "%s/sys.json", folder);
	write_file(path, "{\"kind\": \"finance\", \"org\": \"S\", \"sector\": \"system\", \"year\": "
	                 "\"2020-21\", \"outturn\": -999}\n");
	snprintf(path, sizeof(path), "%s/c.json", folder);
	write_file(path, "{\"kind\": \"finance\", \"org\": \"C\", \"year\": \"2021-22\", \"month\": 1, "
	                 "\"outturn\": -10}\n");
	snprintf(path, sizeof(path), "%s/t.json", folder);
	write_file(path, "{\"kind\": \"table\", \"year\": \"2020-21\"}\n");
}

/*
 * A group rule is evaluated once per group (its subject the key), lookups find returns by kind
 * and key, each gives one evaluation per item; a second snapshot re-evaluates only the group
 * whose member changed.
 */
static void test_engine__groups_lookups_and_each(void **state)
{
	(void)state;
	write_file("grules/g.json", group_rules_json);
	write_group_snapshot("g1", "-25");
	write_group_snapshot("g2", "-15");
	fixture fx = {0};
	run_in(&fx, "grules", "g1");
	const assure_finding *f = find(&fx, "SUM-001", "2020-21");
	assert_non_null(f);
	assert_string_equal(f->message, "2 returns add up to -55");
	assert_null(find(&fx, "SUM-001", "2021-22")); /* -10 alone is within */
	assert_non_null(find(&fx, "CT-001", "C"));    /* no table for 2021-22 */
	assert_null(find(&fx, "CT-001", "A"));
	f = find(&fx, "MON-001", " 3");
	assert_non_null(f);
	assert_string_equal(f->message, "no month 3");
	assert_string_equal(f->path, "t.json");
	assert_null(find(&fx, "MON-001", " 1"));
	assert_int_equal(fx.result.eval_failures, 0);

	/* a's outturn changes: its group is evaluated again, 2021-22 is reused */
	assure_engine_stats before, after;
	assure_engine_get_stats(fx.engine, &before);
	assure_snapshot *s2 = snapshot_of("g2");
	assure_findings *l = check_with(&fx, s2, "2021-01-13");
	assure_engine_get_stats(fx.engine, &after);
	assert_int_equal(count_rule(l, "SUM-001"), 0);
	assert_true(after.findings_reused > before.findings_reused);
	assure_findings_free(l);
	assure_snapshot_free(s2);
	done(&fx);
}

/* A return that cannot be read stops the groups and lookups it could belong to, and only those. */
static void test_engine__unreadable_returns_in_groups_and_lookups(void **state)
{
	(void)state;
	write_file("grules/g.json", group_rules_json);
	write_group_snapshot("g3", "-25");
	/* cut short after its year: it belongs to 2020-21, as far as can be read */
	write_file("g3/d.json", "{\"kind\": \"finance\", \"org\": \"D\", \"year\": \"2020-21\", \"month\": ");
	fixture fx = {0};
	run_in(&fx, "grules", "g3");
	assert_null(find(&fx, "SUM-001", "2020-21"));
	const assure_finding *f = find_in(&fx, "d.json", "SUM-001 could not be evaluated");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "d.json could not be read"));
	/* the other year's group is still evaluated, and passes */
	assert_null(find_in(&fx, "c.json", "SUM-001"));
	/* MON-001 looks up 2020-21 finance returns: d.json could be one of them */
	f = find_in(&fx, "t.json", "MON-001 could not be evaluated");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "d.json could not be read"));
	/* CT-001 looks up tables, which d.json (a finance return, as far as can be read) is not */
	assert_non_null(find(&fx, "CT-001", "C"));
	done(&fx);
}

/*
 * A return whose findings are reused is checked again after its lookups have made the engine
 * parse many new files (the snapshot index): what it holds of its own parse must survive that.
 * Under the sanitizers of ci/test this failed when a parse's slot moved as the cache grew.
 */
static void test_engine__reuse_survives_a_growing_parse_cache(void **state)
{
	(void)state;
	write_file(
	    "lrules/r.json",
	    "{\"ruleset\": \"l\", \"version\": \"1\", \"rules\": [\n"
	    "  {\"id\": \"CT-001\", \"title\": \"t\", \"severity\": \"warning\", \"domain\": \"finance\",\n"
	    "   \"applies_to\": {\"kind\": \"finance\"}, \"let\": {\"t\": \"the('table', {year: "
	    "$.year})\"},\n"
	    "   \"assert\": \"exists(t)\", \"message\": \"no table\", \"subject\": \"$.org\"}]}\n");
	write_file("l1/a.json", "{\"kind\": \"finance\", \"org\": \"A\", \"year\": \"2020-21\"}\n");
	write_file("l2/a.json", "{\"kind\": \"finance\", \"org\": \"A\", \"year\": \"2020-21\"}\n");
	for (int i = 0; i < 300; i++) {
		char name[64], text[96];
		snprintf(name, sizeof(name), "l2/z/%03d.json", i);
		snprintf(text, sizeof(text), "{\"kind\": \"other\", \"n\": %d}\n", i);
		write_file(name, text);
	}
	/* the table it looks up appears, so its findings are computed again, after the index is built */
	write_file("l2/z/table.json", "{\"kind\": \"table\", \"year\": \"2020-21\"}\n");
	fixture fx = {0};
	run_in(&fx, "lrules", "l1");
	assert_non_null(find(&fx, "CT-001", "A"));
	assure_snapshot *s2 = snapshot_of("l2");
	assure_findings *l = check_with(&fx, s2, "2021-01-13");
	assert_int_equal(count_rule(l, "CT-001"), 0);
	/* a.json is the same blob in both snapshots: 1 + 300 + the table */
	assert_int_equal(assure_engine_cached(fx.engine), 302);
	assure_findings_free(l);
	assure_snapshot_free(s2);
	done(&fx);
}

/*
 * What is left of an unreadable return is not its content: a where that reads a member
 * beyond the break cannot leave it out of its group; a broken file with no readable kind
 * outside the paths the rule set names is no candidate for a lookup; lookups compare nested
 * numbers exactly, as == does.
 */
static void test_engine__unreadable_returns_are_not_guessed_about(void **state)
{
	(void)state;
	write_file(
	    "urules/r.json",
	    "{\"ruleset\": \"u\", \"version\": \"1\", \"rules\": [\n"
	    "  {\"id\": \"TOT-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"finance\",\n"
	    "   \"group\": {\"kind\": \"finance\", \"where\": \"$?.sector == 'org'\", \"by\": {\"year\": "
	    "\"$.year\"}},\n"
	    "   \"assert\": \"sum($.returns[*], r -> r.doc.outturn) >= 0\", \"message\": \"below\"},\n"
	    "  {\"id\": \"LOOK-001\", \"title\": \"t\", \"severity\": \"info\", \"domain\": \"finance\",\n"
	    "   \"applies_to\": {\"kind\": \"k\"}, \"assert\": \"len(returns('k', {w: [1]})) == 0\", "
	    "\"message\": \"found\"},\n"
	    "  {\"id\": \"VAL-001\", \"title\": \"t\", \"severity\": \"error\", \"domain\": \"validity\",\n"
	    "   \"applies_to\": {\"paths\": [\"returns/**/*.json\"]}, \"assert\": \"true\", \"message\": "
	    "\"m\"}]}\n");
	write_file("u1/returns/a.json",
	           "{\"kind\": \"finance\", \"year\": \"2020-21\", \"sector\": \"org\", \"outturn\": 5}\n");
	/* sector comes after the break */
	write_file("u1/returns/b.json",
	           "{\"kind\": \"finance\", \"year\": \"2020-21\", \"outturn\": -50, \"x\": [1,2");
	write_file("u1/returns/k.json", "{\"kind\": \"k\", \"w\": [1.0]}\n");
	/* no kind can be read of it, and it is not under returns/ */
	write_file("u1/.vscode/settings.json", "{ // an editor's settings\n \"x\": 1}\n");
	fixture fx = {0};
	run_in(&fx, "urules", "u1");
	assert_null(find(&fx, "TOT-001", NULL));
	const assure_finding *f = find_in(&fx, "returns/b.json", "TOT-001 could not be evaluated");
	assert_non_null(f);
	assert_non_null(find(&fx, "LOOK-001", NULL)); /* [1] found [1.0] */
	assert_null(find_in(&fx, "returns/k.json", "could not be evaluated"));
	assert_non_null(find_in(&fx, ".vscode/settings.json", "")); /* its own ASSURE-PARSE */
	assert_null(find_in(&fx, ".vscode/settings.json", "could not be evaluated"));
	done(&fx);
}

/*
 * A lookup finds the returns whose members equal the filter's values as == does, whichever
 * way the numbers are written: an integer filter finds 12, 12.0 and 1.2e1 (as a real filter
 * does) and not "12" or 12.5; a string, true and null find only themselves.
 */
static void test_engine__lookups_compare_values_as_equality_does(void **state)
{
	(void)state;
	write_file(
	    "vrules/r.json",
	    "{\"ruleset\": \"v\", \"version\": \"1\", \"rules\": [\n"
	    "  {\"id\": \"LK-001\", \"title\": \"t\", \"severity\": \"info\", \"domain\": \"finance\",\n"
	    "   \"applies_to\": {\"kind\": \"q\"}, \"assert\": \"false\", \"subject\": \"$.name\",\n"
	    "   \"message\": \"{len(returns('finance', {month: $.want}))} by month, "
	    "{len(returns('finance', {final: $.want}))} by final\"}]}\n");
	static const char *const months[][2] = {
	    {"a", "12"},    {"b", "12.0"}, {"c", "\"12\""}, {"d", "12.5"},
	    {"e", "1.2e1"}, {"f", "null"}, {"g", "true"},
	};
	char path[64], text[128];
	for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
		snprintf(path, sizeof(path), "v1/%s.json", months[i][0]);
		snprintf(text, sizeof(text), "{\"kind\": \"finance\", \"month\": %s, \"final\": %s}\n",
		         months[i][1], months[i][1]);
		write_file(path, text);
	}
	write_file("v1/h.json", "{\"kind\": \"finance\"}\n");
	static const char *const wants[][2] = {
	    {"int", "12"}, {"real", "12.0"}, {"string", "\"12\""}, {"null", "null"}, {"true", "true"},
	};
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		snprintf(path, sizeof(path), "v1/q-%s.json", wants[i][0]);
		snprintf(text, sizeof(text), "{\"kind\": \"q\", \"name\": \"%s\", \"want\": %s}\n",
		         wants[i][0], wants[i][1]);
		write_file(path, text);
	}
	fixture fx = {0};
	run_in(&fx, "vrules", "v1");
	assert_string_equal(find(&fx, "LK-001", "int")->message, "3 by month, 3 by final");
	assert_string_equal(find(&fx, "LK-001", "real")->message, "3 by month, 3 by final");
	assert_string_equal(find(&fx, "LK-001", "string")->message, "1 by month, 1 by final");
	assert_string_equal(find(&fx, "LK-001", "null")->message, "1 by month, 1 by final");
	assert_string_equal(find(&fx, "LK-001", "true")->message, "1 by month, 1 by final");
	done(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_engine__finding_has_line_column_and_message),
	    cmocka_unit_test(test_engine__duplicate_key_is_parse_finding),
	    cmocka_unit_test(test_engine__absent_or_wrong_value_is_eval_finding),
	    cmocka_unit_test(test_engine__non_boolean_assert_and_absent_subject_name_the_expression),
	    cmocka_unit_test(test_engine__date_rule_uses_as_of),
	    cmocka_unit_test(test_engine__snapshot_rule_points_into_its_file),
	    cmocka_unit_test(test_engine__unselected_files_are_ignored),
	    cmocka_unit_test(test_engine__second_check_reuses_parses_and_findings),
	    cmocka_unit_test(test_engine__file_doc_rules_follow_the_files_they_read),
	    cmocka_unit_test(test_engine__snapshot_rules_follow_the_files_they_select),
	    cmocka_unit_test(test_engine__retain_drops_only_blobs_outside_the_snapshots),
	    cmocka_unit_test(test_engine__returns_read_by_no_other_rule_are_let_go),
	    cmocka_unit_test(test_engine__groups_lookups_and_each),
	    cmocka_unit_test(test_engine__unreadable_returns_in_groups_and_lookups),
	    cmocka_unit_test(test_engine__reuse_survives_a_growing_parse_cache),
	    cmocka_unit_test(test_engine__unreadable_returns_are_not_guessed_about),
	    cmocka_unit_test(test_engine__lookups_compare_values_as_equality_does),
	};
	return cmocka_run_group_tests_name("engine", tests, setup, teardown);
}
