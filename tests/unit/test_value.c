/* test_value.c: values of the expression language: conversion from JSON, copies, and their text. */
#include "assure/value.h"

#include "assure/date.h"
#include "assure/error.h"
#include "expr/expr_int.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void assert_text(const assure_value *v, const char *want)
{
	char *s = assure_value_to_string(v);
	assert_string_equal(s, want);
	free(s);
}

static void assert_described(const assure_value *v, const char *want)
{
	char *s = assure_value_describe(v);
	assert_string_equal(s, want);
	free(s);
}

/* Convert the JSON text `json` (any value) and return the value. */
static assure_value from_text(const char *json)
{
	json_error_t err;
	json_t *j = json_loads(json, JSON_DECODE_ANY, &err);
	if (!j)
		fail_msg("bad JSON in test: %s", err.text);
	assure_value v;
	assert_int_equal(assure_value_from_json(&v, j), 0);
	json_decref(j);
	return v;
}

/* JSON scalars become native kinds; objects and arrays stay JSON; no JSON is absent. */
static void test_value__from_json_kinds(void **state)
{
	(void)state;
	struct {
		const char *json;
		assure_value_kind kind;
	} cases[] = {
	    {"null", ASSURE_VAL_NULL},      {"true", ASSURE_VAL_BOOL},  {"false", ASSURE_VAL_BOOL},
	    {"-20.6", ASSURE_VAL_NUMBER},   {"7", ASSURE_VAL_NUMBER},   {"\"x\"", ASSURE_VAL_STRING},
	    {"{\"a\":1}", ASSURE_VAL_JSON}, {"[1,2]", ASSURE_VAL_JSON},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_value v = from_text(cases[i].json);
		assert_int_equal(v.kind, cases[i].kind);
		assure_value_clear(&v);
	}
	assure_value v;
	assert_int_equal(assure_value_from_json(&v, NULL), 0);
	assert_int_equal(v.kind, ASSURE_VAL_ABSENT);
	v = from_text("false");
	assert_false(v.u.b);
	assure_value_clear(&v);
}

/* JSON numbers convert exactly: reals through their shortest text, never a double's expansion. */
static void test_value__numbers_are_exact(void **state)
{
	(void)state;
	const char *cases[][2] = {
	    {"-90.8", "-90.8"}, {"0.1", "0.1"},     {"20.60", "20.6"},
	    {"1e3", "1000"},    {"-0.05", "-0.05"}, {"175", "175"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_value v = from_text(cases[i][0]);
		assert_text(&v, cases[i][1]);
		assure_value_clear(&v);
	}
}

/* Text for messages: strings bare, dates ISO, lists and JSON compact with exact numbers. */
static void test_value__to_string(void **state)
{
	(void)state;
	assure_value v = {0};
	assert_text(&v, "absent");
	value_set_null(&v);
	assert_text(&v, "null");
	assure_value_set_bool(&v, true);
	assert_text(&v, "true");
	assure_value_set_string(&v, "it's £90m");
	assert_text(&v, "it's £90m");
	assure_value_clear(&v);
	int32_t d;
	assert_int_equal(assure_date_from_ymd(&d, 2020, 12, 2), 0);
	assure_value_set_date(&v, d);
	assert_text(&v, "2020-12-02");
	v = from_text("{\"a\": 0.1, \"b\": [1, \"x\\\"y\", null, true], \"c\": {}}");
	assert_text(&v, "{\"a\":0.1,\"b\":[1,\"x\\\"y\",null,true],\"c\":{}}");
	assure_value_clear(&v);
}

/* A list prints as a JSON array: strings and dates quoted inside it, numbers exact. */
static void test_value__list_text(void **state)
{
	(void)state;
	assure_value list, item;
	value_set_list(&list);
	assure_value_set_string(&item, "year");
	value_list_push(&list, &item);
	assert_int_equal(item.kind, ASSURE_VAL_ABSENT); /* moved */
	item = from_text("-20.6");
	value_list_push(&list, &item);
	assure_value_set_date(&item, 0);
	value_list_push(&list, &item);
	item = from_text("[0.3]");
	value_list_push(&list, &item);
	assert_text(&list, "[\"year\",-20.6,\"1970-01-01\",[0.3]]");
	assert_described(&list, "[\"year\",-20.6,\"1970-01-01\",[0.3]]");
	assure_value_clear(&list);
	value_set_list(&list);
	assert_text(&list, "[]");
	assure_value_clear(&list);
}

/* describe() quotes strings so that a reason shows what the value was: 'abc' is not a number. */
static void test_value__describe(void **state)
{
	(void)state;
	assure_value v;
	assure_value_set_string(&v, "abc");
	assert_described(&v, "'abc'");
	assure_value_clear(&v);
	v = from_text("12.50");
	assert_described(&v, "12.5");
	assure_value_clear(&v);
	assert_described(&v, "absent");
}

/* A copy is deep: clearing the original leaves the copy intact (ASan would see a use after free). */
static void test_value__copy_is_deep(void **state)
{
	(void)state;
	assure_value list, item, copy;
	value_set_list(&list);
	for (int i = 0; i < 3; i++) {
		assure_value_set_string(&item, i == 1 ? "b" : "a");
		value_list_push(&list, &item);
	}
	item = from_text("{\"k\": [1]}");
	value_list_push(&list, &item);
	item = from_text("-1.25");
	value_list_push(&list, &item);
	assure_value_copy(&copy, &list);
	assure_value_clear(&list);
	assert_int_equal(list.kind, ASSURE_VAL_ABSENT);
	assert_int_equal(copy.u.list->count, 5);
	assert_text(&copy, "[\"a\",\"b\",\"a\",{\"k\":[1]},-1.25]");
	assure_value_clear(&copy);
}

/* A JSON value holds one reference of its own: it outlives the document it came from. */
static void test_value__json_reference(void **state)
{
	(void)state;
	json_t *doc = json_pack("{s:[i,i]}", "a", 1, 2);
	assure_value v, w;
	assert_int_equal(assure_value_from_json(&v, json_object_get(doc, "a")), 0);
	assure_value_copy(&w, &v);
	json_decref(doc);
	assure_value_clear(&v);
	assert_text(&w, "[1,2]");
	assure_value_clear(&w);
}

/* Many pushes grow a list correctly. */
static void test_value__list_growth(void **state)
{
	(void)state;
	assure_value list, item;
	value_set_list(&list);
	for (long i = 0; i < 1000; i++) {
		value_set_long(&item, i);
		value_list_push(&list, &item);
	}
	assert_int_equal(list.u.list->count, 1000);
	assert_text(&list.u.list->items[999], "999");
	assert_text(&list.u.list->items[511], "511");
	assure_value_clear(&list);
}

/* Clearing an absent value, or NULL, is harmless. */
static void test_value__clear_is_idempotent(void **state)
{
	(void)state;
	assure_value v = {0};
	assure_value_clear(&v);
	assure_value_clear(NULL);
	assure_value_set_string(&v, "x");
	assure_value_clear(&v);
	assure_value_clear(&v);
	assert_int_equal(v.kind, ASSURE_VAL_ABSENT);
}

/* Every kind has a name. */
static void test_value__kind_names(void **state)
{
	(void)state;
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_ABSENT), "absent");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_NULL), "null");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_BOOL), "boolean");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_NUMBER), "number");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_STRING), "string");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_DATE), "date");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_LIST), "list");
	assert_string_equal(assure_value_kind_name(ASSURE_VAL_JSON), "json");
}

