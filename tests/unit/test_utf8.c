/* test_utf8.c: \uXXXX escape digits, UTF-8 encoding and JSON documents written piece by piece. */
#include "assure/utf8.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Four hex digits of either case give their value; fewer than four, or a non-digit, give -1. */
static void test_utf8__hex4_reads_four_digits_or_fails(void **state)
{
	(void)state;
	assert_int_equal(assure_utf8_hex4("00e9", 4), 0xe9);
	assert_int_equal(assure_utf8_hex4("D83Dxyz", 7), 0xd83d);
	assert_int_equal(assure_utf8_hex4("FfFf", 4), 0xffff);
	assert_int_equal(assure_utf8_hex4("00e9", 3), -1);
	assert_int_equal(assure_utf8_hex4("00g9", 4), -1);
	assert_int_equal(assure_utf8_hex4("+123", 4), -1);
}

/* Each length of UTF-8 form, at its boundaries, has the bytes RFC 3629 gives. */
static void test_utf8__put_encodes_each_length(void **state)
{
	(void)state;
	static const struct {
		uint32_t cp;
		const char *utf8;
	} cases[] = {
	    {0x41, "A"},
	    {0x7f, "\x7f"},
	    {0x80, "\xc2\x80"},
	    {0xe9, "\xc3\xa9"},
	    {0x7ff, "\xdf\xbf"},
	    {0x800, "\xe0\xa0\x80"},
	    {0x20ac, "\xe2\x82\xac"},
	    {0xfffd, "\xef\xbf\xbd"},
	    {0x10000, "\xf0\x90\x80\x80"},
	    {0x1f600, "\xf0\x9f\x98\x80"},
	    {0x10ffff, "\xf4\x8f\xbf\xbf"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_buf b = ASSURE_BUF_INIT;
		assure_buf_init(&b);
		assure_utf8_put(&b, cases[i].cp);
		assert_string_equal(b.ptr, cases[i].utf8);
		assure_buf_free(&b);
	}
}

/* The items of a list written by assure_json_write_list: {"n": i, "text": ...}. */
static json_t *item_of(size_t i, void *payload)
{
	(void)payload;
	return json_pack("{s:i, s:s, s:[i, {s:[]}]}", "n", (int)i, "text", i == 1 ? "a [] \xc2\x9b b" : "x",
	                 "more", (int)i, "e");
}

static int flushes;
static int count_flush(assure_buf *out, void *payload)
{
	(void)out;
	(void)payload;
	flushes++;
	return 0;
}

/*
 * A list written item by item in place of its document's last member is byte for byte what
 * assure_json_write gives for the whole document: at the top, one level down and three levels
 * down (as SARIF's results are), with no items and with several (one holding "[]" and a C1
 * control, escaped as the whole document's would be); a document whose list is not last is refused.
 */
static void test_utf8__json_list_written_in_pieces_is_the_whole_dump(void **state)
{
	(void)state;
	for (int shape = 0; shape < 3; shape++) {
		for (size_t n = 0; n < 4; n += 3) {
			json_t *list = json_array(), *full = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(full, item_of(i, NULL));
			json_t *doc = list, *whole = full;
			if (shape == 1) {
				doc = json_pack("{s:s, s:[], s:{s:[]}, s:o}", "a", "[]", "b", "c", "d",
				                "findings", list);
				whole = json_pack("{s:s, s:[], s:{s:[]}, s:o}", "a", "[]", "b", "c", "d",
				                  "findings", full);
			} else if (shape == 2) {
				doc = json_pack("{s:s, s:[{s:i, s:o}]}", "v", "2.1.0", "runs", "x", 1,
				                "results", list);
				whole = json_pack("{s:s, s:[{s:i, s:o}]}", "v", "2.1.0", "runs", "x", 1,
				                  "results", full);
			}
			assure_buf want = ASSURE_BUF_INIT, got = ASSURE_BUF_INIT;
			assert_int_equal(assure_json_write(&want, whole, "test"), 0);
			flushes = 0;
			assert_int_equal(
			    assure_json_write_list(&got, doc, n, item_of, count_flush, NULL, "test"), 0);
			assert_int_equal(flushes, (int)n);
			assert_string_equal(got.ptr, want.ptr);
			if (n)
				assert_non_null(strstr(got.ptr, "\\u009b"));
			assure_buf_free(&want);
			assure_buf_free(&got);
		}
	}
	assure_buf out = ASSURE_BUF_INIT;
	json_t *bad = json_pack("{s:[], s:i}", "findings", "after", 1);
	assert_int_equal(assure_json_write_list(&out, bad, 2, item_of, NULL, NULL, "test"), -1);
	assert_non_null(strstr(assure_error_last(), "not its last member"));
	assure_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8__hex4_reads_four_digits_or_fails),
	    cmocka_unit_test(test_utf8__put_encodes_each_length),
	    cmocka_unit_test(test_utf8__json_list_written_in_pieces_is_the_whole_dump),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
