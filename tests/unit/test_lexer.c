/* test_lexer.c: the tokens of the expression language, their offsets, and every lexical error. */
#include "expr/expr_int.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/*
 * Lex all of src; returns the tokens as text, one per token separated by blanks:
 * the source text of each token, or for strings the decoded text in <...>.
 */
static char *lex_all(const char *src)
{
	lexer lx;
	size_t off = 0;
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	lexer_init(&lx, src, strlen(src));
	for (;;) {
		if (lexer_next(&lx, &off) != 0)
			fail_msg("'%s' did not lex: %s at %zu", src, assure_error_last(), off);
		if (lx.tok.kind == TOK_END)
			break;
		if (b.len)
			assure_buf_putc(&b, ' ');
		if (lx.tok.kind == TOK_STRING)
			assure_buf_printf(&b, "<%s>", lx.tok.str);
		else
			assure_buf_put(&b, src + lx.tok.off, lx.tok.end - lx.tok.off);
	}
	lexer_fini(&lx);
	return assure_buf_detach(&b);
}

static void assert_tokens(const char *src, const char *want)
{
	char *got = lex_all(src);
	assert_string_equal(got, want);
	free(got);
}

/* Lex until an error, which must be `msg` at `offset`. */
static void assert_lex_error(const char *src, const char *msg, size_t offset)
{
	lexer lx;
	size_t off = 999;
	lexer_init(&lx, src, strlen(src));
	int rc;
	while ((rc = lexer_next(&lx, &off)) == 0 && lx.tok.kind != TOK_END)
		;
	lexer_fini(&lx);
	if (rc == 0)
		fail_msg("'%s' lexed without error", src);
	assert_string_equal(assure_error_last(), msg);
	assert_int_equal(off, offset);
}

/* Every operator is one token, two-character operators taken whole. */
static void test_lexer__operators(void **state)
{
	(void)state;
	assert_tokens("a<=b>=c==d!=e&&f||!g<h>i", "a <= b >= c == d != e && f || ! g < h > i");
	assert_tokens("(a)[b],c.d?e:f+g-h*i/j}", "( a ) [ b ] , c . d ? e : f + g - h * i / j }");
	assert_tokens("$ @", "$ @");
}

/* Token kinds are recognised, and 'in' is a keyword only as a whole word. */
static void test_lexer__kinds(void **state)
{
	(void)state;
	lexer lx;
	size_t off;
	const char *src = "x in inside _a1 12";
	const tok_kind want[] = {TOK_IDENT, TOK_IN, TOK_IDENT, TOK_IDENT, TOK_NUMBER, TOK_END};
	lexer_init(&lx, src, strlen(src));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(lexer_next(&lx, &off), 0);
		assert_int_equal(lx.tok.kind, want[i]);
	}
	lexer_fini(&lx);
}

/* Offsets are exact byte offsets, blanks (space, tab, CR, LF) skipped. */
static void test_lexer__offsets(void **state)
{
	(void)state;
	lexer lx;
	size_t off;
	const char *src = " \t12 +\n\r'ab' ";
	lexer_init(&lx, src, strlen(src));
	assert_int_equal(lexer_next(&lx, &off), 0);
	assert_int_equal(lx.tok.off, 2);
	assert_int_equal(lx.tok.end, 4);
	assert_int_equal(lexer_next(&lx, &off), 0);
	assert_int_equal(lx.tok.kind, TOK_PLUS);
	assert_int_equal(lx.tok.off, 5);
	assert_int_equal(lexer_next(&lx, &off), 0);
	assert_int_equal(lx.tok.kind, TOK_STRING);
	assert_int_equal(lx.tok.off, 8);
	assert_int_equal(lx.tok.end, 12);
	assert_int_equal(lexer_next(&lx, &off), 0);
	assert_int_equal(lx.tok.kind, TOK_END);
	assert_int_equal(lx.tok.off, 13);
	lexer_fini(&lx);
}

/* Numbers follow JSON syntax: fractions and exponents, no sign (unary minus is an operator). */
static void test_lexer__numbers(void **state)
{
	(void)state;
	assert_tokens("0 7 20.6 0.05 1e3 1E+3 2.5e-2 -4", "0 7 20.6 0.05 1e3 1E+3 2.5e-2 - 4");
}

/* Malformed numbers are errors at the exact offending byte. */
static void test_lexer__number_errors(void **state)
{
	(void)state;
	assert_lex_error("1 + .5", "a number cannot start with '.' (write 0.5, not .5)", 4);
	assert_lex_error("x == 01", "a number cannot have a leading zero", 5);
	assert_lex_error("1.", "expected a digit after '.'", 2);
	assert_lex_error("1.x", "expected a digit after '.'", 2);
	assert_lex_error("3e", "expected a digit in the exponent", 2);
	assert_lex_error("3e+", "expected a digit in the exponent", 3);
	assert_lex_error("12abc", "unexpected character after a number: 'a'", 2);
	assert_lex_error("1.5.2", "unexpected character after a number: '.'", 3);
}

