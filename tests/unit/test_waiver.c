/* test_waiver.c: parsing and checking waivers files, matching and applying them. */
#include "assure/waiver.h"

#include "assure/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static assure_finding make(const char *rule, const char *path, const char *subject)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule;
	f.severity = ASSURE_SEV_ERROR;
	f.domain = "finance";
	f.title = "t";
	f.message = "m";
	f.path = (char *)path;
	f.pointer = "/x";
	f.line = 1;
	f.column = 1;
	f.subject = (char *)subject;
	return f;
}

static assure_waivers *parse(const char *text, int max_days)
{
	assure_waivers *w = NULL;
	assure_waiver_opts opts = ASSURE_WAIVER_OPTS_INIT;
	opts.max_days = max_days;
	assert_int_equal(assure_waivers_parse(&w, "w.json", text, strlen(text), &opts), 0);
	assert_non_null(w);
	return w;
}

static int32_t day(const char *iso)
{
	int32_t d;
	assert_int_equal(assure_date_parse_iso(&d, iso), 0);
	return d;
}

#define ENTRY(match, dates)                                                                                  \
	"{\"rule\": \"FIN-001\", " match ", \"reason\": \"r\", \"approved_by\": \"AC\", " dates "}"
#define DATES "\"approved_on\": \"2020-12-20\", \"expires\": \"2021-03-31\""

/* A valid entry keeps every field, its place and its dates as day numbers. */
static void test_waiver__parse_valid_entry(void **state)
{
	(void)state;
	assure_waivers *w = parse("{\"waivers\": [\n  " ENTRY("\"subject\": \"RXR\"", DATES) "\n]}", 0);
	assert_false(assure_waivers_broken(w));
	assert_int_equal(assure_findings_count(assure_waivers_problems(w)), 0);
	assert_int_equal(assure_waivers_count(w), 1);
	const assure_waiver *e = assure_waivers_get(w, 0);
	assert_true(e->valid);
	assert_string_equal(e->rule, "FIN-001");
	assert_string_equal(e->subject, "RXR");
	assert_null(e->path);
	assert_string_equal(e->where, "w.json#/waivers/0");
	assert_int_equal(e->line, 2);
	assert_int_equal(e->column, 3);
	assert_int_equal(e->approved, day("2020-12-20"));
	assert_int_equal(e->expiry, day("2021-03-31"));
	assure_waivers_free(w);
}

/* Each missing required field is a problem of its own, at the entry, and the entry is invalid. */
static void test_waiver__missing_fields_are_each_reported(void **state)
{
	(void)state;
	assure_waivers *w = parse("{\"waivers\": [{\"rule\": \"FIN-001\", \"subject\": \"RXR\"}]}", 0);
	assert_false(assure_waivers_broken(w));
	assert_false(assure_waivers_get(w, 0)->valid);
	const assure_findings *p = assure_waivers_problems(w);
	assert_int_equal(assure_findings_count(p), 4);
	assert_string_equal(assure_findings_get(p, 0)->rule_id, ASSURE_RULE_WAIVER_INVALID);
	assert_string_equal(assure_findings_get(p, 0)->message,
	                    "waiver /waivers/0: missing 'reason' (why the breach is accepted)");
	assert_string_equal(assure_findings_get(p, 1)->message,
	                    "waiver /waivers/0: missing 'approved_by' (who approved it)");
	assert_string_equal(assure_findings_get(p, 0)->pointer, "/waivers/0");
	assert_int_equal(assure_findings_get(p, 0)->column, 14);
	assure_waivers_free(w);
}

/* An expiry more than max_days after approval is invalid; exactly max_days is not. */
static void test_waiver__span_is_bounded_by_max_days(void **state)
{
	(void)state;
	/* 2020-12-20 to 2021-03-31 is 101 days */
	assure_waivers *w = parse("{\"waivers\": [" ENTRY("\"subject\": \"RXR\"", DATES) "]}", 101);
	assert_true(assure_waivers_get(w, 0)->valid);
	assure_waivers_free(w);
	w = parse("{\"waivers\": [" ENTRY("\"subject\": \"RXR\"", DATES) "]}", 100);
	assert_false(assure_waivers_get(w, 0)->valid);
	assert_string_equal(
	    assure_findings_get(assure_waivers_problems(w), 0)->message,
	    "waiver /waivers/0: 'expires' 2021-03-31 is 101 days after 'approved_on' 2020-12-20, "
	    "more than the 100 a waiver may run (max_waiver_days)");
	assert_string_equal(assure_findings_get(assure_waivers_problems(w), 0)->pointer,
	                    "/waivers/0/expires");
	assure_waivers_free(w);
}

