/*
 * outbox.c: the journal's events become operations queued for the hub.
 *
 * Each call turns the events after the last one it turned (sync_state
 * "events") into operations, skipping the changes that applied other
 * replicas' operations (sync_applied): those are theirs, not ours.  The
 * first call queues the store as it is, one put or add per row, instead of
 * its history.  A created row gets its uuid here (sync_row) and keeps it;
 * an operation's clock is the hybrid logical clock at its change's time.
 * Queued operations keep their ids until the hub has them, so a push cut
 * off halfway is sent again as the same operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "cairn/core/time.h"
#include "sync/sync-int.h"
#include "banned.h"

static uint64_t
ts_ms(const char *ts)
{
	struct tm tm;
	int y, mo, d, h, mi, sec;

	if (!ts ||
	    sscanf(ts, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (uint64_t)timegm(&tm) * 1000;
}

/* The visibility of the item a row belongs to, as it is now. */
static int
row_vis(struct sync *s, const struct stable *t, json_t *row, const char **vis)
{
	sqlite3_stmt *q = s->q[SQ_VIS];
	json_t *v;
	int rc;

	*vis = "private";
	if (!strcmp(t->jt->name, "item")) {
		v = json_object_get(row, "visibility");
		if (json_is_string(v))
			*vis = json_string_value(v);
		return 0;
	}
	if (!t->jt->item_col ||
	    !json_is_integer(v = json_object_get(row, t->jt->item_col)))
		return 0;
	sqlite3_bind_int64(q, 1, json_integer_value(v));
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *x = store_col_text(q, 0);

		*vis = !strcmp(x, "public") ? "public"
		       : !strcmp(x, "lab")  ? "lab"
		                            : "private";
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : sync_sqlerr(s, "read the item");
	sqlite3_reset(q);
	return rc;
}

/* Queue one operation. */
static int
queue(struct sync *s, const struct stable *t, const char *uuid,
      const char *item, const char *clock, const char *action,
      const char *field, json_t *value, const char *vis)
{
	json_t *op = json_object();
	char id[37], *text;
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, id);
	json_object_set_new(op, "id", json_string(id));
	json_object_set_new(op, "replica", json_string(s->replica));
	json_object_set_new(op, "clock", json_string(clock));
	json_object_set_new(op, "entity", json_string(t->jt->name));
	json_object_set_new(op, "uuid", json_string(uuid));
	json_object_set_new(op, "item",
	                    item && *item ? json_string(item) : json_null());
	json_object_set_new(op, "action", json_string(action));
	if (field)
		json_object_set_new(op, "field", json_string(field));
	json_object_set(op, "value", value ? value : json_null());
	json_object_set_new(op, "vis", json_string(vis));
	text = json_dumps(op, JSON_COMPACT);
	json_decref(op);
	sqlite3_bind_text(s->q[SQ_OUT_PUT], 1, text, -1, SQLITE_TRANSIENT);
	free(text);
	return store_step(s->st, s->q[SQ_OUT_PUT], "queue the operation",
	                  s->err);
}

/* The uuid of the item a row belongs to. */
static int
row_item(struct sync *s, const struct stable *t, json_t *row, const char *uuid,
         char out[37])
{
	json_t *v;

	out[0] = '\0';
	if (!strcmp(t->jt->name, "item")) {
		snprintf(out, 37, "%s", uuid);
		return 0;
	}
	if (!t->jt->item_col ||
	    !json_is_integer(v = json_object_get(row, t->jt->item_col)))
		return 0;
	return sync_map_get(s, "item", json_integer_value(v), out);
}

/* 1 when the row uuid of t is kept aside for its item (park.c), with
 * *row its wire form. */
static int
parked(struct sync *s, const struct stable *t, const char *uuid, json_t **row)
{
	sqlite3_stmt *q;
	int found = 0;

	*row = NULL;
	if (store_prepare(
	            s->st, &q,
	            "SELECT row FROM sync_parked_row WHERE entity = ? AND "
	            "uuid = ?",
	            s->err))
		return 0;
	sqlite3_bind_text(q, 1, t->jt->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, uuid, -1, SQLITE_TRANSIENT);
	if ((found = sqlite3_step(q) == SQLITE_ROW))
		*row = json_loads(store_col_text(q, 0), 0, NULL);
	sqlite3_finalize(q);
	return found;
}

/* Does a row of t here other than local hold uuid? */
static int
held_elsewhere(struct sync *s, const struct stable *t, const char *uuid,
               int64_t local, int *held)
{
	int64_t now = 0;
	int rc;

	*held = 0;
	if ((rc = sync_map_find(s, t->jt->name, uuid, &now)) || !now ||
	    now == local)
		return rc;
	return sync_row_here(s, t->jt->name, now, held);
}

