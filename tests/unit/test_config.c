/* test_config.c: assure.json parsed against the key table, its places, overrides and origins. */
#include "assure/config.h"

#include "assure/error.h"
#include "assure/finding.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int parse(assure_config *cfg, const char *text, assure_diags *d)
{
	return assure_config_parse(cfg, "assure.json", "assure.json at 0123456789ab", text, strlen(text), d);
}

static void assert_diag(assure_diags *d, size_t i, const char *want)
{
	assert_true(i < assure_diags_count(d));
	char *got = assure_diag_format(assure_diags_get(d, i));
	assert_string_equal(got, want);
	free(got);
}

/* With no file every key has the table's default, said to be the default. */
static void test_config__defaults(void **state)
{
	(void)state;
	assure_config *cfg;
	assert_int_equal(assure_config_new(&cfg), 0);
	size_t n;
	const assure_config_key *keys = assure_config_keys(&n);
	assert_int_equal(n, ASSURE_CONFIG_KEY_COUNT);
	assert_string_equal(keys[ASSURE_CONFIG_FAIL_ON].key, "fail_on");
	assert_string_equal(keys[ASSURE_CONFIG_FAIL_ON].option, "fail-on");
	for (size_t k = 0; k < n; k++)
		assert_string_equal(assure_config_origin(cfg, (assure_config_key_id)k), "default");
	assert_int_equal(assure_config_fail_on(cfg), ASSURE_SEV_ERROR);
	assert_string_equal(assure_config_waivers(cfg), "assure-waivers.json");
	size_t ni;
	assure_config_strings(cfg, ASSURE_CONFIG_IGNORE, &ni);
	assert_int_equal(ni, 0);
	assure_config_free(cfg);
}

/* Every key of a good file is taken, with its line and column in the origin. */
static void test_config__keys_and_places(void **state)
{
	(void)state;
	assure_config *cfg;
	assure_diags *d;
	assure_config_new(&cfg);
	assure_diags_new(&d);
	assert_int_equal(parse(cfg,
	                       "{\n  \"fail_on\": \"none\",\n  \"ignore\": [\"a/**\", \"b/*.json\"],\n"
	                       "  \"waivers\": \"gov/w.json\", \"rules\": [\"lsc-saf\", \"/opt/r\"]\n}",
	                       d),
	                 0);
	assert_int_equal(assure_diags_count(d), 0);
	assert_int_equal(assure_config_fail_on(cfg), ASSURE_SEV_COUNT);
	assert_string_equal(assure_config_origin(cfg, ASSURE_CONFIG_FAIL_ON),
	                    "assure.json at 0123456789ab:2:14");
	int line, col;
	assure_config_place(cfg, ASSURE_CONFIG_IGNORE, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 13);
	size_t n;
	const char *const *ig = assure_config_strings(cfg, ASSURE_CONFIG_IGNORE, &n);
	assert_int_equal(n, 2);
	assert_string_equal(ig[1], "b/*.json");
	assert_string_equal(assure_config_waivers(cfg), "gov/w.json");
	const char *const *rules = assure_config_strings(cfg, ASSURE_CONFIG_RULES, &n);
	assert_int_equal(n, 2);
	assert_string_equal(rules[0], "lsc-saf");
	assert_string_equal(assure_config_origin(cfg, ASSURE_CONFIG_PARAMS), "default");
	assure_diags_free(d);
	assure_config_free(cfg);
}

/* Each problem is a diagnostic at its place with its JSON Pointer; the good keys are still taken. */
static void test_config__problems(void **state)
{
	(void)state;
	assure_config *cfg;
	assure_diags *d;
	assure_config_new(&cfg);
	assure_diags_new(&d);
	assert_int_equal(
	    parse(cfg, "{\"fail_on\": \"warning\", \"ignor\": [], \"ignore\": [\"ok\", 3],\n\"params\": 1}",
	          d),
	    -1);
	assert_int_equal(assure_diags_count(d), 3);
	assert_diag(d, 0,
	            "assure.json:1:24: error: /ignor: unknown key 'ignor' (the keys are rules, params, "
	            "waivers, fail_on, ignore)");
	assert_diag(d, 1, "assure.json:1:54: error: /ignore/1: 3 must be a non-empty string");
	assert_diag(
	    d, 2,
	    "assure.json:2:11: error: /params: 1 must be an object (shaped like the rule set's params)");
	assert_int_equal(assure_config_fail_on(cfg), ASSURE_SEV_WARNING);
	assure_diags_free(d);
	assure_config_free(cfg);
}

