/*
 * test-timelog.c: the duration parser, logging time, the focus setting,
 * the focus report (main project, exploration, rest; WIP; the attention
 * forecast) and the goal-/idea-driven split.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
ok_duration(const char *s, int want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	int m = -1;

	assert_ok(cairn_duration_parse(s, &m, &err), &err);
	if (m != want)
		fail_msg("'%s' parsed as %d minutes, want %d", s, m, want);
}

static void
bad_duration(const char *s)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	int m = -1;

	assert_code(cairn_duration_parse(s, &m, &err), CAIRN_EINVAL);
	assert_int_equal(m, -1);
	assert_non_null(strstr(err.msg, s ? s : ""));
}

static void
test_duration(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char out[32];
	int m;

	(void)state;
	ok_duration("90m", 90);
	ok_duration("1.5h", 90);
	ok_duration("2h30m", 150);
	ok_duration("2h", 120);
	ok_duration("45min", 45);
	ok_duration("1hr", 60);
	ok_duration("3hours", 180);
	ok_duration("0.25h", 15);
	ok_duration("1h5m", 65);
	ok_duration("24h", 1440);
	ok_duration("0.6m", 1);
	bad_duration("3x");
	bad_duration("90");
	bad_duration("h");
	bad_duration("1.h");
	bad_duration(".5h");
	bad_duration("2h90m");
	bad_duration("30m2h");
	bad_duration("1h 30m");
	bad_duration("-1h");
	bad_duration("1e2m");
	bad_duration("");
	bad_duration("0m");
	bad_duration("25h");
	assert_code(cairn_duration_parse("3x", &m, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed duration '3x' (want minutes or "
	                             "hours like 90m, 1.5h or 2h30m)");
	assert_code(cairn_duration_parse("25h", &m, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "duration '25h' is more than 24 hours; "
	                             "log each day on its own");
	cairn_duration_format(45, out);
	assert_string_equal(out, "45m");
	cairn_duration_format(120, out);
	assert_string_equal(out, "2h");
	cairn_duration_format(150, out);
	assert_string_equal(out, "2h30m");
	cairn_duration_format(605, out);
	assert_string_equal(out, "10h05m");
}

static void
test_log(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);

	assert_ok(cairn_time_log(f->st, g, NULL, 90, "reading", NULL, &err),
	          &err);
	assert_ok(cairn_time_log(f->st, g, "2026-03-01", 30, NULL, NULL, &err),
	          &err);
	assert_int_equal(db_int(f->path, "SELECT sum(minutes) FROM time_entry"),
	                 120);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM time_entry "
	                                 "WHERE date = '2026-03-15'"),
	                 1);
	db_dump_data(f->path, &before);
	assert_code(cairn_time_log(f->st, 9, NULL, 30, NULL, NULL, &err),
	            CAIRN_ENOTFOUND);
	assert_code(
	        cairn_time_log(f->st, g, "2026-03-16", 30, NULL, NULL, &err),
	        CAIRN_EINVAL);
	assert_code(
	        cairn_time_log(f->st, g, "03/01/2026", 30, NULL, NULL, &err),
	        CAIRN_EINVAL);
	assert_code(cairn_time_log(f->st, g, NULL, 0, NULL, NULL, &err),
	            CAIRN_EINVAL);
	assert_code(cairn_time_log(f->st, g, NULL, 1441, NULL, NULL, &err),
	            CAIRN_EINVAL);
	db_dump_data(f->path, &after);
	assert_string_equal(before.buf, after.buf);
	buf_release(&before);
	buf_release(&after);
}

/*
 * Main goal A (likelihood 0.9) with a milestone; goal B (0.5, idea-driven)
 * with a question below it; goal C (0.1); an idea; an item tagged explore
 * under C.
 */
