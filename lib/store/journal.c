/*
 * journal.c: reading events and undoing changes.
 *
 * The events themselves are written by triggers (store.c); this file only
 * reads them and inverts them.  Inversion is generic over cairn_jtables: a
 * row inserted is deleted, a row deleted is inserted back from its JSON
 * image with the same id, a row updated gets its old values back.  Foreign
 * keys are deferred during undo so rows can come back in any order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/store/journal.h"
#include "store/store-int.h"
#include "banned.h"

int
cairn_journal_each(struct cairn_store *st, int64_t item, const char *since,
                   const char *until, cairn_event_fn fn, void *ctx,
                   struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	struct cairn_event ev;
	int rc;

	if ((rc = store_prepare(
	             st, &stmt,
	             "SELECT e.id, e.change, c.time, c.actor, c.label, "
	             "e.entity, e.entity_id, e.item, e.before, e.after, "
	             "c.undo_of, c.undone_by FROM event e "
	             "JOIN change c ON c.id = e.change "
	             "WHERE (?1 = 0 OR e.item = ?1) "
	             "AND (?2 IS NULL OR c.time >= ?2) "
	             "AND (?3 IS NULL OR c.time < ?3) ORDER BY e.id",
	             err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, item);
	store_bind_text_or_null(stmt, 2, since);
	store_bind_text_or_null(stmt, 3, until);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ev.id = sqlite3_column_int64(stmt, 0);
		ev.change = sqlite3_column_int64(stmt, 1);
		ev.time = store_col_text(stmt, 2);
		ev.actor = store_col_text(stmt, 3);
		ev.label = store_col_text(stmt, 4);
		ev.entity = store_col_text(stmt, 5);
		ev.entity_id = sqlite3_column_int64(stmt, 6);
		ev.item = sqlite3_column_int64(stmt, 7);
		ev.before = (const char *)sqlite3_column_text(stmt, 8);
		ev.after = (const char *)sqlite3_column_text(stmt, 9);
		ev.undo_of = sqlite3_column_int64(stmt, 10);
		ev.undone_by = sqlite3_column_int64(stmt, 11);
		if ((rc = fn(ctx, &ev)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the journal");
out:
	sqlite3_finalize(stmt);
	return rc;
}

/* Build the SQL that inverts one event on table t. */
static void
inverse_sql(const struct jtable *t, int has_before, int has_after,
            struct buf *sql)
{
	const char *const *c;

	if (!has_before) {
		buf_addf(sql, "DELETE FROM %s WHERE id = ?2", t->name);
	} else if (!has_after) {
		buf_addf(sql, "INSERT INTO %s(", t->name);
		for (c = t->cols; *c; c++)
			buf_addf(sql, "%s%s", c == t->cols ? "" : ", ", *c);
		buf_adds(sql, ") VALUES(");
		for (c = t->cols; *c; c++)
			buf_addf(sql, "%sjson_extract(?1, '$.%s')",
			         c == t->cols ? "" : ", ", *c);
		buf_adds(sql, ")");
	} else {
		buf_addf(sql, "UPDATE %s SET ", t->name);
		for (c = t->cols + 1; *c; c++)
			buf_addf(sql, "%s%s = json_extract(?1, '$.%s')",
			         c == t->cols + 1 ? "" : ", ", *c, *c);
		buf_adds(sql, " WHERE id = ?2");
	}
}

