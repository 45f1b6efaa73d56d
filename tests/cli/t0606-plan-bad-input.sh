#!/bin/sh
# Bad input to the planning commands: an unknown goal, a goal with no
# remaining work (said, exit 0), a cycle (named), trials <= 0 or absurdly
# many (capped with a message), malformed estimates and options.  Each
# error is one line on stderr with the store unchanged: exit 1 for a
# well-formed request that fails, 2 for a malformed option value.
. "$(dirname "$0")/lib.sh"

ok add goal "Domain adaptation for low-resource MT"
ok add milestone "Replicate the back-translation baseline" --under 1 \
	--estimate 5/10/20

for cmd in forecast path; do
	rejects 1 $cmd 42
	err_contains "no item #42"
	rejects 2 $cmd '#x'
	rejects 2 $cmd
done
rejects 1 next --goal 42

# Nothing left to do: said plainly, exit 0.
ok add goal "Finished goal"
ok add milestone "The only step" --under 3 --estimate 1
ok done 4
ok forecast 3
expect "#3 Finished goal has no remaining work: nothing to forecast"
ok --json forecast 3
json_ok "json no work" 'd == {"goal": 3, "title": "Finished goal", "remaining": 0}'
ok add goal "Empty goal"
ok forecast 5
expect "#5 Empty goal has no remaining work: nothing to forecast"
ok path 5
expect "#5 Empty goal has no remaining work"
ok done 3
ok forecast 3
contains "no remaining work"

# A cycle through a parent's prerequisite is named.
ok add milestone Shared --under 1 --estimate 1
ok add milestone Whole --under 1
ok add milestone Part --under 7 --estimate 1
ok dep add 6 8
ok dep add 7 6
for cmd in "forecast 1" "path 1" "next"; do
	rejects 1 $cmd
	case "$err" in
	"cairn: cycle: #6 -> #8 -> #6 (counting what their parents build on)" | \
		"cairn: cycle: #8 -> #6 -> #8 (counting what their parents build on)")
		pass ;;
	*) fail "cycle not named: $cmd" ;;
	esac
done
# Building on one's own goal is a cycle too: refused when the edge is
# made, so the planner never sees it.
ok dep rm 7 6
rejects 1 dep add 6 1
err_contains "#6 cannot build on #1: it is part of #1"

# Trials: at least 1, a whole number; too many are capped, with a message.
for t in 0 -5 abc 1.5 ""; do
	rejects 2 forecast 1 --trials "$t"
	err_contains "--trials"
done
ok --json forecast 1 --trials 99999999999
err_contains "warning: trials capped at 10000000 (asked for 99999999999)"
json_ok "capped" 'd["trials"] == 10000000'
# Past 2^64 it is not a number cairn can read.
rejects 2 forecast 1 --trials 99999999999999999999999
err_contains "--trials must be a whole number"

# Other options.
rejects 2 forecast 1 --threads 0
err_contains "--threads must be a whole number from 1 to 256, not '0'"
rejects 2 forecast 1 --threads 100000
rejects 2 forecast 1 --capacity 0
rejects 2 forecast 1 --max-attempts 0
rejects 2 forecast 1 --max-attempts many
err_contains "--max-attempts must be a whole number from 1 to 100, not 'many'"
rejects 2 forecast 1 --days-per-week 8
rejects 2 forecast 1 --seed -1
# Seeds are exact up to 2^53 (read by the one number parser, as doubles).
ok forecast 1 --trials 10 --seed 9007199254740992
rejects 2 forecast 1 --seed 9007199254740993
err_contains "--seed must be a whole number from 0 to 9007199254740992"
rejects 2 forecast 1 --seed 1e3
rejects 2 next --limit 0x10
rejects 2 forecast 1 --share 0
rejects 2 forecast 1 --share 1.5
rejects 2 forecast 1 --start 2026-02-30
rejects 2 forecast 1 --bogus
rejects 2 forecast 1 2

# A malformed estimate never reaches the store.
rejects 2 add milestone Bad --under 1 --estimate 10/5/20
err_contains "estimate '10/5/20' must be optimistic <= likely <= pessimistic"
rejects 2 set 2 estimate=10/5/20
rejects 2 set 2 estimate=ten
err_contains "malformed estimate 'ten'"
finish
