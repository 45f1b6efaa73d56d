/*
 * site.c: the static public site (`cairn publish`).  Files:
 *	index.html		the goals, ranked as the Markdown export ranks
 *				them, with progress, and the roadmap graph
 *	goal-XXXXXXXX.html	one page per goal: body, links, metrics,
 *				milestones and questions, notes, its graph
 *	roadmap.svg, goal-XXXXXXXX.svg	graphs laid out by Graphviz
 *	metric-XXXXXXXX-N.svg	a metric's trajectory against baseline and
 *				target
 *	forecast-XXXXXXXX.svg	when the goal may be reached: a Monte Carlo
 *				forecast over its public milestones only
 *	calibration.svg		stated probability against outcome, over
 *				resolved predictions about public items only
 *	lookback.html		"Looking back": the goals then and now, as
 *				`cairn lookback --post` tells it, with a chart
 *				per goal inline (lookback-page.c)
 *	style.css
 * where XXXXXXXX is the start of the goal's uuid.
 *
 * Invariants (the reason this file exists rather than an HTML template):
 *  - Only items in a public-only snapshot are read (loaded once at
 *    CAIRN_VIS_PUBLIC; the pages show it with the dropped items left
 *    out), so private and lab items appear nowhere: not as pages, links,
 *    graph nodes, counts or ids.  Forecasts plan from the public-only
 *    snapshot, so private work, its estimates and its logged time cannot
 *    shift a published date; calibration counts only
 *    predictions about public items and names no one.  No item id is
 *    printed at all (ids would tell how many items there are); pages are
 *    named by uuid.
 *  - Every text from the store is HTML-escaped; bodies go through
 *    cmark-gfm's HTML writer in safe mode (raw HTML dropped), with images
 *    turned into their text and links kept only for http, https and
 *    mailto.  The pages load nothing from outside the folder (a Content
 *    Security Policy says so too) and hold no script.
 *
 * Workload: a few dozen pages; Graphviz layout dominates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <jansson.h>

#include "cairn/research/lookback.h"
#include "cairn/research/metric.h"
#include "cairn/plan/check.h"
#include "cairn/plan/goal-forecast.h"
#include "cairn/research/predict.h"
#include "cairn/research/timelog.h"
#include "fmt/fmt-int.h"
#include "banned.h"

static const char style_css[] =
        ":root{--fg:#1d1d1f;--muted:#5f6368;--line:#d0d4d9;--bg:#fff;"
        "--accent:#2457a6;--done:#607d8b;--active:#2e7d32;--paused:#b7791f;"
        "--idea:#6a4c93;--dropped:#b3261e}\n"
        "*{box-sizing:border-box}\n"
        "html{-webkit-text-size-adjust:100%}\n"
        "body{margin:0 auto;max-width:46rem;padding:1rem 1.1rem 3rem;"
        "font:17px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,"
        "sans-serif;color:var(--fg);background:var(--bg)}\n"
        "h1{font-size:1.7rem;line-height:1.25;margin:.6rem 0 .3rem}\n"
        "h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid "
        "var(--line);padding-bottom:.2rem}\n"
        "h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\n"
        "a{color:var(--accent);overflow-wrap:anywhere}\n"
        "p,li{overflow-wrap:break-word}\n"
        ".meta{color:var(--muted);font-size:.9rem;margin:.2rem 0}\n"
        "ol.goals{padding-left:1.6rem}\n"
        "ol.goals>li{margin:0 0 1.3rem}\n"
        ".goal-title{font-weight:600;font-size:1.08rem}\n"
        ".badge{display:inline-block;font-size:.72rem;font-weight:600;"
        "letter-spacing:.02em;text-transform:uppercase;border:1px solid;"
        "border-radius:.6rem;padding:0 .45rem;margin-left:.35rem;"
        "vertical-align:.12rem}\n"
        ".s-planned{color:var(--muted)}.s-active{color:var(--active)}"
        ".s-paused{color:var(--paused)}.s-done{color:var(--done)}"
        ".s-idea{color:var(--idea)}.s-dropped{color:var(--dropped)}\n"
        "progress{width:100%;max-width:16rem;height:.6rem;"
        "vertical-align:middle;margin-right:.4rem}\n"
        "ul.items{list-style:none;padding-left:0}\n"
        "ul.items ul.items{padding-left:1.2rem;border-left:2px solid "
        "var(--line);margin-left:.3rem}\n"
        "ul.items li{margin:.35rem 0}\n"
        ".mark{display:inline-block;width:1.3rem;color:var(--muted)}\n"
        "li.done>.title{color:var(--done);text-decoration:line-through}\n"
        ".links{font-size:.92rem}\n"
        ".note{border-left:3px solid var(--line);padding:.1rem .8rem;"
        "margin:.6rem 0;white-space:pre-wrap}\n"
        "figure{margin:1rem 0;overflow-x:auto}\n"
        "figure img,figure svg{max-width:100%;height:auto}\n"
        "figcaption{color:var(--muted);font-size:.85rem}\n"
        ".body pre{overflow-x:auto;background:#f6f8fa;padding:.6rem}\n"
        "footer{margin-top:3rem;color:var(--muted);font-size:.8rem}\n"
        "@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;"
        "--muted:#a0a4a8;--line:#3c4043;--bg:#121212;--accent:#8ab4f8}"
        ".body pre{background:#1e1e1e}figure img{background:#fff}}\n";

struct site {
	struct cairn_store *st;
	/* The planner's view of the public items (forecasts), with the
	 * focus setting, and what the pages show: the same items with the
	 * dropped ones left out. */
	struct cairn_roadmap prm;
	struct cairn_roadmap rm;
	struct cairn_focus focus;
	cairn_site_write_fn write;
	void *ctx;
	struct cairn_err *err;
	char title[256];
	char today[CAIRN_DATE_LEN];
	char since[CAIRN_DATE_LEN]; /* the "Looking back" page's, or "" */
};

