/*
 * waiver.h: a committee's acceptance of known findings for a time (docs/waivers.md).
 *
 * A waivers file (assure-waivers.json in the returns repository, or one given with --waivers)
 * is a JSON object {"waivers": [entry...]}; each entry names a rule and at least one of a
 * subject, a path glob or a fingerprint, with the reason, who approved it, when, and the last
 * day it accepts the finding. Loading checks every entry: a problem in an entry makes that
 * entry invalid (an ASSURE-WAIVER-INVALID finding at its place, the entry waives nothing); a
 * file that is not JSON or not shaped as above is invalid as a whole (the same finding, and
 * assure_waivers_broken() says so: the run is incomplete).
 *
 * Applying waivers to the findings of a check marks each finding a valid, unexpired entry
 * matches (finding.h: f->waiver) and adds the waivers' own findings: ASSURE-WAIVER-EXPIRED
 * (error) for an expired entry, ASSURE-WAIVER-UNUSED (info) for one that matches nothing, and
 * the ASSURE-WAIVER-INVALID findings of loading. Waivers never accept the tool's own findings
 * (ASSURE-*): a file that cannot be read stays a fact.
 *
 * Ownership: an assure_waivers owns its entries and strings; the findings lists are the
 * caller's.
 */
#ifndef ASSURE_WAIVER_H
#define ASSURE_WAIVER_H

#include "assure/engine.h"
#include "assure/finding.h"
#include "assure/repo.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The waivers file of a returns repository unless told otherwise (assure_waiver_opts.path). */
#define ASSURE_WAIVERS_FILE "assure-waivers.json"
/* The longest a waiver may run, approval to expiry, in days, unless told otherwise. */
#define ASSURE_MAX_WAIVER_DAYS 365

#define ASSURE_RULE_WAIVER_INVALID "ASSURE-WAIVER-INVALID" /* an entry or the file is malformed */
#define ASSURE_RULE_WAIVER_EXPIRED "ASSURE-WAIVER-EXPIRED" /* an entry's expiry is before as_of */
#define ASSURE_RULE_WAIVER_UNUSED  "ASSURE-WAIVER-UNUSED"  /* an entry matches no finding */
#define ASSURE_RULE_WAIVER_SELF    "ASSURE-WAIVER-SELF"    /* an entry approved by who made the finding */

typedef struct assure_waiver_opts {
	/* the waivers file in the snapshot (NULL: ASSURE_WAIVERS_FILE); a repository configuration sets it */
	const char *path;
	/* the longest approval-to-expiry span accepted, in days (0: ASSURE_MAX_WAIVER_DAYS) */
	int max_days;
} assure_waiver_opts;

#define ASSURE_WAIVER_OPTS_INIT                                                                              \
	{                                                                                                    \
		NULL, 0                                                                                      \
	}

/* One entry of a waivers file. Strings owned by the set; NULL when the entry lacks the field. */
typedef struct assure_waiver {
	char *rule;        /* the rule id it accepts */
	char *subject;     /* the finding's subject, exactly, or NULL */
	char *path;        /* a glob (repo.h) the finding's path must match, or NULL */
	char *fingerprint; /* the finding's fingerprint, or NULL */
	char *reason;      /* why the breach is accepted */
	char *approved_by; /* who approved it */
	char *approved_on; /* YYYY-MM-DD */
	char *expires;     /* YYYY-MM-DD, the last day it accepts a finding */
	int32_t approved;  /* approved_on as a day number */
	int32_t expiry;    /* expires as a day number */
	char *where;       /* "FILE#/waivers/N", as findings name it */
	char *pointer;     /* "/waivers/N" */
	int line, column;  /* where the entry starts in the file */
	bool valid;        /* every field present and consistent: the entry may waive */
} assure_waiver;

typedef struct assure_waivers assure_waivers;

/*
 * Parse a waivers file: `file` names it in findings and messages, text/len are its bytes. Always
 * gives a set (a broken file gives one with no valid entry); returns 0, or -1 only on allocation
 * failure.
 */
int assure_waivers_parse(assure_waivers **out, const char *file, const char *text, size_t len,
                         const assure_waiver_opts *opts);
/*
 * The waivers file of a snapshot (opts->path): *out is NULL when the snapshot has none. A file
 * that cannot be read gives a broken set naming the error.
 */
int assure_waivers_from_snapshot(assure_waivers **out, const assure_snapshot *snap,
                                 const assure_waiver_opts *opts);
void assure_waivers_free(assure_waivers *w);

size_t assure_waivers_count(const assure_waivers *w);
const assure_waiver *assure_waivers_get(const assure_waivers *w, size_t i);
/* The file as named in findings. Borrowed. */
const char *assure_waivers_file(const assure_waivers *w);
/* True when the file as a whole could not be read as waivers (not JSON, wrong shape). */
bool assure_waivers_broken(const assure_waivers *w);
/* The ASSURE-WAIVER-INVALID findings of loading, in file order. Borrowed. */
const assure_findings *assure_waivers_problems(const assure_waivers *w);

/* Whether entry w accepts finding f (ignoring validity and expiry). */
bool assure_waiver_matches(const assure_waiver *w, const assure_finding *f);

/*
 * The findings of in, in their order, each marked with the first valid entry unexpired at as_of
 * that matches it, appended to out, followed by the waivers' own findings (see above); out is
 * not sorted. w NULL
 * copies in as is. When result is given and the file is broken, it counts as a parse failure
 * there, so the run says it is incomplete.
 */
void assure_waivers_apply(const assure_waivers *w, const assure_findings *in, int32_t as_of,
                          assure_findings *out, assure_check_result *result);

/* Where a check takes its waivers from. */
typedef struct assure_waiver_source {
	bool none;                   /* apply no waiver (--no-waivers): every finding shows */
	const assure_waivers *fixed; /* waivers from outside the snapshot (--waivers FILE), or NULL */
	assure_waiver_opts opts;     /* the snapshot's waivers file and the longest span */
} assure_waiver_source;

#define ASSURE_WAIVER_SOURCE_INIT                                                                            \
	{                                                                                                    \
		false, NULL, ASSURE_WAIVER_OPTS_INIT                                                         \
	}

/*
 * Check snap with e and apply the waivers src names (the fixed set, else the snapshot's own
 * file): out gets the findings, sorted for a report. *applied (when given) is the name of the
 * waivers file applied, borrowed from src or from opts, or NULL when none was. Returns what
 * assure_engine_check returns.
 */
int assure_waivers_check(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *copts,
                         const assure_waiver_source *src, assure_findings *out, assure_check_result *result,
                         const char **applied);

/* Findings of l a waiver accepts. */
size_t assure_findings_waived(const assure_findings *l);

#endif
