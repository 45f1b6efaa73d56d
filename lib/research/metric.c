/*
 * metric.c: metrics (key results) on items and their observations.
 *
 * Invariants: a metric's target differs from its baseline and lies in its
 * direction; names are unique per item.  An observation repeats its
 * metric's item so the journal files it under that item.  The latest value
 * is the one with the latest date (ties: the one logged last), whatever
 * order observations were logged in.
 *
 * Workload: a handful of metrics per goal and tens of observations each;
 * reads are one query per metric.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/research/metric.h"
#include "core/item-int.h"
#include "research/metric-int.h"
#include "research/research-int.h"
#include "banned.h"

#define METRIC_COLS                                                            \
	"m.id, m.item, m.name, m.unit, m.baseline, m.target, "                 \
	"m.lower_better, m.created, "                                          \
	"(SELECT count(*) FROM observation o WHERE o.metric = m.id), "         \
	"(SELECT o.value FROM observation o WHERE o.metric = m.id "            \
	" ORDER BY o.date DESC, o.id DESC LIMIT 1), "                          \
	"(SELECT o.date FROM observation o WHERE o.metric = m.id "             \
	" ORDER BY o.date DESC, o.id DESC LIMIT 1)"

void
cairn_metric_init(struct cairn_metric *m)
{
	memset(m, 0, sizeof(*m));
}

void
cairn_metric_release(struct cairn_metric *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->unit);
	cairn_metric_init(m);
}

double
cairn_metric_progress(double baseline, double target, double value)
{
	if (target == baseline)
		return 0;
	return (value - baseline) / (target - baseline) * 100.0;
}

static void
metric_from_row(sqlite3_stmt *s, struct cairn_metric *m)
{
	cairn_metric_release(m);
	m->id = sqlite3_column_int64(s, 0);
	m->item = sqlite3_column_int64(s, 1);
	m->name = xstrdup(store_col_text(s, 2));
	m->unit = xstrdup(store_col_text(s, 3));
	m->baseline = sqlite3_column_double(s, 4);
	m->target = sqlite3_column_double(s, 5);
	m->lower_better = sqlite3_column_int(s, 6);
	snprintf(m->created, sizeof(m->created), "%s", store_col_text(s, 7));
	m->count = sqlite3_column_int(s, 8);
	m->has_latest = sqlite3_column_type(s, 9) != SQLITE_NULL;
	m->latest = rs_col_double(s, 9, 0);
	snprintf(m->latest_date, sizeof(m->latest_date), "%s",
	         store_col_text(s, 10));
}

static int
check_name(const char *name, struct cairn_err *err)
{
	return rs_check_text("metric name", name, 1, RS_NAME_MAX, 0, err);
}

int
cairn_metric_check(const char *name, const char *unit, double baseline,
                   double target, int lower_better, struct cairn_err *err)
{
	int rc;

	if ((rc = check_name(name, err)) ||
	    (rc = rs_check_text("unit", unit, 0, RS_NAME_MAX, 0, err)))
		return rc;
	if (!isfinite(baseline) || !isfinite(target))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "metric '%s': baseline and target must be "
		                     "numbers",
		                     name);
	if (baseline == target)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "metric '%s': target %g equals the "
		                     "baseline, so there is no way to go",
		                     name, target);
	if (!lower_better && target < baseline)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "metric '%s': target %g is below baseline "
		                     "%g but the metric is not marked "
		                     "lower-is-better",
		                     name, target, baseline);
	if (lower_better && target > baseline)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "metric '%s': target %g is above baseline "
		                     "%g but the metric is marked "
		                     "lower-is-better",
		                     name, target, baseline);
	return 0;
}

int
cairn_observation_check(const char *metric, double value, const char *date,
                        char day[CAIRN_DATE_LEN], struct cairn_err *err)
{
	if (!isfinite(value))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "metric '%s': the value must be a number",
		                     metric);
	return rs_past_day(date, day, err);
}

/*
 * Insert metric name on item (checked), created now; *id its id, 0 when
 * the item has a metric of that name already.
 */
