#!/usr/bin/env bash
# End-to-end: version, help, usage errors, rules lint / list, explain.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/e2e/cli"
cd "$TEST_TMP"

run_assure v.txt --version
expect_rc 0 "--version"
expect_grep '^assure [0-9]\+\.[0-9]\+\.[0-9]\+$' v.txt

run_assure h.txt help
expect_rc 0 "help"
for c in check rules explain; do expect_grep "^  $c " h.txt; done
expect_grep 'exit codes' h.txt

run_assure hc.txt check --help
expect_rc 0 "check --help"
expect_grep '^usage: assure check' hc.txt
expect_grep '--fail-on SEV' hc.txt

run_assure hh.txt help check
expect_rc 0 "help check"
cmp -s hc.txt hh.txt || fail "'help check' and 'check --help' differ"
pass

run_assure u.txt frobnicate
expect_rc 2 "unknown command"
expect_grep "unknown command 'frobnicate'" u.txt.err
run_assure u.txt
expect_rc 2 "no command"
run_assure u.txt check --no-such-option
expect_rc 2 "unknown option"
expect_grep "^usage: assure check" u.txt.err
expect_grep "^assure check: unknown option '--no-such-option'\$" u.txt.err
# a slip of the keyboard is named
run_assure u.txt chek --repo x
expect_rc 2 "misspelt command"
expect_grep "^assure: unknown command 'chek' (did you mean 'check'?)\$" u.txt.err
run_assure u.txt check --fromat json
expect_rc 2 "misspelt option"
expect_grep "^assure check: unknown option '--fromat' (did you mean '--format'?)\$" u.txt.err
run_assure u.txt check --worktree
expect_rc 2 "--worktree without --repo"
expect_grep "^assure check: --worktree needs --repo DIR: the repository whose working tree to check\$" u.txt.err
run_assure u.txt audit --repo . --rule x
expect_grep "^assure audit: unknown option '--rule' (did you mean '--rules'?)\$" u.txt.err
# lint and the other commands read the same rule set when none is given
run_assure dl.txt rules lint
expect_rc 0 "rules lint of the default rule set"
run_assure dlist.txt rules list
expect_rc 0 "rules list of the default rule set"
[ "$(sed -n 's/^\([0-9]*\) rules in .*/\1/p' dl.txt)" = "$(wc -l <dlist.txt)" ] ||
	fail "lint and list read different default rule sets: $(cat dl.txt) against $(wc -l <dlist.txt) rules"
pass
run_assure u.txt rules frob
expect_rc 2 "unknown rules subcommand"
run_assure u.txt explain
expect_rc 2 "explain without an id"

# lint reports every problem with file, line, column, rule, field and a caret: exit 2.
cp "$golden/broken-rules.json" broken.json
run_assure lint.txt rules lint broken.json
expect_rc 2 "lint of a broken rule file"
expect_same lint.txt.err "$golden/lint.expected"
# with clean files beside it, the summary says how many files have problems
run_assure lint2.txt rules lint broken.json "$ASSURE_SOURCE_DIR/rules/lsc-saf/risk.json"
expect_rc 2 "lint of a broken file and a clean one"
expect_grep '^7 problems in 1 of 2 rule files$' lint2.txt.err

# A broken rule set stops check with exit 2 before anything is read.
mkdir empty
run_assure c.txt check --rules broken.json empty
expect_rc 2 "check with a broken rule set"

# lint and list of the bundled rule set.
run_assure ok.txt rules lint "$ASSURE_SOURCE_DIR/rules"
expect_rc 0 "the bundled rule set lints clean"
expect_grep 'no problems' ok.txt
# without --rules, a build-tree binary reads rules/ of its source tree, from any directory
(cd / && "$ASSURE_BIN" rules list >"$TEST_TMP/default.txt")
expect_grep '^FIN-001  *error  *finance ' "$TEST_TMP/default.txt"
run_assure list.txt rules list --rules "$ASSURE_SOURCE_DIR/rules"
expect_rc 0 "rules list"
expect_grep '^FIN-001 ' list.txt

# explain prints what the rule carries, and runs its examples.
run_assure ex.txt explain --rules "$ASSURE_SOURCE_DIR/rules" FIN-001
expect_rc 0 "explain FIN-001"
expect_grep '^FIN-001: ' ex.txt
for section in Description Rationale Reference 'What to do'; do expect_grep "^$section\$" ex.txt; done
expect_grep '^severity  *error$' ex.txt
expect_grep '^assert  *gap <= params.finance.tolerance$' ex.txt
expect_grep '^message  *{\$.org_name ?? \$.org} forecasts an outturn of {outturn}' ex.txt
expect_grep '^subject  *\$.org$' ex.txt
expect_grep '^Example that raises it' ex.txt
expect_grep '\[FIN-001\]' ex.txt
expect_grep '^Example that passes' ex.txt
expect_grep '^  no FIN-001 finding' ex.txt
# examples that do not behave as the rule says make explain exit 1, naming the example
mkdir -p ex/rules ex/raises ex/quiet
printf '{"kind": "finance", "v": 5}\n' >ex/raises/r.json
printf '{"kind": "finance", "v": 1}\n' >ex/quiet/r.json
cat >ex/rules/r.json <<'JSON'
{ "ruleset": "ex", "version": "1",
  "rules": [ { "id": "EX-001", "title": "v at most 2", "severity": "error", "domain": "finance",
    "applies_to": { "kind": "finance" }, "assert": "$.v <= 2", "message": "v is {$.v}",
    "examples": { "fail": "../quiet", "pass": "../raises" } } ] }
JSON
run_assure ex3.txt explain --rules ex/rules EX-001
expect_rc 1 "explain with examples the wrong way round"
expect_grep '^Example that raises it: ex/quiet$' ex3.txt
expect_grep 'the example that should raise EX-001 does not' ex3.txt.err
expect_grep 'the example that should pass EX-001 does not' ex3.txt.err
sed -i 's|"fail": "../quiet", "pass": "../raises"|"fail": "../raises", "pass": "../quiet"|' ex/rules/r.json
run_assure ex4.txt explain --rules ex/rules EX-001
expect_rc 0 "explain with examples that behave"
expect_grep '^  r.json:1:1: error: \[EX-001\] v is 5$' ex4.txt
run_assure ex2.txt explain --rules "$ASSURE_SOURCE_DIR/rules" NOPE-999
expect_rc 2 "explain of an unknown rule"

# Output that cannot be written (a full disk) is an error, said once, with exit code 2.
[ -w /dev/full ] || fail "/dev/full is needed to test write errors"
R="--rules $ASSURE_SOURCE_DIR/rules"
for cmd in "--version" "help" "check --help" "rules list $R" "explain $R FIN-001"; do
	set +e
	# shellcheck disable=SC2086
	"$ASSURE_BIN" $cmd >/dev/full 2>full.err
	rc=$?
	set -e
	[ $rc -eq 2 ] || fail "$cmd to a full disk: exit code $rc"
	[ "$(grep -c 'cannot write output: No space left on device' full.err)" = 1 ] ||
		fail "$cmd to a full disk: $(cat full.err)"
	pass
done

finish
