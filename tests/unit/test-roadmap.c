/*
 * test-roadmap.c: the roadmap snapshot and its loader against a real
 * store.  Required papers as plan nodes (effort by status, shared by
 * every milestone that waits for one, inherited from ancestors, gone
 * once read), node labels, the own-history ratios from logged time, the
 * goal's share of time from the focus setting, list --ready agreeing
 * with the planner on random roadmaps, a goal's subgraph planning as the
 * whole store does, the tree view exporters walk (depth, roots, ranked
 * goals, progress, subtrees, scopes), and links, notes and settings in
 * the snapshot.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
set(struct cairn_store *st, int64_t id, const char *field, const char *value)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_set(st, id, field, value, &err), &err);
}

static void
set_status(struct cairn_store *st, int64_t id, enum cairn_status s)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_set_status(st, id, s, NULL, &err), &err);
}

static int64_t
paper(struct cairn_store *st, const char *key, const char *title)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_paper p;
	int64_t id;

	cairn_paper_init(&p);
	p.key = xstrdup(key);
	p.title = xstrdup(title);
	assert_ok(cairn_paper_add(st, &p, &err), &err);
	id = p.id;
	cairn_paper_release(&p);
	return id;
}

static void
paper_status(struct cairn_store *st, const char *key, const char *status)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_paper_set(st, key, "status", status, &err), &err);
}

static void
link_paper(struct cairn_store *st, const char *key, int64_t item)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_paper_link(st, key, item, &err), &err);
}

static void
edge(struct cairn_store *st, int64_t id, int64_t prereq)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_edge_add(st, id, prereq, &err), &err);
}

/* Load the store and build the plan of root into g. */
static void
plan_of(struct cairn_store *st, int64_t root, struct cairn_roadmap *rm,
        struct cairn_plan *g)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_roadmap_load(st, rm, &err), &err);
	assert_ok(cairn_roadmap_plan(rm, root, g, &err), &err);
}

