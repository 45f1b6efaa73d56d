#!/bin/sh
# cairn backup while other processes write: each backup is one
# consistent state of the store (it passes doctor, loads, and holds a
# prefix of the writers' items with their journal), and the writers
# never fail.
. "$(dirname "$0")/lib.sh"

WRITERS=2
PER=150

ok init
ok add goal "Root"

writer() {
	w=$1
	k=1
	while [ "$k" -le "$PER" ]; do
		"$CAIRN" add milestone "w$w item $k" --under 1 \
			>/dev/null 2>>"$TMP/err.$w" ||
			echo "w$w item $k failed" >>"$TMP/fail.$w"
		k=$((k + 1))
	done
}

pids=
for w in $(seq 1 $WRITERS); do
	writer "$w" &
	pids="$pids $!"
done

# Backups while they write.
n=0
while [ "$n" -lt 6 ]; do
	n=$((n + 1))
	"$CAIRN" backup "$TMP/b$n.db" >/dev/null 2>>"$TMP/berr" ||
		echo "backup $n failed" >>"$TMP/bfail"
	sleep 0.2
done
for p in $pids; do wait "$p"; done

for w in $(seq 1 $WRITERS); do
	check "writer $w never failed" test ! -e "$TMP/fail.$w"
	check "writer $w: nothing on stderr" test ! -s "$TMP/err.$w"
done
check "every backup succeeded" test ! -e "$TMP/bfail"
check "backups: nothing on stderr" test ! -s "$TMP/berr"
sql_is "all items saved" "SELECT count(*) FROM item" $((WRITERS * PER + 1))

prev=0
during=0
for k in $(seq 1 6); do
	b="$TMP/b$k.db"
	run --db "$b" doctor
	same "backup $k passes doctor" "$rc:$out" "0:store '$b' is sound"
	run --db "$b" --json list --all
	same "backup $k loads" "$rc" 0
	items=$(json_val 'len(d)')
	# one state: items and their journal agree
	same "backup $k: one event per item" \
		"$(sqlite3 "$b" "SELECT count(*) FROM event WHERE entity = 'item'")" \
		"$items"
	check "backups grow" test "$items" -ge "$prev"
	prev=$items
	[ "$items" -gt 1 ] && [ "$items" -lt $((WRITERS * PER + 1)) ] &&
		during=$((during + 1))
done
check "some backups were taken mid-write" test "$during" -gt 0
# a backup can be written to again by cairn
ok --db "$TMP/b1.db" add goal "On the copy"

finish
