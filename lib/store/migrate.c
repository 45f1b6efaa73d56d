/*
 * migrate.c: the schema, as the forward migrations that build it.
 *
 * Invariants:
 *  - migrations[v] moves a store from PRAGMA user_version v to v + 1; a
 *    fresh store runs them all from 0, so it ends with the very schema a
 *    migrated one has.  A migration, once released, never changes: add a
 *    new one and bump CAIRN_SCHEMA_VERSION.
 *  - Each migration is tested from a fixture of the older schema
 *    (tests/fixtures/store-vN.sql, tests/unit/test-migrate.c).
 *
 * store.c runs them under the writer lock, in one transaction, and then
 * rebuilds the journal's triggers for the new schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"
#include "banned.h"

static int rewrite_in_checks(struct cairn_store *st, struct cairn_err *err);

/*
 * The planning summary (lib/plan/plan-summary.c): per planning unit (an
 * open goal, or a root that is not one) its critical path length, and
 * per node of its plan (an item, or -id of a required paper) the
 * expected days, slack, carry and score `next` ranks by.  Derived data
 * (cairn_table_derived: tables plan_*), never journalled nor dumped: a
 * unit is planned again, at the next read, whenever plan_dirty names an
 * item whose change can reach its plan.  These triggers name them in the
 * writing transaction itself, so undo, imports and restores are covered:
 * an item added, removed or changed in what planning reads (kind,
 * status, parent, estimates, chance, likelihood), with its old parent;
 * both ends of a builds-on edge; an item that gains or loses a required
 * paper; the items requiring a paper whose status changes.  Id 0 asks
 * for everything: the first read builds the summary of an existing
 * store.
 */
static const char plan_summary_sql[] =
        "CREATE TABLE plan_dirty(id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE plan_unit(\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  length REAL NOT NULL,\n"
        "  error TEXT);\n"
        "CREATE INDEX plan_unit_error ON plan_unit(id) WHERE error IS NOT "
        "NULL;\n"
        "CREATE TABLE plan_node(\n"
        "  unit INTEGER NOT NULL,\n"
        "  node INTEGER NOT NULL,\n"
        "  goal INTEGER,\n"
        "  pref INTEGER NOT NULL,\n"
        "  ord INTEGER NOT NULL,\n"
        "  ready INTEGER NOT NULL,\n"
        "  score REAL NOT NULL,\n"
        "  carry REAL NOT NULL,\n"
        "  expected REAL NOT NULL,\n"
        "  slack REAL NOT NULL,\n"
        "  likelihood REAL,\n"
        "  PRIMARY KEY(unit, node)) WITHOUT ROWID;\n"
        "CREATE INDEX plan_node_next ON plan_node(score DESC, expected DESC,\n"
        "  ord, pref) WHERE ready;\n"
        "CREATE TRIGGER plan_item_insert AFTER INSERT ON item BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.id); END;\n"
        "CREATE TRIGGER plan_item_delete AFTER DELETE ON item BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.id);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(ifnull(OLD.parent, "
        "OLD.id)); END;\n"
        "CREATE TRIGGER plan_item_update AFTER UPDATE OF kind, status, "
        "parent,\n"
        "  optimistic, likely, pessimistic, p_success, likelihood ON item\n"
        "  WHEN NEW.kind IS NOT OLD.kind OR NEW.status IS NOT OLD.status\n"
        "  OR NEW.parent IS NOT OLD.parent\n"
        "  OR NEW.optimistic IS NOT OLD.optimistic\n"
        "  OR NEW.likely IS NOT OLD.likely\n"
        "  OR NEW.pessimistic IS NOT OLD.pessimistic\n"
        "  OR NEW.p_success IS NOT OLD.p_success\n"
        "  OR NEW.likelihood IS NOT OLD.likelihood BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.id);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(ifnull(OLD.parent, "
        "NEW.id)); END;\n"
        "CREATE TRIGGER plan_edge_insert AFTER INSERT ON edge BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.item);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.prereq); END;\n"
        "CREATE TRIGGER plan_edge_delete AFTER DELETE ON edge BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.item);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.prereq); END;\n"
        "CREATE TRIGGER plan_edge_update AFTER UPDATE ON edge BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.item);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.prereq);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.item);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.prereq); END;\n"
        "CREATE TRIGGER plan_item_paper_insert AFTER INSERT ON item_paper "
        "BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.item); END;\n"
        "CREATE TRIGGER plan_item_paper_delete AFTER DELETE ON item_paper "
        "BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.item); END;\n"
        "CREATE TRIGGER plan_item_paper_update AFTER UPDATE ON item_paper "
        "BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(OLD.item);\n"
        "  INSERT OR IGNORE INTO plan_dirty(id) VALUES(NEW.item); END;\n"
        "CREATE TRIGGER plan_paper_update AFTER UPDATE OF status ON paper\n"
        "  WHEN NEW.status IS NOT OLD.status BEGIN\n"
        "  INSERT OR IGNORE INTO plan_dirty(id)\n"
        "  SELECT item FROM item_paper WHERE paper = NEW.id; END;\n"
        "INSERT INTO plan_dirty(id) VALUES(0);\n";

