/*
 * test-predict.c: calibration scores against hand-computed values on a
 * fixed set, binning, probabilities and prediction ids, and predictions in
 * the store: adding, resolving once, filters, early resolutions, errors.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define assert_near(a, b, eps)                                                 \
	do {                                                                   \
		double a_ = (a), b_ = (b);                                     \
		if (!(fabs(a_ - b_) <= (eps)))                                 \
			fail_msg("%s is %.17g, want %.17g", #a, a_, b_);       \
	} while (0)

/*
 * The fixed set: stated probability and outcome.
 *   Brier: (0.1^2 + 0.8^2 + 0.4^2 + 0.3^2 + 0.8^2) / 5
 *        = (0.01 + 0.64 + 0.16 + 0.09 + 0.64) / 5 = 1.54 / 5 = 0.308
 *   log:   (ln 0.9 + ln 0.2 + ln 0.6 + ln 0.7 + ln 0.2) / 5
 *        = (-0.1053605 - 1.6094379 - 0.5108256 - 0.3566749 - 1.6094379) / 5
 *        = -4.1917369 / 5 = -0.8383474
 */
static const struct {
	double p;
	int outcome;
} set[] = {{0.9, 1}, {0.8, 0}, {0.6, 1}, {0.3, 0}, {0.2, 1}};

static void
test_scores(void **state)
{
	struct cairn_calibration c;

	(void)state;
	cairn_calibration_init(&c);
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		cairn_calibration_add(&c, set[i].p, set[i].outcome, i == 0);
	cairn_calibration_finish(&c);
	assert_int_equal(c.count, 5);
	assert_int_equal(c.yes, 3);
	assert_int_equal(c.early, 1);
	assert_near(c.brier, 0.308, 1e-12);
	assert_near(c.log_score, -0.8383473816461502, 1e-12);
	/* One prediction a bin: 0.2, 0.3, 0.6, 0.8, 0.9. */
	for (int b = 0; b < CAIRN_CALIBRATION_BINS; b++) {
		int want = b == 2 || b == 3 || b == 6 || b == 8 || b == 9;

		assert_int_equal(c.bins[b].count, want);
	}
	assert_int_equal(c.bins[2].yes, 1);
	assert_int_equal(c.bins[3].yes, 0);
	assert_int_equal(c.bins[8].yes, 0);
	assert_near(c.bins[6].sum_p, 0.6, 1e-12);
	assert_near(c.bins[9].lo, 0.9, 1e-12);
	assert_near(c.bins[9].hi, 1.0, 1e-12);

	/*
	 * Certainty: p = 1 and yes adds 0 to both; p = 0 and yes adds 1 to
	 * the Brier sum and ln 0.001 = -6.9077553 to the log sum:
	 *   Brier (1.54 + 1 + 0) / 7 = 0.3628571
	 *   log (-4.1917369 - 6.9077553 + 0) / 7 = -1.5856417
	 * p = 1 falls in the top bin, p = 0 in the bottom one.
	 */
	cairn_calibration_add(&c, 0.0, 1, 0);
	cairn_calibration_add(&c, 1.0, 1, 0);
	cairn_calibration_finish(&c);
	assert_near(c.brier, 2.54 / 7, 1e-12);
	assert_near(c.log_score, -1.5856417410304127, 1e-12);
	assert_int_equal(c.bins[0].count, 1);
	assert_int_equal(c.bins[9].count, 2);

	/* Nothing resolved: zeros, and JSON nulls. */
	cairn_calibration_init(&c);
	cairn_calibration_finish(&c);
	assert_int_equal(c.count, 0);
	{
		json_t *j = cairn_calibration_json(&c);

		assert_true(json_is_null(json_object_get(j, "brier")));
		assert_true(json_is_null(json_object_get(j, "log_score")));
		assert_int_equal(json_array_size(json_object_get(j, "bins")),
		                 0);
		json_decref(j);
	}
}

