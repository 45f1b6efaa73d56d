/*
 * json-dump.c: cairn's lossless JSON dump (its shape and the loader are
 * in json.c), written to a sink as the rows are read.
 *
 * Two passes over every table in one read transaction, so both see the
 * same store: the first finds the fewest %g digits that make every REAL
 * read back (JSON_REAL_PRECISION, the same for the whole dump, so dump ->
 * load -> dump is byte-identical) and refuses a BLOB before anything is
 * written; the second writes each row as it is stepped.  Every string
 * and real is written by jansson with the dump's flags (json_dump_callback
 * of one reused json string, or of a json real), so escaping and number
 * text are jansson's; integers are written as its %lld writes them; the
 * keys are the columns' names, in schema order, encoded once per table.
 *
 * Workload: memory is the sink's chunk (FMT_SINK_CHUNK) and the longest
 * row, whatever the store holds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fmt/json-int.h"
#include "banned.h"

struct dump {
	struct cairn_store *st;
	struct fmt_sink *sink;
	struct cairn_err *err;
	size_t flags;
	json_t *str; /* every string value, in turn */
};

/* buf_add, without a call when there is room (most of the time). */
static inline void
put(struct buf *out, const void *data, size_t len)
{
	if (out->alloc - out->len > len && !out->max) {
		memcpy(out->buf + out->len, data, len);
		out->len += len;
		out->buf[out->len] = '\0';
	} else {
		buf_add(out, data, len);
	}
}

static int
add_cb(const char *data, size_t len, void *ctx)
{
	put(ctx, data, len);
	return 0;
}

/* v as jansson writes it with the dump's flags; -1 when it cannot. */
static int
add_json(struct dump *d, struct buf *out, const json_t *v)
{
	return json_dump_callback(v, add_cb, out, d->flags);
}

/* As jansson writes a json integer ("%" JSON_INTEGER_FORMAT). */
static void
add_int(struct buf *out, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u =
	        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	put(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int
not_dumpable(struct dump *d, const char *table, sqlite3_stmt *s, int c)
{
	return cairn_err_set(d->err, CAIRN_EINVAL,
	                     "cannot dump %s.%s of row %lld: not text or a "
	                     "number",
	                     table, sqlite3_column_name(s, c),
	                     (long long)sqlite3_column_int64(s, 0));
}

/*
 * Whether a column declared type decl can hold a REAL: all but those of
 * TEXT affinity, which store numbers as text (the rules of SQLite's
 * "Datatypes In SQLite", 3.1: INT first, then CHAR, CLOB or TEXT).
 */
static int
can_hold_real(const char *decl)
{
	char up[64];
	size_t i;

	for (i = 0; decl && decl[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)toupper((unsigned char)decl[i]);
	up[i] = '\0';
	return strstr(up, "INT") || !(strstr(up, "CHAR") ||
	                              strstr(up, "CLOB") || strstr(up, "TEXT"));
}

/*
 * First pass over one table: raise *prec to the fewest %g digits that
 * make each of its REALs read back.  Only the rows holding one come back
 * to C, and only the columns that can hold one are looked at.
 */
static int
precision_table(struct dump *d, const char *name, int *prec)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	char tmp[40];
	int rc, n;

	buf_addf(&sql, "SELECT * FROM \"%s\"", name);
	rc = store_prepare(d->st, &s, sql.buf, d->err);
	if (rc)
		goto out;
	n = sqlite3_column_count(s);
	buf_adds(&sql, " WHERE 0");
	for (int c = 0; c < n; c++)
		if (can_hold_real(sqlite3_column_decltype(s, c)))
			buf_addf(&sql, " OR typeof(\"%s\") = 'real'",
			         sqlite3_column_name(s, c));
	sqlite3_finalize(s);
	if ((rc = store_prepare(d->st, &s, sql.buf, d->err)))
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int c = 0; c < n; c++) {
			double v;

			if (sqlite3_column_type(s, c) != SQLITE_FLOAT)
				continue;
			v = sqlite3_column_double(s, c);
			for (int p = *prec; p < 17; p++) {
				snprintf(tmp, sizeof(tmp), "%.*g", p, v);
				if (strtod(tmp, NULL) == v)
					break;
				*prec = p + 1;
			}
		}
	}
	rc = rc == SQLITE_DONE ? 0
	                       : store_sqlerr(d->st, d->err, "read the store");
	sqlite3_finalize(s);
out:
	buf_release(&sql);
	return rc;
}

/*
 * Whether jansson writes s as it is between quotes: printable ASCII
 * without '"' or '\\' (no escape, nothing to check).  The rest goes
 * through jansson.
 */
static int
plain_ascii(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
			return 0;
	return 1;
}

/* Append column c of the row s is on; -1 when it is not text or a number. */
static int
add_value(struct dump *d, struct buf *out, sqlite3_stmt *s, int c)
{
	const unsigned char *text;
	size_t len;
	json_t *v;
	int rc;

	switch (sqlite3_column_type(s, c)) {
	case SQLITE_INTEGER:
		add_int(out, sqlite3_column_int64(s, c));
		return 0;
	case SQLITE_NULL:
		put(out, "null", 4);
		return 0;
	case SQLITE_TEXT:
		text = sqlite3_column_text(s, c);
		len = (size_t)sqlite3_column_bytes(s, c);
		if (plain_ascii(text, len)) {
			put(out, "\"", 1);
			put(out, text, len);
			put(out, "\"", 1);
			return 0;
		}
		/* Not checked here: dumping it checks the UTF-8. */
		if (json_string_setn_nocheck(d->str, (const char *)text, len))
			return -1;
		return add_json(d, out, d->str);
	case SQLITE_FLOAT:
		if (!(v = json_real(sqlite3_column_double(s, c))))
			return -1;
		rc = add_json(d, out, v);
		json_decref(v);
		return rc;
	default:
		return -1;
	}
}

