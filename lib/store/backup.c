/*
 * backup.c: online copies of a store through SQLite's backup API, and
 * the automatic copy taken before every schema migration.
 *
 * A backup reads the whole store in one read transaction
 * (sqlite3_backup_step with -1), so it is one consistent state even
 * while other processes write (WAL readers do not block writers, nor
 * writers readers).  It goes to a temporary file beside the destination,
 * is checked (PRAGMA quick_check) and synced there, and only then is
 * renamed into place: a destination is never partly written, and never
 * overwritten.
 *
 * Before a migration, store.c calls store_backup_before_migration under
 * the writer lock: the copy is PATH.bak-vN-YYYYMMDDTHHMMSSZ (N the
 * version migrated from) beside the store, and only the newest
 * CAIRN_MIGRATION_BACKUPS of them are kept.
 *
 * Workload: a backup copies every page once, and checks it once.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cairn/core/time.h"
#include "cairn/store/backup.h"
#include "store/store-int.h"
#include "banned.h"

#define BACKUP_TRIES 100 /* busy retries, 50 ms apart */

/* Copy st into the new file tmp; 0 or the code with err filled. */
static int
copy_into(struct cairn_store *st, const char *tmp, const char *dest,
          struct cairn_err *err)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	sqlite3_stmt *chk = NULL;
	int rc, tries = 0;

	if (sqlite3_open_v2(tmp, &to,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                            SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		rc = cairn_err_set(err, CAIRN_EREADONLY,
		                   "cannot write backup '%s': %s", dest,
		                   to ? sqlite3_errmsg(to) : "out of memory");
		goto out;
	}
	sqlite3_exec(to, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if (!(b = sqlite3_backup_init(to, "main", st->db, "main"))) {
		rc = cairn_err_set(err, CAIRN_EDB, "cannot back up '%s': %s",
		                   st->path, sqlite3_errmsg(to));
		goto out;
	}
	/* All pages in one step: one read transaction, one state. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED) {
		struct timespec ts = {0, 50 * 1000000L};

		if (++tries > BACKUP_TRIES)
			break;
		nanosleep(&ts, NULL);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		int code = rc & 0xff;

		if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
			rc = store_damage(st, sqlite3_errstr(rc), err);
		else
			rc = cairn_err_set(err,
			                   code == SQLITE_FULL   ? CAIRN_EFULL
			                   : code == SQLITE_BUSY ? CAIRN_EBUSY
			                                         : CAIRN_EDB,
			                   "cannot back up '%s' to '%s': %s",
			                   st->path, dest, sqlite3_errstr(rc));
		goto out;
	}
	/* The copy must be sound: a damaged store makes no backup. */
	if (sqlite3_prepare_v2(to, "PRAGMA quick_check", -1, &chk, NULL) !=
	            SQLITE_OK ||
	    sqlite3_step(chk) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(chk, 0), "ok")) {
		rc = cairn_err_set(
		        err, CAIRN_ECORRUPT,
		        "the copy of '%s' fails its integrity check: "
		        "the store is damaged, run 'cairn doctor'",
		        st->path);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(chk);
	if (sqlite3_close(to) != SQLITE_OK && !rc)
		rc = cairn_err_set(err, CAIRN_EDB, "cannot finish backup '%s'",
		                   dest);
	return rc;
}

/*
 * Give the finished copy tmp its name dest: link, not rename, so that a
 * file made at dest meanwhile is kept; where the file system has no
 * links, rename after a last look.  0 or an errno.
 */
static int
publish(const char *tmp, const char *dest)
{
	struct stat sb;

	if (link(tmp, dest) == 0)
		return 0;
	if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS)
		return errno;
	if (lstat(dest, &sb) == 0)
		return EEXIST;
	return rename(tmp, dest) ? errno : 0;
}

