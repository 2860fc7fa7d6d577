#!/usr/bin/env bash
# End-to-end: the audit's reuse never changes a result. For every commit of the demo
# repository (and of a history that edits control totals, papers and finance returns in
# turn, so that every kind of reuse is exercised), the findings the audit holds open are
# exactly those of a fresh `assure check --rev` of that commit as of the same day.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo >/dev/null

# A second history on the demo's HEAD: each commit touches one kind of input of a rule that
# reuses results (a file read with file_doc, a file only some rules select, a date-only change).
git clone -q demo edits
t=$(git -C edits log -1 --format=%ct)
commit() {
	t=$((t + 86400))
	GIT_AUTHOR_NAME=E GIT_AUTHOR_EMAIL=e@example.nhs.uk GIT_COMMITTER_NAME=E GIT_COMMITTER_EMAIL=e@example.nhs.uk \
		GIT_AUTHOR_DATE="$t +0000" GIT_COMMITTER_DATE="$t +0000" \
		git -C edits -c commit.gpgsign=false commit -q -a --allow-empty -m "$1"
	# an edit that matched nothing would test nothing
	if [ -n "${2:-}" ]; then
		git -C edits diff --quiet HEAD~1 HEAD -- "$2" && fail "'$1' changed nothing in $2"
		pass
	fi
}
ct=returns/2020-21/control_totals.json
sed -i 's/"RTX": -25\.0/"RTX": -20.0/' "edits/$ct" && commit "tighten a control total read with file_doc" "$ct"
sed -i 's/"RTX": -20\.0/"RTX": -25.0/' "edits/$ct" && commit "restore it" "$ct"
commit "an empty commit a day later: only dates move"
log=$(ls edits/returns/2020-21/board/action-log-*.json | head -1)
sed -i 's/"In progress"/"Complete"/' "$log" && commit "close actions" "${log#edits/}"
rtx=edits/returns/2020-21/m07/finance/rtx.json
sed -i 's/"outturn": -25\.0/"outturn": -30.0/' "$rtx" && commit "a trust's forecast worsens" "${rtx#edits/}"

for repo in demo edits; do
	run_assure "$repo.json" audit --repo "$repo" --rules "$pack" --format json --quiet
	[ "$rc" -le 1 ] || fail "audit of $repo: exit code $rc: $(cat "$repo.json.err")"
	python3 - "$repo.json" >"$repo.commits" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["commits"]:
    print(c["id"], c["as_of"], c["counts"]["error"], c["counts"]["warning"], c["counts"]["info"])
PY
	[ -s "$repo.commits" ] || fail "no commits in the audit of $repo"
	while read -r id as_of e w i; do
		run_assure "check.json" check --repo "$repo" --rev "$id" --rules "$pack" --as-of "$as_of" --format json --fail-on none
		got=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(c["error"], c["warning"], c["info"])' check.json)
		[ "$got" = "$e $w $i" ] || fail "$repo ${id:0:12} as of $as_of: audit holds $e $w $i open, check finds $got"
		pass
	done <"$repo.commits"
done
# the edits really moved something: the tightened control total opens FIN-001 for RTX (a
# result that reading the same blob again would have hidden), restoring it closes it, and the
# worsened forecast opens it again at the end
python3 - edits.json <<'PY' || fail "the tightened control total does not open and close FIN-001 for RTX"
import json, sys
commits = json.load(open(sys.argv[1]))["commits"]
by = {c["subject"]: c for c in commits}
assert any(f["rule"] == "FIN-001" and f["subject"] == "RTX" for f in by["tighten a control total read with file_doc"]["new"])
assert any(f["rule"] == "FIN-001" and f["subject"] == "RTX" for f in by["restore it"]["resolved"])
PY
pass
# the worsened forecast is a new FIN-001 in the last commit
python3 - edits.json <<'PY' || fail "the edited history does not open FIN-001 for RTX at its end"
import json, sys
last = json.load(open(sys.argv[1]))["commits"][-1]
assert any(f["rule"] == "FIN-001" and f["subject"] == "RTX" for f in last["new"]), last["new"]
PY
pass

finish
