/*
 * lookback-post.c: "Research goals: then and now", a Jekyll post made
 * from a look-back (cairn_lookback, lib/research/lookback.c), for a
 * researcher to edit and publish years after the goals post it looks
 * back at.
 *
 * Invariant: public items only.  A goal is shown when it is public at
 * both ends (it and everything above it); a goal public then and not now
 * is left out, and the post says how many were; everything else shown
 * (milestones, metrics, lessons, predictions) is on an item public at the
 * end.  Nothing of any other item reaches the text: no title, id, count
 * (but that one), note or time.  Ids never appear at all.
 *
 * The text is meant to be edited: headings, short sentences, bullet
 * lists, no tables.  Reads only the look-back: no store, no clock but
 * for a look-back that runs up to now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/order.h"
#include "cairn/research/lookback.h"
#include "cairn/research/metric.h"
#include "cairn/research/predict.h"
#include "fmt/md-int.h"
#include "banned.h"

static int
is_public(int vis)
{
	return vis == CAIRN_VIS_PUBLIC;
}

/* On the list at that end: standing, public, not dropped. */
static int
listed(const struct cairn_lb_goal_state *g)
{
	return g->present && is_public(g->vis) && strcmp(g->status, "dropped");
}

/* Shown as a goal of then: on the list then, and public now or gone. */
static int
shown_then(const struct cairn_lb_goal *g)
{
	return listed(&g->then) && (g->now.gone || is_public(g->now.vis));
}

static void
text(struct buf *out, const char *s)
{
	md_esc_inline(out, s, strlen(s), 0);
}

/* A stored time as its day; a period's end (exclusive, at a day's start)
 * as the day before. */
static void
day(char out[CAIRN_DATE_LEN], const char *ts, int end)
{
	time_t t = cairn_ts_to_time(ts);

	if (end && t != (time_t)-1 && !strcmp(ts + 10, "T00:00:00Z"))
		cairn_date_format(t - 86400, out);
	else
		snprintf(out, CAIRN_DATE_LEN, "%.10s", ts);
}

/* Place of goal id in goal order among the goals listed at one end
 * (then: 0, now: 1); 0 when it is not listed there. */
static int
place(const struct cairn_lookback *lb, const struct cairn_lb_goal *g, int now)
{
	const struct cairn_lb_goal_state *s = now ? &g->now : &g->then;
	struct cairn_goal_key k = {s->rank, s->likelihood, g->id};
	int p = 1;

	if (now ? !listed(s) : !shown_then(g))
		return 0;
	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *o = &lb->goals[i];
		const struct cairn_lb_goal_state *os = now ? &o->now : &o->then;
		struct cairn_goal_key ok = {os->rank, os->likelihood, o->id};

		if (o != g && (now ? listed(os) : shown_then(o)) &&
		    cairn_goal_cmp(&ok, &k) < 0)
			p++;
	}
	return p;
}

