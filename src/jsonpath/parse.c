/*
 * parse.c: recursive-descent parser for RFC 9535 queries, with the well-typedness
 * rules of §2.4.3 checked as the tree is built, so an ill-typed query is a parse error
 * that points at the offending argument or operand.
 *
 * Precedence, loosest first (each parse function carries its grammar rule):
 *   ||   logical-or-expr
 *   &&   logical-and-expr
 *   == != < <= > >=   comparison-expr (not associative)
 *   !    logical-not-op, only before '(' or a test-expr
 */
#include "assure/jsonpath.h"

#include "assure/error.h"
#include "assure/idmap.h"
#include "jsonpath/jsonpath_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- freeing ---- */

static void selector_clear(jp_selector *s)
{
	if (s->kind == JP_SEL_NAME)
		free(s->u.name.str);
	else if (s->kind == JP_SEL_FILTER)
		jp_expr_free(s->u.filter);
	assure_idmap_free(s->passes);
}

static bool expr_reads_root(const jp_expr *e);

static bool query_reads_root(const jp_query *q)
{
	if (!q->relative)
		return true;
	for (size_t i = 0; i < q->nsegs; i++)
		for (size_t k = 0; k < q->segs[i].nsels; k++)
			if (q->segs[i].sels[k].kind == JP_SEL_FILTER &&
			    expr_reads_root(q->segs[i].sels[k].u.filter))
				return true;
	return false;
}

static bool expr_reads_root(const jp_expr *e)
{
	switch (e->kind) {
	case JP_E_OR:
	case JP_E_AND:
		return expr_reads_root(e->u.bin.l) || expr_reads_root(e->u.bin.r);
	case JP_E_CMP:
		return expr_reads_root(e->u.cmp.l) || expr_reads_root(e->u.cmp.r);
	case JP_E_NOT:
		return expr_reads_root(e->u.not );
	case JP_E_QUERY:
		return query_reads_root(e->u.query);
	case JP_E_FUNC:
		for (size_t i = 0; i < e->u.func.nargs; i++)
			if (expr_reads_root(e->u.func.args[i]))
				return true;
		return false;
	case JP_E_LITERAL:
		return false;
	}
	return true;
}

void jp_query_free(jp_query *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->nsegs; i++) {
		for (size_t j = 0; j < q->segs[i].nsels; j++)
			selector_clear(&q->segs[i].sels[j]);
		free(q->segs[i].sels);
	}
	free(q->segs);
	free(q);
}

void jp_expr_free(jp_expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case JP_E_OR:
	case JP_E_AND:
		jp_expr_free(e->u.bin.l);
		jp_expr_free(e->u.bin.r);
		break;
	case JP_E_CMP:
		jp_expr_free(e->u.cmp.l);
		jp_expr_free(e->u.cmp.r);
		break;
	case JP_E_NOT:
		jp_expr_free(e->u.not );
		break;
	case JP_E_QUERY:
		jp_query_free(e->u.query);
		break;
	case JP_E_FUNC:
		for (size_t i = 0; i < e->u.func.nargs; i++)
			jp_expr_free(e->u.func.args[i]);
		free(e->u.func.args);
		assure_regex_free(e->u.func.re);
		break;
	case JP_E_LITERAL:
		json_decref(e->u.lit.json);
		if (e->u.lit.is_number)
			assure_dec_clear(&e->u.lit.num);
		break;
	}
	free(e);
}

static jp_expr *new_expr(jp_expr_kind kind, size_t offset)
{
	jp_expr *e = assure_xcalloc(1, sizeof(*e));
	e->kind = kind;
	e->offset = offset;
	return e;
}

/* ---- segments and selectors ---- */

static bool enter(jp_lexer *lx)
{
	if (++lx->depth > JP_MAX_DEPTH)
		return jp_fail_at(lx, lx->pos, "query nested too deeply (more than %d levels)", JP_MAX_DEPTH);
	return true;
}

static jp_expr *parse_or(jp_lexer *lx);
static bool check_logical(jp_lexer *lx, const jp_expr *e);

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * slice-selector = [start S] ":" S [end S] [":" [S step ]]
 * index-selector = int
 * Called at the first int or ':'.
 */
