# hub-lib.sh: helpers for tests of `cairn hub` (source after lib.sh and
# tests/pg.sh; they need the cluster of pg_start).
#
#   hub_init                 pg_start, then `cairn hub init` on it
#   hub_start NAME [ARGS...] start `cairn hub serve --port 0 ARGS` in the
#                            background; sets $BASE (its URL) and, for
#                            NAME, ${NAME}_pid and ${NAME}_url
#   hub_stop NAME            SIGTERM, wait, and check it exited 0
#   req METHOD PATH [CURL ARGS...]
#                            one request to $BASE with curl; sets $code,
#                            $body (also $out) and $hdrs
#   as TOKEN METHOD PATH [CURL ARGS...]
#                            req with Authorization: Bearer TOKEN
#   push TOKEN JSON          POST /v1/ops with the body JSON
#   enrol USER [CURL ARGS...]
#                            `cairn hub user add USER`, then POST
#                            /v1/enrol with its code; prints the token
#   op ID [KEY=JSON...]      a public plain operation (JSON) with id ID,
#                            each KEY given set to the JSON value (DEL:
#                            left out)
#   ops_state                the ops table's count and checksum
#   db_state                 every hub table's rows and checksum (to
#                            compare before and after a refusal), but
#                            the log of refusals
#   refusal_count KIND       the logged refusals of that kind
#   status WANT DESC         fail unless the last request answered WANT
#   refused WANT DESC BEFORE fail unless it answered WANT with an
#                            {"error"} body and db_state is still BEFORE
need curl "the hub tests talk HTTP"
need psql "PostgreSQL (make test-deps installs postgresql)"

code=
body=
hdrs=
REPLICA=5b0c1a2e-0000-4000-8000-000000000001
ITEM=7d1e2f30-0000-4000-8000-0000000000aa

hub_init() {
	pg_start || { fail "pg_start"; finish; }
	setup hub init --pg "$CAIRN_PG"
}

hub_start() {
	hs_name=$1
	shift
	"$CAIRN" hub serve --pg "$CAIRN_PG" --port 0 "$@" \
		>"$TMP/$hs_name.out" 2>"$TMP/$hs_name.err" &
	hs_pid=$!
	# Stopped with the cluster when the test ends, however it ends.
	HUB_PIDS="${HUB_PIDS:-} $hs_pid"
	cleanup() {
		for p in $HUB_PIDS; do kill -TERM "$p" 2>/dev/null; done
		pg_stop
	}
	for _ in $(seq 1 200); do
		[ -s "$TMP/$hs_name.out" ] && break
		kill -0 "$hs_pid" 2>/dev/null || break
		sleep 0.05
	done
	BASE=$(head -n 1 "$TMP/$hs_name.out")
	eval "${hs_name}_pid=$hs_pid ${hs_name}_url=\$BASE"
	case "$BASE" in
	http://127.0.0.1:*|https://127.0.0.1:*|http://0.0.0.0:*) pass ;;
	*) fail "hub serve printed no URL: '$BASE' ($(cat "$TMP/$hs_name.err"))" ;;
	esac
}

hub_stop() {
	eval "hs_pid=\$${1}_pid"
	kill -TERM "$hs_pid"
	wait "$hs_pid"
	hs_st=$?
	if [ "$hs_st" -eq 0 ]; then pass; else
		fail "hub $1 exited $hs_st on SIGTERM: $(cat "$TMP/$1.err")"
	fi
}

req() {
	http "$@"
}

as() {
	a_token=$1
	shift
	a_method=$1
	a_path=$2
	shift 2
	req "$a_method" "$a_path" -H "Authorization: Bearer $a_token" "$@"
}

push() {
	printf '%s' "$2" >"$TMP/push.json"
	as "$1" POST /v1/ops -H 'Content-Type: application/json' \
		--data-binary "@$TMP/push.json"
}

enrol() {
	"$CAIRN" hub user add "$1" --pg "$CAIRN_PG" >"$TMP/code" 2>&1 ||
		{ fail "hub user add $1: $(cat "$TMP/code")"; return 1; }
	e_code=$(tail -n 1 "$TMP/code")
	e_user=$1
	shift
	req POST /v1/enrol -H 'Content-Type: application/json' "$@" \
		--data-binary "{\"user\":\"$e_user\",\"code\":\"$e_code\",\"device\":\"laptop\"}"
	[ "$code" = 200 ] || { fail "enrol $e_user: $code $body"; return 1; }
	json_val 'd["token"]'
}

# op ID [KEY=JSON...]: the fields' values are JSON texts.
op() {
	py -c '
import json, sys
rep, item, oid = sys.argv[1:4]
o = {"id": oid, "replica": rep, "clock": "0000018c2f3a1b2c.0001." + rep[:8],
     "entity": "item", "uuid": item, "item": item, "action": "set",
     "field": "title", "value": "a title", "vis": "public"}
for a in sys.argv[4:]:
    k, v = a.split("=", 1)
    if v == "DEL":
        del o[k]
    else:
        o[k] = json.loads(v)
print(json.dumps(o))' "$REPLICA" "$ITEM" "$@"
}

ops_state() {
	pg_sql "SELECT count(*), coalesce(md5(string_agg(seq || ':' || op_id || ':' || coalesce(body::text, sealed), '|' ORDER BY seq)), '-') FROM hub.ops"
}

db_state() {
	pg_sql "SELECT 'ops', count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY seq)), '-') FROM hub.ops t
		UNION ALL SELECT 'users', count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY id)), '-') FROM hub.users t
		UNION ALL SELECT 'devices', count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY id)), '-') FROM hub.devices t
		UNION ALL SELECT 'codes', count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY id)), '-') FROM hub.codes t
		UNION ALL SELECT 'version', count(*), coalesce(md5(string_agg(t::text, '|')), '-') FROM hub.version t
		$(lab_state)"
}

# The lab's tables, when there (version 2), in db_state; hub.refusals is
# left out: a refusal worth logging adds a row there (refusal_count).
lab_state() {
	[ "$(pg_sql "SELECT to_regclass('hub.labs') IS NOT NULL")" = t ] || return 0
	for t in labs memberships mentorships invites questions; do
		printf "UNION ALL SELECT '%s', count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM hub.%s t\n" "$t" "$t"
	done
	# Version 3: sessions and comments.
	[ "$(pg_sql "SELECT to_regclass('hub.comments') IS NOT NULL")" = t ] || return 0
	for t in sessions comments; do
		printf "UNION ALL SELECT '%s', count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM hub.%s t\n" "$t" "$t"
	done
}

# refusal_count KIND: the rows of hub.refusals of that kind.
refusal_count() {
	pg_sql "SELECT count(*) FROM hub.refusals WHERE kind = '$1'"
}

status() {
	if [ "$code" = "$1" ]; then pass; else
		fail "$2: status $code, wanted $1 ($body)"
	fi
}

refused() {
	rf_after=$(db_state)
	if [ "$code" != "$1" ]; then
		fail "$2: status $code, wanted $1 ($body)"
	elif ! printf '%s' "$body" | grep -Eq '^\{"error": ?"[^"]'; then
		fail "$2: no {\"error\"} body: $body"
	elif [ "$rf_after" != "$3" ]; then
		fail "$2: the database changed:
$3
$rf_after"
	else
		pass
	fi
}