static void
release(struct cairn_roadmap *rm, struct cairn_plan *g)
{
	cairn_plan_release(g);
	cairn_roadmap_release(rm);
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The ids of node id's prerequisites, comma-separated, in id order. */
static void
pre_ids(const struct cairn_plan *g, int64_t id, char *out, size_t n)
{
	long i = cairn_plan_find(g, id);
	int64_t v[32];
	size_t len = 0, m = 0;

	out[0] = '\0';
	assert_true(i >= 0);
	for (uint32_t k = g->pre_off[i]; k < g->pre_off[i + 1] && m < 32; k++)
		v[m++] = g->id[g->pre[k]];
	qsort(v, m, sizeof(v[0]), by_id);
	for (size_t k = 0; k < m; k++)
		len += (size_t)snprintf(out + len, n - len, "%s%lld",
		                        len ? "," : "", (long long)v[k]);
}

static void
expect_paper_node(const struct cairn_plan *g, int64_t pid, double o, double m,
                  double p)
{
	long i = cairn_plan_find(g, CAIRN_PAPER_NODE(pid));

	if (i < 0)
		fail_msg("no node for paper %lld", (long long)pid);
	assert_true(g->flags[i] & CAIRN_NODE_PAPER);
	assert_false(g->flags[i] & CAIRN_NODE_DEFAULT_EST);
	assert_false(g->flags[i] & CAIRN_NODE_OUTSIDE);
	assert_true(g->opt[i] == o && g->likely[i] == m && g->pess[i] == p);
	assert_true(g->p_success[i] == 1);
	assert_int_equal(g->pre_off[i + 1] - g->pre_off[i], 0);
}

static void
test_paper_nodes(void **state)
{
	struct fixture *f = *state;
	struct cairn_roadmap rm;
	struct cairn_plan g;
	struct cairn_cpm cp;
	char pre[128];
	int64_t goal, a, b, p1;

	goal = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	a = unit_add(f->st, CAIRN_KIND_MILESTONE, "A", goal);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B", goal);
	set(f->st, a, "estimate", "10");
	set(f->st, b, "estimate", "4");
	edge(f->st, b, a);
	p1 = paper(f->st, "vaswani2017", "Attention is all you need");
	link_paper(f->st, "vaswani2017", b);

	/* To read: 1/2/5 days, and B waits for it as for A. */
	plan_of(f->st, goal, &rm, &g);
	assert_int_equal(g.n, 3);
	expect_paper_node(&g, p1, 1, 2, 5);
	pre_ids(&g, b, pre, sizeof(pre));
	assert_string_equal(pre, "-1,2");
	cairn_plan_critical(&g, &cp);
	assert_true(cp.length == 14);
	assert_true(fabs(cp.slack[cairn_plan_find(&g, -p1)] - (10 - 14.0 / 6)) <
	            1e-9);
	cairn_cpm_release(&cp);
	release(&rm, &g);

	/* Reading under way: 0.5/1/3. */
	paper_status(f->st, "vaswani2017", "reading");
	plan_of(f->st, goal, &rm, &g);
	expect_paper_node(&g, p1, 0.5, 1, 3);
	release(&rm, &g);

	/* Replicating: 5/10/20, which now leads the critical path. */
	paper_status(f->st, "vaswani2017", "replicating");
	plan_of(f->st, goal, &rm, &g);
	expect_paper_node(&g, p1, 5, 10, 20);
	cairn_plan_critical(&g, &cp);
	assert_int_equal(cp.npath, 2);
	assert_int_equal(g.id[cp.path[0]], -p1);
	assert_int_equal(g.id[cp.path[1]], b);
	assert_true(fabs(cp.length - (4 + 65.0 / 6)) < 1e-9);
	cairn_cpm_release(&cp);
	release(&rm, &g);

	/* Read, replicated or tried: the requirement is met. */
	static const char *const met[] = {"read", "replicated",
	                                  "replication-failed"};
	for (int k = 0; k < 3; k++) {
		paper_status(f->st, "vaswani2017", met[k]);
		plan_of(f->st, goal, &rm, &g);
		assert_int_equal(g.n, 2);
		assert_int_equal(cairn_plan_find(&g, -p1), -1);
		pre_ids(&g, b, pre, sizeof(pre));
		assert_string_equal(pre, "2");
		release(&rm, &g);
	}
}

static void
test_paper_inherited_and_shared(void **state)
{
	struct fixture *f = *state;
	struct cairn_roadmap rm;
	struct cairn_plan g;
	char pre[128];
	int64_t goal, a, b, other, x, done, p1, p2, p3;
	size_t npapers = 0;

	goal = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	a = unit_add(f->st, CAIRN_KIND_MILESTONE, "A", goal);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B", goal);
	other = unit_add(f->st, CAIRN_KIND_GOAL, "Other", 0);
	x = unit_add(f->st, CAIRN_KIND_MILESTONE, "X outside", other);
	done = unit_add(f->st, CAIRN_KIND_MILESTONE, "Done", goal);
	p1 = paper(f->st, "p1", "Required by the goal");
	p2 = paper(f->st, "p2", "Required by both milestones");
	p3 = paper(f->st, "p3", "Required outside");
	paper(f->st, "p4", "Required by done work only");
	/* The goal's paper holds back everything below it; p2 is one
	 * node for both; X's paper comes with X, a prerequisite from
	 * outside; a done milestone's paper holds nothing back. */
	link_paper(f->st, "p1", goal);
	link_paper(f->st, "p2", a);
	link_paper(f->st, "p2", b);
	link_paper(f->st, "p3", x);
	link_paper(f->st, "p4", done);
	edge(f->st, b, x);
	set_status(f->st, done, CAIRN_STATUS_DONE);

	plan_of(f->st, goal, &rm, &g);
	assert_int_equal(rm.npapers, 4);
	for (size_t i = 0; i < g.n; i++)
		npapers += !!(g.flags[i] & CAIRN_NODE_PAPER);
	assert_int_equal(npapers, 3);
	assert_int_equal(g.n, 6);
	pre_ids(&g, a, pre, sizeof(pre));
	assert_string_equal(pre, "-2,-1");
	pre_ids(&g, b, pre, sizeof(pre));
	assert_string_equal(pre, "-2,-1,5");
	pre_ids(&g, x, pre, sizeof(pre));
	assert_string_equal(pre, "-3");
	assert_true(g.flags[cairn_plan_find(&g, x)] & CAIRN_NODE_OUTSIDE);
	assert_int_equal(cairn_plan_find(&g, -4), -1);
	(void)p1;
	(void)p2;
	(void)p3;
	release(&rm, &g);

	/* Papers come in only with remaining work. */
	set_status(f->st, a, CAIRN_STATUS_DONE);
	set_status(f->st, b, CAIRN_STATUS_DONE);
	plan_of(f->st, goal, &rm, &g);
	assert_int_equal(g.n, 0);
	release(&rm, &g);
}

static void
test_label(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct buf b = BUF_INIT;
	int64_t m, p;

	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "Replicate the baseline", 0);
	p = paper(f->st, "izsak2021", "How to Train BERT");
	link_paper(f->st, "izsak2021", m);
	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);
	assert_string_equal(cairn_roadmap_label(&rm, m, &b),
	                    "Replicate the baseline");
	assert_string_equal(cairn_roadmap_label(&rm, CAIRN_PAPER_NODE(p), &b),
	                    "read izsak2021: How to Train BERT");
	assert_string_equal(cairn_roadmap_label(&rm, 99, &b), "?");
	assert_string_equal(cairn_roadmap_label(&rm, -99, &b), "?");
	assert_int_equal(cairn_roadmap_paper_find(&rm, p), 0);
	assert_int_equal(cairn_roadmap_paper_find(&rm, p + 1), -1);
	cairn_roadmap_release(&rm);
	paper_status(f->st, "izsak2021", "replicating");
	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);
	assert_string_equal(cairn_roadmap_label(&rm, CAIRN_PAPER_NODE(p), &b),
	                    "replicate izsak2021: How to Train BERT");
	cairn_roadmap_release(&rm);
	buf_release(&b);
}

