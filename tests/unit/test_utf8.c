/* test_utf8.c: \uXXXX escape digits and UTF-8 encoding. */
#include "assure/utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8__hex4_reads_four_digits_or_fails),
	    cmocka_unit_test(test_utf8__put_encodes_each_length),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
