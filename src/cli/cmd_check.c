/* cmd_check.c: `assure check`, one snapshot against the rule set. */
#include "cli/cli.h"

#include "assure/baseline.h"
#include "assure/buf.h"
#include "assure/engine.h"
#include "assure/file.h"
#include "assure/repo.h"
#include "assure/report.h"
#include "assure/waiver.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_opt cli_check_opts[] = {
    {"repo", "DIR", false, "read the returns from the git repository DIR"},
    {"rev", "REV", false, "the commit to check (default HEAD)"},
    {"worktree", NULL, false, "check the working tree of --repo instead of a commit"},
    {"index", NULL, false, "check the files staged in the index of --repo (what a commit would hold)"},
    CLI_RULE_OPTS,
    CLI_IGNORE_OPT,
    CLI_CONFIG_OPTS,
    CLI_MAX_FILE_SIZE_OPT,
    CLI_MAX_FINDINGS_OPT,
    {"as-of", "DATE", false, "reference date YYYY-MM-DD for date rules (default today, UTC)"},
    {"format", "FMT", true, "report format (default text)"},
    {"output", "FILE", true,
     "write the report of the --format just before it to FILE, whole or not at all; the one "
     "--format without --output goes to standard output"},
    {"repository-uri", "URI", false,
     "the absolute URI SARIF names the repository by (default: its remote.origin.url)"},
    {"fail-on", "SEV", false,
     "exit 1 when a finding is at or above SEV: error (default), warning, info, none"},
    {"changed-since", "REV", false,
     "report only findings in the files that differ from those of commit REV (a push's changes; "
     "git's empty tree 4b825dc6... for a root commit)"},
    {"domain", "NAME", true,
     "report only findings of rules of domain NAME (validity includes the tool's own: ASSURE-PARSE...)"},
    {"stats", NULL, false, "print counts of blobs read and parsed and rules evaluated to stderr"},
    {"baseline", "REV", false,
     "check REV of --repo too, and report and fail on only the findings REV does not have"},
    {"baseline-file", "FILE", false,
     "report and fail on only the findings a saved --format json report FILE does not have"},
    CLI_WAIVER_OPTS,
    {NULL, NULL, false, NULL},
};

bool cli_check_choices(const char *option, size_t i, const char **name, const char **description)
{
	const assure_report_format *f = assure_report_formats();
	if (strcmp(option, "format") != 0)
		return false;
	for (size_t k = 0; k < i; k++)
		if (!f[k].name)
			return false;
	if (!f[i].name)
		return false;
	*name = f[i].name;
	*description = f[i].description;
	return true;
}

/* One report to write: a format and where it goes. */
typedef struct report_out {
	const assure_report_format *fmt; /* from the format table */
	const char *path;                /* --output, or NULL for standard output */
} report_out;

#define MAX_REPORTS CLI_MAX_VALUES

/* The place in argv of the i-th value of option `name`. */
static int order_of(const cli_args *args, const char *name, size_t i)
{
	for (size_t k = 0; args->opts[k].name; k++)
		if (strcmp(args->opts[k].name, name) == 0)
			return args->order[k][i];
	return -1;
}

/*
 * Pair every --output with the --format given before it: `--format sarif --output a.sarif
 * --format text` writes a.sarif and prints text. Returns the number of reports, or -1 after a
 * usage error.
 */
