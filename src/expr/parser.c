/*
 * parser.c: tokens to a parse tree, by recursive descent with one function per
 * precedence level, lowest first:
 *
 *   ?:                    conditional, right associative
 *   ??                    the right side where the left is absent or null (lazy)
 *   ||                    logical or (short-circuit)
 *   &&                    logical and (short-circuit)
 *   == !=                 equality
 *   < <= > >=             ordering, not chainable
 *   in                    membership
 *   + -                   additive
 *   * /                   multiplicative
 *   ! -                   unary
 *   .name ?.name [expr] f(args)  postfix and calls
 *
 * A per-item function's argument may name its item: `o -> o.x` (EN_LAMBDA); compile.c
 * checks that lambdas stand only there.
 * Names are not resolved here (compile.c does that), so the parser needs no context.
 * Nesting is bounded twice: by the parser's own recursion (parentheses, unary
 * operators) and by the height of the tree it builds (long operator chains), both
 * against ASSURE_EXPR_MAX_DEPTH, so that neither parsing nor evaluation can exhaust
 * the stack.
 */
#include "expr/expr_int.h"

#include "assure/decimal.h"
#include "assure/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct parser {
	lexer lx;           /* the token stream */
	const char *src;    /* borrowed source */
	size_t len;         /* bytes of source */
	unsigned recursion; /* current nesting of parse_cond and parse_unary */
	size_t *err_offset; /* where to report an error */
} parser;

void enode_free(enode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		enode_free(n->kids[i]);
	free(n->kids);
	assure_value_clear(&n->val);
	free(n->name);
	assure_jsonpath_free(n->query);
	assure_regex_free(n->re);
	re_cache_free(n->re_cache);
	assure_idmap_free(n->item_memo);
	free(n->item_lets);
	free(n);
}

static const char nesting_message[] = "expression nested more than %d levels deep";

static int error_at(parser *p, size_t off, const char *fmt, const char *arg)
{
	*p->err_offset = off;
	return assure_error_set(fmt, arg);
}

/* "expected X" at the current token, naming what was found unless it is the end. */
static int expected(parser *p, const char *what)
{
	*p->err_offset = p->lx.tok.off;
	if (p->lx.tok.kind == TOK_END)
		return assure_error_set("expected %s", what);
	return assure_error_set("expected %s, found %s", what, lexer_kind_name(p->lx.tok.kind));
}

static int advance(parser *p)
{
	return lexer_next(&p->lx, p->err_offset);
}

static enode *new_node(enode_kind kind, size_t off, size_t end, size_t op_off)
{
	enode *n = assure_xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->off = off;
	n->end = end;
	n->op_off = op_off;
	n->depth = 1;
	n->memo = -1;
	return n;
}

/* Attach a child, keeping the node's height; fails past the nesting limit. */
static int add_kid(parser *p, enode *n, enode *kid)
{
	n->kids = assure_xrealloc(n->kids, (n->nkids + 1) * sizeof(enode *));
	n->kids[n->nkids++] = kid;
	if (kid->depth + 1 > n->depth)
		n->depth = kid->depth + 1;
	if (n->depth > ASSURE_EXPR_MAX_DEPTH) {
		*p->err_offset = n->op_off;
		return assure_error_set(nesting_message, ASSURE_EXPR_MAX_DEPTH);
	}
	return 0;
}

/* A binary node over left and right; frees both on failure. */
static enode *binary(parser *p, enode_kind kind, size_t op_off, enode *left, enode *right)
{
	enode *n = new_node(kind, left->off, right->end, op_off);
	if (add_kid(p, n, left) != 0 || add_kid(p, n, right) != 0) {
		if (n->nkids < 2)
			enode_free(right);
		if (n->nkids < 1)
			enode_free(left);
		enode_free(n);
		return NULL;
	}
	return n;
}

static int enter(parser *p)
{
	if (++p->recursion > ASSURE_EXPR_MAX_DEPTH) {
		*p->err_offset = p->lx.tok.off;
		return assure_error_set(nesting_message, ASSURE_EXPR_MAX_DEPTH);
	}
	return 0;
}

static enode *parse_cond(parser *p);

/*
 * A query's brackets hold JSONPath selectors, so in "$.orgs[$.org]" or "$.table[kind]"
 * the JSONPath parser fails right after the '['. Such a bracket is read as the index
 * operator applied to the query before it, as "($.orgs)[$.org]" would be. Only a failure
 * at the first character after a '[' is taken so: "$.a[?@.b = 1]" stays an error.
 * On success the original error is forgotten; otherwise it is kept as it was.
 */
