/* opts.c: table-driven option parsing for the assure commands (see opts.h). */
#include "cli/opts.h"

#include <stdio.h>
#include <string.h>

static long find(const cli_opt *opts, const char *name, size_t len)
{
	for (long i = 0; opts[i].name; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return i;
	return -1;
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
			fprintf(stderr, "assure %s: unknown option '%s'\n", cmd, a);
			return -1;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		long k = find(opts, name, len);
		if (k < 0) {
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
		if (out->counts[k] < CLI_MAX_VALUES)
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

void cli_print_options(const cli_opt *opts)
{
	for (const cli_opt *o = opts; o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-24s %s%s\n", left, o->help, o->repeatable ? " (repeatable)" : "");
	}
	printf("  %-24s %s\n", "-h, --help", "show this help");
}
