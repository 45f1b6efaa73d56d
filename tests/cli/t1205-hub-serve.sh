#!/bin/sh
# cairn hub serve as a process: a non-loopback address needs TLS or
# --insecure; HTTPS with a certificate of the test's own; two hubs on one
# database serve the same operations; SIGTERM stops a hub cleanly; the
# database going away gives 503, and the hub recovers when it is back.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"
need openssl "the TLS test makes its own certificate"

hub_init

# Addresses.
fails 2 hub serve --pg "$CAIRN_PG" --bind 0.0.0.0
err_contains "not a loopback address"
check "refused before printing anything" test -z "$out"
fails 2 hub serve --pg "$CAIRN_PG" --bind 10.1.2.3 --tls-cert "$TMP/none"
err_contains "--tls-cert and --tls-key go together"
fails 2 hub serve --pg "$CAIRN_PG" --bind nowhere --insecure
err_contains "not an IP address"
fails 2 hub serve --pg "$CAIRN_PG" --tls-cert "$TMP/none" --tls-key "$TMP/none"
err_contains "cannot read"
printf 'not a certificate\n' >"$TMP/junk.pem"
fails 2 hub serve --pg "$CAIRN_PG" --tls-cert "$TMP/junk.pem" --tls-key "$TMP/junk.pem"
err_contains "is not PEM"
hub_start open --bind 0.0.0.0 --insecure
grep -q "warning: plain HTTP on 0.0.0.0" "$TMP/open.err" && pass ||
	fail "no warning for plain HTTP on 0.0.0.0: $(cat "$TMP/open.err")"
port=${open_url##*:}
BASE=http://127.0.0.1:$port
req GET /v1/health
status 200 "--insecure serves plain HTTP on 0.0.0.0"
hub_stop open

# HTTPS with a self-signed certificate made here.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" \
	-out "$TMP/cert.pem" >/dev/null 2>&1 || fail "openssl req"
"$CAIRN" hub serve --pg "$CAIRN_PG" --port 0 --bind 0.0.0.0 \
	--tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" \
	>"$TMP/tls.out" 2>"$TMP/tls.err" &
tls_pid=$!
for _ in $(seq 1 200); do
	[ -s "$TMP/tls.out" ] && break
	sleep 0.05
done
url=$(head -n 1 "$TMP/tls.out")
case "$url" in https://0.0.0.0:*) pass ;; *) fail "TLS URL '$url'" ;; esac
BASE=https://127.0.0.1:${url##*:}
req GET /v1/health --cacert "$TMP/cert.pem"
status 200 "health over HTTPS, the certificate checked"
expect '{"ok":true,"schema":3}'
tok=$(enrol ann --cacert "$TMP/cert.pem")
req POST /v1/ops --cacert "$TMP/cert.pem" -H "Authorization: Bearer $tok" \
	--data-binary "{\"ops\":[$(op 50000000-0000-4000-8000-000000000001)]}"
status 200 "a push over HTTPS"
# The lab's pages over HTTPS: cookies marked Secure, the https origin.
printf 'pass-of-ann\n' >"$TMP/pw"
setup hub user passwd ann --pg "$CAIRN_PG" <"$TMP/pw"
req GET /login --cacert "$TMP/cert.pem" -c "$TMP/jar" -b "$TMP/jar"
case "$hdrs" in *"Set-Cookie: cairn_hub_login="*"; Secure"*) pass ;; *) fail "no Secure login cookie: $hdrs" ;; esac
ltok=$(csrf_in)
req POST /login --cacert "$TMP/cert.pem" -c "$TMP/jar" -b "$TMP/jar" \
	-H "Origin: https://127.0.0.1:${url##*:}" \
	--data "user=ann&password=pass-of-ann&csrf=$ltok"
status 303 "a login over HTTPS from the hub's own https origin"
case "$hdrs" in *"Set-Cookie: cairn_hub="*"HttpOnly; SameSite=Strict; Path=/; Max-Age=43200; Secure"*) pass ;; *) fail "no Secure session cookie: $hdrs" ;; esac
req POST /login --cacert "$TMP/cert.pem" -c "$TMP/jar" -b "$TMP/jar" \
	-H "Origin: http://127.0.0.1:${url##*:}" \
	--data "user=ann&password=pass-of-ann&csrf=$ltok"