static int
emit(struct site *s, const char *name, const struct buf *b)
{
	return s->write(s->ctx, name, b->buf, b->len, s->err);
}

static void
page_head(struct site *s, struct buf *out, const char *title)
{
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	              "<meta charset=\"utf-8\">\n"
	              "<meta name=\"viewport\" content=\"width=device-width, "
	              "initial-scale=1\">\n"
	              "<meta http-equiv=\"Content-Security-Policy\" "
	              "content=\"default-src 'none'; style-src 'self'; "
	              "img-src 'self'; base-uri 'none'; form-action "
	              "'none'\">\n"
	              "<meta name=\"referrer\" content=\"no-referrer\">\n"
	              "<meta name=\"generator\" content=\"cairn\">\n<title>");
	buf_add_html(out, title);
	if (strcmp(title, s->title)) {
		buf_adds(out, " · ");
		buf_add_html(out, s->title);
	}
	buf_adds(out, "</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n"
	              "</head>\n<body>\n");
}

static void
page_foot(struct site *s, struct buf *out)
{
	buf_adds(out, "<footer>Published ");
	buf_add_html(out, s->today);
	buf_adds(out, " with cairn.</footer>\n</body>\n</html>\n");
}

static void
badge(struct buf *out, enum cairn_status st)
{
	buf_addf(out, "<span class=\"badge s-%s\">%s</span>",
	         cairn_status_name(st), cairn_status_name(st));
}

static void
page_name(char out[32], const struct cairn_item *it, const char *ext)
{
	snprintf(out, 32, "goal-%.8s.%s", it->uuid, ext);
}

/* ---- links, notes, bodies ---- */

struct links {
	struct buf *out;
	int n;
};

static int
put_link(void *ctx, const struct cairn_entry *e)
{
	struct links *l = ctx;

	if (!fmt_url_ok(e->text))
		return 0; /* never render a link we would refuse */
	buf_adds(l->out, l->n++ ? " · " : "<p class=\"links\">");
	buf_adds(l->out, "<a rel=\"nofollow noopener noreferrer\" href=\"");
	buf_add_html(l->out, e->text);
	buf_adds(l->out, "\">");
	buf_add_html(l->out, e->label ? e->label : e->text);
	buf_adds(l->out, "</a>");
	return 0;
}

static int
links(struct site *s, struct buf *out, int64_t id)
{
	struct links l = {out, 0};
	long i = cairn_roadmap_find(&s->rm, id);
	int rc = i < 0 ? 0
	               : cairn_roadmap_links(&s->rm, (size_t)i, put_link, &l);

	if (l.n)
		buf_adds(out, "</p>\n");
	return rc;
}

static int
put_note(void *ctx, const struct cairn_entry *e)
{
	struct buf *out = ctx;

	buf_adds(out, "<div class=\"note\"><span class=\"meta\">");
	buf_add(out, e->time, strlen(e->time) >= 10 ? 10 : strlen(e->time));
	buf_adds(out, "</span>\n");
	buf_add_html(out, e->text);
	buf_adds(out, "</div>\n");
	return 0;
}

/*
 * Markdown to HTML, safely: cmark-gfm's safe mode drops raw HTML and
 * dangerous URLs; on top, images become their text (the page must not
 * load anything) and links other than http, https and mailto their text.
 */
static void
body_html(struct buf *out, const char *md)
{
	cmark_node *doc =
	        cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **unwrap = NULL;
	size_t n = 0;
	cmark_event_type ev;
	char *html;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_IMAGE ||
		    (t == CMARK_NODE_LINK &&
		     !fmt_url_ok(cmark_node_get_url(node)))) {
			unwrap = xrealloc(unwrap, (n + 1) * sizeof(*unwrap));
			unwrap[n++] = node;
		}
	}
	cmark_iter_free(it);
	/* Innermost last in document order: unwrap from the end. */
	while (n--) {
		cmark_node *node = unwrap[n], *c;

		while ((c = cmark_node_first_child(node)))
			cmark_node_insert_before(node, c);
		cmark_node_free(node);
	}
	free(unwrap);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
	buf_adds(out, "<div class=\"body\">\n");
	buf_adds(out, html);
	buf_adds(out, "</div>\n");
	free(html);
	cmark_node_free(doc);
}

