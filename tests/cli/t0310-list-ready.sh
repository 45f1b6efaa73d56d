#!/bin/sh
# list --ready on deep chains: a 40-level breakdown, a 60-long builds-on
# chain, edges into a part of the item itself, settled prerequisites far
# above, a required paper on an ancestor.  The ids listed are worked out
# by hand from the rule (query.c).
. "$(dirname "$0")/lib.sh"

ids() {
	printf '%s\n' "$out" | sed -n 's/^#\([0-9]*\) .*/\1/p' | tr '\n' ' '
}

# #1 goal; #2..#41 milestones, each under the one before: only the
# deepest (#41) has no open milestone below it.
ok add goal "Deep"
parent=1
i=2
while [ "$i" -le 41 ]; do
	ok add milestone "Level $i" --under "$parent"
	parent=$i
	i=$((i + 1))
done
ok list --ready
same "only the bottom of a deep breakdown" "$(ids)" "41 "

# #42 goal; #43..#102 a builds-on chain, each on the one before: only
# the first is ready, and closing it frees the second.
ok add goal "Chain"
i=43
while [ "$i" -le 102 ]; do
	ok add milestone "Step $i" --under 42
	[ "$i" -gt 43 ] && ok dep add "$i" $((i - 1))
	i=$((i + 1))
done
ok list --ready
same "the head of a long chain" "$(ids)" "41 43 "
ok done 43
ok list --ready
same "closing the head frees the next" "$(ids)" "41 44 "

# A prerequisite below a done item is settled with it, however deep:
# #104..#108 nested under #103, #109 builds on the deepest, #103 done.
ok add milestone "Settled top" --under 42
i=104
parent=103
while [ "$i" -le 108 ]; do
	ok add question "Part $i" --under "$parent"
	parent=$i
	i=$((i + 1))
done
ok add milestone "Waits on a settled part" --under 42
ok dep add 109 108
ok list --ready
same "open part of an open top holds it back" "$(ids)" "41 44 103 "
ok done 103
ok list --ready
same "part of a done item is settled" "$(ids)" "41 44 109 "

# An edge from an ancestor into a part of itself does not hold the part
# back: #110 has #111 below, and builds on #112 below #111.
ok add question "Whole" --under 42
ok add question "Middle" --under 110
ok add milestone "Part" --under 111
ok dep add 110 112
ok list --ready
same "the whole waits for its part" "$(ids)" "41 44 109 112 "

# An unread paper required by an ancestor holds back everything below.
ok paper add "Deep prior work" --key deep2020
ok paper link deep2020 20
ok list --ready
same "a paper far above" "$(ids)" "44 109 112 "
ok paper set deep2020 status=read
ok list --ready
same "read, it holds nothing" "$(ids)" "41 44 109 112 "

# A dropped ancestor removes its subtree; a dropped milestone below
# frees the one above.
ok drop 41 --why "too deep"
ok list --ready
same "a dropped bottom frees the level above" "$(ids)" "40 44 109 112 "
ok drop 30 --why "cut"
ok list --ready
same "below a dropped item nothing is ready" "$(ids)" "29 44 109 112 "

# Sparse ids (most of the range removed) take the other way of finding an
# item by id: 400 imported tasks, then their project removed.
i=1
{
	echo "["
	while [ "$i" -le 400 ]; do
		sep=,
		[ "$i" -eq 400 ] && sep=
		printf '{"description":"Bulk %d","entry":"20260101T090000Z","project":"bulk","status":"pending","uuid":"00000000-0000-4000-9000-%012d"}%s\n' \
			"$i" "$i" "$sep"
		i=$((i + 1))
	done
	echo "]"
} >"$TMP/bulk.json"
ok import "$TMP/bulk.json"
ok list --ready
same "400 more ready" "$(ids | wc -w)" 404
bulk=$("$CAIRN" list --kind goal | sed -n 's/^#\([0-9]*\) .*bulk$/\1/p')
ok rm "$bulk" --force
ok add milestone "After the gap" --under 42
last=$(printf '%s\n' "$out" | sed -n 's/.*#\([0-9]*\).*/\1/p')
check "ids are sparse" [ "$last" -gt 500 ]
ok list --ready
same "sparse ids" "$(ids)" "29 44 109 112 $last "

finish
