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
	json_t *item;        /* one reference, or NULL: a free slot */
	unsigned long steps; /* evaluation steps the result took */
	assure_value val;    /* the result */
} item_entry;

struct item_memo {
	item_entry *slots; /* nslots, a power of two */
	size_t nslots;
	size_t count;          /* slots in use */
	unsigned long puts;    /* entries made since the table was last judged */
	unsigned long hits;    /* entries used since then */
	unsigned long skip;    /* calls still to go unremembered */
	unsigned long backoff; /* what skip was last set to, 0 after a table that paid */
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
	const item_entry *s = find(m, item);
	if (!s->item)
		return NULL;
	m->hits++;
	*steps = s->steps;
	return &s->val;
}

static void judge(struct item_memo *m)
{
	if (m->hits * HIT_SHARE >= m->puts) {
		m->backoff = 0;
		rebuild(m); /* and drop the entries of items gone since, such as a replaced return's */
	} else {
		entries_free(m->slots, m->nslots);
		m->slots = NULL;
		m->nslots = m->count = 0;
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
