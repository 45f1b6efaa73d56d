#!/bin/sh
# A read-only copy of a store that carried the db and its -wal but no
# -shm (a backup or copy taken while a writer had it open) is read with
# its -wal: the last saved changes show, never the state before them.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	elif command -v runuser >/dev/null 2>&1; then
		as_reader() { runuser -u nobody -- "$@"; }
	else
		skip "neither setpriv nor runuser to drop root"
	fi
	as_reader test -x "$CAIRN" || skip "nobody cannot run $CAIRN"
	chmod 755 "$TMP"
else
	as_reader() { "$@"; }
fi

rrun() {
	as_reader env TMPDIR="$TMP/scratch" "$CAIRN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

ok add goal "Before the copy"
ok add milestone "Saved before the copy" --under 1
mkdir "$TMP/ro" "$TMP/scratch"
chmod 1777 "$TMP/scratch"

# Another connection keeps the store open, so cairn's last write stays
# in the -wal; the copy takes the db and the -wal only.
py_init
py -c '
import shutil, sqlite3, subprocess, sys
db, dst, cairn = sys.argv[1:4]
c = sqlite3.connect(db)
c.execute("SELECT count(*) FROM item").fetchall()
subprocess.run([cairn, "add", "goal", "In the wal only"], check=True,
               stdout=subprocess.DEVNULL)
shutil.copyfile(db, dst)
shutil.copyfile(db + "-wal", dst + "-wal")
c.close()
' "$CAIRN_DB" "$TMP/ro/copy.db" "$CAIRN" || fail "making the copy"
check "the copy has a -wal" test -s "$TMP/ro/copy.db-wal"
check "the copy has no -shm" test ! -e "$TMP/ro/copy.db-shm"
check "the db alone lacks the last change" \
	test "$(sqlite3 "file:$TMP/ro/copy.db?immutable=1" "SELECT count(*) FROM item WHERE title = 'In the wal only'")" = 0
chmod 644 "$TMP/ro/copy.db" "$TMP/ro/copy.db-wal"
if [ "$(id -u)" -eq 0 ]; then
	chmod 755 "$TMP/ro"
else
	chmod a-w "$TMP/ro/copy.db" "$TMP/ro/copy.db-wal" "$TMP/ro"
fi
sum=$(cksum <"$TMP/ro/copy.db")

rrun --db "$TMP/ro/copy.db" list
same "list status" "$rc" 0
case "$out" in
*"In the wal only"*) pass ;;
*) fail "list shows stale data: the -wal was ignored" ;;
esac
case "$out" in
*"Before the copy"*) pass ;;
*) fail "list lost the older goal" ;;
esac
rrun --db "$TMP/ro/copy.db" --json show 3
json_ok "show reads the -wal" 'd["title"] == "In the wal only"'
# Still read-only, and nothing is left behind.
rrun --db "$TMP/ro/copy.db" add goal X
same "write refused" "$rc" 1
case "$err" in
*read-only*) pass ;;
*) fail "write not refused as read-only" ;;
esac
same "copy unchanged" "$(cksum <"$TMP/ro/copy.db")" "$sum"
check "no -shm made beside the copy" test ! -e "$TMP/ro/copy.db-shm"
same "private copy removed" "$(ls -A "$TMP/scratch")" ""

if [ "$(id -u)" -ne 0 ]; then
	chmod u+w "$TMP/ro"
fi
finish
