#!/bin/sh
# What the hub refuses, and that each refusal leaves the database as it
# was (every table's rows and checksum): no token, an unknown or revoked
# one, malformed JSON, missing and ill-typed fields, bad uuids and
# clocks, a private operation in the clear, bodies and batches over the
# limits, the rate limit, unknown paths and methods.  SQL metacharacters
# in fields the hub accepts are stored verbatim and do nothing.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

hub_init
hub_start h
ann=$(enrol ann)
bob=$(enrol bob)
push "$ann" "{\"ops\":[$(op 30000000-0000-4000-8000-000000000001)]}"
status 200 "a first operation"
before=$(db_state)

# Tokens.
req GET /v1/ops
refused 401 "pull without a token" "$before"
req POST /v1/ops --data-binary "{\"ops\":[$(op 30000000-0000-4000-8000-000000000002)]}"
refused 401 "push without a token" "$before"
req GET /v1/ops -H "Authorization: Basic $ann"
refused 401 "not a Bearer token" "$before"
for t in short "$(printf '%064d' 0)" "${ann}00" "' OR '1'='1" \
	"$(printf '%s' "$ann" | tr 0-9a-f a-f0-9)"; do
	as "$t" GET /v1/ops
	refused 401 "an unknown token ($t)" "$before"
	err_contains ""
done
case "$body" in *"unknown device token"*) pass ;; *) fail "says unknown: $body" ;; esac

# Routes and methods.
for path in / /v1 /v1/op /v1/ops/1 /V1/OPS "/v1/ops'--"; do
	as "$ann" GET "$path"
	refused 404 "no endpoint $path" "$before"
done
as "$ann" PUT /v1/ops --data-binary '{"ops":[]}'
refused 405 "PUT /v1/ops" "$before"
as "$ann" DELETE /v1/ops
refused 405 "DELETE /v1/ops" "$before"
req GET /v1/enrol
refused 405 "GET /v1/enrol" "$before"
req POST /v1/health
refused 405 "POST /v1/health" "$before"

# Pull's arguments.
for q in "after=-1" "after=abc" "after=1;DROP%20TABLE%20hub.ops" \
	"limit=0" "limit=" "after=99999999999999999999"; do
	as "$ann" GET "/v1/ops?$q"
	refused 400 "pull ?$q" "$before"
done

# Malformed batches: nothing stored, not even the good operations before
# the bad one.
good=$(op 30000000-0000-4000-8000-000000000003)
bad_push() {
	push "$ann" "$1"
	refused 400 "$2" "$before"
}
bad_push '' "an empty body"
bad_push 'not json' "not JSON"
bad_push '{"ops":[' "cut-off JSON"
bad_push '[]' "an array, not an object"
bad_push '{"ops":{}}' "ops not an array"
bad_push '{"ops":"x"}' "ops a string"
bad_push '{"opz":[]}' "no ops"
bad_push '{"ops":[1]}' "an operation that is no object"
bad_push "{\"ops\":[$good],\"ops\":[]}" "a duplicate key"
bad_push "$(printf '{"ops":[{"id":"\377"}]}')" "invalid UTF-8"
bad_push "{\"ops\":[$good,$(op 30000000-0000-4000-8000-000000000004 'value="\u0000"')]}" "a NUL escape"
for f in id replica clock vis entity uuid action; do
	bad_push "{\"ops\":[$good,$(op 30000000-0000-4000-8000-000000000005 "$f=DEL")]}" "no $f"
	bad_push "{\"ops\":[$good,$(op 30000000-0000-4000-8000-000000000005 "$f=7")]}" "$f a number"
done
for u in id replica uuid item; do
	for v in '"not-a-uuid"' '"30000000-0000-4000-8000-00000000000"' \
		'"30000000-0000-4000-8000-0000000000001"' \
		"\"x'); DROP TABLE hub.ops; --\"" '""'; do
		bad_push "{\"ops\":[$good,$(op 30000000-0000-4000-8000-000000000006 "$u=$v")]}" "$u $v"
	done
