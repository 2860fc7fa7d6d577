/*
 * audit_waivers.c: each commit's waivers, as they stood at that commit, along an audit's walk
 * (see audit_int.h and docs/waivers.md).
 *
 * Both walks of audit.c call the same two steps, so that they give the same report: the layer
 * (before a record's findings are compared: which findings its waivers accept, and the waivers'
 * own findings, which are then compared like any other) and the spans (after: which intervals
 * a waiver accepted from when to when). A history without a waivers file costs nothing here.
 */
#include "history/audit_int.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/utf8.h"

#include <stdlib.h>
#include <string.h>

void ah_waivers_init(ah_waivers *h, const assure_waiver_source *src)
{
	memset(h, 0, sizeof(*h));
	h->src = src;
	h->entries = json_object();
}

void ah_waivers_clear(ah_waivers *h)
{
	json_decref(h->entries);
	free(h->open);
	assure_findings_free(h->last);
	memset(h, 0, sizeof(*h));
}

static const char *waivers_path(const ah_waivers *h)
{
	return h->src && h->src->opts.path ? h->src->opts.path : ASSURE_WAIVERS_FILE;
}

bool ah_waivers_needed(const ah_waivers *h, const assure_snapshot *snap)
{
	if (h->src && h->src->none)
		return false;
	if (h->nopen || (h->last && assure_findings_count(h->last)))
		return true;
	return (h->src && h->src->fixed) || assure_snapshot_find(snap, waivers_path(h)) >= 0;
}

/* What identifies an entry from one commit to the next: what it accepts. */
static void identity(assure_buf *b, const assure_waiver *e)
{
	assure_buf_printf(b, "%s\n%s\n%s\n%s", e->rule ? e->rule : "", e->subject ? e->subject : "",
	                  e->path ? e->path : "", e->fingerprint ? e->fingerprint : "");
}

/*
 * The record that last added or changed entry e (its approval, approver or expiry), as known
 * before this record: rec when it is new or changed here, -1 when it was already there at a
 * boundary record (before the range, by someone the audit does not know). The entry is
 * written into next, the map of the entries this record has.
 */
static long entry_record(assure_audit *a, const ah_waivers *h, json_t *next, const assure_waiver *e,
                         size_t rec)
{
	assure_buf id = ASSURE_BUF_INIT, version = ASSURE_BUF_INIT;
	identity(&id, e);
	assure_buf_printf(&version, "%s\n%s\n%s", e->approved_by, e->approved_on, e->expires);
	json_t *known = json_object_get(h->entries, id.ptr);
	long r;
	if (known && strcmp(json_string_value(json_array_get(known, 0)), version.ptr) == 0)
		r = (long)json_integer_value(json_array_get(known, 1));
	else
		r = a->commits[rec].boundary ? -1 : (long)rec;
	json_t *v = json_array();
	json_array_append_new(v, json_string(version.ptr));
	json_array_append_new(v, json_integer(r));
	json_object_set_new(next, id.ptr, v);
	assure_buf_free(&id);
	assure_buf_free(&version);
	return r;
}

static const assure_waiver *entry_of(const assure_waivers *w, const char *where)
{
	for (size_t k = 0; k < assure_waivers_count(w); k++)
		if (strcmp(assure_waivers_get(w, k)->where, where) == 0)
			return assure_waivers_get(w, k);
	return NULL;
}

static bool same_author(const assure_audit *a, long x, long y)
{
	const char *ex = a->commits[x].info.author_email, *ey = a->commits[y].info.author_email;
	return ex && ey && *ex && strcmp(ex, ey) == 0;
}

