/*
 * ops.c: pushing and pulling operations (POST and GET /v1/ops of
 * doc/sync-protocol.md).
 *
 * A push is checked whole before the database sees it: every operation
 * has a uuid id and replica, a clock of the protocol's form whose last
 * part is the replica's, a known vis; a plain one a known entity and
 * action and a uuid entity; a private one is sealed and carries nothing
 * else in the clear (the hub must never hold a private operation in the
 * clear).  Then one transaction stores the batch with INSERT ... ON
 * CONFLICT (user_id, op_id) DO NOTHING, so a batch sent twice, or cut
 * off and sent again, changes nothing the second time.  The operations
 * the user has already (and the second of two with one id in a batch)
 * are left out before the insert, so that they use up no seq.  PostgreSQL
 * reads the operations out of the body itself (jsonb), so a plain one is
 * kept with every field the client sent, numbers exact.
 *
 * seq comes from an identity column, so it grows across the database;
 * a push holds the user's advisory lock while it inserts, so the user's
 * operations commit in seq order and a pull that saw seq S never later
 * finds a smaller one appear (which `after` would skip).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "hub/hub-int.h"
#include "../lib/banned.h"

static const char *const entities[] = {
        "item",       "tag",        "link",       "note",
        "edge",       "statement",  "metric",     "observation",
        "lesson",     "prediction", "time_entry", "paper",
        "item_paper", "review",     "setting",    NULL,
};
static const char *const actions[] = {"put", "set", "del", "add", "rm", NULL};
static const char *const visibilities[] = {"private", "lab", "public", NULL};
static const char *const sealed_keys[] = {"id",     "replica", "clock", "vis",
                                          "sealed", "seq",     NULL};

static int
in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static int
hex_run(const char *s, size_t n)
{
	return strspn(s, "0123456789abcdef") >= n;
}

/* HHHHHHHHHHHHHHHH.CCCC.RRRRRRRR, lower-case hex, RRRRRRRR the first
 * eight digits of the replica's uuid. */
static int
clock_ok(const char *clock, const char *replica)
{
	return clock && strlen(clock) == 30 && hex_run(clock, 16) &&
	       clock[16] == '.' && hex_run(clock + 17, 4) && clock[21] == '.' &&
	       hex_run(clock + 22, 8) && !strncasecmp(clock + 22, replica, 8);
}

static const char *
str(json_t *op, const char *key)
{
	return json_string_value(json_object_get(op, key));
}

/* Whether sealed is base64 of at least a nonce and a MAC. */
static int
sealed_ok(const char *sealed)
{
	size_t n = strlen(sealed), len;
	unsigned char *bin;
	int ok;

	if (n < 4)
		return 0;
	bin = xmalloc(n);
	ok = sodium_base642bin(bin, n, sealed, n, NULL, &len, NULL,
	                       sodium_base64_VARIANT_ORIGINAL) == 0 &&
	     len >= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	free(bin);
	return ok;
}

