/* test_audit.c: the audit walk: new, resolved and persisting findings, renames, ranges, figures, memory,
 * formats. */
#include "assure/audit.h"

#include "assure/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "audit_fixture.h"

static const char *subject_of(const assure_findings *l, size_t i)
{
	return assure_findings_get(l, i)->subject;
}

/* A root commit has everything new; later commits are compared with their first parent by fingerprint. */
static void test_audit__new_resolved_persisting(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 20}\n");
	fx_write(f.repo, "returns/b.json", "{\"org\": \"B\", \"value\": 1}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "one");
	fx_write(f.repo, "returns/b.json", "{\"org\": \"B\", \"value\": 11}\n");
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 21}\n");
	fx_commit(f.repo, "2021-01-02 10:00:00", "two");
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 2}\n");
	fx_commit(f.repo, "2021-01-05 10:00:00", "three");
	afx_run(&f, NULL);

	assert_int_equal(assure_audit_commit_count(f.a), 3);
	const assure_audit_commit *one = afx_commit(&f, "one"), *two = afx_commit(&f, "two"),
	                          *three = afx_commit(&f, "three");
	assert_int_equal(one->parent, -1);
	assert_true(one->reported);
	assert_int_equal(assure_findings_count(one->opened), 1);
	assert_string_equal(subject_of(one->opened, 0), "A");
	assert_int_equal(one->nchanges, 2);
	assert_int_equal(one->changes[0].kind, ASSURE_CHANGE_ADDED);
	/* A's value changed but its identity did not: persisting, not new; B is new */
	assert_int_equal(assure_findings_count(two->opened), 1);
	assert_string_equal(subject_of(two->opened, 0), "B");
	assert_int_equal(two->persisting, 1);
	assert_int_equal(assure_findings_count(two->resolved), 0);
	assert_int_equal(two->counts[ASSURE_SEV_ERROR], 2);
	/* the resolved finding is shown as it was in the parent */
	assert_int_equal(assure_findings_count(three->resolved), 1);
	assert_string_equal(assure_findings_get(three->resolved, 0)->message, "value 21 is above 10");
	assert_int_equal(three->persisting, 1);
	int32_t day;
	assure_date_parse_iso(&day, "2021-01-05");
	assert_int_equal(three->as_of, day);
	/* A's interval: opened in one, resolved in three, 4 days */
	const assure_audit_interval *iv = assure_audit_interval_at(f.a, three->resolved_interval[0]);
	assert_int_equal(iv->opened, 0);
	assert_int_equal(iv->closed, 2);
	assert_int_equal(iv->days, 4);
	assert_string_equal(iv->org, "A");
	const assure_audit_summary *s = assure_audit_get_summary(f.a);
	assert_int_equal(s->commits, 3);
	assert_int_equal(s->all.opened, 2);
	assert_int_equal(s->all.closed, 1);
	assert_int_equal(s->all.open, 1);
	afx_end(&f);
}

/* A return renamed unchanged keeps its findings and their interval, now under the new path. */
static void test_audit__rename_keeps_the_interval(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 20}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "one");
	fx_sh("git -C '%s' mv returns/a.json returns/renamed.json", f.repo);
	fx_commit(f.repo, "2021-01-03 10:00:00", "move");
	afx_run(&f, NULL);
	const assure_audit_commit *mv = afx_commit(&f, "move");
	assert_int_equal(mv->nchanges, 1);
	assert_int_equal(mv->changes[0].kind, ASSURE_CHANGE_RENAMED);
	assert_string_equal(mv->changes[0].old_path, "returns/a.json");
	assert_int_equal(assure_findings_count(mv->opened), 0);
	assert_int_equal(assure_findings_count(mv->resolved), 0);
	assert_int_equal(mv->persisting, 1);
	assert_int_equal(assure_audit_interval_count(f.a), 1);
	const assure_audit_interval *iv = assure_audit_interval_at(f.a, 0);
	assert_string_equal(iv->finding->path, "returns/renamed.json");
	char fp[41];
	assure_finding_fingerprint(fp, "LIM-001", "returns/renamed.json", "A");
	assert_string_equal(iv->finding->fingerprint, fp);
	assert_int_equal(iv->closed, -1);
	assert_int_equal(iv->days, 2);
	afx_end(&f);
}

