/*
 * functions.c: the built-in functions of the expression language, one static const
 * table with one lookup.
 *
 * A function receives its arguments evaluated, with ABSENT already refused (the
 * reason names the argument's source), unless its row says FN_ABSENT_OK (type) or
 * FN_LAZY (it evaluates its own arguments: exists, default, and the functions that
 * take a query as a node list or evaluate an expression once per item).
 * To add a function, see src/README.md.
 */
#include "assure/date.h"
#include "assure/decimal.h"
#include "assure/error.h"
#include "assure/regex.h"
#include "assure/strmap.h"
#include "expr/expr_int.h"

#include <stdlib.h>
#include <string.h>

#define FN(name) static int fn_##name(ev *e, const enode *call, assure_value *args, assure_value *out)

static int need_string(ev *e, const assure_value *v)
{
	return v->kind == ASSURE_VAL_STRING ? 0 : ev_fail_value(e, v, "is not a string");
}

static int need_number(ev *e, const assure_value *v)
{
	return v->kind == ASSURE_VAL_NUMBER ? 0 : ev_fail_value(e, v, "is not a number");
}

/* A list or a JSON array, and its length. */
static int need_list(ev *e, const assure_value *v, size_t *count)
{
	if (v->kind == ASSURE_VAL_LIST) {
		*count = v->u.list->count;
		return 0;
	}
	if (v->kind == ASSURE_VAL_JSON && json_is_array(v->u.json)) {
		*count = json_array_size(v->u.json);
		return 0;
	}
	return ev_fail_value(e, v, "is not a list");
}

/* Item i of a list or JSON array (checked by need_list), as a value. */
static int list_item(const assure_value *v, size_t i, assure_value *out)
{
	if (v->kind == ASSURE_VAL_LIST) {
		assure_value_copy(out, &v->u.list->items[i]);
		return 0;
	}
	return assure_value_from_json(out, json_array_get(v->u.json, i));
}

/* ---- dates ---- */

static int to_date(ev *e, const assure_value *v, int32_t *d)
{
	if (v->kind == ASSURE_VAL_DATE) {
		*d = v->u.date;
		return 0;
	}
	if (v->kind == ASSURE_VAL_STRING && assure_date_parse(d, v->u.str) == 0)
		return 0;
	return ev_fail_value(e, v, "is not a date");
}

FN(date)
{
	int32_t d;
	int rc = to_date(e, &args[0], &d);
	if (rc != 0)
		return rc;
	/* to_date sets d when it returns 0; the analyzer does not see that ev_fail_value never does */
	assure_value_set_date(out, d); /* NOLINT(clang-analyzer-core.CallAndMessage) */
	return 0;
}

FN(is_date)
{
	int32_t d;
	bool ok = args[0].kind == ASSURE_VAL_DATE ||
	          (args[0].kind == ASSURE_VAL_STRING && assure_date_parse(&d, args[0].u.str) == 0);
	assure_value_set_bool(out, ok);
	return 0;
}

FN(days)
{
	int32_t a, b;
	int rc = to_date(e, &args[0], &a);
	if (rc == 0)
		rc = to_date(e, &args[1], &b);
	if (rc != 0)
		return rc;
	/* to_date sets a and b when it returns 0; the analyzer does not see that ev_fail_value never does */
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	value_set_long(out, (long)b - (long)a);
	return 0;
}

/* ---- regular expressions ---- */

#define RE_CACHE_SLOTS 4

struct re_cache {
	struct {
		char *pattern;    /* owned */
		assure_regex *re; /* owned */
	} slot[RE_CACHE_SLOTS];
	unsigned next; /* slot to replace next (round robin) */
};

struct re_cache *re_cache_new(void)
{
	return assure_xcalloc(1, sizeof(struct re_cache));
}

void re_cache_free(struct re_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < RE_CACHE_SLOTS; i++) {
		free(c->slot[i].pattern);
		assure_regex_free(c->slot[i].re);
	}
	free(c);
}

/* The compiled pattern of a call: from load time, or from the cache, or compiled now. */
static int call_regex(ev *e, const enode *call, const char *pattern, const assure_regex **re)
{
	if (call->re) {
		*re = call->re;
		return 0;
	}
	struct re_cache *c = call->re_cache;
	for (int i = 0; i < RE_CACHE_SLOTS; i++) {
		if (c->slot[i].pattern && strcmp(c->slot[i].pattern, pattern) == 0) {
			*re = c->slot[i].re;
			return 0;
		}
	}
	assure_regex *fresh = NULL;
	size_t eoff = 0;
	int flags = (call->fn->flags & FN_REGEX_FULL) ? ASSURE_REGEX_FULL : 0;
	if (assure_regex_new(&fresh, pattern, flags, &eoff) != 0)
		return ev_fail(e, "invalid regular expression '%s': %s at offset %zu", pattern,
		               assure_error_last(), eoff);
	unsigned k = c->next;
	c->next = (c->next + 1) % RE_CACHE_SLOTS;
	free(c->slot[k].pattern);
	assure_regex_free(c->slot[k].re);
	c->slot[k].pattern = assure_xstrdup(pattern);
	c->slot[k].re = fresh;
	*re = fresh;
	return 0;
}

static int regex_call(ev *e, const enode *call, assure_value *args, assure_value *out)
{
	int rc = need_string(e, &args[0]);
	if (rc == 0 && !call->re)
		rc = need_string(e, &args[1]);
	const assure_regex *re = NULL;
	if (rc == 0)
		rc = call_regex(e, call, call->re ? NULL : args[1].u.str, &re);
	if (rc != 0)
		return rc;
	int m = assure_regex_match(re, args[0].u.str, strlen(args[0].u.str));
	if (m == ASSURE_REGEX_MATCH || m == ASSURE_REGEX_NOMATCH) {
		assure_value_set_bool(out, m == ASSURE_REGEX_MATCH);
		return 0;
	}
	if (m == ASSURE_REGEX_ELIMIT || m == ASSURE_REGEX_EINVALID)
		return ev_fail(e, "%s", assure_error_last());
	return -1;
}

