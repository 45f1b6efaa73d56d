#!/bin/sh
# forecast numbers a reader can trust: P50 says the working days to its
# date apart from the days of effort; the histogram row holding P50 holds
# its date; started -> finished counts weekdays on the calendar whatever
# --days-per-week; logged hours become days at the focus setting's hours
# per day, and the header says which history it used; malformed planning
# options are usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

# Five done milestones under #1 estimated at 10 days: "dated" ones
# started 2026-01-01 and done four weeks later, "logged" ones with 20
# hours logged on them.
five_done() {
	fd_j=0
	while [ $fd_j -lt 5 ]; do
		run add milestone "Done $fd_j" --under 1 --estimate 5/10/15
		fd_id=$(printf '%s' "$out" | sed -n 's/^added milestone #\([0-9]*\).*/\1/p')
		if [ "$1" = dated ]; then
			CAIRN_NOW=2026-01-01T09:00:00Z ok start "$fd_id"
			CAIRN_NOW=2026-01-29T09:00:00Z ok done "$fd_id"
		else
			ok log "$fd_id" 10h --date 2026-02-02
			ok log "$fd_id" 10h --date 2026-02-03
			ok done "$fd_id"
		fi
		fd_j=$((fd_j + 1))
	done
}

# 2026-03-02 is a Monday.
ok add goal "Domain adaptation for low-resource MT"
ok add milestone "Replicate the back-translation baseline" --under 1 --estimate 10

# Effort 10 at half the time: the date is 20 working days away.
ok forecast 1 --start 2026-03-02 --share 0.5 --trials 100
contains "  P50  2026-03-27  (20 working days; 10 days of effort at 50% focus)"
lacks "(10 working days)"
ok --json forecast 1 --start 2026-03-02 --share 0.5 --trials 100
json_ok "workdays apart from effort" 'd["p50_days"] == 10 and d["p50_workdays"] == 20 and d["p50"] == "2026-03-27"'

# The histogram: rows are working-day ranges, contiguous and apart, and
# the row that holds P50 (by the counts) holds its date.
ok add milestone "Adapt to the medical domain" --under 1 --estimate 10/20/60
ok --json forecast 1 --start 2026-03-02 --share 0.8 --trials 3000
json_ok "rows apart" 'all(a["to_workdays"] + 1 == b["from_workdays"] and a["to"] < b["from"] for a, b in zip(d["histogram"], d["histogram"][1:]))'
json_ok "p50 in its row" '[r for r, c in [(r, sum(x["count"] for x in d["histogram"][:i + 1])) for i, r in enumerate(d["histogram"])] if 2 * c >= d["successes"]][0]["from"] <= d["p50"] <= [r for r, c in [(r, sum(x["count"] for x in d["histogram"][:i + 1])) for i, r in enumerate(d["histogram"])] if 2 * c >= d["successes"]][0]["to"]'
json=$out
ok forecast 1 --start 2026-03-02 --share 0.8 --trials 3000
text=$out
py_init
if printf '%s\n' "$json" | py -c '
import json, re, sys
d = json.load(sys.stdin)
rows = [l for l in sys.argv[1].splitlines() if re.match(r"  \d{4}-\d\d-\d\d ", l)]
rows = [l for l in rows if "#" in l or "%" in l]
seen = 0
for i, r in enumerate(d["histogram"]):
    seen += r["count"]
    if 2 * seen >= d["successes"]:
        break
m = re.match(r"  (\S+)(?: to (\S+))?  ", rows[i])
lo, hi = m.group(1), m.group(2) or m.group(1)
sys.exit(0 if lo <= d["p50"] <= hi else 1)' "$text"; then
	pass
else
	fail "the text row holding P50 does not hold its date"
fi

# Started Thursday 2026-01-01, finished four weeks later: 20 working
# days for an estimate of 10, whatever the forecast's days per week.
export CAIRN_DB="$TMP/dated.db"
ok add goal "History"
five_done dated
ok add milestone "Fixed" --under 1 --estimate 10
ok --json forecast 1 --start 2026-03-02 --trials 500 --days-per-week 7
json_ok "weekdays on the calendar" 'd["p50_days"] == 20 and d["history"]["median"] == 2'
ok --json forecast 1 --start 2026-03-02 --trials 500
json_ok "five days a week alike" 'd["p50_days"] == 20'
# A weekend in between is not work: Friday 17:00 to Monday 09:00 is 16
# hours of weekdays, 2/3 of a day for an estimate of 1.
ok add milestone "Over a weekend" --under 1 --estimate 1
CAIRN_NOW=2026-01-02T17:00:00Z ok start 8
CAIRN_NOW=2026-01-05T09:00:00Z ok done 8
ok --json forecast 1 --start 2026-03-02 --trials 500 --days-per-week 7
json_ok "weekend left out" 'd["history"]["count"] == 6 and d["history"]["median"] == 2'

# Logged hours: 20 hours on each of five milestones estimated at 10 are
# 2.5 days at 8 hours a day, 10 days at 2 focused hours a day.
export CAIRN_DB="$TMP/logged.db"
ok add goal "Logged"
five_done logged
ok add milestone "Fixed" --under 1 --estimate 10
ok --json forecast 1 --start 2026-03-02 --trials 500
json_ok "eight hours a day" 'd["p50_days"] == 2.5 and d["history"] == {"used": True, "count": 5, "median": 0.25, "hours_per_day": 8}'
ok forecast 1 --start 2026-03-02 --trials 500
contains "efforts scaled by your history of 5 finished milestones
  (median actual/estimate 0.25; time logged counted at 8 hours a day)"
ok focus set --hours-per-day 2
expect "a working day is 2 logged hours"
ok --json forecast 1 --start 2026-03-02 --trials 500
json_ok "two hours a day" 'd["p50_days"] == 10 and d["history"]["median"] == 1 and d["history"]["hours_per_day"] == 2'
ok forecast 1 --start 2026-03-02 --trials 500
contains "(median actual/estimate 1.00; time logged counted at 2 hours a day)"
ok --json focus set 1 --hours-per-day 4.5
json_ok "focus json" 'd["main"] == 1 and d["hours_per_day"] == 4.5'
for h in 0 -1 25 abc ""; do
	rejects 2 focus set --hours-per-day "$h"
	err_contains "--hours-per-day"
done
rejects 2 focus --hours-per-day 4

# Malformed planning options are usage errors.
for a in "--trials abc" "--trials 0" "--trials -5" "--seed -1" "--seed x" \
	"--threads 0" "--threads many" "--capacity 0" "--capacity 1.5" \
	"--days-per-week 8" "--days-per-week x" "--max-attempts 0" \
	"--share 0" "--share 1.5"; do
	rejects 2 forecast 1 $a
done

finish
