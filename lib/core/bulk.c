/*
 * bulk.c: the bulk writer every importer goes through.  It adds items
 * and their attachments with prepared statements kept for the whole
 * import, matches items by uuid and attachments by content so that an
 * input imported twice adds nothing, and checks the graph once at the
 * end instead of once per edge.  An importer may let the rows wait and
 * go out many to a statement (imp_batch_begin).
 *
 * It lives in lib/core/, not lib/fmt/: it is no format but the batch
 * variant of item.c's and edge.c's writes, applying the same pure
 * validators (cairn_item_check, cairn_tag_check, cairn_link_check,
 * cairn_note_check), and every format's importer sits on top of it.
 *
 * Invariants: runs inside the importer's change (the journal triggers
 * record every row); validates each value before it reaches SQL, with
 * the schema's CHECK constraints as a second line; an existing item only
 * changes in the fields the importer states (enum imp_field); rows that
 * wait are written, in the order they were made, before anything reads
 * or updates their tables.
 *
 * Workload: up to a few hundred thousand items per import; each item
 * costs a handful of indexed row inserts (64 items to a statement when
 * batched), and the cycle check is linear in items and edges.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bulk.h"
#include "banned.h"

static const char *const imp_sql[IMP_NSTMT] = {
        [IMP_FIND_UUID] = "SELECT " ITEM_COLS " FROM item WHERE uuid = ?",
        [IMP_INSERT] =
                "INSERT INTO item(uuid, kind, title, body, parent, status, "
                "why, scope, p_success, novelty, optimistic, likely, "
                "pessimistic, due, likelihood, driven, visibility, created, "
                "started, finished, rank) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
                "?20, ?21)",
        [IMP_UPDATE] =
                "UPDATE item SET kind = ?2, title = ?3, body = ?4, "
                "parent = ?5, status = ?6, why = ?7, scope = ?8, "
                "p_success = ?9, novelty = ?10, optimistic = ?11, "
                "likely = ?12, pessimistic = ?13, due = ?14, "
                "likelihood = ?15, driven = ?16, visibility = ?17, "
                "created = ?18, started = ?19, finished = ?20, rank = ?21 "
                "WHERE id = ?22 AND (kind, title, body, parent, status, why, "
                "scope, p_success, novelty, optimistic, likely, pessimistic, "
                "due, likelihood, driven, visibility, created, started, "
                "finished, rank) IS NOT (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        [IMP_HAS_NOTE] = "SELECT 1 FROM note WHERE item = ? AND text = ?",
        [IMP_HAS_TAG] = "SELECT 1 FROM tag WHERE item = ? AND name = ?",
        [IMP_HAS_EDGE] = "SELECT 1 FROM edge WHERE item = ? AND prereq = ?",
        [IMP_HAS_LINK] = "SELECT 1 FROM link WHERE item = ? AND url = ? "
                         "AND label IS ?",
        [IMP_LINK] = "INSERT INTO link(item, url, label, created) "
                     "VALUES(?, ?, ?, ?)",
        [IMP_PARENT_SET] = "UPDATE item SET parent = ?1 WHERE id = ?2 "
                           "AND parent IS NOT ?1",
};

/*
 * The batched tables (enum IMP_B_*): the INSERT up to VALUES, the columns
 * of a row, what a failure says, and whether rows are counted by what
 * SQLite inserted (OR IGNORE) rather than by call.
 */
static const struct {
	const char *head;
	int ncols;
	const char *what;
	int counted;
} batch_def[IMP_NB] = {
        [IMP_B_ITEM] = {"INSERT INTO item(id, uuid, kind, title, body, "
                        "parent, status, why, scope, p_success, novelty, "
                        "optimistic, likely, pessimistic, due, likelihood, "
                        "driven, visibility, created, started, finished, "
                        "rank) VALUES",
                        22, "add an item", 0},
        [IMP_B_STATEMENT] = {"INSERT INTO statement(item, created, text) "
                             "VALUES",
                             3, "record the statement", 0},
        [IMP_B_TAG] = {"INSERT OR IGNORE INTO tag(item, name) VALUES", 2,
                       "tag an item", 1},
        [IMP_B_NOTE] = {"INSERT INTO note(item, created, text) VALUES", 3,
                        "add a note", 0},
        [IMP_B_EDGE] = {"INSERT OR IGNORE INTO edge(item, prereq, created) "
                        "VALUES",
                        3, "add an edge", 1},
};

