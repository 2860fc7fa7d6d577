/*
 * github.c: the findings of one check as GitHub Actions workflow commands, one line per
 * finding (::error, ::warning or ::notice with file, line, col and title), which the runner
 * turns into annotations on the files of a pull request.
 *
 * A runner reads a command from any line that starts with "::", so no text of a return may
 * end a line: every value is first made visible (assure_buf_put_visible writes a line break
 * as the two characters \n and a control as \xNN, so nothing reaches the log's terminal as a
 * control sequence), then escaped as the runner unescapes it: % as %25 everywhere, and : and ,
 * as %3A and %2C inside a property, where they would end the value.
 */
#include "assure/report.h"

#include <string.h>

static const char *command_name(assure_severity s)
{
	static const char *const names[ASSURE_SEV_COUNT] = {"notice", "warning", "error"};
	return names[s];
}

/* Append s visible and escaped; `property` adds the escapes of a property's value. */
static void put_escaped(assure_buf *out, const char *s, bool property)
{
	assure_buf vis = ASSURE_BUF_INIT;
	assure_buf_put_visible(&vis, s);
	for (const char *p = vis.ptr ? vis.ptr : ""; *p; p++) {
		if (*p == '%')
			assure_buf_puts(out, "%25");
		else if (*p == '\r') /* put_visible leaves none; kept so this stays safe on its own */
			assure_buf_puts(out, "%0D");
		else if (*p == '\n')
			assure_buf_puts(out, "%0A");
		else if (property && *p == ':')
			assure_buf_puts(out, "%3A");
		else if (property && *p == ',')
			assure_buf_puts(out, "%2C");
		else
			assure_buf_putc(out, *p);
	}
	assure_buf_free(&vis);
}

int assure_report_github(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta)
{
	for (size_t i = 0; i < assure_findings_count(findings); i++) {
		const assure_finding *f = assure_findings_get(findings, i);
		/* a waived finding is shown, as a notice, so that it reads as accepted and not as a failure
		 */
		assure_buf_printf(out, "::%s ", f->waiver ? "notice" : command_name(f->severity));
		if (*f->path) {
			assure_buf_puts(out, "file=");
			put_escaped(out, f->path, true);
			if (f->line > 0)
				assure_buf_printf(out, ",line=%d,col=%d", f->line, f->column);
			assure_buf_putc(out, ',');
		}
		assure_buf_puts(out, "title=");
		assure_buf_printf(out, "[%s] ", f->rule_id);
		if (f->waiver)
			put_escaped(out, "waived: ", true);
		put_escaped(out, f->title, true);
		assure_buf_puts(out, "::");
		if (f->waiver)
			assure_buf_printf(out, "(waived, %s) ", assure_severity_name(f->severity));
		put_escaped(out, f->message, false);
		if (f->waiver) {
			const assure_waiver_mark *w = f->waiver;
			assure_buf_puts(out, " (waiver ");
			put_escaped(out, w->where, false);
			assure_buf_puts(out, ": approved by ");
			put_escaped(out, w->approved_by, false);
			assure_buf_puts(out, " on ");
			put_escaped(out, w->approved_on, false);
			assure_buf_puts(out, ", expires ");
			put_escaped(out, w->expires, false);
			assure_buf_puts(out, ": ");
			put_escaped(out, w->reason, false);
			assure_buf_putc(out, ')');
		}
		assure_buf_putc(out, '\n');
	}
	if (assure_report_incomplete(meta->result))
		assure_buf_printf(out,
		                  "::error title=assure%%3A the check is incomplete::%zu file(s) could not "
		                  "be read, %zu rule evaluation(s) failed: see the ASSURE-PARSE and "
		                  "ASSURE-EVAL annotations\n",
		                  meta->result->parse_failures, meta->result->eval_failures);
	return 0;
}