static void self_finding(assure_audit *a, const assure_waivers *w, const assure_waiver *e,
                         const assure_finding *f, long entry_rec, long intro, assure_findings *own)
{
	const assure_commit_info *ei = &a->commits[entry_rec].info, *fi = &a->commits[intro].info;
	assure_buf msg = ASSURE_BUF_INIT, subject = ASSURE_BUF_INIT, v = ASSURE_BUF_INIT;
	/* the repository's text, one line each (buf.h) */
	const char *parts[5] = {f->rule_id, f->subject, f->path, ei->author_name, ei->author_email};
	size_t at[5];
	for (int k = 0; k < 5; k++) {
		at[k] = v.len;
		assure_buf_put_visible(&v, parts[k] ? parts[k] : "");
		assure_buf_putc(&v, '\0');
	}
	const char *rule = v.ptr + at[0], *subj = v.ptr + at[1], *path = v.ptr + at[2], *name = v.ptr + at[3],
	           *email = v.ptr + at[4];
	if (entry_rec == intro)
		assure_buf_printf(
		    &msg,
		    "waiver %s of '%s' accepts '%s' in %s, and was added or extended in the commit "
		    "that introduced it (%.12s by %s <%s>)",
		    e->pointer, rule, subj, path, ei->id, name, email);
	else
		assure_buf_printf(
		    &msg,
		    "waiver %s of '%s' accepts '%s' in %s, and was added or extended in %.12s by "
		    "%s <%s>, who introduced it in %.12s",
		    e->pointer, rule, subj, path, ei->id, name, email, fi->id);
	assure_buf_printf(&subject, "self %s", f->fingerprint);
	assure_finding x = {0};
	x.rule_id = ASSURE_RULE_WAIVER_SELF;
	x.severity = ASSURE_SEV_ERROR;
	x.domain = "waivers";
	x.title = "waiver approved by who made the finding";
	x.message = msg.ptr;
	x.path = (char *)assure_waivers_file(w);
	x.pointer = e->pointer;
	x.line = e->line;
	x.column = e->column;
	x.subject = subject.ptr;
	assure_findings_add(own, &x);
	assure_buf_free(&msg);
	assure_buf_free(&subject);
	assure_buf_free(&v);
}

void ah_waivers_layer(assure_audit *a, ah_waivers *h, size_t rec, const assure_snapshot *snap,
                      const assure_findings *found, int32_t as_of, ah_introducer_fn introducer, void *payload,
                      assure_findings **marked, assure_findings *own, assure_check_result *result)
{
	assure_findings_new(marked);
	assure_waivers *mine = NULL;
	const assure_waivers *w = NULL;
	if (!h->src || !h->src->none) {
		if (h->src && h->src->fixed) {
			w = h->src->fixed;
		} else {
			assure_waiver_opts o = ASSURE_WAIVER_OPTS_INIT;
			if (h->src)
				o = h->src->opts;
			assure_waivers_from_snapshot(&mine, snap, &o);
			w = mine;
		}
	}
	if (!w) {
		json_object_clear(h->entries); /* the file is gone: so are its entries */
		return;
	}
	assure_findings *all;
	assure_findings_new(&all);
	assure_waivers_apply(w, found, as_of, all, result);
	/* found's findings first, in their order, then the waivers' own (waiver.h) */
	size_t nfound = assure_findings_count(found);
	for (size_t i = 0; i < assure_findings_count(all); i++) {
		if (i >= nfound)
			assure_findings_share(own, all, i);
		else if (assure_findings_get(all, i)->waiver)
			assure_findings_share(*marked, all, i);
	}
	/*
	 * Every valid entry is followed, so that a change is dated where it was made; one that is
	 * gone is forgotten, so that adding it again is a change of its own.
	 */
	size_t nw = assure_waivers_count(w);
	long *made = assure_xcalloc(nw + 1, sizeof(long));
	json_t *next = json_object();
	for (size_t k = 0; k < nw; k++)
		made[k] = assure_waivers_get(w, k)->valid
		              ? entry_record(a, h, next, assure_waivers_get(w, k), rec)
		              : -1;
	json_decref(h->entries);
	h->entries = next;
	for (size_t i = 0; i < assure_findings_count(*marked); i++) {
		const assure_finding *f = assure_findings_get(*marked, i);
		const assure_waiver *e = entry_of(w, f->waiver->where);
		long er = e ? made[e - assure_waivers_get(w, 0)] : -1;
		long intro = introducer(f->fingerprint, payload);
		if (intro == -2)
			intro = a->commits[rec].boundary ? -1 : (long)rec;
		/* who wrote a file from outside the repository is not the repository's to say */
		bool judged = !(h->src && h->src->fixed);
		if (judged && er >= 0 && intro >= 0 && (er == intro || same_author(a, er, intro)))
			self_finding(a, w, e, f, er, intro, own);
	}
	free(made);
	assure_findings_free(all);
	assure_waivers_free(mine);
}

