/* test_jsonpath.c: RFC 9535 queries: parse errors, prefix mode, singular queries, pointers, paths. */
#include "assure/jsonpath.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Parse the whole of src, which must succeed. */
static assure_jsonpath *parse_ok(const char *src)
{
	assure_jsonpath *q = NULL;
	size_t off = 0;
	if (assure_jsonpath_parse(&q, src, strlen(src), NULL, &off) != 0)
		fail_msg("'%s' rejected at %zu: %s", src, off, assure_error_last());
	return q;
}

/* Evaluate src on the JSON text doc and return the nodes' pointers joined by spaces. */
static char *pointers_of(const char *src, const char *doc_text, const char *current_ptr,
                         const char *current_at)
{
	json_error_t err;
	json_t *doc = json_loads(doc_text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	assert_non_null(doc);
	json_t *current = doc;
	if (current_at) {
		assure_nodelist at;
		assure_nodelist_init(&at);
		assure_jsonpath *cq = parse_ok(current_at);
		assert_int_equal(assure_jsonpath_eval(cq, doc, doc, "", &at), 0);
		assert_int_equal(at.count, 1);
		current = at.items[0].value;
		assure_nodelist_clear(&at);
		assure_jsonpath_free(cq);
	}
	assure_jsonpath *q = parse_ok(src);
	assure_nodelist l;
	assure_nodelist_init(&l);
	assert_int_equal(assure_jsonpath_eval(q, doc, current, current_ptr, &l), 0);
	char out[512] = "";
	for (size_t i = 0; i < l.count; i++) {
		strncat(out, i ? " " : "", sizeof(out) - strlen(out) - 1);
		strncat(out, l.items[i].pointer, sizeof(out) - strlen(out) - 1);
	}
	assure_nodelist_clear(&l);
	assure_jsonpath_free(q);
	json_decref(doc);
	return strdup(out);
}

static void assert_pointers(const char *src, const char *doc, const char *expected)
{
	char *got = pointers_of(src, doc, "", NULL);
	if (strcmp(got, expected) != 0)
		fail_msg("'%s': pointers '%s', expected '%s'", src, got, expected);
	free(got);
}

/* Each malformed or ill-typed query is rejected with this message at this offset. */
static void test_jsonpath__parse_errors_have_offset_and_message(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		size_t offset;
		const char *msg;
	} cases[] = {
	    {"", 0, "a query starts with '$' or '@', not end of query"},
	    {"a.b", 0, "a query starts with '$' or '@', not 'a'"},
	    {" $", 0, "blank space is not allowed before a query"},
	    {"$ ", 1, "blank space is not allowed after a query"},
	    {"$.a b", 4, "unexpected 'b' after the query"},
	    {"$[01]", 2, "leading zero in index"},
	    {"$[-0]", 2, "'-0' is not a valid index"},
	    {"$[9007199254740992]", 2, "index out of range (at most 2^53-1 in size)"},
	    {"$[1:-9007199254740992]", 4, "slice end out of range (at most 2^53-1 in size)"},
	    {"$[1", 3, "expected ',' or ']' after index, found end of query"},
	    {"$[]", 2, "expected a selector after '[', found ']'"},
	    {"$['a',]", 6, "expected a selector after ',', found ']'"},
	    {"$.1", 2, "expected a member name or '*' after '.', found '1'"},
	    {"$. a", 2, "expected a member name or '*' after '.', found ' '"},
	    {"$...a", 3, "expected a member name or '*' after '..', found '.'"},
	    {"$['a", 2, "string is not terminated"},
	    {"$['\\x']", 3, "invalid escape '\\x' in string"},
	    {"$['\\\"']", 3, "invalid escape '\\\"' in string"},
	    {"$['\\uD800']", 3, "high surrogate '\\uD800' must be followed by a low surrogate"},
	    {"$['\\uDC00']", 3, "low surrogate '\\uDC00' without a high surrogate before it"},
	    {"$['\\u12']", 3, "'\\u' must be followed by four hex digits"},
	    {"$['a\tb']", 4, "control character U+0009 must be escaped in a string"},
	    {"$[?1]", 3, "a literal is not a test: compare it with '==' or another operator"},
	    {"$[?@.* == 1]", 3, "a query that can select more than one node cannot be compared"},
	    {"$[?@[ 'a' ] == 1]", 3, "a query that can select more than one node cannot be compared"},
	    {"$[?length(@.*) == 1]", 10, "argument 1 of 'length()' must be a singular query or a value"},
	    {"$[?count(1) == 1]", 9, "argument 1 of 'count()' must be a query"},
	    {"$[?length(@)]", 3, "'length()' returns a value, not a logical value: compare it"},
	    {"$[?match(@.a, 'x') == true]", 3, "'match()' returns a logical value, which cannot be compared"},
	    {"$[?length(match(@, 'a'))==1]", 10,
	     "argument 1 of 'length()' must be a value, but 'match()' returns a logical value"},
	    {"$[?foo(@)]", 3, "unknown function 'foo()'"},
	    {"$[?length(@, 1) == 1]", 3, "'length()' takes 1 argument, not 2"},
	    {"$[?length (@) == 1]", 9, "expected '(' right after 'length'"},
	    {"$[?@.a == 1 == 2]", 12, "comparisons cannot be chained: use '&&' and parentheses"},
	    {"$[?(@.a) == 1]", 3, "an expression in parentheses cannot be compared"},
	    {"$[?!@.a == 1]", 3, "'!' applies to the test right after it: write !(a == b)"},
	    {"$[?@.a == 01]", 10, "leading zero in number"},
	    {"$[?@.a == 1.]", 12, "expected a digit after '.' in number"},
	    {"$[?@.a == 1e]", 12, "expected a digit in the exponent of a number"},
	    {"$[?@.a == True]", 10, "expected a literal, singular query or function after '==', found 'T'"},
	    {"$[?!1]", 4, "'!' cannot apply to a literal"},
	    {"$[?@.a && 1]", 10, "a literal is not a test: compare it with '==' or another operator"},
	    {"$[?(@.a]", 7, "expected ')' to close the '(' at offset 3, found ']'"},
	    {"$[?@.a = 1]", 7, "expected ',' or ']' after filter, found '='"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_jsonpath *q = (assure_jsonpath *)1;
		size_t off = 999;
		int rc = assure_jsonpath_parse(&q, cases[i].src, strlen(cases[i].src), NULL, &off);
		if (rc != -1)
			fail_msg("'%s' was accepted", cases[i].src);
		assert_null(q);
		if (off != cases[i].offset || strcmp(assure_error_last(), cases[i].msg) != 0)
			fail_msg("'%s': got %zu '%s', expected %zu '%s'", cases[i].src, off,
			         assure_error_last(), cases[i].offset, cases[i].msg);
	}
}

/* Deep nesting is refused with its own message before it can exhaust the stack. */
static void test_jsonpath__nesting_limit(void **state)
{
	(void)state;
	char src[512] = "$[?";
	for (int i = 0; i < 100; i++)
		strcat(src, "(");
	strcat(src, "@");
	for (int i = 0; i < 100; i++)
		strcat(src, ")");
	strcat(src, "]");
	assure_jsonpath *q;
	size_t off;
	assert_int_equal(assure_jsonpath_parse(&q, src, strlen(src), NULL, &off), -1);
	assert_string_equal(assure_error_last(), "query nested too deeply (more than 64 levels)");
	/* within the limit the same shape is fine */
	assure_jsonpath_free(parse_ok("$[?((((((@.a))))))]"));
}

/* Prefix mode takes the longest query and leaves the blank space after it. */
static void test_jsonpath__prefix_mode_consumes_the_query_only(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		size_t consumed;
		const char *text;
	} cases[] = {
	    {"@.a == 1", 3, "@.a"},
	    {"$.actions[?@.status != 'Complete'] ", 34, "$.actions[?@.status != 'Complete']"},
	    {"@ .a [0] + 1", 8, "@ .a [0]"},
	    {"@.a  ", 3, "@.a"},
	    {"$x", 1, "$"},
	    {"@", 1, "@"},
	    {"$..a)", 4, "$..a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_jsonpath *q = NULL;
		size_t consumed = 0, off = 0;
		if (assure_jsonpath_parse(&q, cases[i].src, strlen(cases[i].src), &consumed, &off) != 0)
			fail_msg("'%s' rejected: %s", cases[i].src, assure_error_last());
		assert_int_equal(consumed, cases[i].consumed);
		assert_string_equal(assure_jsonpath_text(q), cases[i].text);
		assure_jsonpath_free(q);
	}
}

/* In prefix mode a segment that has begun but is malformed is an error where it is, not a shorter query. */
static void test_jsonpath__prefix_mode_reports_malformed_segments(void **state)
{
	(void)state;
	assure_jsonpath *q;
	size_t consumed = 99, off = 0;
	const char *src = "$.a[?@.b = 1] && x";
	assert_int_equal(assure_jsonpath_parse(&q, src, strlen(src), &consumed, &off), -1);
	assert_int_equal(off, 9);
	assert_string_equal(assure_error_last(), "expected ',' or ']' after filter, found '='");
	assert_int_equal(assure_jsonpath_parse(&q, "x", 1, &consumed, &off), -1);
	assert_int_equal(off, 0);
}

/* Singular queries are exactly those of single name or index child segments, with no blank inside brackets.
 */
static void test_jsonpath__singular_detection(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		bool singular;
		bool relative;
	} cases[] = {
	    {"$", true, false},
	    {"@", true, true},
	    {"$.a[0]['b'][-1]", true, false},
	    {"@ .a [0]", true, true},
	    {"$..a", false, false},
	    {"$.*", false, false},
	    {"$[0,1]", false, false},
	    {"$[0:1]", false, false},
	    {"@[?@]", false, true},
	    {"$[ 'a' ]", false, false},
	    {"$['a','b']", false, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_jsonpath *q = parse_ok(cases[i].src);
		if (assure_jsonpath_is_singular(q) != cases[i].singular)
			fail_msg("'%s' singular: expected %d", cases[i].src, cases[i].singular);
		assert_int_equal(assure_jsonpath_is_relative(q), cases[i].relative);
		assure_jsonpath_free(q);
	}
}

/* Result pointers are RFC 6901: indices in decimal (negative ones resolved), '~' and '/' escaped. */
static void test_jsonpath__pointers_follow_the_path(void **state)
{
	(void)state;
	const char *doc = "{\"a\": {\"b\": 1, \"x/y~z\": 2}, \"arr\": [10, 11, 12]}";
	assert_pointers("$", doc, "");
	assert_pointers("$.a.b", doc, "/a/b");
	assert_pointers("$.a['x/y~z']", doc, "/a/x~1y~0z");
	assert_pointers("$.arr[-1]", doc, "/arr/2");
	assert_pointers("$.arr[::-2]", doc, "/arr/2 /arr/0");
	assert_pointers("$..b", doc, "/a/b");
	assert_pointers("$.arr[?@ > 10]", doc, "/arr/1 /arr/2");
	assert_pointers("$.missing", doc, "");
}

/* A relative query's pointers start from current_pointer, while '$' inside it still means the root. */
static void test_jsonpath__relative_pointers_use_current_pointer(void **state)
{
	(void)state;
	const char *doc = "{\"limit\": 2, \"items\": [{\"n\": 1}, {\"n\": 3, \"tags\": [\"x\"]}]}";
	char *got = pointers_of("@.tags[0]", doc, "/items/1", "$.items[1]");
	assert_string_equal(got, "/items/1/tags/0");
	free(got);
	got = pointers_of("@[?@ > $.limit]", doc, "/items/1", "$.items[1]");
	assert_string_equal(got, "/items/1/n");
	free(got);
	got = pointers_of("$.limit", doc, "/items/1", "$.items[1]");
	assert_string_equal(got, "/limit");
	free(got);
}

/* Evaluation appends to the list it is given, in document order. */
static void test_jsonpath__eval_appends(void **state)
{
	(void)state;
	json_t *doc = json_loads("[1, 2, 3]", 0, NULL);
	assure_jsonpath *q = parse_ok("$[0, 2]");
	assure_nodelist l;
	assure_nodelist_init(&l);
	assert_int_equal(assure_jsonpath_eval(q, doc, doc, NULL, &l), 0);
	assert_int_equal(assure_jsonpath_eval(q, doc, doc, NULL, &l), 0);
	assert_int_equal(l.count, 4);
	assert_int_equal(json_integer_value(l.items[3].value), 3);
	assert_string_equal(l.items[2].pointer, "/0");
	assure_nodelist_clear(&l);
	assert_int_equal(l.count, 0);
	assure_jsonpath_free(q);
	json_decref(doc);
}

/* For values only: the same nodes as with pointers, in the same order, each pointer NULL. */
static void test_jsonpath__values_only_select_the_same_nodes(void **state)
{
	(void)state;
	json_t *doc = json_loads("{\"a\": {\"b\": 1, \"c\": [2, {\"b\": 3}]}, \"d\": [4, 5, 6]}", 0, NULL);
	const char *queries[] = {"$..b", "$.d[?@ > 4]", "$.d[::-1]", "$.a.*", "$.missing", "$"};
	for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		assure_jsonpath *q = parse_ok(queries[k]);
		assure_nodelist with, without;
		assure_nodelist_init(&with);
		assure_nodelist_init(&without);
		assert_int_equal(assure_jsonpath_eval(q, doc, doc, "", &with), 0);
		assert_int_equal(assure_jsonpath_eval_values(q, doc, doc, &without), 0);
		assert_int_equal(with.count, without.count);
		for (size_t i = 0; i < with.count; i++) {
			assert_ptr_equal(with.items[i].value, without.items[i].value);
			assert_non_null(with.items[i].pointer);
			assert_null(without.items[i].pointer);
		}
		assure_nodelist_clear(&with);
		assure_nodelist_clear(&without);
		assure_jsonpath_free(q);
	}
	json_decref(doc);
}

