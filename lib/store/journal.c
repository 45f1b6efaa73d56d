/*
 * journal.c: what the journal follows and how it is written and read.
 *
 * The only hand-kept list is cairn_jtables: which tables are journalled
 * and which column names the item a row belongs to.  Their columns are
 * read from the schema itself (PRAGMA table_info), once per open store,
 * so a column added by a migration is journalled, undone and exported
 * without anyone copying its name here.  From those columns this file
 * builds the triggers that write one event per changed row (rebuilt by
 * every migration), pauses and restores the INSERT triggers for bulk
 * imports (store_bulk_*), and streams events to readers.  Undo and redo,
 * which invert events, are in undo.c.
 *
 * Invariants: every journalled table has an INTEGER PRIMARY KEY "id"
 * (events name rows by it); tables are listed after the tables they
 * refer to, so a restore in list order meets no dangling reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/store/journal.h"
#include "store/store-int.h"
#include "banned.h"

const struct jtable cairn_jtables[] = {
        {"item", "id"},
        {"tag", "item"},
        {"link", "item"},
        {"note", "item"},
        {"edge", "item"},
        {"statement", "item"},
        {"setting", NULL},
        {"metric", "item"},
        {"observation", "item"},
        {"paper", NULL},
        {"item_paper", "item"},
        {"lesson", "item"},
        {"prediction", "item"},
        {"time_entry", "item"},
        {"review", NULL},
        {"import_base", "item"},
        {NULL, NULL},
};

int
cairn_table_derived(const char *name)
{
	return !strncmp(name, "plan_", 5) || !strncmp(name, "sync_", 5);
}

int
cairn_col_omit_null(const char *table, const char *col)
{
	return !strcmp(table, "note") && !strcmp(col, "author");
}

static const char *const ops[] = {"INSERT", "UPDATE", "DELETE"};

const struct jtable *
cairn_jtable_find(const char *name)
{
	const struct jtable *t;

	for (t = cairn_jtables; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static size_t
jtable_count(void)
{
	size_t n = 0;

	while (cairn_jtables[n].name)
		n++;
	return n;
}

void
store_jcols_reset(struct cairn_store *st)
{
	if (!st->jcols)
		return;
	for (size_t i = 0; i < st->njcols; i++) {
		for (char **c = st->jcols[i]; c && *c; c++)
			free(*c);
		free(st->jcols[i]);
		free(st->jtext[i]);
	}
	free(st->jcols);
	free(st->jtext);
	st->jcols = NULL;
	st->jtext = NULL;
	st->njcols = 0;
}

/*
 * Whether a column declared as type (pk: its place in the primary key)
 * can never hold a REAL, by SQLite's affinity rules: TEXT affinity (a
 * type with CHAR, CLOB or TEXT and no INT) turns numbers into text, and
 * an INTEGER PRIMARY KEY is the rowid.
 */
static unsigned char
never_real(const char *type, int pk)
{
	char up[64];
	size_t k;

	for (k = 0; type[k] && k + 1 < sizeof(up); k++)
		up[k] = (char)(type[k] >= 'a' && type[k] <= 'z'
		                       ? type[k] - 'a' + 'A'
		                       : type[k]);
	up[k] = '\0';
	if (pk == 1 && !strcmp(up, "INTEGER"))
		return 1;
	if (strstr(up, "INT"))
		return 0;
	return strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT");
}

