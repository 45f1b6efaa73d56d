#!/bin/sh
# Mentors' comments end to end, with stores and a real hub: sam, ana's
# mentor, lists her items (sync items) and comments on her lab milestone
# (sync comment); ana's next sync makes it a note marked with sam's name
# (show), sent to the hub as a note with its author; a second replica of
# ana's store ends with the same one note whichever of the two takes the
# comment first.  Every refusal (a viewer, a plain member, a mentor of
# someone else, the lead of another lab, a private item, an unknown
# uuid, a blank, empty or oversized text, malformed JSON) is 404 or 400
# with the database unchanged.  Also: migration 8 -> 9 and the JSON dump
# of authored notes.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

# ---- the store: migration from 8 and the dump (no hub needed) ----

export CAIRN_DB=$TMP/old.db
setup add goal "Thesis"
setup note 1 "a note of my own"
ok export --format json
printf '%s\n' "$out" >"$TMP/before.json"
case "$out" in *'"author"'*) fail "a dump without authored notes names an author" ;; *) pass ;; esac
# Back to schema 8 as an older cairn made it: no author column.
sqlite3 "$CAIRN_DB" "DROP TRIGGER journal_note_INSERT; DROP TRIGGER journal_note_UPDATE;
	DROP TRIGGER journal_note_DELETE; ALTER TABLE note DROP COLUMN author;
	DROP INDEX item_estimated; DROP TABLE sync_row_gone;
	PRAGMA user_version = 8;" || fail "cannot make a schema 8 store"
ok list
sql_is "migrated to the current schema" "PRAGMA user_version" "$(schema_version)"
sql_is "note.author is there, NULL" "SELECT count(*) FROM note WHERE author IS NULL" 1
ok export --format json
printf '%s\n' "$out" >"$TMP/after.json"
# The same dump but for the schema it names and the migration's change.
grep -v '^"schema"\|"label":"migrate to schema' "$TMP/before.json" | sed 's/,$//' >"$TMP/before.rows"
grep -v '^"schema"\|"label":"migrate to schema' "$TMP/after.json" | sed 's/,$//' >"$TMP/after.rows"
check "the dump of a store without authored notes is as before" cmp -s "$TMP/before.rows" "$TMP/after.rows"
same "and says so" "$(grep -c 'migrate to schema version' "$TMP/after.json")" 1
ok show 1
contains "a note of my own"
lacks ": a note of my own"

hub_init
hub_start h
URL=$BASE
export CAIRN_SYNC_PASSPHRASE="lab passphrase"
export CAIRN_SYNC_RETRIES=1
for u in lee sam ana bob max vic ola; do
	setup hub user add "$u" --pg "$CAIRN_PG"
done
setup hub lab add phd --lead lee --pg "$CAIRN_PG"
setup hub lab add far --lead ola --pg "$CAIRN_PG"
code_for() { "$CAIRN" hub user add "$1" --pg "$CAIRN_PG" | tail -n 1; }
invite() { "$CAIRN" hub lab invite "${2:-phd}" --role "$1" --pg "$CAIRN_PG" | tail -n 1; }
token_of() { sqlite3 "$1" "SELECT value FROM sync_state WHERE key = 'token'"; }
# join TOKEN CODE: spend an invite code over HTTP.
join() {
	as "$1" POST /v1/labs/join -H 'Content-Type: application/json' \
		--data-binary "{\"code\":\"$2\"}"
	[ "$code" = 200 ] || fail "join: $code $body"
}
# comment TOKEN LAB USER ITEM BODY: POST a comment's body as it is.
comment() {
	printf '%s' "$5" >"$TMP/comment.json"
	as "$1" POST "/v1/labs/$2/members/$3/items/$4/comments" \
		-H 'Content-Type: application/json' --data-binary "@$TMP/comment.json"
}

A=$TMP/ana.db
A2=$TMP/ana-laptop.db
S=$TMP/sam.db
export CAIRN_DB=$A
setup add goal "Thesis"
setup add milestone "Pruning bound" --under 1
setup add idea "A private hunch"
setup set 1 visibility=lab
setup set 2 visibility=lab
setup sync login "$URL" --user ana --code "$(code_for ana)"
ok sync join "$(invite member)"
ok sync
CAIRN_DB=$S setup init
CAIRN_DB=$S setup sync login "$URL" --user sam --code "$(code_for sam)"
CAIRN_DB=$S ok sync join "$(invite mentor)"
setup hub lab mentor phd sam ana --pg "$CAIRN_PG"
MS=$(sql "SELECT uuid FROM item WHERE id = 2")
HUNCH=$(sql "SELECT uuid FROM item WHERE id = 3")
T_ANA=$(token_of "$A")
T_SAM=$(token_of "$S")

