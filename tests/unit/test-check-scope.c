/*
 * test-check-scope.c: the linter on random stores.  Its scope
 * (cairn_check_scope: fewer columns, no links, notes or time logged,
 * only the tags of prior work) gives the findings a snapshot of the
 * whole store gives, and the quick test that planning all open work
 * cannot fail (roadmap_plan_certain, which lets the cycle rule skip the
 * plan) never passes a store whose plan fails: random moves and edges
 * close cycles through inherited prerequisites and make items build on
 * what they are part of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/roadmap-int.h"
#include "unit.h"

static unsigned seed = 11;

static unsigned
rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

/* Up to 40 items of every kind and status, with what the rules read:
 * titles and tags of prior work among others, estimates, chances,
 * scopes, driven goals, active items, metrics, required papers, moves
 * and edges.  Returns how many items. */
static int
random_store(struct fixture *f, int64_t ids[40])
{
	static const enum cairn_kind kinds[] = {
	        CAIRN_KIND_GOAL,      CAIRN_KIND_GOAL,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_QUESTION,  CAIRN_KIND_IDEA,
	};
	static const enum cairn_status statuses[] = {
	        CAIRN_STATUS_PLANNED, CAIRN_STATUS_PLANNED,
	        CAIRN_STATUS_ACTIVE,  CAIRN_STATUS_PAUSED,
	        CAIRN_STATUS_DONE,    CAIRN_STATUS_DROPPED,
	};
	static const char *const titles[] = {
	        "Build it", "Read the survey", "Related work",
	        "Measure",  "Replicate Smith", "Write up",
	};
	static const char *const tags[] = {
	        "reading", "survey", "code", "prior-work", "replication", "x",
	};
	struct cairn_err err = CAIRN_ERR_INIT;
	int n = 0;

	for (int k = 0; k < 40; k++) {
		struct cairn_item it;

		cairn_item_init(&it);
		it.kind = kinds[rnd(8)];
		it.title = xstrdup(titles[rnd(6)]);
		it.parent = n && rnd(3) ? ids[rnd((unsigned)n)] : 0;
		if (it.kind != CAIRN_KIND_IDEA) {
			it.status = statuses[rnd(6)];
			if (it.status == CAIRN_STATUS_DROPPED)
				it.why = xstrdup("test");
		}
		if (rnd(2)) {
			it.est[0] = rnd(3);
			it.est[1] = it.est[0] + rnd(5);
			it.est[2] = it.est[1] + rnd(9);
		}
		if (rnd(2))
			it.p_success = 0.1 * rnd(11);
		if (rnd(3))
			it.scope = 1 + (int)rnd(5);
		if (it.kind == CAIRN_KIND_GOAL && rnd(2))
			it.driven =
			        rnd(2) ? CAIRN_DRIVEN_IDEA : CAIRN_DRIVEN_GOAL;
		if (!cairn_item_add(f->st, &it, &err))
			ids[n++] = it.id;
		cairn_item_release(&it);
	}
	/* Moves and edges the store refuses are not there. */
	for (int k = 0; n > 1 && k < 6; k++)
		cairn_item_move(f->st, ids[rnd((unsigned)n)],
		                ids[rnd((unsigned)n)], &err);
	for (int k = 0; n > 1 && k < 30; k++)
		cairn_edge_add(f->st, ids[rnd((unsigned)n)],
		               ids[rnd((unsigned)n)], &err);
	for (int k = 0; n > 1 && k < 6; k++)
		cairn_item_move(f->st, ids[rnd((unsigned)n)],
		                ids[rnd((unsigned)n)], &err);
	for (int k = 0; n && k < 20; k++)
		cairn_item_tag(f->st, ids[rnd((unsigned)n)], tags[rnd(6)], 1,
		               &err);
	for (int k = 0; n && k < 4; k++)
		cairn_metric_add(f->st, ids[rnd((unsigned)n)], "m", "", 0, 1, 0,
		                 NULL, &err);
	for (int k = 0; n && k < 3; k++) {
		char key[16];
		struct cairn_paper p;

		snprintf(key, sizeof(key), "p%d", k);
		cairn_paper_init(&p);
		p.key = xstrdup(key);
		p.title = xstrdup("paper");
		assert_ok(cairn_paper_add(f->st, &p, &err), &err);
		cairn_paper_release(&p);
		cairn_paper_link(f->st, key, ids[rnd((unsigned)n)], &err);
	}
	return n;
}

static int
collect(void *ctx, const struct cairn_finding *f)
{
	buf_addf(ctx, "%lld %s: %s | %s\n", (long long)f->item, f->rule,
	         f->message, f->hint);
	return 0;
}

/* The findings of rm (or the error of the run) into out. */
static void
findings(const struct cairn_roadmap *rm, struct buf *out)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	int rc = cairn_check_run(rm, collect, out, NULL, &err);

	if (rc)
		buf_addf(out, "error %d: %s\n", rc, err.msg);
}

static void
test_random_stores(void **state)
{
	int cycles = 0, certain = 0;

	(void)state;
	for (int round = 0; round < 60; round++) {
		struct fixture *f;
		struct cairn_err err = CAIRN_ERR_INIT;
		struct cairn_roadmap all, lean;
		struct cairn_roadmap_scope sc;
		struct cairn_plan g;
		struct buf want = BUF_INIT, got = BUF_INIT;
		int64_t ids[40];
		int rc, sure;

		assert_int_equal(fixture_setup((void **)&f), 0);
		random_store(f, ids);
		assert_ok(cairn_roadmap_load(f->st, &all, &err), &err);
		cairn_check_scope(&sc);
		assert_ok(cairn_roadmap_load_scope(f->st, &sc, &lean, &err),
		          &err);
		findings(&all, &want);
		findings(&lean, &got);
		if (strcmp(got.buf, want.buf))
			fail_msg("round %d: the linter's scope finds\n%s\nthe "
			         "whole store\n%s",
			         round, got.buf, want.buf);

		/* Certain means the plan succeeds, on either snapshot. */
		sure = roadmap_plan_certain(&all);
		assert_int_equal(roadmap_plan_certain(&lean), sure);
		rc = cairn_roadmap_plan(&all, 0, &g, &err);
		if (rc == 0)
			cairn_plan_release(&g);
		if (sure && rc)
			fail_msg("round %d: certain, but the plan fails: %s",
			         round, err.msg);
		cycles += rc == CAIRN_ECYCLE;
		certain += sure;

		buf_release(&want);
		buf_release(&got);
		cairn_roadmap_release(&all);
		cairn_roadmap_release(&lean);
		fixture_teardown((void **)&f);
	}
	/* Both kinds of store came up. */
	if (cycles < 5 || certain < 5)
		fail_msg("%d stores with a cycle, %d certain: the generator "
		         "should give both",
		         cycles, certain);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_random_stores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
