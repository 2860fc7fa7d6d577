/* waiver.c: parsing, checking and applying a waivers file (see waiver.h, docs/waivers.md). */
#include "assure/waiver.h"

#include "assure/buf.h"
#include "assure/date.h"
#include "assure/doc.h"
#include "assure/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct assure_waivers {
	char *file;                /* as findings name it */
	assure_waiver *items;      /* in file order */
	size_t count;              /* entries of items */
	bool broken;               /* the file as a whole is not a waivers file */
	assure_findings *problems; /* ASSURE-WAIVER-INVALID findings */
};

/* The fields of an entry: the one list that parsing, the unknown-key message and the docs follow. */
typedef struct field {
	const char *name; /* key in the entry */
	size_t offset;    /* of its char * in assure_waiver */
	bool required;    /* an entry without it is invalid */
	const char *why;  /* what it is, for the message of a missing one */
} field;

static const field fields[] = {
    {"rule", offsetof(assure_waiver, rule), true, "the rule id it accepts"},
    {"subject", offsetof(assure_waiver, subject), false, NULL},
    {"path", offsetof(assure_waiver, path), false, NULL},
    {"fingerprint", offsetof(assure_waiver, fingerprint), false, NULL},
    {"reason", offsetof(assure_waiver, reason), true, "why the breach is accepted"},
    {"approved_by", offsetof(assure_waiver, approved_by), true, "who approved it"},
    {"approved_on", offsetof(assure_waiver, approved_on), true, "the day it was approved, YYYY-MM-DD"},
    {"expires", offsetof(assure_waiver, expires), true, "the last day it accepts a finding, YYYY-MM-DD"},
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static char **field_of(assure_waiver *w, const field *fd)
{
	return (char **)((char *)w + fd->offset);
}

/* An ASSURE-WAIVER-* finding about the waivers file at pointer (located in doc when there is one). */
static void add_problem(assure_findings *out, const char *rule_id, assure_severity sev, const char *file,
                        const char *pointer, int line, int column, const char *subject, const char *message)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule_id;
	f.severity = sev;
	f.domain = "waivers";
	f.title = sev == ASSURE_SEV_INFO ? "waiver matches no finding" : "waiver not accepted";
	f.message = (char *)message;
	f.path = (char *)file;
	f.pointer = (char *)pointer;
	f.line = line;
	f.column = column;
	f.subject = (char *)subject;
	assure_findings_add(out, &f);
}

typedef struct parser {
	assure_waivers *w;
	assure_doc *doc;
	int max_days;
} parser;

static void locate(parser *p, const char *pointer, bool key, int *line, int *column)
{
	*line = *column = 0;
	if (!p->doc)
		return;
	int rc = key ? assure_doc_locate_key(p->doc, pointer, line, column)
	             : assure_doc_locate(p->doc, pointer, line, column);
	if (rc < 0)
		*line = *column = 0;
}

