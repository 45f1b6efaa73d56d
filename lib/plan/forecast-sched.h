/*
 * forecast-sched.h: list scheduling of one trial on K work streams, for
 * the forecast (forecast.c), private to lib/plan.  The order is built
 * once per forecast; a trial then costs O(n log n + edges) with no
 * allocation, in arrays laid out by priority.
 *
 * The rule (cairn(1), "Work streams"): the priority of a step is its
 * expected chain to the end (its PERT mean plus the longest chain of
 * dependents by their means), ties to the earlier step.  The simulation
 * takes completions one at a time, earliest first and, at the same time,
 * the earlier step first; after each, every free stream takes the ready
 * step of highest priority, while there is one.  A step is ready when
 * all its prerequisites have completed.
 *
 * Steps are named by rank, their place in the priority order (0 first),
 * which is also a topological order: a prerequisite's chain holds its
 * dependent's, so it ranks before it (equal chains fall to node order,
 * itself topological).
 */
#ifndef CAIRN_FORECAST_SCHED_H
#define CAIRN_FORECAST_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "cairn/plan/forecast.h"

#define FS_LEVELS 4  /* of the ready set: 64^4 steps */
#define FS_WINDOW 16 /* ranks the rank-order scan may look at */
#define FS_LANES  4  /* trials scheduled in one call */

struct fc_sched {
	size_t n;
	int K;
	uint32_t *rank; /* of each node */
	uint32_t *node; /* of each rank */
	uint32_t
	        *suc_off; /* n + 1: dependents of rank r in suc[suc_off[r]..] */
	uint32_t *suc;    /* as ranks */
	uint32_t *npre;   /* prerequisites of each rank */
	uint32_t *pre_off; /* n + 1: prerequisites of rank r in
	                      pre[pre_off[r]..] */
	uint32_t *pre;     /* as ranks */
	uint32_t *sources; /* ranks with no prerequisites, ascending */
	size_t nsources;
};

struct fs_run {
	double t; /* finish */
	uint32_t node, rank;
};

/* One thread's scratch. */
struct fc_sched_work {
	unsigned char *state; /* of each rank: waiting, running, done */
	uint32_t *indeg;
	int levels;
	uint64_t *w[FS_LEVELS]; /* ready ranks: a bitmap and its summaries */
	struct fs_run *run;     /* running steps, a min-heap */
};

void fc_sched_init(struct fc_sched *s, const struct cairn_plan *g, int K);
void fc_sched_release(struct fc_sched *s);
void fc_sched_work_init(struct fc_sched_work *w, const struct fc_sched *s);
void fc_sched_work_release(struct fc_sched_work *w);

/*
 * The makespan of one trial: the duration of rank r is dur[stride * r]
 * (a float, as the sweep draws it; sums are in double).
 */
double fc_sched_makespan(const struct fc_sched *s, struct fc_sched_work *w,
                         const float *dur, size_t stride);

/*
 * The makespans of up to FS_LANES trials, lane l (when bit l of mask is
 * set) with durations dur[stride * r + l], scratch w[l], into out[l].
 */
void fc_sched_makespans(const struct fc_sched *s, struct fc_sched_work *w,
                        const float *dur, size_t stride, unsigned mask,
                        double *out);

#endif
