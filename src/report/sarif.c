/*
 * sarif.c: the findings of one check as SARIF 2.1.0 (OASIS Standard, Errata 01), one run.
 *
 * What each field holds is docs/formats.md's table. The choices a reader might not guess:
 * every rule of the rule set and the tool's own three are in tool.driver.rules (a result's
 * ruleIndex points there), so that a viewer can describe a rule that found nothing; file
 * paths are relative URIs under the base id SRCROOT (the repository's root, or the current
 * folder for paths given on the command line); the fingerprint goes under a key of our own,
 * since GitHub computes primaryLocationLineHash itself and reads a filled one as its own.
 */
#include "assure/report.h"

#include "assure/date.h"
#include "assure/error.h"
#include "assure/utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#ifndef ASSURE_INFORMATION_URI /* set by CMakeLists.txt */
#error "ASSURE_INFORMATION_URI must name the tool's home page"
#endif

#define SARIF_SCHEMA                                                                                         \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SARIF_BASE_ID "SRCROOT"
#define SARIF_FP_KEY  "assureFingerprint/v1"

/* SARIF's level for a severity: "note" is its word for information. */
static const char *level_name(assure_severity s)
{
	static const char *const names[ASSURE_SEV_COUNT] = {"note", "warning", "error"};
	return names[s];
}

static json_t *message(const char *text)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", assure_json_text(text));
	return m;
}

/*
 * A path as a URI reference (RFC 3986): unreserved characters and '/' as they are, every other
 * byte (a space, '#', '%', a byte of a name that is not UTF-8) percent-encoded, so that any name
 * git allows is one valid URI and reads back byte for byte.
 */
static void put_uri_path(assure_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
			assure_buf_putc(b, (char)*p);
		else
			assure_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/* A rule's title as the PascalCase name SARIF viewers show ("FinanceDeficitNotExplained"). */
static json_t *pascal_name(const char *title)
{
	assure_buf b = ASSURE_BUF_INIT;
	bool start = true;
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		if (!isalnum(*p)) {
			start = true;
			continue;
		}
		assure_buf_putc(&b, start ? (char)toupper(*p) : (char)*p);
		start = false;
	}
	json_t *s = json_string(b.ptr ? b.ptr : "");
	assure_buf_free(&b);
	return s;
}

static json_t *rule_json(const assure_report_rule *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "name", pascal_name(r->title));
	json_object_set_new(o, "shortDescription", message(r->title));
	json_object_set_new(o, "fullDescription", message(r->description ? r->description : r->title));
	/* help: what to do, then why and where it comes from, as text and as Markdown */
	assure_buf text = ASSURE_BUF_INIT, md = ASSURE_BUF_INIT;
	assure_buf_puts(&text, r->help ? r->help : r->title);
	assure_buf_printf(&md, "**%s** (%s)\n\n", r->title, r->id);
	if (r->description)
		assure_buf_printf(&md, "%s\n\n", r->description);
	if (r->help)
		assure_buf_printf(&md, "**What to do:** %s\n\n", r->help);
	if (r->rationale) {
		assure_buf_printf(&text, "\nWhy: %s", r->rationale);
		assure_buf_printf(&md, "**Why:** %s\n\n", r->rationale);
	}
	if (r->reference) {
		assure_buf_printf(&text, "\nReference: %s", r->reference);
		assure_buf_printf(&md, "**Reference:** %s\n\n", r->reference);
	}
	while (md.len && md.ptr[md.len - 1] == '\n')
		md.ptr[--md.len] = '\0';
	json_t *help = json_object();
	json_object_set_new(help, "text", assure_json_text(text.ptr));
	json_object_set_new(help, "markdown", assure_json_text(md.ptr));
	json_object_set_new(o, "help", help);
	assure_buf_free(&text);
	assure_buf_free(&md);
	json_t *conf = json_object();
	json_object_set_new(conf, "level", json_string(level_name(r->severity)));
	json_object_set_new(o, "defaultConfiguration", conf);
	json_t *props = json_object();
	json_object_set_new(props, "domain", json_string(r->domain));
	if (r->kind)
		json_object_set_new(props, "kind", json_string(r->kind));
	json_t *tags = json_array();
	json_array_append_new(tags, json_string(r->domain));
	/* a kind may be named as its domain is ("finance"): SARIF's tags are unique */
	if (r->kind && strcmp(r->kind, r->domain) != 0)
		json_array_append_new(tags, json_string(r->kind));
	json_object_set_new(props, "tags", tags);
	json_object_set_new(o, "properties", props);
	return o;
}

