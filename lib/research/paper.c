/*
 * paper.c: papers, the items that require them, and BibTeX import.
 *
 * Invariants: keys are unique and valid citation keys; an import is one
 * change that adds every new key of a well-formed file or nothing at all,
 * and never touches a paper already in the store (so a second import of
 * the same file adds nothing).  A requirement (item_paper) is met once its
 * paper is read, replicated or replication-failed.
 *
 * Workload: reference lists of hundreds to a few thousand papers; an
 * import reads the whole file into memory (bounded at 32 MiB).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "cairn/fmt/bibtex.h"
#include "cairn/research/paper.h"
#include "core/item-int.h"
#include "research/research-int.h"
#include "banned.h"

#define PAPER_COLS                                                             \
	"id, key, title, authors, year, month, venue, url, doi, status, "      \
	"notes, created"
#define IMPORT_MAX (32u << 20)
#define KEY_MAX    200

static const char *const status_names[] = {
        "to-read",     "reading",    "read",
        "replicating", "replicated", "replication-failed",
};

const char *const cairn_paper_fields[] = {
        "key", "title", "authors", "year",  "month", "venue",
        "url", "doi",   "status",  "notes", NULL,
};

/* Statuses that meet a requirement, as an SQL list. */
#define PAPER_DONE "('read', 'replicated', 'replication-failed')"

const char *
cairn_paper_status_name(enum cairn_paper_status s)
{
	return (unsigned)s < CAIRN_PAPER_STATUS_COUNT ? status_names[s] : "?";
}

int
cairn_paper_status_parse(const char *s)
{
	for (int i = 0; s && i < CAIRN_PAPER_STATUS_COUNT; i++)
		if (!strcmp(status_names[i], s))
			return i;
	return -1;
}

void
cairn_paper_init(struct cairn_paper *p)
{
	memset(p, 0, sizeof(*p));
}

void
cairn_paper_release(struct cairn_paper *p)
{
	if (!p)
		return;
	free(p->key);
	free(p->title);
	free(p->authors);
	free(p->venue);
	free(p->url);
	free(p->doi);
	free(p->notes);
	cairn_paper_init(p);
}

static void
paper_from_row(sqlite3_stmt *s, struct cairn_paper *p)
{
	cairn_paper_release(p);
	p->id = sqlite3_column_int64(s, 0);
	p->key = xstrdup(store_col_text(s, 1));
	p->title = xstrdup(store_col_text(s, 2));
	p->authors = xstrdup(store_col_text(s, 3));
	p->year = sqlite3_column_int(s, 4);
	p->month = sqlite3_column_int(s, 5);
	p->venue = xstrdup_or_null((const char *)sqlite3_column_text(s, 6));
	p->url = xstrdup_or_null((const char *)sqlite3_column_text(s, 7));
	p->doi = xstrdup_or_null((const char *)sqlite3_column_text(s, 8));
	p->status = cairn_paper_status_parse(store_col_text(s, 9));
	p->notes = xstrdup(store_col_text(s, 10));
	snprintf(p->created, sizeof(p->created), "%s", store_col_text(s, 11));
}

int
cairn_paper_key_check(const char *key, struct cairn_err *err)
{
	if (!key || !*key)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "a paper key must not be empty");
	if (strlen(key) > KEY_MAX)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "paper key '%.40s...' is longer than %d "
		                     "bytes",
		                     key, KEY_MAX);
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr(",{}()\"#%=@\\'", *p))
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "paper key '%s' must not contain "
			                     "spaces or any of , { } ( ) \" # "
			                     "%% = @ \\ '",
			                     key);
	return 0;
}

static int
check_year(const char *s, int *year, struct cairn_err *err)
{
	double v;

	if (rs_parse_double(s, &v) || v != (int)v || v < 1000 || v > 2999)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "year '%s' must be a four-digit year", s);
	*year = (int)v;
	return 0;
}

static int
check_url(const char *url, struct cairn_err *err)
{
	if (!url || !*url)
		return 0;
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "url '%s' must start with http:// or "
		                     "https://",
		                     url);
	return rs_check_text("url", url, 1, 2048, 0, err);
}