/* A range starts from a boundary record: its first commit is compared with the real state before it. */
static void test_audit__range_compares_with_its_boundary(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 20}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "one");
	fx_write(f.repo, "returns/b.json", "{\"org\": \"B\", \"value\": 20}\n");
	fx_commit(f.repo, "2021-01-02 10:00:00", "two");
	fx_write(f.repo, "notes.txt", "n\n");
	fx_commit(f.repo, "2021-01-03 10:00:00", "three");
	assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
	o.range = "HEAD~1..HEAD";
	afx_run(&f, &o);
	assert_int_equal(assure_audit_commit_count(f.a), 2);
	const assure_audit_commit *b = assure_audit_commit_at(f.a, 0),
	                          *three = assure_audit_commit_at(f.a, 1);
	assert_true(b->boundary);
	assert_false(b->reported);
	assert_string_equal(b->info.subject, "two");
	assert_int_equal(three->parent, 0);
	assert_int_equal(assure_findings_count(three->opened), 0);
	assert_int_equal(three->persisting, 2);
	assert_int_equal(three->nchanges, 0);
	assert_int_equal(three->other_changes, 1);
	/* the findings were open before the range */
	assert_int_equal(assure_audit_interval_count(f.a), 2);
	assert_true(assure_audit_interval_at(f.a, 0)->before_range);
	assert_int_equal(assure_audit_get_summary(f.a)->commits, 1);
	assert_int_equal(assure_audit_get_summary(f.a)->all.open, 2);
	assert_int_equal(assure_audit_last(f.a), 1);

	/* --since keeps the commits on or after the day; --as-of fixes every check's date */
	assure_audit_opts s = ASSURE_AUDIT_OPTS_INIT;
	s.has_since = true;
	assure_date_parse_iso(&s.since, "2021-01-02");
	s.has_as_of = true;
	assure_date_parse_iso(&s.as_of, "2020-06-30");
	afx_run(&f, &s);
	assert_int_equal(assure_audit_commit_count(f.a), 3);
	assert_true(assure_audit_commit_at(f.a, 0)->boundary);
	assert_int_equal(assure_audit_commit_at(f.a, 2)->as_of, s.as_of);
	afx_end(&f);
}

