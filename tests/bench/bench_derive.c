/*
 * bench_derive.c: what walking history with assure_snapshot_derive costs against a full
 * snapshot of every commit (assure_snapshot_from_commit) and against libgit2's
 * git_diff_tree_to_tree, measured in the same run on a synthetic repository.
 *
 * Usage: bench_derive [files] [folders] [commits]   (default 2000 40 500)
 *
 * The repository is built with libgit2 in a temporary folder: `files` files spread over
 * `folders` folders under returns/, then `commits` commits that each change 1 to 3 files
 * (one commit in ten renames a file, one in twenty deletes one, one in twenty adds one).
 * Figures are ratios to the derive walk, so they compare across machines.
 */
#include "assure/repo.h"

#include "assure/error.h"
#include "repo/repo_int.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct file {
	char *name;  /* name inside its folder */
	git_oid id;  /* current content */
	bool exists; /* not deleted */
} file;

typedef struct folder {
	file *files;   /* its files, in creation order */
	size_t count;  /* files used */
	size_t cap;    /* files allocated */
	git_oid tree;  /* its current tree */
	bool dirty;    /* tree to rebuild */
	char name[32]; /* "orgNN" */
} folder;

static void check(int rc, const char *what)
{
	if (rc < 0) {
		const git_error *e = git_error_last();
		fprintf(stderr, "bench_derive: %s: %s\n", what, e ? e->message : "unknown error");
		exit(2);
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A small deterministic generator, so every run builds the same repository. */
static unsigned long rng_state = 88172645463325252UL;
static unsigned long rnd(unsigned long n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % n;
}

static void put_blob(git_repository *repo, git_oid *out, size_t folder_i, const char *name, unsigned long v)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf),
	                 "{\"kind\": \"finance\", \"folder\": %zu, \"file\": \"%s\", \"v\": %lu}\n", folder_i,
	                 name, v);
	check(git_blob_create_from_buffer(out, repo, buf, (size_t)n), "blob");
}

static void add_file(git_repository *repo, folder *fo, size_t fi, const char *name, unsigned long v)
{
	if (fo->count == fo->cap) {
		fo->cap = fo->cap ? fo->cap * 2 : 64;
		fo->files = realloc(fo->files, fo->cap * sizeof(*fo->files));
	}
	file *f = &fo->files[fo->count++];
	f->name = strdup(name);
	f->exists = true;
	put_blob(repo, &f->id, fi, name, v);
	fo->dirty = true;
}

static void build_folder_tree(git_repository *repo, folder *fo)
{
	git_treebuilder *tb;
	check(git_treebuilder_new(&tb, repo, NULL), "treebuilder");
	for (size_t i = 0; i < fo->count; i++)
		if (fo->files[i].exists)
			check(git_treebuilder_insert(NULL, tb, fo->files[i].name, &fo->files[i].id,
			                             GIT_FILEMODE_BLOB),
			      "insert");
	check(git_treebuilder_write(&fo->tree, tb), "write tree");
	git_treebuilder_free(tb);
	fo->dirty = false;
}

static void commit_all(git_repository *repo, folder *folders, size_t nfolders, const git_oid *readme,
                       git_oid *parent, bool has_parent, long t, git_oid *out)
{
	git_treebuilder *tb;
	check(git_treebuilder_new(&tb, repo, NULL), "treebuilder");
	for (size_t i = 0; i < nfolders; i++) {
		if (folders[i].dirty)
			build_folder_tree(repo, &folders[i]);
		check(git_treebuilder_insert(NULL, tb, folders[i].name, &folders[i].tree, GIT_FILEMODE_TREE),
		      "insert");
	}
	git_oid returns, root;
	check(git_treebuilder_write(&returns, tb), "write tree");
	git_treebuilder_free(tb);
	check(git_treebuilder_new(&tb, repo, NULL), "treebuilder");
	check(git_treebuilder_insert(NULL, tb, "README.md", readme, GIT_FILEMODE_BLOB), "insert");
	check(git_treebuilder_insert(NULL, tb, "returns", &returns, GIT_FILEMODE_TREE), "insert");
	check(git_treebuilder_write(&root, tb), "write tree");
	git_treebuilder_free(tb);

	git_signature *sig;
	check(git_signature_new(&sig, "Bench", "bench@example.nhs.uk", t, 0), "signature");
	git_tree *tree;
	git_commit *p = NULL;
	check(git_tree_lookup(&tree, repo, &root), "tree");
	if (has_parent)
		check(git_commit_lookup(&p, repo, parent), "parent");
	const git_commit *parents[1] = {p};
	check(git_commit_create(out, repo, NULL, sig, sig, NULL, "bench", tree, has_parent ? 1 : 0, parents),
	      "commit");
	git_commit_free(p);
	git_tree_free(tree);
	git_signature_free(sig);
}