static void
log_time(struct cairn_store *st, int64_t item, const char *date, int minutes)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_time_log(st, item, date, minutes, NULL, NULL, &err),
	          &err);
}

static void
test_history_logged(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	double *h = NULL;
	size_t n = 0;
	int64_t m1, m2, m3, m4;

	m1 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Logged, never started", 0);
	m2 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Started and finished", 0);
	m3 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Both", 0);
	m4 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Neither", 0);
	for (int64_t m = m1; m <= m4; m++)
		set(f->st, m, "estimate", "5/10/20");
	/* m1: 40 hours logged = 5 working days of 8 hours. */
	for (int d = 0; d < 5; d++)
		log_time(f->st, m1, "2026-03-02", 480);
	/* m2 and m3: started 2026-03-01, finished 28 days later. */
	setenv("CAIRN_NOW", "2026-03-01T09:00:00Z", 1);
	set_status(f->st, m2, CAIRN_STATUS_ACTIVE);
	set_status(f->st, m3, CAIRN_STATUS_ACTIVE);
	setenv("CAIRN_NOW", "2026-03-29T09:00:00Z", 1);
	/* m3: 12 hours logged = 1.5 days, which wins over the 20. */
	log_time(f->st, m3, "2026-03-10", 480);
	log_time(f->st, m3, "2026-03-11", 240);
	for (int64_t m = m1; m <= m4; m++)
		set_status(f->st, m, CAIRN_STATUS_DONE);
	setenv("CAIRN_NOW", UNIT_NOW, 1);

	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);
	assert_int_equal(rm.logged[0], 2400);
	assert_int_equal(rm.logged[1], 0);
	assert_int_equal(rm.logged[2], 720);
	cairn_roadmap_history(&rm, CAIRN_FOCUS_HOURS_PER_DAY, &h, &n);
	assert_int_equal(n, 3);
	assert_true(fabs(h[0] - 0.5) < 1e-12);
	assert_true(fabs(h[1] - 28.0 * 5 / 7 / 10) < 1e-12);
	assert_true(fabs(h[2] - 0.15) < 1e-12);
	free(h);
	cairn_roadmap_release(&rm);
}