void
imp_init(struct imp *im, struct cairn_store *st,
         const struct cairn_import_opts *opts,
         struct cairn_import_result *stats, struct cairn_err *err)
{
	memset(im, 0, sizeof(*im));
	im->st = st;
	im->err = err;
	im->opts = opts;
	im->stats = stats;
	im->source = opts->source ? opts->source : "input";
	cairn_now(im->now);
	if (st && cairn_item_max_id(st, &im->fresh_from, NULL))
		im->fresh_from = INT64_MAX;
}

void
imp_release(struct imp *im)
{
	for (int b = 0; b < IMP_NB; b++) {
		struct imp_batch *bt = &im->batch[b];

		for (int k = 0; k <= IMP_BATCH_LOG; k++)
			sqlite3_finalize(bt->stmt[k]);
		free(bt->rows);
		free(bt->items);
		buf_release(&bt->text);
		memset(bt, 0, sizeof(*bt));
	}
	strmap_release(&im->added);
	strmap_release(&im->unchanged);
	store_bulk_free(im->bulk);
	im->bulk = NULL;
	for (int i = 0; i < IMP_NSTMT; i++)
		sqlite3_finalize(im->stmt[i]);
	memset(im->stmt, 0, sizeof(im->stmt));
	for (int i = 0; i < 16; i++) {
		sqlite3_finalize(im->cache_stmt[i]);
		free(im->cache_sql[i]);
		im->cache_stmt[i] = NULL;
		im->cache_sql[i] = NULL;
	}
}

int
imp_prepare(struct imp *im, const char *sql, sqlite3_stmt **out)
{
	unsigned i;
	int rc;

	/* The caller's SQL may read anything: write what waits first. */
	if ((rc = imp_flush(im)))
		return rc;
	for (i = 0; i < 16; i++) {
		if (im->cache_sql[i] && !strcmp(im->cache_sql[i], sql)) {
			sqlite3_reset(im->cache_stmt[i]);
			sqlite3_clear_bindings(im->cache_stmt[i]);
			*out = im->cache_stmt[i];
			return 0;
		}
	}
	i = im->cache_next++ % 16;
	sqlite3_finalize(im->cache_stmt[i]);
	free(im->cache_sql[i]);
	im->cache_stmt[i] = NULL;
	im->cache_sql[i] = NULL;
	if ((rc = store_prepare(im->st, &im->cache_stmt[i], sql, im->err)))
		return rc;
	im->cache_sql[i] = xstrdup(sql);
	*out = im->cache_stmt[i];
	return 0;
}

/* The cached statement i, reset and with its bindings cleared. */
static int
stmt(struct imp *im, int i, sqlite3_stmt **out)
{
	int rc;

	if (!im->stmt[i] &&
	    (rc = store_prepare(im->st, &im->stmt[i], imp_sql[i], im->err)))
		return rc;
	sqlite3_reset(im->stmt[i]);
	sqlite3_clear_bindings(im->stmt[i]);
	*out = im->stmt[i];
	return 0;
}

static int
step_done(struct imp *im, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, what);
	return 0;
}

static void bind_fields(sqlite3_stmt *s, int o, const struct cairn_item *it);

/* ---- batched inserts ---- */

int
imp_batch_begin(struct imp *im)
{
	sqlite3_stmt *s;
	int rc;

	/* AUTOINCREMENT gives one above the largest id ever used. */
	if ((rc = store_prepare(im->st, &s,
	                        "SELECT max(coalesce((SELECT seq FROM "
	                        "sqlite_sequence WHERE name = 'item'), 0), "
	                        "coalesce((SELECT max(id) FROM item), 0))",
	                        im->err)))
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW) {
		im->next_id = sqlite3_column_int64(s, 0) + 1;
		im->batching = 1;
	} else {
		rc = store_sqlerr(im->st, im->err, "read the store");
	}
	sqlite3_finalize(s);
	return rc;
}

