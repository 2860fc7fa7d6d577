/* cmd_check.c: `assure check`, one snapshot against the rule set. */
#include "cli/cli.h"

#include "assure/baseline.h"
#include "assure/engine.h"
#include "assure/file.h"
#include "assure/repo.h"
#include "assure/report.h"
#include "assure/waiver.h"

#include <stdio.h>
#include <stdlib.h>

const cli_opt cli_check_opts[] = {
    {"repo", "DIR", false, "read the returns from the git repository DIR"},
    {"rev", "REV", false, "the commit to check (default HEAD)"},
    {"worktree", NULL, false, "check the working tree of --repo instead of a commit"},
    CLI_RULE_OPTS,
    CLI_MAX_FILE_SIZE_OPT,
    CLI_MAX_FINDINGS_OPT,
    {"as-of", "DATE", false, "reference date YYYY-MM-DD for date rules (default today, UTC)"},
    {"format", "FMT", false, "report format: text (default) or json"},
    {"fail-on", "SEV", false,
     "exit 1 when a finding is at or above SEV: error (default), warning, info, none"},
    {"stats", NULL, false, "print counts of blobs read and parsed and rules evaluated to stderr"},
    {"baseline", "REV", false,
     "check REV of --repo too, and report and fail on only the findings REV does not have"},
    {"baseline-file", "FILE", false,
     "report and fail on only the findings a saved --format json report FILE does not have"},
    CLI_WAIVER_OPTS,
    {NULL, NULL, false, NULL},
};

/* The fingerprints of the baseline --baseline or --baseline-file names; NULL after printing why not. */
static assure_baseline *load_baseline(const cli_args *args, assure_engine *engine, assure_repo *repo,
                                      const assure_check_opts *opts, const assure_waiver_source *ws,
                                      char commit[41])
{
	assure_baseline *b = NULL;
	const char *file = cli_get(args, "baseline-file");
	if (file) {
		char *data = NULL;
		size_t len = 0;
		if (assure_file_read(file, &data, &len) < 0 || assure_baseline_load(&b, file, data, len) < 0)
			fprintf(stderr, "assure: %s\n", assure_error_last());
		free(data);
		return b;
	}
	assure_snapshot *snap = NULL;
	assure_findings *found = NULL;
	assure_check_result result;
	assure_findings_new(&found);
	if (assure_repo_resolve(repo, cli_get(args, "baseline"), commit) < 0 ||
	    assure_snapshot_from_commit(&snap, repo, commit) < 0 ||
	    assure_waivers_check(engine, snap, opts, ws, found, &result, NULL) < 0)
		fprintf(stderr, "assure: baseline: %s\n", assure_error_last());
	else
		assure_baseline_from_findings(&b, found);
	assure_findings_free(found);
	assure_snapshot_free(snap);
	return b;
}

