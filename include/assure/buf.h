/*
 * buf.h: a growable, always NUL-terminated byte buffer.
 *
 * The buffer owns `ptr`; assure_buf_detach() hands ownership to the caller.
 * Allocation failure aborts (assure_xrealloc): buffers only hold text we build.
 */
#ifndef ASSURE_BUF_H
#define ASSURE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct assure_buf {
	char *ptr;  /* NUL-terminated contents, never NULL after init */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
} assure_buf;

#define ASSURE_BUF_INIT                                                                                      \
	{                                                                                                    \
		NULL, 0, 0                                                                                   \
	}

void assure_buf_init(assure_buf *b);
void assure_buf_free(assure_buf *b);
void assure_buf_clear(assure_buf *b);
void assure_buf_put(assure_buf *b, const char *s, size_t n);
void assure_buf_puts(assure_buf *b, const char *s);
void assure_buf_putc(assure_buf *b, char c);
void assure_buf_printf(assure_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void assure_buf_vprintf(assure_buf *b, const char *fmt, va_list ap);
/*
 * Append s[0..n) between two `quote` characters, escaped as JSON escapes a string:
 * the quote and backslash with a backslash, \b \f \n \r \t, other controls as \u00xx
 * (lower-case hex), everything else as is. With '"' this is a JSON string literal; with
 * '\'' an RFC 9535 normalized-path name.
 */
void assure_buf_put_quoted(assure_buf *b, const char *s, size_t n, char quote);
/* Append s as a JSON string literal, quotes included (assure_buf_put_quoted with '"'). */
void assure_buf_put_json_string(assure_buf *b, const char *s);
/* Append one JSON Pointer reference token (RFC 6901 escaping of ~ and /), with the leading '/'. */
void assure_buf_put_pointer_token(assure_buf *b, const char *key);
/*
 * s as a terminal or a log shows it as written, for the human-readable formats: what a
 * submitter puts in a return, a file name or a commit subject can neither move the cursor,
 * clear the screen, ring a bell nor start a line. C0 and C1 controls and DEL are written as
 * \n, \r, \t or \xNN (\u0080 to \u009f for C1), bytes that are not UTF-8 as \xNN. So are the
 * characters that move text without being controls: U+2028 and U+2029 (a line break to many
 * viewers) and the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
 * U+2069), which would reorder what a reader sees, as \u2028 and so on.
 */
void assure_buf_put_visible(assure_buf *b, const char *s);
/*
 * s made visible (assure_buf_put_visible), then escaped for HTML and XML alike: & < > " ' as
 * entities (' as &#39;, which both know), so that it can stand in text and in attribute values.
 */
void assure_buf_put_markup(assure_buf *out, const char *text);
/* The decimal digits of n: what "%zu" prints, without printf's cost on hot paths. */
void assure_buf_put_size(assure_buf *b, size_t n);
/* The same for a signed n: what "%ld" prints. */
void assure_buf_put_long(assure_buf *b, long n);
/* Return the contents (caller frees) and reset the buffer. */
char *assure_buf_detach(assure_buf *b);

#endif
