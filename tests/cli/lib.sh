# lib.sh: helpers for CLI tests.  Source it first; every test gets its own
# temporary folder and store, a fixed clock, and no colour.
#
#   run CMD...          run cairn, capture stdout in $out, stderr in $err,
#                       status in $rc
#   ok CMD...           run and fail the test unless status is 0
#   fails N CMD...      run and fail the test unless status is N and stderr
#                       is exactly one line
#   expect TEXT         fail unless $out equals TEXT
#   contains TEXT       fail unless $out contains TEXT
#   err_contains TEXT   fail unless $err contains TEXT
#   sql QUERY           print the result of an SQL query on the store
#   snapshot            print a dump of the store (to compare before/after)
#   schema_version      print the schema version this cairn writes
#   dump_same A B       succeed when the JSON dumps A and B are byte for
#                       byte the same but for the schema version each names
#   lacks TEXT          fail if $out contains TEXT
#   check DESC CMD...   fail unless the shell command CMD succeeds
#   setup CMD...        run cairn to build a test's data; on failure, fail
#                       and stop the test there (what follows would test
#                       the wrong thing)
#   finish              print the plain "N passed, N failed" line and exit
set -u
: "${CAIRN:?set CAIRN to the cairn binary}"
# Graphviz 2.43 leaks in its dot layout (export --format dot|svg, publish,
# the demo's site) and btparse a byte for some undefined macros; under
# LeakSanitizer, say so (and quietly: tests count stderr lines).
if [ -n "${SRCDIR:-}" ]; then
	LSAN_OPTIONS="suppressions=$SRCDIR/tests/lsan-graphviz.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	export LSAN_OPTIONS
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
cleanup() { :; }
trap 'cleanup; rm -rf "$TMP"' EXIT
export CAIRN_DB="$TMP/cairn.db"
export CAIRN_NOW="2026-03-01T09:00:00Z"
export CAIRN_ACTOR=tester
export NO_COLOR=1
unset XDG_DATA_HOME
PASS=0
FAIL=0
out=
err=
rc=0

pass() { PASS=$((PASS + 1)); }
fail() {
	FAIL=$((FAIL + 1))
	echo "FAIL: $*" >&2
	echo "  stdout: $out" >&2
	echo "  stderr: $err" >&2
}

run() {
	"$CAIRN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

ok() {
	run "$@"
	if [ "$rc" -eq 0 ]; then pass; else fail "expected success: cairn $*"; fi
}

fails() {
	want=$1
	shift
	run "$@"
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ "$rc" -ne "$want" ]; then
		fail "expected status $want, got $rc: cairn $*"
	elif [ -z "$err" ] || [ "$lines" -ne 1 ]; then
		fail "expected one line on stderr: cairn $*"
	else
		pass
	fi
}

expect() {
	if [ "$out" = "$1" ]; then pass; else
		fail "output differs; wanted:
$1"
	fi
}

contains() {
	case "$out" in
	*"$1"*) pass ;;
	*) fail "output lacks: $1" ;;
	esac
}

lacks() {
	case "$out" in
	*"$1"*) fail "output has: $1" ;;
	*) pass ;;
	esac
}

err_contains() {
	case "$err" in
	*"$1"*) pass ;;
	*) fail "stderr lacks: $1" ;;
	esac
}

setup() {
	run "$@"
	if [ "$rc" -ne 0 ]; then
		fail "setup failed (status $rc): cairn $*"
		finish
	fi
}

check() {
	# check DESCRIPTION COMMAND...: pass when the shell command succeeds
	desc=$1
	shift
	if "$@"; then pass; else fail "$desc"; fi
}

sql() {
	sqlite3 -batch "$CAIRN_DB" "$1"
}

snapshot() {
	# A missing store stays missing (sqlite3 would create it).  The
	# planning summary's rows (tables plan_*: derived data, rebuilt by
	# the first read after a write) and sync's bookkeeping (sync_*: what
	# is queued for the hub, clocks) are left out (cairn_table_derived
	# in lib/store/journal.c).
	if [ -e "$CAIRN_DB" ]; then
		sqlite3 -batch "$CAIRN_DB" .dump 2>&1 |
			grep -v '^INSERT INTO "\{0,1\}\(plan\|sync\)_'
	else
		echo "no store at $CAIRN_DB"
	fi
}