/* The statement inserting 2^k rows into table b. */
static int
batch_stmt(struct imp *im, int b, int k, sqlite3_stmt **out)
{
	struct imp_batch *bt = &im->batch[b];
	struct buf sql = BUF_INIT;
	int rc = 0;

	if (!bt->stmt[k]) {
		buf_adds(&sql, batch_def[b].head);
		for (int r = 0; r < 1 << k; r++) {
			buf_adds(&sql, r ? ", (?" : " (?");
			for (int c = 1; c < batch_def[b].ncols; c++)
				buf_adds(&sql, ", ?");
			buf_addch(&sql, ')');
		}
		rc = store_prepare(im->st, &bt->stmt[k], sql.buf, im->err);
		buf_release(&sql);
	}
	*out = bt->stmt[k];
	return rc;
}

static const char *
row_text(const struct imp_batch *bt, size_t off)
{
	return off == SIZE_MAX ? NULL : bt->text.buf + off;
}

/* Bind row r of table b to parameters o + 1 .. of s. */
static void
batch_bind(struct imp_batch *bt, int b, sqlite3_stmt *s, size_t r, int o)
{
	const struct imp_row *row = &bt->rows[r];

	switch (b) {
	case IMP_B_ITEM:
		sqlite3_bind_int64(s, o + 1, row->a);
		sqlite3_bind_text(s, o + 2, bt->items[r].uuid, -1,
		                  SQLITE_STATIC);
		bind_fields(s, o + 1, &bt->items[r]);
		break;
	case IMP_B_EDGE:
		sqlite3_bind_int64(s, o + 1, row->a);
		sqlite3_bind_int64(s, o + 2, row->b);
		sqlite3_bind_text(s, o + 3, row_text(bt, row->s1), -1,
		                  SQLITE_STATIC);
		break;
	case IMP_B_TAG:
		sqlite3_bind_int64(s, o + 1, row->a);
		sqlite3_bind_text(s, o + 2, row_text(bt, row->s1), -1,
		                  SQLITE_STATIC);
		break;
	default: /* statement, note: item, created, text */
		sqlite3_bind_int64(s, o + 1, row->a);
		sqlite3_bind_text(s, o + 2, row_text(bt, row->s1), -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(s, o + 3, row_text(bt, row->s2), -1,
		                  SQLITE_STATIC);
		break;
	}
}

/* Write the waiting rows of table b, as few statements as can be. */
static int
batch_write(struct imp *im, int b)
{
	struct imp_batch *bt = &im->batch[b];
	size_t r = 0;
	int rc = 0;

	/* The texts stay put now: point the items at theirs. */
	for (size_t i = 0; b == IMP_B_ITEM && i < bt->n; i++) {
		bt->items[i].title = (char *)row_text(bt, bt->rows[i].s1);
		bt->items[i].body = (char *)row_text(bt, bt->rows[i].s2);
		bt->items[i].why = (char *)row_text(bt, bt->rows[i].s3);
	}
	while (r < bt->n && !rc) {
		int k = IMP_BATCH_LOG;
		sqlite3_stmt *s;

		while ((size_t)1 << k > bt->n - r)
			k--;
		if ((rc = batch_stmt(im, b, k, &s)))
			break;
		for (int j = 0; j < 1 << k; j++)
			batch_bind(bt, b, s, r + (size_t)j,
			           j * batch_def[b].ncols);
		if ((rc = step_done(im, s, batch_def[b].what)))
			break;
		if (batch_def[b].counted) {
			int changed = sqlite3_changes(im->st->db);

			im->stats->rows += (size_t)changed;
			if (b == IMP_B_EDGE && changed)
				im->graph_changed = 1;
		}
		r += (size_t)1 << k;
	}
	bt->n = 0;
	buf_reset(&bt->text);
	return rc;
}

int
imp_flush(struct imp *im)
{
	int rc = 0;

	for (int b = 0; b < IMP_NB && !rc && im->st; b++)
		if (im->batch[b].n)
			rc = batch_write(im, b);
	return rc;
}

/* A new row for table b; the caller fills it in. */
static struct imp_row *
batch_row(struct imp *im, int b)
{
	struct imp_batch *bt = &im->batch[b];
	struct imp_row *row;

	if (bt->n == bt->cap) {
		bt->cap = bt->cap ? bt->cap * 2 : IMP_BATCH_MAX;
		bt->rows = xrealloc(bt->rows, bt->cap * sizeof(*bt->rows));
		if (b == IMP_B_ITEM)
			bt->items = xrealloc(bt->items,
			                     bt->cap * sizeof(*bt->items));
	}
	row = &bt->rows[bt->n++];
	row->a = row->b = 0;
	row->s1 = row->s2 = row->s3 = SIZE_MAX;
	return row;
}

/* Keep a copy of text s for the waiting rows of table b. */
static size_t
batch_text(struct imp *im, int b, const char *s)
{
	struct buf *t = &im->batch[b].text;
	size_t off = t->len;

	if (!s)
		return SIZE_MAX;
	buf_add(t, s, strlen(s) + 1);
	return off;
}

/*
 * The row just made for table b is complete: without batching, write it
 * now; with, write everything once enough rows wait (a batch of items,
 * or four of anything else), items first.
 */
static int
batch_done(struct imp *im, int b)
{
	if (!im->batching)
		return batch_write(im, b);
	if (im->batch[b].n >= (b == IMP_B_ITEM ? 1u : 4u) * IMP_BATCH_MAX)
		return imp_flush(im);
	return 0;
}

void
imp_progress(struct imp *im, size_t done, size_t total)
{
	if (!im->opts->progress)
		return;
	if (done < im->progress_next && done != total)
		return;
	im->progress_next = done + (total / 100 ? total / 100 : 1);
	im->opts->progress(im->opts->ctx, done, total);
}

void
imp_created(struct imp *im, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	if (!im->opts->created)
		return;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	im->opts->created(im->opts->ctx, msg.buf);
	buf_release(&msg);
}

void
imp_warn(struct imp *im, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	if (!im->opts->warn)
		return;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	im->opts->warn(im->opts->ctx, msg.buf);
	buf_release(&msg);
}

static int
ts_ok(const char *s)
{
	return !*s || !cairn_ts_check(s, 0);
}

/*
 * cairn_item_check, with the item and the input named: the same rules as
 * the commands, whatever the importer checked before.
 */
static int
check_item(struct imp *im, const struct cairn_item *it)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	const char *t = it->title;
	int rc;

	if (!(rc = cairn_item_check(it, &e)))
		return 0;
	if (t && t[strspn(t, " ")] && !cairn_line_check("", t, NULL))
		return cairn_err_set(im->err, rc, "'%.100s' in '%s': %s", t,
		                     im->source, e.msg);
	return cairn_err_set(im->err, rc, "%s in '%s': %s",
	                     it->uuid[0] ? it->uuid : "an item", im->source,
	                     e.msg);
}