/*
 * A row an undo puts back under the id it had: the uuid of the row that
 * went from that id with the same values (ids other than items' are used
 * again), or else of the last one whose values were not kept, unless
 * another row here holds that uuid now ("" then: a new row).  Kept aside
 * for its item meanwhile, it is here again, not to come back beside
 * itself.
 */
static int
put_back_uuid(struct sync *s, const struct stable *t, int64_t local,
              json_t *wire, char uuid[37])
{
	sqlite3_stmt *q;
	char blind[37] = "";
	int rc, step;

	uuid[0] = '\0';
	if ((rc = store_prepare(s->st, &q,
	                        "SELECT uuid, row FROM sync_row_gone WHERE "
	                        "entity = ? AND local = ? ORDER BY rowid DESC",
	                        s->err)))
		return rc;
	sqlite3_bind_text(q, 1, t->jt->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, local);
	while (!rc && !uuid[0] && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *u = store_col_text(q, 0);
		json_t *row =
		        sqlite3_column_type(q, 1) == SQLITE_NULL
		                ? NULL
		                : json_loads(store_col_text(q, 1), 0, NULL);
		int held = 0, same = row && json_equal(row, wire);

		json_decref(row);
		if ((!same && row) || (!same && blind[0]) ||
		    (rc = held_elsewhere(s, t, u, local, &held)) || held)
			continue;
		if (same)
			snprintf(uuid, 37, "%s", u);
		else
			snprintf(blind, sizeof(blind), "%s", u);
	}
	sqlite3_finalize(q);
	if (rc)
		return rc;
	if (!uuid[0])
		snprintf(uuid, 37, "%s", blind);
	if (!uuid[0])
		return 0;
	if ((rc = store_prepare(s->st, &q,
	                        "DELETE FROM sync_parked_row WHERE entity = ? "
	                        "AND uuid = ?",
	                        s->err)))
		return rc;
	sqlite3_bind_text(q, 1, t->jt->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, uuid, -1, SQLITE_TRANSIENT);
	rc = store_step(s->st, q, "save the sync state", s->err);
	sqlite3_finalize(q);
	return rc;
}

static int
emit_insert(struct sync *s, const struct stable *t, int64_t local, json_t *row,
            uint64_t ms)
{
	char uuid[37], item[37], clock[CAIRN_HLC_LEN];
	json_t *wire = NULL;
	const char *vis, *name;
	json_t *v;
	int rc;

	if ((rc = sync_to_wire(s, t, row, &wire)))
		return rc;
	/* A row named by its key columns (or an item, by its own uuid) is
	 * that row wherever it is made; another keeps the uuid it was given
	 * (a row put back by undo is the row it was). */
	if (t->key[0] || !strcmp(t->jt->name, "item")) {
		int held = 0;

		sync_row_uuid(t, wire, uuid);
		/* A keyed row made and taken away again while the row of
		 * that key was kept aside for its item, and back here since
		 * (its item put back): that row stands for both. */
		if (t->key[0] &&
		    ((rc = held_elsewhere(s, t, uuid, local, &held)) || held))
			goto out;
		rc = sync_map_put(s, t->jt->name, local, uuid);
	} else if (!(rc = sync_map_get(s, t->jt->name, local, uuid)) &&
	           !uuid[0] && s->undoing &&
	           !(rc = put_back_uuid(s, t, local, wire, uuid)) && uuid[0]) {
		rc = sync_map_put(s, t->jt->name, local, uuid);
	} else if (!rc) {
		json_t *was = NULL;

		/* New, or a new row under the id of one that went with its
		 * item (still kept aside for it, and remembered as gone from
		 * this id, for an undo that puts it back here). */
		if (uuid[0] && parked(s, t, uuid, &was))
			rc = sync_map_del(s, t->jt->name, local, was);
		json_decref(was);
		if (!rc && (!uuid[0] || was)) {
			sync_row_uuid(t, wire, uuid);
			rc = sync_map_put(s, t->jt->name, local, uuid);
		}
	}
	if (!rc)
		rc = row_vis(s, t, row, &vis);
	if (!rc)
		rc = row_item(s, t, row, uuid, item);
	if (rc)
		goto out;
	sync_tick(s, ms, clock);
	if (t->set) {
		rc = sync_clock_put(s, uuid, "+", clock);
	} else if (!(rc = sync_clock_put(s, uuid, "", clock))) {
		/* "": when the row was made (or put back) */
		json_object_foreach(wire, name, v)
		{
			if ((rc = sync_clock_put(s, uuid, name, clock)))
				break;
		}
	}
	if (!rc)
		rc = queue(s, t, uuid, item, clock, t->set ? "add" : "put",
		           NULL, wire, vis);
	/* An item put back here (an undo): what was kept aside for it
	 * comes back, as on the replicas that get its put.  Its rows now
	 * (the undo's own come back as its next events); its children
	 * once the events that follow are turned too, which may have moved
	 * them since (the rest of the undo). */
	if (!rc && !strcmp(t->jt->name, "item"))
		rc = sync_unpark_local(s, uuid, local, 0);
	if (!rc && !strcmp(t->jt->name, "item")) {
		if (s->put_back)
			json_array_append_new(
			        s->put_back,
			        json_pack("[sI]", uuid, (json_int_t)local));
		else
			rc = sync_unpark_local(s, uuid, local, 1);
	}
out:
	json_decref(wire);
	return rc;
}

