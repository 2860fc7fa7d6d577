/* test_walk.c: the commits of a range in their fixed order, ranges, first parents and shallow clones. */
#include "assure/walk.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "git_fixture.h"

static char *tmp, *dir;

/*
 * main: c1 - c2 - c3 ------- m - c4
 *               \          /
 *  side:         b1 ------
 * b1 is committed after c3 but branches from c2.
 */
static int setup(void **state)
{
	(void)state;
	tmp = fx_tmpdir();
	fx_env(tmp);
	char d[4200];
	snprintf(d, sizeof(d), "%s/repo", tmp);
	dir = strdup(d);
	fx_init(dir);
	fx_write(dir, "a.json", "{\"n\": 1}\n");
	fx_commit(dir, "2020-01-01 09:00:00", "c1");
	fx_write(dir, "a.json", "{\"n\": 2}\n");
	fx_commit(dir, "2020-01-02 09:00:00", "c2");
	fx_sh("git -C '%s' branch side", dir);
	fx_write(dir, "a.json", "{\"n\": 3}\n");
	fx_commit(dir, "2020-01-03 09:00:00", "c3");
	fx_sh("git -C '%s' checkout -q side", dir);
	fx_write(dir, "b.json", "{\"b\": 1}\n");
	fx_commit(dir, "2020-01-05 09:00:00", "b1");
	fx_sh("git -C '%s' checkout -q main", dir);
	setenv("GIT_AUTHOR_DATE", "2020-01-06 09:00:00 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "2020-01-06 09:00:00 +0000", 1);
	fx_sh("git -C '%s' merge -q --no-ff --no-edit side", dir);
	fx_write(dir, "a.json", "{\"n\": 4}\n");
	fx_commit(dir, "2020-01-07 09:00:00", "c4");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_rm(tmp);
	free(tmp);
	free(dir);
	return 0;
}

/* The subjects of the walked commits, joined by spaces, and the shallow marks as '*'. */
static char *walk_subjects(const char *repo_dir, const char *range, bool first_parent)
{
	assure_repo *repo;
	assert_int_equal(assure_repo_open(&repo, repo_dir), 0);
	assure_walk_entry *e;
	size_t n;
	if (assure_walk_range(&e, &n, repo, range, first_parent) != 0)
		fail_msg("walk of '%s': %s", range ? range : "HEAD", assure_error_last());
	char out[1024] = "";
	for (size_t i = 0; i < n; i++) {
		char *s = fx_capture("git -C '%s' log -1 --format=%%s %s", repo_dir, e[i].id);
		s[strcspn(s, "\n")] = '\0';
		strcat(out, i ? " " : "");
		strcat(out, s);
		if (e[i].shallow)
			strcat(out, "*");
		free(s);
	}
	free(e);
	assure_repo_free(repo);
	return strdup(out);
}

static void assert_walk(const char *repo_dir, const char *range, bool first_parent, const char *want)
{
	char *got = walk_subjects(repo_dir, range, first_parent);
	assert_string_equal(got, want);
	free(got);
}

/* Parents come first; among commits that are ready, the earlier committer date. */
static void test_walk__parents_first_then_committer_date(void **state)
{
	(void)state;
	assert_walk(dir, NULL, false, "c1 c2 c3 b1 Merge branch 'side' c4");
	assert_walk(dir, "side", false, "c1 c2 b1");
}

/* With first parents only, the merged branch is not walked. */
static void test_walk__first_parent_leaves_out_merged_branches(void **state)
{
	(void)state;
	assert_walk(dir, "HEAD", true, "c1 c2 c3 Merge branch 'side' c4");
}

/* A..B leaves out everything reachable from A; an empty side means HEAD. */
static void test_walk__ranges_exclude_what_a_reaches(void **state)
{
	(void)state;
	assert_walk(dir, "main~3..main", false, "c3 b1 Merge branch 'side' c4");
	assert_walk(dir, "side..", false, "c3 Merge branch 'side' c4");
	assert_walk(dir, "HEAD..", false, "");
}

/* Bad ranges are errors that name the range. */
static void test_walk__bad_ranges_are_errors(void **state)
{
	(void)state;
	assure_repo *repo;
	assert_int_equal(assure_repo_open(&repo, dir), 0);
	assure_walk_entry *e;
	size_t n;
	assert_true(assure_walk_range(&e, &n, repo, "nope..HEAD", false) < 0);
	assert_string_equal(assure_error_last(), "range 'nope..HEAD': revision 'nope' not found");
	assert_true(assure_walk_range(&e, &n, repo, "c1...HEAD", false) < 0);
	assert_non_null(strstr(assure_error_last(), "symmetric differences (A...B) are not supported"));
	assert_null(e);
	assure_repo_free(repo);
}

/* A shallow clone ends at its boundary: the commit whose parents are missing is marked, not an error. */
static void test_walk__shallow_clone_stops_at_its_boundary(void **state)
{
	(void)state;
	char shallow[4200];
	snprintf(shallow, sizeof(shallow), "%s/shallow", tmp);
	fx_sh("git clone -q --depth 2 'file://%s' '%s'", dir, shallow);
	assert_walk(shallow, NULL, false, "Merge branch 'side'* c4");
	assert_walk(shallow, NULL, true, "Merge branch 'side'* c4");
	snprintf(shallow, sizeof(shallow), "%s/shallow1", tmp);
	fx_sh("git clone -q --depth 1 'file://%s' '%s'", dir, shallow);
	assert_walk(shallow, NULL, false, "c4*");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk__parents_first_then_committer_date),
	    cmocka_unit_test(test_walk__first_parent_leaves_out_merged_branches),
	    cmocka_unit_test(test_walk__ranges_exclude_what_a_reaches),
	    cmocka_unit_test(test_walk__bad_ranges_are_errors),
	    cmocka_unit_test(test_walk__shallow_clone_stops_at_its_boundary),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
