/*
 * test-forecast.c: the Monte Carlo forecast, point by point against issue
 * 4's "Correctness" list (fixed efforts in series and in parallel at one
 * and two streams; the chance of two 50 % milestones with one and two
 * attempts; identical results for 1, 2 and 8 threads), plus the PERT
 * sampler, history scaling, the criticality index, option checks and the
 * working-day calendar.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cairn/cairn.h"
#include "cairn/plan/forecast.h"

/* Fail with the error message unless expr returns 0.  (unit.h has the
 * same; this file needs no store, so it stands alone.) */
#define assert_ok(expr, errp)                                                  \
	do {                                                                   \
		int rc_ = (expr);                                              \
		if (rc_)                                                       \
			fail_msg("%s returned %d: %s", #expr, rc_,             \
			         (errp)->msg);                                 \
	} while (0)

static long
node(struct cairn_plan *g, int64_t id, double o, double m, double p, double ps)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	double est[3] = {o, m, p};
	long i = cairn_plan_add_node(g, id, est, ps, 0, &err);

	if (i < 0)
		fail_msg("add node #%lld: %s", (long long)id, err.msg);
	return i;
}

static void
edge(struct cairn_plan *g, long u, long v)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_plan_add_edge(g, (size_t)u, (size_t)v, &err), &err);
}

static void
finish(struct cairn_plan *g)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_plan_finish(g, &err), &err);
}

static void
run(const struct cairn_plan *g, const struct cairn_forecast_opts *o,
    struct cairn_forecast *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_forecast_run(g, o, f, &err), &err);
}

/* Two fixed 10-day milestones, in series or in parallel. */
static void
two_fixed(struct cairn_plan *g, int series)
{
	long a, b;

	cairn_plan_init(g);
	a = node(g, 1, 10, 10, 10, 1);
	b = node(g, 2, 10, 10, 10, 1);
	if (series)
		edge(g, b, a);
	finish(g);
}

static void
expect_exact(const struct cairn_plan *g, int capacity, double days)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;

	o.trials = 1000;
	o.capacity = capacity;
	run(g, &o, &f);
	assert_int_equal(f.successes, 1000);
	assert_float_equal(f.chance, 1, 0);
	assert_float_equal(f.min, days, 0);
	assert_float_equal(f.max, days, 0);
	assert_float_equal(f.p50, days, 0);
	assert_float_equal(f.p80, days, 0);
	assert_float_equal(f.p95, days, 0);
	assert_float_equal(f.mean, days, 0);
	cairn_forecast_release(&f);
}

static void
test_series_fixed(void **state)
{
	struct cairn_plan g;

	(void)state;
	two_fixed(&g, 1);
	expect_exact(&g, 1, 20);
	expect_exact(&g, 2, 20);
	cairn_plan_release(&g);
}

static void
test_parallel_fixed(void **state)
{
	struct cairn_plan g;

	(void)state;
	two_fixed(&g, 0);
	expect_exact(&g, 1, 20);
	expect_exact(&g, 2, 10);
	expect_exact(&g, 3, 10);
	cairn_plan_release(&g);
}

/* Streams are a real limit: four 10-day milestones on two streams. */
static void
test_list_scheduling(void **state)
{
	struct cairn_plan g;
	long a, b, c, d;

	(void)state;
	cairn_plan_init(&g);
	a = node(&g, 1, 10, 10, 10, 1);
	b = node(&g, 2, 10, 10, 10, 1);
	c = node(&g, 3, 10, 10, 10, 1);
	d = node(&g, 4, 30, 30, 30, 1);
	edge(&g, b, a); /* a -> b, c free, d free */
	(void)c;
	(void)d;
	finish(&g);
	/* Two streams: d (longest chain) and a first, then b, then c:
	 * d 0..30 on one stream, a 0..10, b 10..20, c 20..30 on the other. */
	expect_exact(&g, 2, 30);
	expect_exact(&g, 1, 60);
	expect_exact(&g, 4, 30);
	cairn_plan_release(&g);
}

