/*
 * fuzz_ruleset.c: the rule-file loader (rules/ruleset.c), through assure_ruleset_load on real
 * files, takes any text: every problem is a one-line diagnostic placed inside the file it is
 * about, the rules it keeps are well formed, a second load says and keeps the same, and each
 * param can be set to its own value. A rule set that loads without a problem is then run by
 * the engine on a few returns (one of them broken): the check succeeds, its findings name
 * rules of the set, and a second check on the same engine finds the same.
 *
 * Input: FILE [NUL FILE]... (at most 4). One file is loaded as a file; several are written
 * into one folder (a.json, b.json, ...) and the folder is loaded, so that params and helpers
 * cross files as they do in the rule pack.
 */
#include "assure/date.h"
#include "assure/diag.h"
#include "assure/engine.h"
#include "assure/error.h"
#include "assure/repo.h"
#include "assure/ruleset.h"
#include "assure/utf8.h"

#include "fuzz.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 4

/* The returns the rules run on, as a plain folder (its paths are relative to it). */
static const char *const returns[][2] = {
    {"returns/2020-21/finance/rxn.json",
     "{\"kind\": \"finance\", \"org\": \"RXN\", \"year\": \"2020-21\", \"month\": 8,\n"
     " \"forecast\": {\"outturn\": -20.6, \"plan\": -19, \"control_total\": -19.5},\n"
     " \"lines\": [{\"name\": \"pay\", \"value\": 10.25}, {\"name\": \"non-pay\", \"value\": -3}]}\n"},
    {"returns/2020-21/finance/rtx.json",
     "{\"kind\": \"finance\", \"org\": \"RTX\", \"year\": \"2020-21\", \"month\": 8,\n"
     " \"forecast\": {\"outturn\": 1.5, \"plan\": 0, \"control_total\": 0},\n"
     " \"lines\": []}\n"},
    {"returns/2020-21/board/actions.json",
     "{\"kind\": \"board\", \"org\": \"ICS\", \"year\": \"2020-21\", \"meeting\": \"2 December 2020\",\n"
     " \"actions\": [{\"code\": \"A1\", \"due\": \"31/12/2020\", \"status\": \"Open\"},\n"
     "             {\"code\": \"A2\", \"due\": \"On-going\", \"status\": \"Complete\"}]}\n"},
    {"returns/2020-21/finance/broken.json", "{\"kind\": \"finance\", \"org\": \"RXQ\", \"forecast\": {"},
};

static char dir[64];
static assure_snapshot *snap;
static int32_t as_of;

static void put_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL, "cannot write '%s'", path);
	FUZZ_CHECK(fwrite(text, 1, len, f) == len && fclose(f) == 0, "cannot write '%s'", path);
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_ruleset: could not remove '%s'\n", dir);
	assure_snapshot_free(snap);
}

static void setup(void)
{
	if (dir[0])
		return;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/assure-fuzz-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(dir) != NULL, "cannot make a folder under '%s'", dir);
	char path[256];
	const char *made[] = {"set",
	                      "root",
	                      "root/returns",
	                      "root/returns/2020-21",
	                      "root/returns/2020-21/finance",
	                      "root/returns/2020-21/board"};
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, made[i]);
		FUZZ_CHECK(mkdir(path, 0700) == 0, "cannot make '%s'", path);
	}
	for (size_t i = 0; i < sizeof returns / sizeof returns[0]; i++) {
		snprintf(path, sizeof path, "%s/root/%s", dir, returns[i][0]);
		put_file(path, returns[i][1], strlen(returns[i][1]));
	}
	snprintf(path, sizeof path, "%s/root", dir);
	const char *paths[] = {path};
	FUZZ_CHECK(assure_snapshot_from_paths(&snap, paths, 1) == 0, "no snapshot: %s", assure_error_last());
	FUZZ_CHECK(assure_date_parse_iso(&as_of, "2021-01-13") == 0, "no as_of");
	atexit(cleanup);
}

