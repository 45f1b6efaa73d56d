/*
 * pages.c: the HTML pages of `cairn serve`, rendered on the server, and
 * the form posts behind every action (each answers 303 back to the page,
 * or the error page with the CLI's message and the status of the API).
 * No page needs JavaScript.
 *
 *   GET  /                        dashboard: focus this week against its
 *                                 targets and the WIP limit, next,
 *                                 check, predictions due, the attention
 *                                 forecast, undo and redo
 *   GET  /check                   every finding of the linter
 *   GET  /roadmap                 the goal tree, add form, status buttons
 *   GET  /items/ID                one item: fields, children, builds-on,
 *                                 notes, and the forms that edit them
 *   POST /items                   kind, title, parent
 *   POST /items/ID/status         verb (start, pause, done, drop), why
 *   POST /items/ID/edit           title
 *   POST /items/ID/notes          text
 *   POST /items/ID/time           duration, date, note
 *   POST /items/ID/metric-log     name, value, date
 *   POST /items/ID/builds-on      id;  .../builds-on/PRE/remove
 *   POST /predictions/PID/resolve outcome (yes, no), why
 *   POST /undo, /redo
 *   (and the pages of transfer.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

static void
error_page(struct web *w, struct http_resp *rs, int status, const char *msg)
{
	web_error(w, rs, 0, status, msg);
}

static void
status_buttons(struct web *w, struct buf *out, const struct cairn_item *it)
{
	static const char *const verbs[] = {"start", "pause", "done"};

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (web_verb_status(verbs[i]) == (int)it->status)
			continue;
		html_addf(out,
		          " <form class=\"inline\" method=\"post\" "
		          "action=\"/items/%lld/status\">",
		          (long long)it->id);
		html_csrf(w, out);
		html_addf(out,
		          "<input type=\"hidden\" name=\"verb\" value=\"%s\">"
		          "<button class=\"small\" type=\"submit\" "
		          "aria-label=\"%s #%lld\">%s</button></form>",
		          verbs[i], verbs[i], (long long)it->id, verbs[i]);
	}
}

static void
item_line(struct web *w, struct buf *out, const struct cairn_item *it)
{
	const char *st = cairn_status_name(it->status);

	/* live.js edits the title in place (span.title) and the status
	 * (span.status, the status forms) through the API. */
	html_addf(
	        out,
	        "<span class=\"kind\">%s</span> <a href=\"/items/%lld\">#%lld "
	        "<span class=\"title\" data-item=\"%lld\">%s</span></a> "
	        "<span class=\"status status-%s\" data-item=\"%lld\">%s"
	        "</span>",
	        cairn_kind_name(it->kind), (long long)it->id, (long long)it->id,
	        (long long)it->id, it->title, st, (long long)it->id, st);
}

struct tree {
	struct web *w;
	struct buf *out;
	int depth; /* of the last item written; -1 before the first */
};

static int
tree_item(void *ctx, const struct cairn_item *it, int depth,
          const unsigned char *last)
{
	struct tree *t = ctx;

	(void)last;
	if (depth > t->depth)
		buf_adds(t->out, "<ul class=\"tree\">");
	else
		buf_adds(t->out, "</li>");
	for (int d = t->depth; d > depth; d--)
		buf_adds(t->out, "</ul></li>");
	buf_adds(t->out, "\n<li>");
	item_line(t->w, t->out, it);
	status_buttons(t->w, t->out, it);
	t->depth = depth;
	return 0;
}

static void
add_form(struct web *w, struct buf *out, int64_t parent)
{
	buf_adds(out, "<form class=\"row\" method=\"post\" action=\"/items\">");
	html_csrf(w, out);
	buf_adds(out, "<label>Kind <select name=\"kind\">");
	for (int k = 0; k < CAIRN_KIND_COUNT; k++)
		html_addf(out, "<option%s>%s</option>",
		          (parent ? k == CAIRN_KIND_MILESTONE
		                  : k == CAIRN_KIND_GOAL)
		                  ? " selected"
		                  : "",
		          cairn_kind_name(k));
	buf_adds(out, "</select></label>"
	              "<label>Title <input name=\"title\" required></label>");
	if (parent)
		html_addf(out,
		          "<input type=\"hidden\" name=\"parent\" "
		          "value=\"%lld\">",
		          (long long)parent);
	else
		buf_adds(out, "<label>Under (id, optional) <input "
		              "name=\"parent\" inputmode=\"numeric\" "
		              "size=\"6\"></label>");
	buf_adds(out, "<button type=\"submit\">Add</button></form>\n");
}

static int
roadmap(struct web *w, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf *out = &rs->body;
	struct tree t = {w, out, -1};
	int rc;

	html_begin(w, out, "Roadmap");
	buf_adds(out, "<h2>Add</h2>");
	add_form(w, out, 0);
	buf_adds(out, "<h2>Goals and their milestones</h2>");
	rc = cairn_tree_walk(w->st, 0, CAIRN_TREE_BRIEF, tree_item, &t, &err);
	if (rc) {
		buf_reset(out);
		error_page(w, rs, web_status(rc), err.msg);
		return 0;
	}
	if (t.depth < 0)
		buf_adds(out,
		         "<p class=\"muted\">Nothing yet: add a goal.</p>");
	for (int d = t.depth; d >= 0; d--)
		buf_adds(out, "</li></ul>");
	html_end(out);
	return 0;
}

