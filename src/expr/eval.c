/*
 * eval.c: evaluation of a compiled expression against one node of one document.
 *
 * Evaluation is a walk of the tree; its recursion is bounded by the tree's height
 * (ASSURE_EXPR_MAX_DEPTH) and the nesting of lets, and its work by a step counter
 * shared with the lets it evaluates (ASSURE_EXPR_MAX_STEPS), so a rule always
 * terminates quickly whatever the document.
 *
 * Every operator refuses ABSENT with "<source of the operand> is absent" and refuses
 * the wrong type with a reason naming the value; only exists(), default() and type()
 * accept ABSENT. A failure's reason is set once, where it happens, and travels up
 * unchanged.
 */
#include "assure/expr.h"

#include "assure/buf.h"
#include "assure/decimal.h"
#include "assure/error.h"
#include "expr/expr_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* States of a let in assure_eval_ctx.let_state. */
enum {
	LET_PENDING = 0, /* not evaluated yet (the caller's zero) */
	LET_DONE = 1,    /* let_values[i] holds the value */
	LET_FAILED = 2,  /* let_values[i] holds the failure reason as a STRING */
	LET_RUNNING = 3, /* being evaluated now */
};

/* Lets evaluated inside one another: each is bounded, but a long chain of lets is not. */
#define MAX_LET_DEPTH 256

/* Longest value text quoted in a reason before it is cut. */
#define DESCRIBE_MAX 100

int ev_fail(ev *e, const char *fmt, ...)
{
	assure_buf b = ASSURE_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	assure_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(e->why);
	e->why = assure_buf_detach(&b);
	return EV_FAIL;
}

int ev_fail_absent(ev *e, const enode *n)
{
	return ev_fail(e, "%.*s is absent", (int)(n->end - n->off), e->src + n->off);
}

int ev_step(ev *e)
{
	if (++*e->steps > ASSURE_EXPR_MAX_STEPS)
		return ev_fail(e, "evaluation took more than %lu steps",
		               (unsigned long)ASSURE_EXPR_MAX_STEPS);
	return 0;
}

char *ev_describe(const assure_value *v)
{
	char *s = assure_value_describe(v);
	size_t len = strlen(s);
	if (len <= DESCRIBE_MAX)
		return s;
	size_t cut = DESCRIBE_MAX - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	memcpy(s + cut, "...", 4);
	return s;
}

const char *ev_type_name(const assure_value *v)
{
	if (v->kind == ASSURE_VAL_JSON)
		return json_is_object(v->u.json) ? "object" : "array";
	return assure_value_kind_name(v->kind);
}

int ev_fail_value(ev *e, const assure_value *v, const char *text)
{
	char *d = ev_describe(v);
	ev_fail(e, "%s %s", d, text);
	free(d);
	return EV_FAIL;
}

static int fail_dec(ev *e, int code)
{
	return ev_fail(e, "%s", assure_dec_strerror(code));
}

int ev_present(ev *e, const enode *n, assure_value *out)
{
	int rc = ev_node(e, n, out);
	if (rc == 0 && out->kind == ASSURE_VAL_ABSENT)
		return ev_fail_absent(e, n);
	return rc;
}

static int ev_bool(ev *e, const enode *n, bool *b)
{
	assure_value v;
	int rc = ev_present(e, n, &v);
	if (rc != 0)
		return rc;
	if (v.kind != ASSURE_VAL_BOOL) {
		ev_fail_value(e, &v, "is not true or false");
		assure_value_clear(&v);
		return EV_FAIL;
	}
	*b = v.u.b;
	return 0;
}

/* ---- '@' and queries ---- */

static void binding_clear(cur_binding *c)
{
	json_decref(c->made);
	c->made = NULL;
}

/* What '@' denotes as JSON, converting a value of the expression on first need. */
static int binding_json(ev *e, json_t **json, const char **pointer)
{
	cur_binding *c = e->cur;
	if (c->native && !c->made) {
		int rc = value_to_json(&c->made, c->native);
		if (rc != 0)
			return rc < 0 ? -1 : ev_fail(e, "%s", assure_error_last());
	}
	*json = c->native ? c->made : c->json;
	*pointer = c->pointer ? c->pointer : "";
	return 0;
}

bool ev_is_nodes(const ev *e, const enode *arg)
{
	return arg->kind == EN_QUERY &&
	       !(e->cur->native && strcmp(assure_jsonpath_text(arg->query), "@") == 0);
}

int ev_nodes(ev *e, const enode *arg, assure_nodelist *nl)
{
	return ev_nodes_as(e, arg, true, nl);
}

int ev_nodes_as(ev *e, const enode *arg, bool pointers, assure_nodelist *nl)
{
	json_t *root = e->ctx->root, *cur = root;
	const char *pointer = "";
	if (assure_jsonpath_is_relative(arg->query)) {
		int rc = binding_json(e, &cur, &pointer);
		if (rc != 0)
			return rc;
	}
	if (!cur)
		return 0; /* no document: the query selects nothing */
	if (!root)
		root = cur;
	if ((pointers ? assure_jsonpath_eval(arg->query, root, cur, pointer, nl)
	              : assure_jsonpath_eval_values(arg->query, root, cur, nl)) != 0)
		return ev_fail(e, "%s", assure_error_last());
	return 0;
}