/* --paths reports only the commits changing matching files, and each is still compared with its parent. */
static void test_audit__paths_select_reported_commits(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/x/a.json", "{\"org\": \"A\", \"value\": 20}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "one");
	fx_write(f.repo, "returns/y/b.json", "{\"org\": \"B\", \"value\": 20}\n");
	fx_commit(f.repo, "2021-01-02 10:00:00", "two");
	fx_write(f.repo, "returns/x/a.json", "{\"org\": \"A\", \"value\": 1}\n");
	fx_commit(f.repo, "2021-01-03 10:00:00", "three");
	const char *globs[] = {"returns/x/**"};
	assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
	o.paths = globs;
	o.npaths = 1;
	afx_run(&f, &o);
	assert_true(afx_commit(&f, "one")->reported);
	assert_false(afx_commit(&f, "two")->reported);
	const assure_audit_commit *three = afx_commit(&f, "three");
	assert_true(three->reported);
	assert_int_equal(assure_findings_count(three->resolved), 1);
	assert_int_equal(three->persisting, 1);
	assert_int_equal(assure_audit_get_summary(f.a)->commits, 2);
	afx_end(&f);
}

/* A chart the rule set declares gives a point per group and commit, its values exact decimal text. */
static void test_audit__reads_system_figures_exactly(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/2020-21/control_totals.json",
	         "{\"kind\": \"control_totals\", \"year\": \"2020-21\", \"system\": -90.0}\n");
	fx_write(f.repo, "returns/2020-21/m06/system.json",
	         "{\"kind\": \"finance\", \"sector\": \"system\", \"year\": \"2020-21\", \"month\": 6, "
	         "\"forecast\": {\"outturn\": -1}}\n");
	fx_write(f.repo, "returns/2020-21/m07/system.json",
	         "{\"kind\": \"finance\", \"sector\": \"system\", \"year\": \"2020-21\", \"month\": 7, "
	         "\"forecast\": {\"outturn\": -90.8}}\n");
	fx_write(f.repo, "returns/2020-21/m07/rtx.json",
	         "{\"kind\": \"finance\", \"sector\": \"trust\", \"year\": \"2020-21\", \"month\": 7, "
	         "\"forecast\": {\"outturn\": -25.0}}\n");
	fx_write(f.repo, "returns/2019-20/control_totals.json",
	         "{\"kind\": \"control_totals\", \"year\": \"2019-20\", \"system\": 0.1}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "one");
	afx_run(&f, NULL);
	const assure_audit_commit *c = afx_commit(&f, "one");
	assert_int_equal(c->nfigures, 2);
	assert_int_equal(c->figures[0].chart, 0);
	assert_string_equal(c->figures[0].key, "2019-20");
	assert_null(c->figures[0].values[0]);
	assert_string_equal(c->figures[0].values[1], "0.1");
	assert_string_equal(c->figures[1].key, "2020-21");
	assert_string_equal(c->figures[1].values[0], "-90.8"); /* month 7's, the latest */
	assert_string_equal(c->figures[1].values[1], "-90");
	afx_end(&f);
}

/* On a linear history at most a commit and its parent are held at once, however long the history. */
static void test_audit__memory_stays_bounded(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	for (int i = 0; i < 12; i++) {
		char text[64], date[32];
		snprintf(text, sizeof(text), "{\"org\": \"O\", \"value\": %d}\n", i * 3 % 17);
		fx_write(f.repo, "returns/o.json", text);
		snprintf(date, sizeof(date), "2021-01-%02d 10:00:00", i + 1);
		fx_commit(f.repo, date, "step");
	}
	afx_run(&f, NULL);
	assure_audit_stats st;
	assure_audit_get_stats(f.a, &st);
	assert_int_equal(st.commits, 12);
	assert_true(st.live_max <= 2);
	/* one parse per distinct blob */
	assert_true(st.engine.blobs_parsed <= 12);
	afx_end(&f);
}

static int collect(const char *name, const char *data, size_t len, void *payload)
{
	assure_buf *b = payload;
	assure_buf_printf(b, "[%s %zu]", name ? name : "-", len);
	(void)data;
	return 0;
}

/* The format table finds each format; single-file formats emit pieces of one unnamed file, html an index and
 * a page per commit. */
static void test_audit__formats_emit_their_files(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 20}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "one");
	fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 2}\n");
	fx_commit(f.repo, "2021-01-02 10:00:00", "two");
	afx_run(&f, NULL);
	assure_audit_meta meta = {.tool_version = "9.9.9", .rules = f.rs, .repository = "repo"};
	const char *names[] = {"text", "json", "markdown"};
	for (size_t i = 0; i < 3; i++) {
		const assure_audit_format *fmt = assure_audit_format_find(names[i]);
		assert_non_null(fmt);
		assert_false(fmt->folder);
		assure_buf b = ASSURE_BUF_INIT;
		assert_int_equal(fmt->write(f.a, &meta, collect, &b), 0);
		assert_int_equal(strncmp(b.ptr, "[- ", 3), 0);
		for (const char *p = strchr(b.ptr, '['); p; p = strchr(p + 1, '['))
			assert_int_equal(strncmp(p, "[- ", 3), 0);
		assure_buf_free(&b);
	}
	const assure_audit_format *html = assure_audit_format_find("html");
	assert_true(html->folder);
	assure_buf b = ASSURE_BUF_INIT;
	assert_int_equal(html->write(f.a, &meta, collect, &b), 0);
	assert_int_equal(strncmp(b.ptr, "[index.html ", 12), 0);
	char page[80];
	snprintf(page, sizeof(page), "[commits/%s.html ", afx_commit(&f, "two")->info.id);
	assert_non_null(strstr(b.ptr, page));
	assure_buf_free(&b);
	assert_null(assure_audit_format_find("xml"));
	afx_end(&f);
}

