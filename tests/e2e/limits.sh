#!/usr/bin/env bash
# End-to-end: a file larger than the run reads (64 MiB, or --max-file-size) is named with its size
# as ASSURE-LIMIT and not read, the other files are still checked, the rules that read it fail
# loudly, and the run says it is incomplete; nesting deeper than jansson's 2048 levels is a parse
# error at its place; a rule lists at most 1,000 findings per file (or --max-findings) and counts
# the rest in one ASSURE-LIMIT finding of its own severity.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
log="$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json"
mkdir -p returns/board
cp "$log" returns/board/small.json
# sparse: the limit is checked on the size, so the 65 MiB are never read
truncate -s 65M returns/board/big.json
run_assure default.txt check returns/board/small.json returns/board/big.json --as-of 2021-01-13
expect_rc 1 "check with a file above the default limit"
expect_grep '^returns/board/big.json: error: \[ASSURE-LIMIT\] the file is 68157440 bytes, more than the limit of 67108864 (--max-file-size): it was not read$' default.txt
expect_grep '^returns/board/small.json:25:5: error: \[GOV-001\]' default.txt
expect_grep '^incomplete: 1 file could not be read' default.txt

make_repo repo
mkdir -p repo/returns/board
cp "$log" repo/returns/board/log.json
commit_all repo "2021-01-10 10:00:00" "December action log"
size=$(stat -c %s repo/returns/board/log.json)
run_assure small.json check --repo repo --as-of 2021-01-13 --max-file-size 1K --format json
expect_rc 1 "check --max-file-size 1K"
python3 - "$size" <<'PY' || fail "the JSON report does not name the limit"
import json, sys
d = json.load(open("small.json"))
assert d["complete"] is False, d["complete"]
lim = [f for f in d["findings"] if f["rule"] == "ASSURE-LIMIT"]
assert len(lim) == 1 and lim[0]["path"] == "returns/board/log.json", lim
assert f"the file is {sys.argv[1]} bytes, more than the limit of 1024" in lim[0]["message"], lim
assert not [f for f in d["findings"] if f["rule"] == "GOV-001"], "a file over the limit was read"
PY
pass
run_assure audit.txt audit --repo repo --as-of 2021-01-13 --max-file-size 1K --quiet
expect_rc 1 "audit --max-file-size 1K"
expect_grep 'ASSURE-LIMIT' audit.txt
# the tool's own rule ids are valid history filters
run_assure history.txt history --repo repo --as-of 2021-01-13 --max-file-size 1K --rule ASSURE-LIMIT --quiet
expect_rc 0 "history --rule ASSURE-LIMIT"
expect_grep '^returns/board/log.json ASSURE-LIMIT error' history.txt
run_assure big.txt check --repo repo --as-of 2021-01-13 --max-file-size 1M
expect_rc 1 "check --max-file-size 1M"
grep -q ASSURE-LIMIT big.txt && fail "a file under the limit was refused"
pass
for bad in 0 -1 1X 1KB '' 99999999999999999999; do
	run_assure bad.txt check --repo repo --max-file-size "$bad"
	expect_rc 2 "--max-file-size '$bad'"
	expect_grep "max-file-size must be a positive number of bytes" bad.txt.err
done

python3 -c "print('[' * 3000 + ']' * 3000)" >returns/board/deep.json
run_assure deep.txt check returns/board/deep.json
expect_rc 1 "check of 3000-deep nesting"
expect_grep '^returns/board/deep.json:1:2049: error: \[ASSURE-PARSE\] maximum parsing depth reached' deep.txt
# Findings per rule and file: 1,500 overdue actions list 1,000 GOV-001 findings and count 500.
python3 - >returns/board/many.json <<'PY'
import json
acts = [{"code": "ICSB200902-%04d" % i, "title": "t", "lead": "L", "due": "2020-12-01", "status": "Open"} for i in range(1500)]
print(json.dumps({"kind": "action_log", "meeting": "ICS Board", "date": "2020-12-02", "actions": acts}, indent=1))
PY
run_assure many.json check returns/board/many.json --as-of 2021-01-13 --format json --fail-on none
expect_rc 0 "check of 1,500 overdue actions with --fail-on none"
python3 - <<'PY' || fail "the findings of one rule in one file are not capped at 1,000 with a count of the rest"
import json
d = json.load(open("many.json"))
gov = [f for f in d["findings"] if f["rule"] == "GOV-001"]
lim = [f for f in d["findings"] if f["rule"] == "ASSURE-LIMIT" and f["subject"] == "GOV-001"]
assert len(gov) == 1000, len(gov)
assert len(lim) == 1 and lim[0]["severity"] == "error", lim
assert lim[0]["message"] == "500 more findings of GOV-001 here are not listed: a rule lists at most 1000 per file (--max-findings)", lim[0]["message"]
assert lim[0]["path"] == "returns/board/many.json", lim
PY
pass
run_assure few.txt check returns/board/many.json --as-of 2021-01-13 --max-findings 10
expect_rc 1 "check --max-findings 10"
[ "$(grep -c '\[GOV-001\]' few.txt)" = 10 ] || fail "--max-findings 10 listed $(grep -c '\[GOV-001\]' few.txt) GOV-001 findings"
pass
expect_grep '^returns/board/many.json: error: \[ASSURE-LIMIT\] 1490 more findings of GOV-001 here are not listed: a rule lists at most 10 per file (--max-findings)$' few.txt
run_assure bad.txt check returns/board/many.json --max-findings 0
expect_rc 2 "--max-findings 0"
expect_grep "max-findings must be a positive number of findings, not '0'" bad.txt.err
finish
