#!/bin/sh
# rm ID: a leaf goes with its tags, links, notes, statements and edges; an
# item with children needs --force (or -f), which takes the whole subtree.
. "$(dirname "$0")/lib.sh"

ok add goal G
ok add milestone A --under 1 --tag t --link https://example.org/a
ok add milestone A1 --under 2
ok add milestone A2 --under 2
ok add goal H
ok add milestone B --under 5
ok note 3 "a note"
ok refine 3 "A1 sharper"
ok dep add 6 3
ok dep add 4 3

ok rm 6
expect "removed #6"
sql_is "leaf gone" "SELECT count(*) FROM item WHERE id = 6" 0
sql_is "its edge gone" "SELECT count(*) FROM edge WHERE item = 6 OR prereq = 6" 0
sql_is "others stay" "SELECT group_concat(id) FROM (SELECT id FROM item ORDER BY id)" "1,2,3,4,5"

# Refused without --force: nothing changes.
rejects 1 rm 2
err_contains "#2 has 2 child items: use --force"
rejects 1 rm '#1'
err_contains "#1 has 1 child item"

ok rm 2 --force
expect "removed #2"
sql_is "subtree gone" "SELECT group_concat(id) FROM (SELECT id FROM item ORDER BY id)" "1,5"
sql_is "attachments gone" "SELECT (SELECT count(*) FROM tag) || (SELECT count(*) FROM link) || (SELECT count(*) FROM note) || (SELECT count(*) FROM edge) || (SELECT count(*) FROM statement WHERE item NOT IN (1, 5))" "00000"
sql_is "one change" "SELECT count(DISTINCT change) FROM event WHERE entity = 'item' AND after IS NULL AND entity_id IN (2, 3, 4)" 1

ok rm -f 5
sql_is "-f short form" "SELECT group_concat(id) FROM (SELECT id FROM item ORDER BY id)" "1"

ok show 1
lacks "below"
rejects 1 rm 2
err_contains "#2"
rejects 1 rm 99
err_contains "no item #99"
rejects 2 rm x
err_contains "'x'"
rejects 2 rm
err_contains "missing ID"
rejects 2 rm 1 5
err_contains "too many arguments"
rejects 2 rm --recursive 1
finish
