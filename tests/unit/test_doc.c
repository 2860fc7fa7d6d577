/* test_doc.c: JSON parsing with duplicate keys rejected, error positions, and the JSON Pointer locator. */
#include "assure/doc.h"

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

static assure_doc *parse_ok(const char *text)
{
	assure_doc *doc = NULL;
	int line = -1, col = -1;
	if (assure_doc_parse(&doc, text, strlen(text), &line, &col) != 0)
		fail_msg("parse failed at %d:%d: %s", line, col, assure_error_last());
	assert_non_null(doc);
	return doc;
}

/* Parsing fails with this message at this line and column. */
static void assert_parse_error(const char *text, size_t len, int want_line, int want_col,
                               const char *want_msg)
{
	assure_doc *doc = (assure_doc *)&doc; /* must be reset to NULL */
	int line = -1, col = -1;
	assert_int_equal(assure_doc_parse(&doc, text, len, &line, &col), ASSURE_EINVALID);
	assert_null(doc);
	assert_string_equal(assure_error_last(), want_msg);
	if (line != want_line || col != want_col)
		fail_msg("error at %d:%d, expected %d:%d", line, col, want_line, want_col);
}

static void assert_at(assure_doc *doc, const char *pointer, int want_line, int want_col)
{
	int line = -1, col = -1;
	if (assure_doc_locate(doc, pointer, &line, &col) != 0)
		fail_msg("'%s' not found", pointer);
	if (line != want_line || col != want_col)
		fail_msg("'%s' at %d:%d, expected %d:%d", pointer, line, col, want_line, want_col);
}

static void assert_key_at(assure_doc *doc, const char *pointer, int want_line, int want_col)
{
	int line = -1, col = -1;
	if (assure_doc_locate_key(doc, pointer, &line, &col) != 0)
		fail_msg("key of '%s' not found", pointer);
	if (line != want_line || col != want_col)
		fail_msg("key of '%s' at %d:%d, expected %d:%d", pointer, line, col, want_line, want_col);
}

static void assert_not_found(assure_doc *doc, const char *pointer)
{
	int line = 77, col = 77;
	if (assure_doc_locate(doc, pointer, &line, &col) != ASSURE_ENOTFOUND)
		fail_msg("'%s' was found at %d:%d", pointer, line, col);
	assert_int_equal(line, 77);
	assert_int_equal(col, 77);
}

/* Values in nested objects and arrays are found at their first character, keys at their quote. */
static void test_doc__nested_objects_and_arrays(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("{\n"
	                           "  \"forecast\": {\"plan\": 20.6, \"outturn\": [1, {\"x\": null}]},\n"
	                           "  \"ok\": true\n"
	                           "}\n");
	assert_true(json_is_object(assure_doc_root(doc)));
	assert_at(doc, "", 1, 1);
	assert_at(doc, "/forecast", 2, 15);
	assert_key_at(doc, "/forecast", 2, 3);
	assert_at(doc, "/forecast/plan", 2, 24);
	assert_key_at(doc, "/forecast/plan", 2, 16);
	assert_at(doc, "/forecast/outturn", 2, 41);
	assert_key_at(doc, "/forecast/outturn", 2, 30);
	assert_at(doc, "/forecast/outturn/0", 2, 42);
	assert_at(doc, "/forecast/outturn/1", 2, 45);
	assert_at(doc, "/forecast/outturn/1/x", 2, 51);
	assert_key_at(doc, "/forecast/outturn/1/x", 2, 46);
	assert_at(doc, "/ok", 3, 9);
	assert_key_at(doc, "/ok", 3, 3);
	assure_doc_free(doc);
}

/*
 * Keys are matched decoded (escapes, \u escapes, surrogate pairs) and pointer tokens
 * unescaped (~1, ~0); columns count characters, so non-ASCII text earlier on a line
 * does not push a value right.
 */
