#!/bin/sh
# next: ready milestones (own and parents' prerequisites done, nothing open
# below), ranked by the goal's likelihood times the share of the goal's
# critical path through them; --limit, --goal, --json.
. "$(dirname "$0")/lib.sh"

ok add goal "Cheap pre-training" --likelihood 0.9
ok add goal "Quantum MNIST" --likelihood 0.3
ok add milestone "Read the papers" --under 1 --estimate 5
ok add milestone "Replicate baseline" --under 1 --estimate 20
ok add milestone "Side study" --under 1 --estimate 2
ok add milestone "Final run" --under 1 --estimate 10
ok dep add 4 3
ok dep add 6 4
ok dep add 6 5
ok add milestone Simulator --under 2 --estimate 10
ok add milestone Orphan --estimate 1

# Goal 1's path is 3, 4, 6 (35 days); 5 has 23 days of slack, so it
# carries (35 - 23) / 35 of the path: 0.9 * 12/35 = 0.31.
ok next
expect "#3 0.90     5 d  Read the papers  (goal #1, critical path)
#5 0.31     2 d  Side study  (goal #1, slack 23 d)
#7 0.30    10 d  Simulator  (goal #2, critical path)
#8 0.00     1 d  Orphan  (no goal)"

ok next --limit 1
expect "#3 0.90     5 d  Read the papers  (goal #1, critical path)"
ok next --goal 2
expect "#7 0.30    10 d  Simulator  (goal #2, critical path)"
ok next --goal '#1' --limit 5
lacks Simulator
lacks Orphan

ok --json next
json_ok "json listing" '[x["id"] for x in d] == [3, 5, 7, 8]'
json_ok "json fields" 'd[0]["goal"] == 1 and d[0]["score"] == 0.9 and d[0]["carry"] == 1 and d[0]["expected"] == 5 and d[0]["status"] == "planned"'
json_ok "json no goal" 'd[3]["goal"] is None and d[3]["score"] == 0'

# Finishing a prerequisite frees what builds on it; paused and done
# milestones are not next.
ok done 3
ok pause 5
ok next
expect "#4 0.90    20 d  Replicate baseline  (goal #1, critical path)
#7 0.30    10 d  Simulator  (goal #2, critical path)
#8 0.00     1 d  Orphan  (no goal)"

# A milestone waits for its parent's prerequisites; a broken-down one is
# done through its pieces, which are next instead of it.
ok add milestone "Big run" --under 2 --estimate 30
ok add milestone "Data" --under 9 --estimate 3
ok add milestone "Training" --under 9 --estimate 8
ok dep add 9 7
ok next --goal 2
expect "#7 0.30    10 d  Simulator  (goal #2, critical path)"
ok done 7
ok next --goal 2
expect "#11 0.30     8 d  Training  (goal #2, critical path)
#10 0.11     3 d  Data  (goal #2, slack 5 d)"

# A dropped prerequisite no longer blocks.
ok add milestone "After orphan" --estimate 2
ok dep add 12 8
ok next
lacks "After orphan"
ok drop 8 --why "not needed"
ok next
contains "#12 0.00     2 d  After orphan  (no goal)"

# An unset likelihood counts 0.5.
ok add goal "Unranked"
ok add milestone "Unranked work" --under 13 --estimate 1
ok next --goal 13
expect "#14 0.50     1 d  Unranked work  (goal #13, critical path)"

# Nothing ready.
ok add goal Empty
ok next --goal 15
expect "nothing is ready: every open milestone waits for something"
ok --json next --goal 15
expect "[]"

fails 1 next --goal 99
err_contains "no item #99"
fails 2 next --limit 0
fails 2 next extra
finish
