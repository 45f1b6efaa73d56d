/*
 * json.c: cairn's lossless JSON dump and its loader, through jansson.
 * This is also the backup format.
 *
 *	{
 *	"format": "cairn-dump",
 *	"version": 1,
 *	"schema": 1,
 *	"sequence": {"item": 12},
 *	"tables": {
 *	"change": [
 *	{"id":1,"time":"...",...},
 *	...
 *	]
 *	}
 *	}
 *
 * Every journalled table (cairn_jtables, so entities added later come
 * for free) plus the journal's change and event tables, each row one
 * object on one line with the table's columns in schema order, rows in
 * id order.  Real numbers are written with the fewest digits that read
 * back exactly, the same for the whole dump, so dump -> load -> dump is
 * byte-identical.
 *
 * Loading into an empty store restores everything verbatim: ids,
 * journal, settings and the item id sequence (ids are never reused).
 * Loading into a store with data merges: rows are matched through the
 * table's unique keys (an item by uuid, a setting by key, a tag by item
 * and name) or, for tables without one, by equal content; matched rows
 * take the dump's values, new rows get new ids and every foreign key is
 * remapped (found with PRAGMA foreign_key_list, so it is generic too).
 * The dump's journal is not merged: the merge is one new change.
 *
 * Before the first write the loader checks the whole document without the
 * store (json-check.c): every item row by the rules of 'cairn add'.
 *
 * The dump itself is written by json-dump.c.
 *
 * Workload: the loader holds the parsed document (inputs are capped at
 * CAIRN_IMPORT_MAX_JSON).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fmt/json-int.h"
#include "banned.h"

const char *
json_table_at(size_t i)
{
	if (i == 0)
		return "change";
	if (i == 1)
		return "event";
	return cairn_jtables[i - 2].name;
}

int
json_known_table(const char *name)
{
	return !strcmp(name, "change") || !strcmp(name, "event") ||
	       cairn_jtable_find(name) != NULL;
}

/* ---- load ---- */

/* What the loader knows about one table of the store. */
struct tinfo {
	const char *name;
	char **cols;
	size_t ncols;
	/* foreign keys: column -> table */
	char **fk_col, **fk_table;
	size_t nfk;
	/* unique keys other than the primary key, each a column list */
	char ***uniq;
	size_t *nuniq_cols, nuniq;
};

static void
tinfo_release(struct tinfo *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	for (size_t i = 0; i < t->nfk; i++) {
		free(t->fk_col[i]);
		free(t->fk_table[i]);
	}
	for (size_t i = 0; i < t->nuniq; i++) {
		for (size_t j = 0; j < t->nuniq_cols[i]; j++)
			free(t->uniq[i][j]);
		free(t->uniq[i]);
	}
	free(t->cols);
	free(t->fk_col);
	free(t->fk_table);
	free(t->uniq);
	free(t->nuniq_cols);
	memset(t, 0, sizeof(*t));
}

static char **
grow(char **arr, size_t n)
{
	return xrealloc(arr, (n + 1) * sizeof(*arr));
}

static int
tinfo_load(struct cairn_store *st, const char *name, struct tinfo *t,
           struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL, *s2 = NULL;
	int rc;

	memset(t, 0, sizeof(*t));
	t->name = name;
	buf_addf(&sql, "PRAGMA table_info(\"%s\")", name);
	if ((rc = store_prepare(st, &s, sql.buf, err)))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		t->cols = grow(t->cols, t->ncols);
		t->cols[t->ncols++] = xstrdup(store_col_text(s, 1));
	}
	sqlite3_finalize(s);
	buf_reset(&sql);
	buf_addf(&sql, "PRAGMA foreign_key_list(\"%s\")", name);
	if ((rc = store_prepare(st, &s, sql.buf, err)))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		t->fk_col = grow(t->fk_col, t->nfk);
		t->fk_table = grow(t->fk_table, t->nfk);
		t->fk_col[t->nfk] = xstrdup(store_col_text(s, 3));
		t->fk_table[t->nfk++] = xstrdup(store_col_text(s, 2));
	}
	sqlite3_finalize(s);
	buf_reset(&sql);
	buf_addf(&sql, "PRAGMA index_list(\"%s\")", name);
	if ((rc = store_prepare(st, &s, sql.buf, err)))
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char **cols = NULL;
		size_t n = 0;

		if (!sqlite3_column_int(s, 2) ||
		    !strcmp(store_col_text(s, 3), "pk") ||
		    sqlite3_column_int(s, 4))
			continue;
		buf_reset(&sql);
		buf_addf(&sql, "PRAGMA index_info(\"%s\")",
		         store_col_text(s, 1));
		if ((rc = store_prepare(st, &s2, sql.buf, err)))
			goto out;
		while (sqlite3_step(s2) == SQLITE_ROW) {
			cols = grow(cols, n);
			cols[n++] = xstrdup(store_col_text(s2, 2));
		}
		sqlite3_finalize(s2);
		s2 = NULL;
		t->uniq = xrealloc(t->uniq, (t->nuniq + 1) * sizeof(*t->uniq));
		t->nuniq_cols = xrealloc(
		        t->nuniq_cols, (t->nuniq + 1) * sizeof(*t->nuniq_cols));
		t->uniq[t->nuniq] = cols;
		t->nuniq_cols[t->nuniq++] = n;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	buf_release(&sql);
	return rc;
}

