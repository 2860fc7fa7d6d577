/* engine.c: evaluate a rule set over a snapshot of returns (see engine.h). */
#include "assure/engine.h"
#include "assure/utf8.h"

#include "assure/buf.h"
#include "assure/date.h"
#include "assure/doc.h"
#include "assure/error.h"
#include "assure/hash.h"
#include "assure/strmap.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One parsed (or unparsable) blob, keyed by its id. */
typedef struct parsed {
	char oid[41];    /* the blob, so that assure_engine_retain can tell what is still in use */
	assure_doc *doc; /* NULL when the blob is not valid JSON */
	char *error;     /* parse error message, when doc is NULL */
	int line;        /* position of the parse error */
	int column;
	json_t *salvage; /* when doc is NULL: the top-level members still readable (doc.h) */
	json_t *canon;   /* top-level member name -> its canonical text (canon_member), made on use */
	bool too_large;  /* not read: larger than max_file_size (error says how large) */
	/*
	 * Let go: doc was freed once the file's own rules had run, as nothing else reads its kind
	 * (let_go); get_parsed parses it again if it is wanted after all. tops is kept meanwhile.
	 */
	bool let_go;
	json_t *tops; /* while let go: its top-level members that are not objects or arrays (kind, org) */
} parsed;

/*
 * Findings kept for reuse while what they were computed from is the same: besides the
 * key they are filed under, the days of as_of on which their rules would have gone the
 * same way if one of them reads it, and every file their rules read with file_doc() or a
 * lookup (recorded as it is read).
 */
typedef struct cached {
	assure_findings *findings; /* NULL until first computed (owned) */
	json_t *deps;           /* files read with file_doc(): path -> blob id, "" when absent; NULL: none */
	int32_t as_of;          /* the as_of they were computed with (their messages say it) */
	assure_day_range valid; /* where reads_as_of: the as_of days on which they are the same */
	bool reads_as_of;       /* whether one of their rules reads as_of */
	unsigned long used;     /* the engine's check in which they were last used or computed */
	bool active;            /* they are among the findings of the engine's last check */
	uint64_t dep_kinds;     /* the kinds their lookups read (kind_bit), to tell what can change them */
	bool dep_paths;         /* they read files by path (file_doc) */
	size_t *dep_at;         /* the lookups they read: indices into the snapshot index's results (owned) */
	json_t **dep_rec;       /* each one's [kind, filter, digest] as it was read (references; owned) */
	size_t ndep_at, capdep_at;
	unsigned long dep_life;   /* the life of the index dep_at indexes, 0 when they are not all in one */
	struct node_track *track; /* what each node read, for reusing nodes (GROUP_OTHERS), or NULL (owned) */
} cached;

/*
 * What one evaluation of a file's lookup-reading rules read, node by node, so that the next one
 * evaluates again only the nodes whose inputs changed: an organisation-month of a control totals
 * return asks for its own finance return, and a new finance return must not make the 960 others
 * of the year be asked again. A node's inputs are its own lookups and the remembered values it
 * read (node-independent sub-expressions, assure_eval_ctx.memo); a remembered value that reads a
 * changed lookup is worked out again and, when it comes out the same (the first month submitted,
 * not the list of months), its readers keep their findings.
 */
typedef struct memo_rec {
	const void *expr; /* the expression and slot that name it */
	int slot;
	bool stable;     /* its value is digested (a scalar or a list of scalars), else never "the same" */
	char digest[41]; /* of its value or failure */
	size_t dep_from, dep_to; /* the lookups it read (also through other remembered values): in deps */
	unsigned long epoch;     /* the evaluation it was worked out in; 0: carried from the one before */
} memo_rec;

typedef struct node_rec {
	size_t rule, node;   /* the rule's index, the node's place in its for_each */
	size_t f_from, f_to; /* its findings, in the cached findings */
	size_t d_from, d_to; /* its own lookups: in deps */
	size_t m_from, m_to; /* the remembered values it read: in reads (indices into memos) */
} node_rec;

typedef struct node_track {
	bool valid; /* false when something read outside the nodes and their values (then none is reused) */
	node_rec *nodes;
	size_t nnodes, capnodes;
	memo_rec *memos;
	size_t nmemos, capmemos;
	size_t *deps; /* lookup results (indices into the snapshot index's results) */
	size_t ndeps, capdeps;
	size_t *reads;
	size_t nreads, capreads;
} node_track;

static void track_free(node_track *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->memos);
	free(t->deps);
	free(t->reads);
	free(t);
}

