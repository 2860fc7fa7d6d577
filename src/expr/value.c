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
#include "expr/expr_int.h"

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
		free(v->u.str);
		break;
	case ASSURE_VAL_LIST:
		for (size_t i = 0; i < v->u.list.count; i++)
			assure_value_clear(&v->u.list.items[i]);
		free(v->u.list.items);
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
		out->u.str = assure_xstrdup(v->u.str);
		break;
	case ASSURE_VAL_DATE:
		out->u.date = v->u.date;
		break;
	case ASSURE_VAL_LIST:
		out->u.list.count = v->u.list.count;
		out->u.list.items = assure_xcalloc(v->u.list.count + 1, sizeof(assure_value));
		for (size_t i = 0; i < v->u.list.count; i++)
			assure_value_copy(&out->u.list.items[i], &v->u.list.items[i]);
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
	out->u.list.items = assure_xcalloc(1, sizeof(assure_value));
}

/* A list records only its count, so its capacity is implied: 1 while empty, then the
 * smallest power of two above the count; push grows it when the count reaches one. */
void value_list_push(assure_value *list, assure_value *item)
{
	size_t n = list->u.list.count;
	if (n > 0 && (n & (n - 1)) == 0) {
		list->u.list.items = assure_xrealloc(list->u.list.items, 2 * n * sizeof(assure_value));
	}
	list->u.list.items[n] = *item;
	list->u.list.count = n + 1;
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
		assure_dec d;
		assure_dec_init(&d);
		int rc = assure_dec_from_json(&d, json);
		if (rc == 0)
			value_set_dec(out, &d);
		assure_dec_clear(&d);
		if (rc != 0)
			return assure_error_set("a JSON number cannot be read exactly: %s",
			                        assure_dec_strerror(rc));
		return 0;
	}
	case JSON_STRING:
		value_set_string_owned(out,
		                       assure_xstrndup(json_string_value(json), json_string_length(json)));
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
		for (size_t i = 0; i < v->u.list.count; i++) {
			if (i)
				assure_buf_putc(b, ',');
			put_value(b, &v->u.list.items[i], STR_JSON);
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
		*out = json_string_nocheck(v->u.str);
		return 0;
	case ASSURE_VAL_DATE:
		assure_date_format(v->u.date, date);
		*out = json_string(date);
		return 0;
	case ASSURE_VAL_LIST: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->u.list.count; i++) {
			json_t *item;
			int rc = value_to_json(&item, &v->u.list.items[i]);
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