/* Bind the fields after the uuid as ?2 .. ?20, each o further on. */
static void
bind_fields(sqlite3_stmt *s, int o, const struct cairn_item *it)
{
	sqlite3_bind_text(s, o + 2, cairn_kind_name(it->kind), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(s, o + 3, it->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, o + 4, it->body ? it->body : "", -1,
	                  SQLITE_STATIC);
	if (it->parent)
		sqlite3_bind_int64(s, o + 5, it->parent);
	else
		sqlite3_bind_null(s, o + 5);
	sqlite3_bind_text(s, o + 6, cairn_status_name(it->status), -1,
	                  SQLITE_STATIC);
	store_bind_text_or_null(
	        s, o + 7, it->status == CAIRN_STATUS_DROPPED ? it->why : NULL);
	store_bind_opt_int(s, o + 8, it->scope);
	store_bind_opt_double(s, o + 9, it->p_success);
	store_bind_opt_int(s, o + 10, it->novelty);
	for (int k = 0; k < 3; k++)
		store_bind_opt_double(s, o + 11 + k,
		                      it->est[0] < 0 ? -1 : it->est[k]);
	store_bind_text_or_null(s, o + 14, it->due);
	store_bind_opt_double(s, o + 15, it->likelihood);
	store_bind_text_or_null(s, o + 16, cairn_driven_name(it->driven));
	sqlite3_bind_text(s, o + 17, cairn_visibility_name(it->visibility), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(s, o + 18, it->created, -1, SQLITE_STATIC);
	store_bind_text_or_null(s, o + 19, it->started);
	store_bind_text_or_null(s, o + 20, it->finished);
	store_bind_opt_int(s, o + 21, it->rank);
}

static int
add_statement(struct imp *im, int64_t id, const char *created, const char *text)
{
	struct imp_row *row = batch_row(im, IMP_B_STATEMENT);

	row->a = id;
	row->s1 = batch_text(im, IMP_B_STATEMENT, created);
	row->s2 = batch_text(im, IMP_B_STATEMENT, text);
	im->stats->rows++;
	return batch_done(im, IMP_B_STATEMENT);
}

int
imp_find(struct imp *im, const char *uuid, int64_t *id)
{
	sqlite3_stmt *s;
	int64_t *known;
	int rc;

	*id = 0;
	/* Added in this import (maybe still waiting), or in no store. */
	if (im->batching && (known = strmap_get(&im->added, uuid))) {
		*id = *known;
		return 0;
	}
	if (im->batching && im->fresh_from == 0)
		return 0;
	if ((rc = stmt(im, IMP_FIND_UUID, &s)))
		return rc;
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, "find an item");
	return 0;
}

/* Set the time stamps a new status implies, as item.c does. */
static void
stamp_status(struct imp *im, struct cairn_item *to, enum cairn_status old,
             const struct cairn_item *from)
{
	int ends = to->status == CAIRN_STATUS_DONE ||
	           to->status == CAIRN_STATUS_DROPPED;

	if (from && from->started[0])
		memcpy(to->started, from->started, sizeof(to->started));
	else if ((to->status == CAIRN_STATUS_ACTIVE ||
	          to->status == CAIRN_STATUS_DONE) &&
	         !to->started[0] && to->status != old)
		memcpy(to->started, im->now, sizeof(to->started));
	if (from && from->finished[0] && ends)
		memcpy(to->finished, from->finished, sizeof(to->finished));
	else if (ends && (to->status != old || !to->finished[0]))
		memcpy(to->finished, im->now, sizeof(to->finished));
	else if (!ends)
		to->finished[0] = '\0';
}

static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup_or_null(src);
}

