/*
 * test-journal-cols.c: every column of every journalled table is in the
 * journal.  For each table of the schema and each of its columns (read
 * from the schema here, not from the journal's own list), a change to
 * that one column is undone and redone, and the store's data, dumped
 * table by table, must come back exactly each time.  A column left out
 * of the journal's triggers would not be restored by undo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"
#include "unit.h"

/* Two rows per journalled table, every column set and different, so
 * that copying any one value from row 2 to row 1 is a valid change. */
static const char fixture_sql[] =
        "INSERT INTO item(id, uuid, kind, title, body, parent, status, why, "
        "scope, p_success, novelty, optimistic, likely, pessimistic, due, "
        "likelihood, driven, visibility, created, started, finished, rank) "
        "VALUES"
        "(1, 'u1', 'goal', 'A', 'body a', 3, 'active', 'why a', 1, 0.25, 1,"
        " 1, 2, 3, '2026-05-01', 0.5, 'goal', 'private',"
        " '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', NULL, 1),"
        "(2, 'u2', 'milestone', 'B', 'body b', 4, 'done', 'why b', 3, 0.75,"
        " 4, 1.5, 2.5, 3.5, '2026-06-01', 0.9, 'idea', 'public',"
        " '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z',"
        " '2026-02-03T00:00:00Z', 2),"
        "(3, 'u3', 'goal', 'C', '', NULL, 'idea', NULL, NULL, NULL, NULL,"
        " NULL, NULL, NULL, NULL, NULL, NULL, 'lab', 'c3', NULL, NULL, NULL),"
        "(4, 'u4', 'goal', 'D', '', NULL, 'idea', NULL, NULL, NULL, NULL,"
        " NULL, NULL, NULL, NULL, NULL, NULL, 'lab', 'c4', NULL, NULL, NULL);"
        "INSERT INTO tag VALUES(1, 1, 't1'), (2, 2, 't2');"
        "INSERT INTO link VALUES(1, 1, 'https://a', 'la', 'c1'),"
        " (2, 2, 'https://b', 'lb', 'c2');"
        /* note.author NULL in row 1: left out of its events' JSON, and
         * undo must bring the NULL back */
        "INSERT INTO note VALUES(1, 1, 'c1', 'n1', NULL),"
        " (2, 2, 'c2', 'n2', 'a2');"
        "INSERT INTO edge VALUES(1, 1, 2, 'c1'), (2, 3, 4, 'c2');"
        "INSERT INTO statement VALUES(1, 1, 'c1', 's1'), (2, 2, 'c2', 's2');"
        "INSERT INTO setting VALUES(1, 'k1', 'v1'), (2, 'k2', 'v2');"
        "INSERT INTO metric VALUES(1, 1, 'm1', 'u1', 0, 10, 0, 'c1'),"
        " (2, 2, 'm2', 'u2', 5, 1.25, 1, 'c2');"
        "INSERT INTO observation VALUES(1, 1, 1, '2026-01-01', 1.5, 's1',"
        " 'n1', 'c1'), (2, 2, 2, '2026-01-02', 2.5, 's2', 'n2', 'c2');"
        "INSERT INTO paper VALUES(1, 'k1', 'T1', 'A1', 2020, 1, 'V1', 'u1',"
        " 'd1', 'to-read', 'n1', 'c1'), (2, 'k2', 'T2', 'A2', 2021, 2,"
        " 'V2', 'u2', 'd2', 'read', 'n2', 'c2');"
        "INSERT INTO item_paper VALUES(1, 1, 1, 'c1'), (2, 2, 2, 'c2');"
        "INSERT INTO lesson VALUES(1, 1, 'c1', 'l1', 1),"
        " (2, 2, 'c2', 'l2', 0);"
        "INSERT INTO prediction VALUES(1, 1, 'w1', 's1', 0.3, 'c1', 'd1', 0,"
        " 'r1', 'y1'), (2, 2, 'w2', 's2', 0.6, 'c2', 'd2', 1, 'r2', 'y2');"
        "INSERT INTO time_entry VALUES(1, 1, 'd1', 30, 'n1', 'c1'),"
        " (2, 2, 'd2', 60, 'n2', 'c2');"
        "INSERT INTO review VALUES(1, 'c1', 'm1', 's1', 't1', 'n1'),"
        " (2, 'c2', 'm2', 's2', 't2', 'n2');"
        "INSERT INTO import_base VALUES(1, 1, '{}'), (2, 2, '{\"a\":1}');";

static char *
dump(struct fixture *f)
{
	struct buf b = BUF_INIT;

	db_dump_data(f->path, &b);
	return buf_detach(&b, NULL);
}

/* One change that sets t.c of row 1 by sql (a format taking t, c, t);
 * 0, or -1 when the schema refuses it (then nothing changed). */
