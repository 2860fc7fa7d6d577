/*
 * compile.c: from source to a compiled expression, once, when a rule loads.
 *
 * After parsing, every name is resolved (a let becomes its slot; as_of, file and
 * params become their own nodes), every call is checked against the function table
 * (unknown function, number of arguments), and regular expressions written as
 * literals are compiled, so that a rule set with a mistake in any of these fails to
 * load with the offset of the mistake, rather than failing on some node later.
 */
#include "assure/expr.h"

#include "assure/error.h"
#include "expr/expr_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct resolver {
	const char *src;                /* the expression's source */
	const assure_expr_names *names; /* the lets it may use, or NULL */
	unsigned reads;                 /* ASSURE_EXPR_READS_* found so far */
	size_t *err_offset;             /* where to report an error */
} resolver;

static int resolve_error(resolver *r, size_t off)
{
	*r->err_offset = off;
	return -1;
}

static int resolve_name(resolver *r, enode *n)
{
	static const struct {
		const char *name;
		enode_kind kind;
		unsigned reads;
	} builtins[] = {
	    {"as_of", EN_AS_OF, ASSURE_EXPR_READS_AS_OF},
	    {"file", EN_FILE, ASSURE_EXPR_READS_FILE},
	    {"params", EN_PARAMS, 0},
	};
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(n->name, builtins[i].name) == 0) {
			n->kind = builtins[i].kind;
			r->reads |= builtins[i].reads;
			return 0;
		}
	}
	/* the latest definition wins, as each let sees those before it */
	for (size_t i = r->names ? r->names->count : 0; i-- > 0;) {
		if (r->names->lets[i] && strcmp(r->names->lets[i], n->name) == 0) {
			n->kind = EN_LET;
			n->slot = i;
			return 0;
		}
	}
	assure_error_set("unknown name '%s'", n->name);
	return resolve_error(r, n->off);
}

static int arity_error(resolver *r, const enode *n)
{
	const fn_def *f = n->fn;
	char want[64];
	if (f->max_args == FN_VARIADIC)
		snprintf(want, sizeof(want), "at least %u argument%s", f->min_args,
		         f->min_args == 1 ? "" : "s");
	else if (f->min_args == f->max_args)
		snprintf(want, sizeof(want), "%u argument%s", f->min_args, f->min_args == 1 ? "" : "s");
	else
		snprintf(want, sizeof(want), "%u or %u arguments", f->min_args, f->max_args);
	assure_error_set("%s() takes %s, not %zu", f->name, want, n->nkids);
	return resolve_error(r, n->off);
}

/* A literal pattern is compiled now; an error points into the literal. */
static int compile_regex(resolver *r, enode *n)
{
	const enode *pat = n->kids[1];
	if (pat->kind != EN_CONST || pat->val.kind != ASSURE_VAL_STRING) {
		n->re_cache = re_cache_new();
		return 0;
	}
	size_t eoff = 0;
	int flags = (n->fn->flags & FN_REGEX_FULL) ? ASSURE_REGEX_FULL : 0;
	if (assure_regex_new(&n->re, pat->val.u.str, flags, &eoff) != 0) {
		char *msg = assure_xstrdup(assure_error_last());
		assure_error_set("invalid regular expression: %s", msg);
		free(msg);
		return resolve_error(r, lexer_string_source_offset(r->src, pat->off, eoff));
	}
	return 0;
}

static int resolve(resolver *r, enode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (resolve(r, n->kids[i]) != 0)
			return -1;
	if (n->kind == EN_NAME)
		return resolve_name(r, n);
	if (n->kind != EN_CALL)
		return 0;
	n->fn = fn_lookup(n->name);
	if (!n->fn) {
		assure_error_set("unknown function '%s'", n->name);
		return resolve_error(r, n->off);
	}
	if (n->nkids < n->fn->min_args || (n->fn->max_args != FN_VARIADIC && n->nkids > n->fn->max_args))
		return arity_error(r, n);
	if (n->fn->flags & FN_READS_OTHERS)
		r->reads |= ASSURE_EXPR_READS_OTHERS;
	if (n->fn->flags & FN_REGEX)
		return compile_regex(r, n);
	return 0;
}

int expr_compile_part(assure_expr **out, const char *src, size_t len, bool in_template,
                      const assure_expr_names *names, size_t *consumed, size_t *err_offset)
{
	size_t dummy_off = 0, used = len;
	if (!err_offset)
		err_offset = &dummy_off;
	*out = NULL;
	if (len > ASSURE_EXPR_MAX_SOURCE && !in_template) {
		*err_offset = ASSURE_EXPR_MAX_SOURCE;
		return assure_error_set("expression longer than %d bytes", ASSURE_EXPR_MAX_SOURCE);
	}
	enode *root = expr_parse(src, len, in_template, &used, err_offset);
	if (!root)
		return -1;
	if (in_template && used > ASSURE_EXPR_MAX_SOURCE) {
		enode_free(root);
		*err_offset = ASSURE_EXPR_MAX_SOURCE;
		return assure_error_set("expression longer than %d bytes", ASSURE_EXPR_MAX_SOURCE);
	}
	assure_expr *e = assure_xcalloc(1, sizeof(*e));
	e->src = assure_xstrndup(src, used);
	e->root = root;
	resolver r = {.src = e->src, .names = names, .err_offset = err_offset};
	if (resolve(&r, root) != 0) {
		assure_expr_free(e);
		return -1;
	}
	e->reads = r.reads;
	if (consumed)
		*consumed = used;
	*out = e;
	return 0;
}

int assure_expr_compile(assure_expr **out, const char *src, const assure_expr_names *names,
                        size_t *err_offset)
{
	return expr_compile_part(out, src, strlen(src), false, names, NULL, err_offset);
}

void assure_expr_free(assure_expr *e)
{
	if (!e)
		return;
	enode_free(e->root);
	free(e->src);
	free(e);
}

unsigned assure_expr_reads(const assure_expr *e)
{
	return e->reads;
}

const char *assure_expr_source(const assure_expr *e)
{
	return e->src;
}
