/*
 * lab-api.c: the lab's routes on the hub API (doc/sync-protocol.md,
 * "The lab").  Every one is authenticated by the device token (api.c)
 * and asks lab.c's rules what the caller may see or do; a lab, user or
 * question the caller may not reach is 404, never 403.
 *
 *	GET  /v1/labs				my labs and my role in each
 *	POST /v1/labs/join			{"code"}: join with an invite
 *	GET  /v1/labs/LAB/members		the lab's members and roles
 *	GET  /v1/labs/LAB/members/USER/items	USER's items I may read
 *	GET  /v1/questions			open questions put to me
 *	POST /v1/questions			{"prediction","to","statement",
 *						 "item"}: put a question
 *	POST /v1/questions/ID/answer		{"outcome","why"}: answer it
 *	GET  /v1/answers			answers to my questions
 *
 *	POST /v1/labs/LAB/members/USER/items/UUID/comments
 *						{"text"}: comment on an item
 *	GET  /v1/comments?after=N		comments on my items
 *
 * Items are folded from the owner's plain operations by the hub itself
 * (HUB_ITEMS_WITH, hub-int.h); private operations are sealed, and the hub
 * never serves them here.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "hub/hub-int.h"
#include "../lib/banned.h"

#define JOIN_GUESSES 5 /* failed joins a device may make in the window */
#define JOIN_WINDOW  "10 minutes"
#define TEXT_MAX     HUB_TEXT_MAX
#define COMMENTS_MAX 500 /* comments in one reply */

static int
reply_text(struct hub_call *x, const char *json)
{
	http_reply(x->rs, 200, "application/json", json);
	return 200;
}

static int
reply_json(struct hub_call *x, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	reply_text(x, text);
	free(text);
	return 200;
}

/* The request's body as a JSON object; NULL when it is not one (a 400
 * replied, *status set). */
static json_t *
body_object(struct hub_call *x, int *status)
{
	struct http_req *rq = x->rq;
	json_error_t jerr;
	json_t *doc;

	doc = json_loadb(rq->body.buf ? rq->body.buf : "", rq->body.len,
	                 JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		*status =
		        hub_refuse(x->rs, 400, "malformed JSON at line %d: %s",
		                   jerr.line, jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		*status = hub_refuse(x->rs, 400, "the body is not an object");
		return NULL;
	}
	return doc;
}

/* One statement whose single row holds a JSON text: the reply. */
static int
reply_query(struct hub_call *x, const char *sql, int n, const char *const *p)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	PGresult *r = hub_exec(x->db, sql, n, p, &err);

	if (!r)
		return hub_db_fail(x, &err);
	reply_text(x, PQgetvalue(r, 0, 0));
	PQclear(r);
	return 200;
}

static int
labs_list(struct hub_call *x)
{
	const char *p[] = {x->user_id};

	return reply_query(
	        x,
	        "SELECT json_build_object('labs', coalesce(json_agg("
	        " json_build_object('lab', l.name, 'role', m.role) "
	        " ORDER BY l.name), '[]'))::text "
	        "FROM hub.memberships m JOIN hub.labs l ON l.id = m.lab_id "
	        "WHERE m.user_id = $1::bigint",
	        1, p);
}

static int
not_in_lab(struct hub_call *x, const char *lab)
{
	hub_log_refusal(x, "lab", lab);
	return hub_refuse(x->rs, 404, "no lab '%.64s' of yours", lab);
}

static int
members(struct hub_call *x, const char *lab)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct hub_lab_ref me;
	const char *p[1];
	int rc = hub_lab_role(x->db, x->user_id, lab, &me, &err);

	if (rc < 0)
		return hub_db_fail(x, &err);
	if (!rc)
		return not_in_lab(x, lab);
	p[0] = me.lab_id;
	return reply_query(
	        x,
	        "SELECT json_build_object('members', coalesce(json_agg("
	        " json_build_object('user', u.name, 'role', m.role, "
	        "  'mentors', (SELECT coalesce(json_agg(v.name ORDER BY "
	        "   v.name), '[]') FROM hub.mentorships s JOIN hub.users v "
	        "   ON v.id = s.member_id WHERE s.lab_id = m.lab_id AND "
	        "   s.mentor_id = m.user_id)) ORDER BY u.name), '[]'))::text "
	        "FROM hub.memberships m JOIN hub.users u ON u.id = m.user_id "
	        "WHERE m.lab_id = $1::bigint",
	        1, p);
}

