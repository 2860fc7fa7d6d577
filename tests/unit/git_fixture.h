/*
 * git_fixture.h: repositories built at test time with the git command line, for the
 * tests of src/repo/ (test_repo.c, test_snapshot.c).
 *
 * Authors, committers and dates are fixed and the user's and system's git
 * configuration are kept out, so commit ids are the same on every machine. Every
 * helper fails the running test (cmocka's fail_msg) when a command fails.
 */
#ifndef ASSURE_TEST_GIT_FIXTURE_H
#define ASSURE_TEST_GIT_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Run a shell command (printf-style) in the test's environment; fails the test on non-zero exit. */
static inline void fx_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void fx_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* The standard output of a shell command (caller frees). */
static inline char *fx_capture(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *fx_capture(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	if (!p)
		fail_msg("cannot run: %s", cmd);
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	size_t n;
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			out = realloc(out, cap);
		}
	}
	out[len] = '\0';
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
	return out;
}

/* A fresh temporary folder (caller frees the string and removes the folder with fx_rm). */
static inline char *fx_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/assure-test-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpl))
		fail_msg("mkdtemp failed");
	return strdup(tmpl);
}

static inline void fx_rm(const char *dir)
{
	fx_sh("rm -rf '%s'", dir);
}

/* Keep the user's git configuration out and fix who commits (call once per test file). */
static inline void fx_env(const char *home)
{
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_AUTHOR_NAME", "Finance Lead", 1);
	setenv("GIT_AUTHOR_EMAIL", "finance@example.nhs.uk", 1);
	setenv("GIT_COMMITTER_NAME", "Board Secretary", 1);
	setenv("GIT_COMMITTER_EMAIL", "board@example.nhs.uk", 1);
	setenv("TZ", "UTC", 1);
	setenv("LC_ALL", "C", 1);
	/* Commands that only look (git status) must not refresh the index either. */
	setenv("GIT_OPTIONAL_LOCKS", "0", 1);
	/* Nested repositories are added on purpose, as submodules without .gitmodules. */
	setenv("GIT_CONFIG_COUNT", "2", 1);
	setenv("GIT_CONFIG_KEY_0", "advice.addEmbeddedRepo", 1);
	setenv("GIT_CONFIG_VALUE_0", "false", 1);
	setenv("GIT_CONFIG_KEY_1", "commit.gpgsign", 1);
	setenv("GIT_CONFIG_VALUE_1", "false", 1);
}

/* Write `content` to dir/rel, creating folders. */
static inline void fx_write(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	fx_sh("mkdir -p '%s'", path);
	*slash = '/';
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs(content, f);
	fclose(f);
}

static inline void fx_init(const char *dir)
{
	fx_sh("git -c init.defaultBranch=main init -q '%s'", dir);
}

/* Commit everything in the work tree with author and committer date `date` (UTC). */
static inline void fx_commit(const char *dir, const char *date, const char *subject)
{
	char d[64];
	snprintf(d, sizeof(d), "%s +0000", date);
	setenv("GIT_AUTHOR_DATE", d, 1);
	setenv("GIT_COMMITTER_DATE", d, 1);
	fx_sh("git -C '%s' add -A && git -C '%s' -c commit.gpgsign=false commit -q --allow-empty -m '%s'",
	      dir, dir, subject);
}

/* The id git gives a revision (caller frees). */
static inline char *fx_rev(const char *dir, const char *rev)
{
	char *s = fx_capture("git -C '%s' rev-parse '%s'", dir, rev);
	s[strcspn(s, "\n")] = '\0';
	return s;
}

/*
 * Everything that would show a write to the repository: git status (ignored files
 * included) and every file under .git with its size and modification time.
 */
static inline char *fx_state(const char *dir)
{
	return fx_capture("cd '%s' && git status --porcelain=v1 --ignored && "
	                  "find .git -printf '%%p %%s %%T@\\n' | sort | sha1sum",
	                  dir);
}

#endif