static void push_size(size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = assure_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

/*
 * What a return-scope rule's findings depend on beyond the file's path and content sorts
 * it into a group, each cached apart, so that a new day (an audit's next commit) does not
 * throw away what only a changed file_doc() input would.
 */
enum { GROUP_BLOB, GROUP_AS_OF, GROUP_OTHERS, GROUP_COUNT };

/* The return-scope findings of one file (path and blob), by group. */
typedef struct reusable {
	char *key;                 /* "path\noid", its key in by_key (owned) */
	cached file;               /* what is said of the file itself: ASSURE-PARSE, ASSURE-LIMIT */
	cached group[GROUP_COUNT]; /* one per GROUP_* */
	bool known;                /* file and the counts below are worked out */
	bool checked;              /* some rule applies to it (assure_check_result.files_checked) */
	bool parse_failure;        /* it could not be read or parsed */
	bool read_failure;         /* its content could not be read */
	size_t dyn_at;             /* 1 + its place in its dyn bucket, 0 when in none */
	size_t dyn_bucket;         /* where dyn_at is not 0: the bucket's place in the engine's dyn */
} reusable;

/*
 * What can make a dynamic file's groups stale, folded into one record: the kinds and flags are
 * the union over the active groups, and the day range the intersection of those that read
 * as_of. One group is stale when it is (see stale) iff the record says so.
 */
struct dyn_sum {
	uint64_t kinds;       /* the kinds the groups' lookups read */
	assure_day_range day; /* the days on which every group that reads as_of holds */
	bool as_of, paths;    /* a group reads as_of; a group reads files by path */
};

/*
 * The dynamic files whose records are alike but for the day range, in a bucket of their own:
 * an update asks a bucket once whether its kinds or paths are touched, and then takes all of
 * its files or, in a bucket of files that read as_of, asks each about the day. The 9,000 and
 * more finance returns of ten years, which read only control totals, cost nothing on a finance
 * return's commit; asking each of them, one record after another, was a pass over every dynamic
 * file a commit.
 */
typedef struct dyn_bucket {
	uint64_t kinds;
	bool as_of, paths;
	reusable **items;
	assure_day_range *days; /* per item: its record's day range */
	size_t n, cap;
} dyn_bucket;

/* The last result of one snapshot-scope rule, reused while its inputs are the same. */
typedef struct snap_cached {
	assure_buf key; /* the selected files' paths and ids */
	cached c;       /* its findings */
} snap_cached;

/* Which group a return falls in, as computed from its blob (and path and as_of where read). */
typedef struct membership {
	unsigned long check; /* the check it was worked out in, for one that reads other files */
	int state;           /* MEMBER_* */
	char *key;           /* MEMBER_IN: the key's canonical text (owned) */
	json_t *value;       /* MEMBER_IN: the key as an object, name -> value (owned) */
	char *field;         /* MEMBER_FAILED: the field that failed (owned) */
	char *why;           /* MEMBER_FAILED: why (owned) */
	size_t group;        /* MEMBER_IN: 1 + its group's place in the state's cache, 0 until known */
} membership;

enum { MEMBER_OUT, MEMBER_IN, MEMBER_FAILED, MEMBER_UNKNOWN };

/* One group's last result, reused while its members and what it read are the same. */
typedef struct group_cached {
	assure_buf members; /* the members' paths and ids */
	cached c;           /* its findings */
	bool seen;          /* it had members in the last check */
	bool current;       /* members is what the collect before the last one said */
	char **values;      /* of a chart's group: its series' values (exact text or NULL, owned) */
	size_t nvalues;     /* entries of values */
} group_cached;

/* A member of a group rule's groups in one snapshot, as collect_members keeps it. */
typedef struct member_at {
	size_t blob;  /* its membership: index into the group state's blobs */
	size_t file;  /* its index in the snapshot */
	size_t kind;  /* which of the rule's group kinds it is */
	size_t group; /* in: its group's place in the state's cache, so a group's end is found by it */
} member_at;

struct group_state {
	assure_strmap *by_blob; /* "path\noid[\nas_of]" -> index into blobs */
	membership *blobs;      /* never dropped before the state, so an index into them stays good */
	size_t nblobs, capblobs;
	assure_strmap *by_key; /* group key -> index into cache */
	group_cached *cache;
	size_t ncache, capcache;
	/*
	 * The last collect_members' members, updated by the next snapshot's change instead of
	 * made again from every member, when membership depends on the blob alone.
	 */
	member_at *in; /* the members, by key then file */
	size_t nin;
	member_at *failed; /* the members whose key could not be worked out, by kind then file */
	size_t nfailed;
	unsigned long gen; /* the snapshot index's gen they are for, 0 for none */
	/* the keys of the groups whose members changed since the last collect_members (owned) */
	assure_strmap *touched;
};

static void cached_clear(cached *c)
{
	assure_findings_free(c->findings);
	json_decref(c->deps);
	for (size_t k = 0; k < c->ndep_at; k++)
		json_decref(c->dep_rec[k]);
	free(c->dep_at);
	free(c->dep_rec);
	track_free(c->track);
	memset(c, 0, sizeof(*c));
}

struct assure_engine {
	const assure_ruleset *rs; /* borrowed */
	char **ignore;            /* globs of paths no rule reads (assure_engine_set_ignore), owned */
	size_t nignore;           /* entries of ignore */
	uint64_t max_file_size;   /* of the check under way (assure_check_opts) */
	size_t *by_oid;           /* parsed by blob id: open addressing, 1 + index into parsed, 0 free */
	size_t capoid;            /* slots of by_oid, a power of two, at least twice nparsed */
	parsed **parsed; /* owned; each entry stays where it is, so a parsed * outlives later parses */
	size_t nparsed, capparsed;
	assure_strmap *by_key; /* "path\noid" -> index into reuse (any bytes: a path need not be UTF-8) */
	reusable **reuse;      /* owned; each entry stays where it is (the dyn list points at them) */
	size_t nreuse, capreuse;
	/*
	 * What assure_engine_update needs of the last check: the files whose findings can change
	 * without the file changing (they read as_of or other files), the totals, the findings
	 * group rules give outside their groups, and the kinds, numbered for kind_bit.
	 */
	struct dyn_bucket *dyn; /* the dynamic files, by what can make them stale (dyn_add) */
	size_t ndyn, capdyn;    /* buckets */
	reusable **stale;       /* an update's scratch: the dynamic files it checks again */
	size_t capstale;
	assure_check_result state;   /* the last check's result */
	assure_findings **direct;    /* per group rule: its findings outside any group (owned) */
	const assure_snapshot *last; /* the snapshot of the last check (its address only) */
	int32_t last_as_of;          /* its as_of */
	assure_strmap *kind_ids;     /* kind -> its number */
	size_t nstate;               /* findings in the state */
	struct snap_index *index;    /* the last check's snapshot by kind, kept for the next (owned) */
	unsigned long index_check;   /* the check it describes the snapshot of (0: none) */
	/* each chart's points in the check chart_check (0: none), kept for the next (owned) */
	assure_chart_point **chart_points;
	size_t *chart_npoints;
	unsigned long *chart_check;
	/* what the update that made check change_check changed (change_set) */
	unsigned long change_check;
	uint64_t change_kinds;
	bool change_unreadable, change_new_day;
	assure_engine_stats stats;
	bool any_kind_rule;               /* some rule selects files by kind alone */
	unsigned long checks;             /* checks run, numbering them for cached.used */
	snap_cached *snap_cache;          /* one per rule, used by the snapshot-scope ones (owned) */
	struct group_state *groups;       /* one per rule, used by the group rules (owned) */
	struct group_state *chart_groups; /* one per declared chart (owned) */
	/*
	 * The kinds another file's rules have read, as kind_bit bits: their returns stay parsed.
	 * The rest are let go once their own rules have run, unless keep_parsed (a snapshot rule, a
	 * group or chart of any kind, or file_doc(), any of which may read any file).
	 */
	uint64_t read_kinds;
	bool keep_parsed;
};

static void group_state_free(struct group_state *g);
struct snap_index;
static void index_free(struct snap_index *x);

static void reusable_free(reusable *r)
{
	free(r->key);
	cached_clear(&r->file);
	for (int g = 0; g < GROUP_COUNT; g++)
		cached_clear(&r->group[g]);
	free(r);
}

/*
 * A kind's bit in a mask of kinds (cached.dep_kinds): the first 63 kinds a run meets have
 * their own, the others share the last, which can only make a result be looked at again.
 */
static uint64_t kind_bit(assure_engine *e, const char *kind)
{
	bool added = false;
	size_t *slot = assure_strmap_slot(e->kind_ids, kind, strlen(kind), &added);
	if (added)
		*slot = assure_strmap_count(e->kind_ids) - 1;
	return (uint64_t)1 << (*slot < 63 ? *slot : 63);
}

/*
 * A growable list of file indices into a snapshot. A list of one keeps it in place: most of a
 * view's lists have one file (an organisation's return for a month), and an update passes over
 * every list, which must not mean a visit to the heap for each.
 */
typedef struct idx_list {
	size_t *heap; /* the entries, once there have been two (cap of them) */
	size_t count, cap;
	size_t one; /* the entry, while cap is 0 */
} idx_list;

static size_t *idx_items(idx_list *l)
{
	return l->cap ? l->heap : &l->one;
}

static const size_t *idx_citems(const idx_list *l)
{
	return l->cap ? l->heap : &l->one;
}

static void idx_push(idx_list *l, size_t i)
{
	if (l->count && l->count >= l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		l->heap = assure_xrealloc(l->heap, cap * sizeof(size_t));
		if (!l->cap)
			l->heap[0] = l->one;
		l->cap = cap;
	}
	idx_items(l)[l->count++] = i;
}

/*
 * The snapshot by kind, built on the first lookup or group rule of a check: every file
 * whose path ends in .json is parsed (through the cache) and filed under its top-level
 * kind; the ones that cannot be read are kept apart, since they could be of any kind.
 */
typedef struct snap_index {
	bool built;
	assure_strmap *kinds; /* kind -> index into by_kind */
	idx_list *by_kind;    /* files of each kind, in path order */
	size_t nkinds;
	idx_list unreadable;  /* .json files that could not be read or parsed */
	json_t **entries;     /* per file: {"path", "doc"}, made on first use (owned) */
	assure_strmap *found; /* lookup key -> index into results */
	json_t **results;     /* per lookup: the matching entries (owned), or NULL when it failed */
	char **why;           /* per lookup that failed: the reason (owned) */
	char **digest;        /* per lookup: the matching and unreadable files' paths and ids (owned) */
	json_t **dep_rec;     /* per lookup: [kind, filter, digest] as its readers record it, or NULL */
	size_t nresults, capresults;
	/*
	 * Views for lookups: for a kind and the names a filter gives ("finance\norg\nyear"), the
	 * files by the canonical text of those members' values, built once per check, so that a
	 * lookup costs the same however many returns the snapshot has.
	 */
	assure_strmap *views;      /* "kind\nname\nname..." -> index into view_maps */
	assure_strmap **view_maps; /* values' canonical text -> index into view_lists */
	size_t nviews;
	idx_list *view_lists; /* the files of one combination of values, in path order */
	size_t nview_lists;
	char **view_keys;        /* per view: its key in views (owned), to update it by a change */
	char **result_keys;      /* per lookup: its key in found (owned), to keep it across a change */
	json_t **result_filters; /* per lookup: its filter (owned) */
	uint64_t *result_kinds;  /* per lookup: its kind's kind_bit */
	bool *result_gone;       /* per lookup: a change made it stale; made again when next asked */
	size_t *remap;           /* index_update's scratch, kept: a commit's update allocates nothing large */
	size_t remap_from;       /* files before it kept their places; remap holds only those after */
	json_t **spare;          /* the entries' other buffer, swapped with them by index_update */
	size_t capremap, capspare, capentries;
	size_t nfiles;          /* files in the snapshot it describes */
	unsigned long gen;      /* unique to the snapshot it describes (new_epoch), for what is kept by it */
	unsigned long prev_gen; /* where remapped: the gen of the snapshot it was updated from */
	bool remapped;          /* made by index_update from prev_gen's snapshot: remap says how */
	idx_list fresh;         /* where remapped: the changed files' new contents */
	/*
	 * The lookups by what a change must have to touch them, so that an update finds the ones
	 * a changed return could answer from the return, not by trying every lookup on it.
	 */
	assure_strmap *touch_lists; /* "kind\nname\n...\0values" (as for views) -> index into touch */
	idx_list *touch;            /* the lookups of one such key */
	size_t ntouch;
	assure_strmap *touch_views; /* "kind\nname\n..." of every lookup made -> index into touch_view_keys */
	char **touch_view_keys;     /* (owned) */
	size_t ntouch_views;
	unsigned long *result_touched; /* per lookup: the run whose update found a change that touches it */
	unsigned long *result_since;   /* per lookup: the run that last worked it out */
	unsigned long updated;         /* the run whose index_update made this index */
	unsigned long life;            /* unique to the index from its build to its free (new_epoch) */
} snap_index;

/* The nodes one for_each query selects in the document being checked. */
typedef struct shared_nodes {
	const char *text;      /* the query's text (borrowed from the rule) */
	assure_nodelist nodes; /* what it selects */
	bool failed;           /* evaluating it failed */
	char *error;           /* why, when it failed (owned) */
} shared_nodes;

/* What changed between the last check's snapshot and the next one, as an update needs it. */
typedef struct change_set {
	uint64_t kinds;       /* the kinds of the changed files' old and new contents (kind_bit) */
	bool unreadable;      /* an old or new content could not be read: it could be of any kind */
	bool any;             /* anything changed */
	bool new_day;         /* as_of is another day */
	int32_t as_of;        /* the new as_of */
	assure_strmap *paths; /* every changed path, old and new */
	json_t **roots;       /* the changed files' old and new contents that could be read (borrowed) */
	size_t nroots, caproots;
} change_set;

/* What one evaluation needs to reach: the snapshot for file_doc() and lookups. */
typedef struct run {
	assure_engine *e;
	const assure_snapshot *snap;
	const assure_check_opts *opts;
	assure_check_result *result;
	struct cached *deps_of; /* while set: the cached results being made, which keep what file_doc()
	                           and the lookups read */
	snap_index
	    *index; /* the snapshot by kind: the engine's (kept for the next update), or one of its own */
	unsigned long epoch;  /* of the document being evaluated (assure_eval_ctx.epoch) */
	shared_nodes *shared; /* for_each results on the file being checked, cleared per file */
	size_t nshared;
	assure_value *lets;       /* eval_node's let values, nlets of them, cleared after each node */
	unsigned char *let_state; /* their states */
	size_t nlets;
	unsigned long check;      /* unique to this check (new_epoch) */
	assure_day_range *range;  /* while set: narrowed by what reads as_of (assure_eval_ctx) */
	bool delta;               /* assure_engine_update: out takes only findings new to the state */
	assure_findings *removed; /* delta: where findings that leave the state go */
	const change_set *cs;     /* delta: what changed since the last check */
	/*
	 * While a lookup-reading group of a file is evaluated: its node track being made, the
	 * last one with its findings and dependencies (when its nodes may be reused), the node
	 * being evaluated, and the remembered values being worked out, innermost last, each with
	 * the mark in scratch from which the lookups it reads are collected.
	 */
	node_track *trk, *prev;
	assure_findings *prev_findings;
	json_t **prev_rec_of; /* by lookup result: the record prev's evaluation read of it, or NULL */
	size_t nprev_rec_of;
	size_t prev_at;                                 /* the next node of prev to match */
	long node;                                      /* index into trk->nodes, -1 outside a node */
	size_t *node_deps, nnode_deps, capnode_deps;    /* the node's own lookups so far */
	size_t *node_reads, nnode_reads, capnode_reads; /* the values it read so far (trk->memos) */
	struct mframe {
		size_t memo; /* index into trk->memos */
		size_t mark; /* where its lookups begin in scratch */
	} * frames;
	size_t nframes, capframes;
	size_t *scratch, nscratch, capscratch;
	/* the documents whose locator a finding built: forgotten once their findings are made */
	assure_doc **located;
	size_t nlocated, caplocated;
	/* the returns whose own rules ran, to let go at the run's end if no other file's rules read their
	 * kind */
	parsed **let_go;
	size_t nlet_go, caplet_go;
} run;

static bool change_touches(const change_set *cs, const char *kind, json_t *filter);
static bool matches_filter(json_t *doc, json_t *filter);
static void canon_member(assure_buf *b, json_t *v);

/*
 * Memoised sub-expressions live in the compiled rules, which every engine over the rule
 * set shares: epochs are unique in the process, so no engine can see another's.
 */
static unsigned long next_epoch;

static unsigned long new_epoch(void)
{
	return ++next_epoch;
}

/* A group rule's or chart's kinds are read by it: their returns stay parsed. */
static void read_group_kinds(assure_engine *e, const assure_rule *r)
{
	if (r->group_kind_count == 0)
		e->keep_parsed = true;
	for (size_t k = 0; k < r->group_kind_count; k++)
		e->read_kinds |= kind_bit(e, r->group_kinds[k]);
}

int assure_engine_new(assure_engine **out, const assure_ruleset *rs)
{
	assure_engine *e = assure_xcalloc(1, sizeof(*e));
	e->rs = rs;
	e->max_file_size = ASSURE_MAX_FILE_SIZE;
	e->by_key = assure_strmap_new();
	e->snap_cache = assure_xcalloc(assure_ruleset_count(rs) + 1, sizeof(*e->snap_cache));
	e->groups = assure_xcalloc(assure_ruleset_count(rs) + 1, sizeof(*e->groups));
	e->chart_groups = assure_xcalloc(assure_ruleset_chart_count(rs) + 1, sizeof(*e->chart_groups));
	e->direct = assure_xcalloc(assure_ruleset_count(rs) + 1, sizeof(*e->direct));
	size_t ncharts = assure_ruleset_chart_count(rs);
	e->chart_points = assure_xcalloc(ncharts + 1, sizeof(*e->chart_points));
	e->chart_npoints = assure_xcalloc(ncharts + 1, sizeof(size_t));
	e->chart_check = assure_xcalloc(ncharts + 1, sizeof(unsigned long));
	e->kind_ids = assure_strmap_new();
	e->index = assure_xcalloc(1, sizeof(*e->index));
	for (size_t i = 0; i < assure_ruleset_count(rs); i++) {
		const assure_rule *r = assure_ruleset_rule(rs, i);
		if (r->path_count == 0)
			e->any_kind_rule = true;
		if (r->scope == ASSURE_SCOPE_SNAPSHOT)
			e->keep_parsed = true;
		else if (r->scope == ASSURE_SCOPE_GROUP)
			read_group_kinds(e, r);
	}
	for (size_t c = 0; c < ncharts; c++)
		read_group_kinds(e, &assure_ruleset_chart(rs, c)->group);

	*out = e;
	return 0;
}

void assure_engine_set_ignore(assure_engine *e, const char *const *globs, size_t n)
{
	for (size_t i = 0; i < e->nignore; i++)
		free(e->ignore[i]);
	free(e->ignore);
	e->ignore = n ? assure_xcalloc(n, sizeof(char *)) : NULL;
	for (size_t i = 0; i < n; i++)
		e->ignore[i] = assure_xstrdup(globs[i]);
	e->nignore = n;
}

void assure_engine_free(assure_engine *e)
{
	if (!e)
		return;
	assure_engine_set_ignore(e, NULL, 0);
	for (size_t i = 0; i < e->nparsed; i++) {
		assure_doc_free(e->parsed[i]->doc);
		free(e->parsed[i]->error);
		json_decref(e->parsed[i]->salvage);
		json_decref(e->parsed[i]->canon);
		json_decref(e->parsed[i]->tops);
		free(e->parsed[i]);
	}
	free(e->parsed);
	for (size_t i = 0; i < e->nreuse; i++)
		reusable_free(e->reuse[i]);
	free(e->reuse);
	for (size_t i = 0; i < e->ndyn; i++) {
		free(e->dyn[i].items);
		free(e->dyn[i].days);
	}
	free(e->dyn);
	free(e->stale);
	for (size_t i = 0; i < assure_ruleset_count(e->rs); i++)
		assure_findings_free(e->direct[i]);
	free(e->direct);
	assure_strmap_free(e->kind_ids);
	index_free(e->index);
	free(e->index);
	for (size_t i = 0; i < assure_ruleset_count(e->rs); i++) {
		cached_clear(&e->snap_cache[i].c);
		assure_buf_free(&e->snap_cache[i].key);
	}
	free(e->snap_cache);
	for (size_t i = 0; i < assure_ruleset_count(e->rs); i++)
		group_state_free(&e->groups[i]);
	free(e->groups);
	for (size_t i = 0; i < assure_ruleset_chart_count(e->rs); i++) {
		group_state_free(&e->chart_groups[i]);
		assure_chart_points_free(e->chart_points[i], e->chart_npoints[i],
		                         assure_ruleset_chart(e->rs, i)->nseries);
	}
	free(e->chart_points);
	free(e->chart_npoints);
	free(e->chart_check);
	free(e->chart_groups);
	free(e->by_oid);
	assure_strmap_free(e->by_key);
	free(e);
}

void assure_engine_get_stats(const assure_engine *e, assure_engine_stats *out)
{
	*out = e->stats;
}

static bool ends_with_json(const char *path)
{
	size_t n = strlen(path);
	return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

/* Whether the repository's configuration leaves the path out of every check. */
static bool ignored(const assure_engine *e, const char *path)
{
	for (size_t i = 0; i < e->nignore; i++)
		if (assure_glob_match(e->ignore[i], path))
			return true;
	return false;
}

static bool path_selected(const assure_engine *e, const assure_rule *r, const char *path)
{
	if (ignored(e, path))
		return false;
	if (r->path_count == 0)
		return ends_with_json(path);
	for (size_t i = 0; i < r->path_count; i++)
		if (assure_glob_match(r->paths[i], path))
			return true;
	return false;
}

static bool kind_selected(const assure_rule *r, json_t *root)
{
	if (!r->kind)
		return true;
	json_t *k = json_is_object(root) ? json_object_get(root, "kind") : NULL;
	return json_is_string(k) && strcmp(json_string_value(k), r->kind) == 0;
}

static const char *kind_of(json_t *root)
{
	json_t *k = json_is_object(root) ? json_object_get(root, "kind") : NULL;
	return json_is_string(k) ? json_string_value(k) : NULL;
}

/*
 * Where a blob id's parse is sought in by_oid: a hash of its first 16 hex digits, which a hash
 * function makes as good as random. A blob's parse is sought on every read of a return (a group
 * of a thousand is a thousand reads), so this must cost a probe, not a list walk.
 */
static size_t oid_slot(const assure_engine *e, const char *oid)
{
	uint64_t h = 14695981039346656037ull;
	for (int i = 0; i < 16 && oid[i]; i++)
		h = (h ^ (unsigned char)oid[i]) * 1099511628211ull;
	return (size_t)((h ^ (h >> 29)) & (e->capoid - 1));
}

static void oid_add(assure_engine *e, size_t idx)
{
	size_t at = oid_slot(e, e->parsed[idx]->oid);
	while (e->by_oid[at])
		at = (at + 1) & (e->capoid - 1);
	e->by_oid[at] = idx + 1;
}

/* by_oid made again for the parses there are, with room for one more. */
static void oid_rebuild(assure_engine *e)
{
	size_t cap = 64;
	while (cap < 2 * (e->nparsed + 1))
		cap *= 2;
	free(e->by_oid);
	e->by_oid = assure_xcalloc(cap, sizeof(size_t));
	e->capoid = cap;
	for (size_t i = 0; i < e->nparsed; i++)
		oid_add(e, i);
}

/* The parse of f's blob if it has been made (and perhaps let go), without making it. */
static parsed *known_parse(const assure_engine *e, const assure_file *f)
{
	if (!e->capoid)
		return NULL;
	for (size_t at = oid_slot(e, f->oid); e->by_oid[at]; at = (at + 1) & (e->capoid - 1)) {
		parsed *p = e->parsed[e->by_oid[at] - 1];
		if (strcmp(p->oid, f->oid) == 0)
			return p;
	}
	return NULL;
}

/* The top-level members of p's blob, or what was kept of them when it was let go. */
static json_t *tops_of(const parsed *p)
{
	return p->doc ? assure_doc_root(p->doc) : p->tops;
}

/* Whether another file's rules may read p's returns: then they stay parsed. */
static bool kind_read(assure_engine *e, parsed *p)
{
	const char *kind = kind_of(tops_of(p));
	return e->keep_parsed || (kind && (e->read_kinds & kind_bit(e, kind)));
}

/* A return let go and wanted after all: read and parsed again, as it was the first time. */
static parsed *parse_again(assure_engine *e, const assure_snapshot *snap, size_t i, parsed *p)
{
	char *data;
	size_t len;
	if (assure_snapshot_read(snap, i, &data, &len) < 0)
		return NULL;
	e->stats.blobs_read++;
	e->stats.blobs_parsed++;
	int line, column;
	int rc = assure_doc_parse(&p->doc, data, len, &line, &column);
	free(data);
	if (rc < 0) /* it parsed before: the object store has changed under us */
		return NULL;
	p->let_go = false;
	json_decref(p->tops);
	p->tops = NULL;
	return p;
}

/* Parse a file once per run, however many rules and commits read it. */
static parsed *get_parsed(assure_engine *e, const assure_snapshot *snap, size_t i)
{
	const assure_file *f = assure_snapshot_file(snap, i);
	parsed *known = known_parse(e, f);
	if (known)
		return known->let_go ? parse_again(e, snap, i, known) : known;
	char *data;
	size_t len;
	uint64_t size;
	if (assure_snapshot_size(snap, i, &size) < 0)
		return NULL;
	/* the size is known before anything is read: a file too large costs nothing */
	bool too_large = size > e->max_file_size;
	if (!too_large && assure_snapshot_read(snap, i, &data, &len) < 0)
		return NULL;
	if (e->nparsed == e->capparsed) {
		e->capparsed = e->capparsed ? e->capparsed * 2 : 64;
		e->parsed = assure_xrealloc(e->parsed, e->capparsed * sizeof(*e->parsed));
	}
	parsed *p = e->parsed[e->nparsed] = assure_xcalloc(1, sizeof(parsed));
	memcpy(p->oid, f->oid, sizeof(p->oid));
	e->nparsed++;
	if (2 * e->nparsed > e->capoid)
		oid_rebuild(e);
	else
		oid_add(e, e->nparsed - 1);
	if (too_large) {
		assure_buf why = ASSURE_BUF_INIT;
		assure_buf_printf(&why,
		                  "the file is %llu bytes, more than the limit of %llu (--max-file-size): "
		                  "it was not read",
		                  (unsigned long long)size, (unsigned long long)e->max_file_size);
		p->error = assure_buf_detach(&why);
		p->too_large = true;
		return p;
	}
	e->stats.blobs_read++;
	e->stats.blobs_parsed++;
	if (assure_doc_parse(&p->doc, data, len, &p->line, &p->column) < 0) {
		p->doc = NULL;
		p->error = assure_xstrdup(assure_error_last());
	}
	if (!p->doc)
		p->salvage = assure_doc_salvage(data, len);
	free(data);
	return p;
}

/* File i's parse, or what was kept of it when it was let go: parsed again only if never parsed. */
static parsed *parse_or_kept(assure_engine *e, const assure_snapshot *snap, size_t i)
{
	parsed *p = known_parse(e, assure_snapshot_file(snap, i));
	return p && p->let_go ? p : get_parsed(e, snap, i);
}

/* ---- what an unreadable file is, in words ---- */

/* "returns/x.json could not be read: <why> (line 3, column 7)". Caller frees. */
static char *unreadable_reason(run *rn, size_t i)
{
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	parsed *p = get_parsed(rn->e, rn->snap, i);
	assure_buf b = ASSURE_BUF_INIT;
	if (!p)
		assure_buf_printf(&b, "%s could not be read: %s", f->path, assure_error_last());
	else if (p->line > 0)
		assure_buf_printf(&b, "%s could not be read: %s (line %d, column %d)", f->path, p->error,
		                  p->line, p->column);
	else
		assure_buf_printf(&b, "%s could not be read: %s", f->path, p->error);
	return assure_buf_detach(&b);
}

static int file_doc_cb(json_t **doc, const char *path, void *payload, char **why)
{
	run *r = payload;
	r->e->keep_parsed = true; /* a path can name a file of any kind */
	long i = assure_snapshot_find(r->snap, path);
	if (r->deps_of) {
		/* made on the first file read: most results read none, and an empty object is 200 bytes */
		if (!r->deps_of->deps)
			r->deps_of->deps = json_object();
		json_object_set_new(r->deps_of->deps, path,
		                    json_string(i < 0 ? "" : assure_snapshot_file(r->snap, (size_t)i)->oid));
	}
	*doc = NULL;
	if (i < 0)
		return 0;
	parsed *p = get_parsed(r->e, r->snap, (size_t)i);
	if (!p || !p->doc) {
		*why = unreadable_reason(r, (size_t)i);
		return ASSURE_EXPR_FAIL;
	}
	*doc = assure_doc_root(p->doc);
	return 0;
}

/* ---- the snapshot by kind ---- */

/* Put i in l, which is in snapshot order, where it belongs. */
static void idx_insert(idx_list *l, size_t i)
{
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): l is a row of by_kind, made with its kind */
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (idx_citems(l)[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	idx_push(l, i);
	size_t *at = idx_items(l);
	memmove(&at[lo + 1], &at[lo], (l->count - 1 - lo) * sizeof(size_t));
	at[lo] = i;
}

static void canon_of(assure_buf *b, parsed *p, const char *name);

/* Where a view's values of file i's members are filed: that list, made on first use. */
static idx_list *view_list_of(snap_index *x, size_t v, const char *values, size_t len)
{
	bool fresh = false;
	size_t *list = assure_strmap_slot(x->view_maps[v], values ? values : "", len, &fresh);
	if (fresh) {
		*list = x->nview_lists++;
		x->view_lists = assure_xrealloc(x->view_lists, x->nview_lists * sizeof(idx_list));
		memset(&x->view_lists[*list], 0, sizeof(idx_list));
	}
	return &x->view_lists[*list];
}

/* A view's values of the members of p, as its key names them (one per line). */
static void view_values(assure_buf *out, const char *key, parsed *p)
{
	const char *nl = strchr(key, '\n');
	assure_buf name = ASSURE_BUF_INIT;
	for (const char *at = nl + 1; *at;) {
		const char *end = strchr(at, '\n');
		assure_buf_clear(&name);
		assure_buf_put(&name, at, (size_t)(end - at));
		canon_of(out, p, name.ptr);
		at = end + 1;
	}
	assure_buf_free(&name);
}

/*
 * File its under its kind (or among the unreadable), and, when the index is being updated
 * (views), in every view of its kind; i is its place in the snapshot.
 */
static void index_add(run *rn, size_t i, bool views)
{
	snap_index *x = rn->index;
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	if (!ends_with_json(f->path) || ignored(rn->e, f->path))
		return;
	parsed *p = parse_or_kept(rn->e, rn->snap, i);
	/* a return let go is filed by the kind it kept, unless a lookup of that kind is filed by values */
	if (p && p->let_go && kind_read(rn->e, p))
		p = get_parsed(rn->e, rn->snap, i);
	if (!p || (!p->doc && !p->let_go)) {
		idx_insert(&x->unreadable, i);
		return;
	}
	json_t *root = tops_of(p);
	json_t *k = json_is_object(root) ? json_object_get(root, "kind") : NULL;
	if (!json_is_string(k))
		return;
	const char *kind = json_string_value(k);
	size_t klen = json_string_length(k);
	bool added = false;
	size_t *slot = assure_strmap_slot(x->kinds, kind, klen, &added);
	if (added) {
		*slot = x->nkinds++;
		x->by_kind = assure_xrealloc(x->by_kind, x->nkinds * sizeof(idx_list));
		memset(&x->by_kind[*slot], 0, sizeof(idx_list));
	}
	idx_insert(&x->by_kind[*slot], i);
	assure_buf values = ASSURE_BUF_INIT;
	for (size_t v = 0; views && p->doc && v < x->nviews; v++) {
		const char *key = x->view_keys[v];
		if (strncmp(key, kind, klen) != 0 || key[klen] != '\n')
			continue;
		assure_buf_clear(&values);
		view_values(&values, key, p);
		idx_insert(view_list_of(x, v, values.ptr, values.len), i);
	}
	assure_buf_free(&values);
}

static void index_build(run *rn)
{
	snap_index *x = rn->index;
	if (x->built)
		return;
	x->built = true;
	x->life = new_epoch();
	x->gen = new_epoch();
	x->remapped = false;
	x->kinds = assure_strmap_new();
	x->found = assure_strmap_new();
	size_t n = assure_snapshot_count(rn->snap);
	x->nfiles = n;
	x->entries = assure_xcalloc(n + 1, sizeof(json_t *));
	x->capentries = n + 1;
	for (size_t i = 0; i < n; i++)
		index_add(rn, i, false);
}

static void index_free(snap_index *x)
{
	if (!x->built)
		return;
	size_t nfiles = x->nfiles;
	for (size_t i = 0; i < x->nviews; i++)
		free(x->view_keys[i]);
	free(x->view_keys);
	for (size_t i = 0; i < x->nresults; i++) {
		free(x->result_keys[i]);
		json_decref(x->result_filters[i]);
	}
	free(x->result_keys);
	free(x->result_filters);
	free(x->result_kinds);
	free(x->result_gone);
	free(x->remap);
	free(x->spare);
	for (size_t i = 0; i < x->nkinds; i++)
		free(x->by_kind[i].heap);
	free(x->by_kind);
	free(x->unreadable.heap);
	free(x->fresh.heap);
	for (size_t i = 0; i < x->ntouch; i++)
		free(x->touch[i].heap);
	free(x->touch);
	for (size_t i = 0; i < x->ntouch_views; i++)
		free(x->touch_view_keys[i]);
	free(x->touch_view_keys);
	assure_strmap_free(x->touch_lists);
	assure_strmap_free(x->touch_views);
	free(x->result_touched);
	free(x->result_since);
	for (size_t i = 0; i < nfiles; i++)
		json_decref(x->entries[i]);
	free(x->entries);
	for (size_t i = 0; i < x->nresults; i++) {
		json_decref(x->results[i]);
		free(x->why[i]);
		free(x->digest[i]);
		json_decref(x->dep_rec[i]);
	}
	free(x->results);
	free(x->why);
	free(x->digest);
	free(x->dep_rec);
	for (size_t i = 0; i < x->nviews; i++)
		assure_strmap_free(x->view_maps[i]);
	free(x->view_maps);
	assure_strmap_free(x->views);
	for (size_t i = 0; i < x->nview_lists; i++)
		free(x->view_lists[i].heap);
	free(x->view_lists);
	assure_strmap_free(x->kinds);
	assure_strmap_free(x->found);
	memset(x, 0, sizeof(*x));
}

static const idx_list *index_kind(run *rn, const char *kind)
{
	size_t k;
	index_build(rn);
	if (!assure_strmap_get(rn->index->kinds, kind, strlen(kind), &k))
		return NULL;
	return &rn->index->by_kind[k];
}

/* Where file o of the snapshot the index was updated from is now (SIZE_MAX: its content went). */
static size_t remapped(const snap_index *x, size_t o)
{
	return o < x->remap_from ? o : x->remap[o];
}

/*
 * Its place in the new snapshot of each entry of l, dropping those that changed or went. l is
 * in file order, so only its entries from remap_from on are visited: a commit's change is in
 * the latest year, the last folder of a repository in path order.
 */
static void idx_remap(idx_list *l, const snap_index *x)
{
	size_t *at = idx_items(l), lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (at[mid] < x->remap_from)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t kept = lo;
	for (size_t k = lo; k < l->count; k++)
		if (x->remap[at[k]] != SIZE_MAX)
			at[kept++] = x->remap[at[k]];
	l->count = kept;
}

/*
 * The index of prev made the index of rn->snap: prev's files that are the same (path and
 * blob) move to their places in the new snapshot, the changed files' old contents leave, the
 * new ones are filed, and lookups of a kind that changed are forgotten. The cost is the
 * number of files (a few integers each) and the change, not a parse of every file.
 */
/* A change touches lookup r in run `check`: its result is made again when next asked. */
static void result_touched(snap_index *x, size_t r, unsigned long check)
{
	x->result_touched[r] = check;
	if (x->result_gone[r])
		return;
	json_decref(x->results[r]);
	free(x->why[r]);
	free(x->digest[r]);
	json_decref(x->dep_rec[r]);
	x->results[r] = x->dep_rec[r] = NULL;
	x->why[r] = x->digest[r] = NULL;
	x->result_gone[r] = true;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Sort and drop repeats; returns the count left. */
static size_t sort_unique(size_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_size);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/*
 * Where each file of prev is in snap (SIZE_MAX: its content is gone), from the change alone: the
 * files it did not touch keep their order, so they fill, in order, the places of snap that no
 * new content takes. The files before the first one the change touches keep their places
 * (*from): remap is filled from there on. A commit costs its changes and a pass of integers over
 * the files after them, not a comparison of every path. False, with nothing decided, when the
 * change does not account for the two snapshots (the caller then compares them path by path).
 */
static bool remap_by_changes(size_t *remap, size_t *from, const assure_snapshot *prev,
                             const assure_snapshot *snap, const assure_change *ch, size_t nch)
{
	size_t np = assure_snapshot_count(prev), nn = assure_snapshot_count(snap);
	size_t *gone = assure_xcalloc(nch + 1, sizeof(size_t)),
	       *came = assure_xcalloc(nch + 1, sizeof(size_t));
	size_t ngone = 0, ncame = 0;
	bool ok = true;
	for (size_t i = 0; i < nch && ok; i++) {
		const char *old = ch[i].kind == ASSURE_CHANGE_RENAMED ? ch[i].old_path
		                  : ch[i].kind == ASSURE_CHANGE_ADDED ? NULL
		                                                      : ch[i].path;
		long at;
		if (old && (at = assure_snapshot_find(prev, old)) >= 0)
			gone[ngone++] = (size_t)at;
		if (ch[i].kind != ASSURE_CHANGE_DELETED) {
			at = assure_snapshot_find(snap, ch[i].path);
			ok = at >= 0;
			if (ok)
				came[ncame++] = (size_t)at;
		}
	}
	ngone = sort_unique(gone, ngone);
	ncame = sort_unique(came, ncame);
	ok = ok && np - ngone == nn - ncame;
	size_t lo = np;
	if (ngone && gone[0] < lo)
		lo = gone[0];
	if (ncame && came[0] < lo)
		lo = came[0];
	*from = lo;
	/* before lo nothing went or came: file o is still file o */
	for (size_t o = lo, n = lo, g = 0, c = 0; ok && o < np; o++) {
		if (g < ngone && gone[g] == o) {
			remap[o] = SIZE_MAX;
			g++;
			continue;
		}
		while (c < ncame && came[c] == n) {
			c++;
			n++;
		}
		remap[o] = n++;
	}
	free(gone);
	free(came);
	return ok;
}

static void index_update(run *rn, const assure_snapshot *prev, const assure_change *ch, size_t nch)
{
	snap_index *x = rn->index;
	const assure_snapshot *snap = rn->snap;
	size_t np = assure_snapshot_count(prev), nn = assure_snapshot_count(snap);
	if (x->capremap < np + 1) {
		x->capremap = 2 * (np + 1);
		x->remap = assure_xrealloc(x->remap, x->capremap * sizeof(size_t));
	}
	size_t *remap = x->remap;
	if (!remap_by_changes(remap, &x->remap_from, prev, snap, ch, nch)) {
		x->remap_from = 0;
		for (size_t o = 0, n = 0; o < np; o++) {
			const assure_file *fo = assure_snapshot_file(prev, o);
			int c = 1;
			while (n < nn && (c = strcmp(assure_snapshot_file(snap, n)->path, fo->path)) < 0)
				n++;
			bool same =
			    n < nn && c == 0 && memcmp(assure_snapshot_file(snap, n)->oid, fo->oid, 40) == 0;
			remap[o] = same ? n : SIZE_MAX;
		}
	}
	idx_remap(&x->unreadable, x);
	for (size_t k = 0; k < x->nkinds; k++)
		idx_remap(&x->by_kind[k], x);
	for (size_t v = 0; v < x->nview_lists; v++)
		idx_remap(&x->view_lists[v], x);
	/* the entries from remap_from on, placed in spare and copied back; those before stay */
	size_t lo = x->remap_from;
	if (x->capspare < nn + 1) {
		x->capspare = 2 * (nn + 1);
		x->spare = assure_xrealloc(x->spare, x->capspare * sizeof(json_t *));
	}
	if (x->capentries < nn + 1) {
		x->capentries = 2 * (nn + 1);
		x->entries = assure_xrealloc(x->entries, x->capentries * sizeof(json_t *));
	}
	memset(x->spare + lo, 0, (nn + 1 - lo) * sizeof(json_t *));
	for (size_t o = lo; o < np; o++) {
		if (remap[o] != SIZE_MAX)
			x->spare[remap[o]] = x->entries[o];
		else
			json_decref(x->entries[o]);
	}
	memcpy(x->entries + lo, x->spare + lo, (nn + 1 - lo) * sizeof(json_t *));
	x->nfiles = nn;
	x->prev_gen = x->gen;
	x->gen = new_epoch();
	x->remapped = true;
	x->fresh.count = 0;
	for (size_t i = 0; i < nch; i++) {
		if (ch[i].kind == ASSURE_CHANGE_DELETED)
			continue;
		long at = assure_snapshot_find(snap, ch[i].path);
		if (at >= 0) {
			index_add(rn, (size_t)at, true);
			idx_push(&x->fresh, (size_t)at);
		}
	}
	/* lookups a changed content could answer are made again when next asked */
	x->updated = rn->check;
	if (rn->cs->unreadable) { /* it could be of any kind and have any values */
		for (size_t r = 0; r < x->nresults; r++)
			result_touched(x, r, rn->check);
		return;
	}
	assure_buf key = ASSURE_BUF_INIT;
	for (size_t i = 0; i < rn->cs->nroots; i++) {
		json_t *root = rn->cs->roots[i];
		const char *kind = kind_of(root);
		size_t kl = kind ? strlen(kind) : 0;
		for (size_t v = 0; kind && v < x->ntouch_views; v++) {
			const char *view = x->touch_view_keys[v];
			if (strncmp(view, kind, kl) != 0 || view[kl] != '\n')
				continue;
			assure_buf_clear(&key);
			assure_buf_puts(&key, view);
			assure_buf_putc(&key, '\0');
			for (const char *at = view + kl + 1; *at;) {
				const char *end = strchr(at, '\n');
				char *name = assure_xstrndup(at, (size_t)(end - at));
				canon_member(&key, json_is_object(root) ? json_object_get(root, name) : NULL);
				free(name);
				at = end + 1;
			}
			size_t list;
			if (!assure_strmap_get(x->touch_lists, key.ptr, key.len, &list))
				continue;
			for (size_t k = 0; k < x->touch[list].count; k++) {
				size_t r = idx_citems(&x->touch[list])[k];
				if (matches_filter(root, x->result_filters[r]))
					result_touched(x, r, rn->check);
			}
		}
	}
	assure_buf_free(&key);
}

/* {"path", "doc"} of file i, made once per check. Borrowed. */
static json_t *index_entry(run *rn, size_t i)
{
	snap_index *x = rn->index;
	if (!x->entries[i]) {
		parsed *p = get_parsed(rn->e, rn->snap, i);
		json_t *entry = json_object();
		json_object_set_new(entry, "path", assure_json_text(assure_snapshot_file(rn->snap, i)->path));
		json_object_set(entry, "doc", assure_doc_root(p->doc));
		x->entries[i] = entry;
	}
	return x->entries[i];
}

/* Whether doc's top-level members equal every member of filter. */
static bool matches_filter(json_t *doc, json_t *filter)
{
	const char *key;
	json_t *want;
	json_object_foreach(filter, key, want)
	{
		json_t *have = json_is_object(doc) ? json_object_get(doc, key) : NULL;
		if (!have || !assure_jsonpath_equal(have, want))
			return false;
	}
	return true;
}

/*
 * Whether a view's list for filter is exactly the files matches_filter takes. The list holds
 * the files whose named members have the filter's canonical texts; for strings, integers,
 * true, false and null equal texts are equal values, so the files need not be compared again
 * (a lookup made again after a change costs its list, not a parse and a compare of each
 * member). A real or a composite value is compared as before.
 */
static bool view_is_match(json_t *filter)
{
	const char *key;
	json_t *want;
	json_object_foreach(filter, key, want)
	{
		if (json_is_real(want) || json_is_object(want) || json_is_array(want))
			return false;
	}
	return true;
}

/*
 * Whether a file is where the rule set says returns are: selected by a rule that names
 * paths. A rule set whose rules all select by kind alone says every .json file is.
 */
static bool declared_return(const assure_engine *e, const char *path)
{
	bool any = false;
	for (size_t k = 0; k < assure_ruleset_count(e->rs); k++) {
		const assure_rule *r = assure_ruleset_rule(e->rs, k);
		if (r->path_count == 0)
			continue;
		any = true;
		if (path_selected(e, r, path))
			return true;
	}
	return !any;
}

/*
 * Whether an unreadable file could be one of `kinds` with the members of filter: what
 * can still be read of it must not say otherwise. One whose kind cannot be read could be
 * any return, if it is where returns are (a broken editor settings file is not).
 */
static bool could_be(run *rn, size_t i, const char *const *kinds, size_t nkinds, json_t *filter)
{
	parsed *p = get_parsed(rn->e, rn->snap, i);
	json_t *salvage = p ? p->salvage : NULL;
	json_t *kind = salvage ? json_object_get(salvage, "kind") : NULL;
	if (!kind && !declared_return(rn->e, assure_snapshot_file(rn->snap, i)->path))
		return false; /* no kind to read, and not where the rule set says returns are */
	if (kind) {
		bool any = false;
		for (size_t k = 0; k < nkinds && !any; k++)
			any = json_is_string(kind) && strcmp(json_string_value(kind), kinds[k]) == 0;
		if (!any)
			return false;
	}
	if (filter && salvage) {
		const char *key;
		json_t *want;
		json_object_foreach(filter, key, want)
		{
			json_t *have = json_object_get(salvage, key);
			if (have && !assure_jsonpath_equal(have, want))
				return false;
		}
	}
	return true;
}

/* The files a lookup found or could not rule out, as "path\noid\n" lines (what its result depends on). */
static void put_file_id(assure_buf *b, const assure_file *f)
{
	assure_buf_puts(b, f->path);
	assure_buf_putc(b, '\n');
	assure_buf_puts(b, f->oid);
	assure_buf_putc(b, '\n');
}

/*
 * The canonical text of a member's value, equal for values that are == (numbers by their
 * exact value: 7 and 7.0 are one), or "-" for an absent member.
 */
static void canon_member(assure_buf *b, json_t *v)
{
	if (v)
		assure_value_canon_json(b, v);
	else
		assure_buf_putc(b, '-'); /* no canonical text of a value starts so */
	assure_buf_putc(b, '\n');
}

/* canon_member of a return's top-level member, worked out once per blob. */
static void canon_of(assure_buf *b, parsed *p, const char *name)
{
	json_t *have = p->canon ? json_object_get(p->canon, name) : NULL;
	if (!have) {
		assure_buf one = ASSURE_BUF_INIT;
		canon_member(&one, json_object_get(assure_doc_root(p->doc), name));
		if (!p->canon)
			p->canon = json_object();
		json_object_set_new(p->canon, name, have = json_stringn(one.ptr, one.len));
		assure_buf_free(&one);
	}
	assure_buf_put(b, json_string_value(have), json_string_length(have));
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A view's key for a lookup, "kind\nname\nname...\n" with the filter's names in order, and the
 * canonical text of the filter's values of those names: a return the lookup finds has them.
 */
static void filter_view(assure_buf *key, assure_buf *values, const char *kind, json_t *filter)
{
	size_t n = json_object_size(filter), k = 0;
	const char **names = assure_xcalloc(n + 1, sizeof(char *));
	const char *name;
	json_t *v;
	json_object_foreach(filter, name, v) names[k++] = name;
	qsort(names, n, sizeof(char *), cmp_cstr);
	assure_buf_puts(key, kind);
	assure_buf_putc(key, '\n');
	for (k = 0; k < n; k++) {
		assure_buf_puts(key, names[k]);
		assure_buf_putc(key, '\n');
		canon_member(values, json_object_get(filter, names[k]));
	}
	free(names);
}

/* The files of `kind` whose members named in filter have the filter's values (candidates: check them). */
static const idx_list *view_files(run *rn, const char *kind, json_t *filter)
{
	snap_index *x = rn->index;
	assure_buf key = ASSURE_BUF_INIT, values = ASSURE_BUF_INIT;
	filter_view(&key, &values, kind, filter);
	if (!x->views)
		x->views = assure_strmap_new();
	bool added = false;
	size_t *slot = assure_strmap_slot(x->views, key.ptr, key.len, &added);
	if (added) {
		/* one pass over the kind's files files them all under their values of these names */
		size_t view = *slot = x->nviews++;
		x->view_maps = assure_xrealloc(x->view_maps, x->nviews * sizeof(assure_strmap *));
		x->view_keys = assure_xrealloc(x->view_keys, x->nviews * sizeof(char *));
		x->view_maps[view] = assure_strmap_new();
		x->view_keys[view] = assure_xstrdup(key.ptr);
		const idx_list *files = index_kind(rn, kind);
		assure_buf mine = ASSURE_BUF_INIT;
		for (size_t f = 0; files && f < files->count; f++) {
			parsed *p = get_parsed(rn->e, rn->snap, idx_citems(files)[f]);
			assure_buf_clear(&mine);
			view_values(&mine, key.ptr, p);
			idx_push(view_list_of(x, view, mine.ptr, mine.len), idx_citems(files)[f]);
		}
		assure_buf_free(&mine);
	}
	size_t at;
	const idx_list *found =
	    assure_strmap_get(x->view_maps[*slot], values.ptr ? values.ptr : "", values.len, &at)
	        ? &x->view_lists[at]
	        : NULL;
	assure_buf_free(&key);
	assure_buf_free(&values);
	return found;
}

/* File lookup `at` under what a change must have to touch it (snap_index.touch_lists). */
static void touch_file(snap_index *x, size_t at, const char *kind, json_t *filter)
{
	assure_buf key = ASSURE_BUF_INIT, values = ASSURE_BUF_INIT;
	filter_view(&key, &values, kind, filter);
	if (!x->touch_views) {
		x->touch_views = assure_strmap_new();
		x->touch_lists = assure_strmap_new();
	}
	bool added = false;
	size_t *slot = assure_strmap_slot(x->touch_views, key.ptr, key.len, &added);
	if (added) {
		*slot = x->ntouch_views++;
		x->touch_view_keys = assure_xrealloc(x->touch_view_keys, x->ntouch_views * sizeof(char *));
		x->touch_view_keys[*slot] = assure_xstrdup(key.ptr);
	}
	assure_buf_putc(&key, '\0');
	assure_buf_put(&key, values.ptr ? values.ptr : "", values.len);
	slot = assure_strmap_slot(x->touch_lists, key.ptr, key.len, &added);
	if (added) {
		*slot = x->ntouch++;
		x->touch = assure_xrealloc(x->touch, x->ntouch * sizeof(idx_list));
		memset(&x->touch[*slot], 0, sizeof(idx_list));
	}
	idx_push(&x->touch[*slot], at);
	assure_buf_free(&key);
	assure_buf_free(&values);
}

/* A lookup's key, "kind\nfilter's canonical text": what its result is filed under. */
static void lookup_key(assure_buf *b, const char *kind, json_t *filter)
{
	assure_buf_puts(b, kind);
	assure_buf_putc(b, '\n');
	/* by value, as matches_filter compares: {month: 12} and {month: 12.0} are one lookup */
	assure_value_canon_json(b, filter);
}

/*
 * Look up once per check and (kind, filter); returns the result's index. key is
 * lookup_key(kind, filter), made by the caller once (a cached result's dependencies keep it).
 */
static size_t lookup_index(run *rn, const char *key, size_t keylen, const char *kind, json_t *filter)
{
	snap_index *x = rn->index;
	index_build(rn);
	bool added = false;
	size_t *slot = assure_strmap_slot(x->found, key, keylen, &added);
	if (!added && !x->result_gone[*slot])
		return *slot;
	size_t at;
	if (!added) { /* made stale by a change: made again in its place */
		at = *slot;
		x->result_gone[at] = false;
		json_decref(x->result_filters[at]);
		free(x->result_keys[at]);
		goto fill;
	}
	at = *slot = x->nresults++;
	if (x->nresults > x->capresults) {
		x->capresults = x->capresults ? 2 * x->capresults : 16;
		x->results = assure_xrealloc(x->results, x->capresults * sizeof(json_t *));
		x->why = assure_xrealloc(x->why, x->capresults * sizeof(char *));
		x->digest = assure_xrealloc(x->digest, x->capresults * sizeof(char *));
		x->dep_rec = assure_xrealloc(x->dep_rec, x->capresults * sizeof(json_t *));
		x->result_keys = assure_xrealloc(x->result_keys, x->capresults * sizeof(char *));
		x->result_filters = assure_xrealloc(x->result_filters, x->capresults * sizeof(json_t *));
		x->result_kinds = assure_xrealloc(x->result_kinds, x->capresults * sizeof(uint64_t));
		x->result_gone = assure_xrealloc(x->result_gone, x->capresults * sizeof(bool));
		x->result_touched = assure_xrealloc(x->result_touched, x->capresults * sizeof(unsigned long));
		x->result_since = assure_xrealloc(x->result_since, x->capresults * sizeof(unsigned long));
	}
	x->result_gone[at] = false;
	x->result_touched[at] = 0;
	x->dep_rec[at] = NULL;
	touch_file(x, at, kind, filter);
fill:
	x->result_since[at] = rn->check;
	x->result_kinds[at] = kind_bit(rn->e, kind);
	x->result_keys[at] = assure_xstrdup(key);
	x->result_filters[at] = json_deep_copy(filter);
	json_t *list = json_array();
	assure_buf digest = ASSURE_BUF_INIT, why = ASSURE_BUF_INIT;
	const idx_list *files = view_files(rn, kind, filter);
	bool exact = view_is_match(filter);
	for (size_t k = 0; files && k < files->count; k++) {
		size_t i = idx_citems(files)[k];
		if (!exact && !matches_filter(assure_doc_root(get_parsed(rn->e, rn->snap, i)->doc), filter))
			continue;
		json_array_append(list, index_entry(rn, i));
		put_file_id(&digest, assure_snapshot_file(rn->snap, i));
	}
	const char *kinds[1] = {kind};
	for (size_t k = 0; k < x->unreadable.count; k++) {
		size_t i = idx_citems(&x->unreadable)[k];
		if (!could_be(rn, i, kinds, 1, filter))
			continue;
		char *r = unreadable_reason(rn, i);
		assure_buf_printf(&why, "%s%s", why.len ? "; " : "", r);
		free(r);
		put_file_id(&digest, assure_snapshot_file(rn->snap, i));
	}
	if (why.len) {
		/* a return that cannot be read could be the one looked for: never take it as absent */
		assure_buf_printf(&why, ", so the %s returns looked for are not known", kind);
		json_decref(list);
		list = NULL;
	}
	x->results[at] = list;
	x->why[at] = why.len ? assure_buf_detach(&why) : NULL;
	x->digest[at] = digest.len ? assure_buf_detach(&digest) : assure_xstrdup("");
	assure_buf_free(&why);
	assure_buf_free(&digest);
	return at;
}

/* c read lookup result `at` of index x, as record rec ([kind, filter, digest], a new reference). */
static void note_lookup(cached *c, const snap_index *x, size_t at, json_t *rec)
{
	if (c->ndep_at == 0)
		c->dep_life = x->life;
	else if (c->dep_life != x->life)
		c->dep_life = 0;
	if (c->ndep_at == c->capdep_at) {
		c->capdep_at = c->capdep_at ? 2 * c->capdep_at : 8;
		c->dep_at = assure_xrealloc(c->dep_at, c->capdep_at * sizeof(*c->dep_at));
		c->dep_rec = assure_xrealloc(c->dep_rec, c->capdep_at * sizeof(*c->dep_rec));
	}
	c->dep_at[c->ndep_at] = at;
	c->dep_rec[c->ndep_at++] = rec;
	c->dep_kinds |= x->result_kinds[at];
}

/* ---- what each node read (node_track) ---- */

static long find_memo(const node_track *t, const void *expr, int slot)
{
	for (size_t i = 0; i < t->nmemos; i++)
		if (t->memos[i].expr == expr && t->memos[i].slot == slot)
			return (long)i;
	return -1;
}

static size_t memo_slot(node_track *t, const void *expr, int slot)
{
	long i = find_memo(t, expr, slot);
	if (i >= 0)
		return (size_t)i;
	if (t->nmemos == t->capmemos) {
		t->capmemos = t->capmemos ? 2 * t->capmemos : 8;
		t->memos = assure_xrealloc(t->memos, t->capmemos * sizeof(*t->memos));
	}
	memo_rec *m = &t->memos[t->nmemos];
	memset(m, 0, sizeof(*m));
	m->expr = expr;
	m->slot = slot;
	return t->nmemos++;
}

/* A value's text for telling whether it came out the same: scalars and lists of them only. */
static bool memo_text(assure_buf *b, const assure_value *v)
{
	char date[11];
	switch (v->kind) {
	case ASSURE_VAL_ABSENT:
		assure_buf_putc(b, 'a');
		return true;
	case ASSURE_VAL_NULL:
		assure_buf_putc(b, 'z');
		return true;
	case ASSURE_VAL_BOOL:
		assure_buf_puts(b, v->u.b ? "t" : "f");
		return true;
	case ASSURE_VAL_NUMBER:
		assure_buf_putc(b, 'n');
		assure_dec_put_key(b, &v->u.num);
		assure_buf_putc(b, ';');
		return true;
	case ASSURE_VAL_STRING: {
		size_t len = strlen(v->u.str);
		assure_buf_printf(b, "s%zu:", len);
		assure_buf_put(b, v->u.str, len);
		return true;
	}
	case ASSURE_VAL_DATE:
		assure_date_format(v->u.date, date);
		assure_buf_printf(b, "d%s", date);
		return true;
	case ASSURE_VAL_LIST:
		assure_buf_putc(b, '[');
		for (size_t i = 0; i < v->u.list->count; i++)
			if (!memo_text(b, &v->u.list->items[i]))
				return false;
		assure_buf_putc(b, ']');
		return true;
	case ASSURE_VAL_JSON: /* a document's part: not compared (cheaply), so never the same */
		return false;
	}
	return false;
}

/* Remembered value i was read: by the value being worked out (its lookups are that one's), or the node. */
static void memo_read(run *rn, size_t i)
{
	node_track *t = rn->trk;
	if (rn->nframes) {
		for (size_t d = t->memos[i].dep_from; d < t->memos[i].dep_to; d++)
			push_size(&rn->scratch, &rn->nscratch, &rn->capscratch, t->deps[d]);
	} else if (rn->node >= 0) {
		push_size(&rn->node_reads, &rn->nnode_reads, &rn->capnode_reads, i);
	}
}

static void memo_cb(void *payload, int event, const void *expr, int slot, const assure_value *val,
                    const char *why, bool kept)
{
	run *rn = payload;
	node_track *t = rn->trk;
	if (!t)
		return;
	if (event == ASSURE_MEMO_BEGIN) {
		if (rn->nframes == rn->capframes) {
			rn->capframes = rn->capframes ? 2 * rn->capframes : 8;
			rn->frames = assure_xrealloc(rn->frames, rn->capframes * sizeof(*rn->frames));
		}
		rn->frames[rn->nframes++] = (struct mframe){memo_slot(t, expr, slot), rn->nscratch};
		return;
	}
	if (event == ASSURE_MEMO_HIT) {
		long i = find_memo(t, expr, slot);
		if (i < 0) /* worked out where nothing was told: what it read is not known */
			t->valid = false;
		else
			memo_read(rn, (size_t)i);
		return;
	}
	if (!rn->nframes || t->memos[rn->frames[rn->nframes - 1].memo].expr != expr) {
		t->valid = false;
		return;
	}
	struct mframe f = rn->frames[--rn->nframes];
	memo_rec *m = &t->memos[f.memo];
	m->epoch = rn->epoch;
	m->dep_from = t->ndeps;
	for (size_t k = f.mark; k < rn->nscratch; k++)
		push_size(&t->deps, &t->ndeps, &t->capdeps, rn->scratch[k]);
	m->dep_to = t->ndeps;
	rn->nscratch = f.mark;
	assure_buf b = ASSURE_BUF_INIT;
	m->stable = kept && (val ? memo_text(&b, val) : (assure_buf_printf(&b, "x%s", why), true));
	if (m->stable)
		assure_hash_blob(m->digest, b.ptr, b.len);
	assure_buf_free(&b);
	memo_read(rn, f.memo);
}

/* A lookup read: by the value being worked out, the node, or (then nothing is reused) neither. */
static void track_lookup(run *rn, size_t at)
{
	if (rn->nframes)
		push_size(&rn->scratch, &rn->nscratch, &rn->capscratch, at);
	else if (rn->node >= 0)
		push_size(&rn->node_deps, &rn->nnode_deps, &rn->capnode_deps, at);
	else
		rn->trk->valid = false;
}

static bool result_touched_now(const run *rn, size_t at)
{
	return rn->index->result_since[at] == rn->check || rn->index->result_touched[at] == rn->check;
}

static bool deps_touched(const run *rn, const node_track *t, size_t from, size_t to)
{
	for (size_t d = from; d < to; d++)
		if (result_touched_now(rn, t->deps[d]))
			return true;
	return false;
}

/* The last evaluation's record of node (rule, node), or NULL. */
static const node_rec *prev_node(run *rn, size_t rule, size_t node)
{
	const node_track *p = rn->prev;
	while (p && rn->prev_at < p->nnodes &&
	       (p->nodes[rn->prev_at].rule < rule ||
	        (p->nodes[rn->prev_at].rule == rule && p->nodes[rn->prev_at].node < node)))
		rn->prev_at++;
	if (!p || rn->prev_at >= p->nnodes)
		return NULL;
	const node_rec *n = &p->nodes[rn->prev_at];
	return n->rule == rule && n->node == node ? n : NULL;
}

/* Whether nothing node pn read can have changed: its lookups, and each value it read the same. */
static bool node_holds(run *rn, const node_rec *pn)
{
	const node_track *p = rn->prev;
	if (deps_touched(rn, p, pn->d_from, pn->d_to))
		return false;
	for (size_t r = pn->m_from; r < pn->m_to; r++) {
		const memo_rec *pm = &p->memos[p->reads[r]];
		if (!pm->stable)
			return false;
		long i = find_memo(rn->trk, pm->expr, pm->slot);
		if (i >= 0) {
			const memo_rec *m = &rn->trk->memos[i];
			if (!m->stable || strcmp(m->digest, pm->digest) != 0)
				return false;
		} else if (deps_touched(rn, p, pm->dep_from, pm->dep_to)) {
			return false; /* not worked out again yet: the node's evaluation will */
		}
	}
	return true;
}

/* A new, zeroed node record at the end of t's. */
static node_rec *node_push(node_track *t)
{
	if (t->nnodes == t->capnodes) {
		t->capnodes = t->capnodes ? 2 * t->capnodes : 16;
		t->nodes = assure_xrealloc(t->nodes, t->capnodes * sizeof(*t->nodes));
	}
	node_rec *n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	return n;
}

/* Lookup result `at`, read by a kept node, stays among c's dependencies as the node read it. */
static void keep_dep(run *rn, cached *c, size_t at)
{
	json_t *rec = at < rn->nprev_rec_of ? rn->prev_rec_of[at] : NULL;
	if (rec)
		note_lookup(c, rn->index, at, json_incref(rec));
	else /* cannot happen: what it read was recorded; without it c could not be checked again */
		c->dep_life = 0, rn->trk->valid = false;
}

/* Node pn's findings and what it read, kept from the last evaluation into c. */
static void keep_node(run *rn, cached *c, assure_findings *out, const node_rec *pn)
{
	node_track *t = rn->trk;
	const node_track *p = rn->prev;
	node_rec *n = node_push(t);
	*n = *pn;
	n->f_from = assure_findings_count(out);
	for (size_t i = pn->f_from; i < pn->f_to; i++) {
		assure_findings_share(out, rn->prev_findings, i);
		if (strcmp(assure_findings_get(rn->prev_findings, i)->rule_id, ASSURE_RULE_EVAL) == 0)
			rn->result->eval_failures++;
	}
	n->f_to = assure_findings_count(out);
	rn->e->stats.findings_reused += n->f_to - n->f_from;
	rn->e->stats.nodes_reused++;
	n->d_from = t->ndeps;
	for (size_t d = pn->d_from; d < pn->d_to; d++) {
		push_size(&t->deps, &t->ndeps, &t->capdeps, p->deps[d]);
		keep_dep(rn, c, p->deps[d]);
	}
	n->d_to = t->ndeps;
	n->m_from = t->nreads;
	for (size_t r = pn->m_from; r < pn->m_to; r++) {
		const memo_rec *pm = &p->memos[p->reads[r]];
		long i = find_memo(t, pm->expr, pm->slot);
		if (i < 0) { /* the same value, not worked out again: carried with what it read */
			i = (long)memo_slot(t, pm->expr, pm->slot);
			memo_rec *m = &t->memos[i];
			*m = *pm;
			m->epoch = 0;
			m->dep_from = t->ndeps;
			for (size_t d = pm->dep_from; d < pm->dep_to; d++) {
				push_size(&t->deps, &t->ndeps, &t->capdeps, p->deps[d]);
				keep_dep(rn, c, p->deps[d]);
			}
			m->dep_to = t->ndeps;
		}
		push_size(&t->reads, &t->nreads, &t->capreads, (size_t)i);
	}
	n->m_to = t->nreads;
}

/*
 * Whether a track is worth keeping: when the evaluation read lookups, and at least two nodes
 * read only lookups of their own and values that can come out the same (a sum over other
 * returns' documents cannot), a change can leave one of them as it was. A node that reads no
 * lookup of its own counts: a month whose deadline is still to come reads only the first
 * month submitted, which a new return leaves the same. Then it is kept at its size.
 */
static bool track_worth(node_track *t, const cached *c)
{
	if (c->ndep_at == 0)
		return false;
	size_t keepable = 0;
	for (size_t n = 0; n < t->nnodes && keepable < 2; n++) {
		bool stable = true;
		for (size_t r = t->nodes[n].m_from; r < t->nodes[n].m_to && stable; r++)
			stable = t->memos[t->reads[r]].stable;
		keepable += stable;
	}
	if (keepable < 2)
		return false;
	t->nodes = assure_xrealloc(t->nodes, (t->capnodes = t->nnodes) * sizeof(*t->nodes));
	t->memos = assure_xrealloc(t->memos, (t->capmemos = t->nmemos + 1) * sizeof(*t->memos));
	t->deps = assure_xrealloc(t->deps, (t->capdeps = t->ndeps + 1) * sizeof(*t->deps));
	t->reads = assure_xrealloc(t->reads, (t->capreads = t->nreads + 1) * sizeof(*t->reads));
	return true;
}

static void node_begin(run *rn, size_t rule, size_t node, const assure_findings *out)
{
	node_rec *n = node_push(rn->trk);
	n->rule = rule;
	n->node = node;
	n->f_from = assure_findings_count(out);
	rn->node = (long)(rn->trk->nnodes - 1);
	rn->nnode_deps = rn->nnode_reads = 0;
}

static void node_end(run *rn, const assure_findings *out)
{
	node_track *t = rn->trk;
	node_rec *n = &t->nodes[rn->node];
	n->f_to = assure_findings_count(out);
	n->d_from = t->ndeps;
	for (size_t i = 0; i < rn->nnode_deps; i++)
		push_size(&t->deps, &t->ndeps, &t->capdeps, rn->node_deps[i]);
	n->d_to = t->ndeps;
	n->m_from = t->nreads;
	for (size_t i = 0; i < rn->nnode_reads; i++)
		push_size(&t->reads, &t->nreads, &t->capreads, rn->node_reads[i]);
	n->m_to = t->nreads;
	rn->node = -1;
	if (rn->nframes) /* a value left half worked out: what it read is not known */
		t->valid = false;
}

static int lookup_cb(json_t **out, const char *kind, json_t *filter, void *payload, char **why)
{
	run *rn = payload;
	rn->e->read_kinds |= kind_bit(rn->e, kind);
	/* the dependency's name is "\001" and the lookup's key, so that a later check can repeat it */
	assure_buf key = ASSURE_BUF_INIT;
	assure_buf_putc(&key, '\001');
	lookup_key(&key, kind, filter);
	size_t at = lookup_index(rn, key.ptr + 1, key.len - 1, kind, filter);
	snap_index *x = rn->index;
	if (rn->deps_of) {
		/* one record for every reader of this result: it names the same lookup and digest */
		if (!x->dep_rec[at])
			x->dep_rec[at] = json_pack("[s,O,s]", kind, filter, x->digest[at]);
		note_lookup(rn->deps_of, x, at, json_incref(x->dep_rec[at]));
	}
	if (rn->trk)
		track_lookup(rn, at);
	assure_buf_free(&key);
	if (!x->results[at]) {
		*why = assure_xstrdup(x->why[at]);
		return ASSURE_EXPR_FAIL;
	}
	*out = json_incref(x->results[at]);
	return 0;
}

/* ---- findings ---- */

/* Where a finding points: the file, its pointer inside that file, and the doc to locate it in. */
typedef struct place {
	const char *path;    /* file path, "" for the snapshot */
	const char *pointer; /* pointer inside that file */
	assure_doc *doc;     /* to compute line and column, or NULL */
	int line, column;    /* without a doc: the position to give, or 0 */
} place;

/*
 * A locator is as large as its document's tree and is needed only while findings are placed in
 * it: an audit keeps every return of the snapshot parsed, and kept them all, most of its memory.
 */
static void forget_locations(run *rn)
{
	for (size_t i = 0; i < rn->nlocated; i++)
		assure_doc_forget_locations(rn->located[i]);
	rn->nlocated = 0;
}

/* What a run allocated for itself, freed when it ends (its locators forgotten). */
static void let_go_later(run *rn, parsed *p)
{
	if (rn->e->keep_parsed || !p || !p->doc)
		return;
	if (rn->nlet_go == rn->caplet_go) {
		rn->caplet_go = rn->caplet_go ? 2 * rn->caplet_go : 16;
		rn->let_go = assure_xrealloc(rn->let_go, rn->caplet_go * sizeof(*rn->let_go));
	}
	rn->let_go[rn->nlet_go++] = p;
}

/* The top-level members of root that are neither objects nor arrays (new object, shared values). */
static json_t *scalar_members(json_t *root)
{
	json_t *tops = json_object();
	const char *name;
	json_t *v;
	json_object_foreach(root, name, v)
	{
		if (!json_is_object(v) && !json_is_array(v))
			json_object_set(tops, name, v);
	}
	return tops;
}

/*
 * Most returns are read by their own rules alone (a performance return, an action log): once
 * those have run and their findings are placed, the tree is let go, and memory holds the
 * returns other files' rules read rather than every return of the snapshot. Done at the end
 * of a run, when nothing of the run (a change's contents, a locator) points into them.
 */
static void let_go(run *rn)
{
	for (size_t i = 0; i < rn->nlet_go; i++) {
		parsed *p = rn->let_go[i];
		if (p->let_go || !p->doc || kind_read(rn->e, p))
			continue;
		p->tops = scalar_members(assure_doc_root(p->doc));
		assure_doc_free(p->doc);
		p->doc = NULL;
		json_decref(p->canon);
		p->canon = NULL;
		p->let_go = true;
		rn->e->stats.returns_let_go++;
	}
	rn->nlet_go = 0;
}

static void run_end(run *rn)
{
	forget_locations(rn);
	let_go(rn);
	free(rn->let_go);
	free(rn->lets);
	free(rn->let_state);
	free(rn->located);
	free(rn->node_deps);
	free(rn->node_reads);
	free(rn->frames);
	free(rn->scratch);
}

static void add_finding(run *rn, assure_findings *out, const assure_rule *r, const char *rule_id,
                        assure_severity sev, const char *title, const char *message, const place *pl,
                        const char *subject)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule_id;
	f.severity = sev;
	f.domain = r ? r->domain : "validity";
	f.title = (char *)title;
	f.message = (char *)message;
	f.path = (char *)pl->path;
	f.pointer = (char *)pl->pointer;
	f.subject = (char *)subject;
	f.line = pl->line;
	f.column = pl->column;
	if (pl->doc) {
		if (!assure_doc_located(pl->doc)) {
			if (rn->nlocated == rn->caplocated) {
				rn->caplocated = rn->caplocated ? 2 * rn->caplocated : 16;
				rn->located =
				    assure_xrealloc(rn->located, rn->caplocated * sizeof(*rn->located));
			}
			rn->located[rn->nlocated++] = pl->doc;
		}
		if (assure_doc_locate(pl->doc, pl->pointer, &f.line, &f.column) < 0)
			f.line = f.column = 0;
	}
	assure_findings_add(out, &f);
}

static void eval_failure(run *rn, assure_findings *out, const assure_rule *r, const place *pl,
                         const char *field, const char *why)
{
	assure_buf msg = ASSURE_BUF_INIT, subj = ASSURE_BUF_INIT;
	assure_buf_printf(&msg, "%s could not be evaluated at '%s' (%s): %s", r->id,
	                  *pl->pointer ? pl->pointer : "/", field, why);
	if (*pl->pointer)
		assure_buf_printf(&subj, "%s %s", r->id, pl->pointer);
	else
		assure_buf_puts(&subj, r->id);
	add_finding(rn, out, r, ASSURE_RULE_EVAL, ASSURE_SEV_ERROR, "rule could not be evaluated", msg.ptr,
	            pl, subj.ptr);
	rn->result->eval_failures++;
	assure_buf_free(&msg);
	assure_buf_free(&subj);
}

/* A rule's input that could not be read: ASSURE-EVAL at that file, never a pass. */
static void unreadable_input(run *rn, assure_findings *out, const assure_rule *r, size_t i)
{
	parsed *p = get_parsed(rn->e, rn->snap, i);
	place pl = {assure_snapshot_file(rn->snap, i)->path, "", NULL, p ? p->line : 0, p ? p->column : 0};
	char *why = unreadable_reason(rn, i);
	eval_failure(rn, out, r, &pl, "input", why);
	free(why);
}

/* Evaluate a boolean field; returns 1 true, 0 false, -1 reported as ASSURE-EVAL. */
static int eval_bool(run *rn, assure_findings *out, const assure_rule *r, const place *pl, const char *field,
                     const assure_expr *e, const assure_eval_ctx *ctx)
{
	assure_value v = {0};
	char *why = NULL;
	int rc = assure_expr_eval(&v, e, ctx, &why);
	if (rc != 0) {
		eval_failure(rn, out, r, pl, field, why ? why : assure_error_last());
		free(why);
		return -1;
	}
	int result;
	if (v.kind == ASSURE_VAL_BOOL) {
		result = v.u.b ? 1 : 0;
	} else {
		/* name the expression: "absent is not true or false" alone does not say what was absent */
		char *d = assure_value_describe(&v);
		assure_buf b = ASSURE_BUF_INIT;
		if (v.kind == ASSURE_VAL_ABSENT)
			assure_buf_printf(&b, "%s is absent, not true or false", assure_expr_source(e));
		else if (strcmp(assure_expr_source(e), d) == 0) /* a literal: "1 is 1" says nothing */
			assure_buf_printf(&b, "%s is not true or false", d);
		else
			assure_buf_printf(&b, "%s is %s, not true or false", assure_expr_source(e), d);
		eval_failure(rn, out, r, pl, field, b.ptr);
		assure_buf_free(&b);
		free(d);
		result = -1;
	}
	assure_value_clear(&v);
	return result;
}

/* The evaluation context of a rule (or group expression, r NULL) on a node of the document at root. */
static assure_eval_ctx rule_ctx(run *rn, const assure_rule *r, json_t *root, json_t *current,
                                const char *pointer, const char *file, assure_value *lets,
                                unsigned char *state)
{
	return (assure_eval_ctx){
	    .root = root,
	    .current = current,
	    .current_pointer = pointer,
	    .params = assure_ruleset_params(rn->e->rs),
	    .as_of = rn->opts->as_of,
	    .as_of_range = rn->range,
	    .file = file,
	    .let_exprs = r ? r->lets : NULL,
	    .let_values = lets,
	    .let_state = state,
	    .let_count = r ? r->let_count : 0,
	    .file_doc = file_doc_cb,
	    .lookup = lookup_cb,
	    .payload = rn,
	    .epoch = rn->epoch,
	    .memo = rn->trk ? memo_cb : NULL,
	};
}

/* when, assert, and on a breach message and subject, with the lets as ctx holds them. */
/* An evaluation of r that found no breach, for assure_check_opts.passes: its subject, if it has one. */
static void add_pass(run *rn, const assure_rule *r, const assure_eval_ctx *ctx, const place *pl,
                     const char *default_subject)
{
	char *subject = NULL, *why = NULL;
	if (r->subject) {
		assure_value sv = {0};
		if (assure_expr_eval(&sv, r->subject, ctx, &why) == 0 && sv.kind != ASSURE_VAL_ABSENT)
			subject = assure_value_to_string(&sv);
		assure_value_clear(&sv);
		free(why);
	}
	add_finding(rn, rn->opts->passes, r, r->id, r->severity, r->title, "", pl,
	            subject ? subject : default_subject);
	free(subject);
}

static void eval_once(run *rn, assure_findings *out, const assure_rule *r, const assure_eval_ctx *ctx,
                      const place *pl, const char *default_subject)
{
	rn->e->stats.evaluations++;
	int ok = r->when ? eval_bool(rn, out, r, pl, "when", r->when, ctx) : 1;
	if (ok != 1)
		return;
	int held = eval_bool(rn, out, r, pl, "assert", r->assert_expr, ctx);
	if (held == 1 && rn->opts->passes)
		add_pass(rn, r, ctx, pl, default_subject);
	if (held != 0)
		return;
	/*
	 * The subject is worked out before the message: what the message alone reads of as_of
	 * (a finding's "as of" day) does not change which findings there are, so it does not
	 * narrow the days they are reused on, and the lets it is first to read would not.
	 */
	char *msg = NULL, *why = NULL, *subject = NULL;
	if (r->subject) {
		assure_value sv = {0};
		if (assure_expr_eval(&sv, r->subject, ctx, &why) != 0) {
			eval_failure(rn, out, r, pl, "subject", why ? why : assure_error_last());
		} else if (sv.kind == ASSURE_VAL_ABSENT) {
			/* an absent identity would merge unrelated findings into one fingerprint */
			assure_buf b = ASSURE_BUF_INIT;
			assure_buf_printf(&b, "%s is absent", assure_expr_source(r->subject));
			eval_failure(rn, out, r, pl, "subject", b.ptr);
			assure_buf_free(&b);
		} else {
			subject = assure_value_to_string(&sv);
		}
		assure_value_clear(&sv);
		if (!subject)
			goto done;
	}
	assure_eval_ctx text_ctx = *ctx;
	text_ctx.as_of_range = NULL;
	if (assure_template_render(&msg, r->message, &text_ctx, &why) != 0)
		eval_failure(rn, out, r, pl, "message", why ? why : assure_error_last());
	else
		add_finding(rn, out, r, r->id, r->severity, r->title, msg, pl,
		            subject ? subject : default_subject);
done:
	free(subject);
	free(msg);
	free(why);
}

static void clear_lets(assure_value *lets, unsigned char *state, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assure_value_clear(&lets[i]);
	memset(state, 0, n);
}

/*
 * The lets' storage of the run, cleared for r: kept between nodes and rules (a log of 100,000
 * actions is 100,000 nodes per rule, and every rule's when is tried on every return).
 */
static assure_value *run_lets(run *rn, const assure_rule *r)
{
	if (rn->nlets < r->let_count + 1) {
		rn->nlets = r->let_count + 1;
		rn->lets = assure_xrealloc(rn->lets, rn->nlets * sizeof(assure_value));
		rn->let_state = assure_xrealloc(rn->let_state, rn->nlets);
		memset(rn->lets, 0, rn->nlets * sizeof(assure_value));
	}
	memset(rn->let_state, 0, r->let_count + 1);
	return rn->lets;
}

/* The rule on one node: once, or once per item of its each list. */
static void eval_node(run *rn, assure_findings *out, const assure_rule *r, json_t *root,
                      const assure_node *node, const char *file, const place *pl, const char *default_subject)
{
	assure_value *lets = run_lets(rn, r);
	unsigned char *state = rn->let_state;
	assure_eval_ctx ctx = rule_ctx(rn, r, root, node->value, node->pointer, file, lets, state);
	if (!r->each_expr) {
		eval_once(rn, out, r, &ctx, pl, default_subject);
	} else {
		assure_value list = {0};
		char *why = NULL;
		int rc = assure_expr_eval(&list, r->each_expr, &ctx, &why);
		size_t n = 0;
		if (rc == 0 && list.kind == ASSURE_VAL_LIST)
			n = list.u.list->count;
		else if (rc == 0 && list.kind == ASSURE_VAL_JSON && json_is_array(list.u.json))
			n = json_array_size(list.u.json);
		else if (rc == 0) {
			char *d = assure_value_describe(&list);
			assure_buf b = ASSURE_BUF_INIT;
			assure_buf_printf(&b, "%s is %s, not a list", assure_expr_source(r->each_expr), d);
			why = assure_buf_detach(&b);
			free(d);
			rc = ASSURE_EXPR_FAIL;
		}
		if (rc != 0)
			eval_failure(rn, out, r, pl, "each", why ? why : assure_error_last());
		for (size_t i = 0; rc == 0 && i < n; i++) {
			clear_lets(lets, state, r->let_count);
			if (list.kind == ASSURE_VAL_LIST)
				assure_value_copy(&lets[0], &list.u.list->items[i]);
			else if (assure_value_from_json(&lets[0], json_array_get(list.u.json, i)) != 0)
				break;
			state[0] = 1; /* bound: evaluated (eval.c's LET_DONE) */
			char *item = assure_value_to_string(&lets[0]);
			assure_buf subj = ASSURE_BUF_INIT;
			assure_buf_puts(&subj, default_subject);
			assure_buf_putc(&subj, ' ');
			assure_buf_puts(&subj, item);
			eval_once(rn, out, r, &ctx, pl, subj.ptr);
			assure_buf_free(&subj);
			free(item);
		}
		assure_value_clear(&list);
		free(why);
	}
	clear_lets(lets, state, r->let_count);
}

/*
 * Whether r's when is false on every node of the document at root, as its conditions that
 * do not depend on the node say: then none need be visited (a validity rule on another
 * kind of return does not walk every node of a 100,000-action log).
 */
static bool ruled_out(run *rn, const assure_rule *r, json_t *root, const char *file)
{
	if (!r->when)
		return false;
	if (r->each_expr)
		return false; /* its when reads each item: no node can be ruled out before them */
	assure_value *lets = run_lets(rn, r);
	assure_eval_ctx ctx = rule_ctx(rn, r, root, root, "", file, lets, rn->let_state);
	bool holds = true;
	int rc = assure_expr_guard(r->when, &ctx, &holds);
	clear_lets(lets, rn->let_state, r->let_count);
	return rc == 0 && !holds;
}

/* The nodes of a for_each on the document being checked, shared by the rules that use the same query. */
static const assure_nodelist *doc_nodes(run *rn, const assure_jsonpath *q, json_t *root, bool *failed)
{
	const char *text = assure_jsonpath_text(q);
	*failed = false;
	for (size_t i = 0; i < rn->nshared; i++)
		if (strcmp(rn->shared[i].text, text) == 0)
			return rn->shared[i].failed ? (*failed = true, NULL) : &rn->shared[i].nodes;
	rn->shared = assure_xrealloc(rn->shared, (rn->nshared + 1) * sizeof(*rn->shared));
	shared_nodes *sn = &rn->shared[rn->nshared++];
	sn->text = text;
	assure_nodelist_init(&sn->nodes);
	sn->failed = assure_jsonpath_eval(q, root, root, "", &sn->nodes) < 0;
	sn->error = sn->failed ? assure_xstrdup(assure_error_last()) : NULL;
	*failed = sn->failed;
	return sn->failed ? NULL : &sn->nodes;
}

static void shared_clear(run *rn)
{
	for (size_t i = 0; i < rn->nshared; i++) {
		assure_nodelist_clear(&rn->shared[i].nodes);
		free(rn->shared[i].error);
	}
	free(rn->shared);
	rn->shared = NULL;
	rn->nshared = 0;
}

static void eval_return_rule_on(run *rn, assure_findings *out, size_t rule, const assure_rule *r,
                                const char *path, assure_doc *doc)
{
	json_t *root = assure_doc_root(doc);
	rn->epoch = new_epoch();
	if (ruled_out(rn, r, root, path))
		return;
	bool failed;
	const assure_nodelist *nodes = doc_nodes(rn, r->for_each, root, &failed);
	if (failed) {
		place pl = {path, "", doc, 0, 0};
		for (size_t i = 0; i < rn->nshared; i++)
			if (strcmp(rn->shared[i].text, assure_jsonpath_text(r->for_each)) == 0)
				eval_failure(rn, out, r, &pl, "for_each", rn->shared[i].error);
		return;
	}
	for (size_t k = 0; k < nodes->count; k++) {
		if (rn->trk) {
			const node_rec *pn = rn->prev ? prev_node(rn, rule, k) : NULL;
			if (pn && node_holds(rn, pn)) {
				keep_node(rn, rn->deps_of, out, pn);
				continue;
			}
			node_begin(rn, rule, k, out);
		}
		place pl = {path, nodes->items[k].pointer, doc, 0, 0};
		eval_node(rn, out, r, root, &nodes->items[k], path, &pl, nodes->items[k].pointer);
		if (rn->trk)
			node_end(rn, out);
	}
}

/*
 * Of the findings of rule r in l from `from` on, keep the first max per file; the others are
 * counted in one ASSURE-LIMIT finding per file, of the rule's severity, so that a log of
 * 100,000 breaches neither floods a report nor passes. ASSURE-EVAL findings are all kept.
 */
static void cap_findings(run *rn, assure_findings *l, size_t from, const assure_rule *r)
{
	size_t max = rn->opts->max_findings ? rn->opts->max_findings : ASSURE_MAX_FINDINGS;
	size_t n = assure_findings_count(l);
	if (n - from <= max)
		return;
	assure_strmap *total = assure_strmap_new();
	bool over = false;
	for (size_t i = from; i < n; i++) {
		const assure_finding *f = assure_findings_get(l, i);
		if (strcmp(f->rule_id, r->id) == 0)
			over |= ++*assure_strmap_slot(total, f->path, strlen(f->path), NULL) > max;
	}
	if (over) {
		assure_findings *tail;
		assure_findings_new(&tail);
		for (size_t i = from; i < n; i++)
			assure_findings_add(tail, assure_findings_get(l, i));
		assure_findings_truncate(l, from);
		assure_strmap *listed = assure_strmap_new();
		for (size_t i = 0; i < n - from; i++) {
			const assure_finding *f = assure_findings_get(tail, i);
			bool mine = strcmp(f->rule_id, r->id) == 0;
			size_t seen = 0;
			if (mine)
				seen = ++*assure_strmap_slot(listed, f->path, strlen(f->path), NULL);
			if (!mine || seen <= max)
				assure_findings_add(l, f);
			size_t all = 0;
			if (seen == max + 1 && assure_strmap_get(total, f->path, strlen(f->path), &all)) {
				assure_buf msg = ASSURE_BUF_INIT;
				assure_buf_printf(
				    &msg,
				    "%zu more findings of %s here are not listed: a rule lists at most %zu "
				    "per file (--max-findings)",
				    all - max, r->id, max);
				place pl = {f->path, "", NULL, 0, 0};
				add_finding(rn, l, r, ASSURE_RULE_LIMIT, r->severity, "findings not listed",
				            msg.ptr, &pl, r->id);
				assure_buf_free(&msg);
			}
		}
		assure_strmap_free(listed);
		assure_findings_free(tail);
	}
	assure_strmap_free(total);
}

static void eval_return_rule(run *rn, assure_findings *out, size_t rule, const assure_rule *r,
                             const char *path, assure_doc *doc)
{
	size_t from = assure_findings_count(out);
	eval_return_rule_on(rn, out, rule, r, path, doc);
	size_t max = rn->opts->max_findings ? rn->opts->max_findings : ASSURE_MAX_FINDINGS;
	/* capped, the findings may no longer be where the nodes' records say */
	if (rn->trk && assure_findings_count(out) - from > max)
		rn->trk->valid = false;
	cap_findings(rn, out, from, r);
}

static int rule_group(const assure_rule *r)
{
	if (r->reads & ASSURE_EXPR_READS_OTHERS)
		return GROUP_OTHERS;
	return r->reads & ASSURE_EXPR_READS_AS_OF ? GROUP_AS_OF : GROUP_BLOB;
}

/* Whether everything a cached result read (files by path, lookups) is the same in this snapshot. */
/*
 * Whether a change can have changed what a lookup of kind with filter finds: only a file
 * whose old or new content is of that kind with the filter's values can (or one that cannot
 * be read, which could be anything).
 */
static bool change_touches(const change_set *cs, const char *kind, json_t *filter)
{
	if (cs->unreadable)
		return true;
	for (size_t i = 0; i < cs->nroots; i++) {
		const char *k = kind_of(cs->roots[i]);
		if (k && strcmp(k, kind) == 0 && matches_filter(cs->roots[i], filter))
			return true;
	}
	return false;
}

/*
 * change_touches for a lookup with this key: what this run's index update found for it,
 * where the lookup was made before the update; worked out from the change otherwise.
 */
static bool lookup_touched(run *rn, const char *key, const char *kind, json_t *filter)
{
	snap_index *x = rn->index;
	size_t at;
	if (x->built && x->updated == rn->check && assure_strmap_get(x->found, key, strlen(key), &at) &&
	    x->result_since[at] != rn->check)
		return x->result_touched[at] == rn->check;
	return change_touches(rn->cs, kind, filter);
}

/* Whether lookup dependency rec ([kind, filter, digest]) gives the same result now. */
static bool lookup_same(run *rn, const cached *c, json_t *rec)
{
	const char *kind = json_string_value(json_array_get(rec, 0));
	json_t *filter = json_array_get(rec, 1);
	assure_buf key = ASSURE_BUF_INIT;
	lookup_key(&key, kind, filter);
	bool same = true;
	if (!rn->cs || !c->active || lookup_touched(rn, key.ptr, kind, filter)) {
		size_t at = lookup_index(rn, key.ptr, key.len, kind, filter);
		same = strcmp(rn->index->digest[at], json_string_value(json_array_get(rec, 2))) == 0;
	} /* else: the last check's result holds */
	assure_buf_free(&key);
	return same;
}

/*
 * Whether c read lookups only, all in this index, and the index was updated for this check: then
 * what the update found tells which of them may have changed, without a lookup of each by its
 * key (a return that looks up each of 480 months has 480). Only for findings in the last check's
 * state: the update tells what changed since that check, and findings of a content that left
 * the state (a return edited, then put back as it was) may have been made many changes ago.
 */
static bool lookups_of_this_update(const run *rn, const cached *c)
{
	const snap_index *x = rn->index;
	return rn->cs && c->active && !c->dep_paths && c->dep_life && x && x->built &&
	       c->dep_life == x->life && x->updated == rn->check;
}

/*
 * Whether c's findings, made on its as_of, are the same on this check's day: on another day
 * inside their range they are. Those that were not in use in the last check are made again all
 * the same: in an audit they open again, and their messages must say the day they open on.
 */
static bool same_day(const run *rn, const cached *c)
{
	int32_t as_of = rn->opts->as_of;
	return !c->reads_as_of || c->as_of == as_of ||
	       (c->active && c->valid.lo <= as_of && as_of <= c->valid.hi);
}

static bool deps_unchanged(run *rn, const cached *c)
{
	snap_index *x = rn->index;
	/* only those a change touched are looked up again */
	if (lookups_of_this_update(rn, c)) {
		assure_buf key = ASSURE_BUF_INIT;
		bool same = true;
		for (size_t k = 0; k < c->ndep_at && same; k++) {
			size_t at = c->dep_at[k];
			if (!result_touched_now(rn, at))
				continue;
			/* a copy: working the result out again replaces the index's own key */
			assure_buf_clear(&key);
			assure_buf_puts(&key, x->result_keys[at]);
			const char *kind = json_string_value(json_array_get(c->dep_rec[k], 0));
			size_t now =
			    lookup_index(rn, key.ptr, key.len, kind, json_array_get(c->dep_rec[k], 1));
			same =
			    strcmp(x->digest[now], json_string_value(json_array_get(c->dep_rec[k], 2))) == 0;
		}
		assure_buf_free(&key);
		return same;
	}
	for (size_t k = 0; k < c->ndep_at; k++)
		if (!lookup_same(rn, c, c->dep_rec[k]))
			return false;
	const char *path;
	json_t *dep;
	json_object_foreach(c->deps, path, dep)
	{
		long i = assure_snapshot_find(rn->snap, path);
		const char *now = i < 0 ? "" : assure_snapshot_file(rn->snap, (size_t)i)->oid;
		if (strcmp(now, json_string_value(dep)) != 0)
			return false;
	}
	return true;
}

/*
 * Whether c's findings hold in this update as cached_use() would find them, without the file
 * being looked up: in the state, the day inside their range, and reading nothing but lookups
 * of this index that no change touched. A finance return makes every file that reads finance
 * lookups a candidate (about 30 a commit at L); most read other years and months.
 */
static bool holds_unvisited(const run *rn, const cached *c)
{
	if (!c->findings || !same_day(rn, c) || !lookups_of_this_update(rn, c))
		return false;
	for (size_t k = 0; k < c->ndep_at; k++)
		if (result_touched_now(rn, c->dep_at[k]))
			return false;
	return true;
}

/*
 * c's findings leave the engine's state: in an update they go to the removed findings, if
 * they were in it. Then c is empty.
 */
static void cached_retire(run *rn, cached *c)
{
	if (c->active && rn->removed && c->findings)
		assure_findings_extend(rn->removed, c->findings);
	cached_clear(c);
}

/*
 * If c is still valid, add its findings to out (counting the evaluation failures among
 * them again for this run) and return true. Otherwise empty it for recomputing, record
 * file_doc() reads and lookups in it from now on, and return false; cached_end() finishes.
 */
static bool cached_use(run *rn, cached *c, assure_findings *out, bool track)
{
	int32_t as_of = rn->opts->as_of;
	bool day = same_day(rn, c);
	if (c->findings && day && deps_unchanged(rn, c)) {
		c->used = rn->e->checks;
		if (!rn->delta || !c->active) {
			assure_findings_extend(out, c->findings);
			rn->e->stats.findings_reused += assure_findings_count(c->findings);
			for (size_t k = 0; k < assure_findings_count(c->findings); k++)
				if (strcmp(assure_findings_get(c->findings, k)->rule_id, ASSURE_RULE_EVAL) ==
				    0)
					rn->result->eval_failures++;
		}
		c->active = true;
		return true;
	}
	/*
	 * Its nodes may be kept where only lookups changed, all in this index, as the update found
	 * (the day inside their range, and the findings in use: they do not open again).
	 */
	snap_index *x = rn->index;
	bool keep =
	    track && c->findings && c->track && c->track->valid && day && lookups_of_this_update(rn, c);
	assure_day_range valid = c->valid;
	if (keep) {
		rn->prev = c->track;
		c->track = NULL;
		assure_findings_new(&rn->prev_findings);
		assure_findings_extend(rn->prev_findings, c->findings);
		/* what each kept node read is found by its place in the index */
		rn->nprev_rec_of = x->nresults;
		rn->prev_rec_of = assure_xcalloc(x->nresults + 1, sizeof(json_t *));
		for (size_t k = 0; k < c->ndep_at; k++)
			if (c->dep_at[k] < x->nresults && !rn->prev_rec_of[c->dep_at[k]])
				rn->prev_rec_of[c->dep_at[k]] = json_incref(c->dep_rec[k]);
		rn->prev_at = 0;
	}
	cached_retire(rn, c);
	rn->e->stats.partitions_evaluated++;
	assure_findings_new(&c->findings);
	c->deps = NULL;
	c->as_of = as_of;
	/* a kept node's findings hold on the days the last evaluation's did */
	c->valid = keep ? valid : ASSURE_DAY_RANGE_ALL;
	c->used = rn->e->checks;
	rn->deps_of = c;
	rn->range = &c->valid;
	if (track) {
		c->track = assure_xcalloc(1, sizeof(*c->track));
		c->track->valid = true;
		rn->trk = c->track;
		rn->node = -1;
	}
	return false;
}

static void cached_end(run *rn, cached *c, assure_findings *out)
{
	rn->deps_of = NULL;
	rn->range = NULL;
	if (rn->trk && (!rn->trk->valid || rn->nframes || !track_worth(rn->trk, c))) {
		track_free(c->track);
		c->track = NULL;
	}
	rn->trk = NULL;
	rn->nframes = rn->nscratch = 0;
	track_free(rn->prev);
	rn->prev = NULL;
	assure_findings_free(rn->prev_findings);
	rn->prev_findings = NULL;
	for (size_t at = 0; at < rn->nprev_rec_of; at++)
		json_decref(rn->prev_rec_of[at]);
	free(rn->prev_rec_of);
	rn->prev_rec_of = NULL;
	rn->nprev_rec_of = 0;
	c->active = true;
	c->dep_paths = json_object_size(c->deps) > 0; /* the lookups' kinds were noted as read */
	assure_findings_extend(out, c->findings);
}

/* Whether a group rule reads returns of this kind. */
static bool group_kind(const assure_rule *r, const char *kind)
{
	for (size_t i = 0; kind && i < r->group_kind_count; i++)
		if (strcmp(r->group_kinds[i], kind) == 0)
			return true;
	return false;
}

/* Whether rule r applies to a file at this path with this root (for the files_checked count). */
static bool rule_applies(const assure_engine *e, const assure_rule *r, const char *path, json_t *root)
{
	if (!path_selected(e, r, path))
		return false;
	if (r->scope == ASSURE_SCOPE_GROUP)
		return group_kind(r, kind_of(root));
	return kind_selected(r, root);
}

/* "path\noid" of a file: what its reusable results and memberships are filed under. */
static void put_file_key(assure_buf *b, const assure_file *f)
{
	assure_buf_puts(b, f->path);
	assure_buf_putc(b, '\n');
	assure_buf_put(b, f->oid, 40);
}

/* The reusable findings of a file's path and blob, made empty on first use. */
static reusable *reusable_of(assure_engine *e, const assure_file *f, bool make)
{
	assure_buf key = ASSURE_BUF_INIT;
	put_file_key(&key, f);
	size_t at;
	reusable *r = NULL;
	if (assure_strmap_get(e->by_key, key.ptr, key.len, &at)) {
		r = e->reuse[at];
	} else if (make) {
		if (e->nreuse == e->capreuse) {
			e->capreuse = e->capreuse ? e->capreuse * 2 : 64;
			e->reuse = assure_xrealloc(e->reuse, e->capreuse * sizeof(*e->reuse));
		}
		r = e->reuse[e->nreuse] = assure_xcalloc(1, sizeof(reusable));
		r->key = assure_xstrdup(key.ptr);
		*assure_strmap_slot(e->by_key, key.ptr, key.len, NULL) = e->nreuse++;
	}
	assure_buf_free(&key);
	return r;
}

/* Whether a file's findings can change while it does not: they read as_of or other files. */
static bool dynamic(const reusable *ru)
{
	for (int g = 0; g < GROUP_COUNT; g++) {
		const cached *c = &ru->group[g];
		if (c->active && (c->reads_as_of || c->dep_kinds || c->dep_paths))
			return true;
	}
	return false;
}

static struct dyn_sum dyn_summary(const reusable *ru)
{
	struct dyn_sum s = {.day = ASSURE_DAY_RANGE_ALL};
	for (int g = 0; g < GROUP_COUNT; g++) {
		const cached *c = &ru->group[g];
		if (!c->active)
			continue;
		s.kinds |= c->dep_kinds;
		s.paths |= c->dep_paths;
		if (c->reads_as_of) {
			s.as_of = true;
			s.day.lo = c->valid.lo > s.day.lo ? c->valid.lo : s.day.lo;
			s.day.hi = c->valid.hi < s.day.hi ? c->valid.hi : s.day.hi;
		}
	}
	return s;
}

/* Whether b holds the files whose record is s, but for the day range. */
static bool bucket_of(const dyn_bucket *b, const struct dyn_sum *s)
{
	return b->kinds == s->kinds && b->as_of == s->as_of && b->paths == s->paths;
}

/* Whether every file of b is stale by cs whatever its day range: its kinds or paths are read. */
static bool bucket_touched(const dyn_bucket *b, const change_set *cs)
{
	return (b->kinds & cs->kinds) || (b->kinds && cs->unreadable) || (b->paths && cs->any);
}

static void dyn_remove(assure_engine *e, reusable *ru)
{
	if (!ru->dyn_at)
		return;
	dyn_bucket *b = &e->dyn[ru->dyn_bucket];
	size_t at = ru->dyn_at - 1;
	b->items[at] = b->items[--b->n];
	b->days[at] = b->days[b->n];
	b->items[at]->dyn_at = at + 1;
	ru->dyn_at = 0;
}

/* ru's groups were evaluated again: in a dyn bucket if they can change without it, by its record. */
static void dyn_add(assure_engine *e, reusable *ru)
{
	struct dyn_sum s = dyn_summary(ru);
	if (ru->dyn_at) {
		dyn_bucket *b = &e->dyn[ru->dyn_bucket];
		if (bucket_of(b, &s)) {
			b->days[ru->dyn_at - 1] = s.day;
			return;
		}
		dyn_remove(e, ru);
	} else if (!dynamic(ru)) {
		return;
	}
	size_t k = 0;
	while (k < e->ndyn && !bucket_of(&e->dyn[k], &s))
		k++;
	if (k == e->ndyn) {
		if (e->ndyn == e->capdyn) {
			e->capdyn = e->capdyn ? 2 * e->capdyn : 8;
			e->dyn = assure_xrealloc(e->dyn, e->capdyn * sizeof(*e->dyn));
		}
		e->dyn[e->ndyn++] = (dyn_bucket){.kinds = s.kinds, .as_of = s.as_of, .paths = s.paths};
	}
	dyn_bucket *b = &e->dyn[k];
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->items = assure_xrealloc(b->items, b->cap * sizeof(*b->items));
		b->days = assure_xrealloc(b->days, b->cap * sizeof(*b->days));
	}
	b->items[b->n] = ru;
	b->days[b->n++] = s.day;
	ru->dyn_at = b->n;
	ru->dyn_bucket = k;
}

/*
 * The dynamic files cs can make stale, into e->stale (their count returned): taken before any is
 * checked again, since checking one moves it between buckets.
 */
static size_t dyn_stale_files(assure_engine *e, const change_set *cs)
{
	size_t n = 0;
	for (size_t k = 0; k < e->ndyn; k++) {
		const dyn_bucket *b = &e->dyn[k];
		bool all = bucket_touched(b, cs);
		if (!all && !b->as_of)
			continue;
		for (size_t i = 0; i < b->n; i++) {
			if (!all && cs->as_of >= b->days[i].lo && cs->as_of <= b->days[i].hi)
				continue;
			if (n == e->capstale) {
				e->capstale = e->capstale ? 2 * e->capstale : 64;
				e->stale = assure_xrealloc(e->stale, e->capstale * sizeof(*e->stale));
			}
			e->stale[n++] = b->items[i];
		}
	}
	return n;
}

/* The return-scope rules of group g on file i (whose parse is p), reused while they hold. */
static void check_file_group(run *rn, assure_findings *out, reusable *ru, int g, size_t i, parsed *p)
{
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	cached *c = &ru->group[g];
	if (cached_use(rn, c, out, g == GROUP_OTHERS && !rn->opts->passes))
		return;
	/* a return let go is parsed again only now that its rules are evaluated again */
	parsed *q = p->let_go ? get_parsed(rn->e, rn->snap, i) : p;
	json_t *root = tops_of(q ? q : p); /* what was kept of a return let go is freed once parsed */
	for (size_t k = 0; k < assure_ruleset_count(rn->e->rs); k++) {
		const assure_rule *r = assure_ruleset_rule(rn->e->rs, k);
		if (r->scope != ASSURE_SCOPE_RETURN || rule_group(r) != g ||
		    !path_selected(rn->e, r, f->path) || !kind_selected(r, root))
			continue;
		c->reads_as_of |= (r->reads & ASSURE_EXPR_READS_AS_OF) != 0;
		if (q && q->doc)
			eval_return_rule(rn, c->findings, k, r, f->path, q->doc);
		else
			unreadable_input(rn, c->findings, r, i);
	}
	cached_end(rn, c, out);
}

/* What is said of the file itself, and whether a rule applies to it: worked out once per blob. */
static void know_file(run *rn, reusable *ru, size_t i, parsed *p)
{
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	ru->known = true;
	assure_findings_new(&ru->file.findings);
	ru->file.used = rn->e->checks;
	if (!p) {
		place pl = {f->path, "", NULL, 0, 0};
		add_finding(rn, ru->file.findings, NULL, ASSURE_RULE_PARSE, ASSURE_SEV_ERROR,
		            "file could not be read", assure_error_last(), &pl, "");
		ru->parse_failure = ru->read_failure = true;
	} else if (p->too_large) {
		place pl = {f->path, "", NULL, 0, 0};
		add_finding(rn, ru->file.findings, NULL, ASSURE_RULE_LIMIT, ASSURE_SEV_ERROR,
		            "file is too large to check", p->error, &pl, "");
		ru->parse_failure = true;
	} else if (!p->doc) {
		place pl = {f->path, "", NULL, p->line, p->column};
		add_finding(rn, ru->file.findings, NULL, ASSURE_RULE_PARSE, ASSURE_SEV_ERROR,
		            "file is not valid JSON", p->error, &pl, "");
		ru->parse_failure = true;
	} else {
		json_t *root = assure_doc_root(p->doc);
		for (size_t k = 0; k < assure_ruleset_count(rn->e->rs) && !ru->checked; k++)
			ru->checked = rule_applies(rn->e, assure_ruleset_rule(rn->e->rs, k), f->path, root);
	}
}

/* The file's counts, added to (or, sign -1, taken from) a result. */
static void count_file(assure_check_result *r, const reusable *ru, int sign)
{
	r->files_checked += (size_t)(sign * ru->checked);
	r->parse_failures += (size_t)(sign * ru->parse_failure);
	r->read_failures += (size_t)(sign * ru->read_failure);
}

static void check_file(run *rn, assure_findings *out, size_t i)
{
	assure_engine *e = rn->e;
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	size_t nrules = assure_ruleset_count(e->rs);
	bool wanted = false;
	for (size_t k = 0; k < nrules && !wanted; k++)
		wanted = path_selected(e, assure_ruleset_rule(e->rs, k), f->path);
	if (!wanted)
		return;
	/* findings are filed under the path and blob, and reused while they hold */
	reusable *ru = reusable_of(e, f, true);
	/* a return let go whose findings are all reused is not parsed again (check_file_group) */
	parsed *p = ru->known ? parse_or_kept(e, rn->snap, i) : get_parsed(e, rn->snap, i);
	if (!ru->known)
		know_file(rn, ru, i, p);
	else if (!rn->delta || !ru->file.active)
		e->stats.findings_reused += assure_findings_count(ru->file.findings);
	count_file(rn->delta ? &e->state : rn->result, ru, 1);
	if (!rn->delta || !ru->file.active)
		assure_findings_extend(out, ru->file.findings);
	ru->file.active = true;
	ru->file.used = e->checks;
	if (p && (p->doc || p->let_go)) {
		for (int g = 0; g < GROUP_COUNT; g++)
			check_file_group(rn, out, ru, g, i, p);
		dyn_add(e, ru);
	}
	shared_clear(rn);
	forget_locations(rn);
	let_go_later(rn, p);
}

/* The file leaves the engine's state (assure_engine_update): its findings are removed. */
static void retire_file(run *rn, const assure_file *f)
{
	reusable *ru = reusable_of(rn->e, f, false);
	if (!ru || !ru->file.active)
		return;
	count_file(&rn->e->state, ru, -1);
	assure_findings_extend(rn->removed, ru->file.findings);
	ru->file.active = false;
	for (int g = 0; g < GROUP_COUNT; g++) {
		cached *c = &ru->group[g];
		if (c->active && c->findings)
			assure_findings_extend(rn->removed, c->findings);
		c->active = false;
	}
	dyn_remove(rn->e, ru);
}

/*
 * Where the documents of a document of returns' entries are, to point into them: parsed already
 * (docs), or by the entries' places in the snapshot (files), parsed (through the cache) only
 * where a finding points, so that a group's evaluation does not look up every member's parse.
 */
typedef struct entry_docs {
	assure_doc **docs;   /* by entry, or NULL */
	const size_t *files; /* by entry, when docs is NULL */
} entry_docs;

/* Map a node of a snapshot or group document back to the return it lies in. */
static place snapshot_place(run *rn, json_t *returns, const char *pointer, char **inner,
                            const entry_docs *src)
{
	place pl = {"", pointer, NULL, 0, 0};
	static const char prefix[] = "/returns/";
	if (strncmp(pointer, prefix, sizeof(prefix) - 1) != 0 ||
	    !isdigit((unsigned char)pointer[sizeof(prefix) - 1]))
		return pl;
	char *rest;
	errno = 0;
	unsigned long i = strtoul(pointer + sizeof(prefix) - 1, &rest, 10);
	if (errno == 0 && i < json_array_size(returns)) {
		json_t *entry = json_array_get(returns, i);
		pl.path = json_string_value(json_object_get(entry, "path"));
		if (strncmp(rest, "/doc", 4) == 0 && (rest[4] == '/' || rest[4] == '\0'))
			*inner = assure_xstrdup(rest + 4);
		else
			*inner = assure_xstrdup("");
		if (src->docs) {
			pl.doc = src->docs[i];
		} else if (src->files) {
			parsed *p = get_parsed(rn->e, rn->snap, src->files[i]);
			pl.doc = p ? p->doc : NULL;
		}
		pl.pointer = *inner;
	}
	return pl;
}

/* The rule over a document of returns ({"returns": […]} and, for a group, its "key"). */
static void eval_over_returns_on(run *rn, assure_findings *out, const assure_rule *r, json_t *root,
                                 const entry_docs *docs, const char *default_subject);

static void eval_over_returns(run *rn, assure_findings *out, const assure_rule *r, json_t *root,
                              const entry_docs *docs, const char *default_subject)
{
	size_t from = assure_findings_count(out);
	eval_over_returns_on(rn, out, r, root, docs, default_subject);
	cap_findings(rn, out, from, r);
}

static void eval_over_returns_on(run *rn, assure_findings *out, const assure_rule *r, json_t *root,
                                 const entry_docs *docs, const char *default_subject)
{
	json_t *returns = json_object_get(root, "returns");
	assure_nodelist nodes;
	assure_nodelist_init(&nodes);
	rn->epoch = new_epoch();
	if (ruled_out(rn, r, root, NULL))
		return;
	if (assure_jsonpath_eval(r->for_each, root, root, "", &nodes) < 0) {
		place pl = {"", "", NULL, 0, 0};
		eval_failure(rn, out, r, &pl, "for_each", assure_error_last());
	}
	for (size_t k = 0; k < nodes.count; k++) {
		char *inner = NULL;
		place pl = snapshot_place(rn, returns, nodes.items[k].pointer, &inner, docs);
		eval_node(rn, out, r, root, &nodes.items[k], NULL, &pl,
		          default_subject ? default_subject : nodes.items[k].pointer);
		free(inner);
	}
	assure_nodelist_clear(&nodes);
}

/*
 * What a snapshot-scope rule's result depends on, besides the rules, as_of and the files
 * it reads with file_doc() (see cached): the path and blob of every file it selects by path
 * (its kind is in the blob).
 */
static void snapshot_key(const run *rn, const assure_rule *r, assure_buf *b)
{
	/* kept whole, not hashed: compared exactly, and cheaper than hashing it every commit */
	for (size_t i = 0; i < assure_snapshot_count(rn->snap); i++) {
		const assure_file *f = assure_snapshot_file(rn->snap, i);
		if (path_selected(rn->e, r, f->path))
			put_file_id(b, f);
	}
}

static void eval_snapshot_rule_now(run *rn, assure_findings *out, const assure_rule *r)
{
	size_t n = assure_snapshot_count(rn->snap);
	json_t *root = json_object();
	json_t *returns = json_array();
	json_object_set_new(root, "returns", returns);
	assure_doc **docs = assure_xcalloc(n + 1, sizeof(*docs));
	size_t m = 0;
	bool complete = true;
	for (size_t i = 0; i < n; i++) {
		const assure_file *f = assure_snapshot_file(rn->snap, i);
		if (!path_selected(rn->e, r, f->path))
			continue;
		parsed *p = get_parsed(rn->e, rn->snap, i);
		if (!p || !p->doc) {
			/* it could be one of the returns the rule reads: say so, and do not pass */
			const char *kinds[1] = {r->kind};
			if (!r->kind || could_be(rn, i, kinds, 1, NULL)) {
				unreadable_input(rn, out, r, i);
				complete = false;
			}
			continue;
		}
		if (!kind_selected(r, assure_doc_root(p->doc)))
			continue;
		json_t *entry = json_object();
		json_object_set_new(entry, "path", assure_json_text(f->path));
		json_object_set(entry, "doc", assure_doc_root(p->doc));
		json_array_append_new(returns, entry);
		docs[m++] = p->doc;
	}
	if (complete)
		eval_over_returns(rn, out, r, root, &(entry_docs){docs, NULL}, NULL);
	free(docs);
	json_decref(root);
}

/* Reused while the selected files, as_of where read, and the files read with file_doc() are the same. */
static void eval_snapshot_rule(run *rn, assure_findings *out, size_t k, const assure_rule *r)
{
	snap_cached *sc = &rn->e->snap_cache[k];
	assure_buf key = ASSURE_BUF_INIT;
	snapshot_key(rn, r, &key);
	if (key.len != sc->key.len || (key.len && memcmp(key.ptr, sc->key.ptr, key.len) != 0))
		cached_retire(rn, &sc->c); /* other files selected: start again */
	assure_buf_free(&sc->key);
	sc->key = key;
	if (cached_use(rn, &sc->c, out, false))
		return;
	sc->c.reads_as_of = (r->reads & ASSURE_EXPR_READS_AS_OF) != 0;
	eval_snapshot_rule_now(rn, sc->c.findings, r);
	cached_end(rn, &sc->c, out);
}

/* ---- group rules ---- */

static void membership_clear(membership *m)
{
	free(m->key);
	json_decref(m->value);
	free(m->field);
	free(m->why);
	memset(m, 0, sizeof(*m));
}

static void values_free(group_cached *gc)
{
	for (size_t s = 0; s < gc->nvalues; s++)
		free(gc->values[s]);
	free(gc->values);
	gc->values = NULL;
	gc->nvalues = 0;
}

static void group_state_free(struct group_state *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nblobs; i++)
		membership_clear(&g->blobs[i]);
	free(g->blobs);
	for (size_t i = 0; i < g->ncache; i++) {
		assure_buf_free(&g->cache[i].members);
		cached_clear(&g->cache[i].c);
		values_free(&g->cache[i]);
	}
	free(g->cache);
	free(g->in);
	free(g->failed);
	assure_strmap_free(g->touched);
	assure_strmap_free(g->by_blob);
	assure_strmap_free(g->by_key);
}

/* Evaluate where and by on doc. sure: doc is the whole return, not what could be salvaged of one. */
static void compute_membership(run *rn, const assure_rule *r, json_t *doc, const char *path, bool sure,
                               membership *m)
{
	assure_eval_ctx ctx = rule_ctx(rn, NULL, doc, doc, "", path, NULL, NULL);
	ctx.epoch = 0;          /* evaluated on one member after another: nothing to remember between them */
	ctx.as_of_range = NULL; /* a membership that reads as_of is kept per day (member_of) */
	assure_value v = {0};
	char *why = NULL;
	m->state = MEMBER_IN;
	/*
	 * What is left of an unreadable return is not its content: a member missing from it
	 * may be beyond the break, so its where cannot rule it out and an absent key member
	 * leaves its group unknown. Only its key, where readable, narrows what it stops.
	 */
	if (r->group_where && sure) {
		int rc = assure_expr_eval(&v, r->group_where, &ctx, &why);
		if (rc == 0 && v.kind == ASSURE_VAL_BOOL && !v.u.b)
			m->state = MEMBER_OUT;
		else if (rc == 0 && v.kind != ASSURE_VAL_BOOL) {
			char *d = assure_value_describe(&v);
			assure_buf b = ASSURE_BUF_INIT;
			assure_buf_printf(&b, "%s is %s, not true or false",
			                  assure_expr_source(r->group_where), d);
			why = assure_buf_detach(&b);
			free(d);
			rc = ASSURE_EXPR_FAIL;
		}
		if (rc != 0) {
			m->state = MEMBER_FAILED;
			m->field = assure_xstrdup("group.where");
		}
		assure_value_clear(&v);
	}
	json_t *key = json_object();
	assure_buf text = ASSURE_BUF_INIT;
	for (size_t i = 0; m->state == MEMBER_IN && i < r->group_by_count; i++) {
		free(why);
		why = NULL;
		int rc = assure_expr_eval(&v, r->group_by[i], &ctx, &why);
		json_t *j = NULL;
		if (rc == 0 && v.kind == ASSURE_VAL_ABSENT) {
			/* a return without the key cannot be placed: the validity rules say what it lacks */
			m->state = sure ? MEMBER_OUT : MEMBER_UNKNOWN;
		} else if (rc == 0 && (v.kind == ASSURE_VAL_LIST || v.kind == ASSURE_VAL_JSON)) {
			char *d = assure_value_describe(&v);
			assure_buf b = ASSURE_BUF_INIT;
			assure_buf_printf(&b, "%s is %s, not a single value",
			                  assure_expr_source(r->group_by[i]), d);
			why = assure_buf_detach(&b);
			free(d);
			rc = ASSURE_EXPR_FAIL;
		} else if (rc == 0 && assure_value_to_json(&j, &v) != 0) {
			why = assure_xstrdup(assure_error_last());
			rc = ASSURE_EXPR_FAIL;
		}
		if (rc != 0) {
			m->state = sure ? MEMBER_FAILED : MEMBER_UNKNOWN;
			m->field = assure_xstrdup("group.by");
		} else if (j) {
			json_object_set_new(key, r->group_by_names[i], j);
			char *t = assure_value_to_string(&v);
			assure_buf_printf(&text, "%s%zu:%s:%s", i ? "\n" : "", strlen(t),
			                  assure_value_kind_name(v.kind), t);
			free(t);
		}
		assure_value_clear(&v);
	}
	if (m->state == MEMBER_IN) {
		m->key = text.len ? assure_buf_detach(&text) : assure_xstrdup("");
		m->value = key;
	} else {
		json_decref(key);
	}
	if (m->state == MEMBER_FAILED)
		m->why = assure_xstrdup(why ? why : assure_error_last());
	else {
		free(m->field);
		m->field = NULL;
	}
	assure_buf_free(&text);
	free(why);
}

/* The membership of file i, computed once per blob (and path and as_of where read). */
static membership *member_of(run *rn, struct group_state *g, const assure_rule *r, size_t i)
{
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	assure_buf key = ASSURE_BUF_INIT;
	put_file_key(&key, f);
	if (r->reads & ASSURE_EXPR_READS_AS_OF)
		assure_buf_printf(&key, "\n%ld", (long)rn->opts->as_of);
	bool added = false;
	size_t *slot = assure_strmap_slot(g->by_blob, key.ptr, key.len, &added);
	assure_buf_free(&key);
	unsigned reads = r->group_where ? assure_expr_reads(r->group_where) : 0;
	for (size_t k = 0; k < r->group_by_count; k++)
		reads |= assure_expr_reads(r->group_by[k]);
	if (!added && (!(reads & ASSURE_EXPR_READS_OTHERS) || g->blobs[*slot].check == rn->check))
		return &g->blobs[*slot];
	if (!added) {
		/* what it read elsewhere may have changed since the last check: work it out again */
		membership *m = &g->blobs[*slot];
		membership_clear(m);
		parsed *p = get_parsed(rn->e, rn->snap, i);
		compute_membership(rn, r, assure_doc_root(p->doc), f->path, true, m);
		m->check = rn->check;
		return m;
	}
	if (g->nblobs == g->capblobs) {
		g->capblobs = g->capblobs ? 2 * g->capblobs : 64;
		g->blobs = assure_xrealloc(g->blobs, g->capblobs * sizeof(membership));
	}
	*slot = g->nblobs;
	membership *m = &g->blobs[g->nblobs++];
	memset(m, 0, sizeof(*m));
	parsed *p = get_parsed(rn->e, rn->snap, i);
	compute_membership(rn, r, assure_doc_root(p->doc), f->path, true, m);
	m->check = rn->check;
	return m;
}

/* A member of a group in this check. */
typedef struct grouped {
	const char *key; /* canonical key text (borrowed from the membership) */
	json_t *value;   /* the key (borrowed) */
	size_t file;     /* index in the snapshot */
	member_at at;    /* as the group state keeps it */
} grouped;

static int cmp_grouped(const void *a, const void *b)
{
	const grouped *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->file > y->file) - (x->file < y->file);
}

/* The members gs->in[a, b) with their keys, for a group's evaluation (caller frees). */
static grouped *group_members(const struct group_state *gs, size_t a, size_t b)
{
	grouped *g = assure_xmalloc((b - a + 1) * sizeof(grouped));
	for (size_t k = a; k < b; k++) {
		const membership *m = &gs->blobs[gs->in[k].blob];
		g[k - a] = (grouped){m->key, m->value, gs->in[k].file, gs->in[k]};
	}
	return g;
}

/* A group's subject: its key's values, in order, separated by blanks. */
static char *group_subject(json_t *key)
{
	assure_buf b = ASSURE_BUF_INIT;
	const char *name;
	json_t *v;
	json_object_foreach(key, name, v)
	{
		assure_value val;
		if (b.len)
			assure_buf_putc(&b, ' ');
		if (assure_value_from_json(&val, v) == 0) {
			char *t = assure_value_to_string(&val);
			assure_buf_puts(&b, t);
			free(t);
			assure_value_clear(&val);
		}
	}
	return b.len ? assure_buf_detach(&b) : assure_xstrdup("");
}

static void eval_group(run *rn, assure_findings *out, const assure_rule *r, const grouped *g, size_t n)
{
	json_t *root = json_object(), *returns = json_array();
	json_object_set(root, "key", g[0].value);
	json_object_set_new(root, "returns", returns);
	size_t *files = assure_xmalloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		json_array_append(returns, index_entry(rn, g[i].file));
		files[i] = g[i].file;
	}
	char *subject = group_subject(g[0].value);
	eval_over_returns(rn, out, r, root, &(entry_docs){NULL, files}, subject);
	free(subject);
	free(files);
	json_decref(root);
}

