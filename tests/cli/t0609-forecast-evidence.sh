#!/bin/sh
# forecast's evidence: time logged on done milestones is their actual
# (8 hours to the working day), ahead of started -> finished; a milestone
# marked done without being started or logged on gives no evidence; the
# goal's share of time comes from the focus setting.
. "$(dirname "$0")/lib.sh"

# Five milestones estimated at 10 days that took 5 by the time log (40
# hours each), though 28 calendar days (20 working days) passed between
# start and finish.
ok add goal "History"
j=0
while [ $j -lt 5 ]; do
	setup add milestone "Done $j" --under 1 --estimate 5/10/15
	id=$(printf '%s' "$out" | sed -n 's/^added milestone #\([0-9]*\).*/\1/p')
	CAIRN_NOW=2026-01-01T09:00:00Z ok start "$id"
	CAIRN_NOW=2026-01-29T09:00:00Z ok log "$id" 24h --date 2026-01-05
	CAIRN_NOW=2026-01-29T09:00:00Z ok log "$id" 16h --date 2026-01-06
	CAIRN_NOW=2026-01-29T09:00:00Z ok done "$id"
	j=$((j + 1))
done
ok add milestone "Fixed" --under 1 --estimate 10
ok --json forecast 1 --start 2026-03-02 --trials 1000
json_ok "logged time is the actual" 'd["history"]["used"] and d["history"]["count"] == 5 and d["p50_days"] == d["p95_days"] == 5 and d["p50"] == "2026-03-06"'
ok --json forecast 1 --start 2026-03-02 --trials 1000 --no-history
json_ok "no history" 'd["p50_days"] == 10'

# Without the log, started -> finished: twice the estimate.
sql "DELETE FROM time_entry"
ok --json forecast 1 --start 2026-03-02 --trials 1000
json_ok "started to finished" 'd["history"]["used"] and d["history"]["count"] == 5 and d["p50_days"] == 20'

# Done at once, neither started nor logged on: no evidence either way.
ok add milestone "Done at once" --under 1 --estimate 10
ok done 8
ok --json forecast 1 --start 2026-03-02 --trials 1000
json_ok "no actual, no ratio" 'd["history"]["count"] == 5 and d["p50_days"] == 20'
# Logged on later, it counts: 2 days for 10 makes a sixth ratio.
ok log 8 16h --date 2026-02-27
ok --json forecast 1 --start 2026-03-02 --trials 1000
json_ok "logged later" 'd["history"]["count"] == 6'

# The share of time from the focus setting: the main goal 80 %, any
# other goal the exploration share; --share wins.
ok add goal "Side goal"
ok add milestone "Side step" --under 9 --estimate 10
ok --json forecast 9 --start 2026-03-02 --no-history
json_ok "no focus" 'd["share"] == 1 and d["p50"] == "2026-03-13"'
ok focus set 1
ok --json forecast 9 --start 2026-03-02 --no-history
json_ok "exploration share" 'd["share"] == 0.2 and d["p50"] == "2026-05-08"'
ok --json forecast 1 --start 2026-03-02 --no-history
json_ok "main share" 'd["share"] == 0.8 and d["p50_days"] == 10 and d["p50"] == "2026-03-18"'
ok forecast 1 --start 2026-03-02 --no-history --trials 10
contains "  from 2026-03-02, 5 days a week, 80% of the time"
ok focus set 7 --explore 50
ok --json forecast 9 --start 2026-03-02 --no-history
json_ok "explore 50" 'd["share"] == 0.5'
ok --json forecast 9 --start 2026-03-02 --no-history --share 1
json_ok "--share wins" 'd["share"] == 1 and d["p50"] == "2026-03-13"'
finish
