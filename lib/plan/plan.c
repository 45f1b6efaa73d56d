/*
 * plan.c: the plan DAG (structure of arrays, CSR edges), its topological
 * order with a named cycle, and the critical path by expected effort.
 *
 * Invariants after cairn_plan_finish: nodes are numbered in topological
 * order, so every prerequisite index is smaller than its dependent's and a
 * single forward sweep sees prerequisites first (the forecast relies on
 * it); edge lists are sorted and free of duplicates.
 *
 * Workload: up to tens of thousands of nodes and a few edges each; every
 * pass is O(n + e) except the edge sort, O(e log e).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/buf.h"
#include "cairn/plan/plan.h"
#include "banned.h"

#define NONE UINT32_MAX

void
cairn_plan_init(struct cairn_plan *g)
{
	memset(g, 0, sizeof(*g));
}

void
cairn_plan_release(struct cairn_plan *g)
{
	free(g->id);
	free(g->opt);
	free(g->likely);
	free(g->pess);
	free(g->p_success);
	free(g->mean);
	free(g->flags);
	free(g->pre_off);
	free(g->pre);
	free(g->suc_off);
	free(g->suc);
	free(g->eu);
	free(g->ev);
	cairn_plan_init(g);
}

long
cairn_plan_add_node(struct cairn_plan *g, int64_t id, const double est[3],
                    double p_success, unsigned flags, struct cairn_err *err)
{
	size_t i;

	if (g->finished)
		return cairn_err_set(err, CAIRN_ESTATE,
		                     "the plan is already finished");
	if (!(est[0] >= 0 && est[0] <= est[1] && est[1] <= est[2] &&
	      est[2] <= 1e6))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "malformed estimate '%g/%g/%g' for #%lld "
		                     "(want 0 <= optimistic <= likely <= "
		                     "pessimistic)",
		                     est[0], est[1], est[2], (long long)id);
	if (!(p_success >= 0 && p_success <= 1))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "p_success '%g' of #%lld is not between "
		                     "0 and 1",
		                     p_success, (long long)id);
	if (g->n >= CAIRN_PLAN_MAX_NODES)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "too many milestones in one plan (at "
		                     "most %u)",
		                     CAIRN_PLAN_MAX_NODES);
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->id = xrealloc(g->id, g->cap * sizeof(*g->id));
		g->opt = xrealloc(g->opt, g->cap * sizeof(double));
		g->likely = xrealloc(g->likely, g->cap * sizeof(double));
		g->pess = xrealloc(g->pess, g->cap * sizeof(double));
		g->p_success = xrealloc(g->p_success, g->cap * sizeof(double));
		g->flags = xrealloc(g->flags, g->cap);
	}
	i = g->n++;
	g->id[i] = id;
	g->opt[i] = est[0];
	g->likely[i] = est[1];
	g->pess[i] = est[2];
	g->p_success[i] = p_success;
	g->flags[i] = (unsigned char)flags;
	return (long)i;
}

int
cairn_plan_add_edge(struct cairn_plan *g, size_t u, size_t v,
                    struct cairn_err *err)
{
	if (g->finished)
		return cairn_err_set(err, CAIRN_ESTATE,
		                     "the plan is already finished");
	if (u >= g->n || v >= g->n)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "no node %zu in the plan",
		                     u >= g->n ? u : v);
	if (u == v)
		return cairn_err_set(err, CAIRN_ECYCLE, "cycle: #%lld -> #%lld",
		                     (long long)g->id[u], (long long)g->id[u]);
	if (g->nedges >= UINT32_MAX - 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "too many prerequisites in one plan");
	if (g->nedges == g->ecap) {
		g->ecap = g->ecap ? 2 * g->ecap : 64;
		g->eu = xrealloc(g->eu, g->ecap * sizeof(*g->eu));
		g->ev = xrealloc(g->ev, g->ecap * sizeof(*g->ev));
	}
	g->eu[g->nedges] = (uint32_t)u;
	g->ev[g->nedges] = (uint32_t)v;
	g->nedges++;
	return 0;
}

/* Counting sort of (key, val) pairs into CSR off/val arrays over n keys;
 * values of one key come out sorted and deduplicated. */
