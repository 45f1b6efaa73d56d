#!/bin/sh
# lookback --post: three years after a goals post, "Research goals: then
# and now" from the public items alone, against a golden file
# (tests/fixtures/lookback/post.md).  The history: the 2023 post imported
# --as-of its date, two refinements of one goal and one of another, a
# goal dropped with a reason, one added, one made private, the cost
# metric observed twice, milestones finished, lessons, predictions
# resolved; beside it a private goal with private notes, a private
# milestone and lesson under a public goal, a prediction about the private
# goal.  Nothing private may reach the post: no title, note, lesson,
# prediction or id.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/lookback"

cat >"$TMP/goals-2023.md" <<'POST'
---
layout: post
title: "Research goals, 2023"
date: 2023-01-15
---

What I am working toward, most likely first.

1. BERT-level pre-training for under $100 of compute (Currently $7,000)
   - [ ] Reproduce BERT-base pre-training cost at small scale
   - [ ] Match BERT-base GLUE with a $1,000 budget
2. Compression methods with provable approximation guarantees
   - [ ] Survey low-rank and pruning methods with error bounds
3. Train an MNIST classifier on a simulated quantum computer
4. Metrics the compression community can compare across papers
POST

export CAIRN_NOW=2023-02-01T10:00:00Z
setup import "$TMP/goals-2023.md" --as-of post
setup set 1 driven=goal
setup set 4 driven=goal
setup set 6 driven=idea
setup set 7 driven=goal
setup add goal "Quiet side bet on XYZZY compilers" --visibility private \
	--driven idea
private=$(sql "SELECT id FROM item WHERE title LIKE 'Quiet%'")
setup note "$private" "PRIVATE-NOTE-PLUGH: talk to the XYZZY team"
export CAIRN_NOW=2023-03-01T10:00:00Z
setup predict --item 1 --p 0.7 --by 2024-01-01 \
	"Mentor says the 1000-dollar run is worth a workshop paper"
setup predict --item "$private" --p 0.9 "SECRET-PREDICTION about XYZZY"
export CAIRN_NOW=2023-06-10T10:00:00Z
setup start 2
setup metric log 1 cost 5200 --date 2023-06-10
export CAIRN_NOW=2023-09-01T10:00:00Z
setup done 2
setup lesson 2 "Sequence-length warm-up saved a third of the compute"
export CAIRN_NOW=2023-11-20T10:00:00Z
setup refine 1 'BERT-base GLUE accuracy from pre-training under $100 (today about $5,200)'
export CAIRN_NOW=2024-01-05T10:00:00Z
setup resolve 1 yes
setup resolve 2 no
export CAIRN_NOW=2024-05-01T10:00:00Z
setup drop 6 --why "No access to a quantum simulator at a useful scale"
export CAIRN_NOW=2024-08-15T10:00:00Z
setup add goal "Generalization bounds from compression" \
	--visibility public --driven idea
export CAIRN_NOW=2025-02-01T10:00:00Z
setup refine 4 "Compression bounds that hold before fine-tuning"
setup set 7 visibility=private
export CAIRN_NOW=2025-03-01T10:00:00Z
setup add milestone "FROBOZZ internal cluster run" --under 1 \
	--visibility private
frobozz=$(sql "SELECT id FROM item WHERE title LIKE 'FROBOZZ%'")
setup done "$frobozz"
setup lesson "$frobozz" "PRIVATE-LESSON-GRUE about the cluster"
setup lesson "$private" "PRIVATE-LESSON-ZORK on the side bet"
# Time: 10 h on goal 1 and 5 h on goal 4 (public); 20 h on the private
# goal and 3 h on the private milestone under goal 1 must not show, not
# even in the shares.
setup log 1 10h --date 2025-03-01
setup log 4 5h --date 2025-03-01
setup log "$private" 20h --date 2025-03-01
setup log "$frobozz" 3h --date 2025-03-01
export CAIRN_NOW=2025-10-01T10:00:00Z
setup metric log 1 cost 2600 --date 2025-10-01
setup set 4 rank=1
setup done 5
export CAIRN_NOW=2026-01-10T10:00:00Z
setup refine 1 'BERT-base GLUE accuracy for under $100 of pre-training'
setup lesson 1 "Distilling from a larger model cost more than it saved" \
	--didnt-work

export CAIRN_NOW=2026-01-31T10:00:00Z
ok lookback --since 2023-02-02 --post --out "$TMP/post.md"
check "--out writes nothing on stdout" test -z "$out"
out=$(cat "$TMP/post.md")
same "the post is the golden one" "$out" "$(cat "$F/post.md")"
# The private goal, its note, lesson and prediction; the private
# milestone and its lesson; the goal made private since; and no id.
for secret in XYZZY PLUGH FROBOZZ GRUE ZORK SECRET "Metrics the compression"; do
	lacks "$secret"
done
check "no item id in the post" sh -c '! grep -Eq "#[0-9]|P[0-9]" "$1"' - \
	"$TMP/post.md"
contains "One goal from then is not shown here."
contains "Time: 67% of the time logged on the public goals in the period (10 hours)."
contains "Time: 33% of the time logged on the public goals in the period (5 hours)."
# The post read into an empty store is the public goals as they are
# now, in their order now (its one list; the rest is its introduction).
CAIRN_DB="$TMP/empty.db" "$CAIRN" import "$TMP/post.md" >/dev/null 2>&1
check "the post imports" test -s "$TMP/empty.db"
now=$(sql "SELECT group_concat(title, '|') FROM (SELECT title FROM item WHERE kind = 'goal' AND visibility = 'public' AND status <> 'dropped' ORDER BY rank IS NULL, rank, id)")
back=$(CAIRN_DB="$TMP/empty.db" sql "SELECT group_concat(title, '|') FROM (SELECT title FROM item ORDER BY id)")
same "imported, the public goals now" "$back" "$now"
# Standard output, the same text.
ok lookback --since 2023-02-02 --post
same "to stdout" "$out" "$(cat "$F/post.md")"
# A look-back post needs its start, and writes Markdown only.
fails 2 lookback --post
fails 2 lookback --since 2023-02-02 --out "$TMP/x.md"
fails 2 --json lookback --since 2023-02-02 --post
fails 1 lookback --since 2023-02-02 --post --out "$TMP/no/such/dir/p.md"

# Later changes do not change the answer about the same period: a
# refinement, a status change undone, a new goal and a removed one, all
# after 2026-01-31, leave the post with --until 2026-01-31 as it was.
export CAIRN_NOW=2026-03-01T10:00:00Z
setup refine 1 "A later statement that the old post must not show"
setup done 4
setup undo
setup add goal "A goal added after the period" --visibility public
late=$(sql "SELECT id FROM item WHERE title LIKE 'A goal added after%'")
setup rm "$late"
setup set 4 rank=3
ok lookback --since 2023-02-02 --until 2026-01-31 --post --out "$TMP/later.md"
same "the same post after later edits, undos and removals" \
	"$(cat "$TMP/later.md")" "$(cat "$F/post.md")"
finish
