#!/bin/sh
# list: filters (--kind --status --tag --under), --sort with '-', --all,
# --ready, the ls alias and --json.
. "$(dirname "$0")/lib.sh"

ids() {
	# The ids of the listed rows, in order, on one line.
	printf '%s\n' "$out" | sed -n 's/^#\([0-9]*\) .*/\1/p' | tr '\n' ' '
}

ok add goal "Compression" --likelihood 0.9 --tag theory
ok add goal "Story games" --likelihood 0.4
ok add milestone "Survey" --under 1 --scope 1 --p-success 0.95 --due 2026-04-01 --tag reading
ok add milestone "Bound" --under 1 --scope 3 --p-success 0.5 --due 2026-09-01 --novelty 4 --tag theory
ok add milestone "Method" --under 4 --scope 4 --p-success 0.4
ok add question "Quantization?" --under 1
ok add idea "Regulariser"
ok add milestone "Plot planner" --under 2 --scope 2 --due 2026-05-01
ok add milestone "Old survey" --under 1
ok done 9
ok add milestone "Abandoned" --under 2
ok drop 10 --why "no time"
ok dep add 4 3

ok list
expect "#1  goal      planned - -    -          Compression
#2  goal      planned - -    -          Story games
#3  milestone planned 1 0.95 2026-04-01 Survey
#4  milestone planned 3 0.5  2026-09-01 Bound
#5  milestone planned 4 0.4  -          Method
#6  question  planned - -    -          Quantization?
#7  idea      idea    - -    -          Regulariser
#8  milestone planned 2 -    2026-05-01 Plot planner"
plain=$out
ok ls
same "ls is list" "$out" "$plain"

ok list --all
check "--all adds done and dropped" [ "$(ids)" = "1 2 3 4 5 6 7 8 9 10 " ]
contains "#9  milestone done    - -    -          Old survey"
contains "#10 milestone dropped - -    -          Abandoned"

ok list --kind milestone
same "--kind" "$(ids)" "3 4 5 8 "
ok list --kind goal
same "--kind goal" "$(ids)" "1 2 "
ok list --kind idea
same "--kind idea" "$(ids)" "7 "
ok list --status done
same "--status shows done without --all" "$(ids)" "9 "
ok list --status dropped
same "--status dropped" "$(ids)" "10 "
ok list --status idea
same "--status idea" "$(ids)" "7 "
ok list --tag theory
same "--tag" "$(ids)" "1 4 "
ok list --tag nothing
same "--tag with no match" "$out" ""
ok list --under 1
same "--under is the whole subtree, not the item" "$(ids)" "3 4 5 6 "
ok list --under '#4'
same "--under #4" "$(ids)" "5 "
ok list --under 1 --all
same "--under --all" "$(ids)" "3 4 5 6 9 "
ok list --under 1 --kind milestone --tag theory
same "filters combine" "$(ids)" "4 "
ok list --ready
same "--ready" "$(ids)" "3 8 "

ok list --sort scope
same "--sort scope (unset last)" "$(ids)" "3 8 4 5 1 2 6 7 "
ok list --sort -scope
same "--sort -scope (unset still last)" "$(ids)" "5 4 8 3 1 2 6 7 "
ok list --sort due
same "--sort due" "$(ids)" "3 8 4 1 2 5 6 7 "
ok list --sort -due
same "--sort -due" "$(ids)" "4 8 3 1 2 5 6 7 "
ok list --sort title
same "--sort title" "$(ids)" "4 1 5 8 6 7 2 3 "
ok list --sort -id
same "--sort -id" "$(ids)" "8 7 6 5 4 3 2 1 "
ok list --sort p_success
same "--sort p_success" "$(ids)" "5 4 3 1 2 6 7 8 "
ok list --sort p-success
same "--sort p-success" "$(ids)" "5 4 3 1 2 6 7 8 "
ok list --sort -likelihood
same "--sort -likelihood" "$(ids)" "1 2 3 4 5 6 7 8 "
ok list --sort likelihood
same "--sort likelihood" "$(ids)" "2 1 3 4 5 6 7 8 "
ok list --sort novelty
same "--sort novelty" "$(ids)" "4 1 2 3 5 6 7 8 "
ok list --sort kind
same "--sort kind" "$(ids)" "1 2 3 4 5 8 6 7 "
ok list --sort status --all
same "--sort status" "$(ids)" "1 2 3 4 5 6 8 7 9 10 "
ok list --sort created
same "--sort created" "$(ids)" "1 2 3 4 5 6 7 8 "

ok --json list --kind milestone
json_ok "json list is an array of items" 'isinstance(d, list) and [x["id"] for x in d] == [3, 4, 5, 8]'
json_ok "json list fields" 'd[0]["kind"] == "milestone" and d[0]["title"] == "Survey" and d[0]["status"] == "planned" and d[0]["parent"] == 1 and d[0]["scope"] == 1 and d[0]["p_success"] == 0.95 and d[0]["due"] == "2026-04-01" and d[2]["parent"] == 4'
ok list --json --status dropped
json_ok "json why" 'd[0]["id"] == 10 and d[0]["why"] == "no time"'
ok list --json --tag nothing
json_ok "empty json list" 'd == []'

rejects 2 list --kind task
err_contains "unknown kind 'task'"
rejects 2 list --status finished
err_contains "unknown status 'finished'"
rejects 1 list --sort size
err_contains "cannot sort by 'size'"
rejects 1 list --under 99
err_contains "#99"
rejects 2 list --under x
err_contains "'x'"
rejects 2 list extra
err_contains "unexpected argument 'extra'"
rejects 2 list --kind
rejects 2 list --colour
finish
