/*
 * item.c: items and their attachments (edges live in edge.c).
 *
 * Every mutation validates its input first, then runs inside a change
 * (cairn_store_begin/commit), so the journal triggers record it and a
 * failure leaves the store as it was.  Reads stream rows; only the tree
 * walk loads a subtree into memory.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "cairn/core/order.h"
#include "core/item-int.h"
#include "banned.h"

void
cairn_item_init(struct cairn_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = CAIRN_KIND_MILESTONE;
	it->status = CAIRN_STATUS_COUNT;
	it->p_success = -1;
	it->est[0] = it->est[1] = it->est[2] = -1;
	it->likelihood = -1;
}

void
cairn_item_release(struct cairn_item *it)
{
	if (!it)
		return;
	free(it->title);
	free(it->body);
	free(it->why);
	cairn_item_init(it);
}

/*
 * Copy column i into a fixed field of size n, cut to fit, as snprintf "%s"
 * would but without parsing a format for every row of a listing.
 */
static void
copy_col(char *dst, size_t n, sqlite3_stmt *s, int i)
{
	const char *t = store_col_text(s, i);
	size_t len = (size_t)sqlite3_column_bytes(s, i);

	if (len >= n)
		len = n - 1;
	memcpy(dst, t, len);
	dst[len] = '\0';
}

/* Column i as a REAL, or -1 when NULL (unset). */
static double
col_real(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
	               ? -1
	               : sqlite3_column_double(s, i);
}

void
item_from_lint_row(sqlite3_stmt *s, struct cairn_item *it)
{
	cairn_item_init(it);
	it->id = sqlite3_column_int64(s, 0);
	it->kind = cairn_kind_parse(store_col_text(s, 1));
	it->title = xstrdup(store_col_text(s, 2));
	it->parent = sqlite3_column_int64(s, 3);
	it->status = cairn_status_parse(store_col_text(s, 4));
	it->scope = sqlite3_column_int(s, 5);
	it->p_success = col_real(s, 6);
	for (int i = 0; i < 3; i++)
		it->est[i] = col_real(s, 7 + i);
	it->driven = cairn_driven_parse(store_col_text(s, 10));
	if ((int)it->driven < 0)
		it->driven = CAIRN_DRIVEN_NONE;
	copy_col(it->started, sizeof(it->started), s, 11);
}

void
item_from_row(sqlite3_stmt *s, struct cairn_item *it)
{
	const char *t;

	cairn_item_release(it);
	it->id = sqlite3_column_int64(s, 0);
	copy_col(it->uuid, sizeof(it->uuid), s, 1);
	it->kind = cairn_kind_parse(store_col_text(s, 2));
	it->title = xstrdup(store_col_text(s, 3));
	it->body = xstrdup(store_col_text(s, 4));
	it->parent = sqlite3_column_int64(s, 5);
	it->status = cairn_status_parse(store_col_text(s, 6));
	t = (const char *)sqlite3_column_text(s, 7);
	it->why = xstrdup_or_null(t);
	it->scope = sqlite3_column_int(s, 8);
	it->p_success = col_real(s, 9);
	it->novelty = sqlite3_column_int(s, 10);
	for (int i = 0; i < 3; i++)
		it->est[i] = col_real(s, 11 + i);
	copy_col(it->due, sizeof(it->due), s, 14);
	it->likelihood = col_real(s, 15);
	it->driven = cairn_driven_parse(store_col_text(s, 16));
	if ((int)it->driven < 0)
		it->driven = CAIRN_DRIVEN_NONE;
	it->visibility = cairn_visibility_parse(store_col_text(s, 17));
	copy_col(it->created, sizeof(it->created), s, 18);
	copy_col(it->started, sizeof(it->started), s, 19);
	copy_col(it->finished, sizeof(it->finished), s, 20);
	it->rank = sqlite3_column_int(s, 21);
}

