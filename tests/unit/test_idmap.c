/* test_idmap.c: payloads by a JSON value's identity, met in order, out of order and after a judge. */
#include "assure/idmap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define N 3000

static json_t *keys[N];

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < N; i++)
		keys[i] = json_pack("{s:i}", "n", (int)i);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < N; i++)
		json_decref(keys[i]);
	return 0;
}

static size_t *get(assure_idmap *m, size_t i)
{
	return assure_idmap_get(m, keys[i]);
}

/*
 * Each key finds its own payload whether the list is met again in the order it was made in,
 * backwards, or skipping, and a key never put finds none, also right after the one before it.
 */
static void test_idmap__each_key_finds_its_payload_in_any_order(void **state)
{
	(void)state;
	assure_idmap *m = assure_idmap_new(sizeof(size_t), NULL);
	for (size_t i = 0; i < N; i += 2) {
		assert_true(assure_idmap_wanted(m));
		size_t *p = assure_idmap_put(m, keys[i]);
		assert_non_null(p);
		*p = i;
		/* met at once: the next get is of the key just made */
		assert_int_equal(*get(m, i), i);
	}
	for (size_t i = 0; i < N; i += 2) {
		assert_int_equal(*get(m, i), i);
		assert_null(get(m, i + 1));
	}
	for (size_t i = N; i-- > 0;)
		if (i % 2 == 0)
			assert_int_equal(*get(m, i), i);
	for (size_t i = 0; i < N; i += 6)
		assert_int_equal(*get(m, i), i);
	assure_idmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_idmap__each_key_finds_its_payload_in_any_order),
	};
	return cmocka_run_group_tests_name("idmap", tests, setup, teardown);
}
