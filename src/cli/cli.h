/*
 * cli.h: what the assure commands share. The CLI only parses arguments, calls
 * libassure and prints; anything a library user would need lives in the library.
 */
#ifndef ASSURE_CLI_H
#define ASSURE_CLI_H

#include "assure/audit.h"
#include "assure/config.h"
#include "assure/diag.h"
#include "assure/engine.h"
#include "assure/error.h"
#include "assure/repo.h"
#include "assure/ruleset.h"
#include "assure/waiver.h"
#include "cli/opts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

/*
 * The i-th of the values an option of a command takes, with its one-line description, from the
 * library's own table (the report formats), so that --help and the manual page list what the
 * table holds and no list is kept by hand. False past the last value, and for an option that
 * takes no fixed set.
 */
typedef cli_opt_choices_fn cli_choices_fn;

/* One subcommand: the command table in main.c lists them all. */
typedef struct cli_command {
	const char *name;    /* "check" */
	const char *usage;   /* "assure check [OPTIONS] [--repo DIR [--rev REV] | PATH...]" */
	const char *summary; /* one line for `assure help` */
	const cli_opt *opts; /* its options, NULL-terminated */
	int (*run)(const cli_args *args);
	const char *exits;      /* what its exit codes 0 and 1 mean, or NULL for the findings meaning */
	cli_choices_fn choices; /* the values of its options that take a fixed set, or NULL */
} cli_command;

extern const cli_opt cli_check_opts[];
extern const cli_opt cli_rules_opts[];
extern const cli_opt cli_explain_opts[];
int cli_check(const cli_args *args);
bool cli_check_choices(const char *option, size_t i, const char **name, const char **description);
bool cli_audit_choices(const char *option, size_t i, const char **name, const char **description);
int cli_rules(const cli_args *args);
int cli_explain(const cli_args *args);
extern const cli_opt cli_audit_opts[];
extern const cli_opt cli_history_opts[];
extern const cli_opt cli_config_opts[];
int cli_config(const cli_args *args);
int cli_audit(const cli_args *args);
int cli_history(const cli_args *args);
extern const cli_opt cli_diff_opts[];
int cli_diff(const cli_args *args);

/* Print "assure CMD: message" and the usage line to stderr; returns ASSURE_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Load the rule sets named by --rules (or the default: the installed rule set, else
 * rules/ of the source tree). Prints every diagnostic to stderr; returns NULL when a
 * path cannot be read or a rule file has errors.
 */
/*
 * The rule set of --rules (or the installed one), with --params files and then --param
 * values applied in the order given; problems are printed and NULL returned.
 */
assure_ruleset *cli_load_rules(const cli_args *args);
/*
 * The same, with the repository's configuration cfg (may be NULL): its rule sets when --rules
 * is not given, and its params before those of --params and --param.
 */
assure_ruleset *cli_load_rules_with(const cli_args *args, const assure_config *cfg);
/*
 * The configuration of a run: assure.json of snap (none when snap is NULL), with the options of
 * the command line that override its keys (the option column of the key table). Problems are
 * printed, with their places, and -1 returned.
 */
int cli_config_load(assure_config **out, const cli_args *args, const assure_snapshot *snap);
/*
 * The rule `id` of rs, or NULL after saying on stderr that there is none, with the id it
 * was probably meant to be (another case, or a slip of a key or two).
 */
const assure_rule *cli_find_rule(const assure_ruleset *rs, const char *cmd, const char *id);
/* The rule set used without --rules: the installed one, or in a build tree the source tree's. */
const char *cli_default_rules(void);
/* Print diagnostics to stderr. */
void cli_print_diags(assure_diags *d);
/* --max-file-size in bytes, or 0 when it is not given. Returns -1 after printing an error. */
int cli_max_file_size(const cli_args *args, const char *cmd, uint64_t *out);
/* --max-findings as a count (0 when not given: the default); -1 after a usage error. */
int cli_max_findings(const cli_args *args, const char *cmd, size_t *out);
/* --as-of, or today (UTC). Returns -1 after printing an error. */
int cli_as_of(const cli_args *args, const char *cmd, int32_t *out);
/*
 * --fail-on as the lowest severity that fails the run: error when absent, ASSURE_SEV_COUNT
 * ("never") for none. Returns -1 after printing an error.
 */
