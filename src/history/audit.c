/*
 * audit.c: the walk over a range of commits, the check of each, and the comparison of
 * every commit's findings with its first parent's (see audit.h).
 *
 * The walk is planned first (which commits, which records each one reads), so that a
 * record's snapshot and findings can be freed as soon as the last record that reads them
 * is done: memory holds the records still needed, not the whole history.
 */
#include "assure/audit.h"

#include "assure/date.h"
#include "assure/decimal.h"
#include "assure/error.h"
#include "assure/strmap.h"
#include "assure/walk.h"
#include "history/audit_int.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

/* The state of a checked record that later records still read. */
typedef struct live {
	assure_snapshot *snap;     /* its snapshot (owned) */
	assure_findings *findings; /* its findings, sorted by fingerprint (owned) */
	size_t *iv;                /* the interval of each finding */
	size_t readers;            /* records still to be checked that read it */
} live;

/* The plan of one record: who it reads. */
typedef struct step {
	long *merged;   /* records of its other parents that were walked (merges) */
	size_t nmerged; /* entries of merged */
} step;

/* A fingerprint open after the last record, in the incremental walk (see check_linear). */
typedef struct open_fp {
	char fp[41];   /* the fingerprint */
	size_t iv;     /* its interval, while count > 0 */
	size_t count;  /* findings of it open */
	size_t before; /* count before the record being checked (touched only) */
	int fate;      /* FATE_*: what the record being checked did to it (touched only) */
	size_t stamp;  /* 1 + the record that last touched it */
} open_fp;

enum { FATE_NONE, FATE_OPENED, FATE_RESOLVED, FATE_MOVED };

/* Everything one run needs on the way. */
typedef struct walk_state {
	assure_audit *a;
	assure_repo *repo;
	const assure_audit_opts *opts;
	assure_engine *engine;
	step *steps;         /* one per record */
	live **lives;        /* one per record, NULL when not (or no longer) held */
	size_t nlive;        /* records held */
	size_t since_retain; /* files changed since the engine's cache was last trimmed */
	/*
	 * A history whose records each follow the one before (no merge to compare with, no
	 * commit outside the range but the first's parent) is checked incrementally: the engine
	 * says what each change brings and takes away, and the open findings are counted by
	 * fingerprint, not compared one by one.
	 */
	bool linear;
	assure_snapshot *prev; /* the last record's snapshot (owned) */
	assure_strmap *by_fp;  /* fingerprint -> index into opens */
	open_fp *opens;        /* every fingerprint seen since the map was last compacted */
	size_t nopens, capopens;
	size_t live_fps; /* of them, open */
	size_t *touched; /* opens the record being checked changed */
	size_t ntouched, captouched;
	size_t total;                    /* findings open */
	size_t counts[ASSURE_SEV_COUNT]; /* of them, by severity */
	size_t *by_domain;               /* of them, by domain (a->domains) */
	ah_waivers wv;                   /* each commit's waivers along the walk (audit_waivers.c) */
} walk_state;

/* ---- the rule set's view of paths ---- */

