/*
 * test-plan.c: the plan DAG (topological renumbering, CSR edges,
 * duplicate edges, cycle reports, bad estimates) and the critical path,
 * checked against a brute-force longest path on 200 random DAGs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cairn/cairn.h"
#include "cairn/plan/plan.h"

/* Fail with the error message unless expr returns 0.  (unit.h has the
 * same; this file needs no store, so it stands alone.) */
#define assert_ok(expr, errp)                                                  \
	do {                                                                   \
		int rc_ = (expr);                                              \
		if (rc_)                                                       \
			fail_msg("%s returned %d: %s", #expr, rc_,             \
			         (errp)->msg);                                 \
	} while (0)

static long
node(struct cairn_plan *g, int64_t id, double o, double m, double p)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	double est[3] = {o, m, p};
	long i = cairn_plan_add_node(g, id, est, 1, 0, &err);

	if (i < 0)
		fail_msg("add node #%lld: %s", (long long)id, err.msg);
	return i;
}

static void
edge(struct cairn_plan *g, long u, long v)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_plan_add_edge(g, (size_t)u, (size_t)v, &err), &err);
}

static void
test_topological(void **state)
{
	struct cairn_plan g;
	struct cairn_err err = CAIRN_ERR_INIT;
	long a, b, c, d;

	(void)state;
	cairn_plan_init(&g);
	/* Added in reverse: d builds on c builds on b builds on a. */
	d = node(&g, 4, 1, 1, 1);
	c = node(&g, 3, 2, 2, 2);
	b = node(&g, 2, 3, 3, 3);
	a = node(&g, 1, 0, 3, 6);
	edge(&g, d, c);
	edge(&g, c, b);
	edge(&g, b, a);
	edge(&g, d, a);
	edge(&g, d, a); /* a duplicate is merged */
	assert_ok(cairn_plan_finish(&g, &err), &err);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.nedges, 4);
	/* Renumbered: prerequisites first. */
	assert_int_equal(g.id[0], 1);
	assert_int_equal(g.id[1], 2);
	assert_int_equal(g.id[2], 3);
	assert_int_equal(g.id[3], 4);
	for (size_t i = 0; i < g.n; i++)
		for (uint32_t k = g.pre_off[i]; k < g.pre_off[i + 1]; k++) {
			assert_true(g.pre[k] < i);
			if (k > g.pre_off[i])
				assert_true(g.pre[k] > g.pre[k - 1]);
		}
	/* Node 3 (#4) builds on #1 and #3. */
	assert_int_equal(g.pre_off[4] - g.pre_off[3], 2);
	assert_int_equal(g.pre[g.pre_off[3]], 0);
	assert_int_equal(g.pre[g.pre_off[3] + 1], 2);
	/* Dependents mirror prerequisites. */
	assert_int_equal(g.suc_off[1] - g.suc_off[0], 2);
	/* PERT mean of 0/3/6 and the others' fixed efforts. */
	assert_float_equal(g.mean[0], 3.0, 1e-12);
	assert_float_equal(g.opt[1], 3.0, 0);
	assert_int_equal(cairn_plan_find(&g, 3), 2);
	assert_int_equal(cairn_plan_find(&g, 99), -1);
	/* Frozen. */
	assert_int_equal(cairn_plan_add_edge(&g, 0, 1, &err), CAIRN_ESTATE);
	cairn_plan_release(&g);
}

