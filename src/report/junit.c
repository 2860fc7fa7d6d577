/*
 * junit.c: the findings of one check as JUnit XML, valid against both schemas CI servers
 * follow (Apache Ant's, which is the strict one, and Jenkins'): a test suite per rule of the
 * rule set and of the tool, a test case per finding's subject with one <failure> (or, when a
 * committee's waiver accepts it, <skipped> with the waiver's reason), and a passing test case
 * per subject the rule evaluated and found no breach in (assure_report_meta.passes); without
 * them, one passing case per rule says that it found nothing else.
 *
 * Reproducible: the schema wants a timestamp and a host name; the timestamp is the check's
 * as-of date at midnight, and the host name is always "assure", never the machine's.
 * Text from a return is made visible first (no control character, which XML 1.0 cannot hold
 * at all, and no line break that could be taken for another line of the report), then escaped
 * for XML.
 */
#include "assure/report.h"

#include "assure/date.h"
#include "assure/error.h"

#include <stdlib.h>
#include <string.h>

static void property(assure_buf *out, const char *name, const char *value)
{
	assure_buf_printf(out, "      <property name=\"%s\" value=\"", name);
	assure_buf_put_markup(out, value);
	assure_buf_puts(out, "\"/>\n");
}

/* The place of a finding as the text report writes it: path:line:col, or (snapshot). */
static void put_place(assure_buf *out, const assure_finding *f)
{
	if (!*f->path) {
		assure_buf_puts(out, "(snapshot)");
		return;
	}
	assure_buf_put_markup(out, f->path);
	if (f->line > 0)
		assure_buf_printf(out, ":%d:%d", f->line, f->column);
}

static void testcase(assure_buf *out, const assure_finding *f)
{
	assure_buf_puts(out, "    <testcase name=\"");
	put_place(out, f);
	assure_buf_puts(out, " ");
	assure_buf_put_markup(out, f->subject);
	assure_buf_printf(out, "\" classname=\"%s\" time=\"0\">\n", f->rule_id);
	if (f->waiver) {
		const assure_waiver_mark *w = f->waiver;
		assure_buf_puts(out, "      <skipped message=\"waived: ");
		assure_buf_put_markup(out, w->reason);
		assure_buf_puts(out, "\">");
	} else {
		assure_buf_puts(out, "      <failure message=\"");
		assure_buf_put_markup(out, f->message);
		assure_buf_printf(out, "\" type=\"%s\">", assure_severity_name(f->severity));
	}
	put_place(out, f);
	assure_buf_printf(out, ": %s: [%s] ", assure_severity_name(f->severity), f->rule_id);
	assure_buf_put_markup(out, f->message);
	assure_buf_puts(out, "\npointer: ");
	assure_buf_put_markup(out, f->pointer);
	assure_buf_puts(out, "\nsubject: ");
	assure_buf_put_markup(out, f->subject);
	assure_buf_printf(out, "\nfingerprint: %s", f->fingerprint);
	if (f->waiver) {
		const assure_waiver_mark *w = f->waiver;
		assure_buf_puts(out, "\nwaived by: ");
		assure_buf_put_markup(out, w->where);
		assure_buf_puts(out, "\napproved by: ");
		assure_buf_put_markup(out, w->approved_by);
		assure_buf_puts(out, " on ");
		assure_buf_put_markup(out, w->approved_on);
		assure_buf_puts(out, ", expires ");
		assure_buf_put_markup(out, w->expires);
		assure_buf_puts(out, "\nreason: ");
		assure_buf_put_markup(out, w->reason);
		assure_buf_puts(out, "</skipped>\n");
	} else {
		assure_buf_puts(out, "</failure>\n");
	}
	assure_buf_puts(out, "    </testcase>\n");
}

/* A subject the rule evaluated and found no breach in. */
static void passing_case(assure_buf *out, const assure_finding *p)
{
	assure_buf_puts(out, "    <testcase name=\"");
	put_place(out, p);
	assure_buf_puts(out, " ");
	assure_buf_put_markup(out, p->subject);
	assure_buf_printf(out, "\" classname=\"%s\" time=\"0\"/>\n", p->rule_id);
}

