/*
 * audit_html.c: the audit as a self-contained HTML report: index.html (summary, charts,
 * the list of commits) and commits/<id>.html per reported commit (see audit.h).
 *
 * Self-contained means: the style sheet is inline, the charts are inline SVG, there is
 * no script, font, image or link to anything outside the folder written; the only links
 * are between the report's own pages. It reads without JavaScript.
 */
#include "assure/audit.h"

#include "assure/date.h"
#include "assure/error.h"
#include "history/audit_int.h"

#include <stdlib.h>
#include <string.h>

static const char style[] =
    "body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#1a1a1a;background:#fff;"
    "padding:0 1em}\n"
    "h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:.2em}\n"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .5em;"
    "text-align:left;vertical-align:top}th{background:#eef2f7}td.n{text-align:right}\n"
    "code{font-family:monospace;font-size:.95em}.sev-error{color:#b00020;font-weight:bold}"
    ".sev-warning{color:#8a5a00;font-weight:bold}.sev-info{color:#005a8a}\n"
    ".new{background:#fdecea}.resolved{background:#e8f5e9}.meta th{width:10em}figure{margin:1em 0}\n";

static void esc(assure_buf *out, const char *s)
{
	assure_buf_put_markup(out, s);
}

static void page_start(assure_buf *out, const char *title)
{
	assure_buf_puts(out,
	                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	esc(out, title);
	assure_buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void page_end(assure_buf *out)
{
	assure_buf_puts(out, "</body>\n</html>\n");
}

static void meta_table(assure_buf *out, const assure_audit_meta *meta)
{
	assure_buf_printf(out, "<table class=\"meta\">\n<tr><th>Tool</th><td>assure %s</td></tr>\n",
	                  meta->tool_version);
	assure_buf_puts(out, "<tr><th>Rules</th><td>");
	esc(out, assure_ruleset_name(meta->rules));
	assure_buf_puts(out, " ");
	esc(out, assure_ruleset_version(meta->rules));
	assure_buf_printf(out, " (%zu rules, hash <code>%s</code>)</td></tr>\n",
	                  assure_ruleset_count(meta->rules), assure_ruleset_hash(meta->rules));
	assure_buf_puts(out, "<tr><th>Repository</th><td><code>");
	esc(out, meta->repository ? meta->repository : ".");
	assure_buf_puts(out, "</code></td></tr>\n<tr><th>Range</th><td>");
	assure_buf range = ASSURE_BUF_INIT;
	ah_range_text(&range, meta);
	esc(out, range.ptr);
	assure_buf_free(&range);
	assure_buf_puts(out, "</td></tr>\n<tr><th>As of</th><td>");
	assure_buf policy = ASSURE_BUF_INIT;
	ah_as_of_policy(&policy, meta);
	esc(out, policy.ptr);
	assure_buf_free(&policy);
	assure_buf_puts(out, "</td></tr>\n</table>\n");
}

static void where(assure_buf *out, const assure_finding *f)
{
	if (!*f->path) {
		assure_buf_puts(out, "(snapshot)");
		return;
	}
	assure_buf_puts(out, "<code>");
	esc(out, f->path);
	if (f->line > 0)
		assure_buf_printf(out, ":%d:%d", f->line, f->column);
	assure_buf_puts(out, "</code>");
}

static void commit_link(assure_buf *out, const assure_audit_commit *c, const char *prefix)
{
	if (c->reported)
		assure_buf_printf(out, "<a href=\"%scommits/%s.html\"><code>%.12s</code></a>", prefix,
		                  c->info.id, c->info.id);
	else
		assure_buf_printf(out, "<code>%.12s</code>", c->info.id);
}

static void tally_table(assure_buf *out, const char *title, const char *head, const assure_audit_tally *t,
                        size_t n)
{
	if (!n)
		return;
	assure_buf_printf(out,
	                  "<h3>%s</h3>\n<table>\n<tr><th>%s</th><th>Opened</th><th>Closed</th><th>Open at "
	                  "the end</th></tr>\n",
	                  title, head);
	for (size_t i = 0; i < n; i++) {
		assure_buf_puts(out, "<tr><td>");
		esc(out, *t[i].key ? t[i].key : "(none)");
		assure_buf_printf(
		    out,
		    "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n",
		    t[i].opened, t[i].closed, t[i].open);
	}
	assure_buf_puts(out, "</table>\n");
}

/* "2020-11-27 3f2a1b4c": a commit's label on a chart's x axis. */
static char *chart_label(const assure_audit_commit *c)
{
	char d[11];
	assure_date_format(ah_commit_day(c), d);
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_printf(&b, "%s %.7s", d, c->info.id);
	return assure_buf_detach(&b);
}

static const assure_audit_figures *figures_of(const assure_audit_commit *c, size_t chart, const char *key)
{
	for (size_t i = 0; i < c->nfigures; i++)
		if (c->figures[i].chart == chart && strcmp(c->figures[i].key, key) == 0)
			return &c->figures[i];
	return NULL;
}

/* The charts the rule set declares: one per chart and group key, across the reported commits. */
static int declared_charts(assure_buf *out, const assure_audit *a, const size_t *rep, size_t nrep)
{
	size_t ncharts = assure_ruleset_chart_count(a->rs);
	int rc = 0;
	for (size_t k = 0; k < ncharts && rc == 0; k++) {
		const assure_chart *ch = assure_ruleset_chart(a->rs, k);
		json_t *keys = json_object();
		for (size_t i = 0; i < nrep; i++) {
			const assure_audit_commit *c = &a->commits[rep[i]];
			for (size_t f = 0; f < c->nfigures; f++)
				if (c->figures[f].chart == k)
					json_object_set_new(keys, c->figures[f].key, json_true());
		}
		size_t nk = json_object_size(keys), j = 0;
		const char **names = assure_xcalloc(nk + 1, sizeof(char *));
		const char *key;
		json_t *v;
		json_object_foreach(keys, key, v) names[j++] = key;
		/* in key order, whatever order the commits brought them in */
		for (size_t i = 1; i < nk; i++)
			for (size_t m = i; m > 0 && strcmp(names[m - 1], names[m]) > 0; m--) {
				const char *t = names[m];
				names[m] = names[m - 1];
				names[m - 1] = t;
			}
		if (!nk) {
			assure_buf_puts(out, "<p>");
			assure_buf_put_markup(out, ch->title);
			assure_buf_puts(out, ": nothing to draw in the range.</p>\n");
		}
		for (size_t y = 0; y < nk && rc == 0; y++) {
			const char **labels = assure_xcalloc(nrep + 1, sizeof(char *));
			const char **vals = assure_xcalloc((nrep + 1) * (ch->nseries + 1), sizeof(char *));
			size_t n = 0;
			for (size_t i = 0; i < nrep; i++) {
				const assure_audit_figures *fg = figures_of(&a->commits[rep[i]], k, names[y]);
				if (!fg)
					continue;
				labels[n] = chart_label(&a->commits[rep[i]]);
				for (size_t s2 = 0; s2 < ch->nseries; s2++)
					vals[s2 * (nrep + 1) + n] = fg->values[s2];
				n++;
			}
			ah_series *series = assure_xcalloc(ch->nseries + 1, sizeof(ah_series));
			for (size_t s2 = 0; s2 < ch->nseries; s2++)
				series[s2] = (ah_series){ch->series[s2], ah_svg_color(s2),
				                         vals + s2 * (nrep + 1), ch->steps[s2]};
			assure_buf title = ASSURE_BUF_INIT;
			assure_buf_printf(&title, "%s: %s", names[y], ch->title);
			ah_line_chart chart = {title.ptr,  ch->unit ? ch->unit : "", labels, n, series,
			                       ch->nseries};
			assure_buf_puts(out, "<figure>\n");
			rc = ah_svg_line_chart(out, &chart);
			assure_buf_puts(out, "</figure>\n");
			assure_buf_free(&title);
			for (size_t i = 0; i < n; i++)
				free((char *)labels[i]);
			free(labels);
			free(vals);
			free(series);
		}
		free(names);
		json_decref(keys);
	}
	if (rc < 0)
		return assure_error_set("a value of a chart is not a decimal number");
	return 0;
}

static void domain_chart(assure_buf *out, const assure_audit *a, const size_t *rep, size_t nrep)
{
	/* Only the domains that ever had a finding get a colour. */
	const char **names = assure_xcalloc(a->ndomains + 1, sizeof(char *));
	size_t *counts = assure_xcalloc(a->ndomains * nrep + 1, sizeof(size_t));
	size_t ns = 0;
	for (size_t d = 0; d < a->ndomains; d++) {
		size_t any = 0;
		for (size_t i = 0; i < nrep; i++)
			any += a->commits[rep[i]].by_domain[d];
		if (!any)
			continue;
		for (size_t i = 0; i < nrep; i++)
			counts[ns * nrep + i] = a->commits[rep[i]].by_domain[d];
		names[ns++] = a->domains[d];
	}
	const char **labels = assure_xcalloc(nrep + 1, sizeof(char *));
	for (size_t i = 0; i < nrep; i++)
		labels[i] = chart_label(&a->commits[rep[i]]);
	ah_bar_chart chart = {"Open findings by domain after each commit", labels, nrep, names, ns, counts};
	assure_buf_puts(out, "<figure>\n");
	ah_svg_bar_chart(out, &chart);
	assure_buf_puts(out, "</figure>\n");
	for (size_t i = 0; i < nrep; i++)
		free((char *)labels[i]);
	free(labels);
	free(names);
	free(counts);
}

static int index_page(assure_buf *out, const assure_audit *a, const assure_audit_meta *meta,
                      const size_t *rep, size_t nrep)
{
	const assure_audit_summary *s = &a->summary;
	page_start(out, "Audit of the returns repository");
	assure_buf_puts(out, "<h1>Audit of the returns repository</h1>\n");
	meta_table(out, meta);
	assure_buf_puts(out, "<h2>Summary</h2>\n");
	assure_buf_printf(
	    out,
	    "<p>%zu %s audited. Findings opened: <strong>%zu</strong>, closed: <strong>%zu</strong>, open at "
	    "the end: <strong>%zu</strong>",
	    s->commits, ah_plural(s->commits, "commit", "commits"), s->all.opened, s->all.closed,
	    s->all.open);
	if (a->last >= 0) {
		assure_buf_puts(out, " (in ");
		commit_link(out, &a->commits[a->last], "");
		assure_buf_puts(out, ")");
	}
	assure_buf_puts(out, ".</p>\n<h2>Charts</h2>\n");
	if (declared_charts(out, a, rep, nrep) < 0)
		return -1;
	domain_chart(out, a, rep, nrep);
	tally_table(out, "By rule", "Rule", s->by_rule, s->nrules);
	tally_table(out, "By domain", "Domain", s->by_domain, s->ndomains);
	tally_table(out, "By organisation (the return&#39;s <code>org</code>)", "Organisation", s->by_org,
	            s->norgs);
	if (s->nlongest) {
		assure_buf_puts(
		    out, "<h3>Longest "
		         "open</h3>\n<table>\n<tr><th>Days</th><th>Rule</th><th>Where</th><th>Subject</th>"
		         "<th>Opened</th><th>Resolved</th></tr>\n");
		for (size_t i = 0; i < s->nlongest; i++) {
			const assure_audit_interval *iv = &a->intervals[s->longest[i]];
			assure_buf_printf(out, "<tr><td class=\"n\">%s%d</td><td>%s</td><td>",
			                  iv->before_range ? "&ge; " : "", iv->days, iv->finding->rule_id);
			where(out, iv->finding);
			assure_buf_puts(out, "</td><td>");
			esc(out, iv->finding->subject);
			assure_buf_puts(out, "</td><td>");
			commit_link(out, &a->commits[iv->opened], "");
			assure_buf_puts(out, "</td><td>");
			if (iv->closed >= 0)
				commit_link(out, &a->commits[iv->closed], "");
			else
				assure_buf_puts(out, "still open");
			assure_buf_puts(out, "</td></tr>\n");
		}
		assure_buf_puts(out, "</table>\n");
	}
	assure_buf_puts(out,
	                "<h2>Commits</h2>\n<table>\n<tr><th>#</th><th>Commit</th><th>Date</th><th>Author</th>"
	                "<th>Subject</th><th>New</th><th>Resolved</th><th>Open</th></tr>\n");
	for (size_t i = 0; i < nrep; i++) {
		const assure_audit_commit *c = &a->commits[rep[i]];
		char d[11];
		assure_date_format(ah_commit_day(c), d);
		assure_buf_printf(out, "<tr><td class=\"n\">%zu</td><td>", i + 1);
		commit_link(out, c, "");
		assure_buf_printf(out, "</td><td>%s</td><td>", d);
		esc(out, c->info.author_name);
		assure_buf_puts(out, "</td><td>");
		esc(out, c->info.subject);
		size_t nn = assure_findings_count(c->opened), nr = assure_findings_count(c->resolved);
		assure_buf_printf(out,
		                  "</td><td class=\"n%s\">%zu</td><td class=\"n%s\">%zu</td><td "
		                  "class=\"n\">%zu</td></tr>\n",
		                  nn ? " new" : "", nn, nr ? " resolved" : "", nr, c->total);
	}
	assure_buf_puts(out, "</table>\n");
	page_end(out);
	return 0;
}

/* Findings of record rec (new ones: each shows the waiver of rec that accepts it, if any). */
static void findings_table(assure_buf *out, const assure_audit *a, const assure_findings *l,
                           const size_t *ivs, bool resolved, size_t rec)
{
	assure_buf_printf(
	    out,
	    "<table class=\"%s\">\n<tr><th>Severity</th><th>Rule</th><th>Where</th><th>Subject</th>"
	    "<th>Message</th>%s</tr>\n",
	    resolved ? "resolved" : "new", resolved ? "<th>Opened in</th><th>Open for</th>" : "");
	for (size_t i = 0; i < assure_findings_count(l); i++) {
		const assure_finding *f = assure_findings_get(l, i);
		assure_buf_printf(out, "<tr><td class=\"sev-%s\">%s</td><td>%s</td><td>",
		                  assure_severity_name(f->severity), assure_severity_name(f->severity),
		                  f->rule_id);
		where(out, f);
		assure_buf_puts(out, "</td><td>");
		esc(out, f->subject);
		assure_buf_puts(out, "</td><td>");
		esc(out, f->message);
		const assure_audit_waived *w = resolved ? NULL : ah_waived_at(a, ivs[i], rec);
		if (w) {
			assure_buf text = ASSURE_BUF_INIT;
			ah_waiver_text(&text, &w->mark);
			assure_buf_puts(out, "<br><span class=\"waived\">waived ");
			esc(out, text.ptr);
			assure_buf_puts(out, "</span>");
			assure_buf_free(&text);
		}
		assure_buf_puts(out, "</td>");
		if (resolved) {
			const assure_audit_interval *iv = &a->intervals[ivs[i]];
			assure_buf_puts(out, "<td>");
			commit_link(out, &a->commits[iv->opened], "../");
			assure_buf_printf(out, "</td><td class=\"n\">%s%d %s</td>",
			                  iv->before_range ? "&ge; " : "", iv->days,
			                  ah_plural((size_t)iv->days, "day", "days"));
		}
		assure_buf_puts(out, "</tr>\n");
	}
	assure_buf_puts(out, "</table>\n");
}

static void commit_page(assure_buf *out, const assure_audit *a, const assure_audit_meta *meta,
                        const assure_audit_commit *c, const assure_audit_commit *prev,
                        const assure_audit_commit *next)
{
	char t[48], d[11];
	assure_buf title = ASSURE_BUF_INIT;
	assure_buf_printf(&title, "Commit %.12s: %s", c->info.id, c->info.subject);
	page_start(out, title.ptr);
	assure_buf_free(&title);
	assure_buf_puts(out, "<p><a href=\"../index.html\">Audit index</a>");
	if (prev) {
		assure_buf_puts(out, " &middot; previous: ");
		commit_link(out, prev, "../");
	}
	if (next) {
		assure_buf_puts(out, " &middot; next: ");
		commit_link(out, next, "../");
	}
	assure_buf_puts(out, "</p>\n<h1>");
	esc(out, c->info.subject);
	assure_buf_printf(out,
	                  "</h1>\n<table class=\"meta\">\n<tr><th>Commit</th><td><code>%s</code></td></tr>\n",
	                  c->info.id);
	assure_buf_puts(out, "<tr><th>Author</th><td>");
	esc(out, c->info.author_name);
	assure_buf_puts(out, " &lt;");
	esc(out, c->info.author_email);
	assure_audit_format_time(t, c->info.commit_time, c->info.commit_offset);
	assure_date_format(c->as_of, d);
	assure_buf_printf(
	    out,
	    "&gt;</td></tr>\n<tr><th>Committed</th><td>%s</td></tr>\n<tr><th>As of</th><td>%s</td></tr>\n", t,
	    d);
	if (c->shallow)
		assure_buf_puts(out, "<tr><th>Compared with</th><td>nothing: its parents are not in this "
		                     "shallow clone, every finding is new</td></tr>\n");
	else if (c->info.parent_count)
		assure_buf_printf(
		    out, "<tr><th>Compared with</th><td><code>%.12s</code> (first parent%s)</td></tr>\n",
		    c->info.first_parent, c->info.parent_count > 1 ? " of a merge" : "");
	else
		assure_buf_puts(
		    out,
		    "<tr><th>Compared with</th><td>nothing: a root commit, every finding is new</td></tr>\n");
	assure_buf_puts(out, "<tr><th>Rules</th><td>");
	esc(out, assure_ruleset_name(meta->rules));
	assure_buf_puts(out, " ");
	esc(out, assure_ruleset_version(meta->rules));
	assure_buf_printf(out, " (hash <code>%s</code>)</td></tr>\n</table>\n",
	                  assure_ruleset_hash(meta->rules));

	assure_buf_puts(out, "<h2>Returns changed</h2>\n");
	if (!c->nchanges) {
		assure_buf_puts(out, "<p>None.</p>\n");
	} else {
		assure_buf_puts(out, "<table>\n<tr><th>Change</th><th>Path</th></tr>\n");
		for (size_t i = 0; i < c->nchanges; i++) {
			assure_buf_printf(out, "<tr><td>%s</td><td><code>",
			                  assure_audit_change_name(c->changes[i].kind));
			esc(out, c->changes[i].path);
			assure_buf_puts(out, "</code>");
			if (c->changes[i].old_path) {
				assure_buf_puts(out, " (from <code>");
				esc(out, c->changes[i].old_path);
				assure_buf_puts(out, "</code>)");
			}
			assure_buf_puts(out, "</td></tr>\n");
		}
		assure_buf_puts(out, "</table>\n");
	}
	if (c->other_changes)
		assure_buf_printf(out, "<p>And %zu other %s.</p>\n", c->other_changes,
		                  ah_plural(c->other_changes, "file", "files"));
	size_t nn = assure_findings_count(c->opened), nr = assure_findings_count(c->resolved);
	assure_buf_printf(
	    out,
	    "<h2>Findings</h2>\n<p>%zu %s, %zu %s, %zu info: <strong>%zu new</strong>, <strong>%zu "
	    "resolved</strong>, %zu persisting.</p>\n",
	    c->counts[ASSURE_SEV_ERROR], ah_plural(c->counts[ASSURE_SEV_ERROR], "error", "errors"),
	    c->counts[ASSURE_SEV_WARNING], ah_plural(c->counts[ASSURE_SEV_WARNING], "warning", "warnings"),
	    c->counts[ASSURE_SEV_INFO], nn, nr, c->persisting);
	if (c->result.parse_failures || c->result.eval_failures)
		assure_buf_printf(
		    out, "<p>Incomplete: %zu files could not be read, %zu rule evaluations failed.</p>\n",
		    c->result.parse_failures, c->result.eval_failures);
	if (nn) {
		assure_buf_puts(out, "<h3>New</h3>\n");
		findings_table(out, a, c->opened, c->opened_interval, false, (size_t)(c - a->commits));
	}
	if (nr) {
		assure_buf_puts(out, "<h3>Resolved</h3>\n");
		findings_table(out, a, c->resolved, c->resolved_interval, true, (size_t)(c - a->commits));
	}
	page_end(out);
}

int assure_audit_html(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                      void *payload)
{
	size_t *rep = assure_xcalloc(a->ncommits + 1, sizeof(size_t)), nrep = 0;
	for (size_t r = 0; r < a->ncommits; r++)
		if (a->commits[r].reported)
			rep[nrep++] = r;
	assure_buf out = ASSURE_BUF_INIT, name = ASSURE_BUF_INIT;
	int rc = index_page(&out, a, meta, rep, nrep);
	if (rc == 0)
		rc = emit("index.html", out.ptr, out.len, payload);
	for (size_t i = 0; i < nrep && rc == 0; i++) {
		assure_buf_clear(&out);
		assure_buf_clear(&name);
		const assure_audit_commit *c = &a->commits[rep[i]];
		commit_page(&out, a, meta, c, i ? &a->commits[rep[i - 1]] : NULL,
		            i + 1 < nrep ? &a->commits[rep[i + 1]] : NULL);
		assure_buf_printf(&name, "commits/%s.html", c->info.id);
		rc = emit(name.ptr, out.ptr, out.len, payload);
	}
	assure_buf_free(&out);
	assure_buf_free(&name);
	free(rep);
	return rc;
}