/* ---- metric charts ---- */

struct series {
	double *v;
	char (*date)[CAIRN_DATE_LEN];
	size_t n;
};

static int
collect_obs(void *ctx, const struct cairn_observation *o)
{
	struct series *s = ctx;

	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->date = xrealloc(s->date, (s->n + 1) * sizeof(*s->date));
	s->v[s->n] = o->value;
	snprintf(s->date[s->n++], CAIRN_DATE_LEN, "%s", o->date);
	return 0;
}

static double
days(const char *date)
{
	return (double)cairn_ts_to_time(date) / 86400.0;
}

/* Open an SVG chart of W x H with its title (escaped) on white. */
static void
svg_open(struct buf *out, double w, double h, const char *prefix,
         const char *title)
{
	buf_addf(out,
	         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	         "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	         "font-family=\"sans-serif\" font-size=\"11\">\n<title>%s",
	         w, h, w, h, prefix);
	buf_add_html(out, title);
	buf_adds(out, "</title>\n<rect width=\"100%\" height=\"100%\" "
	              "fill=\"#ffffff\"/>\n");
}

/* A line chart: observations over time, baseline and target dashed. */
static void
chart_svg(struct buf *out, const struct cairn_metric *m, const struct series *s)
{
	const double W = 560, H = 220, L = 64, R = 16, T = 16, B = 36;
	double lo = fmin(m->baseline, m->target),
	       hi = fmax(m->baseline, m->target);
	double d0 = s->n ? days(s->date[0]) : 0, d1 = d0 + 1;
	char a[32];

	for (size_t i = 0; i < s->n; i++) {
		lo = fmin(lo, s->v[i]);
		hi = fmax(hi, s->v[i]);
		d1 = fmax(d1, days(s->date[i]));
	}
	if (hi - lo < 1e-12)
		hi = lo + 1;
	lo -= (hi - lo) * 0.05;
	hi += (hi - lo) * 0.05;
#define X(d) (L + ((d)-d0) / (d1 - d0) * (W - L - R))
#define Y(v) (T + (hi - (v)) / (hi - lo) * (H - T - B))
	svg_open(out, W, H, "", m->name);
	buf_addf(out,
	         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	         "stroke=\"#999\"/>\n",
	         L, H - B, W - R, H - B);
	buf_addf(out,
	         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	         "stroke=\"#999\"/>\n",
	         L, T, L, H - B);
	for (int k = 0; k < 2; k++) {
		double v = k ? m->target : m->baseline;

		fmt_num(a, v);
		buf_addf(out,
		         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		         "y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5 4\"/>"
		         "\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		         "fill=\"%s\">%s %s</text>\n",
		         L, Y(v), W - R, Y(v), k ? "#2e7d32" : "#888", W - R,
		         Y(v) - 4, k ? "#2e7d32" : "#666",
		         k ? "target" : "baseline", a);
	}
	if (s->n) {
		buf_adds(out, "<polyline fill=\"none\" stroke=\"#2457a6\" "
		              "stroke-width=\"2\" points=\"");
		for (size_t i = 0; i < s->n; i++)
			buf_addf(out, "%s%.1f,%.1f", i ? " " : "",
			         X(days(s->date[i])), Y(s->v[i]));
		buf_adds(out, "\"/>\n");
		for (size_t i = 0; i < s->n; i++) {
			fmt_num(a, s->v[i]);
			buf_addf(out,
			         "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
			         "fill=\"#2457a6\"><title>%s: %s</title>"
			         "</circle>\n",
			         X(days(s->date[i])), Y(s->v[i]), s->date[i],
			         a);
		}
		buf_addf(out,
		         "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n"
		         "<text x=\"%.1f\" y=\"%.1f\" "
		         "text-anchor=\"end\">%s</text>\n",
		         L, H - B + 16, s->date[0], W - R, H - B + 16,
		         s->date[s->n - 1]);
	} else {
		buf_addf(out,
		         "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		         "fill=\"#666\">no observations yet</text>\n",
		         (L + W - R) / 2, (T + H - B) / 2);
	}
#undef X
#undef Y
	buf_adds(out, "</svg>\n");
}

struct metrics {
	struct site *s;
	const struct cairn_item *goal;
	const struct cairn_item *owner;
	struct buf *page;
	int n;
	int rc;
};

