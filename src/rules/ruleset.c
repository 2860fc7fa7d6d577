/* ruleset.c: load rule files into compiled rules, collecting every problem (see ruleset.h). */
#include "assure/ruleset.h"

#include "assure/buf.h"
#include "assure/doc.h"
#include "assure/error.h"
#include "assure/file.h"
#include "assure/hash.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct assure_ruleset {
	assure_rule **rules; /* owned, in load order */
	size_t count;
	size_t cap;
	json_t *params;          /* merged params, owned */
	assure_buf names;        /* "a+b" */
	assure_buf versions;     /* "1.0.0+2.1.0" */
	assure_buf hashed;       /* names and contents of the files, for the hash */
	char hash[41];           /* computed on first request */
	size_t files;            /* files loaded */
	json_t *param_origin;    /* dotted name of every param -> where its value came from */
	json_t *id_origin;       /* rule id -> "file:line" of its first definition, valid or not */
	assure_helpers *helpers; /* every file's helpers, owned */
	assure_chart **charts;   /* owned, in load order */
	size_t ncharts;
};

/* Everything needed to report a problem at a place in one rule file. */
typedef struct loader {
	assure_ruleset *rs;
	assure_diags *diags;
	assure_doc *doc;
	const char *file;
	const char *rule_id; /* rule being loaded, or NULL */
} loader;

static void chart_free(assure_chart *c);

static void rule_free(assure_rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->title);
	free(r->domain);
	free(r->kind);
	for (size_t i = 0; i < r->path_count; i++)
		free(r->paths[i]);
	free(r->paths);
	free(r->paths_param);
	for (size_t i = 0; i < r->group_kind_count; i++)
		free(r->group_kinds[i]);
	free(r->group_kinds);
	assure_expr_free(r->group_where);
	for (size_t i = 0; i < r->group_by_count; i++) {
		free(r->group_by_names[i]);
		assure_expr_free(r->group_by[i]);
	}
	free(r->group_by_names);
	free(r->group_by);
	free(r->each_name);
	assure_expr_free(r->each_expr);
	assure_jsonpath_free(r->for_each);
	for (size_t i = 0; i < r->let_count; i++) {
		free(r->let_names[i]);
		assure_expr_free(r->lets[i]);
	}
	free(r->let_names);
	free(r->lets);
	assure_expr_free(r->when);
	assure_expr_free(r->assert_expr);
	assure_template_free(r->message);
	assure_expr_free(r->subject);
	free(r->description);
	free(r->rationale);
	free(r->reference);
	free(r->help);
	free(r->example_fail);
	free(r->example_pass);
	free(r->example_as_of);
	free(r->file);
	free(r);
}

int assure_ruleset_new(assure_ruleset **out)
{
	assure_ruleset *rs = assure_xcalloc(1, sizeof(*rs));
	rs->params = json_object();
	rs->param_origin = json_object();
	rs->id_origin = json_object();
	rs->helpers = assure_helpers_new();
	assure_buf_init(&rs->names);
	assure_buf_init(&rs->versions);
	assure_buf_init(&rs->hashed);
	*out = rs;
	return 0;
}

void assure_ruleset_free(assure_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->count; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	json_decref(rs->params);
	json_decref(rs->param_origin);
	json_decref(rs->id_origin);
	assure_helpers_free(rs->helpers);
	for (size_t i = 0; i < rs->ncharts; i++)
		chart_free(rs->charts[i]);
	free(rs->charts);
	assure_buf_free(&rs->names);
	assure_buf_free(&rs->versions);
	assure_buf_free(&rs->hashed);
	free(rs);
}

size_t assure_ruleset_count(const assure_ruleset *rs)
{
	return rs->count;
}

const assure_rule *assure_ruleset_rule(const assure_ruleset *rs, size_t i)
{
	return i < rs->count ? rs->rules[i] : NULL;
}

const assure_rule *assure_ruleset_find(const assure_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->count; i++)
		if (strcmp(rs->rules[i]->id, id) == 0)
			return rs->rules[i];
	return NULL;
}

json_t *assure_ruleset_params(const assure_ruleset *rs)
{
	return rs->params;
}

const char *assure_ruleset_name(const assure_ruleset *rs)
{
	return rs->names.len ? rs->names.ptr : "none";
}

const char *assure_ruleset_version(const assure_ruleset *rs)
{
	return rs->versions.len ? rs->versions.ptr : "0";
}

const char *assure_ruleset_hash(const assure_ruleset *rs)
{
	assure_ruleset *m = (assure_ruleset *)rs;
	if (!m->hash[0] &&
	    assure_hash_blob(m->hash, rs->hashed.len ? rs->hashed.ptr : "", rs->hashed.len) < 0)
		strcpy(m->hash, "unknown");
	return rs->hash;
}

size_t assure_ruleset_file_count(const assure_ruleset *rs)
{
	return rs->files;
}

const assure_helpers *assure_ruleset_helpers(const assure_ruleset *rs)
{
	return rs->helpers;
}

size_t assure_ruleset_chart_count(const assure_ruleset *rs)
{
	return rs->ncharts;
}

const assure_chart *assure_ruleset_chart(const assure_ruleset *rs, size_t i)
{
	return i < rs->ncharts ? rs->charts[i] : NULL;
}

/* ---- diagnostics at places in the rule file ---- */

static void where(loader *ld, const char *pointer, bool key, int *line, int *col)
{
	*line = *col = 0;
	if (!ld->doc)
		return;
	int rc = key ? assure_doc_locate_key(ld->doc, pointer, line, col)
	             : assure_doc_locate(ld->doc, pointer, line, col);
	if (rc < 0)
		*line = *col = 0;
}

