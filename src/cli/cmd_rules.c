/* cmd_rules.c: `assure rules lint` and `assure rules list`. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

const cli_opt cli_rules_opts[] = {
    {"rules", "DIR", true, "rule set to list (default: the installed rule set)"},
    {NULL, NULL, false, NULL},
};

static int lint(const cli_args *args)
{
	const char *fallback[] = {ASSURE_SOURCE_DIR "/rules"};
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

int cli_rules(const cli_args *args)
{
	if (args->npositional == 0)
		return cli_usage_error("rules", "say 'lint' or 'list'");
	if (strcmp(args->positional[0], "lint") == 0)
		return lint(args);
	if (strcmp(args->positional[0], "list") == 0)
		return list(args);
	return cli_usage_error("rules", "unknown subcommand '%s' (lint, list)", args->positional[0]);
}