static int
change_col(struct fixture *f, const char *fmt, const char *t, const char *c)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf sql = BUF_INIT;
	int rc;

	buf_addf(&sql, fmt, t, c, c, t);
	assert_ok(cairn_store_begin(f->st, "change one column", &err), &err);
	rc = store_exec(f->st, sql.buf, &err);
	buf_release(&sql);
	if (rc) {
		cairn_store_rollback(f->st);
		return -1;
	}
	assert_ok(cairn_store_commit(f->st, &err), &err);
	return 0;
}

static void
walk_column(struct fixture *f, const char *t, const char *c)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char *before = dump(f), *after, *now;
	int n = 0;

	/* row 2's value, or for a unique column row 1's own with a suffix,
	 * or (a unique reference to an item) 2 more */
	if (change_col(f,
	               "UPDATE \"%s\" SET \"%s\" = (SELECT \"%s\" FROM \"%s\" "
	               "WHERE id = 2) WHERE id = 1",
	               t, c) &&
	    change_col(f,
	               "UPDATE \"%s\" SET \"%s\" = \"%s\" || '-x' WHERE id = 1 "
	               "AND '%s' IS NOT NULL",
	               t, c) &&
	    /* a unique reference: another row's id, one no row uses */
	    change_col(f,
	               "UPDATE \"%s\" SET \"%s\" = \"%s\" + 2 WHERE id = 1 "
	               "AND '%s' IS NOT NULL",
	               t, c))
		fail_msg("%s.%s: no change the schema accepts", t, c);
	after = dump(f);
	if (!strcmp(before, after))
		fail_msg("%s.%s: the change changed nothing", t, c);
	assert_ok(cairn_undo(f->st, 1, &n, &err), &err);
	now = dump(f);
	if (strcmp(now, before))
		fail_msg("%s.%s: undo did not restore it:\n%s\nwant:\n%s", t, c,
		         now, before);
	free(now);
	assert_ok(cairn_journal_redo(f->st, &(struct cairn_undo_opts){.n = 1},
	                             &n, &err),
	          &err);
	assert_int_equal(n, 1);
	now = dump(f);
	if (strcmp(now, after))
		fail_msg("%s.%s: redo did not bring it back:\n%s\nwant:\n%s", t,
		         c, now, after);
	free(now);
	/* and the redone change can be undone again */
	assert_ok(cairn_undo(f->st, 1, &n, &err), &err);
	now = dump(f);
	if (strcmp(now, before))
		fail_msg("%s.%s: undo after redo did not restore it", t, c);
	free(now);
	free(before);
	free(after);
}

static int
no_finding(void *ctx, const char *line)
{
	(void)ctx;
	fail_msg("journal check: %s", line);
	return 0;
}

static void
test_every_column(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	sqlite3 *db;
	sqlite3_stmt *tables, *cols;
	int ntables = 0, ncols = 0;

	assert_ok(cairn_store_begin(f->st, "fixture", &err), &err);
	assert_ok(store_exec(f->st, fixture_sql, &err), &err);
	assert_ok(cairn_store_commit(f->st, &err), &err);

	db = db_open(f->path);
	assert_int_equal(
	        sqlite3_prepare_v2(db,
	                           "SELECT name FROM pragma_table_list "
	                           "WHERE schema = 'main' AND type = "
	                           "'table' AND name NOT IN ('change', "
	                           "'event') AND name NOT LIKE "
	                           "'sqlite_%' ORDER BY name",
	                           -1, &tables, NULL),
	        SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char *t = xstrdup((const char *)sqlite3_column_text(tables, 0));
		struct buf sql = BUF_INIT;

		/* A table the journal does not follow is lost to undo
		 * (derived ones are rebuilt, not undone). */
		if (cairn_table_derived(t)) {
			free(t);
			continue;
		}
		if (!cairn_jtable_find(t))
			fail_msg("table %s is not journalled", t);
		if (db_int(f->path, "SELECT count(*) FROM \"%s\"", t) < 2)
			fail_msg("table %s has no fixture rows", t);
		ntables++;
		buf_addf(&sql, "SELECT name FROM pragma_table_info('%s')", t);
		assert_int_equal(
		        sqlite3_prepare_v2(db, sql.buf, -1, &cols, NULL),
		        SQLITE_OK);
		buf_release(&sql);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			const char *c =
			        (const char *)sqlite3_column_text(cols, 0);

			if (!strcmp(c, "id"))
				continue;
			walk_column(f, t, c);
			ncols++;
		}
		sqlite3_finalize(cols);
		free(t);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	/* Every journalled table was walked. */
	for (const struct jtable *jt = cairn_jtables; jt->name; jt++)
		ntables--;
	assert_int_equal(ntables, 0);
	assert_true(ncols > 80);
	assert_int_equal(store_journal_check(f->st, no_finding, NULL, &err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                test_every_column, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
