#!/bin/sh
# predict, predict set, resolve, predictions and calibration:
# probabilities as shares or percentages, changing an open prediction,
# resolving once, filters, early resolutions, the scores against
# hand-computed values, JSON, and bad input.
. "$(dirname "$0")/lib.sh"

ok add goal "Compression with guarantees" --tag theory
ok add goal "Quantum MNIST"

# Predictions are made in February and resolved on 1 March (the clock).
export CAIRN_NOW=2026-02-10T09:00:00Z
ok predict --who Alice --item 1 --by 2026-04-01 --p 0.9 "Alice will like the pruning bound"
expect "prediction P1: 90% that Alice will like the pruning bound (resolve by 2026-04-01)"
ok predict --who Bob --p 80% "Bob will ask for ablations"
expect "prediction P2: 80% that Bob will ask for ablations"
ok predict --who alice --item 1 --p 0.6 "Alice will want a tighter constant"
ok predict --who Bob --item 2 --p 0.3 "Bob will back the quantum project"
ok predict --p 0.2 --by 2026-02-15 "The workshop deadline moves"
ok predict --who Alice --by 2026-02-20 --p 0.5 "Alice will be at the retreat"

export CAIRN_NOW=2026-03-01T09:00:00Z
ok resolve P1 yes --why "She wants a workshop paper"
expect "resolved P1: yes (you said 90%)"
ok resolve 2 no
ok resolve p3 yes --date 2026-02-28
ok resolve 4 no --why "Too far from the group"
ok resolve 5 yes

ok predictions
expect "P1     90%  yes  2026-03-01  Alice: #1 Alice will like the pruning bound
      why: She wants a workshop paper
P2     80%  no   2026-03-01  Bob: Bob will ask for ablations
P3     60%  yes  2026-02-28  alice: #1 Alice will want a tighter constant
P4     30%  no   2026-03-01  Bob: #2 Bob will back the quantum project
      why: Too far from the group
P5     20%  yes  2026-03-01  The workshop deadline moves
P6     50%  late 2026-02-20  Alice: Alice will be at the retreat"
ok predictions --open
expect "P6     50%  late 2026-02-20  Alice: Alice will be at the retreat"
ok predictions --overdue
contains "P6"
ok predictions --who ALICE
check "who is case-insensitive" [ "$(printf '%s\n' "$out" | grep -c '^P')" -eq 3 ]
ok predictions --tag theory
check "tag of the item" [ "$(printf '%s\n' "$out" | grep -c '^P')" -eq 2 ]

# The fixed set (0.9 yes, 0.8 no, 0.6 yes, 0.3 no, 0.2 yes):
#   Brier (0.01 + 0.64 + 0.16 + 0.09 + 0.64) / 5 = 0.308
#   log   (ln .9 + ln .2 + ln .6 + ln .7 + ln .2) / 5 = -0.838
# P1 was resolved a month before its resolve-by date.
ok calibration
expect "5 resolved predictions, 3 came true; 1 resolved before the resolve-by date
Brier score  0.308  (0 is perfect; always saying 50% scores 0.250)
log score   -0.838  (0 is perfect; always saying 50% scores -0.693)

stated      count  said  came true
20-30%          1   20%       100%
30-40%          1   30%         0%
60-70%          1   60%       100%
80-90%          1   80%         0%
90-100%         1   90%       100%"
ok --json calibration
json_ok "calibration --json fields" 'd["count"] == 5 and abs(d["brier"] - 0.308) < 1e-12 and abs(d["log_score"] + 0.8383473816461502) < 1e-12 and d["early"] == 1 and len(d["bins"]) == 5'
json_ok "bins" 'd["bins"][0] == {"lo": 0.2, "hi": 0.3, "count": 1, "yes": 1, "mean_p": 0.2, "observed": 1.0}'
ok calibration --who alice
contains "2 resolved predictions, 2 came true"
ok calibration --tag theory
contains "2 resolved predictions"
# Nobody of that name: say so, and name the people predictions are about.
rejects 1 calibration --who nobody
check "unknown person" [ "$err" = "cairn: no predictions about 'nobody'; they are about Alice, Bob" ]
rejects 1 --json calibration --who nobody
ok --json predictions --open
json_ok "predictions --json" 'd == [{"id": 6, "item": None, "who": "Alice", "statement": "Alice will be at the retreat", "p": 0.5, "created": "2026-02-10T09:00:00Z", "due": "2026-02-20", "outcome": None, "resolved": None, "why": None}]'