/* What a group rule's where and by read. */
static unsigned membership_reads(const assure_rule *r)
{
	unsigned reads = r->group_where ? assure_expr_reads(r->group_where) : 0;
	for (size_t k = 0; k < r->group_by_count; k++)
		reads |= assure_expr_reads(r->group_by[k]);
	return reads;
}

/* Which of r's group kinds file i is (the index's filing of it), or group_kind_count for none. */
static size_t member_kind(run *rn, const assure_rule *r, size_t i)
{
	if (!ends_with_json(assure_snapshot_file(rn->snap, i)->path))
		return r->group_kind_count;
	parsed *p = get_parsed(rn->e, rn->snap, i);
	json_t *root = p && p->doc ? assure_doc_root(p->doc) : NULL;
	json_t *k = json_is_object(root) ? json_object_get(root, "kind") : NULL;
	for (size_t t = 0; json_is_string(k) && t < r->group_kind_count; t++)
		if (strcmp(r->group_kinds[t], json_string_value(k)) == 0)
			return t;
	return r->group_kind_count;
}

static int cmp_member_in(const struct group_state *gs, const member_at *a, const member_at *b)
{
	int c = strcmp(gs->blobs[a->blob].key, gs->blobs[b->blob].key);
	return c ? c : (a->file > b->file) - (a->file < b->file);
}

