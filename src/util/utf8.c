/* utf8.c: \uXXXX escape digits and UTF-8 encoding (see utf8.h). */
#include "assure/utf8.h"

#include "assure/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int assure_utf8_hex4(const char *s, size_t avail)
{
	if (avail < 4)
		return -1;
	int v = 0;
	for (size_t i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

void assure_utf8_put(assure_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	assure_buf_put(b, u, n);
}

size_t assure_utf8_length(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
	           : s[0] >= 0xe0 && s[0] <= 0xef ? 3
	           : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
	                                          : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong and surrogate forms are not UTF-8 either */
	if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0;
	if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return n;
}

bool assure_utf8_valid(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = assure_utf8_length(p);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

void assure_utf8_put_name(assure_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = assure_utf8_length(p);
		if (n) {
			assure_buf_put(b, (const char *)p, n);
			p += n;
		} else {
			char x[5] = {'\\', 'x', hex[*p >> 4], hex[*p & 15], 0};
			assure_buf_puts(b, x);
			p++;
		}
	}
}

static void put_base64(assure_buf *b, const unsigned char *s, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) |
		             (i + 2 < n ? s[i + 2] : 0);
		char q[5] = {abc[v >> 18 & 63], abc[v >> 12 & 63], i + 1 < n ? abc[v >> 6 & 63] : '=',
		             i + 2 < n ? abc[v & 63] : '=', 0};
		assure_buf_puts(b, q);
	}
}

/*
 * A report's JSON text is written here rather than by json_dumps: the same bytes as jansson's
 * JSON_INDENT(2) dump (which reports and their tests are held to), with the escapes of
 * assure_json_write made while the string is written, not by a second pass over the text.
 * A report of 20,000 findings spent a quarter of a check in the dump and that pass.
 */
static void put_indent(assure_buf *out, int depth)
{
	static const char spaces[] = "                                "; /* 32 */
	assure_buf_putc(out, '\n');
	for (size_t n = 2 * (size_t)depth; n > 0;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		assure_buf_put(out, spaces, k);
		n -= k;
	}
}

/* JSON's two-character escape of c, or NULL. */
static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		return NULL;
	}
}

/* Whether byte c can be copied as it is: printable ASCII other than '"' and '\\'. */
static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static int put_string(assure_buf *out, const char *str, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	assure_buf_putc(out, '"');
	while (s < end) {
		const unsigned char *run = s;
		while (s < end && plain_byte(*s))
			s++;
		if (s > run)
			assure_buf_put(out, (const char *)run, (size_t)(s - run));
		if (s == end)
			break;
		unsigned char c = *s;
		const char *esc = short_escape(c);
		if (esc) {
			assure_buf_put(out, esc, 2);
			s++;
		} else if (c < 0x20) { /* as jansson writes the other controls: upper-case digits */
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			assure_buf_put(out, u, 6);
			s++;
		} else if (c == 0x7f) {
			assure_buf_put(out, "\\u007f", 6);
			s++;
		} else {
			size_t n = assure_utf8_length(s);
			if (!n || n > (size_t)(end - s))
				return -1; /* not UTF-8: jansson would not write it either */
			uint32_t cp = n == 2   ? (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f)
			              : n == 3 ? (uint32_t)(s[0] & 0x0f) << 12 |
			                             (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f)
			                       : 0x10000;
			if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029) {
				static const char lower[] = "0123456789abcdef";
				char u[6] = {'\\',
				             'u',
				             lower[cp >> 12],
				             lower[cp >> 8 & 15],
				             lower[cp >> 4 & 15],
				             lower[cp & 15]};
				assure_buf_put(out, u, 6);
			} else {
				assure_buf_put(out, (const char *)s, n);
			}
			s += n;
		}
	}
	assure_buf_putc(out, '"');
	return 0;
}

