#!/bin/sh
# paper add|import|set|link|unlink|show and papers: keys made from the
# authors, BibTeX import (macros, accents, months) that adds nothing the
# second time, requirements that hold milestones back, and bad input
# (unknown key, malformed and truncated BibTeX) leaving the store alone.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
BIB="$SRCDIR/tests/fixtures/bib"

ok add goal "BERT for under \$100"
ok add milestone "Reproduce the baseline" --under 1
ok add milestone "Match BERT with \$1,000" --under 1
ok dep add 3 2

ok paper add "BERT: Pre-training of Deep Bidirectional Transformers" \
	--authors "Jacob Devlin, Ming-Wei Chang" --year 2019 \
	--url https://arxiv.org/abs/1810.04805
expect "added paper 'devlin2019bert': BERT: Pre-training of Deep Bidirectional Transformers"
ok paper add "BERT again" --authors "Devlin, Jacob" --year 2019
expect "added paper 'devlin2019bertb': BERT again"
ok paper add "Structured Pruning, Revisited" --authors "Jörg Müller"
expect "added paper 'mullerstructured': Structured Pruning, Revisited"
ok paper add "Cramming" --key geiping2022 --venue arXiv --doi 10.48550/arXiv.2212.14034
ok --json paper add "A paper" --key p1
json_ok "paper add --json" 'd["key"] == "p1" and d["status"] == "to-read" and d["authors"] is None'

ok paper import "$BIB/zotero.bib"
expect "imported 3 papers from $BIB/zotero.bib"
ok paper import "$BIB/zotero.bib"
expect "imported 0 papers from $BIB/zotero.bib; 3 already present, left as they are"
ok paper import "$BIB/macros.bib"
expect "imported 2 papers from $BIB/macros.bib"
sql_is "papers" "SELECT count(*) FROM paper" 10
sql_is "accents to UTF-8" "SELECT title FROM paper WHERE key = 'muller_etude_2020'" "Müller's Étude of naïve café pruning — a Case Study"
sql_is "names" "SELECT authors FROM paper WHERE key = 'muller_etude_2020'" "Jörg Müller, Bjørn Åberg, Antonín Dvořák, Grégoire Straßer"
sql_is "macros" "SELECT venue, month, year FROM paper WHERE key = 'arora2018stronger'" "Proceedings of the International Conference on Machine Learning|7|2018"
sql_is "month = jun" "SELECT month FROM paper WHERE key = 'devlin_bert_2019'" 6

ok paper set devlin2019bert status=read "notes=The baseline to beat"
expect "updated paper 'devlin2019bert'"
ok paper set p1 key=p2 year=2020
sql_is "renamed and dated" "SELECT key, year FROM paper WHERE id = 5" "p2|2020"
ok paper link izsak_how_2021 2
expect "#2 now requires 'izsak_how_2021'"
ok paper link devlin2019bert 2
ok paper show izsak_how_2021
contains "How to Train BERT with an Academic Budget"
contains "url        https://arxiv.org/abs/2104.07705"
contains "needed by  #2"

# A required paper not yet read holds the milestone back.
ok list --ready
lacks "Reproduce the baseline"
ok paper set izsak_how_2021 status=replicated
ok list --ready
contains "Reproduce the baseline"
ok paper unlink devlin2019bert 2
expect "#2 no longer requires 'devlin2019bert'"

ok papers --for 1
expect "izsak_how_2021  replicated         2021  How to Train BERT with an Academic Budget — Peter Izsak, Moshe Berchansky, Omer Levy"
ok papers --status read
expect "devlin2019bert  read               2019  BERT: Pre-training of Deep Bidirectional Transformers — Jacob Devlin, Ming-Wei Chang"
ok papers
check "papers lists all ten" [ "$(printf '%s\n' "$out" | wc -l)" -eq 10 ]
ok --json papers --for 2
json_ok "papers --json" 'len(d) == 1 and d[0]["key"] == "izsak_how_2021" and d[0]["items"] == [2] and d[0]["status"] == "replicated" and d[0]["year"] == 2021'
ok --json paper show devlin2019bert
json_ok "paper show --json" 'd["notes"] == "The baseline to beat" and d["url"] == "https://arxiv.org/abs/1810.04805" and d["items"] == []'

