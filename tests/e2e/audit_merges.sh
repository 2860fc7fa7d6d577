#!/usr/bin/env bash
# End-to-end: the audit's summary adds up on linear, branched and merged histories (open at the
# start + opened - closed = open at the end, in total and for each rule and organisation): a
# merge does not count again what a branch opened, a branch's fix that the merge does not keep
# is not counted as closed, what a branch opened and the merge dropped is closed by the merge,
# and intervals already open at the start of a range are ranked after those whose length is known.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
mkdir rules
cat >rules/lim.json <<'JSON'
{
  "ruleset": "e2e-merges",
  "version": "1.0.0",
  "description": "One rule for the merge accounting tests",
  "rules": [
    {
      "id": "LIM-001",
      "title": "Value above the limit",
      "severity": "error",
      "domain": "finance",
      "applies_to": { "paths": ["returns/**/*.json"] },
      "when": "exists($.value)",
      "assert": "$.value <= 10",
      "message": "value {$.value} is above 10",
      "subject": "$.org"
    }
  ]
}
JSON
R=(--rules "$TEST_TMP/rules" --quiet --format json --fail-on none)
put() { mkdir -p "repo/$(dirname "$1")" && printf '%s\n' "$2" >"repo/$1"; }
git_at() { # DATE ARGS...: git in repo with both dates set
	local d="$1 +0000"
	shift
	GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.nhs.uk" GIT_COMMITTER_NAME="Test Author" \
		GIT_COMMITTER_EMAIL="author@example.nhs.uk" GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" \
		git -C repo -c commit.gpgsign=false "$@"
}

make_repo repo
put returns/a.json '{ "org": "A", "value": 5 }'
put returns/b.json '{ "org": "B", "value": 5 }'
commit_all repo "2021-01-01 10:00:00" "m1 start"
put returns/a.json '{ "org": "A", "value": 50 }'
put returns/b.json '{ "org": "B", "value": 50 }'
commit_all repo "2021-01-02 10:00:00" "m2 A and B over"
git -C repo checkout -q -b side
# (i) the branch fixes A and the merge keeps the fix; (ii) it fixes B but the merge keeps B over
put returns/a.json '{ "org": "A", "value": 1 }'
put returns/b.json '{ "org": "B", "value": 1 }'
# (iii) the branch adds C over the limit, and the merge drops it
put returns/c.json '{ "org": "C", "value": 70 }'
commit_all repo "2021-01-03 10:00:00" "s1 fix A and B, add C"
git -C repo checkout -q main
put returns/d.json '{ "org": "D", "value": 80 }'
commit_all repo "2021-01-04 10:00:00" "m3 add D over"
git_at "2021-01-05 10:00:00" merge -q --no-commit side 2>/dev/null || true
put returns/a.json '{ "org": "A", "value": 1 }'
put returns/b.json '{ "org": "B", "value": 50 }'
rm -f repo/returns/c.json
git -C repo add -A
git_at "2021-01-05 10:00:00" commit -q -m "m4 merge side, keep B over, drop C"
put returns/d.json '{ "org": "D", "value": 2 }'
commit_all repo "2021-01-20 10:00:00" "m5 D fixed"

# accounting FILE: the summary adds up, in total and in every tally
accounting() {
	python3 - "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["open_at_start"] + s["opened"] - s["closed"] == s["open"], s
if s["open_at_start"] == 0:  # the tallies have no start of their own: then each adds up too
    for key in ("by_rule", "by_domain", "by_org"):
        for t in s[key]:
            assert t["opened"] - t["closed"] == t["open"], (key, t)
PY
}

run_assure all.json audit --repo repo "${R[@]}"
expect_rc 0 "audit of the merged history"
accounting all.json || fail "the summary of the merged history does not add up"
pass
python3 - all.json <<'PY' || fail "a merge's accounting is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
by = {t["key"]: (t["opened"], t["closed"], t["open"]) for t in s["by_org"]}
# A: opened on main, fixed on the branch, the fix merged: closed once
assert by["A"] == (1, 1, 0), by
# B: opened on main, fixed on the branch, the merge keeps it over: the branch's fix does not count
assert by["B"] == (1, 0, 1), by
# C: opened on the branch, dropped by the merge: opened once, closed by the merge
assert by["C"] == (1, 1, 0), by
# D: opened and fixed on main
assert by["D"] == (1, 1, 0), by
assert (s["open_at_start"], s["opened"], s["closed"], s["open"]) == (0, 4, 3, 1), s
merge = [c for c in d["commits"] if c["subject"].startswith("m4")][0]
# against its first parent the merge resolves A (fixed on the branch, where its interval
# closed) and, from the branch, C (which its interval closes at)
res = {f["subject"]: f["interval"]["resolved"] for f in merge["resolved"]}
side = [c for c in d["commits"] if c["subject"].startswith("s1")][0]
assert res == {"A": side["id"], "C": merge["id"]}, res
PY
pass

# --first-parent: the branch is not walked; the merge brings its changes as one commit
run_assure fp.json audit --repo repo --first-parent "${R[@]}"
accounting fp.json || fail "the summary of --first-parent does not add up"
pass

# a range that starts after the breaches: they are open at the start, ranked after known lengths
first=$(git -C repo rev-list --first-parent --reverse HEAD | sed -n 2p)
run_assure range.json audit --repo repo "$first..HEAD" "${R[@]}"
accounting range.json || fail "the summary of a range does not add up"
pass
python3 - range.json <<'PY' || fail "intervals open before the range are ranked as if their length were known"
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["open_at_start"] == 2, s
flags = [l["open_before_range"] for l in s["longest_open"]]
assert True in flags and False in flags, s["longest_open"]
assert flags == sorted(flags), flags  # every known length first
PY
pass
finish