static int cmp_member_failed(const member_at *a, const member_at *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return (a->file > b->file) - (a->file < b->file);
}

/* Insert m into the sorted list l of n entries (room for one more), keeping its order. */
static void member_insert(const struct group_state *gs, member_at *l, size_t n, member_at m, bool in)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((in ? cmp_member_in(gs, &l[mid], &m) : cmp_member_failed(&l[mid], &m)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&l[lo + 1], &l[lo], (n - lo) * sizeof(member_at));
	l[lo] = m;
}

static group_cached *group_slot(struct group_state *gs, const char *key);

/*
 * File i's membership of r's groups, filed in gs->in or gs->failed (with room for it), in
 * order when sorted; returns it, or NULL when r does not read the file's path.
 */
static const membership *file_member(run *rn, struct group_state *gs, const assure_rule *r, size_t i,
                                     size_t t, bool sorted)
{
	if (!path_selected(rn->e, r, assure_snapshot_file(rn->snap, i)->path))
		return NULL;
	membership *m = member_of(rn, gs, r, i);
	if (m->state == MEMBER_IN && !m->group)
		m->group = (size_t)(group_slot(gs, m->key) - gs->cache) + 1;
	member_at at = {(size_t)(m - gs->blobs), i, t, m->group ? m->group - 1 : SIZE_MAX};
	if (m->state == MEMBER_IN && sorted)
		member_insert(gs, gs->in, gs->nin++, at, true);
	else if (m->state == MEMBER_IN)
		gs->in[gs->nin++] = at;
	else if (m->state == MEMBER_FAILED && sorted)
		member_insert(gs, gs->failed, gs->nfailed++, at, false);
	else if (m->state == MEMBER_FAILED)
		gs->failed[gs->nfailed++] = at;
	return m;
}

