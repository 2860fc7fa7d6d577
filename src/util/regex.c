/*
 * regex.c: PCRE2 patterns with limits, and RFC 9485 I-Regexp on top of them (see regex.h).
 *
 * Every pattern is compiled in UTF mode with Unicode properties (PCRE2_UCP), so that
 * \w, \b and POSIX classes mean the same for "Zoë" as for "Zoe". JIT is used when the
 * platform has it; when pcre2_jit_compile fails the interpreter runs the same pattern.
 * A match context carries the match and depth limits, and hitting one is an error the
 * caller must report, never a quiet "no match".
 */
#include "assure/regex.h"

#include "assure/buf.h"
#include "assure/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct assure_regex {
	pcre2_code *code;          /* owned compiled pattern */
	pcre2_match_context *mctx; /* owned; carries the limits */
	bool jit;                  /* JIT compilation succeeded */
};

/* ---- I-Regexp (RFC 9485) to PCRE2 ----------------------------------------------------- */

/*
 * The translator is a recursive-descent recogniser of the RFC 9485 grammar that emits
 * PCRE2 as it goes. Anything outside the grammar (backreferences, lookaround, lazy or
 * possessive quantifiers, \d and the other shorthands) is rejected, so that a JSONPath
 * match() or search() with such a pattern is false instead of meaning something
 * I-Regexp does not. Unescaped '^' and '$' are kept as anchors (see below).
 */
typedef struct {
	const char *s;   /* pattern */
	size_t pos;      /* next byte */
	size_t err_pos;  /* where translation failed */
	const char *err; /* why; NULL while all is well */
	int depth;       /* group nesting, bounded so hostile input cannot exhaust the stack */
	assure_buf out;  /* PCRE2 text */
} ire;

#define IRE_MAX_DEPTH 200

static bool ire_fail(ire *r, const char *msg)
{
	if (!r->err) {
		r->err = msg;
		r->err_pos = r->pos;
	}
	return false;
}

/* Length of the UTF-8 sequence at p (1 for a stray byte, which PCRE2 then rejects). */
static size_t utf8_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* A literal character, escaped when PCRE2 would give it a meaning. */
static void emit_literal(ire *r, size_t n)
{
	const char *p = r->s + r->pos;
	unsigned char c = (unsigned char)*p;
	if (n == 1 && c < 0x80 && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') &&
	    !(c >= 'A' && c <= 'Z')) {
		if (c < 0x20 || c == 0x7f) {
			assure_buf_printf(&r->out, "\\x{%x}", c);
		} else {
			/* a backslash before any ASCII punctuation is a literal in PCRE2 */
			assure_buf_putc(&r->out, '\\');
			assure_buf_putc(&r->out, (char)c);
		}
	} else {
		assure_buf_put(&r->out, p, n);
	}
	r->pos += n;
}

/* charProp = IsCategory: one of the general categories, with or without its subcategory. */
static bool ire_category(ire *r)
{
	static const char *const cats[] = {"L",  "Ll", "Lm", "Lo", "Lt", "Lu", "M",  "Mc", "Me",
	                                   "Mn", "N",  "Nd", "Nl", "No", "P",  "Pc", "Pd", "Pe",
	                                   "Pf", "Pi", "Po", "Ps", "Z",  "Zl", "Zp", "Zs", "S",
	                                   "Sc", "Sk", "Sm", "So", "C",  "Cc", "Cf", "Cn", "Co"};
	const char *start = r->s + r->pos;
	const char *close = strchr(start, '}');
	if (!close)
		return ire_fail(r, "missing '}' after \\p{");
	size_t n = (size_t)(close - start);
	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++) {
		if (strlen(cats[i]) == n && memcmp(cats[i], start, n) == 0) {
			assure_buf_put(&r->out, start, n);
			assure_buf_putc(&r->out, '}');
			r->pos += n + 1;
			return true;
		}
	}
	return ire_fail(r, "unknown character category");
}

/*
 * An escape after '\': SingleCharEsc, catEsc or complEsc. *is_class is set for
 * \p{..} and \P{..}, which cannot be the ends of a range.
 */
static bool ire_escape(ire *r, bool *is_class)
{
	char c = r->s[r->pos];
	*is_class = false;
	if (c == 'p' || c == 'P') {
		if (r->s[r->pos + 1] != '{') {
			r->pos++;
			return ire_fail(r, "expected '{' after \\p");
		}
		assure_buf_putc(&r->out, '\\');
		assure_buf_putc(&r->out, c);
		assure_buf_putc(&r->out, '{');
		r->pos += 2;
		*is_class = true;
		return ire_category(r);
	}
	if (c == 'n' || c == 'r' || c == 't') {
		assure_buf_putc(&r->out, '\\');
		assure_buf_putc(&r->out, c);
		r->pos++;
		return true;
	}
	if (c && strchr("()*+-.?[\\]^{|}", c)) {
		emit_literal(r, 1);
		return true;
	}
	return ire_fail(r, "escape not allowed in I-Regexp");
}

