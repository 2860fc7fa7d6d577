/*
 * lex.c: the character-level rules of RFC 9535 (§2.1.1 ABNF): blank space, string
 * literals with their escapes, member-name shorthands, integers and numbers.
 *
 * JSONPath decides by position whether blank space is allowed (between segments, yes;
 * after '.', no), so there is no token stream: the parser calls these scanners where
 * the grammar expects the thing they scan.
 */
#include "assure/jsonpath.h"

#include "assure/utf8.h"
#include "jsonpath/jsonpath_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool jp_fail_at(jp_lexer *lx, size_t pos, const char *fmt, ...)
{
	if (lx->msg[0])
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lx->msg, sizeof(lx->msg), fmt, ap);
	va_end(ap);
	lx->err_pos = pos;
	return false;
}

int jp_peek(const jp_lexer *lx, size_t ahead)
{
	size_t at = lx->pos + ahead;
	return at < lx->len ? (unsigned char)lx->src[at] : -1;
}

/* B = %x20 / %x09 / %x0A / %x0D */
static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool jp_skip_blank(jp_lexer *lx)
{
	size_t start = lx->pos;
	while (is_blank(jp_peek(lx, 0)))
		lx->pos++;
	return lx->pos != start;
}

/*
 * Decode one UTF-8 scalar value at pos, rejecting overlong forms, surrogates and values
 * beyond U+10FFFF. Returns its length, or 0 when the bytes are not UTF-8.
 */
static size_t decode_utf8(const jp_lexer *lx, size_t pos, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)lx->src + pos;
	size_t avail = lx->len - pos;
	unsigned char c = s[0];
	size_t n;
	unsigned long v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

const char *jp_describe(const jp_lexer *lx, size_t pos, char buf[16])
{
	if (pos >= lx->len)
		return "end of query";
	unsigned char c = (unsigned char)lx->src[pos];
	unsigned long cp;
	size_t n;
	if (c == '\n')
		return "line feed";
	if (c == '\r')
		return "carriage return";
	if (c == '\t')
		return "tab";
	if (c == '\'')
		return "\"'\"";
	if (c < 0x20 || c == 0x7f)
		snprintf(buf, 16, "U+%04X", c);
	else if (c < 0x80)
		snprintf(buf, 16, "'%c'", c);
	else if ((n = decode_utf8(lx, pos, &cp)) != 0)
		snprintf(buf, 16, "'%.*s'", (int)n, lx->src + pos);
	else
		snprintf(buf, 16, "byte 0x%02X", c);
	return buf;
}

/*
 * ESC escapable after the backslash at lx->pos - 1:
 * escapable = b / f / n / r / t / "/" / "\" / (u hexchar), plus the literal's own quote.
 * hexchar   = non-surrogate / (high-surrogate "\" u low-surrogate)
 */
static bool lex_escape(jp_lexer *lx, int quote, assure_buf *out)
{
	size_t esc = lx->pos - 1;
	int c = jp_peek(lx, 0);
	const char *simple = NULL;
	switch (c) {
	case 'b':
		simple = "\b";
		break;
	case 'f':
		simple = "\f";
		break;
	case 'n':
		simple = "\n";
		break;
	case 'r':
		simple = "\r";
		break;
	case 't':
		simple = "\t";
		break;
	case '/':
		simple = "/";
		break;
	case '\\':
		simple = "\\";
		break;
	case 'u':
		break;
	default:
		if (c == quote) {
			simple = quote == '"' ? "\"" : "'";
			break;
		}
		if (c > 0x20 && c < 0x7f)
			return jp_fail_at(lx, esc, "invalid escape '\\%c' in string", c);
		return jp_fail_at(lx, esc, "invalid escape in string");
	}
	if (simple) {
		assure_buf_putc(out, simple[0]);
		lx->pos++;
		return true;
	}
	long hi = assure_utf8_hex4(lx->src + lx->pos + 1, lx->len - (lx->pos + 1));
	if (hi < 0)
		return jp_fail_at(lx, esc, "'\\u' must be followed by four hex digits");
	lx->pos += 5;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return jp_fail_at(lx, esc, "low surrogate '\\u%04lX' without a high surrogate before it", hi);
	if (hi < 0xd800 || hi > 0xdbff) {
		assure_utf8_put(out, (uint32_t)hi);
		return true;
	}
	long lo = -1;
	if (jp_peek(lx, 0) == '\\' && jp_peek(lx, 1) == 'u')
		lo = assure_utf8_hex4(lx->src + lx->pos + 2, lx->len - (lx->pos + 2));
	if (lo < 0xdc00 || lo > 0xdfff)
		return jp_fail_at(lx, esc, "high surrogate '\\u%04lX' must be followed by a low surrogate",
		                  hi);
	lx->pos += 6;
	assure_utf8_put(out, 0x10000 + (((uint32_t)hi - 0xd800) << 10) + ((uint32_t)lo - 0xdc00));
	return true;
}

/*
 * string-literal = %x22 *double-quoted %x22 / %x27 *single-quoted %x27
 * unescaped      = %x20-21 / %x23-26 / %x28-5B / %x5D-D7FF / %xE000-10FFFF
 */
