/* test_glob.c: the globs of rules' applies_to.paths, as documented above assure_glob_match. */
#include "assure/repo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

typedef struct glob_case {
	const char *pattern; /* the glob */
	const char *path;    /* a path */
	bool match;          /* what assure_glob_match must say */
} glob_case;

static void check(const glob_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool got = assure_glob_match(cases[i].pattern, cases[i].path);
		if (got != cases[i].match)
			fail_msg("'%s' against '%s': got %s, expected %s", cases[i].pattern, cases[i].path,
			         got ? "match" : "no match", cases[i].match ? "match" : "no match");
	}
}

#define CHECK(cases) check(cases, sizeof(cases) / sizeof(cases[0]))

/* Without wildcards a pattern matches exactly that path, bytewise and case sensitive. */
static void test_glob__literal_matches_whole_path(void **state)
{
	(void)state;
	static const glob_case cases[] = {
	    {"returns/a.json", "returns/a.json", true},
	    {"returns/a.json", "returns/a.jso", false},
	    {"returns/a.json", "returns/a.jsonx", false},
	    {"returns/a.json", "Returns/a.json", false},
	    {"a.json", "x/a.json", false},
	    {"returns", "returns/a.json", false},
	    {"", "", true},
	    {"", "a", false},
	};
	CHECK(cases);
}

/* '?' matches one UTF-8 character, however many bytes it takes; '*' never splits one. */
static void test_glob__question_matches_one_utf8_character(void **state)
{
	(void)state;
	static const glob_case cases[] = {
	    {"a?c",
	     "a\xc3\xa9"
	     "c",
	     true}, /* é: two bytes */
	    {"a??c",
	     "a\xc3\xa9"
	     "c",
	     false}, /* not two characters */
	    {"a?c",
	     "a\xe2\x82\xac"
	     "c",
	     true}, /* €: three bytes */
	    {"a?c",
	     "a\xf0\x9f\x8f\xa5"
	     "c",
	     true}, /* four bytes */
	    {"*?c",
	     "\xc3\xa9"
	     "c",
	     true},
	    {"*\xa9"
	     "c",
	     "\xc3\xa9"
	     "c",
	     false}, /* '*' does not stop inside 'é' */
	    {"a?c",
	     "a\xff"
	     "c",
	     true}, /* a stray byte counts as one */
	};
	CHECK(cases);
}

/* '*' and '?' match within one segment only, and '*' may match nothing. */
static void test_glob__star_and_question_stay_in_segment(void **state)
{
	(void)state;
	static const glob_case cases[] = {
	    {"*.json", "a.json", true},
	    {"*.json", ".json", true},
	    {"*.json", "dir/a.json", false},
	    {"returns/*.json", "returns/a.json", true},
	    {"returns/*.json", "returns/x/a.json", false},
	    {"returns/*/finance.json", "returns/2020-21/finance.json", true},
	    {"returns/*/finance.json", "returns/finance.json", false},
	    {"fin*ce*.json", "finance-m07.json", true},
	    {"fin*ce*.json", "finanze.json", false},
	    {"a*", "a/b", false},
	    {"a?c", "abc", true},
	    {"a?c", "ac", false},
	    {"a?c", "a/c", false},
	    {"*", ".hidden", true},
	    {"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	    {"a**b", "axxb", true},
	    {"a**b", "ax/xb", false},
	};
	CHECK(cases);
}

/* '**' as a whole segment spans zero or more segments, at the start, middle or end. */
static void test_glob__doublestar_spans_segments(void **state)
{
	(void)state;
	static const glob_case cases[] = {
	    {"returns/**/finance*.json", "returns/finance.json", true},
	    {"returns/**/finance*.json", "returns/a/b/finance-m07.json", true},
	    {"returns/**/finance*.json", "returns/a/b/board.json", false},
	    {"returns/**/finance*.json", "other/a/finance.json", false},
	    {"returns/**/*.json", "returns/2020-21/finance/rxn.json", true},
	    {"returns/**/*.json", "returns/x.txt", false},
	    {"**/x.json", "x.json", true},
	    {"**/x.json", "a/b/c/x.json", true},
	    {"**/x.json", "a/b/c/y.json", false},
	    {"**", "anything/at/all", true},
	    {"returns/**", "returns/a/b", true},
	    {"returns/**", "returns", true},
	    {"returns/**", "returnsx/a", false},
	    {"a/**/**/b", "a/b", true},
	    {"a/**/**/b", "a/x/y/z/b", true},
	    {"a/**/b/**/c", "a/1/b/2/3/c", true},
	    {"a/**/b/**/c", "a/1/2/3/c", false},
	};
	CHECK(cases);
}

/* Bracket classes: sets, ranges, negation, a literal ']' first, an unclosed '[' and escapes. */
static void test_glob__classes_and_escapes(void **state)
{
	(void)state;
	static const glob_case cases[] = {
	    {"m0[1-9].json", "m07.json", true},
	    {"m0[1-9].json", "m0a.json", false},
	    {"[abc].json", "b.json", true},
	    {"[abc].json", "d.json", false},
	    {"[!abc].json", "d.json", true},
	    {"[^abc].json", "a.json", false},
	    {"[]x].json", "].json", true},
	    {"[]x].json", "x.json", true},
	    {"[a.json", "[a.json", true},
	    {"[a.json", "a.json", false},
	    {"a[/]b", "a/b", false},
	    {"\\*.json", "*.json", true},
	    {"\\*.json", "a.json", false},
	    {"a\\?", "a?", true},
	    {"a\\?", "ab", false},
	};
	CHECK(cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_glob__literal_matches_whole_path),
	    cmocka_unit_test(test_glob__star_and_question_stay_in_segment),
	    cmocka_unit_test(test_glob__doublestar_spans_segments),
	    cmocka_unit_test(test_glob__classes_and_escapes),
	    cmocka_unit_test(test_glob__question_matches_one_utf8_character),
	};
	return cmocka_run_group_tests_name("glob", tests, NULL, NULL);
}
