/*
 * lab.c: labs on the hub: their administration (`cairn hub lab`), the
 * role rules every lab route applies (hub_lab_access), and the log of
 * refusals.
 *
 * A lab has one lead and members with a role each: mentor, member or
 * viewer.  A mentor mentors members of the lab (hub.mentorships).  What
 * one user of a lab may read of another's items is decided here and only
 * here (lab_sees), so that the API's routes (lab-api.c) and any page
 * built on them later apply the same rules:
 *
 *	one's own items				all (lab and public)
 *	lead, viewer: any member's		lab items
 *	mentor: a member they mentor		lab items
 *	anyone: the lead's			shared goals (lab goals)
 *	anything else				nothing: 404
 *
 * Comments (hub_comment_add) follow the same table: the lead and a
 * mentor may comment on the lab items they see of another; a viewer,
 * who sees as much, and a plain member comment on nothing.
 *
 * Nothing outside the lab is told apart from "not there": a lab the
 * caller is not in and a user not in the lab are both 404, so ids and
 * names of other labs leak nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "hub/hub-int.h"
#include "../lib/banned.h"

const char *const hub_roles[] = {"lead", "mentor", "member", "viewer", NULL};

int
hub_role_ok(const char *role, int invitable)
{
	for (int i = invitable ? 1 : 0; hub_roles[i]; i++)
		if (!strcmp(role, hub_roles[i]))
			return 1;
	return 0;
}

/* Connect to pg and check the tables' version. */
static PGconn *
admin_connect(const char *pg, struct cairn_err *err)
{
	PGconn *c = hub_connect(pg, err);
	int version;

	if (c && hub_schema_check(c, &version, err)) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

static int
name_check(const char *what, const char *name, struct cairn_err *err)
{
	if (hub_name_ok(name))
		return 0;
	return cairn_err_set(err, CAIRN_EINVAL,
	                     "'%s' is not a %s name (1 to %d of letters, "
	                     "digits, '.', '_' and '-')",
	                     name, what, HUB_NAME_MAX);
}

/* Run sql (one statement) on pg and hand its single row to the caller:
 * the result, or NULL with err set. */
static PGresult *
admin_row(const char *pg, const char *sql, int n, const char *const *p,
          struct cairn_err *err)
{
	PGconn *c = admin_connect(pg, err);
	PGresult *r;

	if (!c)
		return NULL;
	r = hub_exec(c, sql, n, p, err);
	PQfinish(c);
	return r;
}

int
hub_lab_add(const char *pg, const char *name, const char *lead,
            struct cairn_err *err)
{
	const char *p[] = {name, lead};
	PGresult *r;
	int rc = 0;

	if ((rc = name_check("lab", name, err)) ||
	    (rc = name_check("user", lead, err)))
		return rc;
	r = admin_row(
	        pg,
	        "WITH u AS (SELECT id FROM hub.users WHERE name = $2), "
	        "l AS (INSERT INTO hub.labs(name) SELECT $1 "
	        " WHERE EXISTS (SELECT 1 FROM u) "
	        " ON CONFLICT (name) DO NOTHING RETURNING id), "
	        "m AS (INSERT INTO hub.memberships(lab_id, user_id, role) "
	        " SELECT l.id, u.id, 'lead' FROM l, u) "
	        "SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM l)",
	        2, p, err);
	if (!r)
		return err->code;
	if (!strcmp(PQgetvalue(r, 0, 0), "0"))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no user '%s' on the hub (cairn hub user "
		                   "add)",
		                   lead);
	else if (!strcmp(PQgetvalue(r, 0, 1), "0"))
		rc = cairn_err_set(err, CAIRN_EEXIST,
		                   "there is a lab '%s' already", name);
	PQclear(r);
	return rc;
}

int
hub_lab_invite(const char *pg, const char *lab, const char *role,
               char code[HUB_CODE_HEX + 1], struct cairn_err *err)
{
	char hash[HUB_HASH_PARAM];
	const char *p[] = {lab, role, hash};
	PGresult *r;
	int rc;

	if ((rc = name_check("lab", lab, err)))
		return rc;
	if (!hub_role_ok(role, 1))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not a role to invite to (want "
		                     "mentor, member or viewer)",
		                     role);
	if ((rc = hub_code_new(code, hash, err)))
		return rc;
	r = admin_row(
	        pg,
	        "INSERT INTO hub.invites(lab_id, role, code_hash, expires) "
	        "SELECT id, $2, $3::bytea, now() + interval '7 days' "
	        "FROM hub.labs WHERE name = $1",
	        3, p, err);
	if (!r)
		rc = err->code;
	else if (strcmp(PQcmdTuples(r), "1"))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no lab '%s' on the hub", lab);
	PQclear(r);
	if (rc)
		memset(code, 0, HUB_CODE_HEX + 1);
	return rc;
}

int
hub_lab_mentor(const char *pg, const char *lab, const char *mentor,
               const char *member, struct cairn_err *err)
{
	const char *p[] = {lab, mentor, member};
	PGresult *r;
	int rc;

	if ((rc = name_check("lab", lab, err)) ||
	    (rc = name_check("user", mentor, err)) ||
	    (rc = name_check("user", member, err)))
		return rc;
	if (!strcmp(mentor, member))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' cannot mentor themselves", mentor);
	r = admin_row(
	        pg,
	        "WITH l AS (SELECT id FROM hub.labs WHERE name = $1), "
	        "a AS (SELECT m.user_id, m.role FROM hub.memberships m "
	        " JOIN hub.users u ON u.id = m.user_id "
	        " WHERE m.lab_id = (SELECT id FROM l) AND u.name = $2), "
	        "b AS (SELECT m.user_id, m.role FROM hub.memberships m "
	        " JOIN hub.users u ON u.id = m.user_id "
	        " WHERE m.lab_id = (SELECT id FROM l) AND u.name = $3), "
	        "i AS (INSERT INTO hub.mentorships(lab_id, mentor_id, "
	        "member_id) "
	        " SELECT (SELECT id FROM l), a.user_id, b.user_id FROM a, b "
	        " WHERE a.role IN ('mentor', 'lead') AND b.role = 'member' "
	        " ON CONFLICT DO NOTHING RETURNING 1) "
	        "SELECT (SELECT count(*) FROM l), (SELECT role FROM a), "
	        " (SELECT role FROM b), (SELECT count(*) FROM i)",
	        3, p, err);
	if (!r)
		return err->code;
	if (!strcmp(PQgetvalue(r, 0, 0), "0"))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no lab '%s' on the hub", lab);
	else if (PQgetisnull(r, 0, 1))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "'%s' is not in the lab '%s'", mentor, lab);
	else if (PQgetisnull(r, 0, 2))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "'%s' is not in the lab '%s'", member, lab);
	else if (strcmp(PQgetvalue(r, 0, 1), "mentor") &&
	         strcmp(PQgetvalue(r, 0, 1), "lead"))
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "'%s' is a %s of '%s', not a mentor", mentor,
		                   PQgetvalue(r, 0, 1), lab);
	else if (strcmp(PQgetvalue(r, 0, 2), "member"))
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "'%s' is a %s of '%s': only members are "
		                   "mentored",
		                   member, PQgetvalue(r, 0, 2), lab);
	else if (!strcmp(PQgetvalue(r, 0, 3), "0"))
		rc = cairn_err_set(err, CAIRN_EEXIST,
		                   "'%s' mentors '%s' in '%s' already", mentor,
		                   member, lab);
	PQclear(r);
	return rc;
}

