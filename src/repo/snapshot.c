/*
 * snapshot.c: the sorted list of files one check sees, from a commit, the working tree
 * or plain paths, and the changes between two commits (see repo.h).
 *
 * Only regular and executable files count as files. Symbolic links and submodules
 * (gitlinks, "commit" entries in a tree), and on disk FIFOs, sockets and devices, are
 * skipped everywhere: a return is a JSON file, and a link's target or another
 * repository's commit has no content to check (assure_snapshot_skipped lists them, so
 * that the CLI can say what was not looked at). A file whose bytes are a Git LFS
 * pointer has its content elsewhere: reading it is an error that says so.
 *
 * Path strings live in an arena that is shared by every snapshot derived from one
 * another (a "chain", as an audit walks history): a derived snapshot copies the
 * previous snapshot's entries, pointers included, and only appends the paths that are
 * new. The arena is reference counted by the snapshots of the chain and freed with
 * the last of them; paths that disappear from the chain stay in it until then, which
 * costs far less than a copy of every path per commit. A chain (like the repository)
 * must be used from one thread at a time.
 */
#include "assure/repo.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/file.h"
#include "assure/utf8.h"
#include "repo/repo_int.h"

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- path arena ---- */

typedef struct chunk {
	struct chunk *next; /* older chunk */
	size_t used;        /* bytes of data in use */
	size_t cap;         /* bytes of data allocated */
	char data[];        /* NUL-terminated strings, never moved */
} chunk;

typedef struct path_arena {
	unsigned long refs; /* snapshots holding the arena */
	size_t bytes;       /* bytes of the strings stored, for the benchmark */
	chunk *head;        /* newest chunk, where strings are appended */
} path_arena;

#define CHUNK_SIZE ((size_t)64 * 1024)

static path_arena *arena_new(void)
{
	path_arena *a = assure_xcalloc(1, sizeof(*a));
	a->refs = 1;
	return a;
}

static path_arena *arena_ref(path_arena *a)
{
	a->refs++;
	return a;
}

static void arena_unref(path_arena *a)
{
	if (!a || --a->refs > 0)
		return;
	for (chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

static const char *arena_dup(path_arena *a, const char *s, size_t n)
{
	if (!a->head || a->head->cap - a->head->used < n + 1) {
		size_t cap = n + 1 > CHUNK_SIZE ? n + 1 : CHUNK_SIZE;
		chunk *c = assure_xmalloc(sizeof(*c) + cap);
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	a->bytes += n + 1;
	char *p = a->head->data + a->head->used;
	memcpy(p, s, n);
	p[n] = '\0';
	a->head->used += n + 1;
	return p;
}

/* ---- snapshots ---- */

typedef enum source {
	SRC_COMMIT,   /* blobs of a commit's tree */
	SRC_WORKTREE, /* files of the repository's working tree */
	SRC_PATHS,    /* plain files, each read from fs_paths[i] */
	SRC_INDEX,    /* blobs staged in the repository's index (what the next commit would hold) */
} source;

/*
 * Files shared by the snapshots of a walk: a snapshot derived from another takes the files
 * before the first one its commit changed from the other's block instead of copying them. A
 * commit's change is usually in the latest year, the last folder in path order, so what is
 * copied is the files after it, not the whole snapshot.
 */
typedef struct file_block {
	size_t refs;        /* snapshots using it */
	assure_file *files; /* never changed once shared */
} file_block;

struct assure_snapshot {
	source source;     /* where the files are read from */
	assure_repo *repo; /* borrowed; NULL for plain files */
	char commit[41];   /* the commit, "" unless SRC_COMMIT */
	git_oid tree;      /* the commit's root tree, for derive */
	bool tree_order;   /* files are in the order of a walk of `tree`, so derive can walk */
	file_block *base;  /* files [0, nbase), or NULL */
	size_t nbase;      /* files taken from base */
	assure_file
	    *files;   /* files [nbase, count), its own; all sorted by path, bytewise; paths in `arena` */
	size_t count; /* files in all */
	size_t cap;   /* own files allocated */
	const char **fs_paths; /* SRC_PATHS: where each file is on disk (in `arena`), else NULL */
	char *root;            /* SRC_WORKTREE: the working tree, with a trailing '/' */
	path_arena *arena;     /* shared with the snapshots of the same chain */
	bool git_ref;          /* holds a libgit2 reference of its own (plain files) */
	assure_skipped *skip;  /* SRC_WORKTREE, SRC_PATHS: what the walk left out, paths owned */
	size_t nskip;          /* entries of skip in use */
	size_t capskip;        /* entries of skip allocated */
};

static void block_unref(file_block *b)
{
	if (b && --b->refs == 0) {
		free(b->files);
		free(b);
	}
}

/* File i of s (i < s->count). */
static const assure_file *file_at(const assure_snapshot *s, size_t i)
{
	return i < s->nbase ? &s->base->files[i] : &s->files[i - s->nbase];
}

/* Room for n more own files. */
static void own_room(assure_snapshot *s, size_t n)
{
	size_t own = s->count - s->nbase;
	if (own + n <= s->cap)
		return;
	while (own + n > s->cap)
		s->cap = s->cap ? s->cap * 2 : 256;
	s->files = assure_xrealloc(s->files, s->cap * sizeof(*s->files));
	if (s->source == SRC_PATHS)
		s->fs_paths = assure_xrealloc(s->fs_paths, s->cap * sizeof(*s->fs_paths));
}

/* Append files [from, to) of o to s's own. */
static void append_range(assure_snapshot *s, const assure_snapshot *o, size_t from, size_t to)
{
	if (from >= to)
		return;
	own_room(s, to - from);
	assure_file *at = s->files + (s->count - s->nbase);
	/* [from, split) are in o's base, [split, to) in its own */
	size_t split = o->nbase < from ? from : o->nbase < to ? o->nbase : to;
	if (split > from)
		memcpy(at, o->base->files + from, (split - from) * sizeof(*at));
	if (to > split)
		memcpy(at + (split - from), o->files + (split - o->nbase), (to - split) * sizeof(*at));
	s->count += to - from;
}

/*
 * All of s's files in one block of its own, for the snapshots derived from it to share: its
 * own array is taken as it is when it has no base, else base and own are copied into one.
 */
static void make_block(assure_snapshot *s)
{
	file_block *b = assure_xmalloc(sizeof(*b));
	b->refs = 1;
	if (!s->base) {
		b->files = s->files;
	} else {
		b->files = assure_xmalloc((s->count + 1) * sizeof(*b->files));
		memcpy(b->files, s->base->files, s->nbase * sizeof(*b->files));
		memcpy(b->files + s->nbase, s->files, (s->count - s->nbase) * sizeof(*b->files));
		free(s->files);
		block_unref(s->base);
	}
	s->files = NULL;
	s->cap = 0;
	s->base = b;
	s->nbase = s->count;
}

static assure_snapshot *snapshot_new(source src, assure_repo *repo, path_arena *arena)
{
	assure_snapshot *s = assure_xcalloc(1, sizeof(*s));
	s->source = src;
	s->repo = repo;
	s->arena = arena ? arena_ref(arena) : arena_new();
	return s;
}

void assure_snapshot_free(assure_snapshot *s)
{
	if (!s)
		return;
	block_unref(s->base);
	free(s->files);
	free(s->fs_paths);
	free(s->root);
	assure_skipped_free(s->skip, s->nskip);
	arena_unref(s->arena);
	if (s->git_ref)
		rp_git_shutdown();
	free(s);
}

static assure_file *push_file(assure_snapshot *s, const char *path, const char *oid)
{
	own_room(s, 1);
	assure_file *f = &s->files[s->count++ - s->nbase];
	f->path = path;
	memcpy(f->oid, oid, 40);
	f->oid[40] = '\0';
	return f;
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const assure_file *)a)->path, ((const assure_file *)b)->path);
}

