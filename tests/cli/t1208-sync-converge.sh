#!/bin/sh
# Three machines converge through a real hub: from a shared start, each
# makes random changes offline with the commands (add, edit, status, tags,
# notes, edges, moves, removes, undo) for 1,000 steps with a seed, syncing
# now and then in a random order; then each syncs twice.  All three
# `export --format json` dumps are then the same roadmap, once local ids
# are replaced by uuids and each machine's own history (the journal) and
# import bases are left aside.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$(dirname "$0")/hub-lib.sh"
py_init

hub_init
hub_start h
export CAIRN_SYNC_PASSPHRASE="three machines"
STEPS=${SYNC_STEPS:-1000}
for r in a b c; do
	code=$("$CAIRN" hub user add ana --pg "$CAIRN_PG" | tail -n 1)
	CAIRN_DB=$TMP/$r.db ok sync login "$BASE" --user ana --code "$code"
done
export CAIRN_DB=$TMP/a.db
setup add goal "Shared goal"
for i in 1 2 3 4 5 6 7 8; do
	setup add milestone "shared $i" --under 1
done
for r in a b c; do CAIRN_DB=$TMP/$r.db ok sync; done

seed=${SYNC_SEED:-20261203}
# rnd N: R gets a number in [0, N) (not in a subshell: the seed moves on).
rnd() {
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	R=$(( (seed / 65536) % $1 ))
}
# pick: R gets an item number of this machine.
pick() {
	rnd "$(sql 'SELECT coalesce(max(id), 1) FROM item')"
	R=$((R + 1))
}
for step in $(seq 1 "$STEPS"); do
	rnd 3
	r=$(printf 'abc' | cut -c$((R + 1)))
	export CAIRN_DB=$TMP/$r.db
	pick
	x=$R
	pick
	y=$R
	rnd 12
	op=$R
	rnd 4
	coin=$R
	case $op in
	0 | 1) run add milestone "step $step" --under "$x" ;;
	2) run set "$x" title="step $step" ;;
	3) run start "$x" ;;
	4) run done "$x" ;;
	5) run tag "$x" "t$coin" ;;
	6) run note "$x" "note $step" ;;
	7) run dep add "$x" "$y" ;;
	8) run dep rm "$x" "$y" ;;
	9) run mv "$x" --under "$y" ;;
	10) if [ "$coin" = 0 ]; then run undo; elif [ "$x" != 1 ]; then run rm "$x" --force; fi ;;
	11) run sync ;;
	esac
done
for round in 1 2; do
	for r in a b c; do CAIRN_DB=$TMP/$r.db ok sync; done
done

# The roadmap of a dump, by uuid: every table but the journal's and the
# import bases, each row without its local id and with its references as
# the uuid (or key) of the row they name, the rows sorted.
normal() {
	CAIRN_DB=$1 "$CAIRN" export --format json | py -c '
import json, sys
d = json.load(sys.stdin)["tables"]
item = {r["id"]: r["uuid"] for r in d["item"]}
paper = {r["id"]: r["key"] for r in d["paper"]}
metric = {r["id"]: (item[r["item"]], r["name"]) for r in d["metric"]}
refs = {"item": item, "parent": item, "prereq": item, "paper": paper,
        "metric": metric}
out = {}
for t, rows in d.items():
    if t in ("change", "event", "import_base"):
        continue
    norm = []
    for r in rows:
        r = dict(r)
        r.pop("id", None)
        for k, m in refs.items():
            if k in r and r[k] is not None:
                r[k] = m[r[k]]
        norm.append(json.dumps(r, sort_keys=True))
    out[t] = sorted(norm)
print(json.dumps(out, indent=1, sort_keys=True))'
}
normal "$TMP/a.db" >"$TMP/a.json"
normal "$TMP/b.db" >"$TMP/b.json"
normal "$TMP/c.db" >"$TMP/c.json"
check "the roadmap grew ($(grep -c '"uuid' "$TMP/a.json") items)" \
	test "$(grep -c '\"uuid' "$TMP/a.json")" -gt 12
check "a and b hold the same roadmap" cmp -s "$TMP/a.json" "$TMP/b.json"
check "a and c hold the same roadmap" cmp -s "$TMP/a.json" "$TMP/c.json"
if ! cmp -s "$TMP/a.json" "$TMP/b.json"; then
	diff "$TMP/a.json" "$TMP/b.json" | head -20 >&2
fi
for r in a b c; do
	CAIRN_DB=$TMP/$r.db ok doctor
done
hub_stop h
finish
