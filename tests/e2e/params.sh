#!/usr/bin/env bash
# End-to-end: a rule set's params set from outside the pack: --param (repeatable), --params FILE,
# `assure rules params` with the origin of every value, and the errors that name what is wrong.
source "$(dirname "$0")/lib.sh"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
cases="$ASSURE_SOURCE_DIR/fixtures/rules"
cd "$TEST_TMP"

run_assure list.txt rules params --rules "$pack"
expect_rc 0 "rules params"
expect_grep "^finance.tolerance = 0    (.*/rules/lsc-saf/finance.json)\$" list.txt
expect_grep "^finance.max_unidentified_share = 0.05    (" list.txt
expect_grep '^returns.paths = \["returns/\*\*/\*.json"\]    (.*/validity.json)$' list.txt

# A params file and a --param: the command line is applied last and wins.
cat >local.json <<'JSON'
{"finance": {"tolerance": 2, "ytd_tolerance": 20}, "governance": {"action_code": "[A-Z]+-[0-9]+"}}
JSON
run_assure list2.txt rules params --rules "$pack" --params local.json --param finance.tolerance=0.5
expect_rc 0 "rules params with overrides"
expect_grep '^finance.tolerance = 0.5    (--param)$' list2.txt
expect_grep '^finance.ytd_tolerance = 20    (local.json)$' list2.txt
expect_grep '^governance.action_code = "\[A-Z\]+-\[0-9\]+"    (local.json)$' list2.txt

# One file of the pack is a rule set of its own (its helpers and params are its own), and the
# summary says how many rules ran
run_assure part.txt check --rules "$pack/finance.json" --as-of 2021-01-13 --fail-on none "$cases/FIN-001/fail"
expect_rc 0 "finance.json alone"
expect_grep '(11 rules of lsc-saf 1.1.2, as of 2021-01-13)$' part.txt

# The override changes what the rules find: FIN-001's case breaches by 1.5, within a tolerance of 2.
run_assure fin.txt check --rules "$pack" --as-of 2021-01-13 --fail-on none "$cases/FIN-001/fail"
expect_grep '\[FIN-001\].*beyond the tolerance of 0 ' fin.txt
run_assure fin2.txt check --rules "$pack" --as-of 2021-01-13 --fail-on none --param finance.tolerance=2 "$cases/FIN-001/fail"
expect_rc 0 "check with --param"
grep -q 'FIN-001' fin2.txt && fail "FIN-001 still raised with a tolerance of 2: $(cat fin2.txt)"
pass
# A text param takes its text as it is.
run_assure gov0.txt check --rules "$pack" --as-of 2021-01-13 --fail-on none "$cases/GOV-004/fail"
expect_grep '\[GOV-004\]' gov0.txt
run_assure gov.txt check --rules "$pack" --as-of 2021-01-13 --fail-on none --param 'governance.action_code=ICSB.*' "$cases/GOV-004/fail"
grep -q 'GOV-004' gov.txt && fail "GOV-004 still raised with pattern ICSB.*: $(cat gov.txt)"
pass

# Errors name the param and say what is wrong; the run stops with exit 2.
run_assure e1.txt check --rules "$pack" --param finance.tolerence=1 "$cases/FIN-001/fail"
expect_rc 2 "unknown param"
expect_grep "^assure: --param: unknown param 'finance.tolerence' (assure rules params lists them)\$" e1.txt.err
run_assure e2.txt check --rules "$pack" --param finance.tolerance=abc "$cases/FIN-001/fail"
expect_rc 2 "not a JSON value"
expect_grep "^assure: --param finance.tolerance: 'abc' is not a JSON value" e2.txt.err
run_assure e3.txt check --rules "$pack" --param 'finance.tolerance="1"' "$cases/FIN-001/fail"
expect_rc 2 "wrong type"
expect_grep "^assure: --param: param 'finance.tolerance' must be a number, not a string\$" e3.txt.err
run_assure e4.txt check --rules "$pack" --param finance "$cases/FIN-001/fail"
expect_rc 2 "no ="
expect_grep "^assure: --param must be NAME=VALUE" e4.txt.err
run_assure e5.txt check --rules "$pack" --param 'returns.paths=[]' "$cases/FIN-001/fail"
expect_rc 2 "paths param emptied"
expect_grep "^assure: --param: param 'returns.paths' gives the paths of VAL-001: it must be a non-empty list of path patterns\$" e5.txt.err
# an object for an object param sets its members one by one, each checked
run_assure e8.txt check --rules "$pack" --param 'returns={"paths":[]}' "$cases/FIN-001/fail"
expect_rc 2 "paths emptied through their object"
expect_grep "^assure: --param: param 'returns.paths' gives the paths of VAL-001: it must be a non-empty list of path patterns\$" e8.txt.err
run_assure e9.txt check --rules "$pack" --param 'finance={"tolerance":"abc"}' "$cases/FIN-001/fail"
expect_rc 2 "wrong type through the object"
expect_grep "^assure: --param: param 'finance.tolerance' must be a number, not a string\$" e9.txt.err
printf '{\n  "finance": {\n    "tolerance": true\n  },\n  "nosuch": 1\n}\n' >bad.json
run_assure e6.txt check --rules "$pack" --params bad.json "$cases/FIN-001/fail"
expect_rc 2 "bad params file"
expect_grep "^bad.json:3:5: error: param 'finance.tolerance' must be a number, not true or false\$" e6.txt.err
expect_grep "^bad.json:5:3: error: unknown param 'nosuch' (assure rules params lists them)\$" e6.txt.err
printf '{"finance": {' >cut.json
run_assure e7.txt check --rules "$pack" --params cut.json "$cases/FIN-001/fail"
expect_rc 2 "params file that is not JSON"
expect_grep "^cut.json:1:14: error: " e7.txt.err

# The same param in two rule files names the file that defined it first.
mkdir -p twice
printf '{"ruleset": "t", "version": "1", "params": {"a": {"b": 1}}, "rules": []}\n' >twice/1.json
printf '{"ruleset": "t", "version": "1", "params": {"a": {"b": 2}}, "rules": []}\n' >twice/2.json
run_assure lint.txt rules lint twice
expect_rc 2 "duplicate param"
expect_grep "twice/2.json:1:51: error: params: param 'a.b' is already defined in 'twice/1.json'" lint.txt.err

finish
