/* report.c: the format table, the tool's own rules, and the text and JSON reports of a check (see report.h).
 */
#include "assure/report.h"

#include "assure/waiver.h"
#include "assure/utf8.h"

#include "assure/date.h"
#include "assure/error.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const assure_report_format formats[] = {
    {"text", "one line per finding, path:line:col: severity: [RULE] message", assure_report_text},
    {"json", "a JSON document, format " ASSURE_REPORT_FORMAT, assure_report_json},
    {"sarif", "SARIF 2.1.0, for code scanning (GitHub) and other SARIF viewers", assure_report_sarif},
    {"junit", "JUnit XML: a test suite per rule, a failure per finding", assure_report_junit},
    {"github", "GitHub Actions workflow commands: an annotation per finding", assure_report_github},
    {"gitlab", "GitLab code quality JSON", assure_report_gitlab},
    {NULL, NULL, NULL},
};

const char *assure_report_format_names(void)
{
	/* made once from the table, so that no list of names can fall behind it */
	static char names[256];
	if (!names[0]) {
		size_t used = 0;
		for (const assure_report_format *f = formats; f->name; f++) {
			int n =
			    snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", f->name);
			assert(n > 0 && (size_t)n < sizeof(names) - used);
			used += (size_t)n;
		}
	}
	return names;
}

/*
 * The rules the tool raises itself, for the formats that describe every rule they name
 * (SARIF's rules, JUnit's suites). Their meaning is docs/report-format.md's table.
 */
static const assure_report_rule tool_rules[] = {
    {ASSURE_RULE_PARSE, "A file is not valid JSON, or could not be read",
     "A file some rule applies to is not valid JSON (a duplicate key in one object included), or the "
     "repository could not give its content, or it is a Git LFS pointer. None of its rules could be "
     "evaluated, so the run is incomplete.",
     "Correct the JSON at the line and column given, or restore the file the repository cannot give.", NULL,
     NULL, "assure", NULL, ASSURE_SEV_ERROR, true},
    {ASSURE_RULE_EVAL, "A rule could not be evaluated on a node",
     "A rule met an absent value, a value of the wrong type, a division by zero or an assert that is "
     "neither true nor false. That rule says nothing of that node, so the run is incomplete.",
     "Give the field the message names the value and type the rule set expects (docs/returns.md).", NULL,
     NULL, "assure", NULL, ASSURE_SEV_ERROR, true},
    {ASSURE_RULE_LIMIT, "A file is larger than the run reads, or a rule has more findings than listed",
     "A file larger than --max-file-size is not read (the run is incomplete); or a rule found more "
     "in one file than --max-findings lists, and one finding counts the rest.",
     "Split the file or raise --max-file-size; raise --max-findings to list every finding.", NULL, NULL,
     "assure", NULL, ASSURE_SEV_ERROR, true},
    /* what a committee's waivers file says of itself (docs/waivers.md) */
    {ASSURE_RULE_WAIVER_INVALID, "A waiver, or the waivers file, is malformed",
     "An entry lacks its reason, approver or expiry, runs longer than the days a waiver may, has an "
     "unknown key, or the file is not a waivers file. The entry waives nothing.",
     "Correct the entry at the place given; a committee approves waivers for a time (docs/waivers.md).", NULL,
     NULL, "waivers", NULL, ASSURE_SEV_ERROR, true},
    {ASSURE_RULE_WAIVER_EXPIRED, "A waiver has expired",
     "The entry's expiry is before the reference date: the finding it accepted is a breach again.",
     "The committee renews the waiver with a new approval, or the breach is corrected.", NULL, NULL,
     "waivers", NULL, ASSURE_SEV_ERROR, true},
    {ASSURE_RULE_WAIVER_UNUSED, "A waiver matches no finding",
     "A valid, unexpired entry accepts nothing: the breach was corrected, or the entry names it wrongly.",
     "Remove the entry, or correct its rule, subject, path or fingerprint.", NULL, NULL, "waivers", NULL,
     ASSURE_SEV_INFO, true},
    {ASSURE_RULE_WAIVER_SELF, "A waiver was approved by whoever made the finding it waives",
     "In an audit: the entry was added or extended by the author of the commit that introduced the "
     "finding it accepts, or in that commit. Segregation of duties: a submitter cannot excuse their own "
     "breach.",
     "The assurance team confirms the waiver from outside the submitters' commits (--waivers FILE), or "
     "removes it.",
     NULL, NULL, "waivers", NULL, ASSURE_SEV_ERROR, true},
};
#define NTOOL_RULES (sizeof(tool_rules) / sizeof(tool_rules[0]))