/* Commit times are shown in their own offset, as git shows them. */
static void test_audit__format_time_uses_the_offset(void **state)
{
	(void)state;
	char t[48];
	assure_audit_format_time(t, 1585728000, 60); /* 2020-04-01 08:00:00 UTC */
	assert_string_equal(t, "2020-04-01 09:00:00 +0100");
	assure_audit_format_time(t, 1585728000, -330);
	assert_string_equal(t, "2020-04-01 02:30:00 -0530");
	assure_audit_format_time(t, 0, -60);
	assert_string_equal(t, "1969-12-31 23:00:00 -0100");
	assert_string_equal(assure_audit_change_name(ASSURE_CHANGE_RENAMED), "renamed");
}

static int append(const char *name, const char *data, size_t len, void *payload)
{
	(void)name;
	assure_buf_put(payload, data, len);
	return 0;
}

/* The audit's JSON report of f's repository, walked incrementally or commit by commit (caller frees). */
static char *audit_json_of(afx *f, bool compare_each, assure_audit_stats *st)
{
	assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
	o.compare_each = compare_each;
	afx_run(f, &o);
	assure_audit_get_stats(f->a, st);
	assure_audit_meta meta = {.tool_version = "test", .rules = f->rs, .repository = "repo"};
	assure_buf b = ASSURE_BUF_INIT;
	assert_int_equal(assure_audit_json(f->a, &meta, append, &b), 0);
	return assure_buf_detach(&b);
}

/*
 * The JSON audit is written commit by commit, never as one tree: what comes out is byte for byte
 * the indented dump of the document it holds, with commits and with none (--paths selecting no
 * commit gives "commits": []).
 */
static void test_audit__json_written_in_pieces_is_its_own_dump(void **state)
{
	(void)state;
	for (int none = 0; none < 2; none++) {
		afx f;
		afx_begin(&f);
		fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 20}\n");
		fx_commit(f.repo, "2021-01-01 10:00:00", "one");
		fx_write(f.repo, "returns/b.json", "{\"org\": \"B\", \"value\": 30}\n");
		fx_commit(f.repo, "2021-01-02 10:00:00", "two");
		fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 2}\n");
		fx_commit(f.repo, "2021-01-03 10:00:00", "three");
		const char *globs[] = {"nothing/**"};
		assure_audit_opts o = ASSURE_AUDIT_OPTS_INIT;
		if (none) {
			o.paths = globs;
			o.npaths = 1;
		}
		afx_run(&f, &o);
		assure_audit_meta meta = {.tool_version = "test", .rules = f.rs, .repository = "repo"};
		assure_buf b = ASSURE_BUF_INIT;
		assert_int_equal(assure_audit_json(f.a, &meta, append, &b), 0);
		json_error_t err;
		json_t *doc = json_loads(b.ptr, 0, &err);
		assert_non_null(doc);
		assert_int_equal(json_array_size(json_object_get(doc, "commits")), none ? 0 : 3);
		/* commits is the last member, as in a whole dump */
		const char *key = NULL, *last = NULL;
		json_t *v;
		json_object_foreach(doc, key, v) last = key;
		assert_string_equal(last, "commits");
		char *whole = json_dumps(doc, JSON_INDENT(2));
		assert_int_equal(b.len, strlen(whole) + 1);
		assert_memory_equal(b.ptr, whole, strlen(whole));
		assert_int_equal(b.ptr[b.len - 1], '\n');
		free(whole);
		json_decref(doc);
		assure_buf_free(&b);
		afx_end(&f);
	}
}

