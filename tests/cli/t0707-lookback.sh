#!/bin/sh
# lookback over a scripted history (the clock set through CAIRN_NOW): the
# report for February matches exactly, and asking again after later
# changes, undos and removals gives the same answer, because it is derived
# from the journal, not from the current state.
. "$(dirname "$0")/lib.sh"

export CAIRN_NOW=2026-01-05T09:00:00Z
ok add goal "BERT for under \$100" --likelihood 0.75 --driven goal
ok add milestone "Read the efficient pre-training papers" --under 1
ok add milestone "Reproduce the baseline cost" --under 1
ok add milestone "Prototype a story game"
ok add goal "Quantum MNIST" --driven idea
ok metric add 1 cost --unit USD --baseline 7000 --target 100 --lower-is-better
ok metric log 1 cost 7000
ok predict --who advisor --item 1 --by 2026-03-01 --p 0.7 "The advisor will like the \$1,000 milestone"
ok predict --who advisor --p 0.4 "The advisor will back quantum MNIST"
ok predict --p 0.9 "Still open at the end"

export CAIRN_NOW=2026-02-03T10:00:00Z
ok done 2
ok start 3
ok log 3 2h

export CAIRN_NOW=2026-02-10T11:30:00Z
ok refine 1 "BERT-base GLUE accuracy for under \$100 of compute"
ok metric log 1 cost 4200 --date 2026-02-09 --note "short sequences"
ok metric log 1 cost 3500
ok resolve 1 yes --why "Wants the \$1,000 run first"
ok resolve 2 no
ok log 3 1h30m
ok log 5 45m --date 2026-02-08

export CAIRN_NOW=2026-02-20T16:00:00Z
ok drop 4 --why "No time for a game engine this year"
ok review --text "Cost halved; the bound needs work"
ok log 4 30m --date 2026-01-31

february="Look-back from 2026-02-01 to 2026-02-28

Finished (1)
  2026-02-03  #2 milestone: Read the efficient pre-training papers

Dropped (1)
  2026-02-20  #4 milestone: Prototype a story game
              why: No time for a game engine this year

Started (2)
  2026-02-03  #2 milestone: Read the efficient pre-training papers
  2026-02-03  #3 milestone: Reproduce the baseline cost

Statements changed (1)
  #1 goal, 2026-02-10 11:30
    was: BERT for under \$100
    now: BERT-base GLUE accuracy for under \$100 of compute

Metrics (1)
  #1 cost: 7000 -> 3500 USD, 0% -> 50.7% of the way to 100 (2 observations)

Predictions resolved (2)
  2026-02-10  P1  70% -> yes  advisor: The advisor will like the \$1,000 milestone (early)
  2026-02-10  P2  40% -> no   advisor: The advisor will back quantum MNIST
  Brier score 0.125

Time by goal (2)
    3h30m 82.4%  #1 BERT-base GLUE accuracy for under \$100 of compute
      45m 17.6%  #5 Quantum MNIST
    4h15m in all

Reviews (1)
  2026-02-20 16:00
    Cost halved; the bound needs work"

export CAIRN_NOW=2026-03-01T09:00:00Z
ok lookback --since 2026-02-01 --until 2026-02-28
expect "$february"
ok --json lookback --since 2026-02-01 --until 2026-02-28
first_json=$out
json_ok "lookback --json" 'd["since"] == "2026-02-01T00:00:00Z" and d["until"] == "2026-03-01T00:00:00Z" and [x["id"] for x in d["finished"]] == [2] and d["dropped"][0]["why"] == "No time for a game engine this year" and d["statements"][0]["old"] == "BERT for under $100" and d["metrics"][0]["from"] == 7000 and d["metrics"][0]["to"] == 3500 and abs(d["brier"] - 0.125) < 1e-12 and d["minutes"] == 255 and d["time"][1] == {"goal": 5, "title": "Quantum MNIST", "minutes": 45} and len(d["reviews"]) == 1'

# March: more work, a sharper goal, an undo and a removal.  None of it
# reaches back into February.
export CAIRN_NOW=2026-03-03T09:00:00Z
ok done 3
ok metric log 1 cost 2000
ok metric log 1 cost 100 --date 2026-02-15
ok refine 1 "Something else entirely"
ok log 3 1h --date 2026-02-12
ok resolve 3 yes
ok undo
ok rm 5
ok start 2
export CAIRN_NOW=2027-01-01T09:00:00Z
ok lookback --since 2026-02-01 --until 2026-02-28
expect "$february"
ok --json lookback --since 2026-02-01 --until 2026-02-28
same "lookback --json unchanged" "$out" "$first_json"

# A timestamp bound is taken as it is: up to the morning of 10 February.
ok lookback --since 2026-02-01 --until 2026-02-10T09:00
contains "Look-back from 2026-02-01 to 2026-02-10 09:00"
contains "Statements changed (0)"
contains "Predictions resolved (0)"

# Open-ended, March shows.
ok lookback --since 2026-03-01
contains "  2026-03-03  #3 milestone: Reproduce the baseline cost"
contains "#1 cost: 3500 -> 2000 USD, 50.7% -> 72.5% of the way to 100 (2 observations)"
contains "    was: BERT-base GLUE accuracy for under \$100 of compute
    now: Something else entirely"
ok lookback
contains "Look-back from the beginning to now"

rejects 2 lookback --since 2026-13-01
err_contains "malformed date '2026-13-01'"
rejects 1 lookback --since 2026-03-01 --until 2026-02-01
err_contains "the period starts"
rejects 2 lookback extra
finish
