/*
 * park.c: what sync keeps aside for rows deleted here, so that a row put
 * back elsewhere (an undo) comes back here as it is there: changes made
 * to it after the delete (sync_parked), the rows that went with an item
 * (its tags, notes, edges ...: sync_parked_row), and the items put at the
 * top when their parent went.  Without this, a replica that deleted a row
 * and then got it back would differ from one that never lost it.  Also
 * the edges kept out of a cycle (sync_parked_row with item "-"), and the
 * moves undone as the newest of a loop (UNDONE_MOVE), tried again after
 * each batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/apply-int.h"
#include "core/item-int.h"
#include "banned.h"

/*
 * A change, newer than its delete, to a row deleted here: kept aside, so
 * that if the row comes back (an undo elsewhere puts it back with an
 * older clock than the change) it comes back changed, as on the replicas
 * that had the row when the change reached them.
 */
int
ap_park_at(struct apply *a, const char *uuid, const char *field,
           const char *clock, json_t *v)
{
	sqlite3_stmt *q;
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "INSERT INTO sync_parked(uuid, field, clock, "
	                        "value) VALUES(?1, ?2, ?3, ?4) ON "
	                        "CONFLICT(uuid, field) DO UPDATE SET clock = "
	                        "?3, value = ?4 WHERE clock < ?3",
	                        a->s->err))) {
		free(text);
		return rc;
	}
	sqlite3_bind_text(q, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, field, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, clock, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, text ? text : "null", -1, SQLITE_TRANSIENT);
	free(text);
	rc = store_step(a->s->st, q, "keep the change", a->s->err);
	sqlite3_finalize(q);
	return rc;
}

/*
 * The row is back: the changes kept aside that are newer than it.  Not
 * what putting it back has just kept aside itself (its clock): a parent
 * deleted here, which it goes back under if that comes back too.
 */
int
ap_unpark(struct apply *a, int64_t local)
{
	const char *clock = a->clock;
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "DELETE FROM sync_parked WHERE uuid = ?1 AND "
	                        "clock <> ?2 AND field <> '" UNDONE_MOVE
	                        "' RETURNING field, clock, value",
	                        a->s->err)))
		return rc;
	sqlite3_bind_text(q, 1, a->uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, clock, -1, SQLITE_TRANSIENT);
	/* Collected first: applying them writes while the DELETE ...
	 * RETURNING is still open. */
	{
		json_t *rows = json_array(), *r;
		size_t i;

		while ((rc = sqlite3_step(q)) == SQLITE_ROW)
			json_array_append_new(
			        rows, json_pack("[sss]", store_col_text(q, 0),
			                        store_col_text(q, 1),
			                        store_col_text(q, 2)));
		sqlite3_finalize(q);
		rc = rc == SQLITE_DONE ? 0
		                       : sync_sqlerr(a->s, "read kept changes");
		json_array_foreach(rows, i, r)
		{
			const char *c = json_string_value(json_array_get(r, 1));
			json_t *v = json_loads(
			        json_string_value(json_array_get(r, 2)),
			        JSON_DECODE_ANY, NULL);

			if (!rc && v && strcmp(c, clock) > 0) {
				a->clock = c;
				rc = ap_apply_field(
				        a, local,
				        json_string_value(json_array_get(r, 0)),
				        v);
				a->clock = clock;
			}
			json_decref(v);
		}
		json_decref(rows);
	}
	return rc;
}

/*
 * Items added here under an item deleted elsewhere: the replica that
 * deleted it puts them at the top when they reach it (insert_row), and so
 * does this one.
 */