size_t assure_snapshot_count(const assure_snapshot *s)
{
	return s->count;
}

const assure_file *assure_snapshot_file(const assure_snapshot *s, size_t i)
{
	return i < s->count ? file_at(s, i) : NULL;
}

long assure_snapshot_find(const assure_snapshot *s, const char *path)
{
	size_t lo = 0, hi = s->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(file_at(s, mid)->path, path);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const char *assure_snapshot_commit(const assure_snapshot *s)
{
	return s->source == SRC_COMMIT ? s->commit : NULL;
}

const char *assure_snapshot_kind(const assure_snapshot *s)
{
	static const char *const kinds[] = {"a commit", "the working tree", "files", "the index"};
	return kinds[s->source];
}

size_t rp_snapshot_path_bytes(const assure_snapshot *s)
{
	return s->arena->bytes;
}

/* ---- reading files ---- */

/* A file on disk; one swapped for a FIFO since it was listed is refused, not waited on. */
static int read_fs(const char *fs, char **data, size_t *len)
{
	return assure_file_read(fs, data, len);
}

static int read_blob(assure_repo *repo, const assure_file *f, char **data, size_t *len)
{
	git_oid id;
	git_blob *blob = NULL;
	if (git_oid_fromstrn(&id, f->oid, 40) < 0 || git_blob_lookup(&blob, repo->git, &id) < 0)
		return assure_error_set("cannot read '%s' (blob %s): %s", f->path, f->oid, rp_git_why());
	repo->stats.blobs_read++;
	size_t n = (size_t)git_blob_rawsize(blob);
	char *p = assure_xmalloc(n + 1);
	memcpy(p, git_blob_rawcontent(blob), n);
	p[n] = '\0';
	git_blob_free(blob);
	*data = p;
	*len = n;
	return 0;
}

/*
 * Whether data is a Git LFS pointer (git-lfs docs/spec.md): under 1024 bytes, its first line
 * the spec's version. Its oid and size, when it gives them, go in *what for the message.
 */
static bool lfs_pointer(const char *data, size_t len, assure_buf *what)
{
	static const char *const versions[] = {"version https://git-lfs.github.com/spec/",
	                                       "version https://hawser.github.com/spec/v1"};
	if (len >= 1024)
		return false;
	bool yes = false;
	/*
	 * data is never NULL: assure_snapshot_read calls this after a read that returned 0 and so set
	 * it; the analyzer does not see that assure_error_set (error.c), on the others, never returns 0.
	 */
	for (size_t k = 0; k < sizeof(versions) / sizeof(*versions) && !yes; k++)
		/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
		yes = strncmp(data, versions[k], strlen(versions[k])) == 0;
	if (!yes)
		return false;
	/* only the characters the spec allows in the two values are shown */
	const char *oid = strstr(data, "\noid "), *size = strstr(data, "\nsize ");
	size_t noid = oid ? strspn(oid + 5, "abcdefghijklmnopqrstuvwxyz0123456789:") : 0;
	size_t nsize = size ? strspn(size + 6, "0123456789") : 0;
	if (noid > 0 && nsize > 0)
		assure_buf_printf(what, " (%.*s, %.*s bytes)", (int)(noid > 19 ? 19 : noid), oid + 5,
		                  (int)nsize, size + 6);
	return true;
}

int assure_snapshot_read(const assure_snapshot *s, size_t i, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (i >= s->count)
		return assure_error_setc(ASSURE_ENOTFOUND, "no file %zu in the snapshot", i);
	int rc = 0;
	switch (s->source) {
	case SRC_COMMIT:
	case SRC_INDEX: /* staged content is a blob in the object database, as a commit's is */
		rc = read_blob(s->repo, file_at(s, i), data, len);
		break;
	case SRC_WORKTREE: {
		assure_buf fs = ASSURE_BUF_INIT;
		assure_buf_init(&fs);
		assure_buf_printf(&fs, "%s%s", s->root, file_at(s, i)->path);
		rc = read_fs(fs.ptr, data, len);
		assure_buf_free(&fs);
		break;
	}
	case SRC_PATHS:
		rc = read_fs(s->fs_paths[i], data, len);
		break;
	}
	if (rc < 0)
		return rc;
	assure_buf what = ASSURE_BUF_INIT;
	if (!lfs_pointer(*data, *len, &what))
		return 0;
	/* the pointer's bytes are not the file: reading them as JSON would blame the submitter */
	free(*data);
	*data = NULL;
	*len = 0;
	if (s->repo)
		s->repo->stats.lfs_pointers++;
	rc = assure_error_setc(ASSURE_EINVALID,
	                       "'%s' is a Git LFS pointer%s: its content is not in the %s, so it was not "
	                       "checked (%s)",
	                       file_at(s, i)->path, what.ptr ? what.ptr : "",
	                       s->source != SRC_WORKTREE && s->source != SRC_PATHS ? "repository" : "file",
	                       s->source != SRC_WORKTREE && s->source != SRC_PATHS
	                           ? "Git LFS keeps it elsewhere; 'git lfs pull' "
	                             "fetches it into a working tree, which "
	                             "--worktree checks"
	                           : "'git lfs pull' fetches it");
	assure_buf_free(&what);
	return rc;
}

int assure_snapshot_size(const assure_snapshot *s, size_t i, uint64_t *size)
{
	*size = 0;
	if (i >= s->count)
		return assure_error_setc(ASSURE_ENOTFOUND, "no file %zu in the snapshot", i);
	if (s->source == SRC_COMMIT || s->source == SRC_INDEX) {
		git_odb *odb = NULL;
		git_oid id;
		size_t n = 0;
		git_object_t type;
		if (git_oid_fromstrn(&id, file_at(s, i)->oid, 40) < 0 ||
		    git_repository_odb(&odb, s->repo->git) < 0 ||
		    git_odb_read_header(&n, &type, odb, &id) < 0) {
			git_odb_free(odb);
			return assure_error_set("cannot read '%s' (blob %s): %s", file_at(s, i)->path,
			                        file_at(s, i)->oid, rp_git_why());
		}
		git_odb_free(odb);
		*size = n;
		return 0;
	}
	assure_buf fs = ASSURE_BUF_INIT;
	if (s->source == SRC_WORKTREE)
		assure_buf_printf(&fs, "%s%s", s->root, file_at(s, i)->path);
	else
		assure_buf_puts(&fs, s->fs_paths[i]);
	struct stat st;
	int rc = stat(fs.ptr, &st);
	if (rc < 0)
		rc = assure_error_set("cannot read '%s': %s", fs.ptr, strerror(errno));
	else
		*size = (uint64_t)st.st_size;
	assure_buf_free(&fs);
	return rc;
}

/* ---- walking commits ---- */

/* A change while walking; paths point into the snapshots involved, copied at the end. */
typedef struct change_rec {
	int kind;             /* assure_change_kind, or DROPPED once paired into a rename */
	const char *path;     /* as in assure_change */
	const char *old_path; /* RENAMED only */
	char oid[41];         /* the content, to pair renames */
} change_rec;

#define DROPPED (-1)

/* Returned inside the walk when `prev` does not follow its tree: derive falls back. */
#define MISMATCH (-100)

typedef enum entry_kind {
	K_SKIP, /* symbolic link or submodule */
	K_FILE, /* regular or executable file */
	K_DIR,  /* tree */
} entry_kind;

typedef struct walker {
	assure_repo *repo;           /* where trees are read */
	const assure_snapshot *prev; /* the old side, or NULL */
	size_t cursor;               /* next file of prev not yet accounted for */
	assure_snapshot *out;        /* the new side, being built */
	bool sharing;                /* out is prev's files [0, cursor) so far, not yet put in out */
	bool record;                 /* collect changes */
	change_rec *changes;         /* the changes so far, in path order */
	size_t nchanges;             /* changes in use */
	size_t capchanges;           /* changes allocated */
	assure_buf path;             /* the current folder, "" or ending in '/' */
} walker;

static entry_kind kind_of(const git_tree_entry *e)
{
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		return K_FILE;
	case GIT_FILEMODE_TREE:
		return K_DIR;
	default:
		return K_SKIP;
	}
}

