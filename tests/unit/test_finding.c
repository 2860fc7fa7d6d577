/* test_finding.c: lists of findings, their report order and fingerprints. */
#include "assure/finding.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static assure_finding make(const char *rule, const char *path, int line, const char *subject,
                           const char *message)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule;
	f.severity = ASSURE_SEV_ERROR;
	f.domain = "finance";
	f.title = "t";
	f.message = (char *)message;
	f.path = (char *)path;
	f.pointer = "/x";
	f.line = line;
	f.column = 3;
	f.subject = (char *)subject;
	return f;
}

/* The fingerprint depends on rule, path and subject only: not on line, column or message. */
static void test_finding__fingerprint_ignores_position_and_message(void **state)
{
	(void)state;
	assure_findings *l;
	assure_findings_new(&l);
	assure_finding a = make("FIN-001", "r/a.json", 3, "RXN", "gap 1");
	assure_finding b = make("FIN-001", "r/a.json", 40, "RXN", "gap 2");
	assure_finding c = make("FIN-001", "r/a.json", 3, "RXR", "gap 1");
	assure_findings_add(l, &a);
	assure_findings_add(l, &b);
	assure_findings_add(l, &c);
	assert_string_equal(assure_findings_get(l, 0)->fingerprint, assure_findings_get(l, 1)->fingerprint);
	assert_string_not_equal(assure_findings_get(l, 0)->fingerprint,
	                        assure_findings_get(l, 2)->fingerprint);
	assert_int_equal(strlen(assure_findings_get(l, 0)->fingerprint), 40);
	assure_findings_free(l);
}

/* The fingerprint is the SHA-1 of "rule\npath\nsubject" as a git blob: stable across versions. */
static void test_finding__fingerprint_is_documented_hash(void **state)
{
	(void)state;
	char fp[41];
	assure_finding_fingerprint(fp, "A-001", "p", "s");
	/* printf 'A-001\np\ns' | git hash-object --stdin */
	assert_string_equal(fp, "2a8fae0f6df611717996ea8b06e663a4920c8024");
}

/* Report order is path, line, column, rule: a total order for byte-identical reports. */
static void test_finding__sort_orders_by_path_line_rule(void **state)
{
	(void)state;
	assure_findings *l;
	assure_findings_new(&l);
	assure_finding f1 = make("GOV-001", "b.json", 1, "s", "m");
	assure_finding f2 = make("FIN-002", "a.json", 9, "s", "m");
	assure_finding f3 = make("FIN-001", "a.json", 9, "s", "m");
	assure_finding f4 = make("FIN-009", "a.json", 2, "s", "m");
	assure_findings_add(l, &f1);
	assure_findings_add(l, &f2);
	assure_findings_add(l, &f3);
	assure_findings_add(l, &f4);
	assure_findings_sort(l);
	assert_string_equal(assure_findings_get(l, 0)->rule_id, "FIN-009");
	assert_string_equal(assure_findings_get(l, 1)->rule_id, "FIN-001");
	assert_string_equal(assure_findings_get(l, 2)->rule_id, "FIN-002");
	assert_string_equal(assure_findings_get(l, 3)->rule_id, "GOV-001");
	assure_findings_free(l);
}

/* Lookup by fingerprint finds present findings and reports absent ones as -1. */
static void test_finding__find_by_fingerprint(void **state)
{
	(void)state;
	assure_findings *l;
	assure_findings_new(&l);
	char names[20][8];
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "S%02d", i);
		assure_finding f = make("RSK-001", "r.json", i, names[i], "m");
		assure_findings_add(l, &f);
	}
	assure_findings_sort_by_fingerprint(l);
	char fp[41];
	assure_finding_fingerprint(fp, "RSK-001", "r.json", "S07");
	long at = assure_findings_find_fingerprint(l, fp);
	assert_true(at >= 0);
	assert_string_equal(assure_findings_get(l, (size_t)at)->subject, "S07");
	assure_finding_fingerprint(fp, "RSK-001", "r.json", "S99");
	assert_int_equal(assure_findings_find_fingerprint(l, fp), -1);
	assure_findings_free(l);
}

