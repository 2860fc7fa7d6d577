/* test_repo.c: opening repositories read only, resolving revisions, describing commits. */
#include "assure/repo.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "git_fixture.h"

/* One repository for the whole group: three commits on main, a side branch merged, a tag. */
typedef struct fixture {
	char *tmp;  /* the temporary folder */
	char *dir;  /* tmp/repo, the work tree */
	char *bare; /* tmp/bare.git, a bare clone */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	f->tmp = fx_tmpdir();
	fx_env(f->tmp);
	f->dir = malloc(strlen(f->tmp) + 16);
	sprintf(f->dir, "%s/repo", f->tmp);
	f->bare = malloc(strlen(f->tmp) + 16);
	sprintf(f->bare, "%s/bare.git", f->tmp);
	fx_init(f->dir);
	fx_write(f->dir, "returns/a.json", "{\"v\": 1}\n");
	fx_commit(f->dir, "2021-01-01 10:00:00", "Root commit");
	fx_write(f->dir, "returns/a.json", "{\"v\": 2}\n");
	/* An author in another time zone, a message with white space around its subject and a body. */
	setenv("GIT_AUTHOR_DATE", "2021-01-02 09:30:00 +0100", 1);
	setenv("GIT_COMMITTER_DATE", "2021-01-03 12:00:00 -0230", 1);
	fx_sh("cd '%s' && git add -A && git -c commit.gpgsign=false commit -q --cleanup=verbatim "
	      "-m '  M07 finance return for RXN  ' -m 'Body line one.'",
	      f->dir);
	fx_sh("git -C '%s' tag -a -m 'Submitted' v1", f->dir);
	fx_sh("git -C '%s' checkout -q -b side HEAD~1", f->dir);
	fx_write(f->dir, "returns/b.json", "{}\n");
	fx_commit(f->dir, "2021-01-04 10:00:00", "Side return");
	fx_sh("git -C '%s' checkout -q main", f->dir);
	setenv("GIT_AUTHOR_DATE", "2021-01-05 10:00:00 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "2021-01-05 10:00:00 +0000", 1);
	fx_sh("git -C '%s' -c commit.gpgsign=false merge -q --no-ff -m 'Merge side' side", f->dir);
	fx_sh("git clone -q --bare '%s' '%s'", f->dir, f->bare);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fx_rm(f->tmp);
	free(f->tmp);
	free(f->dir);
	free(f->bare);
	free(f);
	return 0;
}

/* A folder that is not a repository is an error naming it; so is a sub-folder of a work tree. */
static void test_repo__open_names_what_is_not_a_repository(void **state)
{
	fixture *f = *state;
	assure_repo *r = (assure_repo *)1;
	char path[4096];
	snprintf(path, sizeof(path), "%s/returns", f->dir);
	assert_int_equal(assure_repo_open(&r, path), ASSURE_ENOTFOUND);
	assert_null(r);
	char want[4200];
	snprintf(want, sizeof(want), "'%s' is not a git repository", path);
	assert_string_equal(assure_error_last(), want);
	snprintf(path, sizeof(path), "%s/nowhere", f->tmp);
	assert_int_equal(assure_repo_open(&r, path), ASSURE_ENOTFOUND);
	assure_repo_free(NULL);
}

/* Revisions resolve to commit ids as git's rev-parse does, tags peeled to their commit. */
static void test_repo__resolve_matches_git(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	static const char *const revs[] = {"HEAD", "main", "main~1", "HEAD^2", "v1", "side"};
	for (size_t i = 0; i < sizeof(revs) / sizeof(revs[0]); i++) {
		char oid[41];
		char *want = fx_rev(f->dir, revs[i][0] == 'v' ? "v1^{commit}" : revs[i]);
		assert_int_equal(assure_repo_resolve(r, revs[i], oid), 0);
		assert_string_equal(oid, want);
		/* An abbreviated id resolves to the same commit. */
		char shortid[8];
		memcpy(shortid, want, 7);
		shortid[7] = '\0';
		assert_int_equal(assure_repo_resolve(r, shortid, oid), 0);
		assert_string_equal(oid, want);
		free(want);
	}
	assure_repo_free(r);
}

/* A revision that does not exist, or is not a commit, is an error that names it. */
static void test_repo__resolve_errors_name_the_revision(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	char oid[41];
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	assert_int_equal(assure_repo_resolve(r, "nope", oid), ASSURE_ENOTFOUND);
	assert_string_equal(assure_error_last(), "revision 'nope' not found");
	assert_int_equal(assure_repo_resolve(r, "main~9", oid), ASSURE_ENOTFOUND);
	assert_string_equal(assure_error_last(), "revision 'main~9' not found");
	assert_true(assure_repo_resolve(r, "HEAD^{tree}", oid) < 0);
	assert_string_equal(assure_error_last(), "revision 'HEAD^{tree}' is not a commit");
	assure_repo_free(r);
}

/* Commit info: author, both dates with their offsets, trimmed subject, parents. */
static void test_repo__commit_info_fills_every_field(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char oid[41];
	assert_int_equal(assure_repo_resolve(r, "v1", oid), 0);
	assure_commit_info ci;
	assert_int_equal(assure_repo_commit_info(r, oid, &ci), 0);
	assert_string_equal(ci.id, oid);
	assert_string_equal(ci.author_name, "Finance Lead");
	assert_string_equal(ci.author_email, "finance@example.nhs.uk");
	assert_int_equal(ci.author_time, 1609576200); /* 2021-01-02 08:30:00 UTC */
	assert_int_equal(ci.author_offset, 60);
	assert_int_equal(ci.commit_time, 1609684200); /* 2021-01-03 14:30:00 UTC */
	assert_int_equal(ci.commit_offset, -150);
	assert_string_equal(ci.subject, "M07 finance return for RXN");
	assert_int_equal(ci.parent_count, 1);
	char *parent = fx_rev(f->dir, "v1~1");
	assert_string_equal(ci.first_parent, parent);
	free(parent);
	assure_commit_info_clear(&ci);
	assert_null(ci.subject);

	/* The root has no parent; the merge has two, the first being main's. */
	char *root = fx_rev(f->dir, "main~2");
	assert_int_equal(assure_repo_commit_info(r, root, &ci), 0);
	assert_int_equal(ci.parent_count, 0);
	assert_string_equal(ci.first_parent, "");
	assert_string_equal(ci.subject, "Root commit");
	assure_commit_info_clear(&ci);
	free(root);
	assert_int_equal(assure_repo_resolve(r, "HEAD", oid), 0);
	assert_int_equal(assure_repo_commit_info(r, oid, &ci), 0);
	assert_int_equal(ci.parent_count, 2);
	char *first = fx_rev(f->dir, "HEAD^1");
	assert_string_equal(ci.first_parent, first);
	assert_string_equal(ci.subject, "Merge side");
	free(first);
	assure_commit_info_clear(&ci);
	assure_repo_free(r);
}

/* Commit ids that are malformed or unknown are errors naming them. */
static void test_repo__commit_info_rejects_bad_ids(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assure_commit_info ci;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	assert_int_equal(assure_repo_commit_info(r, "HEAD", &ci), ASSURE_EINVALID);
	assert_string_equal(assure_error_last(), "invalid commit id 'HEAD'");
	assert_null(ci.author_name);
	const char *unknown = "0123456789012345678901234567890123456789";
	assert_int_equal(assure_repo_commit_info(r, unknown, &ci), ASSURE_ENOTFOUND);
	assert_string_equal(assure_error_last(),
	                    "commit '0123456789012345678901234567890123456789' not found");
	assure_repo_free(r);
}

/* A bare repository opens and resolves like a work tree's. */
static void test_repo__bare_repository_opens(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->bare), 0);
	char oid[41];
	assert_int_equal(assure_repo_resolve(r, "main", oid), 0);
	char *want = fx_rev(f->dir, "main");
	assert_string_equal(oid, want);
	free(want);
	assure_repo_free(r);
}

