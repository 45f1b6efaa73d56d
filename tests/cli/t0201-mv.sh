#!/bin/sh
# mv ID --under ID | --root: move in the breakdown tree; never under itself
# or its own descendants.
. "$(dirname "$0")/lib.sh"

ok add goal G
ok add goal H
ok add milestone A --under 1
ok add milestone A1 --under 3
ok add milestone A2 --under 4

ok mv 3 --under 2
expect "moved #3 under #2"
sql_is "moved with its subtree" "SELECT id, parent FROM item WHERE id IN (3, 4, 5) ORDER BY id" \
	"3|2
4|3
5|4"
ok tree 2
expect "#2 [goal] H        planned
└── #3 A           planned
    └── #4 A1      planned
        └── #5 A2  planned"

ok mv '#4' --root
expect "moved #4 to the top"
sql_is "root" "SELECT parent IS NULL FROM item WHERE id = 4" 1
ok mv 4 --under '#1'
sql_is "back under" "SELECT parent FROM item WHERE id = 4" 1
sql_is "journalled" "SELECT label FROM change ORDER BY id DESC LIMIT 1" "mv 4 --under #1"

# Refusals leave the tree alone.
ok mv 3 --under 1
rejects 1 mv 1 --under 5
err_contains "cannot move #1 under #5: #5 is below #1"
rejects 1 mv 1 --under 3
err_contains "#3"
rejects 1 mv 1 --under 1
err_contains "cannot move #1 under itself"
rejects 1 mv 99 --root
err_contains "#99"
rejects 1 mv 3 --under 99
err_contains "#99"
rejects 2 mv 3 --under x
err_contains "'x'"
rejects 2 mv 3
err_contains "give exactly one of --under ID and --root"
rejects 2 mv 3 --root --under 1
rejects 2 mv --root
err_contains "missing ID"
rejects 2 mv 3 4 --root
rejects 2 mv 3 --under

# Moving never changes an item's visibility: only adding inherits it.
ok add goal Public --visibility public
ok add milestone Shared --under 6
ok mv 5 --under 6
ok mv 7 --root
sql_is "visibility kept by mv" \
	"SELECT id, parent, visibility FROM item WHERE id IN (5, 7) ORDER BY id" \
	"5|6|private
7||public"
finish
