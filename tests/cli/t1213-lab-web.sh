#!/bin/sh
# The lab's pages on the hub, over HTTP against a real hub and a real
# throwaway PostgreSQL: passwords (hub user passwd, Argon2id), the login
# with its own CSRF token and its rate limit, sessions (HttpOnly,
# SameSite=Strict, a fresh one at each login, ended by logout, hub user
# rm and a new password), CSRF on every write, Host and Origin, the pages
# computed from the hub's copy of each roadmap (members with focus, WIP
# and next; a roadmap; a goal's plan and forecast; the mentor's queue;
# calibration per mentor; the lab's check), who may see what (404 for
# anything out of reach, a member taken out of the lab at once), and
# escaping.  Every refusal leaves the database as it was.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

hub_init
hub_start h
URL=$BASE
export CAIRN_SYNC_PASSPHRASE="lab passphrase"
export CAIRN_SYNC_RETRIES=1
for u in lee sam ana bob vic zed; do
	setup hub user add "$u" --pg "$CAIRN_PG"
done
setup hub lab add phd --lead lee --pg "$CAIRN_PG"
setup hub lab add ml --lead zed --pg "$CAIRN_PG"
code_for() { "$CAIRN" hub user add "$1" --pg "$CAIRN_PG" | tail -n 1; }
invite() { "$CAIRN" hub lab invite "${2:-phd}" --role "$1" --pg "$CAIRN_PG" | tail -n 1; }

# Passwords: from stdin, 8 to 1024 bytes, kept as Argon2id strings.
printf 'short\n' >"$TMP/pw"
before=$(db_state)
fails 2 hub user passwd sam --pg "$CAIRN_PG" <"$TMP/pw"
err_contains "a password has 8 to 1024 bytes"
: >"$TMP/pw"
fails 2 hub user passwd sam --pg "$CAIRN_PG" <"$TMP/pw"
err_contains "reads the password from stdin"
py -c 'print("x" * 2000)' >"$TMP/pw"
fails 2 hub user passwd sam --pg "$CAIRN_PG" <"$TMP/pw"
err_contains "longer than 1024 bytes"
printf 'long enough\n' >"$TMP/pw"
fails 1 hub user passwd nobody --pg "$CAIRN_PG" <"$TMP/pw"
err_contains "no user 'nobody' on the hub"
fails 2 hub user passwd "bad name" --pg "$CAIRN_PG" <"$TMP/pw"
same "refused passwords change nothing" "$(db_state)" "$before"
for u in lee sam ana bob vic zed; do
	printf '%s\n' "pass-of-$u" >"$TMP/pw"
	ok hub user passwd "$u" --pg "$CAIRN_PG" <"$TMP/pw"
done
expect "set the password of zed; their sessions ended"
same "six Argon2id strings, no password in clear" \
	"$(pg_sql "SELECT count(*) FROM hub.users WHERE password LIKE '\$argon2id\$%' AND password NOT LIKE '%pass-of%'")" 6

