/*
 * api.c: the JSON API under /api/, with the shapes of the CLI's --json
 * (the same library functions build them).  Errors are {"error": MSG}
 * with the CLI's one-line message and 400 (malformed request), 404, 409
 * or 422.
 *
 *   GET    /api/session              {"csrf": TOKEN} for scripted writes
 *   GET    /api/items                ?kind= &status= &tag= &under= &ready=1
 *   POST   /api/items                {"kind", "title", "parent", "tags",
 *                                     FIELD: VALUE...}  201 and the item
 *   GET    /api/items/ID             the item's detail (show --json)
 *   PATCH  /api/items/ID             {FIELD: VALUE...} in one change;
 *                                     "parent" moves it (null: to the top)
 *   POST   /api/items/ID/VERB        start, pause, done, drop {"why"}
 *   POST   /api/items/ID/notes       {"text"}
 *   POST   /api/items/ID/time        {"duration", "date", "note"}
 *   POST   /api/items/ID/builds-on   {"id": PREREQ}
 *   DELETE /api/items/ID/builds-on/PREREQ
 *   GET    /api/goals/ID/path        the critical path (path --json)
 *   GET    /api/goals/ID/forecast    ?trials= &seed= &capacity= (forecast
 *                                     --json; at most 1,000,000 trials)
 *   GET    /api/next                 ?limit=N
 *   GET    /api/check
 *   POST   /api/predictions/PID/resolve  {"outcome": "yes"|"no", "why"}
 *   GET    /api/calibration          ?who= &tag= (calibration --json)
 *   GET    /api/focus                ?weeks=N (focus --json)
 *   GET    /api/lookback             ?since= &until= (lookback --json)
 *   GET    /api/export               ?format=F: the export, as a download
 *   POST   /api/import               ?format=F (empty: detect), the body
 *   POST   /api/undo, /api/redo
 *   GET    /api/version              {"version": N}: N changes whenever
 *                                     the store may have (any process)
 */
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

static int
reply_json(struct http_resp *rs, int status, json_t *v)
{
	web_reply_json(rs, status, v);
	return 0;
}

static int
reply_error(struct http_resp *rs, int status, const char *msg)
{
	web_error(NULL, rs, 1, status, msg);
	return 0;
}

static int
reply_err(struct http_resp *rs, int code, const struct cairn_err *err)
{
	reply_error(rs, web_status(code), err->msg);
	return 0;
}

/* A JSON value as the text the CLI would have been given. */
static int
value_text(json_t *v, struct buf *out)
{
	if (json_is_string(v))
		return buf_adds(out, json_string_value(v)), 0;
	if (json_is_integer(v))
		return buf_addf(out, "%lld", (long long)json_integer_value(v)),
		       0;
	if (json_is_real(v))
		return buf_addf(out, "%.17g", json_real_value(v)), 0;
	if (json_is_null(v))
		return buf_adds(out, "none"), 0;
	return -1;
}

/* The body as a JSON object; NULL after replying 400. */
static json_t *
body_object(struct http_req *rq, struct http_resp *rs)
{
	json_error_t je;
	json_t *o;

	if (rq->is_form) {
		reply_error(rs, 400, "the body must be JSON, not a form");
		return NULL;
	}
	o = json_loadb(rq->body.buf ? rq->body.buf : "", rq->body.len, 0, &je);
	if (!o || !json_is_object(o)) {
		char msg[256];

		snprintf(msg, sizeof(msg), "malformed JSON body: %s",
		         o ? "not an object" : je.text);
		json_decref(o);
		reply_error(rs, 400, msg);
		return NULL;
	}
	return o;
}

static int
reply_item(struct web *w, struct http_resp *rs, int status, int64_t id)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	json_t *o;
	int rc;

	if ((rc = cairn_item_detail(w->st, id, &o, &err)))
		return reply_err(rs, rc, &err);
	reply_json(rs, status, o);
	return 0;
}

static int
add_listed(void *ctx, const struct cairn_item *it)
{
	json_array_append_new(ctx, cairn_item_json(it));
	return 0;
}

