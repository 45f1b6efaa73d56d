/*
 * lesson.h: what did or did not work, attached to an item and dated, with
 * full-text search (SQLite FTS5) over the text.
 */
#ifndef CAIRN_LESSON_H
#define CAIRN_LESSON_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"

/* One lesson, valid only during the callback that receives it. */
struct cairn_lesson {
	int64_t id;
	int64_t item;
	const char *item_title;
	const char *created;
	const char *text;
	int worked; /* 0: it did not work */
};

typedef int (*cairn_lesson_fn)(void *ctx, const struct cairn_lesson *l);

/*
 * Record a lesson on item; worked is 0 for what did not work.  *id (may be
 * NULL) gets its id.  Errors: CAIRN_ENOTFOUND (item), CAIRN_EINVAL (empty
 * or oversized text).
 */
int cairn_lesson_add(struct cairn_store *st, int64_t item, const char *text,
                     int worked, int64_t *id, struct cairn_err *err);

/*
 * Stream lessons, oldest first: of item and everything below it (0: all);
 * with search (not NULL), only those whose text matches every word of it
 * (case-insensitive, whole words; a word ending in '*' matches as a
 * prefix), best match first.  Errors: CAIRN_ENOTFOUND (item), CAIRN_EINVAL
 * (a search with no words).
 */
int cairn_lesson_each(struct cairn_store *st, int64_t item, const char *search,
                      cairn_lesson_fn fn, void *ctx, struct cairn_err *err);

/* The lesson as JSON (id, item, created, text, worked); a new reference. */
json_t *cairn_lesson_json(const struct cairn_lesson *l);

#endif