static int
put_metric(void *ctx, const struct cairn_metric *m)
{
	struct metrics *ms = ctx;
	struct site *s = ms->s;
	struct series ser = {NULL, NULL, 0};
	struct buf svg = BUF_INIT;
	char name[48], a[32], b[32], c[32];
	int rc;

	if ((rc = cairn_metric_observations(s->st, m->id, collect_obs, &ser,
	                                    s->err)))
		goto out;
	ms->n++;
	snprintf(name, sizeof(name), "metric-%.8s-%d.svg", ms->goal->uuid,
	         ms->n);
	chart_svg(&svg, m, &ser);
	if ((rc = emit(s, name, &svg)))
		goto out;
	fmt_num(a, m->baseline);
	fmt_num(b, m->target);
	buf_adds(ms->page, "<figure>\n<h3>");
	buf_add_html(ms->page, m->name);
	if (m->unit && *m->unit) {
		buf_adds(ms->page, " (");
		buf_add_html(ms->page, m->unit);
		buf_adds(ms->page, ")");
	}
	buf_adds(ms->page, "</h3>\n<p class=\"meta\">");
	if (ms->owner != ms->goal) {
		buf_add_html(ms->page, ms->owner->title);
		buf_adds(ms->page, ": ");
	}
	buf_addf(ms->page, "from %s to %s", a, b);
	if (m->has_latest) {
		fmt_num(c, m->latest);
		buf_addf(ms->page, "; latest %s on %s (%.1f%% of the way)", c,
		         m->latest_date,
		         cairn_metric_progress(m->baseline, m->target,
		                               m->latest));
	}
	buf_addf(ms->page,
	         "</p>\n<img src=\"%s\" width=\"560\" "
	         "height=\"220\" alt=\"",
	         name);
	buf_add_html(ms->page, m->name);
	buf_adds(ms->page, " over time\">\n</figure>\n");
out:
	free(ser.v);
	free(ser.date);
	buf_release(&svg);
	ms->rc = rc;
	return rc;
}

/* ---- forecast histogram ---- */

/* Bars for the SVG: more than the CLI's text rows, it has the room. */
#define FC_BINS 20

/* Bars of finish dates given success, with P50, P80 and P95 marked. */
static void
forecast_svg(struct buf *out, const struct cairn_goal_forecast *fc)
{
	const double W = 560, H = 220, L = 48, R = 16, T = 20, B = 36;
	const double pw = W - L - R, ph = H - T - B;
	struct cairn_goal_forecast_row rows[FC_BINS];
	size_t nb = cairn_goal_forecast_rows(fc, FC_BINS, rows);
	/* The x axis counts working days: bar k spans its rows' days. */
	double lo = (double)rows[0].from_workdays;
	double span = (double)(rows[nb - 1].to_workdays + 1) - lo;
	uint64_t most = 1;
	char d[CAIRN_DATE_LEN];

	for (size_t k = 0; k < nb; k++)
		if (rows[k].count > most)
			most = rows[k].count;
	svg_open(out, W, H, "Forecast: ", fc->title);
	for (size_t k = 0; k < nb; k++) {
		double h = ph * (double)rows[k].count / (double)most;

		buf_addf(out,
		         "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		         "height=\"%.1f\" fill=\"#8fb0e0\"><title>%s to %s: "
		         "%.1f%% of successful trials</title></rect>\n",
		         L + pw * (double)k / (double)nb + 0.5, T + ph - h,
		         pw / (double)nb - 1, h, rows[k].from, rows[k].to,
		         100.0 * (double)rows[k].count /
		                 (double)fc->f.successes);
	}
	buf_addf(out,
	         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	         "stroke=\"#999\"/>\n",
	         L, T + ph, W - R, T + ph);
	buf_addf(out,
	         "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
	         "fill=\"#666\">%.0f%%</text>\n",
	         L - 6, T + 8, 100.0 * (double)most / (double)fc->f.successes);
	{
		static const char *const names[] = {"P50", "P80", "P95"};
		const double v[] = {fc->f.p50, fc->f.p80, fc->f.p95};

		for (int k = 0; k < 3; k++) {
			double x =
			        L +
			        pw *
			                ((double)cairn_goal_forecast_workdays(
			                         fc, v[k]) -
			                 lo + 0.5) /
			                span;

			cairn_goal_forecast_date(fc, v[k], d);
			buf_addf(out,
			         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			         "y2=\"%.1f\" stroke=\"#2457a6\" "
			         "stroke-dasharray=\"4 3\"/>\n<text x=\"%.1f\" "
			         "y=\"%.1f\" fill=\"#2457a6\" "
			         "text-anchor=\"%s\">%s %s</text>\n",
			         x, T - 2 + 12.0 * k, x, T + ph,
			         x + (x + 110 > W - R ? -3 : 3),
			         T + 8 + 12.0 * k,
			         x + 110 > W - R ? "end" : "start", names[k],
			         d);
		}
	}
	buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", L, T + ph + 16,
	         rows[0].from);
	buf_addf(out,
	         "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n"
	         "</svg>\n",
	         W - R, T + ph + 16, rows[nb - 1].to);
}

/*
 * The forecast section of goal g's page, from the public items only:
 * private or lab work, its estimates and its time never shape what the
 * site says.  Nothing when no public work remains.
 */
