/*
 * history.h: `git blame` for breaches: the intervals in which each finding was open.
 *
 * An audit (audit.h) records, for every fingerprint, each interval in which it was
 * open: the commit that introduced it, the commit that resolved it or none (open at
 * the end of the walk), and the days between their committer dates (UTC days; an open
 * interval counts to the last commit walked, so output does not depend on today).
 * This module selects and prints them.
 *
 * Ownership: everything is borrowed from the audit; output is appended to a buffer the
 * caller owns.
 */
#ifndef ASSURE_HISTORY_H
#define ASSURE_HISTORY_H

#include "assure/audit.h"
#include "assure/buf.h"

#include <stddef.h>

#define ASSURE_HISTORY_FORMAT "assure-history/1"

/* Which intervals to show; NULL fields select everything. */
typedef struct assure_history_filter {
	const char *rule;    /* rule id, exactly */
	const char *subject; /* subject, exactly */
	const char *path;    /* a glob (repo.h) on the finding's path; a plain path matches itself */
} assure_history_filter;

#define ASSURE_HISTORY_FILTER_INIT                                                                           \
	{                                                                                                    \
		NULL, NULL, NULL                                                                             \
	}

/*
 * The intervals that pass the filter (indices for assure_audit_interval_at), grouped by
 * fingerprint: sorted by path, rule id, subject, fingerprint, then opening order.
 * The caller frees *out.
 */
size_t assure_history_select(size_t **out, const assure_audit *a, const assure_history_filter *f);

/* One block per fingerprint with its intervals. */
int assure_history_text(assure_buf *out, const assure_audit *a, const assure_history_filter *f,
                        const assure_audit_meta *meta);
/* A JSON document, format "assure-history/1" (docs/audit-format.md). */
int assure_history_json(assure_buf *out, const assure_audit *a, const assure_history_filter *f,
                        const assure_audit_meta *meta);

#endif
