/*
 * walk.c: the commits of a range in a fixed order, through shallow boundaries (see walk.h).
 *
 * libgit2's revwalk (1.5, Debian 12) fails on a shallow clone as soon as it parses a
 * missing parent, and a hide callback does not help because parents are parsed before
 * it is asked. So the walk is done here: the commits of the range are collected with
 * their parents, then listed by Kahn's algorithm with a heap on (committer date, id).
 */
#include "assure/walk.h"

#include "assure/error.h"
#include "repo/repo_int.h"

#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One commit of the range. */
typedef struct node {
	char id[41];        /* full hex id */
	long long time;     /* committer date, the first key of the order */
	bool shallow;       /* its parents are missing (shallow boundary) */
	char (*pids)[41];   /* ids of the parents followed */
	size_t npids;       /* entries of pids */
	size_t *children;   /* indices of the nodes whose followed parents include it */
	size_t nchildren;   /* entries of children */
	size_t capchildren; /* allocated entries of children */
	size_t pending;     /* followed parents inside the range not yet listed */
} node;

typedef struct walk {
	git_repository *git; /* borrowed */
	json_t *shallow;     /* ids named in the shallow file (a set) */
	json_t *hidden;      /* ids reachable from the excluded side (a set) */
	json_t *index;       /* id -> index in nodes */
	node *nodes;         /* the commits of the range, in discovery order */
	size_t n;            /* entries of nodes */
	size_t cap;          /* allocated entries of nodes */
} walk;

/* A stack of ids still to visit. */
typedef struct stack {
	char (*ids)[41];
	size_t n;
	size_t cap;
} stack;

static void push(stack *s, const char *id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ids = assure_xrealloc(s->ids, s->cap * sizeof(*s->ids));
	}
	memcpy(s->ids[s->n++], id, 41);
}

static int git_fail(const char *what, const char *id)
{
	const git_error *e = git_error_last();
	return assure_error_set("%s %.12s: %s", what, id, e && e->message ? e->message : "unknown error");
}

/* The shallow file lists the commits whose parents a shallow clone left out. */
static int read_shallow(walk *w)
{
	w->shallow = json_object();
	if (!git_repository_is_shallow(w->git))
		return 0;
	char path[4096];
	snprintf(path, sizeof(path), "%sshallow", git_repository_commondir(w->git));
	FILE *f = fopen(path, "r");
	if (!f)
		return assure_error_set("cannot read '%s', which a shallow clone must have", path);
	char line[128];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		git_oid oid;
		if (strlen(line) == 40 && git_oid_fromstr(&oid, line) == 0)
			json_object_set_new(w->shallow, line, json_true());
	}
	fclose(f);
	return 0;
}

/* A commit's date and the parents to follow (none past a shallow boundary). */
static int read_commit(walk *w, const char *id, bool first_parent, long long *time, char (**pids)[41],
                       size_t *npids, bool *shallow)
{
	git_oid oid;
	git_commit *c = NULL;
	if (git_oid_fromstr(&oid, id) < 0 || git_commit_lookup(&c, w->git, &oid) < 0)
		return git_fail("cannot read commit", id);
	size_t n = git_commit_parentcount(c);
	*time = (long long)git_commit_time(c);
	*shallow = n > 0 && json_object_get(w->shallow, id) != NULL;
	*npids = *shallow ? 0 : (first_parent && n > 1 ? 1 : n);
	*pids = *npids ? assure_xcalloc(*npids, sizeof(**pids)) : NULL;
	for (size_t i = 0; i < *npids; i++)
		git_oid_tostr((*pids)[i], 41, git_commit_parent_id(c, (unsigned)i));
	git_commit_free(c);
	return 0;
}

/*
 * Visit every commit reachable from id, depth first, and either mark it hidden (hide) or
 * add it to the nodes of the range, skipping what is hidden already.
 */
static int reach(walk *w, const char *id, bool first_parent, bool hide)
{
	stack s = {0};
	int rc = 0;
	push(&s, id);
	while (s.n > 0 && rc == 0) {
		char cur[41];
		memcpy(cur, s.ids[--s.n], 41);
		if (json_object_get(w->hidden, cur) || (!hide && json_object_get(w->index, cur)))
			continue;
		node nd = {0};
		memcpy(nd.id, cur, 41);
		if ((rc = read_commit(w, cur, first_parent, &nd.time, &nd.pids, &nd.npids, &nd.shallow)) < 0)
			break;
		for (size_t i = 0; i < nd.npids; i++)
			push(&s, nd.pids[i]);
		if (hide) {
			json_object_set_new(w->hidden, cur, json_true());
			free(nd.pids);
			continue;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 256;
			w->nodes = assure_xrealloc(w->nodes, w->cap * sizeof(*w->nodes));
		}
		json_object_set_new(w->index, cur, json_integer((json_int_t)w->n));
		w->nodes[w->n++] = nd;
	}
	free(s.ids);
	return rc;
}