# Bad input: one line, exit 1, store unchanged.
rejects 1 paper import "$BIB/broken.bib"
expect ""
# The line given first is where the broken entry starts; btparse's line
# (for an unclosed brace, the end of the file) follows its message.
check "broken: names the entry's line" [ "$err" = "cairn: malformed BibTeX in 'broken.bib' at line 7: entry 'bad2021': found \"author\", expected end of entry (\"}\" or \")\") at line 9; nothing imported" ]
rejects 1 paper import "$BIB/truncated.bib"
err_contains "malformed BibTeX in 'truncated.bib' at line 6: entry 'cut2020': at end of input"
err_contains "at line 9; nothing imported"
rejects 1 paper import "$BIB/notitle.bib"
err_contains "entry 'untitled2020' has no title; nothing imported"
rejects 1 paper import "$BIB/missing.bib"
err_contains "cannot read '$BIB/missing.bib'"
sql_is "nothing from broken files" "SELECT count(*) FROM paper WHERE key IN ('good2020', 'whole2019', 'fine2019')" 0
rejects 1 paper set nokey status=read
err_contains "no paper 'nokey'"
rejects 1 paper link nokey 2
err_contains "no paper 'nokey'"
rejects 1 paper show nokey
rejects 1 paper link izsak_how_2021 99
err_contains "no item #99"
rejects 1 paper link izsak_how_2021 2
err_contains "#2 already requires 'izsak_how_2021'"
rejects 1 paper unlink devlin2019bert 2
rejects 1 paper set devlin2019bert status=skimmed
err_contains "unknown paper status 'skimmed'"
rejects 1 paper set devlin2019bert colour=red
err_contains "unknown paper field 'colour'"
rejects 1 paper set devlin2019bert status=read year=19
err_contains "year '19' must be a four-digit year"
rejects 1 paper set devlin2019bert key=p2
err_contains "there is already a paper 'p2'"
rejects 1 paper add "Dup" --key p2
rejects 1 paper add "Bad key" --key "a b"
rejects 1 paper add "Bad url" --url ftp://x
rejects 2 paper add "Bad year" --year 20x
rejects 2 papers --status skimmed
rejects 1 papers --for 99
rejects 2 paper
rejects 2 paper import
rejects 2 paper set devlin2019bert
rejects 2 paper set devlin2019bert status
rejects 2 paper import x.bib --key k

# rm removes a paper; one that items require only with --force, which
# removes those links too.  Each is one change that undo takes back.
papers_now() { sql "SELECT * FROM paper ORDER BY id; SELECT * FROM item_paper ORDER BY id"; }
before=$(papers_now)
ok paper rm p2
expect "removed paper 'p2'"
sql_is "rm removes the paper" "SELECT count(*) FROM paper WHERE key = 'p2'" 0
ok undo
same "undo brings the paper back" "$(papers_now)" "$before"
rejects 1 paper rm izsak_how_2021
check "required paper refused" [ "$err" = "cairn: paper 'izsak_how_2021' is required by #2: use --force to remove it and that link" ]
ok paper rm izsak_how_2021 --force
expect "removed paper 'izsak_how_2021' and the 1 link to it"
sql_is "--force removes the links" \
	"SELECT count(*) FROM item_paper WHERE paper NOT IN (SELECT id FROM paper)" 0
sql_is "#2 needs it no more" "SELECT count(*) FROM item_paper WHERE item = 2" 0
ok undo
same "undo brings the paper and its link back" "$(papers_now)" "$before"
ok --json paper rm p2
json_ok "rm --json names what went" 'd["removed"]["key"] == "p2" and d["links"] == 0'
ok undo
rejects 1 paper rm nokey
err_contains "no paper 'nokey'"
rejects 2 paper rm
err_contains "missing KEY"
rejects 2 paper rm p2 extra
rejects 2 paper rm p2 --year 2020
rejects 2 paper set p2 title=x --force
err_contains "only 'paper rm' takes --force"
finish
