/* test_utf8.c: \uXXXX escape digits, UTF-8 encoding and JSON documents written piece by piece. */
#include "assure/utf8.h"

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

/*
 * The report writer's reference: what jansson's JSON_INDENT(2) dump gives, indented depth levels
 * down, with DEL, C1 controls and U+2028/9 then escaped (the writer's contract in utf8.h). The
 * writer makes these bytes in one pass; this makes them the slow way, to hold it to them.
 */
static int reference_dump(assure_buf *out, json_t *v, int depth)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
	if (!text)
		return -1;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == 0x7f) {
			assure_buf_puts(out, "\\u007f");
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			assure_buf_printf(out, "\\u%04x", p[1]);
			p++;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			assure_buf_printf(out, "\\u%04x", 0x2000 + (p[2] - 0x80));
			p += 2;
		} else {
			assure_buf_putc(out, (char)*p);
			if (*p == '\n')
				for (int i = 0; i < depth; i++)
					assure_buf_puts(out, "  ");
		}
	}
	free(text);
	return 0;
}

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33) % n;
}

/* A string of pieces a report must get right: quotes, controls, DEL, C1, U+2028, 4-byte UTF-8, NUL. */
static json_t *random_string(void)
{
	static const char *const pieces[] = {"a",
	                                     "Z9 ",
	                                     "\"",
	                                     "\\",
	                                     "/",
	                                     "\n",
	                                     "\t",
	                                     "\b",
	                                     "\f",
	                                     "\r",
	                                     "\x01",
	                                     "\x1b[2J",
	                                     "\x1f",
	                                     "\x7f",
	                                     "\xc2\x80",
	                                     "\xc2\x9b",
	                                     "\xc2\x9f",
	                                     "\xc2\xa0",
	                                     "\xc3\xa9",
	                                     "\xe2\x80\xa8",
	                                     "\xe2\x80\xa9",
	                                     "\xe2\x80\xa7",
	                                     "\xe2\x82\xac",
	                                     "\xf0\x9f\x98\x80",
	                                     "\xef\xbf\xbf",
	                                     "{}[],:"};
	assure_buf b = ASSURE_BUF_INIT;
	for (unsigned i = 0, n = rnd(8); i < n; i++)
		assure_buf_puts(&b, pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))]);
	size_t len = b.len;
	if (rnd(10) == 0)
		assure_buf_put(&b, "\0x", 2), len += 2; /* a NUL inside, as json_stringn allows */
	json_t *s = json_stringn(len ? b.ptr : "", len);
	assure_buf_free(&b);
	return s;
}

static json_t *random_value(int depth)
{
	static const double reals[] = {0.0,
	                               -0.0,
	                               1.0,
	                               -2.5,
	                               0.1,
	                               1e21,
	                               1e22,
	                               1.5e300,
	                               -4e-320,
	                               123456789.125,
	                               3.0e-5,
	                               1e100,
	                               0.30000000000000004};
	static const json_int_t ints[] = {
	    0, -1, 7, 1000000, -9223372036854775807LL - 1, 9223372036854775807LL};
	unsigned k = rnd(depth > 3 ? 6 : 8);
	switch (k) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rnd(2));
	case 2:
		return json_integer(ints[rnd(sizeof(ints) / sizeof(ints[0]))]);
	case 3:
		return json_real(reals[rnd(sizeof(reals) / sizeof(reals[0]))]);
	case 4:
	case 5:
		return random_string();
	case 6: {
		json_t *a = json_array();
		for (unsigned i = 0, n = rnd(4); i < n; i++)
			json_array_append_new(a, random_value(depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (unsigned i = 0, n = rnd(4); i < n; i++) {
			json_t *key = random_string();
			json_object_setn_new(o, json_string_value(key), json_string_length(key),
			                     random_value(depth + 1));
			json_decref(key);
		}
		return o;
	}
	}
}

/* 20,000 random documents, at depths 0 to 3, written as the reference writes them, byte for byte. */
static void test_utf8__json_writer_gives_the_dump_with_its_escapes(void **state)
{
	(void)state;
	rng_state = 20261202;
	size_t escapes = 0;
	for (int i = 0; i < 20000; i++) {
		json_t *v = random_value(0);
		int depth = (int)rnd(4);
		assure_buf want = ASSURE_BUF_INIT, got = ASSURE_BUF_INIT;
		assert_int_equal(reference_dump(&want, v, depth), 0);
		assert_int_equal(assure_json_write_at(&got, v, depth, "test"), 0); /* v is stolen */
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.ptr, want.ptr, want.len);
		escapes += strstr(got.ptr, "\\u009b") != NULL;
		assure_buf_free(&want);
		assure_buf_free(&got);
	}
	assert_true(escapes > 100); /* the escapes were met, not only plain text */

	/* a string that is not UTF-8 cannot be written: an error, not bytes a reader would choke on */
	const char *bad[] = {"\xff", "a\xc2", "\xed\xa0\x80", "\xe0\x80\x80", "\xf4\x90\x80\x80"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assure_buf out = ASSURE_BUF_INIT;
		json_t *doc = json_pack("{s:o}", "k", json_string_nocheck(bad[i]));
		assert_int_equal(assure_json_write_at(&out, doc, 0, "odd report"), -1);
		assert_string_equal(assure_error_last(), "cannot write the odd report");
		assure_buf_free(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8__hex4_reads_four_digits_or_fails),
	    cmocka_unit_test(test_utf8__put_encodes_each_length),
	    cmocka_unit_test(test_utf8__json_list_written_in_pieces_is_the_whole_dump),
	    cmocka_unit_test(test_utf8__json_writer_gives_the_dump_with_its_escapes),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