static void
test_share(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct cairn_focus fo;
	int64_t g, m, h;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "Main", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "Part of main", g);
	h = unit_add(f->st, CAIRN_KIND_GOAL, "Side", 0);
	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);

	/* No focus: all the time. */
	assert_ok(cairn_focus_get(f->st, &fo, &err), &err);
	assert_true(cairn_roadmap_share(&rm, &fo, g) == 1);
	assert_true(cairn_roadmap_share(&rm, &fo, h) == 1);

	/* Main goal 80 %, the rest the default exploration share. */
	assert_ok(cairn_focus_set(f->st, g, -1, 0, &err), &err);
	assert_ok(cairn_focus_get(f->st, &fo, &err), &err);
	assert_true(fabs(cairn_roadmap_share(&rm, &fo, g) - 0.8) < 1e-12);
	assert_true(fabs(cairn_roadmap_share(&rm, &fo, h) - 0.2) < 1e-12);

	/* A main milestone makes its goal the main one. */
	assert_ok(cairn_focus_set(f->st, m, 0.3, 0, &err), &err);
	assert_ok(cairn_focus_get(f->st, &fo, &err), &err);
	assert_true(fabs(cairn_roadmap_share(&rm, &fo, g) - 0.7) < 1e-12);
	assert_true(fabs(cairn_roadmap_share(&rm, &fo, h) - 0.3) < 1e-12);

	/* No time at all would mean no date: such a goal counts at 1. */
	assert_ok(cairn_focus_set(f->st, g, 0, 0, &err), &err);
	assert_ok(cairn_focus_get(f->st, &fo, &err), &err);
	assert_true(cairn_roadmap_share(&rm, &fo, g) == 1);
	assert_true(cairn_roadmap_share(&rm, &fo, h) == 1);
	assert_ok(cairn_focus_set(f->st, g, 1, 0, &err), &err);
	assert_ok(cairn_focus_get(f->st, &fo, &err), &err);
	assert_true(cairn_roadmap_share(&rm, &fo, g) == 1);
	assert_true(cairn_roadmap_share(&rm, &fo, h) == 1);

	/* A main item gone from the snapshot: no focus. */
	fo.main = 99;
	assert_true(cairn_roadmap_share(&rm, &fo, h) == 1);
	cairn_roadmap_release(&rm);
}

/* ---- list --ready against the planner ------------------------------ */

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static int
add_id(void *ctx, const struct cairn_item *it)
{
	buf_addf(ctx, "%lld,", (long long)it->id);
	return 0;
}

/* The ids `next` would consider: plan nodes without prerequisites that
 * are planned or active milestones, in id order. */
static int
planner_ready(struct cairn_store *st, struct buf *out)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct cairn_plan g;
	unsigned char *ready;

	assert_ok(cairn_roadmap_load(st, &rm, &err), &err);
	if (cairn_roadmap_plan(&rm, 0, &g, &err)) {
		cairn_roadmap_release(&rm);
		return -1;
	}
	ready = calloc(rm.n + 1, 1);
	for (size_t i = 0; i < g.n; i++) {
		long pos;

		if (g.id[i] < 0 || g.pre_off[i + 1] != g.pre_off[i])
			continue;
		pos = cairn_roadmap_find(&rm, g.id[i]);
		if (rm.items[pos].kind == CAIRN_KIND_MILESTONE &&
		    (rm.items[pos].status == CAIRN_STATUS_PLANNED ||
		     rm.items[pos].status == CAIRN_STATUS_ACTIVE))
			ready[pos] = 1;
	}
	for (size_t i = 0; i < rm.n; i++)
		if (ready[i])
			buf_addf(out, "%lld,", (long long)rm.items[i].id);
	free(ready);
	release(&rm, &g);
	return 0;
}