struct list {
	struct web *w;
	struct buf *out;
	int n;
	int64_t id; /* the page's item */
};

static int
list_item(void *ctx, const struct cairn_item *it)
{
	struct list *l = ctx;

	buf_adds(l->out, l->n++ ? "\n<li>" : "<ul>\n<li>");
	item_line(l->w, l->out, it);
	buf_adds(l->out, "</li>");
	return 0;
}

/* A prerequisite of l->id, with the form that removes the edge. */
static int
list_prereq(void *ctx, const struct cairn_item *it)
{
	struct list *l = ctx;

	buf_adds(l->out, l->n++ ? "\n<li>" : "<ul>\n<li>");
	item_line(l->w, l->out, it);
	html_addf(l->out,
	          " <form class=\"inline\" method=\"post\" "
	          "action=\"/items/%lld/builds-on/%lld/remove\">",
	          (long long)l->id, (long long)it->id);
	html_csrf(l->w, l->out);
	html_addf(l->out,
	          "<button class=\"small\" type=\"submit\" "
	          "aria-label=\"remove edge to #%lld\">remove</button>"
	          "</form></li>",
	          (long long)it->id);
	return 0;
}

static int
list_note(void *ctx, const struct cairn_entry *e)
{
	struct list *l = ctx;

	buf_adds(l->out, l->n++ ? "\n" : "<ul>\n");
	html_addf(l->out, "<li><span class=\"muted\">%s</span> %s</li>",
	          e->time, e->text);
	return 0;
}

static void
list_end(struct list *l)
{
	if (l->n)
		buf_adds(l->out, "</ul>\n");
	else
		buf_adds(l->out, "<p class=\"muted\">None.</p>\n");
	l->n = 0;
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "-";
}

/* The histogram's rows as bars, each with its dates as a title. */
static void
histogram_svg(struct buf *out, json_t *rows)
{
	json_int_t most = 1;
	size_t i, n = json_array_size(rows);
	json_t *r;

	json_array_foreach(rows, i, r)
	{
		json_int_t c = json_integer_value(json_object_get(r, "count"));

		if (c > most)
			most = c;
	}
	html_addf(out,
	          "<svg class=\"hist\" role=\"img\" viewBox=\"0 0 %d 100\" "
	          "width=\"100%%\" height=\"120\" aria-label=\"finish dates of "
	          "the successful trials\">",
	          (int)(n ? n * 20 : 20));
	json_array_foreach(rows, i, r)
	{
		json_int_t c = json_integer_value(json_object_get(r, "count"));
		int h = (int)(c * 96 / most);

		html_addf(out,
		          "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"%d\" "
		          "fill=\"#0b5cad\"><title>%s to %s: %lld trials"
		          "</title></rect>",
		          (int)i * 20, 100 - h, h, jstr(r, "from"),
		          jstr(r, "to"), (long long)c);
	}
	buf_adds(out, "</svg>");
}

static void
forecast_section(struct web *w, struct http_req *rq, struct buf *out,
                 int64_t goal)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_goal_forecast fc;

	buf_adds(out, "<h2>Forecast</h2>");
	html_addf(out,
	          "<form class=\"row\" method=\"get\" "
	          "action=\"/items/%lld\">",
	          (long long)goal);
	buf_adds(out,
	         "<label>Trials <input name=\"trials\" inputmode=\"numeric\" "
	         "size=\"8\" placeholder=\"10000\"></label>"
	         "<label>Seed <input name=\"seed\" inputmode=\"numeric\" "
	         "size=\"6\" placeholder=\"1\"></label>"
	         "<label>Work streams <input name=\"capacity\" "
	         "inputmode=\"numeric\" size=\"3\" placeholder=\"1\"></label>"
	         "<button type=\"submit\">Forecast</button></form>");
	if (web_forecast(w, rq, goal, &fc, &err)) {
		html_addf(out, "<p class=\"error\" role=\"alert\">%s</p>",
		          err.msg);
		cairn_goal_forecast_release(&fc);
		return;
	}
	html_forecast(out, &fc);
	cairn_goal_forecast_release(&fc);
}

void
html_forecast(struct buf *out, const struct cairn_goal_forecast *fc)
{
	json_t *o = cairn_goal_forecast_json(fc);
	char num[32];

	if (!json_object_get(o, "chance")) {
		buf_adds(out, "<p class=\"muted\">Nothing left to do.</p>");
		json_decref(o);
		return;
	}
	snprintf(num, sizeof(num), "%.0f%%",
	         100 * json_number_value(json_object_get(o, "chance")));
	html_addf(out,
	          "<p class=\"forecast\">Chance <strong>%s</strong>; P50 "
	          "<strong>%s</strong>, P80 %s, P95 %s</p>",
	          num, jstr(o, "p50"), jstr(o, "p80"), jstr(o, "p95"));
	histogram_svg(out, json_object_get(o, "histogram"));
	json_decref(o);
}

struct points {
	double *v;
	size_t n, cap;
};

static int
add_point(void *ctx, const struct cairn_observation *o)
{
	struct points *p = ctx;

	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] = o->value;
	return 0;
}