size_t assure_report_rule_count(const assure_ruleset *rs)
{
	return assure_ruleset_count(rs) + NTOOL_RULES;
}

void assure_report_rule_at(const assure_ruleset *rs, size_t i, assure_report_rule *out)
{
	size_t n = assure_ruleset_count(rs);
	assert(i < n + NTOOL_RULES);
	if (i >= n) {
		*out = tool_rules[i - n];
		return;
	}
	const assure_rule *r = assure_ruleset_rule(rs, i);
	*out = (assure_report_rule){
	    .id = r->id,
	    .title = r->title,
	    .description = r->description,
	    .help = r->help,
	    .rationale = r->rationale,
	    .reference = r->reference,
	    .domain = r->domain,
	    .kind = r->kind,
	    .severity = r->severity,
	    .tool = false,
	};
}

long assure_report_rule_index(const assure_ruleset *rs, const char *id)
{
	size_t n = assure_ruleset_count(rs);
	/* the rule set's own lookup, then the few of the tool */
	const assure_rule *r = assure_ruleset_find(rs, id);
	if (r)
		for (size_t i = 0; i < n; i++)
			if (assure_ruleset_rule(rs, i) == r)
				return (long)i;
	for (size_t i = 0; i < NTOOL_RULES; i++)
		if (strcmp(tool_rules[i].id, id) == 0)
			return (long)(n + i);
	return -1;
}

const assure_report_format *assure_report_formats(void)
{
	return formats;
}

