/*
 * audit.h: checking every commit of a range and telling what each one broke and fixed.
 *
 * An audit walks the commits of a range oldest first (topological order), derives each
 * commit's snapshot from its first parent's (repo.h: only changed trees are read),
 * checks it with one long-lived engine (a blob is parsed once; return-scope findings
 * whose inputs did not change are reused) and compares its findings with its first
 * parent's by fingerprint:
 *  - new: the fingerprint is not among the first parent's findings;
 *  - resolved: a fingerprint of the first parent's findings is not among the commit's;
 *  - persisting: in both. A return renamed unchanged keeps its findings: a finding at
 *    the new path whose fingerprint at the old path the parent had is persisting.
 * A root commit has everything new. The first parent of a commit at the start of the
 * range (outside it) is checked too, as a "boundary" record, so that the first commit
 * of a range is compared with the state it really started from.
 *
 * Every fingerprint's open intervals (history.h) are tracked along the way: a finding
 * that a merge brings in from its second parent keeps the interval it had on that
 * branch. The result also carries, per commit, the system's forecast outturn and
 * control total per financial year (for the charts) and the open findings by domain.
 *
 * Parent snapshots and findings are kept only while a child still needs them, and the
 * engine's parse cache is trimmed to the blobs of live snapshots, so memory stays
 * bounded on long histories.
 *
 * Ownership: the audit borrows the repository and the rule set (both must outlive it)
 * and owns every record, finding and string it returns; pointers it hands out are
 * borrowed and valid until assure_audit_free().
 */
#ifndef ASSURE_AUDIT_H
#define ASSURE_AUDIT_H

#include "assure/buf.h"
#include "assure/engine.h"
#include "assure/finding.h"
#include "assure/repo.h"
#include "assure/ruleset.h"
#include "assure/waiver.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASSURE_AUDIT_FORMAT "assure-audit/1"

/* Called after each commit is checked: `done` of `total` commits. */
typedef void (*assure_audit_progress_fn)(size_t done, size_t total, void *payload);

typedef struct assure_audit_opts {
	const char *range;         /* "A..B", one revision, or NULL for HEAD */
	bool first_parent;         /* follow first parents only */
	bool has_since;            /* since is set */
	int32_t since;             /* keep commits whose committer day (UTC) is on or after it */
	bool has_until;            /* until is set */
	int32_t until;             /* keep commits whose committer day (UTC) is on or before it */
	const char *const *paths;  /* report only commits changing a path matching one glob */
	size_t npaths;             /* 0: report every commit */
	bool has_as_of;            /* as_of is fixed for every commit */
	int32_t as_of;             /* the fixed as_of (a day number) */
	uint64_t max_file_size;    /* as assure_check_opts has it; 0: the default */
	size_t max_findings;       /* as assure_check_opts has it; 0: the default */
	const char *const *ignore; /* globs of paths no rule reads (assure_engine_set_ignore) */
	size_t nignore;            /* entries of ignore */
	/*
	 * Check every commit whole and compare its findings with its parent's, as a history with
	 * merges is, even where the history is linear (for the tests and benchmarks that hold the
	 * incremental walk to it).
	 */
	bool compare_each;
	/*
	 * Where each commit's waivers come from (docs/waivers.md): by default the waivers file of
	 * that commit's snapshot, as it stood then; a fixed set applies to every commit.
	 */
	assure_waiver_source waivers;
	assure_audit_progress_fn progress; /* NULL: no progress calls */
	void *payload;                     /* passed to progress */
} assure_audit_opts;

#define ASSURE_AUDIT_OPTS_INIT                                                                               \
	{                                                                                                    \
		0                                                                                            \
	}

/* One point of a chart the rule set declares, in one commit's snapshot (exact decimal text). */
typedef struct assure_audit_figures {
	size_t chart;  /* index of the chart in the rule set (assure_ruleset_chart) */
	char *key;     /* the group's key ("2020-21") */
	char **values; /* per series of the chart: its value, or NULL where there is none */
} assure_audit_figures;

/* One checked commit. */
typedef struct assure_audit_commit {
	assure_commit_info info;   /* id, author, dates, subject */
	bool reported;             /* walked and selected by --paths: it has a report */
	bool boundary;             /* a first parent outside the range, checked to compare with */
	bool shallow;              /* its parents are missing from a shallow clone: compared with nothing */
	long parent;               /* record of the first parent, or -1 for a root commit */
	int32_t as_of;             /* the reference date it was checked with */
	assure_change *changes;    /* changed return files (those some rule selects), by path */
	size_t nchanges;           /* entries of changes */
	size_t other_changes;      /* other files changed */
	assure_findings *opened;   /* new findings, in report order */
	size_t *opened_interval;   /* interval of each opened finding */
	assure_findings *resolved; /* resolved findings as they were in the parent, in report order */
	size_t *resolved_interval; /* interval of each resolved finding */
	size_t persisting;         /* findings whose fingerprint the parent had */
	size_t total;              /* findings in the snapshot */
	size_t counts[ASSURE_SEV_COUNT]; /* findings by severity */
	size_t waived[ASSURE_SEV_COUNT]; /* of those, findings a waiver of the commit accepts */
	size_t *by_domain;               /* findings per domain (indexed like assure_audit_domain) */
	assure_audit_figures *figures;   /* the declared charts' points, by chart then key */
	size_t nfigures;                 /* entries of figures */
	assure_check_result result;      /* what the check saw */
} assure_audit_commit;

/* A span of an interval in which a waiver accepted its finding. */
typedef struct assure_audit_waived {
	size_t from; /* record of the first commit whose waivers accepted it */
	long to;     /* record of the first commit whose waivers no longer did, -1: still at the end */
	assure_waiver_mark mark; /* the waiver as it was at `from`; strings owned by the audit */
} assure_audit_waived;