static void test_doc__escaped_keys_and_character_columns(void **state)
{
	(void)state;
	assure_doc *doc =
	    parse_ok("{\"a/b\": 1, \"m~n\": 2, \"caf\\u00e9\": 3, \"\xc3\xa9\": {\"\\ud83d\\ude00\": 4}, "
	             "\"q\\\"uote\": 5, \"\": 6,\n"
	             "\"na\xc3\xafve \xe2\x80\x93 text\": \"\xc3\xbcn\xc3\xaf"
	             "c\xc3\xb6"
	             "d\xc3\xa9\", \"after\": 7}");
	assert_at(doc, "/a~1b", 1, 9);
	assert_key_at(doc, "/a~1b", 1, 2);
	assert_at(doc, "/m~0n", 1, 19);
	assert_key_at(doc, "/m~0n", 1, 12);
	assert_at(doc, "/caf\xc3\xa9", 1, 35);
	assert_key_at(doc, "/caf\xc3\xa9", 1, 22);
	assert_at(doc, "/\xc3\xa9", 1, 43);
	assert_key_at(doc, "/\xc3\xa9", 1, 38);
	assert_at(doc, "/\xc3\xa9/\xf0\x9f\x98\x80", 1, 60);
	assert_key_at(doc, "/\xc3\xa9/\xf0\x9f\x98\x80", 1, 44);
	assert_at(doc, "/q\"uote", 1, 75);
	assert_key_at(doc, "/q\"uote", 1, 64);
	assert_at(doc, "/", 1, 82); /* the empty key */
	assert_key_at(doc, "/", 1, 78);
	assert_at(doc, "/na\xc3\xafve \xe2\x80\x93 text", 2, 17);
	assert_at(doc, "/after", 2, 37); /* byte 44: seven extra bytes in four characters before it */
	assert_key_at(doc, "/after", 2, 28);
	/* the escaped spelling of a key is not a name */
	assert_not_found(doc, "/caf\\u00e9");
	assert_not_found(doc, "/a/b");
	assert_not_found(doc, "/m~n");
	assure_doc_free(doc);
}

/* The pointers a caller builds from jansson's keys with assure_buf_put_pointer_token all resolve. */
static void test_doc__pointers_built_from_jansson_keys(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("{\"x/~y\": {\"~1\": [true]}, \"\\t\": 0}");
	json_t *root = assure_doc_root(doc);
	const char *k;
	json_t *v;
	int found = 0;
	json_object_foreach(root, k, v)
	{
		assure_buf p = ASSURE_BUF_INIT;
		assure_buf_put_pointer_token(&p, k);
		int line, col;
		assert_int_equal(assure_doc_locate(doc, p.ptr, &line, &col), 0);
		found++;
		assure_buf_free(&p);
	}
	assert_int_equal(found, 2);
	assert_at(doc, "/x~1~0y/~01/0", 1, 18);
	assert_at(doc, "/\t", 1, 32);
	assure_doc_free(doc);
}

/* CRLF line endings end a line once; the CR is not a column of the next line. */
static void test_doc__crlf_line_endings(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    true\r\n  ]\r\n}\r\n");
	assert_at(doc, "/a", 2, 8);
	assert_key_at(doc, "/a", 2, 3);
	assert_at(doc, "/b", 3, 8);
	assert_at(doc, "/b/0", 4, 5);
	assure_doc_free(doc);
	assert_parse_error("{\r\n\"a\": 1,\r\n\"a\": 2}", 19, 3, 1, "duplicate object key 'a'");
}

/* "" is the root, whatever kind of value it is; the root has no key. */
static void test_doc__root_pointer(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("  \n   42 ");
	assert_true(json_is_integer(assure_doc_root(doc)));
	assert_at(doc, "", 2, 4);
	int line, col;
	assert_int_equal(assure_doc_locate_key(doc, "", &line, &col), ASSURE_ENOTFOUND);
	assert_not_found(doc, "/0");
	assure_doc_free(doc);
	doc = parse_ok("[\"text\", []]");
	assert_at(doc, "", 1, 1);
	assert_at(doc, "/1", 1, 10);
	/* array items have no key */
	assert_int_equal(assure_doc_locate_key(doc, "/1", &line, &col), ASSURE_ENOTFOUND);
	assure_doc_free(doc);
	/* empty containers have no children to search */
	doc = parse_ok(" { }");
	assert_at(doc, "", 1, 2);
	assert_not_found(doc, "/x");
	assert_not_found(doc, "/");
	assure_doc_free(doc);
	doc = parse_ok("[]");
	assert_not_found(doc, "/0");
	assure_doc_free(doc);
}

/* Missing members, bad indices, malformed pointers and steps into scalars are not found. */
static void test_doc__not_found(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("{\"a\": [10, 20], \"s\": \"str\", \"n\": {}}");
	assert_at(doc, "/a/1", 1, 12);
	assert_not_found(doc, "/missing");
	assert_not_found(doc, "/a/2");
	assert_not_found(doc, "/a/-");
	assert_not_found(doc, "/a/01");
	assert_not_found(doc, "/a/+1");
	assert_not_found(doc, "/a/");
	assert_not_found(doc, "/a/99999999999999999999999");
	assert_not_found(doc, "/s/0");
	assert_not_found(doc, "/n/x");
	assert_not_found(doc, "a");
	assert_not_found(doc, "/a~2");
	assert_not_found(doc, "/a~");
	assert_not_found(doc, "/A");
	assure_doc_free(doc);
}

