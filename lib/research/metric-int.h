/*
 * metric-int.h: the batch variants of the metric commands, for importers
 * that write inside a transaction of their own (lib/fmt/md-metric.c).
 * They keep the rules of cairn_metric_add and cairn_metric_log
 * (cairn_metric_check, cairn_observation_check) and their SQL, in
 * metric.c.  Not installed.
 */
#ifndef CAIRN_METRIC_INT_H
#define CAIRN_METRIC_INT_H

#include "cairn/research/metric.h"
#include "store/store-int.h"

/* What metric_put did. */
enum metric_put { METRIC_SAME, METRIC_ADDED, METRIC_UPDATED };

/*
 * Make m (its item, name, unit, baseline, target, direction) the metric
 * of that name on m->item: added (created now), or its unit, baseline,
 * target and direction updated, or left as it is (always, with keep,
 * when there is one).  *id gets its id.
 */
int metric_put(struct cairn_store *st, const struct cairn_metric *m,
               const char *now, int keep, int64_t *id, enum metric_put *done,
               struct cairn_err *err);

/*
 * Observe value on day (checked by cairn_observation_check) for metric,
 * an item's; with once, not when the metric has that value on that day
 * already.  *added (may be NULL) is 1 when a row was written.
 */
int metric_observe(struct cairn_store *st, int64_t metric, int64_t item,
                   const char *day, double value, const char *source,
                   const char *note, const char *now, int once, int *added,
                   struct cairn_err *err);

#endif
