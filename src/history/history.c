/*
 * history.c: the intervals in which each fingerprint was open, tracked while an audit
 * walks (audit_int.h), then selected and printed (see history.h).
 */
#include "assure/history.h"
#include "assure/utf8.h"

#include "assure/date.h"
#include "assure/error.h"
#include "assure/report.h"
#include "history/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tracking ---- */

size_t ah_interval_open(assure_audit *a, const assure_findings *l, size_t i, size_t rec, bool before_range,
                        const char *org)
{
	if (a->nintervals == a->capintervals) {
		a->capintervals = a->capintervals ? a->capintervals * 2 : 64;
		a->intervals = assure_xrealloc(a->intervals, a->capintervals * sizeof(*a->intervals));
	}
	assure_audit_interval *iv = &a->intervals[a->nintervals];
	memset(iv, 0, sizeof(*iv));
	/* held, not copied: most intervals are still open at the end, as the engine's findings */
	iv->finding = assure_findings_hold(l, i);
	iv->opened = rec;
	iv->before_range = before_range;
	iv->closed = -1;
	iv->org = org;
	return a->nintervals++;
}

void ah_interval_close(assure_audit *a, size_t iv, size_t rec)
{
	if (a->intervals[iv].closed < 0)
		a->intervals[iv].closed = (long)rec;
}

void ah_interval_move(assure_audit *a, size_t iv, const assure_finding *f)
{
	const assure_finding **g = &a->intervals[iv].finding;
	assure_finding moved = **g;
	moved.path = f->path;
	memcpy(moved.fingerprint, f->fingerprint, sizeof(moved.fingerprint));
	const assure_finding *copy = assure_finding_hold_copy(&moved); /* held ones never change */
	assure_finding_release(*g);
	*g = copy;
}

int32_t ah_commit_day(const assure_audit_commit *c)
{
	return assure_date_from_unix(c->info.commit_time);
}

void ah_intervals_finish(assure_audit *a)
{
	/* What the last commit still has is open, whatever a side branch did. */
	for (size_t i = 0; i < a->nopen_at_end; i++)
		a->intervals[a->open_at_end[i]].closed = -1;
	int32_t end = a->last >= 0 ? ah_commit_day(&a->commits[a->last]) : 0;
	for (size_t i = 0; i < a->nintervals; i++) {
		assure_audit_interval *iv = &a->intervals[i];
		int32_t from = ah_commit_day(&a->commits[iv->opened]);
		int32_t to = iv->closed >= 0 ? ah_commit_day(&a->commits[iv->closed]) : end;
		/* committer dates can go backwards across a merge; a span is never negative */
		iv->days = to > from ? to - from : 0;
	}
}

void ah_intervals_free(assure_audit *a)
{
	for (size_t i = 0; i < a->nintervals; i++)
		assure_finding_release(a->intervals[i].finding);
	free(a->intervals);
	a->intervals = NULL;
	a->nintervals = a->capintervals = 0;
}

/* ---- selection ---- */

static bool selected(const assure_audit_interval *iv, const assure_history_filter *f)
{
	if (!f)
		return true;
	if (f->rule && strcmp(f->rule, iv->finding->rule_id) != 0)
		return false;
	if (f->subject && strcmp(f->subject, iv->finding->subject) != 0)
		return false;
	if (f->path && strcmp(f->path, iv->finding->path) != 0 &&
	    !assure_glob_match(f->path, iv->finding->path))
		return false;
	return true;
}

static const assure_audit *sort_audit; /* qsort has no payload; the sort is not reentrant */

static int cmp_interval(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	const assure_finding *p = sort_audit->intervals[i].finding, *q = sort_audit->intervals[j].finding;
	int c = strcmp(p->path, q->path);
	if (!c)
		c = strcmp(p->rule_id, q->rule_id);
	if (!c)
		c = strcmp(p->subject, q->subject);
	if (!c)
		c = strcmp(p->fingerprint, q->fingerprint);
	if (!c)
		c = i < j ? -1 : i > j;
	return c;
}

size_t assure_history_select(size_t **out, const assure_audit *a, const assure_history_filter *f)
{
	size_t *list = assure_xcalloc(a->nintervals + 1, sizeof(size_t)), n = 0;
	for (size_t i = 0; i < a->nintervals; i++)
		if (selected(&a->intervals[i], f))
			list[n++] = i;
	sort_audit = a;
	qsort(list, n, sizeof(size_t), cmp_interval);
	sort_audit = NULL;
	*out = list;
	return n;
}

/* ---- shared wording ---- */

int ah_emit_piece(assure_buf *out, assure_audit_emit_fn emit, void *payload, bool last)
{
	if (!last && out->len < AH_PIECE)
		return 0;
	int rc = emit(NULL, out->ptr ? out->ptr : "", out->len, payload);
	assure_buf_clear(out);
	return rc;
}