static int
list_items(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	struct cairn_query q = CAIRN_QUERY_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *v;
	json_t *arr;
	int rc;

	if ((v = http_query(rq, "kind")) && (q.kind = cairn_kind_parse(v)) < 0)
		return reply_error(rs, 400, "unknown kind");
	if ((v = http_query(rq, "status")) &&
	    (q.status = cairn_status_parse(v)) < 0)
		return reply_error(rs, 400, "unknown status");
	if ((v = http_query(rq, "under")) && !(q.under = web_id(v, NULL)))
		return reply_error(rs, 400, "under must be an item id");
	q.tag = http_query(rq, "tag");
	q.ready = (v = http_query(rq, "ready")) && !strcmp(v, "1");
	arr = json_array();
	if ((rc = cairn_query_run(w->st, &q, add_listed, arr, &err))) {
		json_decref(arr);
		return reply_err(rs, rc, &err);
	}
	reply_json(rs, 200, arr);
	return 0;
}

int
web_item_add(struct web *w, const char *kind, const char *title, int64_t parent,
             const char *const *fields, const char *const *values,
             size_t nfields, const char *const *tags, size_t ntags, int64_t *id,
             struct cairn_err *err)
{
	struct cairn_item it;
	struct buf label = BUF_INIT;
	int k, rc;

	cairn_item_init(&it);
	it.visibility = CAIRN_VIS_INHERIT;
	if (!kind || (k = cairn_kind_parse(kind)) < 0) {
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "kind must be goal, milestone, question or "
		                   "idea");
		goto out;
	}
	it.kind = k;
	it.title = xstrdup(title ? title : "");
	it.parent = parent;
	for (size_t i = 0; i < nfields; i++)
		if ((rc = cairn_item_parse_field(&it, fields[i], values[i],
		                                 err)))
			goto out;
	buf_addf(&label, "add %s '%s'", kind, it.title);
	if ((rc = web_begin(w, label.buf, err)))
		goto out;
	rc = cairn_item_add(w->st, &it, err);
	for (size_t i = 0; !rc && i < ntags; i++)
		rc = cairn_item_tag(w->st, it.id, tags[i], 1, err);
	rc = web_end(w, rc, err);
	*id = it.id;
out:
	buf_release(&label);
	cairn_item_release(&it);
	return rc;
}

static int
create_item(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *names[32], *values[32], *tags[64];
	struct buf text[32];
	size_t n = 0, ntags = 0;
	json_t *o = body_object(rq, rs), *v, *t;
	const char *key, *kind = NULL, *title = NULL;
	int64_t parent = 0, id = 0;
	size_t i;
	int rc;

	if (!o)
		return 0;
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "kind") && json_is_string(v)) {
			kind = json_string_value(v);
		} else if (!strcmp(key, "title") && json_is_string(v)) {
			title = json_string_value(v);
		} else if (!strcmp(key, "parent")) {
			if (!json_is_null(v) && (!json_is_integer(v) ||
			                         json_integer_value(v) < 1)) {
				reply_error(rs, 400,
				            "parent must be an item id");
				goto out;
			}
			parent = json_is_null(v) ? 0 : json_integer_value(v);
		} else if (!strcmp(key, "tags") && json_is_array(v)) {
			json_array_foreach(v, i, t)
			{
				if (!json_is_string(t) || ntags == 64) {
					reply_error(rs, 400,
					            "tags must be at most 64 "
					            "strings");
					goto out;
				}
				tags[ntags++] = json_string_value(t);
			}
		} else {
			if (n == 32) {
				reply_error(rs, 400, "too many fields");
				goto out;
			}
			buf_init(&text[n], 0);
			if (value_text(v, &text[n])) {
				buf_release(&text[n]);
				reply_error(rs, 400,
				            "field values must be strings or "
				            "numbers");
				goto out;
			}
			names[n] = key;
			values[n] = text[n].buf;
			n++;
		}
	}
	rc = web_item_add(w, kind, title, parent, names, values, n, tags, ntags,
	                  &id, &err);
	if (rc)
		reply_err(rs, rc, &err);
	else
		reply_item(w, rs, 201, id);
out:
	for (i = 0; i < n; i++)
		buf_release(&text[i]);
	json_decref(o);
	return 0;
}

int
web_item_set(struct web *w, int64_t id, const char *field, const char *value,
             struct cairn_err *err)
{
	int64_t parent = 0;

	if (strcmp(field, "parent"))
		return cairn_item_set(w->st, id, field, value, err);
	/* "parent" moves the item: an id, or none (or empty) for the top. */
	if (*value && strcmp(value, "none") &&
	    cairn_id_parse(value, &parent, err))
		return CAIRN_EINVAL;
	return cairn_item_move(w->st, id, parent, err);
}

