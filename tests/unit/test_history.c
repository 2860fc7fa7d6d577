/* test_history.c: the intervals of each fingerprint: reintroduction, merges, filters, days, text and JSON. */
#include "assure/history.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit_fixture.h"

/* A is over the limit, fixed, over again (two intervals); B opens later and stays open. */
static void build(afx *f)
{
	afx_begin(f);
	fx_write(f->repo, "returns/a.json", "{\"org\": \"A\", \"value\": 20}\n");
	fx_commit(f->repo, "2021-01-01 10:00:00", "A over");
	fx_write(f->repo, "returns/a.json", "{\"org\": \"A\", \"value\": 1}\n");
	fx_commit(f->repo, "2021-01-04 10:00:00", "A fixed");
	fx_write(f->repo, "returns/a.json", "{\"org\": \"A\", \"value\": 30}\n");
	fx_write(f->repo, "returns/sub/b.json", "{\"org\": \"B\", \"value\": 30}\n");
	fx_commit(f->repo, "2021-01-10 10:00:00", "A over again, B over");
	fx_write(f->repo, "notes.txt", "n\n");
	fx_commit(f->repo, "2021-01-31 10:00:00", "notes");
	afx_run(f, NULL);
}

static assure_audit_meta meta_of(const afx *f)
{
	assure_audit_meta m = {.tool_version = "9.9.9", .rules = f->rs, .repository = "repo"};
	return m;
}

/* A breach introduced, resolved and reintroduced has two intervals, in order, the second open. */
static void test_history__reintroduced_breach_has_two_intervals(void **state)
{
	(void)state;
	afx f;
	build(&f);
	assure_history_filter flt = {"LIM-001", "A", NULL};
	size_t *list;
	size_t n = assure_history_select(&list, f.a, &flt);
	assert_int_equal(n, 2);
	const assure_audit_interval *first = assure_audit_interval_at(f.a, list[0]);
	const assure_audit_interval *second = assure_audit_interval_at(f.a, list[1]);
	assert_string_equal(assure_audit_commit_at(f.a, first->opened)->info.subject, "A over");
	assert_string_equal(assure_audit_commit_at(f.a, (size_t)first->closed)->info.subject, "A fixed");
	assert_int_equal(first->days, 3);
	assert_string_equal(assure_audit_commit_at(f.a, second->opened)->info.subject,
	                    "A over again, B over");
	assert_int_equal(second->closed, -1);
	/* an open interval counts to the last commit walked, not to today */
	assert_int_equal(second->days, 21);
	free(list);
	afx_end(&f);
}

/* Filters select by rule, subject and a path glob; with none, every interval, grouped by path. */
static void test_history__filters_select_intervals(void **state)
{
	(void)state;
	afx f;
	build(&f);
	size_t *list;
	assert_int_equal(assure_history_select(&list, f.a, NULL), 3);
	assert_string_equal(assure_audit_interval_at(f.a, list[0])->finding->path, "returns/a.json");
	assert_string_equal(assure_audit_interval_at(f.a, list[2])->finding->path, "returns/sub/b.json");
	free(list);
	assure_history_filter by_path = {NULL, NULL, "returns/sub/*"};
	assert_int_equal(assure_history_select(&list, f.a, &by_path), 1);
	free(list);
	assure_history_filter exact = {NULL, NULL, "returns/a.json"};
	assert_int_equal(assure_history_select(&list, f.a, &exact), 2);
	free(list);
	assure_history_filter none = {"DUE-001", NULL, NULL};
	assert_int_equal(assure_history_select(&list, f.a, &none), 0);
	free(list);
	assure_history_filter subject = {NULL, "B", NULL};
	assert_int_equal(assure_history_select(&list, f.a, &subject), 1);
	free(list);
	afx_end(&f);
}

