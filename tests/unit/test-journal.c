/*
 * test-journal.c: every change is journalled as events (entity, before,
 * after) in the same transaction as the change; the journal can be read
 * back by item and by time; $CAIRN_NOW fixes the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

#define T1 "2026-03-15T10:00:00Z" /* UNIT_NOW */
#define T2 "2026-03-16T11:00:00Z"
#define T3 "2026-03-17T12:00:00Z"
#define T4 "2026-03-18T13:00:00Z"

/* A copy of one event, its images parsed. */
struct ev {
	int64_t id, change, entity_id, item, undo_of, undone_by;
	char *time, *actor, *label, *entity;
	json_t *before, *after;
};

struct evlist {
	struct ev *v;
	size_t n;
	int64_t change; /* keep only this change's events; 0: all */
};

static int
collect_ev(void *ctx, const struct cairn_event *e)
{
	struct evlist *l = ctx;
	struct ev *x;

	if (l->change && e->change != l->change)
		return 0;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	x = &l->v[l->n++];
	x->id = e->id;
	x->change = e->change;
	x->entity_id = e->entity_id;
	x->item = e->item;
	x->undo_of = e->undo_of;
	x->undone_by = e->undone_by;
	x->time = xstrdup(e->time);
	x->actor = xstrdup(e->actor);
	x->label = xstrdup(e->label);
	x->entity = xstrdup(e->entity);
	x->before = cairn_json_parse(e->before);
	x->after = cairn_json_parse(e->after);
	/* An image, when there is one, is a JSON object. */
	if ((e->before && !json_is_object(x->before)) ||
	    (e->after && !json_is_object(x->after)))
		fail_msg("event %lld has an image that is not a JSON object",
		         (long long)e->id);
	return 0;
}

static void
evlist_release(struct evlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].time);
		free(l->v[i].actor);
		free(l->v[i].label);
		free(l->v[i].entity);
		json_decref(l->v[i].before);
		json_decref(l->v[i].after);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The events of the newest change, in journal order. */
static void
last_change(struct fixture *f, struct evlist *l)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	evlist_release(l);
	l->change = db_int(f->path, "SELECT max(id) FROM change");
	assert_ok(cairn_journal_each(f->st, 0, NULL, NULL, collect_ev, l, &err),
	          &err);
}

/* Events as "entity#entity_id@item op" words: op is +, ~ or -. */
static void
summary(const struct evlist *l, struct buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		char op = !e->before ? '+' : !e->after ? '-' : '~';

		buf_addf(out, "%s%s#%lld@%lld%c", i ? " " : "", e->entity,
		         (long long)e->entity_id, (long long)e->item, op);
	}
}

static void
expect_summary(struct fixture *f, struct evlist *l, const char *want)
{
	struct buf s = BUF_INIT;

	last_change(f, l);
	summary(l, &s);
	assert_string_equal(s.buf, want);
	buf_release(&s);
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		fail_msg("no key '%s' in the image", key);
	return json_is_null(v) ? "(null)" : json_string_value(v);
}

static long long
jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		fail_msg("no key '%s' in the image", key);
	return json_is_null(v) ? -1 : (long long)json_integer_value(v);
}

static double
jreal(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		fail_msg("no key '%s' in the image", key);
	return json_is_null(v) ? -1 : json_number_value(v);
}

