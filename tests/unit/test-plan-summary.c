/*
 * test-plan-summary.c: the planning summary the store keeps for `next`
 * (lib/plan/plan-summary.c) stays what a computation from scratch gives.
 * Random edit sequences, one seed each (adds, fields set, builds-on edges
 * added and removed, moves, status changes, removals, required papers and
 * their status, undo, redo, Taskwarrior imports): after every step the
 * stored rows equal a rebuild of everything, nothing is left stale, and
 * `next` read from the summary equals `next` planned from a fresh
 * snapshot of the open items, field by field.  Then the cases around it:
 * reach through an inherited prerequisite, a store being written by
 * another process, one that cannot be written, a plan with a cycle, a
 * read inside an open change, and what the upkeep leaves out of the
 * journal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include "unit.h"

static unsigned seed;

static unsigned
rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

/* The summary's rows, every column, reals with 17 digits. */
static void
summary_dump(const char *path, struct buf *out)
{
	sqlite3 *db = db_open(path);
	sqlite3_stmt *s;
	static const char *const q[] = {
	        "SELECT 'unit', id, printf('%!.17g', length), "
	        "quote(error), '', '', '', '', '', '', '' FROM plan_unit "
	        "ORDER BY id",
	        "SELECT unit, node, quote(goal), pref, ord, ready, "
	        "printf('%!.17g', score), printf('%!.17g', carry), "
	        "printf('%!.17g', expected), printf('%!.17g', slack), "
	        "quote(likelihood) FROM plan_node ORDER BY unit, node",
	};

	buf_reset(out);
	for (size_t k = 0; k < 2; k++) {
		if (sqlite3_prepare_v2(db, q[k], -1, &s, NULL) != SQLITE_OK)
			fail_msg("cannot read the summary: %s",
			         sqlite3_errmsg(db));
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < 11; c++)
				buf_addf(out, "%s|",
				         (const char *)sqlite3_column_text(s,
				                                           c));
			buf_addch(out, '\n');
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

static int
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* next from the summary is next from a fresh snapshot, exactly. */
static void
next_matches(struct fixture *f, const char *when)
{
	struct cairn_roadmap_scope sc = {.open_only = 1, .plan_only = 1};
	struct cairn_err ea = CAIRN_ERR_INIT, eb = CAIRN_ERR_INIT;
	struct cairn_roadmap rm;
	struct cairn_next a, b;
	int ra, rb;

	ra = cairn_next_store(f->st, 1000, &a, &ea);
	assert_ok(cairn_roadmap_load_scope(f->st, &sc, &rm, &eb), &eb);
	rb = cairn_next(&rm, 0, 1000, &b, &eb);
	cairn_roadmap_release(&rm);
	if (ra != rb || (ra && strcmp(ea.msg, eb.msg)))
		fail_msg("%s: stored next %d (%s), fresh %d (%s)", when, ra,
		         ea.msg, rb, eb.msg);
	if (!ra && a.n != b.n)
		fail_msg("%s: %zu picks stored, %zu fresh", when, a.n, b.n);
	for (size_t k = 0; !ra && k < a.n; k++) {
		const struct cairn_next_pick *x = &a.picks[k], *y = &b.picks[k];

		if (x->id != y->id || !str_eq(x->paper, y->paper) ||
		    !str_eq(x->title, y->title) ||
		    !str_eq(x->status, y->status) || x->goal != y->goal ||
		    !str_eq(x->goal_title, y->goal_title) ||
		    x->likelihood != y->likelihood || x->carry != y->carry ||
		    x->score != y->score || x->expected != y->expected ||
		    x->slack != y->slack)
			fail_msg("%s: pick %zu differs: stored #%lld %s goal "
			         "%lld score %.17g expected %.17g slack %.17g, "
			         "fresh #%lld %s goal %lld score %.17g "
			         "expected %.17g slack %.17g",
			         when, k, (long long)x->id, x->title,
			         (long long)x->goal, x->score, x->expected,
			         x->slack, (long long)y->id, y->title,
			         (long long)y->goal, y->score, y->expected,
			         y->slack);
	}
	cairn_next_release(&a);
	cairn_next_release(&b);
}

/* After a step: next agrees, nothing is stale, and the rows are those a
 * rebuild of everything writes. */
static void
check_step(struct fixture *f, const char *when)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf kept = BUF_INIT, fresh = BUF_INIT;

	next_matches(f, when);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM plan_dirty"), 0);
	summary_dump(f->path, &kept);
	assert_ok(cairn_plan_summary_refresh(f->st, 1, &err), &err);
	summary_dump(f->path, &fresh);
	if (strcmp(kept.buf, fresh.buf))
		fail_msg("%s: kept summary\n%s\ndiffers from a rebuild\n%s",
		         when, kept.buf, fresh.buf);
	buf_release(&kept);
	buf_release(&fresh);
}

