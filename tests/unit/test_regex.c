/* test_regex.c: PCRE2 compilation with limits, and RFC 9485 I-Regexp translation. */
#include "assure/regex.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Compile (asserting success), match one subject, free; returns the match result. */
static int match1(const char *pattern, int flags, const char *subject)
{
	assure_regex *re = NULL;
	size_t off = 99;
	int rc = assure_regex_new(&re, pattern, flags, &off);
	if (rc != 0)
		fail_msg("'%s' did not compile: %s", pattern, assure_error_last());
	rc = assure_regex_match(re, subject, strlen(subject));
	assure_regex_free(re);
	return rc;
}

static void assert_translation(const char *iregexp, const char *pcre2)
{
	char *t = assure_iregexp_to_pcre2(iregexp);
	assert_non_null(t);
	assert_string_equal(t, pcre2);
	free(t);
}

/* I-Regexp '.' is any character but LF and CR, so it becomes a negated class. */
static void test_regex__iregexp_dot_excludes_line_terminators(void **state)
{
	(void)state;
	assert_translation("a.c", "a[^\\n\\r]c");
	const int f = ASSURE_REGEX_IREGEXP | ASSURE_REGEX_FULL;
	assert_int_equal(match1("a.c", f, "abc"), ASSURE_REGEX_MATCH);
	assert_int_equal(match1("a.c", f,
	                        "a\xc3\xa9"
	                        "c"),
	                 ASSURE_REGEX_MATCH); /* one character, two bytes */
	assert_int_equal(match1("a.c", f, "a\nc"), ASSURE_REGEX_NOMATCH);
	assert_int_equal(match1("a.c", f, "a\rc"), ASSURE_REGEX_NOMATCH);
	assert_int_equal(match1("a.c", f,
	                        "a\xe2\x80\xa8"
	                        "c"),
	                 ASSURE_REGEX_MATCH); /* U+2028 is not excluded */
}

/* Groups become non-capturing and PCRE2 metacharacters that I-Regexp treats as literals are escaped. */
static void test_regex__iregexp_translation_text(void **state)
{
	(void)state;
	assert_translation("(a|b)*", "(?:a|b)*");
	assert_translation("[a-z]{2,3}", "[a-z]{2,3}");
	assert_translation("a,b-c", "a\\,b\\-c");
	assert_translation("\\p{Lu}\\P{Nd}", "\\p{Lu}\\P{Nd}");
	assert_translation("[^\\n-]", "[^\\n\\-]");
	assert_translation("", "");
	assert_int_equal(match1("a,b-c", ASSURE_REGEX_IREGEXP | ASSURE_REGEX_FULL, "a,b-c"),
	                 ASSURE_REGEX_MATCH);
}

/*
 * Unescaped '^' and '$' are anchors, as in RFC 9485's PCRE mapping and the JSONPath CTS;
 * '$' is the very end, never "before a final newline", and an anchor cannot be repeated.
 */
static void test_regex__iregexp_caret_and_dollar_are_anchors(void **state)
{
	(void)state;
	assert_translation("^x$", "^x$");
	assert_int_equal(match1("^ab", ASSURE_REGEX_IREGEXP, "abc"), ASSURE_REGEX_MATCH);
	assert_int_equal(match1("^ab", ASSURE_REGEX_IREGEXP, "xab"), ASSURE_REGEX_NOMATCH);
	assert_int_equal(match1("bc$", ASSURE_REGEX_IREGEXP, "abc"), ASSURE_REGEX_MATCH);
	assert_int_equal(match1("bc$", ASSURE_REGEX_IREGEXP, "abc\n"), ASSURE_REGEX_NOMATCH);
	/* the literals are written \^ and [$] ('\$' is not among RFC 9485's escapes) */
	assert_int_equal(match1("\\^x[$]", ASSURE_REGEX_IREGEXP | ASSURE_REGEX_FULL, "^x$"),
	                 ASSURE_REGEX_MATCH);
	assert_null(assure_iregexp_to_pcre2("\\$"));
	char *t = assure_iregexp_to_pcre2("^*a");
	assert_null(t);
}

/* Constructs outside RFC 9485 are rejected, so JSONPath match() and search() cannot give them meaning. */
static void test_regex__iregexp_rejects_pcre_only_constructs(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "\\d",    "\\w+",    "(a)\\1", "a*?",   "a++",         "(?=a)",      "(?:a)",   "a{,3}",
	    "a{3,2}", "\\p{Xx}", "[]",     "[^]",   "[z-a]",       "[a-\\p{L}]", "a|*",     "(a",
	    "a)",     "[a",      "\\",     "\\x41", "[[:alpha:]]", "{1}",        "a{1}{2}", "\\b",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *t = assure_iregexp_to_pcre2(bad[i]);
		if (t)
			fail_msg("'%s' was accepted as '%s'", bad[i], t);
		assure_regex *re = (assure_regex *)1;
		assert_int_equal(assure_regex_new(&re, bad[i], ASSURE_REGEX_IREGEXP, NULL), -1);
		assert_null(re);
	}
}