/*
 * git's order of tree entries: names bytewise, a tree's name as if followed by '/'.
 * It is the bytewise order of the full paths below, so a walk in this order lists
 * files already sorted.
 */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	size_t la = strlen(na), lb = strlen(nb), n = la < lb ? la : lb;
	int c = memcmp(na, nb, n);
	if (c != 0)
		return c;
	/* cppcheck-suppress knownConditionTrueFalse ; false positive: la > n when na is the longer name */
	unsigned char ca = la > n ? (unsigned char)na[n] : kind_of(a) == K_DIR ? '/' : 0;
	unsigned char cb = lb > n ? (unsigned char)nb[n] : kind_of(b) == K_DIR ? '/' : 0;
	return (int)ca - (int)cb;
}

static void record(walker *w, int kind, const char *path, const char *oid)
{
	if (!w->record)
		return;
	if (w->nchanges == w->capchanges) {
		w->capchanges = w->capchanges ? w->capchanges * 2 : 16;
		w->changes = assure_xrealloc(w->changes, w->capchanges * sizeof(*w->changes));
	}
	change_rec *r = &w->changes[w->nchanges++];
	r->kind = kind;
	r->path = path;
	r->old_path = NULL;
	memcpy(r->oid, oid, sizeof(r->oid));
}

/*
 * The walk leaves prev's order after prev's first n files (a file added, changed or deleted):
 * out takes those, the ones in prev's base shared, the others copied.
 */
static void diverge_after(walker *w, size_t n)
{
	if (!w->sharing)
		return;
	w->sharing = false;
	assure_snapshot *o = w->out;
	const assure_snapshot *p = w->prev;
	size_t shared = n < p->nbase ? n : p->nbase;
	if (shared) {
		o->base = p->base;
		o->base->refs++;
		o->nbase = o->count = shared;
	}
	append_range(o, p, shared, n);
}

/* diverge_after() the files of prev the walk has accounted for so far. */
static void diverge(walker *w)
{
	diverge_after(w, w->cursor);
}

/* Append a file to the new side, noting a tree whose entries are out of git's order. */
static int emit(walker *w, const char *path, const char *oid)
{
	diverge(w);
	if (w->out->count > 0 && strcmp(file_at(w->out, w->out->count - 1)->path, path) >= 0)
		w->out->tree_order = false;
	push_file(w->out, path, oid);
	return 0;
}

