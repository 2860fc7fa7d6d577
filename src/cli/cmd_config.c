/*
 * cmd_config.c: `assure config`, the configuration a check of the same snapshot would use,
 * key by key with where each value came from (config.h).
 */
#include "cli/cli.h"

#include "assure/buf.h"
#include "assure/config.h"
#include "assure/utf8.h"

#include <stdio.h>
#include <string.h>

const cli_opt cli_config_opts[] = {
    {"repo", "DIR", false, "the git repository of returns (default: the current folder)"},
    {"rev", "REV", false, "read assure.json from commit REV (default HEAD)"},
    {"worktree", NULL, false, "read assure.json from the working tree of --repo"},
    {"index", NULL, false, "read assure.json from the index of --repo"},
    CLI_RULE_OPTS,
    CLI_IGNORE_OPT,
    CLI_CONFIG_OPTS,
    {"fail-on", "SEV", false, "override fail_on: error, warning, info, none"},
    {"format", "FMT", false, "text (default) or json"},
    {"keys", NULL, false,
     "print the keys of assure.json as the Markdown table of docs/configuration.md, and nothing else"},
    {NULL, NULL, false, NULL},
};

/* The key table as Markdown, for docs/configuration.md (tests/e2e/config.sh compares the two). */
static int print_keys(void)
{
	assure_buf out = ASSURE_BUF_INIT;
	assure_buf_puts(&out, "| key | value | default | command line | what it does |\n"
	                      "| --- | --- | --- | --- | --- |\n");
	size_t nkeys;
	const assure_config_key *keys = assure_config_keys(&nkeys);
	for (size_t k = 0; k < nkeys; k++)
		assure_buf_printf(&out, "| `%s` | %s | `%s` | `--%s` | %s |\n", keys[k].key,
		                  keys[k].value_help, keys[k].def, keys[k].option, keys[k].help);
	int rc = cli_write(out.ptr, out.len);
	if (rc < 0)
		fprintf(stderr, "assure: %s\n", assure_error_last());
	assure_buf_free(&out);
	return rc < 0 ? ASSURE_EXIT_USAGE : ASSURE_EXIT_OK;
}

/* A param that a configuration set: not the rule file's own value. */
typedef struct param_walk {
	const cli_args *args; /* to tell the --params files */
	json_t *list;         /* [{name, value, origin}] of the params set (new) */
} param_walk;

static void on_param(const char *dotted, json_t *value, const char *origin, void *payload)
{
	param_walk *pw = payload;
	const char *const *files;
	size_t nf = cli_all(pw->args, "params", &files);
	bool set = strncmp(origin, ASSURE_CONFIG_FILE " ", strlen(ASSURE_CONFIG_FILE) + 1) == 0 ||
	           strcmp(origin, "--param") == 0;
	for (size_t i = 0; i < nf && !set; i++)
		set = strcmp(origin, files[i]) == 0;
	if (!set)
		return;
	json_t *entry = json_object();
	json_object_set_new(entry, "name", assure_json_text(dotted));
	json_object_set(entry, "value", value);
	json_object_set_new(entry, "origin", assure_json_text(origin));
	json_array_append_new(pw->list, entry);
}

/* A value as one line: compact JSON, every character outside ASCII escaped (no control byte). */
static void put_json(assure_buf *b, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
	assure_buf_puts(b, s ? s : "null");
	free(s);
}

