#!/bin/sh
# The JSON dump writes awkward values byte for byte as it always has:
# tests/fixtures/fmt/awkward.json (made by make-awkward.sh with the dump
# that built the whole document in memory before writing it) holds
# Unicode, every control character, quotes and backslashes, a note longer
# than any output buffer, reals of 1 to 17 digits, 64-bit limits, NULLs
# and empty tables.  Restored into an empty store, it dumps back the same
# to stdout and to --out.  A value the dump cannot write (a BLOB, text
# that is not UTF-8) fails the export, naming it, and --out then leaves no
# file behind.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/fmt"

ok import "$F/awkward.json"
expect "restored $F/awkward.json: 4 items"

"$CAIRN" export --format json >"$TMP/stdout.json" 2>"$TMP/err"
check "export to stdout succeeds" [ $? -eq 0 ]
check "stdout: byte-identical to the fixture" \
	dump_same "$F/awkward.json" "$TMP/stdout.json"
check "stdout: nothing on stderr" [ ! -s "$TMP/err" ]
ok export --format json --out "$TMP/out.json"
check "--out: byte-identical to the fixture" \
	dump_same "$F/awkward.json" "$TMP/out.json"
"$CAIRN" export --format json --out - >"$TMP/dash.json"
check "--out -: byte-identical to the fixture" \
	dump_same "$F/awkward.json" "$TMP/dash.json"
check "the long note is longer than the output buffer" \
	[ "$(sql "SELECT max(length(CAST(text AS BLOB))) FROM note")" -gt 65536 ]

# A dump of a fresh store: every table but the journal's change empty.
export CAIRN_DB="$TMP/fresh.db"
ok init
ok export --format json
contains '"review": [],'
contains '"import_base": []'
json_ok "a fresh store's dump is JSON with one change" \
	'len(d["tables"]["change"]) == 1 and d["tables"]["item"] == []'

# What the dump cannot write.
export CAIRN_DB="$TMP/blob.db"
ok import "$F/awkward.json"
# (In the journal's own tables: the triggers of the others refuse both.)
sql "UPDATE change SET label = X'00ff' WHERE id = 2"
fails 1 export --format json
err_contains "cannot dump change.label of row 2: not text or a number"
fails 1 export --format json --out "$TMP/blob.json"
check "a failed --out leaves no file" \
	[ "$(ls "$TMP" | grep -c '^blob\.json')" -eq 0 ]
sql "UPDATE change SET label = 'ok' WHERE id = 2"
# Part way through: the rows before it are on stdout, and --out leaves
# nothing.
sql "UPDATE event SET after = CAST(X'41ff42' AS TEXT) WHERE id = 28"
fails 1 export --format json
err_contains "cannot dump event.after of row 28: not text or a number"
check "stdout has the rows before the failure" [ "${#out}" -gt 65536 ]
fails 1 export --format json --out "$TMP/utf8.json"
err_contains "cannot dump event.after of row 28: not text or a number"
check "text that is not UTF-8 leaves no file" \
	[ "$(ls "$TMP" | grep -c '^utf8\.json')" -eq 0 ]
finish
