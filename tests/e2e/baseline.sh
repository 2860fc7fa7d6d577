#!/usr/bin/env bash
# End-to-end: failing only on what got worse (docs/baseline.md): check --baseline REV and
# --baseline-file FILE report and fail on only the findings the baseline lacks and count what
# it hid; assure diff lists the findings new in HEAD and those it resolved, text and JSON, and
# exits 1 only for a new finding at or above --fail-on.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/e2e/baseline"
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
cat >repo/returns/2020-21/finance/rxn.json <<'JSON'
{
  "kind": "finance",
  "org": "RXN",
  "forecast": { "outturn": -20.6, "control_total": -20.6 }
}
JSON
cat >repo/returns/2020-21/board/actions.json <<'JSON'
{
  "kind": "action_log",
  "actions": [ { "code": "ICSB200304-02", "status": "In progress", "due": "December 2020" } ]
}
JSON
commit_all repo "2020-12-15 10:30:00" "M08 returns" "Finance Lead" "finance@example.nhs.uk"
# the next commit makes RXN worse, reformats RXR (a moved line, the same breach) and closes the action
cat >repo/returns/2020-21/finance/rxn.json <<'JSON'
{
  "kind": "finance",
  "org": "RXN",
  "forecast": { "outturn": -21.6, "control_total": -20.6 }
}
JSON
cat >repo/returns/2020-21/finance/rxr.json <<'JSON'
{
  "kind": "finance",

  "org": "RXR",
  "forecast": {
    "outturn": -17.9,
    "control_total": -16.6
  }
}
JSON
sed -i 's/In progress/Complete/' repo/returns/2020-21/board/actions.json
commit_all repo "2021-01-05 16:45:00" "M09 returns" "Finance Lead" "finance@example.nhs.uk"
before=$(repo_state repo)
A=(--repo repo --rules "$rules" --as-of 2021-01-13)

# --baseline REV: only RXN's new breach is reported and fails; RXR's moved breach is hidden.
run_assure base.txt check "${A[@]}" --baseline HEAD~1
expect_rc 1 "a new breach fails against the baseline"
expect_same base.txt "$golden/base.txt"
run_assure base.json check "${A[@]}" --baseline HEAD~1 --format json
expect_rc 1 "a new breach fails against the baseline, json"
python3 - base.json <<'PY' || fail "the JSON report does not say what the baseline hid: $(cat base.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["baseline"]["source"] == "HEAD~1" and d["baseline"]["hidden"] == 1, d["baseline"]
assert len(d["baseline"]["commit"]) == 40
assert [(f["rule"], f["subject"]) for f in d["findings"]] == [("FIN-001", "RXN")], d["findings"]
assert d["counts"]["error"] == 1 and d["counts"]["total"] == 1
PY
pass
# against itself nothing is new: exit 0, everything hidden
run_assure self.txt check "${A[@]}" --baseline HEAD
expect_rc 0 "nothing is new against the same commit"
expect_grep '^0 errors, 0 warnings, 0 info in 3 files checked' self.txt
expect_grep '^baseline HEAD (commit [0-9a-f]\{12\}): 2 findings it already had not shown$' self.txt
# the working tree against HEAD (a pre-commit check)
sed -i 's/"outturn": -21.6/"outturn": -25.6/' repo/returns/2020-21/finance/rxn.json
sed -i 's/"outturn": -17.9/"outturn": -16.6/' repo/returns/2020-21/finance/rxr.json
run_assure wt.txt check "${A[@]}" --worktree --baseline HEAD
expect_rc 0 "the working tree fixes RXR and makes RXN worse: nothing new"
expect_grep '^baseline HEAD (commit [0-9a-f]\{12\}): 1 finding it already had not shown$' wt.txt
git -C repo checkout -q -- .
before=$(repo_state repo)