/* libgit2's object cache is off while a repository is open, and stays off across open/free cycles. */
static void test_repo__object_cache_is_disabled(void **state)
{
	fixture *f = *state;
	for (int round = 0; round < 2; round++) {
		assure_repo *r1, *r2;
		assert_int_equal(assure_repo_open(&r1, f->dir), 0);
		assert_int_equal(assure_repo_open(&r2, f->bare), 0);
		/* Freeing one repository leaves libgit2 usable for the other. */
		assure_repo_free(r1);
		char oid[41];
		assert_int_equal(assure_repo_resolve(r2, "HEAD", oid), 0);
		assure_commit_info ci;
		assert_int_equal(assure_repo_commit_info(r2, oid, &ci), 0);
		assure_commit_info_clear(&ci);
		assure_snapshot *s;
		assert_int_equal(assure_snapshot_from_commit(&s, r2, oid), 0);
		assure_snapshot_free(s);
		ssize_t current = -1, allowed = -1;
		assert_int_equal(git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &current, &allowed), 0);
		assert_int_equal(current, 0);
		assure_repo_free(r2);
	}
}

/* The counters count the trees and blobs loaded, from zero for each repository. */
static void test_repo__stats_count_objects_loaded(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	assure_repo_stats st;
	assure_repo_get_stats(r, &st);
	assert_int_equal(st.trees_read, 0);
	assert_int_equal(st.blobs_read, 0);
	char oid[41];
	assert_int_equal(assure_repo_resolve(r, "HEAD", oid), 0);
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_commit(&s, r, oid), 0);
	assure_repo_get_stats(r, &st);
	assert_int_equal(st.trees_read, 2); /* the root and returns/ */
	assert_int_equal(st.blobs_read, 0);
	char *data;
	size_t len;
	assert_int_equal(assure_snapshot_read(s, 0, &data, &len), 0);
	free(data);
	assert_int_equal(assure_snapshot_read(s, 1, &data, &len), 0);
	free(data);
	assure_repo_get_stats(r, &st);
	assert_int_equal(st.blobs_read, 2);
	assure_snapshot_free(s);
	assure_repo_free(r);
}

