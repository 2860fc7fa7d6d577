/*
 * fuzz.h: what the fuzz targets share: checking a property, and cutting one input into parts.
 *
 * A target asserts properties of what it calls, not only that it returns: a property that
 * does not hold prints what was expected and aborts, so libFuzzer keeps the input as a crash
 * and the replay driver (driver.c) fails the test. assert() is not used, as NDEBUG would
 * remove it from a release-mode fuzz build.
 *
 * Inputs with several parts (a query and the document it runs on, a rule set of several
 * files) separate them with NUL bytes: none of the texts involved may hold one.
 */
#ifndef ASSURE_FUZZ_H
#define ASSURE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file name without its folders, for short messages. */
static inline const char *fuzz_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

#define FUZZ_CHECK(cond, ...)                                                                                \
	do {                                                                                                 \
		if (!(cond)) {                                                                               \
			fprintf(stderr, "property does not hold (%s:%d): ", fuzz_base(__FILE__), __LINE__);  \
			fprintf(stderr, __VA_ARGS__);                                                        \
			fprintf(stderr, "\n  condition: %s\n", #cond);                                       \
			abort();                                                                             \
		}                                                                                            \
	} while (0)

/* One part of an input: a NUL-terminated copy (owned) and its length. */
typedef struct fuzz_part {
	char *s;
	size_t len;
} fuzz_part;

/*
 * Cut data at its first max-1 NUL bytes into at most max parts (the last keeps any further
 * NULs). Returns how many parts there are (at least 1); free them with fuzz_parts_free.
 */
static inline size_t fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max)
{
	size_t n = 0, start = 0;
	while (n + 1 < max) {
		const uint8_t *nul = size > start ? memchr(data + start, 0, size - start) : NULL;
		if (!nul)
			break;
		size_t len = (size_t)(nul - data) - start;
		parts[n].s = malloc(len + 1);
		memcpy(parts[n].s, data + start, len);
		parts[n].s[len] = '\0';
		parts[n++].len = len;
		start += len + 1;
	}
	parts[n].s = malloc(size - start + 1);
	if (size > start)
		memcpy(parts[n].s, data + start, size - start);
	parts[n].s[size - start] = '\0';
	parts[n++].len = size - start;
	return n;
}

static inline void fuzz_parts_free(fuzz_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i].s);
}

#endif
