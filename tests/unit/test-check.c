/*
 * test-check.c: the roadmap linter's rules that read the research
 * entities: wip (active items against the focus setting's limit),
 * no-metric (goals with no metric), no-prior-work accepting a required
 * paper, and each switched off through the store setting check.RULE.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct seen {
	struct buf lines; /* "ID RULE: MESSAGE | HINT" per finding */
	const char *only; /* keep this rule's findings, NULL: all */
};

static int
collect(void *ctx, const struct cairn_finding *f)
{
	struct seen *s = ctx;

	if (s->only && strcmp(s->only, f->rule))
		return 0;
	buf_addf(&s->lines, "%lld %s: %s | %s\n", (long long)f->item, f->rule,
	         f->message, f->hint);
	return 0;
}

/* The findings of rule (NULL: all) into a fresh string (freed by the
 * caller), the same from the linter's scope as from the whole store. */
static char *
findings(struct cairn_store *st, const char *rule)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope sc;
	struct seen s = {BUF_INIT, rule}, lean = {BUF_INIT, rule};

	assert_ok(cairn_roadmap_load(st, &rm, &err), &err);
	assert_ok(cairn_check_run(&rm, collect, &s, NULL, &err), &err);
	cairn_roadmap_release(&rm);
	cairn_check_scope(&sc);
	assert_ok(cairn_roadmap_load_scope(st, &sc, &rm, &err), &err);
	assert_ok(cairn_check_run(&rm, collect, &lean, NULL, &err), &err);
	cairn_roadmap_release(&rm);
	assert_string_equal(lean.lines.buf, s.lines.buf);
	buf_release(&lean.lines);
	return buf_detach(&s.lines, NULL);
}

static void
expect_findings(struct cairn_store *st, const char *rule, const char *want)
{
	char *got = findings(st, rule);

	if (strcmp(got, want))
		fail_msg("findings of %s:\n%s\nwant:\n%s", rule ? rule : "all",
		         got, want);
	free(got);
}

static void
setting(struct cairn_store *st, const char *key, const char *value)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_store_begin(st, "test setting", &err), &err);
	assert_ok(cairn_setting_set(st, key, value, &err), &err);
	assert_ok(cairn_store_commit(st, &err), &err);
}

static void
start(struct cairn_store *st, int64_t id)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(
	        cairn_item_set_status(st, id, CAIRN_STATUS_ACTIVE, NULL, &err),
	        &err);
}

static void
test_wip(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t g, m[4], idea;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	for (int k = 0; k < 4; k++)
		m[k] = unit_add(f->st, CAIRN_KIND_MILESTONE, "M", g);
	idea = unit_add(f->st, CAIRN_KIND_IDEA, "An idea", 0);

	/* Three active (an active idea aside) is the default limit. */
	start(f->st, g);
	start(f->st, m[0]);
	start(f->st, m[1]);
	start(f->st, idea);
	expect_findings(f->st, "wip", "");

	start(f->st, m[2]);
	expect_findings(
	        f->st, "wip",
	        "0 wip: 4 items are active (#1, #2, #3, #4), more than the "
	        "WIP limit of 3 | finish or pause some (cairn pause ID), or "
	        "raise the limit (cairn focus set MAIN_ID --wip N)\n");

	/* The limit comes from the focus setting. */
	assert_ok(cairn_focus_set(f->st, g, -1, 4, &err), &err);
	expect_findings(f->st, "wip", "");
	start(f->st, m[3]);
	expect_findings(
	        f->st, "wip",
	        "0 wip: 5 items are active (#1, #2, #3, #4, #5), more than "
	        "the WIP limit of 4 | finish or pause some (cairn pause ID), "
	        "or raise the limit (cairn focus set 1 --wip 5)\n");

	setting(f->st, "check.wip", "off");
	expect_findings(f->st, "wip", "");
}

/*
 * The linter reads only the snapshot: with the store closed after
 * loading, the settings (a rule off, the WIP limit) still apply.
 */
static void
test_no_store(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct seen s = {BUF_INIT, NULL};
	int64_t g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);

	for (int k = 0; k < 3; k++)
		start(f->st, unit_add(f->st, CAIRN_KIND_MILESTONE, "M", g));
	assert_ok(cairn_focus_set(f->st, g, -1, 2, &err), &err);
	setting(f->st, "check.no-metric", "off");
	setting(f->st, "check.no-prior-work", "off");
	setting(f->st, "check.no-estimate", "off");
	assert_ok(cairn_roadmap_load(f->st, &rm, &err), &err);
	cairn_store_free(f->st);
	f->st = NULL;
	assert_ok(cairn_check_run(&rm, collect, &s, NULL, &err), &err);
	assert_string_equal(
	        s.lines.buf,
	        "0 wip: 3 items are active (#2, #3, #4), more than the WIP "
	        "limit of 2 | finish or pause some (cairn pause ID), or raise "
	        "the limit (cairn focus set 1 --wip 3)\n");
	buf_release(&s.lines);
	cairn_roadmap_release(&rm);
}

