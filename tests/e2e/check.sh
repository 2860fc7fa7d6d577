#!/usr/bin/env bash
# End-to-end: assure check on a repository with several commits, a nested folder, a
# malformed file and a value of the wrong type; text and JSON reports against golden files.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/e2e/check"
rules="$golden/rules"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/2020-21/finance repo/returns/2020-21/board

cat >repo/returns/2020-21/finance/rxn.json <<'JSON'
{
  "kind": "finance",
  "org": "RXN",
  "forecast": { "outturn": -20.6, "control_total": -20.6 }
}
JSON
echo "# returns" >repo/README.md
commit_all repo "2020-12-01 09:00:00" "M07 finance return for RXN" "Finance Lead" "finance@example.nhs.uk"

cat >repo/returns/2020-21/finance/rxr.json <<'JSON'
{
  "kind": "finance",
  "org": "RXR",
  "forecast": {
    "outturn": -17.7,
    "control_total": -16.6
  }
}
JSON
cat >repo/returns/2020-21/board/actions-2020-12.json <<'JSON'
{
  "kind": "action_log",
  "actions": [
    { "code": "ICSB200304-02", "status": "In progress", "due": "December 2020" },
    { "code": "ICSB2200915", "status": "In progress", "due": "On-going" },
    { "code": "ICSB200901-01", "status": "Complete", "due": "01.09.2020" }
  ]
}
JSON
commit_all repo "2020-12-15 10:30:00" "RXR return and December action log" "Board Secretary" "board@example.nhs.uk"

mkdir -p repo/returns/2020-21/finance/nested/deep
printf '{\n  "kind": "finance",\n  "org": "RTX"\n  "forecast": {}\n}\n' >repo/returns/2020-21/finance/broken.json
cat >repo/returns/2020-21/finance/nested/deep/rtx.json <<'JSON'
{ "kind": "finance", "org": "RTX",
  "forecast": { "outturn": "abc", "control_total": -19.4 } }
JSON
commit_all repo "2021-01-05 16:45:00" "RTX returns" "Finance Lead" "finance@example.nhs.uk"

before=$(repo_state repo)

# The first commit has no breach: exit 0.
run_assure out0.txt check --repo repo --rev HEAD~2 --rules "$rules" --as-of 2021-01-13
expect_rc 0 "clean first commit"
expect_same out0.txt "$golden/first.txt"

# The second commit: a deficit beyond the control total, an overdue action.
run_assure out1.txt check --repo repo --rev HEAD~1 --rules "$rules" --as-of 2021-01-13
expect_rc 1 "breaches in the second commit"
expect_same out1.txt "$golden/second.txt"
run_assure out1n.txt check --repo repo --rev HEAD~1 --rules "$rules" --as-of 2021-01-13 --fail-on none
expect_rc 0 "--fail-on none ignores findings of a complete run"

# HEAD: a malformed file and a string where a number belongs: the run goes on and says it is incomplete.
run_assure out2.txt check --repo repo --rules "$rules" --as-of 2021-01-13
expect_rc 1 "incomplete run"
expect_same out2.txt "$golden/head.txt"
run_assure out2n.txt check --repo repo --rules "$rules" --as-of 2021-01-13 --fail-on none
expect_rc 1 "an incomplete run fails even with --fail-on none"
run_assure out2.json check --repo repo --rules "$rules" --as-of 2021-01-13 --format json
expect_rc 1 "incomplete run, json"
expect_same out2.json "$golden/head.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"]=="assure-report/1" and d["complete"] is False' out2.json || fail "json report is not assure-report/1 or says complete"
pass

# Same inputs, same bytes.
run_assure out2b.json check --repo repo --rules "$rules" --as-of 2021-01-13 --format json
cmp -s out2.json out2b.json || fail "two runs differ"
pass

# Never writes to the repository it reads.
[ "$(repo_state repo)" = "$before" ] || fail "the repository changed"
pass

# The working tree (of a copy, since the edit is ours): fixing the breach without
# committing clears it in --worktree only.
cp -a repo wt
sed -i 's/"control_total": -16.6/"control_total": -17.7/' wt/returns/2020-21/finance/rxr.json
run_assure wt.txt check --repo wt --worktree --rules "$rules" --as-of 2021-01-13
grep -q '\[FIN-001\]' wt.txt && fail "--worktree still reports the fixed breach"
pass
run_assure head_again.txt check --repo wt --rules "$rules" --as-of 2021-01-13
expect_grep '\[FIN-001\]' head_again.txt

# Plain folders: a folder is read as the root of a repository (its .git left out), so
# the rules' globs match; a file named on its own keeps the path as given.
run_assure plain.txt check --rules "$rules" --as-of 2021-01-13 repo
expect_grep '^returns/2020-21/board/actions-2020-12.json:4:5: warning: \[GOV-001\] action ICSB200304-02 was due December 2020, 13 days ago$' plain.txt
run_assure plain2.txt check --rules "$rules" --as-of 2021-01-13 repo/returns/2020-21/finance/rxr.json
expect_grep '^repo/returns/2020-21/finance/rxr.json:4:15: error: \[FIN-001\]' plain2.txt

# Colour only on a terminal (script gives the run one), and never with NO_COLOR set.
esc=$(printf '\033[')
env -u NO_COLOR script -qec "'$ASSURE_BIN' check --repo repo --rev HEAD~1 --rules '$rules' --as-of 2021-01-13" /dev/null >tty.txt || true
grep -qF "$esc" tty.txt || fail "no colour on a terminal: $(head -c 500 tty.txt)"
grep -q 'FIN-001' tty.txt || fail "no findings on a terminal"
pass
NO_COLOR=1 script -qec "'$ASSURE_BIN' check --repo repo --rev HEAD~1 --rules '$rules' --as-of 2021-01-13" /dev/null >tty_nc.txt || true
grep -q 'FIN-001' tty_nc.txt || fail "no findings on a terminal with NO_COLOR"
grep -qF "$esc" tty_nc.txt && fail "colour on a terminal despite NO_COLOR"
pass
env -u NO_COLOR "$ASSURE_BIN" check --repo repo --rev HEAD~1 --rules "$rules" --as-of 2021-01-13 >piped.txt || true
grep -qF "$esc" piped.txt && fail "colour in piped output"
pass

# A report that cannot be written is an error (exit 2), said once; so is an audit's or history's.
for cmd in check audit history; do
	set +e
	"$ASSURE_BIN" $cmd --repo repo --rules "$rules" --as-of 2021-01-13 >/dev/full 2>full.err
	rc=$?
	set -e
	[ $rc -eq 2 ] || fail "$cmd to a full disk: exit code $rc"
	[ "$(grep -c 'cannot write output: No space left on device' full.err)" = 1 ] || fail "$cmd to a full disk: $(cat full.err)"
	pass
done

# Usage errors exit 2 with a usage line.
run_assure u1.txt check
expect_rc 2 "no arguments"
expect_grep '^usage: assure check' u1.txt.err
run_assure u2.txt check --repo repo --format xml --rules "$rules"
expect_rc 2 "unknown format"
run_assure u3.txt check --repo repo --as-of 2021-13-01 --rules "$rules"
expect_rc 2 "bad date"
run_assure u4.txt check --repo repo --rev nope --rules "$rules"
expect_rc 2 "unknown revision"
expect_grep "nope" u4.txt.err
run_assure u5.txt check --repo "$TEST_TMP/no-such-repo" --rules "$rules"
expect_rc 2 "missing repository"

finish
