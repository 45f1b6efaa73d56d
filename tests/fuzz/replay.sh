#!/bin/sh
# replay.sh: build the fuzz harnesses and run each once over its corpus
# (tests/fuzz/corpus/HARNESS: the seeds and every input a fuzzing run found
# worth keeping, crashes included once fixed).  Fails on any crash, leak
# or sanitizer report.  CI calls this after the test suite.
#
# To fuzz (report how long and what it found in the commit):
#	tests/fuzz/build.sh build-fuzz
#	mkdir -p /tmp/md && build-fuzz/fuzz-md -max_total_time=300 \
#		-timeout=10 -rss_limit_mb=2048 /tmp/md tests/fuzz/corpus/md
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${FUZZ_OUT:-$SRC/build-fuzz}
if ! command -v "${CC_FUZZ:-clang}" >/dev/null 2>&1; then
	echo "replay.sh: clang not installed (make deps installs it)" >&2
	exit 1
fi
"$SRC/tests/fuzz/build.sh" "$OUT"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# Graphviz 2.43 leaks in its dot layout (see tests/lsan-graphviz.supp).
export LSAN_OPTIONS="suppressions=$SRC/tests/lsan-graphviz.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
# fuzz-md-roundtrip (export -> import -> export must give the same text)
# replays the Markdown corpus; fuzz-md-reimport (import A, B, B again: the
# last changes nothing) and fuzz-md-reimport2 (A's export read back as B,
# then A again: nothing changes) their own inputs and the Markdown corpus.
for h in md json tw bibtex md-roundtrip md-reimport md-reimport2 json-parse md-parse \
	tw-parse; do
	c=$h
	case $h in md-roundtrip | md-parse) c=md ;; esac
	n=$(ls "$SRC/tests/fuzz/corpus/$c" | wc -l)
	extra=
	case $h in md-reimport*)
		extra="$SRC/tests/fuzz/corpus/md"
		n=$((n + $(ls "$extra" | wc -l)))
		;;
	esac
	if "$OUT/fuzz-$h" -runs=0 -timeout=30 -artifact_prefix="$OUT/" \
		"$SRC/tests/fuzz/corpus/$c" $extra \
		>"$OUT/replay-$h.log" 2>&1; then
		echo "fuzz-$h: $n inputs replayed, no findings"
	else
		echo "fuzz-$h: FAILED (see $OUT/replay-$h.log)"
		tail -30 "$OUT/replay-$h.log"
		status=1
	fi
done
exit $status
