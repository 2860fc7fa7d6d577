/*
 * bench_audit.c: what an audit of N commits costs against N full snapshot checks.
 *
 * Builds a synthetic history (git fast-import, fixed dates): a first commit with F
 * returns, then N-1 commits that each change one of them. Times, in the same run,
 *  - the audit of the whole history (one engine, snapshots derived from the parent's);
 *  - N full checks, one per commit, each as `assure check --rev` would do it (the
 *    snapshot read from the commit's tree, a fresh engine),
 * and prints both, their ratio, and the counters of each.
 *
 * Usage: bench_audit [COMMITS [FILES]]   (default 400 commits, 200 files)
 * Build: cmake --build BUILD --target bench_audit (not part of ctest).
 */
#include "assure/audit.h"

#include "assure/diag.h"
#include "assure/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const rules =
    "{\"ruleset\": \"bench\", \"version\": \"1.0.0\", \"rules\": [\n"
    " {\"id\": \"LIM-001\", \"title\": \"limit\", \"severity\": \"error\", \"domain\": \"finance\",\n"
    "  \"applies_to\": {\"paths\": [\"returns/**/*.json\"]}, \"for_each\": \"$.lines[*]\",\n"
    "  \"assert\": \"@.value <= 90\", \"message\": \"{@.name} is {@.value}\", \"subject\": \"$.org + ' ' + "
    "@.name\"},\n"
    " {\"id\": \"SUM-001\", \"title\": \"sum\", \"severity\": \"warning\", \"domain\": \"finance\",\n"
    "  \"applies_to\": {\"paths\": [\"returns/**/*.json\"]}, \"scope\": \"snapshot\",\n"
    "  \"let\": {\"t\": \"sum(map($.returns[*].doc.total, @))\"},\n"
    "  \"assert\": \"t >= 0\", \"message\": \"total {t}\", \"subject\": \"'system'\"},\n"
    " {\"id\": \"DUE-001\", \"title\": \"due\", \"severity\": \"info\", \"domain\": \"governance\",\n"
    "  \"applies_to\": {\"paths\": [\"returns/**/*.json\"]},\n"
    "  \"assert\": \"date($.due) >= as_of\", \"message\": \"due {$.due}\", \"subject\": \"$.org\"}\n"
    "]}\n";

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sh(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_audit: failed: %s\n", cmd);
		exit(2);
	}
}

/* The text of organisation org's return in revision rev: 20 lines, a total and a due date. */
static void return_text(char text[4096], int org, int rev)
{
	int n = snprintf(text, 4096,
	                 "{\"org\": \"O%03d\", \"total\": %d.%d, \"due\": \"2021-%02d-15\", \"lines\": [",
	                 org, org % 50, rev % 10, 1 + org % 12);
	for (int k = 0; k < 20; k++)
		n += snprintf(text + n, 4096 - (size_t)n, "%s{\"name\": \"L%02d\", \"value\": %d}",
		              k ? ", " : "", k, (org * 7 + k * 13 + rev) % 100);
	snprintf(text + n, 4096 - (size_t)n, "]}\n");
}