static long plan_reports(const cli_args *args, report_out *outs)
{
	const char *const *formats = NULL, *const *outputs = NULL;
	size_t nf = cli_all(args, "format", &formats), no = cli_all(args, "output", &outputs);
	if (nf == 0) {
		outs[0] = (report_out){assure_report_format_find("text"), NULL};
		if (no) {
			cli_usage_error(
			    "check",
			    "--output '%s' has no --format before it (give --format FMT --output FILE)",
			    outputs[0]);
			return -1;
		}
		return 1;
	}
	for (size_t i = 0; i < nf; i++) {
		outs[i] = (report_out){assure_report_format_find(formats[i]), NULL};
		if (!outs[i].fmt) {
			cli_usage_error("check", "unknown format '%s' (%s)", formats[i],
			                assure_report_format_names());
			return -1;
		}
	}
	for (size_t j = 0; j < no; j++) {
		int at = order_of(args, "output", j);
		long owner = -1;
		for (size_t i = 0; i < nf; i++)
			if (order_of(args, "format", i) < at)
				owner = (long)i;
		if (owner < 0) {
			cli_usage_error(
			    "check",
			    "--output '%s' has no --format before it (give --format FMT --output FILE)",
			    outputs[j]);
			return -1;
		}
		if (outs[owner].path) {
			cli_usage_error(
			    "check",
			    "--format %s has two outputs, '%s' and '%s' (give --format again before each)",
			    outs[owner].fmt->name, outs[owner].path, outputs[j]);
			return -1;
		}
		for (size_t i = 0; i < nf; i++)
			if (outs[i].path && strcmp(outs[i].path, outputs[j]) == 0) {
				cli_usage_error("check", "--output '%s' is given twice", outputs[j]);
				return -1;
			}
		outs[owner].path = outputs[j];
	}
	const char *to_stdout = NULL;
	for (size_t i = 0; i < nf; i++) {
		if (outs[i].path)
			continue;
		if (to_stdout) {
			cli_usage_error(
			    "check",
			    "--format %s and --format %s both go to standard output: give one of them "
			    "--output FILE",
			    to_stdout, outs[i].fmt->name);
			return -1;
		}
		to_stdout = outs[i].fmt->name;
	}
	return (long)nf;
}

/*
 * The repository's URI for SARIF, from its remote.origin.url (*owned gets what to free): an
 * absolute URI as it is, without the user and password an https URL may carry (a token is no
 * evidence, and a report is shared); an scp-like "git@host:org/repo.git" as ssh://; a local
 * path gives none, since a path of this machine would make the report differ between machines.
 */
static const char *origin_uri(assure_repo *repo, char **owned)
{
	*owned = NULL;
	char *url = NULL;
	if (assure_repo_config_get(repo, "remote.origin.url", &url) < 0 || !url)
		return NULL;
	const char *p = url;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	assure_buf b = ASSURE_BUF_INIT;
	if (p > url && isalpha((unsigned char)url[0]) && strncmp(p, "://", 3) == 0) {
		const char *host = p + 3, *slash = strchr(host, '/'), *at = strchr(host, '@');
		bool http = strncmp(url, "http", 4) == 0;
		assure_buf_put(&b, url, (size_t)(host - url));
		if (http && at && (!slash || at < slash))
			host = at + 1;
		assure_buf_puts(&b, host);
	} else if (!strchr(url, '/') || (strchr(url, ':') && strchr(url, ':') < strchr(url, '/'))) {
		const char *colon = strchr(url, ':');
		if (colon && colon > url) {
			assure_buf_puts(&b, "ssh://");
			assure_buf_put(&b, url, (size_t)(colon - url));
			assure_buf_putc(&b, '/');
			assure_buf_puts(&b, colon[1] == '/' ? colon + 2 : colon + 1);
		}
	}
	free(url);
	if (!b.len) {
		assure_buf_free(&b);
		return NULL;
	}
	*owned = assure_buf_detach(&b);
	return *owned;
}

/* Whether s is an absolute URI: a scheme (RFC 3986: a letter, then letters, digits, + - .) and ':'. */
static bool absolute_uri(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':' && s[1];
}

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

/* The id of git's empty tree (git hash-object -t tree /dev/null): what a root commit changes from. */
#define EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/*
 * Keep of `all` only the findings in files whose path or content differs from those of `base`
 * (both sorted by path), and, given domains, only those of rules of one of them: what a push
 * hook asks of a check. Snapshot-wide findings (path "") are about no file a change names.
 */
