#!/bin/sh
# tag (+T -T, bare T), link [--label], note, refine (statement history
# kept), promote (--to, --under).
. "$(dirname "$0")/lib.sh"

ok add goal "Compression with guarantees"
ok add milestone "Survey" --under 1

# --- tag
ok tag 2 +prior-work +reading survey
expect "tagged #2"
sql_is "three tags" "SELECT group_concat(name, ' ') FROM (SELECT name FROM tag WHERE item = 2 ORDER BY name)" \
	"prior-work reading survey"
ok tag '#2' -reading +theory
sql_is "+ and - in one go" "SELECT group_concat(name, ' ') FROM (SELECT name FROM tag WHERE item = 2 ORDER BY name)" \
	"prior-work survey theory"
ok tag 2 +theory -absent
sql_is "re-adding and removing an absent tag are no-ops" \
	"SELECT count(*) FROM tag WHERE item = 2" 3
ok show 2
contains "tags        prior-work, survey, theory"
ok list --tag theory
contains "Survey"
lacks "Compression"
rejects 1 tag 2 "+two words"
err_contains "'two words'"
rejects 1 tag 2 +a,b
err_contains "'a,b'"
rejects 1 tag 2 +
err_contains "empty tag"
rejects 1 tag 99 +x
err_contains "#99"
rejects 2 tag 2
err_contains "missing +TAG"
rejects 2 tag
err_contains "missing ID"
# All or nothing: a bad tag after a good one adds neither.
rejects 1 tag 2 +fine "+not fine"

# --- link
ok link 2 https://arxiv.org/abs/1510.00149 --label "Deep Compression"
expect "linked #2 to https://arxiv.org/abs/1510.00149"
ok link 2 http://example.org/notes
ok link 2 mailto:mentor@example.org
sql_is "links with labels" "SELECT url, coalesce(label, '-'), created FROM link WHERE item = 2 ORDER BY id" \
	"https://arxiv.org/abs/1510.00149|Deep Compression|2026-03-01T09:00:00Z
http://example.org/notes|-|2026-03-01T09:00:00Z
mailto:mentor@example.org|-|2026-03-01T09:00:00Z"
ok show 2
contains "links
  Deep Compression <https://arxiv.org/abs/1510.00149>
  http://example.org/notes
  mailto:mentor@example.org"
ok --json show 2
json_ok "json links" 'd["links"][0] == {"url": "https://arxiv.org/abs/1510.00149", "label": "Deep Compression", "created": "2026-03-01T09:00:00Z"} and d["links"][1]["label"] is None'
rejects 1 link 2 ftp://example.org
err_contains "'ftp://example.org'"
rejects 1 link 2 "https://exa mple.org"
rejects 1 link 99 https://example.org
err_contains "#99"
rejects 2 link 2
err_contains "missing URL"
rejects 2 link 2 https://a.org https://b.org
rejects 2 link 2 https://a.org --label
rejects 2 link 2 https://a.org --title x

# --- note
CAIRN_NOW=2026-03-02T10:30:00Z run note 2 Pruning baselines disagree by 2 points
same "note says" "$out" "noted #2"
ok note '#2' "Second note"
sql_is "notes in order" "SELECT created, text FROM note WHERE item = 2 ORDER BY id" \
	"2026-03-02T10:30:00Z|Pruning baselines disagree by 2 points
2026-03-01T09:00:00Z|Second note"
ok show 2
contains "notes"
contains "2026-03-02 10:30  Pruning baselines disagree by 2 points"
# Notes may span lines.
ok note 2 "$(printf 'line one\nline two')"
sql_is "multi-line note" "SELECT text FROM note WHERE id = 3" "line one
line two"
rejects 1 note 99 text
err_contains "#99"
rejects 2 note 2
err_contains "missing TEXT"
rejects 2 note
err_contains "missing ID"
rejects 1 note 2 ""
err_contains "note must not be empty"

# --- refine: the title changes, every statement stays with its date.
CAIRN_NOW=2026-06-01T09:00:00Z run refine 1 "Compression with a provable bound on accuracy loss"
same "refine says" "$out" "refined #1"
CAIRN_NOW=2027-01-15T09:00:00Z run refine 1 Compression within 1% of the bound on ResNet-50
sql_is "title is the newest statement" "SELECT title FROM item WHERE id = 1" \
	"Compression within 1% of the bound on ResNet-50"
sql_is "statement history" "SELECT created, text FROM statement WHERE item = 1 ORDER BY id" \
	"2026-03-01T09:00:00Z|Compression with guarantees
2026-06-01T09:00:00Z|Compression with a provable bound on accuracy loss
2027-01-15T09:00:00Z|Compression within 1% of the bound on ResNet-50"
ok show 1
contains "statements
  2026-03-01 09:00  Compression with guarantees
  2026-06-01 09:00  Compression with a provable bound on accuracy loss
  2027-01-15 09:00  Compression within 1% of the bound on ResNet-50"
ok --json show 1
json_ok "json statements" '[s["text"] for s in d["statements"]] == ["Compression with guarantees", "Compression with a provable bound on accuracy loss", "Compression within 1% of the bound on ResNet-50"] and d["statements"][1]["time"] == "2026-06-01T09:00:00Z"'
rejects 1 refine 1 "Compression within 1% of the bound on ResNet-50"
err_contains "already reads"
rejects 1 refine 99 x
rejects 2 refine 1
err_contains "missing STATEMENT"

# --- promote: an idea becomes a goal (at the top) or a milestone (under
# something), keeping its notes and links.
ok add idea "Pruning bound as a regulariser"
ok note 3 "came up in reading group"
ok link 3 https://example.org/idea
ok promote 3
expect "promoted #3 to goal"
sql_is "promoted to goal" "SELECT kind, status, parent IS NULL FROM item WHERE id = 3" "goal|planned|1"
sql_is "note and link kept" "SELECT (SELECT count(*) FROM note WHERE item = 3), (SELECT count(*) FROM link WHERE item = 3)" "1|1"

ok add idea "Leaderboard of cost to accuracy"
ok promote 4 --under 1
expect "promoted #4 to milestone"
sql_is "promoted under" "SELECT kind, status, parent FROM item WHERE id = 4" "milestone|planned|1"

ok add idea "Why does the bound break for attention?"
ok promote 5 --to question --under '#1'
expect "promoted #5 to question"
sql_is "promoted to question" "SELECT kind, parent FROM item WHERE id = 5" "question|1"

ok add idea "Stand-alone milestone"
ok promote 6 --to milestone
sql_is "promoted --to milestone at the top" "SELECT kind, parent IS NULL FROM item WHERE id = 6" "milestone|1"

ok add idea "Big goal under a goal"
ok promote 7 --to goal --under 1
sql_is "promoted --to goal --under" "SELECT kind, parent FROM item WHERE id = 7" "goal|1"

rejects 1 promote 1
err_contains "#1 is a goal, not an idea"
ok add idea "Another"
rejects 2 promote 8 --to idea
err_contains "'idea'"
rejects 2 promote 8 --to task
err_contains "'task'"
rejects 1 promote 8 --under 99
err_contains "#99"
rejects 1 promote 99
rejects 2 promote
err_contains "missing ID"
rejects 2 promote 8 --to
finish