FN(matches)
{
	return regex_call(e, call, args, out);
}

FN(search)
{
	return regex_call(e, call, args, out);
}

/* ---- sizes and collections ---- */

FN(len)
{
	const assure_value *v = &args[0];
	size_t n;
	if (v->kind == ASSURE_VAL_STRING) {
		n = 0;
		for (const unsigned char *s = (const unsigned char *)v->u.str; *s; s++)
			n += (*s & 0xc0) != 0x80; /* count the first byte of each UTF-8 sequence */
	} else if (v->kind == ASSURE_VAL_LIST) {
		n = v->u.list->count;
	} else if (v->kind == ASSURE_VAL_JSON) {
		n = json_is_object(v->u.json) ? json_object_size(v->u.json) : json_array_size(v->u.json);
	} else {
		return ev_fail_value(e, v, "has no length");
	}
	value_set_long(out, (long)n);
	return 0;
}

/* The value of a function's body for item i, which must be present. */
static int body_value(ev *e, const ev_items *it, size_t i, const enode *body, assure_value *out)
{
	int rc = ev_with_item(e, it, i, body, out);
	if (rc == 0 && out->kind == ASSURE_VAL_ABSENT)
		rc = ev_fail_absent(e, body->kind == EN_LAMBDA ? body->kids[0] : body);
	return rc;
}

/* The body for item i as a condition. */
static int body_bool(ev *e, const ev_items *it, size_t i, const enode *body, bool *b)
{
	assure_value r;
	int rc = body_value(e, it, i, body, &r);
	if (rc == 0 && r.kind != ASSURE_VAL_BOOL)
		rc = ev_fail_value(e, &r, "is not true or false");
	if (rc == 0)
		*b = r.u.b;
	assure_value_clear(&r);
	return rc;
}

/* The items of a function's first argument, for its body if it has one (ev_items_get). */
static int call_items(ev *e, const enode *call, ev_items *it)
{
	return ev_items_get(e, call->kids[0], call->nkids == 2 ? call->kids[1] : NULL, it);
}

FN(count)
{
	ev_items it;
	int rc = call_items(e, call, &it);
	size_t n = it.count;
	if (rc == 0 && call->nkids == 2) {
		n = 0;
		for (size_t i = 0; rc == 0 && i < it.count; i++) {
			bool b = false;
			rc = body_bool(e, &it, i, call->kids[1], &b);
			n += b;
		}
	}
	if (rc == 0)
		value_set_long(out, (long)n);
	ev_items_clear(&it);
	return rc;
}

FN(sum)
{
	ev_items it;
	int rc = call_items(e, call, &it);
	assure_dec total;
	assure_dec_init(&total);
	const enode *arg = call->kids[0];
	for (size_t i = 0; rc == 0 && i < it.count; i++) {
		assure_value v;
		rc = ev_step(e);
		if (rc == 0)
			rc = call->nkids == 2 ? body_value(e, &it, i, call->kids[1], &v)
			                      : ev_items_value(e, &it, i, &v);
		if (rc != 0)
			break;
		if (v.kind != ASSURE_VAL_NUMBER && call->nkids == 2) {
			rc = ev_fail_value(e, &v, "is not a number");
		} else if (v.kind != ASSURE_VAL_NUMBER) {
			/* sum($.figures) adds one node, the array: say how to add its items */
			bool one_array = it.is_nodes && assure_jsonpath_is_singular(arg->query) &&
			                 v.kind == ASSURE_VAL_JSON && json_is_array(v.u.json);
			int len = (int)(arg->end - arg->off);
			const char *text = e->src + arg->off;
			char *d = ev_describe(&v);
			if (one_array)
				rc = ev_fail(e,
				             "item %zu of %.*s is %s, not a number (a singular query is one "
				             "node: write "
				             "%.*s[*] for its items)",
				             i, len, text, d, len, text);
			else
				rc = ev_fail(e, "item %zu of %.*s is %s, not a number", i, len, text, d);
			free(d);
		} else {
			int drc = assure_dec_add(&total, &total, &v.u.num);
			if (drc != 0)
				rc = ev_fail(e, "%s", assure_dec_strerror(drc));
		}
		assure_value_clear(&v);
	}
	if (rc == 0)
		value_set_dec(out, &total);
	assure_dec_clear(&total);
	ev_items_clear(&it);
	return rc;
}

/* The extreme of two candidates so far: keep *best, or replace it with v (moved). */
static int keep_extreme(ev *e, assure_value *best, bool first, assure_value *v, int want)
{
	if (v->kind != ASSURE_VAL_NUMBER && v->kind != ASSURE_VAL_STRING && v->kind != ASSURE_VAL_DATE)
		return ev_fail_value(e, v, "is not a number, string or date");
	int cmp = 0, rc = first ? 0 : ev_compare(e, v, best, &cmp);
	if (rc == 0 && (first || cmp * want > 0)) {
		assure_value_clear(best);
		*best = *v;
		memset(v, 0, sizeof(*v));
	}
	return rc;
}

/* min(items, o -> x) and max: the extreme value of x over the items. */
static int extreme_by(ev *e, const enode *call, assure_value *out, int want)
{
	ev_items it;
	int rc = call_items(e, call, &it);
	if (rc == 0 && it.count == 0)
		rc = ev_fail(e, "%s() of an empty list", call->fn->name);
	for (size_t i = 0; rc == 0 && i < it.count; i++) {
		assure_value v;
		rc = body_value(e, &it, i, call->kids[1], &v);
		if (rc == 0)
			rc = keep_extreme(e, out, i == 0, &v, want);
		assure_value_clear(&v);
	}
	ev_items_clear(&it);
	return rc;
}

