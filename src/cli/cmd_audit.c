/*
 * cmd_audit.c: `assure audit`, every commit of a range checked and compared with its
 * first parent, and the walk that `assure history` (cmd_history.c) shares.
 */
#include "cli/cli.h"

#include "assure/audit.h"
#include "assure/date.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const cli_opt cli_audit_opts[] = {
    CLI_WALK_OPTS,
    {"paths", "GLOB", true, "report only commits that change a file matching GLOB"},
    {"format", "FMT", false, "report format (default text)"},
    {"out", "PATH", false, "write the report to PATH (a folder for html, which needs it)"},
    {"fail-on", "SEV", false,
     "exit 1 when a finding at or above SEV is open at the end: error (default), warning, info, none"},
    {NULL, NULL, false, NULL},
};

/* ---- progress on a terminal ---- */

typedef struct progress {
	bool on;            /* stderr is a terminal and --quiet was not given */
	struct timespec t0; /* start */
	double last;        /* seconds at the last line drawn */
} progress;

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_progress(size_t done, size_t total, void *payload)
{
	progress *p = payload;
	double s = seconds_since(&p->t0);
	if (done < total && s - p->last < 0.1)
		return;
	p->last = s;
	double rate = s > 0 ? (double)done / s : 0;
	double left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r\033[Kassure: %zu/%zu commits, %.1f/s, %.0fs left", done, total, rate, left);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ---- shared set-up ---- */

static int parse_day(const cli_args *args, const char *cmd, const char *opt, bool *has, int32_t *day)
{
	const char *s = cli_get(args, opt);
	*has = s != NULL;
	if (s && assure_date_parse_iso(day, s) < 0) {
		cli_usage_error(cmd, "--%s must be a date YYYY-MM-DD, not '%s'", opt, s);
		return -1;
	}
	return 0;
}

void cli_walk_free(cli_walk *w)
{
	assure_config_free(w->cfg);
	assure_audit_free(w->audit);
	assure_repo_free(w->repo);
	assure_ruleset_free(w->rs);
	assure_waivers_free(w->waivers);
}

/*
 * A --paths glob that names no file at all is a slip (a misspelt folder), not a quiet range:
 * say so rather than report "0 commits" beside the findings open at the end.
 */
static int paths_name_a_file(cli_walk *w, const assure_audit_opts *o, const char *cmd)
{
	size_t n = assure_audit_commit_count(w->audit);
	for (size_t i = 0; i < n; i++)
		if (assure_audit_commit_at(w->audit, i)->reported)
			return ASSURE_EXIT_OK;
	long last = assure_audit_last(w->audit);
	if (last < 0)
		return ASSURE_EXIT_OK;
	const char *id = assure_audit_commit_at(w->audit, (size_t)last)->info.id;
	assure_snapshot *snap = NULL;
	if (assure_snapshot_from_commit(&snap, w->repo, id) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		return ASSURE_EXIT_USAGE;
	}
	bool named = false;
	for (size_t i = 0; i < assure_snapshot_count(snap) && !named; i++)
		for (size_t g = 0; g < o->npaths && !named; g++)
			named = assure_glob_match(o->paths[g], assure_snapshot_file(snap, i)->path);
	assure_snapshot_free(snap);
	if (named)
		return ASSURE_EXIT_OK;
	assure_buf globs = ASSURE_BUF_INIT;
	for (size_t g = 0; g < o->npaths; g++)
		assure_buf_printf(&globs, "%s'%s'", g ? ", " : "", o->paths[g]);
	cli_usage_error(cmd,
	                "--paths %s: no file matches, neither in the last commit (%.12s) nor among "
	                "the changes of the range",
	                globs.ptr, id);
	assure_buf_free(&globs);
	return ASSURE_EXIT_USAGE;
}

/*
 * The configuration of a walk: assure.json as it is in the last commit of the range. One audit
 * is one rule set with one set of params across all its commits, or a change of configuration
 * would show as findings opened and resolved by commits that changed no return; the range's
 * end is what the audit reports as open, so its configuration is the one that applies.
 */
static int walk_config(cli_walk *w, const cli_args *args, const char *range)
{
	const char *dots = range ? strstr(range, "..") : NULL;
	char *end = assure_xstrdup(dots ? dots + 2 + (dots[2] == '.') : range ? range : "HEAD");
	if (!end[0]) { /* "A.." ends at HEAD, as git has it */
		free(end);
		end = assure_xstrdup("HEAD");
	}
	char id[41];
	assure_snapshot *snap = NULL;
	/* the walk would resolve the same revision, and fail the same way: say it once, here */
	if (assure_repo_resolve(w->repo, end, id) < 0 ||
	    assure_snapshot_from_commit(&snap, w->repo, id) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		free(end);
		return -1;
	}
	free(end);
	int rc = cli_config_load(&w->cfg, args, snap);
	assure_snapshot_free(snap);
	return rc;
}

int cli_walk_run(cli_walk *w, const cli_args *args, const char *cmd, bool with_paths)
{
	memset(w, 0, sizeof(*w));
	const char *repo_path = cli_get(args, "repo");
	if (!repo_path)
		return cli_usage_error(cmd, "give the repository with --repo DIR");
	if (args->npositional > 1)
		return cli_usage_error(cmd, "give one range (A..B or a revision), not %zu",
		                       args->npositional);
	assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
	o.range = args->npositional ? args->positional[0] : NULL;
	o.first_parent = cli_flag(args, "first-parent");
	if (parse_day(args, cmd, "since", &o.has_since, &o.since) < 0 ||
	    parse_day(args, cmd, "until", &o.has_until, &o.until) < 0 ||
	    parse_day(args, cmd, "as-of", &o.has_as_of, &o.as_of) < 0)
		return ASSURE_EXIT_USAGE;
	if (cli_max_file_size(args, cmd, &o.max_file_size) < 0 ||
	    cli_max_findings(args, cmd, &o.max_findings) < 0)
		return ASSURE_EXIT_USAGE;
	if (with_paths)
		o.npaths = cli_all(args, "paths", &o.paths);
	if (cli_waivers(args, cmd, &o.waivers, &w->waivers) < 0)
		return ASSURE_EXIT_USAGE;
	progress p = {.on = isatty(STDERR_FILENO) && !cli_flag(args, "quiet")};
	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	if (p.on) {
		o.progress = on_progress;
		o.payload = &p;
	}
	if (assure_repo_open(&w->repo, repo_path) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		return ASSURE_EXIT_USAGE;
	}
	if (walk_config(w, args, o.range) < 0)
		return ASSURE_EXIT_USAGE;
	o.ignore = assure_config_engine_ignore(w->cfg, &o.nignore);
	/* the waivers file the repository names, unless --waivers takes them from outside it */
	if (!cli_get(args, "waivers"))
		o.waivers.opts.path = assure_config_waivers(w->cfg);
	if (!(w->rs = cli_load_rules_with(args, w->cfg)))
		return ASSURE_EXIT_USAGE;
	/* "0 intervals" for a misspelt id would read as "this rule never fired" */
	static const char *const tool_rules[] = {ASSURE_RULE_PARSE,          ASSURE_RULE_EVAL,
	                                         ASSURE_RULE_LIMIT,          ASSURE_RULE_WAIVER_INVALID,
	                                         ASSURE_RULE_WAIVER_EXPIRED, ASSURE_RULE_WAIVER_UNUSED,
	                                         ASSURE_RULE_WAIVER_SELF};
	const char *rule = cli_get(args, "rule");
	bool known = !rule;
	for (size_t i = 0; i < sizeof(tool_rules) / sizeof(*tool_rules) && !known; i++)
		known = strcmp(rule, tool_rules[i]) == 0;
	if (!known && !cli_find_rule(w->rs, cmd, rule))
		return ASSURE_EXIT_USAGE;
	if (assure_audit_run(&w->audit, w->repo, w->rs, &o) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		return ASSURE_EXIT_USAGE;
	}
	/* CI checkouts are often shallow: say why the oldest commits show everything as new */
	for (size_t i = 0; i < assure_audit_commit_count(w->audit); i++) {
		const assure_audit_commit *c = assure_audit_commit_at(w->audit, i);
		if (c->shallow)
			fprintf(
			    stderr,
			    "assure: warning: '%s' is a shallow clone: the parents of %.12s are not in it, "
			    "so it is compared with nothing (git fetch --unshallow gets the whole "
			    "history)\n",
			    repo_path, c->info.id);
	}
	for (size_t i = 0; i < assure_audit_commit_count(w->audit); i++)
		w->unreadable += assure_audit_commit_at(w->audit, i)->result.read_failures > 0;
	/* what the last commit holds that is no file (a submodule, a link) was not looked at */
	long last = assure_audit_last(w->audit);
	if (last >= 0) {
		assure_snapshot *snap = NULL;
		if (assure_snapshot_from_commit(&snap, w->repo,
		                                assure_audit_commit_at(w->audit, (size_t)last)->info.id) == 0)
			cli_note_skipped(snap);
		assure_snapshot_free(snap);
	}
	if (o.npaths) {
		int rc = paths_name_a_file(w, &o, cmd);
		if (rc != ASSURE_EXIT_OK)
			return rc;
	}
	w->meta = (assure_audit_meta){
	    .tool_version = ASSURE_VERSION,
	    .rules = w->rs,
	    .repository = repo_path,
	    .range = o.range,
	    .first_parent = o.first_parent,
	    .since = cli_get(args, "since"),
	    .until = cli_get(args, "until"),
	    .paths = o.paths,
	    .npaths = o.npaths,
	    .has_as_of = o.has_as_of,
	    .as_of = o.as_of,
	};
	if (cli_flag(args, "stats")) {
		assure_audit_stats st;
		assure_audit_get_stats(w->audit, &st);
		fprintf(stderr,
		        "stats: %zu commits, %lu trees read, %lu blobs read, %lu blobs parsed, %lu rule "
		        "evaluations, "
		        "%lu findings reused, %zu snapshots held at most, %lu partitions evaluated (at "
		        "most %lu in one commit), %lu nodes kept in them, %lu returns let go\n",
		        st.commits, st.repo.trees_read, st.repo.blobs_read, st.engine.blobs_parsed,
		        st.engine.evaluations, st.engine.findings_reused, st.live_max,
		        st.engine.partitions_evaluated, st.partitions_max, st.engine.nodes_reused,
		        st.engine.returns_let_go);
	}
	return ASSURE_EXIT_OK;
}

/* ---- writing the report ---- */

typedef struct sink {
	const char *out; /* --out, or NULL for standard output */
	size_t files;    /* files written under out */
	cli_out file;    /* --out of a single-file format, once its first piece came */
	bool open;       /* file is open */
} sink;

static int make_dirs(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return assure_error_set("path too long: '%s'", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return assure_error_set("cannot create '%s': %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0777) < 0 && errno != EEXIST)
		return assure_error_set("cannot create '%s': %s", buf, strerror(errno));
	return 0;
}

/* A single-file format's pieces go to --out or standard output as they come; a folder's files whole. */
static int emit(const char *name, const char *data, size_t len, void *payload)
{
	sink *s = payload;
	if (!name && !s->out)
		return cli_write(data, len);
	if (!name) {
		if (!s->open) {
			/* a single file's folder is made as a report folder's is */
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s", s->out);
			char *slash = strrchr(dir, '/');
			if (slash && slash != dir) {
				*slash = '\0';
				if (make_dirs(dir) < 0)
					return -1;
			}
			if (cli_out_open(&s->file, s->out) < 0)
				return -1;
			s->open = true;
			s->files++;
		}
		return cli_out_write(&s->file, data, len);
	}
	s->files++;
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/%s", s->out, name) >= (int)sizeof(path))
		return assure_error_set("path too long: '%s/%s'", s->out, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	int rc = make_dirs(path);
	*slash = '/';
	return rc < 0 ? rc : cli_write_file(path, data, len);
}

bool cli_audit_choices(const char *option, size_t i, const char **name, const char **description)
{
	const assure_audit_format *f = assure_audit_formats();
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

int cli_audit(const cli_args *args)
{
	const char *fmt_name = cli_get(args, "format");
	const assure_audit_format *fmt = assure_audit_format_find(fmt_name ? fmt_name : "text");
	if (!fmt)
		return cli_usage_error("audit", "unknown format '%s' (%s)", fmt_name,
		                       assure_audit_format_names());
	const char *out = cli_get(args, "out");
	if (fmt->folder && !out)
		return cli_usage_error("audit", "--format %s writes a folder: give it with --out DIR",
		                       fmt->name);
	int fail_on;
	if (cli_fail_on(args, "audit", &fail_on) < 0)
		return ASSURE_EXIT_USAGE;
	cli_walk w;
	int rc = cli_walk_run(&w, args, "audit", true);
	if (rc != ASSURE_EXIT_OK) {
		cli_walk_free(&w);
		return rc;
	}
	if (!cli_get(args, "fail-on"))
		fail_on = assure_config_fail_on(w.cfg);
	sink s = {out, 0, {0}, false};
	if (fmt->folder && make_dirs(out) < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		cli_walk_free(&w);
		return ASSURE_EXIT_USAGE;
	}
	int wrc = fmt->write(w.audit, &w.meta, emit, &s);
	/* a report that could not be written whole leaves nothing at --out */
	if (s.open && cli_out_close(&s.file, wrc == 0) < 0)
		wrc = -1;
	if (wrc < 0) {
		fprintf(stderr, "assure: %s\n", assure_error_last());
		cli_walk_free(&w);
		return ASSURE_EXIT_USAGE;
	}
	if (out) /* say where the report went: nothing on standard output says it */
		fprintf(stderr, "assure audit: wrote %s (%zu %s)\n", out, s.files,
		        s.files == 1 ? "file" : "files");
	/* Like check: what is open at the end decides, and an incomplete last check fails. */
	long last = assure_audit_last(w.audit);
	rc = ASSURE_EXIT_OK;
	if (last >= 0) {
		const assure_audit_commit *c = assure_audit_commit_at(w.audit, (size_t)last);
		if (c->result.parse_failures || c->result.eval_failures)
			rc = ASSURE_EXIT_FINDINGS;
		/* a finding a waiver of the last commit accepts does not fail the run */
		for (int sev = fail_on; sev < ASSURE_SEV_COUNT; sev++)
			if (c->counts[sev] > c->waived[sev])
				rc = ASSURE_EXIT_FINDINGS;
	}
	rc = cli_unreadable_exit(w.unreadable, true, w.repo, rc);
	cli_walk_free(&w);
	return rc;
}
