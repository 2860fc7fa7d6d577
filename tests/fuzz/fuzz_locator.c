/*
 * fuzz_locator.c: the locator (doc/locator.c) maps JSON Pointers to lines and columns over any
 * text without failing, and on a document jansson accepts it finds every value and every
 * member name exactly where the text has it.
 *
 * Input: TEXT [NUL POINTER]... The text is scanned by the locator as it is (valid JSON or
 * not) and each pointer looked up, as a value and as a member name; when the text is a
 * document, every pointer of its tree is looked up too and the text at the place checked.
 */
#include "assure/buf.h"
#include "assure/doc.h"
#include "assure/error.h"
#include "doc/locator.h"

#include "fuzz.h"

#include <stdbool.h>

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Offset where line `line` starts, or SIZE_MAX when the text has fewer lines. */
static size_t line_start(const char *text, size_t len, int line)
{
	size_t o = 0;
	for (int l = 1; l < line; l++) {
		const char *nl = o < len ? memchr(text + o, '\n', len - o) : NULL;
		if (!nl)
			return SIZE_MAX;
		o = (size_t)(nl - text) + 1;
	}
	return o;
}

/* Whether (line, col) is a place in the text: at most one column past the end of its line. */
static bool position_exists(const char *text, size_t len, int line, int col)
{
	if (line < 1 || col < 1)
		return false;
	size_t o = line_start(text, len, line);
	if (o == SIZE_MAX)
		return false;
	int chars = 0;
	for (; o < len && text[o] != '\n'; o++)
		chars += !is_continuation(text[o]);
	return col <= chars + 1;
}

/*
 * The offset of every character of a UTF-8 text (lines end at '\n', which is the last character
 * of its line; the end of the text is a place too), by line and column, counted as the locator
 * counts: offset_of is then one lookup, and a document is checked in linear time.
 */
typedef struct places {
	size_t *chars; /* offsets of the characters, in order */
	size_t *lines; /* index in chars of the first character of each line */
	size_t nlines;
	size_t nchars;
} places;

static void places_build(places *p, const char *text, size_t len)
{
	p->chars = malloc((len + 1) * sizeof *p->chars);
	p->lines = malloc((len + 2) * sizeof *p->lines);
	p->nchars = 0;
	p->nlines = 1;
	p->lines[0] = 0;
	for (size_t o = 0; o < len; o++) {
		if (is_continuation(text[o]))
			continue;
		p->chars[p->nchars++] = o;
		if (text[o] == '\n')
			p->lines[p->nlines++] = p->nchars;
	}
	p->chars[p->nchars++] = len;
	p->lines[p->nlines] = p->nchars;
}

static void places_free(places *p)
{
	free(p->chars);
	free(p->lines);
}

/* Offset of the character at (line, col), or SIZE_MAX. */
static size_t offset_of(const places *p, int line, int col)
{
	if (line < 1 || col < 1 || (size_t)line > p->nlines)
		return SIZE_MAX;
	size_t first = p->lines[line - 1], end = p->lines[line];
	return (size_t)col - 1 < end - first ? p->chars[first + (size_t)col - 1] : SIZE_MAX;
}

/* Look a pointer up in a locator built on any text: found or not, never a place outside the text. */
static void find_anywhere(const doc_locator *loc, const char *text, size_t len, const char *pointer)
{
	for (int key = 0; key < 2; key++) {
		int line = -1, col = -1;
		int rc = locator_find(loc, pointer, key, &line, &col);
		FUZZ_CHECK(rc == 0 || rc == ASSURE_ENOTFOUND, "locator_find gave %d", rc);
		if (rc == 0)
			FUZZ_CHECK(position_exists(text, len, line, col),
			           "'%s' found at %d:%d, outside the text", pointer, line, col);
		if (key && pointer[0] == '\0')
			FUZZ_CHECK(rc == ASSURE_ENOTFOUND, "the root has no member name");
	}
}