/* A problem at pointer (its key's place when key), as "waiver /waivers/N: ..." or about the file. */
static void problem(parser *p, const char *pointer, bool key, bool broken, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void problem(parser *p, const char *pointer, bool key, bool broken, const char *fmt, ...)
{
	assure_buf msg = ASSURE_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	assure_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	int line, column;
	locate(p, pointer, key, &line, &column);
	add_problem(p->w->problems, ASSURE_RULE_WAIVER_INVALID, ASSURE_SEV_ERROR, p->w->file, pointer, line,
	            column, msg.ptr, msg.ptr);
	if (broken)
		p->w->broken = true;
	assure_buf_free(&msg);
}

/*
 * s as messages carry the repository's text: one line, no control character (buf.h's visible
 * form); the caller frees it.
 */
static char *vis(const char *s)
{
	assure_buf b = ASSURE_BUF_INIT;
	assure_buf_put_visible(&b, s ? s : "");
	return assure_buf_detach(&b);
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void parse_entry(parser *p, assure_waiver *w, size_t i, json_t *entry)
{
	assure_buf ptr = ASSURE_BUF_INIT, where = ASSURE_BUF_INIT;
	assure_buf_printf(&ptr, "/waivers/%zu", i);
	assure_buf_printf(&where, "%s#%s", p->w->file, ptr.ptr);
	w->pointer = assure_xstrdup(ptr.ptr);
	w->where = assure_xstrdup(where.ptr);
	locate(p, w->pointer, false, &w->line, &w->column);
	w->valid = true;
	if (!json_is_object(entry)) {
		problem(p, w->pointer, false, false, "waiver %s is not an object", w->pointer);
		w->valid = false;
		goto done;
	}
	const char *key;
	json_t *value;
	json_object_foreach(entry, key, value)
	{
		const field *fd = NULL;
		for (size_t k = 0; k < NFIELDS && !fd; k++)
			if (strcmp(fields[k].name, key) == 0)
				fd = &fields[k];
		assure_buf at = ASSURE_BUF_INIT;
		assure_buf_puts(&at, w->pointer);
		assure_buf_put_pointer_token(&at, key);
		if (!fd) {
			/* the keys an entry may have, from the one table */
			char *k = vis(key);
			assure_buf known = ASSURE_BUF_INIT;
			for (size_t f = 0; f < NFIELDS; f++)
				assure_buf_printf(&known, "%s%s", f ? ", " : "", fields[f].name);
			problem(p, at.ptr, true, false, "waiver %s: unknown key '%s' (%s)", w->pointer, k,
			        known.ptr);
			assure_buf_free(&known);
			free(k);
			w->valid = false;
		} else if (!json_is_string(value)) {
			problem(p, at.ptr, false, false, "waiver %s: '%s' is not a string", w->pointer,
			        fd->name);
			w->valid = false;
		} else {
			*field_of(w, fd) = assure_xstrdup(json_string_value(value));
		}
		assure_buf_free(&at);
	}
	for (size_t k = 0; k < NFIELDS; k++) {
		const char *v = *field_of(w, &fields[k]);
		if (v && !blank(v))
			continue;
		if (v) {
			assure_buf at = ASSURE_BUF_INIT;
			assure_buf_printf(&at, "%s/%s", w->pointer, fields[k].name);
			problem(p, at.ptr, false, false, "waiver %s: '%s' is empty", w->pointer,
			        fields[k].name);
			assure_buf_free(&at);
			w->valid = false;
		} else if (fields[k].required && json_object_get(entry, fields[k].name) == NULL) {
			problem(p, w->pointer, false, false, "waiver %s: missing '%s' (%s)", w->pointer,
			        fields[k].name, fields[k].why);
			w->valid = false;
		}
	}
	if (w->rule && strncmp(w->rule, "ASSURE-", 7) == 0) {
		char *r = vis(w->rule);
		problem(p, w->pointer, false, false,
		        "waiver %s: '%s' is a finding of assure itself, which no waiver accepts", w->pointer,
		        r);
		free(r);
		w->valid = false;
	}
	if (!w->subject && !w->path && !w->fingerprint) {
		problem(p, w->pointer, false, false,
		        "waiver %s: give 'subject', 'path' or 'fingerprint': which findings of the rule it "
		        "accepts",
		        w->pointer);
		w->valid = false;
	}
	if (w->fingerprint && !blank(w->fingerprint) && !assure_fingerprint_valid(w->fingerprint)) {
		assure_buf at = ASSURE_BUF_INIT;
		assure_buf_printf(&at, "%s/fingerprint", w->pointer);
		problem(p, at.ptr, false, false,
		        "waiver %s: 'fingerprint' is not 40 lower-case hexadecimal digits", w->pointer);
		assure_buf_free(&at);
		w->valid = false;
	}
	bool dates = true;
	const char *names[2] = {"approved_on", "expires"};
	const char *texts[2] = {w->approved_on, w->expires};
	int32_t *days[2] = {&w->approved, &w->expiry};
	for (int k = 0; k < 2; k++) {
		if (!texts[k] || blank(texts[k])) {
			dates = false;
			continue;
		}
		if (assure_date_parse_iso(days[k], texts[k]) < 0) {
			assure_buf at = ASSURE_BUF_INIT;
			assure_buf_printf(&at, "%s/%s", w->pointer, names[k]);
			char *t = vis(texts[k]);
			problem(p, at.ptr, false, false, "waiver %s: '%s' is not a date YYYY-MM-DD: '%s'",
			        w->pointer, names[k], t);
			free(t);
			assure_buf_free(&at);
			w->valid = false;
			dates = false;
		}
	}
	if (dates) {
		assure_buf at = ASSURE_BUF_INIT;
		assure_buf_printf(&at, "%s/expires", w->pointer);
		if (w->expiry < w->approved) {
			problem(p, at.ptr, false, false, "waiver %s: 'expires' %s is before 'approved_on' %s",
			        w->pointer, w->expires, w->approved_on);
			w->valid = false;
		} else if (w->expiry - w->approved > p->max_days) {
			problem(
			    p, at.ptr, false, false,
			    "waiver %s: 'expires' %s is %ld days after 'approved_on' %s, more than the %d a "
			    "waiver may run (max_waiver_days)",
			    w->pointer, w->expires, (long)(w->expiry - w->approved), w->approved_on,
			    p->max_days);
			w->valid = false;
		}
		assure_buf_free(&at);
	}
done:
	assure_buf_free(&ptr);
	assure_buf_free(&where);
}

static assure_waivers *new_set(const char *file)
{
	assure_waivers *w = assure_xcalloc(1, sizeof(*w));
	w->file = assure_xstrdup(file);
	assure_findings_new(&w->problems);
	return w;
}

int assure_waivers_parse(assure_waivers **out, const char *file, const char *text, size_t len,
                         const assure_waiver_opts *opts)
{
	assure_waivers *w = new_set(file);
	parser p = {w, NULL, opts && opts->max_days > 0 ? opts->max_days : ASSURE_MAX_WAIVER_DAYS};
	int line = 0, column = 0;
	if (assure_doc_parse(&p.doc, text, len, &line, &column) < 0) {
		assure_buf msg = ASSURE_BUF_INIT;
		assure_buf_printf(&msg, "waivers file is not valid JSON: %s", assure_error_last());
		add_problem(w->problems, ASSURE_RULE_WAIVER_INVALID, ASSURE_SEV_ERROR, w->file, "", line,
		            column, "", msg.ptr);
		assure_buf_free(&msg);
		w->broken = true;
		*out = w;
		return 0;
	}
	json_t *root = assure_doc_root(p.doc);
	json_t *list = json_is_object(root) ? json_object_get(root, "waivers") : NULL;
	if (!json_is_object(root)) {
		problem(&p, "", false, true, "waivers file is not a JSON object with a 'waivers' array");
	} else if (!list) {
		problem(&p, "", false, true, "waivers file has no 'waivers' array");
	} else if (!json_is_array(list)) {
		problem(&p, "/waivers", false, true, "'waivers' is not an array");
	} else {
		const char *key;
		json_t *value;
		json_object_foreach(root, key, value)
		{
			if (strcmp(key, "waivers") == 0)
				continue;
			assure_buf at = ASSURE_BUF_INIT;
			assure_buf_put_pointer_token(&at, key);
			char *k = vis(key);
			problem(&p, at.ptr, true, true, "waivers file: unknown key '%s' (waivers)", k);
			free(k);
			assure_buf_free(&at);
		}
		w->count = json_array_size(list);
		w->items = assure_xcalloc(w->count ? w->count : 1, sizeof(*w->items));
		for (size_t i = 0; i < w->count; i++)
			parse_entry(&p, &w->items[i], i, json_array_get(list, i));
	}
	assure_doc_free(p.doc);
	*out = w;
	return 0;
}

int assure_waivers_from_snapshot(assure_waivers **out, const assure_snapshot *snap,
                                 const assure_waiver_opts *opts)
{
	*out = NULL;
	const char *path = opts && opts->path ? opts->path : ASSURE_WAIVERS_FILE;
	long i = assure_snapshot_find(snap, path);
	if (i < 0)
		return 0;
	char *data = NULL;
	size_t len = 0;
	if (assure_snapshot_read(snap, (size_t)i, &data, &len) < 0) {
		assure_waivers *w = new_set(path);
		assure_buf msg = ASSURE_BUF_INIT;
		assure_buf_printf(&msg, "waivers file could not be read: %s", assure_error_last());
		add_problem(w->problems, ASSURE_RULE_WAIVER_INVALID, ASSURE_SEV_ERROR, path, "", 0, 0, "",
		            msg.ptr);
		assure_buf_free(&msg);
		w->broken = true;
		*out = w;
		return 0;
	}
	int rc = assure_waivers_parse(out, path, data, len, opts);
	free(data);
	return rc;
}

void assure_waivers_free(assure_waivers *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->count; i++) {
		assure_waiver *e = &w->items[i];
		for (size_t k = 0; k < NFIELDS; k++)
			free(*field_of(e, &fields[k]));
		free(e->where);
		free(e->pointer);
	}
	free(w->items);
	free(w->file);
	assure_findings_free(w->problems);
	free(w);
}

size_t assure_waivers_count(const assure_waivers *w)
{
	return w ? w->count : 0;
}

const assure_waiver *assure_waivers_get(const assure_waivers *w, size_t i)
{
	return w && i < w->count ? &w->items[i] : NULL;
}

const char *assure_waivers_file(const assure_waivers *w)
{
	return w->file;
}

bool assure_waivers_broken(const assure_waivers *w)
{
	return w && w->broken;
}

const assure_findings *assure_waivers_problems(const assure_waivers *w)
{
	return w->problems;
}

bool assure_waiver_matches(const assure_waiver *w, const assure_finding *f)
{
	if (!w->rule || strcmp(w->rule, f->rule_id) != 0 || strncmp(f->rule_id, "ASSURE-", 7) == 0)
		return false;
	if (!w->subject && !w->path && !w->fingerprint)
		return false;
	if (w->fingerprint && strcmp(w->fingerprint, f->fingerprint) != 0)
		return false;
	if (w->subject && strcmp(w->subject, f->subject) != 0)
		return false;
	if (w->path && !assure_glob_match(w->path, f->path))
		return false;
	return true;
}

/* What an entry accepts, as the subject of its own findings: stable while the entry is. */
static void entry_identity(assure_buf *b, const assure_waiver *w)
{
	assure_buf_printf(b, "waiver %s", w->rule ? w->rule : "");
	const char *names[3] = {"subject", "path", "fingerprint"};
	const char *values[3] = {w->subject, w->path, w->fingerprint};
	for (int k = 0; k < 3; k++)
		if (values[k])
			assure_buf_printf(b, " %s=%s", names[k], values[k]);
}

void assure_waivers_apply(const assure_waivers *w, const assure_findings *in, int32_t as_of,
                          assure_findings *out, assure_check_result *result)
{
	if (!w) {
		assure_findings_extend(out, in);
		return;
	}
	bool *used = assure_xcalloc(w->count ? w->count : 1, sizeof(*used));
	size_t n = assure_findings_count(in);
	for (size_t i = 0; i < n; i++) {
		const assure_finding *f = assure_findings_get(in, i);
		const assure_waiver *match = NULL;
		for (size_t k = 0; k < w->count && !f->waiver; k++) {
			const assure_waiver *e = &w->items[k];
			if (!e->valid || !assure_waiver_matches(e, f))
				continue;
			used[k] = true;
			if (e->expiry >= as_of && !match)
				match = e;
		}
		if (!match) {
			assure_findings_share(out, in, i);
			continue;
		}
		assure_waiver_mark mark = {match->where, match->reason, match->approved_by,
		                           match->approved_on, match->expires};
		assure_finding copy = *f;
		copy.waiver = &mark;
		assure_findings_add(out, &copy);
	}
	for (size_t k = 0; k < w->count; k++) {
		const assure_waiver *e = &w->items[k];
		if (!e->valid)
			continue;
		assure_buf subject = ASSURE_BUF_INIT, msg = ASSURE_BUF_INIT;
		entry_identity(&subject, e);
		char *rule = vis(e->rule), *by = vis(e->approved_by);
		if (e->expiry < as_of) {
			assure_buf_printf(&msg,
			                  "waiver %s of '%s', approved by %s on %s, expired on %s: what it "
			                  "accepted fails again",
			                  e->pointer, rule, by, e->approved_on, e->expires);
			add_problem(out, ASSURE_RULE_WAIVER_EXPIRED, ASSURE_SEV_ERROR, w->file, e->pointer,
			            e->line, e->column, subject.ptr, msg.ptr);
		} else if (!used[k]) {
			assure_buf_printf(
			    &msg, "waiver %s of '%s' matches no finding: remove it, or correct what it names",
			    e->pointer, rule);
			add_problem(out, ASSURE_RULE_WAIVER_UNUSED, ASSURE_SEV_INFO, w->file, e->pointer,
			            e->line, e->column, subject.ptr, msg.ptr);
		}
		free(rule);
		free(by);
		assure_buf_free(&subject);
		assure_buf_free(&msg);
	}
	assure_findings_extend(out, w->problems);
	/* a waivers file the engine could not parse either is already counted, once */
	bool counted = false;
	for (size_t i = 0; i < n && !counted; i++) {
		const assure_finding *f = assure_findings_get(in, i);
		counted = strcmp(f->rule_id, ASSURE_RULE_PARSE) == 0 && strcmp(f->path, w->file) == 0;
	}
	if (result && w->broken && !counted)
		result->parse_failures++;
	free(used);
}

size_t assure_findings_waived(const assure_findings *l)
{
	size_t n = 0;
	for (size_t i = 0; i < assure_findings_count(l); i++)
		if (assure_findings_get(l, i)->waiver)
			n++;
	return n;
}

int assure_waivers_check(assure_engine *e, const assure_snapshot *snap, const assure_check_opts *copts,
                         const assure_waiver_source *src, assure_findings *out, assure_check_result *result,
                         const char **applied)
{
	int rc = -1;
	assure_findings *raw = NULL;
	assure_waivers *own = NULL;
	if (applied)
		*applied = NULL;
	assure_findings_new(&raw);
	if (assure_engine_check(e, snap, copts, raw, result) < 0)
		goto done;
	const assure_waivers *w = NULL;
	if (!src || !src->none) {
		if (src && src->fixed) {
			w = src->fixed;
		} else {
			assure_waivers_from_snapshot(&own, snap, src ? &src->opts : NULL);
			w = own;
		}
	}
	if (applied && w)
		*applied = w == own ? (src && src->opts.path ? src->opts.path : ASSURE_WAIVERS_FILE)
		                    : assure_waivers_file(w);
	assure_waivers_apply(w, raw, copts->as_of, out, result);
	assure_findings_sort(out);
	rc = 0;
done:
	assure_waivers_free(own);
	assure_findings_free(raw);
	return rc;
}