/* A metric's trajectory from baseline towards target, as a line. */
static void
trajectory_svg(struct buf *out, const struct cairn_metric *m,
               const struct points *p)
{
	double lo = m->baseline < m->target ? m->baseline : m->target;
	double hi = m->baseline < m->target ? m->target : m->baseline;

	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i] < lo)
			lo = p->v[i];
		if (p->v[i] > hi)
			hi = p->v[i];
	}
	if (hi == lo)
		hi = lo + 1;
	buf_addf(out,
	         "<svg class=\"metric\" role=\"img\" viewBox=\"0 0 200 60\" "
	         "width=\"200\" height=\"60\" aria-label=\"");
	buf_add_html(out, m->name);
	buf_addf(out,
	         " over time\"><line x1=\"0\" x2=\"200\" y1=\"%.1f\" "
	         "y2=\"%.1f\" stroke=\"#1a7f37\" stroke-dasharray=\"4\"/>"
	         "<polyline fill=\"none\" stroke=\"#0b5cad\" "
	         "stroke-width=\"2\" points=\"",
	         58 - 56 * (m->target - lo) / (hi - lo),
	         58 - 56 * (m->target - lo) / (hi - lo));
	for (size_t i = 0; i < p->n; i++)
		buf_addf(out, "%s%.1f,%.1f", i ? " " : "",
		         p->n > 1 ? 200.0 * i / (p->n - 1) : 100.0,
		         58 - 56 * (p->v[i] - lo) / (hi - lo));
	buf_adds(out, "\"/></svg>");
}

struct metrics {
	struct web *w;
	struct buf *out;
	int64_t id;
	int n;
};

static int
metric_row(void *ctx, const struct cairn_metric *m)
{
	struct metrics *ms = ctx;
	struct points p = {NULL, 0, 0};
	char a[32], b[32], c[32];

	cairn_metric_observations(ms->w->st, m->id, add_point, &p, NULL);
	snprintf(a, sizeof(a), "%g", m->baseline);
	snprintf(b, sizeof(b), "%g", m->target);
	if (m->has_latest)
		snprintf(c, sizeof(c), "%g", m->latest);
	else
		snprintf(c, sizeof(c), "-");
	buf_adds(ms->out, ms->n++ ? "\n<li>"
	                          : "<h2>Metrics</h2><ul class=\"metrics\">\n"
	                            "<li>");
	html_addf(ms->out,
	          "<strong>%s</strong>: %s %s <span class=\"muted\">(from %s "
	          "to %s, %s is better)</span> ",
	          m->name, c, m->unit, a, b,
	          m->lower_better ? "lower" : "higher");
	trajectory_svg(ms->out, m, &p);
	html_addf(ms->out,
	          "<form class=\"row\" method=\"post\" "
	          "action=\"/items/%lld/metric-log\">",
	          (long long)ms->id);
	html_csrf(ms->w, ms->out);
	html_addf(ms->out,
	          "<input type=\"hidden\" name=\"name\" value=\"%s\">"
	          "<label>Value of %s <input name=\"value\" "
	          "inputmode=\"decimal\" size=\"8\" required></label>"
	          "<label>Date <input name=\"date\" type=\"date\"></label>"
	          "<button type=\"submit\">Log</button></form></li>",
	          m->name, m->name);
	free(p.v);
	return 0;
}

/* The edit form's fields, with the item's values as `cairn set` takes
 * them ("" for unset). */
static void
edit_fields(struct buf *out, const struct cairn_item *it)
{
	char est[64] = "", lik[32] = "", sc[8] = "", ps[32] = "", par[24] = "";

	if (it->est[0] >= 0)
		snprintf(est, sizeof(est), "%g/%g/%g", it->est[0], it->est[1],
		         it->est[2]);
	if (it->likelihood >= 0)
		snprintf(lik, sizeof(lik), "%g", it->likelihood);
	if (it->scope)
		snprintf(sc, sizeof(sc), "%d", it->scope);
	if (it->p_success >= 0)
		snprintf(ps, sizeof(ps), "%g", it->p_success);
	if (it->parent)
		snprintf(par, sizeof(par), "%lld", (long long)it->parent);
	html_addf(out,
	          "<label>Title <input name=\"title\" value=\"%s\" size=\"40\" "
	          "required></label>"
	          "<label>Estimate (days, O/M/P) <input name=\"estimate\" "
	          "value=\"%s\" size=\"9\"></label>"
	          "<label>Due <input name=\"due\" type=\"date\" value=\"%s\">"
	          "</label><label>Likelihood <input name=\"likelihood\" "
	          "value=\"%s\" size=\"5\"></label>"
	          "<label>Scope (1-5) <input name=\"scope\" value=\"%s\" "
	          "size=\"3\"></label><label>Chance of success <input "
	          "name=\"p_success\" value=\"%s\" size=\"5\"></label>"
	          "<label>Under (id; empty: the top) <input name=\"parent\" "
	          "value=\"%s\" size=\"6\" inputmode=\"numeric\"></label>",
	          it->title, est, it->due, lik, sc, ps, par);
	if (it->visibility == CAIRN_VIS_INHERIT) {
		buf_adds(out, "<button type=\"submit\">Save</button></form>");
		return;
	}
	buf_adds(out, "<label>Visibility <select name=\"visibility\">");
	for (int v = CAIRN_VIS_PRIVATE; v <= CAIRN_VIS_PUBLIC; v++) {
		const char *n = cairn_visibility_name(v);

		html_addf(out,
		          v == (int)it->visibility ? "<option selected>%s"
		                                   : "<option>%s",
		          n);
		buf_adds(out, "</option>");
	}
	buf_adds(out, "</select></label><button type=\"submit\">Save</button>"
	              "</form>");
}

