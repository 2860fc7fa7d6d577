/*
 * opts.h: one option table per command drives both argument parsing and --help.
 *
 * Ownership: parsed values point into argv (borrowed); repeatable options collect
 * into arrays owned by the parse result.
 */
#ifndef ASSURE_CLI_OPTS_H
#define ASSURE_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cli_opt {
	const char *name; /* long name without dashes: "repo" */
	const char *arg;  /* name of its argument ("DIR"), or NULL for a flag */
	bool repeatable;  /* may be given more than once */
	const char *help; /* one line */
} cli_opt;

#define CLI_MAX_OPTS   32
#define CLI_MAX_VALUES 64

typedef struct cli_args {
	const cli_opt *opts;                              /* the table (borrowed), terminated by name NULL */
	const char *values[CLI_MAX_OPTS][CLI_MAX_VALUES]; /* values given per option */
	size_t counts[CLI_MAX_OPTS];                      /* how many times each was given */
	/* the place in argv of each value, so that a command can pair options given in turn
	   (check's --output with the --format before it) */
	int order[CLI_MAX_OPTS][CLI_MAX_VALUES];
	const char *positional[CLI_MAX_VALUES]; /* other arguments */
	size_t npositional;
	bool help; /* -h or --help was given */
} cli_args;

/* Parse argv[0..argc) against opts; on error prints "assure CMD: ..." and returns -1. */
int cli_parse(cli_args *out, const char *cmd, const cli_opt *opts, int argc, char **argv);
/* The last value of an option, or NULL. */
const char *cli_get(const cli_args *a, const char *name);
bool cli_flag(const cli_args *a, const char *name);
/* All values of a repeatable option. */
size_t cli_all(const cli_args *a, const char *name, const char *const **values);
/*
 * The name among `names` (n of them, or up to a NULL when n is 0) nearest to `word` by edit
 * distance, when it is near enough to be a slip of the keyboard ("chek" for "check"), else NULL.
 */
const char *cli_did_you_mean(const char *word, size_t len, const char *const *names, size_t n);
/*
 * The i-th value of an option that takes a fixed set, with its description (cli.h's
 * cli_choices_fn); false past the last one.
 */
typedef bool (*cli_opt_choices_fn)(const char *option, size_t i, const char **name, const char **description);
/*
 * Print the option table; `choices` (or NULL) gives the values of the options that take a fixed
 * set: their names follow the option's help, and a list of them with their descriptions follows
 * the table.
 */
void cli_print_options(const cli_opt *opts, cli_opt_choices_fn choices);

#endif