/* Second pass: the table's rows, in id order, one object on a line; a
 * NULL that cairn_col_omit_null names is left out. */
static int
dump_table(struct dump *d, const char *name)
{
	struct buf sql = BUF_INIT, *keys = NULL;
	sqlite3_stmt *s;
	int rc, n, rows = 0, *omit = NULL;

	buf_addf(&sql, "SELECT * FROM \"%s\" ORDER BY id", name);
	rc = store_prepare(d->st, &s, sql.buf, d->err);
	buf_release(&sql);
	if (rc)
		return rc;
	/* Each column's key with what comes before it: {"id": ,"time": */
	n = sqlite3_column_count(s);
	keys = xcalloc((size_t)n + 1, sizeof(*keys));
	omit = xcalloc((size_t)n + 1, sizeof(*omit));
	for (int c = 0; c < n; c++) {
		json_t *k = json_string(sqlite3_column_name(s, c));

		/* Never column 0 (the id), which opens the object. */
		omit[c] = c &&
		          cairn_col_omit_null(name, sqlite3_column_name(s, c));

		keys[c] = (struct buf)BUF_INIT;
		buf_adds(&keys[c], c ? "," : "{");
		if (!k || add_json(d, &keys[c], k)) {
			json_decref(k);
			rc = cairn_err_set(d->err, CAIRN_EINVAL,
			                   "cannot write a value as JSON");
			goto out;
		}
		json_decref(k);
		buf_addch(&keys[c], ':');
	}
	buf_addf(fmt_sink_buf(d->sink), "\"%s\": [", name);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct buf *out = fmt_sink_buf(d->sink);

		buf_adds(out, rows++ ? ",\n" : "\n");
		for (int c = 0; c < n; c++) {
			if (omit[c] && sqlite3_column_type(s, c) == SQLITE_NULL)
				continue;
			put(out, keys[c].buf, keys[c].len);
			if (add_value(d, out, s, c)) {
				rc = not_dumpable(d, name, s, c);
				goto out;
			}
		}
		put(out, "}", 1);
		if ((rc = fmt_sink_flush(d->sink, 0, d->err)))
			goto out;
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(d->st, d->err, "read the store");
		goto out;
	}
	rc = 0;
	buf_adds(fmt_sink_buf(d->sink), rows ? "\n]" : "]");
out:
	for (int c = 0; c < n; c++)
		buf_release(&keys[c]);
	free(keys);
	free(omit);
	sqlite3_finalize(s);
	return rc;
}

/* The header: format, versions and the id sequences. */
static int
dump_header(struct dump *d)
{
	struct buf *out = fmt_sink_buf(d->sink);
	sqlite3_stmt *s;
	int rc, n = 0;

	buf_addf(out,
	         "{\n\"format\": \"%s\",\n\"version\": %d,\n\"schema\": %d,\n"
	         "\"sequence\": {",
	         DUMP_FORMAT, DUMP_VERSION, CAIRN_SCHEMA_VERSION);
	if ((rc = store_prepare(d->st, &s,
	                        "SELECT name, seq FROM sqlite_sequence "
	                        "ORDER BY name",
	                        d->err)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *name;

		if (!json_known_table(store_col_text(s, 0)))
			continue;
		name = json_string(store_col_text(s, 0));
		buf_adds(out, n++ ? ", " : "");
		if (name)
			add_json(d, out, name);
		json_decref(name);
		buf_addf(out, ": %lld", (long long)sqlite3_column_int64(s, 1));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(d->st, d->err, "read the store");
	buf_adds(out, "},\n\"tables\": {\n");
	return 0;
}

static int
dump_all(struct dump *d)
{
	int prec = 1, rc;

	for (size_t t = 0; json_table_at(t); t++)
		if ((rc = precision_table(d, json_table_at(t), &prec)))
			return rc;
	d->flags = JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
	           JSON_REAL_PRECISION(prec);
	if ((rc = dump_header(d)))
		return rc;
	for (size_t t = 0; json_table_at(t); t++) {
		if (t)
			buf_adds(fmt_sink_buf(d->sink), ",\n");
		if ((rc = dump_table(d, json_table_at(t))))
			return rc;
	}
	buf_adds(fmt_sink_buf(d->sink), "\n}\n}\n");
	return fmt_sink_flush(d->sink, 1, d->err);
}

int
fmt_json_dump(struct cairn_store *st, struct fmt_sink *sink,
              struct cairn_err *err)
{
	struct dump d = {.st = st, .sink = sink, .err = err};
	int rc;

	/* One read transaction (nested in the caller's, if any). */
	if ((rc = store_exec(st, "SAVEPOINT json_dump", err)))
		return rc;
	d.str = json_string("");
	rc = dump_all(&d);
	json_decref(d.str);
	store_exec(st, "RELEASE json_dump", NULL);
	return rc;
}
