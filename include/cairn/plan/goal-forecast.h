/*
 * goal-forecast.h: the use case `forecast GOAL` (DESIGN.md section 5),
 * from the store or a snapshot to the numbers: the goal's plan, the
 * researcher's history, the focus share, the Monte Carlo run, and its
 * dates on the working-day calendar; and the JSON of the result.  The
 * CLI, the static site and later the web UI call these and nothing
 * between, so their numbers and JSON are the same.
 *
 * The result owns everything it holds (titles are copied): it outlives
 * the snapshot it was computed from.
 */
#ifndef CAIRN_GOAL_FORECAST_H
#define CAIRN_GOAL_FORECAST_H

#include <jansson.h>

#include "cairn/plan/forecast.h"
#include "cairn/plan/roadmap.h"

/* Working days a week when not told otherwise: Monday to Friday. */
#define CAIRN_DAYS_PER_WEEK 5
/* Rows of the histogram in the JSON (and the CLI's text). */
#define CAIRN_GOAL_FORECAST_BINS 16
/* Milestones listed as most often critical. */
#define CAIRN_GOAL_FORECAST_TOP 5

/*
 * What to forecast.  run holds the sampler's options (its history is
 * filled in here, from the snapshot); start NULL or "" means today;
 * share 0 means the focus setting's share for the goal
 * (cairn_roadmap_share); no_history leaves history scaling off.
 */
struct cairn_goal_forecast_opts {
	struct cairn_forecast_opts run;
	int days_per_week; /* 1..7 */
	const char *start; /* YYYY-MM-DD, NULL: today */
	double share;      /* (0, 1], 0: from the focus setting */
	int no_history;
};

/* The defaults, the only place they are written down: see forecast.h. */
#define CAIRN_GOAL_FORECAST_OPTS_INIT                                          \
	{                                                                      \
		CAIRN_FORECAST_OPTS_INIT, CAIRN_DAYS_PER_WEEK, NULL, 0, 0      \
	}

/* A plan node among the most often critical. */
struct cairn_goal_forecast_step {
	int64_t id;   /* item id; 0 for a required paper */
	char *paper;  /* the paper's citation key, or NULL */
	char *label;  /* cairn_roadmap_label */
	double index; /* share of successful trials it was critical in */
};

/*
 * One row of the histogram of finish dates: the successful trials whose
 * finish date is from `from` to `to`, both included, that is the
 * from_workdays-th to the to_workdays-th working day from the start
 * (cairn_workdays_span of their effort at the share).  Rows are whole
 * working days, contiguous and apart: the row a quantile's bucket goes
 * to holds that quantile's date.
 */
struct cairn_goal_forecast_row {
	long long from_workdays, to_workdays;
	char from[CAIRN_DATE_LEN], to[CAIRN_DATE_LEN];
	uint64_t count;
};

struct cairn_goal_forecast {
	int64_t goal;
	char *title;
	size_t remaining; /* plan nodes, required papers included */
	size_t papers;    /* of them, required papers */
	uint64_t trials, seed;
	int capacity, max_attempts, days_per_week;
	double share;
	char start[CAIRN_DATE_LEN];
	int no_history;
	size_t nhistory;         /* finished milestones with a ratio */
	double history_median;   /* of their actual / estimated, -1: none */
	double hours_per_day;    /* logged hours to the working day */
	struct cairn_forecast f; /* zero when remaining is 0 */
	struct cairn_goal_forecast_step critical[CAIRN_GOAL_FORECAST_TOP];
	size_t ncritical;
	int64_t *unestimated; /* items forecast with the default estimate */
	size_t nunestimated;
};

/*
 * Forecast goal from the whole store: load the snapshot and the focus
 * setting, then as cairn_goal_forecast_snapshot.  out is filled (release
 * it with cairn_goal_forecast_release, also after an error).  Errors:
 * CAIRN_EINVAL (a bad start date or option), CAIRN_ENOTFOUND (no such
 * goal), CAIRN_ECYCLE (named), CAIRN_EDB.
 */
int cairn_goal_forecast(struct cairn_store *st, int64_t goal,
                        const struct cairn_goal_forecast_opts *o,
                        struct cairn_goal_forecast *out, struct cairn_err *err);

/*
 * Forecast goal from snapshot rm (say, the public one) with focus setting
 * focus: the goal's remaining work (cairn_roadmap_plan), the history of
 * rm's finished milestones (cairn_roadmap_history), and the run.  A goal
 * with no remaining work is not an error: out->remaining is 0 and nothing
 * was run.
 */
int cairn_goal_forecast_snapshot(const struct cairn_roadmap *rm,
                                 const struct cairn_focus *focus, int64_t goal,
                                 const struct cairn_goal_forecast_opts *o,
                                 struct cairn_goal_forecast *out,
                                 struct cairn_err *err);

void cairn_goal_forecast_release(struct cairn_goal_forecast *fc);

/* The date a result of days of effort falls on ("-" for days < 0). */
void cairn_goal_forecast_date(const struct cairn_goal_forecast *fc, double days,
                              char out[CAIRN_DATE_LEN]);

/* The working days from the start to that date, the start counted when
 * it is a working day (days of effort / share, rounded up); -1 for
 * days < 0. */
long long cairn_goal_forecast_workdays(const struct cairn_goal_forecast *fc,
                                       double days);

/*
 * The successful trials' finish dates in at most nrows rows of a whole
 * number of working days each, from the earliest finish, into
 * rows[nrows]; returns the rows used (0 when nothing succeeded).
 */
size_t cairn_goal_forecast_rows(const struct cairn_goal_forecast *fc,
                                size_t nrows,
                                struct cairn_goal_forecast_row *rows);

/*
 * The result as one JSON object (a new reference): the goal, the options,
 * the history (used, count, median ratio, hours per day), the chance,
 * P50/P80/P95 dates with their days of effort (p50_days...) and working
 * days away (p50_workdays...), the histogram in
 * CAIRN_GOAL_FORECAST_BINS rows, the critical milestones and the ids
 * without estimates.  For a goal with no remaining work only goal, title
 * and remaining.
 */
json_t *cairn_goal_forecast_json(const struct cairn_goal_forecast *fc);

#endif