static int eval_query(ev *e, const enode *n, assure_value *out)
{
	/* a bare '@' over a value of the expression is that value, exactly as it is */
	if (!ev_is_nodes(e, n)) {
		assure_value_copy(out, e->cur->native);
		return 0;
	}
	if (assure_jsonpath_is_singular(n->query)) {
		/* most queries in rules are @.name: no node list, no pointers */
		json_t *root = e->ctx->root, *cur = root;
		const char *pointer;
		if (assure_jsonpath_is_relative(n->query)) {
			int rc = binding_json(e, &cur, &pointer);
			if (rc != 0)
				return rc;
		}
		if (!root)
			root = cur;
		return assure_value_from_json(out,
		                              root || cur ? assure_jsonpath_get(n->query, root, cur) : NULL);
	}
	assure_nodelist nl;
	assure_nodelist_init(&nl);
	int rc = ev_nodes(e, n, &nl);
	if (rc == 0) {
		value_set_list(out);
		for (size_t i = 0; i < nl.count && rc == 0; i++) {
			assure_value item;
			rc = assure_value_from_json(&item, nl.items[i].value);
			if (rc == 0)
				value_list_push(out, &item);
		}
	}
	assure_nodelist_clear(&nl);
	return rc;
}

/* ---- lets ---- */

static int eval_let(ev *e, const enode *n, assure_value *out)
{
	const assure_eval_ctx *c = e->ctx;
	size_t i = n->slot;
	if (c->let_state && i < c->let_count && c->let_state[i] == LET_DONE) {
		/* a name the engine binds itself (a rule's each) has no expression */
		assure_value_copy(out, &c->let_values[i]);
		return 0;
	}
	if (!c->let_exprs || !c->let_values || !c->let_state || i >= c->let_count || !c->let_exprs[i])
		return assure_error_set("let '%s' is not defined in the evaluation context", n->name);
	switch (c->let_state[i]) {
	case LET_FAILED:
		return ev_fail(e, "%s", c->let_values[i].u.str);
	case LET_RUNNING:
		return assure_error_set("let '%s' depends on itself", n->name);
	default:
		break;
	}
	if (e->let_depth >= MAX_LET_DEPTH)
		return ev_fail(e, "lets nested more than %d deep", MAX_LET_DEPTH);
	/* a let means the same wherever it is first used: '@' is the rule's node, not an item */
	cur_binding top = {.json = c->current, .pointer = c->current_pointer, .index = -1};
	const assure_expr *x = c->let_exprs[i];
	assure_value *frame = x->nvars ? assure_xcalloc(x->nvars, sizeof(assure_value)) : NULL;
	ev sub = {.ctx = c,
	          .x = x,
	          .src = x->src,
	          .cur = &top,
	          .frame = frame,
	          .steps = e->steps,
	          .let_depth = e->let_depth + 1};
	assure_value v;
	c->let_state[i] = LET_RUNNING;
	int rc = ev_node(&sub, x->root, &v);
	binding_clear(&top);
	free(frame);
	if (rc == 0) {
		c->let_values[i] = v;
		c->let_state[i] = LET_DONE;
		assure_value_copy(out, &v);
	} else if (rc == EV_FAIL) {
		value_set_string_owned(&c->let_values[i], sub.why);
		c->let_state[i] = LET_FAILED;
		ev_fail(e, "%s", sub.why);
	} else {
		c->let_state[i] = LET_PENDING;
		free(sub.why);
	}
	return rc;
}

/* ---- member and index ---- */

static int index_json_array(json_t *a, long i, assure_value *out)
{
	long n = (long)json_array_size(a);
	if (i < 0)
		i += n;
	if (i < 0 || i >= n)
		return 0;
	return assure_value_from_json(out, json_array_get(a, (size_t)i));
}

static int eval_member(ev *e, const enode *n, assure_value *out)
{
	assure_value base;
	int rc = ev_node(e, n->kids[0], &base);
	if (rc != 0)
		return rc;
	if (base.kind == ASSURE_VAL_JSON && json_is_object(base.u.json))
		rc = assure_value_from_json(out, json_object_get(base.u.json, n->name));
	assure_value_clear(&base);
	return rc;
}

/* x?.name: the member, or null where x is absent, null, not an object or lacks it. */
static int eval_optmember(ev *e, const enode *n, assure_value *out)
{
	int rc = eval_member(e, n, out);
	if (rc == 0 && out->kind == ASSURE_VAL_ABSENT)
		value_set_null(out);
	return rc;
}

/* x ?? y: x, or y where x is absent or null; y is evaluated only then. */
static int eval_coalesce(ev *e, const enode *n, assure_value *out)
{
	int rc = ev_node(e, n->kids[0], out);
	if (rc == 0 && (out->kind == ASSURE_VAL_ABSENT || out->kind == ASSURE_VAL_NULL)) {
		assure_value_clear(out);
		rc = ev_node(e, n->kids[1], out);
	}
	return rc;
}