static void problem(loader *ld, const char *pointer, bool at_key, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void problem(loader *ld, const char *pointer, bool at_key, const char *field, const char *fmt, ...)
{
	int line, col;
	where(ld, pointer, at_key, &line, &col);
	assure_buf msg = ASSURE_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	assure_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	assure_diags_add(ld->diags, ld->file, line, col, ld->rule_id, field, 0, NULL, "%s", msg.ptr);
	assure_buf_free(&msg);
}

/*
 * Column in the file of byte `offset` of a string value's decoded text: walk the raw
 * JSON string from its opening quote, one raw character at a time, until that many
 * decoded bytes have gone by.
 */
static int raw_column(loader *ld, int quote_line, int quote_col, size_t offset)
{
	size_t len;
	const char *text = assure_doc_text(ld->doc, &len);
	const char *p = text, *end = text + len;
	for (int l = 1; l < quote_line && p < end; p++)
		if (*p == '\n')
			l++;
	/* advance to the quote: columns count code points */
	for (int c = 1; c < quote_col && p < end; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			c++;
	while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
		p++;
	if (p >= end || *p != '"')
		return quote_col;
	p++;
	int col = quote_col + 1;
	size_t decoded = 0;
	while (p < end && *p != '"' && decoded < offset) {
		if (*p == '\\' && p + 1 < end) {
			if (p[1] == 'u' && p + 6 <= end) {
				unsigned cp =
				    (unsigned)strtoul((char[]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
				decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
				p += 6;
				col += 6;
			} else {
				decoded += 1;
				p += 2;
				col += 2;
			}
		} else {
			unsigned char c = (unsigned char)*p;
			size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
			decoded += n;
			p += n;
			col += 1;
		}
	}
	return col;
}

/* A problem inside an expression: point at the column in the file and in the expression. */
static void expr_problem(loader *ld, const char *pointer, const char *field, const char *src, size_t offset,
                         const char *message)
{
	int line, col;
	where(ld, pointer, false, &line, &col);
	int file_col = line ? raw_column(ld, line, col, offset) : 0;
	/* count code points up to offset for the column inside the expression */
	int expr_col = 1;
	for (size_t i = 0; i < offset && src[i]; i++)
		if (((unsigned char)src[i] & 0xC0) != 0x80)
			expr_col++;
	assure_diags_add(ld->diags, ld->file, line, file_col, ld->rule_id, field, expr_col, src, "%s",
	                 message);
}

/* ---- field tables ---- */

typedef enum field_type { F_STRING, F_OBJECT, F_ARRAY, F_PATHS, F_BOOL } field_type;

typedef struct field_spec {
	const char *name; /* JSON member name */
	bool required;    /* missing is an error */
	field_type type;  /* expected JSON type */
} field_spec;

static const field_spec file_fields[] = {
    {"ruleset", true, F_STRING},  {"version", true, F_STRING}, {"description", false, F_STRING},
    {"params", false, F_OBJECT},  {"rules", true, F_ARRAY},    {"$schema", false, F_STRING},
    {"helpers", false, F_OBJECT}, {"charts", false, F_OBJECT},
};

static const field_spec chart_fields[] = {
    {"title", true, F_STRING},
    {"unit", false, F_STRING},
    {"group", true, F_OBJECT},
    {"series", true, F_ARRAY},
};

static const field_spec series_fields[] = {
    {"name", true, F_STRING},
    {"value", true, F_STRING},
    {"step", false, F_BOOL},
};

static const field_spec rule_fields[] = {
    {"id", true, F_STRING},         {"title", true, F_STRING},       {"severity", true, F_STRING},
    {"domain", true, F_STRING},     {"applies_to", false, F_OBJECT}, {"scope", false, F_STRING},
    {"group", false, F_OBJECT},     {"each", false, F_OBJECT},       {"for_each", false, F_STRING},
    {"let", false, F_OBJECT},       {"when", false, F_STRING},       {"assert", true, F_STRING},
    {"message", true, F_STRING},    {"subject", false, F_STRING},    {"description", false, F_STRING},
    {"rationale", false, F_STRING}, {"reference", false, F_STRING},  {"help", false, F_STRING},
    {"examples", false, F_OBJECT},
};

static const field_spec applies_fields[] = {
    {"kind", false, F_STRING},
    {"paths", false, F_PATHS},
};

static const field_spec group_fields[] = {
    {"kind", true, F_PATHS},
    {"where", false, F_STRING},
    {"by", true, F_OBJECT},
};

static const field_spec example_fields[] = {
    {"fail", false, F_STRING},
    {"pass", false, F_STRING},
    {"as_of", false, F_STRING},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *type_name(field_type t)
{
	return t == F_STRING   ? "a string"
	       : t == F_OBJECT ? "an object"
	       : t == F_ARRAY  ? "an array"
	       : t == F_BOOL   ? "true or false"
	                       : "an array or a string";
}

static bool has_type(json_t *v, field_type t)
{
	switch (t) {
	case F_STRING:
		return json_is_string(v);
	case F_OBJECT:
		return json_is_object(v);
	case F_ARRAY:
		return json_is_array(v);
	case F_PATHS:
		return json_is_array(v) || json_is_string(v);
	case F_BOOL:
		return json_is_boolean(v);
	}
	return false;
}

static char *child_pointer(const char *base, const char *key)
{
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_puts(&b, base);
	assure_buf_put_pointer_token(&b, key);
	return assure_buf_detach(&b);
}

/*
 * Check an object against a field table: unknown members, missing required ones,
 * wrong types. Returns false when a required field is missing or mistyped.
 */
static bool check_fields(loader *ld, json_t *obj, const char *pointer, const char *what,
                         const field_spec *specs, size_t n)
{
	bool ok = true;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		size_t i;
		for (i = 0; i < n && strcmp(specs[i].name, key) != 0; i++)
			;
		char *p = child_pointer(pointer, key);
		if (i == n) {
			problem(ld, p, true, key, "unknown field '%s' in %s", key, what);
		} else if (!has_type(v, specs[i].type)) {
			problem(ld, p, false, key, "'%s' must be %s", key, type_name(specs[i].type));
			if (specs[i].required)
				ok = false;
		}
		free(p);
	}
	for (size_t i = 0; i < n; i++)
		if (specs[i].required && !json_object_get(obj, specs[i].name)) {
			problem(ld, pointer, false, specs[i].name, "missing required field '%s' in %s",
			        specs[i].name, what);
			ok = false;
		}
	return ok;
}

static char *opt_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? assure_xstrdup(json_string_value(v)) : NULL;
}

static bool valid_rule_id(const char *s)
{
	/* ^[A-Z][A-Z0-9]*-[0-9]{3}$ */
	const char *p = s;
	if (!(*p >= 'A' && *p <= 'Z'))
		return false;
	for (p++; (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'); p++)
		;
	if (*p++ != '-')
		return false;
	for (int i = 0; i < 3; i++, p++)
		if (!(*p >= '0' && *p <= '9'))
			return false;
	return *p == '\0';
}

static bool valid_identifier(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static const char *const reserved_names[] = {"true", "false", "null", "as_of", "file", "params", "in"};

/* Compile an expression field; on error a diagnostic with the column. */
static assure_expr *compile_field(loader *ld, json_t *rule, const char *rule_ptr, const char *field,
                                  const char *member_key, json_t *value, const assure_expr_names *names)
{
	(void)rule;
	const char *src = json_string_value(value);
	assure_expr *e = NULL;
	size_t off = 0;
	if (assure_expr_compile(&e, src, names, &off) < 0) {
		char *p = child_pointer(rule_ptr, member_key);
		char *msg = assure_xstrdup(assure_error_last());
		if (strcmp(field, member_key) != 0) {
			char *pp = child_pointer(p, field + strlen(member_key) + 1);
			free(p);
			p = pp;
		}
		expr_problem(ld, p, field, src, off, msg);
		free(msg);
		free(p);
		return NULL;
	}
	return e;
}

/* Say where every param under `v` (named `dotted`) came from. */
static void record_origins(json_t *origins, const char *dotted, json_t *v, const char *origin)
{
	json_object_set_new(origins, dotted, json_string(origin));
	if (!json_is_object(v))
		return;
	const char *key;
	json_t *member;
	json_object_foreach(v, key, member)
	{
		assure_buf name = ASSURE_BUF_INIT;
		assure_buf_printf(&name, "%s.%s", dotted, key);
		record_origins(origins, name.ptr, member, origin);
		assure_buf_free(&name);
	}
}

static void merge_params(loader *ld, json_t *into, json_t *from, const char *dotted, const char *pointer)
{
	const char *key;
	json_t *v;
	json_object_foreach(from, key, v)
	{
		assure_buf name = ASSURE_BUF_INIT;
		assure_buf_printf(&name, "%s%s%s", dotted, *dotted ? "." : "", key);
		char *p = child_pointer(pointer, key);
		json_t *have = json_object_get(into, key);
		if (json_is_object(have) && json_is_object(v)) {
			merge_params(ld, have, v, name.ptr, p);
		} else if (have) {
			json_t *origin = json_object_get(ld->rs->param_origin, name.ptr);
			problem(ld, p, true, "params", "param '%s' is already defined in '%s'", name.ptr,
			        origin ? json_string_value(origin) : "an earlier rule file");
		} else {
			json_t *copy = json_deep_copy(v); /* overrides must not change the rule file's tree */
			json_object_set_new(into, key, copy);
			record_origins(ld->rs->param_origin, name.ptr, copy, ld->file);
		}
		free(p);
		assure_buf_free(&name);
	}
}

static bool valid_name(const char *key)
{
	bool reserved = false;
	for (size_t i = 0; i < COUNT(reserved_names); i++)
		reserved |= strcmp(key, reserved_names[i]) == 0;
	return valid_identifier(key) && !reserved;
}

static bool load_paths(loader *ld, assure_rule *r, json_t *paths, const char *ap)
{
	bool ok = true;
	r->paths = assure_xcalloc(json_array_size(paths) + 1, sizeof(char *));
	size_t i;
	json_t *pv;
	json_array_foreach(paths, i, pv)
	{
		if (!json_is_string(pv) || !*json_string_value(pv)) {
			char *pp = child_pointer(ap, "paths");
			char idx[24];
			snprintf(idx, sizeof(idx), "%zu", i);
			char *ppp = child_pointer(pp, idx);
			problem(ld, ppp, false, "applies_to.paths",
			        "a path pattern must be a non-empty string");
			free(ppp);
			free(pp);
			ok = false;
			continue;
		}
		r->paths[r->path_count++] = assure_xstrdup(json_string_value(pv));
	}
	if (json_array_size(paths) == 0) {
		char *pp = child_pointer(ap, "paths");
		problem(ld, pp, false, "applies_to.paths", "'paths' must list at least one pattern");
		free(pp);
		ok = false;
	}
	return ok;
}

/* "paths": "params.returns.paths": the globs are a param, checked once every file is read. */
static bool load_paths_param(loader *ld, assure_rule *r, json_t *paths, const char *ap)
{
	const char *text = json_string_value(paths);
	if (strncmp(text, "params.", 7) != 0 || !text[7]) {
		char *pp = child_pointer(ap, "paths");
		problem(ld, pp, false, "applies_to.paths",
		        "'paths' must be a list of patterns or the name of a param that holds one, such as "
		        "'params.returns.paths', not '%s'",
		        text);
		free(pp);
		return false;
	}
	r->paths_param = assure_xstrdup(text + 7);
	return true;
}

/* Compile an expression that sees no lets (group.where, group.by, each). */
static assure_expr *compile_plain(loader *ld, const char *pointer, const char *field, json_t *v,
                                  const assure_expr_names *names)
{
	if (!json_is_string(v)) {
		problem(ld, pointer, false, field, "'%s' must be an expression string", field);
		return NULL;
	}
	const char *src = json_string_value(v);
	assure_expr *e = NULL;
	size_t off = 0;
	if (assure_expr_compile(&e, src, names, &off) < 0) {
		char *msg = assure_xstrdup(assure_error_last());
		expr_problem(ld, pointer, field, src, off, msg);
		free(msg);
		return NULL;
	}
	return e;
}

static bool load_group(loader *ld, json_t *rj, assure_rule *r, const char *rule_ptr, json_t *gj,
                       const assure_expr_names *names)
{
	(void)rj;
	char *gp = child_pointer(rule_ptr, "group");
	bool ok = check_fields(ld, gj, gp, "group", group_fields, COUNT(group_fields));
	json_t *kind = json_object_get(gj, "kind");
	char *kp = child_pointer(gp, "kind");
	if (json_is_string(kind) || json_is_array(kind)) {
		size_t n = json_is_string(kind) ? 1 : json_array_size(kind);
		r->group_kinds = assure_xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++) {
			json_t *k = json_is_string(kind) ? kind : json_array_get(kind, i);
			if (!json_is_string(k) || !*json_string_value(k)) {
				problem(ld, kp, false, "group.kind",
				        "'kind' must be a kind or a list of kinds");
				ok = false;
				break;
			}
			bool twice = false;
			for (size_t j = 0; j < r->group_kind_count; j++)
				twice |= strcmp(r->group_kinds[j], json_string_value(k)) == 0;
			if (twice) {
				/* each return is a member once: a kind named twice is a mistake to point at
				 */
				problem(ld, kp, false, "group.kind", "kind '%s' is listed twice",
				        json_string_value(k));
				ok = false;
				continue;
			}
			r->group_kinds[r->group_kind_count++] = assure_xstrdup(json_string_value(k));
		}
		if (n == 0) {
			problem(ld, kp, false, "group.kind", "'kind' must list at least one kind");
			ok = false;
		}
	}
	free(kp);
	json_t *where_j = json_object_get(gj, "where");
	if (where_j) {
		char *wp = child_pointer(gp, "where");
		if (!(r->group_where = compile_plain(ld, wp, "group.where", where_j, names)))
			ok = false;
		free(wp);
	}
	json_t *by = json_object_get(gj, "by");
	if (json_is_object(by)) {
		size_t n = json_object_size(by);
		r->group_by_names = assure_xcalloc(n + 1, sizeof(char *));
		r->group_by = assure_xcalloc(n + 1, sizeof(assure_expr *));
		char *bp = child_pointer(gp, "by");
		const char *key;
		json_t *v;
		json_object_foreach(by, key, v)
		{
			char field[256];
			snprintf(field, sizeof(field), "group.by.%s", key);
			char *p = child_pointer(bp, key);
			assure_expr *e = compile_plain(ld, p, field, v, names);
			free(p);
			if (!e) {
				ok = false;
				continue;
			}
			r->group_by_names[r->group_by_count] = assure_xstrdup(key);
			r->group_by[r->group_by_count++] = e;
		}
		if (n == 0) {
			problem(ld, bp, false, "group.by", "'by' must name at least one member of the key");
			ok = false;
		}
		free(bp);
	}
	free(gp);
	return ok;
}

/* "each": {"month": "range(1, 12)"}: let 0 is the item, bound by the engine. */
static bool load_each(loader *ld, json_t *rj, assure_rule *r, const char *rule_ptr, json_t *each,
                      const assure_expr_names *names, unsigned *let_deps)
{
	(void)rj;
	char *ep = child_pointer(rule_ptr, "each");
	bool ok = true;
	if (json_object_size(each) != 1) {
		problem(ld, ep, false, "each",
		        "'each' must have exactly one member: the item's name and the list, "
		        "as in {\"month\": \"range(1, 12)\"}");
		ok = false;
	} else {
		const char *key = json_object_iter_key(json_object_iter(each));
		char *kp = child_pointer(ep, key);
		char field[256];
		snprintf(field, sizeof(field), "each.%s", key);
		if (!valid_name(key)) {
			problem(ld, kp, true, field, "'%s' cannot be the name of an item", key);
			ok = false;
		} else if ((r->each_expr = compile_plain(ld, kp, field, json_object_get(each, key), names))) {
			r->each_name = assure_xstrdup(key);
			r->let_names[0] = assure_xstrdup(key);
			r->lets[0] = NULL;
			let_deps[0] = ASSURE_EXPR_DEP_NODE;
			r->let_count = 1;
		} else {
			ok = false;
		}
		free(kp);
	}
	free(ep);
	return ok;
}

static void chart_free(assure_chart *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->title);
	free(c->unit);
	for (size_t i = 0; i < c->group.group_kind_count; i++)
		free(c->group.group_kinds[i]);
	free(c->group.group_kinds);
	assure_expr_free(c->group.group_where);
	for (size_t i = 0; i < c->group.group_by_count; i++) {
		free(c->group.group_by_names[i]);
		assure_expr_free(c->group.group_by[i]);
	}
	free(c->group.group_by_names);
	free(c->group.group_by);
	free(c->group.id);
	for (size_t i = 0; i < c->nseries; i++) {
		free(c->series[i]);
		assure_expr_free(c->values[i]);
	}
	free(c->series);
	free(c->values);
	free(c->steps);
	free(c);
}

/* A chart: a group, as a group rule has it, and a value per series on each group. */
static void load_chart(loader *ld, const char *id, json_t *cj)
{
	char *cp = child_pointer("/charts", id);
	ld->rule_id = id;
	if (!json_is_object(cj)) {
		problem(ld, cp, false, "charts", "chart '%s' must be an object", id);
		free(cp);
		return;
	}
	bool ok = check_fields(ld, cj, cp, "a chart", chart_fields, COUNT(chart_fields));
	assure_chart *c = assure_xcalloc(1, sizeof(*c));
	c->id = assure_xstrdup(id);
	c->group.id = assure_xstrdup(id);
	c->group.scope = ASSURE_SCOPE_GROUP;
	c->title = opt_string(cj, "title");
	c->unit = opt_string(cj, "unit");
	assure_expr_names names = {NULL, 0, NULL, ld->rs->helpers};
	json_t *gj = json_object_get(cj, "group");
	if (ok && !load_group(ld, cj, &c->group, cp, gj, &names))
		ok = false;
	json_t *sj = json_object_get(cj, "series");
	size_t n = json_array_size(sj), i;
	json_t *one;
	c->series = assure_xcalloc(n + 1, sizeof(char *));
	c->values = assure_xcalloc(n + 1, sizeof(assure_expr *));
	c->steps = assure_xcalloc(n + 1, sizeof(bool));
	char *sp = child_pointer(cp, "series");
	json_array_foreach(sj, i, one)
	{
		char idx[24];
		snprintf(idx, sizeof(idx), "%zu", i);
		char *p = child_pointer(sp, idx);
		if (!json_is_object(one) ||
		    !check_fields(ld, one, p, "a series", series_fields, COUNT(series_fields))) {
			if (!json_is_object(one))
				problem(ld, p, false, "series",
				        "a series must be an object with a name and a value");
			ok = false;
		} else {
			char *vp = child_pointer(p, "value");
			assure_expr *e =
			    compile_plain(ld, vp, "series.value", json_object_get(one, "value"), &names);
			free(vp);
			if (e) {
				c->series[c->nseries] = opt_string(one, "name");
				c->steps[c->nseries] = json_is_true(json_object_get(one, "step"));
				c->values[c->nseries++] = e;
			} else {
				ok = false;
			}
		}
		free(p);
	}
	if (n == 0 && json_is_array(sj)) {
		problem(ld, sp, false, "series", "a chart needs at least one series");
		ok = false;
	}
	free(sp);
	free(cp);
	ld->rule_id = NULL;
	if (!ok) {
		chart_free(c);
		return;
	}
	ld->rs->charts = assure_xrealloc(ld->rs->charts, (ld->rs->ncharts + 1) * sizeof(assure_chart *));
	ld->rs->charts[ld->rs->ncharts++] = c;
}

static void add_rule(assure_ruleset *rs, assure_rule *r)
{
	if (rs->count == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 32;
		rs->rules = assure_xrealloc(rs->rules, rs->cap * sizeof(*rs->rules));
	}
	rs->rules[rs->count++] = r;
}

static void load_rule(loader *ld, json_t *rj, size_t index)
{
	char rule_ptr[64];
	snprintf(rule_ptr, sizeof(rule_ptr), "/rules/%zu", index);
	ld->rule_id = NULL;
	if (!json_is_object(rj)) {
		problem(ld, rule_ptr, false, NULL, "rule %zu must be an object", index);
		return;
	}
	json_t *idv = json_object_get(rj, "id");
	bool duplicate = false;
	if (json_is_string(idv)) {
		ld->rule_id = json_string_value(idv);
		/* Checked before anything else, so that lint reports a duplicate even when
		 * either definition has other problems. */
		json_t *first = json_object_get(ld->rs->id_origin, ld->rule_id);
		char *p = child_pointer(rule_ptr, "id");
		int line = 0, col = 0;
		if (assure_doc_locate(ld->doc, rule_ptr, &line, &col) < 0)
			line = 0;
		if (first) {
			problem(ld, p, false, "id", "duplicate rule id '%s' (first defined in %s)",
			        ld->rule_id, json_string_value(first));
		} else {
			assure_buf at = ASSURE_BUF_INIT;
			assure_buf_printf(&at, "%s:%d", ld->file, line);
			json_object_set_new(ld->rs->id_origin, ld->rule_id, json_string(at.ptr));
			assure_buf_free(&at);
		}
		free(p);
		duplicate = first != NULL;
	}
	bool ok = check_fields(ld, rj, rule_ptr, "a rule", rule_fields, COUNT(rule_fields));
	if (!ok)
		return;

	assure_rule *r = assure_xcalloc(1, sizeof(*r));
	r->id = assure_xstrdup(json_string_value(idv));
	r->file = assure_xstrdup(ld->file);
	int col;
	if (assure_doc_locate(ld->doc, rule_ptr, &r->line, &col) < 0)
		r->line = 0;
	char *p;

	if (duplicate)
		ok = false;
	if (!valid_rule_id(r->id)) {
		p = child_pointer(rule_ptr, "id");
		problem(ld, p, false, "id", "rule id '%s' does not match ^[A-Z][A-Z0-9]*-[0-9]{3}$", r->id);
		free(p);
		ok = false;
	}
	r->title = opt_string(rj, "title");
	r->domain = opt_string(rj, "domain");
	r->description = opt_string(rj, "description");
	r->rationale = opt_string(rj, "rationale");
	r->reference = opt_string(rj, "reference");
	r->help = opt_string(rj, "help");

	const char *sev = json_string_value(json_object_get(rj, "severity"));
	if (assure_severity_parse(&r->severity, sev) < 0) {
		p = child_pointer(rule_ptr, "severity");
		problem(ld, p, false, "severity", "severity must be 'error', 'warning' or 'info', not '%s'",
		        sev);
		free(p);
		ok = false;
	}

	/* applies_to */
	char *ap = child_pointer(rule_ptr, "applies_to");
	json_t *aj = json_object_get(rj, "applies_to");
	json_t *gj = json_object_get(rj, "group");
	json_t *paths = NULL;
	if (aj) {
		check_fields(ld, aj, ap, "applies_to", applies_fields, COUNT(applies_fields));
		r->kind = opt_string(aj, "kind");
		paths = json_object_get(aj, "paths");
		/* a param's name, or the patterns themselves */
		if (json_is_string(paths) ? !load_paths_param(ld, r, paths, ap)
		                          : json_is_array(paths) && !load_paths(ld, r, paths, ap))
			ok = false;
		if (!r->kind && !paths) {
			problem(ld, ap, false, "applies_to", "applies_to needs 'kind' or 'paths'");
			ok = false;
		}
	} else if (!gj) {
		problem(ld, rule_ptr, false, "applies_to",
		        "missing required field 'applies_to' in a rule (only a rule with 'group' may leave "
		        "it out)");
		ok = false;
	}
	free(ap);

	const char *scope = json_string_value(json_object_get(rj, "scope"));
	if (scope && strcmp(scope, "snapshot") == 0) {
		r->scope = ASSURE_SCOPE_SNAPSHOT;
	} else if (scope && strcmp(scope, "return") != 0) {
		p = child_pointer(rule_ptr, "scope");
		problem(ld, p, false, "scope", "scope must be 'return' or 'snapshot', not '%s'", scope);
		free(p);
		ok = false;
	}
	assure_expr_names plain = {NULL, 0, NULL, ld->rs->helpers};
	if (gj) {
		if (scope && strcmp(scope, "return") == 0) {
			p = child_pointer(rule_ptr, "scope");
			problem(ld, p, false, "scope",
			        "a rule with 'group' is evaluated per group: leave out 'scope' or make it "
			        "'snapshot'");
			free(p);
			ok = false;
		}
		r->scope = ASSURE_SCOPE_GROUP;
		if (!load_group(ld, rj, r, rule_ptr, gj, &plain))
			ok = false;
	}

	json_t *fe = json_object_get(rj, "for_each");
	const char *fe_src = fe ? json_string_value(fe) : "$";
	size_t off = 0;
	if (assure_jsonpath_parse(&r->for_each, fe_src, strlen(fe_src), NULL, &off) < 0) {
		p = child_pointer(rule_ptr, "for_each");
		char *msg = assure_xstrdup(assure_error_last());
		expr_problem(ld, p, "for_each", fe_src, off, msg);
		free(msg);
		free(p);
		r->for_each = NULL;
		ok = false;
	}

	/* lets, in order; each sees the ones before it (and the name of each, first) */
	json_t *lets = json_object_get(rj, "let");
	json_t *each = json_object_get(rj, "each");
	size_t n = (lets ? json_object_size(lets) : 0) + 1;
	r->let_names = assure_xcalloc(n + 1, sizeof(char *));
	r->lets = assure_xcalloc(n + 1, sizeof(assure_expr *));
	unsigned *let_deps = assure_xcalloc(n + 1, sizeof(unsigned));
	if (each && !load_each(ld, rj, r, rule_ptr, each, &plain, let_deps))
		ok = false;
	if (lets) {
		const char *key;
		json_t *v;
		json_object_foreach(lets, key, v)
		{
			char field[256];
			snprintf(field, sizeof(field), "let.%s", key);
			char *lp = child_pointer(rule_ptr, "let");
			char *kp = child_pointer(lp, key);
			free(lp);
			if (!valid_name(key)) {
				problem(ld, kp, true, field, "'%s' cannot be a let name", key);
				ok = false;
			} else if (!json_is_string(v)) {
				problem(ld, kp, false, field, "'%s' must be an expression string", field);
				ok = false;
			} else {
				assure_expr_names names = {(const char *const *)r->let_names, r->let_count,
				                           let_deps, ld->rs->helpers};
				assure_expr *e = compile_field(ld, rj, rule_ptr, field, "let", v, &names);
				/*
				 * A let that did not compile still names itself, so that what uses it is not
				 * reported again as an unknown name: one mistake, one error.
				 */
				let_deps[r->let_count] = e ? assure_expr_deps(e) : ASSURE_EXPR_DEP_NODE;
				r->let_names[r->let_count] = assure_xstrdup(key);
				r->lets[r->let_count++] = e;
				if (!e)
					ok = false;
			}
			free(kp);
		}
	}
	assure_expr_names names = {(const char *const *)r->let_names, r->let_count, let_deps,
	                           ld->rs->helpers};
	json_t *v;
	if ((v = json_object_get(rj, "when")) &&
	    !(r->when = compile_field(ld, rj, rule_ptr, "when", "when", v, &names)))
		ok = false;
	if (!(r->assert_expr =
	          compile_field(ld, rj, rule_ptr, "assert", "assert", json_object_get(rj, "assert"), &names)))
		ok = false;
	if ((v = json_object_get(rj, "subject")) &&
	    !(r->subject = compile_field(ld, rj, rule_ptr, "subject", "subject", v, &names)))
		ok = false;
	const char *msg_src = json_string_value(json_object_get(rj, "message"));
	int tpl_rc = assure_template_compile(&r->message, msg_src, &names, &off);
	free(let_deps);
	if (tpl_rc < 0) {
		p = child_pointer(rule_ptr, "message");
		char *msg = assure_xstrdup(assure_error_last());
		expr_problem(ld, p, "message", msg_src, off, msg);
		free(msg);
		free(p);
		r->message = NULL;
		ok = false;
	}

	json_t *ex = json_object_get(rj, "examples");
	if (ex) {
		p = child_pointer(rule_ptr, "examples");
		check_fields(ld, ex, p, "examples", example_fields, COUNT(example_fields));
		free(p);
		r->example_fail = opt_string(ex, "fail");
		r->example_pass = opt_string(ex, "pass");
		r->example_as_of = opt_string(ex, "as_of");
	}

	if (!ok) {
		rule_free(r);
		return;
	}
	for (size_t i = 0; i < r->let_count; i++)
		r->reads |= r->lets[i] ? assure_expr_reads(r->lets[i]) : 0;
	r->reads |= r->each_expr ? assure_expr_reads(r->each_expr) : 0;
	r->reads |= r->group_where ? assure_expr_reads(r->group_where) : 0;
	for (size_t i = 0; i < r->group_by_count; i++)
		r->reads |= assure_expr_reads(r->group_by[i]);
	r->reads |= r->when ? assure_expr_reads(r->when) : 0;
	r->reads |= assure_expr_reads(r->assert_expr);
	r->reads |= r->subject ? assure_expr_reads(r->subject) : 0;
	r->reads |= assure_template_reads(r->message);
	add_rule(ld->rs, r);
}

static void append_name(assure_buf *b, const char *s)
{
	/* the same name from several files counts once */
	size_t n = strlen(s);
	const char *p = b->ptr;
	while (p && *p) {
		const char *end = strchr(p, '+');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, s, n) == 0)
			return;
		p = end ? end + 1 : NULL;
	}
	if (b->len)
		assure_buf_putc(b, '+');
	assure_buf_puts(b, s);
}

/* A FIFO in a folder of rule files must not hang the load: file.h opens without blocking. */
static int read_file(const char *path, char **data, size_t *len)
{
	return assure_file_read(path, data, len);
}

/* A rule file read but whose rules are not compiled yet (see ruleset.h: a load has phases). */
typedef struct pending {
	loader ld;         /* the file, its doc, where problems go */
	json_t *root;      /* borrowed from ld.doc; NULL when the file could not be used */
	long *helpers;     /* index in rs->helpers of each of the file's helpers, -1 if refused */
	const char **sigs; /* their signatures (member names), borrowed from the doc */
	size_t nhelpers;
} pending;

/* Declare the file's helpers; bodies are compiled once every file's are declared. */
static void declare_helpers(pending *pf, json_t *hj)
{
	size_t n = json_object_size(hj);
	pf->helpers = assure_xcalloc(n + 1, sizeof(long));
	pf->sigs = assure_xcalloc(n + 1, sizeof(char *));
	const char *sig;
	json_t *body;
	json_object_foreach(hj, sig, body)
	{
		size_t k = pf->nhelpers++;
		pf->sigs[k] = sig;
		char *p = child_pointer("/helpers", sig);
		size_t off = 0;
		pf->helpers[k] = -1;
		if (!json_is_string(body)) {
			problem(&pf->ld, p, false, "helpers", "helper '%s' must be an expression string",
			        sig);
		} else if ((pf->helpers[k] = assure_helpers_declare(pf->ld.rs->helpers, sig, &off)) < 0) {
			int line = 0, col = 0;
			where(&pf->ld, p, true, &line, &col);
			char *msg = assure_xstrdup(assure_error_last());
			assure_diags_add(pf->ld.diags, pf->ld.file, line, col ? col + 1 + (int)off : 0, NULL,
			                 "helpers", (int)off + 1, sig, "%s", msg);
			free(msg);
		}
		free(p);
	}
}

static void define_helpers(pending *pf)
{
	json_t *hj = json_object_get(pf->root, "helpers");
	for (size_t k = 0; k < pf->nhelpers; k++) {
		if (pf->helpers[k] < 0)
			continue;
		json_t *body = json_object_get(hj, pf->sigs[k]);
		char *p = child_pointer("/helpers", pf->sigs[k]);
		size_t off = 0;
		if (assure_helpers_define(pf->ld.rs->helpers, (size_t)pf->helpers[k], json_string_value(body),
		                          &off) < 0) {
			char field[300];
			snprintf(field, sizeof(field), "helper %s", pf->sigs[k]);
			char *msg = assure_xstrdup(assure_error_last());
			expr_problem(&pf->ld, p, field, json_string_value(body), off, msg);
			free(msg);
		}
		free(p);
	}
}

/*
 * Phase 1 of a file: read it, hash it, check its fields, merge its params and declare its
 * helpers. `name` is the file's path relative to the rule set path given (its base name
 * when a file was given), so the hash does not depend on where the rules are installed.
 */
static int read_rule_file(assure_ruleset *rs, const char *path, const char *name, assure_diags *diags,
                          pending *pf)
{
	char *data;
	size_t len;
	memset(pf, 0, sizeof(*pf));
	if (read_file(path, &data, &len) < 0)
		return -1;
	rs->files++;
	assure_buf_printf(&rs->hashed, "%s%c%zu%c", name, 0, len, 0);
	assure_buf_put(&rs->hashed, data, len);

	pf->ld = (loader){rs, diags, NULL, assure_xstrdup(path), NULL};
	int line = 0, col = 0;
	if (assure_doc_parse(&pf->ld.doc, data, len, &line, &col) < 0) {
		assure_diags_add(diags, path, line, col, NULL, NULL, 0, NULL, "%s", assure_error_last());
		pf->ld.doc = NULL;
		free(data);
		return 0;
	}
	free(data);
	json_t *root = assure_doc_root(pf->ld.doc);
	if (!json_is_object(root)) {
		problem(&pf->ld, "", false, NULL, "a rule file must be a JSON object");
	} else if (check_fields(&pf->ld, root, "", "a rule file", file_fields, COUNT(file_fields))) {
		pf->root = root;
		append_name(&rs->names, json_string_value(json_object_get(root, "ruleset")));
		append_name(&rs->versions, json_string_value(json_object_get(root, "version")));
		json_t *params = json_object_get(root, "params");
		if (params)
			merge_params(&pf->ld, rs->params, params, "", "/params");
		json_t *hj = json_object_get(root, "helpers");
		if (hj)
			declare_helpers(pf, hj);
	}
	return 0;
}

static void pending_free(pending *pf)
{
	assure_doc_free(pf->ld.doc);
	free((char *)pf->ld.file);
	free(pf->helpers);
	free(pf->sigs);
}

/* Where a rule set param's dotted name leads, or NULL. */
static json_t *param_at(json_t *params, const char *dotted)
{
	json_t *at = params;
	const char *p = dotted;
	while (at && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		at = json_is_object(at) ? json_object_getn(at, p, len) : NULL;
		p += len + (dot ? 1 : 0);
		if (dot && !*p)
			return NULL;
	}
	return at;
}

/* A param that applies_to.paths names must hold a non-empty list of non-empty strings. */
static const char *paths_problem(json_t *v)
{
	if (!v)
		return "there is no such param";
	if (!json_is_array(v) || json_array_size(v) == 0)
		return "it must be a non-empty list of path patterns";
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) if (!json_is_string(item) ||
	                                   !*json_string_value(item)) return "every "
	                                                                     "pattern in it "
	                                                                     "must be a "
	                                                                     "non-empty "
	                                                                     "string";
	return NULL;
}

/* Set the globs of every rule whose applies_to.paths names a param from that param's value. */
static void set_paths_from_params(assure_ruleset *rs)
{
	for (size_t k = 0; k < rs->count; k++) {
		assure_rule *r = rs->rules[k];
		if (!r->paths_param)
			continue;
		for (size_t i = 0; i < r->path_count; i++)
			free(r->paths[i]);
		free(r->paths);
		json_t *v = param_at(rs->params, r->paths_param);
		r->path_count = json_array_size(v);
		r->paths = assure_xcalloc(r->path_count + 1, sizeof(char *));
		for (size_t i = 0; i < r->path_count; i++)
			r->paths[i] = assure_xstrdup(json_string_value(json_array_get(v, i)));
	}
}

/* Compile the rules of every file read, now that all params and helpers are known. */
static void compile_rule_files(assure_ruleset *rs, pending *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (files[i].root)
			define_helpers(&files[i]);
	size_t which = 0;
	if (assure_helpers_finish(rs->helpers, &which) < 0) {
		char *msg = assure_xstrdup(assure_error_last());
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < files[i].nhelpers; k++)
				if (files[i].helpers[k] == (long)which) {
					char *p = child_pointer("/helpers", files[i].sigs[k]);
					problem(&files[i].ld, p, true, "helpers", "%s", msg);
					free(p);
				}
		free(msg);
	}
	for (size_t i = 0; i < n; i++) {
		if (!files[i].root)
			continue;
		size_t first = rs->count, k;
		json_t *rj;
		json_array_foreach(json_object_get(files[i].root, "rules"), k, rj)
		    load_rule(&files[i].ld, rj, k);
		const char *cid;
		json_t *cj;
		json_object_foreach(json_object_get(files[i].root, "charts"), cid, cj)
		    load_chart(&files[i].ld, cid, cj);
		/* a param named by applies_to.paths must hold patterns, whichever file defines it */
		for (size_t j = first; j < rs->count; j++) {
			assure_rule *r = rs->rules[j];
			const char *why =
			    r->paths_param ? paths_problem(param_at(rs->params, r->paths_param)) : NULL;
			if (!why)
				continue;
			char ptr[96];
			snprintf(ptr, sizeof(ptr), "/rules/%zu/applies_to/paths", j - first);
			files[i].ld.rule_id = r->id;
			problem(&files[i].ld, ptr, false, "applies_to.paths",
			        "param '%s' cannot give the paths: %s", r->paths_param, why);
		}
	}
	set_paths_from_params(rs);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(const char *dir, char ***list, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return assure_error_set("cannot open '%s': %s", dir, strerror(errno));
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		assure_buf p = ASSURE_BUF_INIT;
		assure_buf_printf(&p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = collect(p.ptr, list, n, cap);
			assure_buf_free(&p);
			if (rc < 0)
				break;
			continue;
		}
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				*list = assure_xrealloc(*list, *cap * sizeof(char *));
			}
			(*list)[(*n)++] = assure_buf_detach(&p);
		} else {
			assure_buf_free(&p);
		}
	}
	closedir(d);
	return rc;
}