static bool parse_index_or_slice(jp_lexer *lx, jp_selector *sel)
{
	int64_t v = 0;
	bool has_start = false;
	if (jp_peek(lx, 0) != ':') {
		if (!jp_lex_int(lx, &v, "index"))
			return false;
		has_start = true;
		size_t save = lx->pos;
		jp_skip_blank(lx);
		if (jp_peek(lx, 0) != ':') {
			lx->pos = save;
			sel->kind = JP_SEL_INDEX;
			sel->u.index = v;
			return true;
		}
	}
	sel->kind = JP_SEL_SLICE;
	sel->u.slice.has_start = has_start;
	sel->u.slice.start = v;
	sel->u.slice.step = 1;
	lx->pos++; /* ':' */
	jp_skip_blank(lx);
	int c = jp_peek(lx, 0);
	if (c == '-' || is_digit(c)) {
		if (!jp_lex_int(lx, &sel->u.slice.end, "slice end"))
			return false;
		sel->u.slice.has_end = true;
		jp_skip_blank(lx);
	}
	if (jp_peek(lx, 0) == ':') {
		lx->pos++;
		jp_skip_blank(lx);
		c = jp_peek(lx, 0);
		if (c == '-' || is_digit(c)) {
			if (!jp_lex_int(lx, &sel->u.slice.step, "slice step"))
				return false;
		}
	}
	return true;
}

/* filter-selector = "?" S logical-expr */
static bool parse_filter(jp_lexer *lx, jp_selector *sel)
{
	lx->pos++; /* '?' */
	if (!enter(lx))
		return false;
	jp_skip_blank(lx);
	jp_expr *e = parse_or(lx);
	if (!e)
		return false;
	sel->kind = JP_SEL_FILTER;
	sel->u.filter = e;
	lx->depth--;
	if (!check_logical(lx, e))
		return false;
	if (!expr_reads_root(e))
		sel->passes = assure_idmap_new(sizeof(bool), NULL);
	return true;
}

/* selector = name-selector / wildcard-selector / slice-selector / index-selector / filter-selector */
static bool parse_selector(jp_lexer *lx, jp_selector *sel, const char *after)
{
	int c = jp_peek(lx, 0);
	if (c == '\'' || c == '"') {
		assure_buf b = ASSURE_BUF_INIT;
		assure_buf_init(&b);
		bool ok = jp_lex_string(lx, &b);
		sel->kind = JP_SEL_NAME;
		sel->u.name.len = b.len;
		sel->u.name.str = assure_xmalloc(b.len + 1);
		memcpy(sel->u.name.str, b.ptr, b.len + 1);
		assure_buf_free(&b);
		return ok;
	}
	if (c == '*') {
		lx->pos++;
		sel->kind = JP_SEL_WILDCARD;
		return true;
	}
	if (c == '?')
		return parse_filter(lx, sel);
	if (c == '-' || c == ':' || is_digit(c))
		return parse_index_or_slice(lx, sel);
	char d[16];
	return jp_fail_at(lx, lx->pos, "expected a selector after %s, found %s", after,
	                  jp_describe(lx, lx->pos, d));
}

static const char *selector_word(const jp_selector *sel)
{
	static const char *const words[] = {
	    [JP_SEL_NAME] = "name",   [JP_SEL_WILDCARD] = "'*'",  [JP_SEL_INDEX] = "index",
	    [JP_SEL_SLICE] = "slice", [JP_SEL_FILTER] = "filter",
	};
	return words[sel->kind];
}

static jp_selector *add_selector(jp_segment *seg)
{
	seg->sels = assure_xrealloc(seg->sels, (seg->nsels + 1) * sizeof(*seg->sels));
	jp_selector *sel = &seg->sels[seg->nsels++];
	memset(sel, 0, sizeof(*sel));
	sel->kind = JP_SEL_WILDCARD; /* nothing owned until the selector is parsed */
	return sel;
}

/*
 * bracketed-selection = "[" S selector *(S "," S selector) S "]"
 * *spaced tells whether blank space was inside: the singular-query grammar
 * (name-segment = "[" name-selector "]") has no room for it.
 */
static bool parse_bracketed(jp_lexer *lx, jp_segment *seg, bool *spaced)
{
	lx->pos++; /* '[' */
	const char *after = "'['";
	for (;;) {
		*spaced |= jp_skip_blank(lx);
		jp_selector *sel = add_selector(seg);
		if (!parse_selector(lx, sel, after))
			return false;
		*spaced |= jp_skip_blank(lx);
		int c = jp_peek(lx, 0);
		if (c == ']') {
			lx->pos++;
			return true;
		}
		if (c != ',') {
			char d[16];
			return jp_fail_at(lx, lx->pos, "expected ',' or ']' after %s, found %s",
			                  selector_word(sel), jp_describe(lx, lx->pos, d));
		}
		lx->pos++;
		after = "','";
	}
}

