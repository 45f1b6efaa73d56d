/*
 * check.h: the portfolio of bets and the roadmap linter (DESIGN.md
 * section 5, `check`).
 */
#ifndef CAIRN_CHECK_H
#define CAIRN_CHECK_H

#include <jansson.h>

#include "cairn/plan/roadmap.h"

enum cairn_bet {
	CAIRN_BET_UNRATED,   /* no p_success */
	CAIRN_BET_LONG_SHOT, /* p_success < 0.4 */
	CAIRN_BET_BALANCED,
	CAIRN_BET_SAFE, /* p_success >= 0.75 */
};

#define CAIRN_BET_LONG_SHOT_BELOW 0.4
#define CAIRN_BET_SAFE_FROM       0.75

enum cairn_bet cairn_bet_of(const struct cairn_item *it);
const char *cairn_bet_name(enum cairn_bet b);

/* One finding of the linter; item 0 for findings about the whole store. */
struct cairn_finding {
	int64_t item;
	const char *rule;
	const char *message; /* what is wrong */
	const char *hint;    /* how to fix it */
};

typedef int (*cairn_finding_fn)(void *ctx, const struct cairn_finding *f);

/* The rules, NULL-terminated, in the order findings are reported. */
extern const char *const cairn_check_rules[];

/*
 * Run the linter over a snapshot (and nothing else: the settings are the
 * ones it carries), calling fn for each finding in rule order, then item
 * order.  A rule whose setting "check.RULE" is "off" is skipped;
 * "check.stale.days" (default 30) sets how long an active item may go without a
 * change, and "check.idea-driven.max" (default 0.5) the largest share of
 * idea-driven goals; "wip" compares the active items (ideas aside) with the
 * focus setting's WIP limit (rm->focus, default 3).  *count gets the number of
 * findings.  A callback returning non-zero stops the run and that value is
 * returned. CAIRN_EINVAL for a bad setting.
 */
/*
 * Into sc, the scope of the snapshot the linter reads (roadmap.h): the
 * whole store, without what no rule reads.  cairn_check_run gives the
 * same findings on it as on a snapshot of everything.
 */
void cairn_check_scope(struct cairn_roadmap_scope *sc);

int cairn_check_run(const struct cairn_roadmap *rm, cairn_finding_fn fn,
                    void *ctx, size_t *count, struct cairn_err *err);

/* A finding as a JSON object (a new reference): id (null for the whole
 * store), rule, message, hint.  `check --json` prints an array of them. */
json_t *cairn_finding_json(const struct cairn_finding *f);

#endif
