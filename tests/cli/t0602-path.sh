#!/bin/sh
# path GOAL: the critical path by expected (PERT mean) effort, each step
# with its effort, start, finish and slack; milestones off the path with
# their slack; prerequisites outside the goal and parents' prerequisites
# count.
. "$(dirname "$0")/lib.sh"

ok add goal "Compression bounds"
ok add milestone "Read the PAC-Bayes papers" --under 1 --estimate 2/5/8
ok add milestone "Replicate the bound" --under 1 --estimate 10/20/30
ok add milestone "Side experiment" --under 1 --estimate 2
ok add milestone "Tighter bound" --under 1 --estimate 5/10/45
ok dep add 3 2
ok dep add 5 3
ok dep add 5 4

ok path 1
expect "Critical path of #1 Compression bounds
  40 working days expected; 3 of 4 remaining milestones on the path

  id   start  finish  effort   slack  milestone
  #2       0       5       5       0  Read the PAC-Bayes papers
  #3       5      25      20       0  Replicate the bound
  #5      25      40      15       0  Tighter bound

Off the path:
  #4       0       2       2      23  Side experiment"

ok --json path 1
json_ok "json path" '[s["id"] for s in d["path"]] == [2, 3, 5] and d["length"] == 40 and d["remaining"] == 4'
json_ok "json step" 'd["path"][2] == {"id": 5, "title": "Tighter bound", "expected": 15, "start": 25, "finish": 40, "slack": 0, "estimated": True, "outside": False}'
json_ok "json others" '[(s["id"], s["slack"]) for s in d["others"]] == [(4, 23)]'

# Done work drops out; a prerequisite outside the goal counts, and so do
# a parent's prerequisites (Write up waits for what Phase two builds on);
# no estimate means 5/10/20 (mean 10.83).
ok done 2
ok add goal "Other goal"
ok add milestone "Shared tooling" --under 6 --estimate 40
ok add milestone "Phase two" --under 1 --estimate 99
ok add milestone "Write up" --under 8 --estimate 4
ok add milestone "Polish" --under 1
ok dep add 8 7
ok dep add 8 5
ok path 1
expect "Critical path of #1 Compression bounds
  44 working days expected; 2 of 6 remaining milestones on the path

  id    start  finish  effort   slack  milestone
  #7        0      40      40       0  Shared tooling (outside the goal)
  #9       40      44       4       0  Write up

Off the path:
  #3        0      20      20       5  Replicate the bound
  #5       20      35      15       5  Tighter bound
  #4        0       2       2      23  Side experiment
  #10       0   10.83   10.83   33.17  Polish (no estimate)"
ok --json path '#1'
json_ok "outside flag" 'd["path"][0]["outside"] and not d["path"][1]["outside"]'
json_ok "estimated flag" 'not d["others"][3]["estimated"]'

# A goal with nothing left says so and succeeds.
ok add goal "Done goal"
ok add milestone "Only step" --under 11 --estimate 1
ok done 12
ok path 11
expect "#11 Done goal has no remaining work"
ok --json path 11
json_ok "json empty" 'd["remaining"] == 0 and d["path"] == []'

fails 1 path 99
err_contains "no item #99"
fails 2 path
fails 2 path 1 2
fails 2 path x1
finish