static int
has_col(const struct tinfo *t, const char *col)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], col))
			return 1;
	return 0;
}

static const char *
fk_target(const struct tinfo *t, const char *col)
{
	for (size_t i = 0; i < t->nfk; i++)
		if (!strcmp(t->fk_col[i], col))
			return t->fk_table[i];
	return NULL;
}

static int
bind_json(struct imp *im, sqlite3_stmt *s, int i, json_t *v, const char *table,
          const char *col, size_t row)
{
	switch (json_typeof(v)) {
	case JSON_INTEGER:
		return sqlite3_bind_int64(s, i, json_integer_value(v));
	case JSON_REAL:
		return sqlite3_bind_double(s, i, json_real_value(v));
	case JSON_STRING:
		return sqlite3_bind_text(s, i, json_string_value(v),
		                         (int)json_string_length(v),
		                         SQLITE_STATIC);
	case JSON_TRUE:
	case JSON_FALSE:
		return sqlite3_bind_int(s, i, json_is_true(v));
	case JSON_NULL:
		return sqlite3_bind_null(s, i);
	default:
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "'%s': %s row %zu: column %s holds an "
		                     "object or array",
		                     im->source, table, row + 1, col);
	}
}

/* Columns that hold one line of text (as lib/item.c has it). */
static int
one_line(const char *table, const char *col)
{
	static const char *const cols[][2] = {
	        {"item", "title"}, {"item", "why"},       {"link", "label"},
	        {"tag", "name"},   {"statement", "text"},
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (!strcmp(cols[i][0], table) && !strcmp(cols[i][1], col))
			return 1;
	return 0;
}

/* Check a row's values before they reach SQL. */
static int
check_row(struct imp *im, const struct tinfo *t, json_t *row, size_t r)
{
	const char *key;
	json_t *v;

	if (!json_is_object(row))
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "'%s': %s row %zu is not an object",
		                     im->source, t->name, r + 1);
	json_object_foreach(row, key, v)
	{
		if (!has_col(t, key))
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "'%s': %s row %zu has unknown "
			                     "column '%s'",
			                     im->source, t->name, r + 1, key);
		if (json_is_object(v) || json_is_array(v))
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "'%s': %s row %zu: column %s "
			                     "holds an object or array",
			                     im->source, t->name, r + 1, key);
		if (json_is_string(v) && json_string_length(v) > FMT_TEXT_MAX)
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "'%s': %s row %zu: column %s is "
			                     "longer than %d bytes",
			                     im->source, t->name, r + 1, key,
			                     FMT_TEXT_MAX);
		if (!strcmp(key, "url") && json_is_string(v) &&
		    json_string_length(v) && !fmt_url_ok(json_string_value(v)))
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "refusing link '%.200s' in '%s' "
			                     "(%s row %zu): only http, https "
			                     "and mailto links are allowed",
			                     json_string_value(v), im->source,
			                     t->name, r + 1);
		if (json_is_string(v) && one_line(t->name, key)) {
			const unsigned char *u =
			        (const unsigned char *)json_string_value(v);

			for (; *u; u++)
				if (*u < 0x20 || *u == 0x7f)
					return cairn_err_set(
					        im->err, CAIRN_EINVAL,
					        "'%s': %s row %zu: %s must be "
					        "one line without control "
					        "characters",
					        im->source, t->name, r + 1,
					        key);
		}
		if (!strcmp(key, "uuid") && !fmt_uuid_ok(json_string_value(v)))
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "'%s': %s row %zu: malformed "
			                     "uuid",
			                     im->source, t->name, r + 1);
	}
	if (!json_is_integer(json_object_get(row, "id")))
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "'%s': %s row %zu has no integer id",
		                     im->source, t->name, r + 1);
	return 0;
}

