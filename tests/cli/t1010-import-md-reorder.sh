#!/bin/sh
# Markdown re-import matches by content first, position second: a goals
# post whose goals are re-ranked, whose milestones move between goals,
# are reordered, added and retitled in place, and which gets a new goal
# at the top keeps each item's history (notes, logged time, metrics,
# predictions) on the item it belongs to.  Importing the result again
# changes nothing; importing the old file again puts everything back.
. "$(dirname "$0")/lib.sh"

POST="$TMP/goals.md"
cat >"$POST" <<'EOF'
---
layout: post
title: Research goals, 2026
---
1. **Compression with guarantees.** Bounds that hold before fine-tuning.
   - [x] Survey pruning bounds
   - [ ] Prove a bound for structured pruning
   - [ ] Replicate the strongest baseline
2. Cheap BERT pre-training

   Metric: cost (USD) from 7000 to 100; latest 3500 on 2026-02-01 (50.7% of the way).

   - [ ] Reproduce the cost at small scale
   - [ ] Write the cost model
3. Metrics the community can compare
   - [ ] Draft a reporting checklist
   - Which benchmarks matter?
EOF
cp "$POST" "$TMP/old.md"

ok import "$POST"
expect "imported $POST (md): 10 added, 0 updated, 0 unchanged
  new metric cost (USD) on #5 from 7000 to 100, lower is better"
sql_is "the post as imported" \
	"SELECT group_concat(id || ':' || ifnull(parent, '-') || ':' || title, '|') FROM item" \
	"1:-:Compression with guarantees.|2:1:Survey pruning bounds|3:1:Prove a bound for structured pruning|4:1:Replicate the strongest baseline|5:-:Cheap BERT pre-training|6:5:Reproduce the cost at small scale|7:5:Write the cost model|8:-:Metrics the community can compare|9:8:Draft a reporting checklist|10:8:Which benchmarks matter?"

# What only the store knows: on goal 1, on the milestone that will move
# (#4) and on the one that will be retitled in place (#7).
ok note 1 'Talked to Ana about PAC-Bayes'
ok log 1 1h
ok metric add 1 tightness --baseline 0 --target 1
ok metric log 1 tightness 0.4 --date 2026-02-01
ok predict --item 1 --p 0.6 'A bound by June'
ok note 4 'Baseline repo is torchprune'
ok log 4 2h
ok metric add 4 runs --baseline 0 --target 12
ok note 7 'Count GPU hours, not dollars'
ok log 7 30m

# The new ranking: a new goal at the top, goals 1 and 2 swapped, the
# baseline moved to the BERT goal, the cost model retitled in place, a
# new milestone between two old ones, goal 3's milestones reordered.
cat >"$POST" <<'EOF'
---
layout: post
title: Research goals, 2026
---
1. Train an MNIST classifier on a simulated quantum computer
   - [ ] Pick a simulator
2. Cheap BERT pre-training

   Metric: cost (USD) from 7000 to 100; latest 3500 on 2026-02-01 (50.7% of the way).

   - [ ] Reproduce the cost at small scale
   - [ ] Write a cost model for pre-training
   - [ ] Replicate the strongest baseline
3. **Compression with guarantees.** Bounds that hold before fine-tuning.
   - [x] Survey pruning bounds
   - [ ] Write up the bound
   - [ ] Prove a bound for structured pruning
4. Metrics the community can compare
   - Which benchmarks matter?
   - [ ] Draft a reporting checklist
EOF

ok import "$POST"
# Updated: the moved milestone, the retitled one, and the three old
# goals, which the file put in a new order (their rank).
expect "imported $POST (md): 3 added, 5 updated, 5 unchanged"
check "no warning" [ -z "$err" ]
sql_is "goal order is the file's, as ranks" \
	"SELECT group_concat(id || ':' || rank, '|') FROM (SELECT id, rank FROM item WHERE parent IS NULL ORDER BY rank)" \
	"11:1|5:2|1:3|8:4"
# Every old item kept its id; the moved one has a new parent, the
# retitled one a new title; the new goal and milestones are new items.
sql_is "ids, parents and titles after re-ranking" \
	"SELECT group_concat(id || ':' || ifnull(parent, '-') || ':' || title, '|') FROM item" \
	"1:-:Compression with guarantees.|2:1:Survey pruning bounds|3:1:Prove a bound for structured pruning|4:5:Replicate the strongest baseline|5:-:Cheap BERT pre-training|6:5:Reproduce the cost at small scale|7:5:Write a cost model for pre-training|8:-:Metrics the community can compare|9:8:Draft a reporting checklist|10:8:Which benchmarks matter?|11:-:Train an MNIST classifier on a simulated quantum computer|12:11:Pick a simulator|13:1:Write up the bound"
