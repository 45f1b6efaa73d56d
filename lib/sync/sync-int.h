/*
 * sync-int.h: what lib/sync's files share: the session over one store
 * (its clock, the synced tables with their columns and references, the
 * statements on the bookkeeping tables) and the translation of rows
 * between local ids and uuids.
 */
#ifndef CAIRN_SYNC_INT_H
#define CAIRN_SYNC_INT_H

#include <jansson.h>
#include <stdint.h>

#include "cairn/store/sync.h"
#include "store/store-int.h"

struct hlc {
	uint64_t wall; /* milliseconds since the epoch */
	unsigned count;
};

/* A synced table: a journalled one, with what sync needs to know. */
struct stable {
	const struct jtable *jt;
	const char *const *cols; /* "id" first, from the schema */
	const char **ref;        /* per column: the table it refers to */
	int *cascade;            /* per column: the row goes with it */
	int set;                 /* members of a set: add / rm */
	/* Columns whose values name the row everywhere (NULL-terminated;
	 * empty: a random uuid). */
	const char *const *key;
};

enum {
	SQ_MAP_GET,  /* entity, local -> uuid */
	SQ_MAP_FIND, /* entity, uuid -> local */
	SQ_MAP_PUT,
	SQ_MAP_GONE, /* entity, local: its uuid kept as it goes */
	SQ_MAP_MOVE, /* entity, local, uuid: the uuid's old row's kept */
	SQ_MAP_DEL,
	SQ_CLOCK_GET,
	SQ_CLOCK_PUT,
	SQ_OUT_PUT,
	SQ_VIS,
	SQ_COUNT
};

struct sync {
	struct cairn_store *st;
	struct cairn_err *err;
	char replica[37];
	struct hlc last;
	struct stable *t;
	size_t nt;
	sqlite3_stmt *q[SQ_COUNT];
	/* Items put back by the events being turned, [uuid, id] each: what
	 * was kept aside for them comes back once all are turned. */
	json_t *put_back;
	int undoing; /* the event being turned is an undo's */
};

/* Open a session (the tables read, the replica made on first use) inside
 * the caller's transaction; sync_done saves the clock and frees it. */
int sync_open(struct sync *s, struct cairn_store *st, struct cairn_err *err);
int sync_done(struct sync *s, int rc);

const struct stable *sync_table(const struct sync *s, const char *name);

/* The next clock for an event at wall time ms, and take in a clock seen. */
void sync_tick(struct sync *s, uint64_t ms, char out[CAIRN_HLC_LEN]);
void sync_observe(struct sync *s, const char *clock);

/* The uuid of a local row ("" when it has none yet). */
int sync_map_get(struct sync *s, const char *entity, int64_t local,
                 char out[37]);
/* The local row of a uuid, 0 when none. */
int sync_map_find(struct sync *s, const char *entity, const char *uuid,
                  int64_t *local);
int sync_map_put(struct sync *s, const char *entity, int64_t local,
                 const char *uuid);
/* The row went: its uuid is kept (sync_row_gone), with its wire form
 * when known, for an undo that puts it back under the same id. */
int sync_map_del(struct sync *s, const char *entity, int64_t local,
                 json_t *wire);

/* Is row local of table here? */
int sync_row_here(struct sync *s, const char *table, int64_t local, int *out);

/* The sync_clock field of an item's parent clock before its last move:
 * a move undone as the newest of a loop goes back to it (apply.c). */
#define PARENT_BEFORE "parent<"

/* The sync_parked field of an item's move undone as the newest of a loop,
 * or kept out as one (its clock, and the parent it gave): made again once
 * it closes no loop,
 * unless a newer move of the item came since (park.c ap_redo_moves).  In
 * clock order the move comes after what undid it, and so it stands on
 * the replicas that got that first. */
#define UNDONE_MOVE "parent~"

/* A field's clock ("" when none), and setting it. */
int sync_clock_get(struct sync *s, const char *uuid, const char *field,
                   char out[CAIRN_HLC_LEN]);
int sync_clock_put(struct sync *s, const char *uuid, const char *field,
                   const char *clock);

/* The uuid a new row of t gets: the item's own, one made from its key
 * columns (wire form), or a random one. */
void sync_row_uuid(const struct stable *t, json_t *wire, char out[37]);

/*
 * A row (json object of local columns) in wire form: without id (and an
 * item's uuid), each reference as the uuid of the row it names.
 */
int sync_to_wire(struct sync *s, const struct stable *t, json_t *row,
                 json_t **out);

/* Queue the operations of the changes not yet queued (outbox.c), inside
 * the caller's transaction. */
int sync_generate(struct sync *s);

/* End sync's change: commit when rc is 0 (dropping the change row when
 * it wrote no event), else roll back. */
int sync_finish(struct cairn_store *st, int rc, struct cairn_err *err);

/* Mark the open change as sync's own: its events are never queued. */
int sync_mark_change(struct sync *s);

/* A local item put back: bring back what was kept aside for it
 * (apply.c). */
int sync_unpark_local(struct sync *s, const char *uuid, int64_t item,
                      int children);
/* Edges kept out of a cycle: in again where they close none now. */
int sync_retry_kept_out(struct sync *s);

/* Bind a JSON scalar to a statement's parameter i. */
void sync_bind_json(sqlite3_stmt *q, int i, json_t *v);

int sync_sqlerr(struct sync *s, const char *what);

#endif