static int eval_index(ev *e, const enode *n, assure_value *out)
{
	assure_value base, idx;
	int rc = ev_node(e, n->kids[0], &base);
	if (rc != 0)
		return rc;
	rc = ev_present(e, n->kids[1], &idx);
	if (rc != 0) {
		assure_value_clear(&base);
		return rc;
	}
	long i;
	if (idx.kind == ASSURE_VAL_STRING) {
		if (base.kind == ASSURE_VAL_JSON && json_is_object(base.u.json))
			rc = assure_value_from_json(out, json_object_get(base.u.json, idx.u.str));
	} else if (idx.kind == ASSURE_VAL_NUMBER) {
		if (!assure_dec_to_long(&idx.u.num, &i)) {
			/* A whole number beyond a long is beyond any list: out of range, so absent. */
			if (!assure_dec_is_integer(&idx.u.num))
				rc =
				    ev_fail_value(e, &idx, "is not a whole number, so it cannot be an index");
		} else if (base.kind == ASSURE_VAL_LIST) {
			long count = (long)base.u.list->count;
			if (i < 0)
				i += count;
			if (i >= 0 && i < count)
				assure_value_copy(out, &base.u.list->items[i]);
		} else if (base.kind == ASSURE_VAL_JSON && json_is_array(base.u.json)) {
			rc = index_json_array(base.u.json, i, out);
		}
	} else {
		rc = ev_fail_value(e, &idx, "cannot be an index (use a string or a whole number)");
	}
	assure_value_clear(&base);
	assure_value_clear(&idx);
	return rc;
}

/* ---- comparison ---- */

/* A value of the expression against a JSON value, with == semantics. */
static bool equal_to_json(const assure_value *v, const json_t *j)
{
	/* the common cases without making a value: a status against a list of strings */
	if (v->kind == ASSURE_VAL_STRING)
		return json_is_string(j) && strlen(v->u.str) == json_string_length(j) &&
		       memcmp(v->u.str, json_string_value(j), json_string_length(j)) == 0;
	if (v->kind == ASSURE_VAL_NULL)
		return json_is_null(j);
	if (v->kind == ASSURE_VAL_BOOL)
		return json_is_boolean(j) && json_is_true(j) == v->u.b;
	if (v->kind == ASSURE_VAL_DATE)
		return false; /* JSON holds no dates */
	assure_value w;
	if (assure_value_from_json(&w, (json_t *)j) != 0)
		return false;
	bool eq = ev_equal(v, &w);
	assure_value_clear(&w);
	return eq;
}

bool ev_equal(const assure_value *a, const assure_value *b)
{
	/* a list and a JSON array are compared item by item */
	if (a->kind == ASSURE_VAL_JSON && b->kind == ASSURE_VAL_LIST) {
		const assure_value *t = a;
		a = b;
		b = t;
	}
	if (a->kind == ASSURE_VAL_LIST && b->kind == ASSURE_VAL_JSON) {
		if (!json_is_array(b->u.json) || json_array_size(b->u.json) != a->u.list->count)
			return false;
		for (size_t i = 0; i < a->u.list->count; i++)
			if (!equal_to_json(&a->u.list->items[i], json_array_get(b->u.json, i)))
				return false;
		return true;
	}
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case ASSURE_VAL_ABSENT:
	case ASSURE_VAL_NULL:
		return true;
	case ASSURE_VAL_BOOL:
		return a->u.b == b->u.b;
	case ASSURE_VAL_NUMBER:
		return assure_dec_cmp(&a->u.num, &b->u.num) == 0;
	case ASSURE_VAL_STRING:
		return strcmp(a->u.str, b->u.str) == 0;
	case ASSURE_VAL_DATE:
		return a->u.date == b->u.date;
	case ASSURE_VAL_LIST:
		if (a->u.list->count != b->u.list->count)
			return false;
		for (size_t i = 0; i < a->u.list->count; i++)
			if (!ev_equal(&a->u.list->items[i], &b->u.list->items[i]))
				return false;
		return true;
	case ASSURE_VAL_JSON:
		return assure_jsonpath_equal(a->u.json, b->u.json);
	}
	return false;
}

int ev_compare(ev *e, const assure_value *a, const assure_value *b, int *cmp)
{
	if (a->kind == b->kind) {
		switch (a->kind) {
		case ASSURE_VAL_NUMBER:
			*cmp = assure_dec_cmp(&a->u.num, &b->u.num);
			return 0;
		case ASSURE_VAL_STRING:
			*cmp = strcmp(a->u.str, b->u.str);
			return 0;
		case ASSURE_VAL_DATE:
			*cmp = a->u.date < b->u.date ? -1 : a->u.date > b->u.date;
			return 0;
		default:
			break;
		}
	}
	return ev_fail(e, "cannot compare %s with %s", ev_type_name(a), ev_type_name(b));
}

/* Both operands of a binary node, present. */
static int operands(ev *e, const enode *n, assure_value *a, assure_value *b)
{
	int rc = ev_present(e, n->kids[0], a);
	if (rc != 0)
		return rc;
	rc = ev_present(e, n->kids[1], b);
	if (rc != 0)
		assure_value_clear(a);
	return rc;
}

static void narrow(const ev *e, int64_t lo, int64_t hi)
{
	assure_day_range *r = e->ctx->as_of_range;
	if (lo > r->lo)
		r->lo = (int32_t)lo;
	if (hi < r->hi)
		r->hi = (int32_t)hi;
}

/* What a comparison node gives for cmp (the sign of left - right). */
static bool compare_outcome(enode_kind kind, int cmp)
{
	switch (kind) {
	case EN_EQ:
		return cmp == 0;
	case EN_NE:
		return cmp != 0;
	case EN_LT:
		return cmp < 0;
	case EN_LE:
		return cmp <= 0;
	case EN_GT:
		return cmp > 0;
	default:
		return cmp >= 0;
	}
}