int
hub_lab_rm_member(const char *pg, const char *lab, const char *user,
                  struct cairn_err *err)
{
	const char *p[] = {lab, user};
	PGresult *r;
	int rc;

	if ((rc = name_check("lab", lab, err)) ||
	    (rc = name_check("user", user, err)))
		return rc;
	/* The mentorships go with the membership (ON DELETE CASCADE); the
	 * next request of any device of the user no longer finds it. */
	r = admin_row(pg,
	              "WITH l AS (SELECT id FROM hub.labs WHERE name = $1), "
	              "m AS (SELECT m.lab_id, m.user_id, m.role "
	              " FROM hub.memberships m JOIN hub.users u "
	              " ON u.id = m.user_id "
	              " WHERE m.lab_id = (SELECT id FROM l) AND u.name = $2), "
	              "d AS (DELETE FROM hub.memberships x USING m "
	              " WHERE x.lab_id = m.lab_id AND x.user_id = m.user_id "
	              " AND m.role <> 'lead' RETURNING 1) "
	              "SELECT (SELECT count(*) FROM l), (SELECT role FROM m), "
	              " (SELECT count(*) FROM d)",
	              2, p, err);
	if (!r)
		return err->code;
	if (!strcmp(PQgetvalue(r, 0, 0), "0"))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "no lab '%s' on the hub", lab);
	else if (PQgetisnull(r, 0, 1))
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "'%s' is not in the lab '%s'", user, lab);
	else if (!strcmp(PQgetvalue(r, 0, 2), "0"))
		rc = cairn_err_set(err, CAIRN_ESTATE,
		                   "'%s' leads '%s' and cannot be removed",
		                   user, lab);
	PQclear(r);
	return rc;
}

/* ---- the role rules ---- */

