#!/bin/sh
# bench/tw.sh BUILD_DIR: cairn on real-shaped roadmaps, arriving from
# Taskwarrior (`make bench` runs it after run.sh).
#
# bench-gen-tw writes a Taskwarrior export of SMALL (default 10,000) and
# BIG (100,000) tasks: dotted projects of 100 tasks, 0-3 depends on
# earlier tasks of the project, 40% completed, tags, priorities, due
# dates on 30%, annotations on 10%, a fixed seed.  Each is imported into
# a fresh store through `cairn import`, as a user would (timed: tasks/s
# and peak memory), with the clock at 2025-12-20; the timed `add` runs
# then write at 2026-02-05 ("add, then next": an add and the first next
# after it, which plans the goal the add made stale again).  Then every
# command below runs as a whole
# process, RUNS times (default 5, after one warm-up), at both sizes: the
# table shows the median wall time at each, the ratio big/small (about 1
# for a command whose output is bounded), and the peak memory at BIG.
# `lookback --since` starts one month before the newest change.  When
# Taskwarrior is installed, `task next` and `task ID info` on the SMALL
# tasks close the table, with cairn's ratio to them.
#
# Output goes to /dev/null; stderr is kept (each line once, after the
# runs), and any failed run stops the benchmark.  Reports numbers only: it is not a timed test (STYLE.md).
# Environment: RUNS, TW_RUNS (Taskwarrior's, default 1), BENCH_TW_BIG,
# BENCH_TW_SMALL, and BENCH_DIR to keep
# the exports and stores there (they are built again only when missing;
# each run adds 2 * (RUNS + 1) items to each store).
set -eu

BUILD=${1:-build}
RUNS=${RUNS:-5}
TW_RUNS=${TW_RUNS:-1}
BIG=${BENCH_TW_BIG:-100000}
SMALL=${BENCH_TW_SMALL:-10000}
CAIRN=$BUILD/cairn
GEN=$BUILD/bench/bench-gen-tw
MEASURE=$BUILD/bench/bench-measure

for f in "$CAIRN" "$GEN" "$MEASURE"; do
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
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-tw.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi
export NO_COLOR=1 CAIRN_ACTOR=bench
unset CAIRN_DB

# measure CMD... : "median min max rss_kib cpu_median" in $m
measure() {
	m=$("$MEASURE" -n "$RUNS" "$@") || return 1
}

echo
echo "cairn on Taskwarrior-shaped roadmaps: $SMALL and $BIG tasks"
for n in "$SMALL" "$BIG"; do
	json="$DIR/tw-$n.json"
	db="$DIR/tw-$n.db"
	[ -e "$json" ] || "$GEN" "$n" >"$json"
	if [ ! -e "$db" ]; then
		m=$(CAIRN_NOW=2025-12-20T09:00:00Z "$MEASURE" -n 1 -w 0 \
			"$CAIRN" --db "$db" import "$json")
		awk -v m="$m" -v n="$n" -v db="$db" 'BEGIN {
			split(m, x, " ")
			printf "import %6d tasks: %8.0f ms  %7.0f tasks/s  " \
				"%6.1f MiB peak\n", n, x[1], n / (x[1] / 1000),
				x[4] / 1024
		}'
	fi
	printf '  %6d tasks: %d items, %d edges, %d events, %s MB\n' "$n" \
		"$(sqlite3 "$db" 'SELECT count(*) FROM item')" \
		"$(sqlite3 "$db" 'SELECT count(*) FROM edge')" \
		"$(sqlite3 "$db" 'SELECT count(*) FROM event')" \
		"$(wc -c <"$db" | awk '{ printf "%.1f", $1 / 1e6 }')"
done

