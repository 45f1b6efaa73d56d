/*
 * goal-forecast.c: the forecast of one goal, from the snapshot to the
 * numbers and their JSON (see goal-forecast.h).  The sampler itself is
 * forecast.c; this file chooses its inputs (plan, history, share) and
 * turns its working days of effort into dates.
 *
 * Workload: one goal per call.  From the store, only the goal's subgraph
 * and the done milestones of the history are read; from a snapshot, its
 * walk is linear in it.  The run dominates.
 */
#include <stdlib.h>
#include <string.h>

#include "cairn/plan/goal-forecast.h"
#include "core/item-int.h"
#include "plan/roadmap-int.h"
#include "plan/step.h"
#include "banned.h"

static const char *
title_of(const struct cairn_roadmap *rm, int64_t id)
{
	long i = cairn_roadmap_find(rm, id);

	return i >= 0 ? rm->items[i].title : "?";
}

/* Nodes by criticality, most critical first, ties by id; returns count. */
static size_t
top_critical(const struct cairn_plan *g, const struct cairn_forecast *f,
             uint32_t *out, size_t max)
{
	size_t k;

	for (k = 0; k < max; k++) {
		long best = -1;

		for (size_t i = 0; i < g->n; i++) {
			size_t j;

			if (!f->crit[i])
				continue;
			for (j = 0; j < k && out[j] != i; j++)
				;
			if (j < k)
				continue;
			if (best < 0 || f->crit[i] > f->crit[best] ||
			    (f->crit[i] == f->crit[best] &&
			     g->id[i] < g->id[best]))
				best = (long)i;
		}
		if (best < 0)
			break;
		out[k] = (uint32_t)best;
	}
	return k;
}

/* What the result keeps of the plan: sizes, unestimated ids, and the
 * most critical nodes with their labels. */
static void
keep_plan(struct cairn_goal_forecast *fc, const struct cairn_roadmap *rm,
          const struct cairn_plan *g)
{
	uint32_t top[CAIRN_GOAL_FORECAST_TOP];
	struct buf label = BUF_INIT;
	size_t nt;

	fc->remaining = g->n;
	for (size_t i = 0; i < g->n; i++) {
		fc->papers += !!(g->flags[i] & CAIRN_NODE_PAPER);
		if (g->flags[i] & CAIRN_NODE_DEFAULT_EST) {
			if (!fc->unestimated)
				fc->unestimated = xmalloc(
				        g->n * sizeof(*fc->unestimated));
			fc->unestimated[fc->nunestimated++] = g->id[i];
		}
	}
	if (!fc->f.successes)
		return;
	nt = top_critical(g, &fc->f, top, CAIRN_GOAL_FORECAST_TOP);
	for (size_t k = 0; k < nt; k++) {
		struct cairn_goal_forecast_step *s = &fc->critical[k];
		uint32_t i = top[k];

		plan_step_name(rm, g->id[i], &s->id, &s->paper, &s->label,
		               &label);
		s->index = (double)fc->f.crit[i] / (double)fc->f.successes;
	}
	fc->ncritical = nt;
	buf_release(&label);
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[n], -1 for none; v is sorted in place (the sampler
 * draws from it uniformly, so its order does not matter). */
static double
median(double *v, size_t n)
{
	if (!n)
		return -1;
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * out (cleared) with what o asks for, and its start date; o checked
 * first of all, before the goal is looked for.  CAIRN_EINVAL.
 */
static int
forecast_start(int64_t goal, const struct cairn_goal_forecast_opts *o,
               struct cairn_goal_forecast *out, struct cairn_err *err)
{
	memset(out, 0, sizeof(*out));
	out->goal = goal;
	out->trials = o->run.trials;
	out->seed = o->run.seed;
	out->capacity = o->run.capacity;
	out->max_attempts = o->run.max_attempts;
	out->days_per_week = o->days_per_week;
	out->no_history = o->no_history;
	if (o->days_per_week < 1 || o->days_per_week > 7)
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "days per week must be from 1 to 7, not %d",
		        o->days_per_week);
	if (o->share != 0 && !(o->share > 0 && o->share <= 1))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "share of time %g is not in (0, 1]",
		                     o->share);
	if (o->start && *o->start)
		return cairn_date_parse(o->start, out->start, err);
	cairn_date_format(cairn_clock(), out->start);
	return 0;
}

/*
 * cairn_roadmap_share on the whole store, from goal's subgraph rm: that
 * holds goal's ancestors and everything below it, so a main item above
 * or below goal is in it, and one in the store but not in it is neither.
 */
static int
store_share(struct cairn_store *st, const struct cairn_roadmap *rm,
            const struct cairn_focus *focus, int64_t goal, double *share,
            struct cairn_err *err)
{
	int rc;

	if (!focus->main || cairn_roadmap_find(rm, focus->main) >= 0) {
		*share = cairn_roadmap_share(rm, focus, goal);
		return 0;
	}
	rc = item_exists(st, focus->main, err);
	if (rc == CAIRN_ENOTFOUND) {
		cairn_err_clear(err);
		*share = 1;
		return 0;
	}
	*share = roadmap_focus_share(focus, 0);
	return rc;
}

