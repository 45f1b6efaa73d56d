/*
 * lookback.c: a period's story, rebuilt from the journal (see lookback.h).
 *
 * Invariants: every fact comes from the rows as they stood at the
 * period's start and end, each row being the after-image of its last
 * event whose change is dated before that moment (a delete leaves no
 * row).  Change times need not grow with change ids (a clock set back,
 * an import back-dated with --as-of, whose items are all new so that
 * their events still come in time order); rows as of a past moment
 * change afterwards only through such a change.  All reads run in one read
 * transaction, so a writer cannot slip in between.
 *
 * Workload: the state at a moment is rebuilt walking back from the
 * present.  A row with no event dated at or after the period's start
 * stands at both ends as it stands now, and the live row is its last
 * after-image (the journal's invariant, store_journal_check); only the
 * rows changed since then (found through the change_time index) are
 * looked up in the journal, each by its own events.  Items and
 * statements, the big tables, are read only where the report needs them;
 * the small research tables are read whole.  So a look-back costs the
 * events after its start, not the whole journal.
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

static void
rows_push(struct rows *out, int64_t id, json_t *img)
{
	if (out->n == out->alloc) {
		out->alloc = out->alloc ? 2 * out->alloc : 64;
		out->id = xrealloc(out->id, out->alloc * sizeof(*out->id));
		out->img = xrealloc(out->img, out->alloc * sizeof(*out->img));
	}
	out->id[out->n] = id;
	out->img[out->n++] = img;
}

/*
 * The rows of entity that changed at or after since: their ids (sorted)
 * and their images just before since (s) and just before until (u; the
 * last one when until is NULL), NULL where there was no row.  Found from
 * the changes dated at or after since (the change_time index), so the
 * cost follows the events after since; each image is the after-image of
 * the row's last event dated before the moment (the event_entity index,
 * walked backwards).  since "" means before anything: every row that
 * ever changed, with no image at s.  A row not touched stands at both
 * moments as it stands now: the live row, which is its last event's
 * after-image (store_journal_check).
 */
struct touched {
	struct rows s, u;
};

static int
touched_load(struct cairn_store *st, const char *entity, const char *since,
             const char *until, struct touched *t, struct cairn_err *err)
{
	static const char sql[] =
	        "WITH t(eid) AS (SELECT DISTINCT e.entity_id FROM change c "
	        "CROSS JOIN event e ON e.change = c.id "
	        "WHERE c.time >= ?2 AND e.entity = ?1) "
	        "SELECT t.eid, (SELECT e.after FROM event e CROSS JOIN change "
	        "c "
	        "ON c.id = e.change WHERE e.entity = ?1 AND e.entity_id = "
	        "t.eid "
	        "AND c.time < ?2 ORDER BY e.id DESC LIMIT 1), "
	        "(SELECT e.after FROM event e CROSS JOIN change c "
	        "ON c.id = e.change WHERE e.entity = ?1 AND e.entity_id = "
	        "t.eid "
	        "AND (?3 IS NULL OR c.time < ?3) ORDER BY e.id DESC LIMIT 1) "
	        "FROM t ORDER BY t.eid";
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	sqlite3_bind_text(stmt, 1, entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, since, -1, SQLITE_STATIC);
	store_bind_text_or_null(stmt, 3, until);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(stmt, 0);
		const char *a = store_col_text(stmt, 1),
		           *b = store_col_text(stmt, 2);

		/* A missing or unreadable image is no row, as before. */
		rows_push(&t->s, id,
		          sqlite3_column_type(stmt, 1) == SQLITE_NULL
		                  ? NULL
		                  : json_loads(a, 0, NULL));
		rows_push(&t->u, id,
		          sqlite3_column_type(stmt, 2) == SQLITE_NULL
		                  ? NULL
		                  : json_loads(b, 0, NULL));
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the journal");
	sqlite3_finalize(stmt);
	return rc;
}

static void
touched_release(struct touched *t)
{
	rows_release(&t->s);
	rows_release(&t->u);
}

