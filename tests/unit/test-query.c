/*
 * test-query.c: listing items (filters, the ready set as the CLI and the
 * planner see it, sort orders, stopping early) and the tree walk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/*
 * 1 goal G1 [ml]
 *   2 milestone M1 (done)
 *   3 milestone M2 (active) [ml]
 *     4 milestone M2a
 *   5 question Q1
 * 6 goal G2 (dropped)
 *   7 milestone M3 [ml]
 * 8 idea I1
 */
static void
build_sample(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	unit_add(f->st, CAIRN_KIND_GOAL, "G1", 0);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "M1", 1);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "M2", 1);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "M2a", 3);
	unit_add(f->st, CAIRN_KIND_QUESTION, "Q1", 1);
	unit_add(f->st, CAIRN_KIND_GOAL, "G2", 0);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "M3", 6);
	unit_add(f->st, CAIRN_KIND_IDEA, "I1", 0);
	unit_set_status(f->st, 2, CAIRN_STATUS_DONE);
	unit_set_status(f->st, 3, CAIRN_STATUS_ACTIVE);
	assert_ok(cairn_item_set_status(f->st, 6, CAIRN_STATUS_DROPPED,
	                                "not now", &err),
	          &err);
	assert_ok(cairn_item_tag(f->st, 1, "ml", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, 3, "ml", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, 7, "ml", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, 7, "other", 1, &err), &err);
}

