#!/bin/sh
# demo builds a fresh example store in the folder given (or a new folder
# under $TMPDIR), prints its tree and ready milestones, and never touches
# the user's own store ($CAIRN_DB, --db).
. "$(dirname "$0")/lib.sh"

demo="$TMP/demo"
ok demo "$demo"
check "demo store created in DIR" test -f "$demo/demo.db"
check "user's store untouched" test ! -e "$CAIRN_DB"
contains "A researcher's roadmap (cairn tree):"
contains "Ready to start (cairn list --ready):"
contains "The demo store is $demo/demo.db"
demo_out=$out

# The printed tree and ready list are what the views say of that store.
ok --db "$demo/demo.db" tree
tree=$out
ok --db "$demo/demo.db" list --ready
ready=$out
case "$demo_out" in
*"$tree"*"$ready"*) pass ;;
*) fail "demo output does not show the store's tree then ready list" ;;
esac
check "tree is drawn with box characters" \
	sh -c 'printf "%s\n" "$1" | grep -q "^├── \|^└── "' - "$tree"
check "five milestones are ready" \
	[ "$(printf '%s\n' "$ready" | grep -c '^#[0-9]* *milestone ')" -eq 5 ]

# The roadmap DESIGN.md asks for: goals ranked by likelihood, goal- and
# idea-driven, milestones with scope, estimates and chances, edges, and
# BERT for under $100 against a $7,000 baseline.
DEMO_DB="$demo/demo.db"
dq() { sqlite3 -batch "$DEMO_DB" "$1"; }
check "at least 7 goals" [ "$(dq "SELECT count(*) FROM item WHERE kind = 'goal'")" -ge 7 ]
check "every goal has a likelihood" \
	[ "$(dq "SELECT count(*) FROM item WHERE kind = 'goal' AND likelihood IS NULL")" = 0 ]
check "goal- and idea-driven goals" \
	[ "$(dq "SELECT count(DISTINCT driven) FROM item WHERE kind = 'goal'")" = 2 ]
check "questions under goals" \
	[ "$(dq "SELECT count(*) FROM item i JOIN item p ON p.id = i.parent WHERE i.kind = 'question' AND p.kind = 'goal'")" -ge 1 ]
check "milestones with scope, estimate and p_success" \
	[ "$(dq "SELECT count(*) FROM item WHERE kind = 'milestone' AND scope IS NOT NULL AND likely IS NOT NULL AND p_success IS NOT NULL")" -ge 3 ]
check "builds-on edges" [ "$(dq "SELECT count(*) FROM edge")" -ge 2 ]
check "the BERT goal names \$100" \
	[ "$(dq "SELECT count(*) FROM item WHERE kind = 'goal' AND title LIKE '%BERT%' AND title || body LIKE '%\$100%'")" = 1 ]
check "the \$7,000 baseline is written down" \
	[ "$(dq "SELECT count(*) FROM item WHERE title || body LIKE '%7,000%' OR title || body LIKE '%7000%'")" -ge 1 ]
check "integrity" [ "$(dq 'PRAGMA integrity_check')" = ok ]

# Planning and publishing: what to do next, the main goal's forecast, and
# the public goals as a site, with a forecast chart for the BERT goal
# (whose milestones are public).
case "$demo_out" in
*"What to work on next"*"Chance of reaching the goal:"*"published "*" files to $demo/site"*) pass ;;
*) fail "demo output lacks next, forecast or publish" ;;
esac
check "demo site index" test -s "$demo/site/index.html"
bert=$(dq "SELECT substr(uuid, 1, 8) FROM item WHERE kind = 'goal' AND title LIKE '%BERT%'")
check "demo site forecasts the BERT goal" test -s "$demo/site/forecast-$bert.svg"
check "demo site leaves out private milestones" \
	sh -c "! grep -q 'Prove an approximation bound' '$demo'/site/*"

# A folder that already holds a demo is refused and left alone.
sum=$(cksum <"$demo/demo.db")
fails 1 demo "$demo"
err_contains "$demo/demo.db"
check "existing demo unchanged" [ "$(cksum <"$demo/demo.db")" = "$sum" ]

# Even with --db and $CAIRN_DB set, demo writes only its own folder.
ok --db "$TMP/mine.db" demo "$TMP/demo2"
check "--db store not created by demo" test ! -e "$TMP/mine.db"
check "second demo store" test -f "$TMP/demo2/demo.db"

# Without DIR: a new folder under $TMPDIR.
mkdir "$TMP/tmpdir"
TMPDIR="$TMP/tmpdir" run demo
check "demo without DIR succeeds" [ "$rc" -eq 0 ]
n=$(find "$TMP/tmpdir" -name demo.db | wc -l)
check "one demo store under TMPDIR" [ "$n" -eq 1 ]
check "user's store still untouched" test ! -e "$CAIRN_DB"

# --json gives the tree as JSON.
ok --json demo "$TMP/demo3"
json_ok "demo --json is the tree" \
	'isinstance(d, list) and all(x["kind"] and "children" in x for x in d)'

# A DIR that is a plain file cannot hold a demo.
: >"$TMP/plain"
fails 1 demo "$TMP/plain"
err_contains "$TMP/plain"

# Usage errors.
fails 2 demo "$TMP/a" "$TMP/b"
fails 2 demo --frob
finish
