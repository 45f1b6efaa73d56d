# pg.sh: a throwaway PostgreSQL cluster for the tests that need one (the
# hub's), sourced after tests/cli/lib.sh.  The one helper for it: no test
# relies on a system service.
#
#   pg_start    initdb a cluster in $TMP/pg, listening on a Unix socket
#               there and on no TCP port, and start it; as an unprivileged
#               user (nobody) when the tests run as root, since PostgreSQL
#               refuses to run as root.  Exports PGHOST, PGPORT, PGUSER and
#               PGDATABASE for libpq and psql, and CAIRN_PG, the same as a
#               libpq connection string.  The cluster stops when the test
#               ends (lib.sh's cleanup), whatever happens.
#   pg_stop     stop it now (fast shutdown); pg_start's cleanup calls it.
#   pg_restart  start the stopped cluster again, its data kept (a server
#               that went away and came back).
#   pg_sql SQL  run SQL through psql, print the rows unaligned.
#
# The server's binaries come from Debian's postgresql package (deps.txt,
# "test"): the newest /usr/lib/postgresql/N/bin, or $PG_BIN.

pg_bin() {
	if [ -n "${PG_BIN:-}" ]; then
		echo "$PG_BIN"
		return
	fi
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# Run a server binary as the cluster's owner.
pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	PG_DIR="$TMP/pg"
	bin=$(pg_bin)
	if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
		echo "pg.sh: PostgreSQL's server is not installed (make test-deps)" >&2
		return 1
	fi
	mkdir -p "$PG_DIR"
	# nobody must reach the folder: the test's own is private.
	if [ "$(id -u)" = 0 ]; then
		chmod o+x "$TMP"
		chown nobody "$PG_DIR"
	fi
	pg_as "$bin/initdb" -D "$PG_DIR/data" -U cairn -A trust -E UTF8 \
		--no-locale >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		return 1
	}
	PGPORT=$((20000 + $$ % 20000))
	PG_BIN_DIR=$bin
	pg_restart || return 1
	cleanup() { pg_stop; }
	PGHOST=$PG_DIR
	PGUSER=cairn
	PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
	CAIRN_PG="host=$PG_DIR port=$PGPORT user=cairn dbname=postgres"
	export CAIRN_PG
}

pg_restart() {
	pg_as "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-w -o "-c listen_addresses='' -k $PG_DIR -p $PGPORT -c fsync=off" \
		start >/dev/null || {
		cat "$PG_DIR/server.log" >&2
		return 1
	}
}

pg_stop() {
	if [ -n "${PG_BIN_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_as "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop \
			>/dev/null 2>&1
	fi
}

pg_sql() {
	psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"
}
