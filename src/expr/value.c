/*
 * value.c: the values of the expression language and their text forms.
 *
 * Numbers are printed from their exact decimal (decimal.h), never through a double,
 * and that holds inside lists and JSON too: a JSON real is read back through its
 * shortest round-trip text, so 0.1 prints "0.1", not "0.10000000000000001" as
 * jansson's own dump would.
 */
#include "assure/value.h"

#include "assure/buf.h"
#include "assure/date.h"
#include "assure/error.h"
#include "assure/strmap.h"
#include "expr/expr_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void assure_value_clear(assure_value *v)
{
	if (!v)
		return;
	switch (v->kind) {
	case ASSURE_VAL_NUMBER:
		assure_dec_clear(&v->u.num);
		break;
	case ASSURE_VAL_STRING:
		if (v->u.str_json)
			json_decref(v->u.str_json);
		else
			free(v->u.str);
		break;
	case ASSURE_VAL_LIST:
		if (--v->u.list->refs == 0) {
			for (size_t i = 0; i < v->u.list->count; i++)
				assure_value_clear(&v->u.list->items[i]);
			free(v->u.list->items);
			assure_strmap_free(v->u.list->index);
			free(v->u.list);
		}
		break;
	case ASSURE_VAL_JSON:
		json_decref(v->u.json);
		break;
	default:
		break;
	}
	memset(v, 0, sizeof(*v));
}

void assure_value_copy(assure_value *out, const assure_value *v)
{
	memset(out, 0, sizeof(*out));
	out->kind = v->kind;
	switch (v->kind) {
	case ASSURE_VAL_BOOL:
		out->u.b = v->u.b;
		break;
	case ASSURE_VAL_NUMBER:
		assure_dec_init(&out->u.num);
		assure_dec_set(&out->u.num, &v->u.num);
		break;
	case ASSURE_VAL_STRING:
		if (v->u.str_json) {
			out->u.str = v->u.str;
			out->u.str_json = json_incref(v->u.str_json);
		} else {
			out->u.str = assure_xstrdup(v->u.str);
		}
		break;
	case ASSURE_VAL_DATE:
		out->u.date = v->u.date;
		break;
	case ASSURE_VAL_LIST:
		out->u.list = v->u.list;
		out->u.list->refs++;
		break;
	case ASSURE_VAL_JSON:
		out->u.json = json_incref(v->u.json);
		break;
	default:
		break;
	}
}

void assure_value_set_bool(assure_value *out, bool b)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_BOOL;
	out->u.b = b;
}

void assure_value_set_string(assure_value *out, const char *s)
{
	value_set_string_owned(out, assure_xstrdup(s));
}

void assure_value_set_date(assure_value *out, int32_t date)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_DATE;
	out->u.date = date;
}

void value_set_null(assure_value *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_NULL;
}

void value_set_dec(assure_value *out, const assure_dec *d)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_NUMBER;
	assure_dec_init(&out->u.num);
	assure_dec_set(&out->u.num, d);
}

void value_set_long(assure_value *out, long n)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_NUMBER;
	assure_dec_init(&out->u.num);
	assure_dec_set_int(&out->u.num, n);
}

void value_set_string_owned(assure_value *out, char *s)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_STRING;
	out->u.str = s;
}

void value_set_list(assure_value *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = ASSURE_VAL_LIST;
	out->u.list = assure_xcalloc(1, sizeof(assure_list));
	out->u.list->refs = 1;
}

void value_list_push(assure_value *list, assure_value *item)
{
	assure_list *l = list->u.list;
	/* a shared list is a value others hold: changing it would change theirs */
	assert(l->refs == 1 && !l->index);
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->items = assure_xrealloc(l->items, l->cap * sizeof(assure_value));
	}
	l->items[l->count++] = *item;
	memset(item, 0, sizeof(*item));
}

