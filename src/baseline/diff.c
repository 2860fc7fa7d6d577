/* diff.c: the text and JSON reports of assure diff (see baseline.h). */
#include "assure/baseline.h"

#include "assure/date.h"
#include "assure/error.h"
#include "assure/report.h"
#include "assure/utf8.h"

#include <stdlib.h>

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int assure_diff_text(assure_buf *out, const assure_findings *added, const assure_findings *resolved,
                     const assure_diff_meta *meta)
{
	for (size_t i = 0; i < assure_findings_count(added); i++) {
		assure_buf_puts(out, "new: ");
		assure_report_text_finding(out, assure_findings_get(added, i), meta->color);
	}
	for (size_t i = 0; i < assure_findings_count(resolved); i++) {
		assure_buf_puts(out, "resolved: ");
		assure_report_text_finding(out, assure_findings_get(resolved, i), meta->color);
	}
	size_t c[ASSURE_SEV_COUNT], waived;
	assure_report_counts(added, c, &waived);
	size_t nres = assure_findings_count(resolved);
	char date[11];
	assure_date_format(meta->as_of, date);
	assure_buf_printf(out, "%zu new (%zu %s, %zu %s, %zu info", assure_findings_count(added),
	                  c[ASSURE_SEV_ERROR], plural(c[ASSURE_SEV_ERROR], "error", "errors"),
	                  c[ASSURE_SEV_WARNING], plural(c[ASSURE_SEV_WARNING], "warning", "warnings"),
	                  c[ASSURE_SEV_INFO]);
	if (waived)
		assure_buf_printf(out, ", %zu waived", waived);
	size_t nrules = assure_ruleset_count(meta->rules);
	assure_buf_printf(out, "), %zu resolved, from %.12s to %.12s (%zu %s of %s %s, as of %s)\n", nres,
	                  meta->base, meta->head, nrules, plural(nrules, "rule", "rules"),
	                  assure_ruleset_name(meta->rules), assure_ruleset_version(meta->rules), date);
	if (assure_report_incomplete(meta->result)) {
		size_t pf = meta->result->parse_failures, ef = meta->result->eval_failures;
		assure_buf_printf(out, "incomplete: %zu %s could not be read, %zu rule %s failed in %.12s\n",
		                  pf, plural(pf, "file", "files"), ef,
		                  plural(ef, "evaluation", "evaluations"), meta->head);
	}
	return 0;
}

static json_t *list_json(const assure_findings *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < assure_findings_count(l); i++)
		json_array_append_new(a, assure_report_finding_json(assure_findings_get(l, i)));
	return a;
}

int assure_diff_json(assure_buf *out, const assure_findings *added, const assure_findings *resolved,
                     const assure_diff_meta *meta)
{
	json_t *doc = assure_report_json_header(ASSURE_DIFF_FORMAT, meta->tool_version, meta->rules);
	if (meta->repository)
		assure_json_set_name(doc, "repository", meta->repository);
	else
		json_object_set_new(doc, "repository", json_null());
	json_object_set_new(doc, "base", json_string(meta->base));
	json_object_set_new(doc, "head", json_string(meta->head));
	char date[11];
	assure_date_format(meta->as_of, date);
	json_object_set_new(doc, "as_of", json_string(date));
	json_object_set_new(doc, "complete", json_boolean(!assure_report_incomplete(meta->result)));
	size_t c[ASSURE_SEV_COUNT], waived;
	assure_report_counts(added, c, &waived);
	json_t *counts = json_object();
	json_object_set_new(counts, "error", json_integer((json_int_t)c[ASSURE_SEV_ERROR]));
	json_object_set_new(counts, "warning", json_integer((json_int_t)c[ASSURE_SEV_WARNING]));
	json_object_set_new(counts, "info", json_integer((json_int_t)c[ASSURE_SEV_INFO]));
	json_object_set_new(counts, "waived", json_integer((json_int_t)waived));
	json_object_set_new(counts, "new", json_integer((json_int_t)assure_findings_count(added)));
	json_object_set_new(counts, "resolved", json_integer((json_int_t)assure_findings_count(resolved)));
	json_object_set_new(doc, "counts", counts);
	json_object_set_new(doc, "new", list_json(added));
	json_object_set_new(doc, "resolved", list_json(resolved));
	return assure_json_write(out, doc, "JSON diff");
}
