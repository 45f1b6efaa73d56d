/*
 * test-sync.c: replicas converge (lib/sync).
 *
 * Three stores make random changes offline, the way the commands make
 * them (the library's own functions, undo included), and sync in random
 * orders through a hub kept here as an array of operations with the
 * hub's rules (an operation stored once by id, pulled in order from a
 * cursor).  After a last round each, the three stores hold the same
 * roadmap, compared by uuid through SQL of the test's own, not through
 * sync's readers.  Also: applying a batch twice changes nothing; a cycle
 * made by two replicas keeps the earlier edge on both, with a conflict;
 * an add wins over a concurrent remove; a delete wins over an older
 * change; a note from elsewhere (a mentor's comment) made by two
 * replicas under the same uuid is one note with its author everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "cairn/store/sync.h"
#include "cairn/core/edge.h"
#include "cairn/research/predict.h"

#define NREP 3

struct hub {
	json_t *ops; /* in the hub's order */
	json_t *ids; /* op id -> true */
};

struct rep {
	char path[PATH_MAX + 32];
	struct cairn_store *st;
	size_t cursor;
};

static struct cairn_err err = CAIRN_ERR_INIT;

static void
hub_push(struct hub *h, struct rep *r)
{
	json_t *out = NULL, *op;
	int64_t last = 0;
	size_t i;

	assert_ok(cairn_sync_outbox(r->st, 100000, &out, &err), &err);
	json_array_foreach(out, i, op)
	{
		const char *id = json_string_value(json_object_get(op, "id"));

		last = json_integer_value(json_object_get(op, "seq"));
		if (json_object_get(h->ids, id))
			continue;
		json_object_set_new(h->ids, id, json_true());
		json_object_del(op, "seq");
		json_array_append(h->ops, op);
	}
	json_decref(out);
	if (last)
		assert_ok(cairn_sync_sent(r->st, last, &err), &err);
}

static void
hub_pull(struct hub *h, struct rep *r)
{
	struct cairn_sync_result res;
	json_t *batch = json_array();

	for (size_t i = r->cursor; i < json_array_size(h->ops); i++)
		json_array_append(batch, json_array_get(h->ops, i));
	assert_ok(cairn_sync_apply(r->st, batch, &res, &err), &err);
	r->cursor = json_array_size(h->ops);
	json_decref(batch);
}

static void
sync_one(struct hub *h, struct rep *r)
{
	hub_push(h, r);
	hub_pull(h, r);
}

/* The roadmap by uuid, from SQL of this test's own. */
static void
canon(const char *path, struct buf *out)
{
	static const char *const q[] = {
	        "SELECT i.uuid, i.kind, i.title, i.body, p.uuid, i.status, "
	        "i.why, i.scope, i.p_success, i.likelihood, i.visibility, "
	        "i.created, i.started, i.finished, i.rank, i.due FROM item i "
	        "LEFT JOIN item p ON p.id = i.parent ORDER BY i.uuid",
	        "SELECT i.uuid, t.name FROM tag t JOIN item i ON i.id = "
	        "t.item ORDER BY 1, 2",
	        "SELECT i.uuid, n.created, n.text, n.author FROM note n JOIN "
	        "item i ON i.id = n.item ORDER BY 1, 2, 3, 4",
	        "SELECT a.uuid, b.uuid FROM edge e JOIN item a ON a.id = "
	        "e.item JOIN item b ON b.id = e.prereq ORDER BY 1, 2",
	        "SELECT i.uuid, s.created, s.text FROM statement s JOIN item "
	        "i ON i.id = s.item ORDER BY 1, 2, 3",
	};
	sqlite3 *db = db_open(path);

	for (size_t k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		sqlite3_stmt *s;

		assert_int_equal(sqlite3_prepare_v2(db, q[k], -1, &s, NULL),
		                 SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const char *v =
				        (const char *)sqlite3_column_text(s, c);

				buf_addf(out, "%s|", v ? v : "NULL");
			}
			buf_adds(out, "\n");
		}
		sqlite3_finalize(s);
		buf_adds(out, "--\n");
	}
	sqlite3_close(db);
}

/* Two more rounds of sync for each replica, as a convergence run ends. */
static void
sync_all(struct hub *h, struct rep *r)
{
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < NREP; i++)
			sync_one(h, &r[i]);
}