int
ap_orphans(struct apply *a, int64_t item)
{
	sqlite3_stmt *q;
	int64_t *kids = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "SELECT id FROM item WHERE parent = ?",
	                        a->s->err)))
		return rc;
	sqlite3_bind_int64(q, 1, item);
	while (sqlite3_step(q) == SQLITE_ROW) {
		kids = xrealloc(kids, (n + 1) * sizeof(*kids));
		kids[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *top = json_null();

		char ku[37], c[CAIRN_HLC_LEN];
		json_t *was = json_string(a->uuid);

		rc = ap_conflict(
		        a,
		        "#%lld was under #%lld, deleted elsewhere: put "
		        "at the top",
		        (long long)kids[i], (long long)item);
		/* Back under it if it comes back, unless moved since. */
		if (!rc && !(rc = sync_map_get(a->s, "item", kids[i], ku)) &&
		    ku[0] && !(rc = sync_clock_get(a->s, ku, "parent", c)))
			rc = ap_park_at(a, ku, "parent", c[0] ? c : "0", was);
		json_decref(was);
		if (!rc)
			rc = ap_set_parent(a, kids[i], top);
	}
	free(kids);
	return rc;
}

/* A row as its wire form, read from the store. */
static int
live_wire(struct apply *a, const struct stable *t, const char *where,
          int64_t local,
          int (*fn)(struct apply *, const struct stable *, int64_t, json_t *,
                    void *),
          void *ctx)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_journal_live_sql(a->s->st, t->jt->name, &q, a->s->err)))
		goto out;
	buf_addf(&q, " WHERE \"%s\" = ?", where);
	if ((rc = store_prepare(a->s->st, &st, q.buf, a->s->err)))
		goto out;
	sqlite3_bind_int64(st, 1, local);
	while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_loads(store_col_text(st, 1), 0, NULL), *w;

		rc = 0;
		if (row && !(rc = sync_to_wire(a->s, t, row, &w))) {
			rc = fn(a, t, sqlite3_column_int64(st, 0), w, ctx);
			json_decref(w);
		}
		json_decref(row);
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc > 0)
		rc = sync_sqlerr(a->s, "read the store");
	sqlite3_finalize(st);
out:
	buf_release(&q);
	return rc;
}

static int
park_newer_fn(struct apply *a, const struct stable *t, int64_t local, json_t *w,
              void *ctx)
{
	const char *field;
	char c[CAIRN_HLC_LEN];
	json_t *v;
	int rc = 0;

	(void)t;
	(void)local;
	(void)ctx;
	json_object_foreach(w, field, v)
	{
		if ((rc = sync_clock_get(a->s, a->uuid, field, c)))
			break;
		if (c[0] && strcmp(c, a->clock) > 0 &&
		    (rc = ap_park_at(a, a->uuid, field, c, v)))
			break;
	}
	return rc;
}

/* Fields changed here after the delete: kept aside (park_at). */
int
ap_park_newer(struct apply *a, int64_t local)
{
	return live_wire(a, a->t, "id", local, park_newer_fn, NULL);
}

/* Keep row uuid of t aside until item comes back; clock: of the
 * operation that brought it, "" when its fields have their clocks. */
int
ap_park_row(struct apply *a, const struct stable *t, const char *uuid,
            const char *item, json_t *w, const char *clock)
{
	sqlite3_stmt *q;
	char *text;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "INSERT OR REPLACE INTO sync_parked_row("
	                        "entity, uuid, item, row, clock) VALUES(?, ?, "
	                        "?, ?, ?)",
	                        a->s->err)))
		return rc;
	text = json_dumps(w, JSON_COMPACT);
	sqlite3_bind_text(q, 1, t->jt->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, item, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, clock, -1, SQLITE_TRANSIENT);
	free(text);
	rc = store_step(a->s->st, q, "keep the row", a->s->err);
	sqlite3_finalize(q);
	return rc;
}

static int
park_row_fn(struct apply *a, const struct stable *t, int64_t local, json_t *w,
            void *ctx)
{
	char u[37];
	int rc;

	(void)ctx;
	if ((rc = sync_map_get(a->s, t->jt->name, local, u)) || !u[0])
		return rc;
	/* Its mapping stays: an undo here puts it back under that id, as
	 * the same row (outbox.c tells a reused id by the row still
	 * parked). */
	return ap_park_row(a, t, u, a->uuid, w, "");
}

