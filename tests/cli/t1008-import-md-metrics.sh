#!/bin/sh
# Metrics through Markdown: export writes each metric of an item as a
# line "Metric: NAME (UNIT) from B to T; latest V on DATE (P% of the
# way)."; import reads exactly that line back as the metric and its
# latest observation (P is checked, not stored).  export -> import into
# an empty store -> export gives the same text and the same metrics;
# importing again adds nothing; a line that is not exactly the
# exporter's stays body text.
. "$(dirname "$0")/lib.sh"

# A store with metrics on a goal and on a milestone, with and without a
# unit and observations, names full of Markdown and parentheses.
ok add goal 'BERT-base GLUE for $100' --visibility public --body 'Cramming showed it.'
ok add milestone 'Reproduce the cost at small scale' --under 1 --visibility public
ok metric add 1 'BERT pretraining cost' --unit USD --baseline 7000 --target 100 --lower-is-better
ok metric log 1 'BERT pretraining cost' 5000 --date 2026-01-10
ok metric log 1 'BERT pretraining cost' 3500 --date 2026-02-01
ok metric add 1 'GLUE (avg) *dev* [v2]' --unit 'points (0-100)' --baseline 72 --target 79.6
ok metric log 1 'GLUE (avg) *dev* [v2]' 77.9 --date 2026-02-20
ok metric add 2 'cost_per_run' --baseline 0.5 --target 0.125 --lower-is-better
ok metric add 2 'runs' --baseline 0 --target 12
ok metric log 2 runs 3 --date 2026-02-28
ok export --format md --out "$TMP/a.md"
check "the metric line as the exporter writes it" grep -qx \
	'   Metric: BERT pretraining cost (USD) from 7000 to 100; latest 3500 on 2026-02-01 (50.7% of the way).' \
	"$TMP/a.md"
check "parentheses in a name are escaped, the unit's are not" grep -qxF \
	'   Metric: GLUE \(avg\) \*dev\* \[v2\] (points (0-100)) from 72 to 79.6; latest 77.9 on 2026-02-20 (77.6% of the way).' \
	"$TMP/a.md"
check "a milestone's metric, without unit or observation" grep -qx \
	'     Metric: cost\\_per\\_run from 0.5 to 0.125.' "$TMP/a.md"
ok metric show
want_show=$out

# Into an empty store: the same text, the same metrics, the latest
# observation of each.
export CAIRN_DB="$TMP/rt.db"
ok import "$TMP/a.md"
expect "imported $TMP/a.md (md): 2 added, 0 updated, 0 unchanged
  new metric BERT pretraining cost (USD) on #1 from 7000 to 100, lower is better
  new metric GLUE (avg) *dev* [v2] (points (0-100)) on #1 from 72 to 79.6, higher is better
  new metric cost_per_run on #2 from 0.5 to 0.125, lower is better
  new metric runs on #2 from 0 to 12, higher is better"
same "no warnings" "$err" ""
ok export --format md --out "$TMP/b.md"
check "export -> import -> export: the same text" cmp -s "$TMP/a.md" "$TMP/b.md"
ok metric show
expect "$want_show"
sql_is "the metrics, with unit, baseline, target and direction" \
	"SELECT group_concat(item || '|' || name || '|' || unit || '|' || baseline || '|' || target || '|' || lower_better, ' / ') FROM (SELECT * FROM metric ORDER BY id)" \
	"1|BERT pretraining cost|USD|7000.0|100.0|1 / 1|GLUE (avg) *dev* [v2]|points (0-100)|72.0|79.6|0 / 2|cost_per_run||0.5|0.125|1 / 2|runs||0.0|12.0|0"
sql_is "the latest observations, on their metric's item" \
	"SELECT group_concat(m.name || '|' || o.item || '|' || o.date || '|' || o.value, ' / ') FROM (SELECT * FROM observation ORDER BY id) o JOIN metric m ON m.id = o.metric" \
	"BERT pretraining cost|1|2026-02-01|3500.0 / GLUE (avg) *dev* [v2]|1|2026-02-20|77.9 / runs|2|2026-02-28|3.0"
sql_is "metric lines are not body text" \
	"SELECT group_concat(coalesce(nullif(body, ''), '-'), '|') FROM item" \
	"Cramming showed it.|-"
ok history 1
contains "+ metric on #1: 'BERT pretraining cost'"
contains "+ observation on #1: 3500"

# Again: nothing added, nothing changed.
before=$(snapshot | grep -v 'INSERT INTO change\|INSERT INTO event')
ok import "$TMP/a.md"
expect "imported $TMP/a.md (md): 0 added, 0 updated, 2 unchanged"
after=$(snapshot | grep -v 'INSERT INTO change\|INSERT INTO event')
same "re-import adds no metric or observation" "$after" "$before"
sql_is "still four metrics, three observations" \
	"SELECT (SELECT count(*) FROM metric) || ' ' || (SELECT count(*) FROM observation)" "4 3"

# The file moves on (same name, so the same items): a new latest value is
# logged beside the old one, a changed target replaces the old one (the
# file states the metric).
mkdir "$TMP/v2"
sed -e 's/latest 3500 on 2026-02-01 (50.7% of the way)/latest 2600 on 2026-02-25 (63.8% of the way)/' \
	-e 's/from 0 to 12; latest 3 on 2026-02-28 (25.0% of the way)/from 0 to 10; latest 3 on 2026-02-28 (30.0% of the way)/' \
	"$TMP/a.md" >"$TMP/v2/a.md"
