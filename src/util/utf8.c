/* utf8.c: \uXXXX escape digits and UTF-8 encoding (see utf8.h). */
#include "assure/utf8.h"

#include "assure/error.h"

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

int assure_json_write_at(assure_buf *out, json_t *v, int depth, const char *what)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
	json_decref(v);
	if (!text)
		return assure_error_set("cannot write the %s", what);
	const unsigned char *p = (const unsigned char *)text;
	for (; *p; p++) {
		if (*p == 0x7f) {
			assure_buf_puts(out, "\\u007f");
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			assure_buf_printf(out, "\\u%04x", p[1]);
			p++;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			assure_buf_printf(out, "\\u%04x", 0x2000 + (p[2] - 0x80));
			p += 2;
		} else {
			assure_buf_putc(out, (char)*p);
			/* a newline of the dump is never inside a string (there it is \n) */
			if (*p == '\n')
				for (int i = 0; i < depth; i++)
					assure_buf_puts(out, "  ");
		}
	}
	free(text);
	return 0;
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
