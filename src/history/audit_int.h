/*
 * audit_int.h: what the audit walk (audit.c), the interval tracking (history.c) and the
 * report formats (audit_*.c, svg.c) share.
 *
 * The audit owns every record and interval; interval findings are deep copies owned
 * by the audit (freed with it). Organisation names are interned in `orgs` so that
 * intervals and tallies can point at them.
 */
#ifndef ASSURE_AUDIT_INT_H
#define ASSURE_AUDIT_INT_H

#include "assure/audit.h"

#include <jansson.h>

struct assure_audit {
	const assure_ruleset *rs;         /* borrowed */
	assure_audit_commit *commits;     /* every record, in walk order */
	size_t ncommits, capcommits;      /* used, allocated */
	json_t *by_id;                    /* commit id -> record index */
	long last;                        /* the last walked record, or -1 */
	assure_audit_interval *intervals; /* every interval, in opening order */
	size_t nintervals, capintervals;  /* used, allocated */
	size_t *open_at_end;              /* intervals open in the last record */
	size_t nopen_at_end;              /* entries of open_at_end */
	char **domains;                   /* sorted domain names */
	size_t ndomains;                  /* entries of domains */
	json_t *orgs;                     /* interned organisation names: name -> json string */
	assure_audit_summary summary;     /* filled when the walk ends */
	assure_audit_stats stats;         /* filled when the walk ends */
};

/* ---- intervals (history.c) ---- */

/* Open an interval for the i-th finding of l at record `rec`; org is interned by the caller. Returns its
 * index. */
size_t ah_interval_open(assure_audit *a, const assure_findings *l, size_t i, size_t rec, bool before_range,
                        const char *org);
/* Close it at record `rec` unless another line of history closed it first. */
void ah_interval_close(assure_audit *a, size_t iv, size_t rec);
/* Its return was renamed: show it under f's path and fingerprint from now on. */
void ah_interval_move(assure_audit *a, size_t iv, const assure_finding *f);
/*
 * After the walk: intervals open in the last record are open (even when a side branch
 * had resolved them), and every interval gets its days.
 */
void ah_intervals_finish(assure_audit *a);
/* Free the intervals' findings. */
void ah_intervals_free(assure_audit *a);

/* ---- waivers along the walk (audit_waivers.c) ---- */

/* What the walk keeps about waivers from one record to the next. */
typedef struct ah_waivers {
	const assure_waiver_source *src; /* the audit's options (borrowed) */
	json_t *entries;                 /* entry identity -> [version text, record that made it, or -1] */
	size_t *open;                    /* intervals with a waived span open */
	size_t nopen, capopen;           /* used, allocated */
	assure_findings *last;           /* the waivers' own findings of the last record (incremental walk) */
} ah_waivers;

/* Gives the record that introduced the open finding of fingerprint fp, -1 when unknown (before the
 * range), -2 when it is not open (the record being checked introduces it). */
typedef long (*ah_introducer_fn)(const char *fp, void *payload);
/* Gives the interval of fingerprint fp in the record just checked, or -1. */
typedef long (*ah_interval_fn)(const char *fp, void *payload);

void ah_waivers_init(ah_waivers *h, const assure_waiver_source *src);
void ah_waivers_clear(ah_waivers *h);
/*
 * Whether record rec needs the waiver layer: its snapshot has a waivers file (or a fixed set
 * applies), or the record before left a waived span or a finding of the waivers open.
 */
bool ah_waivers_needed(const ah_waivers *h, const assure_snapshot *snap);
/*
 * The waivers of record rec applied to found (its findings, unmarked): *marked gets the findings a
 * waiver accepts, marked (new list); the waivers' own findings (EXPIRED, UNUSED, INVALID, and SELF
 * when the entry was last changed by the author, or in the commit, that introduced the finding)
 * are appended to own. A broken file counts in result.
 */
void ah_waivers_layer(assure_audit *a, ah_waivers *h, size_t rec, const assure_snapshot *snap,
                      const assure_findings *found, int32_t as_of, ah_introducer_fn introducer, void *payload,
                      assure_findings **marked, assure_findings *own, assure_check_result *result);
/* After record rec's intervals are known: open and close the waived spans, count the waived findings. */
void ah_waivers_spans(assure_audit *a, ah_waivers *h, size_t rec, const assure_findings *marked,
                      ah_interval_fn interval_of, void *payload);