/*
 * as_of (the kid at `side`) was compared with the date d: the outcome is the same for
 * every as_of before d, for d itself, and for every as_of after d, so the range narrows
 * to the run of those three around the day it is that give the same outcome.
 */
static void narrow_by_comparison(const ev *e, enode_kind kind, int side, int32_t d)
{
	bool at[3]; /* the outcome for as_of before d, on d, after d */
	for (int region = 0; region < 3; region++) {
		int as_of_vs_d = region - 1;
		at[region] = compare_outcome(kind, side == 0 ? as_of_vs_d : -as_of_vs_d);
	}
	int64_t as_of = e->ctx->as_of;
	int here = as_of < d ? 0 : as_of == d ? 1 : 2;
	int first = here, last = here;
	while (first > 0 && at[first - 1] == at[here])
		first--;
	while (last < 2 && at[last + 1] == at[here])
		last++;
	int64_t lo = first == 0 ? INT32_MIN : first == 1 ? (int64_t)d : (int64_t)d + 1;
	int64_t hi = last == 2 ? INT32_MAX : last == 1 ? (int64_t)d : (int64_t)d - 1;
	narrow(e, lo, hi);
}

/* ev_present, reading as_of as a comparison's operand when compared is true. */
static int ev_present_as(ev *e, const enode *n, assure_value *out, bool compared)
{
	e->as_of_compared = compared;
	int rc = ev_present(e, n, out);
	e->as_of_compared = false;
	return rc;
}

/* The kid of a comparison that is as_of itself, when the range is tracked: 0, 1, or -1. */
static int as_of_side(const ev *e, const enode *n)
{
	if (!e->ctx->as_of_range)
		return -1;
	if (n->kids[0]->kind == EN_AS_OF && n->kids[1]->kind != EN_AS_OF)
		return 0;
	if (n->kids[1]->kind == EN_AS_OF && n->kids[0]->kind != EN_AS_OF)
		return 1;
	return -1;
}

static int eval_compare(ev *e, const enode *n, assure_value *out)
{
	assure_value a, b;
	int side = as_of_side(e, n);
	int rc = ev_present_as(e, n->kids[0], &a, side == 0);
	if (rc != 0)
		return rc;
	if ((rc = ev_present_as(e, n->kids[1], &b, side == 1)) != 0) {
		assure_value_clear(&a);
		return rc;
	}
	int cmp = 0;
	if (n->kind == EN_EQ || n->kind == EN_NE) {
		bool eq = ev_equal(&a, &b);
		assure_value_set_bool(out, n->kind == EN_EQ ? eq : !eq);
	} else if ((rc = ev_compare(e, &a, &b, &cmp)) == 0) {
		assure_value_set_bool(out, compare_outcome(n->kind, cmp));
	}
	if (side >= 0) {
		const assure_value *other = side == 0 ? &b : &a;
		if (rc == 0 && other->kind == ASSURE_VAL_DATE)
			narrow_by_comparison(e, n->kind, side, other->u.date);
		else /* compared with something else: take no chances */
			narrow(e, e->ctx->as_of, e->ctx->as_of);
	}
	assure_value_clear(&a);
	assure_value_clear(&b);
	return rc;
}

/* Longest list `in` scans; a longer one is looked up in its index, built once per list. */
#define IN_SCAN_MAX 16

static const char *with_article(const char *type)
{
	return strchr("aeiou", type[0]) ? "an" : "a";
}

static int eval_in(ev *e, const enode *n, assure_value *out)
{
	assure_value a, b;
	int rc = operands(e, n, &a, &b);
	if (rc != 0)
		return rc;
	bool found = false;
	if (b.kind == ASSURE_VAL_LIST && b.u.list->count > IN_SCAN_MAX) {
		found = value_list_occurrences(&b, &a) > 0;
	} else if (b.kind == ASSURE_VAL_LIST) {
		for (size_t i = 0; i < b.u.list->count && !found; i++)
			found = ev_equal(&a, &b.u.list->items[i]);
	} else if (b.kind == ASSURE_VAL_JSON && json_is_array(b.u.json)) {
		for (size_t i = 0; i < json_array_size(b.u.json) && !found; i++)
			found = equal_to_json(&a, json_array_get(b.u.json, i));
	} else if (b.kind == ASSURE_VAL_STRING || b.kind == ASSURE_VAL_JSON) {
		if (a.kind != ASSURE_VAL_STRING)
			rc = ev_fail(e, "cannot look for %s %s in %s %s", with_article(ev_type_name(&a)),
			             ev_type_name(&a), with_article(ev_type_name(&b)), ev_type_name(&b));
		else if (b.kind == ASSURE_VAL_STRING)
			found = strstr(b.u.str, a.u.str) != NULL;
		else
			found = json_object_get(b.u.json, a.u.str) != NULL;
	} else {
		rc = ev_fail_value(e, &b, "is not a list, string or object");
	}
	if (rc == 0)
		assure_value_set_bool(out, found);
	assure_value_clear(&a);
	assure_value_clear(&b);
	return rc;
}

/* ---- arithmetic ---- */

/* Day numbers of 0001-01-01 and 9999-12-31: dates print as YYYY-MM-DD, so they stay within. */
#define DATE_MIN (-719162L)
#define DATE_MAX 2932896L

