/*
 * doc.c: one parsed JSON file and where its values are (see doc.h).
 *
 * jansson flags, chosen deliberately:
 *  - JSON_REJECT_DUPLICATES: a return with two "outturn" members must fail, not
 *    pass with whichever jansson kept;
 *  - JSON_DECODE_ANY: any JSON value is a document; whether a rule file or a
 *    return must be an object is for the caller to say, with its own message;
 *  - JSON_ALLOW_NUL: "RXN\u0000x" is valid JSON (RFC 8259) and is read; but as a
 *    C string it would read as "RXN" to every caller, so a value could pass as
 *    another. show_nuls() writes each such NUL as the six characters \u0000, as
 *    the file has it, so the value stays whole and visibly different.
 *
 * A raw NUL byte is not JSON anywhere (a control character in a string, or no
 * token at all), and jansson would take it for the end of the text: it is
 * reported at its own place in those words.
 *
 * Numbers: jansson rejects a real too large for a double ("real number
 * overflow") but reads one too small for it, such as 1e-400, as 0, which would
 * let a nonzero figure pass as zero. find_underflow() rejects those in the same
 * words, so that neither end of the range gives a wrong answer.
 *
 * Error positions: jansson reports the place just past the offending token; the
 * position given out is the token's first character (or the end of the text when
 * jansson ran out of input), counted as the locator counts. A UTF-8 BOM is removed
 * before anything else, so it is neither an error nor a column.
 */
#include "assure/doc.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/utf8.h"
#include "doc/locator.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct assure_doc {
	char *text;           /* owned copy of the text without a BOM, NUL-terminated */
	size_t len;           /* bytes in text, not counting the NUL */
	json_t *root;         /* owned reference */
	doc_locator *locator; /* built by the first locate call, NULL before */
};

static const char bom[] = "\xEF\xBB\xBF";

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether c can be part of a JSON number token. */
static bool number_char(char c)
{
	return c != '\0' && strchr("+-.0123456789eE", c) != NULL;
}

/*
 * Set the error message for jansson's error at byte `start` of text, in house
 * style where jansson's own words name no subject or name a flag. jansson quotes
 * the offending token as the file has it, a raw control byte too ("invalid token
 * near '…'"): what
 * it quotes is given in its visible form (assure_buf_put_visible), so that a
 * control character or a byte that is not UTF-8 in a file reaches neither a
 * terminal nor a report through the message about it, and the message stays
 * one line.
 */
