/*
 * test_snapshot.c: snapshots of commits, of the working tree and of plain files, and
 * the changes derive finds between commits, checked against git's own listing.
 */
#include "assure/repo.h"

#include "assure/buf.h"
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

/* Commits of the history, tagged c1..c10 in the repository (c9 is on a side branch). */
#define NCOMMITS 10

typedef struct fixture {
	char *tmp; /* the temporary folder */
	char *dir; /* tmp/repo, the work tree */
} fixture;

/* The content of dup/x1.json, dup/x2.json and (later) dup2/y0..y2.json. */
#define SAME "{\"same\": true}\n"

static void build_history(const char *d)
{
	fx_init(d);
	fx_write(d, "README.md", "# returns v1\n");
	fx_write(d, "docs/guide.md", "guide v1\n");
	fx_write(d, "returns/2020-21/board/actions.json", "{\"actions\": []}\n");
	fx_write(d, "returns/2020-21/finance/rxn.json", "{\"org\": \"RXN\"}\n");
	fx_write(d, "deep/a/b/c/d/e.json", "{\"v\": 1}\n");
	fx_write(d, "deep/a/b/other.json", "{\"o\": 1}\n");
	/* Names around the folder "a" that git orders as "a/": "a-b/" < "a.json" < "a/" < "ab.json". */
	fx_write(d, "a.json", "{\"name\": \"a.json\"}\n");
	fx_write(d, "a-b/c.json", "{\"name\": \"a-b/c.json\"}\n");
	fx_write(d, "a/b.json", "{\"name\": \"a/b.json\"}\n");
	fx_write(d, "ab.json", "{\"name\": \"ab.json\"}\n");
	fx_write(d, "notes", "notes as a file\n");
	fx_write(d, "dup/x1.json", SAME);
	fx_write(d, "dup/x2.json", SAME);
	fx_write(d, "tools/run.sh", "#!/bin/sh\n");
	fx_sh("cd '%s' && chmod +x tools/run.sh && ln -s README.md link", d);
	fx_commit(d, "2021-01-01 10:00:00", "Initial returns");
	fx_sh("git -C '%s' tag c1", d);

	fx_write(d, "deep/a/b/c/d/e.json", "{\"v\": 2}\n");
	fx_commit(d, "2021-01-02 10:00:00", "Deep change");
	fx_sh("git -C '%s' tag c2", d);

	fx_sh("cd '%s' && mkdir -p returns/2021-22/finance && "
	      "git mv returns/2020-21/finance/rxn.json returns/2021-22/finance/rxn.json",
	      d);
	fx_commit(d, "2021-01-03 10:00:00", "Move RXN to 2021-22");
	fx_sh("git -C '%s' tag c3", d);

	fx_sh("cd '%s' && git rm -q -r returns/2020-21", d);
	fx_commit(d, "2021-01-04 10:00:00", "Remove board actions");
	fx_sh("git -C '%s' tag c4", d);

	fx_write(d, "README.md", "# returns v2\n");
	fx_write(d, "docs/guide.md", "guide v2\n");
	fx_commit(d, "2021-01-05 10:00:00", "Unrelated docs");
	fx_sh("git -C '%s' tag c5", d);

	/* A file becomes a folder, a mode changes, a symlink moves, a submodule appears. */
	fx_sh("cd '%s' && rm notes && chmod +x deep/a/b/other.json && ln -sfn docs/guide.md link", d);
	fx_write(d, "notes/one.json", "{\"note\": 1}\n");
	fx_sh("cd '%s' && git init -q vendor/lib && echo sub >vendor/lib/f && git -C vendor/lib add f && "
	      "git -C vendor/lib commit -q -m sub && git add vendor/lib 2>/dev/null",
	      d);
	fx_commit(d, "2021-01-06 10:00:00", "Notes folder, modes, submodule");
	fx_sh("git -C '%s' tag c6", d);

	fx_sh("cd '%s' && git rm -q dup/x1.json dup/x2.json", d);
	fx_write(d, "dup2/y2.json", SAME);
	fx_write(d, "dup2/y1.json", SAME);
	fx_write(d, "dup2/y0.json", SAME);
	fx_commit(d, "2021-01-07 10:00:00", "Duplicates moved");
	fx_sh("git -C '%s' tag c7", d);

	fx_sh("cd '%s' && git rm -q -r a", d);
	fx_write(d, "a", "a is a file now\n");
	fx_commit(d, "2021-01-08 10:00:00", "Folder a becomes a file");
	fx_sh("git -C '%s' tag c8", d);

	fx_sh("git -C '%s' checkout -q -b side c7", d);
	fx_write(d, "returns/2021-22/finance/rxn.json", "{\"org\": \"RXN\", \"v\": 2}\n");
	fx_commit(d, "2021-01-09 10:00:00", "Side fix");
	fx_sh("git -C '%s' tag c9 && git -C '%s' checkout -q main", d, d);
	setenv("GIT_AUTHOR_DATE", "2021-01-10 10:00:00 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "2021-01-10 10:00:00 +0000", 1);
	fx_sh("git -C '%s' merge -q --no-ff -m 'Merge side' side && git -C '%s' tag c10", d, d);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	f->tmp = fx_tmpdir();
	fx_env(f->tmp);
	f->dir = malloc(strlen(f->tmp) + 16);
	sprintf(f->dir, "%s/repo", f->tmp);
	build_history(f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	fx_rm(f->tmp);
	free(f->tmp);
	free(f->dir);
	free(f);
	return 0;
}

static void resolve(assure_repo *r, const char *rev, char oid[41])
{
	if (assure_repo_resolve(r, rev, oid) < 0)
		fail_msg("%s", assure_error_last());
}

/* "<oid> <path>\n" for each regular or executable file git lists in the commit, in git's order. */
static char *git_listing(const char *dir, const char *commit)
{
	return fx_capture("git -C '%s' ls-tree -r '%s' | awk '$1 == \"100644\" || $1 == \"100755\" "
	                  "{ split($0, t, \"\\t\"); print $3 \" \" t[2] }'",
	                  dir, commit);
}

/* The same listing built from a snapshot (caller frees). */
static char *snapshot_listing(const assure_snapshot *s)
{
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	for (size_t i = 0; i < assure_snapshot_count(s); i++) {
		const assure_file *f = assure_snapshot_file(s, i);
		assure_buf_printf(&b, "%s %s\n", f->oid, f->path);
	}
	return assure_buf_detach(&b);
}

static void assert_snapshot_is_git(const assure_snapshot *s, const char *dir, const char *commit)
{
	char *want = git_listing(dir, commit);
	char *got = snapshot_listing(s);
	assert_string_equal(got, want);
	free(want);
	free(got);
	assert_string_equal(assure_snapshot_commit(s), commit);
}

/* Changes as text, one a line: "A p", "M p", "D p", "R old -> new" (caller frees). */
static char *changes_text(const assure_change *c, size_t n)
{
	static const char letter[] = {[ASSURE_CHANGE_ADDED] = 'A',
	                              [ASSURE_CHANGE_MODIFIED] = 'M',
	                              [ASSURE_CHANGE_DELETED] = 'D',
	                              [ASSURE_CHANGE_RENAMED] = 'R'};
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (c[i].kind == ASSURE_CHANGE_RENAMED)
			assure_buf_printf(&b, "R %s -> %s\n", c[i].old_path, c[i].path);
		else
			assure_buf_printf(&b, "%c %s\n", letter[c[i].kind], c[i].path);
		assert_true(c[i].kind == ASSURE_CHANGE_RENAMED || c[i].old_path == NULL);
		if (i > 0)
			assert_true(strcmp(c[i - 1].path, c[i].path) < 0);
	}
	return assure_buf_detach(&b);
}

/* derive(snapshot of `from`, `to`): its changes as text, its snapshot checked against git. */
static char *derive_text(const fixture *f, assure_repo *r, const char *from, const char *to)
{
	char a[41], b[41];
	assure_snapshot *prev = NULL, *s;
	if (from) {
		resolve(r, from, a);
		assert_int_equal(assure_snapshot_from_commit(&prev, r, a), 0);
	}
	resolve(r, to, b);
	assure_change *c;
	size_t n;
	assert_int_equal(assure_snapshot_derive(&s, &c, &n, r, prev, b), 0);
	assert_snapshot_is_git(s, f->dir, b);
	char *text = changes_text(c, n);
	assure_changes_free(c, n);
	assure_snapshot_free(prev);
	assure_snapshot_free(s);
	return text;
}

/* A commit's snapshot lists exactly git's regular and executable files, sorted bytewise. */
static void test_snapshot__from_commit_lists_blobs_sorted(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char oid[41];
	resolve(r, "c1", oid);
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_commit(&s, r, oid), 0);
	assert_snapshot_is_git(s, f->dir, oid);
	/* The symlink "link" is left out; "README.md" sorts first (upper case), "a/" after "a.json". */
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_init(&b);
	for (size_t i = 0; i < assure_snapshot_count(s); i++)
		assure_buf_printf(&b, "%s\n", assure_snapshot_file(s, i)->path);
	char *got = assure_buf_detach(&b);
	assert_string_equal(got, "README.md\n"
	                         "a-b/c.json\n"
	                         "a.json\n"
	                         "a/b.json\n"
	                         "ab.json\n"
	                         "deep/a/b/c/d/e.json\n"
	                         "deep/a/b/other.json\n"
	                         "docs/guide.md\n"
	                         "dup/x1.json\n"
	                         "dup/x2.json\n"
	                         "notes\n"
	                         "returns/2020-21/board/actions.json\n"
	                         "returns/2020-21/finance/rxn.json\n"
	                         "tools/run.sh\n");
	free(got);
	assure_snapshot_free(s);
	assure_repo_free(r);
}

