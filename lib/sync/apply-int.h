/*
 * apply-int.h: what apply.c and park.c share: the state of one batch
 * being applied, and the steps both take.
 */
#ifndef CAIRN_SYNC_APPLY_INT_H
#define CAIRN_SYNC_APPLY_INT_H

#include "sync/sync-int.h"

struct apply {
	struct sync *s;
	struct cairn_sync_result *res;
	json_t *op;
	const struct stable *t;
	const char *uuid, *clock;
	struct buf label; /* the conflicts, for the change's label */
	int local;        /* an item put back here by an undo */
	int retry;        /* trying again what was kept out of a cycle */
	/* Field changes a row's CHECK refused one at a time (a prediction's
	 * outcome and resolved date go together): applied together at the
	 * end of the batch (ap_flush_deferred). */
	struct ap_deferred {
		json_t *op;
		const struct stable *t;
		int64_t local, ref;
		const char *field; /* in op */
		json_t *val;       /* in op, or json_null() */
	} * defer;
	size_t ndefer;
};

/* Record a conflict with the operation being applied (apply.c). */
int ap_conflict(struct apply *a, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Insert the operation's row; *local 0 when kept out or aside. */
int ap_insert_row(struct apply *a, json_t *value, int64_t *local);
/* One field of a row that is here: the newer clock wins. */
int ap_apply_field(struct apply *a, int64_t local, const char *field,
                   json_t *v);
int ap_set_parent(struct apply *a, int64_t item, json_t *parent);
/* Is the row of a->t (or of table) there? */
int ap_row_exists(struct apply *a, int64_t local, int *out);
int ap_row_in(struct apply *a, const char *table, int64_t local, int *out);
/* The clocks of a row just made from value. */
int ap_row_clocks(struct apply *a, json_t *value);

/* park.c */
int ap_park_at(struct apply *a, const char *uuid, const char *field,
               const char *clock, json_t *v);
int ap_unpark(struct apply *a, int64_t local);
/* Item's move under parent at clock (parent 0: the top; -1: where the
 * item is now), about to be undone as the newest of a loop or kept out
 * as one: kept (UNDONE_MOVE), to be made again once it closes none. */
int ap_keep_move(struct apply *a, int64_t item, int64_t parent,
                 const char *clock);
int ap_orphans(struct apply *a, int64_t item);
int ap_park_newer(struct apply *a, int64_t local);
int ap_park_row(struct apply *a, const struct stable *t, const char *uuid,
                const char *item, json_t *w, const char *clock);
int ap_park_rows(struct apply *a, int64_t item);
int ap_unpark_item(struct apply *a, int64_t item);
/* An edge kept out of a cycle (refused, or the newest edge of one),
 * tried again after each batch: kept-out edges come back when the cycle
 * goes, whichever order the operations came in. */
int ap_keep_out(struct apply *a, json_t *w, const char *uuid,
                const char *clock);
int ap_keep_out_edge(struct apply *a, int64_t eid, const char *clock);
int ap_retry_kept_out(struct apply *a);

#endif
