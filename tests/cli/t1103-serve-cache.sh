#!/bin/sh
# cairn serve keeps rendered pages while the store stays as it was: a
# write through the CLI, the API or a form changes the next page; an
# ETag answers 304 only while the page is the same; a page never carries
# another session's CSRF token.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve-lib.sh"

setup add goal "Cached goal"
setup add milestone "First step" --under 1

etag_of() { printf '%s\n' "$hdrs" | sed -n 's/^ETag: //p'; }

serve_start
CSRF=$(csrf)

authed GET /items/1
status 200 "the goal's page"
contains "First step"
tag1=$(etag_of)
check "the page has an ETag" test -n "$tag1"
check "a page with an ETag may be kept but is asked for again" \
	sh -c 'printf "%s" "$1" | grep -qx "Cache-Control: private, no-cache"' - "$hdrs"
authed GET /items/1
same "the same page twice" "$tag1" "$(etag_of)"
: >"$TMP/body"
authed GET /items/1 -H "If-None-Match: $tag1"
status 304 "an unchanged page against its ETag"
check "304 has no body" test -z "$body"
same "and the same ETag" "$tag1" "$(etag_of)"
authed GET /api/version
check "the version is never kept" \
	sh -c 'printf "%s" "$1" | grep -qx "Cache-Control: no-store"' - "$hdrs"

# A write from another process.
ok add milestone "Added by the CLI" --under 1
authed GET /items/1 -H "If-None-Match: $tag1"
status 200 "the page after a CLI write, against the old ETag"
contains "Added by the CLI"
tag2=$(etag_of)
check "a new ETag after the write" test "$tag1" != "$tag2"
authed GET /api/items
contains "Added by the CLI"
authed GET /
contains "Added by the CLI"

# A write through the API, then through a form.
json_write POST /api/items '{"kind": "milestone", "title": "Added by the API", "parent": 1}'
status 201 "an API write"
authed GET /items/1 -H "If-None-Match: $tag2"
status 200 "the page after an API write"
contains "Added by the API"
tag3=$(etag_of)
authed POST /items/1/notes --data-urlencode "csrf=$CSRF" \
	--data-urlencode "text=a note from the form"
status 303 "a form write"
authed GET /items/1 -H "If-None-Match: $tag3"
status 200 "the page after a form write"
contains "a note from the form"
authed GET /api/items/1
contains "a note from the form"

# Undo through the page takes the note away again.
authed POST /undo --data-urlencode "csrf=$CSRF"
status 303 "undo"
authed GET /items/1
lacks "a note from the form"
contains "Added by the API"

# Query strings are their own pages.
authed GET "/items/1?trials=200&seed=3"
status 200 "a forecast with its own trials"
tagq=$(etag_of)
authed GET "/items/1?trials=200&seed=4"
check "another seed, another page" test "$tagq" != "$(etag_of)"
authed GET "/api/goals/1/forecast?trials=200"
contains '"trials": 200'

# Errors are not kept: an item made after a 404 shows.
authed GET /items/9
status 404 "no item 9 yet"
ok add milestone "Ninth" --under 1
ok add milestone "Filler" --under 1
ok add milestone "Filler" --under 1
ok add milestone "Filler" --under 1
ok add milestone "Filler" --under 1
authed GET /items/9
status 200 "item 9 once made"
mine=$(csrf_in)
same "the page's forms carry this session's token" "$CSRF" "$mine"

# Under readers that keep the page busy, each write shows on the next
# read, through the API and through the CLI.
busy=
for n in 1 2 3 4; do
	(while [ ! -e "$TMP/stop" ]; do
		curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/items/1"
		curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/"
	done) &
	busy="$busy $!"
done
stale=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	json_write POST /api/items "{\"kind\": \"milestone\", \"title\": \"busy api $i\", \"parent\": 1}"
	authed GET /items/1
	printf '%s' "$body" | grep -q "busy api $i<" || stale=$((stale + 1))
	"$CAIRN" add milestone "busy cli $i" --under 1 >/dev/null 2>&1
	authed GET /
	authed GET /items/1
	printf '%s' "$body" | grep -q "busy cli $i<" || stale=$((stale + 1))
done
: >"$TMP/stop"
for p in $busy; do wait "$p"; done
same "no write missing from the next page" 0 "$stale"

# A second server over the same store is another session, with its own
# tokens: neither's pages carry the other's CSRF token.
OTHER=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
CAIRN_SERVE_TOKEN=$OTHER "$CAIRN" serve --port 0 >"$TMP/other.out" \
	2>"$TMP/other.err" &
OPID=$!
for _ in $(seq 1 200); do
	[ -s "$TMP/other.out" ] && break
	sleep 0.05
done
OBASE=$(head -n 1 "$TMP/other.out")
OBASE=${OBASE%%/\?token=*}
ocsrf=$(curl -s -H "Authorization: Bearer $OTHER" "$OBASE/api/session" |
	py -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
check "two sessions, two CSRF tokens" test -n "$ocsrf" -a "$ocsrf" != "$CSRF"
for page in / /roadmap /items/1 /items/2 /predictions; do
	authed GET "$page"
	contains "$CSRF"
	lacks "$ocsrf"
	obody=$(curl -s -H "Authorization: Bearer $OTHER" "$OBASE$page")
	check "the other session's $page has its token" \
		sh -c 'printf "%s" "$1" | grep -q "$2"' - "$obody" "$ocsrf"
	check "and not this one's" \
		sh -c '! printf "%s" "$1" | grep -q "$2"' - "$obody" "$CSRF"
done
# The other server's write shows here too.
curl -s -o /dev/null -H "Authorization: Bearer $OTHER" \
	-H "X-CSRF-Token: $ocsrf" -H 'Content-Type: application/json' \
	--data-binary '{"kind": "milestone", "title": "From the other server", "parent": 1}' \
	"$OBASE/api/items"
authed GET /items/1
contains "From the other server"
kill -TERM "$OPID"
wait "$OPID"

serve_stop
check "serve counted the pages it kept" \
	grep -q "reads answered from the cache" "$TMP/serve.err"
ok doctor
finish
