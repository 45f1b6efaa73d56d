/*
 * timelog.c: time entries, the focus setting, and the focus and
 * goal-/idea-driven reports (see timelog.h for how time is classified).
 *
 * Invariants: an entry has 1 to CAIRN_DURATION_MAX minutes and a date not
 * in the future.  The focus setting lives in the journalled setting table
 * under focus.main, focus.explore (a share, 0-1) and focus.wip.
 *
 * Workload: reports load every item (id, parent, kind and a few fields)
 * into a sorted array once and walk ancestors in memory, then stream the
 * period's time entries: linear in items plus entries.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "cairn/core/order.h"
#include "cairn/research/timelog.h"
#include "core/item-int.h"
#include "research/research-int.h"
#include "banned.h"

#define KEY_MAIN    "focus.main"
#define KEY_EXPLORE "focus.explore"
#define KEY_WIP     "focus.wip"
#define KEY_HOURS   "focus.hours-per-day"
#define MAX_DEPTH   10000

/* One number and its unit from s; returns the characters used, 0 if none. */
static size_t
duration_part(const char *s, double *value, char *unit)
{
	const char *p = s;
	size_t n;

	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return 0;
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	*value = strtod(s, NULL);
	/* Units: h, hr, hrs, hour(s); m, min, mins, minute(s). */
	n = 0;
	while (isalpha((unsigned char)p[n]))
		n++;
	if ((n == 1 && p[0] == 'h') || (n == 2 && !strncmp(p, "hr", 2)) ||
	    (n == 3 && !strncmp(p, "hrs", 3)) ||
	    (n == 4 && !strncmp(p, "hour", 4)) ||
	    (n == 5 && !strncmp(p, "hours", 5)))
		*unit = 'h';
	else if ((n == 1 && p[0] == 'm') || (n == 3 && !strncmp(p, "min", 3)) ||
	         (n == 4 && !strncmp(p, "mins", 4)) ||
	         (n == 6 && !strncmp(p, "minute", 6)) ||
	         (n == 7 && !strncmp(p, "minutes", 7)))
		*unit = 'm';
	else
		return 0;
	return (size_t)(p - s) + n;
}

int
cairn_duration_parse(const char *s, int *minutes, struct cairn_err *err)
{
	double v, total = 0;
	char unit;
	size_t n;
	const char *p = s;
	int parts = 0, had_h = 0;

	if (!s)
		goto bad;
	while (*p) {
		if (parts == 2 || !(n = duration_part(p, &v, &unit)))
			goto bad;
		if (unit == 'h') {
			if (parts)
				goto bad; /* "30m2h" */
			had_h = 1;
			total += v * 60;
		} else {
			if (had_h && v >= 60)
				goto bad; /* "2h90m" */
			total += v;
		}
		parts++;
		p += n;
	}
	if (!parts)
		goto bad;
	total = floor(total + 0.5);
	if (total < 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "duration '%s' is less than a minute", s);
	if (total > CAIRN_DURATION_MAX)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "duration '%s' is more than 24 hours; log "
		                     "each day on its own",
		                     s);
	*minutes = (int)total;
	return 0;
bad:
	return cairn_err_set(err, CAIRN_EINVAL,
	                     "malformed duration '%s' (want minutes or hours "
	                     "like 90m, 1.5h or 2h30m)",
	                     s ? s : "");
}

void
cairn_duration_format(long minutes, char out[32])
{
	if (minutes < 60)
		snprintf(out, 32, "%ldm", minutes);
	else if (minutes % 60 == 0)
		snprintf(out, 32, "%ldh", minutes / 60);
	else
		snprintf(out, 32, "%ldh%02ldm", minutes / 60, minutes % 60);
}

int
cairn_time_log(struct cairn_store *st, int64_t item, const char *date,
               int minutes, const char *note, int64_t *id,
               struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char day[CAIRN_DATE_LEN], now[CAIRN_TS_LEN];
	int rc;

	if (minutes < 1 || minutes > CAIRN_DURATION_MAX)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%d minutes is outside 1 minute to 24 "
		                     "hours",
		                     minutes);
	if ((rc = rs_check_text("note", note, 0, RS_TEXT_MAX, 1, err)))
		return rc;
	if ((rc = rs_past_day(date, day, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "log time", err)))
		return rc;
	if ((rc = item_exists(st, item, err)))
		goto out;
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO time_entry(item, date, minutes, "
	                        "note, created) VALUES(?, ?, ?, ?, ?)",
	                        err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, item);
	sqlite3_bind_text(stmt, 2, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 3, minutes);
	store_bind_text_or_null(stmt, 4, note);
	sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
	if ((rc = store_step(st, stmt, "log the time", err)))
		goto out;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

