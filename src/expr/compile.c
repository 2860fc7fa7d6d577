/*
 * compile.c: from source to a compiled expression, once, when a rule loads.
 *
 * After parsing, every name is resolved (a let becomes its slot, a lambda variable or
 * a helper's parameter its frame slot; as_of, file and params become their own
 * nodes), every call is checked against the function table or the rule set's helpers
 * (unknown function, number of arguments, where a lambda may stand), and regular
 * expressions written as literals are compiled, so that a rule set with a mistake in
 * any of these fails to load with the offset of the mistake, rather than failing on
 * some node later.
 *
 * The resolver also works out what each node depends on (enode.deps, var_mask). A
 * node whose value depends on nothing that changes between the nodes a rule is
 * evaluated on (no '@', no let that reads it, no lambda variable), and that is worth
 * remembering (a call, a query that selects several nodes, a list or object literal),
 * gets a memo slot: it is evaluated once per document, however many nodes use it.
 * That is what keeps "$.actions[*].code" inside a for_each over the actions linear.
 * Helper bodies are not memoised: their value depends on their arguments.
 */
#include "assure/expr.h"

#include "assure/error.h"
#include "expr/expr_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct scope_var {
	const char *name; /* borrowed from the lambda node or the helper */
	size_t slot;      /* frame slot */
} scope_var;

typedef struct resolver {
	const char *src;                /* the expression's source */
	const assure_expr_names *names; /* the lets and helpers it may use, or NULL */
	assure_helper *self;            /* the helper whose body this is, or NULL */
	unsigned reads;                 /* ASSURE_EXPR_READS_* found so far */
	size_t *err_offset;             /* where to report an error */
	scope_var scope[MAX_VARS];      /* variables visible here, innermost last */
	size_t depth;                   /* entries of scope in use */
	size_t nvars;                   /* frame slots handed out */
} resolver;

static int resolve_error(resolver *r, size_t off)
{
	*r->err_offset = off;
	return -1;
}

static const struct {
	const char *name;
	enode_kind kind;
	unsigned reads;
} builtin_names[] = {
    {"as_of", EN_AS_OF, ASSURE_EXPR_READS_AS_OF},
    {"file", EN_FILE, ASSURE_EXPR_READS_FILE},
    {"params", EN_PARAMS, 0},
};

static bool is_builtin_name(const char *name)
{
	for (size_t i = 0; i < sizeof(builtin_names) / sizeof(builtin_names[0]); i++)
		if (strcmp(name, builtin_names[i].name) == 0)
			return true;
	return false;
}

static long find_let(const resolver *r, const char *name)
{
	/* the latest definition wins, as each let sees those before it */
	for (size_t i = r->names ? r->names->count : 0; i-- > 0;)
		if (r->names->lets[i] && strcmp(r->names->lets[i], name) == 0)
			return (long)i;
	return -1;
}

static const scope_var *find_var(const resolver *r, const char *name)
{
	for (size_t i = r->depth; i-- > 0;)
		if (strcmp(r->scope[i].name, name) == 0)
			return &r->scope[i];
	return NULL;
}

static int resolve_name(resolver *r, enode *n)
{
	const scope_var *v = find_var(r, n->name);
	if (v) {
		n->kind = EN_VAR;
		n->slot = v->slot;
		n->var_mask = 1u << v->slot;
		return 0;
	}
	for (size_t i = 0; i < sizeof(builtin_names) / sizeof(builtin_names[0]); i++) {
		if (strcmp(n->name, builtin_names[i].name) == 0) {
			n->kind = builtin_names[i].kind;
			r->reads |= builtin_names[i].reads;
			return 0;
		}
	}
	long i = find_let(r, n->name);
	if (i >= 0) {
		n->kind = EN_LET;
		n->slot = (size_t)i;
		bool node = !r->names->let_deps || (r->names->let_deps[i] & ASSURE_EXPR_DEP_NODE);
		n->deps = node ? DEP_NODE : 0;
		return 0;
	}
	assure_error_set("unknown name '%s'", n->name);
	return resolve_error(r, n->off);
}