/* The next file of prev, which must be the one at the current folder + name. */
static int consume(walker *w, const char *name, const assure_file **out)
{
	const assure_snapshot *p = w->prev;
	size_t len = w->path.len;
	assure_buf_puts(&w->path, name);
	bool ok = p && w->cursor < p->count && strcmp(file_at(p, w->cursor)->path, w->path.ptr) == 0;
	w->path.len = len;
	w->path.ptr[len] = '\0';
	if (!ok)
		return MISMATCH;
	*out = file_at(p, w->cursor++);
	return 0;
}

/* The files of prev under the current folder + name + '/': [cursor, *end). */
static int prev_range(walker *w, const char *name, size_t *end)
{
	const assure_snapshot *p = w->prev;
	size_t len = w->path.len;
	assure_buf_puts(&w->path, name);
	assure_buf_putc(&w->path, '/');
	const char *prefix = w->path.ptr;
	size_t plen = w->path.len;
	size_t lo = w->cursor, hi = p ? p->count : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(file_at(p, mid)->path, prefix, plen) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool ok = lo == w->cursor || strncmp(file_at(p, w->cursor)->path, prefix, plen) == 0;
	w->path.len = len;
	w->path.ptr[len] = '\0';
	*end = lo;
	return ok ? 0 : MISMATCH;
}

static int walk(walker *w, const git_tree *old, const git_tree *new);

/* Walk one subtree (of the old side, the new side or both) under the current folder + name. */
static int descend(walker *w, const git_tree_entry *eo, const git_tree_entry *en)
{
	git_tree *to = NULL, *tn = NULL;
	int rc = 0;
	size_t len = w->path.len;
	assure_buf_puts(&w->path, git_tree_entry_name(en ? en : eo));
	assure_buf_putc(&w->path, '/');
	if ((eo && rp_tree_lookup(&to, w->repo, git_tree_entry_id(eo), w->prev ? w->prev->commit : "",
	                          w->path.ptr) < 0) ||
	    (en && rp_tree_lookup(&tn, w->repo, git_tree_entry_id(en), w->out->commit, w->path.ptr) < 0))
		rc = ASSURE_ERROR;
	else
		rc = walk(w, to, tn);
	w->path.len = len;
	w->path.ptr[len] = '\0';
	git_tree_free(to);
	git_tree_free(tn);
	return rc;
}

static int take_old(walker *w, const git_tree_entry *eo)
{
	const assure_file *f;
	size_t end;
	diverge(w); /* what is deleted is not in out: the files after it move */
	switch (kind_of(eo)) {
	case K_FILE:
		if (consume(w, git_tree_entry_name(eo), &f) < 0)
			return MISMATCH;
		record(w, ASSURE_CHANGE_DELETED, f->path, f->oid);
		return 0;
	case K_DIR:
		/* A deleted folder is read from prev, not from its tree. */
		if (prev_range(w, git_tree_entry_name(eo), &end) < 0)
			return MISMATCH;
		for (; w->cursor < end; w->cursor++)
			record(w, ASSURE_CHANGE_DELETED, file_at(w->prev, w->cursor)->path,
			       file_at(w->prev, w->cursor)->oid);
		return 0;
	case K_SKIP:
		return 0;
	}
	return 0;
}

static int take_new(walker *w, const git_tree_entry *en)
{
	switch (kind_of(en)) {
	case K_FILE: {
		size_t len = w->path.len;
		assure_buf_puts(&w->path, git_tree_entry_name(en));
		const char *path = arena_dup(w->out->arena, w->path.ptr, w->path.len);
		w->path.len = len;
		w->path.ptr[len] = '\0';
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(en));
		emit(w, path, hex);
		record(w, ASSURE_CHANGE_ADDED, path, hex);
		return 0;
	}
	case K_DIR:
		return descend(w, NULL, en);
	case K_SKIP:
		return 0;
	}
	return 0;
}

static int take_pair(walker *w, const git_tree_entry *eo, const git_tree_entry *en)
{
	entry_kind ko = kind_of(eo), kn = kind_of(en);
	if (ko != kn) {
		int rc = take_old(w, eo);
		return rc < 0 ? rc : take_new(w, en);
	}
	switch (ko) {
	case K_FILE: {
		const assure_file *f;
		if (consume(w, git_tree_entry_name(eo), &f) < 0)
			return MISMATCH;
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(en));
		bool same = memcmp(f->oid, hex, GIT_OID_HEXSZ) == 0;
		if (same && w->sharing)
			return 0;                /* prev's file, at the same place */
		diverge_after(w, w->cursor - 1); /* prev's files before this one */
		emit(w, f->path, hex);
		if (!same)
			record(w, ASSURE_CHANGE_MODIFIED, f->path, hex);
		return 0;
	}
	case K_DIR: {
		if (!git_oid_equal(git_tree_entry_id(eo), git_tree_entry_id(en)))
			return descend(w, eo, en);
		/* The same tree: its files are prev's, copied without reading it. */
		size_t end;
		if (prev_range(w, git_tree_entry_name(eo), &end) < 0)
			return MISMATCH;
		size_t n = end - w->cursor;
		if (n == 0)
			return 0;
		assure_snapshot *o = w->out;
		if (!w->sharing) {
			if (o->count > 0 &&
			    strcmp(file_at(o, o->count - 1)->path, file_at(w->prev, w->cursor)->path) >= 0)
				o->tree_order = false;
			append_range(o, w->prev, w->cursor, end);
		}
		w->cursor = end;
		return 0;
	}
	case K_SKIP:
		return 0;
	}
	return 0;
}

