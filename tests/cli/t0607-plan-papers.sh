#!/bin/sh
# Required papers in the plan: a paper not yet read is a step of its own
# (1/2/5 days to read, 0.5/1/3 to finish reading, 5/10/20 to finish
# replicating) that the requiring milestone, and everything below the
# requiring item, waits for; next lists it, path and forecast count it,
# and marking it read takes it out.  list --ready agrees with next.
. "$(dirname "$0")/lib.sh"

# 2026-03-02 is a Monday.
ok add goal "Compression bounds"
ok add milestone "Replicate the bound" --under 1 --estimate 10
ok add milestone "Write up" --under 1 --estimate 4
ok dep add 3 2
ok paper add "Stronger generalization bounds" --key arora2018 --year 2018
ok paper link arora2018 2

# Nothing to do but read first.
ok list --ready
expect ""
ok next
expect "-  0.50  2.33 d  read arora2018: Stronger generalization bounds  (goal #1, critical path)"
ok --json next
json_ok "json next paper" 'len(d) == 1 and abs(d[0].pop("expected") - 14 / 6) < 1e-9 and d[0] == {"id": None, "paper": "arora2018", "title": "read arora2018: Stronger generalization bounds", "status": "to-read", "goal": 1, "goal_title": "Compression bounds", "likelihood": None, "carry": 1, "score": 0.5}'

ok path 1
expect "Critical path of #1 Compression bounds
  16.33 working days expected; 3 of 3 remaining milestones and required papers on the path

  id   start  finish  effort   slack  milestone
  -        0    2.33    2.33       0  read arora2018: Stronger generalization bounds
  #2    2.33   12.33      10       0  Replicate the bound
  #3   12.33   16.33       4       0  Write up"
ok --json path 1
json_ok "json path paper" 'd["papers"] == 1 and d["remaining"] == 3 and abs(d["path"][0].pop("expected") - 14 / 6) < 1e-9 and abs(d["path"][0].pop("finish") - 14 / 6) < 1e-9 and d["path"][0] == {"id": None, "paper": "arora2018", "title": "read arora2018: Stronger generalization bounds", "start": 0, "slack": 0, "estimated": True, "outside": False}'

# The read delays the forecast: 14 days plus 1 to 5 of reading.
ok forecast 1 --start 2026-03-02 --trials 2000
contains "  2 milestones and 1 required paper to go, 1 work stream, up to 3 attempts each"
contains "Most often on the critical path:
  -      100.0%  read arora2018: Stronger generalization bounds
  #2     100.0%  Replicate the bound
  #3     100.0%  Write up"
ok --json forecast 1 --start 2026-03-02 --trials 2000
json_ok "reading delays" 'd["papers"] == 1 and 15 <= d["p50_days"] <= 19 and d["p95_days"] <= 19 and d["p50"] > "2026-03-19"'
json_ok "json critical paper" '{"id": None, "paper": "arora2018", "title": "read arora2018: Stronger generalization bounds", "index": 1} in d["critical"]'
json_ok "not unestimated" 'd["unestimated"] == []'

# Reading under way: less left; replicating: more.
ok paper set arora2018 status=reading
ok --json path 1
json_ok "reading" 'd["path"][0]["expected"] == 1.25 and d["length"] == 15.25'
ok paper set arora2018 status=replicating
ok path 1
contains "  -        0   10.83   10.83       0  replicate arora2018: Stronger generalization bounds"

# Read: gone from every view, and the milestone is ready.
ok paper set arora2018 status=read
ok list --ready
expect "#2 milestone planned - -    -          Replicate the bound"
ok next
expect "#2 0.50    10 d  Replicate the bound  (goal #1, critical path)"
ok --json path 1
json_ok "read: no paper" 'd["papers"] == 0 and d["remaining"] == 2 and d["length"] == 14'
ok --json forecast 1 --start 2026-03-02 --trials 500
json_ok "read: no delay" 'd["p50_days"] == d["p95_days"] == 14 and d["p50"] == "2026-03-19"'

# A paper the goal requires holds back all its work; one paper is one
# step however many wait for it.
ok paper add "Non-vacuous bounds" --key zhou2019
ok paper link zhou2019 1
ok paper link zhou2019 3
ok list --ready
expect ""
ok --json path 1
json_ok "one step for the goal's paper" 'd["papers"] == 1 and d["remaining"] == 3 and [s.get("paper") for s in d["path"]] == ["zhou2019", None, None]'
ok paper set zhou2019 status=replication-failed
ok list --ready
expect "#2 milestone planned - -    -          Replicate the bound"

# list --ready and next agree: dropped prerequisites are settled, an open
# question below a milestone does not hold it back, a milestone below
# one does.
ok add goal "Agreement"
ok add milestone "To drop" --under 4 --estimate 1
ok add milestone "After the dropped one" --under 4 --estimate 1
ok dep add 6 5
ok drop 5 --why "superseded"
ok add milestone "With a question" --under 4 --estimate 1
ok add question "Does it scale?" --under 7
ok add milestone "Broken down" --under 4 --estimate 1
ok add question "Which way?" --under 9
ok add milestone "Part" --under 10 --estimate 1
ok list --ready
ready=$(printf '%s\n' "$out" | sed -n 's/^#\([0-9]*\) .*/\1/p' | sort -n | tr '\n' ' ')
same "list --ready" "$ready" "2 6 7 11 "
ok next --limit 100
nxt=$(printf '%s\n' "$out" | sed -n 's/^#\([0-9]*\) .*/\1/p' | sort -n | tr '\n' ' ')
same "next agrees with list --ready" "$nxt" "$ready"
finish
