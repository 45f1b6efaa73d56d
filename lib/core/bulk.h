/*
 * bulk.h: the bulk writer every importer goes through (lib/core/bulk.c):
 * the batch variant of item.c's and edge.c's writes, with the same
 * validators (cairn_item_check and friends), and the string map it and
 * the importers use (lib/core/strmap.c).  It takes the import's options
 * and result from cairn/fmt/fmt.h, where cairn_import is declared.  Not
 * installed.
 */
#ifndef CAIRN_BULK_H
#define CAIRN_BULK_H

#include <stdint.h>

#include "cairn/core/item.h"
#include "cairn/fmt/fmt.h"
#include "core/item-int.h"

/* A string -> int64 hash map (project paths, uuids). */
struct strmap {
	char **keys;
	int64_t *vals;
	size_t n, cap;
};
int64_t *strmap_get(struct strmap *m, const char *key);
void strmap_put(struct strmap *m, const char *key, int64_t val);
void strmap_release(struct strmap *m);

/* Fields an importer states about an item; the others are left alone
 * when the item exists already. */
enum imp_field {
	IMP_KIND = 1 << 0,
	IMP_TITLE = 1 << 1,
	IMP_BODY = 1 << 2,
	IMP_PARENT = 1 << 3,
	IMP_STATUS = 1 << 4,  /* status, why, started, finished */
	IMP_DONE = 1 << 5,    /* only "done or not": see imp_item */
	IMP_NUMBERS = 1 << 6, /* scope, p_success, novelty, estimate */
	IMP_DUE = 1 << 7,
	IMP_LIKELIHOOD = 1 << 8,
	IMP_DRIVEN = 1 << 9,
	IMP_VISIBILITY = 1 << 10,
	IMP_CREATED = 1 << 11,
};

enum {
	IMP_FIND_UUID,
	IMP_INSERT,
	IMP_UPDATE,
	IMP_HAS_NOTE,
	IMP_HAS_TAG,
	IMP_HAS_EDGE,
	IMP_HAS_LINK,
	IMP_LINK,
	IMP_PARENT_SET,
	IMP_NSTMT
};

/*
 * Rows waiting to be inserted (see imp_batch_begin): the tables the
 * bulk writer inserts into many times per item, in the order they are
 * written out, items first so that foreign keys never wait on a parent.
 */
enum { IMP_B_ITEM, IMP_B_STATEMENT, IMP_B_TAG, IMP_B_NOTE, IMP_B_EDGE, IMP_NB };

/* One waiting row: up to two numbers and three texts (offsets into the
 * table's text, SIZE_MAX for none); an item's other fields are in items
 * beside it. */
struct imp_row {
	int64_t a, b;
	size_t s1, s2, s3;
};

/* Multi-row statements are prepared for 1, 2, 4, ... IMP_BATCH_MAX rows. */
#define IMP_BATCH_LOG 6
#define IMP_BATCH_MAX (1 << IMP_BATCH_LOG)

struct imp_batch {
	struct imp_row *rows;
	struct cairn_item *items; /* IMP_B_ITEM: title, body, why in text */
	size_t n, cap;
	struct buf text; /* the rows' texts, NUL-terminated */
	sqlite3_stmt *stmt[IMP_BATCH_LOG + 1]; /* stmt[k]: 2^k rows */
};

struct imp {
	struct cairn_store *st;
	struct cairn_err *err;
	const struct cairn_import_opts *opts;
	struct cairn_import_result *stats;
	const char *source;
	char now[CAIRN_TS_LEN];
	int graph_changed;  /* edges or parents written: check for cycles */
	int64_t fresh_from; /* items with a larger id are new in this import */
	/* bulk journalling (imp_journal_*, store_bulk_* of the journal) */
	struct store_bulk *bulk;
	size_t progress_next;
	sqlite3_stmt *stmt[IMP_NSTMT];
	/* statements built at run time, by SQL text (imp_prepare) */
	char *cache_sql[16];
	sqlite3_stmt *cache_stmt[16];
	unsigned cache_next;
	/* inserts waiting to be written (imp_batch_begin): rows per table,
	 * the id the next new item gets, and the items added so far by
	 * uuid */
	int batching;
	struct imp_batch batch[IMP_NB];
	int64_t next_id;
	struct strmap added;
	/* items from before the import counted unchanged so far, by id in
	 * decimal (1 while so): a row of their own later makes them updated
	 * (touched) */
	struct strmap unchanged;
	/* re-import as a three-way merge (bulk-base.c): set by importers
	 * of files a person edits */
	int three_way;
};

/* Turn control characters (newlines, tabs) in s into spaces; NULL ok.
 * Importers take a title or reason with line breaks as one line. */
void imp_one_line(char *s);

/*
 * With st NULL, a parse only: imp_item, imp_tag, imp_note, imp_link and
 * imp_edge check what they are given with the validators of the commands
 * and write nothing (every item is new and gets an id of its own), so
 * that an importer's parse-only entry point (fmt_md_parse) runs its one
 * reading of the file without a store.
 */
void imp_init(struct imp *im, struct cairn_store *st,
              const struct cairn_import_opts *opts,
              struct cairn_import_result *stats, struct cairn_err *err);
