#!/bin/sh
# cairn serve: the token, Host, Origin and CSRF checks and the size limit
# refuse before anything runs, each leaving the store as it was; the API
# and the form posts write the same changes as the CLI, with its errors;
# every user string is escaped; SIGTERM stops cleanly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

XSS='<script>alert(1)</script>'
ATTR='"><img src=x onerror=alert(1)>'
setup add goal "Goal $XSS"
setup add milestone "Step $ATTR" --under 1
setup add milestone "Later ]]> step" --under 1
setup dep add 3 2
setup note 2 "note $XSS"

# Usage errors come before the store or a socket.
rejects 2 serve --port 70000
rejects 2 serve --bind 0.0.0.0
err_contains "--allow-remote"
rejects 2 serve --bind nowhere --allow-remote
rejects 2 serve extra

serve_start
before=$(snapshot)

# Without the token, nothing of the store shows.
http GET /
status 401 "no token"
lacks "Goal"
http GET /api/items
status 401 "no token on the API"
contains '"error"'
http GET /api/items -H "Authorization: Bearer ${TOKEN%?}0"
status 401 "a wrong token"
http GET "/?token=nottherightone"
status 401 "a wrong token in the URL"
http GET /api/items -H "Cookie: cairn_token_${HOSTPORT#*:}=$TOKEN-x"
status 401 "a wrong cookie"
check "a refusal carries the security headers" \
	sh -c 'printf "%s" "$1" | grep -q "^Content-Security-Policy: default-src .self.*frame-ancestors .none."' - "$hdrs"

# The token once in the URL, then the cookie.
http GET "/?token=$TOKEN"
status 200 "the token in the URL"
check "the URL's token sets an HttpOnly SameSite=Strict cookie" \
	sh -c 'printf "%s" "$1" | grep -q "^Set-Cookie: cairn_token_[0-9]*=$2; HttpOnly; SameSite=Strict; Path=/"' - "$hdrs" "$TOKEN"
http GET /roadmap -H "Cookie: cairn_token_${HOSTPORT#*:}=$TOKEN"
status 200 "the cookie"
contains "Goal"
for h in "X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer" \
	"X-Frame-Options: DENY"; do
	check "header $h" sh -c 'printf "%s" "$1" | grep -qx "$2"' - "$hdrs" "$h"
done

# A foreign Host is refused even with the token (DNS rebinding).
authed GET /api/items -H "Host: evil.example:${HOSTPORT#*:}"
status 403 "a foreign Host"
lacks "Goal"
authed GET /api/items -H "Host: localhost:${HOSTPORT#*:}"
status 200 "localhost:PORT is the server's own"

