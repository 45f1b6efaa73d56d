#!/bin/sh
# Killed writers: 100 times, a writer adding items in a loop is killed with
# SIGKILL after a random 0-50 ms (longer where one add takes longer), wherever it happens to be (starting up,
# inside the transaction, committing, checkpointing at close).  Every add
# the CLI reported as done must be in the store, no add may be half saved,
# the store must pass integrity_check, and the next writer must not be
# stuck behind a lock the dead one held.
. "$(dirname "$0")/lib.sh"

ROUNDS=${CRASH_ROUNDS:-100}
LOG="$TMP/reported"
: >"$LOG"

ok init

# The kill comes after a random 0 to WINDOW ms: 50, or three times what
# one add takes here when that is more (a sanitizer build on a busy
# machine takes longer than 50 ms to start), so that some adds finish.
t0=$(date +%s%N)
ok add milestone "timing"
t1=$(date +%s%N)
add_ms=$(((t1 - t0) / 1000000))
WINDOW=$((add_ms * 3 > 50 ? add_ms * 3 : 50))
[ "$WINDOW" -gt 999 ] && WINDOW=999
# A random number from 0 to WINDOW (dash has no $RANDOM).
rand_window() {
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % (WINDOW + 1)))
}

survivors=0
# Is a process of group $1 still running?
alive() {
	ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 }
		END { exit !f }'
}

# The writer of the current round, killed on the way out too: setsid takes
# it out of the test's process group, so a harness killing that group would
# miss it.  It also stops by itself once the test or its folder is gone.
pid=
trap 'test -n "$pid" && kill -9 "-$pid" 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

round=1
while [ "$round" -le "$ROUNDS" ]; do
	# setsid gives the writer a process group of its own, so one kill
	# takes the shell and the cairn it is running.  It announces itself
	# (after setsid, so the group exists) before its first add.  A title
	# is logged only after cairn said "added" and exited 0.
	ready="$TMP/ready.$round"
	setsid sh -c '
		: >"$3"
		k=1
		while [ -e "$3" ] && kill -0 "$4" 2>/dev/null; do
			t="crash $1-$k"
			if out=$("$CAIRN" add milestone "$t" 2>>"$2.err"); then
				case $out in
				added*) echo "$t" >>"$2" ;;
				esac
			fi
			k=$((k + 1))
		done' sh "$round" "$LOG" "$ready" "$$" &
	pid=$!
	n=0
	while [ ! -e "$ready" ] && [ "$n" -lt 500 ]; do
		sleep 0.01
		n=$((n + 1))
	done
	sleep "$(printf '0.%03d' "$(rand_window)")"
	# dash's kill takes no "--": -9 then the negated group id.
	kill -9 "-$pid" || survivors=$((survivors + 1))
	wait "$pid" 2>/dev/null
	# Nothing of the group may live on to finish its add unseen (dead
	# but unreaped children show as zombies, state Z).
	n=0
	while alive "$pid" && [ "$n" -lt 100 ]; do
		sleep 0.01
		n=$((n + 1))
	done
	alive "$pid" && survivors=$((survivors + 1))
	pid=
	round=$((round + 1))
done

nlog=$(wc -l <"$LOG")
nitems=$(sql 'SELECT count(*) FROM item')
echo "# $ROUNDS rounds: $nlog adds reported, $nitems items in the store"

# Every reported title is in the store, exactly once.
missing=0
while IFS= read -r t; do
	n=$(sql "SELECT count(*) FROM item WHERE title = '$t'")
	if [ "$n" -ne 1 ]; then
		echo "missing or doubled: $t ($n)" >&2
		missing=$((missing + 1))
	fi
done <"$LOG"
check "each kill took the whole writer ($survivors survived)" \
	[ "$survivors" -eq 0 ]
check "every reported add is saved ($missing are not)" [ "$missing" -eq 0 ]
check "at least some adds were reported" [ "$nlog" -gt 0 ]
check "no more reported than saved" [ "$nlog" -le "$nitems" ]
check "integrity_check ok" [ "$(sql 'PRAGMA integrity_check')" = ok ]
check "foreign keys hold" [ -z "$(sql 'PRAGMA foreign_key_check')" ]

# Atomicity: an add change and its item are saved together or not at all.
check "one add change per item" [ "$(sql "SELECT count(*) FROM change \
	WHERE label LIKE 'add milestone %'")" -eq "$nitems" ]
check "each item has its insert event and statement" [ "$(sql "SELECT \
	count(*) FROM item i WHERE NOT EXISTS (SELECT 1 FROM event e WHERE \
	e.entity = 'item' AND e.entity_id = i.id AND e.before IS NULL) OR \
	NOT EXISTS (SELECT 1 FROM statement s WHERE s.item = i.id)")" -eq 0 ]

# The store still works: no stale lock, no broken WAL.
ok add milestone "after the crashes"
contains "added milestone #"
ok show "$(sql "SELECT id FROM item WHERE title = 'after the crashes'")"
contains "after the crashes"
ok list
check "list shows every item" \
	[ "$(printf '%s\n' "$out" | wc -l)" -eq "$((nitems + 1))" ]
finish
