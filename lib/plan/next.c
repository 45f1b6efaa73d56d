/*
 * next.c: what to work on now (see next.h).  Readiness comes from the
 * plan of all open work (or of one goal), scores from each open goal's
 * own plan and critical path.  Picks are indexed by roadmap position,
 * papers after the items.
 *
 * Workload: one plan and one critical path per open goal; one planner
 * for them all, so each costs what its plan holds.
 */
#include <stdlib.h>
#include <string.h>

#include "cairn/plan/next.h"
#include "plan/next-int.h"
#include "plan/step.h"
#include "banned.h"

struct pick {
	long pos;  /* in the roadmap; rm->n + q for papers[q] */
	long goal; /* roadmap position of the goal, -1 for none */
	double score, carry, expected, slack, likelihood;
};

static int
by_score(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->expected != y->expected)
		return x->expected > y->expected ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The pick index of plan node id. */
static long
pick_of(const struct cairn_roadmap *rm, int64_t id)
{
	if (id > 0)
		return cairn_roadmap_find(rm, id);
	return (long)rm->n + cairn_roadmap_paper_find(rm, -id);
}

/* Whether plan node i of g (roadmap position pos) is what next lists. */
static int
listed(const struct cairn_roadmap *rm, const struct cairn_plan *g, size_t i,
       long pos)
{
	const struct cairn_item *it;

	if (g->pre_off[i + 1] != g->pre_off[i])
		return 0;
	if (g->flags[i] & CAIRN_NODE_PAPER)
		return 1;
	it = &rm->items[pos];
	return it->kind == CAIRN_KIND_MILESTONE &&
	       (it->status == CAIRN_STATUS_PLANNED ||
	        it->status == CAIRN_STATUS_ACTIVE);
}

int
next_unit_kind(const struct cairn_roadmap *rm, size_t i)
{
	size_t steps = 0;

	if (rm->items[i].kind != CAIRN_KIND_GOAL && rm->parent[i] >= 0)
		return 0;
	/* Open for planning: it and everything above it. */
	for (long p = (long)i; p >= 0 && steps++ <= rm->n; p = rm->parent[p])
		if (!cairn_item_open(&rm->items[p]))
			return 0;
	return rm->items[i].kind == CAIRN_KIND_GOAL ? 2 : 1;
}

int
next_unit(const struct cairn_roadmap *rm, struct roadmap_planner *pl, long u,
          int scored, double *length,
          void (*fn)(void *ctx, const struct next_node *nd), void *ctx,
          struct cairn_err *err)
{
	const struct cairn_item *goal = &rm->items[u];
	struct cairn_plan g;
	struct cairn_cpm cp;
	double lik = goal->likelihood >= 0 ? goal->likelihood
	                                   : CAIRN_NEXT_UNSTATED_LIKELIHOOD;
	int rc;

	if ((rc = roadmap_planner_plan(pl, goal->id, &g, err)))
		return rc;
	cairn_plan_critical(&g, &cp);
	*length = cp.length;
	for (size_t i = 0; i < g.n; i++) {
		struct next_node nd = {.node = g.id[i]};

		nd.ready = g.pre_off[i + 1] == g.pre_off[i];
		nd.listed = listed(rm, &g, i, pick_of(rm, g.id[i]));
		nd.expected = g.mean[i];
		if (scored) {
			nd.slack = cp.slack[i];
			nd.carry = cp.length > 0 ? (cp.length - cp.slack[i]) /
			                                   cp.length
			                         : 1;
			nd.score = lik * nd.carry;
		}
		fn(ctx, &nd);
	}
	cairn_cpm_release(&cp);
	cairn_plan_release(&g);
	return 0;
}

struct score_ctx {
	const struct cairn_roadmap *rm;
	struct pick *picks;
	long gpos;
};

/* Keep nd's score for goal ctx->gpos when it beats the one before. */
static void
score_node(void *ctx, const struct next_node *nd)
{
	struct score_ctx *c = ctx;
	struct pick *p;

	if (!nd->ready)
		return;
	p = &c->picks[pick_of(c->rm, nd->node)];
	if (p->goal >= 0 && nd->score <= p->score)
		return;
	p->goal = c->gpos;
	p->score = nd->score;
	p->carry = nd->carry;
	p->expected = nd->expected;
	p->slack = nd->slack;
	p->likelihood = c->rm->items[c->gpos].likelihood;
}

/* Score the ready nodes of goal gpos's plan into picks. */
static int
score_goal(const struct cairn_roadmap *rm, struct roadmap_planner *pl,
           long gpos, struct pick *picks, struct cairn_err *err)
{
	struct score_ctx c = {rm, picks, gpos};
	double length;

	return next_unit(rm, pl, gpos, 1, &length, score_node, &c, err);
}