/* The decoded string at text[o] with each NUL shown as \u0000, as doc.c gives strings to callers. */
static void decoded_as_doc(const char *text, size_t len, size_t o, assure_buf *out)
{
	assure_buf raw = ASSURE_BUF_INIT;
	FUZZ_CHECK(locator_decode_string(text, len, o, &raw), "no complete string at offset %zu", o);
	for (size_t i = 0; i < raw.len; i++)
		if (raw.ptr[i])
			assure_buf_putc(out, raw.ptr[i]);
		else
			assure_buf_puts(out, "\\u0000");
	assure_buf_putc(out, '\0');
	out->len--;
	assure_buf_free(&raw);
}

/* The text at the value's place is that value's first character, and for scalars the value itself. */
static void check_value_at(const char *text, size_t len, size_t o, json_t *v, const char *pointer)
{
	FUZZ_CHECK(o < len, "'%s' located past the end", pointer);
	char c = text[o];
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		FUZZ_CHECK(c == '{', "'%s' is an object but located at '%c'", pointer, c);
		break;
	case JSON_ARRAY:
		FUZZ_CHECK(c == '[', "'%s' is an array but located at '%c'", pointer, c);
		break;
	case JSON_STRING: {
		assure_buf s = ASSURE_BUF_INIT;
		decoded_as_doc(text, len, o, &s);
		FUZZ_CHECK(s.len == json_string_length(v) && memcmp(s.ptr, json_string_value(v), s.len) == 0,
		           "'%s' located at another string", pointer);
		assure_buf_free(&s);
		break;
	}
	case JSON_INTEGER:
		FUZZ_CHECK(strtoll(text + o, NULL, 10) == json_integer_value(v),
		           "'%s' located at another number", pointer);
		break;
	case JSON_REAL:
		FUZZ_CHECK(strtod(text + o, NULL) == json_real_value(v), "'%s' located at another number",
		           pointer);
		break;
	case JSON_TRUE:
		FUZZ_CHECK(strncmp(text + o, "true", 4) == 0, "'%s' located away from its true", pointer);
		break;
	case JSON_FALSE:
		FUZZ_CHECK(strncmp(text + o, "false", 5) == 0, "'%s' located away from its false", pointer);
		break;
	case JSON_NULL:
		FUZZ_CHECK(strncmp(text + o, "null", 4) == 0, "'%s' located away from its null", pointer);
		break;
	}
}

static int position_checks;

