/*
 * regex.h: PCRE2 regular expressions with the limits a rule set may not exceed.
 *
 * Patterns are compiled once (UTF mode, JIT where the platform has it) and run with
 * match and depth limits, so a hostile pattern cannot hang a run: hitting a limit is
 * reported as ASSURE_REGEX_ELIMIT, never as "no match".
 * assure_regex owns its compiled code; assure_regex_free(NULL) is a no-op.
 */
#ifndef ASSURE_REGEX_H
#define ASSURE_REGEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct assure_regex assure_regex;

enum {
	ASSURE_REGEX_FULL = 1 << 0,    /* anchored at both ends: the whole subject must match */
	ASSURE_REGEX_IREGEXP = 1 << 1, /* pattern is RFC 9485 I-Regexp; translated to PCRE2 */
};

#define ASSURE_REGEX_MATCH_LIMIT 1000000u
#define ASSURE_REGEX_DEPTH_LIMIT 10000u

enum {
	ASSURE_REGEX_NOMATCH = 0,
	ASSURE_REGEX_MATCH = 1,
	ASSURE_REGEX_ELIMIT = -2,   /* match or depth limit reached */
	ASSURE_REGEX_EINVALID = -3, /* subject is not valid UTF-8 */
};

/*
 * Compile; on failure returns -1 and, when err_offset is not NULL, sets it to the
 * 0-based offset of the problem in the pattern; the message (for example
 * "missing closing parenthesis") is in assure_error_last().
 */
int assure_regex_new(assure_regex **out, const char *pattern, int flags, size_t *err_offset);
void assure_regex_free(assure_regex *re);
/* ASSURE_REGEX_MATCH, ASSURE_REGEX_NOMATCH, or a negative ASSURE_REGEX_E* code. */
int assure_regex_match(const assure_regex *re, const char *subject, size_t len);
/*
 * Translate an I-Regexp into PCRE2 syntax; caller frees. NULL if not valid I-Regexp.
 * '.' becomes [^\n\r]; unescaped '^' and '$' stay anchors, as in RFC 9485's own PCRE
 * mapping and the JSONPath Compliance Test Suite; anything beyond RFC 9485 (\d,
 * backreferences, lookaround, lazy quantifiers) is rejected.
 */
char *assure_iregexp_to_pcre2(const char *pattern);

#endif
