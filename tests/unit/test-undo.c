/*
 * test-undo.c: undo brings the store back, table by table, to what it was
 * before each kind of change, including a forced removal of a subtree with
 * everything attached; undo N; undo as a stack (undone changes and undos
 * are skipped); nothing to undo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define T2 "2026-03-16T11:00:00Z"

/*
 * The base roadmap every undo test starts from:
 *   1 goal Compression [ml, theory] note, link
 *     2 milestone Read prior work (active)
 *     3 milestone Replicate, builds on 2
 *       4 milestone Deep part [gpu] note
 *   5 idea Leaderboard
 *   6 milestone Outside, builds on 4
 *   setting focus.main = 1
 */
static void
build_base(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	/* One change: one sync to disk instead of twenty. */
	assert_ok(cairn_store_begin(f->st, "base", &err), &err);
	unit_add(f->st, CAIRN_KIND_GOAL, "Compression", 0);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "Read prior work", 1);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "Replicate", 1);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "Deep part", 3);
	unit_add(f->st, CAIRN_KIND_IDEA, "Leaderboard", 0);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "Outside", 0);
	assert_ok(cairn_item_set(f->st, 1, "likelihood", "0.7", &err), &err);
	assert_ok(cairn_item_set(f->st, 1, "driven", "goal", &err), &err);
	assert_ok(cairn_item_set(f->st, 2, "estimate", "3/5/10", &err), &err);
	assert_ok(cairn_item_set(f->st, 2, "p_success", "0.9", &err), &err);
	assert_ok(cairn_item_set(f->st, 2, "scope", "2", &err), &err);
	assert_ok(cairn_item_set(f->st, 3, "due", "2026-09-01", &err), &err);
	assert_ok(cairn_item_set_status(f->st, 2, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	assert_ok(cairn_item_tag(f->st, 1, "ml", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, 1, "theory", 1, &err), &err);
	assert_ok(cairn_item_tag(f->st, 4, "gpu", 1, &err), &err);
	assert_ok(cairn_item_note(f->st, 1, "start with the survey", &err),
	          &err);
	assert_ok(cairn_item_note(f->st, 4, "needs 8 GPUs", &err), &err);
	assert_ok(cairn_item_link(f->st, 1, "https://arxiv.org/abs/1510.00149",
	                          "Deep Compression", &err),
	          &err);
	assert_ok(cairn_item_refine(f->st, 1,
	                            "Compression with provable guarantees",
	                            &err),
	          &err);
	assert_ok(cairn_edge_add(f->st, 3, 2, &err), &err);
	assert_ok(cairn_edge_add(f->st, 6, 4, &err), &err);
	assert_ok(cairn_setting_set(f->st, "focus.main", "1", &err), &err);
	assert_ok(cairn_store_commit(f->st, &err), &err);
}

static int
base_setup(void **state)
{
	if (fixture_setup(state))
		return -1;
	build_base(*state);
	return 0;
}

static void
snapshot(struct fixture *f, struct buf *out)
{
	buf_reset(out);
	db_dump_data(f->path, out);
}

static long long
last_change_id(struct fixture *f)
{
	return db_int(f->path, "SELECT max(id) FROM change");
}

static void
undo(struct fixture *f, int n, int want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	int done = -1;

	assert_ok(cairn_undo(f->st, n, &done, &err), &err);
	assert_int_equal(done, want);
}

typedef void (*mutation_fn)(struct fixture *f);

/*
 * Apply mutate, check that it changed the store, undo once and check the
 * store is back exactly as it was; the journal marks both changes.
 */
static void
check_undo(struct fixture *f, mutation_fn mutate)
{
	struct buf before = BUF_INIT, mid = BUF_INIT, after = BUF_INIT;
	long long first = last_change_id(f) + 1, last, undo_change;
	char *label, *want;

	snapshot(f, &before);
	mutate(f);
	last = last_change_id(f);
	assert_true(last >= first);
	snapshot(f, &mid);
	assert_string_not_equal(mid.buf, before.buf);

	undo(f, 1, 1);
	snapshot(f, &after);
	assert_string_equal(after.buf, before.buf);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM "
	                                 "pragma_foreign_key_check"),
	                 0);

	/* The undo is a change of its own, linked both ways. */
	undo_change = last_change_id(f);
	assert_int_equal(undo_change, last + 1);
	assert_int_equal(db_int(f->path,
	                        "SELECT undo_of FROM change WHERE id "
	                        "= %lld",
	                        undo_change),
	                 last);
	assert_int_equal(db_int(f->path,
	                        "SELECT undone_by FROM change WHERE "
	                        "id = %lld",
	                        last),
	                 undo_change);
	label = db_text(f->path, "SELECT label FROM change WHERE id = %lld",
	                undo_change);
	want = db_text(f->path,
	               "SELECT 'undo: ' || label FROM change WHERE "
	               "id = %lld",
	               last);
	assert_string_equal(label, want);
	free(label);
	free(want);
	/* Its events are journalled like any other change's. */
	assert_true(db_int(f->path,
	                   "SELECT count(*) FROM event WHERE change "
	                   "= %lld",
	                   undo_change) > 0);

	/* The same change can be made again on the restored store. */
	mutate(f);
	snapshot(f, &after);
	buf_release(&before);
	buf_release(&mid);
	buf_release(&after);
}

