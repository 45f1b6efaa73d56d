/*
 * apply.c: other replicas' operations applied by the merge rules
 * (include/cairn/store/sync.h).
 *
 * A batch is one change.  Before it applies anything it queues this
 * replica's own unqueued changes (outbox.c), so that a field changed here
 * and not yet sent has its clock and is not overwritten by an older one;
 * its own events are then marked as sync's (sync_applied) so they are
 * never sent back.  Each operation's id is kept (sync_seen): one applied
 * twice changes nothing.
 *
 * Per field, the newer clock wins (sync_clock).  A deleted row keeps a
 * tombstone ("-"): a put older than it is ignored, a newer one (an undo
 * elsewhere) brings the row back.  A set member keeps its add's clock
 * ("+"); a remove names the add it saw and takes away no newer one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/time.h"
#include "sync/apply-int.h"
#include "cairn/store/journal.h"
#include "core/item-int.h"
#include "banned.h"

int
ap_conflict(struct apply *a, const char *fmt, ...)
{
	char now[CAIRN_TS_LEN], what[512];
	json_t *item = json_object_get(a->op, "item");
	sqlite3_stmt *q;
	va_list ap;
	char *text;
	int rc;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cairn_now(now);
	if ((rc = store_prepare(a->s->st, &q,
	                        "INSERT INTO sync_conflict(time, item, what, "
	                        "op) VALUES(?, ?, ?, ?)",
	                        a->s->err)))
		return rc;
	text = json_dumps(a->op, JSON_COMPACT);
	sqlite3_bind_text(q, 1, now, -1, SQLITE_TRANSIENT);
	if (json_is_string(item))
		sqlite3_bind_text(q, 2, json_string_value(item), -1,
		                  SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, what, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, text, -1, SQLITE_TRANSIENT);
	free(text);
	rc = store_step(a->s->st, q, "record the conflict", a->s->err);
	sqlite3_finalize(q);
	if (!a->res->conflicts++)
		buf_adds(&a->label, "; conflict: ");
	else
		buf_adds(&a->label, "; ");
	buf_adds(&a->label, what);
	return rc;
}

/* The local id of a reference given as a uuid; 0 when it is not here
 * (an item's mapping outlives it). */
static int
local_ref(struct apply *a, const char *table, json_t *v, int64_t *out)
{
	int here = 0, rc;

	*out = 0;
	if (!json_is_string(v))
		return 0;
	if ((rc = sync_map_find(a->s, table, json_string_value(v), out)) ||
	    !*out)
		return rc;
	if ((rc = ap_row_in(a, table, *out, &here)))
		return rc;
	if (!here)
		*out = 0;
	return 0;
}

int
ap_row_exists(struct apply *a, int64_t local, int *out)
{
	return ap_row_in(a, a->t->jt->name, local, out);
}

/* The row still there? */
int
ap_row_in(struct apply *a, const char *table, int64_t local, int *out)
{
	return sync_row_here(a->s, table, local, out);
}

static int
col_index(const struct stable *t, const char *name)
{
	for (int i = 1; t->cols[i]; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

/* ---- the builds-on graph and the tree stay acyclic ---- */

static int
uuid_of(struct apply *a, const char *entity, int64_t local, char out[37])
{
	return sync_map_get(a->s, entity, local, out);
}

static int
edge_clock(struct apply *a, int64_t item, int64_t prereq, int64_t *eid,
           char clock[CAIRN_HLC_LEN])
{
	sqlite3_stmt *q;
	char u[37];
	int rc;

	*eid = 0;
	clock[0] = '\0';
	if ((rc = store_prepare(a->s->st, &q,
	                        "SELECT id FROM edge WHERE item = ? AND "
	                        "prereq = ?",
	                        a->s->err)))
		return rc;
	sqlite3_bind_int64(q, 1, item);
	sqlite3_bind_int64(q, 2, prereq);
	if (sqlite3_step(q) == SQLITE_ROW)
		*eid = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (!*eid || (rc = uuid_of(a, "edge", *eid, u)) || !u[0])
		return rc;
	return sync_clock_get(a->s, u, "+", clock);
}

static int
del_row(struct apply *a, const char *table, int64_t local)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	buf_addf(&q, "DELETE FROM \"%s\" WHERE id = ?", table);
	rc = store_prepare(a->s->st, &st, q.buf, a->s->err);
	buf_release(&q);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, local);
	rc = store_step(a->s->st, st, "apply the operation", a->s->err);
	sqlite3_finalize(st);
	if (!rc && strcmp(table, "item"))
		rc = sync_map_del(a->s, table, local, NULL);
	return rc;
}

