#!/usr/bin/env bash
# End-to-end: assure audit and assure history on a repository built here with a tiny rule
# set of its own: a linear history, a commit that touches unrelated files only, a breach
# introduced, resolved and reintroduced, a rename, a deleted return, a branch and a merge,
# a date rule that fires because time passed; ranges, --since, --paths, --first-parent,
# --as-of; byte-identical reruns; and the reuse --stats proves on 200 commits of 50 files.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"

mkdir rules
cat >rules/tiny.json <<'JSON'
{
  "ruleset": "e2e-audit",
  "version": "1.0.0",
  "description": "Two rules for the audit tests: a value limit and a due date",
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
    },
    {
      "id": "DUE-001",
      "title": "Action past its due date",
      "severity": "warning",
      "domain": "governance",
      "applies_to": { "paths": ["returns/**/actions.json"] },
      "for_each": "$.actions[*]",
      "assert": "date(@.due) >= as_of",
      "message": "action {@.code} was due {@.due}",
      "subject": "@.code"
    }
  ]
}
JSON
R=(--rules "$TEST_TMP/rules")

put() { mkdir -p "repo/$(dirname "$1")" && printf '%s\n' "$2" >"repo/$1"; }

make_repo repo
put returns/a.json '{ "org": "A", "value": 5 }'
put returns/actions.json '{ "actions": [ { "code": "ACT-1", "due": "2021-01-12" } ] }'
put notes.txt 'notes'
commit_all repo "2021-01-01 09:00:00" "c1 start" "Ann Author" "ann@example.nhs.uk"
put returns/a.json '{ "org": "A", "value": 20 }'
commit_all repo "2021-01-05 09:00:00" "c2 A goes over" "Bob Breaker" "bob@example.nhs.uk"
put notes.txt 'more notes'
commit_all repo "2021-01-10 09:00:00" "c3 notes only"
put returns/a.json '{ "org": "A", "value": 5 }'
commit_all repo "2021-01-15 09:00:00" "c4 A back under" "Fay Fixer" "fay@example.nhs.uk"
put returns/a.json '{ "org": "A", "value": 30 }'
commit_all repo "2021-01-20 09:00:00" "c5 A over again" "Bob Breaker" "bob@example.nhs.uk"
put returns/b.json '{ "org": "B", "value": 50 }'
commit_all repo "2021-01-25 09:00:00" "c6 add B"
mkdir -p repo/returns/sub && git -C repo mv returns/b.json returns/sub/b2.json
commit_all repo "2021-02-01 09:00:00" "c7 move B"
git -C repo rm -q returns/sub/b2.json
commit_all repo "2021-02-05 09:00:00" "c8 delete B"
git -C repo checkout -q -b side
put returns/c.json '{ "org": "C", "value": 99 }'
commit_all repo "2021-02-10 09:00:00" "s1 add C on a branch" "Sid Side" "sid@example.nhs.uk"
git -C repo checkout -q main
put returns/a.json '{ "org": "A", "value": 4 }'
commit_all repo "2021-02-12 09:00:00" "c9 A fixed" "Fay Fixer" "fay@example.nhs.uk"
GIT_AUTHOR_DATE="2021-02-15 09:00:00 +0000" GIT_COMMITTER_DATE="2021-02-15 09:00:00 +0000" \
	GIT_AUTHOR_NAME="Mia Merger" GIT_AUTHOR_EMAIL="mia@example.nhs.uk" \
	GIT_COMMITTER_NAME="Mia Merger" GIT_COMMITTER_EMAIL="mia@example.nhs.uk" \
	git -C repo -c commit.gpgsign=false merge -q --no-ff --no-edit side
# git status may refresh the index after a merge: let it settle before taking the state.
export GIT_OPTIONAL_LOCKS=0
before=$(repo_state repo)