static void
m_add(struct fixture *f)
{
	unit_add(f->st, CAIRN_KIND_MILESTONE, "New step", 1);
}

static void
m_add_full(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;

	cairn_item_init(&it);
	it.kind = CAIRN_KIND_GOAL;
	it.title = xstrdup("BERT for under $100");
	it.body = xstrdup("Baseline about $7,000.");
	it.status = CAIRN_STATUS_ACTIVE;
	it.scope = 5;
	it.p_success = 0.2;
	it.novelty = 4;
	it.est[0] = 20;
	it.est[1] = 40;
	it.est[2] = 120;
	snprintf(it.due, sizeof(it.due), "2027-01-01");
	it.likelihood = 0.5;
	it.driven = CAIRN_DRIVEN_GOAL;
	it.visibility = CAIRN_VIS_PUBLIC;
	assert_ok(cairn_item_add(f->st, &it, &err), &err);
	cairn_item_release(&it);
}

/* Several calls in one change are undone together. */
static void
m_add_grouped(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t id;

	assert_ok(cairn_store_begin(f->st, "add with extras", &err), &err);
	id = unit_add(f->st, CAIRN_KIND_MILESTONE, "Grouped", 3);
	assert_ok(cairn_item_tag(f->st, id, "new", 1, &err), &err);
	assert_ok(cairn_item_note(f->st, id, "grouped note", &err), &err);
	assert_ok(cairn_edge_add(f->st, id, 2, &err), &err);
	assert_ok(cairn_store_commit(f->st, &err), &err);
}

static void
m_set(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_set(f->st, 2, "title", "Read the survey", &err),
	          &err);
}

static void
m_set_clear(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_set(f->st, 2, "estimate", "none", &err), &err);
}

static void
m_update(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;

	assert_ok(cairn_item_get(f->st, 3, &it, &err), &err);
	it.scope = 4;
	it.novelty = 3;
	it.p_success = 0.35;
	it.due[0] = '\0';
	it.visibility = CAIRN_VIS_LAB;
	it.status = CAIRN_STATUS_PAUSED;
	assert_ok(cairn_item_update(f->st, &it, &err), &err);
	cairn_item_release(&it);
}

static void
m_move(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_move(f->st, 3, 0, &err), &err);
}

static void
m_done(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	setenv("CAIRN_NOW", T2, 1);
	assert_ok(
	        cairn_item_set_status(f->st, 2, CAIRN_STATUS_DONE, NULL, &err),
	        &err);
}

static void
m_start(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	setenv("CAIRN_NOW", T2, 1);
	assert_ok(cairn_item_set_status(f->st, 3, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
}

static void
m_drop(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_set_status(f->st, 3, CAIRN_STATUS_DROPPED,
	                                "scooped", &err),
	          &err);
}

static void
m_tag(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_tag(f->st, 3, "replication", 1, &err), &err);
}

static void
m_untag(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_tag(f->st, 1, "ml", 0, &err), &err);
}

