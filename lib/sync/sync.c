/*
 * sync.c: the session sync keeps over a store: its bookkeeping values,
 * its hybrid logical clock, the synced tables with their references
 * (read from the schema's foreign keys, so a table or column added by a
 * migration syncs without being named here), the uuid of each local row,
 * and each field's clock.  What becomes operations is in outbox.c; what
 * applies them, in apply.c.
 *
 * The only hand-kept lists: which journalled tables are sets (their
 * members are added and removed, add-wins) and which columns name a row
 * on every replica (so that two replicas adding the same tag, edge or
 * paper key make one row, not two).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "cairn/core/item.h"
#include "cairn/core/time.h"
#include "sync/sync-int.h"
#include "banned.h"

static const char *const key_item_name[] = {"item", "name", NULL};
static const char *const key_edge[] = {"item", "prereq", NULL};
static const char *const key_item_paper[] = {"item", "paper", NULL};
static const char *const key_key[] = {"key", NULL};
static const char *const key_none[] = {NULL};

static const struct {
	const char *name;
	int set;
	const char *const *key;
} kinds[] = {
        {"tag", 1, key_item_name},
        {"link", 1, key_none},
        {"note", 1, key_none},
        {"edge", 1, key_edge},
        {"item_paper", 1, key_item_paper},
        {"metric", 0, key_item_name},
        {"paper", 0, key_key},
        {"setting", 0, key_key},
};

/* A journalled table that is this store's own and not the roadmap's: the
 * base of the last Markdown import of each item. */
static int
local_only(const char *name)
{
	return !strcmp(name, "import_base");
}

static const char *const sql[SQ_COUNT] = {
        [SQ_MAP_GET] = "SELECT uuid FROM sync_row WHERE entity = ? AND "
                       "local = ?",
        [SQ_MAP_FIND] = "SELECT local FROM sync_row WHERE entity = ? AND "
                        "uuid = ?",
        [SQ_MAP_PUT] = "INSERT OR REPLACE INTO sync_row(entity, local, uuid) "
                       "VALUES(?, ?, ?)",
        [SQ_MAP_GONE] = "INSERT OR REPLACE INTO sync_row_gone(entity, local, "
                        "uuid, row) SELECT entity, local, uuid, ?3 FROM "
                        "sync_row WHERE entity = ?1 AND local = ?2",
        [SQ_MAP_MOVE] = "INSERT OR REPLACE INTO sync_row_gone(entity, local, "
                        "uuid) SELECT entity, local, uuid FROM sync_row "
                        "WHERE entity = ?1 AND uuid = ?3 AND local <> ?2",
        [SQ_MAP_DEL] = "DELETE FROM sync_row WHERE entity = ? AND local = ?",
        [SQ_CLOCK_GET] = "SELECT clock FROM sync_clock WHERE uuid = ? AND "
                         "field = ?",
        [SQ_CLOCK_PUT] = "INSERT OR REPLACE INTO sync_clock(uuid, field, "
                         "clock) VALUES(?, ?, ?)",
        [SQ_OUT_PUT] = "INSERT INTO sync_out(op) VALUES(?)",
        [SQ_VIS] = "SELECT visibility FROM item WHERE id = ?",
};

int
sync_sqlerr(struct sync *s, const char *what)
{
	return store_sqlerr(s->st, s->err, what);
}

int
cairn_sync_state_get(struct cairn_store *st, const char *key, struct buf *out,
                     struct cairn_err *err)
{
	return store_kv_get(st, "sync_state", "sync value", key, out, err);
}

int
cairn_sync_state_set(struct cairn_store *st, const char *key, const char *value,
                     struct cairn_err *err)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(
	             st, &q,
	             value ? "INSERT OR REPLACE INTO sync_state(key, "
	                     "value) VALUES(?1, ?2)"
	                   : "DELETE FROM sync_state WHERE key = ?1",
	             err)))
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
	if (value)
		sqlite3_bind_text(q, 2, value, -1, SQLITE_TRANSIENT);
	rc = store_step(st, q, "save the sync state", err);
	sqlite3_finalize(q);
	return rc;
}

/* ---- the clock ---- */

