/* test_buf.c: quoting into a buffer. */
#include "assure/buf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Only the chosen quote is escaped; backslash, five short escapes and \u00xx are shared. */
static void test_buf__quoted_escapes_its_own_quote_only(void **state)
{
	(void)state;
	static const char s[] = "it's \"x\"\\\b\f\n\r\t\x01\x1f\0end\x7f\xc3\xa9";
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	assure_buf_put_quoted(&b, s, sizeof(s) - 1, '\'');
	assert_string_equal(b.ptr, "'it\\'s \"x\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\\u0000end\x7f\xc3\xa9'");
	assure_buf_clear(&b);
	assure_buf_put_json_string(&b, s);
	assert_string_equal(b.ptr, "\"it's \\\"x\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\"");
	assure_buf_free(&b);
}

/*
 * What a submitter writes reaches a terminal as text: controls, bytes that are not UTF-8, line
 * separators and bidirectional controls shown escaped.
 */
static void test_buf__put_visible(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain text, caf\xc3\xa9", "plain text, caf\xc3\xa9"},
	    {"a\nb\rc\td", "a\\nb\\rc\\td"},
	    {"\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"},
	    {"back\bspace\x7f", "back\\x08space\\x7f"},
	    {"csi\xc2\x9b"
	     "31m",
	     "csi\\u009b31m"},
	    {"bad\xff\xfe"
	     "name",
	     "bad\\xff\\xfename"},
	    {"overlong\xc0\xaf", "overlong\\xc0\\xaf"},
	    {"cut\xe2\x82", "cut\\xe2\\x82"},
	    {"emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80"},
	    /* line and paragraph separators, and the bidirectional controls that reorder text */
	    {"a\xe2\x80\xa8"
	     "b\xe2\x80\xa9"
	     "c",
	     "a\\u2028b\\u2029c"},
	    {"\xe2\x80\xae"
	     "evil\xe2\x81\xa6"
	     "x\xe2\x81\xa9",
	     "\\u202eevil\\u2066x\\u2069"},
	    /* their neighbours are ordinary text: an en dash, a narrow no-break space, U+2070 */
	    {"\xe2\x80\x93\xe2\x80\xaf\xe2\x81\xb0", "\xe2\x80\x93\xe2\x80\xaf\xe2\x81\xb0"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assure_buf b = ASSURE_BUF_INIT;
		assure_buf_put_visible(&b, cases[i].in);
		assert_string_equal(b.ptr, cases[i].out);
		assure_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf__quoted_escapes_its_own_quote_only),
	    cmocka_unit_test(test_buf__put_visible),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