static void
m_link(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_link(f->st, 3, "https://example.org/code", NULL,
	                          &err),
	          &err);
}

static void
m_note(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_note(f->st, 3, "the seed matters", &err), &err);
}

static void
m_refine(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_refine(f->st, 3,
	                            "Replicate Deep Compression on "
	                            "AlexNet",
	                            &err),
	          &err);
}

static void
m_promote(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_promote(f->st, 5, CAIRN_KIND_MILESTONE, 1, &err),
	          &err);
}

static void
m_edge_add(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_edge_add(f->st, 6, 2, &err), &err);
}

static void
m_edge_remove(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_edge_remove(f->st, 3, 2, &err), &err);
}

static void
m_remove_leaf(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_remove(f->st, 5, 0, &err), &err);
}

/* The whole goal: items 1-4 with tags, notes, a link, statements, the
 * edge 3 -> 2 inside and the edge 6 -> 4 from outside. */
static void
m_remove_subtree(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_remove(f->st, 1, 1, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 2);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM edge"), 0);
}

static void
m_setting(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_setting_set(f->st, "focus.main", "3", &err), &err);
}

static void
m_setting_remove(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_setting_set(f->st, "focus.main", NULL, &err), &err);
}

/* test_undo_NAME checks the undo of mutation m_NAME. */
#define UNDO_TEST(name)                                                        \
	static void test_undo_##name(void **state)                             \
	{                                                                      \
		check_undo(*state, m_##name);                                  \
	}

UNDO_TEST(add)
UNDO_TEST(add_full)
UNDO_TEST(add_grouped)
UNDO_TEST(set)
UNDO_TEST(set_clear)
UNDO_TEST(update)
UNDO_TEST(move)
UNDO_TEST(done)
UNDO_TEST(start)
UNDO_TEST(drop)
UNDO_TEST(tag)
UNDO_TEST(untag)
UNDO_TEST(link)
UNDO_TEST(note)
UNDO_TEST(refine)
UNDO_TEST(promote)
UNDO_TEST(edge_add)
UNDO_TEST(edge_remove)
UNDO_TEST(remove_leaf)
UNDO_TEST(remove_subtree)
UNDO_TEST(setting)
UNDO_TEST(setting_remove)

static int
collect_visit(void *ctx, const struct cairn_item *it, int depth,
              const unsigned char *last)
{
	struct buf *out = ctx;

	(void)last;
	buf_addf(out, "%s%lld:%d", out->len ? "," : "", (long long)it->id,
	         depth);
	return 0;
}

static int
collect_item(void *ctx, const struct cairn_item *it)
{
	struct buf *out = ctx;

	buf_addf(out, "%s%lld", out->len ? "," : "", (long long)it->id);
	return 0;
}

static int
collect_text(void *ctx, const struct cairn_entry *e)
{
	struct buf *out = ctx;

	buf_addf(out, "%s%s", out->len ? "," : "", e->text);
	return 0;
}

/* After undoing the subtree removal the library reads it as before. */
static void
test_undo_remove_api(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	struct buf b = BUF_INIT;

	m_remove_subtree(f);
	undo(f, 1, 1);
	assert_ok(cairn_item_get(f->st, 4, &it, &err), &err);
	assert_string_equal(it.title, "Deep part");
	assert_int_equal(it.parent, 3);
	cairn_item_release(&it);
	assert_ok(cairn_item_get(f->st, 2, &it, &err), &err);
	assert_int_equal(it.status, CAIRN_STATUS_ACTIVE);
	assert_string_equal(it.started, UNIT_NOW);
	assert_float_equal(it.est[2], 10, 1e-12);
	cairn_item_release(&it);

	assert_ok(cairn_tree_walk(f->st, 1, 1, collect_visit, &b, &err), &err);
	assert_string_equal(b.buf, "1:0,2:1,3:1,4:2");
	buf_reset(&b);
	assert_ok(cairn_item_prereqs(f->st, 6, collect_item, &b, &err), &err);
	assert_string_equal(b.buf, "4");
	buf_reset(&b);
	assert_ok(cairn_item_prereqs(f->st, 3, collect_item, &b, &err), &err);
	assert_string_equal(b.buf, "2");
	buf_reset(&b);
	assert_ok(cairn_item_tags(f->st, 1, collect_text, &b, &err), &err);
	assert_string_equal(b.buf, "ml,theory");
	buf_reset(&b);
	assert_ok(cairn_item_statements(f->st, 1, collect_text, &b, &err),
	          &err);
	assert_string_equal(b.buf,
	                    "Compression,Compression with provable guarantees");
	buf_reset(&b);
	assert_ok(cairn_item_notes(f->st, 4, collect_text, &b, &err), &err);
	assert_string_equal(b.buf, "needs 8 GPUs");
	buf_reset(&b);
	assert_ok(cairn_item_links(f->st, 1, collect_text, &b, &err), &err);
	assert_string_equal(b.buf, "https://arxiv.org/abs/1510.00149");
	buf_release(&b);
}

/* Undo N takes back the last N changes in one go. */
static void
test_undo_n(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	long long first, undo_first;

	snapshot(f, &before);
	first = last_change_id(f) + 1;
	m_tag(f);
	m_remove_subtree(f);
	assert_ok(cairn_item_move(f->st, 5, 6, &err), &err);
	assert_ok(cairn_item_note(f->st, 6, "on its own now", &err), &err);
	undo(f, 4, 4);
	snapshot(f, &after);
	assert_string_equal(after.buf, before.buf);
	/* Each undone change is marked, each by its own undo change. */
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM change WHERE "
	                        "id >= %lld AND undo_of IS NULL "
	                        "AND undone_by IS NOT NULL",
	                        first),
	                 4);
	undo_first = first + 4;
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM change WHERE "
	                        "id >= %lld AND undo_of IS NOT NULL",
	                        undo_first),
	                 4);
	/* Newest first: the first undo change undid the last change. */
	assert_int_equal(db_int(f->path,
	                        "SELECT undo_of FROM change WHERE id "
	                        "= %lld",
	                        undo_first),
	                 first + 3);
	assert_int_equal(db_int(f->path,
	                        "SELECT undo_of FROM change WHERE id "
	                        "= %lld",
	                        undo_first + 3),
	                 first);
	buf_release(&before);
	buf_release(&after);
}

