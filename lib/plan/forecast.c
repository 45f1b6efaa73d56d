/*
 * forecast.c: the Monte Carlo forecast of a plan (model in forecast.h).
 * The histogram of completion times and what is read from it are in
 * forecast-int.h and forecast-hist.c.
 *
 * Sampling.  PERT-beta efforts are drawn by inverse transform from tables,
 * an approximation (measured by test-forecast.c against the exact mean
 * and median):
 * - The beta's shape depends only on where the mode sits in [o, p], r =
 *   (m - o) / (p - o).  r is rounded to the nearest 1/128, so the mode
 *   moves by at most (p - o) / 256 and the mean by two thirds of that.
 * - For each of the 129 shapes a table splits the probability into 2048
 *   equally likely cells and holds the quantile at each cell's middle,
 *   (k + 1/2) / 2048, in 16 bits (x * 65535, to 1/65535 of p - o).  A
 *   draw lands on one of these 2048 values: the distribution is discrete
 *   at a resolution far below a day for any sensible estimate, and the
 *   last 1/4096 of each tail is cut off.
 * - Only the shapes a plan uses are built, each from a 2048-cell
 *   trapezoid integration of the beta density whose logarithms are shared
 *   by all shapes (~2,000 exp calls a shape).  All nodes of a shape share
 *   its 4 KiB table, so the hot set stays in cache however large the plan.
 * An attempt takes 32 random bits: the top 11 pick the cell, the low 21
 * decide success against p_success * 2^21 (rounded: exact for 0, 1/2, 1
 * and every multiple of 2^-21, within 2.4e-7 otherwise).
 *
 * Random numbers.  xoshiro256** (Blackman and Vigna, 2018), one stream per
 * block of CAIRN_FORECAST_BLOCK trials, its state filled by splitmix64
 * from the seed and the block number.  Each 64-bit draw gives two
 * attempts.  Results are sums of integer counts over blocks, hence
 * identical for any thread count and any order in which threads take
 * blocks.
 *
 * The hot loop.  Trials run in groups of four, the lanes of one forward
 * sweep over the nodes in topological order: per node two draws for the
 * four first attempts, the earliest finish under unlimited streams (max
 * over the prerequisites' finishes, all four lanes in one SSE operation
 * on x86-64), the running sum of durations and the latest finish.  After
 * the sweep, a walk back from the latest finish marks each trial's
 * critical path.  With one stream the completion time is the sum of
 * durations; with K streams the sweep also stores the durations by
 * scheduling rank and a list-scheduling simulation (forecast-sched.c)
 * runs after it.  The sweep reads one 40-byte record per node (an array of
 * structures, because every field of a node is used together, with up to
 * three prerequisites inline) and writes four floats per node.
 *
 * Workload: 10^2 .. 10^4 nodes, 10^4 .. 10^6 trials, one thread per CPU.
 * Memory per thread: O(n) work arrays plus a fixed histogram (about 430
 * KiB); nothing grows with the number of trials.  Measured by
 * bench/forecast.c.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cairn/core/buf.h"
#include "cairn/plan/forecast.h"
#include "cairn/core/time.h"
#include "plan/forecast-int.h"
#include "plan/forecast-sched.h"
#include "banned.h"

#define NONE  UINT32_MAX
#define LANES 4 /* trials per sweep, see run_trials */

