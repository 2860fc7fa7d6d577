/*
 * error.h: the one error convention of libassure.
 *
 * Three channels, never mixed:
 *  - programmer bugs are assert()s;
 *  - I/O, git and allocation failures return -1 (or a negative ASSURE_E* code)
 *    after setting a message once with assure_error_set(); callers read it with
 *    assure_error_last() and never overwrite it on the way up;
 *  - problems in rule files and returns are diagnostics (diag.h) or findings,
 *    collected so that the run goes on.
 * Messages are lower case, one line, no full stop, subjects in quotes.
 * The message buffer is thread-local and owned by the library.
 */
#ifndef ASSURE_ERROR_H
#define ASSURE_ERROR_H

/* Return codes. 0 is success; every failure is negative. */
enum {
	ASSURE_OK = 0,
	ASSURE_ERROR = -1,     /* generic failure, message set */
	ASSURE_ENOTFOUND = -2, /* the named thing does not exist */
	ASSURE_EINVALID = -3,  /* the input is malformed */
	ASSURE_ENOMEM = -4,    /* allocation failed */
};

/* Process exit codes of the assure binary, listed in --help and the README. */
enum {
	ASSURE_EXIT_OK = 0,       /* no finding at or above --fail-on, run complete */
	ASSURE_EXIT_FINDINGS = 1, /* findings at or above --fail-on, or the run was incomplete */
	ASSURE_EXIT_USAGE = 2,    /* usage error, bad rule set, unreadable repository, unwritable output */
};

/* Set the last error message (printf-style); returns ASSURE_ERROR for `return assure_error_set(...)`. */
int assure_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set the last error with a code other than ASSURE_ERROR; returns code. */
int assure_error_setc(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last error message, or "" if none. Borrowed; valid until the next set. */
const char *assure_error_last(void);

/* Forget the last error. */
void assure_error_clear(void);

/* Abort with a message when allocation fails in a place that cannot report it. */
void *assure_xmalloc(unsigned long size);
void *assure_xcalloc(unsigned long n, unsigned long size);
void *assure_xrealloc(void *p, unsigned long size);
char *assure_xstrdup(const char *s);
char *assure_xstrndup(const char *s, unsigned long n);

#endif
