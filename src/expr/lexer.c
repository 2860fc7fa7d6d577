/*
 * lexer.c: the tokens of the expression language.
 *
 * Numbers are JSON numbers without the sign (unary minus is an operator), so "01",
 * ".5" and "1." are errors rather than guesses. Strings are quoted with ' or " and
 * take JSON's escapes (plus \' ); they are decoded here. '$' and '@' are returned as
 * single tokens: the parser hands the text from there to the JSONPath parser, which
 * alone knows where a query ends, and then seeks the lexer past it.
 * Every error carries the exact byte offset of what is wrong.
 */
#include "expr/expr_int.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void lexer_init(lexer *lx, const char *src, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
}

void lexer_fini(lexer *lx)
{
	free(lx->tok.str);
	lx->tok.str = NULL;
}

void lexer_seek(lexer *lx, size_t pos)
{
	lx->pos = pos;
}

const char *lexer_kind_name(tok_kind k)
{
	static const char *const names[] = {
	    [TOK_END] = "the end",  [TOK_NUMBER] = "a number", [TOK_STRING] = "a string",
	    [TOK_IDENT] = "a name", [TOK_IN] = "'in'",         [TOK_DOLLAR] = "'$'",
	    [TOK_AT] = "'@'",       [TOK_LPAREN] = "'('",      [TOK_RPAREN] = "')'",
	    [TOK_LBRACKET] = "'['", [TOK_RBRACKET] = "']'",    [TOK_RBRACE] = "'}'",
	    [TOK_COMMA] = "','",    [TOK_DOT] = "'.'",         [TOK_QUESTION] = "'?'",
	    [TOK_COLON] = "':'",    [TOK_PLUS] = "'+'",        [TOK_MINUS] = "'-'",
	    [TOK_STAR] = "'*'",     [TOK_SLASH] = "'/'",       [TOK_NOT] = "'!'",
	    [TOK_EQ] = "'=='",      [TOK_NE] = "'!='",         [TOK_LT] = "'<'",
	    [TOK_LE] = "'<='",      [TOK_GT] = "'>'",          [TOK_GE] = "'>='",
	    [TOK_AND] = "'&&'",     [TOK_OR] = "'||'",         [TOK_ARROW] = "'->'",
	    [TOK_QDOT] = "'?.'",    [TOK_QQ] = "'?\?'",        [TOK_LBRACE] = "'{'",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == TOK_LBRACE + 1, "a name for every token");
	return names[k];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || is_digit(c);
}

static int lex_error(size_t *err_offset, size_t off, const char *msg)
{
	*err_offset = off;
	return assure_error_set("%s", msg);
}

/* "unexpected character 'x'", or its code point when it is not printable ASCII. */
static int bad_char(lexer *lx, size_t off, const char *what, size_t *err_offset)
{
	unsigned char c = (unsigned char)lx->src[off];
	*err_offset = off;
	if (c >= 0x20 && c < 0x7f)
		return assure_error_set("%s '%c'", what, c);
	uint32_t cp = c;
	int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
	if (extra) {
		cp = c & (0x3f >> extra);
		for (int i = 1; i <= extra && off + (size_t)i < lx->len; i++)
			cp = (cp << 6) | ((unsigned char)lx->src[off + i] & 0x3f);
	}
	return assure_error_set("%s U+%04X", what, (unsigned)cp);
}

/*
 * Decode one escape at s[i] == '\\'. Appends to b (when not NULL), sets *next past it.
 * Returns 0, or -1 with the message set and *err_offset.
 */
static int decode_escape(const char *s, size_t len, size_t i, assure_buf *b, size_t *next, size_t *err_offset)
{
	if (i + 1 >= len)
		return lex_error(err_offset, i, "unterminated string");
	char c = s[i + 1];
	const char *simple = strchr("\"'\\/bfnrt", c);
	if (c != '\0' && simple) {
		static const char decoded[] = "\"'\\/\b\f\n\r\t";
		if (b)
			assure_buf_putc(b, decoded[simple - "\"'\\/bfnrt"]);
		*next = i + 2;
		return 0;
	}
	if (c != 'u') {
		*err_offset = i;
		if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
			return assure_error_set("invalid escape '\\%c'", c);
		return assure_error_set("invalid escape");
	}
	int hi = assure_utf8_hex4(s + i + 2, len - i - 2);
	if (hi < 0)
		return lex_error(err_offset, i, "expected 4 hex digits after '\\u'");
	uint32_t cp = (uint32_t)hi;
	size_t end = i + 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return lex_error(err_offset, i, "unpaired surrogate in '\\u' escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		int lo = -1;
		if (end + 1 < len && s[end] == '\\' && s[end + 1] == 'u')
			lo = assure_utf8_hex4(s + end + 2, len - end - 2);
		if (lo < 0xdc00 || lo > 0xdfff)
			return lex_error(err_offset, i, "unpaired surrogate in '\\u' escape");
		cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)lo - 0xdc00);
		end += 6;
	}
	if (cp == 0)
		return lex_error(err_offset, i, "a string cannot contain '\\u0000'");
	if (b)
		assure_utf8_put(b, cp);
	*next = end;
	return 0;
}