static void
test_parse(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	double p;
	int64_t id;

	(void)state;
	assert_ok(cairn_probability_parse("0.7", &p, &err), &err);
	assert_near(p, 0.7, 1e-12);
	assert_ok(cairn_probability_parse("70%", &p, &err), &err);
	assert_near(p, 0.7, 1e-12);
	assert_ok(cairn_probability_parse("0", &p, &err), &err);
	assert_ok(cairn_probability_parse("1", &p, &err), &err);
	assert_code(cairn_probability_parse("1.5", &p, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "probability '1.5' must be between 0 and "
	                             "1 (or 0% and 100%)");
	assert_code(cairn_probability_parse("-0.1", &p, &err), CAIRN_EINVAL);
	assert_code(cairn_probability_parse("120%", &p, &err), CAIRN_EINVAL);
	assert_code(cairn_probability_parse("high", &p, &err), CAIRN_EINVAL);
	assert_code(cairn_probability_parse("nan", &p, &err), CAIRN_EINVAL);
	assert_code(cairn_probability_parse("", &p, &err), CAIRN_EINVAL);
	assert_ok(cairn_prediction_id_parse("P3", &id, &err), &err);
	assert_int_equal(id, 3);
	assert_ok(cairn_prediction_id_parse("12", &id, &err), &err);
	assert_int_equal(id, 12);
	assert_code(cairn_prediction_id_parse("#3", &id, &err), CAIRN_EINVAL);
	assert_code(cairn_prediction_id_parse("P0", &id, &err), CAIRN_EINVAL);
}

static int64_t
predict(struct cairn_store *st, const char *who, double p, int64_t item,
        const char *due, const char *statement)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_prediction pr;
	int64_t id;

	cairn_prediction_init(&pr);
	pr.who = who ? xstrdup(who) : NULL;
	pr.statement = xstrdup(statement);
	pr.p = p;
	pr.item = item;
	if (due)
		snprintf(pr.due, sizeof(pr.due), "%s", due);
	assert_ok(cairn_prediction_add(st, &pr, &err), &err);
	id = pr.id;
	cairn_prediction_release(&pr);
	return id;
}

static int
count(void *ctx, const struct cairn_prediction *pr)
{
	(void)pr;
	(*(int *)ctx)++;
	return 0;
}