static void set_parse_error(const char *text, size_t len, size_t start, const json_error_t *e)
{
	if (starts_with(e->text, "duplicate object key")) {
		assure_buf key = ASSURE_BUF_INIT;
		locator_decode_string(text, len, start, &key);
		bool plain = true;
		for (size_t i = 0; i < key.len; i++) {
			unsigned char c = (unsigned char)key.ptr[i];
			if (c < 0x20 || c == 0x7f ||
			    (c == 0xc2 && i + 1 < key.len && (unsigned char)key.ptr[i + 1] < 0xa0))
				plain = false;
		}
		if (plain) {
			assure_error_setc(ASSURE_EINVALID, "duplicate object key '%s'", key.ptr);
		} else {
			/* A name with control characters is shown escaped, to keep the message on one line
			 * (as a JSON string, and DEL and C1 controls, which JSON leaves, as visible escapes).
			 */
			assure_buf json = ASSURE_BUF_INIT, shown = ASSURE_BUF_INIT;
			assure_buf_put_json_string(&json, key.ptr);
			assure_buf_put_visible(&shown, json.ptr);
			assure_error_setc(ASSURE_EINVALID, "duplicate object key %s", shown.ptr);
			assure_buf_free(&json);
			assure_buf_free(&shown);
		}
		assure_buf_free(&key);
		return;
	}
	assure_buf shown = ASSURE_BUF_INIT;
	assure_buf_put_visible(&shown, e->text);
	assure_buf_putc(&shown, '\0');
	/*
	 * jansson expects the container to close where the next member or item starts: what is
	 * missing there is usually the comma before it, which is what a reader needs to hear.
	 */
	bool object = starts_with(shown.ptr, "'}' expected near '"),
	     array = starts_with(shown.ptr, "']' expected near '");
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i == len) {
		assure_error_setc(ASSURE_EINVALID, "no JSON value (the text is %s)",
		                  len ? "only white space" : "empty");
	} else if (strcmp(e->text, "too big integer") == 0) {
		/* jansson names no number here: give the digits, as it does for a real out of range */
		size_t end = start;
		while (end < len && number_char(text[end]))
			end++;
		assure_buf digits = ASSURE_BUF_INIT, one = ASSURE_BUF_INIT;
		assure_buf_put(&digits, text + start, end - start);
		assure_buf_put_visible(&one, digits.ptr ? digits.ptr : "");
		assure_error_setc(ASSURE_EINVALID, "too big integer near '%s'", one.ptr ? one.ptr : "");
		assure_buf_free(&digits);
		assure_buf_free(&one);
	} else if (object || array) {
		const char *near = strstr(shown.ptr, "near '") + 6;
		size_t n = strlen(near);
		assure_error_setc(ASSURE_EINVALID, "expected ',' or '%c' before '%.*s' (is a comma missing?)",
		                  object ? '}' : ']', (int)(n > 0 ? n - 1 : 0), near);
	} else if (starts_with(e->text, "\\u0000 is not allowed")) {
		assure_error_setc(ASSURE_EINVALID, "'\\u0000' is not allowed in a string");
	} else {
		assure_error_setc(ASSURE_EINVALID, "%s", shown.ptr);
	}
	assure_buf_free(&shown);
}

/* Whether the document holds a real that reads as 0: only then can one have underflowed. */
static bool has_zero_real(const json_t *j)
{
	if (json_is_real(j))
		return json_real_value(j) == 0.0;
	json_t *v;
	if (json_is_array(j)) {
		size_t i;
		json_array_foreach(j, i, v)
		{
			if (has_zero_real(v))
				return true;
		}
	} else if (json_is_object(j)) {
		const char *key;
		json_object_foreach((json_t *)j, key, v)
		{
			if (has_zero_real(v))
				return true;
		}
	}
	return false;
}

/* Whether the text has "\u0000" at all: only then can a string hold a NUL. */
static bool has_nul_escape(const char *text, size_t len)
{
	for (const char *p = text, *end = text + len; (p = memchr(p, '\\', (size_t)(end - p)));) {
		if (end - p >= 6 && memcmp(p, "\\u0000", 6) == 0)
			return true;
		p += p + 1 < end && p[1] == '\\' ? 2 : 1;
	}
	return false;
}

/* Rewrite every string value that holds a NUL with the NUL as the text "\u0000" (see above). */
static void show_nuls(json_t *j)
{
	size_t i;
	const char *key;
	json_t *v;
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		size_t n = json_string_length(j);
		if (strlen(s) == n)
			return;
		assure_buf b = ASSURE_BUF_INIT;
		for (size_t k = 0; k < n; k++)
			if (s[k])
				assure_buf_putc(&b, s[k]);
			else
				assure_buf_puts(&b, "\\u0000");
		json_string_setn_nocheck(j, b.ptr, b.len);
		assure_buf_free(&b);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) show_nuls(v);
	} else if (json_is_object(j)) {
		json_object_foreach(j, key, v) show_nuls(v);
	}
}

/*
 * In text that jansson has accepted, the start of the first real number with a
 * nonzero digit that strtod (as jansson reads it) takes to 0; len if there is none.
 */