/* Not JSON, and not an object: one diagnostic each, at the place. */
static void test_config__not_an_object(void **state)
{
	(void)state;
	assure_config *cfg;
	assure_diags *d;
	assure_config_new(&cfg);
	assure_diags_new(&d);
	assert_int_equal(parse(cfg, "[1]", d), -1);
	assert_diag(d, 0,
	            "assure.json:1:1: error: the configuration must be a JSON object of keys "
	            "(docs/configuration.md)");
	assert_int_equal(parse(cfg, "{\"a\": ", d), -1);
	assert_int_equal(assure_diags_count(d), 2);
	assert_int_equal(assure_diags_get(d, 1)->line, 1);
	assure_diags_free(d);
	assure_config_free(cfg);
}

/* The command line overrides a key with its own origin, checked as the file's values are. */
static void test_config__set(void **state)
{
	(void)state;
	assure_config *cfg;
	assure_diags *d;
	assure_config_new(&cfg);
	assure_diags_new(&d);
	assert_int_equal(parse(cfg, "{\"fail_on\": \"info\"}", d), 0);
	json_t *v = json_string("warning");
	assert_int_equal(assure_config_set(cfg, ASSURE_CONFIG_FAIL_ON, v, "command line"), 0);
	json_decref(v);
	assert_string_equal(assure_config_origin(cfg, ASSURE_CONFIG_FAIL_ON), "command line");
	assert_int_equal(assure_config_fail_on(cfg), ASSURE_SEV_WARNING);
	v = json_string("fatal");
	assert_int_equal(assure_config_set(cfg, ASSURE_CONFIG_FAIL_ON, v, "command line"), ASSURE_EINVALID);
	json_decref(v);
	assert_string_equal(assure_error_last(),
	                    "fail_on: \"fatal\" is not a severity: error, warning, info or none");
	/* from the command line a rule set is a path of the filesystem, relative or not */
	v = json_pack("[s]", "../my-rules");
	assert_int_equal(assure_config_set(cfg, ASSURE_CONFIG_RULES, v, "command line"), 0);
	json_decref(v);
	v = json_string("/srv/assurance/waivers.json");
	assert_int_equal(assure_config_set(cfg, ASSURE_CONFIG_WAIVERS, v, "command line"), 0);
	json_decref(v);
	assert_string_equal(assure_config_waivers(cfg), "/srv/assurance/waivers.json");
	/* in the file it is not */
	assert_int_equal(parse(cfg, "{\"rules\": [\"../my-rules\"]}", d), -1);
	assure_diags_free(d);
	assure_config_free(cfg);
}

/* An engine leaves out the ignore globs, and the configuration and waivers files as literal globs. */
static void test_config__engine_ignore(void **state)
{
	(void)state;
	assure_config *cfg;
	assure_diags *d;
	assure_config_new(&cfg);
	assure_diags_new(&d);
	assert_int_equal(parse(cfg, "{\"ignore\": [\"drafts/**\"], \"waivers\": \"w[1]*.json\"}", d), 0);
	size_t n;
	const char *const *g = assure_config_engine_ignore(cfg, &n);
	assert_int_equal(n, 3);
	assert_string_equal(g[0], "drafts/**");
	assert_string_equal(g[1], "assure.json");
	assert_string_equal(g[2], "w\\[1]\\*.json");
	assert_true(assure_glob_match(g[2], "w[1]*.json"));
	assert_false(assure_glob_match(g[2], "w1x.json"));
	assure_diags_free(d);
	assure_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config__defaults), cmocka_unit_test(test_config__keys_and_places),
	    cmocka_unit_test(test_config__problems), cmocka_unit_test(test_config__not_an_object),
	    cmocka_unit_test(test_config__set),      cmocka_unit_test(test_config__engine_ignore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
