#!/bin/sh
# The lossless JSON dump: dump -> load into an empty store -> dump is
# byte-identical, for the demo store too (every entity the research and
# planning work adds comes along: metrics, papers, predictions, time,
# reviews); loading into a store with data merges by uuid and unique keys,
# twice adds nothing, and undo takes it back; a bad dump changes nothing.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/fmt"

# The demo store, with everything in it.
setup demo "$TMP/demo"
D="$TMP/demo/demo.db"
check "demo store built" test -s "$D"
setup --db "$D" export --format json --out "$TMP/demo.json"
check "dump has a format version" \
	grep -q '^"format": "cairn-dump",$' "$TMP/demo.json"
check "dump has the journal" grep -q '^"event": \[$' "$TMP/demo.json"
for t in item tag link note edge statement setting metric observation \
	paper prediction; do
	check "dump holds table $t" grep -q "^\"$t\": \[" "$TMP/demo.json"
done
ok import "$TMP/demo.json"
contains "restored $TMP/demo.json"
ok export --format json --out "$TMP/again.json"
check "demo: dump -> load -> dump is byte-identical" \
	cmp -s "$TMP/demo.json" "$TMP/again.json"
# The restored store works: history, undo, ids never reused.
ok history
ok undo
ok add goal 'After the restore'
max=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sequence"]["item"])' "$TMP/demo.json")
sql_is "new ids continue the old sequence" \
	"SELECT id > $max FROM item WHERE title = 'After the restore'" 1

# Merge: a store with items of its own takes the dump's on top.
export CAIRN_DB="$TMP/merge.db"
ok add goal 'Already here'
ok add milestone 'Also here' --under 1
ok import "$F/roadmap.json"
expect "imported $F/roadmap.json (json): 17 added, 0 updated, 0 unchanged"
sql_is "ids remapped, parents follow" \
	"SELECT p.title FROM item c JOIN item p ON p.id = c.parent WHERE c.title = 'Sub-step: cache tokenized data'" \
	'Match GLUE with a $1,000 budget'
sql_is "edges follow" \
	"SELECT count(*) FROM edge e JOIN item a ON a.id = e.item JOIN item b ON b.id = e.prereq WHERE a.title LIKE 'Replicate%' AND b.title LIKE 'Survey%'" 1
sql_is "metrics follow their item" \
	"SELECT i.title FROM metric m JOIN item i ON i.id = m.item WHERE m.name = 'cost'" \
	'BERT-level pre-training for under $100 of compute (Currently $7,000)'
sql_is "observations follow their metric" \
	"SELECT count(*) FROM observation o JOIN metric m ON m.id = o.metric WHERE m.name = 'cost'" 2
before=$(snapshot | grep -v 'INSERT INTO change\|INSERT INTO event')
ok import "$F/roadmap.json"
expect "imported $F/roadmap.json (json): 0 added, 0 updated, 17 unchanged"
after=$(snapshot | grep -v 'INSERT INTO change\|INSERT INTO event')
same "merging twice adds nothing" "$after" "$before"
# The file wins for what it holds.
ok set 6 title='Renamed here'
ok import "$F/roadmap.json"
expect "imported $F/roadmap.json (json): 0 added, 1 updated, 16 unchanged"
# One import is one change: undo takes the whole merge back (the import
# that changed nothing left no change to undo).
ok undo 3
sql_is "undo takes the merge back" "SELECT count(*) FROM item" 2
sql_is "undo takes the metrics back" "SELECT count(*) FROM metric" 0

# A bad dump changes nothing and says why.
export CAIRN_DB="$TMP/bad.db"
ok add goal 'Keep me'
python3 - "$F/roadmap.json" "$TMP" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def save(name, doc):
    with open(sys.argv[2] + "/" + name, "w") as f:
        json.dump(doc, f)
bad = json.loads(json.dumps(d))
bad["tables"]["link"][0]["url"] = "javascript:alert(1)"
save("js.json", bad)
bad = json.loads(json.dumps(d))
bad["tables"]["gadget"] = []
save("table.json", bad)
bad = json.loads(json.dumps(d))
bad["version"] = 99
save("version.json", bad)
bad = json.loads(json.dumps(d))
bad["tables"]["item"][5]["scope"] = 9
save("scope.json", bad)
bad = json.loads(json.dumps(d))
bad["tables"]["item"][2]["title"] = "   "
save("blank.json", bad)
bad = json.loads(json.dumps(d))
bad["tables"]["item"][3]["due"] = "next week"
save("due.json", bad)
bad = json.loads(json.dumps(d))
bad["tables"]["tag"][0]["name"] = "two words"
save("tag.json", bad)
bad = json.loads(json.dumps(d))
bad["tables"]["edge"].append({"id": 99, "item": 6, "prereq": 8,
                              "created": "2026-01-01T00:00:00Z"})
save("cycle.json", bad)
bad = json.loads(json.dumps(d))
items = bad["tables"]["item"]
items[0]["parent"] = items[5]["id"]
save("parent-cycle.json", bad)
PY
rejects 1 import "$TMP/js.json"
err_contains "refusing link 'javascript:alert(1)'"
rejects 1 import "$TMP/table.json"
err_contains "unknown table 'gadget'"
rejects 1 import "$TMP/version.json"
err_contains "version 99 dump, newer than this cairn"
rejects 1 import "$TMP/scope.json"
# The validators of 'add' see it before SQLite's CHECK does.
err_contains "'scope.json': item row 6: scope must be from 1 to 5, not 9"
# A blank title is refused as 'cairn add' refuses it, in a merge as in a
# restore into an empty store.
rejects 1 import "$TMP/blank.json"
err_contains "'blank.json': item row 3: title must not be empty"
CAIRN_DB="$TMP/empty-blank.db" ok init
CAIRN_DB="$TMP/empty-blank.db" rejects 1 import "$TMP/blank.json"
rejects 1 import "$TMP/due.json"
err_contains "'due.json': item row 4: malformed due date 'next week'"
rejects 1 import "$TMP/tag.json"
err_contains "'tag.json': tag row 1: tag 'two words' must not contain spaces or commas"
rejects 1 import "$TMP/cycle.json"
err_contains "would close a cycle of builds-on edges"
rejects 1 import "$TMP/parent-cycle.json"
err_contains "would put an item below itself"
printf '{\n"format": "cairn-dump",\n"version": 1,\n"tables": {"item": [}\n}\n' >"$TMP/broken.json"
rejects 1 import "$TMP/broken.json"
err_contains "malformed JSON in 'broken.json' at line 4, column"
printf '{"format": "other"}\n' >"$TMP/other.json"
rejects 1 import --format json "$TMP/other.json"
err_contains "not a cairn dump"
# An empty store refuses a bad dump too, and stays empty.
export CAIRN_DB="$TMP/empty.db"
ok init
rejects 1 import "$TMP/js.json"
finish