/* Copy the masked fields of it into cur. */
static void
merge(struct imp *im, struct cairn_item *cur, const struct cairn_item *it,
      unsigned mask)
{
	enum cairn_status old = cur->status;

	if (mask & IMP_KIND)
		cur->kind = it->kind;
	if (mask & IMP_TITLE)
		set_str(&cur->title, it->title);
	if (mask & IMP_BODY)
		set_str(&cur->body, it->body ? it->body : "");
	if (mask & IMP_PARENT)
		cur->parent = it->parent;
	if ((mask & IMP_STATUS) && it->status != CAIRN_STATUS_COUNT) {
		cur->status = it->status;
		set_str(&cur->why, it->why);
		stamp_status(im, cur, old, it);
	} else if (mask & IMP_DONE) {
		if (it->status == CAIRN_STATUS_DONE &&
		    cur->status != CAIRN_STATUS_DONE)
			cur->status = CAIRN_STATUS_DONE;
		else if (it->status != CAIRN_STATUS_DONE &&
		         cur->status == CAIRN_STATUS_DONE)
			cur->status = CAIRN_STATUS_PLANNED;
		stamp_status(im, cur, old, NULL);
	}
	if (mask & IMP_NUMBERS) {
		cur->scope = it->scope;
		cur->p_success = it->p_success;
		cur->novelty = it->novelty;
		memcpy(cur->est, it->est, sizeof(cur->est));
	}
	if (mask & IMP_DUE)
		memcpy(cur->due, it->due, sizeof(cur->due));
	if (mask & IMP_LIKELIHOOD)
		cur->likelihood = it->likelihood;
	if (mask & IMP_DRIVEN)
		cur->driven = it->driven;
	if (mask & IMP_VISIBILITY)
		cur->visibility = it->visibility;
	if ((mask & IMP_CREATED) && it->created[0])
		memcpy(cur->created, it->created, sizeof(cur->created));
}

