#!/bin/sh
# portfolio: planned and active milestones by p_success and novelty, the
# shares of long shots, balanced bets and safe bets, a warning when every
# rated milestone is the same kind; --goal; --json.
. "$(dirname "$0")/lib.sh"

ok init
ok portfolio
expect "no planned or active milestones to place"

ok add goal "Generalization from compression"
ok add milestone "Read the bounds" --under 1 --p-success 0.9 --novelty 1
ok add milestone "Replicate a bound" --under 1 --p-success 0.8 --novelty 2
ok portfolio
contains "safe bets 2 (100%)"
contains "warning: every rated milestone is a safe bet: add a bolder one"

ok add milestone "Nonvacuous bound for ImageNet" --under 1 \
	--p-success 0.15 --novelty 5
ok add milestone "Compression-based bound" --under 1 --p-success 0.5 \
	--novelty 4
ok add milestone "Unrated idea" --under 1
ok add milestone "No novelty" --under 1 --p-success 0.6
ok add milestone "Finished" --under 1 --p-success 0.1 --novelty 5
ok done 8
ok add goal "Other"
ok add milestone "Elsewhere" --under 9 --p-success 0.95 --novelty 3
ok portfolio --goal 1
expect "novelty
  5 |   .   1   .   .   .   .   .   .   .   .
  4 |   .   .   .   .   .   1   .   .   .   .
  3 |   .   .   .   .   .   .   .   .   .   .
  2 |   .   .   .   .   .   .   .   .   1   .
  1 |   .   .   .   .   .   .   .   .   .   1
  ? |   .   .   .   .   .   .   1   .   .   .
    +----------------------------------------
        0  .1  .2  .3  .4  .5  .6  .7  .8  .9  p_success

long shots 1 (20%), balanced 2 (40%), safe bets 2 (40%); 1 without p_success"

ok portfolio
contains "safe bets 3 (50%)"
contains "  3 |   .   .   .   .   .   .   .   .   .   1"
lacks warning

ok --json portfolio --goal 1
json_ok "json counts" 'd["counts"] == {"long_shot": 1, "balanced": 2, "safe": 2, "unrated": 1}'
json_ok "json shares" 'd["shares"] == {"long_shot": 0.2, "balanced": 0.4, "safe": 0.4} and d["warning"] is None and d["goal"] == 1'
json_ok "json table" '[(m["id"], m["bet"]) for m in d["milestones"]] == [(2, "safe"), (3, "safe"), (4, "long-shot"), (5, "balanced"), (6, "unrated"), (7, "balanced")]'
json_ok "json row" 'd["milestones"][3] == {"id": 5, "title": "Compression-based bound", "status": "planned", "p_success": 0.5, "novelty": 4, "bet": "balanced"}'

# All long shots.
ok add goal "Moonshots"
ok add milestone "Quantum advantage" --under 11 --p-success 0.05 --novelty 5
ok add milestone "Room temperature" --under 11 --p-success 0.3 --novelty 5
ok portfolio --goal 11
contains "warning: every rated milestone is a long shot: add a safe one that secures a result"
ok --json portfolio --goal 11
json_ok "json warning" 'd["warning"].startswith("every rated milestone is a long shot")'
ok portfolio --goal 11
contains "  5 |   1   .   .   1   .   .   .   .   .   ."

fails 1 portfolio --goal 99
err_contains "no item #99"
fails 2 portfolio extra
finish
