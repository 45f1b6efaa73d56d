#!/bin/sh
# import --as-of: a 2020 post imported in 2026 is recorded as it stood in
# 2020 (the change, the items' created stamps and their statements are
# dated then), so that a look-back from a later day of 2020 sees those
# goals as they were and what happened to them since.  Only a file whose
# items are all new can be back-dated; a refused import changes nothing.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/post.md" <<'POST'
---
layout: post
title: "Research goals, 2020"
date: 2020-06-01 09:00:00 +0200
---

1. BERT-level pre-training for under $100 of compute (Currently $7,000)
   - [ ] Reproduce BERT-base pre-training cost at small scale
2. Compression methods with provable approximation guarantees
3. Train an MNIST classifier on a simulated quantum computer
POST

export CAIRN_NOW=2026-02-01T10:00:00Z
ok init
ok import "$TMP/post.md" --as-of 2020-06-01
contains "4 added, 0 updated, 0 unchanged"
sql_is "the items are created on the post's day" \
	"SELECT DISTINCT created FROM item" "2020-06-01T00:00:00Z"
sql_is "so are their statements" \
	"SELECT DISTINCT created FROM statement" "2020-06-01T00:00:00Z"
sql_is "and the metric the post names" \
	"SELECT name, created FROM metric" "cost|2020-06-01T00:00:00Z"
sql_is "the change is dated then and says it was back-dated" \
	"SELECT time, label FROM change ORDER BY id DESC LIMIT 1" \
	"2020-06-01T00:00:00Z|import $TMP/post.md --as-of 2020-06-01 (as of 2020-06-01, imported 2026-02-01)"
ok history
contains "2020-06-01 00:00  import $TMP/post.md --as-of 2020-06-01 (as of 2020-06-01, imported 2026-02-01)"

# Six years on: a goal sharpened, one dropped, one added.
export CAIRN_NOW=2026-02-10T10:00:00Z
ok refine 1 'BERT-level pre-training for under $100, on one GPU in a day'
export CAIRN_NOW=2026-02-11T10:00:00Z
ok drop 4 --why "no time on a quantum simulator"
export CAIRN_NOW=2026-02-12T10:00:00Z
ok add goal "Generalization bounds from compression"

export CAIRN_NOW=2026-03-01T09:00:00Z
ok lookback --since 2020-06-02
contains "Look-back from 2020-06-02 to now"
contains "Dropped (1)
  2026-02-11  #4 goal: Train an MNIST classifier on a simulated quantum computer
              why: no time on a quantum simulator"
contains "Goals added (1)
  2026-02-12  #5 goal: Generalization bounds from compression"
contains 'Statements changed (1)
  #1 goal, 2026-02-10 10:00
    was: BERT-level pre-training for under $100 of compute (Currently $7,000)
    now: BERT-level pre-training for under $100, on one GPU in a day'
ok --json lookback --since 2020-06-02
json_ok "the JSON says the same" \
	'[g["id"] for g in d["added"]] == [5] and [x["id"] for x in d["dropped"]] == [4] and d["statements"][0]["old"].startswith("BERT-level pre-training for under $100 of compute")'
# The post's day itself: the goals as the post stated them.
ok lookback --since 2020-06-01 --until 2020-06-01
contains 'Goals added (3)
  2020-06-01  #1 goal: BERT-level pre-training for under $100 of compute (Currently $7,000)
  2020-06-01  #3 goal: Compression methods with provable approximation guarantees
  2020-06-01  #4 goal: Train an MNIST classifier on a simulated quantum computer'
contains "Dropped (0)"
contains "Statements changed (0)"

# Refused, the store unchanged: the same post again (its items are in
# the store), an edited one (it would update them), a date after now, a
# format that is not Markdown, a post without a date for --as-of post.
rejects 1 import "$TMP/post.md" --as-of 2020-06-01
err_contains "cannot import 'post.md' as of 2020-06-01: 4 of its items are already in the store, and back-dating would rewrite their history (import it without --as-of)"
mkdir "$TMP/ed"
sed 's/Compression methods/Sharper compression methods/' "$TMP/post.md" \
	>"$TMP/ed/post.md"
rejects 1 import "$TMP/ed/post.md" --as-of 2020-06-01
err_contains "4 of its items are already in the store"
rejects 1 import "$TMP/post.md" --as-of 2030-01-01
err_contains "cannot import 'post.md' as of 2030-01-01: that is after now (2026-03-01)"
echo '[{"description":"t","uuid":"00000000-0000-4000-8000-000000000001","status":"pending","entry":"20200101T000000Z"}]' >"$TMP/tasks.json"
rejects 1 import "$TMP/tasks.json" --as-of 2020-01-01
err_contains "only a Markdown roadmap or post can be back-dated, not taskwarrior"
printf -- '---\ntitle: Goals\n---\n\n1. A goal of its own\n' >"$TMP/nodate.md"
rejects 1 import "$TMP/nodate.md" --as-of post
err_contains "'nodate.md' has no date in its front matter"
printf -- '---\ndate: June 2020\n---\n\n1. A goal of its own\n' >"$TMP/baddate.md"
rejects 1 import "$TMP/baddate.md" --as-of post
err_contains "malformed date 'June 2020' in the front matter of 'baddate.md'"
rejects 2 import "$TMP/nodate.md" --as-of someday
# Without --as-of, the edited post updates the store as ever.
ok import "$TMP/ed/post.md"
contains "0 added, 1 updated"

# --as-of post: the front matter's day, in a fresh store.
export CAIRN_DB="$TMP/other.db"
ok import "$TMP/post.md" --as-of post
sql_is "dated by the front matter" \
	"SELECT time FROM change ORDER BY id DESC LIMIT 1" "2020-06-01T00:00:00Z"
sql_is "its items too" "SELECT DISTINCT created FROM item" \
	"2020-06-01T00:00:00Z"
finish
