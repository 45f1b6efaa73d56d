/*
 * undo.c: undo and redo, by inverting the journal's events.
 *
 * Inversion is generic over cairn_jtables: a row inserted is deleted, a
 * row deleted is inserted back from its JSON image with the same id, a
 * row updated gets its old values back.  Foreign keys are deferred so
 * rows can come back in any order.
 *
 * Each change taken back is one new change: an undo has undo_of set to
 * the change it took back, which gets undone_by.  A redo is the undo of
 * an undo: it re-applies the original by inverting the undo's events,
 * marks the undo undone and the original no longer undone, so a later
 * undo takes the original back again.  Undos and redos are never undone
 * themselves.  What can be redone is every undo newer than the newest
 * ordinary change: the next ordinary change ends the redo history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/store/journal.h"
#include "store/store-int.h"
#include "banned.h"

/* The SQL that inverts one event on table t with columns cols. */
static void
inverse_sql(const struct jtable *t, const char *const *cols, int has_before,
            int has_after, struct buf *sql)
{
	const char *const *c;

	if (!has_before) {
		buf_addf(sql, "DELETE FROM %s WHERE id = ?2", t->name);
	} else if (!has_after) {
		buf_addf(sql, "INSERT INTO %s(", t->name);
		for (c = cols; *c; c++)
			buf_addf(sql, "%s%s", c == cols ? "" : ", ", *c);
		buf_adds(sql, ") VALUES(");
		for (c = cols; *c; c++)
			buf_addf(sql, "%sjson_extract(?1, '$.%s')",
			         c == cols ? "" : ", ", *c);
		buf_adds(sql, ")");
	} else {
		buf_addf(sql, "UPDATE %s SET ", t->name);
		for (c = cols + 1; *c; c++)
			buf_addf(sql, "%s%s = json_extract(?1, '$.%s')",
			         c == cols + 1 ? "" : ", ", *c, *c);
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
		const char *const *cols;

		if (!t) {
			rc = cairn_err_set(err, CAIRN_EDB,
			                   "journal names unknown table '%s'",
			                   store_col_text(events, 0));
			goto out;
		}
		if ((rc = store_jcols(st, t, &cols, err)))
			goto out;
		buf_reset(&sql);
		inverse_sql(t, cols, has_before, has_after, &sql);
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

/* Label the open change and point it at the change it takes back. */
static int
claim_change(struct cairn_store *st, int64_t target, const char *label,
             struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "UPDATE change SET label = ?, undo_of = ? "
	                        "WHERE id = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, label, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, target);
	sqlite3_bind_int64(stmt, 3, st->change);
	rc = store_step(st, stmt, "label the change", err);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * The newest change that undo (redo 0) or redo (redo 1) takes back next,
 * older than the open change.  Columns: the change whose events are
 * inverted, then the change as the user sees it (for a redo, the one it
 * re-applies: id, time, actor, label), then that original again for a
 * redo (0 for an undo).
 */
static const char *const pick_sql[2] = {
        "SELECT c.id, c.id, c.time, c.actor, c.label, 0 FROM change c "
        "WHERE c.undone_by IS NULL AND c.undo_of IS NULL "
        "AND c.id < ?1 AND (?2 IS NULL OR c.actor = ?2) "
        "AND EXISTS (SELECT 1 FROM event e WHERE e.change = c.id) "
        "ORDER BY c.id DESC LIMIT 1",
        /* the newest undo not yet redone, after the last ordinary change,
         * whose change is still undone by it */
        "SELECT u.id, o.id, o.time, o.actor, o.label, o.id FROM change u "
        "JOIN change o ON o.id = u.undo_of AND o.undo_of IS NULL "
        "AND o.undone_by = u.id "
        "WHERE u.undone_by IS NULL AND u.id < ?1 "
        "AND (?2 IS NULL OR u.actor = ?2) "
        "AND u.id > (SELECT coalesce(max(c.id), 0) FROM change c "
        "WHERE c.undo_of IS NULL AND c.id < ?1 AND EXISTS "
        "(SELECT 1 FROM event e WHERE e.change = c.id)) "
        "ORDER BY u.id DESC LIMIT 1",
};

static int
take_back(struct cairn_store *st, int redo, const struct cairn_undo_opts *o,
          int *count, struct cairn_err *err)
{
	const char *what = redo ? "redo" : "undo";
	sqlite3_stmt *pick = NULL, *mark = NULL, *unmark = NULL;
	struct buf label = BUF_INIT;
	int done = 0, rc;
	int n = o->n;

	if (count)
		*count = 0;
	if (n <= 0)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%s count must be at least 1, not %d",
		                     what, n);
	if ((rc = cairn_store_begin(st, what, err)))
		return rc;
	if ((rc = store_exec(st, "PRAGMA defer_foreign_keys = ON", err)) ||
	    (rc = store_prepare(st, &pick, pick_sql[redo], err)) ||
	    (rc = store_prepare(st, &mark,
	                        "UPDATE change SET undone_by = ? WHERE id = ?",
	                        err)) ||
	    (rc = store_prepare(st, &unmark,
	                        "UPDATE change SET undone_by = NULL "
	                        "WHERE id = ?",
	                        err)))
		goto out;
	for (; done < n; done++) {
		struct cairn_change ch;
		int64_t target, original;

		sqlite3_bind_int64(pick, 1, st->change);
		if (o->mine)
			sqlite3_bind_text(pick, 2, store_actor(), -1,
			                  SQLITE_TRANSIENT);
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
		ch.id = sqlite3_column_int64(pick, 1);
		ch.time = store_col_text(pick, 2);
		ch.actor = store_col_text(pick, 3);
		ch.label = store_col_text(pick, 4);
		original = sqlite3_column_int64(pick, 5);
		buf_reset(&label);
		buf_addf(&label, "%s: %s", what, ch.label);
		if (o->fn && (rc = o->fn(o->ctx, &ch)))
			goto out_reset;
		if (done)
			rc = new_change(st, target, label.buf, err);
		else
			rc = claim_change(st, target, label.buf, err);
		if (rc || (rc = invert_change(st, target, err)))
			goto out_reset;
		sqlite3_reset(pick);
		sqlite3_bind_int64(mark, 1, st->change);
		sqlite3_bind_int64(mark, 2, target);
		if ((rc = store_step(st, mark, "mark the change taken back",
		                     err)))
			goto out;
		if (redo) {
			sqlite3_bind_int64(unmark, 1, original);
			if ((rc = store_step(st, unmark,
			                     "mark the change redone", err)))
				goto out;
		}
	}
	rc = 0;
	if (!done)
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "nothing to %s%s",
		                   what, o->mine ? " by this actor" : "");
	goto out;
out_reset:
	sqlite3_reset(pick);
out:
	sqlite3_finalize(pick);
	sqlite3_finalize(mark);
	sqlite3_finalize(unmark);
	buf_release(&label);
	if (rc) {
		cairn_store_rollback(st);
		return rc;
	}
	if ((rc = cairn_store_commit(st, err)))
		return rc;
	if (count)
		*count = done;
	return 0;
}

int
cairn_journal_undo(struct cairn_store *st, const struct cairn_undo_opts *o,
                   int *undone, struct cairn_err *err)
{
	return take_back(st, 0, o, undone, err);
}

int
cairn_journal_redo(struct cairn_store *st, const struct cairn_undo_opts *o,
                   int *redone, struct cairn_err *err)
{
	return take_back(st, 1, o, redone, err);
}

int
cairn_undo(struct cairn_store *st, int n, int *undone, struct cairn_err *err)
{
	struct cairn_undo_opts o = {.n = n};

	return take_back(st, 0, &o, undone, err);
}