/* A real as jansson writes it: 17 digits, a '.' or an exponent, no '+' or leading 0 in that. */
static void put_real(assure_buf *out, double v)
{
	char t[64];
	int n = snprintf(t, sizeof(t), "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof(t) - 3)
		n = 0;
	t[n] = '\0';
	if (!strchr(t, '.') && !strchr(t, 'e')) {
		memcpy(t + n, ".0", 3);
		n += 2;
	}
	char *e = strchr(t, 'e');
	if (e) {
		char *digits = e + 1, *from = digits + 1;
		if (*digits == '-')
			digits++;
		while (*from == '0')
			from++;
		memmove(digits, from, strlen(from) + 1);
		n = (int)strlen(t);
	}
	assure_buf_put(out, t, (size_t)n);
}

_Static_assert(sizeof(json_int_t) <= sizeof(long), "a JSON integer fits a long");

static int put_value(assure_buf *out, const json_t *v, int depth)
{
	switch (json_typeof(v)) {
	case JSON_NULL:
		assure_buf_put(out, "null", 4);
		return 0;
	case JSON_TRUE:
		assure_buf_put(out, "true", 4);
		return 0;
	case JSON_FALSE:
		assure_buf_put(out, "false", 5);
		return 0;
	case JSON_INTEGER:
		assure_buf_put_long(out, (long)json_integer_value(v));
		return 0;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		return 0;
	case JSON_STRING:
		return put_string(out, json_string_value(v), json_string_length(v));
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		assure_buf_putc(out, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				assure_buf_putc(out, ',');
			put_indent(out, depth + 1);
			if (put_value(out, json_array_get(v, i), depth + 1) < 0)
				return -1;
		}
		if (n)
			put_indent(out, depth);
		assure_buf_putc(out, ']');
		return 0;
	}
	case JSON_OBJECT: {
		const char *key;
		size_t klen;
		json_t *member;
		bool first = true;
		assure_buf_putc(out, '{');
		json_object_keylen_foreach((json_t *)v, key, klen, member)
		{
			if (!first)
				assure_buf_putc(out, ',');
			first = false;
			put_indent(out, depth + 1);
			if (put_string(out, key, klen) < 0)
				return -1;
			assure_buf_put(out, ": ", 2);
			if (put_value(out, member, depth + 1) < 0)
				return -1;
		}
		if (!first)
			put_indent(out, depth);
		assure_buf_putc(out, '}');
		return 0;
	}
	}
	return -1;
}

int assure_json_write_at(assure_buf *out, json_t *v, int depth, const char *what)
{
	int rc = v ? put_value(out, v, depth) : -1;
	json_decref(v);
	return rc < 0 ? assure_error_set("cannot write the %s", what) : 0;
}

int assure_json_write(assure_buf *out, json_t *doc, const char *what)
{
	if (assure_json_write_at(out, doc, 0, what) < 0)
		return -1;
	assure_buf_putc(out, '\n');
	return 0;
}

int assure_json_write_list(assure_buf *out, json_t *doc, size_t n, assure_json_item_fn item,
                           assure_json_flush_fn flush, void *payload, const char *what)
{
	assure_buf whole = ASSURE_BUF_INIT;
	if (assure_json_write_at(&whole, doc, 0, what) < 0)
		return -1;
	/* the list is last at every level: after its "[]" come only closers, one per level */
	const char *at = NULL;
	for (const char *p = whole.ptr; (p = strstr(p, "[]")); p += 2)
		at = p;
	int depth = 0;
	for (const char *p = at ? at + 2 : ""; *p; p++) {
		if (*p == ']' || *p == '}')
			depth++;
		else if (*p != ' ' && *p != '\n')
			at = NULL;
	}
	if (!at) {
		assure_buf_free(&whole);
		return assure_error_set("cannot write the %s: its list is not its last member", what);
	}
	assure_buf_put(out, whole.ptr, (size_t)(at - whole.ptr));
	assure_buf_putc(out, '[');
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		assure_buf_puts(out, i ? ",\n" : "\n");
		for (int d = 0; d <= depth; d++)
			assure_buf_puts(out, "  ");
		rc = assure_json_write_at(out, item(i, payload), depth + 1, what);
		if (rc == 0 && flush)
			rc = flush(out, payload);
	}
	if (rc == 0 && n) {
		assure_buf_putc(out, '\n');
		for (int d = 0; d < depth; d++)
			assure_buf_puts(out, "  ");
	}
	if (rc == 0) {
		assure_buf_putc(out, ']');
		assure_buf_puts(out, at + 2);
		assure_buf_putc(out, '\n');
	}
	assure_buf_free(&whole);
	return rc;
}

json_t *assure_json_text(const char *s)
{
	if (assure_utf8_valid(s))
		return json_string(s);
	assure_buf text = ASSURE_BUF_INIT;
	assure_utf8_put_name(&text, s);
	json_t *j = json_stringn(text.ptr, text.len);
	assure_buf_free(&text);
	return j;
}

void assure_json_set_name(json_t *obj, const char *key, const char *s)
{
	if (assure_utf8_valid(s)) {
		json_object_set_new(obj, key, json_string(s));
		return;
	}
	assure_buf bytes = ASSURE_BUF_INIT, k = ASSURE_BUF_INIT;
	put_base64(&bytes, (const unsigned char *)s, strlen(s));
	assure_buf_printf(&k, "%s_base64", key);
	json_object_set_new(obj, key, assure_json_text(s));
	json_object_set_new(obj, k.ptr, json_stringn(bytes.ptr, bytes.len));
	assure_buf_free(&bytes);
	assure_buf_free(&k);
}