int cli_check(const cli_args *args)
{
	const char *repo_path = cli_get(args, "repo");
	const char *rev = cli_get(args, "rev");
	bool worktree = cli_flag(args, "worktree");
	if (repo_path && args->npositional)
		return cli_usage_error("check", "give either --repo or paths, not both");
	if (!repo_path && (rev || worktree))
		return cli_usage_error("check", "%s needs --repo DIR: the repository whose %s to check",
		                       worktree ? "--worktree" : "--rev",
		                       worktree ? "working tree" : "commit");
	if (!repo_path && !args->npositional)
		return cli_usage_error("check", "nothing to check: give --repo DIR or paths");
	if (rev && worktree)
		return cli_usage_error("check", "give either --rev or --worktree, not both");
	if (cli_get(args, "baseline") && cli_get(args, "baseline-file"))
		return cli_usage_error("check", "give either --baseline or --baseline-file, not both");
	if (cli_get(args, "baseline") && !repo_path)
		return cli_usage_error("check",
		                       "--baseline needs --repo DIR: the repository of the commit to "
		                       "compare with");
	const char *fmt_name = cli_get(args, "format");
	const assure_report_format *fmt = assure_report_format_find(fmt_name ? fmt_name : "text");
	if (!fmt)
		return cli_usage_error("check", "unknown format '%s' (text, json)", fmt_name);
	int fail_on;
	if (cli_fail_on(args, "check", &fail_on) < 0)
		return ASSURE_EXIT_USAGE;
	int32_t as_of;
	if (cli_as_of(args, "check", &as_of) < 0)
		return ASSURE_EXIT_USAGE;
	uint64_t max_file_size;
	size_t max_findings;
	if (cli_max_file_size(args, "check", &max_file_size) < 0 ||
	    cli_max_findings(args, "check", &max_findings) < 0)
		return ASSURE_EXIT_USAGE;

	assure_waiver_source ws = ASSURE_WAIVER_SOURCE_INIT;
	assure_waivers *fixed = NULL;
	if (cli_waivers(args, "check", &ws, &fixed) < 0)
		return ASSURE_EXIT_USAGE;
	assure_ruleset *rs = cli_load_rules(args);
	if (!rs) {
		assure_waivers_free(fixed);
		return ASSURE_EXIT_USAGE;
	}

	int rc = ASSURE_EXIT_USAGE;
	assure_repo *repo = NULL;
	assure_snapshot *snap = NULL;
	assure_engine *engine = NULL;
	assure_findings *findings = NULL, *shown = NULL;
	assure_baseline *baseline = NULL;
	assure_buf out = ASSURE_BUF_INIT;
	char commit[41] = "", base_commit[41] = "";
	const char *source = "files";

	if (repo_path) {
		if (assure_repo_open(&repo, repo_path) < 0) {
			fprintf(stderr, "assure: %s\n", assure_error_last());
			goto done;
		}
		if (worktree) {
			source = "worktree";
			if (assure_snapshot_from_worktree(&snap, repo) < 0) {
				fprintf(stderr, "assure: %s\n", assure_error_last());
				goto done;
			}
		} else {
			source = "git";
			if (assure_repo_resolve(repo, rev ? rev : "HEAD", commit) < 0 ||
			    assure_snapshot_from_commit(&snap, repo, commit) < 0) {
				fprintf(stderr, "assure: %s\n", assure_error_last());
				goto done;
			}
		}
	} else if (assure_snapshot_from_paths(&snap, args->positional, args->npositional) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}

	cli_note_skipped(snap);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	opts.as_of = as_of;
	opts.max_file_size = max_file_size;
	opts.max_findings = max_findings;
	assure_check_result result;
	assure_engine_new(&engine, rs);
	assure_findings_new(&findings);
	const char *waivers_file = NULL;
	if (assure_waivers_check(engine, snap, &opts, &ws, findings, &result, &waivers_file) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	if (result.files_checked == 0 && result.parse_failures == 0) {
		/* "0 errors in 0 files" would read as a clean return: nothing was looked at */
		if (repo_path)
			cli_usage_error("check",
			                "no return to check: no rule of %s %s applies to any of the %zu "
			                "file%s in %s of '%s'",
			                assure_ruleset_name(rs), assure_ruleset_version(rs),
			                result.files_seen, result.files_seen == 1 ? "" : "s",
			                worktree ? "the working tree" : "the commit", repo_path);
		else
			cli_usage_error("check",
			                "no return to check: no rule of %s %s applies to the %zu file%s "
			                "given ('assure rules list' shows what each rule reads)",
			                assure_ruleset_name(rs), assure_ruleset_version(rs),
			                result.files_seen, result.files_seen == 1 ? "" : "s");
		goto done;
	}
	size_t hidden = 0;
	if (cli_get(args, "baseline") || cli_get(args, "baseline-file")) {
		baseline = load_baseline(args, engine, repo, &opts, &ws, base_commit);
		if (!baseline)
			goto done;
		assure_findings_new(&shown);
		hidden = assure_baseline_filter(baseline, findings, shown);
	}
	const assure_findings *report = shown ? shown : findings;
	assure_report_meta meta = {
	    .tool_version = ASSURE_VERSION,
	    .rules = rs,
	    .source = source,
	    .repository = repo_path,
	    .commit = commit[0] ? commit : NULL,
	    .as_of = as_of,
	    .result = &result,
	    .color = cli_color(),
	    .baseline = baseline ? (cli_get(args, "baseline") ? cli_get(args, "baseline")
	                                                      : cli_get(args, "baseline-file"))
	                         : NULL,
	    .baseline_commit = base_commit[0] ? base_commit : NULL,
	    .baseline_hidden = hidden,
	    .waivers = waivers_file,
	};
	if (fmt->write(&out, report, &meta) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	if (cli_write(out.ptr, out.len) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	if (cli_flag(args, "stats")) {
		assure_engine_stats st;
		assure_engine_get_stats(engine, &st);
		fprintf(stderr,
		        "stats: %zu files, %lu blobs read, %lu blobs parsed, %lu rule evaluations, %lu "
		        "findings reused\n",
		        result.files_seen, st.blobs_read, st.blobs_parsed, st.evaluations,
		        st.findings_reused);
	}
	rc = ASSURE_EXIT_OK;
	if (assure_report_incomplete(&result))
		rc = ASSURE_EXIT_FINDINGS;
	/* a waived finding does not fail the run; one the baseline hid is not shown at all */
	for (size_t i = 0; i < assure_findings_count(report); i++)
		if (!assure_findings_get(report, i)->waiver &&
		    (int)assure_findings_get(report, i)->severity >= fail_on)
			rc = ASSURE_EXIT_FINDINGS;
	if (repo_path && !worktree)
		rc = cli_unreadable_exit(result.read_failures, false, repo, rc);
done:
	assure_buf_free(&out);
	assure_findings_free(shown);
	assure_findings_free(findings);
	assure_baseline_free(baseline);
	assure_waivers_free(fixed);
	assure_engine_free(engine);
	assure_snapshot_free(snap);
	assure_repo_free(repo);
	assure_ruleset_free(rs);
	return rc;
}
