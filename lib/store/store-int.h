/*
 * store-int.h: what the library's own modules share about a store.  Not
 * installed; front ends see only include/cairn/.
 */
#ifndef CAIRN_STORE_INT_H
#define CAIRN_STORE_INT_H

#include <sqlite3.h>

#include "cairn/store/store.h"

struct cairn_store {
	sqlite3 *db;
	char *path;
	int lockfd;       /* -1: lock file unavailable, store read-only */
	int depth;        /* nesting of cairn_store_begin */
	int failed;       /* an inner level failed: commit must not */
	long long change; /* journal change of the open transaction */
	int opened;       /* open succeeded: damage from now on is
	                   * the store's, not a foreign file's */
	int damaged;      /* SQLite reported corruption */
	int checkonly;    /* CAIRN_OPEN_CHECK: no migration, no change */
	int upkeep;       /* in store_upkeep_begin's: 1 its own transaction,
	                     2 a savepoint in an open change */
	unsigned long corrupt; /* corruption reports seen before open */
	char *tmpdir;          /* private copy of a half-copied store */
	char ***jcols; /* per cairn_jtables entry: its columns, read from
	                * the schema on first use (store_jcols) */
	unsigned char **jtext; /* per entry and column: 1 when the column
	                          never holds a REAL (TEXT affinity, or the
	                          INTEGER PRIMARY KEY) */
	size_t njcols;
	sqlite3_stmt *version; /* cairn_store_version's, kept prepared */
};

/*
 * A table the journal follows, and the column naming the item its rows
 * belong to (NULL: none).  cairn_jtables (journal.c) is the one list of
 * them, in an order where every table comes after those it refers to;
 * the columns come from the schema (store_jcols).
 */
struct jtable {
	const char *name;
	const char *item_col;
};

extern const struct jtable cairn_jtables[];
const struct jtable *cairn_jtable_find(const char *name);

/*
 * Whether table name holds derived data the store rebuilds from the
 * journalled tables (the planning summary, plan_*) or this replica's
 * sync bookkeeping (sync_*: its id, clocks, queue, conflicts): never
 * journalled, dumped, restored or compared, and free to differ between
 * two stores with the same data.  The one rule (tests/cli/lib.sh's snapshot
 * says it again in shell).
 */
int cairn_table_derived(const char *name);

/*
 * Whether column col of table is left out of a row's JSON (the dump, the
 * journal's events and so sync's operations) when it is NULL: a column
 * added after those formats were fixed, so that a store that never sets
 * it writes what it wrote before (note.author).  Never the id.
 */
int cairn_col_omit_null(const char *table, const char *col);

/*
 * The columns of t (an entry of cairn_jtables) in st's schema, "id"
 * first, NULL-terminated, owned by st.  Read once per open store.
 * CAIRN_EDB when the table is missing or not keyed by id.
 */
int store_jcols(struct cairn_store *st, const struct jtable *t,
                const char *const **cols, struct cairn_err *err);

/*
 * Append to sql "SELECT id, IMAGE FROM table", IMAGE being each live row
 * as the journal writes its after-image (the same json_object), so a
 * reader may take the live row for the last event's after-image (which
 * store_journal_check verifies).  The caller adds WHERE or ORDER BY.
 * CAIRN_EINVAL for a table the journal does not follow.
 */
int store_journal_live_sql(struct cairn_store *st, const char *table,
                           struct buf *sql, struct cairn_err *err);

/*
 * Date the open change at time (a cairn timestamp) instead of when it
 * began: an import recording a post as it stood then (cairn_import's
 * as_of).  A no-op outside a change.
 */
int store_change_backdate(struct cairn_store *st, const char *time,
                          struct cairn_err *err);

/* Forget the columns read (after the schema changed; at close). */
void store_jcols_reset(struct cairn_store *st);

/* Drop and create again the journal's triggers for the current schema
 * (after a migration), inside the caller's transaction. */
int store_journal_triggers(struct cairn_store *st, struct cairn_err *err);

/*
 * Check the journal: its triggers are those the schema calls for, and
 * each journalled row is what its last event says.  Calls fn with one
 * line per finding; returns the number of findings, or a negative code
 * when the store cannot be read (or fn's non-zero return).
 */
typedef int (*store_finding_fn)(void *ctx, const char *line);
int store_journal_check(struct cairn_store *st, store_finding_fn fn, void *ctx,
                        struct cairn_err *err);