static void keep_only(assure_findings *all, const assure_snapshot *snap, const assure_snapshot *base,
                      const char *const *domains, size_t ndomains)
{
	assure_findings *kept;
	assure_findings_new(&kept);
	for (size_t i = 0; i < assure_findings_count(all); i++) {
		const assure_finding *f = assure_findings_get(all, i);
		bool keep = true;
		if (base) {
			long now = assure_snapshot_find(snap, f->path),
			     then = assure_snapshot_find(base, f->path);
			keep = f->path[0] && now >= 0 &&
			       (then < 0 || strcmp(assure_snapshot_file(snap, (size_t)now)->oid,
			                           assure_snapshot_file(base, (size_t)then)->oid) != 0);
		}
		bool in_domain = ndomains == 0;
		for (size_t d = 0; d < ndomains && !in_domain; d++)
			in_domain = strcmp(f->domain, domains[d]) == 0;
		if (keep && in_domain)
			assure_findings_share(kept, all, i);
	}
	assure_findings_truncate(all, 0);
	assure_findings_extend(all, kept);
	assure_findings_free(kept);
}

/* Whether a rule of rs is of domain d; validity always is, the tool's own findings being of it. */
static bool known_domain(const assure_ruleset *rs, const char *d)
{
	if (strcmp(d, "validity") == 0)
		return true;
	for (size_t i = 0; i < assure_ruleset_count(rs); i++)
		if (strcmp(assure_ruleset_rule(rs, i)->domain, d) == 0)
			return true;
	return false;
}

