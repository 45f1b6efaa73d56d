/*
 * test-item.c: items and their attachments: adding with every field and
 * with defaults, validation, setting fields, status changes and their time
 * stamps, removal, tags, links, notes, refinement, promotion and moves
 * (queries and the tree walk: test-query.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define T1 "2026-03-15T10:00:00Z" /* UNIT_NOW */
#define T2 "2026-03-16T11:00:00Z"
#define T3 "2026-03-17T12:00:00Z"
#define T4 "2026-03-18T13:00:00Z"
#define T5 "2026-03-19T14:00:00Z"

static void
at(const char *ts)
{
	setenv("CAIRN_NOW", ts, 1);
}

/* The whole store's data, for "left exactly as it was" checks. */
static void
snapshot(struct fixture *f, struct buf *out)
{
	buf_reset(out);
	db_dump_data(f->path, out);
	buf_addf(out, "changes %lld\n",
	         db_int(f->path, "SELECT count(*) FROM change"));
}

static void
assert_unchanged(struct fixture *f, const struct buf *before)
{
	struct buf now = BUF_INIT;

	snapshot(f, &now);
	assert_string_equal(now.buf, before->buf);
	buf_release(&now);
}

/* Collect entries as "text[=label]" lines. */
static int
collect_entry(void *ctx, const struct cairn_entry *e)
{
	struct buf *out = ctx;

	buf_adds(out, e->text);
	if (e->label)
		buf_addf(out, "=%s", e->label);
	buf_addch(out, '\n');
	return 0;
}

/* Collect entries as "time text" lines. */
static int
collect_dated(void *ctx, const struct cairn_entry *e)
{
	struct buf *out = ctx;

	buf_addf(out, "%s %s\n", e->time, e->text);
	return 0;
}

static int
is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!strchr("0123456789abcdef", s[i])) {
			return 0;
		}
	}
	return 1;
}

static void
test_names(void **state)
{
	(void)state;
	for (int k = 0; k < CAIRN_KIND_COUNT; k++)
		assert_int_equal(cairn_kind_parse(cairn_kind_name(k)), k);
	for (int s = 0; s < CAIRN_STATUS_COUNT; s++)
		assert_int_equal(cairn_status_parse(cairn_status_name(s)), s);
	assert_string_equal(cairn_kind_name(CAIRN_KIND_QUESTION), "question");
	assert_string_equal(cairn_status_name(CAIRN_STATUS_DROPPED), "dropped");
	assert_int_equal(cairn_kind_parse("project"), -1);
	assert_int_equal(cairn_kind_parse(NULL), -1);
	assert_int_equal(cairn_status_parse("Done"), -1);
	assert_null(cairn_driven_name(CAIRN_DRIVEN_NONE));
	assert_string_equal(cairn_driven_name(CAIRN_DRIVEN_IDEA), "idea");
	assert_int_equal(cairn_driven_parse("goal"), CAIRN_DRIVEN_GOAL);
	assert_int_equal(cairn_driven_parse("both"), -1);
	assert_string_equal(cairn_visibility_name(CAIRN_VIS_LAB), "lab");
	assert_int_equal(cairn_visibility_parse("public"), CAIRN_VIS_PUBLIC);
	assert_int_equal(cairn_visibility_parse("secret"), -1);
}