static void copy_mark(assure_waiver_mark *dst, const assure_waiver_mark *src)
{
	dst->where = assure_xstrdup(src->where);
	dst->reason = assure_xstrdup(src->reason);
	dst->approved_by = assure_xstrdup(src->approved_by);
	dst->approved_on = assure_xstrdup(src->approved_on);
	dst->expires = assure_xstrdup(src->expires);
}

/* The same decision: an entry that only moved in the file (its where) is the same waiver. */
static bool same_mark(const assure_waiver_mark *x, const assure_waiver_mark *y)
{
	return strcmp(x->reason, y->reason) == 0 && strcmp(x->approved_by, y->approved_by) == 0 &&
	       strcmp(x->approved_on, y->approved_on) == 0 && strcmp(x->expires, y->expires) == 0;
}

static assure_audit_waived *open_span(assure_audit_interval *iv)
{
	return iv->nwaived && iv->waived[iv->nwaived - 1].to < 0 ? &iv->waived[iv->nwaived - 1] : NULL;
}

void ah_waivers_spans(assure_audit *a, ah_waivers *h, size_t rec, const assure_findings *marked,
                      ah_interval_fn interval_of, void *payload)
{
	assure_audit_commit *c = &a->commits[rec];
	size_t n = marked ? assure_findings_count(marked) : 0;
	/* the intervals accepted here, and each one's mark (the first of its findings') */
	size_t *ivs = assure_xcalloc(n + 1, sizeof(size_t));
	const assure_waiver_mark **marks = assure_xcalloc(n + 1, sizeof(*marks));
	size_t nivs = 0;
	for (size_t i = 0; i < n; i++) {
		const assure_finding *f = assure_findings_get(marked, i);
		c->waived[f->severity]++;
		long iv = interval_of(f->fingerprint, payload);
		if (iv < 0)
			continue;
		bool seen = false;
		for (size_t k = 0; k < nivs && !seen; k++)
			seen = ivs[k] == (size_t)iv;
		if (!seen) {
			ivs[nivs] = (size_t)iv;
			marks[nivs++] = f->waiver;
		}
	}
	/* a span open before and not accepted now (or by another waiver) ends here */
	size_t kept = 0;
	for (size_t k = 0; k < h->nopen; k++) {
		assure_audit_interval *iv = &a->intervals[h->open[k]];
		assure_audit_waived *sp = open_span(iv);
		long at = -1;
		for (size_t j = 0; j < nivs && at < 0; j++)
			if (ivs[j] == h->open[k])
				at = (long)j;
		if (sp && at >= 0 && same_mark(&sp->mark, marks[at])) {
			h->open[kept++] = h->open[k];
			continue;
		}
		if (sp)
			sp->to = (long)rec;
	}
	h->nopen = kept;
	for (size_t j = 0; j < nivs; j++) {
		assure_audit_interval *iv = &a->intervals[ivs[j]];
		if (open_span(iv))
			continue;
		iv->waived = assure_xrealloc(iv->waived, (iv->nwaived + 1) * sizeof(*iv->waived));
		assure_audit_waived *sp = &iv->waived[iv->nwaived++];
		sp->from = rec;
		sp->to = -1;
		copy_mark(&sp->mark, marks[j]);
		if (h->nopen == h->capopen) {
			h->capopen = h->capopen ? 2 * h->capopen : 64;
			h->open = assure_xrealloc(h->open, h->capopen * sizeof(size_t));
		}
		h->open[h->nopen++] = ivs[j];
	}
	free(ivs);
	free(marks);
}