int
cairn_time_each(struct cairn_store *st, int64_t item, const char *since,
                const char *until, cairn_time_fn fn, void *ctx,
                struct cairn_err *err)
{
	struct cairn_time_entry e;
	sqlite3_stmt *stmt;
	int rc;

	if (item && (rc = item_exists(st, item, err)))
		return rc;
	if ((rc = store_prepare(
	             st, &stmt,
	             "SELECT id, item, date, minutes, note FROM time_entry "
	             "WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR "
	             "date <= ?2) AND (?3 = 0 OR item IN (WITH RECURSIVE "
	             "sub(id) AS (SELECT ?3 UNION ALL SELECT c.id FROM item c "
	             "JOIN sub ON c.parent = sub.id) SELECT id FROM sub)) "
	             "ORDER BY date, id",
	             err)))
		return rc;
	store_bind_text_or_null(stmt, 1, since);
	store_bind_text_or_null(stmt, 2, until);
	sqlite3_bind_int64(stmt, 3, item);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		e.id = sqlite3_column_int64(stmt, 0);
		e.item = sqlite3_column_int64(stmt, 1);
		e.date = store_col_text(stmt, 2);
		e.minutes = sqlite3_column_int(stmt, 3);
		e.note = (const char *)sqlite3_column_text(stmt, 4);
		if ((rc = fn(ctx, &e)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the time log");
out:
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_focus_get(struct cairn_store *st, struct cairn_focus *out,
                struct cairn_err *err)
{
	struct buf v = BUF_INIT;
	double d;
	int rc = 0;

	out->main = 0;
	out->explore = CAIRN_FOCUS_EXPLORE;
	out->wip = CAIRN_FOCUS_WIP;
	out->is_set = 0;
	out->hours_per_day = CAIRN_FOCUS_HOURS_PER_DAY;
	if (!(rc = cairn_setting_get(st, KEY_HOURS, &v, err))) {
		if (!rs_parse_double(v.buf, &d) && d > 0 &&
		    d <= CAIRN_FOCUS_HOURS_MAX)
			out->hours_per_day = d;
	} else if (rc != CAIRN_ENOTFOUND) {
		goto out;
	}
	buf_reset(&v);
	if (!(rc = cairn_setting_get(st, KEY_MAIN, &v, err))) {
		if (!rs_parse_double(v.buf, &d) && d > 0) {
			out->main = (int64_t)d;
			out->is_set = 1;
		}
	} else if (rc != CAIRN_ENOTFOUND) {
		goto out;
	}
	buf_reset(&v);
	if (!(rc = cairn_setting_get(st, KEY_EXPLORE, &v, err))) {
		if (!rs_parse_double(v.buf, &d) && d >= 0 && d <= 1)
			out->explore = d;
	} else if (rc != CAIRN_ENOTFOUND) {
		goto out;
	}
	buf_reset(&v);
	if (!(rc = cairn_setting_get(st, KEY_WIP, &v, err))) {
		if (!rs_parse_double(v.buf, &d) && d >= 1)
			out->wip = (int)d;
	} else if (rc != CAIRN_ENOTFOUND) {
		goto out;
	}
	rc = 0;
	if (err)
		cairn_err_clear(err);
out:
	buf_release(&v);
	return rc;
}

int
cairn_focus_set(struct cairn_store *st, int64_t main_id, double explore,
                int wip, struct cairn_err *err)
{
	char num[64];
	int rc;

	if (explore > 1 || isnan(explore))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "the exploration share must be from 0 to "
		                     "100%%");
	if (wip > 100)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "a WIP limit of %d is not a limit", wip);
	if ((rc = cairn_store_begin(st, "set focus", err)))
		return rc;
	if ((rc = item_exists(st, main_id, err)))
		goto out;
	snprintf(num, sizeof(num), "%lld", (long long)main_id);
	if ((rc = cairn_setting_set(st, KEY_MAIN, num, err)))
		goto out;
	if (explore >= 0) {
		snprintf(num, sizeof(num), "%.4g", explore);
		if ((rc = cairn_setting_set(st, KEY_EXPLORE, num, err)))
			goto out;
	}
	if (wip > 0) {
		snprintf(num, sizeof(num), "%d", wip);
		rc = cairn_setting_set(st, KEY_WIP, num, err);
	}
out:
	return store_finish(st, rc, err);
}

int
cairn_focus_set_hours(struct cairn_store *st, double hours_per_day,
                      struct cairn_err *err)
{
	char num[64];
	int rc;