int
item_exists(struct cairn_store *st, int64_t id, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, "SELECT 1 FROM item WHERE id = ?",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                     (long long)id);
	return store_sqlerr(st, err, "read an item");
}

int
cairn_item_get(struct cairn_store *st, int64_t id, struct cairn_item *out,
               struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	cairn_item_init(out);
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT " ITEM_COLS " FROM item WHERE id = ?",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		item_from_row(stmt, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                   (long long)id);
	} else {
		rc = store_sqlerr(st, err, "read an item");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
add_statement(struct cairn_store *st, int64_t id, const char *text,
              struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	char now[CAIRN_TS_LEN];
	int rc;

	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO statement(item, created, text) "
	                        "VALUES(?, ?, ?)",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, text, -1, SQLITE_TRANSIENT);
	rc = store_step(st, stmt, "record the statement", err);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_item_add(struct cairn_store *st, struct cairn_item *it,
               struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	uuid_t u;
	int rc;

	item_default_status(it);
	if ((rc = cairn_item_check(it, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "add item", err)))
		return rc;
	if (it->parent && (rc = item_exists(st, it->parent, err)))
		goto out;
	/* The default visibility of a new item: its parent's. */
	if (it->visibility == CAIRN_VIS_INHERIT) {
		struct cairn_item parent;

		cairn_item_init(&parent);
		if (it->parent &&
		    (rc = cairn_item_get(st, it->parent, &parent, err)))
			goto out;
		it->visibility =
		        it->parent ? parent.visibility : CAIRN_VIS_PRIVATE;
		cairn_item_release(&parent);
	}
	if (!it->uuid[0]) {
		uuid_generate(u);
		uuid_unparse_lower(u, it->uuid);
	}
	cairn_now(it->created);
	item_stamp_new(it);
	if ((rc = store_prepare(
	             st, &stmt,
	             "INSERT INTO item(uuid, kind, title, body, parent, "
	             "status, "
	             "why, scope, p_success, novelty, optimistic, likely, "
	             "pessimistic, due, likelihood, driven, visibility, "
	             "created, started, finished, rank) VALUES(?1, ?2, ?3, ?4, "
	             "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
	             "?17, ?18, ?19, ?20, ?21)",
	             err)))
		goto out;
	sqlite3_bind_text(stmt, 1, it->uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, cairn_kind_name(it->kind), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, it->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, it->body ? it->body : "", -1,
	                  SQLITE_TRANSIENT);
	if (it->parent)
		sqlite3_bind_int64(stmt, 5, it->parent);
	sqlite3_bind_text(stmt, 6, cairn_status_name(it->status), -1,
	                  SQLITE_STATIC);
	store_bind_text_or_null(stmt, 7, it->why);
	store_bind_opt_int(stmt, 8, it->scope);
	store_bind_opt_double(stmt, 9, it->p_success);
	store_bind_opt_int(stmt, 10, it->novelty);
	for (int i = 0; i < 3; i++)
		store_bind_opt_double(stmt, 11 + i,
		                      it->est[0] < 0 ? -1 : it->est[i]);
	store_bind_text_or_null(stmt, 14, it->due);
	store_bind_opt_double(stmt, 15, it->likelihood);
	store_bind_text_or_null(stmt, 16, cairn_driven_name(it->driven));
	sqlite3_bind_text(stmt, 17, cairn_visibility_name(it->visibility), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(stmt, 18, it->created, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(stmt, 19, it->started);
	store_bind_text_or_null(stmt, 20, it->finished);
	store_bind_opt_int(stmt, 21, it->rank);
	if ((rc = store_step(st, stmt, "add the item", err)))
		goto out;
	it->id = sqlite3_last_insert_rowid(st->db);
	rc = add_statement(st, it->id, it->title, err);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

/* UPDATE item SET <col> = value WHERE id = id, value already validated. */
static int
update_col(struct cairn_store *st, int64_t id, const char *col, int type,
           const char *text, double num, struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *stmt;
	int rc;

	buf_addf(&sql, "UPDATE item SET %s = ?1 WHERE id = ?2 AND %s IS NOT ?1",
	         col, col);
	rc = store_prepare(st, &stmt, sql.buf, err);
	buf_release(&sql);
	if (rc)
		return rc;
	if (type == SQLITE_TEXT)
		store_bind_text_or_null(stmt, 1, text);
	else if (type == SQLITE_INTEGER && num > 0)
		sqlite3_bind_int64(stmt, 1, (sqlite3_int64)num);
	else
		sqlite3_bind_null(stmt, 1);
	sqlite3_bind_int64(stmt, 2, id);
	rc = store_step(st, stmt, "update the item", err);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Write the editable fields of it back to its row in one UPDATE (one
 * journal event), and only when something differs.
 */
static int
item_write(struct cairn_store *st, const struct cairn_item *it,
           struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = cairn_item_check(it, err)))
		return rc;
	if ((rc = store_prepare(
	             st, &stmt,
	             "UPDATE item SET kind = ?1, title = ?2, body = ?3, "
	             "scope = ?4, p_success = ?5, novelty = ?6, "
	             "optimistic = ?7, likely = ?8, pessimistic = ?9, "
	             "due = ?10, likelihood = ?11, driven = ?12, "
	             "visibility = ?13, rank = ?15 WHERE id = ?14 AND (kind, "
	             "title, body, scope, p_success, novelty, optimistic, "
	             "likely, pessimistic, due, likelihood, driven, "
	             "visibility, "
	             "rank) IS NOT (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	             "?11, ?12, ?13, ?15)",
	             err)))
		return rc;
	sqlite3_bind_text(stmt, 1, cairn_kind_name(it->kind), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, it->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, it->body ? it->body : "", -1,
	                  SQLITE_TRANSIENT);
	store_bind_opt_int(stmt, 4, it->scope);
	store_bind_opt_double(stmt, 5, it->p_success);
	store_bind_opt_int(stmt, 6, it->novelty);
	for (int i = 0; i < 3; i++)
		store_bind_opt_double(stmt, 7 + i,
		                      it->est[0] < 0 ? -1 : it->est[i]);
	store_bind_text_or_null(stmt, 10, it->due);
	store_bind_opt_double(stmt, 11, it->likelihood);
	store_bind_text_or_null(stmt, 12, cairn_driven_name(it->driven));
	sqlite3_bind_text(stmt, 13, cairn_visibility_name(it->visibility), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 14, it->id);
	store_bind_opt_int(stmt, 15, it->rank);
	rc = store_step(st, stmt, "update the item", err);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_item_update(struct cairn_store *st, const struct cairn_item *it,
                  struct cairn_err *err)
{
	struct cairn_item cur;
	int rc;

	if ((rc = cairn_store_begin(st, "update item", err)))
		return rc;
	if ((rc = cairn_item_get(st, it->id, &cur, err)))
		goto out;
	if (it->status != cur.status &&
	    (rc = cairn_item_set_status(st, it->id, it->status, it->why, err)))
		goto out;
	rc = item_write(st, it, err);
out:
	cairn_item_release(&cur);
	return store_finish(st, rc, err);
}

int
cairn_item_set(struct cairn_store *st, int64_t id, const char *field,
               const char *value, struct cairn_err *err)
{
	struct cairn_item it;
	int rc;

	if ((rc = cairn_item_get(st, id, &it, err)))
		return rc;
	if (!(rc = cairn_item_parse_field(&it, field, value, err)))
		rc = cairn_item_update(st, &it, err);
	cairn_item_release(&it);
	return rc;
}

/* Is maybe_desc id itself or below it in the breakdown tree? */
int
item_in_subtree(struct cairn_store *st, int64_t id, int64_t maybe_desc,
                int *out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(
	             st, &stmt,
	             "WITH RECURSIVE up(id) AS (SELECT ?1 UNION "
	             "SELECT i.parent FROM item i JOIN up ON i.id = up.id "
	             "WHERE i.parent IS NOT NULL) "
	             "SELECT count(*) FROM up WHERE id = ?2",
	             err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, maybe_desc);
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0) > 0;
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the tree");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Moving id under parent must not put an item below something it builds
 * on: that item could then never start (see cairn_edge_add).
 */
static int
check_move_edges(struct cairn_store *st, int64_t id, int64_t parent,
                 struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(
	             st, &stmt,
	             "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL "
	             "SELECT i.id FROM item i JOIN sub ON i.parent = sub.id), "
	             "anc(id) AS (SELECT ?2 UNION SELECT i.parent FROM item i "
	             "JOIN anc ON i.id = anc.id WHERE i.parent IS NOT NULL) "
	             "SELECT item, prereq FROM edge WHERE item IN sub "
	             "AND prereq IN anc ORDER BY item, prereq LIMIT 1",
	             err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, parent);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		rc = cairn_err_set(err, CAIRN_ECYCLE,
		                   "cannot move #%lld under #%lld: #%lld "
		                   "builds on #%lld",
		                   (long long)id, (long long)parent,
		                   (long long)sqlite3_column_int64(stmt, 0),
		                   (long long)sqlite3_column_int64(stmt, 1));
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = store_sqlerr(st, err, "read the edges");
	sqlite3_finalize(stmt);
	return rc;
}

static int
move_under(struct cairn_store *st, int64_t id, int64_t parent,
           struct cairn_err *err)
{
	int inside = 0, rc;

	if (!parent)
		return update_col(st, id, "parent", SQLITE_INTEGER, NULL, 0,
		                  err);
	if ((rc = item_exists(st, parent, err)))
		return rc;
	if ((rc = item_in_subtree(st, id, parent, &inside, err)))
		return rc;
	if (inside)
		return cairn_err_set(err, CAIRN_ECYCLE,
		                     parent == id
		                             ? "cannot move #%lld under itself"
		                             : "cannot move #%lld under #%lld: "
		                               "#%lld is below #%lld",
		                     (long long)id, (long long)parent,
		                     (long long)parent, (long long)id);
	if ((rc = check_move_edges(st, id, parent, err)))
		return rc;
	return update_col(st, id, "parent", SQLITE_INTEGER, NULL,
	                  (double)parent, err);
}

int
cairn_item_move(struct cairn_store *st, int64_t id, int64_t parent,
                struct cairn_err *err)
{
	int rc;

	if ((rc = cairn_store_begin(st, "move item", err)))
		return rc;
	if (!(rc = item_exists(st, id, err)))
		rc = move_under(st, id, parent, err);
	return store_finish(st, rc, err);
}

int
cairn_item_set_status(struct cairn_store *st, int64_t id,
                      enum cairn_status status, const char *why,
                      struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	if ((unsigned)status >= CAIRN_STATUS_COUNT)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown status");
	if (status == CAIRN_STATUS_DROPPED && (!why || !*why))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "dropping #%lld needs a reason (--why)",
		                     (long long)id);
	if ((rc = cairn_text_check("reason", why, 0, err)) ||
	    (rc = cairn_line_check("reason", why, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "change status", err)))
		return rc;
	if ((rc = item_exists(st, id, err)))
		goto out;
	cairn_now(now);
	if ((rc = store_prepare(
	             st, &stmt,
	             "UPDATE item SET status = ?1, why = ?2, "
	             "started = CASE WHEN ?1 IN ('active', 'done') "
	             "  THEN coalesce(started, ?3) ELSE started END, "
	             "finished = CASE WHEN ?1 IN ('done', 'dropped') THEN ?3 "
	             "  ELSE NULL END "
	             "WHERE id = ?4 AND (status IS NOT ?1 OR why IS NOT ?2)",
	             err)))
		goto out;
	sqlite3_bind_text(stmt, 1, cairn_status_name(status), -1,
	                  SQLITE_STATIC);
	store_bind_text_or_null(stmt, 2,
	                        status == CAIRN_STATUS_DROPPED ? why : NULL);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, id);
	rc = store_step(st, stmt, "change the status", err);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

static int
count_rows(struct cairn_store *st, const char *sql, int64_t id, int *out,
           struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the store");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_item_remove(struct cairn_store *st, int64_t id, int force,
                  struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int n = 0, rc;

	if ((rc = cairn_store_begin(st, "remove item", err)))
		return rc;
	if ((rc = item_exists(st, id, err)) ||
	    (rc = count_rows(st, "SELECT count(*) FROM item WHERE parent = ?",
	                     id, &n, err)))
		goto out;
	if (n && !force) {
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "#%lld has %d child item%s: use --force to "
		                   "remove them too",
		                   (long long)id, n, n == 1 ? "" : "s");
		goto out;
	}
	/* Deepest first, so no row ever points at a deleted parent. */
	if ((rc = store_prepare(
	             st, &stmt,
	             "WITH RECURSIVE sub(id, depth) AS (SELECT ?1, 0 UNION ALL "
	             "SELECT i.id, sub.depth + 1 FROM item i JOIN sub "
	             "ON i.parent = sub.id) "
	             "SELECT id FROM sub ORDER BY depth DESC, id DESC",
	             err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	{
		int64_t *ids = NULL;
		size_t len = 0, cap = 0;
		sqlite3_stmt *del = NULL;

		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap ? 2 * cap : 16;
				ids = xrealloc(ids, cap * sizeof(*ids));
			}
			ids[len++] = sqlite3_column_int64(stmt, 0);
		}
		rc = rc == SQLITE_DONE ? 0
		                       : store_sqlerr(st, err, "read the tree");
		if (!rc)
			rc = store_prepare(
			        st, &del, "DELETE FROM item WHERE id = ?", err);
		for (size_t i = 0; !rc && i < len; i++) {
			sqlite3_bind_int64(del, 1, ids[i]);
			rc = store_step(st, del, "remove the item", err);
		}
		sqlite3_finalize(del);
		free(ids);
	}
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

/* Run one INSERT/DELETE on an item's attachment with text arguments. */
static int
attach(struct cairn_store *st, const char *label, int64_t id, const char *sql,
       const char *a, const char *b, struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	if ((rc = cairn_store_begin(st, label, err)))
		return rc;
	if ((rc = item_exists(st, id, err)))
		goto out;
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt, sql, err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text_or_null(stmt, 2, a);
	store_bind_text_or_null(stmt, 3, b);
	if (sqlite3_bind_parameter_count(stmt) >= 4)
		sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
	rc = store_step(st, stmt, label, err);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

int
cairn_item_tag(struct cairn_store *st, int64_t id, const char *tag, int add,
               struct cairn_err *err)
{
	int rc;

	if ((rc = cairn_tag_check(tag, err)))
		return rc;
	return attach(st, add ? "tag item" : "untag item", id,
	              add ? "INSERT OR IGNORE INTO tag(item, name) "
	                    "VALUES(?1, ?2)"
	                  : "DELETE FROM tag WHERE item = ?1 AND name = ?2",
	              tag, NULL, err);
}

int
cairn_item_link(struct cairn_store *st, int64_t id, const char *url,
                const char *label, struct cairn_err *err)
{
	int rc;

	if ((rc = cairn_link_check(url, label, err)))
		return rc;
	return attach(st, "link item", id,
	              "INSERT INTO link(item, url, label, created) "
	              "VALUES(?1, ?2, ?3, ?4)",
	              url, label, err);
}

int
cairn_item_note(struct cairn_store *st, int64_t id, const char *text,
                struct cairn_err *err)
{
	int rc;

	if ((rc = cairn_note_check(text, err)))
		return rc;
	return attach(st, "note item", id,
	              "INSERT INTO note(item, text, created) "
	              "VALUES(?1, ?2, ?4)",
	              text, NULL, err);
}

int
cairn_item_refine(struct cairn_store *st, int64_t id, const char *statement,
                  struct cairn_err *err)
{
	struct cairn_item it;
	int rc;

	if ((rc = cairn_text_check("statement", statement, 1, err)) ||
	    (rc = cairn_line_check("statement", statement, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "refine item", err)))
		return rc;
	if ((rc = cairn_item_get(st, id, &it, err)))
		goto out;
	if (!strcmp(it.title, statement))
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "#%lld already reads '%s'", (long long)id,
		                   statement);
	else if (!(rc = update_col(st, id, "title", SQLITE_TEXT, statement, 0,
	                           err)))
		rc = add_statement(st, id, statement, err);
out:
	cairn_item_release(&it);
	return store_finish(st, rc, err);
}

int
cairn_item_promote(struct cairn_store *st, int64_t id, enum cairn_kind kind,
                   int64_t parent, struct cairn_err *err)
{
	struct cairn_item it;
	int rc;

	if (kind != CAIRN_KIND_GOAL && kind != CAIRN_KIND_MILESTONE &&
	    kind != CAIRN_KIND_QUESTION)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "an idea is promoted to a goal, a "
		                     "milestone or a question");
	if ((rc = cairn_store_begin(st, "promote item", err)))
		return rc;
	if ((rc = cairn_item_get(st, id, &it, err)))
		goto out;
	if (it.kind != CAIRN_KIND_IDEA) {
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "#%lld is a %s, not an idea", (long long)id,
		                   cairn_kind_name(it.kind));
		goto out;
	}
	if (parent && (rc = move_under(st, id, parent, err)))
		goto out;
	if ((rc = update_col(st, id, "kind", SQLITE_TEXT, cairn_kind_name(kind),
	                     0, err)))
		goto out;
	if (it.status == CAIRN_STATUS_IDEA)
		rc = update_col(st, id, "status", SQLITE_TEXT, "planned", 0,
		                err);
out:
	cairn_item_release(&it);
	return store_finish(st, rc, err);
}

static int
each_entry(struct cairn_store *st, int64_t id, const char *sql,
           cairn_entry_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_entry e;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = item_exists(st, id, err)))
		return rc;
	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		e.id = sqlite3_column_int64(stmt, 0);
		e.time = store_col_text(stmt, 1);
		e.text = store_col_text(stmt, 2);
		e.label = (const char *)sqlite3_column_text(stmt, 3);
		if ((rc = fn(ctx, &e)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the store");
out:
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_item_notes(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                 void *ctx, struct cairn_err *err)
{
	return each_entry(st, id,
	                  "SELECT id, created, text, author FROM note "
	                  "WHERE item = ? ORDER BY created, id",
	                  fn, ctx, err);
}

int
cairn_item_links(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                 void *ctx, struct cairn_err *err)
{
	return each_entry(st, id,
	                  "SELECT id, created, url, label FROM link "
	                  "WHERE item = ? ORDER BY id",
	                  fn, ctx, err);
}

int
cairn_item_statements(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                      void *ctx, struct cairn_err *err)
{
	return each_entry(st, id,
	                  "SELECT id, created, text, NULL FROM statement "
	                  "WHERE item = ? ORDER BY created, id",
	                  fn, ctx, err);
}

int
cairn_item_tags(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                void *ctx, struct cairn_err *err)
{
	return each_entry(st, id,
	                  "SELECT id, '', name, NULL FROM tag "
	                  "WHERE item = ? ORDER BY name",
	                  fn, ctx, err);
}

static int
each_item(struct cairn_store *st, sqlite3_stmt *stmt, cairn_item_fn fn,
          void *ctx, struct cairn_err *err)
{
	struct cairn_item it;
	int rc;

	cairn_item_init(&it);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		item_from_row(stmt, &it);
		if ((rc = fn(ctx, &it)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the items");
out:
	cairn_item_release(&it);
	return rc;
}

int
item_each_related(struct cairn_store *st, int64_t id, const char *sql,
                  cairn_item_fn fn, void *ctx, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = item_exists(st, id, err)))
		return rc;
	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	rc = each_item(st, stmt, fn, ctx, err);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_item_children(struct cairn_store *st, int64_t id, cairn_item_fn fn,
                    void *ctx, struct cairn_err *err)
{
	return item_each_related(st, id,
	                         "SELECT " ITEM_COLS
	                         " FROM item WHERE parent = ? "
	                         "ORDER BY id",
	                         fn, ctx, err);
}

int
cairn_item_max_id(struct cairn_store *st, int64_t *out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, "SELECT max(id) FROM item", err)))
		return rc;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the items");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_uuid_prefix_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 4 && n <= 36 &&
	       s[strspn(s, "0123456789abcdefABCDEF-")] == 0 &&
	       s[strspn(s, "0123456789")] != 0;
}

