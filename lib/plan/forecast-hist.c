/*
 * forecast-hist.c: what is read from a forecast's histogram of
 * completion times (forecast-int.h): quantiles, the value of a bucket,
 * whole-day bins; and releasing a result.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/forecast-int.h"
#include "banned.h"

void
cairn_forecast_release(struct cairn_forecast *f)
{
	free(f->crit);
	free(f->hist);
	memset(f, 0, sizeof(*f));
}

double
cairn_forecast_bucket_days(const struct cairn_forecast *f, size_t b)
{
	double v = forecast_bucket_value(b) / CAIRN_TICKS_PER_DAY;

	/* The bucket's middle may pass the extremes. */
	if (v < f->min)
		v = f->min;
	if (v > f->max)
		v = f->max;
	return v;
}

double
cairn_forecast_quantile(const struct cairn_forecast *f, double q)
{
	uint64_t want, seen = 0;

	if (!f->successes)
		return -1;
	want = (uint64_t)ceil(q * (double)f->successes);
	if (want < 1)
		want = 1;
	if (want > f->successes)
		want = f->successes;
	for (size_t b = 0; b < f->nbuckets; b++) {
		seen += f->hist[b];
		if (seen >= want)
			return cairn_forecast_bucket_days(f, b);
	}
	return f->max;
}

size_t
cairn_forecast_bins(const struct cairn_forecast *f, size_t nbins, double *lo,
                    double *width, uint64_t *counts)
{
	double first, last, w;
	size_t used;

	*lo = 0;
	*width = 1;
	if (!f->successes || !nbins)
		return 0;
	first = floor(f->min);
	last = floor(f->max);
	w = ceil((last - first + 1) / (double)nbins);
	if (w < 1)
		w = 1;
	used = (size_t)((last - first) / w) + 1;
	if (used > nbins)
		used = nbins;
	memset(counts, 0, nbins * sizeof(*counts));
	for (size_t b = 0; b < f->nbuckets; b++) {
		double v;
		size_t k;

		if (!f->hist[b])
			continue;
		v = cairn_forecast_bucket_days(f, b);
		k = (size_t)((floor(v) - first) / w);
		if (k >= used)
			k = used - 1;
		counts[k] += f->hist[b];
	}
	*lo = first;
	*width = w;
	return used;
}