/* A duplicate member is rejected, at the second name, and the message names the decoded key. */
static void test_doc__duplicate_key_rejected(void **state)
{
	(void)state;
	const char *text = "{\n"
	                   "  \"forecast\": {\n"
	                   "    \"outturn\": 1,\n"
	                   "    \"outturn\": 2\n"
	                   "  }\n"
	                   "}\n";
	assert_parse_error(text, strlen(text), 4, 5, "duplicate object key 'outturn'");
	const char *escaped = "{\"a\\u00e9\": 1, \"a\xc3\xa9\": 2}";
	assert_parse_error(escaped, strlen(escaped), 1, 16, "duplicate object key 'a\xc3\xa9'");
	const char *control = "{\"a\\nb\": 1, \"a\\nb\": 2}";
	assert_parse_error(control, strlen(control), 1, 13, "duplicate object key \"a\\nb\"");
	/* the same name in different objects is fine */
	assure_doc *doc = parse_ok("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}");
	assure_doc_free(doc);
}

/*
 * What jansson quotes from the text is shown as visible escapes: a control character, DEL or a
 * C1 control in a file reaches no terminal through the message about it (found by fuzz_doc).
 */
static void test_doc__message_shows_controls_visibly(void **state)
{
	(void)state;
	const char *token = "{\"a\":\x10 1}";
	assert_parse_error(token, strlen(token), 1, 6, "invalid token near '\\x10'");
	const char *escape = "[1 \x1b[2J]";
	assert_parse_error(escape, strlen(escape), 1, 4,
	                   "expected ',' or ']' before '\\x1b' (is a comma missing?)");
	const char *del = "{\"\x7f\": 1, \"\x7f\": 2}";
	assert_parse_error(del, strlen(del), 1, 10, "duplicate object key \"\\x7f\"");
	const char *c1 = "{\"\xc2\x85\": 1, \"\xc2\x85\": 2}";
	assert_parse_error(c1, strlen(c1), 1, 10, "duplicate object key \"\\u0085\"");
}

/*
 * A truncated file reports the end of the text; a bad token reports its first character, a byte
 * that is not UTF-8 its own place.
 */
static void test_doc__error_positions(void **state)
{
	(void)state;
	const char *t1 = "{\"a\": [1, 2";
	assert_parse_error(t1, strlen(t1), 1, 12, "']' expected near end of file");
	const char *t2 = "{\n  \"a\": [1, 2,\n";
	assert_parse_error(t2, strlen(t2), 3, 1, "']' expected near end of file");
	const char *t3 = "{\"a\": {\"b\": 1}";
	assert_parse_error(t3, strlen(t3), 1, 15, "'}' expected near end of file");
	const char *t4 = "{\"\xc3\xa9t\xc3\xa9\": tru}";
	assert_parse_error(t4, strlen(t4), 1, 9, "invalid token near 'tru'");
	const char *t5 = "{\"a\": 1} x";
	assert_parse_error(t5, strlen(t5), 1, 10, "end of file expected near 'x'");
	/* a missing comma is named as such, at the member or item it is missing before */
	const char *t7 = "{\"a\": 1\n \"b\": 2}";
	assert_parse_error(t7, strlen(t7), 2, 2, "expected ',' or '}' before '\"b\"' (is a comma missing?)");
	const char *t8 = "[1 2]";
	assert_parse_error(t8, strlen(t8), 1, 4, "expected ',' or ']' before '2' (is a comma missing?)");
	const char *t6 = "[1,\n  \"unterminated";
	assert_parse_error(t6, strlen(t6), 2, 3, "premature end of input near '\"unterminated'");
	assert_parse_error("", 0, 1, 1, "no JSON value (the text is empty)");
	assert_parse_error("  \n ", 4, 2, 2, "no JSON value (the text is only white space)");
	/* a byte that is not UTF-8 is shown where it is, not at the start of its string */
	const char *t9 = "{\"a\": \"b\xc3\xa9\xff\"}";
	assert_parse_error(t9, strlen(t9), 1, 10,
	                   "byte 0xff is not UTF-8 (JSON text must be UTF-8; was the file saved in another "
	                   "encoding?)");
	/* a sequence cut by the end of the text, with no NUL after it */
	const char t10[] = {'[', '"', (char)0xe2, (char)0x82};
	assert_parse_error(t10, sizeof(t10), 1, 3,
	                   "byte 0xe2 is not UTF-8 (JSON text must be UTF-8; was the file saved in another "
	                   "encoding?)");
	/* jansson gives no digits for an integer beyond 64 bits */
	const char *t11 = "{\"a\": 123456789012345678901234567890}";
	assert_parse_error(t11, strlen(t11), 1, 7, "too big integer near '123456789012345678901234567890'");
	/* a raw NUL is not JSON; jansson would call it the end of the text, a column late */
	const char raw[] = "{\"a\": 1,\0 \"b\": 2}";
	assert_parse_error(raw, sizeof(raw) - 1, 1, 9,
	                   "a NUL byte (0x00) is not allowed in JSON text (in a string, write \\u0000)");
	const char in_string[] = "[\n \"x\0y\"]";
	assert_parse_error(in_string, sizeof(in_string) - 1, 2, 4,
	                   "a NUL byte (0x00) is not allowed in JSON text (in a string, write \\u0000)");
	/* err_line and err_col may be NULL */
	assure_doc *doc;
	assert_int_equal(assure_doc_parse(&doc, "[", 1, NULL, NULL), ASSURE_EINVALID);
}

