#!/bin/sh
# Opening a store never makes what the user did not ask for: a read, a
# usage error or a failing command creates, changes and leaves nothing on
# disk (no store, no lock file, no folder, no byte of an existing file);
# only init and a write that succeeds create a store (and next, after a
# write, saves the planning summary it made stale: derived data only).
# Arguments are
# parsed before the store opens, and arguments that are not UTF-8 are
# refused with the byte offset.
. "$(dirname "$0")/lib.sh"

D="$TMP/d"
mkdir "$D"
# The folder's entries with sizes and times to the nanosecond (not "." and
# "..": a store open makes and removes its -wal and -shm files, which
# touches the folder itself).
listing() {
	ls -la --time-style=full-iso "$D" | grep -v ' \.\.\?$'
}
# untouched DESC CMD...: run cairn in $D's state and check the listing.
untouched() {
	ut_desc=$1
	shift
	ut_before=$(listing)
	run "$@"
	ut_after=$(listing)
	same "$ut_desc: disk unchanged" "$ut_after" "$ut_before"
}

# A file that is not a store: no refs.bib.lock beside it.
printf '@article{a, title = {A}}\n' >"$D/refs.bib"
for c in list "show 1" tree "export --format json" "add goal X"; do
	# shellcheck disable=SC2086
	untouched "--db refs.bib $c" --db "$D/refs.bib" $c
	same "--db refs.bib $c fails" "$rc" 1
	err_contains "'$D/refs.bib' is not a cairn store"
done
check "no lock beside refs.bib" test ! -e "$D/refs.bib.lock"

# An empty file stays empty for a read (it does not become a store).
: >"$D/empty.db"
for c in list "show 1" history "metric show" focus; do
	# shellcheck disable=SC2086
	untouched "--db empty.db $c" --db "$D/empty.db" $c
	same "--db empty.db $c fails" "$rc" 1
	err_contains "'$D/empty.db' is an empty file, not a store"
done
# ... and for a write that fails.
untouched "failed write to empty.db" --db "$D/empty.db" dep add 1 2
same "failed write to empty.db fails" "$rc" 1
check "empty.db still empty" test ! -s "$D/empty.db"

# Usage errors on a store that does not exist yet: parsed before the
# store is opened, so nothing is made.
N="$D/new/sub/cairn.db"
for c in "add goal" "add goal X --bogus" "add task X" "add goal X --scope 9" \
	"show abc" "set 1 scope=9" "set 1" "forecast 1 --trials x" \
	"next --limit 0" "import" "import --format ics x.ics" "log 1 3x" \
	"metric log 1 cost abc" "paper add T --year 20x" "undo zero" \
	"focus set 1 --wip 0" "resolve P1 maybe" "mv 1" "init extra" \
	"metric set 1 cost target=ten" "metric set x cost unit=u" "metric rm 1" \
	"paper rm" "predict set x9 p=0.5" "predict set 1 p=2" \
	"calibration --who" "focus set --hours-per-day 0" "focus set" \
	"forecast 1 --seed x" "forecast 1 --start 2026-02-30" \
	"next --limit 1.5" "portfolio --goal x" "path x"; do
	# shellcheck disable=SC2086
	untouched "usage error: $c" --db "$N" $c
	same "usage error: $c exits 2" "$rc" 2
done
check "no folder made for a usage error" test ! -e "$D/new"

# Well-formed requests that fail on a missing store: nothing is left.
printf '[{"description": "x", "due": "tomorrow"}]\n' >"$D/bad.json"
for c in "show 1" list "set 1 title=Y" "dep add 1 2" "rm 1" "undo" \
	"import $D/missing.md" "import $D/bad.json" "note 1 text" \
	"metric log 1 cost 3" "paper link k 1" "export --format md" \
	"publish $D/site" "metric set 1 cost unit=u" "metric rm 1 cost" \
	"paper rm k" "predict set 1 p=0.5" "calibration --who alice" \
	"forecast 1" "next --limit 3"; do
	# shellcheck disable=SC2086
	untouched "failed: $c" --db "$N" $c
	same "failed: $c exits 1" "$rc" 1
done
check "no folder made for a failed command" test ! -e "$D/new"
check "publish made no folder" test ! -e "$D/site"

# A read subcommand of a writing command does not create the store.
for c in focus "metric show" "review"; do
	# shellcheck disable=SC2086
	untouched "read on a missing store: $c" --db "$N" $c
done
check "no store made by a read" test ! -e "$D/new"

# Only a write that succeeds creates the store.
ok --db "$N" add goal "First"
check "a successful first write creates the store" test -s "$N"
ok --db "$D/init.db" init
check "init creates the store" test -s "$D/init.db"

# An existing store: reads and failing commands change nothing on disk.
export CAIRN_DB="$D/cairn.db"
ok add goal "Kept"
ok add milestone "Step" --under 1
ok metric add 1 cost --baseline 10 --target 1 --lower-is-better
for c in list tree "show 1" history "export --format json" "metric show" \
	focus "papers" "lessons" "calibration" "check" "path 1" \
	"lookback" "predictions" "report driven" "portfolio" \
	"show 99" "set 99 title=x" "dep add 2 99" "rm 99" "show x" \
	"add goal X --under 99" "set 1 scope=9" "forecast 1 --trials 0" \
	"calibration --who nobody" "metric set 1 nope unit=x" \
	"metric set 1 cost target=ten" "metric rm 1 nope" "paper rm nokey" \
	"predict set 9 p=0.5" "focus set --hours-per-day 25"; do
	# shellcheck disable=SC2086
	untouched "existing store: $c" $c
done

# next reads the planning summary the store keeps (derived tables plan_*,
# see README "The store"): the first next after a write plans the stale
# goals again and saves that, changing no data (snapshot leaves the
# summary out); once it is current, next touches nothing either.
ok add milestone "Another" --under 1
nx_before=$(snapshot)
ok next
same "next after a write: the data unchanged" "$(snapshot)" "$nx_before"
check "next after a write: the summary is current" \
	[ "$(sql 'SELECT count(*) FROM plan_dirty')" = 0 ]
untouched "existing store: next on a current summary" next
untouched "existing store: next --goal 1" next --goal 1

# Arguments that are not UTF-8 are refused, naming the argument and the
# byte offset, before anything reads them.
bad=$(printf 'Caf\351')
rejects 2 add goal "$bad"
err_contains "invalid UTF-8 in argument 3 at byte offset 3"
rejects 2 note 1 "ok" "$bad"
err_contains "invalid UTF-8 in argument 4 at byte offset 3"
untouched "not UTF-8 on a missing store" --db "$D/utf.db" add goal "$bad"
same "not UTF-8 exits 2" "$rc" 2
check "no store for an argument that is not UTF-8" test ! -e "$D/utf.db"
sql_is "nothing stored as U+FFFD" \
	"SELECT count(*) FROM item WHERE title LIKE '%' || char(65533) || '%'" 0
finish
