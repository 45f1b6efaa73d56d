/*
 * next.h: the use case `next` (DESIGN.md section 5): the ready
 * milestones and required papers, the most useful first; and its JSON.
 *
 * Ready: planned or active, nothing open below, and every prerequisite
 * of the milestone and of its parents done, required papers included; a
 * required paper not yet read is always ready.  Ranked by
 *
 *	score = likelihood of the goal * share of the goal's remaining
 *		expected critical path that runs through the step
 *
 * where the share ("carry") is (length - slack) / length: 1 on the
 * critical path, less the more slack a step has.  A goal without a
 * likelihood counts CAIRN_NEXT_UNSTATED_LIKELIHOOD.  A step that several
 * goals need takes its best score; one no goal needs scores 0.  Ties go
 * to the larger expected effort, then the lower id (papers after items).
 *
 * It works on a snapshot; the result copies what it needs.
 */
#ifndef CAIRN_NEXT_H
#define CAIRN_NEXT_H

#include <jansson.h>

#include "cairn/plan/roadmap.h"

#define CAIRN_NEXT_UNSTATED_LIKELIHOOD 0.5

struct cairn_next_pick {
	int64_t id;         /* item id; 0 for a required paper */
	char *paper;        /* the paper's citation key, or NULL */
	char *title;        /* the item's title, or the paper's label */
	const char *status; /* item or paper status name (static) */
	int64_t goal;       /* 0: no goal needs it */
	char *goal_title;   /* NULL without a goal */
	double likelihood;  /* the goal's, < 0 when not stated */
	double carry, score, expected, slack;
};

struct cairn_next {
	struct cairn_next_pick *picks; /* best first */
	size_t n;
};

/*
 * The ready steps of rm, of goal only's work when only is not 0, best
 * first, at most limit of them, into out (release with
 * cairn_next_release, also after an error).  Errors: CAIRN_ENOTFOUND (no
 * item only), CAIRN_ECYCLE (named).
 */
int cairn_next(const struct cairn_roadmap *rm, int64_t only, size_t limit,
               struct cairn_next *out, struct cairn_err *err);
void cairn_next_release(struct cairn_next *nx);

struct cairn_store;

/*
 * cairn_next of st's open work (only 0), read from the planning summary
 * the store keeps (lib/plan/plan-summary.c): what writes made stale is
 * planned again first, so the picks are those a fresh snapshot gives.
 * Planned afresh instead while something is stale on a store that
 * cannot be written or that another process is writing (a reader never
 * waits for a writer), and when a plan has a cycle (for its message).
 */
int cairn_next_store(struct cairn_store *st, size_t limit,
                     struct cairn_next *out, struct cairn_err *err);

/*
 * Plan again what writes made stale in st's planning summary (all:
 * everything), in one upkeep transaction of its own, or within the open
 * change.  CAIRN_EREADONLY, CAIRN_EBUSY, CAIRN_EDB.
 */
int cairn_plan_summary_refresh(struct cairn_store *st, int all,
                               struct cairn_err *err);

/* The picks as a JSON array (a new reference). */
json_t *cairn_next_json(const struct cairn_next *nx);

#endif