static int
items(struct hub_call *x, const char *lab, const char *whom)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct hub_lab_ref me;
	enum hub_see see;
	char whom_id[24];
	const char *p[2];
	int rc = hub_lab_access(x->db, x->user_id, lab, whom, &me, whom_id,
	                        &see, &err);

	if (rc < 0)
		return hub_db_fail(x, &err);
	if (!rc && !me.lab_id[0])
		return not_in_lab(x, lab);
	if (!rc) {
		hub_log_refusal(x, "lab", whom);
		return hub_refuse(x->rs, 404,
		                  "no member '%.64s' of '%.64s' whose items "
		                  "you may read",
		                  whom, lab);
	}
	p[0] = whom_id;
	p[1] = see == HUB_SEE_GOALS ? "t" : "f";
	return reply_query(
	        x,
	        HUB_ITEMS_WITH
	        "SELECT jsonb_build_object('items', coalesce(jsonb_agg("
	        " jsonb_build_object('uuid', u) || (fields - 'uuid') "
	        " ORDER BY u), '[]'))::text FROM it "
	        "WHERE $2 = 'f' OR fields->>'kind' = 'goal'",
	        2, p);
}

static int
join(struct hub_call *x)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char hash[HUB_HASH_PARAM];
	const char *p[3], *code;
	PGresult *r;
	json_t *doc;
	int status = 0;

	p[0] = x->device_id;
	r = hub_exec(x->db,
	             "SELECT count(*) FROM hub.refusals WHERE kind = 'join' "
	             "AND device_id = $1::bigint "
	             "AND at > now() - interval '" JOIN_WINDOW "'",
	             1, p, &err);
	if (!r)
		return hub_db_fail(x, &err);
	if (atoi(PQgetvalue(r, 0, 0)) >= JOIN_GUESSES) {
		PQclear(r);
		hub_log_refusal(x, "join", "over the limit of failed joins");
		x->rs->retry_after = 600;
		return hub_refuse(x->rs, 429,
		                  "too many failed invite codes from this "
		                  "device; retry in 600 s");
	}
	PQclear(r);
	if (!(doc = body_object(x, &status)))
		return status;
	code = json_string_value(json_object_get(doc, "code"));
	if (!code) {
		json_decref(doc);
		return hub_refuse(x->rs, 400, "a join needs a 'code' string");
	}
	if (hub_code_hash(code, hash)) {
		hub_log_refusal(x, "join", "a malformed invite code");
		json_decref(doc);
		return hub_refuse(x->rs, 404,
		                  "unknown, used or expired invite code");
	}
	json_decref(doc);
	p[0] = hash;
	p[1] = x->user_id;
	if (hub_run(x->db, "BEGIN", 0, NULL, &err))
		return hub_db_fail(x, &err);
	/* The code is spent and the membership made together; the row
	 * lock makes a code good for one join only. */
	r = hub_exec(
	        x->db,
	        "WITH i AS (UPDATE hub.invites SET used = now(), "
	        " used_by = $2::bigint WHERE code_hash = $1::bytea "
	        " AND used IS NULL AND expires > now() "
	        " RETURNING lab_id, role), "
	        "m AS (INSERT INTO hub.memberships(lab_id, user_id, role) "
	        " SELECT lab_id, $2::bigint, role FROM i "
	        " ON CONFLICT DO NOTHING RETURNING lab_id) "
	        "SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM m), "
	        " (SELECT name FROM hub.labs WHERE id = "
	        "  (SELECT lab_id FROM i)), (SELECT role FROM i)",
	        2, p, &err);
	if (!r)
		return hub_db_fail(x, &err);
	if (!strcmp(PQgetvalue(r, 0, 0), "0")) {
		PQclear(r);
		hub_log_refusal(x, "join", "an unknown, used or expired code");
		return hub_refuse(x->rs, 404,
		                  "unknown, used or expired invite code");
	}
	if (!strcmp(PQgetvalue(r, 0, 1), "0")) {
		status = hub_refuse(x->rs, 409,
		                    "you are in the lab '%s' already; the "
		                    "code is left unused",
		                    PQgetvalue(r, 0, 2));
		PQclear(r);
		PQclear(PQexec(x->db, "ROLLBACK"));
		return status;
	}
	if (hub_run(x->db, "COMMIT", 0, NULL, &err)) {
		PQclear(r);
		return hub_db_fail(x, &err);
	}
	status =
	        reply_json(x, json_pack("{s:s,s:s}", "lab", PQgetvalue(r, 0, 2),
	                                "role", PQgetvalue(r, 0, 3)));
	PQclear(r);
	return status;
}

