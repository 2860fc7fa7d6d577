/* config.c: assure.json, read from a snapshot and overridden from the command line (config.h). */
#include "assure/config.h"

#include "assure/buf.h"
#include "assure/doc.h"
#include "assure/error.h"
#include "assure/finding.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The problem with a value, in a buffer, or nothing: "" when it is good. */
typedef void (*check_fn)(assure_buf *why, const char *s);

/*
 * A rule set is read from the filesystem, not from the commit: a name of an installed rule
 * set or an absolute path, never a path relative to somewhere the commit does not say.
 */
static void check_rule_set(assure_buf *why, const char *s)
{
	if (s[0] == '/')
		return;
	bool name = s[0] != '.';
	for (const char *p = s; *p && name; p++)
		name = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		       *p == '-' || *p == '_' || *p == '.';
	if (!name)
		assure_buf_puts(why, "is neither the name of an installed rule set (lsc-saf) nor an "
		                     "absolute path: rule sets are read from the filesystem, not from "
		                     "the repository");
}

/* The waivers file is in the repository: a path from its root that stays inside it. */
static void check_repo_path(assure_buf *why, const char *s)
{
	bool up = strcmp(s, "..") == 0 || strncmp(s, "../", 3) == 0 || strstr(s, "/../") ||
	          (strlen(s) >= 3 && strcmp(s + strlen(s) - 3, "/..") == 0);
	if (s[0] == '/' || up)
		assure_buf_puts(why, "is not a path inside the repository (from its root, without '..')");
	else if (!s[0])
		assure_buf_puts(why, "is empty");
}

static void check_severity(assure_buf *why, const char *s)
{
	assure_severity sev;
	if (strcmp(s, "none") != 0 && assure_severity_parse(&sev, s) < 0)
		assure_buf_puts(why, "is not a severity: error, warning, info or none");
}

/* The table: one row per key, in the order of assure_config_key_id. */
static const assure_config_key keys[] = {
    {"rules", ASSURE_CONFIG_STRINGS, "rules", "installed rule set names or absolute paths", "[]",
     "the rule sets to check with, instead of the installed one ([]: the installed rule set)"},
    {"params", ASSURE_CONFIG_OBJECT, "params", "shaped like the rule set's params", "{}",
     "param overrides, set as a --params file sets them, before --params and --param"},
    {"waivers", ASSURE_CONFIG_STRING, "waivers", "a path from the root of the repository",
     "\"" ASSURE_CONFIG_WAIVERS_DEFAULT "\"", "the waivers file, read from the same commit"},
    {"fail_on", ASSURE_CONFIG_SEVERITY, "fail-on", "error, warning, info or none", "\"error\"",
     "the lowest severity of a finding that fails the run (none: never)"},
    {"ignore", ASSURE_CONFIG_STRINGS, "ignore", "globs, as in applies_to.paths", "[]",
     "paths no rule reads: files matching one are left out of every check"},
};
_Static_assert(sizeof(keys) / sizeof(*keys) == ASSURE_CONFIG_KEY_COUNT, "one row per assure_config_key_id");

/* How each key's strings are checked beyond their type (NULL: any non-empty string). */
static const check_fn checks[] = {check_rule_set, NULL, check_repo_path, check_severity, NULL};
_Static_assert(sizeof(checks) / sizeof(*checks) == ASSURE_CONFIG_KEY_COUNT, "one check per key");

const assure_config_key *assure_config_keys(size_t *count)
{
	*count = ASSURE_CONFIG_KEY_COUNT;
	return keys;
}

/* One key's value and where it came from. */
typedef struct value {
	json_t *json;      /* owned */
	char *origin;      /* owned; "default" */
	int line, col;     /* where in the file, 0 unless set from it */
	const char **strs; /* STRINGS: the values (borrowed from json), NULL-terminated */
	size_t nstrs;      /* entries of strs */
} value;

struct assure_config {
	value v[ASSURE_CONFIG_KEY_COUNT]; /* indexed by assure_config_key_id */
	char **engine_ignore;             /* what assure_config_engine_ignore last gave, owned */
	size_t nengine_ignore;            /* its entries */
	assure_doc *doc;                  /* the file last parsed, for the places of its params */
	char *file;                       /* its name in messages */
};

