/*
 * predict.c: predictions, resolving them, and calibration scores.
 *
 * Invariants: p lies in 0-1; a prediction is resolved at most once
 * (outcome and resolved date are set together, never changed by
 * cairn_prediction_resolve again); p, due, who and statement change only
 * while a prediction is open; scores use only resolved predictions.
 *
 * Workload: tens to hundreds of predictions; calibration streams them.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/research/predict.h"
#include "core/item-int.h"
#include "research/research-int.h"
#include "banned.h"

#define PRED_COLS                                                              \
	"id, item, who, statement, p, created, due, outcome, resolved, why"
/* Floor on the probability given to what happened, for the log score. */
#define LOG_FLOOR 0.001

void
cairn_prediction_init(struct cairn_prediction *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->outcome = -1;
	pr->p = -1;
}

void
cairn_prediction_release(struct cairn_prediction *pr)
{
	if (!pr)
		return;
	free(pr->who);
	free(pr->statement);
	free(pr->why);
	cairn_prediction_init(pr);
}

static void
pred_from_row(sqlite3_stmt *s, struct cairn_prediction *pr)
{
	cairn_prediction_release(pr);
	pr->id = sqlite3_column_int64(s, 0);
	pr->item = sqlite3_column_int64(s, 1);
	pr->who = xstrdup_or_null((const char *)sqlite3_column_text(s, 2));
	pr->statement = xstrdup(store_col_text(s, 3));
	pr->p = sqlite3_column_double(s, 4);
	snprintf(pr->created, sizeof(pr->created), "%s", store_col_text(s, 5));
	snprintf(pr->due, sizeof(pr->due), "%s", store_col_text(s, 6));
	pr->outcome = sqlite3_column_type(s, 7) == SQLITE_NULL
	                      ? -1
	                      : sqlite3_column_int(s, 7);
	snprintf(pr->resolved, sizeof(pr->resolved), "%s",
	         store_col_text(s, 8));
	pr->why = xstrdup_or_null((const char *)sqlite3_column_text(s, 9));
}

int
cairn_prediction_id_parse(const char *s, int64_t *id, struct cairn_err *err)
{
	const char *p = s;
	char *end;
	long long v;

	if (p && (*p == 'P' || *p == 'p'))
		p++;
	if (!p || !isdigit((unsigned char)*p))
		goto bad;
	v = strtoll(p, &end, 10);
	if (*end || v <= 0)
		goto bad;
	*id = v;
	return 0;
bad:
	return cairn_err_set(err, CAIRN_EINVAL,
	                     "malformed prediction id '%s' (want a number "
	                     "like 3 or P3)",
	                     s ? s : "");
}

int
cairn_probability_parse(const char *s, double *p, struct cairn_err *err)
{
	struct buf b = BUF_INIT;
	double v;
	int pct = 0, bad;

	if (s && *s && s[strlen(s) - 1] == '%') {
		buf_add(&b, s, strlen(s) - 1);
		pct = 1;
	} else {
		buf_adds(&b, s ? s : "");
	}
	bad = rs_parse_double(b.buf, &v);
	buf_release(&b);
	if (!bad && pct)
		v /= 100;
	if (bad || v < 0 || v > 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "probability '%s' must be between 0 and 1 "
		                     "(or 0%% and 100%%)",
		                     s ? s : "");
	*p = v;
	return 0;
}

/* The rules of add and update: p in 0-1, a statement, who and due
 * well-formed (due normalised into due). */
static int
check_prediction(const struct cairn_prediction *pr, char due[CAIRN_DATE_LEN],
                 struct cairn_err *err)
{
	int rc;

	if (!(pr->p >= 0 && pr->p <= 1))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "probability %g must be between 0 and 1",
		                     pr->p);
	if ((rc = rs_check_text("statement", pr->statement, 1, RS_TEXT_MAX, 1,
	                        err)) ||
	    (rc = rs_check_text("who", pr->who, 0, RS_NAME_MAX, 0, err)))
		return rc;
	due[0] = '\0';
	if (pr->due[0] && (rc = cairn_date_parse(pr->due, due, err)))
		return rc;
	return 0;
}

