#!/bin/sh
# The lab's authorisation, at the HTTP level against a real hub on a real
# throwaway PostgreSQL: who reads whose items (lead all, mentor their
# mentees', member their own and the lead's shared goals, viewer all);
# another lab's names give 404, not 403; private operations are never
# served; a viewer writes nothing; a mentor answers only the questions put
# to them, once; a student cannot answer their own; a removed member's
# device stops at once; guessed invite codes are limited and logged.
# Every refusal leaves the database as it was (but the log of refusals).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

hub_init
hub_start h
for u in lee sam ana bob vic oz zed; do
	eval "$u=\$(enrol $u)"
done
setup hub lab add phd --lead lee --pg "$CAIRN_PG"
setup hub lab add other --lead oz --pg "$CAIRN_PG"

invite() {
	"$CAIRN" hub lab invite "$1" --role "$2" --pg "$CAIRN_PG" | tail -n 1
}
join() {
	as "$1" POST /v1/labs/join --data-binary "{\"code\":\"$2\"}"
}
join "$sam" "$(invite phd mentor)"
status 200 "sam joins as a mentor"
json_ok "the reply names the lab and role" 'd == {"lab": "phd", "role": "mentor"}'
join "$ana" "$(invite phd member)"
status 200 "ana joins"
join "$bob" "$(invite phd member)"
status 200 "bob joins"
join "$vic" "$(invite phd viewer)"
status 200 "vic joins as a viewer"
join "$zed" "$(invite other member)"
status 200 "zed joins the other lab"
setup hub lab mentor phd sam ana --pg "$CAIRN_PG"

# One-time codes: spent, or expired, they open nothing.
c=$(invite phd member)
join "$oz" "$c"
status 200 "oz joins phd with a fresh code"
before=$(db_state)
join "$zed" "$c"
refused 404 "a spent code" "$before"
c=$(invite phd member)
pg_sql "UPDATE hub.invites SET expires = now() - interval '1 second' WHERE used IS NULL"
before=$(db_state)
join "$zed" "$c"
refused 404 "an expired code" "$before"
c=$(invite phd member)
before=$(db_state)
join "$ana" "$c"
refused 409 "joining a lab one is in" "$before"
same "the code is left unused" "$(pg_sql "SELECT count(*) FROM hub.invites WHERE used IS NULL AND expires > now()")" 1
ok hub lab rm-member phd oz --pg "$CAIRN_PG"

as "$ana" GET /v1/labs
status 200 "ana's labs"
json_ok "phd, as a member" 'd == {"labs": [{"lab": "phd", "role": "member"}]}'
as "$sam" GET /v1/labs/phd/members
json_ok "the members and whom sam mentors" '[(m["user"], m["role"], m["mentors"]) for m in d["members"]] == [("ana", "member", []), ("bob", "member", []), ("lee", "lead", []), ("sam", "mentor", ["ana"]), ("vic", "viewer", [])]'

