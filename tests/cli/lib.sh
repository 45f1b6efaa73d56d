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
#   finish              print the plain "N passed, N failed" line and exit
set -u
: "${CAIRN:?set CAIRN to the cairn binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cairn-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
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
	sqlite3 -batch "$CAIRN_DB" .dump
}

finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}