	if (!(hours_per_day > 0 && hours_per_day <= CAIRN_FOCUS_HOURS_MAX))
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "hours per day must be above 0 and at most "
		        "24, not %g",
		        hours_per_day);
	if ((rc = cairn_store_begin(st, "set hours per day", err)))
		return rc;
	snprintf(num, sizeof(num), "%.4g", hours_per_day);
	rc = cairn_setting_set(st, KEY_HOURS, num, err);
	return store_finish(st, rc, err);
}

/* The item tree in memory, for classifying time. */
struct node {
	int64_t id;
	int64_t parent;
	int kind;
	int status;
	double likelihood;
	int rank;
	int driven;
	int explore; /* tagged "explore" */
	char *title;
};

struct nodes {
	struct node *v;
	size_t n, alloc;
};

static void
nodes_release(struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i].title);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/* The nodes of every item; titles only of goals and of item titled (0:
 * none), the only ones a report names. */
static int
nodes_load(struct cairn_store *st, struct nodes *ns, int64_t titled,
           struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id, parent, kind, status, likelihood, "
	                        "driven, title, EXISTS (SELECT 1 FROM tag t "
	                        "WHERE t.item = item.id AND t.name = "
	                        "'explore'), rank FROM item ORDER BY id",
	                        err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct node *n;

		if (ns->n == ns->alloc) {
			ns->alloc = ns->alloc ? 2 * ns->alloc : 64;
			ns->v = xrealloc(ns->v, ns->alloc * sizeof(*ns->v));
		}
		n = &ns->v[ns->n++];
		n->id = sqlite3_column_int64(stmt, 0);
		n->parent = sqlite3_column_int64(stmt, 1);
		n->kind = cairn_kind_parse(store_col_text(stmt, 2));
		n->status = cairn_status_parse(store_col_text(stmt, 3));
		n->likelihood = rs_col_double(stmt, 4, -1);
		n->driven = cairn_driven_parse(store_col_text(stmt, 5));
		n->title = n->kind == CAIRN_KIND_GOAL || n->id == titled
		                   ? xstrdup(store_col_text(stmt, 6))
		                   : NULL;
		n->explore = sqlite3_column_int(stmt, 7);
		n->rank = sqlite3_column_int(stmt, 8);
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the items");
	sqlite3_finalize(stmt);
	return rc;
}

static struct node *
node_find(const struct nodes *ns, int64_t id)
{
	long k = cairn_id_find(ns->v, ns->n, sizeof(*ns->v),
	                       offsetof(struct node, id), id);

	return k < 0 ? NULL : &ns->v[k];
}

/* Nearest goal at or above id (NULL: none). */
static struct node *
goal_of(const struct nodes *ns, int64_t id)
{
	struct node *n = node_find(ns, id);

	for (int d = 0; n && d < MAX_DEPTH; d++) {
		if (n->kind == CAIRN_KIND_GOAL)
			return n;
		n = n->parent ? node_find(ns, n->parent) : NULL;
	}
	return NULL;
}

/* The split of id: the driven of the nearest item at or above that has
 * one. */
static int
split_of(const struct nodes *ns, int64_t id)
{
	struct node *n = node_find(ns, id);

	for (int d = 0; n && d < MAX_DEPTH; d++) {
		if (n->driven == CAIRN_DRIVEN_GOAL)
			return CAIRN_SPLIT_GOAL;
		if (n->driven == CAIRN_DRIVEN_IDEA)
			return CAIRN_SPLIT_IDEA;
		n = n->parent ? node_find(ns, n->parent) : NULL;
	}
	return CAIRN_SPLIT_UNSET;
}

