/*
 * review.h: dated reflections.  A review answers three questions (what
 * moved, what got sharper, what to drop) and may carry free text; it is a
 * row of the journalled review table, so it appears in history, can be
 * undone, and shows in look-backs of its period.
 */
#ifndef CAIRN_REVIEW_H
#define CAIRN_REVIEW_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"

/* One review, valid only during the callback; NULL for unanswered. */
struct cairn_review {
	int64_t id;
	const char *created;
	const char *moved;
	const char *sharper;
	const char *to_drop;
	const char *note;
};

typedef int (*cairn_review_fn)(void *ctx, const struct cairn_review *r);

/*
 * Record a review dated now (the cairn clock).  Any answer may be NULL or
 * empty, but not all of them.  *id (may be NULL) gets its id.  Errors:
 * CAIRN_EINVAL.
 */
int cairn_review_add(struct cairn_store *st, const char *moved,
                     const char *sharper, const char *to_drop, const char *note,
                     int64_t *id, struct cairn_err *err);

/* Stream reviews created in [since, until) (timestamps, NULL: open),
 * oldest first. */
int cairn_review_each(struct cairn_store *st, const char *since,
                      const char *until, cairn_review_fn fn, void *ctx,
                      struct cairn_err *err);

/* The time of the latest review into out; CAIRN_ENOTFOUND when none. */
int cairn_review_last(struct cairn_store *st, char out[21],
                      struct cairn_err *err);

json_t *cairn_review_json(const struct cairn_review *r);

#endif