/*
 * On a linear history the incremental walk gives the report, byte for byte, that checking
 * every commit whole and comparing it with its parent gives: through edits, renames,
 * deletions, a content coming back, due dates passing and days without change; and it
 * evaluates no more.
 */
static void test_audit__incremental_walk_equals_comparing_each_commit(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	unsigned seed = 7;
	int day = 1;
	for (int i = 0; i < 40; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned op = (seed >> 16) % 6;
		char text[256], date[32];
		if (op == 0 || i < 3) {
			snprintf(text, sizeof(text), "{\"org\": \"A\", \"value\": %u}\n", (seed >> 8) % 20);
			fx_write(f.repo, "returns/a.json", text);
		} else if (op == 1) {
			snprintf(text, sizeof(text), "{\"org\": \"B\", \"value\": %u}\n", (seed >> 9) % 20);
			fx_write(f.repo, i % 4 ? "returns/b.json" : "returns/old/b.json", text);
		} else if (op == 2) {
			fx_sh("cd '%s' && if [ -f returns/b.json ]; then mkdir -p returns/moved && git mv -k "
			      "returns/b.json returns/moved/b.json; elif [ -f returns/moved/b.json ]; then "
			      "git mv -k "
			      "returns/moved/b.json returns/b.json; fi",
			      f.repo);
		} else if (op == 3) {
			snprintf(text, sizeof(text),
			         "{\"actions\": [{\"code\": \"X1\", \"due\": \"2021-01-%02u\"}, {\"code\": "
			         "\"X2\", "
			         "\"due\": \"2021-02-%02u\"}]}\n",
			         1 + (seed >> 10) % 28, 1 + (seed >> 12) % 28);
			fx_write(f.repo, "returns/x/actions.json", text);
		} else if (op == 4) {
			fx_sh("cd '%s' && git rm -q -r --ignore-unmatch returns/old", f.repo);
			fx_write(f.repo, "returns/a.json", "{\"org\": \"A\", \"value\": 12}\n");
		}
		/* op 5: nothing changes but the day */
		day += (int)((seed >> 20) % 4);
		time_t t = (time_t)(1609495200L + 86400L * day); /* 2021-01-01 10:00 UTC, and days on */
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
		fx_commit(f.repo, date, "step");
	}
	assure_audit_stats inc, each;
	char *a = audit_json_of(&f, false, &inc);
	char *b = audit_json_of(&f, true, &each);
	assert_string_equal(a, b);
	assert_true(strstr(a, "\"DUE-001\"") != NULL);
	assert_true(strstr(a, "\"LIM-001\"") != NULL);
	assert_true(strstr(a, "\"renamed\"") != NULL);
	assert_true(strstr(a, "returns/moved/b.json") != NULL);
	assert_true(inc.engine.evaluations <= each.engine.evaluations);
	free(a);
	free(b);
	afx_end(&f);
}

/*
 * The same for group rules and charts, whose members are kept from commit to commit and
 * follow each change: returns join, leave, move between groups, are renamed, drop out by
 * where, get a key that fails, and change while their group rule has nothing to look at;
 * and for a roster whose teams each look up their own tallies beside a value every team reads
 * (MIS-001), whose teams a change does not touch keep their findings.
 */