static void
expect_chance(int attempts, double want)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_plan g;
	double se;
	long a, b;

	cairn_plan_init(&g);
	a = node(&g, 1, 10, 10, 10, 0.5);
	b = node(&g, 2, 10, 10, 10, 0.5);
	edge(&g, b, a);
	finish(&g);
	o.trials = 100000;
	o.max_attempts = attempts;
	o.seed = 12345;
	run(&g, &o, &f);
	se = sqrt(want * (1 - want) / 100000);
	if (fabs(f.chance - want) > 3 * se)
		fail_msg("chance %.5f, want %.5f +- %.5f", f.chance, want,
		         3 * se);
	/* Given success, the time is whole attempts of 10 days. */
	assert_true(f.min >= 20);
	if (attempts == 1)
		assert_float_equal(f.max, 20, 0);
	else
		assert_float_equal(f.max, 40, 0);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);
}

static void
test_chance_one_attempt(void **state)
{
	(void)state;
	expect_chance(1, 0.25);
}

static void
test_chance_two_attempts(void **state)
{
	(void)state;
	expect_chance(2, 0.5625);
}

/* A random plan with risk, spread and a diamond or two. */
static void
random_plan(struct cairn_plan *g, int n, unsigned seed)
{
	long *idx = malloc((size_t)n * sizeof(*idx));

	srand(seed);
	cairn_plan_init(g);
	for (int i = 0; i < n; i++) {
		double o = rand() % 10, m = o + rand() % 10,
		       p = m + rand() % 20;
		double ps = rand() % 4 ? 1 : 0.6 + (rand() % 40) / 100.0;

		idx[i] = node(g, i + 1, o, m, p, ps);
		for (int k = 0; k < 3 && i > 0; k++)
			if (rand() % 3)
				edge(g, idx[i], idx[rand() % i]);
	}
	finish(g);
	free(idx);
}

static void
assert_same(const struct cairn_forecast *x, const struct cairn_forecast *y)
{
	assert_int_equal(x->successes, y->successes);
	assert_int_equal(x->samples, y->samples);
	assert_memory_equal(&x->p50, &y->p50, sizeof(double));
	assert_memory_equal(&x->p80, &y->p80, sizeof(double));
	assert_memory_equal(&x->p95, &y->p95, sizeof(double));
	assert_memory_equal(&x->mean, &y->mean, sizeof(double));
	assert_memory_equal(&x->chance, &y->chance, sizeof(double));
	assert_int_equal(x->nbuckets, y->nbuckets);
	assert_memory_equal(x->hist, y->hist, x->nbuckets * sizeof(uint64_t));
	assert_memory_equal(x->crit, y->crit, x->n * sizeof(uint64_t));
}

static void
test_threads_identical(void **state)
{
	static const double hist[] = {0.8, 1.0, 1.3, 1.7, 2.2, 0.9};
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f1, f2, f8;
	struct cairn_plan g;

	(void)state;
	random_plan(&g, 60, 7);
	for (int cap = 1; cap <= 3; cap++) {
		o.trials = 20000 + 123; /* a partial last block */
		o.seed = 99;
		o.capacity = cap;
		o.history = cap == 2 ? hist : NULL;
		o.nhistory = cap == 2 ? 6 : 0;
		o.threads = 1;
		run(&g, &o, &f1);
		o.threads = 2;
		run(&g, &o, &f2);
		o.threads = 8;
		run(&g, &o, &f8);
		assert_same(&f1, &f2);
		assert_same(&f1, &f8);
		assert_true(f1.successes > 0);
		/* Another seed gives other numbers. */
		o.seed = 100;
		cairn_forecast_release(&f2);
		run(&g, &o, &f2);
		assert_true(f2.samples != f1.samples ||
		            memcmp(f2.hist, f1.hist,
		                   f1.nbuckets * sizeof(uint64_t)));
		cairn_forecast_release(&f1);
		cairn_forecast_release(&f2);
		cairn_forecast_release(&f8);
	}
	cairn_plan_release(&g);
}