/* Not JSON, or not an object with a waivers array: the file is broken, with the place. */
static void test_waiver__broken_files(void **state)
{
	(void)state;
	const char *cases[][2] = {
	    {"{\"waivers\": [", "waivers file is not valid JSON: "},
	    {"[]", "waivers file is not a JSON object with a 'waivers' array"},
	    {"{}", "waivers file has no 'waivers' array"},
	    {"{\"waivers\": {}}", "'waivers' is not an array"},
	    {"{\"waivers\": [], \"max_waiver_days\": 9999}",
	     "waivers file: unknown key 'max_waiver_days' (waivers)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_waivers *w = parse(cases[i][0], 0);
		assert_true(assure_waivers_broken(w));
		const assure_findings *p = assure_waivers_problems(w);
		assert_int_equal(assure_findings_count(p), 1);
		assert_string_equal(assure_findings_get(p, 0)->path, "w.json");
		assert_memory_equal(assure_findings_get(p, 0)->message, cases[i][1], strlen(cases[i][1]));
		assure_waivers_free(w);
	}
}

/* The file's text reaches a message only in its visible form: one line, no control character. */
static void test_waiver__messages_show_controls_visibly(void **state)
{
	(void)state;
	assure_waivers *w = parse("{\"waivers\": [{\"rule\": \"ASSURE-\\u001b[2J\", \"a\\nb\": 1}]}", 0);
	const assure_findings *p = assure_waivers_problems(w);
	bool key = false, rule = false;
	for (size_t i = 0; i < assure_findings_count(p); i++) {
		const char *m = assure_findings_get(p, i)->message;
		for (const char *c = m; *c; c++)
			assert_true((unsigned char)*c >= 0x20);
		key |= strstr(m, "unknown key 'a\\nb'") != NULL;
		rule |= strstr(m, "'ASSURE-\\x1b[2J' is a finding of assure itself") != NULL;
	}
	assert_true(key);
	assert_true(rule);
	assure_waivers_free(w);
}

/* Matching: the rule, then every one of subject (exact), path (glob) and fingerprint given. */
static void test_waiver__matches_rule_subject_path_fingerprint(void **state)
{
	(void)state;
	assure_waivers *w = parse(
	    "{\"waivers\": [" ENTRY("\"subject\": \"RXR\", \"path\": \"returns/**/*.json\"", DATES) "]}", 0);
	const assure_waiver *e = assure_waivers_get(w, 0);
	assure_findings *l;
	assure_findings_new(&l);
	assure_finding f = make("FIN-001", "returns/a/rxr.json", "RXR");
	assure_findings_add(l, &f);
	f = make("FIN-001", "other/rxr.json", "RXR");
	assure_findings_add(l, &f);
	f = make("FIN-001", "returns/a/rxr.json", "RXRX");
	assure_findings_add(l, &f);
	f = make("FIN-002", "returns/a/rxr.json", "RXR");
	assure_findings_add(l, &f);
	f = make("ASSURE-PARSE", "returns/a/rxr.json", "RXR");
	assure_findings_add(l, &f);
	assert_true(assure_waiver_matches(e, assure_findings_get(l, 0)));
	for (size_t i = 1; i < 5; i++)
		assert_false(assure_waiver_matches(e, assure_findings_get(l, i)));
	assure_waivers_free(w);

	char text[512];
	snprintf(text, sizeof(text), "{\"waivers\": [" ENTRY("\"fingerprint\": \"%s\"", DATES) "]}",
	         assure_findings_get(l, 1)->fingerprint);
	w = parse(text, 0);
	assert_true(assure_waivers_get(w, 0)->valid);
	assert_false(assure_waiver_matches(assure_waivers_get(w, 0), assure_findings_get(l, 0)));
	assert_true(assure_waiver_matches(assure_waivers_get(w, 0), assure_findings_get(l, 1)));
	assure_waivers_free(w);
	assure_findings_free(l);
}

/* Applying: a match is marked while unexpired (its expiry day included), then EXPIRED is raised instead. */
static void test_waiver__apply_marks_until_expiry(void **state)
{
	(void)state;
	assure_waivers *w = parse("{\"waivers\": [" ENTRY("\"subject\": \"RXR\"", DATES) "]}", 0);
	assure_findings *in;
	assure_findings_new(&in);
	assure_finding f = make("FIN-001", "r.json", "RXR");
	assure_findings_add(in, &f);
	f = make("FIN-001", "r.json", "RXN");
	assure_findings_add(in, &f);

	assure_findings *out;
	assure_findings_new(&out);
	assure_waivers_apply(w, in, day("2021-03-31"), out, NULL);
	assert_int_equal(assure_findings_count(out), 2);
	const assure_finding *a = assure_findings_get(out, 0);
	assert_non_null(a->waiver);
	assert_string_equal(a->waiver->where, "w.json#/waivers/0");
	assert_string_equal(a->waiver->approved_by, "AC");
	assert_string_equal(a->waiver->expires, "2021-03-31");
	assert_string_equal(a->fingerprint, assure_findings_get(in, 0)->fingerprint);
	assert_null(assure_findings_get(out, 1)->waiver);
	assert_int_equal(assure_findings_waived(out), 1);
	assert_null(assure_findings_get(in, 0)->waiver);
	assure_findings_free(out);

	assure_findings_new(&out);
	assure_waivers_apply(w, in, day("2021-04-01"), out, NULL);
	assert_int_equal(assure_findings_count(out), 3);
	assert_int_equal(assure_findings_waived(out), 0);
	const assure_finding *x = assure_findings_get(out, 2);
	assert_string_equal(x->rule_id, ASSURE_RULE_WAIVER_EXPIRED);
	assert_int_equal(x->severity, ASSURE_SEV_ERROR);
	assert_string_equal(x->path, "w.json");
	assert_string_equal(x->pointer, "/waivers/0");
	assure_findings_free(out);
	assure_findings_free(in);
	assure_waivers_free(w);
}

/* An entry that matches nothing is UNUSED (info); a broken file counts as a parse failure. */
static void test_waiver__apply_reports_unused_and_broken(void **state)
{
	(void)state;
	assure_waivers *w = parse("{\"waivers\": [" ENTRY("\"subject\": \"NONE\"", DATES) "]}", 0);
	assure_findings *in, *out;
	assure_findings_new(&in);
	assure_findings_new(&out);
	assure_finding f = make("FIN-001", "r.json", "RXR");
	assure_findings_add(in, &f);
	assure_check_result r = {0};
	assure_waivers_apply(w, in, day("2021-01-13"), out, &r);
	assert_int_equal(assure_findings_count(out), 2);
	assert_string_equal(assure_findings_get(out, 1)->rule_id, ASSURE_RULE_WAIVER_UNUSED);
	assert_int_equal(assure_findings_get(out, 1)->severity, ASSURE_SEV_INFO);
	assert_int_equal(r.parse_failures, 0);
	assure_waivers_free(w);
	assure_findings_free(out);

	w = parse("not json", 0);
	assure_findings_new(&out);
	assure_waivers_apply(w, in, day("2021-01-13"), out, &r);
	assert_int_equal(r.parse_failures, 1);
	assert_int_equal(assure_findings_count(out), 2);
	assert_string_equal(assure_findings_get(out, 1)->rule_id, ASSURE_RULE_WAIVER_INVALID);
	assure_waivers_free(w);
	assure_findings_free(out);
	assure_findings_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_waiver__parse_valid_entry),
	    cmocka_unit_test(test_waiver__missing_fields_are_each_reported),
	    cmocka_unit_test(test_waiver__span_is_bounded_by_max_days),
	    cmocka_unit_test(test_waiver__broken_files),
	    cmocka_unit_test(test_waiver__messages_show_controls_visibly),
	    cmocka_unit_test(test_waiver__matches_rule_subject_path_fingerprint),
	    cmocka_unit_test(test_waiver__apply_marks_until_expiry),
	    cmocka_unit_test(test_waiver__apply_reports_unused_and_broken),
	};
	return cmocka_run_group_tests_name("waiver", tests, NULL, NULL);
}
