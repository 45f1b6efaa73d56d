/*
 * roadmap-plan.c: the remaining work of a goal built from a roadmap
 * snapshot (rules in roadmap.h, cairn_roadmap_plan), the researcher's
 * own history of estimates, and a goal's share of working time.  Reads
 * only the snapshot, so `next` can plan every goal without going back
 * to the store.
 *
 * Workload: memory and time are linear in items + edges, except that an
 * edge to a milestone broken into k open pieces becomes k edges for each
 * node inheriting it (a container depended on by a container: k * m
 * edges).  A required paper is one node however many milestones wait for
 * it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/roadmap-int.h"
#include "banned.h"

int
cairn_item_open(const struct cairn_item *it)
{
	return it->status != CAIRN_STATUS_DONE &&
	       it->status != CAIRN_STATUS_DROPPED;
}

int
cairn_paper_effort(enum cairn_paper_status s, double est[3])
{
	static const double effort[][3] = {
	        [CAIRN_PAPER_TO_READ] = {CAIRN_PAPER_READ_OPT,
	                                 CAIRN_PAPER_READ_LIKELY,
	                                 CAIRN_PAPER_READ_PESS},
	        [CAIRN_PAPER_READING] = {CAIRN_PAPER_READING_OPT,
	                                 CAIRN_PAPER_READING_LIKELY,
	                                 CAIRN_PAPER_READING_PESS},
	        [CAIRN_PAPER_REPLICATING] = {CAIRN_PAPER_REPLICATE_OPT,
	                                     CAIRN_PAPER_REPLICATE_LIKELY,
	                                     CAIRN_PAPER_REPLICATE_PESS},
	};

	if (s != CAIRN_PAPER_TO_READ && s != CAIRN_PAPER_READING &&
	    s != CAIRN_PAPER_REPLICATING)
		return 0;
	memcpy(est, effort[s], sizeof(effort[s]));
	return 1;
}

/* ---- building a plan ------------------------------------------------ */

/*
 * What open_at and work_of learn depends on the roadmap alone, so it is
 * kept from one plan to the next (roadmap_planner); node, pnode and
 * inside are one plan's, and are reset through queue and pdone.
 */
struct roadmap_planner {
	const struct cairn_roadmap *rm;
	struct cairn_plan *g;
	long *node;      /* position -> plan node, -1 */
	long *pnode;     /* paper position -> plan node, -1 */
	uint32_t *pdone; /* the papers with a node, npdone of them */
	size_t npdone;
	unsigned char *inside; /* position is below root (or root) */
	unsigned char *open;   /* see open_at */
	uint32_t *up;          /* open_at's scratch */
	/* work(P) per position, computed once: work[wk_off..+wk_len) */
	long *wk_off;
	uint32_t *wk_len;
	uint32_t *work;
	size_t nwork, work_cap;
	size_t from, to; /* the last plan's root work: work[from..to) */
	uint32_t *queue;
	size_t qhead, qtail;
	/* scratch for the subtree walk */
	uint32_t *stack, *next;
	unsigned char *found;
};

/*
 * Open, for planning: the item and everything above it neither done nor
 * dropped.  Work left below a finished or abandoned item is settled with
 * it.  L->open caches the answer per position (0 unknown, 1 open, 2 not).
 */
static int
open_at(struct roadmap_planner *L, uint32_t i)
{
	const struct cairn_roadmap *rm = L->rm;
	size_t depth = 0;
	long p = (long)i;
	unsigned char v;

	if (L->open[i])
		return L->open[i] == 1;
	/* Up to the first known ancestor (the store keeps the tree
	 * acyclic; the depth bound is a guard), then down again. */
	while (p >= 0 && !L->open[p] && depth <= rm->n) {
		L->up[depth++] = (uint32_t)p;
		p = rm->parent[p];
	}
	v = p >= 0 && L->open[p] ? L->open[p] : 1;
	while (depth--) {
		uint32_t x = L->up[depth];

		if (v == 1 && !cairn_item_open(&rm->items[x]))
			v = 2;
		L->open[x] = v;
	}
	return L->open[i] == 1;
}

/* Append position v to L->work. */
static void
work_push(struct roadmap_planner *L, uint32_t v)
{
	if (L->nwork == L->work_cap) {
		L->work_cap = L->work_cap ? 2 * L->work_cap : 256;
		L->work = xrealloc(L->work, L->work_cap * sizeof(*L->work));
	}
	L->work[L->nwork++] = v;
}

