/*
 * test_report.c: the report writers on a findings list made by hand, one finding waived by a
 * committee's waiver and one not: every CI format shows the waived one, as accepted and not as a
 * failure, with the waiver's reason, approver and dates. The outputs are compared with
 * fixtures/golden/report/ (ASSURE_UPDATE_GOLDEN=1 rewrites them), which
 * tests/e2e/formats_hostile.sh validates with the formats' own validators.
 */
#include "assure/report.h"

#include "assure/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define GOLDEN "fixtures/golden/report/"

typedef struct fixture {
	assure_ruleset *rs;
	assure_findings *findings;
	assure_check_result result;
	assure_report_meta meta;
} fixture;

/* A waiver whose reason holds what each format must escape: a newline, %, ',' ':' and markup. */
static assure_waiver_mark waiver = {
    .where = "assure-waivers.json#/waivers/0",
    .reason = "agreed recovery plan, 100% by M12:\n::error file=x::forged <b>&amp;</b>",
    .approved_by = "Finance and Performance Committee, 2020-11-05",
    .approved_on = "2020-11-05",
    .expires = "2021-03-31",
};

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));
	assure_diags *d = NULL;
	assure_diags_new(&d);
	assure_ruleset_new(&fx->rs);
	assert_int_equal(assure_ruleset_load(fx->rs, "fixtures/e2e/check/rules/basic.json", d), 0);
	assert_int_equal(assure_diags_count(d), 0);
	assure_diags_free(d);
	assure_findings_new(&fx->findings);
	assure_finding waived = {
	    .rule_id = "FIN-001",
	    .severity = ASSURE_SEV_ERROR,
	    .domain = "finance",
	    .title = "Forecast outturn worse than the control total",
	    .message = "forecast outturn -3 is 2 worse than the control total -1",
	    .path = "returns/rxn.json",
	    .pointer = "/forecast",
	    .line = 4,
	    .column = 15,
	    .subject = "RXN",
	    .waiver = &waiver,
	};
	assure_finding open = {
	    .rule_id = "GOV-001",
	    .severity = ASSURE_SEV_WARNING,
	    .domain = "governance",
	    .title = "Open action past its due date",
	    .message = "action A1 was due 2020-12-01, 43 days ago",
	    .path = "returns/actions.json",
	    .pointer = "/actions/0",
	    .line = 2,
	    .column = 5,
	    .subject = "A1",
	};
	assure_findings_add(fx->findings, &waived);
	assure_findings_add(fx->findings, &open);
	assure_findings_sort(fx->findings);
	fx->result = (assure_check_result){.files_seen = 2, .files_checked = 2};
	int32_t as_of;
	assert_int_equal(assure_date_parse(&as_of, "2021-01-13"), 0);
	fx->meta = (assure_report_meta){
	    .tool_version = "0.1.0",
	    .rules = fx->rs,
	    .source = "git",
	    .repository = "repo",
	    .commit = "0123456789abcdef0123456789abcdef01234567",
	    .repository_uri = "https://example.nhs.uk/returns.git",
	    .as_of = as_of,
	    .result = &fx->result,
	};
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	assure_findings_free(fx->findings);
	assure_ruleset_free(fx->rs);
	free(fx);
	return 0;
}

/* The output of format `name`, compared with its golden file (rewritten in update mode). */
static char *write_format(fixture *fx, const char *name, const char *golden)
{
	const assure_report_format *fmt = assure_report_format_find(name);
	assert_non_null(fmt);
	assure_buf out = ASSURE_BUF_INIT;
	assert_int_equal(fmt->write(&out, fx->findings, &fx->meta), 0);
	char path[256];
	snprintf(path, sizeof(path), GOLDEN "%s", golden);
	const char *update = getenv("ASSURE_UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(out.ptr, 1, out.len, f), out.len);
		assert_int_equal(fclose(f), 0);
	}
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *want = calloc(1, out.len + 2);
	size_t n = fread(want, 1, out.len + 1, f);
	fclose(f);
	assert_int_equal(n, out.len);
	assert_memory_equal(want, out.ptr, out.len);
	free(want);
	return assure_buf_detach(&out);
}

