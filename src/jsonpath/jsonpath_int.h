/*
 * jsonpath_int.h: the parse tree of an RFC 9535 query and the interfaces between the
 * scanner (lex.c), parser (parse.c), function table (functions.c) and evaluator (eval.c).
 *
 * A query is checked completely when it is parsed, including the RFC's well-typedness
 * rules for function extensions, so evaluation never meets a malformed tree. Every
 * node owns its children; jp_query_free and jp_expr_free release a whole tree.
 */
#ifndef ASSURE_JSONPATH_INT_H
#define ASSURE_JSONPATH_INT_H

#include "assure/buf.h"
#include "assure/decimal.h"
#include "assure/jsonpath.h"
#include "assure/regex.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* I-JSON's exact integer range (RFC 7493), which RFC 9535 imposes on indices and slices. */
#define JP_INT_MAX ((int64_t)9007199254740991)
#define JP_INT_MIN (-JP_INT_MAX)

/* Nesting of filters and parentheses, so that a hostile query cannot exhaust the stack. */
#define JP_MAX_DEPTH 64

/* ---- parse tree ---- */

typedef enum {
	JP_SEL_NAME,     /* 'name' or .name */
	JP_SEL_WILDCARD, /* * */
	JP_SEL_INDEX,    /* 3 or -1 */
	JP_SEL_SLICE,    /* start:end:step */
	JP_SEL_FILTER,   /* ?expr */
} jp_sel_kind;

typedef struct jp_expr jp_expr;

typedef struct jp_selector {
	jp_sel_kind kind; /* which member of u is set */
	union {
		struct {
			char *str;  /* owned, decoded, may contain NUL */
			size_t len; /* bytes in str */
		} name;
		int64_t index; /* within JP_INT_MIN..JP_INT_MAX */
		struct {
			bool has_start, has_end; /* omitted bounds default by the sign of step */
			int64_t start, end;      /* as written */
			int64_t step;            /* 1 when omitted */
		} slice;
		jp_expr *filter; /* owned logical expression */
	} u;
	/*
	 * A filter that reads nothing but '@' (no '$'): whether each child that is an object or
	 * array passes, by the child's identity (assure/idmap.h), so a group's thousand returns
	 * are not tested again each time one of them changed. Owned, or NULL.
	 */
	struct assure_idmap *passes;
} jp_selector;

typedef struct jp_segment {
	bool descendant;   /* ".." segment: applies to the node and all its descendants */
	jp_selector *sels; /* owned array */
	size_t nsels;      /* at least one */
} jp_segment;

typedef struct jp_query {
	bool relative;    /* starts with '@' */
	bool singular;    /* only single name or index child segments */
	jp_segment *segs; /* owned array */
	size_t nsegs;     /* may be zero: "$" or "@" alone */
} jp_query;

/* RFC 9535 §2.4.1 declared types of function parameters and results. */
typedef enum {
	JP_TYPE_VALUE,   /* a JSON value or Nothing */
	JP_TYPE_LOGICAL, /* true or false */
	JP_TYPE_NODES,   /* a nodelist */
} jp_type;

typedef enum { JP_CMP_EQ, JP_CMP_NE, JP_CMP_LT, JP_CMP_LE, JP_CMP_GT, JP_CMP_GE } jp_cmp_op;

typedef enum {
	JP_E_OR,      /* l || r */
	JP_E_AND,     /* l && r */
	JP_E_NOT,     /* !operand */
	JP_E_CMP,     /* l op r between comparables */
	JP_E_QUERY,   /* filter query: existence test, nodelist or singular value by context */
	JP_E_FUNC,    /* function extension call */
	JP_E_LITERAL, /* number, string, true, false, null */
} jp_expr_kind;

typedef struct jp_function jp_function;

struct jp_expr {
	jp_expr_kind kind; /* which member of u is set */
	size_t offset;     /* byte offset of the expression in the query text, for messages */
	bool paren;        /* written in parentheses: then it is a logical-expr, never a comparable */
	union {
		struct {
			jp_expr *l, *r; /* owned operands */
		} bin;                  /* JP_E_OR, JP_E_AND */
		struct {
			jp_cmp_op op;
			jp_expr *l, *r; /* owned comparables */
		} cmp;
		jp_expr * not ;  /* owned operand */
		jp_query *query; /* owned */
		struct {
			const jp_function *fn; /* static table entry */
			jp_expr **args;        /* owned array of owned arguments */
			size_t nargs;          /* equals fn->nparams after parsing */
			assure_regex *re; /* owned: match()/search() with a literal pattern, compiled once */
			bool re_bad;      /* the literal pattern is not an I-Regexp: never matches */
		} func;
		struct {
			json_t *json;   /* owned; for numbers a real or integer approximation, unused */
			bool is_number; /* compare through num, never through json */
			assure_dec num; /* exact value of a number literal */
		} lit;
	} u;
};