/*
 * A random roadmap of up to 24 items in f's store, with builds-on edges
 * and required papers; their ids into ids[], how many returned.
 */
static int
random_roadmap(struct fixture *f, int64_t ids[24])
{
	static const enum cairn_kind kinds[] = {
	        CAIRN_KIND_GOAL,      CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_QUESTION,  CAIRN_KIND_IDEA,
	};
	static const enum cairn_status statuses[] = {
	        CAIRN_STATUS_PLANNED, CAIRN_STATUS_PLANNED,
	        CAIRN_STATUS_ACTIVE,  CAIRN_STATUS_PAUSED,
	        CAIRN_STATUS_DONE,    CAIRN_STATUS_DROPPED,
	};
	static const char *const pstatus[] = {
	        "to-read",     "reading",    "read",
	        "replicating", "replicated", "replication-failed",
	};
	struct cairn_err err = CAIRN_ERR_INIT;
	int n = 0;

	for (int k = 0; k < 24; k++) {
		struct cairn_item it;

		cairn_item_init(&it);
		it.kind = kinds[rnd(6)];
		it.title = xstrdup("item");
		it.parent = n && rnd(4) ? ids[rnd((unsigned)n)] : 0;
		if (it.kind != CAIRN_KIND_IDEA) {
			it.status = statuses[rnd(6)];
			if (it.status == CAIRN_STATUS_DROPPED)
				it.why = xstrdup("test");
		}
		if (!cairn_item_add(f->st, &it, &err))
			ids[n++] = it.id;
		cairn_item_release(&it);
	}
	/* Edges the store refuses (cycles) are simply not there. */
	for (int k = 0; n > 1 && k < 16; k++)
		cairn_edge_add(f->st, ids[rnd((unsigned)n)],
		               ids[rnd((unsigned)n)], &err);
	for (int k = 0; k < 4; k++) {
		char key[16];

		snprintf(key, sizeof(key), "p%d", k);
		paper(f->st, key, "paper");
		paper_status(f->st, key, pstatus[rnd(6)]);
		for (int l = 0; n && l < 2; l++)
			cairn_paper_link(f->st, key, ids[rnd((unsigned)n)],
			                 &err);
	}
	return n;
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The plan of root in rm as text, whatever the node numbering: one line
 * per node (its id, estimate, chance, flags and prerequisites' ids), in
 * text order; the error code instead when there is no plan.
 */
static void
plan_text(const struct cairn_roadmap *rm, int64_t root, struct buf *out)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_plan g;
	char **lines;
	int rc = cairn_roadmap_plan(rm, root, &g, &err);

	if (rc) {
		buf_addf(out, "error %d", rc);
		return;
	}
	lines = calloc(g.n + 1, sizeof(*lines));
	for (size_t i = 0; i < g.n; i++) {
		struct buf l = BUF_INIT;
		char pre[512];

		pre_ids(&g, g.id[i], pre, sizeof(pre));
		buf_addf(&l, "%lld %g/%g/%g p%g f%u <- %s\n",
		         (long long)g.id[i], g.opt[i], g.likely[i], g.pess[i],
		         g.p_success[i], (unsigned)g.flags[i], pre);
		lines[i] = buf_detach(&l, NULL);
	}
	qsort(lines, g.n, sizeof(*lines), by_text);
	for (size_t i = 0; i < g.n; i++) {
		buf_adds(out, lines[i]);
		free(lines[i]);
	}
	free(lines);
	cairn_plan_release(&g);
}

/*
 * Planning each item of f's store from its subgraph gives what the whole
 * store gives; returns how many subgraphs left something out.
 */
static int
check_subgraphs(struct fixture *f, const int64_t *ids, int n, int round)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap all;
	int smaller = 0;

	assert_ok(cairn_roadmap_load(f->st, &all, &err), &err);
	for (int k = 0; k < n; k++) {
		struct cairn_roadmap_scope sc = {.goal = ids[k]};
		struct cairn_roadmap sub;
		struct buf want = BUF_INIT, got = BUF_INIT;

		/* The loader for one, the same cut in memory (the loader's
		 * own) for the rest. */
		if (k == 0)
			assert_ok(cairn_roadmap_load_scope(f->st, &sc, &sub,
			                                   &err),
			          &err);
		else
			assert_ok(cairn_roadmap_select(&all, &sc, &sub, &err),
			          &err);
		assert_true(sub.n <= all.n);
		plan_text(&all, ids[k], &want);
		plan_text(&sub, ids[k], &got);
		if (strcmp(want.buf, got.buf))
			fail_msg("round %d, #%lld: the store plans\n%s"
			         "its subgraph\n%s",
			         round, (long long)ids[k], want.buf, got.buf);
		smaller += sub.n < all.n;
		buf_release(&want);
		buf_release(&got);
		cairn_roadmap_release(&sub);
	}
	cairn_roadmap_release(&all);
	return smaller;
}

