/*
 * eval.c: evaluation of parsed queries (RFC 9535 §2.3-2.5).
 *
 * A query maps a nodelist through its segments in turn. Filters evaluate their
 * logical expression once per child, with that child as '@'. Values inside filters
 * are borrowed from the document (or from the parse tree, for literals); results of
 * functions such as length() are new JSON values, owned by the jp_val holding them.
 * Numbers compare exactly, as decimals, so 0.1 in a query equals 0.1 in a document
 * and a large integer is never rounded through a double.
 */
#include "assure/jsonpath.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/idmap.h"
#include "jsonpath/jsonpath_int.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
	json_t *root; /* what '$' denotes */
	bool track;   /* build JSON Pointers for the nodes */
} ctx;

static void push(assure_nodelist *l, json_t *v, char *pointer)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = assure_xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->count].value = v;
	l->items[l->count].pointer = pointer;
	l->count++;
}

/*
 * A member's pointer, its name as an RFC 6901 reference token (which may contain U+0000), made
 * in one allocation of its exact size: every node a query selects gets one (a for_each over
 * 100,000 actions makes 100,000).
 */
static char *member_pointer(const ctx *c, const char *base, const char *key, size_t len)
{
	if (!c->track)
		return NULL;
	size_t blen = strlen(base), escapes = 0;
	for (size_t i = 0; i < len; i++)
		escapes += key[i] == '~' || key[i] == '/';
	char *p = assure_xmalloc(blen + 1 + len + escapes + 1), *w = p + blen;
	memcpy(p, base, blen + 1); /* its NUL is overwritten: the pointer goes on */
	*w++ = '/';
	for (size_t i = 0; i < len; i++) {
		if (key[i] == '~' || key[i] == '/') {
			*w++ = '~';
			*w++ = key[i] == '~' ? '0' : '1';
		} else {
			*w++ = key[i];
		}
	}
	*w = '\0';
	return p;
}

static char *index_pointer(const ctx *c, const char *base, size_t i)
{
	if (!c->track)
		return NULL;
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_puts(&b, base);
	assure_buf_putc(&b, '/');
	assure_buf_put_size(&b, i);
	return assure_buf_detach(&b);
}

static int eval_logical(const ctx *c, const jp_expr *e, json_t *cur);

/* ---- selectors and segments ---- */

/* RFC 9535 §2.3.4.2.2: slice bounds, normalised and clamped by the sign of step */
static void apply_slice(const ctx *c, const jp_selector *sel, json_t *v, const char *ptr,
                        assure_nodelist *out)
{
	int64_t len = (int64_t)json_array_size(v), step = sel->u.slice.step;
	if (step == 0)
		return;
	int64_t start = sel->u.slice.has_start ? sel->u.slice.start : step > 0 ? 0 : len - 1;
	int64_t end = sel->u.slice.has_end ? sel->u.slice.end : step > 0 ? len : -len - 1;
	if (start < 0)
		start += len;
	if (end < 0)
		end += len;
	if (step > 0) {
		int64_t lower = start < 0 ? 0 : start > len ? len : start;
		int64_t upper = end < 0 ? 0 : end > len ? len : end;
		for (int64_t i = lower; i < upper; i += step)
			push(out, json_array_get(v, (size_t)i), index_pointer(c, ptr, (size_t)i));
	} else {
		int64_t upper = start < -1 ? -1 : start > len - 1 ? len - 1 : start;
		int64_t lower = end < -1 ? -1 : end > len - 1 ? len - 1 : end;
		for (int64_t i = upper; lower < i; i += step)
			push(out, json_array_get(v, (size_t)i), index_pointer(c, ptr, (size_t)i));
	}
}

/* 1 when child passes the filter, 0 when not, -1 on failure (never remembered). */
static int filter_child(const ctx *c, const jp_selector *sel, json_t *child)
{
	bool by_identity = sel->passes && (json_is_object(child) || json_is_array(child)) &&
	                   assure_idmap_wanted(sel->passes);
	const bool *known = by_identity ? assure_idmap_get(sel->passes, child) : NULL;
	if (known)
		return *known;
	int keep = eval_logical(c, sel->u.filter, child);
	bool *slot = by_identity && keep >= 0 ? assure_idmap_put(sel->passes, child) : NULL;
	if (slot)
		*slot = keep != 0;
	return keep;
}

