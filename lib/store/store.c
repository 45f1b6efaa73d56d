/*
 * store.c: the SQLite store: opening and creating it, the writer lock,
 * transactions, damage detection; the schema itself is built by
 * migrate.c, the journal by journal.c and undo.c, copies and checks by
 * backup.c and doctor.c.
 *
 * Invariants:
 *  - Every write happens between cairn_store_begin and cairn_store_commit,
 *    inside BEGIN IMMEDIATE and under an exclusive flock on PATH.lock.
 *  - Each transaction opens one row of `change`; triggers built by
 *    journal.c from the schema's own columns write one `event` per
 *    changed row, with the row before and after as JSON, into the same
 *    transaction.  Writes made outside a change fail (event.change is
 *    NOT NULL).  The one exception is the upkeep of derived tables
 *    (store_upkeep_begin): under the same lock, with no change row, and
 *    touching no journalled table.
 *  - PRAGMA user_version is the schema version; migrate.c moves a store
 *    from any older version to this one, after backup.c has copied it.
 *  - Once SQLite reports the file damaged (SQLITE_CORRUPT, or
 *    SQLITE_NOTADB after it opened), nothing more is committed or
 *    checkpointed, and PATH.damaged makes later commands refuse the
 *    store until `cairn doctor` finds it sound.
 *  - A read-only store is never shown older than it is: one with a -wal
 *    but no -shm is read through a private copy (reopen_readable).
 *
 * Where SQL lives.  Front ends (cli/, later the web UI) never see SQLite:
 * they call include/cairn/.  Inside the library the connection is shared
 * through store-int.h, and SQL may appear only here, in lib/store/
 * (store.c, migrate.c, journal.c, undo.c, backup.c, doctor.c), and in
 * each module's own data-access file:
 *    core      lib/core/item.c (items, tags, links, notes, statements),
 *              edge.c (builds-on edges), query.c (listing and search),
 *              bulk.c (the importers' batch writer)
 *    research  lib/research/metric.c, paper.c, lesson.c, predict.c,
 *              timelog.c, review.c, lookback.c
 *    plan      lib/plan/roadmap-load.c (the roadmap snapshot's loader),
 *              plan-summary.c (the planning summary next reads)
 *    fmt       lib/fmt/json.c (the lossless dump and restore)
 * and, until the importers write only through bulk.c, in
 * lib/fmt/md-match.c and md-import.c (re-import matching) and
 * taskwarrior.c.  Every journalled table is named once, in journal.c's
 * cairn_jtables; a new table goes there.
 *
 * Workload: one short transaction per command; readers never take the
 * lock and run concurrently with a writer (WAL).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cairn/core/time.h"
#include "store/store-int.h"
#include "banned.h"

#define CAIRN_APPLICATION_ID 0x6361726e /* "carn" */
#define BUSY_TIMEOUT_MS      30000
/* Stores up to this size are checked (quick_check) before each write:
 * about 5 ms a MiB, so at most a few tens of ms per command. */
#define WRITE_CHECK_MAX (16LL << 20)

/*
 * SQLite reports corruption through its error log even where a caller
 * stops at the first non-row step without looking at the code (a loop
 * over rows ends early and looks like the end of the data).  Counting
 * those reports lets the store refuse to commit, and the front end
 * fail, once the file is known to be damaged.
 */
static volatile unsigned long corrupt_reports;

static void
sqlite_log(void *ctx, int code, const char *msg)
{
	(void)ctx;
	(void)msg;
	if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
		corrupt_reports++;
}

/* Before SQLite initialises, once per process (a no-op if it has). */
static void
install_log(void)
{
	static int done;

	if (!done) {
		done = 1;
		sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL);
	}
}

static int
is_damaged(struct cairn_store *st)
{
	if (st->opened && corrupt_reports != st->corrupt)
		st->damaged = 1;
	return st->damaged;
}

void
store_damage_mark(const char *path, const char *why)
{
	struct buf mark = BUF_INIT;
	char now[CAIRN_TS_LEN];
	FILE *f;

	buf_addf(&mark, "%s.damaged", path);
	if (!why) {
		unlink(mark.buf);
	} else if ((f = fopen(mark.buf, "w"))) {
		cairn_now(now);
		fprintf(f, "%s SQLite reported damage: %s\n", now, why);
		fclose(f);
	}
	buf_release(&mark);
}