enum hub_see
hub_lab_sees(const char *my_role, int self, const char *their_role,
             int i_mentor_them)
{
	if (self)
		return HUB_SEE_OWN;
	if (!strcmp(my_role, "lead") || !strcmp(my_role, "viewer"))
		return HUB_SEE_LAB;
	if (!strcmp(my_role, "mentor") && i_mentor_them)
		return HUB_SEE_LAB;
	if (!strcmp(their_role, "lead"))
		return HUB_SEE_GOALS;
	return HUB_SEE_NONE;
}

int
hub_lab_role(PGconn *db, const char *user_id, const char *lab,
             struct hub_lab_ref *out, struct cairn_err *err)
{
	const char *p[] = {user_id, lab};
	PGresult *r;
	int found;

	memset(out, 0, sizeof(*out));
	if (!hub_name_ok(lab))
		return 0;
	r = hub_exec(db,
	             "SELECT l.id, m.role FROM hub.labs l "
	             "JOIN hub.memberships m ON m.lab_id = l.id "
	             "WHERE l.name = $2 AND m.user_id = $1::bigint",
	             2, p, err);
	if (!r)
		return err->code;
	found = PQntuples(r) == 1;
	if (found) {
		snprintf(out->lab_id, sizeof(out->lab_id), "%s",
		         PQgetvalue(r, 0, 0));
		snprintf(out->role, sizeof(out->role), "%s",
		         PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return found;
}

int
hub_lab_access(PGconn *db, const char *user_id, const char *lab,
               const char *whom, struct hub_lab_ref *me, char whom_id[24],
               enum hub_see *see, struct cairn_err *err)
{
	const char *p[3];
	PGresult *r;
	int rc;

	*see = HUB_SEE_NONE;
	whom_id[0] = '\0';
	if ((rc = hub_lab_role(db, user_id, lab, me, err)) <= 0)
		return rc;
	if (!hub_name_ok(whom))
		return 0;
	p[0] = me->lab_id;
	p[1] = user_id;
	p[2] = whom;
	r = hub_exec(db,
	             "SELECT t.user_id, t.role, EXISTS (SELECT 1 FROM "
	             " hub.mentorships s WHERE s.lab_id = t.lab_id AND "
	             " s.mentor_id = $2::bigint AND s.member_id = t.user_id) "
	             "FROM hub.memberships t JOIN hub.users u "
	             " ON u.id = t.user_id "
	             "WHERE t.lab_id = $1::bigint AND u.name = $3",
	             3, p, err);
	if (!r)
		return err->code;
	if (PQntuples(r) == 1) {
		snprintf(whom_id, 24, "%s", PQgetvalue(r, 0, 0));
		*see = hub_lab_sees(me->role, !strcmp(whom_id, user_id),
		                    PQgetvalue(r, 0, 1),
		                    !strcmp(PQgetvalue(r, 0, 2), "t"));
	}
	PQclear(r);
	return *see != HUB_SEE_NONE;
}

/* The rule's two uses here: $1 asks user u; question's asker asked $2. */
#define MAY_ASK_THEM     HUB_MAY_ASK("$1::bigint", "u.id")
#define MAY_STILL_ASK_ME HUB_MAY_ASK("asker_id", "$2::bigint")

int
hub_question_ask(PGconn *db, const char *user_id, const char *pred,
                 const char *to, const char *statement, const char *item,
                 char to_id[24], char id[24], struct cairn_err *err)
{
	const char *p[] = {user_id, to, pred, statement, item};
	PGresult *r;
	int found;

	to_id[0] = id[0] = '\0';
	if (!hub_name_ok(to))
		return 0;
	/* The addressee leads a lab the asker is a member of, or mentors
	 * the asker there; a viewer or a mentor asks no one. */
	r = hub_exec(
	        db,
	        "WITH t AS (SELECT u.id FROM hub.users u WHERE u.name = $2 "
	        " AND u.id <> $1::bigint AND " MAY_ASK_THEM "), "
	        "i AS (INSERT INTO hub.questions(asker_id, prediction, "
	        " addressee_id, item, statement) "
	        " SELECT $1::bigint, $3::uuid, t.id, $5::uuid, $4 FROM t "
	        " ON CONFLICT (asker_id, prediction) DO NOTHING RETURNING id) "
	        "SELECT (SELECT id FROM t), coalesce((SELECT id FROM i), "
	        " (SELECT id FROM hub.questions WHERE asker_id = $1::bigint "
	        "  AND prediction = $3::uuid))",
	        5, p, err);
	if (!r)
		return err->code;
	found = !PQgetisnull(r, 0, 0) && !PQgetisnull(r, 0, 1);
	if (found) {
		snprintf(to_id, 24, "%s", PQgetvalue(r, 0, 0));
		snprintf(id, 24, "%s", PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return found;
}

int
hub_question_answer(PGconn *db, const char *user_id, const char *qid,
                    int outcome, const char *why, struct cairn_err *err)
{
	const char *p[] = {qid, user_id, outcome ? "t" : "f", why};
	PGresult *r;
	int rc;

	/* Only the addressee, only once, and only while they may still be
	 * asked (a mentorship ended since: no one answers it): the row lock
	 * of the UPDATE makes two answers at once one answer and one
	 * refusal. */
	r = hub_exec(db,
	             "WITH a AS (UPDATE hub.questions SET answered = now(), "
	             " outcome = $3::boolean, why = $4 "
	             " WHERE id = $1::bigint AND addressee_id = $2::bigint "
	             " AND answered IS NULL AND " MAY_STILL_ASK_ME " "
	             " RETURNING id) "
	             "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM "
	             " hub.questions WHERE id = $1::bigint "
	             " AND addressee_id = $2::bigint AND answered IS NOT NULL)",
	             4, p, err);
	if (!r)
		return HUB_ANSWER_FAILED;
	rc = strcmp(PQgetvalue(r, 0, 0), "0")   ? HUB_ANSWER_OK
	     : strcmp(PQgetvalue(r, 0, 1), "0") ? HUB_ANSWER_AGAIN
	                                        : HUB_ANSWER_NONE;
	PQclear(r);
	return rc;
}

int
hub_comment_add(PGconn *db, const char *author_id, const char *lab,
                const char *whom, const char *item_uuid, const char *text,
                char id[24], struct cairn_err *err)
{
	struct cairn_err why = CAIRN_ERR_INIT;
	struct hub_lab_ref me;
	enum hub_see see;
	char whom_id[24];
	const char *p[5];
	int own = PQtransactionStatus(db) == PQTRANS_IDLE;
	int rc;
	PGresult *r;

	id[0] = '\0';
	if (!cairn_uuid_ok(item_uuid) || !text || strlen(text) > HUB_TEXT_MAX ||
	    cairn_note_check(text, &why))
		return 0;
	if (own && hub_run(db, "BEGIN", 0, NULL, err))
		return -1;
	rc = hub_lab_access(db, author_id, lab, whom, &me, whom_id, &see, err);
	if (rc < 0) {
		rc = -1;
		goto out;
	}
	/* Who comments: the lead on anyone else's lab items, a mentor on
	 * those of the members they mentor (both HUB_SEE_LAB); a viewer
	 * sees as much but writes nothing, and no one comments on their
	 * own items. */
	if (!rc || see != HUB_SEE_LAB ||
	    (strcmp(me.role, "lead") && strcmp(me.role, "mentor"))) {
		rc = 0;
		goto out;
	}
	p[0] = whom_id;
	p[1] = item_uuid;
	p[2] = me.lab_id;
	p[3] = author_id;
	p[4] = text;
	r = hub_exec(
	        db,
	        HUB_ITEMS_WITH
	        "INSERT INTO hub.comments(lab_id, author_id, owner_id, "
	        " item, body) SELECT $3::bigint, $4::bigint, $1::bigint, "
	        " u::uuid, $5 FROM it WHERE u = lower($2::text) RETURNING id",
	        5, p, err);
	if (!r) {
		rc = -1;
		goto out;
	}
	rc = PQntuples(r) == 1;
	if (rc)
		snprintf(id, 24, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
out:
	if (own && rc == 1 && hub_run(db, "COMMIT", 0, NULL, err))
		rc = -1;
	if (own && rc != 1)
		PQclear(PQexec(db, "ROLLBACK"));
	if (rc != 1)
		id[0] = '\0';
	return rc;
}

void
hub_log_refusal(struct hub_call *x, const char *kind, const char *detail)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char peer[64];
	const char *p[] = {kind, x->user_id[0] ? x->user_id : NULL,
	                   x->device_id[0] ? x->device_id : NULL, peer, detail};

	if (PQtransactionStatus(x->db) != PQTRANS_IDLE)
		PQclear(PQexec(x->db, "ROLLBACK"));
	http_peer(x->rq, peer, sizeof(peer));
	/* A log that cannot be written does not change the answer. */
	hub_run(x->db,
	        "INSERT INTO hub.refusals(kind, user_id, device_id, addr, "
	        "detail) VALUES ($1, $2::bigint, $3::bigint, $4, "
	        "left($5, 300))",
	        5, p, &err);
}

int
hub_text_ok(const char *s)
{
	return s && *s && strlen(s) <= HUB_TEXT_MAX;
}
