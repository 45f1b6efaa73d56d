/*
 * lookback-page.c: the site's "Looking back" page (lookback.html, from
 * cairn_publish in site.c): the content of `cairn lookback --post`
 * (lookback-post.c, through the pieces of lookback-int.h, so the rules of
 * what is shown are the post's) as HTML, with one small inline SVG chart
 * per goal: its statements on a time axis (a dot for the statement then
 * and one per refinement, dated) and, for each public metric observed in
 * the period, the observations as a line against baseline and target.
 *
 * Invariant: the post's.  Public goals only (public at both ends for a
 * goal of then; one public then and not now is only counted); every text
 * escaped (buf_add_html); no id, and no colour written as "#" and a
 * digit (the site's pages are checked to hold no "#N").  Reads the
 * look-back, and the observations of the public metrics it names.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/research/metric.h"
#include "fmt/fmt-int.h"
#include "fmt/lookback-int.h"
#include "banned.h"

#define CW   560.0 /* chart width */
#define CL   70.0  /* left margin (metric values) */
#define CR   16.0
#define TL_H 64.0  /* the statements' band */
#define MT_H 120.0 /* one metric's band */

struct obs {
	double *v, *t;
	size_t n;
	double t0, t1;
};

static int
collect(void *ctx, const struct cairn_observation *o)
{
	struct obs *s = ctx;
	double t = (double)cairn_ts_to_time(o->date);

	if (t < s->t0 || t > s->t1)
		return 0; /* outside the period */
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->t = xrealloc(s->t, (s->n + 1) * sizeof(*s->t));
	s->v[s->n] = o->value;
	s->t[s->n++] = t;
	return 0;
}

static double
xpos(double t, double t0, double t1)
{
	return CL + (t - t0) / (t1 - t0) * (CW - CL - CR);
}

static void
dot(struct buf *out, double x, double y, const char *fill, const char *date,
    const char *what, const char *text)
{
	buf_addf(out,
	         "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\">"
	         "<title>%s %s: ",
	         x, y, fill, what, date);
	buf_add_html(out, text);
	buf_adds(out, "</title></circle>\n");
}

/* The statements of g on the period's axis: then, and each refinement. */
static void
timeline(struct buf *out, const struct cairn_lookback *lb,
         const struct cairn_lb_goal *g, double t0, double t1, const char *d0,
         const char *d1)
{
	const double y = 30;
	char d[CAIRN_DATE_LEN];

	buf_addf(out,
	         "<text x=\"4\" y=\"%.1f\" fill=\"dimgray\">statement</text>\n"
	         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	         "stroke=\"darkgray\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
	         "fill=\"dimgray\">%s</text>\n<text x=\"%.1f\" y=\"%.1f\" "
	         "text-anchor=\"end\" fill=\"dimgray\">%s</text>\n",
	         y + 4, CL, y, CW - CR, y, CL, y + 22, d0, CW - CR, y + 22, d1);
	if (lb_place(lb, g, 0))
		dot(out, CL, y, "dimgray", d0, "then", g->then.title);
	for (int k = 0; k < g->nrestated; k++) {
		double t = (double)cairn_ts_to_time(g->restated[k].when);
		double x = xpos(fmin(fmax(t, t0), t1), t0, t1);

		lb_day(d, g->restated[k].when, 0);
		dot(out, x, y, "royalblue", d, "refined", g->restated[k].text);
		buf_addf(
		        out,
		        "<text class=\"refined\" x=\"%.1f\" y=\"%.1f\" "
		        "text-anchor=\"middle\" fill=\"royalblue\">%s</text>\n",
		        fmin(fmax(x, CL + 30), CW - CR - 30),
		        k % 2 ? y + 36 : y - 10, d);
	}
}

/* Metric m's observations in the period against baseline and target. */
static int
trajectory(struct buf *out, struct cairn_store *st,
           const struct cairn_lb_metric *m, double top, double t0, double t1,
           struct cairn_err *err)
{
	const double T = top + 18, B = top + MT_H - 12;
	struct obs s = {NULL, NULL, 0, t0, t1};
	double lo = fmin(m->baseline, m->target),
	       hi = fmax(m->baseline, m->target);
	char a[32];
	int rc;