static int
hlc_parse(const char *s, struct hlc *out)
{
	unsigned long long wall;
	unsigned count;
	char rep[9];
	int n = 0;

	if (!s || strlen(s) != 30 ||
	    sscanf(s, "%16llx.%4x.%8[0-9a-f]%n", &wall, &count, rep, &n) != 3 ||
	    n != 30 || s[16] != '.' || s[21] != '.' ||
	    strspn(s, "0123456789abcdef.") != 30)
		return -1;
	out->wall = wall;
	out->count = count;
	return 0;
}

int
cairn_hlc_ok(const char *s)
{
	struct hlc h;

	return hlc_parse(s, &h) == 0;
}

static void
hlc_format(const struct hlc *h, const char *replica, char out[CAIRN_HLC_LEN])
{
	snprintf(out, CAIRN_HLC_LEN, "%016llx.%04x.%.8s",
	         (unsigned long long)h->wall, h->count, replica);
}

void
sync_tick(struct sync *s, uint64_t ms, char out[CAIRN_HLC_LEN])
{
	if (ms > s->last.wall) {
		s->last.wall = ms;
		s->last.count = 0;
	} else if (++s->last.count > 0xffff) {
		s->last.wall++;
		s->last.count = 0;
	}
	hlc_format(&s->last, s->replica, out);
}

void
sync_observe(struct sync *s, const char *clock)
{
	struct hlc h;

	if (hlc_parse(clock, &h))
		return;
	if (h.wall > s->last.wall ||
	    (h.wall == s->last.wall && h.count > s->last.count))
		s->last = h;
}

/* ---- tables ---- */

static int
read_refs(struct sync *s, struct stable *t)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	while (t->cols[n])
		n++;
	t->ref = xcalloc(n + 1, sizeof(*t->ref));
	t->cascade = xcalloc(n + 1, sizeof(*t->cascade));
	buf_addf(&q,
	         "SELECT \"table\", \"from\", on_delete = 'CASCADE' FROM "
	         "pragma_foreign_key_list('%s')",
	         t->jt->name);
	rc = store_prepare(s->st, &st, q.buf, s->err);
	buf_release(&q);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *to = store_col_text(st, 0);
		const char *from = store_col_text(st, 1);
		const struct jtable *jt = cairn_jtable_find(to);

		for (size_t i = 0; i < n && jt; i++)
			if (!strcmp(t->cols[i], from)) {
				t->ref[i] = jt->name;
				t->cascade[i] = sqlite3_column_int(st, 2);
			}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sync_sqlerr(s, "read the schema");
}

const struct stable *
sync_table(const struct sync *s, const char *name)
{
	for (size_t i = 0; i < s->nt; i++)
		if (!strcmp(s->t[i].jt->name, name))
			return &s->t[i];
	return NULL;
}

int
sync_open(struct sync *s, struct cairn_store *st, struct cairn_err *err)
{
	struct buf v = BUF_INIT;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->st = st;
	s->err = err;
	for (const struct jtable *jt = cairn_jtables; jt->name; jt++)
		s->nt++;
	s->t = xcalloc(s->nt, sizeof(*s->t));
	s->nt = 0;
	for (const struct jtable *jt = cairn_jtables; jt->name && !rc; jt++) {
		struct stable *t = &s->t[s->nt];

		if (local_only(jt->name))
			continue;
		t->jt = jt;
		t->key = key_none;
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (!strcmp(kinds[k].name, jt->name)) {
				t->set = kinds[k].set;
				t->key = kinds[k].key;
			}
		s->nt++;
		if (!(rc = store_jcols(st, jt, &t->cols, err)))
			rc = read_refs(s, t);
	}
	for (int i = 0; i < SQ_COUNT && !rc; i++)
		rc = store_prepare(st, &s->q[i], sql[i], err);
	if (rc)
		return rc;
	rc = cairn_sync_state_get(st, "replica", &v, err);
	if (rc == CAIRN_ENOTFOUND) {
		uuid_t u;

		uuid_generate_random(u);
		uuid_unparse_lower(u, s->replica);
		rc = cairn_sync_state_set(st, "replica", s->replica, err);
	} else if (!rc) {
		snprintf(s->replica, sizeof(s->replica), "%s", v.buf);
	}
	buf_reset(&v);
	if (!rc && !cairn_sync_state_get(st, "clock", &v, err))
		hlc_parse(v.buf, &s->last);
	buf_release(&v);
	return rc;
}

