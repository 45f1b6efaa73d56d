#!/bin/sh
# history [ID] [--since DATE] [--until DATE]: the journal, one change per
# heading with its events, oldest first; --json; a removed item keeps its
# history; undone changes are marked.
. "$(dirname "$0")/lib.sh"

CAIRN_NOW=2026-01-10T08:00:00Z run add goal "Compression" --tag theory
CAIRN_NOW=2026-02-01T09:30:00Z run add milestone "Survey" --under 1
CAIRN_NOW=2026-02-15T12:00:00Z run set 2 scope=2 p_success=0.9
CAIRN_NOW=2026-03-01T00:00:00Z run refine 1 "Compression with guarantees"
CAIRN_NOW=2026-03-20T18:45:00Z run note 2 "read 12 papers"

ok history
expect "2026-01-10 08:00  add goal Compression --tag theory
  + goal #1 'Compression'
  + statement on #1: 'Compression'
  + tag on #1: 'theory'
2026-02-01 09:30  add milestone Survey --under 1
  + milestone #2 'Survey'
  + statement on #2: 'Survey'
2026-02-15 12:00  set 2 scope=2 p_success=0.9
  ~ milestone #2 scope - -> 2, p_success - -> 0.9
2026-03-01 00:00  refine 1 'Compression with guarantees'
  ~ goal #1 title 'Compression' -> 'Compression with guarantees'
  + statement on #1: 'Compression with guarantees'
2026-03-20 18:45  note 2 'read 12 papers'
  + note on #2: 'read 12 papers'"
all=$out

ok history 2
expect "2026-02-01 09:30  add milestone Survey --under 1
  + milestone #2 'Survey'
  + statement on #2: 'Survey'
2026-02-15 12:00  set 2 scope=2 p_success=0.9
  ~ milestone #2 scope - -> 2, p_success - -> 0.9
2026-03-20 18:45  note 2 'read 12 papers'
  + note on #2: 'read 12 papers'"
ok history '#1'
contains "add goal Compression --tag theory"
contains "refine 1"
lacks "Survey"

# --since is inclusive, --until exclusive; dates mean midnight UTC.
heads() { printf '%s\n' "$out" | grep -v '^  ' | cut -c1-16 | tr '\n' ' '; }
ok history --since 2026-02-15
same "--since date" "$(heads)" "2026-02-15 12:00 2026-03-01 00:00 2026-03-20 18:45 "
ok history --since 2026-03-01T00:00:00Z
same "--since is inclusive" "$(heads)" "2026-03-01 00:00 2026-03-20 18:45 "
ok history --until 2026-03-01
same "--until is exclusive" "$(heads)" "2026-01-10 08:00 2026-02-01 09:30 2026-02-15 12:00 "
ok history --since 2026-02-01 --until 2026-02-16
same "--since and --until" "$(heads)" "2026-02-01 09:30 2026-02-15 12:00 "
ok history 2 --since 2026-02-10 --until 2026-03-01
same "ID with a window" "$(heads)" "2026-02-15 12:00 "
ok history --since 2026-02-01T09:30
same "timestamp without seconds" "$(heads)" "2026-02-01 09:30 2026-02-15 12:00 2026-03-01 00:00 2026-03-20 18:45 "
# Relative dates count from CAIRN_NOW (2026-03-21 here).
CAIRN_NOW=2026-03-21T10:00:00Z run history --since -3w
same "--since -3w" "$(heads)" "2026-03-01 00:00 2026-03-20 18:45 "
CAIRN_NOW=2026-03-21T10:00:00Z run history --since yesterday
same "--since yesterday" "$(heads)" "2026-03-20 18:45 "
CAIRN_NOW=2026-03-21T10:00:00Z run history --since today
same "--since today: nothing" "$out" ""
ok history --until 2026-01-01
same "empty window" "$out" ""

# --json: changes with their events, before and after as objects.
ok --json history
json_ok "json changes" '[c["label"] for c in d] == ["add goal Compression --tag theory", "add milestone Survey --under 1", "set 2 scope=2 p_success=0.9", "refine 1 '"'"'Compression with guarantees'"'"'", "note 2 '"'"'read 12 papers'"'"'"]'
json_ok "json change fields" 'd[0]["time"] == "2026-01-10T08:00:00Z" and d[0]["actor"] == "tester" and d[0]["undo_of"] is None and d[0]["undone_by"] is None'
json_ok "json insert event" 'd[0]["events"][0]["entity"] == "item" and d[0]["events"][0]["id"] == 1 and d[0]["events"][0]["item"] == 1 and d[0]["events"][0]["before"] is None and d[0]["events"][0]["after"]["title"] == "Compression" and d[0]["events"][0]["after"]["kind"] == "goal"'
json_ok "json update event" 'd[2]["events"][0]["before"]["scope"] is None and d[2]["events"][0]["after"]["scope"] == 2 and d[2]["events"][0]["after"]["p_success"] == 0.9'
json_ok "json tag event" 'd[0]["events"][2]["entity"] == "tag" and d[0]["events"][2]["item"] == 1 and d[0]["events"][2]["after"]["name"] == "theory"'
ok history 2 --json --since 2026-03-01
json_ok "json with filters" 'len(d) == 1 and d[0]["events"][0]["entity"] == "note"'

# A removed item keeps its history; undone changes are marked.
CAIRN_NOW=2026-04-01T08:00:00Z run rm 2
CAIRN_NOW=2026-04-02T08:00:00Z run undo
ok history 2 --since 2026-04-01
expect "2026-04-01 08:00  rm 2  (undone)
  - statement on #2: 'Survey'
  - note on #2: 'read 12 papers'
  - milestone #2 'Survey'
2026-04-02 08:00  undo: rm 2
  + milestone #2 'Survey'
  + note on #2: 'read 12 papers'
  + statement on #2: 'Survey'"
ok --json history --since 2026-04-01
json_ok "json undo links" 'd[0]["undone_by"] == d[1]["change"] and d[1]["undo_of"] == d[0]["change"]'
CAIRN_NOW=2026-04-03T08:00:00Z run rm 2
ok history 2
contains "rm 2"
check "history of a removed item still works" [ "$rc" -eq 0 ]

# Reading history changes nothing.
before=$(snapshot)
ok history
same "history is read-only" "$(snapshot)" "$before"

rejects 1 history 99
err_contains "no history for #99"
rejects 2 history x
err_contains "'x'"
rejects 2 history --since soon
err_contains "'soon'"
rejects 2 history --until 2026-02-30
err_contains "'2026-02-30'"
rejects 2 history --since 2026-03-01T25:00
err_contains "'2026-03-01T25:00'"
rejects 2 history 1 2
err_contains "too many arguments"
rejects 2 history --since
rejects 2 history --after 2026-01-01
finish