/*
 * May item build on prereq?  *ok = 1, or 0 after recording why not.  A
 * cycle made of edges newer than this one loses its newest edge instead:
 * the earlier operation is kept, whichever replica applies them.
 */
static int
edge_allowed(struct apply *a, int64_t item, int64_t prereq, int *ok)
{
	int noted = 0;

	for (int tries = 0; tries < 64; tries++) {
		int64_t *nodes = NULL, newest = 0;
		char best[CAIRN_HLC_LEN] = "", c[CAIRN_HLC_LEN];
		struct buf path = BUF_INIT;
		size_t n = 0;
		int below = 0, rc;

		*ok = 0;
		if (item == prereq)
			return ap_conflict(a, "#%lld cannot build on itself",
			                   (long long)item);
		if ((rc = item_in_subtree(a->s->st, prereq, item, &below,
		                          a->s->err)))
			return rc;
		/* Not refused: a move made elsewhere may have put it there,
		 * and whether the edge came first would differ between
		 * replicas.  Kept on all of them, and named. */
		if (below && !noted) {
			noted = 1;
			if ((rc = ap_conflict(
			             a,
			             "#%lld builds on #%lld, which it is "
			             "part of (moved there elsewhere): "
			             "kept; remove the edge or move it",
			             (long long)item, (long long)prereq)))
				return rc;
		}
		rc = edge_find_path(a->s->st, prereq, item, &path, &nodes, &n,
		                    a->s->err);
		if (rc < 0) {
			buf_release(&path);
			return rc;
		}
		if (rc == 0) {
			buf_release(&path);
			*ok = 1;
			return 0;
		}
		rc = 0;
		for (size_t k = 0; k + 1 < n && !rc; k++) {
			int64_t eid;

			rc = edge_clock(a, nodes[k], nodes[k + 1], &eid, c);
			if (!rc && strcmp(c, best) > 0) {
				snprintf(best, sizeof(best), "%s", c);
				newest = eid;
			}
		}
		free(nodes);
		if (!rc && strcmp(best, a->clock) > 0) {
			rc = ap_conflict(
			        a,
			        "an edge of %s, newer than #%lld building "
			        "on #%lld, would close a cycle: removed",
			        path.buf, (long long)item, (long long)prereq);
			if (!rc)
				rc = ap_keep_out_edge(a, newest, best);
			if (!rc)
				rc = del_row(a, "edge", newest);
		} else if (!rc) {
			if (!a->retry)
				rc = ap_conflict(
				        a,
				        "#%lld building on #%lld would "
				        "close a cycle: #%lld -> %s; "
				        "kept out",
				        (long long)item, (long long)prereq,
				        (long long)item, path.buf);
			buf_release(&path);
			return rc;
		}
		buf_release(&path);
		if (rc)
			return rc;
	}
	return ap_conflict(a, "#%lld building on #%lld: too many cycles",
	                   (long long)item, (long long)prereq);
}

/* The parent an item had before its last move, from the journal. */
static int
parent_before(struct apply *a, int64_t item, json_t **out)
{
	sqlite3_stmt *q;
	int rc;

	*out = json_null();
	if ((rc = store_prepare(
	             a->s->st, &q,
	             "SELECT json_extract(before, '$.parent') FROM event "
	             "WHERE entity = 'item' AND entity_id = ? AND before IS "
	             "NOT NULL AND after IS NOT NULL AND "
	             "json_extract(before, '$.parent') IS NOT "
	             "json_extract(after, '$.parent') ORDER BY id DESC LIMIT 1",
	             a->s->err)))
		return rc;
	sqlite3_bind_int64(q, 1, item);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_type(q, 0) == SQLITE_INTEGER)
		*out = json_integer(sqlite3_column_int64(q, 0));
	sqlite3_finalize(q);
	return 0;
}

