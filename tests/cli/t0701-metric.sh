#!/bin/sh
# metric add|log|set|rm|show: key results with progress right in both
# directions, observations out of date order, JSON, changing and removing
# a metric, undo, and bad input (unknown metric, wrong direction, bad
# numbers and dates) leaving the store alone.
. "$(dirname "$0")/lib.sh"

ok add goal "BERT-level pre-training for under \$100"
ok add milestone "Cut the cost" --under 1

ok metric add 1 cost --unit USD --baseline 7000 --target 100 --lower-is-better
expect "added metric 'cost' to #1: 7000 -> 100 USD (lower is better)"
ok metric add 1 glue --unit points --baseline 72 --target 79.6
ok metric show 1 cost
expect "#1 cost: no observations yet; from 7000 to 100 USD (lower is better)"

ok metric log 1 cost 5200 --date 2026-01-15 --source https://example.org/run1
expect "logged cost = 5200 USD on #1 for 2026-01-15; the latest (2026-01-15) is 26.1% of the way from 7000 to 100"
ok metric log 1 cost 3500 --date 2026-02-01 --note "one 8-GPU node"
expect "logged cost = 3500 USD on #1 for 2026-02-01; the latest (2026-02-01) is 50.7% of the way from 7000 to 100"
# Out of date order: an older value logged last does not become the latest.
ok metric log 1 cost 6100 --date 2025-12-01
contains "the latest (2026-02-01) is 50.7% of the way"
ok metric log 1 glue 75.8
expect "logged glue = 75.8 points on #1 for 2026-03-01; the latest (2026-03-01) is 50% of the way from 72 to 79.6"

ok metric show
expect "#1 cost: 3500 USD on 2026-02-01, 50.7% of the way from 7000 to 100 (lower is better)
#1 glue: 75.8 points on 2026-03-01, 50% of the way from 72 to 79.6 (higher is better)"
ok metric show 1 cost
expect "#1 cost: 3500 USD on 2026-02-01, 50.7% of the way from 7000 to 100 (lower is better)
  2025-12-01        6100
  2026-01-15        5200  https://example.org/run1
  2026-02-01        3500  one 8-GPU node"
lacks "▁"
ok metric show 2
expect ""

# The sparkline is drawn only on a terminal.
if command -v script >/dev/null 2>&1; then
	script -qec "$CAIRN metric show 1 cost" /dev/null >"$TMP/tty" 2>&1
	check "sparkline on a terminal" grep -q "█▆▁" "$TMP/tty"
fi

ok --json metric show 1 cost
json_ok "one metric is an object" 'd["name"] == "cost" and d["direction"] == "lower" and d["baseline"] == 7000 and d["target"] == 100 and d["latest"] == 3500 and d["latest_date"] == "2026-02-01" and abs(d["progress"] - 50.72463768) < 1e-6 and d["count"] == 3'
json_ok "observations in date order" '[o["date"] for o in d["observations"]] == ["2025-12-01", "2026-01-15", "2026-02-01"] and d["observations"][1]["source"] == "https://example.org/run1"'
ok metric show --json
json_ok "a listing is an array" 'isinstance(d, list) and [m["name"] for m in d] == ["cost", "glue"] and d[1]["unit"] == "points" and d[1]["progress"] == 50'

# Journalled under the item, undone like anything else.
sql_is "observations" "SELECT count(*) FROM observation WHERE item = 1" 4
ok history 1
contains "+ observation on #1: 3500"
ok undo
sql_is "undo removes the last observation" "SELECT count(*) FROM observation" 3

# Bad input: one line on stderr, exit 1, nothing written.
rejects 1 metric log 1 costs 10
err_contains "#1 has no metric 'costs'"
rejects 1 metric log 9 cost 10
err_contains "no item #9"
rejects 1 metric show 1 nope
err_contains "#1 has no metric 'nope'"
rejects 2 metric log 1 cost 12abc
err_contains "value must be a number, not '12abc'"
rejects 2 metric log 1 cost inf
rejects 2 metric log 1 cost 10 --date 2026-02-30
err_contains "malformed date '2026-02-30'"
rejects 2 metric log 1 cost 10 --date 01/03/2026
rejects 1 metric log 1 cost 10 --date 2026-03-02
err_contains "date '2026-03-02' is in the future"
rejects 1 metric add 1 cost --baseline 1 --target 2
err_contains "#1 already has a metric 'cost'"
rejects 1 metric add 1 speed --baseline 7000 --target 100
err_contains "target 100 is below baseline 7000 but the metric is not marked lower-is-better"
rejects 1 metric add 1 acc --baseline 0.7 --target 0.8 --lower-is-better
rejects 1 metric add 1 flat --baseline 5 --target 5
rejects 2 metric add 1 x --baseline seven --target 100
err_contains "baseline must be a number, not 'seven'"
rejects 2 metric add 1 x --target 100
err_contains "needs --baseline and --target"
rejects 2 metric
rejects 2 metric frob
rejects 2 metric log 1 cost
err_contains "missing VALUE"
rejects 2 metric show 1 cost --note x

