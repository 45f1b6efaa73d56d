/*
 * test-roadmap-scope.c: the loader's scopes read from the store what the
 * same scope cuts from the whole snapshot in memory
 * (cairn_roadmap_select), and what the planners compute from them is
 * what they compute from the whole store: a goal's subgraph (with its
 * prerequisites outside the goal) for path, forecast, portfolio and
 * next --goal; the open items for next; plan_only leaving out only what
 * no planner reads.  On random stores with every kind of row the
 * snapshot holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static unsigned seed = 7;

static unsigned
rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

/*
 * A random store of up to 30 items in f: every kind and status, some
 * estimates, chances and visibilities, parents (some moved under a
 * later item), builds-on edges, required papers, tags, links, notes,
 * time logged, metrics and the focus setting.  Ids into ids[], how many
 * returned.
 */
static int
random_store(struct fixture *f, int64_t ids[30])
{
	static const enum cairn_kind kinds[] = {
	        CAIRN_KIND_GOAL,      CAIRN_KIND_GOAL,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_QUESTION,  CAIRN_KIND_IDEA,
	};
	static const enum cairn_status statuses[] = {
	        CAIRN_STATUS_PLANNED, CAIRN_STATUS_PLANNED, CAIRN_STATUS_ACTIVE,
	        CAIRN_STATUS_PAUSED,  CAIRN_STATUS_DONE,    CAIRN_STATUS_DONE,
	        CAIRN_STATUS_DROPPED,
	};
	static const char *const pstatus[] = {
	        "to-read",     "reading",    "read",
	        "replicating", "replicated", "replication-failed",
	};
	struct cairn_err err = CAIRN_ERR_INIT;
	int n = 0;

	for (int k = 0; k < 30; k++) {
		struct cairn_item it;

		cairn_item_init(&it);
		it.kind = kinds[rnd(8)];
		it.title = xstrdup(k % 2 ? "odd" : "even");
		it.parent = n && rnd(4) ? ids[rnd((unsigned)n)] : 0;
		it.visibility = (enum cairn_visibility)rnd(3);
		if (it.kind != CAIRN_KIND_IDEA) {
			it.status = statuses[rnd(7)];
			if (it.status == CAIRN_STATUS_DROPPED)
				it.why = xstrdup("test");
		}
		if (rnd(2)) {
			it.est[0] = 1 + rnd(3);
			it.est[1] = it.est[0] + rnd(5);
			it.est[2] = it.est[1] + rnd(9);
		}
		if (rnd(2))
			it.p_success = 0.1 * (1 + rnd(9));
		if (rnd(2))
			it.novelty = 1 + (int)rnd(5);
		if (it.kind == CAIRN_KIND_GOAL && rnd(2))
			it.likelihood = 0.1 * (1 + rnd(9));
		if (!cairn_item_add(f->st, &it, &err))
			ids[n++] = it.id;
		cairn_item_release(&it);
	}
	/* Moves and edges the store refuses (cycles) are not there. */
	for (int k = 0; n > 1 && k < 4; k++)
		cairn_item_move(f->st, ids[rnd((unsigned)n)],
		                ids[rnd((unsigned)n)], &err);
	for (int k = 0; n > 1 && k < 20; k++)
		cairn_edge_add(f->st, ids[rnd((unsigned)n)],
		               ids[rnd((unsigned)n)], &err);
	for (int k = 0; k < 4; k++) {
		char key[16];
		struct cairn_paper p;

		snprintf(key, sizeof(key), "p%d", k);
		cairn_paper_init(&p);
		p.key = xstrdup(key);
		p.title = xstrdup("paper");
		assert_ok(cairn_paper_add(f->st, &p, &err), &err);
		cairn_paper_release(&p);
		assert_ok(cairn_paper_set(f->st, key, "status", pstatus[rnd(6)],
		                          &err),
		          &err);
		for (int l = 0; n && l < 3; l++)
			cairn_paper_link(f->st, key, ids[rnd((unsigned)n)],
			                 &err);
	}
	for (int k = 0; n && k < 12; k++) {
		int64_t id = ids[rnd((unsigned)n)];
		char name[16];

		snprintf(name, sizeof(name), "t%u", rnd(4));
		cairn_item_tag(f->st, id, name, 1, &err);
		if (!rnd(3))
			cairn_item_link(f->st, id, "https://example.org", name,
			                &err);
		if (!rnd(3))
			cairn_item_note(f->st, id, name, &err);
		if (!rnd(2))
			cairn_time_log(f->st, id, "2026-03-14",
			               30 + (int)rnd(600), NULL, NULL, &err);
		if (!rnd(4))
			cairn_metric_add(f->st, id, name, "", 0, 1, 0, NULL,
			                 &err);
	}
	if (n)
		assert_ok(cairn_focus_set(f->st, ids[rnd((unsigned)n)], 0.3, 3,
		                          &err),
		          &err);
	return n;
}