static void
test_id_parse(void **state)
{
	static const char *const bad[] = {"",
	                                  "#",
	                                  "0",
	                                  "#0",
	                                  "-3",
	                                  "12a",
	                                  "1 2",
	                                  " 12",
	                                  "##12",
	                                  "x",
	                                  "99999999999999999999",
	                                  NULL};
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t id = 0;

	(void)state;
	assert_ok(cairn_id_parse("12", &id, &err), &err);
	assert_int_equal(id, 12);
	assert_ok(cairn_id_parse("#7", &id, &err), &err);
	assert_int_equal(id, 7);
	for (int i = 0; bad[i]; i++) {
		id = 5;
		if (cairn_id_parse(bad[i], &id, &err) != CAIRN_EINVAL)
			fail_msg("id '%s' was accepted", bad[i]);
		assert_int_equal(id, 5);
	}
	assert_code(cairn_id_parse("abc", &id, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed item id 'abc' (want a number "
	                             "like 12 or #12)");
	assert_code(cairn_id_parse(NULL, &id, &err), CAIRN_EINVAL);
}

static void
test_add_every_field(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it, got;
	int64_t goal;

	goal = unit_add(f->st, CAIRN_KIND_GOAL, "Learn to compress", 0);
	cairn_item_init(&it);
	it.kind = CAIRN_KIND_MILESTONE;
	it.title = xstrdup("BERT-level accuracy for under $100");
	it.body = xstrdup("Today it costs about **$7,000**.");
	it.parent = goal;
	it.status = CAIRN_STATUS_ACTIVE;
	it.scope = 4;
	it.p_success = 0.3;
	it.novelty = 5;
	it.est[0] = 5;
	it.est[1] = 10.5;
	it.est[2] = 20;
	snprintf(it.due, sizeof(it.due), "2027-06-30");
	it.likelihood = 0.8;
	it.driven = CAIRN_DRIVEN_IDEA;
	it.visibility = CAIRN_VIS_PUBLIC;
	assert_ok(cairn_item_add(f->st, &it, &err), &err);
	assert_int_equal(it.id, goal + 1);
	assert_true(is_uuid(it.uuid));
	assert_string_equal(it.created, T1);

	assert_ok(cairn_item_get(f->st, it.id, &got, &err), &err);
	assert_int_equal(got.id, it.id);
	assert_string_equal(got.uuid, it.uuid);
	assert_int_equal(got.kind, CAIRN_KIND_MILESTONE);
	assert_string_equal(got.title, "BERT-level accuracy for under $100");
	assert_string_equal(got.body, "Today it costs about **$7,000**.");
	assert_int_equal(got.parent, goal);
	assert_int_equal(got.status, CAIRN_STATUS_ACTIVE);
	assert_null(got.why);
	assert_int_equal(got.scope, 4);
	assert_float_equal(got.p_success, 0.3, 1e-12);
	assert_int_equal(got.novelty, 5);
	assert_float_equal(got.est[0], 5, 1e-12);
	assert_float_equal(got.est[1], 10.5, 1e-12);
	assert_float_equal(got.est[2], 20, 1e-12);
	assert_string_equal(got.due, "2027-06-30");
	assert_float_equal(got.likelihood, 0.8, 1e-12);
	assert_int_equal(got.driven, CAIRN_DRIVEN_IDEA);
	assert_int_equal(got.visibility, CAIRN_VIS_PUBLIC);
	assert_string_equal(got.created, T1);
	/* Added as active: started then. */
	assert_string_equal(got.started, T1);
	assert_string_equal(got.finished, "");
	cairn_item_release(&got);

	/* And in the file, in the columns of DESIGN.md section 2. */
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM item WHERE id = %lld AND "
	                        "kind = 'milestone' AND status = 'active' AND "
	                        "scope = 4 AND p_success = 0.3 AND novelty = 5 "
	                        "AND optimistic = 5 AND likely = 10.5 AND "
	                        "pessimistic = 20 AND due = '2027-06-30' AND "
	                        "likelihood = 0.8 AND driven = 'idea' AND "
	                        "visibility = 'public' AND parent = %lld",
	                        (long long)it.id, (long long)goal),
	                 1);
	cairn_item_release(&it);
}

static void
test_add_defaults(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item got;
	struct buf hist = BUF_INIT;
	static const struct {
		enum cairn_kind kind;
		enum cairn_status status;
	} cases[] = {
	        {CAIRN_KIND_GOAL, CAIRN_STATUS_PLANNED},
	        {CAIRN_KIND_MILESTONE, CAIRN_STATUS_PLANNED},
	        {CAIRN_KIND_QUESTION, CAIRN_STATUS_PLANNED},
	        {CAIRN_KIND_IDEA, CAIRN_STATUS_IDEA},
	};
	char first_uuid[37] = "";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t id = unit_add(f->st, cases[i].kind, "plain", 0);

		assert_int_equal(id, (int64_t)i + 1);
		assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
		assert_int_equal(got.kind, cases[i].kind);
		assert_int_equal(got.status, cases[i].status);
		assert_true(is_uuid(got.uuid));
		if (i == 0)
			memcpy(first_uuid, got.uuid, sizeof(first_uuid));
		else
			assert_string_not_equal(got.uuid, first_uuid);
		assert_string_equal(got.title, "plain");
		assert_string_equal(got.body, "");
		assert_int_equal(got.parent, 0);
		assert_null(got.why);
		assert_int_equal(got.scope, 0);
		assert_true(got.p_success < 0);
		assert_int_equal(got.novelty, 0);
		assert_true(got.est[0] < 0 && got.est[1] < 0 && got.est[2] < 0);
		assert_string_equal(got.due, "");
		assert_true(got.likelihood < 0);
		assert_int_equal(got.driven, CAIRN_DRIVEN_NONE);
		assert_int_equal(got.visibility, CAIRN_VIS_PRIVATE);
		assert_string_equal(got.created, T1);
		assert_string_equal(got.started, "");
		assert_string_equal(got.finished, "");
		cairn_item_release(&got);
	}
	/* Unset numbers are NULL in the file, not 0 or -1. */
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM item WHERE scope IS NULL "
	                        "AND p_success IS NULL AND novelty IS NULL AND "
	                        "optimistic IS NULL AND likely IS NULL AND "
	                        "pessimistic IS NULL AND due IS NULL AND "
	                        "likelihood IS NULL AND driven IS NULL"),
	                 4);
	/* The first statement is the title it was added with. */
	assert_ok(cairn_item_statements(f->st, 1, collect_dated, &hist, &err),
	          &err);
	assert_string_equal(hist.buf, T1 " plain\n");
	buf_release(&hist);

	assert_code(cairn_item_get(f->st, 99, &got, &err), CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #99");
	cairn_item_release(&got);
}