static void put_value(value *v, json_t *json, const char *origin, int line, int col)
{
	json_decref(v->json);
	free(v->origin);
	free(v->strs);
	v->json = json_incref(json);
	v->origin = assure_xstrdup(origin);
	v->line = line;
	v->col = col;
	v->strs = NULL;
	v->nstrs = 0;
	if (json_is_array(json)) {
		v->nstrs = json_array_size(json);
		v->strs = assure_xcalloc(v->nstrs + 1, sizeof(char *));
		for (size_t i = 0; i < v->nstrs; i++)
			v->strs[i] = json_string_value(json_array_get(json, i));
	}
}

int assure_config_new(assure_config **out)
{
	assure_config *cfg = assure_xcalloc(1, sizeof(*cfg));
	for (size_t k = 0; k < ASSURE_CONFIG_KEY_COUNT; k++) {
		json_t *def = json_loads(keys[k].def, JSON_DECODE_ANY, NULL);
		assert(def); /* the table's defaults are JSON */
		put_value(&cfg->v[k], def, "default", 0, 0);
		json_decref(def);
	}
	*out = cfg;
	return 0;
}

void assure_config_free(assure_config *cfg)
{
	if (!cfg)
		return;
	for (size_t k = 0; k < ASSURE_CONFIG_KEY_COUNT; k++) {
		json_decref(cfg->v[k].json);
		free(cfg->v[k].origin);
		free(cfg->v[k].strs);
	}
	for (size_t i = 0; i < cfg->nengine_ignore; i++)
		free(cfg->engine_ignore[i]);
	free(cfg->engine_ignore);
	assure_doc_free(cfg->doc);
	free(cfg->file);
	free(cfg);
}

static const char *type_name(assure_config_type t)
{
	switch (t) {
	case ASSURE_CONFIG_STRING:
	case ASSURE_CONFIG_SEVERITY:
		return "a string";
	case ASSURE_CONFIG_STRINGS:
		return "a list of strings";
	case ASSURE_CONFIG_OBJECT:
		return "an object";
	}
	return "?";
}

/*
 * The problem with `json` as the value of key k, in why (empty when it is good), and in
 * *bad_index the list item it is in (-1 for the value itself).
 */
static void validate(assure_buf *why, long *bad_index, size_t k, json_t *json, bool from_file)
{
	/*
	 * From the command line, rule sets and the waivers file are paths of the filesystem, as
	 * --rules and --waivers take them: only the file's values are held to the repository.
	 */
	check_fn check = from_file || keys[k].type == ASSURE_CONFIG_SEVERITY ? checks[k] : NULL;
	*bad_index = -1;
	const assure_config_key *row = &keys[k];
	switch (row->type) {
	case ASSURE_CONFIG_STRING:
	case ASSURE_CONFIG_SEVERITY:
		if (!json_is_string(json))
			assure_buf_printf(why, "must be %s (%s)", type_name(row->type), row->value_help);
		else if (check)
			check(why, json_string_value(json));
		return;
	case ASSURE_CONFIG_OBJECT:
		if (!json_is_object(json))
			assure_buf_printf(why, "must be %s (%s)", type_name(row->type), row->value_help);
		return;
	case ASSURE_CONFIG_STRINGS:
		if (!json_is_array(json)) {
			assure_buf_printf(why, "must be %s (%s)", type_name(row->type), row->value_help);
			return;
		}
		for (size_t i = 0; i < json_array_size(json) && !why->len; i++) {
			json_t *item = json_array_get(json, i);
			*bad_index = (long)i;
			if (!json_is_string(item) || !json_string_value(item)[0])
				assure_buf_puts(why, "must be a non-empty string");
			else if (check)
				check(why, json_string_value(item));
		}
		if (!why->len)
			*bad_index = -1;
		return;
	}
}

/* The value as a message shows it: JSON, its control characters escaped, cut when long. */
static void put_shown(assure_buf *b, json_t *json)
{
	char *s = json_dumps(json, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!s)
		return;
	if (strlen(s) > 60)
		assure_buf_printf(b, "%.57s...", s);
	else
		assure_buf_puts(b, s);
	free(s);
}

int assure_config_set(assure_config *cfg, assure_config_key_id key, json_t *json, const char *origin)
{
	assert(key < ASSURE_CONFIG_KEY_COUNT);
	assure_buf why = ASSURE_BUF_INIT;
	long bad;
	validate(&why, &bad, key, json, false);
	if (why.len) {
		assure_buf shown = ASSURE_BUF_INIT;
		put_shown(&shown, bad < 0 ? json : json_array_get(json, (size_t)bad));
		int rc = assure_error_setc(ASSURE_EINVALID, "%s: %s %s", keys[key].key, shown.ptr, why.ptr);
		assure_buf_free(&shown);
		assure_buf_free(&why);
		return rc;
	}
	assure_buf_free(&why);
	put_value(&cfg->v[key], json, origin, 0, 0);
	return 0;
}

