/*
 * test-edge.c: builds-on edges.  They form a DAG: self edges, duplicates
 * and cycles are refused (a cycle with the cycle named in the message),
 * and they go with the items they join.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static int
collect_id(void *ctx, const struct cairn_item *it)
{
	struct buf *out = ctx;

	buf_addf(out, "%s%lld", out->len ? "," : "", (long long)it->id);
	return 0;
}

static void
expect_prereqs(struct fixture *f, int64_t id, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf ids = BUF_INIT;

	assert_ok(cairn_item_prereqs(f->st, id, collect_id, &ids, &err), &err);
	assert_string_equal(ids.buf, want);
	buf_release(&ids);
}

static void
expect_dependents(struct fixture *f, int64_t id, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf ids = BUF_INIT;

	assert_ok(cairn_item_dependents(f->st, id, collect_id, &ids, &err),
	          &err);
	assert_string_equal(ids.buf, want);
	buf_release(&ids);
}

/* Add n milestones #1..#n. */
static void
add_n(struct fixture *f, int n)
{
	char title[32];

	for (int i = 1; i <= n; i++) {
		snprintf(title, sizeof(title), "M%d", i);
		assert_int_equal(
		        unit_add(f->st, CAIRN_KIND_MILESTONE, title, 0), i);
	}
}

static void
edge(struct fixture *f, int64_t id, int64_t prereq)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	if (cairn_edge_add(f->st, id, prereq, &err))
		fail_msg("#%lld building on #%lld: %s", (long long)id,
		         (long long)prereq, err.msg);
}

static long long
changes(struct fixture *f)
{
	return db_int(f->path, "SELECT count(*) FROM change");
}

/* The edge rows as "item>prereq" pairs in id order. */
static void
expect_edges(struct fixture *f, const char *want)
{
	char *got =
	        db_text(f->path, "SELECT coalesce(group_concat(item || '>' || "
	                         "prereq, ' '), '') FROM (SELECT item, prereq "
	                         "FROM edge ORDER BY id)");

	assert_string_equal(got, want);
	free(got);
}