int
cairn_prediction_add(struct cairn_store *st, struct cairn_prediction *pr,
                     struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char due[CAIRN_DATE_LEN] = "";
	int rc;

	if ((rc = check_prediction(pr, due, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "add prediction", err)))
		return rc;
	if (pr->item && (rc = item_exists(st, pr->item, err)))
		goto out;
	cairn_now(pr->created);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO prediction(item, who, statement, "
	                        "p, created, due) VALUES(?, ?, ?, ?, ?, ?)",
	                        err)))
		goto out;
	if (pr->item)
		sqlite3_bind_int64(stmt, 1, pr->item);
	store_bind_text_or_null(stmt, 2, pr->who);
	sqlite3_bind_text(stmt, 3, pr->statement, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(stmt, 4, pr->p);
	sqlite3_bind_text(stmt, 5, pr->created, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(stmt, 6, due);
	if ((rc = store_step(st, stmt, "add the prediction", err)))
		goto out;
	pr->id = sqlite3_last_insert_rowid(st->db);
	memcpy(pr->due, due, sizeof(due));
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

int
cairn_prediction_get(struct cairn_store *st, int64_t id,
                     struct cairn_prediction *out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	cairn_prediction_init(out);
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT " PRED_COLS " FROM prediction "
	                        "WHERE id = ?",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		pred_from_row(stmt, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "no prediction P%lld",
		                   (long long)id);
	} else {
		rc = store_sqlerr(st, err, "read the predictions");
	}
	sqlite3_finalize(stmt);
	return rc;
}

const char *const cairn_prediction_fields[] = {"p", "due", "who", "statement",
                                               NULL};

int
cairn_prediction_parse_field(struct cairn_prediction *pr, const char *field,
                             const char *value, struct cairn_err *err)
{
	int none = !*value || !strcmp(value, "none"), rc;

	if (!strcmp(field, "p"))
		return cairn_probability_parse(value, &pr->p, err);
	if (!strcmp(field, "due")) {
		if (none)
			pr->due[0] = '\0';
		else
			return cairn_date_parse(value, pr->due, err);
		return 0;
	}
	if (!strcmp(field, "who")) {
		if ((rc = rs_check_text("who", value, 0, RS_NAME_MAX, 0, err)))
			return rc;
		free(pr->who);
		pr->who = none ? NULL : xstrdup(value);
		return 0;
	}
	if (!strcmp(field, "statement")) {
		if ((rc = rs_check_text("statement", value, 1, RS_TEXT_MAX, 1,
		                        err)))
			return rc;
		free(pr->statement);
		pr->statement = xstrdup(value);
		return 0;
	}
	return cairn_err_set(err, CAIRN_ENOTFOUND,
	                     "unknown prediction field '%s' (fields: p, due, "
	                     "who, statement)",
	                     field);
}

int
cairn_prediction_update(struct cairn_store *st,
                        const struct cairn_prediction *pr,
                        struct cairn_err *err)
{
	struct cairn_prediction now;
	sqlite3_stmt *stmt = NULL;
	char due[CAIRN_DATE_LEN];
	int rc;

	cairn_prediction_init(&now);
	if ((rc = check_prediction(pr, due, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "set prediction", err)))
		return rc;
	if ((rc = cairn_prediction_get(st, pr->id, &now, err)))
		goto out;
	/* What was said before the answer came is what gets scored. */
	if (now.outcome >= 0) {
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "prediction P%lld is already resolved (%s "
		                   "on %s): it can no longer change",
		                   (long long)pr->id,
		                   now.outcome ? "yes" : "no", now.resolved);
		goto out;
	}
	if ((rc = store_prepare(
	             st, &stmt,
	             "UPDATE prediction SET p = ?1, due = ?2, who = ?3, "
	             "statement = ?4 WHERE id = ?5 AND outcome IS NULL AND "
	             "(p, due, who, statement) IS NOT (?1, ?2, ?3, ?4)",
	             err)))
		goto out;
	sqlite3_bind_double(stmt, 1, pr->p);
	store_bind_text_or_null(stmt, 2, due[0] ? due : NULL);
	store_bind_text_or_null(stmt, 3, pr->who);
	sqlite3_bind_text(stmt, 4, pr->statement, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 5, pr->id);
	rc = store_step(st, stmt, "update the prediction", err);
out:
	sqlite3_finalize(stmt);
	cairn_prediction_release(&now);
	return store_finish(st, rc, err);
}

int
cairn_prediction_mentor(const struct cairn_prediction *pr)
{
	return pr->who && pr->who[0] == '@';
}