static int
goal_forecast(struct site *s, const struct cairn_item *g, struct buf *page)
{
	struct cairn_goal_forecast_opts o = CAIRN_GOAL_FORECAST_OPTS_INIT;
	struct cairn_goal_forecast fc;
	struct buf svg = BUF_INIT;
	char name[32], d[3][CAIRN_DATE_LEN];
	int rc;

	o.start = s->today;
	rc = cairn_goal_forecast_snapshot(&s->prm, &s->focus, g->id, &o, &fc,
	                                  s->err);
	if (rc == CAIRN_ECYCLE) {
		/* Made before cairn refused such edges, or imported: say
		 * so, but publish the rest (the message names ids). */
		cairn_err_clear(s->err);
		buf_adds(page, "<h2>Forecast</h2>\n<p>No forecast: some "
		               "milestones build on work they are part of, or "
		               "on each other in a circle (<code>cairn "
		               "check</code> finds them).</p>\n");
		rc = 0;
		goto out;
	}
	if (rc || !fc.remaining)
		goto out;
	buf_addf(page,
	         "<h2>Forecast</h2>\n<p>Chance of reaching this goal: "
	         "<strong>%.0f%%</strong>.",
	         fc.f.chance * 100);
	if (!fc.f.successes) {
		buf_adds(page, " No simulated run reached it.</p>\n");
		goto out;
	}
	cairn_goal_forecast_date(&fc, fc.f.p50, d[0]);
	cairn_goal_forecast_date(&fc, fc.f.p80, d[1]);
	cairn_goal_forecast_date(&fc, fc.f.p95, d[2]);
	buf_addf(page,
	         " If it is reached: by %s at even odds (P50), %s with 80%% "
	         "confidence, %s with 95%%.</p>\n",
	         d[0], d[1], d[2]);
	snprintf(name, sizeof(name), "forecast-%.8s.svg", g->uuid);
	forecast_svg(&svg, &fc);
	if ((rc = emit(s, name, &svg)))
		goto out;
	buf_addf(page,
	         "<figure><img src=\"%s\" width=\"560\" height=\"220\" "
	         "alt=\"When this goal may be reached: finish dates of "
	         "the simulated runs that reached it\"><figcaption>%llu "
	         "simulated runs over the remaining public milestones "
	         "(estimates, chances of success and up to %d attempts "
	         "each), %d working days a week",
	         name, (unsigned long long)fc.trials, fc.max_attempts,
	         fc.days_per_week);
	if (fc.share < 1)
		buf_addf(page, ", %.0f%% of the time", fc.share * 100);
	if (fc.f.history_used)
		buf_adds(page, ", efforts scaled by how long finished public "
		               "milestones took");
	buf_adds(page, ".</figcaption></figure>\n");
out:
	cairn_goal_forecast_release(&fc);
	buf_release(&svg);
	return rc;
}

/* ---- calibration chart ---- */

struct calib {
	struct site *s;
	struct cairn_calibration c;
};

/* Only predictions about a public item count: the rest stay private. */
static int
calib_one(void *ctx, const struct cairn_prediction *pr)
{
	struct calib *cb = ctx;

	if (!pr->item || cairn_roadmap_find(&cb->s->rm, pr->item) < 0)
		return 0;
	cairn_calibration_add(&cb->c, pr->p, pr->outcome,
	                      pr->due[0] && strcmp(pr->resolved, pr->due) < 0);
	return 0;
}

/* Stated probability against how often it came true, per bin. */
static void
calibration_svg(struct buf *out, const struct cairn_calibration *c)
{
	const double W = 360, H = 340, L = 52, R = 16, T = 16, B = 52;
	const double pw = W - L - R, ph = H - T - B;
	int most = 1;

#define CX(p) (L + (p)*pw)
#define CY(f) (T + (1 - (f)) * ph)
	for (int k = 0; k < CAIRN_CALIBRATION_BINS; k++)
		if (c->bins[k].count > most)
			most = c->bins[k].count;
	svg_open(out, W, H, "", "Calibration of predictions");
	for (int t = 0; t <= 4; t++) {
		double v = t / 4.0;

		buf_addf(
		        out,
		        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		        "stroke=\"#e3e6ea\"/>\n<line x1=\"%.1f\" y1=\"%.1f\" "
		        "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ea\"/>\n"
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		        "fill=\"#666\">%d%%</text>\n<text x=\"%.1f\" "
		        "y=\"%.1f\" text-anchor=\"end\" fill=\"#666\">%d%%"
		        "</text>\n",
		        CX(v), CY(0), CX(v), CY(1), CX(0), CY(v), CX(1), CY(v),
		        CX(v), CY(0) + 15, t * 25, CX(0) - 5, CY(v) + 4,
		        t * 25);
	}
	buf_addf(out,
	         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	         "stroke=\"#999\" stroke-dasharray=\"5 4\"><title>perfect "
	         "calibration</title></line>\n<text x=\"%.1f\" y=\"%.1f\" "
	         "text-anchor=\"middle\">stated probability</text>\n"
	         "<text transform=\"translate(14 %.1f) rotate(-90)\" "
	         "text-anchor=\"middle\">how often it came true</text>\n",
	         CX(0), CY(0), CX(1), CY(1), CX(0.5), H - 14, CY(0.5));
	for (int k = 0; k < CAIRN_CALIBRATION_BINS; k++) {
		const struct cairn_calibration_bin *b = &c->bins[k];
		double mp, fr;

		if (!b->count)
			continue;
		mp = b->sum_p / b->count;
		fr = (double)b->yes / b->count;
		buf_addf(out,
		         "<circle class=\"bin\" cx=\"%.1f\" cy=\"%.1f\" "
		         "r=\"%.1f\" fill=\"#2457a6\" fill-opacity=\"0.75\">"
		         "<title>stated %.0f-%.0f%%: %d of %d came true"
		         "</title></circle>\n",
		         CX(mp), CY(fr),
		         3.5 + 8.5 * sqrt((double)b->count / most), b->lo * 100,
		         b->hi * 100, b->yes, b->count);
	}
#undef CX
#undef CY
	buf_adds(out, "</svg>\n");
}

