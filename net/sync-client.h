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

#include <stddef.h>

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

#endif