/* INSERT the row as it is, id included. */
static int
insert_verbatim(struct imp *im, const struct tinfo *t, json_t *row, size_t r)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	const char *key;
	json_t *v;
	int i = 0, rc;

	buf_addf(&sql, "INSERT INTO \"%s\"(", t->name);
	json_object_foreach(row, key, v)
	        buf_addf(&sql, "%s\"%s\"", i++ ? ", " : "", key);
	buf_adds(&sql, ") VALUES(");
	for (int k = 0; k < i; k++)
		buf_adds(&sql, k ? ", ?" : "?");
	buf_adds(&sql, ")");
	rc = imp_prepare(im, sql.buf, &s);
	buf_release(&sql);
	if (rc)
		return rc;
	i = 0;
	json_object_foreach(row, key, v)
	        bind_json(im, s, ++i, v, t->name, key, r);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		char what[96];

		snprintf(what, sizeof(what), "load %s row %zu", t->name, r + 1);
		return store_sqlerr(im->st, im->err, what);
	}
	im->stats->rows++;
	return 0;
}

static int
exec(struct imp *im, const char *sql)
{
	return store_exec(im->st, sql, im->err);
}

static int
query_int(struct imp *im, const char *sql, long long *out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prepare(im->st, &s, sql, im->err)))
		return rc;
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, "read the store");
	return 0;
}

/* Whether the store holds no data and no journal events. */
static int
store_empty(struct imp *im, int *empty)
{
	struct buf sql = BUF_INIT;
	long long n;
	int rc;

	buf_adds(&sql, "SELECT (SELECT count(*) FROM event)");
	for (const struct jtable *t = cairn_jtables; t->name; t++)
		buf_addf(&sql, " + (SELECT count(*) FROM \"%s\")", t->name);
	rc = query_int(im, sql.buf, &n);
	buf_release(&sql);
	*empty = n == 0;
	return rc;
}

/* Run sql with ?1 = table name, ?2 = its id sequence. */
static int
seq_set(struct imp *im, const char *sql, const char *name, json_int_t seq)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prepare(im->st, &s, sql, im->err)))
		return rc;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, seq);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(im->st, im->err, "restore the id sequence");
	return 0;
}

