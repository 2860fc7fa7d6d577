/* common.c: helpers shared by the assure commands (see cli.h). */
/* realpath() is X/Open */
#define _XOPEN_SOURCE 700
#include "cli/cli.h"

#include "assure/date.h"
#include "assure/doc.h"
#include "assure/error.h"
#include "assure/file.h"
#include "assure/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

static int params_file(assure_ruleset *rs, const char *file)
{
	char *text = NULL;
	size_t len = 0;
	/* a FIFO or a folder named as the params file is refused, never waited on (file.h) */
	if (assure_file_read(file, &text, &len) < 0) {
		fprintf(stderr, "assure: params file: %s\n", assure_error_last());
		return -1;
	}
	assure_doc *doc = NULL;
	int line = 0, col = 0, rc = 0;
	if (assure_doc_parse(&doc, text, len, &line, &col) < 0) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", file, line, col, assure_error_last());
		rc = -1;
	} else if (!json_is_object(assure_doc_root(doc))) {
		fprintf(
		    stderr,
		    "%s:1:1: error: a params file must be a JSON object shaped like the rule set's params\n",
		    file);
		rc = -1;
	} else {
		assure_diags *diags;
		assure_diags_new(&diags);
		rc = assure_ruleset_set_params(rs, assure_doc_root(doc), file, doc, file, "", false, diags);
		cli_print_diags(diags);
		assure_diags_free(diags);
	}
	assure_doc_free(doc);
	free(text);
	return rc;
}

/* NAME=VALUE: VALUE is JSON, except that a text param takes the text as it is. */
static int param_arg(assure_ruleset *rs, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		fprintf(stderr, "assure: --param must be NAME=VALUE (finance.tolerance=0.5), not '%s'\n",
		        arg);
		return -1;
	}
	char *name = assure_xstrndup(arg, (size_t)(eq - arg));
	json_t *have = assure_ruleset_param(rs, name);
	json_t *value = NULL;
	if (json_is_string(have)) {
		value = json_string(eq + 1);
	} else {
		json_error_t err;
		value = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	}
	int rc = 0;
	if (!value && have) {
		fprintf(stderr,
		        "assure: --param %s: '%s' is not a JSON value (write text params as they are, "
		        "numbers as 0.5, lists as [\"a\", \"b\"])\n",
		        name, eq + 1);
		rc = -1;
	} else if (assure_ruleset_set_param(rs, name, value ? value : json_null(), "--param") < 0) {
		fprintf(stderr, "assure: --param: %s\n", assure_error_last());
		rc = -1;
	}
	json_decref(value);
	free(name);
	return rc;
}

static int apply_params(assure_ruleset *rs, const cli_args *args)
{
	const char *const *files, *const *values;
	size_t nf = cli_all(args, "params", &files), nv = cli_all(args, "param", &values);
	int rc = 0;
	for (size_t i = 0; i < nf; i++)
		rc |= params_file(rs, files[i]);
	for (size_t i = 0; i < nv; i++)
		rc |= param_arg(rs, values[i]);
	return rc ? -1 : 0;
}

const char *cli_default_rules(void)
{
	/*
	 * Beside the binary first (<prefix>/bin/assure reads <prefix>/share/assure/rules), so that
	 * an installation that was unpacked or moved finds its own rules; then where it was
	 * installed to; then, in a build tree, the source tree's rules/.
	 */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			static char beside[4096 + 32]; /* returned, so it outlives the call */
			*slash = '\0';
			snprintf(beside, sizeof(beside), "%s/../share/assure/rules", exe);
			if (is_dir(beside))
				return beside;
		}
	}
	return is_dir(ASSURE_RULES_INSTALL_DIR) ? ASSURE_RULES_INSTALL_DIR : ASSURE_SOURCE_DIR "/rules";
}

/* An installed rule set's name (no '/'), as assure.json gives it: its folder among the installed. */
static char *rule_set_path(const char *name)
{
	if (name[0] == '/')
		return assure_xstrdup(name);
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_printf(&b, "%s/%s", cli_default_rules(), name);
	return assure_buf_detach(&b);
}

assure_ruleset *cli_load_rules(const cli_args *args)
{
	return cli_load_rules_with(args, NULL);
}