/* Adding it must fail with code and leave the store as it was. */
static void
expect_add_fails(struct fixture *f, struct cairn_item *it, int code,
                 const char *what)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT;
	int rc;

	snapshot(f, &before);
	rc = cairn_item_add(f->st, it, &err);
	if (rc != code)
		fail_msg("adding with %s returned %d (%s), want %d", what, rc,
		         err.msg, code);
	assert_int_equal(err.code, code);
	assert_true(err.msg[0] != '\0');
	assert_unchanged(f, &before);
	buf_release(&before);
}

static void
test_add_invalid(void **state)
{
	struct fixture *f = *state;
	struct cairn_item it;

	cairn_item_init(&it);
	expect_add_fails(f, &it, CAIRN_EINVAL, "no title");
	it.title = xstrdup("");
	expect_add_fails(f, &it, CAIRN_EINVAL, "an empty title");
	free(it.title);
	it.title = xstrdup("ok");

	it.scope = 6;
	expect_add_fails(f, &it, CAIRN_EINVAL, "scope 6");
	it.scope = -1;
	expect_add_fails(f, &it, CAIRN_EINVAL, "scope -1");
	it.scope = 0;
	it.novelty = 6;
	expect_add_fails(f, &it, CAIRN_EINVAL, "novelty 6");
	it.novelty = 0;
	it.p_success = 1.5;
	expect_add_fails(f, &it, CAIRN_EINVAL, "p_success 1.5");
	it.p_success = NAN;
	expect_add_fails(f, &it, CAIRN_EINVAL, "p_success NaN");
	it.p_success = -1;
	it.likelihood = 1.01;
	expect_add_fails(f, &it, CAIRN_EINVAL, "likelihood 1.01");
	it.likelihood = -1;
	it.est[0] = 10;
	it.est[1] = 5;
	it.est[2] = 20;
	expect_add_fails(f, &it, CAIRN_EINVAL, "estimate 10/5/20");
	it.est[0] = 5;
	it.est[1] = 20;
	it.est[2] = 10;
	expect_add_fails(f, &it, CAIRN_EINVAL, "estimate 5/20/10");
	it.est[0] = it.est[1] = it.est[2] = -1;
	it.kind = CAIRN_KIND_COUNT;
	expect_add_fails(f, &it, CAIRN_EINVAL, "an unknown kind");
	it.kind = CAIRN_KIND_MILESTONE;
	it.parent = 42;
	expect_add_fails(f, &it, CAIRN_ENOTFOUND, "an unknown parent");
	cairn_item_release(&it);
}

static void
test_set(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item got;
	struct buf before = BUF_INIT;
	int64_t id = unit_add(f->st, CAIRN_KIND_MILESTONE, "Replicate", 0);
	long long events;

	unit_set_field(f->st, id, "title", "Replicate the paper");
	unit_set_field(f->st, id, "body", "On *one* GPU.");
	unit_set_field(f->st, id, "scope", "2");
	unit_set_field(f->st, id, "p-success", "90%");
	unit_set_field(f->st, id, "novelty", "1");
	unit_set_field(f->st, id, "estimate", "3/5/10");
	unit_set_field(f->st, id, "due", "2026-12-01");
	unit_set_field(f->st, id, "likelihood", "0.7");
	unit_set_field(f->st, id, "driven", "goal");
	unit_set_field(f->st, id, "visibility", "lab");
	unit_set_field(f->st, id, "kind", "question");
	assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
	assert_string_equal(got.title, "Replicate the paper");
	assert_string_equal(got.body, "On *one* GPU.");
	assert_int_equal(got.scope, 2);
	assert_float_equal(got.p_success, 0.9, 1e-12);
	assert_int_equal(got.novelty, 1);
	assert_float_equal(got.est[0], 3, 1e-12);
	assert_float_equal(got.est[1], 5, 1e-12);
	assert_float_equal(got.est[2], 10, 1e-12);
	assert_string_equal(got.due, "2026-12-01");
	assert_float_equal(got.likelihood, 0.7, 1e-12);
	assert_int_equal(got.driven, CAIRN_DRIVEN_GOAL);
	assert_int_equal(got.visibility, CAIRN_VIS_LAB);
	assert_int_equal(got.kind, CAIRN_KIND_QUESTION);
	assert_string_equal(got.started, "");
	cairn_item_release(&got);

	/* Clearing. */
	unit_set_field(f->st, id, "scope", "none");
	unit_set_field(f->st, id, "estimate", "");
	unit_set_field(f->st, id, "due", "none");
	unit_set_field(f->st, id, "p_success", "none");
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM item WHERE id = %lld AND "
	                        "scope IS NULL AND optimistic IS NULL AND "
	                        "likely IS NULL AND pessimistic IS NULL AND "
	                        "due IS NULL AND p_success IS NULL",
	                        (long long)id),
	                 1);

	/* Status through set stamps like set_status. */
	at(T2);
	unit_set_field(f->st, id, "status", "active");
	assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
	assert_int_equal(got.status, CAIRN_STATUS_ACTIVE);
	assert_string_equal(got.started, T2);
	cairn_item_release(&got);

	/* Refusals leave everything as it was. */
	snapshot(f, &before);
	assert_code(cairn_item_set(f->st, id, "scope", "9", &err),
	            CAIRN_EINVAL);
	assert_code(cairn_item_set(f->st, id, "p_success", "1.5", &err),
	            CAIRN_EINVAL);
	assert_code(cairn_item_set(f->st, id, "colour", "red", &err),
	            CAIRN_ENOTFOUND);
	assert_code(cairn_item_set(f->st, id, "status", "dropped", &err),
	            CAIRN_EINVAL);
	assert_code(cairn_item_set(f->st, id, "title", "", &err), CAIRN_EINVAL);
	assert_code(cairn_item_set(f->st, 99, "scope", "2", &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #99");
	assert_unchanged(f, &before);

	/* Setting a field to its value again journals no event. */
	events = db_int(f->path, "SELECT count(*) FROM event");
	unit_set_field(f->st, id, "novelty", "1");
	unit_set_field(f->st, id, "status", "active");
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), events);
	buf_release(&before);
}