sql_is "the new goal is a goal of its own" \
	"SELECT kind || ' ' || status FROM item WHERE id = 11" "goal planned"
sql_is "the retitled milestone keeps its old title in its history" \
	"SELECT group_concat(text, '|') FROM (SELECT text FROM statement WHERE item = 7 ORDER BY id)" \
	"Write the cost model|Write a cost model for pre-training"
sql_is "goal 1's history stayed with it" \
	"SELECT (SELECT group_concat(text) FROM note WHERE item = 1) || '|' || (SELECT sum(minutes) FROM time_entry WHERE item = 1) || '|' || (SELECT group_concat(name) FROM metric WHERE item = 1) || '|' || (SELECT group_concat(statement) FROM prediction WHERE item = 1)" \
	"Talked to Ana about PAC-Bayes|60|tightness|A bound by June"
sql_is "the moved milestone's history moved with it" \
	"SELECT (SELECT group_concat(text) FROM note WHERE item = 4) || '|' || (SELECT sum(minutes) FROM time_entry WHERE item = 4) || '|' || (SELECT group_concat(name) FROM metric WHERE item = 4)" \
	"Baseline repo is torchprune|120|runs"
sql_is "the retitled milestone kept its history" \
	"SELECT (SELECT group_concat(text) FROM note WHERE item = 7) || '|' || (SELECT sum(minutes) FROM time_entry WHERE item = 7)" \
	"Count GPU hours, not dollars|30"
sql_is "nothing else holds a note, time or a metric" \
	"SELECT (SELECT count(*) FROM note WHERE item NOT IN (1, 4, 7)) + (SELECT count(*) FROM time_entry WHERE item NOT IN (1, 4, 7)) + (SELECT count(*) FROM metric WHERE item NOT IN (1, 4, 5))" 0
sql_is "the metric line is still goal 2's, observed once" \
	"SELECT m.item || ' ' || count(o.id) FROM metric m JOIN observation o ON o.metric = m.id WHERE m.name = 'cost'" \
	"5 1"
sql_is "the bold lead is still title and body" \
	"SELECT body FROM item WHERE id = 1" "Bounds that hold before fine-tuning."
# Rank comes before likelihood: the export keeps the file's order.
ok export --format md
check "the file's order, as ranked" \
	sh -c 'printf "%s\n" "$1" | grep "^[0-9]\. " | tr "\n" "|" | grep -qxF "1. Train an MNIST classifier on a simulated quantum computer|2. Cheap BERT pre-training|3. Compression with guarantees.|4. Metrics the community can compare|"' \
	sh "$out"
ok set 11 likelihood=0.9
ok set 5 likelihood=0.8
ok set 1 likelihood=0.7
ok set 8 likelihood=0.6
ok export --format md
check "export ranks as likelihoods say" \
	sh -c 'printf "%s\n" "$1" | grep "^[0-9]\. " | tr "\n" "|" | grep -qxF "1. Train an MNIST classifier on a simulated quantum computer|2. Cheap BERT pre-training|3. Compression with guarantees.|4. Metrics the community can compare|"' \
	sh "$out"

# Once more: nothing added, nothing changed, no event journalled.
before=$(snapshot | grep -v 'INSERT INTO change')
events=$(sql "SELECT count(*) FROM event")
ok import "$POST"
expect "imported $POST (md): 0 added, 0 updated, 13 unchanged"
check "no warning" [ -z "$err" ]
after=$(snapshot | grep -v 'INSERT INTO change')
same "importing the re-ranked file again changes no data" "$after" "$before"
sql_is "and journals nothing" "SELECT count(*) FROM event" "$events"

# The old file again: everything goes back to its place and title; the
# new items stay, as items dropped from a file always do.
cp "$TMP/old.md" "$POST"
ok import "$POST"
expect "imported $POST (md): 0 added, 4 updated, 6 unchanged"
sql_is "the old order again (the goal not in the file keeps its rank)" \
	"SELECT group_concat(id || ':' || rank, '|') FROM (SELECT id, rank FROM item WHERE parent IS NULL ORDER BY id)" \
	"1:1|5:2|8:3|11:1"
