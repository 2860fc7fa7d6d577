#!/usr/bin/env bash
# End-to-end golden test: the whole lsc-saf pack on the demo repository's HEAD (the run of
# the README's first command), text and JSON, compared byte for byte with
# fixtures/golden/check/. Regenerate after a deliberate change with ASSURE_UPDATE_GOLDEN=1
# and review the diff.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/golden/check"
cd "$TEST_TMP"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo-repo >/dev/null
R=(--repo demo-repo --rules "$ASSURE_SOURCE_DIR/rules/lsc-saf" --as-of 2021-01-13)

run_assure demo.txt check "${R[@]}"
expect_rc 1 "the demo's HEAD has errors"
expect_same demo.txt "$golden/demo.txt"
run_assure demo.json check "${R[@]}" --format json
expect_rc 1 "the demo's HEAD has errors (json)"
expect_same demo.json "$golden/demo.json"

# What the README promises of the demo: a complete run with findings of every domain.
python3 - demo.json <<'PY' || fail "the demo run is incomplete or misses a domain"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "assure-report/1" and d["complete"] is True, "incomplete"
domains = {f["domain"] for f in d["findings"]}
want = {"finance", "quality", "governance", "risk", "performance"}
assert want <= domains, "domains with findings: %s" % sorted(domains)
for f in d["findings"]:
    assert f["line"] > 0 and f["column"] > 0 or f["path"] == "", f
PY
pass

# The default as_of is today: the same run without --as-of differs only in dates.
run_assure today.txt check --repo demo-repo --rules "$ASSURE_SOURCE_DIR/rules/lsc-saf"
expect_rc 1 "today"
expect_grep "as of $(date -u +%Y-%m-%d)" today.txt

finish