static int
emit_update(struct sync *s, const struct stable *t, int64_t local,
            json_t *before, json_t *after, uint64_t ms)
{
	char uuid[37], item[37], clock[CAIRN_HLC_LEN];
	json_t *wb = NULL, *wa = NULL;
	const char *vis, *name, *hidden = NULL;
	json_t *v;
	int rc, shown = 0;

	if ((rc = sync_map_get(s, t->jt->name, local, uuid)))
		return rc;
	if (!uuid[0])
		return emit_insert(s, t, local, after, ms);
	if ((rc = sync_to_wire(s, t, before, &wb)) ||
	    (rc = sync_to_wire(s, t, after, &wa)) ||
	    (rc = row_vis(s, t, after, &vis)) ||
	    (rc = row_item(s, t, after, uuid, item)))
		goto out;
	/* An item that leaves private: every field goes again in plain,
	 * so the hub can show it to the lab (what it held was sealed).
	 * One that becomes private: its visibility change goes in plain
	 * (as it was before), so the hub stops showing it. */
	if (!strcmp(t->jt->name, "item")) {
		const char *was =
		        json_string_value(json_object_get(wb, "visibility"));

		shown = strcmp(vis, "private") && was &&
		        !strcmp(was, "private");
		if (!strcmp(vis, "private") && was && strcmp(was, "private"))
			hidden = !strcmp(was, "public") ? "public" : "lab";
	}
	json_object_foreach(wa, name, v)
	{
		int same = json_equal(v, json_object_get(wb, name));

		if (!shown && same)
			continue;
		/* A field sent again as it was keeps its clock: being shown
		 * is not a newer write of it, and must not win over one
		 * made elsewhere meanwhile. */
		if (same && (rc = sync_clock_get(s, uuid, name, clock)))
			break;
		if (!same && !strcmp(t->jt->name, "item") &&
		    !strcmp(name, "parent") &&
		    !(rc = sync_clock_get(s, uuid, name, clock)) && clock[0])
			rc = sync_clock_put(s, uuid, PARENT_BEFORE, clock);
		if (!rc && (!same || !clock[0])) {
			sync_tick(s, ms, clock);
			rc = sync_clock_put(s, uuid, name, clock);
		}
		if (rc ||
		    (rc = queue(s, t, uuid, item, clock, "set", name, v,
		                hidden && !strcmp(name, "visibility") ? hidden
		                                                      : vis)))
			break;
	}
out:
	json_decref(wb);
	json_decref(wa);
	return rc;
}

static int
emit_delete(struct sync *s, const struct stable *t, int64_t local,
            json_t *before, uint64_t ms)
{
	char uuid[37], item[37], clock[CAIRN_HLC_LEN], seen[CAIRN_HLC_LEN];
	const char *vis;
	json_t *value = NULL;
	int rc, held = 0;

	if ((rc = sync_map_get(s, t->jt->name, local, uuid)))
		return rc;
	if (!uuid[0] && t->key[0]) {
		/* A keyed row's uuid is its key's, mapped or not. */
		json_t *wire;

		if ((rc = sync_to_wire(s, t, before, &wire)))
			return rc;
		sync_row_uuid(t, wire, uuid);
		json_decref(wire);
		if ((rc = held_elsewhere(s, t, uuid, local, &held)) || held)
			return rc; /* as emit_insert */
	}
	if (!uuid[0])
		return 0;
	if ((rc = row_item(s, t, before, uuid, item)) ||
	    (rc = row_vis(s, t, before, &vis)))
		return rc;
	sync_tick(s, ms, clock);
	if (t->set) {
		/* A remove takes away the add it saw, no later one. */
		if ((rc = sync_clock_get(s, uuid, "+", seen)))
			return rc;
		value = json_pack("{s:s}", "seen", seen[0] ? seen : clock);
		rc = sync_clock_put(s, uuid, "-", seen[0] ? seen : clock);
	} else {
		rc = sync_clock_put(s, uuid, "-", clock);
	}
	if (!rc)
		rc = queue(s, t, uuid, item, clock, t->set ? "rm" : "del", NULL,
		           value, vis);
	json_decref(value);
	/* An item keeps its uuid in its row; other rows' ids may be used
	 * again for a new row, which must not take the old one's uuid. */
	if (!rc && strcmp(t->jt->name, "item")) {
		json_t *w = NULL;

		if (!(rc = sync_to_wire(s, t, before, &w)))
			rc = sync_map_del(s, t->jt->name, local, w);
		json_decref(w);
	}
	return rc;
}