static int
restore(struct imp *im, json_t *tables, json_t *seq)
{
	struct tinfo t;
	long long max_event = 0, bad = 0;
	const char *key;
	json_t *v;
	size_t total = 0, done = 0;
	int rc;

	for (size_t k = 0; json_table_at(k); k++)
		total += json_array_size(
		        json_object_get(tables, json_table_at(k)));
	if ((rc = exec(im, "PRAGMA defer_foreign_keys = ON")) ||
	    (rc = exec(im, "DELETE FROM event; DELETE FROM change")))
		return rc;
	for (size_t k = 0; json_table_at(k); k++) {
		json_t *rows = json_object_get(tables, json_table_at(k));
		json_t *row;
		size_t r;

		if (k == 2 && (rc = query_int(im, "SELECT max(id) FROM event",
		                              &max_event)))
			return rc;
		if (!rows)
			continue;
		if ((rc = tinfo_load(im->st, json_table_at(k), &t, im->err)))
			return rc;
		json_array_foreach(rows, r, row)
		{
			if ((rc = check_row(im, &t, row, r)) ||
			    (rc = insert_verbatim(im, &t, row, r)))
				break;
			if (!strcmp(json_table_at(k), "item"))
				im->stats->added++;
			imp_progress(im, ++done, total);
		}
		tinfo_release(&t);
		if (rc)
			return rc;
	}
	/* The triggers journalled the inserts: the dump has its own. */
	{
		char sql[80];

		snprintf(sql, sizeof(sql), "DELETE FROM event WHERE id > %lld",
		         max_event);
		if ((rc = exec(im, sql)))
			return rc;
	}
	json_object_foreach(seq, key, v)
	{
		if (!json_is_integer(v) || !cairn_jtable_find(key))
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "'%s': malformed sequence entry "
			                     "'%s'",
			                     im->source, key);
		/* sqlite_sequence has no key to upsert on. */
		if ((rc = seq_set(im,
		                  "UPDATE sqlite_sequence SET seq = "
		                  "max(seq, ?2) WHERE name = ?1",
		                  key, json_integer_value(v))) ||
		    (!sqlite3_changes(im->st->db) &&
		     (rc = seq_set(im,
		                   "INSERT INTO sqlite_sequence(name, seq) "
		                   "VALUES(?1, ?2)",
		                   key, json_integer_value(v)))))
			return rc;
	}
	/* The journal must be usable by undo and history. */
	{
		struct buf sql = BUF_INIT;

		buf_adds(&sql,
		         "SELECT count(*) FROM event WHERE "
		         "(before IS NOT NULL AND NOT json_valid(before)) "
		         "OR (after IS NOT NULL AND NOT json_valid(after)) "
		         "OR entity NOT IN (");
		for (const struct jtable *jt = cairn_jtables; jt->name; jt++)
			buf_addf(&sql, "%s'%s'",
			         jt == cairn_jtables ? "" : ", ", jt->name);
		buf_adds(&sql, ")");
		rc = query_int(im, sql.buf, &bad);
		buf_release(&sql);
		if (rc)
			return rc;
		if (bad)
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "'%s': %lld journal event%s "
			                     "malformed (bad JSON or unknown "
			                     "entity)",
			                     im->source, bad,
			                     bad == 1 ? " is" : "s are");
	}
	im->stats->restored = 1;
	im->graph_changed = 1;
	return 0;
}

/* ---- merge ---- */

static void
map_key(struct buf *b, const char *table, long long id)
{
	buf_reset(b);
	buf_addf(b, "%s#%lld", table, id);
}

/* Find an existing row equal on a unique key, or on every column. */
static int
find_match(struct imp *im, const struct tinfo *t, json_t *row, const char *skip,
           int64_t *found)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc = 0;

	*found = 0;
	for (size_t u = 0; u <= t->nuniq && !*found; u++) {
		size_t n = 0;
		int usable = 1;
		const char *key;
		json_t *v;

		if (u == t->nuniq && t->nuniq)
			break; /* has unique keys: no content match */
		buf_reset(&sql);
		buf_addf(&sql, "SELECT id FROM \"%s\" WHERE 1", t->name);
		if (u < t->nuniq) {
			for (size_t c = 0; c < t->nuniq_cols[u]; c++) {
				json_t *cv =
				        json_object_get(row, t->uniq[u][c]);

				if (!cv || json_is_null(cv))
					usable = 0;
				buf_addf(&sql, " AND \"%s\" IS ?",
				         t->uniq[u][c]);
			}
		} else {
			json_object_foreach(row, key, v)
			{
				if (!strcmp(key, "id") ||
				    (skip && !strcmp(key, skip)))
					continue;
				buf_addf(&sql, " AND \"%s\" IS ?", key);
			}
		}
		if (!usable)
			continue;
		buf_adds(&sql, " LIMIT 1");
		if ((rc = imp_prepare(im, sql.buf, &s)))
			break;
		if (u < t->nuniq) {
			for (size_t c = 0; c < t->nuniq_cols[u]; c++)
				bind_json(im, s, (int)++n,
				          json_object_get(row, t->uniq[u][c]),
				          t->name, t->uniq[u][c], 0);
		} else {
			json_object_foreach(row, key, v)
			{
				if (!strcmp(key, "id") ||
				    (skip && !strcmp(key, skip)))
					continue;
				bind_json(im, s, (int)++n, v, t->name, key, 0);
			}
		}
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*found = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = store_sqlerr(im->st, im->err, "read the store");
			break;
		}
		rc = 0;
	}
	buf_release(&sql);
	return rc;
}

