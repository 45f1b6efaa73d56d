#!/bin/sh
# The lab's tables and its administration: a hub at version 1 with users,
# devices, codes and operations in it migrates to the latest version with every row
# kept; hub lab add, invite, mentor and rm-member do what they say, print
# an invite code alone on the last line (kept hashed), and refuse bad
# input with one line, exit 2 (malformed) or 1 (failed), and the database
# unchanged.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/pg.sh"
. "$SRCDIR/tests/cli/hub-lib.sh"

# Malformed: refused before any database.
fails 2 hub lab --pg x
fails 2 hub lab frob --pg x
err_contains "unknown subcommand 'lab frob'"
fails 2 hub lab add --lead ann --pg x
fails 2 hub lab add phd --pg x
err_contains "needs --lead USER"
fails 2 hub lab add "a lab" --lead ann --pg x
err_contains "'a lab' is not a lab name"
fails 2 hub lab add phd --lead "x'; --" --pg x
fails 2 hub lab invite phd --pg x
err_contains "needs --role"
fails 2 hub lab invite phd --role lead --pg x
err_contains "'lead' is not a role to invite to"
fails 2 hub lab invite phd --role boss --pg x
fails 2 hub lab mentor phd sam --pg x
fails 2 hub lab mentor phd sam ana extra --pg x
fails 2 hub lab rm-member phd --pg x
fails 2 hub lab invite phd --role member --lead ann --pg x
err_contains "only 'hub lab add' takes --lead"
fails 2 hub user add ann --role member --pg x
err_contains "only 'hub lab' takes --lead and --role"

# Version 1, with data in it, then migrated.
pg_start || { fail "pg_start"; finish; }
CAIRN_HUB_MIGRATE_TO=1 ok hub init --pg "$CAIRN_PG"
expect "hub tables created at version 1"
same "version 1 has no lab" "$(pg_sql "SELECT to_regclass('hub.labs') IS NULL")" t
pg_sql "INSERT INTO hub.users(name, salt) VALUES ('old', decode('00112233445566778899aabbccddeeff', 'hex'));
	INSERT INTO hub.devices(user_id, label, token_hash) SELECT id, 'box', decode(repeat('ab', 32), 'hex') FROM hub.users;
	INSERT INTO hub.codes(user_id, code_hash, expires) SELECT id, decode(repeat('cd', 32), 'hex'), now() + interval '1 day' FROM hub.users;
	INSERT INTO hub.ops(user_id, device_id, op_id, replica, clock, vis, body) SELECT u.id, d.id, '30000000-0000-4000-8000-000000000001', '$REPLICA', '0000018c2f3a1b2c.0001.5b0c1a2e', 'public', '{\"title\": \"kept\"}' FROM hub.users u, hub.devices d;
	INSERT INTO hub.ops(user_id, device_id, op_id, replica, clock, vis, sealed) SELECT u.id, d.id, '30000000-0000-4000-8000-000000000002', '$REPLICA', '0000018c2f3a1b2c.0002.5b0c1a2e', 'private', 'c2VhbGVk' FROM hub.users u, hub.devices d;"
v1=$(db_state)
users1=$(pg_sql "SELECT id, name, salt, created FROM hub.users ORDER BY id")
ok hub init --pg "$CAIRN_PG"
expect "hub tables migrated from version 1 to 3"
same "at version 3" "$(pg_sql "SELECT version FROM hub.version")" 3
same "the users are kept" "$(pg_sql "SELECT id, name, salt, created FROM hub.users ORDER BY id")" "$users1"
same "the users have no password yet" "$(pg_sql "SELECT count(*) FROM hub.users WHERE password IS NOT NULL")" 0
same "the rows of version 1 are kept" "$(db_state | grep -v '^version\|^users')" \
	"$(printf '%s\n' "$v1" | grep -v '^version\|^users')
labs|0|-
memberships|0|-
mentorships|0|-
invites|0|-
questions|0|-
sessions|0|-
comments|0|-"
same "the private one still sealed" "$(pg_sql "SELECT sealed FROM hub.ops WHERE vis = 'private'")" c2VhbGVk
ok hub init --pg "$CAIRN_PG"
expect "hub tables at version 3 already"

# Users to put in labs.
for u in lee sam ana bob vic; do
	setup hub user add "$u" --pg "$CAIRN_PG"
done

