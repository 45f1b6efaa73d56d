/*
 * portfolio.h: the use case `portfolio` (DESIGN.md section 1, "every
 * milestone is a bet"): the planned and active milestones, below a goal
 * or all of them, by chance of success and novelty, with the counts of
 * each kind of bet (cairn_bet_of in check.h) and a warning when every
 * rated milestone is of one kind; and its JSON.
 *
 * It works on a snapshot; the result copies what it needs.
 */
#ifndef CAIRN_PORTFOLIO_H
#define CAIRN_PORTFOLIO_H

#include <jansson.h>

#include "cairn/plan/check.h"

struct cairn_portfolio_item {
	int64_t id;
	char *title;
	enum cairn_status status;
	double p_success; /* < 0: unset */
	int novelty;      /* 0: unset */
	enum cairn_bet bet;
};

struct cairn_portfolio {
	int64_t goal;                       /* 0: the whole roadmap */
	struct cairn_portfolio_item *items; /* in id order */
	size_t n;
	/* grid[novelty][tenth of p_success] of the rated milestones,
	 * novelty 0 for unset */
	size_t grid[6][10];
	size_t count[4];     /* by enum cairn_bet */
	size_t rated;        /* n less the unrated */
	const char *warning; /* static text, or NULL */
};

/*
 * The portfolio of goal's planned and active milestones in rm (goal 0:
 * every one) into out (release with cairn_portfolio_release, also after
 * an error).  CAIRN_ENOTFOUND for an unknown goal.
 */
int cairn_portfolio(const struct cairn_roadmap *rm, int64_t goal,
                    struct cairn_portfolio *out, struct cairn_err *err);
void cairn_portfolio_release(struct cairn_portfolio *p);

/* The portfolio as one JSON object (a new reference). */
json_t *cairn_portfolio_json(const struct cairn_portfolio *p);

#endif