/* A random existing item id, or 0 when there is none. */
static int64_t
any_item(struct fixture *f)
{
	long long n = db_int(f->path, "SELECT count(*) FROM item");

	if (!n)
		return 0;
	return db_int(f->path,
	              "SELECT id FROM item ORDER BY id LIMIT 1 "
	              "OFFSET %u",
	              rnd((unsigned)n));
}

static void
op_add(struct fixture *f)
{
	static const enum cairn_kind kinds[] = {
	        CAIRN_KIND_GOAL,      CAIRN_KIND_GOAL,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_MILESTONE, CAIRN_KIND_MILESTONE,
	        CAIRN_KIND_QUESTION,  CAIRN_KIND_IDEA,
	};
	static const enum cairn_status statuses[] = {
	        CAIRN_STATUS_PLANNED, CAIRN_STATUS_PLANNED, CAIRN_STATUS_ACTIVE,
	        CAIRN_STATUS_PAUSED,  CAIRN_STATUS_DONE,
	};
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;

	cairn_item_init(&it);
	it.kind = kinds[rnd(8)];
	it.title = xstrdup(rnd(2) ? "Alpha" : "Beta");
	it.parent = rnd(4) ? any_item(f) : 0;
	if (it.kind != CAIRN_KIND_IDEA)
		it.status = statuses[rnd(5)];
	if (rnd(3)) {
		it.est[0] = rnd(4);
		it.est[1] = it.est[0] + rnd(5);
		it.est[2] = it.est[1] + rnd(9);
	}
	if (rnd(2))
		it.p_success = 0.1 * (1 + rnd(9));
	if (it.kind == CAIRN_KIND_GOAL && rnd(2))
		it.likelihood = 0.1 * (1 + rnd(9));
	(void)cairn_item_add(f->st, &it, &err);
	cairn_item_release(&it);
}

static void
op_set(struct fixture *f)
{
	static const char *const fields[][2] = {
	        {"estimate", "2/3/5"}, {"estimate", "1"},
	        {"estimate", "none"},  {"p_success", "0.6"},
	        {"p_success", "none"}, {"likelihood", "0.3"},
	        {"likelihood", "0.8"}, {"likelihood", "none"},
	        {"kind", "goal"},      {"kind", "milestone"},
	        {"kind", "question"},  {"title", "Renamed"},
	        {"status", "active"},  {"status", "paused"},
	};
	struct cairn_err err = CAIRN_ERR_INIT;
	unsigned k = rnd(sizeof(fields) / sizeof(fields[0]));

	(void)cairn_item_set(f->st, any_item(f), fields[k][0], fields[k][1],
	                     &err);
}