static void
goal_graph(struct web *w, int64_t id, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf svg = BUF_INIT;
	int rc;

	if ((rc = cairn_goal_graph_svg(w->st, id, &svg, &err))) {
		web_error(w, rs, 0, web_status(rc), err.msg);
	} else {
		rs->status = 200;
		rs->type = "image/svg+xml";
		buf_reset(&rs->body);
		buf_add(&rs->body, svg.buf ? svg.buf : "", svg.len);
	}
	buf_release(&svg);
}

struct statements {
	struct statement {
		char time[CAIRN_TS_LEN];
		char *text;
	} * v;
	size_t n, cap;
};

static int
add_statement(void *ctx, const struct cairn_entry *e)
{
	struct statements *s = ctx;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	snprintf(s->v[s->n].time, CAIRN_TS_LEN, "%s", e->time);
	s->v[s->n++].text = xstrdup(e->text);
	return 0;
}

/* Where statement i of s goes on a line from x 20 to 580: by its time,
 * or evenly when they all have one time. */
static int
timeline_x(const struct statements *s, size_t i)
{
	time_t t0 = cairn_ts_to_time(s->v[0].time);
	time_t t1 = cairn_ts_to_time(s->v[s->n - 1].time);
	time_t t = cairn_ts_to_time(s->v[i].time);

	if (s->n == 1)
		return 300;
	if (t0 == (time_t)-1 || t1 == (time_t)-1 || t == (time_t)-1 || t1 <= t0)
		return 20 + (int)(560 * i / (s->n - 1));
	return 20 + (int)(560.0 * (double)(t - t0) / (double)(t1 - t0));
}

/*
 * A goal's statements (its title as it was restated) on a time line, an
 * inline SVG whose points are numbered as the list below it and carry
 * their date and words as a title; the current statement in colour.
 */
static void
statement_timeline(struct web *w, struct buf *out, int64_t id)
{
	struct statements s = {NULL, 0, 0};
	char first[CAIRN_DATE_LEN], last[CAIRN_DATE_LEN];

	buf_adds(out, "<h2>Statement history</h2>");
	cairn_item_statements(w->st, id, add_statement, &s, NULL);
	if (!s.n) {
		buf_adds(out, "<p class=\"muted\">None.</p>\n");
		return;
	}
	snprintf(first, sizeof(first), "%.10s", s.v[0].time);
	snprintf(last, sizeof(last), "%.10s", s.v[s.n - 1].time);
	html_addf(out,
	          "<figure><svg class=\"timeline\" role=\"img\" "
	          "viewBox=\"0 0 600 64\" width=\"100%%\" height=\"64\" "
	          "aria-label=\"%d statements from %s to %s; now: %s\">"
	          "<line x1=\"20\" x2=\"580\" y1=\"30\" y2=\"30\" "
	          "stroke=\"#8a8a8a\" stroke-width=\"2\"/>",
	          (int)s.n, first, last, s.v[s.n - 1].text);
	for (size_t i = 0; i < s.n; i++) {
		char day[CAIRN_DATE_LEN];
		int x = timeline_x(&s, i);

		snprintf(day, sizeof(day), "%.10s", s.v[i].time);
		html_addf(out,
		          "<g><circle cx=\"%d\" cy=\"30\" r=\"6\" "
		          "fill=\"%s\"><title>%d. %s: %s</title></circle>"
		          "<text x=\"%d\" y=\"16\" text-anchor=\"middle\" "
		          "font-size=\"11\">%d</text></g>",
		          x, i + 1 == s.n ? "#0b5cad" : "#8a8a8a", (int)i + 1,
		          day, s.v[i].text, x, (int)i + 1);
	}
	html_addf(out,
	          "<text x=\"20\" y=\"56\" font-size=\"11\">%s</text>"
	          "<text x=\"580\" y=\"56\" font-size=\"11\" "
	          "text-anchor=\"end\">%s</text></svg></figure>\n<ol>",
	          first, last);
	for (size_t i = 0; i < s.n; i++) {
		html_addf(out, "\n<li><span class=\"muted\">%s</span> %s</li>",
		          s.v[i].time, s.v[i].text);
		free(s.v[i].text);
	}
	buf_adds(out, "</ol>\n");
	free(s.v);
}

