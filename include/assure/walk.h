/*
 * walk.h: the commits of a range, oldest first, each after all of its parents.
 *
 * The order is fixed by the history alone: among the commits whose parents have all
 * been listed, the one with the earliest committer date comes first, then the smaller
 * id. Two runs on the same repository list the same commits in the same order.
 *
 * A shallow clone (what CI checkouts usually are) has commits whose parents are not in
 * the repository. The walk stops there instead of failing: such a commit is listed
 * with `shallow` set, and a caller treats it as a root. Any other missing object is an
 * error.
 *
 * The repository is only read. The entries are owned by the caller (free()).
 */
#ifndef ASSURE_WALK_H
#define ASSURE_WALK_H

#include "assure/repo.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct assure_walk_entry {
	char id[41];  /* full hex id */
	bool shallow; /* its parents are missing from a shallow clone */
} assure_walk_entry;

/*
 * The commits of range: "A..B" (reachable from B and not from A; an empty side is
 * HEAD), one revision (everything reachable from it), or NULL for HEAD. With
 * first_parent only first parents are followed from B (A still hides everything
 * reachable from it). Sets *out (NULL when empty) and *n.
 */
int assure_walk_range(assure_walk_entry **out, size_t *n, assure_repo *repo, const char *range,
                      bool first_parent);

#endif
