#!/bin/sh
# show ID (12 or #12): every field and attachment, as text and as JSON
# with the field names of DESIGN.md section 2.
. "$(dirname "$0")/lib.sh"

ok add goal "BERT for under \$100" --likelihood 0.75 --driven goal \
	--scope 5 --novelty 3 --body "Baseline: about \$7,000." \
	--visibility public --tag efficiency
ok add milestone "Cost model" --under 1 --p-success 0.9 \
	--estimate 2/3/5 --due 2026-04-01 --tag prior-work
ok add milestone "Small-scale run" --under 1
ok dep add 3 2
ok link 1 https://example.org/bert --label "BERT paper"
CAIRN_NOW=2026-03-02T14:05:00Z run note 1 "Budget counts GPU hours only"

ok show 1
expect "#1 BERT for under \$100
kind        goal
status      planned
scope       5
novelty     3
likelihood  0.75
driven      goal
visibility  public
created     2026-03-01T09:00:00Z
tags        efficiency

Baseline: about \$7,000.

below
  #2     planned  Cost model
  #3     planned  Small-scale run

links
  BERT paper <https://example.org/bert>

notes
  2026-03-02 14:05  Budget counts GPU hours only

statements
  2026-03-01 09:00  BERT for under \$100"
text=$out
ok show '#1'
same "#1 and 1 name the same item" "$out" "$text"

ok show 2
contains "parent      #1"
contains "p_success   0.9"
contains "estimate    2/3/5 days"
contains "due         2026-04-01"
contains "needed by
  #3     planned  Small-scale run"

ok --json show 1
json_ok "json fields" 'd["id"] == 1 and d["kind"] == "goal" and d["title"] == "BERT for under $100" and d["status"] == "planned" and d["parent"] is None and d["scope"] == 5 and d["novelty"] == 3 and d["likelihood"] == 0.75 and d["driven"] == "goal" and d["visibility"] == "public" and d["body"] == "Baseline: about $7,000." and d["created"] == "2026-03-01T09:00:00Z" and d["started"] is None and d["finished"] is None and len(d["uuid"]) == 36'
json_ok "json unset fields are null" 'd["p_success"] is None and d["estimate"] is None and d["due"] is None and d["why"] is None'
json_ok "json attachments" 'd["tags"] == ["efficiency"] and d["children"] == [2, 3] and d["notes"][0]["text"] == "Budget counts GPU hours only" and d["notes"][0]["time"] == "2026-03-02T14:05:00Z" and d["links"][0]["label"] == "BERT paper" and d["builds_on"] == [] and d["needed_by"] == []'
ok show 2 --json
json_ok "--json after the command" 'd["id"] == 2 and d["parent"] == 1 and d["p_success"] == 0.9 and d["estimate"] == {"optimistic": 2, "likely": 3, "pessimistic": 5} and d["due"] == "2026-04-01" and d["needed_by"] == [3]'
ok --json show 3
json_ok "json builds_on" 'd["builds_on"] == [2] and d["children"] == []'

rejects 1 show 99
err_contains "no item #99"
rejects 1 show '#99'
err_contains "#99"
rejects 2 show 1x
err_contains "malformed item id '1x'"
rejects 2 show 0
err_contains "'0'"
rejects 2 show '##1'
err_contains "'##1'"
rejects 1 --json show 99
rejects 2 show
err_contains "missing ID"
rejects 2 show 1 2
err_contains "too many arguments"

# Reading a missing store is an error, and does not create one.
rm -f "$CAIRN_DB" "$CAIRN_DB-wal" "$CAIRN_DB-shm"
rejects 1 show 1
err_contains "no store at '$CAIRN_DB'"
check "show creates no store" test ! -e "$CAIRN_DB"
finish
