#!/bin/sh
# init creates the store where --db, $CAIRN_DB or XDG say, in WAL mode.
. "$(dirname "$0")/lib.sh"

ok init
contains "store ready at $CAIRN_DB"
check "store file exists" test -f "$CAIRN_DB"
check "lock file beside it" test -f "$CAIRN_DB.lock"
check "WAL mode" [ "$(sql 'PRAGMA journal_mode')" = wal ]
check "schema version $(schema_version)" [ "$(sql 'PRAGMA user_version')" = "$(schema_version)" ]

ok --db "$TMP/other/x.db" init
check "--db wins over CAIRN_DB" test -f "$TMP/other/x.db"

(unset CAIRN_DB; XDG_DATA_HOME="$TMP/xdg" "$CAIRN" init >/dev/null)
check "XDG_DATA_HOME location" test -f "$TMP/xdg/cairn/cairn.db"

(unset CAIRN_DB XDG_DATA_HOME; HOME="$TMP/home" "$CAIRN" init >/dev/null)
check "home fallback" test -f "$TMP/home/.local/share/cairn/cairn.db"

ok init
contains "store ready"
finish
