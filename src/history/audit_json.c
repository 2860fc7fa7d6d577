/* audit_json.c: the audit as one JSON document, format "assure-audit/1" (docs/audit-format.md). */
#include "assure/audit.h"
#include "assure/utf8.h"

#include "assure/date.h"
#include "assure/error.h"
#include "assure/report.h"
#include "history/audit_int.h"

#include <stdlib.h>

static json_t *counts_json(const size_t c[ASSURE_SEV_COUNT], size_t total)
{
	json_t *o = json_object();
	json_object_set_new(o, "error", json_integer((json_int_t)c[ASSURE_SEV_ERROR]));
	json_object_set_new(o, "warning", json_integer((json_int_t)c[ASSURE_SEV_WARNING]));
	json_object_set_new(o, "info", json_integer((json_int_t)c[ASSURE_SEV_INFO]));
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	return o;
}

static json_t *nullable(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A finding with the interval it belongs to. */
static json_t *finding_json(const assure_audit *a, const assure_finding *f, size_t interval, long rec)
{
	const assure_audit_interval *iv = &a->intervals[interval];
	json_t *o = assure_report_finding_json(f);
	const assure_audit_waived *w = rec >= 0 ? ah_waived_at(a, interval, (size_t)rec) : NULL;
	if (w)
		json_object_set_new(o, "waiver", ah_waiver_json(&w->mark));
	json_object_set_new(o, "org", json_string(iv->org));
	json_t *span = json_object();
	json_object_set_new(span, "opened", json_string(a->commits[iv->opened].info.id));
	json_object_set_new(span, "open_before_range", json_boolean(iv->before_range));
	json_object_set_new(span, "resolved",
	                    iv->closed >= 0 ? json_string(a->commits[iv->closed].info.id) : json_null());
	json_object_set_new(span, "days", json_integer(iv->days));
	if (iv->nwaived) /* present only then, so an audit without waivers keeps its bytes */
		json_object_set_new(span, "waived", ah_waived_json(a, iv));
	json_object_set_new(o, "interval", span);
	return o;
}

static json_t *commit_json(const assure_audit *a, const assure_audit_commit *c)
{
	json_t *o = ah_commit_json(c);
	json_object_set_new(o, "parents", json_integer((json_int_t)c->info.parent_count));
	json_object_set_new(o, "compared_with",
	                    c->info.parent_count && !c->shallow ? json_string(c->info.first_parent)
	                                                        : json_null());
	json_object_set_new(o, "shallow", json_boolean(c->shallow));
	char d[11];
	assure_date_format(c->as_of, d);
	json_object_set_new(o, "as_of", json_string(d));
	json_t *changes = json_array();
	for (size_t i = 0; i < c->nchanges; i++) {
		json_t *ch = json_object();
		json_object_set_new(ch, "change", json_string(assure_audit_change_name(c->changes[i].kind)));
		assure_json_set_name(ch, "path", c->changes[i].path);
		if (c->changes[i].old_path)
			assure_json_set_name(ch, "old_path", c->changes[i].old_path);
		else
			json_object_set_new(ch, "old_path", json_null());
		json_array_append_new(changes, ch);
	}
	json_object_set_new(o, "changes", changes);
	json_object_set_new(o, "other_changes", json_integer((json_int_t)c->other_changes));
	json_object_set_new(o, "complete",
	                    json_boolean(!c->result.parse_failures && !c->result.eval_failures));
	json_object_set_new(o, "counts", counts_json(c->counts, c->total));
	size_t waived = c->waived[0] + c->waived[1] + c->waived[2];
	if (waived) {
		json_t *wc = counts_json(c->waived, waived);
		json_object_set_new(o, "waived", wc);
	}
	json_t *opened = json_array(), *resolved = json_array();
	for (size_t i = 0; i < assure_findings_count(c->opened); i++)
		json_array_append_new(opened, finding_json(a, assure_findings_get(c->opened, i),
		                                           c->opened_interval[i], (long)(c - a->commits)));
	for (size_t i = 0; i < assure_findings_count(c->resolved); i++)
		json_array_append_new(resolved, finding_json(a, assure_findings_get(c->resolved, i),
		                                             c->resolved_interval[i], -1));
	json_object_set_new(o, "new", opened);
	json_object_set_new(o, "resolved", resolved);
	json_object_set_new(o, "persisting", json_integer((json_int_t)c->persisting));
	json_t *domains = json_object();
	for (size_t i = 0; i < a->ndomains; i++)
		json_object_set_new(domains, a->domains[i], json_integer((json_int_t)c->by_domain[i]));
	json_object_set_new(o, "open_by_domain", domains);
	json_t *figures = json_array();
	for (size_t i = 0; i < c->nfigures; i++) {
		const assure_audit_figures *fg = &c->figures[i];
		const assure_chart *ch = assure_ruleset_chart(a->rs, fg->chart);
		json_t *f = json_object(), *values = json_object();
		json_object_set_new(f, "chart", json_string(ch->id));
		json_object_set_new(f, "key", json_string(fg->key));
		for (size_t v = 0; v < ch->nseries; v++)
			json_object_set_new(values, ch->series[v], nullable(fg->values[v]));
		json_object_set_new(f, "values", values);
		json_array_append_new(figures, f);
	}
	json_object_set_new(o, "charts", figures);
	return o;
}

static json_t *tallies_json(const assure_audit_tally *t, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(t[i].key));
		json_object_set_new(o, "opened", json_integer((json_int_t)t[i].opened));
		json_object_set_new(o, "closed", json_integer((json_int_t)t[i].closed));
		json_object_set_new(o, "open", json_integer((json_int_t)t[i].open));
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *summary_json(const assure_audit *a)
{
	const assure_audit_summary *s = &a->summary;
	json_t *o = json_object();
	json_object_set_new(o, "commits", json_integer((json_int_t)s->commits));
	json_object_set_new(o, "last", a->last >= 0 ? json_string(a->commits[a->last].info.id) : json_null());
	json_object_set_new(o, "open_at_start", json_integer((json_int_t)s->open_at_start));
	json_object_set_new(o, "opened", json_integer((json_int_t)s->all.opened));
	json_object_set_new(o, "closed", json_integer((json_int_t)s->all.closed));
	json_object_set_new(o, "open", json_integer((json_int_t)s->all.open));
	json_object_set_new(o, "by_rule", tallies_json(s->by_rule, s->nrules));
	json_object_set_new(o, "by_domain", tallies_json(s->by_domain, s->ndomains));
	json_object_set_new(o, "by_org", tallies_json(s->by_org, s->norgs));
	json_t *longest = json_array();
	for (size_t i = 0; i < s->nlongest; i++) {
		const assure_audit_interval *iv = &a->intervals[s->longest[i]];
		json_t *l = json_object();
		json_object_set_new(l, "rule", json_string(iv->finding->rule_id));
		assure_json_set_name(l, "path", iv->finding->path);
		json_object_set_new(l, "subject", assure_json_text(iv->finding->subject));
		json_object_set_new(l, "fingerprint", json_string(iv->finding->fingerprint));
		json_object_set_new(l, "org", json_string(iv->org));
		json_object_set_new(l, "opened", json_string(a->commits[iv->opened].info.id));
		json_object_set_new(l, "open_before_range", json_boolean(iv->before_range));
		json_object_set_new(l, "resolved",
		                    iv->closed >= 0 ? json_string(a->commits[iv->closed].info.id)
		                                    : json_null());
		json_object_set_new(l, "days", json_integer(iv->days));
		json_array_append_new(longest, l);
	}
	json_object_set_new(o, "longest_open", longest);
	return o;
}

/* The reported records, made one at a time; the text goes out piece by piece. */
struct writing {
	const assure_audit *a;
	size_t *reported; /* their record indices */
	assure_audit_emit_fn emit;
	void *payload;
};

static json_t *commit_item(size_t i, void *payload)
{
	const struct writing *w = payload;
	return commit_json(w->a, &w->a->commits[w->reported[i]]);
}

static int flush_piece(assure_buf *out, void *payload)
{
	const struct writing *w = payload;
	return ah_emit_piece(out, w->emit, w->payload, false);
}

/*
 * Written commit by commit: what the writer holds is one record and one piece, not a tree of
 * the whole history (several times the report's size).
 */
int assure_audit_json(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                      void *payload)
{
	json_t *doc = ah_meta_json(meta, ASSURE_AUDIT_FORMAT);
	json_t *domains = json_array();
	for (size_t i = 0; i < a->ndomains; i++)
		json_array_append_new(domains, json_string(a->domains[i]));
	json_object_set_new(doc, "domains", domains);
	json_object_set_new(doc, "summary", summary_json(a));
	json_t *boundaries = json_array();
	struct writing w = {a, assure_xcalloc(a->ncommits + 1, sizeof(size_t)), emit, payload};
	size_t n = 0;
	for (size_t r = 0; r < a->ncommits; r++) {
		if (a->commits[r].reported)
			w.reported[n++] = r;
		else if (a->commits[r].boundary)
			json_array_append_new(boundaries, ah_commit_json(&a->commits[r]));
	}
	json_object_set_new(doc, "boundaries", boundaries);
	json_object_set_new(doc, "commits", json_array());
	assure_buf out = ASSURE_BUF_INIT;
	int rc = assure_json_write_list(&out, doc, n, commit_item, flush_piece, &w, "JSON audit");
	if (rc == 0)
		rc = ah_emit_piece(&out, emit, payload, true);
	assure_buf_free(&out);
	free(w.reported);
	return rc;
}
