/*
 * diag.h: diagnostics about problems in rule files and returns.
 *
 * Diagnostics are collected, not returned as errors, so that a lint or a check
 * reports every problem, not only the first. Each one names the file, the place
 * (line and column, 1-based, columns counted in characters) and, for rule files,
 * the rule id and field; when the problem is inside an expression the excerpt and
 * caret show the expression text with a caret under the column.
 *
 * An assure_diags owns all its entries and their strings.
 */
#ifndef ASSURE_DIAG_H
#define ASSURE_DIAG_H

#include <stddef.h>

typedef struct assure_diag {
	char *file;      /* path of the file the problem is in */
	int line;        /* 1-based line in the file, 0 if unknown */
	int column;      /* 1-based column in the file, 0 if unknown */
	char *rule_id;   /* rule the problem is in, or NULL */
	char *field;     /* rule field ("assert", "let.gap", "for_each"), or NULL */
	int expr_column; /* 1-based column inside the field's expression text, 0 if none */
	char *excerpt;   /* the expression text the caret points into, or NULL */
	char *message;   /* lower case, one line */
} assure_diag;

typedef struct assure_diags assure_diags;

int assure_diags_new(assure_diags **out);
void assure_diags_free(assure_diags *d);
/* Adds a diagnostic; string arguments are copied and may be NULL. */
void assure_diags_add(assure_diags *d, const char *file, int line, int column, const char *rule_id,
                      const char *field, int expr_column, const char *excerpt, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* Orders by file, line and column, keeping the order of additions among equals. */
void assure_diags_sort(assure_diags *d);
size_t assure_diags_count(const assure_diags *d);
const assure_diag *assure_diags_get(const assure_diags *d, size_t i);
/*
 * Render one diagnostic as text:
 *   rules/finance.json:12:17: error: FIN-001 assert: unexpected ')' (column 22)
 *       @.forecast.outturn < )
 *                            ^
 * Caller frees.
 */
char *assure_diag_format(const assure_diag *d);

#endif