static void
op_status(struct fixture *f)
{
	static const enum cairn_status s[] = {
	        CAIRN_STATUS_PLANNED, CAIRN_STATUS_ACTIVE, CAIRN_STATUS_PAUSED,
	        CAIRN_STATUS_DONE,    CAIRN_STATUS_DONE,   CAIRN_STATUS_DROPPED,
	};
	struct cairn_err err = CAIRN_ERR_INIT;

	(void)cairn_item_set_status(f->st, any_item(f), s[rnd(6)], "test",
	                            &err);
}

static void
op_edge(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	long long n = db_int(f->path, "SELECT count(*) FROM edge");

	if (n && rnd(3) == 0) {
		unsigned k = rnd((unsigned)n);
		int64_t a = db_int(f->path,
		                   "SELECT item FROM edge ORDER BY id LIMIT 1 "
		                   "OFFSET %u",
		                   k);
		int64_t b = db_int(f->path,
		                   "SELECT prereq FROM edge ORDER BY id "
		                   "LIMIT 1 OFFSET %u",
		                   k);

		(void)cairn_edge_remove(f->st, a, b, &err);
	} else {
		(void)cairn_edge_add(f->st, any_item(f), any_item(f), &err);
	}
}

static void
op_move(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	(void)cairn_item_move(f->st, any_item(f), rnd(4) ? any_item(f) : 0,
	                      &err);
}

static void
op_remove(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	(void)cairn_item_remove(f->st, any_item(f), (int)rnd(2), &err);
}

static void
op_undo_redo(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_undo_opts o = {.n = 1 + (int)rnd(2)};

	if (rnd(2))
		(void)cairn_journal_undo(f->st, &o, NULL, &err);
	else
		(void)cairn_journal_redo(f->st, &o, NULL, &err);
}

static void
op_paper(struct fixture *f)
{
	static const char *const st[] = {"to-read", "reading", "read",
	                                 "replicating", "replicated"};
	struct cairn_err err = CAIRN_ERR_INIT;
	char key[16];

	snprintf(key, sizeof(key), "p%u", rnd(3));
	if (!db_int(f->path, "SELECT count(*) FROM paper WHERE key = '%s'",
	            key)) {
		struct cairn_paper p;

		cairn_paper_init(&p);
		p.key = xstrdup(key);
		p.title = xstrdup("A paper");
		(void)cairn_paper_add(f->st, &p, &err);
		cairn_paper_release(&p);
	}
	switch (rnd(3)) {
	case 0:
		(void)cairn_paper_link(f->st, key, any_item(f), &err);
		break;
	case 1:
		(void)cairn_paper_unlink(f->st, key, any_item(f), &err);
		break;
	default:
		(void)cairn_paper_set(f->st, key, "status", st[rnd(5)], &err);
	}
}

/* A few Taskwarrior tasks in two projects, some depending on others;
 * the same uuids again later update what they made. */
static void
op_import(struct fixture *f)
{
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf in = BUF_INIT;
	unsigned n = 1 + rnd(5), base = rnd(6);

	o.source = "tasks.json";
	buf_adds(&in, "[");
	for (unsigned i = 0; i < n; i++) {
		unsigned t = base + i;

		buf_addf(&in,
		         "%s{\"uuid\":\"00000000-0000-4000-8000-%012u\","
		         "\"description\":\"Task %u\",\"entry\":"
		         "\"20260301T090000Z\",\"project\":\"Area%u.P%u\","
		         "\"status\":\"%s\"",
		         i ? "," : "", t, t, t % 2, t % 3,
		         rnd(3) ? "pending" : "completed");
		if (i && rnd(2))
			buf_addf(&in,
			         ",\"depends\":[\"00000000-0000-4000-8000-"
			         "%012u\"]",
			         t - 1);
		buf_adds(&in, "}");
	}
	buf_adds(&in, "]");
	(void)cairn_import(f->st, CAIRN_FORMAT_TASKWARRIOR, in.buf, in.len, &o,
	                   NULL, &err);
	buf_release(&in);
}