static int arity_error(resolver *r, const enode *n, const char *name, unsigned min, unsigned max)
{
	char want[64];
	if (max == FN_VARIADIC)
		snprintf(want, sizeof(want), "at least %u argument%s", min, min == 1 ? "" : "s");
	else if (min == max)
		snprintf(want, sizeof(want), "%u argument%s", min, min == 1 ? "" : "s");
	else
		snprintf(want, sizeof(want), "%u or %u arguments", min, max);
	assure_error_set("%s() takes %s, not %zu", name, want, n->nkids);
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

static const assure_helper *find_helper(const resolver *r, const char *name, size_t *index)
{
	const assure_helpers *h = r->names ? r->names->helpers : NULL;
	for (size_t i = 0; h && i < h->count; i++) {
		if (strcmp(h->items[i]->name, name) == 0) {
			*index = i;
			return h->items[i];
		}
	}
	return NULL;
}

/* Whether kid i of call n is evaluated once per item (its '@' is the item, not the node). */
static bool is_body(const enode *n, size_t i)
{
	return n->kind == EN_CALL && n->fn && (n->fn->flags & FN_BODY) && i == 1 && n->nkids == 2 &&
	       (n->kids[1]->kind == EN_LAMBDA || (n->fn->flags & FN_IMPLICIT));
}

static int resolve(resolver *r, enode *n);

static void item_result_drop(void *payload)
{
	item_result *r = payload;
	assure_value_clear(&r->val);
	for (size_t i = 0; i < r->nlets; i++)
		assure_value_clear(&r->lets[i]);
	free(r->lets);
	r->lets = NULL;
	r->nlets = 0;
}

/*
 * Whether n reads anything besides the lambda variables, params and lets: then it cannot be
 * remembered by item. The lets it reads are added to lam's item_lets.
 */
static bool reads_context(const enode *n, enode *lam)
{
	switch (n->kind) {
	case EN_LET:
		for (size_t i = 0; i < lam->nitem_lets; i++)
			if (lam->item_lets[i] == n->slot)
				return false;
		lam->item_lets = assure_xrealloc(lam->item_lets, (lam->nitem_lets + 1) * sizeof(size_t));
		lam->item_lets[lam->nitem_lets++] = n->slot;
		return false;
	case EN_QUERY:
	case EN_AS_OF:
	case EN_FILE:
		return true;
	case EN_CALL:
		if (!n->fn || (n->fn->flags & (FN_READS_OTHERS | FN_AT)))
			return true;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n->nkids; i++)
		if (reads_context(n->kids[i], lam))
			return true;
	return false;
}

static int resolve_lambda(resolver *r, enode *n)
{
	if (find_var(r, n->name) || find_let(r, n->name) >= 0 || is_builtin_name(n->name)) {
		assure_error_set("'%s' is already a name here: give the item another name", n->name);
		return resolve_error(r, n->off);
	}
	if (r->depth == MAX_VARS || r->nvars == MAX_VARS) {
		assure_error_set("more than %d named items in one expression", MAX_VARS);
		return resolve_error(r, n->off);
	}
	n->slot = r->nvars++;
	r->scope[r->depth].name = n->name;
	r->scope[r->depth].slot = n->slot;
	r->depth++;
	int rc = resolve(r, n->kids[0]);
	r->depth--;
	if (rc == 0) {
		n->deps = n->kids[0]->deps;
		n->var_mask = n->kids[0]->var_mask & ~(1u << n->slot);
		/*
		 * Only lets that do not read the node: one that does (field() of FIN-003) takes another
		 * value on each node, and each item's result would be made again and replaced on each.
		 */
		if (n->deps == 0 && n->var_mask == 0 && !reads_context(n->kids[0], n))
			n->item_memo = assure_idmap_new(sizeof(item_result), item_result_drop);
		if (!n->item_memo) {
			free(n->item_lets);
			n->item_lets = NULL;
			n->nitem_lets = 0;
		}
	}
	return rc;
}

/* The arguments of a call, before its name is checked, so that a misspelt name is reported where it is. */
static int resolve_args(resolver *r, enode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		enode *k = n->kids[i];
		if (k->kind == EN_LAMBDA && !n->fn && !n->helper) {
			assure_error_set("unknown function '%s'", n->name);
			return resolve_error(r, n->off);
		}
		if (k->kind == EN_LAMBDA && !is_body(n, i)) {
			assure_error_set("'%s -> ...' names the item of a list: it can only be the second "
			                 "argument of a function that goes through one, such as map()",
			                 k->name);
			return resolve_error(r, k->off);
		}
		if ((k->kind == EN_LAMBDA ? resolve_lambda(r, k) : resolve(r, k)) != 0)
			return -1;
		unsigned d = k->deps;
		if (is_body(n, i) && k->kind != EN_LAMBDA)
			d &= ~(unsigned)DEP_AT; /* its '@' is each item */
		n->deps |= d;
		n->var_mask |= k->var_mask;
	}
	return 0;
}

