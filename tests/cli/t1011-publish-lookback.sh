#!/bin/sh
# publish DIR: the "Looking back" page (lookback.html), linked from the
# index: the goals then and now as `lookback --post` tells them, with an
# inline SVG chart per goal (statements on a time axis, a metric's
# observations against baseline and target).  The history: a 2023 goals
# post imported --as-of its date, refinements, a dropped goal, a metric
# observed twice, a goal made private since; beside it a private goal
# with a private note, milestone and lesson.  The page starts at the
# earliest public goal's creation, or at --since; nothing private
# reaches it; it renders in headless Chromium.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
SITE="$TMP/site"

cat >"$TMP/goals-2023.md" <<'POST'
---
layout: post
title: "Research goals, 2023"
date: 2023-01-15
---

1. BERT-level pre-training for under $100 of compute (Currently $7,000)
   - [ ] Reproduce BERT-base pre-training cost at small scale
2. Compression methods with provable approximation guarantees
3. Train an MNIST classifier on a simulated quantum computer
4. Metrics the compression community can compare across papers
POST

export CAIRN_NOW=2023-02-01T10:00:00Z
setup import "$TMP/goals-2023.md" --as-of post
setup set 1 driven=goal
setup add goal "Quiet side bet on XYZZY compilers" --visibility private
private=$(sql "SELECT id FROM item WHERE title LIKE 'Quiet%'")
setup note "$private" "PRIVATE-NOTE-PLUGH: talk to the XYZZY team"
g_bert=$(sql "SELECT id FROM item WHERE title LIKE 'BERT-level%'")
g_comp=$(sql "SELECT id FROM item WHERE title LIKE 'Compression%'")
g_mnist=$(sql "SELECT id FROM item WHERE title LIKE 'Train an MNIST%'")
g_metr=$(sql "SELECT id FROM item WHERE title LIKE 'Metrics the%'")
export CAIRN_NOW=2023-06-10T10:00:00Z
setup metric log "$g_bert" cost 5200 --date 2023-06-10
export CAIRN_NOW=2023-11-20T10:00:00Z
setup refine "$g_bert" 'BERT-base GLUE accuracy from pre-training under $100 <today>'
export CAIRN_NOW=2024-05-01T10:00:00Z
setup drop "$g_mnist" --why "No access to a quantum simulator"
export CAIRN_NOW=2025-02-01T10:00:00Z
setup refine "$g_comp" "Compression bounds that hold before fine-tuning"
setup set "$g_metr" visibility=private
export CAIRN_NOW=2025-03-01T10:00:00Z
setup add milestone "FROBOZZ internal cluster run" --under "$g_bert" \
	--visibility private
frobozz=$(sql "SELECT id FROM item WHERE title LIKE 'FROBOZZ%'")
setup done "$frobozz"
setup lesson "$frobozz" "PRIVATE-LESSON-GRUE about the cluster"
setup lesson "$private" "PRIVATE-LESSON-ZORK on the side bet"
export CAIRN_NOW=2025-10-01T10:00:00Z
setup metric log "$g_bert" cost 2600 --date 2025-10-01

export CAIRN_NOW=2026-01-31T10:00:00Z
ok publish "$SITE"
page="$SITE/lookback.html"
check "the page is written" test -s "$page"
check "the index links it" grep -q '<a href="lookback.html">The goals on 2023-01-15, then and now</a>' "$SITE/index.html"
check "from the earliest public goal's creation to now" \
	grep -q 'The research goals on 2023-01-15, and where each one stood on 2026-01-31.' "$page"
check "then: the statement of 2023" grep -q '<h3>BERT-level pre-training for under $100 of compute (Currently $7,000)</h3>' "$page"
check "now: its refinement, escaped" \
	grep -q '<li>Refined on 2023-11-20: BERT-base GLUE accuracy from pre-training under $100 &lt;today&gt;</li>' "$page"
check "rank then and now" grep -q '<li>Rank: 1 then, 1 now.</li>' "$page"
check "the metric then and now" grep -q '<li>cost: 7000 → 2600' "$page"
check "the dropped goal, with its reason" \
	grep -q '<li>Train an MNIST classifier on a simulated quantum computer: No access to a quantum simulator</li>' "$page"
check "the goal made private is counted only" \
	grep -q 'One goal from then is not shown here.' "$page"