/* 0 when operation i is well formed, else the reply is a 400. */
static int
op_check(struct http_resp *rs, size_t i, json_t *op)
{
	const char *id = str(op, "id"), *replica = str(op, "replica");
	const char *vis = str(op, "vis"), *sealed = str(op, "sealed");
	const char *action, *key;
	json_t *v, *item;

	if (!json_is_object(op))
		return hub_refuse(rs, 400, "operation %zu is not an object", i);
	if (!cairn_uuid_ok(id))
		return hub_refuse(rs, 400, "operation %zu: 'id' is not a uuid",
		                  i);
	if (!cairn_uuid_ok(replica))
		return hub_refuse(rs, 400,
		                  "operation %zu: 'replica' is not a uuid", i);
	if (!clock_ok(str(op, "clock"), replica))
		return hub_refuse(rs, 400,
		                  "operation %zu: 'clock' is not "
		                  "WALLTIME16.CNT4.REPLICA8 in lower-case hex "
		                  "ending in the replica's first 8 digits",
		                  i);
	if (!in_list(vis, visibilities))
		return hub_refuse(rs, 400,
		                  "operation %zu: 'vis' is not private, lab or "
		                  "public",
		                  i);
	if (!strcmp(vis, "private")) {
		if (!sealed)
			return hub_refuse(rs, 400,
			                  "operation %zu: a private operation "
			                  "must be sealed",
			                  i);
		if (!sealed_ok(sealed))
			return hub_refuse(
			        rs, 400,
			        "operation %zu: 'sealed' is not base64 "
			        "of a sealed box",
			        i);
		json_object_foreach(op, key, v)
		{
			if (!in_list(key, sealed_keys))
				return hub_refuse(
				        rs, 400,
				        "operation %zu: a private operation "
				        "carries '%s' in the clear",
				        i, key);
		}
		return 0;
	}
	if (json_object_get(op, "sealed"))
		return hub_refuse(rs, 400,
		                  "operation %zu: only private operations are "
		                  "sealed",
		                  i);
	if (!in_list(str(op, "entity"), entities))
		return hub_refuse(rs, 400,
		                  "operation %zu: 'entity' is not a journalled "
		                  "table",
		                  i);
	if (!cairn_uuid_ok(str(op, "uuid")))
		return hub_refuse(rs, 400,
		                  "operation %zu: 'uuid' is not a uuid", i);
	item = json_object_get(op, "item");
	if (item && !json_is_null(item) && !cairn_uuid_ok(str(op, "item")))
		return hub_refuse(rs, 400,
		                  "operation %zu: 'item' is neither a uuid nor "
		                  "null",
		                  i);
	action = str(op, "action");
	if (!in_list(action, actions))
		return hub_refuse(
		        rs, 400,
		        "operation %zu: 'action' is not put, set, del, "
		        "add or rm",
		        i);
	if (!strcmp(action, "set") && !str(op, "field"))
		return hub_refuse(rs, 400,
		                  "operation %zu: a set needs a 'field' string",
		                  i);
	if (!strcmp(action, "put") &&
	    !json_is_object(json_object_get(op, "value")))
		return hub_refuse(rs, 400,
		                  "operation %zu: a put needs a 'value' object",
		                  i);
	return 0;
}