/* ---- random numbers ---------------------------------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* The stream of block b: splitmix64 seeded with the seed and b mixed. */
static void
rng_block(struct rng *r, uint64_t seed, uint64_t block)
{
	uint64_t b = block, x;

	x = seed ^ splitmix64(&b);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

/* ---- PERT-beta tables --------------------------------------------- */

#define SHAPES    129 /* r = 0, 1/128, ..., 1 */
#define CELL_BITS 11
#define CELLS     (1 << CELL_BITS) /* equally likely cells per table */
#define GRID      2048             /* integration cells */
#define QMAX      65535.0          /* table entries are x * QMAX */

/*
 * Quantiles of Beta(1 + 4r, 1 + 4(1 - r)) at the middle of each of the
 * CELLS equally likely cells, (k + 1/2) / CELLS, as 16-bit fixed point.
 */
static void
beta_table(uint16_t *t, int shape, const double *lx, const double *l1x,
           double *cdf)
{
	double r = (double)shape / (SHAPES - 1);
	double a1 = 4 * r, b1 = 4 * (1 - r); /* alpha - 1, beta - 1 */
	double prev, total;
	size_t j = 0;

	/* Density up to a constant; pow(0, 0) = 1 at the ends. */
	cdf[0] = 0;
	prev = a1 == 0 ? 1 : 0;
	for (size_t g = 1; g <= GRID; g++) {
		double f;

		if (g == GRID)
			f = b1 == 0 ? 1 : 0;
		else
			f = exp(a1 * lx[g] + b1 * l1x[g]);
		cdf[g] = cdf[g - 1] + (prev + f) * 0.5;
		prev = f;
	}
	total = cdf[GRID];
	for (size_t k = 0; k < CELLS; k++) {
		double u = ((double)k + 0.5) / CELLS * total;
		double w, x;

		while (j + 1 < GRID && cdf[j + 1] < u)
			j++;
		/* Linear within the grid cell [j, j + 1]. */
		w = cdf[j + 1] - cdf[j];
		x = ((double)j + (w > 0 ? (u - cdf[j]) / w : 0)) / GRID;
		t[k] = (uint16_t)(x * QMAX + 0.5);
	}
}

/*
 * An attempt uses 32 random bits w: the top CELL_BITS pick the table cell,
 * the low SUCCESS_BITS decide success (w & SUCCESS_MASK < thr).  One
 * 64-bit draw serves two attempts.
 */
#define SUCCESS_BITS 21
#define SUCCESS_MASK ((1u << SUCCESS_BITS) - 1)

static inline float
table_q(const uint16_t *t, uint32_t w)
{
	return (float)t[w >> (32 - CELL_BITS)];
}

/* ---- the prepared plan -------------------------------------------- */

/*
 * The hot record of a node.  Up to INLINE prerequisites sit in the record
 * (unused slots name the sentinel n, whose finish is 0), so the usual
 * node takes its earliest start with a branch-free max; the rest, if any,
 * are in xpre[xb .. next record's xb).
 */
#define INLINE 3

struct rec {
	const uint16_t *tab;
	float lo, scale; /* effort = lo + scale * tab[cell] */
	uint32_t thr;    /* success when (w & SUCCESS_MASK) < thr */
	uint32_t pre[INLINE];
	uint32_t xb;
	uint32_t rank; /* in list scheduling, where its duration goes */
};

struct fc {
	const struct cairn_plan *g;
	const struct cairn_forecast_opts *o;
	size_t n;
	struct rec *rec; /* n + 1: the last only closes xpre */
	uint32_t *xpre;
	uint32_t *sinks; /* nodes nothing builds on, in order */
	size_t nsinks;
	uint16_t *tables; /* SHAPES * CELLS, only used ones built */
	float *ratio;     /* history, or NULL */
	uint32_t nratio;
	struct fc_sched sched; /* K > 1 and K < n only */
	int K, A;
	uint64_t trials, nblocks;
	atomic_uint_fast64_t next_block;
	atomic_uint_fast64_t trials_done;
};

/* One thread's counts and scratch. */
struct acc {
	struct fc *fc;
	uint64_t succ, samples, sum_lo, sum_hi, vmin, vmax;
	uint64_t *hist;
	uint64_t *crit;
	float *ef;  /* LANES (n + 1); node n is the sentinel 0 */
	float *dur; /* LANES n, by rank, for list scheduling */
	struct fc_sched_work work[LANES];
	int main_thread;
	pthread_t tid;
	int started;
};

static void
fc_prepare(struct fc *fc)
{
	const struct cairn_plan *g = fc->g;
	size_t n = g->n;
	unsigned char used[SHAPES] = {0};
	double *lx, *l1x, *cdf;
	size_t nx = 0;

	fc->rec = xcalloc(n + 1, sizeof(*fc->rec));
	fc->xpre = xmalloc((g->nedges ? g->nedges : 1) * sizeof(uint32_t));
	fc->sinks = xmalloc((n ? n : 1) * sizeof(uint32_t));
	fc->tables = xmalloc(SHAPES * CELLS * sizeof(uint16_t));
	for (size_t i = 0; i < n; i++) {
		double span = g->pess[i] - g->opt[i];
		int s = 0;

		if (span > 0) {
			double r = (g->likely[i] - g->opt[i]) / span;

			s = (int)lround(r * (SHAPES - 1));
			if (s < 0)
				s = 0;
			if (s > SHAPES - 1)
				s = SHAPES - 1;
			used[s] = 1;
		}
		fc->rec[i].tab = fc->tables + (size_t)s * CELLS;
		fc->rec[i].lo = (float)g->opt[i];
		fc->rec[i].scale = (float)(span / QMAX);
		fc->rec[i].thr =
		        (uint32_t)(ldexp(g->p_success[i], SUCCESS_BITS) + 0.5);
		fc->rec[i].xb = (uint32_t)nx;
		for (uint32_t k = g->pre_off[i], j = 0; k < g->pre_off[i + 1];
		     k++, j++) {
			if (j < INLINE)
				fc->rec[i].pre[j] = g->pre[k];
			else
				fc->xpre[nx++] = g->pre[k];
		}
		for (uint32_t j = g->pre_off[i + 1] - g->pre_off[i]; j < INLINE;
		     j++)
			fc->rec[i].pre[j] = (uint32_t)n;
		if (g->suc_off[i] == g->suc_off[i + 1])
			fc->sinks[fc->nsinks++] = (uint32_t)i;
	}
	fc->rec[n].xb = (uint32_t)nx;
	/* Fixed efforts point at table 0 with scale 0: make sure it holds
	 * finite numbers. */
	if (!used[0])
		memset(fc->tables, 0, CELLS * sizeof(uint16_t));
	lx = xmalloc((GRID + 1) * sizeof(double));
	l1x = xmalloc((GRID + 1) * sizeof(double));
	cdf = xmalloc((GRID + 1) * sizeof(double));
	for (size_t j = 1; j < GRID; j++) {
		double x = (double)j / GRID;

		lx[j] = log(x);
		l1x[j] = log1p(-x);
	}
	for (int s = 0; s < SHAPES; s++)
		if (used[s])
			beta_table(fc->tables + (size_t)s * CELLS, s, lx, l1x,
			           cdf);
	free(lx);
	free(l1x);
	free(cdf);

	if (fc->K > 1 && (size_t)fc->K < n) {
		fc_sched_init(&fc->sched, g, fc->K);
		for (size_t i = 0; i < n; i++)
			fc->rec[i].rank = fc->sched.rank[i];
	}
}

static void
fc_release(struct fc *fc)
{
	free(fc->rec);
	free(fc->xpre);
	free(fc->sinks);
	free(fc->tables);
	free(fc->ratio);
	fc_sched_release(&fc->sched);
}

/* ---- one block of trials ------------------------------------------ */

/*
 * Trials run in groups of LANES, the lanes of one sweep, so that each
 * node's record and prerequisite list are read once for the group: ef
 * (and dur) hold the lanes interleaved, ef[LANES * i + lane].  A lane
 * whose trial fails is marked dead and its numbers are ignored from then
 * on; the sweep stops early when every lane is dead.  The draws are taken
 * in a fixed order (two 64-bit draws give the four first attempts, then
 * retries lane by lane), so results depend only on the block's stream.
 */
static inline float
fmaxf_(float a, float b)
{
	return a > b ? a : b;
}

/*
 * The four lanes as one value: with SSE (every x86-64) a vector, so one
 * load, max, add and store serve all four; elsewhere a plain array.
 * Either way the arithmetic is the same per lane, max(a, b) being
 * a > b ? a : b.
 */
#if defined(__SSE2__)
typedef __m128 quad;

static inline quad
q_load(const float *p)
{
	return _mm_load_ps(p);
}

static inline void
q_store(float *p, quad v)
{
	_mm_store_ps(p, v);
}

static inline quad
q_max(quad a, quad b)
{
	return _mm_max_ps(a, b);
}

static inline quad
q_add(quad a, quad b)
{
	return _mm_add_ps(a, b);
}

static inline void
q_get(quad v, float out[LANES])
{
	_mm_storeu_ps(out, v);
}

/* t[0..3] += v, in double. */
static inline void
q_sum(__m128d t[2], quad v)
{
	t[0] = _mm_add_pd(t[0], _mm_cvtps_pd(v));
	t[1] = _mm_add_pd(t[1], _mm_cvtps_pd(_mm_movehl_ps(v, v)));
}

static inline void
q_sums(const __m128d t[2], double out[LANES])
{
	_mm_storeu_pd(out, t[0]);
	_mm_storeu_pd(out + 2, t[1]);
}

typedef __m128d qsum[2];
#define QSUM_ZERO                                                              \
	{                                                                      \
		_mm_setzero_pd(), _mm_setzero_pd()                             \
	}

static inline void
q_to_array(quad v, float out[LANES])
{
	_mm_storeu_ps(out, v);
}

static inline quad
q_from_array(const float in[LANES])
{
	return _mm_loadu_ps(in);
}

/*
 * The first attempts of node r in the four lanes from two draws: lane l
 * takes the 32 bits w_l of (x0, x1) from the low end.  Efforts into *d,
 * failed lanes as bits of the result.
 */
static inline __attribute__((always_inline)) unsigned
draw4(const struct fc *fc, const struct rec *r, struct rng *rng, int use_hist,
      quad *d)
{
	uint64_t x0 = rng_next(rng), x1 = rng_next(rng);
	__m128i w = _mm_set_epi64x((long long)x1, (long long)x0);
	__m128i cell = _mm_srli_epi32(w, 32 - CELL_BITS);
	__m128i ok;
	uint32_t c[LANES];

	_mm_storeu_si128((__m128i *)c, cell);
	*d = _mm_add_ps(_mm_set1_ps(r->lo),
	                _mm_mul_ps(_mm_set1_ps(r->scale),
	                           _mm_cvtepi32_ps(_mm_setr_epi32(
	                                   r->tab[c[0]], r->tab[c[1]],
	                                   r->tab[c[2]], r->tab[c[3]]))));
	if (use_hist) {
		float h[LANES];

		for (int l = 0; l < LANES; l++)
			h[l] = fc->ratio[((rng_next(rng) >> 32) * fc->nratio) >>
			                 32];
		*d = _mm_mul_ps(*d, _mm_loadu_ps(h));
	}
	/* Success bits below thr; thr <= 2^21, so signed compares work. */
	ok = _mm_cmpgt_epi32(_mm_set1_epi32((int)r->thr),
	                     _mm_and_si128(w, _mm_set1_epi32(SUCCESS_MASK)));
	return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(ok)) ^ 0xfu;
}
#else
typedef struct {
	float v[LANES];
} quad;