/*
 * The rows that go with an item deleted elsewhere (its tags, notes,
 * edges ...): kept aside, so that if the item comes back those the delete
 * did not see come back with it, as they would on the replica that put
 * it back.  The ones it saw have their own removes.
 */
int
ap_park_rows(struct apply *a, int64_t item)
{
	int rc = 0;

	for (size_t i = 0; i < a->s->nt && !rc; i++) {
		const struct stable *t = &a->s->t[i];

		if (!strcmp(t->jt->name, "item"))
			continue;
		for (size_t c = 1; t->cols[c] && !rc; c++)
			if (t->ref[c] && !strcmp(t->ref[c], "item") &&
			    t->cascade[c])
				rc = live_wire(a, t, t->cols[c], item,
				               park_row_fn, NULL);
	}
	return rc;
}

/* The item is back: its rows kept aside. */
static int
unpark_rows(struct apply *a)
{
	const struct stable *t0 = a->t;
	const char *u0 = a->uuid, *c0 = a->clock;
	json_t *rows = json_array(), *r;
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "DELETE FROM sync_parked_row WHERE item = ? "
	                        "RETURNING entity, uuid, row, clock",
	                        a->s->err)))
		goto out;
	sqlite3_bind_text(q, 1, a->uuid, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(q) == SQLITE_ROW)
		json_array_append_new(rows,
		                      json_pack("[ssss]", store_col_text(q, 0),
		                                store_col_text(q, 1),
		                                store_col_text(q, 2),
		                                store_col_text(q, 3)));
	sqlite3_finalize(q);
	json_array_foreach(rows, i, r)
	{
		char tomb[CAIRN_HLC_LEN], add[CAIRN_HLC_LEN];
		json_t *row;
		int64_t local = 0;

		a->t = sync_table(a->s,
		                  json_string_value(json_array_get(r, 0)));
		a->uuid = json_string_value(json_array_get(r, 1));
		if (!a->t || (rc = sync_clock_get(a->s, a->uuid, "-", tomb)) ||
		    (rc = sync_clock_get(a->s, a->uuid, "+", add)))
			break;
		/* An add that arrived while its item was gone is newer than
		 * the add clock kept for the row. */
		if (strcmp(json_string_value(json_array_get(r, 3)), add) > 0)
			snprintf(add, sizeof(add), "%s",
			         json_string_value(json_array_get(r, 3)));
		if (tomb[0] && (!a->t->set || strcmp(add, tomb) <= 0))
			continue; /* the delete saw it, or it went since */
		/* Put back here by an undo of the change that deleted it:
		 * the undo brings back the rows that went with it. */
		if (u0 && a->local &&
		    !json_string_value(json_array_get(r, 3))[0])
			continue;
		row = json_loads(json_string_value(json_array_get(r, 2)), 0,
		                 NULL);
		/* As of the operation that brought it, if one did (an edge
		 * kept out of a cycle is kept out with that clock). */
		a->clock = json_string_value(json_array_get(r, 3));
		if (!a->clock[0])
			a->clock = c0;
		if (row)
			rc = ap_insert_row(a, row, &local);
		if (!rc && local && a->clock != c0)
			rc = ap_row_clocks(a, row);
		a->clock = c0;
		json_decref(row);
		if (rc)
			break;
	}
	a->t = t0;
	a->uuid = u0;
	json_decref(rows);
out:
	return rc;
}

/* The item is back: its children put at the top when it went, unless
 * moved since. */