/*
 * Keep the members of the files that stayed the same, at their new places (the order stays,
 * since both snapshots are in path order); the keys of those that went go to touched.
 */
static void members_remap(const struct group_state *gs, member_at *l, size_t *n, const snap_index *x,
                          assure_strmap *touched)
{
	size_t kept = 0;
	for (size_t k = 0; k < *n; k++) {
		size_t to = remapped(x, l[k].file);
		if (to != SIZE_MAX) {
			l[kept++] = (member_at){l[k].blob, to, l[k].kind, l[k].group};
		} else if (touched) {
			const char *key = gs->blobs[l[k].blob].key;
			assure_strmap_slot(touched, key, strlen(key), NULL);
		}
	}
	*n = kept;
}

/* Whether r's memberships depend on a return's blob alone (not on other files or the day). */
static bool membership_by_blob(const assure_rule *r)
{
	return !(membership_reads(r) & (ASSURE_EXPR_READS_OTHERS | ASSURE_EXPR_READS_AS_OF));
}

/*
 * Bring gs's members, kept for the snapshot the index was updated from, to the one it now
 * describes: the files that stayed keep their memberships at their new places, the changed
 * files' new contents are placed, and the keys of the groups that lost or gained a member
 * are noted in gs->touched. Called on every update, so that the members keep up with the
 * snapshot while their rule is not evaluated.
 */
