#!/bin/sh
# The mentor loop end to end, with stores and a real hub: ana joins a lab
# with sync join, makes her lab item visible to it, predicts how her
# mentor sam will answer (--who @sam) on a private item; sync puts the
# statement to sam without the probability; sam lists it (sync questions)
# and answers it once (resolve QID); ana cannot resolve it herself; her
# next sync resolves it with sam's reasoning; calibration reports it
# apart from the self-resolved ones.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

hub_init
hub_start h
URL=$BASE
export CAIRN_SYNC_PASSPHRASE="lab passphrase"
export CAIRN_SYNC_RETRIES=1
for u in lee sam ana; do
	setup hub user add "$u" --pg "$CAIRN_PG"
done
setup hub lab add phd --lead lee --pg "$CAIRN_PG"
code_for() { "$CAIRN" hub user add "$1" --pg "$CAIRN_PG" | tail -n 1; }
invite() { "$CAIRN" hub lab invite phd --role "$1" --pg "$CAIRN_PG" | tail -n 1; }

A=$TMP/ana.db
S=$TMP/sam.db
export CAIRN_DB=$A
setup add goal "Thesis"
setup add milestone "Pruning bound" --under 1
setup sync login "$URL" --user ana --code "$(code_for ana)"
CAIRN_DB=$S setup init
CAIRN_DB=$S setup sync login "$URL" --user sam --code "$(code_for sam)"

# sync join: malformed codes (2) and refused ones (1) change nothing.
before=$(db_state)
fails 2 sync join
fails 2 sync join nothex
err_contains "'nothex' is not an invite code"
fails 1 sync join 0123456789abcdef0123456789abcdef
err_contains "unknown, used or expired invite code"
same "refused joins change nothing" "$(db_state)" "$before"
ok sync join "$(invite member)"
expect "joined the lab phd as member"
CAIRN_DB=$S ok sync join "$(invite mentor)"
expect "joined the lab phd as mentor"
setup hub lab mentor phd sam ana --pg "$CAIRN_PG"

# A private item made lab-visible reaches the lab whole.
ok sync
setup set 1 visibility=lab
ok sync
CAIRN_DB=$S ok sync
as "$(sqlite3 "$S" "SELECT value FROM sync_state WHERE key = 'token'")" GET /v1/labs/phd/members/ana/items
status 200 "sam reads ana's lab items"
json_ok "the goal, with its title sent again in plain" '[(i["title"], i["kind"]) for i in d["items"]] == [("Thesis", "goal")]'
case "$body" in *"Pruning bound"*) fail "a private item served: $body" ;; *) pass ;; esac

# Predictions: --who @NAME names a hub user; a plain --who stays local.
fails 2 predict --who "@no such" --p 0.7 "x"
err_contains "does not name a hub user"
ok predict --who @sam --p 0.7 --item 2 "Sam will say the pruning bound is worth a workshop paper"
ok predict --who Kim --p 0.4 "Kim likes it"
ok predict --who @lee --p 0.9 "Lee will fund the trip"
ok predict --who @nobody --p 0.2 "Nobody answers"
before=$(snapshot)
fails 1 resolve 1 yes --why "I decided"
err_contains "put to @sam on the hub"
check "a refused resolve changes nothing" test "$(snapshot)" = "$before"
ok resolve 2 yes --why "she did"
ok sync
contains "put 2 predictions to mentors"
err_contains "P4 is not put to @nobody"
same "the questions on the hub: statements, addressees" \
	"$(pg_sql "SELECT u.name || ':' || q.statement FROM hub.questions q JOIN hub.users u ON u.id = q.addressee_id ORDER BY q.id")" \
	"sam:Sam will say the pruning bound is worth a workshop paper
lee:Lee will fund the trip"
# As a value, not inside a clock or a uuid (....0010.7a... is one).
check "no probability anywhere on the hub" \
	test "$(pg_sql "SELECT count(*) FROM hub.questions q WHERE row_to_json(q)::text ~ '[^0-9a-f.]0\\.[79]'")" = 0
ok sync
lacks "put "

# Sam's side.
export CAIRN_DB=$S
ok sync questions
contains "Q1  from ana"
contains "Sam will say the pruning bound is worth a workshop paper"
lacks "0.7"
lacks "70%"
lacks "Lee will fund"
before=$(db_state)
fails 2 resolve Q1 yes
err_contains "needs --why"
fails 2 resolve Qx yes --why w
fails 1 resolve Q2 yes --why "not mine"
err_contains "no question 2 put to you"
same "refused answers change nothing" "$(db_state)" "$before"
ok resolve Q1 no --why "A workshop is too small for it: aim for the conference"
expect "answered Q1: no"
before=$(db_state)
fails 1 resolve Q1 yes --why "changed my mind"
err_contains "answered already"
same "a second answer changes nothing" "$(db_state)" "$before"
ok sync questions
expect "no open questions put to you"

# Back to ana: her next sync resolves it, with sam's reasoning.
export CAIRN_DB=$A
ok sync
contains "1 resolved by their answers"
same "P1 resolved no, with the reason" \
	"$(sql "SELECT outcome || '|' || why FROM prediction WHERE id = 1")" \
	"0|A workshop is too small for it: aim for the conference"
ok predictions
contains "why (sam's answer): A workshop is too small for it: aim for the conference"
ok calibration
contains "2 resolved predictions"
contains "yourself                   1"
contains "@sam (mentor)              1"
ok --json calibration
json_ok "the JSON splits them the same way" '[(r["by"], r["count"]) for r in d["resolved_by"]] == [("yourself", 1), ("@sam", 1)] and d["count"] == 2'
ok sync
lacks "resolved by"
finish
