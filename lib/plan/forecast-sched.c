/*
 * forecast-sched.c: list scheduling of a trial on K work streams (rule and
 * layout in forecast-sched.h).
 *
 * Everything a trial touches is indexed by rank: durations, prerequisite
 * counts, dependents.  Steps start roughly in rank order, so the arrays
 * are read nearly front to back, which keeps a 10,000-step plan's trial
 * in cache and lets the prefetcher run ahead.  Most trials run in rank
 * order (fc_sched_makespan); the general way's ready set is a bitmap of
 * ranks with summary bitmaps above it (find-minimum in one ctz per
 * level); the running steps, at most K, sit in a binary min-heap by
 * finish time.
 *
 * Cost (bench-forecast, 500 and 10,000 steps, 2 streams): some 17 ns a
 * step a trial against 3-4 ns for the sweep that draws the durations, so
 * a forecast on 2 streams takes about 5 times one on 1.  What remains is
 * mispredicted branches on what the trial's durations decide (is the
 * next step ready, which stream finishes first) and the chain of loads
 * from one completion to the next start.  Measured and dropped, no
 * faster or slower: branch-free set updates, inline dependents, an unsorted
 * array for the running steps, the four lanes of a sweep simulated in lockstep
 * and readiness checked eight ranks at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "cairn/core/buf.h"
#include "plan/forecast-sched.h"
#include "banned.h"

struct tail {
	double len; /* expected chain from the node to the end */
	uint32_t node;
};