/* Walk two trees (either may be NULL) together, in git's order. */
static int walk(walker *w, const git_tree *old, const git_tree *new)
{
	size_t no = old ? git_tree_entrycount(old) : 0, nn = new ? git_tree_entrycount(new) : 0;
	size_t i = 0, j = 0;
	while (i < no || j < nn) {
		const git_tree_entry *eo = i < no ? git_tree_entry_byindex(old, i) : NULL;
		const git_tree_entry *en = j < nn ? git_tree_entry_byindex(new, j) : NULL;
		int c = !eo ? 1 : !en ? -1 : entry_cmp(eo, en);
		int rc;
		if (c < 0) {
			rc = take_old(w, eo);
			i++;
		} else if (c > 0) {
			rc = take_new(w, en);
			j++;
		} else {
			rc = take_pair(w, eo, en);
			i++;
			j++;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A commit's snapshot, empty and ready to be filled by a walk of its tree. */
static int commit_snapshot(assure_snapshot **out, git_tree **tree, assure_repo *repo, const char *commit_oid,
                           path_arena *arena, size_t files_hint)
{
	*out = NULL;
	*tree = NULL;
	git_oid id;
	if (rp_parse_oid(&id, commit_oid) < 0)
		return ASSURE_EINVALID;
	git_commit *c = NULL;
	int rc = git_commit_lookup(&c, repo->git, &id);
	if (rc == GIT_ENOTFOUND)
		return assure_error_setc(ASSURE_ENOTFOUND, "commit '%s' not found", commit_oid);
	if (rc < 0)
		return assure_error_setc(ASSURE_EINVALID, "commit '%s' cannot be read: %s", commit_oid,
		                         rp_git_why());
	assure_snapshot *s = snapshot_new(SRC_COMMIT, repo, arena);
	git_oid_tostr(s->commit, sizeof(s->commit), &id);
	git_oid_cpy(&s->tree, git_commit_tree_id(c));
	s->tree_order = true;
	if (files_hint) { /* sized as its parent's own files, so that copying them never moves it */
		s->cap = files_hint + files_hint / 16 + 16;
		s->files = assure_xmalloc(s->cap * sizeof(*s->files));
	}
	git_commit_free(c);
	if (rp_tree_lookup(tree, repo, &s->tree, s->commit, NULL) < 0) {
		assure_snapshot_free(s);
		return ASSURE_ERROR;
	}
	*out = s;
	return 0;
}

/* Sort what a walk built, if the trees were not in git's order (git fsck would object). */
static void finish_order(assure_snapshot *s)
{
	/*
	 * s is never NULL: commit_snapshot sets it whenever it returns 0; the analyzer does not see
	 * that assure_error_setc (error.c), on its other paths, returns the negative code it is given.
	 */
	if (!s->tree_order) /* NOLINT(clang-analyzer-core.NullDereference) */
		qsort(s->files, s->count, sizeof(*s->files), cmp_files);
}

int assure_snapshot_from_commit(assure_snapshot **out, assure_repo *repo, const char *commit_oid)
{
	*out = NULL;
	git_tree *tree;
	assure_snapshot *s;
	int rc = commit_snapshot(&s, &tree, repo, commit_oid, NULL, 0);
	if (rc < 0)
		return rc;
	walker w = {.repo = repo, .out = s};
	assure_buf_init(&w.path);
	rc = walk(&w, NULL, tree);
	assure_buf_free(&w.path);
	git_tree_free(tree);
	if (rc < 0) {
		assure_snapshot_free(s);
		return rc;
	}
	finish_order(s);
	make_block(s); /* for the snapshots derived from it to share */
	*out = s;
	return 0;
}

/* Changes between two sorted snapshots (a may be NULL) by their lists, when they cannot be walked. */
static void diff_lists(walker *w, const assure_snapshot *a, const assure_snapshot *b)
{
	size_t i = 0, j = 0, na = a ? a->count : 0;
	while (i < na || j < b->count) {
		int c = i == na ? 1 : j == b->count ? -1 : strcmp(file_at(a, i)->path, file_at(b, j)->path);
		if (c < 0) {
			record(w, ASSURE_CHANGE_DELETED, file_at(a, i)->path, file_at(a, i)->oid);
			i++;
		} else if (c > 0) {
			record(w, ASSURE_CHANGE_ADDED, file_at(b, j)->path, file_at(b, j)->oid);
			j++;
		} else {
			const assure_file *fa = file_at(a, i), *fb = file_at(b, j);
			if (strcmp(fa->oid, fb->oid) != 0)
				record(w, ASSURE_CHANGE_MODIFIED, fb->path, fb->oid);
			i++;
			j++;
		}
	}
}

static int cmp_rec_by_oid(const void *a, const void *b)
{
	const change_rec *x = *(change_rec *const *)a, *y = *(change_rec *const *)b;
	int c = strcmp(x->oid, y->oid);
	return c ? c : strcmp(x->path, y->path);
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const assure_change *)a)->path, ((const assure_change *)b)->path);
}

/*
 * Exact renames: a deleted path and an added path with the same content. Within one
 * content, the deleted paths in path order pair with the added paths in path order.
 */
static void pair_renames(walker *w)
{
	size_t nd = 0, na = 0;
	for (size_t i = 0; i < w->nchanges; i++) {
		nd += w->changes[i].kind == ASSURE_CHANGE_DELETED;
		na += w->changes[i].kind == ASSURE_CHANGE_ADDED;
	}
	if (nd == 0 || na == 0)
		return;
	change_rec **del = assure_xmalloc(nd * sizeof(*del)), **add = assure_xmalloc(na * sizeof(*add));
	nd = na = 0;
	for (size_t i = 0; i < w->nchanges; i++) {
		if (w->changes[i].kind == ASSURE_CHANGE_DELETED)
			del[nd++] = &w->changes[i];
		else if (w->changes[i].kind == ASSURE_CHANGE_ADDED)
			add[na++] = &w->changes[i];
	}
	qsort(del, nd, sizeof(*del), cmp_rec_by_oid);
	qsort(add, na, sizeof(*add), cmp_rec_by_oid);
	for (size_t i = 0, j = 0; i < nd && j < na;) {
		int c = strcmp(del[i]->oid, add[j]->oid);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			add[j]->kind = ASSURE_CHANGE_RENAMED;
			add[j]->old_path = del[i]->path;
			del[i]->kind = DROPPED;
			i++;
			j++;
		}
	}
	free(del);
	free(add);
}

