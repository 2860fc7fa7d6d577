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
		*count = v->u.list.count;
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
		assure_value_copy(out, &v->u.list.items[i]);
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
	if (rc == 0)
		assure_value_set_date(out, d);
	return rc;
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
	if (rc == 0)
		value_set_long(out, (long)b - (long)a);
	return rc;
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
		n = v->u.list.count;
	} else if (v->kind == ASSURE_VAL_JSON) {
		n = json_is_object(v->u.json) ? json_object_size(v->u.json) : json_array_size(v->u.json);
	} else {
		return ev_fail_value(e, v, "has no length");
	}
	value_set_long(out, (long)n);
	return 0;
}

FN(count)
{
	ev_items it;
	int rc = ev_items_get(e, call->kids[0], &it);
	if (rc == 0)
		value_set_long(out, (long)it.count);
	ev_items_clear(&it);
	return rc;
}

FN(sum)
{
	ev_items it;
	int rc = ev_items_get(e, call->kids[0], &it);
	assure_dec total;
	assure_dec_init(&total);
	const enode *arg = call->kids[0];
	for (size_t i = 0; rc == 0 && i < it.count; i++) {
		assure_value v;
		rc = ev_step(e);
		if (rc == 0)
			rc = ev_items_value(e, &it, i, &v);
		if (rc != 0)
			break;
		if (v.kind != ASSURE_VAL_NUMBER) {
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

/* min and max: of one list's items, or of several arguments. */
static int extreme(ev *e, const enode *call, assure_value *args, assure_value *out, int want)
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
		if (rc != 0)
			break;
		if (v.kind != ASSURE_VAL_NUMBER && v.kind != ASSURE_VAL_STRING && v.kind != ASSURE_VAL_DATE) {
			rc = ev_fail_value(e, &v, "is not a number, string or date");
		} else if (i == 0) {
			*out = v;
			continue;
		} else {
			int cmp = 0;
			rc = ev_compare(e, &v, out, &cmp);
			if (rc == 0 && cmp * want > 0) {
				assure_value_clear(out);
				*out = v;
				continue;
			}
		}
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
	int rc = ev_items_get(e, call->kids[0], &it);
	bool decided = false; /* all() met a false, any() a true */
	if (rc == 0 && (mode == EACH_FILTER || mode == EACH_MAP))
		value_set_list(out);
	for (size_t i = 0; rc == 0 && i < it.count && !decided; i++) {
		assure_value r;
		rc = ev_with_item(e, &it, i, body, &r);
		if (rc != 0)
			break;
		if (r.kind == ASSURE_VAL_ABSENT) {
			rc = ev_fail_absent(e, body);
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
	for (size_t i = 0; rc == 0 && i < count; i++) {
		assure_value v;
		rc = list_item(&args[0], i, &v);
		if (rc == 0 && ev_equal(&v, &args[1]))
			n++;
		assure_value_clear(&v);
	}
	if (rc == 0)
		value_set_long(out, (long)n);
	return rc;
}

FN(unique)
{
	size_t count = 0;
	int rc = need_list(e, &args[0], &count);
	if (rc != 0)
		return rc;
	value_set_list(out);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		assure_value v;
		rc = list_item(&args[0], i, &v);
		if (rc != 0)
			break;
		bool seen = false;
		for (size_t j = 0; j < out->u.list.count && !seen; j++)
			seen = ev_equal(&v, &out->u.list.items[j]);
		rc = ev_step(e); /* quadratic: count it */
		if (!seen && rc == 0)
			value_list_push(out, &v);
		assure_value_clear(&v);
	}
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
	if (rc != 0 || !e->ctx->file_doc)
		return rc;
	return assure_value_from_json(out, e->ctx->file_doc(args[0].u.str, e->ctx->payload));
}

/* The table: name, fewest and most arguments, FN_* flags, implementation, synopsis. */
static const fn_def functions[] = {
    {"abs", 1, 1, 0, fn_abs, "abs(x)"},
    {"all", 2, 2, FN_LAZY, fn_all, "all(items, condition)"},
    {"any", 2, 2, FN_LAZY, fn_any, "any(items, condition)"},
    {"count", 1, 1, FN_LAZY, fn_count, "count(items)"},
    {"date", 1, 1, 0, fn_date, "date(s)"},
    {"days", 2, 2, 0, fn_days, "days(a, b)"},
    {"default", 2, 2, FN_LAZY, fn_default, "default(x, y)"},
    {"exists", 1, 1, FN_LAZY, fn_exists, "exists(x)"},
    {"file_doc", 1, 1, FN_READS_OTHERS, fn_file_doc, "file_doc(path)"},
    {"filter", 2, 2, FN_LAZY, fn_filter, "filter(items, condition)"},
    {"is_date", 1, 1, 0, fn_is_date, "is_date(x)"},
    {"is_number", 1, 1, 0, fn_is_number, "is_number(x)"},
    {"is_string", 1, 1, 0, fn_is_string, "is_string(x)"},
    {"join", 2, 2, 0, fn_join, "join(list, separator)"},
    {"keys", 1, 1, 0, fn_keys, "keys(object)"},
    {"len", 1, 1, 0, fn_len, "len(x)"},
    {"lower", 1, 1, 0, fn_lower, "lower(s)"},
    {"map", 2, 2, FN_LAZY, fn_map, "map(items, expression)"},
    {"matches", 2, 2, FN_REGEX | FN_REGEX_FULL, fn_matches, "matches(s, re)"},
    {"max", 1, FN_VARIADIC, 0, fn_max, "max(list)"},
    {"min", 1, FN_VARIADIC, 0, fn_min, "min(list)"},
    {"number", 1, 1, 0, fn_number, "number(s)"},
    {"occurrences", 2, 2, 0, fn_occurrences, "occurrences(list, x)"},
    {"round", 1, 2, 0, fn_round, "round(x, n)"},
    {"search", 2, 2, FN_REGEX, fn_search, "search(s, re)"},
    {"string", 1, 1, 0, fn_string, "string(x)"},
    {"sum", 1, 1, FN_LAZY, fn_sum, "sum(items)"},
    {"trim", 1, 1, 0, fn_trim, "trim(s)"},
    {"type", 1, 1, FN_ABSENT_OK, fn_type, "type(x)"},
    {"unique", 1, 1, 0, fn_unique, "unique(list)"},
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