static void
test_add_remove(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long n;

	add_n(f, 4);
	edge(f, 2, 1);
	edge(f, 3, 1);
	edge(f, 3, 2);
	edge(f, 4, 3);
	expect_edges(f, "2>1 3>1 3>2 4>3");
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM edge WHERE "
	                                 "created = '" UNIT_NOW "'"),
	                 4);
	expect_prereqs(f, 3, "1,2");
	expect_prereqs(f, 1, "");
	expect_dependents(f, 1, "2,3");
	expect_dependents(f, 3, "4");
	expect_dependents(f, 4, "");

	assert_ok(cairn_edge_remove(f->st, 3, 1, &err), &err);
	expect_edges(f, "2>1 3>2 4>3");
	expect_prereqs(f, 3, "2");
	expect_dependents(f, 1, "2");

	/* Absent edges and unknown items. */
	n = changes(f);
	assert_code(cairn_edge_remove(f->st, 3, 1, &err), CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "#3 does not build on #1");
	assert_code(cairn_edge_remove(f->st, 1, 2, &err), CAIRN_ENOTFOUND);
	assert_code(cairn_edge_remove(f->st, 99, 1, &err), CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #99");
	assert_code(cairn_edge_add(f->st, 99, 1, &err), CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #99");
	assert_code(cairn_edge_add(f->st, 1, 98, &err), CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #98");
	assert_code(cairn_item_prereqs(f->st, 99, collect_id, NULL, &err),
	            CAIRN_ENOTFOUND);
	assert_code(cairn_item_dependents(f->st, 99, collect_id, NULL, &err),
	            CAIRN_ENOTFOUND);
	assert_int_equal(changes(f), n);
	expect_edges(f, "2>1 3>2 4>3");

	/* An edge removed can be added again. */
	edge(f, 3, 1);
	expect_edges(f, "2>1 3>2 4>3 3>1");
}

static void
test_duplicate(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long n;

	add_n(f, 2);
	edge(f, 2, 1);
	n = changes(f);
	assert_code(cairn_edge_add(f->st, 2, 1, &err), CAIRN_EEXIST);
	assert_string_equal(err.msg, "#2 already builds on #1");
	assert_int_equal(changes(f), n);
	expect_edges(f, "2>1");
}

static void
test_self(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long n;

	add_n(f, 1);
	n = changes(f);
	assert_code(cairn_edge_add(f->st, 1, 1, &err), CAIRN_ECYCLE);
	assert_string_equal(err.msg, "#1 cannot build on itself");
	assert_int_equal(changes(f), n);
	expect_edges(f, "");
}

static void
test_cycle(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long n;

	add_n(f, 3);
	edge(f, 2, 1);
	edge(f, 3, 2);
	n = changes(f);

	/* Two items. */
	assert_code(cairn_edge_add(f->st, 1, 2, &err), CAIRN_ECYCLE);
	assert_int_equal(err.code, CAIRN_ECYCLE);
	assert_string_equal(err.msg, "#1 building on #2 would close a cycle: "
	                             "#1 -> #2 -> #1");
	/* Three: the message walks the whole cycle back to where it began. */
	assert_code(cairn_edge_add(f->st, 1, 3, &err), CAIRN_ECYCLE);
	assert_string_equal(err.msg, "#1 building on #3 would close a cycle: "
	                             "#1 -> #3 -> #2 -> #1");
	assert_int_equal(changes(f), n);
	expect_edges(f, "2>1 3>2");
	expect_prereqs(f, 1, "");
}

static void
test_long_cycle(void **state)
{
	enum { N = 12 };
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf want = BUF_INIT;

	add_n(f, N);
	/* #k builds on #k-1: a chain #12 -> #11 -> ... -> #1. */
	for (int k = 2; k <= N; k++)
		edge(f, k, k - 1);
	assert_code(cairn_edge_add(f->st, 1, N, &err), CAIRN_ECYCLE);
	buf_addf(&want, "#1 building on #%d would close a cycle: #1", N);
	for (int k = N; k >= 1; k--)
		buf_addf(&want, " -> #%d", k);
	assert_string_equal(err.msg, want.buf);
	/* Any back edge into the chain is a cycle too. */
	assert_code(cairn_edge_add(f->st, 5, 9, &err), CAIRN_ECYCLE);
	assert_string_equal(err.msg, "#5 building on #9 would close a cycle: "
	                             "#5 -> #9 -> #8 -> #7 -> #6 -> #5");
	/* Forward edges that skip ahead are fine (a DAG, not a tree). */
	edge(f, 9, 5);
	edge(f, N, 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM edge"), N + 1);
	buf_release(&want);
}

/*
 * When several paths close the cycle, the message names a shortest one.
 *   4 -> 2 -> 1, 4 -> 3 -> 1 and 3 -> 5 -> 6 -> 1; then 1 building on 4.
 */
static void
test_cycle_shortest(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;

	add_n(f, 6);
	edge(f, 6, 1);
	edge(f, 5, 6);
	edge(f, 3, 5);
	edge(f, 4, 3);
	edge(f, 3, 1);
	edge(f, 4, 2);
	edge(f, 2, 1);
	assert_code(cairn_edge_add(f->st, 1, 4, &err), CAIRN_ECYCLE);
	assert_true(!strcmp(err.msg, "#1 building on #4 would close a cycle: "
	                             "#1 -> #4 -> #2 -> #1") ||
	            !strcmp(err.msg, "#1 building on #4 would close a cycle: "
	                             "#1 -> #4 -> #3 -> #1"));
	/* A diamond is not a cycle. */
	assert_code(cairn_edge_add(f->st, 5, 1, &err), CAIRN_OK);
}

/* Edges cross the breakdown tree freely: a parent may build on a child's
 * sibling, and so on; only builds-on paths count for cycles. */
static void
test_tree_is_not_edges(void **state)
{
	struct fixture *f = *state;
	int64_t g, a, b;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	a = unit_add(f->st, CAIRN_KIND_MILESTONE, "A", g);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B", g);
	edge(f, b, a);
	edge(f, g, b);
	expect_prereqs(f, g, "3");
}

static void
test_removed_with_items(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;

	add_n(f, 4);
	edge(f, 2, 1);
	edge(f, 3, 2);
	edge(f, 4, 2);
	edge(f, 4, 1);
	/* Removing #2 takes the edges on both sides of it. */
	assert_ok(cairn_item_remove(f->st, 2, 0, &err), &err);
	expect_edges(f, "4>1");
	expect_prereqs(f, 3, "");
	expect_prereqs(f, 4, "1");
	expect_dependents(f, 1, "4");
	/* Every edge deletion is journalled with the removal. */
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM event WHERE entity = "
	                        "'edge' AND after IS NULL AND change = "
	                        "(SELECT max(id) FROM change)"),
	                 3);

	/* A subtree removal takes edges of every item in it. */
	unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);            /* 5 */
	unit_add(f->st, CAIRN_KIND_MILESTONE, "under G", 5); /* 6 */
	edge(f, 6, 4);
	edge(f, 3, 6);
	edge(f, 1, 5);
	assert_ok(cairn_item_remove(f->st, 5, 1, &err), &err);
	expect_edges(f, "4>1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_add_remove, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_duplicate, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_self, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_cycle, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_long_cycle, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_cycle_shortest, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_tree_is_not_edges,
	                                        fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_removed_with_items,
	                                        fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests_name("edge", tests, NULL, NULL);
}
