/*
 * item_memo.c: a lambda's results by item (expr_int.h, struct item_memo).
 *
 * Open addressing on the item's address. The table holds a reference to each item,
 * so while an entry lives its address names that item and nothing else; once the
 * entry is the item's last holder it is worth nothing and is dropped when the table
 * next fills, which keeps the table as large as the items still in use.
 */
#include "expr/expr_int.h"

#include "assure/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SLOTS 64

typedef struct item_entry {
	json_t *item;        /* one reference, or NULL: a free slot */
	unsigned long steps; /* evaluation steps the result took */
	assure_value val;    /* the result */
} item_entry;

struct item_memo {
	item_entry *slots; /* nslots, a power of two */
	size_t nslots;
	size_t count; /* slots in use */
};

struct item_memo *item_memo_new(void)
{
	return assure_xcalloc(1, sizeof(struct item_memo));
}

static void entries_free(item_entry *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (slots[i].item) {
			json_decref(slots[i].item);
			assure_value_clear(&slots[i].val);
		}
	}
	free(slots);
}

void item_memo_free(struct item_memo *m)
{
	if (!m)
		return;
	entries_free(m->slots, m->nslots);
	free(m);
}

static size_t home(const struct item_memo *m, const json_t *item)
{
	uint64_t h = (uint64_t)(uintptr_t)item * 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 32) & (m->nslots - 1);
}

static item_entry *find(const struct item_memo *m, const json_t *item)
{
	for (size_t i = home(m, item);; i = (i + 1) & (m->nslots - 1)) {
		item_entry *s = &m->slots[i];
		if (!s->item || s->item == item)
			return s;
	}
}

/* Rebuild with the entries some other value still holds, in a table at most half full. */
static void rebuild(struct item_memo *m)
{
	item_entry *old = m->slots;
	size_t nold = m->nslots, live = 0;
	for (size_t i = 0; i < nold; i++)
		if (old[i].item && old[i].item->refcount > 1)
			live++;
	m->nslots = MIN_SLOTS;
	while (m->nslots < 4 * (live + 1))
		m->nslots *= 2;
	m->slots = assure_xcalloc(m->nslots, sizeof(item_entry));
	m->count = 0;
	for (size_t i = 0; i < nold; i++) {
		if (!old[i].item)
			continue;
		if (old[i].item->refcount > 1) {
			*find(m, old[i].item) = old[i];
			m->count++;
		} else {
			json_decref(old[i].item);
			assure_value_clear(&old[i].val);
		}
	}
	free(old);
}

const assure_value *item_memo_get(const struct item_memo *m, const json_t *item, unsigned long *steps)
{
	if (!m->count)
		return NULL;
	const item_entry *s = find(m, item);
	if (!s->item)
		return NULL;
	*steps = s->steps;
	return &s->val;
}

void item_memo_put(struct item_memo *m, json_t *item, const assure_value *val, unsigned long steps)
{
	if (2 * (m->count + 1) > m->nslots)
		rebuild(m);
	item_entry *s = find(m, item);
	if (s->item)
		return;
	s->item = json_incref(item);
	s->steps = steps;
	assure_value_copy(&s->val, val);
	m->count++;
}