static void test_audit__incremental_groups_equal_comparing_each_commit(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	unsigned seed = 11;
	static const char *const teams[] = {"A", "B", "C"};
	for (int i = 0; i < 60; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned op = (seed >> 16) % 8, k = (seed >> 8) % 6, v = (seed >> 11) % 7;
		char path[64], text[256], date[32];
		snprintf(path, sizeof(path), "returns/t/%u.json", k);
		if (op <= 1 || i < 4) {
			snprintf(text, sizeof(text), "{\"kind\": \"tally\", \"team\": \"%s\", \"n\": %u}\n",
			         teams[(seed >> 13) % 3], v);
			fx_write(f.repo, path, text);
		} else if (op == 2) {
			fx_write(f.repo, path, "{\"kind\": \"tally\", \"team\": {\"x\": 1}, \"n\": 1}\n");
		} else if (op == 3) {
			fx_sh("cd '%s' && git rm -q --ignore-unmatch '%s'", f.repo, path);
		} else if (op == 4) {
			fx_sh("cd '%s' && if [ -f '%s' ]; then git mv -k '%s' returns/t/r%u.json; fi", f.repo,
			      path, path, k);
		} else if (op == 5) {
			snprintf(text, sizeof(text),
			         "{\"kind\": \"tally\", \"team\": \"A\", \"n\": %u, \"skip\": true}\n", v);
			fx_write(f.repo, path, text);
		} else if (op == 6) {
			snprintf(
			    text, sizeof(text),
			    "{\"kind\": \"finance\", \"year\": \"2020-21\", \"sector\": \"%s\", \"month\": "
			    "%u, \"forecast\": {\"outturn\": %u.5}}\n",
			    k % 2 ? "system" : "acute", 1 + k, v);
			snprintf(path, sizeof(path), "returns/f/%u.json", k % 3);
			fx_write(f.repo, path, text);
			if (k == 5)
				fx_write(f.repo, "returns/ct.json",
				         "{\"kind\": \"control_totals\", \"year\": \"2020-21\", \"system\": "
				         "-3}\n");
		} else if (k < 2) {
			snprintf(text, sizeof(text), "{\"org\": \"A\", \"value\": %u}\n", v * 3);
			fx_write(f.repo, "returns/a.json", text);
		} else {
			/* a roster's teams, each asked for by its own lookup, all reading one value */
			snprintf(text, sizeof(text),
			         "{\"kind\": \"roster\", \"teams\": {\"A\": 1, \"B\": 2%s}}\n",
			         k == 5 ? "" : ", \"C\": 3");
			fx_write(f.repo, "returns/roster.json", text);
		}
		if (i == 2)
			fx_write(f.repo, "returns/roster.json",
			         "{\"kind\": \"roster\", \"teams\": {\"A\": 1, \"B\": 2, \"C\": 3}}\n");
		time_t t = (time_t)(1609495200L + 86400L * i);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
		fx_commit(f.repo, date, "step");
	}
	assure_audit_stats inc, each;
	char *a = audit_json_of(&f, false, &inc);
	char *b = audit_json_of(&f, true, &each);
	assert_string_equal(a, b);
	/* what the history is meant to go through did happen */
	assert_true(strstr(a, "\"SUM-001\"") != NULL);
	assert_true(strstr(a, " counts ") != NULL);
	assert_true(strstr(a, "\"LNK-001\"") != NULL);
	assert_true(strstr(a, "\"ASSURE-EVAL\"") != NULL);
	assert_true(strstr(a, "\"renamed\"") != NULL);
	assert_true(strstr(a, "\"totals\"") != NULL);
	assert_true(strstr(a, "\"MIS-001\"") != NULL);
	assert_true(inc.engine.evaluations <= each.engine.evaluations);
	/* a tally's change made the roster be evaluated again, and the teams it did not touch kept */
	assert_true(inc.engine.nodes_reused > 0);
	assert_int_equal(each.engine.nodes_reused, 0);
	free(a);
	free(b);
	afx_end(&f);
}

/*
 * A roster whose every team but one is out of scope, so that only one team looks up anything of
 * its own: a new submission, which touches the value every team reads (the first month
 * submitted) but leaves it the same, keeps the teams it cannot change, and the audit says what
 * comparing each commit says.
 */