/*
 * migrations[v]: from user_version v to v + 1, as SQL or, for what SQL
 * alone cannot do, a function.  A fresh store runs them all from 0, so
 * it ends with the very schema a migrated one has.
 */
static const struct migration {
	const char *sql;
	int (*run)(struct cairn_store *st, struct cairn_err *err);
} migrations[] = {
        /* 0 -> 1: the foundation schema */
        {.sql = "CREATE TABLE change("
                "  id INTEGER PRIMARY KEY,"
                "  time TEXT NOT NULL,"
                "  actor TEXT NOT NULL,"
                "  label TEXT NOT NULL,"
                "  undo_of INTEGER REFERENCES change(id),"
                "  undone_by INTEGER REFERENCES change(id));"
                "CREATE TABLE event("
                "  id INTEGER PRIMARY KEY,"
                "  change INTEGER NOT NULL REFERENCES change(id),"
                "  entity TEXT NOT NULL,"
                "  entity_id INTEGER NOT NULL,"
                "  item INTEGER,"
                "  before TEXT,"
                "  after TEXT);"
                "CREATE INDEX event_change ON event(change);"
                "CREATE INDEX event_item ON event(item);"
                "CREATE TABLE item("
                "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
                "  uuid TEXT NOT NULL UNIQUE,"
                "  kind TEXT NOT NULL CHECK(kind IN "
                "    ('goal','milestone','question','idea')),"
                "  title TEXT NOT NULL CHECK(title <> ''),"
                "  body TEXT NOT NULL DEFAULT '',"
                "  parent INTEGER REFERENCES item(id),"
                "  status TEXT NOT NULL CHECK(status IN "
                "    ('idea','planned','active','paused','done','dropped')),"
                "  why TEXT,"
                "  scope INTEGER CHECK(scope BETWEEN 1 AND 5),"
                "  p_success REAL CHECK(p_success BETWEEN 0 AND 1),"
                "  novelty INTEGER CHECK(novelty BETWEEN 1 AND 5),"
                "  optimistic REAL CHECK(optimistic >= 0),"
                "  likely REAL CHECK(likely >= optimistic),"
                "  pessimistic REAL CHECK(pessimistic >= likely),"
                "  due TEXT,"
                "  likelihood REAL CHECK(likelihood BETWEEN 0 AND 1),"
                "  driven TEXT CHECK(driven IN ('goal','idea')),"
                "  visibility TEXT NOT NULL DEFAULT 'private' CHECK(visibility "
                "IN "
                "    ('private','lab','public')),"
                "  created TEXT NOT NULL,"
                "  started TEXT,"
                "  finished TEXT);"
                "CREATE INDEX item_parent ON item(parent);"
                "CREATE INDEX item_kind_status ON item(kind, status);"
                "CREATE TABLE tag("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  name TEXT NOT NULL,"
                "  UNIQUE(item, name));"
                "CREATE INDEX tag_name ON tag(name);"
                "CREATE TABLE link("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  url TEXT NOT NULL,"
                "  label TEXT,"
                "  created TEXT NOT NULL);"
                "CREATE INDEX link_item ON link(item);"
                "CREATE TABLE note("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  created TEXT NOT NULL,"
                "  text TEXT NOT NULL);"
                "CREATE INDEX note_item ON note(item);"
                "CREATE TABLE edge("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  prereq INTEGER NOT NULL REFERENCES item(id) ON DELETE "
                "CASCADE,"
                "  created TEXT NOT NULL,"
                "  UNIQUE(item, prereq), CHECK(item <> prereq));"
                "CREATE INDEX edge_prereq ON edge(prereq);"
                "CREATE TABLE statement("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  created TEXT NOT NULL,"
                "  text TEXT NOT NULL);"
                "CREATE INDEX statement_item ON statement(item);"
                "CREATE TABLE setting("
                "  id INTEGER PRIMARY KEY,"
                "  key TEXT NOT NULL UNIQUE,"
                "  value TEXT NOT NULL);"},

        /*
         * 1 -> 2: research practice.  Observations repeat their metric's
         * item so that the journal files them under it.  lesson_fts is an
         * external-content FTS5 index over lesson.text, kept in step by its
         * own triggers and never journalled: undo restores lesson rows and
         * the triggers follow.
         */
        {.sql = "CREATE TABLE metric("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  name TEXT NOT NULL CHECK(name <> ''),"
                "  unit TEXT NOT NULL DEFAULT '',"
                "  baseline REAL NOT NULL,"
                "  target REAL NOT NULL CHECK(target <> baseline),"
                "  lower_better INTEGER NOT NULL DEFAULT 0 "
                "    CHECK(lower_better IN (0, 1)),"
                "  created TEXT NOT NULL,"
                "  UNIQUE(item, name));"
                "CREATE TABLE observation("
                "  id INTEGER PRIMARY KEY,"
                "  metric INTEGER NOT NULL REFERENCES metric(id) ON DELETE "
                "CASCADE,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  date TEXT NOT NULL,"
                "  value REAL NOT NULL,"
                "  source TEXT,"
                "  note TEXT,"
                "  created TEXT NOT NULL);"
                "CREATE INDEX observation_metric ON observation(metric, date);"
                "CREATE TABLE paper("
                "  id INTEGER PRIMARY KEY,"
                "  key TEXT NOT NULL UNIQUE CHECK(key <> ''),"
                "  title TEXT NOT NULL CHECK(title <> ''),"
                "  authors TEXT NOT NULL DEFAULT '',"
                "  year INTEGER,"
                "  month INTEGER CHECK(month BETWEEN 1 AND 12),"
                "  venue TEXT,"
                "  url TEXT,"
                "  doi TEXT,"
                "  status TEXT NOT NULL DEFAULT 'to-read' CHECK(status IN "
                "    ('to-read','reading','read','replicating','replicated',"
                "     'replication-failed')),"
                "  notes TEXT NOT NULL DEFAULT '',"
                "  created TEXT NOT NULL);"
                "CREATE TABLE item_paper("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  paper INTEGER NOT NULL REFERENCES paper(id) ON DELETE "
                "CASCADE,"
                "  created TEXT NOT NULL,"
                "  UNIQUE(item, paper));"
                "CREATE INDEX item_paper_paper ON item_paper(paper);"
                "CREATE TABLE lesson("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  created TEXT NOT NULL,"
                "  text TEXT NOT NULL CHECK(text <> ''),"
                "  worked INTEGER NOT NULL DEFAULT 1 CHECK(worked IN (0, 1)));"
                "CREATE INDEX lesson_item ON lesson(item);"
                "CREATE VIRTUAL TABLE lesson_fts USING fts5(text, "
                "  content='lesson', content_rowid='id');"
                "CREATE TRIGGER lesson_fts_insert AFTER INSERT ON lesson BEGIN "
                "  INSERT INTO lesson_fts(rowid, text) VALUES(NEW.id, "
                "NEW.text); END;"
                "CREATE TRIGGER lesson_fts_delete AFTER DELETE ON lesson BEGIN "
                "  INSERT INTO lesson_fts(lesson_fts, rowid, text) "
                "  VALUES('delete', OLD.id, OLD.text); END;"
                "CREATE TRIGGER lesson_fts_update AFTER UPDATE ON lesson BEGIN "
                "  INSERT INTO lesson_fts(lesson_fts, rowid, text) "
                "  VALUES('delete', OLD.id, OLD.text);"
                "  INSERT INTO lesson_fts(rowid, text) VALUES(NEW.id, "
                "NEW.text); END;"
                "CREATE TABLE prediction("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER REFERENCES item(id) ON DELETE SET NULL,"
                "  who TEXT,"
                "  statement TEXT NOT NULL CHECK(statement <> ''),"
                "  p REAL NOT NULL CHECK(p BETWEEN 0 AND 1),"
                "  created TEXT NOT NULL,"
                "  due TEXT,"
                "  outcome INTEGER CHECK(outcome IN (0, 1)),"
                "  resolved TEXT,"
                "  why TEXT,"
                "  CHECK((outcome IS NULL) = (resolved IS NULL)));"
                "CREATE INDEX prediction_item ON prediction(item);"
                "CREATE TABLE time_entry("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,"
                "  date TEXT NOT NULL,"
                "  minutes INTEGER NOT NULL CHECK(minutes > 0),"
                "  note TEXT,"
                "  created TEXT NOT NULL);"
                "CREATE INDEX time_entry_date ON time_entry(date);"
                "CREATE INDEX time_entry_item ON time_entry(item);"
                "CREATE TABLE review("
                "  id INTEGER PRIMARY KEY,"
                "  created TEXT NOT NULL,"
                "  moved TEXT,"
                "  sharper TEXT,"
                "  to_drop TEXT,"
                "  note TEXT);"
                /* Look-back rebuilds rows as of a date from their last event.
                 */
                "CREATE INDEX event_entity ON event(entity, entity_id);"},

        /* 2 -> 3: CHECK(x IN (...)) as comparisons (rewrite_in_checks) */
        {.run = rewrite_in_checks},

        /* 3 -> 4: the journal by time, so a look-back from a date reads
         * the changes after it, not the whole journal */
        {.sql = "CREATE INDEX change_time ON change(time);"},

        /* 4 -> 5: what each imported file last said of each item it
         * made, so that a re-import applies only what the file changed
         * since (lib/core/bulk-base.c) */
        {.sql = "CREATE TABLE import_base("
                "  id INTEGER PRIMARY KEY,"
                "  item INTEGER NOT NULL UNIQUE REFERENCES item(id) ON "
                "DELETE CASCADE,"
                "  fields TEXT NOT NULL);"},

        /* 5 -> 6: goal order as data: a goal's place, set by the order of
         * an imported post or by `set rank=N`, ahead of likelihood */
        {.sql = "ALTER TABLE item ADD COLUMN rank INTEGER "
                "CHECK(rank >= 1);"},

        /* 6 -> 7: sync's bookkeeping (lib/sync), never journalled: what
         * this replica is and has sent, the uuid of every row it has
         * shared, the clock of every field it holds, changes to rows
         * deleted here that may come back, the operations it
         * has applied, those waiting for the hub, and the conflicts */
        {.sql = "CREATE TABLE sync_state("
                "  key TEXT PRIMARY KEY,"
                "  value TEXT NOT NULL) WITHOUT ROWID;"
                "CREATE TABLE sync_row("
                "  entity TEXT NOT NULL,"
                "  local INTEGER NOT NULL,"
                "  uuid TEXT NOT NULL,"
                "  PRIMARY KEY(entity, local)) WITHOUT ROWID;"
                "CREATE UNIQUE INDEX sync_row_uuid ON sync_row(entity, uuid);"
                "CREATE TABLE sync_clock("
                "  uuid TEXT NOT NULL,"
                "  field TEXT NOT NULL,"
                "  clock TEXT NOT NULL,"
                "  PRIMARY KEY(uuid, field)) WITHOUT ROWID;"
                "CREATE TABLE sync_parked("
                "  uuid TEXT NOT NULL,"
                "  field TEXT NOT NULL,"
                "  clock TEXT NOT NULL,"
                "  value TEXT NOT NULL,"
                "  PRIMARY KEY(uuid, field)) WITHOUT ROWID;"
                "CREATE TABLE sync_parked_row("
                "  entity TEXT NOT NULL,"
                "  uuid TEXT NOT NULL,"
                "  item TEXT NOT NULL,"
                "  row TEXT NOT NULL,"
                "  clock TEXT NOT NULL,"
                "  PRIMARY KEY(entity, uuid)) WITHOUT ROWID;"
                "CREATE INDEX sync_parked_row_item ON sync_parked_row(item);"
                "CREATE TABLE sync_seen(id TEXT PRIMARY KEY) WITHOUT ROWID;"
                "CREATE TABLE sync_applied(change INTEGER PRIMARY KEY);"
                "CREATE TABLE sync_out("
                "  seq INTEGER PRIMARY KEY,"
                "  op TEXT NOT NULL);"
                "CREATE TABLE sync_conflict("
                "  id INTEGER PRIMARY KEY,"
                "  time TEXT NOT NULL,"
                "  item TEXT,"
                "  what TEXT NOT NULL,"
                "  op TEXT NOT NULL);"},

        /* 7 -> 8: the planning summary `next` reads, and what marks it
         * stale */
        {.sql = plan_summary_sql},

        /* 8 -> 9: who wrote a note, when not the store's owner: a
         * mentor's comment from the hub (NULL: the owner).  Written to
         * the dump, the journal and sync only when set
         * (cairn_col_omit_null), so a store without one dumps as before */
        {.sql = "ALTER TABLE note ADD COLUMN author TEXT;"},

        /* 9 -> 10: journal triggers that read a column that never holds
         * a REAL as it is (journal.c's json_row; every migration
         * rebuilds the triggers), and an index of the estimated items,
         * so that a forecast's history (roadmap_load_history) reads the
         * done milestones with an estimate, not every done one */
        {.sql = "CREATE INDEX item_estimated ON item(kind, status) "
                "WHERE likely > 0"},

        /* 10 -> 11: the uuids synced rows had when they were deleted
         * here, each with the row (wire form) when it is known, so that
         * an undo putting a row back under its id (ids of rows other
         * than items are used again) puts back that row, not a new one
         * beside it */
        {.sql = "CREATE TABLE sync_row_gone("
                "  entity TEXT NOT NULL,"
                "  local INTEGER NOT NULL,"
                "  uuid TEXT NOT NULL,"
                "  row TEXT,"
                "  UNIQUE(entity, local, uuid));"},
};

