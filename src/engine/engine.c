/* engine.c: evaluate a rule set over a snapshot of returns (see engine.h). */
#include "assure/engine.h"

#include "assure/buf.h"
#include "assure/doc.h"
#include "assure/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One parsed (or unparsable) blob, keyed by its id. */
typedef struct parsed {
	char oid[41];    /* the blob, so that assure_engine_retain can tell what is still in use */
	assure_doc *doc; /* NULL when the blob is not valid JSON */
	char *error;     /* parse error message, when doc is NULL */
	int line;        /* position of the parse error */
	int column;
} parsed;

/*
 * Findings kept for reuse while what they were computed from is the same: besides the
 * key they are filed under, as_of if one of their rules reads it, and every file their
 * rules read with file_doc() (recorded as it is read).
 */
typedef struct cached {
	assure_findings *findings; /* NULL until first computed (owned) */
	json_t *deps;              /* files read with file_doc(): path -> blob id, "" when absent (owned) */
	int32_t as_of;             /* the as_of they were computed with */
	bool reads_as_of;          /* whether one of their rules reads as_of */
} cached;

/*
 * What a return-scope rule's findings depend on beyond the file's path and content sorts
 * it into a group, each cached apart, so that a new day (an audit's next commit) does not
 * throw away what only a changed file_doc() input would.
 */
enum { GROUP_BLOB, GROUP_AS_OF, GROUP_OTHERS, GROUP_COUNT };

/* The return-scope findings of one file (path and blob), by group. */
typedef struct reusable {
	char *key;                 /* "path\noid", its key in by_key (owned) */
	cached group[GROUP_COUNT]; /* one per GROUP_* */
} reusable;

/* The last result of one snapshot-scope rule, reused while its inputs are the same. */
typedef struct snap_cached {
	assure_buf key; /* the selected files' paths and ids */
	cached c;       /* its findings */
} snap_cached;

static void cached_clear(cached *c)
{
	assure_findings_free(c->findings);
	json_decref(c->deps);
	memset(c, 0, sizeof(*c));
}

struct assure_engine {
	const assure_ruleset *rs; /* borrowed */
	json_t *by_oid;           /* oid -> index into parsed (json integer) */
	parsed *parsed;           /* owned */
	size_t nparsed, capparsed;
	json_t *by_key;  /* "path\noid" -> index into reuse */
	reusable *reuse; /* owned */
	size_t nreuse, capreuse;
	assure_engine_stats stats;
	bool any_kind_rule;      /* some rule selects files by kind alone */
	snap_cached *snap_cache; /* one per rule, used by the snapshot-scope ones (owned) */
};

/* What one evaluation needs to reach: the snapshot for file_doc(). */
typedef struct run {
	assure_engine *e;
	const assure_snapshot *snap;
	const assure_check_opts *opts;
	assure_check_result *result;
	json_t *deps; /* while set: every path file_doc() reads -> its blob id, "" when absent */
} run;

int assure_engine_new(assure_engine **out, const assure_ruleset *rs)
{
	assure_engine *e = assure_xcalloc(1, sizeof(*e));
	e->rs = rs;
	e->by_oid = json_object();
	e->by_key = json_object();
	e->snap_cache = assure_xcalloc(assure_ruleset_count(rs) + 1, sizeof(*e->snap_cache));
	for (size_t i = 0; i < assure_ruleset_count(rs); i++) {
		const assure_rule *r = assure_ruleset_rule(rs, i);
		if (r->path_count == 0)
			e->any_kind_rule = true;
	}
	*out = e;
	return 0;
}

void assure_engine_free(assure_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nparsed; i++) {
		assure_doc_free(e->parsed[i].doc);
		free(e->parsed[i].error);
	}
	free(e->parsed);
	for (size_t i = 0; i < e->nreuse; i++) {
		free(e->reuse[i].key);
		for (int g = 0; g < GROUP_COUNT; g++)
			cached_clear(&e->reuse[i].group[g]);
	}
	free(e->reuse);
	for (size_t i = 0; i < assure_ruleset_count(e->rs); i++) {
		cached_clear(&e->snap_cache[i].c);
		assure_buf_free(&e->snap_cache[i].key);
	}
	free(e->snap_cache);
	json_decref(e->by_oid);
	json_decref(e->by_key);
	free(e);
}

