#!/usr/bin/env bash
# End-to-end: waivers in an audit and in history (docs/waivers.md). Each commit's waivers apply
# as they stood at that commit: a waiver added in a later commit waives from there on, one
# extended by the author who introduced the breach (or added in the commit that introduced it)
# gives ASSURE-WAIVER-SELF naming both, one removed stops waiving; history shows the waived
# spans; a finding waived at the last commit does not fail the audit; --waivers and
# --no-waivers apply to every commit. Text, JSON, Markdown and HTML mark what is waived.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/e2e/audit_waivers"
rules="$ASSURE_SOURCE_DIR/fixtures/e2e/check/rules"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/f
# waivers NAME:EXPIRES...: the waivers file, one FIN-001 waiver per subject
waivers() {
	python3 - "$@" <<'PY'
import json, sys
ws = []
for a in sys.argv[1:]:
    subject, expires = a.split(":")
    ws.append({"rule": "FIN-001", "subject": subject, "reason": "recovery plan for " + subject,
               "approved_by": "Audit Committee", "approved_on": "2020-12-01", "expires": expires})
json.dump({"waivers": ws}, open("repo/assure-waivers.json", "w"), indent=2)
PY
}
echo '{"kind": "finance", "org": "RXR", "forecast": {"outturn": -17.7, "control_total": -16.6}}' >repo/returns/f/rxr.json
commit_all repo "2020-12-01 09:00:00" "RXR return" "Finance Lead" "finance@example.nhs.uk"
waivers RXR:2021-03-31
commit_all repo "2020-12-10 09:00:00" "Audit Committee waives RXR" "Committee Secretary" "committee@example.nhs.uk"
echo '{"kind": "finance", "org": "RXN", "forecast": {"outturn": -21.7, "control_total": -16.6}}' >repo/returns/f/rxn.json
waivers RXR:2021-03-31 RXN:2021-03-31
commit_all repo "2020-12-15 09:00:00" "RXN return, and a waiver for it" "Finance Lead" "finance@example.nhs.uk"
waivers RXR:2021-06-30 RXN:2021-03-31
commit_all repo "2020-12-20 09:00:00" "Extend the RXR waiver" "Finance Lead" "finance@example.nhs.uk"
waivers RXN:2021-03-31
commit_all repo "2020-12-28 09:00:00" "Drop the RXR waiver" "Committee Secretary" "committee@example.nhs.uk"
before=$(repo_state repo)
A=(--repo repo --rules "$rules" --quiet)

run_assure audit.txt audit "${A[@]}"
expect_rc 1 "RXR unwaived and a self-approval at the end fail the audit"
expect_same audit.txt "$golden/audit.txt"
# the commit before any waiver shows none; the committee's waiver marks RXR from its commit on
expect_grep '^  findings: 1 error, 0 warnings, 0 info; 1 new, 0 resolved, 0 persisting$' audit.txt
expect_grep '^  findings: 1 error, 0 warnings, 0 info (1 waived); 0 new, 0 resolved, 1 persisting$' audit.txt
run_assure audit.json audit "${A[@]}" --format json
expect_rc 1 "audit, json"
python3 - audit.json <<'PY' || fail "the JSON audit does not show the waivers as they stood"
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["subject"]: x for x in d["commits"]}
assert "waived" not in c["RXR return"], c["RXR return"]
assert c["Audit Committee waives RXR"]["waived"] == {"error": 1, "warning": 0, "info": 0, "total": 1}
new = {f["subject"]: f for f in c["RXN return, and a waiver for it"]["new"]}
assert new["RXN"]["waiver"]["where"] == "assure-waivers.json#/waivers/1", new["RXN"]
selfs = [f for f in new.values() if f["rule"] == "ASSURE-WAIVER-SELF"]
assert len(selfs) == 1 and "in the commit that introduced it" in selfs[0]["message"], selfs
ext = [f for f in c["Extend the RXR waiver"]["new"] if f["rule"] == "ASSURE-WAIVER-SELF"]
assert len(ext) == 1 and "who introduced it in" in ext[0]["message"], ext
spans = [f for f in c["RXR return"]["new"] if f["subject"] == "RXR"][0]["interval"]["waived"]
ids = {x["subject"]: x["id"] for x in d["commits"]}
assert [(s["from"], s["to"], s["waiver"]["expires"]) for s in spans] == [
    (ids["Audit Committee waives RXR"], ids["Extend the RXR waiver"], "2021-03-31"),
    (ids["Extend the RXR waiver"], ids["Drop the RXR waiver"], "2021-06-30")], spans
last = c["Drop the RXR waiver"]
assert last["waived"]["error"] == 1 and last["counts"]["error"] == 3, last
PY
pass