static const struct cairn_lb_item *
find_item(const struct cairn_lb_item *v, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

static void
status_line(struct buf *out, const struct cairn_lookback *lb,
            const struct cairn_lb_goal *g)
{
	const char *st = g->now.status;
	const struct cairn_lb_item *x;
	char d[CAIRN_DATE_LEN];

	buf_adds(out, "- Status: ");
	if (!strcmp(st, "done")) {
		buf_adds(out, "done");
		if ((x = find_item(lb->finished, lb->nfinished, g->id))) {
			day(d, x->when, 0);
			buf_addf(out, " on %s", d);
		}
	} else if (!strcmp(st, "dropped")) {
		buf_adds(out, "dropped");
		if ((x = find_item(lb->dropped, lb->ndropped, g->id))) {
			day(d, x->when, 0);
			buf_addf(out, " on %s", d);
		}
		if (g->now.why) {
			buf_adds(out, ": ");
			text(out, g->now.why);
		}
	} else if (!strcmp(st, "paused")) {
		buf_adds(out, "paused");
	} else {
		buf_addf(out, "open (%s)", st);
	}
	/* A reason that ends a sentence of its own gets no second stop. */
	if (!out->len || !strchr(".!?", out->buf[out->len - 1]))
		buf_addch(out, '.');
	buf_addch(out, '\n');
}

static void
metric_line(struct buf *out, const struct cairn_lb_metric *m)
{
	char a[32], b[32], t[32];

	fmt_num(a, m->from);
	fmt_num(b, m->to);
	fmt_num(t, m->target);
	buf_adds(out, "- ");
	text(out, m->name);
	buf_addf(out, ": %s \xe2\x86\x92 %s", a, b);
	if (*m->unit) {
		buf_addch(out, ' ');
		text(out, m->unit);
	}
	if (m->baseline != m->target)
		buf_addf(out, ", %.0f%% of the way to %s",
		         cairn_metric_progress(m->baseline, m->target, m->to),
		         t);
	buf_adds(out, ".\n");
}

/* What happened under goal id: metrics, milestones finished, lessons. */
static void
details(struct buf *out, const struct cairn_lookback *lb, int64_t id)
{
	int n = 0;
	char d[CAIRN_DATE_LEN];

	for (int i = 0; i < lb->nmetrics; i++)
		if (lb->metrics[i].goal == id && is_public(lb->metrics[i].vis))
			metric_line(out, &lb->metrics[i]);
	for (int i = 0; i < lb->nfinished; i++) {
		const struct cairn_lb_item *x = &lb->finished[i];

		if (x->goal != id || x->id == id || !is_public(x->vis))
			continue;
		if (!n++)
			buf_adds(out, "- Milestones finished:\n");
		day(d, x->when, 0);
		buf_adds(out, "  - ");
		text(out, x->title);
		buf_addf(out, " (%s)\n", d);
	}
	n = 0;
	for (int i = 0; i < lb->nlessons; i++) {
		const struct cairn_lb_lesson *l = &lb->lessons[i];

		if (l->goal != id || !is_public(l->vis))
			continue;
		if (!n++)
			buf_adds(out, "- Lessons:\n");
		buf_adds(out, "  - ");
		text(out, l->text);
		buf_adds(out, l->worked ? " (this worked)\n"
		                        : " (this did not work)\n");
	}
}

/* A goal of then as it stood then and now; or one added since (then
 * absent), with the day it was added when it was new in the period. */
static void
goal_then_now(struct buf *out, const struct cairn_lookback *lb,
              const struct cairn_lb_goal *g)
{
	char d[CAIRN_DATE_LEN];
	int p0 = place(lb, g, 0), p1 = place(lb, g, 1);
	const struct cairn_lb_item *x;

	buf_adds(out, "\n### ");
	text(out, p0 ? g->then.title : g->now.title);
	buf_adds(out, "\n\n");
	if (!p0 && (x = find_item(lb->added, lb->nadded, g->id))) {
		day(d, x->when, 0);
		buf_addf(out, "- Added on %s.\n", d);
	}
	for (int k = 0; k < g->nrestated; k++) {
		day(d, g->restated[k].when, 0);
		buf_addf(out, "- Refined on %s: ", d);
		text(out, g->restated[k].text);
		buf_addch(out, '\n');
	}
	/* The statement now, unless the last refinement said it. */
	if (p0 && strcmp(g->then.title, g->now.title) &&
	    (!g->nrestated ||
	     strcmp(g->restated[g->nrestated - 1].text, g->now.title))) {
		buf_adds(out, "- Now: ");
		text(out, g->now.title);
		buf_addch(out, '\n');
	}
	if (p0 && p1)
		buf_addf(out, "- Rank: %d then, %d now.\n", p0, p1);
	else if (p0)
		buf_addf(out, "- Rank: %d then.\n", p0);
	else if (p1)
		buf_addf(out, "- Rank: %d now.\n", p1);
	status_line(out, lb, g);
	details(out, lb, g->id);
}

static void
driven_line(struct buf *out, const struct cairn_lookback *lb, int now,
            const char *when)
{
	int goal = 0, idea = 0, other = 0;

	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];
		const struct cairn_lb_goal_state *s = now ? &g->now : &g->then;

		if (now ? !listed(s) : !shown_then(g))
			continue;
		if (s->driven && !strcmp(s->driven, "goal"))
			goal++;
		else if (s->driven && !strcmp(s->driven, "idea"))
			idea++;
		else
			other++;
	}
	buf_addf(out, "- %s: ", when);
	if (!goal && !idea && !other)
		buf_adds(out, "no goals");
	if (goal)
		buf_addf(out, "%d goal-driven", goal);
	if (idea)
		buf_addf(out, "%s%d idea-driven", goal ? ", " : "", idea);
	if (other)
		buf_addf(out, "%s%d not said", goal || idea ? ", " : "", other);
	buf_adds(out, ".\n");
}

