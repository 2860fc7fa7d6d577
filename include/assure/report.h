/*
 * report.h: writing the findings of one check: text, a JSON document, and the formats CI
 * platforms read (SARIF 2.1.0, JUnit XML, GitHub Actions workflow commands, GitLab code quality;
 * docs/formats.md says how each maps a finding).
 *
 * Reports are reproducible: the same findings and metadata give byte-identical
 * output (no timestamps, no absolute paths the caller did not give, sorted
 * findings). The JSON document's format is "assure-report/1" (docs/report-format.md).
 *
 * Ownership: everything in assure_report_meta is borrowed; output is appended to a
 * buffer the caller owns.
 */
#ifndef ASSURE_REPORT_H
#define ASSURE_REPORT_H

#include "assure/buf.h"
#include "assure/engine.h"
#include "assure/finding.h"
#include "assure/ruleset.h"

#include <stdbool.h>
#include <stdint.h>

#define ASSURE_REPORT_FORMAT "assure-report/1"

/* Where the returns came from and how they were checked. */
typedef struct assure_report_meta {
	const char *tool_version;    /* ASSURE_VERSION */
	const assure_ruleset *rules; /* the rule set used */
	const char *source;          /* "git", "worktree" or "files" */
	const char *repository;      /* repository path as given, or NULL */
	const char *commit;          /* commit id checked, or NULL */
	/*
	 * The absolute URI SARIF names the repository by (versionControlProvenance), or NULL to
	 * leave provenance out; only used with a commit. The caller chooses it reproducibly
	 * (docs/formats.md): given on the command line, or the repository's remote.origin.url.
	 */
	const char *repository_uri;
	int32_t as_of;                     /* reference date (day number) */
	const assure_check_result *result; /* what the check saw */
	bool color;                        /* ANSI colour in text output */
	/* the baseline the findings were filtered by (baseline.h): "REV" or a file, NULL for none */
	const char *baseline;
	const char *baseline_commit; /* the commit of a baseline REV, or NULL */
	size_t baseline_hidden;      /* findings not shown because the baseline has them */
	/* the waivers file applied ("assure-waivers.json", a --waivers file), or NULL for none */
	const char *waivers;
	/* the evaluations that found no breach (assure_check_opts.passes, sorted), or NULL */
	const assure_findings *passes;
} assure_report_meta;

/* A report writer; findings must be sorted with assure_findings_sort(). */
typedef int (*assure_report_fn)(assure_buf *out, const assure_findings *findings,
                                const assure_report_meta *meta);

typedef struct assure_report_format {
	const char *name;        /* as given to --format */
	const char *description; /* one line, for --help */
	assure_report_fn write;  /* the writer */
} assure_report_format;

/* The format called `name`, or NULL. */
const assure_report_format *assure_report_format_find(const char *name);
/* All formats, terminated by an entry with name NULL. */
const assure_report_format *assure_report_formats(void);
/* The names of every format, "text, json, ...", in table order: for --help and usage errors. */
const char *assure_report_format_names(void);

int assure_report_text(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta);
int assure_report_json(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta);
/* SARIF 2.1.0, one run (sarif.c). */
int assure_report_sarif(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta);
/* JUnit XML: a test suite per rule, a test case per finding's subject (junit.c). */
int assure_report_junit(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta);
/* GitHub Actions workflow commands, one per finding (github.c). */
int assure_report_github(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta);
/* GitLab code quality JSON (gitlab.c). */
int assure_report_gitlab(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta);

/*
 * What a report says of the rule a finding names: a rule of the rule set, or one of the
 * tool's own (ASSURE-PARSE, ASSURE-EVAL, ASSURE-LIMIT), whose text lives in report.c's table.
 * Every string is borrowed from the rule set or static; absent ones are NULL.
 */
typedef struct assure_report_rule {
	const char *id;           /* "FIN-001", "ASSURE-PARSE" */
	const char *title;        /* one line */
	const char *description;  /* longer text, or NULL */
	const char *help;         /* what to do about it, or NULL */
	const char *rationale;    /* why the framework cares, or NULL */
	const char *reference;    /* source document and section, or NULL */
	const char *domain;       /* the rule's domain; "assure" for the tool's own */
	const char *kind;         /* the kind of return it applies to, or NULL */
	assure_severity severity; /* its default severity */
	bool tool;                /* one of the tool's own rules */
} assure_report_rule;

/* Number of rules a report can name: the rule set's, then the tool's own. */
size_t assure_report_rule_count(const assure_ruleset *rs);
/* The i-th of those (0 <= i < assure_report_rule_count). */
void assure_report_rule_at(const assure_ruleset *rs, size_t i, assure_report_rule *out);
/* The index of rule `id` among them, or -1 (a finding of a rule not in rs). */
long assure_report_rule_index(const assure_ruleset *rs, const char *id);

/* True when the check could not assess everything (parse or evaluation failures). */
bool assure_report_incomplete(const assure_check_result *result);

/*
 * The opening every JSON document of assure shares, check report and audit alike:
 * format, tool {name, version}, rules {name, version, hash, count} (new reference;
 * the caller adds source and the rest after it, so key order stays fixed).
 */
json_t *assure_report_json_header(const char *format, const char *tool_version, const assure_ruleset *rs);

/* The JSON object of one finding (new reference), shared by the check and audit formats. */
json_t *assure_report_finding_json(const assure_finding *f);

/*
 * Counts by severity of the findings no waiver accepts (those that can fail a run), and in
 * *waived those a waiver accepts.
 */
void assure_report_counts(const assure_findings *l, size_t counts[ASSURE_SEV_COUNT], size_t *waived);
/* The text line of one finding, and for a waived one the waiver's line under it (shared with diff). */
void assure_report_text_finding(assure_buf *out, const assure_finding *f, bool color);

#endif