# Writes need the CSRF token, and a same-origin Origin when one is sent.
CSRF=$(csrf)
check "the session has a CSRF token" test ${#CSRF} -eq 64
authed POST /api/items -H 'Content-Type: application/json' \
	--data-binary '{"kind": "goal", "title": "Sneaky"}'
status 403 "a write without the CSRF token"
authed POST /api/items -H "X-CSRF-Token: ${CSRF%?}0" \
	-H 'Content-Type: application/json' \
	--data-binary '{"kind": "goal", "title": "Sneaky"}'
status 403 "a wrong CSRF token"
authed POST /api/items -H "X-CSRF-Token: $CSRF" -H "Origin: http://evil.example" \
	-H 'Content-Type: application/json' \
	--data-binary '{"kind": "goal", "title": "Sneaky"}'
status 403 "a cross-origin write"
authed POST /api/items -H "X-CSRF-Token: $CSRF" -H "Origin: null" \
	-H 'Content-Type: application/json' \
	--data-binary '{"kind": "goal", "title": "Sneaky"}'
status 403 "Origin: null without Sec-Fetch-Site"
authed POST /api/items -H "X-CSRF-Token: $CSRF" -H "Sec-Fetch-Site: cross-site" \
	-H 'Content-Type: application/json' \
	--data-binary '{"kind": "goal", "title": "Sneaky"}'
status 403 "Sec-Fetch-Site: cross-site"
authed POST /api/items -H "X-CSRF-Token: $CSRF" -H "Sec-Fetch-Site: same-site" \
	-H "Origin: null" -H 'Content-Type: application/json' \
	--data-binary '{"kind": "goal", "title": "Sneaky"}'
status 403 "Sec-Fetch-Site: same-site (another port of the host)"
authed POST /items -H "Cookie: cairn_token_${HOSTPORT#*:}=$TOKEN" \
	--data-urlencode kind=goal --data-urlencode title=Sneaky
status 403 "a form post without the CSRF field"
head -c 1100000 /dev/zero | tr '\0' a >"$TMP/big"
authed POST /api/items -H "X-CSRF-Token: $CSRF" \
	-H 'Content-Type: application/json' --data-binary @"$TMP/big"
status 413 "an oversized body"
authed PUT /api/items/1 -H "X-CSRF-Token: $CSRF"
status 405 "a method the route does not take"
same "the refusals left the store as it was" "$before" "$(snapshot)"

# Bad requests: the CLI's message and status, and nothing written.
json_write POST /api/items '{"kind": "goal", "title": '
status 400 "malformed JSON"
json_write POST /api/items '{"kind": "goal", "title": "   "}'
status 422 "a blank title"
web_msg=$(printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin)["error"])')
run add goal "   "
case "$err" in
*"$web_msg"*) pass ;;
*) fail "the web's error '$web_msg' is not the CLI's: $err" ;;
esac
json_write POST /api/items/2/builds-on '{"id": 3}'
status 409 "an edge that closes a cycle"
contains "#2"
json_write PATCH /api/items/2 '{"scope": 9}'
status 422 "an out-of-range scope"
authed GET /api/items/99
status 404 "no such item"
authed GET /api/nowhere
status 404 "no such route"
same "bad requests left the store as it was" "$before" "$(snapshot)"

# The API writes what the CLI would, as one change each.
changes=$(sql "SELECT count(*) FROM change")
json_write POST /api/items '{"kind": "milestone", "title": "From the web", "parent": 1, "scope": 2, "tags": ["web"]}'
status 201 "add through the API"
json_ok "the reply is the item's detail" 'd["title"] == "From the web" and d["parent"] == 1 and d["tags"] == ["web"] and d["scope"] == 2'
new=$(printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin)["id"])')
sql_is "one change for the add and its tag" "SELECT count(*) FROM change" "$((changes + 1))"
ok show "$new" --json
json_ok "the CLI sees it" 'd["title"] == "From the web" and d["tags"] == ["web"]'
json_write PATCH /api/items/$new '{"title": "Renamed", "likelihood": 0.5}'
status 200 "patch"
sql_is "patched" "SELECT title FROM item WHERE id = $new" "Renamed"
json_write POST /api/items/$new/done '{}'
status 200 "done"
sql_is "done through the API" "SELECT status FROM item WHERE id = $new" "done"
json_write POST /api/items/$new/notes '{"text": "from the API"}'
status 200 "note"
json_write POST /api/items/$new/builds-on '{"id": 2}'
status 200 "edge"
authed DELETE /api/items/$new/builds-on/2 -H "X-CSRF-Token: $CSRF"
status 200 "edge removed"
sql_is "edge gone" "SELECT count(*) FROM edge WHERE item = $new" "0"
authed GET "/api/items?kind=milestone&under=1"
json_ok "list filters" "[i['id'] for i in d] == [2, 3, $new]"
authed GET /api/next
status 200 "next"
ok next --json
same "next is the CLI's" "$(printf '%s' "$out" | py -c 'import json,sys; print(json.load(sys.stdin))')" \
	"$(printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin))')"
authed GET /api/check
status 200 "check"
json_write POST /api/undo '{}'
status 200 "undo"
sql_is "undo took back the edge removal" "SELECT count(*) FROM edge WHERE item = $new" "1"
json_write POST /api/redo '{}'
status 200 "redo"
sql_is "redo re-applied it" "SELECT count(*) FROM edge WHERE item = $new" "0"