/* Every replica holds the same roadmap as replica 0. */
static void
assert_same(struct rep *r)
{
	struct buf c[NREP] = {BUF_INIT, BUF_INIT, BUF_INIT};

	for (int i = 0; i < NREP; i++)
		canon(r[i].path, &c[i]);
	for (int i = 1; i < NREP; i++)
		assert_string_equal(c[0].buf, c[i].buf);
	for (int i = 0; i < NREP; i++)
		buf_release(&c[i]);
}

static void
reps_open(struct rep *r, const char *dir)
{
	for (int i = 0; i < NREP; i++) {
		snprintf(r[i].path, sizeof(r[i].path), "%s/r%d.db", dir, i);
		assert_ok(cairn_store_open(&r[i].st, r[i].path,
		                           CAIRN_OPEN_CREATE, &err),
		          &err);
		r[i].cursor = 0;
	}
}

static void
reps_close(struct rep *r)
{
	for (int i = 0; i < NREP; i++)
		cairn_store_free(r[i].st);
}

static int64_t
pick(struct cairn_store *st, unsigned *seed)
{
	int64_t max = 0;

	assert_ok(cairn_item_max_id(st, &max, &err), &err);
	return max ? 1 + (int64_t)(rand_r(seed) % (unsigned)max) : 0;
}

/* One random change, as a command would make it; refusals are fine. */
static void
random_change(struct cairn_store *st, unsigned *seed, int step)
{
	static const char *const tags[] = {"ml", "theory", "writing"};
	struct cairn_err e = CAIRN_ERR_INIT;
	int64_t a = pick(st, seed), b = pick(st, seed);
	char text[64];
	struct cairn_item it;

	int what = rand_r(seed) % 11, rc = 0;

	snprintf(text, sizeof(text), "step %d", step);
	switch (what) {
	case 0:
	case 1:
		cairn_item_init(&it);
		it.kind = rand_r(seed) % 3 ? CAIRN_KIND_MILESTONE
		                           : CAIRN_KIND_GOAL;
		it.title = xstrdup(text);
		it.parent = rand_r(seed) % 2 ? a : 0;
		rc = cairn_item_add(st, &it, &e);
		cairn_item_release(&it);
		break;
	case 2:
		rc = cairn_item_set(st, a, "title", text, &e);
		break;
	case 3:
		rc = cairn_item_set_status(st, a,
		                           rand_r(seed) % 2
		                                   ? CAIRN_STATUS_ACTIVE
		                                   : CAIRN_STATUS_DONE,
		                           NULL, &e);
		break;
	case 4:
		rc = cairn_item_tag(st, a, tags[rand_r(seed) % 3],
		                    rand_r(seed) % 2, &e);
		break;
	case 5:
		rc = cairn_item_note(st, a, text, &e);
		break;
	case 6:
		rc = cairn_edge_add(st, a, b, &e);
		break;
	case 7:
		rc = cairn_edge_remove(st, a, b, &e);
		break;
	case 8:
		rc = cairn_item_move(st, a, rand_r(seed) % 3 ? b : 0, &e);
		break;
	case 9:
		if (rand_r(seed) % 3 == 0)
			rc = cairn_item_remove(st, a, 1, &e);
		else
			rc = cairn_item_set(st, a, "likelihood",
			                    rand_r(seed) % 2 ? "0.3" : "0.8",
			                    &e);
		break;
	case 10:
		rc = cairn_undo(st, 1, NULL, &e);
		break;
	}
	if (getenv("SYNC_TEST_TRACE"))
		fprintf(stderr, "step %d: change %d a=%lld b=%lld rc=%d %s\n",
		        step, what, (long long)a, (long long)b, rc,
		        rc ? e.msg : "");
}

/* Print the lines of a that b lacks and those of b that a lacks. */
static void
canon_diff(const char *a, const char *b)
{
	for (int side = 0; side < 2; side++) {
		const char *x = side ? b : a, *y = side ? a : b;

		for (const char *p = x; *p;) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
			char *line = strndup(p, n);

			if (!strstr(y, line))
				fprintf(stderr, "%s %s", side ? "+" : "-",
				        line);
			free(line);
			p += n;
		}
	}
}