# py FILE 'python expression over d (the JSON document) and c (its commits by subject)'
py() {
	python3 - "$1" "$2" <<'PY' || fail "check failed on $1: $2"
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["subject"]: x for x in d.get("commits", [])}
def rules(l): return sorted((f["rule"], f["subject"]) for f in l)
ok = eval(sys.argv[2])
if not ok:
    print("false: " + sys.argv[2], file=sys.stderr)
    sys.exit(1)
PY
	pass
}

# The whole history, JSON.
run_assure all.json audit --repo repo "${R[@]}" --format json --stats
expect_rc 1 "an error is open at the end"
expect_grep '^stats: 11 commits, ' all.json.err
py all.json 'd["format"] == "assure-audit/1" and d["rules"]["name"] == "e2e-audit" and len(d["rules"]["hash"]) == 40'
py all.json 'd["as_of"] == {"policy": "commit-date", "date": None} and d["source"]["range"] == "HEAD"'
# Oldest first in topological order: the two sides of the merge in either order, the merge last.
py all.json '[x["subject"] for x in d["commits"]][:8] == ["c1 start", "c2 A goes over", "c3 notes only", "c4 A back under", "c5 A over again", "c6 add B", "c7 move B", "c8 delete B"]'
py all.json 'sorted(x["subject"] for x in d["commits"][8:10]) == ["c9 A fixed", "s1 add C on a branch"] and d["commits"][10]["subject"] == "Merge branch '"'"'side'"'"'"'
# A root commit: everything new (nothing here), compared with nothing.
py all.json 'c["c1 start"]["compared_with"] is None and c["c1 start"]["new"] == [] and c["c1 start"]["as_of"] == "2021-01-01"'
py all.json 'rules(c["c2 A goes over"]["new"]) == [("LIM-001", "A")] and c["c2 A goes over"]["new"][0]["interval"]["days"] == 10'
# Unrelated files only: no return changed, the breach persists.
py all.json 'c["c3 notes only"]["changes"] == [] and c["c3 notes only"]["other_changes"] == 1 and c["c3 notes only"]["persisting"] == 1 and c["c3 notes only"]["new"] == []'
# Resolved; and the date rule fires because c4 is committed after the due date.
py all.json 'rules(c["c4 A back under"]["resolved"]) == [("LIM-001", "A")] and rules(c["c4 A back under"]["new"]) == [("DUE-001", "ACT-1")]'
py all.json 'c["c4 A back under"]["changes"] == [{"change": "modified", "path": "returns/a.json", "old_path": None}]'
py all.json 'rules(c["c5 A over again"]["new"]) == [("LIM-001", "A")] and c["c5 A over again"]["counts"]["error"] == 1'
# A rename keeps the finding; a deleted return resolves it.
py all.json 'c["c7 move B"]["changes"] == [{"change": "renamed", "path": "returns/sub/b2.json", "old_path": "returns/b.json"}]'
py all.json 'c["c7 move B"]["new"] == [] and c["c7 move B"]["resolved"] == [] and c["c7 move B"]["persisting"] == 3'
py all.json 'c["c8 delete B"]["changes"][0]["change"] == "deleted" and rules(c["c8 delete B"]["resolved"]) == [("LIM-001", "B")]'
py all.json 'c["c8 delete B"]["resolved"][0]["path"] == "returns/sub/b2.json" and c["c8 delete B"]["resolved"][0]["interval"]["days"] == 11'
# The merge is compared with its first parent: C is new there, but its interval began on the branch.
m='c["Merge branch '"'"'side'"'"'"]'
py all.json "$m"'["parents"] == 2 and rules('"$m"'["new"]) == [("LIM-001", "C")] and '"$m"'["compared_with"] == c["c9 A fixed"]["id"]'
py all.json "$m"'["new"][0]["interval"]["opened"] == c["s1 add C on a branch"]["id"]'
py all.json 'rules(c["c9 A fixed"]["resolved"]) == [("LIM-001", "A")] and c["c9 A fixed"]["new"] == []'
# The summary.
py all.json 'd["summary"]["commits"] == 11 and d["summary"]["open"] == 2 and d["summary"]["closed"] == 3'
# C's interval opened once, on the branch: the merge that brings it does not count it again.
py all.json '[(t["key"], t["opened"], t["closed"], t["open"]) for t in d["summary"]["by_org"]] == [("A", 2, 2, 0), ("B", 1, 1, 0), ("C", 1, 0, 1), ("", 1, 0, 1)]'
# the summary adds up: open at the start (none, the range starts at the root) + opened - closed = open
py all.json 'd["summary"]["opened"] - d["summary"]["closed"] == d["summary"]["open"]'
py all.json '[(t["key"], t["open"]) for t in d["summary"]["by_domain"]] == [("finance", 1), ("governance", 1)]'
py all.json 'd["summary"]["longest_open"][0]["rule"] == "DUE-001" and d["summary"]["longest_open"][0]["days"] == 31'