/* The sampler: mean and quantiles of PERT-beta 0/5/20. */
static void
test_pert_sampler(void **state)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_plan g;
	double mean = (0 + 4 * 5 + 20) / 6.0;

	(void)state;
	cairn_plan_init(&g);
	node(&g, 1, 0, 5, 20, 1);
	finish(&g);
	o.trials = 200000;
	run(&g, &o, &f);
	/* Beta(2, 4) on [0, 20]: sd = 20 * sqrt(ab / ((a+b)^2 (a+b+1))),
	 * about 3.56; 4 standard errors, plus the tick size. */
	assert_float_equal(f.mean, mean, 4 * 3.56 / sqrt(200000) + 0.02);
	/* The median of Beta(2, 4) is 0.31381, so 6.276 days. */
	assert_float_equal(f.p50, 6.276, 0.06);
	assert_true(f.min >= 0 && f.max <= 20);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);

	/* Means across shapes, skewed both ways: within 4 standard errors
	 * (sd <= span / 4) plus the shape rounding, 2/3 * span / 256. */
	{
		static const double est[][3] = {
		        {0, 1, 30}, {0, 29, 30}, {5, 5, 25},
		        {3, 7, 19}, {1, 2, 100}, {2, 2.5, 3},
		};

		for (size_t k = 0; k < sizeof(est) / sizeof(est[0]); k++) {
			struct cairn_plan h;
			double span = est[k][2] - est[k][0];
			double want =
			        (est[k][0] + 4 * est[k][1] + est[k][2]) / 6;
			double tol = 4 * span / 4 / sqrt(200000) +
			             2.0 / 3 * span / 256 + 1.0 / 64;

			cairn_plan_init(&h);
			node(&h, 1, est[k][0], est[k][1], est[k][2], 1);
			finish(&h);
			run(&h, &o, &f);
			if (fabs(f.mean - want) > tol)
				fail_msg("%g/%g/%g: mean %g, want %g +- %g",
				         est[k][0], est[k][1], est[k][2],
				         f.mean, want, tol);
			assert_true(f.min >= est[k][0] && f.max <= est[k][2]);
			cairn_forecast_release(&f);
			cairn_plan_release(&h);
		}
	}

	/* Skewed the other way: 10/30/30 has mean 26.67. */
	cairn_plan_init(&g);
	node(&g, 1, 10, 30, 30, 1);
	finish(&g);
	run(&g, &o, &f);
	assert_float_equal(f.mean, 80 / 3.0, 0.05);
	assert_true(f.max <= 30 && f.min >= 10);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);
}

static void
test_history_scaling(void **state)
{
	static const double twice[] = {2, 2, 2, 2, 2};
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_plan g;

	(void)state;
	two_fixed(&g, 1);
	o.trials = 500;
	o.history = twice;
	o.nhistory = 5;
	run(&g, &o, &f);
	assert_true(f.history_used);
	assert_float_equal(f.p50, 40, 0);
	cairn_forecast_release(&f);
	/* Four finished milestones are not evidence enough. */
	o.nhistory = 4;
	run(&g, &o, &f);
	assert_false(f.history_used);
	assert_float_equal(f.p50, 20, 0);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);
}

static void
test_criticality(void **state)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_plan g;
	long s, lng, sht, e;

	(void)state;
	cairn_plan_init(&g);
	s = node(&g, 1, 1, 2, 3, 1);
	lng = node(&g, 2, 20, 25, 30, 1);
	sht = node(&g, 3, 1, 2, 3, 1);
	e = node(&g, 4, 1, 1, 1, 1);
	edge(&g, lng, s);
	edge(&g, sht, s);
	edge(&g, e, lng);
	edge(&g, e, sht);
	finish(&g);
	o.trials = 5000;
	run(&g, &o, &f);
	assert_int_equal(f.crit[cairn_plan_find(&g, 1)], 5000);
	assert_int_equal(f.crit[cairn_plan_find(&g, 2)], 5000);
	assert_int_equal(f.crit[cairn_plan_find(&g, 3)], 0);
	assert_int_equal(f.crit[cairn_plan_find(&g, 4)], 5000);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);
}

static void
test_bins(void **state)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_plan g;
	uint64_t counts[10], total = 0;
	double lo, w;
	size_t nb;

	(void)state;
	cairn_plan_init(&g);
	node(&g, 1, 10, 20, 60, 1);
	finish(&g);
	o.trials = 10000;
	run(&g, &o, &f);
	nb = cairn_forecast_bins(&f, 10, &lo, &w, counts);
	assert_true(nb >= 1 && nb <= 10);
	assert_true(lo >= 10 && lo <= f.min);
	assert_true(w >= 1 && w == floor(w));
	for (size_t k = 0; k < nb; k++)
		total += counts[k];
	assert_int_equal(total, f.successes);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);
}

