/*
 * backup.h: online copies of a store, and the check of one (doctor).
 *
 * A backup is a consistent copy of the whole store, taken through
 * SQLite's backup API in one read transaction: safe while other
 * processes write.  Every schema migration takes one first, beside the
 * store as PATH.bak-vN-YYYYMMDDTHHMMSSZ, and keeps the newest
 * CAIRN_MIGRATION_BACKUPS (store.h).
 */
#ifndef CAIRN_BACKUP_H
#define CAIRN_BACKUP_H

#include "cairn/core/err.h"
#include "cairn/store/store.h"

/*
 * Copy st to the new file dest.  The copy is written beside dest under
 * a temporary name, checked (quick_check) and only then given its name,
 * so dest is never partly written.  Errors: CAIRN_EEXIST (dest exists:
 * never overwritten), CAIRN_ECORRUPT (the store is damaged: no backup
 * is made), CAIRN_EFULL, CAIRN_EREADONLY (cannot write there), CAIRN_EDB.
 */
int cairn_store_backup(struct cairn_store *st, const char *dest,
                       struct cairn_err *err);

/* One finding of cairn_store_doctor, one line; non-zero stops. */
typedef int (*cairn_doctor_fn)(void *ctx, const char *line);

/*
 * Check the store at path: SQLite's integrity_check, foreign keys, the
 * journal against the tables (its triggers, and each row against its
 * last event), and the schema version.  Writes nothing to it, never
 * migrating it, even when an earlier command found it damaged.  Calls
 * fn once per finding; returns how many there were (0: sound, and the
 * mark an earlier command left on a damaged store is removed), or a
 * negative code when the store cannot be checked at all (not a store,
 * missing).
 */
int cairn_store_doctor(const char *path, cairn_doctor_fn fn, void *ctx,
                       struct cairn_err *err);

#endif