/*
 * On random roadmaps, list --ready agrees with the planner, and every
 * item plans from its subgraph as from the whole store.
 */
static void
test_ready_agrees(void **state)
{
	int compared = 0, smaller = 0;

	(void)state;
	for (int round = 0; round < 40; round++) {
		struct fixture *f;
		struct cairn_err err = CAIRN_ERR_INIT;
		struct cairn_query q = CAIRN_QUERY_INIT;
		struct buf want = BUF_INIT, got = BUF_INIT;
		int64_t ids[24];
		int n;

		assert_int_equal(fixture_setup((void **)&f), 0);
		n = random_roadmap(f, ids);
		smaller += check_subgraphs(f, ids, n, round);
		q.ready = 1;
		assert_ok(cairn_query_run(f->st, &q, add_id, &got, &err), &err);
		/* A cycle through parents' prerequisites: no plan to
		 * compare with. */
		if (planner_ready(f->st, &want) == 0) {
			if (strcmp(want.buf, got.buf))
				fail_msg("round %d: list --ready gives %s, "
				         "the planner %s",
				         round, got.buf, want.buf);
			compared++;
		}
		buf_release(&want);
		buf_release(&got);
		fixture_teardown((void **)&f);
	}
	assert_true(compared >= 20);
	/* The subgraphs did leave something out. */
	assert_true(smaller > 0);
}

static int64_t
item(struct cairn_store *st, enum cairn_kind kind, int64_t parent,
     double likelihood, enum cairn_visibility vis)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	int64_t id;

	cairn_item_init(&it);
	it.kind = kind;
	it.title = xstrdup("item");
	it.parent = parent;
	it.likelihood = likelihood;
	it.visibility = vis;
	assert_ok(cairn_item_add(st, &it, &err), &err);
	id = it.id;
	cairn_item_release(&it);
	return id;
}

/*
 * The tree view: depth, roots in id order, root goals in goal order,
 * progress, a subtree as a snapshot of its own, and scopes by
 * visibility and without dropped items.
 */