int
store_damage(struct cairn_store *st, const char *detail, struct cairn_err *err)
{
	if (st->opened && st->lockfd >= 0)
		store_damage_mark(st->path,
		                  detail ? detail : "database corruption");
	st->damaged = 1;
	return cairn_err_set(err, CAIRN_ECORRUPT,
	                     "store '%s' is damaged%s%s%s: run 'cairn doctor', "
	                     "or restore a backup",
	                     st->path, detail ? " (" : "", detail ? detail : "",
	                     detail ? ")" : "");
}

int
cairn_store_damaged(struct cairn_store *st, struct cairn_err *err)
{
	return is_damaged(st) ? store_damage(st, NULL, err) : 0;
}

int
store_sqlerr(struct cairn_store *st, struct cairn_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);
	const char *msg = sqlite3_errmsg(st->db);

	switch (rc & 0xff) {
	case SQLITE_FULL:
		return cairn_err_set(err, CAIRN_EFULL,
		                     "disk full: could not %s in '%s'", what,
		                     st->path);
	case SQLITE_READONLY:
		return cairn_err_set(err, CAIRN_EREADONLY,
		                     "store '%s' is read-only: could not %s",
		                     st->path, what);
	case SQLITE_CORRUPT:
		return store_damage(st, msg, err);
	case SQLITE_NOTADB:
		if (st->opened)
			return store_damage(st, msg, err);
		return cairn_err_set(err, CAIRN_ENOTDB,
		                     "'%s' is not a cairn store (%s)", st->path,
		                     msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return cairn_err_set(err, CAIRN_EBUSY,
		                     "store '%s' is busy: could not %s",
		                     st->path, what);
	case SQLITE_CONSTRAINT:
		return cairn_err_set(err, CAIRN_EINVAL, "could not %s: %s",
		                     what, msg);
	}
	return cairn_err_set(err, CAIRN_EDB, "could not %s in '%s': %s", what,
	                     st->path, msg);
}

int
store_prepare(struct cairn_store *st, sqlite3_stmt **stmt, const char *sql,
              struct cairn_err *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return store_sqlerr(st, err, "read the store");
	}
	return 0;
}

int
store_exec(struct cairn_store *st, const char *sql, struct cairn_err *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlerr(st, err, "update the store");
	return 0;
}

int
store_step(struct cairn_store *st, sqlite3_stmt *stmt, const char *what,
           struct cairn_err *err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, err, what);
	return 0;
}

int
store_finish(struct cairn_store *st, int rc, struct cairn_err *err)
{
	if (rc) {
		cairn_store_rollback(st);
		return rc;
	}
	return cairn_store_commit(st, err);
}

void
store_bind_opt_double(sqlite3_stmt *stmt, int i, double v)
{
	if (v < 0)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_double(stmt, i, v);
}

void
store_bind_opt_int(sqlite3_stmt *stmt, int i, int v)
{
	if (v <= 0)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_int(stmt, i, v);
}

int
store_bind_text_or_null(sqlite3_stmt *stmt, int i, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
}

const char *
store_col_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s ? (const char *)s : "";
}

int
cairn_store_path(const char *explicit_path, struct buf *out,
                 struct cairn_err *err)
{
	const char *env;
	struct passwd *pw;

	if (explicit_path && *explicit_path)
		return buf_adds(out, explicit_path);
	env = getenv("CAIRN_DB");
	if (env && *env)
		return buf_adds(out, env);
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/')
		return buf_addf(out, "%s/cairn/cairn.db", env);
	env = getenv("HOME");
	if (!env || !*env) {
		pw = getpwuid(getuid());
		env = pw ? pw->pw_dir : NULL;
	}
	if (!env || !*env)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "no home folder: use --db or $CAIRN_DB");
	return buf_addf(out, "%s/.local/share/cairn/cairn.db", env);
}