/* The calibration section of the index page, when there is any. */
static int
index_calibration(struct site *s, struct buf *page)
{
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct calib cb;
	struct buf svg = BUF_INIT;
	int rc;

	cb.s = s;
	cairn_calibration_init(&cb.c);
	q.resolved = 1;
	if ((rc = cairn_prediction_each(s->st, &q, calib_one, &cb, s->err)))
		return rc;
	if (!cb.c.count)
		return 0;
	cairn_calibration_finish(&cb.c);
	calibration_svg(&svg, &cb.c);
	if ((rc = emit(s, "calibration.svg", &svg)))
		goto out;
	buf_addf(page,
	         "<h2>Calibration</h2>\n<p>%d resolved prediction%s about "
	         "these goals, %d came true; Brier score %.3f (0 is perfect, "
	         "0.25 is always saying 50%%).</p>\n<figure><img "
	         "src=\"calibration.svg\" width=\"360\" height=\"340\" "
	         "alt=\"Stated probability against how often predictions "
	         "came true\"><figcaption>Each dot groups predictions made "
	         "with about the same probability; on the dashed line, "
	         "what was said to happen 70%% of the time happened 70%% of "
	         "the time.</figcaption></figure>\n",
	         cb.c.count, cb.c.count == 1 ? "" : "s", cb.c.yes, cb.c.brier);
out:
	buf_release(&svg);
	return rc;
}

/* ---- pages ---- */

static void
progress(struct buf *out, const struct cairn_roadmap *rm, size_t i)
{
	size_t done, total;

	cairn_roadmap_progress(rm, i, &done, &total);
	if (!total)
		return;
	buf_addf(out,
	         "<p class=\"meta\"><progress value=\"%zu\" max=\"%zu\">"
	         "%zu of %zu</progress>%zu of %zu milestone%s done</p>\n",
	         done, total, done, total, done, total, total == 1 ? "" : "s");
}

/* The items below node i as nested lists. */
static int
item_list(struct site *s, struct buf *out, size_t i)
{
	const struct cairn_roadmap *rm = &s->rm;
	int rc = 0;

	if (rm->kid_off[i] == rm->kid_off[i + 1])
		return 0;
	buf_adds(out, "<ul class=\"items\">\n");
	for (uint32_t k = rm->kid_off[i]; k < rm->kid_off[i + 1] && !rc; k++) {
		const struct cairn_item *c = &rm->items[rm->kid[k]];
		const char *mark = c->kind == CAIRN_KIND_QUESTION     ? "?"
		                   : c->status == CAIRN_STATUS_DONE   ? "✓"
		                   : c->status == CAIRN_STATUS_ACTIVE ? "▸"
		                   : c->kind == CAIRN_KIND_IDEA       ? "·"
		                                                      : "○";

		buf_addf(out,
		         "<li class=\"%s %s\"><span class=\"mark\">%s"
		         "</span><span class=\"title\">",
		         cairn_kind_name(c->kind), cairn_status_name(c->status),
		         mark);
		buf_add_html(out, c->title);
		buf_adds(out, "</span>");
		if (c->status != CAIRN_STATUS_PLANNED)
			badge(out, c->status);
		if (c->due[0])
			buf_addf(out, " <span class=\"meta\">due %s</span>",
			         c->due);
		buf_addch(out, '\n');
		rc = links(s, out, c->id);
		if (!rc)
			rc = item_list(s, out, rm->kid[k]);
		buf_adds(out, "</li>\n");
	}
	buf_adds(out, "</ul>\n");
	return rc;
}