static int
patch_item(struct web *w, int64_t id, struct http_req *rq, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf label = BUF_INIT, text = BUF_INIT;
	json_t *o = body_object(rq, rs), *v;
	const char *key;
	int rc;

	if (!o)
		return 0;
	buf_addf(&label, "set %lld", (long long)id);
	if ((rc = web_begin(w, label.buf, &err)))
		goto fail;
	json_object_foreach(o, key, v)
	{
		buf_reset(&text);
		if (value_text(v, &text)) {
			cairn_store_rollback(w->st);
			reply_error(rs, 400,
			            "field values must be strings or numbers");
			goto out;
		}
		if ((rc = web_item_set(w, id, key, text.buf, &err)))
			break;
	}
	if ((rc = web_end(w, rc, &err)))
		goto fail;
	reply_item(w, rs, 200, id);
	goto out;
fail:
	reply_err(rs, rc, &err);
out:
	buf_release(&label);
	buf_release(&text);
	json_decref(o);
	return 0;
}

int
web_verb_status(const char *verb)
{
	const struct cairn_status_verb *v = cairn_status_verb_find(verb);

	return v ? (int)v->status : -1;
}

int
web_set_status(struct web *w, int64_t id, const char *verb, const char *why,
               struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	int status = web_verb_status(verb), rc;

	if (status < 0)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "unknown status change '%s'", verb);
	buf_addf(&label, "%s %lld", verb, (long long)id);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w,
		             cairn_item_set_status(w->st, id, status,
		                                   why && *why ? why : NULL,
		                                   err),
		             err);
	buf_release(&label);
	return rc;
}

int
web_edge(struct web *w, int64_t id, int64_t prereq, int add,
         struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	int rc;

	buf_addf(&label, "dep %s %lld %lld", add ? "add" : "rm", (long long)id,
	         (long long)prereq);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w,
		             add ? cairn_edge_add(w->st, id, prereq, err)
		                 : cairn_edge_remove(w->st, id, prereq, err),
		             err);
	buf_release(&label);
	return rc;
}

int
web_note(struct web *w, int64_t id, const char *text, struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	int rc;

	buf_addf(&label, "note %lld", (long long)id);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w,
		             cairn_item_note(w->st, id, text ? text : "", err),
		             err);
	buf_release(&label);
	return rc;
}

int
web_log_time(struct web *w, int64_t id, const char *duration, const char *date,
             const char *note, struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	int minutes, rc;

	if ((rc = cairn_duration_parse(duration ? duration : "", &minutes,
	                               err)))
		return rc;
	buf_addf(&label, "log %lld %s", (long long)id, duration);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(
		        w,
		        cairn_time_log(w->st, id, date && *date ? date : NULL,
		                       minutes, note && *note ? note : NULL,
		                       NULL, err),
		        err);
	buf_release(&label);
	return rc;
}

int
web_metric_log(struct web *w, int64_t id, const char *name, const char *value,
               const char *date, struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	double v;
	int rc;

	if (!value || cairn_number_parse(value, 0, &v))
		return cairn_err_set(err, CAIRN_EINVAL, "'%s' is not a number",
		                     value ? value : "");
	buf_addf(&label, "metric log %lld %s %s", (long long)id,
	         name ? name : "", value);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w,
		             cairn_metric_log(w->st, id, name ? name : "", v,
		                              date && *date ? date : NULL, NULL,
		                              NULL, err),
		             err);
	buf_release(&label);
	return rc;
}

int
web_prediction_add(struct web *w, const char *statement, const char *p,
                   const char *by, const char *item, const char *who,
                   int64_t *id, struct cairn_err *err)
{
	struct cairn_prediction pr;
	int rc;

	cairn_prediction_init(&pr);
	if ((rc = cairn_probability_parse(p ? p : "", &pr.p, err)))
		goto out;
	if (by && *by &&
	    (rc = cairn_prediction_parse_field(&pr, "due", by, err)))
		goto out;
	if (who && *who &&
	    (rc = cairn_prediction_parse_field(&pr, "who", who, err)))
		goto out;
	if (item && *item && cairn_id_parse(item, &pr.item, err)) {
		rc = CAIRN_EINVAL;
		goto out;
	}
	pr.statement = xstrdup(statement ? statement : "");
	if (!(rc = web_begin(w, "predict (web)", err)))
		rc = web_end(w, cairn_prediction_add(w->st, &pr, err), err);
	*id = pr.id;
out:
	cairn_prediction_release(&pr);
	return rc;
}

