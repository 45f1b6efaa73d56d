/*
 * views.c: the read-only pages over the research record: look back
 * between two dates (cairn_lookback, the CLI's lookback).
 *
 *   GET  /lookback?since= &until=   what finished, started, was dropped
 *                                   or restated, metrics, predictions, time
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