/* Values go back to JSON for a query over '@': numbers exactly, dates as ISO text. */
static void test_value__to_json(void **state)
{
	(void)state;
	assure_value list, item;
	value_set_list(&list);
	item = from_text("20.6");
	value_list_push(&list, &item);
	value_set_long(&item, 12);
	value_list_push(&list, &item);
	assure_value_set_date(&item, 0);
	value_list_push(&list, &item);
	value_set_null(&item);
	value_list_push(&list, &item);
	json_t *j = NULL;
	assert_int_equal(value_to_json(&j, &list), 0);
	/* the real reads back as exactly 20.6 */
	assure_value back;
	assert_int_equal(assure_value_from_json(&back, j), 0);
	assert_text(&back, "[20.6,12,\"1970-01-01\",null]");
	assure_value_clear(&back);
	assert_true(json_is_real(json_array_get(j, 0)));
	assert_true(json_is_integer(json_array_get(j, 1)));
	json_decref(j);
	assure_value_clear(&list);
}

/* A number no double holds exactly (1/3) cannot become JSON, and says so rather than rounding. */
static void test_value__to_json_refuses_inexact(void **state)
{
	(void)state;
	assure_value a, b, q;
	value_set_long(&a, 1);
	value_set_long(&b, 3);
	q = a;
	assert_int_equal(assure_dec_div(&q.u.num, &a.u.num, &b.u.num), 0);
	json_t *j = NULL;
	assert_int_equal(value_to_json(&j, &q), ASSURE_EXPR_FAIL);
	assert_null(j);
	assert_string_equal(assure_error_last(),
	                    "the number ~0.333333333333 cannot be given to a query exactly");
	assure_value_clear(&q);
	assure_value_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value__from_json_kinds),
	    cmocka_unit_test(test_value__numbers_are_exact),
	    cmocka_unit_test(test_value__to_string),
	    cmocka_unit_test(test_value__list_text),
	    cmocka_unit_test(test_value__describe),
	    cmocka_unit_test(test_value__copy_is_deep),
	    cmocka_unit_test(test_value__json_reference),
	    cmocka_unit_test(test_value__list_growth),
	    cmocka_unit_test(test_value__clear_is_idempotent),
	    cmocka_unit_test(test_value__kind_names),
	    cmocka_unit_test(test_value__to_json),
	    cmocka_unit_test(test_value__to_json_refuses_inexact),
	};
	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
