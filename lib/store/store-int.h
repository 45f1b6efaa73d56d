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
};

/* A table the journal follows: name and columns, "id" first. */
struct jtable {
	const char *name;
	const char *item_col; /* column naming the item, or NULL */
	const char *const *cols;
};

extern const struct jtable cairn_jtables[];
const struct jtable *cairn_jtable_find(const char *name);

/*
 * Append to sql a json_object(...) of table t's columns, each read as
 * ROW.col (row NULL: as col), reals with 17 digits so that an event's
 * values round-trip exactly (json_object() alone writes 15) and undo
 * restores the very same value.  The journal triggers and the importer's
 * bulk journalling both write events this way.
 */
void store_json_row(struct buf *sql, const struct jtable *t, const char *row);

/*
 * Turn the connection's last SQLite error into a cairn code and message,
 * with what naming the operation; returns the code.
 */
int store_sqlerr(struct cairn_store *st, struct cairn_err *err,
                 const char *what);

/* Prepare sql or fail with store_sqlerr. */
int store_prepare(struct cairn_store *st, sqlite3_stmt **stmt, const char *sql,
                  struct cairn_err *err);

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

/* Run migration v (user_version v to v + 1) on st, inside the caller's
 * transaction.  Defined in migrate.c. */
int store_migration_run(struct cairn_store *st, int v, struct cairn_err *err);

#endif
