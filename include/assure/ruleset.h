/*
 * ruleset.h: loading a rule set (JSON rule files) into compiled rules.
 *
 * Loading checks everything that can be checked before a return is seen: fields and
 * their types, unknown fields, unique ids, expressions, JSONPath queries and constant
 * regular expressions. Every problem becomes a diagnostic naming the file, line and
 * column, the rule id and field, and the column inside the expression; loading goes
 * on so that `assure rules lint` reports them all.
 *
 * Example paths are relative to the directory of the rule file that names them.
 *
 * Ownership: the rule set owns its rules and everything they hold; rules are
 * borrowed by callers for the rule set's lifetime.
 */
#ifndef ASSURE_RULESET_H
#define ASSURE_RULESET_H

#include "assure/diag.h"
#include "assure/expr.h"
#include "assure/finding.h"
#include "assure/jsonpath.h"

#include <jansson.h>
#include <stddef.h>

typedef enum assure_scope {
	ASSURE_SCOPE_RETURN = 0, /* once per matching file */
	ASSURE_SCOPE_SNAPSHOT,   /* once per snapshot, over all matching files */
} assure_scope;

typedef struct assure_rule {
	char *id;                  /* unique id, ^[A-Z][A-Z0-9]*-[0-9]{3}$ */
	char *title;               /* one line */
	assure_severity severity;  /* error, warning, info */
	char *domain;              /* finance, quality, governance, ... */
	char *kind;                /* applies_to.kind, or NULL for any */
	char **paths;              /* applies_to.paths globs */
	size_t path_count;         /* 0 when only kind selects */
	assure_scope scope;        /* return or snapshot */
	assure_jsonpath *for_each; /* the nodes to evaluate on; "$" by default */
	char **let_names;          /* let variable names, in order */
	assure_expr **lets;        /* their compiled expressions */
	size_t let_count;          /* number of lets */
	assure_expr *when;         /* NULL: always applies */
	assure_expr *assert_expr;  /* must be true */
	assure_template *message;  /* finding message */
	assure_expr *subject;      /* NULL: the node's JSON Pointer */
	char *description;         /* longer text, or NULL */
	char *rationale;           /* why the framework cares, or NULL */
	char *reference;           /* source document and section, or NULL */
	char *help;                /* what to do about it, or NULL */
	char *example_fail;        /* path of a fixture that raises it, or NULL */
	char *example_pass;        /* path of a fixture that does not, or NULL */
	char *example_as_of;       /* as_of date the examples are checked with, or NULL */
	char *file;                /* the rule file it came from */
	int line;                  /* line of the rule object in that file */
	unsigned reads;            /* ASSURE_EXPR_READS_* of all its expressions */
} assure_rule;

typedef struct assure_ruleset assure_ruleset;

int assure_ruleset_new(assure_ruleset **out);
void assure_ruleset_free(assure_ruleset *rs);
/*
 * Load a rule file, or every *.json file under a directory (sorted, recursively).
 * Problems in the files go to diags; returns -1 only when the path cannot be read.
 */
int assure_ruleset_load(assure_ruleset *rs, const char *path, assure_diags *diags);

size_t assure_ruleset_count(const assure_ruleset *rs);
const assure_rule *assure_ruleset_rule(const assure_ruleset *rs, size_t i);
const assure_rule *assure_ruleset_find(const assure_ruleset *rs, const char *id);
/* The merged params object (borrowed; never NULL). */
json_t *assure_ruleset_params(const assure_ruleset *rs);
/* Rule set name and version ("lsc-saf", "1.0.0"); names of several sets are joined by '+'. */
const char *assure_ruleset_name(const assure_ruleset *rs);
const char *assure_ruleset_version(const assure_ruleset *rs);
/* SHA-1 over the loaded files' names and contents in load order. */
const char *assure_ruleset_hash(const assure_ruleset *rs);
/* Number of files loaded. */
size_t assure_ruleset_file_count(const assure_ruleset *rs);

#endif
