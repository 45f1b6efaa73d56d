/*
 * test-lookback.c: look-backs come from the journal alone.  A scripted
 * history (the clock moved by $CAIRN_NOW) is looked back on; then later
 * edits, a removal and undos must not change the answer about the past
 * period, while a look-back that includes them sees them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
at(const char *ts)
{
	setenv("CAIRN_NOW", ts, 1);
}

static char *
lookback_json(struct cairn_store *st, const char *since, const char *until)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_lookback lb;
	json_t *j;
	char *s;

	assert_ok(cairn_lookback(st, since, until, &lb, &err), &err);
	j = cairn_lookback_json(&lb);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	cairn_lookback_release(&lb);
	return s;
}

static void
test_history(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_prediction pr;
	struct cairn_lookback lb;
	int64_t goal, m1, m2, m3;
	char *first, *again;

	at("2026-01-05T09:00:00Z");
	goal = unit_add(f->st, CAIRN_KIND_GOAL, "BERT for $100", 0);
	m1 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Read", goal);
	m2 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Baseline", goal);
	m3 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Game engine", 0);
	assert_ok(cairn_metric_add(f->st, goal, "cost", "USD", 7000, 100, 1,
	                           NULL, &err),
	          &err);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 7000, NULL, NULL, NULL,
	                           &err),
	          &err);
	cairn_prediction_init(&pr);
	pr.statement = xstrdup("advisor likes it");
	pr.p = 0.8;
	assert_ok(cairn_prediction_add(f->st, &pr, &err), &err);
	cairn_prediction_release(&pr);

	/* The period: February. */
	at("2026-02-02T10:00:00Z");
	assert_ok(
	        cairn_item_set_status(f->st, m1, CAIRN_STATUS_DONE, NULL, &err),
	        &err);
	assert_ok(cairn_item_set_status(f->st, m2, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	at("2026-02-10T10:00:00Z");
	assert_ok(
	        cairn_item_refine(f->st, goal, "BERT-base GLUE for $100", &err),
	        &err);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 3500, NULL, NULL, NULL,
	                           &err),
	          &err);
	assert_ok(cairn_prediction_resolve(f->st, 1, 1, NULL, NULL, &err),
	          &err);
	assert_ok(cairn_time_log(f->st, m2, NULL, 120, NULL, NULL, &err), &err);
	assert_ok(cairn_time_log(f->st, m3, NULL, 30, NULL, NULL, &err), &err);
	at("2026-02-20T10:00:00Z");
	assert_ok(cairn_item_set_status(f->st, m3, CAIRN_STATUS_DROPPED,
	                                "no time this year", &err),
	          &err);
	assert_ok(cairn_review_add(f->st, "baseline runs", NULL, NULL, NULL,
	                           NULL, &err),
	          &err);

	assert_ok(cairn_lookback(f->st, "2026-02-01T00:00:00Z",
	                         "2026-03-01T00:00:00Z", &lb, &err),
	          &err);
	assert_int_equal(lb.nfinished, 1);
	assert_int_equal(lb.finished[0].id, m1);
	assert_string_equal(lb.finished[0].when, "2026-02-02T10:00:00Z");
	assert_int_equal(lb.ndropped, 1);
	assert_string_equal(lb.dropped[0].why, "no time this year");
	/* Done straight from planned stamps a start too. */
	assert_int_equal(lb.nstarted, 2);
	assert_int_equal(lb.started[0].id, m1);
	assert_int_equal(lb.started[1].id, m2);
	assert_int_equal(lb.nstatements, 1);
	assert_string_equal(lb.statements[0].old_text, "BERT for $100");
	assert_string_equal(lb.statements[0].new_text,
	                    "BERT-base GLUE for $100");
	assert_int_equal(lb.nmetrics, 1);
	assert_true(lb.metrics[0].has_from);
	assert_true(lb.metrics[0].from == 7000 && lb.metrics[0].to == 3500);
	assert_int_equal(lb.metrics[0].observations, 1);
	assert_int_equal(lb.npredictions, 1);
	assert_true(fabs(lb.brier - 0.04) < 1e-12);
	assert_int_equal(lb.minutes, 150);
	assert_int_equal(lb.ntime, 2);
	assert_int_equal(lb.time[0].goal, goal);
	assert_int_equal(lb.time[0].minutes, 120);
	assert_int_equal(lb.time[1].goal, 0);
	assert_int_equal(lb.nreviews, 1);
	cairn_lookback_release(&lb);
	first = lookback_json(f->st, "2026-02-01T00:00:00Z",
	                      "2026-03-01T00:00:00Z");

	/* March: rewrite history as much as the tools allow. */
	at("2026-03-05T10:00:00Z");
	assert_ok(cairn_item_refine(f->st, goal, "Something else", &err), &err);
	assert_ok(cairn_item_set_status(f->st, m1, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 100, "2026-02-15", NULL,
	                           NULL, &err),
	          &err);
	assert_ok(cairn_time_log(f->st, m2, "2026-02-15", 60, NULL, NULL, &err),
	          &err);
	assert_ok(cairn_undo(f->st, 1, NULL, &err), &err);
	assert_ok(cairn_item_remove(f->st, m3, 0, &err), &err);
	assert_ok(cairn_item_remove(f->st, goal, 1, &err), &err);
	again = lookback_json(f->st, "2026-02-01T00:00:00Z",
	                      "2026-03-01T00:00:00Z");
	assert_string_equal(again, first);
	free(again);

	/* Open-ended, the later changes show: everything was removed. */
	assert_ok(
	        cairn_lookback(f->st, "2026-02-01T00:00:00Z", NULL, &lb, &err),
	        &err);
	assert_int_equal(lb.nfinished, 0);
	assert_int_equal(lb.ntime, 0);
	cairn_lookback_release(&lb);
	assert_code(cairn_lookback(f->st, "2026-03-01T00:00:00Z",
	                           "2026-02-01T00:00:00Z", &lb, &err),
	            CAIRN_EINVAL);
	free(first);
}

