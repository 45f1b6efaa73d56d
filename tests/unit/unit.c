/*
 * unit.c: helpers shared by the unit tests (see unit.h).  They fail the
 * running cmocka test on any error instead of returning codes, so that a
 * test reads as the behaviour it checks.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store-int.h"
#include "unit.h"

void
unit_tmpdir(char dir[PATH_MAX])
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base)
		base = "/tmp";
	snprintf(dir, PATH_MAX, "%s/cairn-unit-XXXXXX", base);
	if (!mkdtemp(dir))
		fail_msg("mkdtemp in '%s' failed", base);
}

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

void
unit_rmtree(const char *dir)
{
	if (dir && *dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
fixture_setup(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	setenv("CAIRN_ACTOR", "tester", 1);
	unit_tmpdir(f->dir);
	snprintf(f->path, sizeof(f->path), "%s/cairn.db", f->dir);
	if (cairn_store_open(&f->st, f->path, CAIRN_OPEN_CREATE, &err)) {
		fprintf(stderr, "cannot create store: %s\n", err.msg);
		unit_rmtree(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int
fixture_teardown(void **state)
{
	struct fixture *f = *state;

	if (!f)
		return 0;
	cairn_store_free(f->st);
	unit_rmtree(f->dir);
	free(f);
	*state = NULL;
	unsetenv("CAIRN_NOW");
	return 0;
}

void
fixture_reopen(struct fixture *f)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	cairn_store_free(f->st);
	f->st = NULL;
	assert_ok(cairn_store_open(&f->st, f->path, 0, &err), &err);
}

int64_t
unit_add_at(struct cairn_store *st, enum cairn_kind kind, const char *title,
            int64_t parent, const char *file, int line)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	int64_t id;

	cairn_item_init(&it);
	it.kind = kind;
	it.title = xstrdup(title);
	it.parent = parent;
	if (cairn_item_add(st, &it, &err)) {
		print_error("adding '%s' failed: %s\n", title, err.msg);
		cairn_item_release(&it);
		_fail(file, line);
	}
	id = it.id;
	cairn_item_release(&it);
	assert_true(id > 0);
	return id;
}

sqlite3 *
db_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s",
		         db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		fail_msg("cannot open '%s': %s", path, msg);
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

void
db_exec(const char *path, const char *sql)
{
	sqlite3 *db = db_open(path);
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[256];

		snprintf(copy, sizeof(copy), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db);
		fail_msg("'%s' failed: %s", sql, copy);
	}
	sqlite3_close(db);
}

/* Prepare the printf-style query on a new connection; *dbp gets it. */
static sqlite3_stmt *
db_query(const char *path, sqlite3 **dbp, const char *fmt, va_list ap)
{
	sqlite3_stmt *stmt = NULL;
	char *sql = sqlite3_vmprintf(fmt, ap);

	*dbp = db_open(path);
	if (sqlite3_prepare_v2(*dbp, sql, -1, &stmt, NULL) != SQLITE_OK) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(*dbp));
		sqlite3_close(*dbp);
		fail_msg("cannot prepare '%s': %s", sql, msg);
	}
	sqlite3_free(sql);
	return stmt;
}

long long
db_int(const char *path, const char *fmt, ...)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long v = 0;
	va_list ap;

	va_start(ap, fmt);
	stmt = db_query(path, &db, fmt, ap);
	va_end(ap);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

char *
db_text(const char *path, const char *fmt, ...)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char *v = NULL;
	va_list ap;

	va_start(ap, fmt);
	stmt = db_query(path, &db, fmt, ap);
	va_end(ap);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static void
dump_stmt(sqlite3_stmt *stmt, struct buf *out)
{
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		int n = sqlite3_column_count(stmt);

		for (int i = 0; i < n; i++) {
			const char *sep = i ? "|" : "";

			switch (sqlite3_column_type(stmt, i)) {
			case SQLITE_NULL:
				buf_addf(out, "%sNULL", sep);
				break;
			case SQLITE_INTEGER:
			case SQLITE_FLOAT:
				buf_addf(out, "%s%s", sep,
				         (const char *)sqlite3_column_text(stmt,
				                                           i));
				break;
			default:
				buf_addf(out, "%s'%s'", sep,
				         (const char *)sqlite3_column_text(stmt,
				                                           i));
			}
		}
		buf_addch(out, '\n');
	}
}

/*
 * Dump one table through an open connection.  A column that is NULL in
 * every row is left out, so that a migration adding a column changes
 * the schema, not the data (a column holding a value still shows).
 */