static void members_follow(run *rn, struct group_state *gs, const assure_rule *r)
{
	snap_index *x = rn->index;
	if (!gs->gen || !x->remapped || gs->gen != x->prev_gen)
		return;
	if (!gs->touched)
		gs->touched = assure_strmap_new();
	members_remap(gs, gs->in, &gs->nin, x, gs->touched);
	members_remap(gs, gs->failed, &gs->nfailed, x, NULL);
	gs->in = assure_xrealloc(gs->in, (gs->nin + x->fresh.count + 1) * sizeof(member_at));
	gs->failed = assure_xrealloc(gs->failed, (gs->nfailed + x->fresh.count + 1) * sizeof(member_at));
	for (size_t j = 0; j < x->fresh.count; j++) {
		size_t i = idx_citems(&x->fresh)[j], t = member_kind(rn, r, i);
		if (t == r->group_kind_count)
			continue;
		const membership *m = file_member(rn, gs, r, i, t, true);
		if (m && m->state == MEMBER_IN)
			assure_strmap_slot(gs->touched, m->key, strlen(m->key), NULL);
	}
	gs->gen = x->gen;
}

/*
 * The members of r's groups in this snapshot, left in gs->in sorted by key then path; returns
 * their count. A member whose key cannot be worked out is an ASSURE-EVAL in out, when out is
 * given.
 *
 * Where membership depends on the blob alone, the members are kept by the group state and
 * follow each update (members_follow), so that a commit costs what it changed plus a pass
 * over integers, not a key lookup and a sort of every member. *touched then gets the keys of
 * the groups whose members may differ from the last collect's (caller frees); it is NULL
 * when every group's may.
 */
