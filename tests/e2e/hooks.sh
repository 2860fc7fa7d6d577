#!/usr/bin/env bash
# End-to-end: the hooks of hooks/ and .pre-commit-hooks.yaml on real repositories. A bare
# repository with the pre-receive hook accepts a push of valid returns, refuses one whose returns
# are malformed or invalid (each commit of the push, with the exact message: file, line, rule),
# accepts one that brings a breach (a deficit is reported, not refused), checks a new branch,
# ignores a deleted one, and judges only what a push changed. The pre-commit entries, run as
# .pre-commit-hooks.yaml gives them, check what is staged, not the working tree.
source "$(dirname "$0")/lib.sh"
src="$ASSURE_SOURCE_DIR"
cases="$src/fixtures/rules"
cd "$TEST_TMP"
export ASSURE="$ASSURE_BIN" # the hook runs this assure

git init -q --bare server.git
make_repo work
git -C work remote add origin ../server.git
cp -r "$cases/FIN-001/pass/returns" work/
commit_all work "2021-01-04 09:00:00" "month 7 returns"

# push REF...: git push from work, its stderr (git's "remote: " lines, trailing blanks cut) in
# push.err, and $rc
push() {
	set +e
	git -C work push -q origin "$@" 2>push.raw
	rc=$?
	set -e
	sed -e 's/[[:space:]]*$//' push.raw >push.err
	last_out=push
}
server_head() { git -C server.git rev-parse -q --verify "refs/heads/$1" || echo none; }

# Before the hook is installed, a malformed return gets in (it is judged below, in a later push
# that does not touch it).
printf '{ "kind": "finance",\n' >work/returns/2020-21/legacy.json
commit_all work "2021-01-04 10:00:00" "a legacy file, pushed before the hook"
push main
expect_rc 0 "push without the hook"
cp "$src/hooks/pre-receive" server.git/hooks/pre-receive
[ -x server.git/hooks/pre-receive ] || fail "hooks/pre-receive is not executable"
pass

# A push that changes no return but README is accepted: the legacy file is not this push's.
echo "# returns" >work/README.md
commit_all work "2021-01-05 09:00:00" "a README"
push main
expect_rc 0 "a push that changes no return"
[ "$(server_head main)" = "$(git -C work rev-parse HEAD)" ] || fail "the server's main did not move"
pass
git -C work rm -q returns/2020-21/legacy.json
commit_all work "2021-01-05 10:00:00" "remove the legacy file"
push main
expect_rc 0 "a push that removes the malformed file"
good=$(git -C work rev-parse HEAD)