/* Prepare the live-row query of entity followed by tail. */
static int
live_prepare(struct cairn_store *st, const char *entity, const char *tail,
             sqlite3_stmt **stmt, struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	int rc;

	if (!(rc = store_journal_live_sql(st, entity, &sql, err))) {
		buf_adds(&sql, tail);
		rc = store_prepare(st, stmt, sql.buf, err);
	}
	buf_release(&sql);
	return rc;
}

/*
 * Rows of a table at the moment side (0: since, 1: until) of t: each row
 * of live (sorted by id, owned by the caller) unless t touched it, then
 * t's image.  The images are shared (counted references).
 */
static void
rows_at(const struct rows *live, const struct touched *t, int side,
        struct rows *out)
{
	const struct rows *img = side ? &t->u : &t->s;
	size_t i = 0, k = 0;

	while (i < live->n || k < img->n) {
		if (k == img->n || (i < live->n && live->id[i] < img->id[k])) {
			rows_push(out, live->id[i], json_incref(live->img[i]));
			i++;
			continue;
		}
		if (i < live->n && live->id[i] == img->id[k])
			i++;
		if (img->img[k])
			rows_push(out, img->id[k], json_incref(img->img[k]));
		k++;
	}
}

/* Append the live rows stmt returns (id, image), after binding. */
static int
live_read(struct cairn_store *st, sqlite3_stmt *stmt, struct rows *out,
          struct cairn_err *err)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *img = json_loads(store_col_text(stmt, 1), 0, NULL);

		if (img)
			rows_push(out, sqlite3_column_int64(stmt, 0), img);
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the rows");
	sqlite3_reset(stmt);
	return rc;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

struct row {
	int64_t id;
	json_t *img;
};

static int
cmp_row(const void *a, const void *b)
{
	return cmp_id(&((const struct row *)a)->id,
	              &((const struct row *)b)->id);
}

/* Sort rows by id (they come grouped by item). */
static void
rows_sort(struct rows *r)
{
	struct row *v;

	if (r->n < 2)
		return;
	v = xmalloc(r->n * sizeof(*v));
	for (size_t k = 0; k < r->n; k++)
		v[k] = (struct row){r->id[k], r->img[k]};
	qsort(v, r->n, sizeof(*v), cmp_row);
	for (size_t k = 0; k < r->n; k++) {
		r->id[k] = v[k].id;
		r->img[k] = v[k].img;
	}
	free(v);
}

/* Sort ids and drop repeats. */
static void
ids_unique(int64_t *v, size_t *n)
{
	size_t k = 0;

	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_id);
	for (size_t i = 0; i < *n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	*n = k;
}

/*
 * Rows of a table at since (s) and until (u): the whole table when ids
 * is NULL, else only the rows with those ids (sorted, unique) or, with
 * by_item, the rows whose item column is one of them, plus every row t
 * touched.
 */
