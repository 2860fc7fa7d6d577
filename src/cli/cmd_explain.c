/* cmd_explain.c: `assure explain RULE-ID`, everything a rule carries and its examples at work. */
/* realpath() is X/Open */
#define _XOPEN_SOURCE 700
#include "cli/cli.h"

#include "assure/buf.h"
#include "assure/date.h"
#include "assure/engine.h"
#include "assure/repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const cli_opt cli_explain_opts[] = {
    CLI_RULE_OPTS,
    {NULL, NULL, false, NULL},
};

/* Width of the label column: the longest label of the rule, so long let names still align. */
static int label_width = 12;

static void field(const char *label, const char *text)
{
	if (text && *text)
		printf("%-*s %s\n", label_width, label, text);
}

static void section(const char *label, const char *text)
{
	if (text && *text)
		printf("\n%s\n  %s\n", label, text);
}

/* Example paths are relative to the rule file's directory. */
static char *example_path(const assure_rule *r, const char *rel)
{
	assure_buf b = ASSURE_BUF_INIT;
	const char *slash = strrchr(r->file, '/');
	if (rel[0] != '/' && slash)
		assure_buf_printf(&b, "%.*s/", (int)(slash - r->file), r->file);
	assure_buf_puts(&b, rel);
	return assure_buf_detach(&b);
}

/* The example's folder as a reader can open it: relative to here when it is below here. */
static char *display_path(const char *path)
{
	char *real = realpath(path, NULL), cwd[4096];
	if (!real)
		return assure_xstrdup(path);
	size_t n = getcwd(cwd, sizeof(cwd)) ? strlen(cwd) : 0;
	if (n && strncmp(real, cwd, n) == 0 && real[n] == '/') {
		char *rel = assure_xstrdup(real + n + 1);
		free(real);
		return rel;
	}
	return real;
}

/*
 * Check the example with the whole rule set and print this rule's findings on it.
 * Returns how many findings of the rule it raised, or -1 when it could not be checked.
 */
static long run_example(const assure_ruleset *rs, const assure_rule *r, const char *label, const char *rel)
{
	char *path = example_path(r, rel);
	char *shown_path = display_path(path);
	printf("\n%s: %s\n", label, shown_path);
	free(shown_path);
	long result = -1;
	assure_snapshot *snap = NULL;
	assure_engine *engine = NULL;
	assure_findings *findings = NULL;
	const char *paths[] = {path};
	int32_t as_of = 0;
	if (r->example_as_of && assure_date_parse_iso(&as_of, r->example_as_of) < 0)
		as_of = 0;
	if (assure_snapshot_from_paths(&snap, paths, 1) < 0) {
		printf("  (cannot read the example: %s)\n", assure_error_last());
		goto done;
	}
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	opts.as_of = as_of;
	assure_engine_new(&engine, rs);
	assure_findings_new(&findings);
	assure_engine_check(engine, snap, &opts, findings, NULL);
	assure_findings_sort(findings);
	size_t shown = 0;
	for (size_t i = 0; i < assure_findings_count(findings); i++) {
		const assure_finding *f = assure_findings_get(findings, i);
		if (strcmp(f->rule_id, r->id) != 0)
			continue;
		printf("  %s:%d:%d: %s: [%s] %s\n", f->path, f->line, f->column,
		       assure_severity_name(f->severity), f->rule_id, f->message);
		shown++;
	}
	if (!shown)
		printf("  no %s finding\n", r->id);
	result = (long)shown;
done:
	assure_findings_free(findings);
	assure_engine_free(engine);
	assure_snapshot_free(snap);
	free(path);
	return result;
}

int cli_explain(const cli_args *args)
{
	if (args->npositional != 1)
		return cli_usage_error("explain", "give one rule id");
	assure_ruleset *rs = cli_load_rules(args);
	if (!rs)
		return ASSURE_EXIT_USAGE;
	const assure_rule *r = cli_find_rule(rs, "explain", args->positional[0]);
	if (!r) {
		assure_ruleset_free(rs);
		return ASSURE_EXIT_USAGE;
	}
	printf("%s: %s\n\n", r->id, r->title);
	label_width = 12;
	for (size_t i = 0; i < r->let_count; i++) {
		int w = (int)strlen(r->let_names[i]) + (r->each_name && i == 0 ? 5 : 4);
		if (w > label_width)
			label_width = w;
	}
	for (size_t i = 0; i < r->group_by_count; i++) {
		int w = (int)strlen(r->group_by_names[i]) + 9;
		if (w > label_width)
			label_width = w;
	}
	field("severity", assure_severity_name(r->severity));
	field("domain", r->domain);
	field("kind", r->kind);
	for (size_t i = 0; i < r->path_count; i++)
		field(i ? "" : "paths", r->paths[i]);
	if (r->paths_param)
		printf("%-*s (params.%s)\n", label_width, "", r->paths_param);
	static const char *const scopes[] = {
	    [ASSURE_SCOPE_RETURN] = "return",
	    [ASSURE_SCOPE_SNAPSHOT] = "snapshot",
	    [ASSURE_SCOPE_GROUP] = "group",
	};
	field("scope", scopes[r->scope]);
	for (size_t i = 0; i < r->group_kind_count; i++)
		field(i ? "" : "group kind", r->group_kinds[i]);
	if (r->group_where)
		field("group where", assure_expr_source(r->group_where));
	for (size_t i = 0; i < r->group_by_count; i++) {
		char label[300];
		snprintf(label, sizeof(label), "group by %s", r->group_by_names[i]);
		field(label, assure_expr_source(r->group_by[i]));
	}
	field("for each", assure_jsonpath_text(r->for_each));
	for (size_t i = 0; i < r->let_count; i++) {
		char label[300];
		bool each = r->each_name && i == 0;
		snprintf(label, sizeof(label), "%s %s", each ? "each" : "let", r->let_names[i]);
		field(label, assure_expr_source(each ? r->each_expr : r->lets[i]));
	}
	if (r->when)
		field("when", assure_expr_source(r->when));
	field("assert", assure_expr_source(r->assert_expr));
	field("message", assure_template_source(r->message));
	if (r->subject)
		field("subject", assure_expr_source(r->subject));
	printf("%-*s %s:%d\n", label_width, "defined in", r->file, r->line);
	section("Description", r->description);
	section("Rationale", r->rationale);
	section("Reference", r->reference);
	section("What to do", r->help);
	if (r->example_as_of)
		printf("\nExamples are checked as of %s.\n", r->example_as_of);
	/* Examples that do not behave as the rule says are a broken rule: exit 1, as for a finding. */
	int rc = ASSURE_EXIT_OK;
	if (r->example_fail && run_example(rs, r, "Example that raises it", r->example_fail) <= 0) {
		fprintf(stderr, "assure explain: the example that should raise %s does not\n", r->id);
		rc = ASSURE_EXIT_FINDINGS;
	}
	if (r->example_pass && run_example(rs, r, "Example that passes", r->example_pass) != 0) {
		fprintf(stderr, "assure explain: the example that should pass %s does not\n", r->id);
		rc = ASSURE_EXIT_FINDINGS;
	}
	assure_ruleset_free(rs);
	return rc;
}