static int
unpark_children(struct apply *a, int64_t item)
{
	json_t *rows = json_array(), *r;
	sqlite3_stmt *q;
	size_t i;
	int rc;

	{
		json_t *was = json_string(a->uuid);
		char *text = json_dumps(was, JSON_ENCODE_ANY);

		json_decref(was);
		rc = store_prepare(
		        a->s->st, &q,
		        "DELETE FROM sync_parked WHERE field = "
		        "'parent' AND value = ? RETURNING uuid, clock",
		        a->s->err);
		if (!rc) {
			sqlite3_bind_text(q, 1, text, -1, SQLITE_TRANSIENT);
			while (sqlite3_step(q) == SQLITE_ROW)
				json_array_append_new(
				        rows,
				        json_pack("[ss]", store_col_text(q, 0),
				                  store_col_text(q, 1)));
			sqlite3_finalize(q);
		}
		free(text);
	}
	json_array_foreach(rows, i, r)
	{
		const char *ku = json_string_value(json_array_get(r, 0));
		const char *kc = json_string_value(json_array_get(r, 1));
		char c[CAIRN_HLC_LEN];
		int64_t kid;
		int in = 0;

		if (rc || (rc = sync_map_find(a->s, "item", ku, &kid)) ||
		    !kid || (rc = ap_row_in(a, "item", kid, &in)))
			continue;
		/* A child deleted here since, with its move kept aside for
		 * it (park_newer): kept for when it comes back. */
		if (!in) {
			json_t *was = json_string(a->uuid);

			rc = ap_park_at(a, ku, "parent", kc, was);
			json_decref(was);
			continue;
		}
		if ((rc = sync_clock_get(a->s, ku, "parent", c)))
			continue;
		if (!strcmp(c[0] ? c : "0", kc)) {
			json_t *p = json_integer(item);

			rc = ap_set_parent(a, kid, p);
			json_decref(p);
		}
	}
	json_decref(rows);
	return rc;
}

int
ap_unpark_item(struct apply *a, int64_t item)
{
	int rc = unpark_rows(a);

	return rc ? rc : unpark_children(a, item);
}

int
sync_unpark_local(struct sync *s, const char *uuid, int64_t item, int children)
{
	struct cairn_sync_result res;
	struct apply a = {.s = s, .res = &res};
	char none[] = "0";
	int rc = 0, here = 0;

	memset(&res, 0, sizeof(res));
	a.t = sync_table(s, "item");
	a.uuid = uuid;
	a.clock = none;
	a.local = 1;
	a.op = json_pack("{s:s}", "item", uuid);
	/* Not if it has gone again since (a later event). */
	if (!a.t || (rc = ap_row_exists(&a, item, &here)) || !here) {
		json_decref(a.op);
		return rc;
	}
	rc = children ? unpark_children(&a, item) : unpark_rows(&a);
	json_decref(a.op);
	buf_release(&a.label);
	return rc;
}

/* item of sync_parked_row for an edge kept out of a cycle. */
#define KEPT_OUT "-"

int
ap_keep_out(struct apply *a, json_t *w, const char *uuid, const char *clock)
{
	return ap_park_row(a, a->t, uuid, KEPT_OUT, w, clock);
}

static int
keep_out_fn(struct apply *a, const struct stable *t, int64_t local, json_t *w,
            void *ctx)
{
	char u[37];
	int rc;

	if ((rc = sync_map_get(a->s, t->jt->name, local, u)) || !u[0])
		return rc;
	return ap_park_row(a, t, u, KEPT_OUT, w, ctx);
}

/* The edge eid, about to go as the newest of a cycle, with its add clock. */
int
ap_keep_out_edge(struct apply *a, int64_t eid, const char *clock)
{
	const struct stable *t = sync_table(a->s, "edge");

	return t ? live_wire(a, t, "id", eid, keep_out_fn, (void *)clock) : 0;
}

/* One edge kept out: in again if it closes no cycle now (or only one of
 * newer edges); *in set when it is. */