void assure_engine_get_stats(const assure_engine *e, assure_engine_stats *out)
{
	*out = e->stats;
}

static bool ends_with_json(const char *path)
{
	size_t n = strlen(path);
	return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

static bool path_selected(const assure_rule *r, const char *path)
{
	if (r->path_count == 0)
		return ends_with_json(path);
	for (size_t i = 0; i < r->path_count; i++)
		if (assure_glob_match(r->paths[i], path))
			return true;
	return false;
}

static bool kind_selected(const assure_rule *r, json_t *root)
{
	if (!r->kind)
		return true;
	json_t *k = json_is_object(root) ? json_object_get(root, "kind") : NULL;
	return json_is_string(k) && strcmp(json_string_value(k), r->kind) == 0;
}

/* Parse a file once per run, however many rules and commits read it. */
static parsed *get_parsed(assure_engine *e, const assure_snapshot *snap, size_t i)
{
	const assure_file *f = assure_snapshot_file(snap, i);
	json_t *idx = json_object_get(e->by_oid, f->oid);
	if (idx)
		return &e->parsed[json_integer_value(idx)];
	char *data;
	size_t len;
	if (assure_snapshot_read(snap, i, &data, &len) < 0)
		return NULL;
	e->stats.blobs_read++;
	e->stats.blobs_parsed++;
	if (e->nparsed == e->capparsed) {
		e->capparsed = e->capparsed ? e->capparsed * 2 : 64;
		e->parsed = assure_xrealloc(e->parsed, e->capparsed * sizeof(*e->parsed));
	}
	parsed *p = &e->parsed[e->nparsed];
	memset(p, 0, sizeof(*p));
	memcpy(p->oid, f->oid, sizeof(p->oid));
	if (assure_doc_parse(&p->doc, data, len, &p->line, &p->column) < 0) {
		p->doc = NULL;
		p->error = assure_xstrdup(assure_error_last());
	}
	free(data);
	json_object_set_new(e->by_oid, f->oid, json_integer((json_int_t)e->nparsed));
	e->nparsed++;
	return p;
}

static json_t *file_doc_cb(const char *path, void *payload)
{
	run *r = payload;
	long i = assure_snapshot_find(r->snap, path);
	if (r->deps)
		json_object_set_new(r->deps, path,
		                    json_string(i < 0 ? "" : assure_snapshot_file(r->snap, (size_t)i)->oid));
	if (i < 0)
		return NULL;
	parsed *p = get_parsed(r->e, r->snap, (size_t)i);
	return p && p->doc ? assure_doc_root(p->doc) : NULL;
}

/* Where a finding points: the file, its pointer inside that file, and the doc to locate it in. */
typedef struct place {
	const char *path;    /* file path, "" for the snapshot */
	const char *pointer; /* pointer inside that file */
	assure_doc *doc;     /* to compute line and column, or NULL */
} place;

static void add_finding(assure_findings *out, const assure_rule *r, const char *rule_id, assure_severity sev,
                        const char *title, const char *message, const place *pl, const char *subject)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule_id;
	f.severity = sev;
	f.domain = r ? r->domain : "validity";
	f.title = (char *)title;
	f.message = (char *)message;
	f.path = (char *)pl->path;
	f.pointer = (char *)pl->pointer;
	f.subject = (char *)subject;
	if (pl->doc && assure_doc_locate(pl->doc, pl->pointer, &f.line, &f.column) < 0)
		f.line = f.column = 0;
	assure_findings_add(out, &f);
}

static void eval_failure(run *rn, assure_findings *out, const assure_rule *r, const place *pl,
                         const char *field, const char *why)
{
	assure_buf msg = ASSURE_BUF_INIT, subj = ASSURE_BUF_INIT;
	assure_buf_printf(&msg, "%s could not be evaluated at '%s' (%s): %s", r->id,
	                  *pl->pointer ? pl->pointer : "/", field, why);
	if (*pl->pointer)
		assure_buf_printf(&subj, "%s %s", r->id, pl->pointer);
	else
		assure_buf_puts(&subj, r->id);
	add_finding(out, r, ASSURE_RULE_EVAL, ASSURE_SEV_ERROR, "rule could not be evaluated", msg.ptr, pl,
	            subj.ptr);
	rn->result->eval_failures++;
	assure_buf_free(&msg);
	assure_buf_free(&subj);
}