/* SARIF: the waived result has one accepted external suppression with the waiver's text; the other none. */
static void test_report__sarif_suppression(void **state)
{
	fixture *fx = *state;
	char *text = write_format(fx, "sarif", "waived.sarif");
	json_error_t err;
	json_t *doc = json_loads(text, 0, &err);
	assert_non_null(doc);
	json_t *results = json_object_get(json_array_get(json_object_get(doc, "runs"), 0), "results");
	assert_int_equal(json_array_size(results), 2);
	size_t seen = 0;
	for (size_t i = 0; i < 2; i++) {
		json_t *r = json_array_get(results, i);
		const char *rule = json_string_value(json_object_get(r, "ruleId"));
		json_t *sup = json_object_get(r, "suppressions");
		if (strcmp(rule, "GOV-001") == 0) {
			assert_null(sup);
			seen++;
			continue;
		}
		assert_string_equal(rule, "FIN-001");
		assert_int_equal(json_array_size(sup), 1);
		json_t *s = json_array_get(sup, 0);
		assert_string_equal(json_string_value(json_object_get(s, "kind")), "external");
		assert_string_equal(json_string_value(json_object_get(s, "status")), "accepted");
		assert_string_equal(json_string_value(json_object_get(s, "justification")), waiver.reason);
		json_t *p = json_object_get(s, "properties");
		assert_string_equal(json_string_value(json_object_get(p, "approved_by")), waiver.approved_by);
		assert_string_equal(json_string_value(json_object_get(p, "approved_on")), "2020-11-05");
		assert_string_equal(json_string_value(json_object_get(p, "expires")), "2021-03-31");
		assert_string_equal(json_string_value(json_object_get(p, "where")), waiver.where);
		/* the result keeps its level: a suppression says it is accepted, not that it is less */
		assert_string_equal(json_string_value(json_object_get(r, "level")), "error");
		seen++;
	}
	assert_int_equal(seen, 2);
	json_decref(doc);
	free(text);
}

/* JUnit: the waived case is skipped with the waiver's reason and counted so; the other fails. */
static void test_report__junit_skipped(void **state)
{
	fixture *fx = *state;
	char *text = write_format(fx, "junit", "waived.junit.xml");
	const char *fin = strstr(text, "<testsuite name=\"FIN-001\"");
	const char *gov = strstr(text, "<testsuite name=\"GOV-001\"");
	assert_non_null(fin);
	assert_non_null(gov);
	assert_non_null(strstr(fin, "failures=\"0\" errors=\"0\" skipped=\"1\""));
	assert_non_null(strstr(gov, "failures=\"1\" errors=\"0\" skipped=\"0\""));
	const char *skip =
	    strstr(fin, "<skipped message=\"waived: agreed recovery plan, 100% by M12:\\n::error "
	                "file=x::forged &lt;b&gt;&amp;amp;&lt;/b&gt;\">");
	assert_non_null(skip);
	assert_true(skip < gov);
	assert_non_null(strstr(skip,
	                       "approved by: Finance and Performance Committee, 2020-11-05 on 2020-11-05, "
	                       "expires 2021-03-31"));
	const char *failure = strstr(fin, "<failure");
	assert_true(failure == NULL || failure > gov); /* none in FIN-001's suite */
	assert_non_null(
	    strstr(gov, "<failure message=\"action A1 was due 2020-12-01, 43 days ago\" type=\"warning\">"));
	free(text);
}

/* GitHub: the waived finding is a ::notice saying waived, by whom and until when; the other a ::warning. */
static void test_report__github_notice(void **state)
{
	fixture *fx = *state;
	char *text = write_format(fx, "github", "waived.github");
	assert_string_equal(
	    text, "::warning file=returns/actions.json,line=2,col=5,title=[GOV-001] Open action past its "
	          "due date::action A1 was due 2020-12-01, 43 days ago\n"
	          "::notice file=returns/rxn.json,line=4,col=15,title=[FIN-001] waived%3A Forecast outturn "
	          "worse than the control total::(waived, error) forecast outturn -3 is 2 worse than "
	          "the control total -1 (waiver assure-waivers.json#/waivers/0: approved by Finance and "
	          "Performance Committee, 2020-11-05 on 2020-11-05, expires 2021-03-31: agreed recovery "
	          "plan, 100%25 by M12:\\n::error file=x::forged <b>&amp;</b>)\n");
	free(text);
}