/*
 * What a commit leaves out is listed, with a submodule's commit: the link and the gitlink of c6,
 * also from a snapshot derived from c5 (which walked only what changed).
 */
static void test_snapshot__skipped_lists_links_and_submodules(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char c5[41], c6[41];
	resolve(r, "c5", c5);
	resolve(r, "c6", c6);
	char *sub = fx_capture("git -C '%s' rev-parse c6:vendor/lib", f->dir);
	sub[strcspn(sub, "\n")] = '\0';
	assure_snapshot *s5, *s6, *d6;
	assure_change *ch;
	size_t nch;
	assert_int_equal(assure_snapshot_from_commit(&s5, r, c5), 0);
	assert_int_equal(assure_snapshot_from_commit(&s6, r, c6), 0);
	assert_int_equal(assure_snapshot_derive(&d6, &ch, &nch, r, s5, c6), 0);
	const assure_snapshot *both[] = {s6, d6};
	for (size_t k = 0; k < 2; k++) {
		assure_skipped *sk;
		size_t n;
		assert_int_equal(assure_snapshot_skipped(both[k], &sk, &n), 0);
		assert_int_equal(n, 2);
		assert_string_equal(sk[0].path, "link");
		assert_int_equal(sk[0].kind, ASSURE_SKIP_SYMLINK);
		assert_string_equal(sk[0].oid, "");
		assert_string_equal(sk[1].path, "vendor/lib");
		assert_int_equal(sk[1].kind, ASSURE_SKIP_SUBMODULE);
		assert_string_equal(sk[1].oid, sub);
		assure_skipped_free(sk, n);
	}
	free(sub);
	assure_changes_free(ch, nch);
	assure_snapshot_free(d6);
	assure_snapshot_free(s6);
	assure_snapshot_free(s5);
	assure_repo_free(r);
}