/* mkdir -p of the folder holding path. */
static int
make_parent_dirs(const char *path, struct cairn_err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	char *p;
	int rc = 0;

	if (!slash || slash == dir)
		goto out;
	*slash = '\0';
	for (p = dir + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char save = *p;

			*p = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST) {
				rc = cairn_err_set(err, CAIRN_EREADONLY,
				                   "cannot create folder '%s': "
				                   "%s",
				                   dir, strerror(errno));
				goto out;
			}
			*p = save;
			if (!save)
				break;
		}
	}
out:
	free(dir);
	return rc;
}

static int
lock(struct cairn_store *st, struct cairn_err *err)
{
	if (st->lockfd < 0)
		return cairn_err_set(err, CAIRN_EREADONLY,
		                     "store '%s' is read-only", st->path);
	/*
	 * Poll rather than block, so that a writer stuck elsewhere gives a
	 * clear "busy" error after BUSY_TIMEOUT_MS instead of a hang.
	 */
	for (long waited = 0, step = 1;; waited += step) {
		struct timespec ts;

		if (flock(st->lockfd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return cairn_err_set(err, CAIRN_EDB,
			                     "cannot lock '%s.lock': %s",
			                     st->path, strerror(errno));
		if (waited >= BUSY_TIMEOUT_MS)
			return cairn_err_set(err, CAIRN_EBUSY,
			                     "store '%s' stayed locked by "
			                     "another writer for %d s",
			                     st->path, BUSY_TIMEOUT_MS / 1000);
		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		nanosleep(&ts, NULL);
		if (step < 16)
			step *= 2;
	}
}

static void
unlock(struct cairn_store *st)
{
	if (st->lockfd >= 0)
		flock(st->lockfd, LOCK_UN);
}

int
store_pragma_int(struct cairn_store *st, const char *sql, int *out,
                 struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the store");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Under the writer lock: create or migrate the schema to the current one. */
static int
migrate(struct cairn_store *st, struct cairn_err *err)
{
	int version, appid, ntables, rc;
	char label[64];
	char now[CAIRN_TS_LEN];
	sqlite3_stmt *stmt = NULL;

	if ((rc = lock(st, err)))
		return rc;
	/* A copy of what was there before, while nobody else writes. */
	if ((rc = store_pragma_int(st, "PRAGMA user_version", &version, err)) ||
	    (version > 0 && version < CAIRN_SCHEMA_VERSION &&
	     (rc = store_backup_before_migration(st, version, err)))) {
		unlock(st);
		return rc;
	}
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) {
		rc = store_sqlerr(st, err, "open the store");
		unlock(st);
		return rc;
	}
	if ((rc = store_pragma_int(st, "PRAGMA user_version", &version, err)) ||
	    (rc = store_pragma_int(st, "PRAGMA application_id", &appid, err)) ||
	    (rc = store_pragma_int(st,
	                           "SELECT count(*) FROM sqlite_schema "
	                           "WHERE type = 'table'",
	                           &ntables, err)))
		goto fail;
	if (version == 0 && ntables > 0 && appid != CAIRN_APPLICATION_ID) {
		rc = cairn_err_set(err, CAIRN_ENOTDB,
		                   "'%s' is an SQLite file but not a cairn "
		                   "store",
		                   st->path);
		goto fail;
	}
	if (version > CAIRN_SCHEMA_VERSION) {
		rc = cairn_err_set(err, CAIRN_EVERSION,
		                   "store '%s' has schema version %d, newer "
		                   "than this cairn (%d): upgrade cairn",
		                   st->path, version, CAIRN_SCHEMA_VERSION);
		goto fail;
	}
	if (version == CAIRN_SCHEMA_VERSION) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		unlock(st);
		return 0;
	}
	for (int v = version; v < CAIRN_SCHEMA_VERSION; v++)
		if ((rc = store_migration_run(st, v, err)))
			goto fail;
	if ((rc = store_journal_triggers(st, err)))
		goto fail;
	snprintf(label, sizeof(label), "PRAGMA user_version = %d",
	         CAIRN_SCHEMA_VERSION);
	if ((rc = store_exec(st, label, err)) ||
	    (rc = store_exec(st, "PRAGMA application_id = 1667330670", err)))
		goto fail;
	/* The migration itself is a change in the journal. */
	cairn_now(now);
	snprintf(label, sizeof(label), "%s schema version %d",
	         version ? "migrate to" : "create store with",
	         CAIRN_SCHEMA_VERSION);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO change(time, actor, label) "
	                        "VALUES(?, 'cairn', ?)",
	                        err)))
		goto fail;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, label, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "create the store");
		goto fail;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL)) {
		rc = store_sqlerr(st, err, "create the store");
		goto fail;
	}
	unlock(st);
	return 0;
