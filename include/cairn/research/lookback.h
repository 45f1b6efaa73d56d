/*
 * lookback.h: what happened over a period, derived from the journal alone.
 *
 * Every row cairn keeps can be rebuilt as it stood at any moment from the
 * last journal event about it before that moment.  A look-back compares
 * the store as it stood at the start of the period with the store as it
 * stood at its end: so the same question about a past period always gets
 * the same answer, whatever happened since (later edits, removals and
 * undos do not reach back).
 *
 * Reported: items finished, dropped (with the reason) and started; goals
 * added, and every goal as it stood at each end (for a post looking back,
 * lib/fmt/lookback-post.c); lessons recorded;
 * statements that changed (old and new); metrics observed in the period
 * (value at the start, or the baseline, against the latest at the end);
 * predictions resolved and their Brier score; logged time (by entry date)
 * per goal; reviews written.
 */
#ifndef CAIRN_LOOKBACK_H
#define CAIRN_LOOKBACK_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"

/*
 * Visibility, where a record carries one, is its item's at the end of the
 * period and the least visible of that item's ancestors' (an item is
 * public when it and everything above it are): an enum cairn_visibility,
 * private for a record on no item or on one gone by then.
 */
struct cairn_lb_item {
	int64_t id;
	char *kind;
	char *title;
	char when[CAIRN_TS_LEN]; /* finished or started */
	char *why;               /* dropped: the reason */
	int64_t goal;            /* the nearest goal at or above it, or 0 */
	int vis;
};

/* A goal as it stood at one end of the period. */
struct cairn_lb_goal_state {
	int present; /* it stood then as a goal; the rest is empty if not */
	int gone;    /* there was no such item at all then */
	char *title, *status, *why;
	char *driven;      /* "goal", "idea" or NULL */
	int rank;          /* 0: none */
	double likelihood; /* < 0: not stated */
	int vis;           /* as above, at that moment (not a goal too) */
};

/* A statement of a goal made in the period. */
struct cairn_lb_restatement {
	char when[CAIRN_TS_LEN];
	char *text;
};

/* Every goal that stood at either end, as it stood at each. */
struct cairn_lb_goal {
	int64_t id;
	struct cairn_lb_goal_state then, now;
	struct cairn_lb_restatement *restated; /* oldest first */
	int nrestated;
};

struct cairn_lb_lesson {
	int64_t id, item;
	char created[CAIRN_TS_LEN];
	char *text;
	int worked;
	int64_t goal; /* as for a metric */
	int vis;
};

struct cairn_lb_statement {
	int64_t id;
	char *kind;
	char *old_text;
	char *new_text;
	char when[CAIRN_TS_LEN]; /* of the new statement */
};

struct cairn_lb_metric {
	int64_t id, item;
	char *name, *unit;
	double baseline, target;
	int lower_better;
	int has_from; /* an observation before the period */
	double from;  /* that observation, else the baseline */
	double to;    /* the latest observation at the end */
	char to_date[CAIRN_DATE_LEN];
	int observations; /* logged in the period */
	int64_t goal;     /* the nearest goal at or above its item, or 0 */
	int vis;
};

struct cairn_lb_prediction {
	int64_t id;
	int64_t item; /* 0: about no item */
	int vis;
	char *who, *statement;
	double p;
	int outcome;
	int early;
	char resolved[CAIRN_DATE_LEN];
};

struct cairn_lb_time {
	int64_t goal; /* 0: time on items under no goal */
	char *title;
	long minutes;
	long public_minutes; /* of it, on items public at the end */
};

struct cairn_lb_review {
	char created[CAIRN_TS_LEN];
	char *moved, *sharper, *to_drop, *note;
};

struct cairn_lookback {
	char since[CAIRN_TS_LEN]; /* "" : from the beginning */
	char until[CAIRN_TS_LEN]; /* "" : up to now */
	struct cairn_lb_item *finished, *dropped, *started;
	int nfinished, ndropped, nstarted;
	struct cairn_lb_item *added; /* goals new in the period (created) */
	int nadded;
	/* every goal standing at either end, in goal order at the end (then
	 * at the start, for goals gone by then) */
	struct cairn_lb_goal *goals;
	int ngoals;
	struct cairn_lb_lesson *lessons; /* recorded in the period */
	int nlessons;
	struct cairn_lb_statement *statements;
	int nstatements;
	struct cairn_lb_metric *metrics;
	int nmetrics;
	struct cairn_lb_prediction *predictions;
	int npredictions;
	double brier; /* over predictions, when npredictions */
	struct cairn_lb_time *time;
	int ntime;
	long minutes;
	struct cairn_lb_review *reviews;
	int nreviews;
};

/*
 * Look back over [since, until) (timestamps as cairn_ts_parse writes them;
 * NULL or "": open).  out is filled (release with cairn_lookback_release).
 * Errors: CAIRN_EINVAL (since after until), CAIRN_EDB.
 */
int cairn_lookback(struct cairn_store *st, const char *since, const char *until,
                   struct cairn_lookback *out, struct cairn_err *err);
void cairn_lookback_release(struct cairn_lookback *lb);

/* The look-back as one JSON object; a new reference. */
json_t *cairn_lookback_json(const struct cairn_lookback *lb);

#endif
