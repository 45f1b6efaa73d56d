/*
 * goal-path.h: the use case `path GOAL` (DESIGN.md section 5): the
 * critical path of a goal's remaining work by expected effort, and every
 * other step with its slack; and its JSON.
 *
 * It works on a snapshot (the CLI loads the whole store, other front ends
 * the view they may show); the result copies what it needs and outlives
 * the snapshot.
 */
#ifndef CAIRN_GOAL_PATH_H
#define CAIRN_GOAL_PATH_H

#include <jansson.h>

#include "cairn/plan/roadmap.h"

/* One plan node with its place in the critical path method. */
struct cairn_path_step {
	int64_t id;                  /* item id; 0 for a required paper */
	char *paper;                 /* the paper's citation key, or NULL */
	char *label;                 /* cairn_roadmap_label */
	double expected;             /* PERT mean effort, working days */
	double start, finish, slack; /* earliest start and finish, slack */
	int estimated;               /* has an estimate of its own */
	int outside;                 /* a prerequisite from outside the goal */
};

struct cairn_goal_path {
	int64_t goal;
	char *title;
	size_t remaining, papers;     /* plan nodes; of them required papers */
	double length;                /* of the critical path, working days */
	struct cairn_path_step *path; /* first to last */
	size_t npath;
	struct cairn_path_step *others; /* least slack first, then order */
	size_t nothers;
};

/*
 * The critical path of goal's remaining work in rm (cairn_roadmap_plan,
 * cairn_plan_critical) into out (release with cairn_goal_path_release,
 * also after an error).  No remaining work is not an error: remaining 0.
 * Errors: CAIRN_ENOTFOUND, CAIRN_ECYCLE (named).
 */
int cairn_goal_path(const struct cairn_roadmap *rm, int64_t goal,
                    struct cairn_goal_path *out, struct cairn_err *err);
void cairn_goal_path_release(struct cairn_goal_path *p);

/* The path as one JSON object (a new reference). */
json_t *cairn_goal_path_json(const struct cairn_goal_path *p);

#endif