static int extreme_values(ev *e, const enode *call, assure_value *args, assure_value *out, int want);

/* min and max: of one list's items, of several arguments, or of an expression per item. */
static int extreme(ev *e, const enode *call, assure_value *unused, assure_value *out, int want)
{
	(void)unused;
	if (call->nkids == 2 && call->kids[1]->kind == EN_LAMBDA)
		return extreme_by(e, call, out, want);
	assure_value *args = assure_xcalloc(call->nkids + 1, sizeof(assure_value));
	int rc = 0;
	for (size_t i = 0; i < call->nkids && rc == 0; i++)
		rc = ev_present(e, call->kids[i], &args[i]);
	if (rc == 0)
		rc = extreme_values(e, call, args, out, want);
	for (size_t i = 0; i < call->nkids; i++)
		assure_value_clear(&args[i]);
	free(args);
	return rc;
}

static int extreme_values(ev *e, const enode *call, assure_value *args, assure_value *out, int want)
{
	const assure_value *items = args;
	size_t count = call->nkids;
	const assure_value *list = NULL;
	if (count == 1) {
		list = &args[0];
		int rc = need_list(e, list, &count);
		if (rc != 0)
			return rc;
		if (count == 0)
			return ev_fail(e, "%s() of an empty list", call->fn->name);
	}
	int rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		assure_value v;
		if (list)
			rc = list_item(list, i, &v);
		else
			assure_value_copy(&v, &items[i]);
		if (rc == 0)
			rc = keep_extreme(e, out, i == 0, &v, want);
		assure_value_clear(&v);
	}
	return rc;
}

FN(min)
{
	return extreme(e, call, args, out, -1);
}

FN(max)
{
	return extreme(e, call, args, out, 1);
}

/* ---- numbers ---- */

FN(abs)
{
	int rc = need_number(e, &args[0]);
	if (rc == 0) {
		value_set_dec(out, &args[0].u.num);
		assure_dec_abs(&out->u.num, &out->u.num);
	}
	return rc;
}

/* Decimal places round() accepts: far beyond any figure in a return, small enough to stay cheap. */
#define ROUND_MAX_PLACES 100

FN(round)
{
	int rc = need_number(e, &args[0]);
	long places = 0;
	if (rc == 0 && call->nkids > 1) {
		rc = need_number(e, &args[1]);
		if (rc == 0 && (!assure_dec_to_long(&args[1].u.num, &places) || places > ROUND_MAX_PLACES ||
		                places < -ROUND_MAX_PLACES))
			rc = ev_fail_value(e, &args[1], "is not a whole number of places from -100 to 100");
	}
	if (rc != 0)
		return rc;
	assure_dec r;
	assure_dec_init(&r);
	int drc = assure_dec_round(&r, &args[0].u.num, (int)places);
	if (drc == 0)
		value_set_dec(out, &r);
	assure_dec_clear(&r);
	return drc == 0 ? 0 : ev_fail(e, "%s", assure_dec_strerror(drc));
}

FN(number)
{
	const assure_value *v = &args[0];
	if (v->kind == ASSURE_VAL_NUMBER) {
		assure_value_copy(out, v);
		return 0;
	}
	if (v->kind != ASSURE_VAL_STRING)
		return ev_fail_value(e, v, "is not a number");
	assure_dec d;
	assure_dec_init(&d);
	int rc = assure_dec_from_string(&d, v->u.str);
	if (rc == 0)
		value_set_dec(out, &d);
	assure_dec_clear(&d);
	if (rc == ASSURE_DEC_EOVERFLOW)
		return ev_fail(e, "%s", assure_dec_strerror(rc));
	return rc == 0 ? 0 : ev_fail_value(e, v, "is not a number");
}

/* ---- strings ---- */