static void
test_update(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it, got;
	int64_t id = unit_add(f->st, CAIRN_KIND_GOAL, "Metrics", 0);
	long long events = db_int(f->path, "SELECT count(*) FROM event");

	assert_ok(cairn_item_get(f->st, id, &it, &err), &err);
	free(it.title);
	it.title = xstrdup("Comparable metrics for compression");
	it.scope = 5;
	it.likelihood = 0.6;
	it.visibility = CAIRN_VIS_PUBLIC;
	assert_ok(cairn_item_update(f->st, &it, &err), &err);
	assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
	assert_string_equal(got.title, "Comparable metrics for compression");
	assert_int_equal(got.scope, 5);
	assert_float_equal(got.likelihood, 0.6, 1e-12);
	assert_int_equal(got.visibility, CAIRN_VIS_PUBLIC);
	cairn_item_release(&got);
	/* One change, one item event for the four fields. */
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"),
	                 events + 1);

	/* Invalid values are refused before anything is written. */
	it.scope = 7;
	assert_code(cairn_item_update(f->st, &it, &err), CAIRN_EINVAL);
	it.scope = 5;
	it.id = 99;
	assert_code(cairn_item_update(f->st, &it, &err), CAIRN_ENOTFOUND);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"),
	                 events + 1);
	cairn_item_release(&it);
}

static void
expect_stamps(struct fixture *f, int64_t id, enum cairn_status status,
              const char *started, const char *finished, const char *why)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item got;

	assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
	assert_int_equal(got.status, status);
	assert_string_equal(got.started, started);
	assert_string_equal(got.finished, finished);
	if (why)
		assert_string_equal(got.why ? got.why : "(null)", why);
	else
		assert_null(got.why);
	cairn_item_release(&got);
}