static void
test_options(void **state)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_plan g;

	(void)state;
	two_fixed(&g, 1);
	o.trials = 0;
	assert_int_equal(cairn_forecast_run(&g, &o, &f, &err), CAIRN_EINVAL);
	o.trials = CAIRN_FORECAST_MAX_TRIALS + 1;
	assert_int_equal(cairn_forecast_run(&g, &o, &f, &err), CAIRN_EINVAL);
	o.trials = 10;
	o.capacity = 0;
	assert_int_equal(cairn_forecast_run(&g, &o, &f, &err), CAIRN_EINVAL);
	o.capacity = 1;
	o.max_attempts = 0;
	assert_int_equal(cairn_forecast_run(&g, &o, &f, &err), CAIRN_EINVAL);
	cairn_plan_release(&g);
	/* An empty plan has nothing to forecast. */
	cairn_plan_init(&g);
	finish(&g);
	o.max_attempts = 3;
	assert_int_equal(cairn_forecast_run(&g, &o, &f, &err), CAIRN_EINVAL);
	cairn_plan_release(&g);
}

static void
expect_date(const char *start, double days, double share, int dpw,
            const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_DATE_LEN];

	assert_ok(cairn_workdays_to_date(start, days, share, dpw, out, &err),
	          &err);
	if (strcmp(out, want))
		fail_msg("%s + %g days (share %g, %d/week): %s, want %s", start,
		         days, share, dpw, out, want);
}

static void
test_calendar(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[CAIRN_DATE_LEN];

	(void)state;
	/* 2026-03-02 is a Monday. */
	expect_date("2026-03-02", 0, 1, 5, "2026-03-02");
	expect_date("2026-03-02", 1, 1, 5, "2026-03-02");
	expect_date("2026-03-02", 0.25, 1, 5, "2026-03-02");
	expect_date("2026-03-02", 5, 1, 5, "2026-03-06");
	expect_date("2026-03-02", 6, 1, 5, "2026-03-09");
	expect_date("2026-03-02", 20, 1, 5, "2026-03-27");
	expect_date("2026-03-02", 20, 0.5, 5, "2026-04-24");
	expect_date("2026-03-02", 7, 1, 7, "2026-03-08");
	expect_date("2026-03-02", 2, 1, 1, "2026-03-09");
	/* From a Saturday, work starts on Monday. */
	expect_date("2026-03-07", 1, 1, 5, "2026-03-09");
	/* With six days a week, Saturday is one of them. */
	expect_date("2026-03-07", 6, 1, 6, "2026-03-13");
	assert_int_equal(
	        cairn_workdays_to_date("2026-02-30", 1, 1, 5, out, &err),
	        CAIRN_EINVAL);
	assert_int_equal(
	        cairn_workdays_to_date("2026-03-02", 1, 0, 5, out, &err),
	        CAIRN_EINVAL);
	assert_int_equal(
	        cairn_workdays_to_date("2026-03-02", 1, 1, 8, out, &err),
	        CAIRN_EINVAL);
}

/*
 * The histogram rows of a goal forecast: whole working days, contiguous,
 * every trial counted once, and the row in which half the trials have
 * finished holds P50's date, at any share of time.
 */