/* member-name-shorthand, or '*', right after "." or ".." */
static bool parse_dot_selector(jp_lexer *lx, jp_segment *seg, const char *dots)
{
	jp_selector *sel = add_selector(seg);
	if (jp_peek(lx, 0) == '*') {
		lx->pos++;
		return true;
	}
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	if (!jp_lex_member_name(lx, &b)) {
		assure_buf_free(&b);
		char d[16];
		return jp_fail_at(lx, lx->pos, "expected a member name or '*' after '%s', found %s", dots,
		                  jp_describe(lx, lx->pos, d));
	}
	sel->kind = JP_SEL_NAME;
	sel->u.name.len = b.len;
	sel->u.name.str = assure_buf_detach(&b);
	return true;
}

/*
 * segments           = *(S segment)
 * child-segment      = bracketed-selection / ("." (wildcard-selector / member-name-shorthand))
 * descendant-segment = ".." (bracketed-selection / wildcard-selector / member-name-shorthand)
 *
 * The query ends, with the blank space before it left unread, where no '[' or '.'
 * follows; a segment that starts but is malformed is an error, not the end.
 */
static bool parse_segments(jp_lexer *lx, jp_query *q)
{
	for (;;) {
		size_t save = lx->pos;
		jp_skip_blank(lx);
		int c = jp_peek(lx, 0);
		if (c != '[' && c != '.') {
			lx->pos = save;
			return true;
		}
		q->segs = assure_xrealloc(q->segs, (q->nsegs + 1) * sizeof(*q->segs));
		jp_segment *seg = &q->segs[q->nsegs++];
		memset(seg, 0, sizeof(*seg));
		bool ok, spaced = false;
		if (c == '[') {
			ok = parse_bracketed(lx, seg, &spaced);
		} else if (jp_peek(lx, 1) == '.') {
			seg->descendant = true;
			lx->pos += 2;
			ok = jp_peek(lx, 0) == '[' ? parse_bracketed(lx, seg, &spaced)
			                           : parse_dot_selector(lx, seg, "..");
		} else {
			lx->pos++;
			ok = parse_dot_selector(lx, seg, ".");
		}
		if (!ok)
			return false;
		if (seg->descendant || seg->nsels != 1 || spaced ||
		    (seg->sels[0].kind != JP_SEL_NAME && seg->sels[0].kind != JP_SEL_INDEX))
			q->singular = false;
	}
}

/* jsonpath-query = root-identifier segments; rel-query = current-node-identifier segments */
jp_query *jp_parse_query(jp_lexer *lx)
{
	jp_query *q = assure_xcalloc(1, sizeof(*q));
	q->relative = jp_peek(lx, 0) == '@';
	q->singular = true;
	lx->pos++;
	if (!parse_segments(lx, q)) {
		jp_query_free(q);
		return NULL;
	}
	return q;
}

/* ---- well-typedness (RFC 9535 §2.4.3) ---- */

static const char *const type_words[] = {
    [JP_TYPE_VALUE] = "a value",
    [JP_TYPE_LOGICAL] = "a logical value",
    [JP_TYPE_NODES] = "a nodelist",
};

/* A test-expr or logical-expr: usable as a filter, an operand of && || !, or a LogicalType argument. */
static bool check_logical(jp_lexer *lx, const jp_expr *e)
{
	if (e->paren)
		return true;
	switch (e->kind) {
	case JP_E_LITERAL:
		return jp_fail_at(lx, e->offset,
		                  "a literal is not a test: compare it with '==' or another operator");
	case JP_E_FUNC:
		if (e->u.func.fn->result == JP_TYPE_VALUE)
			return jp_fail_at(lx, e->offset,
			                  "'%s()' returns a value, not a logical value: compare it",
			                  e->u.func.fn->name);
		return true;
	default:
		return true;
	}
}