static void (*const ops[])(struct fixture *f) = {
        op_add,    op_add,       op_add,       op_set,    op_set,
        op_edge,   op_edge,      op_move,      op_status, op_status,
        op_remove, op_undo_redo, op_undo_redo, op_paper,  op_import,
};

static void
test_random_edits(void **state)
{
	char when[64];

	(void)state;
	for (unsigned s = 1; s <= 12; s++) {
		void *fs = NULL;
		struct fixture *f;

		/* A fresh store for each seed. */
		assert_int_equal(fixture_setup(&fs), 0);
		f = fs;
		seed = s;
		for (int step = 0; step < 60; step++) {
			unsigned k = rnd(sizeof(ops) / sizeof(ops[0]));

			ops[k](f);
			snprintf(when, sizeof(when), "seed %u step %d (op %u)",
			         s, step, k);
			check_step(f, when);
		}
		fixture_teardown(&fs);
	}
}

/*
 * Reach through an inherited prerequisite: Z (goal Two) builds on W,
 * whose parent Y builds on X (goal Three), so Two's plan holds X's work
 * though X is neither below Two nor what Z builds on.  Finishing X, or
 * changing its estimate, must plan Two again.
 */
static void
test_inherited(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t g1, g2, g3, x, y, w, z;

	g1 = unit_add(f->st, CAIRN_KIND_GOAL, "One", 0);
	g2 = unit_add(f->st, CAIRN_KIND_GOAL, "Two", 0);
	g3 = unit_add(f->st, CAIRN_KIND_GOAL, "Three", 0);
	y = unit_add(f->st, CAIRN_KIND_MILESTONE, "Y", g1);
	w = unit_add(f->st, CAIRN_KIND_MILESTONE, "W", y);
	z = unit_add(f->st, CAIRN_KIND_MILESTONE, "Z", g2);
	x = unit_add(f->st, CAIRN_KIND_MILESTONE, "X", g3);
	assert_ok(cairn_edge_add(f->st, y, x, &err), &err);
	assert_ok(cairn_edge_add(f->st, z, w, &err), &err);
	assert_ok(cairn_item_set(f->st, x, "estimate", "8", &err), &err);
	check_step(f, "built");
	assert_ok(cairn_item_set(f->st, x, "estimate", "2/4/30", &err), &err);
	check_step(f, "estimate of X");
	unit_set_status(f->st, x, CAIRN_STATUS_DONE);
	check_step(f, "X done");
	assert_ok(cairn_edge_remove(f->st, y, x, &err), &err);
	check_step(f, "edge gone");
}

/* A summary left stale on a store that cannot be written (open for
 * checking only): next plans afresh and gives the same picks, writing
 * nothing. */
static void
test_read_only(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *ro = NULL;
	struct cairn_next nx;
	long long stale;
	int64_t g, m;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "Goal", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "Step", g);
	stale = db_int(f->path, "SELECT count(*) FROM plan_dirty");
	assert_true(stale > 0);
	assert_ok(cairn_store_open(&ro, f->path, CAIRN_OPEN_CHECK, &err), &err);
	assert_ok(cairn_next_store(ro, 10, &nx, &err), &err);
	assert_int_equal(nx.n, 1);
	assert_int_equal(nx.picks[0].id, m);
	assert_int_equal(nx.picks[0].goal, g);
	assert_string_equal(nx.picks[0].goal_title, "Goal");
	cairn_next_release(&nx);
	cairn_store_free(ro);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM plan_dirty"),
	                 stale);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM plan_node"), 0);
	check_step(f, "writable again");
}

/* While another process holds the writer lock, a stale summary is not
 * waited for: next plans afresh, and the summary stays stale. */