static size_t
build_csr(size_t n, size_t m, const uint32_t *key, const uint32_t *val,
          uint32_t **off_out, uint32_t **val_out)
{
	uint32_t *off = xcalloc(n + 1, sizeof(*off));
	uint32_t *out = xmalloc((m ? m : 1) * sizeof(*out));
	uint32_t *pos = xmalloc((n + 1) * sizeof(*pos));
	size_t k, w;

	for (k = 0; k < m; k++)
		off[key[k] + 1]++;
	for (k = 0; k < n; k++)
		off[k + 1] += off[k];
	memcpy(pos, off, (n + 1) * sizeof(*pos));
	for (k = 0; k < m; k++)
		out[pos[key[k]]++] = val[k];
	/* Sort each list (short: insertion sort) and drop duplicates. */
	w = 0;
	for (k = 0; k < n; k++) {
		uint32_t b = off[k], e = off[k + 1];

		for (uint32_t a = b + 1; a < e; a++) {
			uint32_t x = out[a], c = a;

			while (c > b && out[c - 1] > x) {
				out[c] = out[c - 1];
				c--;
			}
			out[c] = x;
		}
		off[k] = (uint32_t)w;
		for (uint32_t a = b; a < e; a++)
			if (a == b || out[a] != out[a - 1])
				out[w++] = out[a];
	}
	off[n] = (uint32_t)w;
	free(pos);
	*off_out = off;
	*val_out = out;
	return w;
}

/*
 * Name a cycle among the nodes Kahn's algorithm could not order (indeg >
 * 0): from any of them, follow a prerequisite that is also left until a
 * node repeats; the repeat closes the cycle.
 */
static int
cycle_error(const struct cairn_plan *g, const uint32_t *off,
            const uint32_t *pre, const uint32_t *indeg, struct cairn_err *err)
{
	uint32_t *seen = xmalloc(g->n * sizeof(*seen));
	uint32_t *walk = xmalloc((g->n + 1) * sizeof(*walk));
	struct buf msg = BUF_INIT;
	size_t len = 0, start = 0;
	uint32_t v = NONE;
	int rc;

	for (size_t i = 0; i < g->n; i++) {
		seen[i] = NONE;
		if (indeg[i] && v == NONE)
			v = (uint32_t)i;
	}
	/* indeg counts unfinished prerequisites: a left node always has a
	 * left prerequisite, so the walk cannot get stuck. */
	while (seen[v] == NONE) {
		seen[v] = (uint32_t)len;
		walk[len++] = v;
		for (uint32_t k = off[v]; k < off[v + 1]; k++)
			if (indeg[pre[k]]) {
				v = pre[k];
				break;
			}
	}
	start = seen[v];
	/* A long cycle is named by its ends, so the message stays a line. */
	for (size_t k = start; k < len; k++) {
		if (len - start > 12 && k == start + 6) {
			buf_addf(&msg, "... (%zu more) -> ", len - start - 11);
			k = len - 5;
		}
		buf_addf(&msg, "#%lld -> ", (long long)g->id[walk[k]]);
	}
	buf_addf(&msg, "#%lld", (long long)g->id[walk[start]]);
	rc = cairn_err_set(err, CAIRN_ECYCLE, "cycle: %s", msg.buf);
	buf_release(&msg);
	free(seen);
	free(walk);
	return rc;
}

static void
permute_double(double **a, const uint32_t *order, size_t n)
{
	double *b = xmalloc((n ? n : 1) * sizeof(*b));

	for (size_t i = 0; i < n; i++)
		b[i] = (*a)[order[i]];
	free(*a);
	*a = b;
}