static size_t collect_members(run *rn, struct group_state *gs, const assure_rule *r, assure_findings *out,
                              assure_strmap **touched)
{
	if (!gs->by_blob) {
		gs->by_blob = assure_strmap_new();
		gs->by_key = assure_strmap_new();
	}
	index_build(rn);
	snap_index *x = rn->index;
	*touched = NULL;
	bool by_blob = membership_by_blob(r);
	if (by_blob)
		members_follow(rn, gs, r);
	if (by_blob && gs->gen && gs->gen == x->gen) {
		*touched = gs->touched ? gs->touched : assure_strmap_new();
		gs->touched = NULL;
	} else {
		size_t cap = 0;
		for (size_t t = 0; t < r->group_kind_count; t++) {
			const idx_list *l = index_kind(rn, r->group_kinds[t]);
			cap += l ? l->count : 0;
		}
		gs->in = assure_xrealloc(gs->in, (cap + 1) * sizeof(member_at));
		gs->failed = assure_xrealloc(gs->failed, (cap + 1) * sizeof(member_at));
		gs->nin = gs->nfailed = 0;
		for (size_t t = 0; t < r->group_kind_count; t++) {
			const idx_list *l = index_kind(rn, r->group_kinds[t]);
			for (size_t j = 0; l && j < l->count; j++)
				file_member(rn, gs, r, idx_citems(l)[j], t, false);
		}
		assure_strmap_free(gs->touched);
		gs->touched = NULL;
	}
	gs->gen = by_blob ? x->gen : 0;
	for (size_t k = 0; out && k < gs->nfailed; k++) {
		const member_at *at = &gs->failed[k];
		const membership *m = &gs->blobs[at->blob];
		place pl = {assure_snapshot_file(rn->snap, at->file)->path, "",
		            get_parsed(rn->e, rn->snap, at->file)->doc, 0, 0};
		eval_failure(rn, out, r, &pl, m->field, m->why);
	}
	if (!*touched) {
		/* made from every member: sorted once, and kept in that order for the next update */
		grouped *members = group_members(gs, 0, gs->nin);
		qsort(members, gs->nin, sizeof(grouped), cmp_grouped);
		for (size_t k = 0; k < gs->nin; k++)
			gs->in[k] = members[k].at;
		free(members);
	}
	return gs->nin;
}

/* The end of the group that gs->in[a] begins (its members are together, by key). */
static size_t group_end(const struct group_state *gs, size_t a, size_t n)
{
	size_t b = a + 1;
	while (b < n && gs->in[b].group == gs->in[a].group)
		b++;
	return b;
}

/* The cache of the group with this key, made empty on first use. */
static group_cached *group_slot(struct group_state *gs, const char *key)
{
	bool added = false;
	size_t *slot = assure_strmap_slot(gs->by_key, key, strlen(key), &added);
	if (added) {
		if (gs->ncache == gs->capcache) {
			gs->capcache = gs->capcache ? 2 * gs->capcache : 16;
			gs->cache = assure_xrealloc(gs->cache, gs->capcache * sizeof(group_cached));
		}
		*slot = gs->ncache;
		memset(&gs->cache[gs->ncache], 0, sizeof(group_cached));
		assure_buf_init(&gs->cache[gs->ncache].members);
		gs->ncache++;
	}
	return &gs->cache[*slot];
}

/*
 * Whether the group of key has the members m[0, n) had when last evaluated, which it then
 * keeps in gc->members. A group collect_members did not touch, whose members were written down
 * by the collect before, has: the members' paths and ids are not listed again. One it touched
 * has not (a member came or went, or has another blob), and is not listed either: its list is
 * emptied, which no group's matches, for a later collect that has to compare.
 */
static bool same_members(run *rn, group_cached *gc, const member_at *m, size_t n, const char *key,
                         const assure_strmap *touched)
{
	size_t dummy;
	if (touched && gc->current) {
		if (!assure_strmap_get(touched, key, strlen(key), &dummy))
			return true;
		assure_buf_clear(&gc->members);
		return false;
	}
	assure_buf ids = ASSURE_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		put_file_id(&ids, assure_snapshot_file(rn->snap, m[i].file));
	/* an emptied list (a touched group's) matches none: a group has members */
	bool same = ids.len && ids.len == gc->members.len && memcmp(ids.ptr, gc->members.ptr, ids.len) == 0;
	assure_buf_free(&gc->members);
	gc->members = ids;
	return same;
}

static void eval_group_rule(run *rn, assure_findings *out, size_t k, const assure_rule *r)
{
	struct group_state *gs = &rn->e->groups[k];
	/* what is said outside any group (a member that cannot be placed) is made again each time */
	assure_findings *direct;
	assure_findings_new(&direct);
	assure_strmap *touched;
	size_t n = collect_members(rn, gs, r, direct, &touched);

	/*
	 * A return that cannot be read could belong to a group: where what is left of it says
	 * which, that group is not evaluated; where it cannot say, none is.
	 */
	assure_strmap *poisoned = assure_strmap_new();
	bool all_poisoned = false;
	for (size_t j = 0; j < rn->index->unreadable.count; j++) {
		size_t i = idx_citems(&rn->index->unreadable)[j];
		if (!path_selected(rn->e, r, assure_snapshot_file(rn->snap, i)->path) ||
		    !could_be(rn, i, (const char *const *)r->group_kinds, r->group_kind_count, NULL))
			continue;
		parsed *p = get_parsed(rn->e, rn->snap, i);
		membership m = {0};
		if (p && p->salvage)
			compute_membership(rn, r, p->salvage, assure_snapshot_file(rn->snap, i)->path, false,
			                   &m);
		else
			m.state = MEMBER_UNKNOWN;
		if (m.state == MEMBER_OUT) {
			membership_clear(&m);
			continue;
		}
		unreadable_input(rn, direct, r, i);
		if (m.state == MEMBER_IN)
			assure_strmap_slot(poisoned, m.key, strlen(m.key), NULL);
		else
			all_poisoned = true;
		membership_clear(&m);
	}

	for (size_t c = 0; c < gs->ncache; c++) {
		gs->cache[c].current = gs->cache[c].seen;
		gs->cache[c].seen = false;
	}
	for (size_t a = 0, b; a < n; a = b) {
		b = group_end(gs, a, n);
		const char *key = gs->blobs[gs->in[a].blob].key;
		size_t dummy;
		if (all_poisoned ||
		    (assure_strmap_count(poisoned) && assure_strmap_get(poisoned, key, strlen(key), &dummy)))
			continue;
		group_cached *gc = &gs->cache[gs->in[a].group];
		gc->seen = true;
		if (!same_members(rn, gc, gs->in + a, b - a, key, touched))
			cached_retire(rn, &gc->c); /* other members: start again */
		if (cached_use(rn, &gc->c, out, false))
			continue;
		gc->c.reads_as_of = (r->reads & ASSURE_EXPR_READS_AS_OF) != 0;
		grouped *members = group_members(gs, a, b);
		eval_group(rn, gc->c.findings, r, members, b - a);
		free(members);
		cached_end(rn, &gc->c, out);
	}
	/* a group that no longer has members keeps nothing: memory follows the snapshot */
	for (size_t c = 0; c < gs->ncache; c++)
		if (!gs->cache[c].seen && gs->cache[c].c.findings)
			cached_retire(rn, &gs->cache[c].c);
	if (rn->removed && rn->e->direct[k])
		assure_findings_extend(rn->removed, rn->e->direct[k]);
	assure_findings_extend(out, direct);
	assure_findings_free(rn->e->direct[k]);
	rn->e->direct[k] = direct;
	assure_strmap_free(poisoned);
	assure_strmap_free(touched);
}

/* A series' value as exact decimal text, or NULL where it is absent, null, not a number or failed. */
static char *series_value(run *rn, const assure_expr *x, json_t *root)
{
	assure_eval_ctx ctx = rule_ctx(rn, NULL, root, root, "", NULL, NULL, NULL);
	assure_value v = {0};
	char *why = NULL;
	char *text = NULL;
	if (assure_expr_eval(&v, x, &ctx, &why) == 0 && v.kind == ASSURE_VAL_NUMBER)
		text = assure_dec_format(&v.u.num);
	else
		rn->e->stats.chart_failures += v.kind != ASSURE_VAL_NULL && v.kind != ASSURE_VAL_ABSENT;
	assure_value_clear(&v);
	free(why);
	return text;
}

static char *dup_or_null(const char *s)
{
	return s ? assure_xstrdup(s) : NULL;
}

static assure_chart_point *points_copy(const assure_chart_point *p, size_t n, size_t nseries)
{
	assure_chart_point *out = assure_xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		out[i].key = assure_xstrdup(p[i].key);
		out[i].values = assure_xcalloc(nseries + 1, sizeof(char *));
		for (size_t s = 0; s < nseries; s++)
			out[i].values[s] = dup_or_null(p[i].values[s]);
	}
	return out;
}