static void
test_wip_many(void **state)
{
	struct fixture *f = *state;
	int64_t g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	char *got;

	for (int k = 0; k < 12; k++)
		start(f->st, unit_add(f->st, CAIRN_KIND_MILESTONE, "M", g));
	got = findings(f->st, "wip");
	assert_non_null(strstr(got, "12 items are active (#2, #3, #4, #5, "
	                            "#6, #7, #8, #9, #10, #11 and 2 more)"));
	free(got);
}

static void
test_no_metric(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t g, sub, h, m, done, dropped;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "Measured through a sub-goal", 0);
	sub = unit_add(f->st, CAIRN_KIND_GOAL, "Sub-goal", g);
	h = unit_add(f->st, CAIRN_KIND_GOAL, "Only a milestone measured", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "M", h);
	done = unit_add(f->st, CAIRN_KIND_GOAL, "Done goal", 0);
	dropped = unit_add(f->st, CAIRN_KIND_GOAL, "Dropped goal", 0);
	assert_ok(cairn_item_set_status(f->st, done, CAIRN_STATUS_DONE, NULL,
	                                &err),
	          &err);
	assert_ok(cairn_item_set_status(f->st, dropped, CAIRN_STATUS_DROPPED,
	                                "no", &err),
	          &err);

	/* Open goals only, in item order. */
	expect_findings(f->st, "no-metric",
	                "1 no-metric: goal has no metric (a key result that "
	                "shows how far it has come) | cairn metric add 1 NAME "
	                "--unit U --baseline B --target T\n"
	                "2 no-metric: goal has no metric (a key result that "
	                "shows how far it has come) | cairn metric add 2 NAME "
	                "--unit U --baseline B --target T\n"
	                "3 no-metric: goal has no metric (a key result that "
	                "shows how far it has come) | cairn metric add 3 NAME "
	                "--unit U --baseline B --target T\n");

	/* The sub-goal's metric measures both; a milestone's does not
	 * measure its goal. */
	assert_ok(cairn_metric_add(f->st, sub, "bits", "bits", 32, 4, 1, NULL,
	                           &err),
	          &err);
	assert_ok(
	        cairn_metric_add(f->st, m, "accuracy", "", 0, 1, 0, NULL, &err),
	        &err);
	expect_findings(f->st, "no-metric",
	                "3 no-metric: goal has no metric (a key result that "
	                "shows how far it has come) | cairn metric add 3 NAME "
	                "--unit U --baseline B --target T\n");
	assert_ok(cairn_metric_add(f->st, h, "cost", "$", 7000, 100, 1, NULL,
	                           &err),
	          &err);
	expect_findings(f->st, "no-metric", "");

	/* Off, whatever is missing. */
	unit_add(f->st, CAIRN_KIND_GOAL, "New goal", 0);
	expect_findings(f->st, "no-metric",
	                "7 no-metric: goal has no metric (a key result that "
	                "shows how far it has come) | cairn metric add 7 NAME "
	                "--unit U --baseline B --target T\n");
	setting(f->st, "check.no-metric", "off");
	expect_findings(f->st, "no-metric", "");
}

static void
test_prior_work_paper(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_paper p;
	int64_t g, h, m, d;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "G", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "Prove it", g);
	h = unit_add(f->st, CAIRN_KIND_GOAL, "H", 0);
	d = unit_add(f->st, CAIRN_KIND_MILESTONE, "Dropped", h);
	cairn_paper_init(&p);
	p.key = xstrdup("arora2018");
	p.title = xstrdup("Stronger generalization bounds");
	assert_ok(cairn_paper_add(f->st, &p, &err), &err);
	cairn_paper_release(&p);
	expect_findings(f->st, "no-prior-work",
	                "1 no-prior-work: goal has no prior-work milestone or "
	                "required paper (reading, or replicating a paper on "
	                "the way to the state of the art) | add one first: "
	                "cairn add milestone 'Replicate ...' --under 1 --tag "
	                "prior-work, or cairn paper link KEY 1\n"
	                "3 no-prior-work: goal has no prior-work milestone or "
	                "required paper (reading, or replicating a paper on "
	                "the way to the state of the art) | add one first: "
	                "cairn add milestone 'Replicate ...' --under 3 --tag "
	                "prior-work, or cairn paper link KEY 3\n");

	/* A paper a milestone below requires counts, read or not; so does
	 * one the goal itself requires; not one of dropped work. */
	assert_ok(cairn_paper_link(f->st, "arora2018", m, &err), &err);
	assert_ok(cairn_paper_link(f->st, "arora2018", d, &err), &err);
	assert_ok(cairn_item_set_status(f->st, d, CAIRN_STATUS_DROPPED,
	                                "no time", &err),
	          &err);
	expect_findings(f->st, "no-prior-work",
	                "3 no-prior-work: goal has no prior-work milestone or "
	                "required paper (reading, or replicating a paper on "
	                "the way to the state of the art) | add one first: "
	                "cairn add milestone 'Replicate ...' --under 3 --tag "
	                "prior-work, or cairn paper link KEY 3\n");
	assert_ok(cairn_paper_link(f->st, "arora2018", h, &err), &err);
	expect_findings(f->st, "no-prior-work", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_wip, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_no_store, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_wip_many, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_no_metric, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_prior_work_paper, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