#define N_MIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))
_Static_assert(N_MIGRATIONS == CAIRN_SCHEMA_VERSION,
               "one migration per schema version");

/*
 * Schema version 3.  SQLite (3.40) codes a CHECK's `x IN ('a', 'b', 'c')`
 * of more than two constants as a temporary index, built again by every
 * statement that runs the check: the three on item cost nearly as much
 * as inserting the row.  `x = 'a' OR x = 'b' OR ...` says the same (column
 * affinity and collation apply to = as to IN; NULL passes both) and
 * compiles to comparisons.  The texts below are exactly what migrations
 * 0 -> 1 and 1 -> 2 wrote, and never change.
 */
static const struct {
	const char *table, *from, *to;
} in_checks[] = {
        {"item", "CHECK(kind IN     ('goal','milestone','question','idea'))",
         "CHECK(kind = 'goal' OR kind = 'milestone' OR kind = 'question' "
         "OR kind = 'idea')"},
        {"item",
         "CHECK(status IN     "
         "('idea','planned','active','paused','done','dropped'))",
         "CHECK(status = 'idea' OR status = 'planned' OR status = 'active' "
         "OR status = 'paused' OR status = 'done' OR status = 'dropped')"},
        {"item", "CHECK(visibility IN     ('private','lab','public'))",
         "CHECK(visibility = 'private' OR visibility = 'lab' OR "
         "visibility = 'public')"},
        {"paper",
         "CHECK(status IN     ('to-read','reading','read','replicating',"
         "'replicated',     'replication-failed'))",
         "CHECK(status = 'to-read' OR status = 'reading' OR status = 'read' "
         "OR status = 'replicating' OR status = 'replicated' OR "
         "status = 'replication-failed')"},
};

