#!/bin/sh
# cairn hub init, user add and user rm: the hub's tables are created once
# and versioned, a newer version is refused, a user gets a one-time code
# alone on the last line, and user rm revokes the user's devices.  Every
# refusal leaves the database as it was.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

# Malformed requests are refused before any database is reached.
fails 2 hub
fails 2 hub frob --pg x
err_contains "unknown subcommand 'frob'"
fails 2 hub init --port 3 --pg x
err_contains "only 'hub serve' takes"
fails 2 hub init extra --pg x
fails 2 hub user add --pg x
fails 2 hub user add a b --pg x
fails 2 hub user frob bob --pg x
fails 2 hub init
err_contains "needs --pg URL (or \$CAIRN_PG)"
fails 2 hub serve --port 70000 --pg x

pg_start || { fail "pg_start"; finish; }
# A database that is not there: one line, status 1.
fails 1 hub init --pg "host=$PG_DIR port=$PGPORT user=cairn dbname=nosuch"
err_contains "cannot connect to PostgreSQL"
check "init reached nothing" test "$(pg_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'hub'")" = 0
fails 1 hub serve --pg "$CAIRN_PG"
err_contains "run cairn hub init"
fails 1 hub user add ann --pg "$CAIRN_PG"

ok hub init --pg "$CAIRN_PG"
expect "hub tables created at version 3"
same "the tables" "$(pg_sql "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'hub'")" \
	"codes comments devices invites labs memberships mentorships ops questions refusals sessions users version"
same "at version 3" "$(pg_sql "SELECT version FROM hub.version")" 3
before=$(db_state)
ok hub init --pg "$CAIRN_PG"
expect "hub tables at version 3 already"
same "init again changes nothing" "$(db_state)" "$before"
# $CAIRN_PG stands for --pg.
ok hub init
expect "hub tables at version 3 already"

# Tables of a newer cairn: refused by init, serve and user add, untouched.
pg_sql "UPDATE hub.version SET version = 4"
before=$(db_state)
fails 1 hub init --pg "$CAIRN_PG"
err_contains "version 4, newer than this cairn's 3"
fails 1 hub serve --pg "$CAIRN_PG"
err_contains "newer"
fails 1 hub user add ann --pg "$CAIRN_PG"
same "a newer schema is left alone" "$(db_state)" "$before"
pg_sql "UPDATE hub.version SET version = 3"

# Two inits at once on a fresh database: one creates, one finds it made.
pg_sql "CREATE DATABASE two" >/dev/null
two="host=$PG_DIR port=$PGPORT user=cairn dbname=two"
"$CAIRN" hub init --pg "$two" >"$TMP/i1" 2>&1 &
p1=$!
"$CAIRN" hub init --pg "$two" >"$TMP/i2" 2>&1
r2=$?
wait $p1
r1=$?
same "both concurrent inits succeed" "$r1 $r2" "0 0"
same "one of them created the tables" \
	"$(cat "$TMP/i1" "$TMP/i2" | sort | tr '\n' '|')" \
	"hub tables at version 3 already|hub tables created at version 3|"

# user add: the code alone on the last line, 32 hex digits; only its hash
# is kept.
ok hub user add ann --pg "$CAIRN_PG"
code=$(printf '%s\n' "$out" | tail -n 1)
check "the code is alone on the last line" \
	sh -c 'printf "%s\n" "$1" | grep -Eqx "[0-9a-f]{32}"' - "$code"
same "one user" "$(pg_sql "SELECT name FROM hub.users")" ann
same "one code, hashed" "$(pg_sql "SELECT count(*) FROM hub.codes WHERE code_hash <> decode('$code', 'hex') AND length(code_hash) = 32 AND used IS NULL")" 1
check "the code itself is nowhere in the database" \
	test "$(pg_sql "SELECT count(*) FROM hub.codes WHERE encode(code_hash, 'hex') LIKE '%$code%'")" = 0
ok hub user add ann --pg "$CAIRN_PG"
contains "a new code for ann"
code2=$(printf '%s\n' "$out" | tail -n 1)
check "a second code, different" test "$code2" != "$code"
same "still one user, two codes" "$(pg_sql "SELECT (SELECT count(*) FROM hub.users) || ' ' || (SELECT count(*) FROM hub.codes)")" "1 2"

# Bad names: refused before the database, which stays as it was.
before=$(db_state)
for name in "" "a b" "x'; DROP TABLE hub.ops; --" "é" \
	"$(printf '%065d' 0)"; do
	fails 2 hub user add "$name" --pg "$CAIRN_PG"
	fails 2 hub user rm "$name" --pg "$CAIRN_PG"
done
fails 1 hub user rm nobody --pg "$CAIRN_PG"
err_contains "no user 'nobody'"
same "refused user commands change nothing" "$(db_state)" "$before"

# user rm: every device revoked, unused codes spent, operations kept.
hub_start h
t1=$(enrol bob)
t2=$(enrol bob)
push "$t1" "{\"ops\":[$(op 10000000-0000-4000-8000-000000000001)]}"
status 200 "bob pushes"
ok hub user add bob --pg "$CAIRN_PG"
ok hub user rm bob --pg "$CAIRN_PG"
expect "revoked 2 devices of bob"
same "bob's devices revoked" "$(pg_sql "SELECT count(*) FROM hub.devices d JOIN hub.users u ON u.id = d.user_id WHERE u.name = 'bob' AND revoked IS NULL")" 0
same "bob's unused code spent" "$(pg_sql "SELECT count(*) FROM hub.codes c JOIN hub.users u ON u.id = c.user_id WHERE u.name = 'bob' AND used IS NULL")" 0
same "bob's operations kept" "$(pg_sql "SELECT count(*) FROM hub.ops")" 1
ok hub user rm bob --pg "$CAIRN_PG"
expect "revoked 0 devices of bob"
# ann is untouched, and bob can come back with a new code.
same "ann's codes unspent" "$(pg_sql "SELECT count(*) FROM hub.codes c JOIN hub.users u ON u.id = c.user_id WHERE u.name = 'ann' AND used IS NULL")" 2
t3=$(enrol bob)
as "$t3" GET /v1/ops
status 200 "bob's new device pulls"
json_ok "and gets his operation back" 'len(d["ops"]) == 1'
as "$t1" GET /v1/ops
status 401 "bob's old device is revoked"
hub_stop h
finish
