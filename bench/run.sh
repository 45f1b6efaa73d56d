#!/bin/sh
# bench/run.sh BUILD_DIR: the store benchmark (`make bench`).
#
# Builds a 100,000-item roadmap store (bench-gen) in a temporary folder and
# reports, for `cairn list`, `tree`, `show ID`, `add` and `done ID`, the
# median wall time of RUNS runs (default 11, after one warm-up) next to a
# bare-SQLite baseline doing the same query on the same file (bench-bare),
# their ratio, and peak memory.  Then it compares the peak memory of
# `cairn list` on 10,000 and 100,000 items: list streams its rows, so the
# two should match.  Aim: each command within 2x of the baseline.
#
# Output goes to /dev/null; stderr is kept, and any failed run stops the
# benchmark.  Reports numbers only: it is not a timed test (STYLE.md).
# Environment: RUNS, BENCH_N (default 100000), BENCH_SMALL (10000), and
# BENCH_DIR to keep the stores there and reuse them on the next run (each
# run adds 2 x (RUNS + 1) items and closes as many milestones).
set -eu

BUILD=${1:-build}
RUNS=${RUNS:-11}
N=${BENCH_N:-100000}
SMALL=${BENCH_SMALL:-10000}
CAIRN=$BUILD/cairn
GEN=$BUILD/bench/bench-gen
BARE=$BUILD/bench/bench-bare
MEASURE=$BUILD/bench/bench-measure

for f in "$CAIRN" "$GEN" "$BARE" "$MEASURE"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing; build first (ninja -C $BUILD)" >&2
		exit 1
	fi
done
if ! command -v sqlite3 >/dev/null; then
	echo "bench: the sqlite3 shell is needed to pick item ids" >&2
	exit 1
fi

if [ -n "${BENCH_DIR:-}" ]; then
	DIR=$BENCH_DIR
	mkdir -p "$DIR"
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi
BIG="$DIR/store-$N.db"
LITTLE="$DIR/store-$SMALL.db"
export NO_COLOR=1 CAIRN_ACTOR=bench
unset CAIRN_DB CAIRN_NOW

[ -e "$BIG" ] || "$GEN" "$BIG" "$N"
[ -e "$LITTLE" ] || "$GEN" "$LITTLE" "$SMALL"

# Ids of planned milestones for `done`: a different one each run, first
# the ones cairn closes, then the ones the baseline closes.
need=$((2 * (RUNS + 1)))
ids=$(sqlite3 "$BIG" "SELECT id FROM item WHERE kind = 'milestone' AND
	status = 'planned' ORDER BY id LIMIT $need" | tr '\n' ' ')
set -- $ids
cairn_ids=
bare_ids=
k=0
for id; do
	if [ "$k" -le "$RUNS" ]; then
		cairn_ids="$cairn_ids${cairn_ids:+,}$id"
	else
		bare_ids="$bare_ids${bare_ids:+,}$id"
	fi
	k=$((k + 1))
done
# For `show`: an open milestone with children, tags and builds-on edges
# both ways, so every part of the page has something to read.
show=$(sqlite3 "$BIG" "SELECT i.id FROM item i WHERE i.kind = 'milestone'
	AND i.status NOT IN ('done', 'dropped')
	AND EXISTS (SELECT 1 FROM item c WHERE c.parent = i.id)
	AND EXISTS (SELECT 1 FROM tag t WHERE t.item = i.id)
	AND EXISTS (SELECT 1 FROM edge e WHERE e.item = i.id)
	AND EXISTS (SELECT 1 FROM edge e WHERE e.prereq = i.id)
	ORDER BY i.id LIMIT 1")
show=${show:-1}
open=$(sqlite3 "$BIG" "SELECT count(*) FROM item
	WHERE status NOT IN ('done', 'dropped')")

# measure [-v VALUES] CMD... : "median min max rss_kib cpu_median" in $m
measure() {
	m=$("$MEASURE" -n "$RUNS" "$@")
}

kib() {
	awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'
}

# row LABEL CAIRN_RESULT BARE_RESULT: one line of the table.
row() {
	awk -v l="$1" -v c="$2" -v b="$3" 'BEGIN {
		split(c, x, " ")
		split(b, y, " ")
		r = y[1] > 0 ? x[1] / y[1] : 0
		printf "%-12s %8.2f %8.2f %6.2fx  %-4s %8.2f %8.2f %7.1f %7.1f\n",
			l, x[1], y[1], r, r <= 2 ? "ok" : "MISS", x[5], y[5],
			x[4] / 1024, y[4] / 1024
	}'
}

echo
echo "cairn benchmark: $N items ($open open), median of $RUNS runs"
echo "bare: the same query through the SQLite API on the same file"
echo "wall and cpu (user + system) in ms, peak memory (max RSS) in MiB"
echo
printf '%-12s %8s %8s %7s  %-4s %8s %8s %7s %7s\n' command "cairn" "bare" \
	ratio aim "cpu" "bare cpu" "MiB" "bare MiB"

# Start-up alone: the program against /bin/true (aim: within 1.5 ms).
measure "$CAIRN" --version
c=$m
measure /bin/true
awk -v c="$c" -v b="$m" 'BEGIN {
	split(c, x, " ")
	split(b, y, " ")
	printf "%-12s %8.2f %8.2f  +%.2f ms  %-4s (cairn --version against /bin/true)\n",
		"start-up", x[1], y[1], x[1] - y[1],
		x[1] - y[1] <= 1.5 ? "ok" : "MISS"
}'

measure "$CAIRN" --db "$BIG" list
c=$m
measure "$BARE" "$BIG" list
row list "$c" "$m"
list_big=$(echo "$c" | cut -d' ' -f4)
list_big_ms=$(echo "$c" | cut -d' ' -f1)

measure "$CAIRN" --db "$BIG" tree
c=$m
measure "$BARE" "$BIG" tree
row tree "$c" "$m"

measure "$CAIRN" --db "$BIG" show "$show"
c=$m
measure "$BARE" "$BIG" show "$show"
row "show #$show" "$c" "$m"

measure "$CAIRN" --db "$BIG" add milestone "bench add {}"
c=$m
measure "$BARE" "$BIG" add "bare add {}"
row add "$c" "$m"

measure -v "$cairn_ids" "$CAIRN" --db "$BIG" done "{}"
c=$m
measure -v "$bare_ids" "$BARE" "$BIG" done "{}"
row done "$c" "$m"

measure "$CAIRN" --db "$LITTLE" list
list_small=$(echo "$m" | cut -d' ' -f4)
list_small_ms=$(echo "$m" | cut -d' ' -f1)
echo
echo "peak memory of 'cairn list' (max RSS):"
printf '  %7d items  %s  (%s ms)\n' "$SMALL" "$(kib "$list_small")" \
	"$list_small_ms"
printf '  %7d items  %s  (%s ms)\n' "$N" "$(kib "$list_big")" "$list_big_ms"
awk -v s="$list_small" -v b="$list_big" -v ns="$SMALL" -v nb="$N" 'BEGIN {
	printf "  growth %.2fx for %.0fx the items (aim: flat)\n", b / s,
		nb / ns
}'
