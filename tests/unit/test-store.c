/*
 * test-store.c: opening and creating stores, their schema and pragmas,
 * refusing files that are not ours, nested transactions, settings and
 * where the store lives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

static int
file_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* Read a whole (small) file into out; fails the test on error. */
static void
slurp(const char *path, struct buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		fail_msg("cannot read '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	fclose(fp);
}

static void
spew(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	if (!fp)
		fail_msg("cannot write '%s': %s", path, strerror(errno));
	fputs(text, fp);
	fclose(fp);
}

/* Create an SQLite file at path with sql run in it, as another program. */
static void
make_sqlite(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_create(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 32], lock[PATH_MAX + 64];
	char want[64];
	char *label;

	(void)state;
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	unit_tmpdir(dir);
	/* The folders above the store do not exist yet. */
	snprintf(path, sizeof(path), "%s/a/b/cairn.db", dir);
	snprintf(lock, sizeof(lock), "%s.lock", path);
	assert_ok(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err), &err);
	assert_non_null(st);
	assert_string_equal(cairn_store_filename(st), path);
	assert_int_equal(cairn_store_change(st), 0);
	assert_true(file_exists(path));
	assert_true(file_exists(lock));

	assert_int_equal(db_int(path, "PRAGMA user_version"),
	                 CAIRN_SCHEMA_VERSION);
	assert_int_equal(db_int(path, "PRAGMA application_id"), 0x6361726e);
	label = db_text(path, "PRAGMA journal_mode");
	assert_string_equal(label, "wal");
	free(label);
	/* The tables of the foundation (DESIGN.md section 2). */
	assert_int_equal(db_int(path,
	                        "SELECT count(*) FROM sqlite_schema WHERE "
	                        "type = 'table' AND name IN ('item', 'tag', "
	                        "'link', 'note', 'edge', 'statement', "
	                        "'setting', 'change', 'event')"),
	                 9);
	/* Creating the store is itself the first change in the journal. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"), 1);
	label = db_text(path, "SELECT label FROM change");
	snprintf(want, sizeof(want), "create store with schema version %d",
	         CAIRN_SCHEMA_VERSION);
	assert_string_equal(label, want);
	free(label);
	label = db_text(path, "SELECT time FROM change");
	assert_string_equal(label, UNIT_NOW);
	free(label);
	assert_int_equal(db_int(path, "SELECT count(*) FROM event"), 0);
	cairn_store_free(st);

	/* Opening it again does not migrate or journal anything. */
	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	cairn_store_free(st);
	assert_ok(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err), &err);
	cairn_store_free(st);
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"), 1);
	assert_int_equal(db_int(path, "PRAGMA user_version"),
	                 CAIRN_SCHEMA_VERSION);

	cairn_store_free(NULL);
	unit_rmtree(dir);
}

static void
test_missing(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 32];

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/none/cairn.db", dir);
	assert_code(cairn_store_open(&st, path, 0, &err), CAIRN_ENOSTORE);
	assert_null(st);
	assert_int_equal(err.code, CAIRN_ENOSTORE);
	assert_non_null(strstr(err.msg, path));
	/* Nothing was created on the way. */
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_false(file_exists(path));
	unit_rmtree(dir);
}

static void
test_folder(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX];

	(void)state;
	unit_tmpdir(dir);
	assert_code(cairn_store_open(&st, dir, CAIRN_OPEN_CREATE, &err),
	            CAIRN_ENOTDB);
	assert_null(st);
	assert_non_null(strstr(err.msg, dir));
	unit_rmtree(dir);
}

static void
test_not_sqlite(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct buf text = BUF_INIT;

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	for (int i = 0; i < 100; i++)
		buf_adds(&text, "- read the BERT paper again\n");
	spew(path, text.buf);
	buf_release(&text);
	slurp(path, &before);

	assert_code(cairn_store_open(&st, path, 0, &err), CAIRN_ENOTDB);
	assert_null(st);
	assert_int_equal(err.code, CAIRN_ENOTDB);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "not a cairn store"));
	assert_code(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err),
	            CAIRN_ENOTDB);
	assert_null(st);

	/* The file is left exactly as it was. */
	slurp(path, &after);
	assert_int_equal(before.len, after.len);
	assert_memory_equal(before.buf, after.buf, before.len);
	buf_release(&before);
	buf_release(&after);
	unit_rmtree(dir);
}

