/*
 * schema.c: the hub's tables in PostgreSQL, their versions and
 * migrations, and the users and their enrolment codes (`cairn hub init`
 * and `cairn hub user`).
 *
 * The tables live in the schema "hub".  hub.version holds one row, the
 * version of the tables; migrations[v - 1] brings version v - 1 to v,
 * and hub_schema_init runs the missing ones in one transaction, under an
 * advisory lock so that two hubs starting at once do not both migrate.
 * Version 1 has what sync needs: users, their devices (a token's hash
 * each, revocable), their one-time enrolment codes (hashed), and their
 * operations.  Version 2 adds the lab (hub/lab.c): labs, memberships
 * with a role, mentorships, invite codes, the mentor loop's questions and
 * the log of refusals.  Version 3 adds what the lab's web pages need
 * (a password per user, browser sessions) and mentors' comments.
 *
 * CAIRN_HUB_MIGRATE_TO=N (for the tests only) makes init stop at version
 * N, so that a test can fill an older version and migrate it.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub-int.h"
#include "../lib/banned.h"

/* pg_advisory_xact_lock's key for migrations ("cairnhub"). */
#define MIGRATE_LOCK "7163298154935853666"

static const char *const migrations[] = {
        /* 1: users, devices, enrolment codes, operations. */
        "CREATE SCHEMA hub;"
        "CREATE TABLE hub.version ("
        " one boolean PRIMARY KEY DEFAULT true CHECK (one),"
        " version integer NOT NULL,"
        " migrated timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE hub.users ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " name text NOT NULL UNIQUE,"
        " salt bytea NOT NULL CHECK (length(salt) = 16),"
        " created timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE hub.devices ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " user_id bigint NOT NULL REFERENCES hub.users(id),"
        " label text NOT NULL,"
        " token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
        " created timestamptz NOT NULL DEFAULT now(),"
        " revoked timestamptz);"
        "CREATE INDEX devices_user ON hub.devices(user_id);"
        "CREATE TABLE hub.codes ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " user_id bigint NOT NULL REFERENCES hub.users(id),"
        " code_hash bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),"
        " created timestamptz NOT NULL DEFAULT now(),"
        " expires timestamptz NOT NULL,"
        " used timestamptz,"
        " device_id bigint REFERENCES hub.devices(id));"
        "CREATE INDEX codes_user ON hub.codes(user_id);"
        /* A plain operation is kept whole (body); a private one only
         * sealed, with the fields the hub needs beside it. */
        "CREATE TABLE hub.ops ("
        " seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " user_id bigint NOT NULL REFERENCES hub.users(id),"
        " device_id bigint NOT NULL REFERENCES hub.devices(id),"
        " op_id uuid NOT NULL,"
        " replica uuid NOT NULL,"
        " clock text NOT NULL,"
        " vis text NOT NULL CHECK (vis IN ('private', 'lab', 'public')),"
        " body jsonb,"
        " sealed text,"
        " received timestamptz NOT NULL DEFAULT now(),"
        " UNIQUE (user_id, op_id),"
        " CHECK ((vis = 'private') = (sealed IS NOT NULL)),"
        " CHECK ((body IS NULL) = (sealed IS NOT NULL)));"
        "CREATE INDEX ops_user_seq ON hub.ops(user_id, seq);"
        "INSERT INTO hub.version(version) VALUES (0);",
        /* 2: labs, their members with a role each, who mentors whom,
         * one-time invite codes (hashed), the questions of the mentor
         * loop, and the log of refusals worth an eye (a guessed code). */
        "CREATE TABLE hub.labs ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " name text NOT NULL UNIQUE,"
        " created timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE hub.memberships ("
        " lab_id bigint NOT NULL REFERENCES hub.labs(id),"
        " user_id bigint NOT NULL REFERENCES hub.users(id),"
        " role text NOT NULL"
        "  CHECK (role IN ('lead', 'mentor', 'member', 'viewer')),"
        " joined timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (lab_id, user_id));"
        "CREATE INDEX memberships_user ON hub.memberships(user_id);"
        /* One lead a lab. */
        "CREATE UNIQUE INDEX memberships_lead ON hub.memberships(lab_id)"
        " WHERE role = 'lead';"
        /* A member who leaves the lab takes their mentorships there
         * with them. */
        "CREATE TABLE hub.mentorships ("
        " lab_id bigint NOT NULL,"
        " mentor_id bigint NOT NULL,"
        " member_id bigint NOT NULL,"
        " PRIMARY KEY (lab_id, mentor_id, member_id),"
        " CHECK (mentor_id <> member_id),"
        " FOREIGN KEY (lab_id, mentor_id) REFERENCES"
        "  hub.memberships(lab_id, user_id) ON DELETE CASCADE,"
        " FOREIGN KEY (lab_id, member_id) REFERENCES"
        "  hub.memberships(lab_id, user_id) ON DELETE CASCADE);"
        "CREATE TABLE hub.invites ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " lab_id bigint NOT NULL REFERENCES hub.labs(id),"
        " role text NOT NULL CHECK (role IN ('mentor', 'member', 'viewer')),"
        " code_hash bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),"
        " created timestamptz NOT NULL DEFAULT now(),"
        " expires timestamptz NOT NULL,"
        " used timestamptz,"
        " used_by bigint REFERENCES hub.users(id),"
        " CHECK ((used IS NULL) = (used_by IS NULL)));"
        /* A question is the statement of a prediction put to a hub user,
         * never its probability. */
        "CREATE TABLE hub.questions ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " asker_id bigint NOT NULL REFERENCES hub.users(id),"
        " prediction uuid NOT NULL,"
        " addressee_id bigint NOT NULL REFERENCES hub.users(id),"
        " item uuid,"
        " statement text NOT NULL CHECK (statement <> ''),"
        " created timestamptz NOT NULL DEFAULT now(),"
        " answered timestamptz,"
        " outcome boolean,"
        " why text,"
        " UNIQUE (asker_id, prediction),"
        " CHECK ((answered IS NULL) = (outcome IS NULL)));"
        "CREATE INDEX questions_addressee ON hub.questions(addressee_id);"
        "CREATE TABLE hub.refusals ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " at timestamptz NOT NULL DEFAULT now(),"
        " kind text NOT NULL,"
        " user_id bigint REFERENCES hub.users(id),"
        " device_id bigint REFERENCES hub.devices(id),"
        " addr text,"
        " detail text NOT NULL);"
        "CREATE INDEX refusals_device ON hub.refusals(device_id, kind, at);",
        /* 3: the lab's web pages and comments.  A user's password for
         * the pages (crypto_pwhash_str, Argon2id; NULL: none set), their
         * browser sessions (a token's hash each, with the session's CSRF
         * token), and mentors' comments on their members' items, which
         * reach the owner's store as notes. */
        "ALTER TABLE hub.users ADD COLUMN password text;"
        "CREATE TABLE hub.sessions ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " user_id bigint NOT NULL REFERENCES hub.users(id),"
        " token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
        " csrf text NOT NULL CHECK (length(csrf) = 64),"
        " addr text NOT NULL DEFAULT '',"
        " created timestamptz NOT NULL DEFAULT now(),"
        " expires timestamptz NOT NULL,"
        " ended timestamptz);"
        "CREATE INDEX sessions_user ON hub.sessions(user_id);"
        "CREATE TABLE hub.comments ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " lab_id bigint NOT NULL REFERENCES hub.labs(id),"
        " author_id bigint NOT NULL REFERENCES hub.users(id),"
        " owner_id bigint NOT NULL REFERENCES hub.users(id),"
        " item uuid NOT NULL,"
        " body text NOT NULL CHECK (body <> ''),"
        " created timestamptz NOT NULL DEFAULT now());"
        "CREATE INDEX comments_owner ON hub.comments(owner_id, id);"
        "CREATE INDEX refusals_addr ON hub.refusals(addr, kind, at);",
};