/* A file whose blob is a Git LFS pointer is no content: reading it is an error that says so. */
static void test_snapshot__lfs_pointer_is_not_content(void **state)
{
	fixture *f = *state;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/lfs", f->tmp);
	fx_init(dir);
	fx_write(dir, "big.json",
	         "version https://git-lfs.github.com/spec/v1\n"
	         "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
	         "size 12345\n");
	fx_write(dir, "small.json", "{\"note\": \"version https://git-lfs.github.com/spec/v1\"}\n");
	fx_commit(dir, "2021-02-01 10:00:00", "A pointer");
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, dir), 0);
	char oid[41];
	resolve(r, "HEAD", oid);
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_commit(&s, r, oid), 0);
	char *data = (char *)1;
	size_t len = 1;
	assert_int_equal(assure_snapshot_read(s, 0, &data, &len), ASSURE_EINVALID);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_string_equal(
	    assure_error_last(),
	    "'big.json' is a Git LFS pointer (sha256:4d7a214614ab, 12345 bytes): its content is "
	    "not in the repository, so it was not checked (Git LFS keeps it elsewhere; 'git lfs "
	    "pull' fetches it into a working tree, which --worktree checks)");
	assert_int_equal(assure_snapshot_read(s, 1, &data, &len), 0);
	free(data);
	assure_repo_stats st;
	assure_repo_get_stats(r, &st);
	assert_int_equal(st.lfs_pointers, 1);
	assure_snapshot_free(s);
	assure_repo_free(r);
}

/* Each kind of change, between neighbours and across several commits, in path order. */
static void test_snapshot__derive_reports_each_kind_of_change(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
	    {"c1", "c2", "M deep/a/b/c/d/e.json\n"},
	    {"c2", "c3", "R returns/2020-21/finance/rxn.json -> returns/2021-22/finance/rxn.json\n"},
	    {"c3", "c4", "D returns/2020-21/board/actions.json\n"},
	    {"c4", "c5", "M README.md\nM docs/guide.md\n"},
	    /* The file "notes" becomes a folder; a mode, a symlink and a submodule count for nothing. */
	    {"c5", "c6", "D notes\nA notes/one.json\n"},
	    /* Identical content: deleted and added paths pair in path order; the extra one is added. */
	    {"c6", "c7", "R dup/x1.json -> dup2/y0.json\nR dup/x2.json -> dup2/y1.json\nA dup2/y2.json\n"},
	    {"c7", "c8", "A a\nD a/b.json\n"},
	    {"c8", "c10", "M returns/2021-22/finance/rxn.json\n"},
	    {"c9", "c10", "A a\nD a/b.json\n"},
	    {"c5", "c5", ""},
	    {"c1", "c8",
	     "M README.md\nA a\nD a/b.json\nM deep/a/b/c/d/e.json\nM docs/guide.md\n"
	     "R dup/x1.json -> dup2/y0.json\nR dup/x2.json -> dup2/y1.json\nA dup2/y2.json\n"
	     "D notes\nA notes/one.json\nD returns/2020-21/board/actions.json\n"
	     "R returns/2020-21/finance/rxn.json -> returns/2021-22/finance/rxn.json\n"},
	    {"c8", "c1",
	     "M README.md\nD a\nA a/b.json\nM deep/a/b/c/d/e.json\nM docs/guide.md\n"
	     "R dup2/y0.json -> dup/x1.json\nR dup2/y1.json -> dup/x2.json\nD dup2/y2.json\n"
	     "A notes\nD notes/one.json\nA returns/2020-21/board/actions.json\n"
	     "R returns/2021-22/finance/rxn.json -> returns/2020-21/finance/rxn.json\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = derive_text(f, r, cases[i].from, cases[i].to);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s..%s: got\n%sexpected\n%s", cases[i].from, cases[i].to, got,
			         cases[i].want);
		free(got);
	}
	assure_repo_free(r);
}

/* Without a previous snapshot every file is added. */
static void test_snapshot__derive_from_nothing_adds_everything(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char *got = derive_text(f, r, NULL, "c1");
	assert_string_equal(got, "A README.md\nA a-b/c.json\nA a.json\nA a/b.json\nA ab.json\n"
	                         "A deep/a/b/c/d/e.json\nA deep/a/b/other.json\nA docs/guide.md\n"
	                         "A dup/x1.json\nA dup/x2.json\nA notes\n"
	                         "A returns/2020-21/board/actions.json\nA returns/2020-21/finance/rxn.json\n"
	                         "A tools/run.sh\n");
	free(got);
	assure_repo_free(r);
}

