/*
 * test-migrate.c: stores made by older cairns (tests/fixtures/store-v1.sql
 * and store-v2.sql) open with this library, migrate to the current
 * version in one journalled change, keep every row, and end with the
 * schema of a fresh store; the tables added by version 2 are journalled
 * and undoable like the old ones, and the constraints version 3 rewrote
 * reject what they rejected before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store-int.h"
#include "unit.h"

/* The label of the change that migrates to this cairn's schema. */
#define STR_(x)       #x
#define STR(x)        STR_(x)
#define MIGRATE_LABEL "migrate to schema version " STR(CAIRN_SCHEMA_VERSION)

static void
load_fixture(const char *db, const char *name)
{
	const char *src = getenv("SRCDIR");
	char path[PATH_MAX];
	struct buf sql = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s",
	         src && *src ? src : "../..", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open fixture '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&sql, chunk, n);
	fclose(f);
	db_exec(db, sql.buf);
	buf_release(&sql);
}

/* The tables of schema version 1, dumped row by row. */
static void
dump_v1(const char *path, struct buf *out)
{
	static const char *const tables[] = {
	        "item",      "tag",     "link",   "note",  "edge",
	        "statement", "setting", "change", "event", NULL};

	buf_reset(out);
	for (const char *const *t = tables; *t; t++)
		db_dump_table(path, *t, out);
}

static void
test_v1_to_current(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct cairn_item it;
	struct buf before = BUF_INIT, after = BUF_INIT;
	char dir[PATH_MAX], path[PATH_MAX + 16];
	long long changes, events;
	char *label;

	(void)state;
	setenv("CAIRN_NOW", "2026-03-15T10:00:00Z", 1);
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/old.db", dir);
	fclose(fopen(path, "w")); /* db_open does not create files */
	load_fixture(path, "store-v1.sql");
	assert_int_equal(db_int(path, "PRAGMA user_version"), 1);
	assert_int_equal(db_int(path, "SELECT count(*) FROM item"), 4);
	changes = db_int(path, "SELECT count(*) FROM change");
	events = db_int(path, "SELECT count(*) FROM event");
	dump_v1(path, &before);

	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	assert_int_equal(db_int(path, "PRAGMA user_version"),
	                 CAIRN_SCHEMA_VERSION);
	/* The migration is one change, with no events of its own. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"),
	                 changes + 1);
	assert_int_equal(db_int(path, "SELECT count(*) FROM event"), events);
	label = db_text(path, "SELECT label FROM change ORDER BY id DESC "
	                      "LIMIT 1");
	assert_string_equal(label, MIGRATE_LABEL);
	free(label);
	/* Every old row is still there, unchanged. */
	db_exec(path, "DELETE FROM change WHERE label = '" MIGRATE_LABEL "'");
	dump_v1(path, &after);
	assert_string_equal(after.buf, before.buf);
	assert_int_equal(db_int(path, "SELECT count(*) FROM sqlite_schema "
	                              "WHERE type = 'table' AND name IN "
	                              "('metric', 'observation', 'paper', "
	                              "'item_paper', 'lesson', 'lesson_fts', "
	                              "'prediction', 'time_entry', 'review')"),
	                 9);
	/* The planning summary is marked stale whole; the first next
	 * builds it, with the picks a fresh plan gives. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM plan_dirty "
	                              "WHERE id = 0"),
	                 1);
	{
		struct cairn_roadmap_scope sc = {.open_only = 1};
		struct cairn_roadmap rm;
		struct cairn_next a, b;

		assert_ok(cairn_next_store(st, 50, &a, &err), &err);
		assert_ok(cairn_roadmap_load_scope(st, &sc, &rm, &err), &err);
		assert_ok(cairn_next(&rm, 0, 50, &b, &err), &err);
		cairn_roadmap_release(&rm);
		assert_true(a.n > 0);
		assert_int_equal(a.n, b.n);
		for (size_t k = 0; k < a.n; k++) {
			assert_int_equal(a.picks[k].id, b.picks[k].id);
			assert_int_equal(a.picks[k].goal, b.picks[k].goal);
			assert_true(a.picks[k].score == b.picks[k].score);
		}
		cairn_next_release(&a);
		cairn_next_release(&b);
	}
	assert_int_equal(db_int(path, "SELECT count(*) FROM plan_dirty"), 0);
	assert_true(db_int(path, "SELECT count(*) FROM plan_unit") > 0);
	/* Old data reads through the library. */
	assert_ok(cairn_item_get(st, 1, &it, &err), &err);
	assert_string_equal(
	        it.title, "BERT-base GLUE accuracy for under $100 of compute");
	assert_int_equal(it.driven, CAIRN_DRIVEN_GOAL);
	cairn_item_release(&it);
	assert_ok(cairn_item_get(st, 2, &it, &err), &err);
	assert_string_equal(it.started, "2025-06-02T10:00:00Z");
	cairn_item_release(&it);

	/* New tables journal and undo on the migrated store. */
	assert_ok(cairn_metric_add(st, 1, "cost", "USD", 7000, 100, 1, NULL,
	                           &err),
	          &err);
	assert_ok(
	        cairn_lesson_add(st, 2, "Loss scaling matters", 1, NULL, &err),
	        &err);
	assert_int_equal(db_int(path, "SELECT count(*) FROM event WHERE "
	                              "entity IN ('metric', 'lesson')"),
	                 2);
	assert_ok(cairn_undo(st, 2, NULL, &err), &err);
	assert_int_equal(db_int(path, "SELECT count(*) FROM metric"), 0);
	assert_int_equal(db_int(path, "SELECT count(*) FROM lesson"), 0);
	/* Changes made by version 1 are still undoable: the last added a
	 * link. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM link"), 1);
	assert_ok(cairn_undo(st, 1, NULL, &err), &err);
	assert_int_equal(db_int(path, "SELECT count(*) FROM link"), 0);
	cairn_store_free(st);

	/* Opening again migrates nothing more. */
	changes = db_int(path, "SELECT count(*) FROM change");
	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	cairn_store_free(st);
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"), changes);
	buf_release(&before);
	buf_release(&after);
	unit_rmtree(dir);
}

