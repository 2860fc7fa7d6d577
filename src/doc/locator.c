/* locator.c: positions of JSON values by JSON Pointer, from a scan of the raw text (see locator.h). */
#include "doc/locator.h"

#include "assure/error.h"
#include "assure/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Deeper nesting stops the scan. jansson refuses documents nested deeper than 2048,
 * so a parsed document never reaches this; it only bounds the recursion on any text.
 */
#define MAX_DEPTH 4096

#define NO_NODE SIZE_MAX

/* One value in the text. */
typedef struct loc_node {
	int line, col;         /* first character of the value */
	int key_line, key_col; /* opening quote of the member name; 0 for the root and array items */
	size_t key_off;        /* decoded member name: offset in the names arena */
	size_t key_len;        /* and its length in bytes (names may not be C strings in theory) */
	size_t kids, nkids;    /* children: a range of the kids array */
	char kind;             /* '{', '[', or 0 for a scalar */
} loc_node;

/* A child of a container; object children are sorted by name for binary search. */
typedef struct loc_kid {
	const char *key; /* decoded name (into the arena; set once the scan is over), NULL in arrays */
	size_t key_len;
	size_t node; /* index into nodes */
} loc_kid;

struct doc_locator {
	loc_node *nodes; /* in document order; nodes[0] is the root when nnodes > 0 */
	size_t nnodes, cap_nodes;
	loc_kid *kids; /* each container's children, contiguous */
	size_t nkids, cap_kids;
	assure_buf names; /* decoded member names, back to back */
};

/* A cursor over the text that keeps its line and column as it moves. */
typedef struct scanner {
	const char *s;
	size_t len, pos;
	int line, col;
	doc_locator *loc;
	size_t *pending; /* children of the containers being scanned, innermost last */
	size_t npending, cap_pending;
} scanner;

static bool is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

static void advance(scanner *sc)
{
	unsigned char c = (unsigned char)sc->s[sc->pos++];
	if (c == '\n') {
		sc->line++;
		sc->col = 1;
	} else if (!is_continuation(c)) {
		sc->col++;
	}
}

static void advance_to(scanner *sc, size_t pos)
{
	while (sc->pos < pos)
		advance(sc);
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(scanner *sc)
{
	while (sc->pos < sc->len && is_ws(sc->s[sc->pos]))
		advance(sc);
}

static bool at(const scanner *sc, char c)
{
	return sc->pos < sc->len && sc->s[sc->pos] == c;
}

/* Decode the string literal at text[offset]; *end gets the offset just past it (or where decoding stopped).
 */
static bool decode_string(const char *s, size_t len, size_t offset, assure_buf *out, size_t *end)
{
	size_t i = offset + 1;
	bool ok = false;
	while (i < len) {
		char c = s[i];
		if (c == '"') {
			i++;
			ok = true;
			break;
		}
		if (c != '\\') {
			size_t run = i;
			while (run < len && s[run] != '"' && s[run] != '\\')
				run++;
			assure_buf_put(out, s + i, run - i);
			i = run;
			continue;
		}
		if (i + 1 >= len)
			break;
		char e = s[i + 1];
		static const char simple_in[] = "\"\\/bfnrt";
		static const char simple_out[] = "\"\\/\b\f\n\r\t";
		const char *hit = e ? strchr(simple_in, e) : NULL;
		if (hit) {
			assure_buf_putc(out, simple_out[hit - simple_in]);
			i += 2;
			continue;
		}
		if (e != 'u')
			break;
		int hi = assure_utf8_hex4(s + i + 2, len - (i + 2));
		if (hi < 0)
			break;
		i += 6;
		unsigned long cp = (unsigned long)hi;
		if (hi >= 0xD800 && hi <= 0xDBFF && i + 1 < len && s[i] == '\\' && s[i + 1] == 'u') {
			int lo = assure_utf8_hex4(s + i + 2, len - (i + 2));
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) +
				     ((unsigned long)lo - 0xDC00);
				i += 6;
			}
		}
		/* A lone surrogate has no UTF-8 form (jansson rejects it); keep the text well-formed. */
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD;
		assure_utf8_put(out, (uint32_t)cp);
	}
	*end = i;
	return ok;
}

bool locator_decode_string(const char *text, size_t len, size_t offset, assure_buf *out)
{
	size_t end;
	if (offset >= len || text[offset] != '"')
		return false;
	return decode_string(text, len, offset, out, &end);
}