static void
test_cycle_named(void **state)
{
	struct cairn_plan g;
	struct cairn_err err = CAIRN_ERR_INIT;
	long a, b, c, d;

	(void)state;
	cairn_plan_init(&g);
	a = node(&g, 10, 1, 1, 1);
	b = node(&g, 20, 1, 1, 1);
	c = node(&g, 30, 1, 1, 1);
	d = node(&g, 40, 1, 1, 1);
	edge(&g, a, d); /* #10 builds on #40, outside the cycle */
	edge(&g, a, b); /* #10 -> #20 -> #30 -> #10 */
	edge(&g, b, c);
	edge(&g, c, a);
	assert_int_equal(cairn_plan_finish(&g, &err), CAIRN_ECYCLE);
	assert_int_equal(err.code, CAIRN_ECYCLE);
	/* Any rotation of the cycle, in builds-on order. */
	if (strcmp(err.msg, "cycle: #10 -> #20 -> #30 -> #10") &&
	    strcmp(err.msg, "cycle: #20 -> #30 -> #10 -> #20") &&
	    strcmp(err.msg, "cycle: #30 -> #10 -> #20 -> #30"))
		fail_msg("unexpected message: %s", err.msg);
	cairn_plan_release(&g);

	/* A long cycle is named by its ends: 20 nodes, #100 -> ... -> #119
	 * -> #100, the walk starting from the first node. */
	cairn_plan_init(&g);
	for (int k = 0; k < 20; k++)
		node(&g, 100 + k, 1, 1, 1);
	for (int k = 0; k < 20; k++)
		edge(&g, k, (k + 1) % 20);
	assert_int_equal(cairn_plan_finish(&g, &err), CAIRN_ECYCLE);
	assert_string_equal(err.msg, "cycle: #100 -> #101 -> #102 -> #103 -> "
	                             "#104 -> #105 -> ... (9 more) -> #115 -> "
	                             "#116 -> #117 -> #118 -> #119 -> #100");
	cairn_plan_release(&g);

	cairn_plan_init(&g);
	a = node(&g, 7, 1, 1, 1);
	assert_int_equal(cairn_plan_add_edge(&g, (size_t)a, (size_t)a, &err),
	                 CAIRN_ECYCLE);
	assert_string_equal(err.msg, "cycle: #7 -> #7");
	cairn_plan_release(&g);
}

static void
test_bad_input(void **state)
{
	struct cairn_plan g;
	struct cairn_err err = CAIRN_ERR_INIT;
	double bad[3] = {10, 5, 20}, ok[3] = {1, 2, 3};

	(void)state;
	cairn_plan_init(&g);
	assert_int_equal(cairn_plan_add_node(&g, 5, bad, 1, 0, &err),
	                 CAIRN_EINVAL);
	assert_string_equal(err.msg,
	                    "malformed estimate '10/5/20' for #5 (want 0 <= "
	                    "optimistic <= likely <= pessimistic)");
	assert_int_equal(cairn_plan_add_node(&g, 5, ok, 1.5, 0, &err),
	                 CAIRN_EINVAL);
	assert_int_equal(cairn_plan_add_node(&g, 5, ok, NAN, 0, &err),
	                 CAIRN_EINVAL);
	assert_int_equal(cairn_plan_add_node(&g, 5, ok, 1, 0, &err), 0);
	assert_int_equal(cairn_plan_add_edge(&g, 0, 3, &err), CAIRN_EINVAL);
	cairn_plan_release(&g);
}

static void
test_critical_known(void **state)
{
	struct cairn_plan g;
	struct cairn_cpm c;
	struct cairn_err err = CAIRN_ERR_INIT;
	long s, a, b, e;

	(void)state;
	/* s(2) -> {a(5), b(3)} -> e(1): critical s a e = 8; b has slack 2. */
	cairn_plan_init(&g);
	s = node(&g, 1, 2, 2, 2);
	a = node(&g, 2, 5, 5, 5);
	b = node(&g, 3, 3, 3, 3);
	e = node(&g, 4, 1, 1, 1);
	edge(&g, a, s);
	edge(&g, b, s);
	edge(&g, e, a);
	edge(&g, e, b);
	assert_ok(cairn_plan_finish(&g, &err), &err);
	cairn_plan_critical(&g, &c);
	assert_float_equal(c.length, 8, 1e-12);
	assert_int_equal(c.npath, 3);
	assert_int_equal(g.id[c.path[0]], 1);
	assert_int_equal(g.id[c.path[1]], 2);
	assert_int_equal(g.id[c.path[2]], 4);
	assert_float_equal(c.slack[cairn_plan_find(&g, 3)], 2, 1e-12);
	assert_float_equal(c.slack[cairn_plan_find(&g, 2)], 0, 0);
	assert_float_equal(c.es[cairn_plan_find(&g, 4)], 7, 1e-12);
	cairn_cpm_release(&c);
	cairn_plan_release(&g);

	/* An empty plan has an empty path. */
	cairn_plan_init(&g);
	assert_ok(cairn_plan_finish(&g, &err), &err);
	cairn_plan_critical(&g, &c);
	assert_int_equal(c.npath, 0);
	assert_float_equal(c.length, 0, 0);
	cairn_cpm_release(&c);
	cairn_plan_release(&g);
}