int
ap_set_parent(struct apply *a, int64_t item, json_t *parent)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(a->s->st, &q,
	                        "UPDATE item SET parent = ? WHERE id = ?",
	                        a->s->err)))
		return rc;
	sync_bind_json(q, 1, parent);
	sqlite3_bind_int64(q, 2, item);
	rc = store_step(a->s->st, q, "apply the operation", a->s->err);
	sqlite3_finalize(q);
	return rc;
}

/*
 * May item move under parent?  As edge_allowed: a loop made by newer
 * moves is undone at its newest move (that item goes back where it was).
 */
static int
move_allowed(struct apply *a, int64_t item, int64_t parent, int *ok)
{
	for (int tries = 0; tries < 64; tries++) {
		char best[CAIRN_HLC_LEN] = "", c[CAIRN_HLC_LEN], u[37];
		int64_t newest = 0, cur = parent;
		sqlite3_stmt *q;
		int below = 0, rc;

		*ok = 0;
		if ((rc = item_in_subtree(a->s->st, item, parent, &below,
		                          a->s->err)))
			return rc;
		if (!below) {
			*ok = 1;
			return 0;
		}
		if (parent == item)
			return ap_conflict(a, "#%lld under itself: kept out",
			                   (long long)item);
		/* The moves on the way up from parent to item. */
		if ((rc = store_prepare(a->s->st, &q,
		                        "SELECT parent FROM item WHERE id = ?",
		                        a->s->err)))
			return rc;
		while (cur && cur != item && !rc) {
			if (!(rc = uuid_of(a, "item", cur, u)) && u[0] &&
			    !(rc = sync_clock_get(a->s, u, "parent", c)) &&
			    strcmp(c, best) > 0) {
				snprintf(best, sizeof(best), "%s", c);
				newest = cur;
			}
			sqlite3_bind_int64(q, 1, cur);
			cur = sqlite3_step(q) == SQLITE_ROW
			              ? sqlite3_column_int64(q, 0)
			              : 0;
			sqlite3_reset(q);
		}
		sqlite3_finalize(q);
		if (rc)
			return rc;
		if (newest && strcmp(best, a->clock) > 0) {
			json_t *back;

			if ((rc = parent_before(a, newest, &back)))
				return rc;
			rc = ap_conflict(
			        a,
			        "the later move of #%lld would put #%lld "
			        "under its own descendant: #%lld moved "
			        "back",
			        (long long)newest, (long long)item,
			        (long long)newest);
			if (!rc)
				rc = ap_keep_move(a, newest, -1, best);
			if (!rc)
				rc = ap_set_parent(a, newest, back);
			json_decref(back);
			/* With the clock of the move before it: a move older
			 * than the one undone, and newer than that, that
			 * arrives later still puts it where it says (in clock
			 * order the undone move never happened). */
			if (!rc && !(rc = uuid_of(a, "item", newest, u)) &&
			    u[0] &&
			    !(rc = sync_clock_get(a->s, u, PARENT_BEFORE, c)))
				rc = c[0] ? sync_clock_put(a->s, u, "parent", c)
				          : 0;
			if (rc)
				return rc;
			continue;
		}
		if ((rc = ap_keep_move(a, item, parent, a->clock)))
			return rc;
		return ap_conflict(
		        a,
		        "#%lld under #%lld would put it under its own "
		        "descendant: kept out",
		        (long long)item, (long long)parent);
	}
	return ap_conflict(a, "#%lld under #%lld: too many loops",
	                   (long long)item, (long long)parent);
}

/* ---- the operations ---- */

