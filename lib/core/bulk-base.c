/*
 * bulk-base.c: re-import as a three-way merge.
 *
 * A file that is imported again (a goals post edited by hand, say) is one
 * side of a merge and the store the other; the base is what the file said
 * of each item at its last import, kept in import_base as a JSON object
 * of the fields the importer wrote.  For each field the file may set:
 *
 *   file == base            the file did not change it: the store's stays;
 *   store == base           only the file changed it: the file's is taken;
 *   store == file           both say the same: nothing to do;
 *   otherwise               both changed it: the store wins, and a warning
 *                           names the field and the command that would
 *                           take the file's version.
 *
 * An item with no base (made before import_base existed, or by a command
 * and matched by content) takes the file's fields, as every import did
 * before.  After the merge the base becomes what the file says now, so a
 * conflict is reported once, not at every import of the same file.
 * import_base is journalled: undoing an import restores the base too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/bulk.h"
#include "store/store-int.h"
#include "banned.h"

/* The fields a base can hold, with their mask bit. */
enum { B_KIND, B_TITLE, B_BODY, B_PARENT, B_DONE, B_N };

static const struct {
	const char *key;
	unsigned bit;
} bfield[B_N] = {
        [B_KIND] = {"kind", IMP_KIND}, [B_TITLE] = {"title", IMP_TITLE},
        [B_BODY] = {"body", IMP_BODY}, [B_PARENT] = {"parent", IMP_PARENT},
        [B_DONE] = {"done", IMP_DONE},
};

/* One side of the merge, as text (parent: a uuid or ""; done: 0 or 1). */
struct side {
	const char *v[B_N];
	char parent[37];
	int has[B_N];
};

