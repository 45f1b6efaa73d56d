#!/bin/sh
# forecast GOAL: Monte Carlo over the remaining milestones.  Fixed efforts
# give exact dates (series and parallel, one and two work streams); the
# chance follows p_success and --max-attempts; history scales efforts;
# the same seed gives byte-identical JSON for 1, 2 and 8 threads.
. "$(dirname "$0")/lib.sh"

# 2026-03-02 is a Monday.
ok add goal "BERT for under \$100" --likelihood 0.8
ok add milestone "Replicate the baseline" --under 1 --estimate 10
ok add milestone "Cheaper tokenizer" --under 1 --estimate 10
ok dep add 3 2

ok forecast 1 --start 2026-03-02 --trials 2000
expect "Forecast for #1 BERT for under \$100
  2 milestones to go, 1 work stream, up to 3 attempts each
  2000 trials, seed 1; no history scaling (0 finished milestones with estimates, 5 needed)
  from 2026-03-02, 5 days a week, 100% of the time

Chance of reaching the goal: 100.0%

Given success:
  P50  2026-03-27  (20 working days; 20 days of effort at 100% focus)
  P80  2026-03-27  (20 working days; 20 days of effort at 100% focus)
  P95  2026-03-27  (20 working days; 20 days of effort at 100% focus)

Finish dates of the successful trials:
  2026-03-27                ######################################## 100.0%

Most often on the critical path:
  #2     100.0%  Replicate the baseline
  #3     100.0%  Cheaper tokenizer"

# In series two streams do not help; in parallel they halve the time.
ok --json forecast 1 --start 2026-03-02 --capacity 2
json_ok "series, two streams" 'd["p50"] == d["p95"] == "2026-03-27" and d["p50_days"] == 20'
ok dep rm 3 2
ok --json forecast 1 --start 2026-03-02
json_ok "parallel, one stream" 'd["p50"] == "2026-03-27" and d["p95_days"] == 20'
ok --json forecast 1 --start 2026-03-02 --capacity 2
json_ok "parallel, two streams" 'd["p50"] == d["p95"] == "2026-03-13" and d["p50_days"] == 10 and d["capacity"] == 2'

# Calendar: half the time doubles the span; seven days a week has no
# weekends; a start on a Saturday begins on Monday.
ok --json forecast 1 --start 2026-03-02 --share 0.5
json_ok "share" 'd["p50"] == "2026-04-24" and d["share"] == 0.5'
ok --json forecast 1 --start 2026-03-02 --days-per-week 7
json_ok "seven days" 'd["p50"] == "2026-03-21" and d["days_per_week"] == 7'
ok --json forecast 1 --start 2026-03-07 --capacity 2
json_ok "from a Saturday" 'd["p50"] == "2026-03-20"'
# Without --start: today ($CAIRN_NOW is Sunday 2026-03-01).
ok --json forecast 1 --capacity 2
json_ok "today" 'd["start"] == "2026-03-01" and d["p50"] == "2026-03-13"'

# The JSON document.
ok --json forecast 1 --trials 500 --seed 7
json_ok "json keys" 'all(k in d for k in ["goal", "trials", "seed", "chance", "p50", "p80", "p95", "histogram", "critical"])'
json_ok "json values" 'd["goal"] == 1 and d["trials"] == 500 and d["seed"] == 7 and d["chance"] == 1 and d["remaining"] == 2 and d["max_attempts"] == 3'
json_ok "json histogram" 'sum(b["count"] for b in d["histogram"]) == 500 and d["histogram"][0]["from"] <= d["p50"]'
# Equal parallel milestones: the tie goes to the later one, every time.
json_ok "json critical" 'd["critical"] == [{"id": 3, "title": "Cheaper tokenizer", "index": 1}]'

# Risk: two 50 % milestones in series, one attempt each: 0.25 (3 standard
# errors at 100,000 trials is 0.0041); two attempts: 0.5625.
ok set 2 p_success=0.5
ok set 3 p_success=0.5
ok dep add 3 2
ok --json forecast 1 --trials 100000 --max-attempts 1
json_ok "chance, one attempt" 'abs(d["chance"] - 0.25) < 0.0042'
ok --json forecast 1 --trials 100000 --max-attempts 2
json_ok "chance, two attempts" 'abs(d["chance"] - 0.5625) < 0.0048'
# Given success with retries, the time is 20, 30 or 40 days.
json_ok "whole attempts" 'd["p50_days"] in (20, 30, 40) and d["p95_days"] in (30, 40)'