/* What a chart's values read besides its groups' members. */
static unsigned chart_reads(const assure_chart *ch)
{
	unsigned reads = ch->group.group_where ? assure_expr_reads(ch->group.group_where) : 0;
	for (size_t i = 0; i < ch->group.group_by_count; i++)
		reads |= assure_expr_reads(ch->group.group_by[i]);
	for (size_t s = 0; s < ch->nseries; s++)
		reads |= assure_expr_reads(ch->values[s]);
	return reads;
}

/*
 * Whether chart c's points of the last check hold for this one: an update changed no return
 * of its kinds, and its values read no other file and no date that changed.
 */
static bool chart_holds(assure_engine *e, const assure_snapshot *snap, size_t c)
{
	const assure_chart *ch = assure_ruleset_chart(e->rs, c);
	if (snap != e->last || e->chart_check[c] == 0)
		return false;
	if (e->chart_check[c] == e->checks)
		return true;
	unsigned reads = chart_reads(ch);
	uint64_t kinds = 0;
	for (size_t t = 0; t < ch->group.group_kind_count; t++)
		kinds |= kind_bit(e, ch->group.group_kinds[t]);
	return e->chart_check[c] + 1 == e->checks && e->change_check == e->checks &&
	       !(e->change_kinds & kinds) && !e->change_unreadable && !(reads & ASSURE_EXPR_READS_OTHERS) &&
	       !((reads & ASSURE_EXPR_READS_AS_OF) && e->change_new_day);
}

int assure_engine_chart(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *opts,
                        size_t c, assure_chart_point **out, size_t *count)
{
	const assure_chart *ch = assure_ruleset_chart(e->rs, c);
	*out = NULL;
	*count = 0;
	if (!ch)
		return assure_error_set("no chart %zu in the rule set", c);
	if (chart_holds(e, snap, c)) {
		*out = points_copy(e->chart_points[c], e->chart_npoints[c], ch->nseries);
		*count = e->chart_npoints[c];
		e->chart_check[c] = e->checks;
		return 0;
	}
	assure_check_result result = {0};
	snap_index own = {0};
	bool shared = snap == e->last && e->index_check == e->checks;
	run rn = {.e = e,
	          .snap = snap,
	          .opts = opts,
	          .result = &result,
	          .check = new_epoch(),
	          .index = shared ? e->index : &own};
	struct group_state *gs = &e->chart_groups[c];
	/* a group's values are kept while its members are the same, unless they read more */
	bool keep = !(chart_reads(ch) & (ASSURE_EXPR_READS_OTHERS | ASSURE_EXPR_READS_AS_OF));
	assure_strmap *touched;
	size_t n = collect_members(&rn, gs, &ch->group, NULL, &touched);
	for (size_t j = 0; j < gs->ncache; j++) {
		gs->cache[j].current = gs->cache[j].seen;
		gs->cache[j].seen = false;
	}
	for (size_t a = 0, b; a < n; a = b) {
		b = group_end(gs, a, n);
		const membership *m = &gs->blobs[gs->in[a].blob];
		*out = assure_xrealloc(*out, (*count + 1) * sizeof(assure_chart_point));
		assure_chart_point *p = &(*out)[(*count)++];
		p->key = group_subject(m->value);
		p->values = assure_xcalloc(ch->nseries + 1, sizeof(char *));
		group_cached *gc = &gs->cache[gs->in[a].group];
		gc->seen = true;
		bool same = same_members(&rn, gc, gs->in + a, b - a, m->key, touched) && keep && gc->values;
		if (same) {
			for (size_t s = 0; s < ch->nseries; s++)
				p->values[s] = dup_or_null(gc->values[s]);
			continue;
		}
		json_t *root = json_object(), *returns = json_array();
		json_object_set(root, "key", m->value);
		json_object_set_new(root, "returns", returns);
		for (size_t i = a; i < b; i++)
			json_array_append(returns, index_entry(&rn, gs->in[i].file));
		rn.epoch = new_epoch();
		values_free(gc);
		gc->values = assure_xcalloc(ch->nseries + 1, sizeof(char *));
		gc->nvalues = ch->nseries;
		for (size_t s = 0; s < ch->nseries; s++) {
			p->values[s] = series_value(&rn, ch->values[s], root);
			gc->values[s] = dup_or_null(p->values[s]);
		}
		json_decref(root);
	}
	/* a group that no longer has members keeps nothing */
	for (size_t j = 0; j < gs->ncache; j++)
		if (!gs->cache[j].seen)
			values_free(&gs->cache[j]);
	assure_strmap_free(touched);
	index_free(&own);
	run_end(&rn);
	if (snap == e->last) {
		assure_chart_points_free(e->chart_points[c], e->chart_npoints[c], ch->nseries);
		e->chart_points[c] = points_copy(*out, *count, ch->nseries);
		e->chart_npoints[c] = *count;
		e->chart_check[c] = e->checks;
	}
	return 0;
}

void assure_chart_points_free(assure_chart_point *p, size_t n, size_t nseries)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		for (size_t s = 0; s < nseries; s++)
			free(p[i].values[s]);
		free(p[i].values);
	}
	free(p);
}

/*
 * After a check: what was used in it is the engine's state (what an update starts from),
 * and nothing else is.
 */
static void settle(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *opts,
                   const assure_check_result *result)
{
	for (size_t k = 0; k < e->ndyn; k++)
		e->dyn[k].n = 0;
	for (size_t i = 0; i < e->nreuse; i++) {
		reusable *r = e->reuse[i];
		r->dyn_at = 0;
		r->file.active = r->file.used == e->checks;
		for (int g = 0; g < GROUP_COUNT; g++)
			r->group[g].active = r->file.active && r->group[g].used == e->checks;
		if (r->file.active)
			dyn_add(e, r);
	}
	for (size_t k = 0; k < assure_ruleset_count(e->rs); k++) {
		cached *c = &e->snap_cache[k].c;
		c->active = c->findings && c->used == e->checks;
		for (size_t j = 0; j < e->groups[k].ncache; j++) {
			cached *g = &e->groups[k].cache[j].c;
			g->active = g->findings && g->used == e->checks;
		}
	}
	e->state = *result;
	e->last = snap;
	e->last_as_of = opts->as_of;
}

/* ---- updating the last check by a change ---- */

static void note_content(run *rn, change_set *cs, const assure_snapshot *snap, size_t i)
{
	parsed *p = known_parse(rn->e, assure_snapshot_file(snap, i));
	if (p && p->let_go && !kind_read(rn->e, p)) {
		/* no lookup reads its kind, so none can match its values: the kind is enough */
		const char *kind = kind_of(p->tops);
		if (kind)
			cs->kinds |= kind_bit(rn->e, kind);
		return;
	}
	p = get_parsed(rn->e, snap, i);
	json_t *root = p && p->doc ? assure_doc_root(p->doc) : NULL;
	if (!p || !p->doc) {
		cs->unreadable = true;
		return;
	}
	const char *kind = kind_of(root);
	if (kind)
		cs->kinds |= kind_bit(rn->e, kind);
	if (cs->nroots == cs->caproots) {
		cs->caproots = cs->caproots ? 2 * cs->caproots : 16;
		cs->roots = assure_xrealloc(cs->roots, cs->caproots * sizeof(json_t *));
	}
	cs->roots[cs->nroots++] = root;
}

/* Whether cached findings must be looked at again: their day range or their inputs may no longer hold. */
static bool stale(const cached *c, const change_set *cs)
{
	if (!c->active)
		return false;
	if (c->reads_as_of && (cs->as_of < c->valid.lo || cs->as_of > c->valid.hi))
		return true;
	if ((c->dep_kinds & cs->kinds) || (c->dep_kinds && cs->unreadable))
		return true;
	return c->dep_paths && cs->any;
}

/* Whether a group rule must be evaluated again. */
static bool group_rule_stale(run *rn, const assure_rule *r, size_t k, const change_set *cs)
{
	uint64_t kinds = 0;
	for (size_t t = 0; t < r->group_kind_count; t++)
		kinds |= kind_bit(rn->e, r->group_kinds[t]);
	if ((kinds & cs->kinds) || (cs->unreadable && cs->any))
		return true;
	unsigned reads = r->group_where ? assure_expr_reads(r->group_where) : 0;
	for (size_t i = 0; i < r->group_by_count; i++)
		reads |= assure_expr_reads(r->group_by[i]);
	if ((reads & ASSURE_EXPR_READS_OTHERS) || ((reads & ASSURE_EXPR_READS_AS_OF) && cs->new_day))
		return true;
	const struct group_state *gs = &rn->e->groups[k];
	for (size_t j = 0; j < gs->ncache; j++)
		if (stale(&gs->cache[j].c, cs))
			return true;
	return false;
}

/* Whether a snapshot-scope rule must be evaluated again. */
static bool snapshot_rule_stale(run *rn, const assure_rule *r, size_t k, const assure_change *ch, size_t nch,
                                const change_set *cs)
{
	for (size_t i = 0; i < nch; i++)
		if (path_selected(rn->e, r, ch[i].path) ||
		    (ch[i].old_path && path_selected(rn->e, r, ch[i].old_path)))
			return true;
	const cached *c = &rn->e->snap_cache[k].c;
	return !c->active || stale(c, cs);
}

/* Every finding of the engine's state, appended to out. */
static void state_findings(const assure_engine *e, assure_findings *out)
{
	for (size_t i = 0; i < e->nreuse; i++) {
		const reusable *r = e->reuse[i];
		if (!r->file.active)
			continue;
		assure_findings_extend(out, r->file.findings);
		for (int g = 0; g < GROUP_COUNT; g++)
			if (r->group[g].active && r->group[g].findings)
				assure_findings_extend(out, r->group[g].findings);
	}
	for (size_t k = 0; k < assure_ruleset_count(e->rs); k++) {
		if (e->snap_cache[k].c.active && e->snap_cache[k].c.findings)
			assure_findings_extend(out, e->snap_cache[k].c.findings);
		for (size_t j = 0; j < e->groups[k].ncache; j++)
			if (e->groups[k].cache[j].c.active && e->groups[k].cache[j].c.findings)
				assure_findings_extend(out, e->groups[k].cache[j].c.findings);
		if (e->direct[k])
			assure_findings_extend(out, e->direct[k]);
	}
}

void assure_engine_findings(const assure_engine *e, assure_findings *out)
{
	state_findings(e, out);
}

/* The kept members of every group rule and chart follow the index's update (members_follow). */
static void groups_follow(run *rn)
{
	const assure_ruleset *rs = rn->e->rs;
	for (size_t k = 0; k < assure_ruleset_count(rs); k++) {
		const assure_rule *r = assure_ruleset_rule(rs, k);
		if (r->scope == ASSURE_SCOPE_GROUP && membership_by_blob(r))
			members_follow(rn, &rn->e->groups[k], r);
	}
	for (size_t c = 0; c < assure_ruleset_chart_count(rs); c++) {
		const assure_rule *r = &assure_ruleset_chart(rs, c)->group;
		if (membership_by_blob(r))
			members_follow(rn, &rn->e->chart_groups[c], r);
	}
}

int assure_engine_update(assure_engine *e, const assure_snapshot *snap, const assure_snapshot *prev,
                         const assure_change *ch, size_t nch, const assure_check_opts *opts,
                         assure_findings *added, assure_findings *removed, assure_check_result *result)
{
	if (!prev || prev != e->last) {
		/* not the change from the last check: take back all of its findings, and check anew */
		state_findings(e, removed);
		return assure_engine_check(e, snap, opts, added, result);
	}
	e->max_file_size = opts->max_file_size ? opts->max_file_size : ASSURE_MAX_FILE_SIZE;
	e->checks++;
	assure_check_result scratch = {0};
	run rn = {.e = e,
	          .snap = snap,
	          .opts = opts,
	          .result = &scratch,
	          .check = new_epoch(),
	          .delta = true,
	          .removed = removed,
	          .index = e->index};
	bool index_kept = e->index->built && e->index_check + 1 == e->checks;
	if (!index_kept)
		index_free(e->index);
	e->index_check = e->checks;
	size_t removed_before = assure_findings_count(removed);
	size_t added_before = assure_findings_count(added);
	change_set cs = {.as_of = opts->as_of, .new_day = opts->as_of != e->last_as_of, .any = nch > 0};
	cs.paths = assure_strmap_new();
	rn.cs = &cs;

	/* 1. what changed, and the old contents' findings taken back */
	for (size_t i = 0; i < nch; i++) {
		const char *old = ch[i].kind == ASSURE_CHANGE_RENAMED ? ch[i].old_path
		                  : ch[i].kind == ASSURE_CHANGE_ADDED ? NULL
		                                                      : ch[i].path;
		assure_strmap_slot(cs.paths, ch[i].path, strlen(ch[i].path), NULL);
		if (old) {
			assure_strmap_slot(cs.paths, old, strlen(old), NULL);
			long at = assure_snapshot_find(prev, old);
			if (at >= 0) {
				note_content(&rn, &cs, prev, (size_t)at);
				retire_file(&rn, assure_snapshot_file(prev, (size_t)at));
			}
		}
		if (ch[i].kind != ASSURE_CHANGE_DELETED) {
			long at = assure_snapshot_find(snap, ch[i].path);
			if (at >= 0)
				note_content(&rn, &cs, snap, (size_t)at);
		}
	}
	if (index_kept && nch) { /* no change: the same files in the same places */
		index_update(&rn, prev, ch, nch);
		groups_follow(&rn);
	}
	/* 2. the new contents */
	for (size_t i = 0; i < nch; i++) {
		if (ch[i].kind == ASSURE_CHANGE_DELETED)
			continue;
		long at = assure_snapshot_find(snap, ch[i].path);
		if (at >= 0)
			check_file(&rn, added, (size_t)at);
	}
	/* 3. the files that did not change but whose findings read what did, or the day */
	size_t nstale = dyn_stale_files(e, &cs);
	for (size_t d = 0; d < nstale; d++) {
		reusable *ru = e->stale[d];
		if (ru->file.used == e->checks)
			continue; /* checked in 2 */
		bool visit = false;
		for (int g = 0; g < GROUP_COUNT && !visit; g++)
			visit = stale(&ru->group[g], &cs) && !holds_unvisited(&rn, &ru->group[g]);
		if (!visit)
			continue;
		const char *nl = strchr(ru->key, '\n');
		assure_buf path = ASSURE_BUF_INIT;
		assure_buf_put(&path, ru->key, (size_t)(nl - ru->key));
		long at = assure_snapshot_find(snap, path.ptr);
		assure_buf_free(&path);
		parsed *p = at >= 0 ? parse_or_kept(e, snap, (size_t)at) : NULL;
		if (!p || (!p->doc && !p->let_go))
			continue; /* cannot be: its findings were made from this content */
		for (int g = 0; g < GROUP_COUNT; g++)
			if (stale(&ru->group[g], &cs))
				check_file_group(&rn, added, ru, g, (size_t)at, p);
		dyn_add(e, ru);
		shared_clear(&rn);
		forget_locations(&rn);
		let_go_later(&rn, p);
	}
	/* 4. rules over groups and over the snapshot, where what they read changed */
	for (size_t k = 0; k < assure_ruleset_count(e->rs); k++) {
		const assure_rule *r = assure_ruleset_rule(e->rs, k);
		if (r->scope == ASSURE_SCOPE_SNAPSHOT && snapshot_rule_stale(&rn, r, k, ch, nch, &cs))
			eval_snapshot_rule(&rn, added, k, r);
		else if (r->scope == ASSURE_SCOPE_GROUP && group_rule_stale(&rn, r, k, &cs))
			eval_group_rule(&rn, added, k, r);
	}
	run_end(&rn);
	assure_strmap_free(cs.paths);
	free(cs.roots);
	e->change_check = e->checks;
	e->change_kinds = cs.kinds;
	e->change_unreadable = cs.unreadable;
	e->change_new_day = cs.new_day;

	/* the totals follow the findings that came and went */
	size_t gone = 0, came = 0;
	for (size_t i = removed_before; i < assure_findings_count(removed); i++)
		gone += strcmp(assure_findings_get(removed, i)->rule_id, ASSURE_RULE_EVAL) == 0;
	for (size_t i = added_before; i < assure_findings_count(added); i++)
		came += strcmp(assure_findings_get(added, i)->rule_id, ASSURE_RULE_EVAL) == 0;
	e->state.eval_failures = e->state.eval_failures + came - gone;
	size_t nadded = assure_findings_count(added) - added_before;
	e->nstate = e->nstate + nadded - (assure_findings_count(removed) - removed_before);
	/* what stayed without its rules being evaluated */
	e->stats.findings_reused += e->nstate - nadded;
	e->state.files_seen = assure_snapshot_count(snap);
	e->last = snap;
	e->last_as_of = opts->as_of;
	if (result)
		*result = e->state;
	return 0;
}

int assure_engine_check(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *opts,
                        assure_findings *out, assure_check_result *result)
{
	assure_check_result local = {0};
	if (!result)
		result = &local;
	memset(result, 0, sizeof(*result));
	e->max_file_size = opts->max_file_size ? opts->max_file_size : ASSURE_MAX_FILE_SIZE;
	e->checks++;
	/* the index is made anew (when first asked for) and kept for the next update */
	index_free(e->index);
	e->index_check = e->checks;
	run rn = {
	    .e = e, .snap = snap, .opts = opts, .result = result, .check = new_epoch(), .index = e->index};
	size_t n = assure_snapshot_count(snap);
	size_t before = assure_findings_count(out);
	result->files_seen = n;
	for (size_t i = 0; i < n; i++)
		check_file(&rn, out, i);
	for (size_t k = 0; k < assure_ruleset_count(e->rs); k++) {
		const assure_rule *r = assure_ruleset_rule(e->rs, k);
		if (r->scope == ASSURE_SCOPE_SNAPSHOT)
			eval_snapshot_rule(&rn, out, k, r);
		else if (r->scope == ASSURE_SCOPE_GROUP)
			eval_group_rule(&rn, out, k, r);
	}
	run_end(&rn);
	settle(e, snap, opts, result);
	e->nstate = assure_findings_count(out) - before;
	return 0;
}

json_t *assure_engine_root(assure_engine *e, const assure_snapshot *snap, size_t i)
{
	parsed *p = get_parsed(e, snap, i);
	return p && p->doc ? assure_doc_root(p->doc) : NULL;
}

json_t *assure_engine_top(assure_engine *e, const assure_snapshot *snap, size_t i, const char *name)
{
	parsed *p = parse_or_kept(e, snap, i);
	json_t *tops = p ? tops_of(p) : NULL;
	json_t *v = json_is_object(tops) ? json_object_get(tops, name) : NULL;
	return json_is_object(v) || json_is_array(v) ? NULL : v;
}

void assure_engine_retain(assure_engine *e, const assure_snapshot *const *keep, size_t n)
{
	json_t *oids = json_object();
	assure_strmap *keys = assure_strmap_new();
	assure_buf key = ASSURE_BUF_INIT;
	for (size_t s = 0; s < n; s++) {
		for (size_t i = 0; i < assure_snapshot_count(keep[s]); i++) {
			const assure_file *f = assure_snapshot_file(keep[s], i);
			json_object_set_new(oids, f->oid, json_true());
			assure_buf_clear(&key);
			put_file_key(&key, f);
			assure_strmap_slot(keys, key.ptr, key.len, NULL);
		}
	}
	assure_buf_free(&key);

	/* Compact both caches in place, keeping their order, and rebuild the indexes. */
	size_t kept = 0;
	for (size_t i = 0; i < e->nparsed; i++) {
		parsed *p = e->parsed[i];
		if (!json_object_get(oids, p->oid)) {
			assure_doc_free(p->doc);
			free(p->error);
			json_decref(p->salvage);
			json_decref(p->canon);
			json_decref(p->tops);
			free(p);
			continue;
		}
		e->parsed[kept++] = p;
	}
	e->nparsed = kept;
	oid_rebuild(e);
	kept = 0;
	assure_strmap_free(e->by_key);
	e->by_key = assure_strmap_new();
	size_t unused;
	for (size_t i = 0; i < e->nreuse; i++) {
		reusable *r = e->reuse[i];
		/* the last check's files stay: an update takes their findings back when they change */
		if (!r->file.active && !assure_strmap_get(keys, r->key, strlen(r->key), &unused)) {
			reusable_free(r);
			continue;
		}
		e->reuse[kept] = r;
		*assure_strmap_slot(e->by_key, r->key, strlen(r->key), NULL) = kept;
		kept++;
	}
	e->nreuse = kept;
	json_decref(oids);
	assure_strmap_free(keys);
}

size_t assure_engine_cached(const assure_engine *e)
{
	return e->nparsed;
}