check "an inline chart per goal shown" \
	[ "$(grep -c '<svg xmlns="http://www.w3.org/2000/svg" class="lookback"' "$page")" -eq 3 ]
check "refinements dated on the time axis" \
	grep -q '<text class="refined" [^>]*>2023-11-20</text>' "$page"
check "the refinement's text in the dot's title, escaped" \
	grep -q '<title>refined 2023-11-20: BERT-base GLUE accuracy from pre-training under $100 &lt;today&gt;</title>' "$page"
check "the metric against baseline and target" \
	sh -c 'grep -q "<line class=\"baseline\"" "$1" && grep -q "<line class=\"target\"" "$1" && grep -q "<polyline" "$1"' - "$page"
check "its observations in the period" \
	sh -c 'grep -q "<title>2023-06-10: 5200</title>" "$1" && grep -q "<title>2025-10-01: 2600</title>" "$1"' - "$page"
for secret in XYZZY PLUGH FROBOZZ GRUE ZORK Quiet "Metrics the compression"; do
	check "no '$secret' on the site" sh -c '! grep -rq "$1" "$2"' - "$secret" "$SITE"
done
check "no item id in the page" sh -c '! grep -Eq "#[0-9]" "$1"' - "$page"
# The facts are the post's: each fact of the post is a fact of the page.
ok lookback --since 2023-01-15T00:00:01Z --post --out "$TMP/post.md"
check "the post and the page tell the same facts" python3 - "$TMP/post.md" "$page" <<'PY'
import html, re, sys
post = open(sys.argv[1]).read()
page = html.unescape(re.sub(r"<[^>]+>", "\n", open(sys.argv[2]).read()))
# The post's facts are its paragraphs between its first heading and its
# closing list (the list as it stands now).
body = post.split("## The goals then, and now", 1)[1]
body = body.split("## The list now", 1)[0]
lines = [l for l in body.splitlines() if l and not l.startswith("#")]
assert len(lines) >= 8, lines
for l in lines:
    l = l.replace("\\$", "$").replace("\\<", "<")
    assert l.split(":")[0].split(". ")[0] in page, l
PY
# A well-formed page: tags balanced (the site's checks: every src and
# href inside the folder, no script).
check "the page is well-formed" python3 - "$page" <<'PY'
import sys
from html.parser import HTMLParser
void = {"meta", "link", "img", "br", "hr", "input", "rect", "line",
        "polyline", "circle"}
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []
    def handle_starttag(s, t, a):
        if t == "script": raise SystemExit("script")
        if t not in void: s.stack.append(t)
    def handle_startendtag(s, t, a):
        pass
    def handle_endtag(s, t):
        if t in void: return
        assert s.stack and s.stack[-1] == t, (t, s.stack[-5:])
        s.stack.pop()
p = P(); p.feed(open(sys.argv[1]).read()); assert not p.stack, p.stack
PY

# --since: from that day; a malformed day is a usage error.
ok publish --since 2024-06-01 "$SITE"
check "the index says the day given" grep -q 'The goals on 2024-06-01, then and now' "$SITE/index.html"
check "the page starts there" grep -q 'The research goals on 2024-06-01' "$page"
check "the goal dropped before is not a goal of then" \
	sh -c '! grep -q "Train an MNIST" "$1"' - "$page"
ok lookback --since 2024-06-01 --post
lacks "Train an MNIST"
fails 2 publish --since not-a-day "$SITE"

# The page in headless Chromium, at phone width: not blank.
BROWSER=$(command -v chromium || command -v chromium-browser || true)
[ -n "$BROWSER" ] || need chromium "the page is looked at in a browser"
ok publish "$SITE"
timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu \
	--disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars \
	--user-data-dir="$TMP/chromium-profile" --window-size=412,915 \
	--screenshot="$TMP/lookback.png" "file://$page" >"$TMP/chromium.log" 2>&1
check "lookback screenshot is a real page" python3 - "$TMP/lookback.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
idat, pos = b"", 8
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
assert len(set(zlib.decompress(idat))) > 16, "blank page"
PY
if [ -n "${CAIRN_KEEP_SCREENSHOTS:-}" ]; then
	cp "$TMP/lookback.png" "$CAIRN_KEEP_SCREENSHOTS"/
fi
finish
