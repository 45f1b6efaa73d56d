#!/bin/sh
# cairn serve: a goal's page draws its statement history as a time line
# (an inline SVG, each point placed by its date), every statement escaped
# in the SVG as in the list below it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

setup add goal 'Plan <script>alert(1)</script> ]]> end'
setup add milestone "A step" --under 1
CAIRN_NOW=2026-03-10T09:00:00Z
setup refine 1 'Sharper ]]> <script>x</script> & "quoted"'
CAIRN_NOW=2026-04-01T09:00:00Z
setup refine 1 'Final statement'
CAIRN_NOW=2026-03-01T09:00:00Z

# The SVG of the time line, from the page in $body.
timeline() {
	printf '%s' "$body" | py -c '
import sys
b = sys.stdin.read()
i = b.find("<svg class=\"timeline\"")
print(b[i:b.index("</svg>", i) + 6] if i >= 0 else "")'
}

serve_start
authed GET /items/1
status 200 "the goal's page"
svg=$(timeline)
check "the page has the time line" test -n "$svg"
check "three points, one a statement" \
	test "$(printf '%s' "$svg" | grep -o '<circle' | wc -l)" -eq 3
for x in 'cx="20"' 'cx="182"' 'cx="580"'; do
	check "a point at $x (by date)" sh -c 'printf "%s" "$1" | grep -qF "$2"' - "$svg" "$x"
done
check "the first and last dates" \
	sh -c 'printf "%s" "$1" | grep -q ">2026-03-01</text>.*>2026-04-01</text>"' - "$svg"
check "the first statement, escaped" sh -c 'printf "%s" "$1" |
	grep -qF "2026-03-01: Plan &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; end</title>"' - "$svg"
check "the second, escaped" sh -c 'printf "%s" "$1" |
	grep -qF "Sharper ]]&gt; &lt;script&gt;x&lt;/script&gt; &amp; &quot;quoted&quot;</title>"' - "$svg"
check "the current statement is named in the label" sh -c 'printf "%s" "$1" |
	grep -qF "aria-label=\"3 statements from 2026-03-01 to 2026-04-01; now: Final statement\""' - "$svg"
check "nothing raw in the SVG" sh -c '! printf "%s" "$1" | grep -qE "<script|]]>|& "' - "$svg"
lacks '<script>alert'
lacks '<script>x'
lacks ']]>'
contains '<li><span class="muted">2026-03-10T09:00:00Z</span> Sharper ]]&gt; &lt;script&gt;x&lt;/script&gt;'

# A restatement shows at once (the page is not kept past a write).
CAIRN_NOW=2026-04-02T09:00:00Z
ok refine 1 'Restated <while> serving'
CAIRN_NOW=2026-03-01T09:00:00Z
authed GET /items/1
svg=$(timeline)
check "the new statement is on the line" sh -c 'printf "%s" "$1" |
	grep -qF "2026-04-02: Restated &lt;while&gt; serving</title>"' - "$svg"
check "four points now" \
	test "$(printf '%s' "$svg" | grep -o '<circle' | wc -l)" -eq 4

# Only a goal has one.
authed GET /items/2
status 200 "the milestone's page"
lacks 'class="timeline"'

serve_stop
finish
