/*
 * timelog.h: time spent on items, the focus setting, and the reports built
 * on them: focus (main project, exploration, the rest, against the target
 * share; work in progress against its limit; the attention forecast) and
 * the split between goal-driven and idea-driven work.
 *
 * Where time goes: an entry counts for the main project when its item is
 * the focus item or lies below it; otherwise for exploration when the item
 * or an ancestor is an idea or a question, or is tagged "explore";
 * otherwise for the rest.  An entry belongs to a goal through the nearest
 * goal at or above its item.
 */
#ifndef CAIRN_TIMELOG_H
#define CAIRN_TIMELOG_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"

/* Longest single entry: a day. */
#define CAIRN_DURATION_MAX (24 * 60)

/*
 * Parse a duration into whole minutes (rounded): "90m", "1.5h", "2h30m",
 * "45min", "2hr".  More than 24 hours, zero, or anything else (such as
 * "3x" or a bare "90") is CAIRN_EINVAL, with a message quoting s.
 */
int cairn_duration_parse(const char *s, int *minutes, struct cairn_err *err);

/* "2h30m", "45m", "3h" into out. */
void cairn_duration_format(long minutes, char out[32]);

/*
 * Log minutes on item at date (YYYY-MM-DD or any cairn date form; NULL:
 * today), with an optional note.  *id (may be NULL) gets the entry's id.
 * Errors: CAIRN_ENOTFOUND (item), CAIRN_EINVAL (minutes outside
 * 1..CAIRN_DURATION_MAX, a bad or future date).
 */
int cairn_time_log(struct cairn_store *st, int64_t item, const char *date,
                   int minutes, const char *note, int64_t *id,
                   struct cairn_err *err);

/* One time entry, valid only during the callback. */
struct cairn_time_entry {
	int64_t id;
	int64_t item;
	const char *date;
	int minutes;
	const char *note; /* NULL when none */
};

typedef int (*cairn_time_fn)(void *ctx, const struct cairn_time_entry *e);

/* Stream entries dated in [since, until] (YYYY-MM-DD, NULL: open), by date
 * then id; of item's subtree when item is not 0. */
int cairn_time_each(struct cairn_store *st, int64_t item, const char *since,
                    const char *until, cairn_time_fn fn, void *ctx,
                    struct cairn_err *err);

/* The focus setting.  explore is a share (0-1). */
struct cairn_focus {
	int64_t main;         /* 0: none */
	double explore;       /* default 0.2 */
	int wip;              /* limit on active items, default 3 */
	int is_set;           /* main was set by the researcher */
	double hours_per_day; /* logged hours that make a working day */
};

#define CAIRN_FOCUS_EXPLORE       0.2
#define CAIRN_FOCUS_WIP           3
#define CAIRN_FOCUS_HOURS_PER_DAY 8.0
#define CAIRN_FOCUS_HOURS_MAX     24.0

/* Read the focus setting (defaults where unset). */
int cairn_focus_get(struct cairn_store *st, struct cairn_focus *out,
                    struct cairn_err *err);

/*
 * Set the main item, and the exploration share (explore < 0: keep) and WIP
 * limit (wip <= 0: keep), in one change.  Errors: CAIRN_ENOTFOUND (item),
 * CAIRN_EINVAL (explore above 1, wip above 100).
 */
int cairn_focus_set(struct cairn_store *st, int64_t main_id, double explore,
                    int wip, struct cairn_err *err);

/*
 * Set how many logged hours make a working day, (0, 24]: a forecast's
 * history counts time logged on a milestone in such days.  CAIRN_EINVAL
 * for anything else.
 */
int cairn_focus_set_hours(struct cairn_store *st, double hours_per_day,
                          struct cairn_err *err);

/* One goal in the attention forecast. */
struct cairn_attention {
	int64_t id;
	char *title;
	int rank;          /* place in goal order; 0: not ranked */
	double likelihood; /* < 0: not stated */
	double expected;   /* likelihood / sum of stated likelihoods */
	long minutes;
	double share; /* of the time logged on goals */
};

struct cairn_focus_report {
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN];
	struct cairn_focus focus;
	char *main_title; /* NULL without a main item */
	long main_minutes, explore_minutes, rest_minutes, total_minutes;
	int active;                    /* items with status active */
	struct cairn_attention *goals; /* by stated likelihood, then id */
	int ngoals;
	long goal_minutes;  /* minutes logged under some goal */
	long other_minutes; /* minutes under no goal */
	double rho;         /* Spearman rank correlation, when has_rho */
	int has_rho;        /* three or more goals with a likelihood,
	                     * neither ranking constant */
};

/* The attention report's default window, and the longest any takes. */
#define CAIRN_FOCUS_WEEKS 4
#define CAIRN_WEEKS_MAX   520

/*
 * The focus report over the dates [since, until] (YYYY-MM-DD).  Goals in
 * the attention forecast: every goal that is not dropped or done, and any
 * goal with time in the period.  Release with cairn_focus_report_release.
 */
int cairn_focus_report(struct cairn_store *st, const char *since,
                       const char *until, struct cairn_focus_report *out,
                       struct cairn_err *err);
/*
 * The focus reports of n periods ([since[i], until[i]] into out[i]) from
 * one read of the items: what a page showing several windows (this week,
 * the last weeks) calls.  Each out[i] is released with
 * cairn_focus_report_release (all of them already on an error).
 */
int cairn_focus_reports(struct cairn_store *st, size_t n,
                        const char *const *since, const char *const *until,
                        struct cairn_focus_report *out, struct cairn_err *err);
void cairn_focus_report_release(struct cairn_focus_report *r);
json_t *cairn_focus_report_json(const struct cairn_focus_report *r);

/* Goal-driven against idea-driven, by the nearest goal's `driven`. */
enum { CAIRN_SPLIT_GOAL, CAIRN_SPLIT_IDEA, CAIRN_SPLIT_UNSET, CAIRN_SPLITS };

struct cairn_driven_report {
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN];
	int goals[CAIRN_SPLITS];  /* goals not dropped */
	int active[CAIRN_SPLITS]; /* active items (goal's driven) */
	long minutes[CAIRN_SPLITS];
};

/* The split over the dates [since, until] for logged time. */
int cairn_driven_report(struct cairn_store *st, const char *since,
                        const char *until, struct cairn_driven_report *out,
                        struct cairn_err *err);
json_t *cairn_driven_report_json(const struct cairn_driven_report *r);

#endif