/* Walking the whole history by derive gives, at every commit, exactly from_commit's snapshot. */
static void test_snapshot__derive_chain_equals_from_commit(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char *list = fx_capture("git -C '%s' rev-list --reverse --topo-order main", f->dir);
	assure_snapshot *prev = NULL;
	size_t ncommits = 0;
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		assure_snapshot *chain, *full, *from_parent;
		assure_change *c;
		size_t n;
		assert_int_equal(assure_snapshot_derive(&chain, &c, &n, r, prev, line), 0);
		assure_changes_free(c, n);
		assert_int_equal(assure_snapshot_from_commit(&full, r, line), 0);
		assert_snapshot_is_git(chain, f->dir, line);
		assert_snapshot_is_git(full, f->dir, line);
		/* And derived from its first parent's full snapshot, as an audit compares. */
		assure_commit_info ci;
		assert_int_equal(assure_repo_commit_info(r, line, &ci), 0);
		assure_snapshot *parent = NULL;
		if (ci.parent_count > 0)
			assert_int_equal(assure_snapshot_from_commit(&parent, r, ci.first_parent), 0);
		assure_commit_info_clear(&ci);
		assert_int_equal(assure_snapshot_derive(&from_parent, &c, &n, r, parent, line), 0);
		assure_changes_free(c, n);
		assert_snapshot_is_git(from_parent, f->dir, line);
		assure_snapshot_free(parent);
		assure_snapshot_free(from_parent);
		assure_snapshot_free(full);
		/* The chain's earlier snapshot goes first: the new one must not depend on it. */
		assure_snapshot_free(prev);
		prev = chain;
		ncommits++;
	}
	assert_int_equal(ncommits, NCOMMITS);
	assure_snapshot_free(prev);
	free(list);
	assure_repo_free(r);
}

/*
 * A derived snapshot takes the files before the first change from its parent's block: with
 * 1,800 files, changes at the front (the copy made a block of its own), the end, the middle, a
 * folder deleted and a commit that changes nothing, each snapshot of the chain is git's listing,
 * checked after the snapshot it was derived from is freed.
 */
static void test_snapshot__derive_shares_files_before_the_change(void **state)
{
	fixture *f = *state;
	char *d = malloc(strlen(f->tmp) + 16);
	sprintf(d, "%s/big", f->tmp);
	fx_init(d);
	fx_sh("cd '%s' && for y in y1 y2 y3; do mkdir $y; for i in $(seq -w 0 599); do "
	      "echo \"{\\\"n\\\": $i}\" >$y/f$i.json; done; done",
	      d);
	fx_commit(d, "2021-02-01 10:00:00", "Three folders");
	fx_write(d, "y1/f005.json", "{\"n\": \"front\"}\n");
	fx_commit(d, "2021-02-02 10:00:00", "Front");
	fx_write(d, "y3/f999.json", "{\"n\": \"end\"}\n");
	fx_commit(d, "2021-02-03 10:00:00", "End");
	fx_sh("git -C '%s' rm -q y2/f100.json", d);
	fx_commit(d, "2021-02-04 10:00:00", "Middle");
	fx_write(d, "y3/f001.json", "{\"n\": \"again\"}\n");
	fx_write(d, "y0/new.json", "{\"n\": \"first\"}\n");
	fx_commit(d, "2021-02-05 10:00:00", "Front and end");
	fx_sh("git -C '%s' rm -q -r y1", d);
	fx_commit(d, "2021-02-06 10:00:00", "A folder goes");
	fx_commit(d, "2021-02-07 10:00:00", "Nothing");
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, d), 0);
	char *list = fx_capture("git -C '%s' rev-list --reverse main", d);
	assure_snapshot *prev = NULL;
	size_t ncommits = 0;
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		assure_snapshot *s;
		assure_change *c;
		size_t n;
		assert_int_equal(assure_snapshot_derive(&s, &c, &n, r, prev, line), 0);
		assure_changes_free(c, n);
		assure_snapshot_free(prev);
		assert_snapshot_is_git(s, d, line);
		prev = s;
		ncommits++;
	}
	assert_int_equal(ncommits, 7);
	assert_int_equal(assure_snapshot_count(prev), 1800 - 600 - 1 + 2);
	assure_snapshot_free(prev);
	free(list);
	assure_repo_free(r);
	free(d);
}

/* Trees looked up between two readings of the stats, whether read or kept from before. */
static unsigned long looked_up(const assure_repo_stats *a, const assure_repo_stats *b)
{
	return (b->trees_read + b->trees_reused) - (a->trees_read + a->trees_reused);
}