static int
invert_change(struct cairn_store *st, int64_t change, struct cairn_err *err)
{
	sqlite3_stmt *events, *stmt;
	struct buf sql = BUF_INIT;
	int rc;

	if ((rc = store_prepare(st, &events,
	                        "SELECT entity, entity_id, before, after "
	                        "FROM event WHERE change = ? ORDER BY id DESC",
	                        err)))
		return rc;
	sqlite3_bind_int64(events, 1, change);
	while ((rc = sqlite3_step(events)) == SQLITE_ROW) {
		const struct jtable *t =
		        cairn_jtable_find(store_col_text(events, 0));
		int has_before = sqlite3_column_type(events, 2) != SQLITE_NULL;
		int has_after = sqlite3_column_type(events, 3) != SQLITE_NULL;

		if (!t) {
			rc = cairn_err_set(err, CAIRN_EDB,
			                   "journal names unknown table '%s'",
			                   store_col_text(events, 0));
			goto out;
		}
		buf_reset(&sql);
		inverse_sql(t, has_before, has_after, &sql);
		if ((rc = store_prepare(st, &stmt, sql.buf, err)))
			goto out;
		if (has_before)
			sqlite3_bind_value(stmt, 1,
			                   sqlite3_column_value(events, 2));
		sqlite3_bind_int64(stmt, 2, sqlite3_column_int64(events, 1));
		rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE) {
			rc = store_sqlerr(st, err, "undo the change");
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the journal");
out:
	sqlite3_finalize(events);
	buf_release(&sql);
	return rc;
}

int
cairn_change_label(struct cairn_store *st, const char *label,
                   struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!st->depth)
		return 0;
	if ((rc = store_prepare(st, &stmt,
	                        "UPDATE change SET label = ? WHERE id = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, label, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, st->change);
	rc = sqlite3_step(stmt) == SQLITE_DONE
	             ? 0
	             : store_sqlerr(st, err, "label the change");
	sqlite3_finalize(stmt);
	return rc;
}

/* Open a fresh change row inside the current transaction. */
static int
new_change(struct cairn_store *st, int64_t undo_of, const char *label,
           struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(
	             st, &stmt,
	             "INSERT INTO change(time, actor, label, undo_of) "
	             "SELECT time, actor, ?, ? FROM change WHERE id = ?",
	             err)))
		return rc;
	sqlite3_bind_text(stmt, 1, label, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, undo_of);
	sqlite3_bind_int64(stmt, 3, st->change);
	rc = sqlite3_step(stmt) == SQLITE_DONE
	             ? 0
	             : store_sqlerr(st, err, "start a change");
	sqlite3_finalize(stmt);
	if (!rc)
		st->change = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int
cairn_undo(struct cairn_store *st, int n, int *undone, struct cairn_err *err)
{
	sqlite3_stmt *pick = NULL, *mark = NULL;
	struct buf label = BUF_INIT;
	int done = 0, rc;

	if (undone)
		*undone = 0;
	if (n <= 0)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "undo count must be at least 1, not %d",
		                     n);
	if ((rc = cairn_store_begin(st, "undo", err)))
		return rc;
	if ((rc = store_exec(st, "PRAGMA defer_foreign_keys = ON", err)) ||
	    (rc = store_prepare(
	             st, &pick,
	             "SELECT c.id, c.label FROM change c "
	             "WHERE c.undone_by IS NULL AND c.undo_of IS NULL "
	             "AND c.id < ?1 AND EXISTS (SELECT 1 FROM event e "
	             "WHERE e.change = c.id) ORDER BY c.id DESC LIMIT 1",
	             err)) ||
	    (rc = store_prepare(st, &mark,
	                        "UPDATE change SET undone_by = ? WHERE id = ?",
	                        err)))
		goto out;
	for (; done < n; done++) {
		int64_t target;

		sqlite3_bind_int64(pick, 1, st->change);
		rc = sqlite3_step(pick);
		if (rc == SQLITE_DONE) {
			sqlite3_reset(pick);
			break;
		}
		if (rc != SQLITE_ROW) {
			rc = store_sqlerr(st, err, "read the journal");
			goto out;
		}
		target = sqlite3_column_int64(pick, 0);
		buf_reset(&label);
		buf_addf(&label, "undo: %s", store_col_text(pick, 1));
		sqlite3_reset(pick);
		if (done && (rc = new_change(st, target, label.buf, err)))
			goto out;
		if (!done) {
			sqlite3_stmt *first;

			if ((rc = store_prepare(st, &first,
			                        "UPDATE change SET label = ?, "
			                        "undo_of = ? WHERE id = ?",
			                        err)))
				goto out;
			sqlite3_bind_text(first, 1, label.buf, -1,
			                  SQLITE_TRANSIENT);
			sqlite3_bind_int64(first, 2, target);
			sqlite3_bind_int64(first, 3, st->change);
			rc = sqlite3_step(first);
			sqlite3_finalize(first);
			if (rc != SQLITE_DONE) {
				rc = store_sqlerr(st, err, "label the change");
				goto out;
			}
		}
		if ((rc = invert_change(st, target, err)))
			goto out;
		sqlite3_bind_int64(mark, 1, st->change);
		sqlite3_bind_int64(mark, 2, target);
		rc = sqlite3_step(mark);
		sqlite3_reset(mark);
		if (rc != SQLITE_DONE) {
			rc = store_sqlerr(st, err, "mark the change undone");
			goto out;
		}
	}
	rc = 0;
	if (!done)
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "nothing to undo");
out:
	sqlite3_finalize(pick);
	sqlite3_finalize(mark);
	buf_release(&label);
	if (rc) {
		cairn_store_rollback(st);
		return rc;
	}
	if ((rc = cairn_store_commit(st, err)))
		return rc;
	if (undone)
		*undone = done;
	return 0;
}