int
web_resolve(struct web *w, int64_t pid, const char *outcome, const char *why,
            struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	int yes, rc;

	if (!outcome || (strcmp(outcome, "yes") && strcmp(outcome, "no")))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "the outcome must be yes or no");
	yes = !strcmp(outcome, "yes");
	buf_addf(&label, "resolve P%lld %s", (long long)pid, outcome);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w,
		             cairn_prediction_resolve(w->st, pid, yes, NULL,
		                                      why && *why ? why : NULL,
		                                      err),
		             err);
	buf_release(&label);
	return rc;
}

static int
item_action(struct web *w, int64_t id, const char *rest, struct http_req *rq,
            struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	json_t *o = NULL, *v;
	int rc;

	if (!strcmp(rq->method, "DELETE") &&
	    !strncmp(rest, "/builds-on/", 11)) {
		int64_t pre = web_id(rest + 11, NULL);

		if (!pre)
			return reply_error(rs, 400, "not an item id");
		if ((rc = web_edge(w, id, pre, 0, &err)))
			return reply_err(rs, rc, &err);
		return reply_item(w, rs, 200, id);
	}
	if (strcmp(rq->method, "POST"))
		return reply_error(rs, 405, "method not allowed");
	if (!(o = body_object(rq, rs)))
		return 0;
	if (!strcmp(rest, "/notes")) {
		v = json_object_get(o, "text");
		rc = web_note(w, id,
		              json_is_string(v) ? json_string_value(v) : "",
		              &err);
	} else if (!strcmp(rest, "/time")) {
		rc = web_log_time(
		        w, id,
		        json_string_value(json_object_get(o, "duration")),
		        json_string_value(json_object_get(o, "date")),
		        json_string_value(json_object_get(o, "note")), &err);
	} else if (!strcmp(rest, "/builds-on")) {
		v = json_object_get(o, "id");
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			json_decref(o);
			return reply_error(rs, 400, "id must be an item id");
		}
		rc = web_edge(w, id, json_integer_value(v), 1, &err);
	} else if (rest[0] == '/' && web_verb_status(rest + 1) >= 0) {
		v = json_object_get(o, "why");
		rc = web_set_status(
		        w, id, rest + 1,
		        json_is_string(v) ? json_string_value(v) : NULL, &err);
	} else {
		json_decref(o);
		return reply_error(rs, 404, "no such route");
	}
	json_decref(o);
	if (rc)
		return reply_err(rs, rc, &err);
	reply_item(w, rs, 200, id);
	return 0;
}

static int
items(struct web *w, const char *sub, struct http_req *rq, struct http_resp *rs)
{
	const char *rest;
	int64_t id;

	if (!*sub) {
		if (!strcmp(rq->method, "GET"))
			return list_items(w, rq, rs);
		if (!strcmp(rq->method, "POST"))
			return create_item(w, rq, rs);
		return reply_error(rs, 405, "method not allowed");
	}
	if (*sub != '/' || !(id = web_id(sub + 1, &rest)))
		return reply_error(rs, 404, "no such route");
	if (!*rest) {
		if (!strcmp(rq->method, "GET"))
			return reply_item(w, rs, 200, id);
		if (!strcmp(rq->method, "PATCH"))
			return patch_item(w, id, rq, rs);
		return reply_error(rs, 405, "method not allowed");
	}
	item_action(w, id, rest, rq, rs);
	return 0;
}

static int
add_finding(void *ctx, const struct cairn_finding *f)
{
	json_array_append_new(ctx, cairn_finding_json(f));
	return 0;
}

static int
planning(struct web *w, const char *what, struct http_req *rq,
         struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	const char *v = http_query(rq, "limit");
	json_t *arr;
	size_t count;
	unsigned long long limit = 10;
	double d;
	int rc;

	if (v) {
		if (cairn_number_parse(v, 0, &d) || d < 1 || d > 1e6 ||
		    d != (unsigned long long)d)
			return reply_error(
			        rs, 400, "limit must be a whole number from 1");
		limit = (unsigned long long)d;
	}
	if (!strcmp(what, "next")) {
		struct cairn_next nx;

		/* From the planning summary, as `cairn next` reads it. */
		if (!(rc = cairn_next_store(w->st, (size_t)limit, &nx, &err)))
			reply_json(rs, 200, cairn_next_json(&nx));
		cairn_next_release(&nx);
		if (rc)
			reply_err(rs, rc, &err);
		return 0;
	}
	if ((rc = cairn_roadmap_load(w->st, &rm, &err)))
		return reply_err(rs, rc, &err);
	arr = json_array();
	if (!(rc = cairn_check_run(&rm, add_finding, arr, &count, &err)))
		reply_json(rs, 200, arr);
	else
		json_decref(arr);
	cairn_roadmap_release(&rm);
	if (rc)
		reply_err(rs, rc, &err);
	return 0;
}

