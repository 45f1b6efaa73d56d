#!/bin/sh
# publish DIR: the forecast histogram of each public goal and the
# calibration chart come from public items only.  Private and lab work,
# edges to it, the focus on a private goal and predictions about private
# items change no published number, and name nothing.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
SITE="$TMP/site"

# Goal 1 (public): A (10 days) then B (5 days), public, both certain.
ok add goal "Public goal" --visibility public --likelihood 0.8
ok add milestone "Public step A" --under 1 --estimate 10 --visibility public
ok add milestone "Public step B" --under 1 --estimate 5 --visibility public
ok dep add 3 2
# Private and lab work under it that a full forecast counts.
ok add milestone "Secret long step" --under 1 --estimate 400 \
	--p-success 0.2 --visibility private
ok add milestone "Lab-only step" --under 1 --estimate 300 --visibility lab
ok add milestone "Public below private" --under 4 --estimate 900 \
	--visibility public
# B also builds on the milestone of a private goal.
ok add goal "Hidden goal"
ok add milestone "Hidden prerequisite" --under 7 --estimate 250
ok dep add 3 8
# Focus on the private goal: a full forecast gives goal 1 a fifth of the
# time; the site cannot know about that goal.
ok focus set 7
# Goal 9 (public) has private work only: no forecast on its page.
ok add goal "Public goal without public work" --visibility public
ok add milestone "Private work" --under 9 --estimate 3 --visibility private

ok --json forecast 1
full_p50=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["p50"])')
check "the full forecast counts the private work" [ "$full_p50" != 2026-03-20 ]

ok publish "$SITE"
g1=$(sql "SELECT substr(uuid, 1, 8) FROM item WHERE id = 1")
g9=$(sql "SELECT substr(uuid, 1, 8) FROM item WHERE id = 9")
page="$SITE/goal-$g1.html"
# 15 working days from Monday 2026-03-02, in series, certain.
check "public chance" grep -q 'Chance of reaching this goal: <strong>100%</strong>' "$page"
check "public dates" grep -q 'by 2026-03-20 at even odds (P50), 2026-03-20 with 80% confidence, 2026-03-20 with 95%' "$page"
check "forecast chart linked" grep -q "<img src=\"forecast-$g1.svg\"" "$page"
check "forecast chart written" test -s "$SITE/forecast-$g1.svg"
check "chart marks P50" grep -q '>P50 2026-03-20<' "$SITE/forecast-$g1.svg"
check "chart is SVG" grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' "$SITE/forecast-$g1.svg"
check "no forecast for a goal without public work" \
	test ! -e "$SITE/forecast-$g9.svg"
check "and no forecast section on its page" \
	sh -c "! grep -q '<h2>Forecast' '$SITE/goal-$g9.html'"
check "no time share from a private focus" \
	sh -c "! grep -q '% of the time' '$page'"
check "no calibration without resolved public predictions" \
	test ! -e "$SITE/calibration.svg"
check "no calibration section yet" \
	sh -c "! grep -q '<h2>Calibration' '$SITE/index.html'"

# Predictions: two about public items count; one about a private item,
# one about no item and an open one do not.
ok predict --item 2 --p 0.8 "Public prediction one"
ok predict --item 3 --p 0.3 "Public prediction two"
ok predict --item 4 --who "Secret Mentor" --p 0.9 "Secret statement"
ok predict --p 0.6 "Prediction about nothing"
ok predict --item 2 --p 0.5 "Still open"
ok resolve P1 yes
ok resolve P2 no
ok resolve P3 no --why "Secret reason"
ok resolve P4 yes
ok publish "$SITE"
check "calibration over public items only" grep -q \
	'2 resolved predictions about these goals, 1 came true; Brier score 0.065' \
	"$SITE/index.html"
check "calibration chart linked" grep -q '<img src="calibration.svg"' "$SITE/index.html"
check "one dot per bin used" \
	[ "$(grep -c '<circle class="bin"' "$SITE/calibration.svg")" -eq 2 ]
check "the 30% bin: 0 of 1" grep -q 'stated 30-40%: 0 of 1 came true' "$SITE/calibration.svg"
check "the 80% bin: 1 of 1" grep -q 'stated 80-90%: 1 of 1 came true' "$SITE/calibration.svg"

all=$(cat "$SITE"/*)
for word in 'Secret long step' 'Lab-only step' 'Public below private' \
	'Hidden goal' 'Hidden prerequisite' 'Private work' 'Secret Mentor' \
	'Secret statement' 'Secret reason' 'Prediction about nothing' \
	'Public prediction' 'Still open'; do
	case "$all" in
	*"$word"*) fail "published site mentions '$word'" ;;
	*) pass ;;
	esac
done

# The site is the same each time it is published (fixed seed).
cp "$SITE/forecast-$g1.svg" "$TMP/first.svg"
ok publish "$SITE"
check "forecast chart is reproducible" cmp -s "$TMP/first.svg" "$SITE/forecast-$g1.svg"

# Work finished: the forecast goes, and its chart with it.
ok done 2
ok done 3
ok publish "$SITE"
check "finished goal has no forecast chart" test ! -e "$SITE/forecast-$g1.svg"
finish
