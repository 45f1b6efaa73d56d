/*
 * forecast.h: the Monte Carlo forecast over a finished plan (DESIGN.md
 * section 5).  Results are working days from the start; the working-day
 * calendar of cairn/core/time.h turns them into dates.
 */
#ifndef CAIRN_FORECAST_H
#define CAIRN_FORECAST_H

#include "cairn/core/time.h"
#include "cairn/plan/plan.h"

/*
 * The model, per trial:
 *
 * - Effort of an attempt: PERT-beta on [o, p] with mode m, that is
 *   o + (p - o) X with X ~ Beta(1 + 4 (m - o) / (p - o),
 *   1 + 4 (p - m) / (p - o)); mean (o + 4m + p) / 6.  When o == p the
 *   effort is o.  Sampling is by inverse transform from precomputed
 *   tables, an approximation documented in forecast.c: the mode's
 *   relative position is rounded to the nearest 1/128 (so at most
 *   (p - o) / 256 days off), each effort is one of 2048 equally likely
 *   quantiles, and p_success is resolved to 2^-21.
 * - With history (at least CAIRN_HISTORY_MIN ratios), each sampled effort
 *   is multiplied by a ratio drawn uniformly from the history array
 *   (evidence-based scheduling), a fresh draw for every attempt: the
 *   ratios of one trial's milestones are independent.
 * - An attempt succeeds with p_success; a failed attempt is followed by
 *   another with a fresh effort, up to max_attempts; when all fail, the
 *   goal is not reached in this trial.  A node's duration is the sum of
 *   its attempts' efforts.
 * - capacity parallel work streams run the nodes by list scheduling:
 *   whenever a stream is free it takes the ready node (all
 *   prerequisites finished) with the longest expected remaining chain
 *   (its own mean plus its longest chain of dependents), ties to the
 *   lower index.  One stream never idles, so with capacity 1 the
 *   completion time is the sum of all durations.
 * - The trial's critical path is the longest prerequisite chain under
 *   the sampled durations (ignoring the stream limit, which with one
 *   stream would put every node on it): from the last node without
 *   dependents (in node order) among those finishing last, back through
 *   the first prerequisite that finished last.  A node's criticality
 *   index is the share of successful trials whose critical path contains
 *   it.
 *
 * Determinism: trials are split into blocks of CAIRN_FORECAST_BLOCK, and
 * block b draws from its own xoshiro256** stream seeded by splitmix64
 * from (seed, b).  Every result is an integer count summed over blocks, so
 * the same seed gives the same result for any number of threads.
 *
 * Memory: per thread, a few arrays of n and a histogram of fixed size;
 * nothing grows with the number of trials.
 */

#define CAIRN_FORECAST_BLOCK       1024
#define CAIRN_FORECAST_MAX_TRIALS  10000000ull
#define CAIRN_HISTORY_MIN          5
#define CAIRN_FORECAST_MAX_THREADS 256
/* The most work streams a front end takes (--capacity, ?capacity=). */
#define CAIRN_FORECAST_MAX_CAPACITY 1000

struct cairn_forecast_opts {
	uint64_t trials; /* 1 .. CAIRN_FORECAST_MAX_TRIALS */
	uint64_t seed;
	int threads;           /* 0: online CPUs */
	int capacity;          /* parallel work streams, >= 1 */
	int max_attempts;      /* >= 1 */
	const double *history; /* actual / estimated ratios, > 0 */
	size_t nhistory;       /* used only when >= CAIRN_HISTORY_MIN */
	/*
	 * Called now and then from the calling thread with the number of
	 * trials finished so far; may be NULL.
	 */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

/* 10,000 trials, seed 1, a thread per CPU, one stream, three attempts. */
/* clang-format off */
#define CAIRN_FORECAST_OPTS_INIT {10000, 1, 0, 1, 3, NULL, 0, NULL, NULL}
/* clang-format on */

/*
 * Completion times are kept in a histogram of ticks (1/64 working day):
 * exact below 2048 ticks (32 days), then with 1024 buckets per doubling
 * (0.1 % relative precision).
 */
#define CAIRN_TICKS_PER_DAY 64

struct cairn_forecast {
	size_t n; /* nodes of the plan */
	uint64_t trials;
	uint64_t successes;
	uint64_t samples; /* efforts drawn (attempts) over all trials */
	int history_used; /* history scaling was applied */
	double chance;    /* successes / trials */
	/* Working days given success; -1 when no trial succeeded. */
	double p50, p80, p95, mean, min, max;
	uint64_t *crit; /* n: successful trials with node i critical */
	uint64_t *hist; /* nbuckets, see cairn_forecast_quantile */
	size_t nbuckets;
};

/*
 * Run the forecast on a finished plan.  out is filled (release it with
 * cairn_forecast_release).  CAIRN_EINVAL for options out of range, or an
 * empty plan.  Threads that cannot be created are made up for by the
 * calling thread; results do not change.
 */
int cairn_forecast_run(const struct cairn_plan *g,
                       const struct cairn_forecast_opts *o,
                       struct cairn_forecast *out, struct cairn_err *err);
void cairn_forecast_release(struct cairn_forecast *f);

/*
 * The completion time (working days of effort) that histogram bucket b <
 * f->nbuckets stands for: its middle, within [f->min, f->max].  The
 * quantiles are such values, so a front end that groups f->hist[b] by
 * its own rule finds each quantile in the group its bucket went to.
 */
double cairn_forecast_bucket_days(const struct cairn_forecast *f, size_t b);

/* The completion time (working days) at quantile q in (0, 1] over the
 * successful trials; -1 when none succeeded. */
double cairn_forecast_quantile(const struct cairn_forecast *f, double q);

/*
 * Regroup the successful trials' completion times into at most nbins
 * bins of a whole number of days each, from *lo (whole days) in steps of
 * *width days; counts[nbins] is filled.  Returns the number of bins used
 * (0 when nothing succeeded).
 */
size_t cairn_forecast_bins(const struct cairn_forecast *f, size_t nbins,
                           double *lo, double *width, uint64_t *counts);

/* The online CPUs, at least 1: the default thread count. */
int cairn_cpu_count(void);

#endif