/* Metrics of node i and everything below it, in tree order. */
static int
metrics_below(struct site *s, struct metrics *ms, size_t i)
{
	const struct cairn_roadmap *rm = &s->rm;
	int rc;

	ms->owner = &rm->items[i];
	rc = cairn_metric_each(s->st, rm->items[i].id, NULL, put_metric, ms,
	                       s->err);
	if (rc)
		return ms->rc ? ms->rc : rc;
	for (uint32_t k = rm->kid_off[i]; k < rm->kid_off[i + 1] && !rc; k++)
		rc = metrics_below(s, ms, rm->kid[k]);
	return rc;
}

static int
goal_page(struct site *s, size_t gi)
{
	const struct cairn_item *g = &s->rm.items[gi];
	struct buf page = BUF_INIT, svg = BUF_INIT, mpart = BUF_INIT;
	struct metrics ms = {s, g, g, &mpart, 0, 0};
	struct cairn_roadmap sub;
	char html[32], gname[32];
	char n[32];
	int rc;

	page_name(html, g, "html");
	page_name(gname, g, "svg");
	page_head(s, &page, g->title);
	buf_adds(&page, "<nav class=\"meta\"><a href=\"index.html\">← all "
	                "goals</a></nav>\n<header>\n<h1>");
	buf_add_html(&page, g->title);
	buf_adds(&page, "</h1>\n<p class=\"meta\">");
	badge(&page, g->status);
	if (g->due[0])
		buf_addf(&page, " target date %s", g->due);
	if (g->driven)
		buf_addf(&page, " · %s-driven", cairn_driven_name(g->driven));
	if (g->likelihood >= 0) {
		fmt_num(n, g->likelihood * 100);
		buf_addf(&page, " · likelihood %s%%", n);
	}
	buf_adds(&page, "</p>\n");
	progress(&page, &s->rm, gi);
	buf_adds(&page, "</header>\n<main>\n");
	if (g->body && *g->body)
		body_html(&page, g->body);
	if ((rc = links(s, &page, g->id)))
		goto out;
	if ((rc = metrics_below(s, &ms, gi)))
		goto out;
	if (ms.n) {
		buf_adds(&page, "<h2>Metrics</h2>\n");
		buf_add(&page, mpart.buf, mpart.len);
	}
	if ((rc = goal_forecast(s, g, &page)))
		goto out;
	if (s->rm.kid_off[gi] < s->rm.kid_off[gi + 1]) {
		buf_adds(&page, "<h2>Milestones and questions</h2>\n");
		if ((rc = item_list(s, &page, gi)))
			goto out;
	}
	{
		struct buf notes = BUF_INIT;

		rc = cairn_roadmap_notes(&s->rm, gi, put_note, &notes);
		if (!rc && notes.len) {
			buf_adds(&page, "<h2>Notes</h2>\n");
			buf_add(&page, notes.buf, notes.len);
		}
		buf_release(&notes);
		if (rc)
			goto out;
	}
	cairn_roadmap_subtree(&s->rm, gi, &sub);
	rc = fmt_dot_render(&sub, 1, 1, NULL, NULL, &svg, s->err);
	cairn_roadmap_release(&sub);
	if (rc || (rc = emit(s, gname, &svg)))
		goto out;
	buf_addf(&page,
	         "<h2>Graph</h2>\n<figure><img src=\"%s\" alt=\"How the "
	         "milestones of this goal build on each other\">"
	         "<figcaption>Arrows point from a milestone to the work that "
	         "builds on it.</figcaption></figure>\n</main>\n",
	         gname);
	page_foot(s, &page);
	rc = emit(s, html, &page);
out:
	buf_release(&page);
	buf_release(&svg);
	buf_release(&mpart);
	return rc;
}

static int
index_page(struct site *s)
{
	struct buf page = BUF_INIT, svg = BUF_INIT;
	int rc = 0;

	page_head(s, &page, s->title);
	buf_adds(&page, "<header>\n<h1>");
	buf_add_html(&page, s->title);
	buf_addf(&page,
	         "</h1>\n<p class=\"meta\">Updated %s</p>\n</header>\n"
	         "<main>\n",
	         s->today);
	if (!s->rm.ngoals)
		buf_adds(&page, "<p>No public goals yet.</p>\n");
	else
		buf_adds(&page, "<h2>Goals</h2>\n<ol class=\"goals\">\n");
	for (size_t k = 0; k < s->rm.ngoals && !rc; k++) {
		size_t gi = s->rm.goals[k];
		const struct cairn_item *g = &s->rm.items[gi];
		char html[32];

		page_name(html, g, "html");
		buf_addf(&page,
		         "<li class=\"%s\"><a class=\"goal-title\" "
		         "href=\"%s\">",
		         cairn_status_name(g->status), html);
		buf_add_html(&page, g->title);
		buf_adds(&page, "</a>");
		badge(&page, g->status);
		if (g->due[0])
			buf_addf(&page, "<p class=\"meta\">target date %s</p>",
			         g->due);
		buf_addch(&page, '\n');
		progress(&page, &s->rm, gi);
		rc = links(s, &page, g->id);
		buf_adds(&page, "</li>\n");
	}
	if (rc)
		goto out;
	if (s->rm.ngoals)
		buf_adds(&page, "</ol>\n");
	if ((rc = fmt_dot_render(&s->rm, 1, 1, "goal-%s.html", NULL, &svg,
	                         s->err)) ||
	    (rc = emit(s, "roadmap.svg", &svg)))
		goto out;
	if (s->rm.n)
		buf_adds(&page, "<h2>Roadmap</h2>\n<figure><img "
		                "src=\"roadmap.svg\" alt=\"The roadmap: goals "
		                "and the milestones that build toward them\">"
		                "<figcaption>Each box groups a goal with its "
		                "milestones; arrows point from a milestone to "
		                "the work that builds on it.</figcaption>"
		                "</figure>\n");
	if ((rc = index_calibration(s, &page)))
		goto out;
	if (s->since[0])
		buf_addf(&page,
		         "<h2>Looking back</h2>\n<p><a href=\"lookback.html\">"
		         "The goals on %s, then and now</a>.</p>\n",
		         s->since);
	buf_adds(&page, "</main>\n");
	page_foot(s, &page);
	rc = emit(s, "index.html", &page);
out:
	buf_release(&page);
	buf_release(&svg);
	return rc;
}

