/*
 * repo.h: the returns, read from a git commit, a working tree or plain files.
 *
 * A snapshot is the list of files one check sees, sorted by path (bytewise), each
 * with the object id of its content. For a commit the list comes straight from git
 * objects through libgit2: nothing is checked out and the repository is never
 * written to. For the working tree and plain files the id is the git blob id of the
 * file's bytes, so the parse cache (keyed by id) works the same way for all three.
 *
 * Ownership: a snapshot owns its entries and borrows the repository, which must
 * outlive it. Paths use '/' and are relative to the repository root (or, for plain
 * files, as given on the command line with "./" removed).
 */
#ifndef ASSURE_REPO_H
#define ASSURE_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct assure_repo assure_repo;
typedef struct assure_snapshot assure_snapshot;

typedef struct assure_file {
	const char *path; /* owned by the snapshot */
	char oid[41];     /* hex object id of the content */
} assure_file;

/* One commit's identity, as an audit report shows it. Strings owned by the struct. */
typedef struct assure_commit_info {
	char id[41];           /* full hex id */
	char *author_name;     /* author's name */
	char *author_email;    /* author's email */
	long long author_time; /* author date, Unix seconds */
	int author_offset;     /* author's UTC offset, minutes */
	long long commit_time; /* committer date, Unix seconds */
	int commit_offset;     /* committer's UTC offset, minutes */
	char *subject;         /* first line of the message */
	size_t parent_count;   /* 0 for a root commit */
	char first_parent[41]; /* hex id of the first parent, "" for a root */
} assure_commit_info;

/* How a file changed between two snapshots. */
typedef enum assure_change_kind {
	ASSURE_CHANGE_ADDED,    /* present only in the new snapshot */
	ASSURE_CHANGE_MODIFIED, /* same path, different content */
	ASSURE_CHANGE_DELETED,  /* present only in the old snapshot */
	ASSURE_CHANGE_RENAMED,  /* deleted path and added path with identical content */
} assure_change_kind;

typedef struct assure_change {
	assure_change_kind kind; /* what happened */
	char *path;              /* path in the new snapshot (the old one for DELETED) */
	char *old_path;          /* for RENAMED, the path it had; NULL otherwise */
} assure_change;

/* Open the repository at path (a work tree or a bare repository). Read only. */
int assure_repo_open(assure_repo **out, const char *path);
void assure_repo_free(assure_repo *repo);
/*
 * The libgit2 handle, for stages that walk history themselves (the audit's revwalk).
 * Owned by repo; callers only read through it.
 */
struct git_repository;
struct git_repository *assure_repo_git(assure_repo *repo);

/*
 * The value of the configuration key (e.g. "remote.origin.url") as the repository sees it, in
 * *out (the caller frees it), or *out NULL when it is not set. Read only.
 */
int assure_repo_config_get(assure_repo *repo, const char *key, char **out);

/* Resolve a revision ("HEAD", "main~2", an id) to a commit id. */
int assure_repo_resolve(assure_repo *repo, const char *rev, char oid[41]);
int assure_repo_commit_info(assure_repo *repo, const char *oid, assure_commit_info *out);
void assure_commit_info_clear(assure_commit_info *info);

/*
 * Every blob in the commit's tree, recursively. Only regular and executable files are
 * files: symbolic links and submodules (gitlinks) are skipped, never followed nor read, in
 * commits, in the working tree (where a folder holding .git is a nested repository) and in
 * folders (assure_snapshot_skipped lists them).
 */
int assure_snapshot_from_commit(assure_snapshot **out, assure_repo *repo, const char *commit_oid);
/*
 * The snapshot of `commit_oid` derived from `prev` (the snapshot of another commit,
 * usually its first parent) by walking the two trees together and skipping subtrees
 * whose ids are equal, so the cost is proportional to what changed. The changes are
 * stored in *changes (sorted by path; caller frees with assure_changes_free).
 * prev may be NULL: then every file is ADDED. A prev that is not a commit of this
 * repository (a working tree, plain files) is compared by its list instead, at the
 * cost of a full read. RENAMED pairs a deleted and an added path of identical
 * content; among several, deleted and added paths pair in path order.
 * The new snapshot shares prev's path strings (see snapshot.c) but not its life:
 * either may be freed first. Snapshots of one chain are used by one thread at a time.
 */
int assure_snapshot_derive(assure_snapshot **out, assure_change **changes, size_t *nchanges,
                           assure_repo *repo, const assure_snapshot *prev, const char *commit_oid);
void assure_changes_free(assure_change *changes, size_t n);
/*
 * The files of the working tree, ignoring .git and what .gitignore ignores (a file
 * git tracks is kept even when a pattern ignores it, as git does).
 */
