/* cmd_diff.c: `assure diff`, the findings one commit brought and resolved relative to another. */
#include "cli/cli.h"

#include "assure/baseline.h"
#include "assure/report.h"
#include "assure/waiver.h"

#include <stdio.h>
#include <string.h>

const cli_opt cli_diff_opts[] = {
    {"repo", "DIR", false, "the git repository of returns (required)"},
    CLI_RULE_OPTS,
    CLI_IGNORE_OPT,
    CLI_CONFIG_OPTS,
    CLI_MAX_FILE_SIZE_OPT,
    CLI_MAX_FINDINGS_OPT,
    {"as-of", "DATE", false, "reference date YYYY-MM-DD for both commits (default today, UTC)"},
    {"format", "FMT", false, "report format: text (default) or json"},
    {"fail-on", "SEV", false,
     "exit 1 when a new finding is at or above SEV: error (default), warning, info, none"},
    CLI_WAIVER_OPTS,
    {NULL, NULL, false, NULL},
};

/* The findings of commit `rev`, with its waivers; -1 after printing why not. */
static int check_rev(assure_engine *e, assure_repo *repo, const char *rev, char oid[41],
                     const assure_check_opts *opts, const assure_waiver_source *ws, assure_findings *out,
                     assure_check_result *result)
{
	assure_snapshot *snap = NULL;
	int rc = -1;
	if (assure_repo_resolve(repo, rev, oid) < 0 || assure_snapshot_from_commit(&snap, repo, oid) < 0 ||
	    assure_waivers_check(e, snap, opts, ws, out, result, NULL) < 0)
		fprintf(stderr, "assure: %s\n", assure_error_last());
	else
		rc = 0;
	assure_snapshot_free(snap);
	return rc;
}

int cli_diff(const cli_args *args)
{
	const char *repo_path = cli_get(args, "repo");
	if (!repo_path)
		return cli_usage_error("diff", "--repo DIR is required");
	char range[512];
	const char *base = NULL, *head = NULL;
	if (args->npositional == 1) {
		/* "A..B", as a merge request's range is often written */
		const char *dots = strstr(args->positional[0], "..");
		size_t n = dots ? (size_t)(dots - args->positional[0]) : 0;
		if (!dots || !n || !dots[2] || dots[2] == '.' || n >= sizeof(range))
			return cli_usage_error("diff", "give two commits, BASE HEAD or BASE..HEAD");
		memcpy(range, args->positional[0], n);
		range[n] = '\0';
		base = range;
		head = dots + 2;
	} else if (args->npositional == 2) {
		base = args->positional[0];
		head = args->positional[1];
	} else {
		return cli_usage_error("diff", "give two commits, BASE HEAD or BASE..HEAD");
	}
	const char *fmt_name = cli_get(args, "format");
	if (!fmt_name)
		fmt_name = "text";
	if (strcmp(fmt_name, "text") != 0 && strcmp(fmt_name, "json") != 0)
		return cli_usage_error("diff", "unknown format '%s' (text, json)", fmt_name);
	int fail_on;
	int32_t as_of;
	uint64_t max_file_size;
	size_t max_findings;
	if (cli_fail_on(args, "diff", &fail_on) < 0 || cli_as_of(args, "diff", &as_of) < 0 ||
	    cli_max_file_size(args, "diff", &max_file_size) < 0 ||
	    cli_max_findings(args, "diff", &max_findings) < 0)
		return ASSURE_EXIT_USAGE;
	assure_waiver_source ws = ASSURE_WAIVER_SOURCE_INIT;
	assure_waivers *fixed = NULL;
	if (cli_waivers(args, "diff", &ws, &fixed) < 0)
		return ASSURE_EXIT_USAGE;
	int rc = ASSURE_EXIT_USAGE;
	assure_ruleset *rs = NULL;
	assure_config *cfg = NULL;
	assure_snapshot *head_snap = NULL;
	assure_repo *repo = NULL;
	assure_engine *engine = NULL;
	assure_findings *before = NULL, *after = NULL, *added = NULL, *resolved = NULL;
	assure_buf out = ASSURE_BUF_INIT;
	char base_oid[41], head_oid[41];
	assure_check_result base_result, head_result;
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	opts.as_of = as_of;
	opts.max_file_size = max_file_size;
	opts.max_findings = max_findings;
	assure_findings_new(&before);
	assure_findings_new(&after);
	assure_findings_new(&added);
	assure_findings_new(&resolved);
	if (assure_repo_open(&repo, repo_path) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	/*
	 * Both commits are checked with the head's assure.json, as an audit checks its range with
	 * its last commit's: a change of configuration is not a finding the head brought or resolved.
	 */
	if (assure_repo_resolve(repo, head, head_oid) < 0 ||
	    assure_snapshot_from_commit(&head_snap, repo, head_oid) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	if (cli_config_load(&cfg, args, head_snap) < 0)
		goto done;
	if (!cli_get(args, "fail-on"))
		fail_on = assure_config_fail_on(cfg);
	if (!cli_get(args, "waivers"))
		ws.opts.path = assure_config_waivers(cfg);
	if (!(rs = cli_load_rules_with(args, cfg)))
		goto done;
	assure_engine_new(&engine, rs);
	size_t nignore;
	const char *const *ignore = assure_config_engine_ignore(cfg, &nignore);
	assure_engine_set_ignore(engine, ignore, nignore);
	if (check_rev(engine, repo, base, base_oid, &opts, &ws, before, &base_result) < 0 ||
	    check_rev(engine, repo, head, head_oid, &opts, &ws, after, &head_result) < 0)
		goto done;
	assure_baseline_diff(before, after, added, resolved);
	assure_diff_meta meta = {
	    .tool_version = ASSURE_VERSION,
	    .rules = rs,
	    .repository = repo_path,
	    .base = base_oid,
	    .head = head_oid,
	    .as_of = as_of,
	    .result = &head_result,
	    .color = cli_color(),
	};
	int wrc = strcmp(fmt_name, "json") == 0 ? assure_diff_json(&out, added, resolved, &meta)
	                                        : assure_diff_text(&out, added, resolved, &meta);
	if (wrc < 0 || cli_write(out.ptr, out.len) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	/* what the head could not assess may hide a new finding: incomplete fails, as check does */
	rc = assure_report_incomplete(&head_result) ? ASSURE_EXIT_FINDINGS : ASSURE_EXIT_OK;
	for (size_t i = 0; i < assure_findings_count(added); i++)
		if (!assure_findings_get(added, i)->waiver &&
		    (int)assure_findings_get(added, i)->severity >= fail_on)
			rc = ASSURE_EXIT_FINDINGS;
	rc = cli_unreadable_exit(head_result.read_failures + base_result.read_failures, false, repo, rc);
done:
	assure_buf_free(&out);
	assure_findings_free(resolved);
	assure_findings_free(added);
	assure_findings_free(after);
	assure_findings_free(before);
	assure_engine_free(engine);
	assure_snapshot_free(head_snap);
	assure_repo_free(repo);
	assure_ruleset_free(rs);
	assure_config_free(cfg);
	assure_waivers_free(fixed);
	return rc;
}