/* The code point of the UTF-8 sequence of n bytes at p. */
static uint32_t utf8_decode(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	if (n == 1)
		return u[0];
	uint32_t cp = u[0] & (0xff >> (n + 1));
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (u[i] & 0x3f);
	return cp;
}

/*
 * One end of a class item: a CCchar (anything but '-', '[', '\', ']') or an escape.
 * Sets *cp to the character, or *is_class for \p{..} / \P{..}.
 */
static bool ire_class_atom(ire *r, uint32_t *cp, bool *is_class)
{
	char c = r->s[r->pos];
	*is_class = false;
	if (c == '\\') {
		r->pos++;
		c = r->s[r->pos];
		*cp = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : (unsigned char)c;
		return ire_escape(r, is_class);
	}
	if (c == '\0')
		return ire_fail(r, "missing ']'");
	if (c == '-' || c == '[' || c == ']')
		return ire_fail(r, "'-', '[' and ']' must be escaped in a character class");
	size_t n = utf8_len(r->s + r->pos);
	*cp = utf8_decode(r->s + r->pos, n);
	emit_literal(r, n);
	return true;
}

/*
 * charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
 * CCE1 = ( CCchar [ "-" CCchar ] ) / charClassEsc
 */
static bool ire_class_expr(ire *r)
{
	r->pos++; /* '[' */
	assure_buf_putc(&r->out, '[');
	if (r->s[r->pos] == '^') {
		assure_buf_putc(&r->out, '^');
		r->pos++;
	}
	size_t items = 0;
	if (r->s[r->pos] == '-') {
		emit_literal(r, 1);
		items++;
	}
	for (;;) {
		char c = r->s[r->pos];
		if (c == ']') {
			if (!items)
				return ire_fail(r, "empty character class");
			r->pos++;
			assure_buf_putc(&r->out, ']');
			return true;
		}
		if (c == '-') {
			if (items && r->s[r->pos + 1] == ']') {
				emit_literal(r, 1);
				continue;
			}
			return ire_fail(r, "'-' must be first, last or part of a range");
		}
		uint32_t lo, hi;
		bool is_class;
		if (!ire_class_atom(r, &lo, &is_class))
			return false;
		items++;
		if (is_class || r->s[r->pos] != '-' || r->s[r->pos + 1] == ']')
			continue;
		size_t range_pos = r->pos;
		r->pos++;
		assure_buf_putc(&r->out, '-');
		if (!ire_class_atom(r, &hi, &is_class))
			return false;
		if (is_class) {
			r->pos = range_pos;
			return ire_fail(r, "a category cannot end a range");
		}
		if (hi < lo) {
			r->pos = range_pos;
			return ire_fail(r, "range out of order");
		}
	}
}

static bool ire_alternation(ire *r);

/* QuantExact = 1*DIGIT, kept within PCRE2's limit so the error is ours. */
static bool ire_quant_exact(ire *r, unsigned long *v)
{
	size_t start = r->pos;
	*v = 0;
	while (r->s[r->pos] >= '0' && r->s[r->pos] <= '9') {
		*v = *v * 10 + (unsigned long)(r->s[r->pos] - '0');
		if (*v > 65535)
			return ire_fail(r, "repetition count too large");
		r->pos++;
	}
	if (r->pos == start)
		return ire_fail(r, "expected a number in '{}'");
	return true;
}

/* quantifier = ( "*" / "+" / "?" ) / "{" QuantExact [ "," [ QuantExact ] ] "}" */
static bool ire_quantifier(ire *r)
{
	char c = r->s[r->pos];
	if (c == '*' || c == '+' || c == '?') {
		assure_buf_putc(&r->out, c);
		r->pos++;
		return true;
	}
	if (c != '{')
		return true;
	r->pos++;
	unsigned long lo, hi;
	if (!ire_quant_exact(r, &lo))
		return false;
	assure_buf_printf(&r->out, "{%lu", lo);
	if (r->s[r->pos] == ',') {
		r->pos++;
		assure_buf_putc(&r->out, ',');
		if (r->s[r->pos] != '}') {
			if (!ire_quant_exact(r, &hi))
				return false;
			if (hi < lo)
				return ire_fail(r, "repetition range out of order");
			assure_buf_printf(&r->out, "%lu", hi);
		}
	}
	if (r->s[r->pos] != '}')
		return ire_fail(r, "missing '}'");
	r->pos++;
	assure_buf_putc(&r->out, '}');
	return true;
}

