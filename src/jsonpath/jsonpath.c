/*
 * jsonpath.c: the public face of the JSONPath module (see jsonpath.h): parsing
 * entry point, accessors, nodelists, and RFC 9535 §2.7 normalized paths.
 */
#include "assure/jsonpath.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "jsonpath/jsonpath_int.h"

#include <stdlib.h>
#include <string.h>

int assure_jsonpath_parse(assure_jsonpath **out, const char *src, size_t len, size_t *consumed,
                          size_t *err_offset)
{
	*out = NULL;
	jp_lexer lx = {.src = src, .len = len};
	size_t off = 0;
	jp_query *q = NULL;
	int c = jp_peek(&lx, 0);
	char d[16];

	if (c != '$' && c != '@') {
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			jp_fail_at(&lx, 0, "blank space is not allowed before a query");
		else
			jp_fail_at(&lx, 0, "a query starts with '$' or '@', not %s", jp_describe(&lx, 0, d));
		goto fail;
	}
	q = jp_parse_query(&lx);
	if (!q)
		goto fail;
	if (consumed) {
		*consumed = lx.pos;
	} else if (lx.pos != len) {
		size_t at = lx.pos;
		jp_skip_blank(&lx);
		if (lx.pos == len)
			jp_fail_at(&lx, at, "blank space is not allowed after a query");
		else
			jp_fail_at(&lx, lx.pos, "unexpected %s after the query", jp_describe(&lx, lx.pos, d));
		goto fail;
	}

	assure_jsonpath *p = assure_xcalloc(1, sizeof(*p));
	p->q = q;
	p->text = assure_xstrndup(src, lx.pos);
	*out = p;
	return 0;
fail:
	jp_query_free(q);
	off = lx.err_pos;
	if (err_offset)
		*err_offset = off;
	return assure_error_set("%s", lx.msg);
}

void assure_jsonpath_free(assure_jsonpath *q)
{
	if (!q)
		return;
	jp_query_free(q->q);
	free(q->text);
	free(q);
}

json_t *assure_jsonpath_get(const assure_jsonpath *q, json_t *root, json_t *current)
{
	const jp_query *jq = q->q;
	json_t *at = jq->relative ? current : root;
	for (size_t i = 0; at && i < jq->nsegs; i++) {
		const jp_selector *sel = &jq->segs[i].sels[0];
		if (sel->kind == JP_SEL_NAME) {
			at = json_is_object(at) ? json_object_getn(at, sel->u.name.str, sel->u.name.len)
			                        : NULL;
		} else {
			int64_t n = json_is_array(at) ? (int64_t)json_array_size(at) : 0;
			int64_t k = sel->u.index < 0 ? sel->u.index + n : sel->u.index;
			at = k >= 0 && k < n ? json_array_get(at, (size_t)k) : NULL;
		}
	}
	return at;
}

bool assure_jsonpath_is_singular(const assure_jsonpath *q)
{
	return q->q->singular;
}

bool assure_jsonpath_is_relative(const assure_jsonpath *q)
{
	return q->q->relative;
}

const char *assure_jsonpath_text(const assure_jsonpath *q)
{
	return q->text;
}

int assure_jsonpath_eval(const assure_jsonpath *q, json_t *root, json_t *current, const char *current_pointer,
                         assure_nodelist *out)
{
	return jp_eval_query(q->q, root, current, true, current_pointer ? current_pointer : "", out);
}

int assure_jsonpath_eval_values(const assure_jsonpath *q, json_t *root, json_t *current, assure_nodelist *out)
{
	return jp_eval_query(q->q, root, current, false, "", out);
}

void assure_nodelist_init(assure_nodelist *l)
{
	l->items = NULL;
	l->count = 0;
	l->cap = 0;
}

void assure_nodelist_clear(assure_nodelist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].pointer);
	free(l->items);
	assure_nodelist_init(l);
}

/* ---- normalized paths (§2.7) ---- */

/* A canonical array index: "0" or digits without a leading zero. */
static bool is_index_token(const char *s, size_t n)
{
	if (n == 0 || n > 19 || (s[0] == '0' && n > 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Shared by both entry points; with a document, each token is read as the node it names. */
static char *normalized_path(const json_t *root, const char *pointer)
{
	if (pointer[0] != '\0' && pointer[0] != '/')
		return NULL;
	assure_buf b = ASSURE_BUF_INIT, tok = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	assure_buf_init(&tok);
	assure_buf_putc(&b, '$');
	const json_t *node = root;
	const char *p = pointer;
	while (*p == '/') {
		p++;
		assure_buf_clear(&tok);
		for (; *p && *p != '/'; p++) {
			if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
				assure_buf_putc(&tok, p[1] == '0' ? '~' : '/');
				p++;
			} else if (*p == '~') {
				goto bad;
			} else {
				assure_buf_putc(&tok, *p);
			}
		}
		bool index = is_index_token(tok.ptr, tok.len);
		if (root) {
			if (json_is_array(node)) {
				if (!index)
					goto bad;
				node = json_array_get(node, strtoul(tok.ptr, NULL, 10));
			} else if (json_is_object(node)) {
				index = false;
				node = json_object_getn(node, tok.ptr, tok.len);
			} else {
				node = NULL;
			}
			if (!node)
				goto bad;
		}
		if (index) {
			assure_buf_printf(&b, "[%s]", tok.ptr);
		} else {
			/* normal-single-quoted (RFC 9535 2.7): JSON's escapes, with ' as the quote */
			assure_buf_putc(&b, '[');
			assure_buf_put_quoted(&b, tok.ptr, tok.len, '\'');
			assure_buf_putc(&b, ']');
		}
	}
	assure_buf_free(&tok);
	return assure_buf_detach(&b);
bad:
	assure_buf_free(&tok);
	assure_buf_free(&b);
	return NULL;
}

char *assure_pointer_to_normalized_path(const char *pointer)
{
	return normalized_path(NULL, pointer);
}

char *assure_jsonpath_normalized_path(const json_t *root, const char *pointer)
{
	return normalized_path(root, pointer);
}