/* Children in document order: array elements, then object members in insertion order. */
static int apply_selector(const ctx *c, const jp_selector *sel, json_t *v, const char *ptr,
                          assure_nodelist *out)
{
	switch (sel->kind) {
	case JP_SEL_NAME:
		if (json_is_object(v)) {
			json_t *m = json_object_getn(v, sel->u.name.str, sel->u.name.len);
			if (m)
				push(out, m, member_pointer(c, ptr, sel->u.name.str, sel->u.name.len));
		}
		return 0;
	case JP_SEL_INDEX:
		if (json_is_array(v)) {
			int64_t len = (int64_t)json_array_size(v), i = sel->u.index;
			if (i < 0)
				i += len;
			if (i >= 0 && i < len)
				push(out, json_array_get(v, (size_t)i), index_pointer(c, ptr, (size_t)i));
		}
		return 0;
	case JP_SEL_SLICE:
		if (json_is_array(v))
			apply_slice(c, sel, v, ptr, out);
		return 0;
	case JP_SEL_WILDCARD:
	case JP_SEL_FILTER:
		break;
	}
	bool filter = sel->kind == JP_SEL_FILTER;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *child = json_array_get(v, i);
			int keep = filter ? filter_child(c, sel, child) : 1;
			if (keep < 0)
				return -1;
			if (keep)
				push(out, child, index_pointer(c, ptr, i));
		}
	} else if (json_is_object(v)) {
		for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
			json_t *child = json_object_iter_value(it);
			int keep = filter ? filter_child(c, sel, child) : 1;
			if (keep < 0)
				return -1;
			if (keep)
				push(out, child,
				     member_pointer(c, ptr, json_object_iter_key(it),
				                    json_object_iter_key_len(it)));
		}
	}
	return 0;
}

static int apply_selectors(const ctx *c, const jp_segment *seg, json_t *v, const char *ptr,
                           assure_nodelist *out)
{
	for (size_t i = 0; i < seg->nsels; i++)
		if (apply_selector(c, &seg->sels[i], v, ptr, out) < 0)
			return -1;
	return 0;
}

/* §2.5.2.2: the node itself, then its descendants, parents before children, arrays in order */
static int apply_descendant(const ctx *c, const jp_segment *seg, json_t *v, const char *ptr,
                            assure_nodelist *out)
{
	if (apply_selectors(c, seg, v, ptr, out) < 0)
		return -1;
	int rc = 0;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && rc == 0; i++) {
			char *p = index_pointer(c, ptr, i);
			rc = apply_descendant(c, seg, json_array_get(v, i), p, out);
			free(p);
		}
	} else if (json_is_object(v)) {
		for (void *it = json_object_iter(v); it && rc == 0; it = json_object_iter_next(v, it)) {
			char *p =
			    member_pointer(c, ptr, json_object_iter_key(it), json_object_iter_key_len(it));
			rc = apply_descendant(c, seg, json_object_iter_value(it), p, out);
			free(p);
		}
	}
	return rc;
}

static int run_query(const ctx *c, const jp_query *q, json_t *current, const char *current_pointer,
                     assure_nodelist *out)
{
	assure_nodelist cur, next;
	assure_nodelist_init(&cur);
	assure_nodelist_init(&next);
	json_t *start = q->relative ? current : c->root;
	const char *start_ptr = q->relative && current_pointer ? current_pointer : "";
	push(&cur, start, c->track ? assure_xstrdup(start_ptr) : NULL);
	int rc = 0;
	for (size_t s = 0; s < q->nsegs && rc == 0 && cur.count; s++) {
		const jp_segment *seg = &q->segs[s];
		for (size_t i = 0; i < cur.count && rc == 0; i++) {
			const char *p = cur.items[i].pointer;
			rc = seg->descendant ? apply_descendant(c, seg, cur.items[i].value, p, &next)
			                     : apply_selectors(c, seg, cur.items[i].value, p, &next);
		}
		assure_nodelist_clear(&cur);
		assure_nodelist tmp = cur;
		cur = next;
		next = tmp;
	}
	if (rc == 0) {
		for (size_t i = 0; i < cur.count; i++)
			push(out, cur.items[i].value, cur.items[i].pointer);
		free(cur.items);
	} else {
		assure_nodelist_clear(&cur);
		free(cur.items);
	}
	assure_nodelist_clear(&next);
	free(next.items);
	return rc;
}