/*
 * "\u0000" is valid JSON: the string is read, with the NUL as the six characters \u0000, so that
 * no C-string caller sees "x" where the file says "x\u0000y"; an escaped backslash before u0000 is
 * no NUL at all.
 */
static void test_doc__nul_escape_read_whole(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("{\"a\": \"x\\u0000y\", \"b\": [\"\\u0000\"], \"c\": \"\\\\u0000\"}");
	json_t *root = assure_doc_root(doc);
	assert_string_equal(json_string_value(json_object_get(root, "a")), "x\\u0000y");
	assert_int_equal(json_string_length(json_object_get(root, "a")), 8);
	assert_string_equal(json_string_value(json_array_get(json_object_get(root, "b"), 0)), "\\u0000");
	assert_string_equal(json_string_value(json_object_get(root, "c")), "\\u0000");
	assure_doc_free(doc);
}

/* A nonzero number too small for a double is an error, as one too large is, never a silent 0. */
static void test_doc__real_underflow_rejected(void **state)
{
	(void)state;
	const char *t1 = "{\"a\": [1,\n  1e-400]}";
	assert_parse_error(t1, strlen(t1), 2, 3, "real number underflow near '1e-400'");
	const char *t2 = "{\"\\u00e9\": -0.00001e-330}";
	assert_parse_error(t2, strlen(t2), 1, 12, "real number underflow near '-0.00001e-330'");
	const char *big = "[2e308]";
	assert_parse_error(big, strlen(big), 1, 2, "real number overflow near '2e308'");
	/* Zeros, however written, and the smallest subnormal are numbers; digits in strings are text. */
	assure_doc *doc = parse_ok(
	    "{\"1e-400\": \"1e-400\\\" 1e-400\", \"z\": [0e-400, -0.0e-999, 0.000, 4.9e-324, 1e-320]}");
	assert_at(doc, "/z/4", 1, 73);
	assure_doc_free(doc);
}

/* A UTF-8 byte order mark is dropped: not an error, not a column, not in the text. */
static void test_doc__bom_skipped(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("\xef\xbb\xbf{\"a\": 1}");
	assert_at(doc, "", 1, 1);
	assert_at(doc, "/a", 1, 7);
	size_t len;
	const char *text = assure_doc_text(doc, &len);
	assert_int_equal(len, 8);
	assert_string_equal(text, "{\"a\": 1}");
	assure_doc_free(doc);
	const char *bad = "\xef\xbb\xbf{\"a\" 1}";
	assert_parse_error(bad, strlen(bad), 1, 6, "':' expected near '1'");
}

/* The text is copied: the caller's buffer may change after parsing, and need not be NUL-terminated. */
static void test_doc__text_is_copied(void **state)
{
	(void)state;
	char buf[] = "{\"v\": [1, 2]}garbage";
	assure_doc *doc;
	assert_int_equal(assure_doc_parse(&doc, buf, 13, NULL, NULL), 0);
	memset(buf, 'x', sizeof buf - 1);
	size_t len;
	assert_string_equal(assure_doc_text(doc, &len), "{\"v\": [1, 2]}");
	assert_int_equal(len, 13);
	assert_at(doc, "/v/1", 1, 11);
	assure_doc_free(doc);
	assure_doc_free(NULL);
}