static void export_changes(walker *w, assure_change **changes, size_t *nchanges)
{
	pair_renames(w);
	size_t n = 0;
	for (size_t i = 0; i < w->nchanges; i++)
		n += w->changes[i].kind != DROPPED;
	assure_change *c = n ? assure_xcalloc(n, sizeof(*c)) : NULL;
	n = 0;
	for (size_t i = 0; i < w->nchanges; i++) {
		const change_rec *r = &w->changes[i];
		if (r->kind == DROPPED)
			continue;
		c[n].kind = (assure_change_kind)r->kind;
		c[n].path = assure_xstrdup(r->path);
		c[n].old_path = r->old_path ? assure_xstrdup(r->old_path) : NULL;
		n++;
	}
	/* A walk records in path order already; sorting keeps that a promise, not a coincidence. */
	if (n > 1)
		qsort(c, n, sizeof(*c), cmp_change);
	*changes = c;
	*nchanges = n;
}

void assure_changes_free(assure_change *changes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(changes[i].path);
		free(changes[i].old_path);
	}
	free(changes);
}

int assure_snapshot_derive(assure_snapshot **out, assure_change **changes, size_t *nchanges,
                           assure_repo *repo, const assure_snapshot *prev, const char *commit_oid)
{
	*out = NULL;
	*changes = NULL;
	*nchanges = 0;
	bool walkable = !prev || (prev->source == SRC_COMMIT && prev->repo == repo && prev->tree_order);
	git_tree *tree = NULL, *old = NULL;
	assure_snapshot *s = NULL;
	walker w = {
	    .repo = repo, .prev = walkable ? prev : NULL, .record = true, .sharing = walkable && prev};
	assure_buf_init(&w.path);
	int rc = commit_snapshot(&s, &tree, repo, commit_oid, walkable && prev ? prev->arena : NULL,
	                         walkable && prev ? prev->count - prev->nbase : 0);
	/* s is set whenever rc is 0 (see finish_order); said so that the analyzer sees it too */
	if (rc < 0 || !s) {
		rc = rc < 0 ? rc : ASSURE_ERROR;
		goto done;
	}
	w.out = s;
	if (walkable) {
		if (prev && (rc = rp_tree_lookup(&old, repo, &prev->tree, prev->commit, NULL)) < 0)
			goto done;
		rc = walk(&w, old, tree);
		if (rc == 0)
			diverge(&w); /* nothing changed: all of prev's files */
		if (rc == MISMATCH || (rc == 0 && !s->tree_order)) {
			/* Trees out of git's order: start again from the two lists. */
			walkable = false;
			w.nchanges = 0;
		} else if (rc < 0) {
			goto done;
		}
	}
	if (!walkable) {
		assure_snapshot_free(s);
		s = NULL;
		if ((rc = assure_snapshot_from_commit(&s, repo, commit_oid)) < 0)
			goto done;
		diff_lists(&w, prev, s);
	}
	export_changes(&w, changes, nchanges);
	/* once its own files are many, they become a block the next snapshots share */
	if (s->count - s->nbase > 1024 && s->count - s->nbase > s->count / 8)
		make_block(s);
	*out = s;
	s = NULL;
	rc = 0;
done:
	git_tree_free(tree);
	git_tree_free(old);
	assure_buf_free(&w.path);
	free(w.changes);
	assure_snapshot_free(s);
	return rc;
}

/* ---- working tree and plain files ---- */

/* What to do with the files found while walking a folder. */
typedef struct dir_walk {
	assure_snapshot *s;  /* where files go */
	const char *fs_base; /* the folder on disk, without a trailing '/' */
	git_repository *git; /* a working tree's repository, to honour .gitignore; or NULL */
	git_index *index;    /* its index: tracked files are kept even if ignored */
	assure_buf rel;      /* current path relative to fs_base, "" or ending in '/' */
	assure_buf fs;       /* scratch: fs_base + '/' + rel + name */
} dir_walk;

/* Hash a file's bytes as git hashes a blob, so ids match `git hash-object`. */
static int hash_file(const char *fs, char oid[41])
{
	char *data;
	size_t len;
	if (read_fs(fs, &data, &len) < 0)
		return ASSURE_ERROR;
	git_oid id;
	int rc = git_odb_hash(&id, data, len, GIT_OBJECT_BLOB);
	free(data);
	if (rc < 0)
		return rp_git_error("cannot hash a file");
	git_oid_tostr(oid, 41, &id);
	return 0;
}

static int add_disk_file(assure_snapshot *s, const char *name, size_t nlen, const char *fs)
{
	char oid[41];
	if (hash_file(fs, oid) < 0)
		return ASSURE_ERROR;
	push_file(s, arena_dup(s->arena, name, nlen), oid);
	if (s->source == SRC_PATHS)
		s->fs_paths[s->count - 1] = arena_dup(s->arena, fs, strlen(fs));
	return 0;
}

/*
 * In a working tree, a folder holding .git is another repository (a submodule or a
 * nested clone), skipped as git skips it. Plain folders know nothing of git: only
 * .git itself is left out there.
 */
static bool is_nested_repo(const char *fs_dir)
{
	assure_buf p = ASSURE_BUF_INIT;
	assure_buf_init(&p);
	assure_buf_printf(&p, "%s/.git", fs_dir);
	struct stat st;
	bool yes = lstat(p.ptr, &st) == 0;
	assure_buf_free(&p);
	return yes;
}

/* Whether .gitignore ignores the path (relative, no trailing '/'), unless git tracks it. */
static int ignored(dir_walk *d, const char *rel, bool is_dir, bool *out)
{
	*out = false;
	if (!d->git)
		return 0;
	int ign = 0;
	if (git_ignore_path_is_ignored(&ign, d->git, rel) < 0)
		return rp_git_error("cannot read .gitignore");
	if (!ign)
		return 0;
	if (is_dir) {
		assure_buf pfx = ASSURE_BUF_INIT;
		assure_buf_init(&pfx);
		assure_buf_printf(&pfx, "%s/", rel);
		size_t pos;
		*out = git_index_find_prefix(&pos, d->index, pfx.ptr) != 0;
		assure_buf_free(&pfx);
	} else {
		*out = git_index_get_bypath(d->index, rel, 0) == NULL;
	}
	return 0;
}

