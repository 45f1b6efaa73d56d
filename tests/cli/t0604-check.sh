#!/bin/sh
# check: one line per finding (item, rule, what is wrong, how to fix it),
# exit 0 when clean and 1 with findings; --json; rules switched off and on
# with --off/--on (the store setting check.RULE).
. "$(dirname "$0")/lib.sh"

ok add goal "Compression with guarantees" --driven goal
# no-metric and wip have their own test (t0607); off here, so that the
# findings below stay about the other rules.
ok check --off no-metric
ok add milestone "Read the pruning literature" --under 1 --estimate 3 \
	--scope 1
ok add milestone "Provable pruning" --under 1 --estimate 10/20/40 \
	--scope 3 --p-success 0.5
ok dep add 3 2
ok start 3
ok check
expect "no findings"
ok --json check
expect "[]"

# Each rule in turn.
ok add milestone "Side quest" --estimate 2
ok add milestone "Small follow-up" --under 1 --estimate 1 --scope 1 \
	--p-success 0.9
ok dep add 5 3
ok add goal "Quantum MNIST" --driven idea
ok add milestone "Simulator" --under 6 --p-success 0.8
ok add milestone "Circuit" --under 6 --estimate 5 --p-success 0.9
ok add milestone "Training" --under 6 --estimate 5 --p-success 0.95
ok add goal "Story games" --driven idea
ok add milestone "Survey of story generators" --under 10 --estimate 4
CAIRN_NOW=2026-04-15T09:00:00Z run check
check "exit 1 with findings" [ "$rc" -eq 1 ]
check "nothing on stderr" [ -z "$err" ]
expect "#4 feeds-no-goal: milestone feeds no long-term goal (a side project?); fix: put it under a goal (cairn mv 4 --under GOAL) or let a goal's milestone build on it (cairn dep add ID 4)
#5 scope-shrinks: scope 1 is smaller than the 3 of #3, which it builds on; fix: widen it (cairn set 5 scope=3) or check that it really builds on #3
#6 no-prior-work: goal has no prior-work milestone or required paper (reading, or replicating a paper on the way to the state of the art); fix: add one first: cairn add milestone 'Replicate ...' --under 6 --tag prior-work, or cairn paper link KEY 6
#7 no-estimate: milestone has no estimate (forecasts assume 5/10/20 days); fix: cairn set 7 estimate=O/M/P (working days)
#6 portfolio: all 3 rated milestones are safe bets (p_success >= 0.75): nothing novel at stake; fix: add a bolder milestone, or check the chances (cairn portfolio --goal 6)
- idea-driven: 2 of 3 open goals are idea-driven (67%, more than 50%); fix: tie some ideas to a long-term goal they serve, or set check.idea-driven.max higher
#3 stale: active but unchanged for 45 days (since 2026-03-01); fix: note where it stands (cairn note 3 ...) or pause it (cairn pause 3)"

CAIRN_NOW=2026-04-15T09:00:00Z run --json check
check "json exit 1" [ "$rc" -eq 1 ]
json_ok "json findings" '[(f["id"], f["rule"]) for f in d] == [(4, "feeds-no-goal"), (5, "scope-shrinks"), (6, "no-prior-work"), (7, "no-estimate"), (6, "portfolio"), (None, "idea-driven"), (3, "stale")]'
json_ok "json fields" 'set(d[0]) == {"id", "rule", "message", "hint"}'

# Fixing things clears them: a goal's milestone builds on the side quest;
# a tagged milestone is prior work; a note is activity.
ok dep add 2 4
ok add milestone "Replicate a VQC classifier" --under 6 --estimate 5 \
	--p-success 0.5
ok tag 7 +prior-work
ok set 7 estimate=2/3/5
CAIRN_NOW=2026-04-15T09:00:00Z ok note 3 "halfway through the proof"
CAIRN_NOW=2026-04-16T09:00:00Z run check
expect "#5 scope-shrinks: scope 1 is smaller than the 3 of #3, which it builds on; fix: widen it (cairn set 5 scope=3) or check that it really builds on #3
- idea-driven: 2 of 3 open goals are idea-driven (67%, more than 50%); fix: tie some ideas to a long-term goal they serve, or set check.idea-driven.max higher"

# Rules off and on again.
ok check --off idea-driven
expect "rule idea-driven is off"
sql_is "setting" "SELECT value FROM setting WHERE key = 'check.idea-driven'" \
	off
ok check --off scope-shrinks
ok check
expect "no findings"
ok check --on scope-shrinks
expect "rule scope-shrinks is on"
run check
check "back on" [ "$rc" -eq 1 ]
contains "#5 scope-shrinks"
lacks idea-driven
ok set 5 scope=3
ok check

# A long shot portfolio, and a stale limit from the settings.
ok add goal "Moonshot"
ok add milestone "Read the theory" --under 13 --estimate 2 --p-success 0.2
ok add milestone "Prove it" --under 13 --estimate 2 --p-success 0.1
ok add milestone "Build it" --under 13 --estimate 2 --p-success 0.3
run check
expect "#13 portfolio: all 3 rated milestones are long shots (p_success < 0.4): likely to end with nothing; fix: add a safe milestone that secures a result on the way (cairn portfolio --goal 13)"
ok check --off portfolio
ok start 14
CAIRN_NOW=2026-03-20T09:00:00Z ok check
sql "INSERT INTO change(time, actor, label) VALUES('2026-03-01T09:00:00Z', 'tester', 'stale limit'); INSERT INTO setting(key, value) VALUES('check.stale.days', '7')"
CAIRN_NOW=2026-03-20T09:00:00Z run check
expect "#14 stale: active but unchanged for 19 days (since 2026-03-01); fix: note where it stands (cairn note 14 ...) or pause it (cairn pause 14)"
sql "UPDATE setting SET value = 'soon' WHERE key = 'check.stale.days'"
fails 1 check
err_contains "setting check.stale.days must be a number of days, not 'soon'"

# A cycle through a parent's prerequisite: Shared builds on Part, whose
# parent Whole builds on Shared.
ok check --off stale
ok add goal "Cycle"
ok add milestone Shared --under 17 --estimate 1
ok add milestone Whole --under 17
ok add milestone Part --under 19 --estimate 1
ok dep add 18 20
ok dep add 19 18
run check
check "cycle exit 1" [ "$rc" -eq 1 ]
contains "cycle: prerequisites go round: #"
contains "(counting what their parents build on); fix: remove one builds-on edge"
json_cycle=$(printf '%s\n' "$out" | grep -c "^#1[89] cycle:\|^#20 cycle:")
check "the cycle is named" [ "$json_cycle" -eq 1 ]

fails 2 check --off nonsense
err_contains "no rule 'nonsense' (rules: cycle, feeds-no-goal, scope-shrinks, no-prior-work, no-metric, no-estimate, portfolio, idea-driven, wip, stale)"
fails 2 check extra
fails 2 check --off stale --on stale
finish