done
for cl in "0000018C2F3A1B2C.0001.5b0c1a2e" "0000018c2f3a1b2c.0001.5b0c1a2f" \
	"0000018c2f3a1b2c-0001-5b0c1a2e" "18c2f3a1b2c.0001.5b0c1a2e" \
	"0000018c2f3a1b2c.0001.5b0c1a2e0" "0000018c2f3a1b2g.0001.5b0c1a2e"; do
	bad_push "{\"ops\":[$good,$(op 30000000-0000-4000-8000-000000000007 "clock=\"$cl\"")]}" "clock $cl"
done
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000008 'vis="secret"')]}" "an unknown vis"
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000008 'entity="users"')]}" "an unknown entity"
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000008 'action="drop"')]}" "an unknown action"
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000008 field=DEL)]}" "a set without a field"
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000008 'action="put"')]}" "a put without an object"
# Private operations: sealed, and nothing else in the clear.
sealed=$(head -c 64 /dev/urandom | base64 -w0)
bad_push "{\"ops\":[$good,$(op 30000000-0000-4000-8000-000000000009 'vis="private"')]}" "a private operation in the clear"
push "$ann" "{\"ops\":[$(op 30000000-0000-4000-8000-000000000009 'vis="private"')]}"
case "$body" in *"must be sealed"*) pass ;; *) fail "says sealed: $body" ;; esac
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000009 'vis="private"' "sealed=\"$sealed\"")]}" "sealed, but fields in the clear too"
bad_push "{\"ops\":[$(op 30000000-0000-4000-8000-000000000009 "sealed=\"$sealed\"")]}" "a sealed public operation"
sealed_op() {
	printf '{"id":"30000000-0000-4000-8000-000000000010","replica":"%s","clock":"0000018c2f3a1b2c.0001.5b0c1a2e","vis":"private","sealed":%s}' "$REPLICA" "$1"
}
for s in '"not base64!"' '"QUJD"' '""' '7' 'null' "\"x'; DROP TABLE hub.ops; --\""; do
	bad_push "{\"ops\":[$(sealed_op "$s")]}" "sealed $s"
done
same "no private operation is held in the clear" \
	"$(pg_sql "SELECT count(*) FROM hub.ops WHERE vis = 'private' AND body IS NOT NULL")" 0

