/*
 * next-int.h: the ranking rule of `next` (next.h) one planning unit at a
 * time, private to lib/plan: next.c ranks a snapshot with it, and
 * plan-summary.c keeps its results in the store so that `next` need not
 * plan every goal on each call.
 *
 * A unit is an open goal (scored: likelihood times carry) or a root item
 * that is not a goal (its work scores 0: what no goal needs).  A node's
 * readiness and expected days do not depend on the unit it is planned
 * in, only its slack and score do.
 */
#ifndef CAIRN_NEXT_INT_H
#define CAIRN_NEXT_INT_H

#include "cairn/plan/next.h"
#include "plan/roadmap-int.h"

struct next_node {
	int64_t node; /* plan node id: item id, or CAIRN_PAPER_NODE */
	int ready;    /* nothing open to wait for */
	int listed;   /* ready, and a paper or a planned or active milestone:
	                 what next lists */
	double score, carry, expected, slack;
};

/*
 * Plan the unit at position u of rm with pl and call fn for each node
 * of its plan, in plan order; *length is its critical path.  scored: u
 * is a goal, scored by its likelihood (CAIRN_NEXT_UNSTATED_LIKELIHOOD
 * when unset); otherwise every score is 0.  CAIRN_ECYCLE.
 */
int next_unit(const struct cairn_roadmap *rm, struct roadmap_planner *pl,
              long u, int scored, double *length,
              void (*fn)(void *ctx, const struct next_node *nd), void *ctx,
              struct cairn_err *err);

/* Whether position i of rm is a planning unit, open for planning (it
 * and all above it neither done nor dropped): 0 not, 1 a root that is
 * not a goal, 2 a goal (scored). */
int next_unit_kind(const struct cairn_roadmap *rm, size_t i);

#endif