/* comparable = literal / singular-query / function-expr (of ValueType) */
static bool check_comparable(jp_lexer *lx, const jp_expr *e)
{
	if (e->paren)
		return jp_fail_at(lx, e->offset, "an expression in parentheses cannot be compared");
	switch (e->kind) {
	case JP_E_LITERAL:
		return true;
	case JP_E_QUERY:
		if (!e->u.query->singular)
			return jp_fail_at(lx, e->offset,
			                  "a query that can select more than one node cannot be compared");
		return true;
	case JP_E_FUNC:
		if (e->u.func.fn->result != JP_TYPE_VALUE)
			return jp_fail_at(lx, e->offset, "'%s()' returns %s, which cannot be compared",
			                  e->u.func.fn->name, type_words[e->u.func.fn->result]);
		return true;
	default:
		return jp_fail_at(lx, e->offset, "a logical expression cannot be compared");
	}
}

/* function-argument = literal / filter-query / logical-expr / function-expr, by declared type */
static bool check_argument(jp_lexer *lx, const jp_function *fn, size_t i, const jp_expr *a)
{
	switch (fn->params[i]) {
	case JP_TYPE_VALUE:
		if (!a->paren &&
		    (a->kind == JP_E_LITERAL || (a->kind == JP_E_QUERY && a->u.query->singular) ||
		     (a->kind == JP_E_FUNC && a->u.func.fn->result == JP_TYPE_VALUE)))
			return true;
		if (!a->paren && a->kind == JP_E_QUERY)
			return jp_fail_at(lx, a->offset,
			                  "argument %zu of '%s()' must be a singular query or a value", i + 1,
			                  fn->name);
		if (!a->paren && a->kind == JP_E_FUNC)
			return jp_fail_at(
			    lx, a->offset, "argument %zu of '%s()' must be a value, but '%s()' returns %s",
			    i + 1, fn->name, a->u.func.fn->name, type_words[a->u.func.fn->result]);
		return jp_fail_at(lx, a->offset,
		                  "argument %zu of '%s()' must be a value, not a logical expression", i + 1,
		                  fn->name);
	case JP_TYPE_NODES:
		if (!a->paren && (a->kind == JP_E_QUERY ||
		                  (a->kind == JP_E_FUNC && a->u.func.fn->result == JP_TYPE_NODES)))
			return true;
		return jp_fail_at(lx, a->offset, "argument %zu of '%s()' must be a query", i + 1, fn->name);
	case JP_TYPE_LOGICAL:
		return check_logical(lx, a);
	}
	return true;
}

/* ---- filter expressions ---- */

/* function-expr = function-name "(" S [function-argument *(S "," S function-argument)] S ")" */
static jp_expr *parse_function(jp_lexer *lx, size_t start, size_t namelen)
{
	const jp_function *fn = jp_function_find(lx->src + start, namelen);
	if (!fn) {
		jp_fail_at(lx, start, "unknown function '%.*s()'", (int)namelen, lx->src + start);
		return NULL;
	}
	if (!enter(lx))
		return NULL;
	jp_expr *e = new_expr(JP_E_FUNC, start);
	e->u.func.fn = fn;
	lx->pos++; /* '(' */
	jp_skip_blank(lx);
	if (jp_peek(lx, 0) == ')') {
		lx->pos++;
	} else {
		for (;;) {
			jp_expr *a = parse_or(lx);
			if (!a)
				goto fail;
			e->u.func.args =
			    assure_xrealloc(e->u.func.args, (e->u.func.nargs + 1) * sizeof(jp_expr *));
			e->u.func.args[e->u.func.nargs++] = a;
			jp_skip_blank(lx);
			int c = jp_peek(lx, 0);
			lx->pos++;
			if (c == ')')
				break;
			if (c != ',') {
				char d[16];
				jp_fail_at(lx, lx->pos - 1,
				           "expected ',' or ')' after argument %zu of '%s()', found %s",
				           e->u.func.nargs, fn->name, jp_describe(lx, lx->pos - 1, d));
				goto fail;
			}
			jp_skip_blank(lx);
		}
	}
	if (e->u.func.nargs != fn->nparams) {
		jp_fail_at(lx, start, "'%s()' takes %zu argument%s, not %zu", fn->name, fn->nparams,
		           fn->nparams == 1 ? "" : "s", e->u.func.nargs);
		goto fail;
	}
	for (size_t i = 0; i < e->u.func.nargs; i++)
		if (!check_argument(lx, fn, i, e->u.func.args[i]))
			goto fail;
	jp_function_prepare(e);
	lx->depth--;
	return e;
fail:
	jp_expr_free(e);
	return NULL;
}

