/*
 * test-time.c: the clock and the date forms: calendar dates (real days
 * only), relative dates from $CAIRN_NOW, timestamps, all in UTC whatever
 * the local time zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

static void
expect_date(const char *in, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_DATE_LEN] = "";

	if (cairn_date_parse(in, out, &err))
		fail_msg("date '%s' refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

/* Fail at the caller's line unless in is refused as a date. */
#define expect_bad_date(in) expect_bad_date_at((in), __FILE__, __LINE__)

static void
expect_bad_date_at(const char *in, const char *file, int line)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_DATE_LEN] = "";

	if (cairn_date_parse(in, out, &err) != CAIRN_EINVAL ||
	    err.code != CAIRN_EINVAL) {
		print_error("date '%s' accepted as '%s'\n", in ? in : "(null)",
		            out);
		_fail(file, line);
	}
}

static void
expect_ts(const char *in, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_TS_LEN] = "";

	if (cairn_ts_parse(in, out, &err))
		fail_msg("time '%s' refused: %s", in, err.msg);
	assert_string_equal(out, want);
}

#define expect_bad_ts(in) expect_bad_ts_at((in), __FILE__, __LINE__)

static void
expect_bad_ts_at(const char *in, const char *file, int line)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_TS_LEN] = "";

	if (cairn_ts_parse(in, out, &err) != CAIRN_EINVAL) {
		print_error("time '%s' accepted as '%s'\n", in ? in : "(null)",
		            out);
		_fail(file, line);
	}
}

static int
setup_clock(void **state)
{
	(void)state;
	setenv("CAIRN_NOW", "2026-03-15T10:00:00Z", 1);
	return 0;
}

