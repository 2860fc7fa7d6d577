/*
 * expr.h: the expression language of rules (docs/rules.md is its reference).
 *
 * An expression is compiled once when its rule loads: names are resolved, JSONPath
 * queries parsed, constant regular expressions compiled. Evaluation is bounded
 * (no loops, no recursion; ASSURE_EXPR_MAX_STEPS) and pure.
 *
 * Evaluation either yields a value or fails with a reason ("@.forecast.outturn is
 * absent", "'abc' is not a number", "division by zero"); the engine turns a failure
 * into an ASSURE-EVAL finding. A failure is not an error of the library: the
 * function returns ASSURE_EXPR_FAIL and the reason, not -1.
 *
 * Ownership: a compiled expression or template owns everything it holds. The
 * evaluation context borrows everything it points to.
 */
#ifndef ASSURE_EXPR_H
#define ASSURE_EXPR_H

#include "assure/value.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASSURE_EXPR_MAX_DEPTH  64        /* nesting of the parse tree */
#define ASSURE_EXPR_MAX_STEPS  1000000ul /* node visits in one evaluation */
#define ASSURE_EXPR_MAX_SOURCE 65536     /* bytes of one expression */

typedef struct assure_expr assure_expr;
typedef struct assure_template assure_template;

/* What a compiled expression reads, so a caller can tell whether a result can be reused. */
enum {
	ASSURE_EXPR_READS_AS_OF = 1 << 0,  /* reads as_of */
	ASSURE_EXPR_READS_OTHERS = 1 << 1, /* reads other files: file_doc() */
	ASSURE_EXPR_READS_FILE = 1 << 2,   /* reads the file path */
};

/*
 * Helpers: named expressions with parameters, defined once for a whole rule set
 * ("agreed(table, ret)": "…") and callable from every expression compiled with them.
 * They cannot call themselves, directly or through others. The table owns their
 * compiled bodies.
 */
typedef struct assure_helpers assure_helpers;

/* What an expression's value depends on (assure_expr_deps). */
enum {
	ASSURE_EXPR_DEP_NODE = 1 << 0, /* the node it is evaluated on: '@', key(), or a let that does */
};

/* Names visible to an expression: let variables defined before it, in order. */
typedef struct assure_expr_names {
	const char *const *lets; /* borrowed */
	size_t count;
	const unsigned *let_deps;      /* ASSURE_EXPR_DEP_* of each let, or NULL (all depend on the node) */
	const assure_helpers *helpers; /* the rule set's helpers, or NULL */
} assure_expr_names;

#define ASSURE_EXPR_NAMES_INIT                                                                               \
	{                                                                                                    \
		NULL, 0, NULL, NULL                                                                          \
	}

assure_helpers *assure_helpers_new(void);
void assure_helpers_free(assure_helpers *h);
/*
 * Declare a helper from its signature, "name(a, b)" (no parameters: "name()"). Returns
 * its index, or -1 with the message and *err_offset (into the signature): not a
 * signature, a parameter named twice, a name already taken by a helper or a built-in.
 */
long assure_helpers_declare(assure_helpers *h, const char *signature, size_t *err_offset);
/*
 * Compile the body of helper i. It may use its parameters, params, as_of, file, '$' and
 * '@' (those of the expression that calls it) and call any declared helper.
 */
int assure_helpers_define(assure_helpers *h, size_t i, const char *body, size_t *err_offset);
/*
 * Once every body is defined (or has failed to compile, its own error): refuse recursion
 * (-1, the message naming the cycle and *which the helper where it was found) and work
 * out what each helper reads.
 */
int assure_helpers_finish(assure_helpers *h, size_t *which);
size_t assure_helpers_count(const assure_helpers *h);
/* Name of helper i as declared ("agreed"). */
const char *assure_helpers_name(const assure_helpers *h, size_t i);
/* Signature of helper i as written ("agreed(table, ret)"). */
const char *assure_helpers_signature(const assure_helpers *h, size_t i);

/* A range of days, both ends included; INT32_MIN and INT32_MAX stand for no bound. */
typedef struct assure_day_range {
	int32_t lo; /* first day */
	int32_t hi; /* last day */
} assure_day_range;

#define ASSURE_DAY_RANGE_ALL ((assure_day_range){INT32_MIN, INT32_MAX})

/* Returned by the evaluators when the expression could not be evaluated. */
#define ASSURE_EXPR_FAIL 1

