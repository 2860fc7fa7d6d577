/*
 * idmap.c: payloads by a JSON value's identity (idmap.h).
 *
 * The entries lie packed in one array, each its key and payload; the open-addressed
 * slots hold only their numbers, so a map of many small payloads stays small.
 */
#include "assure/idmap.h"

#include "assure/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SLOTS 64
/*
 * Every JUDGE_AFTER new entries the map is judged: if fewer than one in HIT_SHARE of
 * them was met again it is emptied and left unused for BACKOFF_MIN calls, doubled up to
 * BACKOFF_MAX each time this happens again.
 */
#define JUDGE_AFTER 1024
#define HIT_SHARE   4
#define BACKOFF_MIN 4096UL
#define BACKOFF_MAX (1UL << 22)

struct assure_idmap {
	size_t payload; /* bytes of payload per entry */
	size_t stride;  /* bytes per entry: the key, then the payload, aligned */
	void (*drop)(void *);
	unsigned char *entries; /* count of them, cap allocated */
	size_t count, cap;
	uint32_t *slots; /* nslots, a power of two: 1 + an entry's number, 0 when free */
	size_t nslots;
	unsigned long puts;    /* entries made since the map was last judged */
	unsigned long hits;    /* entries used since then */
	unsigned long skip;    /* calls still to go unremembered */
	unsigned long backoff; /* what skip was last set to, 0 after a map that paid */
	size_t next;           /* the entry after the one last found or made */
};

assure_idmap *assure_idmap_new(size_t payload_size, void (*drop)(void *payload))
{
	assure_idmap *m = assure_xcalloc(1, sizeof(*m));
	m->payload = payload_size;
	m->stride = (sizeof(json_t *) + payload_size + 7) & ~(size_t)7;
	m->drop = drop;
	return m;
}

static json_t **key_at(const assure_idmap *m, size_t i)
{
	return (json_t **)(void *)(m->entries + i * m->stride);
}

static void *payload_at(const assure_idmap *m, size_t i)
{
	return m->entries + i * m->stride + sizeof(json_t *);
}

static void entry_drop(assure_idmap *m, size_t i)
{
	if (m->drop)
		m->drop(payload_at(m, i));
	json_decref(*key_at(m, i));
}

static void clear(assure_idmap *m)
{
	for (size_t i = 0; i < m->count; i++)
		entry_drop(m, i);
	free(m->entries);
	free(m->slots);
	m->entries = NULL;
	m->slots = NULL;
	m->count = m->cap = m->nslots = 0;
}

void assure_idmap_free(assure_idmap *m)
{
	if (!m)
		return;
	clear(m);
	free(m);
}

/* The slot that holds key, or the free one where it would go. */
static uint32_t *find(const assure_idmap *m, const json_t *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15u;
	for (size_t i = (size_t)(h >> 32) & (m->nslots - 1);; i = (i + 1) & (m->nslots - 1)) {
		uint32_t *s = &m->slots[i];
		if (!*s || *key_at(m, *s - 1) == key)
			return s;
	}
}

/* Keep the entries some other value still holds, packed, with slots at most half full. */
static void rebuild(assure_idmap *m)
{
	size_t kept = 0;
	for (size_t i = 0; i < m->count; i++) {
		if ((*key_at(m, i))->refcount > 1) {
			if (kept != i)
				memcpy(m->entries + kept * m->stride, m->entries + i * m->stride, m->stride);
			kept++;
		} else {
			entry_drop(m, i);
		}
	}
	m->count = kept;
	m->nslots = MIN_SLOTS;
	while (m->nslots < 4 * (kept + 1))
		m->nslots *= 2;
	free(m->slots);
	m->slots = assure_xcalloc(m->nslots, sizeof(*m->slots));
	for (size_t i = 0; i < kept; i++)
		*find(m, *key_at(m, i)) = (uint32_t)(i + 1);
}

bool assure_idmap_wanted(assure_idmap *m)
{
	if (m->skip == 0)
		return true;
	m->skip--;
	return false;
}

void *assure_idmap_get(assure_idmap *m, const json_t *key)
{
	if (!m->count)
		return NULL;
	/*
	 * A list met again is mostly met in the same order, and its items' entries were made in
	 * that order: the entry after the last one is tried before a probe at a random place.
	 */
	size_t i = m->next;
	if (i >= m->count || *key_at(m, i) != key) {
		uint32_t at = *find(m, key);
		if (!at)
			return NULL;
		i = at - 1;
	}
	m->hits++;
	m->next = i + 1;
	return payload_at(m, i);
}

static void judge(assure_idmap *m)
{
	if (m->hits * HIT_SHARE >= m->puts) {
		m->backoff = 0;
		rebuild(m); /* and drop the entries of values gone since, such as a replaced return's */
	} else {
		clear(m);
		m->backoff = m->backoff ? m->backoff * 2 : BACKOFF_MIN;
		if (m->backoff > BACKOFF_MAX)
			m->backoff = BACKOFF_MAX;
		m->skip = m->backoff;
	}
	m->puts = m->hits = 0;
}

void *assure_idmap_put(assure_idmap *m, json_t *key)
{
	if (++m->puts >= JUDGE_AFTER) {
		judge(m);
		if (m->skip)
			return NULL;
	}
	if (m->count >= UINT32_MAX - 1)
		return NULL;
	if (2 * (m->count + 1) > m->nslots)
		rebuild(m);
	uint32_t *s = find(m, key);
	if (*s)
		return NULL;
	if (m->count == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->entries = assure_xrealloc(m->entries, m->cap * m->stride);
	}
	size_t i = m->count++;
	*key_at(m, i) = json_incref(key);
	memset(payload_at(m, i), 0, m->payload);
	*s = (uint32_t)m->count;
	m->next = m->count;
	return payload_at(m, i);
}
