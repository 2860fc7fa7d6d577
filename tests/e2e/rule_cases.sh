#!/usr/bin/env bash
# End-to-end: every rule of rules/lsc-saf is proven by its case in fixtures/rules/<ID>/:
# the fail/ folder raises exactly the expected findings of that rule (path, line, column,
# subject, and message where given), the pass/ folder raises none, and neither has a
# finding that could not be evaluated (layout in fixtures/README.md). Also: every rule
# has a case, the pack passes lint, and explain runs each rule's own examples.
source "$(dirname "$0")/lib.sh"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
cases="$ASSURE_SOURCE_DIR/fixtures/rules"
cd "$TEST_TMP"

run_assure lint.txt rules lint "$pack"
expect_rc 0 "the lsc-saf pack passes lint"

run_assure list.txt rules list --rules "$pack"
expect_rc 0 "rules list"
ids=$(awk '{print $1}' list.txt | grep -E '^[A-Z][A-Z0-9]*-[0-9]{3}$' | sort)
[ "$(echo "$ids" | wc -l)" -ge 40 ] || fail "expected at least 40 rules in lsc-saf, got: $ids"
pass

for id in $ids; do
	dir="$cases/$id"
	[ -f "$dir/expected.json" ] || fail "$id has no case in fixtures/rules/$id/expected.json"
	as_of=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$dir/expected.json")
	for side in fail pass; do
		[ -d "$dir/$side" ] || fail "$id has no $side/ folder"
		run_assure "$id.$side.json" check --rules "$pack" --as-of "$as_of" --format json \
			--fail-on none "$dir/$side"
		# 0: complete; 1 only when incomplete, which the comparison below reports in detail
		[ "$rc" -le 1 ] || fail "$id $side: exit code $rc: $(head -c 2000 "$id.$side.json.err")"
		python3 - "$dir/expected.json" "$id.$side.json" "$id" "$side" <<'PY' || fail "$id $side/ does not give the expected findings"
import json, sys
expected = json.load(open(sys.argv[1]))[sys.argv[4]]["findings"]
report = json.load(open(sys.argv[2]))
rule, side = sys.argv[3], sys.argv[4]
problems = []
bad = [f for f in report["findings"] if f["rule"] in ("ASSURE-EVAL", "ASSURE-PARSE")]
for f in bad:
    problems.append("not evaluable: %s %s: %s" % (f["rule"], f["path"], f["message"]))
got = [f for f in report["findings"] if f["rule"] == rule]
def key(f):
    return (f["path"], f["line"], f["column"], f["subject"])
remaining = list(got)
for e in expected:
    match = [g for g in remaining if key(g) == key(e) and ("message" not in e or g["message"] == e["message"])]
    if not match:
        problems.append("missing: %s:%s:%s subject %r%s" % (e["path"], e["line"], e["column"], e["subject"],
                        (" message %r" % e["message"]) if "message" in e else ""))
    else:
        remaining.remove(match[0])
for g in remaining:
    problems.append("unexpected: %s:%s:%s subject %r message %r" % (g["path"], g["line"], g["column"], g["subject"], g["message"]))
if side == "fail" and not expected:
    problems.append("a fail case must expect at least one finding")
for p in problems:
    print("%s %s/: %s" % (rule, side, p), file=sys.stderr)
sys.exit(1 if problems else 0)
PY
		pass
	done
	run_assure "$id.explain.txt" explain --rules "$pack" "$id"
	expect_rc 0 "explain $id"
	expect_grep "^$id: " "$id.explain.txt"
	expect_grep "^message  *[^ ]" "$id.explain.txt"
	for section in Description Rationale Reference 'What to do'; do
		expect_grep "^$section\$" "$id.explain.txt"
	done
done

finish
