/*
 * date.c: the date forms written in returns, as day numbers (see date.h).
 *
 * Day numbers use Howard Hinnant's days_from_civil / civil_from_days algorithms
 * (proleptic Gregorian, 400-year eras of 146097 days), which are exact for every
 * year in range without tables. Parsing is a small hand-written scanner: each
 * accepted form is tried in turn on the whole trimmed text, and a form accepts
 * only when it consumes everything, so "13.01.2021x" is no date at all.
 */
#include "assure/date.h"

#include <stddef.h>
#include <string.h>

/* Years that the text forms accept: four digits, and no year 0 (1 BC) in a return. */
#define TEXT_YEAR_MIN 1
#define TEXT_YEAR_MAX 9999

/* Years for which every day number fits int32_t with room to spare. */
#define YMD_YEAR_MIN (-5000000)
#define YMD_YEAR_MAX 5000000

/* Month names; a name matches in full or by its first three letters, in any case. */
static const char *const month_names[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};

static bool is_leap(long y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(long y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Floor division, so that eras before year 0 count correctly. */
static long floor_div(long a, long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int assure_date_from_ymd(int32_t *days, int year, int month, int day)
{
	if (year < YMD_YEAR_MIN || year > YMD_YEAR_MAX || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return -1;
	/* March-based year, so that the leap day is the last day of the year. */
	long y = (long)year - (month <= 2);
	long era = floor_div(y, 400);
	long yoe = y - era * 400;                                                  /* [0, 399] */
	long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; /* [0, 365] */
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                          /* [0, 146096] */
	*days = (int32_t)(era * 146097 + doe - 719468);
	return 0;
}

void assure_date_to_ymd(int32_t days, int *year, int *month, int *day)
{
	long z = (long)days + 719468;
	long era = floor_div(z, 146097);
	long doe = z - era * 146097;                                      /* [0, 146096] */
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	long mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

void assure_date_format(int32_t days, char buf[static 11])
{
	int y, m, d;
	assure_date_to_ymd(days, &y, &m, &d);
	/* Outside years 0-9999 the text would not fit: clamp rather than truncate a field. */
	if (y < 0) {
		y = 0;
		m = d = 1;
	} else if (y > 9999) {
		y = 9999;
		m = 12;
		d = 31;
	}
	const int fields[3][2] = {{y, 4}, {m, 2}, {d, 2}};
	char *p = buf;
	for (int f = 0; f < 3; f++) {
		if (f > 0)
			*p++ = '-';
		for (int i = fields[f][1] - 1, v = fields[f][0]; i >= 0; i--, v /= 10)
			p[i] = (char)('0' + v % 10);
		p += fields[f][1];
	}
	*p = '\0';
}

int32_t assure_date_from_unix(long long seconds)
{
	long long d = seconds / 86400 - (seconds % 86400 < 0);
	return (int32_t)d;
}

/* A cursor over the trimmed text; every reader advances it only on success. */
typedef struct scan {
	const char *p;
	const char *end;
} scan;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Between min and max digits (no sign); *out gets their value. */
static bool read_number(scan *s, int min, int max, int *out)
{
	int n = 0, v = 0;
	while (s->p + n < s->end && n < max && is_digit(s->p[n])) {
		v = v * 10 + (s->p[n] - '0');
		n++;
	}
	if (n < min || (s->p + n < s->end && is_digit(s->p[n])))
		return false;
	s->p += n;
	*out = v;
	return true;
}

static bool read_char(scan *s, char c)
{
	if (s->p >= s->end || *s->p != c)
		return false;
	s->p++;
	return true;
}

/* One or more blanks between words. */
static bool read_blanks(scan *s)
{
	const char *start = s->p;
	while (s->p < s->end && is_blank(*s->p))
		s->p++;
	return s->p > start;
}

/* A month name, in full or its first three letters; *month is 1-12. */
static bool read_month(scan *s, int *month)
{
	size_t n = 0;
	while (s->p + n < s->end && lower(s->p[n]) >= 'a' && lower(s->p[n]) <= 'z')
		n++;
	if (n < 3)
		return false;
	for (int m = 0; m < 12; m++) {
		const char *name = month_names[m];
		size_t len = strlen(name);
		if (n != 3 && n != len)
			continue;
		size_t i = 0;
		while (i < n && lower(s->p[i]) == name[i])
			i++;
		if (i == n) {
			s->p += n;
			*month = m + 1;
			return true;
		}
	}
	return false;
}

/* The English ordinal suffix of day ("1st", "2nd", "3rd", "11th", "22nd"), if present and right for it. */
static void read_ordinal(scan *s, int day)
{
	const char *suffix = "th";
	if (day % 100 < 11 || day % 100 > 13) {
		static const char *const by_last_digit[10] = {"th", "st", "nd", "rd", "th",
		                                              "th", "th", "th", "th", "th"};
		suffix = by_last_digit[day % 10];
	}
	if (s->end - s->p >= 2 && lower(s->p[0]) == suffix[0] && lower(s->p[1]) == suffix[1])
		s->p += 2;
}

static bool at_end(const scan *s)
{
	return s->p == s->end;
}

static int finish(int32_t *days, int year, int month, int day)
{
	if (year < TEXT_YEAR_MIN || year > TEXT_YEAR_MAX)
		return -1;
	return assure_date_from_ymd(days, year, month, day);
}

/* YYYY-MM-DD */
static int parse_iso(int32_t *days, scan s)
{
	int y, m, d;
	if (read_number(&s, 4, 4, &y) && read_char(&s, '-') && read_number(&s, 2, 2, &m) &&
	    read_char(&s, '-') && read_number(&s, 2, 2, &d) && at_end(&s))
		return finish(days, y, m, d);
	return -1;
}

/* D.M.YYYY or D/M/YYYY, day and month of one or two digits, one separator throughout. */
static int parse_numeric_dmy(int32_t *days, scan s)
{
	int y, m, d;
	if (!read_number(&s, 1, 2, &d) || s.p >= s.end)
		return -1;
	char sep = *s.p;
	if ((sep != '.' && sep != '/') || !read_char(&s, sep) || !read_number(&s, 1, 2, &m) ||
	    !read_char(&s, sep) || !read_number(&s, 4, 4, &y) || !at_end(&s))
		return -1;
	return finish(days, y, m, d);
}

/* 2 December 2020, 2nd Dec 2020 */
static int parse_day_month_year(int32_t *days, scan s)
{
	int y, m, d;
	if (!read_number(&s, 1, 2, &d))
		return -1;
	read_ordinal(&s, d);
	if (read_blanks(&s) && read_month(&s, &m) && read_blanks(&s) && read_number(&s, 4, 4, &y) &&
	    at_end(&s))
		return finish(days, y, m, d);
	return -1;
}

/* December 2020, Dec 2020, Dec-20, Dec-2020: the last day of the month. */
static int parse_month_year(int32_t *days, scan s)
{
	int y, m;
	if (!read_month(&s, &m))
		return -1;
	if (read_blanks(&s)) {
		if (!read_number(&s, 4, 4, &y))
			return -1;
	} else if (read_char(&s, '-')) {
		const char *start = s.p;
		if (!read_number(&s, 2, 4, &y) || s.p - start == 3)
			return -1;
		if (s.p - start == 2)
			y += 2000;
	} else {
		return -1;
	}
	if (!at_end(&s) || y < TEXT_YEAR_MIN)
		return -1;
	return finish(days, y, m, days_in_month(y, m));
}

int assure_date_parse(int32_t *days, const char *text)
{
	scan s = {text, text + strlen(text)};
	while (s.p < s.end && is_blank(*s.p))
		s.p++;
	while (s.end > s.p && is_blank(s.end[-1]))
		s.end--;
	if (s.p == s.end)
		return -1;
	/* The first character decides the family, so at most two forms are tried. */
	if (is_digit(*s.p))
		return parse_iso(days, s) == 0 || parse_numeric_dmy(days, s) == 0 ||
		               parse_day_month_year(days, s) == 0
		           ? 0
		           : -1;
	return parse_month_year(days, s);
}

int assure_date_parse_iso(int32_t *days, const char *text)
{
	scan s = {text, text + strlen(text)};
	return parse_iso(days, s);
}