# Two commits in one push: an invalid return (year 2020/21, month 13: VAL-003), then a malformed
# control totals file, whose subject carries an escape sequence. Both are named, each with what
# it changed (the second does not touch rtx.json again), file and line; the server's branch
# stays where it was.
cp "$cases/VAL-003/fail/returns/2020-21/m07/finance/rtx.json" work/returns/2020-21/m07/finance/rtx.json
commit_all work "2021-01-06 09:00:00" "restated month 7"
invalid=$(git -C work rev-parse --short=12 HEAD)
head -c 120 "$cases/FIN-001/pass/returns/2020-21/control_totals.json" >work/returns/2020-21/control_totals.json
commit_all work "2021-01-06 10:00:00" $'control totals \e[31mupdated'
malformed=$(git -C work rev-parse --short=12 HEAD)
push main
expect_rc 1 "a push of invalid and malformed returns"
cat >push.expected <<EOF
remote: assure: push rejected: commit $invalid (restated month 7) on refs/heads/main has returns that are malformed or invalid
remote: assure: fix each file at the line given, commit and push again (a breach of the other rules does not stop a push):
remote: returns/2020-21/m07/finance/rtx.json:7:11: error: [VAL-003] year '2020/21' is not a financial year written YYYY-YY with consecutive years, such as 2020-21
remote: returns/2020-21/m07/finance/rtx.json:8:12: error: [VAL-003] month 13 is not a whole number from 1 (April) to 12 (March)
remote: assure: push rejected: commit $malformed (control totals ?[31mupdated) on refs/heads/main has returns that are malformed or invalid
remote: assure: fix each file at the line given, commit and push again (a breach of the other rules does not stop a push):
remote: returns/2020-21/control_totals.json:8:5: error: [ASSURE-PARSE] premature end of input near '"'
EOF
grep '^remote: ' push.err >push.remote || true
expect_same push.remote push.expected
[ "$(server_head main)" = "$good" ] || fail "the server's main moved after a refused push"
pass

# The same returns with an honest breach instead (UHMB's outturn 1.5 worse than its control
# total: FIN-001, an error of the finance domain) are accepted; the breach is for the committee.
git -C work reset -q --hard "$good"
cp "$cases/FIN-001/fail/returns/2020-21/m07/finance/rtx.json" work/returns/2020-21/m07/finance/rtx.json
commit_all work "2021-01-07 09:00:00" "month 7 forecast restated: 26.5 deficit"
run_assure breach.txt check --repo work --as-of 2021-01-13
expect_rc 1 "the breach is a finding of check"
expect_grep '\[FIN-001\] University Hospitals of Morecambe Bay' breach.txt
push main
expect_rc 0 "a push that brings a breach"
[ -s push.err ] && fail "an accepted push printed: $(cat push.err)"
[ "$(server_head main)" = "$(git -C work rev-parse HEAD)" ] || fail "the breach did not get in"
pass

# A new branch: its new commits are checked (a root's too); deleting a branch is never refused.
git -C work checkout -q -b draft
printf '[1, 2' >work/returns/2020-21/m07/finance/rxn.json
commit_all work "2021-01-08 09:00:00" "draft of RXN"
push draft
expect_rc 1 "a new branch with a malformed return"
expect_grep '^remote: returns/2020-21/m07/finance/rxn.json:1:6: error: \[ASSURE-PARSE\]' push.err
[ "$(server_head draft)" = none ] || fail "the refused branch was created"
pass
git -C work reset -q --hard main
echo '# drafts' >work/DRAFTS.md
commit_all work "2021-01-08 10:00:00" "a note on drafts"
push draft
expect_rc 0 "a new branch with valid returns"
push --delete draft
expect_rc 0 "deleting a branch"
[ "$(server_head draft)" = none ] || fail "the branch was not deleted"
pass
make_repo other
git -C other remote add origin ../server.git
cp -r "$cases/VAL-001/fail/returns" other/
commit_all other "2021-01-09 09:00:00" "a root commit of invalid returns"
set +e
git -C other push -q origin main:orphan 2>orphan.raw
rc=$?
set -e
last_out=orphan
expect_rc 1 "a new root commit of invalid returns"
expect_grep 'remote: returns/2020-21/m07/finance/rtx.json:1:1: error: \[VAL-001\] this finance return lacks 2 required fields: org_name, forecast.outturn' orphan.raw

# The pushed assure.json is not the hook's: a pusher cannot ignore the return it breaks, nor
# lower fail_on, by writing one in the same push.
git -C work checkout -q main
printf '{\n  "fail_on": "none",\n  "ignore": ["returns/2020-21/bad.json"]\n}\n' >work/assure.json
printf '{ "kind": "finance",\n' >work/returns/2020-21/bad.json
commit_all work "2021-01-09 10:00:00" "configure assure to look away"
push main
expect_rc 1 "a push whose own assure.json ignores its malformed return"
expect_grep '^remote: returns/2020-21/bad.json:2:1: error: \[ASSURE-PARSE\]' push.err
[ "$(server_head main)" != "$(git -C work rev-parse HEAD)" ] || fail "the push that looked away got in"
pass

# The server's configuration (git config assure.config) is the hook's, ignore included.
cat >server-config.json <<'JSON'
{"ignore": ["returns/2020-21/bad.json"]}
JSON
git -C server.git config assure.config "$PWD/server-config.json"
push main
expect_rc 0 "the server's configuration ignores the file"
git -C server.git config assure.config "$PWD/missing.json"
echo more >>work/README.md
commit_all work "2021-01-09 11:00:00" "README after the configuration"
push main
expect_rc 1 "a hook whose configuration cannot be read"
expect_grep "^remote: assure: pre-receive: cannot read the configuration '$PWD/missing.json' (git config assure.config)\$" push.err
git -C server.git config --unset assure.config
git -C work reset -q --hard HEAD~2
git -C server.git update-ref refs/heads/main "$(git -C work rev-parse HEAD)"

# The hook says so when it cannot run assure, and refuses rather than let everything in.
echo more >>work/README.md
commit_all work "2021-01-10 09:00:00" "README again"
ASSURE=/nonexistent/assure push main
expect_rc 1 "a hook without assure"
expect_grep "^remote: assure: pre-receive: cannot run '/nonexistent/assure' (set git config assure.bin to its path)\$" push.err

# The pre-commit entries, as .pre-commit-hooks.yaml gives them (the framework runs each in the
# repository's root): what is staged is checked, not the working tree.
python3 - "$src/.pre-commit-hooks.yaml" >entries.txt <<'PY'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
ids = [h["id"] for h in hooks]
assert ids == ["assure-valid", "assure"], ids
for h in hooks:
    assert h["language"] == "system" and h["pass_filenames"] is False and h["always_run"] is True, h
    assert h["entry"].startswith("assure check ") and "--index" in h["entry"].split(), h
    print(h["id"], h["entry"][len("assure "):])
PY
pass
entry() { sed -n "s/^$1 //p" entries.txt; }
make_repo staged
cp -r "$cases/FIN-001/pass/returns" staged/
commit_all staged "2021-01-04 09:00:00" "month 7 returns"
run_entry() { # run_entry OUT ID: the entry's command in the repository staged
	local out=$1 args
	read -r -a args <<<"$(entry "$2")"
	(cd staged && set +e && "$ASSURE_BIN" "${args[@]}" --as-of 2021-01-13 >"../$out" 2>"../$out.err"; echo $? >"../$out.rc")
	rc=$(cat "$out.rc")
	last_out=$out
}
run_entry v0.txt assure-valid
expect_rc 0 "assure-valid on valid staged returns (breaches of other domains do not stop it)"
# a malformed file staged, and repaired in the working tree only: still refused
printf '{ "kind": ' >staged/returns/2020-21/m07/finance/rtx.json
git -C staged add returns
cp "$cases/FIN-001/pass/returns/2020-21/m07/finance/rtx.json" staged/returns/2020-21/m07/finance/rtx.json
run_entry v1.txt assure-valid
expect_rc 1 "assure-valid on a malformed staged return"
expect_grep '^returns/2020-21/m07/finance/rtx.json:1:11: error: \[ASSURE-PARSE\]' v1.txt
# the reverse: valid staged, broken working tree: accepted
git -C staged add returns
printf 'broken' >staged/returns/2020-21/m07/finance/rtx.json
run_entry v2.txt assure-valid
expect_rc 0 "assure-valid reads the index, not the working tree"
run_entry a2.txt assure
expect_rc 1 "assure (every rule) on staged returns with breaches"
expect_grep '\[SUB-001\]' a2.txt
grep -q 'ASSURE-PARSE' a2.txt && fail "the working tree's broken file was read: $(cat a2.txt)"
pass

# The options of check the hooks use, alone: what they keep, and their errors.
run_assure same.txt check --repo work --as-of 2021-01-13 --changed-since HEAD
expect_rc 0 "nothing changed since HEAD: the breaches of HEAD are not reported"
expect_grep '^0 errors, 0 warnings, 0 info in ' same.txt
run_assure since.txt check --repo work --as-of 2021-01-13 --rev main --changed-since "$good"
expect_rc 1 "the breach brought since $good"
[ "$(grep -c '\[' since.txt)" -eq 1 ] || fail "more than the changed file's findings: $(cat since.txt)"
expect_grep '^returns/2020-21/m07/finance/rtx.json:13:15: error: \[FIN-001\]' since.txt
run_assure dom.txt check --repo work --as-of 2021-01-13 --domain governance --domain risk --fail-on none
expect_rc 0 "--domain governance --domain risk"
grep -q '\[FIN-' dom.txt && fail "--domain governance --domain risk kept a finance finding: $(cat dom.txt)"
pass
run_assure dom2.txt check --repo work --as-of 2021-01-13 --domain finance --fail-on none
expect_grep '\[FIN-001\]' dom2.txt
expect_grep '\[SUB-001\]' dom2.txt
run_assure d1.txt check --repo work --domain validty
expect_rc 2 "a misspelt domain"
expect_grep "^assure check: --domain 'validty': no rule of lsc-saf 1.1.2 is of that domain (validity, finance, governance, performance, quality, risk)\$" d1.txt.err
run_assure d2.txt check --changed-since HEAD "$cases/FIN-001/fail"
expect_rc 2 "--changed-since without --repo"
expect_grep '^assure check: --changed-since needs --repo DIR: the repository whose commit to check$' d2.txt.err
run_assure d3.txt check --repo work --changed-since no-such-rev
expect_rc 2 "--changed-since of no commit"
expect_grep "^assure: --changed-since: " d3.txt.err
run_assure d4.txt check --repo work --index --worktree
expect_rc 2 "--index with --worktree"
expect_grep '^assure check: give one of --rev, --worktree and --index$' d4.txt.err
run_assure d5.txt check --repo server.git --index
expect_rc 2 "--index of a bare repository with no return staged"
expect_grep "^assure check: no return to check: no rule of lsc-saf 1.1.2 applies to any of the 0 files in the index of 'server.git'\$" d5.txt.err
finish