static int resolve_call(resolver *r, enode *n)
{
	size_t hi = 0;
	n->fn = fn_lookup(n->name);
	if (!n->fn)
		n->helper = find_helper(r, n->name, &hi);
	if (resolve_args(r, n) != 0)
		return -1;
	if (!n->fn) {
		if (!n->helper) {
			assure_error_set("unknown function '%s'", n->name);
			return resolve_error(r, n->off);
		}
		if (n->nkids != n->helper->nparams)
			return arity_error(r, n, n->name, (unsigned)n->helper->nparams,
			                   (unsigned)n->helper->nparams);
		if (r->self) {
			r->self->calls =
			    assure_xrealloc(r->self->calls, (r->self->ncalls + 1) * sizeof(size_t));
			r->self->calls[r->self->ncalls++] = hi;
		} else {
			/* a rule's expression is compiled after assure_helpers_finish: the closure is known
			 */
			r->reads |= n->helper->reads;
			n->deps |= n->helper->deps;
		}
	} else if (n->nkids < n->fn->min_args ||
	           (n->fn->max_args != FN_VARIADIC && n->nkids > n->fn->max_args)) {
		return arity_error(r, n, n->fn->name, n->fn->min_args, n->fn->max_args);
	}
	if (!n->fn)
		return 0;
	if (n->fn->flags & FN_AT)
		n->deps |= DEP_AT;
	if (n->fn->flags & FN_READS_OTHERS)
		r->reads |= ASSURE_EXPR_READS_OTHERS;
	if (n->fn->flags & FN_REGEX)
		return compile_regex(r, n);
	return 0;
}

static int resolve(resolver *r, enode *n)
{
	switch (n->kind) {
	case EN_LAMBDA:
		assure_error_set("'%s -> ...' names the item of a list: it can only be the second argument "
		                 "of a function that goes through one, such as map()",
		                 n->name);
		return resolve_error(r, n->off);
	case EN_NAME:
		return resolve_name(r, n);
	case EN_CALL:
		return resolve_call(r, n);
	case EN_QUERY:
		if (assure_jsonpath_is_relative(n->query))
			n->deps = DEP_AT;
		return 0;
	default:
		break;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		if (resolve(r, n->kids[i]) != 0)
			return -1;
		n->deps |= n->kids[i]->deps;
		n->var_mask |= n->kids[i]->var_mask;
	}
	return 0;
}

/* Whether remembering n saves work: it holds a call, a multi-node query or a literal list or object. */
static bool worth_remembering(const enode *n)
{
	if (n->kind == EN_CALL || n->kind == EN_LIST || n->kind == EN_OBJECT)
		return true;
	if (n->kind == EN_QUERY)
		return !assure_jsonpath_is_singular(n->query);
	for (size_t i = 0; i < n->nkids; i++)
		if (worth_remembering(n->kids[i]))
			return true;
	return false;
}

/* Give a memo slot to each largest subtree that depends on nothing that changes per node. */
static void assign_memos(assure_expr *e, enode *n);

/*
 * Inside a remembered subtree, the bodies evaluated once per item still run once per item
 * while the subtree is computed: what in them depends on nothing per item is remembered too
 * (the count($.xs[*]) of map($.xs[*], o -> o * count($.xs[*]))).
 */
static void assign_memos_in_bodies(assure_expr *e, enode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		enode *k = n->kids[i];
		if (is_body(n, i))
			assign_memos(e, k->kind == EN_LAMBDA ? k->kids[0] : k);
		else
			assign_memos_in_bodies(e, k);
	}
}

static void assign_memos(assure_expr *e, enode *n)
{
	if (n->kind != EN_LAMBDA && n->deps == 0 && n->var_mask == 0 && worth_remembering(n)) {
		n->memo = (int)e->nmemo++;
		assign_memos_in_bodies(e, n);
		return;
	}
	for (size_t i = 0; i < n->nkids; i++)
		assign_memos(e, n->kids[i]);
}

static bool has_memo(const enode *n)
{
	if (n->memo >= 0)
		return true;
	for (size_t i = 0; i < n->nkids; i++)
		if (has_memo(n->kids[i]))
			return true;
	return false;
}

/*
 * A body that reads lets and holds a remembered value (max(months) in r -> r.x == max(months))
 * is not remembered by item: what a node reads is told as each remembered value is used (the
 * engine keeps a node's findings while those stay the same), and a result taken from the item
 * memo would not tell it.
 */