static void
test_add_events(void **state)
{
	struct fixture *f = *state;
	struct evlist l = {0};
	struct ev *e;
	int64_t id;

	id = unit_add(f->st, CAIRN_KIND_GOAL, "BERT for under $100", 0);
	expect_summary(f, &l, "item#1@1+ statement#1@1+");
	e = &l.v[0];
	assert_string_equal(e->time, UNIT_NOW);
	assert_string_equal(e->actor, "tester");
	assert_string_equal(e->label, "add item");
	assert_int_equal(e->undo_of, 0);
	assert_int_equal(e->undone_by, 0);
	assert_null(e->before);
	assert_int_equal(jint(e->after, "id"), id);
	assert_string_equal(jstr(e->after, "kind"), "goal");
	assert_string_equal(jstr(e->after, "title"), "BERT for under $100");
	assert_string_equal(jstr(e->after, "status"), "planned");
	assert_string_equal(jstr(e->after, "created"), UNIT_NOW);
	assert_string_equal(jstr(e->after, "parent"), "(null)");
	assert_string_equal(jstr(e->after, "scope"), "(null)");
	assert_int_equal(json_object_size(e->after), 22);
	e = &l.v[1];
	assert_int_equal(jint(e->after, "item"), id);
	assert_string_equal(jstr(e->after, "text"), "BERT for under $100");

	/* The file agrees with what journal_each reports. */
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), 2);
	assert_int_equal(db_int(f->path, "SELECT count(DISTINCT change) FROM "
	                                 "event"),
	                 1);
	evlist_release(&l);
}

/*
 * A text column is journalled as it is, a column that can hold a REAL
 * with all 17 digits: the triggers test the type only where a REAL can
 * be (a third less schema for every connection to parse).
 */
static void
test_text_columns_plain(void **state)
{
	struct fixture *f = *state;
	char *sql, *v;

	unit_add(f->st, CAIRN_KIND_MILESTONE, "M", 0);
	sql = db_text(f->path, "SELECT sql FROM sqlite_schema WHERE name = "
	                       "'journal_item_UPDATE'");
	assert_non_null(strstr(sql, "'title', NEW.title,"));
	assert_null(strstr(sql, "typeof(NEW.title)"));
	assert_null(strstr(sql, "typeof(NEW.id)"));
	assert_non_null(strstr(sql, "CASE typeof(NEW.p_success) WHEN 'real'"));
	assert_non_null(strstr(sql, "CASE typeof(NEW.scope) WHEN 'real'"));
	free(sql);
	/* A number given to a text column is stored, and journalled, as
	 * text; a REAL in an INTEGER column keeps its fraction. */
	db_exec(f->path, "UPDATE item SET title = 0.1, scope = 1.5, "
	                 "p_success = 0.1 WHERE id = 1");
	v = db_text(f->path, "SELECT json_extract(after, '$.title') || ' ' || "
	                     "json_type(after, '$.title') || ' ' || "
	                     "json_extract(after, '$.scope') FROM event "
	                     "ORDER BY id DESC LIMIT 1");
	assert_string_equal(v, "0.1 text 1.5");
	free(v);
	assert_int_equal(db_int(f->path, "SELECT instr(after, '\"p_success\":"
	                                 "0.10000000000000001') > 0 FROM event "
	                                 "ORDER BY id DESC LIMIT 1"),
	                 1);
}

