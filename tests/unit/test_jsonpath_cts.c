/*
 * test_jsonpath_cts.c: the RFC 9535 JSONPath Compliance Test Suite, run through the
 * public interface of jsonpath.h.
 *
 * Reads tests/assets/jsonpath-cts/cts.json (a pinned copy; SOURCE.md there). An invalid_selector case must
 * fail to parse; any other case must parse, and its nodes (values and normalized paths,
 * in order) must equal `result`/`result_paths`, or one of the `results`/`results_paths`
 * alternatives where object member order leaves the order open. Every case must pass:
 * there are no known deviations.
 */
#include "assure/jsonpath.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* How many cases the pinned suite has (assets README), so a truncated file cannot pass. */
#define CTS_CASES 703

static json_t *load_cts(void)
{
	/* ctest sets ASSURE_SOURCE_DIR; run by hand, the compiled-in source tree is used */
	const char *src = getenv("ASSURE_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/assets/jsonpath-cts/cts.json", src ? src : ASSURE_SOURCE_DIR);
	json_error_t err;
	json_t *cts = json_load_file(path, JSON_ALLOW_NUL, &err);
	if (!cts)
		fail_msg("cannot read '%s': %s (line %d)", path, err.text, err.line);
	json_t *tests = json_object_get(cts, "tests");
	if (!json_is_array(tests))
		fail_msg("'%s' has no 'tests' array", path);
	return cts;
}

/* Do the nodes equal one expected alternative (values, then normalized paths, in order)? */
static bool nodes_match(json_t *doc, const assure_nodelist *got, json_t *values, json_t *paths, char *why,
                        size_t why_len)
{
	if (json_array_size(values) != got->count || json_array_size(paths) != got->count) {
		snprintf(why, why_len, "%zu nodes, expected %zu", got->count, json_array_size(values));
		return false;
	}
	for (size_t i = 0; i < got->count; i++) {
		if (!json_equal(got->items[i].value, json_array_get(values, i))) {
			char *v = json_dumps(got->items[i].value, JSON_ENCODE_ANY | JSON_COMPACT);
			snprintf(why, why_len, "node %zu is %.60s", i, v ? v : "?");
			free(v);
			return false;
		}
		char *np = assure_jsonpath_normalized_path(doc, got->items[i].pointer);
		const char *want = json_string_value(json_array_get(paths, i));
		bool same = np && want && strcmp(np, want) == 0;
		if (!same)
			snprintf(why, why_len, "path %zu is %.60s, expected %.60s", i, np ? np : "(none)",
			         want ? want : "?");
		free(np);
		if (!same)
			return false;
	}
	return true;
}

/* Run one case; true when it passes, else why says how it failed. */
static bool run_case(json_t *tc, char *why, size_t why_len)
{
	json_t *sel = json_object_get(tc, "selector");
	const char *src = json_string_value(sel);
	size_t len = json_string_length(sel);
	assure_jsonpath *q = NULL;
	size_t off = 0;
	int rc = assure_jsonpath_parse(&q, src, len, NULL, &off);
	if (json_is_true(json_object_get(tc, "invalid_selector"))) {
		assure_jsonpath_free(q);
		if (rc == 0)
			snprintf(why, why_len, "invalid selector was accepted");
		return rc != 0;
	}
	if (rc != 0) {
		snprintf(why, why_len, "rejected at offset %zu: %s", off, assure_error_last());
		return false;
	}
	json_t *doc = json_object_get(tc, "document");
	assure_nodelist got;
	assure_nodelist_init(&got);
	bool ok = false;
	if (assure_jsonpath_eval(q, doc, doc, "", &got) != 0) {
		snprintf(why, why_len, "evaluation failed: %s", assure_error_last());
	} else if (json_object_get(tc, "result")) {
		ok = nodes_match(doc, &got, json_object_get(tc, "result"),
		                 json_object_get(tc, "result_paths"), why, why_len);
	} else {
		json_t *alts = json_object_get(tc, "results"),
		       *alt_paths = json_object_get(tc, "results_paths");
		for (size_t i = 0; i < json_array_size(alts) && !ok; i++)
			ok = nodes_match(doc, &got, json_array_get(alts, i), json_array_get(alt_paths, i),
			                 why, why_len);
		if (!ok)
			snprintf(why, why_len, "matches none of %zu alternatives", json_array_size(alts));
	}
	assure_nodelist_clear(&got);
	assure_jsonpath_free(q);
	return ok;
}

/* Every case of the suite passes: the implementation is RFC 9535 compliant as far as the CTS tells. */
static void test_jsonpath_cts__every_case_passes(void **state)
{
	(void)state;
	json_t *cts = load_cts();
	json_t *tests = json_object_get(cts, "tests");
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < json_array_size(tests); i++) {
		json_t *tc = json_array_get(tests, i);
		char why[256] = "";
		if (run_case(tc, why, sizeof(why))) {
			passed++;
		} else {
			failed++;
			printf("CTS FAIL: %s [%s]: %s\n", json_string_value(json_object_get(tc, "name")),
			       json_string_value(json_object_get(tc, "selector")), why);
		}
	}
	printf("CTS: %zu passed, %zu failed\n", passed, failed);
	assert_int_equal(passed + failed, CTS_CASES);
	assert_int_equal(failed, 0);
	json_decref(cts);
}

/*
 * In prefix mode a valid selector is consumed whole, and an invalid one is never
 * consumed whole: the embedding used by the expression language agrees with the CTS.
 */
static void test_jsonpath_cts__prefix_mode_agrees(void **state)
{
	(void)state;
	json_t *cts = load_cts();
	json_t *tests = json_object_get(cts, "tests");
	size_t checked = 0;
	for (size_t i = 0; i < json_array_size(tests); i++) {
		json_t *tc = json_array_get(tests, i);
		json_t *sel = json_object_get(tc, "selector");
		size_t len = json_string_length(sel), consumed = 0, off = 0;
		assure_jsonpath *q = NULL;
		int rc = assure_jsonpath_parse(&q, json_string_value(sel), len, &consumed, &off);
		bool whole = rc == 0 && consumed == len;
		bool valid = !json_is_true(json_object_get(tc, "invalid_selector"));
		if (whole != valid)
			fail_msg("'%s': prefix mode %s", json_string_value(json_object_get(tc, "name")),
			         valid ? "did not consume the whole query"
			               : "consumed a whole invalid query");
		assure_jsonpath_free(q);
		checked++;
	}
	assert_int_equal(checked, CTS_CASES);
	json_decref(cts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jsonpath_cts__every_case_passes),
	    cmocka_unit_test(test_jsonpath_cts__prefix_mode_agrees),
	};
	return cmocka_run_group_tests_name("jsonpath_cts", tests, NULL, NULL);
}