/* UPDATE (when found) or INSERT the row's columns but id and skip. */
static int
write_row(struct imp *im, const struct tinfo *t, json_t *row, const char *skip,
          int64_t found, int64_t *id, size_t r)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	const char *key;
	json_t *v;
	int n = 0, rc;

	if (found) {
		buf_addf(&sql, "UPDATE \"%s\" SET ", t->name);
		json_object_foreach(row, key, v)
		{
			if (!strcmp(key, "id") || (skip && !strcmp(key, skip)))
				continue;
			buf_addf(&sql, "%s\"%s\" = ?%d", n ? ", " : "", key,
			         n + 1);
			n++;
		}
		if (!n) {
			buf_release(&sql);
			*id = found;
			return 0;
		}
		buf_addf(&sql, " WHERE id = ?%d AND (", n + 1);
		n = 0;
		json_object_foreach(row, key, v)
		{
			if (!strcmp(key, "id") || (skip && !strcmp(key, skip)))
				continue;
			buf_addf(&sql, "%s\"%s\" IS NOT ?%d", n ? " OR " : "",
			         key, n + 1);
			n++;
		}
		buf_adds(&sql, ")");
	} else {
		buf_addf(&sql, "INSERT INTO \"%s\"(", t->name);
		json_object_foreach(row, key, v)
		{
			if (!strcmp(key, "id") || (skip && !strcmp(key, skip)))
				continue;
			buf_addf(&sql, "%s\"%s\"", n++ ? ", " : "", key);
		}
		buf_adds(&sql, ") VALUES(");
		for (int k = 0; k < n; k++)
			buf_adds(&sql, k ? ", ?" : "?");
		buf_adds(&sql, ")");
	}
	rc = imp_prepare(im, sql.buf, &s);
	buf_release(&sql);
	if (rc)
		return rc;
	n = 0;
	json_object_foreach(row, key, v)
	{
		if (!strcmp(key, "id") || (skip && !strcmp(key, skip)))
			continue;
		bind_json(im, s, ++n, v, t->name, key, r);
	}
	if (found)
		sqlite3_bind_int64(s, n + 1, found);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		char what[96];

		snprintf(what, sizeof(what), "merge %s row %zu", t->name,
		         r + 1);
		return store_sqlerr(im->st, im->err, what);
	}
	*id = found ? found : sqlite3_last_insert_rowid(im->st->db);
	if (!strcmp(t->name, "item")) {
		if (!found)
			im->stats->added++;
		else if (sqlite3_changes(im->st->db))
			im->stats->updated++;
		else
			im->stats->unchanged++;
	}
	if (!found || sqlite3_changes(im->st->db))
		im->stats->rows++;
	return 0;
}

/*
 * Copy row with its foreign keys remapped to this store's ids; the
 * self-reference (a parent) is left for a second pass and reported in
 * *self.
 */
static int
remap(struct imp *im, const struct tinfo *t, json_t *row, struct strmap *ids,
      json_t **out, const char **selfcol, size_t r)
{
	struct buf k = BUF_INIT;
	const char *key;
	json_t *v;

	*out = json_object();
	*selfcol = NULL;
	json_object_foreach(row, key, v)
	{
		const char *target = fk_target(t, key);
		int64_t *mapped;

		if (!target || json_is_null(v)) {
			json_object_set(*out, key, v);
			continue;
		}
		if (!strcmp(target, t->name)) {
			*selfcol = key;
			continue;
		}
		if (!json_is_integer(v))
			goto bad;
		map_key(&k, target, json_integer_value(v));
		if (!(mapped = strmap_get(ids, k.buf)))
			goto bad;
		json_object_set_new(*out, key, json_integer(*mapped));
	}
	buf_release(&k);
	return 0;
bad:
	buf_release(&k);
	json_decref(*out);
	*out = NULL;
	return cairn_err_set(im->err, CAIRN_EINVAL,
	                     "'%s': %s row %zu: %s refers to a %s row that "
	                     "is not in the dump",
	                     im->source, t->name, r + 1, key,
	                     fk_target(t, key));
}

