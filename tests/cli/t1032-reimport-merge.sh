#!/bin/sh
# Re-import is a merge: a Markdown file matches what the store has by
# content (title and place in the tree), whatever the file is called.
# export --format md --out x.md then import x.md into the same store adds
# nothing and changes nothing; so do import - from stdin and a copy under
# another name, for a store made by commands and for one made from a
# post.  A copy with one more milestone adds just that one.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"

# The user's data: not the journal, nor what each file said at its last
# import (import_base, the merge's own record of the file).
data() { snapshot | grep -v 'INSERT INTO change\|INSERT INTO event\|INSERT INTO import_base'; }

# A store made by commands (random uuids, no source at all).
ok add goal 'Compression with guarantees' --visibility public --likelihood 0.9
ok add milestone 'Survey pruning bounds' --under 1
ok add question 'Does the bound survive quantization?' --under 1
ok add milestone 'Prove a bound' --under 1 --estimate 5/10/20
ok add goal 'Cheap BERT pre-training' --visibility public --likelihood 0.5 --body 'Cramming showed the way.'
ok add milestone 'Reproduce the cost at small scale' --under 5
ok add milestone 'Write the cost model' --under 6
ok done 2
ok start 6
ok link 5 https://arxiv.org/abs/2212.14034 --label Cramming
ok note 1 'Talk to Ana about PAC-Bayes'
ok note 5 'A note on the last goal'
ok metric add 5 cost --unit USD --baseline 7000 --target 100 --lower-is-better
ok metric log 5 cost 3500 --date 2026-02-01
ok export --format md --out "$TMP/x.md"
before=$(data)
n=$(sql "SELECT count(*) FROM item")

ok import "$TMP/x.md"
expect "imported $TMP/x.md (md): 0 added, 0 updated, $n unchanged"
same "export then import changes nothing" "$(data)" "$before"
ok import - <"$TMP/x.md"
expect "imported - (md): 0 added, 0 updated, $n unchanged"
same "from stdin: nothing" "$(data)" "$before"
cp "$TMP/x.md" "$TMP/copy of the post.md"
ok import "$TMP/copy of the post.md"
expect "imported $TMP/copy of the post.md (md): 0 added, 0 updated, $n unchanged"
same "a copy under another name: nothing" "$(data)" "$before"
ok export --format md --out "$TMP/y.md"
check "and the export is the same" cmp -s "$TMP/x.md" "$TMP/y.md"

# The Jekyll post of a store without front matter: dated by its first
# goal, so the same on any day, and read back it changes nothing.
ok export --format jekyll --out "$TMP/j1.md"
CAIRN_NOW="2027-07-01T09:00:00Z" "$CAIRN" export --format jekyll --out "$TMP/j2.md"
check "the same post on another day" cmp -s "$TMP/j1.md" "$TMP/j2.md"
check "dated by the first goal" grep -qx "date: ${CAIRN_NOW%%T*}" "$TMP/j1.md"
ok import "$TMP/j1.md"
expect "imported $TMP/j1.md (md): 0 added, 0 updated, $n unchanged"
same "the Jekyll post read back: nothing" "$(data)" "$before"
sed 's/^title: Research goals$/title: My goals/' "$TMP/j1.md" >"$TMP/j3.md"
ok import "$TMP/j3.md"
sql_is "a front matter the user wrote is kept" \
	"SELECT value FROM setting WHERE key = 'frontmatter.title'" '"My goals"'
sql "DELETE FROM setting WHERE key LIKE 'frontmatter.%'"

# One more milestone in another copy: just that one is added, below the
# milestone it is written under; the rest stays as it was.
sed -e 's/^     - \[ \] Write the cost model$/&\n     - [ ] Ask for cloud credits/' \
	-e 's/Progress: 0 of 2 milestones done/Progress: 0 of 3 milestones done/' "$TMP/x.md" >"$TMP/more.md"
check "the copy has the new line" grep -q 'Ask for cloud credits' "$TMP/more.md"
ok import "$TMP/more.md"
expect "imported $TMP/more.md (md): 1 added, 0 updated, $n unchanged"
sql_is "the new milestone, where it is written" \
	"SELECT kind || ' ' || parent FROM item WHERE title = 'Ask for cloud credits'" \
	"milestone 6"
sql_is "no title twice" \
	"SELECT count(*) FROM (SELECT title FROM item GROUP BY title HAVING count(*) > 1)" 0
sql_is "one note each, one link, one metric, one observation" \
	"SELECT (SELECT count(*) FROM note) || ' ' || (SELECT count(*) FROM link) || ' ' || (SELECT count(*) FROM metric) || ' ' || (SELECT count(*) FROM observation)" \
	"2 1 1 1"

# A store made from a goals post (flush-left sub-points, intro and
# closing): its export read back under another name changes nothing.
export CAIRN_DB="$TMP/post.db"
ok import "$SRCDIR/tests/fixtures/fmt/goals-flush.md"
ok export --format md --out "$TMP/p.md"
before=$(data)
ok import "$TMP/p.md"
expect "imported $TMP/p.md (md): 0 added, 0 updated, 19 unchanged"
same "the post's export read back: nothing" "$(data)" "$before"
ok import - <"$TMP/p.md"
expect "imported - (md): 0 added, 0 updated, 19 unchanged"
same "from stdin: nothing" "$(data)" "$before"

# A closing that opens indented (a paragraph below a bulleted list,
# short of its items' text) stays the closing through a round trip: the
# export marks where it starts, or the numbered goal above would take it.
export CAIRN_DB="$TMP/closing.db"
printf -- '   - First goal\n   - Last goal\n\n   An indented closing line.\n' >"$TMP/ind.md"
ok import "$TMP/ind.md"
sql_is "read as the closing" "SELECT value FROM setting WHERE key = 'post.closing'" "   An indented closing line."
ok export --format md --out "$TMP/ind1.md"
CAIRN_DB="$TMP/closing2.db" "$CAIRN" import "$TMP/ind1.md" >/dev/null
CAIRN_DB="$TMP/closing2.db" "$CAIRN" export --format md --out "$TMP/ind2.md"
check "the same text again" cmp -s "$TMP/ind1.md" "$TMP/ind2.md"
CAIRN_DB="$TMP/closing2.db" sql_is "and still the closing, no goal's body" \
	"SELECT (SELECT value FROM setting WHERE key = 'post.closing') || '|' || (SELECT group_concat(body, '') FROM item)" \
	"   An indented closing line.|"
finish
