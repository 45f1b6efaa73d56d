#!/bin/sh
# log, focus and report driven: durations, the focus setting, time on the
# main project against exploration and the rest, the WIP warning, the
# attention forecast, the goal-/idea-driven split, JSON, and bad input
# (a duration like 3x, bad and future dates) leaving the store alone.
. "$(dirname "$0")/lib.sh"

ok add goal "Compression with guarantees" --likelihood 0.9 --driven goal
ok add milestone "Replicate the pruning baseline" --under 1 --status active
ok add goal "BERT for under \$100" --likelihood 0.6 --driven goal
ok add milestone "Reproduce the cost" --under 3 --status active
ok add goal "Quantum MNIST" --likelihood 0.2 --driven idea --tag explore
ok add idea "Cost leaderboard"
ok add milestone "Side project" --status active

ok log 2 3h --date 2026-02-20
expect "logged 3h on #2 (2026-02-20)"
ok log 2 2h30m --date 2026-02-27 --note "first run"
expect "logged 2h30m on #2 (2026-02-27)"
ok log 4 90m
expect "logged 1h30m on #4 (2026-03-01)"
ok log 5 1.5h --date yesterday
ok log 6 30m
ok log 7 45m --date -3d
expect "logged 45m on #7 (2026-02-26)"
ok log 2 8h --date 2026-01-10
sql_is "entries" "SELECT group_concat(minutes, ' ') FROM time_entry" "180 150 90 90 30 45 480"
sql_is "note" "SELECT note FROM time_entry WHERE id = 2" "first run"

ok focus
expect "Focus from 2026-02-02 to 2026-03-01 (4 weeks): 9h45m logged
No main project set (cairn focus set ID).

  main project         0m     0%  (target 0%)
  exploration          2h  20.5%  (target 20%)
  the rest          7h45m  79.5%  (target 80%)

3 active items, WIP limit 3

Attention forecast: stated likelihood against share of time on goals
  likelihood  expected  actual      time  goal
         0.9     52.9%   64.7%     5h30m  #1 Compression with guarantees
         0.6     35.3%   17.6%     1h30m  #3 BERT for under \$100
         0.2     11.8%   17.6%     1h30m  #5 Quantum MNIST
  (1h15m on items under no goal)
Ranking against time (Spearman): 0.87, your ranking predicted your attention well"

ok focus set 1 --explore 25% --wip 2
expect "focus on #1"
sql_is "focus settings" "SELECT group_concat(key || '=' || value, ' ') FROM setting" "focus.main=1 focus.explore=0.25 focus.wip=2"
ok focus
contains "Main project: #1 Compression with guarantees

  main project      5h30m  56.4%  (target 75%)
  exploration          2h  20.5%  (target 25%)
  the rest          2h15m  23.1%  (target 0%)

3 active items, WIP limit 2
warning: 3 items are active, more than the WIP limit of 2: finish or pause some"
ok focus --weeks 8
contains "Focus from 2026-01-05 to 2026-03-01 (8 weeks): 17h45m logged"
ok --json focus
json_ok "focus --json" 'd["main"] == 1 and d["minutes"] == 585 and d["main_minutes"] == 330 and d["explore_minutes"] == 120 and d["rest_minutes"] == 135 and d["wip"] == 2 and d["active"] == 3 and d["over_wip"] is True and d["explore_target"] == 0.25'
json_ok "attention forecast" '[(g["id"], g["minutes"]) for g in d["attention"]] == [(1, 330), (3, 90), (5, 90)] and abs(d["attention"][0]["expected_share"] - 0.9 / 1.7) < 1e-9 and abs(d["spearman"] - 0.8660254) < 1e-6 and d["unassigned_minutes"] == 75'
ok focus set 1 --wip 5
sql_is "explore kept" "SELECT value FROM setting WHERE key = 'focus.explore'" 0.25
ok focus
lacks "warning"

ok report driven
expect "Goal-driven against idea-driven (time from 2026-02-02 to 2026-03-01)

                   goals        active            time
goal-driven     2  66.7%      2  66.7%       7h  71.8%
idea-driven     1  33.3%      0     0%    1h30m  15.4%
unstated        0     0%      1  33.3%    1h15m  12.8%"
ok --json report driven --weeks 8
json_ok "report --json" 'd["goal"] == {"goals": 2, "active": 2, "minutes": 900} and d["idea"]["minutes"] == 90 and d["unset"]["active"] == 1 and d["since"] == "2026-01-05"'

# The ideas inbox: ideas stay ideas until promoted.
ok list --kind idea
contains "Cost leaderboard"

# Bad input.
rejects 2 log 2 3x
err_contains "cairn log: malformed duration '3x' (want minutes or hours like 90m, 1.5h or 2h30m) (usage: cairn log "
rejects 2 log 2 90
rejects 2 log 2 0m
rejects 2 log 2 25h
err_contains "more than 24 hours"
rejects 2 log 2 1h --date 2026-02-30
err_contains "malformed date '2026-02-30'"
rejects 1 log 2 1h --date 2026-03-02
err_contains "date '2026-03-02' is in the future"
rejects 1 log 9 1h
err_contains "no item #9"
rejects 1 focus set 9
rejects 2 focus set 1 --explore 120
err_contains "--explore must be a number from 0 to 100, not '120'"
rejects 2 focus set 1 --wip 0
rejects 2 focus --weeks 0
rejects 2 report driven --weeks x
rejects 2 log 2
err_contains "missing DURATION"
rejects 2 focus set
rejects 2 focus --wip 2
rejects 2 focus set 1 --weeks 2
rejects 2 report
rejects 2 report portfolio
finish
