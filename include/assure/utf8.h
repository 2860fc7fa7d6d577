/*
 * utf8.h: the \uXXXX escapes and UTF-8 encoding that the three readers of quoted
 * strings share (JSON documents in doc/, expressions in expr/, JSONPath in jsonpath/).
 *
 * Each reader keeps its own policy for what an escape may denote (surrogates, U+0000)
 * and its own messages; these functions only do the arithmetic.
 */
#ifndef ASSURE_UTF8_H
#define ASSURE_UTF8_H

#include "assure/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The value of the four hex digits (either case) of a \uXXXX escape at s, where `avail`
 * bytes are readable; -1 when fewer than four hex digits are there.
 */
int assure_utf8_hex4(const char *s, size_t avail);

/* Append the UTF-8 form of code point cp (at most U+10FFFF; callers reject or replace surrogates). */
void assure_utf8_put(assure_buf *b, uint32_t cp);

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 (overlong and surrogate forms too). */
size_t assure_utf8_length(const unsigned char *s);
/* Whether the NUL-terminated s is UTF-8 throughout. */
bool assure_utf8_valid(const char *s);

/*
 * A name (a file name, a repository path) as text: git allows any bytes in a name, so each byte
 * that is not part of UTF-8 is written \xNN and the rest as is.
 */
void assure_utf8_put_name(assure_buf *b, const char *s);
/* s as a JSON string: itself when it is UTF-8, otherwise its text form (assure_utf8_put_name). */
json_t *assure_json_text(const char *s);
/*
 * Append doc (stolen) to out as a report's JSON document: indented, a newline after it, and with
 * what JSON allows raw but a terminal may take for a control written as \u escapes: DEL, U+0080
 * to U+009F (C1 controls such as CSI) and U+2028, U+2029 (line breaks to some readers). Only
 * strings can hold them, so the document means the same. -1 when jansson cannot write it, with
 * "cannot write the <what>" set.
 */
int assure_json_write(assure_buf *out, json_t *doc, const char *what);
/*
 * The same for one value (stolen) of a document written piece by piece: as json_dumps would
 * indent it `depth` levels down (every line after the first indented 2 * depth more), with no
 * newline after it. Appends to out; on -1, out may hold part of it.
 */
int assure_json_write_at(assure_buf *out, json_t *v, int depth, const char *what);
/* Item i of a list written one at a time (a new reference, stolen). */
typedef json_t *(*assure_json_item_fn)(size_t i, void *payload);
/* Called after each item with what is written so far: 0, or -1 to stop (the error set). */
typedef int (*assure_json_flush_fn)(assure_buf *out, void *payload);
/*
 * assure_json_write of doc (stolen) whose last member, at every level, is an empty array that
 * stands for a list of n items: each is made by item(), written in its place and freed, so that
 * a report of 100,000 findings is never one tree. The bytes are those of the whole document
 * dumped with the list in it. flush, if given, may take out's text away after each item.
 */
int assure_json_write_list(assure_buf *out, json_t *doc, size_t n, assure_json_item_fn item,
                           assure_json_flush_fn flush, void *payload, const char *what);
/*
 * Set obj[key] to the name s: the string itself when it is UTF-8; otherwise its text form
 * (assure_utf8_put_name) and, so that it survives byte for byte, obj[key + "_base64"] with
 * its exact bytes in base64 (RFC 4648). JSON strings must be Unicode, so the bytes cannot go in
 * key itself.
 */
void assure_json_set_name(json_t *obj, const char *key, const char *s);

#endif
