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
#include "fmt/lookback-int.h"
#include "fmt/md-int.h"
#include "banned.h"

static int
is_public(int vis)
{
	return vis == CAIRN_VIS_PUBLIC;
}

/* On the list at that end: standing, public, not dropped. */
int
lb_listed(const struct cairn_lb_goal_state *g)
{
	return g->present && is_public(g->vis) && strcmp(g->status, "dropped");
}

/* Shown as a goal of then: on the list then, and public now or gone. */
int
lb_shown_then(const struct cairn_lb_goal *g)
{
	return lb_listed(&g->then) && (g->now.gone || is_public(g->now.vis));
}

static void
md_text(struct buf *out, const char *s)
{
	md_esc_inline(out, s, strlen(s), 0);
}

const struct lb_markup lb_markdown = {md_text, "", "\n\n",  " ",
                                      "",      "", ".\n\n", "; "};
const struct lb_markup lb_html = {buf_add_html,   "<li>", "</li>\n",
                                  "\n<ul>\n",     "<li>", "</li>\n",
                                  "</ul></li>\n", ""};

/* A stored time as its day; a period's end (exclusive, at a day's start)
 * as the day before. */
void
lb_day(char out[CAIRN_DATE_LEN], const char *ts, int end)
{
	time_t t = cairn_ts_to_time(ts);

	if (end && t != (time_t)-1 && !strcmp(ts + 10, "T00:00:00Z"))
		cairn_date_format(t - 86400, out);
	else
		snprintf(out, CAIRN_DATE_LEN, "%.10s", ts);
}

/* Place of goal id in goal order among the goals listed at one end
 * (then: 0, now: 1); 0 when it is not listed there. */
