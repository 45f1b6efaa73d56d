/*
 * bench/bare.c: the bare-SQLite baseline for the benchmark: what each
 * measured cairn command costs at the least, done straight through the
 * SQLite API on the same store file.
 *
 *	bench-bare PATH list|tree|show ID|add TITLE|done ID
 *
 * Same connection set-up as the store (WAL is persistent in the file;
 * synchronous=FULL, foreign keys on, busy_timeout) and the same close,
 * which checkpoints the WAL.  Journal triggers are switched off on this
 * connection, so add and done are the one INSERT or UPDATE alone:
 *
 *   list, tree  SELECT the item columns of all open items, print the ones
 *               list shows (id, kind, status, scope, p_success, due,
 *               title) for each row
 *   show        SELECT one item, then its tags, edges both ways, children,
 *               links, notes and statements, print each row
 *   add         BEGIN IMMEDIATE; one INSERT into item; COMMIT
 *   done        BEGIN IMMEDIATE; one UPDATE of status and finished; COMMIT
 *
 * Rows go to stdout through stdio, as cairn's do.  Exits 1 on any SQLite
 * error, with the message on stderr.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_COLS                                                              \
	"id, uuid, kind, title, body, parent, status, why, scope, "            \
	"p_success, novelty, optimistic, likely, pessimistic, due, "           \
	"likelihood, driven, visibility, created, started, finished"

static sqlite3 *db;

static int
die(const char *what)
{
	fprintf(stderr, "bench-bare: %s: %s\n", what, sqlite3_errmsg(db));
	return 1;
}

/*
 * Run sql with an optional integer parameter, printing every row: the
 * columns listed in show (ending with -1), or all when show is NULL.
 */
static int
print_rows(const char *sql, sqlite3_int64 id, const int *show)
{
	sqlite3_stmt *stmt;
	int rc, n;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return die("prepare");
	if (sqlite3_bind_parameter_count(stmt))
		sqlite3_bind_int64(stmt, 1, id);
	n = sqlite3_column_count(stmt);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int k = 0; show ? show[k] >= 0 : k < n; k++) {
			int c = show ? show[k] : k;
			int end = show ? show[k + 1] < 0 : k + 1 == n;
			const unsigned char *t = sqlite3_column_text(stmt, c);

			fputs(t ? (const char *)t : "-", stdout);
			putchar(end ? '\n' : ' ');
		}
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : die("step");
}

static int
exec(const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0
	                                                            : die(sql);
}

/* BEGIN IMMEDIATE; sql with (text, id) parameters; COMMIT. */
static int
write_one(const char *sql, const char *text, sqlite3_int64 id)
{
	sqlite3_stmt *stmt;
	int rc;

	if (exec("BEGIN IMMEDIATE"))
		return 1;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return die("prepare");
	sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return die("step");
	return exec("COMMIT");
}

static const char *const show_sql[] = {
        "SELECT " ITEM_COLS " FROM item WHERE id = ?1",
        "SELECT name FROM tag WHERE item = ?1 ORDER BY name",
        "SELECT i.id, i.status, i.title FROM edge e JOIN item i "
        "ON i.id = e.prereq WHERE e.item = ?1 ORDER BY i.id",
        "SELECT i.id, i.status, i.title FROM edge e JOIN item i "
        "ON i.id = e.item WHERE e.prereq = ?1 ORDER BY i.id",
        "SELECT id, status, title FROM item WHERE parent = ?1 ORDER BY id",
        "SELECT url, label FROM link WHERE item = ?1 ORDER BY created, id",
        "SELECT created, text FROM note WHERE item = ?1 ORDER BY created, id",
        "SELECT created, text FROM statement WHERE item = ?1 "
        "ORDER BY created, id",
        NULL,
};

int
main(int argc, char **argv)
{
	const char *cmd;
	sqlite3_int64 id = 0;
	int rc = 1;

	if (argc < 3) {
		fputs("usage: bench-bare PATH list|tree|show ID|add TITLE|"
		      "done ID\n",
		      stderr);
		return 2;
	}
	cmd = argv[2];
	if (argc > 3)
		id = strtoll(argv[3], NULL, 10);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		return die("open");
	sqlite3_busy_timeout(db, 30000);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	if (exec("PRAGMA synchronous = FULL") ||
	    exec("PRAGMA foreign_keys = ON"))
		goto out;
	if (!strcmp(cmd, "list") || !strcmp(cmd, "tree")) {
		/* Select every column, print what list shows. */
		static const int shown[] = {0, 2, 6, 8, 9, 14, 3, -1};

		rc = print_rows("SELECT " ITEM_COLS " FROM item WHERE status "
		                "NOT IN ('done', 'dropped') ORDER BY id",
		                0, shown);
	} else if (!strcmp(cmd, "show") && argc > 3) {
		rc = 0;
		for (int i = 0; !rc && show_sql[i]; i++)
			rc = print_rows(show_sql[i], id, NULL);
	} else if (!strcmp(cmd, "add") && argc > 3) {
		rc = write_one("INSERT INTO item(uuid, kind, title, status, "
		               "created) VALUES(lower(hex(randomblob(16))), "
		               "'milestone', ?1, 'planned', "
		               "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
		               argv[3], 0);
	} else if (!strcmp(cmd, "done") && argc > 3) {
		rc = write_one("UPDATE item SET status = 'done', finished = "
		               "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
		               "WHERE id = ?2 AND status IS NOT 'done'",
		               NULL, id);
	} else {
		fprintf(stderr, "bench-bare: unknown command '%s'\n", cmd);
		rc = 2;
	}
out:
	if (sqlite3_close(db) != SQLITE_OK)
		rc = die("close");
	return rc;
}
