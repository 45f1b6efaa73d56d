#!/bin/sh
# Store files that cairn must not use: random bytes, a text file, another
# program's SQLite database (whatever its user_version), a store of a newer
# schema, a folder, a missing store on read.  Reads and writes alike fail
# with one line naming the file, exit 1, and leave the file byte for byte
# as it was (journal mode included).
. "$(dirname "$0")/lib.sh"

cmds="list|show 1|tree|history|--json list|add goal X|init|set 1 title=x|note 1 n|undo|rm 1|dep add 1 2"

# refused FILE TEXT: every command fails on FILE, naming it, and FILE
# does not change.
refused() {
	# Names of their own: rejects sets want, before, after.
	r_file=$1
	r_text=$2
	r_sum=$(cksum <"$r_file")
	r_ifs=$IFS
	IFS='|'
	for c in $cmds; do
		IFS=$r_ifs
		# shellcheck disable=SC2086
		CAIRN_DB=$r_file rejects 1 $c
		err_contains "'$r_file'"
		err_contains "$r_text"
		IFS='|'
	done
	IFS=$r_ifs
	same "$r_file unchanged" "$(cksum <"$r_file")" "$r_sum"
	check "no WAL left beside $r_file" test ! -e "$r_file-wal"
}

# Random bytes.
head -c 16384 /dev/urandom >"$TMP/random.db"
refused "$TMP/random.db" "is not a cairn store"

# A text file.
printf 'my goals:\n- write a thesis\n' >"$TMP/goals.txt"
refused "$TMP/goals.txt" "is not a cairn store"

# Other programs' SQLite files, whatever their user_version.
for v in 0 1 2 7; do
	f="$TMP/other-$v.db"
	sqlite3 "$f" "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT);
		INSERT INTO notes(text) VALUES ('keep me');
		PRAGMA user_version = $v;"
	refused "$f" "is an SQLite file but not a cairn store"
	same "journal mode of $f unchanged" "$(sqlite3 "$f" 'PRAGMA journal_mode')" delete
	same "$f data kept" "$(sqlite3 "$f" 'SELECT text FROM notes')" "keep me"
done

# A store of a newer schema: refused before anything is touched.
ok add goal "Written by a newer cairn"
ok add goal "Second"
sqlite3 "$CAIRN_DB" "PRAGMA user_version = 99"
cp "$CAIRN_DB" "$TMP/newer.db"
rm -f "$CAIRN_DB.lock"
refused "$TMP/newer.db" "has schema version 99, newer than this cairn"
same "newer store keeps its version" "$(sqlite3 "$TMP/newer.db" 'PRAGMA user_version')" 99
# ... also when it is not in WAL mode (cairn would switch it).
cp "$TMP/newer.db" "$TMP/newer-delete.db"
sqlite3 "$TMP/newer-delete.db" "PRAGMA journal_mode = DELETE" >/dev/null
refused "$TMP/newer-delete.db" "newer than this cairn"
same "journal mode of a newer store unchanged" \
	"$(sqlite3 "$TMP/newer-delete.db" 'PRAGMA journal_mode')" delete

# A folder where the store should be.
mkdir "$TMP/folder.db"
CAIRN_DB="$TMP/folder.db" rejects 1 list
err_contains "'$TMP/folder.db' is a folder"
CAIRN_DB="$TMP/folder.db" rejects 1 add goal X
err_contains "'$TMP/folder.db' is a folder"

# A store path under a plain file cannot be created.
: >"$TMP/plain"
CAIRN_DB="$TMP/plain/sub/cairn.db" rejects 1 add goal X
err_contains "$TMP/plain"

# Reading a missing store is an error and creates nothing.
for c in list "show 1" tree history; do
	# shellcheck disable=SC2086
	CAIRN_DB="$TMP/missing/cairn.db" rejects 1 $c
	err_contains "no store at '$TMP/missing/cairn.db' (run 'cairn init')"
done
check "nothing created for a read" test ! -e "$TMP/missing"

# An empty file is an empty database: writing makes it a store.
: >"$TMP/empty.db"
CAIRN_DB="$TMP/empty.db" run add goal First
same "an empty file becomes a store" "$rc:$out" "0:added goal #1: First"
finish