enum { FOR_MAIN, FOR_EXPLORE, FOR_REST };

static int
class_of(const struct nodes *ns, int64_t id, int64_t main_id)
{
	struct node *n = node_find(ns, id);
	int explore = 0;

	for (int d = 0; n && d < MAX_DEPTH; d++) {
		if (main_id && n->id == main_id)
			return FOR_MAIN;
		if (n->kind == CAIRN_KIND_IDEA ||
		    n->kind == CAIRN_KIND_QUESTION || n->explore)
			explore = 1;
		n = n->parent ? node_find(ns, n->parent) : NULL;
	}
	return explore ? FOR_EXPLORE : FOR_REST;
}

struct focus_ctx {
	struct nodes *ns;
	struct cairn_focus_report *r;
	long *goal_minutes; /* parallel to ns->v */
};

static int
focus_entry(void *ctx, const struct cairn_time_entry *e)
{
	struct focus_ctx *f = ctx;
	struct node *g;

	switch (class_of(f->ns, e->item, f->r->focus.main)) {
	case FOR_MAIN:
		f->r->main_minutes += e->minutes;
		break;
	case FOR_EXPLORE:
		f->r->explore_minutes += e->minutes;
		break;
	default:
		f->r->rest_minutes += e->minutes;
	}
	f->r->total_minutes += e->minutes;
	if ((g = goal_of(f->ns, e->item))) {
		f->goal_minutes[g - f->ns->v] += e->minutes;
		f->r->goal_minutes += e->minutes;
	} else {
		f->r->other_minutes += e->minutes;
	}
	return 0;
}

static int
cmp_attention(const void *a, const void *b)
{
	const struct cairn_attention *x = a, *y = b;
	struct cairn_goal_key kx = {x->rank, x->likelihood, x->id};
	struct cairn_goal_key ky = {y->rank, y->likelihood, y->id};

	return cairn_goal_cmp(&kx, &ky);
}

/* Average ranks (1 = smallest) of v[0..n) into rank. */
static void
ranks(const double *v, int n, double *rank)
{
	for (int i = 0; i < n; i++) {
		int less = 0, equal = 0;

		for (int j = 0; j < n; j++) {
			if (v[j] < v[i])
				less++;
			else if (v[j] == v[i])
				equal++;
		}
		rank[i] = less + (equal + 1) / 2.0;
	}
}

/* Spearman's rho of x and y; 0 and *ok = 0 when either is constant. */
static double
spearman(const double *x, const double *y, int n, int *ok)
{
	double *rx = xcalloc((size_t)n, sizeof(double));
	double *ry = xcalloc((size_t)n, sizeof(double));
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0, rho = 0;

	*ok = 0;
	ranks(x, n, rx);
	ranks(y, n, ry);
	for (int i = 0; i < n; i++) {
		mx += rx[i] / n;
		my += ry[i] / n;
	}
	for (int i = 0; i < n; i++) {
		sxy += (rx[i] - mx) * (ry[i] - my);
		sxx += (rx[i] - mx) * (rx[i] - mx);
		syy += (ry[i] - my) * (ry[i] - my);
	}
	/* Two goals always agree or disagree perfectly: say nothing. */
	if (n >= 3 && sxx > 0 && syy > 0) {
		rho = sxy / sqrt(sxx * syy);
		*ok = 1;
	}
	free(rx);
	free(ry);
	return rho;
}

static int
check_period(const char *since, const char *until, struct cairn_err *err)
{
	char d[CAIRN_DATE_LEN];
	int rc;

	if ((rc = cairn_date_parse(since, d, err)) ||
	    (rc = cairn_date_parse(until, d, err)))
		return rc;
	if (strcmp(since, until) > 0)
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "the period starts (%s) after it ends (%s)", since,
		        until);
	return 0;
}

/* One period's report from the nodes and the focus setting in *out. */
static int
focus_period(struct cairn_store *st, struct nodes *ns,
             struct cairn_focus_report *out, struct cairn_err *err)
{
	struct focus_ctx f;
	struct node *m;
	double lsum = 0, *lx = NULL, *ty = NULL;
	int rc, nl = 0;