# history: the waived spans of each interval
run_assure history.txt history "${A[@]}" --rule FIN-001
expect_rc 0 "history"
expect_same history.txt "$golden/history.txt"
run_assure history.json history "${A[@]}" --rule FIN-001 --format json
python3 - history.json <<'PY' || fail "the JSON history has no waived spans"
import json, sys
d = json.load(open(sys.argv[1]))
g = {x["subject"]: x for x in d["findings"]}
assert len(g["RXR"]["intervals"][0]["waived"]) == 2
assert g["RXN"]["intervals"][0]["waived"][0]["to"] is None
PY
pass

# history selects the waivers' own findings by their rule id, as any tool finding
run_assure self.txt history "${A[@]}" --rule ASSURE-WAIVER-SELF
expect_rc 0 "history of the self-approvals"
expect_grep '^assure-waivers.json ASSURE-WAIVER-SELF error \[self ' self.txt
expect_grep '^2 intervals of 2 findings, 1 open at the end' self.txt

# the last commit's waivers decide the exit: waive RXR again, by the committee, and the
# self-approvals are gone with the entries changed by someone else
waivers RXR:2021-06-30 RXN:2021-03-31
commit_all repo "2020-12-29 09:00:00" "The committee re-approves both" "Committee Secretary" "committee@example.nhs.uk"
sed -i 's/2020-12-01/2020-12-29/' repo/assure-waivers.json
commit_all repo "2020-12-30 09:00:00" "Approval dates" "Committee Secretary" "committee@example.nhs.uk"
before=$(repo_state repo)
run_assure clean.txt audit "${A[@]}"
expect_rc 0 "everything open at the end is waived by the committee"
expect_grep '^  findings: 2 errors, 0 warnings, 0 info (2 waived); 0 new, 1 resolved, 2 persisting$' clean.txt
# --no-waivers: every commit as if there were none
run_assure none.txt audit "${A[@]}" --no-waivers
expect_rc 1 "--no-waivers fails on the breaches"
grep -q -e 'waived' -e 'ASSURE-WAIVER' none.txt && fail "--no-waivers shows a waiver"
pass
# --waivers FILE: the same file for every commit, from outside the repository (no self-approval:
# the audit cannot know who wrote it)
cat >outside.json <<'JSON'
{ "waivers": [ { "rule": "FIN-001", "path": "returns/**", "reason": "system recovery plan",
                 "approved_by": "ICS Board", "approved_on": "2020-12-01", "expires": "2021-03-31" } ] }
JSON
run_assure outside.txt audit "${A[@]}" --waivers outside.json
expect_rc 0 "every breach waived from outside the repository"
grep -q 'ASSURE-WAIVER-SELF' outside.txt && fail "a waiver from outside the repository was judged self-approved"
pass
expect_grep '^      waived until 2021-03-31 by outside.json#/waivers/0, approved by ICS Board on 2020-12-01: system recovery plan$' outside.txt

# Markdown and HTML mark a waived new finding
run_assure audit.md audit "${A[@]}" --format markdown
expect_grep 'rxn.json.*\*\*Waived\*\* until 2021-03-31 by assure-waivers.json\\#/waivers/1' audit.md
run_assure html.txt audit "${A[@]}" --format html --out html
grep -rq 'class="waived">waived until 2021-03-31 by assure-waivers.json#/waivers/1' html/commits || fail "the HTML audit does not mark the waived finding"
pass

# A hostile waiver cannot forge a line, a table cell or markup in any audit format.
cat >repo/assure-waivers.json <<'JSON'
{ "waivers": [ { "rule": "FIN-001", "subject": "RXR",
  "reason": "ok\ncommit 0000000000000000000000000000000000000000\u001b[2J | <script>x</script> **b**",
  "approved_by": "A\rB", "approved_on": "2020-12-29", "expires": "2021-03-31" } ] }
JSON
commit_all repo "2020-12-31 09:00:00" "A hostile waiver" "Committee Secretary" "committee@example.nhs.uk"
before=$(repo_state repo)
run_assure hostile.txt audit "${A[@]}" HEAD~1..HEAD
grep -q '^commit 0000000000000000000000000000000000000000' hostile.txt && fail "a waiver forged a commit line"
pass
LC_ALL=C grep -q $'[\x1b\r]' hostile.txt && fail "a control character reached the text audit"
pass
expect_grep 'approved by A\\rB on 2020-12-29: ok\\ncommit 0\{40\}\\x1b\[2J | <script>' hostile.txt
run_assure hostile.md audit "${A[@]}" HEAD~1..HEAD --format markdown
grep -q '<script>' hostile.md && fail "markup reached the Markdown audit"
pass
grep -F 'Waived' hostile.md | grep -q ' | <' && fail "a waiver's text opened a Markdown table cell"
pass
run_assure hostile.html audit "${A[@]}" HEAD~1..HEAD --format html --out hostile-html
grep -rq '<script>' hostile-html && fail "markup reached the HTML audit"
pass
run_assure hostile-history.txt history "${A[@]}" --rule FIN-001 --subject RXR
LC_ALL=C grep -q $'[\x1b\r]' hostile-history.txt && fail "a control character reached the history"
pass

[ "$(repo_state repo)" = "$before" ] || fail "assure wrote to the repository"
pass
finish