/* Free the spans of every interval. */
void ah_waivers_free_spans(assure_audit *a);
/* The span of interval iv that covers record rec, or NULL. */
const assure_audit_waived *ah_waived_at(const assure_audit *a, size_t iv, size_t rec);
/* One waived span: interval iv's k-th. */
typedef struct ah_span_ref {
	size_t iv; /* interval */
	size_t k;  /* its span */
} ah_span_ref;
/* Every waived span, ordered by the record it starts at; the caller frees *out. */
size_t ah_waived_spans(const assure_audit *a, ah_span_ref **out);
/* "until E by WHERE, approved by X on D: REASON", every piece visible (buf.h). */
void ah_waiver_text(assure_buf *out, const assure_waiver_mark *m);
/* The waiver as a JSON object {where, reason, approved_by, approved_on, expires} (new reference). */
json_t *ah_waiver_json(const assure_waiver_mark *m);
/* Interval iv's waived spans as a JSON array of {from, to, waiver} (new reference). */
json_t *ah_waived_json(const assure_audit *a, const assure_audit_interval *iv);

/* ---- shared by the report formats ---- */

/*
 * A single-file format writes its report piece by piece: out goes to emit once it holds
 * AH_PIECE bytes (or always, when last), and is emptied, so that no report is ever whole in
 * memory (at tens of thousands of commits it is hundreds of megabytes). 0, or emit's -1.
 */
#define AH_PIECE ((size_t)1 << 20)
int ah_emit_piece(assure_buf *out, assure_audit_emit_fn emit, void *payload, bool last);

/* Day number of a commit's committer date (UTC). */
int32_t ah_commit_day(const assure_audit_commit *c);
/* "3 days", "1 day". */
const char *ah_plural(size_t n, const char *one, const char *many);
/* "before the range" note and interval text such as "open 4 days" (into out). */
void ah_interval_span(assure_buf *out, const assure_audit *a, const assure_audit_interval *iv);
/* The as_of policy in words: "each commit's committer date (UTC)" or "fixed: 2021-01-13". */
void ah_as_of_policy(assure_buf *out, const assure_audit_meta *meta);
/* The range in words: "HEAD", "A..B", with --first-parent, --since, --until, --paths. */
void ah_range_text(assure_buf *out, const assure_audit_meta *meta);
/* The header every audit and history document shares: format, tool, rules, source, as_of (new reference). */
json_t *ah_meta_json(const assure_audit_meta *meta, const char *format);
/* id, author, email, date, subject of a commit (new reference). */
json_t *ah_commit_json(const assure_audit_commit *c);
/* Append s with Markdown table and emphasis characters escaped. */
void ah_md_escape(assure_buf *out, const char *s);
/* Append s as a Markdown code span that nothing in s can end or take out of its table cell. */
void ah_md_code(assure_buf *out, const char *s);

/* ---- charts (svg.c) ---- */

/* One series of a line chart: values are exact decimal text, NULL where missing. */
typedef struct ah_series {
	const char *name;          /* legend */
	const char *color;         /* "#rrggbb" */
	const char *const *values; /* npoints entries */
	bool dashed;               /* drawn dashed (a target rather than a measure) */
} ah_series;

typedef struct ah_line_chart {
	const char *title;         /* drawn above the plot */
	const char *unit;          /* axis unit, "£m" */
	const char *const *labels; /* x labels, npoints entries */
	size_t npoints;            /* points per series */
	const ah_series *series;   /* the series */
	size_t nseries;            /* entries of series */
} ah_line_chart;

/* A line chart as an inline <svg> element; 0, or -1 when a value is not a decimal. */
int ah_svg_line_chart(assure_buf *out, const ah_line_chart *c);

/* One stacked bar per point: counts[s * npoints + p] of series s at point p. */
typedef struct ah_bar_chart {
	const char *title;         /* drawn above the plot */
	const char *const *labels; /* x labels */
	size_t npoints;            /* bars */
	const char *const *names;  /* the stacked series (legend) */
	size_t nseries;            /* entries of names */
	const size_t *counts;      /* nseries * npoints counts */
} ah_bar_chart;

/* A stacked bar chart as an inline <svg> element. */
void ah_svg_bar_chart(assure_buf *out, const ah_bar_chart *c);

/* The colour of series i in charts: a fixed palette, so output is reproducible. */
const char *ah_svg_color(size_t i);

#endif