static void
test_focus(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_focus fs;
	struct cairn_focus_report r;
	struct cairn_driven_report d;
	int64_t a = unit_add(f->st, CAIRN_KIND_GOAL, "A", 0);
	int64_t a1 = unit_add(f->st, CAIRN_KIND_MILESTONE, "A1", a);
	int64_t b = unit_add(f->st, CAIRN_KIND_GOAL, "B", 0);
	int64_t bq = unit_add(f->st, CAIRN_KIND_QUESTION, "B?", b);
	int64_t c = unit_add(f->st, CAIRN_KIND_GOAL, "C", 0);
	int64_t c1 = unit_add(f->st, CAIRN_KIND_MILESTONE, "C1", c);
	int64_t idea = unit_add(f->st, CAIRN_KIND_IDEA, "I", 0);

	assert_ok(cairn_item_set(f->st, a, "likelihood", "0.9", &err), &err);
	assert_ok(cairn_item_set(f->st, b, "likelihood", "0.5", &err), &err);
	assert_ok(cairn_item_set(f->st, c, "likelihood", "0.1", &err), &err);
	assert_ok(cairn_item_set(f->st, a, "driven", "goal", &err), &err);
	assert_ok(cairn_item_set(f->st, b, "driven", "idea", &err), &err);
	assert_ok(cairn_item_tag(f->st, c1, "explore", 1, &err), &err);
	assert_ok(cairn_item_set_status(f->st, a1, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	assert_ok(cairn_item_set_status(f->st, c1, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	assert_ok(cairn_item_set_status(f->st, b, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);

	assert_ok(cairn_focus_get(f->st, &fs, &err), &err);
	assert_false(fs.is_set);
	assert_int_equal(fs.wip, CAIRN_FOCUS_WIP);
	assert_ok(cairn_focus_set(f->st, a, 0.25, 2, &err), &err);
	assert_ok(cairn_focus_get(f->st, &fs, &err), &err);
	assert_int_equal(fs.main, a);
	assert_int_equal(fs.wip, 2);
	assert_true(fabs(fs.explore - 0.25) < 1e-12);
	assert_code(cairn_focus_set(f->st, 99, -1, 0, &err), CAIRN_ENOTFOUND);
	assert_code(cairn_focus_set(f->st, a, 1.5, 0, &err), CAIRN_EINVAL);

	/* 6h on A's milestone, 2h on B's question (exploration), 1h on
	 * C's explore-tagged milestone, 30m on the idea, 1h on C; one
	 * entry before the period. */
	assert_ok(
	        cairn_time_log(f->st, a1, "2026-03-10", 360, NULL, NULL, &err),
	        &err);
	assert_ok(
	        cairn_time_log(f->st, bq, "2026-03-11", 120, NULL, NULL, &err),
	        &err);
	assert_ok(cairn_time_log(f->st, c1, "2026-03-12", 60, NULL, NULL, &err),
	          &err);
	assert_ok(
	        cairn_time_log(f->st, idea, "2026-03-13", 30, NULL, NULL, &err),
	        &err);
	assert_ok(cairn_time_log(f->st, c, "2026-03-14", 60, NULL, NULL, &err),
	          &err);
	assert_ok(cairn_time_log(f->st, b, "2026-01-01", 600, NULL, NULL, &err),
	          &err);

	assert_ok(
	        cairn_focus_report(f->st, "2026-02-16", "2026-03-15", &r, &err),
	        &err);
	assert_int_equal(r.total_minutes, 630);
	assert_int_equal(r.main_minutes, 360);
	assert_int_equal(r.explore_minutes, 210);
	assert_int_equal(r.rest_minutes, 60);
	assert_int_equal(r.active, 3);
	assert_string_equal(r.main_title, "A");
	/* Goals by likelihood: A 360, B 120, C 120; 30m under no goal. */
	assert_int_equal(r.ngoals, 3);
	assert_int_equal(r.goals[0].id, a);
	assert_int_equal(r.goals[0].minutes, 360);
	assert_int_equal(r.goals[1].id, b);
	assert_int_equal(r.goals[1].minutes, 120);
	assert_int_equal(r.goals[2].minutes, 120);
	assert_int_equal(r.goal_minutes, 600);
	assert_int_equal(r.other_minutes, 30);
	assert_true(fabs(r.goals[0].expected - 0.9 / 1.5) < 1e-12);
	assert_true(fabs(r.goals[0].share - 0.6) < 1e-12);
	/* Ranks: likelihood 3,2,1 against time 3,1.5,1.5: rho = 0.866. */
	assert_true(r.has_rho);
	assert_true(fabs(r.rho - sqrt(3) / 2) < 1e-9);
	cairn_focus_report_release(&r);
	assert_code(
	        cairn_focus_report(f->st, "2026-03-15", "2026-03-01", &r, &err),
	        CAIRN_EINVAL);

	assert_ok(cairn_driven_report(f->st, "2026-02-16", "2026-03-15", &d,
	                              &err),
	          &err);
	assert_int_equal(d.goals[CAIRN_SPLIT_GOAL], 1);
	assert_int_equal(d.goals[CAIRN_SPLIT_IDEA], 1);
	assert_int_equal(d.goals[CAIRN_SPLIT_UNSET], 1);
	assert_int_equal(d.active[CAIRN_SPLIT_GOAL], 1);
	assert_int_equal(d.active[CAIRN_SPLIT_IDEA], 1);
	assert_int_equal(d.active[CAIRN_SPLIT_UNSET], 1);
	assert_int_equal(d.minutes[CAIRN_SPLIT_GOAL], 360);
	assert_int_equal(d.minutes[CAIRN_SPLIT_IDEA], 120);
	assert_int_equal(d.minutes[CAIRN_SPLIT_UNSET], 150);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_duration),
	        cmocka_unit_test_setup_teardown(test_log, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_focus, fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