static int
item_page(struct web *w, int64_t id, struct http_req *rq, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	struct buf *out = &rs->body, title = BUF_INIT;
	struct list l = {w, out, 0, id};
	int rc;

	if ((rc = cairn_item_get(w->st, id, &it, &err))) {
		error_page(w, rs, web_status(rc), err.msg);
		return 0;
	}
	buf_addf(&title, "#%lld %s", (long long)id, it.title);
	html_begin(w, out, title.buf);
	buf_adds(out, "<p>");
	item_line(w, out, &it);
	status_buttons(w, out, &it);
	buf_adds(out, "</p>");
	if (it.parent)
		html_addf(out, "<p>Under <a href=\"/items/%lld\">#%lld</a></p>",
		          (long long)it.parent, (long long)it.parent);
	if (*it.body)
		html_addf(out, "<p>%s</p>", it.body);

	html_addf(out,
	          "<h2>Edit</h2><form class=\"row\" method=\"post\" "
	          "action=\"/items/%lld/edit\">",
	          (long long)id);
	html_csrf(w, out);
	edit_fields(out, &it);

	if (it.kind == CAIRN_KIND_GOAL) {
		statement_timeline(w, out, id);
		html_addf(
		        out,
		        "<h2>Graph</h2><figure><img class=\"graph\" "
		        "src=\"/items/%lld/graph.svg\" alt=\"The goal's "
		        "milestones and what builds on what; the critical path "
		        "in bold red\"></figure>",
		        (long long)id);
		forecast_section(w, rq, out, id);
	}
	{
		struct metrics ms = {w, out, id, 0};

		cairn_metric_each(w->st, id, NULL, metric_row, &ms, NULL);
		if (ms.n)
			buf_adds(out, "</ul>\n");
	}

	buf_adds(out, "<h2>Below it</h2>");
	cairn_item_children(w->st, id, list_item, &l, NULL);
	list_end(&l);
	add_form(w, out, id);

	buf_adds(out, "<h2>Builds on</h2>");
	cairn_item_prereqs(w->st, id, list_prereq, &l, NULL);
	list_end(&l);
	html_addf(out,
	          "<form class=\"row\" method=\"post\" "
	          "action=\"/items/%lld/builds-on\">",
	          (long long)id);
	html_csrf(w, out);
	buf_adds(out, "<label>Builds on item (id) <input name=\"id\" "
	              "inputmode=\"numeric\" size=\"6\" required></label>"
	              "<button type=\"submit\">Add edge</button></form>");

	buf_adds(out, "<h2>Needed by</h2>");
	cairn_item_dependents(w->st, id, list_item, &l, NULL);
	list_end(&l);

	buf_adds(out, "<h2>Notes</h2>");
	cairn_item_notes(w->st, id, list_note, &l, NULL);
	list_end(&l);
	html_addf(out,
	          "<form class=\"row\" method=\"post\" "
	          "action=\"/items/%lld/notes\">",
	          (long long)id);
	html_csrf(w, out);
	buf_adds(out, "<label>Note <input name=\"text\" required></label>"
	              "<button type=\"submit\">Add note</button></form>");

	buf_adds(out, "<h2>Time</h2>");
	/* live.js turns this into a start/stop timer. */
	html_addf(out, "<p class=\"timer\" data-item=\"%lld\" hidden></p>",
	          (long long)id);
	html_addf(out,
	          "<form class=\"row\" method=\"post\" "
	          "action=\"/items/%lld/time\">",
	          (long long)id);
	html_csrf(w, out);
	buf_adds(out, "<label>Duration <input name=\"duration\" size=\"8\" "
	              "placeholder=\"1h30m\" required></label>"
	              "<label>Date <input name=\"date\" type=\"date\">"
	              "</label><label>Note <input name=\"note\"></label>"
	              "<button type=\"submit\">Log time</button></form>");
	html_end(out);
	buf_release(&title);
	cairn_item_release(&it);
	return 0;
}

static int
next_pick(struct buf *out, const struct cairn_next_pick *p)
{
	if (p->id)
		html_addf(out, "<li><a href=\"/items/%lld\">#%lld %s</a>",
		          (long long)p->id, (long long)p->id, p->title);
	else
		html_addf(out, "<li>paper %s", p->title);
	if (p->goal_title)
		html_addf(out, " <span class=\"muted\">for %s</span>",
		          p->goal_title);
	buf_adds(out, "</li>\n");
	return 0;
}

/*
 * The linter's findings, grouped under their rule (they come in rule
 * order): at most per_rule of each (0: all), then a link to the rest on
 * the check page.
 */
struct findings {
	struct buf *out;
	size_t per_rule;
	int level;        /* of the rules' headings */
	const char *rule; /* the group open, or NULL */
	size_t in_rule, count;
};

static void
findings_close(struct findings *fs)
{
	if (!fs->rule)
		return;
	if (fs->per_rule && fs->in_rule > fs->per_rule)
		html_addf(fs->out,
		          "<li><a href=\"/check#%s\">%zu more %s "
		          "finding%s</a></li>\n",
		          fs->rule, fs->in_rule - fs->per_rule, fs->rule,
		          fs->in_rule - fs->per_rule == 1 ? "" : "s");
	buf_adds(fs->out, "</ul>\n");
	fs->rule = NULL;
}

static int
finding(void *ctx, const struct cairn_finding *f)
{
	struct findings *fs = ctx;
	struct buf *out = fs->out;

	if (!fs->rule || strcmp(fs->rule, f->rule)) {
		findings_close(fs);
		fs->rule = f->rule;
		fs->in_rule = 0;
		html_addf(out, "<h%d id=\"%s\">%s</h%d><ul>\n", fs->level,
		          f->rule, f->rule, fs->level);
	}
	fs->count++;
	if (fs->per_rule && fs->in_rule++ >= fs->per_rule)
		return 0;
	buf_adds(out, "<li>");
	if (f->item)
		html_addf(out, "<a href=\"/items/%lld\">#%lld</a> ",
		          (long long)f->item, (long long)f->item);
	html_addf(out, "%s", f->message);
	if (f->hint)
		html_addf(out, " <span class=\"muted\">(%s)</span>", f->hint);
	buf_adds(out, "</li>\n");
	return 0;
}