int
hub_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= HUB_NAME_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* The version of the hub's tables on c: 0 when there are none. */
static int
schema_version(PGconn *c, int *version, struct cairn_err *err)
{
	PGresult *r;

	r = hub_exec(c,
	             "SELECT CASE WHEN to_regclass('hub.version') IS NULL "
	             "THEN 0 ELSE -1 END",
	             0, NULL, err);
	if (!r)
		return CAIRN_EDB;
	*version = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (*version == 0)
		return 0;
	if (!(r = hub_exec(c, "SELECT version FROM hub.version", 0, NULL, err)))
		return CAIRN_EDB;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return cairn_err_set(err, CAIRN_EDB,
		                     "hub.version has %d rows, not one",
		                     PQntuples(r));
	}
	*version = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int
hub_schema_check(PGconn *c, int *version, struct cairn_err *err)
{
	int rc = schema_version(c, version, err);

	if (rc)
		return rc;
	if (*version > HUB_SCHEMA_VERSION)
		return cairn_err_set(
		        err, CAIRN_EVERSION,
		        "the hub's tables are at version %d, newer "
		        "than this cairn's %d",
		        *version, HUB_SCHEMA_VERSION);
	if (*version < HUB_SCHEMA_VERSION)
		return cairn_err_set(
		        err, CAIRN_EVERSION,
		        "the hub's tables are at version %d, not %d: "
		        "run cairn hub init",
		        *version, HUB_SCHEMA_VERSION);
	return 0;
}