static void
test_mutation_events(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct evlist l = {0};
	struct ev *e;

	unit_add(f->st, CAIRN_KIND_GOAL, "Goal", 0);      /* 1 */
	unit_add(f->st, CAIRN_KIND_MILESTONE, "Mile", 0); /* 2 */
	unit_add(f->st, CAIRN_KIND_IDEA, "An idea", 0);   /* 3 */

	/* set: one update with the old and the new value. */
	assert_ok(cairn_item_set(f->st, 2, "scope", "3", &err), &err);
	expect_summary(f, &l, "item#2@2~");
	e = &l.v[0];
	assert_int_equal(jint(e->before, "scope"), -1);
	assert_int_equal(jint(e->after, "scope"), 3);
	assert_string_equal(jstr(e->before, "title"), "Mile");
	assert_string_equal(jstr(e->after, "title"), "Mile");
	assert_ok(cairn_item_set(f->st, 2, "p_success", "0.25", &err), &err);
	expect_summary(f, &l, "item#2@2~");
	assert_float_equal(jreal(l.v[0].after, "p_success"), 0.25, 1e-12);

	/* move */
	assert_ok(cairn_item_move(f->st, 2, 1, &err), &err);
	expect_summary(f, &l, "item#2@2~");
	assert_int_equal(jint(l.v[0].before, "parent"), -1);
	assert_int_equal(jint(l.v[0].after, "parent"), 1);

	/* status */
	setenv("CAIRN_NOW", T2, 1);
	assert_ok(cairn_item_set_status(f->st, 2, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	expect_summary(f, &l, "item#2@2~");
	e = &l.v[0];
	assert_string_equal(e->time, T2);
	assert_string_equal(jstr(e->before, "status"), "planned");
	assert_string_equal(jstr(e->after, "status"), "active");
	assert_string_equal(jstr(e->before, "started"), "(null)");
	assert_string_equal(jstr(e->after, "started"), T2);
	assert_ok(cairn_item_set_status(f->st, 2, CAIRN_STATUS_DROPPED,
	                                "no budget", &err),
	          &err);
	expect_summary(f, &l, "item#2@2~");
	assert_string_equal(jstr(l.v[0].after, "why"), "no budget");
	assert_string_equal(jstr(l.v[0].after, "finished"), T2);

	/* tags */
	assert_ok(cairn_item_tag(f->st, 2, "ml", 1, &err), &err);
	expect_summary(f, &l, "tag#1@2+");
	assert_string_equal(jstr(l.v[0].after, "name"), "ml");
	assert_int_equal(jint(l.v[0].after, "item"), 2);
	assert_ok(cairn_item_tag(f->st, 2, "ml", 0, &err), &err);
	expect_summary(f, &l, "tag#1@2-");
	assert_string_equal(jstr(l.v[0].before, "name"), "ml");

	/* link, note */
	assert_ok(cairn_item_link(f->st, 1, "https://example.org", "ex", &err),
	          &err);
	expect_summary(f, &l, "link#1@1+");
	assert_string_equal(jstr(l.v[0].after, "url"), "https://example.org");
	assert_string_equal(jstr(l.v[0].after, "label"), "ex");
	assert_ok(cairn_item_note(f->st, 1, "first note", &err), &err);
	expect_summary(f, &l, "note#1@1+");
	assert_string_equal(jstr(l.v[0].after, "text"), "first note");
	assert_string_equal(jstr(l.v[0].after, "created"), T2);

	/* refine: the title changes and a statement is added. */
	assert_ok(cairn_item_refine(f->st, 1, "Sharper goal", &err), &err);
	expect_summary(f, &l, "item#1@1~ statement#4@1+");
	assert_string_equal(jstr(l.v[0].before, "title"), "Goal");
	assert_string_equal(jstr(l.v[0].after, "title"), "Sharper goal");
	assert_string_equal(jstr(l.v[1].after, "text"), "Sharper goal");

	/* promote: kind and status. */
	assert_ok(cairn_item_promote(f->st, 3, CAIRN_KIND_MILESTONE, 1, &err),
	          &err);
	last_change(f, &l);
	assert_true(l.n >= 1);
	for (size_t i = 0; i < l.n; i++) {
		assert_string_equal(l.v[i].entity, "item");
		assert_int_equal(l.v[i].entity_id, 3);
	}
	assert_string_equal(jstr(l.v[0].before, "kind"), "idea");
	assert_string_equal(jstr(l.v[l.n - 1].after, "kind"), "milestone");
	assert_string_equal(jstr(l.v[l.n - 1].after, "status"), "planned");
	assert_int_equal(jint(l.v[l.n - 1].after, "parent"), 1);

	/* edges */
	assert_ok(cairn_edge_add(f->st, 3, 2, &err), &err);
	expect_summary(f, &l, "edge#1@3+");
	assert_int_equal(jint(l.v[0].after, "item"), 3);
	assert_int_equal(jint(l.v[0].after, "prereq"), 2);
	assert_ok(cairn_edge_remove(f->st, 3, 2, &err), &err);
	expect_summary(f, &l, "edge#1@3-");
	assert_int_equal(jint(l.v[0].before, "prereq"), 2);

	/* settings have no item. */
	assert_ok(cairn_setting_set(f->st, "focus.main", "1", &err), &err);
	expect_summary(f, &l, "setting#1@0+");
	assert_string_equal(jstr(l.v[0].after, "value"), "1");

	/* remove: the item and everything attached, each with its image. */
	assert_ok(cairn_item_remove(f->st, 3, 0, &err), &err);
	last_change(f, &l);
	{
		int item = 0, statement = 0;

		for (size_t i = 0; i < l.n; i++) {
			assert_null(l.v[i].after);
			assert_non_null(l.v[i].before);
			assert_int_equal(l.v[i].item, 3);
			item += !strcmp(l.v[i].entity, "item");
			statement += !strcmp(l.v[i].entity, "statement");
		}
		assert_int_equal(item, 1);
		assert_int_equal(statement, 1);
		assert_int_equal(l.n, 2);
	}
	evlist_release(&l);
}

/* Refused and abandoned changes leave neither change nor event rows. */
static void
test_same_transaction(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	long long changes, events;

	unit_add(f->st, CAIRN_KIND_GOAL, "Goal", 0);
	changes = db_int(f->path, "SELECT count(*) FROM change");
	events = db_int(f->path, "SELECT count(*) FROM event");

	assert_ok(cairn_store_begin(f->st, "abandoned", &err), &err);
	unit_add(f->st, CAIRN_KIND_MILESTONE, "M", 1);
	assert_ok(cairn_item_tag(f->st, 1, "x", 1, &err), &err);
	assert_ok(cairn_item_set(f->st, 1, "title", "Changed", &err), &err);
	/* Inside the change the events are there... */
	{
		struct evlist l = {0};

		assert_ok(cairn_journal_each(f->st, 0, NULL, NULL, collect_ev,
		                             &l, &err),
		          &err);
		assert_int_equal(l.n, events + 4);
		evlist_release(&l);
	}
	cairn_store_rollback(f->st);
	/* ...and go with it. */
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), events);

	/* A call that fails half-way writes nothing either. */
	cairn_item_init(&it);
	it.title = xstrdup("orphan");
	it.parent = 42;
	assert_code(cairn_item_add(f->st, &it, &err), CAIRN_ENOTFOUND);
	cairn_item_release(&it);
	assert_code(cairn_edge_add(f->st, 1, 77, &err), CAIRN_ENOTFOUND);
	assert_code(cairn_item_refine(f->st, 1, "Goal", &err), CAIRN_EINVAL);
	assert_code(cairn_item_remove(f->st, 55, 1, &err), CAIRN_ENOTFOUND);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), events);

	/* Every event belongs to a change that exists. */
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event WHERE "
	                                 "change NOT IN (SELECT id FROM "
	                                 "change)"),
	                 0);
}