/* An I-Regexp error points at the offending byte and says what is wrong. */
static void test_regex__iregexp_error_offset_and_message(void **state)
{
	(void)state;
	assure_regex *re;
	size_t off = 0;
	assert_int_equal(assure_regex_new(&re, "ab\\d", ASSURE_REGEX_IREGEXP, &off), -1);
	assert_int_equal(off, 3);
	assert_string_equal(assure_error_last(), "not an I-Regexp: escape not allowed in I-Regexp");
	assert_int_equal(assure_regex_new(&re, "x[z-a]", ASSURE_REGEX_IREGEXP, &off), -1);
	assert_int_equal(off, 3);
	assert_string_equal(assure_error_last(), "not an I-Regexp: range out of order");
}

/* FULL anchors at both ends, also through alternation; without it the pattern may match anywhere. */
static void test_regex__full_anchors_both_ends(void **state)
{
	(void)state;
	assert_int_equal(match1("b", ASSURE_REGEX_FULL, "abc"), ASSURE_REGEX_NOMATCH);
	assert_int_equal(match1("b", 0, "abc"), ASSURE_REGEX_MATCH);
	assert_int_equal(match1("a|ab", ASSURE_REGEX_FULL, "ab"), ASSURE_REGEX_MATCH);
	assert_int_equal(match1("ab|a", ASSURE_REGEX_FULL, "abx"), ASSURE_REGEX_NOMATCH);
	assert_int_equal(match1("[0-9]{3}", ASSURE_REGEX_FULL | ASSURE_REGEX_IREGEXP, "123"),
	                 ASSURE_REGEX_MATCH);
	assert_int_equal(match1("[0-9]{3}", ASSURE_REGEX_FULL | ASSURE_REGEX_IREGEXP, "1234"),
	                 ASSURE_REGEX_NOMATCH);
}

/* A PCRE2 syntax error gives PCRE2's message and the offset into the pattern. */
static void test_regex__pcre2_error_offset(void **state)
{
	(void)state;
	assure_regex *re;
	size_t off = 0;
	assert_int_equal(assure_regex_new(&re, "ab(c", 0, &off), -1);
	assert_null(re);
	assert_int_equal(off, 4);
	assert_string_equal(assure_error_last(), "missing closing parenthesis");
}

/* Catastrophic backtracking stops at the match limit and is reported as an error, not "no match". */
static void test_regex__match_limit_is_an_error(void **state)
{
	(void)state;
	assure_regex *re;
	assert_int_equal(assure_regex_new(&re, "^(a|a?)+$", 0, NULL), 0);
	char subject[64];
	memset(subject, 'a', 40);
	strcpy(subject + 40, "b");
	assert_int_equal(assure_regex_match(re, subject, strlen(subject)), ASSURE_REGEX_ELIMIT);
	assert_string_equal(assure_error_last(), "regular expression hit its match limit");
	assure_regex_free(re);
}

/* A subject that is not UTF-8 is reported as invalid rather than matched byte-wise. */
static void test_regex__invalid_utf8_subject(void **state)
{
	(void)state;
	assure_regex *re;
	assert_int_equal(assure_regex_new(&re, "a", 0, NULL), 0);
	assert_int_equal(assure_regex_match(re, "a\xff", 2), ASSURE_REGEX_EINVALID);
	assure_regex_free(re);
	assure_regex_free(NULL);
}

/* Patterns are Unicode-aware: \w and \p{Lu} see characters, not bytes. */
static void test_regex__unicode_properties(void **state)
{
	(void)state;
	assert_int_equal(match1("^\\w+$", 0, "Zo\xc3\xab"), ASSURE_REGEX_MATCH);
	assert_int_equal(match1("\\p{Lu}", ASSURE_REGEX_IREGEXP | ASSURE_REGEX_FULL, "\xc3\x89"),
	                 ASSURE_REGEX_MATCH);
	assert_int_equal(match1("\\p{Lu}", ASSURE_REGEX_IREGEXP | ASSURE_REGEX_FULL, "\xc3\xa9"),
	                 ASSURE_REGEX_NOMATCH);
	assert_int_equal(match1("[^a]", ASSURE_REGEX_IREGEXP | ASSURE_REGEX_FULL, "\xf0\x9d\x84\x9e"),
	                 ASSURE_REGEX_MATCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_regex__iregexp_dot_excludes_line_terminators),
	    cmocka_unit_test(test_regex__iregexp_translation_text),
	    cmocka_unit_test(test_regex__iregexp_caret_and_dollar_are_anchors),
	    cmocka_unit_test(test_regex__iregexp_rejects_pcre_only_constructs),
	    cmocka_unit_test(test_regex__iregexp_error_offset_and_message),
	    cmocka_unit_test(test_regex__full_anchors_both_ends),
	    cmocka_unit_test(test_regex__pcre2_error_offset),
	    cmocka_unit_test(test_regex__match_limit_is_an_error),
	    cmocka_unit_test(test_regex__invalid_utf8_subject),
	    cmocka_unit_test(test_regex__unicode_properties),
	};
	return cmocka_run_group_tests_name("regex", tests, NULL, NULL);
}
