/*
 * finding.h: what a check reports, and lists of findings.
 *
 * A finding is about one node of one file (or of the snapshot as a whole when
 * path is ""), found by one rule. Its fingerprint hashes only the rule id, the
 * path and the subject, so it survives reformatting and moved lines; audits use it
 * to tell new findings from old ones.
 *
 * Ownership: a list holds its findings and all their strings; assure_findings_extend()
 * shares the findings of src (reference counted, never changed after they are added)
 * instead of copying them, and each list can be freed on its own. Pointers returned by
 * assure_findings_get() are borrowed and valid until the list changes. A finding
 * filled by assure_finding_copy() owns its strings until assure_finding_clear().
 * assure_findings_hold() and assure_finding_hold_copy() give a finding that stays valid,
 * with its strings, until assure_finding_release(), whatever becomes of the lists.
 */
#ifndef ASSURE_FINDING_H
#define ASSURE_FINDING_H

#include <stdbool.h>
#include <stddef.h>

typedef enum assure_severity {
	ASSURE_SEV_INFO = 0,    /* worth knowing */
	ASSURE_SEV_WARNING = 1, /* should be looked at before the committee */
	ASSURE_SEV_ERROR = 2,   /* a breach, or a return that cannot be assessed */
} assure_severity;

#define ASSURE_SEV_COUNT 3

/* Ids of the findings the tool itself raises. */
#define ASSURE_RULE_PARSE "ASSURE-PARSE" /* a file is not valid JSON */
#define ASSURE_RULE_EVAL  "ASSURE-EVAL"  /* a rule could not be evaluated on a node */
#define ASSURE_RULE_LIMIT "ASSURE-LIMIT" /* a file is larger than the run reads, or findings not listed */

/*
 * A committee's acceptance of a finding for a time, copied from the waiver that matched it
 * (docs/waivers.md). Every string is owned by the finding that carries it.
 */
typedef struct assure_waiver_mark {
	char *where;  /* the waiver's place: its file and JSON Pointer, "assure-waivers.json#/waivers/2" */
	char *reason; /* why the breach is accepted */
	char *approved_by; /* who approved it */
	char *approved_on; /* YYYY-MM-DD */
	char *expires;     /* YYYY-MM-DD, the last day it accepts the finding */
} assure_waiver_mark;

typedef struct assure_finding {
	char *rule_id;              /* the rule that found it */
	assure_severity severity;   /* the rule's severity */
	char *domain;               /* the rule's domain */
	char *title;                /* the rule's title */
	char *message;              /* rendered message */
	char *path;                 /* file path in the snapshot, "" for the snapshot as a whole */
	char *pointer;              /* JSON Pointer of the node in that file */
	int line;                   /* 1-based line of the node, 0 if unknown */
	int column;                 /* 1-based column (characters), 0 if unknown */
	char *subject;              /* stable identity of what it is about */
	char fingerprint[41];       /* SHA-1 of "rule_id\npath\nsubject" */
	assure_waiver_mark *waiver; /* the waiver that accepts it, or NULL; owned like the strings */
} assure_finding;

/*
 * *dst gets src's fields and a copy of every string (NULL becomes ""); the fingerprint is copied
 * as is. The seven strings are one allocation starting at rule_id, so that a copy is freed by
 * assure_finding_clear() only, never string by string.
 */
void assure_finding_copy(assure_finding *dst, const assure_finding *src);
/* Free the strings of a finding filled by assure_finding_copy() and zero it. */
void assure_finding_clear(assure_finding *f);

typedef struct assure_findings assure_findings;

int assure_findings_new(assure_findings **out);
void assure_findings_free(assure_findings *l);
/* Adds a copy of every string of f; computes the fingerprint. */
void assure_findings_add(assure_findings *l, const assure_finding *f);
/* Adds all findings of src, shared with src (see Ownership). */
void assure_findings_extend(assure_findings *l, const assure_findings *src);
/* Adds the i-th finding of src, shared with src. */
void assure_findings_share(assure_findings *l, const assure_findings *src, size_t i);
size_t assure_findings_count(const assure_findings *l);
/* The i-th finding of l, held (shared, not copied) until assure_finding_release(). */
const assure_finding *assure_findings_hold(const assure_findings *l, size_t i);
/* A held copy of f, fingerprint as f has it, until assure_finding_release(). */
const assure_finding *assure_finding_hold_copy(const assure_finding *f);
/* Let go of a finding from assure_findings_hold() or assure_finding_hold_copy(); NULL is ignored. */
void assure_finding_release(const assure_finding *f);
/* Drop every finding from the n-th on. */
void assure_findings_truncate(assure_findings *l, size_t n);
const assure_finding *assure_findings_get(const assure_findings *l, size_t i);
/* Sort by path, line, column, rule id, message, subject: a total order for reproducible output. */
void assure_findings_sort(assure_findings *l);
/* Counts by severity into counts[ASSURE_SEV_COUNT]. */
void assure_findings_counts(const assure_findings *l, size_t counts[ASSURE_SEV_COUNT]);
/* Index of the first finding with this fingerprint (the list must be sorted by
 * assure_findings_sort_by_fingerprint), or -1. */
void assure_findings_sort_by_fingerprint(assure_findings *l);
long assure_findings_find_fingerprint(const assure_findings *l, const char *fingerprint);

void assure_finding_fingerprint(char out[41], const char *rule_id, const char *path, const char *subject);
/* Whether s is a fingerprint as findings carry them: 40 lower-case hexadecimal digits. */
bool assure_fingerprint_valid(const char *s);

const char *assure_severity_name(assure_severity s); /* "error", "warning", "info" */
/* Parses "error", "warning", "info"; returns -1 otherwise. */
int assure_severity_parse(assure_severity *out, const char *s);

#endif