bool jp_lex_string(jp_lexer *lx, assure_buf *out)
{
	size_t open = lx->pos;
	int quote = jp_peek(lx, 0);
	lx->pos++;
	for (;;) {
		int c = jp_peek(lx, 0);
		if (c < 0)
			return jp_fail_at(lx, open, "string is not terminated");
		if (c == quote) {
			lx->pos++;
			return true;
		}
		if (c == '\\') {
			lx->pos++;
			if (!lex_escape(lx, quote, out))
				return false;
			continue;
		}
		if (c < 0x20)
			return jp_fail_at(lx, lx->pos, "control character U+%04X must be escaped in a string",
			                  c);
		unsigned long cp;
		size_t n = decode_utf8(lx, lx->pos, &cp);
		if (!n)
			return jp_fail_at(lx, lx->pos, "invalid UTF-8 in string");
		assure_buf_put(out, lx->src + lx->pos, n);
		lx->pos += n;
	}
}

/*
 * member-name-shorthand = name-first *name-char
 * name-first = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF; name-char = name-first / DIGIT
 */
bool jp_lex_member_name(jp_lexer *lx, assure_buf *out)
{
	size_t start = lx->pos;
	for (;;) {
		int c = jp_peek(lx, 0);
		if (c < 0)
			break;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		    (c >= '0' && c <= '9' && lx->pos != start)) {
			lx->pos++;
			continue;
		}
		if (c < 0x80)
			break;
		unsigned long cp;
		size_t n = decode_utf8(lx, lx->pos, &cp);
		if (!n)
			return jp_fail_at(lx, lx->pos, "invalid UTF-8 in member name");
		lx->pos += n;
	}
	assure_buf_put(out, lx->src + start, lx->pos - start);
	return lx->pos != start;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* int = "0" / (["-"] DIGIT1 *DIGIT), and within I-JSON's range (RFC 9535 §2.1) */
bool jp_lex_int(jp_lexer *lx, int64_t *out, const char *what)
{
	size_t start = lx->pos;
	bool neg = jp_peek(lx, 0) == '-';
	if (neg)
		lx->pos++;
	if (!is_digit(jp_peek(lx, 0)))
		return jp_fail_at(lx, lx->pos, "expected a digit after '-'");
	if (jp_peek(lx, 0) == '0' && is_digit(jp_peek(lx, 1)))
		return jp_fail_at(lx, start, "leading zero in %s", what);
	if (neg && jp_peek(lx, 0) == '0')
		return jp_fail_at(lx, start, "'-0' is not a valid %s", what);
	int64_t v = 0;
	bool big = false;
	while (is_digit(jp_peek(lx, 0))) {
		if (!big)
			v = v * 10 + (jp_peek(lx, 0) - '0');
		if (v > JP_INT_MAX)
			big = true;
		lx->pos++;
	}
	if (big)
		return jp_fail_at(lx, start, "%s out of range (at most 2^53-1 in size)", what);
	*out = neg ? -v : v;
	return true;
}

/* number = (int / "-0") [ frac ] [ exp ]; frac = "." 1*DIGIT; exp = "e" [ "-" / "+" ] 1*DIGIT */
bool jp_lex_number(jp_lexer *lx, size_t *start, size_t *n)
{
	*start = lx->pos;
	if (jp_peek(lx, 0) == '-')
		lx->pos++;
	if (!is_digit(jp_peek(lx, 0)))
		return jp_fail_at(lx, lx->pos, "expected a digit after '-'");
	if (jp_peek(lx, 0) == '0' && is_digit(jp_peek(lx, 1)))
		return jp_fail_at(lx, *start, "leading zero in number");
	while (is_digit(jp_peek(lx, 0)))
		lx->pos++;
	if (jp_peek(lx, 0) == '.') {
		lx->pos++;
		if (!is_digit(jp_peek(lx, 0)))
			return jp_fail_at(lx, lx->pos, "expected a digit after '.' in number");
		while (is_digit(jp_peek(lx, 0)))
			lx->pos++;
	}
	if (jp_peek(lx, 0) == 'e' || jp_peek(lx, 0) == 'E') {
		lx->pos++;
		if (jp_peek(lx, 0) == '+' || jp_peek(lx, 0) == '-')
			lx->pos++;
		if (!is_digit(jp_peek(lx, 0)))
			return jp_fail_at(lx, lx->pos, "expected a digit in the exponent of a number");
		while (is_digit(jp_peek(lx, 0)))
			lx->pos++;
	}
	*n = lx->pos - *start;
	return true;
}

/* function-name = LCALPHA *( LCALPHA / "_" / DIGIT ) */
size_t jp_lex_function_name(jp_lexer *lx)
{
	size_t start = lx->pos;
	int c = jp_peek(lx, 0);
	if (!(c >= 'a' && c <= 'z'))
		return 0;
	while ((c = jp_peek(lx, 0)) >= 0 && ((c >= 'a' && c <= 'z') || c == '_' || is_digit(c)))
		lx->pos++;
	return lx->pos - start;
}