/*
 * The open milestones below x (through open items only) with no open
 * milestone below them, appended to L->work; x itself when it is a
 * milestone with none below.  Iterative post-order walk.  Returns how
 * many were appended.
 */
static size_t
collect(struct roadmap_planner *L, uint32_t x)
{
	const struct cairn_roadmap *rm = L->rm;
	size_t depth = 0, before = L->nwork;
	uint32_t *next = L->next;

	/* stack[d] is the item, its next child's place in next[d]. */
	L->stack[0] = x;
	next[0] = rm->kid_off[x];
	L->found[0] = 0;
	for (;;) {
		uint32_t v = L->stack[depth];

		if (next[depth] < rm->kid_off[v + 1]) {
			uint32_t c = rm->kid[next[depth]++];

			if (!open_at(L, c))
				continue;
			depth++;
			L->stack[depth] = c;
			next[depth] = rm->kid_off[c];
			L->found[depth] = 0;
			continue;
		}
		/* v is finished. */
		if (!L->found[depth] &&
		    rm->items[v].kind == CAIRN_KIND_MILESTONE) {
			work_push(L, v);
			L->found[depth] = 1;
		}
		if (!depth)
			break;
		if (L->found[depth])
			L->found[depth - 1] = 1;
		depth--;
	}
	return L->nwork - before;
}

/* work(P) for an open P: its pieces, or P itself when it has none. */
static void
work_of(struct roadmap_planner *L, uint32_t p, const uint32_t **out,
        uint32_t *len)
{
	if (L->wk_off[p] < 0) {
		size_t start = L->nwork, k = collect(L, p);

		if (!k) {
			work_push(L, p);
			k = 1;
		}
		L->wk_off[p] = (long)start;
		L->wk_len[p] = (uint32_t)k;
	}
	*out = L->work + L->wk_off[p];
	*len = L->wk_len[p];
}

/* Is w the item a or below it? */
static int
within(const struct cairn_roadmap *rm, uint32_t w, uint32_t a)
{
	long p = (long)w;
	size_t steps = 0;

	while (p >= 0 && steps++ <= rm->n) {
		if ((uint32_t)p == a)
			return 1;
		p = rm->parent[p];
	}
	return 0;
}

static long
node_for(struct roadmap_planner *L, uint32_t i, struct cairn_err *err)
{
	const struct cairn_item *it = &L->rm->items[i];
	double def[3] = {CAIRN_DEFAULT_OPT, CAIRN_DEFAULT_LIKELY,
	                 CAIRN_DEFAULT_PESS};
	unsigned flags = 0;
	long k;

	if (L->node[i] >= 0)
		return L->node[i];
	if (it->est[0] < 0)
		flags |= CAIRN_NODE_DEFAULT_EST;
	if (!L->inside[i])
		flags |= CAIRN_NODE_OUTSIDE;
	k = cairn_plan_add_node(L->g, it->id, it->est[0] < 0 ? def : it->est,
	                        it->p_success < 0 ? 1 : it->p_success, flags,
	                        err);
	if (k < 0)
		return k;
	L->node[i] = k;
	L->queue[L->qtail++] = i;
	return k;
}

/* The node of the paper at position q, made on first use. */
static long
paper_node_for(struct roadmap_planner *L, uint32_t q, const double est[3],
               struct cairn_err *err)
{
	long k;

	if (L->pnode[q] >= 0)
		return L->pnode[q];
	k = cairn_plan_add_node(L->g, CAIRN_PAPER_NODE(L->rm->papers[q].id),
	                        est, 1, CAIRN_NODE_PAPER, err);
	if (k >= 0) {
		L->pnode[q] = k;
		L->pdone[L->npdone++] = q;
	}
	return k;
}

/* Node v waits for the papers item a requires that are still pending. */
static int
add_papers(struct roadmap_planner *L, uint32_t v, uint32_t a,
           struct cairn_err *err)
{
	const struct cairn_roadmap *rm = L->rm;