# Stores: ana (a member mentored by sam) shares a goal with the lab and
# keeps a milestone private; lee (the lead) shares a lab goal.
A=$TMP/ana.db
L=$TMP/lee.db
S=$TMP/sam.db
export CAIRN_DB=$A
setup add goal "Thesis <script>alert(1)</script>"
setup add milestone "Pruning bound" --under 1 --estimate 2/4/8
setup add milestone "Secret plan" --under 1
setup add milestone "\"><img src=x onerror=alert(2)>" --under 1 --estimate 1/2/3
setup set 1 visibility=lab
setup set 2 visibility=lab
setup set 4 visibility=lab
setup start 2
setup sync login "$URL" --user ana --code "$(code_for ana)"
setup sync join "$(invite member)"
CAIRN_DB=$L setup init
CAIRN_DB=$L setup add goal "Lab roadmap"
CAIRN_DB=$L setup set 1 visibility=lab
CAIRN_DB=$L setup sync login "$URL" --user lee --code "$(code_for lee)"
CAIRN_DB=$S setup init
CAIRN_DB=$S setup sync login "$URL" --user sam --code "$(code_for sam)"
CAIRN_DB=$S setup sync join "$(invite mentor)"
setup hub lab mentor phd sam ana --pg "$CAIRN_PG"
pg_sql "INSERT INTO hub.memberships(lab_id, user_id, role) SELECT l.id, u.id, r.role FROM hub.labs l, hub.users u, (VALUES ('bob', 'member'), ('vic', 'viewer')) r(name, role) WHERE l.name = 'phd' AND u.name = r.name" >/dev/null
setup predict --who @sam --p 0.7 --item 2 "Sam will say the bound is worth a paper"
setup sync
CAIRN_DB=$L setup sync
P1=$(sqlite3 "$A" "SELECT uuid FROM item WHERE id = 1")
P2=$(sqlite3 "$A" "SELECT uuid FROM item WHERE id = 2")
P3=$(sqlite3 "$A" "SELECT uuid FROM item WHERE id = 3")

# login USER PASSWORD JAR: the login form, then its post.
login() {
	req GET /login -c "$3" -b "$3"
	l_tok=$(csrf_in)
	req POST /login -c "$3" -b "$3" --data-urlencode "user=$1" \
		--data-urlencode "password=$2" --data-urlencode "csrf=$l_tok"
}
# page JAR METHOD PATH [CURL ARGS...]
page() {
	p_jar=$1
	shift
	p_m=$1
	p_p=$2
	shift 2
	req "$p_m" "$p_p" -b "$p_jar" -c "$p_jar" "$@"
}
# refused_page WANT DESC BEFORE: the status, an HTML page, the database
# as before.
refused_page() {
	rp_after=$(db_state)
	if [ "$code" != "$1" ]; then
		fail "$2: status $code, wanted $1 ($body)"
	elif [ "$rp_after" != "$3" ]; then
		fail "$2: the database changed"
	else
		pass
	fi
}

# No session: pages send to the login, writes are refused.
before=$(db_state)
req GET /
status 303 "no session: to the login"
contains_hdr() { case "$hdrs" in *"$1"*) pass ;; *) fail "no header '$1' in: $hdrs" ;; esac; }
contains_hdr "Location: /login"
req GET /labs/phd
status 303 "no session on a lab page"
req POST /questions/1/answer --data "outcome=yes&why=x"
refused_page 403 "a write without a session" "$before"
req GET /static/style.css
status 200 "the stylesheet needs no session"
req GET /login
status 200 "the login form"
contains_hdr "Content-Security-Policy: default-src 'self'"
contains_hdr "X-Frame-Options: DENY"
contains_hdr "HttpOnly; SameSite=Strict; Path=/login"
contains 'autocomplete="current-password"'

# The login: its own CSRF token, wrong passwords logged, and a fresh
# session each time.
J=$TMP/sam.jar
req GET /login -c "$J" -b "$J"
tok=$(csrf_in)
req POST /login -c "$J" -b "$J" --data "user=sam&password=pass-of-sam"
refused_page 403 "a login without its token" "$before"
req POST /login --data "user=sam&password=pass-of-sam&csrf=$tok"
refused_page 403 "a login token without its cookie" "$before"
n0=$(refusal_count login)
login sam wrong-password "$J"
refused_page 401 "a wrong password" "$before"
contains "Wrong user name or password."
login nosuchuser pass-of-sam "$J"
refused_page 401 "an unknown user" "$before"
same "both failed logins are logged" "$(refusal_count login)" $((n0 + 2))
login sam pass-of-sam "$J"
status 303 "sam logs in"
contains_hdr "Location: /"
case "$hdrs" in *"Set-Cookie: cairn_hub="*"; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200"*) pass ;; *) fail "no session cookie: $hdrs" ;; esac
same "one session, its token kept hashed" \
	"$(pg_sql "SELECT count(*) FROM hub.sessions s JOIN hub.users u ON u.id = s.user_id WHERE u.name = 'sam' AND s.ended IS NULL AND length(s.token_hash) = 32")" 1