static int
metric_insert(struct cairn_store *st, int64_t item, const char *name,
              const char *unit, double baseline, double target,
              int lower_better, const char *now, int64_t *id,
              struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	*id = 0;
	if ((rc = store_prepare(
	             st, &stmt,
	             "INSERT INTO metric(item, name, unit, baseline, "
	             "target, lower_better, created) VALUES(?, ?, ?, "
	             "?, ?, ?, ?) ON CONFLICT DO NOTHING",
	             err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, item);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, unit ? unit : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(stmt, 4, baseline);
	sqlite3_bind_double(stmt, 5, target);
	sqlite3_bind_int(stmt, 6, lower_better ? 1 : 0);
	sqlite3_bind_text(stmt, 7, now, -1, SQLITE_TRANSIENT);
	if (!(rc = store_step(st, stmt, "add the metric", err)) &&
	    sqlite3_changes(st->db))
		*id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_metric_add(struct cairn_store *st, int64_t item, const char *name,
                 const char *unit, double baseline, double target,
                 int lower_better, int64_t *id, struct cairn_err *err)
{
	char now[CAIRN_TS_LEN];
	int64_t mid = 0;
	int rc;

	if ((rc = cairn_metric_check(name, unit, baseline, target, lower_better,
	                             err)))
		return rc;
	if ((rc = cairn_store_begin(st, "add metric", err)))
		return rc;
	if ((rc = item_exists(st, item, err)))
		goto out;
	cairn_now(now);
	if ((rc = metric_insert(st, item, name, unit, baseline, target,
	                        lower_better, now, &mid, err)))
		goto out;
	if (!mid) {
		rc = cairn_err_set(err, CAIRN_EEXIST,
		                   "#%lld already has a metric '%s'",
		                   (long long)item, name);
		goto out;
	}
	if (id)
		*id = mid;
out:
	return store_finish(st, rc, err);
}

int
metric_put(struct cairn_store *st, const struct cairn_metric *m,
           const char *now, int keep, int64_t *id, enum metric_put *done,
           struct cairn_err *err)
{
	const char *unit = m->unit ? m->unit : "";
	sqlite3_stmt *stmt;
	int rc, same = 0;

	*id = 0;
	*done = METRIC_SAME;
	if ((rc = cairn_metric_check(m->name, unit, m->baseline, m->target,
	                             m->lower_better, err)) ||
	    (rc = store_prepare(st, &stmt,
	                        "SELECT id, unit = ?3 AND baseline = ?4 AND "
	                        "target = ?5 AND lower_better = ?6 FROM "
	                        "metric WHERE item = ?1 AND name = ?2",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, m->item);
	sqlite3_bind_text(stmt, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, unit, -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 4, m->baseline);
	sqlite3_bind_double(stmt, 5, m->target);
	sqlite3_bind_int(stmt, 6, m->lower_better ? 1 : 0);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		same = sqlite3_column_int(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, err, "read the metrics");
	if (!*id) {
		*done = METRIC_ADDED;
		return metric_insert(st, m->item, m->name, unit, m->baseline,
		                     m->target, m->lower_better, now, id, err);
	}
	if (same || keep)
		return 0;
	*done = METRIC_UPDATED;
	if ((rc = store_prepare(st, &stmt,
	                        "UPDATE metric SET unit = ?, baseline = ?, "
	                        "target = ?, lower_better = ? WHERE id = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 2, m->baseline);
	sqlite3_bind_double(stmt, 3, m->target);
	sqlite3_bind_int(stmt, 4, m->lower_better ? 1 : 0);
	sqlite3_bind_int64(stmt, 5, *id);
	rc = store_step(st, stmt, "update the metric", err);
	sqlite3_finalize(stmt);
	return rc;
}

int
metric_observe(struct cairn_store *st, int64_t metric, int64_t item,
               const char *day, double value, const char *source,
               const char *note, const char *now, int once, int *added,
               struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO observation(metric, item, date, "
	                        "value, source, note, created) SELECT ?1, ?2, "
	                        "?3, ?4, ?5, ?6, ?7 WHERE NOT ?8 OR NOT "
	                        "EXISTS (SELECT 1 FROM observation WHERE "
	                        "metric = ?1 AND date = ?3 AND value = ?4)",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, metric);
	sqlite3_bind_int64(stmt, 2, item);
	sqlite3_bind_text(stmt, 3, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(stmt, 4, value);
	store_bind_text_or_null(stmt, 5, source);
	store_bind_text_or_null(stmt, 6, note);
	sqlite3_bind_text(stmt, 7, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 8, once);
	if (!(rc = store_step(st, stmt, "log the metric", err)) && added)
		*added = sqlite3_changes(st->db) > 0;
	sqlite3_finalize(stmt);
	return rc;
}

/* The id of item's metric name, or CAIRN_ENOTFOUND naming both. */
static int
metric_id(struct cairn_store *st, int64_t item, const char *name, int64_t *id,
          struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = item_exists(st, item, err)))
		return rc;
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id FROM metric WHERE item = ? AND "
	                        "name = ?",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, item);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "#%lld has no metric '%s'", (long long)item,
		                   name);
	} else {
		rc = store_sqlerr(st, err, "read the metrics");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_metric_log(struct cairn_store *st, int64_t item, const char *name,
                 double value, const char *date, const char *source,
                 const char *note, struct cairn_err *err)
{
	char day[CAIRN_DATE_LEN], now[CAIRN_TS_LEN];
	int64_t mid = 0;
	int rc;

	if ((rc = check_name(name, err)) ||
	    (rc = rs_check_text("source", source, 0, 2048, 0, err)) ||
	    (rc = rs_check_text("note", note, 0, RS_TEXT_MAX, 1, err)) ||
	    (rc = cairn_observation_check(name, value, date, day, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "log metric", err)))
		return rc;
	if ((rc = metric_id(st, item, name, &mid, err)))
		goto out;
	cairn_now(now);
	rc = metric_observe(st, mid, item, day, value, source, note, now, 0,
	                    NULL, err);
out:
	return store_finish(st, rc, err);
}

const char *const cairn_metric_fields[] = {"name",   "unit",      "baseline",
                                           "target", "direction", NULL};

int
cairn_metric_parse_field(struct cairn_metric *m, const char *field,
                         const char *value, struct cairn_err *err)
{
	double v;

	if (!strcmp(field, "name") || !strcmp(field, "unit")) {
		int name = field[0] == 'n';
		int none = !name && (!*value || !strcmp(value, "none"));
		int rc = name ? check_name(value, err)
		              : rs_check_text("unit", value, 0, RS_NAME_MAX, 0,
		                              err);

		if (rc)
			return rc;
		free(name ? m->name : m->unit);
		*(name ? &m->name : &m->unit) = xstrdup(none ? "" : value);
		return 0;
	}
	if (!strcmp(field, "baseline") || !strcmp(field, "target")) {
		if (rs_parse_double(value, &v))
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "%s '%s' is not a number", field,
			                     value);
		*(field[0] == 'b' ? &m->baseline : &m->target) = v;
		return 0;
	}
	if (!strcmp(field, "direction")) {
		if (strcmp(value, "lower") && strcmp(value, "higher"))
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "direction '%s' must be lower or "
			                     "higher (which is better)",
			                     value);
		m->lower_better = value[0] == 'l';
		return 0;
	}
	return cairn_err_set(err, CAIRN_ENOTFOUND,
	                     "unknown metric field '%s' (fields: name, unit, "
	                     "baseline, target, direction)",
	                     field);
}

int
cairn_metric_update(struct cairn_store *st, int64_t item, const char *name,
                    const struct cairn_metric *m, struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int64_t id;
	int rc;

	if ((rc = cairn_metric_check(m->name, m->unit, m->baseline, m->target,
	                             m->lower_better, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "set metric", err)))
		return rc;
	if ((rc = metric_id(st, item, name, &id, err)))
		goto out;
	if (strcmp(m->name, name) &&
	    !metric_id(st, item, m->name, &(int64_t){0}, NULL)) {
		rc = cairn_err_set(err, CAIRN_EEXIST,
		                   "#%lld already has a metric '%s'",
		                   (long long)item, m->name);
		goto out;
	}
	if ((rc = store_prepare(
	             st, &stmt,
	             "UPDATE metric SET name = ?1, unit = ?2, baseline = ?3, "
	             "target = ?4, lower_better = ?5 WHERE id = ?6 AND "
	             "(name, unit, baseline, target, lower_better) IS NOT "
	             "(?1, ?2, ?3, ?4, ?5)",
	             err)))
		goto out;
	sqlite3_bind_text(stmt, 1, m->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, m->unit ? m->unit : "", -1,
	                  SQLITE_TRANSIENT);
	sqlite3_bind_double(stmt, 3, m->baseline);
	sqlite3_bind_double(stmt, 4, m->target);
	sqlite3_bind_int(stmt, 5, m->lower_better ? 1 : 0);
	sqlite3_bind_int64(stmt, 6, id);
	rc = store_step(st, stmt, "update the metric", err);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

int
cairn_metric_remove(struct cairn_store *st, int64_t item, const char *name,
                    int *observations, struct cairn_err *err)
{
	static const char *const sql[] = {
	        "DELETE FROM observation WHERE metric = ?",
	        "DELETE FROM metric WHERE id = ?",
	};
	sqlite3_stmt *stmt;
	int64_t id;
	int rc;

	if ((rc = cairn_store_begin(st, "remove metric", err)))
		return rc;
	if ((rc = metric_id(st, item, name, &id, err)))
		goto out;
	/* Observations first, each a journalled row of its own. */
	for (int i = 0; i < 2; i++) {
		if ((rc = store_prepare(st, &stmt, sql[i], err)))
			goto out;
		sqlite3_bind_int64(stmt, 1, id);
		rc = store_step(st, stmt, "remove the metric", err);
		sqlite3_finalize(stmt);
		if (rc)
			goto out;
		if (!i && observations)
			*observations = sqlite3_changes(st->db);
	}
out:
	return store_finish(st, rc, err);
}

int
cairn_metric_get(struct cairn_store *st, int64_t item, const char *name,
                 struct cairn_metric *out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int64_t id;
	int rc;

	cairn_metric_init(out);
	if ((rc = metric_id(st, item, name, &id, err)))
		return rc;
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT " METRIC_COLS " FROM metric m "
	                        "WHERE m.id = ?",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		metric_from_row(stmt, out);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the metric");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_metric_each(struct cairn_store *st, int64_t item, const char *name,
                  cairn_metric_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_metric m;
	sqlite3_stmt *stmt;
	int n = 0, rc;

	if (item && (rc = item_exists(st, item, err)))
		return rc;
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT " METRIC_COLS " FROM metric m "
	                        "WHERE (?1 = 0 OR m.item = ?1) "
	                        "AND (?2 IS NULL OR m.name = ?2) "
	                        "ORDER BY m.item, m.id",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, item);
	store_bind_text_or_null(stmt, 2, name);
	cairn_metric_init(&m);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		metric_from_row(stmt, &m);
		n++;
		if ((rc = fn(ctx, &m)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the metrics");
	if (!rc && name && !n) {
		if (item)
			rc = cairn_err_set(err, CAIRN_ENOTFOUND,
			                   "#%lld has no metric '%s'",
			                   (long long)item, name);
		else
			rc = cairn_err_set(err, CAIRN_ENOTFOUND,
			                   "no metric '%s'", name);
	}
out:
	cairn_metric_release(&m);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_metric_observations(struct cairn_store *st, int64_t metric,
                          cairn_observation_fn fn, void *ctx,
                          struct cairn_err *err)
{
	struct cairn_observation o;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id, metric, date, value, source, note, "
	                        "created FROM observation WHERE metric = ? "
	                        "ORDER BY date, id",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, metric);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		o.id = sqlite3_column_int64(stmt, 0);
		o.metric = sqlite3_column_int64(stmt, 1);
		o.date = store_col_text(stmt, 2);
		o.value = sqlite3_column_double(stmt, 3);
		o.source = (const char *)sqlite3_column_text(stmt, 4);
		o.note = (const char *)sqlite3_column_text(stmt, 5);
		o.created = store_col_text(stmt, 6);
		if ((rc = fn(ctx, &o)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0
	                       : store_sqlerr(st, err, "read the observations");
out:
	sqlite3_finalize(stmt);
	return rc;
}

json_t *
cairn_metric_json(const struct cairn_metric *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "item", json_integer(m->item));
	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "unit",
	                    m->unit && *m->unit ? json_string(m->unit)
	                                        : json_null());
	json_object_set_new(o, "baseline", json_real(m->baseline));
	json_object_set_new(o, "target", json_real(m->target));
	json_object_set_new(o, "direction",
	                    json_string(m->lower_better ? "lower" : "higher"));
	json_object_set_new(o, "count", json_integer(m->count));
	json_object_set_new(o, "latest",
	                    m->has_latest ? json_real(m->latest) : json_null());
	json_object_set_new(o, "latest_date",
	                    m->has_latest ? json_string(m->latest_date)
	                                  : json_null());
	json_object_set_new(
	        o, "progress",
	        m->has_latest ? json_real(cairn_metric_progress(
	                                m->baseline, m->target, m->latest))
	                      : json_null());
	json_object_set_new(o, "created", json_string(m->created));
	return o;
}