static int
rows_pair(struct cairn_store *st, const char *entity, const int64_t *ids,
          size_t nids, int by_item, const struct touched *t, struct rows *s,
          struct rows *u, struct cairn_err *err)
{
	struct rows live = {0};
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (!ids) {
		if (!(rc = live_prepare(st, entity, " ORDER BY id", &stmt,
		                        err)))
			rc = live_read(st, stmt, &live, err);
	} else if (!(rc = live_prepare(st, entity,
	                               by_item ? " WHERE item = ?1"
	                                       : " WHERE id = ?1",
	                               &stmt, err))) {
		for (size_t k = 0; k < nids && !rc; k++) {
			sqlite3_bind_int64(stmt, 1, ids[k]);
			rc = live_read(st, stmt, &live, err);
		}
		if (by_item && !rc)
			rows_sort(&live);
	}
	sqlite3_finalize(stmt);
	if (!rc) {
		rows_at(&live, t, 0, s);
		rows_at(&live, t, 1, u);
	}
	rows_release(&live);
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

/*
 * The least visible of item and the items above it among the item rows
 * (an enum cairn_visibility): private for no item, or when one of them
 * is not there.
 */
static int
vis_of(const struct rows *items, int64_t item)
{
	int v = CAIRN_VIS_PUBLIC;

	if (!item)
		return CAIRN_VIS_PRIVATE;
	for (int d = 0; item && d < 10000; d++) {
		json_t *it = rows_find(items, item);
		int x = it ? cairn_visibility_parse(str(it, "visibility")) : -1;

		if (x < 0)
			return CAIRN_VIS_PRIVATE;
		if (x < v)
			v = x;
		item = integer(it, "parent");
	}
	return item ? CAIRN_VIS_PRIVATE : v;
}

static void
add_item(struct cairn_lb_item **arr, int *n, int64_t id, json_t *img,
         const char *when, int with_why, const struct rows *items)
{
	struct cairn_lb_item *it;

	*arr = push(*arr, n, sizeof(**arr));
	it = &(*arr)[*n - 1];
	it->id = id;
	it->kind = xstrdup(str(img, "kind"));
	it->title = xstrdup(str(img, "title"));
	snprintf(it->when, sizeof(it->when), "%s", when ? when : "");
	it->why = with_why ? dup_or_null(img, "why") : NULL;
	it->goal = goal_of(items, id);
	it->vis = vis_of(items, id);
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
			         str(now, "finished"), 0, u);
		if (!strcmp(status, "dropped") && strcmp(was, "dropped"))
			add_item(&lb->dropped, &lb->ndropped, u->id[i], now,
			         str(now, "finished"), 1, u);
		if (!is_null(now, "started") &&
		    (!then || is_null(then, "started")))
			add_item(&lb->started, &lb->nstarted, u->id[i], now,
			         str(now, "started"), 0, u);
		if (!then && !strcmp(str(now, "kind"), "goal"))
			add_item(&lb->added, &lb->nadded, u->id[i], now,
			         str(now, "created"), 0, u);
	}
	sort(lb->added, (size_t)lb->nadded, sizeof(*lb->added), cmp_item);
	sort(lb->finished, (size_t)lb->nfinished, sizeof(*lb->finished),
	     cmp_item);
	sort(lb->dropped, (size_t)lb->ndropped, sizeof(*lb->dropped), cmp_item);
	sort(lb->started, (size_t)lb->nstarted, sizeof(*lb->started), cmp_item);
}

/* Rows grouped by their item column: (item, index) pairs, sorted. */
struct item_pos {
	int64_t item;
	size_t pos;
};

struct by_item {
	struct item_pos *v;
	size_t n;
};