/* The order among commits ready to be listed: earlier committer date, then smaller id. */
static bool before(const walk *w, size_t a, size_t b)
{
	const node *x = &w->nodes[a], *y = &w->nodes[b];
	if (x->time != y->time)
		return x->time < y->time;
	return strcmp(x->id, y->id) < 0;
}

typedef struct heap {
	size_t *items;
	size_t n;
} heap;

static void heap_push(heap *h, const walk *w, size_t v)
{
	size_t i = h->n++;
	h->items[i] = v;
	while (i > 0 && before(w, h->items[i], h->items[(i - 1) / 2])) {
		size_t p = (i - 1) / 2, t = h->items[p];
		h->items[p] = h->items[i];
		h->items[i] = t;
		i = p;
	}
}

static size_t heap_pop(heap *h, const walk *w)
{
	size_t top = h->items[0];
	h->items[0] = h->items[--h->n];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && before(w, h->items[l], h->items[m]))
			m = l;
		if (r < h->n && before(w, h->items[r], h->items[m]))
			m = r;
		if (m == i)
			break;
		size_t t = h->items[m];
		h->items[m] = h->items[i];
		h->items[i] = t;
		i = m;
	}
	return top;
}

static void add_child(node *parent, size_t child)
{
	if (parent->nchildren == parent->capchildren) {
		parent->capchildren = parent->capchildren ? parent->capchildren * 2 : 2;
		parent->children =
		    assure_xrealloc(parent->children, parent->capchildren * sizeof(*parent->children));
	}
	parent->children[parent->nchildren++] = child;
}

/* Kahn's algorithm: a commit is listed once all its followed parents in the range are. */
static assure_walk_entry *order(walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		for (size_t k = 0; k < w->nodes[i].npids; k++) {
			json_t *p = json_object_get(w->index, w->nodes[i].pids[k]);
			if (!p)
				continue;
			add_child(&w->nodes[json_integer_value(p)], i);
			w->nodes[i].pending++;
		}
	assure_walk_entry *out = assure_xcalloc(w->n + 1, sizeof(*out));
	heap h = {assure_xcalloc(w->n + 1, sizeof(size_t)), 0};
	for (size_t i = 0; i < w->n; i++)
		if (!w->nodes[i].pending)
			heap_push(&h, w, i);
	size_t k = 0;
	while (h.n > 0) {
		size_t i = heap_pop(&h, w);
		memcpy(out[k].id, w->nodes[i].id, 41);
		out[k++].shallow = w->nodes[i].shallow;
		for (size_t c = 0; c < w->nodes[i].nchildren; c++)
			if (--w->nodes[w->nodes[i].children[c]].pending == 0)
				heap_push(&h, w, w->nodes[i].children[c]);
	}
	free(h.items);
	return out;
}

static int resolve(assure_repo *repo, const char *rev, size_t len, char out[41])
{
	char buf[1024];
	if (len == 0) {
		rev = "HEAD";
		len = 4;
	}
	if (len >= sizeof(buf))
		return assure_error_setc(ASSURE_EINVALID, "revision '%.40s...' is too long", rev);
	memcpy(buf, rev, len);
	buf[len] = '\0';
	return assure_repo_resolve(repo, buf, out);
}

int assure_walk_range(assure_walk_entry **out, size_t *n, assure_repo *repo, const char *range,
                      bool first_parent)
{
	*out = NULL;
	*n = 0;
	walk w = {.git = repo->git, .hidden = json_object(), .index = json_object()};
	int rc;
	const char *r = range ? range : "HEAD";
	const char *dots = strstr(r, "..");
	char from[41], to[41];
	if (dots && dots[2] == '.') {
		rc = assure_error_setc(
		    ASSURE_EINVALID, "range '%s': symmetric differences (A...B) are not supported, use A..B",
		    r);
		goto done;
	}
	if ((rc = read_shallow(&w)) < 0)
		goto done;
	if (dots) {
		if ((rc = resolve(repo, r, (size_t)(dots - r), from)) < 0 ||
		    (rc = resolve(repo, dots + 2, strlen(dots + 2), to)) < 0) {
			/* name the range the user wrote, not only the side that failed */
			char *why = assure_xstrdup(assure_error_last());
			rc = assure_error_setc(rc, "range '%s': %s", r, why);
			free(why);
			goto done;
		}
		if ((rc = reach(&w, from, false, true)) < 0)
			goto done;
	} else if ((rc = resolve(repo, r, strlen(r), to)) < 0) {
		goto done;
	}
	if ((rc = reach(&w, to, first_parent, false)) < 0)
		goto done;
	*out = order(&w);
	*n = w.n;
done:
	for (size_t i = 0; i < w.n; i++) {
		free(w.nodes[i].pids);
		free(w.nodes[i].children);
	}
	free(w.nodes);
	json_decref(w.shallow);
	json_decref(w.hidden);
	json_decref(w.index);
	return rc;
}
