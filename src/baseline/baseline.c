/* baseline.c: sets of fingerprints, filtering and diffing findings by them (see baseline.h). */
#include "assure/baseline.h"

#include "assure/doc.h"
#include "assure/error.h"
#include "assure/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct assure_baseline {
	char (*fps)[41]; /* sorted, distinct */
	size_t count;
};

static int cmp_fp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Sort and drop repeats. */
static void settle(assure_baseline *b)
{
	if (!b->count)
		return;
	qsort(b->fps, b->count, sizeof(*b->fps), cmp_fp);
	size_t n = 1;
	for (size_t i = 1; i < b->count; i++)
		if (strcmp(b->fps[i], b->fps[n - 1]) != 0)
			memcpy(b->fps[n++], b->fps[i], 41);
	b->count = n;
}

int assure_baseline_from_findings(assure_baseline **out, const assure_findings *findings)
{
	assure_baseline *b = assure_xcalloc(1, sizeof(*b));
	size_t n = assure_findings_count(findings);
	b->fps = assure_xcalloc(n ? n : 1, sizeof(*b->fps));
	for (size_t i = 0; i < n; i++)
		memcpy(b->fps[i], assure_findings_get(findings, i)->fingerprint, 41);
	b->count = n;
	settle(b);
	*out = b;
	return 0;
}

/* The error "FILE:LINE:COL: POINTER: why", placed at pointer in doc. */
static int bad(assure_doc *doc, const char *file, const char *pointer, const char *why)
{
	int line = 0, col = 0;
	if (assure_doc_locate(doc, pointer, &line, &col) < 0)
		line = col = 0;
	return assure_error_setc(ASSURE_EINVALID, "%s:%d:%d: %s: %s", file, line, col,
	                         *pointer ? pointer : "/", why);
}

int assure_baseline_load(assure_baseline **out, const char *file, const char *text, size_t len)
{
	*out = NULL;
	assure_doc *doc = NULL;
	int line = 0, col = 0;
	if (assure_doc_parse(&doc, text, len, &line, &col) < 0)
		return assure_error_setc(ASSURE_EINVALID, "%s:%d:%d: not a JSON report: %s", file, line, col,
		                         assure_error_last());
	int rc = ASSURE_EINVALID;
	assure_baseline *b = NULL;
	json_t *root = assure_doc_root(doc);
	json_t *format = json_object_get(root, "format");
	if (!json_is_object(root)) {
		bad(doc, file, "",
		    "not a JSON report of assure check (an object with \"format\": \"" ASSURE_REPORT_FORMAT
		    "\")");
		goto done;
	}
	if (!json_is_string(format) || strcmp(json_string_value(format), ASSURE_REPORT_FORMAT) != 0) {
		bad(doc, file, format ? "/format" : "",
		    "not a report of assure check --format json (format '" ASSURE_REPORT_FORMAT
		    "' expected)");
		goto done;
	}
	json_t *list = json_object_get(root, "findings");
	if (!json_is_array(list)) {
		bad(doc, file, list ? "/findings" : "", "'findings' is not an array");
		goto done;
	}
	b = assure_xcalloc(1, sizeof(*b));
	b->fps = assure_xcalloc(json_array_size(list) + 1, sizeof(*b->fps));
	for (size_t i = 0; i < json_array_size(list); i++) {
		char ptr[64];
		json_t *fp = json_object_get(json_array_get(list, i), "fingerprint");
		snprintf(ptr, sizeof(ptr), "/findings/%zu%s", i, fp ? "/fingerprint" : "");
		if (!json_is_object(json_array_get(list, i))) {
			bad(doc, file, ptr, "a finding is an object");
			goto done;
		}
		if (!json_is_string(fp) || !assure_fingerprint_valid(json_string_value(fp))) {
			bad(doc, file, ptr,
			    fp ? "'fingerprint' is not 40 lower-case hexadecimal digits"
			       : "the finding has no 'fingerprint'");
			goto done;
		}
		memcpy(b->fps[b->count++], json_string_value(fp), 41);
	}
	settle(b);
	*out = b;
	b = NULL;
	rc = 0;
done:
	assure_baseline_free(b);
	assure_doc_free(doc);
	return rc;
}

void assure_baseline_free(assure_baseline *b)
{
	if (!b)
		return;
	free(b->fps);
	free(b);
}

size_t assure_baseline_count(const assure_baseline *b)
{
	return b->count;
}

bool assure_baseline_has(const assure_baseline *b, const char *fingerprint)
{
	return b->count && bsearch(fingerprint, b->fps, b->count, sizeof(*b->fps), cmp_fp) != NULL;
}

size_t assure_baseline_filter(const assure_baseline *b, const assure_findings *current,
                              assure_findings *fresh)
{
	size_t hidden = 0;
	for (size_t i = 0; i < assure_findings_count(current); i++) {
		if (assure_baseline_has(b, assure_findings_get(current, i)->fingerprint))
			hidden++;
		else
			assure_findings_share(fresh, current, i);
	}
	return hidden;
}

void assure_baseline_diff(const assure_findings *before, const assure_findings *after, assure_findings *added,
                          assure_findings *resolved)
{
	assure_baseline *b = NULL, *a = NULL;
	assure_baseline_from_findings(&b, before);
	assure_baseline_from_findings(&a, after);
	assure_baseline_filter(b, after, added);
	assure_baseline_filter(a, before, resolved);
	assure_baseline_free(a);
	assure_baseline_free(b);
}