static void
converge_run(unsigned seed, int steps, int same_items)
{
	unsigned seed0 = seed;
	struct hub h = {json_array(), json_object()};
	struct buf c[NREP] = {BUF_INIT, BUF_INIT, BUF_INIT};
	char dir[PATH_MAX];
	struct rep r[NREP];

	unit_tmpdir(dir);
	reps_open(r, dir);
	if (same_items) {
		/* Everyone starts from the same items, so every pair edits
		 * the same ones. */
		for (int i = 0; i < 12; i++)
			unit_add(r[0].st,
			         i % 3 ? CAIRN_KIND_MILESTONE : CAIRN_KIND_GOAL,
			         "shared", 0);
		for (int i = 0; i < NREP; i++)
			sync_one(&h, &r[i]);
	}
	for (int step = 0; step < steps; step++) {
		int who = rand_r(&seed) % NREP;

		if (getenv("SYNC_TEST_TRACE"))
			fprintf(stderr, "r%d ", who);
		if (rand_r(&seed) % 8 == 0) {
			if (getenv("SYNC_TEST_TRACE"))
				fprintf(stderr, "sync\n");
			sync_one(&h, &r[who]);
		} else
			random_change(r[who].st, &seed, step);
	}
	sync_all(&h, r);
	for (int i = 0; i < NREP; i++)
		canon(r[i].path, &c[i]);
	if (getenv("SYNC_TEST_TRACE")) {
		char hub[PATH_MAX + 16];

		snprintf(hub, sizeof(hub), "%s/hub.json", dir);
		json_dump_file(h.ops, hub, JSON_INDENT(1));
	}
	assert_true(c[0].len > 20);
	for (int i = 1; i < NREP; i++)
		if (strcmp(c[0].buf, c[i].buf)) {
			canon_diff(c[0].buf, c[i].buf);
			fail_msg("seed %u: replicas 0 and %d differ", seed0, i);
		}
	for (int i = 0; i < NREP; i++)
		buf_release(&c[i]);
	reps_close(r);
	unit_rmtree(dir);
	json_decref(h.ops);
	json_decref(h.ids);
}

/* Four seeds from first (moved on by $SYNC_TEST_SEEDS), of 1,000 steps
 * each (or $SYNC_TEST_STEPS): longer runs than the suite's, by hand. */
static void
converge_seeds(unsigned first, int same_items)
{
	const char *steps = getenv("SYNC_TEST_STEPS");
	const char *base = getenv("SYNC_TEST_SEEDS");

	first += base ? (unsigned)atoi(base) : 0;
	for (unsigned seed = first; seed < first + 4; seed++)
		converge_run(seed, steps ? atoi(steps) : 1000, same_items);
}

static void
test_converge(void **state)
{
	(void)state;
	converge_seeds(1, 0);
}

static void
test_converge_same_items(void **state)
{
	(void)state;
	converge_seeds(11, 1);
}

/* Two replicas, a shared start. */
static void
pair_open(struct hub *h, struct rep *r, const char *dir, int items)
{
	h->ops = json_array();
	h->ids = json_object();
	reps_open(r, dir);
	for (int i = 0; i < items; i++)
		unit_add(r[0].st, CAIRN_KIND_MILESTONE, "m", 0);
	for (int i = 0; i < NREP; i++)
		sync_one(h, &r[i]);
}

static void
pair_close(struct hub *h, struct rep *r, const char *dir)
{
	reps_close(r);
	unit_rmtree(dir);
	json_decref(h->ops);
	json_decref(h->ids);
}

static void
test_idempotent(void **state)
{
	struct cairn_sync_result res;
	struct buf before = BUF_INIT, after = BUF_INIT;
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];
	json_t *half;

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 3);
	unit_set_field(r[0].st, 1, "title", "renamed");
	hub_push(&h, &r[0]);
	hub_pull(&h, &r[1]);
	canon(r[1].path, &before);
	/* The same batch again, and its first half again. */
	assert_ok(cairn_sync_apply(r[1].st, h.ops, &res, &err), &err);
	assert_int_equal(res.applied, 0);
	half = json_array();
	json_array_append(half, json_array_get(h.ops, 0));
	assert_ok(cairn_sync_apply(r[1].st, half, &res, &err), &err);
	assert_int_equal(res.applied, 0);
	json_decref(half);
	canon(r[1].path, &after);
	assert_string_equal(before.buf, after.buf);
	assert_non_null(strstr(after.buf, "|renamed|"));
	/* Nothing of what was applied goes back to the hub. */
	{
		json_t *out;

		assert_ok(cairn_sync_outbox(r[1].st, 100, &out, &err), &err);
		assert_int_equal(json_array_size(out), 0);
		json_decref(out);
	}
	/* A malformed operation: refused, nothing applied. */
	{
		json_t *bad = json_pack("[{s:s}]", "id", "x");

		assert_code(cairn_sync_apply(r[1].st, bad, &res, &err),
		            CAIRN_EINVAL);
		json_decref(bad);
	}
	buf_release(&before);
	buf_release(&after);
	pair_close(&h, r, dir);
}