/* Lines in a text, counting a last line without '\n'. */
static int line_count(const char *s, size_t len)
{
	int n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static bool valid_id(const char *s)
{
	size_t i = 0;
	if (!(s[i] >= 'A' && s[i] <= 'Z'))
		return false;
	while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))
		i++;
	if (s[i++] != '-')
		return false;
	for (int k = 0; k < 3; k++, i++)
		if (!(s[i] >= '0' && s[i] <= '9'))
			return false;
	return s[i] == '\0';
}

static bool is_hash(const char *s)
{
	size_t n = strlen(s);
	return n == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* Every diagnostic is about one of the files, at a place in it, in one line (and an excerpt). */
static void check_diags(const assure_diags *d, char paths[][128], const fuzz_part *parts, size_t n)
{
	for (size_t i = 0; i < assure_diags_count(d); i++) {
		const assure_diag *g = assure_diags_get(d, i);
		size_t f = 0;
		while (f < n && !(g->file && strcmp(g->file, paths[f]) == 0))
			f++;
		FUZZ_CHECK(f < n, "a diagnostic about '%s', which is not a file loaded",
		           g->file ? g->file : "(none)");
		FUZZ_CHECK(g->line >= 0 && g->column >= 0 && g->expr_column >= 0, "negative place %d:%d (%d)",
		           g->line, g->column, g->expr_column);
		FUZZ_CHECK(g->line <= line_count(parts[f].s, parts[f].len), "line %d of a file of %d lines",
		           g->line, line_count(parts[f].s, parts[f].len));
		FUZZ_CHECK(g->column == 0 || g->line > 0, "a column without a line");
		FUZZ_CHECK(g->message && g->message[0], "a diagnostic without a message");
		char *text = assure_diag_format(g);
		FUZZ_CHECK(text != NULL, "a diagnostic without a text");
		/* one line (three with an excerpt), showing the file's characters but never its controls */
		FUZZ_CHECK(assure_utf8_valid(text), "a diagnostic that is not UTF-8: %s", text);
		int lines = 1;
		for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
			lines += *p == '\n';
			FUZZ_CHECK((*p >= 0x20 || *p == '\n' || *p == '\t') && *p != 0x7f &&
			               !(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0),
			           "control character 0x%02x in: %s", *p, text);
		}
		FUZZ_CHECK(lines == (g->excerpt && g->expr_column > 0 ? 3 : 1), "%d lines in: %s", lines,
		           text);
		free(text);
	}
}

/* The rules kept have what every rule has, ids are unique, and each came from a file loaded. */
static void check_rules(const assure_ruleset *rs, char paths[][128], size_t n)
{
	size_t count = assure_ruleset_count(rs);
	for (size_t i = 0; i < count; i++) {
		const assure_rule *r = assure_ruleset_rule(rs, i);
		FUZZ_CHECK(r && r->id && valid_id(r->id), "a rule id that is not valid: '%s'",
		           r && r->id ? r->id : "");
		FUZZ_CHECK(assure_ruleset_find(rs, r->id) == r, "rule '%s' is not found by its id", r->id);
		FUZZ_CHECK(r->title && r->domain && r->assert_expr && r->message && r->for_each,
		           "rule '%s' lacks a part every rule has", r->id);
		FUZZ_CHECK((unsigned)r->severity <= ASSURE_SEV_ERROR, "rule '%s' has severity %d", r->id,
		           (int)r->severity);
		bool known = false;
		for (size_t f = 0; f < n; f++)
			known |= r->file && strcmp(r->file, paths[f]) == 0;
		FUZZ_CHECK(known, "rule '%s' from '%s', which is not a file loaded", r->id,
		           r->file ? r->file : "");
		for (size_t j = 0; j < r->path_count; j++)
			FUZZ_CHECK(r->paths[j] && r->paths[j][0], "rule '%s' has an empty path pattern",
			           r->id);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(assure_ruleset_rule(rs, j)->id, r->id) != 0,
			           "rule id '%s' kept twice", r->id);
	}
	FUZZ_CHECK(is_hash(assure_ruleset_hash(rs)), "hash '%s'", assure_ruleset_hash(rs));
	FUZZ_CHECK(json_is_object(assure_ruleset_params(rs)), "params are not an object");
	for (size_t i = 0; i < assure_ruleset_chart_count(rs); i++) {
		const assure_chart *c = assure_ruleset_chart(rs, i);
		FUZZ_CHECK(c && c->id && c->title && c->nseries > 0, "chart %zu is not whole", i);
	}
}