static int
teardown_clock(void **state)
{
	(void)state;
	unsetenv("CAIRN_NOW");
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void
test_date_valid(void **state)
{
	(void)state;
	expect_date("2026-03-15", "2026-03-15");
	expect_date("2026-12-31", "2026-12-31");
	expect_date("2024-02-29", "2024-02-29");
	expect_date("2000-02-29", "2000-02-29");
	expect_date("2026-01-01", "2026-01-01");
}

static void
test_date_invalid(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_DATE_LEN];

	(void)state;
	expect_bad_date("2026-02-30");
	expect_bad_date("2026-02-29");
	expect_bad_date("1900-02-29");
	expect_bad_date("2026-04-31");
	expect_bad_date("2026-13-01");
	expect_bad_date("2026-00-10");
	expect_bad_date("2026-01-00");
	expect_bad_date("2026-01-32");
	expect_bad_date("2026-3-5");
	expect_bad_date("26-03-15");
	expect_bad_date("2026/03/15");
	expect_bad_date("2026-03-15x");
	expect_bad_date("2026-03-15T10:00:00Z");
	expect_bad_date(" 2026-03-15");
	expect_bad_date("2026-+3-15");
	expect_bad_date("2026- 3-15");
	expect_bad_date("2026-03-+5");
	expect_bad_date("2026-03- 5");
	expect_bad_date("");
	expect_bad_date(NULL);
	expect_bad_date("soon");

	assert_code(cairn_date_parse("2026-02-30", out, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed date '2026-02-30' (want "
	                             "YYYY-MM-DD, today, tomorrow, yesterday, "
	                             "or +N/-N with d, w, m or y)");
}

static void
test_date_relative(void **state)
{
	(void)state;
	expect_date("today", "2026-03-15");
	expect_date("tomorrow", "2026-03-16");
	expect_date("yesterday", "2026-03-14");
	expect_date("+0d", "2026-03-15");
	expect_date("+1d", "2026-03-16");
	expect_date("+10d", "2026-03-25");
	expect_date("-3d", "2026-03-12");
	expect_date("-15d", "2026-02-28");
	expect_date("+2w", "2026-03-29");
	expect_date("-1w", "2026-03-08");
	expect_date("+1m", "2026-04-15");
	expect_date("-1m", "2026-02-15");
	expect_date("+10m", "2027-01-15");
	expect_date("+1y", "2027-03-15");
	expect_date("-2y", "2024-03-15");

	expect_bad_date("+2");
	expect_bad_date("2w");
	expect_bad_date("+w");
	expect_bad_date("+2x");
	expect_bad_date("+2ww");
	expect_bad_date("+-2d");
	expect_bad_date("+ 2d");
	expect_bad_date("Today");
	expect_bad_date("+999999999999999999999d");

	/* Late in the UTC day. */
	setenv("CAIRN_NOW", "2026-03-15T23:59:59Z", 1);
	expect_date("today", "2026-03-15");
	expect_date("tomorrow", "2026-03-16");
	setenv("CAIRN_NOW", "2026-03-15T00:00:00Z", 1);
	expect_date("yesterday", "2026-03-14");
	/* A leap year's last day of February. */
	setenv("CAIRN_NOW", "2028-02-28T12:00:00Z", 1);
	expect_date("tomorrow", "2028-02-29");
	expect_date("+2d", "2028-03-01");
}

/* Dates are UTC days whatever the local zone says. */
static void
test_date_zone(void **state)
{
	(void)state;
	/* UTC+14: locally it is already the 16th. */
	setenv("TZ", "XST-14", 1);
	tzset();
	setenv("CAIRN_NOW", "2026-03-15T23:00:00Z", 1);
	expect_date("today", "2026-03-15");
	expect_date("2026-03-15", "2026-03-15");
	expect_ts("2026-03-15", "2026-03-15T00:00:00Z");
	/* UTC-12: locally still the 14th. */
	setenv("TZ", "YST+12", 1);
	tzset();
	setenv("CAIRN_NOW", "2026-03-15T01:00:00Z", 1);
	expect_date("today", "2026-03-15");
	expect_ts("today", "2026-03-15T00:00:00Z");
	assert_int_equal(cairn_ts_to_time("2026-03-15T10:00:00Z"), 1773568800);
}

static void
test_ts(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_TS_LEN];

	(void)state;
	expect_ts("2026-03-15T10:20:30Z", "2026-03-15T10:20:30Z");
	expect_ts("2026-03-15T10:20:30", "2026-03-15T10:20:30Z");
	expect_ts("2026-03-15T10:20", "2026-03-15T10:20:00Z");
	expect_ts("2026-03-15 10:20:30", "2026-03-15T10:20:30Z");
	expect_ts("2026-03-15", "2026-03-15T00:00:00Z");
	expect_ts("today", "2026-03-15T00:00:00Z");
	expect_ts("-1w", "2026-03-08T00:00:00Z");
	expect_ts("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z");

	expect_bad_ts("2026-03-15T24:00");
	expect_bad_ts("2026-03-15T10:60");
	expect_bad_ts("2026-03-15T10:20:61");
	expect_bad_ts("2026-03-15T10:20:30+02:00");
	expect_bad_ts("2026-03-15T10:20:30ZZ");
	expect_bad_ts("2026-02-30T10:00");
	expect_bad_ts("2026-03-15T");
	expect_bad_ts("2026-03-15T 1: 2");
	expect_bad_ts("2026-03-15T+1:02");
	expect_bad_ts("2026-03-15T10:-2");
	expect_bad_ts("2026-03-15Tnoon");
	expect_bad_ts("yesterday at noon");
	expect_bad_ts("");
	expect_bad_ts(NULL);
	assert_code(cairn_ts_parse("2026-03-15T25:00", out, &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed time '2026-03-15T25:00' (want "
	                             "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
}

static void
test_ts_to_time(void **state)
{
	char ts[CAIRN_TS_LEN], date[CAIRN_DATE_LEN];

	(void)state;
	assert_int_equal(cairn_ts_to_time("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(cairn_ts_to_time("2026-03-15T10:00:00Z"), 1773568800);
	assert_int_equal(cairn_ts_to_time("2024-02-29"), 1709164800);
	assert_true(cairn_ts_to_time("2026-02-30") == (time_t)-1);
	assert_true(cairn_ts_to_time("garbage") == (time_t)-1);
	assert_true(cairn_ts_to_time(NULL) == (time_t)-1);
	assert_true(cairn_ts_to_time("") == (time_t)-1);

	cairn_ts_format(0, ts);
	assert_string_equal(ts, "1970-01-01T00:00:00Z");
	cairn_ts_format(1773568800, ts);
	assert_string_equal(ts, "2026-03-15T10:00:00Z");
	cairn_date_format(1773568800 + 13 * 3600 + 59 * 60, date);
	assert_string_equal(date, "2026-03-15");
	cairn_date_format(1773568800 + 14 * 3600, date);
	assert_string_equal(date, "2026-03-16");
	/* Stored timestamps sort as time does: round trip. */
	assert_int_equal(cairn_ts_to_time(ts), 1773568800);
}

static void
test_clock(void **state)
{
	char ts[CAIRN_TS_LEN];
	time_t before;

	(void)state;
	cairn_now(ts);
	assert_string_equal(ts, "2026-03-15T10:00:00Z");
	assert_int_equal(cairn_clock(), 1773568800);
	setenv("CAIRN_NOW", "2026-03-20", 1);
	assert_int_equal(cairn_clock(), 1773964800);
	setenv("CAIRN_NOW", "2026-03-15T10:00", 1);
	assert_int_equal(cairn_clock(), 1773568800);

	before = time(NULL);
	setenv("CAIRN_NOW", "not a time", 1);
	assert_in_range(cairn_clock(), before, time(NULL));
	unsetenv("CAIRN_NOW");
	assert_in_range(cairn_clock(), before, time(NULL));
}

#define CLOCK(t) cmocka_unit_test_setup_teardown(t, setup_clock, teardown_clock)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        CLOCK(test_date_valid),
	        CLOCK(test_date_invalid),
	        CLOCK(test_date_relative),
	        CLOCK(test_date_zone),
	        CLOCK(test_ts),
	        CLOCK(test_ts_to_time),
	        CLOCK(test_clock),
	};

	return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
