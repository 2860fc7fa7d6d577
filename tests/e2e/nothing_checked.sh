#!/usr/bin/env bash
# End-to-end: a run that looks at nothing is a usage error, never a green run. A check that selects
# no return, a history filtered on a rule id the rule set does not have (misspelt or in another
# case), and an audit whose --paths names no file all exit 2 and say what was looked for. The
# inputs on which a snapshot rule selects no file (one action log alone, an empty folder, a
# repository without JSON, an empty rule folder) also run clean under the sanitized build.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
log="$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json"

echo '# notes' >README.md
run_assure readme.out check README.md
expect_rc 2 "check of a file no rule reads"
expect_grep 'no return to check: no rule of lsc-saf [0-9.]* applies to the 1 file given' readme.out.err

mkdir empty
run_assure empty.out check empty
expect_rc 2 "check of an empty folder"
expect_grep 'applies to the 0 files given' empty.out.err

make_repo nojson
echo hello >nojson/notes.txt
commit_all nojson "2021-01-10 10:00:00" "notes only"
run_assure nojson.out check --repo nojson
expect_rc 2 "check of a repository without JSON"
expect_grep "no rule of lsc-saf [0-9.]* applies to any of the 1 file in the commit of 'nojson'" nojson.out.err

# one action log alone: the snapshot rules select nothing and must not trip the sanitizers
run_assure log.out check "$log" --as-of 2021-01-13
expect_rc 1 "check of one action log"
expect_grep 'in 1 file checked' log.out

mkdir norules
run_assure norules.out rules lint norules
expect_rc 2 "lint of an empty rule folder"
expect_grep "no rule files (\*.json) in 'norules'" norules.out.err

make_repo repo
mkdir -p repo/returns/board
cp "$log" repo/returns/board/log.json
commit_all repo "2021-01-10 10:00:00" "December action log"
for id in FIN-999 gov-001; do
	run_assure "history.$id" history --repo repo --rule "$id" --quiet
	expect_rc 2 "history --rule $id"
	expect_grep "no rule '$id' in rule set lsc-saf" "history.$id.err"
done
expect_grep "did you mean 'GOV-001'" history.gov-001.err
run_assure history.ok history --repo repo --rule GOV-001 --quiet --as-of 2021-01-13
expect_rc 0 "history --rule GOV-001"
expect_grep 'GOV-001' history.ok

run_assure nosuch.out audit --repo repo --paths 'nosuch/**' --quiet
expect_rc 2 "audit --paths that names no file"
expect_grep "\-\-paths 'nosuch/\*\*': no file matches" nosuch.out.err
run_assure paths.out audit --repo repo --paths 'returns/**' --quiet --as-of 2021-01-13
expect_rc 1 "audit --paths returns/**"
finish