static jp_expr *literal_json(size_t start, json_t *json)
{
	jp_expr *e = new_expr(JP_E_LITERAL, start);
	e->u.lit.json = json;
	return e;
}

/*
 * A primary: literal / filter-query / function-expr. `what` says what was expected,
 * for the message when none is there.
 *   literal = number / string-literal / true / false / null
 */
static jp_expr *parse_primary(jp_lexer *lx, const char *what)
{
	size_t start = lx->pos;
	int c = jp_peek(lx, 0);
	char d[16];
	if (c == '@' || c == '$') {
		jp_query *q = jp_parse_query(lx);
		if (!q)
			return NULL;
		jp_expr *e = new_expr(JP_E_QUERY, start);
		e->u.query = q;
		return e;
	}
	if (c == '\'' || c == '"') {
		assure_buf b = ASSURE_BUF_INIT;
		assure_buf_init(&b);
		if (!jp_lex_string(lx, &b)) {
			assure_buf_free(&b);
			return NULL;
		}
		json_t *s = json_stringn(b.ptr, b.len);
		assure_buf_free(&b);
		return literal_json(start, s);
	}
	if (c == '-' || is_digit(c)) {
		size_t at, n;
		if (!jp_lex_number(lx, &at, &n))
			return NULL;
		jp_expr *e = new_expr(JP_E_LITERAL, start);
		e->u.lit.is_number = true;
		assure_dec_init(&e->u.lit.num);
		if (assure_dec_from_text(&e->u.lit.num, lx->src + at, n) != 0) {
			jp_fail_at(lx, start, "number '%.*s' is too large", (int)n, lx->src + at);
			jp_expr_free(e);
			return NULL;
		}
		return e;
	}
	size_t n = jp_lex_function_name(lx);
	if (n) {
		if (jp_peek(lx, 0) == '(')
			return parse_function(lx, start, n);
		if (n == 4 && memcmp(lx->src + start, "true", 4) == 0)
			return literal_json(start, json_true());
		if (n == 5 && memcmp(lx->src + start, "false", 5) == 0)
			return literal_json(start, json_false());
		if (n == 4 && memcmp(lx->src + start, "null", 4) == 0)
			return literal_json(start, json_null());
		if (jp_function_find(lx->src + start, n)) {
			jp_fail_at(lx, lx->pos, "expected '(' right after '%.*s'", (int)n, lx->src + start);
			return NULL;
		}
		jp_fail_at(lx, start, "expected %s, found '%.*s'", what, (int)n, lx->src + start);
		return NULL;
	}
	jp_fail_at(lx, start, "expected %s, found %s", what, jp_describe(lx, start, d));
	return NULL;
}

/* comparison-op = "==" / "!=" / "<=" / ">=" / "<" / ">"; its length, or 0 */
static size_t comparison_op(const jp_lexer *lx, jp_cmp_op *op)
{
	int c = jp_peek(lx, 0), c2 = jp_peek(lx, 1);
	if (c == '=' && c2 == '=')
		return *op = JP_CMP_EQ, 2;
	if (c == '!' && c2 == '=')
		return *op = JP_CMP_NE, 2;
	if (c == '<')
		return c2 == '=' ? (*op = JP_CMP_LE, 2) : (*op = JP_CMP_LT, 1);
	if (c == '>')
		return c2 == '=' ? (*op = JP_CMP_GE, 2) : (*op = JP_CMP_GT, 1);
	return 0;
}

/* paren-expr = [logical-not-op S] "(" S logical-expr S ")", from the '(' */
static jp_expr *parse_paren(jp_lexer *lx)
{
	size_t open = lx->pos;
	if (!enter(lx))
		return NULL;
	lx->pos++;
	jp_skip_blank(lx);
	jp_expr *e = parse_or(lx);
	if (!e)
		return NULL;
	if (!check_logical(lx, e)) {
		jp_expr_free(e);
		return NULL;
	}
	jp_skip_blank(lx);
	if (jp_peek(lx, 0) != ')') {
		char d[16];
		jp_fail_at(lx, lx->pos, "expected ')' to close the '(' at offset %zu, found %s", open,
		           jp_describe(lx, lx->pos, d));
		jp_expr_free(e);
		return NULL;
	}
	lx->pos++;
	lx->depth--;
	e->paren = true;
	e->offset = open;
	return e;
}