/* ---- brute force ---------------------------------------------------- */

#define MAXN 12

struct dag {
	int n;
	double w[MAXN];
	int adj[MAXN][MAXN]; /* adj[u][v]: u builds on v */
};

static unsigned long long rng_state = 0x243f6a8885a308d3ull;

static unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

/* Longest chain ending at v (v's weight included), by recursion. */
static double
longest_to(const struct dag *d, int v)
{
	double best = 0;

	for (int u = 0; u < d->n; u++)
		if (d->adj[v][u]) {
			double l = longest_to(d, u);

			if (l > best)
				best = l;
		}
	return best + d->w[v];
}

/* Longest chain starting at v (v included): through dependents. */
static double
longest_from(const struct dag *d, int v)
{
	double best = 0;

	for (int u = 0; u < d->n; u++)
		if (d->adj[u][v]) {
			double l = longest_from(d, u);

			if (l > best)
				best = l;
		}
	return best + d->w[v];
}

static void
test_critical_brute_force(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		struct dag d;
		struct cairn_plan g;
		struct cairn_cpm c;
		struct cairn_err err = CAIRN_ERR_INIT;
		long idx[MAXN];
		int perm[MAXN];
		double best = 0, sum = 0;

		memset(&d, 0, sizeof(d));
		d.n = 1 + (int)rnd(MAXN);
		/* A random order hides the topological one from the plan. */
		for (int i = 0; i < d.n; i++)
			perm[i] = i;
		for (int i = d.n - 1; i > 0; i--) {
			int j = (int)rnd((unsigned)i + 1), t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		for (int i = 0; i < d.n; i++)
			d.w[i] = (double)rnd(20) + (double)rnd(4) * 0.25;
		for (int u = 0; u < d.n; u++)
			for (int v = 0; v < u; v++)
				d.adj[u][v] = rnd(100) < 30;

		cairn_plan_init(&g);
		for (int k = 0; k < d.n; k++) {
			int i = perm[k];
			double o = d.w[i] * 0.5, p = d.w[i] * 1.25;
			/* mean = (o + 4m + p) / 6 = w  =>  m = (6w - o - p)/4
			 */
			double m = (6 * d.w[i] - o - p) / 4;

			idx[i] = node(&g, 100 + i, o, m, p);
		}
		for (int u = 0; u < d.n; u++)
			for (int v = 0; v < d.n; v++)
				if (d.adj[u][v])
					edge(&g, idx[u], idx[v]);
		assert_ok(cairn_plan_finish(&g, &err), &err);
		cairn_plan_critical(&g, &c);

		for (int v = 0; v < d.n; v++) {
			double l = longest_to(&d, v);

			if (l > best)
				best = l;
		}
		assert_float_equal(c.length, best, 1e-9);
		/* The path is a chain of edges whose weights add up. */
		assert_true(c.npath >= 1);
		for (size_t k = 0; k < c.npath; k++) {
			int i = (int)(g.id[c.path[k]] - 100);

			sum += d.w[i];
			assert_float_equal(c.slack[c.path[k]], 0, 0);
			if (k) {
				int p = (int)(g.id[c.path[k - 1]] - 100);

				assert_true(d.adj[i][p]);
			}
		}
		assert_float_equal(sum, best, 1e-9);
		/* It starts at a node with no prerequisites, ends at one
		 * nothing builds on. */
		assert_int_equal(
		        g.pre_off[c.path[0] + 1] - g.pre_off[c.path[0]], 0);
		/* Slack: the longest chain through a node leaves exactly
		 * that much room. */
		for (int v = 0; v < d.n; v++) {
			long gi = cairn_plan_find(&g, 100 + v);
			double through = longest_to(&d, v) +
			                 longest_from(&d, v) - d.w[v];

			assert_float_equal(c.slack[gi], best - through, 1e-9);
			assert_float_equal(c.es[gi], longest_to(&d, v) - d.w[v],
			                   1e-9);
		}
		cairn_cpm_release(&c);
		cairn_plan_release(&g);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_topological),
	        cmocka_unit_test(test_cycle_named),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_critical_known),
	        cmocka_unit_test(test_critical_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
