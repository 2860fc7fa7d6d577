/*
 * fuzz_doc.c: the JSON document reader (doc/doc.c) accepts or refuses any text. What it refuses
 * is placed inside the text with a one-line message; what it accepts is kept byte for byte,
 * holds no string that a NUL would cut short, and writes out and reads back as the same tree;
 * what it salvages from a text is what the document says.
 */
#include "assure/doc.h"

#include "assure/error.h"
#include "assure/utf8.h"

#include "fuzz.h"

#include <stdbool.h>

static const char bom[] = "\xEF\xBB\xBF";

/* Whether (line, col) is in the text or one column past the end of its line (columns in characters). */
static bool position_exists(const char *text, size_t len, int line, int col)
{
	if (line < 1 || col < 1)
		return false;
	size_t o = 0;
	for (int l = 1; l < line; l++) {
		const char *nl = o < len ? memchr(text + o, '\n', len - o) : NULL;
		if (!nl)
			return false;
		o = (size_t)(nl - text) + 1;
	}
	int chars = 0;
	for (; o < len && text[o] != '\n'; o++)
		chars += ((unsigned char)text[o] & 0xC0) != 0x80;
	return col <= chars + 1;
}

/* No string or member name holds a NUL: every C-string reader sees all of it. */
static void check_no_nul(const json_t *j)
{
	size_t i;
	const char *key;
	json_t *v;
	if (json_is_string(j)) {
		FUZZ_CHECK(strlen(json_string_value(j)) == json_string_length(j), "a string holds a NUL");
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) check_no_nul(v);
	} else if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v) check_no_nul(v);
	}
}

/* Parse, and check what a refusal says; returns the rc. */
static int parse_checked(assure_doc **doc, const char *text, size_t len)
{
	int line = -1, col = -1;
	int rc = assure_doc_parse(doc, text, len, &line, &col);
	FUZZ_CHECK(rc == 0 || rc == ASSURE_EINVALID, "assure_doc_parse gave %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(*doc && assure_doc_root(*doc), "a document without a root");
		return rc;
	}
	FUZZ_CHECK(*doc == NULL, "a refused text left a document");
	const char *msg = assure_error_last();
	FUZZ_CHECK(msg[0] != '\0', "a refusal without a message");
	/* a message shows the file's characters, never its controls or broken bytes (one line, any terminal)
	 */
	FUZZ_CHECK(assure_utf8_valid(msg), "a message that is not UTF-8: '%s'", msg);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f && !(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0),
		           "control character 0x%02x in '%s'", *p, msg);
	/* the place is in the text the positions are counted on: without its BOM */
	size_t skip = len >= 3 && memcmp(text, bom, 3) == 0 ? 3 : 0;
	FUZZ_CHECK(position_exists(text + skip, len - skip, line, col), "error at %d:%d, outside the text",
	           line, col);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	assure_doc *doc = NULL;
	int rc = parse_checked(&doc, text, size);

	/* a BOM in front changes nothing */
	if (size < 3 || memcmp(text, bom, 3) != 0) {
		char *with = malloc(size + 3);
		memcpy(with, bom, 3);
		if (size)
			memcpy(with + 3, text, size);
		assure_doc *other = NULL;
		int line = 0, col = 0, line2 = 0, col2 = 0;
		int rc2 = assure_doc_parse(&other, with, size + 3, &line2, &col2);
		FUZZ_CHECK(rc2 == rc, "a BOM changes whether the text is read");
		if (rc != 0) {
			assure_doc_parse(&other, text, size, &line, &col);
			FUZZ_CHECK(line == line2 && col == col2, "a BOM moves the error");
		} else {
			FUZZ_CHECK(json_equal(assure_doc_root(doc), assure_doc_root(other)),
			           "a BOM changes the tree");
		}
		assure_doc_free(other);
		free(with);
	}

	/* salvage always gives an object; of a document, only members it has, with their values */
	json_t *salvaged = assure_doc_salvage(text, size);
	FUZZ_CHECK(json_is_object(salvaged), "salvage gave no object");

	if (rc == 0) {
		json_t *root = assure_doc_root(doc);
		size_t len;
		const char *kept = assure_doc_text(doc, &len);
		size_t skip = size >= 3 && memcmp(text, bom, 3) == 0 ? 3 : 0;
		FUZZ_CHECK(len == size - skip && memcmp(kept, text + skip, len) == 0 && kept[len] == '\0',
		           "the text kept is not the text given");
		check_no_nul(root);
		/* written out and read back: the same tree */
		char *dumped = json_dumps(root, JSON_ENCODE_ANY | JSON_COMPACT);
		FUZZ_CHECK(dumped != NULL, "the tree cannot be written out");
		assure_doc *again = NULL;
		FUZZ_CHECK(assure_doc_parse(&again, dumped, strlen(dumped), NULL, NULL) == 0,
		           "the tree written out is not read back: %s", assure_error_last());
		FUZZ_CHECK(json_equal(root, assure_doc_root(again)),
		           "the tree written out reads back differently");
		assure_doc_free(again);
		free(dumped);
		const char *key;
		json_t *v;
		json_object_foreach(salvaged, key, v)
		{
			json_t *have = json_is_object(root) ? json_object_get(root, key) : NULL;
			FUZZ_CHECK(have && json_equal(have, v), "salvage made up member '%s'", key);
		}
	}
	json_decref(salvaged);
	assure_doc_free(doc);
	return 0;
}
