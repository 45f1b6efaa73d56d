#!/bin/sh
# A read-only store: reads work (same output as for the owner), writes fail
# with one line naming the store, exit 1, and the store stays as it was.
# Tests run as root, who can write anything, so the reader is an
# unprivileged user (nobody, through setpriv or runuser); as another user
# the files are made read-only instead.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	elif command -v runuser >/dev/null 2>&1; then
		as_reader() { runuser -u nobody -- "$@"; }
	else
		skip "neither setpriv nor runuser to drop root"
	fi
	# nobody must reach the binary and the folder.
	as_reader test -x "$CAIRN" || skip "nobody cannot run $CAIRN"
	chmod 755 "$TMP"
else
	as_reader() { "$@"; }
fi

# rrun ARGS: run cairn as the reader, like run.
rrun() {
	as_reader "$CAIRN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# rrejects ARGS: as the reader, rejects 1 (one line, nothing on stdout,
# store unchanged), the file itself unchanged, and the error names the
# store and says it is read-only.
rrejects() {
	rr_sum=$(cksum <"$CAIRN_DB")
	runner=rrun
	rejects 1 "$@"
	runner=run
	same "read-only: store file unchanged: cairn $*" \
		"$(cksum <"$CAIRN_DB")" "$rr_sum"
	err_contains "$CAIRN_DB"
	err_contains "read-only"
}

# reads_match: each read gives the reader what it gives the owner.
reads_match() {
	for c in list "list --all" "show 1" "show 2" tree "tree --all" history \
		"history 2" "--json list" "--json show 2" "--json tree" \
		"--json history"; do
		# shellcheck disable=SC2086
		run $c
		owner=$out
		# shellcheck disable=SC2086
		rrun $c
		same "read-only read '$c' status" "$rc" 0
		same "read-only read '$c' output" "$out" "$owner"
	done
}

ok add goal "Compression" --tag theory
ok add milestone "Survey" --under 1 --scope 1
ok note 2 "read 12 papers"
ok add milestone "Bound" --under 1
ok dep add 3 2
ok add idea "Regulariser"

# The store as the owner closes it: WAL checkpointed, no -wal or -shm.
check "no -wal while nobody writes" test ! -e "$CAIRN_DB-wal"

if [ "$(id -u)" -eq 0 ]; then
	chmod 644 "$CAIRN_DB" "$CAIRN_DB.lock"
else
	chmod a-w "$CAIRN_DB" "$CAIRN_DB.lock" "$TMP"
fi

reads_match
for c in "add goal X" "set 1 title=x" "mv 3 --root" "start 2" "pause 2" \
	"done 2" "drop 2 --why x" "rm 4" "rm 1 --force" "tag 1 +x" \
	"link 1 https://example.org" "note 1 text" "refine 1 Sharper" \
	"promote 4" "dep add 2 4" "dep rm 3 2" "undo"; do
	# shellcheck disable=SC2086
	rrejects $c
done

# The same in a folder the reader may write (so SQLite can make its -shm
# file): still read-only, still readable.
if [ "$(id -u)" -eq 0 ]; then
	chmod 1777 "$TMP"
	reads_match
	rrejects add goal X
	rrejects undo
	chmod 755 "$TMP"
fi

# Unknown ids and bad values are still reported as such on a read-only
# store when reading.
rrun show 99
same "read-only unknown id" "$rc:$err" "1:cairn: no item #99"

# The owner can still write afterwards, and the store is sound.
if [ "$(id -u)" -ne 0 ]; then
	chmod u+w "$CAIRN_DB" "$CAIRN_DB.lock" "$TMP"
fi
ok add goal "Owner again"
sql_is "integrity" "PRAGMA integrity_check" ok
sql_is "items" "SELECT count(*) FROM item" 5
finish
