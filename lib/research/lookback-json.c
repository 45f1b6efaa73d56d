/*
 * lookback-json.c: a look-back (lookback.c) as JSON, and its release.
 * Reads only the struct: the field names are those of lookback.h, which
 * front ends print as they are (cairn lookback --json, GET /api/lookback).
 */
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "cairn/research/lookback.h"
#include "cairn/research/metric.h"
#include "research/research-int.h"
#include "banned.h"

static void
items_release(struct cairn_lb_item *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].title);
		free(v[i].why);
	}
	free(v);
}

static void
goal_state_release(struct cairn_lb_goal_state *g)
{
	free(g->title);
	free(g->status);
	free(g->why);
	free(g->driven);
}

void
cairn_lookback_release(struct cairn_lookback *lb)
{
	if (!lb)
		return;
	items_release(lb->finished, lb->nfinished);
	items_release(lb->dropped, lb->ndropped);
	items_release(lb->started, lb->nstarted);
	items_release(lb->added, lb->nadded);
	for (int i = 0; i < lb->ngoals; i++) {
		struct cairn_lb_goal *g = &lb->goals[i];

		goal_state_release(&g->then);
		goal_state_release(&g->now);
		for (int k = 0; k < g->nrestated; k++)
			free(g->restated[k].text);
		free(g->restated);
	}
	free(lb->goals);
	for (int i = 0; i < lb->nlessons; i++)
		free(lb->lessons[i].text);
	free(lb->lessons);
	for (int i = 0; i < lb->nstatements; i++) {
		free(lb->statements[i].kind);
		free(lb->statements[i].old_text);
		free(lb->statements[i].new_text);
	}
	free(lb->statements);
	for (int i = 0; i < lb->nmetrics; i++) {
		free(lb->metrics[i].name);
		free(lb->metrics[i].unit);
	}
	free(lb->metrics);
	for (int i = 0; i < lb->npredictions; i++) {
		free(lb->predictions[i].who);
		free(lb->predictions[i].statement);
	}
	free(lb->predictions);
	for (int i = 0; i < lb->ntime; i++)
		free(lb->time[i].title);
	free(lb->time);
	for (int i = 0; i < lb->nreviews; i++) {
		free(lb->reviews[i].moved);
		free(lb->reviews[i].sharper);
		free(lb->reviews[i].to_drop);
		free(lb->reviews[i].note);
	}
	free(lb->reviews);
	memset(lb, 0, sizeof(*lb));
}