int
sync_done(struct sync *s, int rc)
{
	char clock[CAIRN_HLC_LEN];

	if (!rc && s->last.wall) {
		hlc_format(&s->last, s->replica, clock);
		rc = cairn_sync_state_set(s->st, "clock", clock, s->err);
	}
	for (int i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(s->q[i]);
	for (size_t i = 0; i < s->nt; i++) {
		free(s->t[i].ref);
		free(s->t[i].cascade);
	}
	free(s->t);
	return rc;
}

/* ---- uuids and clocks of rows ---- */

static int
text_query(struct sync *s, int which, const char *a, int64_t b,
           const char *btext, char *out, size_t outlen)
{
	sqlite3_stmt *q = s->q[which];
	int rc;

	sqlite3_bind_text(q, 1, a, -1, SQLITE_TRANSIENT);
	if (btext)
		sqlite3_bind_text(q, 2, btext, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(q, 2, b);
	out[0] = '\0';
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(out, outlen, "%s", store_col_text(q, 0));
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : sync_sqlerr(s, "read the sync state");
	sqlite3_reset(q);
	return rc;
}

int
sync_map_get(struct sync *s, const char *entity, int64_t local, char out[37])
{
	return text_query(s, SQ_MAP_GET, entity, local, NULL, out, 37);
}

int
sync_map_find(struct sync *s, const char *entity, const char *uuid,
              int64_t *local)
{
	char v[24];
	int rc = text_query(s, SQ_MAP_FIND, entity, 0, uuid, v, sizeof(v));

	*local = rc || !v[0] ? 0 : strtoll(v, NULL, 10);
	return rc;
}

static int
run3(struct sync *s, int which, const char *a, int64_t b, const char *c)
{
	sqlite3_stmt *q = s->q[which];

	sqlite3_bind_text(q, 1, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, b);
	if (c)
		sqlite3_bind_text(q, 3, c, -1, SQLITE_TRANSIENT);
	return store_step(s->st, q, "save the sync state", s->err);
}

int
sync_map_put(struct sync *s, const char *entity, int64_t local,
             const char *uuid)
{
	/* The row that had the uuid (gone, then kept aside for its item
	 * and back under a new id) keeps it as the one it had. */
	int rc = run3(s, SQ_MAP_MOVE, entity, local, uuid);

	return rc ? rc : run3(s, SQ_MAP_PUT, entity, local, uuid);
}

int
sync_map_del(struct sync *s, const char *entity, int64_t local, json_t *wire)
{
	char *text =
	        wire ? json_dumps(wire, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	sqlite3_stmt *q = s->q[SQ_MAP_GONE];
	int rc;

	sqlite3_bind_text(q, 1, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, local);
	if (text)
		sqlite3_bind_text(q, 3, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, 3);
	free(text);
	rc = store_step(s->st, q, "save the sync state", s->err);
	return rc ? rc : run3(s, SQ_MAP_DEL, entity, local, NULL);
}

int
sync_clock_get(struct sync *s, const char *uuid, const char *field,
               char out[CAIRN_HLC_LEN])
{
	return text_query(s, SQ_CLOCK_GET, uuid, 0, field, out, CAIRN_HLC_LEN);
}

int
sync_clock_put(struct sync *s, const char *uuid, const char *field,
               const char *clock)
{
	sqlite3_stmt *q = s->q[SQ_CLOCK_PUT];

	sqlite3_bind_text(q, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, field, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, clock, -1, SQLITE_TRANSIENT);
	return store_step(s->st, q, "save the sync state", s->err);
}

void
sync_row_uuid(const struct stable *t, json_t *wire, char out[37])
{
	static const char ns_text[] = "6b1e8a52-3c1f-4f0e-9a57-2f4c0d7b9e11";
	struct buf name = BUF_INIT;
	uuid_t ns, u;
	json_t *v;

	if (!strcmp(t->jt->name, "item") &&
	    (v = json_object_get(wire, "uuid")) && json_is_string(v)) {
		snprintf(out, 37, "%s", json_string_value(v));
		return;
	}
	if (!t->key[0]) {
		uuid_generate_random(u);
		uuid_unparse_lower(u, out);
		return;
	}
	buf_adds(&name, t->jt->name);
	for (const char *const *k = t->key; *k; k++) {
		char *text;

		v = json_object_get(wire, *k);
		text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		buf_addf(&name, "\x1f%s", text ? text : "null");
		free(text);
	}
	uuid_parse(ns_text, ns);
	uuid_generate_sha1(u, ns, name.buf, name.len);
	uuid_unparse_lower(u, out);
	buf_release(&name);
}

/* Is row local of table here? */
int
sync_row_here(struct sync *s, const char *table, int64_t local, int *out)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	buf_addf(&q, "SELECT 1 FROM \"%s\" WHERE id = ?", table);
	rc = store_prepare(s->st, &st, q.buf, s->err);
	buf_release(&q);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, local);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : sync_sqlerr(s, "read the store");
	sqlite3_finalize(st);
	return rc;
}

/* The uuid an item holds in its row ("" when it is not here). */
static int
item_uuid(struct sync *s, int64_t id, char out[37])
{
	sqlite3_stmt *q;
	int rc;

	out[0] = '\0';
	if ((rc = store_prepare(s->st, &q, "SELECT uuid FROM item WHERE id = ?",
	                        s->err)))
		return rc;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(q, 0) == 36)
		snprintf(out, 37, "%s",
		         (const char *)sqlite3_column_text(q, 0));
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : sync_sqlerr(s, "read the store");
	sqlite3_finalize(q);
	return rc;
}