int
lb_place(const struct cairn_lookback *lb, const struct cairn_lb_goal *g,
         int now)
{
	const struct cairn_lb_goal_state *s = now ? &g->now : &g->then;
	struct cairn_goal_key k = {s->rank, s->likelihood, g->id};
	int p = 1;

	if (now ? !lb_listed(s) : !lb_shown_then(g))
		return 0;
	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *o = &lb->goals[i];
		const struct cairn_lb_goal_state *os = now ? &o->now : &o->then;
		struct cairn_goal_key ok = {os->rank, os->likelihood, o->id};

		if (o != g && (now ? lb_listed(os) : lb_shown_then(o)) &&
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
status_line(struct buf *out, const struct lb_markup *m,
            const struct cairn_lookback *lb, const struct cairn_lb_goal *g)
{
	const char *st = g->now.status;
	const struct cairn_lb_item *x;
	char d[CAIRN_DATE_LEN];

	buf_adds(out, m->li);
	buf_adds(out, "Status: ");
	if (!strcmp(st, "done")) {
		buf_adds(out, "done");
		if ((x = find_item(lb->finished, lb->nfinished, g->id))) {
			lb_day(d, x->when, 0);
			buf_addf(out, " on %s", d);
		}
	} else if (!strcmp(st, "dropped")) {
		buf_adds(out, "dropped");
		if ((x = find_item(lb->dropped, lb->ndropped, g->id))) {
			lb_day(d, x->when, 0);
			buf_addf(out, " on %s", d);
		}
		if (g->now.why) {
			buf_adds(out, ": ");
			m->text(out, g->now.why);
		}
	} else if (!strcmp(st, "paused")) {
		buf_adds(out, "paused");
	} else {
		buf_addf(out, "open (%s)", st);
	}
	/* A reason that ends a sentence of its own gets no second stop. */
	if (!out->len || !strchr(".!?", out->buf[out->len - 1]))
		buf_addch(out, '.');
	buf_adds(out, m->end);
}

static void
metric_line(struct buf *out, const struct lb_markup *mk,
            const struct cairn_lb_metric *m)
{
	char a[32], b[32], t[32];

	fmt_num(a, m->from);
	fmt_num(b, m->to);
	fmt_num(t, m->target);
	buf_adds(out, mk->li);
	mk->text(out, m->name);
	buf_addf(out, ": %s \xe2\x86\x92 %s", a, b);
	if (*m->unit) {
		buf_addch(out, ' ');
		mk->text(out, m->unit);
	}
	if (m->baseline != m->target)
		buf_addf(out, ", %.0f%% of the way to %s",
		         cairn_metric_progress(m->baseline, m->target, m->to),
		         t);
	buf_addch(out, '.');
	buf_adds(out, mk->end);
}

/* What happened under goal id: metrics, milestones finished, lessons. */
static void
details(struct buf *out, const struct lb_markup *m,
        const struct cairn_lookback *lb, int64_t id)
{
	int n = 0;
	char d[CAIRN_DATE_LEN];

	for (int i = 0; i < lb->nmetrics; i++)
		if (lb->metrics[i].goal == id && is_public(lb->metrics[i].vis))
			metric_line(out, m, &lb->metrics[i]);
	for (int i = 0; i < lb->nfinished; i++) {
		const struct cairn_lb_item *x = &lb->finished[i];

		if (x->goal != id || x->id == id || !is_public(x->vis))
			continue;
		if (!n++) {
			buf_adds(out, m->li);
			buf_adds(out, "Milestones finished:");
			buf_adds(out, m->sub_open);
		}
		lb_day(d, x->when, 0);
		if (n > 1)
			buf_adds(out, m->sub_sep);
		buf_adds(out, m->sub_li);
		m->text(out, x->title);
		buf_addf(out, " (%s)", d);
		buf_adds(out, m->sub_end);
	}
	if (n)
		buf_adds(out, m->sub_close);
	n = 0;
	for (int i = 0; i < lb->nlessons; i++) {
		const struct cairn_lb_lesson *l = &lb->lessons[i];

		if (l->goal != id || !is_public(l->vis))
			continue;
		if (!n++) {
			buf_adds(out, m->li);
			buf_adds(out, "Lessons:");
			buf_adds(out, m->sub_open);
		}
		if (n > 1)
			buf_adds(out, m->sub_sep);
		buf_adds(out, m->sub_li);
		m->text(out, l->text);
		buf_adds(out,
		         l->worked ? " (this worked)" : " (this did not work)");
		buf_adds(out, m->sub_end);
	}
	if (n)
		buf_adds(out, m->sub_close);
}

void
lb_not_shown(struct buf *out, int hidden)
{
	if (hidden == 1)
		buf_adds(out, "One goal from then is not shown here.");
	else if (hidden)
		buf_addf(out, "%d goals from then are not shown here.", hidden);
}

/*
 * Goal id's share of the time logged in the period on public items (so
 * nothing of the time on private or lab items shows, not even as the
 * rest of a share), and its hours.
 */
static void
time_share(struct buf *out, const struct lb_markup *m,
           const struct cairn_lookback *lb, int64_t id)
{
	long all = 0, mine = 0;

	for (int i = 0; i < lb->ntime; i++) {
		all += lb->time[i].public_minutes;
		if (lb->time[i].goal == id)
			mine = lb->time[i].public_minutes;
	}
	if (!mine || !all)
		return;
	buf_addf(out,
	         "%sTime: %.0f%% of the time logged on the public goals in "
	         "the period (%.0f hours).%s",
	         m->li, 100.0 * (double)mine / (double)all, (double)mine / 60.0,
	         m->end);
}

/* A goal of then as it stood then and now; or one added since (then
 * absent), with the day it was added when it was new in the period. */
void
lb_goal_facts(struct buf *out, const struct lb_markup *m,
              const struct cairn_lookback *lb, const struct cairn_lb_goal *g)
{
	char d[CAIRN_DATE_LEN];
	int p0 = lb_place(lb, g, 0), p1 = lb_place(lb, g, 1);
	const struct cairn_lb_item *x;

	if (!p0 && (x = find_item(lb->added, lb->nadded, g->id))) {
		lb_day(d, x->when, 0);
		buf_addf(out, "%sAdded on %s.%s", m->li, d, m->end);
	}
	for (int k = 0; k < g->nrestated; k++) {
		lb_day(d, g->restated[k].when, 0);
		buf_addf(out, "%sRefined on %s: ", m->li, d);
		m->text(out, g->restated[k].text);
		buf_adds(out, m->end);
	}
	/* The statement now, unless the last refinement said it. */
	if (p0 && strcmp(g->then.title, g->now.title) &&
	    (!g->nrestated ||
	     strcmp(g->restated[g->nrestated - 1].text, g->now.title))) {
		buf_addf(out, "%sNow: ", m->li);
		m->text(out, g->now.title);
		buf_adds(out, m->end);
	}
	if (p0 && p1)
		buf_addf(out, "%sRank: %d then, %d now.%s", m->li, p0, p1,
		         m->end);
	else if (p0)
		buf_addf(out, "%sRank: %d then.%s", m->li, p0, m->end);
	else if (p1)
		buf_addf(out, "%sRank: %d now.%s", m->li, p1, m->end);
	status_line(out, m, lb, g);
	time_share(out, m, lb, g->id);
	details(out, m, lb, g->id);
}

static void
goal_then_now(struct buf *out, const struct cairn_lookback *lb,
              const struct cairn_lb_goal *g)
{
	buf_adds(out, "\n### ");
	md_text(out, lb_place(lb, g, 0) ? g->then.title : g->now.title);
	buf_adds(out, "\n\n");
	lb_goal_facts(out, &lb_markdown, lb, g);
}

void
lb_driven(struct buf *out, const struct lb_markup *m,
          const struct cairn_lookback *lb, int now)
{
	int goal = 0, idea = 0, other = 0;

	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];
		const struct cairn_lb_goal_state *s = now ? &g->now : &g->then;

		if (now ? !lb_listed(s) : !lb_shown_then(g))
			continue;
		if (s->driven && !strcmp(s->driven, "goal"))
			goal++;
		else if (s->driven && !strcmp(s->driven, "idea"))
			idea++;
		else
			other++;
	}
	buf_addf(out, "%s%s: ", m->li, now ? "Now" : "Then");
	if (!goal && !idea && !other)
		buf_adds(out, "no goals");
	if (goal)
		buf_addf(out, "%d goal-driven", goal);
	if (idea)
		buf_addf(out, "%s%d idea-driven", goal ? ", " : "", idea);
	if (other)
		buf_addf(out, "%s%d not said", goal || idea ? ", " : "", other);
	buf_addch(out, '.');
	buf_adds(out, m->end);
}

