#!/bin/sh
# lookback on a store whose journal is mostly old: 300 imported tasks and
# a few hundred edits in January, then a handful in February and March,
# undos and removals among them.  The state at --since is rebuilt walking
# back from the present through the events after it; every window here,
# open or bounded, short or reaching back before the import, must give
# the report replaying the whole journal gave (the files in
# tests/fixtures/lookback, written by that replay).
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/lookback"

# 300 tasks in 30 dotted projects, a third of them done, each after the
# one before in its project.
tasks="$TMP/tasks.json"
i=1
{
	echo "["
	while [ "$i" -le 300 ]; do
		p=$(((i - 1) / 10))
		status=pending
		[ $((i % 3)) -eq 0 ] && status=completed
		dep=
		[ $((i % 10)) -ne 1 ] &&
			dep=",\"depends\":[\"00000000-0000-4000-8000-$(printf %012d $((i - 1)))\"]"
		sep=,
		[ "$i" -eq 300 ] && sep=
		printf '{"description":"Task %d","entry":"20251201T090000Z","project":"goal%d.ms%d","status":"%s","uuid":"00000000-0000-4000-8000-%012d"%s}%s\n' \
			"$i" $((p / 5)) $((p % 5)) "$status" "$i" "$dep" "$sep"
		i=$((i + 1))
	done
	echo "]"
} >"$tasks"
export CAIRN_NOW=2026-01-02T09:00:00Z
ok import "$tasks"

# January: many edits, spread over the month, the clock going back to
# its start now and then (change times need not grow).
day=3
for id in $(seq 40 4 280); do
	export CAIRN_NOW=2026-01-$(printf %02d $((day % 28 + 1)))T10:00:00Z
	run start "$id"
	run set "$id" scope=$((id % 5 + 1))
	[ $((id % 8)) -eq 0 ] && run done "$id"
	[ $((id % 12)) -eq 0 ] && run refine $((id / 60 + 1)) "Goal statement $id"
	day=$((day + 1))
done
export CAIRN_NOW=2026-01-25T09:00:00Z
ok metric add 1 papers --baseline 0 --target 10
ok metric log 1 papers 2 --date 2026-01-20
ok predict --item 1 --by 2026-03-01 --p 0.6 "Goal 1 lands by March"
ok predict --p 0.3 "Nobody reads the survey"
ok log 45 3h --date 2026-01-21
ok resolve 2 no

# February: a few changes, an undo, a removal.
export CAIRN_NOW=2026-02-03T10:00:00Z
ok done 101
ok start 102
ok log 102 1h30m
export CAIRN_NOW=2026-02-10T11:00:00Z
ok refine 2 "A sharper goal 2"
ok metric log 1 papers 5
ok resolve 1 yes
ok drop 103 --why "superseded"
ok done 104
ok undo
ok rm 105
ok review --text "February moved"
ok log 4 45m --date 2026-01-31

# March: more, after the windows below end.
export CAIRN_NOW=2026-03-02T09:00:00Z
ok done 110
ok refine 1 "Goal 1, restated in March"
ok metric log 1 papers 7

export CAIRN_NOW=2026-03-05T09:00:00Z
n=0
while read -r name args; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	ok lookback $args
	same "lookback $args" "$out" "$(cat "$F/$name.txt")"
	# shellcheck disable=SC2086
	ok --json lookback $args
	same "lookback --json $args" "$out" "$(cat "$F/$name.json")"
done <<'WINDOWS'
open
feb --since 2026-02-01 --until 2026-02-28
feb-on --since 2026-02-01
jan --since 2026-01-01 --until 2026-01-31
mid --since 2026-01-15 --until 2026-02-10T10:30
before --since 2025-06-01 --until 2025-12-31
all --since 2025-01-01
late --since 2026-03-03
WINDOWS
same "every window" "$n" 8

finish