/* Evaluate a boolean field; returns 1 true, 0 false, -1 reported as ASSURE-EVAL. */
static int eval_bool(run *rn, assure_findings *out, const assure_rule *r, const place *pl, const char *field,
                     const assure_expr *e, const assure_eval_ctx *ctx)
{
	assure_value v = {0};
	char *why = NULL;
	int rc = assure_expr_eval(&v, e, ctx, &why);
	if (rc != 0) {
		eval_failure(rn, out, r, pl, field, why ? why : assure_error_last());
		free(why);
		return -1;
	}
	int result;
	if (v.kind == ASSURE_VAL_BOOL) {
		result = v.u.b ? 1 : 0;
	} else {
		/* name the expression: "absent is not true or false" alone does not say what was absent */
		char *d = assure_value_describe(&v);
		assure_buf b = ASSURE_BUF_INIT;
		if (v.kind == ASSURE_VAL_ABSENT)
			assure_buf_printf(&b, "%s is absent, not true or false", assure_expr_source(e));
		else if (strcmp(assure_expr_source(e), d) == 0) /* a literal: "1 is 1" says nothing */
			assure_buf_printf(&b, "%s is not true or false", d);
		else
			assure_buf_printf(&b, "%s is %s, not true or false", assure_expr_source(e), d);
		eval_failure(rn, out, r, pl, field, b.ptr);
		assure_buf_free(&b);
		free(d);
		result = -1;
	}
	assure_value_clear(&v);
	return result;
}

static void eval_node(run *rn, assure_findings *out, const assure_rule *r, json_t *root,
                      const assure_node *node, const char *file, const place *pl)
{
	assure_value *lets = assure_xcalloc(r->let_count + 1, sizeof(assure_value));
	unsigned char *state = assure_xcalloc(r->let_count + 1, 1);
	assure_eval_ctx ctx = {
	    .root = root,
	    .current = node->value,
	    .current_pointer = node->pointer,
	    .params = assure_ruleset_params(rn->e->rs),
	    .as_of = rn->opts->as_of,
	    .file = file,
	    .let_exprs = r->lets,
	    .let_values = lets,
	    .let_state = state,
	    .let_count = r->let_count,
	    .file_doc = file_doc_cb,
	    .payload = rn,
	};
	rn->e->stats.evaluations++;
	int ok = r->when ? eval_bool(rn, out, r, pl, "when", r->when, &ctx) : 1;
	if (ok == 1 && eval_bool(rn, out, r, pl, "assert", r->assert_expr, &ctx) == 0) {
		char *msg = NULL, *why = NULL;
		char *subject = NULL;
		if (assure_template_render(&msg, r->message, &ctx, &why) != 0) {
			eval_failure(rn, out, r, pl, "message", why ? why : assure_error_last());
		} else if (r->subject) {
			assure_value sv = {0};
			if (assure_expr_eval(&sv, r->subject, &ctx, &why) != 0) {
				eval_failure(rn, out, r, pl, "subject", why ? why : assure_error_last());
			} else if (sv.kind == ASSURE_VAL_ABSENT) {
				/* an absent identity would merge unrelated findings into one fingerprint */
				assure_buf b = ASSURE_BUF_INIT;
				assure_buf_printf(&b, "%s is absent", assure_expr_source(r->subject));
				eval_failure(rn, out, r, pl, "subject", b.ptr);
				assure_buf_free(&b);
			} else {
				subject = assure_value_to_string(&sv);
				add_finding(out, r, r->id, r->severity, r->title, msg, pl, subject);
			}
			assure_value_clear(&sv);
		} else {
			add_finding(out, r, r->id, r->severity, r->title, msg, pl, node->pointer);
		}
		free(subject);
		free(msg);
		free(why);
	}
	for (size_t i = 0; i < r->let_count; i++)
		assure_value_clear(&lets[i]);
	free(lets);
	free(state);
}