/* piece = atom [ quantifier ]; atom = NormalChar / charClass / "(" i-regexp ")" */
static bool ire_piece(ire *r)
{
	char c = r->s[r->pos];
	bool is_class;
	switch (c) {
	case '(':
		if (++r->depth > IRE_MAX_DEPTH)
			return ire_fail(r, "groups nested too deeply");
		r->pos++;
		assure_buf_puts(&r->out, "(?:");
		if (!ire_alternation(r))
			return false;
		if (r->s[r->pos] != ')')
			return ire_fail(r, "missing ')'");
		r->pos++;
		r->depth--;
		assure_buf_putc(&r->out, ')');
		break;
	case '.':
		/* I-Regexp's '.' excludes only the two line terminators */
		r->pos++;
		assure_buf_puts(&r->out, "[^\\n\\r]");
		break;
	case '^':
	case '$':
		/*
		 * The RFC 9485 grammar lists '^' and '$' as ordinary characters, but its
		 * mappings to PCRE and ECMAScript (section 5) copy them through as anchors,
		 * and the JSONPath Compliance Test Suite expects that ("explicit caret",
		 * "explicit dollar"). An anchor cannot be repeated.
		 */
		assure_buf_putc(&r->out, c);
		r->pos++;
		c = r->s[r->pos];
		if (c == '*' || c == '+' || c == '?' || c == '{')
			return ire_fail(r, "an anchor cannot be repeated");
		return true;
	case '[':
		if (!ire_class_expr(r))
			return false;
		break;
	case '\\':
		r->pos++;
		if (!ire_escape(r, &is_class))
			return false;
		break;
	case '*':
	case '+':
	case '?':
	case '{':
		return ire_fail(r, "quantifier without anything to repeat");
	case ']':
	case '}':
		return ire_fail(r, "unescaped bracket");
	default:
		emit_literal(r, utf8_len(r->s + r->pos));
		break;
	}
	if (!ire_quantifier(r))
		return false;
	c = r->s[r->pos];
	if (c == '*' || c == '+' || c == '?' || c == '{')
		return ire_fail(r, "quantifier after a quantifier");
	return true;
}

/* i-regexp = branch *( "|" branch ); branch = *piece */
static bool ire_alternation(ire *r)
{
	for (;;) {
		char c = r->s[r->pos];
		if (c == '\0' || c == ')')
			return true;
		if (c == '|') {
			assure_buf_putc(&r->out, '|');
			r->pos++;
			continue;
		}
		if (!ire_piece(r))
			return false;
	}
}

static char *translate(const char *pattern, size_t *err_offset, const char **msg)
{
	ire r = {.s = pattern};
	assure_buf_init(&r.out);
	if (ire_alternation(&r) && r.s[r.pos] == ')')
		ire_fail(&r, "unmatched ')'");
	if (r.err) {
		if (err_offset)
			*err_offset = r.err_pos;
		if (msg)
			*msg = r.err;
		assure_buf_free(&r.out);
		return NULL;
	}
	return assure_buf_detach(&r.out);
}

char *assure_iregexp_to_pcre2(const char *pattern)
{
	return translate(pattern, NULL, NULL);
}

/* ---- compile and match ------------------------------------------------------------------ */

int assure_regex_new(assure_regex **out, const char *pattern, int flags, size_t *err_offset)
{
	*out = NULL;
	char *translated = NULL;
	const char *src = pattern;
	if (flags & ASSURE_REGEX_IREGEXP) {
		const char *msg = NULL;
		translated = translate(pattern, err_offset, &msg);
		if (!translated)
			return assure_error_set("not an I-Regexp: %s", msg);
		src = translated;
	}

	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	if (flags & ASSURE_REGEX_IREGEXP)
		opts |= PCRE2_DOLLAR_ENDONLY; /* '$' is the end of the string, not "before a final newline" */
	if (flags & ASSURE_REGEX_FULL)
		opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code =
	    pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts, &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR text[256];
		pcre2_get_error_message(errcode, text, sizeof(text));
		/* offsets into a translation do not point into what the user wrote */
		if (err_offset)
			*err_offset = translated ? 0 : (size_t)erroff;
		free(translated);
		return assure_error_set("%s", (const char *)text);
	}
	free(translated);

	assure_regex *re = assure_xcalloc(1, sizeof(*re));
	re->code = code;
	re->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->mctx) {
		assure_regex_free(re);
		return assure_error_setc(ASSURE_ENOMEM, "out of memory");
	}
	pcre2_set_match_limit(re->mctx, ASSURE_REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, ASSURE_REGEX_DEPTH_LIMIT);
	*out = re;
	return 0;
}

void assure_regex_free(assure_regex *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
}

int assure_regex_match(const assure_regex *re, const char *subject, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		return assure_error_setc(ASSURE_ENOMEM, "out of memory");
	int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, md, re->mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return ASSURE_REGEX_MATCH;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		return ASSURE_REGEX_NOMATCH;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return assure_error_setc(ASSURE_REGEX_ELIMIT, "regular expression hit its match limit");
	default:
		break;
	}
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		return assure_error_setc(ASSURE_REGEX_EINVALID, "subject is not valid UTF-8");
	PCRE2_UCHAR text[256];
	pcre2_get_error_message(rc, text, sizeof(text));
	return assure_error_set("regular expression match failed: %s", (const char *)text);
}