static void
dump_table(sqlite3 *db, const char *table, struct buf *out)
{
	sqlite3_stmt *stmt = NULL, *cols = NULL;
	struct buf sql = BUF_INIT, list = BUF_INIT;
	char *q = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)",
	                          table);
	int ncol = 0;

	if (sqlite3_prepare_v2(db, q, -1, &cols, NULL) != SQLITE_OK) {
		sqlite3_free(q);
		sqlite3_close(db);
		fail_msg("cannot list the columns of '%s'", table);
	}
	sqlite3_free(q);
	while (sqlite3_step(cols) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(cols, 0);
		char *has = sqlite3_mprintf("SELECT 1 FROM \"%w\" WHERE \"%w\" "
		                            "IS NOT NULL LIMIT 1",
		                            table, c);
		int keep = sqlite3_prepare_v2(db, has, -1, &stmt, NULL) ==
		                   SQLITE_OK &&
		           sqlite3_step(stmt) == SQLITE_ROW;

		sqlite3_finalize(stmt);
		sqlite3_free(has);
		if (keep || !ncol) {
			char *name = sqlite3_mprintf("\"%w\"", c);

			buf_addf(&list, "%s%s", ncol ? ", " : "", name);
			sqlite3_free(name);
			ncol++;
		}
	}
	sqlite3_finalize(cols);
	stmt = NULL;
	q = sqlite3_mprintf("\"%w\"", table);
	buf_addf(&sql, "SELECT %s FROM %s", list.buf ? list.buf : "", q);
	sqlite3_free(q);
	buf_release(&list);
	/* Order by every column: a stable dump whatever the table's key. */
	for (int i = 1; i <= ncol; i++)
		buf_addf(&sql, "%s%d", i == 1 ? " ORDER BY " : ", ", i);
	if (!ncol ||
	    sqlite3_prepare_v2(db, sql.buf, -1, &stmt, NULL) != SQLITE_OK) {
		buf_release(&sql);
		sqlite3_close(db);
		fail_msg("cannot dump table '%s'", table);
	}
	buf_release(&sql);
	buf_addf(out, "-- %s\n", table);
	dump_stmt(stmt, out);
	sqlite3_finalize(stmt);
}

void
db_dump_table(const char *path, const char *table, struct buf *out)
{
	sqlite3 *db = db_open(path);

	dump_table(db, table, out);
	sqlite3_close(db);
}

void
db_dump_data(const char *path, struct buf *out)
{
	sqlite3 *db = db_open(path);
	sqlite3_stmt *stmt = NULL;
	char **names = NULL;
	size_t n = 0;

	/*
	 * Ordinary tables only: virtual tables (full-text indexes) and their
	 * shadow tables are derived data whose bytes may differ for the same
	 * content.  One read transaction, so the dump is consistent.
	 */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "SELECT name FROM pragma_table_list "
	                       "WHERE schema = 'main' AND type = 'table' "
	                       "AND name NOT IN ('change', 'event') "
	                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
	                       -1, &stmt, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		fail_msg("cannot list tables");
	}
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		/* Derived tables (the planning summary) follow the data. */
		if (cairn_table_derived(
		            (const char *)sqlite3_column_text(stmt, 0)))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] =
		        xstrdup((const char *)sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	/* A table with no rows is left out: a migration that adds one
	 * changes the schema, not the data. */
	for (size_t i = 0; i < n; i++) {
		size_t at = out->len;

		dump_table(db, names[i], out);
		if (out->len == at + strlen(names[i]) + 4) {
			out->len = at;
			out->buf[at] = '\0';
		}
		free(names[i]);
	}
	free(names);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
}

int
unit_collect_id(void *ctx, const struct cairn_item *it)
{
	struct buf *out = ctx;

	buf_addf(out, "%s%lld", out->len ? "," : "", (long long)it->id);
	return 0;
}

void
unit_expect_query(struct cairn_store *st, const struct cairn_query *q,
                  const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf ids = BUF_INIT;

	assert_ok(cairn_query_run(st, q, unit_collect_id, &ids, &err), &err);
	assert_string_equal(ids.buf, want);
	buf_release(&ids);
}

void
unit_set_field(struct cairn_store *st, int64_t id, const char *field,
               const char *value)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	if (cairn_item_set(st, id, field, value, &err))
		fail_msg("setting %s=%s on #%lld: %s", field, value,
		         (long long)id, err.msg);
}

void
unit_set_status(struct cairn_store *st, int64_t id, enum cairn_status s)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_item_set_status(st, id, s, NULL, &err), &err);
}