/* Replica 0 first: 1 builds on 2; then replica 1, an hour later: 2 builds
 * on 1 (its item numbers are the same: it got them in order).  Both
 * synced; CAIRN_NOW is left an hour on. */
static void
make_cycle(struct hub *h, struct rep *r)
{
	assert_ok(cairn_edge_add(r[0].st, 1, 2, &err), &err);
	hub_push(h, &r[0]);
	setenv("CAIRN_NOW", "2026-03-15T11:00:00Z", 1);
	assert_ok(cairn_edge_add(r[1].st, 2, 1, &err), &err);
	sync_one(h, &r[1]);
	sync_one(h, &r[0]);
}

static void
test_cycle_keeps_earlier(void **state)
{
	struct buf c0 = BUF_INIT, c1 = BUF_INIT;
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];
	struct cairn_sync_status s0, s1;

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	make_cycle(&h, r);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	canon(r[0].path, &c0);
	canon(r[1].path, &c1);
	assert_string_equal(c0.buf, c1.buf);
	assert_int_equal(db_int(r[0].path, "SELECT count(*) FROM edge WHERE "
	                                   "item = 1 AND prereq = 2"),
	                 1);
	assert_int_equal(db_int(r[1].path, "SELECT count(*) FROM edge"), 1);
	assert_ok(cairn_sync_status_get(r[0].st, &s0, &err), &err);
	assert_ok(cairn_sync_status_get(r[1].st, &s1, &err), &err);
	assert_int_equal(s0.conflicts + s1.conflicts, 2);
	assert_int_equal(s1.conflicts, 1);
	buf_release(&c0);
	buf_release(&c1);
	pair_close(&h, r, dir);
}

/* An edge kept out of a cycle comes back when the cycle goes, on the
 * replicas that kept it out and on one that sees it all at once. */
static void
test_kept_out_comes_back(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	make_cycle(&h, r);
	assert_int_equal(db_int(r[1].path, "SELECT count(*) FROM edge WHERE "
	                                   "item = 2"),
	                 0);
	setenv("CAIRN_NOW", "2026-03-15T12:00:00Z", 1);
	assert_ok(cairn_edge_remove(r[0].st, 1, 2, &err), &err);
	sync_all(&h, r);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM edge "
		                                   "WHERE item = 2 AND prereq "
		                                   "= 1"),
		                 1);
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM edge"),
		                 1);
	}
	assert_same(r);
	pair_close(&h, r, dir);
}

/* The first sync of a store made before sync: a parent with a higher id
 * than its child (a goal added after the milestone moved under it) goes
 * with the child's row, not as none. */
static void
test_first_sync_parent_after_child(void **state)
{
	struct hub h = {json_array(), json_object()};
	struct buf c0 = BUF_INIT, c1 = BUF_INIT;
	char dir[PATH_MAX];
	struct rep r[NREP];
	int64_t m, g;

	(void)state;
	unit_tmpdir(dir);
	reps_open(r, dir);
	m = unit_add(r[0].st, CAIRN_KIND_MILESTONE, "early milestone", 0);
	g = unit_add(r[0].st, CAIRN_KIND_GOAL, "later goal", 0);
	assert_true(g > m);
	assert_ok(cairn_item_move(r[0].st, m, g, &err), &err);
	sync_one(&h, &r[0]);
	sync_one(&h, &r[1]);
	assert_int_equal(db_int(r[1].path,
	                        "SELECT count(*) FROM item c JOIN item p ON "
	                        "p.id = c.parent WHERE c.title = 'early "
	                        "milestone' AND p.title = 'later goal'"),
	                 1);
	canon(r[0].path, &c0);
	canon(r[1].path, &c1);
	assert_string_equal(c0.buf, c1.buf);
	buf_release(&c0);
	buf_release(&c1);
	pair_close(&h, r, dir);
}

/* An undo of a sync that took an item away, put it back and took it away
 * again (another replica's remove, undo and remove, not knowing of a note
 * made here meanwhile) puts back the note as the note it was: one note
 * everywhere, not a second beside it. */