static int
resolve(struct cairn_store *st, int64_t id, int outcome, const char *date,
        const char *why, int answer, struct cairn_err *err)
{
	struct cairn_prediction pr;
	sqlite3_stmt *stmt = NULL;
	char day[CAIRN_DATE_LEN];
	int rc;

	cairn_prediction_init(&pr);
	if (outcome != 0 && outcome != 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "an outcome is yes or no");
	if ((rc = rs_check_text("reason", why, 0, RS_TEXT_MAX, 1, err)))
		return rc;
	if ((rc = rs_past_day(date, day, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "resolve prediction", err)))
		return rc;
	if ((rc = cairn_prediction_get(st, id, &pr, err)))
		goto out;
	if (pr.outcome >= 0) {
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "prediction P%lld is already resolved (%s "
		                   "on %s)",
		                   (long long)id, pr.outcome ? "yes" : "no",
		                   pr.resolved);
		goto out;
	}
	if (cairn_prediction_mentor(&pr) && !answer) {
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "prediction P%lld is put to %s on the hub: "
		                   "their answer resolves it (cairn sync)",
		                   (long long)id, pr.who);
		goto out;
	}
	if (strncmp(day, pr.created, 10) < 0) {
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "resolution date '%s' is before prediction "
		                   "P%lld was made (%.10s)",
		                   day, (long long)id, pr.created);
		goto out;
	}
	if ((rc = store_prepare(st, &stmt,
	                        "UPDATE prediction SET outcome = ?, "
	                        "resolved = ?, why = ? WHERE id = ? "
	                        "AND outcome IS NULL",
	                        err)))
		goto out;
	sqlite3_bind_int(stmt, 1, outcome);
	sqlite3_bind_text(stmt, 2, day, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(stmt, 3, why);
	sqlite3_bind_int64(stmt, 4, id);
	rc = store_step(st, stmt, "resolve the prediction", err);
out:
	sqlite3_finalize(stmt);
	cairn_prediction_release(&pr);
	return store_finish(st, rc, err);
}

int
cairn_prediction_resolve(struct cairn_store *st, int64_t id, int outcome,
                         const char *date, const char *why,
                         struct cairn_err *err)
{
	return resolve(st, id, outcome, date, why, 0, err);
}

int
cairn_prediction_answer(struct cairn_store *st, int64_t id, int outcome,
                        const char *why, struct cairn_err *err)
{
	return resolve(st, id, outcome, NULL, why, 1, err);
}

