#!/bin/sh
# The web UI in headless Chromium (puppeteer-core over Debian's chromium,
# from tests/browser/ with its committed lock file): add a goal from the
# keyboard and two milestones through the forms, an edge and a refused
# cycle, done, a forecast with its histogram, undo and redo, a page
# following a CLI change, inline editing through the script (a title
# edited and one refused, a status, an item added), labels and
# contrast; each step checked in the
# page and in the store.  Screenshots go to $SHOTS (default: the test's
# temporary folder).
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
. "$(dirname "$0")/serve-lib.sh"

setup init
serve_start
SHOTS=${SHOTS:-$TMP}
node "$SRCDIR/tests/browser/serve.mjs" "$BASE/?token=$TOKEN" "$CAIRN" "$SHOTS" \
	>"$TMP/browser.out" 2>&1
st=$?
PASS=$((PASS + $(grep -c '^ok: ' "$TMP/browser.out")))
grep '^FAIL: ' "$TMP/browser.out" >&2
FAIL=$((FAIL + $(grep -c '^FAIL: ' "$TMP/browser.out")))
if [ "$st" -ne 0 ] && ! grep -q '^FAIL: ' "$TMP/browser.out"; then
	fail "the browser test stopped: $(tail -n 5 "$TMP/browser.out")"
fi
serve_stop
ok doctor
finish
