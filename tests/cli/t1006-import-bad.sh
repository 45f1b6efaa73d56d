#!/bin/sh
# Imports and bad input: formats are detected from the content; every
# importer has a size cap; invalid UTF-8 is refused with its byte offset,
# malformed front matter with its line and column; a failing file changes
# nothing; one import is one change that undo takes back.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/fmt"
ok init

# Detection from the content, whatever the file is called.
cp "$F/roadmap.json" "$TMP/dump.txt"
printf '1. A goal\n' >"$TMP/roadmap.txt"
printf '{"uuid":"11111111-1111-4111-8111-111111111111","description":"A task"}\n' >"$TMP/tasks.txt"
printf '[{"description":"Another task"}]\n' >"$TMP/array.txt"
printf 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' >"$TMP/cal.txt"
printf '%% refs\n@article{key, title={T}}\n' >"$TMP/refs.txt"
export CAIRN_DB="$TMP/detect.db"
ok import "$TMP/roadmap.txt"
contains "(md)"
ok import "$TMP/tasks.txt"
contains "(taskwarrior)"
ok import "$TMP/array.txt"
contains "(taskwarrior)"
ok import "$TMP/dump.txt"
contains "(json)"
rejects 1 import "$TMP/cal.txt"
err_contains "looks like ics, which cairn only exports"
rejects 1 import "$TMP/refs.txt"
err_contains "use 'cairn paper import' for BibTeX"
# Standard input is the source "stdin" (new items' uuids derive from
# it), but what the store has already is matched by content: the same
# roadmap from stdin adds nothing.
ok import - <"$TMP/roadmap.txt"
expect "imported - (md): 0 added, 0 updated, 1 unchanged"
check "no progress off a terminal" [ -z "$err" ]
ok import - <"$TMP/roadmap.txt"
expect "imported - (md): 0 added, 0 updated, 1 unchanged"

# Usage.
fails 2 import
err_contains "missing FILE"
fails 2 import a b
fails 2 import --format ics "$TMP/cal.txt"
err_contains "cannot import format 'ics'"
fails 2 import --visibility secret "$TMP/roadmap.txt"
fails 1 import "$TMP/no-such-file.md"
err_contains "cannot open '$TMP/no-such-file.md'"

export CAIRN_DB="$TMP/bad.db"
ok add goal 'Keep me'
# Size caps.
python3 -c 'import sys; sys.stdout.write("1. goal\n" + "x" * (4 << 20))' >"$TMP/big.md"
rejects 1 import "$TMP/big.md"
err_contains "over the 4194304-byte limit for md imports"
# Invalid UTF-8, with its offset.
printf '1. Fine\n2. Caf\351 au lait\n' >"$TMP/latin1.md"
rejects 1 import "$TMP/latin1.md"
err_contains "invalid UTF-8 in 'latin1.md' at byte offset 14 (line 2, column 7)"
printf '[{"description":"ok \377"}]' >"$TMP/bad-utf8.json"
rejects 1 import "$TMP/bad-utf8.json"
err_contains "at byte offset 20"
printf '1. a\0b\n' >"$TMP/nul.md"
rejects 1 import "$TMP/nul.md"
err_contains "NUL byte in 'nul.md' at byte offset 4"
# Front matter.
printf -- '---\ntitle: Goals\ncategories: [a, b\n---\n1. Goal\n' >"$TMP/fm.md"
rejects 1 import "$TMP/fm.md"
err_contains "malformed front matter in 'fm.md' at line 4, column 1"
printf -- '---\ntitle: Goals\n  bad: indent\n---\n1. Goal\n' >"$TMP/fm2.md"
rejects 1 import "$TMP/fm2.md"
err_contains "malformed front matter in 'fm2.md' at line 3, column"
printf -- '---\n- a list\n---\n1. Goal\n' >"$TMP/fm3.md"
rejects 1 import "$TMP/fm3.md"
err_contains "at line 2, column 1 must be a mapping"
printf -- '---\ntitle: Goals\n1. Goal\n' >"$TMP/fm4.md"
rejects 1 import "$TMP/fm4.md"
err_contains "never closed"
printf -- '---\na: &x [*x, *x]\n---\n1. Goal\n' >"$TMP/fm5.md"
rejects 1 import "$TMP/fm5.md"
err_contains "front matter in 'fm5.md'"
# Malformed JSON, with line and column.
printf '[\n{"description": "a"},\n{"description": }\n]\n' >"$TMP/bad.json"
rejects 1 import "$TMP/bad.json"
err_contains "malformed JSON in 'bad.json' at line 3, column"
# Not a roadmap at all.
printf 'Just a paragraph.\n\nAnother one.\n' >"$TMP/prose.md"
rejects 1 import "$TMP/prose.md"
err_contains "no list in 'prose.md'"
# Lists nested past the limit.
python3 -c '
for i in range(70):
    print("  " * i + "- level %d" % i)' >"$TMP/deep.md"
rejects 1 import "$TMP/deep.md"
err_contains "nest deeper than 64 levels"
sql_is "the store kept its one item" "SELECT count(*) FROM item" 1

# An import is one change, and undo takes it back.  It journals its rows
# in bulk (its INSERT triggers are off while it runs): they are back after
# it, and every row it added has its event.
triggers() {
	sql "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)"
}
before=$(triggers)
ok import "$F/goals-post.md"
same "journal triggers are back after an import" "$(triggers)" "$before"
sql_is "every imported item has its add event" \
	"SELECT count(*) FROM item i WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.entity = 'item' AND e.entity_id = i.id AND e.before IS NULL AND json_extract(e.after, '$.title') = i.title)" 0
sql_is "and so has every note" \
	"SELECT count(*) FROM note n WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.entity = 'note' AND e.entity_id = n.id)" 0
ok history
contains "import $F/goals-post.md"
ok undo
expect "undoing change 3 (2026-03-01T09:00:00Z, tester): import $F/goals-post.md
undid 1 change"
sql_is "undo removed the import" "SELECT count(*) FROM item" 1
sql_is "and its settings" "SELECT count(*) FROM setting WHERE key LIKE 'frontmatter.%'" 0

# An import journals its rows in bulk, with reals as exact as the
# triggers write them (17 digits), so look-back and undo see the very
# values stored.
printf '[{"description":"Exact likelihood","priority":"H","status":"pending","uuid":"0b6c2b7e-3f5e-4c55-9a3c-1d2e3f405162"}]\n' >"$TMP/exact.json"
ok import "$TMP/exact.json"
sql_is "bulk journal writes reals with 17 digits" \
	"SELECT json_extract(after, '$.likelihood') = likelihood AND instr(after, '0.90000000000000002') > 0 FROM event e JOIN item i ON i.id = e.entity_id WHERE e.entity = 'item' AND i.title = 'Exact likelihood'" 1
finish