int cli_fail_on(const cli_args *args, const char *cmd, int *out);
/* Whether standard output gets colour: a terminal, and NO_COLOR unset. */
bool cli_color(void);
/*
 * Write len bytes to the file at path whole or not at all: into a temporary file beside it,
 * flushed and closed, then renamed over path (over the file a symbolic link names, keeping the
 * link). What is not a regular file (/dev/stdout, a FIFO) is written as it is. An error names
 * the file ("cannot write 'PATH': REASON") and leaves no temporary file behind. 0 or -1.
 */
int cli_write_file(const char *path, const char *data, size_t len);
/* The same for a file written piece by piece: open, write each piece, close. */
typedef struct cli_out {
	const char *path; /* as given, for errors (borrowed) */
	FILE *f;          /* the temporary file, or path itself when it is not a regular file */
	char *tmp;        /* the temporary file's name, NULL when writing path itself (owned) */
	char *dest;       /* what tmp is renamed to (owned) */
	int err;          /* the first write error, 0 for none */
} cli_out;
/* 0, or -1 with the error set (nothing to close then). */
int cli_out_open(cli_out *o, const char *path);
/* 0, or -1 with the error set once a write has failed (later writes do nothing). */
int cli_out_write(cli_out *o, const char *data, size_t len);
/* Close; keep: rename into place (0, or -1 with the error set), else leave nothing behind. */
int cli_out_close(cli_out *o, bool keep);
/* Write to stdout and flush; a write error (a full disk) sets the error and returns -1. */
int cli_write(const char *text, size_t len);
/* Flush stdout at exit; reports a write error unless cli_write already did. 0 or -1. */
int cli_finish_output(void);

/* The options that choose the rule set and its params, read by cli_load_rules. */
#define CLI_RULE_OPTS                                                                                        \
	{"rules", "DIR", true, "rule set directory or file (default: the installed rule set)"},              \
	    {"param", "NAME=VALUE", true,                                                                    \
	     "set a param of the rule set (a JSON value, or text for a text param): finance.tolerance=0.5"}, \
	{                                                                                                    \
		"params", "FILE", true, "set params from a JSON object shaped like the rule set's params"    \
	}
/* The paths a check leaves out, overriding the "ignore" of assure.json (config.h). */
#define CLI_IGNORE_OPT                                                                                       \
	{                                                                                                    \
		"ignore", "GLOB", true,                                                                      \
		    "leave the files matching GLOB out of the check (instead of the "                        \
		    "repository's assure.json ignore)"                                                       \
	}

/*
 * Where the configuration comes from instead of the checked snapshot's assure.json: a hook or a
 * pipeline run by the assurance team takes its own, so that a submitter's assure.json cannot
 * ignore returns or lower fail_on (cli_config_load).
 */
#define CLI_CONFIG_OPTS                                                                                      \
	{"config", "FILE", false,                                                                            \
	 "take the configuration from FILE (shaped like assure.json) instead of the repository's"},          \
	{                                                                                                    \
		"no-config", NULL, false, "use no assure.json: defaults and the command line only"           \
	}

/* The options with which `audit` and `history` choose and walk commits (cmd_audit.c). */
#define CLI_MAX_FILE_SIZE_OPT                                                                                \
	{                                                                                                    \
		"max-file-size", "SIZE", false,                                                              \
		    "skip, with ASSURE-LIMIT, files larger than SIZE bytes (K, M, G suffixes; default 64M)"  \
	}