typedef struct assure_eval_ctx {
	json_t *root;                /* what '$' denotes */
	json_t *current;             /* what '@' denotes */
	const char *current_pointer; /* JSON Pointer of current ("" for the root) */
	json_t *params;              /* the rule set's params object, or NULL */
	int32_t as_of;               /* the reference date (day number) */
	/*
	 * When set, narrowed to the days as_of could have been and every evaluation so far
	 * would have gone the same way: as_of compared with a date that does not depend on it
	 * narrows it to the side of that date it is on; any other use of as_of to the day
	 * itself. A caller evaluating over many nodes starts it at ASSURE_DAY_RANGE_ALL and
	 * may reuse the results on any day inside it (a rule whose result changes only when a
	 * due date passes is not evaluated again every day).
	 */
	assure_day_range *as_of_range;
	const char *file; /* path of the file being evaluated, or NULL in snapshot scope */
	/*
	 * The rule's let variables, indexed as in the names they were compiled with. They
	 * are evaluated lazily, on first use, and memoised in let_values/let_state, so a
	 * let that would fail only matters when the expressions that run need it. The
	 * caller zeroes let_state (0 = not yet evaluated) for each node and clears
	 * let_values afterwards; a let's failure is memoised too (its reason is re-made).
	 */
	assure_expr *const *let_exprs; /* borrowed */
	assure_value *let_values;      /* let_count values, owned by the caller */
	unsigned char *let_state;      /* let_count states, owned by the caller */
	size_t let_count;
	/*
	 * Another return of the same snapshot by path: 0 with *doc set (borrowed; NULL when there
	 * is no such file), or ASSURE_EXPR_FAIL with *why (caller frees) when the file is there
	 * but cannot be read: a rule must not take an unreadable input for an absent one.
	 */
	int (*file_doc)(json_t **doc, const char *path, void *payload, char **why);
	/*
	 * The returns of the snapshot whose kind is `kind` and whose top-level members equal
	 * those of `filter` (a JSON object, borrowed): *out is a new JSON array of
	 * {"path", "doc"} in path order. ASSURE_EXPR_FAIL with *why when a return that could be
	 * one of them cannot be read. NULL: no snapshot to look in (every lookup fails).
	 */
	int (*lookup)(json_t **out, const char *kind, json_t *filter, void *payload, char **why);
	void *payload; /* passed to file_doc and lookup */
	/*
	 * Nonzero: sub-expressions that do not depend on the node (a query of '$', a lookup)
	 * are evaluated once and remembered while epoch stays the same. The caller gives a new
	 * epoch for each document (or group) a rule is evaluated on; 0 remembers nothing.
	 */
	unsigned long epoch;
	/*
	 * Told of every remembered value (above) as it is used: ASSURE_MEMO_BEGIN before it is
	 * worked out, ASSURE_MEMO_END after (val and why as kept: why is set when it failed;
	 * kept is false when it is not remembered and will be worked out again), ASSURE_MEMO_HIT
	 * when a remembered one is used. (expr, slot) names it. So that a caller can tell what
	 * each node's evaluation read, and whether a value it read came out the same. NULL: none.
	 */
	void (*memo)(void *payload, int event, const void *expr, int slot, const assure_value *val,
	             const char *why, bool kept);
} assure_eval_ctx;

enum { ASSURE_MEMO_BEGIN, ASSURE_MEMO_END, ASSURE_MEMO_HIT };

/*
 * Compile `src`. On a syntax or name error returns -1, sets *err_offset to the 0-based
 * byte offset of the problem in src, and the message in assure_error_last()
 * ("unknown function 'sume'", "expected ')'", "invalid regular expression: ...").
 */
int assure_expr_compile(assure_expr **out, const char *src, const assure_expr_names *names,
                        size_t *err_offset);
void assure_expr_free(assure_expr *e);
/* ASSURE_EXPR_READS_* flags. */
unsigned assure_expr_reads(const assure_expr *e);
/* ASSURE_EXPR_DEP_* flags of the whole expression. */
unsigned assure_expr_deps(const assure_expr *e);
const char *assure_expr_source(const assure_expr *e);

/*
 * Evaluate. Returns 0 with *out set, ASSURE_EXPR_FAIL with *why set (caller frees)
 * when the expression cannot be evaluated, or -1 on an internal error.
 */
int assure_expr_eval(assure_value *out, const assure_expr *x, const assure_eval_ctx *ctx, char **why);

/*
 * Evaluate the conditions at the start of x's top-level && chain that do not depend on
 * the node (the "$.kind in …" of "$.kind in … && @.x > 0"), once for a whole document.
 * Returns 0 with *holds false when one of them is false, so x is false on every node and
 * the caller need not visit them; 0 with *holds true otherwise; ASSURE_EXPR_FAIL when one
 * fails (the caller evaluates x per node as usual, where the failure is reported); -1.
 */
int assure_expr_guard(const assure_expr *x, const assure_eval_ctx *ctx, bool *holds);

/*
 * A message template: literal text with {expression} parts; "{{" and "}}" are literal
 * braces. err_offset is relative to the template text.
 */
int assure_template_compile(assure_template **out, const char *src, const assure_expr_names *names,
                            size_t *err_offset);
void assure_template_free(assure_template *t);
unsigned assure_template_reads(const assure_template *t);
/* The template's text as written in the rule file. */
const char *assure_template_source(const assure_template *t);
/* Render with values printed by assure_value_to_string(). Same returns as eval. */
int assure_template_render(char **out, const assure_template *t, const assure_eval_ctx *ctx, char **why);

#endif
