/*
 * forecast-int.h: the histogram of completion times that the sampler
 * (forecast.c) fills and its readers (forecast-hist.c) read, private to
 * lib/plan.  Values are ticks of 1/CAIRN_TICKS_PER_DAY working day: exact
 * below FC_LINEAR ticks, then FC_SUB buckets per doubling (0.1 % apart).
 */
#ifndef CAIRN_FORECAST_INT_H
#define CAIRN_FORECAST_INT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "cairn/plan/forecast.h"

#define FC_LINEAR   2048 /* exact ticks below this */
#define FC_SUB      1024 /* buckets per doubling above */
#define FC_TOP_BIT  61   /* to_ticks keeps values below 2^62 */
#define FC_NBUCKETS (FC_LINEAR + (FC_TOP_BIT - 11 + 1) * FC_SUB)

static inline size_t
forecast_bucket_of(uint64_t v)
{
	int e;

	if (v < FC_LINEAR)
		return (size_t)v;
	e = 63 - __builtin_clzll(v); /* 11 .. FC_TOP_BIT */
	return FC_LINEAR + (size_t)(e - 11) * FC_SUB +
	       (size_t)((v >> (e - 10)) - FC_SUB);
}

/* The middle of bucket i, in ticks. */
static inline double
forecast_bucket_value(size_t i)
{
	size_t e, m;

	if (i < FC_LINEAR)
		return (double)i;
	e = 11 + (i - FC_LINEAR) / FC_SUB;
	m = FC_SUB + (i - FC_LINEAR) % FC_SUB;
	return ldexp((double)m, (int)e - 10) + (ldexp(1, (int)e - 10) - 1) / 2;
}

static inline uint64_t
forecast_to_ticks(double days)
{
	double t = days * CAIRN_TICKS_PER_DAY + 0.5;

	if (!(t > 0))
		return 0;
	if (t >= 0x1p62)
		return (1ull << (FC_TOP_BIT + 1)) - 1;
	return (uint64_t)t;
}

#endif