int
cairn_item_by_uuid(struct cairn_store *st, const char *prefix, int64_t *id,
                   struct cairn_err *err)
{
	char low[37], uuids[2][37];
	sqlite3_stmt *stmt;
	int n = 0, rc;
	size_t i;

	for (i = 0; prefix[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)prefix[i]);
	low[i] = '\0';
	/* A range over the uuid index, not a scan. */
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id, uuid FROM item WHERE uuid >= ?1 "
	                        "AND uuid < ?1 || 'g' ORDER BY uuid LIMIT 2",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, low, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < 2) {
		*id = sqlite3_column_int64(stmt, 0);
		snprintf(uuids[n++], 37, "%s", store_col_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, err, "read the items");
	if (!n)
		return cairn_err_set(err, CAIRN_ENOTFOUND,
		                     "no item with a uuid starting '%s'",
		                     prefix);
	if (n > 1)
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "uuid prefix '%s' names more than one item "
		        "(%s, %s): give more digits",
		        prefix, uuids[0], uuids[1]);
	return 0;
}

static const struct cairn_item *
nth(const struct cairn_item *first, size_t stride, size_t k)
{
	return (const struct cairn_item *)((const char *)first + k * stride);
}

static long
find_by_id(const struct cairn_item *first, size_t stride, size_t n, int64_t id)
{
	return cairn_id_find(first, n, stride, offsetof(struct cairn_item, id),
	                     id);
}

void
item_visible(const struct cairn_item *first, size_t stride, size_t n,
             int minvis, int skip, signed char *ok)
{
	size_t *chain = xmalloc((n ? n : 1) * sizeof(*chain));

	memset(ok, 0, n);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		long cur = (long)i;
		signed char verdict = 1;

		/* Walk up until an item whose verdict is known. */
		while (cur >= 0 && !ok[cur] && len < n) {
			const struct cairn_item *it = nth(first, stride, cur);

			chain[len++] = (size_t)cur;
			if ((int)it->visibility < minvis ||
			    (skip && it->status == CAIRN_STATUS_DROPPED) ||
			    (skip > 1 && it->status == CAIRN_STATUS_DONE)) {
				verdict = -1;
				break;
			}
			cur = it->parent
			              ? find_by_id(first, stride, n, it->parent)
			              : -1;
		}
		if (verdict > 0 && cur >= 0 && ok[cur])
			verdict = ok[cur];
		else if (verdict > 0 && cur >= 0)
			verdict = -1; /* a parent cycle: never a root */
		while (len)
			ok[chain[--len]] = verdict;
	}
	free(chain);
}
