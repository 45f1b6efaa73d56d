/*
 * paper.h: the literature a roadmap rests on.  A paper has a citation key
 * (unique), a title, authors, year, venue, URL and DOI, a reading status
 * and notes.  An item can require papers: reading or replicating them is a
 * prerequisite of the item, like a builds-on edge, and a requirement is
 * met once the paper is read, replicated or its replication has failed
 * (the attempt is the prerequisite, not its outcome).
 */
#ifndef CAIRN_PAPER_H
#define CAIRN_PAPER_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"

enum cairn_paper_status {
	CAIRN_PAPER_TO_READ,
	CAIRN_PAPER_READING,
	CAIRN_PAPER_READ,
	CAIRN_PAPER_REPLICATING,
	CAIRN_PAPER_REPLICATED,
	CAIRN_PAPER_REPLICATION_FAILED,
	CAIRN_PAPER_STATUS_COUNT
};

/* "to-read", "reading", ...; parse returns -1 for an unknown name. */
const char *cairn_paper_status_name(enum cairn_paper_status s);
int cairn_paper_status_parse(const char *s);

/* One paper; strings owned (cairn_paper_release), NULL or "" unset. */
struct cairn_paper {
	int64_t id;
	char *key;
	char *title;
	char *authors;
	int year;  /* 0 unset */
	int month; /* 0 unset */
	char *venue;
	char *url;
	char *doi;
	enum cairn_paper_status status;
	char *notes;
	char created[CAIRN_TS_LEN];
};

void cairn_paper_init(struct cairn_paper *p);
void cairn_paper_release(struct cairn_paper *p);

/*
 * Check a citation key: 1-200 bytes, none of them white space, control
 * characters or any of  , { } ( ) " # % = @ \ '
 */
int cairn_paper_key_check(const char *key, struct cairn_err *err);

/*
 * Add p.  Without a key one is made from the first author's surname, the
 * year and the first word of the title ("devlin2019bert"), with a letter
 * appended when taken; p->key then holds it.  Fills p->id and created.
 * Errors: CAIRN_EEXIST (key taken), CAIRN_EINVAL.
 */
int cairn_paper_add(struct cairn_store *st, struct cairn_paper *p,
                    struct cairn_err *err);

/* Read the paper with key into out (initialised).  CAIRN_ENOTFOUND. */
int cairn_paper_get(struct cairn_store *st, const char *key,
                    struct cairn_paper *out, struct cairn_err *err);

/*
 * Set one field from its text form: key, title, authors, year, month,
 * venue, url, doi, status, notes ("" or "none" clears an optional one).
 * CAIRN_ENOTFOUND for an unknown paper or field, CAIRN_EINVAL for a bad
 * value, CAIRN_EEXIST for a key already taken.
 */
int cairn_paper_set(struct cairn_store *st, const char *key, const char *field,
                    const char *value, struct cairn_err *err);

/* The settable field names, NULL-terminated. */
extern const char *const cairn_paper_fields[];

/*
 * item requires the paper with key (link) or no longer does (unlink).
 * Errors: CAIRN_ENOTFOUND (item, paper, or the link to remove),
 * CAIRN_EEXIST (already linked).
 */
int cairn_paper_link(struct cairn_store *st, const char *key, int64_t item,
                     struct cairn_err *err);
int cairn_paper_unlink(struct cairn_store *st, const char *key, int64_t item,
                       struct cairn_err *err);

/*
 * Remove the paper with key, in one change (undo brings it back).  A
 * paper that items require is removed, with those links, only when
 * force is set; *links (may be NULL) gets how many links went.  Errors:
 * CAIRN_ENOTFOUND, CAIRN_ESTATE (required and not force, naming the
 * items).
 */
int cairn_paper_remove(struct cairn_store *st, const char *key, int force,
                       int *links, struct cairn_err *err);

/*
 * A listing: status -1 for any; item 0 for all papers, else the papers
 * required by item or anything below it.
 */
struct cairn_paper_query {
	int status;
	int64_t item;
};

#define CAIRN_PAPER_QUERY_INIT                                                 \
	{                                                                      \
		-1, 0                                                          \
	}

typedef int (*cairn_paper_fn)(void *ctx, const struct cairn_paper *p);

/* Stream matching papers by key.  CAIRN_ENOTFOUND for an unknown item. */
int cairn_paper_each(struct cairn_store *st, const struct cairn_paper_query *q,
                     cairn_paper_fn fn, void *ctx, struct cairn_err *err);

/* Stream the ids of the items that require paper id, in id order, as
 * fn(ctx, item id). */
int cairn_paper_items(struct cairn_store *st, int64_t paper,
                      int (*fn)(void *ctx, int64_t item), void *ctx,
                      struct cairn_err *err);

/*
 * How many papers item (or any ancestor of it) requires that are not yet
 * read, replicated or failed to replicate: 0 means the literature does not
 * hold the item back.
 */
int cairn_paper_pending(struct cairn_store *st, int64_t item, int *count,
                        struct cairn_err *err);

/* What an import did. */
struct cairn_import_stats {
	int added;   /* new papers */
	int present; /* keys already in the store: left as they are */
	int repeats; /* keys seen earlier in the same file: skipped */
};

/*
 * Import the BibTeX file at path (at most 32 MiB) in one change.  Papers
 * whose key is already in the store are left alone, so importing a file
 * twice adds nothing.  A malformed or truncated file imports nothing and
 * the error names its line.  Errors: CAIRN_EINVAL, CAIRN_ENOTFOUND (no
 * such file), CAIRN_EDB.
 */
int cairn_paper_import(struct cairn_store *st, const char *path,
                       struct cairn_import_stats *stats, struct cairn_err *err);

/* The paper as JSON with the field names above; a new reference. */
json_t *cairn_paper_json(const struct cairn_paper *p);

#endif
