/*
 * time.c: the clock and date parsing.  All arithmetic is done in UTC with
 * timegm(), so a date never shifts with the local time zone.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/time.h"
#include "banned.h"

static int
parse_ymd(const char *s, struct tm *tm, const char **end)
{
	int y, m, d, n = 0;
	struct tm t;

	/* Digits exactly where they belong: sscanf alone takes signs and
	 * blanks inside a field. */
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
		                     : !isdigit((unsigned char)s[i]))
			return -1;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&t, 0, sizeof(t));
	t.tm_year = y - 1900;
	t.tm_mon = m - 1;
	t.tm_mday = d;
	t.tm_hour = 12;
	/* Reject 2026-02-30: normalisation would move it to March. */
	timegm(&t);
	if (t.tm_mday != d || t.tm_mon != m - 1)
		return -1;
	t.tm_hour = 0;
	*tm = t;
	*end = s + n;
	return 0;
}

time_t
cairn_ts_to_time(const char *ts)
{
	struct tm tm;
	const char *p;
	int hh = 0, mm = 0, ss = 0, n = 0;

	if (!ts || parse_ymd(ts, &tm, &p))
		return (time_t)-1;
	if (*p == 'T' || *p == ' ') {
		if (!isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]) || p[3] != ':' ||
		    !isdigit((unsigned char)p[4]) ||
		    !isdigit((unsigned char)p[5]))
			return (time_t)-1;
		if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2)
			return (time_t)-1;
		p += 1 + n;
		if (*p == ':') {
			if (!isdigit((unsigned char)p[1]) ||
			    !isdigit((unsigned char)p[2]))
				return (time_t)-1;
			if (sscanf(p + 1, "%2d%n", &ss, &n) != 1)
				return (time_t)-1;
			p += 1 + n;
		}
		if (*p == 'Z')
			p++;
		if (hh > 23 || mm > 59 || ss > 60)
			return (time_t)-1;
	}
	if (*p)
		return (time_t)-1;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return timegm(&tm);
}

time_t
cairn_clock(void)
{
	const char *env = getenv("CAIRN_NOW");
	time_t t;

	if (env && *env) {
		t = cairn_ts_to_time(env);
		if (t != (time_t)-1)
			return t;
	}
	return time(NULL);
}

void
cairn_ts_format(time_t t, char out[CAIRN_TS_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CAIRN_TS_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
cairn_date_format(time_t t, char out[CAIRN_DATE_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CAIRN_DATE_LEN, "%Y-%m-%d", &tm);
}

void
cairn_now(char out[CAIRN_TS_LEN])
{
	cairn_ts_format(cairn_clock(), out);
}

static int
parse_relative(const char *in, time_t *out)
{
	time_t now = cairn_clock();
	struct tm tm;
	char *end;
	long n;
	int sign;

	if (!strcmp(in, "today") || !strcmp(in, "now"))
		n = 0, sign = 1, end = (char *)"d";
	else if (!strcmp(in, "tomorrow"))
		n = 1, sign = 1, end = (char *)"d";
	else if (!strcmp(in, "yesterday"))
		n = 1, sign = -1, end = (char *)"d";
	else if (in[0] == '+' || in[0] == '-') {
		if (!isdigit((unsigned char)in[1]))
			return -1;
		sign = in[0] == '-' ? -1 : 1;
		errno = 0;
		n = strtol(in + 1, &end, 10);
		if (errno || n > 100000 || end[0] == '\0' || end[1] != '\0')
			return -1;
	} else
		return -1;
	gmtime_r(&now, &tm);
	tm.tm_hour = 12; /* away from any day boundary */
	tm.tm_min = tm.tm_sec = 0;
	switch (end[0]) {
	case 'd':
		tm.tm_mday += sign * (int)n;
		break;
	case 'w':
		tm.tm_mday += sign * 7 * (int)n;
		break;
	case 'm':
		tm.tm_mon += sign * (int)n;
		break;
	case 'y':
		tm.tm_year += sign * (int)n;
		break;
	default:
		return -1;
	}
	if (end[0] == 'm' || end[0] == 'y') {
		/* 31 January + 1 month is the end of February, not March. */
		int want = ((tm.tm_mon % 12) + 12) % 12, day = tm.tm_mday;
		struct tm probe = tm;

		timegm(&probe);
		while (probe.tm_mon != want && day > 28) {
			tm.tm_mday = --day;
			probe = tm;
			timegm(&probe);
		}
	}
	*out = timegm(&tm);
	return 0;
}

int
cairn_date_parse(const char *in, char out[CAIRN_DATE_LEN],
                 struct cairn_err *err)
{
	struct tm tm;
	const char *end;
	time_t t;

	if (in && !parse_ymd(in, &tm, &end) && *end == '\0') {
		cairn_date_format(timegm(&tm), out);
		return 0;
	}
	if (in && !parse_relative(in, &t)) {
		cairn_date_format(t, out);
		return 0;
	}
	return cairn_err_set(err, CAIRN_EINVAL,
	                     "malformed date '%s' (want YYYY-MM-DD, today, "
	                     "tomorrow, yesterday, or +N/-N with d, w, m or "
	                     "y)",
	                     in ? in : "");
}

int
cairn_ts_parse(const char *in, char out[CAIRN_TS_LEN], struct cairn_err *err)
{
	char date[CAIRN_DATE_LEN];
	time_t t;

	if (in && strlen(in) > 10) {
		t = cairn_ts_to_time(in);
		if (t != (time_t)-1) {
			cairn_ts_format(t, out);
			return 0;
		}
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "malformed time '%s' (want YYYY-MM-DD or "
		                     "YYYY-MM-DDTHH:MM:SSZ)",
		                     in);
	}
	if (cairn_date_parse(in, date, err))
		return CAIRN_EINVAL;
	cairn_ts_format(cairn_ts_to_time(date), out);
	return 0;
}

/* ---- the working-day calendar --------------------------------------- */

int
cairn_workdays_to_date(const char *start, double days, double share,
                       int days_per_week, char out[CAIRN_DATE_LEN],
                       struct cairn_err *err)
{
	time_t t = cairn_ts_to_time(start ? start : "");
	struct tm tm;
	double need;
	long long k, weeks;
	int wd;

	if (t == (time_t)-1)
		return cairn_err_set(err, CAIRN_EINVAL, "malformed date '%s'",
		                     start ? start : "");
	if (!(share > 0 && share <= 1))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "share of time %g is not in (0, 1]",
		                     share);
	if (days_per_week < 1 || days_per_week > 7)
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "days per week must be from 1 to 7, not %d",
		        days_per_week);
	if (!(days >= 0 && days < 1e9))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot place %g working days on the "
		                     "calendar",
		                     days);
	need = days / share;
	if (need > 1e7)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%g working days is beyond the calendar",
		                     need);
	k = cairn_workdays_span(days, share);
	t -= t % 86400;
	if (k <= 0) {
		cairn_date_format(t, out);
		return 0;
	}
	gmtime_r(&t, &tm);
	wd = (tm.tm_wday + 6) % 7; /* Monday 0 */
	while (wd >= days_per_week) {
		t += 86400;
		wd = (wd + 1) % 7;
	}
	/* t is the first working day; k - 1 more to go. */
	k--;
	weeks = k / days_per_week;
	t += (time_t)weeks * 7 * 86400;
	k -= weeks * days_per_week;
	while (k > 0) {
		t += 86400;
		wd = (wd + 1) % 7;
		if (wd < days_per_week)
			k--;
	}
	cairn_date_format(t, out);
	return 0;
}

