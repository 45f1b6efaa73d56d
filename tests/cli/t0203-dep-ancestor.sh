#!/bin/sh
# An item cannot build on something it is part of: it could never start.
# Refused by dep add, and by a move that would create the same situation.
. "$(dirname "$0")/lib.sh"

ok add goal "Goal"
ok add milestone "Part" --under 1
ok add milestone "Deeper part" --under 2
ok add milestone "Loose"

rejects 1 dep add 3 1
err_contains "#3 cannot build on #1: it is part of #1"
rejects 1 dep add 2 1
err_contains "#2 cannot build on #1: it is part of #1"
check "no edge was made" [ "$(sql 'SELECT count(*) FROM edge')" = 0 ]

# The other way round is fine: the goal is done when its part is.
ok dep add 1 3

ok dep add 4 1
rejects 1 mv 4 --under 2
err_contains "cannot move #4 under #2: #4 builds on #1"
check "parent unchanged" [ "$(sql 'SELECT parent IS NULL FROM item WHERE id = 4')" = 1 ]
ok dep rm 4 1
ok mv 4 --under 2
finish