int cli_config(const cli_args *args)
{
	const char *repo_path = cli_get(args, "repo");
	const char *rev = cli_get(args, "rev");
	bool worktree = cli_flag(args, "worktree"), index = cli_flag(args, "index");
	const char *fmt = cli_get(args, "format");
	if (cli_flag(args, "keys"))
		return print_keys();
	if (args->npositional)
		return cli_usage_error("config", "unexpected argument '%s'", args->positional[0]);
	if ((rev != NULL) + worktree + index > 1)
		return cli_usage_error("config", "give one of --rev, --worktree and --index");
	if (fmt && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage_error("config", "unknown format '%s' (text, json)", fmt);
	int fail_on;
	if (cli_fail_on(args, "config", &fail_on) < 0)
		return ASSURE_EXIT_USAGE;
	if (!repo_path)
		repo_path = ".";

	int rc = ASSURE_EXIT_USAGE;
	assure_repo *repo = NULL;
	assure_snapshot *snap = NULL;
	assure_config *cfg = NULL;
	assure_ruleset *rs = NULL;
	assure_buf out = ASSURE_BUF_INIT;
	json_t *doc = NULL;
	char commit[41] = "";
	if (assure_repo_open(&repo, repo_path) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	int got = worktree ? assure_snapshot_from_worktree(&snap, repo)
	          : index  ? assure_snapshot_from_index(&snap, repo)
	                   : assure_repo_resolve(repo, rev ? rev : "HEAD", commit);
	if (got == 0 && !worktree && !index)
		got = assure_snapshot_from_commit(&snap, repo, commit);
	if (got < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	if (cli_config_load(&cfg, args, snap) < 0)
		goto done;
	/* the params are checked against the rule set they set, as a check would */
	if (!(rs = cli_load_rules_with(args, cfg)))
		goto done;

	const char *source = worktree ? "worktree" : index ? "index" : "git";
	bool found = assure_snapshot_find(snap, ASSURE_CONFIG_FILE) >= 0;
	doc = json_object();
	json_object_set_new(doc, "repository", assure_json_text(repo_path));
	json_object_set_new(doc, "source", json_string(source));
	json_object_set_new(doc, "commit", commit[0] ? json_string(commit) : json_null());
	json_object_set_new(doc, "file", found ? json_string(ASSURE_CONFIG_FILE) : json_null());
	json_t *keys_json = json_array();
	json_object_set_new(doc, "keys", keys_json);
	size_t nkeys;
	const assure_config_key *keys = assure_config_keys(&nkeys);
	for (size_t k = 0; k < nkeys; k++) {
		json_t *entry = json_object();
		json_object_set_new(entry, "key", json_string(keys[k].key));
		json_object_set(entry, "value", assure_config_value(cfg, (assure_config_key_id)k));
		json_object_set_new(entry, "origin",
		                    assure_json_text(assure_config_origin(cfg, (assure_config_key_id)k)));
		json_array_append_new(keys_json, entry);
	}
	param_walk pw = {args, json_array()};
	assure_ruleset_params_each(rs, on_param, &pw);
	json_object_set_new(doc, "params_set", pw.list);
	json_object_set_new(
	    doc, "rule_set",
	    json_pack("{s:s, s:s}", "name", assure_ruleset_name(rs), "version", assure_ruleset_version(rs)));

	if (fmt && strcmp(fmt, "json") == 0) {
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		assure_buf_puts(&out, s);
		assure_buf_putc(&out, '\n');
		free(s);
	} else {
		assure_buf_puts(&out, "configuration of '");
		assure_buf_put_visible(&out, repo_path);
		assure_buf_puts(&out, "' ");
		if (commit[0])
			assure_buf_printf(&out, "at %.12s", commit);
		else
			assure_buf_printf(&out, "in %s", assure_snapshot_kind(snap));
		assure_buf_printf(&out, " (%s)\n",
		                  found ? "from its " ASSURE_CONFIG_FILE : "it has no " ASSURE_CONFIG_FILE);
		for (size_t k = 0; k < nkeys; k++) {
			assure_buf line = ASSURE_BUF_INIT;
			assure_buf_printf(&line, "  %-8s ", keys[k].key);
			put_json(&line, assure_config_value(cfg, (assure_config_key_id)k));
			assure_buf_printf(&out, "%-40s  ", line.ptr);
			assure_buf_put_visible(&out, assure_config_origin(cfg, (assure_config_key_id)k));
			assure_buf_putc(&out, '\n');
			assure_buf_free(&line);
		}
		assure_buf_printf(&out, "rule set %s %s", assure_ruleset_name(rs),
		                  assure_ruleset_version(rs));
		size_t np = json_array_size(pw.list);
		assure_buf_printf(&out, ", %zu param%s set%s\n", np, np == 1 ? "" : "s", np ? ":" : "");
		for (size_t i = 0; i < np; i++) {
			json_t *e = json_array_get(pw.list, i);
			assure_buf line = ASSURE_BUF_INIT;
			assure_buf_puts(&line, "  ");
			assure_buf_put_visible(&line, json_string_value(json_object_get(e, "name")));
			assure_buf_puts(&line, " = ");
			put_json(&line, json_object_get(e, "value"));
			assure_buf_printf(&out, "%-40s  ", line.ptr);
			assure_buf_put_visible(&out, json_string_value(json_object_get(e, "origin")));
			assure_buf_putc(&out, '\n');
			assure_buf_free(&line);
		}
	}
	if (cli_write(out.ptr, out.len) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	rc = ASSURE_EXIT_OK;
done:
	json_decref(doc);
	assure_buf_free(&out);
	assure_ruleset_free(rs);
	assure_config_free(cfg);
	assure_snapshot_free(snap);
	assure_repo_free(repo);
	return rc;
}