static void
test_set_status(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT;
	int64_t id = unit_add(f->st, CAIRN_KIND_MILESTONE, "Pre-train", 0);

	expect_stamps(f, id, CAIRN_STATUS_PLANNED, "", "", NULL);
	at(T2);
	unit_set_status(f->st, id, CAIRN_STATUS_ACTIVE);
	expect_stamps(f, id, CAIRN_STATUS_ACTIVE, T2, "", NULL);
	at(T3);
	unit_set_status(f->st, id, CAIRN_STATUS_PAUSED);
	expect_stamps(f, id, CAIRN_STATUS_PAUSED, T2, "", NULL);
	/* started is the first time it became active. */
	at(T4);
	unit_set_status(f->st, id, CAIRN_STATUS_ACTIVE);
	expect_stamps(f, id, CAIRN_STATUS_ACTIVE, T2, "", NULL);
	at(T5);
	unit_set_status(f->st, id, CAIRN_STATUS_DONE);
	expect_stamps(f, id, CAIRN_STATUS_DONE, T2, T5, NULL);
	/* Done again changes nothing, not even the stamp. */
	at("2026-04-01T00:00:00Z");
	unit_set_status(f->st, id, CAIRN_STATUS_DONE);
	expect_stamps(f, id, CAIRN_STATUS_DONE, T2, T5, NULL);
	/* Reopening clears finished. */
	unit_set_status(f->st, id, CAIRN_STATUS_ACTIVE);
	expect_stamps(f, id, CAIRN_STATUS_ACTIVE, T2, "", NULL);

	/* Dropping needs a reason. */
	snapshot(f, &before);
	assert_code(cairn_item_set_status(f->st, id, CAIRN_STATUS_DROPPED, NULL,
	                                  &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg, "dropping #1 needs a reason (--why)");
	assert_code(cairn_item_set_status(f->st, id, CAIRN_STATUS_DROPPED, "",
	                                  &err),
	            CAIRN_EINVAL);
	assert_code(cairn_item_set_status(f->st, id, CAIRN_STATUS_COUNT, NULL,
	                                  &err),
	            CAIRN_EINVAL);
	assert_code(
	        cairn_item_set_status(f->st, 99, CAIRN_STATUS_DONE, NULL, &err),
	        CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);

	at("2026-04-02T00:00:00Z");
	assert_ok(cairn_item_set_status(f->st, id, CAIRN_STATUS_DROPPED,
	                                "the $100 budget is out of reach",
	                                &err),
	          &err);
	expect_stamps(f, id, CAIRN_STATUS_DROPPED, T2, "2026-04-02T00:00:00Z",
	              "the $100 budget is out of reach");
	/* Back to planned: the reason and finished go. */
	unit_set_status(f->st, id, CAIRN_STATUS_PLANNED);
	expect_stamps(f, id, CAIRN_STATUS_PLANNED, T2, "", NULL);
	buf_release(&before);
}

static void
test_remove(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT;
	struct cairn_item got;
	int64_t g, m, sub, other, leaf;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "Quantum MNIST", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "Simulator", g);
	sub = unit_add(f->st, CAIRN_KIND_MILESTONE, "Two qubits", m);
	other = unit_add(f->st, CAIRN_KIND_MILESTONE, "Elsewhere", 0);
	leaf = unit_add(f->st, CAIRN_KIND_MILESTONE, "Leaf", other);
	assert_ok(cairn_item_tag(f->st, m, "quantum", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, sub, "quantum", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, other, "quantum", 1, &err), &err);
	assert_ok(cairn_item_note(f->st, sub, "try qiskit", &err), &err);
	assert_ok(cairn_item_link(f->st, m, "https://arxiv.org/abs/1", NULL,
	                          &err),
	          &err);
	assert_ok(cairn_item_refine(f->st, g,
	                            "MNIST on a simulated quantum "
	                            "computer",
	                            &err),
	          &err);
	assert_ok(cairn_edge_add(f->st, other, sub, &err), &err);
	assert_ok(cairn_edge_add(f->st, m, leaf, &err), &err);

	/* Children without force: refused, nothing changes. */
	snapshot(f, &before);
	assert_code(cairn_item_remove(f->st, g, 0, &err), CAIRN_ESTATE);
	assert_string_equal(err.msg, "#1 has 1 child item: use --force to "
	                             "remove them too");
	assert_code(cairn_item_remove(f->st, 99, 1, &err), CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);

	/* With force the whole subtree and everything attached goes. */
	assert_ok(cairn_item_remove(f->st, g, 1, &err), &err);
	assert_code(cairn_item_get(f->st, g, &got, &err), CAIRN_ENOTFOUND);
	cairn_item_release(&got);
	{
		char *left = db_text(f->path, "SELECT group_concat(id) FROM "
		                              "(SELECT id FROM item ORDER BY "
		                              "id)");

		assert_string_equal(left, "4,5");
		free(left);
	}
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM tag"), 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM note"), 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM link"), 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM edge"), 0);
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM statement WHERE item "
	                        "NOT IN (SELECT id FROM item)"),
	                 0);

	/* A leaf needs no force. */
	assert_ok(cairn_item_remove(f->st, leaf, 0, &err), &err);
	/* Ids are never reused. */
	assert_int_equal(unit_add(f->st, CAIRN_KIND_IDEA, "new", 0), leaf + 1);
	buf_release(&before);
}

