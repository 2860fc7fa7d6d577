#!/usr/bin/env bash
# End-to-end golden test: the audit of the demo repository (ci/make-demo-repo) with the
# lsc-saf rules, in every format, and its history, compared byte for byte with
# fixtures/golden/audit/. After a deliberate change (formats, demo history, rule pack)
# regenerate them with ci/update-audit-golden and review the diff.
source "$(dirname "$0")/lib.sh"
golden="$ASSURE_SOURCE_DIR/fixtures/golden/audit"
cd "$TEST_TMP"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo-repo >/dev/null
R=(--repo demo-repo --rules "$ASSURE_SOURCE_DIR/rules/lsc-saf")

for fmt in text:txt json:json markdown:md; do
	run_assure "audit.${fmt#*:}" audit "${R[@]}" --format "${fmt%:*}"
	expect_rc 1 "the demo ends with errors open (${fmt%:*})"
	expect_same "audit.${fmt#*:}" "$golden/audit.${fmt#*:}"
done
run_assure history.txt history "${R[@]}"
expect_rc 0 "history"
expect_same history.txt "$golden/history.txt"
run_assure history.json history "${R[@]}" --format json
expect_same history.json "$golden/history.json"

run_assure html.txt audit "${R[@]}" --format html --out html
expect_rc 1 "html"
[ ! -s html.txt ] || fail "--format html printed to stdout"
pass
if [ "${ASSURE_UPDATE_GOLDEN:-0}" = 1 ]; then
	rm -rf "$golden/html"
	cp -r html "$golden/html"
fi
diff -ru "$golden/html" html >&2 || fail "the HTML report differs from $golden/html"
pass
[ "$(ls html/commits | wc -l)" = 13 ] || fail "expected a page for each of the 13 commits"
pass

# What an auditor reads in the demo: UHMB's restatement opens FIN-001 (and FIN-003, since the system
# return still states the old sum), two commits later both are cleared.
expect_grep '^  new:$' audit.txt
python3 - audit.json <<'PY' || fail "the demo's FIN-001 story is not in the JSON audit"
import json, sys
d = json.load(open(sys.argv[1]))
c = [x for x in d["commits"] if x["subject"].startswith("UHMB month 7")]
story = [("FIN-001", "RTX"), ("FIN-003", "2020-21 M7 forecast.outturn")]
assert [(f["rule"], f["subject"]) for f in c[0]["new"]] == story, c[0]["new"]
assert [(f["rule"], f["subject"]) for f in c[1]["resolved"]] == story, c[1]["resolved"]
assert c[1]["resolved"][0]["interval"]["days"] == 4
readme = [x for x in d["commits"] if x["subject"].startswith("README")][0]
assert readme["changes"] == [] and readme["other_changes"] == 1 and readme["new"] == [] and readme["resolved"] == []
assert d["rules"]["name"] == "lsc-saf" and d["source"]["repository"] == "demo-repo"
# the chart lsc-saf declares: the system's outturn against its control total, per year
fig = [f for f in d["commits"][-1]["charts"] if f["chart"] == "system-finance" and f["key"] == "2020-21"][0]
assert fig["values"] == {"forecast outturn (system finance return)": "-90.8",
                         "control total (control_totals.system)": "-90"}, fig
PY
pass

# Same inputs, same bytes, in every format.
run_assure audit2.json audit "${R[@]}" --format json
cmp -s audit.json audit2.json || fail "two JSON runs differ"
pass
run_assure html2.txt audit "${R[@]}" --format html --out html2
diff -r html html2 >/dev/null || fail "two HTML runs differ"
pass

finish
