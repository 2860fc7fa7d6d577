#!/usr/bin/env bash
# End-to-end: the CI formats on hostile and broken input. A file named with a newline and a forged
# workflow command, a return whose text holds %, \r, \n, "::error", commas, colons, a clear-screen
# escape, a bell, a C1 control and a Unicode line separator, a file that is not JSON (ASSURE-PARSE),
# a rule that cannot be evaluated (ASSURE-EVAL) and a finding about the snapshot as a whole (no
# file). Every format must still validate, say the run is incomplete, start no second GitHub
# command and let no control character through.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns rules
evil=$'evil\n::error file=forged.json,line=1::forged%0A, a:b <x> & "q".json'
printf '{"items": [{"code": "A1 100%% %%0A \\r\\n::error file=x.json,line=1::forged, a:b \\u001b[2J\\u0007 \\u009b \\u2028 <x>&\\"'"'"'", "amount": 1}]}\n' >"repo/returns/$evil"
printf '{"items": [{"code": "B2", "amount": "not a number"}]}\n' >repo/returns/eval.json
printf '{"items": [{"code": "C3",, }]}\n' >repo/returns/broken.json
commit_all repo "2021-01-10 10:00:00" "hostile returns"
cat >rules/hostile.json <<'JSON'
{
  "ruleset": "e2e-hostile", "version": "1.0.0", "description": "rules that echo what a return says",
  "rules": [
    {"id": "HOS-001", "title": "An item is listed", "severity": "warning", "domain": "quality",
     "applies_to": {"paths": ["returns/**"]}, "for_each": "$.items[*]", "assert": "false",
     "message": "item {@.code} is listed", "subject": "@.code"},
    {"id": "HOS-002", "title": "An amount is positive", "severity": "error", "domain": "finance",
     "applies_to": {"paths": ["returns/**"]}, "for_each": "$.items[*]", "assert": "@.amount > 1",
     "message": "item {@.code} has amount {@.amount}", "subject": "@.code"},
    {"id": "HOS-003", "title": "The snapshot has returns", "severity": "info", "domain": "governance",
     "applies_to": {"paths": ["returns/eval.json"]}, "scope": "snapshot", "assert": "false",
     "message": "the snapshot holds {count($.returns)} returns", "subject": "'snapshot'"}
  ]
}
JSON
run_assure out.text check --repo repo --rules rules/hostile.json --as-of 2021-01-13 --repository-uri https://example.nhs.uk/r.git \
	--format sarif --output out.sarif --format junit --output out.junit.xml --format github --output out.github \
	--format gitlab --output out.gitlab.json --format json --output out.json --format text
expect_rc 1 "incomplete and with findings"
expect_grep "ASSURE-PARSE" out.text
expect_grep "ASSURE-EVAL" out.text
expect_grep "^(snapshot): info: \[HOS-003\]" out.text

validate_sarif out.sarif
validate_junit out.junit.xml
validate_gitlab out.gitlab.json
validate_github out.github

# GitHub: one command a line, none forged; the escapes are GitHub's
# (the text report has a line per finding, a summary and the incomplete line; GitHub one command
# per finding and one saying the run is incomplete)
[ "$(grep -c '' out.github)" -eq "$(($(grep -c '' out.text) - 1))" ] ||
	fail "not one GitHub command per finding: $(cat -v out.github)"
pass
grep -q -E '^::error file=forged' out.github && fail "the file name started a second command"
pass
expect_grep '^::warning file=returns/evil\\n%3A%3Aerror file=forged.json%2Cline=1%3A%3Aforged%250A%2C a%3Ab <x> & "q".json,line=1,col=' out.github
expect_grep 'item A1 100%25 %250A \\r\\n::error file=x.json,line=1::forged, a:b \\x1b\[2J\\x07 \\u009b \\u2028' out.github
expect_grep '^::error title=assure%3A the check is incomplete::' out.github

# The JSON formats carry the text exactly, but write as \u escapes what JSON allows raw and a
# terminal may take for a control or a line break: DEL, C1 controls (CSI U+009B), U+2028.
for f in out.sarif out.gitlab.json out.json; do
	LC_ALL=C grep -q $'\x7f\|\xc2[\x80-\x9f]\|\xe2\x80[\xa8\xa9]' "$f" && fail "$f holds a raw C1 control or line separator"
	grep -q '\\u009b \\u2028' "$f" || fail "$f does not escape U+009B and U+2028"
	pass
done
python3 - out.json <<'PY' || fail "the JSON report does not carry the hostile text exactly"
import json, sys
msgs = [f["message"] for f in json.load(open(sys.argv[1]))["findings"]]
assert any("\u009b \u2028" in m for m in msgs), msgs
PY
pass

python3 - out.sarif out.junit.xml out.gitlab.json "$evil" <<'PY' || fail "the formats do not say the run is incomplete or mangle the hostile text"
import json, sys, urllib.parse, xml.etree.ElementTree as ET
sarif = json.load(open(sys.argv[1]))
run = sarif["runs"][0]
inv = run["invocations"][0]
assert inv["executionSuccessful"] is False, inv
assert inv["toolExecutionNotifications"][0]["level"] == "error"
rules = {r["ruleId"] for r in run["results"]}
assert {"ASSURE-PARSE", "ASSURE-EVAL", "HOS-001", "HOS-003"} <= rules, rules
evil = sys.argv[4]
by_uri = {}
for r in run["results"]:
    loc = r["locations"][0]
    if "physicalLocation" in loc:
        by_uri.setdefault(urllib.parse.unquote(loc["physicalLocation"]["artifactLocation"]["uri"]), []).append(r)
    else:
        # the snapshot as a whole: no file, the subject as a logical location
        assert r["ruleId"] == "HOS-003" and loc["logicalLocations"][0]["fullyQualifiedName"] == "snapshot", r
assert "returns/" + evil in by_uri, sorted(by_uri)
uri = [r for r in run["results"] if "physicalLocation" in r["locations"][0] and "evil" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
assert "\n" not in uri and " " not in uri and "%0A" in uri, uri
msg = [r for r in by_uri["returns/" + evil] if r["ruleId"] == "HOS-001"][0]["message"]["text"]
assert "\x1b[2J\x07" in msg and "\r\n::error" in msg, repr(msg)  # JSON carries the text exactly, escaped
parse = [r for r in run["results"] if r["ruleId"] == "ASSURE-PARSE"][0]
assert parse["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "returns/broken.json"
root = ET.parse(sys.argv[2]).getroot()
suite = {s.get("name"): s for s in root.findall("testsuite")}
assert int(suite["ASSURE-PARSE"].get("failures")) == 1 and int(suite["ASSURE-EVAL"].get("failures")) >= 1
text = open(sys.argv[2], encoding="utf-8").read()
assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, "a control character in the JUnit XML"
gitlab = json.load(open(sys.argv[3]))
assert [g["location"]["path"] for g in gitlab if g["check_name"] == "HOS-003"] == ["."]
assert any(g["location"]["path"] == "returns/" + evil for g in gitlab)
PY
pass

# The reports with a waived finding that tests/unit/test_report.c compares with its golden files
# validate too: a suppression, a skipped test case, a notice and an info issue are each valid.
w="$ASSURE_SOURCE_DIR/fixtures/golden/report/waived"
validate_sarif "$w.sarif"
validate_junit "$w.junit.xml"
validate_gitlab "$w.gitlab.json"
validate_github "$w.github"
finish
