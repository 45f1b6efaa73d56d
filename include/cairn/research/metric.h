/*
 * metric.h: key results on items.  A metric has a baseline, a target and a
 * direction; observations (dated values with an optional source and note)
 * show how far the work has come.
 *
 * Progress is the share of the way from baseline to target, so it is right
 * in both directions: a cost going from 7000 to a target of 100 is 50.7 %
 * of the way there at 3500.  It is negative when a value is worse than the
 * baseline and above 100 past the target.
 */
#ifndef CAIRN_METRIC_H
#define CAIRN_METRIC_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"

/* One metric; strings owned by the struct (cairn_metric_release). */
struct cairn_metric {
	int64_t id;
	int64_t item;
	char *name;
	char *unit; /* "" when none */
	double baseline;
	double target;
	int lower_better;
	char created[CAIRN_TS_LEN];
	/* Filled by reads. */
	int count;      /* observations */
	int has_latest; /* count > 0 */
	double latest;  /* value of the latest observation by date */
	char latest_date[CAIRN_DATE_LEN];
};

/* One observation, valid only during the callback that receives it. */
struct cairn_observation {
	int64_t id;
	int64_t metric;
	const char *date; /* YYYY-MM-DD */
	double value;
	const char *source; /* NULL when none */
	const char *note;   /* NULL when none */
	const char *created;
};

void cairn_metric_init(struct cairn_metric *m);
void cairn_metric_release(struct cairn_metric *m);

/*
 * Percentage of the way from baseline to target that value has come:
 * (value - baseline) / (target - baseline) * 100.  baseline must differ
 * from target (0 is returned when they are equal).
 */
double cairn_metric_progress(double baseline, double target, double value);

/*
 * The rules every metric keeps, checked without a store: name 1-200
 * bytes, unit (may be NULL) at most 200, both without control
 * characters; baseline and target finite and different, and the target
 * in the metric's direction (below the baseline exactly when
 * lower_better).  CAIRN_EINVAL naming the metric.
 */
int cairn_metric_check(const char *name, const char *unit, double baseline,
                       double target, int lower_better, struct cairn_err *err);

/*
 * The rules every observation keeps, checked without a store: a finite
 * value, and a date (NULL: today) that is a real day and not in the
 * future, written into day.  CAIRN_EINVAL naming the metric.
 */
int cairn_observation_check(const char *metric, double value, const char *date,
                            char day[CAIRN_DATE_LEN], struct cairn_err *err);

/*
 * Add a metric called name to item.  unit may be NULL.  The target must
 * differ from the baseline and lie in the metric's direction (below the
 * baseline exactly when lower_better).  *id (may be NULL) gets the new id.
 * Errors: CAIRN_ENOTFOUND (item), CAIRN_EEXIST (the item has a metric of
 * that name), CAIRN_EINVAL.
 */
int cairn_metric_add(struct cairn_store *st, int64_t item, const char *name,
                     const char *unit, double baseline, double target,
                     int lower_better, int64_t *id, struct cairn_err *err);

/*
 * Record an observation of item's metric name.  date is YYYY-MM-DD (NULL:
 * today by the cairn clock) and may be out of order with earlier ones;
 * source and note may be NULL.  Errors: CAIRN_ENOTFOUND (no item, or no
 * such metric on it), CAIRN_EINVAL.
 */
int cairn_metric_log(struct cairn_store *st, int64_t item, const char *name,
                     double value, const char *date, const char *source,
                     const char *note, struct cairn_err *err);

/*
 * Read item's metric name into out (initialised by the call), with its
 * latest observation.  CAIRN_ENOTFOUND when either is missing.
 */
int cairn_metric_get(struct cairn_store *st, int64_t item, const char *name,
                     struct cairn_metric *out, struct cairn_err *err);

/* The fields cairn_metric_parse_field takes, NULL-terminated. */
extern const char *const cairn_metric_fields[];

/*
 * Parse one field's text form into m without touching a store: name,
 * unit ("" or "none" clears it), baseline, target (decimal numbers) and
 * direction ("lower" or "higher" is better).  Only the field is checked
 * here; cairn_metric_update checks the whole.  CAIRN_ENOTFOUND for an
 * unknown field, CAIRN_EINVAL for a bad value.
 */
int cairn_metric_parse_field(struct cairn_metric *m, const char *field,
                             const char *value, struct cairn_err *err);

/*
 * Write m's name, unit, baseline, target and direction over item's
 * metric name, in one change; its observations stay.  m must pass
 * cairn_metric_check.  Errors: CAIRN_ENOTFOUND (item or metric),
 * CAIRN_EEXIST (renamed to a name the item already has), CAIRN_EINVAL.
 */
int cairn_metric_update(struct cairn_store *st, int64_t item, const char *name,
                        const struct cairn_metric *m, struct cairn_err *err);

/*
 * Remove item's metric name with all its observations, in one change
 * (undo brings them back).  *observations (may be NULL) gets how many
 * went with it.  CAIRN_ENOTFOUND for an unknown item or metric.
 */
int cairn_metric_remove(struct cairn_store *st, int64_t item, const char *name,
                        int *observations, struct cairn_err *err);

typedef int (*cairn_metric_fn)(void *ctx, const struct cairn_metric *m);
typedef int (*cairn_observation_fn)(void *ctx,
                                    const struct cairn_observation *o);

/*
 * Stream metrics: of item (0: of every item, by item then id), only the one
 * called name when name is not NULL.  Errors: CAIRN_ENOTFOUND for an
 * unknown item or, with a name, when no metric matched.  A callback
 * returning non-zero stops the walk and that value is returned.
 */
int cairn_metric_each(struct cairn_store *st, int64_t item, const char *name,
                      cairn_metric_fn fn, void *ctx, struct cairn_err *err);

/* Stream a metric's observations in date order (then in logging order). */
int cairn_metric_observations(struct cairn_store *st, int64_t metric,
                              cairn_observation_fn fn, void *ctx,
                              struct cairn_err *err);

/*
 * The metric as JSON: id, item, name, unit, baseline, target, direction
 * ("lower" or "higher" is better), count, latest, latest_date, progress
 * (null without observations).  A new reference.
 */
json_t *cairn_metric_json(const struct cairn_metric *m);

#endif
