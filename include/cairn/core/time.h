/*
 * time.h: the clock and the date forms cairn accepts.
 *
 * Timestamps are stored as ISO 8601 UTC text, "YYYY-MM-DDTHH:MM:SSZ", which
 * sorts as time does.  Calendar dates (due dates) are "YYYY-MM-DD".  The
 * clock can be set with $CAIRN_NOW (a timestamp or a date) so that tests
 * and look-backs are reproducible.
 */
#ifndef CAIRN_TIME_H
#define CAIRN_TIME_H

#include <time.h>

#include "cairn/core/err.h"

#define CAIRN_TS_LEN   21 /* "2026-11-22T13:20:48Z" and NUL */
#define CAIRN_DATE_LEN 11 /* "2026-11-22" and NUL */

/* Seconds since the epoch: $CAIRN_NOW when set and valid, else time(). */
time_t cairn_clock(void);

/* Format t as a timestamp or a date into out. */
void cairn_ts_format(time_t t, char out[CAIRN_TS_LEN]);
void cairn_date_format(time_t t, char out[CAIRN_DATE_LEN]);

/* The current timestamp (cairn_clock()) into out. */
void cairn_now(char out[CAIRN_TS_LEN]);

/*
 * Parse a calendar date: "YYYY-MM-DD" (a real day), "today", "tomorrow",
 * "yesterday", or a relative "+N" / "-N" with a unit d, w, m or y (days,
 * weeks, months, years from today; "+2w").  Writes "YYYY-MM-DD" to out.
 * Returns 0 or CAIRN_EINVAL with a message quoting the input.
 */
int cairn_date_parse(const char *in, char out[CAIRN_DATE_LEN],
                     struct cairn_err *err);

/*
 * 0 when s is exactly a cairn time stamp "YYYY-MM-DDTHH:MM:SSZ" (or, with
 * date_only, a date "YYYY-MM-DD") naming a real day and time; else -1.
 * Without sscanf: importers check a few of these per item.
 */
int cairn_ts_check(const char *s, int date_only);

/*
 * Parse a point in time: any form cairn_date_parse takes (meaning the start
 * of that day, UTC) or a full timestamp "YYYY-MM-DDTHH:MM[:SS][Z]".
 */
int cairn_ts_parse(const char *in, char out[CAIRN_TS_LEN],
                   struct cairn_err *err);

/* The time_t of a stored timestamp or date; (time_t)-1 when malformed. */
time_t cairn_ts_to_time(const char *ts);

/*
 * A bound of a time range as front ends take it (lookback --since and
 * --until, the web's ?since= &until=): a date means its day's start, or,
 * with end, the next day's start (so "--until 2026-03-31" includes that
 * day); else a timestamp as cairn_ts_parse takes it.  show gets the text
 * for a heading ("2026-03-31", "2026-03-31 12:00").  CAIRN_EINVAL.
 */
int cairn_bound_parse(const char *in, int end, char ts[CAIRN_TS_LEN],
                      char show[CAIRN_TS_LEN], struct cairn_err *err);

/* The last weeks weeks up to today, inclusive, as dates. */
void cairn_last_weeks(int weeks, char since[CAIRN_DATE_LEN],
                      char until[CAIRN_DATE_LEN]);

/* The working-day calendar. */

/*
 * Turn working days of effort into a date.  share (0, 1] is the part of
 * working time the goal gets; days_per_week (1..7) how many days of each
 * week, from Monday, are working days.  The work takes ceil(days / share)
 * working days (less a hair, so 20.0 stays 20); the first is start when
 * start is a working day, else the next one; the result is the date of
 * the last (start itself for no work).  start is "YYYY-MM-DD".
 * CAIRN_EINVAL for a bad date, share or days_per_week.
 */
int cairn_workdays_to_date(const char *start, double days, double share,
                           int days_per_week, char out[CAIRN_DATE_LEN],
                           struct cairn_err *err);

/*
 * How many working days work of days of effort at share (0, 1] of the
 * time takes: ceil(days / share), less a hair so that 20.0 stays 20; 0
 * for no work.  The count cairn_workdays_to_date places on the calendar.
 */
long long cairn_workdays_span(double days, double share);

/*
 * The time from t0 to t1 that falls on Monday to Friday (UTC), in days:
 * the working days a piece of work spanned, whatever the days per week
 * of a forecast.  0 when t1 <= t0.
 */
double cairn_weekdays_between(time_t t0, time_t t1);

/* The same for showing a forecast: "-" when there is no date (days < 0,
 * as for a forecast no trial of which succeeded, or out of range). */
void cairn_forecast_date(const char *start, double days, double share,
                         int days_per_week, char out[CAIRN_DATE_LEN]);

#endif
