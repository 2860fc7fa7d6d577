/*
 * value.h: the values of the expression language.
 *
 * ABSENT is what a singular query yields when it selects nothing; it is not null.
 * Any operator or function that receives ABSENT fails the evaluation (ASSURE-EVAL)
 * unless it is exists() or default(): absence is never a silent pass.
 * JSON scalars selected by a query become NUMBER, STRING, BOOL or NULL; objects and
 * arrays stay JSON (a counted reference).
 *
 * Ownership: a value owns its string (or one reference to the JSON string it was read
 * from, so reading a member copies no text), decimal, one reference to its list and one to
 * its JSON; assure_value_clear() releases them and leaves ABSENT. Values are copied
 * with assure_value_copy(), never by assignment. A list is shared by reference count,
 * so copying one (a let used on every node, an argument) costs nothing however long it
 * is; a list is never changed once another value shares it.
 */
#ifndef ASSURE_VALUE_H
#define ASSURE_VALUE_H

#include "assure/decimal.h"

#include <jansson.h>

struct assure_buf;
#include <stdbool.h>
#include <stdint.h>

typedef enum assure_value_kind {
	ASSURE_VAL_ABSENT = 0, /* nothing selected */
	ASSURE_VAL_NULL,       /* JSON null or the literal null */
	ASSURE_VAL_BOOL,       /* true or false */
	ASSURE_VAL_NUMBER,     /* exact decimal */
	ASSURE_VAL_STRING,     /* UTF-8 text */
	ASSURE_VAL_DATE,       /* a day number (date.h) */
	ASSURE_VAL_LIST,       /* list literal or the nodes of a non-singular query */
	ASSURE_VAL_JSON,       /* a JSON object or array */
} assure_value_kind;

struct assure_value;

/* The items of a LIST, shared between copies. */
typedef struct assure_list {
	size_t refs;                 /* values holding this list */
	size_t count;                /* items */
	size_t cap;                  /* allocated items */
	struct assure_value *items;  /* owned */
	struct assure_strmap *index; /* canonical item -> count, built on first lookup, or NULL */
} assure_list;

typedef struct assure_value {
	assure_value_kind kind; /* which member of the union is live */
	union {
		bool b;         /* BOOL */
		assure_dec num; /* NUMBER */
		/* STRING: its text, NUL-terminated, and the JSON string it lies in (one reference)
		 * or NULL when the value owns str */
		struct {
			char *str;
			json_t *str_json;
		};
		int32_t date;      /* DATE */
		assure_list *list; /* LIST, one reference owned */
		json_t *json;      /* JSON, one reference owned */
	} u;
} assure_value;

void assure_value_clear(assure_value *v);
void assure_value_copy(assure_value *out, const assure_value *v);
void assure_value_set_bool(assure_value *out, bool b);
void assure_value_set_string(assure_value *out, const char *s);
void assure_value_set_date(assure_value *out, int32_t date);
/* Converts a JSON value (borrowed): scalars to native kinds, objects/arrays to JSON. */
int assure_value_from_json(assure_value *out, json_t *json);
/*
 * The canonical text of a JSON value: values that are == (numbers by exact value, objects
 * whatever their member order) have the same text, others differ. For hashing.
 */
void assure_value_canon_json(struct assure_buf *b, const json_t *j);
/* A JSON rendering of v (new reference); -1 with the message when a number has no exact JSON form. */
int assure_value_to_json(json_t **out, const assure_value *v);
/* Text for messages: numbers exact ("-90.8"), strings unquoted, dates ISO, lists and
 * JSON as compact JSON, absent as "absent". Caller frees. */
char *assure_value_to_string(const assure_value *v);
/* Text for diagnostics: like to_string but strings quoted ('abc'). Caller frees. */
char *assure_value_describe(const assure_value *v);
/* "number", "string", "date", ... */
const char *assure_value_kind_name(assure_value_kind k);

#endif