/* A front end relabels the open change with what the command was. */
static void
test_label(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct evlist l = {0};
	long long changes;

	assert_ok(cairn_store_begin(f->st, "add", &err), &err);
	assert_ok(cairn_change_label(f->st, "add goal 'Metrics'", &err), &err);
	unit_add(f->st, CAIRN_KIND_GOAL, "Metrics", 0);
	assert_ok(cairn_store_commit(f->st, &err), &err);
	last_change(f, &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].label, "add goal 'Metrics'");
	assert_string_equal(l.v[1].label, "add goal 'Metrics'");

	/* Outside a change, relabelling does nothing. */
	changes = db_int(f->path, "SELECT count(*) FROM change");
	assert_ok(cairn_change_label(f->st, "nothing", &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change WHERE "
	                                 "label = 'nothing'"),
	                 0);
	evlist_release(&l);
}

/* Ids of the events journal_each returns, as "1,2,3". */
static void
expect_journal(struct fixture *f, int64_t item, const char *since,
               const char *until, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct evlist l = {0};
	struct buf ids = BUF_INIT;

	assert_ok(cairn_journal_each(f->st, item, since, until, collect_ev, &l,
	                             &err),
	          &err);
	for (size_t i = 0; i < l.n; i++)
		buf_addf(&ids, "%s%lld", i ? "," : "", (long long)l.v[i].id);
	assert_string_equal(ids.buf, want);
	buf_release(&ids);
	evlist_release(&l);
}

