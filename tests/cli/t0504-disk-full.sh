#!/bin/sh
# A full disk: a write that cannot be saved fails with exit 1 and one line,
# never prints "added" or another success, and leaves the store as it
# was: after space is freed it passes integrity_check and holds exactly
# what it held before.  Needs root to mount a small tmpfs; skipped
# otherwise.
. "$(dirname "$0")/lib.sh"

FULL="$TMP/full"
mkdir "$FULL"
if [ "$(id -u)" -ne 0 ] ||
	! mount -t tmpfs -o size=2m,mode=0755 tmpfs "$FULL" 2>"$TMP/mount.err"; then
	skip "cannot mount a tmpfs ($(cat "$TMP/mount.err" 2>/dev/null))"
fi
cleanup() {
	umount "$FULL" 2>/dev/null || umount -l "$FULL" 2>/dev/null
}
export CAIRN_DB="$FULL/cairn.db"

ok add goal "Compression" --tag theory
ok add milestone "Survey" --under 1 --scope 1
ok add milestone "Bound" --under 1
ok dep add 3 2
ok note 2 "read 12 papers"
ok add idea "Regulariser"
before=$(snapshot)
changes=$(sql "SELECT count(*) FROM change")

# fill [KB]: fill the disk, leaving about KB kilobytes free.
fill() {
	rm -f "$FULL/fill"
	if [ "${1:-0}" -eq 0 ]; then
		dd if=/dev/zero of="$FULL/fill" bs=4k 2>/dev/null
	else
		avail=$(df -k --output=avail "$FULL" | tail -1)
		dd if=/dev/zero of="$FULL/fill" bs=1k \
			count=$((avail - $1)) 2>/dev/null
	fi
}

# full_fails ARGS: rejects 1 (one line, no success printed, the store
# dump unchanged), and the error names the store and says the disk is
# full.
full_fails() {
	rejects 1 "$@"
	err_contains "$CAIRN_DB"
	err_contains "disk full"
}

big=$(head -c 120000 /dev/zero | tr '\0' x)

# Completely full.
fill 0
full_fails add goal "Not saved"
full_fails add milestone "Not saved either" --under 1 --body "$big"
full_fails set 1 title=Renamed scope=4
full_fails note 1 "lost note"
full_fails tag 1 +lost
full_fails link 1 https://example.org/lost
full_fails refine 1 "Compression, sharper"
full_fails dep add 3 4
full_fails mv 3 --root
full_fails start 2
full_fails done 2
full_fails drop 2 --why "full"
full_fails rm 4
full_fails rm 1 --force
full_fails promote 4
full_fails undo

# Some room, but not enough for the change: it fails at write or commit.
for kb in 8 32 64; do
	fill $kb
	full_fails add goal "Too big for $kb KB" --body "$big"
	full_fails note 1 "$big"
done

rm -f "$FULL/fill"
sql_is "integrity after a full disk" "PRAGMA integrity_check" ok
same "store exactly as before" "$(snapshot)" "$before"
sql_is "no change journalled" "SELECT count(*) FROM change" "$changes"

# Around the edge: whatever cairn says is the truth.  An add reported as
# done is there; one reported as failed is not.  The steps cross the
# point where the change starts to fit.
said_ok=0
said_fail=0
body=$(head -c 40000 /dev/zero | tr '\0' y)
kb=40
while [ $kb -le 440 ]; do
	fill $kb
	run add goal "Edge $kb" --body "$body"
	rm -f "$FULL/fill"
	n=$(sql "SELECT count(*) FROM item WHERE title = 'Edge $kb'")
	if [ "$rc" -eq 0 ]; then
		said_ok=$((said_ok + 1))
		same "reported added, present ($kb KB free)" "$n:$out" \
			"1:$(printf '%s' "$out" | grep "^added goal #[0-9]*: Edge $kb\$")"
	else
		said_fail=$((said_fail + 1))
		same "reported failed, absent ($kb KB free)" "$n:$out" "0:"
		err_contains "nothing was saved"
	fi
	kb=$((kb + 25))
done
check "some adds failed ($said_fail) and some fitted ($said_ok)" \
	[ "$said_fail" -gt 0 -a "$said_ok" -gt 0 ]
sql_is "integrity at the end" "PRAGMA integrity_check" ok
ok add goal "After the disk was freed"
contains "added goal"
finish