/* A date moved by a whole number of days. */
static int shift_date(ev *e, int32_t date, const assure_value *days, int sign, assure_value *out)
{
	long n;
	if (!assure_dec_to_long(&days->u.num, &n)) {
		/* A whole number beyond a long moves any date past 9999-12-31 or before 0001-01-01. */
		if (assure_dec_is_integer(&days->u.num))
			return ev_fail(e, "date out of range");
		return ev_fail_value(e, days, "is not a whole number of days");
	}
	if (n > DATE_MAX - DATE_MIN || n < DATE_MIN - DATE_MAX)
		return ev_fail(e, "date out of range");
	long r = (long)date + sign * n;
	if (r < DATE_MIN || r > DATE_MAX)
		return ev_fail(e, "date out of range");
	assure_value_set_date(out, (int32_t)r);
	return 0;
}

static int arith_numbers(ev *e, enode_kind k, const assure_value *a, const assure_value *b, assure_value *out)
{
	assure_dec r;
	assure_dec_init(&r);
	int rc = k == EN_ADD   ? assure_dec_add(&r, &a->u.num, &b->u.num)
	         : k == EN_SUB ? assure_dec_sub(&r, &a->u.num, &b->u.num)
	         : k == EN_MUL ? assure_dec_mul(&r, &a->u.num, &b->u.num)
	                       : assure_dec_div(&r, &a->u.num, &b->u.num);
	if (rc == 0)
		value_set_dec(out, &r);
	assure_dec_clear(&r);
	return rc == 0 ? 0 : fail_dec(e, rc);
}

static int eval_arith(ev *e, const enode *n, assure_value *out)
{
	assure_value a, b;
	int rc = operands(e, n, &a, &b);
	if (rc != 0)
		return rc;
	assure_value_kind ka = a.kind, kb = b.kind;
	const assure_value *bad = NULL; /* the operand to blame */
	const char *why = "is not a number";
	if (ka == ASSURE_VAL_NUMBER && kb == ASSURE_VAL_NUMBER) {
		rc = arith_numbers(e, n->kind, &a, &b, out);
	} else if (n->kind == EN_ADD && ka == ASSURE_VAL_STRING && kb == ASSURE_VAL_STRING) {
		size_t la = strlen(a.u.str), lb = strlen(b.u.str);
		char *s = assure_xmalloc(la + lb + 1);
		memcpy(s, a.u.str, la);
		memcpy(s + la, b.u.str, lb + 1);
		value_set_string_owned(out, s);
	} else if (n->kind == EN_ADD && ka == ASSURE_VAL_DATE && kb == ASSURE_VAL_NUMBER) {
		rc = shift_date(e, a.u.date, &b, 1, out);
	} else if (n->kind == EN_ADD && ka == ASSURE_VAL_NUMBER && kb == ASSURE_VAL_DATE) {
		rc = shift_date(e, b.u.date, &a, 1, out);
	} else if (n->kind == EN_SUB && ka == ASSURE_VAL_DATE && kb == ASSURE_VAL_NUMBER) {
		rc = shift_date(e, a.u.date, &b, -1, out);
	} else if (n->kind == EN_SUB && ka == ASSURE_VAL_DATE && kb == ASSURE_VAL_DATE) {
		value_set_long(out, (long)a.u.date - (long)b.u.date);
	} else if (n->kind == EN_ADD && ka == ASSURE_VAL_STRING) {
		bad = &b;
		why = "is not a string";
	} else if (ka == ASSURE_VAL_DATE && (n->kind == EN_ADD || n->kind == EN_SUB)) {
		bad = &b;
		why = n->kind == EN_ADD ? "is not a number" : "is not a number or a date";
	} else {
		bad = ka == ASSURE_VAL_NUMBER ? &b : &a;
	}
	if (bad)
		rc = ev_fail_value(e, bad, why);
	assure_value_clear(&a);
	assure_value_clear(&b);
	return rc;
}

static int eval_unary(ev *e, const enode *n, assure_value *out)
{
	if (n->kind == EN_NOT) {
		bool b;
		int rc = ev_bool(e, n->kids[0], &b);
		if (rc == 0)
			assure_value_set_bool(out, !b);
		return rc;
	}
	assure_value a;
	int rc = ev_present(e, n->kids[0], &a);
	if (rc != 0)
		return rc;
	if (a.kind == ASSURE_VAL_NUMBER) {
		*out = a;
		assure_dec_neg(&out->u.num, &out->u.num);
		return 0;
	}
	rc = ev_fail_value(e, &a, "is not a number");
	assure_value_clear(&a);
	return rc;
}

static int eval_logic(ev *e, const enode *n, assure_value *out)
{
	bool b;
	int rc = ev_bool(e, n->kids[0], &b);
	if (rc != 0)
		return rc;
	if (n->kind == EN_COND)
		return ev_node(e, n->kids[b ? 1 : 2], out);
	/* short-circuit: the right operand is not evaluated when the left decides */
	if ((n->kind == EN_AND && !b) || (n->kind == EN_OR && b)) {
		assure_value_set_bool(out, b);
		return 0;
	}
	rc = ev_bool(e, n->kids[1], &b);
	if (rc == 0)
		assure_value_set_bool(out, b);
	return rc;
}

/* ---- lists and calls ---- */

static int eval_list(ev *e, const enode *n, assure_value *out)
{
	value_set_list(out);
	for (size_t i = 0; i < n->nkids; i++) {
		assure_value item;
		int rc = ev_present(e, n->kids[i], &item);
		if (rc != 0)
			return rc;
		value_list_push(out, &item);
	}
	return 0;
}