const assure_report_format *assure_report_format_find(const char *name)
{
	for (const assure_report_format *f = formats; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

bool assure_report_incomplete(const assure_check_result *result)
{
	return result && (result->parse_failures || result->eval_failures);
}

/* ANSI SGR codes for each severity, indexed by assure_severity. */
static const char *const severity_color[ASSURE_SEV_COUNT] = {"\033[1;36m", "\033[1;33m", "\033[1;31m"};
_Static_assert(ASSURE_SEV_COUNT == 3, "a colour for each severity");

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void assure_report_counts(const assure_findings *l, size_t counts[ASSURE_SEV_COUNT], size_t *waived)
{
	for (int i = 0; i < ASSURE_SEV_COUNT; i++)
		counts[i] = 0;
	*waived = 0;
	for (size_t i = 0; i < assure_findings_count(l); i++) {
		const assure_finding *f = assure_findings_get(l, i);
		if (f->waiver)
			(*waived)++;
		else
			counts[f->severity]++;
	}
}

void assure_report_text_finding(assure_buf *out, const assure_finding *f, bool color)
{
	if (color)
		assure_buf_puts(out, "\033[1m");
	/* a path and a message are the submitter's text: shown, never obeyed (buf.h) */
	if (!*f->path)
		assure_buf_puts(out, "(snapshot)");
	else
		assure_buf_put_visible(out, f->path);
	if (*f->path && f->line > 0)
		assure_buf_printf(out, ":%d:%d", f->line, f->column);
	const char *waived = f->waiver ? "waived " : "";
	if (color)
		assure_buf_printf(out, ":\033[0m %s%s%s:\033[0m [%s] ", severity_color[f->severity], waived,
		                  assure_severity_name(f->severity), f->rule_id);
	else
		assure_buf_printf(out, ": %s%s: [%s] ", waived, assure_severity_name(f->severity),
		                  f->rule_id);
	assure_buf_put_visible(out, f->message);
	assure_buf_putc(out, '\n');
	if (f->waiver) {
		/* the waiver's text is the repository's too: visible, one line */
		const assure_waiver_mark *w = f->waiver;
		assure_buf_puts(out, "    waived until ");
		assure_buf_put_visible(out, w->expires);
		assure_buf_puts(out, " by ");
		assure_buf_put_visible(out, w->where);
		assure_buf_puts(out, ", approved by ");
		assure_buf_put_visible(out, w->approved_by);
		assure_buf_puts(out, " on ");
		assure_buf_put_visible(out, w->approved_on);
		assure_buf_puts(out, ": ");
		assure_buf_put_visible(out, w->reason);
		assure_buf_putc(out, '\n');
	}
}

int assure_report_text(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta)
{
	size_t n = assure_findings_count(findings);
	for (size_t i = 0; i < n; i++)
		assure_report_text_finding(out, assure_findings_get(findings, i), meta->color);
	size_t c[ASSURE_SEV_COUNT], waived;
	assure_report_counts(findings, c, &waived);
	char date[11];
	assure_date_format(meta->as_of, date);
	size_t checked = meta->result ? meta->result->files_checked : 0;
	/* the number of rules says what ran: a partial rule set is not the whole pack */
	size_t nrules = assure_ruleset_count(meta->rules);
	assure_buf_printf(out, "%zu %s, %zu %s, %zu info", c[ASSURE_SEV_ERROR],
	                  plural(c[ASSURE_SEV_ERROR], "error", "errors"), c[ASSURE_SEV_WARNING],
	                  plural(c[ASSURE_SEV_WARNING], "warning", "warnings"), c[ASSURE_SEV_INFO]);
	/* only when there are: the line a run without waivers prints stays as it was */
	if (waived)
		assure_buf_printf(out, ", %zu waived", waived);
	assure_buf_printf(out, " in %zu %s checked (%zu %s of %s %s, as of %s", checked,
	                  plural(checked, "file", "files"), nrules, plural(nrules, "rule", "rules"),
	                  assure_ruleset_name(meta->rules), assure_ruleset_version(meta->rules), date);
	if (meta->commit)
		assure_buf_printf(out, ", commit %.12s", meta->commit);
	assure_buf_puts(out, ")\n");
	if (meta->baseline) {
		assure_buf_puts(out, "baseline ");
		assure_buf_put_visible(out, meta->baseline);
		if (meta->baseline_commit)
			assure_buf_printf(out, " (commit %.12s)", meta->baseline_commit);
		assure_buf_printf(out, ": %zu %s it already had not shown\n", meta->baseline_hidden,
		                  plural(meta->baseline_hidden, "finding", "findings"));
	}
	if (assure_report_incomplete(meta->result)) {
		size_t pf = meta->result->parse_failures, ef = meta->result->eval_failures;
		assure_buf_printf(out, "incomplete: %zu %s could not be read, %zu rule %s failed\n", pf,
		                  plural(pf, "file", "files"), ef, plural(ef, "evaluation", "evaluations"));
	}
	return 0;
}

json_t *assure_report_finding_json(const assure_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "rule", json_string(f->rule_id));
	json_object_set_new(o, "severity", json_string(assure_severity_name(f->severity)));
	json_object_set_new(o, "domain", json_string(f->domain));
	json_object_set_new(o, "title", json_string(f->title));
	json_object_set_new(o, "message", assure_json_text(f->message));
	assure_json_set_name(o, "path", f->path);
	json_object_set_new(o, "pointer", json_string(f->pointer));
	json_object_set_new(o, "line", json_integer(f->line));
	json_object_set_new(o, "column", json_integer(f->column));
	json_object_set_new(o, "subject", json_string(f->subject));
	json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
	if (f->waiver) {
		json_t *w = json_object();
		json_object_set_new(w, "where", assure_json_text(f->waiver->where));
		json_object_set_new(w, "reason", assure_json_text(f->waiver->reason));
		json_object_set_new(w, "approved_by", assure_json_text(f->waiver->approved_by));
		json_object_set_new(w, "approved_on", assure_json_text(f->waiver->approved_on));
		json_object_set_new(w, "expires", assure_json_text(f->waiver->expires));
		json_object_set_new(o, "waiver", w);
	}
	return o;
}

static json_t *counts_json(const assure_findings *findings)
{
	size_t c[ASSURE_SEV_COUNT], waived;
	assure_report_counts(findings, c, &waived);
	json_t *o = json_object();
	json_object_set_new(o, "error", json_integer((json_int_t)c[ASSURE_SEV_ERROR]));
	json_object_set_new(o, "warning", json_integer((json_int_t)c[ASSURE_SEV_WARNING]));
	json_object_set_new(o, "info", json_integer((json_int_t)c[ASSURE_SEV_INFO]));
	json_object_set_new(o, "waived", json_integer((json_int_t)waived));
	json_object_set_new(o, "total", json_integer((json_int_t)assure_findings_count(findings)));
	return o;
}

static json_t *nullable_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *assure_report_json_header(const char *format, const char *tool_version, const assure_ruleset *rs)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "format", json_string(format));
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("assure"));
	json_object_set_new(tool, "version", json_string(tool_version));
	json_object_set_new(doc, "tool", tool);
	json_t *rules = json_object();
	json_object_set_new(rules, "name", json_string(assure_ruleset_name(rs)));
	json_object_set_new(rules, "version", json_string(assure_ruleset_version(rs)));
	json_object_set_new(rules, "hash", json_string(assure_ruleset_hash(rs)));
	json_object_set_new(rules, "count", json_integer((json_int_t)assure_ruleset_count(rs)));
	json_object_set_new(doc, "rules", rules);
	return doc;
}