/* The whole store as it is: one put or add per row. */
static int
snapshot(struct sync *s, uint64_t ms)
{
	struct buf q = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < s->nt && !rc; i++) {
		const struct stable *t = &s->t[i];
		sqlite3_stmt *st;

		buf_reset(&q);
		if ((rc = store_journal_live_sql(s->st, t->jt->name, &q,
		                                 s->err)))
			break;
		buf_adds(&q, " ORDER BY id");
		if ((rc = store_prepare(s->st, &st, q.buf, s->err)))
			break;
		while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			json_t *row =
			        json_loads(store_col_text(st, 1), 0, NULL);

			rc = row ? emit_insert(s, t,
			                       sqlite3_column_int64(st, 0), row,
			                       ms)
			         : cairn_err_set(s->err, CAIRN_EDB,
			                         "sync: unreadable row");
			json_decref(row);
		}
		if (rc == SQLITE_DONE)
			rc = 0;
		else if (rc > 0)
			rc = sync_sqlerr(s, "read the store");
		sqlite3_finalize(st);
	}
	buf_release(&q);
	return rc;
}

static int
events(struct sync *s, int64_t after, int64_t *last)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(
	             s->st, &q,
	             "SELECT e.id, e.entity, e.entity_id, e.before, e.after, "
	             "c.time, c.undo_of IS NOT NULL FROM event e JOIN change c "
	             "ON c.id = e.change "
	             "WHERE e.id > ? AND NOT EXISTS (SELECT 1 FROM "
	             "sync_applied a WHERE a.change = e.change) ORDER BY e.id",
	             s->err)))
		return rc;
	sqlite3_bind_int64(q, 1, after);
	while (!rc && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const struct stable *t = sync_table(s, store_col_text(q, 1));
		const char *bt = (const char *)sqlite3_column_text(q, 3);
		const char *at = (const char *)sqlite3_column_text(q, 4);
		int64_t local = sqlite3_column_int64(q, 2);
		uint64_t ms = ts_ms(store_col_text(q, 5));
		json_t *b = bt ? json_loads(bt, 0, NULL) : NULL;
		json_t *a = at ? json_loads(at, 0, NULL) : NULL;

		*last = sqlite3_column_int64(q, 0);
		s->undoing = sqlite3_column_int(q, 6);
		rc = 0;
		if (!t)
			;
		else if (a && !b)
			rc = emit_insert(s, t, local, a, ms);
		else if (a && b)
			rc = emit_update(s, t, local, b, a, ms);
		else if (b)
			rc = emit_delete(s, t, local, b, ms);
		json_decref(a);
		json_decref(b);
	}
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc > 0)
		rc = sync_sqlerr(s, "read the journal");
	sqlite3_finalize(q);
	return rc;
}

/* Turn the events after `after`, then bring back what was kept aside for
 * the items they put back. */
static int
turn_events(struct sync *s, int64_t after, int64_t *last)
{
	json_t *it;
	size_t i;
	int rc;

	s->put_back = json_array();
	rc = events(s, after, last);
	json_array_foreach(s->put_back, i, it)
	{
		if (rc)
			break;
		rc = sync_unpark_local(
		        s, json_string_value(json_array_get(it, 0)),
		        json_integer_value(json_array_get(it, 1)), 1);
	}
	json_decref(s->put_back);
	s->put_back = NULL;
	return rc ? rc : sync_retry_kept_out(s);
}

