/*
 * fuzz_jsonpath.c: any text given as a JSONPath query parses or fails cleanly at a place inside
 * it, and a parsed query selects nodes of the document it runs on: each node's pointer leads to
 * it, its normalized path is a singular query that selects it again, a singular query selects at
 * most one node (the one assure_jsonpath_get finds), and the same query gives the same nodes.
 *
 * Input: QUERY [NUL DOCUMENT]. Without a document (or when it is not JSON) the query runs on a
 * small built-in one. The query is parsed whole and as the prefix of a longer text.
 */
#include "assure/jsonpath.h"

#include "assure/error.h"

#include "fuzz.h"

#include <stdbool.h>

static const char builtin[] =
    "{\"a\": [1, \"x\", {\"b\": null}, 2.5, [true, false]], \"c\": {\"d\": 2.5, \"e\": "
    "{\"a\": \"y\"}}, \"0\": [], \"~/\": {}}";

/* The node at an RFC 6901 pointer, or NULL. */
static json_t *resolve(json_t *root, const char *pointer)
{
	json_t *at = root;
	const char *p = pointer;
	char *tok = malloc(strlen(pointer) + 1);
	while (at && *p == '/') {
		size_t n = 0;
		for (p++; *p && *p != '/'; p++) {
			if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
				tok[n++] = p[1] == '0' ? '~' : '/';
				p++;
			} else {
				tok[n++] = *p;
			}
		}
		tok[n] = '\0';
		if (json_is_object(at)) {
			at = json_object_getn(at, tok, n);
		} else if (json_is_array(at)) {
			char *end;
			unsigned long i = strtoul(tok, &end, 10);
			at = n > 0 && *end == '\0' ? json_array_get(at, i) : NULL;
		} else {
			at = NULL;
		}
	}
	free(tok);
	return *p ? NULL : at;
}

/* Evaluate q on (root, current) and check every node selected. */
static void check_eval(const assure_jsonpath *q, json_t *root, json_t *current, const char *current_pointer)
{
	assure_nodelist l, again;
	assure_nodelist_init(&l);
	assure_nodelist_init(&again);
	int rc = assure_jsonpath_eval(q, root, current, current_pointer, &l);
	FUZZ_CHECK(rc == 0 || rc == -1, "eval gave %d", rc);
	if (rc < 0) {
		FUZZ_CHECK(assure_error_last()[0] != '\0', "eval failed without a message");
		goto done;
	}
	bool singular = assure_jsonpath_is_singular(q);
	if (singular) {
		FUZZ_CHECK(l.count <= 1, "singular query '%s' selected %zu nodes", assure_jsonpath_text(q),
		           l.count);
		json_t *got = assure_jsonpath_get(q, root, current);
		FUZZ_CHECK(got == (l.count ? l.items[0].value : NULL), "get and eval disagree on '%s'",
		           assure_jsonpath_text(q));
	}
	for (size_t i = 0; i < l.count; i++) {
		const assure_node *node = &l.items[i];
		FUZZ_CHECK(node->value && node->pointer, "a node without a value or a pointer");
		FUZZ_CHECK(resolve(root, node->pointer) == node->value,
		           "pointer '%s' does not lead to its node", node->pointer);
		FUZZ_CHECK(assure_jsonpath_equal(node->value, node->value), "a node is not equal to itself");
		char *path = assure_jsonpath_normalized_path(root, node->pointer);
		FUZZ_CHECK(path != NULL, "no normalized path for '%s'", node->pointer);
		assure_jsonpath *np = NULL;
		size_t off;
		FUZZ_CHECK(assure_jsonpath_parse(&np, path, strlen(path), NULL, &off) == 0,
		           "normalized path %s does not parse: %s", path, assure_error_last());
		FUZZ_CHECK(assure_jsonpath_is_singular(np), "normalized path %s is not singular", path);
		FUZZ_CHECK(assure_jsonpath_get(np, root, root) == node->value,
		           "normalized path %s selects another node", path);
		assure_jsonpath_free(np);
		free(path);
		char *plain = assure_pointer_to_normalized_path(node->pointer);
		FUZZ_CHECK(plain != NULL, "no normalized path for '%s' without the document", node->pointer);
		free(plain);
	}
	FUZZ_CHECK(assure_jsonpath_eval(q, root, current, current_pointer, &again) == 0 &&
	               again.count == l.count,
	           "the same query selects other nodes");
	for (size_t i = 0; i < l.count; i++)
		FUZZ_CHECK(again.items[i].value == l.items[i].value &&
		               strcmp(again.items[i].pointer, l.items[i].pointer) == 0,
		           "the same query selects other nodes");
done:
	assure_nodelist_clear(&l);
	assure_nodelist_clear(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_part parts[2];
	size_t n = fuzz_split(data, size, parts, 2);
	const char *src = parts[0].s;
	size_t len = parts[0].len;
	json_t *doc =
	    n > 1 ? json_loadb(parts[1].s, parts[1].len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL)
	          : NULL;
	if (!doc)
		doc = json_loads(builtin, 0, NULL);

	assure_jsonpath *whole = NULL, *prefix = NULL;
	size_t off = SIZE_MAX, used = SIZE_MAX;
	int rc = assure_jsonpath_parse(&whole, src, len, NULL, &off);
	if (rc == 0) {
		FUZZ_CHECK(strcmp(assure_jsonpath_text(whole), src) == 0,
		           "the query's text is not the source");
		check_eval(whole, doc, doc, "");
		/* relative to a child, every pointer still leads from the root */
		json_t *child = NULL;
		char ptr[16] = "";
		if (json_is_array(doc) && json_array_size(doc) > 0) {
			child = json_array_get(doc, 0);
			strcpy(ptr, "/0");
		} else if (json_is_object(doc) && json_object_get(doc, "a")) {
			child = json_object_get(doc, "a");
			strcpy(ptr, "/a");
		}
		if (child)
			check_eval(whole, doc, child, ptr);
	} else {
		FUZZ_CHECK(whole == NULL, "a failed parse left a query");
		FUZZ_CHECK(off <= len, "error offset %zu past the end (%zu)", off, len);
		FUZZ_CHECK(assure_error_last()[0] != '\0', "a failed parse without a message");
	}
	int prc = assure_jsonpath_parse(&prefix, src, len, &used, &off);
	if (rc == 0)
		FUZZ_CHECK(prc == 0 && used == len, "a whole query is not its own longest prefix");
	if (prc == 0) {
		FUZZ_CHECK(used > 0 && used <= len, "prefix of %zu bytes out of %zu", used, len);
		/* the prefix taken is a query by itself */
		assure_jsonpath *alone = NULL;
		FUZZ_CHECK(assure_jsonpath_parse(&alone, src, used, NULL, &off) == 0,
		           "the prefix '%.*s' taken is not a query: %s", (int)used, src, assure_error_last());
		assure_jsonpath_free(alone);
	} else {
		FUZZ_CHECK(off <= len, "error offset %zu past the end (%zu)", off, len);
	}
	assure_jsonpath_free(prefix);
	assure_jsonpath_free(whole);
	json_decref(doc);
	fuzz_parts_free(parts, n);
	return 0;
}
