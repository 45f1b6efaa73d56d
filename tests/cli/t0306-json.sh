#!/bin/sh
# --json on every read command (show, list, tree, history): one JSON
# document, before or after the command, with the stable field names of
# DESIGN.md section 2; listings are arrays of objects.
. "$(dirname "$0")/lib.sh"

fields='["id", "uuid", "kind", "title", "body", "parent", "status", "why", "scope", "p_success", "novelty", "estimate", "due", "likelihood", "rank", "driven", "visibility", "created", "started", "finished"]'

ok init
ok --json list
json_ok "empty list" 'd == []'
ok --json tree
json_ok "empty tree" 'd == []'

ok add goal "BERT for under \$100" --likelihood 0.75 --driven goal --scope 5 \
	--visibility public --tag efficiency
ok add milestone "Cost model" --under 1 --p-success 0.9 --estimate 2/3/5 \
	--due 2026-04-01 --novelty 2 --status active
ok add question "Data order or shape?" --under 1
ok dep add 3 2
ok drop 3 --why "answered elsewhere"

for c in "list" "list --all" "tree" "tree --all" "show 1" "history" "history 2"; do
	# shellcheck disable=SC2086
	ok --json $c
	first=$out
	json_ok "--json $c parses" 'd is not None'
	# shellcheck disable=SC2086
	ok $c --json
	same "--json after $c is the same" "$out" "$first"
	case "$out" in
	"["*|"{"*) pass ;;
	*) fail "--json $c is not one JSON document" ;;
	esac
done

ok --json list --all
json_ok "list items carry exactly the section 2 fields" \
	"all(list(x.keys()) == $fields for x in d)"
json_ok "list types" 'all(isinstance(x["id"], int) and isinstance(x["title"], str) for x in d)'
json_ok "list values" 'd[1]["id"] == 2 and d[1]["kind"] == "milestone" and d[1]["title"] == "Cost model" and d[1]["status"] == "active" and d[1]["parent"] == 1 and d[1]["p_success"] == 0.9 and d[1]["novelty"] == 2 and d[1]["estimate"] == {"optimistic": 2, "likely": 3, "pessimistic": 5} and d[1]["due"] == "2026-04-01" and d[1]["started"] == "2026-03-01T09:00:00Z"'
json_ok "dropped with why" 'd[2]["status"] == "dropped" and d[2]["why"] == "answered elsewhere" and d[2]["finished"] == "2026-03-01T09:00:00Z"'
json_ok "goal fields" 'd[0]["likelihood"] == 0.75 and d[0]["driven"] == "goal" and d[0]["visibility"] == "public" and d[0]["parent"] is None and d[0]["scope"] == 5'

# Numbers print as entered, not as their nearest double's 17 digits.
ok --json show 2
contains '"p_success": 0.9,'
ok --json list
contains '"likelihood":0.75,'

ok --json tree
json_ok "tree nodes are items with children" \
	"all(list(x.keys()) == $fields + ['children'] for x in d)"
json_ok "tree nesting" 'd[0]["id"] == 1 and [c["id"] for c in d[0]["children"]] == [2]'

ok --json show 1
json_ok "show has the item fields first" "list(d.keys())[:20] == $fields"
json_ok "show attachments" 'list(d.keys())[20:] == ["tags", "links", "notes", "statements", "builds_on", "needed_by", "children", "metrics", "papers", "lessons"]'
json_ok "show values" 'd["tags"] == ["efficiency"] and d["children"] == [2, 3]'

ok --json history
json_ok "history changes" 'all(set(["change", "time", "actor", "label", "undo_of", "undone_by", "events"]) <= set(c) for c in d)'
json_ok "history events" 'all(set(["entity", "id", "item", "before", "after"]) <= set(e) for c in d for e in c["events"])'

# Titles with quotes, backslashes, newlines and non-ASCII survive JSON.
title='He said "x\y" — 可以 🚀'
ok add idea "$title"
ok --json show 4
json_ok "escaping" "d['title'] == '''$title'''"
ok set 4 "body=line one
line two"
ok --json list --kind idea
json_ok "newline in body" 'd[0]["body"] == "line one\nline two"'

# Errors stay on stderr with --json: stdout is empty.
rejects 1 --json show 99
rejects 2 --json list --kind task
finish