static bool ends_with_json(const char *path)
{
	size_t n = strlen(path);
	return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

/* A return file: one that some rule selects by its path (as the engine decides). */
static bool is_return(const assure_ruleset *rs, const char *path)
{
	for (size_t k = 0; k < assure_ruleset_count(rs); k++) {
		const assure_rule *r = assure_ruleset_rule(rs, k);
		if (r->path_count == 0 && ends_with_json(path))
			return true;
		for (size_t i = 0; i < r->path_count; i++)
			if (assure_glob_match(r->paths[i], path))
				return true;
	}
	return false;
}

/* ---- records ---- */

static size_t add_record(assure_audit *a, const assure_commit_info *info, bool boundary)
{
	if (a->ncommits == a->capcommits) {
		a->capcommits = a->capcommits ? a->capcommits * 2 : 64;
		a->commits = assure_xrealloc(a->commits, a->capcommits * sizeof(*a->commits));
	}
	assure_audit_commit *c = &a->commits[a->ncommits];
	memset(c, 0, sizeof(*c));
	c->info = *info;
	c->boundary = boundary;
	c->parent = -1;
	c->by_domain = assure_xcalloc(a->ndomains + 1, sizeof(size_t));
	json_object_set_new(a->by_id, info->id, json_integer((json_int_t)a->ncommits));
	return a->ncommits++;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void collect_domains(assure_audit *a)
{
	size_t n = assure_ruleset_count(a->rs);
	a->domains = assure_xcalloc(n + 1, sizeof(char *));
	a->domains[a->ndomains++] = assure_xstrdup("validity");
	for (size_t k = 0; k < n; k++) {
		const char *d = assure_ruleset_rule(a->rs, k)->domain;
		bool seen = false;
		for (size_t i = 0; i < a->ndomains && !seen; i++)
			seen = strcmp(a->domains[i], d) == 0;
		if (!seen)
			a->domains[a->ndomains++] = assure_xstrdup(d);
	}
	qsort(a->domains, a->ndomains, sizeof(char *), cmp_str);
}

static long domain_index(const assure_audit *a, const char *d)
{
	size_t lo = 0, hi = a->ndomains;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->domains[mid], d);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const char *intern_org(assure_audit *a, const char *org)
{
	json_t *s = json_object_get(a->orgs, org);
	if (!s) {
		s = json_string(org);
		json_object_set_new(a->orgs, org, s);
	}
	return json_string_value(s);
}

/* ---- planning ---- */

/* Parents of a commit other than the first, as hex ids (caller frees). */
static size_t other_parents(char (**out)[41], assure_repo *repo, const char *hex)
{
	git_oid id;
	git_commit *c = NULL;
	*out = NULL;
	if (git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(&c, assure_repo_git(repo), &id) < 0)
		return 0;
	size_t n = git_commit_parentcount(c);
	size_t m = n > 1 ? n - 1 : 0;
	if (m) {
		*out = assure_xcalloc(m, sizeof(**out));
		for (size_t i = 1; i < n; i++)
			git_oid_tostr((*out)[i - 1], 41, git_commit_parent_id(c, (unsigned)i));
	}
	git_commit_free(c);
	return m;
}

/* Lay out the records: the walked commits, each preceded by its first parent when that is outside the range.
 */
static int plan(walk_state *ws)
{
	assure_audit *a = ws->a;
	const assure_audit_opts *o = ws->opts;
	assure_walk_entry *ids = NULL;
	size_t n = 0;
	int rc = assure_walk_range(&ids, &n, ws->repo, o->range, o->first_parent);
	if (rc < 0)
		return rc;
	/* Which commits pass the date filter: only these are walked. */
	json_t *walked = json_object();
	assure_commit_info *infos = assure_xcalloc(n + 1, sizeof(*infos));
	bool *keep = assure_xcalloc(n + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++) {
		if ((rc = assure_repo_commit_info(ws->repo, ids[i].id, &infos[i])) < 0)
			goto done;
		int32_t day = assure_date_from_unix(infos[i].commit_time);
		keep[i] = (!o->has_since || day >= o->since) && (!o->has_until || day <= o->until);
		if (keep[i])
			json_object_set_new(walked, ids[i].id, json_true());
	}
	for (size_t i = 0; i < n; i++) {
		if (!keep[i]) {
			assure_commit_info_clear(&infos[i]);
			continue;
		}
		long parent = -1;
		/* past a shallow boundary there is no parent to compare with: as for a root */
		if (infos[i].parent_count > 0 && !ids[i].shallow) {
			json_t *p = json_object_get(a->by_id, infos[i].first_parent);
			if (!p) {
				/* Walked commits come after their parents: an unknown parent is outside the
				 * range. */
				assure_commit_info pinfo;
				if ((rc = assure_repo_commit_info(ws->repo, infos[i].first_parent, &pinfo)) <
				    0)
					goto done;
				parent = (long)add_record(a, &pinfo, true);
			} else {
				parent = (long)json_integer_value(p);
			}
		}
		size_t rec = add_record(a, &infos[i], false);
		memset(&infos[i], 0, sizeof(infos[i])); /* the record owns its strings now */
		a->commits[rec].parent = parent;
		a->commits[rec].shallow = ids[i].shallow;
	}
	/* Who reads whom: first parents always, other walked parents for merges. */
	ws->steps = assure_xcalloc(a->ncommits + 1, sizeof(step));
	ws->lives = assure_xcalloc(a->ncommits + 1, sizeof(live *));
	size_t *readers = assure_xcalloc(a->ncommits + 1, sizeof(size_t));
	for (size_t r = 0; r < a->ncommits; r++) {
		assure_audit_commit *c = &a->commits[r];
		if (c->parent >= 0)
			readers[c->parent]++;
		if (c->boundary || c->shallow || o->first_parent || c->info.parent_count < 2)
			continue;
		char(*others)[41];
		size_t m = other_parents(&others, ws->repo, c->info.id);
		ws->steps[r].merged = assure_xcalloc(m + 1, sizeof(long));
		for (size_t k = 0; k < m; k++) {
			json_t *p = json_object_get(walked, others[k]);
			json_t *idx = p ? json_object_get(a->by_id, others[k]) : NULL;
			if (idx && (size_t)json_integer_value(idx) < r) {
				ws->steps[r].merged[ws->steps[r].nmerged++] = (long)json_integer_value(idx);
				readers[json_integer_value(idx)]++;
			}
		}
		free(others);
	}
	ws->linear = !o->compare_each;
	for (size_t r = 0; r < a->ncommits && ws->linear; r++) {
		const assure_audit_commit *c = &a->commits[r];
		if (c->boundary)
			ws->linear = r == 0;
		else
			ws->linear = c->parent == (long)r - 1 && ws->steps[r].nmerged == 0 &&
			             (r == 0 || c->info.parent_count > 0);
	}
	/* Stash the counts in the lives array's slots until each record is checked. */
	for (size_t r = 0; r < a->ncommits; r++) {
		if (!readers[r])
			continue;
		ws->lives[r] = assure_xcalloc(1, sizeof(live));
		ws->lives[r]->readers = readers[r];
	}
	free(readers);
	rc = 0;
done:
	for (size_t i = 0; i < n; i++)
		assure_commit_info_clear(&infos[i]);
	free(infos);
	free(keep);
	free(ids);
	json_decref(walked);
	return rc;
}

/* ---- checking one record ---- */

static void live_free(live *l);

static void live_release(walk_state *ws, size_t r)
{
	live *l = ws->lives[r];
	if (!l || --l->readers > 0)
		return;
	live_free(l);
	ws->lives[r] = NULL;
	ws->nlive--;
}

/* The `org` field of the return at `path` in snap, "" when there is none. */
static const char *org_of(walk_state *ws, const assure_snapshot *snap, const char *path)
{
	long i = *path ? assure_snapshot_find(snap, path) : -1;
	json_t *org = i >= 0 ? assure_engine_top(ws->engine, snap, (size_t)i, "org") : NULL;
	return intern_org(ws->a, json_is_string(org) ? json_string_value(org) : "");
}

/*
 * The points of every chart the rule set declares (what a chart reads is the rule set's to
 * say: a rule set that declares none costs nothing here).
 */
static void read_figures(walk_state *ws, assure_audit_commit *c, const assure_snapshot *snap,
                         const assure_check_opts *copts)
{
	size_t ncharts = assure_ruleset_chart_count(ws->a->rs);
	for (size_t k = 0; k < ncharts; k++) {
		assure_chart_point *pts = NULL;
		size_t n = 0;
		if (assure_engine_chart(ws->engine, snap, copts, k, &pts, &n) < 0)
			continue;
		c->figures = assure_xrealloc(c->figures, (c->nfigures + n + 1) * sizeof(*c->figures));
		const assure_chart *ch = assure_ruleset_chart(ws->a->rs, k);
		for (size_t i = 0; i < n; i++) {
			bool any = false;
			for (size_t v = 0; v < ch->nseries; v++)
				any |= pts[i].values[v] != NULL;
			if (!any) { /* a group with nothing to draw is no point */
				free(pts[i].key);
				for (size_t v = 0; v < ch->nseries; v++)
					free(pts[i].values[v]);
				free(pts[i].values);
				continue;
			}
			/* the point's strings move into the commit's figures */
			c->figures[c->nfigures++] = (assure_audit_figures){k, pts[i].key, pts[i].values};
		}
		free(pts);
	}
}

/* Keep the return files' changes; count the others. */
static void keep_return_changes(walk_state *ws, assure_audit_commit *c, assure_change *ch, size_t n)
{
	c->changes = n ? assure_xcalloc(n, sizeof(*c->changes)) : NULL;
	for (size_t i = 0; i < n; i++) {
		bool ret = is_return(ws->a->rs, ch[i].path) ||
		           (ch[i].old_path && is_return(ws->a->rs, ch[i].old_path));
		if (!ret) {
			c->other_changes++;
			continue;
		}
		assure_change *d = &c->changes[c->nchanges++];
		d->kind = ch[i].kind;
		d->path = assure_xstrdup(ch[i].path);
		d->old_path = ch[i].old_path ? assure_xstrdup(ch[i].old_path) : NULL;
	}
}

static bool touches_paths(const assure_audit_opts *o, const assure_change *ch, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t g = 0; g < o->npaths; g++)
			if (assure_glob_match(o->paths[g], ch[i].path) ||
			    (ch[i].old_path && assure_glob_match(o->paths[g], ch[i].old_path)))
				return true;
	return false;
}

/* The path a file had in the parent when this commit renamed it, or NULL. */
static const char *renamed_from(const assure_change *ch, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ch[mid].path, path);
		if (c == 0)
			return ch[mid].kind == ASSURE_CHANGE_RENAMED ? ch[mid].old_path : NULL;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Interval of fingerprint fp in a live record, or -1. */
static long live_interval(const live *l, const char *fp)
{
	long k = assure_findings_find_fingerprint(l->findings, fp);
	return k < 0 ? -1 : (long)l->iv[k];
}

/* Compare with the first parent: new, resolved, persisting; carry the intervals. */
static void compare(walk_state *ws, size_t rec, live *cur, const live *par, const assure_change *ch,
                    size_t nch)
{
	assure_audit *a = ws->a;
	assure_audit_commit *c = &a->commits[rec];
	const step *st = &ws->steps[rec];
	size_t n = assure_findings_count(cur->findings);
	size_t np = par ? assure_findings_count(par->findings) : 0;
	bool *matched = assure_xcalloc(np + 1, sizeof(bool));
	assure_findings_new(&c->opened);
	assure_findings_new(&c->resolved);
	bool group_new = false; /* whether the current fingerprint is new */
	for (size_t j = 0; j < n; j++) {
		const assure_finding *f = assure_findings_get(cur->findings, j);
		if (j > 0 &&
		    strcmp(assure_findings_get(cur->findings, j - 1)->fingerprint, f->fingerprint) == 0) {
			/* another finding of the same identity shares the first one's interval and fate */
			cur->iv[j] = cur->iv[j - 1];
			if (group_new)
				assure_findings_share(c->opened, cur->findings, j);
			else
				c->persisting++;
			continue;
		}
		group_new = false;
		long k = par ? assure_findings_find_fingerprint(par->findings, f->fingerprint) : -1;
		const char *old = k < 0 && par ? renamed_from(ch, nch, f->path) : NULL;
		if (k < 0 && old) {
			char fp[41];
			assure_finding_fingerprint(fp, f->rule_id, old, f->subject);
			k = assure_findings_find_fingerprint(par->findings, fp);
			if (k >= 0)
				ah_interval_move(a, par->iv[k], f);
		}
		if (k >= 0) {
			const char *pfp = assure_findings_get(par->findings, (size_t)k)->fingerprint;
			for (size_t m = (size_t)k;
			     m < np && strcmp(assure_findings_get(par->findings, m)->fingerprint, pfp) == 0;
			     m++)
				matched[m] = true;
			cur->iv[j] = par->iv[k];
			c->persisting++;
			continue;
		}
		/* New against the first parent; a merge may bring it from another parent's open interval. */
		long inherited = -1;
		for (size_t m = 0; m < st->nmerged && inherited < 0; m++) {
			const live *other = ws->lives[st->merged[m]];
			long iv = other ? live_interval(other, f->fingerprint) : -1;
			if (iv >= 0 && a->intervals[iv].closed < 0)
				inherited = iv;
		}
		cur->iv[j] = inherited >= 0 ? (size_t)inherited
		                            : ah_interval_open(a, cur->findings, j, rec, false,
		                                               org_of(ws, cur->snap, f->path));
		assure_findings_share(c->opened, cur->findings, j);
		group_new = true;
	}
	for (size_t m = 0; m < np; m++) {
		if (matched[m])
			continue;
		assure_findings_share(c->resolved, par->findings, m);
		ah_interval_close(a, par->iv[m], rec);
	}
	free(matched);
	/*
	 * What a merged branch had open and the merge does not keep is resolved by the merge:
	 * every interval ends closed or open at the end, so the summary adds up.
	 */
	for (size_t m = 0; m < st->nmerged; m++) {
		const live *other = ws->lives[st->merged[m]];
		size_t no = other ? assure_findings_count(other->findings) : 0;
		for (size_t k = 0; k < no; k++) {
			const assure_finding *f = assure_findings_get(other->findings, k);
			if (a->intervals[other->iv[k]].closed >= 0 ||
			    assure_findings_find_fingerprint(cur->findings, f->fingerprint) >= 0)
				continue;
			assure_findings_share(c->resolved, other->findings, k);
			ah_interval_close(a, other->iv[k], rec);
		}
	}

	/* Report order, then each finding's interval looked up again by fingerprint. */
	assure_findings_sort(c->opened);
	assure_findings_sort(c->resolved);
	size_t no = assure_findings_count(c->opened), nr = assure_findings_count(c->resolved);
	c->opened_interval = assure_xcalloc(no + 1, sizeof(size_t));
	c->resolved_interval = assure_xcalloc(nr + 1, sizeof(size_t));
	for (size_t i = 0; i < no; i++)
		c->opened_interval[i] =
		    (size_t)live_interval(cur, assure_findings_get(c->opened, i)->fingerprint);
	for (size_t i = 0; i < nr; i++) {
		const char *fp = assure_findings_get(c->resolved, i)->fingerprint;
		long iv = par ? live_interval(par, fp) : -1;
		for (size_t m = 0; iv < 0 && m < st->nmerged; m++)
			if (ws->lives[st->merged[m]])
				iv = live_interval(ws->lives[st->merged[m]], fp);
		c->resolved_interval[i] = (size_t)iv;
	}
}

/* A boundary record's findings were open before the range: one interval each. */
static void open_boundary(walk_state *ws, size_t rec, live *cur)
{
	assure_audit_commit *c = &ws->a->commits[rec];
	assure_findings_new(&c->opened);
	assure_findings_new(&c->resolved);
	size_t n = assure_findings_count(cur->findings);
	for (size_t j = 0; j < n; j++) {
		const assure_finding *f = assure_findings_get(cur->findings, j);
		if (j > 0 &&
		    strcmp(assure_findings_get(cur->findings, j - 1)->fingerprint, f->fingerprint) == 0)
			cur->iv[j] = cur->iv[j - 1];
		else
			cur->iv[j] = ah_interval_open(ws->a, cur->findings, j, rec, true,
			                              org_of(ws, cur->snap, f->path));
	}
}

/* Trim the engine's cache to the live snapshots once enough has changed to pay for the pass. */
static void maybe_retain(walk_state *ws, size_t files)
{
	if (ws->since_retain < 256 || ws->since_retain < files)
		return;
	ws->since_retain = 0;
	const assure_snapshot **keep = assure_xcalloc(ws->nlive + 2, sizeof(*keep));
	size_t n = 0;
	if (ws->prev) /* the incremental walk's last snapshot */
		keep[n++] = ws->prev;
	for (size_t r = 0; r < ws->a->ncommits; r++)
		if (ws->lives[r] && ws->lives[r]->snap)
			keep[n++] = ws->lives[r]->snap;
	assure_engine_retain(ws->engine, keep, n);
	free(keep);
}

/* The options of a record's check; its as_of is set on the way. */
static assure_check_opts record_opts(walk_state *ws, assure_audit_commit *c)
{
	c->as_of = ws->opts->has_as_of ? ws->opts->as_of : assure_date_from_unix(c->info.commit_time);
	assure_check_opts copts = ASSURE_CHECK_OPTS_INIT;
	copts.as_of = c->as_of;
	copts.max_file_size = ws->opts->max_file_size;
	copts.max_findings = ws->opts->max_findings;
	return copts;
}

static void live_free(live *l)
{
	if (!l)
		return;
	assure_snapshot_free(l->snap);
	assure_findings_free(l->findings);
	free(l->iv);
	free(l);
}

/* Who introduced a finding open in the parent (ah_introducer_fn), for the comparing walk. */
typedef struct introducer_ctx {
	walk_state *ws;
	const live *par; /* the first parent's, or NULL */
} introducer_ctx;

static long record_introducer(const char *fp, void *payload)
{
	const introducer_ctx *x = payload;
	long iv = x->par ? live_interval(x->par, fp) : -1;
	if (iv < 0)
		return -2;
	const assure_audit_interval *v = &x->ws->a->intervals[iv];
	return v->before_range ? -1 : (long)v->opened;
}

static long record_interval(const char *fp, void *payload)
{
	return live_interval(payload, fp);
}

static int check_record(walk_state *ws, size_t rec)
{
	assure_audit *a = ws->a;
	assure_audit_commit *c = &a->commits[rec];
	live *par = c->parent >= 0 && !c->boundary ? ws->lives[c->parent] : NULL;
	assure_snapshot *snap = NULL;
	assure_change *ch = NULL;
	size_t nch = 0;
	int rc = assure_snapshot_derive(&snap, &ch, &nch, ws->repo, par ? par->snap : NULL, c->info.id);
	if (rc < 0)
		return rc;
	size_t files = assure_snapshot_count(snap);
	assure_check_opts copts = record_opts(ws, c);
	/* A record that others read was given its slot (with the count of readers) by plan(). */
	live *cur = ws->lives[rec] ? ws->lives[rec] : assure_xcalloc(1, sizeof(live));
	cur->snap = snap;
	assure_findings_new(&cur->findings);
	if ((rc = assure_engine_check(ws->engine, snap, &copts, cur->findings, &c->result)) < 0) {
		assure_changes_free(ch, nch);
		ws->lives[rec] = NULL;
		live_free(cur);
		return rc;
	}
	/* the commit's waivers: their own findings are compared like the others */
	assure_findings *marked = NULL;
	if (ah_waivers_needed(&ws->wv, snap)) {
		introducer_ctx ictx = {ws, par};
		ah_waivers_layer(a, &ws->wv, rec, snap, cur->findings, copts.as_of, record_introducer, &ictx,
		                 &marked, cur->findings, &c->result);
	}
	assure_findings_sort_by_fingerprint(cur->findings);
	size_t n = assure_findings_count(cur->findings);
	cur->iv = assure_xcalloc(n + 1, sizeof(size_t));

	if (c->boundary) {
		open_boundary(ws, rec, cur);
	} else {
		keep_return_changes(ws, c, ch, nch);
		c->reported = ws->opts->npaths == 0 || touches_paths(ws->opts, ch, nch);
		compare(ws, rec, cur, par, ch, nch);
		a->last = (long)rec;
	}
	if (marked)
		ah_waivers_spans(a, &ws->wv, rec, marked, record_interval, cur);
	assure_findings_free(marked);
	c->total = n;
	assure_findings_counts(cur->findings, c->counts);
	for (size_t j = 0; j < n; j++) {
		long d = domain_index(a, assure_findings_get(cur->findings, j)->domain);
		if (d >= 0)
			c->by_domain[d]++;
	}
	read_figures(ws, c, snap, &copts);
	if (rec + 1 == a->ncommits) {
		/* the last record (always a walked one): what is open at the end */
		a->open_at_end = assure_xcalloc(n + 1, sizeof(size_t));
		for (size_t j = 0; j < n; j++)
			if (j == 0 || cur->iv[j] != cur->iv[j - 1])
				a->open_at_end[a->nopen_at_end++] = cur->iv[j];
	}
	assure_changes_free(ch, nch);
	ws->since_retain += nch;

	if (ws->lives[rec]) {
		if (++ws->nlive > a->stats.live_max)
			a->stats.live_max = ws->nlive;
	} else {
		live_free(cur);
	}
	if (c->parent >= 0 && !c->boundary)
		live_release(ws, (size_t)c->parent);
	for (size_t m = 0; m < ws->steps[rec].nmerged; m++)
		live_release(ws, (size_t)ws->steps[rec].merged[m]);
	maybe_retain(ws, files);
	return 0;
}

/* ---- checking one record of a linear history (incrementally) ---- */

static size_t fp_slot(walk_state *ws, const char *fp)
{
	bool added = false;
	size_t *slot = assure_strmap_slot(ws->by_fp, fp, strlen(fp), &added);
	if (added) {
		if (ws->nopens == ws->capopens) {
			ws->capopens = ws->capopens ? 2 * ws->capopens : 1024;
			ws->opens = assure_xrealloc(ws->opens, ws->capopens * sizeof(open_fp));
		}
		*slot = ws->nopens;
		open_fp *o = &ws->opens[ws->nopens++];
		memset(o, 0, sizeof(*o));
		memcpy(o->fp, fp, sizeof(o->fp));
	}
	return *slot;
}

static open_fp *fp_find(walk_state *ws, const char *fp)
{
	size_t at;
	return assure_strmap_get(ws->by_fp, fp, strlen(fp), &at) ? &ws->opens[at] : NULL;
}

static void touch(walk_state *ws, size_t slot, size_t rec)
{
	open_fp *o = &ws->opens[slot];
	if (o->stamp == rec + 1)
		return;
	o->stamp = rec + 1;
	if (ws->ntouched == ws->captouched) {
		ws->captouched = ws->captouched ? 2 * ws->captouched : 256;
		ws->touched = assure_xrealloc(ws->touched, ws->captouched * sizeof(size_t));
	}
	ws->touched[ws->ntouched++] = slot;
	o->before = o->count;
	o->fate = FATE_NONE;
}

/* Count a finding in or out of the open totals. */
static void tally(walk_state *ws, const assure_finding *f, int sign)
{
	ws->total += (size_t)sign;
	ws->counts[f->severity] += (size_t)sign;
	long d = domain_index(ws->a, f->domain);
	if (d >= 0)
		ws->by_domain[d] += (size_t)sign;
}

/* Keep only the open fingerprints once the closed ones outnumber them: memory follows what is open. */
static void compact_fps(walk_state *ws)
{
	if (ws->nopens < 4096 || ws->nopens < 2 * ws->live_fps)
		return;
	size_t kept = 0;
	assure_strmap_free(ws->by_fp);
	ws->by_fp = assure_strmap_new();
	for (size_t i = 0; i < ws->nopens; i++) {
		if (!ws->opens[i].count)
			continue;
		ws->opens[kept] = ws->opens[i];
		*assure_strmap_slot(ws->by_fp, ws->opens[kept].fp, strlen(ws->opens[kept].fp), NULL) = kept;
		kept++;
	}
	ws->nopens = kept;
}

typedef struct fp_at {
	const char *fp; /* borrowed from opens */
	size_t slot;    /* index into opens */
} fp_at;

static int cmp_fp_at(const void *x, const void *y)
{
	return strcmp(((const fp_at *)x)->fp, ((const fp_at *)y)->fp);
}

/* Sort indices of opens by fingerprint. */
static void sort_slots(walk_state *ws, size_t *slots, size_t n)
{
	fp_at *v = assure_xcalloc(n + 1, sizeof(fp_at));
	for (size_t i = 0; i < n; i++)
		v[i] = (fp_at){ws->opens[slots[i]].fp, slots[i]};
	qsort(v, n, sizeof(fp_at), cmp_fp_at);
	for (size_t i = 0; i < n; i++)
		slots[i] = v[i].slot;
	free(v);
}

/* Who introduced a finding open before this record (ah_introducer_fn), for the incremental walk. */
static long linear_introducer(const char *fp, void *payload)
{
	walk_state *ws = payload;
	const open_fp *o = fp_find(ws, fp);
	if (!o || !o->count)
		return -2;
	const assure_audit_interval *v = &ws->a->intervals[o->iv];
	return v->before_range ? -1 : (long)v->opened;
}

static long linear_interval(const char *fp, void *payload)
{
	walk_state *ws = payload;
	const open_fp *o = fp_find(ws, fp);
	return o && o->count ? (long)o->iv : -1;
}

/*
 * The record checked as a change from the one before: the engine gives the findings the
 * change brought and took away; a fingerprint whose count goes from none to some opens,
 * one whose count goes to none is resolved, any other persists.
 */
static int check_linear(walk_state *ws, size_t rec)
{
	assure_audit *a = ws->a;
	assure_audit_commit *c = &a->commits[rec];
	assure_snapshot *snap = NULL;
	assure_change *ch = NULL;
	size_t nch = 0;
	int rc = assure_snapshot_derive(&snap, &ch, &nch, ws->repo, ws->prev, c->info.id);
	if (rc < 0)
		return rc;
	size_t files = assure_snapshot_count(snap);
	assure_check_opts copts = record_opts(ws, c);
	assure_findings *added, *removed;
	assure_findings_new(&added);
	assure_findings_new(&removed);
	if ((rc = assure_engine_update(ws->engine, snap, ws->prev, ch, nch, &copts, added, removed,
	                               &c->result)) < 0) {
		assure_findings_free(added);
		assure_findings_free(removed);
		assure_changes_free(ch, nch);
		assure_snapshot_free(snap);
		return rc;
	}
	/*
	 * The commit's waivers need all its findings, not the change's: only where a waivers file
	 * is (or was), they are taken from the engine's state (a pass over the findings, not a
	 * check of every file). Their own findings of the last record go, this record's come, as
	 * the engine's do.
	 */
	assure_findings *marked = NULL;
	if (ah_waivers_needed(&ws->wv, snap)) {
		assure_findings *found, *own;
		assure_findings_new(&found);
		assure_findings_new(&own);
		assure_engine_findings(ws->engine, found);
		ah_waivers_layer(a, &ws->wv, rec, snap, found, copts.as_of, linear_introducer, ws, &marked,
		                 own, &c->result);
		assure_findings_free(found);
		if (ws->wv.last)
			assure_findings_extend(removed, ws->wv.last);
		assure_findings_extend(added, own);
		assure_findings_free(ws->wv.last);
		ws->wv.last = own;
	}
	size_t nadded = assure_findings_count(added), nremoved = assure_findings_count(removed);
	ws->ntouched = 0;
	for (size_t i = 0; i < nremoved; i++) {
		const assure_finding *f = assure_findings_get(removed, i);
		size_t slot = fp_slot(ws, f->fingerprint);
		touch(ws, slot, rec);
		ws->opens[slot].count--;
		tally(ws, f, -1);
	}
	for (size_t i = 0; i < nadded; i++) {
		const assure_finding *f = assure_findings_get(added, i);
		size_t slot = fp_slot(ws, f->fingerprint);
		touch(ws, slot, rec);
		ws->opens[slot].count++;
		tally(ws, f, 1);
	}
	/* What each touched fingerprint's fate is, opened ones in fingerprint order (as intervals are
	 * numbered). */
	sort_slots(ws, ws->touched, ws->ntouched);
	for (size_t t = 0; t < ws->ntouched; t++) {
		open_fp *o = &ws->opens[ws->touched[t]];
		if (!o->before && o->count)
			o->fate = FATE_OPENED;
		else if (o->before && !o->count)
			o->fate = FATE_RESOLVED;
		ws->live_fps += (o->count > 0) - (o->before > 0);
	}
	assure_findings_new(&c->opened);
	assure_findings_new(&c->resolved);
	if (!c->boundary) {
		keep_return_changes(ws, c, ch, nch);
		c->reported = ws->opts->npaths == 0 || touches_paths(ws->opts, ch, nch);
		a->last = (long)rec;
	}
	/* The findings of each opened fingerprint, in fingerprint order: its interval opens (or moves with a
	 * renamed file). */
	assure_findings *opening;
	assure_findings_new(&opening);
	for (size_t i = 0; i < nadded; i++) {
		const assure_finding *f = assure_findings_get(added, i);
		if (fp_find(ws, f->fingerprint)->fate == FATE_OPENED)
			assure_findings_share(opening, added, i);
	}
	assure_findings_sort_by_fingerprint(opening);
	size_t nopening = assure_findings_count(opening);
	for (size_t i = 0; i < nopening; i++) {
		const assure_finding *f = assure_findings_get(opening, i);
		open_fp *o = fp_find(ws, f->fingerprint);
		bool first =
		    i == 0 || strcmp(assure_findings_get(opening, i - 1)->fingerprint, f->fingerprint) != 0;
		if (first) {
			const char *old = c->boundary ? NULL : renamed_from(ch, nch, f->path);
			open_fp *from = NULL;
			if (old) {
				char fp[41];
				assure_finding_fingerprint(fp, f->rule_id, old, f->subject);
				from = fp_find(ws, fp);
				if (from && from->fate != FATE_RESOLVED)
					from = NULL;
			}
			if (from) {
				/* the return was renamed: its interval goes on under the new path */
				ah_interval_move(a, from->iv, f);
				o->iv = from->iv;
				from->fate = FATE_MOVED;
				o->fate = FATE_MOVED;
			} else {
				o->iv = ah_interval_open(a, opening, i, rec, c->boundary,
				                         org_of(ws, snap, f->path));
			}
		}
		if (o->fate == FATE_OPENED && !c->boundary)
			assure_findings_share(c->opened, opening, i);
	}
	assure_findings_free(opening);
	for (size_t i = 0; i < nremoved && !c->boundary; i++) {
		const assure_finding *f = assure_findings_get(removed, i);
		if (fp_find(ws, f->fingerprint)->fate == FATE_RESOLVED)
			assure_findings_share(c->resolved, removed, i);
	}
	for (size_t t = 0; t < ws->ntouched; t++) {
		open_fp *o = &ws->opens[ws->touched[t]];
		if (o->fate == FATE_RESOLVED)
			ah_interval_close(a, o->iv, rec);
	}
	assure_findings_sort(c->opened);
	assure_findings_sort(c->resolved);
	size_t no = assure_findings_count(c->opened), nr = assure_findings_count(c->resolved);
	c->opened_interval = assure_xcalloc(no + 1, sizeof(size_t));
	c->resolved_interval = assure_xcalloc(nr + 1, sizeof(size_t));
	for (size_t i = 0; i < no; i++)
		c->opened_interval[i] = fp_find(ws, assure_findings_get(c->opened, i)->fingerprint)->iv;
	for (size_t i = 0; i < nr; i++)
		c->resolved_interval[i] = fp_find(ws, assure_findings_get(c->resolved, i)->fingerprint)->iv;
	if (marked)
		ah_waivers_spans(a, &ws->wv, rec, marked, linear_interval, ws);
	assure_findings_free(marked);
	c->persisting = c->boundary ? 0 : ws->total - no;
	c->total = ws->total;
	memcpy(c->counts, ws->counts, sizeof(ws->counts));
	memcpy(c->by_domain, ws->by_domain, a->ndomains * sizeof(size_t));
	read_figures(ws, c, snap, &copts);
	if (rec + 1 == a->ncommits) {
		/* the last record: what is open at the end, in fingerprint order */
		size_t *slots = assure_xcalloc(ws->nopens + 1, sizeof(size_t));
		size_t n = 0;
		for (size_t i = 0; i < ws->nopens; i++)
			if (ws->opens[i].count)
				slots[n++] = i;
		sort_slots(ws, slots, n);
		a->open_at_end = assure_xcalloc(n + 1, sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			a->open_at_end[a->nopen_at_end++] = ws->opens[slots[i]].iv;
		free(slots);
	}
	assure_findings_free(added);
	assure_findings_free(removed);
	assure_changes_free(ch, nch);
	assure_snapshot_free(ws->prev);
	ws->prev = snap;
	a->stats.live_max = rec ? 2 : 1;
	compact_fps(ws);
	ws->since_retain += nch;
	maybe_retain(ws, files);
	return 0;
}

/* ---- the summary ---- */

static assure_audit_tally *tally_for(assure_audit_tally **list, size_t *n, json_t *index, const char *key)
{
	json_t *i = json_object_get(index, key);
	if (i)
		return &(*list)[json_integer_value(i)];
	*list = assure_xrealloc(*list, (*n + 1) * sizeof(**list));
	assure_audit_tally *t = &(*list)[*n];
	memset(t, 0, sizeof(*t));
	t->key = key;
	json_object_set_new(index, key, json_integer((json_int_t)*n));
	(*n)++;
	return t;
}

static int cmp_tally(const void *x, const void *y)
{
	const assure_audit_tally *a = x, *b = y;
	/* findings of no organisation last */
	if (!*a->key != !*b->key)
		return *a->key ? -1 : 1;
	return strcmp(a->key, b->key);
}

typedef enum { T_OPENED, T_CLOSED, T_OPEN } tally_kind;

static void count_in(assure_audit *a, json_t *idx[3], const assure_finding *f, const char *org, tally_kind k)
{
	assure_audit_summary *s = &a->summary;
	assure_audit_tally *t[4] = {
	    &s->all,
	    tally_for(&s->by_rule, &s->nrules, idx[0], f->rule_id),
	    tally_for(&s->by_domain, &s->ndomains, idx[1], f->domain),
	    tally_for(&s->by_org, &s->norgs, idx[2], org),
	};
	for (size_t i = 0; i < 4; i++) {
		if (k == T_OPENED)
			t[i]->opened++;
		else if (k == T_CLOSED)
			t[i]->closed++;
		else
			t[i]->open++;
	}
}

static int cmp_longest(const void *x, const void *y, const assure_audit *a)
{
	const assure_audit_interval *p = &a->intervals[*(const size_t *)x],
	                            *q = &a->intervals[*(const size_t *)y];
	/* an interval open before the range has a length not known: ranked after the known ones */
	if (p->before_range != q->before_range)
		return p->before_range ? 1 : -1;
	if (p->days != q->days)
		return p->days > q->days ? -1 : 1;
	if (p->opened != q->opened)
		return p->opened < q->opened ? -1 : 1;
	return strcmp(p->finding->fingerprint, q->finding->fingerprint);
}

static void summarise(assure_audit *a)
{
	assure_audit_summary *s = &a->summary;
	/* Keys borrow strings the audit owns (interval findings and interned orgs) so the index can. */
	json_t *idx[3] = {json_object(), json_object(), json_object()};
	/* per interval: 2r+1 once counted as opened in record r, 2r+2 as closed (one count each) */
	size_t *seen = assure_xcalloc(a->nintervals + 1, sizeof(size_t));
	for (size_t r = 0; r < a->ncommits; r++) {
		const assure_audit_commit *c = &a->commits[r];
		if (!c->reported)
			continue;
		s->commits++;
		/*
		 * An interval counts once: opened where it opened (not again where a merge brings
		 * it), closed where it closed for good (not where a side branch resolved what the
		 * line to the end still has), so open at the start + opened - closed = open at the end.
		 */
		for (size_t i = 0; i < assure_findings_count(c->opened); i++) {
			const assure_audit_interval *iv = &a->intervals[c->opened_interval[i]];
			if (iv->opened == r && seen[c->opened_interval[i]] != 2 * r + 1) {
				seen[c->opened_interval[i]] = 2 * r + 1;
				count_in(a, idx, iv->finding, iv->org, T_OPENED);
			}
		}
		for (size_t i = 0; i < assure_findings_count(c->resolved); i++) {
			const assure_audit_interval *iv = &a->intervals[c->resolved_interval[i]];
			if (iv->closed == (long)r && seen[c->resolved_interval[i]] != 2 * r + 2) {
				seen[c->resolved_interval[i]] = 2 * r + 2;
				count_in(a, idx, iv->finding, iv->org, T_CLOSED);
			}
		}
	}
	for (size_t i = 0; i < a->nopen_at_end; i++) {
		const assure_audit_interval *iv = &a->intervals[a->open_at_end[i]];
		count_in(a, idx, iv->finding, iv->org, T_OPEN);
	}
	free(seen);
	for (size_t i = 0; i < a->nintervals; i++)
		s->open_at_start += a->intervals[i].before_range;
	for (size_t i = 0; i < 3; i++)
		json_decref(idx[i]);
	if (s->nrules > 1)
		qsort(s->by_rule, s->nrules, sizeof(*s->by_rule), cmp_tally);
	if (s->ndomains > 1)
		qsort(s->by_domain, s->ndomains, sizeof(*s->by_domain), cmp_tally);
	if (s->norgs > 1)
		qsort(s->by_org, s->norgs, sizeof(*s->by_org), cmp_tally);

	/* The longest-open intervals: a partial selection, stable through the total order. */
	size_t n = a->nintervals, cap = sizeof(s->longest) / sizeof(s->longest[0]);
	for (size_t i = 0; i < n; i++) {
		size_t pos = s->nlongest;
		while (pos > 0 && cmp_longest(&i, &s->longest[pos - 1], a) < 0)
			pos--;
		if (pos >= cap)
			continue;
		size_t end = s->nlongest < cap ? s->nlongest : cap - 1;
		memmove(&s->longest[pos + 1], &s->longest[pos], (end - pos) * sizeof(size_t));
		s->longest[pos] = i;
		if (s->nlongest < cap)
			s->nlongest++;
	}
}

/* ---- public ---- */

int assure_audit_run(assure_audit **out, assure_repo *repo, const assure_ruleset *rs,
                     const assure_audit_opts *opts)
{
	*out = NULL;
	assure_audit *a = assure_xcalloc(1, sizeof(*a));
	a->rs = rs;
	a->by_id = json_object();
	a->orgs = json_object();
	a->last = -1;
	collect_domains(a);
	walk_state ws = {.a = a, .repo = repo, .opts = opts};
	ah_waivers_init(&ws.wv, &opts->waivers);
	int rc = plan(&ws);
	if (rc < 0)
		goto done;
	assure_engine_new(&ws.engine, rs);
	assure_engine_set_ignore(ws.engine, opts->ignore, opts->nignore);
	if (ws.linear) {
		ws.by_fp = assure_strmap_new();
		ws.by_domain = assure_xcalloc(a->ndomains + 1, sizeof(size_t));
	}
	for (size_t r = 0; r < a->ncommits; r++) {
		assure_engine_stats before, after;
		assure_engine_get_stats(ws.engine, &before);
		if ((rc = ws.linear ? check_linear(&ws, r) : check_record(&ws, r)) < 0)
			goto done;
		assure_engine_get_stats(ws.engine, &after);
		if (after.partitions_evaluated - before.partitions_evaluated > a->stats.partitions_max)
			a->stats.partitions_max = after.partitions_evaluated - before.partitions_evaluated;
		if (opts->progress)
			opts->progress(r + 1, a->ncommits, opts->payload);
	}
	ah_intervals_finish(a);
	summarise(a);
	a->stats.commits = a->ncommits;
	assure_repo_get_stats(repo, &a->stats.repo);
	assure_engine_get_stats(ws.engine, &a->stats.engine);
	rc = 0;
done:
	for (size_t r = 0; ws.steps && r < a->ncommits; r++)
		free(ws.steps[r].merged);
	free(ws.steps);
	for (size_t r = 0; ws.lives && r < a->ncommits; r++)
		live_free(ws.lives[r]);
	free(ws.lives);
	assure_snapshot_free(ws.prev);
	assure_strmap_free(ws.by_fp);
	free(ws.opens);
	free(ws.touched);
	free(ws.by_domain);
	ah_waivers_clear(&ws.wv);
	assure_engine_free(ws.engine);
	if (rc < 0) {
		assure_audit_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void assure_audit_free(assure_audit *a)
{
	if (!a)
		return;
	for (size_t r = 0; r < a->ncommits; r++) {
		assure_audit_commit *c = &a->commits[r];
		assure_commit_info_clear(&c->info);
		assure_changes_free(c->changes, c->nchanges);
		assure_findings_free(c->opened);
		assure_findings_free(c->resolved);
		free(c->opened_interval);
		free(c->resolved_interval);
		free(c->by_domain);
		for (size_t i = 0; i < c->nfigures; i++) {
			const assure_chart *ch = assure_ruleset_chart(a->rs, c->figures[i].chart);
			free(c->figures[i].key);
			for (size_t v = 0; ch && v < ch->nseries; v++)
				free(c->figures[i].values[v]);
			free(c->figures[i].values);
		}
		free(c->figures);
	}
	free(a->commits);
	ah_waivers_free_spans(a);
	ah_intervals_free(a);
	free(a->open_at_end);
	for (size_t i = 0; i < a->ndomains; i++)
		free(a->domains[i]);
	free(a->domains);
	free(a->summary.by_rule);
	free(a->summary.by_domain);
	free(a->summary.by_org);
	json_decref(a->by_id);
	json_decref(a->orgs);
	free(a);
}

size_t assure_audit_commit_count(const assure_audit *a)
{
	return a->ncommits;
}

const assure_audit_commit *assure_audit_commit_at(const assure_audit *a, size_t i)
{
	return i < a->ncommits ? &a->commits[i] : NULL;
}

long assure_audit_find_commit(const assure_audit *a, const char *id)
{
	json_t *i = json_object_get(a->by_id, id);
	return i ? (long)json_integer_value(i) : -1;
}

long assure_audit_last(const assure_audit *a)
{
	return a->last;
}

size_t assure_audit_interval_count(const assure_audit *a)
{
	return a->nintervals;
}

const assure_audit_interval *assure_audit_interval_at(const assure_audit *a, size_t i)
{
	return i < a->nintervals ? &a->intervals[i] : NULL;
}

size_t assure_audit_domain_count(const assure_audit *a)
{
	return a->ndomains;
}

const char *assure_audit_domain(const assure_audit *a, size_t i)
{
	return i < a->ndomains ? a->domains[i] : NULL;
}

const assure_audit_summary *assure_audit_get_summary(const assure_audit *a)
{
	return &a->summary;
}

void assure_audit_get_stats(const assure_audit *a, assure_audit_stats *out)
{
	*out = a->stats;
}