# Someone with open predictions only: known, nothing resolved yet.
ok predict --who Carol --p 0.4 "Carol will join the project"
ok calibration --who carol
expect "no resolved predictions about carol yet"
ok --json calibration --who Carol
json_ok "empty calibration" 'd["count"] == 0 and d["brier"] is None and d["bins"] == []'

# An open prediction can change (p, due, who, statement) in one change;
# a resolved one stays as it was said.
preds() { sql "SELECT * FROM prediction ORDER BY id"; }
before=$(preds)
ok predict set P7 p=0.55 due=2026-06-30
expect "updated P7: 55% that Carol will join the project (resolve by 2026-06-30)"
sql_is "p and due changed" "SELECT p, due, created FROM prediction WHERE id = 7" \
	"0.55|2026-06-30|2026-03-01T09:00:00Z"
ok --json predict set 7 due=none who=Dana "statement=Dana will join the project"
json_ok "set --json is the prediction" 'd["id"] == 7 and d["due"] is None and d["who"] == "Dana" and d["statement"] == "Dana will join the project" and d["p"] == 0.55 and d["outcome"] is None'
ok undo
ok undo
same "undo takes the edits back" "$(preds)" "$before"
# With --p, "set" is just the first word of a new statement.
ok predict --p 0.6 set up the lab by June
expect "prediction P8: 60% that set up the lab by June"
ok undo
rejects 1 predict set P1 p=0.5
check "resolved predictions stay" [ "$err" = "cairn: prediction P1 is already resolved (yes on 2026-03-01): it can no longer change" ]
rejects 1 predict set 9 p=0.5
err_contains "no prediction P9"
# A value that does not parse is a malformed request, refused before the
# store opens, as predict --p 1.5 is.
rejects 2 predict set 7 p=1.2
err_contains "probability '1.2' must be between 0 and 1"
rejects 2 predict set 7 due=2026-02-30
err_contains "malformed date '2026-02-30'"
rejects 2 predict set 7 statement=
err_contains "statement must not be empty"
rejects 2 predict set 7 outcome=yes
err_contains "unknown prediction field 'outcome'"
rejects 2 predict set 9 p=1.2
err_contains "probability '1.2' must be between 0 and 1"
rejects 2 predict set x9 p=0.5
err_contains "malformed prediction id 'x9'"
rejects 2 predict set
err_contains "missing PID"
rejects 2 predict set 7
err_contains "missing FIELD=VALUE"
rejects 2 predict set 7 p
rejects 2 predict --who Carol set 7 p=0.5

# Bad input.
rejects 2 predict --p 1.5 "Too sure"
err_contains "cairn predict: probability '1.5' must be between 0 and 1 (or 0% and 100%) (usage: cairn predict "
rejects 2 predict --p -0.2 "Negative"
rejects 2 predict --p 101% "Over"
rejects 2 predict --p likely "Words"
rejects 2 predict --p 0.5 --by 2026-13-01 "Bad date"
err_contains "malformed date '2026-13-01'"
rejects 1 predict --p 0.5 --item 9 "No item"
rejects 1 resolve 1 no
check "resolving twice" [ "$err" = "cairn: prediction P1 is already resolved (yes on 2026-03-01)" ]
rejects 1 resolve 9 yes
err_contains "no prediction P9"
rejects 2 resolve 6 maybe
err_contains "outcome 'maybe' must be yes or no"
rejects 1 resolve 6 yes --date 2026-03-05
err_contains "is in the future"
rejects 1 resolve 6 yes --date 2026-02-01
check "resolved before made" [ "$err" = "cairn: resolution date '2026-02-01' is before prediction P6 was made (2026-02-10)" ]
rejects 2 resolve x6 yes
rejects 2 predict "No probability"
err_contains "missing --p P"
rejects 2 predict --p 0.5
err_contains "missing STATEMENT"
rejects 2 resolve 6
rejects 2 predictions extra
rejects 2 calibration --open
finish
