#!/bin/sh
# A goals post as people write it: numbered goals whose sub-points are
# flush-left bullets (directly after the goal, <br> spacers between),
# an introduction before the list and a closing reflection after it,
# links, and a numeric target in the text.  It imports as 7 goals with
# their questions and milestones, the intro and closing kept with the
# post, the spacers dropped and the target as a metric; export -> import
# into an empty store -> export gives the same text.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
POST="$SRCDIR/tests/fixtures/fmt/goals-flush.md"

ok import "$POST"
expect "imported $POST (md): 19 added, 0 updated, 0 unchanged
  new metric cost (USD) on #7 from 7000 to 100, lower is better"
same "no warnings" "$err" ""

sql_is "7 goals, in the post's order" \
	"SELECT group_concat(title, '|') FROM (SELECT title FROM item WHERE kind = 'goal' ORDER BY id)" \
	"Develop compression methods with provable guarantees.|Understand why large learning rates generalize better.|Achieve BERT-level performance for less than \$100 of compute. (Currently \$7,000).|Build a benchmark of reporting practice in compression papers.|Train an MNIST classifier on a simulated quantum computer.|Improve machine translation in low-resource domains.|Write a story-generation game that stays coherent for a whole session."
sql_is "every other item is below a goal" \
	"SELECT count(*) FROM item WHERE parent IS NULL" 7
# Sub-points: questions when phrased as one, else milestones, each under
# the numbered item right above it.
sql_is "children of each goal, kind and title" \
	"SELECT group_concat(p.title || ' > ' || c.kind || ': ' || c.title, '|') FROM (SELECT * FROM item WHERE parent IS NOT NULL ORDER BY id) c JOIN item p ON p.id = c.parent" \
	"Develop compression methods with provable guarantees. > milestone: Survey low-rank and pruning methods with error bounds|Develop compression methods with provable guarantees. > question: Does the bound survive quantization after pruning?|Understand why large learning rates generalize better. > question: Why does the edge of stability appear at all?|Understand why large learning rates generalize better. > milestone: Reproduce the catapult phase on a small MLP|Achieve BERT-level performance for less than \$100 of compute. (Currently \$7,000). > milestone: Using better bounds and architectures|Achieve BERT-level performance for less than \$100 of compute. (Currently \$7,000). > milestone: Short sequences for most of the steps|Train an MNIST classifier on a simulated quantum computer. > question: Which encodings of pixels into qubits are trainable?|Improve machine translation in low-resource domains. > question: Why does domain adaptation help?|Improve machine translation in low-resource domains. > question: What is a principled way of doing domain adaptation?|Improve machine translation in low-resource domains. > milestone: Adapt a multilingual model to a 50k-sentence language pair|Write a story-generation game that stays coherent for a whole session. > milestone: Prototype a game loop that keeps a story state|Write a story-generation game that stays coherent for a whole session. > question: Can a planner over plot points keep long stories coherent?"
sql_is "links in goals and sub-points" \
	"SELECT group_concat(item || ' ' || url, '|') FROM (SELECT * FROM link ORDER BY id)" \
	"1 https://example.org/a|6 https://arxiv.org/abs/2003.02218|8 https://example.org/b"
# <br> spacers are dropped: no note, no body, no title holds one.
sql_is "no notes" "SELECT count(*) FROM note" 0
sql_is "no <br> anywhere" \
	"SELECT count(*) FROM item WHERE title LIKE '%<br%' OR body LIKE '%<br%'" 0
sql_is "no bodies" "SELECT count(*) FROM item WHERE body <> ''" 0
# The intro and the closing are the post's, not an item's.
sql_is "intro" "SELECT value FROM setting WHERE key = 'post.intro'" \
	"These are the problems I would most like to work on this year. They're
