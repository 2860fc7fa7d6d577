/* cmd_history.c: `assure history`, the intervals in which each finding was open (history.h). */
#include "cli/cli.h"

#include "assure/history.h"

#include <stdio.h>
#include <string.h>

const cli_opt cli_history_opts[] = {
    CLI_WALK_OPTS,
    {"rule", "ID", false, "only findings of rule ID"},
    {"subject", "S", false, "only findings about subject S"},
    {"path", "P", false, "only findings in the file P (a glob)"},
    {"format", "FMT", false, "text (default) or json"},
    {NULL, NULL, false, NULL},
};

int cli_history(const cli_args *args)
{
	const char *fmt = cli_get(args, "format");
	if (fmt && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage_error("history", "unknown format '%s' (text, json)", fmt);
	cli_walk w;
	int rc = cli_walk_run(&w, args, "history", false);
	if (rc != ASSURE_EXIT_OK) {
		cli_walk_free(&w);
		return rc;
	}
	assure_history_filter f = {cli_get(args, "rule"), cli_get(args, "subject"), cli_get(args, "path")};
	assure_buf out = ASSURE_BUF_INIT;
	if (fmt && strcmp(fmt, "json") == 0)
		rc = assure_history_json(&out, w.audit, &f, &w.meta);
	else
		rc = assure_history_text(&out, w.audit, &f, &w.meta);
	if (rc == 0)
		rc = cli_write(out.ptr, out.len);
	if (rc < 0)
		fprintf(stderr, "assure: %s\n", assure_error_last());
	rc = rc < 0 ? ASSURE_EXIT_USAGE : cli_unreadable_exit(w.unreadable, true, w.repo, ASSURE_EXIT_OK);
	assure_buf_free(&out);
	cli_walk_free(&w);
	return rc;
}