static void
test_tree_view(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm, sub;
	struct cairn_roadmap_scope pub = {.minvis = CAIRN_VIS_PUBLIC};
	struct cairn_roadmap_scope live = {.no_dropped = 1};
	size_t done, total;
	int64_t g1, g2, g3, m1, m2, m3, m4, q;

	g1 = item(f->st, CAIRN_KIND_GOAL, 0, 0.2, CAIRN_VIS_PUBLIC);
	g2 = item(f->st, CAIRN_KIND_GOAL, 0, -1, CAIRN_VIS_PUBLIC);
	g3 = item(f->st, CAIRN_KIND_GOAL, 0, 0.9, CAIRN_VIS_PRIVATE);
	m1 = item(f->st, CAIRN_KIND_MILESTONE, g1, -1, CAIRN_VIS_PUBLIC);
	m2 = item(f->st, CAIRN_KIND_MILESTONE, m1, -1, CAIRN_VIS_PUBLIC);
	m3 = item(f->st, CAIRN_KIND_MILESTONE, g1, -1, CAIRN_VIS_PUBLIC);
	m4 = item(f->st, CAIRN_KIND_MILESTONE, g3, -1, CAIRN_VIS_PUBLIC);
	q = item(f->st, CAIRN_KIND_QUESTION, 0, -1, CAIRN_VIS_PUBLIC);
	set_status(f->st, m2, CAIRN_STATUS_DONE);
	assert_ok(cairn_item_set_status(f->st, m3, CAIRN_STATUS_DROPPED, "no",
	                                &err),
	          &err);
	edge(f->st, m1, m4);

	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);
	assert_int_equal(rm.n, 8);
	assert_int_equal(rm.depth[cairn_roadmap_find(&rm, m2)], 2);
	assert_int_equal(rm.depth[cairn_roadmap_find(&rm, g1)], 0);
	assert_int_equal(rm.nroots, 4);
	assert_int_equal(rm.items[rm.roots[3]].id, q);
	assert_int_equal(rm.ngoals, 3);
	assert_int_equal(rm.items[rm.goals[0]].id, g3);
	assert_int_equal(rm.items[rm.goals[1]].id, g1);
	assert_int_equal(rm.items[rm.goals[2]].id, g2);
	cairn_roadmap_progress(&rm, (size_t)cairn_roadmap_find(&rm, g1), &done,
	                       &total);
	assert_int_equal(total, 2); /* m1, m2; m3 is dropped */
	assert_int_equal(done, 1);

	cairn_roadmap_subtree(&rm, (size_t)cairn_roadmap_find(&rm, m1), &sub);
	assert_int_equal(sub.n, 2);
	assert_int_equal(sub.nroots, 1);
	assert_int_equal(sub.items[sub.roots[0]].id, m1);
	assert_int_equal(sub.ngoals, 0);
	assert_int_equal(sub.depth[cairn_roadmap_find(&sub, m2)], 1);
	/* The edge to m4, outside the subtree, is left out with it. */
	assert_int_equal(sub.pre_off[sub.n], 0);
	cairn_roadmap_release(&sub);

	assert_ok(cairn_roadmap_select(&rm, &live, &sub, &err), &err);
	assert_int_equal(sub.n, 7);
	assert_true(cairn_roadmap_find(&sub, m3) < 0);
	cairn_roadmap_release(&sub);
	cairn_roadmap_release(&rm);

	/* g3 is private, and m4 with it: the edge to m4 goes too. */
	assert_ok(cairn_roadmap_load_scope(f->st, &pub, &rm, &err), &err);
	assert_int_equal(rm.n, 6);
	assert_true(cairn_roadmap_find(&rm, m4) < 0);
	assert_int_equal(rm.pre_off[rm.n], 0);
	assert_int_equal(rm.ngoals, 2);
	assert_int_equal(rm.items[rm.goals[0]].id, g1);
	cairn_roadmap_release(&rm);

	/* A goal left out by the visibility is not found. */
	pub.goal = g3;
	assert_code(cairn_roadmap_load_scope(f->st, &pub, &rm, &err),
	            CAIRN_ENOTFOUND);
	/* Its subgraph with everything visible: g3, m4 below it. */
	pub.minvis = CAIRN_VIS_PRIVATE;
	assert_ok(cairn_roadmap_load_scope(f->st, &pub, &rm, &err), &err);
	assert_int_equal(rm.n, 2);
	cairn_roadmap_release(&rm);
	/* g1's: what m1 builds on comes in, with its parent. */
	pub.goal = g1;
	assert_ok(cairn_roadmap_load_scope(f->st, &pub, &rm, &err), &err);
	assert_int_equal(rm.n, 6);
	assert_true(cairn_roadmap_find(&rm, m4) >= 0);
	assert_true(cairn_roadmap_find(&rm, g3) >= 0);
	assert_true(cairn_roadmap_find(&rm, g2) < 0);
	assert_int_equal(rm.pre_off[rm.n], 1);
	cairn_roadmap_release(&rm);
}