/* Every schema object (tables, indexes, triggers) with its SQL text. */
static void
dump_schema(const char *path, struct buf *out)
{
	sqlite3 *db = db_open(path);
	sqlite3_stmt *stmt;

	buf_reset(out);
	if (sqlite3_prepare_v2(db,
	                       "SELECT type, name, tbl_name, sql FROM "
	                       "sqlite_schema ORDER BY type, name",
	                       -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("cannot read the schema: %s", sqlite3_errmsg(db));
	while (sqlite3_step(stmt) == SQLITE_ROW)
		buf_addf(out, "%s %s %s %s\n", sqlite3_column_text(stmt, 0),
		         sqlite3_column_text(stmt, 1),
		         sqlite3_column_text(stmt, 2),
		         sqlite3_column_text(stmt, 3));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* Run sql on a second connection, inside a transaction rolled back
 * after; its result code (extended). */
static int
try_sql(const char *path, const char *sql)
{
	sqlite3 *db = db_open(path);
	int rc;

	sqlite3_extended_result_codes(db, 1);
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot begin: %s", sqlite3_errmsg(db));
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* Whether sql compiles to a program that builds a temporary table. */
static int
uses_ephemeral(sqlite3 *db, const char *sql)
{
	struct buf explain = BUF_INIT;
	sqlite3_stmt *stmt;
	int found = 0;

	buf_addf(&explain, "EXPLAIN %s", sql);
	if (sqlite3_prepare_v2(db, explain.buf, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("cannot explain '%s': %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(stmt) == SQLITE_ROW)
		if (!strcmp((const char *)sqlite3_column_text(stmt, 1),
		            "OpenEphemeral"))
			found = 1;
	sqlite3_finalize(stmt);
	buf_release(&explain);
	return found;
}

#define ITEM_INSERT                                                            \
	"INSERT INTO item(uuid, kind, title, status, visibility, created) "    \
	"VALUES('00000000-0000-4000-8000-000000000001', %s, 'x', %s, %s, "     \
	"'2026-03-15T10:00:00Z')"

#define ITEM_INSERT_ANY                                                        \
	"INSERT INTO item(uuid, kind, title, status, visibility, created) "    \
	"VALUES(?, ?, ?, ?, ?, ?)"
#define PAPER_UPDATE "UPDATE paper SET status = ? WHERE id = ?"

static void
test_v2_to_v3(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct cairn_item it;
	struct buf before = BUF_INIT, after = BUF_INIT, fresh = BUF_INIT;
	char dir[PATH_MAX], path[PATH_MAX + 16], path2[PATH_MAX + 16];
	char sql[512];
	long long changes, events;
	char *text;

	(void)state;
	setenv("CAIRN_NOW", "2026-03-15T10:00:00Z", 1);
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/old.db", dir);
	snprintf(path2, sizeof(path2), "%s/fresh.db", dir);
	fclose(fopen(path, "w"));
	load_fixture(path, "store-v2.sql");
	assert_int_equal(db_int(path, "PRAGMA user_version"), 2);
	/* Version 2 checks kind with an IN list. */
	text = db_text(path, "SELECT sql FROM sqlite_schema WHERE name = "
	                     "'item'");
	assert_non_null(strstr(text, "kind IN"));
	free(text);
	{
		sqlite3 *db = db_open(path);

		assert_true(uses_ephemeral(db, ITEM_INSERT_ANY));
		assert_true(uses_ephemeral(db, PAPER_UPDATE));
		sqlite3_close(db);
	}
	changes = db_int(path, "SELECT count(*) FROM change");
	events = db_int(path, "SELECT count(*) FROM event");
	db_dump_data(path, &before);

	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	assert_int_equal(db_int(path, "PRAGMA user_version"),
	                 CAIRN_SCHEMA_VERSION);
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"),
	                 changes + 1);
	assert_int_equal(db_int(path, "SELECT count(*) FROM event"), events);
	text = db_text(path, "SELECT label FROM change ORDER BY id DESC "
	                     "LIMIT 1");
	assert_string_equal(text, MIGRATE_LABEL);
	free(text);
	db_dump_data(path, &after);
	assert_string_equal(after.buf, before.buf);
	text = db_text(path, "PRAGMA integrity_check");
	assert_string_equal(text, "ok");
	free(text);

	/* The very schema of a fresh store, triggers and all. */
	{
		struct cairn_store *st2 = NULL;

		assert_ok(
		        cairn_store_open(&st2, path2, CAIRN_OPEN_CREATE, &err),
		        &err);
		cairn_store_free(st2);
	}
	dump_schema(path2, &fresh);
	dump_schema(path, &after);
	assert_string_equal(after.buf, fresh.buf);
	assert_null(strstr(after.buf, "kind IN"));
	assert_null(strstr(after.buf, "status IN"));
	assert_null(strstr(after.buf, "visibility IN"));

	/* This connection parsed the new schema: no temporary table for the
	 * checks of an item or a paper. */
	assert_false(uses_ephemeral(st->db, ITEM_INSERT_ANY));
	assert_false(uses_ephemeral(st->db, PAPER_UPDATE));

	/* The constraints reject what they rejected, and take the rest. */
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'goal'", "'planned'", "'lab'");
	assert_int_equal(try_sql(path, sql), SQLITE_OK);
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'epic'", "'planned'", "'lab'");
	assert_int_equal(try_sql(path, sql), SQLITE_CONSTRAINT_CHECK);
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'Goal'", "'planned'", "'lab'");
	assert_int_equal(try_sql(path, sql), SQLITE_CONSTRAINT_CHECK);
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'goal'", "'open'", "'lab'");
	assert_int_equal(try_sql(path, sql), SQLITE_CONSTRAINT_CHECK);
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'goal'", "'planned'",
	         "'secret'");
	assert_int_equal(try_sql(path, sql), SQLITE_CONSTRAINT_CHECK);
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'goal'", "'planned'", "1");
	assert_int_equal(try_sql(path, sql), SQLITE_CONSTRAINT_CHECK);
	snprintf(sql, sizeof(sql), ITEM_INSERT, "'goal'", "NULL", "'lab'");
	assert_int_equal(try_sql(path, sql), SQLITE_CONSTRAINT_NOTNULL);
	assert_int_equal(try_sql(path, "UPDATE item SET kind = 'task' "
	                               "WHERE id = 1"),
	                 SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(try_sql(path, "UPDATE item SET status = 'done' "
	                               "WHERE id = 1"),
	                 SQLITE_OK);
	assert_int_equal(try_sql(path, "UPDATE paper SET status = 'skimmed'"),
	                 SQLITE_CONSTRAINT_CHECK);
	assert_int_equal(try_sql(path, "UPDATE paper SET status = "
	                               "'replication-failed'"),
	                 SQLITE_OK);
	assert_int_equal(try_sql(path, "UPDATE item SET driven = 'fun' "
	                               "WHERE id = 1"),
	                 SQLITE_CONSTRAINT_CHECK);

	/* The library works on the migrated store: changes made by version
	 * 2 undo (the last dropped #4), new ones journal. */
	assert_ok(cairn_undo(st, 1, NULL, &err), &err);
	assert_ok(cairn_item_get(st, 4, &it, &err), &err);
	assert_int_equal(it.status, CAIRN_STATUS_IDEA);
	cairn_item_release(&it);
	/* Through the library, every kind, status (but dropped, which
	 * wants a reason) and visibility still goes in. */
	for (int k = 0; k < CAIRN_KIND_COUNT; k++)
		assert_ok(
		        cairn_item_set(st, 3, "kind", cairn_kind_name(k), &err),
		        &err);
	for (int k = 0; k < CAIRN_STATUS_COUNT; k++)
		if (k != CAIRN_STATUS_DROPPED)
			assert_ok(cairn_item_set(st, 3, "status",
			                         cairn_status_name(k), &err),
			          &err);
	for (int k = 0; k <= CAIRN_VIS_PUBLIC; k++)
		assert_ok(cairn_item_set(st, 3, "visibility",
		                         cairn_visibility_name(k), &err),
		          &err);
	assert_int_equal(unit_add(st, CAIRN_KIND_QUESTION, "Another", 1), 5);
	text = db_text(path, "SELECT kind FROM item WHERE id = 5");
	assert_string_equal(text, "question");
	free(text);
	cairn_store_free(st);

	/* Opening again migrates nothing more. */
	changes = db_int(path, "SELECT count(*) FROM change");
	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	cairn_store_free(st);
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"), changes);
	buf_release(&before);
	buf_release(&after);
	buf_release(&fresh);
	unit_rmtree(dir);
}

/*
 * Every migration first backs the store up beside it, as
 * PATH.bak-vN-TIME, the copy holding the old schema and all its rows;
 * only the newest CAIRN_MIGRATION_BACKUPS are kept.
 */
static void
test_backup_before_migration(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 16], bak[PATH_MAX + 64];
	static const char *const times[] = {
	        "2026-03-15T10:00:00Z", "2026-03-16T10:00:00Z",
	        "2026-03-17T10:00:00Z", "2026-03-18T10:00:00Z"};
	long long items;
	char *q;

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/old.db", dir);
	for (size_t i = 0; i < 4; i++) {
		setenv("CAIRN_NOW", times[i], 1);
		unlink(path);
		fclose(fopen(path, "w"));
		load_fixture(path, "store-v1.sql");
		items = db_int(path, "SELECT count(*) FROM item");
		assert_ok(cairn_store_open(&st, path, 0, &err), &err);
		cairn_store_free(st);
		snprintf(bak, sizeof(bak), "%s.bak-v1-2026031%zuT100000Z", path,
		         5 + i);
		assert_int_equal(access(bak, F_OK), 0);
		assert_int_equal(db_int(bak, "PRAGMA user_version"), 1);
		assert_int_equal(db_int(bak, "SELECT count(*) FROM item"),
		                 items);
		q = db_text(bak, "PRAGMA quick_check");
		assert_string_equal(q, "ok");
		free(q);
	}
	/* The oldest of four is gone, the newest three stay. */
	snprintf(bak, sizeof(bak), "%s.bak-v1-20260315T100000Z", path);
	assert_int_not_equal(access(bak, F_OK), 0);
	snprintf(bak, sizeof(bak), "%s.bak-v1-20260316T100000Z", path);
	assert_int_equal(access(bak, F_OK), 0);
	/* A store already current is not backed up again. */
	setenv("CAIRN_NOW", "2026-03-19T10:00:00Z", 1);
	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	cairn_store_free(st);
	snprintf(bak, sizeof(bak), "%s.bak-v3-20260319T100000Z", path);
	assert_int_not_equal(access(bak, F_OK), 0);
	/* A new store has nothing to back up. */
	snprintf(path, sizeof(path), "%s/new.db", dir);
	assert_ok(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err), &err);
	cairn_store_free(st);
	snprintf(bak, sizeof(bak), "%s.bak-v0-20260319T100000Z", path);
	assert_int_not_equal(access(bak, F_OK), 0);
	unit_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_v1_to_current),
	        cmocka_unit_test(test_v2_to_v3),
	        cmocka_unit_test(test_backup_before_migration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
