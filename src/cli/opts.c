/* opts.c: table-driven option parsing for the assure commands (see opts.h). */
#include "cli/opts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Levenshtein distance of a[0, la) and b, with one row of memory. */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b);
	size_t *row = calloc(lb + 1, sizeof(size_t));
	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *cli_did_you_mean(const char *word, size_t len, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; n ? i < n : names[i] != NULL; i++) {
		size_t d = edit_distance(word, len, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	/* a slip: one or two keys, and not most of a short word */
	size_t limit = len <= 4 ? 1 : 2;
	return best && best_d <= limit ? best : NULL;
}

static long find(const cli_opt *opts, const char *name, size_t len)
{
	for (long i = 0; opts[i].name; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return i;
	return -1;
}

/*
 * For an argument that is no option but names a file or folder (a return called -x.json), how
 * to give it: it is never taken for the path it names, nor for the option it resembles.
 */
static bool names_path(const char *arg)
{
	struct stat st;
	return lstat(arg, &st) == 0;
}

static void unknown_option(const char *cmd, const char *arg)
{
	fprintf(stderr, "assure %s: unknown option '%s'", cmd, arg);
	if (names_path(arg))
		fprintf(stderr, " (a path that starts with '-' goes after --, or as './%s')", arg);
	fputc('\n', stderr);
}

int cli_parse(cli_args *out, const char *cmd, const cli_opt *opts, int argc, char **argv)
{
	memset(out, 0, sizeof(*out));
	out->opts = opts;
	bool only_positional = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (only_positional || a[0] != '-' || a[1] == '\0') {
			if (out->npositional == CLI_MAX_VALUES) {
				fprintf(stderr, "assure %s: too many arguments\n", cmd);
				return -1;
			}
			out->positional[out->npositional++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			out->help = true;
			continue;
		}
		if (a[1] != '-') {
			unknown_option(cmd, a);
			return -1;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		long k = find(opts, name, len);
		if (k < 0) {
			const char *names[CLI_MAX_OPTS + 1];
			size_t n = 0;
			for (; n < CLI_MAX_OPTS && opts[n].name; n++)
				names[n] = opts[n].name;
			names[n] = NULL; /* with n == 0, cli_did_you_mean reads up to a NULL */
			const char *near = cli_did_you_mean(name, len, names, n);
			if (names_path(a))
				unknown_option(cmd, a);
			else if (near)
				fprintf(stderr, "assure %s: unknown option '--%.*s' (did you mean '--%s'?)\n",
				        cmd, (int)len, name, near);
			else
				fprintf(stderr, "assure %s: unknown option '--%.*s'\n", cmd, (int)len, name);
			return -1;
		}
		const char *value = NULL;
		if (opts[k].arg) {
			if (eq) {
				value = eq + 1;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				fprintf(stderr, "assure %s: option '--%s' needs a value (%s)\n", cmd,
				        opts[k].name, opts[k].arg);
				return -1;
			}
		} else if (eq) {
			fprintf(stderr, "assure %s: option '--%s' takes no value\n", cmd, opts[k].name);
			return -1;
		}
		if (out->counts[k] && !opts[k].repeatable && opts[k].arg) {
			fprintf(stderr, "assure %s: option '--%s' given twice\n", cmd, opts[k].name);
			return -1;
		}
		if (out->counts[k] == CLI_MAX_VALUES) {
			fprintf(stderr, "assure %s: option '--%s' given more than %d times\n", cmd,
			        opts[k].name, CLI_MAX_VALUES);
			return -1;
		}
		out->order[k][out->counts[k]] = i;
		out->values[k][out->counts[k]++] = value ? value : "";
	}
	return 0;
}

const char *cli_get(const cli_args *a, const char *name)
{
	long k = find(a->opts, name, strlen(name));
	return k >= 0 && a->counts[k] ? a->values[k][a->counts[k] - 1] : NULL;
}

bool cli_flag(const cli_args *a, const char *name)
{
	long k = find(a->opts, name, strlen(name));
	return k >= 0 && a->counts[k] > 0;
}

size_t cli_all(const cli_args *a, const char *name, const char *const **values)
{
	long k = find(a->opts, name, strlen(name));
	if (k < 0)
		return 0;
	*values = a->values[k];
	return a->counts[k];
}

void cli_print_options(const cli_opt *opts, cli_opt_choices_fn choices)
{
	const char *name, *description;
	for (const cli_opt *o = opts; o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-24s %s", left, o->help);
		for (size_t i = 0; choices && choices(o->name, i, &name, &description); i++)
			printf("%s%s", i ? ", " : ": ", name);
		printf("%s\n", o->repeatable ? " (repeatable)" : "");
	}
	printf("  %-24s %s\n", "-h, --help", "show this help");
	for (const cli_opt *o = opts; choices && o->name; o++)
		for (size_t i = 0; choices(o->name, i, &name, &description); i++) {
			if (i == 0)
				printf("\nvalues of --%s:\n", o->name);
			printf("  %-10s %s\n", name, description);
		}
}