void ah_waivers_free_spans(assure_audit *a)
{
	for (size_t i = 0; i < a->nintervals; i++) {
		assure_audit_interval *iv = &a->intervals[i];
		for (size_t k = 0; k < iv->nwaived; k++) {
			free(iv->waived[k].mark.where);
			free(iv->waived[k].mark.reason);
			free(iv->waived[k].mark.approved_by);
			free(iv->waived[k].mark.approved_on);
			free(iv->waived[k].mark.expires);
		}
		free(iv->waived);
	}
}

const assure_audit_waived *ah_waived_at(const assure_audit *a, size_t iv, size_t rec)
{
	const assure_audit_interval *v = &a->intervals[iv];
	for (size_t k = 0; k < v->nwaived; k++)
		if (v->waived[k].from <= rec && (v->waived[k].to < 0 || rec < (size_t)v->waived[k].to))
			return &v->waived[k];
	return NULL;
}

/* ---- shared by the formats ---- */

static const assure_audit *span_audit; /* qsort has no payload; the sort is not reentrant */

static int cmp_span(const void *x, const void *y)
{
	const ah_span_ref *p = x, *q = y;
	size_t fp = span_audit->intervals[p->iv].waived[p->k].from,
	       fq = span_audit->intervals[q->iv].waived[q->k].from;
	if (fp != fq)
		return fp < fq ? -1 : 1;
	if (p->iv != q->iv)
		return p->iv < q->iv ? -1 : 1;
	return (p->k > q->k) - (p->k < q->k);
}

size_t ah_waived_spans(const assure_audit *a, ah_span_ref **out)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nintervals; i++)
		n += a->intervals[i].nwaived;
	*out = assure_xcalloc(n + 1, sizeof(**out));
	size_t m = 0;
	for (size_t i = 0; i < a->nintervals; i++)
		for (size_t k = 0; k < a->intervals[i].nwaived; k++)
			(*out)[m++] = (ah_span_ref){i, k};
	span_audit = a;
	qsort(*out, n, sizeof(**out), cmp_span);
	span_audit = NULL;
	return n;
}

void ah_waiver_text(assure_buf *out, const assure_waiver_mark *m)
{
	/* the waiver's text is the repository's: shown, never obeyed */
	assure_buf_puts(out, "until ");
	assure_buf_put_visible(out, m->expires);
	assure_buf_puts(out, " by ");
	assure_buf_put_visible(out, m->where);
	assure_buf_puts(out, ", approved by ");
	assure_buf_put_visible(out, m->approved_by);
	assure_buf_puts(out, " on ");
	assure_buf_put_visible(out, m->approved_on);
	assure_buf_puts(out, ": ");
	assure_buf_put_visible(out, m->reason);
}

json_t *ah_waiver_json(const assure_waiver_mark *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "where", assure_json_text(m->where));
	json_object_set_new(o, "reason", assure_json_text(m->reason));
	json_object_set_new(o, "approved_by", assure_json_text(m->approved_by));
	json_object_set_new(o, "approved_on", assure_json_text(m->approved_on));
	json_object_set_new(o, "expires", assure_json_text(m->expires));
	return o;
}

json_t *ah_waived_json(const assure_audit *a, const assure_audit_interval *iv)
{
	json_t *list = json_array();
	for (size_t k = 0; k < iv->nwaived; k++) {
		const assure_audit_waived *w = &iv->waived[k];
		json_t *o = json_object();
		json_object_set_new(o, "from", json_string(a->commits[w->from].info.id));
		json_object_set_new(o, "to",
		                    w->to >= 0 ? json_string(a->commits[w->to].info.id) : json_null());
		json_object_set_new(o, "waiver", ah_waiver_json(&w->mark));
		json_array_append_new(list, o);
	}
	return list;
}