int jp_eval_query(const jp_query *q, json_t *root, json_t *current, bool track, const char *current_pointer,
                  assure_nodelist *out)
{
	ctx c = {root, track};
	return run_query(&c, q, current, current_pointer, out);
}

/* ---- comparison (§2.3.5.2.2) ---- */

static bool is_nothing(const jp_val *v)
{
	return !v->json && !v->num;
}

static bool is_number(const jp_val *v)
{
	return v->num || json_is_number(v->json);
}

/* Exact order of two numbers; false when one cannot be read exactly. */
static bool number_cmp(const json_t *ja, const assure_dec *da, const json_t *jb, const assure_dec *db,
                       int *out)
{
	if (json_is_integer(ja) && json_is_integer(jb)) {
		json_int_t a = json_integer_value(ja), b = json_integer_value(jb);
		*out = (a > b) - (a < b);
		return true;
	}
	if (json_is_real(ja) && json_is_real(jb)) {
		/* shortest round-trip decimals keep the order of the doubles they denote */
		double a = json_real_value(ja), b = json_real_value(jb);
		*out = (a > b) - (a < b);
		return true;
	}
	assure_dec a, b;
	assure_dec_init(&a);
	assure_dec_init(&b);
	bool ok = (da ? (assure_dec_set(&a, da), true) : assure_dec_from_json(&a, ja) == 0) &&
	          (db ? (assure_dec_set(&b, db), true) : assure_dec_from_json(&b, jb) == 0);
	if (ok)
		*out = assure_dec_cmp(&a, &b);
	assure_dec_clear(&a);
	assure_dec_clear(&b);
	return ok;
}

bool assure_jsonpath_equal(const json_t *a, const json_t *b)
{
	int order;
	if (json_is_number(a) && json_is_number(b))
		return number_cmp(a, NULL, b, NULL, &order) && order == 0;
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!assure_jsonpath_equal(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		for (void *it = json_object_iter((json_t *)a); it;
		     it = json_object_iter_next((json_t *)a, it)) {
			const json_t *m =
			    json_object_getn(b, json_object_iter_key(it), json_object_iter_key_len(it));
			if (!m || !assure_jsonpath_equal(json_object_iter_value(it), m))
				return false;
		}
		return true;
	default:
		return true; /* true, false, null: the type is the value */
	}
}

static bool val_equal(const jp_val *a, const jp_val *b)
{
	if (is_nothing(a) || is_nothing(b))
		return is_nothing(a) && is_nothing(b);
	int order;
	if (is_number(a) && is_number(b))
		return number_cmp(a->json, a->num, b->json, b->num, &order) && order == 0;
	if (a->num || b->num)
		return false;
	return assure_jsonpath_equal(a->json, b->json);
}

/* '<' is defined for two numbers or two strings (by Unicode scalar values: UTF-8 byte order) */
static bool val_less(const jp_val *a, const jp_val *b)
{
	if (is_nothing(a) || is_nothing(b))
		return false;
	int order;
	if (is_number(a) && is_number(b))
		return number_cmp(a->json, a->num, b->json, b->num, &order) && order < 0;
	if (json_is_string(a->json) && json_is_string(b->json)) {
		size_t la = json_string_length(a->json), lb = json_string_length(b->json);
		int r = memcmp(json_string_value(a->json), json_string_value(b->json), la < lb ? la : lb);
		return r < 0 || (r == 0 && la < lb);
	}
	return false;
}

static bool compare(jp_cmp_op op, const jp_val *a, const jp_val *b)
{
	switch (op) {
	case JP_CMP_EQ:
		return val_equal(a, b);
	case JP_CMP_NE:
		return !val_equal(a, b);
	case JP_CMP_LT:
		return val_less(a, b);
	case JP_CMP_LE:
		return val_less(a, b) || val_equal(a, b);
	case JP_CMP_GT:
		return val_less(b, a);
	case JP_CMP_GE:
		return val_less(b, a) || val_equal(a, b);
	}
	return false;
}

/* ---- expressions ---- */

static int call_function(const ctx *c, const jp_expr *e, json_t *cur, jp_val *result);

/* The nodes a query selects, as a NodesType value. */
static int eval_nodes(const ctx *c, const jp_query *q, json_t *cur, jp_val *out)
{
	assure_nodelist l;
	assure_nodelist_init(&l);
	ctx inner = {c->root, false};
	int rc = run_query(&inner, q, cur, NULL, &l);
	out->type = JP_TYPE_NODES;
	out->nnodes = l.count;
	out->nodes = assure_xmalloc((l.count ? l.count : 1) * sizeof(json_t *));
	for (size_t i = 0; i < l.count; i++)
		out->nodes[i] = l.items[i].value;
	free(l.items);
	return rc;
}