int
store_jcols(struct cairn_store *st, const struct jtable *t,
            const char *const **out, struct cairn_err *err)
{
	size_t i = (size_t)(t - cairn_jtables), n = 0;
	struct buf sql = BUF_INIT;
	sqlite3_stmt *stmt;
	char **cols = NULL;
	unsigned char *text = NULL;
	int rc;

	if (!st->jcols) {
		st->njcols = jtable_count();
		st->jcols = xcalloc(st->njcols, sizeof(*st->jcols));
		st->jtext = xcalloc(st->njcols, sizeof(*st->jtext));
	}
	if (st->jcols[i]) {
		*out = (const char *const *)st->jcols[i];
		return 0;
	}
	buf_addf(&sql, "PRAGMA table_info(\"%s\")", t->name);
	rc = store_prepare(st, &stmt, sql.buf, err);
	buf_release(&sql);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		cols = xrealloc(cols, (n + 2) * sizeof(*cols));
		text = xrealloc(text, n + 1);
		text[n] = never_real(store_col_text(stmt, 2),
		                     sqlite3_column_int(stmt, 5));
		cols[n++] = xstrdup(store_col_text(stmt, 1));
		cols[n] = NULL;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		rc = store_sqlerr(st, err, "read the schema");
	else if (!n || strcmp(cols[0], "id"))
		rc = cairn_err_set(
		        err, CAIRN_EDB, "store '%s': journalled table %s is %s",
		        st->path, t->name,
		        n ? "not keyed by its first column id" : "missing");
	else
		rc = 0;
	if (rc) {
		for (size_t k = 0; k < n; k++)
			free(cols[k]);
		free(cols);
		free(text);
		return rc;
	}
	st->jcols[i] = cols;
	st->jtext[i] = text;
	*out = (const char *const *)cols;
	return 0;
}

/*
 * Append a json_object(...) of t's cols (store_jcols), each read as
 * ROW.col (row NULL: as col), reals with 17 digits so that an event's
 * values round-trip exactly (json_object() alone writes 15) and undo
 * restores the very same value.  A column that never holds a REAL is
 * read as it is: the same JSON, and a third of the schema every
 * connection parses (the journal triggers are most of it).  A column
 * cairn_col_omit_null names is patched in only when it is not NULL (its
 * key last, as it comes last in the schema).
 */
static void
json_row(struct buf *sql, const struct cairn_store *st, const struct jtable *t,
         const char *const *cols, const char *row)
{
	const unsigned char *text = st->jtext[t - cairn_jtables];
	const char *table = t->name;
	const char *dot = row ? "." : "";
	int n = 0, opt = 0;

	row = row ? row : "";
	for (const char *const *c = cols; *c; c++)
		opt += cairn_col_omit_null(table, *c);
	if (opt)
		buf_adds(sql, "json_patch(");
	buf_adds(sql, "json_object(");
	for (const char *const *c = cols; *c; c++) {
		if (cairn_col_omit_null(table, *c))
			continue;
		if (text[c - cols])
			buf_addf(sql, "%s'%s', %s%s%s", n++ ? ", " : "", *c,
			         row, dot, *c);
		else
			buf_addf(sql,
			         "%s'%s', CASE typeof(%s%s%s) WHEN 'real' THEN "
			         "json(printf('%%!.17g', %s%s%s)) ELSE %s%s%s "
			         "END",
			         n++ ? ", " : "", *c, row, dot, *c, row, dot,
			         *c, row, dot, *c);
	}
	buf_adds(sql, ")");
	if (!opt)
		return;
	buf_adds(sql, ", json_object(");
	n = 0;
	for (const char *const *c = cols; *c; c++)
		if (cairn_col_omit_null(table, *c))
			buf_addf(sql, "%s'%s', %s%s%s", n++ ? ", " : "", *c,
			         row, dot, *c);
	/* json_patch drops the keys whose value is null */
	buf_adds(sql, "))");
}

int
store_journal_live_sql(struct cairn_store *st, const char *table,
                       struct buf *sql, struct cairn_err *err)
{
	const struct jtable *t = cairn_jtable_find(table);
	const char *const *cols;
	int rc;

	if (!t)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "table '%s' is not journalled", table);
	if ((rc = store_jcols(st, t, &cols, err)))
		return rc;
	buf_adds(sql, "SELECT id, ");
	json_row(sql, st, t, cols, NULL);
	buf_addf(sql, " FROM \"%s\"", t->name);
	return 0;
}

