/*
 * expr_int.h: the interfaces between the stages of the expression language.
 *
 *   lexer.c     source text -> tokens (pulled one at a time; the parser re-seeks it
 *               after each embedded JSONPath query, whose length only jsonpath.h knows)
 *   parser.c    tokens -> parse tree (enode), one function per precedence level
 *   compile.c   names and functions resolved, constant regexes compiled, limits checked:
 *               assure_expr_compile() and the rest of the assure_expr_* API
 *   eval.c      parse tree + assure_eval_ctx -> value or failure reason
 *   functions.c the static const table of built-in functions
 *   template.c  message templates, "text {expr} text"
 *   value.c     the values themselves (value.h)
 *
 * Ownership: every enode owns its children, its literal value, its name, its query,
 * its compiled regex and its regex cache; enode_free() releases a whole tree.
 * Evaluation never changes a tree except for the run-time regex cache of a
 * matches()/search() call, so a compiled expression must not be evaluated by two
 * threads at once.
 */
#ifndef ASSURE_EXPR_INT_H
#define ASSURE_EXPR_INT_H

#include "assure/buf.h"
#include "assure/expr.h"
#include "assure/idmap.h"
#include "assure/jsonpath.h"
#include "assure/regex.h"
#include "assure/value.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- lexer.c ---- */

typedef enum tok_kind {
	TOK_END,      /* end of the source (or of the embedded part of a template) */
	TOK_NUMBER,   /* 12, 20.6, 1e3: text in src[off, end) */
	TOK_STRING,   /* 'text' or "text", decoded into tok.str */
	TOK_IDENT,    /* [A-Za-z_][A-Za-z0-9_]* other than "in" */
	TOK_IN,       /* the keyword in */
	TOK_DOLLAR,   /* $: a JSONPath query starts here */
	TOK_AT,       /* @: a JSONPath query starts here */
	TOK_LPAREN,   /* ( */
	TOK_RPAREN,   /* ) */
	TOK_LBRACKET, /* [ */
	TOK_RBRACKET, /* ] */
	TOK_RBRACE,   /* } (ends an expression inside a template) */
	TOK_COMMA,    /* , */
	TOK_DOT,      /* . */
	TOK_QUESTION, /* ? */
	TOK_COLON,    /* : */
	TOK_PLUS,     /* + */
	TOK_MINUS,    /* - */
	TOK_STAR,     /* * */
	TOK_SLASH,    /* / */
	TOK_NOT,      /* ! */
	TOK_EQ,       /* == */
	TOK_NE,       /* != */
	TOK_LT,       /* < */
	TOK_LE,       /* <= */
	TOK_GT,       /* > */
	TOK_GE,       /* >= */
	TOK_AND,      /* && */
	TOK_OR,       /* || */
	TOK_ARROW,    /* -> (names the item of all, map, ...: o -> o.x) */
	TOK_QDOT,     /* ?. (optional member: null where absent) */
	TOK_QQ,       /* ?? (the right side where the left is absent or null) */
	TOK_LBRACE,   /* { (an object literal) */
} tok_kind;

typedef struct token {
	tok_kind kind; /* what was read */
	size_t off;    /* byte offset of its first character in the source */
	size_t end;    /* byte offset just past it */
	char *str;     /* TOK_STRING: decoded text, owned by the lexer until taken */
} token;

typedef struct lexer {
	const char *src; /* borrowed; need not be NUL-terminated at len */
	size_t len;      /* bytes of src to read */
	size_t pos;      /* next byte to read */
	token tok;       /* the current token (after lexer_next) */
} lexer;

void lexer_init(lexer *lx, const char *src, size_t len);
/* Drop the current token's string (if not taken) and release nothing else. */
void lexer_fini(lexer *lx);
/* Read the next token into lx->tok. Returns 0, or -1 with the message set and *err_offset. */
int lexer_next(lexer *lx, size_t *err_offset);
/* Continue reading at byte `pos` (after an embedded query). */
void lexer_seek(lexer *lx, size_t pos);
/* Name of a token kind for messages: "')'", "a number", "the end". */
const char *lexer_kind_name(tok_kind k);
/*
 * Offset in the source of the byte `decoded` bytes into the decoded text of the string
 * literal that starts (at its quote) at src[lit_off]; used to point at the exact place
 * of an error inside a regular expression literal.
 */
size_t lexer_string_source_offset(const char *src, size_t lit_off, size_t decoded);

/* ---- parser.c: the parse tree ---- */