/*
 * The forecast of goal from rm: the whole roadmap (st NULL), or goal's
 * subgraph in st, whose history and share then come from st.
 */
static int
forecast(struct cairn_store *st, const struct cairn_roadmap *rm,
         const struct cairn_focus *focus, int64_t goal,
         const struct cairn_goal_forecast_opts *o,
         struct cairn_goal_forecast *out, struct cairn_err *err)
{
	struct cairn_plan g;
	double *hist = NULL, share = o->share;
	struct cairn_forecast_opts run = o->run;
	int rc;

	if ((rc = forecast_start(goal, o, out, err)))
		return rc;
	if ((rc = cairn_roadmap_plan(rm, goal, &g, err)))
		return rc;
	out->title = xstrdup(title_of(rm, goal));
	if (!g.n) {
		cairn_plan_release(&g);
		return 0;
	}
	out->hours_per_day = focus->hours_per_day > 0
	                             ? focus->hours_per_day
	                             : CAIRN_FOCUS_HOURS_PER_DAY;
	if (!st) {
		if (!(share > 0))
			share = cairn_roadmap_share(rm, focus, goal);
		cairn_roadmap_history(rm, out->hours_per_day, &hist,
		                      &out->nhistory);
	} else if ((!(share > 0) &&
	            (rc = store_share(st, rm, focus, goal, &share, err))) ||
	           (rc = roadmap_load_history(st, out->hours_per_day, &hist,
	                                      &out->nhistory, err))) {
		cairn_plan_release(&g);
		return rc;
	}
	out->share = share;
	out->history_median = median(hist, out->nhistory);
	run.history = o->no_history ? NULL : hist;
	run.nhistory = o->no_history ? 0 : out->nhistory;
	rc = cairn_forecast_run(&g, &run, &out->f, err);
	if (!rc)
		keep_plan(out, rm, &g);
	free(hist);
	cairn_plan_release(&g);
	return rc;
}

int
cairn_goal_forecast_snapshot(const struct cairn_roadmap *rm,
                             const struct cairn_focus *focus, int64_t goal,
                             const struct cairn_goal_forecast_opts *o,
                             struct cairn_goal_forecast *out,
                             struct cairn_err *err)
{
	return forecast(NULL, rm, focus, goal, o, out, err);
}

int
cairn_goal_forecast(struct cairn_store *st, int64_t goal,
                    const struct cairn_goal_forecast_opts *o,
                    struct cairn_goal_forecast *out, struct cairn_err *err)
{
	struct cairn_roadmap_scope sc = {.goal = goal, .plan_only = 1};
	struct cairn_roadmap rm;
	struct cairn_focus focus;
	int rc;

	/* Bad options are named before an unknown goal, as from a
	 * snapshot. */
	if ((rc = forecast_start(goal, o, out, err)) ||
	    (rc = cairn_focus_get(st, &focus, err)))
		return rc;
	if ((rc = cairn_roadmap_load_scope(st, &sc, &rm, err)))
		return rc;
	rc = forecast(st, &rm, &focus, goal, o, out, err);
	cairn_roadmap_release(&rm);
	return rc;
}

void
cairn_goal_forecast_release(struct cairn_goal_forecast *fc)
{
	if (!fc)
		return;
	free(fc->title);
	for (size_t k = 0; k < fc->ncritical; k++) {
		free(fc->critical[k].paper);
		free(fc->critical[k].label);
	}
	free(fc->unestimated);
	cairn_forecast_release(&fc->f);
	memset(fc, 0, sizeof(*fc));
}

void
cairn_goal_forecast_date(const struct cairn_goal_forecast *fc, double days,
                         char out[CAIRN_DATE_LEN])
{
	cairn_forecast_date(fc->start, days, fc->share, fc->days_per_week, out);
}

long long
cairn_goal_forecast_workdays(const struct cairn_goal_forecast *fc, double days)
{
	return days < 0 ? -1 : cairn_workdays_span(days, fc->share);
}

size_t
cairn_goal_forecast_rows(const struct cairn_goal_forecast *fc, size_t nrows,
                         struct cairn_goal_forecast_row *rows)
{
	const struct cairn_forecast *f = &fc->f;
	long long first, last, w;
	size_t used;