int
store_backup_to(struct cairn_store *st, const char *dest, struct cairn_err *err)
{
	struct buf tmp = BUF_INIT;
	struct stat sb;
	int rc, e;

	if (lstat(dest, &sb) == 0)
		return cairn_err_set(err, CAIRN_EEXIST,
		                     "'%s' already exists: back up to a new "
		                     "file",
		                     dest);
	buf_addf(&tmp, "%s.tmp-%ld", dest, (long)getpid());
	unlink(tmp.buf);
	rc = copy_into(st, tmp.buf, dest, err);
	if (!rc && (e = publish(tmp.buf, dest)))
		rc = e == EEXIST ? cairn_err_set(err, CAIRN_EEXIST,
		                                 "'%s' already exists: back up "
		                                 "to a new file",
		                                 dest)
		                 : cairn_err_set(err, CAIRN_EREADONLY,
		                                 "cannot write backup '%s': %s",
		                                 dest, strerror(e));
	unlink(tmp.buf);
	buf_release(&tmp);
	return rc;
}

int
cairn_store_backup(struct cairn_store *st, const char *dest,
                   struct cairn_err *err)
{
	if (!dest || !*dest)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "backup needs a destination file");
	return store_backup_to(st, dest, err);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of path's migration backups, newest last: PATH.bak-vN-TIME,
 * ordered by TIME (then N).  *n gets their count; free each and the
 * array.
 */
static char **
list_backups(const char *path, size_t *n)
{
	const char *slash = strrchr(path, '/');
	char *dir = xstrdup(slash ? path : "./");
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base), cap = 0;
	char **names = NULL;
	struct dirent *d;
	DIR *dp;

	if (slash)
		dir[slash - path + 1] = '\0';
	dp = opendir(dir);

	*n = 0;
	while (dp && (d = readdir(dp))) {
		const char *rest = d->d_name + blen, *dash;

		if (strncmp(d->d_name, base, blen) ||
		    strncmp(rest, ".bak-v", 6) ||
		    !(dash = strchr(rest + 6, '-')))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			names = xrealloc(names, cap * sizeof(*names));
		}
		/* sort key: TIME, then the whole name */
		{
			struct buf k = BUF_INIT;

			buf_addf(&k, "%s\t%s%s", dash + 1, dir, d->d_name);
			names[(*n)++] = buf_detach(&k, NULL);
		}
	}
	if (dp)
		closedir(dp);
	free(dir);
	qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

int
store_backup_before_migration(struct cairn_store *st, int version,
                              struct cairn_err *err)
{
	struct buf dest = BUF_INIT;
	char now[CAIRN_TS_LEN], stamp[CAIRN_TS_LEN];
	char **names;
	size_t n, k = 0;
	int rc;

	cairn_now(now);
	for (const char *p = now; *p; p++)
		if (*p != '-' && *p != ':')
			stamp[k++] = *p;
	stamp[k] = '\0';
	buf_addf(&dest, "%s.bak-v%d-%s", st->path, version, stamp);
	/* Two migrations in one second (a fixed clock): number them. */
	for (int i = 2; access(dest.buf, F_OK) == 0; i++) {
		buf_reset(&dest);
		buf_addf(&dest, "%s.bak-v%d-%s-%d", st->path, version, stamp,
		         i);
	}
	rc = store_backup_to(st, dest.buf, err);
	if (rc) {
		struct cairn_err why = *err;

		rc = cairn_err_set(err, rc,
		                   "not migrating store '%s' to schema version "
		                   "%d: the backup before it failed: %s",
		                   st->path, CAIRN_SCHEMA_VERSION, why.msg);
		goto out;
	}
	names = list_backups(st->path, &n);
	for (size_t i = 0; i < n; i++) {
		if (i + CAIRN_MIGRATION_BACKUPS < n)
			unlink(strchr(names[i], '\t') + 1);
		free(names[i]);
	}
	free(names);
out:
	buf_release(&dest);
	return rc;
}
