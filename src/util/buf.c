/* buf.c: growable text buffer (see buf.h). */
#include "assure/buf.h"
#include "assure/utf8.h"

#include "assure/error.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_text[1];

void assure_buf_init(assure_buf *b)
{
	b->ptr = empty_text;
	b->len = 0;
	b->cap = 0;
}

void assure_buf_free(assure_buf *b)
{
	if (b->cap)
		free(b->ptr);
	assure_buf_init(b);
}

void assure_buf_clear(assure_buf *b)
{
	if (!b->ptr)
		assure_buf_init(b);
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

static void grow(assure_buf *b, size_t extra)
{
	if (!b->ptr)
		assure_buf_init(b);
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	if (b->cap) {
		b->ptr = assure_xrealloc(b->ptr, cap);
	} else {
		b->ptr = assure_xmalloc(cap);
		b->ptr[0] = '\0';
	}
	b->cap = cap;
}

void assure_buf_put(assure_buf *b, const char *s, size_t n)
{
	if (!b->ptr || b->len + n + 1 > b->cap)
		grow(b, n);
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void assure_buf_puts(assure_buf *b, const char *s)
{
	assure_buf_put(b, s, strlen(s));
}

void assure_buf_putc(assure_buf *b, char c)
{
	if (b->len + 2 <= b->cap) { /* the common case, without grow's call */
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
		return;
	}
	assure_buf_put(b, &c, 1);
}

void assure_buf_vprintf(assure_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void assure_buf_printf(assure_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	assure_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void assure_buf_put_quoted(assure_buf *b, const char *s, size_t n, char quote)
{
	assure_buf_putc(b, quote);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\\':
			assure_buf_puts(b, "\\\\");
			break;
		case '\n':
			assure_buf_puts(b, "\\n");
			break;
		case '\r':
			assure_buf_puts(b, "\\r");
			break;
		case '\t':
			assure_buf_puts(b, "\\t");
			break;
		case '\b':
			assure_buf_puts(b, "\\b");
			break;
		case '\f':
			assure_buf_puts(b, "\\f");
			break;
		default:
			if (c == (unsigned char)quote) {
				assure_buf_putc(b, '\\');
				assure_buf_putc(b, quote);
			} else if (c < 0x20) {
				assure_buf_printf(b, "\\u%04x", c);
			} else {
				assure_buf_putc(b, (char)c);
			}
		}
	}
	assure_buf_putc(b, quote);
}

void assure_buf_put_json_string(assure_buf *b, const char *s)
{
	assure_buf_put_quoted(b, s, strlen(s), '"');
}

void assure_buf_put_pointer_token(assure_buf *b, const char *key)
{
	assure_buf_putc(b, '/');
	for (const char *p = key; *p; p++) {
		if (*p == '~')
			assure_buf_puts(b, "~0");
		else if (*p == '/')
			assure_buf_puts(b, "~1");
		else
			assure_buf_putc(b, *p);
	}
}

char *assure_buf_detach(assure_buf *b)
{
	char *p = b->cap ? b->ptr : assure_xstrdup("");
	assure_buf_init(b);
	return p;
}

void assure_buf_put_long(assure_buf *b, long n)
{
	if (n < 0)
		assure_buf_putc(b, '-');
	assure_buf_put_size(b, n < 0 ? 0UL - (unsigned long)n : (unsigned long)n);
}

void assure_buf_put_size(assure_buf *b, size_t n)
{
	char digits[24];
	size_t i = sizeof(digits);
	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	assure_buf_put(b, digits + i, sizeof(digits) - i);
}

/*
 * U+2028 and U+2029 (line and paragraph separators: a new line to many viewers) and the
 * bidirectional embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069 (which reorder
 * what a reader sees, as in "Trojan Source"), as three UTF-8 bytes at p.
 */
static bool is_layout_control(const unsigned char *p)
{
	if (p[0] != 0xe2)
		return false;
	return (p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
	       (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

void assure_buf_put_visible(assure_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = assure_utf8_length(p);
		if (n == 1 && *p >= 0x20 && *p != 0x7f) {
			assure_buf_putc(b, (char)*p);
		} else if (n == 1 && (*p == '\n' || *p == '\r' || *p == '\t')) {
			assure_buf_putc(b, '\\');
			assure_buf_putc(b, *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't');
		} else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			char u[7] = {'\\', 'u', '0', '0', hex[p[1] >> 4], hex[p[1] & 15], 0};
			assure_buf_puts(b, u);
		} else if (n == 3 && is_layout_control(p)) {
			unsigned cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
			assure_buf_printf(b, "\\u%04x", cp);
		} else if (n > 1) {
			assure_buf_put(b, (const char *)p, n);
		} else {
			char x[5] = {'\\', 'x', hex[*p >> 4], hex[*p & 15], 0};
			assure_buf_puts(b, x);
			n = 1;
		}
		p += n;
	}
}

void assure_buf_put_markup(assure_buf *out, const char *text)
{
	/* controls are made visible first (buf.h): no byte from a repository reaches a page raw */
	assure_buf shown = ASSURE_BUF_INIT;
	assure_buf_put_visible(&shown, text);
	for (const char *s = shown.ptr ? shown.ptr : ""; *s; s++) {
		switch (*s) {
		case '&':
			assure_buf_puts(out, "&amp;");
			break;
		case '<':
			assure_buf_puts(out, "&lt;");
			break;
		case '>':
			assure_buf_puts(out, "&gt;");
			break;
		case '"':
			assure_buf_puts(out, "&quot;");
			break;
		case '\'':
			assure_buf_puts(out, "&#39;");
			break;
		default:
			assure_buf_putc(out, *s);
		}
	}
	assure_buf_free(&shown);
}
