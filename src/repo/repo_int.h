/*
 * repo_int.h: what repo.c (the repository and its commits) and snapshot.c (lists of
 * files) share.
 *
 * libgit2 is initialised by every open repository and by every snapshot of plain
 * files (which needs its SHA-1), through rp_git_init/rp_git_shutdown, so that the
 * process-wide settings are applied once, before the first object is read.
 */
#ifndef ASSURE_REPO_INT_H
#define ASSURE_REPO_INT_H

#include "assure/repo.h"

#include <git2.h>

/*
 * Trees kept from the last lookups. Walking commit after commit, the old side's root,
 * returns/ and year folder are the trees the commit before read as its new side.
 */
#define RP_RECENT_TREES 32

struct assure_repo {
	git_repository *git;               /* owned, opened read only */
	char *path;                        /* as given to assure_repo_open, for messages; owned */
	assure_repo_stats stats;           /* counters for --stats */
	git_tree *recent[RP_RECENT_TREES]; /* one reference each, or NULL */
	size_t recent_next;                /* the slot the next tree read goes in */
};

/* Take and release one reference on libgit2 (its settings are applied on the first). */
int rp_git_init(void);
void rp_git_shutdown(void);

/* Set the last error from libgit2's: "<what>: <libgit2's message>"; returns ASSURE_ERROR. */
int rp_git_error(const char *what);
/* libgit2's message for the last failure, or "unknown error". */
const char *rp_git_why(void);

/* Parse a 40-digit hex commit id; the error names `hex`. */
int rp_parse_oid(git_oid *out, const char *hex);

/*
 * Look a tree up, counting it in the repository's stats. The error names the commit (hex) whose
 * tree it is and the folder ("returns/", or NULL for the root), and calls it damage.
 */
int rp_tree_lookup(git_tree **out, assure_repo *repo, const git_oid *id, const char *commit,
                   const char *folder);

/*
 * Bytes held by the path strings of a snapshot's chain (shared by every snapshot
 * derived from one another), for the benchmark's memory figures.
 */
size_t rp_snapshot_path_bytes(const assure_snapshot *s);

#endif
