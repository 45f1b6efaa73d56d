/*
 * lesson.c: lessons learnt, and searching them.
 *
 * Invariants: lesson_fts indexes exactly the rows of lesson (its triggers
 * live in the schema, store.c), so undo, which rewrites lesson rows, keeps
 * the index right without knowing it exists.  User words never reach FTS5
 * syntax: each becomes a quoted string, so quotes, colons or NEAR in a
 * search are just text.
 *
 * Workload: hundreds of lessons; a search is one FTS5 query.
 */
#include <stdio.h>
#include <string.h>

#include "cairn/research/lesson.h"
#include "core/item-int.h"
#include "research/research-int.h"
#include "banned.h"

int
cairn_lesson_add(struct cairn_store *st, int64_t item, const char *text,
                 int worked, int64_t *id, struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	if ((rc = rs_check_text("lesson", text, 1, RS_TEXT_MAX, 1, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "add lesson", err)))
		return rc;
	if ((rc = item_exists(st, item, err)))
		goto out;
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO lesson(item, created, text, "
	                        "worked) VALUES(?, ?, ?, ?)",
	                        err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, item);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 4, worked ? 1 : 0);
	if ((rc = store_step(st, stmt, "add the lesson", err)))
		goto out;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

/*
 * Turn free words into an FTS5 query: "word" "other"* ...  Returns the
 * number of words.
 */
static int
fts_query(const char *search, struct buf *out)
{
	const char *p = search;
	int n = 0;

	while (*p) {
		size_t len;
		int prefix = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		len = strcspn(p, " \t\n");
		if (!len)
			break;
		if (p[len - 1] == '*') {
			prefix = 1;
			len--;
		}
		if (len) {
			if (n++)
				buf_addch(out, ' ');
			buf_addch(out, '"');
			for (size_t i = 0; i < len; i++) {
				if (p[i] == '"')
					buf_addch(out, '"');
				buf_addch(out, p[i]);
			}
			buf_addch(out, '"');
			if (prefix)
				buf_addch(out, '*');
		}
		p += len + prefix;
	}
	return n;
}

int
cairn_lesson_each(struct cairn_store *st, int64_t item, const char *search,
                  cairn_lesson_fn fn, void *ctx, struct cairn_err *err)
{
	struct buf q = BUF_INIT;
	struct cairn_lesson l;
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (item && (rc = item_exists(st, item, err)))
		return rc;
	if (search && !fts_query(search, &q)) {
		buf_release(&q);
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "search '%s' has no words to look for",
		                     search);
	}
	rc = store_prepare(
	        st, &stmt,
	        search ? "SELECT l.id, l.item, i.title, l.created, l.text, "
	                 "l.worked FROM lesson_fts f JOIN lesson l ON l.id = "
	                 "f.rowid JOIN item i ON i.id = l.item WHERE "
	                 "lesson_fts MATCH ?2 AND (?1 = 0 OR l.item IN (WITH "
	                 "RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT "
	                 "c.id FROM item c JOIN sub ON c.parent = sub.id) "
	                 "SELECT id FROM sub)) ORDER BY f.rank, l.id"
	               : "SELECT l.id, l.item, i.title, l.created, l.text, "
	                 "l.worked FROM lesson l JOIN item i ON i.id = l.item "
	                 "WHERE (?1 = 0 OR l.item IN (WITH RECURSIVE sub(id) "
	                 "AS (SELECT ?1 UNION ALL SELECT c.id FROM item c "
	                 "JOIN sub ON c.parent = sub.id) SELECT id FROM sub)) "
	                 "ORDER BY l.created, l.id",
	        err);
	if (rc)
		goto out;
	sqlite3_bind_int64(stmt, 1, item);
	if (search)
		sqlite3_bind_text(stmt, 2, q.buf, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		l.id = sqlite3_column_int64(stmt, 0);
		l.item = sqlite3_column_int64(stmt, 1);
		l.item_title = store_col_text(stmt, 2);
		l.created = store_col_text(stmt, 3);
		l.text = store_col_text(stmt, 4);
		l.worked = sqlite3_column_int(stmt, 5);
		if ((rc = fn(ctx, &l)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0
	                       : store_sqlerr(st, err, "search the lessons");
out:
	sqlite3_finalize(stmt);
	buf_release(&q);
	return rc;
}

json_t *
cairn_lesson_json(const struct cairn_lesson *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(l->id));
	json_object_set_new(o, "item", json_integer(l->item));
	json_object_set_new(o, "created", json_string(l->created));
	json_object_set_new(o, "text", json_string(l->text));
	json_object_set_new(o, "worked", json_boolean(l->worked));
	return o;
}
