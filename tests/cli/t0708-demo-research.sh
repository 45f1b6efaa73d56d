#!/bin/sh
# The demo store shows research practice too: metrics on the BERT goal
# ($7,000 down towards $100, lower is better) with observations, papers
# (some read, some required by milestones), lessons, resolved predictions
# and logged time, and `cairn demo` prints them.
. "$(dirname "$0")/lib.sh"

demo="$TMP/demo"
ok demo "$demo"
contains "Key results (cairn metric show):"
contains "cost: 2600 USD on "
contains "63.8% of the way from 7000 to 100 (lower is better)"
contains "Reading list (cairn papers):"
contains "devlin2019bert"
contains "Mentor predictions (cairn calibration):"
contains "3 resolved predictions, 2 came true"
contains "Where the time went (cairn focus):"
contains "Main project: #1 Compression methods with provable approximation guarantees"
lacks "sparkline"

DEMO_DB="$demo/demo.db"
dq() { sqlite3 -batch "$DEMO_DB" "$1"; }
check "BERT cost metric, lower is better" \
	[ "$(dq "SELECT m.baseline || ' ' || m.target || ' ' || m.lower_better FROM metric m JOIN item i ON i.id = m.item WHERE i.title LIKE '%BERT%' AND m.name = 'cost'")" = "7000.0 100.0 1" ]
check "observations" [ "$(dq "SELECT count(*) FROM observation")" -ge 4 ]
check "papers" [ "$(dq "SELECT count(*) FROM paper")" -ge 4 ]
check "papers required by milestones" [ "$(dq "SELECT count(*) FROM item_paper")" -ge 3 ]
check "lessons" [ "$(dq "SELECT count(*) FROM lesson WHERE worked = 0")" -ge 1 ]
check "resolved predictions" [ "$(dq "SELECT count(*) FROM prediction WHERE outcome IS NOT NULL")" -ge 3 ]
check "an open prediction" [ "$(dq "SELECT count(*) FROM prediction WHERE outcome IS NULL")" -ge 1 ]
check "logged time" [ "$(dq "SELECT sum(minutes) FROM time_entry")" -ge 600 ]
check "focus set" [ "$(dq "SELECT count(*) FROM setting WHERE key = 'focus.main'")" = 1 ]
check "a review" [ "$(dq "SELECT count(*) FROM review")" = 1 ]

# The views of the demo store work on it.
ok --db "$DEMO_DB" lookback
contains "Predictions resolved (3)"
ok --db "$DEMO_DB" lessons --search spectrum
contains "look at the spectrum first"
ok --db "$DEMO_DB" --json calibration
json_ok "demo calibration" 'd["count"] == 3 and d["brier"] is not None'
finish