	for (uint32_t k = rm->req_off[a]; k < rm->req_off[a + 1]; k++) {
		uint32_t q = rm->req[k];
		double est[3];
		long u;

		if (!cairn_paper_effort(rm->papers[q].status, est))
			continue;
		if ((u = paper_node_for(L, q, est, err)) < 0)
			return (int)u;
		if ((u = cairn_plan_add_edge(L->g, (size_t)L->node[v],
		                             (size_t)u, err)))
			return (int)u;
	}
	return 0;
}

struct roadmap_planner *
roadmap_planner_new(const struct cairn_roadmap *rm)
{
	struct roadmap_planner *L = xcalloc(1, sizeof(*L));
	size_t n = rm->n, alloc = n ? n : 1;

	L->rm = rm;
	L->node = xmalloc(alloc * sizeof(long));
	L->pnode = xmalloc((rm->npapers ? rm->npapers : 1) * sizeof(long));
	L->pdone = xmalloc((rm->npapers ? rm->npapers : 1) * sizeof(uint32_t));
	for (size_t q = 0; q < rm->npapers; q++)
		L->pnode[q] = -1;
	L->inside = xcalloc(alloc, 1);
	L->open = xcalloc(alloc, 1);
	L->up = xmalloc((alloc + 1) * sizeof(uint32_t));
	L->wk_off = xmalloc(alloc * sizeof(long));
	L->wk_len = xcalloc(alloc, sizeof(uint32_t));
	L->queue = xmalloc(alloc * sizeof(uint32_t));
	L->stack = xmalloc((alloc + 1) * sizeof(uint32_t));
	L->next = xmalloc((alloc + 1) * sizeof(uint32_t));
	L->found = xmalloc(alloc + 1);
	for (size_t i = 0; i < n; i++) {
		L->node[i] = -1;
		L->wk_off[i] = -1;
	}
	return L;
}

void
roadmap_planner_free(struct roadmap_planner *L)
{
	if (!L)
		return;
	free(L->node);
	free(L->pnode);
	free(L->pdone);
	free(L->inside);
	free(L->open);
	free(L->up);
	free(L->wk_off);
	free(L->wk_len);
	free(L->work);
	free(L->queue);
	free(L->stack);
	free(L->next);
	free(L->found);
	free(L);
}

/* Forget the last plan's nodes: every position given one was queued. */
static void
planner_reset(struct roadmap_planner *L)
{
	for (size_t k = 0; k < L->qtail; k++) {
		L->node[L->queue[k]] = -1;
		L->inside[L->queue[k]] = 0;
	}
	for (size_t k = L->from; k < L->to; k++)
		L->inside[L->work[k]] = 0;
	for (size_t k = 0; k < L->npdone; k++)
		L->pnode[L->pdone[k]] = -1;
	L->from = L->to = 0;
	L->qhead = L->qtail = L->npdone = 0;
}

int
roadmap_planner_plan(struct roadmap_planner *L, int64_t root,
                     struct cairn_plan *g, struct cairn_err *err)
{
	const struct cairn_roadmap *rm = L->rm;
	size_t n = rm->n;
	long r = -1;
	int rc = 0;

	cairn_plan_init(g);
	planner_reset(L);
	if (root) {
		r = cairn_roadmap_find(rm, root);
		if (r < 0)
			return cairn_err_set(err, CAIRN_ENOTFOUND,
			                     "no item #%lld", (long long)root);
	}
	L->g = g;

	/* The work below root. */
	{
		size_t start = L->nwork;

		if (r >= 0) {
			if (open_at(L, (uint32_t)r))
				collect(L, (uint32_t)r);
		} else {
			for (size_t i = 0; i < n; i++)
				if (rm->parent[i] < 0 &&
				    open_at(L, (uint32_t)i))
					collect(L, (uint32_t)i);
		}
		for (size_t k = start; k < L->nwork; k++)
			L->inside[L->work[k]] = 1;
		for (size_t k = start, end = L->nwork; k < end; k++) {
			long u = node_for(L, L->work[k], err);

			if (u < 0) {
				rc = (int)u;
				goto fail;
			}
		}
		L->from = start;
		L->to = L->nwork;
	}