/* A paren-expr or negated test is complete: a comparison operator after it is an error. */
static jp_expr *not_compared(jp_lexer *lx, jp_expr *e, const char *msg)
{
	if (!e)
		return NULL;
	size_t save = lx->pos;
	jp_skip_blank(lx);
	jp_cmp_op op;
	if (comparison_op(lx, &op)) {
		jp_fail_at(lx, e->offset, "%s", msg);
		jp_expr_free(e);
		return NULL;
	}
	lx->pos = save;
	return e;
}

/*
 * basic-expr      = paren-expr / comparison-expr / test-expr
 * test-expr       = [logical-not-op S] (filter-query / function-expr)
 * comparison-expr = comparable S comparison-op S comparable
 *
 * A lone primary is returned unchecked: whether it may stand alone depends on the
 * caller (a literal is a valid function argument but not a filter).
 */
static jp_expr *parse_basic(jp_lexer *lx)
{
	size_t start = lx->pos;
	int c = jp_peek(lx, 0);
	if (c == '!' && jp_peek(lx, 1) != '=') {
		lx->pos++;
		jp_skip_blank(lx);
		jp_expr *operand = jp_peek(lx, 0) == '('
		                       ? parse_paren(lx)
		                       : parse_primary(lx, "a query, function or '(' after '!'");
		if (!operand)
			return NULL;
		if (!operand->paren && operand->kind == JP_E_LITERAL) {
			jp_fail_at(lx, operand->offset, "'!' cannot apply to a literal");
			jp_expr_free(operand);
			return NULL;
		}
		if (!check_logical(lx, operand)) {
			jp_expr_free(operand);
			return NULL;
		}
		jp_expr *e = new_expr(JP_E_NOT, start);
		e->u.not = operand;
		return not_compared(lx, e, "'!' applies to the test right after it: write !(a == b)");
	}
	if (c == '(')
		return not_compared(lx, parse_paren(lx), "an expression in parentheses cannot be compared");

	jp_expr *l = parse_primary(lx, "a query, literal, function or '('");
	if (!l)
		return NULL;
	size_t save = lx->pos;
	jp_skip_blank(lx);
	jp_cmp_op op;
	size_t oplen = comparison_op(lx, &op);
	if (!oplen) {
		lx->pos = save;
		return l;
	}
	size_t op_pos = lx->pos;
	jp_expr *e = new_expr(JP_E_CMP, start);
	e->u.cmp.op = op;
	e->u.cmp.l = l;
	if (!check_comparable(lx, l))
		goto fail;
	lx->pos += oplen;
	jp_skip_blank(lx);
	char what[64];
	snprintf(what, sizeof(what), "a literal, singular query or function after '%.*s'", (int)oplen,
	         lx->src + op_pos);
	e->u.cmp.r = parse_primary(lx, what);
	if (!e->u.cmp.r || !check_comparable(lx, e->u.cmp.r))
		goto fail;
	save = lx->pos;
	jp_skip_blank(lx);
	if (comparison_op(lx, &op)) {
		jp_fail_at(lx, lx->pos, "comparisons cannot be chained: use '&&' and parentheses");
		goto fail;
	}
	lx->pos = save;
	return e;
fail:
	jp_expr_free(e);
	return NULL;
}

/* logical-and-expr = basic-expr *(S "&&" S basic-expr); likewise "||" one level up */
static jp_expr *parse_binary(jp_lexer *lx, bool is_or)
{
	jp_expr *l = is_or ? parse_binary(lx, false) : parse_basic(lx);
	if (!l)
		return NULL;
	const char *op = is_or ? "||" : "&&";
	for (;;) {
		size_t save = lx->pos;
		jp_skip_blank(lx);
		if (jp_peek(lx, 0) != op[0] || jp_peek(lx, 1) != op[1]) {
			lx->pos = save;
			return l;
		}
		lx->pos += 2;
		jp_skip_blank(lx);
		jp_expr *e = new_expr(is_or ? JP_E_OR : JP_E_AND, l->offset);
		e->u.bin.l = l;
		if (!check_logical(lx, l)) {
			jp_expr_free(e);
			return NULL;
		}
		e->u.bin.r = is_or ? parse_binary(lx, false) : parse_basic(lx);
		if (!e->u.bin.r || !check_logical(lx, e->u.bin.r)) {
			jp_expr_free(e);
			return NULL;
		}
		l = e;
	}
}

/* logical-expr = logical-or-expr */
static jp_expr *parse_or(jp_lexer *lx)
{
	return parse_binary(lx, true);
}