static void
test_store(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct cairn_calibration c;
	struct cairn_prediction pr;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t goal = unit_add(f->st, CAIRN_KIND_GOAL, "Pruning bound", 0);
	int n;

	assert_ok(cairn_item_tag(f->st, goal, "theory", 1, &err), &err);
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		predict(f->st, i % 2 ? "Bob" : "Alice", set[i].p,
		        i < 2 ? goal : 0, i == 0 ? "2026-04-01" : NULL,
		        "a statement");
	/* An open one, overdue. */
	predict(f->st, "alice", 0.5, 0, "2026-03-01", "still open");
	for (int i = 0; i < 5; i++)
		assert_ok(cairn_prediction_resolve(
		                  f->st, i + 1, set[i].outcome, NULL,
		                  i ? NULL : "as expected", &err),
		          &err);
	assert_ok(cairn_calibration_compute(f->st, &q, &c, &err), &err);
	assert_int_equal(c.count, 5);
	assert_near(c.brier, 0.308, 1e-12);
	assert_near(c.log_score, -0.8383473816461502, 1e-12);
	/* P1 was due 2026-04-01 and resolved on 2026-03-15. */
	assert_int_equal(c.early, 1);

	/* Filters: who (any case) and the item's tag. */
	q.who = "ALICE";
	assert_ok(cairn_calibration_compute(f->st, &q, &c, &err), &err);
	assert_int_equal(c.count, 3);
	q.who = NULL;
	q.tag = "theory";
	assert_ok(cairn_calibration_compute(f->st, &q, &c, &err), &err);
	assert_int_equal(c.count, 2);
	q.tag = NULL;
	n = 0;
	q.overdue = 1;
	assert_ok(cairn_prediction_each(f->st, &q, count, &n, &err), &err);
	assert_int_equal(n, 1);
	q.overdue = 0;
	q.open = 1;
	n = 0;
	assert_ok(cairn_prediction_each(f->st, &q, count, &n, &err), &err);
	assert_int_equal(n, 1);

	assert_ok(cairn_prediction_get(f->st, 1, &pr, &err), &err);
	assert_int_equal(pr.outcome, 1);
	assert_string_equal(pr.resolved, "2026-03-15");
	assert_string_equal(pr.why, "as expected");
	cairn_prediction_release(&pr);

	/* Errors leave the store as it was. */
	db_dump_data(f->path, &before);
	assert_code(cairn_prediction_resolve(f->st, 1, 0, NULL, NULL, &err),
	            CAIRN_ESTATE);
	assert_string_equal(err.msg, "prediction P1 is already resolved (yes "
	                             "on 2026-03-15)");
	assert_code(cairn_prediction_resolve(f->st, 99, 1, NULL, NULL, &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no prediction P99");
	assert_code(
	        cairn_prediction_resolve(f->st, 6, 1, "2026-03-01", NULL, &err),
	        CAIRN_EINVAL);
	assert_code(
	        cairn_prediction_resolve(f->st, 6, 1, "2026-04-01", NULL, &err),
	        CAIRN_EINVAL);
	assert_code(cairn_prediction_resolve(f->st, 6, 2, NULL, NULL, &err),
	            CAIRN_EINVAL);
	cairn_prediction_init(&pr);
	pr.statement = xstrdup("x");
	pr.p = 1.5;
	assert_code(cairn_prediction_add(f->st, &pr, &err), CAIRN_EINVAL);
	pr.p = 0.5;
	pr.item = 42;
	assert_code(cairn_prediction_add(f->st, &pr, &err), CAIRN_ENOTFOUND);
	pr.item = 0;
	snprintf(pr.due, sizeof(pr.due), "2026-13-01");
	assert_code(cairn_prediction_add(f->st, &pr, &err), CAIRN_EINVAL);
	cairn_prediction_release(&pr);
	db_dump_data(f->path, &after);
	assert_string_equal(before.buf, after.buf);
	buf_release(&before);
	buf_release(&after);

	/* An unknown person is named as such, with the known ones. */
	q.who = "Carol";
	assert_code(cairn_calibration_compute(f->st, &q, &c, &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no predictions about 'Carol'; they are "
	                             "about Alice, Bob");
	q.who = NULL;

	/* Edits: only while open, the whole checked, one row written. */
	assert_ok(cairn_prediction_get(f->st, 6, &pr, &err), &err);
	assert_ok(cairn_prediction_parse_field(&pr, "p", "70%", &err), &err);
	assert_ok(cairn_prediction_parse_field(&pr, "due", "none", &err), &err);
	assert_ok(cairn_prediction_parse_field(&pr, "who", "Carol", &err),
	          &err);
	assert_code(cairn_prediction_parse_field(&pr, "p", "1.5", &err),
	            CAIRN_EINVAL);
	assert_code(cairn_prediction_parse_field(&pr, "outcome", "1", &err),
	            CAIRN_ENOTFOUND);
	assert_ok(cairn_prediction_update(f->st, &pr, &err), &err);
	cairn_prediction_release(&pr);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM prediction "
	                                 "WHERE id = 6 AND p = 0.7 AND due IS "
	                                 "NULL AND who = 'Carol' AND outcome "
	                                 "IS NULL"),
	                 1);
	assert_ok(cairn_prediction_get(f->st, 1, &pr, &err), &err);
	pr.p = 0.1;
	assert_code(cairn_prediction_update(f->st, &pr, &err), CAIRN_ESTATE);
	cairn_prediction_release(&pr);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM prediction "
	                                 "WHERE id = 1 AND p = 0.1"),
	                 0);
	/* Undo takes the edit back. */
	assert_ok(cairn_undo(f->st, 1, NULL, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM prediction "
	                                 "WHERE id = 6 AND p = 0.5 AND due = "
	                                 "'2026-03-01' AND who = 'alice'"),
	                 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_scores),
	        cmocka_unit_test(test_parse),
	        cmocka_unit_test_setup_teardown(test_store, fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