	/* Prerequisites, own and inherited, breadth first. */
	while (L->qhead < L->qtail) {
		uint32_t v = L->queue[L->qhead++];
		long a = (long)v;
		size_t steps = 0;

		while (a >= 0 && steps++ <= n) {
			if ((rc = add_papers(L, v, (uint32_t)a, err)))
				goto fail;
			for (uint32_t k = rm->pre_off[a];
			     k < rm->pre_off[a + 1]; k++) {
				uint32_t p = rm->pre[k], len;
				const uint32_t *w;

				if (!open_at(L, p))
					continue; /* done or dropped */
				/* Building on what one is part of: the whole
				 * waits for the part, the part for the whole.
				 */
				if (within(rm, (uint32_t)a, p)) {
					rc = cairn_err_set(
					        err, CAIRN_ECYCLE,
					        "cycle: #%lld builds on #%lld, "
					        "which it is part of",
					        (long long)rm->items[a].id,
					        (long long)rm->items[p].id);
					goto fail;
				}
				work_of(L, p, &w, &len);
				for (uint32_t j = 0; j < len; j++) {
					uint32_t x = w[j];
					long u;

					/* An edge into the ancestor's own
					 * subtree is implied by the
					 * breakdown, not inherited. */
					if (within(rm, x, (uint32_t)a))
						continue;
					if ((u = node_for(L, x, err)) < 0) {
						rc = (int)u;
						goto fail;
					}
					if ((rc = cairn_plan_add_edge(
					             g, (size_t)L->node[v],
					             (size_t)u, err)))
						goto fail;
				}
			}
			a = rm->parent[a];
		}
	}
	if (!(rc = cairn_plan_finish(g, err)))
		return 0;
	/* Builds-on edges alone never go round (the store refuses that):
	 * inherited prerequisites closed this cycle. */
	if (rc == CAIRN_ECYCLE && err) {
		char m[CAIRN_ERR_MAX];

		snprintf(m, sizeof(m), "%s", err->msg);
		cairn_err_set(err, rc,
		              "%s (counting what their parents build on)", m);
	}
fail:
	cairn_plan_release(g);
	return rc;
}

/*
 * A node of the plan waits for the work of p when it, or an ancestor a
 * of it, builds on p; that work lies below p (or is p).  So one step of
 * a cycle of the plan goes up from a node to a, across the edge to p,
 * and down to a node below p; between two edges the walk in the tree
 * goes from p either up or down to the next a (both lie above the node
 * between them).  Every item on such a walk is open.  Its states are
 * (item, going up) and (item, going down): an edge leads from either
 * state of an item to both of the item it builds on, the tree up from
 * an up state and down from a down state.  A cycle of the plan, and an
 * item building on something it is part of, is a cycle of these states;
 * with none (Kahn's order takes every state), the plan has none.  The
 * other ways a plan fails are a node's estimate or chance out of range
 * (an open item's, as node_for reads them; papers' are constants) and
 * more nodes than a plan may hold (at most every open item and paper).
 * The limit on edges, UINT32_MAX, would take 32 GB to reach.
 */
/* One fewer way into state t; queued when none is left. */
static void
certain_release(uint32_t *indeg, uint32_t *queue, size_t *tail, uint32_t t)
{
	if (!--indeg[t])
		queue[(*tail)++] = t;
}