static void
test_foreign_sqlite(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 32], want[PATH_MAX + 128];
	char *mode;

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/other.db", dir);
	make_sqlite(path, "CREATE TABLE recipes(name TEXT);"
	                  "INSERT INTO recipes VALUES('soup');");
	assert_code(cairn_store_open(&st, path, 0, &err), CAIRN_ENOTDB);
	assert_null(st);
	snprintf(want, sizeof(want),
	         "'%s' is an SQLite file but not a cairn store", path);
	assert_string_equal(err.msg, want);
	assert_code(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err),
	            CAIRN_ENOTDB);
	assert_null(st);

	/* Untouched: no cairn tables, no version, still a rollback journal. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(db_int(path, "PRAGMA user_version"), 0);
	assert_int_equal(db_int(path, "SELECT count(*) FROM recipes"), 1);
	mode = db_text(path, "PRAGMA journal_mode");
	assert_string_equal(mode, "delete");
	free(mode);

	/* Another program's versioned file is not ours either. */
	snprintf(path, sizeof(path), "%s/versioned.db", dir);
	make_sqlite(path, "PRAGMA user_version = 1;"
	                  "CREATE TABLE item(id INTEGER PRIMARY KEY);");
	assert_code(cairn_store_open(&st, path, 0, &err), CAIRN_ENOTDB);
	assert_null(st);
	assert_int_equal(db_int(path, "SELECT count(*) FROM sqlite_schema"), 1);
	unit_rmtree(dir);
}

static void
test_newer_version(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 32], want[PATH_MAX + 128];

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/cairn.db", dir);
	assert_ok(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err), &err);
	cairn_store_free(st);
	st = NULL;
	db_exec(path, "PRAGMA user_version = 99");

	assert_code(cairn_store_open(&st, path, 0, &err), CAIRN_EVERSION);
	assert_null(st);
	snprintf(want, sizeof(want),
	         "store '%s' has schema version 99, newer than this cairn "
	         "(%d): upgrade cairn",
	         path, CAIRN_SCHEMA_VERSION);
	assert_string_equal(err.msg, want);
	assert_code(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err),
	            CAIRN_EVERSION);
	assert_null(st);
	assert_int_equal(db_int(path, "PRAGMA user_version"), 99);
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"), 1);
	unit_rmtree(dir);
}

/*
 * A newer store written by a future cairn that chose another journal mode
 * must not be modified by an older cairn that refuses to open it.
 */
static void
test_newer_version_untouched(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	char *mode;

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/future.db", dir);
	make_sqlite(path, "PRAGMA journal_mode = DELETE;"
	                  "PRAGMA application_id = 1667330670;"
	                  "PRAGMA user_version = 99;"
	                  "CREATE TABLE item(id INTEGER PRIMARY KEY);");
	slurp(path, &before);

	assert_code(cairn_store_open(&st, path, 0, &err), CAIRN_EVERSION);
	assert_null(st);

	mode = db_text(path, "PRAGMA journal_mode");
	assert_string_equal(mode, "delete");
	free(mode);
	slurp(path, &after);
	assert_int_equal(before.len, after.len);
	assert_memory_equal(before.buf, after.buf, before.len);
	buf_release(&before);
	buf_release(&after);
	unit_rmtree(dir);
}