	if (out->focus.main && (m = node_find(ns, out->focus.main)))
		out->main_title = xstrdup(m->title);
	else
		out->focus.main = 0;
	f.ns = ns;
	f.r = out;
	f.goal_minutes = xcalloc(ns->n + 1, sizeof(long));
	if ((rc = cairn_time_each(st, 0, out->since, out->until, focus_entry,
	                          &f, err)))
		goto out;
	for (size_t i = 0; i < ns->n; i++) {
		struct node *n = &ns->v[i];
		struct cairn_attention *a;

		if (n->status == CAIRN_STATUS_ACTIVE &&
		    n->kind != CAIRN_KIND_IDEA)
			out->active++;
		if (n->kind != CAIRN_KIND_GOAL)
			continue;
		if ((n->status == CAIRN_STATUS_DROPPED ||
		     n->status == CAIRN_STATUS_DONE) &&
		    !f.goal_minutes[i])
			continue;
		out->goals = xrealloc(out->goals, (size_t)(out->ngoals + 1) *
		                                          sizeof(*out->goals));
		a = &out->goals[out->ngoals++];
		a->id = n->id;
		a->title = xstrdup(n->title);
		a->likelihood = n->likelihood;
		a->rank = n->rank;
		a->minutes = f.goal_minutes[i];
		a->share = out->goal_minutes
		                   ? (double)a->minutes / out->goal_minutes
		                   : 0;
		if (n->likelihood >= 0)
			lsum += n->likelihood;
	}
	if (out->ngoals)
		qsort(out->goals, (size_t)out->ngoals, sizeof(*out->goals),
		      cmp_attention);
	lx = xcalloc((size_t)out->ngoals + 1, sizeof(double));
	ty = xcalloc((size_t)out->ngoals + 1, sizeof(double));
	for (int i = 0; i < out->ngoals; i++) {
		struct cairn_attention *a = &out->goals[i];

		a->expected = a->likelihood >= 0 && lsum > 0
		                      ? a->likelihood / lsum
		                      : 0;
		if (a->likelihood >= 0) {
			lx[nl] = a->likelihood;
			ty[nl++] = (double)a->minutes;
		}
	}
	if (out->goal_minutes)
		out->rho = spearman(lx, ty, nl, &out->has_rho);
out:
	free(lx);
	free(ty);
	free(f.goal_minutes);
	return rc;
}

int
cairn_focus_reports(struct cairn_store *st, size_t n, const char *const *since,
                    const char *const *until, struct cairn_focus_report *out,
                    struct cairn_err *err)
{
	struct cairn_focus focus;
	struct nodes ns = {0};
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		memset(&out[i], 0, sizeof(out[i]));
	for (size_t i = 0; !rc && i < n; i++)
		rc = check_period(since[i], until[i], err);
	if (rc || (rc = cairn_focus_get(st, &focus, err)) ||
	    (rc = nodes_load(st, &ns, focus.main, err)))
		goto out;
	for (size_t i = 0; !rc && i < n; i++) {
		snprintf(out[i].since, sizeof(out[i].since), "%s", since[i]);
		snprintf(out[i].until, sizeof(out[i].until), "%s", until[i]);
		out[i].focus = focus;
		rc = focus_period(st, &ns, &out[i], err);
	}
out:
	nodes_release(&ns);
	if (rc)
		for (size_t i = 0; i < n; i++)
			cairn_focus_report_release(&out[i]);
	return rc;
}

int
cairn_focus_report(struct cairn_store *st, const char *since, const char *until,
                   struct cairn_focus_report *out, struct cairn_err *err)
{
	return cairn_focus_reports(st, 1, &since, &until, out, err);
}

void
cairn_focus_report_release(struct cairn_focus_report *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->ngoals; i++)
		free(r->goals[i].title);
	free(r->goals);
	free(r->main_title);
	memset(r, 0, sizeof(*r));
}

static json_t *
share(long part, long total)
{
	return total ? json_real((double)part / total) : json_null();
}