/* Resident memory now, in KiB (Linux), or -1. */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size, resident;
	int n = f ? fscanf(f, "%ld %ld", &size, &resident) : 0;
	if (f)
		fclose(f);
	return n == 2 ? resident * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

int main(int argc, char **argv)
{
	size_t nfiles = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
	size_t nfolders = argc > 2 ? strtoul(argv[2], NULL, 10) : 40;
	size_t ncommits = argc > 3 ? strtoul(argv[3], NULL, 10) : 500;
	if (nfiles == 0 || nfolders == 0 || ncommits == 0) {
		fprintf(stderr, "usage: bench_derive [files] [folders] [commits]\n");
		return 2;
	}
	char dir[] = "/tmp/assure-bench-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}

	/* ---- build ---- */
	double t0 = now();
	git_libgit2_init();
	git_repository *repo;
	check(git_repository_init(&repo, dir, 1), "init");
	folder *folders = calloc(nfolders, sizeof(*folders));
	for (size_t i = 0; i < nfolders; i++)
		snprintf(folders[i].name, sizeof(folders[i].name), "org%02zu", i);
	char name[64];
	for (size_t i = 0; i < nfiles; i++) {
		snprintf(name, sizeof(name), "finance-%05zu.json", i);
		add_file(repo, &folders[i % nfolders], i % nfolders, name, 0);
	}
	git_oid readme;
	check(git_blob_create_from_buffer(&readme, repo, "# bench\n", 8), "blob");
	git_oid *commits = calloc(ncommits, sizeof(*commits));
	commit_all(repo, folders, nfolders, &readme, NULL, false, 1600000000, &commits[0]);
	size_t added = nfiles;
	for (size_t c = 1; c < ncommits; c++) {
		size_t nchange = 1 + rnd(3);
		for (size_t k = 0; k < nchange; k++) {
			size_t fi = rnd(nfolders);
			folder *fo = &folders[fi];
			file *f = &fo->files[rnd(fo->count)];
			if (!f->exists)
				continue;
			put_blob(repo, &f->id, fi, f->name, c * 10 + k);
			fo->dirty = true;
		}
		if (c % 10 == 0) { /* an exact rename within a folder */
			size_t fi = rnd(nfolders);
			file *f = &folders[fi].files[rnd(folders[fi].count)];
			if (f->exists) {
				snprintf(name, sizeof(name), "renamed-%05zu.json", c);
				git_oid id = f->id;
				f->exists = false;
				add_file(repo, &folders[fi], fi, name, 0);
				folders[fi].files[folders[fi].count - 1].id = id;
			}
		}
		if (c % 20 == 5) { /* a deletion */
			size_t fi = rnd(nfolders);
			folders[fi].files[rnd(folders[fi].count)].exists = false;
			folders[fi].dirty = true;
		}
		if (c % 20 == 15) { /* an addition */
			snprintf(name, sizeof(name), "finance-%05zu.json", added++);
			add_file(repo, &folders[c % nfolders], c % nfolders, name, c);
		}
		commit_all(repo, folders, nfolders, &readme, &commits[c - 1], true,
		           1600000000 + (long)c * 3600, &commits[c]);
	}
	/* Real repositories are packed: reading loose objects would measure the file system. */
	git_packbuilder *pb;
	git_revwalk *walk;
	check(git_packbuilder_new(&pb, repo), "packbuilder");
	check(git_revwalk_new(&walk, repo), "revwalk");
	check(git_revwalk_push(walk, &commits[ncommits - 1]), "revwalk");
	check(git_packbuilder_insert_walk(pb, walk), "pack");
	check(git_packbuilder_write(pb, NULL, 0, NULL, NULL), "pack");
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	git_repository_free(repo);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/objects/[0-9a-f][0-9a-f]", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_derive: could not remove the loose objects\n");
	double t_build = now() - t0;
	char(*hex)[41] = calloc(ncommits, sizeof(*hex));
	for (size_t c = 0; c < ncommits; c++)
		git_oid_tostr(hex[c], 41, &commits[c]);

	/* assure_repo_open turns libgit2's object cache off: every method below runs without it. */
	assure_repo *r;
	if (assure_repo_open(&r, dir) < 0) {
		fprintf(stderr, "bench_derive: %s\n", assure_error_last());
		return 2;
	}
	long rss0 = rss_kb();

	/* ---- derive walk ---- */
	t0 = now();
	assure_snapshot *prev = NULL;
	size_t derive_changes = 0;
	for (size_t c = 0; c < ncommits; c++) {
		assure_snapshot *s;
		assure_change *ch;
		size_t n;
		if (assure_snapshot_derive(&s, &ch, &n, r, prev, hex[c]) < 0) {
			fprintf(stderr, "bench_derive: %s\n", assure_error_last());
			return 2;
		}
		if (c > 0)
			derive_changes += n;
		assure_changes_free(ch, n);
		assure_snapshot_free(prev);
		prev = s;
	}
	double t_derive = now() - t0;
	assure_repo_stats st_derive;
	assure_repo_get_stats(r, &st_derive);
	long rss_derive = rss_kb();
	size_t last_count = assure_snapshot_count(prev);
	size_t path_bytes_one = 0;
	for (size_t i = 0; i < last_count; i++)
		path_bytes_one += strlen(assure_snapshot_file(prev, i)->path) + 1;
	size_t arena_bytes = rp_snapshot_path_bytes(prev);

	/* ---- from_commit for every commit ---- */
	t0 = now();
	size_t full_files = 0;
	for (size_t c = 0; c < ncommits; c++) {
		assure_snapshot *s;
		if (assure_snapshot_from_commit(&s, r, hex[c]) < 0) {
			fprintf(stderr, "bench_derive: %s\n", assure_error_last());
			return 2;
		}
		full_files += assure_snapshot_count(s);
		if (c == ncommits - 1 && assure_snapshot_count(s) != last_count) {
			fprintf(stderr, "bench_derive: derive and from_commit disagree at the last commit\n");
			return 2;
		}
		assure_snapshot_free(s);
	}
	double t_full = now() - t0;
	assure_snapshot_free(prev);
	assure_repo_stats st_all;
	assure_repo_get_stats(r, &st_all);

	/* ---- git_diff_tree_to_tree between neighbours ---- */
	git_repository *g;
	check(git_repository_open(&g, dir), "open");
	t0 = now();
	size_t diff_deltas = 0;
	git_tree *old = NULL;
	for (size_t c = 0; c < ncommits; c++) {
		git_commit *cm;
		git_tree *tree;
		check(git_commit_lookup(&cm, g, &commits[c]), "commit");
		check(git_commit_tree(&tree, cm), "tree");
		git_commit_free(cm);
		if (c > 0) {
			git_diff *diff;
			check(git_diff_tree_to_tree(&diff, g, old, tree, NULL), "diff");
			diff_deltas += git_diff_num_deltas(diff);
			git_diff_free(diff);
		}
		git_tree_free(old);
		old = tree;
	}
	git_tree_free(old);
	double t_diff = now() - t0;
	git_repository_free(g);
	assure_repo_free(r);
	git_libgit2_shutdown();

	printf("repository: %zu files in %zu folders, %zu commits, packed (built in %.2f s)\n", nfiles,
	       nfolders, ncommits, t_build);
	printf("derive walk:            %8.3f s  %6.1f us/commit  trees read %lu  changes %zu\n", t_derive,
	       t_derive / (double)ncommits * 1e6, st_derive.trees_read, derive_changes);
	printf("from_commit each:       %8.3f s  %6.1f us/commit  trees read %lu  = %.1fx derive\n", t_full,
	       t_full / (double)ncommits * 1e6, st_all.trees_read - st_derive.trees_read, t_full / t_derive);
	printf("git_diff_tree_to_tree:  %8.3f s  %6.1f us/commit  deltas %zu  = %.1fx derive\n", t_diff,
	       t_diff / (double)ncommits * 1e6, diff_deltas, t_diff / t_derive);
	printf("files listed by from_commit: %zu\n", full_files);
	printf("memory: paths of one snapshot %zu B, arena of the whole chain %zu B (%.2fx one snapshot),\n"
	       "        entries of one snapshot %zu B; resident %ld KiB before the walk, %ld KiB after it\n",
	       path_bytes_one, arena_bytes, (double)arena_bytes / (double)path_bytes_one,
	       last_count * sizeof(assure_file), rss0, rss_derive);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_derive: could not remove %s\n", dir);
	for (size_t i = 0; i < nfolders; i++) {
		for (size_t j = 0; j < folders[i].count; j++)
			free(folders[i].files[j].name);
		free(folders[i].files);
	}
	free(folders);
	free(commits);
	free(hex);
	return 0;
}