# The pages' forms: the same writes, answered with 303 back.
form() {
	f_path=$1
	shift
	authed POST "$f_path" --data-urlencode "csrf=$CSRF" "$@"
}
form /items --data-urlencode kind=goal --data-urlencode "title=Form goal $XSS"
status 303 "add through a form"
check "back to the roadmap" sh -c 'printf "%s" "$1" | grep -qx "Location: /roadmap"' - "$hdrs"
id=$(sql "SELECT max(id) FROM item")
sql_is "the form's goal" "SELECT title FROM item WHERE id = $id" "Form goal $XSS"
form "/items/$id/status" --data-urlencode verb=start
status 303 "start through a form"
sql_is "started" "SELECT status FROM item WHERE id = $id" "active"
form "/items/$id/edit" --data-urlencode "title=Edited $ATTR"
status 303 "edit through a form"
# The edit form: every field in one change, and "under" moves the item.
setup add milestone "Edit me" --under 1
em=$(sql "SELECT max(id) FROM item")
setup add milestone "Its child" --under "$em"
kid=$(sql "SELECT max(id) FROM item")
changes=$(sql "SELECT count(*) FROM change")
form "/items/$em/edit" --data-urlencode "title=Edited ]]> me" \
	--data-urlencode estimate=2/3/5 --data-urlencode due=2026-05-01 \
	--data-urlencode likelihood= --data-urlencode scope=2 \
	--data-urlencode p_success=0.6 --data-urlencode parent= \
	--data-urlencode visibility=private
status 303 "the edit form"
sql_is "its fields" "SELECT title, likely, due, scope, p_success, parent IS NULL FROM item WHERE id = $em" "Edited ]]> me|3.0|2026-05-01|2|0.6|1"
sql_is "in one change" "SELECT count(*) FROM change" "$((changes + 1))"
before=$(snapshot)
form "/items/$em/edit" --data-urlencode "title=Not saved" --data-urlencode "parent=$kid"
check "moving an item under its own child is refused ($code)" test "$code" = 409 -o "$code" = 422
same "and changes nothing, not even the title" "$before" "$(snapshot)"
json_write PATCH "/api/items/$em" '{"parent": 1}'
status 200 "PATCH parent moves it back"
sql_is "moved back" "SELECT parent FROM item WHERE id = $em" "1"
sql_is "the refused title was never saved" "SELECT title FROM item WHERE id = $em" "Edited ]]> me"

form "/items/3/builds-on" --data-urlencode id=3
status 409 "a self-edge through a form"
contains "#3 cannot build on itself"
form "/items/2/builds-on" --data-urlencode id=3
status 409 "a cycle through a form"
contains "cycle"
form "/items/$id/status" --data-urlencode verb=explode
status 422 "an unknown verb"
form /items --data-urlencode kind=goal --data-urlencode "title= "
status 422 "a blank title through a form"

# Every page escapes what the user wrote, and no markup of its own.
for page in / /roadmap /check /items/1 /items/2 /items/3 "/items/$id" /transfer; do
	authed GET "$page"
	status 200 "page $page"
	for raw in "$XSS" "$ATTR" '<img src=x' '&lt;ul' '&lt;li' '&lt;h2' '&lt;form'; do
		lacks "$raw"
	done
done
authed GET /items/2
contains "Step &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
contains "note &lt;script&gt;"
authed GET /static/style.css
status 200 "the stylesheet"
check "served as CSS" sh -c 'printf "%s" "$1" | grep -q "^Content-Type: text/css"' - "$hdrs"

# /api/version changes when the store does, by any process, and only then.
version() {
	authed GET /api/version
	printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin)["version"])'
}
v1=$(version)
v2=$(version)
same "no change, same version" "$v1" "$v2"
setup note 1 "from the CLI"
v3=$(version)
check "a CLI change moves the version" test "$v3" != "$v2"
json_write POST /api/items/1/notes '{"text": "from the web"}'
v4=$(version)
check "a web write moves the version" test "$v4" != "$v3"
authed GET /static/live.js
status 200 "the live script"
check "served as JavaScript" sh -c 'printf "%s" "$1" | grep -q "^Content-Type: text/javascript"' - "$hdrs"
authed GET /roadmap
contains '<script src="/static/live.js" defer></script>'

# Writers in parallel (the server's threads each have a connection):
# every acknowledged write is in the store, one change each.
changes=$(sql "SELECT count(*) FROM change")
for i in $(seq 1 12); do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 \
		-H "Authorization: Bearer $TOKEN" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"kind\": \"idea\", \"title\": \"parallel $i\"}" \
		"$BASE/api/items" >>"$TMP/codes" &