# --baseline-file: the same against a saved report.
run_assure saved.json check "${A[@]}" --rev HEAD~1 --format json --fail-on none
expect_rc 0 "saving the baseline report"
run_assure file.txt check "${A[@]}" --baseline-file saved.json
expect_rc 1 "a new breach fails against the saved report"
sed 's/^baseline HEAD~1 (commit [0-9a-f]*)/baseline saved.json/' "$golden/base.txt" >expected-file.txt
expect_same file.txt expected-file.txt
# a bad baseline file is an error naming the file, the place and the problem
python3 - saved.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["findings"][1]["fingerprint"] = "not-a-fingerprint"
json.dump(d, open("bad.json", "w"), indent=2)
PY
run_assure bad.txt check "${A[@]}" --baseline-file bad.json
expect_rc 2 "a bad baseline file"
line=$(grep -n '"not-a-fingerprint"' bad.json | cut -d: -f1)
expect_grep "^assure: bad.json:$line:22: /findings/1/fingerprint: 'fingerprint' is not 40 lower-case hexadecimal digits$" bad.txt.err
echo '{"format": "assure-audit/1"}' >audit.json
run_assure audit.txt check "${A[@]}" --baseline-file audit.json
expect_rc 2 "a report of another format"
expect_grep "^assure: audit.json:1:12: /format: not a report of assure check --format json (format 'assure-report/1' expected)$" audit.txt.err
run_assure both.txt check "${A[@]}" --baseline HEAD --baseline-file saved.json
expect_rc 2 "--baseline and --baseline-file together"
run_assure norepo.txt check repo/returns --baseline HEAD --rules "$rules"
expect_rc 2 "--baseline without --repo"
expect_grep "^assure check: --baseline needs --repo DIR" norepo.txt.err
run_assure unknown.txt check "${A[@]}" --baseline nosuchrev
expect_rc 2 "a baseline that does not resolve"

# assure diff: new and resolved, text and JSON; BASE..HEAD is the same as BASE HEAD.
run_assure diff.txt diff "${A[@]}" HEAD~1 HEAD
expect_rc 1 "a new error fails the diff"
expect_same diff.txt "$golden/diff.txt"
run_assure diff2.txt diff "${A[@]}" HEAD~1..HEAD
expect_rc 1 "BASE..HEAD"
cmp -s diff.txt diff2.txt || fail "BASE..HEAD differs from BASE HEAD"
pass
run_assure diff.json diff "${A[@]}" --format json HEAD~1 HEAD
expect_rc 1 "diff, json"
expect_same diff.json "$golden/diff.json"
python3 - diff.json <<'PY' || fail "the JSON diff is not assure-diff/1 with one new and one resolved"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "assure-diff/1" and d["complete"] is True
assert [(f["rule"], f["subject"]) for f in d["new"]] == [("FIN-001", "RXN")]
assert [(f["rule"], f["subject"]) for f in d["resolved"]] == [("GOV-001", "ICSB200304-02")]
assert d["counts"] == {"error": 1, "warning": 0, "info": 0, "waived": 0, "new": 1, "resolved": 1}
PY
pass
# the other way round: what HEAD~1 adds to HEAD is a warning: it fails only with --fail-on warning
run_assure back.txt diff "${A[@]}" HEAD HEAD~1
expect_rc 0 "a new warning does not fail at --fail-on error"
expect_grep '^new: returns/2020-21/board/actions.json:3:16: warning: \[GOV-001\]' back.txt
expect_grep '^resolved: returns/2020-21/finance/rxn.json:4:15: error: \[FIN-001\]' back.txt
run_assure back2.txt diff "${A[@]}" --fail-on warning HEAD HEAD~1
expect_rc 1 "a new warning fails at --fail-on warning"
# a waiver in HEAD accepts the new breach: listed as new and waived, and the diff passes
cat >waivers.json <<'JSON'
{ "waivers": [ { "rule": "FIN-001", "subject": "RXN", "reason": "agreed deficit", "approved_by": "Audit Committee",
                 "approved_on": "2021-01-06", "expires": "2021-03-31" } ] }
JSON
run_assure waived.txt diff "${A[@]}" --waivers waivers.json HEAD~1 HEAD
expect_rc 0 "a waived new finding does not fail the diff"
expect_grep '^new: returns/2020-21/finance/rxn.json:4:15: waived error: \[FIN-001\]' waived.txt
expect_grep '^    waived until 2021-03-31 by waivers.json#/waivers/0' waived.txt
# usage errors
run_assure u1.txt diff "${A[@]}" HEAD
expect_rc 2 "diff with one commit"
expect_grep "^assure diff: give two commits, BASE HEAD or BASE..HEAD$" u1.txt.err
run_assure u2.txt diff --rules "$rules" HEAD~1 HEAD
expect_rc 2 "diff without --repo"
run_assure u3.txt diff "${A[@]}" --format sarif HEAD~1 HEAD
expect_rc 2 "diff with an unknown format"
run_assure u4.txt diff "${A[@]}" HEAD~1 nosuchrev
expect_rc 2 "diff with a commit that does not resolve"

[ "$(repo_state repo)" = "$before" ] || fail "assure wrote to the repository"
pass
finish
