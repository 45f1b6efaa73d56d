#!/bin/sh
# The sync protocol on the hub (doc/sync-protocol.md): health, enrolment
# with a one-time code, push and pull, idempotent pushes (the same batch
# twice, a batch cut off and sent again), paging with after, limit and
# more, every field a client sends kept, private operations kept sealed,
# and each user seeing only their own operations.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

hub_init
hub_start h

req GET /v1/health
status 200 "health"
expect '{"ok":true,"schema":3}'

# Enrolment: the code works once, for its own user only.
ok hub user add ann --pg "$CAIRN_PG"
ann_code=$(printf '%s\n' "$out" | tail -n 1)
ok hub user add bob --pg "$CAIRN_PG"
bob_code=$(printf '%s\n' "$out" | tail -n 1)
before=$(db_state)
req POST /v1/enrol --data-binary "{\"user\":\"bob\",\"code\":\"$ann_code\",\"device\":\"x\"}"
refused 401 "ann's code does not enrol bob" "$before"
req POST /v1/enrol --data-binary "{\"user\":\"ann\",\"code\":\"$bob_code\",\"device\":\"x\"}"
refused 401 "bob's code does not enrol ann" "$before"
req POST /v1/enrol --data-binary "{\"user\":\"ann\",\"code\":\"0123456789abcdef0123456789abcdef\",\"device\":\"x\"}"
refused 401 "an unknown code" "$before"
req POST /v1/enrol --data-binary "{\"user\":\"ann\",\"code\":\"$ann_code\",\"device\":\"ann's laptop\"}"
status 200 "ann enrols"
json_ok "a token of 64 hex digits, the user and a salt of 32" \
	'len(d["token"]) == 64 and int(d["token"], 16) >= 0 and d["user"] == "ann" and len(d["salt"]) == 32'
ann=$(json_val 'd["token"]')
salt=$(json_val 'd["salt"]')
same "the device kept with its label and the token's hash only" \
	"$(pg_sql "SELECT label, length(token_hash), position(decode('$ann', 'hex') IN token_hash) FROM hub.devices")" \
	"ann's laptop|32|0"
same "the salt is the user's" "$(pg_sql "SELECT encode(salt, 'hex') FROM hub.users WHERE name = 'ann'")" "$salt"
before=$(db_state)
req POST /v1/enrol --data-binary "{\"user\":\"ann\",\"code\":\"$ann_code\",\"device\":\"again\"}"
refused 401 "a used code" "$before"
pg_sql "UPDATE hub.codes SET expires = now() - interval '1 second' WHERE user_id = (SELECT id FROM hub.users WHERE name = 'bob')"
before=$(db_state)
req POST /v1/enrol --data-binary "{\"user\":\"bob\",\"code\":\"$bob_code\",\"device\":\"x\"}"
refused 401 "an expired code" "$before"
bob=$(enrol bob)

# Push: stored, then the same batch again is all duplicates.
id() { printf '20000000-0000-4000-8000-%012d' "$1"; }
batch() {
	b_from=$1
	b_to=$2
	printf '{"ops":['
	b_i=$b_from
	while [ "$b_i" -le "$b_to" ]; do
		[ "$b_i" -gt "$b_from" ] && printf ','
		op "$(id "$b_i")" "value=\"title $b_i\""
		b_i=$((b_i + 1))
	done
	printf ']}'
}
push "$ann" "$(batch 1 10)"
status 200 "a push of 10"
expect '{"stored":10,"duplicates":0,"cursor":10}'
first=$(ops_state)
push "$ann" "$(batch 1 10)"
status 200 "the same push again"
expect '{"stored":0,"duplicates":10,"cursor":10}'
same "the same batch twice changes nothing" "$(ops_state)" "$first"
# A batch cut off half-way (the first 5 of 11-20 arrived), then sent
# whole: the rest is stored, nothing twice.
push "$ann" "$(batch 11 15)"
expect '{"stored":5,"duplicates":0,"cursor":15}'
push "$ann" "$(batch 11 20)"
expect '{"stored":5,"duplicates":5,"cursor":20}'
same "20 operations, each once" \
	"$(pg_sql "SELECT count(*), count(DISTINCT op_id) FROM hub.ops")" "20|20"
same "seq follows the batches' order" \
	"$(pg_sql "SELECT string_agg(body->>'value', ',' ORDER BY seq) FROM hub.ops")" \
	"$(seq 1 20 | sed 's/^/title /' | paste -sd, -)"
# Duplicates within one batch count once.
push "$ann" "{\"ops\":[$(op "$(id 21)"),$(op "$(id 21)")]}"
expect '{"stored":1,"duplicates":1,"cursor":21}'
push "$ann" '{"ops":[]}'
expect '{"stored":0,"duplicates":0,"cursor":21}'