static void
test_undo_sync_puts_note_back_once(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	assert_ok(cairn_item_remove(r[1].st, 2, 1, &err), &err);
	hub_push(&h, &r[1]);
	assert_ok(cairn_undo(r[1].st, 1, NULL, &err), &err);
	hub_push(&h, &r[1]);
	assert_ok(cairn_item_remove(r[1].st, 2, 1, &err), &err);
	sync_one(&h, &r[1]);
	assert_ok(cairn_item_note(r[0].st, 2, "read the proofs", &err), &err);
	sync_one(&h, &r[0]);
	assert_int_equal(db_int(r[0].path, "SELECT count(*) FROM note"), 0);
	/* Replica 0 takes back the sync: the item and its note return. */
	assert_ok(cairn_undo(r[0].st, 1, NULL, &err), &err);
	sync_all(&h, r);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM note "
		                                   "WHERE text = 'read the "
		                                   "proofs'"),
		                 1);
	}
	assert_same(r);
	pair_close(&h, r, dir);
}

/* A tag added to an item while it was gone here (kept aside for it), the
 * item put back by an undo, and the same tag added and taken away again
 * before the next sync: every replica ends with the same tags. */
static void
test_tag_made_while_kept_aside(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	assert_ok(cairn_item_remove(r[1].st, 2, 1, &err), &err);
	sync_one(&h, &r[1]);
	sync_one(&h, &r[0]);
	assert_ok(cairn_item_tag(r[2].st, 2, "ml", 1, &err), &err);
	sync_one(&h, &r[2]);
	sync_one(&h, &r[0]);
	/* Replica 0 takes back the sync that removed it. */
	assert_ok(cairn_undo(r[0].st, 1, NULL, &err), &err);
	assert_ok(cairn_item_tag(r[0].st, 2, "ml", 1, &err), &err);
	assert_ok(cairn_undo(r[0].st, 1, NULL, &err), &err);
	sync_all(&h, r);
	assert_same(r);
	pair_close(&h, r, dir);
}

/*
 * Moves as if in clock order, whatever order they arrive in: replica 0
 * puts 2 under 3, then replica 1 puts 1 under 2, then replica 2 puts 2
 * under 1, each offline and later than the one before; they reach the
 * hub newest first.  In clock order the last move would put 2 under its
 * own descendant and is kept out, so every replica ends with 1 under 2
 * under 3 (replica 2 used to move 2 back to the top, where its own
 * journal said it was, with the undone move's clock, and so ignore the
 * oldest move when it came).
 */