/* How many findings of each rule the dashboard shows. */
#define DASHBOARD_FINDINGS 3

/* The check section: per_rule findings of each rule (0: all of them). */
static int
check_section(const struct cairn_roadmap *rm, struct buf *out, size_t per_rule,
              struct cairn_err *err)
{
	struct findings fs = {out, per_rule, per_rule ? 3 : 2, NULL, 0, 0};
	size_t count = 0;
	int rc = cairn_check_run(rm, finding, &fs, &count, err);

	findings_close(&fs);
	if (!rc && !count)
		buf_adds(out, "<p class=\"muted\">No findings.</p>");
	else if (!rc && per_rule)
		html_addf(out,
		          "<p><a href=\"/check\">All %zu finding%s</a></p>",
		          count, count == 1 ? "" : "s");
	return rc;
}

/* GET /check: every finding of the linter, under its rule. */
static int
check_page(struct web *w, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap_scope sc;
	struct cairn_roadmap rm;
	int rc;

	cairn_check_scope(&sc);
	if ((rc = cairn_roadmap_load_scope(w->st, &sc, &rm, &err))) {
		error_page(w, rs, web_status(rc), err.msg);
		return 0;
	}
	html_begin(w, &rs->body, "Check");
	rc = check_section(&rm, &rs->body, 0, &err);
	cairn_roadmap_release(&rm);
	if (rc) {
		buf_reset(&rs->body);
		error_page(w, rs, web_status(rc), err.msg);
		return 0;
	}
	html_end(&rs->body);
	return 0;
}

static void
journal_form(struct web *w, struct buf *out, const char *what)
{
	html_addf(out, "<form class=\"inline\" method=\"post\" action=\"/%s\">",
	          what);
	html_csrf(w, out);
	html_addf(out, "<button type=\"submit\">%s</button></form> ", what);
}

static void
pct(char out[16], long part, long whole)
{
	snprintf(out, 16, "%.0f%%", whole ? 100.0 * part / whole : 0.0);
}

void
html_focus_section(struct buf *out, const struct cairn_focus_report *rp)
{
	const struct cairn_focus_report r = *rp;
	char dur[32], a[16], b[16], t1[16], t2[16];

	buf_adds(out, "<h2>This week</h2>");
	cairn_duration_format(r.total_minutes, dur);
	pct(a, r.main_minutes, r.total_minutes);
	pct(b, r.explore_minutes, r.total_minutes);
	snprintf(t1, sizeof(t1), "%.0f%%", 100 * (1 - r.focus.explore));
	snprintf(t2, sizeof(t2), "%.0f%%", 100 * r.focus.explore);
	html_addf(out,
	          "<table><tr><th scope=\"row\">Logged</th><td>%s</td></tr>"
	          "<tr><th scope=\"row\">Main project%s%s</th><td>%s "
	          "<span class=\"muted\">(target %s)</span></td></tr>"
	          "<tr><th scope=\"row\">Exploration</th><td>%s "
	          "<span class=\"muted\">(target %s)</span></td></tr>"
	          "<tr><th scope=\"row\">Active items</th><td>%d of %d</td>"
	          "</tr></table>",
	          dur, r.main_title ? ": " : "",
	          r.main_title ? r.main_title : "", a, t1, b, t2, r.active,
	          r.focus.wip);
	if (r.active > r.focus.wip)
		html_addf(out,
		          "<p class=\"error\" role=\"alert\">%d items are "
		          "active, above the WIP limit of %d: pause some.</p>",
		          r.active, r.focus.wip);
}

/* The attention forecast: each goal's stated likelihood, as the share of
 * time it would get, against the share it got, over the last weeks. */
static void
attention_section(struct buf *out, const struct cairn_focus_report *rp)
{
	const struct cairn_focus_report r = *rp;

	html_addf(out, "<h2>Attention, last %d weeks</h2>", CAIRN_FOCUS_WEEKS);
	if (!r.ngoals) {
		buf_adds(out, "<p class=\"muted\">No goals yet.</p>");
		return;
	}
	buf_adds(out, "<table><tr><th scope=\"col\">Goal</th><th scope=\"col\">"
	              "Stated likelihood</th><th scope=\"col\">Expected share"
	              "</th><th scope=\"col\">Time share</th></tr>");
	for (int i = 0; i < r.ngoals; i++) {
		const struct cairn_attention *a = &r.goals[i];
		char l[16] = "-", e[16] = "-", s[16];

		if (a->likelihood >= 0) {
			snprintf(l, sizeof(l), "%.0f%%", 100 * a->likelihood);
			snprintf(e, sizeof(e), "%.0f%%", 100 * a->expected);
		}
		snprintf(s, sizeof(s), "%.0f%%", 100 * a->share);
		html_addf(out,
		          "<tr><td><a href=\"/items/%lld\">#%lld %s</a></td>"
		          "<td>%s</td><td>%s</td><td>%s</td></tr>",
		          (long long)a->id, (long long)a->id, a->title, l, e,
		          s);
	}
	buf_adds(out, "</table>");
	if (r.has_rho) {
		char rho[16];

		snprintf(rho, sizeof(rho), "%.2f", r.rho);
		html_addf(out,
		          "<p>Rank correlation of likelihood and time: %s.</p>",
		          rho);
	}
}