/* The CREATE TRIGGER statement (no final ';') for op on t. */
static void
trigger_sql(struct buf *sql, const struct cairn_store *st,
            const struct jtable *t, const char *const *cols, const char *op)
{
	int ins = !strcmp(op, "INSERT"), del = !strcmp(op, "DELETE");
	const char *row = del ? "OLD" : "NEW";

	buf_addf(sql,
	         "CREATE TRIGGER journal_%s_%s AFTER %s ON %s BEGIN "
	         "INSERT INTO event(change, entity, entity_id, item, before, "
	         "after) VALUES((SELECT max(id) FROM change), '%s', %s.id, ",
	         t->name, op, op, t->name, t->name, row);
	if (t->item_col)
		buf_addf(sql, "%s.%s, ", row, t->item_col);
	else
		buf_adds(sql, "NULL, ");
	for (int side = 0; side < 2; side++) {
		if ((side == 0 && ins) || (side == 1 && del)) {
			buf_adds(sql, side ? "NULL" : "NULL, ");
			continue;
		}
		json_row(sql, st, t, cols, side ? "NEW" : "OLD");
		buf_adds(sql, side ? "" : ", ");
	}
	buf_adds(sql, "); END");
}

/* Create the trigger for ops[op] on t, from the schema's columns. */
static int
create_trigger(struct cairn_store *st, const struct jtable *t, int op,
               struct cairn_err *err)
{
	const char *const *cols;
	struct buf sql = BUF_INIT;
	int rc;

	if ((rc = store_jcols(st, t, &cols, err)))
		return rc;
	trigger_sql(&sql, st, t, cols, ops[op]);
	rc = store_exec(st, sql.buf, err);
	buf_release(&sql);
	return rc;
}

int
store_journal_triggers(struct cairn_store *st, struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	int rc = 0;

	/* The schema has just changed: read the columns again. */
	store_jcols_reset(st);
	for (const struct jtable *t = cairn_jtables; t->name; t++)
		for (int i = 0; i < 3; i++)
			buf_addf(&sql,
			         "DROP TRIGGER IF EXISTS journal_%s_%s;\n",
			         t->name, ops[i]);
	rc = store_exec(st, sql.buf, err);
	buf_release(&sql);
	for (const struct jtable *t = cairn_jtables; t->name && !rc; t++)
		for (int i = 0; i < 3 && !rc; i++)
			rc = create_trigger(st, t, i, err);
	return rc;
}

int
store_journal_check(struct cairn_store *st, store_finding_fn fn, void *ctx,
                    struct cairn_err *err)
{
	struct buf want = BUF_INIT, msg = BUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int rc, found = 0;

