#!/usr/bin/env bash
# End-to-end golden test of the CI formats: the demo repository's HEAD checked once, writing SARIF,
# JUnit, GitHub workflow commands and GitLab code quality to files and the text report to standard
# output, each compared byte for byte with fixtures/golden/check/ and validated: SARIF with ajv
# against the schema and with Microsoft's SARIF multitool (GitHub's rules), JUnit with xmllint
# against both schemas, GitLab's structure, GitHub's one command a line. Regenerate after a
# deliberate change with ASSURE_UPDATE_GOLDEN=1 and review the diff.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/golden/check"
cd "$TEST_TMP"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo-repo >/dev/null
R=(--repo demo-repo --rules "$ASSURE_SOURCE_DIR/rules/lsc-saf" --as-of 2021-01-13)
uri=https://example.nhs.uk/returns/demo.git

run_assure demo.txt check "${R[@]}" --repository-uri "$uri" --format sarif --output demo.sarif \
	--format junit --output demo.junit.xml --format github --output demo.github \
	--format gitlab --output demo.gitlab.json --format text
expect_rc 1 "the demo's HEAD has errors"
# the text on standard output is the one demo_check.sh's golden holds: one evaluation, every report
expect_same demo.txt "$golden/demo.txt"
for f in demo.sarif demo.junit.xml demo.github demo.gitlab.json; do
	expect_same "$f" "$golden/$f"
done
# each format alone gives the same bytes as in the run that wrote them all
for fmt in sarif:demo.sarif junit:demo.junit.xml github:demo.github gitlab:demo.gitlab.json; do
	run_assure alone check "${R[@]}" --repository-uri "$uri" --format "${fmt%%:*}"
	expect_rc 1 "--format ${fmt%%:*} alone"
	cmp alone "${fmt#*:}" || fail "--format ${fmt%%:*} alone differs from the report of the run with several"
	pass
done

validate_sarif demo.sarif
validate_junit demo.junit.xml
validate_gitlab demo.gitlab.json
validate_github demo.github

# What the formats say of the demo, against the JSON report of the same check.
run_assure demo.json check "${R[@]}" --format json
python3 - demo.json demo.sarif demo.junit.xml demo.gitlab.json demo.github "$uri" <<'PY' || fail "the formats disagree with the JSON report"
import json, sys, xml.etree.ElementTree as ET
report = json.load(open(sys.argv[1]))
sarif = json.load(open(sys.argv[2]))
findings = report["findings"]
run = sarif["runs"][0]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
tool = ["ASSURE-PARSE", "ASSURE-EVAL", "ASSURE-LIMIT", "ASSURE-WAIVER-INVALID", "ASSURE-WAIVER-EXPIRED",
        "ASSURE-WAIVER-UNUSED", "ASSURE-WAIVER-SELF"]
assert ids[-len(tool):] == tool, ids[-len(tool):]
assert len(ids) == report["rules"]["count"] + len(tool) and len(set(ids)) == len(ids)
assert run["invocations"][0]["executionSuccessful"] is True
vcp = run["versionControlProvenance"][0]
assert vcp["repositoryUri"] == sys.argv[6] and vcp["revisionId"] == report["source"]["commit"], vcp
results = run["results"]
assert len(results) == len(findings)
level = {"error": "error", "warning": "warning", "info": "note"}
for f, r in zip(findings, results):
    assert r["ruleId"] == f["rule"] and ids[r["ruleIndex"]] == f["rule"], r
    assert r["level"] == level[f["severity"]] and r["message"]["text"] == f["message"]
    loc = r["locations"][0]
    phys = loc["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": f["path"], "uriBaseId": "SRCROOT"}, phys
    assert phys["region"] == {"startLine": f["line"], "startColumn": f["column"]}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == f["pointer"]
    assert r["partialFingerprints"] == {"assureFingerprint/v1": f["fingerprint"]}
    assert "suppressions" not in r
# JUnit: a suite per rule; a failure per finding, in its rule's suite
suites = ET.parse(sys.argv[3]).getroot().findall("testsuite")
assert [s.get("name") for s in suites] == ids
failures = [(s.get("name"), c.find("failure").get("message")) for s in suites for c in s.findall("testcase") if c.find("failure") is not None]
assert sorted(failures) == sorted((f["rule"], f["message"]) for f in findings)
for s in suites:
    assert int(s.get("failures")) == len(s.findall("testcase/failure")) and int(s.get("tests")) == len(s.findall("testcase"))
gitlab = json.load(open(sys.argv[4]))
sev = {"error": "major", "warning": "minor", "info": "info"}
assert [(g["check_name"], g["fingerprint"], g["severity"], g["location"]["path"], g["location"]["lines"]["begin"]) for g in gitlab] == \
    [(f["rule"], f["fingerprint"], sev[f["severity"]], f["path"], f["line"]) for f in findings]
lines = open(sys.argv[5]).read().splitlines()
cmd = {"error": "error", "warning": "warning", "info": "notice"}
assert len(lines) == len(findings)
for f, line in zip(findings, lines):
    assert line.startswith("::%s file=%s,line=%d,col=%d,title=[%s] " % (cmd[f["severity"]], f["path"], f["line"], f["column"], f["rule"])), line
PY
pass

# --help, the manual page and the error for an unknown format list what the table holds
run_assure help.txt check --help
expect_grep 'report format (default text): text, json, sarif, junit, github, gitlab' help.txt
expect_grep '^  gitlab     GitLab code quality JSON$' help.txt
expect_grep 'text, json, sarif, junit, github, gitlab' "$ASSURE_SOURCE_DIR/docs/assure.1"
run_assure help.txt audit --help
expect_grep 'report format (default text): text, json, markdown, html' help.txt
expect_grep '^  markdown   a Markdown document for a committee pack$' help.txt
run_assure bad.txt check "${R[@]}" --format sarf
expect_rc 2 "an unknown format"
expect_grep "^assure check: unknown format 'sarf' (text, json, sarif, junit, github, gitlab)$" bad.txt.err
run_assure bad.txt audit --repo demo-repo --format pdf
expect_rc 2 "an unknown audit format"
expect_grep "^assure audit: unknown format 'pdf' (text, json, markdown, html" bad.txt.err
finish