static void
test_tags(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf tags = BUF_INIT, before = BUF_INIT;
	int64_t id = unit_add(f->st, CAIRN_KIND_GOAL, "Compression", 0);
	char longtag[102];

	assert_ok(cairn_item_tag(f->st, id, "ml", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, id, "compression", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, id, "théorie", 1, &err), &err);
	/* A present tag again: fine, no duplicate. */
	assert_ok(cairn_item_tag(f->st, id, "ml", 1, &err), &err);
	assert_ok(cairn_item_tags(f->st, id, collect_entry, &tags, &err), &err);
	assert_string_equal(tags.buf, "compression\nml\nthéorie\n");
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM tag"), 3);

	assert_ok(cairn_item_tag(f->st, id, "ml", 0, &err), &err);
	/* An absent tag: fine. */
	assert_ok(cairn_item_tag(f->st, id, "absent", 0, &err), &err);
	buf_reset(&tags);
	assert_ok(cairn_item_tags(f->st, id, collect_entry, &tags, &err), &err);
	assert_string_equal(tags.buf, "compression\nthéorie\n");

	snapshot(f, &before);
	assert_code(cairn_item_tag(f->st, id, "two words", 1, &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg, "tag 'two words' must not contain spaces "
	                             "or commas");
	assert_code(cairn_item_tag(f->st, id, "a,b", 1, &err), CAIRN_EINVAL);
	assert_code(cairn_item_tag(f->st, id, "tab\there", 1, &err),
	            CAIRN_EINVAL);
	assert_code(cairn_item_tag(f->st, id, "", 1, &err), CAIRN_EINVAL);
	assert_code(cairn_item_tag(f->st, id, NULL, 1, &err), CAIRN_EINVAL);
	memset(longtag, 'x', 101);
	longtag[101] = '\0';
	assert_code(cairn_item_tag(f->st, id, longtag, 1, &err), CAIRN_EINVAL);
	assert_code(cairn_item_tag(f->st, 99, "ml", 1, &err), CAIRN_ENOTFOUND);
	assert_code(cairn_item_tags(f->st, 99, collect_entry, &tags, &err),
	            CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);
	buf_release(&tags);
	buf_release(&before);
}

static void
test_links(void **state)
{
	static const char *const bad[] = {
	        "javascript:alert(1)",
	        "JAVASCRIPT:alert(1)",
	        "data:text/html,hi",
	        "file:///etc/passwd",
	        "ftp://example.org/x",
	        "example.org",
	        "http://exa mple.org",
	        "http://example.org/\n",
	        "",
	        " https://example.org",
	        NULL,
	};
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf links = BUF_INIT, before = BUF_INIT;
	int64_t id = unit_add(f->st, CAIRN_KIND_MILESTONE, "Read", 0);

	assert_ok(cairn_item_link(f->st, id, "https://arxiv.org/abs/1810.04805",
	                          "BERT", &err),
	          &err);
	assert_ok(cairn_item_link(f->st, id, "http://example.org/a?b=c#d", NULL,
	                          &err),
	          &err);
	assert_ok(cairn_item_link(f->st, id, "mailto:mentor@example.org", "ask",
	                          &err),
	          &err);
	assert_ok(cairn_item_links(f->st, id, collect_entry, &links, &err),
	          &err);
	assert_string_equal(links.buf, "https://arxiv.org/abs/1810.04805=BERT\n"
	                               "http://example.org/a?b=c#d\n"
	                               "mailto:mentor@example.org=ask\n");
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM link WHERE "
	                        "label IS NULL AND created = '" T1 "'"),
	                 1);

	snapshot(f, &before);
	for (int i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		int rc = cairn_item_link(f->st, id, bad[i], NULL, &err);

		if (rc != CAIRN_EINVAL)
			fail_msg("link '%s' returned %d, want refusal",
			         bad[i] ? bad[i] : "(null)", rc);
	}
	assert_code(
	        cairn_item_link(f->st, id, "javascript:alert(1)", NULL, &err),
	        CAIRN_EINVAL);
	assert_string_equal(err.msg, "link 'javascript:alert(1)' must start "
	                             "with http://, https:// or mailto:");
	assert_code(
	        cairn_item_link(f->st, 99, "https://example.org", NULL, &err),
	        CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);
	buf_release(&links);
	buf_release(&before);
}

static int
stop_at_second(void *ctx, const struct cairn_entry *e)
{
	int *n = ctx;

	(void)e;
	return ++*n == 2 ? 42 : 0;
}

static void
test_notes(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf notes = BUF_INIT;
	int64_t id = unit_add(f->st, CAIRN_KIND_MILESTONE, "Replicate", 0);
	int n = 0;

	at(T3);
	assert_ok(cairn_item_note(f->st, id, "loss diverges at step 3k", &err),
	          &err);
	at(T2);
	assert_ok(cairn_item_note(f->st, id, "baseline runs", &err), &err);
	at(T4);
	assert_ok(cairn_item_note(f->st, id, "warm-up fixed it: **lr**", &err),
	          &err);
	/* In time order, not insertion order. */
	assert_ok(cairn_item_notes(f->st, id, collect_dated, &notes, &err),
	          &err);
	assert_string_equal(notes.buf, T2 " baseline runs\n" T3
	                                  " loss diverges at step 3k\n" T4
	                                  " warm-up fixed it: **lr**\n");
	/* A callback's non-zero return stops the walk and comes back. */
	assert_int_equal(cairn_item_notes(f->st, id, stop_at_second, &n, &err),
	                 42);
	assert_int_equal(n, 2);

	assert_code(cairn_item_note(f->st, id, "", &err), CAIRN_EINVAL);
	assert_code(cairn_item_note(f->st, id, NULL, &err), CAIRN_EINVAL);
	assert_code(cairn_item_note(f->st, 99, "x", &err), CAIRN_ENOTFOUND);
	assert_code(cairn_item_notes(f->st, 99, collect_dated, &notes, &err),
	            CAIRN_ENOTFOUND);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM note"), 3);
	buf_release(&notes);
}

