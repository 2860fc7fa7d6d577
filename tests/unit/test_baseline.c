/* test_baseline.c: baselines of fingerprints, from findings and saved reports; filter and diff. */
#include "assure/baseline.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void add(assure_findings *l, const char *rule, const char *subject, int line)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule;
	f.severity = ASSURE_SEV_ERROR;
	f.domain = "d";
	f.title = "t";
	f.message = "m";
	f.path = "r.json";
	f.pointer = "/x";
	f.line = line;
	f.subject = (char *)subject;
	assure_findings_add(l, &f);
}

/* Filtering keeps what the baseline lacks and counts what it hid; the line does not matter. */
static void test_baseline__filter_hides_known_fingerprints(void **state)
{
	(void)state;
	assure_findings *old, *now, *fresh;
	assure_findings_new(&old);
	assure_findings_new(&now);
	assure_findings_new(&fresh);
	add(old, "FIN-001", "RXR", 4);
	add(old, "FIN-001", "RXR", 4);
	add(now, "FIN-001", "RXR", 9);
	add(now, "FIN-001", "RXN", 4);
	assure_baseline *b;
	assure_baseline_from_findings(&b, old);
	assert_int_equal(assure_baseline_count(b), 1);
	assert_int_equal(assure_baseline_filter(b, now, fresh), 1);
	assert_int_equal(assure_findings_count(fresh), 1);
	assert_string_equal(assure_findings_get(fresh, 0)->subject, "RXN");
	assure_baseline_free(b);
	assure_findings_free(fresh);
	assure_findings_free(now);
	assure_findings_free(old);
}

/* Diff: added are after's findings before lacks, resolved before's that after lacks. */
static void test_baseline__diff_gives_added_and_resolved(void **state)
{
	(void)state;
	assure_findings *a, *b, *added, *resolved;
	assure_findings_new(&a);
	assure_findings_new(&b);
	assure_findings_new(&added);
	assure_findings_new(&resolved);
	add(a, "FIN-001", "RXR", 1);
	add(a, "GOV-001", "X", 2);
	add(b, "FIN-001", "RXR", 1);
	add(b, "FIN-001", "RXN", 3);
	assure_baseline_diff(a, b, added, resolved);
	assert_int_equal(assure_findings_count(added), 1);
	assert_string_equal(assure_findings_get(added, 0)->subject, "RXN");
	assert_int_equal(assure_findings_count(resolved), 1);
	assert_string_equal(assure_findings_get(resolved, 0)->rule_id, "GOV-001");
	assure_findings_free(resolved);
	assure_findings_free(added);
	assure_findings_free(b);
	assure_findings_free(a);
}

/* A saved report gives its fingerprints; a bad one is an error with file, line, column and pointer. */
static void test_baseline__load_report_and_its_errors(void **state)
{
	(void)state;
	const char *ok = "{\"format\": \"assure-report/1\", \"findings\": [\n"
	                 "  {\"fingerprint\": \"2a8fae0f6df611717996ea8b06e663a4920c8024\"}]}";
	assure_baseline *b = NULL;
	assert_int_equal(assure_baseline_load(&b, "b.json", ok, strlen(ok)), 0);
	assert_int_equal(assure_baseline_count(b), 1);
	assert_true(assure_baseline_has(b, "2a8fae0f6df611717996ea8b06e663a4920c8024"));
	assert_false(assure_baseline_has(b, "2a8fae0f6df611717996ea8b06e663a4920c8025"));
	assure_baseline_free(b);

	const char *cases[][2] = {
	    {"{\"format\": \"assure-report/1\", \"findings\": [\n  {\"fingerprint\": \"xyz\"}]}",
	     "b.json:2:19: /findings/0/fingerprint: 'fingerprint' is not 40 lower-case hexadecimal digits"},
	    {"{\"format\": \"assure-audit/1\"}", "b.json:1:12: /format: not a report of assure check "
	                                         "--format json (format 'assure-report/1' expected)"},
	    {"{\"format\": \"assure-report/1\", \"findings\": [{}]}",
	     "b.json:1:44: /findings/0: the finding has no 'fingerprint'"},
	    {"{\"format\": ", "b.json:1:12: not a JSON report: "},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = NULL;
		assert_int_equal(assure_baseline_load(&b, "b.json", cases[i][0], strlen(cases[i][0])),
		                 ASSURE_EINVALID);
		assert_null(b);
		assert_memory_equal(assure_error_last(), cases[i][1], strlen(cases[i][1]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_baseline__filter_hides_known_fingerprints),
	    cmocka_unit_test(test_baseline__diff_gives_added_and_resolved),
	    cmocka_unit_test(test_baseline__load_report_and_its_errors),
	};
	return cmocka_run_group_tests_name("baseline", tests, NULL, NULL);
}