static int
update_item(struct imp *im, sqlite3_stmt *found, struct cairn_item *it,
            unsigned mask, int *retitled)
{
	struct cairn_item cur;
	sqlite3_stmt *s;
	int rc;

	cairn_item_init(&cur);
	item_from_row(found, &cur);
	sqlite3_reset(found);
	it->id = cur.id;
	if (im->three_way && (rc = imp_base_merge(im, &cur, it, &mask)))
		goto out;
	*retitled = (mask & IMP_TITLE) && it->title && cur.title &&
	            strcmp(cur.title, it->title);
	if (cur.parent != it->parent && (mask & IMP_PARENT))
		im->graph_changed = 1;
	merge(im, &cur, it, mask);
	if ((rc = check_item(im, &cur)))
		goto out;
	if ((rc = stmt(im, IMP_UPDATE, &s)))
		goto out;
	bind_fields(s, 0, &cur);
	sqlite3_bind_int64(s, 22, cur.id);
	if ((rc = step_done(im, s, "update an item")))
		goto out;
	if (sqlite3_changes(im->st->db)) {
		im->stats->updated++;
		im->stats->rows++;
	} else {
		char key[24];

		snprintf(key, sizeof(key), "%lld", (long long)cur.id);
		if (!strmap_get(&im->unchanged, key)) {
			im->stats->unchanged++;
			strmap_put(&im->unchanged, key, 1);
		}
	}
out:
	cairn_item_release(&cur);
	return rc;
}