static void
test_refine(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf hist = BUF_INIT, before = BUF_INIT;
	struct cairn_item got;
	int64_t id = unit_add(f->st, CAIRN_KIND_GOAL, "Compression", 0);

	at(T2);
	assert_ok(cairn_item_refine(f->st, id, "Compression with guarantees",
	                            &err),
	          &err);
	at(T3);
	assert_ok(cairn_item_refine(f->st, id,
	                            "Compression with provable approximation "
	                            "guarantees",
	                            &err),
	          &err);
	assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
	assert_string_equal(got.title, "Compression with provable "
	                               "approximation guarantees");
	cairn_item_release(&got);
	assert_ok(cairn_item_statements(f->st, id, collect_dated, &hist, &err),
	          &err);
	assert_string_equal(hist.buf,
	                    T1 " Compression\n" T2
	                       " Compression with guarantees\n" T3
	                       " Compression with provable approximation "
	                       "guarantees\n");

	snapshot(f, &before);
	assert_code(cairn_item_refine(f->st, id,
	                              "Compression with provable "
	                              "approximation guarantees",
	                              &err),
	            CAIRN_EINVAL);
	assert_string_equal(err.msg, "#1 already reads 'Compression with "
	                             "provable approximation guarantees'");
	assert_code(cairn_item_refine(f->st, id, "", &err), CAIRN_EINVAL);
	assert_code(cairn_item_refine(f->st, 99, "x", &err), CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);
	buf_release(&hist);
	buf_release(&before);
}

static void
test_promote(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf out = BUF_INIT, before = BUF_INIT;
	struct cairn_item got;
	int64_t goal, idea, idea2;

	goal = unit_add(f->st, CAIRN_KIND_GOAL, "Story games", 0);
	idea = unit_add(f->st, CAIRN_KIND_IDEA, "Plan-then-write stories", 0);
	idea2 = unit_add(f->st, CAIRN_KIND_IDEA, "Planner in the loop", goal);
	assert_ok(cairn_item_note(f->st, idea, "from the reading group", &err),
	          &err);
	assert_ok(cairn_item_link(f->st, idea, "https://example.org/p", "p",
	                          &err),
	          &err);
	assert_ok(cairn_item_refine(f->st, idea, "Plan, then write, stories",
	                            &err),
	          &err);

	assert_ok(cairn_item_promote(f->st, idea, CAIRN_KIND_MILESTONE, goal,
	                             &err),
	          &err);
	assert_ok(cairn_item_get(f->st, idea, &got, &err), &err);
	assert_int_equal(got.kind, CAIRN_KIND_MILESTONE);
	assert_int_equal(got.status, CAIRN_STATUS_PLANNED);
	assert_int_equal(got.parent, goal);
	assert_string_equal(got.title, "Plan, then write, stories");
	cairn_item_release(&got);
	/* Its history, notes and links stay. */
	assert_ok(cairn_item_notes(f->st, idea, collect_entry, &out, &err),
	          &err);
	assert_ok(cairn_item_links(f->st, idea, collect_entry, &out, &err),
	          &err);
	assert_ok(cairn_item_statements(f->st, idea, collect_entry, &out, &err),
	          &err);
	assert_string_equal(out.buf, "from the reading group\n"
	                             "https://example.org/p=p\n"
	                             "Plan-then-write stories\n"
	                             "Plan, then write, stories\n");

	/* parent 0 keeps it where it is. */
	assert_ok(cairn_item_promote(f->st, idea2, CAIRN_KIND_GOAL, 0, &err),
	          &err);
	assert_ok(cairn_item_get(f->st, idea2, &got, &err), &err);
	assert_int_equal(got.kind, CAIRN_KIND_GOAL);
	assert_int_equal(got.parent, goal);
	cairn_item_release(&got);

	snapshot(f, &before);
	/* Only ideas are promoted. */
	assert_code(
	        cairn_item_promote(f->st, goal, CAIRN_KIND_MILESTONE, 0, &err),
	        CAIRN_ESTATE);
	assert_string_equal(err.msg, "#1 is a goal, not an idea");
	assert_code(cairn_item_promote(f->st, idea, CAIRN_KIND_GOAL, 0, &err),
	            CAIRN_ESTATE);
	assert_unchanged(f, &before);
	idea = unit_add(f->st, CAIRN_KIND_IDEA, "Another", 0);
	snapshot(f, &before);
	assert_code(cairn_item_promote(f->st, idea, CAIRN_KIND_IDEA, 0, &err),
	            CAIRN_EINVAL);
	assert_code(cairn_item_promote(f->st, idea, CAIRN_KIND_GOAL, 99, &err),
	            CAIRN_ENOTFOUND);
	assert_code(cairn_item_promote(f->st, 99, CAIRN_KIND_GOAL, 0, &err),
	            CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);
	buf_release(&out);
	buf_release(&before);
}