first=$(grep cairn_hub "$J" | grep -v login | awk '{print $7}')
check "the cookie is not kept in the database" test "$(pg_sql "SELECT count(*) FROM hub.sessions WHERE csrf = '$first' OR encode(token_hash, 'hex') = '$first'")" = 0
login sam pass-of-sam "$J"
status 303 "sam logs in again"
same "the session is rotated: the old one ended" \
	"$(pg_sql "SELECT count(*) FILTER (WHERE ended IS NULL) || ' ' || count(*) FROM hub.sessions s JOIN hub.users u ON u.id = s.user_id WHERE u.name = 'sam'")" "1 2"
req GET / -b "cairn_hub=$first"
status 303 "the old session no longer opens a page"

# The pages, from the hub's copy of each roadmap.
page "$J" GET /
status 200 "my labs"
contains '<a href="/labs/phd">phd</a>'
contains "1 question waiting"
page "$J" GET /labs/phd
status 200 "the lab's members"
contains "<a href=\"/labs/phd/members/ana\">ana</a>"
contains "target 80%"
contains "1 of 3"
contains "Pruning bound"
page "$J" GET /labs/phd/members/ana
status 200 "ana's roadmap, for her mentor"
contains "Thesis &lt;script&gt;alert(1)&lt;/script&gt;"
contains "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
lacks "<script>alert"
lacks "<img src=x"
lacks "Secret plan"
page "$J" GET "/labs/phd/members/ana/items/$P1"
status 200 "ana's goal page"
contains "Chance <strong>"
contains "P50 <strong>"
contains '<svg class="hist"'
contains "2 milestones"
lacks "Secret plan"
lacks "<script>alert"
page "$J" GET "/labs/phd/members/ana/items/$P1/graph.svg"
status 200 "the goal's graph"
contains_hdr "Content-Type: image/svg+xml"
contains "Pruning bound"
lacks "Secret plan"
lacks "<script>"
page "$J" GET "/labs/phd/members/ana/items/$P3"
status 404 "a private item is not there"
page "$J" GET "/labs/phd/members/ana/items/not-a-uuid"
status 404 "a malformed item id"
page "$J" GET /labs/phd/check
status 200 "the lab's check"
contains "isolated"
contains "no owner"
contains "Lab roadmap"

# The mentor's queue: the statement, never the probability.
page "$J" GET /queue
status 200 "sam's queue"
contains "Sam will say the bound is worth a paper"
lacks "0.7"
lacks "70%"
contains "Pruning bound"
csrf=$(csrf_in)
before=$(db_state)
page "$J" POST /questions/1/answer --data "outcome=yes&why=fine"
refused_page 403 "an answer without the CSRF token" "$before"
page "$J" POST /questions/1/answer --data "outcome=yes&why=fine&csrf=0000000000000000000000000000000000000000000000000000000000000000"
refused_page 403 "an answer with a wrong CSRF token" "$before"
page "$J" POST /questions/1/answer --data "outcome=yes&why=fine&csrf=$csrf" -H "Origin: http://evil.example"
refused_page 403 "a cross-origin answer" "$before"
page "$J" POST /questions/1/answer --data "outcome=maybe&why=fine&csrf=$csrf"
refused_page 400 "an answer neither yes nor no" "$before"
page "$J" POST /questions/1/answer --data "outcome=yes&why=&csrf=$csrf"
refused_page 400 "an answer without why" "$before"
page "$J" POST /questions/99/answer --data "outcome=yes&why=x&csrf=$csrf"
refused_page 404 "no such question" "$before"
req GET / -H "Host: evil.example" -b "$J"
refused_page 403 "a foreign Host" "$before"
page "$J" POST /questions/1/answer --data "outcome=yes&why=The+bound+is+new%3A+write+it+up&csrf=$csrf"
status 303 "sam answers"
page "$J" POST /questions/1/answer --data "outcome=no&why=again&csrf=$csrf"
before2=$(db_state)
refused_page 409 "a second answer" "$before2"
same "the answer is kept" "$(pg_sql "SELECT outcome || '|' || why FROM hub.questions WHERE id = 1")" "true|The bound is new: write it up"

