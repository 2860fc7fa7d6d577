#!/usr/bin/env bash
# End-to-end: a return that is there but cannot be read never passes a rule that reads it, nor
# reads as absent. A truncated control totals return: its ASSURE-PARSE, and every rule that looks
# it up fails loudly naming it (FIN-001 does not fall back on the stated figure, FIN-005 does not
# say there is none). A truncated finance return: the group rule FIN-002 and the lookups of
# SUB-001 and FIN-003 fail naming it instead of adding up without it.
source "$(dirname "$0")/lib.sh"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
cases="$ASSURE_SOURCE_DIR/fixtures/rules"
cd "$TEST_TMP"

cp -r "$cases/FIN-001/fail" ct
head -c 120 "$cases/FIN-001/fail/returns/2020-21/control_totals.json" >ct/returns/2020-21/control_totals.json
run_assure ct.json check --rules "$pack" --as-of 2021-01-13 --format json ct
expect_rc 1 "a run with an unreadable return is incomplete"
python3 - ct.json <<'PY' || fail "the truncated control totals are not reported where they are read"
import json, sys
r = json.load(open(sys.argv[1]))
f = r["findings"]
ct = "returns/2020-21/control_totals.json"
assert any(x["rule"] == "ASSURE-PARSE" and x["path"] == ct for x in f), f
evals = [x for x in f if x["rule"] == "ASSURE-EVAL" and x["path"] == "returns/2020-21/m07/finance/rtx.json"]
for rule in ("FIN-001", "FIN-005"):
    hit = [x for x in evals if x["message"].startswith(rule + " could not be evaluated")]
    assert hit and ct + " could not be read" in hit[0]["message"], (rule, evals)
rtx = [x for x in f if x["path"] == "returns/2020-21/m07/finance/rtx.json"]
assert not [x for x in rtx if x["rule"] in ("FIN-001", "FIN-005")], "a rule passed or failed on a guess"
# what is left of the file says its year: the 2024-25 return is still checked against its own figure
assert [x for x in f if x["rule"] == "FIN-001" and x["path"] == "returns/2024-25/m02/finance/rxn.json"], f
PY
pass

# exists() of an input that cannot be read is a failure too, not false
mkdir -p rules
cat >rules/r.json <<'JSON'
{"ruleset": "t", "version": "1", "rules": [
 {"id": "T-001", "title": "t", "severity": "error", "domain": "finance", "applies_to": {"kind": "finance"},
  "assert": "exists(file_doc('returns/2020-21/control_totals.json'))", "message": "no table"}]}
JSON
run_assure ex.txt check --rules rules --as-of 2021-01-13 ct
expect_rc 1 "exists() of an unreadable file"
expect_grep "T-001 could not be evaluated at '/' (assert): returns/2020-21/control_totals.json could not be read: " ex.txt
grep -q '\[T-001\] no table' ex.txt && fail "exists() took the unreadable file for an absent one"
pass

# A finance return cut short: FIN-002 (a group of the year's returns) and SUB-001 (which looks
# up every organisation's returns) fail naming it; the file's own kind and year were still
# readable, so other years are not affected.
cp -r "$cases/FIN-002/fail" grp
head -c 200 "$cases/FIN-002/fail/returns/2020-21/m07/finance/rxr.json" >grp/returns/2020-21/m07/finance/rxr.json
run_assure grp.json check --rules "$pack" --as-of 2021-01-13 --format json --fail-on none grp
expect_rc 1 "incomplete"
python3 - grp.json <<'PY' || fail "the truncated finance return is not reported by the rules that group or look it up"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
cut = "returns/2020-21/m07/finance/rxr.json"
for rule in ("FIN-002", "SUB-001"):
    hit = [x for x in f if x["rule"] == "ASSURE-EVAL" and x["message"].startswith(rule + " could not be evaluated")
           and cut + " could not be read" in x["message"]]
    assert hit, (rule, [x["message"] for x in f if x["rule"] == "ASSURE-EVAL"])
assert not [x for x in f if x["rule"] in ("FIN-002", "SUB-001")], "a rule ran without the unreadable return"
PY
pass
finish
