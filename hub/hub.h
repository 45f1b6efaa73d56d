/*
 * hub.h: `cairn hub`, the sync server of doc/sync-protocol.md, over
 * PostgreSQL (libpq) and net/http.c.  The entry points the command
 * (cli/cmd-hub.c) calls, through the trampolines of cli/ext.c: the hub
 * lives in the module cairn-ext with web/ and net/.
 *
 * The hub keeps nothing outside PostgreSQL but a pool of connections and
 * its rate-limit counters, so several hub processes may serve one
 * database.  Its tables live in the PostgreSQL schema "hub" (hub.version,
 * hub.users, hub.devices, hub.codes, hub.ops; the lab's hub.labs,
 * hub.memberships, hub.mentorships, hub.invites, hub.questions and
 * hub.refusals), at HUB_SCHEMA_VERSION.
 * Nothing here prints; every failure is a struct cairn_err.
 */
#ifndef CAIRN_HUB_H
#define CAIRN_HUB_H

#include "cairn/core/err.h"

#define HUB_SCHEMA_VERSION 3
#define HUB_CODE_HEX       32 /* an enrolment code: 16 random bytes, hex */
#define HUB_NAME_MAX       64

struct hub_opts {
	const char *pg;   /* a libpq connection string or URL */
	const char *bind; /* NULL: 127.0.0.1 */
	unsigned port;    /* 0: a free one */
	const char *tls_cert_file, *tls_key_file; /* both or neither */
	int insecure;     /* serve plain HTTP on a non-loopback address */
	unsigned rate;    /* requests a minute per device (and per address
	                   * for those without a valid token); 0: 600 */
	const char *host; /* a name the pages are reached by (Host), or NULL */
};

/* 1 when s is a user name the hub takes: 1 to HUB_NAME_MAX of A-Z a-z
 * 0-9 . _ - (the CLI and enrolment check the same). */
int hub_name_ok(const char *s);

/*
 * Create the hub's schema in the database at pg, or migrate it to
 * HUB_SCHEMA_VERSION, in one transaction (concurrent callers wait for
 * one another).  *from is the version found (0: none), *to the version
 * left.  CAIRN_EDB when the database cannot be reached or refuses,
 * CAIRN_EVERSION when its schema is newer than this cairn's.
 */
int hub_schema_init(const char *pg, int *from, int *to, struct cairn_err *err);

/*
 * Add user name (or take the existing one: *existed is then 1) and a
 * fresh one-time enrolment code for a device of theirs, valid a week,
 * written to code (HUB_CODE_HEX digits and a NUL).  The hub keeps only
 * the code's hash.  CAIRN_EINVAL for a bad name, CAIRN_EDB.
 */
int hub_user_add(const char *pg, const char *name, char code[HUB_CODE_HEX + 1],
                 int *existed, struct cairn_err *err);

/*
 * Revoke every device of user name, end their browser sessions and
 * spend their unused codes; their operations stay.  *revoked is the number of
 * devices revoked. CAIRN_ENOTFOUND for no such user, CAIRN_EDB.
 */
int hub_user_rm(const char *pg, const char *name, long *revoked,
                struct cairn_err *err);

/*
 * Set user name's password for the lab's web pages (HUB_PASSWORD_MIN to
 * HUB_PASSWORD_MAX bytes), kept as crypto_pwhash_str's Argon2id string,
 * and end the user's browser sessions.  CAIRN_EINVAL for a bad name or
 * length, CAIRN_ENOTFOUND for no such user, CAIRN_EDB.
 */
#define HUB_PASSWORD_MIN 8
#define HUB_PASSWORD_MAX 1024
int hub_user_password(const char *pg, const char *name, const char *password,
                      struct cairn_err *err);

/* 1 when role is one of lead, mentor, member, viewer (invitable: one
 * of the last three). */
int hub_role_ok(const char *role, int invitable);

/*
 * The lab administration (`cairn hub lab`), each in one statement, so a
 * refusal changes nothing.  CAIRN_EINVAL for a bad name or role,
 * CAIRN_ENOTFOUND for no such lab or user (or one not in the lab),
 * CAIRN_EEXIST for a lab or mentorship already there, CAIRN_ESTATE for
 * a role that does not fit (a mentor who is a member; removing the
 * lead), CAIRN_EDB.
 *
 * add: a lab led by lead.  invite: a one-time code to join lab with
 * role (mentor, member or viewer), valid 7 days; the hub keeps its hash.
 * mentor: mentor (a mentor or the lead of lab) mentors member.
 * rm_member: user leaves lab at once, with their mentorships there.
 */
int hub_lab_add(const char *pg, const char *name, const char *lead,
                struct cairn_err *err);
int hub_lab_invite(const char *pg, const char *lab, const char *role,
                   char code[HUB_CODE_HEX + 1], struct cairn_err *err);
int hub_lab_mentor(const char *pg, const char *lab, const char *mentor,
                   const char *member, struct cairn_err *err);
int hub_lab_rm_member(const char *pg, const char *lab, const char *user,
                      struct cairn_err *err);

struct hub;

/*
 * Serve the protocol on opts' address in threads of the server's own,
 * until hub_stop.  Checks first that the database answers and is at
 * HUB_SCHEMA_VERSION.  CAIRN_EINVAL for a bad address, a non-loopback
 * one with neither TLS nor insecure, or a certificate or key that does
 * not load; CAIRN_EDB or CAIRN_EVERSION for the database.
 */
int hub_start(struct hub **out, const struct hub_opts *opts,
              struct cairn_err *err);
/* "http://127.0.0.1:PORT" (https with TLS). */
const char *hub_url(const struct hub *h);
/* Let requests in flight finish, stop, close the connections; NULL is
 * fine. */
void hub_stop(struct hub *h);

#endif