static bool query_before_index(parser *p, size_t off, size_t err, assure_jsonpath **q, size_t *consumed)
{
	size_t b = err;
	while (b > off && (p->src[b - 1] == ' ' || p->src[b - 1] == '\t' || p->src[b - 1] == '\n' ||
	                   p->src[b - 1] == '\r'))
		b--;
	if (b <= off + 1 || p->src[b - 1] != '[' || err >= p->len || p->src[err] == ']')
		return false;
	char *msg = assure_xstrdup(assure_error_last());
	size_t eoff;
	bool ok = assure_jsonpath_parse(q, p->src + off, b - 1 - off, consumed, &eoff) == 0;
	if (!ok)
		assure_error_set("%s", msg);
	free(msg);
	return ok;
}

/* query := '$' ... | '@' ...   (the rest is RFC 9535, measured by the JSONPath parser) */
static enode *parse_query(parser *p)
{
	size_t off = p->lx.tok.off, consumed = 0, eoff = 0;
	assure_jsonpath *q = NULL;
	if (assure_jsonpath_parse(&q, p->src + off, p->len - off, &consumed, &eoff) != 0) {
		*p->err_offset = off + eoff;
		if (!query_before_index(p, off, off + eoff, &q, &consumed))
			return NULL;
	}
	enode *n = new_node(EN_QUERY, off, off + consumed, off);
	n->query = q;
	lexer_seek(&p->lx, off + consumed);
	if (advance(p) != 0) {
		enode_free(n);
		return NULL;
	}
	return n;
}

/* Parse items up to `close` separated by commas into n's children; the opening token is consumed. */
static int parse_items(parser *p, enode *n, tok_kind close, const char *what)
{
	if (p->lx.tok.kind == close)
		return 0;
	for (;;) {
		enode *item = parse_cond(p);
		if (!item)
			return -1;
		if (add_kid(p, n, item) != 0)
			return -1;
		if (p->lx.tok.kind == close)
			return 0;
		if (p->lx.tok.kind != TOK_COMMA)
			return expected(p, what);
		if (advance(p) != 0)
			return -1;
	}
}

/* object := '{' [ key ':' cond { ',' key ':' cond } ] '}'   key := NAME | STRING */
static enode *parse_object(parser *p)
{
	enode *n = new_node(EN_OBJECT, p->lx.tok.off, p->lx.tok.end, p->lx.tok.off);
	if (advance(p) != 0)
		goto fail;
	while (p->lx.tok.kind != TOK_RBRACE) {
		token k = p->lx.tok;
		if (k.kind != TOK_IDENT && k.kind != TOK_IN && k.kind != TOK_STRING) {
			expected(p, "a member name");
			goto fail;
		}
		enode *key = new_node(EN_CONST, k.off, k.end, k.off);
		if (k.kind == TOK_STRING) {
			value_set_string_owned(&key->val, p->lx.tok.str);
			p->lx.tok.str = NULL;
		} else {
			value_set_string_owned(&key->val, assure_xstrndup(p->src + k.off, k.end - k.off));
		}
		for (size_t i = 0; i < n->nkids; i += 2) {
			if (strcmp(n->kids[i]->val.u.str, key->val.u.str) == 0) {
				error_at(p, k.off, "member '%s' is given twice", key->val.u.str);
				enode_free(key);
				goto fail;
			}
		}
		if (add_kid(p, n, key) != 0 || advance(p) != 0)
			goto fail;
		if (p->lx.tok.kind != TOK_COLON) {
			expected(p, "':'");
			goto fail;
		}
		if (advance(p) != 0)
			goto fail;
		enode *v = parse_cond(p);
		if (!v || add_kid(p, n, v) != 0) {
			if (v && n->nkids % 2 == 1)
				enode_free(v);
			goto fail;
		}
		if (p->lx.tok.kind == TOK_COMMA) {
			if (advance(p) != 0)
				goto fail;
		} else if (p->lx.tok.kind != TOK_RBRACE) {
			expected(p, "',' or '}'");
			goto fail;
		}
	}
	n->end = p->lx.tok.end;
	return n;
fail:
	enode_free(n);
	return NULL;
}

/*
 * primary := NUMBER | STRING | 'true' | 'false' | 'null' | NAME
 *          | NAME '(' [ cond { ',' cond } ] ')'
 *          | NAME '->' cond
 *          | '[' [ cond { ',' cond } ] ']'
 *          | object
 *          | '(' cond ')'
 *          | query
 */