/* Nothing assure does to a repository changes a byte or a time stamp under .git, nor git status. */
static void test_repo__never_writes_the_repository(void **state)
{
	fixture *f = *state;
	/* Something for status to show, so an index refresh would be visible. */
	fx_write(f->dir, "returns/untracked.json", "{}\n");
	fx_write(f->dir, "returns/a.json", "{\"v\": 3}\n");
	char *before = fx_state(f->dir);
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char oid[41];
	assert_int_equal(assure_repo_resolve(r, "HEAD", oid), 0);
	assure_commit_info ci;
	assert_int_equal(assure_repo_commit_info(r, oid, &ci), 0);
	assure_commit_info_clear(&ci);
	assure_snapshot *s, *w, *d;
	assure_change *ch;
	size_t nch;
	assert_int_equal(assure_snapshot_from_commit(&s, r, oid), 0);
	assert_int_equal(assure_snapshot_derive(&d, &ch, &nch, r, NULL, oid), 0);
	assure_changes_free(ch, nch);
	assert_int_equal(assure_snapshot_from_worktree(&w, r), 0);
	for (size_t i = 0; i < assure_snapshot_count(w); i++) {
		char *data;
		size_t len;
		assert_int_equal(assure_snapshot_read(w, i, &data, &len), 0);
		free(data);
	}
	assure_snapshot_free(s);
	assure_snapshot_free(d);
	assure_snapshot_free(w);
	assure_repo_free(r);
	char *after = fx_state(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	fx_sh("cd '%s' && rm returns/untracked.json && git checkout -q -- returns/a.json", f->dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_repo__open_names_what_is_not_a_repository),
	    cmocka_unit_test(test_repo__resolve_matches_git),
	    cmocka_unit_test(test_repo__resolve_errors_name_the_revision),
	    cmocka_unit_test(test_repo__commit_info_fills_every_field),
	    cmocka_unit_test(test_repo__commit_info_rejects_bad_ids),
	    cmocka_unit_test(test_repo__bare_repository_opens),
	    cmocka_unit_test(test_repo__object_cache_is_disabled),
	    cmocka_unit_test(test_repo__stats_count_objects_loaded),
	    cmocka_unit_test(test_repo__never_writes_the_repository),
	};
	return cmocka_run_group_tests_name("repo", tests, setup, teardown);
}