static void
test_move(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT;
	struct cairn_item got;
	int64_t a, b, c;

	a = unit_add(f->st, CAIRN_KIND_GOAL, "A", 0);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B", a);
	c = unit_add(f->st, CAIRN_KIND_MILESTONE, "C", b);

	snapshot(f, &before);
	assert_code(cairn_item_move(f->st, a, c, &err), CAIRN_ECYCLE);
	assert_string_equal(err.msg, "cannot move #1 under #3: #3 is below #1");
	assert_code(cairn_item_move(f->st, a, b, &err), CAIRN_ECYCLE);
	assert_code(cairn_item_move(f->st, b, b, &err), CAIRN_ECYCLE);
	assert_string_equal(err.msg, "cannot move #2 under itself");
	assert_code(cairn_item_move(f->st, b, 99, &err), CAIRN_ENOTFOUND);
	assert_code(cairn_item_move(f->st, 99, a, &err), CAIRN_ENOTFOUND);
	assert_unchanged(f, &before);

	assert_ok(cairn_item_move(f->st, c, 0, &err), &err);
	assert_ok(cairn_item_get(f->st, c, &got, &err), &err);
	assert_int_equal(got.parent, 0);
	cairn_item_release(&got);
	assert_int_equal(db_int(f->path,
	                        "SELECT parent IS NULL FROM item "
	                        "WHERE id = %lld",
	                        (long long)c),
	                 1);
	/* Now a can go under c, which is no longer below it. */
	assert_ok(cairn_item_move(f->st, a, c, &err), &err);
	assert_ok(cairn_item_get(f->st, a, &got, &err), &err);
	assert_int_equal(got.parent, c);
	cairn_item_release(&got);
	/* And c cannot go under b, which is below it now. */
	assert_code(cairn_item_move(f->st, c, b, &err), CAIRN_ECYCLE);
	buf_release(&before);
}

static void
test_item_json(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item got;
	json_t *o;
	int64_t id = unit_add(f->st, CAIRN_KIND_GOAL, "Under $100", 0);

	unit_set_field(f->st, id, "estimate", "5/10/20");
	unit_set_field(f->st, id, "likelihood", "0.5");
	assert_ok(cairn_item_get(f->st, id, &got, &err), &err);
	o = cairn_item_json(&got);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "id")), id);
	assert_string_equal(json_string_value(json_object_get(o, "kind")),
	                    "goal");
	assert_string_equal(json_string_value(json_object_get(o, "title")),
	                    "Under $100");
	assert_string_equal(json_string_value(json_object_get(o, "status")),
	                    "planned");
	assert_true(json_is_null(json_object_get(o, "parent")));
	assert_true(json_is_null(json_object_get(o, "scope")));
	assert_true(json_is_null(json_object_get(o, "p_success")));
	assert_true(json_is_null(json_object_get(o, "due")));
	assert_true(json_is_null(json_object_get(o, "driven")));
	assert_float_equal(json_number_value(json_object_get(o, "likelihood")),
	                   0.5, 1e-12);
	assert_float_equal(json_number_value(json_object_get(
	                           json_object_get(o, "estimate"), "likely")),
	                   10, 1e-12);
	assert_string_equal(json_string_value(json_object_get(o, "created")),
	                    T1);
	json_decref(o);
	cairn_item_release(&got);
	assert_null(cairn_json_parse(NULL));
}

/* A uuid prefix names one item, in any case; several or none are refused
 * by name. */
static void
test_uuid_prefix(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t a = unit_add(f->st, CAIRN_KIND_GOAL, "A", 0);
	int64_t b = unit_add(f->st, CAIRN_KIND_GOAL, "B", 0), id = 0;

	assert_true(cairn_uuid_prefix_ok("3fa8"));
	assert_true(cairn_uuid_prefix_ok("3FA8-"));
	assert_false(cairn_uuid_prefix_ok("1234"));
	assert_false(cairn_uuid_prefix_ok("3fa"));
	assert_false(cairn_uuid_prefix_ok("3fag"));
	db_exec(f->path, "UPDATE item SET uuid = "
	                 "'3fa80000-0000-4000-8000-000000000001' WHERE id = 1;"
	                 "UPDATE item SET uuid = "
	                 "'3fa81111-0000-4000-8000-000000000002' WHERE id = 2");
	assert_code(cairn_item_by_uuid(f->st, "3fa8", &id, &err), CAIRN_EINVAL);
	assert_non_null(strstr(err.msg, "give more digits"));
	assert_ok(cairn_item_by_uuid(f->st, "3FA80", &id, &err), &err);
	assert_int_equal(id, a);
	assert_ok(cairn_item_by_uuid(f->st, "3fa81111-0000", &id, &err), &err);
	assert_int_equal(id, b);
	assert_code(cairn_item_by_uuid(f->st, "3fa9", &id, &err),
	            CAIRN_ENOTFOUND);
}

#define FX(t)                                                                  \
	cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_names),
	        cmocka_unit_test(test_id_parse),
	        FX(test_add_every_field),
	        FX(test_uuid_prefix),
	        FX(test_add_defaults),
	        FX(test_add_invalid),
	        FX(test_set),
	        FX(test_update),
	        FX(test_set_status),
	        FX(test_remove),
	        FX(test_tags),
	        FX(test_links),
	        FX(test_notes),
	        FX(test_refine),
	        FX(test_promote),
	        FX(test_move),
	        FX(test_item_json),
	};

	return cmocka_run_group_tests_name("item", tests, NULL, NULL);
}