void
imp_one_line(char *s)
{
	for (unsigned char *p = (unsigned char *)s; p && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

int
imp_item(struct imp *im, struct cairn_item *it, unsigned mask, int *added)
{
	sqlite3_stmt *s;
	int rc, look = 1;

	if (added)
		*added = 0;
	/* Titles and reasons are one line (item.c): breaks become spaces. */
	imp_one_line(it->title);
	imp_one_line(it->why);
	if (!im->st)
		look = 0; /* a parse only: every item is new */
	/*
	 * Look the uuid up, unless batching knows better: an item this
	 * import added is written out first so that it can be updated, and
	 * without items before the import nothing else can match.
	 */
	if (im->batching && strmap_get(&im->added, it->uuid)) {
		if ((rc = imp_flush(im)))
			return rc;
	} else if (im->batching && im->fresh_from == 0) {
		look = 0;
	}
	if (look) {
		if ((rc = stmt(im, IMP_FIND_UUID, &s)))
			return rc;
		sqlite3_bind_text(s, 1, it->uuid, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			int retitled = 0;

			if ((rc = update_item(im, s, it, mask, &retitled)))
				return rc;
			if (retitled && (rc = add_statement(im, it->id, im->now,
			                                    it->title)))
				return rc;
			return im->three_way ? imp_base_save(im, it, mask) : 0;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_sqlerr(im->st, im->err, "find an item");
	}

	item_default_status(it);
	if (!it->created[0])
		memcpy(it->created, im->now, sizeof(it->created));
	item_stamp_new(it);
	if (it->status != CAIRN_STATUS_DONE &&
	    it->status != CAIRN_STATUS_DROPPED)
		it->finished[0] = '\0';
	if (it->status == CAIRN_STATUS_DROPPED && (!it->why || !*it->why))
		set_str(&it->why, "dropped before import");
	if ((rc = check_item(im, it)))
		return rc;
	if (!im->st) {
		it->id = ++im->next_id;
		im->stats->added++;
		if (added)
			*added = 1;
		return 0;
	}
	if (im->batching) {
		struct imp_batch *bt = &im->batch[IMP_B_ITEM];
		struct imp_row *row = batch_row(im, IMP_B_ITEM);
		struct cairn_item *copy = &bt->items[bt->n - 1];

		it->id = im->next_id++;
		*copy = *it;
		copy->title = copy->body = copy->why = NULL;
		row->a = it->id;
		row->s1 = batch_text(im, IMP_B_ITEM, it->title);
		row->s2 = batch_text(im, IMP_B_ITEM, it->body);
		row->s3 = batch_text(im, IMP_B_ITEM, it->why);
		strmap_put(&im->added, it->uuid, it->id);
		if ((rc = batch_done(im, IMP_B_ITEM)))
			return rc;
	} else {
		if ((rc = stmt(im, IMP_INSERT, &s)))
			return rc;
		sqlite3_bind_text(s, 1, it->uuid, -1, SQLITE_STATIC);
		bind_fields(s, 0, it);
		if ((rc = step_done(im, s, "add an item")))
			return rc;
		it->id = sqlite3_last_insert_rowid(im->st->db);
	}
	if (it->parent)
		im->graph_changed = 1;
	im->stats->added++;
	im->stats->rows++;
	if (added)
		*added = 1;
	if ((rc = add_statement(im, it->id, it->created, it->title)))
		return rc;
	return im->three_way ? imp_base_save(im, it, mask) : 0;
}

/*
 * Item id (from before the import) gains a row of its own (a tag, note,
 * link, edge or a new parent): counted as unchanged so far, it is an
 * updated item now.
 */
static void
touched(struct imp *im, int64_t id)
{
	char key[24];
	int64_t *v;

	if (id > im->fresh_from)
		return;
	snprintf(key, sizeof(key), "%lld", (long long)id);
	if ((v = strmap_get(&im->unchanged, key)) && *v) {
		*v = 0;
		im->stats->unchanged--;
		im->stats->updated++;
	}
}

int
imp_rank_set(struct imp *im, int64_t id, int rank)
{
	sqlite3_stmt *s;
	int rc;

	if (rank < 0 || rank > CAIRN_RANK_MAX)
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "'%s': rank %d is out of range",
		                     im->source, rank);
	if ((rc = imp_flush(im)) ||
	    (rc = imp_prepare(im,
	                      "UPDATE item SET rank = ?1 WHERE id = ?2 AND "
	                      "rank IS NOT ?1",
	                      &s)))
		return rc;
	store_bind_opt_int(s, 1, rank);
	sqlite3_bind_int64(s, 2, id);
	if ((rc = step_done(im, s, "rank a goal")))
		return rc;
	if (sqlite3_changes(im->st->db)) {
		im->stats->rows++;
		touched(im, id);
	}
	return 0;
}

/* Whether the bound existence query s has a row, after writing what
 * waits. */
static int exists(struct imp *im, sqlite3_stmt *s, int *found);

/* For an item from before the import: is the pair (id, text or number)
 * in the table of statement i already?  An item new in this import has
 * only the rows it brought. */
static int
has_row(struct imp *im, int i, int64_t id, const char *text, int64_t num,
        int *found)
{
	sqlite3_stmt *s;
	int rc;

	*found = 0;
	if (id > im->fresh_from)
		return 0;
	if ((rc = imp_flush(im)) || (rc = stmt(im, i, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (text)
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 2, num);
	return exists(im, s, found);
}

int
imp_tag(struct imp *im, int64_t id, const char *tag)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	struct imp_row *row;
	int found = 0, rc;

	if ((rc = cairn_tag_check(tag, &e)))
		return cairn_err_set(im->err, rc, "'%s': %s", im->source,
		                     e.msg);
	if (!im->st)
		return 0;
	if ((rc = has_row(im, IMP_HAS_TAG, id, tag, 0, &found)) || found)
		return rc;
	touched(im, id);
	row = batch_row(im, IMP_B_TAG);
	row->a = id;
	row->s1 = batch_text(im, IMP_B_TAG, tag);
	return batch_done(im, IMP_B_TAG);
}

/* Run the existence query s (bound); 1 when it has a row. */
static int
exists(struct imp *im, sqlite3_stmt *s, int *found)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, "read the store");
	*found = rc == SQLITE_ROW;
	return 0;
}

int
imp_note(struct imp *im, int64_t id, const char *text, const char *created)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	struct imp_row *row;
	int found = 0, rc;

	/* Nothing to keep: an empty annotation or paragraph. */
	if (!text || !text[strspn(text, " \t\r\n")])
		return 0;
	if ((rc = cairn_note_check(text, &e)))
		return cairn_err_set(im->err, rc, "'%s': %s", im->source,
		                     e.msg);
	if (created && *created && !ts_ok(created))
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "malformed note time '%s' in '%s'",
		                     created, im->source);
	if (!im->st)
		return 0;
	if ((rc = has_row(im, IMP_HAS_NOTE, id, text, 0, &found)) || found)
		return rc;
	touched(im, id);
	row = batch_row(im, IMP_B_NOTE);
	row->a = id;
	row->s1 = batch_text(im, IMP_B_NOTE,
	                     created && *created ? created : im->now);
	row->s2 = batch_text(im, IMP_B_NOTE, text);
	im->stats->rows++;
	return batch_done(im, IMP_B_NOTE);
}

