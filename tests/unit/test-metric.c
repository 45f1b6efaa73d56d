/*
 * test-metric.c: metric progress in both directions, adding metrics and
 * logging observations out of date order, and the errors: unknown item or
 * metric, a target on the wrong side, a duplicate name, a future date.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* cmocka's assert_float_equal works in float: compare doubles here. */
#define assert_near(a, b, eps)                                                 \
	do {                                                                   \
		double a_ = (a), b_ = (b);                                     \
		if (!(fabs(a_ - b_) <= (eps)))                                 \
			fail_msg("%s is %.17g, want %.17g", #a, a_, b_);       \
	} while (0)

static void
test_progress(void **state)
{
	(void)state;
	/* Lower is better: $7,000 -> $100, $3,500 logged is 50.7%. */
	assert_near(cairn_metric_progress(7000, 100, 3500),
	            3500.0 / 6900.0 * 100, 1e-9);
	assert_near(cairn_metric_progress(7000, 100, 3500), 50.7246, 1e-4);
	assert_near(cairn_metric_progress(7000, 100, 7000), 0, 1e-12);
	assert_near(cairn_metric_progress(7000, 100, 100), 100, 1e-12);
	/* Worse than the baseline is negative, past the target above 100. */
	assert_near(cairn_metric_progress(7000, 100, 7690), -10, 1e-9);
	assert_near(cairn_metric_progress(7000, 100, 0), 7000.0 / 6900.0 * 100,
	            1e-9);
	/* Higher is better: 72 -> 79.6 GLUE points. */
	assert_near(cairn_metric_progress(72, 79.6, 75.8), 50, 1e-9);
	assert_near(cairn_metric_progress(0.7, 0.8, 0.79), 90, 1e-9);
	assert_near(cairn_metric_progress(4, 10, 5.2), 20, 1e-9);
	/* Degenerate: no way to go. */
	assert_near(cairn_metric_progress(5, 5, 7), 0, 0);
}

struct obs {
	struct buf dates;
	int n;
};

static int
collect(void *ctx, const struct cairn_observation *o)
{
	struct obs *s = ctx;

	buf_addf(&s->dates, "%s=%g ", o->date, o->value);
	s->n++;
	return 0;
}

static void
test_add_log(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_metric m;
	struct obs s = {BUF_INIT, 0};
	int64_t goal = unit_add(f->st, CAIRN_KIND_GOAL, "BERT for $100", 0);
	int64_t id = 0;

	assert_ok(cairn_metric_add(f->st, goal, "cost", "USD", 7000, 100, 1,
	                           &id, &err),
	          &err);
	assert_true(id > 0);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 5200, "2026-01-15",
	                           "https://example.org/run", NULL, &err),
	          &err);
	/* Logged later, dated earlier: the latest by date still wins. */
	assert_ok(cairn_metric_log(f->st, goal, "cost", 3500, "2026-02-01",
	                           NULL, "one node", &err),
	          &err);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 6100, "2025-12-01",
	                           NULL, NULL, &err),
	          &err);
	assert_ok(cairn_metric_get(f->st, goal, "cost", &m, &err), &err);
	assert_int_equal(m.count, 3);
	assert_true(m.has_latest);
	assert_near(m.latest, 3500, 0);
	assert_string_equal(m.latest_date, "2026-02-01");
	assert_true(m.lower_better);
	assert_string_equal(m.unit, "USD");
	{
		json_t *j = cairn_metric_json(&m);

		assert_near(json_real_value(json_object_get(j, "progress")),
		            50.7246376811594, 1e-9);
		assert_string_equal(
		        json_string_value(json_object_get(j, "direction")),
		        "lower");
		json_decref(j);
	}
	assert_ok(cairn_metric_observations(f->st, m.id, collect, &s, &err),
	          &err);
	assert_string_equal(s.dates.buf,
	                    "2025-12-01=6100 2026-01-15=5200 2026-02-01=3500 ");
	cairn_metric_release(&m);
	buf_release(&s.dates);
	/* Without a date: today by the cairn clock. */
	assert_ok(cairn_metric_log(f->st, goal, "cost", 3000, NULL, NULL, NULL,
	                           &err),
	          &err);
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM observation "
	                        "WHERE date = '2026-03-15' AND item = "
	                        "%lld",
	                        (long long)goal),
	                 1);
	/* Higher is better. */
	assert_ok(cairn_metric_add(f->st, goal, "glue", NULL, 72, 79.6, 0, NULL,
	                           &err),
	          &err);
	assert_ok(cairn_metric_get(f->st, goal, "glue", &m, &err), &err);
	assert_false(m.has_latest);
	assert_string_equal(m.unit, "");
	cairn_metric_release(&m);
}

