#!/bin/sh
# redo [N]: the inverse of undo, as many steps as were undone, until the
# next other change; undo names each change before taking it back, and
# undo --mine takes back only this actor's changes.
. "$(dirname "$0")/lib.sh"

tables() {
	for t in item tag note; do
		echo "-- $t"
		sqlite3 -batch "$CAIRN_DB" "SELECT * FROM $t ORDER BY id"
	done
}

ok init
rejects 1 redo
err_contains "nothing to redo"

ok add goal "First" --tag a
s1=$(tables)
ok add goal "Second"
ok note 2 "a note"
s3=$(tables)

# undo names the change it takes back before it does so.
ok undo
expect "undoing change 4 (2026-03-01T09:00:00Z, tester): note 2 'a note'
undid 1 change"
ok undo
contains "undoing change 3 (2026-03-01T09:00:00Z, tester): add goal Second"
same "two undos" "$s1" "$(tables)"

# redo walks forward again, one step, then the rest.
ok redo
expect "redoing change 3 (2026-03-01T09:00:00Z, tester): add goal Second
redid 1 change"
ok redo 5
expect "redoing change 4 (2026-03-01T09:00:00Z, tester): note 2 'a note'
redid 1 change"
same "redo restores the tables" "$s3" "$(tables)"
rejects 1 redo
err_contains "nothing to redo"

# A redone change can be undone again, and redone again.
ok undo 2
same "undo after redo" "$s1" "$(tables)"
ok redo 2
same "redo after undo after redo" "$s3" "$(tables)"

# Any other change ends the redo history.
ok undo
ok add goal "Third"
rejects 1 redo
err_contains "nothing to redo"

# --json names what was redone.
ok undo
jok() { run --json "$@"; if [ "$rc" -eq 0 ]; then pass; else fail "cairn --json $*"; fi; }
jok redo
json_ok "redo --json" 'd["redone"] == 1 and d["changes"][0]["label"] == "redo: add goal Third"'

# Usage.
rejects 2 redo 0
err_contains "'0'"
rejects 2 redo --nope
rejects 2 redo 1 2

# undo --mine: another process's newer change is left alone.
ok add goal "Mine"
CAIRN_ACTOR=other run add goal "Theirs"
ok undo --mine
contains "(2026-03-01T09:00:00Z, tester): add goal Mine"
sql_is "theirs kept" "SELECT count(*) FROM item WHERE title = 'Theirs'" 1
sql_is "mine gone" "SELECT count(*) FROM item WHERE title = 'Mine'" 0
# plain undo takes the newest, whoever made it
ok undo
contains "(2026-03-01T09:00:00Z, other): add goal Theirs"
CAIRN_ACTOR=nobody run undo --mine
[ "$rc" -eq 1 ] && pass || fail "undo --mine with no change of mine"
err_contains "nothing to undo by this actor"
# redo --mine redoes this actor's own undos only: the newest is tester's
# undo of "Theirs"
CAIRN_ACTOR=other run redo --mine
[ "$rc" -eq 1 ] && pass || fail "redo --mine with no undo of mine"
err_contains "nothing to redo by this actor"
ok redo --mine
contains "other): add goal Theirs"
sql_is "theirs back" "SELECT count(*) FROM item WHERE title = 'Theirs'" 1
ok redo --mine
contains "tester): add goal Mine"
sql_is "mine back" "SELECT count(*) FROM item WHERE title = 'Mine'" 1

finish