static int map_ascii(ev *e, assure_value *args, assure_value *out, bool upper)
{
	int rc = need_string(e, &args[0]);
	if (rc != 0)
		return rc;
	char *s = assure_xstrdup(args[0].u.str);
	for (char *p = s; *p; p++) {
		if (upper && *p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!upper && *p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	value_set_string_owned(out, s);
	return 0;
}

FN(lower)
{
	return map_ascii(e, args, out, false);
}

FN(upper)
{
	return map_ascii(e, args, out, true);
}

/* Length of the blank (ASCII white space or U+00A0 no-break space) at s, or 0. */
static size_t blank_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

FN(trim)
{
	int rc = need_string(e, &args[0]);
	if (rc != 0)
		return rc;
	const char *s = args[0].u.str;
	size_t n;
	while ((n = blank_at(s)) > 0)
		s += n;
	size_t len = strlen(s);
	for (;;) {
		if (len >= 1 && blank_at(s + len - 1) == 1)
			len--;
		else if (len >= 2 && blank_at(s + len - 2) == 2)
			len -= 2;
		else
			break;
	}
	value_set_string_owned(out, assure_xstrndup(s, len));
	return 0;
}

FN(string)
{
	value_set_string_owned(out, assure_value_to_string(&args[0]));
	return 0;
}

/* ---- presence and types ---- */

FN(exists)
{
	const enode *arg = call->kids[0];
	int rc;
	if (ev_is_nodes(e, arg)) {
		assure_nodelist nl;
		assure_nodelist_init(&nl);
		rc = ev_nodes(e, arg, &nl);
		if (rc == 0)
			assure_value_set_bool(out, nl.count > 0);
		assure_nodelist_clear(&nl);
		return rc;
	}
	assure_value v;
	rc = ev_node(e, arg, &v);
	if (rc == 0)
		assure_value_set_bool(out, v.kind != ASSURE_VAL_ABSENT);
	assure_value_clear(&v);
	return rc;
}

FN(default)
{
	int rc = ev_node(e, call->kids[0], out);
	if (rc == 0 && out->kind == ASSURE_VAL_ABSENT)
		rc = ev_node(e, call->kids[1], out);
	return rc;
}

FN(is_number)
{
	assure_value_set_bool(out, args[0].kind == ASSURE_VAL_NUMBER);
	return 0;
}

FN(is_string)
{
	assure_value_set_bool(out, args[0].kind == ASSURE_VAL_STRING);
	return 0;
}

FN(type)
{
	assure_value_set_string(out, ev_type_name(&args[0]));
	return 0;
}

/* ---- per-item functions ---- */

typedef enum { EACH_ALL, EACH_ANY, EACH_FILTER, EACH_MAP } each_mode;

static int each(ev *e, const enode *call, assure_value *out, each_mode mode)
{
	ev_items it;
	const enode *body = call->kids[1];
	int rc = call_items(e, call, &it);
	bool decided = false; /* all() met a false, any() a true */
	if (rc == 0 && (mode == EACH_FILTER || mode == EACH_MAP))
		value_set_list(out);
	for (size_t i = 0; rc == 0 && i < it.count && !decided; i++) {
		assure_value r;
		rc = ev_with_item(e, &it, i, body, &r);
		if (rc != 0)
			break;
		if (r.kind == ASSURE_VAL_ABSENT) {
			rc = ev_fail_absent(e, body->kind == EN_LAMBDA ? body->kids[0] : body);
		} else if (mode == EACH_MAP) {
			value_list_push(out, &r);
		} else if (r.kind != ASSURE_VAL_BOOL) {
			rc = ev_fail_value(e, &r, "is not true or false");
		} else if (mode == EACH_FILTER) {
			if (r.u.b) {
				assure_value item;
				rc = ev_items_value(e, &it, i, &item);
				if (rc == 0)
					value_list_push(out, &item);
			}
		} else {
			decided = mode == EACH_ALL ? !r.u.b : r.u.b;
		}
		assure_value_clear(&r);
	}
	if (rc == 0 && mode == EACH_ALL)
		assure_value_set_bool(out, !decided);
	else if (rc == 0 && mode == EACH_ANY)
		assure_value_set_bool(out, decided);
	ev_items_clear(&it);
	return rc;
}

FN(all)
{
	return each(e, call, out, EACH_ALL);
}

FN(any)
{
	return each(e, call, out, EACH_ANY);
}

FN(filter)
{
	return each(e, call, out, EACH_FILTER);
}

FN(map)
{
	return each(e, call, out, EACH_MAP);
}

FN(occurrences)
{
	size_t count = 0, n = 0;
	int rc = need_list(e, &args[0], &count);
	if (rc == 0 && args[0].kind == ASSURE_VAL_LIST) {
		/* the list's own index: a list shared by every node of a rule is counted once */
		n = value_list_occurrences(&args[0], &args[1]);
	} else {
		for (size_t i = 0; rc == 0 && i < count; i++) {
			assure_value v;
			rc = list_item(&args[0], i, &v);
			if (rc == 0 && ev_equal(&v, &args[1]))
				n++;
			assure_value_clear(&v);
		}
	}
	if (rc == 0)
		value_set_long(out, (long)n);
	return rc;
}

/* True (and v's key counted) the first time a value's canonical text is seen in seen. */
static bool first_seen(assure_strmap *seen, assure_buf *key, const assure_value *v)
{
	assure_buf_clear(key);
	value_canon(key, v);
	bool added = false;
	assure_strmap_slot(seen, key->ptr ? key->ptr : "", key->len, &added);
	return added;
}

FN(unique)
{
	size_t count = 0;
	int rc = need_list(e, &args[0], &count);
	if (rc != 0)
		return rc;
	value_set_list(out);
	assure_strmap *seen = assure_strmap_new();
	assure_buf key = ASSURE_BUF_INIT;
	for (size_t i = 0; rc == 0 && i < count; i++) {
		assure_value v;
		rc = list_item(&args[0], i, &v);
		if (rc == 0)
			rc = ev_step(e);
		if (rc == 0 && first_seen(seen, &key, &v))
			value_list_push(out, &v);
		assure_value_clear(&v);
	}
	assure_buf_free(&key);
	assure_strmap_free(seen);
	return rc;
}

/* ---- by an expression per item ---- */

/* An item and the value of the body for it. */
typedef struct keyed {
	assure_value item; /* owned */
	assure_value key;  /* owned */
	size_t pos;        /* position in the items, for a stable order */
} keyed;

/* Every item with its key; *n set. */
static int keyed_items(ev *e, const enode *call, keyed **out, size_t *n)
{
	ev_items it;
	int rc = call_items(e, call, &it);
	keyed *k = assure_xcalloc(it.count + 1, sizeof(keyed));
	size_t done = 0;
	for (size_t i = 0; rc == 0 && i < it.count; i++, done++) {
		rc = body_value(e, &it, i, call->kids[1], &k[i].key);
		if (rc == 0)
			rc = ev_items_value(e, &it, i, &k[i].item);
		k[i].pos = i;
	}
	ev_items_clear(&it);
	*out = k;
	*n = rc == 0 ? done : done + 1;
	return rc;
}

static void keyed_free(keyed *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assure_value_clear(&k[i].item);
		assure_value_clear(&k[i].key);
	}
	free(k);
}

/* qsort has no payload: the sort's failure (keys that cannot be ordered) travels here. */
static _Thread_local struct {
	ev *e;
	int rc;
} sort_state;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int cmp = 0;
	if (sort_state.rc == 0 && ev_compare(sort_state.e, &x->key, &y->key, &cmp) != 0)
		sort_state.rc = EV_FAIL;
	if (cmp == 0)
		cmp = x->pos < y->pos ? -1 : x->pos > y->pos;
	return cmp;
}