assure_ruleset *cli_load_rules_with(const cli_args *args, const assure_config *cfg)
{
	const char *const *paths;
	size_t n = cli_all(args, "rules", &paths);
	const char *fallback[1];
	char **named = NULL; /* the rule sets assure.json names, as paths */
	if (n == 0 && cfg && strcmp(assure_config_origin(cfg, ASSURE_CONFIG_RULES), "default") != 0) {
		const char *const *names = assure_config_strings(cfg, ASSURE_CONFIG_RULES, &n);
		named = assure_xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			named[i] = rule_set_path(names[i]);
		paths = (const char *const *)named;
	}
	bool defaulted = n == 0;
	if (defaulted) {
		fallback[0] = cli_default_rules();
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
			if (defaulted) /* a binary moved out of its build or installation finds none of its
			                  own */
				fprintf(
				    stderr,
				    "assure: no rule set was given and none is installed beside this binary: "
				    "give one with --rules DIR\n");
			rc = -1;
		}
	for (size_t i = 0; named && named[i]; i++)
		free(named[i]);
	free(named);
	cli_print_diags(diags);
	if (rc == 0 && assure_diags_count(diags) > 0) {
		fprintf(stderr,
		        "assure: the rule set has %zu %s; run 'assure rules lint' for the full list\n",
		        assure_diags_count(diags), assure_diags_count(diags) == 1 ? "error" : "errors");
		rc = -1;
	}
	assure_diags_free(diags);
	if (rc == 0 && cfg) {
		/* the repository's params first, so that --params and --param override them */
		assure_diags_new(&diags);
		rc = assure_config_apply_params(cfg, rs, diags);
		cli_print_diags(diags);
		assure_diags_free(diags);
	}
	if (rc == 0)
		rc = apply_params(rs, args);
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

int cli_out_open(cli_out *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	struct stat st;
	/* what is not a regular file (a terminal, a pipe, /dev/stdout) cannot be renamed over */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		o->f = fopen(path, "wb");
		if (!o->f)
			return assure_error_set("cannot write '%s': %s", path, strerror(errno));
		return 0;
	}
	/* a symbolic link to a file: the file is replaced, the link stays */
	char *target = realpath(path, NULL);
	const char *dest = target ? target : path;
	/* beside the file, so that the rename stays on one file system and is atomic */
	size_t plen = strlen(dest);
	o->tmp = assure_xmalloc(plen + sizeof(".tmp-XXXXXX"));
	memcpy(o->tmp, dest, plen);
	memcpy(o->tmp + plen, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
	o->dest = assure_xstrdup(dest);
	free(target);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		assure_error_set("cannot write '%s': %s", path, strerror(errno));
		free(o->tmp);
		free(o->dest);
		o->tmp = o->dest = NULL;
		return -1;
	}
	/* mkstemp makes it private; a report gets the mode any new file would (0666 less the umask) */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "wb"))) {
		o->err = errno;
		close(fd);
	}
	return 0;
}

int cli_out_write(cli_out *o, const char *data, size_t len)
{
	errno = 0;
	if (!o->err && o->f && fwrite(data, 1, len, o->f) != len)
		o->err = errno ? errno : EIO;
	return o->err ? assure_error_set("cannot write '%s': %s", o->path, strerror(o->err)) : 0;
}

int cli_out_close(cli_out *o, bool keep)
{
	if (o->f && fclose(o->f) != 0 && !o->err)
		o->err = errno;
	o->f = NULL;
	if (o->tmp && keep && !o->err && rename(o->tmp, o->dest) != 0)
		o->err = errno;
	if (o->tmp && (o->err || !keep))
		unlink(o->tmp);
	free(o->tmp);
	free(o->dest);
	o->tmp = o->dest = NULL;
	return keep && o->err ? assure_error_set("cannot write '%s': %s", o->path, strerror(o->err)) : 0;
}

