#!/usr/bin/env bash
# End-to-end: the audit's reuse never changes a result, on the generated S workload (bench/gen:
# 163 commits of every kind of return, lookups, groups, dates moving every commit). For every
# commit, the findings the audit holds open (those of the commit before, plus its new ones, less
# those it resolved) are exactly, fingerprint for fingerprint, those of a fresh
# `assure check --rev` of that commit as of the same day.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
"$ASSURE_SOURCE_DIR/bench/gen" S s >/dev/null
run_assure audit.json audit --repo s --rules "$pack" --format json --quiet
[ "$rc" -le 1 ] || fail "audit: exit code $rc: $(cat audit.json.err)"
python3 - audit.json >commits.txt <<'PY'
import json, sys
opened = set()
for c in json.load(open(sys.argv[1]))["commits"]:
    opened |= {f["fingerprint"] for f in c["new"]}
    opened -= {f["fingerprint"] for f in c["resolved"]}
    print(c["id"], c["as_of"], " ".join(sorted(opened)) or "-")
PY
[ "$(wc -l <commits.txt)" -eq 163 ] || fail "expected 163 commits in the audit, got $(wc -l <commits.txt)"
pass
while read -r id as_of open; do
	run_assure check.json check --repo s --rev "$id" --rules "$pack" --as-of "$as_of" --format json --fail-on none
	got=$(python3 -c 'import json,sys; print(" ".join(sorted(f["fingerprint"] for f in json.load(open(sys.argv[1]))["findings"])) or "-")' check.json)
	[ "$got" = "$open" ] || fail "${id:0:12} as of $as_of: the audit holds $(echo "$open" | wc -w) open, a check finds $(echo "$got" | wc -w); they differ"
	pass
done <commits.txt
finish