# Pull: in seq order, paged.
as "$ann" GET /v1/ops
status 200 "pull"
json_ok "all 21, seq 1 to 21, next 21, no more" \
	'[o["seq"] for o in d["ops"]] == list(range(1, 22)) and d["next"] == 21 and d["more"] is False'
json_ok "an operation comes back as sent, with its seq" \
	'{k: v for k, v in d["ops"][0].items() if k != "seq"} == {"id": "20000000-0000-4000-8000-000000000001", "replica": "'"$REPLICA"'", "clock": "0000018c2f3a1b2c.0001.5b0c1a2e", "entity": "item", "uuid": "'"$ITEM"'", "item": "'"$ITEM"'", "action": "set", "field": "title", "value": "title 1", "vis": "public"}'
as "$ann" GET "/v1/ops?after=5&limit=7"
json_ok "after 5, limit 7: 6 to 12, more" \
	'[o["seq"] for o in d["ops"]] == list(range(6, 13)) and d["next"] == 12 and d["more"] is True'
as "$ann" GET "/v1/ops?after=12&limit=9"
json_ok "the rest exactly: no more" \
	'[o["seq"] for o in d["ops"]] == list(range(13, 22)) and d["next"] == 21 and d["more"] is False'
as "$ann" GET "/v1/ops?after=21"
expect '{"ops":[],"next":21,"more":false}'
as "$ann" GET "/v1/ops?after=999"
expect '{"ops":[],"next":999,"more":false}'
as "$ann" GET "/v1/ops?limit=5000"
json_ok "a limit over 1000 is 1000 (all 21 here)" 'len(d["ops"]) == 21'

# Every field the client sent is kept and returned: fields beyond the
# protocol's, nested values, numbers beyond 64 bits and decimals exact,
# Unicode.
# (the numbers put in as text: Python would round them).
push "$ann" "{\"ops\":[$(op "$(id 30)" action='"put"' 'value={"title":"Ünïcödé ✓ 🚀","n":"BIG","x":"DEC","l":[1,null,true,{"a":"b"}]}' 'extra={"client":"v2"}' 'item=null' field=DEL |
	sed 's/"BIG"/123456789012345678901234567890/; s/"DEC"/1.10/')]}"
status 200 "a put with extra fields"
as "$ann" GET "/v1/ops?after=21"
same "returned as sent" "$(printf '%s' "$body" | py -c '
import json, sys
o = json.load(sys.stdin)["ops"][0]
print(o["value"]["title"], o["value"]["l"], o["extra"], o["item"], "field" in o)')" \
	"Ünïcödé ✓ 🚀 [1, None, True, {'a': 'b'}] {'client': 'v2'} None False"
case "$body" in
*'123456789012345678901234567890'*'1.10'*|*'1.10'*'123456789012345678901234567890'*) pass ;;
*) fail "numbers not kept exactly: $body" ;;
esac

# A private operation is kept sealed and nothing else: the hub cannot
# read it.
sealed=$(head -c 80 /dev/urandom | base64 -w0)
push "$ann" "{\"ops\":[{\"id\":\"$(id 40)\",\"replica\":\"$REPLICA\",\"clock\":\"0000018c2f3a1b2d.0000.5b0c1a2e\",\"vis\":\"private\",\"sealed\":\"$sealed\"}]}"
status 200 "a sealed private operation"
same "stored sealed, with no body" \
	"$(pg_sql "SELECT vis, body IS NULL, sealed = '$sealed' FROM hub.ops WHERE op_id = '$(id 40)'")" "private|t|t"
as "$ann" GET "/v1/ops?after=22"
json_ok "returned sealed as sent" \
	'd["ops"][0] == {"seq": 23, "id": "'"$(id 40)"'", "replica": "'"$REPLICA"'", "clock": "0000018c2f3a1b2d.0000.5b0c1a2e", "vis": "private", "sealed": "'"$sealed"'"}'

# Users are apart: bob sees none of ann's, and ann's ids do not collide
# with his.
as "$bob" GET /v1/ops
expect '{"ops":[],"next":0,"more":false}'
push "$bob" "$(batch 1 3)"
status 200 "bob pushes the same ids as ann"
expect '{"stored":3,"duplicates":0,"cursor":26}'
as "$bob" GET /v1/ops
json_ok "bob reads his 3 only" '[o["seq"] for o in d["ops"]] == [24, 25, 26]'
as "$ann" GET "/v1/ops?after=23"
expect '{"ops":[],"next":23,"more":false}'
push "$ann" "$(batch 1 1)"
expect '{"stored":0,"duplicates":1,"cursor":23}'
hub_stop h
finish
