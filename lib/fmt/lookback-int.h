/*
 * lookback-int.h: the pieces of "Research goals: then and now" that the
 * Jekyll post (lookback-post.c) and the site's page (lookback-page.c,
 * lookback.html) both show, so the rules of what is shown live once:
 * which goals of then are shown and in which order, how many are not,
 * and each goal's facts (refinements, rank, status, metrics, milestones,
 * lessons) in the words of the post, in either markup.
 * Not installed.
 */
#ifndef CAIRN_FMT_LOOKBACK_INT_H
#define CAIRN_FMT_LOOKBACK_INT_H

#include "cairn/core/buf.h"
#include "cairn/core/time.h"
#include "cairn/research/lookback.h"
#include "cairn/research/predict.h"

/*
 * How facts are written: escaping, and a list of them with sub-lists
 * (the page), or a paragraph each, a sub-list as one sentence (the post:
 * a post with lists would read back as goals; see cairn_lookback_post).
 */
struct lb_markup {
	void (*text)(struct buf *out, const char *s);
	const char *li, *end;            /* one fact */
	const char *sub_open, *sub_li;   /* after a fact's label, its list */
	const char *sub_end, *sub_close; /* closes the sub-list and fact */
	const char *sub_sep;             /* between two entries of it */
};

extern const struct lb_markup lb_markdown, lb_html;

/* On the list at that end: standing, public, not dropped. */
int lb_listed(const struct cairn_lb_goal_state *g);
/* Shown as a goal of then: on the list then, and public now or gone. */
int lb_shown_then(const struct cairn_lb_goal *g);
/* Place among the goals listed at one end (then 0, now 1), 0: not. */
int lb_place(const struct cairn_lookback *lb, const struct cairn_lb_goal *g,
             int now);
/* A stored time as its day; a period's end (exclusive) as the day before. */
void lb_day(char out[CAIRN_DATE_LEN], const char *ts, int end);
/* The period's two days, since and until (now when open). */
void lb_period(const struct cairn_lookback *lb, char since[CAIRN_DATE_LEN],
               char until[CAIRN_DATE_LEN]);

/*
 * The goals of then that are shown, in their order then (free the
 * array); *hidden: how many goals on the list then are left out (public
 * then, not now).
 */
const struct cairn_lb_goal **lb_then_goals(const struct cairn_lookback *lb,
                                           int *n, int *hidden);
/* Whether goal g is shown under "Added since": public now, not shown
 * as a goal of then, and not dropped at both ends. */
int lb_added_since(const struct cairn_lb_goal *g);

/* The facts of goal g, each as m->li ... m->end. */
void lb_goal_facts(struct buf *out, const struct lb_markup *m,
                   const struct cairn_lookback *lb,
                   const struct cairn_lb_goal *g);
/* The sentence saying that hidden goals of then are left out (nothing
 * when none are), without markup. */
void lb_not_shown(struct buf *out, int hidden);
/* How goal g left the list: " (removed)", ": why"...; escaped by m. */
void lb_gone_why(struct buf *out, const struct lb_markup *m,
                 const struct cairn_lb_goal *g);
/* The goal-driven split at one end (then 0, now 1), one fact. */
void lb_driven(struct buf *out, const struct lb_markup *m,
               const struct cairn_lookback *lb, int now);
/* Calibration of the predictions about public items (finished). */
void lb_calibration(const struct cairn_lookback *lb,
                    struct cairn_calibration *cal);

#endif