/* Add a problem at the value (or, with at_key, the member name) of `pointer` in the file. */
static void problem(assure_config *cfg, assure_diags *diags, const char *pointer, bool at_key,
                    const char *msg)
{
	int line = 0, col = 0;
	int rc = at_key ? assure_doc_locate_key(cfg->doc, pointer, &line, &col)
	                : assure_doc_locate(cfg->doc, pointer, &line, &col);
	if (rc < 0)
		line = col = 0;
	assure_buf p = ASSURE_BUF_INIT;
	assure_buf_put_visible(&p, pointer);
	if (p.len) /* the root's pointer is "": the message names it */
		assure_diags_add(diags, cfg->file, line, col, NULL, NULL, 0, NULL, "%s: %s", p.ptr, msg);
	else
		assure_diags_add(diags, cfg->file, line, col, NULL, NULL, 0, NULL, "%s", msg);
	assure_buf_free(&p);
}

int assure_config_parse(assure_config *cfg, const char *file, const char *origin, const char *text,
                        size_t len, assure_diags *diags)
{
	assure_doc_free(cfg->doc);
	cfg->doc = NULL;
	free(cfg->file);
	cfg->file = assure_xstrdup(file);
	int line = 0, col = 0;
	if (assure_doc_parse(&cfg->doc, text, len, &line, &col) < 0) {
		assure_diags_add(diags, file, line, col, NULL, NULL, 0, NULL, "not valid JSON: %s",
		                 assure_error_last());
		return -1;
	}
	json_t *root = assure_doc_root(cfg->doc);
	if (!json_is_object(root)) {
		problem(cfg, diags, "", false,
		        "the configuration must be a JSON object of keys (docs/configuration.md)");
		return -1;
	}
	int rc = 0;
	const char *name;
	json_t *json;
	json_object_foreach(root, name, json)
	{
		assure_buf ptr = ASSURE_BUF_INIT, msg = ASSURE_BUF_INIT;
		assure_buf_put_pointer_token(&ptr, name);
		size_t k = 0;
		while (k < ASSURE_CONFIG_KEY_COUNT && strcmp(keys[k].key, name) != 0)
			k++;
		if (k == ASSURE_CONFIG_KEY_COUNT) {
			assure_buf_puts(&msg, "unknown key '");
			assure_buf_put_visible(&msg, name);
			assure_buf_puts(&msg, "' (the keys are");
			for (size_t j = 0; j < ASSURE_CONFIG_KEY_COUNT; j++)
				assure_buf_printf(&msg, "%s %s", j ? "," : "", keys[j].key);
			assure_buf_puts(&msg, ")");
			problem(cfg, diags, ptr.ptr, true, msg.ptr);
			rc = -1;
		} else {
			long bad;
			validate(&msg, &bad, k, json, true);
			if (msg.len) {
				assure_buf item = ASSURE_BUF_INIT, text_ = ASSURE_BUF_INIT;
				assure_buf_puts(&item, ptr.ptr);
				if (bad >= 0)
					assure_buf_printf(&item, "/%ld", bad);
				put_shown(&text_, bad < 0 ? json : json_array_get(json, (size_t)bad));
				assure_buf_printf(&text_, " %s", msg.ptr);
				problem(cfg, diags, item.ptr, false, text_.ptr);
				assure_buf_free(&item);
				assure_buf_free(&text_);
				rc = -1;
			} else {
				int l = 0, c = 0;
				if (assure_doc_locate(cfg->doc, ptr.ptr, &l, &c) < 0)
					l = c = 0;
				assure_buf o = ASSURE_BUF_INIT;
				assure_buf_printf(&o, "%s:%d:%d", origin, l, c);
				put_value(&cfg->v[k], json, o.ptr, l, c);
				assure_buf_free(&o);
			}
		}
		assure_buf_free(&ptr);
		assure_buf_free(&msg);
	}
	return rc;
}