/*
 * The "Looking back" page, from since, else from the creation of the
 * earliest public goal (the first published snapshot: nothing records
 * publishing), just after it so that it stands then; none without.
 */
static int
lookback_page(struct site *s, const char *since)
{
	struct cairn_lookback lb;
	struct buf page = BUF_INIT;
	char from[CAIRN_TS_LEN] = "";
	int rc;

	if (since && *since) {
		snprintf(from, sizeof(from), "%s", since);
	} else {
		for (size_t i = 0; i < s->prm.n; i++) {
			const struct cairn_item *it = &s->prm.items[i];

			if (it->kind == CAIRN_KIND_GOAL &&
			    (!from[0] || strcmp(it->created, from) < 0))
				snprintf(from, sizeof(from), "%s", it->created);
		}
		if (!from[0])
			return 0;
		cairn_ts_format(cairn_ts_to_time(from) + 1, from);
	}
	if ((rc = cairn_lookback(s->st, from, NULL, &lb, s->err)))
		return rc;
	snprintf(s->since, sizeof(s->since), "%.10s", lb.since);
	page_head(s, &page, "Looking back");
	buf_adds(&page, "<nav class=\"meta\"><a href=\"index.html\">← all "
	                "goals</a></nav>\n");
	rc = fmt_lookback_page(s->st, &lb, &page, s->err);
	if (!rc) {
		page_foot(s, &page);
		rc = emit(s, "lookback.html", &page);
	}
	buf_release(&page);
	cairn_lookback_release(&lb);
	return rc;
}

/* The site's title: the Jekyll front matter's, else a plain one. */
static void
site_title(struct site *s)
{
	const char *v;
	json_t *j;

	snprintf(s->title, sizeof(s->title), "Research roadmap");
	if (!(v = cairn_roadmap_setting(&s->prm, "frontmatter.title")))
		return;
	j = json_loads(v, JSON_DECODE_ANY, NULL);
	if (json_is_string(j) && json_string_length(j))
		snprintf(s->title, sizeof(s->title), "%s",
		         json_string_value(j));
	json_decref(j);
}

int
cairn_publish(struct cairn_store *st, cairn_site_write_fn write, void *ctx,
              struct cairn_err *err)
{
	return cairn_publish_since(st, NULL, write, ctx, err);
}

int
cairn_publish_since(struct cairn_store *st, const char *since,
                    cairn_site_write_fn write, void *ctx, struct cairn_err *err)
{
	struct site s;
	struct cairn_roadmap_scope public = {.minvis = CAIRN_VIS_PUBLIC};
	struct cairn_roadmap_scope shown = {.no_dropped = 1};
	struct buf css = BUF_INIT;
	int rc;

	memset(&s, 0, sizeof(s));
	s.st = st;
	s.write = write;
	s.ctx = ctx;
	s.err = err;
	cairn_date_format(cairn_clock(), s.today);
	if ((rc = cairn_roadmap_load_scope(st, &public, &s.prm, err)) ||
	    (rc = cairn_roadmap_select(&s.prm, &shown, &s.rm, err))) {
		cairn_roadmap_release(&s.rm);
		cairn_roadmap_release(&s.prm);
		return rc;
	}
	s.focus = s.prm.focus;
	site_title(&s);
	buf_add(&css, style_css, sizeof(style_css) - 1);
	rc = emit(&s, "style.css", &css);
	for (size_t k = 0; k < s.rm.ngoals && !rc; k++)
		rc = goal_page(&s, s.rm.goals[k]);
	if (!rc)
		rc = lookback_page(&s, since);
	if (!rc)
		rc = index_page(&s);
	buf_release(&css);
	cairn_roadmap_release(&s.rm);
	cairn_roadmap_release(&s.prm);
	return rc;
}