static void
test_rows_hold_p50(void **state)
{
	static const double shares[] = {1, 0.8, 0.5, 0.3, 0.2};

	(void)state;
	for (size_t k = 0; k < sizeof(shares) / sizeof(shares[0]); k++) {
		struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
		struct cairn_goal_forecast fc;
		struct cairn_goal_forecast_row rows[CAIRN_GOAL_FORECAST_BINS];
		struct cairn_plan g;
		char d[CAIRN_DATE_LEN];
		uint64_t seen = 0, total = 0;
		size_t nb, at = 0;

		memset(&fc, 0, sizeof(fc));
		cairn_plan_init(&g);
		node(&g, 1, 10, 20, 60, 1);
		node(&g, 2, 3, 5, 30, 1);
		finish(&g);
		o.trials = 5000;
		run(&g, &o, &fc.f);
		fc.share = shares[k];
		fc.days_per_week = 5;
		snprintf(fc.start, sizeof(fc.start), "2026-03-04");
		nb = cairn_goal_forecast_rows(&fc, CAIRN_GOAL_FORECAST_BINS,
		                              rows);
		assert_true(nb >= 1 && nb <= CAIRN_GOAL_FORECAST_BINS);
		for (size_t r = 0; r < nb; r++) {
			total += rows[r].count;
			assert_true(rows[r].from_workdays <=
			            rows[r].to_workdays);
			assert_true(strcmp(rows[r].from, rows[r].to) <= 0);
			if (r) {
				assert_int_equal(rows[r].from_workdays,
				                 rows[r - 1].to_workdays + 1);
				assert_true(strcmp(rows[r - 1].to,
				                   rows[r].from) < 0);
			}
		}
		assert_int_equal(total, fc.f.successes);
		for (at = 0; at < nb; at++) {
			seen += rows[at].count;
			if (2 * seen >= fc.f.successes)
				break;
		}
		cairn_goal_forecast_date(&fc, fc.f.p50, d);
		if (strcmp(rows[at].from, d) > 0 || strcmp(d, rows[at].to) > 0)
			fail_msg("share %g: P50 %s outside its row %s..%s",
			         shares[k], d, rows[at].from, rows[at].to);
		cairn_forecast_release(&fc.f);
		cairn_plan_release(&g);
	}
}

/* Working days a piece of work spanned: weekends out, whatever the
 * forecast's days per week. */
static void
test_weekdays_between(void **state)
{
	time_t mon = cairn_ts_to_time("2026-03-02T00:00:00Z");
	time_t fri17 = cairn_ts_to_time("2026-03-06T17:00:00Z");
	time_t mon09 = cairn_ts_to_time("2026-03-09T09:00:00Z");
	time_t sun09 = cairn_ts_to_time("2026-03-01T09:00:00Z");
	time_t sun09b = cairn_ts_to_time("2026-03-29T09:00:00Z");
	time_t sat = cairn_ts_to_time("2026-03-07T10:00:00Z");

	(void)state;
	/* Four weeks from a Sunday: twenty working days, not 28 * dpw / 7. */
	assert_true(fabs(cairn_weekdays_between(sun09, sun09b) - 20) < 1e-9);
	/* Friday 17:00 to Monday 09:00: 7 + 9 hours. */
	assert_true(fabs(cairn_weekdays_between(fri17, mon09) - 16.0 / 24) <
	            1e-9);
	/* Within a Saturday: nothing. */
	assert_true(cairn_weekdays_between(sat, sat + 3600) == 0);
	assert_true(fabs(cairn_weekdays_between(mon, mon + 86400 * 3) - 3) <
	            1e-9);
	assert_true(cairn_weekdays_between(mon09, fri17) == 0);
	/* A year: 52 weeks and a day (2026-03-02 to 2027-03-02, Tuesday). */
	assert_true(
	        fabs(cairn_weekdays_between(
	                     mon, cairn_ts_to_time("2027-03-02T00:00:00Z")) -
	             261) < 1e-9);
}

/* The working days a date is away, the count the calendar places. */
static void
test_workdays_span(void **state)
{
	(void)state;
	assert_int_equal(cairn_workdays_span(0, 1), 0);
	assert_int_equal(cairn_workdays_span(20, 1), 20);
	assert_int_equal(cairn_workdays_span(85, 0.8), 107);
	assert_int_equal(cairn_workdays_span(80, 0.8), 100);
	assert_int_equal(cairn_workdays_span(0.25, 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_series_fixed),
	        cmocka_unit_test(test_parallel_fixed),
	        cmocka_unit_test(test_list_scheduling),
	        cmocka_unit_test(test_chance_one_attempt),
	        cmocka_unit_test(test_chance_two_attempts),
	        cmocka_unit_test(test_threads_identical),
	        cmocka_unit_test(test_pert_sampler),
	        cmocka_unit_test(test_history_scaling),
	        cmocka_unit_test(test_criticality),
	        cmocka_unit_test(test_bins),
	        cmocka_unit_test(test_options),
	        cmocka_unit_test(test_calendar),
	        cmocka_unit_test(test_weekdays_between),
	        cmocka_unit_test(test_rows_hold_p50),
	        cmocka_unit_test(test_workdays_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