int assure_config_read(assure_config *cfg, const assure_snapshot *snap, bool *found, assure_diags *diags)
{
	*found = false;
	long i = assure_snapshot_find(snap, ASSURE_CONFIG_FILE);
	if (i < 0)
		return 0;
	*found = true;
	char *text = NULL;
	size_t len = 0;
	if (assure_snapshot_read(snap, (size_t)i, &text, &len) < 0)
		return ASSURE_ERROR;
	assure_buf origin = ASSURE_BUF_INIT;
	const char *commit = assure_snapshot_commit(snap);
	const char *kind = assure_snapshot_kind(snap);
	if (commit)
		assure_buf_printf(&origin, "%s at %.12s", ASSURE_CONFIG_FILE, commit);
	else
		assure_buf_printf(&origin, "%s in %s", ASSURE_CONFIG_FILE, kind);
	int rc = assure_config_parse(cfg, ASSURE_CONFIG_FILE, origin.ptr, text, len, diags);
	assure_buf_free(&origin);
	free(text);
	return rc;
}

json_t *assure_config_value(const assure_config *cfg, assure_config_key_id key)
{
	assert(key < ASSURE_CONFIG_KEY_COUNT);
	return cfg->v[key].json;
}

const char *assure_config_origin(const assure_config *cfg, assure_config_key_id key)
{
	assert(key < ASSURE_CONFIG_KEY_COUNT);
	return cfg->v[key].origin;
}

void assure_config_place(const assure_config *cfg, assure_config_key_id key, int *line, int *col)
{
	assert(key < ASSURE_CONFIG_KEY_COUNT);
	*line = cfg->v[key].line;
	*col = cfg->v[key].col;
}

const char *const *assure_config_strings(const assure_config *cfg, assure_config_key_id key, size_t *n)
{
	assert(key < ASSURE_CONFIG_KEY_COUNT && keys[key].type == ASSURE_CONFIG_STRINGS);
	*n = cfg->v[key].nstrs;
	return cfg->v[key].strs;
}

int assure_config_fail_on(const assure_config *cfg)
{
	const char *s = json_string_value(cfg->v[ASSURE_CONFIG_FAIL_ON].json);
	assure_severity sev = ASSURE_SEV_ERROR;
	if (strcmp(s, "none") == 0)
		return ASSURE_SEV_COUNT;
	if (assure_severity_parse(&sev, s) < 0)
		sev = ASSURE_SEV_ERROR; /* never: every value set was validated */
	return (int)sev;
}

const char *assure_config_waivers(const assure_config *cfg)
{
	return json_string_value(cfg->v[ASSURE_CONFIG_WAIVERS].json);
}

int assure_config_apply_params(const assure_config *cfg, assure_ruleset *rs, assure_diags *diags)
{
	const value *v = &cfg->v[ASSURE_CONFIG_PARAMS];
	/* the origin without the place, which each param has a place of its own for */
	assure_buf origin = ASSURE_BUF_INIT;
	const char *colon = strchr(v->origin, ':');
	assure_buf_put(&origin, v->origin, colon ? (size_t)(colon - v->origin) : strlen(v->origin));
	int rc =
	    assure_ruleset_set_params(rs, v->json, origin.ptr, cfg->doc,
	                              cfg->file ? cfg->file : ASSURE_CONFIG_FILE, "/params", true, diags);
	assure_buf_free(&origin);
	return rc;
}

/* A path as a glob that matches it alone: the glob characters and the backslash escaped. */
static char *literal_glob(const char *path)
{
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	for (const char *p = path; *p; p++) {
		if (strchr("*?[\\", *p))
			assure_buf_putc(&b, '\\');
		assure_buf_putc(&b, *p);
	}
	return assure_buf_detach(&b);
}

const char *const *assure_config_engine_ignore(assure_config *cfg, size_t *n)
{
	for (size_t i = 0; i < cfg->nengine_ignore; i++)
		free(cfg->engine_ignore[i]);
	free(cfg->engine_ignore);
	size_t nuser;
	const char *const *user = assure_config_strings(cfg, ASSURE_CONFIG_IGNORE, &nuser);
	cfg->nengine_ignore = nuser + 2;
	cfg->engine_ignore = assure_xcalloc(cfg->nengine_ignore, sizeof(char *));
	for (size_t i = 0; i < nuser; i++)
		cfg->engine_ignore[i] = assure_xstrdup(user[i]);
	cfg->engine_ignore[nuser] = literal_glob(ASSURE_CONFIG_FILE);
	cfg->engine_ignore[nuser + 1] = literal_glob(assure_config_waivers(cfg));
	*n = cfg->nengine_ignore;
	return (const char *const *)cfg->engine_ignore;
}