	store_jcols_reset(st);
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT sql FROM sqlite_schema WHERE "
	                        "type = 'trigger' AND name = ?",
	                        err)))
		return rc;
	for (const struct jtable *t = cairn_jtables; t->name && !rc; t++) {
		const char *const *cols;

		if ((rc = store_jcols(st, t, &cols, err)))
			break;
		for (int i = 0; i < 3 && !rc; i++) {
			buf_reset(&want);
			buf_reset(&msg);
			buf_addf(&msg, "journal_%s_%s", t->name, ops[i]);
			sqlite3_bind_text(stmt, 1, msg.buf, -1,
			                  SQLITE_TRANSIENT);
			trigger_sql(&want, st, t, cols, ops[i]);
			rc = sqlite3_step(stmt);
			if (rc == SQLITE_ROW &&
			    !strcmp(store_col_text(stmt, 0), want.buf)) {
				rc = 0;
			} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
				buf_reset(&want);
				buf_addf(&want,
				         "journal: %s trigger on %s is %s, so "
				         "its %s changes are not journalled "
				         "as they should be",
				         ops[i], t->name,
				         rc == SQLITE_ROW ? "out of date"
				                          : "missing",
				         t->name);
				found++;
				rc = fn(ctx, want.buf);
			} else {
				rc = store_sqlerr(st, err, "read the schema");
			}
			sqlite3_reset(stmt);
		}
	}
	sqlite3_finalize(stmt);
	/* Each row must be what its last event says it became. */
	for (const struct jtable *t = cairn_jtables; t->name && !rc; t++) {
		const char *const *cols;
		sqlite3_stmt *s;

		if ((rc = store_jcols(st, t, &cols, err)))
			break;
		buf_reset(&want);
		buf_addf(&want,
		         "WITH last AS (SELECT entity_id AS id, after FROM "
		         "event WHERE id IN (SELECT max(id) FROM event WHERE "
		         "entity = '%s' GROUP BY entity_id)) "
		         "SELECT (SELECT count(*) FROM \"%s\" r LEFT JOIN last "
		         "l ON l.id = r.id WHERE l.after IS NULL",
		         t->name, t->name);
		for (const char *const *c = cols; *c; c++)
			buf_addf(&want,
			         " OR (json_type(l.after, '$.%s') IS NOT NULL "
			         "AND json_extract(l.after, '$.%s') IS NOT "
			         "r.\"%s\")",
			         *c, *c, *c);
		buf_addf(&want,
		         "), (SELECT count(*) FROM last l WHERE l.after IS "
		         "NOT NULL AND NOT EXISTS (SELECT 1 FROM \"%s\" r "
		         "WHERE r.id = l.id))",
		         t->name);
		if ((rc = store_prepare(st, &s, want.buf, err)))
			break;
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			long long differ = sqlite3_column_int64(s, 0);
			long long gone = sqlite3_column_int64(s, 1);

			rc = 0;
			buf_reset(&msg);
			if (differ)
				buf_addf(&msg,
				         "journal: %lld %s row%s differ%s from "
				         "the journal",
				         differ, t->name,
				         differ == 1 ? "" : "s",
				         differ == 1 ? "s" : "");
			if (differ && (found++, rc = fn(ctx, msg.buf)))
				goto next;
			buf_reset(&msg);
			if (gone)
				buf_addf(
				        &msg,
				        "journal: %lld %s row%s in the journal "
				        "%s missing from the table",
				        gone, t->name, gone == 1 ? "" : "s",
				        gone == 1 ? "is" : "are");
			if (gone && (found++, rc = fn(ctx, msg.buf)))
				goto next;
		} else {
			rc = store_sqlerr(st, err, "read the journal");
		}
	next:
		sqlite3_finalize(s);
	}
	buf_release(&want);
	buf_release(&msg);
	return rc ? rc : found;
}

/* ---- bulk journalling ---- */

struct store_bulk {
	size_t n;
	int *paused;         /* INSERT trigger dropped */
	int64_t *journalled; /* rows up to this id have their events */
};

static int
max_id(struct cairn_store *st, const char *table, int64_t *out,
       struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	buf_addf(&sql, "SELECT coalesce(max(id), 0) FROM \"%s\"", table);
	rc = store_prepare(st, &s, sql.buf, err);
	buf_release(&sql);
	if (rc)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = store_sqlerr(st, err, "read the store");
	sqlite3_finalize(s);
	return rc;
}

int
store_bulk_begin(struct cairn_store *st, struct store_bulk **out,
                 struct cairn_err *err)
{
	struct store_bulk *b = xcalloc(1, sizeof(*b));
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	int rc;

	*out = b;
	b->n = jtable_count();
	b->paused = xcalloc(b->n, sizeof(*b->paused));
	b->journalled = xcalloc(b->n, sizeof(*b->journalled));
	if ((rc = store_prepare(st, &s,
	                        "SELECT 1 FROM sqlite_schema WHERE type = "
	                        "'trigger' AND name = ?",
	                        err)))
		goto out;
	for (size_t t = 0; t < b->n && !rc; t++) {
		const char *name = cairn_jtables[t].name;
		int exists;

		buf_reset(&sql);
		buf_addf(&sql, "journal_%s_INSERT", name);
		sqlite3_bind_text(s, 1, sql.buf, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(s);
		exists = rc == SQLITE_ROW;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = store_sqlerr(st, err, "read the schema");
			break;
		}
		if ((rc = max_id(st, name, &b->journalled[t], err)))
			break;
		if (!exists)
			continue;
		buf_reset(&sql);
		buf_addf(&sql, "DROP TRIGGER \"journal_%s_INSERT\"", name);
		if (!(rc = store_exec(st, sql.buf, err)))
			b->paused[t] = 1;
	}
out:
	sqlite3_finalize(s);
	buf_release(&sql);
	return rc;
}