static enode *parse_primary(parser *p)
{
	token t = p->lx.tok;
	enode *n = NULL;
	switch (t.kind) {
	case TOK_NUMBER: {
		assure_dec d;
		assure_dec_init(&d);
		int rc = assure_dec_from_text(&d, p->src + t.off, t.end - t.off);
		if (rc != 0) {
			assure_dec_clear(&d);
			error_at(p, t.off, "invalid number: %s", assure_dec_strerror(rc));
			return NULL;
		}
		n = new_node(EN_CONST, t.off, t.end, t.off);
		value_set_dec(&n->val, &d);
		assure_dec_clear(&d);
		break;
	}
	case TOK_STRING:
		n = new_node(EN_CONST, t.off, t.end, t.off);
		value_set_string_owned(&n->val, p->lx.tok.str);
		p->lx.tok.str = NULL;
		break;
	case TOK_DOLLAR:
	case TOK_AT:
		return parse_query(p);
	case TOK_IDENT: {
		char *name = assure_xstrndup(p->src + t.off, t.end - t.off);
		if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0) {
			n = new_node(EN_CONST, t.off, t.end, t.off);
			assure_value_set_bool(&n->val, name[0] == 't');
			free(name);
			break;
		}
		if (strcmp(name, "null") == 0) {
			n = new_node(EN_CONST, t.off, t.end, t.off);
			value_set_null(&n->val);
			free(name);
			break;
		}
		if (advance(p) != 0) {
			free(name);
			return NULL;
		}
		if (p->lx.tok.kind == TOK_ARROW) {
			n = new_node(EN_LAMBDA, t.off, t.end, p->lx.tok.off);
			n->name = name;
			enode *body = NULL;
			if (advance(p) != 0 || !(body = parse_cond(p)) || add_kid(p, n, body) != 0) {
				if (body && n->nkids == 0)
					enode_free(body);
				enode_free(n);
				return NULL;
			}
			n->end = body->end;
			return n;
		}
		if (p->lx.tok.kind != TOK_LPAREN) {
			n = new_node(EN_NAME, t.off, t.end, t.off);
			n->name = name;
			return n;
		}
		n = new_node(EN_CALL, t.off, t.end, t.off);
		n->name = name;
		if (advance(p) != 0 || parse_items(p, n, TOK_RPAREN, "',' or ')'") != 0) {
			enode_free(n);
			return NULL;
		}
		n->end = p->lx.tok.end;
		break;
	}
	case TOK_LBRACKET:
		n = new_node(EN_LIST, t.off, t.end, t.off);
		if (advance(p) != 0 || parse_items(p, n, TOK_RBRACKET, "',' or ']'") != 0) {
			enode_free(n);
			return NULL;
		}
		n->end = p->lx.tok.end;
		break;
	case TOK_LBRACE:
		if (!(n = parse_object(p)))
			return NULL;
		break;
	case TOK_LPAREN:
		if (advance(p) != 0)
			return NULL;
		n = parse_cond(p);
		if (!n)
			return NULL;
		if (p->lx.tok.kind != TOK_RPAREN) {
			expected(p, "')'");
			enode_free(n);
			return NULL;
		}
		break;
	default:
		expected(p, "an expression");
		return NULL;
	}
	if (advance(p) != 0) {
		enode_free(n);
		return NULL;
	}
	return n;
}

/* postfix := primary { '.' NAME | '?.' NAME | '[' cond ']' } */
static enode *parse_postfix(parser *p)
{
	enode *n = parse_primary(p);
	while (n) {
		token t = p->lx.tok;
		if (t.kind == TOK_DOT || t.kind == TOK_QDOT) {
			if (advance(p) != 0)
				goto fail;
			/* "in" is a keyword but still a fine member name: x.in */
			if (p->lx.tok.kind != TOK_IDENT && p->lx.tok.kind != TOK_IN) {
				expected(p, "a name after '.'");
				goto fail;
			}
			enode *m = new_node(t.kind == TOK_DOT ? EN_MEMBER : EN_OPTMEMBER, n->off,
			                    p->lx.tok.end, t.off);
			m->name = assure_xstrndup(p->src + p->lx.tok.off, p->lx.tok.end - p->lx.tok.off);
			if (add_kid(p, m, n) != 0) {
				enode_free(m);
				return NULL;
			}
			n = m;
			if (advance(p) != 0)
				goto fail;
		} else if (t.kind == TOK_LBRACKET) {
			if (advance(p) != 0)
				goto fail;
			enode *idx = parse_cond(p);
			if (!idx)
				goto fail;
			if (p->lx.tok.kind != TOK_RBRACKET) {
				expected(p, "']'");
				enode_free(idx);
				goto fail;
			}
			enode *m = binary(p, EN_INDEX, t.off, n, idx);
			if (!m)
				return NULL;
			m->end = p->lx.tok.end;
			n = m;
			if (advance(p) != 0)
				goto fail;
		} else {
			break;
		}
	}
	return n;
fail:
	enode_free(n);
	return NULL;
}