static void
test_nested(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long change, changes;
	int64_t id;

	changes = db_int(f->path, "SELECT count(*) FROM change");
	assert_ok(cairn_store_begin(f->st, "outer", &err), &err);
	change = cairn_store_change(f->st);
	assert_true(change > 0);
	assert_ok(cairn_store_begin(f->st, "inner", &err), &err);
	/* Inner levels join the outer change. */
	assert_int_equal(cairn_store_change(f->st), change);
	id = unit_add(f->st, CAIRN_KIND_GOAL, "BERT for under $100", 0);
	assert_int_equal(cairn_store_change(f->st), change);
	assert_ok(cairn_store_commit(f->st, &err), &err);
	/* Still open: other connections see nothing yet. */
	assert_int_equal(cairn_store_change(f->st), change);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
	assert_ok(cairn_store_commit(f->st, &err), &err);
	assert_int_equal(cairn_store_change(f->st), 0);

	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes + 1);
	/* One change, labelled by the outermost begin, holds the events. */
	{
		char *label = db_text(f->path,
		                      "SELECT label FROM change "
		                      "WHERE id = %lld",
		                      change);

		assert_string_equal(label, "outer");
		free(label);
	}
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM event WHERE change <> "
	                        "%lld",
	                        change),
	                 0);
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM event WHERE change = "
	                        "%lld AND entity = 'item' AND entity_id = %lld",
	                        change, (long long)id),
	                 1);

	/* Committing with nothing open is an error, not a crash. */
	assert_code(cairn_store_commit(f->st, &err), CAIRN_ESTATE);
}

static void
test_rollback(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	long long changes, events;
	int64_t a, b;

	unit_add(f->st, CAIRN_KIND_GOAL, "kept", 0);
	db_dump_data(f->path, &before);
	changes = db_int(f->path, "SELECT count(*) FROM change");
	events = db_int(f->path, "SELECT count(*) FROM event");

	assert_ok(cairn_store_begin(f->st, "to be abandoned", &err), &err);
	a = unit_add(f->st, CAIRN_KIND_GOAL, "gone", 0);
	b = unit_add(f->st, CAIRN_KIND_MILESTONE, "gone too", a);
	assert_ok(cairn_item_tag(f->st, b, "x", 1, &err), &err);
	assert_ok(cairn_item_note(f->st, b, "a note", &err), &err);
	assert_ok(cairn_edge_add(f->st, b, 1, &err), &err);
	assert_ok(cairn_setting_set(f->st, "k", "v", &err), &err);
	cairn_store_rollback(f->st);
	assert_int_equal(cairn_store_change(f->st), 0);

	db_dump_data(f->path, &after);
	assert_string_equal(before.buf, after.buf);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), events);
	/* Rolling back with nothing open is harmless. */
	cairn_store_rollback(f->st);

	/* The lock was released: the next change goes through. */
	unit_add(f->st, CAIRN_KIND_GOAL, "after", 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 2);
	buf_release(&before);
	buf_release(&after);
}

static void
test_inner_rollback(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long changes = db_int(f->path, "SELECT count(*) FROM change");

	assert_ok(cairn_store_begin(f->st, "outer", &err), &err);
	unit_add(f->st, CAIRN_KIND_GOAL, "first", 0);
	assert_ok(cairn_store_begin(f->st, "inner", &err), &err);
	unit_add(f->st, CAIRN_KIND_GOAL, "second", 0);
	cairn_store_rollback(f->st);
	/* The outer level cannot save half a change. */
	assert_code(cairn_store_commit(f->st, &err), CAIRN_ESTATE);
	assert_int_equal(cairn_store_change(f->st), 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);
	/*
	 * The refused commit ended the transaction and released the lock:
	 * the next change goes through and saves only itself.
	 */
	unit_add(f->st, CAIRN_KIND_GOAL, "after", 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes + 1);
}

/* A failing call inside an open change spoils the whole change. */
static void
test_failed_call_spoils_change(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	long long changes = db_int(f->path, "SELECT count(*) FROM change");

	assert_ok(cairn_store_begin(f->st, "outer", &err), &err);
	unit_add(f->st, CAIRN_KIND_GOAL, "first", 0);
	assert_code(cairn_item_note(f->st, 999, "no such item", &err),
	            CAIRN_ENOTFOUND);
	assert_string_equal(err.msg, "no item #999");
	assert_code(cairn_store_commit(f->st, &err), CAIRN_ESTATE);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM change"),
	                 changes);

	/* And the store is usable afterwards. */
	unit_add(f->st, CAIRN_KIND_GOAL, "second", 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 1);
}