# The ids each command reads, per store: an open task with
# prerequisites, and the goal with the most items below it.
pick() {
	show=$(sqlite3 "$1" "SELECT e.item FROM edge e JOIN item i ON
		i.id = e.item WHERE i.status NOT IN ('done', 'dropped')
		ORDER BY e.item LIMIT 1")
	goal=$(sqlite3 "$1" "SELECT id FROM item WHERE kind = 'goal'
		ORDER BY id LIMIT 1")
}

# time_all DB: "label|median|rss" lines for every command on DB.
time_all() {
	db=$1
	pick "$db"
	export CAIRN_NOW=2026-02-05T09:00:00Z
	measure "$CAIRN" --db "$db" add milestone "bench add {}" \
		--under "$goal" || return 1
	echo "add|$m"
	# The first next after a write plans the goal it made stale again
	# (the planning summary): add and next together, against add alone.
	measure sh -c "\"\$0\" --db \"\$1\" add milestone 'bench add' \
		--under \"\$2\" >/dev/null && \"\$0\" --db \"\$1\" next" \
		"$CAIRN" "$db" "$goal" || return 1
	echo "add, then next|$m"
	newest=$(sqlite3 "$db" "SELECT max(time) FROM change")
	since=$(date -u -d "${newest%T*} -1 month" +%Y-%m-%d)
	export CAIRN_NOW=2026-02-05T10:00:00Z
	for c in "show $show" next list "list --ready" \
		"lookback --since $since" check "export --format json" \
		"path $goal" "forecast $goal"; do
		# shellcheck disable=SC2086
		measure -x 1 "$CAIRN" --db "$db" $c || return 1
		echo "$c|$m"
	done
	unset CAIRN_NOW
}

# Warnings (forecast: milestones without estimates) once each, after.
for size in small big; do
	n=$SMALL
	[ "$size" = big ] && n=$BIG
	time_all "$DIR/tw-$n.db" >"$DIR/$size.raw" 2>>"$DIR/stderr" || {
		cat "$DIR/stderr" >&2
		exit 1
	}
	sed 's/show [0-9]*/show ID/; s/path [0-9]*/path GOAL/;
		s/forecast [0-9]*/forecast GOAL/;
		s/--since [0-9-]*/--since -1 month/' "$DIR/$size.raw" \
		>"$DIR/$size.txt"
done
sort -u "$DIR/stderr" | cut -c1-160 >&2
rm -f "$DIR/stderr"

echo
echo "median of $RUNS runs in ms, wall and CPU (user + system, steadier on a"
echo "busy machine); ratio = $BIG / $SMALL (wall); peak RSS at $BIG"
printf '%-26s %9s %9s %9s %9s %7s %7s\n' command "$SMALL" "cpu" "$BIG" \
	"cpu" ratio "MiB"
paste -d'|' "$DIR/small.txt" "$DIR/big.txt" | awk -F'|' '{
	split($2, a, " ")
	split($4, b, " ")
	r = a[1] > 0 ? b[1] / a[1] : 0
	printf "%-26s %9.1f %9.1f %9.1f %9.1f %6.2fx %7.1f\n", $1, a[1],
		a[5], b[1], b[5], r, b[4] / 1024
}'

if command -v task >/dev/null; then
	tw="$DIR/taskdata-$SMALL"
	rc="$DIR/taskrc"
	printf 'data.location=%s\nverbose=nothing\nconfirmation=off\n' \
		"$tw" >"$rc"
	export TASKRC="$rc"
	if [ ! -e "$tw/pending.data" ]; then
		mkdir -p "$tw"
		task rc.hooks=off import "$DIR/tw-$SMALL.json" >/dev/null 2>&1
	fi
	echo
	echo "Taskwarrior $(task --version) on the same $SMALL tasks" \
		"(median of $TW_RUNS, wall):"
	# Taskwarrior takes 20-60 s of CPU a call on these tasks: one run
	# each by default, no warm-up.
	tnext=$("$MEASURE" -n "$TW_RUNS" -w 0 task rc.gc=off next)
	tinfo=$("$MEASURE" -n "$TW_RUNS" -w 0 task rc.gc=off 5 info)
	cnext=$(sed -n 's/^next|//p' "$DIR/small.txt")
	cshow=$(sed -n 's/^show ID|//p' "$DIR/small.txt")
	awk -v t="$tnext" -v c="$cnext" -v u="$tinfo" -v s="$cshow" 'BEGIN {
		split(t, x, " "); split(c, y, " ")
		split(u, z, " "); split(s, w, " ")
		printf "  task next     %8.1f ms   cairn next %6.1f ms: " \
			"%.0fx\n", x[1], y[1], x[1] / y[1]
		printf "  task 5 info   %8.1f ms   cairn show %6.1f ms: " \
			"%.0fx\n", z[1], w[1], z[1] / w[1]
	}'
fi