/* Offset just past the string literal at s[i] (or the end of the text if unterminated). */
static size_t string_end(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

static bool is_punct(char c)
{
	return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
}

/* Offset just past the number, literal or stray word at s[i]: everything up to a blank, quote or punctuation.
 */
static size_t word_end(const char *s, size_t len, size_t i)
{
	size_t start = i;
	while (i < len && !is_ws(s[i]) && !is_punct(s[i]) && s[i] != '"')
		i++;
	return i > start ? i : start + 1;
}

size_t locator_token_start(const char *text, size_t len, size_t end)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && is_ws(text[i]))
			i++;
		if (i >= len || i >= end)
			break;
		size_t start = i;
		i = text[i] == '"'      ? string_end(text, len, i)
		    : is_punct(text[i]) ? i + 1
		                        : word_end(text, len, i);
		if (i >= end)
			return start;
	}
	return end;
}

void locator_position(const char *text, size_t len, size_t offset, int *line, int *col)
{
	scanner sc = {.s = text, .len = len, .line = 1, .col = 1};
	advance_to(&sc, offset < len ? offset : len);
	*line = sc.line;
	*col = sc.col;
}

static size_t new_node(scanner *sc)
{
	doc_locator *loc = sc->loc;
	if (loc->nnodes == loc->cap_nodes) {
		loc->cap_nodes = loc->cap_nodes ? loc->cap_nodes * 2 : 64;
		loc->nodes = assure_xrealloc(loc->nodes, loc->cap_nodes * sizeof *loc->nodes);
	}
	loc->nodes[loc->nnodes] = (loc_node){.line = sc->line, .col = sc->col};
	return loc->nnodes++;
}

static void push_pending(scanner *sc, size_t node)
{
	if (sc->npending == sc->cap_pending) {
		sc->cap_pending = sc->cap_pending ? sc->cap_pending * 2 : 64;
		sc->pending = assure_xrealloc(sc->pending, sc->cap_pending * sizeof *sc->pending);
	}
	sc->pending[sc->npending++] = node;
}

/* Move the container's children (pending[mark..]) into the kids array. */
static void close_container(scanner *sc, size_t node, size_t mark)
{
	doc_locator *loc = sc->loc;
	size_t n = sc->npending - mark;
	if (loc->nkids + n > loc->cap_kids) {
		while (loc->nkids + n > loc->cap_kids)
			loc->cap_kids = loc->cap_kids ? loc->cap_kids * 2 : 64;
		loc->kids = assure_xrealloc(loc->kids, loc->cap_kids * sizeof *loc->kids);
	}
	loc->nodes[node].kids = loc->nkids;
	loc->nodes[node].nkids = n;
	for (size_t i = 0; i < n; i++)
		loc->kids[loc->nkids++] = (loc_kid){.node = sc->pending[mark + i]};
	sc->npending = mark;
}

/* Scan one value; returns its node, or NO_NODE where the text is not JSON (the scan then stops). */
static size_t scan_value(scanner *sc, int depth)
{
	skip_ws(sc);
	if (sc->pos >= sc->len || depth > MAX_DEPTH)
		return NO_NODE;
	size_t node = new_node(sc);
	char c = sc->s[sc->pos];
	if (c == '"') {
		advance_to(sc, string_end(sc->s, sc->len, sc->pos));
		return node;
	}
	if (c != '{' && c != '[') {
		if (is_punct(c))
			return NO_NODE;
		advance_to(sc, word_end(sc->s, sc->len, sc->pos));
		return node;
	}
	sc->loc->nodes[node].kind = c;
	char close = c == '{' ? '}' : ']';
	size_t mark = sc->npending;
	bool ok = false;
	advance(sc);
	skip_ws(sc);
	if (at(sc, close)) {
		advance(sc);
		ok = true;
	}
	while (!ok) {
		skip_ws(sc);
		int key_line = 0, key_col = 0;
		size_t key_off = 0, key_len = 0;
		if (c == '{') {
			if (!at(sc, '"'))
				break;
			key_line = sc->line;
			key_col = sc->col;
			key_off = sc->loc->names.len;
			size_t end;
			if (!decode_string(sc->s, sc->len, sc->pos, &sc->loc->names, &end))
				break;
			key_len = sc->loc->names.len - key_off;
			advance_to(sc, end);
			skip_ws(sc);
			if (!at(sc, ':'))
				break;
			advance(sc);
		}
		size_t kid = scan_value(sc, depth + 1);
		if (kid == NO_NODE)
			break;
		loc_node *k = &sc->loc->nodes[kid];
		k->key_line = key_line;
		k->key_col = key_col;
		k->key_off = key_off;
		k->key_len = key_len;
		push_pending(sc, kid);
		skip_ws(sc);
		if (at(sc, ',')) {
			advance(sc);
		} else if (at(sc, close)) {
			advance(sc);
			ok = true;
		} else {
			break;
		}
	}
	/* Even a broken container keeps the children seen so far. */
	close_container(sc, node, mark);
	return ok ? node : NO_NODE;
}

