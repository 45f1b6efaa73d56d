#!/bin/sh
# lesson and lessons: lessons on items, listing by subtree, full-text
# search (FTS5) that stays right through undo and removal, and bad input.
. "$(dirname "$0")/lib.sh"

ok add goal "BERT for under \$100"
ok add milestone "Reproduce the baseline" --under 1
ok add milestone "Survey pruning" 

ok lesson 2 "Gradient accumulation reproduces the large-batch baseline"
expect "lesson 1 on #2 (worked)"
ok lesson 2 --didnt-work Mixed precision without loss scaling diverged
expect "lesson 2 on #2 (did not work)"
export CAIRN_NOW=2026-03-02T09:00:00Z
ok lesson 3 "Exact low-rank bounds say little about trained weights"
ok lessons
expect "2026-03-01  #2    worked       Gradient accumulation reproduces the large-batch baseline
2026-03-01  #2    didn't work  Mixed precision without loss scaling diverged
2026-03-02  #3    worked       Exact low-rank bounds say little about trained weights"
ok lessons 1
check "lessons of a subtree" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
ok lessons 3
contains "Exact low-rank"
ok lessons --search DIVERGED
expect "2026-03-01  #2    didn't work  Mixed precision without loss scaling diverged"
ok lessons --search "baseline gradient"
contains "Gradient accumulation"
lacks "Mixed"
ok lessons --search "bound*"
contains "Exact low-rank"
ok lessons --search "weights" 2
expect ""
ok lessons --search '"quoted" NEAR: (odd)'
expect ""
ok --json lessons --search precision
json_ok "lessons --json" 'd == [{"id": 2, "item": 2, "created": "2026-03-01T09:00:00Z", "text": "Mixed precision without loss scaling diverged", "worked": False}]'

# The index follows undo and removal.
ok undo
ok lessons --search bounds
expect ""
ok rm 2
ok lessons --search precision
expect ""
ok undo
ok lessons --search precision
contains "Mixed precision"
check "FTS index intact" sql "INSERT INTO lesson_fts(lesson_fts) VALUES('integrity-check')"

rejects 1 lesson 9 "nothing here"
err_contains "no item #9"
rejects 1 lessons 9
rejects 1 lessons --search "   "
err_contains "has no words"
rejects 2 lesson 2
err_contains "missing TEXT"
rejects 2 lesson
rejects 2 lessons 1 2
finish
