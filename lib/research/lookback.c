/*
 * lookback.c: a period's story, rebuilt from the journal (see lookback.h).
 *
 * Invariants: nothing here reads the live tables.  Every fact comes from
 * the rows as they stood at the period's start and end, each row being
 * the after-image of its last event whose change is dated before that
 * moment (a delete leaves no row).  Change times only grow as changes are
 * added, so rows as of a past moment never change afterwards.  All reads
 * run in one read transaction, so a writer cannot slip in between.
 *
 * Workload: one pass over the events of each table the report uses (the
 * event_entity index groups them); rows are held as JSON in memory.
 * Linear in the journal's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/order.h"
#include "cairn/research/lookback.h"
#include "cairn/research/metric.h"
#include "cairn/research/predict.h"
#include "research/research-int.h"
#include "banned.h"

/* Rows of one table as of a moment, sorted by id. */
struct rows {
	int64_t *id;
	json_t **img;
	size_t n, alloc;
};

static void
rows_release(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		json_decref(r->img[i]);
	free(r->id);
	free(r->img);
	memset(r, 0, sizeof(*r));
}

/*
 * Load the rows of entity as they stood just before moment (NULL: as they
 * stand after the last change; "": before anything, so none).
 */
static int
rows_load(struct cairn_store *st, const char *entity, const char *moment,
          struct rows *out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (moment && !*moment)
		return 0;
	if ((rc = store_prepare(
	             st, &stmt,
	             "SELECT e.entity_id, e.after FROM event e JOIN "
	             "(SELECT e2.entity_id AS eid, max(e2.id) AS last "
	             "FROM event e2 JOIN change c2 ON c2.id = e2.change "
	             "WHERE e2.entity = ?1 AND (?2 IS NULL OR c2.time < ?2) "
	             "GROUP BY e2.entity_id) l ON e.id = l.last "
	             "WHERE e.after IS NOT NULL ORDER BY e.entity_id",
	             err)))
		return rc;
	sqlite3_bind_text(stmt, 1, entity, -1, SQLITE_STATIC);
	store_bind_text_or_null(stmt, 2, moment);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *img = json_loads(store_col_text(stmt, 1), 0, NULL);

		if (!img)
			continue;
		if (out->n == out->alloc) {
			out->alloc = out->alloc ? 2 * out->alloc : 64;
			out->id = xrealloc(out->id,
			                   out->alloc * sizeof(*out->id));
			out->img = xrealloc(out->img,
			                    out->alloc * sizeof(*out->img));
		}
		out->id[out->n] = sqlite3_column_int64(stmt, 0);
		out->img[out->n++] = img;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the journal");
	sqlite3_finalize(stmt);
	return rc;
}

