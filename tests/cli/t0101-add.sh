#!/bin/sh
# add: every kind and every option, checked in the store, in show and in
# --json; default statuses; ids never reused.
. "$(dirname "$0")/lib.sh"

ok add goal "BERT-level pre-training for under \$100"
expect "added goal #1: BERT-level pre-training for under \$100"
sql_is "goal row" "SELECT id, kind, status, parent IS NULL, visibility, created FROM item" \
	"1|goal|planned|1|private|2026-03-01T09:00:00Z"
sql_is "first statement" "SELECT item, created, text FROM statement" \
	"1|2026-03-01T09:00:00Z|BERT-level pre-training for under \$100"
check "uuid" sh -c '[ "$(sqlite3 "$1" "SELECT length(uuid) FROM item WHERE id = 1")" = 36 ]' - "$CAIRN_DB"

# Every option at once.
ok add milestone Replicate the cramming paper --under 1 --scope 3 \
	--p-success 0.8 --novelty 2 --estimate 5/10/20 --due 2026-06-30 \
	--likelihood 0.7 --driven idea --tag prior-work --tag replication \
	--link https://arxiv.org/abs/2212.14034 --link mailto:me@example.org \
	--body "Reproduce *Cramming* on one GPU." --visibility public \
	--status active
expect "added milestone #2: Replicate the cramming paper"
sql_is "every field" "SELECT kind, title, body, parent, status, scope,
	p_success, novelty, optimistic, likely, pessimistic, due, likelihood,
	driven, visibility, started FROM item WHERE id = 2" \
	"milestone|Replicate the cramming paper|Reproduce *Cramming* on one GPU.|1|active|3|0.8|2|5.0|10.0|20.0|2026-06-30|0.7|idea|public|2026-03-01T09:00:00Z"
sql_is "tags" "SELECT group_concat(name, ',') FROM (SELECT name FROM tag WHERE item = 2 ORDER BY name)" \
	"prior-work,replication"
sql_is "links" "SELECT group_concat(url, ' ') FROM (SELECT url FROM link WHERE item = 2 ORDER BY id)" \
	"https://arxiv.org/abs/2212.14034 mailto:me@example.org"
sql_is "one change for the whole add" \
	"SELECT count(DISTINCT change) FROM event WHERE item = 2" 1

ok show 2
contains "#2 Replicate the cramming paper"
contains "scope       3"
contains "p_success   0.8"
contains "novelty     2"
contains "estimate    5/10/20 days"
contains "due         2026-06-30"
contains "likelihood  0.7"
contains "driven      idea"
contains "visibility  public"
contains "tags        prior-work, replication"
contains "Reproduce *Cramming* on one GPU."

# --json prints the new item.
ok --json add question "Is data order the lever?" --under '#1' --novelty 4
json_ok "json add" 'd["id"] == 3 and d["kind"] == "question" and d["parent"] == 1 and d["novelty"] == 4 and d["status"] == "planned" and d["title"] == "Is data order the lever?"'

# Default status: idea for ideas, planned otherwise.
ok add idea Use the bound as a regulariser
expect "added idea #4: Use the bound as a regulariser"
sql_is "idea status" "SELECT kind, status FROM item WHERE id = 4" "idea|idea"

# Percentages for probabilities; a single estimate means N/N/N; the
# goal-driven flag; title words joined.
ok add goal Metrics --p-success 35% --likelihood 60% --estimate 7 --driven goal
sql_is "percent and single estimate" \
	"SELECT p_success, likelihood, optimistic, likely, pessimistic, driven FROM item WHERE id = 5" \
	"0.35|0.6|7.0|7.0|7.0|goal"
ok add milestone Lab only --visibility lab --status paused --scope 1
sql_is "lab, paused" "SELECT visibility, status, scope FROM item WHERE id = 6" "lab|paused|1"
ok add goal "Done already" --status done
sql_is "done stamps finished" "SELECT status, finished FROM item WHERE id = 7" \
	"done|2026-03-01T09:00:00Z"

# Unicode titles are kept byte for byte.
ok add goal "可压缩性 — naïve café 🚀"
sql_is "unicode title" "SELECT title FROM item WHERE id = 8" "可压缩性 — naïve café 🚀"

# Ids are never reused: undo and rm leave gaps.
ok undo
ok rm 7
ok add goal Fresh
expect "added goal #9: Fresh"

# The journal label is the command line as typed.
sql_is "journal label" "SELECT label FROM change ORDER BY id DESC LIMIT 1" \
	"add goal Fresh"
sql_is "journal actor" "SELECT actor FROM change ORDER BY id DESC LIMIT 1" tester

# A new item takes its parent's visibility unless --visibility says
# otherwise; a root is private.  So a milestone added under a public goal
# is published and exported with it.
ok add goal Public goal --visibility public
ok add milestone Under the public goal --under 10
ok add question Below that --under 11
ok add milestone Kept private --under 10 --visibility private
ok add milestone Under the lab one --under 6
sql_is "visibility inherited" \
	"SELECT id, visibility FROM item WHERE id >= 9 ORDER BY id" \
	"9|private
10|public
11|public
12|public
13|private
14|lab"
ok --json add milestone Also public --under 10
json_ok "add --json shows the inherited visibility" 'd["visibility"] == "public"'
ok export --format md
contains "Under the public goal"
contains "Below that"
lacks "Kept private"
finish