static int
retry_one(struct apply *a, json_t *r, int *in)
{
	char tomb[CAIRN_HLC_LEN];
	json_t *row;
	int64_t local = 0;
	int rc, here = 0;

	a->t = sync_table(a->s, json_string_value(json_array_get(r, 0)));
	a->uuid = json_string_value(json_array_get(r, 1));
	a->clock = json_string_value(json_array_get(r, 3));
	if (!a->t || (rc = sync_clock_get(a->s, a->uuid, "-", tomb)))
		return 0;
	if (tomb[0] && strcmp(a->clock, tomb) <= 0)
		return 0; /* removed since */
	if ((rc = sync_map_find(a->s, a->t->jt->name, a->uuid, &local)) ||
	    (local && (rc = ap_row_exists(a, local, &here))) || here)
		return rc;
	if (!(row = json_loads(json_string_value(json_array_get(r, 2)), 0,
	                       NULL)))
		return 0;
	a->op = json_pack("{s:s,s:s,s:s,s:O}", "entity", a->t->jt->name, "uuid",
	                  a->uuid, "clock", a->clock, "value", row);
	rc = ap_insert_row(a, row, &local);
	if (!rc && local) {
		*in = 1;
		rc = ap_row_clocks(a, row);
	}
	json_decref(a->op);
	json_decref(row);
	return rc;
}

int
ap_keep_move(struct apply *a, int64_t item, int64_t parent, const char *clock)
{
	char u[37], pu[37] = "";
	sqlite3_stmt *q;
	json_t *v;
	int rc;

	if ((rc = sync_map_get(a->s, "item", item, u)) || !u[0])
		return rc;
	if (parent < 0) {
		if ((rc = store_prepare(a->s->st, &q,
		                        "SELECT parent FROM item WHERE id = ?",
		                        a->s->err)))
			return rc;
		sqlite3_bind_int64(q, 1, item);
		parent = sqlite3_step(q) == SQLITE_ROW
		                 ? sqlite3_column_int64(q, 0)
		                 : 0;
		sqlite3_finalize(q);
	}
	if (parent && ((rc = sync_map_get(a->s, "item", parent, pu)) || !pu[0]))
		return rc;
	v = pu[0] ? json_string(pu) : json_null();
	rc = ap_park_at(a, u, UNDONE_MOVE, clock, v);
	json_decref(v);
	return rc;
}

static int
drop_undone_move(struct apply *a, const char *uuid)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "DELETE FROM sync_parked WHERE uuid = ? AND "
	                        "field = '" UNDONE_MOVE "'",
	                        a->s->err)))
		return rc;
	sqlite3_bind_text(q, 1, uuid, -1, SQLITE_TRANSIENT);
	rc = store_step(a->s->st, q, "drop an undone move", a->s->err);
	sqlite3_finalize(q);
	return rc;
}

/* One undone move, r = [uuid, clock, value]: made again when its item and
 * parent are here, no newer move of the item came, and it closes no
 * loop now; dropped when a newer move came.  *in set when made. */
static int
redo_one(struct apply *a, json_t *r, int *in)
{
	const char *u = json_string_value(json_array_get(r, 0));
	const char *c = json_string_value(json_array_get(r, 1));
	char cur[CAIRN_HLC_LEN];
	int64_t local = 0, parent = 0;
	int rc, here = 0, below = 0;
	json_t *v;

	a->t = sync_table(a->s, "item");
	a->uuid = u;
	a->clock = c;
	if (!a->t || (rc = sync_map_find(a->s, "item", u, &local)) || !local ||
	    (rc = ap_row_exists(a, local, &here)) || !here)
		return 0; /* kept until the item is back */
	if ((rc = sync_clock_get(a->s, u, "parent", cur)))
		return rc;
	if (strcmp(cur, c) >= 0)
		return drop_undone_move(a, u);
	if (!(v = json_loads(json_string_value(json_array_get(r, 2)),
	                     JSON_DECODE_ANY, NULL)))
		return drop_undone_move(a, u);
	if (json_is_string(v) &&
	    ((rc = sync_map_find(a->s, "item", json_string_value(v),
	                         &parent)) ||
	     !parent || (rc = ap_row_exists(a, parent, &here)) || !here ||
	     (rc = item_in_subtree(a->s->st, local, parent, &below,
	                           a->s->err)) ||
	     below)) {
		json_decref(v);
		return rc; /* kept while its parent is away or it loops */
	}
	if (!(rc = drop_undone_move(a, u))) {
		a->op = json_pack("{s:s,s:s,s:s,s:s,s:s,s:O}", "entity", "item",
		                  "uuid", u, "clock", c, "action", "set",
		                  "field", "parent", "value", v);
		rc = ap_apply_field(a, local, "parent", v);
		json_decref(a->op);
		*in = 1;
	}
	json_decref(v);
	return rc;
}