/* {name: value, ...}: a JSON object; every value present and expressible in JSON. */
static int eval_object(ev *e, const enode *n, assure_value *out)
{
	json_t *obj = json_object();
	int rc = 0;
	for (size_t i = 0; i + 1 < n->nkids && rc == 0; i += 2) {
		assure_value v;
		json_t *j = NULL;
		rc = ev_present(e, n->kids[i + 1], &v);
		if (rc == 0) {
			rc = value_to_json(&j, &v);
			if (rc > 0)
				rc = ev_fail(e, "%s", assure_error_last());
		}
		if (rc == 0)
			json_object_set_new(obj, n->kids[i]->val.u.str, j);
		assure_value_clear(&v);
	}
	if (rc == 0) {
		out->kind = ASSURE_VAL_JSON;
		out->u.json = obj;
	} else {
		json_decref(obj);
	}
	return rc;
}

/*
 * A helper: its arguments are evaluated here (absent ones too: the body decides what
 * absence means), then its body with '@' and '$' those of the caller.
 */
static int eval_helper(ev *e, const enode *n, assure_value *out)
{
	const assure_helper *h = n->helper;
	if (!h->body)
		return assure_error_set("helper '%s' has no compiled body", h->name);
	if (e->let_depth >= MAX_LET_DEPTH)
		return ev_fail(e, "lets and helpers nested more than %d deep", MAX_LET_DEPTH);
	const assure_expr *x = h->body;
	assure_value *frame = assure_xcalloc(x->nvars + 1, sizeof(assure_value));
	int rc = 0;
	for (size_t i = 0; i < n->nkids && rc == 0; i++)
		rc = ev_node(e, n->kids[i], &frame[i]);
	if (rc == 0) {
		ev sub = {.ctx = e->ctx,
		          .x = x,
		          .src = x->src,
		          .cur = e->cur,
		          .frame = frame,
		          .steps = e->steps,
		          .let_depth = e->let_depth + 1};
		rc = ev_node(&sub, x->root, out);
		if (rc == EV_FAIL)
			ev_fail(e, "in %s(): %s", h->name, sub.why);
		free(sub.why);
	}
	for (size_t i = 0; i < x->nvars; i++)
		assure_value_clear(&frame[i]);
	free(frame);
	return rc;
}

static int eval_call(ev *e, const enode *n, assure_value *out)
{
	if (!n->fn)
		return eval_helper(e, n, out);
	const fn_def *f = n->fn;
	if (f->flags & FN_LAZY)
		return f->impl(e, n, NULL, out);
	assure_value *args = assure_xcalloc(n->nkids + 1, sizeof(assure_value));
	int rc = 0;
	for (size_t i = 0; i < n->nkids && rc == 0; i++) {
		rc = (f->flags & FN_ABSENT_OK) ? ev_node(e, n->kids[i], &args[i])
		                               : ev_present(e, n->kids[i], &args[i]);
	}
	if (rc == 0)
		rc = f->impl(e, n, args, out);
	for (size_t i = 0; i < n->nkids; i++)
		assure_value_clear(&args[i]);
	free(args);
	return rc;
}

static int dispatch(ev *e, const enode *n, assure_value *out)
{
	const assure_eval_ctx *c = e->ctx;
	switch (n->kind) {
	case EN_CONST:
		assure_value_copy(out, &n->val);
		return 0;
	case EN_LIST:
		return eval_list(e, n, out);
	case EN_QUERY:
		return eval_query(e, n, out);
	case EN_LET:
		return eval_let(e, n, out);
	case EN_AS_OF:
		/* read for anything but a comparison, the result may differ on any other day */
		if (c->as_of_range && !e->as_of_compared)
			narrow(e, c->as_of, c->as_of);
		assure_value_set_date(out, c->as_of);
		return 0;
	case EN_FILE:
		if (c->file)
			assure_value_set_string(out, c->file);
		return 0;
	case EN_PARAMS:
		return assure_value_from_json(out, c->params);
	case EN_MEMBER:
		return eval_member(e, n, out);
	case EN_OPTMEMBER:
		return eval_optmember(e, n, out);
	case EN_COALESCE:
		return eval_coalesce(e, n, out);
	case EN_OBJECT:
		return eval_object(e, n, out);
	case EN_VAR:
		assure_value_copy(out, &e->frame[n->slot]);
		return 0;
	case EN_LAMBDA:
		break;
	case EN_INDEX:
		return eval_index(e, n, out);
	case EN_CALL:
		return eval_call(e, n, out);
	case EN_NOT:
	case EN_NEG:
		return eval_unary(e, n, out);
	case EN_AND:
	case EN_OR:
	case EN_COND:
		return eval_logic(e, n, out);
	case EN_EQ:
	case EN_NE:
	case EN_LT:
	case EN_LE:
	case EN_GT:
	case EN_GE:
		return eval_compare(e, n, out);
	case EN_IN:
		return eval_in(e, n, out);
	case EN_ADD:
	case EN_SUB:
	case EN_MUL:
	case EN_DIV:
		return eval_arith(e, n, out);
	case EN_NAME:
		break;
	}
	return assure_error_set("unresolved name or misplaced lambda in a compiled expression");
}

