/* finding.c: lists of findings, their order and fingerprints (see finding.h). */
#include "assure/finding.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/hash.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * A finding in a list, shared by every list that holds it: an audit hands the same reused
 * findings to every commit's list, and copying their strings each time was most of its work.
 * A finding never changes once added, so sharing is safe.
 */
typedef struct shared {
	size_t refs;      /* lists holding it */
	assure_finding f; /* with its strings, owned */
} shared;

struct assure_findings {
	shared **items; /* one reference each */
	size_t count;
	size_t cap;
};

static void release(shared *s)
{
	if (--s->refs == 0) {
		assure_finding_clear(&s->f);
		free(s);
	}
}

static void push(assure_findings *l, shared *s)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = assure_xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	s->refs++;
	l->items[l->count++] = s;
}

static const char *const severity_names[ASSURE_SEV_COUNT] = {"info", "warning", "error"};

const char *assure_severity_name(assure_severity s)
{
	return (unsigned)s < ASSURE_SEV_COUNT ? severity_names[s] : "unknown";
}

int assure_severity_parse(assure_severity *out, const char *s)
{
	for (int i = 0; i < ASSURE_SEV_COUNT; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (assure_severity)i;
			return 0;
		}
	return -1;
}

int assure_findings_new(assure_findings **out)
{
	*out = assure_xcalloc(1, sizeof(**out));
	return 0;
}

void assure_findings_free(assure_findings *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++)
		release(l->items[i]);
	free(l->items);
	free(l);
}

void assure_findings_truncate(assure_findings *l, size_t n)
{
	for (size_t i = n; i < l->count; i++)
		release(l->items[i]);
	if (n < l->count)
		l->count = n;
}

static char *dup_or_empty(const char *s)
{
	return assure_xstrdup(s ? s : "");
}

/*
 * The seven strings of a finding are one block, rule_id first: an audit holds a copy of every
 * finding open at any time, and seven allocations each were more in bookkeeping than in text.
 */
void assure_finding_copy(assure_finding *dst, const assure_finding *src)
{
	const char *from[] = {src->rule_id, src->domain,  src->title,  src->message,
	                      src->path,    src->pointer, src->subject};
	enum { N = sizeof(from) / sizeof(from[0]) };
	size_t len[N], total = 0;
	for (size_t i = 0; i < N; i++)
		total += (len[i] = from[i] ? strlen(from[i]) : 0) + 1;
	char *block = assure_xmalloc(total), *at = block;
	char *to[N];
	for (size_t i = 0; i < N; i++) {
		to[i] = at;
		memcpy(at, from[i] ? from[i] : "", len[i]);
		at[len[i]] = '\0';
		at += len[i] + 1;
	}
	*dst = *src;
	dst->rule_id = to[0];
	dst->domain = to[1];
	dst->title = to[2];
	dst->message = to[3];
	dst->path = to[4];
	dst->pointer = to[5];
	dst->subject = to[6];
	if (src->waiver) {
		dst->waiver = assure_xcalloc(1, sizeof(*dst->waiver));
		dst->waiver->where = dup_or_empty(src->waiver->where);
		dst->waiver->reason = dup_or_empty(src->waiver->reason);
		dst->waiver->approved_by = dup_or_empty(src->waiver->approved_by);
		dst->waiver->approved_on = dup_or_empty(src->waiver->approved_on);
		dst->waiver->expires = dup_or_empty(src->waiver->expires);
	}
}

void assure_finding_clear(assure_finding *f)
{
	free(f->rule_id); /* the block of all seven strings */
	if (f->waiver) {
		free(f->waiver->where);
		free(f->waiver->reason);
		free(f->waiver->approved_by);
		free(f->waiver->approved_on);
		free(f->waiver->expires);
		free(f->waiver);
	}
	memset(f, 0, sizeof(*f));
}