int assure_value_from_json(assure_value *out, json_t *json)
{
	memset(out, 0, sizeof(*out));
	if (!json)
		return 0;
	switch (json_typeof(json)) {
	case JSON_NULL:
		out->kind = ASSURE_VAL_NULL;
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		assure_value_set_bool(out, json_is_true(json));
		return 0;
	case JSON_INTEGER:
	case JSON_REAL: {
		assure_dec_init(&out->u.num);
		int rc = assure_dec_from_json(&out->u.num, json);
		if (rc != 0) {
			assure_dec_clear(&out->u.num);
			return assure_error_set("a JSON number cannot be read exactly: %s",
			                        assure_dec_strerror(rc));
		}
		out->kind = ASSURE_VAL_NUMBER;
		return 0;
	}
	case JSON_STRING:
		out->kind = ASSURE_VAL_STRING;
		out->u.str = (char *)json_string_value(json);
		out->u.str_json = json_incref(json);
		return 0;
	case JSON_OBJECT:
	case JSON_ARRAY:
		out->kind = ASSURE_VAL_JSON;
		out->u.json = json_incref(json);
		return 0;
	}
	return assure_error_set("unknown JSON type");
}

static void put_number(assure_buf *b, const assure_dec *d)
{
	char *s = assure_dec_format(d);
	assure_buf_puts(b, s);
	free(s);
}

static void put_json(assure_buf *b, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *v;
		bool first = true;
		assure_buf_putc(b, '{');
		json_object_foreach((json_t *)j, key, v)
		{
			if (!first)
				assure_buf_putc(b, ',');
			first = false;
			assure_buf_put_json_string(b, key);
			assure_buf_putc(b, ':');
			put_json(b, v);
		}
		assure_buf_putc(b, '}');
		break;
	}
	case JSON_ARRAY:
		assure_buf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (i)
				assure_buf_putc(b, ',');
			put_json(b, json_array_get(j, i));
		}
		assure_buf_putc(b, ']');
		break;
	case JSON_STRING:
		assure_buf_put_json_string(b, json_string_value(j));
		break;
	case JSON_INTEGER:
	case JSON_REAL: {
		assure_dec d;
		assure_dec_init(&d);
		if (assure_dec_from_json(&d, j) == 0)
			put_number(b, &d);
		else
			assure_buf_puts(b, "NaN");
		assure_dec_clear(&d);
		break;
	}
	case JSON_TRUE:
		assure_buf_puts(b, "true");
		break;
	case JSON_FALSE:
		assure_buf_puts(b, "false");
		break;
	case JSON_NULL:
		assure_buf_puts(b, "null");
		break;
	}
}

/* How a string is written: as itself (messages), in single quotes (reasons), or as JSON (inside lists). */
typedef enum { STR_RAW, STR_QUOTED, STR_JSON } str_style;

static void put_value(assure_buf *b, const assure_value *v, str_style style)
{
	char date[11];
	switch (v->kind) {
	case ASSURE_VAL_ABSENT:
		assure_buf_puts(b, "absent");
		break;
	case ASSURE_VAL_NULL:
		assure_buf_puts(b, "null");
		break;
	case ASSURE_VAL_BOOL:
		assure_buf_puts(b, v->u.b ? "true" : "false");
		break;
	case ASSURE_VAL_NUMBER:
		put_number(b, &v->u.num);
		break;
	case ASSURE_VAL_STRING:
		if (style == STR_JSON) {
			assure_buf_put_json_string(b, v->u.str);
		} else if (style == STR_QUOTED) {
			assure_buf_putc(b, '\'');
			assure_buf_puts(b, v->u.str);
			assure_buf_putc(b, '\'');
		} else {
			assure_buf_puts(b, v->u.str);
		}
		break;
	case ASSURE_VAL_DATE:
		assure_date_format(v->u.date, date);
		if (style == STR_JSON)
			assure_buf_put_json_string(b, date);
		else
			assure_buf_puts(b, date);
		break;
	case ASSURE_VAL_LIST:
		assure_buf_putc(b, '[');
		for (size_t i = 0; i < v->u.list->count; i++) {
			if (i)
				assure_buf_putc(b, ',');
			put_value(b, &v->u.list->items[i], STR_JSON);
		}
		assure_buf_putc(b, ']');
		break;
	case ASSURE_VAL_JSON:
		put_json(b, v->u.json);
		break;
	}
}