int
sync_to_wire(struct sync *s, const struct stable *t, json_t *row, json_t **out)
{
	json_t *w = json_object();
	int rc = 0;

	for (size_t i = 1; t->cols[i] && !rc; i++) {
		json_t *v = json_object_get(row, t->cols[i]);
		char u[37];

		if (!v)
			continue;
		if (t->ref[i] && json_is_integer(v)) {
			rc = sync_map_get(s, t->ref[i], json_integer_value(v),
			                  u);
			/* An item not yet shared (the first sync's snapshot
			 * reaches a parent after its child) has its own. */
			if (!rc && !u[0] && !strcmp(t->ref[i], "item"))
				rc = item_uuid(s, json_integer_value(v), u);
			json_object_set_new(w, t->cols[i],
			                    u[0] ? json_string(u)
			                         : json_null());
		} else {
			json_object_set(w, t->cols[i], v);
		}
	}
	if (rc) {
		json_decref(w);
		return rc;
	}
	*out = w;
	return 0;
}

void
sync_bind_json(sqlite3_stmt *q, int i, json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text(q, i, json_string_value(v), -1,
		                  SQLITE_TRANSIENT);
	else if (json_is_integer(v))
		sqlite3_bind_int64(q, i, json_integer_value(v));
	else if (json_is_real(v))
		sqlite3_bind_double(q, i, json_real_value(v));
	else if (json_is_boolean(v))
		sqlite3_bind_int(q, i, json_is_true(v));
	else
		sqlite3_bind_null(q, i);
}

/* ---- what a front end shows ---- */

int
cairn_sync_status_get(struct cairn_store *st, struct cairn_sync_status *out,
                      struct cairn_err *err)
{
	struct buf v = BUF_INIT;
	int64_t after = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!cairn_sync_state_get(st, "replica", &v, err))
		snprintf(out->replica, sizeof(out->replica), "%s", v.buf);
	buf_reset(&v);
	rc = cairn_sync_state_get(st, "events", &v, err);
	if (!rc)
		after = strtoll(v.buf, NULL, 10);
	buf_release(&v);
	{
		sqlite3_stmt *q;

		if ((rc = store_prepare(
		             st, &q,
		             "SELECT (SELECT count(DISTINCT e.change) FROM "
		             "event "
		             "e WHERE e.id > ?1 AND NOT EXISTS (SELECT 1 FROM "
		             "sync_applied a WHERE a.change = e.change)), "
		             "(SELECT count(*) FROM sync_out), "
		             "(SELECT count(*) FROM sync_conflict)",
		             err)))
			return rc;
		sqlite3_bind_int64(q, 1, out->replica[0] ? after : 0);
		if (sqlite3_step(q) == SQLITE_ROW) {
			out->pending = sqlite3_column_int64(q, 0) +
			               sqlite3_column_int64(q, 1);
			out->conflicts = sqlite3_column_int64(q, 2);
			rc = 0;
		} else {
			rc = store_sqlerr(st, err, "read the sync state");
		}
		sqlite3_finalize(q);
	}
	return rc;
}

