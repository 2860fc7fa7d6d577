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
 * A load reads every file it is given first (params, helpers), then compiles the
 * rules, so that a rule may call a helper or read a param of any file of the same
 * load, whatever the order of the files. Params may then be overridden
 * (assure_ruleset_set_param) before the rule set is used.
 *
 * Ownership: the rule set owns its rules and everything they hold; rules are
 * borrowed by callers for the rule set's lifetime.
 */
#ifndef ASSURE_RULESET_H
#define ASSURE_RULESET_H

#include "assure/diag.h"
#include "assure/doc.h"
#include "assure/expr.h"
#include "assure/finding.h"
#include "assure/jsonpath.h"

#include <jansson.h>
#include <stddef.h>

typedef enum assure_scope {
	ASSURE_SCOPE_RETURN = 0, /* once per matching file */
	ASSURE_SCOPE_SNAPSHOT,   /* once per snapshot, over all matching files */
	ASSURE_SCOPE_GROUP,      /* once per group of returns (assure_rule.group_*) */
} assure_scope;

typedef struct assure_rule {
	char *id;                  /* unique id, ^[A-Z][A-Z0-9]*-[0-9]{3}$ */
	char *title;               /* one line */
	assure_severity severity;  /* error, warning, info */
	char *domain;              /* finance, quality, governance, ... */
	char *kind;                /* applies_to.kind, or NULL for any */
	char **paths;              /* applies_to.paths globs */
	size_t path_count;         /* 0 when only kind selects */
	char *paths_param;         /* applies_to.paths named a param ("returns.paths"): paths are its
	                              value, set again whenever the param is; else NULL */
	assure_scope scope;        /* return or snapshot */
	char **group_kinds;        /* group.kind: the kinds of the returns grouped */
	size_t group_kind_count;   /* 0 unless scope is ASSURE_SCOPE_GROUP */
	assure_expr *group_where;  /* group.where, on each return ('$'), or NULL */
	char **group_by_names;     /* group.by: the key's member names, in order */
	assure_expr **group_by;    /* their expressions, on each return */
	size_t group_by_count;     /* members of the key */
	assure_jsonpath *for_each; /* the nodes to evaluate on; "$" by default */
	char *each_name;           /* each: the name bound to every item, or NULL; it is let 0 */
	assure_expr *each_expr;    /* each: the list, evaluated per node */
	char **let_names;          /* let variable names, in order (each_name first when set) */
	assure_expr **lets;        /* their compiled expressions (NULL for each_name) */
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

/*
 * A chart the rule set declares for audits: per group of returns (as a group rule groups
 * them) and per commit, the value of each series, drawn across the commits.
 */
typedef struct assure_chart {
	char *id;             /* its name in the rule file */
	char *title;          /* one line, after the group's key */
	char *unit;           /* of the values ("£m"), or NULL */
	assure_rule group;    /* only its group_* fields and file: what is grouped, and how */
	char **series;        /* series names, in order */
	assure_expr **values; /* each series' value on a group ($ = {"key", "returns"}): a number */
	bool *steps;          /* draw the series as steps (a figure that holds until changed) */
	size_t nseries;
} assure_chart;

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
/* The charts the rule set declares, in the order of the files and of their declarations. */
size_t assure_ruleset_chart_count(const assure_ruleset *rs);
const assure_chart *assure_ruleset_chart(const assure_ruleset *rs, size_t i);
/* The helpers of the rule set (borrowed). */
const assure_helpers *assure_ruleset_helpers(const assure_ruleset *rs);

/* The value of the param `dotted` ("finance.tolerance") now (borrowed), or NULL when there is none. */
json_t *assure_ruleset_param(const assure_ruleset *rs, const char *dotted);

/*
 * Override the param `dotted` ("finance.tolerance") with `value` (borrowed), saying it
 * came from `origin` ("--param", a params file's name). The param must exist and the
 * value be of the same JSON type (any number for a number); a param that a rule's
 * applies_to.paths names must stay a list of non-empty strings. An object given for an
 * object param sets its members one by one, each checked so. Returns -1 with the
 * message naming the param otherwise.
 */
int assure_ruleset_set_param(assure_ruleset *rs, const char *dotted, json_t *value, const char *origin);
/*
 * Set the params that obj (shaped like the rule set's params, at JSON Pointer `pointer` of doc)
 * gives, leaf by leaf with assure_ruleset_set_param: an object sets an object param member by
 * member. Each member that cannot be set is a diagnostic at `file` and the line and column of
 * its key in doc (none when doc is NULL), its message after the member's JSON Pointer when
 * say_pointer. The others are still set. Returns -1 when one could not be.
 */
int assure_ruleset_set_params(assure_ruleset *rs, json_t *obj, const char *origin, assure_doc *doc,
                              const char *file, const char *pointer, bool say_pointer, assure_diags *diags);
/*
 * Every param that is not an object, in order: its dotted name, value (borrowed) and
 * where the value came from (the rule file, a params file, "--param").
 */
typedef void (*assure_param_fn)(const char *dotted, json_t *value, const char *origin, void *payload);
void assure_ruleset_params_each(const assure_ruleset *rs, assure_param_fn fn, void *payload);

#endif