/* Counts by severity and severity names round-trip. */
static void test_finding__counts_and_severity_names(void **state)
{
	(void)state;
	assure_findings *l;
	assure_findings_new(&l);
	assure_finding f = make("X-001", "a", 1, "s", "m");
	assure_findings_add(l, &f);
	f.severity = ASSURE_SEV_INFO;
	assure_findings_add(l, &f);
	assure_findings_add(l, &f);
	size_t c[ASSURE_SEV_COUNT];
	assure_findings_counts(l, c);
	assert_int_equal(c[ASSURE_SEV_ERROR], 1);
	assert_int_equal(c[ASSURE_SEV_WARNING], 0);
	assert_int_equal(c[ASSURE_SEV_INFO], 2);
	assure_severity s;
	assert_int_equal(assure_severity_parse(&s, "warning"), 0);
	assert_int_equal(s, ASSURE_SEV_WARNING);
	assert_string_equal(assure_severity_name(s), "warning");
	assert_int_equal(assure_severity_parse(&s, "fatal"), -1);
	assure_findings_free(l);
}

/* A copy owns its strings (NULL becomes ""), keeps the fingerprint as given, and clear zeroes it. */
static void test_finding__copy_owns_strings_and_clear_zeroes(void **state)
{
	(void)state;
	assure_finding f = make("X-001", "a.json", 4, NULL, "m");
	memcpy(f.fingerprint, "given", 6);
	assure_finding g;
	assure_finding_copy(&g, &f);
	assert_ptr_not_equal(g.rule_id, f.rule_id);
	assert_string_equal(g.rule_id, "X-001");
	assert_string_equal(g.path, "a.json");
	assert_string_equal(g.subject, "");
	assert_int_equal(g.line, 4);
	assert_int_equal(g.severity, ASSURE_SEV_ERROR);
	assert_string_equal(g.fingerprint, "given");
	assure_finding_clear(&g);
	assert_null(g.rule_id);
	assert_null(g.subject);
	assert_int_equal(g.line, 0);
}

/* Extending shares findings: each list sorts on its own and outlives the other. */
static void test_finding__extend_shares_and_lists_outlive_each_other(void **state)
{
	(void)state;
	assure_findings *a, *b;
	assure_findings_new(&a);
	assure_findings_new(&b);
	assure_finding f1 = make("FIN-001", "z.json", 1, "RXN", "m1");
	assure_finding f2 = make("FIN-002", "a.json", 2, "RXR", "m2");
	assure_findings_add(a, &f1);
	assure_findings_add(a, &f2);
	assure_findings_extend(b, a);
	assure_findings_extend(b, a);
	assert_int_equal(assure_findings_count(b), 4);
	assert_ptr_equal(assure_findings_get(b, 0), assure_findings_get(a, 0));
	assure_findings_sort(b);
	assert_string_equal(assure_findings_get(b, 0)->path, "a.json");
	assert_string_equal(assure_findings_get(a, 0)->path, "z.json"); /* a keeps its order */
	assure_findings_free(a);
	/* b's findings are still whole after a is gone (ASan would see a use after free) */
	assert_string_equal(assure_findings_get(b, 3)->message, "m1");
	assert_string_equal(assure_findings_get(b, 3)->subject, "RXN");
	assure_findings_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_finding__fingerprint_ignores_position_and_message),
	    cmocka_unit_test(test_finding__fingerprint_is_documented_hash),
	    cmocka_unit_test(test_finding__sort_orders_by_path_line_rule),
	    cmocka_unit_test(test_finding__find_by_fingerprint),
	    cmocka_unit_test(test_finding__counts_and_severity_names),
	    cmocka_unit_test(test_finding__copy_owns_strings_and_clear_zeroes),
	    cmocka_unit_test(test_finding__extend_shares_and_lists_outlive_each_other),
	};
	return cmocka_run_group_tests_name("finding", tests, NULL, NULL);
}