/* A number macro as text, for help that states a default the code defines. */
#define CLI_TEXT_(x) #x
#define CLI_TEXT(x)  CLI_TEXT_(x)
#define CLI_MAX_FINDINGS_OPT                                                                                 \
	{                                                                                                    \
		"max-findings", "N", false,                                                                  \
		    "list at most N findings of a rule per file, and count the rest in one ASSURE-LIMIT "    \
		    "finding (default " CLI_TEXT(ASSURE_MAX_FINDINGS) ")"                                    \
	}
#define CLI_WALK_OPTS                                                                                        \
	{"repo", "DIR", false, "the git repository of returns (required)"}, CLI_RULE_OPTS, CLI_IGNORE_OPT,   \
	    CLI_CONFIG_OPTS, CLI_MAX_FILE_SIZE_OPT, CLI_MAX_FINDINGS_OPT,                                    \
	    {"first-parent", NULL, false, "follow first parents only"},                                      \
	    {"since", "DATE", false, "only commits committed on or after DATE (YYYY-MM-DD, UTC)"},           \
	    {"until", "DATE", false, "only commits committed on or before DATE (YYYY-MM-DD, UTC)"},          \
	    {"as-of", "DATE", false,                                                                         \
	     "check every commit as of DATE (default: each commit's committer date)"},                       \
	    {"quiet", NULL, false, "no progress line on standard error"}, CLI_WAIVER_OPTS,                   \
	{                                                                                                    \
		"stats", NULL, false,                                                                        \
		    "print counts of commits, trees, blobs, parses, evaluations and reuse to stderr"         \
	}

/* How a run takes waivers (docs/waivers.md), read by cli_waivers. */
#define CLI_WAIVER_OPTS                                                                                      \
	{"waivers", "FILE", false,                                                                           \
	 "take waivers from FILE instead of the repository's " ASSURE_WAIVERS_FILE},                         \
	    {"no-waivers", NULL, false, "apply no waiver: show and fail on every finding"},                  \
	{                                                                                                    \
		"max-waiver-days", "N", false,                                                               \
		    "a waiver may run at most N days from approval to expiry (default " CLI_TEXT(            \
		        ASSURE_MAX_WAIVER_DAYS) ")"                                                          \
	}
/*
 * --waivers, --no-waivers and --max-waiver-days into *src; *fixed gets the --waivers file's set
 * (the caller frees it), which src->fixed borrows. Returns -1 after printing an error.
 */
int cli_waivers(const cli_args *args, const char *cmd, assure_waiver_source *src, assure_waivers **fixed);

/* A finished walk: the rule set, the repository and the audit, with what a report says about them. */
typedef struct cli_walk {
	assure_config *cfg;      /* assure.json of the range's last commit, and the command line */
	assure_ruleset *rs;      /* loaded from --rules */
	assure_repo *repo;       /* --repo */
	assure_audit *audit;     /* the walk's result */
	assure_audit_meta meta;  /* borrowed from the above and from argv */
	size_t unreadable;       /* walked commits with a file whose content could not be read */
	assure_waivers *waivers; /* the --waivers file's, which the audit's options borrow */
} cli_walk;

/*
 * The exit code of a run that read a repository, given the one its findings call for: a file
 * whose content the repository could not give is damage, not a finding about a return.
 */
int cli_unreadable_exit(size_t unreadable, bool commits, assure_repo *repo, int rc);
/*
 * Note on stderr what the snapshot left out because it is no file (submodules, symbolic links,
 * FIFOs; assure_snapshot_skipped), so that an operator knows what was not looked at.
 */
void cli_note_skipped(const assure_snapshot *snap);

/*
 * Parse CLI_WALK_OPTS (and --paths when with_paths), load the rules, open the repository
 * and walk it, drawing progress on a terminal and printing --stats. Returns an exit code;
 * free with cli_walk_free whatever it returns.
 */
int cli_walk_run(cli_walk *w, const cli_args *args, const char *cmd, bool with_paths);
void cli_walk_free(cli_walk *w);

#endif
