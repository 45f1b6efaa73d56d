#!/bin/sh
# dep add ID PREREQ (ID builds on PREREQ), dep rm; the graph stays a DAG and
# a refused edge names the cycle; list --ready follows the edges.
. "$(dirname "$0")/lib.sh"

ok add goal G
ok add milestone Survey --under 1
ok add milestone Replicate --under 1
ok add milestone Extend --under 1
ok add milestone Paper --under 1

ok dep add 3 2
expect "#3 now builds on #2"
ok dep add '#4' '#3'
expect "#4 now builds on #3"
ok dep add 5 4
sql_is "edges" "SELECT item, prereq, created FROM edge ORDER BY id" \
	"3|2|2026-03-01T09:00:00Z
4|3|2026-03-01T09:00:00Z
5|4|2026-03-01T09:00:00Z"

ok show 3
contains "builds on
  #2     planned  Survey"
contains "needed by
  #4     planned  Extend"
ok --json show 3
json_ok "json edges" 'd["builds_on"] == [2] and d["needed_by"] == [4]'

# Only Survey is ready; finishing it frees Replicate.
ok list --ready
expect "#2 milestone planned - -    -          Survey"
ok done 2
ok list --ready
expect "#3 milestone planned - -    -          Replicate"

# A cycle is refused and named, whatever its length.
rejects 1 dep add 2 3
err_contains "#2 building on #3 would close a cycle: #2 -> #3 -> #2"
rejects 1 dep add 2 5
err_contains "cycle: #2 -> #5 -> #4 -> #3 -> #2"
rejects 1 dep add 3 3
err_contains "#3 cannot build on itself"
rejects 1 dep add 3 2
err_contains "#3 already builds on #2"
rejects 1 dep add 3 99
err_contains "#99"
rejects 1 dep add 99 3
err_contains "#99"
rejects 2 dep add x 3
err_contains "'x'"

# A diamond is fine (not a cycle).
ok dep add 5 2
sql_is "diamond" "SELECT count(*) FROM edge" 4

ok dep rm 5 2
expect "#5 no longer builds on #2"
sql_is "removed" "SELECT count(*) FROM edge WHERE item = 5 AND prereq = 2" 0
rejects 1 dep rm 5 2
err_contains "#5 does not build on #2"
rejects 1 dep rm 5 99
err_contains "#99"

# After removing 4 -> 3, the cycle 3 -> ... -> 5 -> 3 is allowed.
ok dep rm 4 3
ok dep add 3 5
expect "#3 now builds on #5"

rejects 2 dep
err_contains "missing add|rm"
rejects 2 dep link 3 2
err_contains "unknown subcommand 'link'"
rejects 2 dep add 3
err_contains "missing PREREQ"
rejects 2 dep add 3 2 1
err_contains "too many arguments"
rejects 2 dep add --both 3 2
finish