# history: two intervals for A's breach, a rename kept as one interval, the merge's branch origin.
run_assure hist.txt history --repo repo "${R[@]}" --rule LIM-001 --subject A
expect_rc 0 "history"
[ "$(grep -c '^  [0-9]\. opened' hist.txt)" = 2 ] || fail "A's breach should have two intervals: $(cat hist.txt)"
pass
expect_grep '^  1\. opened [0-9a-f]\{12\} 2021-01-05 09:00:00 +0000 by Bob Breaker <bob@example.nhs.uk>: c2 A goes over$' hist.txt
expect_grep '^     resolved [0-9a-f]\{12\} 2021-01-15 09:00:00 +0000 by Fay Fixer <fay@example.nhs.uk>: c4 A back under$' hist.txt
expect_grep '^     open 10 days$' hist.txt
expect_grep '^     open 23 days$' hist.txt
expect_grep '^2 intervals of 1 finding, 0 open at the end' hist.txt
run_assure hist.json history --repo repo "${R[@]}" --format json
expect_rc 0 "history json"
py hist.json 'd["format"] == "assure-history/1" and [(f["rule"], f["subject"], f["path"], len(f["intervals"])) for f in d["findings"]] == [("LIM-001", "A", "returns/a.json", 2), ("DUE-001", "ACT-1", "returns/actions.json", 1), ("LIM-001", "C", "returns/c.json", 1), ("LIM-001", "B", "returns/sub/b2.json", 1)]'
py hist.json '[i["resolved"] for i in d["findings"][2]["intervals"]] == [None] and d["findings"][2]["intervals"][0]["opened"]["author"] == "Sid Side"'
py hist.json 'd["findings"][3]["intervals"][0]["opened"]["subject"] == "c6 add B" and d["findings"][3]["intervals"][0]["resolved"]["subject"] == "c8 delete B"'
run_assure hist_path.txt history --repo repo "${R[@]}" --path 'returns/sub/*'
expect_grep '^returns/sub/b2.json LIM-001 error \[B\]$' hist_path.txt
grep -q 'returns/a.json' hist_path.txt && fail "--path kept another file"
pass

# --first-parent: the branch commit is not walked; C's interval begins at the merge.
run_assure fp.json audit --repo repo "${R[@]}" --format json --first-parent
py fp.json 'len(d["commits"]) == 10 and "s1 add C on a branch" not in c and d["source"]["first_parent"] is True'
py fp.json 'c["Merge branch '"'"'side'"'"'"]["new"][0]["interval"]["opened"] == c["Merge branch '"'"'side'"'"'"]["id"]'

# A range: the commit before it is checked as a boundary, so c5 is compared with c4's state.
run_assure range.json audit --repo repo "${R[@]}" --format json HEAD~6..HEAD~4
py range.json '[x["subject"] for x in d["commits"]] == ["c5 A over again", "c6 add B"] and [b["subject"] for b in d["boundaries"]] == ["c4 A back under"]'
py range.json 'rules(c["c5 A over again"]["new"]) == [("LIM-001", "A")] and c["c5 A over again"]["persisting"] == 1 and d["summary"]["opened"] == 2'
py range.json 'd["source"]["range"] == "HEAD~6..HEAD~4"'

