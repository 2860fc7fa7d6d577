/* test_date.c: every written date form, rejections, leap years and day-number arithmetic. */
#include "assure/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Parse text (asserting it is a date) and return it as YYYY-MM-DD. */
static void assert_date(const char *text, const char *want)
{
	int32_t d = INT32_MIN;
	if (assure_date_parse(&d, text) != 0)
		fail_msg("'%s' was not read as a date", text);
	char buf[11];
	assure_date_format(d, buf);
	if (strcmp(buf, want) != 0)
		fail_msg("'%s' read as %s, expected %s", text, buf, want);
}

static void assert_not_date(const char *text)
{
	int32_t d = 12345;
	if (assure_date_parse(&d, text) == 0)
		fail_msg("'%s' was read as a date", text);
	assert_int_equal(d, 12345); /* untouched on failure */
}

/* Day 0 is 1970-01-01 and known days land on known numbers. */
static void test_date__epoch_and_known_days(void **state)
{
	(void)state;
	int32_t d;
	assert_int_equal(assure_date_from_ymd(&d, 1970, 1, 1), 0);
	assert_int_equal(d, 0);
	assert_int_equal(assure_date_from_ymd(&d, 1969, 12, 31), 0);
	assert_int_equal(d, -1);
	assert_int_equal(assure_date_from_ymd(&d, 2000, 3, 1), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(assure_date_from_ymd(&d, 2020, 12, 2), 0);
	assert_int_equal(d, 18598);
	assert_int_equal(assure_date_from_ymd(&d, 1, 1, 1), 0);
	assert_int_equal(d, -719162);
	int y, m, dd;
	assure_date_to_ymd(-719162, &y, &m, &dd);
	assert_int_equal(y, 1);
	assert_int_equal(m, 1);
	assert_int_equal(dd, 1);
	assure_date_to_ymd(18598, &y, &m, &dd);
	assert_int_equal(y * 10000 + m * 100 + dd, 20201202);
	/* Differences are plain subtraction. */
	int32_t a, b;
	assure_date_from_ymd(&a, 2021, 1, 1);
	assure_date_from_ymd(&b, 2020, 12, 2);
	assert_int_equal(a - b, 30);
}

/* ISO dates, strict and in the general parser, with surrounding blanks ignored only by the latter. */
static void test_date__iso(void **state)
{
	(void)state;
	assert_date("2020-12-02", "2020-12-02");
	assert_date("  2020-12-02\t", "2020-12-02");
	int32_t d;
	assert_int_equal(assure_date_parse_iso(&d, "2021-01-13"), 0);
	assert_int_equal(d, 18640);
	assert_int_equal(assure_date_parse_iso(&d, " 2021-01-13"), -1);
	assert_int_equal(assure_date_parse_iso(&d, "13/01/2021"), -1);
	assert_int_equal(assure_date_parse_iso(&d, "2021-1-13"), -1);
	assert_int_equal(assure_date_parse_iso(&d, "2021-02-29"), -1);
	assert_int_equal(assure_date_parse_iso(&d, "January 2021"), -1);
	assert_int_equal(assure_date_parse_iso(&d, ""), -1);
}

/* Day-first numeric forms with dots or slashes, one- or two-digit day and month. */
static void test_date__day_month_year_numeric(void **state)
{
	(void)state;
	assert_date("02.12.2020", "2020-12-02");
	assert_date("2.12.2020", "2020-12-02");
	assert_date("02/12/2020", "2020-12-02"); /* UK order: 2 December, not February 12 */
	assert_date("2/1/2021", "2021-01-02");
	assert_date("31/12/1999", "1999-12-31");
	assert_date("13.01.2021", "2021-01-13");
}

/* Day, month name and year, with or without an ordinal suffix, names in any case. */
static void test_date__day_month_name_year(void **state)
{
	(void)state;
	assert_date("2 December 2020", "2020-12-02");
	assert_date("2nd December 2020", "2020-12-02");
	assert_date("2 Dec 2020", "2020-12-02");
	assert_date("02 dec 2020", "2020-12-02");
	assert_date("1st JANUARY 2021", "2021-01-01");
	assert_date("3rd March 2021", "2021-03-03");
	assert_date("11th May 2021", "2021-05-11");
	assert_date("12th May 2021", "2021-05-12");
	assert_date("13th May 2021", "2021-05-13");
	assert_date("21st Sep 2021", "2021-09-21");
	assert_date("22nd september 2021", "2021-09-22");
	assert_date("23RD Oct 2021", "2021-10-23");
	assert_date("30th  November   2021", "2021-11-30");
}

/* A month and year alone mean that month's last day. */
static void test_date__month_year_is_last_day(void **state)
{
	(void)state;
	assert_date("December 2020", "2020-12-31");
	assert_date("Dec 2020", "2020-12-31");
	assert_date("april 2021", "2021-04-30");
	assert_date("Dec-20", "2020-12-31");
	assert_date("Dec-2020", "2020-12-31");
	assert_date("Jun-21", "2021-06-30");
	assert_date("nov-99", "2099-11-30"); /* two-digit years are 20xx */
}

/* February's last day follows the Gregorian leap rule, in every form. */
static void test_date__leap_years(void **state)
{
	(void)state;
	assert_date("Feb-24", "2024-02-29");
	assert_date("Feb-23", "2023-02-28");
	assert_date("February 2000", "2000-02-29"); /* divisible by 400 */
	assert_date("Feb 1900", "1900-02-28");      /* divisible by 100 only */
	assert_date("Feb-2100", "2100-02-28");
	assert_date("29/02/2020", "2020-02-29");
	assert_date("29th February 2024", "2024-02-29");
	assert_not_date("29/02/2021");
	assert_not_date("2100-02-29");
	assert_not_date("29 Feb 1900");
	int32_t d;
	assert_int_equal(assure_date_from_ymd(&d, 2000, 2, 29), 0);
	assert_int_equal(assure_date_from_ymd(&d, 1900, 2, 29), -1);
}

/* Words, impossible dates, malformed and trailing text are all rejected. */
static void test_date__rejections(void **state)
{
	(void)state;
	const char *bad[] = {"On-going",
	                     "",
	                     "   ",
	                     "TBC",
	                     "N/A",
	                     "31/02/2020",
	                     "2020-13-01",
	                     "2020-00-10",
	                     "2020-12-00",
	                     "13.01.2021x",
	                     "x13.01.2021",
	                     "32/01/2020",
	                     "00/01/2020",
	                     "1/13/2020",
	                     "02.12/2020",
	                     "02-12-2020",
	                     "2020/12/02",
	                     "02.12.20",
	                     "2020-12-2",
	                     "20201202",
	                     "2 Decembe 2020",
	                     "2 Decemberr 2020",
	                     "2 De 2020",
	                     "2nd",
	                     "December",
	                     "Dec-",
	                     "Dec-202",
	                     "Dec-20201",
	                     "Dec 20",
	                     "Dec20",
	                     "2th December 2020",
	                     "1nd December 2020",
	                     "11st May 2021",
	                     "2ndDecember 2020",
	                     "2 December2020",
	                     "Sept 2021",
	                     "December 0000",
	                     "0000-01-01",
	                     "2020-12-02 10:00",
	                     "-2020-12-02",
	                     "+2020-12-02",
	                     "2020-12-02\x01",
	                     "Q3 2020",
	                     "1 2 2020",
	                     "123 December 2020"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_not_date(bad[i]);
}

/* from_ymd rejects days and months that do not exist. */
static void test_date__from_ymd_validates(void **state)
{
	(void)state;
	int32_t d;
	assert_int_equal(assure_date_from_ymd(&d, 2021, 4, 31), -1);
	assert_int_equal(assure_date_from_ymd(&d, 2021, 0, 1), -1);
	assert_int_equal(assure_date_from_ymd(&d, 2021, 13, 1), -1);
	assert_int_equal(assure_date_from_ymd(&d, 2021, 1, 0), -1);
	assert_int_equal(assure_date_from_ymd(&d, 2021, 1, 32), -1);
	assert_int_equal(assure_date_from_ymd(&d, 2021, 12, 31), 0);
}

/* Every day over four centuries formats and parses back to itself, one day apart. */
static void test_date__round_trip(void **state)
{
	(void)state;
	int32_t lo, hi;
	assure_date_from_ymd(&lo, 1900, 1, 1);
	assure_date_from_ymd(&hi, 2300, 12, 31);
	int py = 1899, pm = 12, pd = 31;
	for (int32_t d = lo; d <= hi; d++) {
		char buf[11];
		assure_date_format(d, buf);
		int32_t back;
		if (assure_date_parse_iso(&back, buf) != 0 || back != d)
			fail_msg("day %d formats as %s which does not read back", (int)d, buf);
		int y, m, dd;
		assure_date_to_ymd(d, &y, &m, &dd);
		/* Consecutive days are consecutive calendar days. */
		bool next_day = y == py && m == pm && dd == pd + 1;
		bool next_month = y == py && m == pm + 1 && dd == 1;
		bool next_year = y == py + 1 && m == 1 && dd == 1 && pm == 12 && pd == 31;
		if (!next_day && !next_month && !next_year)
			fail_msg("day %d is %04d-%02d-%02d after %04d-%02d-%02d", (int)d, y, m, dd, py, pm,
			         pd);
		py = y;
		pm = m;
		pd = dd;
	}
	assert_int_equal(py * 10000 + pm * 100 + pd, 23001231);
	/* Far from the epoch, in both directions. */
	int32_t d;
	int y, m, dd;
	assert_int_equal(assure_date_from_ymd(&d, -4713, 11, 24), 0);
	assure_date_to_ymd(d, &y, &m, &dd);
	assert_int_equal(y, -4713);
	assert_int_equal(m, 11);
	assert_int_equal(dd, 24);
	assert_int_equal(assure_date_from_ymd(&d, 9999, 12, 31), 0);
	assert_int_equal(d, 2932896);
}

/* Unix seconds map to the UTC day, rounding down before the epoch. */
static void test_date__from_unix(void **state)
{
	(void)state;
	assert_int_equal(assure_date_from_unix(0), 0);
	assert_int_equal(assure_date_from_unix(86399), 0);
	assert_int_equal(assure_date_from_unix(86400), 1);
	assert_int_equal(assure_date_from_unix(-1), -1);
	assert_int_equal(assure_date_from_unix(-86400), -1);
	assert_int_equal(assure_date_from_unix(-86401), -2);
	assert_int_equal(assure_date_from_unix(1606867200LL), 18598); /* 2020-12-02T00:00:00Z */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_date__epoch_and_known_days),
	    cmocka_unit_test(test_date__iso),
	    cmocka_unit_test(test_date__day_month_year_numeric),
	    cmocka_unit_test(test_date__day_month_name_year),
	    cmocka_unit_test(test_date__month_year_is_last_day),
	    cmocka_unit_test(test_date__leap_years),
	    cmocka_unit_test(test_date__rejections),
	    cmocka_unit_test(test_date__from_ymd_validates),
	    cmocka_unit_test(test_date__round_trip),
	    cmocka_unit_test(test_date__from_unix),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