/* One interval in which a fingerprint was open. */
typedef struct assure_audit_interval {
	const assure_finding *finding; /* as it was when opened (path updated when its return is renamed) */
	size_t opened;                 /* record of the commit that introduced it */
	bool before_range;             /* already open in a boundary record: opened earlier than shown */
	long closed;                   /* record of the commit that resolved it, or -1 when open at the end */
	int32_t days;                  /* days open: to the resolving commit, or to the last commit walked */
	const char *org;               /* organisation of the return it is about ("" when none) */
	assure_audit_waived *waived;   /* the spans in which a waiver accepted it, in walk order */
	size_t nwaived;                /* entries of waived */
} assure_audit_interval;

/* Opened, closed and open-at-the-end counts under one key (a rule, a domain, an organisation). */
typedef struct assure_audit_tally {
	const char *key; /* rule id, domain or organisation ("" for findings of no organisation) */
	size_t opened;   /* new findings in reported commits */
	size_t closed;   /* resolved findings in reported commits */
	size_t open;     /* findings open in the last commit walked */
} assure_audit_tally;

typedef struct assure_audit_summary {
	size_t commits;         /* reported commits */
	assure_audit_tally all; /* totals (key "") */
	size_t open_at_start;   /* intervals open before the range (open_at_start + opened - closed = open) */
	assure_audit_tally *by_rule; /* sorted by key */
	size_t nrules;
	assure_audit_tally *by_domain; /* sorted by key */
	size_t ndomains;
	assure_audit_tally *by_org; /* sorted by key, "" last */
	size_t norgs;
	size_t longest[10]; /* intervals open longest, longest first */
	size_t nlongest;    /* entries of longest */
} assure_audit_summary;

/* Counters of the whole run (for --stats). */
typedef struct assure_audit_stats {
	size_t commits;               /* commits checked (boundary records included) */
	assure_repo_stats repo;       /* trees and blobs read from git */
	assure_engine_stats engine;   /* blobs parsed, evaluations, findings reused */
	size_t live_max;              /* most snapshots held at once */
	unsigned long partitions_max; /* most partitions evaluated for one commit (assure_engine_stats) */
} assure_audit_stats;

typedef struct assure_audit assure_audit;

/* Walk, check and compare. The repository and rule set are borrowed. */
int assure_audit_run(assure_audit **out, assure_repo *repo, const assure_ruleset *rs,
                     const assure_audit_opts *opts);
void assure_audit_free(assure_audit *a);

size_t assure_audit_commit_count(const assure_audit *a);
const assure_audit_commit *assure_audit_commit_at(const assure_audit *a, size_t i);
/* Record of a commit id, or -1. */
long assure_audit_find_commit(const assure_audit *a, const char *id);
/* The last commit walked (whose findings are "open at the end"), or -1 when none was. */
long assure_audit_last(const assure_audit *a);

size_t assure_audit_interval_count(const assure_audit *a);
const assure_audit_interval *assure_audit_interval_at(const assure_audit *a, size_t i);

/* Domains of the rule set and "validity", sorted: the index of assure_audit_commit.by_domain. */
size_t assure_audit_domain_count(const assure_audit *a);
const char *assure_audit_domain(const assure_audit *a, size_t i);

const assure_audit_summary *assure_audit_get_summary(const assure_audit *a);
void assure_audit_get_stats(const assure_audit *a, assure_audit_stats *out);

/* What a report says about how the audit was made, so an auditor can reproduce it. */
typedef struct assure_audit_meta {
	const char *tool_version;    /* ASSURE_VERSION */
	const assure_ruleset *rules; /* the rule set used */
	const char *repository;      /* --repo as given */
	const char *range;           /* as given, or NULL for HEAD */
	bool first_parent;           /* --first-parent */
	const char *since;           /* --since as given, or NULL */
	const char *until;           /* --until as given, or NULL */
	const char *const *paths;    /* --paths globs */
	size_t npaths;
	bool has_as_of; /* --as-of was given */
	int32_t as_of;  /* its day */
} assure_audit_meta;

/*
 * Receives one output file of a report: name is NULL for the whole output of a
 * single-file format, else a path relative to the output folder ("index.html",
 * "commits/<id>.html"). Returns 0, or -1 with the error set.
 */
typedef int (*assure_audit_emit_fn)(const char *name, const char *data, size_t len, void *payload);

typedef int (*assure_audit_write_fn)(const assure_audit *a, const assure_audit_meta *meta,
                                     assure_audit_emit_fn emit, void *payload);

typedef struct assure_audit_format {
	const char *name;            /* as given to --format */
	const char *description;     /* one line, for --help */
	bool folder;                 /* writes several files: needs --out DIR */
	assure_audit_write_fn write; /* the writer */
} assure_audit_format;

/* The format called `name`, or NULL; all formats, terminated by an entry with name NULL. */
const assure_audit_format *assure_audit_format_find(const char *name);
const assure_audit_format *assure_audit_formats(void);
/* The names of every audit format, "text, json, ...", in table order: for --help and usage errors. */
const char *assure_audit_format_names(void);

int assure_audit_text(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                      void *payload);
int assure_audit_json(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                      void *payload);
int assure_audit_markdown(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                          void *payload);
int assure_audit_html(const assure_audit *a, const assure_audit_meta *meta, assure_audit_emit_fn emit,
                      void *payload);

/* "2020-11-27 12:00:00 +0000": a commit time as git shows it, in its own offset. */
void assure_audit_format_time(char out[48], long long seconds, int offset_minutes);
/* Name of a change kind: "added", "modified", "deleted", "renamed". */
const char *assure_audit_change_name(assure_change_kind k);

#endif
