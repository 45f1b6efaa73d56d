/*
 * journal.h: reading the journal, undoing and redoing changes.
 *
 * A change is one command's transaction; it holds the events for every row
 * it inserted, updated or deleted, each with the row before and after as a
 * JSON object (NULL before an insert and after a delete).  Undo applies
 * the inverse of a change's events, newest first, as a new change, and
 * marks the original undone; undone changes and undos are never undone
 * again, so repeated undo walks back through history like a stack.  Redo
 * takes back the newest undos, as many as were undone, until the next
 * ordinary change ends the redo history.
 */
#ifndef CAIRN_JOURNAL_H
#define CAIRN_JOURNAL_H

#include <stdint.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"

struct cairn_event {
	int64_t id;
	int64_t change;
	const char *time; /* of the change, ISO 8601 UTC */
	const char *actor;
	const char *label;  /* what the change was, "add milestone #12" */
	const char *entity; /* table: item, tag, link, note, edge, ... */
	int64_t entity_id;
	int64_t item;       /* the item concerned, 0 for none */
	const char *before; /* JSON object or NULL */
	const char *after;  /* JSON object or NULL */
	int64_t undo_of;    /* this change undid that one, else 0 */
	int64_t undone_by;  /* this change was undone by that one, else 0 */
};

typedef int (*cairn_event_fn)(void *ctx, const struct cairn_event *ev);

/*
 * Stream events in journal order.  item (0: all) keeps the events of that
 * item and its attachments; since and until (NULL: open) bound the change
 * time, since inclusive, until exclusive.  A callback returning non-zero
 * stops the walk and that value is returned.
 */
int cairn_journal_each(struct cairn_store *st, int64_t item, const char *since,
                       const char *until, cairn_event_fn fn, void *ctx,
                       struct cairn_err *err);

/* A change as undo and redo report it before taking it back. */
struct cairn_change {
	int64_t id;
	const char *time; /* ISO 8601 UTC */
	const char *actor;
	const char *label;
};

typedef int (*cairn_change_fn)(void *ctx, const struct cairn_change *ch);

struct cairn_undo_opts {
	int n;    /* how many changes, at least 1 */
	int mine; /* only changes made by this actor ($CAIRN_ACTOR, $USER) */
	/* Called with each change just before it is taken back, inside the
	 * transaction (strings valid during the call); non-zero stops and
	 * rolls everything back, and is returned.  May be NULL. */
	cairn_change_fn fn;
	void *ctx;
};

/*
 * Undo the newest o->n changes that are neither undone nor undos nor
 * redos (with o->mine, only this actor's), in one transaction.  *undone
 * (may be NULL) gets how many were undone, fewer than o->n when history
 * runs out.  CAIRN_ENOTFOUND when there is nothing to undo at all,
 * CAIRN_EINVAL for o->n < 1.
 */
int cairn_journal_undo(struct cairn_store *st, const struct cairn_undo_opts *o,
                       int *undone, struct cairn_err *err);

/*
 * Redo: take back the newest o->n undos not yet redone that came after
 * the last ordinary change (with o->mine, only this actor's undos),
 * re-applying what they undid, in one transaction.  The redone change
 * can be undone again.  *redone as for undo; CAIRN_ENOTFOUND when there
 * is nothing to redo.  For each, o->fn sees the change re-applied.
 */
int cairn_journal_redo(struct cairn_store *st, const struct cairn_undo_opts *o,
                       int *redone, struct cairn_err *err);

/*
 * Undo the last n changes that are neither undone nor undos, in one
 * transaction.  *undone (may be NULL) gets how many were undone, fewer
 * than n when history runs out.  CAIRN_ENOTFOUND when there is nothing to
 * undo at all.  cairn_journal_undo with only n set.
 */
int cairn_undo(struct cairn_store *st, int n, int *undone,
               struct cairn_err *err);

/* Relabel the open change (for front ends that know what the command
 * was); a no-op outside a change. */
int cairn_change_label(struct cairn_store *st, const char *label,
                       struct cairn_err *err);

#endif
