/* test_file.c: reading whole files, and refusing what is not one without blocking. */
#include "assure/file.h"

#include "assure/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[] = "/tmp/assure-test-file-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[sizeof(dir) + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A regular file is read whole, with a NUL after it; an empty one gives "" and 0. */
static void test_file__reads_a_regular_file(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof(path), "%s/a.json", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("{\"a\": 1}\0x", 1, 10, f);
	fclose(f);
	char *data;
	size_t len;
	assert_int_equal(assure_file_read(path, &data, &len), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(data, "{\"a\": 1}\0x", 11);
	free(data);
	snprintf(path, sizeof(path), "%s/empty.json", dir);
	fclose(fopen(path, "wb"));
	assert_int_equal(assure_file_read(path, &data, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
}

/* A FIFO with no writer is refused at once (it would block a read for ever), so is a folder. */
static void test_file__refuses_what_is_not_a_file(void **state)
{
	(void)state;
	char path[256], want[400];
	char *data = (char *)1;
	size_t len = 1;
	snprintf(path, sizeof(path), "%s/fifo.json", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(assure_file_read(path, &data, &len), ASSURE_ERROR);
	assert_null(data);
	assert_int_equal(len, 0);
	snprintf(want, sizeof(want), "'%s' is not a regular file (a FIFO, socket or device)", path);
	assert_string_equal(assure_error_last(), want);
	assert_int_equal(assure_file_read(dir, &data, &len), ASSURE_ERROR);
	snprintf(want, sizeof(want), "'%s' is a folder, not a file", dir);
	assert_string_equal(assure_error_last(), want);
	snprintf(path, sizeof(path), "%s/none.json", dir);
	assert_int_equal(assure_file_read(path, &data, &len), ASSURE_ERROR);
	snprintf(want, sizeof(want), "cannot read '%s': No such file or directory", path);
	assert_string_equal(assure_error_last(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file__reads_a_regular_file),
	    cmocka_unit_test(test_file__refuses_what_is_not_a_file),
	};
	return cmocka_run_group_tests_name("file", tests, setup, teardown);
}