/* Undone changes and undos are skipped: undo walks back like a stack. */
static void
test_undo_stack(void **state)
{
	struct fixture *f = *state;
	struct buf base = BUF_INIT, after_a = BUF_INIT, now = BUF_INIT;

	snapshot(f, &base);
	m_tag(f); /* A */
	snapshot(f, &after_a);
	m_set(f);      /* B */
	undo(f, 1, 1); /* undoes B */
	snapshot(f, &now);
	assert_string_equal(now.buf, after_a.buf);
	m_link(f);     /* C */
	undo(f, 1, 1); /* undoes C, not the undo of B */
	snapshot(f, &now);
	assert_string_equal(now.buf, after_a.buf);
	undo(f, 1, 1); /* skips B (undone) and both undos: undoes A */
	snapshot(f, &now);
	assert_string_equal(now.buf, base.buf);
	buf_release(&base);
	buf_release(&after_a);
	buf_release(&now);
}

/* Asking for more than there is undoes what there is. */
static void
test_undo_runs_out(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf empty = BUF_INIT, now = BUF_INIT;
	int done = -1;

	snapshot(f, &empty);
	unit_add(f->st, CAIRN_KIND_GOAL, "One", 0);
	unit_add(f->st, CAIRN_KIND_GOAL, "Two", 0);
	assert_ok(cairn_undo(f->st, 10, &done, &err), &err);
	assert_int_equal(done, 2);
	snapshot(f, &now);
	assert_string_equal(now.buf, empty.buf);

	/* Nothing left: the store's creation is not a change to undo. */
	assert_code(cairn_undo(f->st, 1, &done, &err), CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "nothing to undo");
	assert_int_equal(done, 0);
	assert_code(cairn_undo(f->st, 1, NULL, &err), CAIRN_ENOTFOUND);
	assert_code(cairn_undo(f->st, 0, &done, &err), CAIRN_EINVAL);
	assert_code(cairn_undo(f->st, -2, &done, &err), CAIRN_EINVAL);
	snapshot(f, &now);
	assert_string_equal(now.buf, empty.buf);

	/* Ids are never reused, even after undoing their add. */
	assert_int_equal(unit_add(f->st, CAIRN_KIND_GOAL, "Three", 0), 3);
	buf_release(&empty);
	buf_release(&now);
}