int
hub_schema_init(const char *pg, int *from, int *to, struct cairn_err *err)
{
	const char *lock[] = {MIGRATE_LOCK};
	PGconn *c = hub_connect(pg, err);
	char v[16];
	const char *pv[] = {v};
	const char *env = getenv("CAIRN_HUB_MIGRATE_TO");
	int rc = CAIRN_EDB, version = 0, target = HUB_SCHEMA_VERSION;

	if (env && atoi(env) >= 1 && atoi(env) < HUB_SCHEMA_VERSION)
		target = atoi(env);
	*from = *to = 0;
	if (!c)
		return CAIRN_EDB;
	if (hub_run(c, "BEGIN", 0, NULL, err) ||
	    hub_run(c, "SELECT pg_advisory_xact_lock($1::bigint)", 1, lock,
	            err))
		goto out;
	if ((rc = schema_version(c, &version, err)))
		goto out;
	*from = *to = version;
	if (version > HUB_SCHEMA_VERSION) {
		rc = cairn_err_set(err, CAIRN_EVERSION,
		                   "the hub's tables are at version %d, newer "
		                   "than this cairn's %d",
		                   version, HUB_SCHEMA_VERSION);
		goto out;
	}
	/* Each migration is a script of several statements without
	 * values: PQexec runs them inside the open transaction. */
	for (int i = version; i < target; i++) {
		PGresult *r = PQexec(c, migrations[i]);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = cairn_err_set(
			        err, CAIRN_EDB,
			        "cannot migrate the hub's tables to "
			        "version %d: %s",
			        i + 1,
			        PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
			PQclear(r);
			goto out;
		}
		PQclear(r);
	}
	snprintf(v, sizeof(v), "%d", target);
	if (version < target &&
	    (rc = hub_run(c,
	                  "UPDATE hub.version SET version = $1::integer, "
	                  "migrated = now()",
	                  1, pv, err)))
		goto out;
	if ((rc = hub_run(c, "COMMIT", 0, NULL, err)))
		goto out;
	*to = version < target ? target : version;
out:
	PQfinish(c);
	return rc;
}

/* "\x" and the hex of n bytes: a bytea parameter in text form. */
static void
bytea_hex(char *out, const unsigned char *b, size_t n)
{
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, 2 * n + 1, b, n);
}

void
hub_hash_hex(char out[HUB_HASH_PARAM], const unsigned char *secret, size_t n)
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), secret, n, NULL, 0);
	bytea_hex(out, h, sizeof(h));
}

int
hub_code_new(char code[HUB_CODE_HEX + 1], char hash[HUB_HASH_PARAM],
             struct cairn_err *err)
{
	unsigned char raw[HUB_CODE_HEX / 2];