static json_t *finding_item(size_t i, void *payload)
{
	return assure_report_finding_json(assure_findings_get(payload, i));
}

int assure_report_json(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta)
{
	json_t *doc = assure_report_json_header(ASSURE_REPORT_FORMAT, meta->tool_version, meta->rules);
	json_t *src = json_object();
	json_object_set_new(src, "type", json_string(meta->source));
	if (meta->repository)
		assure_json_set_name(src, "repository", meta->repository);
	else
		json_object_set_new(src, "repository", json_null());
	json_object_set_new(src, "commit", nullable_string(meta->commit));
	json_object_set_new(doc, "source", src);
	char date[11];
	assure_date_format(meta->as_of, date);
	json_object_set_new(doc, "as_of", json_string(date));
	const assure_check_result *r = meta->result;
	json_object_set_new(doc, "complete", json_boolean(!assure_report_incomplete(r)));
	json_t *files = json_object();
	json_object_set_new(files, "seen", json_integer(r ? (json_int_t)r->files_seen : 0));
	json_object_set_new(files, "checked", json_integer(r ? (json_int_t)r->files_checked : 0));
	json_object_set_new(files, "parse_failures", json_integer(r ? (json_int_t)r->parse_failures : 0));
	json_object_set_new(files, "eval_failures", json_integer(r ? (json_int_t)r->eval_failures : 0));
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "counts", counts_json(findings));
	/* present only when used, so that a report without them keeps its bytes */
	if (meta->waivers)
		assure_json_set_name(doc, "waivers", meta->waivers);
	if (meta->baseline) {
		json_t *b = json_object();
		json_object_set_new(b, "source", assure_json_text(meta->baseline));
		json_object_set_new(b, "commit", nullable_string(meta->baseline_commit));
		json_object_set_new(b, "hidden", json_integer((json_int_t)meta->baseline_hidden));
		json_object_set_new(doc, "baseline", b);
	}
	json_object_set_new(doc, "findings", json_array());
	return assure_json_write_list(out, doc, assure_findings_count(findings), finding_item, NULL,
	                              (void *)findings, "JSON report");
}