FN(sort_by)
{
	keyed *k;
	size_t n;
	int rc = keyed_items(e, call, &k, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		assure_value_kind kk = k[i].key.kind;
		if (kk != ASSURE_VAL_NUMBER && kk != ASSURE_VAL_STRING && kk != ASSURE_VAL_DATE)
			rc = ev_fail_value(e, &k[i].key,
			                   "is not a number, string or date, so it cannot be sorted by");
	}
	if (rc == 0) {
		sort_state.e = e;
		sort_state.rc = 0;
		qsort(k, n, sizeof(keyed), cmp_keyed);
		rc = sort_state.rc;
	}
	if (rc == 0) {
		value_set_list(out);
		for (size_t i = 0; i < n; i++)
			value_list_push(out, &k[i].item);
	}
	keyed_free(k, n);
	return rc;
}

/* Items of the same key, in the order of each key's first item. */
static int grouped(ev *e, const enode *call, keyed **k, size_t *n, assure_strmap **groups, size_t **first)
{
	int rc = keyed_items(e, call, k, n);
	*groups = assure_strmap_new();
	*first = assure_xcalloc(*n + 1, sizeof(size_t));
	assure_buf key = ASSURE_BUF_INIT;
	for (size_t i = 0; rc == 0 && i < *n; i++) {
		assure_buf_clear(&key);
		value_canon(&key, &(*k)[i].key);
		bool added = false;
		size_t *slot = assure_strmap_slot(*groups, key.ptr ? key.ptr : "", key.len, &added);
		if (added)
			*slot = i;
		(*first)[i] = *slot; /* the item that opened i's group */
	}
	assure_buf_free(&key);
	return rc;
}

FN(unique_by)
{
	keyed *k;
	size_t n, *first;
	assure_strmap *groups;
	int rc = grouped(e, call, &k, &n, &groups, &first);
	if (rc == 0) {
		value_set_list(out);
		for (size_t i = 0; i < n; i++)
			if (first[i] == i)
				value_list_push(out, &k[i].item);
	}
	assure_strmap_free(groups);
	free(first);
	keyed_free(k, n);
	return rc;
}

FN(group_by)
{
	keyed *k;
	size_t n, *first;
	assure_strmap *groups;
	int rc = grouped(e, call, &k, &n, &groups, &first);
	json_t **lists = assure_xcalloc(n + 1, sizeof(json_t *));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *item = NULL;
		rc = value_to_json(&item, &k[i].item);
		if (rc > 0)
			rc = ev_fail(e, "%s", assure_error_last());
		if (rc != 0)
			break;
		if (!lists[first[i]])
			lists[first[i]] = json_array();
		json_array_append_new(lists[first[i]], item);
	}
	if (rc == 0) {
		value_set_list(out);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (first[i] != i)
				continue;
			json_t *g = json_object(), *key = NULL;
			rc = value_to_json(&key, &k[i].key);
			if (rc > 0)
				rc = ev_fail(e, "%s", assure_error_last());
			if (rc == 0) {
				json_object_set_new(g, "key", key);
				json_object_set(g, "items", lists[i]);
				assure_value v = {.kind = ASSURE_VAL_JSON, .u.json = g};
				value_list_push(out, &v);
			} else {
				json_decref(g);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		json_decref(lists[i]);
	free(lists);
	assure_strmap_free(groups);
	free(first);
	keyed_free(k, n);
	return rc;
}

FN(index_by)
{
	keyed *k;
	size_t n;
	int rc = keyed_items(e, call, &k, &n);
	json_t *obj = json_object();
	json_t *where = json_object(); /* key -> position of the item that gave it */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const assure_value *key = &k[i].key;
		if (key->kind != ASSURE_VAL_STRING && key->kind != ASSURE_VAL_NUMBER) {
			rc = ev_fail_value(e, key, "is not a string or a number, so it cannot be a key");
			break;
		}
		char *name = assure_value_to_string(key);
		json_t *before = json_object_get(where, name);
		if (before) {
			rc = ev_fail(e, "items %lld and %zu have the same key '%s' (group_by() keeps both)",
			             (long long)json_integer_value(before), i, name);
		} else {
			json_t *item = NULL;
			rc = value_to_json(&item, &k[i].item);
			if (rc > 0)
				rc = ev_fail(e, "%s", assure_error_last());
			if (rc == 0) {
				json_object_set_new(obj, name, item);
				json_object_set_new(where, name, json_integer((json_int_t)i));
			}
		}
		free(name);
	}
	json_decref(where);
	if (rc == 0) {
		out->kind = ASSURE_VAL_JSON;
		out->u.json = obj;
	} else {
		json_decref(obj);
	}
	keyed_free(k, n);
	return rc;
}

FN(keys)
{
	const assure_value *v = &args[0];
	if (v->kind != ASSURE_VAL_JSON || !json_is_object(v->u.json))
		return ev_fail_value(e, v, "is not an object");
	value_set_list(out);
	const char *key;
	json_t *member;
	json_object_foreach(v->u.json, key, member)
	{
		(void)member;
		assure_value k;
		assure_value_set_string(&k, key);
		value_list_push(out, &k);
	}
	return 0;
}

/* Strings and numbers only: joining objects would put JSON text in a message. */
FN(join)
{
	size_t count = 0;
	int rc = need_list(e, &args[0], &count);
	if (rc == 0)
		rc = need_string(e, &args[1]);
	if (rc != 0)
		return rc;
	assure_buf b = ASSURE_BUF_INIT;
	for (size_t i = 0; rc == 0 && i < count; i++) {
		assure_value v;
		rc = list_item(&args[0], i, &v);
		if (rc != 0)
			break;
		if (v.kind != ASSURE_VAL_STRING && v.kind != ASSURE_VAL_NUMBER) {
			rc = ev_fail_value(e, &v, "is not a string or a number");
		} else {
			char *t = assure_value_to_string(&v);
			if (i)
				assure_buf_puts(&b, args[1].u.str);
			assure_buf_puts(&b, t);
			free(t);
			rc = ev_step(e);
		}
		assure_value_clear(&v);
	}
	if (rc == 0)
		value_set_string_owned(out, assure_buf_detach(&b));
	assure_buf_free(&b);
	return rc;
}