int
sync_finish(struct cairn_store *st, int rc, struct cairn_err *err)
{
	sqlite3_stmt *q;

	/* A sync that changed nothing of the roadmap leaves no change
	 * behind: its bookkeeping is not an edit (and a change id left
	 * marked as sync's would be taken again by the next edit). */
	if (!rc && !(rc = store_prepare(st, &q,
	                                "DELETE FROM sync_applied WHERE change "
	                                "= ?1 AND NOT EXISTS (SELECT 1 FROM "
	                                "event WHERE change = ?1)",
	                                err))) {
		sqlite3_bind_int64(q, 1, cairn_store_change(st));
		rc = store_step(st, q, "tidy the change", err);
		sqlite3_finalize(q);
	}
	if (!rc && !(rc = store_prepare(st, &q,
	                                "DELETE FROM change WHERE id = ?1 AND "
	                                "NOT EXISTS (SELECT 1 FROM event WHERE "
	                                "change = ?1)",
	                                err))) {
		sqlite3_bind_int64(q, 1, cairn_store_change(st));
		rc = store_step(st, q, "tidy the change", err);
		sqlite3_finalize(q);
	}
	return store_finish(st, rc, err);
}

int
cairn_sync_state_put(struct cairn_store *st, const char *const *kv,
                     struct cairn_err *err)
{
	int rc;

	if ((rc = cairn_store_begin(st, "sync: state", err)))
		return rc;
	for (; kv[0] && !rc; kv += 2)
		rc = cairn_sync_state_set(st, kv[0], kv[1], err);
	return sync_finish(st, rc, err);
}

int
sync_mark_change(struct sync *s)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(s->st, &q,
	                        "INSERT OR IGNORE INTO sync_applied(change) "
	                        "VALUES(?)",
	                        s->err)))
		return rc;
	sqlite3_bind_int64(q, 1, cairn_store_change(s->st));
	rc = store_step(s->st, q, "note the change", s->err);
	sqlite3_finalize(q);
	return rc;
}

/* Queue the operations of the events not yet turned, inside the caller's
 * transaction. */
int
sync_generate(struct sync *s)
{
	struct buf v = BUF_INIT;
	int64_t last = 0;
	char num[24];
	int rc;

	rc = cairn_sync_state_get(s->st, "events", &v, s->err);
	if (rc == CAIRN_ENOTFOUND) {
		sqlite3_stmt *q;
		/* The first time: the store as it is, and the journal from
		 * its newest event on. */
		if ((rc = store_prepare(
		             s->st, &q,
		             "SELECT coalesce(max(id), 0) FROM event", s->err)))
			goto out;
		if (sqlite3_step(q) == SQLITE_ROW)
			last = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		char now[CAIRN_TS_LEN];

		cairn_now(now);
		rc = snapshot(s, ts_ms(now));
	} else if (!rc) {
		last = strtoll(v.buf, NULL, 10);
		rc = turn_events(s, last, &last);
	}
	if (!rc) {
		snprintf(num, sizeof(num), "%lld", (long long)last);
		rc = cairn_sync_state_set(s->st, "events", num, s->err);
	}
out:
	buf_release(&v);
	return rc;
}

int
cairn_sync_outbox(struct cairn_store *st, size_t limit, json_t **out,
                  struct cairn_err *err)
{
	struct sync s;
	sqlite3_stmt *q = NULL;
	int rc;

	*out = NULL;
	if ((rc = cairn_store_begin(st, "sync: queue operations", err)))
		return rc;
	if (!(rc = sync_open(&s, st, err)) && !(rc = sync_mark_change(&s)))
		rc = sync_generate(&s);
	rc = sync_done(&s, rc);
	if (rc)
		goto out;
	if ((rc = store_prepare(st, &q,
	                        "SELECT seq, op FROM sync_out ORDER BY seq "
	                        "LIMIT ?",
	                        err)))
		goto out;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)limit);
	*out = json_array();
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		json_t *op = json_loads(store_col_text(q, 1), 0, NULL);

		if (!op)
			continue;
		json_object_set_new(op, "seq",
		                    json_integer(sqlite3_column_int64(q, 0)));
		json_array_append_new(*out, op);
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the queue");
out:
	sqlite3_finalize(q);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return sync_finish(st, rc, err);
}

int
cairn_sync_sent(struct cairn_store *st, int64_t seq, struct cairn_err *err)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = cairn_store_begin(st, "sync: operations sent", err)))
		return rc;
	if (!(rc = store_prepare(st, &q, "DELETE FROM sync_out WHERE seq <= ?",
	                         err))) {
		sqlite3_bind_int64(q, 1, seq);
		rc = store_step(st, q, "update the queue", err);
		sqlite3_finalize(q);
	}
	return sync_finish(st, rc, err);
}
