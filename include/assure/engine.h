/*
 * engine.h: evaluating a rule set over a snapshot of returns.
 *
 * The engine keeps a parse cache keyed by blob id, so a file is parsed once per run
 * however many rules and commits read it. Problems in returns become findings
 * (ASSURE-PARSE for a file that is not JSON, ASSURE-EVAL for a rule that could not
 * be evaluated on a node) and the check goes on; the result says it is incomplete.
 *
 * Ownership: the engine borrows the rule set, which must outlive it, and owns its
 * cache. Findings are appended to a list the caller owns.
 */
#ifndef ASSURE_ENGINE_H
#define ASSURE_ENGINE_H

#include "assure/finding.h"
#include "assure/repo.h"
#include "assure/ruleset.h"

#include <stdint.h>

typedef struct assure_engine assure_engine;

/* The largest file a check reads, in bytes, unless told otherwise (assure_check_opts). */
#define ASSURE_MAX_FILE_SIZE ((uint64_t)64 << 20)
/* The findings of one rule a check lists per file unless told otherwise; the rest are counted. */
#define ASSURE_MAX_FINDINGS 1000

typedef struct assure_check_opts {
	int32_t as_of;          /* the reference date, a day number (date.h) */
	uint64_t max_file_size; /* larger files get ASSURE-LIMIT and are not read; 0: the default */
	/*
	 * Findings of one rule listed per file; beyond them one ASSURE-LIMIT finding says how many
	 * more there are (0: ASSURE_MAX_FINDINGS). One engine must be given the same every time.
	 */
	size_t max_findings;
	/*
	 * When set, every evaluation whose assert held is added here too, as a finding with no
	 * message (its rule, place and subject): what was evaluated and found no breach, for the
	 * formats that list passing subjects (JUnit). Borrowed; NULL costs nothing.
	 */
	assure_findings *passes;
} assure_check_opts;

#define ASSURE_CHECK_OPTS_INIT                                                                               \
	{                                                                                                    \
		0                                                                                            \
	}

/* What one check saw; filled by assure_engine_check. */
typedef struct assure_check_result {
	size_t files_seen;     /* files in the snapshot */
	size_t files_checked;  /* files some rule applied to */
	size_t parse_failures; /* files that could not be parsed or read */
	size_t read_failures;  /* of those, files whose content could not be read (a damaged repository) */
	size_t eval_failures;  /* rule evaluations that failed */
} assure_check_result;

/* Running totals over the engine's life (for --stats). */
typedef struct assure_engine_stats {
	unsigned long blobs_read;   /* file contents read */
	unsigned long blobs_parsed; /* JSON parses */
	unsigned long evaluations;  /* rule evaluations on a node */
	unsigned long
	    findings_reused; /* findings taken from a previous check without evaluating their rules */
	unsigned long partitions_evaluated; /* sets of findings worked out (a file's rules of one kind, a
	                                       group, a snapshot rule) */
	unsigned long chart_failures;       /* series values that were neither numbers, null nor absent */
	unsigned long
	    nodes_reused; /* nodes whose findings were kept while their file's others were evaluated again */
	unsigned long
	    returns_let_go; /* parsed returns freed once their own rules had run (read by no other) */
} assure_engine_stats;

int assure_engine_new(assure_engine **out, const assure_ruleset *rs);
void assure_engine_free(assure_engine *e);
/*
 * Leave the paths matching one of the n globs (assure_glob_match; copied) out of every check:
 * no rule selects them, as if they were no returns (a repository's "ignore", config.h). Set
 * before the first check; one engine keeps the same list, as its cache assumes.
 */
void assure_engine_set_ignore(assure_engine *e, const char *const *globs, size_t n);

/* Evaluate every rule on the snapshot; findings are appended to out (unsorted). */
int assure_engine_check(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *opts,
                        assure_findings *out, assure_check_result *result);

/*
 * Check snap as a change from prev, which must be the snapshot of the engine's last check
 * or update (ch: the changes from prev to snap, as assure_snapshot_derive gives them):
 * only what the change can affect is evaluated. The findings that the change brings are
 * appended to added and those it takes away to removed; a finding that stays is in
 * neither, unless it was made again (then it is in both). With another prev, or none,
 * every finding of the last check is removed and every finding of snap added.
 * result gets the totals of snap, as assure_engine_check would give them.
 */
int assure_engine_update(assure_engine *e, const assure_snapshot *snap, const assure_snapshot *prev,
                         const assure_change *ch, size_t nch, const assure_check_opts *opts,
                         assure_findings *added, assure_findings *removed, assure_check_result *result);
/*
 * Append to out every finding of the snapshot of the engine's last check or update (shared,
 * unsorted): what assure_engine_check would give for it, at the cost of the findings alone.
 */
void assure_engine_findings(const assure_engine *e, assure_findings *out);
void assure_engine_get_stats(const assure_engine *e, assure_engine_stats *out);

/* One point of a declared chart (ruleset.h) in one snapshot: a group's key and its values. */
typedef struct assure_chart_point {
	char *key;     /* the group's key, its values separated by blanks ("2020-21"), owned */
	char **values; /* per series: exact decimal text, or NULL where there is no number, owned */
} assure_chart_point;

/*
 * Evaluate chart c of the rule set on snap: *out is one point per group, in key order
 * (free with assure_chart_points_free). A rule set that declares no chart costs nothing.
 */
int assure_engine_chart(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *opts,
                        size_t c, assure_chart_point **out, size_t *count);
void assure_chart_points_free(assure_chart_point *p, size_t n, size_t nseries);

/*
 * The parsed document of file i of snap, through the same cache as the checks, or NULL
 * when the file cannot be read or is not JSON. Borrowed: valid until the next check or
 * update (which may let the tree of a return go), assure_engine_retain() or
 * assure_engine_free().
 */
json_t *assure_engine_root(assure_engine *e, const assure_snapshot *snap, size_t i);
/*
 * The top-level member `name` of file i of snap when it is neither an object nor an array,
 * or NULL; a return whose tree was let go (its own rules had run and no other rule reads
 * its kind) keeps these, so asking costs no parse. Borrowed, as assure_engine_root.
 */
json_t *assure_engine_top(assure_engine *e, const assure_snapshot *snap, size_t i, const char *name);

/*
 * Keep the cache bounded on long histories: drop the parses of blobs that are in none
 * of the n snapshots, and the reusable findings of (path, blob) pairs in none of them.
 * Only a blob seen again after being dropped is parsed again.
 */
void assure_engine_retain(assure_engine *e, const assure_snapshot *const *keep, size_t n);
/* Parsed blobs held in the cache. */
size_t assure_engine_cached(const assure_engine *e);

#endif