const char *ah_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void ah_interval_span(assure_buf *out, const assure_audit *a, const assure_audit_interval *iv)
{
	const char *at_least = iv->before_range ? "at least " : "";
	if (iv->closed >= 0)
		assure_buf_printf(out, "open %s%d %s", at_least, iv->days,
		                  ah_plural((size_t)iv->days, "day", "days"));
	else
		/* counted to the last commit of the range, not to today: say so */
		assure_buf_printf(out, "still open at the last commit, %s%d %s after it opened", at_least,
		                  iv->days, ah_plural((size_t)iv->days, "day", "days"));
	(void)a;
}

void ah_as_of_policy(assure_buf *out, const assure_audit_meta *meta)
{
	if (meta->has_as_of) {
		char d[11];
		assure_date_format(meta->as_of, d);
		assure_buf_printf(out, "fixed: %s for every commit", d);
	} else {
		assure_buf_puts(out, "each commit's committer date (UTC)");
	}
}

void ah_range_text(assure_buf *out, const assure_audit_meta *meta)
{
	assure_buf_puts(out, meta->range ? meta->range : "HEAD");
	if (meta->first_parent)
		assure_buf_puts(out, ", first parents only");
	if (meta->since)
		assure_buf_printf(out, ", since %s", meta->since);
	if (meta->until)
		assure_buf_printf(out, ", until %s", meta->until);
	for (size_t i = 0; i < meta->npaths; i++)
		assure_buf_printf(out, "%s%s", i == 0 ? ", paths " : " ", meta->paths[i]);
}