/* The pointers of what q selects from root, space-separated. Caller frees. */
static char *selected(const assure_jsonpath *q, json_t *root)
{
	assure_nodelist l;
	assure_nodelist_init(&l);
	assert_int_equal(assure_jsonpath_eval(q, root, root, "", &l), 0);
	assure_buf b = ASSURE_BUF_INIT;
	for (size_t i = 0; i < l.count; i++) {
		if (i)
			assure_buf_putc(&b, ' ');
		assure_buf_puts(&b, l.items[i].pointer);
	}
	assure_nodelist_clear(&l);
	return b.ptr ? assure_buf_detach(&b) : assure_xstrdup("");
}

/*
 * A filter that reads only '@' is decided once per object or array it meets, by identity:
 * queried again over the same objects it keeps what it kept. Documents are never changed in
 * place, so this test changes one to see that; a filter that reads '$' is decided afresh.
 */
static void test_jsonpath__filters_remember_objects_met_again(void **state)
{
	(void)state;
	json_t *returns = json_loads("[{\"kind\": \"finance\", \"year\": \"2020-21\"},"
	                             " {\"kind\": \"paper\", \"year\": \"2021-22\"}, 3]",
	                             0, NULL);
	json_t *one = json_pack("{s:s,s:O}", "year", "2020-21", "returns", returns);
	json_t *two = json_pack("{s:s,s:O}", "year", "2021-22", "returns", returns);
	assure_jsonpath *by_item = parse_ok("$.returns[?@.kind == 'finance' || @ == 4]");
	assure_jsonpath *by_root = parse_ok("$.returns[?@.year == $.year]");
	assure_jsonpath *nested = parse_ok("$.returns[?@[?@ == $.year]]");
	const struct {
		assure_jsonpath *q;
		const char *first, *second;
	} cases[] = {
	    {by_item, "/returns/0", "/returns/0 /returns/2"},
	    {by_root, "/returns/0", "/returns/1"},
	    {nested, "/returns/0", "/returns/1"},
	};
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char *got = selected(cases[i].q, pass ? two : one);
			if (strcmp(got, pass ? cases[i].second : cases[i].first) != 0)
				fail_msg("case %zu, pass %d selected '%s'", i, pass, got);
			free(got);
		}
		/* the second pass: another root, the first return's kind changed, 3 now 4 */
		json_object_set_new(json_array_get(returns, 0), "kind", json_string("paper"));
		json_array_set_new(returns, 2, json_integer(4));
	}
	assure_jsonpath_free(by_item);
	assure_jsonpath_free(by_root);
	assure_jsonpath_free(nested);
	json_decref(one);
	json_decref(two);
	json_decref(returns);
}

