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
/*
 * Items are seen again only where evaluations share them (a group's returns, a lookup's
 * result, evaluated again after one member changed); a lambda over the actions of each
 * action log in turn never meets the same item twice. So every JUDGE_AFTER new entries
 * the table is judged: if fewer than one in HIT_SHARE of them was met again it is
 * emptied and left unused for BACKOFF_MIN calls, doubled up to BACKOFF_MAX each time
 * this happens again.
 */
#define JUDGE_AFTER 1024
#define HIT_SHARE   4
#define BACKOFF_MIN 4096UL
#define BACKOFF_MAX (1UL << 22)

typedef struct item_entry {
	json_t *item;        /* one reference */
	unsigned long steps; /* evaluation steps the result took */
	assure_value val;    /* the result */
} item_entry;

/* The entries lie packed in one array; the open-addressed slots hold only their numbers. */
struct item_memo {
	item_entry *entries; /* count of them, cap allocated */
	size_t count, cap;
	uint32_t *slots; /* nslots, a power of two: 1 + an entry's number, 0 when free */
	size_t nslots;
	unsigned long puts;    /* entries made since the table was last judged */
	unsigned long hits;    /* entries used since then */
	unsigned long skip;    /* calls still to go unremembered */
	unsigned long backoff; /* what skip was last set to, 0 after a table that paid */
};

struct item_memo *item_memo_new(void)
{
	return assure_xcalloc(1, sizeof(struct item_memo));
}

static void entry_clear(item_entry *x)
{
	json_decref(x->item);
	assure_value_clear(&x->val);
}

static void entries_clear(struct item_memo *m)
{
	for (size_t i = 0; i < m->count; i++)
		entry_clear(&m->entries[i]);
	free(m->entries);
	free(m->slots);
	m->entries = NULL;
	m->slots = NULL;
	m->count = m->cap = m->nslots = 0;
}

void item_memo_free(struct item_memo *m)
{
	if (!m)
		return;
	entries_clear(m);
	free(m);
}

/* The slot that holds item, or the free one where it would go. */
static uint32_t *find(const struct item_memo *m, const json_t *item)
{
	uint64_t h = (uint64_t)(uintptr_t)item * 0x9E3779B97F4A7C15u;
	for (size_t i = (size_t)(h >> 32) & (m->nslots - 1);; i = (i + 1) & (m->nslots - 1)) {
		uint32_t *s = &m->slots[i];
		if (!*s || m->entries[*s - 1].item == item)
			return s;
	}
}

/* Keep the entries some other value still holds, packed, with slots at most half full. */
static void rebuild(struct item_memo *m)
{
	size_t kept = 0;
	for (size_t i = 0; i < m->count; i++) {
		if (m->entries[i].item->refcount > 1)
			m->entries[kept++] = m->entries[i];
		else
			entry_clear(&m->entries[i]);
	}
	m->count = kept;
	m->nslots = MIN_SLOTS;
	while (m->nslots < 4 * (kept + 1))
		m->nslots *= 2;
	free(m->slots);
	m->slots = assure_xcalloc(m->nslots, sizeof(*m->slots));
	for (size_t i = 0; i < kept; i++)
		*find(m, m->entries[i].item) = (uint32_t)(i + 1);
}

bool item_memo_wanted(struct item_memo *m)
{
	if (m->skip == 0)
		return true;
	m->skip--;
	return false;
}

const assure_value *item_memo_get(struct item_memo *m, const json_t *item, unsigned long *steps)
{
	if (!m->count)
		return NULL;
	uint32_t at = *find(m, item);
	if (!at)
		return NULL;
	m->hits++;
	*steps = m->entries[at - 1].steps;
	return &m->entries[at - 1].val;
}

static void judge(struct item_memo *m)
{
	if (m->hits * HIT_SHARE >= m->puts) {
		m->backoff = 0;
		rebuild(m); /* and drop the entries of items gone since, such as a replaced return's */
	} else {
		entries_clear(m);
		m->backoff = m->backoff ? m->backoff * 2 : BACKOFF_MIN;
		if (m->backoff > BACKOFF_MAX)
			m->backoff = BACKOFF_MAX;
		m->skip = m->backoff;
	}
	m->puts = m->hits = 0;
}

void item_memo_put(struct item_memo *m, json_t *item, const assure_value *val, unsigned long steps)
{
	if (++m->puts >= JUDGE_AFTER) {
		judge(m);
		if (m->skip)
			return;
	}
	if (m->count >= UINT32_MAX - 1)
		return;
	if (2 * (m->count + 1) > m->nslots)
		rebuild(m);
	uint32_t *s = find(m, item);
	if (*s)
		return;
	if (m->count == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->entries = assure_xrealloc(m->entries, m->cap * sizeof(*m->entries));
	}
	item_entry *x = &m->entries[m->count++];
	x->item = json_incref(item);
	x->steps = steps;
	assure_value_copy(&x->val, val);
	*s = (uint32_t)m->count;
}
