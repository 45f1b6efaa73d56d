#!/bin/sh
# cairn sync against a real hub on a throwaway PostgreSQL: two machines of
# one user converge; private items reach the hub only sealed; a cycle made
# on both machines keeps the earlier edge on both and is named; an undo
# syncs as a new change; a revoked device and an unreachable hub are
# refused with the store unchanged; --watch follows the store.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$(dirname "$0")/hub-lib.sh"

hub_init
hub_start h1
URL=$BASE
A=$TMP/a.db
B=$TMP/b.db
export CAIRN_SYNC_PASSPHRASE="correct horse battery"
export CAIRN_SYNC_RETRIES=2

code_for() {
	"$CAIRN" hub user add "$1" --pg "$CAIRN_PG" | tail -n 1
}

# Not logged in yet.
export CAIRN_DB=$A
setup add goal "Public thesis"
setup add milestone "Secret pruning bound" --under 1
setup set 1 visibility=public
setup set 2 likelihood=0.37
setup note 2 "only mine to read"
run sync status
contains "hub: none"
before=$(snapshot)
fails 1 sync
err_contains "no hub yet"
fails 2 sync login "ftp://x" --user ana --code x
err_contains "malformed hub URL 'ftp://x'"
fails 2 sync login "$URL" --code x
fails 1 sync login "$URL" --user ana --code not-a-code
err_contains "refused the enrolment of 'ana'"
check "refused logins leave the store as it was" test "$(snapshot)" = "$before"

# Machine A.
ok sync login "$URL" --user ana --code "$(code_for ana)"
expect "logged in to $URL as ana"
check "the store is its owner's only" test "$(stat -c %a "$A")" = 600
ok sync
contains "sent "
run sync status
contains "hub: $URL as ana"
contains "pending: 0"

# The hub holds no private title, note or number in the clear.
rows=$(pg_sql "SELECT coalesce(body::text, '') || ' ' || coalesce(sealed, '') FROM hub.ops")
check "the hub has A's operations" test -n "$rows"
check "the public title is plain on the hub" \
	sh -c 'printf "%s" "$1" | grep -q "Public thesis"' - "$rows"
# The number as a value, not inside a clock (....0010.37ab... is one).
for secret in "Secret pruning" "only mine" "[^0-9a-f.]0\.37"; do
	check "no '$secret' on the hub" \
		sh -c '! printf "%s" "$1" | grep -qE "$2"' - "$rows" "$secret"
done
check "private operations are sealed" \
	test "$(pg_sql "SELECT count(*) FROM hub.ops WHERE sealed IS NOT NULL")" -gt 0

# Machine B: the same items, the same uuids, the private ones opened.
export CAIRN_DB=$B
ok sync login "$URL" --user ana --code "$(code_for ana)" --device desk
ok sync
run show 2
contains "Secret pruning bound"
check "same uuids" test "$(CAIRN_DB=$A sql 'SELECT uuid FROM item ORDER BY id')" = \
	"$(sql 'SELECT uuid FROM item ORDER BY id')"
run show 2
contains "only mine to read"
# A uuid prefix names the item on any machine.
prefix=$(CAIRN_DB=$A sql "SELECT substr(uuid, 1, 13) FROM item WHERE id = 2")
ok show "$prefix"
contains "Secret pruning bound"
ok show "$(printf %s "$prefix" | tr a-f A-F)"
contains "Secret pruning bound"
fails 1 show "fffff-ffff"
err_contains "no item with a uuid starting 'fffff-ffff'"

# A wrong passphrase cannot open them.
C=$TMP/c.db
CAIRN_DB=$C CAIRN_SYNC_PASSPHRASE=wrong "$CAIRN" sync login "$URL" \
	--user ana --code "$(code_for ana)" >/dev/null 2>&1
export CAIRN_DB=$C
fails 1 sync
err_contains "does not open with this device's key"
check "nothing of A's reached C" test "$(sql 'SELECT count(*) FROM item')" = 0