/* Numbers compare exactly: 0.1 equals 0.1, 1 equals 1.0, and integers beyond 2^53 stay distinct. */
static void test_jsonpath__numbers_compare_exactly(void **state)
{
	(void)state;
	const char *doc =
	    "[{\"v\": 0.1}, {\"v\": 1.0}, {\"v\": 9007199254740993}, {\"v\": 0.30000000000000004}]";
	assert_pointers("$[?@.v == 0.1]", doc, "/0");
	assert_pointers("$[?@.v == 1]", doc, "/1");
	assert_pointers("$[?@.v == 9007199254740992]", doc, "");
	assert_pointers("$[?@.v == 9007199254740993]", doc, "/2");
	assert_pointers("$[?@.v > 9007199254740992.5]", doc, "/2");
	assert_pointers("$[?@.v == 0.3]", doc, "");
	assert_pointers("$[?@.v < 1e-0]", doc, "/0 /3");
}

/* match() and search() use I-Regexp; a pattern outside it is false, not an error, literal or not. */
static void test_jsonpath__regex_functions(void **state)
{
	(void)state;
	const char *doc = "[{\"s\": \"a1\", \"p\": \"a.\"}, {\"s\": \"xa1\", \"p\": \"\\\\d\"}, {\"s\": "
	                  "\"a\\n\", \"p\": 1}]";
	assert_pointers("$[?match(@.s, 'a.')]", doc, "/0");
	assert_pointers("$[?search(@.s, 'a.')]", doc, "/0 /1");
	assert_pointers("$[?match(@.s, @.p)]", doc, "/0");
	assert_pointers("$[?search(@.s, '\\\\d')]", doc, "");
	assert_pointers("$[?!search(@.s, '\\\\d')]", doc, "/0 /1 /2");
}

