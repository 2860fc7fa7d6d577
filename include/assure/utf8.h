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

#include <stddef.h>
#include <stdint.h>

/*
 * The value of the four hex digits (either case) of a \uXXXX escape at s, where `avail`
 * bytes are readable; -1 when fewer than four hex digits are there.
 */
int assure_utf8_hex4(const char *s, size_t avail);

/* Append the UTF-8 form of code point cp (at most U+10FFFF; callers reject or replace surrogates). */
void assure_utf8_put(assure_buf *b, uint32_t cp);

#endif