FN(file_doc)
{
	int rc = need_string(e, &args[0]);
	if (rc != 0)
		return rc;
	if (!e->ctx->file_doc)
		return ev_fail(e, "file_doc() has no snapshot to read '%s' from", args[0].u.str);
	json_t *doc = NULL;
	char *why = NULL;
	rc = e->ctx->file_doc(&doc, args[0].u.str, e->ctx->payload, &why);
	if (rc == EV_FAIL) {
		ev_fail(e, "%s", why);
		free(why);
		return EV_FAIL;
	}
	if (rc < 0)
		return -1;
	return doc ? assure_value_from_json(out, doc) : 0;
}

/* The returns of a kind whose top-level members equal the filter's, as a JSON array. */
static int lookup(ev *e, assure_value *args, json_t **found)
{
	int rc = need_string(e, &args[0]);
	if (rc != 0)
		return rc;
	const assure_value *f = &args[1];
	if (f->kind != ASSURE_VAL_JSON || !json_is_object(f->u.json))
		return ev_fail_value(e, f, "is not an object of members to match, such as {year: $.year}");
	if (!e->ctx->lookup)
		return ev_fail(e, "no snapshot to look for '%s' returns in", args[0].u.str);
	char *why = NULL;
	rc = e->ctx->lookup(found, args[0].u.str, f->u.json, e->ctx->payload, &why);
	if (rc == EV_FAIL) {
		ev_fail(e, "%s", why);
		free(why);
	}
	return rc;
}

FN(returns)
{
	json_t *found = NULL;
	int rc = lookup(e, args, &found);
	if (rc != 0)
		return rc;
	value_set_list(out);
	for (size_t i = 0; i < json_array_size(found); i++) {
		assure_value v = {.kind = ASSURE_VAL_JSON, .u.json = json_incref(json_array_get(found, i))};
		value_list_push(out, &v);
	}
	json_decref(found);
	return 0;
}

FN(the)
{
	json_t *found = NULL;
	int rc = lookup(e, args, &found);
	if (rc != 0)
		return rc;
	size_t n = json_array_size(found);
	if (n == 1) {
		out->kind = ASSURE_VAL_JSON;
		out->u.json = json_incref(json_array_get(found, 0));
	} else if (n > 1) {
		assure_buf b = ASSURE_BUF_INIT;
		char *filter = assure_value_to_string(&args[1]);
		assure_buf_printf(&b, "%zu %s returns match %s, where the() needs one:", n, args[0].u.str,
		                  filter);
		for (size_t i = 0; i < n; i++)
			assure_buf_printf(
			    &b, "%s %s", i ? "," : "",
			    json_string_value(json_object_get(json_array_get(found, i), "path")));
		free(filter);
		ev_fail(e, "%s", b.ptr);
		assure_buf_free(&b);
		rc = EV_FAIL;
	}
	json_decref(found);
	return rc;
}

/* ---- where the current node is ---- */

/* Unescape one JSON Pointer token (~1 is '/', ~0 is '~'). */
static char *pointer_token(const char *s, size_t len)
{
	assure_buf b = ASSURE_BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '~' && i + 1 < len && (s[i + 1] == '0' || s[i + 1] == '1')) {
			assure_buf_putc(&b, s[i + 1] == '0' ? '~' : '/');
			i++;
		} else {
			assure_buf_putc(&b, s[i]);
		}
	}
	char *t = assure_buf_detach(&b);
	return t ? t : assure_xstrdup("");
}

/*
 * Walk pointer from root, calling visit for each step with the token and whether it
 * indexes an array. Returns false when the pointer leaves the document.
 */
static bool walk_pointer(json_t *root, const char *pointer, void (*visit)(void *, const char *, bool, size_t),
                         void *payload)
{
	json_t *at = root;
	const char *p = pointer;
	while (*p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
		char *tok = pointer_token(p + 1, len);
		bool array = json_is_array(at);
		size_t idx = 0;
		if (array) {
			idx = (size_t)strtoull(tok, NULL, 10);
			at = json_array_get(at, idx);
		} else {
			at = json_is_object(at) ? json_object_get(at, tok) : NULL;
		}
		if (!at) {
			free(tok);
			return false;
		}
		visit(payload, tok, array, idx);
		free(tok);
		p += 1 + len;
	}
	return true;
}

typedef struct last_step {
	char *name; /* owned */
	bool array; /* the step indexed an array */
	size_t index;
	assure_buf dotted; /* every step, joined by '.' */
} last_step;

static void record_step(void *payload, const char *tok, bool array, size_t idx)
{
	last_step *l = payload;
	free(l->name);
	l->name = assure_xstrdup(tok);
	l->array = array;
	l->index = idx;
	if (l->dotted.len)
		assure_buf_putc(&l->dotted, '.');
	assure_buf_puts(&l->dotted, tok);
}

/* key() and field(): the current node's last step or every step. */
static int current_steps(ev *e, const char *fname, last_step *l, long *list_index)
{
	const char *pointer;
	ev_current_place(e, &pointer, list_index);
	memset(l, 0, sizeof(*l));
	assure_buf_init(&l->dotted);
	if (*list_index >= 0)
		return 0;
	if (!pointer || !e->ctx->root)
		return ev_fail(
		    e, "%s() needs '@' to be a node of the document, not a value made by the expression",
		    fname);
	if (!walk_pointer(e->ctx->root, pointer, record_step, l))
		return ev_fail(e, "%s(): '%s' is not a node of the document", fname, pointer);
	return 0;
}