# --since / --until on committer dates.
run_assure since.json audit --repo repo "${R[@]}" --format json --since 2021-01-15 --until 2021-01-20
py since.json '[x["subject"] for x in d["commits"]] == ["c4 A back under", "c5 A over again"] and rules(c["c4 A back under"]["resolved"]) == [("LIM-001", "A")]'

# --paths: only commits that change matching files are reported, still compared with their real parents.
run_assure paths.json audit --repo repo "${R[@]}" --format json --paths 'returns/sub/**'
py paths.json '[x["subject"] for x in d["commits"]] == ["c7 move B", "c8 delete B"] and c["c7 move B"]["persisting"] == 3'

# --as-of fixes the reference date: the due date never passes.
run_assure asof.json audit --repo repo "${R[@]}" --format json --as-of 2021-01-01
py asof.json 'd["as_of"] == {"policy": "fixed", "date": "2021-01-01"} and all(f["rule"] != "DUE-001" for x in d["commits"] for f in x["new"])'

# Text, Markdown: the same story; same inputs, same bytes; nothing on stderr when it is not a terminal.
run_assure all.txt audit --repo repo "${R[@]}"
expect_grep '^  returns changed: none$' all.txt
expect_grep '^  other files changed: 1$' all.txt
expect_grep '^    renamed   returns/sub/b2.json (from returns/b.json)$' all.txt
expect_grep '^Merge:  compared with its first parent [0-9a-f]\{12\}$' all.txt
expect_grep '^      (opened in [0-9a-f]\{12\}, open 10 days)$' all.txt
[ ! -s all.txt.err ] || fail "stderr is not a terminal, yet: $(cat all.txt.err)"
pass
run_assure all2.txt audit --repo repo "${R[@]}"
cmp -s all.txt all2.txt || fail "two text runs differ"
pass
run_assure all.md audit --repo repo "${R[@]}" --format markdown
expect_grep '^# Audit of the returns repository$' all.md
expect_grep '^| Rules | e2e-audit 1.0.0 (2 rules, hash `[0-9a-f]\{40\}`) |$' all.md
expect_grep '^### 4\. `[0-9a-f]\{12\}` c4 A back under$' all.md
run_assure out.json audit --repo repo "${R[@]}" --format json --out "$TEST_TMP/written.json"
[ ! -s out.json ] && cmp -s written.json all.json || fail "--out FILE should hold the report, stdout nothing"
expect_grep "^assure audit: wrote $TEST_TMP/written.json (1 file)\$" out.json.err
# a report file's folders are made, as a report folder's are
run_assure md.txt audit --repo repo "${R[@]}" --format markdown --out "$TEST_TMP/new/folders/audit.md"
[ -s "$TEST_TMP/new/folders/audit.md" ] || fail "--out into folders that do not exist yet wrote nothing: $(cat md.txt.err)"
pass
pass

# The progress line: on standard error when it is a terminal (script(1) gives it one), not with --quiet.
command -v script >/dev/null || fail "script (util-linux) is needed to give assure a terminal"
script -qec "'$ASSURE_BIN' audit --repo repo --rules '$TEST_TMP/rules' >/dev/null" /dev/null >tty.txt || true
grep -q 'assure: 11/11 commits, [0-9.]*/s, [0-9]*s left' tty.txt || fail "no progress line on a terminal: $(cat -v tty.txt)"
pass
script -qec "'$ASSURE_BIN' audit --repo repo --rules '$TEST_TMP/rules' --quiet >/dev/null" /dev/null >tty_quiet.txt || true
[ ! -s tty_quiet.txt ] || fail "--quiet still drew progress: $(cat -v tty_quiet.txt)"
pass