/* A regex that hits the match limit makes evaluation fail with a message, never a silent false. */
static void test_jsonpath__regex_limit_fails_evaluation(void **state)
{
	(void)state;
	json_t *doc = json_pack("[s]", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	assure_jsonpath *q = parse_ok("$[?match(@, '(a|a?)+')]");
	assure_nodelist l;
	assure_nodelist_init(&l);
	assert_int_equal(assure_jsonpath_eval(q, doc, doc, "", &l), -1);
	assert_string_equal(assure_error_last(), "regular expression hit its match limit");
	assure_nodelist_clear(&l);
	assure_jsonpath_free(q);
	json_decref(doc);
}

/* Normalized paths use bracket notation and §2.7's escapes; without a document digits mean an index. */
static void test_jsonpath__normalized_paths(void **state)
{
	(void)state;
	static const struct {
		const char *pointer;
		const char *path;
	} cases[] = {
	    {"", "$"},
	    {"/a/0", "$['a'][0]"},
	    {"/a~1b/it's", "$['a/b']['it\\'s']"},
	    {"/~0/back\\slash", "$['~']['back\\\\slash']"},
	    {"/\x01\n\x0b\x1f", "$['\\u0001\\n\\u000b\\u001f']"},
	    {"/01", "$['01']"},
	    {"/", "$['']"},
	    {"/\xc3\xa9", "$['\xc3\xa9']"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = assure_pointer_to_normalized_path(cases[i].pointer);
		assert_non_null(p);
		assert_string_equal(p, cases[i].path);
		free(p);
	}
	assert_null(assure_pointer_to_normalized_path("a"));
	assert_null(assure_pointer_to_normalized_path("/~2"));

	json_t *doc = json_loads("{\"0\": [true]}", 0, NULL);
	char *p = assure_jsonpath_normalized_path(doc, "/0/0");
	assert_string_equal(p, "$['0'][0]");
	free(p);
	assert_null(assure_jsonpath_normalized_path(doc, "/0/1"));
	assert_null(assure_jsonpath_normalized_path(doc, "/1"));
	json_decref(doc);
}

/* Names with every escape, and surrogate pairs, decode to the member they name. */
static void test_jsonpath__string_escapes_decode(void **state)
{
	(void)state;
	const char *doc = "{\"\\ud834\\udd1e\": 1, \"a\\\"b'\": 2, \"\\b\\f\\n\\r\\t/\\\\\": 4}";
	assert_pointers("$['\\uD834\\uDD1E']", doc, "/\xf0\x9d\x84\x9e");
	assert_pointers("$[\"a\\\"b'\"]", doc, "/a\"b'");
	assert_pointers("$['a\"b\\'']", doc, "/a\"b'");
	assert_pointers("$['\\b\\f\\n\\r\\t\\/\\\\']", doc, "/\b\f\n\r\t~1\\");
	/* the parser of jansson refuses U+0000 in keys, so build that member directly */
	json_t *d = json_object();
	json_object_setn_new(d, "\0", 1, json_integer(3));
	assure_jsonpath *q = parse_ok("$['\\u0000']");
	assure_nodelist l;
	assure_nodelist_init(&l);
	assert_int_equal(assure_jsonpath_eval(q, d, d, "", &l), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(json_integer_value(l.items[0].value), 3);
	assure_nodelist_clear(&l);
	assure_jsonpath_free(q);
	json_decref(d);
}

/* Equality is structural and numbers compare by exact value, whatever their spelling. */
static void test_jsonpath__equal_is_exact_and_structural(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		bool equal;
	} cases[] = {
	    {"1", "1.0", true},
	    {"0.1", "1e-1", true},
	    {"0.30000000000000004", "0.3", false},
	    {"1", "\"1\"", false},
	    {"[1, {\"a\": 2.50}]", "[1.0, {\"a\": 2.5}]", true},
	    {"[1, 2]", "[2, 1]", false},
	    {"{\"a\": 1, \"b\": null}", "{\"b\": null, \"a\": 1}", true},
	    {"{\"a\": 1}", "{\"a\": 1, \"b\": 1}", false},
	    {"null", "false", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *a = json_loads(cases[i].a, JSON_DECODE_ANY, NULL);
		json_t *b = json_loads(cases[i].b, JSON_DECODE_ANY, NULL);
		assert_non_null(a);
		assert_non_null(b);
		if (assure_jsonpath_equal(a, b) != cases[i].equal)
			fail_msg("%s == %s should be %s", cases[i].a, cases[i].b,
			         cases[i].equal ? "true" : "false");
		json_decref(a);
		json_decref(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jsonpath__parse_errors_have_offset_and_message),
	    cmocka_unit_test(test_jsonpath__nesting_limit),
	    cmocka_unit_test(test_jsonpath__prefix_mode_consumes_the_query_only),
	    cmocka_unit_test(test_jsonpath__prefix_mode_reports_malformed_segments),
	    cmocka_unit_test(test_jsonpath__singular_detection),
	    cmocka_unit_test(test_jsonpath__pointers_follow_the_path),
	    cmocka_unit_test(test_jsonpath__relative_pointers_use_current_pointer),
	    cmocka_unit_test(test_jsonpath__eval_appends),
	    cmocka_unit_test(test_jsonpath__numbers_compare_exactly),
	    cmocka_unit_test(test_jsonpath__regex_functions),
	    cmocka_unit_test(test_jsonpath__regex_limit_fails_evaluation),
	    cmocka_unit_test(test_jsonpath__normalized_paths),
	    cmocka_unit_test(test_jsonpath__string_escapes_decode),
	    cmocka_unit_test(test_jsonpath__equal_is_exact_and_structural),
	    cmocka_unit_test(test_jsonpath__filters_remember_objects_met_again),
	    cmocka_unit_test(test_jsonpath__values_only_select_the_same_nodes),
	};
	return cmocka_run_group_tests_name("jsonpath", tests, NULL, NULL);
}