int
cairn_prediction_each(struct cairn_store *st,
                      const struct cairn_prediction_query *q,
                      cairn_prediction_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_prediction pr;
	char today[CAIRN_DATE_LEN];
	sqlite3_stmt *stmt;
	int rc;

	rs_today(today);
	if ((rc = store_prepare(
	             st, &stmt,
	             "SELECT " PRED_COLS " FROM prediction WHERE "
	             "(?1 = 0 OR outcome IS NULL) "
	             "AND (?2 = 0 OR outcome IS NOT NULL) "
	             "AND (?3 = 0 OR (outcome IS NULL AND due < ?4)) "
	             "AND (?5 IS NULL OR lower(who) = lower(?5)) "
	             "AND (?6 IS NULL OR item IN "
	             "(SELECT item FROM tag WHERE name = ?6)) "
	             "AND (?7 = 0 OR (?7 = 1) = (who IS NULL OR "
	             "substr(who, 1, 1) <> '@')) ORDER BY id",
	             err)))
		return rc;
	sqlite3_bind_int(stmt, 1, q->open);
	sqlite3_bind_int(stmt, 2, q->resolved);
	sqlite3_bind_int(stmt, 3, q->overdue);
	sqlite3_bind_text(stmt, 4, today, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(stmt, 5, q->who);
	store_bind_text_or_null(stmt, 6, q->tag);
	sqlite3_bind_int(stmt, 7, q->resolver);
	cairn_prediction_init(&pr);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		pred_from_row(stmt, &pr);
		if ((rc = fn(ctx, &pr)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0
	                       : store_sqlerr(st, err, "read the predictions");
out:
	cairn_prediction_release(&pr);
	sqlite3_finalize(stmt);
	return rc;
}

void
cairn_calibration_init(struct cairn_calibration *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < CAIRN_CALIBRATION_BINS; i++) {
		c->bins[i].lo = (double)i / CAIRN_CALIBRATION_BINS;
		c->bins[i].hi = (double)(i + 1) / CAIRN_CALIBRATION_BINS;
	}
}

void
cairn_calibration_add(struct cairn_calibration *c, double p, int outcome,
                      int early)
{
	double hit = outcome ? p : 1 - p;
	int b = (int)floor(p * CAIRN_CALIBRATION_BINS + 1e-9);

	if (b >= CAIRN_CALIBRATION_BINS)
		b = CAIRN_CALIBRATION_BINS - 1;
	if (b < 0)
		b = 0;
	c->count++;
	c->yes += outcome ? 1 : 0;
	c->early += early ? 1 : 0;
	c->sum_sq += (p - outcome) * (p - outcome);
	c->sum_log += log(hit < LOG_FLOOR ? LOG_FLOOR : hit);
	c->bins[b].count++;
	c->bins[b].yes += outcome ? 1 : 0;
	c->bins[b].sum_p += p;
}

void
cairn_calibration_finish(struct cairn_calibration *c)
{
	c->brier = c->count ? c->sum_sq / c->count : 0;
	c->log_score = c->count ? c->sum_log / c->count : 0;
}

static int
calibrate_one(void *ctx, const struct cairn_prediction *pr)
{
	int early = pr->due[0] && strcmp(pr->resolved, pr->due) < 0;

	cairn_calibration_add(ctx, pr->p, pr->outcome, early);
	return 0;
}

/*
 * 0 when some prediction, open or resolved, is about who (the same
 * case-insensitive match as the listing), else CAIRN_ENOTFOUND naming
 * the people the predictions are about.
 */
static int
who_known(struct cairn_store *st, const char *who, struct cairn_err *err)
{
	struct buf names = BUF_INIT;
	sqlite3_stmt *stmt;
	int rc, found = 0, n = 0;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT min(who), max(lower(who) = lower(?)) "
	                        "FROM prediction WHERE who IS NOT NULL "
	                        "GROUP BY lower(who) ORDER BY lower(who)",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, who, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		found |= sqlite3_column_int(stmt, 1);
		buf_addf(&names, "%s%s", n++ ? ", " : "",
		         store_col_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		rc = store_sqlerr(st, err, "read the predictions");
	else if (found)
		rc = 0;
	else if (n)
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no predictions about '%s'; they are about "
		                   "%s",
		                   who, names.buf);
	else
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no predictions about '%s'; none names "
		                   "anyone yet (predict --who NAME)",
		                   who);
	buf_release(&names);
	return rc;
}

int
cairn_calibration_compute(struct cairn_store *st,
                          const struct cairn_prediction_query *q,
                          struct cairn_calibration *out, struct cairn_err *err)
{
	struct cairn_prediction_query r = *q;
	int rc;

	cairn_calibration_init(out);
	if (q->who && (rc = who_known(st, q->who, err)))
		return rc;
	r.open = r.overdue = 0;
	r.resolved = 1;
	rc = cairn_prediction_each(st, &r, calibrate_one, out, err);
	cairn_calibration_finish(out);
	return rc;
}

json_t *
cairn_prediction_json(const struct cairn_prediction *pr)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(pr->id));
	json_object_set_new(o, "item",
	                    pr->item ? json_integer(pr->item) : json_null());
	json_object_set_new(o, "who",
	                    pr->who ? json_string(pr->who) : json_null());
	json_object_set_new(o, "statement", json_string(pr->statement));
	json_object_set_new(o, "p", json_real(pr->p));
	json_object_set_new(o, "created", json_string(pr->created));
	json_object_set_new(o, "due",
	                    pr->due[0] ? json_string(pr->due) : json_null());
	json_object_set_new(o, "outcome",
	                    pr->outcome < 0 ? json_null()
	                                    : json_boolean(pr->outcome));
	json_object_set_new(o, "resolved",
	                    pr->resolved[0] ? json_string(pr->resolved)
	                                    : json_null());
	json_object_set_new(o, "why",
	                    pr->why ? json_string(pr->why) : json_null());
	return o;
}

json_t *
cairn_calibration_json(const struct cairn_calibration *c)
{
	json_t *o = json_object(), *bins = json_array();

	json_object_set_new(o, "count", json_integer(c->count));
	json_object_set_new(o, "yes", json_integer(c->yes));
	json_object_set_new(o, "early", json_integer(c->early));
	json_object_set_new(o, "brier",
	                    c->count ? json_real(c->brier) : json_null());
	json_object_set_new(o, "log_score",
	                    c->count ? json_real(c->log_score) : json_null());
	for (int i = 0; i < CAIRN_CALIBRATION_BINS; i++) {
		const struct cairn_calibration_bin *b = &c->bins[i];
		json_t *j;

		if (!b->count)
			continue;
		j = json_object();
		json_object_set_new(j, "lo", json_real(b->lo));
		json_object_set_new(j, "hi", json_real(b->hi));
		json_object_set_new(j, "count", json_integer(b->count));
		json_object_set_new(j, "yes", json_integer(b->yes));
		json_object_set_new(j, "mean_p",
		                    json_real(b->sum_p / b->count));
		json_object_set_new(j, "observed",
		                    json_real((double)b->yes / b->count));
		json_array_append_new(bins, j);
	}
	json_object_set_new(o, "bins", bins);
	return o;
}