static json_t *driver_json(const assure_report_meta *meta)
{
	json_t *d = json_object();
	json_object_set_new(d, "name", json_string("assure"));
	json_object_set_new(d, "version", json_string(meta->tool_version));
	json_object_set_new(d, "semanticVersion", json_string(meta->tool_version));
	json_object_set_new(d, "informationUri", json_string(ASSURE_INFORMATION_URI));
	json_t *rules = json_array();
	for (size_t i = 0; i < assure_report_rule_count(meta->rules); i++) {
		assure_report_rule r;
		assure_report_rule_at(meta->rules, i, &r);
		json_array_append_new(rules, rule_json(&r));
	}
	json_object_set_new(d, "rules", rules);
	json_t *props = json_object();
	json_t *rs = json_object();
	json_object_set_new(rs, "name", json_string(assure_ruleset_name(meta->rules)));
	json_object_set_new(rs, "version", json_string(assure_ruleset_version(meta->rules)));
	json_object_set_new(rs, "hash", json_string(assure_ruleset_hash(meta->rules)));
	json_object_set_new(props, "ruleSet", rs);
	json_object_set_new(d, "properties", props);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", d);
	return tool;
}

static json_t *location_json(const assure_finding *f)
{
	json_t *loc = json_object();
	if (*f->path) {
		json_t *phys = json_object();
		json_t *art = json_object();
		assure_buf uri = ASSURE_BUF_INIT;
		/* a file given by its absolute path is named so (file:///...), under no base */
		bool absolute = f->path[0] == '/';
		if (absolute)
			assure_buf_puts(&uri, "file://");
		put_uri_path(&uri, f->path);
		json_object_set_new(art, "uri", json_string(uri.ptr));
		assure_buf_free(&uri);
		if (!absolute)
			json_object_set_new(art, "uriBaseId", json_string(SARIF_BASE_ID));
		json_object_set_new(phys, "artifactLocation", art);
		/* a file that could not be read has no line: the file is the place */
		if (f->line > 0) {
			json_t *region = json_object();
			json_object_set_new(region, "startLine", json_integer(f->line));
			if (f->column > 0)
				json_object_set_new(region, "startColumn", json_integer(f->column));
			json_object_set_new(phys, "region", region);
		}
		json_object_set_new(loc, "physicalLocation", phys);
	}
	/* the node as a JSON Pointer into the file (or the subject of a finding about the snapshot) */
	json_t *logical = json_object();
	if (*f->path) {
		json_object_set_new(logical, "fullyQualifiedName", assure_json_text(f->pointer));
		json_object_set_new(logical, "kind", json_string("object"));
	} else {
		json_object_set_new(logical, "fullyQualifiedName", assure_json_text(f->subject));
		json_object_set_new(logical, "kind", json_string("resource"));
	}
	json_t *logicals = json_array();
	json_array_append_new(logicals, logical);
	json_object_set_new(loc, "logicalLocations", logicals);
	return loc;
}

static json_t *suppression_json(const assure_waiver_mark *w)
{
	json_t *s = json_object();
	json_object_set_new(s, "kind", json_string("external"));
	json_object_set_new(s, "status", json_string("accepted"));
	json_object_set_new(s, "justification", assure_json_text(w->reason));
	json_t *props = json_object();
	json_object_set_new(props, "approved_by", assure_json_text(w->approved_by));
	json_object_set_new(props, "approved_on", assure_json_text(w->approved_on));
	json_object_set_new(props, "expires", assure_json_text(w->expires));
	json_object_set_new(props, "where", assure_json_text(w->where));
	json_object_set_new(s, "properties", props);
	json_t *list = json_array();
	json_array_append_new(list, s);
	return list;
}