static void drop_let_memos(enode *n)
{
	if (n->kind == EN_LAMBDA && n->nitem_lets && has_memo(n->kids[0])) {
		assure_idmap_free(n->item_memo);
		n->item_memo = NULL;
		free(n->item_lets);
		n->item_lets = NULL;
		n->nitem_lets = 0;
	}
	for (size_t i = 0; i < n->nkids; i++)
		drop_let_memos(n->kids[i]);
}

static int compile_tree(assure_expr **out, const char *src, size_t len, bool in_template,
                        const assure_expr_names *names, assure_helper *self, size_t *consumed,
                        size_t *err_offset)
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
	resolver r = {.src = e->src, .names = names, .self = self, .err_offset = err_offset};
	if (self) {
		for (size_t i = 0; i < self->nparams; i++) {
			r.scope[i].name = self->params[i];
			r.scope[i].slot = i;
		}
		r.depth = r.nvars = self->nparams;
	}
	if (resolve(&r, root) != 0) {
		assure_expr_free(e);
		return -1;
	}
	e->reads = r.reads;
	e->nvars = r.nvars;
	if (!self) {
		assign_memos(e, root);
		drop_let_memos(root);
		e->memo = assure_xcalloc(e->nmemo + 1, sizeof(memo_entry));
	}
	if (consumed)
		*consumed = used;
	*out = e;
	return 0;
}

int expr_compile_part(assure_expr **out, const char *src, size_t len, bool in_template,
                      const assure_expr_names *names, size_t *consumed, size_t *err_offset)
{
	return compile_tree(out, src, len, in_template, names, NULL, consumed, err_offset);
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
	for (size_t i = 0; i < e->nmemo; i++) {
		assure_value_clear(&e->memo[i].val);
		free(e->memo[i].why);
	}
	free(e->memo);
	free(e->src);
	free(e);
}

unsigned assure_expr_reads(const assure_expr *e)
{
	return e->reads;
}

unsigned assure_expr_deps(const assure_expr *e)
{
	return (e->root->deps & (DEP_AT | DEP_NODE)) ? ASSURE_EXPR_DEP_NODE : 0;
}

const char *assure_expr_source(const assure_expr *e)
{
	return e->src;
}

/* ---- helpers ---- */

assure_helpers *assure_helpers_new(void)
{
	return assure_xcalloc(1, sizeof(assure_helpers));
}

void assure_helpers_free(assure_helpers *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->count; i++) {
		assure_helper *x = h->items[i];
		free(x->name);
		free(x->signature);
		for (size_t k = 0; k < x->nparams; k++)
			free(x->params[k]);
		free(x->params);
		assure_expr_free(x->body);
		free(x->calls);
		free(x);
	}
	free(h->items);
	free(h);
}

size_t assure_helpers_count(const assure_helpers *h)
{
	return h ? h->count : 0;
}

const char *assure_helpers_name(const assure_helpers *h, size_t i)
{
	return h->items[i]->name;
}

const char *assure_helpers_signature(const assure_helpers *h, size_t i)
{
	return h->items[i]->signature;
}

static bool ident_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static size_t skip_blank(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return i;
}

/* An identifier at s[*i], copied; NULL with the message when there is none. */
static char *read_ident(const char *s, size_t *i, const char *what)
{
	if (!ident_start(s[*i])) {
		assure_error_set("expected %s", what);
		return NULL;
	}
	size_t start = *i;
	while (ident_char(s[*i]))
		(*i)++;
	return assure_xstrndup(s + start, *i - start);
}

static void helper_free_partial(assure_helper *x)
{
	free(x->name);
	free(x->signature);
	for (size_t k = 0; k < x->nparams; k++)
		free(x->params[k]);
	free(x->params);
	free(x);
}