# The others, with a device each: bob a member mentored by max, vic a
# viewer, ola the lead of another lab.
T_BOB=$(enrol bob)
T_MAX=$(enrol max)
T_VIC=$(enrol vic)
T_OLA=$(enrol ola)
join "$T_BOB" "$(invite member)"
join "$T_MAX" "$(invite mentor)"
join "$T_VIC" "$(invite viewer)"
setup hub lab mentor phd max bob --pg "$CAIRN_PG"

# sync items: sam sees ana's lab items with their uuids, not the private one.
export CAIRN_DB=$S
ok sync items phd ana
contains "$MS  milestone  planned  Pruning bound"
contains "Thesis"
lacks "$HUNCH"
lacks "hunch"
fails 2 sync items phd
fails 2 sync items "p h d" ana
err_contains "'p h d' is not a lab name"
fails 1 sync items phd bob
err_contains "no member 'bob' of 'phd' whose items you may read"

# sync comment: malformed (2) and refused (1) ones change nothing.
before=$(db_state)
sbefore=$(snapshot)
fails 2 sync comment phd ana
fails 2 sync comment phd ana not-a-uuid "text"
err_contains "'not-a-uuid' is not an item's uuid"
fails 2 sync comment phd "ana!" "$MS" "text"
fails 2 sync comment phd ana "$MS" "   "
err_contains "note"
fails 2 sync comment phd ana "$MS" "$(head -c 4001 /dev/zero | tr '\0' x)"
err_contains "at most 4000 bytes"
fails 1 sync comment phd ana "$HUNCH" "about the hunch"
err_contains "no item '$HUNCH' of 'ana' in 'phd' you may comment on"
fails 1 sync comment phd ana 7d1e2f30-0000-4000-8000-0000000000ff "nothing there"
fails 1 sync comment phd bob "$MS" "not my mentee"
fails 1 sync comment far ana "$MS" "not my lab"
same "refused comments change the hub's database in nothing" "$(db_state)" "$before"
same "nor sam's store" "$(snapshot)" "$sbefore"

# Over HTTP: every refusal 404 (or 400 for a malformed body), logged,
# with the database unchanged.
GOOD='{"text":"A good comment"}'
before=$(db_state)
logged=$(refusal_count comment)
comment "$T_VIC" phd ana "$MS" "$GOOD"
refused 404 "a viewer comments on nothing" "$before"
comment "$T_BOB" phd ana "$MS" "$GOOD"
refused 404 "a plain member comments on nothing" "$before"
comment "$T_MAX" phd ana "$MS" "$GOOD"
refused 404 "a mentor of someone else" "$before"
comment "$T_OLA" phd ana "$MS" "$GOOD"
refused 404 "the lead of another lab, in this lab" "$before"
comment "$T_OLA" far ana "$MS" "$GOOD"
refused 404 "the lead of another lab, in theirs" "$before"
comment "$T_ANA" phd ana "$MS" "$GOOD"
refused 404 "ana on her own item" "$before"
comment "$T_SAM" phd ana "$HUNCH" "$GOOD"
refused 404 "a private item" "$before"
comment "$T_SAM" phd ana 7d1e2f30-0000-4000-8000-0000000000ff "$GOOD"
refused 404 "an unknown uuid" "$before"
comment "$T_SAM" phd ana not-a-uuid "$GOOD"
refused 404 "not a uuid" "$before"
comment "$T_SAM" phd nobody "$MS" "$GOOD"
refused 404 "no such member" "$before"
same "each refusal logged" "$(refusal_count comment)" "$((logged + 10))"
comment "$T_SAM" phd ana "$MS" '{"text":""}'
refused 400 "an empty text" "$before"
comment "$T_SAM" phd ana "$MS" '{"text":"  \n "}'
refused 400 "a blank text" "$before"
comment "$T_SAM" phd ana "$MS" "{\"text\":\"$(head -c 4001 /dev/zero | tr '\0' x)\"}"
refused 400 "an oversized text" "$before"
comment "$T_SAM" phd ana "$MS" '{"text":12}'
refused 400 "a text that is not a string" "$before"
comment "$T_SAM" phd ana "$MS" '{"text":"a",'
refused 400 "malformed JSON" "$before"
comment "$T_SAM" phd ana "$MS" '["text"]'
refused 400 "not an object" "$before"
as "$T_SAM" GET "/v1/labs/phd/members/ana/items/$MS/comments"
status 405 "GET on the comments of an item"

