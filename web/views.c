/*
 * views.c: the read-only pages over the research record: look back
 * between two dates (cairn_lookback, the CLI's lookback), and predictions
 * with their calibration (cairn_calibration_compute, the CLI's
 * calibration).
 *
 *   GET  /lookback?since= &until=   what finished, started, was dropped
 *                                   or restated, metrics, predictions, time
 *   GET  /predictions               open ones (to resolve), the add form,
 *                                   resolved ones, the calibration chart
 *   POST /predictions               statement, p, by, item, who
 */
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

static const char *
js(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static void
item_list(struct buf *out, const char *heading, json_t *arr, const char *when)
{
	size_t i;
	json_t *e;

	html_addf(out, "<h2>%s</h2>", heading);
	if (!json_array_size(arr)) {
		buf_adds(out, "<p class=\"muted\">None.</p>");
		return;
	}
	buf_adds(out, "<ul>");
	json_array_foreach(arr, i, e)
	{
		html_addf(
		        out,
		        "<li><a href=\"/items/%lld\">#%lld %s</a> "
		        "<span class=\"muted\">%s %.10s</span>",
		        (long long)json_integer_value(json_object_get(e, "id")),
		        (long long)json_integer_value(json_object_get(e, "id")),
		        js(e, "title"), js(e, "kind"), js(e, when));
		if (*js(e, "why"))
			html_addf(out, " (%s)", js(e, "why"));
		buf_adds(out, "</li>");
	}
	buf_adds(out, "</ul>");
}

void
views_lookback(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_lookback lb;
	char since[CAIRN_TS_LEN] = "", until[CAIRN_TS_LEN] = "";
	char show[CAIRN_TS_LEN];
	const char *s = http_query(rq, "since"), *u = http_query(rq, "until");
	struct buf *out = &rs->body;
	json_t *o, *e;
	size_t i;
	int rc;

	if ((s && *s && cairn_bound_parse(s, 0, since, show, &err)) ||
	    (u && *u && cairn_bound_parse(u, 1, until, show, &err))) {
		web_error(w, rs, 0, 400, err.msg);
		return;
	}
	memset(&lb, 0, sizeof(lb));
	if ((rc = cairn_lookback(w->st, since, until, &lb, &err))) {
		cairn_lookback_release(&lb);
		web_error(w, rs, 0, rc == CAIRN_EINVAL ? 400 : web_status(rc),
		          err.msg);
		return;
	}
	o = cairn_lookback_json(&lb);
	cairn_lookback_release(&lb);
	html_begin(w, out, "Look back");
	html_addf(
	        out,
	        "<form class=\"row\" method=\"get\" action=\"/lookback\">"
	        "<label>Since <input name=\"since\" type=\"date\" value=\"%s\">"
	        "</label><label>Until <input name=\"until\" type=\"date\" "
	        "value=\"%s\"></label><button type=\"submit\">Look "
	        "back</button>"
	        "</form>",
	        s ? s : "", u ? u : "");
	item_list(out, "Finished", json_object_get(o, "finished"), "finished");
	item_list(out, "Started", json_object_get(o, "started"), "started");
	item_list(out, "Dropped", json_object_get(o, "dropped"), "dropped");
	buf_adds(out, "<h2>Restated</h2><ul>");
	json_array_foreach(json_object_get(o, "statements"), i, e) html_addf(
	        out, "<li>#%lld: %s &rarr; %s</li>",
	        (long long)json_integer_value(json_object_get(e, "id")),
	        js(e, "old"), js(e, "new"));
	buf_adds(out, "</ul><h2>Metrics</h2><ul>");
	json_array_foreach(json_object_get(o, "metrics"), i, e)
	{
		char a[32], b[32];

		snprintf(a, sizeof(a), "%g",
		         json_number_value(json_object_get(e, "from")));
		snprintf(b, sizeof(b), "%g",
		         json_number_value(json_object_get(e, "to")));
		html_addf(out, "<li>%s: %s &rarr; %s %s</li>", js(e, "name"), a,
		          b, js(e, "unit"));
	}
	buf_adds(out, "</ul><h2>Predictions resolved</h2><ul>");
	json_array_foreach(json_object_get(o, "predictions"), i, e)
	{
		char p[16];

		snprintf(p, sizeof(p), "%.0f%%",
		         100 * json_number_value(json_object_get(e, "p")));
		html_addf(out,
		          "<li>%s <span class=\"muted\">(%s: %s)</span></li>",
		          js(e, "statement"), p,
		          json_is_true(json_object_get(e, "outcome")) ? "yes"
		                                                      : "no");
	}
	buf_adds(out, "</ul><h2>Time by goal</h2><ul>");
	json_array_foreach(json_object_get(o, "time"), i, e)
	{
		char d[32];

		cairn_duration_format(
		        (long)json_integer_value(json_object_get(e, "minutes")),
		        d);
		html_addf(out, "<li>%s: %s</li>", js(e, "title"), d);
	}
	buf_adds(out, "</ul>");
	html_end(out);
	json_decref(o);
}

struct plist {
	struct web *w;
	struct buf *out;
	int n;
};

static int
prediction_row(void *ctx, const struct cairn_prediction *pr)
{
	struct plist *l = ctx;
	char p[16];

	snprintf(p, sizeof(p), "%.0f%%", 100 * pr->p);
	buf_adds(l->out, l->n++ ? "\n" : "<ul>\n");
	html_addf(l->out, "<li>P%lld %s <span class=\"muted\">(%s",
	          (long long)pr->id, pr->statement, p);
	if (pr->who)
		html_addf(l->out, ", %s", pr->who);
	if (*pr->due)
		html_addf(l->out, ", by %s", pr->due);
	buf_adds(l->out, ")</span>");
	if (pr->outcome >= 0) {
		html_addf(l->out, " <strong>%s</strong>",
		          pr->outcome ? "yes" : "no");
	} else {
		html_resolve_buttons(l->w, l->out, pr->id, "/predictions");
	}
	buf_adds(l->out, "</li>");
	return 0;
}

/* Stated probability against how often it came true, bin by bin. */
static void
calibration_svg(struct buf *out, const struct cairn_calibration *c)
{
	buf_adds(out, "<svg class=\"calibration\" role=\"img\" "
	              "viewBox=\"0 0 110 110\" width=\"220\" height=\"220\" "
	              "aria-label=\"stated probability against the share that "
	              "came true\"><rect x=\"5\" y=\"5\" width=\"100\" "
	              "height=\"100\" fill=\"none\" stroke=\"#d0d7de\"/>"
	              "<line x1=\"5\" y1=\"105\" x2=\"105\" y2=\"5\" "
	              "stroke=\"#4a5560\" stroke-dasharray=\"3\"/>");
	for (int i = 0; i < CAIRN_CALIBRATION_BINS; i++) {
		const struct cairn_calibration_bin *b = &c->bins[i];
		double x, y;

		if (!b->count)
			continue;
		x = 5 + 100 * b->sum_p / b->count;
		y = 105 - 100.0 * b->yes / b->count;
		buf_addf(out,
		         "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
		         "fill=\"#0b5cad\"><title>%.0f-%.0f%%: %d of %d came "
		         "true</title></circle>",
		         x, y, 2 + (b->count > 8 ? 4.0 : b->count / 2.0),
		         100 * b->lo, 100 * b->hi, b->yes, b->count);
	}
	buf_adds(out, "</svg>");
}

void
views_predictions(struct web *w, struct http_resp *rs)
{
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_calibration cal;
	struct buf *out = &rs->body;
	struct plist l = {w, out, 0};
	int rc;

	html_begin(w, out, "Predictions");
	buf_adds(out, "<h2>Add</h2><form class=\"row\" method=\"post\" "
	              "action=\"/predictions\">");
	html_csrf(w, out);
	buf_adds(out, "<label>Statement <input name=\"statement\" size=\"40\" "
	              "required></label><label>Probability <input name=\"p\" "
	              "size=\"5\" placeholder=\"70%\" required></label>"
	              "<label>By <input name=\"by\" type=\"date\"></label>"
	              "<label>About item (id) <input name=\"item\" size=\"5\" "
	              "inputmode=\"numeric\"></label><label>Whose reaction "
	              "<input name=\"who\" size=\"10\"></label>"
	              "<button type=\"submit\">Predict</button></form>");
	buf_adds(out, "<h2>Open</h2>");
	q.open = 1;
	rc = cairn_prediction_each(w->st, &q, prediction_row, &l, &err);
	buf_adds(out, l.n ? "</ul>" : "<p class=\"muted\">None.</p>");
	buf_adds(out, "<h2>Resolved</h2>");
	l.n = 0;
	q.open = 0;
	q.resolved = 1;
	if (!rc)
		rc = cairn_prediction_each(w->st, &q, prediction_row, &l, &err);
	buf_adds(out, l.n ? "</ul>" : "<p class=\"muted\">None.</p>");
	q.resolved = 0;
	if (!rc)
		rc = cairn_calibration_compute(w->st, &q, &cal, &err);
	if (rc) {
		web_error(w, rs, 0, web_status(rc), err.msg);
		return;
	}
	buf_adds(out, "<h2>Calibration</h2>");
	if (cal.count) {
		char b[32];

		snprintf(b, sizeof(b), "%.3f", cal.brier);
		html_addf(out,
		          "<p>%d resolved, %d came true; Brier score %s (0 is "
		          "perfect, 0.25 is always saying 50%%).</p>",
		          cal.count, cal.yes, b);
		calibration_svg(out, &cal);
	} else {
		buf_adds(out,
		         "<p class=\"muted\">No resolved predictions yet.</p>");
	}
	html_end(out);
}