static int
parent_uuid(struct imp *im, int64_t id, char out[37])
{
	sqlite3_stmt *s;
	int rc;

	out[0] = '\0';
	if (!id)
		return 0;
	if ((rc = imp_prepare(im, "SELECT uuid FROM item WHERE id = ?", &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(out, 37, "%s",
		         (const char *)sqlite3_column_text(s, 0));
	else if (rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, "find an item's parent");
	return 0;
}

/* The fields of it that an importer with mask writes, as one side. */
static int
side_of(struct imp *im, const struct cairn_item *it, unsigned mask,
        struct side *sd)
{
	int rc;

	memset(sd, 0, sizeof(*sd));
	sd->v[B_KIND] = cairn_kind_name(it->kind);
	sd->v[B_TITLE] = it->title ? it->title : "";
	sd->v[B_BODY] = it->body ? it->body : "";
	sd->v[B_DONE] = it->status == CAIRN_STATUS_DONE ? "1" : "0";
	if ((rc = parent_uuid(im, it->parent, sd->parent)))
		return rc;
	sd->v[B_PARENT] = sd->parent;
	for (int f = 0; f < B_N; f++)
		sd->has[f] = (mask & bfield[f].bit) != 0;
	/* A file with no text under an item says its body is empty. */
	sd->has[B_BODY] = 1;
	return 0;
}

static int
load_base(struct imp *im, int64_t id, json_t **out)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if ((rc = imp_prepare(
	             im, "SELECT fields FROM import_base WHERE item = ?", &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = json_loads((const char *)sqlite3_column_text(s, 0), 0,
		                  NULL);
	else if (rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, "read an import base");
	return 0;
}

/* The command that takes the file's value of field f for item id. */
static void
take_command(struct buf *b, int64_t id, int f, const char *v)
{
	switch (f) {
	case B_KIND:
		buf_addf(b, "cairn set %lld kind=%s", (long long)id, v);
		break;
	case B_TITLE:
		buf_addf(b, "cairn refine %lld ", (long long)id);
		buf_add_shell_quoted(b, v);
		break;
	case B_BODY:
		buf_addf(b, "cairn set %lld ", (long long)id);
		if (*v) {
			struct buf w = BUF_INIT;

			buf_addf(&w, "body=%s", v);
			buf_add_shell_quoted(b, w.buf);
			buf_release(&w);
		} else {
			buf_adds(b, "body=none");
		}
		break;
	case B_PARENT:
		buf_addf(b, "cairn mv %lld %s", (long long)id,
		         *v ? "--under " : "--root");
		if (*v)
			buf_addf(b, "%.8s", v);
		break;
	case B_DONE:
		if (*v == '1')
			buf_addf(b, "cairn done %lld", (long long)id);
		else
			buf_addf(b, "cairn set %lld status=planned",
			         (long long)id);
		break;
	}
}

int
imp_base_merge(struct imp *im, const struct cairn_item *cur,
               const struct cairn_item *it, unsigned *mask)
{
	struct side file, store;
	json_t *base;
	int rc;

	if ((rc = load_base(im, cur->id, &base)))
		return rc;
	if (!base)
		return 0;
	if ((rc = side_of(im, it, *mask, &file)) ||
	    (rc = side_of(im, cur, *mask, &store)))
		goto out;
	for (int f = 0; f < B_N; f++) {
		json_t *bv = json_object_get(base, bfield[f].key);
		const char *b = json_string_value(bv);
		struct buf cmd = BUF_INIT;

		if (!file.has[f] || !b)
			continue;
		if (!strcmp(file.v[f], b) || !strcmp(store.v[f], file.v[f])) {
			/* The file did not change it, or both agree. */
			*mask &= ~bfield[f].bit;
			continue;
		}
		if (!strcmp(store.v[f], b)) {
			*mask |= bfield[f].bit; /* only the file changed it */
			continue;
		}
		*mask &= ~bfield[f].bit;
		take_command(&cmd, cur->id, f, file.v[f]);
		imp_warn(im,
		         "'%s' and the store both changed the %s of #%lld: "
		         "the store's is kept; to take the file's: %s",
		         im->source, bfield[f].key, (long long)cur->id,
		         cmd.buf);
		buf_release(&cmd);
	}
out:
	json_decref(base);
	return rc;
}

/* Write o as item id's base, when it differs from the one kept. */
static int
base_put(struct imp *im, int64_t id, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *s;
	int rc;

	if (!text)
		return cairn_err_set(im->err, CAIRN_EDB,
		                     "cannot record what %s said", im->source);
	if (!(rc = imp_prepare(im,
	                       "INSERT INTO import_base(item, fields) "
	                       "VALUES(?, ?) ON CONFLICT(item) DO UPDATE SET "
	                       "fields = excluded.fields WHERE fields <> "
	                       "excluded.fields",
	                       &s))) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_sqlerr(im->st, im->err,
			                  "record what the file said");
		sqlite3_reset(s);
	}
	free(text);
	return rc;
}

int
imp_base_save(struct imp *im, const struct cairn_item *it, unsigned mask)
{
	struct side file;
	json_t *o, *old, *rank;
	int rc;

	if ((rc = side_of(im, it, mask, &file)) ||
	    (rc = load_base(im, it->id, &old)))
		return rc;
	o = json_object();
	for (int f = 0; f < B_N; f++)
		if (file.has[f])
			json_object_set_new(o, bfield[f].key,
			                    json_string(file.v[f]));
	/* The place in the post's order is the importer's to keep. */
	if ((rank = json_object_get(old, "rank")))
		json_object_set(o, "rank", rank);
	json_decref(old);
	rc = base_put(im, it->id, o);
	json_decref(o);
	return rc;
}

int
imp_base_rank(struct imp *im, int64_t id, int *rank)
{
	json_t *base;
	int rc;

	*rank = 0;
	if ((rc = load_base(im, id, &base)))
		return rc;
	if (json_is_integer(json_object_get(base, "rank")))
		*rank = (int)json_integer_value(json_object_get(base, "rank"));
	json_decref(base);
	return 0;
}

int
imp_base_rank_save(struct imp *im, int64_t id, int rank)
{
	json_t *base;
	int rc;

	if ((rc = load_base(im, id, &base)))
		return rc;
	if (!base)
		base = json_object();
	json_object_set_new(base, "rank", json_integer(rank));
	rc = base_put(im, id, base);
	json_decref(base);
	return rc;
}