fail:
	sqlite3_finalize(stmt);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	unlock(st);
	return rc;
}

/* Refuse an SQLite file that some other program owns. */
static int
check_foreign(struct cairn_store *st, struct cairn_err *err)
{
	int appid, ntables, rc;

	if ((rc = store_pragma_int(st, "PRAGMA application_id", &appid, err)) ||
	    (rc = store_pragma_int(st,
	                           "SELECT count(*) FROM sqlite_schema "
	                           "WHERE type = 'table'",
	                           &ntables, err)))
		return rc;
	if (ntables > 0 && appid != CAIRN_APPLICATION_ID)
		return cairn_err_set(err, CAIRN_ENOTDB,
		                     "'%s' is an SQLite file but not a cairn "
		                     "store",
		                     st->path);
	return 0;
}

/* cp src dst, dst new; 0 or -1 with errno. */
static int
copy_file(const char *src, const char *dst)
{
	char chunk[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	while (out >= 0 && (n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, (size_t)n) != n)
			goto out;
	rc = out >= 0 && n == 0 ? 0 : -1;
out:
	close(in);
	if (out >= 0 && close(out))
		rc = -1;
	return rc;
}

/* Remove a private copy made by reopen_readable, folder and all. */
static void
remove_copy(const char *dir)
{
	static const char *const names[] = {"store.db", "store.db-wal",
	                                    "store.db-shm"};
	struct buf p = BUF_INIT;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, names[i]);
		unlink(p.buf);
	}
	rmdir(dir);
	buf_release(&p);
}

/*
 * Open a WAL store that cannot get its -shm file: as immutable when it
 * has no -wal, else through a private copy of the store and its -wal in
 * a temporary folder (removed at close), so that the -wal is read.
 */
static int
reopen_readable(struct cairn_store *st, struct cairn_err *err)
{
	struct buf wal = BUF_INIT, uri = BUF_INIT, dst = BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	struct stat sb;
	int rc;

	buf_addf(&wal, "%s-wal", st->path);
	if (stat(wal.buf, &sb) == 0 && sb.st_size > 0) {
		buf_addf(&dst, "%s/cairn-copy.XXXXXX",
		         tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dst.buf)) {
			rc = cairn_err_set(err, CAIRN_EREADONLY,
			                   "store '%s' has a -wal but no -shm "
			                   "file and cannot be read without a "
			                   "copy: cannot make one in '%s': %s",
			                   st->path, dst.buf, strerror(errno));
			goto out;
		}
		st->tmpdir = xstrdup(dst.buf);
		buf_adds(&dst, "/store.db");
		buf_addf(&uri, "%s-wal", dst.buf);
		if (copy_file(st->path, dst.buf) ||
		    copy_file(wal.buf, uri.buf)) {
			rc = cairn_err_set(
			        err, CAIRN_EREADONLY,
			        "store '%s' has a -wal but no -shm "
			        "file: cannot copy it to '%s' to read "
			        "it: %s",
			        st->path, st->tmpdir, strerror(errno));
			goto out;
		}
		rc = sqlite3_open_v2(dst.buf, &st->db,
		                     SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
		                     NULL);
	} else {
		buf_addf(&uri, "file:%s?immutable=1", st->path);
		rc = sqlite3_open_v2(uri.buf, &st->db,
		                     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
		                             SQLITE_OPEN_NOMUTEX,
		                     NULL);
	}
	if (rc != SQLITE_OK)
		rc = store_sqlerr(st, err, "open the store");
	else
		sqlite3_extended_result_codes(st->db, 1);
out:
	buf_release(&wal);
	buf_release(&uri);
	buf_release(&dst);
	return rc;
}