static inline quad
q_load(const float *p)
{
	quad q;

	memcpy(q.v, p, sizeof(q.v));
	return q;
}

static inline void
q_store(float *p, quad v)
{
	memcpy(p, v.v, sizeof(v.v));
}

static inline quad
q_max(quad a, quad b)
{
	for (int l = 0; l < LANES; l++)
		a.v[l] = fmaxf_(a.v[l], b.v[l]);
	return a;
}

static inline quad
q_add(quad a, quad b)
{
	for (int l = 0; l < LANES; l++)
		a.v[l] += b.v[l];
	return a;
}

static inline void
q_get(quad v, float out[LANES])
{
	memcpy(out, v.v, sizeof(v.v));
}

static inline void
q_sum(double t[LANES], quad v)
{
	for (int l = 0; l < LANES; l++)
		t[l] += (double)v.v[l];
}

static inline void
q_sums(const double t[LANES], double out[LANES])
{
	memcpy(out, t, LANES * sizeof(double));
}

typedef double qsum[LANES];
#define QSUM_ZERO                                                              \
	{                                                                      \
		0, 0, 0, 0                                                     \
	}

static inline void
q_to_array(quad v, float out[LANES])
{
	memcpy(out, v.v, sizeof(v.v));
}

static inline quad
q_from_array(const float in[LANES])
{
	return q_load(in);
}