void assure_finding_fingerprint(char out[41], const char *rule_id, const char *path, const char *subject)
{
	/* Only what identifies the breach: not the line, not the message, so a
	 * reformatted return or a changed figure keeps the same identity. */
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_printf(&b, "%s\n%s\n%s", rule_id, path ? path : "", subject ? subject : "");
	if (assure_hash_blob(out, b.ptr, b.len) < 0)
		memset(out, '0', 40), out[40] = '\0';
	assure_buf_free(&b);
}

bool assure_fingerprint_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
			return false;
	return n == 40;
}

void assure_findings_add(assure_findings *l, const assure_finding *f)
{
	shared *s = assure_xcalloc(1, sizeof(*s));
	assure_finding_copy(&s->f, f);
	assure_finding_fingerprint(s->f.fingerprint, s->f.rule_id, s->f.path, s->f.subject);
	push(l, s);
}

void assure_findings_extend(assure_findings *l, const assure_findings *src)
{
	for (size_t i = 0; i < src->count; i++)
		push(l, src->items[i]);
}

void assure_findings_share(assure_findings *l, const assure_findings *src, size_t i)
{
	if (i < src->count)
		push(l, src->items[i]);
}

const assure_finding *assure_findings_hold(const assure_findings *l, size_t i)
{
	if (i >= l->count)
		return NULL;
	l->items[i]->refs++;
	return &l->items[i]->f;
}

const assure_finding *assure_finding_hold_copy(const assure_finding *f)
{
	shared *s = assure_xcalloc(1, sizeof(*s));
	assure_finding_copy(&s->f, f);
	s->refs = 1;
	return &s->f;
}

void assure_finding_release(const assure_finding *f)
{
	if (f) /* every held finding is the f of a shared */
		release((shared *)((const char *)f - offsetof(shared, f)));
}

size_t assure_findings_count(const assure_findings *l)
{
	return l->count;
}

const assure_finding *assure_findings_get(const assure_findings *l, size_t i)
{
	return i < l->count ? &l->items[i]->f : NULL;
}

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

static int cmp_report_order(const assure_finding *a, const assure_finding *b)
{
	int c;
	if ((c = strcmp(a->path, b->path)))
		return c;
	if ((c = cmp_int(a->line, b->line)))
		return c;
	if ((c = cmp_int(a->column, b->column)))
		return c;
	if ((c = strcmp(a->rule_id, b->rule_id)))
		return c;
	if ((c = strcmp(a->message, b->message)))
		return c;
	return strcmp(a->subject, b->subject);
}

static int cmp_items_report_order(const void *pa, const void *pb)
{
	return cmp_report_order(&(*(shared *const *)pa)->f, &(*(shared *const *)pb)->f);
}

void assure_findings_sort(assure_findings *l)
{
	if (l->count)
		qsort(l->items, l->count, sizeof(*l->items), cmp_items_report_order);
}

static int cmp_fingerprint(const void *pa, const void *pb)
{
	const assure_finding *a = &(*(shared *const *)pa)->f, *b = &(*(shared *const *)pb)->f;
	int c = strcmp(a->fingerprint, b->fingerprint);
	return c ? c : cmp_report_order(a, b);
}

void assure_findings_sort_by_fingerprint(assure_findings *l)
{
	if (l->count)
		qsort(l->items, l->count, sizeof(*l->items), cmp_fingerprint);
}

long assure_findings_find_fingerprint(const assure_findings *l, const char *fingerprint)
{
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->items[mid]->f.fingerprint, fingerprint) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->count && strcmp(l->items[lo]->f.fingerprint, fingerprint) == 0 ? (long)lo : -1;
}

void assure_findings_counts(const assure_findings *l, size_t counts[ASSURE_SEV_COUNT])
{
	for (int i = 0; i < ASSURE_SEV_COUNT; i++)
		counts[i] = 0;
	for (size_t i = 0; i < l->count; i++)
		counts[l->items[i]->f.severity]++;
}
