/* repo.c: opening a repository read only, resolving revisions and describing commits (see repo.h). */
#include "assure/repo.h"

#include "assure/buf.h"
#include "assure/error.h"
#include "assure/utf8.h"
#include "repo/repo_int.h"

#include <ctype.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long init_refs;

int rp_git_init(void)
{
	pthread_mutex_lock(&init_lock);
	int rc = git_libgit2_init();
	/*
	 * libgit2's object cache is most of the memory of a long walk over history, and we
	 * never read a tree or blob twice in a row: each snapshot keeps what it needs.
	 */
	if (rc >= 0 && init_refs++ == 0)
		git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	pthread_mutex_unlock(&init_lock);
	if (rc < 0)
		return rp_git_error("cannot initialise libgit2");
	return 0;
}

void rp_git_shutdown(void)
{
	pthread_mutex_lock(&init_lock);
	if (init_refs > 0) {
		init_refs--;
		git_libgit2_shutdown();
	}
	pthread_mutex_unlock(&init_lock);
}

const char *rp_git_why(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

int rp_git_error(const char *what)
{
	return assure_error_set("%s: %s", what, rp_git_why());
}

int rp_parse_oid(git_oid *out, const char *hex)
{
	size_t n = strlen(hex);
	if (n != GIT_OID_HEXSZ || git_oid_fromstrn(out, hex, n) < 0)
		return assure_error_setc(ASSURE_EINVALID, "invalid commit id '%s'", hex);
	return 0;
}

int rp_tree_lookup(git_tree **out, assure_repo *repo, const git_oid *id, const char *commit,
                   const char *folder)
{
	for (size_t i = 0; i < RP_RECENT_TREES; i++) {
		if (repo->recent[i] && git_oid_equal(git_tree_id(repo->recent[i]), id)) {
			repo->stats.trees_reused++;
			return git_object_dup((git_object **)out, (git_object *)repo->recent[i]);
		}
	}
	if (git_tree_lookup(out, repo->git, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		/* a tree a commit names is part of it: not there is damage, whatever libgit2 says */
		assure_buf what = ASSURE_BUF_INIT;
		if (folder && *folder) {
			assure_buf_puts(&what, "'");
			assure_utf8_put_name(&what, folder);
			assure_buf_puts(&what, "' in ");
		}
		int rc =
		    assure_error_set("cannot read the tree of %scommit %.12s (tree %s): %s (the repository "
		                     "is damaged: 'git fsck' names what is missing)",
		                     what.ptr ? what.ptr : "", commit, hex, rp_git_why());
		assure_buf_free(&what);
		return rc;
	}
	repo->stats.trees_read++;
	git_tree_free(repo->recent[repo->recent_next]);
	git_object_dup((git_object **)&repo->recent[repo->recent_next], (git_object *)*out);
	repo->recent_next = (repo->recent_next + 1) % RP_RECENT_TREES;
	return 0;
}

/* Whether path looks like a repository (a .git, or a bare one's HEAD) that another user owns. */
static bool owned_by_another(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0 || st.st_uid == geteuid())
		return false;
	assure_buf git = ASSURE_BUF_INIT, head = ASSURE_BUF_INIT;
	assure_buf_printf(&git, "%s/.git", path);
	assure_buf_printf(&head, "%s/HEAD", path);
	bool looks = stat(git.ptr, &st) == 0 || stat(head.ptr, &st) == 0;
	assure_buf_free(&git);
	assure_buf_free(&head);
	return looks;
}

/* What is at path/.git: 'd' a folder, 'f' anything else (a linked work tree's file), 0 nothing. */
static char dot_git(const char *path)
{
	assure_buf git = ASSURE_BUF_INIT;
	assure_buf_printf(&git, "%s/.git", path);
	struct stat st;
	char kind = lstat(git.ptr, &st) < 0 ? 0 : S_ISDIR(st.st_mode) ? 'd' : 'f';
	assure_buf_free(&git);
	return kind;
}

/* Set the error for a path libgit2 found no repository at, in words that name the cause. */
static int not_found(const char *path)
{
	struct stat st;
	char git = dot_git(path);
	/*
	 * libgit2 also says "not found" for a repository another user owns (git's "dubious
	 * ownership"), in words about a config value: name the cause and the remedy.
	 */
	if (owned_by_another(path))
		return assure_error_setc(ASSURE_ENOTFOUND,
		                         "'%s' is owned by another user, and libgit2 (like git) reads such a "
		                         "repository only when git config --global --add safe.directory "
		                         "'%s' says it may (%s)",
		                         path, path, rp_git_why());
	if (stat(path, &st) < 0)
		return assure_error_setc(ASSURE_ENOTFOUND, "'%s' does not exist", path);
	/* a .git that is there but cannot be opened is damage, not the absence of a repository */
	if (git == 'f')
		return assure_error_setc(ASSURE_ENOTFOUND,
		                         "'%s' cannot be opened: its .git file names a repository libgit2 "
		                         "cannot read (%s)",
		                         path, rp_git_why());
	if (git == 'd')
		return assure_error_setc(ASSURE_ENOTFOUND,
		                         "'%s' cannot be opened: libgit2 does not take its .git for a "
		                         "repository (%s; the repository is damaged or incomplete)",
		                         path, rp_git_why());
	return assure_error_setc(ASSURE_ENOTFOUND, "'%s' is not a git repository", path);
}

int assure_repo_open(assure_repo **out, const char *path)
{
	*out = NULL;
	if (rp_git_init() < 0)
		return ASSURE_ERROR;
	git_repository *git = NULL;
	/*
	 * NO_SEARCH: the repository is the one named, not one found in a parent folder.
	 * libgit2 only reads when opening; nothing here writes to the repository.
	 */
	int rc = git_repository_open_ext(&git, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc < 0) {
		if (rc == GIT_ENOTFOUND)
			not_found(path);
		else
			assure_error_set("cannot open repository '%s': %s", path, rp_git_why());
		rp_git_shutdown();
		return rc == GIT_ENOTFOUND ? ASSURE_ENOTFOUND : ASSURE_ERROR;
	}
	/*
	 * In a pre-receive hook the pushed objects wait in a quarantine folder, which git names in
	 * GIT_QUARANTINE_PATH, until the hook accepts them (git-receive-pack(1)); libgit2 reads
	 * them from there only when told. Adding an alternate is in memory: nothing is written.
	 */
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");
	git_odb *odb = NULL;
	if (quarantine && *quarantine && git_repository_odb(&odb, git) == 0) {
		if (git_odb_add_disk_alternate(odb, quarantine) < 0) {
			assure_error_set("cannot read the pushed objects in '%s': %s", quarantine,
			                 rp_git_why());
			git_odb_free(odb);
			git_repository_free(git);
			rp_git_shutdown();
			return ASSURE_ERROR;
		}
		git_odb_free(odb);
	}
	assure_repo *r = assure_xcalloc(1, sizeof(*r));
	r->git = git;
	r->path = assure_xstrdup(path);
	*out = r;
	return 0;
}

int assure_repo_config_get(assure_repo *repo, const char *key, char **out)
{
	*out = NULL;
	git_config *cfg = NULL;
	char what[512];
	snprintf(what, sizeof(what), "cannot read '%s' of repository '%s'", key, repo->path);
	if (git_repository_config_snapshot(&cfg, repo->git) < 0)
		return rp_git_error(what);
	git_buf value = GIT_BUF_INIT;
	int rc = git_config_get_string_buf(&value, cfg, key);
	if (rc == 0)
		*out = assure_xstrdup(value.ptr);
	git_buf_dispose(&value);
	git_config_free(cfg);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return rp_git_error(what);
	return 0;
}

void assure_repo_free(assure_repo *repo)
{
	if (!repo)
		return;
	for (size_t i = 0; i < RP_RECENT_TREES; i++)
		git_tree_free(repo->recent[i]);
	git_repository_free(repo->git);
	free(repo->path);
	free(repo);
	rp_git_shutdown();
}

git_repository *assure_repo_git(assure_repo *repo)
{
	return repo->git;
}

/*
 * HEAD names a branch with no commit (a new repository, or a branch deleted under it): say
 * which, and what there is instead. Returns 0 when HEAD is not unborn.
 */
static int unborn_head(assure_repo *repo)
{
	if (git_repository_head_unborn(repo->git) != 1)
		return 0;
	git_reference *head = NULL;
	const char *target = NULL;
	if (git_reference_lookup(&head, repo->git, "HEAD") == 0)
		target = git_reference_symbolic_target(head);
	const char *branch = target && strncmp(target, "refs/heads/", 11) == 0 ? target + 11 : target;
	assure_buf names = ASSURE_BUF_INIT;
	git_branch_iterator *it = NULL;
	size_t n = 0;
	if (git_branch_iterator_new(&it, repo->git, GIT_BRANCH_LOCAL) == 0) {
		git_reference *ref;
		git_branch_t type;
		while (git_branch_next(&ref, &type, it) == 0) {
			const char *name = NULL;
			if (git_branch_name(&name, ref) == 0)
				assure_buf_printf(&names, "%s%s", n++ ? ", " : "", name);
			git_reference_free(ref);
		}
		git_branch_iterator_free(it);
	}
	int rc;
	if (n == 0)
		rc = assure_error_setc(
		    ASSURE_ENOTFOUND,
		    "'%s' has no commits yet (HEAD names branch '%s', which does not exist)", repo->path,
		    branch ? branch : "?");
	else
		rc = assure_error_setc(ASSURE_ENOTFOUND,
		                       "HEAD of '%s' names branch '%s', which does not exist (its branches: "
		                       "%s; --rev or a range names another)",
		                       repo->path, branch ? branch : "?", names.ptr);
	assure_buf_free(&names);
	git_reference_free(head);
	return rc;
}

int assure_repo_resolve(assure_repo *repo, const char *rev, char oid[41])
{
	git_object *obj = NULL, *commit = NULL;
	int rc = git_revparse_single(&obj, repo->git, rev);
	if (rc < 0) {
		/* kept before anything else asks libgit2, which would replace its last error */
		char why[256];
		snprintf(why, sizeof(why), "%s", rp_git_why());
		if (rc == GIT_ENOTFOUND && strncmp(rev, "HEAD", 4) == 0 && unborn_head(repo) < 0)
			return ASSURE_ENOTFOUND;
		/* libgit2 says "not found" also when a reference's object is lost to a truncated pack */
		if (rc == GIT_ENOTFOUND) {
			git_reference *ref = NULL;
			if (git_reference_dwim(&ref, repo->git, rev) == 0) {
				git_reference_free(ref);
				return assure_error_setc(
				    ASSURE_EINVALID,
				    "revision '%s' cannot be read: %s (the repository is "
				    "damaged: 'git fsck' names what is missing)",
				    rev, why);
			}
			return assure_error_setc(ASSURE_ENOTFOUND, "revision '%s' not found", rev);
		}
		if (rc == GIT_EAMBIGUOUS)
			return assure_error_setc(ASSURE_EINVALID, "revision '%s' is ambiguous", rev);
		return assure_error_setc(ASSURE_EINVALID, "invalid revision '%s': %s", rev, why);
	}
	rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return assure_error_setc(ASSURE_EINVALID, "revision '%s' is not a commit", rev);
	git_oid_tostr(oid, GIT_OID_HEXSZ + 1, git_object_id(commit));
	git_object_free(commit);
	return 0;
}

/* The first line of a message without surrounding white space. */
static char *subject_of(const char *msg)
{
	if (!msg)
		return assure_xstrdup("");
	size_t end = strcspn(msg, "\n");
	size_t start = 0;
	while (start < end && isspace((unsigned char)msg[start]))
		start++;
	while (end > start && isspace((unsigned char)msg[end - 1]))
		end--;
	return assure_xstrndup(msg + start, end - start);
}

int assure_repo_commit_info(assure_repo *repo, const char *oid, assure_commit_info *out)
{
	memset(out, 0, sizeof(*out));
	git_oid id;
	if (rp_parse_oid(&id, oid) < 0)
		return ASSURE_EINVALID;
	git_commit *c = NULL;
	int rc = git_commit_lookup(&c, repo->git, &id);
	if (rc == GIT_ENOTFOUND)
		return assure_error_setc(ASSURE_ENOTFOUND, "commit '%s' not found", oid);
	if (rc < 0)
		return assure_error_setc(ASSURE_EINVALID, "commit '%s' cannot be read: %s", oid,
		                         rp_git_why());
	const git_signature *a = git_commit_author(c);
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(c));
	out->author_name = assure_xstrdup(a->name ? a->name : "");
	out->author_email = assure_xstrdup(a->email ? a->email : "");
	out->author_time = (long long)a->when.time;
	out->author_offset = a->when.offset;
	out->commit_time = (long long)git_commit_time(c);
	out->commit_offset = git_commit_time_offset(c);
	out->subject = subject_of(git_commit_message(c));
	out->parent_count = git_commit_parentcount(c);
	if (out->parent_count > 0)
		git_oid_tostr(out->first_parent, sizeof(out->first_parent), git_commit_parent_id(c, 0));
	git_commit_free(c);
	return 0;
}

void assure_commit_info_clear(assure_commit_info *info)
{
	if (!info)
		return;
	free(info->author_name);
	free(info->author_email);
	free(info->subject);
	memset(info, 0, sizeof(*info));
}

void assure_repo_get_stats(const assure_repo *repo, assure_repo_stats *out)
{
	*out = repo->stats;
}