long long
cairn_workdays_span(double days, double share)
{
	long long k = (long long)ceil(days / share - 1e-6);

	return k > 0 ? k : 0;
}

double
cairn_weekdays_between(time_t t0, time_t t1)
{
	double secs = 0;
	time_t t = t0;

	while (t < t1) {
		time_t day = t - t % 86400, next = day + 86400;
		/* 1970-01-01 was a Thursday: Monday is 0. */
		int wd = (int)((day / 86400 + 3) % 7);

		if (wd == 0 && t == day && t1 - t >= 7 * 86400) {
			time_t weeks = (t1 - t) / (7 * 86400);

			secs += (double)weeks * 5 * 86400;
			t += weeks * 7 * 86400;
			continue;
		}
		if (next > t1)
			next = t1;
		if (wd < 5)
			secs += (double)(next - t);
		t = next;
	}
	return secs / 86400;
}

void
cairn_forecast_date(const char *start, double days, double share,
                    int days_per_week, char out[CAIRN_DATE_LEN])
{
	if (days < 0 || cairn_workdays_to_date(start, days, share,
	                                       days_per_week, out, NULL))
		snprintf(out, CAIRN_DATE_LEN, "-");
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
cairn_ts_check(const char *s, int date_only)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, m, d, hh, mm, ss;
	size_t n = strlen(s);

	if (n != (date_only ? 10u : 20u) || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d) ||
	    m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return -1;
	if (date_only)
		return 0;
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) ||
	    digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	return 0;
}

int
cairn_bound_parse(const char *in, int end, char ts[CAIRN_TS_LEN],
                  char show[CAIRN_TS_LEN], struct cairn_err *err)
{
	char day[CAIRN_DATE_LEN];
	int rc;

	if (!cairn_date_parse(in, day, NULL)) {
		time_t t = cairn_ts_to_time(day);

		cairn_ts_format(end ? t + 86400 : t, ts);
		snprintf(show, CAIRN_TS_LEN, "%s", day);
		return 0;
	}
	if ((rc = cairn_ts_parse(in, ts, err)))
		return rc;
	snprintf(show, CAIRN_TS_LEN, "%.10s %.5s", ts, ts + 11);
	return 0;
}

void
cairn_last_weeks(int weeks, char since[CAIRN_DATE_LEN],
                 char until[CAIRN_DATE_LEN])
{
	time_t now = cairn_clock();

	cairn_date_format(now, until);
	cairn_date_format(now - (time_t)(7 * weeks - 1) * 86400, since);
}