static void eval_return_rule(run *rn, assure_findings *out, const assure_rule *r, const char *path,
                             assure_doc *doc)
{
	json_t *root = assure_doc_root(doc);
	assure_nodelist nodes;
	assure_nodelist_init(&nodes);
	if (assure_jsonpath_eval(r->for_each, root, root, "", &nodes) < 0) {
		place pl = {path, "", doc};
		eval_failure(rn, out, r, &pl, "for_each", assure_error_last());
	}
	for (size_t k = 0; k < nodes.count; k++) {
		place pl = {path, nodes.items[k].pointer, doc};
		eval_node(rn, out, r, root, &nodes.items[k], path, &pl);
	}
	assure_nodelist_clear(&nodes);
}

static int rule_group(const assure_rule *r)
{
	if (r->reads & ASSURE_EXPR_READS_OTHERS)
		return GROUP_OTHERS;
	return r->reads & ASSURE_EXPR_READS_AS_OF ? GROUP_AS_OF : GROUP_BLOB;
}

/* Whether every file a cached result read is the same in this snapshot. */
static bool deps_unchanged(const run *rn, json_t *deps)
{
	const char *path;
	json_t *oid;
	json_object_foreach(deps, path, oid)
	{
		long i = assure_snapshot_find(rn->snap, path);
		const char *now = i < 0 ? "" : assure_snapshot_file(rn->snap, (size_t)i)->oid;
		if (strcmp(now, json_string_value(oid)) != 0)
			return false;
	}
	return true;
}

/*
 * If c is still valid, add its findings to out (counting the evaluation failures among
 * them again for this run) and return true. Otherwise empty it for recomputing, record
 * file_doc() reads in it from now on, and return false; cached_end() finishes.
 */
static bool cached_use(run *rn, cached *c, assure_findings *out)
{
	if (c->findings && (!c->reads_as_of || c->as_of == rn->opts->as_of) && deps_unchanged(rn, c->deps)) {
		assure_findings_extend(out, c->findings);
		rn->e->stats.findings_reused += assure_findings_count(c->findings);
		for (size_t k = 0; k < assure_findings_count(c->findings); k++)
			if (strcmp(assure_findings_get(c->findings, k)->rule_id, ASSURE_RULE_EVAL) == 0)
				rn->result->eval_failures++;
		return true;
	}
	cached_clear(c);
	assure_findings_new(&c->findings);
	c->deps = json_object();
	c->as_of = rn->opts->as_of;
	rn->deps = c->deps;
	return false;
}

static void cached_end(run *rn, cached *c, assure_findings *out)
{
	rn->deps = NULL;
	assure_findings_extend(out, c->findings);
}

static void check_file(run *rn, assure_findings *out, size_t i)
{
	assure_engine *e = rn->e;
	const assure_file *f = assure_snapshot_file(rn->snap, i);
	size_t nrules = assure_ruleset_count(e->rs);
	bool wanted = false;
	for (size_t k = 0; k < nrules && !wanted; k++)
		wanted = path_selected(assure_ruleset_rule(e->rs, k), f->path);
	if (!wanted)
		return;
	parsed *p = get_parsed(e, rn->snap, i);
	if (!p) {
		place pl = {f->path, "", NULL};
		add_finding(out, NULL, ASSURE_RULE_PARSE, ASSURE_SEV_ERROR, "file could not be read",
		            assure_error_last(), &pl, "");
		rn->result->parse_failures++;
		return;
	}
	if (!p->doc) {
		assure_finding fd = {0};
		fd.rule_id = ASSURE_RULE_PARSE;
		fd.severity = ASSURE_SEV_ERROR;
		fd.domain = "validity";
		fd.title = "file is not valid JSON";
		fd.message = p->error;
		fd.path = (char *)f->path;
		fd.pointer = "";
		fd.subject = "";
		fd.line = p->line;
		fd.column = p->column;
		assure_findings_add(out, &fd);
		rn->result->parse_failures++;
		return;
	}
	json_t *root = assure_doc_root(p->doc);

	bool checked = false;
	for (size_t k = 0; k < nrules && !checked; k++) {
		const assure_rule *r = assure_ruleset_rule(e->rs, k);
		checked = path_selected(r, f->path) && kind_selected(r, root);
	}
	if (checked)
		rn->result->files_checked++;

	/* return-scope findings are filed under the path and blob, and reused while they hold */
	assure_buf key = ASSURE_BUF_INIT;
	assure_buf_printf(&key, "%s\n%s", f->path, f->oid);
	json_t *idx = json_object_get(e->by_key, key.ptr);
	if (!idx) {
		if (e->nreuse == e->capreuse) {
			e->capreuse = e->capreuse ? e->capreuse * 2 : 64;
			e->reuse = assure_xrealloc(e->reuse, e->capreuse * sizeof(*e->reuse));
		}
		memset(&e->reuse[e->nreuse], 0, sizeof(e->reuse[e->nreuse]));
		e->reuse[e->nreuse].key = assure_xstrdup(key.ptr);
		idx = json_integer((json_int_t)e->nreuse++);
		json_object_set_new(e->by_key, key.ptr, idx);
	}
	assure_buf_free(&key);
	reusable *ru = &e->reuse[json_integer_value(idx)];
	for (int g = 0; g < GROUP_COUNT; g++) {
		cached *c = &ru->group[g];
		if (cached_use(rn, c, out))
			continue;
		for (size_t k = 0; k < nrules; k++) {
			const assure_rule *r = assure_ruleset_rule(e->rs, k);
			if (r->scope != ASSURE_SCOPE_RETURN || rule_group(r) != g ||
			    !path_selected(r, f->path) || !kind_selected(r, root))
				continue;
			c->reads_as_of |= (r->reads & ASSURE_EXPR_READS_AS_OF) != 0;
			eval_return_rule(rn, c->findings, r, f->path, p->doc);
		}
		cached_end(rn, c, out);
	}
}

