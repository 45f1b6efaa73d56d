#!/bin/sh
# Global options: --db PATH and --db=PATH, --json and --no-color before or
# after the command, "--" ending the options, the journal's actor.
. "$(dirname "$0")/lib.sh"

ok --db "$TMP/a.db" add goal "In a"
ok --db="$TMP/b.db" add goal "In b"
check "--db PATH" test -f "$TMP/a.db"
check "--db=PATH" test -f "$TMP/b.db"
check "\$CAIRN_DB untouched by --db" test ! -e "$CAIRN_DB"
ok --db "$TMP/a.db" list
contains "In a"
lacks "In b"
CAIRN_DB="$TMP/b.db" run list
same "CAIRN_DB" "$out" "#1 goal      planned - -    -          In b"

# --json and --no-color anywhere before "--".
ok add goal "Compression" --tag theory
ok --json --no-color show 1
a=$out
ok show --no-color 1 --json
same "flags after the command" "$out" "$a"
ok show 1 --json --no-color
same "flags at the end" "$out" "$a"
json_ok "still JSON" 'd["id"] == 1'

# After "--" everything is an argument, even what looks like an option.
ok add goal -- -5 degrees is cold
expect "added goal #2: -5 degrees is cold"
ok add goal -- --json
expect "added goal #3: --json"
ok note 1 -- -h is not a request for help
expect "noted #1"
sql_is "note after --" "SELECT text FROM note" "-h is not a request for help"
ok refine 1 -- --no-color compression
sql_is "refine after --" "SELECT title FROM item WHERE id = 1" "--no-color compression"
rejects 2 add goal -5 degrees
err_contains "unknown option '-5'"

# The journal records who made each change: CAIRN_ACTOR, else USER.
CAIRN_ACTOR=ada run add goal "By Ada"
(unset CAIRN_ACTOR; USER=grace "$CAIRN" add goal "By Grace" >/dev/null)
sql_is "actors" "SELECT actor FROM change ORDER BY id DESC LIMIT 3" "grace
ada
tester"
finish
