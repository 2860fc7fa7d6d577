/*
 * audit_fixture.h: a rule set and a repository built at test time for the tests of
 * src/history/ (test_audit.c, test_history.c), on top of git_fixture.h.
 *
 * The rule LIM-001 raises an error when a return's value is above 10 (subject: its org);
 * DUE-001 a warning for each action past its due date (subject: its code); SUM-001, LNK-001 and
 * MIS-001 join returns (a group; lookups; a lookup per node beside a value all nodes read).
 */
#ifndef ASSURE_TEST_AUDIT_FIXTURE_H
#define ASSURE_TEST_AUDIT_FIXTURE_H

#include "assure/audit.h"
#include "assure/diag.h"
#include "assure/error.h"

#include "git_fixture.h"

static const char *const afx_rules =
    "{\"ruleset\": \"unit-audit\", \"version\": \"1.0.0\", \"rules\": [\n"
    " {\"id\": \"LIM-001\", \"title\": \"over the limit\", \"severity\": \"error\", \"domain\": "
    "\"finance\",\n"
    "  \"applies_to\": {\"paths\": [\"returns/**/*.json\"]}, \"when\": \"exists($.value)\",\n"
    "  \"assert\": \"$.value <= 10\", \"message\": \"value {$.value} is above 10\", \"subject\": "
    "\"$.org\"},\n"
    " {\"id\": \"DUE-001\", \"title\": \"overdue\", \"severity\": \"warning\", \"domain\": \"governance\",\n"
    "  \"applies_to\": {\"paths\": [\"returns/**/actions.json\"]}, \"for_each\": \"$.actions[*]\",\n"
    "  \"assert\": \"date(@.due) >= as_of\", \"message\": \"{@.code} overdue\", \"subject\": \"@.code\"},\n"
    " {\"id\": \"SUM-001\", \"title\": \"team total over the limit\", \"severity\": \"error\", "
    "\"domain\": \"finance\",\n"
    "  \"group\": {\"kind\": [\"tally\"], \"where\": \"$?.skip != true\", \"by\": {\"team\": "
    "\"$.team\"}},\n"
    "  \"assert\": \"sum(map($.returns[*], r -> r.doc.n)) <= 10\",\n"
    "  \"message\": \"team {$.key.team} counts {sum(map($.returns[*], r -> r.doc.n))} in "
    "{len($.returns)} returns\"},\n"
    " {\"id\": \"LNK-001\", \"title\": \"too many tallies of a team\", \"severity\": \"warning\", "
    "\"domain\": \"finance\",\n"
    "  \"applies_to\": {\"kind\": \"tally\"}, \"when\": \"is_string($?.team)\",\n"
    "  \"let\": {\"same\": \"returns('tally', {team: $.team})\", \"big\": \"returns('tally', {team: "
    "$.team, n: 6})\"},\n"
    "  \"assert\": \"len(same) <= 2 && len(big) == 0\",\n"
    "  \"message\": \"team {$.team} has {len(same)} tallies, {len(big)} of 6\", \"subject\": "
    "\"$.team\"},\n"
    " {\"id\": \"MIS-001\", \"title\": \"no tally of a count\", \"severity\": \"info\", \"domain\": "
    "\"finance\",\n"
    "  \"applies_to\": {\"kind\": \"roster\"}, \"for_each\": \"$.teams.*\", \"each\": {\"n\": "
    "\"range(1, 3)\"},\n"
    "  \"let\": {\"team\": \"key()\", \"open\": \"len(returns('tally', {team: 'A'})) > 0\", "
    "\"mine\": \"returns('tally', {team: team, n: n})\"},\n"
    "  \"when\": \"open\", \"assert\": \"len(mine) > 0\", \"message\": \"team {team} has no tally "
    "of {n}\", \"subject\": \"team + ' ' + string(n)\"}\n"
    "],\n"
    " \"charts\": {\"totals\": {\"title\": \"outturn and total\", \"unit\": \"m\",\n"
    "  \"group\": {\"kind\": [\"finance\", \"control_totals\"], \"by\": {\"year\": \"$.year\"}},\n"
    "  \"series\": [{\"name\": \"outturn\", \"value\": \"len(filter($.returns[*], r -> r.doc?.sector == "
    "'system')) == "
    "0 ? null : sort_by(filter($.returns[*], r -> r.doc?.sector == 'system'), r -> "
    "r.doc.month)[-1].doc.forecast.outturn\"},\n"
    "   {\"name\": \"total\", \"value\": \"filter($.returns[*], r -> r.doc.kind == "
    "'control_totals')[0]?.doc?.system\", "
    "\"step\": true}]}}}\n";

typedef struct afx {
	char *tmp;          /* the test's folder (owned) */
	char repo[4200];    /* tmp/repo */
	assure_ruleset *rs; /* the rules above */
	assure_repo *r;     /* the repository, once opened */
	assure_audit *a;    /* the audit, once run */
} afx;

/* The rule set of the folder dir under the test's folder, in place of the one before; fails the
 * test, with the first diagnostic, when it does not load cleanly. */
static inline void afx_use_rules(afx *f, const char *dir)
{
	char rules[4300];
	snprintf(rules, sizeof(rules), "%s/%s", f->tmp, dir);
	assure_diags *d;
	assure_diags_new(&d);
	assure_ruleset_free(f->rs);
	assure_ruleset_new(&f->rs);
	if (assure_ruleset_load(f->rs, rules, d) < 0 || assure_diags_count(d))
		fail_msg("the rules of %s do not load: %s", dir,
		         assure_diags_count(d) ? assure_diags_get(d, 0)->message : assure_error_last());
	assure_diags_free(d);
}

static inline void afx_begin(afx *f)
{
	memset(f, 0, sizeof(*f));
	f->tmp = fx_tmpdir();
	char home[4200];
	snprintf(home, sizeof(home), "%s/home", f->tmp);
	fx_sh("mkdir -p '%s'", home);
	fx_env(home);
	fx_write(f->tmp, "rules/unit.json", afx_rules);
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->tmp);
	fx_init(f->repo);
	afx_use_rules(f, "rules");
}

/* Run the audit with opts (NULL: defaults); fails the test when it fails. */
static inline void afx_run(afx *f, const assure_audit_opts *opts)
{
	assure_audit_opts defaults = ASSURE_AUDIT_OPTS_INIT;
	if (!f->r && assure_repo_open(&f->r, f->repo) < 0)
		fail_msg("cannot open: %s", assure_error_last());
	assure_audit_free(f->a);
	f->a = NULL;
	if (assure_audit_run(&f->a, f->r, f->rs, opts ? opts : &defaults) < 0)
		fail_msg("audit failed: %s", assure_error_last());
}

static inline void afx_end(afx *f)
{
	assure_audit_free(f->a);
	assure_repo_free(f->r);
	assure_ruleset_free(f->rs);
	fx_rm(f->tmp);
	free(f->tmp);
}

/* The record of the commit with this subject, or fails. */
static inline const assure_audit_commit *afx_commit(const afx *f, const char *subject)
{
	for (size_t i = 0; i < assure_audit_commit_count(f->a); i++) {
		const assure_audit_commit *c = assure_audit_commit_at(f->a, i);
		if (strcmp(c->info.subject, subject) == 0)
			return c;
	}
	fail_msg("no commit '%s'", subject);
	return NULL;
}

#endif