/* Every value and member name of a parsed document is found, at its own text. */
static void locate_tree(assure_doc *doc, const places *pl, const char *text, size_t len, json_t *v,
                        assure_buf *ptr, const char *key)
{
	int line, col;
	FUZZ_CHECK(assure_doc_locate(doc, ptr->ptr, &line, &col) == 0, "no place for '%s'", ptr->ptr);
	size_t o = offset_of(pl, line, col);
	FUZZ_CHECK(o != SIZE_MAX, "'%s' at %d:%d, which is not in the text", ptr->ptr, line, col);
	/* locator_position counts from the start: check it on the first nodes only, to stay linear */
	if (position_checks > 0) {
		position_checks--;
		int l2, c2;
		locator_position(text, len, o, &l2, &c2);
		FUZZ_CHECK(l2 == line && c2 == col, "locator_position disagrees for '%s'", ptr->ptr);
	}
	check_value_at(text, len, o, v, ptr->ptr);
	int krc = assure_doc_locate_key(doc, ptr->ptr, &line, &col);
	if (!key) {
		FUZZ_CHECK(krc == ASSURE_ENOTFOUND, "'%s' has no member name but one was located", ptr->ptr);
	} else {
		FUZZ_CHECK(krc == 0, "no place for the name of '%s'", ptr->ptr);
		o = offset_of(pl, line, col);
		FUZZ_CHECK(o != SIZE_MAX && text[o] == '"', "the name of '%s' is not at a quote", ptr->ptr);
		assure_buf name = ASSURE_BUF_INIT;
		decoded_as_doc(text, len, o, &name);
		FUZZ_CHECK(strcmp(name.ptr, key) == 0, "the name of '%s' located at another name", ptr->ptr);
		assure_buf_free(&name);
	}
	size_t mark = ptr->len;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach(v, k, c)
		{
			assure_buf_put_pointer_token(ptr, k);
			locate_tree(doc, pl, text, len, c, ptr, k);
			ptr->len = mark;
			ptr->ptr[mark] = '\0';
		}
		assure_buf_puts(ptr, "/~2");
		FUZZ_CHECK(assure_doc_locate(doc, ptr->ptr, &line, &col) == ASSURE_ENOTFOUND,
		           "a malformed pointer was located");
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c)
		{
			assure_buf_printf(ptr, "/%zu", i);
			locate_tree(doc, pl, text, len, c, ptr, NULL);
			ptr->len = mark;
			ptr->ptr[mark] = '\0';
		}
		const char *bad[] = {"/-", "/01", "/+1", "/1e0", "/18446744073709551617"};
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			assure_buf_puts(ptr, bad[b]);
			FUZZ_CHECK(assure_doc_locate(doc, ptr->ptr, &line, &col) == ASSURE_ENOTFOUND,
			           "'%s' is not an index but was located", ptr->ptr);
			ptr->len = mark;
			ptr->ptr[mark] = '\0';
		}
		assure_buf_printf(ptr, "/%zu", json_array_size(v));
		FUZZ_CHECK(assure_doc_locate(doc, ptr->ptr, &line, &col) == ASSURE_ENOTFOUND,
		           "'%s' is past the end but was located", ptr->ptr);
	}
	ptr->len = mark;
	ptr->ptr[mark] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_part parts[16];
	size_t n = fuzz_split(data, size, parts, 16);
	const char *text = parts[0].s;
	size_t len = parts[0].len;

	doc_locator *loc = locator_build(text, len);
	find_anywhere(loc, text, len, "");
	find_anywhere(loc, text, len, "/0");
	find_anywhere(loc, text, len, "no-slash");
	for (size_t i = 1; i < n; i++)
		find_anywhere(loc, text, len, parts[i].s);
	locator_free(loc);

	/* the start of the token ending at a place is at or before it, and not a blank */
	size_t ends[] = {0, len / 3, len / 2, len};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t s = locator_token_start(text, len, ends[i]);
		FUZZ_CHECK(s <= ends[i], "token start %zu after %zu", s, ends[i]);
		if (s < ends[i])
			FUZZ_CHECK(!strchr(" \t\r\n", text[s]), "token start %zu is a blank", s);
		int line, col;
		locator_position(text, len, ends[i], &line, &col);
		FUZZ_CHECK(position_exists(text, len, line, col), "offset %zu is at %d:%d, outside the text",
		           ends[i], line, col);
	}

	assure_doc *doc = NULL;
	if (assure_doc_parse(&doc, text, len, NULL, NULL) == 0) {
		size_t dlen;
		const char *dtext = assure_doc_text(doc, &dlen);
		assure_buf ptr = ASSURE_BUF_INIT;
		assure_buf_puts(&ptr, "");
		places pl;
		places_build(&pl, dtext, dlen);
		position_checks = 64;
		locate_tree(doc, &pl, dtext, dlen, assure_doc_root(doc), &ptr, NULL);
		for (size_t i = 1; i < n; i++) {
			int line, col;
			if (assure_doc_locate(doc, parts[i].s, &line, &col) == 0)
				FUZZ_CHECK(offset_of(&pl, line, col) != SIZE_MAX,
				           "'%s' at %d:%d, not in the text", parts[i].s, line, col);
		}
		places_free(&pl);
		assure_buf_free(&ptr);
		assure_doc_free(doc);
	}
	fuzz_parts_free(parts, n);
	return 0;
}