json_t *
cairn_focus_report_json(const struct cairn_focus_report *r)
{
	json_t *o = json_object(), *goals = json_array();

	json_object_set_new(o, "since", json_string(r->since));
	json_object_set_new(o, "until", json_string(r->until));
	json_object_set_new(o, "main",
	                    r->focus.main ? json_integer(r->focus.main)
	                                  : json_null());
	json_object_set_new(o, "main_title",
	                    r->main_title ? json_string(r->main_title)
	                                  : json_null());
	json_object_set_new(o, "explore_target", json_real(r->focus.explore));
	json_object_set_new(o, "main_target", json_real(1 - r->focus.explore));
	json_object_set_new(o, "wip", json_integer(r->focus.wip));
	json_object_set_new(o, "active", json_integer(r->active));
	json_object_set_new(o, "over_wip",
	                    json_boolean(r->active > r->focus.wip));
	json_object_set_new(o, "minutes", json_integer(r->total_minutes));
	json_object_set_new(o, "main_minutes", json_integer(r->main_minutes));
	json_object_set_new(o, "explore_minutes",
	                    json_integer(r->explore_minutes));
	json_object_set_new(o, "rest_minutes", json_integer(r->rest_minutes));
	json_object_set_new(o, "main_share",
	                    share(r->main_minutes, r->total_minutes));
	json_object_set_new(o, "explore_share",
	                    share(r->explore_minutes, r->total_minutes));
	json_object_set_new(o, "rest_share",
	                    share(r->rest_minutes, r->total_minutes));
	for (int i = 0; i < r->ngoals; i++) {
		const struct cairn_attention *a = &r->goals[i];
		json_t *g = json_object();

		json_object_set_new(g, "id", json_integer(a->id));
		json_object_set_new(g, "title", json_string(a->title));
		json_object_set_new(g, "likelihood",
		                    a->likelihood >= 0
		                            ? json_real(a->likelihood)
		                            : json_null());
		json_object_set_new(g, "expected_share",
		                    a->likelihood >= 0 ? json_real(a->expected)
		                                       : json_null());
		json_object_set_new(g, "minutes", json_integer(a->minutes));
		json_object_set_new(g, "share",
		                    share(a->minutes, r->goal_minutes));
		json_array_append_new(goals, g);
	}
	json_object_set_new(o, "attention", goals);
	json_object_set_new(o, "unassigned_minutes",
	                    json_integer(r->other_minutes));
	json_object_set_new(o, "spearman",
	                    r->has_rho ? json_real(r->rho) : json_null());
	return o;
}

struct driven_ctx {
	struct nodes *ns;
	struct cairn_driven_report *r;
};

static int
driven_entry(void *ctx, const struct cairn_time_entry *e)
{
	struct driven_ctx *d = ctx;

	d->r->minutes[split_of(d->ns, e->item)] += e->minutes;
	return 0;
}

int
cairn_driven_report(struct cairn_store *st, const char *since,
                    const char *until, struct cairn_driven_report *out,
                    struct cairn_err *err)
{
	struct nodes ns = {0};
	struct driven_ctx d = {&ns, out};
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_period(since, until, err)))
		return rc;
	snprintf(out->since, sizeof(out->since), "%s", since);
	snprintf(out->until, sizeof(out->until), "%s", until);
	if ((rc = nodes_load(st, &ns, 0, err)))
		goto out;
	for (size_t i = 0; i < ns.n; i++) {
		struct node *n = &ns.v[i];

		if (n->kind == CAIRN_KIND_GOAL &&
		    n->status != CAIRN_STATUS_DROPPED)
			out->goals[split_of(&ns, n->id)]++;
		if (n->status == CAIRN_STATUS_ACTIVE &&
		    n->kind != CAIRN_KIND_IDEA)
			out->active[split_of(&ns, n->id)]++;
	}
	rc = cairn_time_each(st, 0, since, until, driven_entry, &d, err);
out:
	nodes_release(&ns);
	return rc;
}

json_t *
cairn_driven_report_json(const struct cairn_driven_report *r)
{
	static const char *const names[] = {"goal", "idea", "unset"};
	json_t *o = json_object();

	json_object_set_new(o, "since", json_string(r->since));
	json_object_set_new(o, "until", json_string(r->until));
	for (int i = 0; i < CAIRN_SPLITS; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "goals", json_integer(r->goals[i]));
		json_object_set_new(s, "active", json_integer(r->active[i]));
		json_object_set_new(s, "minutes", json_integer(r->minutes[i]));
		json_object_set_new(o, names[i], s);
	}
	return o;
}