static int
stop_at(void *ctx, const struct cairn_event *e)
{
	int64_t *id = ctx;

	return e->id == *id ? 9 : 0;
}

static void
test_filters(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	int64_t stop = 3;

	setenv("CAIRN_NOW", T1, 1);
	unit_add(f->st, CAIRN_KIND_GOAL, "One", 0); /* events 1, 2 */
	setenv("CAIRN_NOW", T2, 1);
	unit_add(f->st, CAIRN_KIND_GOAL, "Two", 0); /* events 3, 4 */
	setenv("CAIRN_NOW", T3, 1);
	assert_ok(cairn_item_note(f->st, 1, "on one", &err), &err); /* 5 */
	setenv("CAIRN_NOW", T4, 1);
	assert_ok(cairn_item_tag(f->st, 2, "two", 1, &err), &err); /* 6 */
	assert_ok(cairn_setting_set(f->st, "k", "v", &err), &err); /* 7 */

	expect_journal(f, 0, NULL, NULL, "1,2,3,4,5,6,7");
	/* By item: its own row and its attachments. */
	expect_journal(f, 1, NULL, NULL, "1,2,5");
	expect_journal(f, 2, NULL, NULL, "3,4,6");
	expect_journal(f, 99, NULL, NULL, "");
	/* since is inclusive, until exclusive. */
	expect_journal(f, 0, T2, NULL, "3,4,5,6,7");
	expect_journal(f, 0, NULL, T3, "1,2,3,4");
	expect_journal(f, 0, T2, T4, "3,4,5");
	expect_journal(f, 0, T2, T2, "");
	expect_journal(f, 1, T2, NULL, "5");
	/* Bare dates work as bounds (the start of that day). */
	expect_journal(f, 0, "2026-03-16", "2026-03-18", "3,4,5");
	expect_journal(f, 0, "2026-03-19", NULL, "");
	/* A callback's non-zero return stops the walk and comes back. */
	assert_int_equal(
	        cairn_journal_each(f->st, 0, NULL, NULL, stop_at, &stop, &err),
	        9);
}

static void
test_clock(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	char ts[CAIRN_TS_LEN];
	time_t before, t;

	setenv("CAIRN_NOW", "2030-01-02T03:04:05Z", 1);
	assert_int_equal(cairn_clock(),
	                 cairn_ts_to_time("2030-01-02T03:04:05Z"));
	cairn_now(ts);
	assert_string_equal(ts, "2030-01-02T03:04:05Z");
	unit_add(f->st, CAIRN_KIND_GOAL, "Later", 0);
	assert_ok(cairn_item_get(f->st, 1, &it, &err), &err);
	assert_string_equal(it.created, "2030-01-02T03:04:05Z");
	cairn_item_release(&it);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change WHERE "
	                                 "time = '2030-01-02T03:04:05Z'"),
	                 1);

	/* A date means its midnight. */
	setenv("CAIRN_NOW", "2030-01-02", 1);
	cairn_now(ts);
	assert_string_equal(ts, "2030-01-02T00:00:00Z");

	/* Unset or malformed: the real clock. */
	before = time(NULL);
	unsetenv("CAIRN_NOW");
	t = cairn_clock();
	assert_in_range(t, before, time(NULL));
	setenv("CAIRN_NOW", "next tuesday", 1);
	t = cairn_clock();
	assert_in_range(t, before, time(NULL));
	setenv("CAIRN_NOW", "", 1);
	t = cairn_clock();
	assert_in_range(t, before, time(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_add_events, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_mutation_events, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_same_transaction, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_text_columns_plain,
	                                        fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_label, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_filters, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_clock, fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