/* One field of a row that is here: the newer clock wins. */
int
ap_apply_field(struct apply *a, int64_t local, const char *field, json_t *v)
{
	char cur[CAIRN_HLC_LEN];
	json_t *val = v;
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	int i = col_index(a->t, field), rc, ok = 1;
	int64_t ref = 0;

	if (i < 0 || !strcmp(field, "uuid"))
		return 0; /* a column of a newer schema: not here */
	if ((rc = sync_clock_get(a->s, a->uuid, field, cur)))
		return rc;
	if (cur[0] && strcmp(cur, a->clock) >= 0) {
		a->res->ignored++;
		return 0;
	}
	if (a->t->ref[i] && !json_is_null(v)) {
		if ((rc = local_ref(a, a->t->ref[i], v, &ref)))
			return rc;
		/* As if it were here when its row was deleted: the row
		 * goes too, or loses the reference (the item to the top). */
		if (!ref && a->t->cascade[i])
			return ap_conflict(
			        a,
			        "%s of %s %s names a row deleted here: "
			        "not applied",
			        field, a->t->jt->name, a->uuid);
		if (!ref && (rc = ap_conflict(a,
		                              "%s of %s %s names a row deleted "
		                              "here: set to none",
		                              field, a->t->jt->name, a->uuid)))
			return rc;
		/* Under it again if it comes back (unpark_item). */
		if (!ref && !strcmp(field, "parent") &&
		    (rc = ap_park_at(a, a->uuid, field, a->clock, v)))
			return rc;
		if (ref && !strcmp(a->t->jt->name, "item") &&
		    !strcmp(field, "parent") &&
		    ((rc = move_allowed(a, local, ref, &ok)) || !ok))
			return rc;
		if (!ref)
			val = json_null();
	}
	buf_addf(&q, "UPDATE \"%s\" SET \"%s\" = ? WHERE id = ?",
	         a->t->jt->name, field);
	rc = store_prepare(a->s->st, &st, q.buf, a->s->err);
	buf_release(&q);
	if (rc)
		return rc;
	if (ref)
		sqlite3_bind_int64(st, 1, ref);
	else
		sync_bind_json(st, 1, val);
	sqlite3_bind_int64(st, 2, local);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE &&
	    sqlite3_extended_errcode(a->s->st->db) == SQLITE_CONSTRAINT_CHECK) {
		struct ap_deferred *d;

		a->defer =
		        xrealloc(a->defer, (a->ndefer + 1) * sizeof(*a->defer));
		d = &a->defer[a->ndefer++];
		d->op = json_incref(a->op);
		d->t = a->t;
		d->local = local;
		d->ref = ref;
		d->field = field;
		d->val = val;
		return 0;
	}
	if (rc != SQLITE_DONE)
		return ap_conflict(
		        a, "%s of %s %s refused here (%s): not applied", field,
		        a->t->jt->name, a->uuid, sqlite3_errmsg(a->s->st->db));
	a->res->applied++;
	if (!strcmp(a->t->jt->name, "item") && !strcmp(field, "parent") &&
	    (rc = sync_clock_put(a->s, a->uuid, PARENT_BEFORE,
	                         cur[0] ? cur : a->clock)))
		return rc;
	return sync_clock_put(a->s, a->uuid, field, a->clock);
}

static void
ap_flush_deferred_drop(struct apply *a)
{
	for (size_t i = 0; i < a->ndefer; i++)
		json_decref(a->defer[i].op);
	free(a->defer);
	a->defer = NULL;
	a->ndefer = 0;
}

/* Point a at deferred change d's operation. */
static void
ap_at(struct apply *a, const struct ap_deferred *d)
{
	a->op = d->op;
	a->t = d->t;
	a->uuid = json_string_value(json_object_get(d->op, "uuid"));
	a->clock = json_string_value(json_object_get(d->op, "clock"));
}

/*
 * The deferred changes of each row, in one UPDATE per row: those still
 * newer than what the row holds (a later operation of the batch may have
 * set the field since).  What the row's checks still refuse together is
 * a conflict, as a single change would have been.
 */
