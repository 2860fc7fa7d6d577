#!/usr/bin/env bash
# End-to-end: several reports from one check (--format F --output FILE ...), their usage errors,
# files written whole or not at all with the file named on failure, the repository URI SARIF names
# (--repository-uri, remote.origin.url without credentials, none for a local path), and that each
# validator of the format tests rejects what it must (so that their passes mean something).
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/board
cat >repo/returns/board/actions.json <<'JSON'
{"actions": [{"code": "A1", "status": "Open", "due": "2020-12-01"}]}
JSON
commit_all repo "2021-01-10 10:00:00" "actions"
R=(--repo repo --rules "$ASSURE_SOURCE_DIR/fixtures/e2e/check/rules" --as-of 2021-01-13 --fail-on none)
before=$(repo_state repo)

# usage errors: each --output pairs with the --format before it, one report to standard output
run_assure out check "${R[@]}" --output a.sarif
expect_rc 2 "--output without --format"
expect_grep "^assure check: --output 'a.sarif' has no --format before it" out.err
run_assure out check "${R[@]}" --output a.sarif --format sarif
expect_rc 2 "--output before its --format"
expect_grep "has no --format before it" out.err
run_assure out check "${R[@]}" --format json --format text
expect_rc 2 "two formats to standard output"
expect_grep "^assure check: --format json and --format text both go to standard output" out.err
run_assure out check "${R[@]}" --format sarif --output a.sarif --output b.sarif
expect_rc 2 "two outputs for one format"
expect_grep "^assure check: --format sarif has two outputs, 'a.sarif' and 'b.sarif'" out.err
run_assure out check "${R[@]}" --format sarif --output a.out --format json --output a.out
expect_rc 2 "one file for two formats"
expect_grep "^assure check: --output 'a.out' is given twice" out.err
run_assure out check "${R[@]}" --format sarif --repository-uri returns.git
expect_rc 2 "a relative repository URI"
expect_grep "^assure check: --repository-uri 'returns.git' is not an absolute URI" out.err
[ ! -e a.sarif ] && [ ! -e b.sarif ] && [ ! -e a.out ] || fail "a usage error wrote a report"
pass

# one run, three reports, none to standard output but the unpaired one
run_assure out.txt check "${R[@]}" --format json --output r.json --format github --output r.github --format text
expect_rc 0 "three reports"
expect_grep "^returns/board/actions.json:1:" out.txt
run_assure alone.json check "${R[@]}" --format json
cmp alone.json r.json || fail "--output wrote other bytes than standard output gets"
pass
run_assure out.txt check "${R[@]}" --format json --output only.json
expect_rc 0 "one report to a file"
[ ! -s out.txt ] || fail "a report went to standard output when every format has a file: $(cat out.txt)"
pass

# a file that cannot be written is named, the others are still written, the run says so (exit 2),
# and nothing half-written or temporary is left
mkdir taken.sarif
echo old >kept.json
run_assure out.txt check "${R[@]}" --format sarif --output taken.sarif --format json --output missing/r.json \
	--format gitlab --output ok.json --format text
expect_rc 2 "an unwritable output"
expect_grep "^assure: cannot write 'taken.sarif': " out.txt.err
expect_grep "^assure: cannot write 'missing/r.json': No such file or directory" out.txt.err
[ -d taken.sarif ] && [ -z "$(ls -A taken.sarif)" ] || fail "the folder in the way was changed"
pass
validate_gitlab ok.json
expect_grep "^returns/board/actions.json:1:" out.txt
ls -a | grep -q '\.tmp-' && fail "a temporary file was left: $(ls -a)"
pass
# an existing file is replaced whole
run_assure out.txt check "${R[@]}" --format json --output kept.json
cmp kept.json alone.json || fail "the report did not replace the file whole"
pass

# a symbolic link keeps pointing at the report it names; what is not a regular file (a FIFO here,
# as /dev/stdout would be) is written as it is, never renamed over
echo old >target.json
ln -s target.json link.json
run_assure out.txt check "${R[@]}" --format json --output link.json
[ -L link.json ] && cmp target.json alone.json || fail "the link was replaced, or its file not written"
pass
mkfifo pipe
cat pipe >from-pipe.json &
reader=$!
run_assure out.txt check "${R[@]}" --format json --output pipe
if [ ! -p pipe ]; then # renamed over: the reader waits on a FIFO nobody can open any more
	kill "$reader"
	fail "the FIFO was replaced by a file"
fi
wait "$reader"
expect_rc 0 "a report to a FIFO"
cmp from-pipe.json alone.json || fail "the FIFO did not get the report"
pass