# Concurrent edits on both, then both sync twice.
export CAIRN_DB=$A
setup refine 1 "A thesis on pruning"
setup add milestone "Shared lemma" --under 1
setup add milestone "Experiment" --under 1
export CAIRN_DB=$B
setup tag 2 theory
setup set 2 likelihood=0.5
for round in 1 2; do
	CAIRN_DB=$A ok sync
	CAIRN_DB=$B ok sync
done
dump() { CAIRN_DB=$1 "$CAIRN" list --all 2>&1; CAIRN_DB=$1 "$CAIRN" show 2 2>&1; }
check "A and B converge" test "$(dump "$A")" = "$(dump "$B")"
run show 2
contains "theory"

# Both build a cycle: A first (3 builds on 4), then B (4 builds on 3).
CAIRN_DB=$A setup dep add 3 4
CAIRN_DB=$A ok sync
CAIRN_NOW=2026-03-01T10:00:00Z CAIRN_DB=$B setup dep add 4 3
CAIRN_DB=$B ok sync
contains "1 conflict"
CAIRN_DB=$A ok sync
check "A keeps the earlier edge" test "$(CAIRN_DB=$A sql 'SELECT item || ">" || prereq FROM edge')" = "3>4"
check "B too" test "$(CAIRN_DB=$B sql 'SELECT item || ">" || prereq FROM edge')" = "3>4"
export CAIRN_DB=$B
run sync status
contains "conflicts: 1"
contains "would close a cycle"
run history
contains "conflict"

# An undo on A is a new change, and reaches B.
export CAIRN_DB=$A
setup set 4 title="Experiment, renamed"
ok sync
CAIRN_DB=$B ok sync
check "B has the rename" test "$(CAIRN_DB=$B sql 'SELECT title FROM item WHERE id = 4')" = "Experiment, renamed"
ok undo
ok sync
CAIRN_DB=$B ok sync
check "B has the undo" test "$(CAIRN_DB=$B sql 'SELECT title FROM item WHERE id = 4')" = "Experiment"

# --watch follows A's changes into B until SIGTERM.
CAIRN_DB=$B "$CAIRN" sync --watch --interval 1 >"$TMP/watch.out" 2>"$TMP/watch.err" &
watch=$!
CAIRN_DB=$A setup add milestone "Seen by watch" --under 1
CAIRN_DB=$A ok sync
for _ in $(seq 1 60); do
	[ "$(CAIRN_DB=$B sql "SELECT count(*) FROM item WHERE title = 'Seen by watch'")" = 1 ] && break
	sleep 0.25
done
check "--watch brought it" test "$(CAIRN_DB=$B sql "SELECT count(*) FROM item WHERE title = 'Seen by watch'")" = 1
kill -TERM "$watch"
wait "$watch"
check "--watch stops on SIGTERM" test $? = 0

# The hub gone: tried again, then refused, the store unchanged.
export CAIRN_DB=$B
setup tag 1 offline
before=$(snapshot)
hub_stop h1
run sync
check "an unreachable hub fails" test "$rc" = 1
err_contains "trying again"
err_contains "cannot reach the hub"
check "and changes nothing" test "$(snapshot)" = "$before"
hub_start h2
URL2=$BASE
# The same database behind another hub process: the URL is kept in the
# store, so point it there as a moved hub would be.
sql_set() { sqlite3 "$B" "UPDATE sync_state SET value = '$URL2' WHERE key = 'hub'"; }
sql_set
ok sync
contains "sent "

# A revoked device is refused and nothing changes.
"$CAIRN" hub user rm ana --pg "$CAIRN_PG" >/dev/null
setup tag 1 later
before=$(snapshot)
fails 1 sync
err_contains "revoked"
check "a revoked device changes nothing" test "$(snapshot)" = "$before"
hub_stop h2
finish