void assure_audit_format_time(char out[48], long long seconds, int offset_minutes)
{
	long long local = seconds + (long long)offset_minutes * 60;
	long long days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int rest = (int)(local - days * 86400); /* 0 to 86399 */
	char date[11];
	assure_date_format((int32_t)days, date);
	int off = (offset_minutes < 0 ? -offset_minutes : offset_minutes) % 6000;
	snprintf(out, 48, "%.10s %02d:%02d:%02d %c%02d%02d", date, rest / 3600 % 24, rest / 60 % 60,
	         rest % 60, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

const char *assure_audit_change_name(assure_change_kind k)
{
	static const char *const names[] = {"added", "modified", "deleted", "renamed"};
	_Static_assert(ASSURE_CHANGE_RENAMED == 3, "a name for each change kind");
	return (unsigned)k < 4 ? names[k] : "changed";
}

/* ---- output ---- */

static void commit_line(assure_buf *out, const assure_audit_commit *c)
{
	char t[48];
	assure_audit_format_time(t, c->info.commit_time, c->info.commit_offset);
	assure_buf_printf(out, "%.12s %s by ", c->info.id, t);
	assure_buf_put_visible(out, c->info.author_name);
	assure_buf_puts(out, " <");
	assure_buf_put_visible(out, c->info.author_email);
	assure_buf_puts(out, ">: ");
	assure_buf_put_visible(out, c->info.subject);
}

int assure_history_text(assure_buf *out, const assure_audit *a, const assure_history_filter *f,
                        const assure_audit_meta *meta)
{
	size_t *list;
	size_t n = assure_history_select(&list, a, f);
	const char *prev = NULL;
	size_t groups = 0, open = 0, k = 0;
	for (size_t i = 0; i < n; i++) {
		const assure_audit_interval *iv = &a->intervals[list[i]];
		if (!prev || strcmp(prev, iv->finding->fingerprint) != 0) {
			if (prev)
				assure_buf_putc(out, '\n');
			assure_buf_put_visible(out, iv->finding->path[0] ? iv->finding->path : "(snapshot)");
			assure_buf_printf(out, " %s %s [", iv->finding->rule_id,
			                  assure_severity_name(iv->finding->severity));
			assure_buf_put_visible(out, iv->finding->subject);
			assure_buf_puts(out, "]\n");
			assure_buf_printf(out, "  %s\n", iv->finding->title);
			prev = iv->finding->fingerprint;
			groups++;
			k = 0;
		}
		k++;
		assure_buf_printf(out, "  %zu. %s ", k, iv->before_range ? "open before" : "opened");
		commit_line(out, &a->commits[iv->opened]);
		assure_buf_puts(out, "\n     ");
		if (iv->closed >= 0) {
			assure_buf_puts(out, "resolved ");
			commit_line(out, &a->commits[iv->closed]);
			assure_buf_puts(out, "\n     ");
		} else {
			open++;
		}
		ah_interval_span(out, a, iv);
		assure_buf_putc(out, '\n');
		for (size_t w = 0; w < iv->nwaived; w++) {
			const assure_audit_waived *sp = &iv->waived[w];
			assure_buf_printf(out, "     waived from %.12s", a->commits[sp->from].info.id);
			if (sp->to >= 0)
				assure_buf_printf(out, " to %.12s", a->commits[sp->to].info.id);
			else
				assure_buf_puts(out, " to the end");
			assure_buf_puts(out, ", ");
			ah_waiver_text(out, &sp->mark);
			assure_buf_putc(out, '\n');
		}
	}
	if (n)
		assure_buf_putc(out, '\n');
	assure_buf_printf(out, "%zu %s of %zu %s, %zu open at the end (rules %s %s, range ", n,
	                  ah_plural(n, "interval", "intervals"), groups,
	                  ah_plural(groups, "finding", "findings"), open, assure_ruleset_name(meta->rules),
	                  assure_ruleset_version(meta->rules));
	ah_range_text(out, meta);
	assure_buf_puts(out, ", as of ");
	ah_as_of_policy(out, meta);
	assure_buf_puts(out, ")\n");
	free(list);
	return 0;
}

json_t *ah_commit_json(const assure_audit_commit *c)
{
	json_t *o = json_object();
	char t[48];
	assure_audit_format_time(t, c->info.commit_time, c->info.commit_offset);
	json_object_set_new(o, "id", json_string(c->info.id));
	json_object_set_new(o, "author", assure_json_text(c->info.author_name));
	json_object_set_new(o, "email", assure_json_text(c->info.author_email));
	json_object_set_new(o, "date", json_string(t));
	json_object_set_new(o, "subject", assure_json_text(c->info.subject));
	return o;
}

json_t *ah_meta_json(const assure_audit_meta *meta, const char *format)
{
	json_t *doc = assure_report_json_header(format, meta->tool_version, meta->rules);
	json_t *src = json_object();
	if (meta->repository)
		assure_json_set_name(src, "repository", meta->repository);
	else
		json_object_set_new(src, "repository", json_null());
	json_object_set_new(src, "range", json_string(meta->range ? meta->range : "HEAD"));
	json_object_set_new(src, "first_parent", json_boolean(meta->first_parent));
	json_object_set_new(src, "since", meta->since ? json_string(meta->since) : json_null());
	json_object_set_new(src, "until", meta->until ? json_string(meta->until) : json_null());
	json_t *paths = json_array();
	for (size_t i = 0; i < meta->npaths; i++)
		json_array_append_new(paths, json_string(meta->paths[i]));
	json_object_set_new(src, "paths", paths);
	json_object_set_new(doc, "source", src);
	json_t *as_of = json_object();
	json_object_set_new(as_of, "policy", json_string(meta->has_as_of ? "fixed" : "commit-date"));
	char d[11];
	assure_date_format(meta->as_of, d);
	json_object_set_new(as_of, "date", meta->has_as_of ? json_string(d) : json_null());
	json_object_set_new(doc, "as_of", as_of);
	return doc;
}

int assure_history_json(assure_buf *out, const assure_audit *a, const assure_history_filter *f,
                        const assure_audit_meta *meta)
{
	size_t *list;
	size_t n = assure_history_select(&list, a, f);
	json_t *doc = ah_meta_json(meta, ASSURE_HISTORY_FORMAT);
	json_t *findings = json_array();
	json_t *cur = NULL;
	const char *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		const assure_audit_interval *iv = &a->intervals[list[i]];
		if (!prev || strcmp(prev, iv->finding->fingerprint) != 0) {
			json_t *g = json_object();
			json_object_set_new(g, "fingerprint", json_string(iv->finding->fingerprint));
			json_object_set_new(g, "rule", json_string(iv->finding->rule_id));
			json_object_set_new(g, "severity",
			                    json_string(assure_severity_name(iv->finding->severity)));
			json_object_set_new(g, "domain", json_string(iv->finding->domain));
			json_object_set_new(g, "title", json_string(iv->finding->title));
			assure_json_set_name(g, "path", iv->finding->path);
			json_object_set_new(g, "subject", assure_json_text(iv->finding->subject));
			json_object_set_new(g, "org", json_string(iv->org));
			cur = json_array();
			json_object_set_new(g, "intervals", cur);
			json_array_append_new(findings, g);
			prev = iv->finding->fingerprint;
		}
		json_t *o = json_object();
		json_object_set_new(o, "opened", ah_commit_json(&a->commits[iv->opened]));
		json_object_set_new(o, "open_before_range", json_boolean(iv->before_range));
		json_object_set_new(o, "message", assure_json_text(iv->finding->message));
		json_object_set_new(o, "resolved",
		                    iv->closed >= 0 ? ah_commit_json(&a->commits[iv->closed]) : json_null());
		json_object_set_new(o, "days", json_integer(iv->days));
		if (iv->nwaived) /* present only then, so a history without waivers keeps its bytes */
			json_object_set_new(o, "waived", ah_waived_json(a, iv));
		json_array_append_new(cur, o);
	}
	json_object_set_new(doc, "findings", findings);
	free(list);
	return assure_json_write(out, doc, "JSON history");
}
