/*
 * fuzz_waiver.c: a waivers file (waivers/waiver.c) is read whatever its bytes: every problem is an
 * ASSURE-WAIVER-INVALID finding about the file, one line without a control character; a file
 * without problems has only valid entries; a valid entry has every required field, a date order
 * and span within the bound, something to match and no tool rule; applying the set to findings
 * marks only what a valid, unexpired entry matches, never a tool's finding, keeps every finding,
 * and reports an entry that matches nothing or has expired. A saved report read as a baseline
 * (baseline/baseline.c) is accepted with its fingerprints or refused with an error placed in it.
 *
 * Input: TEXT, read both as a waivers file and as a baseline report.
 */
#include "assure/baseline.h"
#include "assure/date.h"
#include "assure/error.h"
#include "assure/waiver.h"

#include "fuzz.h"

#include <ctype.h>

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static bool one_clean_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void add(assure_findings *l, const char *rule, const char *path, const char *subject)
{
	assure_finding f = {0};
	f.rule_id = (char *)rule;
	f.severity = ASSURE_SEV_ERROR;
	f.domain = "d";
	f.title = "t";
	f.message = "m";
	f.path = (char *)path;
	f.pointer = "";
	f.subject = (char *)subject;
	assure_findings_add(l, &f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	assure_waivers *w = NULL;
	assure_waiver_opts opts = ASSURE_WAIVER_OPTS_INIT;
	opts.max_days = 1 + (size % 400);
	FUZZ_CHECK(assure_waivers_parse(&w, "w.json", (const char *)data, size, &opts) == 0 && w,
	           "parse failed: %s", assure_error_last());
	const assure_findings *p = assure_waivers_problems(w);
	for (size_t i = 0; i < assure_findings_count(p); i++) {
		const assure_finding *f = assure_findings_get(p, i);
		FUZZ_CHECK(strcmp(f->rule_id, ASSURE_RULE_WAIVER_INVALID) == 0, "a problem is %s",
		           f->rule_id);
		FUZZ_CHECK(strcmp(f->path, "w.json") == 0, "a problem is about '%s'", f->path);
		FUZZ_CHECK(one_clean_line(f->message), "a message has a control character: %s", f->message);
	}
	bool all_valid = true;
	for (size_t i = 0; i < assure_waivers_count(w); i++) {
		const assure_waiver *e = assure_waivers_get(w, i);
		all_valid &= e->valid;
		if (!e->valid)
			continue;
		FUZZ_CHECK(!blank(e->rule) && !blank(e->reason) && !blank(e->approved_by),
		           "valid without a field");
		FUZZ_CHECK(e->subject || e->path || e->fingerprint, "valid with nothing to match");
		FUZZ_CHECK(strncmp(e->rule, "ASSURE-", 7) != 0, "valid for a tool rule '%s'", e->rule);
		int32_t a, x;
		FUZZ_CHECK(assure_date_parse_iso(&a, e->approved_on) == 0 && a == e->approved, "approval");
		FUZZ_CHECK(assure_date_parse_iso(&x, e->expires) == 0 && x == e->expiry, "expiry");
		FUZZ_CHECK(e->expiry >= e->approved && e->expiry - e->approved <= opts.max_days,
		           "span %d days, bound %d", (int)(e->expiry - e->approved), opts.max_days);
	}
	FUZZ_CHECK((assure_findings_count(p) == 0) == (all_valid && !assure_waivers_broken(w)),
	           "%zu problems, every entry valid: %d, broken: %d", assure_findings_count(p), all_valid,
	           assure_waivers_broken(w));

	/* findings named after what the entries name, and a tool's finding */
	assure_findings *in, *out;
	assure_findings_new(&in);
	assure_findings_new(&out);
	for (size_t i = 0; i < assure_waivers_count(w); i++) {
		const assure_waiver *e = assure_waivers_get(w, i);
		if (e->rule)
			add(in, e->rule, e->path ? e->path : "r.json", e->subject ? e->subject : "s");
	}
	add(in, ASSURE_RULE_PARSE, "r.json", "s");
	int32_t as_of = 18640 + (int32_t)(size % 800); /* 2021-01-13 and on */
	assure_check_result r = {0};
	assure_waivers_apply(w, in, as_of, out, &r);
	size_t n = assure_findings_count(in);
	FUZZ_CHECK(assure_findings_count(out) >= n, "%zu findings in, %zu out", n,
	           assure_findings_count(out));
	for (size_t i = 0; i < assure_findings_count(out); i++) {
		const assure_finding *f = assure_findings_get(out, i);
		if (i >= n) {
			/* after in's findings, in their order, come the waivers' own, about the file */
			FUZZ_CHECK(strncmp(f->rule_id, "ASSURE-WAIVER-", 14) == 0 &&
			               strcmp(f->path, "w.json") == 0 && !f->waiver,
			           "finding %zu after in's is %s about '%s'", i, f->rule_id, f->path);
			continue;
		}
		FUZZ_CHECK(strcmp(f->fingerprint, assure_findings_get(in, i)->fingerprint) == 0,
		           "finding %zu is not in's %zu-th", i, i);
		if (!f->waiver)
			continue;
		FUZZ_CHECK(strncmp(f->rule_id, "ASSURE-", 7) != 0, "a waiver accepts %s", f->rule_id);
		bool found = false;
		for (size_t k = 0; k < assure_waivers_count(w) && !found; k++) {
			const assure_waiver *e = assure_waivers_get(w, k);
			found = e->valid && e->expiry >= as_of && strcmp(e->where, f->waiver->where) == 0 &&
			        assure_waiver_matches(e, f);
		}
		FUZZ_CHECK(found, "%s is marked by %s, which does not accept it", f->subject,
		           f->waiver->where);
	}
	FUZZ_CHECK(r.parse_failures == (assure_waivers_broken(w) ? 1u : 0u), "parse failures %zu",
	           r.parse_failures);
	assure_findings_free(in);
	assure_findings_free(out);
	assure_waivers_free(w);

	assure_baseline *b = NULL;
	int rc = assure_baseline_load(&b, "b.json", (const char *)data, size);
	if (rc == 0) {
		FUZZ_CHECK(b != NULL, "accepted without a baseline");
		assure_baseline_free(b);
	} else {
		FUZZ_CHECK(rc == ASSURE_EINVALID && !b, "refused with %d", rc);
		FUZZ_CHECK(strncmp(assure_error_last(), "b.json:", 7) == 0, "error not placed: %s",
		           assure_error_last());
	}
	return 0;
}