/*
 * Every goal at both ends: as it stood, restated in between, and its
 * visibility at each; the post made from it shows only what is public at
 * both ends and counts the goal that became private.
 */
static void
test_goals(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_lookback lb;
	struct buf post = BUF_INIT;
	int64_t a, b, c, d;

	at("2024-01-10T09:00:00Z");
	a = unit_add(f->st, CAIRN_KIND_GOAL, "Cheap pre-training", 0);
	b = unit_add(f->st, CAIRN_KIND_GOAL, "Quantum MNIST", 0);
	c = unit_add(f->st, CAIRN_KIND_GOAL, "Hidden later", 0);
	d = unit_add(f->st, CAIRN_KIND_GOAL, "Private all along", 0);
	unit_set_field(f->st, a, "visibility", "public");
	unit_set_field(f->st, b, "visibility", "public");
	unit_set_field(f->st, c, "visibility", "public");
	unit_set_field(f->st, a, "driven", "goal");
	unit_set_field(f->st, b, "rank", "1");
	at("2025-03-01T09:00:00Z");
	assert_ok(cairn_item_refine(f->st, a, "Pre-training under $100", &err),
	          &err);
	assert_ok(cairn_item_set_status(f->st, b, CAIRN_STATUS_DROPPED,
	                                "no simulator", &err),
	          &err);
	unit_set_field(f->st, c, "visibility", "private");
	at("2026-01-01T09:00:00Z");

	assert_ok(
	        cairn_lookback(f->st, "2024-02-01T00:00:00Z", NULL, &lb, &err),
	        &err);
	assert_int_equal(lb.ngoals, 4);
	/* Goal order now: b keeps its rank, then the others by id. */
	assert_int_equal(lb.goals[0].id, b);
	assert_int_equal(lb.goals[1].id, a);
	assert_string_equal(lb.goals[1].then.title, "Cheap pre-training");
	assert_string_equal(lb.goals[1].now.title, "Pre-training under $100");
	assert_string_equal(lb.goals[1].then.driven, "goal");
	assert_int_equal(lb.goals[1].nrestated, 1);
	assert_string_equal(lb.goals[1].restated[0].when,
	                    "2025-03-01T09:00:00Z");
	assert_string_equal(lb.goals[0].now.status, "dropped");
	assert_string_equal(lb.goals[0].now.why, "no simulator");
	assert_int_equal(lb.goals[0].then.rank, 1);
	assert_int_equal(lb.goals[2].id, c);
	assert_int_equal(lb.goals[2].then.vis, CAIRN_VIS_PUBLIC);
	assert_int_equal(lb.goals[2].now.vis, CAIRN_VIS_PRIVATE);
	assert_int_equal(lb.goals[3].id, d);
	assert_int_equal(lb.goals[3].now.vis, CAIRN_VIS_PRIVATE);
	assert_ok(cairn_lookback_post(&lb, &post, &err), &err);
	assert_non_null(strstr(post.buf, "### Cheap pre-training\n"));
	assert_non_null(strstr(post.buf, "\nRefined on 2025-03-01: "
	                                 "Pre-training under $100\n\n"));
	assert_non_null(strstr(post.buf, "\nRank: 2 then, 1 now.\n\n"));
	/* Its one list is the goals now (a list above would read back as
	 * goals). */
	assert_null(strstr(post.buf, "\n- "));
	assert_non_null(strstr(post.buf, "\n## The list now\n\n1. "));
	assert_non_null(strstr(post.buf, "dropped on 2025-03-01: no "
	                                 "simulator.\n"));
	assert_non_null(strstr(post.buf, "One goal from then is not shown"));
	assert_null(strstr(post.buf, "Hidden later"));
	assert_null(strstr(post.buf, "Private all along"));
	buf_release(&post);
	cairn_lookback_release(&lb);

	/* A post needs a start. */
	assert_ok(cairn_lookback(f->st, NULL, NULL, &lb, &err), &err);
	assert_code(cairn_lookback_post(&lb, &post, &err), CAIRN_EINVAL);
	buf_release(&post);
	cairn_lookback_release(&lb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_history, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_goals, fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
