/* error.c: the last-error message of libassure (see error.h). */
#include "assure/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_error[1024];

static void vset(const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
}

int assure_error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return ASSURE_ERROR;
}

int assure_error_setc(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return code;
}

const char *assure_error_last(void)
{
	return last_error;
}

void assure_error_clear(void)
{
	last_error[0] = '\0';
}

/* Out of memory while building text has no useful recovery: stop loudly. */
static _Noreturn void oom(void)
{
	fputs("assure: out of memory\n", stderr);
	abort();
}

void *assure_xmalloc(unsigned long size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *assure_xcalloc(unsigned long n, unsigned long size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *assure_xrealloc(void *p, unsigned long size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		oom();
	return q;
}

char *assure_xstrdup(const char *s)
{
	return assure_xstrndup(s, strlen(s));
}

char *assure_xstrndup(const char *s, unsigned long n)
{
	char *p = assure_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