/* derive reads only the trees on the way to what changed; from_commit reads them all. */
static void test_snapshot__derive_reads_only_changed_trees(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char c1[41], c2[41], c4[41], c5[41];
	resolve(r, "c1", c1);
	resolve(r, "c2", c2);
	resolve(r, "c4", c4);
	resolve(r, "c5", c5);
	assure_snapshot *s1, *s2, *s4, *s5, *full;
	assure_change *c;
	size_t n;
	assure_repo_stats st0, st1;
	assert_int_equal(assure_snapshot_from_commit(&s1, r, c1), 0);
	assert_int_equal(assure_snapshot_from_commit(&s4, r, c4), 0);

	assure_repo_get_stats(r, &st0);
	assert_int_equal(assure_snapshot_from_commit(&full, r, c2), 0);
	assure_repo_get_stats(r, &st1);
	char *ntrees = fx_capture("git -C '%s' ls-tree -r -t c2 | grep -c ' tree '", f->dir);
	assert_int_equal(looked_up(&st0, &st1), strtoul(ntrees, NULL, 10) + 1);
	free(ntrees);

	/* deep/a/b/c/d/e.json: the two roots, then deep, a, b, c and d on both sides. */
	assure_repo_get_stats(r, &st0);
	assert_int_equal(assure_snapshot_derive(&s2, &c, &n, r, s1, c2), 0);
	assure_repo_get_stats(r, &st1);
	assert_int_equal(looked_up(&st0, &st1), 12);
	assert_int_equal(st1.blobs_read, st0.blobs_read);
	assure_changes_free(c, n);

	/* README.md and docs/guide.md: the two roots and the two docs folders, nothing else. */
	assure_repo_get_stats(r, &st0);
	assert_int_equal(assure_snapshot_derive(&s5, &c, &n, r, s4, c5), 0);
	assure_repo_get_stats(r, &st1);
	assert_int_equal(looked_up(&st0, &st1), 4);
	assure_changes_free(c, n);

	/* Commit after commit, the old side is the trees just read: only the new side is read. */
	assure_repo *fresh;
	assure_snapshot *t1, *t2;
	assert_int_equal(assure_repo_open(&fresh, f->dir), 0);
	assert_int_equal(assure_snapshot_from_commit(&t1, fresh, c1), 0);
	assure_repo_get_stats(fresh, &st0);
	assert_int_equal(assure_snapshot_derive(&t2, &c, &n, fresh, t1, c2), 0);
	assure_repo_get_stats(fresh, &st1);
	assert_int_equal(st1.trees_read - st0.trees_read, 6);
	assert_int_equal(st1.trees_reused - st0.trees_reused, 6);
	assert_int_equal(assure_snapshot_count(t2), assure_snapshot_count(s2));
	for (size_t i = 0; i < assure_snapshot_count(t2); i++)
		assert_string_equal(assure_snapshot_file(t2, i)->oid, assure_snapshot_file(s2, i)->oid);
	assure_changes_free(c, n);
	assure_snapshot_free(t1);
	assure_snapshot_free(t2);
	assure_repo_free(fresh);

	assure_snapshot_free(s1);
	assure_snapshot_free(s2);
	assure_snapshot_free(s4);
	assure_snapshot_free(s5);
	assure_snapshot_free(full);
	assure_repo_free(r);
}

/* A derived snapshot shares the unchanged path strings and outlives the one it came from. */
static void test_snapshot__derive_shares_unchanged_paths(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char c4[41], c5[41];
	resolve(r, "c4", c4);
	resolve(r, "c5", c5);
	assure_snapshot *s4, *s5;
	assure_change *c;
	size_t n;
	assert_int_equal(assure_snapshot_from_commit(&s4, r, c4), 0);
	assert_int_equal(assure_snapshot_derive(&s5, &c, &n, r, s4, c5), 0);
	assure_changes_free(c, n);
	assert_int_equal(assure_snapshot_count(s5), assure_snapshot_count(s4));
	for (size_t i = 0; i < assure_snapshot_count(s5); i++)
		assert_ptr_equal(assure_snapshot_file(s5, i)->path, assure_snapshot_file(s4, i)->path);
	assure_snapshot_free(s4);
	/* Under ASan, a path freed with s4 would fail here. */
	assert_snapshot_is_git(s5, f->dir, c5);
	assure_snapshot_free(s5);
	assure_repo_free(r);
}

/* Snapshots of exported commits (plain files, no commit) match git, and derive from them
 * compares lists and finds the same changes as the walk of two trees, for every pair. */