/* unary := ( '!' | '-' ) unary | postfix */
static enode *parse_unary(parser *p)
{
	token t = p->lx.tok;
	if (t.kind != TOK_NOT && t.kind != TOK_MINUS)
		return parse_postfix(p);
	if (enter(p) != 0 || advance(p) != 0)
		return NULL;
	enode *operand = parse_unary(p);
	p->recursion--;
	if (!operand)
		return NULL;
	enode *n = new_node(t.kind == TOK_NOT ? EN_NOT : EN_NEG, t.off, operand->end, t.off);
	if (add_kid(p, n, operand) != 0) {
		enode_free(n);
		return NULL;
	}
	return n;
}

/* One left-associative level: operand { op operand }, with the operators in `ops`. */
typedef struct level_op {
	tok_kind tok;    /* the operator token */
	enode_kind node; /* the node it makes */
} level_op;

static enode *parse_level(parser *p, enode *(*operand)(parser *), const level_op *ops, size_t nops,
                          bool chainable)
{
	enode *left = operand(p);
	bool chained = false;
	while (left) {
		size_t k = 0;
		while (k < nops && ops[k].tok != p->lx.tok.kind)
			k++;
		if (k == nops)
			break;
		size_t op_off = p->lx.tok.off;
		if (!chainable && chained) {
			error_at(p, op_off, "%s", "comparisons cannot be chained (write a < b && b < c)");
			enode_free(left);
			return NULL;
		}
		chained = true;
		if (advance(p) != 0) {
			enode_free(left);
			return NULL;
		}
		enode *right = operand(p);
		if (!right) {
			enode_free(left);
			return NULL;
		}
		left = binary(p, ops[k].node, op_off, left, right);
	}
	return left;
}

#define LEVEL(ops) (ops), sizeof(ops) / sizeof((ops)[0])

/* multiplicative := unary { ( '*' | '/' ) unary } */
static enode *parse_multiplicative(parser *p)
{
	static const level_op ops[] = {{TOK_STAR, EN_MUL}, {TOK_SLASH, EN_DIV}};
	return parse_level(p, parse_unary, LEVEL(ops), true);
}

/* additive := multiplicative { ( '+' | '-' ) multiplicative } */
static enode *parse_additive(parser *p)
{
	static const level_op ops[] = {{TOK_PLUS, EN_ADD}, {TOK_MINUS, EN_SUB}};
	return parse_level(p, parse_multiplicative, LEVEL(ops), true);
}

/* membership := additive { 'in' additive } */
static enode *parse_membership(parser *p)
{
	static const level_op ops[] = {{TOK_IN, EN_IN}};
	return parse_level(p, parse_additive, LEVEL(ops), true);
}

/* ordering := membership [ ( '<' | '<=' | '>' | '>=' ) membership ]   (not chainable) */
static enode *parse_ordering(parser *p)
{
	static const level_op ops[] = {{TOK_LT, EN_LT}, {TOK_LE, EN_LE}, {TOK_GT, EN_GT}, {TOK_GE, EN_GE}};
	return parse_level(p, parse_membership, LEVEL(ops), false);
}

/* equality := ordering { ( '==' | '!=' ) ordering } */
static enode *parse_equality(parser *p)
{
	static const level_op ops[] = {{TOK_EQ, EN_EQ}, {TOK_NE, EN_NE}};
	return parse_level(p, parse_ordering, LEVEL(ops), true);
}

/* and := equality { '&&' equality } */
static enode *parse_and(parser *p)
{
	static const level_op ops[] = {{TOK_AND, EN_AND}};
	return parse_level(p, parse_equality, LEVEL(ops), true);
}

/* or := and { '||' and } */
static enode *parse_or(parser *p)
{
	static const level_op ops[] = {{TOK_OR, EN_OR}};
	return parse_level(p, parse_and, LEVEL(ops), true);
}

