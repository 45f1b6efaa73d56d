/*
 * doctor.c: checking a store (`cairn doctor`).
 *
 * Four checks, each reported one line per finding: SQLite's
 * integrity_check (the file's pages and indexes), foreign_key_check
 * (rows that refer to rows that are gone), the journal against the
 * tables (store_journal_check in journal.c), and the schema version.
 * The store is opened for inspection only (CAIRN_OPEN_CHECK): nothing
 * written, never migrated, even when an earlier command marked it
 * damaged.  A
 * store with damaged pages is marked (PATH.damaged, see store.c) so
 * that every other command refuses it; a sound one loses the mark.
 *
 * Workload: reads every page once (integrity_check) and every
 * journalled row and event once.
 */
#include <stdio.h>
#include <string.h>

#include "cairn/store/backup.h"
#include "store/store-int.h"
#include "banned.h"

struct doc {
	cairn_doctor_fn fn;
	void *ctx;
	int found;
	struct buf line;
};

static int
finding(void *ctx, const char *line)
{
	struct doc *d = ctx;

	d->found++;
	return d->fn(d->ctx, line);
}

/* Each line of an integrity_check row as a finding, but its heading. */
static int
each_line(struct doc *d, const char *what, const char *text)
{
	int stop = 0;

	while (*text && !stop) {
		size_t n = strcspn(text, "\n");

		if (strncmp(text, "*** in database ", 16)) {
			buf_reset(&d->line);
			buf_addf(&d->line, "%s: %.*s", what, (int)n, text);
			stop = finding(d, d->line.buf);
		}
		text += n + (text[n] == '\n');
	}
	return stop;
}

/*
 * Each row of the PRAGMA sql as a finding about what: integrity_check's
 * messages (but "ok"), or foreign_key_check's rows (fk).  Returns fn's
 * non-zero, else 0; a check that cannot run is itself a finding.
 */
static int
pragma_rows(struct cairn_store *st, struct doc *d, const char *sql,
            const char *what, int fk)
{
	sqlite3_stmt *s = NULL;
	int step, stop = 0, before = d->found;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		step = SQLITE_ERROR;
	else
		while (!stop && (step = sqlite3_step(s)) == SQLITE_ROW) {
			buf_reset(&d->line);
			if (fk)
				buf_addf(&d->line,
				         "%s: %s row %lld refers to a missing "
				         "%s row",
				         what, store_col_text(s, 0),
				         (long long)sqlite3_column_int64(s, 1),
				         store_col_text(s, 2));
			else if (!strcmp(store_col_text(s, 0), "ok"))
				continue;
			else
				stop = each_line(d, what, store_col_text(s, 0));
			if (fk)
				stop = finding(d, d->line.buf);
		}
	/* A check that stops on the damage it reports has said enough. */
	if (!stop && step != SQLITE_DONE && step != SQLITE_ROW &&
	    d->found == before) {
		buf_reset(&d->line);
		buf_addf(&d->line, "%s: check stopped: %s", what,
		         sqlite3_errmsg(st->db));
		stop = finding(d, d->line.buf);
	}
	sqlite3_finalize(s);
	return stop;
}

int
cairn_store_doctor(const char *path, cairn_doctor_fn fn, void *ctx,
                   struct cairn_err *err)
{
	struct doc d = {fn, ctx, 0, BUF_INIT};
	struct cairn_store *st;
	struct cairn_err jerr = CAIRN_ERR_INIT;
	int version = 0, rc, pages;

	if ((rc = cairn_store_open(&st, path, CAIRN_OPEN_CHECK, err)))
		return rc;
	if (store_pragma_int(st, "PRAGMA user_version", &version, NULL) ||
	    version != CAIRN_SCHEMA_VERSION) {
		buf_addf(&d.line,
		         "schema: version %d, where this cairn's is %d%s",
		         version, CAIRN_SCHEMA_VERSION,
		         version < CAIRN_SCHEMA_VERSION
		                 ? " (any command but doctor and backup "
		                   "migrates it)"
		                 : "");
		if ((rc = finding(&d, d.line.buf)))
			goto out;
	}
	pages = d.found;
	if ((rc = pragma_rows(st, &d, "PRAGMA integrity_check", "integrity",
	                      0)))
		goto out;
	pages = d.found - pages;
	if ((rc = pragma_rows(st, &d, "PRAGMA foreign_key_check", "foreign key",
	                      1)))
		goto out;
	/* An older schema is checked by the journal of its own time only
	 * once migrated. */
	rc = version == CAIRN_SCHEMA_VERSION
	             ? store_journal_check(st, finding, &d, &jerr)
	             : 0;
	if (rc < 0) {
		buf_reset(&d.line);
		buf_addf(&d.line, "journal: check stopped: %s",
		         rc == CAIRN_ECORRUPT ? "the store is damaged"
		                              : jerr.msg);
		if ((rc = finding(&d, d.line.buf)))
			goto out;
	}
	rc = 0;
	store_damage_mark(path, pages ? "cairn doctor: integrity_check failed"
	                              : NULL);
out:
	cairn_store_free(st);
	buf_release(&d.line);
	return rc ? rc : d.found;
}