static void test_snapshot__derive_from_plain_files_matches_tree_walk(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char tags[NCOMMITS][8];
	assure_snapshot *plain[NCOMMITS], *full[NCOMMITS];
	char oids[NCOMMITS][41];
	for (int i = 0; i < NCOMMITS; i++) {
		snprintf(tags[i], sizeof(tags[i]), "c%d", i + 1);
		resolve(r, tags[i], oids[i]);
		fx_sh("mkdir -p '%s/export/%s' && git -C '%s' archive %s | tar -x -C '%s/export/%s'", f->tmp,
		      tags[i], f->dir, tags[i], f->tmp, tags[i]);
		char path[4096];
		snprintf(path, sizeof(path), "%s/export/%s", f->tmp, tags[i]);
		const char *paths[] = {path};
		assert_int_equal(assure_snapshot_from_paths(&plain[i], paths, 1), 0);
		assert_null(assure_snapshot_commit(plain[i]));
		assert_int_equal(assure_snapshot_from_commit(&full[i], r, oids[i]), 0);
		char *a = snapshot_listing(plain[i]), *b = snapshot_listing(full[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	for (int i = 0; i < NCOMMITS; i++) {
		for (int j = 0; j < NCOMMITS; j++) {
			assure_snapshot *x, *y;
			assure_change *cx, *cy;
			size_t nx, ny;
			assert_int_equal(assure_snapshot_derive(&x, &cx, &nx, r, plain[i], oids[j]), 0);
			assert_int_equal(assure_snapshot_derive(&y, &cy, &ny, r, full[i], oids[j]), 0);
			char *tx = changes_text(cx, nx), *ty = changes_text(cy, ny);
			if (strcmp(tx, ty) != 0)
				fail_msg("%s..%s: lists give\n%swalk gives\n%s", tags[i], tags[j], tx, ty);
			assert_snapshot_is_git(x, f->dir, oids[j]);
			free(tx);
			free(ty);
			assure_changes_free(cx, nx);
			assure_changes_free(cy, ny);
			assure_snapshot_free(x);
			assure_snapshot_free(y);
		}
	}
	for (int i = 0; i < NCOMMITS; i++) {
		assure_snapshot_free(plain[i]);
		assure_snapshot_free(full[i]);
	}
	assure_repo_free(r);
}

/* Malformed and unknown commit ids are errors naming them, with nothing returned. */
static void test_snapshot__bad_commit_ids_are_errors(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	assure_snapshot *s = (assure_snapshot *)1;
	assure_change *c = (assure_change *)1;
	size_t n = 7;
	assert_int_equal(assure_snapshot_from_commit(&s, r, "c1"), ASSURE_EINVALID);
	assert_string_equal(assure_error_last(), "invalid commit id 'c1'");
	assert_null(s);
	const char *unknown = "0123456789012345678901234567890123456789";
	assert_int_equal(assure_snapshot_derive(&s, &c, &n, r, NULL, unknown), ASSURE_ENOTFOUND);
	assert_string_equal(assure_error_last(),
	                    "commit '0123456789012345678901234567890123456789' not found");
	assert_null(s);
	assert_null(c);
	assert_int_equal(n, 0);
	/* A tree's id is not a commit's. */
	char *tree = fx_rev(f->dir, "c1^{tree}");
	assert_int_equal(assure_snapshot_from_commit(&s, r, tree), ASSURE_ENOTFOUND);
	free(tree);
	assure_repo_free(r);
}

/* Reading a file gives its bytes and a NUL after them; find locates paths bytewise. */
static void test_snapshot__read_and_find(void **state)
{
	fixture *f = *state;
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char oid[41];
	resolve(r, "c1", oid);
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_commit(&s, r, oid), 0);
	long i = assure_snapshot_find(s, "README.md");
	assert_int_equal(i, 0);
	assert_int_equal(assure_snapshot_find(s, "a/b.json"), 3);
	assert_int_equal(assure_snapshot_find(s, "tools/run.sh"), 13);
	assert_int_equal(assure_snapshot_find(s, "a"), -1);
	assert_int_equal(assure_snapshot_find(s, "link"), -1);
	assert_int_equal(assure_snapshot_find(s, "zzz"), -1);
	char *data;
	size_t len;
	assert_int_equal(assure_snapshot_read(s, (size_t)i, &data, &len), 0);
	assert_int_equal(len, strlen("# returns v1\n"));
	assert_memory_equal(data, "# returns v1\n", len + 1);
	free(data);
	assert_null(assure_snapshot_file(s, assure_snapshot_count(s)));
	assert_int_equal(assure_snapshot_read(s, assure_snapshot_count(s), &data, &len), ASSURE_ENOTFOUND);
	assure_snapshot_free(s);
	assure_snapshot_free(NULL);
	assure_repo_free(r);
}

/* The working tree: untracked files in, ignored files and folders out unless tracked, no
 * .git, nested repository or symlink; ids are git's blob ids of the bytes on disk. */
static void test_snapshot__worktree_honours_gitignore(void **state)
{
	fixture *f = *state;
	char wt[4096];
	snprintf(wt, sizeof(wt), "%s/wt", f->tmp);
	fx_init(wt);
	fx_write(wt, ".gitignore", "*.tmp\nbuild/\nlogs/\n");
	fx_write(wt, "a.json", "{\"a\": 1}\n");
	fx_write(wt, "sub/dir/deep.json", "{}\n");
	fx_write(wt, "keep.tmp", "tracked though ignored\n");
	fx_write(wt, "logs/keep.json", "{\"tracked\": true}\n");
	fx_sh("cd '%s' && git add -f keep.tmp logs/keep.json", wt);
	fx_commit(wt, "2021-02-01 10:00:00", "Work tree");
	fx_write(wt, "a.json", "{\"a\": 2}\n");
	fx_write(wt, "new.json", "{\"new\": true}\n");
	fx_write(wt, "x.tmp", "ignored\n");
	fx_write(wt, "build/out.json", "{}\n");
	fx_write(wt, "logs/other.json", "{}\n");
	fx_sh("cd '%s' && git init -q nested && echo '{}' >nested/inner.json && ln -s a.json ln", wt);
	char *before = fx_state(wt);

	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, wt), 0);
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_worktree(&s, r), 0);
	assert_null(assure_snapshot_commit(s));
	static const char *const want[] = {".gitignore",     "a.json",   "keep.tmp",
	                                   "logs/keep.json", "new.json", "sub/dir/deep.json"};
	assert_int_equal(assure_snapshot_count(s), 6);
	for (size_t i = 0; i < 6; i++) {
		const assure_file *file = assure_snapshot_file(s, i);
		assert_string_equal(file->path, want[i]);
		char *id = fx_capture("git -C '%s' hash-object '%s'", wt, want[i]);
		id[strcspn(id, "\n")] = '\0';
		assert_string_equal(file->oid, id);
		free(id);
	}
	char *data;
	size_t len;
	assert_int_equal(assure_snapshot_read(s, 1, &data, &len), 0);
	assert_string_equal(data, "{\"a\": 2}\n");
	assert_int_equal(len, 9);
	free(data);
	assure_snapshot_free(s);
	assure_repo_free(r);
	char *after = fx_state(wt);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/*
 * The index: the staged files with the ids git stages them under, whatever the working tree has
 * since; their content is read from the object database; links and submodules are skipped; a
 * conflict is an error naming the path; nothing is written (the index is only read).
 */
