#!/bin/sh
# The throwaway PostgreSQL cluster that the hub's tests use (tests/pg.sh):
# it starts from nothing in the test's folder, answers on its Unix socket
# only, runs as an unprivileged user, keeps what it is given, and is gone
# when the test ends.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"

need psql "PostgreSQL (make test-deps installs postgresql)"
check "the cluster starts" pg_start
check "it answers through libpq's variables" \
	test "$(pg_sql 'SELECT 40 + 2')" = 42
owner=$(pg_sql "SELECT usename FROM pg_stat_activity WHERE pid = pg_backend_pid()")
check "as the cluster's own user" test "$owner" = cairn
server_uid=$(stat -c %u "$TMP/pg/data/postmaster.pid")
check "the server runs unprivileged" test "$server_uid" != 0
check "on no TCP port" test "$(pg_sql "SHOW listen_addresses")" = ""
check "its socket in the test's folder" \
	test -S "$TMP/pg/.s.PGSQL.$PGPORT"
pg_sql "CREATE TABLE op(id bigserial PRIMARY KEY, body jsonb NOT NULL)"
pg_sql "INSERT INTO op(body) VALUES ('{\"a\": 1}'), ('{\"b\": \"é\"}')"
check "rows kept, UTF-8 intact" \
	test "$(pg_sql "SELECT string_agg(body::text, '|' ORDER BY id) FROM op")" = '{"a": 1}|{"b": "é"}'
pid=$(head -1 "$TMP/pg/data/postmaster.pid")
pg_stop
# Gone, or a zombie its parent has yet to reap (the server is started
# in the background).
gone() { [ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status"; }
check "stopped" gone "$pid"
check "and its pid file gone" test ! -e "$TMP/pg/data/postmaster.pid"
finish