/* As the SSE draw4 above, lane by lane. */
static inline __attribute__((always_inline)) unsigned
draw4(const struct fc *fc, const struct rec *r, struct rng *rng, int use_hist,
      quad *d)
{
	uint64_t x[2];
	uint32_t w[LANES];
	unsigned failed = 0;

	x[0] = rng_next(rng);
	x[1] = rng_next(rng);
	for (int l = 0; l < LANES; l++)
		w[l] = (uint32_t)(x[l / 2] >> (l % 2 ? 32 : 0));
	for (int l = 0; l < LANES; l++)
		d->v[l] = r->lo + r->scale * table_q(r->tab, w[l]);
	if (use_hist)
		for (int l = 0; l < LANES; l++)
			d->v[l] *= fc->ratio[((rng_next(rng) >> 32) *
			                      fc->nratio) >>
			                     32];
	for (int l = 0; l < LANES; l++)
		failed |= (unsigned)((w[l] & SUCCESS_MASK) >= r->thr) << l;
	return failed;
}
#endif

/*
 * Mark the trial's critical path: from the last sink (in node order) that
 * finishes last, back through the prerequisite that finished last (the
 * first such in CSR order), recomputed here rather than remembered in
 * the sweep.
 */
static void
mark_critical(struct acc *a, int lane, float best)
{
	const struct fc *fc = a->fc;
	const struct cairn_plan *g = fc->g;
	const float *ef = a->ef + lane;
	uint32_t v = NONE;

	/* Late nodes tend to finish late: search from the end. */
	for (size_t k = fc->nsinks; k-- > 0;)
		if (ef[LANES * (size_t)fc->sinks[k]] == best) {
			v = fc->sinks[k];
			break;
		}
	while (v != NONE) {
		float es = -1;
		uint32_t via = NONE;

		a->crit[v]++;
		for (uint32_t k = g->pre_off[v]; k < g->pre_off[v + 1]; k++)
			if (ef[LANES * (size_t)g->pre[k]] > es) {
				es = ef[LANES * (size_t)g->pre[k]];
				via = g->pre[k];
			}
		v = via;
	}
}