int ev_node(ev *e, const enode *n, assure_value *out)
{
	memset(out, 0, sizeof(*out));
	int rc = ev_step(e);
	if (rc != 0)
		return rc;
	memo_entry *m = NULL;
	const assure_eval_ctx *c = e->ctx;
	if (n->memo >= 0 && c->epoch && e->x && e->x->memo) {
		m = &e->x->memo[n->memo];
		if (m->epoch == c->epoch) {
			if (c->memo)
				c->memo(c->payload, ASSURE_MEMO_HIT, e->x, n->memo, NULL, NULL, true);
			if (m->rc != 0)
				return ev_fail(e, "%s", m->why);
			assure_value_copy(out, &m->val);
			return 0;
		}
		if (c->memo)
			c->memo(c->payload, ASSURE_MEMO_BEGIN, e->x, n->memo, NULL, NULL, false);
	}
	rc = dispatch(e, n, out);
	if (rc != 0)
		assure_value_clear(out);
	/* a failure of the step budget depends on the steps spent before: not the node's to keep */
	bool kept = m && (rc == 0 || (rc == EV_FAIL && *e->steps <= ASSURE_EXPR_MAX_STEPS));
	if (kept) {
		assure_value_clear(&m->val);
		free(m->why);
		m->why = NULL;
		m->epoch = c->epoch;
		m->rc = rc;
		if (rc == 0)
			assure_value_copy(&m->val, out);
		else
			m->why = assure_xstrdup(e->why);
	}
	if (m && c->memo)
		c->memo(c->payload, ASSURE_MEMO_END, e->x, n->memo, rc == 0 ? out : NULL,
		        rc == 0 ? NULL : (e->why ? e->why : "failed"), kept);
	return rc;
}

/* ---- collections for the functions ---- */

int ev_items_get(ev *e, const enode *arg, const enode *body, ev_items *it)
{
	memset(it, 0, sizeof(*it));
	assure_nodelist_init(&it->nodes);
	if (ev_is_nodes(e, arg)) {
		it->is_nodes = true;
		/* only a body that is not a lambda binds '@' to an item, and a node's '@' has a pointer */
		int rc = ev_nodes_as(e, arg, body && body->kind != EN_LAMBDA, &it->nodes);
		it->count = it->nodes.count;
		return rc;
	}
	int rc = ev_present(e, arg, &it->holder);
	if (rc != 0)
		return rc;
	if (it->holder.kind == ASSURE_VAL_LIST)
		it->count = it->holder.u.list->count;
	else if (it->holder.kind == ASSURE_VAL_JSON && json_is_array(it->holder.u.json))
		it->count = json_array_size(it->holder.u.json);
	else
		return ev_fail_value(e, &it->holder, "is not a list");
	return 0;
}

void ev_items_clear(ev_items *it)
{
	assure_nodelist_clear(&it->nodes);
	assure_value_clear(&it->holder);
}

int ev_items_value(ev *e, const ev_items *it, size_t i, assure_value *out)
{
	(void)e;
	if (it->is_nodes)
		return assure_value_from_json(out, it->nodes.items[i].value);
	if (it->holder.kind == ASSURE_VAL_LIST) {
		assure_value_copy(out, &it->holder.u.list->items[i]);
		return 0;
	}
	return assure_value_from_json(out, json_array_get(it->holder.u.json, i));
}

/* Item i when it is a JSON object or array: what a lambda's results are remembered by. */
static json_t *item_identity(const ev_items *it, size_t i)
{
	json_t *j = NULL;
	if (it->is_nodes)
		j = it->nodes.items[i].value;
	else if (it->holder.kind != ASSURE_VAL_LIST)
		j = json_array_get(it->holder.u.json, i);
	else if (it->holder.u.list->items[i].kind == ASSURE_VAL_JSON)
		j = it->holder.u.list->items[i].u.json;
	return json_is_object(j) || json_is_array(j) ? j : NULL;
}

/* The value of let k of a lambda's body (enode.item_lets), if it is worked out and a scalar. */
static const assure_value *item_let(const ev *e, const enode *body, size_t k)
{
	const assure_eval_ctx *c = e->ctx;
	size_t i = body->item_lets[k];
	if (!c->let_state || i >= c->let_count || c->let_state[i] != LET_DONE)
		return NULL;
	switch (c->let_values[i].kind) {
	case ASSURE_VAL_LIST:
	case ASSURE_VAL_JSON:
		return NULL;
	default:
		return &c->let_values[i];
	}
}

static size_t string_len(const assure_value *v)
{
	return v->u.str_json ? json_string_length(v->u.str_json) : strlen(v->u.str);
}

/* Whether two scalars are the same value, so that whatever reads them comes out the same. */
static bool same_scalar(const assure_value *a, const assure_value *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case ASSURE_VAL_NUMBER:
		return assure_dec_cmp(&a->u.num, &b->u.num) == 0;
	case ASSURE_VAL_STRING:
		return string_len(a) == string_len(b) && memcmp(a->u.str, b->u.str, string_len(a)) == 0;
	case ASSURE_VAL_DATE:
		return a->u.date == b->u.date;
	case ASSURE_VAL_BOOL:
		return a->u.b == b->u.b;
	default:
		return true; /* null, absent */
	}
}

/* Whether a remembered result holds now: the lets its body reads have the values it was made with. */
static bool item_lets_hold(const ev *e, const enode *body, const item_result *r)
{
	for (size_t k = 0; k < body->nitem_lets; k++) {
		const assure_value *v = item_let(e, body, k);
		if (!v || k >= r->nlets || !same_scalar(v, &r->lets[k]))
			return false;
	}
	return true;
}

