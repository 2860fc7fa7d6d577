#!/usr/bin/env bash
# The benchmark keeps working: bench/run on the smallest generated repository, one run, with the
# test build. Its figures are not checked (a benchmark measures, it does not pass or fail); what
# is checked is that every row is measured and that assure's findings on the generated returns
# are what bench/gen means them to be: no return it writes is malformed or invalid.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
# --help prints the whole header, the options after --build included
"$ASSURE_SOURCE_DIR/bench/run" --help >help.txt || fail "bench/run --help failed"
grep -q -- "--no-install install nothing" help.txt || fail "bench/run --help lacks --no-install: $(cat help.txt)"
grep -q "so that the benchmark keeps working" help.txt || fail "bench/run --help is cut short: $(tail -3 help.txt)"
"$ASSURE_SOURCE_DIR/bench/run" --size S --runs 1 --no-install --assure "$ASSURE_BIN" --keep "$TEST_TMP/bench" >run.txt 2>run.err ||
	fail "bench/run failed: $(tail -20 run.err)"
for what in "git floor" "parse floor" "head floor" check "audit json" "audit text" history; do
	grep -q "^$what  *[0-9][0-9.]* " run.txt || fail "bench/run did not measure '$what': $(cat run.txt)"
	pass
done
expect_grep '^audit json .* audit / parse floor [0-9.]*x' run.txt
expect_grep '^== size S: 163 commits, 152 returns at HEAD' run.txt

# the generator is deterministic: the same seed gives the same history
"$ASSURE_SOURCE_DIR/bench/gen" S again >/dev/null
[ "$(git -C again rev-parse HEAD)" = "$(git -C bench/repo-S rev-parse HEAD)" ] || fail "bench/gen S is not reproducible"
pass
run_assure check.json check --repo bench/repo-S --rules "$ASSURE_SOURCE_DIR/rules/lsc-saf" --format json --fail-on none --as-of 2020-03-28
expect_rc 0 "check of the generated repository"
python3 - check.json <<'PY' || fail "the generated returns are not what bench/gen means them to be"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
rules = {x["rule"] for x in f}
bad = [x for x in f if x["rule"].startswith(("ASSURE-", "VAL-"))]
assert not bad, bad[:3]
for r in ("FIN-001", "FIN-003", "FIN-004", "GOV-001", "PERF-001", "PERF-002", "RSK-002", "QUA-004"):
    assert r in rules, (r, sorted(rules))
PY
pass
finish
