/*
 * hash.h: stable content hashes (SHA-1, as git computes object ids).
 *
 * Fingerprints of findings and the hash of a rule set must not change between
 * runs, machines or versions of the tool, so they are SHA-1 digests of a
 * documented byte sequence, printed as 40 lower-case hex digits.
 */
#ifndef ASSURE_HASH_H
#define ASSURE_HASH_H

#include <stddef.h>

/* SHA-1 of the git blob object holding `data` (equal to `git hash-object`). */
int assure_hash_blob(char out[41], const void *data, size_t len);

#endif