# lab add.
ok hub lab add phd --lead lee --pg "$CAIRN_PG"
expect "added lab phd, led by lee"
same "lee leads phd" "$(pg_sql "SELECT l.name, u.name, m.role FROM hub.memberships m JOIN hub.labs l ON l.id = m.lab_id JOIN hub.users u ON u.id = m.user_id")" "phd|lee|lead"
before=$(db_state)
fails 1 hub lab add phd --lead sam --pg "$CAIRN_PG"
err_contains "there is a lab 'phd' already"
fails 1 hub lab add other --lead nobody --pg "$CAIRN_PG"
err_contains "no user 'nobody'"
same "refused adds change nothing" "$(db_state)" "$before"
ok hub lab add other --lead bob --pg "$CAIRN_PG"

# lab invite: the code alone on the last line, 32 hex digits, hashed.
ok hub lab invite phd --role mentor --pg "$CAIRN_PG"
code=$(printf '%s\n' "$out" | tail -n 1)
check "the invite code is alone on the last line" \
	sh -c 'printf "%s\n" "$1" | grep -Eqx "[0-9a-f]{32}"' - "$code"
contains "an invite to phd as mentor"
same "one invite, hashed, for a week" "$(pg_sql "SELECT role, length(code_hash), used IS NULL, expires > now() + interval '6 days' FROM hub.invites")" "mentor|32|t|t"
check "the code itself is not in the database" \
	test "$(pg_sql "SELECT count(*) FROM hub.invites WHERE encode(code_hash, 'hex') = '$code'")" = 0
before=$(db_state)
fails 1 hub lab invite nosuch --role member --pg "$CAIRN_PG"
err_contains "no lab 'nosuch'"
same "a refused invite changes nothing" "$(db_state)" "$before"

# Members come in with sync join (t1210); here, through the table.
pg_sql "INSERT INTO hub.memberships(lab_id, user_id, role) SELECT l.id, u.id, r.role FROM hub.labs l, hub.users u, (VALUES ('sam', 'mentor'), ('ana', 'member'), ('vic', 'viewer')) r(name, role) WHERE l.name = 'phd' AND u.name = r.name"

# lab mentor.
before=$(db_state)
fails 1 hub lab mentor phd ana sam --pg "$CAIRN_PG"
err_contains "'ana' is a member of 'phd', not a mentor"
fails 1 hub lab mentor phd sam vic --pg "$CAIRN_PG"
err_contains "only members are mentored"
fails 1 hub lab mentor phd sam bob --pg "$CAIRN_PG"
err_contains "'bob' is not in the lab 'phd'"
fails 1 hub lab mentor nosuch sam ana --pg "$CAIRN_PG"
err_contains "no lab 'nosuch'"
fails 1 hub lab mentor other bob ana --pg "$CAIRN_PG"
fails 2 hub lab mentor phd sam sam --pg "$CAIRN_PG"
same "refused mentorships change nothing" "$(db_state)" "$before"
ok hub lab mentor phd sam ana --pg "$CAIRN_PG"
expect "sam mentors ana in phd"
before=$(db_state)
fails 1 hub lab mentor phd sam ana --pg "$CAIRN_PG"
err_contains "mentors 'ana' in 'phd' already"
same "a second time changes nothing" "$(db_state)" "$before"

# lab rm-member: the membership and its mentorships go; the lead stays.
fails 1 hub lab rm-member phd lee --pg "$CAIRN_PG"
err_contains "'lee' leads 'phd' and cannot be removed"
fails 1 hub lab rm-member phd bob --pg "$CAIRN_PG"
err_contains "'bob' is not in the lab 'phd'"
fails 1 hub lab rm-member nosuch ana --pg "$CAIRN_PG"
fails 2 hub lab rm-member phd "a b" --pg "$CAIRN_PG"
same "refused removals change nothing" "$(db_state)" "$before"
ok hub lab rm-member phd ana --pg "$CAIRN_PG"
expect "removed ana from phd"
same "ana is out of phd" "$(pg_sql "SELECT count(*) FROM hub.memberships m JOIN hub.users u ON u.id = m.user_id WHERE u.name = 'ana'")" 0
same "and sam mentors no one" "$(pg_sql "SELECT count(*) FROM hub.mentorships")" 0
same "the others stay" "$(pg_sql "SELECT string_agg(u.name || ':' || m.role, ' ' ORDER BY u.name) FROM hub.memberships m JOIN hub.users u ON u.id = m.user_id JOIN hub.labs l ON l.id = m.lab_id WHERE l.name = 'phd'")" \
	"lee:lead sam:mentor vic:viewer"
finish