static void
test_errors(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t goal = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);

	assert_ok(cairn_metric_add(f->st, goal, "cost", "USD", 7000, 100, 1,
	                           NULL, &err),
	          &err);
	db_dump_data(f->path, &before);
	assert_code(cairn_metric_log(f->st, goal, "costs", 1, NULL, NULL, NULL,
	                             &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "#1 has no metric 'costs'");
	assert_code(
	        cairn_metric_log(f->st, 99, "cost", 1, NULL, NULL, NULL, &err),
	        CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #99");
	assert_code(cairn_metric_add(f->st, goal, "cost", "USD", 1, 2, 0, NULL,
	                             &err),
	            CAIRN_EEXIST);
	assert_code(cairn_metric_add(f->st, goal, "x", NULL, 7000, 100, 0, NULL,
	                             &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg, "metric 'x': target 100 is below baseline "
	                             "7000 but the metric is not marked "
	                             "lower-is-better");
	assert_code(
	        cairn_metric_add(f->st, goal, "y", NULL, 1, 2, 1, NULL, &err),
	        CAIRN_EINVAL);
	assert_code(
	        cairn_metric_add(f->st, goal, "z", NULL, 5, 5, 0, NULL, &err),
	        CAIRN_EINVAL);
	assert_code(
	        cairn_metric_add(f->st, goal, "", NULL, 1, 2, 0, NULL, &err),
	        CAIRN_EINVAL);
	assert_code(
	        cairn_metric_add(f->st, goal, "n", NULL, NAN, 2, 0, NULL, &err),
	        CAIRN_EINVAL);
	assert_code(cairn_metric_log(f->st, goal, "cost", 1, "2026-02-30", NULL,
	                             NULL, &err),
	            CAIRN_EINVAL);
	assert_code(cairn_metric_log(f->st, goal, "cost", 1, "2026-03-16", NULL,
	                             NULL, &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg, "date '2026-03-16' is in the future "
	                             "(today is 2026-03-15)");
	assert_code(cairn_metric_log(f->st, goal, "cost", INFINITY, NULL, NULL,
	                             NULL, &err),
	            CAIRN_EINVAL);
	db_dump_data(f->path, &after);
	assert_string_equal(before.buf, after.buf);
	assert_code(cairn_metric_each(f->st, goal, "nope", NULL, NULL, &err),
	            CAIRN_ENOTFOUND);
	buf_release(&before);
	buf_release(&after);
}

static void
test_undo(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t goal = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);

	assert_ok(cairn_metric_add(f->st, goal, "cost", NULL, 10, 1, 1, NULL,
	                           &err),
	          &err);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 5, NULL, NULL, NULL,
	                           &err),
	          &err);
	/* Journalled under the goal, undone like anything else. */
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM event WHERE "
	                        "entity = 'observation' AND item = "
	                        "%lld",
	                        (long long)goal),
	                 1);
	assert_ok(cairn_undo(f->st, 1, NULL, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM observation"),
	                 0);
	/* Removing the goal takes its metrics; undo brings them back. */
	assert_ok(cairn_item_remove(f->st, goal, 0, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM metric"), 0);
	assert_ok(cairn_undo(f->st, 1, NULL, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM metric"), 1);
}

/* set and rm: the whole metric checked, observations kept or removed. */
static void
test_set_rm(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_metric m;
	int64_t goal = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	int n = -1;

	/* The pure check: the rules of add, without a store. */
	assert_ok(cairn_metric_check("cost", "USD", 7000, 100, 1, &err), &err);
	assert_code(cairn_metric_check("cost", "USD", 7000, 100, 0, &err),
	            CAIRN_EINVAL);
	assert_code(cairn_metric_check("", NULL, 1, 2, 0, &err), CAIRN_EINVAL);
	assert_code(cairn_metric_check("x", NULL, 2, 2, 0, &err), CAIRN_EINVAL);

	assert_ok(cairn_metric_add(f->st, goal, "cost", "USD", 7000, 100, 1,
	                           NULL, &err),
	          &err);
	assert_ok(cairn_metric_add(f->st, goal, "glue", NULL, 72, 80, 0, NULL,
	                           &err),
	          &err);
	assert_ok(cairn_metric_log(f->st, goal, "cost", 3500, NULL, NULL, NULL,
	                           &err),
	          &err);
	assert_ok(cairn_metric_get(f->st, goal, "cost", &m, &err), &err);
	assert_ok(cairn_metric_parse_field(&m, "target", "50", &err), &err);
	assert_ok(cairn_metric_parse_field(&m, "unit", "none", &err), &err);
	assert_ok(cairn_metric_parse_field(&m, "name", "price", &err), &err);
	assert_code(cairn_metric_parse_field(&m, "target", "0x10", &err),
	            CAIRN_EINVAL);
	assert_code(cairn_metric_parse_field(&m, "colour", "red", &err),
	            CAIRN_ENOTFOUND);
	assert_ok(cairn_metric_update(f->st, goal, "cost", &m, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM metric WHERE "
	                                 "name = 'price' AND unit = '' AND "
	                                 "target = 50 AND lower_better = 1"),
	                 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM observation"),
	                 1);
	/* A direction the target contradicts, and a name taken. */
	assert_ok(cairn_metric_parse_field(&m, "direction", "higher", &err),
	          &err);
	assert_code(cairn_metric_update(f->st, goal, "price", &m, &err),
	            CAIRN_EINVAL);
	assert_ok(cairn_metric_parse_field(&m, "direction", "lower", &err),
	          &err);
	assert_ok(cairn_metric_parse_field(&m, "name", "glue", &err), &err);
	assert_code(cairn_metric_update(f->st, goal, "price", &m, &err),
	            CAIRN_EEXIST);
	cairn_metric_release(&m);

	assert_ok(cairn_metric_remove(f->st, goal, "price", &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM metric"), 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM observation"),
	                 0);
	assert_code(cairn_metric_remove(f->st, goal, "price", NULL, &err),
	            CAIRN_ENOTFOUND);
	/* Undo brings the metric back with its observation. */
	assert_ok(cairn_undo(f->st, 1, NULL, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM metric WHERE "
	                                 "name = 'price'"),
	                 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM observation"),
	                 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_progress),
	        cmocka_unit_test_setup_teardown(test_add_log, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_errors, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_undo, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_set_rm, fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