vaguely ordered by the likeliness that I'll spend time on them; see
[last year's list](https://example.org/2025/goals) for how that went."
sql_is "closing" "SELECT value FROM setting WHERE key = 'post.closing'" \
	"Writing this list revealed how few real problems I am aware of. Next year
I want it to be shorter and sharper."
# The numeric target: a metric on its goal.
sql_is "the metric" \
	"SELECT item || ' ' || name || ' ' || unit || ' ' || baseline || ' ' || target || ' ' || lower_better FROM metric" \
	"7 cost USD 7000.0 100.0 1"

# Twice: nothing new, nothing changed.
before=$(snapshot | grep -v 'INSERT INTO change\|INSERT INTO event')
ok import "$POST"
expect "imported $POST (md): 0 added, 0 updated, 19 unchanged"
after=$(snapshot | grep -v 'INSERT INTO change\|INSERT INTO event')
same "second import changes no data" "$after" "$before"

# Export -> import into an empty store -> export: the same text, with
# the intro first and the closing last.
for f in md jekyll; do
	ok export --format $f --out "$TMP/a.$f"
	CAIRN_DB="$TMP/rt-$f.db" "$CAIRN" import "$TMP/a.$f" >/dev/null 2>&1
	CAIRN_DB="$TMP/rt-$f.db" "$CAIRN" export --format $f --out "$TMP/b.$f"
	check "$f round trip gives the same text" cmp -s "$TMP/a.$f" "$TMP/b.$f"
	check "$f: the intro opens the list" \
		grep -q "^These are the problems I would most like" "$TMP/a.$f"
	check "$f: the closing ends it" \
		sh -c "tail -n 2 '$TMP/a.$f' | grep -qx 'I want it to be shorter and sharper.'"
	check "$f: no spacer" sh -c "! grep -q '<br' '$TMP/a.$f'"
	out=$(CAIRN_DB="$TMP/rt-$f.db" sqlite3 "$TMP/rt-$f.db" \
		"SELECT (SELECT count(*) FROM item WHERE kind = 'goal') || ' ' || (SELECT count(*) FROM item) || ' ' || (SELECT count(*) FROM metric) || ' ' || (SELECT count(*) FROM setting WHERE key LIKE 'post.%')")
	same "$f: 7 goals, 19 items, the metric, intro and closing" "$out" "7 19 1 2"
done
check "md and jekyll differ only by the front matter" \
	sh -c "tail -n +7 '$TMP/a.jekyll' | cmp -s - '$TMP/a.md'"

# A note on the last goal stays its note: export marks where the closing
# begins, and import reads the mark back.
ok note 17 'Ask the lab whether anyone has a planner to share'
ok export --format md --out "$TMP/c.md"
check "the mark before the closing" grep -qx '<!-- closing -->' "$TMP/c.md"
CAIRN_DB="$TMP/note.db" "$CAIRN" import "$TMP/c.md" >/dev/null 2>&1
CAIRN_DB="$TMP/note.db" "$CAIRN" export --format md --out "$TMP/d.md"
check "with a note on the last goal: the same text" cmp -s "$TMP/c.md" "$TMP/d.md"
out=$(sqlite3 "$TMP/note.db" "SELECT item || ' ' || text FROM note")
same "the note is the last goal's" "$out" \
	"17 Ask the lab whether anyone has a planner to share"
out=$(sqlite3 "$TMP/note.db" "SELECT value FROM setting WHERE key = 'post.closing'")
same "the closing is the closing" "$out" \
	"Writing this list revealed how few real problems I am aware of. Next year
I want it to be shorter and sharper."

# --json names the metrics it created too.
export CAIRN_DB="$TMP/json.db"
ok --json import "$POST"
json_ok "created lists the metric" \
	'd["added"] == 19 and d["created"] == ["metric cost (USD) on #7 from 7000 to 100, lower is better"]'

# Where the text has one number only, nothing is guessed; nor when the
# numbers are in different currencies.
export CAIRN_DB="$TMP/one.db"
printf '1. Train BERT for less than $100 of compute.\n2. Cut the cost (currently $7,000) a lot.\n3. Spend under $100 (currently 7,000 EUR).\n' >"$TMP/one.md"
ok import "$TMP/one.md"
expect "imported $TMP/one.md (md): 3 added, 0 updated, 0 unchanged"
sql_is "no metric guessed" "SELECT count(*) FROM metric" 0

# Indented sub-points keep working, and a bullet list after a paragraph
# is a list of goals as before.
export CAIRN_DB="$TMP/indent.db"
printf '1. Goal one\n   - Sub one\n\n   - Sub two?\n\nA note.\n\n- Goal two\n- Goal three\n' >"$TMP/indent.md"
ok import "$TMP/indent.md"
sql_is "indented children, then goals after a paragraph" \
	"SELECT group_concat(kind || ':' || ifnull(parent, '-') || ':' || title, '|') FROM item" \
	"goal:-:Goal one|milestone:1:Sub one|question:1:Sub two?|goal:-:Goal two|goal:-:Goal three"
sql_is "the paragraph between is a note" "SELECT item || ' ' || text FROM note" "1 A note."

finish