void
lb_period(const struct cairn_lookback *lb, char since[CAIRN_DATE_LEN],
          char until[CAIRN_DATE_LEN])
{
	char now[CAIRN_TS_LEN];

	cairn_now(now);
	lb_day(since, lb->since, 0);
	lb_day(until, lb->until[0] ? lb->until : now, lb->until[0] != 0);
}

const struct cairn_lb_goal **
lb_then_goals(const struct cairn_lookback *lb, int *np, int *hidden)
{
	const struct cairn_lb_goal **then;
	int n = 0;

	*hidden = 0;
	then = xmalloc(((size_t)lb->ngoals + 1) * sizeof(*then));
	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];

		if (lb_listed(&g->then) && !lb_shown_then(g))
			(*hidden)++;
		else if (lb_shown_then(g))
			then[n++] = g;
	}
	/* Few goals: insertion sort by their place then. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && lb_place(lb, then[j], 0) <
		                                 lb_place(lb, then[j - 1], 0);
		     j--) {
			const struct cairn_lb_goal *t = then[j];

			then[j] = then[j - 1];
			then[j - 1] = t;
		}
	*np = n;
	return then;
}

int
lb_added_since(const struct cairn_lb_goal *g)
{
	/* Not one dropped before the period and still dropped. */
	if (g->then.present && !strcmp(g->then.status, "dropped") &&
	    g->now.present && !strcmp(g->now.status, "dropped"))
		return 0;
	return g->now.present && is_public(g->now.vis) && !lb_shown_then(g);
}

void
lb_gone_why(struct buf *out, const struct lb_markup *m,
            const struct cairn_lb_goal *g)
{
	if (g->now.gone) {
		buf_adds(out, " (removed)");
	} else if (!g->now.present) {
		buf_adds(out, " (no longer a goal)");
	} else if (g->now.why) {
		buf_adds(out, ": ");
		m->text(out, g->now.why);
	}
}