	if ((rc = cairn_metric_observations(st, m->id, collect, &s, err)))
		goto out;
	lo = fmin(lo, m->from);
	hi = fmax(hi, m->from);
	for (size_t i = 0; i < s.n; i++) {
		lo = fmin(lo, s.v[i]);
		hi = fmax(hi, s.v[i]);
	}
	if (hi - lo < 1e-12)
		hi = lo + 1;
#define Y(v) (T + (hi - (v)) / (hi - lo) * (B - T))
	buf_addf(out, "<text x=\"4\" y=\"%.1f\" fill=\"dimgray\">", top + 12);
	buf_add_html(out, m->name);
	if (*m->unit) {
		buf_adds(out, " (");
		buf_add_html(out, m->unit);
		buf_adds(out, ")");
	}
	buf_adds(out, "</text>\n");
	for (int k = 0; k < 2; k++) {
		double v = k ? m->target : m->baseline;

		fmt_num(a, v);
		buf_addf(
		        out,
		        "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" "
		        "x2=\"%.1f\" "
		        "y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5 4\"/>\n"
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		        "fill=\"%s\">%s %s</text>\n",
		        k ? "target" : "baseline", CL, Y(v), CW - CR, Y(v),
		        k ? "seagreen" : "gray", CW - CR, Y(v) - 4,
		        k ? "seagreen" : "dimgray", k ? "target" : "baseline",
		        a);
	}
	/* From the value at the start (the baseline, without one before). */
	buf_addf(out,
	         "<polyline fill=\"none\" stroke=\"royalblue\" "
	         "stroke-width=\"2\" points=\"%.1f,%.1f",
	         CL, Y(m->from));
	for (size_t i = 0; i < s.n; i++)
		buf_addf(out, " %.1f,%.1f", xpos(s.t[i], t0, t1), Y(s.v[i]));
	buf_adds(out, "\"/>\n");
	for (size_t i = 0; i < s.n; i++) {
		char d[CAIRN_DATE_LEN];

		cairn_date_format((time_t)s.t[i], d);
		fmt_num(a, s.v[i]);
		buf_addf(out,
		         "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
		         "fill=\"royalblue\"><title>%s: %s</title></circle>\n",
		         xpos(s.t[i], t0, t1), Y(s.v[i]), d, a);
	}
#undef Y
out:
	free(s.v);
	free(s.t);
	return rc;
}

/* Goal g's chart: statements, then each public metric observed. */
static int
goal_chart(struct buf *out, struct cairn_store *st,
           const struct cairn_lookback *lb, const struct cairn_lb_goal *g,
           const char *d0, const char *d1, struct cairn_err *err)
{
	double t0 = (double)cairn_ts_to_time(d0),
	       t1 = (double)cairn_ts_to_time(d1) + 86399;
	int nm = 0, rc = 0;
	double h;

	for (int i = 0; i < lb->nmetrics; i++)
		if (lb->metrics[i].goal == g->id &&
		    lb->metrics[i].vis == CAIRN_VIS_PUBLIC)
			nm++;
	if (t1 <= t0)
		t1 = t0 + 86400;
	h = TL_H + nm * MT_H;
	buf_addf(out,
	         "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
	         "class=\"lookback\" width=\"%.0f\" height=\"%.0f\" "
	         "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
	         "font-size=\"11\" role=\"img\"><title>",
	         CW, h, CW, h);
	buf_add_html(out, lb_place(lb, g, 0) ? g->then.title : g->now.title);
	buf_adds(out, ": statements");
	if (nm)
		buf_adds(out, " and metrics");
	buf_adds(out, " over the period</title>\n<rect width=\"100%\" "
	              "height=\"100%\" fill=\"white\"/>\n");
	timeline(out, lb, g, t0, t1, d0, d1);
	nm = 0;
	for (int i = 0; i < lb->nmetrics && !rc; i++)
		if (lb->metrics[i].goal == g->id &&
		    lb->metrics[i].vis == CAIRN_VIS_PUBLIC)
			rc = trajectory(out, st, &lb->metrics[i],
			                TL_H + MT_H * nm++, t0, t1, err);
	buf_adds(out, "</svg></figure>\n");
	return rc;
}