struct due {
	struct web *w;
	struct buf *out;
	char soon[CAIRN_DATE_LEN]; /* a week from today */
	int n;
};

static int
due_prediction(void *ctx, const struct cairn_prediction *pr)
{
	struct due *d = ctx;
	char p[16];

	if (!*pr->due || strcmp(pr->due, d->soon) > 0)
		return 0;
	snprintf(p, sizeof(p), "%.0f%%", 100 * pr->p);
	buf_adds(d->out, d->n++ ? "\n" : "<ul>\n");
	html_addf(d->out,
	          "<li>P%lld %s <span class=\"muted\">(%s, by %s)</span>",
	          (long long)pr->id, pr->statement, p, pr->due);
	html_resolve_buttons(d->w, d->out, pr->id, NULL);
	buf_adds(d->out, "</li>");
	return 0;
}

static void
predictions_section(struct web *w, struct buf *out)
{
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct due d = {w, out, "", 0};

	buf_adds(out, "<h2>Predictions due</h2>");
	cairn_date_format(cairn_clock() + 7 * 86400, d.soon);
	q.open = 1;
	if (cairn_prediction_each(w->st, &q, due_prediction, &d, &err)) {
		html_addf(out, "<p class=\"error\" role=\"alert\">%s</p>",
		          err.msg);
		return;
	}
	buf_adds(out, d.n ? "</ul>\n"
	                  : "<p class=\"muted\">None in the coming week.</p>");
}

static int
dashboard(struct web *w, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct cairn_next nx;
	struct cairn_focus_report fr[2];
	char since[2][CAIRN_DATE_LEN], until[2][CAIRN_DATE_LEN];
	const char *sp[2] = {since[0], since[1]}, *up[2] = {until[0], until[1]};
	struct buf *out = &rs->body;
	int rc;

	/* This week and the attention forecast's weeks, from one read of
	 * the items. */
	cairn_last_weeks(1, since[0], until[0]);
	cairn_last_weeks(CAIRN_FOCUS_WEEKS, since[1], until[1]);
	if ((rc = cairn_focus_reports(w->st, 2, sp, up, fr, &err))) {
		error_page(w, rs, web_status(rc), err.msg);
		return 0;
	}
	if ((rc = cairn_roadmap_load(w->st, &rm, &err))) {
		error_page(w, rs, web_status(rc), err.msg);
		goto out;
	}
	html_begin(w, out, "Dashboard");
	html_focus_section(out, &fr[0]);
	buf_adds(out, "<h2>Next</h2>");
	if (!(rc = cairn_next(&rm, 0, 10, &nx, &err))) {
		if (nx.n) {
			buf_adds(out, "<ol>\n");
			for (size_t i = 0; i < nx.n; i++)
				next_pick(out, &nx.picks[i]);
			buf_adds(out, "</ol>\n");
		} else {
			buf_adds(out, "<p class=\"muted\">Nothing ready.</p>");
		}
		cairn_next_release(&nx);
	}
	buf_adds(out, "<h2>Check</h2>\n");
	if (!rc)
		rc = check_section(&rm, out, DASHBOARD_FINDINGS, &err);
	cairn_roadmap_release(&rm);
	if (rc) {
		buf_reset(out);
		error_page(w, rs, web_status(rc), err.msg);
		goto out;
	}
	predictions_section(w, out);
	attention_section(out, &fr[1]);
	buf_adds(out, "<h2>History</h2><p>");
	journal_form(w, out, "undo");
	journal_form(w, out, "redo");
	buf_adds(out, "</p>");
	html_end(out);
out:
	cairn_focus_report_release(&fr[0]);
	cairn_focus_report_release(&fr[1]);
	return 0;
}

/* A form's item id field: 0 with a message when it is not one. */
static int64_t
field_id(struct http_req *rq, const char *name, int optional)
{
	const char *v = http_field(rq, name);

	if (!v || !*v)
		return optional ? 0 : -1;
	return web_id(v, NULL) ? web_id(v, NULL) : -1;
}