void
lb_calibration(const struct cairn_lookback *lb, struct cairn_calibration *cal)
{
	cairn_calibration_init(cal);
	for (int i = 0; i < lb->npredictions; i++)
		if (is_public(lb->predictions[i].vis))
			cairn_calibration_add(cal, lb->predictions[i].p,
			                      lb->predictions[i].outcome,
			                      lb->predictions[i].early);
	cairn_calibration_finish(cal);
}

/*
 * The list as it stands now, the post's one list: imported, the post is
 * these goals (everything above is its introduction), so that the post
 * read into an empty store gives the public goals as they are now.
 */
static void
list_now(struct buf *out, const struct cairn_lookback *lb)
{
	int k = 0;

	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];

		if (!lb_listed(&g->now))
			continue;
		if (!k++)
			buf_adds(out, "\n## The list now\n\n");
		buf_addf(out, "%d. ", k);
		md_text(out, g->now.title);
		buf_addch(out, '\n');
	}
}

int
cairn_lookback_post(const struct cairn_lookback *lb, struct buf *out,
                    struct cairn_err *err)
{
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN];
	json_t *fm;
	struct cairn_calibration cal;
	int hidden, n, k, rc;
	const struct cairn_lb_goal **then;

	if (!lb->since[0])
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "a post looking back needs a start to look "
		        "back to (--since)");
	lb_period(lb, since, until);
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
	then = lb_then_goals(lb, &n, &hidden);
	buf_adds(out, "\n## The goals then, and now\n");
	if (!n)
		buf_adds(out, "\nNo goal of then is on the public list.\n");
	for (int i = 0; i < n; i++)
		if (then[i]->now.present)
			goal_then_now(out, lb, then[i]);
	if (hidden) {
		buf_addch(out, '\n');
		lb_not_shown(out, hidden);
		buf_addch(out, '\n');
	}

	/* Added: public goals now, not shown as goals of then; in goal
	 * order now (lb->goals' order). */
	k = 0;
	for (int i = 0; i < lb->ngoals; i++) {
		if (!lb_added_since(&lb->goals[i]))
			continue;
		if (!k++)
			buf_adds(out, "\n## Added since\n");
		goal_then_now(out, lb, &lb->goals[i]);
	}

	/* No longer on the list: dropped or gone since. */
	k = 0;
	for (int i = 0; i < n; i++) {
		const struct cairn_lb_goal *g = then[i];

		if (lb_listed(&g->now))
			continue;
		if (!k++)
			buf_adds(out, "\n## No longer on the list\n");
		buf_addch(out, '\n');
		md_text(out, g->then.title);
		lb_gone_why(out, &lb_markdown, g);
		buf_addch(out, '\n');
	}
	free(then);

	buf_adds(out, "\n## Goal-driven or idea-driven\n\n");
	lb_driven(out, &lb_markdown, lb, 0);
	lb_driven(out, &lb_markdown, lb, 1);
	lb_calibration(lb, &cal);
	if (cal.count)
		buf_addf(out,
		         "\n## Predictions\n\n"
		         "%d prediction%s about these goals came due and "
		         "%s resolved; %d came true. "
		         "Their Brier score is %.3f (0 is perfect; always "
		         "saying "
		         "50%% scores 0.25).\n",
		         cal.count, cal.count == 1 ? "" : "s",
		         cal.count == 1 ? "was" : "were", cal.yes, cal.brier);
	list_now(out, lb);
	/* Paragraphs and headings one blank line apart, however ended,
	 * and one newline at the end. */
	for (size_t i = 0, j = 0;; i++) {
		if (i < out->len && out->buf[i] == '\n' && j >= 2 &&
		    out->buf[j - 1] == '\n' && out->buf[j - 2] == '\n')
			continue;
		if (i == out->len) {
			while (j >= 2 && out->buf[j - 1] == '\n' &&
			       out->buf[j - 2] == '\n')
				j--;
			out->len = j;
			out->buf[j] = '\0';
			break;
		}
		out->buf[j++] = out->buf[i];
	}
	return 0;
}