/* A comparable or ValueType argument: literal, singular query or ValueType function. */
static int eval_value(const ctx *c, const jp_expr *e, json_t *cur, jp_val *out)
{
	memset(out, 0, sizeof(*out));
	out->type = JP_TYPE_VALUE;
	switch (e->kind) {
	case JP_E_LITERAL:
		if (e->u.lit.is_number)
			out->num = &e->u.lit.num;
		else
			out->json = json_incref(e->u.lit.json);
		return 0;
	case JP_E_QUERY: {
		jp_val nodes = {0};
		int rc = eval_nodes(c, e->u.query, cur, &nodes);
		if (rc == 0 && nodes.nnodes == 1)
			out->json = json_incref(nodes.nodes[0]);
		jp_val_clear(&nodes);
		out->type = JP_TYPE_VALUE;
		return rc;
	}
	case JP_E_FUNC:
		return call_function(c, e, cur, out);
	default:
		assert(!"not a comparable: the parser checks types");
		return 0;
	}
}

static int call_function(const ctx *c, const jp_expr *e, json_t *cur, jp_val *result)
{
	const jp_function *fn = e->u.func.fn;
	jp_val args[2];
	memset(args, 0, sizeof(args));
	memset(result, 0, sizeof(*result));
	int rc = 0;
	for (size_t i = 0; i < e->u.func.nargs && rc == 0; i++) {
		const jp_expr *a = e->u.func.args[i];
		switch (fn->params[i]) {
		case JP_TYPE_VALUE:
			rc = eval_value(c, a, cur, &args[i]);
			break;
		case JP_TYPE_NODES:
			if (a->kind == JP_E_QUERY)
				rc = eval_nodes(c, a->u.query, cur, &args[i]);
			else
				rc = call_function(c, a, cur, &args[i]);
			break;
		case JP_TYPE_LOGICAL:
			rc = eval_logical(c, a, cur);
			args[i].type = JP_TYPE_LOGICAL;
			args[i].logical = rc == 1;
			rc = rc < 0 ? -1 : 0;
			break;
		}
	}
	if (rc == 0)
		rc = fn->call(e, args, result);
	for (size_t i = 0; i < e->u.func.nargs; i++)
		jp_val_clear(&args[i]);
	return rc;
}

/* A logical-expr or test-expr: 1 true, 0 false, -1 error. */
static int eval_logical(const ctx *c, const jp_expr *e, json_t *cur)
{
	int l;
	switch (e->kind) {
	case JP_E_OR:
		l = eval_logical(c, e->u.bin.l, cur);
		return l != 0 ? l : eval_logical(c, e->u.bin.r, cur);
	case JP_E_AND:
		l = eval_logical(c, e->u.bin.l, cur);
		return l != 1 ? l : eval_logical(c, e->u.bin.r, cur);
	case JP_E_NOT:
		l = eval_logical(c, e->u.not, cur);
		return l < 0 ? l : !l;
	case JP_E_CMP: {
		jp_val a, b;
		int rc = eval_value(c, e->u.cmp.l, cur, &a);
		if (rc == 0)
			rc = eval_value(c, e->u.cmp.r, cur, &b);
		else
			memset(&b, 0, sizeof(b));
		int r = rc < 0 ? -1 : compare(e->u.cmp.op, &a, &b);
		jp_val_clear(&a);
		jp_val_clear(&b);
		return r;
	}
	case JP_E_QUERY: {
		jp_val nodes = {0};
		int rc = eval_nodes(c, e->u.query, cur, &nodes);
		int r = rc < 0 ? -1 : nodes.nnodes > 0;
		jp_val_clear(&nodes);
		return r;
	}
	case JP_E_FUNC: {
		jp_val v;
		if (call_function(c, e, cur, &v) < 0) {
			jp_val_clear(&v);
			return -1;
		}
		int r = v.type == JP_TYPE_LOGICAL ? v.logical : v.nnodes > 0;
		jp_val_clear(&v);
		return r;
	}
	case JP_E_LITERAL:
		break;
	}
	assert(!"a literal cannot be a test: the parser checks types");
	return 0;
}
