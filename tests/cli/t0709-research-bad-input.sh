#!/bin/sh
# The bad input the research-practice issue lists, in one place: unknown
# metric or paper key, malformed or truncated BibTeX, a probability outside
# 0-1, resolving twice, a duration like 3x, a date in the wrong form.  Each
# is one line on stderr, exit status 1, nothing on stdout, and the store
# dump is the same before and after.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
BIB="$SRCDIR/tests/fixtures/bib"

ok add goal "BERT for under \$100"
ok metric add 1 cost --unit USD --baseline 7000 --target 100 --lower-is-better
ok paper add "BERT" --key devlin2019bert
ok predict --p 0.7 "The advisor will like it"
ok resolve 1 yes

rejects 1 calibration --who Alice
check "calibration of nobody named" [ "$err" = "cairn: no predictions about 'Alice'; none names anyone yet (predict --who NAME)" ]
rejects 1 metric log 1 price 10
err_contains "#1 has no metric 'price'"
rejects 1 metric show 1 price
rejects 1 paper set nosuchkey status=read
err_contains "no paper 'nosuchkey'"
rejects 1 paper link nosuchkey 1
rejects 1 paper import "$BIB/broken.bib"
err_contains "malformed BibTeX in 'broken.bib' at line 7: entry 'bad2021'"
rejects 1 paper import "$BIB/truncated.bib"
err_contains "malformed BibTeX in 'truncated.bib' at line 6: entry 'cut2020'"
# A macro with no value pasted into another crashed btparse.
rejects 1 paper import "$BIB/undefined-macro.bib"
err_contains "malformed BibTeX in 'undefined-macro.bib' at line 3: @string proc uses 'undefinedmacro', which has no value; nothing imported"
# btparse exits (inside the library) on this one: still one line, exit 1.
rejects 1 paper import "$BIB/parser-exits.bib"
err_contains "malformed BibTeX in 'parser-exits.bib' at line 6: the BibTeX parser gave up on it; nothing imported"
rejects 2 predict --p 1.01 "Too sure"
err_contains "probability '1.01' must be between 0 and 1"
rejects 2 predict --p -1 "Negative"
rejects 1 resolve 1 no
err_contains "prediction P1 is already resolved"
rejects 2 log 1 3x
err_contains "malformed duration '3x'"
for bad in 2026-3-1 01/03/2026 2026-02-30 March tomorrowish; do
	rejects 2 log 1 1h --date "$bad"
	err_contains "malformed date '$bad'"
	rejects 2 metric log 1 cost 5 --date "$bad"
	rejects 2 predict --p 0.5 --by "$bad" "x"
	rejects 2 resolve 1 yes --date "$bad"
	rejects 2 lookback --since "$bad"
done
finish
