/*
 * roadmap-int.h: what the roadmap snapshot's loaders share with its
 * in-memory side (roadmap.c).  Not installed.
 */
#ifndef CAIRN_ROADMAP_INT_H
#define CAIRN_ROADMAP_INT_H

#include "cairn/plan/roadmap.h"

/*
 * Fill rm's tree view (depth, roots, goals in goal order) from its
 * parent[]: the last step of every loader.
 */
void roadmap_index_tree(struct cairn_roadmap *rm);

/*
 * rm's direct index of ids (at, at_lo, at_n), made again from its items
 * (in id order): the loaders' step once the items are final.
 */
void roadmap_index_ids(struct cairn_roadmap *rm);

/* Whether scope leaves out any item by visibility or status. */
int roadmap_scope_filters(const struct cairn_roadmap_scope *scope);

/* item_visible's skip for scope: 2 open_only, 1 no_dropped, else 0. */
int roadmap_scope_skip(const struct cairn_roadmap_scope *scope);

/* Free n entries of v and v itself. */
void roadmap_entries_free(struct cairn_roadmap_entry *v, size_t n);

/*
 * Plans of several roots of one snapshot: what cairn_roadmap_plan finds
 * out about the roadmap itself (what is open, each item's work) is kept
 * from one to the next, so planning every goal costs what their plans
 * hold, not the snapshot's size each time.  roadmap_planner_plan is
 * cairn_roadmap_plan; rm must outlive the planner.
 */
struct roadmap_planner;
struct roadmap_planner *roadmap_planner_new(const struct cairn_roadmap *rm);
int roadmap_planner_plan(struct roadmap_planner *L, int64_t root,
                         struct cairn_plan *g, struct cairn_err *err);
void roadmap_planner_free(struct roadmap_planner *L);

/*
 * 1 when planning all open work of rm (cairn_roadmap_plan(rm, 0)) is
 * sure to succeed, found without planning: no cycle can close, and every
 * open item gives a sound node; 0 when it may fail (then plan to know).
 * Linear in items + edges, about a tenth of the plan.
 */
int roadmap_plan_certain(const struct cairn_roadmap *rm);

/*
 * The own-history ratio of item it with logged minutes of time logged on
 * it into *ratio, as cairn_roadmap_history counts it: 1 when it gives
 * one (a done milestone with a likely estimate and an actual), else 0.
 */
int roadmap_history_ratio(const struct cairn_item *it, long logged,
                          double hours_per_day, double *ratio);

/*
 * cairn_roadmap_history of the whole store, read from it: only the done
 * milestones with a likely estimate, through the (kind, status) index,
 * so a goal's forecast from its subgraph needs no whole snapshot.
 * *out (freed by the caller, NULL for none) gets *n ratios in id order.
 * CAIRN_EDB.
 */
int roadmap_load_history(struct cairn_store *st, double hours_per_day,
                         double **out, size_t *n, struct cairn_err *err);

/*
 * The share of time focus setting f gives a goal that the main item lies
 * above or below (related), or not: cairn_roadmap_share's rule.
 */
double roadmap_focus_share(const struct cairn_focus *f, int related);

#endif