char *assure_value_to_string(const assure_value *v)
{
	assure_buf b = ASSURE_BUF_INIT;
	put_value(&b, v, STR_RAW);
	return assure_buf_detach(&b);
}

char *assure_value_describe(const assure_value *v)
{
	assure_buf b = ASSURE_BUF_INIT;
	put_value(&b, v, STR_QUOTED);
	return assure_buf_detach(&b);
}

const char *assure_value_kind_name(assure_value_kind k)
{
	static const char *const names[] = {
	    [ASSURE_VAL_ABSENT] = "absent", [ASSURE_VAL_NULL] = "null",     [ASSURE_VAL_BOOL] = "boolean",
	    [ASSURE_VAL_NUMBER] = "number", [ASSURE_VAL_STRING] = "string", [ASSURE_VAL_DATE] = "date",
	    [ASSURE_VAL_LIST] = "list",     [ASSURE_VAL_JSON] = "json",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == ASSURE_VAL_JSON + 1, "a name for every kind");
	if ((unsigned)k > ASSURE_VAL_JSON)
		return "unknown";
	return names[k];
}

/* A JSON number holding d exactly: an integer, or a double whose shortest text is d. */
static json_t *json_number_exact(const assure_dec *d)
{
	long n;
	if (assure_dec_to_long(d, &n))
		return json_integer((json_int_t)n);
	char *text = assure_dec_format(d);
	json_t *out = NULL;
	if (text[0] != '~') {
		double x = strtod(text, NULL);
		char *back = assure_dec_shortest_double(x);
		assure_dec check;
		assure_dec_init(&check);
		if (back && assure_dec_from_string(&check, back) == 0 && assure_dec_cmp(&check, d) == 0)
			out = json_real(x);
		assure_dec_clear(&check);
		free(back);
	}
	if (!out)
		assure_error_set("the number %s cannot be given to a query exactly", text);
	free(text);
	return out;
}

int value_to_json(json_t **out, const assure_value *v)
{
	char date[11];
	*out = NULL;
	switch (v->kind) {
	case ASSURE_VAL_ABSENT:
		assure_error_set("an absent value has no JSON form");
		return ASSURE_EXPR_FAIL;
	case ASSURE_VAL_NULL:
		*out = json_null();
		return 0;
	case ASSURE_VAL_BOOL:
		*out = json_boolean(v->u.b);
		return 0;
	case ASSURE_VAL_NUMBER:
		*out = json_number_exact(&v->u.num);
		return *out ? 0 : ASSURE_EXPR_FAIL;
	case ASSURE_VAL_STRING:
		*out = v->u.str_json ? json_incref(v->u.str_json) : json_string_nocheck(v->u.str);
		return 0;
	case ASSURE_VAL_DATE:
		assure_date_format(v->u.date, date);
		*out = json_string(date);
		return 0;
	case ASSURE_VAL_LIST: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->u.list->count; i++) {
			json_t *item;
			int rc = value_to_json(&item, &v->u.list->items[i]);
			if (rc != 0) {
				json_decref(a);
				return rc;
			}
			json_array_append_new(a, item);
		}
		*out = a;
		return 0;
	}
	case ASSURE_VAL_JSON:
		*out = json_incref(v->u.json);
		return 0;
	}
	return assure_error_set("unknown value kind");
}

/* ---- canonical texts, for hashing values with == semantics ---- */

static void canon_string(assure_buf *b, const char *s, size_t len)
{
	assure_buf_putc(b, 's');
	assure_buf_put_size(b, len);
	assure_buf_putc(b, ':');
	assure_buf_put(b, s, len);
}