/* Collected params, set back one by one afterwards (the params object must not change while walked). */
typedef struct param_list {
	char *names[64];
	json_t *values[64];
	size_t n;
} param_list;

static void collect_param(const char *dotted, json_t *value, const char *origin, void *payload)
{
	param_list *l = payload;
	FUZZ_CHECK(dotted && dotted[0] && value && origin, "a param without a name, value or origin");
	if (l->n < 64) {
		l->names[l->n] = assure_xstrdup(dotted);
		l->values[l->n++] = json_deep_copy(value);
	}
}

static void check_params(assure_ruleset *rs)
{
	param_list l = {.n = 0};
	assure_ruleset_params_each(rs, collect_param, &l);
	for (size_t i = 0; i < l.n; i++) {
		/* a param whose own name has a '.' cannot be named by a dotted name; the others can */
		json_t *named = assure_ruleset_param(rs, l.names[i]);
		if (named && json_equal(named, l.values[i])) {
			FUZZ_CHECK(assure_ruleset_set_param(rs, l.names[i], l.values[i], "fuzz") == 0,
			           "param '%s' cannot be set to its own value: %s", l.names[i],
			           assure_error_last());
			json_t *now = assure_ruleset_param(rs, l.names[i]);
			FUZZ_CHECK(now && json_equal(now, l.values[i]),
			           "param '%s' is not what it was set to", l.names[i]);
		}
		free(l.names[i]);
		json_decref(l.values[i]);
	}
}

/* The engine's findings of one check, as text, sorted. */
static char *check_once(assure_engine *engine, const assure_ruleset *rs)
{
	assure_findings *found = NULL;
	assure_findings_new(&found);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	opts.as_of = as_of;
	assure_check_result result = {0};
	int rc = assure_engine_check(engine, snap, &opts, found, &result);
	FUZZ_CHECK(rc == 0, "the check failed: %s", assure_error_last());
	FUZZ_CHECK(result.files_seen == assure_snapshot_count(snap) &&
	               result.parse_failures <= result.files_seen,
	           "the check saw %zu of %zu files", result.files_seen, assure_snapshot_count(snap));
	assure_findings_sort(found);
	char *all = assure_xstrdup("");
	for (size_t i = 0; i < assure_findings_count(found); i++) {
		const assure_finding *f = assure_findings_get(found, i);
		FUZZ_CHECK(f->rule_id && (assure_ruleset_find(rs, f->rule_id) ||
		                          strncmp(f->rule_id, "ASSURE-", 7) == 0),
		           "a finding of rule '%s', which the set does not have",
		           f->rule_id ? f->rule_id : "");
		FUZZ_CHECK(f->path && (f->path[0] == '\0' || assure_snapshot_find(snap, f->path) >= 0),
		           "a finding about '%s', which is not in the snapshot", f->path ? f->path : "");
		FUZZ_CHECK(f->message && f->pointer && is_hash(f->fingerprint),
		           "finding of '%s' is not whole", f->rule_id);
		FUZZ_CHECK(f->line >= 0 && f->column >= 0, "a finding at %d:%d", f->line, f->column);
		size_t n = strlen(all);
		size_t add =
		    strlen(f->rule_id) + strlen(f->path) + strlen(f->pointer) + strlen(f->message) + 64;
		all = assure_xrealloc(all, n + add);
		snprintf(all + n, add, "%s %s %s %d:%d %s\n", f->rule_id, f->path, f->pointer, f->line,
		         f->column, f->message);
	}
	assure_findings_free(found);
	return all;
}