# the repository URI of SARIF's versionControlProvenance
vcp() { # SARIF FILE: the repositoryUri, or "none"
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print(r["versionControlProvenance"][0]["repositoryUri"] if "versionControlProvenance" in r else "none")' "$1"
}
run_assure s.sarif check "${R[@]}" --format sarif
[ "$(vcp s.sarif)" = none ] || fail "a repository without a remote named one: $(vcp s.sarif)"
pass
[ "$(repo_state repo)" = "$before" ] || fail "a check wrote to the repository"
pass
git -C repo config remote.origin.url "https://ci-bot:s3cret-token@git.example.nhs.uk/ics/returns.git"
run_assure s.sarif check "${R[@]}" --format sarif
[ "$(vcp s.sarif)" = "https://git.example.nhs.uk/ics/returns.git" ] || fail "remote.origin.url: $(vcp s.sarif)"
pass
grep -q s3cret s.sarif && fail "the credentials of remote.origin.url reached the report"
pass
validate_sarif s.sarif
git -C repo config remote.origin.url "git@github.com:nhs-ics/returns.git"
run_assure s.sarif check "${R[@]}" --format sarif
[ "$(vcp s.sarif)" = "ssh://git@github.com/nhs-ics/returns.git" ] || fail "scp-like remote: $(vcp s.sarif)"
pass
git -C repo config remote.origin.url "/srv/git/returns.git"
before=$(repo_state repo)
run_assure s.sarif check "${R[@]}" --format sarif
[ "$(vcp s.sarif)" = none ] || fail "a local path named the repository: $(vcp s.sarif)"
pass
run_assure s.sarif check "${R[@]}" --format sarif --repository-uri https://example.nhs.uk/r.git
[ "$(vcp s.sarif)" = "https://example.nhs.uk/r.git" ] || fail "--repository-uri: $(vcp s.sarif)"
pass
python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["runs"][0]["versionControlProvenance"][0]; assert len(v["revisionId"]) == 40 and v["mappedTo"] == {"uriBaseId": "SRCROOT"}, v' s.sarif ||
	fail "versionControlProvenance does not name the commit"
pass
run_assure s.sarif check "${R[@]}" --worktree --format sarif --repository-uri https://example.nhs.uk/r.git
[ "$(vcp s.sarif)" = none ] || fail "a working tree is no commit, yet provenance names one"
pass
[ "$(repo_state repo)" = "$before" ] || fail "a check wrote to the repository"
pass

# plain files: relative paths under the base id, a file given by its absolute path as a file: URI
mkdir -p plain/returns/board
cp repo/returns/board/actions.json plain/returns/board/
cat >plain.json <<'JSON'
{"ruleset": "e2e-plain", "version": "1.0.0", "description": "one rule on any actions.json",
 "rules": [{"id": "GOV-001", "title": "An action is open", "severity": "warning", "domain": "governance",
   "applies_to": {"paths": ["**/actions.json"]}, "for_each": "$.actions[*]", "assert": "false",
   "message": "action {@.code} is open", "subject": "@.code"}]}
JSON
run_assure p.sarif check --rules plain.json --as-of 2021-01-13 --format sarif \
	plain/returns/board/actions.json "$PWD/plain/returns/board/actions.json"
python3 - p.sarif "$PWD" <<'PY' || fail "the locations of plain files"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert "versionControlProvenance" not in run
arts = sorted(json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"], sort_keys=True) for r in run["results"])
want = sorted([json.dumps({"uri": "plain/returns/board/actions.json", "uriBaseId": "SRCROOT"}, sort_keys=True),
               json.dumps({"uri": "file://" + sys.argv[2] + "/plain/returns/board/actions.json"}, sort_keys=True)])
assert arts == want, arts
PY
pass
validate_sarif p.sarif

# each validator rejects what it must
python3 - s.sarif bad.sarif <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"][0]["level"] = "fatal"
json.dump(d, open(sys.argv[2], "w"))
PY
(validate_sarif bad.sarif) 2>/dev/null && fail "validate_sarif passed a level SARIF does not have"
pass
python3 - s.sarif bad2.sarif <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
loc = d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
loc["uri"] = "/srv/returns/board/actions.json"  # absolute without a scheme: GitHub cannot place it
json.dump(d, open(sys.argv[2], "w"))
PY
(validate_sarif bad2.sarif) 2>/dev/null && fail "validate_sarif passed a location GitHub rejects"
pass
printf '<testsuites><testsuite name="x"/></testsuites>\n' >bad.xml
(validate_junit bad.xml) 2>/dev/null && fail "validate_junit passed a suite without its counts"
pass
printf '[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "high", "location": {"path": "p", "lines": {"begin": 1}}}]\n' >bad.gitlab
(validate_gitlab bad.gitlab) 2>/dev/null && fail "validate_gitlab passed a severity GitLab does not know"
pass
printf '::error file=a.json,title=x::a message\n::error::forged\n' >bad.github
(validate_github bad.github) 2>/dev/null && fail "validate_github passed a command without its title"
pass
printf '::error title=t::line one\n::warning title=t::with a \033[2J control\n' >bad2.github
(validate_github bad2.github) 2>/dev/null && fail "validate_github passed a control character"
pass
finish