	if (!f->successes || !nrows)
		return 0;
	/* Binned by the working day a trial finishes on, not by effort:
	 * a date is then in one row only. */
	first = cairn_workdays_span(f->min, fc->share);
	last = cairn_workdays_span(f->max, fc->share);
	w = (last - first + (long long)nrows) / (long long)nrows;
	if (w < 1)
		w = 1;
	used = (size_t)((last - first) / w) + 1;
	if (used > nrows)
		used = nrows;
	for (size_t k = 0; k < used; k++) {
		struct cairn_goal_forecast_row *r = &rows[k];

		r->from_workdays = first + (long long)k * w;
		r->to_workdays = r->from_workdays + w - 1;
		cairn_forecast_date(fc->start, (double)r->from_workdays, 1,
		                    fc->days_per_week, r->from);
		cairn_forecast_date(fc->start, (double)r->to_workdays, 1,
		                    fc->days_per_week, r->to);
		r->count = 0;
	}
	for (size_t b = 0; b < f->nbuckets; b++) {
		size_t k;

		if (!f->hist[b])
			continue;
		k = (size_t)((cairn_workdays_span(
		                      cairn_forecast_bucket_days(f, b),
		                      fc->share) -
		              first) /
		             w);
		rows[k < used ? k : used - 1].count += f->hist[b];
	}
	return used;
}

json_t *
cairn_goal_forecast_json(const struct cairn_goal_forecast *fc)
{
	static const char *const names[] = {"p50", "p80", "p95"};
	const double v[] = {fc->f.p50, fc->f.p80, fc->f.p95};
	struct cairn_goal_forecast_row rows[CAIRN_GOAL_FORECAST_BINS];
	json_t *o = json_object(), *hist, *crit, *unest, *h;
	char d[CAIRN_DATE_LEN];
	size_t nb;

	json_object_set_new(o, "goal", json_integer(fc->goal));
	json_object_set_new(o, "title",
	                    json_string(fc->title ? fc->title : ""));
	json_object_set_new(o, "remaining",
	                    json_integer((json_int_t)fc->remaining));
	if (!fc->remaining)
		return o;
	hist = json_array();
	crit = json_array();
	unest = json_array();
	h = json_object();
	json_object_set_new(o, "papers", json_integer((json_int_t)fc->papers));
	json_object_set_new(o, "trials", json_integer((json_int_t)fc->trials));
	json_object_set_new(o, "seed", json_integer((json_int_t)fc->seed));
	json_object_set_new(o, "capacity", json_integer(fc->capacity));
	json_object_set_new(o, "max_attempts", json_integer(fc->max_attempts));
	json_object_set_new(o, "days_per_week",
	                    json_integer(fc->days_per_week));
	json_object_set_new(o, "share", json_real(fc->share));
	json_object_set_new(o, "start", json_string(fc->start));
	json_object_set_new(h, "used", json_boolean(fc->f.history_used));
	json_object_set_new(h, "count", json_integer((json_int_t)fc->nhistory));
	json_object_set_new(h, "median",
	                    fc->history_median < 0
	                            ? json_null()
	                            : json_real(fc->history_median));
	json_object_set_new(h, "hours_per_day", json_real(fc->hours_per_day));
	json_object_set_new(o, "history", h);
	json_object_set_new(o, "chance", json_real(fc->f.chance));
	json_object_set_new(o, "successes",
	                    json_integer((json_int_t)fc->f.successes));
	for (int k = 0; k < 3; k++) {
		cairn_goal_forecast_date(fc, v[k], d);
		json_object_set_new(o, names[k],
		                    v[k] < 0 ? json_null() : json_string(d));
	}
	for (int k = 0; k < 3; k++) {
		char key[16];

		snprintf(key, sizeof(key), "%s_days", names[k]);
		json_object_set_new(o, key,
		                    v[k] < 0 ? json_null() : json_real(v[k]));
	}
	for (int k = 0; k < 3; k++) {
		char key[16];

		snprintf(key, sizeof(key), "%s_workdays", names[k]);
		json_object_set_new(
		        o, key,
		        v[k] < 0 ? json_null()
		                 : json_integer(cairn_goal_forecast_workdays(
		                           fc, v[k])));
	}
	json_object_set_new(o, "mean_days",
	                    fc->f.mean < 0 ? json_null()
	                                   : json_real(fc->f.mean));
	nb = cairn_goal_forecast_rows(fc, CAIRN_GOAL_FORECAST_BINS, rows);
	for (size_t k = 0; k < nb; k++) {
		json_t *b = json_object();

		json_object_set_new(b, "from", json_string(rows[k].from));
		json_object_set_new(b, "to", json_string(rows[k].to));
		json_object_set_new(b, "from_workdays",
		                    json_integer(rows[k].from_workdays));
		json_object_set_new(b, "to_workdays",
		                    json_integer(rows[k].to_workdays));
		json_object_set_new(b, "count",
		                    json_integer((json_int_t)rows[k].count));
		json_array_append_new(hist, b);
	}
	json_object_set_new(o, "histogram", hist);
	for (size_t k = 0; k < fc->ncritical; k++) {
		const struct cairn_goal_forecast_step *s = &fc->critical[k];
		json_t *e = json_object();

		plan_step_json(e, s->id, s->paper, s->label);
		json_object_set_new(e, "index", json_real(s->index));
		json_array_append_new(crit, e);
	}
	json_object_set_new(o, "critical", crit);
	for (size_t k = 0; k < fc->nunestimated; k++)
		json_array_append_new(unest, json_integer(fc->unestimated[k]));
	json_object_set_new(o, "unestimated", unest);
	return o;
}
