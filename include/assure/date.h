/*
 * date.h: calendar dates as they are written in returns and board papers.
 *
 * A date is a day number: days since 1970-01-01 (proleptic Gregorian), so that
 * differences are plain subtraction. Accepted text (whole string, surrounding
 * blanks ignored, month names in any case, full or three-letter):
 *   2020-12-02     ISO
 *   02.12.2020     day.month.year
 *   02/12/2020     day/month/year (UK order)
 *   2 December 2020, 2nd December 2020, 2 Dec 2020
 *   December 2020, Dec 2020   the last day of that month
 *   Dec-20, Dec-2020          the last day of that month (two-digit year is 20xx)
 * Anything else ("On-going", "TBC", "", "31/02/2020") is not a date.
 */
#ifndef ASSURE_DATE_H
#define ASSURE_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* Returns 0 and sets *days, or -1 when text is not a date. */
int assure_date_parse(int32_t *days, const char *text);
/* Strict YYYY-MM-DD only (command-line --as-of). */
int assure_date_parse_iso(int32_t *days, const char *text);
/* Day number from a civil date; month 1-12. Returns -1 if the date does not exist. */
int assure_date_from_ymd(int32_t *days, int year, int month, int day);
void assure_date_to_ymd(int32_t days, int *year, int *month, int *day);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void assure_date_format(int32_t days, char buf[static 11]);
/* Day number of a Unix time (UTC). */
int32_t assure_date_from_unix(long long seconds);

#endif
