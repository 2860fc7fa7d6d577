/* strmap.c: string-keyed hash map (see strmap.h). */
#include "assure/strmap.h"

#include "assure/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *key;     /* owned, NULL for an empty slot */
	size_t len;    /* bytes of key */
	uint64_t hash; /* FNV-1a of key, kept so that growing needs no rehash of the bytes */
	size_t value;  /* the caller's number */
} entry;

struct assure_strmap {
	entry *slots; /* cap slots, a power of two */
	size_t cap;
	size_t count;
};

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

assure_strmap *assure_strmap_new(void)
{
	assure_strmap *m = assure_xcalloc(1, sizeof(*m));
	m->cap = 16;
	m->slots = assure_xcalloc(m->cap, sizeof(entry));
	return m;
}

void assure_strmap_free(assure_strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

size_t assure_strmap_count(const assure_strmap *m)
{
	return m->count;
}

static entry *find(const assure_strmap *m, const char *key, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		entry *e = &m->slots[i];
		if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
			return e;
	}
}

bool assure_strmap_get(const assure_strmap *m, const char *key, size_t len, size_t *value)
{
	entry *e = find(m, key, len, fnv1a(key, len));
	if (!e->key)
		return false;
	*value = e->value;
	return true;
}

static void grow(assure_strmap *m)
{
	entry *old = m->slots;
	size_t old_cap = m->cap;
	m->cap *= 2;
	m->slots = assure_xcalloc(m->cap, sizeof(entry));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*find(m, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
}

size_t *assure_strmap_slot(assure_strmap *m, const char *key, size_t len, bool *added)
{
	if ((m->count + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t h = fnv1a(key, len);
	entry *e = find(m, key, len, h);
	bool fresh = e->key == NULL;
	if (fresh) {
		e->key = assure_xmalloc(len + 1);
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		e->len = len;
		e->hash = h;
		e->value = 0;
		m->count++;
	}
	if (added)
		*added = fresh;
	return &e->value;
}