# The schema version this cairn writes (CAIRN_SCHEMA_VERSION).
schema_version() {
	sed -n 's/^#define CAIRN_SCHEMA_VERSION \([0-9]*\).*/\1/p' \
		"$SRCDIR/include/cairn/store/store.h"
}

# A dump names the schema version that wrote it; fixtures made by an
# older cairn stay the same dump otherwise.
dump_same() {
	sed 's/^"schema": [0-9]*,$/"schema": N,/' "$1" >"$TMP/.dump-a"
	sed 's/^"schema": [0-9]*,$/"schema": N,/' "$2" >"$TMP/.dump-b"
	cmp -s "$TMP/.dump-a" "$TMP/.dump-b"
}

finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}

# Further helpers (added for the 00xx-05xx families):
#
#   rejects N CMD...    run and fail the test unless status is N, stderr is
#                       one line, stdout is empty and the store dump is the
#                       same before and after; it runs CMD through
#                       $runner (run unless a test that runs cairn another
#                       way, as another user say, sets its own)
#   sql_is DESC QUERY WANT   fail unless the query prints exactly WANT
#   json_ok DESC EXPR   fail unless the Python expression EXPR is true with
#                       d bound to the JSON document in $out
#   json_val EXPR       print the Python expression EXPR over $out's JSON
#   py ARGS...          python3 (the interpreter itself, resolved once)
#   same DESC A B       fail unless the strings A and B are equal
#   cleanup             called on exit before the temporary folder goes;
#                       a test may redefine it (to unmount, say)
#   skip REASON         print "skipped: REASON" and exit 77 (meson: skipped)
#   need CMD WHY        go on when the program CMD is installed; else, under
#                       CI, fail (make test-deps installs every program the
#                       tests use, so a missing one is a broken machine),
#                       and elsewhere skip (or fail, when a check before
#                       has failed)

rejects() {
	# Prefixed names: tests keep their own want, before and after.
	rj_want=$1
	shift
	rj_before=$(snapshot)
	"${runner:-run}" "$@"
	rj_lines=$(printf '%s\n' "$err" | wc -l)
	rj_after=$(snapshot)
	if [ "$rc" -ne "$rj_want" ]; then
		fail "expected status $rj_want, got $rc: cairn $*"
	elif [ -z "$err" ] || [ "$rj_lines" -ne 1 ]; then
		fail "expected one line on stderr: cairn $*"
	elif [ -n "$out" ]; then
		fail "expected no output on stdout: cairn $*"
	elif [ "$rj_before" != "$rj_after" ]; then
		fail "store changed by a failed command: cairn $*"
	else
		pass
	fi
}

sql_is() {
	si_got=$(sql "$2")
	if [ "$si_got" = "$3" ]; then pass; else
		fail "$1: query '$2' gave '$si_got', wanted '$3'"
	fi
}

# http METHOD PATH [CURL ARGS...]: one request to $BASE (a server a test
# started) with curl; sets $code, $body (also $out) and $hdrs.
# csrf_in: the first form's CSRF token in $body (of http, req or page).
csrf_in() {
	printf '%s' "$body" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}

http() {
	h_method=$1
	h_path=$2
	shift 2
	code=$(curl -s -X "$h_method" -D "$TMP/hdrs" -o "$TMP/body" \
		-w '%{http_code}' --max-time 20 "$@" "$BASE$h_path")
	body=$(cat "$TMP/body")
	hdrs=$(tr -d '\r' <"$TMP/hdrs")
	out=$body
}

# The interpreter itself, not a version manager's shim (much faster).
py() {
	"${PYTHON:-python3}" "$@"
}
# Resolve PYTHON in this shell (not in a pipeline's subshell).
py_init() {
	: "${PYTHON:=$(python3 -c 'import sys; print(sys.executable)')}"
}

json_ok() {
	py_init
	if printf '%s' "$out" | py -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" 2>"$TMP/pyerr"; then
		pass
	else
		fail "$1: $2 $(cat "$TMP/pyerr")"
	fi
}

json_val() {
	py_init
	printf '%s' "$out" | py -c '
import json, sys
d = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"
}

same() {
	if [ "$2" = "$3" ]; then pass; else
		fail "$1: got '$2', wanted '$3'"
	fi
}

skip() {
	echo "skipped: $*"
	exit 77
}

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	case "${CI:-}" in
	"" | false | 0)
		[ "$FAIL" -eq 0 ] || finish
		skip "$1 is not installed ($2)"
		;;
	esac
	fail "$1 is not installed ($2), and CI must have it: make test-deps"
	finish
}