/* The undone moves, oldest first. */
static int
redo_moves(struct apply *a, int *in)
{
	json_t *rows = json_array(), *r;
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "SELECT uuid, clock, value FROM sync_parked "
	                        "WHERE field = '" UNDONE_MOVE
	                        "' ORDER BY clock",
	                        a->s->err))) {
		json_decref(rows);
		return rc;
	}
	while (sqlite3_step(q) == SQLITE_ROW)
		json_array_append_new(rows,
		                      json_pack("[sss]", store_col_text(q, 0),
		                                store_col_text(q, 1),
		                                store_col_text(q, 2)));
	sqlite3_finalize(q);
	json_array_foreach(rows, i, r)
	{
		if ((rc = redo_one(a, r, in)))
			break;
	}
	json_decref(rows);
	return rc;
}

int
ap_retry_kept_out(struct apply *a)
{
	const struct stable *t0 = a->t;
	const char *u0 = a->uuid, *c0 = a->clock;
	json_t *op0 = a->op;
	int rc = 0, in = 1, retry0 = a->retry;

	a->retry = 1;
	/* Oldest first; again while one gets in (it may push out another
	 * that keeps a third out). */
	for (int pass = 0; pass < 8 && in && !rc; pass++) {
		json_t *rows = json_array(), *r;
		sqlite3_stmt *q;
		size_t i;

		in = 0;
		if ((rc = redo_moves(a, &in)))
			break;
		if ((rc = store_prepare(a->s->st, &q,
		                        "SELECT entity, uuid, row, clock FROM "
		                        "sync_parked_row WHERE item = "
		                        "'" KEPT_OUT "' ORDER BY clock",
		                        a->s->err))) {
			json_decref(rows);
			break;
		}
		while (sqlite3_step(q) == SQLITE_ROW)
			json_array_append_new(
			        rows, json_pack("[ssss]", store_col_text(q, 0),
			                        store_col_text(q, 1),
			                        store_col_text(q, 2),
			                        store_col_text(q, 3)));
		sqlite3_finalize(q);
		/* Each is kept out again if it still closes a cycle. */
		if (json_array_size(rows) &&
		    !(rc = store_prepare(a->s->st, &q,
		                         "DELETE FROM sync_parked_row WHERE "
		                         "item = '" KEPT_OUT "'",
		                         a->s->err))) {
			rc = store_step(a->s->st, q, "retry kept edges",
			                a->s->err);
			sqlite3_finalize(q);
		}
		json_array_foreach(rows, i, r)
		{
			if (rc || (rc = retry_one(a, r, &in)))
				break;
		}
		json_decref(rows);
	}
	a->t = t0;
	a->uuid = u0;
	a->clock = c0;
	a->op = op0;
	a->retry = retry0;
	return rc;
}

int
sync_retry_kept_out(struct sync *s)
{
	struct cairn_sync_result res;
	struct apply a = {.s = s, .res = &res};
	int rc;

	memset(&res, 0, sizeof(res));
	rc = ap_retry_kept_out(&a);
	buf_release(&a.label);
	return rc;
}