/* Map a node of the snapshot document back to the return it lies in. */
static place snapshot_place(run *rn, json_t *returns, const char *pointer, char **inner, assure_doc **docs)
{
	place pl = {"", pointer, NULL};
	unsigned long i;
	int n = 0;
	if (sscanf(pointer, "/returns/%lu%n", &i, &n) == 1 && i < json_array_size(returns)) {
		const char *rest = pointer + n;
		json_t *entry = json_array_get(returns, i);
		pl.path = json_string_value(json_object_get(entry, "path"));
		if (strncmp(rest, "/doc", 4) == 0 && (rest[4] == '/' || rest[4] == '\0')) {
			*inner = assure_xstrdup(rest + 4);
			pl.doc = docs[i];
		} else {
			*inner = assure_xstrdup("");
			pl.doc = docs[i];
		}
		pl.pointer = *inner;
	}
	(void)rn;
	return pl;
}

/*
 * What a snapshot-scope rule's result depends on, besides the rules, as_of and the files
 * it reads with file_doc() (see cached): the path and blob of every file it selects by path
 * (its kind is in the blob).
 */
static void snapshot_key(const run *rn, const assure_rule *r, assure_buf *b)
{
	/* kept whole, not hashed: compared exactly, and cheaper than hashing it every commit */
	for (size_t i = 0; i < assure_snapshot_count(rn->snap); i++) {
		const assure_file *f = assure_snapshot_file(rn->snap, i);
		if (path_selected(r, f->path)) {
			assure_buf_puts(b, f->path);
			assure_buf_putc(b, '\n');
			assure_buf_puts(b, f->oid);
			assure_buf_putc(b, '\n');
		}
	}
}

static void eval_snapshot_rule_now(run *rn, assure_findings *out, const assure_rule *r);

/* Reused while the selected files, as_of where read, and the files read with file_doc() are the same. */
static void eval_snapshot_rule(run *rn, assure_findings *out, size_t k, const assure_rule *r)
{
	snap_cached *sc = &rn->e->snap_cache[k];
	assure_buf key = ASSURE_BUF_INIT;
	snapshot_key(rn, r, &key);
	if (key.len != sc->key.len || memcmp(key.ptr, sc->key.ptr, key.len) != 0)
		cached_clear(&sc->c); /* other files selected: start again */
	assure_buf_free(&sc->key);
	sc->key = key;
	if (cached_use(rn, &sc->c, out))
		return;
	sc->c.reads_as_of = (r->reads & ASSURE_EXPR_READS_AS_OF) != 0;
	eval_snapshot_rule_now(rn, sc->c.findings, r);
	cached_end(rn, &sc->c, out);
}