static json_t *result_json(const assure_finding *f, const assure_report_meta *meta)
{
	json_t *r = json_object();
	json_object_set_new(r, "ruleId", json_string(f->rule_id));
	long index = assure_report_rule_index(meta->rules, f->rule_id);
	if (index >= 0)
		json_object_set_new(r, "ruleIndex", json_integer(index));
	json_object_set_new(r, "level", json_string(level_name(f->severity)));
	json_object_set_new(r, "message", message(f->message));
	json_t *locs = json_array();
	json_array_append_new(locs, location_json(f));
	json_object_set_new(r, "locations", locs);
	json_t *fp = json_object();
	json_object_set_new(fp, SARIF_FP_KEY, json_string(f->fingerprint));
	json_object_set_new(r, "partialFingerprints", fp);
	if (f->waiver)
		json_object_set_new(r, "suppressions", suppression_json(f->waiver));
	json_t *props = json_object();
	json_object_set_new(props, "domain", json_string(f->domain));
	json_object_set_new(props, "subject", assure_json_text(f->subject));
	json_object_set_new(r, "properties", props);
	return r;
}

static json_t *invocation_json(const assure_report_meta *meta)
{
	const assure_check_result *res = meta->result;
	bool incomplete = assure_report_incomplete(res);
	json_t *inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_boolean(!incomplete));
	if (incomplete) {
		/* say why in the run itself: a viewer that shows no result may show this */
		json_t *n = json_object();
		json_object_set_new(n, "level", json_string("error"));
		assure_buf b = ASSURE_BUF_INIT;
		assure_buf_printf(&b,
		                  "incomplete: %zu file(s) could not be read, %zu rule evaluation(s) "
		                  "failed (the ASSURE-PARSE and ASSURE-EVAL results say which).",
		                  res->parse_failures, res->eval_failures);
		json_object_set_new(n, "message", message(b.ptr));
		assure_buf_free(&b);
		json_t *list = json_array();
		json_array_append_new(list, n);
		json_object_set_new(inv, "toolExecutionNotifications", list);
	}
	json_t *props = json_object();
	char date[11];
	assure_date_format(meta->as_of, date);
	json_object_set_new(props, "asOf", json_string(date));
	json_object_set_new(props, "source", json_string(meta->source));
	json_object_set_new(props, "filesSeen", json_integer(res ? (json_int_t)res->files_seen : 0));
	json_object_set_new(props, "filesChecked", json_integer(res ? (json_int_t)res->files_checked : 0));
	json_object_set_new(props, "parseFailures", json_integer(res ? (json_int_t)res->parse_failures : 0));
	json_object_set_new(props, "evalFailures", json_integer(res ? (json_int_t)res->eval_failures : 0));
	json_object_set_new(inv, "properties", props);
	json_t *list = json_array();
	json_array_append_new(list, inv);
	return list;
}

/* The results, made one at a time. */
struct results {
	const assure_findings *findings;
	const assure_report_meta *meta;
};

static json_t *result_item(size_t i, void *payload)
{
	const struct results *r = payload;
	return result_json(assure_findings_get(r->findings, i), r->meta);
}

int assure_report_sarif(assure_buf *out, const assure_findings *findings, const assure_report_meta *meta)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_t *run = json_object();
	json_object_set_new(run, "tool", driver_json(meta));
	json_object_set_new(run, "invocations", invocation_json(meta));
	if (meta->commit && meta->repository_uri) {
		json_t *vcp = json_object();
		json_object_set_new(vcp, "repositoryUri", json_string(meta->repository_uri));
		json_object_set_new(vcp, "revisionId", json_string(meta->commit));
		json_t *mapped = json_object();
		json_object_set_new(mapped, "uriBaseId", json_string(SARIF_BASE_ID));
		json_object_set_new(vcp, "mappedTo", mapped);
		json_t *list = json_array();
		json_array_append_new(list, vcp);
		json_object_set_new(run, "versionControlProvenance", list);
	}
	/* startColumn counts characters, as every assure report does */
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", json_array());
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_object_set_new(doc, "runs", runs);
	struct results r = {findings, meta};
	return assure_json_write_list(out, doc, assure_findings_count(findings), result_item, NULL, &r,
	                              "SARIF report");
}