static void test_snapshot__index_lists_what_is_staged(void **state)
{
	fixture *f = *state;
	char wt[4096];
	snprintf(wt, sizeof(wt), "%s/idx", f->tmp);
	fx_init(wt);
	fx_write(wt, "a.json", "{\"a\": 1}\n");
	fx_write(wt, "b.json", "{\"b\": 1}\n");
	fx_commit(wt, "2021-02-01 10:00:00", "Index");
	fx_write(wt, "a.json", "{\"a\": 2}\n");
	fx_write(wt, "sub/new.json", "{\"new\": 1}\n");
	fx_sh("cd '%s' && ln -s a.json ln && git add a.json sub/new.json ln && git rm -q --cached b.json",
	      wt);
	fx_write(wt, "a.json", "{\"a\": 3, \"unstaged\": true}\n");
	fx_write(wt, "untracked.json", "{}\n");
	char *before = fx_state(wt);

	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, wt), 0);
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_index(&s, r), 0);
	assert_null(assure_snapshot_commit(s));
	assert_string_equal(assure_snapshot_kind(s), "the index");
	char *want = fx_capture("git -C '%s' ls-files -s | awk '$1 == \"100644\" { split($0, t, \"\\t\"); "
	                        "print $2 \" \" t[2] }'",
	                        wt);
	char *got = snapshot_listing(s);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, " a.json\n"));
	assert_null(strstr(got, "b.json"));
	free(want);
	free(got);
	char *data;
	size_t len;
	assert_int_equal(assure_snapshot_find(s, "a.json"), 0);
	assert_int_equal(assure_snapshot_read(s, 0, &data, &len), 0);
	assert_string_equal(data, "{\"a\": 2}\n");
	free(data);
	uint64_t size;
	assert_int_equal(assure_snapshot_size(s, 0, &size), 0);
	assert_int_equal(size, 9);
	assure_skipped *sk;
	size_t nsk;
	assert_int_equal(assure_snapshot_skipped(s, &sk, &nsk), 0);
	assert_int_equal(nsk, 1);
	assert_string_equal(sk[0].path, "ln");
	assert_int_equal(sk[0].kind, ASSURE_SKIP_SYMLINK);
	assure_skipped_free(sk, nsk);
	assure_snapshot_free(s);
	assure_repo_free(r);
	char *after = fx_state(wt);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* a merge conflict leaves three versions of a path staged: none is what will be committed */
	fx_sh("cd '%s' && B=$(git symbolic-ref --short HEAD) && git commit -q -m staged && "
	      "git checkout -q -f -b other HEAD~1 && echo 9 >a.json && git commit -q -am other && "
	      "(git merge -q \"$B\" >/dev/null 2>&1 || true)",
	      wt);
	assert_int_equal(assure_repo_open(&r, wt), 0);
	s = (assure_snapshot *)1;
	assert_int_equal(assure_snapshot_from_index(&s, r), ASSURE_EINVALID);
	assert_null(s);
	assert_string_equal(assure_error_last(),
	                    "'a.json' has a merge conflict in the index: resolve it and stage "
	                    "the result before checking the index");
	assure_repo_free(r);
}

/* A bare repository has no working tree to list. */
static void test_snapshot__worktree_of_bare_repository_is_an_error(void **state)
{
	fixture *f = *state;
	fx_sh("git clone -q --bare '%s' '%s/bare.git'", f->dir, f->tmp);
	char bare[4096];
	snprintf(bare, sizeof(bare), "%s/bare.git", f->tmp);
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, bare), 0);
	assure_snapshot *s = (assure_snapshot *)1;
	assert_int_equal(assure_snapshot_from_worktree(&s, r), ASSURE_EINVALID);
	assert_null(s);
	assert_non_null(strstr(assure_error_last(), "has no working tree"));
	assure_repo_free(r);
}

/* Plain files keep their names ("./" and repeated '/' removed); files found in a folder are
 * named relative to it; .git and symlinks are skipped; ids are git's; content reads back. */