static int
form_post(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *p = rq->path, *rest;
	char back[64];
	int64_t id, other;
	int rc;

	if (!strcmp(p, "/items")) {
		if ((other = field_id(rq, "parent", 1)) < 0) {
			error_page(w, rs, 400, "under must be an item id");
			return 0;
		}
		rc = web_item_add(w, http_field(rq, "kind"),
		                  http_field(rq, "title"), other, NULL, NULL, 0,
		                  NULL, 0, &id, &err);
		snprintf(back, sizeof(back), other ? "/items/%lld" : "/roadmap",
		         (long long)other);
	} else if (!strcmp(p, "/papers/status")) {
		rc = papers_set_status(w, http_field(rq, "key"),
		                       http_field(rq, "status"), &err);
		snprintf(back, sizeof(back), "/papers");
	} else if (!strcmp(p, "/papers/import")) {
		struct cairn_import_stats st = {0};

		rc = papers_import(w, http_field_get(rq, "file"), &st, &err);
		snprintf(back, sizeof(back), "/papers");
	} else if (!strcmp(p, "/predictions")) {
		rc = web_prediction_add(
		        w, http_field(rq, "statement"), http_field(rq, "p"),
		        http_field(rq, "by"), http_field(rq, "item"),
		        http_field(rq, "who"), &id, &err);
		snprintf(back, sizeof(back), "/predictions");
	} else if (!strncmp(p, "/predictions/", 13) &&
	           (id = web_id(p + 13, &rest)) && !strcmp(rest, "/resolve")) {
		const char *b = http_field(rq, "back");

		rc = web_resolve(w, id, http_field(rq, "outcome"),
		                 http_field(rq, "why"), &err);
		/* Back to the predictions page when asked; nowhere else. */
		snprintf(back, sizeof(back), "%s",
		         b && !strcmp(b, "/predictions") ? b : "/");
	} else if (!strcmp(p, "/undo") || !strcmp(p, "/redo")) {
		rc = web_undo(w, p[1] == 'r', &err);
		snprintf(back, sizeof(back), "/");
	} else if (!strncmp(p, "/items/", 7) && (id = web_id(p + 7, &rest))) {
		snprintf(back, sizeof(back), "/items/%lld", (long long)id);
		if (!strcmp(rest, "/status")) {
			rc = web_set_status(w, id,
			                    http_field(rq, "verb")
			                            ? http_field(rq, "verb")
			                            : "",
			                    http_field(rq, "why"), &err);
		} else if (!strcmp(rest, "/edit")) {
			struct buf label = BUF_INIT;

			/* Every field the form has, in one change. */
			buf_addf(&label, "set %lld (web)", (long long)id);
			if (!(rc = web_begin(w, label.buf, &err))) {
				for (size_t i = 0; !rc && i < rq->nfields; i++)
					if (strcmp(rq->fields[i].name, "csrf"))
						rc = web_item_set(
						        w, id,
						        rq->fields[i].name,
						        rq->fields[i].value.buf
						                ? rq->fields[i]
						                          .value
						                          .buf
						                : "",
						        &err);
				rc = web_end(w, rc, &err);
			}
			buf_release(&label);
		} else if (!strcmp(rest, "/notes")) {
			rc = web_note(w, id, http_field(rq, "text"), &err);
		} else if (!strcmp(rest, "/metric-log")) {
			rc = web_metric_log(w, id, http_field(rq, "name"),
			                    http_field(rq, "value"),
			                    http_field(rq, "date"), &err);
		} else if (!strcmp(rest, "/time")) {
			rc = web_log_time(w, id, http_field(rq, "duration"),
			                  http_field(rq, "date"),
			                  http_field(rq, "note"), &err);
		} else if (!strcmp(rest, "/builds-on")) {
			if ((other = field_id(rq, "id", 0)) < 0) {
				error_page(w, rs, 400,
				           "builds on must be an item id");
				return 0;
			}
			rc = web_edge(w, id, other, 1, &err);
		} else if (!strncmp(rest, "/builds-on/", 11) &&
		           (other = web_id(rest + 11, &rest)) &&
		           !strcmp(rest, "/remove")) {
			rc = web_edge(w, id, other, 0, &err);
		} else {
			error_page(w, rs, 404, "no such page");
			return 0;
		}
	} else {
		error_page(w, rs, 404, "no such page");
		return 0;
	}
	if (rc)
		error_page(w, rs, web_status(rc), err.msg);
	else
		http_redirect(rs, back);
	return 0;
}

void
pages_handle(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	const char *p = rq->path, *rest;
	int64_t id;

	if (!strcmp(rq->method, "POST") && !strcmp(p, "/import")) {
		transfer_import(w, rq, rs, 0);
		return;
	}
	if (!strcmp(rq->method, "POST")) {
		form_post(w, rq, rs);
		return;
	}
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
		error_page(w, rs, 405, "method not allowed");
		return;
	}
	if (!strcmp(p, "/"))
		dashboard(w, rs);
	else if (!strcmp(p, "/roadmap"))
		roadmap(w, rs);
	else if (!strcmp(p, "/check"))
		check_page(w, rs);
	else if (!strcmp(p, "/predictions"))
		views_predictions(w, rs);
	else if (!strcmp(p, "/papers"))
		papers_page(w, rs);
	else if (!strcmp(p, "/lookback"))
		views_lookback(w, rq, rs);
	else if (!strcmp(p, "/transfer"))
		transfer_page(w, rs);
	else if (!strcmp(p, "/export"))
		transfer_export(w, rq, rs, 0);
	else if (!strcmp(p, "/publish") || !strcmp(p, "/publish/"))
		http_redirect(rs, "/publish/index.html");
	else if (!strncmp(p, "/publish/", 9))
		transfer_publish(w, p + 9, rs);
	else if (!strncmp(p, "/items/", 7) && (id = web_id(p + 7, &rest)) &&
	         !*rest)
		item_page(w, id, rq, rs);
	else if (!strncmp(p, "/items/", 7) && (id = web_id(p + 7, &rest)) &&
	         !strcmp(rest, "/graph.svg"))
		goal_graph(w, id, rs);
	else
		error_page(w, rs, 404, "no such page");
}
