#!/bin/sh
# Goal order is data: a goal's rank (set rank=N, or the order of an
# imported post) comes before likelihood in every ranked view.  The
# order of a re-imported post is merged like a field: a file that lists
# the goals as cairn shows them writes no rank; a file that moved a goal
# ranks the goals as it lists them; a store that moved one keeps it
# against an unchanged file; when both moved them, the store's order is
# kept and one line gives the commands that take the file's.
. "$(dirname "$0")/lib.sh"

POST="$TMP/goals.md"
printf '1. Alpha\n   - a1\n2. Beta\n   - b1\n3. Gamma\n   - c1\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 6 added, 0 updated, 0 unchanged"
sql_is "a post in cairn's own order writes no rank" \
	"SELECT count(*) FROM item WHERE rank IS NOT NULL" 0

# The file moves Gamma to the top: the ranks follow it.
printf '1. Gamma\n   - c1\n2. Alpha\n   - a1\n3. Beta\n   - b1\n' >"$POST"
ok import "$POST"
expect "imported $POST (md): 0 added, 3 updated, 3 unchanged"
sql_is "ranked as the file lists them" \
	"SELECT group_concat(title || '=' || rank, ' ') FROM (SELECT title, rank FROM item WHERE parent IS NULL ORDER BY id)" \
	"Alpha=2 Beta=3 Gamma=1"
ok tree
check "tree shows the file's order" \
	sh -c 'printf "%s\n" "$1" | grep -o "Alpha\|Beta\|Gamma" | tr "\n" " " | grep -qx "Gamma Alpha Beta "' sh "$out"
ok export --format md
check "export writes the file's order" \
	sh -c 'printf "%s\n" "$1" | grep "^[0-9]\. " | tr "\n" "|" | grep -qxF "1. Gamma|2. Alpha|3. Beta|"' sh "$out"
ok show 5
contains "rank        1"
ok show 5 --json
json_ok "--json carries the rank" 'd["rank"] == 1'

# Rank comes before likelihood; ranked goals before unranked ones.
ok add goal Delta --likelihood 0.99
ok tree
check "an unranked goal, however likely, after the ranked" \
	sh -c 'printf "%s\n" "$1" | grep -o "Alpha\|Beta\|Gamma\|Delta" | tr "\n" " " | grep -qx "Gamma Alpha Beta Delta "' sh "$out"

# The store moves Beta up; the unchanged file keeps it there, silently.
ok set 3 rank=1
ok import "$POST"
expect "imported $POST (md): 0 added, 0 updated, 6 unchanged"
check "no warning when only the store moved a goal" test -z "$err"
sql_is "the store's rank stays" "SELECT rank FROM item WHERE id = 3" 1

# Both move goals: the store's order stays, one line says how to take
# the file's, and running it does.
printf '1. Alpha\n   - a1\n2. Gamma\n   - c1\n3. Beta\n   - b1\n' >"$POST"
before=$(sql "SELECT group_concat(rank, ',') FROM item WHERE parent IS NULL")
ok import "$POST"
expect "imported $POST (md): 0 added, 0 updated, 6 unchanged"
err_contains "'goals.md' and the store both changed the order of the goals: the store's is kept; to take the file's: cairn set 1 rank=1 && cairn set 5 rank=2 && cairn set 3 rank=3"
check "one warning" [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
sql_is "ranks unchanged" \
	"SELECT group_concat(rank, ',') FROM item WHERE parent IS NULL" "$before"
ok import "$POST"
check "told once" test -z "$err"
ok set 1 rank=1
ok set 5 rank=2
ok set 3 rank=3
ok export --format md
check "the file's order taken" \
	sh -c 'printf "%s\n" "$1" | grep "^[0-9]\. " | tr "\n" "|" | grep -qxF "1. Alpha|2. Gamma|3. Beta|"' sh "$out"

# Undo takes back one rank change; rank=none clears it.
ok undo
sql_is "undo restores the old rank" "SELECT rank FROM item WHERE id = 3" 1
ok set 3 rank=none
sql_is "rank=none clears it" "SELECT rank IS NULL FROM item WHERE id = 3" 1

# Bad ranks are usage errors, and change nothing.
rejects 2 set 3 rank=0
err_contains "rank must be a whole number from 1 to 1000000, or none, not '0'"
rejects 2 set 3 rank=1.5
rejects 2 set 3 rank=many
rejects 2 set 3 rank=1000001

# A lossless dump keeps ranks, and a dump with a bad rank is refused.
"$CAIRN" export --format json --out "$TMP/d.json"
CAIRN_DB="$TMP/copy.db" "$CAIRN" import "$TMP/d.json" >/dev/null
sql_is "ranks survive the dump" \
	"SELECT group_concat(id || '=' || ifnull(rank, '-'), ' ') FROM item WHERE parent IS NULL" \
	"$(CAIRN_DB="$TMP/copy.db" sql "SELECT group_concat(id || '=' || ifnull(rank, '-'), ' ') FROM item WHERE parent IS NULL")"
sed 's/"rank":2}/"rank":-4}/' "$TMP/d.json" >"$TMP/bad.json"
CAIRN_DB="$TMP/bad.db" run import "$TMP/bad.json"
check "a dump with a bad rank is refused" [ "$rc" -eq 1 ]
err_contains "malformed rank"

finish