static int
open_db(struct cairn_store *st, int create, int readonly, struct cairn_err *err)
{
	int flags = readonly ? SQLITE_OPEN_READONLY
	                     : SQLITE_OPEN_READWRITE |
	                               (create ? SQLITE_OPEN_CREATE : 0);

	if (sqlite3_open_v2(st->path, &st->db, flags | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		int rc = cairn_err_set(
		        err, CAIRN_EDB, "cannot open store '%s': %s", st->path,
		        st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		st->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	return 0;
}

int
cairn_store_open(struct cairn_store **out, const char *path, unsigned flags,
                 struct cairn_err *err)
{
	struct cairn_store *st;
	struct stat sb;
	struct buf lockpath = BUF_INIT;
	int exists, rc, mode, had_lock;
	int readonly = 0;

	*out = NULL;
	install_log();
	exists = stat(path, &sb) == 0;
	if (exists && S_ISDIR(sb.st_mode))
		return cairn_err_set(err, CAIRN_ENOTDB,
		                     "'%s' is a folder, not a cairn store",
		                     path);
	if (!exists && !(flags & CAIRN_OPEN_CREATE))
		return cairn_err_set(err, CAIRN_ENOSTORE,
		                     "no store at '%s' (run 'cairn init')",
		                     path);
	/* SQLite would take an empty file for an empty database: only a
	 * creating open may make it a store. */
	if (exists && sb.st_size == 0 && !(flags & CAIRN_OPEN_CREATE))
		return cairn_err_set(err, CAIRN_ENOSTORE,
		                     "'%s' is an empty file, not a store (run "
		                     "'cairn init' to make it one)",
		                     path);
	if (!exists && (rc = make_parent_dirs(path, err)))
		return rc;

	/* Damage found by an earlier command stands until doctor clears it;
	 * nothing is opened, let alone migrated. */
	buf_addf(&lockpath, "%s.damaged", path);
	if (exists && !(flags & CAIRN_OPEN_CHECK) &&
	    access(lockpath.buf, F_OK) == 0) {
		rc = cairn_err_set(
		        err, CAIRN_ECORRUPT,
		        "store '%s' was found damaged (see '%s'): run "
		        "'cairn doctor', or restore a backup",
		        path, lockpath.buf);
		buf_release(&lockpath);
		return rc;
	}
	buf_reset(&lockpath);
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	buf_addf(&lockpath, "%s.lock", path);
	had_lock = access(lockpath.buf, F_OK) == 0;
	st->lockfd = open(lockpath.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	st->checkonly = (flags & CAIRN_OPEN_CHECK) != 0;
	if (st->lockfd < 0 || (exists && access(path, W_OK) < 0)) {
		if (!exists) {
			rc = cairn_err_set(err, CAIRN_EREADONLY,
			                   "cannot create store '%s': %s", path,
			                   strerror(errno));
			goto fail;
		}
		if (st->lockfd >= 0)
			close(st->lockfd);
		st->lockfd = -1;
		readonly = 1;
	}
	if ((rc = open_db(st, !exists, readonly, err)))
		goto fail;
	if (!readonly && sqlite3_db_readonly(st->db, "main") == 1) {
		readonly = 1;
		close(st->lockfd);
		st->lockfd = -1;
	}
	/* Is it a database at all?  This reads the header. */
	rc = store_pragma_int(st, "PRAGMA user_version", &mode, err);
	/* Extended codes are on: compare the primary code only. */
	if (rc && readonly &&
	    ((sqlite3_errcode(st->db) & 0xff) == SQLITE_CANTOPEN ||
	     (sqlite3_errcode(st->db) & 0xff) == SQLITE_READONLY)) {
		/*
		 * A WAL store in a folder we cannot write and without its
		 * -shm file: nobody can be writing it.  Without a -wal it
		 * reads as immutable; with one (a copy that carried the db
		 * and its -wal only), immutable would ignore the -wal and
		 * show the store as it was before its last changes, so it is
		 * read through a private copy where SQLite can make a -shm.
		 */
		sqlite3_close(st->db);
		st->db = NULL;
		if ((rc = reopen_readable(st, err)))
			goto fail;
		rc = store_pragma_int(st, "PRAGMA user_version", &mode, err);
	}
	if (rc && ((sqlite3_errcode(st->db) & 0xff) == SQLITE_IOERR ||
	           (sqlite3_errcode(st->db) & 0xff) == SQLITE_FULL)) {
		/* A full disk (no room for the -shm file) is not a foreign
		 * file: say what failed. */
		int en = sqlite3_system_errno(st->db);

		if (en == ENOSPC)
			rc = cairn_err_set(err, CAIRN_EFULL,
			                   "disk full: cannot open store '%s'",
			                   path);
		else
			rc = cairn_err_set(err, CAIRN_EDB,
			                   "cannot open store '%s': %s", path,
			                   en ? strerror(en)
			                      : sqlite3_errmsg(st->db));
		goto fail;
	}
	if (rc) {
		if (rc == CAIRN_ENOTDB || rc == CAIRN_EDB)
			cairn_err_set(err, CAIRN_ENOTDB,
			              "'%s' is not a cairn store (%s)", path,
			              sqlite3_errmsg(st->db));
		rc = CAIRN_ENOTDB;
		goto fail;
	}
	if ((rc = store_exec(st, "PRAGMA foreign_keys = ON", err)))
		goto fail;
	/*
	 * Tables without cairn's application id belong to another program,
	 * whatever its user_version says; and a newer schema is refused
	 * before anything (the journal mode) is changed.
	 */
	if (exists && (rc = check_foreign(st, err)))
		goto fail;
	if (mode > CAIRN_SCHEMA_VERSION) {
		rc = cairn_err_set(err, CAIRN_EVERSION,
		                   "store '%s' has schema version %d, newer "
		                   "than this cairn (%d): upgrade cairn",
		                   path, mode, CAIRN_SCHEMA_VERSION);
		goto fail;
	}
	if (!readonly && !st->checkonly) {
		if (!exists || mode != CAIRN_SCHEMA_VERSION) {
			/* WAL is persistent: set once, under the lock. */
			if ((rc = lock(st, err)))
				goto fail;
			rc = store_exec(st, "PRAGMA journal_mode = WAL", err);
			unlock(st);
			if (rc)
				goto fail;
		}
		if ((rc = store_exec(st, "PRAGMA synchronous = FULL", err)))
			goto fail;
		if (mode != CAIRN_SCHEMA_VERSION && (rc = migrate(st, err)))
			goto fail;
	} else if (mode < CAIRN_SCHEMA_VERSION && !(flags & CAIRN_OPEN_CHECK)) {
		rc = cairn_err_set(err, CAIRN_EREADONLY,
		                   "store '%s' needs a schema upgrade but is "
		                   "read-only",
		                   path);
		goto fail;
	}
	st->opened = 1;
	st->corrupt = corrupt_reports;
	buf_release(&lockpath);
	*out = st;
	return 0;
fail:
	cairn_store_free(st);
	/* A file that is not a store gets no lock file beside it. */
	if (!had_lock)
		unlink(lockpath.buf);
	buf_release(&lockpath);
	return rc;
}

void
cairn_store_free(struct cairn_store *st)
{
	if (!st)
		return;
	if (st->depth)
		cairn_store_rollback(st);
	if (st->db) {
		if (is_damaged(st))
			sqlite3_db_config(st->db,
			                  SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
			                  NULL);
		/* Closing may checkpoint the WAL: that is a write. */
		if (st->lockfd >= 0)
			flock(st->lockfd, LOCK_EX);
		sqlite3_finalize(st->version);
		sqlite3_close_v2(st->db);
		unlock(st);
	}
	if (st->lockfd >= 0)
		close(st->lockfd);
	store_jcols_reset(st);
	if (st->tmpdir)
		remove_copy(st->tmpdir);
	free(st->tmpdir);
	free(st->path);
	free(st);
}

int
cairn_store_readonly(const struct cairn_store *st)
{
	return st->lockfd < 0 || st->checkonly;
}

const char *
cairn_store_filename(const struct cairn_store *st)
{
	return st->path;
}

long long
cairn_store_change(const struct cairn_store *st)
{
	return st->depth ? st->change : 0;
}

int
cairn_store_version(struct cairn_store *st, long long *out,
                    struct cairn_err *err)
{
	int rc;

	*out = 0;
	/* Every commit writes a change row, and none is ever deleted: the
	 * newest id is the same from every connection.  A server reads it
	 * before every request, so the statement stays prepared. */
	if (!st->version &&
	    sqlite3_prepare_v3(st->db,
	                       "SELECT coalesce(max(id), 0) FROM change", -1,
	                       SQLITE_PREPARE_PERSISTENT, &st->version, NULL))
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot read the store: %s",
		                     sqlite3_errmsg(st->db));
	rc = sqlite3_step(st->version);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st->version, 0);
	sqlite3_reset(st->version);
	return rc == SQLITE_ROW ? 0
	                        : cairn_err_set(err, CAIRN_EDB,
	                                        "cannot read the store: %s",
	                                        sqlite3_errmsg(st->db));
}

const char *
store_actor(void)
{
	const char *a = getenv("CAIRN_ACTOR");

	if (!a || !*a)
		a = getenv("USER");
	return a && *a ? a : "cairn";
}

/*
 * Before a write, inside its transaction: a store small enough to check
 * fast is checked whole (quick_check), so that damage on pages this
 * command would not read stops the write too.  Larger stores rely on
 * SQLite reporting the damage it meets, and on `cairn doctor`.
 */
static int
check_before_write(struct cairn_store *st, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int pages, size, rc;

	if ((rc = store_pragma_int(st, "PRAGMA page_count", &pages, err)) ||
	    (rc = store_pragma_int(st, "PRAGMA page_size", &size, err)))
		return rc;
	if ((long long)pages * size > WRITE_CHECK_MAX)
		return 0;
	if ((rc = store_prepare(st, &stmt, "PRAGMA quick_check(1)", err)))
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && !strcmp(store_col_text(stmt, 0), "ok"))
		rc = 0;
	else if (rc == SQLITE_ROW) {
		/* "*** in database main ***\nPage 4: ...": the first finding */
		const char *msg = store_col_text(stmt, 0), *nl;
		struct buf one = BUF_INIT;

		if (!strncmp(msg, "*** ", 4) && (nl = strchr(msg, '\n')))
			msg = nl + 1;
		buf_add(&one, msg, strcspn(msg, "\n"));
		rc = store_damage(st, one.buf, err);
		buf_release(&one);
	} else
		rc = store_sqlerr(st, err, "check the store");
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_store_begin(struct cairn_store *st, const char *label,
                  struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	if (st->depth == 0 && is_damaged(st))
		return store_damage(st, NULL, err);
	if (st->depth == 0 && st->checkonly)
		return cairn_err_set(err, CAIRN_EREADONLY,
		                     "store '%s' is open for checking only",
		                     st->path);
	if (st->depth++)
		return 0;
	st->failed = 0;
	if ((rc = lock(st, err)))
		goto fail_unlocked;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) {
		rc = store_sqlerr(st, err, "start a change");
		goto fail;
	}
	if ((rc = check_before_write(st, err)))
		goto fail_tx;
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO change(time, actor, label) "
	                        "VALUES(?, ?, ?)",
	                        err)))
		goto fail_tx;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, store_actor(), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, label ? label : "change", -1,
	                  SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "start a change");
		goto fail_tx;
	}
	sqlite3_finalize(stmt);
	st->change = sqlite3_last_insert_rowid(st->db);
	return 0;
