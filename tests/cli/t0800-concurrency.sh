#!/bin/sh
# Concurrent writers: 8 processes each add 200 items to one store at once.
# Every add must succeed and be saved exactly once, with nothing on stderr:
# the flock around each write transaction serializes the writers, and
# busy_timeout covers readers opening while a writer checkpoints.  Two
# readers run list and show throughout and must not fail either.
. "$(dirname "$0")/lib.sh"

WRITERS=8
PER=200
TOTAL=$((WRITERS * PER))

ok init

# Each writer logs its failures (status and stderr) to its own files.
writer() {
	w=$1
	k=1
	status=0
	while [ "$k" -le "$PER" ]; do
		if ! "$CAIRN" add milestone "w$w item $k" \
			>>"$TMP/out.$w" 2>>"$TMP/err.$w"; then
			status=1
			echo "w$w item $k failed" >>"$TMP/fail.$w"
		fi
		k=$((k + 1))
	done
	return $status
}

# Readers: list and show in a loop while the writers run; they must never
# see an error either (a reader may open while a writer checkpoints).
reader() {
	r=$1
	while [ ! -e "$TMP/stop" ]; do
		"$CAIRN" list >"$TMP/rout.$r" 2>>"$TMP/rerr.$r" ||
			echo "list failed" >>"$TMP/rfail.$r"
		# Item #1 exists once list shows anything.
		[ -s "$TMP/rout.$r" ] || continue
		"$CAIRN" show 1 >/dev/null 2>>"$TMP/rerr.$r" ||
			echo "show failed" >>"$TMP/rfail.$r"
	done
}

# Start them all together: each waits for the go file.
rpids=
for r in 1 2; do
	: >"$TMP/rerr.$r"
	(
		while [ ! -e "$TMP/go" ]; do sleep 0.01; done
		reader "$r"
	) &
	rpids="$rpids $!"
done
pids=
w=1
while [ "$w" -le "$WRITERS" ]; do
	: >"$TMP/err.$w"
	(
		while [ ! -e "$TMP/go" ]; do sleep 0.01; done
		writer "$w"
	) &
	pids="$pids $!"
	w=$((w + 1))
done
: >"$TMP/go"
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
done
: >"$TMP/stop"
for p in $rpids; do
	wait "$p"
done

check "every writer exits 0 ($bad did not)" [ "$bad" -eq 0 ]
check "no failed add" [ -z "$(cat "$TMP"/fail.* 2>/dev/null)" ]
errs=$(cat "$TMP"/err.*)
check "nothing on stderr: $errs" [ -z "$errs" ]
rerrs=$(cat "$TMP"/rerr.* "$TMP"/rfail.* 2>/dev/null)
check "readers saw no error: $rerrs" [ -z "$rerrs" ]
check "every add said added" \
	[ "$(cat "$TMP"/out.* | grep -c '^added milestone #')" -eq "$TOTAL" ]

check "exactly $TOTAL items" [ "$(sql 'SELECT count(*) FROM item')" -eq "$TOTAL" ]
check "no title twice" [ "$(sql 'SELECT count(DISTINCT title) FROM item')" \
	-eq "$TOTAL" ]
check "every writer's items all there" [ "$(sql "SELECT count(*) FROM item \
	WHERE title GLOB 'w[1-8] item *'")" -eq "$TOTAL" ]
check "distinct ids reported" [ "$(cat "$TMP"/out.* | \
	sed -n 's/^added milestone #\([0-9]*\):.*/\1/p' | sort -u | wc -l)" \
	-eq "$TOTAL" ]
check "integrity_check ok" [ "$(sql 'PRAGMA integrity_check')" = ok ]
check "foreign keys hold" [ -z "$(sql 'PRAGMA foreign_key_check')" ]
check "journal has $TOTAL add changes" [ "$(sql "SELECT count(*) FROM change \
	WHERE label LIKE 'add milestone %'")" -eq "$TOTAL" ]
check "journal has $TOTAL item inserts" [ "$(sql "SELECT count(*) FROM event \
	WHERE entity = 'item' AND before IS NULL")" -eq "$TOTAL" ]
check "each add change has its item insert" [ "$(sql "SELECT count(*) \
	FROM change c WHERE c.label LIKE 'add milestone %' AND (SELECT \
	count(*) FROM event e WHERE e.change = c.id AND e.entity = 'item') \
	<> 1")" -eq 0 ]

ok list
check "list shows them all" [ "$(printf '%s\n' "$out" | wc -l)" -eq "$TOTAL" ]
finish
