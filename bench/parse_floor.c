/*
 * parse_floor.c: the least any audit or check of a returns repository must do, as a baseline
 * for bench/run: read every JSON blob that a commit changes and parse it once, with libgit2
 * and jansson and nothing else.
 *
 *   parse_floor history REPO   every first-parent commit from the root to HEAD: the two trees
 *                              are walked together, equal subtree ids skipped, and each added
 *                              or changed *.json blob read and parsed
 *   parse_floor head REPO      every *.json blob of HEAD, read and parsed
 *
 * It prints the commits, blobs and bytes it read, so that a run can be checked against what
 * assure reports. Caching is off, as assure runs it (libgit2's object cache is most of a
 * long walk's memory).
 */
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct totals {
	unsigned long commits, blobs, bytes, invalid;
} totals;

static void die(const char *what)
{
	const git_error *e = git_error_last();
	fprintf(stderr, "parse_floor: %s: %s\n", what, e ? e->message : "unknown error");
	exit(2);
}

static int is_json(const char *name)
{
	size_t n = strlen(name);
	return n >= 5 && strcmp(name + n - 5, ".json") == 0;
}

static void parse_blob(git_repository *repo, const git_oid *id, totals *t)
{
	git_blob *blob;
	if (git_blob_lookup(&blob, repo, id) < 0)
		die("blob");
	json_error_t err;
	size_t len = (size_t)git_blob_rawsize(blob);
	json_t *doc = json_loadb(git_blob_rawcontent(blob), len, JSON_REJECT_DUPLICATES, &err);
	if (!doc)
		t->invalid++;
	json_decref(doc);
	t->blobs++;
	t->bytes += len;
	git_blob_free(blob);
}

/* Every *.json blob of `now` that `before` (may be NULL) does not hold at the same path. */
static void walk_changed(git_repository *repo, git_tree *before, git_tree *now, totals *t)
{
	size_t n = git_tree_entrycount(now);
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(now, i);
		const char *name = git_tree_entry_name(e);
		const git_tree_entry *old = before ? git_tree_entry_byname(before, name) : NULL;
		if (old && git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(e)))
			continue; /* the same subtree or blob: nothing below it changed */
		git_object_t type = git_tree_entry_type(e);
		if (type == GIT_OBJECT_TREE) {
			git_tree *sub, *old_sub = NULL;
			if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0)
				die("tree");
			if (old && git_tree_entry_type(old) == GIT_OBJECT_TREE &&
			    git_tree_lookup(&old_sub, repo, git_tree_entry_id(old)) < 0)
				die("tree");
			walk_changed(repo, old_sub, sub, t);
			git_tree_free(sub);
			git_tree_free(old_sub);
		} else if (type == GIT_OBJECT_BLOB && is_json(name)) {
			parse_blob(repo, git_tree_entry_id(e), t);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "history") != 0 && strcmp(argv[1], "head") != 0)) {
		fprintf(stderr, "usage: parse_floor history|head REPO\n");
		return 2;
	}
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	git_repository *repo;
	if (git_repository_open(&repo, argv[2]) < 0)
		die("open");
	totals t = {0};
	git_oid head;
	if (git_reference_name_to_id(&head, repo, "HEAD") < 0)
		die("HEAD");
	if (strcmp(argv[1], "head") == 0) {
		git_commit *c;
		git_tree *tree;
		if (git_commit_lookup(&c, repo, &head) < 0 || git_commit_tree(&tree, c) < 0)
			die("commit");
		walk_changed(repo, NULL, tree, &t);
		t.commits = 1;
		git_tree_free(tree);
		git_commit_free(c);
	} else {
		/* first parents from HEAD back to the root, then forwards */
		size_t n = 0, cap = 1024;
		git_oid *ids = malloc(cap * sizeof(git_oid));
		git_oid at = head;
		for (;;) {
			if (n == cap)
				ids = realloc(ids, (cap *= 2) * sizeof(git_oid));
			ids[n++] = at;
			git_commit *c;
			if (git_commit_lookup(&c, repo, &at) < 0)
				die("commit");
			int root = git_commit_parentcount(c) == 0;
			if (!root)
				at = *git_commit_parent_id(c, 0);
			git_commit_free(c);
			if (root)
				break;
		}
		git_tree *prev = NULL;
		for (size_t i = n; i-- > 0;) {
			git_commit *c;
			git_tree *tree;
			if (git_commit_lookup(&c, repo, &ids[i]) < 0 || git_commit_tree(&tree, c) < 0)
				die("commit");
			walk_changed(repo, prev, tree, &t);
			git_tree_free(prev);
			prev = tree;
			git_commit_free(c);
			t.commits++;
		}
		git_tree_free(prev);
		free(ids);
	}
	printf("%lu commits, %lu blobs parsed, %lu bytes, %lu not valid JSON\n", t.commits, t.blobs, t.bytes,
	       t.invalid);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return 0;
}