static void build(const char *repo, int commits, int files)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "git -c init.defaultBranch=main init -q '%s'", repo);
	sh(cmd);
	snprintf(cmd, sizeof(cmd), "git -C '%s' fast-import --quiet", repo);
	FILE *p = popen(cmd, "w");
	if (!p)
		exit(2);
	long t = 1609491600; /* 2021-01-01 09:00 UTC */
	for (int i = 0; i < commits; i++) {
		fprintf(p, "commit refs/heads/main\nauthor Bench <b@example.nhs.uk> %ld +0000\n",
		        t + i * 3600L);
		fprintf(p, "committer Bench <b@example.nhs.uk> %ld +0000\ndata 6\ncommit\n", t + i * 3600L);
		for (int f = 0; f < files; f++) {
			if (i > 0 && f != i % files)
				continue;
			fprintf(p, "M 100644 inline returns/r%03d/o%03d.json\n", f / 10, f);
			char text[4096];
			return_text(text, f, i);
			fprintf(p, "data <<EOF\n%sEOF\n", text);
		}
		fputc('\n', p);
	}
	if (pclose(p) != 0) {
		fprintf(stderr, "bench_audit: fast-import failed\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	int commits = argc > 1 ? atoi(argv[1]) : 400, files = argc > 2 ? atoi(argv[2]) : 200;
	char tmpl[] = "/tmp/bench-audit-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	char repo[128], rdir[128], cmd[512];
	snprintf(repo, sizeof(repo), "%s/repo", tmpl);
	snprintf(rdir, sizeof(rdir), "%s/rules.json", tmpl);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	build(repo, commits, files);
	FILE *rf = fopen(rdir, "w");
	fputs(rules, rf);
	fclose(rf);

	assure_ruleset *rs;
	assure_diags *d;
	assure_ruleset_new(&rs);
	assure_diags_new(&d);
	if (assure_ruleset_load(rs, rdir, d) < 0 || assure_diags_count(d)) {
		fprintf(stderr, "bench_audit: rules: %s\n",
		        assure_diags_count(d) ? assure_diags_get(d, 0)->message : "");
		return 2;
	}
	assure_repo *r;
	if (assure_repo_open(&r, repo) < 0)
		return 2;

	/* The audit. */
	double t0 = now();
	assure_audit *a;
	assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
	if (assure_audit_run(&a, r, rs, &o) < 0) {
		fprintf(stderr, "bench_audit: %s\n", assure_error_last());
		return 2;
	}
	double t_audit = now() - t0;
	assure_audit_stats st;
	assure_audit_get_stats(a, &st);

	/* N full checks, as N runs of `assure check --rev` would make them. */
	assure_repo_stats before;
	assure_repo_get_stats(r, &before);
	size_t n = assure_audit_commit_count(a), findings_full = 0, findings_audit = 0;
	unsigned long parsed = 0, evals = 0;
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		const assure_audit_commit *c = assure_audit_commit_at(a, i);
		assure_snapshot *s;
		assure_engine *e;
		assure_findings *l;
		if (assure_snapshot_from_commit(&s, r, c->info.id) < 0)
			return 2;
		assure_engine_new(&e, rs);
		assure_findings_new(&l);
		assure_check_opts co = ASSURE_CHECK_OPTS_INIT;
		co.as_of = c->as_of;
		assure_engine_check(e, s, &co, l, NULL);
		assure_engine_stats es;
		assure_engine_get_stats(e, &es);
		parsed += es.blobs_parsed;
		evals += es.evaluations;
		findings_full += assure_findings_count(l);
		findings_audit += c->total;
		assure_findings_free(l);
		assure_engine_free(e);
		assure_snapshot_free(s);
	}
	double t_full = now() - t0;
	assure_repo_stats after;
	assure_repo_get_stats(r, &after);

	printf("history: %d commits, %d files, each commit after the first changes one file\n", commits,
	       files);
	printf("audit:       %8.3f s  trees %lu, blobs parsed %lu, evaluations %lu, findings reused %lu, "
	       "snapshots held at "
	       "most %zu\n",
	       t_audit, st.repo.trees_read, st.engine.blobs_parsed, st.engine.evaluations,
	       st.engine.findings_reused, st.live_max);
	printf("full checks: %8.3f s  trees %lu, blobs parsed %lu, evaluations %lu\n", t_full,
	       after.trees_read - before.trees_read, parsed, evals);
	printf("ratio: the audit costs %.3f of the full checks (%.1fx faster)\n", t_audit / t_full,
	       t_full / t_audit);
	printf("same findings: %s (%zu)\n", findings_full == findings_audit ? "yes" : "NO", findings_full);

	assure_audit_free(a);
	assure_repo_free(r);
	assure_diags_free(d);
	assure_ruleset_free(rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	sh(cmd);
	return findings_full == findings_audit ? 0 : 1;
}