FN(key)
{
	last_step l;
	long index;
	int rc = current_steps(e, "key", &l, &index);
	if (rc == 0 && index >= 0)
		value_set_long(out, index);
	else if (rc == 0 && l.name && l.array)
		value_set_long(out, (long)l.index);
	else if (rc == 0 && l.name)
		assure_value_set_string(out, l.name);
	/* at the root there is no key: absent */
	free(l.name);
	assure_buf_free(&l.dotted);
	return rc;
}

FN(field)
{
	last_step l;
	long index;
	int rc = current_steps(e, "field", &l, &index);
	if (rc == 0 && index >= 0)
		value_set_long(out, index);
	else if (rc == 0)
		value_set_string_owned(out, l.dotted.len ? assure_buf_detach(&l.dotted) : assure_xstrdup(""));
	free(l.name);
	assure_buf_free(&l.dotted);
	return rc;
}

/* get(value, 'a.b') or get(value, '/a/b'): a member path held in data. */
FN(get)
{
	int rc = need_string(e, &args[1]);
	if (rc != 0)
		return rc;
	const char *path = args[1].u.str;
	bool pointer = path[0] == '/';
	assure_value cur;
	assure_value_copy(&cur, &args[0]);
	const char *p = pointer ? path + 1 : path;
	bool done = !pointer && *p == '\0';
	while (!done && cur.kind != ASSURE_VAL_ABSENT) {
		const char *end = strchr(p, pointer ? '/' : '.');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *tok = pointer ? pointer_token(p, len) : assure_xstrndup(p, len);
		assure_value next = {0};
		if (cur.kind == ASSURE_VAL_JSON && json_is_object(cur.u.json)) {
			rc = assure_value_from_json(&next, json_object_get(cur.u.json, tok));
		} else if ((cur.kind == ASSURE_VAL_JSON && json_is_array(cur.u.json)) ||
		           cur.kind == ASSURE_VAL_LIST) {
			char *digits_end = NULL;
			unsigned long long i = strtoull(tok, &digits_end, 10);
			bool index = *tok >= '0' && *tok <= '9' && *digits_end == '\0';
			if (index && cur.kind == ASSURE_VAL_LIST && i < cur.u.list->count)
				assure_value_copy(&next, &cur.u.list->items[i]);
			else if (index && cur.kind == ASSURE_VAL_JSON)
				rc = assure_value_from_json(&next, json_array_get(cur.u.json, (size_t)i));
		}
		free(tok);
		assure_value_clear(&cur);
		cur = next;
		if (rc != 0 || !end)
			break;
		p = end + 1;
	}
	if (rc == 0)
		*out = cur;
	else
		assure_value_clear(&cur);
	return rc;
}

/* Longest list range() makes: far beyond any month or year count, and bounded. */
#define RANGE_MAX 100000

FN(range)
{
	long a, b;
	int rc = need_number(e, &args[0]);
	if (rc == 0)
		rc = need_number(e, &args[1]);
	if (rc == 0 && !assure_dec_to_long(&args[0].u.num, &a))
		rc = ev_fail_value(e, &args[0], "is not a whole number");
	if (rc == 0 && !assure_dec_to_long(&args[1].u.num, &b))
		rc = ev_fail_value(e, &args[1], "is not a whole number");
	if (rc == 0 && b >= a && (unsigned long)(b - a) >= RANGE_MAX)
		rc = ev_fail(e, "range(%ld, %ld) would make more than %d numbers", a, b, RANGE_MAX);
	if (rc != 0)
		return rc;
	value_set_list(out);
	for (long i = a; i <= b; i++) {
		/* every number made is work: range() inside a per-item body must stay within the budget */
		if ((rc = ev_step(e)) != 0)
			return rc;
		assure_value v;
		value_set_long(&v, i);
		value_list_push(out, &v);
	}
	return 0;
}

/* ---- financial years: "2020-21" runs from 1 April 2020 to 31 March 2021 ---- */

/* The first calendar year of a financial year written YYYY-YY with consecutive years, or -1. */
static int fy_start(const char *s)
{
	if (strlen(s) != 7)
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !(s[i] >= '0' && s[i] <= '9'))
			return -1;
	if (s[4] != '-' || s[7] != '\0')
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int yy = (s[5] - '0') * 10 + (s[6] - '0');
	return (y + 1) % 100 == yy ? y : -1;
}

static int need_fy(ev *e, const assure_value *v, int *start)
{
	int rc = need_string(e, v);
	if (rc == 0 && (*start = fy_start(v->u.str)) < 0)
		rc = ev_fail_value(e, v, "is not a financial year written YYYY-YY, such as 2020-21");
	return rc;
}

FN(is_fy)
{
	assure_value_set_bool(out, args[0].kind == ASSURE_VAL_STRING && fy_start(args[0].u.str) >= 0);
	return 0;
}

static int fy_shift(ev *e, assure_value *args, assure_value *out, int by)
{
	int y;
	int rc = need_fy(e, &args[0], &y);
	if (rc != 0)
		return rc;
	y += by;
	if (y < 1 || y > 9998)
		return ev_fail(e, "date out of range");
	char buf[16];
	snprintf(buf, sizeof(buf), "%04d-%02d", y, (y + 1) % 100);
	assure_value_set_string(out, buf);
	return 0;
}

FN(fy_next)
{
	return fy_shift(e, args, out, 1);
}

FN(fy_prev)
{
	return fy_shift(e, args, out, -1);
}