sql_is "back in place" \
	"SELECT group_concat(id || ':' || ifnull(parent, '-') || ':' || title, '|') FROM item" \
	"1:-:Compression with guarantees.|2:1:Survey pruning bounds|3:1:Prove a bound for structured pruning|4:1:Replicate the strongest baseline|5:-:Cheap BERT pre-training|6:5:Reproduce the cost at small scale|7:5:Write the cost model|8:-:Metrics the community can compare|9:8:Draft a reporting checklist|10:8:Which benchmarks matter?|11:-:Train an MNIST classifier on a simulated quantum computer|12:11:Pick a simulator|13:1:Write up the bound"

# Export -> import into an empty store -> export still gives the same
# text.
"$CAIRN" export --format jekyll --out "$TMP/a.md"
CAIRN_DB="$TMP/rt.db" "$CAIRN" import "$TMP/a.md" >/dev/null 2>&1
CAIRN_DB="$TMP/rt.db" "$CAIRN" export --format jekyll --out "$TMP/b.md"
check "round trip gives the same text" cmp -s "$TMP/a.md" "$TMP/b.md"

# Goals that changed places with one of them gone (C's old place 3 is
# past the file's end), a title twice (each takes the one below its own
# parent), a goal added at the top and then moved down (found by its
# title), and a goal retitled at a place whose item another goal kept:
# it is new, and its milestones, matched by title, move to it; nothing
# is attached to another item's history.
export CAIRN_DB="$TMP/two.db"
printf '1. A\n   - x\n   - y\n2. B\n   - x\n3. C\n   - z\n' >"$POST"
ok import "$POST"
ok note 6 'C, the third goal'
ok note 3 'y below A'
printf '1. C\n   - z\n2. A\n   - y\n   - x\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 0 added, 2 updated, 3 unchanged"
sql_is "C and A found by title, B left alone" \
	"SELECT group_concat(id || ':' || ifnull(parent, '-') || ':' || title, '|') FROM item" \
	"1:-:A|2:1:x|3:1:y|4:-:B|5:4:x|6:-:C|7:6:z"
printf '1. N\n2. B\n   - x\n3. A\n   - x\n   - y\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 1 added, 2 updated, 3 unchanged"
sql_is "each x stays below its own goal" \
	"SELECT group_concat(id || ':' || ifnull(parent, '-') || ':' || title, '|') FROM item WHERE title IN ('x', 'N')" \
	"2:1:x|5:4:x|8:-:N"
printf '1. B\n   - x\n2. A\n   - x\n   - y\n3. N\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 0 added, 3 updated, 3 unchanged"
printf '1. B\n   - x\n2. A2\n   - x\n   - y\n3. N\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 1 added, 2 updated, 3 unchanged"
sql_is "a goal retitled where another was is new, the other untouched" \
	"SELECT group_concat(id || ':' || title, '|') FROM item WHERE parent IS NULL" \
	"1:A|4:B|6:C|8:N|9:A2"
sql_is "its milestones, matched by title, followed it" \
	"SELECT group_concat(id || ':' || parent, '|') FROM item WHERE id IN (2, 3)" \
	"2:9|3:9"

# A title twice below one goal: the old item stays with the list item
# nearest the place it was added at, the other is new, and the same file
# again gives each the same item (not the newer item to the nearer one).
export CAIRN_DB="$TMP/dup.db"
printf '1. G\n   - A\n   - B\n   - T\n\n     first T\n' >"$POST"
ok import "$POST"
printf '1. G\n   - T\n\n     second T\n   - A\n   - B\n   - T\n\n     first T\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 1 added, 0 updated, 4 unchanged"
sql_is "the old T kept its body, the new one has the other" \
	"SELECT group_concat(id || ':' || body, '|') FROM item WHERE title = 'T'" \
	"4:first T|5:second T"
ok import "$POST"
expect "imported $POST (md): 0 added, 0 updated, 5 unchanged"

# An item at the key of a place is taken over only where it still is: a
# milestone moved to another goal and then dropped from the file is not
# retitled into the new milestone that took its old place.
export CAIRN_DB="$TMP/moved.db"
printf '1. G1\n   - a\n   - b\n   - m\n2. G2\n   - c\n' >"$POST"
ok import "$POST"
printf '1. G1\n   - a\n   - b\n2. G2\n   - c\n   - m\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 0 added, 1 updated, 5 unchanged"
printf '1. G1\n   - a\n   - b\n   - n\n2. G2\n   - c\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 1 added, 0 updated, 5 unchanged"
sql_is "m stays below G2, n is new below G1" \
	"SELECT group_concat(id || ':' || parent || ':' || title, '|') FROM item WHERE title IN ('m', 'n')" \
	"4:5:m|7:1:n"

finish