/* The text names each finding once, then each interval with its commits and its days. */
static void test_history__text_lists_intervals(void **state)
{
	(void)state;
	afx f;
	build(&f);
	assure_audit_meta m = meta_of(&f);
	assure_buf out = ASSURE_BUF_INIT;
	assure_history_filter flt = {"LIM-001", "A", NULL};
	assert_int_equal(assure_history_text(&out, f.a, &flt, &m), 0);
	assert_non_null(strstr(out.ptr, "returns/a.json LIM-001 error [A]\n  over the limit\n  1. opened "));
	assert_non_null(
	    strstr(out.ptr, " 2021-01-01 10:00:00 +0000 by Finance Lead <finance@example.nhs.uk>: A over\n"));
	assert_non_null(strstr(out.ptr, "     resolved "));
	assert_non_null(strstr(out.ptr, "     open 3 days\n  2. opened "));
	assert_non_null(strstr(out.ptr, "     still open at the last commit, 21 days after it opened\n"));
	assert_non_null(strstr(
	    out.ptr, "2 intervals of 1 finding, 1 open at the end (rules unit-audit 1.0.0, range HEAD"));
	assure_buf_free(&out);
	afx_end(&f);
}

/* The JSON groups intervals under their fingerprint; an open interval's resolution is null. */
static void test_history__json_document(void **state)
{
	(void)state;
	afx f;
	build(&f);
	assure_audit_meta m = meta_of(&f);
	assure_buf out = ASSURE_BUF_INIT;
	assert_int_equal(assure_history_json(&out, f.a, NULL, &m), 0);
	json_error_t err;
	json_t *doc = json_loads(out.ptr, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "format")), "assure-history/1");
	json_t *findings = json_object_get(doc, "findings");
	assert_int_equal(json_array_size(findings), 2);
	json_t *a = json_array_get(findings, 0);
	assert_string_equal(json_string_value(json_object_get(a, "org")), "A");
	json_t *ivs = json_object_get(a, "intervals");
	assert_int_equal(json_array_size(ivs), 2);
	assert_true(json_is_null(json_object_get(json_array_get(ivs, 1), "resolved")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ivs, 0), "days")), 3);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_array_get(ivs, 0), "resolved"), "subject")),
	                    "A fixed");
	json_decref(doc);
	assure_buf_free(&out);
	afx_end(&f);
}

/* A finding brought in by a merge keeps the interval it had on the branch that introduced it. */
static void test_history__merge_keeps_the_branch_interval(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 1}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "base");
	fx_sh("git -C '%s' checkout -q -b side", f.repo);
	fx_write(f.repo, "returns/c.json", "{\"org\": \"C\", \"value\": 50}\n");
	fx_commit(f.repo, "2021-01-02 10:00:00", "side");
	fx_sh("git -C '%s' checkout -q main", f.repo);
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 2}\n");
	fx_commit(f.repo, "2021-01-03 10:00:00", "main");
	setenv("GIT_AUTHOR_DATE", "2021-01-05 10:00:00 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "2021-01-05 10:00:00 +0000", 1);
	fx_sh("git -C '%s' -c commit.gpgsign=false merge -q --no-ff -m merge side", f.repo);
	afx_run(&f, NULL);
	const assure_audit_commit *m = afx_commit(&f, "merge");
	assert_int_equal(assure_findings_count(m->opened), 1);
	const assure_audit_interval *iv = assure_audit_interval_at(f.a, m->opened_interval[0]);
	assert_string_equal(assure_audit_commit_at(f.a, iv->opened)->info.subject, "side");
	assert_int_equal(assure_audit_interval_count(f.a), 1);
	assert_int_equal(iv->days, 3);

	/* following first parents only, the merge introduces it */
	assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
	o.first_parent = true;
	afx_run(&f, &o);
	m = afx_commit(&f, "merge");
	iv = assure_audit_interval_at(f.a, m->opened_interval[0]);
	assert_string_equal(assure_audit_commit_at(f.a, iv->opened)->info.subject, "merge");
	assert_int_equal(assure_audit_commit_count(f.a), 3);
	afx_end(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_history__reintroduced_breach_has_two_intervals),
	    cmocka_unit_test(test_history__filters_select_intervals),
	    cmocka_unit_test(test_history__text_lists_intervals),
	    cmocka_unit_test(test_history__json_document),
	    cmocka_unit_test(test_history__merge_keeps_the_branch_interval),
	};
	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
