/*
 * sync-client.h: `cairn sync`'s side of doc/sync-protocol.md: enrolment,
 * and pushing and pulling operations in batches (libcurl), with the
 * private ones sealed and opened here (libsodium).  What operations are
 * and how they merge is lib/sync's (include/cairn/store/sync.h).
 *
 * The credentials are kept in the store's sync state: "hub", "user",
 * "token" (the device's), "key" (hex, derived from the user's sync
 * passphrase with Argon2id and the hub's salt) and, for a hub with a
 * certificate of its own, "cacert".  Login makes the store's files
 * readable by their owner only.
 */
#ifndef CAIRN_NET_SYNC_CLIENT_H
#define CAIRN_NET_SYNC_CLIENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "cairn/core/err.h"

struct cairn_store;

/* A line for the user while syncing (a retry, progress). */
typedef void (*sync_note_fn)(void *ctx, const char *line);

struct sync_login_opts {
	const char *url; /* the hub, "http://127.0.0.1:PORT" */
	const char *user;
	const char *code;       /* the one-time enrolment code */
	const char *device;     /* a label for this device; NULL: the host */
	const char *passphrase; /* the user's sync passphrase */
	const char *cacert;     /* a CA file for the hub's TLS, or NULL */
};

/*
 * Enrol this store with the hub as a new device of the user.  Errors:
 * CAIRN_EINVAL (a malformed URL or reply), CAIRN_ESTATE (the hub refused:
 * a used or unknown code), CAIRN_EDB (the hub cannot be reached).
 */
int sync_login(struct cairn_store *st, const char *path,
               const struct sync_login_opts *o, struct cairn_err *err);

struct sync_report {
	size_t pushed;     /* operations the hub stored */
	size_t duplicates; /* sent again (a resumed push) */
	size_t pulled;     /* operations from other devices */
	size_t applied;    /* that changed something here */
	size_t conflicts;
	size_t asked;    /* predictions put to a mentor on the hub */
	size_t resolved; /* resolved by a mentor's answer */
	size_t comments; /* mentors' comments, now notes here */
};

/*
 * Push the operations queued since the last sync, then pull the others,
 * in batches; a batch the hub acknowledged is never sent again, and one
 * cut off is sent again as the same operations.  An unreachable hub (or
 * a 503) is tried again with a growing wait, each retry told to note.
 * CAIRN_ESTATE when the store is not logged in or the device is refused
 * (revoked), CAIRN_EDB when the hub stays unreachable.
 */
int sync_run(struct cairn_store *st, struct sync_report *rep, sync_note_fn note,
             void *ctx, struct cairn_err *err);

/*
 * The lab, for a logged-in store (errors as sync_run's; a refusal of the
 * hub is CAIRN_EINVAL with its message, CAIRN_ESTATE for a revoked
 * device).  join: spend an invite code; *out is the hub's reply
 * ({"lab","role"}).  questions: the open questions put to this user
 * ({"questions":[{"id","from","statement","item","asked"}]}).  answer:
 * answer question qid, once, yes (1) or no with why.
 *
 * sync_run also runs the mentor loop after the pull: each open
 * prediction about "@NAME" is put to NAME (its statement, never its
 * probability), and the answers that came resolve their predictions.
 */
/*
 * A mentor's side of comments.  items: the items of user in lab that this
 * user may read ({"items":[{"uuid","kind","status","title",...}]}).
 * comment: put text (a note, 1 to 4000 bytes) on user's item (its uuid)
 * in lab, as its lead or user's mentor there; *id is the hub's id of the
 * comment.  A refusal (not allowed, no such item: the hub does not tell
 * them apart) is CAIRN_EINVAL with the hub's message.
 *
 * sync_run, after the answers, takes the comments on this user's items
 * since the sync state's "comments" cursor: each becomes a note on the
 * item with that uuid, marked with its author, under a sync uuid derived
 * from the comment, so that each comment is one note on every replica.
 */
#define SYNC_COMMENT_MAX                                                       \
	4000 /* bytes of a comment (the hub's HUB_TEXT_MAX)                    \
	      */
int sync_items(struct cairn_store *st, const char *lab, const char *user,
               json_t **out, struct cairn_err *err);
int sync_comment(struct cairn_store *st, const char *lab, const char *user,
                 const char *item, const char *text, int64_t *id,
                 struct cairn_err *err);
int sync_join(struct cairn_store *st, const char *code, json_t **out,
              struct cairn_err *err);
int sync_questions(struct cairn_store *st, json_t **out, struct cairn_err *err);
int sync_answer(struct cairn_store *st, int64_t qid, int outcome,
                const char *why, struct cairn_err *err);

#endif
