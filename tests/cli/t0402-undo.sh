#!/bin/sh
# undo [N]: each change is reversed exactly, newest first, as a new change;
# rm --force comes back with its children, tags, links, notes, edges and
# statements, ids and uuids included.
. "$(dirname "$0")/lib.sh"

# The roadmap tables, row by row (the journal itself grows with undo).
tables() {
	for t in item tag link note edge statement; do
		echo "-- $t"
		sqlite3 -batch "$CAIRN_DB" "SELECT * FROM $t ORDER BY id"
	done
}

ok init
rejects 1 undo
err_contains "nothing to undo"

ok add goal "Compression" --likelihood 0.9 --tag theory --link https://example.org/c
ok add milestone "Survey" --under 1 --scope 1 --estimate 3/5/8 --tag reading
ok add milestone "Bound" --under 1 --p-success 0.5
ok add milestone "Lemma" --under 3 --due 2026-06-01
ok add goal "Other" --likelihood 0.2
ok add milestone "Uses the bound" --under 5
ok dep add 3 2
ok dep add 6 4
ok dep add 6 3
CAIRN_NOW=2026-03-02T10:00:00Z run note 3 "first attempt failed"
CAIRN_NOW=2026-03-03T10:00:00Z run refine 3 "Bound for structured pruning"
ok link 4 https://arxiv.org/abs/1 --label "Lemma source"
ok start 2
ok drop 4 --why "folded into the bound"
ok tag 3 +core

# Every kind of change, undone one at a time, restores the tables exactly.
undo_restores() {
	# undo_restores DESC CMD...: run the command, undo it, compare
	desc=$1
	shift
	t0=$(tables)
	run "$@"
	if [ "$rc" -ne 0 ]; then
		fail "$desc: cairn $* failed"
		return
	fi
	t1=$(tables)
	if [ "$t0" = "$t1" ]; then
		fail "$desc: cairn $* changed nothing"
		return
	fi
	run undo
	# the change it takes back, named first, then the count
	case "$out" in
	"undoing change "*" (2026-0"*", tester): "*) pass ;;
	*) fail "$desc: undo does not name the change" ;;
	esac
	same "$desc: undo says" "$(printf '%s\n' "$out" | tail -n 1)" \
		"undid 1 change"
	same "$desc: undo restores exactly" "$(tables)" "$t0"
}
undo_restores "add" add milestone "Extra" --under 1 --tag x --link https://x.org
undo_restores "set" set 3 title=Renamed scope=4 p_success=none due=2027-01-01 status=active
undo_restores "mv" mv 3 --under 5
undo_restores "mv --root" mv 4 --root
undo_restores "start" start 3
undo_restores "pause" pause 2
undo_restores "done" done 2 3
undo_restores "drop" drop 3 --why "no"
undo_restores "reopen" start 4
undo_restores "tag" tag 3 -core +new -theory
undo_restores "link" link 3 https://y.org --label Y
undo_restores "note" note 3 "another"
undo_restores "refine" refine 3 "Sharper still"
undo_restores "dep add" dep add 5 2
undo_restores "dep rm" dep rm 3 2
undo_restores "rm leaf" rm 6
undo_restores "rm --force" rm 1 --force
ok add idea "Regulariser"
sql_is "ids of undone adds are not reused" "SELECT max(id) FROM item" 8
undo_restores "promote" promote 8 --to question --under 3

# rm --force of a subtree with tags, links, notes, statements and edges
# in and out of it: the whole store (bar the journal) comes back
# byte for byte, as the dump of those tables shows.
dump_tables() {
	sqlite3 -batch "$CAIRN_DB" ".dump item tag link note edge statement"
}
d0=$(dump_tables)
t0=$(tables)
ok rm 1 --force
sql_is "subtree gone" "SELECT group_concat(id) FROM (SELECT id FROM item ORDER BY id)" "5,6,8"
sql_is "edges into it gone" "SELECT count(*) FROM edge" 0
ok undo
same "dump after undo of rm --force" "$(dump_tables)" "$d0"
same "rows after undo of rm --force" "$(tables)" "$t0"
sql_is "integrity" "PRAGMA integrity_check" ok
sql_is "foreign keys" "PRAGMA foreign_key_check" ""

# undo N undoes the last N changes, newest first; undo walks back like a
# stack and never undoes an undo.
ok add goal A
ok add goal B
ok add goal C
ok undo 2
expect "undoing change 58 (2026-03-01T09:00:00Z, tester): add goal C
undoing change 57 (2026-03-01T09:00:00Z, tester): add goal B
undid 2 changes"
sql_is "B and C gone" "SELECT group_concat(title) FROM item WHERE title IN ('A', 'B', 'C')" "A"
ok undo
sql_is "then A" "SELECT count(*) FROM item WHERE title IN ('A', 'B', 'C')" 0
# Ids are never reused.
ok add goal D
sql_is "fresh id" "SELECT id FROM item WHERE title = 'D'" 12

# Asking for more than there is undoes what there is.
n_changes=$(sql "SELECT count(*) FROM change WHERE undo_of IS NULL AND undone_by IS NULL AND id > 1")
ok undo 100000
same "undo 100000" "$(printf '%s\n' "$out" | tail -n 1)" \
	"undid $n_changes changes"
same "undo 100000 names each" "$(printf '%s\n' "$out" | grep -c '^undoing change ')" \
	"$n_changes"
sql_is "empty again" "SELECT count(*) FROM item" 0
rejects 1 undo
err_contains "nothing to undo"

rejects 2 undo 0
err_contains "'0'"
rejects 2 undo -1
rejects 2 undo two
err_contains "'two'"
rejects 2 undo 100001
rejects 2 undo 1 2
err_contains "too many arguments"
finish