typedef enum enode_kind {
	EN_CONST,     /* a literal: val */
	EN_LIST,      /* [kids...] */
	EN_QUERY,     /* a JSONPath query: query */
	EN_NAME,      /* an identifier before compile.c resolves it: name */
	EN_LET,       /* a let variable: slot */
	EN_AS_OF,     /* the reference date */
	EN_FILE,      /* the path of the file being evaluated */
	EN_PARAMS,    /* the rule set's params */
	EN_MEMBER,    /* kids[0].name */
	EN_INDEX,     /* kids[0][kids[1]] */
	EN_CALL,      /* name(kids...) */
	EN_NOT,       /* !kids[0] */
	EN_NEG,       /* -kids[0] */
	EN_OR,        /* kids[0] || kids[1] */
	EN_AND,       /* && */
	EN_EQ,        /* == */
	EN_NE,        /* != */
	EN_LT,        /* < */
	EN_LE,        /* <= */
	EN_GT,        /* > */
	EN_GE,        /* >= */
	EN_IN,        /* in */
	EN_ADD,       /* + */
	EN_SUB,       /* - */
	EN_MUL,       /* * */
	EN_DIV,       /* / */
	EN_COND,      /* kids[0] ? kids[1] : kids[2] */
	EN_COALESCE,  /* kids[0] ?? kids[1] */
	EN_OPTMEMBER, /* kids[0]?.name */
	EN_OBJECT,    /* {name: kids[1], ...}: kids alternate key (EN_CONST string) and value */
	EN_LAMBDA,    /* name -> kids[0], an argument of a per-item function; slot is its variable */
	EN_VAR,       /* a named item or a helper's parameter: slot in the frame */
} enode_kind;

struct fn_def;
struct re_cache;

typedef struct enode {
	enode_kind kind;         /* what the node is */
	size_t off;              /* source span [off, end): names the operand in failure reasons */
	size_t end;              /* just past the node's last character */
	size_t op_off;           /* offset of the operator, name or bracket that made the node */
	unsigned depth;          /* height of the subtree (a leaf is 1), bounded by ASSURE_EXPR_MAX_DEPTH */
	struct enode **kids;     /* owned children */
	size_t nkids;            /* number of children */
	assure_value val;        /* EN_CONST: the literal, owned */
	char *name;              /* EN_NAME, EN_MEMBER, EN_CALL: owned */
	assure_jsonpath *query;  /* EN_QUERY: owned */
	size_t slot;             /* EN_LET: index into the names the expression was compiled with;
	                            EN_VAR, EN_LAMBDA: index into the frame of variables */
	const struct fn_def *fn; /* EN_CALL of a built-in: resolved by compile.c */
	const struct assure_helper *helper; /* EN_CALL of a helper (fn is NULL) */
	unsigned deps;                      /* DEP_*: what the node's value depends on (compile.c) */
	unsigned var_mask;                  /* the frame slots (bit i: slot i) its value depends on */
	int memo;                           /* slot in the expression's memo, or -1: see compile.c */
	assure_regex *re;                   /* EN_CALL of matches()/search() with a literal pattern: owned */
	struct re_cache *re_cache;          /* EN_CALL of matches()/search() with a computed pattern: owned */
	struct assure_idmap
	    *item_memo;    /* EN_LAMBDA whose body reads only its item and lets: item_result by item */
	size_t *item_lets; /* EN_LAMBDA with item_memo: the let slots its body reads (owned) */
	size_t nitem_lets;
} enode;

void enode_free(enode *n);

/*
 * What a lambda whose body reads nothing but its item and lets (no query, as_of, file,
 * other variable or other files) gave for an item that is a JSON object or array,
 * remembered by the item's identity (enode.item_memo, assure/idmap.h): "r -> r.doc.kind
 * == 'finance'" is worked out once per return, not again each time a group of a
 * thousand is evaluated after one member changed. Where the body reads lets ("r ->
 * r.doc.month == latest"), the result holds for the lets' values it was worked out with,
 * kept beside it: scalars only, compared exactly. The steps it took are charged again
 * when it is used, so the step limit is met where it was.
 */
typedef struct item_result {
	unsigned long steps; /* evaluation steps the result took */
	assure_value val;    /* the result */
	assure_value *lets;  /* the values of the body's lets (enode.item_lets) it was made with */
	size_t nlets;        /* entries of lets (owned with them) */
} item_result;

/*
 * Parse src[0, len). When in_template is true the expression ends at a '}' token and
 * *consumed is the offset of that '}'; otherwise it ends at the end of src. Returns the
 * tree, or NULL with the message set and *err_offset (relative to src).
 */
enode *expr_parse(const char *src, size_t len, bool in_template, size_t *consumed, size_t *err_offset);
/* An S-expression of the tree, for tests and debugging: "(+ 1 (* 2 3))". */
void expr_dump(assure_buf *b, const enode *n, const char *src);

/* ---- compile.c ---- */

