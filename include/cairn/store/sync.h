/*
 * sync.h: a store as a replica that converges with others (lib/sync).
 *
 * Every change a store commits is already journalled.  Sync turns the
 * journal's events into replicable operations (doc/sync-protocol.md):
 * one per created or deleted row and one per changed field, each with the
 * entity's uuid, a hybrid logical clock and the replica that made it.
 * Operations from other replicas are applied by the merge rules:
 *
 *  - last writer wins per field, by clock;
 *  - a delete is a tombstone: it wins over changes with an older clock,
 *    and a change made after it elsewhere is kept as a conflict;
 *  - tags, links, notes, builds-on edges and papers read for an item are
 *    sets: an add wins over a concurrent remove (a remove takes away only
 *    the add it saw);
 *  - an edge that would close a builds-on cycle, or a move that would put
 *    an item under its own descendant, keeps the earlier operation and
 *    records the later one as a conflict;
 *  - an undo is a change like any other: new operations.
 *
 * Nothing here talks to a network: the transport (net/sync-client.c)
 * moves the JSON of cairn_sync_outbox to a hub and gives what it pulls to
 * cairn_sync_apply.  The convergence test moves them between stores
 * directly.
 */
#ifndef CAIRN_SYNC_H
#define CAIRN_SYNC_H

#include <jansson.h>
#include <stdint.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"

struct cairn_store;

#define CAIRN_HLC_LEN 32 /* "%016x.%04x.%8s" and its NUL */

/*
 * Bookkeeping values (sync_state): "replica" (this store's uuid),
 * "hub", "user", "token", "key" (hex), "cursor" (the hub's last seq
 * pulled), "comments" (the hub's last comment taken), "last" (time of
 * the last sync).  get appends the value to out;
 * CAIRN_ENOTFOUND when unset.  set with a NULL value removes the key.
 * Not journalled: sync's own state is not part of the roadmap.
 */
int cairn_sync_state_get(struct cairn_store *st, const char *key,
                         struct buf *out, struct cairn_err *err);
int cairn_sync_state_set(struct cairn_store *st, const char *key,
                         const char *value, struct cairn_err *err);
/* Save key, value pairs (NULL-terminated) in a transaction of their own,
 * which leaves no change in the journal. */
int cairn_sync_state_put(struct cairn_store *st, const char *const *kv,
                         struct cairn_err *err);

/*
 * Turn the changes committed since the last call into operations queued
 * for the hub (the first call queues the whole store), in one write
 * transaction, and set *out to a new JSON array of the first `limit`
 * queued operations, oldest first, each with "seq" (the queue's, for
 * cairn_sync_sent).  Plain operations carry "vis": the caller seals the
 * private ones.
 */
int cairn_sync_outbox(struct cairn_store *st, size_t limit, json_t **out,
                      struct cairn_err *err);

/* The hub has every queued operation up to seq: drop them. */
int cairn_sync_sent(struct cairn_store *st, int64_t seq, struct cairn_err *err);

struct cairn_sync_result {
	size_t applied;   /* operations that changed something */
	size_t ignored;   /* older than what the store holds, or seen */
	size_t conflicts; /* recorded in the conflict list */
};

/*
 * Apply a JSON array of plain operations from other replicas (this
 * replica's own are skipped), in one change labelled with what it did:
 * the journal shows it and its conflicts; undo takes it back as a new
 * change.  Applying the same operations again changes nothing.
 * CAIRN_EINVAL for a malformed operation (nothing applied).
 */
int cairn_sync_apply(struct cairn_store *st, json_t *ops,
                     struct cairn_sync_result *res, struct cairn_err *err);

struct cairn_sync_status {
	int64_t pending;   /* changes not yet queued + operations queued */
	int64_t conflicts; /* recorded conflicts */
	char replica[37];  /* "" before the first sync */
};

int cairn_sync_status_get(struct cairn_store *st, struct cairn_sync_status *out,
                          struct cairn_err *err);

struct cairn_sync_conflict {
	int64_t id;
	const char *time;
	const char *item; /* uuid of the item concerned, or NULL */
	const char *what; /* one line */
};

typedef int (*cairn_sync_conflict_fn)(void *ctx,
                                      const struct cairn_sync_conflict *c);

/* The recorded conflicts, oldest first. */
int cairn_sync_conflicts(struct cairn_store *st, cairn_sync_conflict_fn fn,
                         void *ctx, struct cairn_err *err);

/* The uuid (37 bytes) sync gave the row local of entity ("" when it has
 * none yet: not sent), and the row that has a uuid (0: none here). */
int cairn_sync_row_uuid(struct cairn_store *st, const char *entity,
                        int64_t local, char out[37], struct cairn_err *err);
int cairn_sync_row_local(struct cairn_store *st, const char *entity,
                         const char *uuid, int64_t *local,
                         struct cairn_err *err);

/*
 * A note someone else wrote on an item, as a mentor's comment from the
 * hub reaches its owner's store: on the item whose sync uuid is item,
 * with its author, its time (CAIRN_TS form; NULL: now) and the note's sync
 * uuid, note_uuid, which every replica of the store derives alike from the
 * comment, so that the same comment taken by two replicas is one note.
 * *added is 1 when the note was made; 0 when no item here has that uuid,
 * or a note with note_uuid is here or was here (deleted since: sync
 * keeps its clock).  kv (key, value pairs, NULL-terminated, or NULL) is
 * saved in the sync state in the same transaction, so a cursor moves
 * with the notes it covers.  CAIRN_EINVAL for a blank or oversized text
 * or an author that is not one line.
 */
struct cairn_sync_note {
	const char *item, *note_uuid;
	const char *author, *time, *text;
};
int cairn_sync_note_add(struct cairn_store *st, const struct cairn_sync_note *n,
                        const char *const *kv, int *added,
                        struct cairn_err *err);

/*
 * The clock functions, exposed for the tests: "%016llx.%04x.%.8s" of
 * wall milliseconds, a counter, and the replica's first 8 hex digits,
 * so that byte order is clock order.  1 when s is such a clock.
 */
int cairn_hlc_ok(const char *s);

#endif