static void
record_success(struct acc *a, int lane, double span, float best)
{
	uint64_t q = forecast_to_ticks(span);

	a->hist[forecast_bucket_of(q)]++;
	a->sum_lo += q;
	a->sum_hi += a->sum_lo < q;
	if (!a->succ || q < a->vmin)
		a->vmin = q;
	if (!a->succ || q > a->vmax)
		a->vmax = q;
	a->succ++;
	mark_critical(a, lane, best);
}

/* One attempt's effort from bits w (and, with history, one more draw). */
static inline __attribute__((always_inline)) float
effort(const struct fc *fc, const struct rec *r, struct rng *rng, uint32_t w,
       int use_hist)
{
	float e = r->lo + r->scale * table_q(r->tab, w);

	if (use_hist)
		e *= fc->ratio[((rng_next(rng) >> 32) * fc->nratio) >> 32];
	return e;
}

/*
 * After a failed first attempt: more attempts with fresh efforts, added
 * to *d.  Returns 0 when one succeeds, -1 when all max_attempts fail.
 */
static int
retry(struct acc *a, const struct rec *r, struct rng *rng, float *d,
      int use_hist)
{
	const struct fc *fc = a->fc;

	for (int att = 1; att < fc->A; att++) {
		uint32_t w = (uint32_t)(rng_next(rng) >> 32);

		*d += effort(fc, r, rng, w, use_hist);
		a->samples++;
		if ((w & SUCCESS_MASK) < r->thr)
			return 0;
	}
	return -1;
}