# The comment, and the lead's.
ok sync comment phd ana "$MS" "Tighten the bound before the workshop"
contains "commented on ana's item $MS (comment 1)"
T_LEE=$(enrol lee)
comment "$T_LEE" phd ana "$MS" '{"text":"Agreed with Sam"}'
status 200 "the lead comments on a member's lab item"
json_ok "its id" 'd == {"id": 2}'

# Comments go to their item's owner only.
as "$T_BOB" GET /v1/comments
json_ok "none on bob's items" 'd == {"comments": []}'
as "$T_ANA" GET "/v1/comments?after=1"
json_ok "after 1: the lead's" '[(c["id"], c["by"], c["lab"], c["item"], c["text"]) for c in d["comments"]] == [(2, "lee", "phd", "'"$MS"'", "Agreed with Sam")]'
as "$T_ANA" GET "/v1/comments?after=x"
status 400 "a malformed cursor"

# A second replica of ana's store, which syncs before the first has
# taken the comments: each replica makes the notes, under the same sync
# uuids, and after both push and pull there is one note per comment.
CAIRN_DB=$A2 setup init
CAIRN_DB=$A2 setup sync login "$URL" --user ana --code "$(code_for ana)"
CAIRN_DB=$A2 ok sync
contains "2 comments from mentors, now notes"
export CAIRN_DB=$A
ok sync
contains "2 comments from mentors, now notes"
ok show 2
contains "sam: Tighten the bound before the workshop"
contains "lee: Agreed with Sam"
sql_is "the notes keep their authors" "SELECT author || ':' || text FROM note WHERE item = 2 ORDER BY id" \
	"sam:Tighten the bound before the workshop
lee:Agreed with Sam"
ok sync
CAIRN_DB=$A2 ok sync
ok sync
for db in "$A" "$A2"; do
	same "one note per comment in $(basename "$db")" \
		"$(sqlite3 "$db" "SELECT count(*) FROM note WHERE author IS NOT NULL")" 2
done
same "the notes went to the hub as note operations with their authors" \
	"$(pg_sql "SELECT DISTINCT body->'value'->>'author' || ':' || (body->>'action') FROM hub.ops WHERE body->>'entity' = 'note' ORDER BY 1")" \
	"lee:add
sam:add"
for db in "$A" "$A2"; do
	CAIRN_DB=$db ok sync status
	contains "conflicts: 0"
done
lacks_note() { sqlite3 "$1" "SELECT count(*) FROM note WHERE author IS NULL AND item = (SELECT id FROM item WHERE uuid = '$MS')"; }
same "no unauthored copy" "$(lacks_note "$A2")" 0

# The other order: the first replica takes a comment and pushes its
# note before the second syncs, which then pulls the note and passes
# over the comment.
CAIRN_DB=$S ok sync comment phd ana "$MS" "One more thing"
ok sync
contains "1 comment from mentors, now notes"
ok sync
CAIRN_DB=$A2 ok sync
lacks "comments from mentors"
for db in "$A" "$A2"; do
	same "one note for the third comment in $(basename "$db")" \
		"$(sqlite3 "$db" "SELECT count(*) || ':' || author FROM note WHERE text = 'One more thing'")" "1:sam"
done

# The lossless JSON carries the author; an import restores it.
ok export --format json
printf '%s\n' "$out" >"$TMP/authored.json"
contains '"author":"sam"'
export CAIRN_DB=$TMP/copy.db
ok import "$TMP/authored.json"
ok show 2
contains "sam: Tighten the bound before the workshop"
ok export --format json
printf '%s\n' "$out" >"$TMP/authored-again.json"
check "dump -> import -> dump is the same" dump_same "$TMP/authored.json" "$TMP/authored-again.json"
finish