/* The calendar year and month of month n (1 is April) of a financial year. */
static int fy_month(ev *e, assure_value *args, int *year, int *month)
{
	int y;
	long n;
	int rc = need_fy(e, &args[0], &y);
	if (rc == 0)
		rc = need_number(e, &args[1]);
	if (rc == 0 && (!assure_dec_to_long(&args[1].u.num, &n) || n < 1 || n > 12))
		rc = ev_fail_value(
		    e, &args[1],
		    "is not a month of a financial year, a whole number from 1 (April) to 12 (March)");
	if (rc != 0)
		return rc;
	*month = (int)((n + 2) % 12) + 1; /* 1 -> 4 (April), 9 -> 12, 10 -> 1 (January) */
	*year = n >= 10 ? y + 1 : y;
	return 0;
}

FN(fy_month_start)
{
	int y, m;
	int32_t d;
	int rc = fy_month(e, args, &y, &m);
	if (rc == 0 && assure_date_from_ymd(&d, y, m, 1) != 0)
		rc = ev_fail(e, "date out of range");
	if (rc == 0)
		assure_value_set_date(out, d);
	return rc;
}

FN(fy_month_end)
{
	int y, m;
	int32_t d;
	int rc = fy_month(e, args, &y, &m);
	/* the day before the first of the next month */
	if (rc == 0 && assure_date_from_ymd(&d, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) != 0)
		rc = ev_fail(e, "date out of range");
	if (rc == 0)
		assure_value_set_date(out, d - 1);
	return rc;
}

/* The table: name, fewest and most arguments, FN_* flags, implementation, synopsis. */
#define EACH (FN_LAZY | FN_BODY | FN_IMPLICIT)

static const fn_def functions[] = {
    {"abs", 1, 1, 0, fn_abs, "abs(x)"},
    {"all", 2, 2, EACH, fn_all, "all(items, condition)"},
    {"any", 2, 2, EACH, fn_any, "any(items, condition)"},
    {"count", 1, 2, EACH, fn_count, "count(items)"},
    {"date", 1, 1, 0, fn_date, "date(s)"},
    {"days", 2, 2, 0, fn_days, "days(a, b)"},
    {"default", 2, 2, FN_LAZY, fn_default, "default(x, y)"},
    {"exists", 1, 1, FN_LAZY, fn_exists, "exists(x)"},
    {"field", 0, 0, FN_AT, fn_field, "field()"},
    {"file_doc", 1, 1, FN_READS_OTHERS, fn_file_doc, "file_doc(path)"},
    {"filter", 2, 2, EACH, fn_filter, "filter(items, condition)"},
    {"fy_month_end", 2, 2, 0, fn_fy_month_end, "fy_month_end(year, n)"},
    {"fy_month_start", 2, 2, 0, fn_fy_month_start, "fy_month_start(year, n)"},
    {"fy_next", 1, 1, 0, fn_fy_next, "fy_next(year)"},
    {"fy_prev", 1, 1, 0, fn_fy_prev, "fy_prev(year)"},
    {"get", 2, 2, 0, fn_get, "get(value, path)"},
    {"group_by", 2, 2, EACH, fn_group_by, "group_by(items, key)"},
    {"index_by", 2, 2, EACH, fn_index_by, "index_by(items, key)"},
    {"is_date", 1, 1, 0, fn_is_date, "is_date(x)"},
    {"is_fy", 1, 1, 0, fn_is_fy, "is_fy(x)"},
    {"is_number", 1, 1, 0, fn_is_number, "is_number(x)"},
    {"is_string", 1, 1, 0, fn_is_string, "is_string(x)"},
    {"join", 2, 2, 0, fn_join, "join(list, separator)"},
    {"key", 0, 0, FN_AT, fn_key, "key()"},
    {"keys", 1, 1, 0, fn_keys, "keys(object)"},
    {"len", 1, 1, 0, fn_len, "len(x)"},
    {"lower", 1, 1, 0, fn_lower, "lower(s)"},
    {"map", 2, 2, EACH, fn_map, "map(items, expression)"},
    {"matches", 2, 2, FN_REGEX | FN_REGEX_FULL, fn_matches, "matches(s, re)"},
    {"max", 1, FN_VARIADIC, FN_LAZY | FN_BODY, fn_max, "max(list)"},
    {"min", 1, FN_VARIADIC, FN_LAZY | FN_BODY, fn_min, "min(list)"},
    {"number", 1, 1, 0, fn_number, "number(s)"},
    {"occurrences", 2, 2, 0, fn_occurrences, "occurrences(list, x)"},
    {"range", 2, 2, 0, fn_range, "range(a, b)"},
    {"returns", 2, 2, FN_READS_OTHERS, fn_returns, "returns(kind, filter)"},
    {"round", 1, 2, 0, fn_round, "round(x, n)"},
    {"search", 2, 2, FN_REGEX, fn_search, "search(s, re)"},
    {"sort_by", 2, 2, EACH, fn_sort_by, "sort_by(items, key)"},
    {"string", 1, 1, 0, fn_string, "string(x)"},
    {"sum", 1, 2, EACH, fn_sum, "sum(items)"},
    {"the", 2, 2, FN_READS_OTHERS, fn_the, "the(kind, filter)"},
    {"trim", 1, 1, 0, fn_trim, "trim(s)"},
    {"type", 1, 1, FN_ABSENT_OK, fn_type, "type(x)"},
    {"unique", 1, 1, 0, fn_unique, "unique(list)"},
    {"unique_by", 2, 2, EACH, fn_unique_by, "unique_by(items, key)"},
    {"upper", 1, 1, 0, fn_upper, "upper(s)"},
};

const fn_def *fn_lookup(const char *name)
{
	size_t lo = 0, hi = sizeof(functions) / sizeof(functions[0]);
	while (lo < hi) { /* the table is sorted by name (test_functions checks) */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, functions[mid].name);
		if (c == 0)
			return &functions[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const fn_def *fn_table(size_t *count)
{
	*count = sizeof(functions) / sizeof(functions[0]);
	return functions;
}