/* Retry the failed lanes of node i; returns the lanes still alive. */
static unsigned
retry_lanes(struct acc *a, const struct rec *r, struct rng *rng, float d[LANES],
            unsigned failed, unsigned alive, size_t i, int use_hist)
{
	for (int l = 0; l < LANES; l++) {
		if (!(failed & alive & (1u << l)))
			continue;
		if (retry(a, r, rng, &d[l], use_hist)) {
			alive &= ~(1u << l);
			a->samples += i + 1; /* first attempts so far */
		}
	}
	return alive;
}

_Static_assert(LANES == 4, "run_trials draws four lanes by hand");
_Static_assert(LANES == FS_LANES, "a sweep's lanes are scheduled together");

static inline __attribute__((always_inline)) void
run_trials(struct acc *a, struct rng *rng, uint64_t ntrials, int use_hist,
           int keep_dur)
{
	struct fc *fc = a->fc;
	const struct rec *rec = fc->rec;
	const uint32_t *xpre = fc->xpre;
	const size_t n = fc->n;
	float *ef = a->ef;
	float *dur = a->dur;

	for (uint64_t t = 0; t < ntrials; t += LANES) {
		unsigned alive = ntrials - t >= LANES
		                         ? (1u << LANES) - 1
		                         : (1u << (ntrials - t)) - 1;
		qsum total = QSUM_ZERO;
		quad best = q_load(ef + LANES * n); /* the sentinel's zeros */
		float bv[LANES];
		double tv[LANES];
		size_t i;

		for (i = 0; i < n; i++) {
			const struct rec *r = &rec[i];
			quad dq, es;
			unsigned failed = draw4(fc, r, rng, use_hist, &dq);

			if (__builtin_expect((failed & alive) != 0, 0)) {
				float d[LANES];

				q_to_array(dq, d);
				alive = retry_lanes(a, r, rng, d, failed, alive,
				                    i, use_hist);
				if (!alive)
					break;
				dq = q_from_array(d);
			}
			es = q_max(
			        q_max(q_load(ef + LANES * (size_t)r->pre[0]),
			              q_load(ef + LANES * (size_t)r->pre[1])),
			        q_load(ef + LANES * (size_t)r->pre[2]));
			for (uint32_t k = r->xb; k < r[1].xb; k++)
				es = q_max(es, q_load(ef +
				                      LANES * (size_t)xpre[k]));
			es = q_add(es, dq);
			q_store(ef + LANES * i, es);
			best = q_max(best, es);
			q_sum(total, dq);
			if (keep_dur)
				q_store(dur + LANES * (size_t)r->rank, dq);
		}
		if (!alive)
			continue;
		q_get(best, bv);
		q_sums(total, tv);
		/* The completion time: with one stream the sum of durations,
		 * with as many as steps the longest chain, else scheduled. */
		if (keep_dur)
			fc_sched_makespans(&fc->sched, a->work, dur, LANES,
			                   alive, tv);
		else if (fc->K > 1)
			for (int l = 0; l < LANES; l++)
				tv[l] = bv[l];
		for (int l = 0; l < LANES; l++)
			if (alive & (1u << l)) {
				a->samples += n;
				record_success(a, l, tv[l], bv[l]);
			}
	}
}