int assure_ruleset_load(assure_ruleset *rs, const char *path, assure_diags *diags)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return assure_error_set("cannot read rules '%s': %s", path, strerror(errno));
	char **files = NULL;
	size_t n = 0, cap = 0, prefix = 0;
	int rc = 0;
	if (!S_ISDIR(st.st_mode)) {
		files = assure_xcalloc(2, sizeof(char *));
		files[n++] = assure_xstrdup(path);
		const char *slash = strrchr(path, '/');
		prefix = slash ? (size_t)(slash + 1 - path) : 0;
	} else {
		/* strip trailing slashes so that paths in messages look the same however the dir was named */
		char *dir = assure_xstrdup(path);
		for (size_t l = strlen(dir); l > 1 && dir[l - 1] == '/'; l--)
			dir[l - 1] = '\0';
		rc = collect(dir, &files, &n, &cap);
		prefix = strlen(dir) + 1;
		free(dir);
		if (rc == 0 && n > 0)
			qsort(files, n, sizeof(char *), cmp_str);
		else if (rc == 0)
			rc = assure_error_set("no rule files (*.json) in '%s'", path);
	}
	pending *read = assure_xcalloc(n + 1, sizeof(pending));
	size_t nread = 0;
	for (size_t i = 0; i < n && rc == 0; i++, nread++)
		rc = read_rule_file(rs, files[i], files[i] + prefix, diags, &read[i]);
	if (rc == 0)
		compile_rule_files(rs, read, nread);
	for (size_t i = 0; i < nread; i++)
		pending_free(&read[i]);
	free(read);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}