# Items: plain operations, folded by the hub.
n=0
put() { # TOKEN UUID TITLE KIND VIS [CLOCK]
	n=$((n + 1))
	push "$1" "{\"ops\":[$(op "$(printf '50000000-0000-4000-8000-%012d' "$n")" \
		'action="put"' field=DEL "uuid=\"$2\"" "item=\"$2\"" \
		"clock=\"${6:-0000018c2f3a1b2c.0001}.5b0c1a2e\"" "vis=\"$5\"" \
		"value={\"title\":\"$3\",\"kind\":\"$4\",\"visibility\":\"$5\"}")]}"
	status 200 "put $3"
}
setf() { # TOKEN UUID FIELD VALUE-JSON VIS CLOCK [ACTION]
	n=$((n + 1))
	push "$1" "{\"ops\":[$(op "$(printf '50000000-0000-4000-8000-%012d' "$n")" \
		"action=\"${7:-set}\"" "uuid=\"$2\"" "item=\"$2\"" "field=\"$3\"" \
		"value=$4" "vis=\"$5\"" "clock=\"$6.5b0c1a2e\"")]}"
	status 200 "set $3 of $2"
}
A1=a1000000-0000-4000-8000-000000000001 # ana's lab task
A2=a1000000-0000-4000-8000-000000000002 # ana's public goal
A3=a1000000-0000-4000-8000-000000000003 # ana's, deleted
A4=a1000000-0000-4000-8000-000000000004 # ana's, made private
B1=b1000000-0000-4000-8000-000000000001 # bob's lab task
L1=c1000000-0000-4000-8000-000000000001 # lee's lab goal (shared)
L2=c1000000-0000-4000-8000-000000000002 # lee's lab task
Z1=d1000000-0000-4000-8000-000000000001 # zed's, in the other lab
put "$ana" $A1 "Pruning bound" task lab
setf "$ana" $A1 title '"Pruning bound, tight"' lab 0000018c2f3a1b2c.0005
setf "$ana" $A1 title '"an older title"' lab 0000018c2f3a1b2c.0003
put "$ana" $A2 "Thesis" goal public
put "$ana" $A3 "Dropped idea" task lab
setf "$ana" $A3 title null lab 0000018c2f3a1b2c.0009 del
put "$ana" $A4 "Went private" task lab
setf "$ana" $A4 visibility '"private"' lab 0000018c2f3a1b2c.0009
sealed=$(head -c 64 /dev/urandom | base64 -w0)
push "$ana" "{\"ops\":[{\"id\":\"50000000-0000-4000-8000-000000000999\",\"replica\":\"$REPLICA\",\"clock\":\"0000018c2f3a1b2c.0001.5b0c1a2e\",\"vis\":\"private\",\"sealed\":\"$sealed\"}]}"
status 200 "a sealed private operation"
put "$bob" $B1 "Bob's task" task lab
put "$lee" $L1 "Lab goal" goal lab
put "$lee" $L2 "Lee's task" task lab
put "$zed" $Z1 "Zed's task" task lab

titles() { py -c 'import json,sys; d=json.load(sys.stdin); print(" | ".join(i["title"] for i in d["items"]))' <<EOF
$body
EOF
}
reads() { # WHO TOKEN LAB USER WANT-TITLES
	as "$2" GET "/v1/labs/$3/members/$4/items"
	if [ "$code" = 200 ] && [ "$(titles)" = "$5" ]; then pass; else
		fail "$1 reads $4's items in $3: $code $body (wanted: $5)"
	fi
}
reads ana "$ana" phd ana "Pruning bound, tight | Thesis"
as "$ana" GET /v1/labs/phd/members/ana/items
json_ok "the latest title by clock, the fields folded" 'd["items"][0] == {"uuid": "'$A1'", "title": "Pruning bound, tight", "kind": "task", "visibility": "lab"}'
case "$body" in *"$sealed"*|*"Went private"*|*"Dropped"*) fail "a private, sealed or deleted item served: $body" ;; *) pass ;; esac
reads lee "$lee" phd ana "Pruning bound, tight | Thesis"
reads lee "$lee" phd bob "Bob's task"
reads sam "$sam" phd ana "Pruning bound, tight | Thesis"
reads vic "$vic" phd ana "Pruning bound, tight | Thesis"
reads vic "$vic" phd bob "Bob's task"
reads "ana (the lead's shared goals)" "$ana" phd lee "Lab goal"
reads "sam (the lead's shared goals)" "$sam" phd lee "Lab goal"
reads lee "$lee" phd lee "Lab goal | Lee's task"