static int
goal_section(struct buf *out, struct cairn_store *st,
             const struct cairn_lookback *lb, const struct cairn_lb_goal *g,
             const char *d0, const char *d1, struct cairn_err *err)
{
	int rc;

	buf_adds(out, "<section class=\"lookback-goal\">\n<h3>");
	buf_add_html(out, lb_place(lb, g, 0) ? g->then.title : g->now.title);
	buf_adds(out, "</h3>\n");
	if ((rc = goal_chart(out, st, lb, g, d0, d1, err)))
		return rc;
	buf_adds(out, "<ul>\n");
	lb_goal_facts(out, &lb_html, lb, g);
	buf_adds(out, "</ul>\n</section>\n");
	return 0;
}

int
fmt_lookback_page(struct cairn_store *st, const struct cairn_lookback *lb,
                  struct buf *out, struct cairn_err *err)
{
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN];
	struct cairn_calibration cal;
	const struct cairn_lb_goal **then;
	int n, hidden, k, rc = 0;

	lb_period(lb, since, until);
	buf_addf(out,
	         "<header>\n<h1>Looking back</h1>\n<p class=\"meta\">The "
	         "research goals on %s, and where each one stood on %s."
	         "</p>\n</header>\n<main>\n<h2>The goals then, and now</h2>\n",
	         since, until);
	then = lb_then_goals(lb, &n, &hidden);
	if (!n)
		buf_adds(out,
		         "<p>No goal of then is on the public list.</p>\n");
	for (int i = 0; i < n && !rc; i++)
		if (then[i]->now.present)
			rc = goal_section(out, st, lb, then[i], since, until,
			                  err);
	if (hidden) {
		buf_adds(out, "<p>");
		lb_not_shown(out, hidden);
		buf_adds(out, "</p>\n");
	}
	k = 0;
	for (int i = 0; i < lb->ngoals && !rc; i++) {
		if (!lb_added_since(&lb->goals[i]))
			continue;
		if (!k++)
			buf_adds(out, "<h2>Added since</h2>\n");
		rc = goal_section(out, st, lb, &lb->goals[i], since, until,
		                  err);
	}
	k = 0;
	for (int i = 0; i < n && !rc; i++) {
		if (lb_listed(&then[i]->now))
			continue;
		buf_adds(out,
		         k++ ? "<li>"
		             : "<h2>No longer on the list</h2>\n<ul>\n<li>");
		buf_add_html(out, then[i]->then.title);
		lb_gone_why(out, &lb_html, then[i]);
		buf_adds(out, "</li>\n");
	}
	if (k)
		buf_adds(out, "</ul>\n");
	free(then);
	if (rc)
		return rc;
	buf_adds(out, "<h2>Goal-driven or idea-driven</h2>\n<ul>\n");
	lb_driven(out, &lb_html, lb, 0);
	lb_driven(out, &lb_html, lb, 1);
	buf_adds(out, "</ul>\n");
	lb_calibration(lb, &cal);
	if (cal.count)
		buf_addf(out,
		         "<h2>Predictions</h2>\n<ul>\n<li>%d prediction%s "
		         "about these goals came due and %s resolved; %d came "
		         "true.</li>\n<li>Brier score %.3f (0 is perfect; "
		         "always saying 50%% scores 0.25).</li>\n</ul>\n",
		         cal.count, cal.count == 1 ? "" : "s",
		         cal.count == 1 ? "was" : "were", cal.yes, cal.brier);
	buf_adds(out, "</main>\n");
	return 0;
}
