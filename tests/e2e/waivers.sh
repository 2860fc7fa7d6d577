#!/usr/bin/env bash
# End-to-end: a committee's waivers (docs/waivers.md) on assure check: a valid waiver marks its
# finding and lets the run pass, an expired one fails it again, an unused one is reported, each
# kind of invalid entry is an exact message at its place, a broken file makes the run incomplete
# while every return is still checked, --waivers takes them from outside the repository and
# --no-waivers shows everything. Hostile text in a waiver cannot forge a line.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/e2e/waivers"
rules="$ASSURE_SOURCE_DIR/fixtures/e2e/check/rules"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/2020-21/finance repo/returns/2020-21/board
cat >repo/returns/2020-21/finance/rxr.json <<'JSON'
{
  "kind": "finance",
  "org": "RXR",
  "forecast": { "outturn": -17.7, "control_total": -16.6 }
}
JSON
cat >repo/returns/2020-21/board/actions.json <<'JSON'
{
  "kind": "action_log",
  "actions": [ { "code": "ICSB200304-02", "status": "In progress", "due": "December 2020" } ]
}
JSON
commit_all repo "2020-12-15 10:30:00" "RXR return and December action log" "Finance Lead" "finance@example.nhs.uk"

cat >repo/assure-waivers.json <<'JSON'
{
  "waivers": [
    {
      "rule": "FIN-001",
      "subject": "RXR",
      "reason": "recovery plan agreed with the region",
      "approved_by": "Audit Committee",
      "approved_on": "2020-12-20",
      "expires": "2021-03-31"
    }
  ]
}
JSON
commit_all repo "2020-12-21 09:00:00" "Audit Committee waiver for RXR" "Committee Secretary" "committee@example.nhs.uk"
before=$(repo_state repo)
A=(--repo repo --rules "$rules")

# A valid waiver: the deficit is shown as waived, with its reason, and does not fail the run.
run_assure valid.txt check "${A[@]}" --as-of 2021-01-13
expect_rc 0 "a waived error does not fail the run"
expect_same valid.txt "$golden/valid.txt"
run_assure valid.json check "${A[@]}" --as-of 2021-01-13 --format json
expect_rc 0 "a waived error does not fail the run, json"
expect_same valid.json "$golden/valid.json"
python3 - valid.json <<'PY' || fail "the JSON report does not carry the waiver"
import json, sys
d = json.load(open(sys.argv[1]))
w = [f for f in d["findings"] if f["rule"] == "FIN-001"][0]["waiver"]
assert w == {"where": "assure-waivers.json#/waivers/0", "reason": "recovery plan agreed with the region",
             "approved_by": "Audit Committee", "approved_on": "2020-12-20", "expires": "2021-03-31"}, w
assert d["counts"] == {"error": 0, "warning": 1, "info": 0, "waived": 1, "total": 2}, d["counts"]
assert d["waivers"] == "assure-waivers.json"
assert "waiver" not in [f for f in d["findings"] if f["rule"] == "GOV-001"][0]
PY
pass
# the waiver of the first commit does not exist there: its finding fails
run_assure first.txt check "${A[@]}" --rev HEAD~1 --as-of 2021-01-13
expect_rc 1 "the commit before the waiver fails"
expect_grep '^returns/2020-21/finance/rxr.json:4:15: error: \[FIN-001\]' first.txt
# --fail-on warning still fails on the warning, never on the waived error
run_assure valid_w.txt check "${A[@]}" --as-of 2021-01-13 --fail-on warning
expect_rc 1 "the unwaived warning fails with --fail-on warning"

# On its last day it still waives; the day after, it has expired.
run_assure last.txt check "${A[@]}" --as-of 2021-03-31
expect_rc 0 "a waiver accepts its finding on its expiry day"
run_assure expired.txt check "${A[@]}" --as-of 2021-04-01
expect_rc 1 "an expired waiver fails the run"
expect_same expired.txt "$golden/expired.txt"

# --no-waivers shows everything as if there were no waiver.
run_assure none.txt check "${A[@]}" --as-of 2021-01-13 --no-waivers
expect_rc 1 "--no-waivers fails on the breach"
expect_grep '^returns/2020-21/finance/rxr.json:4:15: error: \[FIN-001\]' none.txt
grep -q -e waived -e WAIVER none.txt && fail "--no-waivers still shows a waiver: $(cat none.txt)"
pass
run_assure usage.txt check "${A[@]}" --as-of 2021-01-13 --no-waivers --waivers x.json
expect_rc 2 "--waivers and --no-waivers together"
expect_grep "^assure check: give either --waivers or --no-waivers, not both$" usage.txt.err