static int
ap_flush_deferred(struct apply *a)
{
	int rc = 0;

	for (size_t i = 0; i < a->ndefer && !rc; i++) {
		struct ap_deferred *d = &a->defer[i];
		struct buf q = BUF_INIT;
		sqlite3_stmt *st;
		char cur[CAIRN_HLC_LEN];
		size_t n = 0, k;
		int step;

		if (!d->op)
			continue; /* in an earlier row's update */
		buf_addf(&q, "UPDATE \"%s\" SET ", d->t->jt->name);
		for (k = i; k < a->ndefer && !rc; k++) {
			struct ap_deferred *e = &a->defer[k];

			if (!e->op || e->t != d->t || e->local != d->local)
				continue;
			ap_at(a, e);
			if ((rc = sync_clock_get(a->s, a->uuid, e->field, cur)))
				break;
			if (cur[0] && strcmp(cur, a->clock) >= 0) {
				a->res->ignored++;
				json_decref(e->op);
				e->op = NULL;
				continue;
			}
			buf_addf(&q, "%s\"%s\" = ?", n++ ? ", " : "", e->field);
		}
		buf_adds(&q, " WHERE id = ?");
		if (rc || !n ||
		    (rc = store_prepare(a->s->st, &st, q.buf, a->s->err))) {
			buf_release(&q);
			continue;
		}
		buf_release(&q);
		n = 0;
		for (k = i; k < a->ndefer; k++) {
			struct ap_deferred *e = &a->defer[k];

			if (!e->op || e->t != d->t || e->local != d->local)
				continue;
			if (e->ref)
				sqlite3_bind_int64(st, (int)++n, e->ref);
			else
				sync_bind_json(st, (int)++n, e->val);
		}
		sqlite3_bind_int64(st, (int)n + 1, d->local);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		for (k = i; k < a->ndefer && !rc; k++) {
			struct ap_deferred *e = &a->defer[k];

			if (!e->op || e->t != d->t || e->local != d->local)
				continue;
			ap_at(a, e);
			if (step == SQLITE_DONE) {
				a->res->applied++;
				rc = sync_clock_put(a->s, a->uuid, e->field,
				                    a->clock);
			} else {
				rc = ap_conflict(
				        a,
				        "%s of %s %s refused here (%s): "
				        "not applied",
				        e->field, e->t->jt->name, a->uuid,
				        sqlite3_errmsg(a->s->st->db));
			}
			json_decref(e->op);
			e->op = NULL;
		}
	}
	ap_flush_deferred_drop(a);
	return rc;
}

/*
 * A row of a keyed table that the store has under the same key columns
 * (put back by an undo here before its operation was queued): the same
 * row, since its uuid is made from them.  0 with *local set, 1 when there
 * is none, negative on failure.
 */
static int
same_key(struct apply *a, const int64_t *refs, json_t *value, int64_t *local)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	int rc, n = 0;

	buf_addf(&q, "SELECT id FROM \"%s\" WHERE ", a->t->jt->name);
	for (const char *const *k = a->t->key; *k; k++)
		buf_addf(&q, "%s\"%s\" IS ?", n++ ? " AND " : "", *k);
	rc = store_prepare(a->s->st, &st, q.buf, a->s->err);
	buf_release(&q);
	if (rc)
		return rc;
	n = 0;
	for (const char *const *k = a->t->key; *k; k++) {
		int i = col_index(a->t, *k);

		n++;
		if (i > 0 && a->t->ref[i] && refs[i])
			sqlite3_bind_int64(st, n, refs[i]);
		else
			sync_bind_json(st, n, json_object_get(value, *k));
	}
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : 1;
	if (!rc)
		*local = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc)
		return 1;
	return sync_map_put(a->s, a->t->jt->name, *local, a->uuid);
}