# A milestone that cannot succeed: no dates.
ok set 3 p_success=0
ok forecast 1 --trials 100
contains "Chance of reaching the goal: 0.0%
No trial reached the goal: no dates to give."
ok --json forecast 1 --trials 100
json_ok "json never" 'd["chance"] == 0 and d["p50"] is None and d["histogram"] == [] and d["critical"] == []'

# Determinism: a richer roadmap, the same seed, 1, 2 and 8 threads.
ok add goal "Low-resource MT"
i=0
while [ $i -lt 30 ]; do
	o=$((i % 7 + 1)); m=$((o + i % 5)); p=$((m + i % 11 + 2))
	case $((i % 4)) in 0) ps=0.7 ;; 1) ps=0.95 ;; *) ps=1 ;; esac
	setup add milestone "Step $i" --under 4 --estimate $o/$m/$p \
		--p-success $ps
	i=$((i + 1))
done
# Each step builds on one or two earlier ones (one where both rules name
# the same step).
i=7
while [ $i -lt 35 ]; do
	a=$((i - 1 - i % 3)) b=$((5 + i % 7))
	setup dep add $i $a
	[ $b -eq $a ] || setup dep add $i $b
	i=$((i + 1))
done
sql_is "53 edges among the steps" "SELECT count(*) FROM edge WHERE item > 4" 53
ok --json forecast 4 --trials 30000 --seed 42 --threads 1 --capacity 2
one=$out
json_ok "the forecast of the 30 steps, seed 42" 'd["remaining"] == 30 and d["trials"] == 30000 and d["seed"] == 42 and d["capacity"] == 2 and d["successes"] == 24147 and d["chance"] == 0.8049 and (d["p50"], d["p80"], d["p95"]) == ("2026-08-14", "2026-08-27", "2026-09-10") and [c["id"] for c in d["critical"]] == [9, 11, 14, 17, 20]'

check "no progress when stderr is not a terminal" [ -z "$err" ]
ok --json forecast 4 --trials 30000 --seed 42 --threads 2 --capacity 2
same "threads 1 and 2" "$one" "$out"
ok --json forecast 4 --trials 30000 --seed 42 --threads 8 --capacity 2
same "threads 1 and 8" "$one" "$out"
ok forecast 4 --trials 30000 --seed 42 --threads 1
text1=$out
ok forecast 4 --trials 30000 --seed 42 --threads 8
same "text, threads 1 and 8" "$text1" "$out"
ok --json forecast 4 --trials 30000 --seed 43 --threads 2 --capacity 2
check "another seed, another forecast" [ "$one" != "$out" ]

# Evidence-based scheduling: five finished milestones that took twice
# their likely estimate (28 calendar days = 20 working days for 10).
ok add goal History
j=0
while [ $j -lt 5 ]; do
	setup add milestone "Done $j" --under 35 --estimate 5/10/15
	id=$(printf '%s' "$out" | sed -n 's/^added milestone #\([0-9]*\).*/\1/p')
	CAIRN_NOW=2026-01-01T09:00:00Z setup start "$id"
	CAIRN_NOW=2026-01-29T09:00:00Z setup done "$id"
	j=$((j + 1))
done
ok add milestone "Fixed" --under 35 --estimate 10
ok --json forecast 35 --start 2026-03-02 --trials 1000
json_ok "history used" 'd["history"]["used"] and d["history"]["count"] == 5 and d["p50_days"] == 20'
ok forecast 35 --start 2026-03-02 --trials 1000
contains "efforts scaled by your history of 5 finished milestones"
ok --json forecast 35 --start 2026-03-02 --trials 1000 --no-history
json_ok "no history" 'd["history"]["used"] == False and d["p50_days"] == 10'
ok forecast 35 --trials 10 --no-history
contains "history scaling off"
# Four are not evidence enough.
ok drop 36 --why "not a fair example"
ok --json forecast 35 --start 2026-03-02 --trials 1000
json_ok "four is too few" 'not d["history"]["used"] and d["history"]["count"] == 4 and d["p50_days"] == 10'

# Milestones without an estimate: assumed 5/10/20, named on stderr.
ok add milestone "Unsized" --under 35
ok --json forecast 35 --trials 100
err_contains "warning: no estimate for #42 (assumed 5/10/20 working days)"
json_ok "json unestimated" 'd["unestimated"] == [42]'
finish
