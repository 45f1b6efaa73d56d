/*
 * test-item-check.c: the pure parsers and validators every path shares
 * (the CLI, the importers, later the web UI): field values, estimates,
 * numbers, and the item, link and note checks.  None opens a store.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* Parsing value into field of a fresh item must fail with code and msg. */
static void
expect_parse_fails(const char *field, const char *value, int code,
                   const char *msg)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	int rc;

	cairn_item_init(&it);
	rc = cairn_item_parse_field(&it, field, value, &err);
	if (rc != code)
		fail_msg("%s=%s returned %d, want %d", field,
		         value ? value : "(null)", rc, code);
	if (msg)
		assert_string_equal(err.msg, msg);
	cairn_item_release(&it);
}

static void
test_parse_field(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;

	(void)state;
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	cairn_item_init(&it);

	expect_parse_fails("scope", "0", CAIRN_EINVAL,
	                   "scope must be a whole number from 1 to 5, not '0'");
	expect_parse_fails("scope", "6", CAIRN_EINVAL, NULL);
	expect_parse_fails("scope", "2.5", CAIRN_EINVAL, NULL);
	expect_parse_fails("novelty", "9", CAIRN_EINVAL, NULL);
	expect_parse_fails("p_success", "1.5", CAIRN_EINVAL,
	                   "p_success must be a probability between 0 and 1, "
	                   "not '1.5'");
	expect_parse_fails("p-success", "-0.1", CAIRN_EINVAL, NULL);
	expect_parse_fails("p_success", "abc", CAIRN_EINVAL, NULL);
	expect_parse_fails("p_success", " 0.5", CAIRN_EINVAL, NULL);
	expect_parse_fails("p_success", "nan", CAIRN_EINVAL, NULL);
	expect_parse_fails("likelihood", "150%", CAIRN_EINVAL, NULL);
	expect_parse_fails("estimate", "10/5/20", CAIRN_EINVAL,
	                   "estimate '10/5/20' must be optimistic <= likely "
	                   "<= pessimistic");
	expect_parse_fails("estimate", "5/10", CAIRN_EINVAL,
	                   "malformed estimate '5/10' (want working days as "
	                   "O/M/P, like 5/10/20)");
	expect_parse_fails("estimate", "1/2/3/4", CAIRN_EINVAL, NULL);
	expect_parse_fails("estimate", "-1/2/3", CAIRN_EINVAL, NULL);
	expect_parse_fails("estimate", "a/b/c", CAIRN_EINVAL, NULL);
	expect_parse_fails("estimate", "5//20", CAIRN_EINVAL, NULL);
	expect_parse_fails("due", "2026-02-30", CAIRN_EINVAL, NULL);
	expect_parse_fails("due", "soon", CAIRN_EINVAL, NULL);
	expect_parse_fails("kind", "project", CAIRN_EINVAL,
	                   "unknown kind 'project' (want goal, milestone, "
	                   "question or idea)");
	expect_parse_fails("driven", "both", CAIRN_EINVAL, NULL);
	expect_parse_fails("visibility", "secret", CAIRN_EINVAL, NULL);
	expect_parse_fails("visibility", "", CAIRN_EINVAL, NULL);
	expect_parse_fails("status", "finished", CAIRN_EINVAL, NULL);
	expect_parse_fails("status", "dropped", CAIRN_EINVAL,
	                   "dropping needs a reason: use 'drop ID --why "
	                   "TEXT'");
	expect_parse_fails("title", "", CAIRN_EINVAL,
	                   "title must not be empty");
	expect_parse_fails("colour", "red", CAIRN_ENOTFOUND, NULL);
	expect_parse_fails(NULL, "red", CAIRN_ENOTFOUND, NULL);
	{
		struct cairn_item tmp;

		cairn_item_init(&tmp);
		assert_code(cairn_item_parse_field(&tmp, "colour", "red", &err),
		            CAIRN_ENOTFOUND);
		assert_non_null(strstr(err.msg, "'colour'"));
		cairn_item_release(&tmp);
	}

	assert_ok(cairn_item_parse_field(&it, "title", "A title", &err), &err);
	assert_string_equal(it.title, "A title");
	assert_ok(cairn_item_parse_field(&it, "body", "", &err), &err);
	assert_string_equal(it.body, "");
	assert_ok(cairn_item_parse_field(&it, "kind", "question", &err), &err);
	assert_int_equal(it.kind, CAIRN_KIND_QUESTION);
	assert_ok(cairn_item_parse_field(&it, "scope", "3", &err), &err);
	assert_int_equal(it.scope, 3);
	assert_ok(cairn_item_parse_field(&it, "scope", "none", &err), &err);
	assert_int_equal(it.scope, 0);
	assert_ok(cairn_item_parse_field(&it, "novelty", "5", &err), &err);
	assert_int_equal(it.novelty, 5);
	assert_ok(cairn_item_parse_field(&it, "p-success", "0.25", &err), &err);
	assert_float_equal(it.p_success, 0.25, 1e-12);
	assert_ok(cairn_item_parse_field(&it, "p_success", "40%", &err), &err);
	assert_float_equal(it.p_success, 0.4, 1e-12);
	assert_ok(cairn_item_parse_field(&it, "p_success", "", &err), &err);
	assert_true(it.p_success < 0);
	assert_ok(cairn_item_parse_field(&it, "likelihood", "1", &err), &err);
	assert_float_equal(it.likelihood, 1, 1e-12);
	assert_ok(cairn_item_parse_field(&it, "estimate", "5/10/20", &err),
	          &err);
	assert_float_equal(it.est[0], 5, 1e-12);
	assert_float_equal(it.est[1], 10, 1e-12);
	assert_float_equal(it.est[2], 20, 1e-12);
	assert_ok(cairn_item_parse_field(&it, "estimate", "7", &err), &err);
	assert_float_equal(it.est[0], 7, 1e-12);
	assert_float_equal(it.est[1], 7, 1e-12);
	assert_float_equal(it.est[2], 7, 1e-12);
	assert_ok(cairn_item_parse_field(&it, "estimate", "none", &err), &err);
	assert_true(it.est[0] < 0 && it.est[1] < 0 && it.est[2] < 0);
	assert_ok(cairn_item_parse_field(&it, "due", "2026-04-01", &err), &err);
	assert_string_equal(it.due, "2026-04-01");
	assert_ok(cairn_item_parse_field(&it, "due", "+2w", &err), &err);
	assert_string_equal(it.due, "2026-03-29");
	assert_ok(cairn_item_parse_field(&it, "due", "none", &err), &err);
	assert_string_equal(it.due, "");
	assert_ok(cairn_item_parse_field(&it, "driven", "goal", &err), &err);
	assert_int_equal(it.driven, CAIRN_DRIVEN_GOAL);
	assert_ok(cairn_item_parse_field(&it, "driven", "", &err), &err);
	assert_int_equal(it.driven, CAIRN_DRIVEN_NONE);
	assert_ok(cairn_item_parse_field(&it, "visibility", "lab", &err), &err);
	assert_int_equal(it.visibility, CAIRN_VIS_LAB);
	assert_ok(cairn_item_parse_field(&it, "status", "paused", &err), &err);
	assert_int_equal(it.status, CAIRN_STATUS_PAUSED);
	cairn_item_release(&it);

	/* Every advertised field name is accepted. */
	for (int i = 0; cairn_item_fields[i]; i++) {
		static const char *const ok[][2] = {
		        {"title", "t"},
		        {"body", "b"},
		        {"kind", "goal"},
		        {"scope", "2"},
		        {"p_success", "0.5"},
		        {"novelty", "2"},
		        {"estimate", "1/2/3"},
		        {"due", "2026-05-01"},
		        {"likelihood", "0.5"},
		        {"driven", "idea"},
		        {"visibility", "public"},
		        {"status", "active"},
		        {"rank", "3"},
		};
		const char *value = NULL;

		for (size_t j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
			if (!strcmp(ok[j][0], cairn_item_fields[i]))
				value = ok[j][1];
		if (!value)
			fail_msg("field '%s' is not tested",
			         cairn_item_fields[i]);
		cairn_item_init(&it);
		assert_ok(cairn_item_parse_field(&it, cairn_item_fields[i],
		                                 value, &err),
		          &err);
		cairn_item_release(&it);
	}
}

static void
test_estimate_parse(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	double est[3] = {-1, -1, -1};

	(void)state;
	assert_ok(cairn_estimate_parse("0/0.5/1e3", est, &err), &err);
	assert_float_equal(est[0], 0, 1e-12);
	assert_float_equal(est[1], 0.5, 1e-12);
	assert_float_equal(est[2], 1000, 1e-12);
	assert_code(cairn_estimate_parse("20/10/5", est, &err), CAIRN_EINVAL);
	/* A refused estimate leaves the output alone. */
	assert_float_equal(est[0], 0, 1e-12);
	assert_float_equal(est[2], 1000, 1e-12);
	assert_code(cairn_estimate_parse("", est, &err), CAIRN_EINVAL);
	assert_code(cairn_estimate_parse(NULL, est, &err), CAIRN_EINVAL);
	assert_code(cairn_estimate_parse("5%/10/20", est, &err), CAIRN_EINVAL);
	assert_code(cairn_estimate_parse("inf", est, &err), CAIRN_EINVAL);
}

/* The one number parser: decimals only, a percent only when asked. */
static void
test_number_parse(void **state)
{
	double v = -7;

	(void)state;
	assert_int_equal(cairn_number_parse("0.25", 0, &v), 0);
	assert_float_equal(v, 0.25, 1e-12);
	assert_int_equal(cairn_number_parse("1e3", 0, &v), 0);
	assert_float_equal(v, 1000, 1e-12);
	assert_int_equal(cairn_number_parse("80%", 1, &v), 0);
	assert_float_equal(v, 0.8, 1e-12);
	v = -7;
	assert_int_equal(cairn_number_parse("80%", 0, &v), -1);
	assert_int_equal(cairn_number_parse("0x1", 0, &v), -1);
	assert_int_equal(cairn_number_parse("inf", 0, &v), -1);
	assert_int_equal(cairn_number_parse("nan", 1, &v), -1);
	assert_int_equal(cairn_number_parse(" 1", 0, &v), -1);
	assert_int_equal(cairn_number_parse("1 ", 0, &v), -1);
	assert_int_equal(cairn_number_parse("", 0, &v), -1);
	assert_int_equal(cairn_number_parse(NULL, 0, &v), -1);
	assert_int_equal(cairn_number_parse("1e999", 0, &v), -1);
	/* A refused number leaves the output alone. */
	assert_float_equal(v, -7, 1e-12);
}

/* The pure item validator the commands and every importer call. */
static void
test_item_check(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;

	(void)state;
	cairn_item_init(&it);
	it.title = xstrdup("A goal");
	assert_ok(cairn_item_check(&it, &err), &err);
	memcpy(it.due, "2026-02-29", 11);
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed due date '2026-02-29'");
	memcpy(it.due, "2028-02-29", 11);
	assert_ok(cairn_item_check(&it, &err), &err);
	memcpy(it.created, "2026-03-01 09:00", 17);
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	it.created[0] = '\0';
	memcpy(it.uuid, "not-a-uuid", 11);
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed uuid 'not-a-uuid'");
	it.uuid[0] = '\0';
	it.scope = 6;
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	it.scope = 0;
	it.est[0] = 1;
	it.est[1] = NAN;
	it.est[2] = 3;
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	it.est[0] = it.est[1] = it.est[2] = -1;
	it.status = CAIRN_STATUS_COUNT + 1;
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	it.status = CAIRN_STATUS_COUNT;
	free(it.why);
	it.why = xstrdup("two\nlines");
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	free(it.why);
	it.why = NULL;
	/* Blank is empty, as 'add' has it. */
	free(it.title);
	it.title = xstrdup("  ");
	assert_code(cairn_item_check(&it, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "title must not be empty");
	cairn_item_release(&it);
	assert_code(cairn_tag_check("a b", &err), CAIRN_EINVAL);
	assert_ok(cairn_tag_check("ok", &err), &err);
	assert_code(cairn_link_check("javascript:x", NULL, &err), CAIRN_EINVAL);
	assert_code(cairn_link_check("https://", NULL, &err), CAIRN_EINVAL);
	assert_ok(cairn_link_check("HTTPS://example.org", "a label", &err),
	          &err);
	assert_code(cairn_note_check(" \n", &err), CAIRN_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_field),
	        cmocka_unit_test(test_estimate_parse),
	        cmocka_unit_test(test_number_parse),
	        cmocka_unit_test(test_item_check),
	};

	return cmocka_run_group_tests_name("item-check", tests, NULL, NULL);
}