/* What a node's value depends on, besides the document, params, as_of and file (enode.deps). */
enum {
	DEP_AT = 1 << 0,   /* the innermost '@': a relative query, key(), field() */
	DEP_NODE = 1 << 1, /* the rule's node, through a let */
};

/* Lambda variables and helper parameters one expression may have (they index var_mask). */
#define MAX_VARS 32

/* A remembered value of a node that does not depend on the node evaluated (enode.memo). */
typedef struct memo_entry {
	unsigned long epoch; /* the ctx->epoch it was computed in; 0: never */
	int rc;              /* 0 or EV_FAIL */
	assure_value val;    /* when rc == 0 */
	char *why;           /* when rc == EV_FAIL */
} memo_entry;

struct assure_expr {
	char *src;        /* owned copy of the source */
	enode *root;      /* owned tree */
	unsigned reads;   /* ASSURE_EXPR_READS_* */
	size_t nvars;     /* frame slots: lambda variables (and a helper's parameters first) */
	memo_entry *memo; /* nmemo entries, owned; filled as the expression is evaluated */
	size_t nmemo;
};

/* A helper of the rule set (expr.h). */
typedef struct assure_helper {
	char *name;      /* owned */
	char *signature; /* as written, owned */
	char **params;   /* nparams names, owned: frame slots 0 .. nparams-1 of body */
	size_t nparams;
	assure_expr *body; /* owned; NULL until defined */
	unsigned reads;    /* ASSURE_EXPR_READS_* of the body and every helper it calls */
	unsigned deps;     /* DEP_AT when the body, or a helper it calls, reads '@' */
	size_t *calls;     /* indices of the helpers the body calls, owned */
	size_t ncalls;
	unsigned char mark; /* assure_helpers_finish's walk */
} assure_helper;

struct assure_helpers {
	assure_helper **items; /* owned, in declaration order */
	size_t count;
};

/*
 * Compile the expression in src[0, len) (a template part when in_template; see
 * expr_parse). The expression's own source is the text up to *consumed.
 */
int expr_compile_part(assure_expr **out, const char *src, size_t len, bool in_template,
                      const assure_expr_names *names, size_t *consumed, size_t *err_offset);

/* ---- eval.c ---- */

/* What '@' denotes while evaluating: a node of a document, or a value made by the expression. */
typedef struct cur_binding {
	json_t *json;               /* the node (borrowed), or NULL until a native value is converted */
	const char *pointer;        /* JSON Pointer of json, "" when not known */
	const assure_value *native; /* a value of the expression (borrowed), or NULL */
	json_t *made;               /* json made from native for a query, owned by the binding */
	long index;                 /* position in its list when it is an item without a pointer, else -1 */
} cur_binding;

typedef struct ev {
	const assure_eval_ctx *ctx; /* borrowed */
	const assure_expr *x;       /* the expression (or helper body) being evaluated: spans, memo */
	const char *src;            /* its source (spans index it) */
	cur_binding *cur;           /* what '@' denotes now */
	assure_value *frame;        /* x->nvars variables: named items, a helper's arguments */
	unsigned long *steps;       /* shared by an evaluation and the lets it evaluates */
	unsigned let_depth;         /* lets and helpers being evaluated inside one another */
	char *why;                  /* the failure reason, owned, when a function returned EV_FAIL */
	bool as_of_compared;        /* as_of is being read as the operand of a comparison (eval_compare) */
} ev;

/* Internal return codes: 0 ok, EV_FAIL (ev.why set), or -1 (library error, message set). */
#define EV_FAIL ASSURE_EXPR_FAIL

