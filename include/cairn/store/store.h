/*
 * store.h: opening a cairn store and grouping changes into transactions.
 *
 * A store is one SQLite file in WAL mode with a lock file beside it
 * ("PATH.lock").  Writers in every process take an flock on the lock file
 * around each write transaction and checkpoint, because Debian 12's SQLite
 * predates the fix for the WAL-reset bug.  Every write runs in BEGIN
 * IMMEDIATE and is journalled (see journal.h) in the same transaction.
 *
 * What front ends see is narrow (open, begin, commit, rollback, damage,
 * settings; backups and checks in backup.h).  The library's own modules
 * reach the SQLite connection through lib/store/store-int.h, and SQL
 * lives in lib/store/ and in each module's data-access file, listed in
 * the head comment of lib/store/store.c: another backend would replace
 * those files, not only this interface.
 *
 * A store found damaged by SQLite (see cairn_store_damaged) is marked
 * with a file PATH.damaged beside it; every open but CAIRN_OPEN_CHECK
 * refuses it until `cairn doctor` (cairn_store_doctor) finds it sound.
 */
#ifndef CAIRN_STORE_H
#define CAIRN_STORE_H

#include "cairn/core/buf.h"
#include "cairn/core/err.h"

struct cairn_store;

#define CAIRN_SCHEMA_VERSION 11

enum cairn_open_flags {
	CAIRN_OPEN_CREATE = 1 << 0, /* create the store (and its folder) */
	/* For inspection (doctor, backup): no change can be begun, the
	 * schema is never migrated, and the store opens even when an
	 * earlier command found it damaged. */
	CAIRN_OPEN_CHECK = 1 << 1,
};

/* How many automatic backups before a migration are kept per store. */
#define CAIRN_MIGRATION_BACKUPS 3

/*
 * Find the store path: explicit (when not NULL), else $CAIRN_DB, else
 * $XDG_DATA_HOME/cairn/cairn.db, else ~/.local/share/cairn/cairn.db.
 * Appends to out.  Fails with CAIRN_EINVAL when no home can be found.
 */
int cairn_store_path(const char *explicit_path, struct buf *out,
                     struct cairn_err *err);

/*
 * Open (and, with CAIRN_OPEN_CREATE, create) the store at path, migrating
 * an older schema forward.  On success *out owns the store; free it with
 * cairn_store_free().  Errors: CAIRN_ENOSTORE (missing and not creating),
 * CAIRN_ENOTDB (not SQLite, or not a cairn store), CAIRN_EVERSION (newer
 * schema), CAIRN_EREADONLY (cannot create), CAIRN_ECORRUPT (an earlier
 * command found it damaged, see cairn_store_damaged), CAIRN_EDB.
 */
int cairn_store_open(struct cairn_store **out, const char *path, unsigned flags,
                     struct cairn_err *err);

/*
 * CAIRN_ECORRUPT (with a message naming the store and what to do) when
 * SQLite reported the store damaged since it was opened, even to a
 * reader that stopped early; else 0.  Once damaged, a store refuses to
 * begin or commit a change.  Front ends check it after each command.
 */
int cairn_store_damaged(struct cairn_store *st, struct cairn_err *err);

/* Close the store (checkpointing under the lock); NULL is fine. */
void cairn_store_free(struct cairn_store *st);

/* 1 when the store can only be read (file or folder not writable). */
int cairn_store_readonly(const struct cairn_store *st);

/* The path the store was opened with. */
const char *cairn_store_filename(const struct cairn_store *st);

/*
 * Begin a write transaction described by label (shown by `history`):
 * take the writer lock, BEGIN IMMEDIATE, open a journal change.  Calls
 * nest: only the outermost begin/commit pair touches the database.
 * Errors: CAIRN_EREADONLY, CAIRN_EBUSY, CAIRN_EDB.
 */
int cairn_store_begin(struct cairn_store *st, const char *label,
                      struct cairn_err *err);

/*
 * Commit the outermost transaction and release the lock.  A failure at
 * commit (disk full, I/O error) rolls back and returns CAIRN_EFULL or
 * CAIRN_EDB: the change is not saved.
 */
int cairn_store_commit(struct cairn_store *st, struct cairn_err *err);

/* Abandon the transaction (all nesting levels) and release the lock. */
void cairn_store_rollback(struct cairn_store *st);

/*
 * A number that grows with every change committed to the store, by any
 * connection or process (the newest journal change's id), the same read
 * from any connection: what a long-running front end polls to know when
 * to read again.
 */
int cairn_store_version(struct cairn_store *st, long long *out,
                        struct cairn_err *err);

/* The id of the journal change the open transaction writes, else 0. */
long long cairn_store_change(const struct cairn_store *st);

/*
 * Settings: small key/value strings, journalled like everything else.
 * cairn_setting_get appends the value to out; CAIRN_ENOTFOUND when unset.
 * Setting a NULL value removes the key.
 */
int cairn_setting_get(struct cairn_store *st, const char *key, struct buf *out,
                      struct cairn_err *err);
int cairn_setting_set(struct cairn_store *st, const char *key,
                      const char *value, struct cairn_err *err);

#endif