static json_t *
rows_find(const struct rows *r, int64_t id)
{
	long k = cairn_id_find(r->id, r->n, sizeof(*r->id), 0, id);

	return k < 0 ? NULL : r->img[k];
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static char *
dup_or_null(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? xstrdup(s) : NULL;
}

static int64_t
integer(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static double
number(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static int
is_null(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return !v || json_is_null(v);
}

/* Grow an array of n elements of size sz by one; returns the new slot. */
static void *
push(void *arr, int *n, size_t sz)
{
	char *a = xrealloc(arr, (size_t)(*n + 1) * sz);

	memset(a + (size_t)*n * sz, 0, sz);
	(*n)++;
	return a;
}

static void
add_item(struct cairn_lb_item **arr, int *n, int64_t id, json_t *img,
         const char *when, int with_why)
{
	struct cairn_lb_item *it;

	*arr = push(*arr, n, sizeof(**arr));
	it = &(*arr)[*n - 1];
	it->id = id;
	it->kind = xstrdup(str(img, "kind"));
	it->title = xstrdup(str(img, "title"));
	snprintf(it->when, sizeof(it->when), "%s", when ? when : "");
	it->why = with_why ? dup_or_null(img, "why") : NULL;
}

/* qsort, but not on an empty (possibly NULL) array. */
static void
sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

static int
cmp_item(const void *a, const void *b)
{
	const struct cairn_lb_item *x = a, *y = b;
	int c = strcmp(x->when, y->when);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void
items(struct cairn_lookback *lb, const struct rows *s, const struct rows *u)
{
	for (size_t i = 0; i < u->n; i++) {
		json_t *now = u->img[i], *then = rows_find(s, u->id[i]);
		const char *status = str(now, "status");
		const char *was = then ? str(then, "status") : "";

		if (!strcmp(status, "done") && strcmp(was, "done"))
			add_item(&lb->finished, &lb->nfinished, u->id[i], now,
			         str(now, "finished"), 0);
		if (!strcmp(status, "dropped") && strcmp(was, "dropped"))
			add_item(&lb->dropped, &lb->ndropped, u->id[i], now,
			         str(now, "finished"), 1);
		if (!is_null(now, "started") &&
		    (!then || is_null(then, "started")))
			add_item(&lb->started, &lb->nstarted, u->id[i], now,
			         str(now, "started"), 0);
	}
	sort(lb->finished, (size_t)lb->nfinished, sizeof(*lb->finished),
	     cmp_item);
	sort(lb->dropped, (size_t)lb->ndropped, sizeof(*lb->dropped), cmp_item);
	sort(lb->started, (size_t)lb->nstarted, sizeof(*lb->started), cmp_item);
}

/* The latest statement of item among rows (by created, then id), and the
 * first one. */
static void
statement_ends(const struct rows *r, int64_t item, json_t **first,
               json_t **last)
{
	*first = *last = NULL;
	for (size_t i = 0; i < r->n; i++) {
		json_t *s = r->img[i];

		if (integer(s, "item") != item)
			continue;
		if (!*first ||
		    strcmp(str(s, "created"), str(*first, "created")) < 0)
			*first = s;
		if (!*last ||
		    strcmp(str(s, "created"), str(*last, "created")) >= 0)
			*last = s;
	}
}

static int
kind_rank(const char *kind)
{
	return !strcmp(kind, "goal")        ? 0
	       : !strcmp(kind, "milestone") ? 1
	       : !strcmp(kind, "question")  ? 2
	                                    : 3;
}

static int
cmp_statement(const void *a, const void *b)
{
	const struct cairn_lb_statement *x = a, *y = b;
	int c = kind_rank(x->kind) - kind_rank(y->kind);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void
statements(struct cairn_lookback *lb, const struct rows *items_s,
           const struct rows *items_u, const struct rows *s,
           const struct rows *u)
{
	for (size_t i = 0; i < items_u->n; i++) {
		int64_t id = items_u->id[i];
		json_t *first_u, *last_u, *first_s, *last_s, *old;
		struct cairn_lb_statement *x;

		statement_ends(u, id, &first_u, &last_u);
		if (!last_u)
			continue;
		statement_ends(s, id, &first_s, &last_s);
		/* Created in the period: its first statement is the old
		 * one. */
		old = rows_find(items_s, id) ? last_s : first_u;
		if (!old || !strcmp(str(old, "text"), str(last_u, "text")))
			continue;
		lb->statements = push(lb->statements, &lb->nstatements,
		                      sizeof(*lb->statements));
		x = &lb->statements[lb->nstatements - 1];
		x->id = id;
		x->kind = xstrdup(str(items_u->img[i], "kind"));
		x->old_text = xstrdup(str(old, "text"));
		x->new_text = xstrdup(str(last_u, "text"));
		snprintf(x->when, sizeof(x->when), "%s",
		         str(last_u, "created"));
	}
	sort(lb->statements, (size_t)lb->nstatements, sizeof(*lb->statements),
	     cmp_statement);
}

/* Latest observation of metric among rows, by date then id. */
static json_t *
latest_obs(const struct rows *r, int64_t metric)
{
	json_t *best = NULL;

	for (size_t i = 0; i < r->n; i++) {
		json_t *o = r->img[i];

		if (integer(o, "metric") != metric)
			continue;
		if (!best || strcmp(str(o, "date"), str(best, "date")) >= 0)
			best = o;
	}
	return best;
}

static void
metrics(struct cairn_lookback *lb, const struct rows *m,
        const struct rows *obs_s, const struct rows *obs_u)
{
	for (size_t i = 0; i < m->n; i++) {
		json_t *mt = m->img[i], *from, *to;
		struct cairn_lb_metric *x;
		int fresh = 0;

		for (size_t j = 0; j < obs_u->n; j++)
			if (integer(obs_u->img[j], "metric") == m->id[i] &&
			    !rows_find(obs_s, obs_u->id[j]))
				fresh++;
		if (!fresh || !(to = latest_obs(obs_u, m->id[i])))
			continue;
		from = latest_obs(obs_s, m->id[i]);
		lb->metrics =
		        push(lb->metrics, &lb->nmetrics, sizeof(*lb->metrics));
		x = &lb->metrics[lb->nmetrics - 1];
		x->id = m->id[i];
		x->item = integer(mt, "item");
		x->name = xstrdup(str(mt, "name"));
		x->unit = xstrdup(str(mt, "unit"));
		x->baseline = number(mt, "baseline");
		x->target = number(mt, "target");
		x->lower_better = (int)integer(mt, "lower_better");
		x->has_from = from != NULL;
		x->from = from ? number(from, "value") : x->baseline;
		x->to = number(to, "value");
		snprintf(x->to_date, sizeof(x->to_date), "%s", str(to, "date"));
		x->observations = fresh;
	}
}

static int
cmp_prediction(const void *a, const void *b)
{
	const struct cairn_lb_prediction *x = a, *y = b;
	int c = strcmp(x->resolved, y->resolved);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void
predictions(struct cairn_lookback *lb, const struct rows *s,
            const struct rows *u)
{
	struct cairn_calibration cal;

	cairn_calibration_init(&cal);
	for (size_t i = 0; i < u->n; i++) {
		json_t *now = u->img[i], *then = rows_find(s, u->id[i]);
		struct cairn_lb_prediction *x;

		if (is_null(now, "outcome") ||
		    (then && !is_null(then, "outcome")))
			continue;
		lb->predictions = push(lb->predictions, &lb->npredictions,
		                       sizeof(*lb->predictions));
		x = &lb->predictions[lb->npredictions - 1];
		x->id = u->id[i];
		x->who = dup_or_null(now, "who");
		x->statement = xstrdup(str(now, "statement"));
		x->p = number(now, "p");
		x->outcome = (int)integer(now, "outcome");
		snprintf(x->resolved, sizeof(x->resolved), "%s",
		         str(now, "resolved"));
		x->early = !is_null(now, "due") &&
		           strcmp(x->resolved, str(now, "due")) < 0;
		cairn_calibration_add(&cal, x->p, x->outcome, x->early);
	}
	cairn_calibration_finish(&cal);
	lb->brier = cal.brier;
	sort(lb->predictions, (size_t)lb->npredictions,
	     sizeof(*lb->predictions), cmp_prediction);
}

/* Nearest goal at or above item among the item rows, or 0. */
static int64_t
goal_of(const struct rows *items_u, int64_t item)
{
	for (int d = 0; item && d < 10000; d++) {
		json_t *it = rows_find(items_u, item);

		if (!it)
			return 0;
		if (!strcmp(str(it, "kind"), "goal"))
			return item;
		item = integer(it, "parent");
	}
	return 0;
}

static int
cmp_time(const void *a, const void *b)
{
	const struct cairn_lb_time *x = a, *y = b;

	if (!x->goal != !y->goal)
		return x->goal ? -1 : 1;
	if (x->minutes != y->minutes)
		return x->minutes > y->minutes ? -1 : 1;
	return (x->goal > y->goal) - (x->goal < y->goal);
}

static void
time_by_goal(struct cairn_lookback *lb, const struct rows *items_u,
             const struct rows *t)
{
	char start[CAIRN_TS_LEN];

	for (size_t i = 0; i < t->n; i++) {
		json_t *e = t->img[i];
		const char *date = str(e, "date");
		int64_t goal;
		int k;

		/* Entries are dated by day: a day counts when it starts
		 * before the end and is not before the start's day. */
		snprintf(start, sizeof(start), "%.10sT00:00:00Z", date);
		if (lb->since[0] && strncmp(date, lb->since, 10) < 0)
			continue;
		if (lb->until[0] && strcmp(start, lb->until) >= 0)
			continue;
		goal = goal_of(items_u, integer(e, "item"));
		for (k = 0; k < lb->ntime && lb->time[k].goal != goal; k++)
			;
		if (k == lb->ntime) {
			lb->time =
			        push(lb->time, &lb->ntime, sizeof(*lb->time));
			lb->time[k].goal = goal;
			lb->time[k].title =
			        goal ? xstrdup(str(rows_find(items_u, goal),
			                           "title"))
			             : NULL;
		}
		lb->time[k].minutes += (long)integer(e, "minutes");
		lb->minutes += (long)integer(e, "minutes");
	}
	sort(lb->time, (size_t)lb->ntime, sizeof(*lb->time), cmp_time);
}

static void
reviews(struct cairn_lookback *lb, const struct rows *u)
{
	for (size_t i = 0; i < u->n; i++) {
		json_t *r = u->img[i];
		const char *created = str(r, "created");
		struct cairn_lb_review *x;

		if (lb->since[0] && strcmp(created, lb->since) < 0)
			continue;
		lb->reviews =
		        push(lb->reviews, &lb->nreviews, sizeof(*lb->reviews));
		x = &lb->reviews[lb->nreviews - 1];
		snprintf(x->created, sizeof(x->created), "%s", created);
		x->moved = dup_or_null(r, "moved");
		x->sharper = dup_or_null(r, "sharper");
		x->to_drop = dup_or_null(r, "to_drop");
		x->note = dup_or_null(r, "note");
	}
}

enum {
	T_ITEM,
	T_STATEMENT,
	T_METRIC,
	T_OBS,
	T_PREDICTION,
	T_TIME,
	T_REVIEW,
	T_COUNT
};

static const char *const tables[T_COUNT] = {
        "item",       "statement",  "metric", "observation",
        "prediction", "time_entry", "review",
};

int
cairn_lookback(struct cairn_store *st, const char *since, const char *until,
               struct cairn_lookback *out, struct cairn_err *err)
{
	struct rows s[T_COUNT], u[T_COUNT];
	int rc = 0, txn = 0;

	memset(out, 0, sizeof(*out));
	memset(s, 0, sizeof(s));
	memset(u, 0, sizeof(u));
	snprintf(out->since, sizeof(out->since), "%s", since ? since : "");
	snprintf(out->until, sizeof(out->until), "%s", until ? until : "");
	if (out->since[0] && out->until[0] &&
	    strcmp(out->since, out->until) > 0)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "the period starts (%s) after it ends "
		                     "(%s)",
		                     out->since, out->until);
	/* One snapshot for every read, unless a change is already open. */
	if (!cairn_store_change(st)) {
		if ((rc = store_exec(st, "BEGIN", err)))
			return rc;
		txn = 1;
	}
	for (int t = 0; t < T_COUNT && !rc; t++) {
		/* The start: before `since`, or nothing when open. */
		rc = rows_load(st, tables[t], out->since, &s[t], err);
		if (!rc)
			rc = rows_load(st, tables[t],
			               out->until[0] ? out->until : NULL, &u[t],
			               err);
	}
	if (txn)
		store_exec(st, "COMMIT", NULL);
	if (rc)
		goto out;
	items(out, &s[T_ITEM], &u[T_ITEM]);
	statements(out, &s[T_ITEM], &u[T_ITEM], &s[T_STATEMENT],
	           &u[T_STATEMENT]);
	metrics(out, &u[T_METRIC], &s[T_OBS], &u[T_OBS]);
	predictions(out, &s[T_PREDICTION], &u[T_PREDICTION]);
	time_by_goal(out, &u[T_ITEM], &u[T_TIME]);
	reviews(out, &u[T_REVIEW]);
out:
	for (int t = 0; t < T_COUNT; t++) {
		rows_release(&s[t]);
		rows_release(&u[t]);
	}
	if (rc)
		cairn_lookback_release(out);
	return rc;
}

static void
items_release(struct cairn_lb_item *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].title);
		free(v[i].why);
	}
	free(v);
}

void
cairn_lookback_release(struct cairn_lookback *lb)
{
	if (!lb)
		return;
	items_release(lb->finished, lb->nfinished);
	items_release(lb->dropped, lb->ndropped);
	items_release(lb->started, lb->nstarted);
	for (int i = 0; i < lb->nstatements; i++) {
		free(lb->statements[i].kind);
		free(lb->statements[i].old_text);
		free(lb->statements[i].new_text);
	}
	free(lb->statements);
	for (int i = 0; i < lb->nmetrics; i++) {
		free(lb->metrics[i].name);
		free(lb->metrics[i].unit);
	}
	free(lb->metrics);
	for (int i = 0; i < lb->npredictions; i++) {
		free(lb->predictions[i].who);
		free(lb->predictions[i].statement);
	}
	free(lb->predictions);
	for (int i = 0; i < lb->ntime; i++)
		free(lb->time[i].title);
	free(lb->time);
	for (int i = 0; i < lb->nreviews; i++) {
		free(lb->reviews[i].moved);
		free(lb->reviews[i].sharper);
		free(lb->reviews[i].to_drop);
		free(lb->reviews[i].note);
	}
	free(lb->reviews);
	memset(lb, 0, sizeof(*lb));
}

static json_t *
opt(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *
items_json(const struct cairn_lb_item *v, int n, const char *when)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(v[i].id));
		json_object_set_new(o, "kind", json_string(v[i].kind));
		json_object_set_new(o, "title", json_string(v[i].title));
		json_object_set_new(o, when, opt(v[i].when));
		if (!strcmp(when, "dropped"))
			json_object_set_new(o, "why", opt(v[i].why));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
cairn_lookback_json(const struct cairn_lookback *lb)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "since", opt(lb->since));
	json_object_set_new(o, "until", opt(lb->until));
	json_object_set_new(
	        o, "finished",
	        items_json(lb->finished, lb->nfinished, "finished"));
	json_object_set_new(o, "dropped",
	                    items_json(lb->dropped, lb->ndropped, "dropped"));
	json_object_set_new(o, "started",
	                    items_json(lb->started, lb->nstarted, "started"));
	a = json_array();
	for (int i = 0; i < lb->nstatements; i++) {
		const struct cairn_lb_statement *x = &lb->statements[i];

		json_array_append_new(
		        a, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id",
		                     (json_int_t)x->id, "kind", x->kind, "old",
		                     x->old_text, "new", x->new_text, "time",
		                     x->when));
	}
	json_object_set_new(o, "statements", a);
	a = json_array();
	for (int i = 0; i < lb->nmetrics; i++) {
		const struct cairn_lb_metric *x = &lb->metrics[i];
		json_t *m = json_object();

		json_object_set_new(m, "id", json_integer(x->id));
		json_object_set_new(m, "item", json_integer(x->item));
		json_object_set_new(m, "name", json_string(x->name));
		json_object_set_new(m, "unit", opt(x->unit));
		json_object_set_new(m, "baseline", json_real(x->baseline));
		json_object_set_new(m, "target", json_real(x->target));
		json_object_set_new(m, "from", json_real(x->from));
		json_object_set_new(m, "to", json_real(x->to));
		json_object_set_new(m, "to_date", json_string(x->to_date));
		json_object_set_new(m, "progress_from",
		                    json_real(cairn_metric_progress(
		                            x->baseline, x->target, x->from)));
		json_object_set_new(m, "progress_to",
		                    json_real(cairn_metric_progress(
		                            x->baseline, x->target, x->to)));
		json_object_set_new(m, "observations",
		                    json_integer(x->observations));
		json_array_append_new(a, m);
	}
	json_object_set_new(o, "metrics", a);
	a = json_array();
	for (int i = 0; i < lb->npredictions; i++) {
		const struct cairn_lb_prediction *x = &lb->predictions[i];
		json_t *p = json_object();

		json_object_set_new(p, "id", json_integer(x->id));
		json_object_set_new(p, "who", opt(x->who));
		json_object_set_new(p, "statement", json_string(x->statement));
		json_object_set_new(p, "p", json_real(x->p));
		json_object_set_new(p, "outcome", json_boolean(x->outcome));
		json_object_set_new(p, "resolved", json_string(x->resolved));
		json_object_set_new(p, "early", json_boolean(x->early));
		json_array_append_new(a, p);
	}
	json_object_set_new(o, "predictions", a);
	json_object_set_new(o, "brier",
	                    lb->npredictions ? json_real(lb->brier)
	                                     : json_null());
	a = json_array();
	for (int i = 0; i < lb->ntime; i++) {
		const struct cairn_lb_time *x = &lb->time[i];
		json_t *t = json_object();

		json_object_set_new(t, "goal",
		                    x->goal ? json_integer(x->goal)
		                            : json_null());
		json_object_set_new(t, "title", opt(x->title));
		json_object_set_new(t, "minutes", json_integer(x->minutes));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "time", a);
	json_object_set_new(o, "minutes", json_integer(lb->minutes));
	a = json_array();
	for (int i = 0; i < lb->nreviews; i++) {
		const struct cairn_lb_review *x = &lb->reviews[i];
		json_t *r = json_object();

		json_object_set_new(r, "created", json_string(x->created));
		json_object_set_new(r, "moved", opt(x->moved));
		json_object_set_new(r, "sharper", opt(x->sharper));
		json_object_set_new(r, "to_drop", opt(x->to_drop));
		json_object_set_new(r, "note", opt(x->note));
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "reviews", a);
	return o;
}