# Ana's next sync resolves it, and the one after sends the resolution;
# the lab's calibration counts it for sam.
ok sync
same "P1 resolved by sam's answer" "$(sql "SELECT outcome || '|' || why FROM prediction WHERE id = 1")" "1|The bound is new: write it up"
ok sync
page "$J" GET /labs/phd/calibration
status 200 "the lab's calibration"
contains "<th scope=\"row\">@sam</th><td>1</td><td>1</td><td>0.090</td>"
contains "<th scope=\"row\">@sam</th><td>2026</td><td>1</td><td>0.090</td>"

# A comment from the goal's page reaches ana's store as a note from sam.
page "$J" GET "/labs/phd/members/ana/items/$P2"
contains 'A comment for ana'
csrf=$(csrf_in)
before=$(db_state)
page "$J" POST "/labs/phd/members/ana/items/$P2/comments" --data "text=&csrf=$csrf"
refused_page 400 "an empty comment" "$before"
page "$J" POST "/labs/phd/members/ana/items/$P2/comments" --data "text=hi"
refused_page 403 "a comment without the CSRF token" "$before"
page "$J" POST "/labs/phd/members/ana/items/$P3/comments" --data "text=hi&csrf=$csrf"
refused_page 404 "a comment on a private item" "$before"
page "$J" POST "/labs/phd/members/ana/items/$P2/comments" --data "text=Tighten+the+bound+%3Cb%3Efirst%3C%2Fb%3E&csrf=$csrf"
status 303 "sam comments"
contains_hdr "Location: /labs/phd/members/ana/items/$P2#notes"
ok sync
ok show 2
contains "sam: Tighten the bound <b>first</b>"
ok --json show 2
json_ok "show --json names the note's author" '[(n["author"], n["text"]) for n in d["notes"] if "author" in n] == [("sam", "Tighten the bound <b>first</b>")]'
ok sync
page "$J" GET "/labs/phd/members/ana/items/$P2"
contains "<strong>sam:</strong> Tighten the bound &lt;b&gt;first&lt;/b&gt;"