static void test_audit__nodes_that_read_no_lookup_of_their_own_are_kept(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	fx_write(f.tmp, "rules2/r.json",
	         "{\"ruleset\": \"roll\", \"version\": \"1.0.0\", \"rules\": [\n"
	         " {\"id\": \"ROL-001\", \"title\": \"missing\", \"severity\": \"error\", \"domain\": "
	         "\"finance\",\n"
	         "  \"applies_to\": {\"kind\": \"roster\"}, \"for_each\": \"$.teams.*\", \"each\": "
	         "{\"m\": \"range(1, 4)\"},\n"
	         "  \"let\": {\"team\": \"key()\", \"months\": \"map(returns('sub', {}), r -> "
	         "r.doc.m)\",\n"
	         "   \"first\": \"min(months)\", \"mine\": \"returns('sub', {team: team, m: m})\"},\n"
	         "  \"when\": \"@ == 1 && m >= first\", \"assert\": \"len(mine) > 0\",\n"
	         "  \"message\": \"{team} has no return for {m}\", \"subject\": \"team + ' ' + "
	         "string(m)\"}]}\n");
	afx_use_rules(&f, "rules2");
	fx_write(f.repo, "roster.json",
	         "{\"kind\": \"roster\", \"teams\": {\"A\": 1, \"B\": 0, \"C\": 0, \"D\": 0}}\n");
	fx_write(f.repo, "sub/B1.json", "{\"kind\": \"sub\", \"team\": \"B\", \"m\": 1}\n");
	fx_commit(f.repo, "2021-01-01 10:00:00", "start");
	static const char *const subs[][2] = {{"C", "1"}, {"A", "2"}, {"D", "3"}, {"A", "1"}, {"B", "2"}};
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char path[64], text[96], date[32];
		snprintf(path, sizeof(path), "sub/%s%s.json", subs[i][0], subs[i][1]);
		snprintf(text, sizeof(text), "{\"kind\": \"sub\", \"team\": \"%s\", \"m\": %s}\n", subs[i][0],
		         subs[i][1]);
		fx_write(f.repo, path, text);
		snprintf(date, sizeof(date), "2021-01-0%zu 10:00:00", i + 2);
		fx_commit(f.repo, date, path);
	}
	assure_audit_stats inc, each;
	char *a = audit_json_of(&f, false, &inc);
	char *b = audit_json_of(&f, true, &each);
	assert_string_equal(a, b);
	/* team A's months open and close; B to D, out of scope, are kept at every submission */
	assert_true(strstr(a, "A has no return for 1") != NULL);
	assert_true(strstr(a, "A has no return for 3") != NULL);
	assert_null(strstr(a, "B has no return"));
	assert_true(inc.engine.nodes_reused >= 3 * 5);
	assert_int_equal(each.engine.nodes_reused, 0);
	free(a);
	free(b);
	afx_end(&f);
}

/*
 * The same with a waivers file that comes, changes, expires, names what is not there, breaks
 * and goes, written by two authors: both walks give the same report, waived spans and the
 * waivers' own findings included.
 */