/* A row that is not here: insert it from the operation's value. */
int
ap_insert_row(struct apply *a, json_t *value, int64_t *local)
{
	struct buf cols = BUF_INIT, vals = BUF_INIT, q = BUF_INIT;
	int64_t refs[64], item = 0, prereq = 0;
	sqlite3_stmt *st;
	int n = 0, rc = 0, ok = 1;
	const char *name = a->t->jt->name;

	*local = 0;
	for (int i = 1; a->t->cols[i] && i < 64 && !rc; i++) {
		json_t *v = json_object_get(value, a->t->cols[i]);

		refs[i] = 0;
		if (a->t->ref[i] && json_is_string(v)) {
			rc = local_ref(a, a->t->ref[i], v, &refs[i]);
			if (!rc && !refs[i] && !a->t->cascade[i]) {
				rc = ap_conflict(
				        a,
				        "%s %s: its %s was deleted here; "
				        "set to none",
				        name, a->uuid, a->t->cols[i]);
				if (!rc && !strcmp(a->t->cols[i], "parent"))
					rc = ap_park_at(a, a->uuid, "parent",
					                a->clock, v);
			} else if (!rc && !refs[i] &&
			           !strcmp(a->t->ref[i], "item"))
				/* Kept aside: it comes back if its item
				 * does. */
				return ap_park_row(a, a->t, a->uuid,
				                   json_string_value(v), value,
				                   a->clock);
			else if (!rc && !refs[i])
				return ap_conflict(
				        a,
				        "%s %s belongs to a row deleted "
				        "here: not applied",
				        name, a->uuid);
		}
	}
	if (rc)
		return rc;
	if (!strcmp(name, "edge")) {
		item = refs[col_index(a->t, "item")];
		prereq = refs[col_index(a->t, "prereq")];
		if ((rc = edge_allowed(a, item, prereq, &ok)) || !ok)
			return rc ? rc
			          : ap_keep_out(a, value, a->uuid, a->clock);
	}
	for (int i = 1; a->t->cols[i] && i < 64; i++) {
		if (!json_object_get(value, a->t->cols[i]))
			continue;
		buf_addf(&cols, "%s\"%s\"", n ? ", " : "", a->t->cols[i]);
		buf_addf(&vals, "%s?", n ? ", " : "");
		n++;
	}
	/* A row sync makes never takes an id the journal has seen (one an
	 * event not yet turned may still name): past the table's and the
	 * journal's highest.  Items never reuse ids anyway. */
	if (strcmp(name, "item"))
		buf_addf(&q,
		         "INSERT INTO \"%s\"(id, %s) VALUES(1 + max("
		         "(SELECT coalesce(max(id), 0) FROM \"%s\"), "
		         "(SELECT coalesce(max(entity_id), 0) FROM event WHERE "
		         "entity = '%s')), %s)",
		         name, cols.buf, name, name, vals.buf);
	else
		buf_addf(&q, "INSERT INTO \"%s\"(%s) VALUES(%s)", name,
		         cols.buf, vals.buf);
	rc = store_prepare(a->s->st, &st, q.buf, a->s->err);
	buf_release(&q);
	buf_release(&cols);
	buf_release(&vals);
	if (rc)
		return rc;
	n = 0;
	for (int i = 1; a->t->cols[i] && i < 64; i++) {
		json_t *v = json_object_get(value, a->t->cols[i]);

		if (!v)
			continue;
		n++;
		if (a->t->ref[i] && json_is_string(v)) {
			if (refs[i])
				sqlite3_bind_int64(st, n, refs[i]);
			else
				sqlite3_bind_null(st, n);
		} else {
			sync_bind_json(st, n, v);
		}
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT && a->t->key[0] &&
	    (rc = same_key(a, refs, value, local)) <= 0)
		return rc; /* the row is here under its key: it is this one */
	if (rc != SQLITE_DONE)
		return ap_conflict(a, "%s %s refused here (%s): not applied",
		                   name, a->uuid, sqlite3_errmsg(a->s->st->db));
	a->res->applied++;
	*local = sqlite3_last_insert_rowid(a->s->st->db);
	return sync_map_put(a->s, name, *local, a->uuid);
}

/* A row just made from value at the operation's clock. */
int
ap_row_clocks(struct apply *a, json_t *value)
{
	const char *field;
	json_t *v;
	int rc;

	if (a->t->set)
		return sync_clock_put(a->s, a->uuid, "+", a->clock);
	if ((rc = sync_clock_put(a->s, a->uuid, "", a->clock)))
		return rc;
	json_object_foreach(value, field, v)
	{
		if ((rc = sync_clock_put(a->s, a->uuid, field, a->clock)))
			return rc;
	}
	return 0;
}