# Who sees what: 404 for what is out of reach, logged.
JA=$TMP/ana.jar
JB=$TMP/bob.jar
JV=$TMP/vic.jar
JZ=$TMP/zed.jar
login ana pass-of-ana "$JA"
login bob pass-of-bob "$JB"
login vic pass-of-vic "$JV"
login zed pass-of-zed "$JZ"
before=$(db_state)
n0=$(pg_sql "SELECT count(*) FROM hub.refusals WHERE kind IN ('lab', 'member', 'item', 'answer')")
page "$JA" POST /questions/1/answer --data "outcome=no&why=mine&csrf=0"
refused_page 403 "ana answers without her token" "$before"
page "$JA" GET /queue
csrf_a=$(csrf_in)
page "$JA" POST /questions/1/answer --data "outcome=no&why=mine&csrf=$csrf_a"
refused_page 404 "ana cannot answer a question put to sam" "$before"
page "$JB" GET /labs/phd/members/ana
refused_page 404 "a member does not read another member" "$before"
page "$JB" GET "/labs/phd/members/ana/items/$P1"
refused_page 404 "nor their goal page" "$before"
page "$JB" GET /labs/phd/members/lee
status 200 "a member reads the lead's shared goals"
contains "Lab roadmap"
page "$JV" GET /labs/phd/members/ana
status 200 "a viewer reads lab items"
contains "Pruning bound"
page "$JV" GET /queue
csrf_v=$(csrf_in)
page "$JV" POST /questions/1/answer --data "outcome=no&why=x&csrf=$csrf_v"
refused_page 404 "a viewer writes nothing" "$before"
page "$JV" GET "/labs/phd/members/ana/items/$P2"
lacks "A comment for ana"
page "$JV" POST "/labs/phd/members/ana/items/$P2/comments" --data "text=x&csrf=$csrf_v"
refused_page 404 "a viewer comments on nothing" "$before"
page "$JB" GET /
csrf_b=$(csrf_in)
page "$JB" POST "/labs/phd/members/ana/items/$P2/comments" --data "text=x&csrf=$csrf_b"
refused_page 404 "a member comments on no one else" "$before"
page "$JZ" GET /labs/phd
refused_page 404 "no one reads another lab" "$before"
page "$JZ" GET /labs/phd/members/ana
refused_page 404 "nor its members" "$before"
page "$JZ" GET "/labs/ml/members/ana/items/$P1"
refused_page 404 "an item of another lab through one's own" "$before"
page "$JZ" GET /labs/nosuch
refused_page 404 "no such lab" "$before"
check "the refusals are logged" test "$(pg_sql "SELECT count(*) FROM hub.refusals WHERE kind IN ('lab', 'member', 'item', 'answer')")" -ge $((n0 + 8))

# A member taken out of the lab loses its pages at once, and her open
# questions are answered by no one; a user removed loses the session.
setup predict --who @sam --p 0.4 --item 4 "Sam will like the second bound"
setup sync
page "$J" GET /queue
contains "Sam will like the second bound"
q2=$(pg_sql "SELECT id FROM hub.questions WHERE statement = 'Sam will like the second bound'")
page "$JA" GET /labs/phd
status 200 "ana's lab, before"
setup hub lab rm-member phd ana --pg "$CAIRN_PG"
page "$JA" GET /labs/phd
status 404 "ana's lab, after she left it"
page "$JA" GET /
status 200 "her session still opens her own page"
page "$J" GET /queue
lacks "Sam will like the second bound"
csrf=$(csrf_in)
before=$(db_state)
page "$J" POST "/questions/$q2/answer" --data "outcome=yes&why=late&csrf=$csrf"
refused_page 404 "a question whose mentorship ended is answered by no one" "$before"
CAIRN_DB=$S ok sync questions
expect "no open questions put to you"
setup hub user rm vic --pg "$CAIRN_PG"
page "$JV" GET /labs/phd
status 303 "a removed user's session is over"

# Logout ends the session.
page "$JB" GET /
csrf_b=$(csrf_in)
page "$JB" POST /logout --data "csrf=$csrf_b"
status 303 "bob logs out"
page "$JB" GET /
status 303 "and his session is over"

# Guessing sessions and brute-forcing a login are limited and logged.
n0=$(refusal_count session)
for i in $(seq 1 $((20 - n0))); do
	req GET / -b "cairn_hub=$(printf '%064d' "$i")"
done
same "guessed sessions are logged" "$(refusal_count session)" 20
req GET / -b "cairn_hub=$(printf '%064d' 21)"
status 429 "then refused"
contains_hdr "Retry-After: 600"
JL=$TMP/lee.jar
for i in 1 2 3 4 5; do login lee "wrong $i" "$JL"; done
login lee pass-of-lee "$JL"
status 429 "after five failed logins, even the right password waits"
check "the limit is logged" test "$(refusal_count login-limited)" -ge 1
same "no session made for lee" "$(pg_sql "SELECT count(*) FROM hub.sessions s JOIN hub.users u ON u.id = s.user_id WHERE u.name = 'lee'")" 0

hub_stop h
finish