# set changes any of name, unit, baseline, target and direction at once,
# checked as a whole and keeping the observations; rm removes a metric
# with its observations.  Each is one change that undo takes back.
metrics() { sql "SELECT * FROM metric ORDER BY id; SELECT * FROM observation ORDER BY id"; }
before=$(metrics)
ok metric set 1 cost name=price unit=EUR target=50
expect "updated metric 'price' on #1: 7000 -> 50 EUR (lower is better)"
sql_is "set writes every field" \
	"SELECT name, unit, baseline, target, lower_better FROM metric WHERE id = 1" \
	"price|EUR|7000.0|50.0|1"
sql_is "set keeps the observations" "SELECT count(*) FROM observation WHERE metric = 1" 3
sql_is "set is one change" "SELECT label FROM change ORDER BY id DESC LIMIT 1" \
	"metric set 1 cost name=price unit=EUR target=50"
# Turning the direction round needs the target on the other side, in the
# same command.
ok metric set 1 glue direction=lower baseline=80 target=70
sql_is "direction, baseline and target together" \
	"SELECT name, unit, baseline, target, lower_better FROM metric WHERE id = 2" \
	"glue|points|80.0|70.0|1"
ok --json metric set 1 price unit=none
json_ok "set --json is the metric as show prints it" 'd["name"] == "price" and d["unit"] is None and d["count"] == 3 and len(d["observations"]) == 3'
ok undo
ok undo
ok undo
same "undo takes set back" "$(metrics)" "$before"

ok metric rm 1 cost
expect "removed metric 'cost' from #1 with 3 observations"
sql_is "rm takes the observations along" \
	"SELECT (SELECT count(*) FROM metric WHERE name = 'cost'), (SELECT count(*) FROM observation)" "0|0"
ok undo
same "undo brings the metric and its observations back" "$(metrics)" "$before"
ok --json metric rm 1 glue
json_ok "rm --json names what went" 'd["removed"]["name"] == "glue" and d["removed"]["count"] == 0 and d["removed"]["item"] == 1'
ok undo
same "undo of rm --json" "$(metrics)" "$before"

rejects 1 metric set 1 cost direction=higher
err_contains "metric 'cost': target 100 is below baseline 7000 but the metric is not marked lower-is-better"
rejects 1 metric set 1 cost target=7000
err_contains "equals the baseline"
rejects 1 metric set 1 cost name=glue
err_contains "#1 already has a metric 'glue'"
rejects 1 metric set 1 nope unit=x
err_contains "#1 has no metric 'nope'"
rejects 1 metric rm 1 nope
err_contains "#1 has no metric 'nope'"
rejects 1 metric rm 9 cost
err_contains "no item #9"
# A value that does not parse is a malformed request, refused before the
# store opens (as set ID FIELD=VALUE is).
rejects 2 metric set 1 cost name=
err_contains "metric name must not be empty"
rejects 2 metric set 1 cost target=ten
err_contains "target 'ten' is not a number"
rejects 2 metric set 1 cost direction=down
err_contains "direction 'down' must be lower or higher"
rejects 2 metric set 1 cost colour=red
err_contains "unknown metric field 'colour'"
rejects 2 metric set 9 nope target=ten
err_contains "target 'ten' is not a number"
rejects 2 metric set x cost unit=x
err_contains "malformed item id 'x'"
rejects 2 metric rm x cost
err_contains "malformed item id 'x'"
rejects 2 metric set 1 cost
err_contains "missing FIELD=VALUE"
rejects 2 metric set 1 cost target
err_contains "'target' is not FIELD=VALUE"
rejects 2 metric set 1 cost --unit x
rejects 2 metric rm 1
err_contains "missing NAME"
rejects 2 metric rm 1 cost extra
finish