static void run_engine(const assure_ruleset *rs)
{
	assure_engine *engine = NULL;
	FUZZ_CHECK(assure_engine_new(&engine, rs) == 0, "no engine: %s", assure_error_last());
	char *first = check_once(engine, rs);
	char *second = check_once(engine, rs);
	FUZZ_CHECK(strcmp(first, second) == 0, "a second check finds otherwise:\n%s---\n%s", first, second);
	assure_check_opts opts = ASSURE_CHECK_OPTS_INIT;
	opts.as_of = as_of;
	for (size_t c = 0; c < assure_ruleset_chart_count(rs); c++) {
		assure_chart_point *points = NULL;
		size_t count = 0;
		FUZZ_CHECK(assure_engine_chart(engine, snap, &opts, c, &points, &count) == 0,
		           "chart %zu failed: %s", c, assure_error_last());
		assure_chart_points_free(points, count, assure_ruleset_chart(rs, c)->nseries);
	}
	free(first);
	free(second);
	assure_engine_free(engine);
}

/* What a load said, as text, to compare two loads. */
static char *describe_load(const assure_ruleset *rs, const assure_diags *d)
{
	size_t cap = 256, len = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	for (size_t i = 0; i <= assure_diags_count(d); i++) {
		char *t = i < assure_diags_count(d) ? assure_diag_format(assure_diags_get(d, i)) : NULL;
		char line[128];
		if (!t) {
			snprintf(line, sizeof line, "%zu rules, %zu charts, %s", assure_ruleset_count(rs),
			         assure_ruleset_chart_count(rs), assure_ruleset_hash(rs));
			t = assure_xstrdup(line);
		}
		size_t add = strlen(t) + 2;
		if (len + add > cap)
			out = realloc(out, cap = (len + add) * 2);
		memcpy(out + len, t, add - 2);
		len += add - 2;
		out[len++] = '\n';
		out[len] = '\0';
		free(t);
	}
	return out;
}

static char *load(assure_ruleset **rs, assure_diags **d, const char *path)
{
	FUZZ_CHECK(assure_ruleset_new(rs) == 0 && assure_diags_new(d) == 0, "no rule set");
	FUZZ_CHECK(assure_ruleset_load(*rs, path, *d) == 0, "'%s' could not be loaded: %s", path,
	           assure_error_last());
	return describe_load(*rs, *d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	fuzz_part parts[MAX_FILES];
	size_t n = fuzz_split(data, size, parts, MAX_FILES);
	char paths[MAX_FILES][128], target[128];
	for (size_t i = 0; i < MAX_FILES; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/set/%c.json", dir, (char)('a' + i));
		unlink(paths[i]);
	}
	if (n == 1) {
		snprintf(paths[0], sizeof paths[0], "%s/rules.json", dir);
		snprintf(target, sizeof target, "%s", paths[0]);
	} else {
		snprintf(target, sizeof target, "%s/set", dir);
	}
	for (size_t i = 0; i < n; i++)
		put_file(paths[i], parts[i].s, parts[i].len);

	assure_ruleset *rs = NULL, *again = NULL;
	assure_diags *d = NULL, *d2 = NULL;
	char *said = load(&rs, &d, target);
	check_diags(d, paths, parts, n);
	check_rules(rs, paths, n);
	char *said2 = load(&again, &d2, target);
	FUZZ_CHECK(strcmp(said, said2) == 0, "a second load says otherwise:\n%s---\n%s", said, said2);
	if (assure_diags_count(d) == 0 && assure_ruleset_count(rs) > 0)
		run_engine(rs);
	/* a load with problems may have a param that rightly cannot be set (paths that are not paths) */
	if (assure_diags_count(d2) == 0)
		check_params(again);
	check_rules(again, paths, n);

	free(said);
	free(said2);
	assure_diags_free(d);
	assure_diags_free(d2);
	assure_ruleset_free(rs);
	assure_ruleset_free(again);
	fuzz_parts_free(parts, n);
	return 0;
}
