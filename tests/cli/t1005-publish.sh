#!/bin/sh
# publish DIR: a static site of the public items only.  Private and lab
# items (and public items below them) appear in no page, link, id, count or
# graph; every title and note is escaped; nothing is loaded from outside
# the folder; the pages render in headless Chromium (a screenshot at phone
# width that is not blank).
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/fmt"
SITE="$TMP/site"

ok import "$F/roadmap.json"
# A public goal whose text tries everything.
ok add goal '<script>alert(1)</script> & "quoted" goal' --visibility public \
	--likelihood 0.1 --body 'Raw <img src=x onerror=alert(2)> HTML,
a [bad link](javascript:alert(3)), an ![image](http://tracker.example/p.png)
and a [good link](https://example.org/ok).'
gid=$(sql "SELECT id FROM item WHERE title LIKE '<script>%'")
ok note "$gid" '<b>bold?</b> & <script>alert(4)</script>'
ok link "$gid" https://example.org/x --label '<i>label</i>'
ok publish "$SITE"
expect "published 14 files to $SITE"
for f in index.html style.css roadmap.svg lookback.html; do
	check "site has $f" test -s "$SITE/$f"
done

# Private, lab, and public-below-private: nowhere, in no form.
all=$(cat "$SITE"/*)
for word in 'Secret industry' 'Lab-internal' 'Private draft' \
	'Public-looking milestone' 'Private note' 'revenue' \
	'A leaderboard of cost'; do
	case "$all" in
	*"$word"*) fail "published site mentions '$word'" ;;
	*) pass ;;
	esac
done
for uuid in $(sql "SELECT uuid FROM item WHERE visibility <> 'public' OR parent IN (SELECT id FROM item WHERE visibility <> 'public')"); do
	short=$(printf '%s' "$uuid" | cut -c1-8)
	case "$all" in
	*"$short"*) fail "published site names private item $uuid" ;;
	*) pass ;;
	esac
done
# No ids at all (they would count the private items): no "#N".
check "no item ids in the pages" sh -c "! grep -q '#[0-9]' '$SITE'/*.html"
check "public goals only, and all of them" \
	[ "$(grep -c '<a class="goal-title"' "$SITE/index.html")" -eq 4 ]
check "a page per public goal" [ "$(ls "$SITE"/goal-*.html | wc -l)" -eq 4 ]
# Progress counts public milestones only (goal 1 has a private one).
gpage=$(grep -l 'Compression methods' "$SITE"/goal-*.html)
check "progress counts public milestones" \
	grep -q '1 of 3 milestones done' "$gpage"
check "graph nodes are public only" \
	[ "$(grep -c 'class="node' "$SITE/roadmap.svg")" -eq \
	  "$(sql "SELECT count(*) FROM item i WHERE visibility = 'public' AND status <> 'dropped' AND NOT EXISTS (SELECT 1 FROM item p WHERE p.id = i.parent AND p.visibility <> 'public')")" ]
# Metrics of public items are charted.
check "metric chart" test -s "$SITE/$(ls "$SITE" | grep '^metric-' | head -1)"
bpage=$(grep -l 'BERT-level' "$SITE"/goal-*.html)
check "metric on its goal's page" grep -q '50.7% of the way' "$bpage"
# The fixture's #14 builds on #13, which it is part of (made before cairn
# refused that): that goal has no forecast, the site is still published.
check "no forecast across a cycle" grep -q 'No forecast: some milestones' "$bpage"
check "forecast chart of the goal with public work" \
	test -s "$SITE/forecast-$(sql "SELECT substr(uuid, 1, 8) FROM item WHERE id = 1").svg"

# Escaping: no markup from the store comes through.
spage=$(grep -l 'quoted' "$SITE"/goal-*.html)
check "title escaped" grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; goal' "$spage"
check "no script anywhere" sh -c "! grep -qi '<script' '$SITE'/*"
check "no event handlers" sh -c "! grep -qi 'onerror=' '$SITE'/*.html"
check "no javascript: links" sh -c "! grep -qi 'javascript:' '$SITE'/*"
check "note escaped" grep -q '&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;script&gt;' "$spage"
check "link label escaped" grep -q '&lt;i&gt;label&lt;/i&gt;' "$spage"
check "good link kept" grep -q 'href="https://example.org/ok"' "$spage"
# Nothing from outside the folder: every src and stylesheet is a local
# file that exists, and a Content Security Policy says the same.
for ref in $(cat "$SITE"/*.html | grep -o '\(src\|href\)="[^"]*"' |
	grep -v '^href="\(https\?:\|mailto:\)' | sed 's/^[a-z]*="//; s/"$//' |
	sort -u); do
	check "local file $ref exists" test -e "$SITE/$ref"
done
check "no remote resources" \
	sh -c "! grep -o 'src=\"[^\"]*\"' '$SITE'/*.html | grep -q 'src=\"[a-z]*:'"
check "images never load remote files" \
	sh -c "! grep -q 'tracker.example' '$SITE'/*.html"
check "content security policy" \
	grep -q "default-src 'none'; style-src 'self'; img-src 'self'" "$SITE/index.html"

# Publishing again follows the store: a goal made private loses its page.
ok set "$gid" visibility=private
ok publish "$SITE"
check "private goal's page removed" [ "$(ls "$SITE"/goal-*.html | wc -l)" -eq 3 ]
check "and its text is gone" sh -c "! grep -q quoted '$SITE'/*"
mkdir "$TMP/other"
echo hello >"$TMP/other/notes.txt"
fails 1 publish "$TMP/other"
err_contains "is not empty and was not made by 'cairn publish'"

# Look at the pages in headless Chromium, at phone width.
BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || need chromium "the pages are looked at in a browser"
shot() { # shot PAGE PNG
	timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --hide-scrollbars \
		--user-data-dir="$TMP/chromium-profile" --window-size=412,915 \
		--screenshot="$2" "file://$1" >"$TMP/chromium.log" 2>&1
}
png_ok() { # png_ok PNG: PNG, sane size, not one colour
	python3 - "$1" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert 300 <= w <= 4000 and 300 <= h <= 8000, (w, h)
idat, pos = b"", 8
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
assert len(set(raw)) > 16, "blank page"
print(w, h)
PY
}
shot "$SITE/index.html" "$TMP/index.png"
check "index screenshot taken" test -s "$TMP/index.png"
check "index screenshot is a real page" png_ok "$TMP/index.png"
shot "$bpage" "$TMP/goal.png"
check "goal page screenshot is a real page" png_ok "$TMP/goal.png"
if [ -n "${CAIRN_KEEP_SCREENSHOTS:-}" ]; then
	cp "$TMP/index.png" "$TMP/goal.png" "$CAIRN_KEEP_SCREENSHOTS"/
fi
finish