static void
add_ids(struct buf *out, const char *what, const uint32_t *v, uint32_t from,
        uint32_t to, const struct cairn_roadmap *rm)
{
	buf_addf(out, " %s", what);
	for (uint32_t k = from; k < to; k++)
		buf_addf(out, ",%lld", (long long)rm->items[v[k]].id);
}

static int
entry_line(void *ctx, const struct cairn_entry *e)
{
	buf_addf(ctx, " [%lld %s %s %s]", (long long)e->id, e->time, e->text,
	         e->label ? e->label : "-");
	return 0;
}

/* Everything rm holds, as text, positions as the ids they stand for. */
static void
snapshot_text(const struct cairn_roadmap *rm, struct buf *out)
{
	for (size_t i = 0; i < rm->n; i++) {
		const struct cairn_item *it = &rm->items[i];

		buf_addf(out, "#%lld %d %d %d %s up %lld depth %d est %g/%g/%g",
		         (long long)it->id, (int)it->kind, (int)it->status,
		         (int)it->visibility, it->title,
		         rm->parent[i] >= 0
		                 ? (long long)rm->items[rm->parent[i]].id
		                 : -1LL,
		         rm->depth[i], it->est[0], it->est[1], it->est[2]);
		add_ids(out, "kids", rm->kid, rm->kid_off[i],
		        rm->kid_off[i + 1], rm);
		add_ids(out, "pre", rm->pre, rm->pre_off[i], rm->pre_off[i + 1],
		        rm);
		add_ids(out, "dep", rm->dep, rm->dep_off[i], rm->dep_off[i + 1],
		        rm);
		buf_adds(out, " tags");
		for (uint32_t k = rm->tag_off[i]; k < rm->tag_off[i + 1]; k++)
			buf_addf(out, ",%s", rm->tag[k]);
		buf_adds(out, " req");
		for (uint32_t k = rm->req_off[i]; k < rm->req_off[i + 1]; k++)
			buf_addf(out, ",%lld",
			         (long long)rm->papers[rm->req[k]].id);
		buf_addf(out, " logged %ld metrics %u touched %s",
		         rm->logged[i], (unsigned)rm->metrics[i],
		         rm->touched[i]);
		cairn_roadmap_links(rm, i, entry_line, out);
		cairn_roadmap_notes(rm, i, entry_line, out);
		buf_addch(out, '\n');
	}
	for (size_t q = 0; q < rm->npapers; q++)
		buf_addf(out, "paper %lld %s %d\n", (long long)rm->papers[q].id,
		         rm->papers[q].key, (int)rm->papers[q].status);
	add_ids(out, "roots", rm->roots, 0, (uint32_t)rm->nroots, rm);
	add_ids(out, "goals", rm->goals, 0, (uint32_t)rm->ngoals, rm);
	for (size_t k = 0; k < rm->nsettings; k++)
		buf_addf(out, " %s=%s", rm->settings[k].key,
		         rm->settings[k].value);
	buf_addf(out, " focus %lld %g %d\n", (long long)rm->focus.main,
	         rm->focus.explore, rm->focus.wip);
}

/* Fail, showing both texts whole (cmocka's messages are short). */
static void
differ(int round, int64_t id, const char *a, const char *x, const char *b,
       const char *y)
{
	fprintf(stderr, "round %d, #%lld: %s gives\n%s\n%s\n%s\n", round,
	        (long long)id, a, x, b, y);
	fail();
}