before=$(db_state)
log0=$(refusal_count lab)
nope() { # WHO TOKEN PATH
	as "$2" GET "$3"
	refused 404 "$1 GET $3" "$before"
}
nope "bob (a member)" "$bob" /v1/labs/phd/members/ana/items
nope "ana (a member)" "$ana" /v1/labs/phd/members/bob/items
nope "sam (not bob's mentor)" "$sam" /v1/labs/phd/members/bob/items
nope "ana (a viewer is no one to read)" "$ana" /v1/labs/phd/members/vic/items
nope "zed (another lab)" "$zed" /v1/labs/phd/members/ana/items
nope "zed (another lab)" "$zed" /v1/labs/phd/members
nope "oz (removed from phd)" "$oz" /v1/labs/phd/members/lee/items
nope "ana (another lab)" "$ana" /v1/labs/other/members/zed/items
nope "ana (another lab)" "$ana" /v1/labs/other/members
nope "lee (a user of another lab)" "$lee" /v1/labs/phd/members/zed/items
nope "lee (no such user)" "$lee" /v1/labs/phd/members/nobody/items
nope "lee (SQL in a name)" "$lee" "/v1/labs/phd/members/x'%20OR%20'1'='1/items"
other=$body
nope "ana (no such lab)" "$ana" /v1/labs/nosuch/members
nope "ana (a lab id for a name)" "$ana" /v1/labs/1/members
as "$zed" GET /v1/labs/phd/members
a=$(printf '%s' "$body" | sed 's/phd/LAB/')
as "$zed" GET /v1/labs/nosuch/members
b=$(printf '%s' "$body" | sed 's/nosuch/LAB/')
same "another lab's name reads as no lab at all" "$a" "$b"
check "the refused reads are logged" test "$(refusal_count lab)" -ge $((log0 + 14))
for p in /v1/labs/phd /v1/labs/phd/members/ana /v1/labs/phd/members/ana/items/x /v1/labs/ /v1/questions/1 /v1/answers/1; do
	as "$ana" GET "$p"
	refused 404 "no route $p" "$before"
done
as "$ana" POST /v1/labs/phd/members/ana/items --data-binary '{}'
refused 405 "POST on a read" "$before"

# The mentor loop's questions.
ask() { # TOKEN TO PREDICTION-UUID STATEMENT
	as "$1" POST /v1/questions --data-binary "{\"prediction\":\"$3\",\"to\":\"$2\",\"statement\":\"$4\",\"item\":\"$A1\"}"
}
P1=e1000000-0000-4000-8000-000000000001
ask "$ana" sam $P1 "Sam will say the bound is worth a workshop paper"
status 200 "ana asks her mentor"
q1=$(json_val 'd["id"]')
ask "$ana" sam $P1 "Sam will say the bound is worth a workshop paper"
status 200 "asked again"
same "the same question" "$(json_val 'd["id"]')" "$q1"
ask "$bob" lee $P1 "Lee will like it"
status 200 "bob asks the lead"
q2=$(json_val 'd["id"]')
same "two questions, no probability column" "$(pg_sql "SELECT count(*) FROM hub.questions")|$(pg_sql "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'hub' AND table_name = 'questions' AND column_name ~ '^p'")" "2|1"
before=$(db_state)
ask "$bob" sam e1000000-0000-4000-8000-000000000002 "Sam is not bob's mentor"
refused 404 "a question to someone else's mentor" "$before"
ask "$ana" zed e1000000-0000-4000-8000-000000000003 "x"
refused 404 "a question to another lab's member" "$before"
ask "$ana" ana e1000000-0000-4000-8000-000000000003 "x"
refused 404 "a question to oneself" "$before"
ask "$vic" lee e1000000-0000-4000-8000-000000000004 "A viewer asks"
refused 404 "a viewer writes no question" "$before"
ask "$sam" lee e1000000-0000-4000-8000-000000000004 "A mentor asks"
refused 404 "a mentor is asked, does not ask" "$before"
as "$ana" POST /v1/questions --data-binary '{"prediction":"nope","to":"sam","statement":"x"}'
refused 400 "a question without a uuid" "$before"
as "$ana" POST /v1/questions --data-binary "{\"prediction\":\"$P1\",\"to\":\"sam\",\"statement\":\"\"}"
refused 400 "an empty statement" "$before"

as "$sam" GET /v1/questions
status 200 "sam's questions"
json_ok "the statement and asker, no probability" 'd["questions"] == [{"id": '"$q1"', "from": "ana", "statement": "Sam will say the bound is worth a workshop paper", "item": "'$A1'", "asked": d["questions"][0]["asked"]}]'
as "$ana" GET /v1/questions
json_ok "ana is asked nothing" 'd["questions"] == []'