/* ---- params set after loading ---- */

json_t *assure_ruleset_param(const assure_ruleset *rs, const char *dotted)
{
	return param_at(rs->params, dotted);
}

static bool same_type(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return true;
	if (json_is_boolean(a) && json_is_boolean(b))
		return true;
	return json_typeof(a) == json_typeof(b);
}

static const char *json_type_name(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true or false";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

int assure_ruleset_set_param(assure_ruleset *rs, const char *dotted, json_t *value, const char *origin)
{
	json_t *have = param_at(rs->params, dotted);
	if (json_is_object(have) && json_is_object(value) && json_object_size(value) > 0) {
		/* an object of params sets each of them, checked one by one, as a params file does */
		const char *key;
		json_t *member;
		json_object_foreach(value, key, member)
		{
			assure_buf name = ASSURE_BUF_INIT;
			assure_buf_printf(&name, "%s.%s", dotted, key);
			int rc = assure_ruleset_set_param(rs, name.ptr, member, origin);
			assure_buf_free(&name);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	if (!have)
		return assure_error_set("unknown param '%s' (assure rules params lists them)", dotted);
	if (!same_type(have, value))
		return assure_error_set("param '%s' must be %s, not %s", dotted, json_type_name(have),
		                        json_type_name(value));
	for (size_t k = 0; k < rs->count; k++) {
		const char *pp = rs->rules[k]->paths_param;
		const char *why = pp && strcmp(pp, dotted) == 0 ? paths_problem(value) : NULL;
		if (why)
			return assure_error_set("param '%s' gives the paths of %s: %s", dotted,
			                        rs->rules[k]->id, why);
	}
	/* set it in its parent object */
	const char *dot = strrchr(dotted, '.');
	json_t *parent = rs->params;
	if (dot) {
		char *up = assure_xstrndup(dotted, (size_t)(dot - dotted));
		parent = param_at(rs->params, up);
		free(up);
	}
	json_t *copy = json_deep_copy(value);
	json_object_set_new(parent, dot ? dot + 1 : dotted, copy);
	record_origins(rs->param_origin, dotted, copy, origin);
	set_paths_from_params(rs);
	return 0;
}

static void params_walk(const assure_ruleset *rs, json_t *obj, const char *prefix, assure_param_fn fn,
                        void *payload)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		assure_buf name = ASSURE_BUF_INIT;
		assure_buf_printf(&name, "%s%s%s", prefix, *prefix ? "." : "", key);
		if (json_is_object(v) && json_object_size(v) > 0) {
			params_walk(rs, v, name.ptr, fn, payload);
		} else {
			json_t *origin = json_object_get(rs->param_origin, name.ptr);
			fn(name.ptr, v, origin ? json_string_value(origin) : "", payload);
		}
		assure_buf_free(&name);
	}
}

void assure_ruleset_params_each(const assure_ruleset *rs, assure_param_fn fn, void *payload)
{
	params_walk(rs, rs->params, "", fn, payload);
}

/* The members of obj under `dotted` (assure_ruleset_set_params). */
static int set_params(assure_ruleset *rs, json_t *obj, const char *origin, assure_doc *doc, const char *file,
                      const char *dotted, const char *pointer, bool say_pointer, assure_diags *diags)
{
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(obj, key, v)
	{
		assure_buf name = ASSURE_BUF_INIT, ptr = ASSURE_BUF_INIT;
		assure_buf_printf(&name, "%s%s%s", dotted, *dotted ? "." : "", key);
		assure_buf_puts(&ptr, pointer);
		assure_buf_put_pointer_token(&ptr, key);
		json_t *have = assure_ruleset_param(rs, name.ptr);
		if (json_is_object(v) && json_is_object(have)) {
			rc |= set_params(rs, v, origin, doc, file, name.ptr, ptr.ptr, say_pointer, diags);
		} else if (assure_ruleset_set_param(rs, name.ptr, v, origin) < 0) {
			int line = 0, col = 0;
			if (!doc || assure_doc_locate_key(doc, ptr.ptr, &line, &col) < 0)
				line = col = 0;
			if (say_pointer)
				assure_diags_add(diags, file, line, col, NULL, NULL, 0, NULL, "%s: %s",
				                 ptr.ptr, assure_error_last());
			else
				assure_diags_add(diags, file, line, col, NULL, NULL, 0, NULL, "%s",
				                 assure_error_last());
			rc = -1;
		}
		assure_buf_free(&name);
		assure_buf_free(&ptr);
	}
	return rc;
}

int assure_ruleset_set_params(assure_ruleset *rs, json_t *obj, const char *origin, assure_doc *doc,
                              const char *file, const char *pointer, bool say_pointer, assure_diags *diags)
{
	return set_params(rs, obj, origin, doc, file, "", pointer, say_pointer, diags) ? -1 : 0;
}
