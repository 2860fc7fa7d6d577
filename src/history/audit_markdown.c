/* audit_markdown.c: the audit as one Markdown document, for a committee pack (see audit.h). */
#include "assure/audit.h"

#include "assure/date.h"
#include "history/audit_int.h"

#include <string.h>

void ah_md_escape(assure_buf *out, const char *s)
{
	/* controls are made visible first (buf.h), then Markdown's own characters escaped */
	assure_buf shown = ASSURE_BUF_INIT;
	assure_buf_put_visible(&shown, s);
	for (const char *p = shown.ptr; *p; p++) {
		if (strchr("\\`*_[]<>|#", *p))
			assure_buf_putc(out, '\\');
		assure_buf_putc(out, *p);
	}
	assure_buf_free(&shown);
}

/*
 * Text from a repository in a code span: controls made visible (buf.h), and what could end
 * the span or the table cell written so that it cannot: a backtick as \x60 (no escape works
 * inside a code span), a '|' as GitHub's table syntax allows, "\|".
 */
static void md_code_text(assure_buf *out, const char *s)
{
	assure_buf shown = ASSURE_BUF_INIT;
	assure_buf_put_visible(&shown, s);
	for (const char *p = shown.ptr; p && *p; p++) {
		if (*p == '`')
			assure_buf_puts(out, "\\x60");
		else if (*p == '|')
			assure_buf_puts(out, "\\|");
		else
			assure_buf_putc(out, *p);
	}
	assure_buf_free(&shown);
}

void ah_md_code(assure_buf *out, const char *s)
{
	assure_buf_putc(out, '`');
	md_code_text(out, s);
	assure_buf_putc(out, '`');
}

static void where(assure_buf *out, const assure_finding *f)
{
	if (!*f->path) {
		assure_buf_puts(out, "(snapshot)");
		return;
	}
	assure_buf_putc(out, '`');
	md_code_text(out, f->path);
	if (f->line > 0)
		assure_buf_printf(out, ":%d:%d", f->line, f->column);
	assure_buf_putc(out, '`');
}

/* Findings of record rec (new ones: each shows the waiver of rec that accepts it, if any). */
static void findings_table(assure_buf *out, const assure_audit *a, const assure_findings *l,
                           const size_t *ivs, bool resolved, size_t rec)
{
	assure_buf_puts(
	    out,
	    resolved
	        ? "| Severity | Rule | Where | Message | Opened in | Open for |\n|---|---|---|---|---|---|\n"
	        : "| Severity | Rule | Where | Message |\n|---|---|---|---|\n");
	for (size_t i = 0; i < assure_findings_count(l); i++) {
		const assure_finding *f = assure_findings_get(l, i);
		assure_buf_printf(out, "| %s | %s | ", assure_severity_name(f->severity), f->rule_id);
		where(out, f);
		assure_buf_puts(out, " | ");
		ah_md_escape(out, f->message);
		const assure_audit_waived *w = resolved ? NULL : ah_waived_at(a, ivs[i], rec);
		if (w) {
			assure_buf text = ASSURE_BUF_INIT;
			ah_waiver_text(&text, &w->mark);
			assure_buf_puts(out, " **Waived** ");
			ah_md_escape(out, text.ptr);
			assure_buf_free(&text);
		}
		if (resolved) {
			const assure_audit_interval *iv = &a->intervals[ivs[i]];
			assure_buf_printf(out, " | `%.12s` | %s%d %s", a->commits[iv->opened].info.id,
			                  iv->before_range ? "at least " : "", iv->days,
			                  ah_plural((size_t)iv->days, "day", "days"));
		}
		assure_buf_puts(out, " |\n");
	}
	assure_buf_putc(out, '\n');
}

static void tally_table(assure_buf *out, const char *title, const char *head, const assure_audit_tally *t,
                        size_t n)
{
	if (!n)
		return;
	assure_buf_printf(out, "### %s\n\n| %s | Opened | Closed | Open at the end |\n|---|---:|---:|---:|\n",
	                  title, head);
	for (size_t i = 0; i < n; i++) {
		assure_buf_puts(out, "| ");
		ah_md_escape(out, *t[i].key ? t[i].key : "(none)");
		assure_buf_printf(out, " | %zu | %zu | %zu |\n", t[i].opened, t[i].closed, t[i].open);
	}
	assure_buf_putc(out, '\n');
}