static int
cmp_by_item(const void *a, const void *b)
{
	const struct item_pos *x = a, *y = b;

	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static void
by_item_init(struct by_item *g, const struct rows *r)
{
	g->n = r->n;
	g->v = xmalloc((r->n ? r->n : 1) * sizeof(*g->v));
	for (size_t i = 0; i < r->n; i++) {
		g->v[i].item = integer(r->img[i], "item");
		g->v[i].pos = i;
	}
	sort(g->v, g->n, sizeof(*g->v), cmp_by_item);
}

/* The first place of item in g (g->n when it has none there). */
static size_t
by_item_lower(const struct by_item *g, int64_t item)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->v[mid].item < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The latest statement of item among rows (by created, then id), and the
 * first one; g groups r by item. */
static void
statement_ends(const struct rows *r, const struct by_item *g, int64_t item,
               json_t **first, json_t **last)
{
	size_t lo = by_item_lower(g, item);

	*first = *last = NULL;
	for (; lo < g->n && g->v[lo].item == item; lo++) {
		json_t *s = r->img[g->v[lo].pos];

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
	struct by_item gs, gu;

	by_item_init(&gs, s);
	by_item_init(&gu, u);
	for (size_t i = 0; i < items_u->n; i++) {
		int64_t id = items_u->id[i];
		json_t *first_u, *last_u, *first_s, *last_s, *old;
		struct cairn_lb_statement *x;

		statement_ends(u, &gu, id, &first_u, &last_u);
		if (!last_u)
			continue;
		statement_ends(s, &gs, id, &first_s, &last_s);
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
	free(gs.v);
	free(gu.v);
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
        const struct rows *obs_s, const struct rows *obs_u,
        const struct rows *items_u)
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
		x->goal = goal_of(items_u, x->item);
		x->vis = vis_of(items_u, x->item);
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
            const struct rows *u, const struct rows *items_u)
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
		x->item = integer(now, "item");
		x->vis = vis_of(items_u, x->item);
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
		if (vis_of(items_u, integer(e, "item")) == CAIRN_VIS_PUBLIC)
			lb->time[k].public_minutes +=
			        (long)integer(e, "minutes");
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

static void
goal_state(struct cairn_lb_goal_state *g, int64_t id, json_t *img,
           const struct rows *items)
{
	g->gone = !img;
	if (img)
		g->vis = vis_of(items, id);
	if (!img || strcmp(str(img, "kind"), "goal"))
		return;
	g->present = 1;
	g->title = xstrdup(str(img, "title"));
	g->status = xstrdup(str(img, "status"));
	g->why = dup_or_null(img, "why");
	g->driven = dup_or_null(img, "driven");
	g->rank = (int)integer(img, "rank");
	g->likelihood =
	        is_null(img, "likelihood") ? -1 : number(img, "likelihood");
}

static const struct cairn_lb_goal_state *
goal_latest(const struct cairn_lb_goal *g)
{
	return g->now.present ? &g->now : &g->then;
}

/* Goals standing at the end first, in goal order there; then the others
 * in goal order at the start. */
static int
cmp_goal(const void *a, const void *b)
{
	const struct cairn_lb_goal *x = a, *y = b;
	const struct cairn_lb_goal_state *gx = goal_latest(x),
	                                 *gy = goal_latest(y);
	struct cairn_goal_key kx = {gx->rank, gx->likelihood, x->id},
	                      ky = {gy->rank, gy->likelihood, y->id};

	if (x->now.present != y->now.present)
		return x->now.present ? -1 : 1;
	return cairn_goal_cmp(&kx, &ky);
}

static int
cmp_restatement(const void *a, const void *b)
{
	const struct cairn_lb_restatement *x = a, *y = b;

	return strcmp(x->when, y->when);
}

/*
 * Every goal standing at either end, with the statements made of it in
 * the period: those at the end not there at the start, less a new goal's
 * first (its statement as added, not a refinement).
 */
static void
goals(struct cairn_lookback *lb, const struct rows *items_s,
      const struct rows *items_u, const struct rows *st_s,
      const struct rows *st_u)
{
	struct by_item gu;
	int64_t *ids = xmalloc((items_s->n + items_u->n + 1) * sizeof(*ids));
	size_t n = 0;

	for (size_t i = 0; i < items_s->n; i++)
		if (!strcmp(str(items_s->img[i], "kind"), "goal"))
			ids[n++] = items_s->id[i];
	for (size_t i = 0; i < items_u->n; i++)
		if (!strcmp(str(items_u->img[i], "kind"), "goal"))
			ids[n++] = items_u->id[i];
	ids_unique(ids, &n);
	by_item_init(&gu, st_u);
	for (size_t k = 0; k < n; k++) {
		struct cairn_lb_goal *g;
		json_t *first = NULL, *last = NULL;
		size_t lo;

		lb->goals = push(lb->goals, &lb->ngoals, sizeof(*lb->goals));
		g = &lb->goals[lb->ngoals - 1];
		g->id = ids[k];
		goal_state(&g->then, ids[k], rows_find(items_s, ids[k]),
		           items_s);
		goal_state(&g->now, ids[k], rows_find(items_u, ids[k]),
		           items_u);
		statement_ends(st_u, &gu, ids[k], &first, &last);
		lo = by_item_lower(&gu, ids[k]);
		for (; lo < gu.n && gu.v[lo].item == ids[k]; lo++) {
			size_t pos = gu.v[lo].pos;
			struct cairn_lb_restatement *r;

			if (rows_find(st_s, st_u->id[pos]) ||
			    (!g->then.present && st_u->img[pos] == first))
				continue;
			g->restated = push(g->restated, &g->nrestated,
			                   sizeof(*g->restated));
			r = &g->restated[g->nrestated - 1];
			snprintf(r->when, sizeof(r->when), "%s",
			         str(st_u->img[pos], "created"));
			r->text = xstrdup(str(st_u->img[pos], "text"));
		}
		sort(g->restated, (size_t)g->nrestated, sizeof(*g->restated),
		     cmp_restatement);
	}
	free(gu.v);
	free(ids);
	sort(lb->goals, (size_t)lb->ngoals, sizeof(*lb->goals), cmp_goal);
}

static int
cmp_lesson(const void *a, const void *b)
{
	const struct cairn_lb_lesson *x = a, *y = b;
	int c = strcmp(x->created, y->created);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Lessons recorded in the period: there at the end, not at the start. */
static void
lessons(struct cairn_lookback *lb, const struct rows *s, const struct rows *u,
        const struct rows *items_u)
{
	for (size_t i = 0; i < u->n; i++) {
		json_t *l = u->img[i];
		struct cairn_lb_lesson *x;

		if (rows_find(s, u->id[i]))
			continue;
		lb->lessons =
		        push(lb->lessons, &lb->nlessons, sizeof(*lb->lessons));
		x = &lb->lessons[lb->nlessons - 1];
		x->id = u->id[i];
		x->item = integer(l, "item");
		snprintf(x->created, sizeof(x->created), "%s",
		         str(l, "created"));
		x->text = xstrdup(str(l, "text"));
		x->worked = (int)integer(l, "worked");
		x->goal = goal_of(items_u, x->item);
		x->vis = vis_of(items_u, x->item);
	}
	sort(lb->lessons, (size_t)lb->nlessons, sizeof(*lb->lessons),
	     cmp_lesson);
}

enum {
	T_ITEM,
	T_STATEMENT,
	T_METRIC,
	T_OBS,
	T_PREDICTION,
	T_TIME,
	T_REVIEW,
	T_LESSON,
	T_COUNT
};

static const char *const tables[T_COUNT] = {
        "item",       "statement",  "metric", "observation",
        "prediction", "time_entry", "review", "lesson",
};

/* Add the item column of each row of r to ids. */
static void
add_items(int64_t **ids, size_t *n, size_t *alloc, const struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (!r->img[i])
			continue;
		if (*n == *alloc) {
			*alloc = *alloc ? 2 * *alloc : 64;
			*ids = xrealloc(*ids, *alloc * sizeof(**ids));
		}
		(*ids)[(*n)++] = integer(r->img[i], "item");
	}
}

/* Add the ids of the goals in the store to ids. */
static int
goal_ids(struct cairn_store *st, int64_t **ids, size_t *n, size_t *alloc,
         struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id FROM item WHERE kind = 'goal'",
	                        err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == *alloc) {
			*alloc = *alloc ? 2 * *alloc : 64;
			*ids = xrealloc(*ids, *alloc * sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the goals");
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * The rows the report reads: whole tables but for items and statements,
 * which are big and of which only the rows touched in the period count
 * (an untouched row is the same at both ends, so it finishes, starts or
 * restates nothing), with every goal, the statements of every item in
 * question and the items above each one and above each time entry's,
 * metric's, prediction's and lesson's item (for its goal and its
 * visibility).
 */
static int
load(struct cairn_store *st, const char *since, const char *until,
     struct touched *tc, struct rows *s, struct rows *u, struct cairn_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0, before;
	int rc = 0;

	for (int t = 0; t < T_COUNT && !rc; t++)
		rc = touched_load(st, tables[t], since, until, &tc[t], err);
	for (int t = T_METRIC; t < T_COUNT && !rc; t++)
		rc = rows_pair(st, tables[t], NULL, 0, 0, &tc[t], &s[t], &u[t],
		               err);
	if (rc)
		goto out;
	/* Items in question: touched, or with a touched statement. */
	for (size_t i = 0; i < tc[T_ITEM].u.n; i++) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			ids = xrealloc(ids, alloc * sizeof(*ids));
		}
		ids[n++] = tc[T_ITEM].u.id[i];
	}
	add_items(&ids, &n, &alloc, &tc[T_STATEMENT].s);
	add_items(&ids, &n, &alloc, &tc[T_STATEMENT].u);
	/* Every goal standing now (the others were touched), for the goals
	 * then and now. */
	if ((rc = goal_ids(st, &ids, &n, &alloc, err)))
		goto out;
	ids_unique(ids, &n);
	if ((rc = rows_pair(st, "statement", ids, n, 1, &tc[T_STATEMENT],
	                    &s[T_STATEMENT], &u[T_STATEMENT], err)))
		goto out;
	add_items(&ids, &n, &alloc, &u[T_TIME]);
	add_items(&ids, &n, &alloc, &u[T_METRIC]);
	add_items(&ids, &n, &alloc, &u[T_PREDICTION]);
	add_items(&ids, &n, &alloc, &u[T_LESSON]);
	/* Then the items above those at either end, a level at a time. */
	for (;;) {
		ids_unique(ids, &n);
		rows_release(&s[T_ITEM]);
		rows_release(&u[T_ITEM]);
		if ((rc = rows_pair(st, "item", ids, n, 0, &tc[T_ITEM],
		                    &s[T_ITEM], &u[T_ITEM], err)))
			goto out;
		before = n;
		for (size_t i = 0; i < s[T_ITEM].n + u[T_ITEM].n; i++) {
			int64_t p = integer(
			        i < s[T_ITEM].n
			                ? s[T_ITEM].img[i]
			                : u[T_ITEM].img[i - s[T_ITEM].n],
			        "parent");

			if (!p ||
			    cairn_id_find(ids, before, sizeof(*ids), 0, p) >= 0)
				continue;
			if (n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				ids = xrealloc(ids, alloc * sizeof(*ids));
			}
			ids[n++] = p;
		}
		if (n == before)
			break;
	}
out:
	free(ids);
	return rc;
}

int
cairn_lookback(struct cairn_store *st, const char *since, const char *until,
               struct cairn_lookback *out, struct cairn_err *err)
{
	struct rows s[T_COUNT], u[T_COUNT];
	struct touched tc[T_COUNT];
	int rc = 0, txn = 0;

	memset(out, 0, sizeof(*out));
	memset(s, 0, sizeof(s));
	memset(u, 0, sizeof(u));
	memset(tc, 0, sizeof(tc));
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
	rc = load(st, out->since, out->until[0] ? out->until : NULL, tc, s, u,
	          err);
	if (txn)
		store_exec(st, "COMMIT", NULL);
	if (rc)
		goto out;
	/* Open at the start: nothing stood before it. */
	if (!out->since[0])
		for (int t = 0; t < T_COUNT; t++)
			rows_release(&s[t]);
	items(out, &s[T_ITEM], &u[T_ITEM]);
	statements(out, &s[T_ITEM], &u[T_ITEM], &s[T_STATEMENT],
	           &u[T_STATEMENT]);
	metrics(out, &u[T_METRIC], &s[T_OBS], &u[T_OBS], &u[T_ITEM]);
	predictions(out, &s[T_PREDICTION], &u[T_PREDICTION], &u[T_ITEM]);
	goals(out, &s[T_ITEM], &u[T_ITEM], &s[T_STATEMENT], &u[T_STATEMENT]);
	lessons(out, &s[T_LESSON], &u[T_LESSON], &u[T_ITEM]);
	time_by_goal(out, &u[T_ITEM], &u[T_TIME]);
	reviews(out, &u[T_REVIEW]);
out:
	for (int t = 0; t < T_COUNT; t++) {
		rows_release(&s[t]);
		rows_release(&u[t]);
		touched_release(&tc[t]);
	}
	if (rc)
		cairn_lookback_release(out);
	return rc;
}