fail_tx:
	sqlite3_finalize(stmt);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
fail:
	unlock(st);
fail_unlocked:
	st->depth = 0;
	return rc;
}

int
cairn_store_commit(struct cairn_store *st, struct cairn_err *err)
{
	int rc;

	if (st->depth == 0)
		return cairn_err_set(err, CAIRN_ESTATE, "no change to commit");
	if (--st->depth)
		return 0;
	if (st->failed) {
		st->depth = 1; /* so the rollback is the outermost one */
		cairn_store_rollback(st);
		return cairn_err_set(err, CAIRN_ESTATE,
		                     "change abandoned after an error");
	}
	if (is_damaged(st)) {
		st->depth = 1;
		cairn_store_rollback(st);
		return store_damage(st, NULL, err);
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = store_sqlerr(st, err, "save the change");
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		unlock(st);
		st->change = 0;
		return rc;
	}
	unlock(st);
	st->change = 0;
	return 0;
}

void
cairn_store_rollback(struct cairn_store *st)
{
	if (st->depth == 0)
		return;
	if (st->depth > 1) {
		/* An inner level gave up: the outer commit must fail. */
		st->depth--;
		st->failed = 1;
		return;
	}
	st->depth = 0;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	unlock(st);
	st->change = 0;
}

int
store_upkeep_begin(struct cairn_store *st, struct cairn_err *err)
{
	int rc;

	if (st->upkeep)
		return cairn_err_set(err, CAIRN_ESTATE, "upkeep already begun");
	if (st->depth) {
		/* Within the change: undone with it, or alone on failure. */
		if ((rc = store_exec(st, "SAVEPOINT upkeep", err)))
			return rc;
		st->upkeep = 2;
		return 0;
	}
	if (is_damaged(st))
		return store_damage(st, NULL, err);
	if (st->checkonly)
		return cairn_err_set(err, CAIRN_EREADONLY,
		                     "store '%s' is open for checking only",
		                     st->path);
	if (st->lockfd < 0)
		return cairn_err_set(err, CAIRN_EREADONLY,
		                     "store '%s' is read-only", st->path);
	/* Readers never wait for a writer: one try at the lock. */
	if (flock(st->lockfd, LOCK_EX | LOCK_NB))
		return cairn_err_set(err, CAIRN_EBUSY,
		                     "store '%s' is being written", st->path);
	/* Derived data needs no sync of its own: should power fail, the
	 * upkeep is lost whole, with the marks that asked for it, and the
	 * next write's sync (FULL) carries it anyway. */
	if ((rc = store_exec(st, "PRAGMA synchronous = NORMAL", err)))
		goto fail;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) {
		rc = store_sqlerr(st, err, "start the upkeep");
		goto fail;
	}
	st->upkeep = 1;
	return 0;