static int
op_put(struct apply *a, json_t *value, int add)
{
	char tomb[CAIRN_HLC_LEN];
	const char *field;
	int64_t local;
	int rc, here = 0;
	json_t *v;

	if (!json_is_object(value))
		return cairn_err_set(a->s->err, CAIRN_EINVAL,
		                     "sync: operation %s has no row", a->uuid);
	if ((rc = sync_map_find(a->s, a->t->jt->name, a->uuid, &local)))
		return rc;
	if (local && (rc = ap_row_exists(a, local, &here)))
		return rc;
	if (here) {
		if (add) {
			char cur[CAIRN_HLC_LEN];

			if ((rc = sync_clock_get(a->s, a->uuid, "+", cur)))
				return rc;
			if (strcmp(cur, a->clock) < 0)
				rc = sync_clock_put(a->s, a->uuid, "+",
				                    a->clock);
			a->res->ignored++;
			return rc;
		}
		json_object_foreach(value, field, v)
		{
			if ((rc = ap_apply_field(a, local, field, v)))
				return rc;
		}
		/* A put is the row's add too, here already or not: a delete
		 * older than it (that did not see it) must leave the row. */
		{
			char cur[CAIRN_HLC_LEN];

			if ((rc = sync_clock_get(a->s, a->uuid, "", cur)))
				return rc;
			if (strcmp(cur, a->clock) < 0)
				rc = sync_clock_put(a->s, a->uuid, "",
				                    a->clock);
		}
		return rc;
	}
	if ((rc = sync_clock_get(a->s, a->uuid, "-", tomb)))
		return rc;
	if (tomb[0] && strcmp(tomb, a->clock) >= 0) {
		a->res->ignored++;
		return 0;
	}
	if ((rc = ap_insert_row(a, value, &local)) || !local)
		return rc;
	if ((rc = ap_row_clocks(a, value)))
		return rc;
	if (a->t->set)
		return 0;
	if ((rc = ap_unpark(a, local)))
		return rc;
	return strcmp(a->t->jt->name, "item") ? 0 : ap_unpark_item(a, local);
}

static int
op_set(struct apply *a, const char *field, json_t *v)
{
	char tomb[CAIRN_HLC_LEN];
	int64_t local;
	int rc, here = 0;

	if ((rc = sync_map_find(a->s, a->t->jt->name, a->uuid, &local)))
		return rc;
	if (local && (rc = ap_row_exists(a, local, &here)))
		return rc;
	if (here)
		return ap_apply_field(a, local, field, v);
	if ((rc = sync_clock_get(a->s, a->uuid, "-", tomb)))
		return rc;
	if (!tomb[0] || strcmp(tomb, a->clock) >= 0) {
		a->res->ignored++;
		return 0;
	}
	if ((rc = ap_park_at(a, a->uuid, field, a->clock, v)))
		return rc;
	return ap_conflict(a,
	                   "%s of %s %s changed after it was deleted: the "
	                   "delete stands",
	                   field, a->t->jt->name, a->uuid);
}

static int
op_del(struct apply *a, json_t *value, int rm)
{
	char cur[CAIRN_HLC_LEN], tomb[CAIRN_HLC_LEN];
	const char *seen = a->clock;
	int64_t local;
	int rc, here = 0;

	if (rm) {
		json_t *v = json_object_get(value, "seen");

		if (!json_is_string(v) || !cairn_hlc_ok(json_string_value(v)))
			return cairn_err_set(a->s->err, CAIRN_EINVAL,
			                     "sync: remove %s names no add",
			                     a->uuid);
		seen = json_string_value(v);
		if ((rc = sync_clock_get(a->s, a->uuid, "+", cur)))
			return rc;
		if (cur[0] && strcmp(cur, seen) > 0) {
			/* An add this remove did not see: it stays. */
			a->res->ignored++;
			return 0;
		}
	}
	if ((rc = sync_clock_get(a->s, a->uuid, "-", tomb)))
		return rc;
	if (!tomb[0] || strcmp(seen, tomb) > 0)
		if ((rc = sync_clock_put(a->s, a->uuid, "-", seen)))
			return rc;
	if (!rm) {
		/* A row put back (an undo) after this delete stays. */
		if ((rc = sync_clock_get(a->s, a->uuid, "", cur)))
			return rc;
		if (cur[0] && strcmp(cur, a->clock) > 0) {
			a->res->ignored++;
			return 0;
		}
	}
	if ((rc = sync_map_find(a->s, a->t->jt->name, a->uuid, &local)))
		return rc;
	if (local && (rc = ap_row_exists(a, local, &here)))
		return rc;
	if (!here) {
		a->res->ignored++;
		return 0;
	}
	if (!rm && (rc = ap_park_newer(a, local)))
		return rc;
	if (!strcmp(a->t->jt->name, "item") &&
	    ((rc = ap_orphans(a, local)) || (rc = ap_park_rows(a, local))))
		return rc;
	a->res->applied++;
	return del_row(a, a->t->jt->name, local);
}

