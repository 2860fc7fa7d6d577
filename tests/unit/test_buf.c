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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf__quoted_escapes_its_own_quote_only),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