static void canon_number(assure_buf *b, const assure_dec *d)
{
	assure_buf_putc(b, 'n');
	assure_dec_put_key(b, d);
	assure_buf_putc(b, ';');
}

static int cmp_keys(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

static void canon_json(assure_buf *b, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		/* member order does not matter to ==: sort the names */
		size_t n = json_object_size(j), k = 0;
		const char **keys = assure_xcalloc(n + 1, sizeof(char *));
		const char *key;
		json_t *member;
		json_object_foreach((json_t *)j, key, member) keys[k++] = key;
		qsort(keys, n, sizeof(char *), cmp_keys);
		assure_buf_putc(b, '{');
		for (size_t i = 0; i < n; i++) {
			canon_string(b, keys[i], strlen(keys[i]));
			canon_json(b, json_object_get(j, keys[i]));
		}
		assure_buf_putc(b, '}');
		free(keys);
		return;
	}
	case JSON_ARRAY:
		assure_buf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(j); i++)
			canon_json(b, json_array_get(j, i));
		assure_buf_putc(b, ']');
		return;
	case JSON_STRING:
		canon_string(b, json_string_value(j), json_string_length(j));
		return;
	case JSON_INTEGER:
	case JSON_REAL: {
		assure_dec d;
		assure_dec_init(&d);
		if (assure_dec_from_json(&d, j) == 0)
			canon_number(b, &d);
		else
			assure_buf_puts(b, "x;"); /* cannot happen for a parsed document */
		assure_dec_clear(&d);
		return;
	}
	case JSON_TRUE:
		assure_buf_putc(b, 't');
		return;
	case JSON_FALSE:
		assure_buf_putc(b, 'f');
		return;
	case JSON_NULL:
		assure_buf_putc(b, 'z');
		return;
	}
}

void value_canon(assure_buf *b, const assure_value *v)
{
	switch (v->kind) {
	case ASSURE_VAL_ABSENT:
		assure_buf_putc(b, 'a');
		return;
	case ASSURE_VAL_NULL:
		assure_buf_putc(b, 'z');
		return;
	case ASSURE_VAL_BOOL:
		assure_buf_putc(b, v->u.b ? 't' : 'f');
		return;
	case ASSURE_VAL_NUMBER:
		canon_number(b, &v->u.num);
		return;
	case ASSURE_VAL_STRING:
		canon_string(b, v->u.str, strlen(v->u.str));
		return;
	case ASSURE_VAL_DATE:
		assure_buf_printf(b, "d%ld;", (long)v->u.date);
		return;
	case ASSURE_VAL_LIST:
		/* a list equals an array with equal items: the same text */
		assure_buf_putc(b, '[');
		for (size_t i = 0; i < v->u.list->count; i++)
			value_canon(b, &v->u.list->items[i]);
		assure_buf_putc(b, ']');
		return;
	case ASSURE_VAL_JSON:
		canon_json(b, v->u.json);
		return;
	}
}

size_t value_list_occurrences(const assure_value *list, const assure_value *v)
{
	assure_list *l = list->u.list;
	assure_buf b = ASSURE_BUF_INIT;
	if (!l->index) {
		/* built once per list: a list shared by every node of a rule answers each in O(1) */
		l->index = assure_strmap_new();
		for (size_t i = 0; i < l->count; i++) {
			assure_buf_clear(&b);
			value_canon(&b, &l->items[i]);
			(*assure_strmap_slot(l->index, b.ptr ? b.ptr : "", b.len, NULL))++;
		}
	}
	assure_buf_clear(&b);
	value_canon(&b, v);
	size_t n = 0;
	if (!assure_strmap_get(l->index, b.ptr ? b.ptr : "", b.len, &n))
		n = 0;
	assure_buf_free(&b);
	return n;
}

int assure_value_to_json(json_t **out, const assure_value *v)
{
	int rc = value_to_json(out, v);
	return rc == 0 ? 0 : -1;
}

void assure_value_canon_json(assure_buf *b, const json_t *j)
{
	canon_json(b, j);
}