static size_t find_underflow(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len) {
		char c = text[i];
		if (c == '"') {
			for (i++; i < len && text[i] != '"'; i++)
				if (text[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (c != '-' && (c < '0' || c > '9')) {
			i++;
			continue;
		}
		size_t start = i;
		bool real = false, nonzero = false, exponent = false;
		for (; i < len && number_char(text[i]); i++) {
			char d = text[i];
			if (d == '.' || d == 'e' || d == 'E')
				real = true;
			if (d == 'e' || d == 'E')
				exponent = true;
			if (!exponent && d >= '1' && d <= '9')
				nonzero = true;
		}
		if (!real || !nonzero)
			continue;
		char *token = assure_xmalloc(i - start + 1);
		memcpy(token, text + start, i - start);
		token[i - start] = '\0';
		bool zero = strtod(token, NULL) == 0.0;
		free(token);
		if (zero)
			return start;
	}
	return len;
}

/* Offset of the first byte of text that does not begin a well-formed UTF-8 character, or len. */
static size_t first_non_utf8(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	for (size_t i = 0; i < len;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/* a copy of at most 4 bytes, NUL-terminated: text may end without a NUL */
		unsigned char seq[5] = {0};
		memcpy(seq, p + i, len - i < 4 ? len - i : 4);
		size_t n = assure_utf8_length(seq);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

int assure_doc_parse(assure_doc **out, const char *text, size_t len, int *err_line, int *err_col)
{
	*out = NULL;
	if (err_line)
		*err_line = 0;
	if (err_col)
		*err_col = 0;
	if (len >= 3 && memcmp(text, bom, 3) == 0) {
		text += 3;
		len -= 3;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int line, col;
		locator_position(text, len, (size_t)(nul - text), &line, &col);
		assure_error_setc(
		    ASSURE_EINVALID,
		    "a NUL byte (0x00) is not allowed in JSON text (in a string, write \\u0000)");
		if (err_line)
			*err_line = line;
		if (err_col)
			*err_col = col;
		return ASSURE_EINVALID;
	}
	json_error_t e;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!root) {
		size_t pos = e.position < 0 ? 0 : (size_t)e.position;
		if (pos > len)
			pos = len;
		size_t start = strstr(e.text, "near end of file") ? pos : locator_token_start(text, len, pos);
		size_t bad = starts_with(e.text, "unable to decode byte") ? first_non_utf8(text, len) : len;
		if (bad < len) {
			/* jansson decodes the whole text as it reads: the first byte that is not UTF-8 is
			 * the one it stopped at, and the place to show is that byte, not its token */
			start = bad;
			assure_error_setc(ASSURE_EINVALID,
			                  "byte 0x%02x is not UTF-8 (JSON text must be UTF-8; was the file "
			                  "saved in another encoding?)",
			                  (unsigned char)text[bad]);
		} else {
			/* The duplicate's name is the key token jansson stopped after. */
			set_parse_error(text, len, start, &e);
		}
		int line, col;
		locator_position(text, len, start, &line, &col);
		if (err_line)
			*err_line = line;
		if (err_col)
			*err_col = col;
		return ASSURE_EINVALID;
	}
	if (has_nul_escape(text, len))
		show_nuls(root);
	/* the text is scanned only in the rare document with a zero real, not on every parse */
	size_t tiny = has_zero_real(root) ? find_underflow(text, len) : len;
	if (tiny < len) {
		size_t end = tiny;
		while (end < len && number_char(text[end]))
			end++;
		assure_error_setc(ASSURE_EINVALID, "real number underflow near '%.*s'", (int)(end - tiny),
		                  text + tiny);
		json_decref(root);
		int line, col;
		locator_position(text, len, tiny, &line, &col);
		if (err_line)
			*err_line = line;
		if (err_col)
			*err_col = col;
		return ASSURE_EINVALID;
	}
	assure_doc *doc = assure_xcalloc(1, sizeof *doc);
	doc->text = assure_xmalloc(len + 1);
	memcpy(doc->text, text, len);
	doc->text[len] = '\0';
	doc->len = len;
	doc->root = root;
	*out = doc;
	return 0;
}

void assure_doc_free(assure_doc *doc)
{
	if (!doc)
		return;
	json_decref(doc->root);
	locator_free(doc->locator);
	free(doc->text);
	free(doc);
}

json_t *assure_doc_root(const assure_doc *doc)
{
	return doc->root;
}

const char *assure_doc_text(const assure_doc *doc, size_t *len)
{
	if (len)
		*len = doc->len;
	return doc->text;
}

static int locate(assure_doc *doc, const char *pointer, bool key, int *line, int *col)
{
	if (!doc->locator)
		doc->locator = locator_build(doc->text, doc->len);
	return locator_find(doc->locator, pointer, key, line, col);
}

bool assure_doc_located(const assure_doc *doc)
{
	return doc->locator != NULL;
}

void assure_doc_forget_locations(assure_doc *doc)
{
	locator_free(doc->locator);
	doc->locator = NULL;
}

int assure_doc_locate(assure_doc *doc, const char *pointer, int *line, int *col)
{
	return locate(doc, pointer, false, line, col);
}

int assure_doc_locate_key(assure_doc *doc, const char *pointer, int *line, int *col)
{
	return locate(doc, pointer, true, line, col);
}

/* ---- salvage ---- */

typedef struct scan {
	const char *s; /* the text */
	size_t len;    /* its length */
	size_t i;      /* next byte */
} scan;

static void scan_blank(scan *sc)
{
	while (sc->i < sc->len &&
	       (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' || sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

/* A complete JSON string at sc->i decoded by jansson, or NULL (the text stops inside it). */
static json_t *scan_string(scan *sc)
{
	size_t start = sc->i;
	if (sc->i >= sc->len || sc->s[sc->i] != '"')
		return NULL;
	for (sc->i++; sc->i < sc->len; sc->i++) {
		if (sc->s[sc->i] == '\\') {
			sc->i++;
		} else if (sc->s[sc->i] == '"') {
			sc->i++;
			return json_loadb(sc->s + start, sc->i - start,
			                  JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, NULL);
		}
	}
	return NULL;
}

/* Skip one value of any kind (nested ones by bracket depth, strings respected); false at the end. */
static bool scan_skip(scan *sc)
{
	int depth = 0;
	while (sc->i < sc->len) {
		char c = sc->s[sc->i];
		if (c == '"') {
			json_t *str = scan_string(sc);
			if (!str)
				return false;
			json_decref(str);
			if (depth == 0)
				return true;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return true; /* the end of the enclosing object: not ours */
			if (--depth == 0) {
				sc->i++;
				return true;
			}
		} else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
			return true;
		}
		sc->i++;
	}
	return false;
}

json_t *assure_doc_salvage(const char *text, size_t len)
{
	json_t *out = json_object(), *twice = json_object();
	scan sc = {text, len, 0};
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		sc.i = 3;
	scan_blank(&sc);
	if (sc.i >= len || text[sc.i] != '{')
		goto done;
	sc.i++;
	for (;;) {
		scan_blank(&sc);
		json_t *name = scan_string(&sc);
		if (!name)
			break;
		scan_blank(&sc);
		if (sc.i >= len || text[sc.i] != ':') {
			json_decref(name);
			break;
		}
		sc.i++;
		scan_blank(&sc);
		size_t start = sc.i;
		char c = sc.i < len ? text[sc.i] : '\0';
		json_t *v = NULL;
		if (c == '"') {
			v = scan_string(&sc);
		} else if (c != '{' && c != '[' && scan_skip(&sc)) {
			v = json_loadb(text + start, sc.i - start, JSON_DECODE_ANY, NULL);
		} else if (!scan_skip(&sc)) {
			json_decref(name);
			break;
		}
		/* a value must be followed by ',' or '}' to be complete: "12" of a cut "123" is not */
		scan_blank(&sc);
		bool complete = sc.i < len && (text[sc.i] == ',' || text[sc.i] == '}');
		const char *key = json_string_value(name);
		if (v && complete && key && !json_object_get(twice, key)) {
			if (json_object_get(out, key)) {
				json_object_del(out, key);
				json_object_set_new(twice, key, json_true());
			} else {
				json_object_set(out, key, v);
			}
		}
		json_decref(v);
		json_decref(name);
		if (!complete || text[sc.i] == '}')
			break;
		sc.i++;
	}
done:
	json_decref(twice);
	return out;
}