fail:
	sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	unlock(st);
	return rc;
}

int
store_upkeep_end(struct cairn_store *st, int ok, struct cairn_err *err)
{
	int rc = 0, inner = st->upkeep == 2;

	if (!st->upkeep)
		return 0;
	st->upkeep = 0;
	if (inner) {
		if (!ok)
			sqlite3_exec(st->db, "ROLLBACK TO upkeep", NULL, NULL,
			             NULL);
		if (sqlite3_exec(st->db, "RELEASE upkeep", NULL, NULL, NULL))
			rc = store_sqlerr(st, err, "save the upkeep");
		return rc;
	}
	if (ok && is_damaged(st))
		rc = store_damage(st, NULL, err);
	else if (ok && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL))
		rc = store_sqlerr(st, err, "save the upkeep");
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL,
	                 NULL) &&
	    !rc)
		rc = store_sqlerr(st, err, "end the upkeep");
	unlock(st);
	return rc;
}

int
store_kv_get(struct cairn_store *st, const char *table, const char *what,
             const char *key, struct buf *out, struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *stmt;
	int rc;

	buf_addf(&sql, "SELECT value FROM \"%s\" WHERE key = ?", table);
	rc = store_prepare(st, &stmt, sql.buf, err);
	buf_release(&sql);
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		buf_adds(out, store_col_text(stmt, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "no %s '%s'", what,
		                   key);
	} else {
		buf_addf(&sql, "read a %s", what);
		rc = store_sqlerr(st, err, sql.buf);
		buf_release(&sql);
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_setting_get(struct cairn_store *st, const char *key, struct buf *out,
                  struct cairn_err *err)
{
	return store_kv_get(st, "setting", "setting", key, out, err);
}

int
cairn_setting_set(struct cairn_store *st, const char *key, const char *value,
                  struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = cairn_store_begin(st, "set a setting", err)))
		return rc;
	if ((rc = store_prepare(st, &stmt,
	                        value ? "INSERT INTO setting(key, value) "
	                                "VALUES(?1, ?2) ON CONFLICT(key) DO "
	                                "UPDATE SET value = ?2 "
	                                "WHERE value IS NOT ?2"
	                              : "DELETE FROM setting WHERE key = ?1",
	                        err)))
		goto fail;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	if (value)
		sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "save a setting");
		goto fail;
	}
	sqlite3_finalize(stmt);
	return cairn_store_commit(st, err);
fail:
	sqlite3_finalize(stmt);
	cairn_store_rollback(st);
	return rc;
}
