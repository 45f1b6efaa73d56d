/*
 * step.h: how the planning use cases (goal-forecast.c, goal-path.c,
 * next.c) name a plan node for people, private to lib/plan.  A node is
 * an item (its id) or a required paper (id 0 and the paper's citation
 * key, see CAIRN_PAPER_NODE), with the label cairn_roadmap_label gives.
 */
#ifndef CAIRN_PLAN_STEP_H
#define CAIRN_PLAN_STEP_H

#include <jansson.h>

#include "cairn/plan/roadmap.h"

/*
 * Name plan node node_id of a plan built from rm: *id the item id (0 for
 * a paper), *paper a copy of the paper's key (NULL for an item), *label
 * a copy of its label; tmp is scratch.  The caller frees the copies.
 */
void plan_step_name(const struct cairn_roadmap *rm, int64_t node_id,
                    int64_t *id, char **paper, char **label, struct buf *tmp);

/* Append the label of a required paper as a step ("read KEY: TITLE",
 * or "replicate ..." while it is being replicated) to out. */
void plan_paper_label(struct buf *out, enum cairn_paper_status status,
                      const char *key, const char *title);

/* Set "id" (null for a paper), "paper" (papers only) and "title" on o. */
void plan_step_json(json_t *o, int64_t id, const char *paper,
                    const char *title);

#endif