static void
test_moves_in_clock_order(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 3);
	assert_ok(cairn_item_move(r[0].st, 2, 3, &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T11:00:00Z", 1);
	assert_ok(cairn_item_move(r[1].st, 1, 2, &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T12:00:00Z", 1);
	assert_ok(cairn_item_move(r[2].st, 2, 1, &err), &err);
	for (int i = NREP - 1; i >= 0; i--)
		hub_push(&h, &r[i]);
	sync_all(&h, r);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(db_int(r[i].path, "SELECT parent FROM item "
		                                   "WHERE id = 1"),
		                 2);
		assert_int_equal(db_int(r[i].path, "SELECT parent FROM item "
		                                   "WHERE id = 2"),
		                 3);
	}
	assert_same(r);
	pair_close(&h, r, dir);
}

/*
 * A move made after a delete made elsewhere is kept aside with the row;
 * the new parent coming back first does not use it up.  Replica 1
 * removes 2; replica 0 removes 1 and later puts it back (an undo, sent
 * late); replica 2 moves 1 under 2 after both, then gets the removes
 * (1 is kept aside with its move), then 2 back (replica 1's undo), then
 * 1 back.  The move is the newest change of 1's parent: 1 under 2
 * everywhere.
 */
static void
test_kept_move_waits_for_its_row(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	assert_ok(cairn_item_remove(r[1].st, 2, 1, &err), &err);
	hub_push(&h, &r[1]);
	setenv("CAIRN_NOW", "2026-03-15T10:10:00Z", 1);
	assert_ok(cairn_item_remove(r[0].st, 1, 1, &err), &err);
	hub_push(&h, &r[0]);
	setenv("CAIRN_NOW", "2026-03-15T10:20:00Z", 1);
	assert_ok(cairn_undo(r[0].st, 1, NULL, &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T10:30:00Z", 1);
	assert_ok(cairn_item_move(r[2].st, 1, 2, &err), &err);
	sync_one(&h, &r[2]);
	assert_int_equal(db_int(r[2].path, "SELECT count(*) FROM item"), 0);
	setenv("CAIRN_NOW", "2026-03-15T10:40:00Z", 1);
	assert_ok(cairn_undo(r[1].st, 1, NULL, &err), &err);
	sync_one(&h, &r[1]);
	hub_pull(&h, &r[2]);
	hub_push(&h, &r[0]);
	sync_all(&h, r);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM item "
		                                   "c JOIN item p ON p.id = "
		                                   "c.parent"),
		                 1);
	}
	assert_same(r);
	pair_close(&h, r, dir);
}

/* Item id's parent on every replica is want (0: the top). */
static void
assert_parent(struct rep *r, int id, int want)
{
	char sql[96];

	snprintf(sql, sizeof(sql),
	         "SELECT coalesce(parent, 0) FROM item WHERE id = %d", id);
	for (int i = 0; i < NREP; i++)
		assert_int_equal(db_int(r[i].path, sql), want);
}

/*
 * A move undone as the newest of a loop is made again when an older move
 * that arrives after it breaks the loop: in clock order that move came
 * before it.  2 is under 1; replica 1 moves 3 under 2, then 3 to the top;
 * replica 0, later, moves 2 under 3, and reaches the hub first.  Replica
 * 1 takes that move (3 is at the top there); replica 0 then gets 3 under
 * 2 (a loop: its own move of 2, the newest, is undone) and 3 to the top
 * in one batch, and makes its move again: 2 under 3 everywhere.
 */
static void
test_undone_move_made_again(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 3);
	assert_ok(cairn_item_move(r[0].st, 2, 1, &err), &err);
	sync_all(&h, r);
	setenv("CAIRN_NOW", "2026-03-15T10:10:00Z", 1);
	assert_ok(cairn_item_move(r[1].st, 3, 2, &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T10:20:00Z", 1);
	assert_ok(cairn_item_move(r[1].st, 3, 0, &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T10:30:00Z", 1);
	assert_ok(cairn_item_move(r[0].st, 2, 3, &err), &err);
	hub_push(&h, &r[0]);
	sync_one(&h, &r[1]);
	sync_one(&h, &r[0]);
	sync_all(&h, r);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	assert_parent(r, 2, 3);
	assert_parent(r, 3, 0);
	assert_same(r);
	pair_close(&h, r, dir);
}

/*
 * A move kept out as the newest of a loop goes in once a later move
 * breaks the loop, as on a replica where it came first.  Replica 0 moves
 * 1 under 2; replica 1, later, moves 2 under 1.  Replicas 0 and 2 get
 * them in that order and keep the second out; replica 1 undoes its own.
 * Then replica 0 moves 1 to the top: 2 goes under 1 everywhere.
 */
static void
test_kept_out_move_goes_in(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	setenv("CAIRN_NOW", "2026-03-15T10:10:00Z", 1);
	assert_ok(cairn_item_move(r[0].st, 1, 2, &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T10:20:00Z", 1);
	assert_ok(cairn_item_move(r[1].st, 2, 1, &err), &err);
	hub_push(&h, &r[0]);
	hub_push(&h, &r[1]);
	sync_all(&h, r);
	assert_int_equal(db_int(r[0].path, "SELECT count(*) FROM item WHERE "
	                                   "parent IS NOT NULL"),
	                 1);
	setenv("CAIRN_NOW", "2026-03-15T10:30:00Z", 1);
	assert_ok(cairn_item_move(r[0].st, 1, 0, &err), &err);
	sync_all(&h, r);
	sync_all(&h, r);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	assert_parent(r, 1, 0);
	assert_parent(r, 2, 1);
	assert_same(r);
	pair_close(&h, r, dir);
}

/* Whether the item with sync uuid u is in replica r's store. */
static int
has_item(struct rep *r, const char *u)
{
	struct cairn_item it;
	int64_t local = 0;
	int rc;

	assert_ok(cairn_sync_row_local(r->st, "item", u, &local, &err), &err);
	if (!local || (rc = cairn_item_get(r->st, local, &it, &err)))
		return 0;
	cairn_item_release(&it);
	return 1;
}

/* A put of a row that is here already is its add as well: a delete
 * older than that put, which did not see it, arriving after it, leaves
 * the row (replica 0 below had kept the add clock of an older put, and
 * lost the item the others kept). */
static void
test_put_again_outlives_older_delete(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	char u[37];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	assert_ok(cairn_sync_row_uuid(r[1].st, "item", 1, u, &err), &err);
	assert_ok(cairn_item_remove(r[1].st, 1, 1, &err), &err); /* d1 */
	sync_one(&h, &r[1]);
	sync_one(&h, &r[2]); /* d1 here too */
	sync_one(&h, &r[0]);
	assert_ok(cairn_undo(r[0].st, 1, NULL, &err), &err); /* p0 */
	sync_one(&h, &r[0]);
	sync_one(&h, &r[1]);
	assert_true(has_item(&r[1], u));
	{
		int64_t local = 0;

		assert_ok(
		        cairn_sync_row_local(r[1].st, "item", u, &local, &err),
		        &err);
		assert_ok(cairn_item_remove(r[1].st, local, 1, &err), &err);
	} /* d2, after p0, not yet sent */
	/* Replica 2 puts the item back an hour later: p2, newer than d2. */
	setenv("CAIRN_NOW", "2026-03-15T11:00:00Z", 1);
	assert_ok(cairn_undo(r[2].st, 1, NULL, &err), &err);
	sync_one(&h, &r[2]);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	sync_one(&h, &r[0]); /* p2 onto the item it has */
	sync_one(&h, &r[1]); /* d2 goes, older than p2 */
	sync_one(&h, &r[0]); /* and reaches replica 0 after p2 */
	sync_all(&h, r);
	for (int i = 0; i < NREP; i++)
		assert_true(has_item(&r[i], u));
	pair_close(&h, r, dir);
}

/* A resolution is two field changes the prediction's CHECK ties together
 * (outcome and its date): another replica takes them together, not each
 * refused alone. */
static void
test_resolution_syncs(void **state)
{
	struct cairn_prediction pr, got;
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];
	int64_t conflicts = 0;

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	cairn_prediction_init(&pr);
	pr.item = 1;
	pr.statement = xstrdup("the bound holds");
	pr.p = 0.7;
	assert_ok(cairn_prediction_add(r[0].st, &pr, &err), &err);
	sync_one(&h, &r[0]);
	sync_one(&h, &r[1]);
	assert_ok(cairn_prediction_resolve(r[0].st, pr.id, 1, NULL, "it held",
	                                   &err),
	          &err);
	sync_one(&h, &r[0]);
	sync_one(&h, &r[1]);
	assert_ok(cairn_prediction_get(r[1].st, pr.id, &got, &err), &err);
	assert_int_equal(got.outcome, 1);
	assert_true(got.resolved[0] != '\0');
	assert_string_equal(got.why, "it held");
	{
		struct cairn_sync_status stt;

		assert_ok(cairn_sync_status_get(r[1].st, &stt, &err), &err);
		conflicts = stt.conflicts;
	}
	assert_int_equal(conflicts, 0);
	cairn_prediction_release(&pr);
	cairn_prediction_release(&got);
	pair_close(&h, r, dir);
}

static void
test_add_wins_and_delete(void **state)
{
	char dir[PATH_MAX];
	struct hub h;
	struct rep r[NREP];

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	assert_ok(cairn_item_tag(r[0].st, 1, "ml", 1, &err), &err);
	for (int i = 0; i < NREP; i++)
		sync_one(&h, &r[i]);
	/* 0 removes the tag; 1, not having seen that, adds it again (a
	 * second add of a tag it has is no change, so it removes and adds). */
	assert_ok(cairn_item_tag(r[0].st, 1, "ml", 0, &err), &err);
	assert_ok(cairn_item_tag(r[1].st, 1, "ml", 0, &err), &err);
	assert_ok(cairn_item_tag(r[1].st, 1, "ml", 1, &err), &err);
	/* And 0 deletes item 2 while 1 renames it earlier. */
	assert_ok(cairn_item_set(r[1].st, 2, "title", "older", &err), &err);
	setenv("CAIRN_NOW", "2026-03-15T12:00:00Z", 1);
	assert_ok(cairn_item_remove(r[0].st, 2, 1, &err), &err);
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	sync_all(&h, r);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM tag "
		                                   "WHERE name = 'ml'"),
		                 1);
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM item"),
		                 1);
	}
	pair_close(&h, r, dir);
}

static void
test_note_from_elsewhere(void **state)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	struct buf a = BUF_INIT, b = BUF_INIT, v = BUF_INIT;
	char dir[PATH_MAX], item[37];
	struct hub h;
	struct rep r[NREP];
	struct cairn_sync_note n = {
	        .note_uuid = "0b9f6c1e-2d3a-8b4c-9d5e-6f708192a3b4",
	        .author = "sam",
	        .time = "2026-03-02T10:00:00Z",
	        .text = "Tighten the bound",
	};
	const char *kv[] = {"comments", "7", NULL, NULL};
	const char *kv8[] = {"comments", "8", NULL, NULL};
	int added;

	(void)state;
	unit_tmpdir(dir);
	pair_open(&h, r, dir, 2);
	assert_ok(cairn_sync_row_uuid(r[0].st, "item", 1, item, &err), &err);
	n.item = item;
	/* Two replicas take the same comment before either has the other's
	 * note; each takes it once. */
	for (int i = 0; i < 2; i++) {
		assert_ok(cairn_sync_note_add(r[i].st, &n, kv, &added, &err),
		          &err);
		assert_int_equal(added, 1);
		assert_ok(cairn_sync_note_add(r[i].st, &n, kv, &added, &err),
		          &err);
		assert_int_equal(added, 0);
	}
	/* Not a note, or an author that is not a line: refused, and the
	 * cursor does not move. */
	n.text = "   ";
	assert_code(cairn_sync_note_add(r[2].st, &n, kv8, &added, &e),
	            CAIRN_EINVAL);
	n.text = "Tighten the bound";
	n.author = "sam\nlee";
	assert_code(cairn_sync_note_add(r[2].st, &n, kv8, &added, &e),
	            CAIRN_EINVAL);
	n.author = "sam";
	assert_code(cairn_sync_state_get(r[2].st, "comments", &v, &e),
	            CAIRN_ENOTFOUND);
	/* An item this store does not have: no note, the cursor moves. */
	n.item = "7d1e2f30-0000-4000-8000-0000000000ff";
	assert_ok(cairn_sync_note_add(r[2].st, &n, kv, &added, &err), &err);
	assert_int_equal(added, 0);
	assert_ok(cairn_sync_state_get(r[2].st, "comments", &v, &err), &err);
	assert_string_equal(v.buf, "7");
	sync_all(&h, r);
	canon(r[0].path, &a);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(
		        db_int(r[i].path,
		               "SELECT count(*) FROM note WHERE author = 'sam' "
		               "AND text = 'Tighten the bound' AND created = "
		               "'2026-03-02T10:00:00Z'"),
		        1);
		assert_int_equal(db_int(r[i].path, "SELECT count(*) FROM note"),
		                 1);
		buf_reset(&b);
		canon(r[i].path, &b);
		assert_string_equal(a.buf, b.buf);
	}
	/* The third replica, which has the note now, passes the comment
	 * over. */
	n.item = item;
	assert_ok(cairn_sync_note_add(r[2].st, &n, kv, &added, &err), &err);
	assert_int_equal(added, 0);
	buf_release(&a);
	buf_release(&b);
	buf_release(&v);
	pair_close(&h, r, dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_idempotent),
	        cmocka_unit_test(test_cycle_keeps_earlier),
	        cmocka_unit_test(test_kept_out_comes_back),
	        cmocka_unit_test(test_add_wins_and_delete),
	        cmocka_unit_test(test_note_from_elsewhere),
	        cmocka_unit_test(test_converge_same_items),
	        cmocka_unit_test(test_resolution_syncs),
	        cmocka_unit_test(test_put_again_outlives_older_delete),
	        cmocka_unit_test(test_first_sync_parent_after_child),
	        cmocka_unit_test(test_undo_sync_puts_note_back_once),
	        cmocka_unit_test(test_tag_made_while_kept_aside),
	        cmocka_unit_test(test_moves_in_clock_order),
	        cmocka_unit_test(test_kept_move_waits_for_its_row),
	        cmocka_unit_test(test_undone_move_made_again),
	        cmocka_unit_test(test_kept_out_move_goes_in),
	        cmocka_unit_test(test_converge),
	};

	setenv("CAIRN_NOW", UNIT_NOW, 1);
	setenv("CAIRN_ACTOR", "tester", 1);
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
