/*
 * unit.h: helpers shared by the unit tests (tests/unit/test-*.c).
 *
 * Each test gets a fresh store in its own temporary folder (fixture_setup
 * and fixture_teardown), a fixed clock ($CAIRN_NOW) and actor, and can look
 * at the SQLite file directly through a second connection (db_*) to check
 * what the library wrote, independently of the library's own readers.
 */
#ifndef CAIRN_TEST_UNIT_H
#define CAIRN_TEST_UNIT_H

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cairn/cairn.h"

/* The clock every fixture starts with. */
#define UNIT_NOW "2026-03-15T10:00:00Z"

struct fixture {
	char dir[PATH_MAX];
	char path[PATH_MAX + 32];
	struct cairn_store *st;
};

/*
 * Fail the test, showing the expression, its code and the error message,
 * unless expr returns 0.
 */
#define assert_ok(expr, errp)                                                  \
	do {                                                                   \
		int unit_rc_ = (expr);                                         \
		if (unit_rc_)                                                  \
			fail_msg("%s returned %d (%s): %s", #expr, unit_rc_,   \
			         cairn_strerror(unit_rc_), (errp)->msg);       \
	} while (0)

/* Fail unless expr returns code. */
#define assert_code(expr, code)                                                \
	do {                                                                   \
		int unit_rc_ = (expr);                                         \
		if (unit_rc_ != (code))                                        \
			fail_msg("%s returned %d (%s), want %d (%s)", #expr,   \
			         unit_rc_, cairn_strerror(unit_rc_), (code),   \
			         cairn_strerror(code));                        \
	} while (0)

/* A fresh temporary folder (mkdtemp) into dir; fails the test if not. */
void unit_tmpdir(char dir[PATH_MAX]);
/* rm -rf dir. */
void unit_rmtree(const char *dir);

/* cmocka setup/teardown: a new store at DIR/cairn.db in *state. */
int fixture_setup(void **state);
int fixture_teardown(void **state);
/* Close and reopen the fixture's store. */
void fixture_reopen(struct fixture *f);

/*
 * Add an item of kind with title under parent (0: root) and return its id;
 * a failure is reported at the caller's line.
 */
#define unit_add(st, kind, title, parent)                                      \
	unit_add_at((st), (kind), (title), (parent), __FILE__, __LINE__)
int64_t unit_add_at(struct cairn_store *st, enum cairn_kind kind,
                    const char *title, int64_t parent, const char *file,
                    int line);

/* A cairn_query_run callback collecting item ids as "1,2,3" into a buf. */
int unit_collect_id(void *ctx, const struct cairn_item *it);
/* Run q and fail unless the ids it yields, as "1,2,3", are want. */
void unit_expect_query(struct cairn_store *st, const struct cairn_query *q,
                       const char *want);
/* cairn_item_set, failing the test with the field and value on error. */
void unit_set_field(struct cairn_store *st, int64_t id, const char *field,
                    const char *value);
/* cairn_item_set_status with no reason, failing the test on error. */
void unit_set_status(struct cairn_store *st, int64_t id, enum cairn_status s);

/*
 * A second connection to the SQLite file at path, for looking at what the
 * library wrote.  Fails the test on error.
 */
sqlite3 *db_open(const char *path);
/* Run sql (no rows wanted) on the file at path. */
void db_exec(const char *path, const char *sql);
/* The first column of the first row of a printf-style query, as integer
 * (0 when there is no row). */
long long db_int(const char *path, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* The same as text, malloc'd (NULL for no row or SQL NULL). */
char *db_text(const char *path, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/*
 * Append every row of table, ordered by id, one line per row with its
 * columns quoted (SQL NULL distinct from ''), to out.
 */
void db_dump_table(const char *path, const char *table, struct buf *out);
/* db_dump_table over every user table except the journal's own
 * (change, event) and sqlite_sequence. */
void db_dump_data(const char *path, struct buf *out);

#endif