/* GitLab: the waived issue has severity info and says it is waived in its description. */
static void test_report__gitlab_info(void **state)
{
	fixture *fx = *state;
	char *text = write_format(fx, "gitlab", "waived.gitlab.json");
	json_error_t err;
	json_t *doc = json_loads(text, 0, &err);
	assert_non_null(doc);
	assert_int_equal(json_array_size(doc), 2);
	json_t *gov = json_array_get(doc, 0), *fin = json_array_get(doc, 1);
	assert_string_equal(json_string_value(json_object_get(gov, "check_name")), "GOV-001");
	assert_string_equal(json_string_value(json_object_get(gov, "severity")), "minor");
	assert_string_equal(json_string_value(json_object_get(fin, "check_name")), "FIN-001");
	assert_string_equal(json_string_value(json_object_get(fin, "severity")), "info");
	const char *d = json_string_value(json_object_get(fin, "description"));
	assert_non_null(strstr(d, "[FIN-001] waived (error): forecast outturn"));
	assert_non_null(
	    strstr(d, "approved by Finance and Performance Committee, 2020-11-05 on 2020-11-05, expires "
	              "2021-03-31: agreed recovery plan"));
	json_decref(doc);
	free(text);
}

/* GitLab: two findings with one fingerprint get two issues; the first keeps the finding's own. */
static void test_report__gitlab_fingerprints_unique(void **state)
{
	fixture *fx = *state;
	assure_finding again = *assure_findings_get(fx->findings, 0);
	again.waiver = NULL;
	again.line += 3;
	assure_findings_add(fx->findings, &again);
	assure_findings_add(fx->findings, &again);
	assure_findings_sort(fx->findings);
	assure_buf out = ASSURE_BUF_INIT;
	assert_int_equal(assure_report_gitlab(&out, fx->findings, &fx->meta), 0);
	json_error_t err;
	json_t *doc = json_loads(out.ptr, 0, &err);
	assert_non_null(doc);
	assert_int_equal(json_array_size(doc), 4);
	const char *fp = assure_findings_get(fx->findings, 0)->fingerprint;
	size_t own = 0;
	for (size_t i = 0; i < 4; i++) {
		const char *a = json_string_value(json_object_get(json_array_get(doc, i), "fingerprint"));
		own += strcmp(a, fp) == 0;
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(
			    a, json_string_value(json_object_get(json_array_get(doc, j), "fingerprint")));
	}
	assert_int_equal(own, 1);
	json_decref(doc);
	assure_buf_free(&out);
}

/* The names --help lists are the table's, in its order. */
static void test_report__format_names_from_table(void **state)
{
	(void)state;
	assure_buf b = ASSURE_BUF_INIT;
	for (const assure_report_format *f = assure_report_formats(); f->name; f++)
		assure_buf_printf(&b, "%s%s", b.len ? ", " : "", f->name);
	assert_string_equal(assure_report_format_names(), b.ptr);
	assert_string_equal(b.ptr, "text, json, sarif, junit, github, gitlab");
	assure_buf_free(&b);
}

/* Every rule a report names has an index: the rule set's, then the tool's own; others none. */
static void test_report__rule_index(void **state)
{
	fixture *fx = *state;
	size_t n = assure_ruleset_count(fx->rs);
	assert_int_equal(assure_report_rule_count(fx->rs), n + 7);
	assert_int_equal(assure_report_rule_index(fx->rs, "GOV-001"), 1);
	assert_int_equal(assure_report_rule_index(fx->rs, ASSURE_RULE_PARSE), (long)n);
	assert_int_equal(assure_report_rule_index(fx->rs, ASSURE_RULE_LIMIT), (long)n + 2);
	assert_int_equal(assure_report_rule_index(fx->rs, "ASSURE-WAIVER-SELF"), (long)n + 6);
	assert_int_equal(assure_report_rule_index(fx->rs, "XYZ-001"), -1);
	assure_report_rule r;
	assure_report_rule_at(fx->rs, n + 1, &r);
	assert_string_equal(r.id, ASSURE_RULE_EVAL);
	assert_true(r.tool);
	assure_report_rule_at(fx->rs, 0, &r);
	assert_string_equal(r.id, "FIN-001");
	assert_false(r.tool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_report__sarif_suppression, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report__junit_skipped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report__github_notice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report__gitlab_info, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report__gitlab_fingerprints_unique, setup, teardown),
	    cmocka_unit_test(test_report__format_names_from_table),
	    cmocka_unit_test_setup_teardown(test_report__rule_index, setup, teardown),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