/* coalesce := or { '??' or } */
static enode *parse_coalesce(parser *p)
{
	static const level_op ops[] = {{TOK_QQ, EN_COALESCE}};
	return parse_level(p, parse_or, LEVEL(ops), true);
}

/* cond := coalesce [ '?' cond ':' cond ] */
static enode *parse_cond(parser *p)
{
	if (enter(p) != 0)
		return NULL;
	enode *c = parse_coalesce(p);
	if (!c || p->lx.tok.kind != TOK_QUESTION) {
		p->recursion--;
		return c;
	}
	enode *n = new_node(EN_COND, c->off, c->end, p->lx.tok.off);
	if (add_kid(p, n, c) != 0 || advance(p) != 0)
		goto fail;
	enode *then = parse_cond(p);
	if (!then || add_kid(p, n, then) != 0) {
		if (then && n->nkids < 2)
			enode_free(then);
		goto fail;
	}
	if (p->lx.tok.kind != TOK_COLON) {
		expected(p, "':'");
		goto fail;
	}
	if (advance(p) != 0)
		goto fail;
	enode *otherwise = parse_cond(p);
	if (!otherwise || add_kid(p, n, otherwise) != 0) {
		if (otherwise && n->nkids < 3)
			enode_free(otherwise);
		goto fail;
	}
	n->end = otherwise->end;
	p->recursion--;
	return n;
fail:
	if (n->nkids == 0)
		enode_free(c);
	enode_free(n);
	return NULL;
}

/* NOLINTNEXTLINE(readability-non-const-parameter): err_offset is kept in p and written through it */
enode *expr_parse(const char *src, size_t len, bool in_template, size_t *consumed, size_t *err_offset)
{
	parser p = {.src = src, .len = len, .err_offset = err_offset};
	lexer_init(&p.lx, src, len);
	enode *root = NULL;
	if (advance(&p) == 0)
		root = parse_cond(&p);
	if (root) {
		tok_kind want = in_template ? TOK_RBRACE : TOK_END;
		if (p.lx.tok.kind != want) {
			expected(&p, in_template ? "an operator or '}'" : "an operator or the end");
			enode_free(root);
			root = NULL;
		} else if (consumed) {
			*consumed = p.lx.tok.off;
		}
	}
	lexer_fini(&p.lx);
	return root;
}

static const char *const dump_ops[] = {
    [EN_NOT] = "!",   [EN_NEG] = "neg",   [EN_OR] = "||",    [EN_AND] = "&&",      [EN_EQ] = "==",
    [EN_NE] = "!=",   [EN_LT] = "<",      [EN_LE] = "<=",    [EN_GT] = ">",        [EN_GE] = ">=",
    [EN_IN] = "in",   [EN_ADD] = "+",     [EN_SUB] = "-",    [EN_MUL] = "*",       [EN_DIV] = "/",
    [EN_COND] = "?:", [EN_LIST] = "list", [EN_INDEX] = "[]", [EN_COALESCE] = "??", [EN_OBJECT] = "object",
};

void expr_dump(assure_buf *b, const enode *n, const char *src)
{
	char *s;
	switch (n->kind) {
	case EN_CONST:
		s = assure_value_describe(&n->val);
		assure_buf_puts(b, s);
		free(s);
		return;
	case EN_QUERY: /* queries, names and variables: their text as written */
	case EN_NAME:
	case EN_LET:
	case EN_AS_OF:
	case EN_FILE:
	case EN_PARAMS:
	case EN_VAR:
		assure_buf_put(b, src + n->off, n->end - n->off);
		return;
	case EN_MEMBER:
	case EN_OPTMEMBER:
		assure_buf_puts(b, n->kind == EN_MEMBER ? "(. " : "(?. ");
		expr_dump(b, n->kids[0], src);
		assure_buf_printf(b, " %s)", n->name);
		return;
	case EN_LAMBDA:
		assure_buf_printf(b, "(-> %s ", n->name);
		expr_dump(b, n->kids[0], src);
		assure_buf_putc(b, ')');
		return;
	case EN_CALL:
		assure_buf_printf(b, "(%s", n->name);
		break;
	default:
		assure_buf_printf(b, "(%s", dump_ops[n->kind]);
		break;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		assure_buf_putc(b, ' ');
		expr_dump(b, n->kids[i], src);
	}
	assure_buf_putc(b, ')');
}