static void suite(assure_buf *out, const assure_report_rule *r, size_t id, const assure_findings *findings,
                  const long *index, long want, const long *pass_index, const assure_report_meta *meta)
{
	size_t failures = 0, skipped = 0, n = assure_findings_count(findings);
	size_t np = meta->passes ? assure_findings_count(meta->passes) : 0, passed = 0;
	for (size_t i = 0; i < np; i++)
		passed += pass_index[i] == want;
	for (size_t i = 0; i < n; i++)
		if (index[i] == want) {
			if (assure_findings_get(findings, i)->waiver)
				skipped++;
			else
				failures++;
		}
	char date[11];
	assure_date_format(meta->as_of, date);
	assure_buf_puts(out, "  <testsuite name=\"");
	assure_buf_put_markup(out, r->id);
	assure_buf_puts(out, "\" package=\"");
	assure_buf_put_markup(out, assure_ruleset_name(meta->rules));
	assure_buf_printf(out,
	                  "\" id=\"%zu\" timestamp=\"%sT00:00:00\" hostname=\"assure\" tests=\"%zu\" "
	                  "failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
	                  id, date, failures + skipped + (meta->passes ? passed : 1), failures, skipped);
	assure_buf_puts(out, "    <properties>\n");
	property(out, "title", r->title);
	property(out, "severity", assure_severity_name(r->severity));
	property(out, "domain", r->domain);
	property(out, "rule_set", assure_ruleset_name(meta->rules));
	property(out, "rule_set_version", assure_ruleset_version(meta->rules));
	property(out, "as_of", date);
	if (meta->commit)
		property(out, "commit", meta->commit);
	assure_buf_puts(out, "    </properties>\n");
	for (size_t i = 0; i < n; i++)
		if (index[i] == want)
			testcase(out, assure_findings_get(findings, i));
	for (size_t i = 0; i < np; i++)
		if (pass_index[i] == want)
			passing_case(out, assure_findings_get(meta->passes, i));
	if (!meta->passes) {
		size_t checked = meta->result ? meta->result->files_checked : 0;
		assure_buf_printf(out,
		                  "    <testcase name=\"no other finding in the %zu file(s) checked\" "
		                  "classname=\"",
		                  checked);
		assure_buf_put_markup(out, r->id);
		assure_buf_puts(out, "\" time=\"0\"/>\n");
	}
	assure_buf_puts(out, "    <system-out/>\n    <system-err/>\n  </testsuite>\n");
}

int assure_report_junit(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta)
{
	size_t n = assure_findings_count(findings);
	long *index = assure_xcalloc(n ? n : 1, sizeof(long));
	bool unknown = false;
	for (size_t i = 0; i < n; i++) {
		index[i] = assure_report_rule_index(meta->rules, assure_findings_get(findings, i)->rule_id);
		unknown |= index[i] < 0;
	}
	size_t np = meta->passes ? assure_findings_count(meta->passes) : 0;
	long *pass_index = assure_xcalloc(np ? np : 1, sizeof(long));
	for (size_t i = 0; i < np; i++)
		pass_index[i] =
		    assure_report_rule_index(meta->rules, assure_findings_get(meta->passes, i)->rule_id);
	assure_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	size_t nrules = assure_report_rule_count(meta->rules);
	for (size_t k = 0; k < nrules; k++) {
		assure_report_rule r;
		assure_report_rule_at(meta->rules, k, &r);
		suite(out, &r, k, findings, index, (long)k, pass_index, meta);
	}
	if (unknown) {
		/* findings of a rule the rule set does not define (a report merged from elsewhere) */
		assure_report_rule other = {.id = "other",
		                            .title = "Findings of rules not in this rule set",
		                            .domain = "assure",
		                            .severity = ASSURE_SEV_ERROR};
		suite(out, &other, nrules, findings, index, -1, pass_index, meta);
	}
	assure_buf_puts(out, "</testsuites>\n");
	free(index);
	free(pass_index);
	return 0;
}
