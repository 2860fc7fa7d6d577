/* common.c: helpers shared by the assure commands (see cli.h). */
#include "cli/cli.h"

#include "assure/date.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void cli_print_diags(assure_diags *d)
{
	assure_diags_sort(d);
	for (size_t i = 0; i < assure_diags_count(d); i++) {
		char *s = assure_diag_format(assure_diags_get(d, i));
		fputs(s, stderr);
		if (*s && s[strlen(s) - 1] != '\n')
			fputc('\n', stderr);
		free(s);
	}
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

assure_ruleset *cli_load_rules(const cli_args *args)
{
	const char *const *paths;
	size_t n = cli_all(args, "rules", &paths);
	const char *fallback[1];
	if (n == 0) {
		/* the installed rule set first; in a build tree, the source tree's rules/ */
		fallback[0] =
		    is_dir(ASSURE_RULES_INSTALL_DIR) ? ASSURE_RULES_INSTALL_DIR : ASSURE_SOURCE_DIR "/rules";
		paths = fallback;
		n = 1;
	}
	assure_ruleset *rs;
	assure_diags *diags;
	assure_ruleset_new(&rs);
	assure_diags_new(&diags);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (assure_ruleset_load(rs, paths[i], diags) < 0) {
			fprintf(stderr, "assure: %s\n", assure_error_last());
			rc = -1;
		}
	cli_print_diags(diags);
	if (rc == 0 && assure_diags_count(diags) > 0) {
		fprintf(stderr,
		        "assure: the rule set has %zu %s; run 'assure rules lint' for the full list\n",
		        assure_diags_count(diags), assure_diags_count(diags) == 1 ? "error" : "errors");
		rc = -1;
	}
	assure_diags_free(diags);
	if (rc < 0) {
		assure_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

int cli_as_of(const cli_args *args, const char *cmd, int32_t *out)
{
	const char *s = cli_get(args, "as-of");
	if (!s) {
		*out = assure_date_from_unix((long long)time(NULL));
		return 0;
	}
	if (assure_date_parse_iso(out, s) < 0) {
		cli_usage_error(cmd, "--as-of must be a date YYYY-MM-DD, not '%s'", s);
		return -1;
	}
	return 0;
}

int cli_fail_on(const cli_args *args, const char *cmd, int *out)
{
	const char *s = cli_get(args, "fail-on");
	assure_severity sev;
	if (!s) {
		*out = ASSURE_SEV_ERROR;
		return 0;
	}
	if (strcmp(s, "none") == 0) {
		*out = ASSURE_SEV_COUNT;
		return 0;
	}
	if (assure_severity_parse(&sev, s) < 0) {
		cli_usage_error(cmd, "--fail-on must be error, warning, info or none, not '%s'", s);
		return -1;
	}
	*out = (int)sev;
	return 0;
}

bool cli_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

/* Set once a write has failed and been reported, so that main does not report it again. */
static bool write_failed;

int cli_write(const char *text, size_t len)
{
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0 || ferror(stdout)) {
		write_failed = true;
		return assure_error_set("cannot write output: %s", strerror(errno));
	}
	return 0;
}

int cli_finish_output(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (!write_failed)
		fprintf(stderr, "assure: cannot write output: %s\n", strerror(errno));
	write_failed = true;
	return -1;
}