status 403 "the plain-http origin is another origin"
req GET /v1/health
check "an unchecked certificate is refused by curl" test "$code" = 000
BASE=http://127.0.0.1:${url##*:}
req GET /v1/health
check "plain HTTP to the HTTPS port gets no answer" test "$code" != 200
kill -TERM $tls_pid
wait $tls_pid
same "the TLS hub stops on SIGTERM" $? 0

# Two hubs, one database: a push through one is pulled through the other.
hub_start one
hub_start two
check "two ports" test "$one_url" != "$two_url"
bob=$(enrol bob)
BASE=$one_url
push "$bob" "{\"ops\":[$(op 50000000-0000-4000-8000-000000000002)]}"
expect '{"stored":1,"duplicates":0,"cursor":2}'
BASE=$two_url
as "$bob" GET /v1/ops
json_ok "the other hub has it" '[o["id"] for o in d["ops"]] == ["50000000-0000-4000-8000-000000000002"]'
push "$bob" "{\"ops\":[$(op 50000000-0000-4000-8000-000000000002),$(op 50000000-0000-4000-8000-000000000003)]}"
expect '{"stored":1,"duplicates":1,"cursor":3}'
# Both at once, the same batches: each operation once.
py -c '
import json, sys
rep = sys.argv[1]
print(json.dumps({"ops": [{"id": "60000000-0000-4000-8000-%012d" % i,
    "replica": rep, "clock": "0000018c2f3a1b2c.%04x." % i + rep[:8],
    "entity": "item", "uuid": sys.argv[2], "action": "del",
    "vis": "lab"} for i in range(300)]}))' "$REPLICA" "$ITEM" >"$TMP/b300"
pids=
for u in "$one_url" "$two_url" "$one_url" "$two_url"; do
	curl -s -o /dev/null -H "Authorization: Bearer $bob" \
		--data-binary "@$TMP/b300" "$u/v1/ops" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
same "four concurrent copies of a batch stored once" \
	"$(pg_sql "SELECT count(*), count(DISTINCT op_id) FROM hub.ops WHERE op_id::text LIKE '60000000%'")" "300|300"
BASE=$one_url
as "$bob" GET "/v1/ops?limit=1000"
json_ok "pulled in seq order, 302 operations" \
	'len(d["ops"]) == 302 and [o["seq"] for o in d["ops"]] == sorted(o["seq"] for o in d["ops"])'

# The database goes away: 503, with no hub dying; back, they recover.
pg_stop
BASE=$one_url
as "$bob" GET /v1/ops
status 503 "the database down: pull"
case "$body" in *unreachable*) pass ;; *) fail "says unreachable: $body" ;; esac
push "$bob" "{\"ops\":[$(op 50000000-0000-4000-8000-000000000004)]}"
status 503 "the database down: push"
req GET /v1/health
status 503 "the database down: health"
BASE=$two_url
as "$bob" GET /v1/ops
status 503 "the other hub too"
check "the hubs still run" kill -0 "$one_pid" "$two_pid"
pg_restart || fail "pg_restart"
BASE=$one_url
as "$bob" GET "/v1/ops?after=302"
status 200 "back: the first request succeeds"
push "$bob" "{\"ops\":[$(op 50000000-0000-4000-8000-000000000004)]}"
status 200 "back: push"
BASE=$two_url
as "$bob" GET "/v1/ops?limit=1000"
json_ok "and the other hub pulls it" 'd["ops"][-1]["id"] == "50000000-0000-4000-8000-000000000004"'

# SIGTERM lets a hub finish and exit 0; the other goes on.
hub_stop one
BASE=$one_url
req GET /v1/health
check "the stopped hub answers no more" test "$code" = 000
BASE=$two_url
req GET /v1/health
status 200 "the other still serves"
hub_stop two
finish