static void
run_block(struct acc *a, uint64_t b)
{
	struct fc *fc = a->fc;
	uint64_t first = b * CAIRN_FORECAST_BLOCK;
	uint64_t nt = fc->trials - first;
	struct rng rng;
	int keep = fc->K > 1 && (size_t)fc->K < fc->n;

	if (nt > CAIRN_FORECAST_BLOCK)
		nt = CAIRN_FORECAST_BLOCK;
	rng_block(&rng, fc->o->seed, b);
	if (fc->ratio) {
		if (keep)
			run_trials(a, &rng, nt, 1, 1);
		else
			run_trials(a, &rng, nt, 1, 0);
	} else {
		if (keep)
			run_trials(a, &rng, nt, 0, 1);
		else
			run_trials(a, &rng, nt, 0, 0);
	}
}

static void *
worker(void *arg)
{
	struct acc *a = arg;
	struct fc *fc = a->fc;

	for (;;) {
		uint64_t b = atomic_fetch_add(&fc->next_block, 1);
		uint64_t done;

		if (b >= fc->nblocks)
			break;
		run_block(a, b);
		done = atomic_fetch_add(
		        &fc->trials_done,
		        b + 1 == fc->nblocks
		                ? fc->trials - b * CAIRN_FORECAST_BLOCK
		                : CAIRN_FORECAST_BLOCK);
		if (a->main_thread && fc->o->progress)
			fc->o->progress(fc->o->progress_ctx,
			                atomic_load(&fc->trials_done),
			                fc->trials);
		(void)done;
	}
	return NULL;
}

static void
acc_init(struct acc *a, struct fc *fc)
{
	size_t n = fc->n;

	memset(a, 0, sizeof(*a));
	a->fc = fc;
	a->hist = xcalloc(FC_NBUCKETS, sizeof(uint64_t));
	a->crit = xcalloc(n, sizeof(uint64_t));
	/* 16-byte aligned for the lanes' vectors; node n is the sentinel. */
	a->ef = aligned_alloc(16, LANES * (n + 1) * sizeof(float));
	if (!a->ef)
		abort();
	memset(a->ef + LANES * n, 0, LANES * sizeof(float));
	if (fc->K > 1 && (size_t)fc->K < n) {
		a->dur = aligned_alloc(16, LANES * n * sizeof(float));
		if (!a->dur)
			abort();
		for (int l = 0; l < LANES; l++)
			fc_sched_work_init(&a->work[l], &fc->sched);
	}
}

static void
acc_release(struct acc *a)
{
	free(a->hist);
	free(a->crit);
	free(a->ef);
	for (int l = 0; a->dur && l < LANES; l++)
		fc_sched_work_release(&a->work[l]);
	free(a->dur);
}

int
cairn_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)(n > CAIRN_FORECAST_MAX_THREADS
	                             ? CAIRN_FORECAST_MAX_THREADS
	                             : n)
	             : 1;
}

int
cairn_forecast_run(const struct cairn_plan *g,
                   const struct cairn_forecast_opts *o,
                   struct cairn_forecast *out, struct cairn_err *err)
{
	struct fc fc;
	struct acc *accs;
	int nthreads;
	double sum;