static int lex_string(lexer *lx, size_t *err_offset)
{
	const char *s = lx->src;
	size_t start = lx->pos;
	char quote = s[start];
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	size_t i = start + 1;
	for (;;) {
		if (i >= lx->len) {
			assure_buf_free(&b);
			return lex_error(err_offset, start, "unterminated string");
		}
		unsigned char c = (unsigned char)s[i];
		if (c == (unsigned char)quote)
			break;
		if (c < 0x20) {
			assure_buf_free(&b);
			return lex_error(err_offset, i,
			                 "control character in a string (write it as an escape)");
		}
		if (c == '\\') {
			if (decode_escape(s, lx->len, i, &b, &i, err_offset) != 0) {
				assure_buf_free(&b);
				return -1;
			}
			continue;
		}
		assure_buf_putc(&b, (char)c);
		i++;
	}
	lx->tok.kind = TOK_STRING;
	lx->tok.off = start;
	lx->tok.end = i + 1;
	lx->tok.str = assure_buf_detach(&b);
	lx->pos = i + 1;
	return 0;
}

static int lex_number(lexer *lx, size_t *err_offset)
{
	const char *s = lx->src;
	size_t start = lx->pos, i = start;
	if (s[i] == '0' && i + 1 < lx->len && is_digit(s[i + 1]))
		return lex_error(err_offset, start, "a number cannot have a leading zero");
	while (i < lx->len && is_digit(s[i]))
		i++;
	if (i < lx->len && s[i] == '.') {
		i++;
		if (i >= lx->len || !is_digit(s[i]))
			return lex_error(err_offset, i, "expected a digit after '.'");
		while (i < lx->len && is_digit(s[i]))
			i++;
	}
	if (i < lx->len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < lx->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= lx->len || !is_digit(s[i]))
			return lex_error(err_offset, i, "expected a digit in the exponent");
		while (i < lx->len && is_digit(s[i]))
			i++;
	}
	if (i < lx->len && (is_ident_char(s[i]) || s[i] == '.'))
		return bad_char(lx, i, "unexpected character after a number:", err_offset);
	lx->tok.kind = TOK_NUMBER;
	lx->tok.off = start;
	lx->tok.end = i;
	lx->pos = i;
	return 0;
}

int lexer_next(lexer *lx, size_t *err_offset)
{
	const char *s = lx->src;
	free(lx->tok.str);
	lx->tok.str = NULL;
	while (lx->pos < lx->len &&
	       (s[lx->pos] == ' ' || s[lx->pos] == '\t' || s[lx->pos] == '\n' || s[lx->pos] == '\r'))
		lx->pos++;
	size_t p = lx->pos;
	lx->tok.off = p;
	lx->tok.end = p;
	if (p >= lx->len) {
		lx->tok.kind = TOK_END;
		return 0;
	}
	char c = s[p];
	char n = p + 1 < lx->len ? s[p + 1] : '\0';
	if (is_digit(c))
		return lex_number(lx, err_offset);
	if (c == '\'' || c == '"')
		return lex_string(lx, err_offset);
	if (is_ident_start(c)) {
		size_t i = p;
		while (i < lx->len && is_ident_char(s[i]))
			i++;
		lx->tok.kind = (i - p == 2 && memcmp(s + p, "in", 2) == 0) ? TOK_IN : TOK_IDENT;
		lx->tok.end = i;
		lx->pos = i;
		return 0;
	}
	if (c == '.' && is_digit(n))
		return lex_error(err_offset, p, "a number cannot start with '.' (write 0.5, not .5)");

	/* Operators: two-character ones first. */
	static const struct {
		char text[3];
		tok_kind kind;
	} ops[] = {
	    {"==", TOK_EQ},      {"!=", TOK_NE},    {"<=", TOK_LE},    {">=", TOK_GE},    {"&&", TOK_AND},
	    {"||", TOK_OR},      {"->", TOK_ARROW}, {"?.", TOK_QDOT},  {"??", TOK_QQ},    {"{", TOK_LBRACE},
	    {"$", TOK_DOLLAR},   {"@", TOK_AT},     {"(", TOK_LPAREN}, {")", TOK_RPAREN}, {"[", TOK_LBRACKET},
	    {"]", TOK_RBRACKET}, {"}", TOK_RBRACE}, {",", TOK_COMMA},  {".", TOK_DOT},    {"?", TOK_QUESTION},
	    {":", TOK_COLON},    {"+", TOK_PLUS},   {"-", TOK_MINUS},  {"*", TOK_STAR},   {"/", TOK_SLASH},
	    {"!", TOK_NOT},      {"<", TOK_LT},     {">", TOK_GT},
	};
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		size_t l = ops[k].text[1] ? 2 : 1;
		if (c == ops[k].text[0] && (l == 1 || n == ops[k].text[1])) {
			lx->tok.kind = ops[k].kind;
			lx->tok.end = p + l;
			lx->pos = p + l;
			return 0;
		}
	}
	if (c == '=')
		return lex_error(err_offset, p, "'=' is not an operator (use '==' to compare)");
	if (c == '&')
		return lex_error(err_offset, p, "'&' is not an operator (use '&&')");
	if (c == '|')
		return lex_error(err_offset, p, "'|' is not an operator (use '||')");
	return bad_char(lx, p, "unexpected character", err_offset);
}

size_t lexer_string_source_offset(const char *src, size_t lit_off, size_t decoded)
{
	size_t len = strlen(src);
	size_t i = lit_off + 1, got = 0;
	char quote = src[lit_off];
	while (i < len && src[i] != quote) {
		size_t next = i + 1, produced = 1;
		if (src[i] == '\\') {
			assure_buf b = ASSURE_BUF_INIT;
			size_t eoff;
			assure_buf_init(&b);
			if (decode_escape(src, len, i, &b, &next, &eoff) != 0) {
				assure_buf_free(&b);
				return i;
			}
			produced = b.len;
			assure_buf_free(&b);
		}
		if (got + produced > decoded)
			return i;
		got += produced;
		i = next;
	}
	return i;
}