/*
 * Bulk journalling for importers.  Journalling every inserted row
 * through its trigger costs more than the insert itself, so a bulk
 * writer, inside its change: store_bulk_begin drops the INSERT triggers
 * of the journalled tables and notes each table's last id;
 * store_bulk_flush writes the insert events of rows added since, one
 * INSERT ... SELECT per table (call it before any UPDATE of those rows,
 * so events stay in order); store_bulk_end creates the triggers again.
 * A failed change rolls the triggers back with everything else.
 * store_bulk_free accepts NULL.
 */
struct store_bulk;
int store_bulk_begin(struct cairn_store *st, struct store_bulk **out,
                     struct cairn_err *err);
int store_bulk_flush(struct cairn_store *st, struct store_bulk *b,
                     struct cairn_err *err);
int store_bulk_end(struct cairn_store *st, struct store_bulk *b,
                   struct cairn_err *err);
void store_bulk_free(struct store_bulk *b);

/* Who the journal says makes changes: $CAIRN_ACTOR, $USER, or "cairn". */
const char *store_actor(void);

/*
 * Turn the connection's last SQLite error into a cairn code and message,
 * with what naming the operation; returns the code.
 */
int store_sqlerr(struct cairn_store *st, struct cairn_err *err,
                 const char *what);

/* Prepare sql or fail with store_sqlerr. */
int store_prepare(struct cairn_store *st, sqlite3_stmt **stmt, const char *sql,
                  struct cairn_err *err);

/*
 * Append the value of key in table (a key/value table: setting,
 * sync_state) to out; CAIRN_ENOTFOUND ("no WHAT 'KEY'") when unset.
 */
int store_kv_get(struct cairn_store *st, const char *table, const char *what,
                 const char *key, struct buf *out, struct cairn_err *err);

/* Run sql that returns no rows. */
int store_exec(struct cairn_store *st, const char *sql, struct cairn_err *err);

/* Step a statement that returns no rows and reset it; store_sqlerr with
 * what on failure. */
int store_step(struct cairn_store *st, sqlite3_stmt *stmt, const char *what,
               struct cairn_err *err);

/* End a change begun by the caller: commit when rc is 0, else roll back.
 * Returns rc, or the commit's failure. */
int store_finish(struct cairn_store *st, int rc, struct cairn_err *err);

/* Bind an optional number: NULL when unset (v < 0 for reals, v <= 0 for
 * levels such as scope and novelty). */
void store_bind_opt_double(sqlite3_stmt *stmt, int i, double v);
void store_bind_opt_int(sqlite3_stmt *stmt, int i, int v);

/* Bind text, or NULL when s is NULL or empty. */
int store_bind_text_or_null(sqlite3_stmt *stmt, int i, const char *s);

/* Column text, never NULL. */
const char *store_col_text(sqlite3_stmt *stmt, int i);

/* Read the one integer a query (a PRAGMA, a count) returns. */
int store_pragma_int(struct cairn_store *st, const char *sql, int *out,
                     struct cairn_err *err);

/*
 * Fail with CAIRN_ECORRUPT, naming the store and what to do, and note
 * the damage (beside the store, as PATH.damaged, when it can be
 * written) so that later commands refuse the store until `cairn doctor`
 * finds it sound.  detail may be NULL.
 */
int store_damage(struct cairn_store *st, const char *detail,
                 struct cairn_err *err);

/* Write the mark PATH.damaged saying why (NULL: remove it), where the
 * folder allows; a store with the mark opens only with CAIRN_OPEN_CHECK. */
void store_damage_mark(const char *path, const char *why);

/* Copy the store into the file dest (which must not exist) through the
 * backup API, checked; backup.c. */
int store_backup_to(struct cairn_store *st, const char *dest,
                    struct cairn_err *err);

/* Before migrating from version: back up to PATH.bak-vVERSION-TIME,
 * keeping the newest CAIRN_MIGRATION_BACKUPS; backup.c. */
int store_backup_before_migration(struct cairn_store *st, int version,
                                  struct cairn_err *err);

/* Run migration v (user_version v to v + 1) on st, inside the caller's
 * transaction.  Defined in migrate.c. */
/*
 * Upkeep: a write of derived, unjournalled tables only (the planning
 * summary), under the writer lock and in BEGIN IMMEDIATE as a change is,
 * but with no change row: it is nobody's edit, so the history, undo and
 * cairn_store_version never see it.  Inside an open change it is a
 * savepoint of that change's transaction.  store_upkeep_end commits (or
 * releases) when ok, else rolls back to where it began.  The lock is
 * tried once, never waited for: CAIRN_EBUSY while another process
 * writes; CAIRN_EREADONLY.
 */
int store_upkeep_begin(struct cairn_store *st, struct cairn_err *err);
int store_upkeep_end(struct cairn_store *st, int ok, struct cairn_err *err);

int store_migration_run(struct cairn_store *st, int v, struct cairn_err *err);

#endif
