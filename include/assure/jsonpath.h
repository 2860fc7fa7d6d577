/*
 * jsonpath.h: RFC 9535 JSONPath queries over jansson documents.
 *
 * A query is parsed once (assure_jsonpath_parse) and evaluated many times. The
 * whole RFC is implemented: name, wildcard, index, slice and filter selectors,
 * descendant segments, comparisons with RFC semantics, and the function
 * extensions length(), count(), match(), search(), value(). Numbers compare
 * exactly (decimal.h). match()/search() use I-Regexp translated to PCRE2 (regex.h).
 *
 * Ownership: a query owns its parse tree. A nodelist owns its array and the
 * `pointer` strings; every `value` is borrowed from the document, which must
 * outlive the nodelist.
 */
#ifndef ASSURE_JSONPATH_H
#define ASSURE_JSONPATH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct assure_jsonpath assure_jsonpath;

typedef struct assure_node {
	json_t *value; /* borrowed from the document */
	char *pointer; /* owned: RFC 6901 JSON Pointer of the node from the document root ("" for the root) */
} assure_node;

typedef struct assure_nodelist {
	assure_node *items; /* owned */
	size_t count;       /* nodes in document order as RFC 9535 defines it */
	size_t cap;         /* allocated */
} assure_nodelist;

/*
 * Parse a query starting with '$' or '@' (RFC 9535 allows '@' only inside filters;
 * libassure also accepts it at the top level, meaning "relative to the current node").
 *
 * When consumed is NULL the whole of src[0..len) must be one query. When consumed is
 * not NULL the longest prefix that is a valid query is taken and its length stored,
 * so that the expression language can embed queries: for "@.a == 1" it is 3 (blank
 * space after the query is not consumed). A segment that has begun ('[' or '.') but
 * is malformed is still an error, reported where it is, so that "$.a[?@.b = 1]" is
 * not silently cut to "$.a".
 *
 * On error returns -1, sets *err_offset (0-based byte offset into src) and the
 * message in assure_error_last(), for example "expected ']' after index".
 */
int assure_jsonpath_parse(assure_jsonpath **out, const char *src, size_t len, size_t *consumed,
                          size_t *err_offset);
void assure_jsonpath_free(assure_jsonpath *q);

/* True when the query can select at most one node (RFC 9535 singular query). */
bool assure_jsonpath_is_singular(const assure_jsonpath *q);
/*
 * The node a singular query selects (borrowed), or NULL when it selects none. Cheaper
 * than assure_jsonpath_eval: no node list, no pointers. The query must be singular.
 */
json_t *assure_jsonpath_get(const assure_jsonpath *q, json_t *root, json_t *current);
/* True when the query starts with '@'. */
bool assure_jsonpath_is_relative(const assure_jsonpath *q);
/* The query's source text. Borrowed. */
const char *assure_jsonpath_text(const assure_jsonpath *q);

/*
 * Evaluate. `root` is what '$' denotes; `current` is what '@' denotes (may equal root)
 * and `current_pointer` its JSON Pointer (used as the prefix of the result pointers of
 * a relative query). Results are appended to *out. Returns 0, or -1 on a regex limit
 * (message set).
 */
int assure_jsonpath_eval(const assure_jsonpath *q, json_t *root, json_t *current, const char *current_pointer,
                         assure_nodelist *out);
/* The same nodes without their pointers (each NULL): for values only, a malloc less per node. */
int assure_jsonpath_eval_values(const assure_jsonpath *q, json_t *root, json_t *current,
                                assure_nodelist *out);

/*
 * RFC 9535 equality of two JSON values (§2.3.5.2.2): numbers by exact value (1 == 1.0),
 * strings by their bytes, arrays item by item, objects by the same names with equal
 * values. The expression language's == on JSON values is this one.
 */
bool assure_jsonpath_equal(const json_t *a, const json_t *b);

void assure_nodelist_init(assure_nodelist *l);
void assure_nodelist_clear(assure_nodelist *l); /* frees the items, keeps l usable */

/*
 * RFC 9535 normalized path (for example "$['a'][0]") of a JSON Pointer; caller frees.
 * Without the document a token of decimal digits ("0", "12", no leading zero) is
 * taken as an array index. NULL when pointer is not a JSON Pointer.
 */
char *assure_pointer_to_normalized_path(const char *pointer);
/* The same, reading each token against root so that a member named "0" stays a name.
 * NULL when pointer does not lead to a node of root. Caller frees. */
char *assure_jsonpath_normalized_path(const json_t *root, const char *pointer);

#endif
