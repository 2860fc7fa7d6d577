/* cmd_rules.c: `assure rules lint` and `assure rules list`. */
#include "cli/cli.h"

#include "assure/decimal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_opt cli_rules_opts[] = {
    CLI_RULE_OPTS,
    {NULL, NULL, false, NULL},
};

static int lint(const cli_args *args)
{
	const char *fallback[] = {cli_default_rules()};
	const char *const *paths = args->positional + 1;
	size_t n = args->npositional - 1;
	const char *const *given;
	size_t ngiven = cli_all(args, "rules", &given);
	if (n == 0 && ngiven) {
		paths = given;
		n = ngiven;
	} else if (n == 0) {
		paths = fallback;
		n = 1;
	}
	assure_ruleset *rs;
	assure_diags *diags;
	assure_ruleset_new(&rs);
	assure_diags_new(&diags);
	int rc = ASSURE_EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (assure_ruleset_load(rs, paths[i], diags) < 0) {
			fprintf(stderr, "assure: %s\n", assure_error_last());
			rc = ASSURE_EXIT_USAGE;
		}
	cli_print_diags(diags);
	size_t nd = assure_diags_count(diags);
	if (nd) {
		/* diagnostics are sorted by file, so counting changes of name counts the files */
		size_t nf = 0;
		for (size_t i = 0; i < nd; i++) {
			const char *f = assure_diags_get(diags, i)->file;
			const char *prev = i ? assure_diags_get(diags, i - 1)->file : NULL;
			if (i == 0 || strcmp(prev ? prev : "", f ? f : "") != 0)
				nf++;
		}
		size_t total = assure_ruleset_file_count(rs);
		if (nf == total)
			fprintf(stderr, "%zu %s in %zu rule %s\n", nd, nd == 1 ? "problem" : "problems", nf,
			        nf == 1 ? "file" : "files");
		else
			fprintf(stderr, "%zu %s in %zu of %zu rule files\n", nd,
			        nd == 1 ? "problem" : "problems", nf, total);
		rc = ASSURE_EXIT_USAGE;
	} else if (rc == ASSURE_EXIT_OK) {
		printf("%zu rules in %zu %s: no problems\n", assure_ruleset_count(rs),
		       assure_ruleset_file_count(rs), assure_ruleset_file_count(rs) == 1 ? "file" : "files");
	}
	assure_diags_free(diags);
	assure_ruleset_free(rs);
	return rc;
}

static int list(const cli_args *args)
{
	if (args->npositional > 1)
		return cli_usage_error("rules", "'rules list' takes no arguments; use --rules DIR");
	assure_ruleset *rs = cli_load_rules(args);
	if (!rs)
		return ASSURE_EXIT_USAGE;
	for (size_t i = 0; i < assure_ruleset_count(rs); i++) {
		const assure_rule *r = assure_ruleset_rule(rs, i);
		printf("%-12s %-8s %-12s %s\n", r->id, assure_severity_name(r->severity), r->domain,
		       r->title);
	}
	assure_ruleset_free(rs);
	return ASSURE_EXIT_OK;
}

/* Compact JSON, numbers as the rules read them (exactly: 0.05, not 0.050000000000000003). */
static void print_value(json_t *v)
{
	if (json_is_number(v)) {
		assure_dec d;
		assure_dec_init(&d);
		if (assure_dec_from_json(&d, v) == 0) {
			char *t = assure_dec_format(&d);
			fputs(t, stdout);
			free(t);
		}
		assure_dec_clear(&d);
		return;
	}
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	fputs(t ? t : "?", stdout);
	free(t);
}

static void print_param(const char *dotted, json_t *value, const char *origin, void *payload)
{
	(void)payload;
	printf("%s = ", dotted);
	print_value(value);
	printf("    (%s)\n", origin);
}

static int params(const cli_args *args)
{
	if (args->npositional > 1)
		return cli_usage_error("rules",
		                       "'rules params' takes no arguments; use --rules, --params, --param");
	assure_ruleset *rs = cli_load_rules(args);
	if (!rs)
		return ASSURE_EXIT_USAGE;
	assure_ruleset_params_each(rs, print_param, NULL);
	assure_ruleset_free(rs);
	return ASSURE_EXIT_OK;
}

/* The subcommands of `rules`, one table for dispatch and messages. */
static const struct {
	const char *name;
	int (*fn)(const cli_args *);
} subcommands[] = {
    {"lint", lint},
    {"list", list},
    {"params", params},
};

int cli_rules(const cli_args *args)
{
	size_t n = sizeof(subcommands) / sizeof(subcommands[0]);
	if (args->npositional == 0)
		return cli_usage_error("rules", "say 'lint', 'list' or 'params'");
	for (size_t i = 0; i < n; i++)
		if (strcmp(args->positional[0], subcommands[i].name) == 0)
			return subcommands[i].fn(args);
	return cli_usage_error("rules", "unknown subcommand '%s' (lint, list, params)", args->positional[0]);
}