# Limits: 8 MiB, 1000 operations.
head -c $((8 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$TMP/big"
as "$ann" POST /v1/ops --data-binary "@$TMP/big"
refused 413 "a body over 8 MiB" "$before"
as "$ann" POST /v1/ops -H 'Transfer-Encoding: chunked' --data-binary "@$TMP/big"
refused 413 "a chunked body over 8 MiB" "$before"
py -c '
import json, sys
rep = sys.argv[1]
ops = [{"id": "40000000-0000-4000-8000-%012d" % i, "replica": rep,
        "clock": "0000018c2f3a1b2c.0001." + rep[:8], "entity": "item",
        "uuid": sys.argv[2], "action": "del", "vis": "public"}
       for i in range(int(sys.argv[3]))]
print(json.dumps({"ops": ops}))' "$REPLICA" "$ITEM" 1001 >"$TMP/1001"
as "$ann" POST /v1/ops --data-binary "@$TMP/1001"
refused 413 "1001 operations" "$before"
# 1000 pass (then they are the new state).
py -c '
import json, sys
d = json.load(open(sys.argv[1])); d["ops"].pop()
json.dump(d, open(sys.argv[1], "w"))' "$TMP/1001"
as "$ann" POST /v1/ops --data-binary "@$TMP/1001"
status 200 "1000 operations"
expect '{"stored":1000,"duplicates":0,"cursor":1001}'
before=$(db_state)

# Enrolment's refusals.
ok hub user add cat --pg "$CAIRN_PG"
cat_code=$(printf '%s\n' "$out" | tail -n 1)
before=$(db_state)
for b in '' 'x' '{}' "{\"user\":\"cat\",\"code\":\"$cat_code\"}" \
	"{\"user\":\"cat\",\"device\":\"d\"}" \
	"{\"user\":7,\"code\":\"$cat_code\",\"device\":\"d\"}" \
	"{\"user\":\"cat\",\"code\":\"$cat_code\",\"device\":\"\"}" \
	"{\"user\":\"cat\",\"code\":\"$cat_code\",\"device\":\"$(printf '%0201d' 0)\"}"; do
	req POST /v1/enrol --data-binary "$b"
	refused 400 "enrol with '$b'" "$before"
done
for b in "{\"user\":\"cat'; DROP TABLE hub.users; --\",\"code\":\"$cat_code\",\"device\":\"d\"}" \
	"{\"user\":\"cat\",\"code\":\"' OR ''='\",\"device\":\"d\"}" \
	"{\"user\":\"cat\",\"code\":\"${cat_code}00\",\"device\":\"d\"}"; do
	req POST /v1/enrol --data-binary "$b"
	refused 401 "enrol with '$b'" "$before"
done

# SQL metacharacters where the hub takes free text are stored verbatim.
evil="x'); DROP TABLE hub.ops; -- \"\\\\ \$1 %s ; SELECT pg_sleep(5)"
req POST /v1/enrol --data-binary "$(py -c '
import json, sys
print(json.dumps({"user": "cat", "code": sys.argv[1], "device": sys.argv[2]}))' "$cat_code" "$evil")"
status 200 "a device label with SQL in it"
cat=$(json_val 'd["token"]')
same "the label stored verbatim" "$(pg_sql "SELECT label FROM hub.devices WHERE user_id = (SELECT id FROM hub.users WHERE name = 'cat')")" "$evil"
evil_json=$(py -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$evil")
push "$cat" "{\"ops\":[$(op 30000000-0000-4000-8000-000000000011 "field=$evil_json" "value=$evil_json" "note=$evil_json" "value2={$evil_json:$evil_json}")]}"
status 200 "an operation with SQL in its fields"
same "its field stored verbatim" "$(pg_sql "SELECT body->>'field' FROM hub.ops WHERE op_id = '30000000-0000-4000-8000-000000000011'")" "$evil"
same "its value stored verbatim" "$(pg_sql "SELECT body->>'value' FROM hub.ops WHERE op_id = '30000000-0000-4000-8000-000000000011'")" "$evil"
same "an extra key and value stored verbatim" "$(pg_sql "SELECT body->'value2'->>(SELECT k FROM jsonb_object_keys(body->'value2') k) FROM hub.ops WHERE op_id = '30000000-0000-4000-8000-000000000011'")" "$evil"
as "$cat" GET /v1/ops
json_ok "and returned verbatim" \
	'd["ops"][0]["field"] == d["ops"][0]["value"] == d["ops"][0]["note"] == list(d["ops"][0]["value2"].values())[0] == list(d["ops"][0]["value2"].keys())[0]'
same "the tables are all there" \
	"$(pg_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'hub'")" 13
same "the others' operations are intact" \
	"$(pg_sql "SELECT count(*) FROM hub.ops WHERE user_id <> (SELECT id FROM hub.users WHERE name = 'cat')")" 1001

# Revoked: bob's token stops working the moment he is removed.
as "$bob" GET /v1/ops
status 200 "bob pulls"
ok hub user rm bob --pg "$CAIRN_PG"
before=$(db_state)
as "$bob" GET /v1/ops
refused 401 "a revoked token pulls" "$before"
case "$body" in *revoked*) pass ;; *) fail "says revoked: $body" ;; esac
push "$bob" "{\"ops\":[$(op 30000000-0000-4000-8000-000000000012)]}"
refused 401 "a revoked token pushes" "$before"
hub_stop h

# The rate limit: per device, and per address for bad tokens; 429 with
# Retry-After, the database unchanged.
hub_start r --rate 5
for _ in 1 2 3 4 5; do
	as "$ann" GET /v1/ops?limit=1
done
status 200 "five pulls in a minute"
before=$(db_state)
push "$ann" "{\"ops\":[$(op 30000000-0000-4000-8000-000000000013)]}"
refused 429 "the sixth request" "$before"
ra=$(printf '%s\n' "$hdrs" | sed -n 's/^Retry-After: //p')
check "with Retry-After of 1 to 60 seconds ($ra)" test "$ra" -ge 1 -a "$ra" -le 60
as "$cat" GET /v1/ops?limit=1
status 200 "another device is within its own rate"
for _ in 1 2 3 4 5; do
	as "$(printf '%064d' 1)" GET /v1/ops
done
status 401 "five bad tokens"
as "$(printf '%064d' 1)" GET /v1/ops
refused 429 "the sixth bad token from the address" "$before"
hub_stop r
finish