static int
questions_open(struct hub_call *x)
{
	const char *p[] = {x->user_id};

	return reply_query(
	        x,
	        "SELECT json_build_object('questions', coalesce(json_agg("
	        " json_build_object('id', q.id, 'from', u.name, 'statement', "
	        "  q.statement, 'item', q.item, 'asked', "
	        "  to_char(q.created, 'YYYY-MM-DD')) ORDER BY q.id), "
	        " '[]'))::text "
	        "FROM hub.questions q JOIN hub.users u ON u.id = q.asker_id "
	        "WHERE " HUB_OPEN_TO_ME,
	        1, p);
}

static int
answers(struct hub_call *x)
{
	const char *p[] = {x->user_id};

	return reply_query(
	        x,
	        "SELECT json_build_object('answers', coalesce(json_agg("
	        " json_build_object('id', q.id, 'prediction', q.prediction, "
	        "  'outcome', q.outcome, 'why', q.why, 'by', u.name, "
	        "  'answered', to_char(q.answered, 'YYYY-MM-DD')) "
	        "  ORDER BY q.id), '[]'))::text "
	        "FROM hub.questions q JOIN hub.users u ON u.id = "
	        "q.addressee_id "
	        "WHERE q.asker_id = $1::bigint AND q.answered IS NOT NULL",
	        1, p);
}

static int
text_ok(const char *s)
{
	return hub_text_ok(s);
}

static int
ask(struct hub_call *x)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *pred, *to, *statement, *item;
	char to_id[24], id[24];
	json_t *doc, *jitem;
	int rc, status = 0;

	if (!(doc = body_object(x, &status)))
		return status;
	pred = json_string_value(json_object_get(doc, "prediction"));
	to = json_string_value(json_object_get(doc, "to"));
	statement = json_string_value(json_object_get(doc, "statement"));
	jitem = json_object_get(doc, "item");
	item = json_string_value(jitem);
	if (!cairn_uuid_ok(pred) || !to || !text_ok(statement) ||
	    (jitem && !json_is_null(jitem) && !cairn_uuid_ok(item))) {
		status = hub_refuse(x->rs, 400,
		                    "a question needs 'prediction' (a uuid), "
		                    "'to' (a user), 'statement' (1 to %d "
		                    "bytes) and 'item' (a uuid or null)",
		                    TEXT_MAX);
		goto out;
	}
	rc = hub_question_ask(x->db, x->user_id, pred, to, statement, item,
	                      to_id, id, &err);
	if (rc < 0) {
		status = hub_db_fail(x, &err);
	} else if (!rc) {
		hub_log_refusal(x, "question", to);
		status = hub_refuse(x->rs, 404,
		                    "no user '%.64s' who leads or mentors you "
		                    "in a lab you are a member of",
		                    to);
	} else {
		status = reply_json(
		        x, json_pack("{s:I}", "id", (json_int_t)atoll(id)));
	}
out:
	json_decref(doc);
	return status;
}

static int
answer(struct hub_call *x, const char *qid)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	json_t *doc, *outcome;
	const char *why;
	int rc, status = 0;

	if (!(doc = body_object(x, &status)))
		return status;
	outcome = json_object_get(doc, "outcome");
	why = json_string_value(json_object_get(doc, "why"));
	if (!json_is_boolean(outcome) || !text_ok(why)) {
		json_decref(doc);
		return hub_refuse(x->rs, 400,
		                  "an answer needs 'outcome' (true or false) "
		                  "and 'why' (1 to %d bytes)",
		                  TEXT_MAX);
	}
	rc = hub_question_answer(x->db, x->user_id, qid, json_is_true(outcome),
	                         why, &err);
	json_decref(doc);
	if (rc == HUB_ANSWER_FAILED)
		return hub_db_fail(x, &err);
	if (rc == HUB_ANSWER_OK)
		return reply_json(x, json_pack("{s:I,s:b}", "id",
		                               (json_int_t)atoll(qid),
		                               "answered", 1));
	hub_log_refusal(x, "answer", qid);
	if (rc == HUB_ANSWER_AGAIN)
		return hub_refuse(x->rs, 409,
		                  "question %s was answered already", qid);
	return hub_refuse(x->rs, 404, "no question %s put to you", qid);
}