int
store_bulk_flush(struct cairn_store *st, struct store_bulk *b,
                 struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	int rc = 0;

	for (size_t t = 0; b && t < b->n && !rc; t++) {
		const struct jtable *jt = &cairn_jtables[t];
		const char *const *cols;
		sqlite3_stmt *s;

		if (!b->paused[t])
			continue;
		if ((rc = store_jcols(st, jt, &cols, err)))
			break;
		buf_reset(&sql);
		buf_addf(&sql,
		         "INSERT INTO event(change, entity, entity_id, item, "
		         "before, after) SELECT ?1, '%s', id, %s, NULL, ",
		         jt->name, jt->item_col ? jt->item_col : "NULL");
		json_row(&sql, st, jt, cols, NULL);
		buf_addf(&sql, " FROM \"%s\" WHERE id > ?2 ORDER BY id",
		         jt->name);
		if ((rc = store_prepare(st, &s, sql.buf, err)))
			break;
		sqlite3_bind_int64(s, 1, cairn_store_change(st));
		sqlite3_bind_int64(s, 2, b->journalled[t]);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(st, err, "journal the import");
		sqlite3_finalize(s);
		if (!rc)
			rc = max_id(st, jt->name, &b->journalled[t], err);
	}
	buf_release(&sql);
	return rc;
}

int
store_bulk_end(struct cairn_store *st, struct store_bulk *b,
               struct cairn_err *err)
{
	int rc = 0;

	for (size_t t = 0; b && t < b->n && !rc; t++)
		if (b->paused[t] &&
		    !(rc = create_trigger(st, &cairn_jtables[t], 0, err)))
			b->paused[t] = 0;
	return rc;
}

void
store_bulk_free(struct store_bulk *b)
{
	if (!b)
		return;
	free(b->paused);
	free(b->journalled);
	free(b);
}

/* ---- reading ---- */

int
cairn_journal_each(struct cairn_store *st, int64_t item, const char *since,
                   const char *until, cairn_event_fn fn, void *ctx,
                   struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	struct cairn_event ev;
	struct buf sql = BUF_INIT;
	int rc;

	/* Each case its own query, so each reads through its index: one
	 * item's events (event_item), or the changes from since on
	 * (change_time), not the whole journal. */
	buf_adds(&sql, "SELECT e.id, e.change, c.time, c.actor, c.label, "
	               "e.entity, e.entity_id, e.item, e.before, e.after, "
	               "c.undo_of, c.undone_by FROM ");
	if (item)
		buf_adds(&sql, "event e JOIN change c ON c.id = e.change "
		               "WHERE e.item = ?1");
	else if (since)
		buf_adds(&sql, "change c CROSS JOIN event e ON e.change = c.id "
		               "WHERE c.time >= ?2");
	else
		buf_adds(&sql, "event e JOIN change c ON c.id = e.change "
		               "WHERE ?1 = 0");
	buf_adds(&sql, " AND (?2 IS NULL OR c.time >= ?2) "
	               "AND (?3 IS NULL OR c.time < ?3) ORDER BY e.id");
	rc = store_prepare(st, &stmt, sql.buf, err);
	buf_release(&sql);
	if (rc)
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

/* Run sql (value as ?1, the open change's id as ?2) on the open change;
 * a no-op outside one. */
static int
change_set(struct cairn_store *st, const char *sql, const char *value,
           const char *what, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if (!st->depth)
		return 0;
	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	sqlite3_bind_text(stmt, 1, value, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, st->change);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? 0
	                                       : store_sqlerr(st, err, what);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_change_label(struct cairn_store *st, const char *label,
                   struct cairn_err *err)
{
	return change_set(st, "UPDATE change SET label = ? WHERE id = ?", label,
	                  "label the change", err);
}

int
store_change_backdate(struct cairn_store *st, const char *time,
                      struct cairn_err *err)
{
	return change_set(st, "UPDATE change SET time = ? WHERE id = ?", time,
	                  "date the change", err);
}