static void
test_settings(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf v = BUF_INIT;
	long long events;

	assert_code(cairn_setting_get(f->st, "focus.main", &v, &err),
	            CAIRN_ENOTFOUND);
	assert_non_null(strstr(err.msg, "focus.main"));
	assert_int_equal(v.len, 0);

	assert_ok(cairn_setting_set(f->st, "focus.main", "3", &err), &err);
	assert_ok(cairn_setting_get(f->st, "focus.main", &v, &err), &err);
	assert_string_equal(v.buf, "3");
	buf_reset(&v);

	assert_ok(cairn_setting_set(f->st, "focus.main", "4", &err), &err);
	assert_ok(cairn_setting_set(f->st, "focus.share", "", &err), &err);
	assert_ok(cairn_setting_get(f->st, "focus.main", &v, &err), &err);
	assert_string_equal(v.buf, "4");
	buf_reset(&v);
	/* An empty value is a value, not an absence. */
	assert_ok(cairn_setting_get(f->st, "focus.share", &v, &err), &err);
	assert_string_equal(v.buf, "");
	/* get appends. */
	buf_adds(&v, ">");
	assert_ok(cairn_setting_get(f->st, "focus.main", &v, &err), &err);
	assert_string_equal(v.buf, ">4");
	buf_reset(&v);

	/* Survives reopening. */
	fixture_reopen(f);
	assert_ok(cairn_setting_get(f->st, "focus.main", &v, &err), &err);
	assert_string_equal(v.buf, "4");
	buf_reset(&v);

	/* Setting the same value again journals nothing. */
	events = db_int(f->path, "SELECT count(*) FROM event");
	assert_ok(cairn_setting_set(f->st, "focus.main", "4", &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"), events);

	/* NULL removes; removing an absent key is fine. */
	assert_ok(cairn_setting_set(f->st, "focus.main", NULL, &err), &err);
	assert_code(cairn_setting_get(f->st, "focus.main", &v, &err),
	            CAIRN_ENOTFOUND);
	assert_ok(cairn_setting_set(f->st, "focus.main", NULL, &err), &err);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM setting"), 1);

	/* Insert, update, insert, delete: four setting events. */
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event "
	                                 "WHERE entity = 'setting'"),
	                 4);
	buf_release(&v);
}

/* Save and restore the variables cairn_store_path reads. */
struct saved_env {
	char *val[4];
};

static const char *const path_vars[] = {"CAIRN_DB", "XDG_DATA_HOME", "HOME",
                                        NULL};

static void
env_save(struct saved_env *s)
{
	for (int i = 0; path_vars[i]; i++)
		s->val[i] = xstrdup_or_null(getenv(path_vars[i]));
}

static void
env_restore(struct saved_env *s)
{
	for (int i = 0; path_vars[i]; i++) {
		if (s->val[i])
			setenv(path_vars[i], s->val[i], 1);
		else
			unsetenv(path_vars[i]);
		free(s->val[i]);
	}
}

static void
expect_path(const char *explicit_path, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf out = BUF_INIT;

	assert_ok(cairn_store_path(explicit_path, &out, &err), &err);
	assert_string_equal(out.buf, want);
	buf_release(&out);
}

