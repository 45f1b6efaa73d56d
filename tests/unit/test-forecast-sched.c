/*
 * test-forecast-sched.c: the forecast's list scheduler (forecast-sched.c)
 * against a reference written straight from the rule in cairn(1), "Work
 * streams": on random plans with random durations (small integers, so
 * that finishes and priorities tie often, zero included) and 1 to 4
 * streams, and more streams than steps, the makespans are identical.
 *
 * The reference: whenever streams are free, take the ready step (every
 * prerequisite completed, not started) with the longest expected chain
 * to the end (its PERT mean plus the longest chain of dependents by
 * their means), ties to the earlier step; completions one at a time,
 * earliest first, at the same time the earlier step first.  Everything
 * by scans over all steps, O(n^2) a trial.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cairn/cairn.h"
#include "cairn/plan/forecast.h"
#include "plan/forecast-sched.h"

static uint64_t rnd_state;

static uint32_t
rnd(uint32_t n)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rnd_state >> 33) % n);
}

/*
 * A random plan of n steps: each builds on a few earlier ones, now and
 * then on many (more dependents than a record holds inline); estimates
 * are small integers, so that expected chains tie.
 */
static void
random_plan(struct cairn_plan *g, size_t n)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	cairn_plan_init(g);
	for (size_t i = 0; i < n; i++) {
		double o = rnd(3), m = o + rnd(3), p = m + rnd(4);
		double est[3] = {o, m, p};

		assert_true(cairn_plan_add_node(g, (int64_t)i + 1, est, 1, 0,
		                                &err) >= 0);
		if (!i)
			continue;
		for (int k = (int)rnd(4); k > 0; k--)
			assert_int_equal(cairn_plan_add_edge(
			                         g, i, rnd((uint32_t)i), &err),
			                 0);
		if (!rnd(10)) /* a hub many build on */
			for (size_t j = i + 1; j < n; j++)
				if (rnd(2))
					cairn_plan_add_edge(g, j, i, &err);
	}
	assert_int_equal(cairn_plan_finish(g, &err), 0);
}

/* Expected chain to the end of every step, by relaxation to a fixpoint. */
static void
ref_chains(const struct cairn_plan *g, double *chain)
{
	int changed = 1;

	for (size_t i = 0; i < g->n; i++)
		chain[i] = g->mean[i];
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < g->n; i++) {
			double best = 0, c;

			for (uint32_t k = g->suc_off[i]; k < g->suc_off[i + 1];
			     k++)
				if (chain[g->suc[k]] > best)
					best = chain[g->suc[k]];
			c = g->mean[i] + best;
			if (c != chain[i]) {
				chain[i] = c;
				changed = 1;
			}
		}
	}
}

enum { WAITING, RUNNING, DONE };

static double
ref_makespan(const struct cairn_plan *g, const double *chain, const float *dur,
             int K)
{
	size_t n = g->n;
	int *state = calloc(n, sizeof(int));
	double *finish = calloc(n, sizeof(double)), now = 0;
	int running = 0;

	assert_non_null(state);
	assert_non_null(finish);
	for (;;) {
		/* Fill the free streams, best ready step first. */
		while (running < K) {
			size_t pick = n;

			for (size_t i = 0; i < n; i++) {
				int ready = state[i] == WAITING;

				for (uint32_t k = g->pre_off[i];
				     ready && k < g->pre_off[i + 1]; k++)
					ready = state[g->pre[k]] == DONE;
				if (ready &&
				    (pick == n || chain[i] > chain[pick]))
					pick = i; /* ties keep the earlier */
			}
			if (pick == n)
				break;
			state[pick] = RUNNING;
			finish[pick] = now + (double)dur[pick];
			running++;
		}
		if (!running)
			break;
		/* The next completion. */
		{
			size_t first = n;

			for (size_t i = 0; i < n; i++)
				if (state[i] == RUNNING &&
				    (first == n || finish[i] < finish[first]))
					first = i;
			state[first] = DONE;
			now = finish[first];
			running--;
		}
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(state[i], DONE);
	free(state);
	free(finish);
	return now;
}

static void
test_against_reference(void **unused)
{
	(void)unused;
	rnd_state = 12345;
	for (int plan = 0; plan < 120; plan++) {
		struct cairn_plan g;
		size_t n = 1 + rnd(plan < 60 ? 12 : 60);
		double *chain;
		float *dur, *byrank, *lanes;

		random_plan(&g, n);
		chain = malloc(n * sizeof(double));
		dur = malloc(FS_LANES * n * sizeof(float));
		byrank = malloc(n * sizeof(float));
		lanes = malloc(FS_LANES * n * sizeof(float));
		assert_non_null(chain);
		assert_non_null(dur);
		assert_non_null(byrank);
		assert_non_null(lanes);
		ref_chains(&g, chain);
		for (int K = 1; K <= 5; K++) {
			int streams = K == 5 ? (int)n + 1 : K;
			struct fc_sched s;
			struct fc_sched_work w[FS_LANES];
			double want[FS_LANES], got[FS_LANES];

			fc_sched_init(&s, &g, streams);
			for (int l = 0; l < FS_LANES; l++)
				fc_sched_work_init(&w[l], &s);
			for (int trial = 0; trial < 10; trial++) {
				unsigned mask = 1 + rnd(15);

				for (size_t i = 0; i < FS_LANES * n; i++)
					dur[i] = rnd(4) ? (float)rnd(6)
					                : (float)rnd(1000) / 64;
				for (int l = 0; l < FS_LANES; l++) {
					const float *d = dur + (size_t)l * n;

					want[l] = ref_makespan(&g, chain, d,
					                       streams);
					for (size_t i = 0; i < n; i++) {
						byrank[s.rank[i]] = d[i];
						lanes[FS_LANES * s.rank[i] +
						      (size_t)l] = d[i];
					}
					/* One at a time, stride 1. */
					got[l] = fc_sched_makespan(&s, &w[l],
					                           byrank, 1);
					if (got[l] != want[l])
						fail_msg("plan %d, %zu steps, "
						         "%d streams: %.17g, "
						         "not %.17g",
						         plan, n, streams,
						         got[l], want[l]);
				}
				/* The lanes of a sweep together. */
				memset(got, 0, sizeof(got));
				fc_sched_makespans(&s, w, lanes, FS_LANES, mask,
				                   got);
				for (int l = 0; l < FS_LANES; l++)
					if (mask & (1u << l))
						assert_true(got[l] == want[l]);
			}
			for (int l = 0; l < FS_LANES; l++)
				fc_sched_work_release(&w[l]);
			fc_sched_release(&s);
		}
		free(chain);
		free(dur);
		free(byrank);
		free(lanes);
		cairn_plan_release(&g);
	}
}

/* The priority order is a topological order (forecast-sched.h). */
static void
test_rank_is_topological(void **unused)
{
	(void)unused;
	rnd_state = 777;
	for (int plan = 0; plan < 50; plan++) {
		struct cairn_plan g;
		struct fc_sched s;
		size_t n = 1 + rnd(80);

		random_plan(&g, n);
		fc_sched_init(&s, &g, 2);
		for (size_t i = 0; i < n; i++)
			for (uint32_t k = g.pre_off[i]; k < g.pre_off[i + 1];
			     k++)
				assert_true(s.rank[g.pre[k]] < s.rank[i]);
		fc_sched_release(&s);
		cairn_plan_release(&g);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_against_reference),
	        cmocka_unit_test(test_rank_is_topological),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