ok import "$TMP/v2/a.md"
expect "imported $TMP/v2/a.md (md): 0 added, 0 updated, 2 unchanged"
sql_is "the new observation beside the old" \
	"SELECT group_concat(date || '=' || value, ' ') FROM (SELECT * FROM observation WHERE metric = 1 ORDER BY id)" \
	"2026-02-01=3500.0 2026-02-25=2600.0"
sql_is "the target follows the file" "SELECT target FROM metric WHERE name = 'runs'" 10.0
sql_is "its observation is kept, not doubled" \
	"SELECT count(*) FROM observation WHERE metric = 4" 1
ok export --format md --out "$TMP/d.md"
check "the store now exports the file" cmp -s "$TMP/v2/a.md" "$TMP/d.md"
ok undo
sql_is "undo takes the changed metric back" \
	"SELECT target || ' ' || (SELECT count(*) FROM observation) FROM metric WHERE name = 'runs'" "12.0 3"

# Undo of the first import takes the metrics with it.
ok undo 3
sql_is "undone: no items, metrics or observations" \
	"SELECT (SELECT count(*) FROM item) + (SELECT count(*) FROM metric) + (SELECT count(*) FROM observation)" 0

# Near misses: anything but the exporter's exact line stays body text,
# word for word; a line with the shape but a value cairn refuses stays
# too, with a warning.
export CAIRN_DB="$TMP/near.db"
cat >"$TMP/near.md" <<'EOF'
1. Percentage that does not follow from the numbers

   Metric: cost (USD) from 7000 to 100; latest 3500 on 2026-02-01 (50.8% of the way).

2. A number the exporter would write otherwise

   Metric: cost from 7000.0 to 100.

3. No full stop

   Metric: cost from 7000 to 100

4. Parentheses in the name, unescaped

   Metric: f(x) from 1 to 2.

5. A metric line with words after it

   Metric: cost from 7000 to 100.

   Not the end of the item.

6. Indented one space too far

    Metric: cost from 7000 to 100.

7. Target equal to the baseline

   Metric: flat from 5 to 5.

8. No such day

   Metric: cost from 1 to 2; latest 1.5 on 2026-02-30 (50.0% of the way).

9. Lower case

   metric: cost from 1 to 2.
EOF
ok import "$TMP/near.md"
expect "imported $TMP/near.md (md): 9 added, 0 updated, 0 unchanged"
sql_is "no metric from a near miss" "SELECT count(*) FROM metric" 0
sql_is "wrong percentage kept" "SELECT body FROM item WHERE id = 1" \
	"Metric: cost (USD) from 7000 to 100; latest 3500 on 2026-02-01 (50.8% of the way)."
sql_is "7000.0 kept" "SELECT body FROM item WHERE id = 2" \
	"Metric: cost from 7000.0 to 100."
sql_is "no full stop kept" "SELECT body FROM item WHERE id = 3" \
	"Metric: cost from 7000 to 100"
sql_is "unescaped parentheses kept" "SELECT body FROM item WHERE id = 4" \
	"Metric: f(x) from 1 to 2."
sql_is "words after it: all body" "SELECT body FROM item WHERE id = 5" \
	"Metric: cost from 7000 to 100.

Not the end of the item."
sql_is "over-indented kept" "SELECT body FROM item WHERE id = 6" \
	" Metric: cost from 7000 to 100."
sql_is "target = baseline kept" "SELECT body FROM item WHERE id = 7" \
	"Metric: flat from 5 to 5."
sql_is "bad day kept" "SELECT body FROM item WHERE id = 8" \
	"Metric: cost from 1 to 2; latest 1.5 on 2026-02-30 (50.0% of the way)."
sql_is "lower case kept" "SELECT body FROM item WHERE id = 9" \
	"metric: cost from 1 to 2."
# The rules of metric add and metric log, with their messages.
err_contains "warning: near.md, line 29: metric line not imported (metric 'flat': target 5 equals the baseline, so there is no way to go); it stays in the body"
err_contains "warning: near.md, line 33: metric line not imported (malformed date '2026-02-30' (want YYYY-MM-DD, today, tomorrow, yesterday, or +N/-N with d, w, m or y)); it stays in the body"
same "two warnings" "$(printf '%s\n' "$err" | wc -l)" 2
ok export --format md --out "$TMP/n1.md"
CAIRN_DB="$TMP/near2.db" "$CAIRN" import "$TMP/n1.md" >/dev/null 2>&1
CAIRN_DB="$TMP/near2.db" "$CAIRN" export --format md --out "$TMP/n2.md"
check "near misses round-trip as text" cmp -s "$TMP/n1.md" "$TMP/n2.md"
sql_is "and stay text" "SELECT count(*) FROM metric" 0

# Two lines naming one metric: the last is the metric, the other text.
export CAIRN_DB="$TMP/dup.db"
printf '1. Goal\n\n   Metric: a from 1 to 2.\n\n   Metric: a from 3 to 4.\n' >"$TMP/dup.md"
ok import "$TMP/dup.md"
err_contains "line 3: metric line not imported (a later line names metric 'a' too)"
sql_is "the last line wins" "SELECT baseline || ' ' || target FROM metric" "3.0 4.0"
sql_is "the first stays in the body" "SELECT body FROM item" "Metric: a from 1 to 2."
# A latest value dated after today is refused as 'metric log' refuses
# it: the line stays text, and nothing is observed.
export CAIRN_DB="$TMP/future.db"
printf '1. Goal\n\n   Metric: cost (USD) from 7000 to 100; latest 3500 on 2026-04-01 (50.7%% of the way).\n' >"$TMP/future.md"
ok import "$TMP/future.md"
err_contains "line 3: metric line not imported ("
sql_is "no metric, no observation" \
	"SELECT (SELECT count(*) FROM metric) + (SELECT count(*) FROM observation)" 0
finish