long assure_helpers_declare(assure_helpers *h, const char *sig, size_t *err_offset)
{
	size_t dummy, i = skip_blank(sig, 0);
	if (!err_offset)
		err_offset = &dummy;
	assure_helper *x = assure_xcalloc(1, sizeof(*x));
	x->signature = assure_xstrdup(sig);
	x->params = assure_xcalloc(MAX_VARS + 1, sizeof(char *));
	*err_offset = i;
	if (!(x->name = read_ident(sig, &i, "a helper name, as in 'name(a, b)'")))
		goto fail;
	static const char *const reserved[] = {"true", "false", "null", "in", "as_of", "file", "params"};
	for (size_t k = 0; k < sizeof(reserved) / sizeof(reserved[0]); k++) {
		if (strcmp(x->name, reserved[k]) == 0) {
			assure_error_set("'%s' cannot be a helper name", x->name);
			goto fail;
		}
	}
	if (fn_lookup(x->name)) {
		assure_error_set("'%s' is a built-in function", x->name);
		goto fail;
	}
	for (size_t k = 0; k < h->count; k++) {
		if (strcmp(h->items[k]->name, x->name) == 0) {
			assure_error_set("helper '%s' is already defined", x->name);
			goto fail;
		}
	}
	i = skip_blank(sig, i);
	*err_offset = i;
	if (sig[i] != '(') {
		assure_error_set("expected '(' after the helper name, as in '%s(a, b)'", x->name);
		goto fail;
	}
	i = skip_blank(sig, i + 1);
	while (sig[i] != ')') {
		*err_offset = i;
		if (x->nparams == MAX_VARS) {
			assure_error_set("a helper takes at most %d parameters", MAX_VARS);
			goto fail;
		}
		char *p = read_ident(sig, &i, "a parameter name or ')'");
		if (!p)
			goto fail;
		bool taken = is_builtin_name(p) || strcmp(p, "true") == 0 || strcmp(p, "false") == 0 ||
		             strcmp(p, "null") == 0 || strcmp(p, "in") == 0;
		for (size_t k = 0; k < x->nparams; k++)
			taken |= strcmp(x->params[k], p) == 0;
		if (taken) {
			assure_error_set("'%s' cannot be a parameter name here", p);
			free(p);
			goto fail;
		}
		x->params[x->nparams++] = p;
		i = skip_blank(sig, i);
		if (sig[i] == ',')
			i = skip_blank(sig, i + 1);
		else if (sig[i] != ')') {
			*err_offset = i;
			assure_error_set("expected ',' or ')' in the helper's parameters");
			goto fail;
		}
	}
	i = skip_blank(sig, i + 1);
	if (sig[i]) {
		*err_offset = i;
		assure_error_set("unexpected text after the helper's parameters");
		goto fail;
	}
	h->items = assure_xrealloc(h->items, (h->count + 1) * sizeof(assure_helper *));
	h->items[h->count] = x;
	return (long)h->count++;
fail:
	helper_free_partial(x);
	return -1;
}

int assure_helpers_define(assure_helpers *h, size_t i, const char *body, size_t *err_offset)
{
	assure_helper *x = h->items[i];
	assure_expr_names names = {NULL, 0, NULL, h};
	assure_expr *e = NULL;
	if (compile_tree(&e, body, strlen(body), false, &names, x, NULL, err_offset) != 0)
		return -1;
	assure_expr_free(x->body);
	x->body = e;
	/*
	 * compile_tree sets e when it returns 0; the analyzer does not see that assure_error_set
	 * (error.c), on its other paths, never returns 0.
	 */
	x->reads = e->reads; /* NOLINT(clang-analyzer-core.NullDereference) */
	x->deps = e->root->deps & DEP_AT;
	return 0;
}

enum { MARK_NONE, MARK_VISITING, MARK_DONE };

/* Depth-first over the calls: a helper met again while visiting is a cycle. */
static int close_helper(assure_helpers *h, size_t i, size_t *which)
{
	assure_helper *x = h->items[i];
	if (x->mark == MARK_DONE)
		return 0;
	if (x->mark == MARK_VISITING) {
		*which = i;
		return assure_error_set("helper '%s' calls itself (helpers cannot be recursive)", x->name);
	}
	x->mark = MARK_VISITING;
	for (size_t k = 0; k < x->ncalls; k++) {
		if (close_helper(h, x->calls[k], which) != 0) {
			x->mark = MARK_NONE;
			return -1;
		}
		x->reads |= h->items[x->calls[k]]->reads;
		x->deps |= h->items[x->calls[k]]->deps;
	}
	x->mark = MARK_DONE;
	return 0;
}

int assure_helpers_finish(assure_helpers *h, size_t *which)
{
	size_t dummy;
	if (!which)
		which = &dummy;
	for (size_t i = 0; i < h->count; i++)
		h->items[i]->mark = MARK_NONE;
	/* a helper whose body did not compile has its own load error: it is no cycle, nor a second error */
	for (size_t i = 0; i < h->count; i++)
		if (close_helper(h, i, which) != 0)
			return -1;
	return 0;
}