static int
comment(struct hub_call *x, const char *lab, const char *whom, const char *item)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *text;
	char id[24];
	json_t *doc;
	int rc, status = 0;

	if (!(doc = body_object(x, &status)))
		return status;
	text = json_string_value(json_object_get(doc, "text"));
	if (!text_ok(text) || cairn_note_check(text, &err)) {
		json_decref(doc);
		return hub_refuse(x->rs, 400,
		                  "a comment needs 'text' (1 to %d bytes, not "
		                  "blank)",
		                  TEXT_MAX);
	}
	rc = hub_comment_add(x->db, x->user_id, lab, whom, item, text, id,
	                     &err);
	json_decref(doc);
	if (rc < 0)
		return hub_db_fail(x, &err);
	if (!rc) {
		hub_log_refusal(x, "comment", item);
		return hub_refuse(x->rs, 404,
		                  "no item '%.40s' of '%.64s' in '%.64s' you "
		                  "may comment on",
		                  item, whom, lab);
	}
	return reply_json(x, json_pack("{s:I}", "id", (json_int_t)atoll(id)));
}

static int
comments(struct hub_call *x)
{
	char after[24], cap[24];
	long long n;
	const char *p[] = {x->user_id, after, cap};
	int status;

	if ((status = hub_arg_number(x, "after", 0, INT64_MAX, &n)))
		return status;
	snprintf(after, sizeof(after), "%lld", n);
	snprintf(cap, sizeof(cap), "%d", COMMENTS_MAX);
	return reply_query(
	        x,
	        "SELECT json_build_object('comments', coalesce(json_agg("
	        " json_build_object('id', c.id, 'item', c.item, 'by', u.name, "
	        "  'lab', l.name, 'text', c.body, 'at', "
	        "  to_char(c.created AT TIME ZONE 'UTC', "
	        "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY c.id), "
	        " '[]'))::text "
	        "FROM (SELECT * FROM hub.comments WHERE owner_id = $1::bigint "
	        " AND id > $2::bigint ORDER BY id LIMIT $3::int) c "
	        "JOIN hub.users u ON u.id = c.author_id "
	        "JOIN hub.labs l ON l.id = c.lab_id",
	        3, p);
}

static int
wrong_method(struct hub_call *x)
{
	return hub_refuse(x->rs, 405, "%s is not allowed on %.100s",
	                  x->rq->method, x->rq->path);
}

static int
id_ok(const char *s)
{
	return *s && strlen(s) <= 18 && strspn(s, "0123456789") == strlen(s);
}

int
hub_lab_route(struct hub_call *x, char **parts, int n)
{
	int get = !strcmp(x->rq->method, "GET");
	int post = !strcmp(x->rq->method, "POST");

	if (!strcmp(parts[0], "labs")) {
		if (n == 1)
			return get ? labs_list(x) : wrong_method(x);
		if (n == 2 && !strcmp(parts[1], "join"))
			return post ? join(x) : wrong_method(x);
		if (n == 3 && !strcmp(parts[2], "members"))
			return get ? members(x, parts[1]) : wrong_method(x);
		if (n == 5 && !strcmp(parts[2], "members") &&
		    !strcmp(parts[4], "items"))
			return get ? items(x, parts[1], parts[3])
			           : wrong_method(x);
		if (n == 7 && !strcmp(parts[2], "members") &&
		    !strcmp(parts[4], "items") && !strcmp(parts[6], "comments"))
			return post ? comment(x, parts[1], parts[3], parts[5])
			            : wrong_method(x);
	} else if (!strcmp(parts[0], "questions")) {
		if (n == 1)
			return get    ? questions_open(x)
			       : post ? ask(x)
			              : wrong_method(x);
		if (n == 3 && !strcmp(parts[2], "answer")) {
			if (!post)
				return wrong_method(x);
			if (!id_ok(parts[1])) {
				hub_log_refusal(x, "answer", parts[1]);
				return hub_refuse(
				        x->rs, 404,
				        "no question '%.40s' put to you",
				        parts[1]);
			}
			return answer(x, parts[1]);
		}
	} else if (!strcmp(parts[0], "answers") && n == 1) {
		return get ? answers(x) : wrong_method(x);
	} else if (!strcmp(parts[0], "comments") && n == 1) {
		return get ? comments(x) : wrong_method(x);
	}
	return hub_refuse(x->rs, 404, "no such endpoint '%.100s'", x->rq->path);
}