# --waivers FILE: waivers from outside the repository replace the repository's.
cat >outside.json <<'JSON'
{
  "waivers": [
    {
      "rule": "GOV-001",
      "path": "returns/**/actions*.json",
      "reason": "the Board deferred its December actions",
      "approved_by": "ICS Board",
      "approved_on": "2021-01-05",
      "expires": "2021-02-28"
    },
    {
      "rule": "FIN-001",
      "fingerprint": "0000000000000000000000000000000000000000",
      "reason": "a breach since fixed",
      "approved_by": "ICS Board",
      "approved_on": "2021-01-05",
      "expires": "2021-02-28"
    }
  ]
}
JSON
run_assure outside.txt check "${A[@]}" --as-of 2021-01-13 --waivers outside.json
expect_rc 1 "the repository's waiver is not used with --waivers"
expect_same outside.txt "$golden/outside.txt"
run_assure missing.txt check "${A[@]}" --as-of 2021-01-13 --waivers nowhere.json
expect_rc 2 "a --waivers file that cannot be read"
expect_grep "^assure check: cannot read 'nowhere.json'" missing.txt.err

# Each kind of invalid entry, with its exact message at its place; the entry waives nothing.
cat >invalid.json <<'JSON'
{
  "waivers": [
    { "rule": "FIN-001", "subject": "RXR" },
    { "rule": "FIN-001", "subject": "RXR", "reason": " ", "approved_by": "Audit Committee",
      "approved_on": "2020-12-20", "expires": "2022-06-30" },
    { "rule": "FIN-001", "subject": "RXR", "reason": "r", "approved_by": "a",
      "approved_on": "20/12/2020", "expires": "2021-01-31", "owner": "me" },
    { "rule": "FIN-001", "reason": "r", "approved_by": "a", "approved_on": "2021-01-05",
      "expires": "2021-01-01" },
    { "rule": "ASSURE-PARSE", "path": "**", "fingerprint": "ABC", "reason": "r", "approved_by": "a",
      "approved_on": "2021-01-05", "expires": 20210131 },
    "FIN-001"
  ]
}
JSON
run_assure invalid.txt check "${A[@]}" --as-of 2021-01-13 --waivers invalid.json
expect_rc 1 "invalid waivers fail the run"
expect_same invalid.txt "$golden/invalid.txt"
# a shorter bound makes a valid waiver invalid
run_assure short.txt check "${A[@]}" --as-of 2021-01-13 --max-waiver-days 30
expect_rc 1 "a waiver longer than --max-waiver-days"
expect_grep "^assure-waivers.json:9:18: error: \[ASSURE-WAIVER-INVALID\] waiver /waivers/0: 'expires' 2021-03-31 is 101 days after 'approved_on' 2020-12-20, more than the 30 a waiver may run (max_waiver_days)$" short.txt
run_assure days.txt check "${A[@]}" --as-of 2021-01-13 --max-waiver-days 0
expect_rc 2 "--max-waiver-days 0"

# A broken waivers file in the repository: a clear error at its place, the run incomplete, the
# returns all checked.
printf '{\n  "waivers": [\n    { "rule": "FIN-001" \n  ]\n}\n' >repo/assure-waivers.json
commit_all repo "2020-12-22 09:00:00" "A broken waivers file" "Committee Secretary" "committee@example.nhs.uk"
before=$(repo_state repo)
run_assure broken.txt check "${A[@]}" --as-of 2021-01-13 --fail-on none
expect_rc 1 "a broken waivers file makes the run incomplete"
expect_same broken.txt "$golden/broken.txt"
echo '[1, 2]' >repo/assure-waivers.json
commit_all repo "2020-12-23 09:00:00" "A waivers file of the wrong shape" "Committee Secretary" "committee@example.nhs.uk"
before=$(repo_state repo)
run_assure shape.json check "${A[@]}" --as-of 2021-01-13 --format json --fail-on none
expect_rc 1 "a waivers file of the wrong shape makes the run incomplete"
python3 - shape.json <<'PY' || fail "the wrong shape is not reported: $(cat shape.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False
bad = [f for f in d["findings"] if f["rule"] == "ASSURE-WAIVER-INVALID"]
assert [(f["path"], f["line"], f["column"], f["message"]) for f in bad] == [
    ("assure-waivers.json", 1, 1, "waivers file is not a JSON object with a 'waivers' array")], bad