static int
check_paper(const struct cairn_paper *p, struct cairn_err *err)
{
	int rc;

	if ((rc = rs_check_text("paper title", p->title, 1, RS_TEXT_MAX, 0,
	                        err)) ||
	    (rc = rs_check_text("authors", p->authors, 0, RS_TEXT_MAX, 0,
	                        err)) ||
	    (rc = rs_check_text("venue", p->venue, 0, RS_TEXT_MAX, 0, err)) ||
	    (rc = rs_check_text("doi", p->doi, 0, 2048, 0, err)) ||
	    (rc = rs_check_text("notes", p->notes, 0, RS_TEXT_MAX, 1, err)) ||
	    (rc = check_url(p->url, err)))
		return rc;
	if (p->year && (p->year < 1000 || p->year > 2999))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "year %d must be a four-digit year",
		                     p->year);
	if (p->month < 0 || p->month > 12)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "month %d must be from 1 to 12", p->month);
	if ((unsigned)p->status >= CAIRN_PAPER_STATUS_COUNT)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown paper status");
	return 0;
}

/* Lower-case ASCII letters and digits of s (accents stripped) onto out. */
static void
ascii_word(struct buf *out, const char *s, size_t len)
{
	utf8proc_uint8_t *folded = NULL;
	struct buf tmp = BUF_INIT;

	buf_add(&tmp, s, len);
	if (utf8proc_map((const utf8proc_uint8_t *)tmp.buf, 0, &folded,
	                 UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE |
	                         UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) < 0)
		folded = NULL;
	for (const char *p = folded ? (const char *)folded : tmp.buf; *p; p++)
		if (isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
			buf_addch(out, (char)tolower((unsigned char)*p));
	free(folded);
	buf_release(&tmp);
}

static int
is_stop_word(const char *w, size_t n)
{
	static const char *const stop[] = {"a",      "an",   "the",  "on",
	                                   "of",     "in",   "for",  "to",
	                                   "and",    "with", "from", "towards",
	                                   "toward", "via",  "is",   "are"};

	for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (strlen(stop[i]) == n && !strncasecmp(stop[i], w, n))
			return 1;
	return 0;
}

/* "devlin2019bert": surname, year, first significant title word. */
static void
key_base(const struct cairn_paper *p, struct buf *out)
{
	const char *a = p->authors, *t = p->title, *end;

	if (a && *a) {
		/* The first author: up to a comma or " and ". */
		end = a + strcspn(a, ",;");
		if (strstr(a, " and ") && strstr(a, " and ") < end)
			end = strstr(a, " and ");
		while (end > a && end[-1] == ' ')
			end--;
		/* "Jacob Devlin": the last word; "Devlin, J." came as
		 * "Devlin" already. */
		{
			const char *w = end;

			while (w > a && w[-1] != ' ')
				w--;
			ascii_word(out, w, (size_t)(end - w));
		}
	}
	if (p->year)
		buf_addf(out, "%d", p->year);
	while (t && *t) {
		size_t n;

		while (*t && !isalnum((unsigned char)*t) &&
		       !((unsigned char)*t & 0x80))
			t++;
		n = strcspn(t, " \t:;,.-?!'\"()");
		if (!n)
			break;
		if (!is_stop_word(t, n) || !t[n]) {
			size_t before = out->len;

			ascii_word(out, t, n);
			if (out->len > before)
				break;
		}
		t += n;
	}
	if (!out->len)
		buf_adds(out, "paper");
	if (out->len > 64) {
		out->len = 64;
		out->buf[64] = '\0';
	}
}

static int
key_taken(struct cairn_store *st, const char *key, int *taken,
          struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt, "SELECT 1 FROM paper WHERE key = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	*taken = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
	             ? 0
	             : store_sqlerr(st, err, "read the papers");
	sqlite3_finalize(stmt);
	return rc;
}

static int
make_key(struct cairn_store *st, struct cairn_paper *p, struct cairn_err *err)
{
	struct buf base = BUF_INIT, key = BUF_INIT;
	int taken = 1, rc = 0;

	key_base(p, &base);
	for (int i = 0; taken; i++) {
		buf_reset(&key);
		buf_adds(&key, base.buf);
		if (i > 0 && i < 26)
			buf_addch(&key, (char)('a' + i));
		else if (i >= 26)
			buf_addf(&key, "-%d", i);
		if ((rc = key_taken(st, key.buf, &taken, err)))
			goto out;
	}
	free(p->key);
	p->key = buf_detach(&key, NULL);
out:
	buf_release(&base);
	buf_release(&key);
	return rc;
}

/* INSERT p (validated) inside an open change. */
static int
insert_paper(struct cairn_store *st, struct cairn_paper *p,
             struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	cairn_now(p->created);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO paper(key, title, authors, year, "
	                        "month, venue, url, doi, status, notes, "
	                        "created) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	                        "?) ON CONFLICT(key) DO NOTHING",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, p->key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, p->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, p->authors ? p->authors : "", -1,
	                  SQLITE_TRANSIENT);
	if (p->year)
		sqlite3_bind_int(stmt, 4, p->year);
	if (p->month)
		sqlite3_bind_int(stmt, 5, p->month);
	store_bind_text_or_null(stmt, 6, p->venue);
	store_bind_text_or_null(stmt, 7, p->url);
	store_bind_text_or_null(stmt, 8, p->doi);
	sqlite3_bind_text(stmt, 9, cairn_paper_status_name(p->status), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, p->notes ? p->notes : "", -1,
	                  SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 11, p->created, -1, SQLITE_TRANSIENT);
	rc = store_step(st, stmt, "add the paper", err);
	sqlite3_finalize(stmt);
	if (!rc && sqlite3_changes(st->db) == 0)
		return cairn_err_set(err, CAIRN_EEXIST,
		                     "there is already a paper '%s'", p->key);
	if (!rc)
		p->id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int
cairn_paper_add(struct cairn_store *st, struct cairn_paper *p,
                struct cairn_err *err)
{
	int rc;

	if ((rc = check_paper(p, err)))
		return rc;
	if (p->key && *p->key && (rc = cairn_paper_key_check(p->key, err)))
		return rc;
	if ((rc = cairn_store_begin(st, "add paper", err)))
		return rc;
	if ((!p->key || !*p->key) && (rc = make_key(st, p, err)))
		goto out;
	rc = insert_paper(st, p, err);
out:
	return store_finish(st, rc, err);
}

int
cairn_paper_get(struct cairn_store *st, const char *key,
                struct cairn_paper *out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	cairn_paper_init(out);
	if ((rc = store_prepare(
	             st, &stmt,
	             "SELECT " PAPER_COLS " FROM paper WHERE key = ?", err)))
		return rc;
	sqlite3_bind_text(stmt, 1, key ? key : "", -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		paper_from_row(stmt, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = cairn_err_set(err, CAIRN_ENOTFOUND, "no paper '%s'",
		                   key ? key : "");
	} else {
		rc = store_sqlerr(st, err, "read the papers");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
is_none(const char *v)
{
	return !v || !*v || !strcmp(v, "none");
}

/* Parse field=value into p; the key is handled by the caller. */
static int
parse_field(struct cairn_paper *p, const char *field, const char *value,
            struct cairn_err *err)
{
	char **text = NULL;
	int s;

	if (!strcmp(field, "title"))
		text = &p->title;
	else if (!strcmp(field, "authors") || !strcmp(field, "author"))
		text = &p->authors;
	else if (!strcmp(field, "venue"))
		text = &p->venue;
	else if (!strcmp(field, "url"))
		text = &p->url;
	else if (!strcmp(field, "doi"))
		text = &p->doi;
	else if (!strcmp(field, "notes") || !strcmp(field, "note"))
		text = &p->notes;
	if (text) {
		free(*text);
		*text = is_none(value) ? NULL : xstrdup(value);
		return 0;
	}
	if (!strcmp(field, "year")) {
		if (is_none(value)) {
			p->year = 0;
			return 0;
		}
		return check_year(value, &p->year, err);
	}
	if (!strcmp(field, "month")) {
		if (is_none(value)) {
			p->month = 0;
			return 0;
		}
		if (!(p->month = cairn_month_parse(value)))
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "month '%s' must be 1-12 or a "
			                     "month's name",
			                     value);
		return 0;
	}
	if (!strcmp(field, "status")) {
		if ((s = cairn_paper_status_parse(value)) < 0)
			return cairn_err_set(
			        err, CAIRN_EINVAL,
			        "unknown paper status '%s' (want to-read, "
			        "reading, read, replicating, replicated or "
			        "replication-failed)",
			        value ? value : "");
		p->status = s;
		return 0;
	}
	return cairn_err_set(err, CAIRN_ENOTFOUND,
	                     "unknown paper field '%s' (want key, title, "
	                     "authors, year, month, venue, url, doi, status or "
	                     "notes)",
	                     field);
}

int
cairn_paper_set(struct cairn_store *st, const char *key, const char *field,
                const char *value, struct cairn_err *err)
{
	struct cairn_paper p;
	sqlite3_stmt *stmt = NULL;
	int rc, taken;

	if ((rc = cairn_store_begin(st, "set paper", err)))
		return rc;
	if ((rc = cairn_paper_get(st, key, &p, err)))
		goto out;
	if (!strcmp(field, "key")) {
		if ((rc = cairn_paper_key_check(value, err)) ||
		    (rc = key_taken(st, value, &taken, err)))
			goto out;
		if (taken && strcmp(value, p.key)) {
			rc = cairn_err_set(err, CAIRN_EEXIST,
			                   "there is already a paper '%s'",
			                   value);
			goto out;
		}
		free(p.key);
		p.key = xstrdup(value);
	} else if ((rc = parse_field(&p, field, value, err)) ||
	           (rc = check_paper(&p, err))) {
		goto out;
	}
	if ((rc = store_prepare(
	             st, &stmt,
	             "UPDATE paper SET key = ?1, title = ?2, authors = ?3, "
	             "year = ?4, month = ?5, venue = ?6, url = ?7, doi = ?8, "
	             "status = ?9, notes = ?10 WHERE id = ?11 AND (key, title, "
	             "authors, year, month, venue, url, doi, status, notes) IS "
	             "NOT (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	             err)))
		goto out;
	sqlite3_bind_text(stmt, 1, p.key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, p.title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, p.authors ? p.authors : "", -1,
	                  SQLITE_TRANSIENT);
	if (p.year)
		sqlite3_bind_int(stmt, 4, p.year);
	if (p.month)
		sqlite3_bind_int(stmt, 5, p.month);
	store_bind_text_or_null(stmt, 6, p.venue);
	store_bind_text_or_null(stmt, 7, p.url);
	store_bind_text_or_null(stmt, 8, p.doi);
	sqlite3_bind_text(stmt, 9, cairn_paper_status_name(p.status), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, p.notes ? p.notes : "", -1,
	                  SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 11, p.id);
	rc = store_step(st, stmt, "update the paper", err);
out:
	sqlite3_finalize(stmt);
	cairn_paper_release(&p);
	return store_finish(st, rc, err);
}

static int
link_change(struct cairn_store *st, const char *key, int64_t item, int add,
            struct cairn_err *err)
{
	struct cairn_paper p;
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	cairn_paper_init(&p);
	if ((rc = cairn_store_begin(st, add ? "link paper" : "unlink paper",
	                            err)))
		return rc;
	if ((rc = cairn_paper_get(st, key, &p, err)) ||
	    (rc = item_exists(st, item, err)))
		goto out;
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        add ? "INSERT INTO item_paper(item, paper, "
	                              "created) VALUES(?1, ?2, ?3) "
	                              "ON CONFLICT DO NOTHING"
	                            : "DELETE FROM item_paper WHERE item = ?1 "
	                              "AND paper = ?2",
	                        err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, item);
	sqlite3_bind_int64(stmt, 2, p.id);
	if (add)
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	if ((rc = store_step(st, stmt, "link the paper", err)))
		goto out;
	if (sqlite3_changes(st->db) == 0)
		rc = add ? cairn_err_set(err, CAIRN_EEXIST,
		                         "#%lld already requires '%s'",
		                         (long long)item, key)
		         : cairn_err_set(err, CAIRN_ENOTFOUND,
		                         "#%lld does not require '%s'",
		                         (long long)item, key);
out:
	sqlite3_finalize(stmt);
	cairn_paper_release(&p);
	return store_finish(st, rc, err);
}

int
cairn_paper_link(struct cairn_store *st, const char *key, int64_t item,
                 struct cairn_err *err)
{
	return link_change(st, key, item, 1, err);
}

int
cairn_paper_unlink(struct cairn_store *st, const char *key, int64_t item,
                   struct cairn_err *err)
{
	return link_change(st, key, item, 0, err);
}

int
cairn_paper_remove(struct cairn_store *st, const char *key, int force,
                   int *links, struct cairn_err *err)
{
	static const char *const sql[] = {
	        "DELETE FROM item_paper WHERE paper = ?",
	        "DELETE FROM paper WHERE id = ?",
	};
	struct cairn_paper p;
	struct buf items = BUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int rc, n = 0;

	cairn_paper_init(&p);
	if ((rc = cairn_store_begin(st, "remove paper", err)))
		return rc;
	if ((rc = cairn_paper_get(st, key, &p, err)) ||
	    (rc = store_prepare(st, &stmt,
	                        "SELECT item FROM item_paper WHERE paper = ? "
	                        "ORDER BY item",
	                        err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, p.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		buf_addf(&items, "%s#%lld", n++ ? ", " : "",
		         (long long)sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the papers");
		goto out;
	}
	if (n && !force) {
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "paper '%s' is required by %s: use --force "
		                   "to remove it and %s",
		                   key, items.buf,
		                   n == 1 ? "that link" : "those links");
		goto out;
	}
	/* The links first, each a journalled row of its own. */
	for (int i = 0; i < 2; i++) {
		if ((rc = store_prepare(st, &stmt, sql[i], err)))
			goto out;
		sqlite3_bind_int64(stmt, 1, p.id);
		rc = store_step(st, stmt, "remove the paper", err);
		sqlite3_finalize(stmt);
		if (rc)
			goto out;
	}
	if (links)
		*links = n;
out:
	buf_release(&items);
	cairn_paper_release(&p);
	return store_finish(st, rc, err);
}

int
cairn_paper_each(struct cairn_store *st, const struct cairn_paper_query *q,
                 cairn_paper_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_paper p;
	sqlite3_stmt *stmt;
	int rc;

	if (q->item && (rc = item_exists(st, q->item, err)))
		return rc;
	if ((rc = store_prepare(
	             st, &stmt,
	             "SELECT " PAPER_COLS " FROM paper WHERE "
	             "(?1 IS NULL OR status = ?1) AND (?2 = 0 OR id IN "
	             "(SELECT paper FROM item_paper WHERE item IN "
	             "(WITH RECURSIVE sub(id) AS (SELECT ?2 UNION ALL "
	             "SELECT i.id FROM item i JOIN sub ON i.parent = sub.id) "
	             "SELECT id FROM sub))) ORDER BY key",
	             err)))
		return rc;
	if (q->status >= 0)
		sqlite3_bind_text(stmt, 1, cairn_paper_status_name(q->status),
		                  -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, q->item);
	cairn_paper_init(&p);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		paper_from_row(stmt, &p);
		if ((rc = fn(ctx, &p)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the papers");
out:
	cairn_paper_release(&p);
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_paper_items(struct cairn_store *st, int64_t paper,
                  int (*fn)(void *ctx, int64_t item), void *ctx,
                  struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT item FROM item_paper WHERE paper = ? "
	                        "ORDER BY item",
	                        err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, paper);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((rc = fn(ctx, sqlite3_column_int64(stmt, 0))))
			goto out;
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the papers");
out:
	sqlite3_finalize(stmt);
	return rc;
}

int
cairn_paper_pending(struct cairn_store *st, int64_t item, int *count,
                    struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	*count = 0;
	if ((rc = item_exists(st, item, err)))
		return rc;
	if ((rc = store_prepare(
	             st, &stmt,
	             "WITH RECURSIVE anc(id) AS (SELECT ?1 UNION "
	             "SELECT i.parent FROM item i JOIN anc ON i.id = anc.id "
	             "WHERE i.parent IS NOT NULL) "
	             "SELECT count(DISTINCT p.id) FROM item_paper ip "
	             "JOIN paper p ON p.id = ip.paper WHERE ip.item IN anc "
	             "AND p.status NOT IN " PAPER_DONE,
	             err)))
		return rc;
	sqlite3_bind_int64(stmt, 1, item);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*count = sqlite3_column_int(stmt, 0);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the papers");
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Read the whole file at path into out, bounded. */
static int
read_file(const char *path, struct buf *out, struct cairn_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return cairn_err_set(
		        err, errno == ENOENT ? CAIRN_ENOTFOUND : CAIRN_EINVAL,
		        "cannot read '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot read '%s': it is a folder", path);
	}
	out->max = IMPORT_MAX;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(out, chunk, n)) {
			rc = cairn_err_set(err, CAIRN_EINVAL,
			                   "'%s' is larger than %u MiB", path,
			                   IMPORT_MAX >> 20);
			break;
		}
	if (!rc && ferror(f))
		rc = cairn_err_set(err, CAIRN_EINVAL, "cannot read '%s': %s",
		                   path, strerror(errno));
	fclose(f);
	return rc;
}

int
cairn_paper_import(struct cairn_store *st, const char *path,
                   struct cairn_import_stats *stats, struct cairn_err *err)
{
	struct cairn_bib bib = CAIRN_BIB_INIT;
	struct cairn_err why = CAIRN_ERR_INIT;
	struct buf text = BUF_INIT;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int rc, taken;

	memset(stats, 0, sizeof(*stats));
	if ((rc = read_file(path, &text, err)) ||
	    (rc = cairn_bibtex_parse(text.buf, text.len, name, &bib, err)))
		goto done;
	if ((rc = cairn_store_begin(st, "import papers", err)))
		goto done;
	for (size_t i = 0; i < bib.n && !rc; i++) {
		struct cairn_bibentry *e = &bib.entries[i];
		struct cairn_paper p;
		int repeat = 0;

		if (cairn_paper_key_check(e->key, &why)) {
			rc = cairn_err_set(err, CAIRN_EINVAL,
			                   "malformed BibTeX in '%s' at line "
			                   "%d: %s; nothing imported",
			                   name, e->line, why.msg);
			break;
		}
		for (size_t j = 0; j < i && !repeat; j++)
			repeat = !strcmp(bib.entries[j].key, e->key);
		if (repeat) {
			stats->repeats++;
			continue;
		}
		if ((rc = key_taken(st, e->key, &taken, err)))
			break;
		if (taken) {
			stats->present++;
			continue;
		}
		cairn_paper_init(&p);
		p.key = e->key;
		p.title = e->title;
		p.authors = e->authors;
		p.year = e->year;
		p.month = e->month;
		p.venue = e->venue;
		p.url = e->url && !check_url(e->url, NULL) ? e->url : NULL;
		p.doi = e->doi;
		if ((rc = check_paper(&p, &why))) {
			rc = cairn_err_set(err, CAIRN_EINVAL,
			                   "bad BibTeX entry '%s' in '%s' at "
			                   "line %d: %s; nothing imported",
			                   e->key, name, e->line, why.msg);
			break;
		}
		if (!(rc = insert_paper(st, &p, err)))
			stats->added++;
	}
	rc = store_finish(st, rc, err);
	if (rc)
		memset(stats, 0, sizeof(*stats));
done:
	cairn_bib_release(&bib);
	buf_release(&text);
	return rc;
}

json_t *
cairn_paper_json(const struct cairn_paper *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "key", json_string(p->key));
	json_object_set_new(o, "title", json_string(p->title));
	json_object_set_new(o, "authors",
	                    p->authors && *p->authors ? json_string(p->authors)
	                                              : json_null());
	json_object_set_new(o, "year",
	                    p->year ? json_integer(p->year) : json_null());
	json_object_set_new(o, "month",
	                    p->month ? json_integer(p->month) : json_null());
	json_object_set_new(o, "venue",
	                    p->venue ? json_string(p->venue) : json_null());
	json_object_set_new(o, "url",
	                    p->url ? json_string(p->url) : json_null());
	json_object_set_new(o, "doi",
	                    p->doi ? json_string(p->doi) : json_null());
	json_object_set_new(o, "status",
	                    json_string(cairn_paper_status_name(p->status)));
	json_object_set_new(o, "notes", json_string(p->notes ? p->notes : ""));
	json_object_set_new(o, "created", json_string(p->created));
	return o;
}
