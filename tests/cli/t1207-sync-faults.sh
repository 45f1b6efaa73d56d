#!/bin/sh
# Sync through faults: the hub killed with SIGKILL at random moments
# during 100 syncs, and PostgreSQL stopped and started again during
# syncs.  Afterwards every operation the hub acknowledged is there
# exactly once, nothing a machine queued is lost, a second machine gets
# the whole roadmap, and the client said when it tried again.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$(dirname "$0")/hub-lib.sh"

hub_init
hub_start h
PORT=${BASE##*:}
A=$TMP/a.db
B=$TMP/b.db
export CAIRN_SYNC_PASSPHRASE="fault tolerant"
code_for() {
	"$CAIRN" hub user add "$1" --pg "$CAIRN_PG" | tail -n 1
}
CAIRN_DB=$A ok sync login "$BASE" --user ana --code "$(code_for ana)"
CAIRN_DB=$B ok sync login "$BASE" --user ana --code "$(code_for ana)"

restart_hub() {
	for _ in $(seq 1 40); do
		"$CAIRN" hub serve --pg "$CAIRN_PG" --port "$PORT" \
			>"$TMP/h.out" 2>"$TMP/h.err" &
		h_pid=$!
		HUB_PIDS="$HUB_PIDS $h_pid"
		for _ in $(seq 1 100); do
			[ -s "$TMP/h.out" ] && return 0
			kill -0 "$h_pid" 2>/dev/null || break
			sleep 0.02
		done
		sleep 0.1
	done
	fail "the hub did not come back on port $PORT: $(cat "$TMP/h.err")"
}

export CAIRN_DB=$A
setup add goal "Survive faults"
seed=7
failed=0
retried=0
for i in $(seq 1 100); do
	setup add milestone "step $i" --under 1
	[ $((i % 3)) = 0 ] && setup tag $((i + 1)) t$((i % 5))
	if [ $((i % 10)) = 0 ]; then
		# PostgreSQL goes away under a sync, and comes back while the
		# client waits: the client tries again and gets through.
		CAIRN_SYNC_RETRIES=8 "$CAIRN" sync >"$TMP/s.out" 2>"$TMP/s.err" &
		s_pid=$!
		pg_stop
		sleep 0.3
		pg_restart
		wait "$s_pid" || failed=$((failed + 1))
		grep -q "trying again" "$TMP/s.err" && retried=$((retried + 1))
		continue
	fi
	CAIRN_SYNC_RETRIES=0 "$CAIRN" sync >"$TMP/s.out" 2>"$TMP/s.err" &
	s_pid=$!
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	sleep "0.0$((seed % 60))"
	kill -KILL "$h_pid" 2>/dev/null
	wait "$h_pid" 2>/dev/null
	wait "$s_pid" || failed=$((failed + 1))
	restart_hub
done
check "some syncs were cut off by the kills ($failed)" test "$failed" -gt 0
check "the client said it was trying again after PostgreSQL went away" \
	test "$retried" -gt 0

# Once the hub stays up, everything gets through.
ok sync
run sync status
contains "pending: 0"
check "every operation on the hub exactly once" \
	test "$(pg_sql "SELECT count(*) - count(DISTINCT op_id) FROM hub.ops")" = 0
ok sync
contains "sent 0 operations"
export CAIRN_DB=$B
ok sync
check "the second machine has all 101 items" \
	test "$(sql 'SELECT count(*) FROM item')" = 101
canon() {
	CAIRN_DB=$1 sql "SELECT uuid || '|' || title FROM item ORDER BY uuid"
	CAIRN_DB=$1 sql "SELECT i.uuid || '|' || t.name FROM tag t JOIN item i ON i.id = t.item ORDER BY 1"
}
check "and the same titles and tags" test "$(canon "$A")" = "$(canon "$B")"
check "the tags arrived" test \
	"$(sql 'SELECT count(*) FROM tag')" = "$(CAIRN_DB=$A sql 'SELECT count(*) FROM tag')"
kill -TERM "$h_pid"
wait "$h_pid"
finish