/* Note an entry a walk of folders leaves out (see assure_snapshot_skipped). */
static void skip_disk(assure_snapshot *s, const char *path, assure_skip_kind kind)
{
	if (s->nskip == s->capskip) {
		s->capskip = s->capskip ? s->capskip * 2 : 8;
		s->skip = assure_xrealloc(s->skip, s->capskip * sizeof(*s->skip));
	}
	s->skip[s->nskip++] = (assure_skipped){assure_xstrdup(path), kind, ""};
}

static int walk_dir(dir_walk *d)
{
	assure_buf_clear(&d->fs);
	assure_buf_printf(&d->fs, "%s/%s", d->fs_base, d->rel.ptr);
	DIR *dir = opendir(d->fs.ptr);
	if (!dir)
		return assure_error_set("cannot read folder '%s': %s", d->fs.ptr, strerror(errno));
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		const char *name = de->d_name;
		/* .git is git's own storage (a folder, or a file in linked work trees). */
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, ".git") == 0)
			continue;
		size_t rlen = d->rel.len;
		assure_buf_puts(&d->rel, name);
		assure_buf_clear(&d->fs);
		assure_buf_printf(&d->fs, "%s/%s", d->fs_base, d->rel.ptr);
		struct stat st;
		bool skip = false;
		/* lstat: symbolic links are skipped, as in commits, which also rules out loops. */
		if (lstat(d->fs.ptr, &st) < 0) {
			rc = assure_error_set("cannot read '%s': %s", d->fs.ptr, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = ignored(d, d->rel.ptr, true, &skip);
			if (rc == 0 && !skip && d->git && is_nested_repo(d->fs.ptr)) {
				skip_disk(d->s, d->rel.ptr, ASSURE_SKIP_SUBMODULE);
				skip = true;
			}
			if (rc == 0 && !skip) {
				assure_buf_putc(&d->rel, '/');
				rc = walk_dir(d);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = ignored(d, d->rel.ptr, false, &skip);
			if (rc == 0 && !skip)
				rc = add_disk_file(d->s, d->rel.ptr, d->rel.len, d->fs.ptr);
		} else {
			/* a link is not followed, and a FIFO is never opened: reading one could block */
			rc = ignored(d, d->rel.ptr, false, &skip);
			if (rc == 0 && !skip)
				skip_disk(d->s, d->rel.ptr,
				          S_ISLNK(st.st_mode) ? ASSURE_SKIP_SYMLINK : ASSURE_SKIP_SPECIAL);
		}
		d->rel.len = rlen;
		d->rel.ptr[rlen] = '\0';
		if (rc < 0)
			break;
	}
	closedir(dir);
	return rc;
}

int assure_snapshot_from_worktree(assure_snapshot **out, assure_repo *repo)
{
	*out = NULL;
	const char *workdir = git_repository_workdir(repo->git);
	if (!workdir || git_repository_is_bare(repo->git))
		return assure_error_setc(ASSURE_EINVALID, "repository '%s' has no working tree",
		                         git_repository_path(repo->git));
	git_index *index = NULL;
	/* Reads .git/index; libgit2 writes it only when asked to, and we never ask. */
	if (git_repository_index(&index, repo->git) < 0)
		return rp_git_error("cannot read the index");
	assure_snapshot *s = snapshot_new(SRC_WORKTREE, repo, NULL);
	size_t wlen = strlen(workdir);
	s->root = assure_xstrdup(workdir);
	dir_walk d = {.s = s, .git = repo->git, .index = index};
	char *base = assure_xstrndup(workdir, wlen > 1 && workdir[wlen - 1] == '/' ? wlen - 1 : wlen);
	d.fs_base = base;
	assure_buf_init(&d.rel);
	assure_buf_init(&d.fs);
	int rc = walk_dir(&d);
	assure_buf_free(&d.rel);
	assure_buf_free(&d.fs);
	free(base);
	git_index_free(index);
	if (rc < 0) {
		assure_snapshot_free(s);
		return rc;
	}
	/* an empty working tree has no list at all, and qsort may not be given NULL */
	if (s->count > 1)
		qsort(s->files, s->count, sizeof(*s->files), cmp_files);
	*out = s;
	return 0;
}

int assure_snapshot_from_index(assure_snapshot **out, assure_repo *repo)
{
	*out = NULL;
	git_index *index = NULL;
	/* Reads .git/index (a bare repository has an empty one); libgit2 writes it only when asked. */
	if (git_repository_index(&index, repo->git) < 0)
		return rp_git_error("cannot read the index");
	assure_snapshot *s = snapshot_new(SRC_INDEX, repo, NULL);
	int rc = 0;
	size_t n = git_index_entrycount(index);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		char oid[41];
		git_oid_tostr(oid, sizeof(oid), &e->id);
		if (git_index_entry_is_conflict(e)) {
			/* a conflict's stages are three versions: none of them is what will be committed */
			assure_buf name = ASSURE_BUF_INIT;
			assure_utf8_put_name(&name, e->path);
			rc = assure_error_setc(ASSURE_EINVALID,
			                       "'%s' has a merge conflict in the index: resolve it and stage "
			                       "the result before checking the index",
			                       name.ptr);
			assure_buf_free(&name);
		} else if (e->mode == GIT_FILEMODE_COMMIT || e->mode == GIT_FILEMODE_LINK) {
			skip_disk(s, e->path,
			          e->mode == GIT_FILEMODE_COMMIT ? ASSURE_SKIP_SUBMODULE
			                                         : ASSURE_SKIP_SYMLINK);
			if (e->mode == GIT_FILEMODE_COMMIT)
				memcpy(s->skip[s->nskip - 1].oid, oid, sizeof(oid));
		} else {
			push_file(s, arena_dup(s->arena, e->path, strlen(e->path)), oid);
		}
	}
	git_index_free(index);
	if (rc < 0) {
		assure_snapshot_free(s);
		return rc;
	}
	/* the index is sorted by path as git compares them; snapshots are sorted bytewise */
	if (s->count > 1)
		qsort(s->files, s->count, sizeof(*s->files), cmp_files);
	*out = s;
	return 0;
}

