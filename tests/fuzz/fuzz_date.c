/*
 * fuzz_date.c: date parsing (util/date.c) accepts or rejects any text; what it accepts is a day
 * of years 1 to 9999 that formats back to the same day, and the strict ISO form agrees with the
 * general one. The calendar arithmetic holds for any day number: a day's year, month and day
 * make the same day again, the next day comes after it, and a Unix time falls in its day.
 *
 * Input: TEXT. Its first 4 bytes are also read as a day number and its first 8 as Unix seconds.
 */
#include "assure/date.h"

#include "assure/error.h"

#include "fuzz.h"

#include <limits.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void check_day(int32_t days)
{
	int y, m, d;
	assure_date_to_ymd(days, &y, &m, &d);
	FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31, "day %d is %d-%d-%d", (int)days, y, m, d);
	int32_t again;
	if (y >= -5000000 && y <= 5000000)
		FUZZ_CHECK(assure_date_from_ymd(&again, y, m, d) == 0 && again == days,
		           "day %d is %d-%d-%d, which is %d", (int)days, y, m, d, (int)again);
	char buf[11];
	assure_date_format(days, buf);
	FUZZ_CHECK(strlen(buf) == 10 && buf[4] == '-' && buf[7] == '-', "day %d formats as '%s'", (int)days,
	           buf);
	if (y >= 1 && y <= 9999)
		FUZZ_CHECK(assure_date_parse_iso(&again, buf) == 0 && again == days,
		           "'%s' does not read back as %d", buf, (int)days);
	if (days < INT32_MAX) {
		int y2, m2, d2;
		assure_date_to_ymd(days + 1, &y2, &m2, &d2);
		bool later = y2 > y || (y2 == y && (m2 > m || (m2 == m && d2 == d + 1)));
		FUZZ_CHECK(later && (d2 == d + 1 || d2 == 1), "the day after %d-%d-%d is %d-%d-%d", y, m, d,
		           y2, m2, d2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = assure_xstrndup((const char *)data, size);
	int32_t d, iso;
	int rc = assure_date_parse(&d, s);
	if (rc == 0) {
		int y, m, day;
		assure_date_to_ymd(d, &y, &m, &day);
		FUZZ_CHECK(y >= 1 && y <= 9999, "'%s' is in year %d", s, y);
		char buf[11];
		assure_date_format(d, buf);
		FUZZ_CHECK(assure_date_parse_iso(&iso, buf) == 0 && iso == d,
		           "'%s' formats as '%s', another day", s, buf);
		check_day(d);
	} else {
		FUZZ_CHECK(rc == -1, "parse gave %d", rc);
	}
	if (assure_date_parse_iso(&iso, s) == 0) {
		/* the strict form is one of the general forms, and it is the one format writes */
		FUZZ_CHECK(rc == 0 && d == iso, "'%s' is ISO but the general parser says otherwise", s);
		char buf[11];
		assure_date_format(iso, buf);
		FUZZ_CHECK(strcmp(buf, s) == 0, "'%s' formats as '%s'", s, buf);
	}
	/* blanks around a date change nothing */
	size_t n = strlen(s);
	if (n > 0 && !is_blank(s[0]) && !is_blank(s[n - 1])) {
		char *padded = malloc(n + 3);
		snprintf(padded, n + 3, " %s\t", s);
		int32_t p;
		int prc = assure_date_parse(&p, padded);
		FUZZ_CHECK(prc == rc && (rc != 0 || p == d), "blanks around '%s' change it", s);
		free(padded);
	}
	if (size >= 4) {
		int32_t days;
		memcpy(&days, data, sizeof days);
		check_day(days);
	}
	if (size >= 8) {
		long long secs;
		memcpy(&secs, data, sizeof secs);
		int32_t day = assure_date_from_unix(secs);
		long long q = secs / 86400 - (secs % 86400 < 0);
		if (q >= INT32_MIN && q <= INT32_MAX)
			FUZZ_CHECK(day == q && (long long)day * 86400 <= secs &&
			               secs - (long long)day * 86400 < 86400,
			           "%lld seconds are not in day %d", secs, (int)day);
	}
	free(s);
	return 0;
}