	memset(out, 0, sizeof(*out));
	if (!g->finished)
		return cairn_err_set(err, CAIRN_ESTATE,
		                     "the plan is not finished");
	if (!g->n)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "nothing to forecast: the plan is empty");
	if (o->trials < 1 || o->trials > CAIRN_FORECAST_MAX_TRIALS)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "trials must be from 1 to %llu, not %llu",
		                     CAIRN_FORECAST_MAX_TRIALS,
		                     (unsigned long long)o->trials);
	if (o->capacity < 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "capacity must be at least 1, not %d",
		                     o->capacity);
	if (o->max_attempts < 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "max attempts must be at least 1, not %d",
		                     o->max_attempts);
	if (o->threads < 0 || o->threads > CAIRN_FORECAST_MAX_THREADS)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "threads must be from 1 to %d, not %d",
		                     CAIRN_FORECAST_MAX_THREADS, o->threads);
	for (size_t h = 0; o->nhistory >= CAIRN_HISTORY_MIN && h < o->nhistory;
	     h++)
		if (!(o->history[h] > 0 && o->history[h] < 1e6))
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "history ratio %g is not positive",
			                     o->history[h]);

	memset(&fc, 0, sizeof(fc));
	fc.g = g;
	fc.o = o;
	fc.n = g->n;
	fc.K = o->capacity;
	fc.A = o->max_attempts;
	fc.trials = o->trials;
	fc.nblocks =
	        (o->trials + CAIRN_FORECAST_BLOCK - 1) / CAIRN_FORECAST_BLOCK;
	atomic_init(&fc.next_block, 0);
	atomic_init(&fc.trials_done, 0);
	if (o->nhistory >= CAIRN_HISTORY_MIN) {
		if (o->nhistory > UINT32_MAX)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "history too long");
		fc.nratio = (uint32_t)o->nhistory;
		fc.ratio = xmalloc(o->nhistory * sizeof(float));
		for (size_t h = 0; h < o->nhistory; h++)
			fc.ratio[h] = (float)o->history[h];
	}
	fc_prepare(&fc);

	nthreads = o->threads ? o->threads : cairn_cpu_count();
	if ((uint64_t)nthreads > fc.nblocks)
		nthreads = (int)fc.nblocks;
	accs = xcalloc((size_t)nthreads, sizeof(*accs));
	for (int t = 0; t < nthreads; t++)
		acc_init(&accs[t], &fc);
	accs[0].main_thread = 1;
	for (int t = 1; t < nthreads; t++)
		accs[t].started =
		        !pthread_create(&accs[t].tid, NULL, worker, &accs[t]);
	worker(&accs[0]);
	for (int t = 1; t < nthreads; t++)
		if (accs[t].started)
			pthread_join(accs[t].tid, NULL);

	/* Merge: integer sums, so the order does not matter. */
	out->n = g->n;
	out->trials = o->trials;
	out->history_used = fc.ratio != NULL;
	out->nbuckets = FC_NBUCKETS;
	out->hist = accs[0].hist;
	out->crit = accs[0].crit;
	accs[0].hist = NULL;
	accs[0].crit = NULL;
	sum = 0;
	{
		uint64_t lo = 0, hi = 0, vmin = 0, vmax = 0, succ = 0;

		for (int t = 0; t < nthreads; t++) {
			struct acc *a = &accs[t];

			if (t) {
				for (size_t b = 0; b < FC_NBUCKETS; b++)
					out->hist[b] += a->hist[b];
				for (size_t i = 0; i < g->n; i++)
					out->crit[i] += a->crit[i];
			}
			if (a->succ) {
				if (!succ || a->vmin < vmin)
					vmin = a->vmin;
				if (!succ || a->vmax > vmax)
					vmax = a->vmax;
			}
			succ += a->succ;
			out->samples += a->samples;
			hi += a->sum_hi;
			lo += a->sum_lo;
			hi += lo < a->sum_lo;
		}
		out->successes = succ;
		sum = ldexp((double)hi, 64) + (double)lo;
		out->min = succ ? (double)vmin / CAIRN_TICKS_PER_DAY : -1;
		out->max = succ ? (double)vmax / CAIRN_TICKS_PER_DAY : -1;
		out->mean =
		        succ ? sum / (double)succ / CAIRN_TICKS_PER_DAY : -1;
	}
	out->chance = (double)out->successes / (double)out->trials;
	out->p50 = cairn_forecast_quantile(out, 0.50);
	out->p80 = cairn_forecast_quantile(out, 0.80);
	out->p95 = cairn_forecast_quantile(out, 0.95);
	for (int t = 0; t < nthreads; t++)
		acc_release(&accs[t]);
	free(accs);
	fc_release(&fc);
	return 0;
}