answer() { # TOKEN QID OUTCOME
	as "$1" POST "/v1/questions/$2/answer" --data-binary "{\"outcome\":$3,\"why\":\"the bound is new\"}"
}
log0=$(refusal_count answer)
answer "$ana" "$q1" true
refused 404 "the student answers her own question" "$before"
answer "$bob" "$q1" true
refused 404 "another member answers it" "$before"
answer "$lee" "$q1" true
refused 404 "the lead answers a question put to sam" "$before"
answer "$vic" "$q1" true
refused 404 "a viewer answers" "$before"
answer "$sam" "$q2" true
refused 404 "sam answers a question put to lee" "$before"
answer "$sam" 999999 true
refused 404 "no such question" "$before"
answer "$sam" "x'--" true
refused 404 "a question id that is no number" "$before"
answer "$sam" "$q1" '"yes"'
refused 400 "an outcome that is no boolean" "$before"
as "$sam" POST "/v1/questions/$q1/answer" --data-binary '{"outcome":true}'
refused 400 "an answer without a reason" "$before"
check "the refused answers are logged" test "$(refusal_count answer)" = $((log0 + 7))
answer "$sam" "$q1" false
status 200 "sam answers"
same "answered once, with the reason" "$(pg_sql "SELECT outcome, why FROM hub.questions WHERE id = $q1")" "f|the bound is new"
before=$(db_state)
answer "$sam" "$q1" true
refused 409 "sam answers again" "$before"
as "$ana" GET /v1/answers
json_ok "ana gets the answer" 'd["answers"] == [{"id": '"$q1"', "prediction": "'$P1'", "outcome": False, "why": "the bound is new", "by": "sam", "answered": d["answers"][0]["answered"]}]'
as "$bob" GET /v1/answers
json_ok "bob has none yet" 'd["answers"] == []'

# Two answers at once to the same question: one is taken, one refused.
for i in 1 2; do
	curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $lee" \
		--data-binary "{\"outcome\":true,\"why\":\"answer $i\"}" \
		"$BASE/v1/questions/$q2/answer" >"$TMP/race$i" &
	eval "race$i=\$!"
done
wait "$race1" "$race2"
same "one answer taken, one refused" "$(cat "$TMP/race1" "$TMP/race2" | sort | tr '\n' ' ')" "200 409 "
same "and the question holds one of them" "$(pg_sql "SELECT why ~ '^answer [12]$' FROM hub.questions WHERE id = $q2")" t

# A removed member's device stops reading the lab at once.
reads sam "$sam" phd ana "Pruning bound, tight | Thesis"
ok hub lab rm-member phd ana --pg "$CAIRN_PG"
before=$(db_state)
nope "ana, just removed" "$ana" /v1/labs/phd/members/ana/items
nope "ana, just removed" "$ana" /v1/labs/phd/members
nope "sam, about a removed member" "$sam" /v1/labs/phd/members/ana/items
as "$ana" GET /v1/labs
json_ok "ana has no lab" 'd["labs"] == []'
ask "$ana" sam e1000000-0000-4000-8000-000000000005 "after removal"
refused 404 "a removed member asks no one" "$before"

# Guessing invite codes: each guess logged, the sixth in ten minutes
# refused with 429 even with a good code, which still works elsewhere.
good=$(invite phd member)
before=$(db_state)
log0=$(refusal_count join)
for g in 00000000000000000000000000000000 ffffffffffffffffffffffffffffffff \
	"$(printf '%s' "$good" | tr 0-9a-f 1-9a-f0)" "x' OR '1'='1" "$good"00; do
	join "$bob" "$g"
	refused 404 "a guessed code ($g)" "$before"
done
same "five guesses logged" "$(refusal_count join)" $((log0 + 5))
join "$bob" "$good"
refused 429 "the sixth try, though good" "$before"
ra=$(printf '%s\n' "$hdrs" | sed -n 's/^Retry-After: //p')
same "Retry-After 600" "$ra" 600
same "and logged" "$(refusal_count join)" $((log0 + 6))
join "$ana" "$good"
status 200 "the good code works from another device"
json_ok "ana is back" 'd["role"] == "member"'
hub_stop h
finish