int
hub_push(struct hub_call *x)
{
	struct http_req *rq = x->rq;
	json_error_t jerr;
	json_t *doc, *ops, *reply;
	const char *p[3];
	struct cairn_err err = CAIRN_ERR_INIT;
	PGresult *r;
	long stored;
	char *text;
	size_t n;
	int status = 0;

	/* jansson only checks the batch (PostgreSQL stores it): integers
	 * as reals, so that one beyond 64 bits is no error. */
	doc = json_loadb(rq->body.buf ? rq->body.buf : "", rq->body.len,
	                 JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL,
	                 &jerr);
	if (!doc)
		return hub_refuse(x->rs, 400, "malformed JSON at line %d: %s",
		                  jerr.line, jerr.text);
	ops = json_object_get(doc, "ops");
	if (!json_is_array(ops)) {
		status = hub_refuse(x->rs, 400, "'ops' is not an array");
		goto out;
	}
	n = json_array_size(ops);
	if (n > HUB_BATCH_MAX) {
		status = hub_refuse(x->rs, 413,
		                    "%zu operations in one push (at most %d)",
		                    n, HUB_BATCH_MAX);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((status = op_check(x->rs, i, json_array_get(ops, i))))
			goto out;
	p[0] = x->user_id;
	p[1] = x->device_id;
	p[2] = rq->body.buf;
	if (hub_run(x->db, "BEGIN", 0, NULL, &err) ||
	    hub_run(x->db, "SELECT pg_advisory_xact_lock($1::bigint)", 1, p,
	            &err))
		goto fail;
	r = hub_exec(x->db,
	             "INSERT INTO hub.ops(user_id, device_id, op_id, replica, "
	             " clock, vis, body, sealed) "
	             "SELECT $1::bigint, $2::bigint, id, "
	             " (e->>'replica')::uuid, e->>'clock', e->>'vis', "
	             " CASE WHEN e ? 'sealed' THEN NULL ELSE e - 'seq' END, "
	             " e->>'sealed' "
	             "FROM (SELECT DISTINCT ON (id) e, n, id "
	             " FROM jsonb_array_elements($3::jsonb -> 'ops') "
	             "  WITH ORDINALITY AS t(e, n), "
	             "  LATERAL (SELECT (e->>'id')::uuid AS id) i "
	             " ORDER BY id, n) b "
	             "WHERE NOT EXISTS (SELECT 1 FROM hub.ops o "
	             " WHERE o.user_id = $1::bigint AND o.op_id = b.id) "
	             "ORDER BY n "
	             "ON CONFLICT (user_id, op_id) DO NOTHING",
	             3, p, &err);
	if (!r)
		goto fail;
	stored = atol(PQcmdTuples(r));
	PQclear(r);
	r = hub_exec(x->db,
	             "SELECT coalesce(max(seq), 0) FROM hub.ops "
	             "WHERE user_id = $1::bigint",
	             1, p, &err);
	if (!r)
		goto fail;
	if (hub_run(x->db, "COMMIT", 0, NULL, &err)) {
		PQclear(r);
		goto fail;
	}
	reply = json_pack("{s:I,s:I,s:I}", "stored", (json_int_t)stored,
	                  "duplicates", (json_int_t)(n - (size_t)stored),
	                  "cursor",
	                  (json_int_t)strtoll(PQgetvalue(r, 0, 0), NULL, 10));
	PQclear(r);
	text = json_dumps(reply, JSON_COMPACT);
	http_reply(x->rs, 200, "application/json", text);
	free(text);
	json_decref(reply);
	status = 200;
	goto out;
fail:
	status = hub_db_fail(x, &err);
out:
	json_decref(doc);
	return status;
}

int
hub_arg_number(struct hub_call *x, const char *name, long long def,
               long long max, long long *out)
{
	const char *s = http_query(x->rq, name);
	char *end;

	*out = def;
	if (!s)
		return 0;
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return hub_refuse(x->rs, 400,
		                  "'%s' is not a whole number (%.40s)", name,
		                  s);
	*out = strtoll(s, &end, 10);
	if (*out > max)
		*out = max;
	return 0;
}

int
hub_pull(struct hub_call *x)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf b = BUF_INIT;
	long long after, limit, next;
	char a[24], l[24];
	const char *p[] = {x->user_id, a, l};
	PGresult *r;
	int rows, more, status;

	if ((status = hub_arg_number(x, "after", 0, INT64_MAX / 2, &after)) ||
	    (status = hub_arg_number(x, "limit", HUB_PULL_DEFAULT, HUB_PULL_MAX,
	                             &limit)))
		return status;
	if (limit < 1)
		return hub_refuse(x->rs, 400, "'limit' must be at least 1");
	snprintf(a, sizeof(a), "%lld", after);
	/* One row more than asked: whether there are more. */
	snprintf(l, sizeof(l), "%lld", limit + 1);
	r = hub_exec(x->db,
	             "SELECT seq, CASE WHEN sealed IS NULL "
	             " THEN (body || jsonb_build_object('seq', seq))::text "
	             " ELSE jsonb_build_object('seq', seq, 'id', op_id, "
	             "  'replica', replica, 'clock', clock, 'vis', vis, "
	             "  'sealed', sealed)::text END "
	             "FROM hub.ops WHERE user_id = $1::bigint AND seq > "
	             "$2::bigint ORDER BY seq LIMIT $3::bigint",
	             3, p, &err);
	if (!r)
		return hub_db_fail(x, &err);
	rows = PQntuples(r);
	more = rows > limit;
	if (more)
		rows = (int)limit;
	next = rows ? strtoll(PQgetvalue(r, rows - 1, 0), NULL, 10) : after;
	buf_adds(&b, "{\"ops\":[");
	for (int i = 0; i < rows; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_add(&b, PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1));
	}
	buf_addf(&b, "],\"next\":%lld,\"more\":%s}", next,
	         more ? "true" : "false");
	PQclear(r);
	http_reply(x->rs, 200, "application/json", b.buf);
	buf_release(&b);
	return 200;
}