static void
test_store_path(void **state)
{
	struct saved_env saved;

	(void)state;
	env_save(&saved);
	setenv("CAIRN_DB", "/env/cairn.db", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/ada", 1);

	/* --db first, then $CAIRN_DB, then XDG, then the home folder. */
	expect_path("/explicit/x.db", "/explicit/x.db");
	expect_path("relative.db", "relative.db");
	expect_path(NULL, "/env/cairn.db");
	expect_path("", "/env/cairn.db");
	unsetenv("CAIRN_DB");
	expect_path(NULL, "/xdg/cairn/cairn.db");
	setenv("CAIRN_DB", "", 1);
	expect_path(NULL, "/xdg/cairn/cairn.db");
	unsetenv("XDG_DATA_HOME");
	expect_path(NULL, "/home/ada/.local/share/cairn/cairn.db");
	/* XDG says relative paths are invalid and must be ignored. */
	setenv("XDG_DATA_HOME", "data", 1);
	expect_path(NULL, "/home/ada/.local/share/cairn/cairn.db");
	setenv("XDG_DATA_HOME", "", 1);
	expect_path(NULL, "/home/ada/.local/share/cairn/cairn.db");

	env_restore(&saved);
}

/* The location rules lead cairn_store_open to create the store there. */
static void
test_store_path_creates(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct saved_env saved;
	struct buf path = BUF_INIT;
	char dir[PATH_MAX], want[PATH_MAX + 64];

	(void)state;
	env_save(&saved);
	unit_tmpdir(dir);
	unsetenv("CAIRN_DB");
	setenv("XDG_DATA_HOME", dir, 1);
	assert_ok(cairn_store_path(NULL, &path, &err), &err);
	snprintf(want, sizeof(want), "%s/cairn/cairn.db", dir);
	assert_string_equal(path.buf, want);
	assert_ok(cairn_store_open(&st, path.buf, CAIRN_OPEN_CREATE, &err),
	          &err);
	cairn_store_free(st);
	assert_true(file_exists(want));
	buf_release(&path);
	env_restore(&saved);
	unit_rmtree(dir);
}

/*
 * Writers in several processes at once: the flock and BEGIN IMMEDIATE
 * serialize them and every add lands.
 */
static void
test_concurrent_writers(void **state)
{
	enum { NPROC = 4, NADD = 50 };
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	pid_t pids[NPROC];

	(void)state;
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/cairn.db", dir);
	assert_ok(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err), &err);
	cairn_store_free(st);
	st = NULL;

	for (int p = 0; p < NPROC; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0) {
			struct cairn_store *cst = NULL;
			int bad = 0;

			if (cairn_store_open(&cst, path, 0, &err))
				_exit(2);
			for (int i = 0; i < NADD && !bad; i++) {
				struct cairn_item it;

				cairn_item_init(&it);
				it.kind = CAIRN_KIND_MILESTONE;
				it.title = xstrdup("concurrent");
				bad = cairn_item_add(cst, &it, &err) != 0;
				cairn_item_release(&it);
			}
			cairn_store_free(cst);
			_exit(bad);
		}
	}
	for (int p = 0; p < NPROC; p++) {
		int status = 0;

		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(db_int(path, "SELECT count(*) FROM item"),
	                 NPROC * NADD);
	assert_int_equal(db_int(path, "SELECT count(DISTINCT uuid) FROM item"),
	                 NPROC * NADD);
	assert_int_equal(db_int(path, "SELECT count(*) FROM change"),
	                 1 + NPROC * NADD);
	/* Two events per add (item and first statement), none lost. */
	assert_int_equal(db_int(path, "SELECT count(*) FROM event"),
	                 2 * NPROC * NADD);
	unit_rmtree(dir);
}

/*
 * A store the user cannot write opens for reading and refuses changes
 * without touching the file.  Root can write anything, so this only runs
 * as an ordinary user.
 */
static void
test_read_only(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct cairn_item it;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int64_t id;

	(void)state;
	if (geteuid() == 0)
		skip();
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/cairn.db", dir);
	assert_ok(cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err), &err);
	id = unit_add(st, CAIRN_KIND_GOAL, "read me", 0);
	cairn_store_free(st);
	st = NULL;
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(chmod(dir, 0555), 0);

	assert_ok(cairn_store_open(&st, path, 0, &err), &err);
	assert_ok(cairn_item_get(st, id, &it, &err), &err);
	assert_string_equal(it.title, "read me");
	cairn_item_release(&it);
	assert_code(cairn_item_note(st, id, "cannot", &err), CAIRN_EREADONLY);
	assert_non_null(strstr(err.msg, path));
	cairn_store_free(st);

	chmod(dir, 0755);
	chmod(path, 0644);
	assert_int_equal(db_int(path, "SELECT count(*) FROM note"), 0);
	unit_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_create),
	        cmocka_unit_test(test_missing),
	        cmocka_unit_test(test_folder),
	        cmocka_unit_test(test_not_sqlite),
	        cmocka_unit_test(test_foreign_sqlite),
	        cmocka_unit_test(test_newer_version),
	        cmocka_unit_test(test_newer_version_untouched),
	        cmocka_unit_test_setup_teardown(test_nested, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_rollback, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_inner_rollback, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_failed_call_spoils_change,
	                                        fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_settings, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test(test_store_path),
	        cmocka_unit_test(test_store_path_creates),
	        cmocka_unit_test(test_concurrent_writers),
	        cmocka_unit_test(test_read_only),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