static void commit_section(assure_buf *out, const assure_audit *a, const assure_audit_commit *c,
                           size_t number)
{
	char t[48], d[11];
	assure_buf_printf(out, "### %zu. `%.12s` ", number, c->info.id);
	ah_md_escape(out, c->info.subject);
	assure_buf_puts(out, "\n\n- Commit: `");
	assure_buf_puts(out, c->info.id);
	assure_buf_puts(out, "`\n- Author: ");
	ah_md_escape(out, c->info.author_name);
	assure_buf_puts(out, " (");
	ah_md_escape(out, c->info.author_email);
	assure_audit_format_time(t, c->info.commit_time, c->info.commit_offset);
	assure_date_format(c->as_of, d);
	assure_buf_printf(out, ")\n- Date: %s (as of %s)\n", t, d);
	if (c->shallow)
		assure_buf_puts(out,
		                "- Shallow: its parents are not in this clone, so every finding is new\n");
	else if (c->info.parent_count > 1)
		assure_buf_printf(out, "- Merge: compared with its first parent `%.12s`\n",
		                  c->info.first_parent);
	assure_buf_puts(out, "- Returns changed:");
	if (!c->nchanges)
		assure_buf_puts(out, " none");
	for (size_t i = 0; i < c->nchanges; i++) {
		assure_buf_printf(out, "%s %s ", i ? "," : "", assure_audit_change_name(c->changes[i].kind));
		ah_md_code(out, c->changes[i].path);
		if (c->changes[i].old_path) {
			assure_buf_puts(out, " (from ");
			ah_md_code(out, c->changes[i].old_path);
			assure_buf_putc(out, ')');
		}
	}
	if (c->other_changes)
		assure_buf_printf(out, " (and %zu other %s)", c->other_changes,
		                  ah_plural(c->other_changes, "file", "files"));
	size_t nn = assure_findings_count(c->opened), nr = assure_findings_count(c->resolved);
	assure_buf_printf(
	    out, "\n- Findings: %zu %s, %zu %s, %zu info; **%zu new**, **%zu resolved**, %zu persisting\n",
	    c->counts[ASSURE_SEV_ERROR], ah_plural(c->counts[ASSURE_SEV_ERROR], "error", "errors"),
	    c->counts[ASSURE_SEV_WARNING], ah_plural(c->counts[ASSURE_SEV_WARNING], "warning", "warnings"),
	    c->counts[ASSURE_SEV_INFO], nn, nr, c->persisting);
	if (c->result.parse_failures || c->result.eval_failures)
		assure_buf_printf(out,
		                  "- Incomplete: %zu files could not be read, %zu rule evaluations failed\n",
		                  c->result.parse_failures, c->result.eval_failures);
	assure_buf_putc(out, '\n');
	if (nn) {
		assure_buf_puts(out, "New:\n\n");
		findings_table(out, a, c->opened, c->opened_interval, false, (size_t)(c - a->commits));
	}
	if (nr) {
		assure_buf_puts(out, "Resolved:\n\n");
		findings_table(out, a, c->resolved, c->resolved_interval, true, (size_t)(c - a->commits));
	}
}

int assure_audit_markdown(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                          void *payload)
{
	assure_buf out = ASSURE_BUF_INIT;
	const assure_audit_summary *s = &a->summary;
	assure_buf_puts(&out, "# Audit of the returns repository\n\n| | |\n|---|---|\n");
	assure_buf_printf(&out, "| Tool | assure %s |\n", meta->tool_version);
	assure_buf_printf(&out, "| Rules | %s %s (%zu rules, hash `%s`) |\n",
	                  assure_ruleset_name(meta->rules), assure_ruleset_version(meta->rules),
	                  assure_ruleset_count(meta->rules), assure_ruleset_hash(meta->rules));
	assure_buf_puts(&out, "| Repository | ");
	ah_md_code(&out, meta->repository ? meta->repository : ".");
	assure_buf_puts(&out, " |\n| Range | ");
	assure_buf ranges = ASSURE_BUF_INIT;
	ah_range_text(&ranges, meta);
	ah_md_escape(&out, ranges.ptr);
	assure_buf_free(&ranges);
	assure_buf_puts(&out, " |\n| As of | ");
	ah_as_of_policy(&out, meta);
	assure_buf_puts(&out, " |\n\n## Summary\n\n");
	assure_buf_printf(&out, "- Commits audited: %zu\n- Findings opened: %zu\n- Findings closed: %zu\n",
	                  s->commits, s->all.opened, s->all.closed);
	assure_buf_printf(&out, "- Open at the end: %zu", s->all.open);
	if (a->last >= 0)
		assure_buf_printf(&out, " (in `%.12s`)", a->commits[a->last].info.id);
	assure_buf_puts(&out, "\n\n");
	tally_table(&out, "By rule", "Rule", s->by_rule, s->nrules);
	tally_table(&out, "By domain", "Domain", s->by_domain, s->ndomains);
	tally_table(&out, "By organisation (the return's `org`)", "Organisation", s->by_org, s->norgs);
	if (s->nlongest) {
		assure_buf_puts(&out,
		                "### Longest open\n\n| Days | Rule | Where | Subject | Opened | Resolved |\n"
		                "|---:|---|---|---|---|---|\n");
		for (size_t i = 0; i < s->nlongest; i++) {
			const assure_audit_interval *iv = &a->intervals[s->longest[i]];
			char d[11];
			assure_date_format(ah_commit_day(&a->commits[iv->opened]), d);
			assure_buf_printf(&out, "| %s%d | %s | ", iv->before_range ? "≥ " : "", iv->days,
			                  iv->finding->rule_id);
			where(&out, iv->finding);
			assure_buf_puts(&out, " | ");
			ah_md_escape(&out, iv->finding->subject);
			assure_buf_printf(&out, " | `%.12s` %s | ", a->commits[iv->opened].info.id, d);
			if (iv->closed >= 0) {
				assure_date_format(ah_commit_day(&a->commits[iv->closed]), d);
				assure_buf_printf(&out, "`%.12s` %s |\n", a->commits[iv->closed].info.id, d);
			} else {
				assure_buf_puts(&out, "still open |\n");
			}
		}
		assure_buf_putc(&out, '\n');
	}
	assure_buf_puts(&out, "## Commits\n\n");
	size_t number = 0;
	int rc = 0;
	for (size_t r = 0; rc == 0 && r < a->ncommits; r++)
		if (a->commits[r].reported) {
			commit_section(&out, a, &a->commits[r], ++number);
			rc = ah_emit_piece(&out, emit, payload, false);
		}
	if (rc == 0)
		rc = ah_emit_piece(&out, emit, payload, true);
	assure_buf_free(&out);
	return rc;
}