int assure_snapshot_from_worktree(assure_snapshot **out, assure_repo *repo);
/*
 * The files staged in the index (stage 0): what the next commit would hold, as a pre-commit
 * hook checks it, whatever the working tree has besides. Read from the object database like a
 * commit's blobs; the index is never written. A path with a merge conflict is an error
 * (ASSURE_EINVALID) naming it; submodules and symbolic links are skipped as in commits.
 */
int assure_snapshot_from_index(assure_snapshot **out, assure_repo *repo);
/*
 * Plain files and folders (folders recursively) outside git. A file given by name
 * keeps the path as given ("./" removed); the files found under a folder are named
 * relative to that folder, as if it were the root of a repository, so that rules and
 * file_doc() see the same paths as in git (assure check fixtures/case/ sees
 * "returns/2020-21/finance.json").
 */
int assure_snapshot_from_paths(assure_snapshot **out, const char *const *paths, size_t n);
void assure_snapshot_free(assure_snapshot *s);

size_t assure_snapshot_count(const assure_snapshot *s);
const assure_file *assure_snapshot_file(const assure_snapshot *s, size_t i);
/* Index of the file at `path`, or -1. */
long assure_snapshot_find(const assure_snapshot *s, const char *path);
/* The commit id the snapshot was read from, or NULL for working tree and plain files. */
const char *assure_snapshot_commit(const assure_snapshot *s);
/* What the snapshot was read from, for messages: "a commit", "the working tree", "the index", "files". */
const char *assure_snapshot_kind(const assure_snapshot *s);
/*
 * Read a file's bytes (caller frees *data; a NUL follows the last byte). A file whose bytes are
 * a Git LFS pointer (git-lfs's docs/spec.md: "version https://git-lfs.github.com/spec/v1",
 * "oid sha256:...", "size ...") is not its content, which Git LFS keeps outside the repository:
 * it is an error (ASSURE_EINVALID) that names the file, says what it is and how to fetch it, and
 * counts in the stats of the repository, if there is one.
 */
int assure_snapshot_read(const assure_snapshot *s, size_t i, char **data, size_t *len);
/* The size in bytes of file i, without reading its content (git's object header, or stat). */
int assure_snapshot_size(const assure_snapshot *s, size_t i, uint64_t *size);

/*
 * What a snapshot leaves out because it is no file whose bytes are a return: its path and why.
 * Nothing of it is read or followed: a submodule's commit is in another repository (and may not
 * be in this one at all), a link's target may be anywhere.
 */
typedef enum assure_skip_kind {
	ASSURE_SKIP_SUBMODULE, /* a gitlink (a "commit" tree entry), or a nested repository on disk */
	ASSURE_SKIP_SYMLINK,   /* a symbolic link */
	ASSURE_SKIP_SPECIAL,   /* on disk, a FIFO, socket or device (never opened: it may block) */
} assure_skip_kind;

typedef struct assure_skipped {
	char *path;            /* as the snapshot's paths are named; owned */
	assure_skip_kind kind; /* what it is */
	char oid[41];          /* a gitlink's commit id, "" otherwise */
} assure_skipped;

/*
 * The entries snapshot s left out, sorted by path (free with assure_skipped_free). For a
 * commit they are found by walking its tree again (a derived snapshot's too); for a working
 * tree or folders they were noted while reading them.
 */
int assure_snapshot_skipped(const assure_snapshot *s, assure_skipped **out, size_t *count);
void assure_skipped_free(assure_skipped *skipped, size_t count);

/* Counters for --stats. */
typedef struct assure_repo_stats {
	unsigned long trees_read;   /* tree objects loaded */
	unsigned long trees_reused; /* lookups answered by a tree loaded a moment before */
	unsigned long blobs_read;   /* blob objects loaded */
	unsigned long lfs_pointers; /* reads that found a Git LFS pointer instead of a file's content */
} assure_repo_stats;
void assure_repo_get_stats(const assure_repo *repo, assure_repo_stats *out);

/*
 * Glob match on '/'-separated paths, the whole path against the whole pattern:
 *  - '*' matches any run of characters within one segment (none included), '?' one
 *    character; neither matches '/'. A leading '.' is not special.
 *  - A segment that is exactly '**' matches zero or more whole segments. The pattern
 *    of segments "returns", "**", "finance*.json" (joined by '/', which a C comment
 *    cannot show next to '*') matches "returns/finance.json" and
 *    "returns/a/b/finance-m07.json"; the pattern of segments "returns", "**" matches
 *    "returns" and every path under it. Elsewhere ("a**b") '**' is just '*'.
 *  - "[abc]", "[a-z]" and "[!abc]" (or "[^abc]") match one byte of (or not of) the
 *    set, never '/'; a ']' first in the set is literal; an unclosed '[' is literal.
 *  - A backslash makes the next character literal.
 * '?' steps over one UTF-8 character; sets compare bytes (write ASCII in them).
 * Matching is case sensitive.
 */
bool assure_glob_match(const char *pattern, const char *path);

#endif