void imp_release(struct imp *im);

/*
 * Batched inserts.  One INSERT statement per row costs about as much
 * again as the row: an importer whose SQL all goes through this writer
 * (imp_prepare included) may call imp_batch_begin once, after which the
 * rows of imp_item, imp_tag, imp_note and imp_edge wait in memory and go
 * out in multi-row INSERTs, in the order they were made, so that every
 * row gets the id it would have had.  New items get their ids in advance
 * (AUTOINCREMENT's own rule: one above the largest ever used), and
 * imp_item and imp_find know the items this import added by uuid without
 * asking SQLite, so a store that had no items needs no lookups at all.
 * Whatever reads or updates the tables (an item met again, notes of an
 * item from before the import, imp_link, imp_set_parent, imp_prepare,
 * the journal, the graph check) writes the waiting rows first: callers
 * see the tables as if every call had written at once.  An error in a
 * waiting row is reported by the call that writes it out.
 */
int imp_batch_begin(struct imp *im);
/* Write every waiting row now. */
int imp_flush(struct imp *im);

/*
 * Prepare sql, or reuse the statement prepared for the same text: it
 * comes back reset with its bindings cleared.  imp_release finalizes it;
 * callers must not.
 */
int imp_prepare(struct imp *im, const char *sql, sqlite3_stmt **out);

/*
 * Bulk journalling.  Journalling every inserted row through its trigger
 * costs more than the insert itself (a JSON image and a statement
 * journal per row); an import inserts many rows, so it drops the INSERT
 * triggers of the journalled tables for the length of its change
 * (imp_journal_begin), writes the insert events of the new rows in one
 * INSERT ... SELECT per table (imp_journal_flush, before any later
 * UPDATE of them, so events stay in order), and puts the triggers back,
 * exactly as they were, before the change commits (imp_journal_end).
 * All of it is inside the change: a failed import rolls the schema back
 * with everything else.  UPDATE and DELETE triggers stay in place.
 * with_events 0 (a restore, which brings its own journal) writes none.
 */
int imp_journal_begin(struct imp *im);
int imp_journal_flush(struct imp *im);
int imp_journal_end(struct imp *im, int with_events);

/* Report progress (rate-limited) to the caller's callback. */
void imp_progress(struct imp *im, size_t done, size_t total);

/* Tell opts->created about something the import made (printf-like). */
void imp_created(struct imp *im, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Pass a warning to the caller (printf-style). */
void imp_warn(struct imp *im, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * Add it, or update the item with its uuid.  A new item takes every field
 * of it (created: it->created, else now; status stamps as item.c sets
 * them).  An existing one takes only the fields in mask; with IMP_DONE,
 * a done it marks the item done and a not-done it only reopens a done
 * item (planned), leaving active or paused alone.  A changed title is
 * recorded as a new statement.  Fills it->id; *added (may be NULL) is 1
 * for a new item.  it is checked with cairn_item_check first (the rules
 * of 'cairn add'; the message names the item and the input).  The item
 * counts in the result as added, updated (its row changed, or it gains a
 * tag, note, link, edge or parent later in the import) or unchanged.
 */
int imp_item(struct imp *im, struct cairn_item *it, unsigned mask, int *added);

/*
 * Three-way re-import (bulk-base.c, where the rule is).  imp_base_merge
 * narrows *mask to the fields of it to write over cur, the item in the
 * store, and warns of each field both changed; imp_base_save records
 * what the file says of it (after it is written) as the next base.
 * imp_item calls both when im->three_way is set.
 */
int imp_base_merge(struct imp *im, const struct cairn_item *cur,
                   const struct cairn_item *it, unsigned *mask);
int imp_base_save(struct imp *im, const struct cairn_item *it, unsigned mask);
/*
 * A goal's place in an imported post's order is merged for the post as a
 * whole (the importer's rule): imp_base_rank gives the place the file
 * gave item id at its last import (0: none), imp_base_rank_save records
 * the place it gives now, and imp_base_save keeps it.
 */
int imp_base_rank(struct imp *im, int64_t id, int *rank);
int imp_base_rank_save(struct imp *im, int64_t id, int rank);

/* Set item id's rank (0: none), counting it as updated when it changes. */
int imp_rank_set(struct imp *im, int64_t id, int rank);

/* Find the item with uuid; *id is 0 when there is none. */
int imp_find(struct imp *im, const char *uuid, int64_t *id);

/* Attachments, each skipped when an equal one is there.  created NULL:
 * now.  imp_link refuses a URL that fmt_url_ok rejects (CAIRN_EINVAL). */
int imp_tag(struct imp *im, int64_t id, const char *tag);
int imp_note(struct imp *im, int64_t id, const char *text, const char *created);
int imp_link(struct imp *im, int64_t id, const char *url, const char *label,
             const char *created);
int imp_edge(struct imp *im, int64_t id, int64_t prereq);
int imp_set_parent(struct imp *im, int64_t id, int64_t parent);

/*
 * After the writes: refuse a cycle in the breakdown tree or among the
 * builds-on edges, naming it (CAIRN_ECYCLE).  In edge.c, with the other
 * rules of the graph.
 */
int imp_check_graph(struct imp *im);

#endif