/* A fresh store has nothing to undo; changes without events are skipped. */
static void
test_nothing_to_undo(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long changes = last_change_id(f);

	assert_code(cairn_undo(f->st, 1, NULL, &err), CAIRN_ENOTFOUND);
	assert_int_equal(last_change_id(f), changes);
	unit_add(f->st, CAIRN_KIND_GOAL, "One", 0);
	/* A change that altered nothing (tag already absent). */
	assert_ok(cairn_item_tag(f->st, 1, "absent", 0, &err), &err);
	undo(f, 1, 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
}

/* Undo survives closing the store: the journal is all it needs. */
static void
test_undo_after_reopen(void **state)
{
	struct fixture *f = *state;
	struct buf before = BUF_INIT, now = BUF_INIT;

	snapshot(f, &before);
	m_remove_subtree(f);
	fixture_reopen(f);
	undo(f, 1, 1);
	snapshot(f, &now);
	assert_string_equal(now.buf, before.buf);
	buf_release(&before);
	buf_release(&now);
}

/* Numbers come back exactly, not rounded through their JSON image. */
static void
test_undo_precision(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT, now = BUF_INIT;
	struct cairn_item it;
	double p, likely, pessimistic;
	int same;

	assert_ok(cairn_item_set(f->st, 3, "p_success", "0.30000000000000004",
	                         &err),
	          &err);
	assert_ok(cairn_item_set(f->st, 3, "estimate",
	                         "0.1/3.3333333333333335/10.000000000000002",
	                         &err),
	          &err);
	snapshot(f, &before);
	assert_ok(cairn_item_set(f->st, 3, "p_success", "0.5", &err), &err);
	assert_ok(cairn_item_set(f->st, 3, "estimate", "1/2/3", &err), &err);
	undo(f, 2, 2);
	assert_ok(cairn_item_get(f->st, 3, &it, &err), &err);
	p = it.p_success;
	likely = it.est[1];
	pessimistic = it.est[2];
	cairn_item_release(&it);
	snapshot(f, &now);
	same = !strcmp(now.buf, before.buf);
	buf_release(&before);
	buf_release(&now);
	if (p != 0.30000000000000004 || likely != 3.3333333333333335 ||
	    pessimistic != 10.000000000000002)
		fail_msg("undo restored p_success %.17g, estimate likely %.17g "
		         "and pessimistic %.17g, want 0.30000000000000004, "
		         "3.3333333333333335 and 10.000000000000002",
		         p, likely, pessimistic);
	assert_true(same);
}

#define BASE(t) cmocka_unit_test_setup_teardown(t, base_setup, fixture_teardown)
#define FX(t)                                                                  \
	cmocka_unit_test_setup_teardown(t, fixture_setup, fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        BASE(test_undo_add),         BASE(test_undo_add_full),
	        BASE(test_undo_add_grouped), BASE(test_undo_set),
	        BASE(test_undo_set_clear),   BASE(test_undo_update),
	        BASE(test_undo_move),        BASE(test_undo_done),
	        BASE(test_undo_start),       BASE(test_undo_drop),
	        BASE(test_undo_tag),         BASE(test_undo_untag),
	        BASE(test_undo_link),        BASE(test_undo_note),
	        BASE(test_undo_refine),      BASE(test_undo_promote),
	        BASE(test_undo_edge_add),    BASE(test_undo_edge_remove),
	        BASE(test_undo_remove_leaf), BASE(test_undo_remove_subtree),
	        BASE(test_undo_setting),     BASE(test_undo_setting_remove),
	        BASE(test_undo_remove_api),  BASE(test_undo_n),
	        BASE(test_undo_stack),       FX(test_undo_runs_out),
	        FX(test_nothing_to_undo),    BASE(test_undo_after_reopen),
	        BASE(test_undo_precision),
	};

	return cmocka_run_group_tests_name("undo", tests, NULL, NULL);
}