/*
 * Loading scope from f's store gives what selecting it from the whole
 * snapshot all gives (the same error, or the same snapshot).
 */
static void
expect_same_cut(struct fixture *f, const struct cairn_roadmap *all,
                const struct cairn_roadmap_scope *sc, int round)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap a, b;
	struct buf want = BUF_INIT, got = BUF_INIT;
	int ra = cairn_roadmap_select(all, sc, &a, &err);
	int rb = cairn_roadmap_load_scope(f->st, sc, &b, &err);

	if (ra != rb)
		fail_msg("round %d, goal #%lld, minvis %d: select gives %d, "
		         "the loader %d",
		         round, (long long)sc->goal, sc->minvis, ra, rb);
	if (!ra) {
		snapshot_text(&a, &want);
		snapshot_text(&b, &got);
		if (strcmp(want.buf, got.buf))
			differ(round, sc->goal, "select", want.buf,
			       "the loader", got.buf);
		cairn_roadmap_release(&a);
		cairn_roadmap_release(&b);
	}
	buf_release(&want);
	buf_release(&got);
}

/* j as text (stolen), or "error N" when rc says there is none. */
static void
json_text(int rc, json_t *j, struct buf *out)
{
	char *s;

	if (rc) {
		buf_addf(out, "error %d", rc);
		json_decref(j);
		return;
	}
	s = json_dumps(j, JSON_SORT_KEYS);
	buf_adds(out, s);
	free(s);
	json_decref(j);
}

/* What path, portfolio, next --goal and forecast say of goal from rm
 * (forecast: from st when given, else from rm). */
static void
planners_text(struct cairn_store *st, const struct cairn_roadmap *rm,
              int64_t goal, struct buf *out)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_goal_forecast_opts o = CAIRN_GOAL_FORECAST_OPTS_INIT;
	struct cairn_goal_path p;
	struct cairn_portfolio pf;
	struct cairn_next nx;
	struct cairn_goal_forecast fc;
	int rc;

	rc = cairn_goal_path(rm, goal, &p, &err);
	json_text(rc, rc ? NULL : cairn_goal_path_json(&p), out);
	cairn_goal_path_release(&p);
	rc = cairn_portfolio(rm, goal, &pf, &err);
	json_text(rc, rc ? NULL : cairn_portfolio_json(&pf), out);
	cairn_portfolio_release(&pf);
	rc = cairn_next(rm, goal, 50, &nx, &err);
	json_text(rc, rc ? NULL : cairn_next_json(&nx), out);
	cairn_next_release(&nx);
	o.run.trials = 300;
	o.start = "2026-03-16";
	if (st)
		rc = cairn_goal_forecast(st, goal, &o, &fc, &err);
	else
		rc = cairn_goal_forecast_snapshot(rm, &rm->focus, goal, &o, &fc,
		                                  &err);
	json_text(rc, rc ? NULL : cairn_goal_forecast_json(&fc), out);
	cairn_goal_forecast_release(&fc);
}

/* How many of goal's plan nodes from rm lie outside it. */
static int
outside_nodes(const struct cairn_roadmap *rm, int64_t goal)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_plan g;
	int k = 0;

	if (cairn_roadmap_plan(rm, goal, &g, &err))
		return 0;
	for (size_t i = 0; i < g.n; i++)
		k += !!(g.flags[i] & CAIRN_NODE_OUTSIDE);
	cairn_plan_release(&g);
	return k;
}

/*
 * On random stores: every item's subgraph (alone, and under each
 * visibility and without dropped items) and the open items load as
 * select cuts them; path, portfolio, next --goal and forecast from the
 * goal's lean subgraph (forecast: from the store, as the CLI runs it)
 * say what they say from the whole store; next from the lean open items
 * says what it says from the whole store.
 */