#define N_IN_CHECKS (sizeof(in_checks) / sizeof(in_checks[0]))

/* table's CREATE text with its in_checks rewritten, into out. */
static int
rewritten_table(struct cairn_store *st, const char *table, struct buf *out,
                struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	char *sql = NULL;
	int rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT sql FROM sqlite_schema WHERE "
	                        "type = 'table' AND name = ?",
	                        err)))
		return rc;
	sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		sql = xstrdup(store_col_text(stmt, 0));
	sqlite3_finalize(stmt);
	for (size_t i = 0; sql && i < N_IN_CHECKS; i++) {
		const char *at;

		if (strcmp(in_checks[i].table, table))
			continue;
		at = strstr(sql, in_checks[i].from);
		if (!at || strstr(at + 1, in_checks[i].from)) {
			free(sql);
			sql = NULL;
			break;
		}
		buf_reset(out);
		buf_add(out, sql, (size_t)(at - sql));
		buf_adds(out, in_checks[i].to);
		buf_adds(out, at + strlen(in_checks[i].from));
		free(sql);
		sql = xstrdup(out->buf);
	}
	if (!sql)
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot migrate store '%s': table %s is "
		                     "not as cairn made it",
		                     st->path, table);
	buf_reset(out);
	buf_adds(out, sql);
	free(sql);
	return 0;
}

