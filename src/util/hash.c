/* hash.c: SHA-1 digests through libgit2's object hashing (see hash.h). */
#include "assure/hash.h"

#include "assure/error.h"

#include <git2.h>
#include <stdatomic.h>

/* libgit2 selects its hash backend in git_libgit2_init; do it once for the process. */
static void ensure_libgit2(void)
{
	static atomic_int done;
	if (!atomic_exchange(&done, 1))
		git_libgit2_init();
}

int assure_hash_blob(char out[41], const void *data, size_t len)
{
	git_oid oid;
	ensure_libgit2();
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0)
		return assure_error_set("cannot hash: %s",
		                        git_error_last() ? git_error_last()->message : "unknown");
	git_oid_tostr(out, 41, &oid);
	return 0;
}