int cli_check(const cli_args *args)
{
	const char *repo_path = cli_get(args, "repo");
	const char *rev = cli_get(args, "rev");
	bool worktree = cli_flag(args, "worktree"), index = cli_flag(args, "index");
	const char *since = cli_get(args, "changed-since");
	const char *const *domains;
	size_t ndomains = cli_all(args, "domain", &domains);
	if (repo_path && args->npositional)
		return cli_usage_error("check", "give either --repo or paths, not both");
	if (!repo_path && (rev || worktree || index || since))
		return cli_usage_error("check", "%s needs --repo DIR: the repository whose %s to check",
		                       worktree ? "--worktree"
		                       : index  ? "--index"
		                       : rev    ? "--rev"
		                                : "--changed-since",
		                       worktree ? "working tree"
		                       : index  ? "index"
		                                : "commit");
	if (!repo_path && !args->npositional)
		return cli_usage_error("check", "nothing to check: give --repo DIR or paths");
	if ((rev != NULL) + worktree + index > 1)
		return cli_usage_error("check", "give one of --rev, --worktree and --index");
	report_out outs[MAX_REPORTS];
	long nouts = plan_reports(args, outs);
	if (nouts < 0)
		return ASSURE_EXIT_USAGE;
	const char *repository_uri = cli_get(args, "repository-uri");
	if (repository_uri && !absolute_uri(repository_uri))
		return cli_usage_error(
		    "check", "--repository-uri '%s' is not an absolute URI (https://host/org/repo.git)",
		    repository_uri);
	if (cli_get(args, "baseline") && cli_get(args, "baseline-file"))
		return cli_usage_error("check", "give either --baseline or --baseline-file, not both");
	if (cli_get(args, "baseline") && !repo_path)
		return cli_usage_error("check",
		                       "--baseline needs --repo DIR: the repository of the commit to "
		                       "compare with");
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
	int rc = ASSURE_EXIT_USAGE;
	assure_ruleset *rs = NULL;
	assure_config *cfg = NULL;
	assure_repo *repo = NULL;
	assure_snapshot *snap = NULL, *base = NULL;
	assure_engine *engine = NULL;
	assure_findings *findings = NULL, *shown = NULL, *passes = NULL;
	assure_baseline *baseline = NULL;
	assure_buf out = ASSURE_BUF_INIT;
	char commit[41] = "", base_commit[41] = "";
	const char *source = "files";
	char *origin = NULL;

	if (repo_path) {
		if (assure_repo_open(&repo, repo_path) < 0) {
			fprintf(stderr, "assure: %s\n", assure_error_last());
			goto done;
		}
		if (worktree || index) {
			source = worktree ? "worktree" : "index";
			if ((worktree ? assure_snapshot_from_worktree(&snap, repo)
			              : assure_snapshot_from_index(&snap, repo)) < 0) {
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
		char base_id[41];
		/* git's empty tree stands for "before the first commit": a root commit changes everything */
		if (since && strcmp(since, EMPTY_TREE) == 0) {
			if (assure_snapshot_from_paths(&base, NULL, 0) < 0) {
				fprintf(stderr, "assure: %s\n", assure_error_last());
				goto done;
			}
		} else if (since && (assure_repo_resolve(repo, since, base_id) < 0 ||
		                     assure_snapshot_from_commit(&base, repo, base_id) < 0)) {
			fprintf(stderr, "assure: --changed-since: %s\n", assure_error_last());
			goto done;
		}
	} else if (assure_snapshot_from_paths(&snap, args->positional, args->npositional) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}

	/* the repository's assure.json, read from what is checked; plain files have none */
	if (cli_config_load(&cfg, args, repo_path ? snap : NULL) < 0)
		goto done;
	if (!cli_get(args, "fail-on"))
		fail_on = assure_config_fail_on(cfg);
	/* the waivers file the repository names, unless --waivers takes them from outside it */
	if (!cli_get(args, "waivers"))
		ws.opts.path = assure_config_waivers(cfg);
	if (!(rs = cli_load_rules_with(args, cfg)))
		goto done;
	/* a misspelt domain would report nothing, and a hook would let everything in */
	for (size_t d = 0; d < ndomains; d++)
		if (!known_domain(rs, domains[d])) {
			assure_buf all = ASSURE_BUF_INIT;
			assure_buf_puts(&all, "validity");
			for (size_t i = 0; i < assure_ruleset_count(rs); i++) {
				const char *dom = assure_ruleset_rule(rs, i)->domain;
				bool seen = strcmp(dom, "validity") == 0;
				for (size_t j = 0; j < i && !seen; j++)
					seen = strcmp(assure_ruleset_rule(rs, j)->domain, dom) == 0;
				if (!seen)
					assure_buf_printf(&all, ", %s", dom);
			}
			cli_usage_error("check", "--domain '%s': no rule of %s %s is of that domain (%s)",
			                domains[d], assure_ruleset_name(rs), assure_ruleset_version(rs),
			                all.ptr);
			assure_buf_free(&all);
			goto done;
		}
	cli_note_skipped(snap);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	opts.as_of = as_of;
	opts.max_file_size = max_file_size;
	opts.max_findings = max_findings;
	/* JUnit lists the subjects that passed as well: only then are they collected */
	for (long i = 0; i < nouts; i++)
		if (strcmp(outs[i].fmt->name, "junit") == 0 && !passes)
			assure_findings_new(&passes);
	opts.passes = passes;
	assure_check_result result;
	assure_engine_new(&engine, rs);
	size_t nignore;
	const char *const *ignore = assure_config_engine_ignore(cfg, &nignore);
	assure_engine_set_ignore(engine, ignore, nignore);
	assure_findings_new(&findings);
	const char *waivers_file = NULL;
	if (assure_waivers_check(engine, snap, &opts, &ws, findings, &result, &waivers_file) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		goto done;
	}
	if (base || ndomains)
		keep_only(findings, snap, base, domains, ndomains);
	if (passes && (base || ndomains))
		keep_only(passes, snap, base, domains, ndomains);
	/* a push that holds no return yet (a first README) has nothing a hook could refuse */
	if (result.files_checked == 0 && result.parse_failures == 0 && !base) {
		/* "0 errors in 0 files" would read as a clean return: nothing was looked at */
		if (repo_path)
			cli_usage_error("check",
			                "no return to check: no rule of %s %s applies to any of the %zu "
			                "file%s in %s of '%s'",
			                assure_ruleset_name(rs), assure_ruleset_version(rs),
			                result.files_seen, result.files_seen == 1 ? "" : "s",
			                worktree ? "the working tree"
			                : index  ? "the index"
			                         : "the commit",
			                repo_path);
		else
			cli_usage_error("check",
			                "no return to check: no rule of %s %s applies to the %zu file%s "
			                "given ('assure rules list' shows what each rule reads)",
			                assure_ruleset_name(rs), assure_ruleset_version(rs),
			                result.files_seen, result.files_seen == 1 ? "" : "s");
		goto done;
	}
	assure_findings_sort(findings);
	if (passes)
		assure_findings_sort(passes);
	opts.passes = NULL; /* the baseline's check lists no passes */
	if (repo && !worktree && !index && !repository_uri)
		repository_uri = origin_uri(repo, &origin);
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
	    .repository_uri = repository_uri,
	    .as_of = as_of,
	    .result = &result,
	    .baseline = baseline ? (cli_get(args, "baseline") ? cli_get(args, "baseline")
	                                                      : cli_get(args, "baseline-file"))
	                         : NULL,
	    .baseline_commit = base_commit[0] ? base_commit : NULL,
	    .baseline_hidden = hidden,
	    .waivers = waivers_file,
	    .passes = passes,
	};
	/* one evaluation, every report: a file is written whole or not at all, and a failure to
	   write one is said with its name but does not stop the others */
	bool write_failed = false;
	for (long i = 0; i < nouts; i++) {
		meta.color = !outs[i].path && cli_color();
		assure_buf_clear(&out);
		int wrc = outs[i].fmt->write(&out, report, &meta);
		if (wrc == 0)
			wrc = outs[i].path ? cli_write_file(outs[i].path, out.ptr, out.len)
			                   : cli_write(out.ptr, out.len);
		if (wrc < 0) {
			fprintf(stderr, "assure: %s\n", assure_error_last());
			write_failed = true;
		}
	}
	if (write_failed)
		goto done;
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
	/*
	 * A run that reports only part of what it checked is incomplete where that part is: a file
	 * left unparsed outside the changes is not this change's to answer for.
	 */
	bool incomplete = assure_report_incomplete(&result);
	if (base || ndomains) {
		incomplete = false;
		for (size_t i = 0; i < assure_findings_count(report); i++) {
			const char *id = assure_findings_get(report, i)->rule_id;
			incomplete |= strcmp(id, ASSURE_RULE_PARSE) == 0 || strcmp(id, ASSURE_RULE_EVAL) == 0;
		}
	}
	if (incomplete)
		rc = ASSURE_EXIT_FINDINGS;
	/* a waived finding does not fail the run; one the baseline hid is not shown at all */
	for (size_t i = 0; i < assure_findings_count(report); i++)
		if (!assure_findings_get(report, i)->waiver &&
		    (int)assure_findings_get(report, i)->severity >= fail_on)
			rc = ASSURE_EXIT_FINDINGS;
	if (repo_path && !worktree)
		rc = cli_unreadable_exit(result.read_failures, false, repo, rc);
done:
	free(origin);
	assure_buf_free(&out);
	assure_findings_free(shown);
	assure_findings_free(passes);
	assure_findings_free(findings);
	assure_baseline_free(baseline);
	assure_waivers_free(fixed);
	assure_engine_free(engine);
	assure_snapshot_free(base);
	assure_snapshot_free(snap);
	assure_repo_free(repo);
	assure_ruleset_free(rs);
	assure_config_free(cfg);
	return rc;
}
