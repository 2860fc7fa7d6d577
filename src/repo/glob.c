/*
 * glob.c: matching '/'-separated paths against the globs of rules' applies_to.paths
 * (the exact semantics are in repo.h, above assure_glob_match).
 *
 * A pattern is matched segment by segment; within a segment the classic wildcard
 * algorithm backtracks only to the last '*', so a segment costs O(pattern x text).
 * Runs of '**' segments are collapsed before backtracking over segments.
 */
#include "assure/repo.h"

#include <string.h>

/* End of the segment starting at s: the next '/' or the terminating NUL. */
static const char *seg_end(const char *s)
{
	return s + strcspn(s, "/");
}

static bool is_doublestar(const char *p, const char *end)
{
	return end - p == 2 && p[0] == '*' && p[1] == '*';
}

/*
 * Match one bracket expression at p (just after '[') against c. Sets *next past the
 * closing ']'. Returns -1 if the bracket is not closed within the segment, in which
 * case '[' is an ordinary character.
 */
static int match_class(const char *p, const char *pend, unsigned char c, const char **next)
{
	bool negate = false, found = false;
	if (p < pend && (*p == '!' || *p == '^')) {
		negate = true;
		p++;
	}
	bool first = true;
	while (p < pend && (*p != ']' || first)) {
		first = false;
		unsigned char lo = (unsigned char)*p;
		if (*p == '\\' && p + 1 < pend)
			lo = (unsigned char)*++p;
		p++;
		unsigned char hi = lo;
		if (p + 1 < pend && *p == '-' && p[1] != ']') {
			p++;
			hi = (unsigned char)*p;
			if (*p == '\\' && p + 1 < pend)
				hi = (unsigned char)*++p;
			p++;
		}
		if (lo <= c && c <= hi)
			found = true;
	}
	if (p >= pend)
		return -1;
	*next = p + 1;
	return found != negate;
}

/* Bytes of the UTF-8 character at s (1 for a byte that does not start a valid one), within send. */
static size_t char_len(const char *s, const char *send)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
	if ((size_t)(send - s) < n)
		return 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* Match one segment: pattern [p, pend) against text [s, send), neither containing '/'.
 * '?' and the '*' backtracking step by UTF-8 characters, so '?' matches 'é' as one. */
static bool match_segment(const char *p, const char *pend, const char *s, const char *send)
{
	const char *star_p = NULL, *star_s = NULL;
	while (s < send) {
		if (p < pend && *p == '*') {
			while (p < pend && *p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (p < pend) {
			const char *next = p + 1;
			size_t step = 1;
			int ok;
			if (*p == '?') {
				ok = 1;
				step = char_len(s, send);
			} else if (*p == '[') {
				ok = match_class(p + 1, pend, (unsigned char)*s, &next);
				if (ok < 0) {
					ok = *s == '[';
					next = p + 1;
				}
			} else if (*p == '\\' && p + 1 < pend) {
				ok = p[1] == *s;
				next = p + 2;
			} else {
				ok = *p == *s;
			}
			if (ok) {
				p = next;
				s += step;
				continue;
			}
		}
		if (!star_p)
			return false;
		/* Let the last '*' take one more character and try again from there. */
		p = star_p;
		star_s += char_len(star_s, send);
		s = star_s;
	}
	while (p < pend && *p == '*')
		p++;
	return p == pend;
}

/* p and s each point at the start of a segment. */
static bool match_from(const char *p, const char *s)
{
	for (;;) {
		const char *pe = seg_end(p);
		if (is_doublestar(p, pe)) {
			/* Collapse "**" followed by more "**" segments: they add nothing. */
			while (*pe == '/' && is_doublestar(pe + 1, seg_end(pe + 1))) {
				p = pe + 1;
				pe = seg_end(p);
			}
			if (!*pe)
				return true; /* a trailing '**' takes every remaining segment */
			const char *rest = pe + 1;
			/* Zero segments, then one, two, ... */
			for (const char *t = s;;) {
				if (match_from(rest, t))
					return true;
				t = seg_end(t);
				if (!*t)
					return false;
				t++;
			}
		}
		const char *se = seg_end(s);
		if (!match_segment(p, pe, s, se))
			return false;
		if (!*se) {
			/* The path ends: what is left of the pattern may only be '**' segments. */
			while (*pe == '/') {
				p = pe + 1;
				pe = seg_end(p);
				if (!is_doublestar(p, pe))
					return false;
			}
			return true;
		}
		if (!*pe)
			return false;
		p = pe + 1;
		s = se + 1;
	}
}

bool assure_glob_match(const char *pattern, const char *path)
{
	return match_from(pattern, path);
}