int ev_node(ev *e, const enode *n, assure_value *out);
/* Set the failure reason (printf-style) and return EV_FAIL. */
int ev_fail(ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "<value described> <text>" ("'abc' is not a number"), EV_FAIL. */
int ev_fail_value(ev *e, const assure_value *v, const char *text);
/* "<source of n> is absent", EV_FAIL. */
int ev_fail_absent(ev *e, const enode *n);
/* Evaluate n and fail when it is ABSENT. */
int ev_present(ev *e, const enode *n, assure_value *out);
/* Count one step; EV_FAIL past ASSURE_EXPR_MAX_STEPS. */
int ev_step(ev *e);
/* Describe a value for a reason: like assure_value_describe, cut to a readable length. Caller frees. */
char *ev_describe(const assure_value *v);
/* Type name for reasons and type(): "object" and "array" for JSON. */
const char *ev_type_name(const assure_value *v);

/*
 * True when arg is a query to be taken as its node list: any query but a bare '@'
 * that denotes a value of the expression (an item of a list) rather than a node.
 */
bool ev_is_nodes(const ev *e, const enode *arg);
/* Append the nodes a query selects (ev_is_nodes(arg) must hold). */
int ev_nodes(ev *e, const enode *arg, assure_nodelist *nl);
/* The same, with the nodes' pointers only when asked for (NULL otherwise). */
int ev_nodes_as(ev *e, const enode *arg, bool pointers, assure_nodelist *nl);

/*
 * The items of a function's collection argument: the nodes of a query argument itself
 * (in all, any, filter, map, count, sum, exists), or the items of a list or JSON array.
 */
typedef struct ev_items {
	bool is_nodes;         /* nodes holds them */
	assure_nodelist nodes; /* when is_nodes */
	assure_value holder;   /* the list or JSON array otherwise, owned */
	size_t count;          /* number of items */
} ev_items;

/*
 * The items of arg for a function whose body (NULL without one) goes through them. Returns 0,
 * EV_FAIL ("x is absent", "5 is not a list") or -1. Nodes get their pointers only for a body
 * that binds '@' to each item (not a lambda): a lambda's item is a value.
 */
int ev_items_get(ev *e, const enode *arg, const enode *body, ev_items *it);
void ev_items_clear(ev_items *it);
/* Item i converted to a value. */
int ev_items_value(ev *e, const ev_items *it, size_t i, assure_value *out);
/*
 * Evaluate body for item i: a lambda binds its name to the item and keeps '@'; any other
 * body has '@' bound to the item.
 */
int ev_with_item(ev *e, const ev_items *it, size_t i, const enode *body, assure_value *out);
/* The JSON Pointer of '@' in the document ("" at the root, NULL when '@' is not a node), or its index. */
void ev_current_place(const ev *e, const char **pointer, long *index);

/* a == b with the language's == semantics (kinds differ: unequal). Neither may be ABSENT. */
bool ev_equal(const assure_value *a, const assure_value *b);
/* Order a and b (number, string or date of the same kind); EV_FAIL "cannot compare ...". */
int ev_compare(ev *e, const assure_value *a, const assure_value *b, int *cmp);

/* ---- value.c (private additions to value.h) ---- */

void value_set_null(assure_value *out);
void value_set_dec(assure_value *out, const assure_dec *d);
void value_set_long(assure_value *out, long n);
/* Take ownership of a malloc'd string. */
void value_set_string_owned(assure_value *out, char *s);
/* An empty LIST, to be filled with value_list_push(). */
void value_set_list(assure_value *out);
/* Append by moving `item` into a list made by value_set_list (item is left ABSENT). */
void value_list_push(assure_value *list, assure_value *item);
/*
 * The canonical text of v: values that are == have the same text and others differ
 * (numbers by their exact value, objects whatever their member order, a list like an
 * array with the same items), so values can be hashed by it.
 */
void value_canon(assure_buf *b, const assure_value *v);
/* How many items of a LIST are == v; the list's index is built on the first call. */
size_t value_list_occurrences(const assure_value *list, const assure_value *v);
/* A JSON rendering of v (new reference); numbers that JSON cannot hold exactly fail. */
int value_to_json(json_t **out, const assure_value *v);

/* ---- functions.c ---- */

enum {
	FN_LAZY = 1 << 0,         /* arguments are given unevaluated: the function evaluates them */
	FN_ABSENT_OK = 1 << 1,    /* an ABSENT argument is a value, not a failure */
	FN_REGEX = 1 << 2,        /* argument 2 is a regular expression, compiled at load when literal */
	FN_REGEX_FULL = 1 << 3,   /* ... which must match the whole subject */
	FN_READS_OTHERS = 1 << 4, /* reads other files (ASSURE_EXPR_READS_OTHERS) */
	FN_BODY = 1 << 5,         /* argument 2 may be a lambda over the items of argument 1 */
	FN_IMPLICIT = 1 << 6,     /* ... or an expression with '@' as the item (FN_BODY too) */
	FN_AT = 1 << 7,           /* reads the current node itself (key(), field()) */
};

/* args: the evaluated arguments (NULL for FN_LAZY); call: the call node. */
typedef int (*fn_impl)(ev *e, const enode *call, assure_value *args, assure_value *out);

typedef struct fn_def {
	const char *name;     /* as written in expressions */
	unsigned min_args;    /* fewest arguments */
	unsigned max_args;    /* most arguments; FN_VARIADIC for no limit */
	unsigned flags;       /* FN_* */
	fn_impl impl;         /* the implementation */
	const char *synopsis; /* "round(x, n)": for docs and tests */
} fn_def;

#define FN_VARIADIC 255u

const fn_def *fn_lookup(const char *name);
/* The whole table, for the docs test. */
const fn_def *fn_table(size_t *count);
/* The run-time cache of a matches()/search() call whose pattern is computed. */
struct re_cache *re_cache_new(void);
void re_cache_free(struct re_cache *c);

#endif
