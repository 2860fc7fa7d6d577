/*
 * strmap.h: a hash map from byte strings to size_t, for the places where a linear scan
 * or a string comparison per item would make ordinary data quadratic (unique(),
 * occurrences(), the index of a snapshot by kind and key).
 *
 * Open addressing with linear probing, FNV-1a hashes, grown at 3/4 load. Keys are
 * copied; they may hold any bytes (their length is given), so a key that embeds a
 * NUL cannot collide with a shorter one.
 *
 * Ownership: the map owns its copies of the keys; values are plain numbers (an index
 * into the caller's own array, or a count).
 */
#ifndef ASSURE_STRMAP_H
#define ASSURE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct assure_strmap assure_strmap;

assure_strmap *assure_strmap_new(void);
void assure_strmap_free(assure_strmap *m);
size_t assure_strmap_count(const assure_strmap *m);
/* The value of key, or false when it is not there. */
bool assure_strmap_get(const assure_strmap *m, const char *key, size_t len, size_t *value);
/*
 * The slot of key's value, added with value 0 if it was not there (*added tells); the
 * pointer is valid until the next insertion.
 */
size_t *assure_strmap_slot(assure_strmap *m, const char *key, size_t len, bool *added);

#endif
