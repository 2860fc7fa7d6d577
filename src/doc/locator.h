/*
 * locator.h: where each value of a JSON text is, by JSON Pointer (private to doc/).
 *
 * jansson keeps no positions, so the locator scans the raw text itself: one pass
 * that records, for every value, the line and column of its first character and,
 * for object members, of the member name's opening quote. The result is a tree of
 * nodes whose object members are sorted by decoded name, so a pointer resolves by
 * one binary search per reference token and memory stays linear in the text
 * (a table of whole pointer strings would grow with depth times size).
 *
 * Positions: lines are 1-based and end at '\n' (so CRLF counts once); columns are
 * 1-based and count Unicode code points, not bytes. The text given to the locator
 * starts after any UTF-8 BOM (doc.c strips it).
 *
 * The scan assumes nothing about validity: on malformed text it stops and keeps
 * what it has seen, so it can also serve the error path of doc.c.
 */
#ifndef ASSURE_DOC_LOCATOR_H
#define ASSURE_DOC_LOCATOR_H

#include "assure/buf.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct doc_locator doc_locator;

/* Scan `len` bytes of JSON text. Never fails (allocation failure aborts). Free with locator_free. */
doc_locator *locator_build(const char *text, size_t len);
void locator_free(doc_locator *loc);

/*
 * Line and column of the value at `pointer` (RFC 6901; "" is the root), or of its
 * member name when `key` is true. Returns 0, or ASSURE_ENOTFOUND when the pointer
 * names no value, is malformed, or (for `key`) names the root or an array item.
 */
int locator_find(const doc_locator *loc, const char *pointer, bool key, int *line, int *col);

/* Line and column of byte `offset` of text (offset may be len: just past the end). */
void locator_position(const char *text, size_t len, size_t offset, int *line, int *col);

/*
 * Start of the lexical token that ends at or after byte `end` (a string, a number or
 * word, or one punctuation character), for turning jansson's error position (just
 * past the offending token) into the token's first character. Returns `end` when
 * only blanks lie between the last token and `end`.
 */
size_t locator_token_start(const char *text, size_t len, size_t end);

/*
 * Decode the JSON string literal starting at text[offset] (the opening quote) into
 * out, escapes (\uXXXX with surrogate pairs) resolved to UTF-8. Returns false when
 * no closing quote or a bad escape is found; out then holds what was decoded.
 */
bool locator_decode_string(const char *text, size_t len, size_t offset, assure_buf *out);

#endif