static void test_audit__incremental_walk_equals_comparing_each_commit_with_waivers(void **state)
{
	(void)state;
	afx f;
	afx_begin(&f);
	unsigned seed = 11;
	int day = 1;
	for (int i = 0; i < 40; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned op = (seed >> 16) % 6;
		char text[1024], date[32];
		/* two authors, so that some waivers are approved by who made the finding */
		setenv("GIT_AUTHOR_EMAIL",
		       (seed >> 5) % 2 ? "finance@example.nhs.uk" : "committee@example.nhs.uk", 1);
		if (op == 0 || i < 3) {
			snprintf(text, sizeof(text), "{\"org\": \"A\", \"value\": %u}\n", (seed >> 8) % 20);
			fx_write(f.repo, "returns/a.json", text);
			snprintf(text, sizeof(text), "{\"org\": \"B\", \"value\": %u}\n", (seed >> 9) % 20);
			fx_write(f.repo, "returns/b.json", text);
		} else if (op == 1 || op == 2) {
			/* expiries around the commit dates, so that some waivers expire during the walk */
			snprintf(
			    text, sizeof(text),
			    "{\"waivers\": [\n"
			    " {\"rule\": \"LIM-001\", \"subject\": \"A\", \"reason\": \"r\", "
			    "\"approved_by\": \"AC\", \"approved_on\": \"2021-01-01\", \"expires\": "
			    "\"2021-02-%02u\"},\n"
			    " {\"rule\": \"LIM-001\", \"path\": \"returns/b*.json\", \"reason\": \"r%u\", "
			    "\"approved_by\": \"AC\", \"approved_on\": \"2021-01-01\", \"expires\": "
			    "\"2021-03-%02u\"},\n"
			    " {\"rule\": \"DUE-001\", \"subject\": \"X%u\", \"reason\": \"r\", "
			    "\"approved_by\": \"AC\", \"approved_on\": \"2021-01-01\", \"expires\": "
			    "\"2021-03-31\"}%s]}\n",
			    1 + (seed >> 10) % 28, (seed >> 3) % 2, 1 + (seed >> 12) % 28,
			    1 + (seed >> 14) % 3, op == 2 ? ",\n {\"rule\": \"LIM-001\"}" : "");
			fx_write(f.repo, "assure-waivers.json", text);
		} else if (op == 3) {
			snprintf(text, sizeof(text),
			         "{\"actions\": [{\"code\": \"X1\", \"due\": \"2021-01-%02u\"}, {\"code\": "
			         "\"X2\", \"due\": \"2021-02-%02u\"}]}\n",
			         1 + (seed >> 10) % 28, 1 + (seed >> 12) % 28);
			fx_write(f.repo, "returns/x/actions.json", text);
		} else if (op == 4) {
			if ((seed >> 7) % 2)
				fx_sh("cd '%s' && rm -f assure-waivers.json", f.repo);
			else
				fx_write(f.repo, "assure-waivers.json", "{\"waivers\": [\n");
		}
		day += (int)((seed >> 20) % 4);
		time_t t = (time_t)(1609495200L + 86400L * day);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
		fx_commit(f.repo, date, "step");
	}
	setenv("GIT_AUTHOR_EMAIL", "finance@example.nhs.uk", 1);
	assure_audit_stats inc, each;
	char *a = audit_json_of(&f, false, &inc);
	char *b = audit_json_of(&f, true, &each);
	assert_string_equal(a, b);
	/* what the history was built to show is there */
	const char *expect[] = {"\"waived\": [",
	                        "\"waiver\": {",
	                        "\"ASSURE-WAIVER-EXPIRED\"",
	                        "\"ASSURE-WAIVER-UNUSED\"",
	                        "\"ASSURE-WAIVER-INVALID\"",
	                        "\"ASSURE-WAIVER-SELF\""};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		if (!strstr(a, expect[i]))
			fail_msg("the audit has no %s", expect[i]);
	free(a);
	free(b);
	afx_end(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit__new_resolved_persisting),
	    cmocka_unit_test(test_audit__rename_keeps_the_interval),
	    cmocka_unit_test(test_audit__range_compares_with_its_boundary),
	    cmocka_unit_test(test_audit__paths_select_reported_commits),
	    cmocka_unit_test(test_audit__reads_system_figures_exactly),
	    cmocka_unit_test(test_audit__memory_stays_bounded),
	    cmocka_unit_test(test_audit__incremental_walk_equals_comparing_each_commit),
	    cmocka_unit_test(test_audit__incremental_groups_equal_comparing_each_commit),
	    cmocka_unit_test(test_audit__nodes_that_read_no_lookup_of_their_own_are_kept),
	    cmocka_unit_test(test_audit__incremental_walk_equals_comparing_each_commit_with_waivers),
	    cmocka_unit_test(test_audit__formats_emit_their_files),
	    cmocka_unit_test(test_audit__json_written_in_pieces_is_its_own_dump),
	    cmocka_unit_test(test_audit__format_time_uses_the_offset),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