int cli_write_file(const char *path, const char *data, size_t len)
{
	cli_out o;
	if (cli_out_open(&o, path) < 0)
		return -1;
	cli_out_write(&o, data, len);
	return cli_out_close(&o, true);
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

int cli_unreadable_exit(size_t unreadable, bool commits, assure_repo *repo, int rc)
{
	if (!unreadable)
		return rc;
	const char *what = commits ? (unreadable == 1 ? "commit has a file that" : "commits have a file that")
	                           : (unreadable == 1 ? "file" : "files");
	assure_repo_stats st = {0};
	if (repo)
		assure_repo_get_stats(repo, &st);
	fprintf(stderr,
	        "assure: %zu %s could not be read (the ASSURE-PARSE findings say which and why): the "
	        "repository is damaged or incomplete, and so is the run; %s\n",
	        unreadable, what,
	        st.lfs_pointers ? "some files are Git LFS pointers, whose content the repository does not "
	                          "hold, and 'git fsck' names anything else that is missing"
	                        : "'git fsck' names what is missing");
	return ASSURE_EXIT_USAGE;
}

/* At most this many notes about entries that are not files, then a count of the rest. */
#define SKIPPED_NOTES 10

void cli_note_skipped(const assure_snapshot *snap)
{
	assure_skipped *skipped = NULL;
	size_t n = 0;
	/* a tree that cannot be walked has already failed the run, or will: say nothing here */
	if (assure_snapshot_skipped(snap, &skipped, &n) < 0)
		return;
	for (size_t i = 0; i < n && i < SKIPPED_NOTES; i++) {
		/* the name is the submitter's: shown as text, so that it cannot forge a line */
		assure_buf name = ASSURE_BUF_INIT;
		assure_buf_put_visible(&name, skipped[i].path);
		switch (skipped[i].kind) {
		case ASSURE_SKIP_SUBMODULE:
			if (skipped[i].oid[0])
				fprintf(
				    stderr,
				    "assure: note: '%s' is a submodule (commit %.12s): not followed, so its "
				    "files are not checked (check its own repository)\n",
				    name.ptr, skipped[i].oid);
			else
				fprintf(stderr,
				        "assure: note: '%s' is another repository (it holds .git): not "
				        "followed, so "
				        "its files are not checked (check it on its own)\n",
				        name.ptr);
			break;
		case ASSURE_SKIP_SYMLINK:
			fprintf(stderr,
			        "assure: note: '%s' is a symbolic link: not followed, so what it points at "
			        "is not "
			        "checked (name the target to check it)\n",
			        name.ptr);
			break;
		case ASSURE_SKIP_SPECIAL:
			fprintf(
			    stderr,
			    "assure: note: '%s' is not a regular file (a FIFO, socket or device): not read\n",
			    name.ptr);
			break;
		}
		assure_buf_free(&name);
	}
	if (n > SKIPPED_NOTES)
		fprintf(stderr, "assure: note: and %zu more entries that are not files were left out\n",
		        n - SKIPPED_NOTES);
	assure_skipped_free(skipped, n);
}

/* A positive decimal number at the start of s, *end after it; 0 for none, a sign, zero or one out of range.
 */
static unsigned long long positive_number(const char *s, char **end)
{
	errno = 0;
	unsigned long long n = strtoull(s, end, 10);
	if (*end == s || errno || *s == '-' || n == 0) {
		*end = (char *)s;
		return 0;
	}
	return n;
}

int cli_max_file_size(const cli_args *args, const char *cmd, uint64_t *out)
{
	*out = 0;
	const char *s = cli_get(args, "max-file-size");
	if (!s)
		return 0;
	char *end;
	unsigned long long n = positive_number(s, &end);
	unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	if (shift)
		end++;
	if (n == 0 || *end || n > (UINT64_MAX >> shift)) {
		cli_usage_error(cmd,
		                "--max-file-size must be a positive number of bytes, with K, M or G "
		                "for 1024, 1024^2 or 1024^3 (64M), not '%s'",
		                s);
		return -1;
	}
	*out = (uint64_t)n << shift;
	return 0;
}

int cli_max_findings(const cli_args *args, const char *cmd, size_t *out)
{
	*out = 0;
	const char *s = cli_get(args, "max-findings");
	if (!s)
		return 0;
	char *end;
	unsigned long long n = positive_number(s, &end);
	if (n == 0 || *end || n > SIZE_MAX / 2) {
		cli_usage_error(cmd, "--max-findings must be a positive number of findings, not '%s'", s);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

const assure_rule *cli_find_rule(const assure_ruleset *rs, const char *cmd, const char *id)
{
	const assure_rule *r = assure_ruleset_find(rs, id);
	if (r)
		return r;
	size_t n = assure_ruleset_count(rs);
	const char **ids = assure_xcalloc(n + 1, sizeof(char *));
	const char *near = NULL;
	for (size_t i = 0; i < n; i++) {
		ids[i] = assure_ruleset_rule(rs, i)->id;
		if (strcasecmp(ids[i], id) == 0)
			near = ids[i];
	}
	if (!near)
		near = cli_did_you_mean(id, strlen(id), ids, n);
	fprintf(stderr, "assure %s: no rule '%s' in rule set %s %s", cmd, id, assure_ruleset_name(rs),
	        assure_ruleset_version(rs));
	if (near)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fprintf(stderr, "; 'assure rules list' shows them\n");
	free(ids);
	return NULL;
}

/* A JSON list of the values of a repeatable option, for the configuration (new). */
static json_t *option_list(const cli_args *args, const char *name)
{
	const char *const *v;
	size_t n = cli_all(args, name, &v);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(v[i]));
	return list;
}

int cli_config_load(assure_config **out, const cli_args *args, const assure_snapshot *snap)
{
	assure_config *cfg;
	assure_config_new(&cfg);
	*out = NULL;
	const char *file = cli_get(args, "config");
	if (file && cli_flag(args, "no-config")) {
		fprintf(stderr, "assure: give either --config or --no-config, not both\n");
		assure_config_free(cfg);
		return -1;
	}
	if (file) {
		char *text = NULL;
		size_t len = 0;
		assure_diags *diags;
		assure_diags_new(&diags);
		int rc = assure_file_read(file, &text, &len);
		if (rc < 0)
			fprintf(stderr, "assure: --config: %s\n", assure_error_last());
		else
			rc = assure_config_parse(cfg, file, file, text, len, diags);
		cli_print_diags(diags);
		if (rc < 0 && assure_diags_count(diags))
			fprintf(stderr,
			        "assure: the configuration %s has problems: fix it (docs/configuration.md "
			        "lists its keys)\n",
			        file);
		assure_diags_free(diags);
		free(text);
		if (rc < 0) {
			assure_config_free(cfg);
			return -1;
		}
	} else if (snap && !cli_flag(args, "no-config")) {
		assure_diags *diags;
		assure_diags_new(&diags);
		bool found;
		int rc = assure_config_read(cfg, snap, &found, diags);
		if (rc < 0 && assure_diags_count(diags) == 0)
			fprintf(stderr, "assure: %s: %s\n", ASSURE_CONFIG_FILE, assure_error_last());
		cli_print_diags(diags);
		const char *commit = assure_snapshot_commit(snap);
		if (rc < 0 && commit)
			fprintf(stderr,
			        "assure: the repository's configuration (%s at %.12s) has problems: fix it "
			        "(docs/configuration.md lists its keys)\n",
			        ASSURE_CONFIG_FILE, commit);
		else if (rc < 0)
			fprintf(stderr,
			        "assure: the repository's configuration (%s in %s) has problems: fix it "
			        "(docs/configuration.md lists its keys)\n",
			        ASSURE_CONFIG_FILE, assure_snapshot_kind(snap));
		assure_diags_free(diags);
		if (rc < 0) {
			assure_config_free(cfg);
			return -1;
		}
	}
	/* the command line overrides the file key by key; each option was checked as it was parsed */
	size_t nkeys;
	const assure_config_key *keys = assure_config_keys(&nkeys);
	for (size_t k = 0; k < nkeys; k++) {
		json_t *v = NULL;
		if (keys[k].type == ASSURE_CONFIG_STRINGS) {
			const char *const *vals;
			if (cli_all(args, keys[k].option, &vals) > 0)
				v = option_list(args, keys[k].option);
		} else if (keys[k].type != ASSURE_CONFIG_OBJECT && cli_get(args, keys[k].option)) {
			v = json_string(cli_get(args, keys[k].option));
		}
		if (v && assure_config_set(cfg, (assure_config_key_id)k, v, "command line") < 0) {
			fprintf(stderr, "assure: --%s: %s\n", keys[k].option, assure_error_last());
			json_decref(v);
			assure_config_free(cfg);
			return -1;
		}
		json_decref(v);
	}
	*out = cfg;
	return 0;
}

int cli_waivers(const cli_args *args, const char *cmd, assure_waiver_source *src, assure_waivers **fixed)
{
	*fixed = NULL;
	const char *file = cli_get(args, "waivers");
	const char *days = cli_get(args, "max-waiver-days");
	if (file && cli_flag(args, "no-waivers")) {
		cli_usage_error(cmd, "give either --waivers or --no-waivers, not both");
		return -1;
	}
	src->none = cli_flag(args, "no-waivers");
	if (days) {
		char *end = NULL;
		unsigned long long n = positive_number(days, &end);
		if (!n || *end || n > 36500) {
			cli_usage_error(cmd, "--max-waiver-days '%s' is not a number of days from 1 to 36500",
			                days);
			return -1;
		}
		src->opts.max_days = (int)n;
	}
	if (!file)
		return 0;
	char *data = NULL;
	size_t len = 0;
	if (assure_file_read(file, &data, &len) < 0) {
		cli_usage_error(cmd, "%s", assure_error_last());
		return -1;
	}
	assure_waivers_parse(fixed, file, data, len, &src->opts);
	free(data);
	src->fixed = *fixed;
	return 0;
}
