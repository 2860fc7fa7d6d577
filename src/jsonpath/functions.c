/*
 * functions.c: the RFC 9535 function extensions (§2.4.4-2.4.8) as one table.
 *
 * Each row declares the parameter and result types the parser checks queries
 * against, and the implementation the evaluator calls with arguments already
 * evaluated to those types. match() and search() read their pattern as I-Regexp
 * (RFC 9485), translated to PCRE2; a pattern that is not I-Regexp makes the
 * result false, as §2.4.6 requires, and a literal pattern is compiled only once.
 */
#include "assure/jsonpath.h"

#include "jsonpath/jsonpath_int.h"

#include <stdlib.h>
#include <string.h>

void jp_val_clear(jp_val *v)
{
	json_decref(v->json);
	free(v->nodes);
	memset(v, 0, sizeof(*v));
}

static void set_integer(jp_val *result, size_t n)
{
	result->type = JP_TYPE_VALUE;
	result->json = json_integer((json_int_t)n);
}

/* length(value): characters of a string (Unicode scalar values), members of an array or object */
static int fn_length(const jp_expr *call, jp_val *args, jp_val *result)
{
	const json_t *v = args[0].json;
	result->type = JP_TYPE_VALUE;
	if (json_is_string(v)) {
		const unsigned char *s = (const unsigned char *)json_string_value(v);
		size_t n = 0, len = json_string_length(v);
		for (size_t i = 0; i < len; i++)
			n += (s[i] & 0xc0) != 0x80;
		set_integer(result, n);
	} else if (json_is_array(v)) {
		set_integer(result, json_array_size(v));
	} else if (json_is_object(v)) {
		set_integer(result, json_object_size(v));
	}
	return 0;
}

/* count(nodes): how many nodes */
static int fn_count(const jp_expr *call, jp_val *args, jp_val *result)
{
	set_integer(result, args[0].nnodes);
	return 0;
}

/* value(nodes): the value of the only node, or Nothing */
static int fn_value(const jp_expr *call, jp_val *args, jp_val *result)
{
	result->type = JP_TYPE_VALUE;
	if (args[0].nnodes == 1)
		result->json = json_incref(args[0].nodes[0]);
	return 0;
}

/* Shared by match() (whole string) and search() (any substring). */
static int regex_call(const jp_expr *call, jp_val *args, jp_val *result, int flags)
{
	result->type = JP_TYPE_LOGICAL;
	result->logical = false;
	const json_t *subject = args[0].json, *pattern = args[1].json;
	if (!json_is_string(subject) || !json_is_string(pattern) || call->u.func.re_bad)
		return 0;
	assure_regex *re = call->u.func.re, *own = NULL;
	if (!re) {
		const char *p = json_string_value(pattern);
		if (strlen(p) != json_string_length(pattern))
			return 0; /* a pattern containing U+0000 cannot be handed to PCRE2 as text */
		if (assure_regex_new(&own, p, flags | ASSURE_REGEX_IREGEXP, NULL) != 0)
			return 0;
		re = own;
	}
	int rc = assure_regex_match(re, json_string_value(subject), json_string_length(subject));
	assure_regex_free(own);
	if (rc < 0)
		return -1;
	result->logical = rc == ASSURE_REGEX_MATCH;
	return 0;
}

/* match(string, iregexp): the whole string matches */
static int fn_match(const jp_expr *call, jp_val *args, jp_val *result)
{
	return regex_call(call, args, result, ASSURE_REGEX_FULL);
}

/* search(string, iregexp): some substring matches */
static int fn_search(const jp_expr *call, jp_val *args, jp_val *result)
{
	return regex_call(call, args, result, 0);
}

static const jp_function functions[] = {
    {"length", JP_TYPE_VALUE, 1, {JP_TYPE_VALUE}, fn_length},
    {"count", JP_TYPE_VALUE, 1, {JP_TYPE_NODES}, fn_count},
    {"match", JP_TYPE_LOGICAL, 2, {JP_TYPE_VALUE, JP_TYPE_VALUE}, fn_match},
    {"search", JP_TYPE_LOGICAL, 2, {JP_TYPE_VALUE, JP_TYPE_VALUE}, fn_search},
    {"value", JP_TYPE_VALUE, 1, {JP_TYPE_NODES}, fn_value},
};

const jp_function *jp_function_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
			return &functions[i];
	return NULL;
}

void jp_function_prepare(jp_expr *call)
{
	const jp_function *fn = call->u.func.fn;
	if (fn->call != fn_match && fn->call != fn_search)
		return;
	const jp_expr *pattern = call->u.func.args[1];
	if (pattern->kind != JP_E_LITERAL)
		return;
	const json_t *p = pattern->u.lit.json;
	/* a pattern that is not a string, or not I-Regexp, can never match */
	if (!json_is_string(p) || strlen(json_string_value(p)) != json_string_length(p)) {
		call->u.func.re_bad = true;
		return;
	}
	int flags = ASSURE_REGEX_IREGEXP | (fn->call == fn_match ? ASSURE_REGEX_FULL : 0);
	if (assure_regex_new(&call->u.func.re, json_string_value(p), flags, NULL) != 0)
		call->u.func.re_bad = true;
}