/* "./a//b/./c/" -> "a/b/c"; "." -> "". A leading '/' stays. */
static char *normalize(const char *p)
{
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	if (p[0] == '/')
		assure_buf_putc(&b, '/');
	for (const char *seg = p; *seg;) {
		size_t n = strcspn(seg, "/");
		if (n > 0 && !(n == 1 && seg[0] == '.')) {
			if (b.len > 0 && b.ptr[b.len - 1] != '/')
				assure_buf_putc(&b, '/');
			assure_buf_put(&b, seg, n);
		}
		seg += n;
		while (*seg == '/')
			seg++;
	}
	return assure_buf_detach(&b);
}

/* Sort plain files with where they came from, which moves with them. */
typedef struct plain_entry {
	assure_file file; /* as listed */
	const char *fs;   /* where it is on disk */
} plain_entry;

static int cmp_plain(const void *a, const void *b)
{
	return strcmp(((const plain_entry *)a)->file.path, ((const plain_entry *)b)->file.path);
}

static int sort_plain(assure_snapshot *s)
{
	plain_entry *e = assure_xmalloc((s->count ? s->count : 1) * sizeof(*e));
	for (size_t i = 0; i < s->count; i++)
		e[i] = (plain_entry){s->files[i], s->fs_paths[i]};
	qsort(e, s->count, sizeof(*e), cmp_plain);
	int rc = 0;
	for (size_t i = 0; i < s->count; i++) {
		s->files[i] = e[i].file;
		s->fs_paths[i] = e[i].fs;
		if (rc == 0 && i > 0 && strcmp(e[i - 1].file.path, e[i].file.path) == 0)
			rc = assure_error_setc(ASSURE_EINVALID, "'%s' is given twice, as '%s' and as '%s'",
			                       e[i].file.path, e[i - 1].fs, e[i].fs);
	}
	free(e);
	return rc;
}

int assure_snapshot_from_paths(assure_snapshot **out, const char *const *paths, size_t n)
{
	*out = NULL;
	if (rp_git_init() < 0)
		return ASSURE_ERROR;
	assure_snapshot *s = snapshot_new(SRC_PATHS, NULL, NULL);
	s->git_ref = true;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *name = normalize(paths[i]);
		const char *fs = name[0] ? name : ".";
		struct stat st;
		if (stat(fs, &st) < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				rc =
				    assure_error_setc(ASSURE_ENOTFOUND, "path '%s' does not exist", paths[i]);
			else
				rc = assure_error_set("cannot read '%s': %s", paths[i], strerror(errno));
		} else if (S_ISREG(st.st_mode)) {
			rc = add_disk_file(s, name, strlen(name), fs);
		} else if (S_ISDIR(st.st_mode)) {
			/* Named relative to the folder, as if it were a repository's root. */
			dir_walk d = {.s = s, .fs_base = fs};
			assure_buf_init(&d.rel);
			assure_buf_init(&d.fs);
			rc = walk_dir(&d);
			assure_buf_free(&d.rel);
			assure_buf_free(&d.fs);
		} else {
			rc = assure_error_setc(ASSURE_EINVALID, "'%s' is neither a file nor a folder",
			                       paths[i]);
		}
		free(name);
	}
	if (rc == 0)
		rc = sort_plain(s);
	if (rc < 0) {
		assure_snapshot_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* ---- what a snapshot leaves out ---- */

typedef struct skip_list {
	assure_skipped *items; /* collected */
	size_t count;          /* in use */
	size_t cap;            /* allocated */
} skip_list;

static void skip_push(skip_list *l, const char *root, const char *name, assure_skip_kind kind,
                      const char *oid)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = assure_xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	assure_skipped *k = &l->items[l->count++];
	assure_buf p = ASSURE_BUF_INIT;
	assure_buf_printf(&p, "%s%s", root, name);
	k->path = assure_buf_detach(&p);
	k->kind = kind;
	snprintf(k->oid, sizeof(k->oid), "%s", oid);
}

static int skip_entry(const char *root, const git_tree_entry *e, void *payload)
{
	git_filemode_t mode = git_tree_entry_filemode(e);
	if (mode == GIT_FILEMODE_COMMIT || mode == GIT_FILEMODE_LINK) {
		char hex[GIT_OID_HEXSZ + 1] = "";
		if (mode == GIT_FILEMODE_COMMIT)
			git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
		skip_push(payload, root, git_tree_entry_name(e),
		          mode == GIT_FILEMODE_COMMIT ? ASSURE_SKIP_SUBMODULE : ASSURE_SKIP_SYMLINK, hex);
	}
	return 0;
}

static int cmp_skipped(const void *a, const void *b)
{
	return strcmp(((const assure_skipped *)a)->path, ((const assure_skipped *)b)->path);
}

int assure_snapshot_skipped(const assure_snapshot *s, assure_skipped **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	skip_list l = {0};
	if (s->source == SRC_COMMIT) {
		git_tree *tree = NULL;
		if (rp_tree_lookup(&tree, s->repo, &s->tree, s->commit, NULL) < 0)
			return ASSURE_ERROR;
		int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, skip_entry, &l);
		git_tree_free(tree);
		if (rc < 0) {
			assure_skipped_free(l.items, l.count);
			return assure_error_set("cannot walk the tree of commit %.12s: %s (the repository is "
			                        "damaged: 'git fsck' names what is missing)",
			                        s->commit, rp_git_why());
		}
	} else {
		for (size_t i = 0; i < s->nskip; i++)
			skip_push(&l, "", s->skip[i].path, s->skip[i].kind, s->skip[i].oid);
	}
	if (l.count > 1)
		qsort(l.items, l.count, sizeof(*l.items), cmp_skipped);
	*out = l.items;
	*count = l.count;
	return 0;
}

void assure_skipped_free(assure_skipped *skipped, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(skipped[i].path);
	free(skipped);
}
