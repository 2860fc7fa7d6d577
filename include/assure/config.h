/*
 * config.h: a repository's configuration, `assure.json` at the root of the returns.
 *
 * A repository of returns says how it is checked, as `.gitleaks.toml` does for its own: the
 * rule sets, overrides of their params, the waivers file, the severity that fails a run and
 * the paths no rule reads. The file is read from the snapshot being checked (the commit, the
 * index or the working tree), like the returns, so that a change of configuration is reviewed
 * and dated like any other change. Every key is a row of one table (config.c), which drives
 * the parse, `assure config` and the list of keys in docs/configuration.md.
 *
 * Each value carries where it came from: the default, the file (with the commit), or the
 * command line, which overrides the file key by key.
 *
 * Ownership: a config owns its values and their origins. Values returned are borrowed and
 * live until the value is set again or the config is freed.
 */
#ifndef ASSURE_CONFIG_H
#define ASSURE_CONFIG_H

#include "assure/diag.h"
#include "assure/repo.h"
#include "assure/ruleset.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The name of the file, at the root of the repository. */
#define ASSURE_CONFIG_FILE "assure.json"
/* The waivers file when the configuration names none. */
#define ASSURE_CONFIG_WAIVERS_DEFAULT "assure-waivers.json"

/* What a key's value must be. */
typedef enum assure_config_type {
	ASSURE_CONFIG_STRING,   /* a string */
	ASSURE_CONFIG_STRINGS,  /* a list of non-empty strings */
	ASSURE_CONFIG_OBJECT,   /* an object */
	ASSURE_CONFIG_SEVERITY, /* "error", "warning", "info" or "none" */
} assure_config_type;

/* The keys, in the order of the table; a value's index in it. */
typedef enum assure_config_key_id {
	ASSURE_CONFIG_RULES = 0, /* the rule sets */
	ASSURE_CONFIG_PARAMS,    /* overrides of their params */
	ASSURE_CONFIG_WAIVERS,   /* the waivers file in the repository */
	ASSURE_CONFIG_FAIL_ON,   /* the lowest severity that fails a run */
	ASSURE_CONFIG_IGNORE,    /* globs of paths no rule reads */
	ASSURE_CONFIG_KEY_COUNT
} assure_config_key_id;

/* One row of the key table. */
typedef struct assure_config_key {
	const char *key;         /* the member name in assure.json: "fail_on" */
	assure_config_type type; /* what its value must be */
	const char *option;      /* the command-line option that overrides it: "fail-on" */
	const char *value_help;  /* what to write, for the docs: "error, warning, info or none" */
	const char *def;         /* the default, as JSON text */
	const char *help;        /* one line: what it does */
} assure_config_key;

/* The key table: ASSURE_CONFIG_KEY_COUNT rows (borrowed, static). */
const assure_config_key *assure_config_keys(size_t *count);

typedef struct assure_config assure_config;

/* A configuration of defaults only. */
int assure_config_new(assure_config **out);
void assure_config_free(assure_config *cfg);

/*
 * Read `text` (len bytes) as an assure.json named `file` in messages, `origin` in provenance
 * ("assure.json at 1a2b3c4d5e6f"). Every problem (not JSON, not an object, an unknown key, a
 * value of the wrong type or a bad value) is added to diags with the file, line, column and
 * the JSON Pointer of the place; keys without problems are still taken. Returns 0, or -1 when
 * the file had problems.
 */
int assure_config_parse(assure_config *cfg, const char *file, const char *origin, const char *text,
                        size_t len, assure_diags *diags);

/*
 * Read assure.json from the root of snap, when it has one (*found says whether). Origins name
 * the commit ("assure.json at <12 hex>") or the snapshot's kind ("assure.json in the index",
 * "assure.json in the working tree"). A file that cannot be read is an error (-1, message set);
 * problems in its content go to diags and return -1 too.
 */
int assure_config_read(assure_config *cfg, const assure_snapshot *snap, bool *found, assure_diags *diags);

/*
 * Set key `key` to `json` (borrowed), saying where it came from ("command line"). The value must
 * be of the key's type and a severity one of the severities; a path (a rule set, the waivers
 * file) is one of the filesystem, as the command line gives it, and is not held to the
 * repository as the file's are. -1 with a message naming the key when it is not valid.
 */
int assure_config_set(assure_config *cfg, assure_config_key_id key, json_t *json, const char *origin);

/* The value of a key (borrowed; never NULL) and where it came from ("default" for a default). */
json_t *assure_config_value(const assure_config *cfg, assure_config_key_id key);
const char *assure_config_origin(const assure_config *cfg, assure_config_key_id key);
/* Where a value set from the file is in it (line and column of the value), 0 when it is not. */
void assure_config_place(const assure_config *cfg, assure_config_key_id key, int *line, int *col);

/* A STRINGS key's values (borrowed); *n gets their count. */
const char *const *assure_config_strings(const assure_config *cfg, assure_config_key_id key, size_t *n);
/* fail_on as the lowest severity that fails (ASSURE_SEV_*), or ASSURE_SEV_COUNT for "none". */
int assure_config_fail_on(const assure_config *cfg);
/* The waivers file's path in the repository. */
const char *assure_config_waivers(const assure_config *cfg);
/*
 * What an engine leaves out (assure_engine_set_ignore): the ignore globs, and the configuration
 * and waivers files themselves, which are JSON but no returns. Borrowed from cfg until the next
 * call or assure_config_free.
 */
const char *const *assure_config_engine_ignore(assure_config *cfg, size_t *n);

/*
 * Apply the params of the file to rs, leaf by leaf as a params file is (an object sets the
 * members of an object param one by one), each with the origin of the key. A param the rule
 * set does not have, or a value of the wrong type, goes to diags at its place in the file.
 * Returns 0, or -1 when one could not be set.
 */
int assure_config_apply_params(const assure_config *cfg, assure_ruleset *rs, assure_diags *diags);

#endif