static void
test_scopes_agree(void **state)
{
	int outside = 0, smaller = 0, history = 0;

	(void)state;
	for (int round = 0; round < 30; round++) {
		struct fixture *f;
		struct cairn_err err = CAIRN_ERR_INIT;
		struct cairn_roadmap all, sub;
		struct cairn_roadmap_scope open = {.open_only = 1};
		struct cairn_next nx;
		struct buf want = BUF_INIT, got = BUF_INIT;
		int64_t ids[30];
		int n, rc;

		assert_int_equal(fixture_setup((void **)&f), 0);
		n = random_store(f, ids);
		assert_ok(cairn_roadmap_load(f->st, &all, &err), &err);
		for (int k = 0; k < n; k++) {
			struct cairn_roadmap_scope sc = {.goal = ids[k]};

			for (sc.minvis = 0; sc.minvis < 3; sc.minvis++)
				expect_same_cut(f, &all, &sc, round);
			sc.minvis = 0;
			sc.no_dropped = 1;
			expect_same_cut(f, &all, &sc, round);
			sc.no_dropped = 0;
			sc.plan_only = 1;
			assert_ok(cairn_roadmap_load_scope(f->st, &sc, &sub,
			                                   &err),
			          &err);
			smaller += sub.n < all.n;
			outside += outside_nodes(&sub, ids[k]);
			buf_reset(&want);
			buf_reset(&got);
			planners_text(NULL, &all, ids[k], &want);
			planners_text(f->st, &sub, ids[k], &got);
			if (strcmp(want.buf, got.buf))
				differ(round, ids[k], "the whole store",
				       want.buf, "the subgraph", got.buf);
			cairn_roadmap_release(&sub);
		}
		history += (int)db_int(f->path,
		                       "SELECT count(*) FROM item i JOIN "
		                       "time_entry t ON t.item = i.id WHERE "
		                       "i.kind = 'milestone' AND i.status = "
		                       "'done' AND i.likely > 0");
		for (open.minvis = 0; open.minvis < 3; open.minvis++)
			expect_same_cut(f, &all, &open, round);
		open.minvis = 0;
		open.plan_only = 1;
		assert_ok(cairn_roadmap_load_scope(f->st, &open, &sub, &err),
		          &err);
		buf_reset(&want);
		buf_reset(&got);
		rc = cairn_next(&all, 0, 100, &nx, &err);
		json_text(rc, rc ? NULL : cairn_next_json(&nx), &want);
		cairn_next_release(&nx);
		rc = cairn_next(&sub, 0, 100, &nx, &err);
		json_text(rc, rc ? NULL : cairn_next_json(&nx), &got);
		cairn_next_release(&nx);
		if (strcmp(want.buf, got.buf))
			differ(round, 0, "next from the whole store", want.buf,
			       "from the open items", got.buf);
		cairn_roadmap_release(&sub);
		cairn_roadmap_release(&all);
		buf_release(&want);
		buf_release(&got);
		fixture_teardown((void **)&f);
	}
	/* Goals did have work outside them, subgraphs did leave items out,
	 * and forecasts did use a history. */
	assert_true(outside > 0);
	assert_true(smaller > 0);
	assert_true(history > 0);
}

/*
 * An unknown goal is not found, by the loader as by select; a forecast
 * from the store names bad options first, as one from a snapshot does.
 */
static void
test_unknown_goal(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope sc = {.goal = 99, .plan_only = 1};
	struct cairn_goal_forecast_opts o = CAIRN_GOAL_FORECAST_OPTS_INIT;
	struct cairn_goal_forecast fc;

	unit_add(f->st, CAIRN_KIND_GOAL, "g", 0);
	assert_code(cairn_roadmap_load_scope(f->st, &sc, &rm, &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #99");
	assert_code(cairn_goal_forecast(f->st, 99, &o, &fc, &err),
	            CAIRN_ENOTFOUND);
	cairn_goal_forecast_release(&fc);
	o.days_per_week = 9;
	assert_code(cairn_goal_forecast(f->st, 99, &o, &fc, &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg,
	                    "days per week must be from 1 to 7, not 9");
	cairn_goal_forecast_release(&fc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_scopes_agree),
	        cmocka_unit_test_setup_teardown(
	                test_unknown_goal, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