int
cairn_sync_conflicts(struct cairn_store *st, cairn_sync_conflict_fn fn,
                     void *ctx, struct cairn_err *err)
{
	struct cairn_sync_conflict c;
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(st, &q,
	                        "SELECT id, time, item, what FROM "
	                        "sync_conflict ORDER BY id",
	                        err)))
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(q, 0);
		c.time = store_col_text(q, 1);
		c.item = (const char *)sqlite3_column_text(q, 2);
		c.what = store_col_text(q, 3);
		if ((rc = fn(ctx, &c)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read conflicts");
out:
	sqlite3_finalize(q);
	return rc;
}

int
cairn_sync_row_uuid(struct cairn_store *st, const char *entity, int64_t local,
                    char out[37], struct cairn_err *err)
{
	sqlite3_stmt *q;
	int rc;

	out[0] = '\0';
	if ((rc = store_prepare(st, &q,
	                        "SELECT uuid FROM sync_row WHERE entity = ? "
	                        "AND local = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(q, 1, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, local);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(out, 37, "%s", store_col_text(q, 0));
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : store_sqlerr(st, err, "read the sync state");
	sqlite3_finalize(q);
	return rc;
}

int
cairn_sync_row_local(struct cairn_store *st, const char *entity,
                     const char *uuid, int64_t *local, struct cairn_err *err)
{
	sqlite3_stmt *q;
	int rc;

	*local = 0;
	if ((rc = store_prepare(st, &q,
	                        "SELECT local FROM sync_row WHERE entity = ? "
	                        "AND uuid = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(q, 1, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, uuid, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*local = sqlite3_column_int64(q, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : store_sqlerr(st, err, "read the sync state");
	sqlite3_finalize(q);
	return rc;
}

/* Whether sync knows a row with that uuid, here or deleted since. */
static int
uuid_known(struct cairn_store *st, const char *entity, const char *uuid,
           int *known, struct cairn_err *err)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = store_prepare(st, &q,
	                        "SELECT EXISTS (SELECT 1 FROM sync_row WHERE "
	                        "entity = ?1 AND uuid = ?2) OR EXISTS (SELECT "
	                        "1 FROM sync_clock WHERE uuid = ?2)",
	                        err)))
		return rc;
	sqlite3_bind_text(q, 1, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, uuid, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	*known = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
	rc = rc == SQLITE_ROW ? 0
	                      : store_sqlerr(st, err, "read the sync state");
	sqlite3_finalize(q);
	return rc;
}

int
cairn_sync_note_add(struct cairn_store *st, const struct cairn_sync_note *n,
                    const char *const *kv, int *added, struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	sqlite3_stmt *q = NULL;
	char now[CAIRN_TS_LEN];
	int64_t item = 0;
	int rc, known = 0;

	*added = 0;
	cairn_now(now);
	if ((rc = cairn_note_check(n->text, err)) ||
	    (rc = cairn_text_check("author", n->author, 1, err)) ||
	    (rc = cairn_line_check("author", n->author, err)))
		return rc;
	buf_addf(&label, "note from %s", n->author);
	if ((rc = cairn_store_begin(st, label.buf, err)))
		goto done;
	if ((rc = cairn_sync_row_local(st, "item", n->item, &item, err)) ||
	    !item || (rc = uuid_known(st, "note", n->note_uuid, &known, err)) ||
	    known)
		goto out;
	if ((rc = store_prepare(st, &q,
	                        "INSERT INTO note(item, created, text, author) "
	                        "VALUES(?, ?, ?, ?)",
	                        err)))
		goto out;
	sqlite3_bind_int64(q, 1, item);
	sqlite3_bind_text(q, 2, n->time ? n->time : now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, n->text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, n->author, -1, SQLITE_TRANSIENT);
	if ((rc = store_step(st, q, "add the note", err)))
		goto out;
	/* The outbox keeps a uuid a row has already (emit_insert). */
	sqlite3_finalize(q);
	if ((rc = store_prepare(st, &q,
	                        "INSERT INTO sync_row(entity, local, uuid) "
	                        "VALUES('note', last_insert_rowid(), ?)",
	                        err)))
		goto out;
	sqlite3_bind_text(q, 1, n->note_uuid, -1, SQLITE_TRANSIENT);
	if (!(rc = store_step(st, q, "add the note", err)))
		*added = 1;
out:
	sqlite3_finalize(q);
	for (; !rc && kv && kv[0]; kv += 2)
		rc = cairn_sync_state_set(st, kv[0], kv[1], err);
	rc = store_finish(st, rc, err);
	if (rc)
		*added = 0;
done:
	buf_release(&label);
	return rc;
}
