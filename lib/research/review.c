/*
 * review.c: dated reflections (see review.h).
 *
 * Invariants: a review has at least one non-empty answer; it is written
 * once and never edited (undo removes it).
 *
 * Workload: one review a week or so.
 */
#include <stdio.h>
#include <string.h>

#include "cairn/research/review.h"
#include "research/research-int.h"
#include "banned.h"

int
cairn_review_add(struct cairn_store *st, const char *moved, const char *sharper,
                 const char *to_drop, const char *note, int64_t *id,
                 struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	if ((rc = rs_check_text("what moved", moved, 0, RS_TEXT_MAX, 1, err)) ||
	    (rc = rs_check_text("what got sharper", sharper, 0, RS_TEXT_MAX, 1,
	                        err)) ||
	    (rc = rs_check_text("what to drop", to_drop, 0, RS_TEXT_MAX, 1,
	                        err)) ||
	    (rc = rs_check_text("review text", note, 0, RS_TEXT_MAX, 1, err)))
		return rc;
	if ((!moved || !*moved) && (!sharper || !*sharper) &&
	    (!to_drop || !*to_drop) && (!note || !*note))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "an empty review is not recorded");
	if ((rc = cairn_store_begin(st, "review", err)))
		return rc;
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO review(created, moved, sharper, "
	                        "to_drop, note) VALUES(?, ?, ?, ?, ?)",
	                        err)))
		goto out;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(stmt, 2, moved);
	store_bind_text_or_null(stmt, 3, sharper);
	store_bind_text_or_null(stmt, 4, to_drop);
	store_bind_text_or_null(stmt, 5, note);
	if ((rc = store_step(st, stmt, "record the review", err)))
		goto out;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

int
cairn_review_each(struct cairn_store *st, const char *since, const char *until,
                  cairn_review_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_review r;
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id, created, moved, sharper, to_drop, "
	                        "note FROM review WHERE (?1 IS NULL OR "
	                        "created >= ?1) AND (?2 IS NULL OR created < "
	                        "?2) ORDER BY created, id",
	                        err)))
		return rc;
	store_bind_text_or_null(stmt, 1, since);
	store_bind_text_or_null(stmt, 2, until);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(stmt, 0);
		r.created = store_col_text(stmt, 1);
		r.moved = (const char *)sqlite3_column_text(stmt, 2);
		r.sharper = (const char *)sqlite3_column_text(stmt, 3);
		r.to_drop = (const char *)sqlite3_column_text(stmt, 4);
		r.note = (const char *)sqlite3_column_text(stmt, 5);
		if ((rc = fn(ctx, &r)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the reviews");
out:
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_review_last(struct cairn_store *st, char out[21], struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, "SELECT max(created) FROM review",
	                        err)))
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		snprintf(out, CAIRN_TS_LEN, "%s", store_col_text(stmt, 0));
		rc = 0;
	} else if (rc == SQLITE_ROW) {
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "no review yet");
	} else {
		rc = store_sqlerr(st, err, "read the reviews");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static json_t *
opt(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *
cairn_review_json(const struct cairn_review *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "created", json_string(r->created));
	json_object_set_new(o, "moved", opt(r->moved));
	json_object_set_new(o, "sharper", opt(r->sharper));
	json_object_set_new(o, "to_drop", opt(r->to_drop));
	json_object_set_new(o, "note", opt(r->note));
	return o;
}