int
web_query_uint(const struct http_req *rq, const char *name, uint64_t min,
               uint64_t max, uint64_t *out, struct cairn_err *err)
{
	const char *v = http_query(rq, name);
	double d;

	if (!v || !*v) /* a form's field left empty */
		return 0;
	if (cairn_number_parse(v, 0, &d) || d < (double)min ||
	    d > (double)max || d != (double)(uint64_t)d)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%s must be a whole number from %llu to "
		                     "%llu",
		                     name, (unsigned long long)min,
		                     (unsigned long long)max);
	*out = (uint64_t)d;
	return 0;
}

int
web_forecast(struct web *w, const struct http_req *rq, int64_t goal,
             struct cairn_goal_forecast *fc, struct cairn_err *err)
{
	struct cairn_goal_forecast_opts o = CAIRN_GOAL_FORECAST_OPTS_INIT;
	uint64_t cap = (uint64_t)o.run.capacity;
	int rc;

	memset(fc, 0, sizeof(*fc));
	if ((rc = web_query_uint(rq, "trials", 1, WEB_MAX_TRIALS, &o.run.trials,
	                         err)) ||
	    (rc = web_query_uint(rq, "seed", 0, (uint64_t)1 << 53, &o.run.seed,
	                         err)) ||
	    (rc = web_query_uint(rq, "capacity", 1, CAIRN_FORECAST_MAX_CAPACITY,
	                         &cap, err)))
		return rc;
	o.run.capacity = (int)cap;
	return cairn_goal_forecast(w->st, goal, &o, fc, err);
}

static int
goal_route(struct web *w, const char *sub, struct http_req *rq,
           struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *rest;
	int64_t id;
	int rc;

	if (strcmp(rq->method, "GET"))
		return reply_error(rs, 405, "method not allowed");
	if (!(id = web_id(sub, &rest)))
		return reply_error(rs, 404, "no such route");
	if (!strcmp(rest, "/forecast")) {
		struct cairn_goal_forecast fc;

		rc = web_forecast(w, rq, id, &fc, &err);
		if (!rc)
			reply_json(rs, 200, cairn_goal_forecast_json(&fc));
		cairn_goal_forecast_release(&fc);
	} else if (!strcmp(rest, "/path")) {
		struct cairn_roadmap rm;
		struct cairn_goal_path p;

		if ((rc = cairn_roadmap_load(w->st, &rm, &err)))
			return reply_err(rs, rc, &err);
		rc = cairn_goal_path(&rm, id, &p, &err);
		cairn_roadmap_release(&rm);
		if (!rc)
			reply_json(rs, 200, cairn_goal_path_json(&p));
		cairn_goal_path_release(&p);
	} else {
		return reply_error(rs, 404, "no such route");
	}
	if (rc)
		return reply_error(
		        rs, rc == CAIRN_EINVAL ? 400 : web_status(rc), err.msg);
	return 0;
}

static int
research(struct web *w, const char *what, struct http_req *rq,
         struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	int rc;

	if (!strcmp(what, "calibration")) {
		struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
		struct cairn_calibration cal;

		q.who = http_query(rq, "who");
		q.tag = http_query(rq, "tag");
		if ((rc = cairn_calibration_compute(w->st, &q, &cal, &err)))
			return reply_err(rs, rc, &err);
		return reply_json(rs, 200, cairn_calibration_json(&cal));
	}
	if (!strcmp(what, "focus")) {
		struct cairn_focus_report r;
		char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN];
		uint64_t weeks = CAIRN_FOCUS_WEEKS;

		if ((rc = web_query_uint(rq, "weeks", 1, CAIRN_WEEKS_MAX,
		                         &weeks, &err)))
			return reply_error(rs, 400, err.msg);
		cairn_last_weeks((int)weeks, since, until);
		memset(&r, 0, sizeof(r));
		if ((rc = cairn_focus_report(w->st, since, until, &r, &err)))
			reply_err(rs, rc, &err);
		else
			reply_json(rs, 200, cairn_focus_report_json(&r));
		cairn_focus_report_release(&r);
		return 0;
	} else {
		struct cairn_lookback lb;
		char since[CAIRN_TS_LEN] = "", until[CAIRN_TS_LEN] = "";
		char show[CAIRN_TS_LEN];
		const char *v;

		if ((v = http_query(rq, "since")) && *v &&
		    cairn_bound_parse(v, 0, since, show, &err))
			return reply_error(rs, 400, err.msg);
		if ((v = http_query(rq, "until")) && *v &&
		    cairn_bound_parse(v, 1, until, show, &err))
			return reply_error(rs, 400, err.msg);
		memset(&lb, 0, sizeof(lb));
		if ((rc = cairn_lookback(w->st, since, until, &lb, &err)))
			reply_error(rs,
			            rc == CAIRN_EINVAL ? 400 : web_status(rc),
			            err.msg);
		else
			reply_json(rs, 200, cairn_lookback_json(&lb));
		cairn_lookback_release(&lb);
		return 0;
	}
}