int
imp_link(struct imp *im, int64_t id, const char *url, const char *label,
         const char *created)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	sqlite3_stmt *s;
	int found = 0, rc;

	if (!cairn_url_ok(url))
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "refusing link '%.200s' in '%s': only "
		                     "http, https and mailto links are "
		                     "allowed",
		                     url ? url : "", im->source);
	if (label && !*label)
		label = NULL;
	if ((rc = cairn_link_check(url, label, &e)))
		return cairn_err_set(im->err, rc, "'%s': %s", im->source,
		                     e.msg);
	if (created && *created && !ts_ok(created))
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "malformed link time '%s' in '%s'",
		                     created, im->source);
	if (!im->st)
		return 0;
	/* Even for a new item: a link shows once however often written.
	 * Links do not wait: write out the item first. */
	if ((rc = imp_flush(im)) || (rc = stmt(im, IMP_HAS_LINK, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
	store_bind_text_or_null(s, 3, label);
	if ((rc = exists(im, s, &found)) || found)
		return rc;
	if ((rc = stmt(im, IMP_LINK, &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
	store_bind_text_or_null(s, 3, label);
	sqlite3_bind_text(s, 4, created && *created ? created : im->now, -1,
	                  SQLITE_STATIC);
	im->stats->rows++;
	touched(im, id);
	return step_done(im, s, "add a link");
}

int
imp_edge(struct imp *im, int64_t id, int64_t prereq)
{
	struct imp_row *row;
	int found = 0, rc;

	if (id == prereq)
		return cairn_err_set(im->err, CAIRN_ECYCLE,
		                     "#%lld in '%s' cannot build on itself",
		                     (long long)id, im->source);
	if (!im->st)
		return 0;
	if ((rc = has_row(im, IMP_HAS_EDGE, id, NULL, prereq, &found)) || found)
		return rc;
	touched(im, id);
	row = batch_row(im, IMP_B_EDGE);
	row->a = id;
	row->b = prereq;
	row->s1 = batch_text(im, IMP_B_EDGE, im->now);
	return batch_done(im, IMP_B_EDGE);
}

int
imp_set_parent(struct imp *im, int64_t id, int64_t parent)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = imp_flush(im)) || (rc = stmt(im, IMP_PARENT_SET, &s)))
		return rc;
	if (parent)
		sqlite3_bind_int64(s, 1, parent);
	sqlite3_bind_int64(s, 2, id);
	rc = step_done(im, s, "move an item");
	if (!rc && sqlite3_changes(im->st->db)) {
		im->graph_changed = 1;
		im->stats->rows++;
		touched(im, id);
	}
	return rc;
}

/* ---- bulk journalling ---- */

int
imp_journal_begin(struct imp *im)
{
	return store_bulk_begin(im->st, &im->bulk, im->err);
}

int
imp_journal_flush(struct imp *im)
{
	int rc = imp_flush(im);

	return rc ? rc : store_bulk_flush(im->st, im->bulk, im->err);
}

int
imp_journal_end(struct imp *im, int with_events)
{
	int rc = with_events ? imp_journal_flush(im) : 0;

	return rc ? rc : store_bulk_end(im->st, im->bulk, im->err);
}