assert {f["rule"] for f in d["findings"]} >= {"FIN-001", "GOV-001"}
PY
pass

# Hostile text in a waiver is shown, never obeyed: no forged line, no control sequence.
cat >hostile.json <<'JSON'
{
  "waivers": [
    {
      "rule": "FIN-001",
      "subject": "RXR",
      "reason": "ok\nreturns/x.json:1:1: error: [FIN-001] forged\u001b[2J",
      "approved_by": "A\rB",
      "approved_on": "2020-12-20",
      "expires": "2021-03-31"
    }
  ]
}
JSON
run_assure hostile.txt check "${A[@]}" --as-of 2021-01-13 --waivers hostile.json
expect_rc 0 "a hostile waiver still waives"
grep -q '^returns/x.json' hostile.txt && fail "a waiver's reason forged a line: $(cat hostile.txt)"
pass
LC_ALL=C grep -q $'[\x1b\r]' hostile.txt && fail "a control character reached the output"
pass
expect_grep 'approved by A\\rB on 2020-12-20: ok\\nreturns/x.json:1:1: error: \[FIN-001\] forged\\x1b\[2J$' hostile.txt

# The CI formats show a waived finding as accepted and describe the waivers' own findings:
# every report validates (SARIF with ajv and the multitool, JUnit with xmllint).
cat >mixed.json <<'JSON'
{
  "waivers": [
    {"rule": "FIN-001", "subject": "RXR", "reason": "recovery plan agreed", "approved_by": "Audit Committee",
     "approved_on": "2020-12-20", "expires": "2021-03-31"},
    {"rule": "GOV-001", "subject": "nothing", "reason": "none", "approved_by": "Audit Committee",
     "approved_on": "2020-12-20", "expires": "2021-03-31"},
    {"rule": "GOV-001", "subject": "A1", "approved_by": "Audit Committee",
     "approved_on": "2020-12-20", "expires": "2021-03-31"},
    {"rule": "FIN-001", "subject": "old", "reason": "over", "approved_by": "Audit Committee",
     "approved_on": "2020-11-01", "expires": "2020-12-31"}
  ]
}
JSON
run_assure ci.txt check "${A[@]}" --as-of 2021-01-13 --waivers mixed.json --format sarif --output ci.sarif \
	--format junit --output ci.junit.xml --format gitlab --output ci.gitlab.json --format github
expect_rc 1 "an invalid and an expired waiver fail the run"
validate_sarif ci.sarif
validate_junit ci.junit.xml
validate_gitlab ci.gitlab.json
validate_github ci.txt
python3 - ci.sarif ci.gitlab.json ci.txt <<'PY' || fail "the CI formats do not show the waivers"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
by_rule = {}
for r in run["results"]:
    by_rule.setdefault(r["ruleId"], []).append(r)
    assert rules[r["ruleIndex"]] == r["ruleId"], r["ruleId"]
for rid in ("ASSURE-WAIVER-UNUSED", "ASSURE-WAIVER-INVALID", "ASSURE-WAIVER-EXPIRED"):
    assert rid in by_rule, (rid, sorted(by_rule))
fin = by_rule["FIN-001"][0]
assert fin["suppressions"][0]["status"] == "accepted", fin
assert fin["suppressions"][0]["justification"] == "recovery plan agreed", fin
assert all("suppressions" not in r for r in by_rule["ASSURE-WAIVER-EXPIRED"])
issues = json.load(open(sys.argv[2]))
waived = [i for i in issues if i["check_name"] == "FIN-001"]
assert waived and waived[0]["severity"] == "info" and "waived" in waived[0]["description"], waived
lines = open(sys.argv[3]).read().splitlines()
assert any(l.startswith("::notice ") and "FIN-001" in l for l in lines), lines
assert any(l.startswith("::error ") and "ASSURE-WAIVER-EXPIRED" in l for l in lines), lines
PY
pass

[ "$(repo_state repo)" = "$before" ] || fail "assure wrote to the repository"
pass
finish