int
roadmap_plan_certain(const struct cairn_roadmap *rm)
{
	size_t n = rm->n, open = 0, head = 0, tail = 0;
	unsigned char *op = xmalloc(n ? n : 1);
	uint32_t *indeg, *queue;
	int ok;

	for (size_t i = 0; i < n; i++) {
		const struct cairn_item *it = &rm->items[i];

		op[i] = (unsigned char)cairn_item_open(it);
		if (!op[i])
			continue;
		open++;
		if ((it->est[0] >= 0 &&
		     !(it->est[0] <= it->est[1] && it->est[1] <= it->est[2] &&
		       it->est[2] <= 1e6)) ||
		    (it->p_success >= 0 && !(it->p_success <= 1))) {
			free(op);
			return 0;
		}
	}
	if (open + rm->npapers > CAIRN_PLAN_MAX_NODES) {
		free(op);
		return 0;
	}
	/* State 2i: item i going up; 2i + 1: going down. */
	indeg = xcalloc(2 * n + 1, sizeof(*indeg));
	queue = xmalloc((2 * n + 1) * sizeof(*queue));
	for (size_t i = 0; i < n; i++) {
		long p = rm->parent[i];

		if (!op[i])
			continue;
		if (p >= 0 && op[p]) {
			indeg[2 * p]++;
			indeg[2 * i + 1]++;
		}
		for (uint32_t k = rm->pre_off[i]; k < rm->pre_off[i + 1]; k++)
			if (op[rm->pre[k]]) {
				indeg[2 * rm->pre[k]] += 2;
				indeg[2 * rm->pre[k] + 1] += 2;
			}
	}
	for (size_t s = 0; s < 2 * n; s++)
		if (op[s / 2] && !indeg[s])
			queue[tail++] = (uint32_t)s;
	while (head < tail) {
		uint32_t s = queue[head++], i = s / 2;

		if (s % 2 == 0) {
			long p = rm->parent[i];

			if (p >= 0 && op[p])
				certain_release(indeg, queue, &tail,
				                (uint32_t)(2 * p));
		} else {
			for (uint32_t k = rm->kid_off[i];
			     k < rm->kid_off[i + 1]; k++)
				if (op[rm->kid[k]])
					certain_release(indeg, queue, &tail,
					                2 * rm->kid[k] + 1);
		}
		for (uint32_t k = rm->pre_off[i]; k < rm->pre_off[i + 1]; k++)
			if (op[rm->pre[k]]) {
				certain_release(indeg, queue, &tail,
				                2 * rm->pre[k]);
				certain_release(indeg, queue, &tail,
				                2 * rm->pre[k] + 1);
			}
	}
	ok = tail == 2 * open;
	free(op);
	free(indeg);
	free(queue);
	return ok;
}

int
cairn_roadmap_plan(const struct cairn_roadmap *rm, int64_t root,
                   struct cairn_plan *g, struct cairn_err *err)
{
	struct roadmap_planner *L;
	int rc;

	if (root && cairn_roadmap_find(rm, root) < 0) {
		cairn_plan_init(g);
		return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                     (long long)root);
	}
	L = roadmap_planner_new(rm);
	rc = roadmap_planner_plan(L, root, g, err);
	roadmap_planner_free(L);
	return rc;
}

int
roadmap_history_ratio(const struct cairn_item *it, long logged,
                      double hours_per_day, double *ratio)
{
	double actual;

	if (it->kind != CAIRN_KIND_MILESTONE ||
	    it->status != CAIRN_STATUS_DONE || !(it->est[1] > 0))
		return 0;
	if (logged > 0) {
		actual = (double)logged / (hours_per_day * 60);
	} else {
		time_t t0, t1;

		if (!it->started[0] || !it->finished[0])
			return 0;
		t0 = cairn_ts_to_time(it->started);
		t1 = cairn_ts_to_time(it->finished);
		/* Marked done without ever being started (the store then
		 * sets both at once): no actual. */
		if (t0 == (time_t)-1 || t1 == (time_t)-1 || t1 <= t0)
			return 0;
		actual = cairn_weekdays_between(t0, t1);
	}
	*ratio = actual / it->est[1];
	if (*ratio < 0.1)
		*ratio = 0.1;
	if (*ratio > 10)
		*ratio = 10;
	return 1;
}

void
cairn_roadmap_history(const struct cairn_roadmap *rm, double hours_per_day,
                      double **out, size_t *n)
{
	double *v = NULL, ratio;
	size_t k = 0;

	for (size_t i = 0; i < rm->n; i++) {
		if (!roadmap_history_ratio(&rm->items[i],
		                           rm->logged ? rm->logged[i] : 0,
		                           hours_per_day, &ratio))
			continue;
		if (!v)
			v = xmalloc(rm->n * sizeof(*v));
		v[k++] = ratio;
	}
	*out = v;
	*n = k;
}

double
roadmap_focus_share(const struct cairn_focus *f, int related)
{
	double share = related ? 1 - f->explore : f->explore;

	return share > 0 && share <= 1 ? share : 1;
}

double
cairn_roadmap_share(const struct cairn_roadmap *rm, const struct cairn_focus *f,
                    int64_t goal)
{
	long g = cairn_roadmap_find(rm, goal);
	long m = f->main ? cairn_roadmap_find(rm, f->main) : -1;

	if (m < 0 || g < 0)
		return 1;
	return roadmap_focus_share(
	        f, within(rm, (uint32_t)m, (uint32_t)g) ||
	                   within(rm, (uint32_t)g, (uint32_t)m));
}
