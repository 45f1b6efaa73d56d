#!/bin/sh
# The mentor loop through the lab's pages in headless Chromium
# (puppeteer-core over Debian's chromium, tests/browser/lab.mjs): ana
# predicts how her mentor sam will answer; sam logs in, sees the question
# without its probability and answers it with a reason; ana's sync
# resolves it with that reason; the lab's calibration shows sam's score.
# Screenshots go to $SHOTS (default: the test's temporary folder).
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
need node "the browser tests run on Node.js"
need chromium "the browser tests drive Debian's chromium"
if [ ! -d "$SRCDIR/tests/browser/node_modules/puppeteer-core" ]; then
	case "${CI:-}" in
	"" | false | 0) skip "puppeteer-core is not installed (make test-deps)" ;;
	esac
	fail "puppeteer-core is not installed, and CI must have it: make test-deps"
	finish
fi
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

hub_init
hub_start h
export CAIRN_SYNC_PASSPHRASE="lab passphrase"
export CAIRN_SYNC_RETRIES=1
for u in lee sam ana; do
	setup hub user add "$u" --pg "$CAIRN_PG"
	printf '%s\n' "pass-of-$u" >"$TMP/pw"
	setup hub user passwd "$u" --pg "$CAIRN_PG" <"$TMP/pw"
done
setup hub lab add phd --lead lee --pg "$CAIRN_PG"
code_for() { "$CAIRN" hub user add "$1" --pg "$CAIRN_PG" | tail -n 1; }
invite() { "$CAIRN" hub lab invite phd --role "$1" --pg "$CAIRN_PG" | tail -n 1; }

export CAIRN_DB=$TMP/ana.db
setup add goal "Thesis"
setup add milestone "Pruning bound" --under 1 --estimate 3/5/9
setup add milestone "Secret plan" --under 1
setup set 1 visibility=lab
setup set 2 visibility=lab
setup sync login "$BASE" --user ana --code "$(code_for ana)"
setup sync join "$(invite member)"
CAIRN_DB=$TMP/sam.db setup init
CAIRN_DB=$TMP/sam.db setup sync login "$BASE" --user sam --code "$(code_for sam)"
CAIRN_DB=$TMP/sam.db setup sync join "$(invite mentor)"
setup hub lab mentor phd sam ana --pg "$CAIRN_PG"
setup predict --who @sam --p 0.7 --item 2 "Sam will say the pruning bound is worth a workshop paper"
setup sync

SHOTS=${SHOTS:-$TMP}
node "$SRCDIR/tests/browser/lab.mjs" "$BASE" "$CAIRN" "$SHOTS" \
	>"$TMP/browser.out" 2>&1
st=$?
PASS=$((PASS + $(grep -c '^ok: ' "$TMP/browser.out")))
grep '^FAIL: ' "$TMP/browser.out" >&2
FAIL=$((FAIL + $(grep -c '^FAIL: ' "$TMP/browser.out")))
if [ "$st" -ne 0 ] && ! grep -q '^FAIL: ' "$TMP/browser.out"; then
	fail "the browser test stopped: $(tail -n 5 "$TMP/browser.out")"
fi
same "the hub kept the answer" "$(pg_sql "SELECT outcome || '|' || why FROM hub.questions")" \
	"false|A workshop is too small for it: aim for the conference"
same "ana's store has it" "$(sql "SELECT outcome || '|' || why FROM prediction WHERE id = 1")" \
	"0|A workshop is too small for it: aim for the conference"
hub_stop h
finish
