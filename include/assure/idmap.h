/*
 * idmap.h: what was worked out for a JSON value, by the value's identity.
 *
 * A pure function of a JSON object or array (a lambda that reads only its item, a
 * filter that reads only '@') need not be worked out again for the same object: the
 * documents and the returns' index entries are never changed once made, so the same
 * address is the same content. The map holds a reference to each key, so no other
 * value can take its address while its entry lives; an entry whose key nothing else
 * holds is dropped as the map grows.
 *
 * Keys are met again only where evaluations share them (a group's returns, a lookup's
 * result, evaluated again after one member changed); a filter over the actions of each
 * action log in turn never meets the same one twice. So every so many new entries the
 * map is judged: if few of them were met again it is emptied and left unused for a
 * while, longer each time, and costs nothing meanwhile.
 *
 * Each entry carries a payload of the size given to assure_idmap_new, kept in place;
 * `drop` (or NULL) releases what a payload holds when its entry goes.
 */
#ifndef ASSURE_IDMAP_H
#define ASSURE_IDMAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct assure_idmap assure_idmap;

assure_idmap *assure_idmap_new(size_t payload_size, void (*drop)(void *payload));
void assure_idmap_free(assure_idmap *m);
/* Whether to look this call up and remember it (false while the map is left unused). */
bool assure_idmap_wanted(assure_idmap *m);
/* The payload remembered for key, or NULL. Valid until the next put. */
void *assure_idmap_get(assure_idmap *m, const json_t *key);
/* A new entry for key (not in the map), its payload zeroed for the caller to fill; or NULL
 * when the map was just judged not worth keeping. */
void *assure_idmap_put(assure_idmap *m, json_t *key);

#endif