static void
keep(struct cairn_next_pick *o, const struct cairn_roadmap *rm,
     const struct pick *p, struct buf *label)
{
	int64_t node =
	        p->pos < (long)rm->n
	                ? rm->items[p->pos].id
	                : CAIRN_PAPER_NODE(rm->papers[p->pos - (long)rm->n].id);

	plan_step_name(rm, node, &o->id, &o->paper, &o->title, label);
	o->status = p->pos < (long)rm->n
	                    ? cairn_status_name(rm->items[p->pos].status)
	                    : cairn_paper_status_name(
	                              rm->papers[p->pos - (long)rm->n].status);
	if (p->goal >= 0) {
		o->goal = rm->items[p->goal].id;
		o->goal_title = xstrdup(rm->items[p->goal].title);
	}
	o->likelihood = p->likelihood;
	o->carry = p->carry;
	o->score = p->score;
	o->expected = p->expected;
	o->slack = p->slack;
}

int
cairn_next(const struct cairn_roadmap *rm, int64_t only, size_t limit,
           struct cairn_next *out, struct cairn_err *err)
{
	struct roadmap_planner *pl;
	struct cairn_plan all;
	struct pick *picks, *list;
	struct buf label = BUF_INIT;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (only && cairn_roadmap_find(rm, only) < 0)
		return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                     (long long)only);
	/* Readiness from the plan of everything open (or of the goal). */
	pl = roadmap_planner_new(rm);
	if ((rc = roadmap_planner_plan(pl, only, &all, err))) {
		roadmap_planner_free(pl);
		return rc;
	}
	picks = xcalloc(rm->n + rm->npapers + 1, sizeof(*picks));
	for (size_t i = 0; i < rm->n + rm->npapers; i++) {
		picks[i].pos = (long)i;
		picks[i].goal = -1;
		picks[i].likelihood = -1;
	}
	if (only) {
		rc = score_goal(rm, pl, cairn_roadmap_find(rm, only), picks,
		                err);
	} else {
		for (size_t i = 0; i < rm->n && !rc; i++)
			if (rm->items[i].kind == CAIRN_KIND_GOAL &&
			    cairn_item_open(&rm->items[i]))
				rc = score_goal(rm, pl, (long)i, picks, err);
	}
	if (rc)
		goto out;
	list = xmalloc((all.n ? all.n : 1) * sizeof(*list));
	for (size_t i = 0; i < all.n; i++) {
		long pos = pick_of(rm, all.id[i]);

		if (!listed(rm, &all, i, pos))
			continue;
		list[n] = picks[pos];
		if (list[n].goal < 0) {
			list[n].score = 0;
			list[n].expected = all.mean[i];
		}
		n++;
	}
	qsort(list, n, sizeof(*list), by_score);
	if (n > limit)
		n = limit;
	out->picks = xcalloc(n ? n : 1, sizeof(*out->picks));
	for (size_t k = 0; k < n; k++)
		keep(&out->picks[k], rm, &list[k], &label);
	out->n = n;
	free(list);
out:
	buf_release(&label);
	free(picks);
	cairn_plan_release(&all);
	roadmap_planner_free(pl);
	return rc;
}

void
cairn_next_release(struct cairn_next *nx)
{
	if (!nx)
		return;
	for (size_t k = 0; k < nx->n; k++) {
		free(nx->picks[k].paper);
		free(nx->picks[k].title);
		free(nx->picks[k].goal_title);
	}
	free(nx->picks);
	memset(nx, 0, sizeof(*nx));
}

json_t *
cairn_next_json(const struct cairn_next *nx)
{
	json_t *arr = json_array();

	for (size_t k = 0; k < nx->n; k++) {
		const struct cairn_next_pick *p = &nx->picks[k];
		json_t *o = json_object();

		plan_step_json(o, p->id, p->paper, p->title);
		json_object_set_new(o, "status", json_string(p->status));
		json_object_set_new(o, "goal",
		                    p->goal ? json_integer(p->goal)
		                            : json_null());
		json_object_set_new(o, "goal_title",
		                    p->goal ? json_string(p->goal_title)
		                            : json_null());
		json_object_set_new(o, "likelihood",
		                    p->likelihood >= 0
		                            ? json_real(p->likelihood)
		                            : json_null());
		json_object_set_new(o, "carry",
		                    p->goal ? json_real(p->carry)
		                            : json_null());
		json_object_set_new(o, "score", json_real(p->score));
		json_object_set_new(o, "expected", json_real(p->expected));
		json_array_append_new(arr, o);
	}
	return arr;
}