	if (sodium_init() < 0)
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot initialise libsodium");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(code, HUB_CODE_HEX + 1, raw, sizeof(raw));
	hub_hash_hex(hash, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int
hub_code_hash(const char *code, char hash[HUB_HASH_PARAM])
{
	unsigned char raw[HUB_CODE_HEX / 2];
	size_t len;

	if (strlen(code) != HUB_CODE_HEX ||
	    strspn(code, "0123456789abcdefABCDEF") != HUB_CODE_HEX ||
	    sodium_hex2bin(raw, sizeof(raw), code, HUB_CODE_HEX, NULL, &len,
	                   NULL) ||
	    len != sizeof(raw))
		return -1;
	hub_hash_hex(hash, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int
hub_user_add(const char *pg, const char *name, char code[HUB_CODE_HEX + 1],
             int *existed, struct cairn_err *err)
{
	unsigned char salt[16];
	char salt_hex[2 * sizeof(salt) + 3], code_hash[HUB_HASH_PARAM];
	const char *p[3];
	PGconn *c = NULL;
	PGresult *r;
	int rc, version;

	*existed = 0;
	if (!hub_name_ok(name))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not a user name (1 to %d of "
		                     "letters, digits, '.', '_' and '-')",
		                     name, HUB_NAME_MAX);
	if ((rc = hub_code_new(code, code_hash, err)))
		return rc;
	randombytes_buf(salt, sizeof(salt));
	bytea_hex(salt_hex, salt, sizeof(salt));
	if (!(c = hub_connect(pg, err)))
		return CAIRN_EDB;
	if ((rc = hub_schema_check(c, &version, err)) ||
	    (rc = hub_run(c, "BEGIN", 0, NULL, err)))
		goto out;
	p[0] = name;
	p[1] = salt_hex;
	if (!(r = hub_exec(
	              c,
	              "INSERT INTO hub.users(name, salt) "
	              "VALUES ($1, $2::bytea) ON CONFLICT (name) DO NOTHING",
	              2, p, err))) {
		rc = CAIRN_EDB;
		goto out;
	}
	*existed = strcmp(PQcmdTuples(r), "1") != 0;
	PQclear(r);
	p[1] = code_hash;
	if (!(rc = hub_run(c,
	                   "INSERT INTO hub.codes(user_id, code_hash, expires) "
	                   "SELECT id, $2::bytea, now() + interval '7 days' "
	                   "FROM hub.users WHERE name = $1",
	                   2, p, err)))
		rc = hub_run(c, "COMMIT", 0, NULL, err);
out:
	if (rc)
		sodium_memzero(code, HUB_CODE_HEX + 1);
	PQfinish(c);
	return rc;
}

int
hub_user_rm(const char *pg, const char *name, long *revoked,
            struct cairn_err *err)
{
	const char *p[] = {name};
	PGconn *c;
	PGresult *r = NULL;
	int rc, version;

	*revoked = 0;
	if (!(c = hub_connect(pg, err)))
		return CAIRN_EDB;
	if ((rc = hub_schema_check(c, &version, err)))
		goto out;
	/* One statement: the codes spent, the devices revoked and the
	 * browser sessions ended together, or none of them. */
	r = hub_exec(
	        c,
	        "WITH u AS (SELECT id FROM hub.users WHERE name = $1), "
	        "c AS (UPDATE hub.codes SET used = now() "
	        " WHERE user_id IN (SELECT id FROM u) AND used IS NULL), "
	        "d AS (UPDATE hub.devices SET revoked = now() "
	        " WHERE user_id IN (SELECT id FROM u) AND revoked IS NULL "
	        " RETURNING id), "
	        "s AS (UPDATE hub.sessions SET ended = now() "
	        " WHERE user_id IN (SELECT id FROM u) AND ended IS NULL) "
	        "SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM d)",
	        1, p, err);
	if (!r) {
		rc = CAIRN_EDB;
		goto out;
	}
	if (!strcmp(PQgetvalue(r, 0, 0), "0"))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no user '%s' on the hub", name);
	else
		*revoked = atol(PQgetvalue(r, 0, 1));
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

int
hub_user_password(const char *pg, const char *name, const char *password,
                  struct cairn_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	size_t n = strlen(password);
	const char *p[2];
	PGconn *c;
	PGresult *r = NULL;
	int rc, version;

	if (!hub_name_ok(name))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not a user name", name);
	if (n < HUB_PASSWORD_MIN || n > HUB_PASSWORD_MAX)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "a password has %d to %d bytes, not %zu",
		                     HUB_PASSWORD_MIN, HUB_PASSWORD_MAX, n);
	if (sodium_init() < 0)
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot initialise libsodium");
	if (crypto_pwhash_str(hash, password, n,
	                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return cairn_err_set(err, CAIRN_EDB,
		                     "out of memory hashing the password");
	if (!(c = hub_connect(pg, err)))
		return CAIRN_EDB;
	if ((rc = hub_schema_check(c, &version, err)))
		goto out;
	p[0] = name;
	p[1] = hash;
	/* One statement: the new password, and every session of the user
	 * ended, or neither. */
	r = hub_exec(c,
	             "WITH u AS (UPDATE hub.users SET password = $2 "
	             " WHERE name = $1 RETURNING id), "
	             "s AS (UPDATE hub.sessions SET ended = now() "
	             " WHERE user_id IN (SELECT id FROM u) AND ended IS NULL) "
	             "SELECT count(*) FROM u",
	             2, p, err);
	if (!r) {
		rc = CAIRN_EDB;
		goto out;
	}
	if (!strcmp(PQgetvalue(r, 0, 0), "0"))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no user '%s' on the hub", name);
out:
	sodium_memzero(hash, sizeof(hash));
	PQclear(r);
	PQfinish(c);
	return rc;
}