int
cairn_lookback_post(const struct cairn_lookback *lb, struct buf *out,
                    struct cairn_err *err)
{
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN], now[CAIRN_TS_LEN];
	json_t *fm;
	struct cairn_calibration cal;
	int hidden = 0, n, k, rc;
	const struct cairn_lb_goal **then;

	if (!lb->since[0])
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "a post looking back needs a start to look "
		        "back to (--since)");
	cairn_now(now);
	day(since, lb->since, 0);
	day(until, lb->until[0] ? lb->until : now, lb->until[0] != 0);
	fm = json_object();
	json_object_set_new(fm, "layout", json_string("post"));
	json_object_set_new(fm, "title",
	                    json_string("Research goals: then and now"));
	json_object_set_new(fm, "date", json_string(until));
	rc = md_write_front_matter(fm, out, err);
	json_decref(fm);
	if (rc)
		return rc;
	buf_addf(out,
	         "\nThese were my research goals on %s. This post looks at "
	         "where each one stood on %s.\n",
	         since, until);

	/* The goals of then, in their order then. */
	then = xmalloc(((size_t)lb->ngoals + 1) * sizeof(*then));
	n = 0;
	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];

		if (listed(&g->then) && !shown_then(g))
			hidden++;
		else if (shown_then(g))
			then[n++] = g;
	}
	/* Few goals: insertion sort by their place then. */
	for (int i = 1; i < n; i++)
		for (int j = i;
		     j > 0 && place(lb, then[j], 0) < place(lb, then[j - 1], 0);
		     j--) {
			const struct cairn_lb_goal *t = then[j];

			then[j] = then[j - 1];
			then[j - 1] = t;
		}
	buf_adds(out, "\n## The goals then, and now\n");
	if (!n)
		buf_adds(out, "\nNo goal of then is on the public list.\n");
	for (int i = 0; i < n; i++)
		if (then[i]->now.present)
			goal_then_now(out, lb, then[i]);
	if (hidden == 1)
		buf_adds(out, "\nOne goal from then is not shown here.\n");
	else if (hidden)
		buf_addf(out, "\n%d goals from then are not shown here.\n",
		         hidden);

	/* Added: public goals now, not shown as goals of then; in goal
	 * order now (lb->goals' order). */
	k = 0;
	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];

		if (!g->now.present || !is_public(g->now.vis) || shown_then(g))
			continue;
		if (!k++)
			buf_adds(out, "\n## Added since\n");
		goal_then_now(out, lb, g);
	}

	/* No longer on the list: dropped or gone since. */
	k = 0;
	for (int i = 0; i < n; i++) {
		const struct cairn_lb_goal *g = then[i];

		if (listed(&g->now))
			continue;
		if (!k++)
			buf_adds(out, "\n## No longer on the list\n\n");
		buf_adds(out, "- ");
		text(out, g->then.title);
		if (g->now.gone) {
			buf_adds(out, " (removed)\n");
		} else if (!g->now.present) {
			buf_adds(out, " (no longer a goal)\n");
		} else if (g->now.why) {
			buf_adds(out, ": ");
			text(out, g->now.why);
			buf_addch(out, '\n');
		} else {
			buf_addch(out, '\n');
		}
	}
	free(then);

	buf_adds(out, "\n## Goal-driven or idea-driven\n\n");
	driven_line(out, lb, 0, "Then");
	driven_line(out, lb, 1, "Now");

	cairn_calibration_init(&cal);
	for (int i = 0; i < lb->npredictions; i++)
		if (is_public(lb->predictions[i].vis))
			cairn_calibration_add(&cal, lb->predictions[i].p,
			                      lb->predictions[i].outcome,
			                      lb->predictions[i].early);
	cairn_calibration_finish(&cal);
	if (cal.count)
		buf_addf(out,
		         "\n## Predictions\n\n"
		         "- %d prediction%s about these goals came due and "
		         "%s resolved; %d came true.\n"
		         "- Brier score %.3f (0 is perfect; always saying 50%% "
		         "scores 0.25).\n",
		         cal.count, cal.count == 1 ? "" : "s",
		         cal.count == 1 ? "was" : "were", cal.yes, cal.brier);
	return 0;
}