int
web_undo(struct web *w, int redo, struct cairn_err *err)
{
	struct cairn_undo_opts o = {1, 0, NULL, NULL};
	int n, rc;

	rc = redo ? cairn_journal_redo(w->st, &o, &n, err)
	          : cairn_journal_undo(w->st, &o, &n, err);
	if (!rc)
		web_wrote(w);
	return rc;
}

static int
api_route(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	const char *p = rq->path + 4; /* after "/api" */
	int get = !strcmp(rq->method, "GET");

	if (!strncmp(p, "/items", 6) && (p[6] == '\0' || p[6] == '/'))
		return items(w, p + 6, rq, rs);
	if (get && !strcmp(p, "/session")) {
		json_t *o = json_object();

		json_object_set_new(o, "csrf", json_string(http_csrf(w->srv)));
		return reply_json(rs, 200, o);
	}
	if (get && !strcmp(p, "/version")) {
		struct cairn_err err = CAIRN_ERR_INIT;
		long long v;
		json_t *o;
		int rc;

		if ((rc = cairn_store_version(w->st, &v, &err)))
			return reply_err(rs, rc, &err);
		o = json_object();
		json_object_set_new(o, "version", json_integer(v));
		return reply_json(rs, 200, o);
	}
	if (!strncmp(p, "/predictions/", 13)) {
		struct cairn_err err = CAIRN_ERR_INIT;
		const char *rest;
		int64_t pid = web_id(p + 13, &rest);
		json_t *o, *why;
		int rc;

		if (!pid || strcmp(rest, "/resolve"))
			return reply_error(rs, 404, "no such route");
		if (strcmp(rq->method, "POST"))
			return reply_error(rs, 405, "method not allowed");
		if (!(o = body_object(rq, rs)))
			return 0;
		why = json_object_get(o, "why");
		rc = web_resolve(
		        w, pid,
		        json_string_value(json_object_get(o, "outcome")),
		        json_string_value(why), &err);
		json_decref(o);
		if (rc)
			return reply_err(rs, rc, &err);
		{
			struct cairn_prediction pr;

			cairn_prediction_init(&pr);
			if ((rc = cairn_prediction_get(w->st, pid, &pr,
			                               &err))) {
				cairn_prediction_release(&pr);
				return reply_err(rs, rc, &err);
			}
			reply_json(rs, 200, cairn_prediction_json(&pr));
			cairn_prediction_release(&pr);
			return 0;
		}
	}
	if (get && !strcmp(p, "/export")) {
		transfer_export(w, rq, rs, 1);
		return 0;
	}
	if (!strcmp(rq->method, "POST") && !strcmp(p, "/import")) {
		transfer_import(w, rq, rs, 1);
		return 0;
	}
	if (get && (!strcmp(p, "/calibration") || !strcmp(p, "/focus") ||
	            !strcmp(p, "/lookback")))
		return research(w, p + 1, rq, rs);
	if (!strncmp(p, "/goals/", 7))
		return goal_route(w, p + 7, rq, rs);
	if (get && (!strcmp(p, "/next") || !strcmp(p, "/check")))
		return planning(w, p + 1, rq, rs);
	if (!strcmp(rq->method, "POST") &&
	    (!strcmp(p, "/undo") || !strcmp(p, "/redo"))) {
		struct cairn_err err = CAIRN_ERR_INIT;
		int rc = web_undo(w, p[1] == 'r', &err);
		json_t *o;

		if (rc)
			return reply_err(rs, rc, &err);
		o = json_object();
		json_object_set_new(o, p[1] == 'r' ? "redone" : "undone",
		                    json_integer(1));
		return reply_json(rs, 200, o);
	}
	return reply_error(rs, 404, "no such route");
}

void
api_handle(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	api_route(w, rq, rs);
}