/*
 * Remember the body's result for item, with the values of the lets it read (all scalars, or
 * nothing is remembered); `had`: the map had a result for item, made with other values.
 */
static void item_remember(ev *e, const enode *body, json_t *item, bool had, const assure_value *val,
                          unsigned long steps)
{
	for (size_t k = 0; k < body->nitem_lets; k++)
		if (!item_let(e, body, k))
			return;
	item_result *r = had ? assure_idmap_get(body->item_memo, item) : NULL;
	if (r) { /* made with other values of the lets: replaced */
		assure_value_clear(&r->val);
		for (size_t k = 0; k < r->nlets; k++)
			assure_value_clear(&r->lets[k]);
	} else {
		r = assure_idmap_put(body->item_memo, item);
		if (!r)
			return;
		r->lets = body->nitem_lets ? assure_xcalloc(body->nitem_lets, sizeof(assure_value)) : NULL;
	}
	r->nlets = body->nitem_lets;
	r->steps = steps;
	assure_value_copy(&r->val, val);
	for (size_t k = 0; k < body->nitem_lets; k++)
		assure_value_copy(&r->lets[k], item_let(e, body, k));
}

int ev_with_item(ev *e, const ev_items *it, size_t i, const enode *body, assure_value *out)
{
	if (body->kind == EN_LAMBDA) {
		json_t *item =
		    body->item_memo && assure_idmap_wanted(body->item_memo) ? item_identity(it, i) : NULL;
		unsigned long before = *e->steps;
		const item_result *known = item ? assure_idmap_get(body->item_memo, item) : NULL;
		if (known && item_lets_hold(e, body, known)) {
			*e->steps += known->steps - 1;
			int rc = ev_step(e);
			if (rc == 0)
				assure_value_copy(out, &known->val);
			return rc;
		}
		assure_value *slot = &e->frame[body->slot];
		int rc = ev_step(e);
		if (rc == 0)
			rc = ev_items_value(e, it, i, slot);
		if (rc == 0)
			rc = ev_node(e, body->kids[0], out);
		assure_value_clear(slot);
		if (rc == 0 && item)
			item_remember(e, body, item, known != NULL, out, *e->steps - before);
		return rc;
	}
	cur_binding b = {.index = -1};
	if (it->is_nodes) {
		b.json = it->nodes.items[i].value;
		b.pointer = it->nodes.items[i].pointer;
	} else if (it->holder.kind == ASSURE_VAL_LIST) {
		b.native = &it->holder.u.list->items[i];
		b.index = (long)i;
	} else {
		b.json = json_array_get(it->holder.u.json, i);
		b.index = (long)i;
	}
	cur_binding *saved = e->cur;
	e->cur = &b;
	int rc = ev_step(e);
	if (rc == 0)
		rc = ev_node(e, body, out);
	e->cur = saved;
	binding_clear(&b);
	return rc;
}

/* ---- the public entry point ---- */

void ev_current_place(const ev *e, const char **pointer, long *index)
{
	*pointer = e->cur->index < 0 && !e->cur->native ? (e->cur->pointer ? e->cur->pointer : "") : NULL;
	*index = e->cur->index;
}

int assure_expr_eval(assure_value *out, const assure_expr *x, const assure_eval_ctx *ctx, char **why)
{
	unsigned long steps = 0;
	cur_binding top = {.json = ctx->current, .pointer = ctx->current_pointer, .index = -1};
	assure_value *frame = x->nvars ? assure_xcalloc(x->nvars, sizeof(assure_value)) : NULL;
	ev e = {.ctx = ctx, .x = x, .src = x->src, .cur = &top, .frame = frame, .steps = &steps};
	if (why)
		*why = NULL;
	int rc = ev_node(&e, x->root, out);
	binding_clear(&top);
	free(frame);
	if (rc == EV_FAIL && why)
		*why = e.why;
	else
		free(e.why);
	return rc;
}

int assure_expr_guard(const assure_expr *x, const assure_eval_ctx *ctx, bool *holds)
{
	*holds = true;
	/* a && b && c is ((a && b) && c): the conjuncts are the right kids up the left spine */
	const enode *conj[ASSURE_EXPR_MAX_DEPTH + 1];
	size_t n = 0;
	const enode *at = x->root;
	while (at->kind == EN_AND && n < ASSURE_EXPR_MAX_DEPTH) {
		conj[n++] = at->kids[1];
		at = at->kids[0];
	}
	conj[n++] = at;
	unsigned long steps = 0;
	cur_binding top = {.json = ctx->current, .pointer = ctx->current_pointer, .index = -1};
	assure_value *frame = x->nvars ? assure_xcalloc(x->nvars, sizeof(assure_value)) : NULL;
	ev e = {.ctx = ctx, .x = x, .src = x->src, .cur = &top, .frame = frame, .steps = &steps};
	int rc = 0;
	for (size_t i = n; i-- > 0 && rc == 0 && *holds;) {
		if (conj[i]->deps || conj[i]->var_mask)
			break;
		bool b = false;
		rc = ev_bool(&e, conj[i], &b);
		if (rc == 0 && !b)
			*holds = false;
	}
	binding_clear(&top);
	free(frame);
	free(e.why);
	return rc;
}