static int
by_tail(const void *a, const void *b)
{
	const struct tail *x = a, *y = b;

	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

void
fc_sched_init(struct fc_sched *s, const struct cairn_plan *g, int K)
{
	size_t n = g->n, m = 0, mp = 0;
	struct tail *tail;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->K = K;
	s->rank = xmalloc((n ? n : 1) * sizeof(uint32_t));
	s->node = xmalloc((n ? n : 1) * sizeof(uint32_t));
	s->suc_off = xmalloc((n + 1) * sizeof(uint32_t));
	s->suc = xmalloc((g->nedges ? g->nedges : 1) * sizeof(uint32_t));
	s->npre = xmalloc((n ? n : 1) * sizeof(uint32_t));
	s->pre_off = xmalloc((n + 1) * sizeof(uint32_t));
	s->pre = xmalloc((g->nedges ? g->nedges : 1) * sizeof(uint32_t));
	s->sources = xmalloc((n ? n : 1) * sizeof(uint32_t));
	tail = xmalloc((n ? n : 1) * sizeof(*tail));
	for (size_t i = n; i-- > 0;) {
		double best = 0;

		/* Dependents come later: tail[] is still in node order. */
		for (uint32_t k = g->suc_off[i]; k < g->suc_off[i + 1]; k++)
			if (tail[g->suc[k]].len > best)
				best = tail[g->suc[k]].len;
		tail[i].len = g->mean[i] + best;
		tail[i].node = (uint32_t)i;
	}
	qsort(tail, n, sizeof(*tail), by_tail);
	for (size_t r = 0; r < n; r++) {
		s->node[r] = tail[r].node;
		s->rank[tail[r].node] = (uint32_t)r;
	}
	free(tail);
	for (size_t r = 0; r < n; r++) {
		uint32_t v = s->node[r];

		s->suc_off[r] = (uint32_t)m;
		for (uint32_t k = g->suc_off[v]; k < g->suc_off[v + 1]; k++)
			s->suc[m++] = s->rank[g->suc[k]];
		s->npre[r] = g->pre_off[v + 1] - g->pre_off[v];
		s->pre_off[r] = (uint32_t)mp;
		for (uint32_t k = g->pre_off[v]; k < g->pre_off[v + 1]; k++)
			s->pre[mp++] = s->rank[g->pre[k]];
		if (!s->npre[r])
			s->sources[s->nsources++] = (uint32_t)r;
	}
	s->suc_off[n] = (uint32_t)m;
	s->pre_off[n] = (uint32_t)mp;
}

void
fc_sched_release(struct fc_sched *s)
{
	free(s->rank);
	free(s->node);
	free(s->suc_off);
	free(s->suc);
	free(s->npre);
	free(s->pre_off);
	free(s->pre);
	free(s->sources);
	memset(s, 0, sizeof(*s));
}

void
fc_sched_work_init(struct fc_sched_work *w, const struct fc_sched *s)
{
	size_t words[FS_LEVELS], total = 0, n = s->n ? s->n : 1;
	uint64_t *all;

	memset(w, 0, sizeof(*w));
	w->indeg = xmalloc(n * sizeof(uint32_t));
	w->state = xmalloc(n);
	w->run = xmalloc(n * sizeof(*w->run));
	do {
		n = (n + 63) / 64;
		words[w->levels++] = n;
		total += n;
	} while (n > 1 && w->levels < FS_LEVELS);
	all = xcalloc(total, sizeof(uint64_t));
	for (int l = 0; l < w->levels; l++) {
		w->w[l] = all;
		all += words[l];
	}
}

void
fc_sched_work_release(struct fc_sched_work *w)
{
	free(w->indeg);
	free(w->state);
	free(w->run);
	if (w->levels)
		free(w->w[0]);
	memset(w, 0, sizeof(*w));
}

/* ---- the ready set ------------------------------------------------ */

static inline void
rs_add(struct fc_sched_work *w, uint32_t r)
{
	for (int l = 0; l < w->levels; l++) {
		uint64_t *word = &w->w[l][r >> 6], old = *word;

		*word = old | 1ull << (r & 63);
		if (old)
			break; /* the levels above already know */
		r >>= 6;
	}
}

static inline int
rs_empty(const struct fc_sched_work *w)
{
	return !w->w[w->levels - 1][0];
}

/* Remove and return the smallest rank; the set must not be empty. */
static inline uint32_t
rs_pop(struct fc_sched_work *w)
{
	uint32_t r = 0, x;

	for (int l = w->levels - 1; l >= 0; l--)
		r = (r << 6) | (uint32_t)__builtin_ctzll(w->w[l][r]);
	x = r;
	for (int l = 0; l < w->levels; l++) {
		uint64_t *word = &w->w[l][x >> 6];

		*word &= ~(1ull << (x & 63));
		if (*word)
			break;
		x >>= 6;
	}
	return r;
}

/* ---- the running steps -------------------------------------------- */

/* Earlier finish first; at the same finish, the earlier node. */
static inline int
run_less(const struct fs_run *a, const struct fs_run *b)
{
	return a->t < b->t || (a->t == b->t && a->node < b->node);
}

static inline void
run_push(struct fs_run *h, size_t *len, struct fs_run x)
{
	size_t i = (*len)++;

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!run_less(&x, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = x;
}

static inline struct fs_run
run_pop(struct fs_run *h, size_t *len)
{
	struct fs_run top = h[0], last;
	size_t i = 0, n = --*len;

	if (!n)
		return top;
	last = h[n];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && run_less(&h[c + 1], &h[c]))
			c++;
		if (!run_less(&h[c], &last))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = last;
	return top;
}

enum { WAITING, RUNNING, DONE };

/* Rank r is ready: every prerequisite done. */
static inline int
is_ready(const struct fc_sched *s, const unsigned char *state, uint32_t r)
{
	for (uint32_t k = s->pre_off[r]; k < s->pre_off[r + 1]; k++)
		if (state[s->pre[k]] != DONE)
			return 0;
	return 1;
}

/*
 * The simulation, in two ways that take the same decisions.
 *
 * Rank order first: while the smallest ready rank lies within FS_WINDOW
 * ranks of lo, the smallest not yet started, a scan from lo that checks
 * prerequisites finds it, and no count or ready set is kept.  With
 * plenty of parallel work that is most of the trial, at a fraction of
 * the cost of the general way.
 *
 * When a scan would look further, the trial goes on the general way from
 * where it is: each waiting rank's count of prerequisites not done, the
 * ready set of those at 0, and the same running heap; each completion
 * counts its dependents down.
 */
double
fc_sched_makespan(const struct fc_sched *s, struct fc_sched_work *w,
                  const float *dur, size_t stride)
{
	const uint32_t *off = s->suc_off, *suc = s->suc, *node = s->node;
	const uint32_t n = (uint32_t)s->n;
	unsigned char *state = w->state;
	uint32_t *indeg = w->indeg;
	struct fs_run *run = w->run;
	size_t nrun = 0;
	int free_streams = s->K;
	double now = 0;
	uint32_t lo = 0;

	memset(state, WAITING, n);
	for (;;) {
		struct fs_run done;
		uint32_t p = lo, budget = FS_WINDOW;

		while (free_streams > 0) {
			while (p < n && (state[p] != WAITING ||
			                 !is_ready(s, state, p))) {
				if (!--budget)
					goto general;
				p++;
			}
			if (p == n)
				break;
			{
				struct fs_run x = {now + dur[stride * p],
				                   node[p], p};

				run_push(run, &nrun, x);
			}
			state[p++] = RUNNING;
			free_streams--;
		}
		while (lo < n && state[lo] != WAITING)
			lo++;
		if (!nrun)
			return now; /* nothing ready, nothing running: over */
		done = run_pop(run, &nrun);
		now = done.t;
		free_streams++;
		state[done.rank] = DONE;
	}

general:
	for (uint32_t r = lo; r < n; r++) {
		uint32_t c = 0;

		if (state[r] != WAITING)
			continue;
		for (uint32_t k = s->pre_off[r]; k < s->pre_off[r + 1]; k++)
			c += state[s->pre[k]] != DONE;
		indeg[r] = c;
		if (!c)
			rs_add(w, r);
	}
	while (nrun || !rs_empty(w)) {
		struct fs_run done;

		while (free_streams > 0 && !rs_empty(w)) {
			uint32_t r = rs_pop(w);
			struct fs_run x = {now + dur[stride * r], node[r], r};

			run_push(run, &nrun, x);
			free_streams--;
		}
		done = run_pop(run, &nrun);
		now = done.t;
		free_streams++;
		for (uint32_t k = off[done.rank]; k < off[done.rank + 1]; k++)
			if (!--indeg[suc[k]])
				rs_add(w, suc[k]);
	}
	return now;
}

void
fc_sched_makespans(const struct fc_sched *s, struct fc_sched_work *w,
                   const float *dur, size_t stride, unsigned mask, double *out)
{
	for (int l = 0; l < FS_LANES; l++)
		if (mask & (1u << l))
			out[l] = fc_sched_makespan(s, &w[l], dur + l, stride);
}
