#!/bin/sh
# A damaged store is never trusted silently: once SQLite reports damage,
# the command fails with one line saying so and what to do, nothing is
# written, and every later command refuses the store until `doctor`
# finds it sound (after a backup is restored).  doctor reports one line
# per finding and exits 1, or 0 on a sound store.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "no sqlite3"
bench_gen=$(dirname "$CAIRN")/bench/bench-gen
[ -x "$bench_gen" ] || skip "no bench-gen"

# A store of a few MB, as cairn itself writes it.
"$bench_gen" "$CAIRN_DB" 2500 2>/dev/null || { fail "bench-gen"; finish; }
size=$(wc -c <"$CAIRN_DB")
check "store of some MB" test "$size" -gt 2000000

ok doctor
expect "store '$CAIRN_DB' is sound"
check "doctor leaves no -wal behind" test ! -e "$CAIRN_DB-wal"
check "doctor leaves no -shm behind" test ! -e "$CAIRN_DB-shm"
run --json doctor
json_ok "doctor --json" 'd["sound"] is True and d["findings"] == []'
ok backup "$TMP/good.db"
expect "backed up '$CAIRN_DB' to '$TMP/good.db'"
rejects 1 backup "$TMP/good.db"
err_contains "already exists"
rejects 2 backup
rejects 2 backup a b

# 8 KiB of noise over the middle of the item table (two of its pages),
# so that `list` reads the damage.
page=$(sqlite3 "$CAIRN_DB" "SELECT pageno FROM dbstat WHERE name = 'item' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'item' AND pagetype = 'leaf')")
check "a page of item" test -n "$page"
dd if=/dev/urandom of="$CAIRN_DB" bs=4096 seek=$((page - 1)) count=2 conv=notrunc 2>/dev/null
check "integrity_check fails" test "$(sqlite3 "$CAIRN_DB" 'PRAGMA integrity_check' 2>&1 | head -n 1)" != ok
sum=$(cksum <"$CAIRN_DB")

# The first command to read the damage fails, with one line.
fails 1 list --all
err_contains "is damaged"
err_contains "cairn doctor"
err_contains "restore a backup"
# Every later command refuses the store, reading or writing, and
# nothing is written.
for c in "list" "show 5" "add goal X" "undo" "history" "tree"; do
	# shellcheck disable=SC2086
	fails 1 $c
	err_contains "damaged"
done
printf '1. A goal\n' >"$TMP/in.md"
fails 1 import "$TMP/in.md"
err_contains "damaged"
same "no write to the damaged store" "$(cksum <"$CAIRN_DB")" "$sum"
check "no -wal written" test ! -s "$CAIRN_DB-wal"

# doctor: one line per finding, exit 1; the store is only read.
run doctor
same "doctor exit" "$rc" 1
check "doctor names the damage" test -n "$out"
case "$out" in
integrity:*) pass ;;
*) fail "doctor's first finding is not integrity" ;;
esac
same "doctor writes nothing" "$(cksum <"$CAIRN_DB")" "$sum"
# A damaged store makes no backup.
fails 1 backup "$TMP/bad.db"
check "no backup of a damaged store" test ! -e "$TMP/bad.db"

# Restore the backup: doctor finds it sound and lifts the refusal.
cp "$TMP/good.db" "$CAIRN_DB"
rm -f "$CAIRN_DB-wal" "$CAIRN_DB-shm"
ok doctor
ok list
ok add goal "After the restore"

# Damage where a write does not read (old journal events): the store is
# checked before each write (it is small enough), so the write is
# refused all the same.
cp "$TMP/good.db" "$TMP/good2.db"
page=$(sqlite3 "$CAIRN_DB" "SELECT pageno FROM dbstat WHERE name = 'event' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5")
dd if=/dev/urandom of="$CAIRN_DB" bs=4096 seek=$((page - 1)) count=2 conv=notrunc 2>/dev/null
sum=$(cksum <"$CAIRN_DB")
fails 1 add goal Y
err_contains "damaged"
same "nothing written" "$(cksum <"$CAIRN_DB")" "$sum"
fails 1 history
sql_is "Y not added" "SELECT count(*) FROM item WHERE title = 'Y'" 0

# The same for the other writers of the issue: undo and import.
cp "$TMP/good2.db" "$CAIRN_DB"
rm -f "$CAIRN_DB-wal" "$CAIRN_DB-shm" "$CAIRN_DB.damaged"
dd if=/dev/urandom of="$CAIRN_DB" bs=4096 seek=$((page - 1)) count=2 conv=notrunc 2>/dev/null
sum=$(cksum <"$CAIRN_DB")
fails 1 undo
err_contains "damaged"
rm -f "$CAIRN_DB.damaged"
fails 1 import "$TMP/in.md"
err_contains "damaged"
same "nothing written by undo or import" "$(cksum <"$CAIRN_DB")" "$sum"

# doctor on what is not a store, or no store: one line, exit 1.
fails 1 --db "$TMP/none.db" doctor
check "doctor creates nothing" test ! -e "$TMP/none.db"
printf 'not a store\n' >"$TMP/text.db"
fails 1 --db "$TMP/text.db" doctor
err_contains "not a cairn store"

# An older schema: doctor says so, and neither migrates nor backs it up.
sqlite3 "$TMP/v1.db" <"$SRCDIR/tests/fixtures/store-v1.sql"
run --db "$TMP/v1.db" doctor
same "doctor on an old schema" "$rc:$out" "1:schema: version 1, where this cairn's is $(schema_version) (any command but doctor and backup migrates it)"
check "not migrated" test "$(sqlite3 "$TMP/v1.db" 'PRAGMA user_version')" = 1
check "no migration backup" test -z "$(ls "$TMP" | grep 'v1.db.bak')"
ok --db "$TMP/v1.db" backup "$TMP/v1-copy.db"
check "backup keeps the old schema" test "$(sqlite3 "$TMP/v1-copy.db" 'PRAGMA user_version')" = 1
# The first write migrates it, after a backup beside it.
ok --db "$TMP/v1.db" list
check "migrated" test "$(sqlite3 "$TMP/v1.db" 'PRAGMA user_version')" = "$(schema_version)"
check "backed up before migrating" test "$(ls "$TMP" | grep -c '^v1.db.bak-v1-20260301T090000Z$')" = 1
ok --db "$TMP/v1.db" doctor

# Logical findings: a row that differs from its journal, a dangling
# reference.
rm -f "$CAIRN_DB" "$CAIRN_DB-wal" "$CAIRN_DB-shm" "$CAIRN_DB.damaged"
ok init
ok add goal "A"
ok add milestone "B" --under 1
ok tag 2 +x
ok doctor
sqlite3 "$CAIRN_DB" "PRAGMA foreign_keys = OFF; DROP TRIGGER journal_item_UPDATE; DROP TRIGGER journal_item_DELETE; UPDATE item SET title = 'edited' WHERE id = 1; DELETE FROM item WHERE id = 2"
run doctor
same "doctor exit on findings" "$rc" 1
contains "foreign key: tag row 1 refers to a missing item row"
contains "journal: UPDATE trigger on item is missing"
contains "journal: DELETE trigger on item is missing"
contains "journal: 1 item row differs from the journal"
contains "journal: 1 item row in the journal is missing from the table"
same "one line per finding" "$(printf '%s\n' "$out" | wc -l)" 6

finish