done
wait_for=0
while [ "$(wc -l <"$TMP/codes")" -lt 12 ] && [ "$wait_for" -lt 600 ]; do
	sleep 0.1
	wait_for=$((wait_for + 1))
done
same "12 parallel writes answered 201" "$(sort -u "$TMP/codes")" "201"
sql_is "and all 12 are in the store" "SELECT count(*) FROM item WHERE title LIKE 'parallel %'" "12"
sql_is "as 12 changes" "SELECT count(*) FROM change" "$((changes + 12))"

# Planning through the API is the CLI's, number for number.
setup set 2 estimate=3/5/9
setup set 3 estimate=2/4/6
authed GET "/api/goals/1/forecast?trials=500&seed=7&capacity=2"
status 200 "forecast"
web=$(printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin))')
ok forecast 1 --trials 500 --seed 7 --capacity 2 --json
same "the forecast is the CLI's" "$(printf '%s' "$out" | py -c 'import json,sys; print(json.load(sys.stdin))')" "$web"
authed GET /api/goals/1/path
status 200 "path"
web=$(printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin))')
ok path 1 --json
same "the path is the CLI's" "$(printf '%s' "$out" | py -c 'import json,sys; print(json.load(sys.stdin))')" "$web"
authed GET "/api/goals/1/forecast?trials=0"
status 400 "zero trials"
contains "trials must be a whole number"
authed GET "/api/goals/1/forecast?trials=2000000"
status 400 "more trials than the web allows"
authed GET "/api/goals/99/forecast"
status 404 "no such goal"
# Research views through the API are the CLI's.
setup predict --item 2 --by 2026-06-01 --p 0.7 "the bound holds"
setup resolve 1 yes
setup log 2 90m --date 2026-02-27
for q in "calibration|calibration" "focus?weeks=2|focus --weeks 2" \
	"lookback?since=2026-02-01&until=2026-03-01|lookback --since 2026-02-01 --until 2026-03-01"; do
	authed GET "/api/${q%%|*}"
	status 200 "/api/${q%%|*}"
	web=$(printf '%s' "$body" | py -c 'import json,sys; print(json.load(sys.stdin))')
	# shellcheck disable=SC2086
	ok ${q#*|} --json
	same "/api/${q%%|*} is the CLI's" "$(printf '%s' "$out" | py -c 'import json,sys; print(json.load(sys.stdin))')" "$web"
done
# Time and predictions, through the API and the forms.
json_write POST /api/items/2/time '{"duration": "1h15m", "date": "2026-02-28", "note": "web"}'
status 200 "log time"
sql_is "logged" "SELECT minutes FROM time_entry WHERE note = 'web'" "75"
json_write POST /api/items/2/time '{"duration": "25h"}'
status 422 "more than a day"
setup predict --item 2 --by 2026-03-04 --p 0.4 "reply $XSS"
authed GET /
contains "Predictions due"
contains "reply &lt;script&gt;"
lacks "$XSS"
contains "This week"
contains "Attention, last 4 weeks"
json_write POST /api/predictions/2/resolve '{"outcome": "maybe"}'
status 422 "an outcome other than yes or no"
authed POST /predictions/2/resolve --data-urlencode "csrf=$CSRF" --data-urlencode outcome=no
status 303 "resolve through a form"
sql_is "resolved no" "SELECT outcome FROM prediction WHERE id = 2" "0"
json_write POST /api/predictions/2/resolve '{"outcome": "yes"}'
status 409 "already resolved"
authed POST /items/2/time --data-urlencode "csrf=$CSRF" --data-urlencode duration=30m
status 303 "log time through a form"
sql_is "30 minutes today" "SELECT count(*) FROM time_entry WHERE minutes = 30 AND item = 2" "1"

# Metrics: the trajectory drawn, an observation logged through the form.
setup metric add 1 "cost <b>" --unit USD --baseline 7000 --target 100 --lower-is-better
setup metric log 1 "cost <b>" 2600 --date 2026-02-20
authed GET /items/1
contains "<h2>Metrics</h2>"
contains "<polyline"
contains "cost &lt;b&gt;"
lacks "cost <b>"
authed POST /items/1/metric-log --data-urlencode "csrf=$CSRF" \
	--data-urlencode "name=cost <b>" --data-urlencode value=1500 \
	--data-urlencode date=2026-02-25
status 303 "log an observation through the form"
sql_is "logged" "SELECT value FROM observation ORDER BY id DESC LIMIT 1" "1500.0"
authed POST /items/1/metric-log --data-urlencode "csrf=$CSRF" \
	--data-urlencode "name=cost <b>" --data-urlencode value=lots
status 422 "a value that is not a number"
authed POST /items/1/metric-log --data-urlencode "csrf=$CSRF" \
	--data-urlencode "name=nope" --data-urlencode value=3
status 404 "no such metric"

# Export by download, import by upload, the publish preview.
authed GET "/export?format=json"
status 200 "export"
check "as a download" sh -c 'printf "%s" "$1" | grep -q "^Content-Disposition: attachment; filename=\"cairn.json\""' - "$hdrs"
web=$body
ok export --format json
same "the export is the CLI's" "$out" "$web"
authed GET "/api/export?format=nope"
status 400 "an unknown export format"
contains "format must be one of"
printf '# Imported goals\n\n1. Uploaded goal\n   - First uploaded step\n' >"$TMP/up.md"
before=$(snapshot)
printf '{"not": "a dump"' >"$TMP/bad.json"
authed POST "/api/import?format=json" -H "X-CSRF-Token: $CSRF" \
	-H 'Content-Type: application/json' --data-binary @"$TMP/bad.json"
status 422 "a malformed upload"
head -c 1500000 /dev/zero | tr '\0' x >"$TMP/big.md"
authed POST "/api/import?format=json" -H "X-CSRF-Token: $CSRF" \
	-H 'Content-Type: application/json' --data-binary @"$TMP/big.md"
status 422 "an upload over the body cap reaches the importer (and fails there)"
authed POST /import -F "csrf=$CSRF" -F format=md
status 400 "an import form without a file"
same "failed imports left the store as it was" "$before" "$(snapshot)"
changes=$(sql "SELECT count(*) FROM change")
authed POST /import -F "csrf=$CSRF" -F format=md -F "file=@$TMP/up.md"
status 200 "import by upload"
contains "Imported up.md: 2 added"
sql_is "imported as one change" "SELECT count(*) FROM change" "$((changes + 1))"
sql_is "the uploaded goal" "SELECT count(*) FROM item WHERE title = 'Uploaded goal'" "1"
authed POST /import -F format=md -F "file=@$TMP/up.md"
status 403 "an upload without the CSRF field"
setup set 1 visibility=public
authed GET /publish/index.html
status 200 "the publish preview"
contains "Goal &lt;script&gt;"
lacks "Later ]]"
authed GET /publish/nowhere.html
status 404 "a page the site does not have"

authed GET "/api/lookback?since=2026-03-05&until=2026-03-01"
status 400 "since after until"
authed GET "/api/lookback?since=yesterday-ish"
status 400 "a malformed bound"
authed GET "/api/focus?weeks=0"
status 400 "zero weeks"

setup refine 1 "Goal $XSS, restated"
authed GET /items/1/graph.svg
status 200 "the goal's graph"
check "as SVG" sh -c 'printf "%s" "$1" | grep -q "^Content-Type: image/svg+xml"' - "$hdrs"
contains 'class="node critical"'
lacks "$XSS"
authed GET /items/99/graph.svg
status 404 "no graph for no item"

authed GET "/items/1?trials=300&seed=2"
status 200 "the goal page"
contains "Chance <strong>"
contains "<svg class=\"hist\""
contains "Statement history"
contains "restated"
contains '<img class="graph" src="/items/1/graph.svg"'

# Predictions: added and resolved through the page, calibration drawn.
authed POST /predictions --data-urlencode "csrf=$CSRF" \
	--data-urlencode "statement=Sam likes $XSS" --data-urlencode p=80% \
	--data-urlencode by=2026-03-20 --data-urlencode item=2 --data-urlencode who=sam
status 303 "predict through a form"
pid=$(sql "SELECT max(id) FROM prediction")
sql_is "stored as the CLI would" "SELECT p, who, due, item FROM prediction WHERE id = $pid" "0.8|sam|2026-03-20|2"
authed POST /predictions --data-urlencode "csrf=$CSRF" \
	--data-urlencode "statement=x" --data-urlencode p=1.5
status 422 "a probability above 1"
authed GET /predictions
contains 'name="back" value="/predictions"'
authed POST "/predictions/$pid/resolve" --data-urlencode "csrf=$CSRF" \
	--data-urlencode outcome=yes --data-urlencode back=/predictions
status 303 "resolve from the predictions page"
check "back to it" sh -c 'printf "%s" "$1" | grep -qx "Location: /predictions"' - "$hdrs"
authed POST /predictions/1/resolve --data-urlencode "csrf=$CSRF" \
	--data-urlencode outcome=yes --data-urlencode back=https://evil.example/
check "never back elsewhere" sh -c '! printf "%s" "$1" | grep -q "evil"' - "$hdrs"
authed GET /predictions
status 200 "the predictions page"
contains "<svg class=\"calibration\""
contains "Sam likes &lt;script&gt;"

# Papers: BibTeX by upload, status changes through the form.
cat >"$TMP/refs.bib" <<'BIB'
@article{frankle2019,
  title = {The Lottery Ticket Hypothesis <b>},
  author = {Frankle, Jonathan and Carbin, Michael},
  year = {2019},
  journal = {ICLR}
}
BIB
authed POST /papers/import -F "csrf=$CSRF" -F "file=@$TMP/refs.bib"
status 303 "BibTeX by upload"
sql_is "the paper" "SELECT key FROM paper" "frankle2019"
authed GET /papers
contains "Lottery Ticket Hypothesis &lt;b&gt;"
authed POST /papers/status --data-urlencode "csrf=$CSRF" \
	--data-urlencode key=frankle2019 --data-urlencode status=reading
status 303 "paper status through the form"
sql_is "reading" "SELECT status FROM paper WHERE key = 'frankle2019'" "reading"
authed POST /papers/status --data-urlencode "csrf=$CSRF" \
	--data-urlencode key=frankle2019 --data-urlencode status=skimmed
status 422 "an unknown paper status"
printf '@article{broken,\n  title = {No end\n' >"$TMP/bad.bib"
before=$(snapshot)
authed POST /papers/import -F "csrf=$CSRF" -F "file=@$TMP/bad.bib"
status 422 "a malformed BibTeX upload"
contains "bad.bib"
same "and nothing imported" "$before" "$(snapshot)"

# Look back between two dates, as the CLI does.
authed GET "/lookback?since=2026-02-01&until=2026-03-01"
status 200 "the look-back page"
contains "<h2>Finished</h2>"
contains "Time by goal"
authed GET "/lookback?since=nonsense"
status 400 "a malformed bound on the page"

# Once more, with predictions, metrics, time and imports in the pages.
for page in / /roadmap /check /items/1 /items/2 /transfer /lookback /predictions /papers; do
	authed GET "$page"
	for raw in "$XSS" '<img src=x' '&lt;ul' '&lt;li' '&lt;h2' '&lt;form' '&lt;svg'; do
		lacks "$raw"
	done
done

# The dashboard shows three findings of each rule and links to the rest;
# /check shows every one, as `cairn check` does.
for n in 1 2 3 4 5; do setup add milestone "Unestimated $n" --under 1; done
run check
want=$(printf '%s\n' "$out" | grep -c " no-estimate: ")
check "several milestones lack an estimate ($want)" test "$want" -ge 5
authed GET /
status 200 "the dashboard"
shown=$(printf '%s\n' "$out" | grep -c "milestone has no estimate")
check "the dashboard shows three of them ($shown)" test "$shown" -eq 3
contains "<a href=\"/check#no-estimate\">$((want - 3)) more no-estimate findings</a>"
authed GET /check
status 200 "the check page"
shown=$(printf '%s\n' "$out" | grep -c "milestone has no estimate")
check "the check page shows all $want ($shown)" test "$shown" -eq "$want"
contains '<h2 id="no-estimate">no-estimate</h2>'

serve_stop
err_contains ""
check "serve said it stopped" grep -q "stopped" "$TMP/serve.err"
ok doctor
finish