/* The public handle: a parsed query and the text it came from. */
struct assure_jsonpath {
	jp_query *q; /* owned */
	char *text;  /* owned copy of the query text, NUL-terminated */
};

void jp_query_free(jp_query *q);
void jp_expr_free(jp_expr *e);

/* ---- scanner (lex.c) ---- */

/*
 * Cursor over the query text. Errors set msg and err_pos once; the first one wins,
 * which is the one nearest the start of the problem.
 */
typedef struct jp_lexer {
	const char *src; /* query text, not NUL-terminated */
	size_t len;      /* bytes in src */
	size_t pos;      /* next byte */
	size_t err_pos;  /* where the first error is */
	char msg[160];   /* the first error, "" while there is none */
	int depth;       /* current nesting of filters and parentheses */
} jp_lexer;

bool jp_fail_at(jp_lexer *lx, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Byte at pos + ahead (0..255), or -1 past the end. */
int jp_peek(const jp_lexer *lx, size_t ahead);
/* Skip RFC 9535 blank space: space, tab, LF, CR. Returns true when any was skipped. */
bool jp_skip_blank(jp_lexer *lx);
/* A printable description of the character at pos, for messages: "'x'", "end of query". */
const char *jp_describe(const jp_lexer *lx, size_t pos, char buf[16]);
/* string-literal, quotes included; the decoded text goes to out. */
bool jp_lex_string(jp_lexer *lx, assure_buf *out);
/* member-name-shorthand at pos; false (no error) when none starts there. */
bool jp_lex_member_name(jp_lexer *lx, assure_buf *out);
/* int as an index or slice bound: no leading zero, no "-0", within I-JSON's range. */
bool jp_lex_int(jp_lexer *lx, int64_t *out, const char *what);
/* number literal of a comparison; start and length of its text through the pointers. */
bool jp_lex_number(jp_lexer *lx, size_t *start, size_t *n);
/* function-name or keyword: LCALPHA *( LCALPHA / "_" / DIGIT ); length or 0. */
size_t jp_lex_function_name(jp_lexer *lx);

/* ---- parser (parse.c) ---- */

/*
 * Parse a query at lx->pos. In prefix mode trailing blanks are not consumed and the
 * query ends before anything that cannot start a segment.
 */
jp_query *jp_parse_query(jp_lexer *lx);

/* ---- functions (functions.c) ---- */

typedef struct jp_eval jp_eval;

/* A function argument or result during evaluation. */
typedef struct jp_val {
	jp_type type;          /* which members are set */
	json_t *json;          /* VALUE: owned reference, NULL for Nothing */
	const assure_dec *num; /* VALUE: exact number literal (borrowed from the tree), else NULL */
	bool logical;          /* LOGICAL */
	json_t **nodes;        /* NODES: owned array of borrowed values */
	size_t nnodes;         /* NODES: how many */
} jp_val;

void jp_val_clear(jp_val *v);

struct jp_function {
	const char *name;  /* as written in queries */
	jp_type result;    /* declared result type */
	size_t nparams;    /* exact number of arguments */
	jp_type params[2]; /* declared parameter types */
	/* Compute the result from evaluated arguments; -1 on a regex limit (message set). */
	int (*call)(const jp_expr *call, jp_val *args, jp_val *result);
};

/* The function called name, or NULL. */
const jp_function *jp_function_find(const char *name, size_t len);
/* Compile a literal regex argument of match()/search() once at parse time. */
void jp_function_prepare(jp_expr *call);

/* ---- evaluator (eval.c) ---- */

/*
 * Evaluate q, appending its nodes to out. With track, each node gets its JSON Pointer,
 * starting from current_pointer for a relative query and from "" for an absolute one;
 * without, pointers are NULL (filters need only values). -1 on a regex limit.
 */
int jp_eval_query(const jp_query *q, json_t *root, json_t *current, bool track, const char *current_pointer,
                  assure_nodelist *out);

#endif