static void
test_query_filters(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_query q = CAIRN_QUERY_INIT;
	struct buf ids = BUF_INIT;
	int64_t max = -1;

	assert_ok(cairn_item_max_id(f->st, &max, &err), &err);
	assert_int_equal(max, 0);
	unit_expect_query(f->st, &q, "");
	build_sample(f);
	assert_ok(cairn_item_max_id(f->st, &max, &err), &err);
	assert_int_equal(max, 8);

	unit_expect_query(f->st, &q, "1,2,3,4,5,6,7,8");
	q.kind = CAIRN_KIND_MILESTONE;
	unit_expect_query(f->st, &q, "2,3,4,7");
	q.kind = CAIRN_KIND_QUESTION;
	unit_expect_query(f->st, &q, "5");
	q.kind = -1;
	q.status = CAIRN_STATUS_PLANNED;
	unit_expect_query(f->st, &q, "1,4,5,7");
	q.status = CAIRN_STATUS_DROPPED;
	unit_expect_query(f->st, &q, "6");
	q.status = -1;
	q.tag = "ml";
	unit_expect_query(f->st, &q, "1,3,7");
	q.tag = "nothing";
	unit_expect_query(f->st, &q, "");
	q.tag = NULL;
	q.open_only = 1;
	unit_expect_query(f->st, &q, "1,3,4,5,7,8");
	q.open_only = 0;
	/* under: the subtree below, not the item itself. */
	q.under = 1;
	unit_expect_query(f->st, &q, "2,3,4,5");
	q.under = 3;
	unit_expect_query(f->st, &q, "4");
	q.under = 4;
	unit_expect_query(f->st, &q, "");
	/* Filters combine. */
	q.under = 1;
	q.kind = CAIRN_KIND_MILESTONE;
	q.open_only = 1;
	unit_expect_query(f->st, &q, "3,4");
	q.tag = "ml";
	unit_expect_query(f->st, &q, "3");

	q = (struct cairn_query)CAIRN_QUERY_INIT;
	q.under = 99;
	assert_code(cairn_query_run(f->st, &q, unit_collect_id, &ids, &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(ids.buf, "");
	buf_release(&ids);
}

static void
expect_ready(struct fixture *f, const char *want)
{
	struct cairn_query q = CAIRN_QUERY_INIT;

	q.ready = 1;
	unit_expect_query(f->st, &q, want);
}

static void
test_query_ready(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t g1, a, b, c, c1, x, g2, d;

	g1 = unit_add(f->st, CAIRN_KIND_GOAL, "G1", 0);
	a = unit_add(f->st, CAIRN_KIND_MILESTONE, "A", g1);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B builds on A", g1);
	c = unit_add(f->st, CAIRN_KIND_MILESTONE, "C broken down", g1);
	c1 = unit_add(f->st, CAIRN_KIND_MILESTONE, "C1", c);
	x = unit_add(f->st, CAIRN_KIND_MILESTONE, "X", 0);
	g2 = unit_add(f->st, CAIRN_KIND_GOAL, "G2 builds on X", 0);
	d = unit_add(f->st, CAIRN_KIND_MILESTONE, "D", g2);
	unit_add(f->st, CAIRN_KIND_QUESTION, "Q", g1);
	assert_ok(cairn_edge_add(f->st, b, a, &err), &err);
	assert_ok(cairn_edge_add(f->st, g2, x, &err), &err);

	/* B waits for A, C for its part C1, D for its goal's X. */
	expect_ready(f, "2,5,6");
	unit_set_status(f->st, a, CAIRN_STATUS_DONE);
	expect_ready(f, "3,5,6");
	unit_set_status(f->st, x, CAIRN_STATUS_DONE);
	expect_ready(f, "3,5,8");
	unit_set_status(f->st, c1, CAIRN_STATUS_DONE);
	expect_ready(f, "3,4,8");
	/* Active milestones are still ready work. */
	unit_set_status(f->st, d, CAIRN_STATUS_ACTIVE);
	expect_ready(f, "3,4,8");
	/* Undoing a prerequisite blocks again. */
	unit_set_status(f->st, a, CAIRN_STATUS_ACTIVE);
	expect_ready(f, "2,4,8");
}

/*
 * Ready as the planner sees it: a dropped prerequisite is settled like a
 * done one, only an open milestone below holds a milestone back (not a
 * question or an idea, but a milestone below those does), work below a
 * done or dropped item is settled with it, and a required paper holds
 * its item and everything below back until it is read.
 */
static void
test_query_ready_planner(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_paper p;
	int64_t g, a, b, c, q, d, dq, dm, old, left, e, k;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	a = unit_add(f->st, CAIRN_KIND_MILESTONE, "A, to be dropped", g);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B builds on A", g);
	c = unit_add(f->st, CAIRN_KIND_MILESTONE, "C with a question", g);
	q = unit_add(f->st, CAIRN_KIND_QUESTION, "Q below C", c);
	unit_add(f->st, CAIRN_KIND_IDEA, "I below C", c);
	d = unit_add(f->st, CAIRN_KIND_MILESTONE, "D", g);
	dq = unit_add(f->st, CAIRN_KIND_QUESTION, "DQ below D", d);
	dm = unit_add(f->st, CAIRN_KIND_MILESTONE, "DM below DQ", dq);
	old = unit_add(f->st, CAIRN_KIND_GOAL, "Old goal", 0);
	left = unit_add(f->st, CAIRN_KIND_MILESTONE, "Left below it", old);
	e = unit_add(f->st, CAIRN_KIND_MILESTONE, "E builds on Left", g);
	k = unit_add(f->st, CAIRN_KIND_MILESTONE, "K builds on its Q", 0);
	assert_ok(cairn_edge_add(f->st, b, a, &err), &err);
	assert_ok(cairn_edge_add(f->st, e, left, &err), &err);
	assert_ok(cairn_edge_add(f->st, c, q, &err), &err);
	assert_ok(cairn_edge_add(f->st, k,
	                         unit_add(f->st, CAIRN_KIND_QUESTION, "KQ", k),
	                         &err),
	          &err);

	/* C is ready whatever its question and idea; D waits for DM;
	 * C building on its own question does not hold it back. */
	expect_ready(f, "2,4,9,11,13");
	(void)b;
	(void)d;
	(void)dm;
	/* Dropped is as settled as done. */
	assert_ok(cairn_item_set_status(f->st, a, CAIRN_STATUS_DROPPED,
	                                "superseded", &err),
	          &err);
	expect_ready(f, "3,4,9,11,13");
	/* Left below a finished goal: settled with it, and no longer
	 * work of its own. */
	unit_set_status(f->st, old, CAIRN_STATUS_DONE);
	expect_ready(f, "3,4,9,12,13");

	/* A paper the goal requires holds back all below it. */
	cairn_paper_init(&p);
	p.key = xstrdup("k1");
	p.title = xstrdup("Prior work");
	assert_ok(cairn_paper_add(f->st, &p, &err), &err);
	cairn_paper_release(&p);
	assert_ok(cairn_paper_link(f->st, "k1", g, &err), &err);
	expect_ready(f, "13");
	assert_ok(cairn_paper_set(f->st, "k1", "status", "reading", &err),
	          &err);
	expect_ready(f, "13");
	assert_ok(cairn_paper_set(f->st, "k1", "status", "read", &err), &err);
	expect_ready(f, "3,4,9,12,13");
}

static void
test_query_sort(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_query q = CAIRN_QUERY_INIT;
	struct buf ids = BUF_INIT;

	unit_add(f->st, CAIRN_KIND_MILESTONE, "banana", 0);
	unit_add(f->st, CAIRN_KIND_GOAL, "Apple", 0);
	unit_add(f->st, CAIRN_KIND_IDEA, "cherry", 0);
	unit_add(f->st, CAIRN_KIND_QUESTION, "apricot", 0);
	unit_set_field(f->st, 1, "scope", "3");
	unit_set_field(f->st, 2, "scope", "5");
	unit_set_field(f->st, 4, "scope", "1");
	unit_set_field(f->st, 1, "p_success", "0.9");
	unit_set_field(f->st, 3, "p_success", "0.2");
	unit_set_field(f->st, 2, "due", "2026-06-01");
	unit_set_field(f->st, 4, "due", "2026-05-01");

	q.sort = "title";
	unit_expect_query(f->st, &q, "2,4,1,3");
	q.sort = "-title";
	unit_expect_query(f->st, &q, "3,1,4,2");
	q.sort = "kind";
	unit_expect_query(f->st, &q, "2,1,4,3");
	/* Unset values go last either way. */
	q.sort = "scope";
	unit_expect_query(f->st, &q, "4,1,2,3");
	q.sort = "-scope";
	unit_expect_query(f->st, &q, "2,1,4,3");
	q.sort = "p-success";
	unit_expect_query(f->st, &q, "3,1,2,4");
	q.sort = "-p_success";
	unit_expect_query(f->st, &q, "1,3,2,4");
	q.sort = "due";
	unit_expect_query(f->st, &q, "4,2,1,3");
	q.sort = "id";
	unit_expect_query(f->st, &q, "1,2,3,4");
	q.sort = "-id";
	unit_expect_query(f->st, &q, "4,3,2,1");

	q.sort = "colour";
	assert_code(cairn_query_run(f->st, &q, unit_collect_id, &ids, &err),
	            CAIRN_EINVAL);
	assert_non_null(strstr(err.msg, "'colour'"));
	q.sort = "title; DROP TABLE item";
	assert_code(cairn_query_run(f->st, &q, unit_collect_id, &ids, &err),
	            CAIRN_EINVAL);
	assert_string_equal(ids.buf, "");
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 4);
	buf_release(&ids);
}

static int
stop_item(void *ctx, const struct cairn_item *it)
{
	int *n = ctx;

	(void)it;
	return ++*n == 3 ? 7 : 0;
}

static void
test_query_stops(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_query q = CAIRN_QUERY_INIT;
	int n = 0;

	build_sample(f);
	assert_int_equal(cairn_query_run(f->st, &q, stop_item, &n, &err), 7);
	assert_int_equal(n, 3);
}

/* Record each visit as "id:depth:last-flags" lines. */
static int
collect_tree(void *ctx, const struct cairn_item *it, int depth,
             const unsigned char *last)
{
	struct buf *out = ctx;

	buf_addf(out, "%lld:%d:", (long long)it->id, depth);
	for (int i = 0; i <= depth; i++)
		buf_addch(out, last[i] ? '1' : '0');
	buf_addch(out, '\n');
	return 0;
}

static void
expect_tree(struct fixture *f, int64_t root, int all, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf out = BUF_INIT;

	assert_ok(cairn_tree_walk(f->st, root, all, collect_tree, &out, &err),
	          &err);
	assert_string_equal(out.buf, want);
	buf_release(&out);
}

static void
test_tree(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf out = BUF_INIT;

	expect_tree(f, 0, 1, "");
	build_sample(f);
	/* Done and dropped items are hidden with what is below them. */
	expect_tree(f, 0, 0,
	            "1:0:0\n"
	            "3:1:00\n"
	            "4:2:001\n"
	            "5:1:01\n"
	            "8:0:1\n");
	expect_tree(f, 0, 1,
	            "1:0:0\n"
	            "2:1:00\n"
	            "3:1:00\n"
	            "4:2:001\n"
	            "5:1:01\n"
	            "6:0:0\n"
	            "7:1:01\n"
	            "8:0:1\n");
	/* A subtree: its root at depth 0. */
	expect_tree(f, 3, 0, "3:0:1\n4:1:11\n");
	expect_tree(f, 6, 1, "6:0:1\n7:1:11\n");
	expect_tree(f, 4, 0, "4:0:1\n");
	/* Children come in id order even when moved in later. */
	assert_ok(cairn_item_move(f->st, 8, 1, &err), &err);
	expect_tree(f, 1, 0, "1:0:1\n3:1:10\n4:2:101\n5:1:10\n8:1:11\n");

	assert_code(cairn_tree_walk(f->st, 99, 0, collect_tree, &out, &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(out.buf, "");
	buf_release(&out);
}

static int
count_visit(void *ctx, const struct cairn_item *it, int depth,
            const unsigned char *last)
{
	int *max = ctx;

	(void)it;
	(void)last;
	if (depth > *max)
		*max = depth;
	return 0;
}

/* A deep chain walks without recursion. */
static void
test_tree_deep(void **state)
{
	enum { DEPTH = 2000 };
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t parent = 0;
	int max = -1;

	assert_ok(cairn_store_begin(f->st, "chain", &err), &err);
	for (int i = 0; i < DEPTH; i++)
		parent = unit_add(f->st, CAIRN_KIND_MILESTONE, "step", parent);
	assert_ok(cairn_store_commit(f->st, &err), &err);
	assert_ok(cairn_tree_walk(f->st, 0, 0, count_visit, &max, &err), &err);
	assert_int_equal(max, DEPTH - 1);
	/* And removing the chain's root takes it all. */
	assert_ok(cairn_item_remove(f->st, 1, 1, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
}

#define FX(t)                                                                  \
	cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        FX(test_query_filters),       FX(test_query_ready),
	        FX(test_query_ready_planner), FX(test_query_sort),
	        FX(test_query_stops),         FX(test_tree),
	        FX(test_tree_deep),
	};

	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
