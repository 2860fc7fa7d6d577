/*
 * doc.h: one parsed JSON file (a return or a rule file) and where its nodes are.
 *
 * Parsing uses jansson with duplicate keys rejected (a return with two "outturn"
 * keys must not pass with either) and keeps the raw text, so that a JSON Pointer can
 * be mapped back to the line and column of its value in the file. jansson does not
 * track positions; the locator is a separate scan of the raw text, built on the first
 * assure_doc_locate() call.
 *
 * Ownership: the doc owns its text, its jansson tree and its locator. The root is
 * borrowed by callers and lives as long as the doc.
 */
#ifndef ASSURE_DOC_H
#define ASSURE_DOC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct assure_doc assure_doc;

/*
 * Parse `len` bytes of JSON (a copy is kept). On failure returns ASSURE_EINVALID and
 * sets *err_line, *err_col (1-based; columns in characters) and the message in
 * assure_error_last(), for example "duplicate object key 'outturn'" or
 * "'}' expected near end of file". The err_* pointers may be NULL.
 */
int assure_doc_parse(assure_doc **out, const char *text, size_t len, int *err_line, int *err_col);
void assure_doc_free(assure_doc *doc);

/*
 * What can still be read of a file that is not valid JSON: the top-level members of its
 * root object whose values are complete strings, numbers, booleans or null, as far as
 * the text goes before it breaks ("kind" and "year" of a truncated return). A member
 * named twice is left out. Returns a new object, empty when nothing can be read. Used to
 * tell which lookups an unreadable return could have answered, never as its content.
 */
json_t *assure_doc_salvage(const char *text, size_t len);

/* The document's root value. Borrowed. */
json_t *assure_doc_root(const assure_doc *doc);
/* The text as parsed: the bytes given, less a leading UTF-8 BOM; NUL-terminated. Borrowed. */
const char *assure_doc_text(const assure_doc *doc, size_t *len);

/*
 * Line and column (1-based, columns in characters) where the value at `pointer`
 * starts (its first character: a quote, digit, brace...). "" is the root.
 * Returns 0, or ASSURE_ENOTFOUND when no value is at that pointer.
 */
int assure_doc_locate(assure_doc *doc, const char *pointer, int *line, int *col);
/*
 * Whether doc holds its locator (a call above built it), and drop it: a caller that keeps many
 * documents for their values, not their positions (the engine across an audit), frees each
 * locator once the findings it placed are made; the next locate builds it again.
 */
bool assure_doc_located(const assure_doc *doc);
void assure_doc_forget_locations(assure_doc *doc);

/* Same, for the member name (the key's opening quote) rather than the value. */
int assure_doc_locate_key(assure_doc *doc, const char *pointer, int *line, int *col);

#endif
