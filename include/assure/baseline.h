/*
 * baseline.h: findings that a change made worse, and those it resolved.
 *
 * A baseline is the set of fingerprints (finding.h) of an earlier state: a commit checked
 * the same way, or a saved JSON report (assure-report/1, docs/report-format.md). Filtering
 * the findings of a check by it keeps only those whose fingerprint it lacks, so that a
 * pipeline fails on what a change brought and not on what was there before; diffing two
 * lists of findings gives what the second added and what it resolved.
 *
 * Ownership: a baseline owns its fingerprints; findings are shared (finding.h) into lists
 * the caller owns.
 */
#ifndef ASSURE_BASELINE_H
#define ASSURE_BASELINE_H

#include "assure/buf.h"
#include "assure/engine.h"
#include "assure/finding.h"
#include "assure/ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASSURE_DIFF_FORMAT "assure-diff/1"

typedef struct assure_baseline assure_baseline;

/* The fingerprints of findings. */
int assure_baseline_from_findings(assure_baseline **out, const assure_findings *findings);
/*
 * The fingerprints of a saved JSON report: `file` names it in errors, text/len are its bytes.
 * Returns ASSURE_EINVALID with the error set ("FILE:LINE:COL: /findings/3/fingerprint: ...")
 * when it is not an assure-report/1 document.
 */
int assure_baseline_load(assure_baseline **out, const char *file, const char *text, size_t len);
void assure_baseline_free(assure_baseline *b);
/* Distinct fingerprints held. */
size_t assure_baseline_count(const assure_baseline *b);
bool assure_baseline_has(const assure_baseline *b, const char *fingerprint);
/* Appends to fresh (shared) the findings of current whose fingerprint b lacks; returns how many it hid. */
size_t assure_baseline_filter(const assure_baseline *b, const assure_findings *current,
                              assure_findings *fresh);
/*
 * What `after` changed from `before`, by fingerprint: added gets the findings of after that
 * before lacks, resolved those of before that after lacks (both shared, in the order given).
 */
void assure_baseline_diff(const assure_findings *before, const assure_findings *after, assure_findings *added,
                          assure_findings *resolved);

/* What a diff report says about the two commits (everything borrowed). */
typedef struct assure_diff_meta {
	const char *tool_version;          /* ASSURE_VERSION */
	const assure_ruleset *rules;       /* the rule set used for both */
	const char *repository;            /* as given */
	const char *base;                  /* the base commit id */
	const char *head;                  /* the head commit id */
	int32_t as_of;                     /* the reference date of both checks */
	const assure_check_result *result; /* what the check of head saw */
	bool color;                        /* ANSI colour in text output */
} assure_diff_meta;

/*
 * A diff as text: "new: " and "resolved: " before each finding's report line (report.h), then a
 * summary; or as a JSON document, format ASSURE_DIFF_FORMAT (docs/report-format.md). The lists
 * must be sorted with assure_findings_sort().
 */
int assure_diff_text(assure_buf *out, const assure_findings *added, const assure_findings *resolved,
                     const assure_diff_meta *meta);
int assure_diff_json(assure_buf *out, const assure_findings *added, const assure_findings *resolved,
                     const assure_diff_meta *meta);

#endif