/* Thousands of members, one a line, each found where it is: the sorted lookup misses none. */
static void test_doc__many_members(void **state)
{
	(void)state;
	enum { N = 3000 };
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_puts(&b, "{\n");
	for (int i = 0; i < N; i++)
		assure_buf_printf(&b, "\"k%d\": [%d]%s\n", (N - 1 - i) * 7, i, i + 1 < N ? "," : "");
	assure_buf_puts(&b, "}\n");
	assure_doc *doc = parse_ok(b.ptr);
	for (int i = 0; i < N; i++) {
		char ptr[32], key[16];
		int kl = snprintf(key, sizeof key, "\"k%d\": ", (N - 1 - i) * 7);
		snprintf(ptr, sizeof ptr, "/k%d/0", (N - 1 - i) * 7);
		assert_at(doc, ptr, i + 2, kl + 2);
		snprintf(ptr, sizeof ptr, "/k%d", (N - 1 - i) * 7);
		assert_key_at(doc, ptr, i + 2, 1);
	}
	assert_not_found(doc, "/k1");
	assert_not_found(doc, "/k");
	assure_doc_free(doc);
	assure_buf_free(&b);
}

/* Nesting as deep as jansson accepts is located, and one level deeper is a parse error, not a crash. */
static void test_doc__deep_nesting(void **state)
{
	(void)state;
	enum { DEPTH = 2048 };
	assure_buf text = ASSURE_BUF_INIT, ptr = ASSURE_BUF_INIT;
	for (int i = 0; i < DEPTH; i++)
		assure_buf_putc(&text, '[');
	for (int i = 0; i < DEPTH; i++)
		assure_buf_putc(&text, ']');
	assure_doc *doc = parse_ok(text.ptr);
	for (int i = 0; i < DEPTH - 1; i++)
		assure_buf_puts(&ptr, "/0");
	assert_at(doc, ptr.ptr, 1, DEPTH);
	assure_buf_puts(&ptr, "/0");
	assert_not_found(doc, ptr.ptr);
	assure_doc_free(doc);
	assure_buf_clear(&text);
	for (int i = 0; i <= DEPTH; i++)
		assure_buf_putc(&text, '[');
	assure_doc *bad = NULL;
	assert_int_equal(assure_doc_parse(&bad, text.ptr, text.len, NULL, NULL), ASSURE_EINVALID);
	assert_null(bad);
	assure_buf_free(&text);
	assure_buf_free(&ptr);
}

/* A forgotten locator is built again by the next locate, with the same positions. */
static void test_doc__locations_forgotten_and_found_again(void **state)
{
	(void)state;
	assure_doc *doc = parse_ok("{\n  \"a\": [1,\n    {\"b\": \"x\"}]\n}\n");
	assert_false(assure_doc_located(doc));
	assert_at(doc, "/a/1/b", 3, 11);
	assert_true(assure_doc_located(doc));
	assure_doc_forget_locations(doc);
	assert_false(assure_doc_located(doc));
	assure_doc_forget_locations(doc); /* twice is harmless */
	assert_at(doc, "/a/1/b", 3, 11);
	assert_key_at(doc, "/a", 2, 3);
	assert_true(assure_doc_located(doc));
	assure_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_doc__nested_objects_and_arrays),
	    cmocka_unit_test(test_doc__escaped_keys_and_character_columns),
	    cmocka_unit_test(test_doc__pointers_built_from_jansson_keys),
	    cmocka_unit_test(test_doc__crlf_line_endings),
	    cmocka_unit_test(test_doc__root_pointer),
	    cmocka_unit_test(test_doc__not_found),
	    cmocka_unit_test(test_doc__duplicate_key_rejected),
	    cmocka_unit_test(test_doc__message_shows_controls_visibly),
	    cmocka_unit_test(test_doc__error_positions),
	    cmocka_unit_test(test_doc__nul_escape_read_whole),
	    cmocka_unit_test(test_doc__real_underflow_rejected),
	    cmocka_unit_test(test_doc__bom_skipped),
	    cmocka_unit_test(test_doc__text_is_copied),
	    cmocka_unit_test(test_doc__many_members),
	    cmocka_unit_test(test_doc__deep_nesting),
	    cmocka_unit_test(test_doc__locations_forgotten_and_found_again),
	};
	return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
