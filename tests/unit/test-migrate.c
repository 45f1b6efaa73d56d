/*
 * test-migrate.c: a version-1 store (tests/fixtures/store-v1.sql, made by
 * the version-1 cairn) opens with this library, migrates to version 2 in
 * one journalled change, keeps every row, and the new tables are
 * journalled and undoable like the old ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
load_fixture(const char *db)
{
	const char *src = getenv("SRCDIR");
	char path[PATH_MAX];
	struct buf sql = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/store-v1.sql",
	         src && *src ? src : "../..");
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
test_v1_to_v2(void **state)
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
	load_fixture(path);
	assert_int_equal(db_int(path, "PRAGMA user_version"), 1);
	assert_int_equal(db_int(path, "SELECT count(*) FROM item"), 4);
	changes = db_int(path, "SELECT count(*) FROM change");
	events = db_int(path, "SELECT count(*) FROM event");
	dump_v1(path, &before);

	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	assert_int_equal(CAIRN_SCHEMA_VERSION, 2);
	assert_int_equal(db_int(path, "PRAGMA user_version"), 2);
	/* The migration is one change, with no events of its own. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"),
	                 changes + 1);
	assert_int_equal(db_int(path, "SELECT count(*) FROM event"), events);
	label = db_text(path, "SELECT label FROM change ORDER BY id DESC "
	                      "LIMIT 1");
	assert_string_equal(label, "migrate to schema version 2");
	free(label);
	/* Every old row is still there, unchanged. */
	db_exec(path, "DELETE FROM change WHERE label = 'migrate to schema "
	              "version 2'");
	dump_v1(path, &after);
	assert_string_equal(after.buf, before.buf);
	assert_int_equal(db_int(path, "SELECT count(*) FROM sqlite_schema "
	                              "WHERE type = 'table' AND name IN "
	                              "('metric', 'observation', 'paper', "
	                              "'item_paper', 'lesson', 'lesson_fts', "
	                              "'prediction', 'time_entry', 'review')"),
	                 9);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_v1_to_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
