/*
 * gitlab.c: the findings of one check as a GitLab code quality report (a JSON array of
 * issues, the subset of the Code Climate format GitLab reads), which a merge request shows
 * beside the lines it changed.
 *
 * GitLab requires a path and a line for every issue: a finding about the snapshot as a whole
 * (no file) is placed at ".", a finding without a line at line 1. A waived finding keeps its
 * place with severity "info" and says in its description that it is waived, by whom and until
 * when, so that it shows without reading as a breach.
 *
 * GitLab keeps one issue per fingerprint. Two findings may share one (a rule that finds the same
 * subject twice in a file), so the second and later of a fingerprint get the hash of
 * "FINGERPRINT\nN" (N = 1, 2, ... in report order) instead: none is hidden behind another.
 */
#include "assure/report.h"

#include "assure/error.h"
#include "assure/hash.h"
#include "assure/strmap.h"
#include "assure/utf8.h"

#include <stdio.h>
#include <string.h>

#include <stdlib.h>

/* GitLab's severities are info, minor, major, critical and blocker. */
static const char *severity_name(assure_severity s)
{
	static const char *const names[ASSURE_SEV_COUNT] = {"info", "minor", "major"};
	return names[s];
}

/* The issues, made one at a time and in order: a repeated fingerprint is told apart by its count. */
struct issues {
	const assure_findings *findings;
	assure_strmap *seen; /* fingerprint -> how many issues had it */
};

static json_t *issue_item(size_t i, void *payload)
{
	struct issues *is = payload;
	const assure_finding *f = assure_findings_get(is->findings, i);
	json_t *o = json_object();
	assure_buf d = ASSURE_BUF_INIT;
	assure_buf_printf(&d, "[%s] ", f->rule_id);
	if (f->waiver)
		assure_buf_printf(&d, "waived (%s): ", assure_severity_name(f->severity));
	assure_buf_puts(&d, f->message);
	if (f->waiver)
		assure_buf_printf(&d, " (waiver %s: approved by %s on %s, expires %s: %s)", f->waiver->where,
		                  f->waiver->approved_by, f->waiver->approved_on, f->waiver->expires,
		                  f->waiver->reason);
	json_object_set_new(o, "description", assure_json_text(d.ptr));
	assure_buf_free(&d);
	json_object_set_new(o, "check_name", json_string(f->rule_id));
	size_t *n = assure_strmap_slot(is->seen, f->fingerprint, strlen(f->fingerprint), NULL);
	if ((*n)++ == 0) {
		json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
	} else {
		char again[41 + 24], fp[41];
		int len = snprintf(again, sizeof(again), "%s\n%zu", f->fingerprint, *n - 1);
		assure_hash_blob(fp, again, (size_t)len);
		json_object_set_new(o, "fingerprint", json_string(fp));
	}
	json_object_set_new(o, "severity", json_string(f->waiver ? "info" : severity_name(f->severity)));
	json_t *loc = json_object();
	json_object_set_new(loc, "path", *f->path ? assure_json_text(f->path) : json_string("."));
	json_t *lines = json_object();
	json_object_set_new(lines, "begin", json_integer(f->line > 0 ? f->line : 1));
	json_object_set_new(loc, "lines", lines);
	json_object_set_new(o, "location", loc);
	return o;
}

int assure_report_gitlab(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta)
{
	(void)meta;
	struct issues is = {findings, assure_strmap_new()};
	int rc = assure_json_write_list(out, json_array(), assure_findings_count(findings), issue_item, NULL,
	                                &is, "GitLab code quality report");
	assure_strmap_free(is.seen);
	return rc;
}