static int kid_cmp(const void *a, const void *b)
{
	const loc_kid *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = n ? memcmp(x->key, y->key, n) : 0;
	if (c)
		return c;
	return (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

doc_locator *locator_build(const char *text, size_t len)
{
	doc_locator *loc = assure_xcalloc(1, sizeof *loc);
	assure_buf_init(&loc->names);
	scanner sc = {.s = text, .len = len, .line = 1, .col = 1, .loc = loc};
	scan_value(&sc, 0);
	free(sc.pending);
	/* The arena has stopped moving: point the object children at their names and sort them. */
	for (size_t i = 0; i < loc->nnodes; i++) {
		loc_node *n = &loc->nodes[i];
		if (n->kind != '{')
			continue;
		for (size_t k = n->kids; k < n->kids + n->nkids; k++) {
			loc_node *kn = &loc->nodes[loc->kids[k].node];
			loc->kids[k].key = loc->names.ptr + kn->key_off;
			loc->kids[k].key_len = kn->key_len;
		}
		if (n->nkids > 1) /* an empty object may have no kids array at all */
			qsort(loc->kids + n->kids, n->nkids, sizeof *loc->kids, kid_cmp);
	}
	return loc;
}

void locator_free(doc_locator *loc)
{
	if (!loc)
		return;
	free(loc->nodes);
	free(loc->kids);
	assure_buf_free(&loc->names);
	free(loc);
}

/* An array index token: "0" or digits without a leading zero, below the item count. */
static bool array_index(const char *tok, size_t len, size_t count, size_t *out)
{
	if (len == 0 || (len > 1 && tok[0] == '0'))
		return false;
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (tok[i] < '0' || tok[i] > '9')
			return false;
		v = v * 10 + (size_t)(tok[i] - '0');
		if (v >= count)
			return false;
	}
	*out = v;
	return true;
}

int locator_find(const doc_locator *loc, const char *pointer, bool key, int *line, int *col)
{
	if (loc->nnodes == 0 || (pointer[0] != '\0' && pointer[0] != '/'))
		return ASSURE_ENOTFOUND;
	size_t node = 0;
	assure_buf tok = ASSURE_BUF_INIT;
	const char *p = pointer;
	int rc = ASSURE_ENOTFOUND;
	while (*p == '/') {
		/* Unescape one reference token: ~1 is '/', ~0 is '~', any other '~' is malformed. */
		assure_buf_clear(&tok);
		for (p++; *p && *p != '/'; p++) {
			if (*p != '~') {
				assure_buf_putc(&tok, *p);
			} else if (p[1] == '0' || p[1] == '1') {
				assure_buf_putc(&tok, p[1] == '0' ? '~' : '/');
				p++;
			} else {
				goto done;
			}
		}
		const loc_node *n = &loc->nodes[node];
		if (n->kind == '{') {
			loc_kid want = {.key = tok.ptr, .key_len = tok.len};
			const loc_kid *hit = NULL;
			if (n->nkids > 0) /* an empty object may have no kids array at all */
				hit =
				    bsearch(&want, loc->kids + n->kids, n->nkids, sizeof *loc->kids, kid_cmp);
			if (!hit)
				goto done;
			node = hit->node;
		} else if (n->kind == '[') {
			size_t i;
			if (!array_index(tok.ptr, tok.len, n->nkids, &i))
				goto done;
			node = loc->kids[n->kids + i].node;
		} else {
			goto done;
		}
	}
	const loc_node *n = &loc->nodes[node];
	if (key && n->key_line == 0)
		goto done;
	*line = key ? n->key_line : n->line;
	*col = key ? n->key_col : n->col;
	rc = 0;
done:
	assure_buf_free(&tok);
	return rc;
}