static const char *
op_text(json_t *op, const char *key)
{
	json_t *v = json_object_get(op, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
apply_one(struct apply *a)
{
	const char *id = op_text(a->op, "id");
	const char *replica = op_text(a->op, "replica");
	const char *entity = op_text(a->op, "entity");
	const char *action = op_text(a->op, "action");
	const char *field = op_text(a->op, "field");
	json_t *value = json_object_get(a->op, "value");
	sqlite3_stmt *q;
	int rc, fresh;

	a->uuid = op_text(a->op, "uuid");
	a->clock = op_text(a->op, "clock");
	if (!id || !replica || !a->uuid || !action || !entity ||
	    !cairn_uuid_ok(id) || !cairn_uuid_ok(a->uuid) ||
	    !cairn_hlc_ok(a->clock))
		return cairn_err_set(a->s->err, CAIRN_EINVAL,
		                     "sync: malformed operation %s",
		                     id ? id : "(no id)");
	if (!strcmp(replica, a->s->replica))
		return 0;
	if ((rc = store_prepare(a->s->st, &q,
	                        "INSERT OR IGNORE INTO sync_seen(id) VALUES(?)",
	                        a->s->err)))
		return rc;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
	rc = store_step(a->s->st, q, "note the operation", a->s->err);
	fresh = sqlite3_changes(a->s->st->db) > 0;
	sqlite3_finalize(q);
	if (rc)
		return rc;
	if (!fresh) {
		a->res->ignored++;
		return 0;
	}
	sync_observe(a->s, a->clock);
	if (!(a->t = sync_table(a->s, entity))) {
		a->res->ignored++; /* a table of a newer schema */
		return 0;
	}
	if (!strcmp(action, "put") || !strcmp(action, "add"))
		return op_put(a, value, !strcmp(action, "add"));
	if (!strcmp(action, "set") && field)
		return op_set(a, field, value);
	if (!strcmp(action, "del") || !strcmp(action, "rm"))
		return op_del(a, value, !strcmp(action, "rm"));
	return cairn_err_set(a->s->err, CAIRN_EINVAL,
	                     "sync: operation %s: unknown action '%s'", id,
	                     action);
}

int
cairn_sync_apply(struct cairn_store *st, json_t *ops,
                 struct cairn_sync_result *res, struct cairn_err *err)
{
	struct apply a = {.res = res};
	struct sync s;
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!json_is_array(ops))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "sync: operations are not a list");
	if ((rc = cairn_store_begin(st, "sync", err)))
		return rc;
	a.s = &s;
	if ((rc = sync_open(&s, st, err)) || (rc = sync_mark_change(&s)) ||
	    (rc = sync_generate(&s)))
		goto done;
	for (i = 0; i < json_array_size(ops) && !rc; i++) {
		a.op = json_array_get(ops, i);
		if (!json_is_object(a.op))
			rc = cairn_err_set(
			        err, CAIRN_EINVAL,
			        "sync: operation %zu is not an object", i + 1);
		else
			rc = apply_one(&a);
	}
	if (!rc)
		rc = ap_flush_deferred(&a);
	else
		ap_flush_deferred_drop(&a);
	if (!rc)
		rc = ap_retry_kept_out(&a);
	if (!rc) {
		struct buf label = BUF_INIT;

		buf_addf(&label, "sync: %zu operation%s applied", res->applied,
		         res->applied == 1 ? "" : "s");
		if (a.label.len)
			buf_adds(&label, a.label.buf);
		rc = cairn_change_label(st, label.buf, err);
		buf_release(&label);
	}
done:
	rc = sync_done(&s, rc);
	buf_release(&a.label);
	return sync_finish(st, rc, err);
}
