/*
 * goal-path.c: the critical path of a goal's remaining work, for people
 * (see goal-path.h).  The critical path method itself is graph.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cairn/plan/goal-path.h"
#include "plan/step.h"
#include "banned.h"

static void
step_fill(struct cairn_path_step *s, const struct cairn_roadmap *rm,
          const struct cairn_plan *g, const struct cairn_cpm *cp, uint32_t i,
          struct buf *label)
{
	plan_step_name(rm, g->id[i], &s->id, &s->paper, &s->label, label);
	s->expected = g->mean[i];
	s->start = cp->es[i];
	s->finish = cp->ef[i];
	s->slack = cp->slack[i];
	s->estimated = !(g->flags[i] & CAIRN_NODE_DEFAULT_EST);
	s->outside = !!(g->flags[i] & CAIRN_NODE_OUTSIDE);
}

/* Off-path nodes, least slack first, then by position. */
struct off {
	double slack;
	uint32_t node;
};

static int
by_slack(const void *a, const void *b)
{
	const struct off *x = a, *y = b;

	if (x->slack != y->slack)
		return x->slack < y->slack ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

int
cairn_goal_path(const struct cairn_roadmap *rm, int64_t goal,
                struct cairn_goal_path *out, struct cairn_err *err)
{
	struct cairn_plan g;
	struct cairn_cpm cp;
	struct buf label = BUF_INIT;
	unsigned char *on;
	struct off *others;
	long gi;
	int rc;

	memset(out, 0, sizeof(*out));
	out->goal = goal;
	if ((rc = cairn_roadmap_plan(rm, goal, &g, err)))
		return rc;
	gi = cairn_roadmap_find(rm, goal);
	out->title = xstrdup(gi >= 0 ? rm->items[gi].title : "?");
	out->remaining = g.n;
	if (!g.n) {
		cairn_plan_release(&g);
		return 0;
	}
	cairn_plan_critical(&g, &cp);
	on = xcalloc(g.n, 1);
	others = xmalloc(g.n * sizeof(*others));
	for (size_t k = 0; k < cp.npath; k++)
		on[cp.path[k]] = 1;
	for (size_t i = 0; i < g.n; i++) {
		out->papers += !!(g.flags[i] & CAIRN_NODE_PAPER);
		if (!on[i])
			others[out->nothers++] =
			        (struct off){cp.slack[i], (uint32_t)i};
	}
	qsort(others, out->nothers, sizeof(*others), by_slack);
	out->length = cp.length;
	out->npath = cp.npath;
	out->path = xcalloc(cp.npath ? cp.npath : 1, sizeof(*out->path));
	out->others =
	        xcalloc(out->nothers ? out->nothers : 1, sizeof(*out->others));
	for (size_t k = 0; k < cp.npath; k++)
		step_fill(&out->path[k], rm, &g, &cp, cp.path[k], &label);
	for (size_t k = 0; k < out->nothers; k++)
		step_fill(&out->others[k], rm, &g, &cp, others[k].node, &label);
	free(on);
	free(others);
	buf_release(&label);
	cairn_cpm_release(&cp);
	cairn_plan_release(&g);
	return 0;
}

static void
steps_release(struct cairn_path_step *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(v[k].paper);
		free(v[k].label);
	}
	free(v);
}

void
cairn_goal_path_release(struct cairn_goal_path *p)
{
	if (!p)
		return;
	free(p->title);
	steps_release(p->path, p->npath);
	steps_release(p->others, p->nothers);
	memset(p, 0, sizeof(*p));
}

static json_t *
step_json(const struct cairn_path_step *s)
{
	json_t *o = json_object();

	plan_step_json(o, s->id, s->paper, s->label);
	json_object_set_new(o, "expected", json_real(s->expected));
	json_object_set_new(o, "start", json_real(s->start));
	json_object_set_new(o, "finish", json_real(s->finish));
	json_object_set_new(o, "slack", json_real(s->slack));
	json_object_set_new(o, "estimated", json_boolean(s->estimated));
	json_object_set_new(o, "outside", json_boolean(s->outside));
	return o;
}

json_t *
cairn_goal_path_json(const struct cairn_goal_path *p)
{
	json_t *j = json_object(), *a = json_array(), *x = json_array();

	json_object_set_new(j, "goal", json_integer(p->goal));
	json_object_set_new(j, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(j, "remaining",
	                    json_integer((json_int_t)p->remaining));
	if (p->remaining)
		json_object_set_new(j, "papers",
		                    json_integer((json_int_t)p->papers));
	json_object_set_new(j, "length", json_real(p->length));
	for (size_t k = 0; k < p->npath; k++)
		json_array_append_new(a, step_json(&p->path[k]));
	for (size_t k = 0; k < p->nothers; k++)
		json_array_append_new(x, step_json(&p->others[k]));
	json_object_set_new(j, "path", a);
	json_object_set_new(j, "others", x);
	return j;
}