int
cairn_plan_finish(struct cairn_plan *g, struct cairn_err *err)
{
	uint32_t *off = NULL, *pre = NULL, *soff = NULL, *suc = NULL;
	uint32_t *indeg = NULL, *order = NULL, *rank = NULL;
	uint32_t *eu, *ev;
	size_t n = g->n, m, head = 0, tail = 0;
	int rc = 0;

	if (g->finished)
		return 0;
	/* Prerequisites and dependents in the numbering of addition. */
	m = build_csr(n, g->nedges, g->eu, g->ev, &off, &pre);
	build_csr(n, g->nedges, g->ev, g->eu, &soff, &suc);

	/* Kahn's algorithm with a FIFO: deterministic, addition order among
	 * nodes that become ready together. */
	indeg = xmalloc((n ? n : 1) * sizeof(*indeg));
	order = xmalloc((n ? n : 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		if (!(indeg[i] = off[i + 1] - off[i]))
			order[tail++] = (uint32_t)i;
	while (head < tail) {
		uint32_t v = order[head++];

		for (uint32_t k = soff[v]; k < soff[v + 1]; k++)
			if (!--indeg[suc[k]])
				order[tail++] = suc[k];
	}
	if (tail < n) {
		rc = cycle_error(g, off, pre, indeg, err);
		goto out;
	}

	/* Renumber everything in topological order. */
	rank = xmalloc((n ? n : 1) * sizeof(*rank));
	for (size_t i = 0; i < n; i++)
		rank[order[i]] = (uint32_t)i;
	{
		int64_t *id = xmalloc((n ? n : 1) * sizeof(*id));
		unsigned char *fl = xmalloc(n ? n : 1);

		for (size_t i = 0; i < n; i++) {
			id[i] = g->id[order[i]];
			fl[i] = g->flags[order[i]];
		}
		free(g->id);
		free(g->flags);
		g->id = id;
		g->flags = fl;
	}
	permute_double(&g->opt, order, n);
	permute_double(&g->likely, order, n);
	permute_double(&g->pess, order, n);
	permute_double(&g->p_success, order, n);
	eu = xmalloc((m ? m : 1) * sizeof(*eu));
	ev = xmalloc((m ? m : 1) * sizeof(*ev));
	m = 0;
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = off[i]; k < off[i + 1]; k++) {
			eu[m] = rank[i];
			ev[m] = rank[pre[k]];
			m++;
		}
	free(off);
	free(pre);
	free(soff);
	free(suc);
	off = pre = soff = suc = NULL;
	g->nedges = build_csr(n, m, eu, ev, &g->pre_off, &g->pre);
	build_csr(n, m, ev, eu, &g->suc_off, &g->suc);
	free(eu);
	free(ev);
	free(g->eu);
	free(g->ev);
	g->eu = g->ev = NULL;
	g->ecap = 0;

	g->mean = xmalloc((n ? n : 1) * sizeof(*g->mean));
	for (size_t i = 0; i < n; i++)
		g->mean[i] = (g->opt[i] + 4 * g->likely[i] + g->pess[i]) / 6;
	g->finished = 1;
out:
	free(off);
	free(pre);
	free(soff);
	free(suc);
	free(indeg);
	free(order);
	free(rank);
	return rc;
}

long
cairn_plan_find(const struct cairn_plan *g, int64_t id)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->id[i] == id)
			return (long)i;
	return -1;
}

void
cairn_plan_critical(const struct cairn_plan *g, struct cairn_cpm *c)
{
	size_t n = g->n, alloc = n ? n : 1;
	uint32_t *via = xmalloc(alloc * sizeof(*via));
	uint32_t end = NONE;
	double eps;

	memset(c, 0, sizeof(*c));
	c->es = xmalloc(alloc * sizeof(double));
	c->ef = xmalloc(alloc * sizeof(double));
	c->slack = xmalloc(alloc * sizeof(double));
	c->path = xmalloc(alloc * sizeof(uint32_t));

	/* Forward: earliest start is the latest prerequisite finish. */
	for (size_t i = 0; i < n; i++) {
		double es = 0;

		via[i] = NONE;
		for (uint32_t k = g->pre_off[i]; k < g->pre_off[i + 1]; k++) {
			double f = c->ef[g->pre[k]];

			if (via[i] == NONE || f > es) {
				es = f;
				via[i] = g->pre[k];
			}
		}
		c->es[i] = es;
		c->ef[i] = es + g->mean[i];
		if (end == NONE || c->ef[i] > c->length) {
			c->length = c->ef[i];
			end = (uint32_t)i;
		}
	}
	/* Backward: latest finish is the earliest dependent's latest start.
	 * The slack array holds the latest finish until the last step. */
	for (size_t i = n; i-- > 0;) {
		double lf = c->length;

		for (uint32_t k = g->suc_off[i]; k < g->suc_off[i + 1]; k++) {
			uint32_t s = g->suc[k];
			double ls = c->slack[s] - g->mean[s];

			if (ls < lf)
				lf = ls;
		}
		c->slack[i] = lf;
	}
	/* Rounding can leave a critical node's slack a hair off zero. */
	eps = 1e-9 * (c->length > 1 ? c->length : 1);
	for (size_t i = 0; i < n; i++) {
		c->slack[i] -= c->ef[i];
		if (fabs(c->slack[i]) < eps)
			c->slack[i] = 0;
	}
	/* The chain back from the last finish, then reversed. */
	for (uint32_t v = end; v != NONE; v = via[v])
		c->path[c->npath++] = v;
	for (size_t a = 0, b = c->npath; a + 1 < b; a++, b--) {
		uint32_t t = c->path[a];

		c->path[a] = c->path[b - 1];
		c->path[b - 1] = t;
	}
	free(via);
}

void
cairn_cpm_release(struct cairn_cpm *c)
{
	free(c->es);
	free(c->ef);
	free(c->slack);
	free(c->path);
	memset(c, 0, sizeof(*c));
}
