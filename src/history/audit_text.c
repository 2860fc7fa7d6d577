/*
 * audit_text.c: the audit as plain text, one block per commit and a summary, and the
 * table of audit formats (see audit.h).
 */
#include "assure/audit.h"

#include "assure/date.h"
#include "history/audit_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const assure_audit_format formats[] = {
    {"text", "one block per commit, then a summary (default)", false, assure_audit_text},
    {"json", "a JSON document, format " ASSURE_AUDIT_FORMAT, false, assure_audit_json},
    {"markdown", "a Markdown document for a committee pack", false, assure_audit_markdown},
    {"html", "a self-contained HTML report with charts: index.html and a page per commit (--out DIR)", true,
     assure_audit_html},
    {NULL, NULL, false, NULL},
};

const assure_audit_format *assure_audit_formats(void)
{
	return formats;
}

const char *assure_audit_format_names(void)
{
	/* made once from the table, so that no list of names can fall behind it */
	static char names[256];
	if (!names[0]) {
		size_t used = 0;
		for (const assure_audit_format *f = formats; f->name; f++) {
			int n =
			    snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", f->name);
			assert(n > 0 && (size_t)n < sizeof(names) - used);
			used += (size_t)n;
		}
	}
	return names;
}

const assure_audit_format *assure_audit_format_find(const char *name)
{
	for (const assure_audit_format *f = formats; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void finding_line(assure_buf *out, const assure_finding *f)
{
	if (!*f->path)
		assure_buf_puts(out, "(snapshot)");
	else
		assure_buf_put_visible(out, f->path);
	if (*f->path && f->line > 0)
		assure_buf_printf(out, ":%d:%d", f->line, f->column);
	assure_buf_printf(out, ": %s: [%s] ", assure_severity_name(f->severity), f->rule_id);
	assure_buf_put_visible(out, f->message);
}

static void counts_text(assure_buf *out, const size_t c[ASSURE_SEV_COUNT])
{
	assure_buf_printf(out, "%zu %s, %zu %s, %zu info", c[ASSURE_SEV_ERROR],
	                  ah_plural(c[ASSURE_SEV_ERROR], "error", "errors"), c[ASSURE_SEV_WARNING],
	                  ah_plural(c[ASSURE_SEV_WARNING], "warning", "warnings"), c[ASSURE_SEV_INFO]);
}

/* What the commit's waivers began or stopped accepting (spans: every span, by start). */
static void waiver_changes(assure_buf *out, const assure_audit *a, size_t rec, const ah_span_ref *spans,
                           size_t nspans)
{
	bool began = false, ended = false;
	for (size_t i = 0; i < nspans; i++) {
		const assure_audit_interval *iv = &a->intervals[spans[i].iv];
		const assure_audit_waived *w = &iv->waived[spans[i].k];
		/* a finding new here is shown with its waiver under "new" */
		if (w->from != rec || iv->opened == rec)
			continue;
		if (!began)
			assure_buf_puts(out, "  waived from here:\n");
		began = true;
		assure_buf_puts(out, "    ");
		finding_line(out, iv->finding);
		assure_buf_puts(out, "\n      waived ");
		ah_waiver_text(out, &w->mark);
		assure_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < nspans; i++) {
		const assure_audit_interval *iv = &a->intervals[spans[i].iv];
		const assure_audit_waived *w = &iv->waived[spans[i].k];
		/* a span that ends with its finding resolved is in "resolved" already, one that another
		 * span follows (an extended waiver) is in "waived from here" */
		if (w->to != (long)rec || iv->closed == (long)rec || ah_waived_at(a, spans[i].iv, rec))
			continue;
		if (!ended)
			assure_buf_puts(out, "  no longer waived:\n");
		ended = true;
		assure_buf_puts(out, "    ");
		finding_line(out, iv->finding);
		assure_buf_printf(out, "\n      (waived since %.12s)\n", a->commits[w->from].info.id);
	}
}

static void commit_block(assure_buf *out, const assure_audit *a, const assure_audit_commit *c,
                         const ah_span_ref *spans, size_t nspans)
{
	size_t rec = (size_t)(c - a->commits);
	char t[48], d[11];
	assure_buf_printf(out, "commit %s\n", c->info.id);
	assure_buf_puts(out, "Author: ");
	assure_buf_put_visible(out, c->info.author_name);
	assure_buf_puts(out, " <");
	assure_buf_put_visible(out, c->info.author_email);
	assure_buf_puts(out, ">\n");
	assure_audit_format_time(t, c->info.commit_time, c->info.commit_offset);
	assure_date_format(c->as_of, d);
	assure_buf_printf(out, "Date:   %s (as of %s)\n", t, d);
	if (c->shallow)
		assure_buf_puts(out, "Shallow: its parents are not in this clone, so every finding is new\n");
	else if (c->info.parent_count > 1)
		assure_buf_printf(out, "Merge:  compared with its first parent %.12s\n",
		                  c->info.first_parent);
	assure_buf_puts(out, "\n    ");
	assure_buf_put_visible(out, c->info.subject);
	assure_buf_puts(out, "\n\n");
	assure_buf_printf(out, "  returns changed:%s\n", c->nchanges ? "" : " none");
	for (size_t i = 0; i < c->nchanges; i++) {
		const assure_change *ch = &c->changes[i];
		assure_buf_printf(out, "    %-9s ", assure_audit_change_name(ch->kind));
		assure_buf_put_visible(out, ch->path);
		if (ch->old_path) {
			assure_buf_puts(out, " (from ");
			assure_buf_put_visible(out, ch->old_path);
			assure_buf_putc(out, ')');
		}
		assure_buf_putc(out, '\n');
	}
	if (c->other_changes)
		assure_buf_printf(out, "  other files changed: %zu\n", c->other_changes);
	size_t nn = assure_findings_count(c->opened), nr = assure_findings_count(c->resolved);
	assure_buf_puts(out, "  findings: ");
	counts_text(out, c->counts);
	size_t waived = c->waived[0] + c->waived[1] + c->waived[2];
	_Static_assert(ASSURE_SEV_COUNT == 3, "every severity's waived findings");
	if (waived) /* only then: a history without waivers reads as it did */
		assure_buf_printf(out, " (%zu waived)", waived);
	assure_buf_printf(out, "; %zu new, %zu resolved, %zu persisting\n", nn, nr, c->persisting);
	if (c->result.parse_failures || c->result.eval_failures)
		assure_buf_printf(
		    out, "  incomplete: %zu %s could not be read, %zu rule %s failed\n",
		    c->result.parse_failures, ah_plural(c->result.parse_failures, "file", "files"),
		    c->result.eval_failures, ah_plural(c->result.eval_failures, "evaluation", "evaluations"));
	if (nn) {
		assure_buf_puts(out, "  new:\n");
		for (size_t i = 0; i < nn; i++) {
			assure_buf_puts(out, "    ");
			finding_line(out, assure_findings_get(c->opened, i));
			assure_buf_putc(out, '\n');
			const assure_audit_waived *w = ah_waived_at(a, c->opened_interval[i], rec);
			if (w) {
				assure_buf_puts(out, "      waived ");
				ah_waiver_text(out, &w->mark);
				assure_buf_putc(out, '\n');
			}
		}
	}
	if (nr) {
		assure_buf_puts(out, "  resolved:\n");
		for (size_t i = 0; i < nr; i++) {
			const assure_audit_interval *iv = &a->intervals[c->resolved_interval[i]];
			assure_buf_puts(out, "    ");
			finding_line(out, assure_findings_get(c->resolved, i));
			assure_buf_printf(out, "\n      (opened in %.12s, ", a->commits[iv->opened].info.id);
			ah_interval_span(out, a, iv);
			assure_buf_puts(out, ")\n");
		}
	}
	waiver_changes(out, a, rec, spans, nspans);
	assure_buf_putc(out, '\n');
}

static void tally_table(assure_buf *out, const char *title, const char *head, const assure_audit_tally *t,
                        size_t n)
{
	if (!n)
		return;
	assure_buf_printf(out, "  %s:\n    %-28s %6s %6s %6s\n", title, head, "opened", "closed", "open");
	assure_buf key = ASSURE_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		assure_buf_clear(&key);
		assure_buf_put_visible(&key, *t[i].key ? t[i].key : "(none)");
		assure_buf_printf(out, "    %-28s %6zu %6zu %6zu\n", key.ptr, t[i].opened, t[i].closed,
		                  t[i].open);
	}
	assure_buf_free(&key);
}

int assure_audit_text(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                      void *payload)
{
	assure_buf out = ASSURE_BUF_INIT;
	const assure_audit_summary *s = &a->summary;
	assure_buf_printf(&out, "assure %s audit of %s, range ", meta->tool_version,
	                  meta->repository ? meta->repository : ".");
	ah_range_text(&out, meta);
	assure_buf_printf(&out, "\nrules %s %s (hash %s)\nas of ", assure_ruleset_name(meta->rules),
	                  assure_ruleset_version(meta->rules), assure_ruleset_hash(meta->rules));
	ah_as_of_policy(&out, meta);
	assure_buf_puts(&out, "\n\n");
	ah_span_ref *spans;
	size_t nspans = ah_waived_spans(a, &spans);
	int rc = 0;
	for (size_t r = 0; rc == 0 && r < a->ncommits; r++)
		if (a->commits[r].reported) {
			commit_block(&out, a, &a->commits[r], spans, nspans);
			rc = ah_emit_piece(&out, emit, payload, false);
		}
	free(spans);
	if (rc < 0) {
		assure_buf_free(&out);
		return rc;
	}

	assure_buf_puts(&out, "summary\n");
	assure_buf_printf(&out, "  commits audited: %zu\n", s->commits);
	assure_buf_printf(&out, "  findings opened: %zu, closed: %zu, open at the end: %zu", s->all.opened,
	                  s->all.closed, s->all.open);
	if (a->last >= 0)
		assure_buf_printf(&out, " (in %.12s)", a->commits[a->last].info.id);
	assure_buf_putc(&out, '\n');
	tally_table(&out, "by rule", "rule", s->by_rule, s->nrules);
	tally_table(&out, "by domain", "domain", s->by_domain, s->ndomains);
	tally_table(&out, "by organisation (the return's org)", "org", s->by_org, s->norgs);
	if (s->nlongest) {
		assure_buf_puts(&out, "  longest open:\n");
		for (size_t i = 0; i < s->nlongest; i++) {
			const assure_audit_interval *iv = &a->intervals[s->longest[i]];
			char d[11];
			assure_date_format(ah_commit_day(&a->commits[iv->opened]), d);
			assure_buf_printf(&out, "    %s%4d %s  [%s] ", iv->before_range ? ">=" : "  ",
			                  iv->days, ah_plural((size_t)iv->days, "day ", "days"),
			                  iv->finding->rule_id);
			assure_buf_put_visible(&out, iv->finding->path[0] ? iv->finding->path : "(snapshot)");
			assure_buf_putc(&out, ' ');
			assure_buf_put_visible(&out, iv->finding->subject);
			assure_buf_printf(&out, ", opened %.12s %s, ", a->commits[iv->opened].info.id, d);
			if (iv->closed >= 0) {
				assure_date_format(ah_commit_day(&a->commits[iv->closed]), d);
				assure_buf_printf(&out, "resolved %.12s %s\n", a->commits[iv->closed].info.id,
				                  d);
			} else {
				assure_buf_puts(&out, "still open\n");
			}
		}
	}
	rc = ah_emit_piece(&out, emit, payload, true);
	assure_buf_free(&out);
	return rc;
}
