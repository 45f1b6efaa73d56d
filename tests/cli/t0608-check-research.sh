#!/bin/sh
# check rules over the research entities: wip (more items active than the
# focus setting's WIP limit), no-metric (an open goal with no metric, on
# it or on a goal below it), no-prior-work satisfied by a required paper;
# each switched off and on again.
. "$(dirname "$0")/lib.sh"

ok add goal "Compression with guarantees"
# no-prior-work is on again at the end.
ok check --off no-prior-work
ok add milestone "Read the pruning literature" --under 1 --estimate 3
ok add milestone "Provable pruning" --under 1 --estimate 10/20/40
ok dep add 3 2
run check
check "no-metric is a finding: exit 1" [ "$rc" -eq 1 ]
expect "#1 no-metric: goal has no metric (a key result that shows how far it has come); fix: cairn metric add 1 NAME --unit U --baseline B --target T"
ok metric add 1 "bits per weight" --unit bits --baseline 32 --target 4 \
	--lower-is-better
ok check
expect "no findings"

# A sub-goal's metric measures its parent; a milestone's does not.
ok add goal "Tighter bounds" --under 1
ok add goal "BERT for under \$100"
ok add milestone "Reproduce the cost" --under 5 --estimate 5 --tag prior-work
ok metric add 6 "GLUE" --baseline 70 --target 80
run check
expect "#4 no-metric: goal has no metric (a key result that shows how far it has come); fix: cairn metric add 4 NAME --unit U --baseline B --target T
#5 no-metric: goal has no metric (a key result that shows how far it has come); fix: cairn metric add 5 NAME --unit U --baseline B --target T"
ok metric add 4 "gap" --baseline 1 --target 0.1 --lower-is-better
ok metric add 5 "cost" --unit '$' --baseline 7000 --target 100 \
	--lower-is-better
ok check
expect "no findings"
ok --json check
expect "[]"

# WIP: three active items are the default limit; a fourth is one too
# many (an active idea does not count).
ok start 2 3 6
ok add idea "Cost leaderboard"
ok start 7
ok check
ok add milestone "Side experiment" --under 1 --estimate 1
ok start 8
run check
check "wip: exit 1" [ "$rc" -eq 1 ]
expect "- wip: 4 items are active (#2, #3, #6, #8), more than the WIP limit of 3; fix: finish or pause some (cairn pause ID), or raise the limit (cairn focus set MAIN_ID --wip N)"
run --json check
json_ok "json wip" 'd == [{"id": None, "rule": "wip", "message": "4 items are active (#2, #3, #6, #8), more than the WIP limit of 3", "hint": "finish or pause some (cairn pause ID), or raise the limit (cairn focus set MAIN_ID --wip N)"}]'
# The limit is the focus setting's.
ok focus set 1 --wip 4
ok check
ok focus set 1 --wip 2
run check
expect "- wip: 4 items are active (#2, #3, #6, #8), more than the WIP limit of 2; fix: finish or pause some (cairn pause ID), or raise the limit (cairn focus set 1 --wip 4)"
ok pause 8
run check
expect "- wip: 3 items are active (#2, #3, #6), more than the WIP limit of 2; fix: finish or pause some (cairn pause ID), or raise the limit (cairn focus set 1 --wip 3)"
ok done 2
ok check

# Off and on again.
ok start 8
ok check --off wip
expect "rule wip is off"
sql_is "wip setting" "SELECT value FROM setting WHERE key = 'check.wip'" off
ok check
ok add goal "Story games"
ok add milestone "Survey of story generators" --under 9 --estimate 4
run check
expect "#9 no-metric: goal has no metric (a key result that shows how far it has come); fix: cairn metric add 9 NAME --unit U --baseline B --target T"
ok check --off no-metric
ok check
expect "no findings"
ok check --on wip
expect "rule wip is on"
run check
check "wip back on" [ "$rc" -eq 1 ]
contains "- wip: "
lacks "no-metric"
ok check --off wip

# A required paper is prior work, as a tagged or titled milestone is.
ok check --on no-prior-work
ok add goal "Quantum MNIST"
ok add milestone "Simulator" --under 11 --estimate 5
run check
contains "#11 no-prior-work: goal has no prior-work milestone or required paper (reading, or replicating a paper on the way to the state of the art); fix: add one first: cairn add milestone 'Replicate ...' --under 11 --tag prior-work, or cairn paper link KEY 11"
lacks "#5 no-prior-work"
ok paper add "Quantum machine learning" --key biamonte2017
ok paper link biamonte2017 12
run check
lacks "#11 no-prior-work"
# Read or not, it counts: the reading is prior work on the way; so does
# a paper the goal itself requires.
ok paper set biamonte2017 status=read
run check
lacks "#11 no-prior-work"
ok paper unlink biamonte2017 12
run check
contains "#11 no-prior-work"
ok paper link biamonte2017 11
run check
lacks "#11 no-prior-work"
finish