# Usage errors.
run_assure u1.txt audit "${R[@]}"
expect_rc 2 "no --repo"
expect_grep '^usage: assure audit' u1.txt.err
run_assure u2.txt audit --repo repo "${R[@]}" --format html
expect_rc 2 "html without --out"
run_assure u3.txt audit --repo repo "${R[@]}" nope..HEAD
expect_rc 2 "unknown range"
expect_grep "nope..HEAD" u3.txt.err
run_assure u4.txt audit --repo repo "${R[@]}" --since yesterday
expect_rc 2 "bad --since"
run_assure u5.txt history --repo repo "${R[@]}" --format html
expect_rc 2 "history has no html"
run_assure u6.txt audit --repo repo "${R[@]}" HEAD~1...HEAD
expect_rc 2 "symmetric difference"

[ "$(repo_state repo)" = "$before" ] || fail "the audit wrote to the repository"
pass

# Reuse: 200 commits that each change one of 50 files parse each blob once (50 + 199),
# and the findings of the files a commit did not change are reused, not evaluated.
python3 - "$TEST_TMP/stream" <<'PY'
import sys
out = open(sys.argv[1], "w")
t = 1609491600  # 2021-01-01 09:00 UTC
mark = 0
def commit(i, files, parent):
    global mark
    for path, text in files:
        mark += 1
        out.write(f"blob\nmark :{mark}\ndata {len(text)}\n{text}\n")
    msg = f"commit {i}"
    out.write(f"commit refs/heads/main\nmark :{100000 + i}\n")
    out.write(f"author Bulk Author <bulk@example.nhs.uk> {t + i * 3600} +0000\n")
    out.write(f"committer Bulk Author <bulk@example.nhs.uk> {t + i * 3600} +0000\n")
    out.write(f"data {len(msg)}\n{msg}\n")
    if parent is not None:
        out.write(f"from :{100000 + parent}\n")
    for k, (path, _) in enumerate(files):
        out.write(f"M 100644 :{mark - len(files) + 1 + k} {path}\n")
    out.write("\n")
commit(0, [(f"returns/r{n:02d}.json", f'{{ "org": "O{n:02d}", "value": {n % 20} }}\n') for n in range(50)], None)
for i in range(1, 200):
    n = i % 50
    commit(i, [(f"returns/r{n:02d}.json", f'{{ "org": "O{n:02d}", "value": {(n + i) % 20}, "rev": {i} }}\n')], i - 1)
PY
make_repo bulk
git -C bulk fast-import --quiet <stream
run_assure bulk.json audit --repo bulk "${R[@]}" --stats --format json
read -r commits parsed reused evals < <(sed -n 's/^stats: \([0-9]*\) commits, .* \([0-9]*\) blobs parsed, \([0-9]*\) rule evaluations, \([0-9]*\) findings reused.*/\1 \2 \4 \3/p' bulk.json.err)
[ "$commits" = 200 ] || fail "expected 200 commits: $(cat bulk.json.err)"
pass
[ "$parsed" -le 250 ] || fail "parsed $parsed blobs, more than 50 + 200: $(cat bulk.json.err)"
pass
# Without reuse every commit would evaluate LIM-001 on all 50 files: 10000 evaluations.
[ "$evals" -le 300 ] || fail "$evals rule evaluations: findings were not reused: $(cat bulk.json.err)"
pass
[ "$reused" -gt 0 ] || fail "no finding reused: $(cat bulk.json.err)"
pass
py bulk.json 'len(d["commits"]) == 200'

# A shallow clone (what CI checks out): the audit walks what is there, compares the
# boundary commit with nothing, and says so on stderr and in the report.
git clone -q --depth 3 "file://$TEST_TMP/bulk" shallow
run_assure shallow.json audit --repo shallow "${R[@]}" --format json
[ "$rc" -le 1 ] || fail "audit of a shallow clone: exit code $rc: $(cat shallow.json.err)"
pass
expect_grep "is a shallow clone: the parents of [0-9a-f]\{12\} are not in it" shallow.json.err
py shallow.json 'len(d["commits"]) == 3 and d["commits"][0]["shallow"] and d["commits"][0]["compared_with"] is None and not d["commits"][1]["shallow"]'
run_assure shallow.txt audit --repo shallow "${R[@]}"
expect_grep '^Shallow: its parents are not in this clone, so every finding is new$' shallow.txt

finish