/* Both quotes delimit strings; JSON escapes (and \') are decoded, including surrogate pairs. */
static void test_lexer__strings(void **state)
{
	(void)state;
	assert_tokens("'abc' \"d'e\" 'f\"g'", "<abc> <d'e> <f\"g>");
	assert_tokens("'a\\'b' \"c\\\"d\"", "<a'b> <c\"d>");
	assert_tokens("'\\\\ \\/ \\t'", "<\\ / \t>");
	assert_tokens("'\\u00e9\\u20AC'", "<\xc3\xa9\xe2\x82\xac>");
	assert_tokens("'\\ud83d\\ude00'", "<\xf0\x9f\x98\x80>");
	assert_tokens("'caf\xc3\xa9'", "<caf\xc3\xa9>");
	assert_tokens("''", "<>");
}

/* Malformed strings are errors at the quote, the backslash or the control character. */
static void test_lexer__string_errors(void **state)
{
	(void)state;
	assert_lex_error("x == 'abc", "unterminated string", 5);
	assert_lex_error("'ab\\", "unterminated string", 3);
	assert_lex_error("'a\\qb'", "invalid escape '\\q'", 2);
	assert_lex_error("'a\\u12'", "expected 4 hex digits after '\\u'", 2);
	assert_lex_error("'a\\u12zz'", "expected 4 hex digits after '\\u'", 2);
	assert_lex_error("'\\udc00'", "unpaired surrogate in '\\u' escape", 1);
	assert_lex_error("'\\ud83d'", "unpaired surrogate in '\\u' escape", 1);
	assert_lex_error("'\\ud83d\\u0041'", "unpaired surrogate in '\\u' escape", 1);
	assert_lex_error("'\\u0000'", "a string cannot contain '\\u0000'", 1);
	assert_lex_error("'a\nb'", "control character in a string (write it as an escape)", 2);
}

/* Characters that are not part of the language are named, with a hint for =, & and |. */
static void test_lexer__bad_characters(void **state)
{
	(void)state;
	assert_lex_error("a = 1", "'=' is not an operator (use '==' to compare)", 2);
	assert_lex_error("a & b", "'&' is not an operator (use '&&')", 2);
	assert_lex_error("a | b", "'|' is not an operator (use '||')", 2);
	assert_lex_error("a # b", "unexpected character '#'", 2);
	assert_lex_error("a \xc3\xa9", "unexpected character U+00E9", 2);
	assert_lex_error("~", "unexpected character '~'", 0);
}

/* The parser can seek the lexer past an embedded query and go on from there. */
static void test_lexer__seek(void **state)
{
	(void)state;
	lexer lx;
	size_t off;
	const char *src = "@.a.b == 1";
	lexer_init(&lx, src, strlen(src));
	assert_int_equal(lexer_next(&lx, &off), 0);
	assert_int_equal(lx.tok.kind, TOK_AT);
	lexer_seek(&lx, 5);
	assert_int_equal(lexer_next(&lx, &off), 0);
	assert_int_equal(lx.tok.kind, TOK_EQ);
	assert_int_equal(lx.tok.off, 6);
	lexer_fini(&lx);
}

/* A decoded offset inside a string literal maps back to its byte in the source, escapes included. */
static void test_lexer__string_source_offset(void **state)
{
	(void)state;
	const char *src = "f('a\\tb(c')";
	/* decoded "a\tb(c": byte 3 is '(' at source offset 7 */
	assert_int_equal(lexer_string_source_offset(src, 2, 0), 3);
	assert_int_equal(lexer_string_source_offset(src, 2, 1), 4);
	assert_int_equal(lexer_string_source_offset(src, 2, 2), 6);
	assert_int_equal(lexer_string_source_offset(src, 2, 3), 7);
	assert_int_equal(lexer_string_source_offset(src, 2, 5), 9);
}

/* Every token kind has a name for messages. */
static void test_lexer__kind_names(void **state)
{
	(void)state;
	assert_string_equal(lexer_kind_name(TOK_END), "the end");
	assert_string_equal(lexer_kind_name(TOK_RPAREN), "')'");
	assert_string_equal(lexer_kind_name(TOK_NUMBER), "a number");
	assert_string_equal(lexer_kind_name(TOK_OR), "'||'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lexer__operators),     cmocka_unit_test(test_lexer__kinds),
	    cmocka_unit_test(test_lexer__offsets),       cmocka_unit_test(test_lexer__numbers),
	    cmocka_unit_test(test_lexer__number_errors), cmocka_unit_test(test_lexer__strings),
	    cmocka_unit_test(test_lexer__string_errors), cmocka_unit_test(test_lexer__bad_characters),
	    cmocka_unit_test(test_lexer__seek),          cmocka_unit_test(test_lexer__string_source_offset),
	    cmocka_unit_test(test_lexer__kind_names),
	};
	return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