static void eval_snapshot_rule_now(run *rn, assure_findings *out, const assure_rule *r)
{
	size_t n = assure_snapshot_count(rn->snap);
	json_t *root = json_object();
	json_t *returns = json_array();
	json_object_set_new(root, "returns", returns);
	assure_doc **docs = assure_xcalloc(n + 1, sizeof(*docs));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const assure_file *f = assure_snapshot_file(rn->snap, i);
		if (!path_selected(r, f->path))
			continue;
		parsed *p = get_parsed(rn->e, rn->snap, i);
		if (!p || !p->doc || !kind_selected(r, assure_doc_root(p->doc)))
			continue;
		json_t *entry = json_object();
		json_object_set_new(entry, "path", json_string(f->path));
		json_object_set(entry, "doc", assure_doc_root(p->doc));
		json_array_append_new(returns, entry);
		docs[m++] = p->doc;
	}
	assure_nodelist nodes;
	assure_nodelist_init(&nodes);
	if (assure_jsonpath_eval(r->for_each, root, root, "", &nodes) < 0) {
		place pl = {"", "", NULL};
		eval_failure(rn, out, r, &pl, "for_each", assure_error_last());
	}
	for (size_t k = 0; k < nodes.count; k++) {
		char *inner = NULL;
		place pl = snapshot_place(rn, returns, nodes.items[k].pointer, &inner, docs);
		eval_node(rn, out, r, root, &nodes.items[k], NULL, &pl);
		free(inner);
	}
	assure_nodelist_clear(&nodes);
	free(docs);
	json_decref(root);
}

int assure_engine_check(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *opts,
                        assure_findings *out, assure_check_result *result)
{
	assure_check_result local = {0};
	if (!result)
		result = &local;
	memset(result, 0, sizeof(*result));
	run rn = {e, snap, opts, result, NULL};
	size_t n = assure_snapshot_count(snap);
	result->files_seen = n;
	for (size_t i = 0; i < n; i++)
		check_file(&rn, out, i);
	for (size_t k = 0; k < assure_ruleset_count(e->rs); k++) {
		const assure_rule *r = assure_ruleset_rule(e->rs, k);
		if (r->scope == ASSURE_SCOPE_SNAPSHOT)
			eval_snapshot_rule(&rn, out, k, r);
	}
	return 0;
}

json_t *assure_engine_root(assure_engine *e, const assure_snapshot *snap, size_t i)
{
	parsed *p = get_parsed(e, snap, i);
	return p && p->doc ? assure_doc_root(p->doc) : NULL;
}

void assure_engine_retain(assure_engine *e, const assure_snapshot *const *keep, size_t n)
{
	json_t *oids = json_object(), *keys = json_object();
	assure_buf key = ASSURE_BUF_INIT;
	for (size_t s = 0; s < n; s++) {
		for (size_t i = 0; i < assure_snapshot_count(keep[s]); i++) {
			const assure_file *f = assure_snapshot_file(keep[s], i);
			json_object_set_new(oids, f->oid, json_true());
			assure_buf_clear(&key);
			assure_buf_printf(&key, "%s\n%s", f->path, f->oid);
			json_object_set_new(keys, key.ptr, json_true());
		}
	}
	assure_buf_free(&key);

	/* Compact both caches in place, keeping their order, and rebuild the indexes. */
	size_t kept = 0;
	json_object_clear(e->by_oid);
	for (size_t i = 0; i < e->nparsed; i++) {
		parsed *p = &e->parsed[i];
		if (!json_object_get(oids, p->oid)) {
			assure_doc_free(p->doc);
			free(p->error);
			continue;
		}
		e->parsed[kept] = *p;
		json_object_set_new(e->by_oid, p->oid, json_integer((json_int_t)kept));
		kept++;
	}
	e->nparsed = kept;
	kept = 0;
	json_object_clear(e->by_key);
	for (size_t i = 0; i < e->nreuse; i++) {
		reusable *r = &e->reuse[i];
		if (!json_object_get(keys, r->key)) {
			free(r->key);
			for (int g = 0; g < GROUP_COUNT; g++)
				cached_clear(&r->group[g]);
			continue;
		}
		e->reuse[kept] = *r;
		json_object_set_new(e->by_key, r->key, json_integer((json_int_t)kept));
		kept++;
	}
	e->nreuse = kept;
	json_decref(oids);
	json_decref(keys);
}

size_t assure_engine_cached(const assure_engine *e)
{
	return e->nparsed;
}
