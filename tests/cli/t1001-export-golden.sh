#!/bin/sh
# Every exporter against its golden file (tests/fixtures/fmt/golden/), on
# the store of tests/fixtures/fmt/roadmap.json; and that dump itself loads
# into an empty store and dumps back byte for byte.  Regenerate the golden
# files after an intended change with CAIRN_UPDATE_GOLDEN=1.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/fmt"
G="$F/golden"
export TZ=UTC

ok import "$F/roadmap.json"
expect "restored $F/roadmap.json: 17 items"

# golden NAME FORMAT [FILTER]: export FORMAT and compare with $G/NAME.
golden() {
	"$CAIRN" export --format "$2" --out "$TMP/raw" 2>"$TMP/err"
	check "export --format $2 succeeds" [ $? -eq 0 ]
	if [ -n "${3:-}" ]; then
		$3 <"$TMP/raw" >"$TMP/$1"
	else
		cp "$TMP/raw" "$TMP/$1"
	fi
	if [ -n "${CAIRN_UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$G"
		cp "$TMP/$1" "$G/$1"
	fi
	if cmp -s "$TMP/$1" "$G/$1"; then
		pass
	else
		fail "export --format $2 differs from $G/$1:
$(diff "$G/$1" "$TMP/$1" | head -20)"
	fi
}

# SVG coordinates depend on font metrics; compare what is drawn: the
# node and edge names, the cluster names and every text.
svg_text() {
	grep -o '<title>[^<]*</title>\|<text[^>]*>[^<]*</text>\|<a xlink:href="[^"]*"' |
		sed 's/<text[^>]*>/<text>/'
}

golden roadmap.md md
golden roadmap.jekyll.md jekyll
golden roadmap.tw.json taskwarrior
golden roadmap.ics ics
golden roadmap.dot dot
golden roadmap.svg.txt svg svg_text
golden roadmap.csv csv

# The dump is the fixture itself, byte for byte.
ok export --format json --out "$TMP/dump.json"
check "dump -> load -> dump is byte-identical" dump_same "$F/roadmap.json" "$TMP/dump.json"

# The SVG is a real drawing.
ok export --format svg --out "$TMP/r.svg"
check "svg starts as SVG" grep -q '<svg width=' "$TMP/r.svg"
check "svg has a cluster per root goal" \
	[ "$(grep -c 'class="cluster"' "$TMP/r.svg")" -eq 5 ]

# Visibility: md holds public items only, the others everything.
ok export --format md
lacks "Secret industry collaboration"
lacks "Lab-internal benchmark suite"
lacks "Private draft with the collaborator"
lacks "Public-looking milestone under a private goal"
lacks "Private note"
ok export --format md --visibility lab
contains "Lab-internal benchmark suite"
lacks "Secret industry collaboration"
ok export --format csv --visibility public
lacks "Secret industry collaboration"
contains "Survey low-rank"
ok export --format ics
contains "BEGIN:VTODO"
contains "BEGIN:VEVENT"

# --out leaves no temporary file behind and replaces atomically.
ok export --format csv --out "$TMP/out.csv"
check "--out writes the file" test -s "$TMP/out.csv"
check "--out leaves no temporary file" \
	[ "$(ls "$TMP" | grep -c 'out.csv.tmp')" -eq 0 ]

fails 2 export
err_contains "missing --format"
fails 2 export --format bibtex
err_contains "cannot export format 'bibtex'"
fails 2 export --format md extra
fails 1 export --format md --out "$TMP/no/such/dir/x.md"
err_contains "cannot write"
finish