static int
merge_table(struct imp *im, const char *name, json_t *rows, struct strmap *ids,
            size_t *done, size_t total)
{
	struct tinfo t;
	struct buf k = BUF_INIT;
	int64_t *newids = NULL;
	json_t *row;
	size_t r;
	int rc;

	if ((rc = tinfo_load(im->st, name, &t, im->err)))
		return rc;
	newids = xcalloc(json_array_size(rows) + 1, sizeof(*newids));
	json_array_foreach(rows, r, row)
	{
		json_t *mapped;
		const char *self;
		int64_t found = 0, id = 0;

		if ((rc = check_row(im, &t, row, r)) ||
		    (rc = remap(im, &t, row, ids, &mapped, &self, r)))
			goto out;
		rc = find_match(im, &t, mapped, self, &found);
		if (!rc)
			rc = write_row(im, &t, mapped, self, found, &id, r);
		json_decref(mapped);
		if (rc)
			goto out;
		newids[r] = id;
		map_key(&k, name,
		        json_integer_value(json_object_get(row, "id")));
		strmap_put(ids, k.buf, id);
		imp_progress(im, ++*done, total);
	}
	/* Journal the new rows before the second pass updates them. */
	if ((rc = imp_journal_flush(im)))
		goto out;
	/* Second pass: self-references (an item's parent). */
	json_array_foreach(rows, r, row)
	{
		for (size_t f = 0; f < t.nfk; f++) {
			json_t *v = json_object_get(row, t.fk_col[f]);
			struct buf sql = BUF_INIT;
			sqlite3_stmt *s;
			int64_t *to;

			if (strcmp(t.fk_table[f], name) || !v ||
			    (!json_is_null(v) && !json_is_integer(v)))
				continue;
			to = NULL;
			if (json_is_integer(v)) {
				map_key(&k, name, json_integer_value(v));
				if (!(to = strmap_get(ids, k.buf))) {
					rc = cairn_err_set(
					        im->err, CAIRN_EINVAL,
					        "'%s': %s row %zu: %s refers "
					        "to a row not in the dump",
					        im->source, name, r + 1,
					        t.fk_col[f]);
					goto out;
				}
			}
			buf_addf(&sql,
			         "UPDATE \"%s\" SET \"%s\" = ?1 WHERE id = ?2 "
			         "AND \"%s\" IS NOT ?1",
			         name, t.fk_col[f], t.fk_col[f]);
			rc = imp_prepare(im, sql.buf, &s);
			buf_release(&sql);
			if (rc)
				goto out;
			if (to)
				sqlite3_bind_int64(s, 1, *to);
			sqlite3_bind_int64(s, 2, newids[r]);
			rc = sqlite3_step(s);
			sqlite3_reset(s);
			if (rc != SQLITE_DONE) {
				rc = store_sqlerr(im->st, im->err,
				                  "merge the dump");
				goto out;
			}
			rc = 0;
			im->graph_changed = 1;
		}
	}
	im->graph_changed = 1;
out:
	free(newids);
	buf_release(&k);
	tinfo_release(&t);
	return rc;
}

static int
merge(struct imp *im, json_t *tables)
{
	struct strmap ids = {0};
	size_t total = 0, done = 0;
	int rc = 0;

	for (size_t k = 2; json_table_at(k); k++)
		total += json_array_size(
		        json_object_get(tables, json_table_at(k)));
	if ((rc = exec(im, "PRAGMA defer_foreign_keys = ON")))
		return rc;
	/* cairn_jtables lists tables after the ones they refer to. */
	for (size_t k = 2; json_table_at(k) && !rc; k++) {
		json_t *rows = json_object_get(tables, json_table_at(k));

		if (rows)
			rc = merge_table(im, json_table_at(k), rows, &ids,
			                 &done, total);
	}
	strmap_release(&ids);
	return rc;
}

int
fmt_json_load(struct imp *im, const char *data, size_t len)
{
	json_t *doc = json_doc_load(data, len, im->source, im->err), *tables,
	       *seq;
	int empty, rc;

	if (!doc)
		return CAIRN_EINVAL;
	if ((rc = json_doc_check(doc, im->source, &tables, &seq, im->err)) ||
	    (rc = store_empty(im, &empty)))
		goto out;
	rc = empty ? restore(im, tables, seq) : merge(im, tables);
out:
	json_decref(doc);
	return rc;
}