static json_t *
opt(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *
vis(int v)
{
	return json_string(cairn_visibility_name((enum cairn_visibility)v));
}

/* A goal at one end: null when it did not stand there. */
static json_t *
goal_state_json(const struct cairn_lb_goal_state *g)
{
	json_t *o;

	/* What a goal was, only while it was one. */
	if (!g->present)
		return json_null();
	o = json_object();
	json_object_set_new(o, "title", json_string(g->title));
	json_object_set_new(o, "status", json_string(g->status));
	json_object_set_new(o, "why", opt(g->why));
	json_object_set_new(o, "rank",
	                    g->rank ? json_integer(g->rank) : json_null());
	json_object_set_new(o, "likelihood",
	                    g->likelihood < 0 ? json_null()
	                                      : json_real(g->likelihood));
	json_object_set_new(o, "driven", opt(g->driven));
	json_object_set_new(o, "visibility", vis(g->vis));
	return o;
}

static json_t *
goals_json(const struct cairn_lookback *lb)
{
	json_t *a = json_array();

	for (int i = 0; i < lb->ngoals; i++) {
		const struct cairn_lb_goal *g = &lb->goals[i];
		json_t *o = json_object(), *r = json_array();

		json_object_set_new(o, "id", json_integer(g->id));
		json_object_set_new(o, "then", goal_state_json(&g->then));
		json_object_set_new(o, "now", goal_state_json(&g->now));
		for (int k = 0; k < g->nrestated; k++)
			json_array_append_new(
			        r, json_pack("{s:s,s:s}", "time",
			                     g->restated[k].when, "text",
			                     g->restated[k].text));
		json_object_set_new(o, "restated", r);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
lessons_json(const struct cairn_lookback *lb)
{
	json_t *a = json_array();

	for (int i = 0; i < lb->nlessons; i++) {
		const struct cairn_lb_lesson *l = &lb->lessons[i];

		json_array_append_new(
		        a,
		        json_pack("{s:I,s:I,s:o,s:s,s:s,s:b,s:o}", "id",
		                  (json_int_t)l->id, "item",
		                  (json_int_t)l->item, "goal",
		                  l->goal ? json_integer(l->goal) : json_null(),
		                  "created", l->created, "text", l->text,
		                  "worked", l->worked, "visibility",
		                  vis(l->vis)));
	}
	return a;
}

static json_t *
items_json(const struct cairn_lb_item *v, int n, const char *when)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(v[i].id));
		json_object_set_new(o, "kind", json_string(v[i].kind));
		json_object_set_new(o, "title", json_string(v[i].title));
		json_object_set_new(o, when, opt(v[i].when));
		if (!strcmp(when, "dropped"))
			json_object_set_new(o, "why", opt(v[i].why));
		json_object_set_new(o, "goal",
		                    v[i].goal ? json_integer(v[i].goal)
		                              : json_null());
		json_object_set_new(o, "visibility", vis(v[i].vis));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
cairn_lookback_json(const struct cairn_lookback *lb)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "since", opt(lb->since));
	json_object_set_new(o, "until", opt(lb->until));
	json_object_set_new(
	        o, "finished",
	        items_json(lb->finished, lb->nfinished, "finished"));
	json_object_set_new(o, "dropped",
	                    items_json(lb->dropped, lb->ndropped, "dropped"));
	json_object_set_new(o, "started",
	                    items_json(lb->started, lb->nstarted, "started"));
	json_object_set_new(o, "added",
	                    items_json(lb->added, lb->nadded, "created"));
	json_object_set_new(o, "goals", goals_json(lb));
	json_object_set_new(o, "lessons", lessons_json(lb));
	a = json_array();
	for (int i = 0; i < lb->nstatements; i++) {
		const struct cairn_lb_statement *x = &lb->statements[i];

		json_array_append_new(
		        a, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id",
		                     (json_int_t)x->id, "kind", x->kind, "old",
		                     x->old_text, "new", x->new_text, "time",
		                     x->when));
	}
	json_object_set_new(o, "statements", a);
	a = json_array();
	for (int i = 0; i < lb->nmetrics; i++) {
		const struct cairn_lb_metric *x = &lb->metrics[i];
		json_t *m = json_object();

		json_object_set_new(m, "id", json_integer(x->id));
		json_object_set_new(m, "item", json_integer(x->item));
		json_object_set_new(m, "name", json_string(x->name));
		json_object_set_new(m, "unit", opt(x->unit));
		json_object_set_new(m, "baseline", json_real(x->baseline));
		json_object_set_new(m, "target", json_real(x->target));
		json_object_set_new(m, "from", json_real(x->from));
		json_object_set_new(m, "to", json_real(x->to));
		json_object_set_new(m, "to_date", json_string(x->to_date));
		json_object_set_new(m, "progress_from",
		                    json_real(cairn_metric_progress(
		                            x->baseline, x->target, x->from)));
		json_object_set_new(m, "progress_to",
		                    json_real(cairn_metric_progress(
		                            x->baseline, x->target, x->to)));
		json_object_set_new(m, "observations",
		                    json_integer(x->observations));
		json_object_set_new(m, "goal",
		                    x->goal ? json_integer(x->goal)
		                            : json_null());
		json_object_set_new(m, "visibility", vis(x->vis));
		json_array_append_new(a, m);
	}
	json_object_set_new(o, "metrics", a);
	a = json_array();
	for (int i = 0; i < lb->npredictions; i++) {
		const struct cairn_lb_prediction *x = &lb->predictions[i];
		json_t *p = json_object();

		json_object_set_new(p, "id", json_integer(x->id));
		json_object_set_new(p, "item",
		                    x->item ? json_integer(x->item)
		                            : json_null());
		json_object_set_new(p, "visibility", vis(x->vis));
		json_object_set_new(p, "who", opt(x->who));
		json_object_set_new(p, "statement", json_string(x->statement));
		json_object_set_new(p, "p", json_real(x->p));
		json_object_set_new(p, "outcome", json_boolean(x->outcome));
		json_object_set_new(p, "resolved", json_string(x->resolved));
		json_object_set_new(p, "early", json_boolean(x->early));
		json_array_append_new(a, p);
	}
	json_object_set_new(o, "predictions", a);
	json_object_set_new(o, "brier",
	                    lb->npredictions ? json_real(lb->brier)
	                                     : json_null());
	a = json_array();
	for (int i = 0; i < lb->ntime; i++) {
		const struct cairn_lb_time *x = &lb->time[i];
		json_t *t = json_object();

		json_object_set_new(t, "goal",
		                    x->goal ? json_integer(x->goal)
		                            : json_null());
		json_object_set_new(t, "title", opt(x->title));
		json_object_set_new(t, "minutes", json_integer(x->minutes));
		json_array_append_new(a, t);
	}
	json_object_set_new(o, "time", a);
	json_object_set_new(o, "minutes", json_integer(lb->minutes));
	a = json_array();
	for (int i = 0; i < lb->nreviews; i++) {
		const struct cairn_lb_review *x = &lb->reviews[i];
		json_t *r = json_object();

		json_object_set_new(r, "created", json_string(x->created));
		json_object_set_new(r, "moved", opt(x->moved));
		json_object_set_new(r, "sharper", opt(x->sharper));
		json_object_set_new(r, "to_drop", opt(x->to_drop));
		json_object_set_new(r, "note", opt(x->note));
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "reviews", a);
	return o;
}