/* PRAGMA integrity_check of one table and its indexes. */
static int
check_table(struct cairn_store *st, const char *table, struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *stmt;
	int rc;

	buf_addf(&sql, "PRAGMA integrity_check(%s)", table);
	rc = store_prepare(st, &stmt, sql.buf, err);
	buf_release(&sql);
	if (rc)
		return rc;
	if (sqlite3_step(stmt) != SQLITE_ROW ||
	    strcmp(store_col_text(stmt, 0), "ok") ||
	    sqlite3_step(stmt) != SQLITE_DONE)
		rc = cairn_err_set(err, CAIRN_EDB,
		                   "cannot migrate store '%s': table %s fails "
		                   "its integrity check",
		                   st->path, table);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * 2 -> 3: rewrite in_checks in place, by SQLite's documented procedure
 * for changing a CHECK constraint (lang_altertable.html, "making other
 * kinds of table schema changes"): edit the table's text in
 * sqlite_schema under writable_schema, bump schema_version so that every
 * connection (this one too) parses the schema again, then check the
 * tables.  No row is touched, and each row already there satisfies the
 * equivalent constraint.
 */
static int
rewrite_in_checks(struct cairn_store *st, struct cairn_err *err)
{
	static const char *const tables[] = {"item", "paper"};
	struct buf sql = BUF_INIT, pragma = BUF_INIT;
	sqlite3_stmt *stmt = NULL;
	int cookie, rc;

	if ((rc = store_pragma_int(st, "PRAGMA schema_version", &cookie,
	                           err)) ||
	    (rc = store_exec(st, "PRAGMA writable_schema = ON", err)))
		goto out;
	if ((rc = store_prepare(st, &stmt,
	                        "UPDATE sqlite_schema SET sql = ? WHERE "
	                        "type = 'table' AND name = ?",
	                        err)))
		goto out;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if ((rc = rewritten_table(st, tables[i], &sql, err)))
			goto out;
		sqlite3_bind_text(stmt, 1, sql.buf, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, tables[i], -1, SQLITE_STATIC);
		if ((rc = store_step(st, stmt, "migrate the store", err)))
			goto out;
		if (sqlite3_changes(st->db) != 1) {
			rc = cairn_err_set(err, CAIRN_EDB,
			                   "cannot migrate store '%s': "
			                   "table %s not rewritten",
			                   st->path, tables[i]);
			goto out;
		}
	}
	buf_addf(&pragma, "PRAGMA schema_version = %d", cookie + 1);
	rc = store_exec(st, pragma.buf, err);
out:
	sqlite3_finalize(stmt);
	/* Off whatever happened: the connection outlives the migration. */
	sqlite3_exec(st->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	for (size_t i = 0; !rc && i < sizeof(tables) / sizeof(tables[0]); i++)
		rc = check_table(st, tables[i], err);
	buf_release(&sql);
	buf_release(&pragma);
	return rc;
}

int
store_migration_run(struct cairn_store *st, int v, struct cairn_err *err)
{
	return migrations[v].sql ? store_exec(st, migrations[v].sql, err)
	                         : migrations[v].run(st, err);
}