static void
test_writer_busy(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_next nx;
	char lock[PATH_MAX + 40];
	long long stale;
	int64_t g, m;
	int fd;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "Goal", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "Step", g);
	stale = db_int(f->path, "SELECT count(*) FROM plan_dirty");
	snprintf(lock, sizeof(lock), "%s.lock", f->path);
	fd = open(lock, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_ok(cairn_next_store(f->st, 10, &nx, &err), &err);
	assert_int_equal(nx.n, 1);
	assert_int_equal(nx.picks[0].id, m);
	cairn_next_release(&nx);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM plan_dirty"),
	                 stale);
	close(fd);
	check_step(f, "lock free again");
}

/*
 * Inherited prerequisites that go round: each unit keeps its cycle, and
 * next fails with the message a fresh plan gives; once the edge goes,
 * the picks come back.
 */
static void
test_cycle(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_next nx;
	int64_t g1, g2, a, b;

	g1 = unit_add(f->st, CAIRN_KIND_GOAL, "One", 0);
	g2 = unit_add(f->st, CAIRN_KIND_GOAL, "Two", 0);
	a = unit_add(f->st, CAIRN_KIND_MILESTONE, "A", g1);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "B", g2);
	assert_ok(cairn_edge_add(f->st, a, g2, &err), &err);
	check_step(f, "one way");
	if (cairn_edge_add(f->st, b, g1, &err))
		skip();
	assert_code(cairn_next_store(f->st, 10, &nx, &err), CAIRN_ECYCLE);
	cairn_next_release(&nx);
	assert_true(db_int(f->path, "SELECT count(*) FROM plan_unit WHERE "
	                            "error IS NOT NULL") > 0);
	check_step(f, "a cycle");
	assert_ok(cairn_edge_remove(f->st, b, g1, &err), &err);
	check_step(f, "cycle broken");
	assert_ok(cairn_next_store(f->st, 10, &nx, &err), &err);
	assert_int_equal(nx.n, 1);
	assert_int_equal(nx.picks[0].id, b);
	cairn_next_release(&nx);
}

/*
 * The upkeep is nobody's change: no change row, no event, the store's
 * version unmoved, undo takes back the user's last change.  Inside an
 * open change the read sees that change's own writes, and a rollback
 * takes the summary back with them.
 */
static void
test_upkeep(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_next nx;
	long long changes, events, version, v2;
	int64_t g, m, m2;

	g = unit_add(f->st, CAIRN_KIND_GOAL, "Goal", 0);
	m = unit_add(f->st, CAIRN_KIND_MILESTONE, "First", g);
	changes = db_int(f->path, "SELECT count(*) FROM change");
	events = db_int(f->path, "SELECT count(*) FROM event");
	assert_ok(cairn_store_version(f->st, &version, &err), &err);
	assert_ok(cairn_next_store(f->st, 10, &nx, &err), &err);
	assert_int_equal(nx.n, 1);
	cairn_next_release(&nx);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), events);
	assert_ok(cairn_store_version(f->st, &v2, &err), &err);
	assert_int_equal(v2, version);
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM plan_node "
	                        "WHERE node = %lld",
	                        (long long)m),
	                 1);

	/* Undo takes back the milestone, not the upkeep. */
	assert_ok(cairn_undo(f->st, 1, NULL, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 1);
	check_step(f, "after undo");

	/* Within a change: its own new milestone is read, and the summary
	 * goes back with the change. */
	assert_ok(cairn_store_begin(f->st, "test", &err), &err);
	m2 = unit_add(f->st, CAIRN_KIND_MILESTONE, "Second", g);
	assert_ok(cairn_next_store(f->st, 10, &nx, &err), &err);
	assert_int_equal(nx.n, 1);
	assert_int_equal(nx.picks[0].id, m2);
	cairn_next_release(&nx);
	cairn_store_rollback(f->st);
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM plan_node "
	                        "WHERE node = %lld",
	                        (long long)m2),
	                 0);
	check_step(f, "after the rollback");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_random_edits),
	        cmocka_unit_test_setup_teardown(test_inherited, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_writer_busy, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_read_only, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_cycle, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_upkeep, fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