static int
entry_text(void *ctx, const struct cairn_entry *e)
{
	buf_addf(ctx, "%s%s|", e->text, e->label ? e->label : "");
	return 0;
}

/*
 * Links, notes and settings come with the snapshot, in the order the
 * store's own readers give, and go along into a subtree.
 */
static void
test_entries_settings(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm, sub;
	struct buf got = BUF_INIT, want = BUF_INIT;
	int64_t g = item(f->st, CAIRN_KIND_GOAL, 0, -1, CAIRN_VIS_PUBLIC);
	int64_t m = item(f->st, CAIRN_KIND_MILESTONE, g, -1, CAIRN_VIS_PUBLIC);
	long i;

	assert_ok(cairn_item_link(f->st, m, "https://b.example", "B", &err),
	          &err);
	assert_ok(cairn_item_link(f->st, m, "https://a.example", NULL, &err),
	          &err);
	assert_ok(cairn_item_note(f->st, m, "first", &err), &err);
	assert_ok(cairn_item_note(f->st, m, "second", &err), &err);
	assert_ok(cairn_item_note(f->st, g, "on the goal", &err), &err);
	assert_ok(cairn_focus_set(f->st, m, 0.3, 5, &err), &err);
	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);
	i = cairn_roadmap_find(&rm, m);

	assert_ok(cairn_item_links(f->st, m, entry_text, &want, &err), &err);
	assert_int_equal(cairn_roadmap_links(&rm, (size_t)i, entry_text, &got),
	                 0);
	assert_string_equal(got.buf, want.buf);
	assert_string_equal(got.buf, "https://b.exampleB|https://a.example|");
	buf_reset(&got);
	buf_reset(&want);
	assert_ok(cairn_item_notes(f->st, m, entry_text, &want, &err), &err);
	cairn_roadmap_notes(&rm, (size_t)i, entry_text, &got);
	assert_string_equal(got.buf, want.buf);
	assert_string_equal(got.buf, "first|second|");

	assert_int_equal(rm.focus.main, m);
	assert_int_equal(rm.focus.wip, 5);
	assert_string_equal(cairn_roadmap_setting(&rm, "focus.wip"), "5");
	assert_null(cairn_roadmap_setting(&rm, "no.such"));

	cairn_roadmap_subtree(&rm, (size_t)i, &sub);
	buf_reset(&got);
	cairn_roadmap_notes(&sub, 0, entry_text, &got);
	assert_string_equal(got.buf, "first|second|");
	assert_int_equal(sub.note_off[sub.n], 2);
	assert_int_equal(sub.link_off[sub.n], 2);
	assert_string_equal(cairn_roadmap_setting(&sub, "focus.wip"), "5");
	assert_int_equal(sub.focus.main, m);
	cairn_roadmap_release(&sub);
	cairn_roadmap_release(&rm);
	buf_release(&got);
	buf_release(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_paper_nodes, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_paper_inherited_and_shared,
	                                        fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_label, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_history_logged, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_share, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test(test_ready_agrees),
	        cmocka_unit_test_setup_teardown(test_tree_view, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_entries_settings, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