static void test_snapshot__from_paths_names_files(void **state)
{
	fixture *f = *state;
	char plain[4096], cwd[4096];
	snprintf(plain, sizeof(plain), "%s/plain", f->tmp);
	fx_write(plain, "case/returns/2020-21/finance.json", "hello\n");
	fx_write(plain, "case/.git/HEAD", "ref: refs/heads/main\n");
	fx_write(plain, "one.json", "{}\n");
	fx_sh("cd '%s' && ln -s one.json case/link.json", plain);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(plain), 0);

	const char *paths[] = {"./case/", ".//one.json", "./case//returns/./2020-21/finance.json"};
	assure_snapshot *s;
	assert_int_equal(assure_snapshot_from_paths(&s, paths, 3), 0);
	assert_int_equal(assure_snapshot_count(s), 3);
	assert_string_equal(assure_snapshot_file(s, 0)->path, "case/returns/2020-21/finance.json");
	assert_string_equal(assure_snapshot_file(s, 1)->path, "one.json");
	assert_string_equal(assure_snapshot_file(s, 2)->path, "returns/2020-21/finance.json");
	/* printf 'hello\n' | git hash-object --stdin */
	assert_string_equal(assure_snapshot_file(s, 2)->oid, "ce013625030ba8dba906f756967f9e9ca394464a");
	assert_string_equal(assure_snapshot_file(s, 0)->oid, "ce013625030ba8dba906f756967f9e9ca394464a");
	assert_null(assure_snapshot_commit(s));
	char *data;
	size_t len;
	assert_int_equal(assure_snapshot_read(s, 1, &data, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "{}\n", 4);
	free(data);
	assure_snapshot_free(s);

	/* "." is the folder itself: names start below it. */
	const char *dot[] = {"."};
	assert_int_equal(assure_snapshot_from_paths(&s, dot, 1), 0);
	assert_int_equal(assure_snapshot_count(s), 2);
	assert_string_equal(assure_snapshot_file(s, 0)->path, "case/returns/2020-21/finance.json");
	assert_string_equal(assure_snapshot_file(s, 1)->path, "one.json");
	assure_snapshot_free(s);
	assert_int_equal(chdir(cwd), 0);
}

/* A path that does not exist, or two files with one name, are errors naming them. */
static void test_snapshot__from_paths_errors_name_the_path(void **state)
{
	fixture *f = *state;
	char plain[4096], cwd[4096];
	snprintf(plain, sizeof(plain), "%s/plain2", f->tmp);
	fx_write(plain, "a/x.json", "{}\n");
	fx_write(plain, "b/x.json", "[]\n");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(plain), 0);
	assure_snapshot *s = (assure_snapshot *)1;
	const char *missing[] = {"a", "nope.json"};
	assert_int_equal(assure_snapshot_from_paths(&s, missing, 2), ASSURE_ENOTFOUND);
	assert_string_equal(assure_error_last(), "path 'nope.json' does not exist");
	assert_null(s);
	const char *twice[] = {"a/", "b"};
	assert_int_equal(assure_snapshot_from_paths(&s, twice, 2), ASSURE_EINVALID);
	assert_string_equal(assure_error_last(), "'x.json' is given twice, as 'a/x.json' and as 'b/x.json'");
	assert_null(s);
	assert_int_equal(chdir(cwd), 0);
}

/* Nothing done on the history repository changes .git or what git status shows. */
static void test_snapshot__never_writes_the_repository(void **state)
{
	fixture *f = *state;
	fx_write(f->dir, "README.md", "# changed in the work tree\n");
	char *before = fx_state(f->dir);
	assure_repo *r;
	assert_int_equal(assure_repo_open(&r, f->dir), 0);
	char oid[41];
	resolve(r, "c10", oid);
	assure_snapshot *s, *d, *w;
	assure_change *c;
	size_t n;
	assert_int_equal(assure_snapshot_from_commit(&s, r, oid), 0);
	assert_int_equal(assure_snapshot_from_worktree(&w, r), 0);
	assert_int_equal(assure_snapshot_derive(&d, &c, &n, r, w, oid), 0);
	char *text = changes_text(c, n);
	assert_string_equal(text, "M README.md\n");
	free(text);
	assure_changes_free(c, n);
	for (size_t i = 0; i < assure_snapshot_count(s); i++) {
		char *data;
		size_t len;
		assert_int_equal(assure_snapshot_read(s, i, &data, &len), 0);
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
	fx_sh("git -C '%s' checkout -q -- README.md", f->dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_snapshot__from_commit_lists_blobs_sorted),
	    cmocka_unit_test(test_snapshot__skipped_lists_links_and_submodules),
	    cmocka_unit_test(test_snapshot__lfs_pointer_is_not_content),
	    cmocka_unit_test(test_snapshot__derive_reports_each_kind_of_change),
	    cmocka_unit_test(test_snapshot__derive_from_nothing_adds_everything),
	    cmocka_unit_test(test_snapshot__derive_chain_equals_from_commit),
	    cmocka_unit_test(test_snapshot__derive_reads_only_changed_trees),
	    cmocka_unit_test(test_snapshot__derive_shares_unchanged_paths),
	    cmocka_unit_test(test_snapshot__derive_shares_files_before_the_change),
	    cmocka_unit_test(test_snapshot__derive_from_plain_files_matches_tree_walk),
	    cmocka_unit_test(test_snapshot__bad_commit_ids_are_errors),
	    cmocka_unit_test(test_snapshot__read_and_find),
	    cmocka_unit_test(test_snapshot__worktree_honours_gitignore),
	    cmocka_unit_test(test_snapshot__worktree_of_bare_repository_is_an_error),
	    cmocka_unit_test(test_snapshot__index_lists_what_is_staged),
	    cmocka_unit_test(test_snapshot__from_paths_names_files),
	    cmocka_unit_test(test_snapshot__from_paths_errors_name_the_path),
	    cmocka_unit_test(test_snapshot__never_writes_the_repository),
	};
	return cmocka_run_group_tests_name("snapshot", tests, setup, teardown);
}
