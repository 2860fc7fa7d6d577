#!/usr/bin/env bash
# End-to-end: assure.json, the repository's configuration. Each key changes what check, audit
# and history do; the command line overrides it key by key; it is read from the commit checked,
# not from the working tree (and from the index with --index); `assure config` prints every
# value and where it came from; a bad file is an error naming the file, the line and column and
# the JSON Pointer of each problem, and nothing is checked.
source "$(dirname "$0")/lib.sh"
basic="$ASSURE_SOURCE_DIR/fixtures/e2e/check/rules/basic.json"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/finance repo/returns/drafts

# RXN breaches FIN-001 of basic.json by 1.1 (its tolerance is 0.5); an action is overdue (GOV-001,
# a warning); a draft is not JSON at all.
cat >repo/returns/finance/rxn.json <<'JSON'
{
  "kind": "finance",
  "org": "RXN",
  "forecast": { "outturn": -17.7, "control_total": -16.6 }
}
JSON
cat >repo/returns/actions.json <<'JSON'
{ "actions": [ { "code": "A-1", "status": "Open", "due": "2020-11-01" } ] }
JSON
printf '{ "kind": "finance", "org": ' >repo/returns/drafts/rxr.json
commit_all repo "2020-12-01 09:00:00" "returns without a configuration"
c0=$(git -C repo rev-parse --short=12 HEAD)
common=(--as-of 2020-12-10 --rules "$basic")

# Without assure.json: the defaults. The draft is unreadable and RXN breaches: exit 1.
run_assure none.txt check --repo repo "${common[@]}"
expect_rc 1 "check without assure.json"
expect_grep '^returns/drafts/rxr.json:1:29: error: \[ASSURE-PARSE\]' none.txt
expect_grep '\[FIN-001\] forecast outturn -17.7 is 1.1 worse' none.txt
run_assure cfg0.txt config --repo repo --rules "$basic"
expect_rc 0 "config without assure.json"
cat >cfg0.expected <<EOF
configuration of 'repo' at $c0 (it has no assure.json)
  rules    ["$basic"]  command line
  params   {}                             default
  waivers  "assure-waivers.json"          default
  fail_on  "error"                        default
  ignore   []                             default
rule set e2e-check 1.0.0, 0 params set
EOF
expect_same cfg0.txt cfg0.expected

# Every key, in a commit. rules names the rule set by its absolute path (read from the
# filesystem); params raises the tolerance above the breach; ignore leaves the drafts out;
# fail_on warning makes the overdue action fail the run.
cat >repo/assure.json <<EOF
{
  "rules": ["$basic"],
  "params": { "finance": { "tolerance": 2 } },
  "waivers": "governance/waivers.json",
  "fail_on": "warning",
  "ignore": ["returns/drafts/**"]
}
EOF
commit_all repo "2020-12-02 09:00:00" "configure assure"
c1=$(git -C repo rev-parse --short=12 HEAD)
before=$(repo_state repo)
run_assure keys.txt check --repo repo --as-of 2020-12-10
expect_rc 1 "check with assure.json (fail_on warning, the overdue action)"
cat >keys.expected <<'EOF'
returns/actions.json:1:16: warning: [GOV-001] action A-1 was due 2020-11-01, 39 days ago
0 errors, 1 warning, 0 info in 2 files checked (3 rules of e2e-check 1.0.0, as of 2020-12-10, commit COMMIT)
EOF
sed -i "s/COMMIT/$c1/" keys.expected
expect_same keys.txt keys.expected
[ "$(repo_state repo)" = "$before" ] || fail "check wrote to the repository"
pass

# assure config: each value and where it came from (the commit, the line and column).
run_assure cfg1.txt config --repo repo
expect_rc 0 "config with assure.json"
cat >cfg1.expected <<EOF
configuration of 'repo' at $c1 (from its assure.json)
  rules    ["$basic"]  assure.json at $c1:2:12
  params   {"finance":{"tolerance":2}}    assure.json at $c1:3:13
  waivers  "governance/waivers.json"      assure.json at $c1:4:14
  fail_on  "warning"                      assure.json at $c1:5:14
  ignore   ["returns/drafts/**"]          assure.json at $c1:6:13
rule set e2e-check 1.0.0, 1 param set:
  finance.tolerance = 2                   assure.json at $c1
EOF
expect_same cfg1.txt cfg1.expected

# The command line overrides the file key by key, and --param applies on top of its params.
run_assure over.txt check --repo repo --as-of 2020-12-10 --fail-on error --param finance.tolerance=1
expect_rc 1 "--param on top of assure.json's params"
expect_grep '\[FIN-001\] forecast outturn -17.7 is 1.1 worse' over.txt
grep -q 'GOV-001' over.txt || fail "the warning is still reported with --fail-on error: $(cat over.txt)"
run_assure over2.txt check --repo repo --as-of 2020-12-10 --fail-on error
expect_rc 0 "--fail-on error overrides fail_on warning"
run_assure over3.txt check --repo repo --as-of 2020-12-10 --ignore 'returns/nothing/**'
expect_rc 1 "--ignore replaces assure.json's ignore"
expect_grep '^returns/drafts/rxr.json:1:29: error: \[ASSURE-PARSE\]' over3.txt

# --no-config leaves assure.json out; --config FILE takes the configuration from outside the
# repository (a hook's or a pipeline's), with FILE's lines in the provenance.
run_assure nocfg.txt check --repo repo --as-of 2020-12-10 --no-config --rules "$basic"
expect_rc 1 "--no-config: no ignore, so the draft is checked"
expect_grep '^returns/drafts/rxr.json:1:29: error: \[ASSURE-PARSE\]' nocfg.txt
printf '{\n  "rules": ["%s"],\n  "fail_on": "none",\n  "ignore": ["returns/drafts/**"]\n}\n' "$basic" >team.json
run_assure team.txt check --repo repo --as-of 2020-12-10 --config team.json
expect_rc 0 "--config: the team's fail_on and ignore, not the repository's"
grep -q 'drafts' team.txt && fail "--config's ignore was not applied: $(cat team.txt)"
pass
run_assure teamcfg.txt config --repo repo --config team.json
expect_rc 0 "config --config"
expect_grep '^  fail_on  "none" *team.json:3:14$' teamcfg.txt
run_assure both.txt check --repo repo --config team.json --no-config
expect_rc 2 "--config with --no-config"
expect_grep '^assure: give either --config or --no-config, not both$' both.txt.err
printf '{"fail-on": 1}\n' >bad-team.json
run_assure badteam.txt check --repo repo --config bad-team.json
expect_rc 2 "a --config file with an unknown key"
expect_grep "^bad-team.json:1:2: error: /fail-on: unknown key 'fail-on'" badteam.txt.err
run_assure cfg2.txt config --repo repo --fail-on info --ignore 'a/**' --ignore 'b/**' --param finance.tolerance=3 --format json
expect_rc 0 "config --format json with overrides"
python3 - cfg2.txt "$c1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
c1 = sys.argv[2]
keys = {k["key"]: k for k in doc["keys"]}
assert [k["key"] for k in doc["keys"]] == ["rules", "params", "waivers", "fail_on", "ignore"], doc
assert keys["fail_on"] == {"key": "fail_on", "value": "info", "origin": "command line"}, keys["fail_on"]
assert keys["ignore"] == {"key": "ignore", "value": ["a/**", "b/**"], "origin": "command line"}, keys["ignore"]
assert keys["waivers"]["origin"] == "assure.json at %s:4:14" % c1, keys["waivers"]
assert keys["params"]["value"] == {"finance": {"tolerance": 2}}, keys["params"]
assert doc["params_set"] == [{"name": "finance.tolerance", "value": 3, "origin": "--param"}], doc["params_set"]
assert doc["commit"].startswith(c1) and doc["source"] == "git" and doc["file"] == "assure.json", doc
PY
pass

# Read from the commit checked, not from the working tree: an uncommitted assure.json that
# ignores nothing changes a check of HEAD in nothing, and a check of the working tree sees it.
cat >repo/assure.json <<EOF
{ "rules": ["$basic"], "fail_on": "none" }
EOF
run_assure head.txt check --repo repo --as-of 2020-12-10
expect_rc 1 "HEAD keeps its own assure.json"
expect_same head.txt keys.expected
run_assure wt.txt check --repo repo --as-of 2020-12-10 --worktree
expect_rc 1 "the working tree's assure.json (the draft is read again, and is not JSON)"
expect_grep '^returns/drafts/rxr.json:1:29: error: \[ASSURE-PARSE\]' wt.txt
expect_grep '\[FIN-001\]' wt.txt
# --index reads the staged one: staged, fail_on none with the drafts ignored passes
cat >repo/assure.json <<EOF
{ "rules": ["$basic"], "fail_on": "none", "ignore": ["returns/drafts/*"] }
EOF
git -C repo add assure.json
printf '{ not json' >repo/assure.json
run_assure idx.txt check --repo repo --as-of 2020-12-10 --index
expect_rc 0 "the index's assure.json, not the working tree's broken one"
expect_grep '^1 error, 1 warning, 0 info in 2 files checked .*, as of 2020-12-10)$' idx.txt
run_assure idxcfg.txt config --repo repo --index
expect_grep '^configuration of .repo. in the index (from its assure.json)$' idxcfg.txt
expect_grep '^  fail_on  "none" *assure.json in the index:1:' idxcfg.txt
git -C repo reset -q
git -C repo checkout -q -- assure.json
# an older commit is checked with its own configuration, or none
run_assure old.txt check --repo repo --rev HEAD~1 "${common[@]}"
expect_rc 1 "the commit before assure.json"
expect_grep '\[ASSURE-PARSE\]' old.txt

# audit and history read assure.json from the last commit of the range: the drafts are left out
# of every commit, and fail_on warning decides the exit code of the audit.
run_assure audit.txt audit --repo repo --as-of 2020-12-10 --quiet --format json
expect_rc 1 "audit with assure.json (fail_on warning)"
python3 - audit.txt <<'PY'
import json, sys
text = open(sys.argv[1]).read()
assert "ASSURE-PARSE" not in text, "the ignored draft was checked in the audit"
assert "GOV-001" in text, "the overdue action is missing from the audit"
PY
pass
run_assure audit0.txt audit --repo repo --as-of 2020-12-10 --quiet HEAD~1
expect_rc 1 "audit of the range before assure.json (the draft)"
expect_grep 'ASSURE-PARSE' audit0.txt
run_assure hist.txt history --repo repo --as-of 2020-12-10 --quiet
expect_rc 0 "history with assure.json"
grep -q 'ASSURE-PARSE' hist.txt && fail "the ignored draft is in the history: $(cat hist.txt)"
pass

# assure.json itself and the waivers file are JSON but no returns: a rule set that reads every
# JSON file does not read them.
cat >all.json <<'JSON'
{ "ruleset": "all", "version": "1.0.0", "rules": [ { "id": "ALL-001", "title": "every file has a kind",
  "severity": "error", "domain": "validity", "applies_to": { "paths": ["**/*.json"] },
  "assert": "exists($.kind)", "message": "no kind", "subject": "'x'" } ] }
JSON
make_repo repo2
echo '{ "fail_on": "none", "waivers": "gov/waivers.json" }' >repo2/assure.json
mkdir -p repo2/gov
echo '{ "waivers": [] }' >repo2/gov/waivers.json
echo '{ "kind": "finance" }' >repo2/a.json
echo '{ "org": "RXN" }' >repo2/b.json
commit_all repo2 "2020-12-01 09:00:00" "returns, a configuration and waivers"
run_assure all.txt check --repo repo2 --as-of 2020-12-10 --rules "$PWD/all.json"
expect_rc 0 "a rule set that reads every JSON file"
cat >all.expected <<'EOF'
b.json:1:1: error: [ALL-001] no kind
1 error, 0 warnings, 0 info in 2 files checked (1 rule of all 1.0.0, as of 2020-12-10, commit COMMIT)
EOF
sed -i "s/COMMIT/$(git -C repo2 rev-parse --short=12 HEAD)/" all.expected
expect_same all.txt all.expected

# waivers: the waivers file the configuration names is the one applied (check and audit), and the
# default file beside it is not read.
make_repo repo3
mkdir -p repo3/returns/finance repo3/governance
cp repo/returns/finance/rxn.json repo3/returns/finance/rxn.json
cat >repo3/assure.json <<EOF
{ "rules": ["$basic"], "waivers": "governance/waivers.json" }
EOF
cat >repo3/governance/waivers.json <<'JSON'
{ "waivers": [ { "rule": "FIN-001", "subject": "RXN", "reason": "recovery plan agreed",
  "approved_by": "Audit Committee", "approved_on": "2020-12-01", "expires": "2021-03-31" } ] }
JSON
echo '{ "waivers": [ { "rule": "NOPE-001" } ] }' >repo3/assure-waivers.json
commit_all repo3 "2020-12-02 09:00:00" "a waiver where the configuration says"
run_assure w.txt check --repo repo3 --as-of 2020-12-10
expect_rc 0 "the configured waivers file accepts the breach"
expect_grep '^returns/finance/rxn.json:4:15: waived error: \[FIN-001\]' w.txt
expect_grep 'by governance/waivers.json#/waivers/0, approved by Audit Committee on 2020-12-01' w.txt
grep -q 'assure-waivers.json' w.txt && fail "the default waivers file was read: $(cat w.txt)"
pass
# (the audit also sees that the waiver came in the commit that brought the breach)
run_assure wa.txt audit --repo repo3 --as-of 2020-12-10 --quiet
expect_rc 1 "the audit applies the configured waivers file"
expect_grep '^      waived until 2021-03-31 by governance/waivers.json#/waivers/0' wa.txt
expect_grep '^    governance/waivers.json:1:16: error: \[ASSURE-WAIVER-SELF\]' wa.txt
run_assure wn.txt check --repo repo3 --as-of 2020-12-10 --no-waivers
expect_rc 1 "--no-waivers shows the breach"

# diff checks both commits with the head's assure.json: a draft the head adds and ignores is no
# new finding, unless the command line overrides the ignore.
mkdir -p repo3/returns/drafts
printf '{ "kind": ' >repo3/returns/drafts/rxr.json
cat >repo3/assure.json <<EOF
{ "rules": ["$basic"], "waivers": "governance/waivers.json", "ignore": ["returns/drafts/**"] }
EOF
commit_all repo3 "2020-12-03 09:00:00" "a draft, ignored"
run_assure d.txt diff --repo repo3 --as-of 2020-12-10 HEAD~1 HEAD
expect_rc 0 "diff with the head's ignore"
grep -q 'ASSURE-PARSE' d.txt && fail "the ignored draft is new in the diff: $(cat d.txt)"
pass
run_assure d2.txt diff --repo repo3 --as-of 2020-12-10 --ignore 'nothing/**' HEAD~1 HEAD
expect_rc 1 "diff with --ignore overriding the head's"
expect_grep 'returns/drafts/rxr.json:1:11: error: \[ASSURE-PARSE\]' d2.txt

# A bad file: every problem with its place (line:column and JSON Pointer), and nothing checked.
cat >repo/assure.json <<'EOF'
{
  "fail_on": "fatal",
  "rulez": ["lsc-saf"],
  "rules": ["lsc-saf", "../my-rules"],
  "ignore": "returns/drafts/**",
  "waivers": "../waivers.json",
  "params": []
}
EOF
commit_all repo "2020-12-03 09:00:00" "a mistyped configuration"
c2=$(git -C repo rev-parse --short=12 HEAD)
run_assure bad.txt check --repo repo --as-of 2020-12-10
expect_rc 2 "check with a bad assure.json"
cat >bad.expected <<EOF
assure.json:2:14: error: /fail_on: "fatal" is not a severity: error, warning, info or none
assure.json:3:3: error: /rulez: unknown key 'rulez' (the keys are rules, params, waivers, fail_on, ignore)
assure.json:4:24: error: /rules/1: "../my-rules" is neither the name of an installed rule set (lsc-saf) nor an absolute path: rule sets are read from the filesystem, not from the repository
assure.json:5:13: error: /ignore: "returns/drafts/**" must be a list of strings (globs, as in applies_to.paths)
assure.json:6:14: error: /waivers: "../waivers.json" is not a path inside the repository (from its root, without '..')
assure.json:7:13: error: /params: [] must be an object (shaped like the rule set's params)
assure: the repository's configuration (assure.json at $c2) has problems: fix it (docs/configuration.md lists its keys)
EOF
expect_same bad.txt.err bad.expected
[ -s bad.txt ] && fail "a check with a bad configuration reported: $(cat bad.txt)"
pass
run_assure badcfg.txt config --repo repo
expect_rc 2 "config with a bad assure.json"
expect_same badcfg.txt.err bad.expected
run_assure badaudit.txt audit --repo repo --quiet
expect_rc 2 "audit with a bad assure.json"
expect_grep "^assure.json:3:3: error: /rulez: unknown key 'rulez'" badaudit.txt.err

# A param the rule set does not have, at its place in the file; not JSON; not an object.
printf '{\n  "rules": ["%s"],\n  "params": { "finance": { "tolerence": 2 } }\n}\n' "$basic" >repo/assure.json
run_assure p.txt check --repo repo --worktree --as-of 2020-12-10
expect_rc 2 "unknown param in assure.json"
expect_grep "^assure.json:3:28: error: /params/finance/tolerence: unknown param 'finance.tolerence' (assure rules params lists them)\$" p.txt.err
printf '{ "fail_on": "none",\n' >repo/assure.json
run_assure j.txt check --repo repo --worktree
expect_rc 2 "assure.json that is not JSON"
expect_grep "^assure.json:2:1: error: not valid JSON: " j.txt.err
expect_grep "^assure: the repository's configuration (assure.json in the working tree) has problems" j.txt.err
echo '["fail_on"]' >repo/assure.json
run_assure o.txt check --repo repo --worktree
expect_rc 2 "assure.json that is no object"
expect_grep '^assure.json:1:1: error: the configuration must be a JSON object of keys (docs/configuration.md)$' o.txt.err
# a hostile key cannot forge a line or reach the terminal
printf '{ "x\\u001b[2J\\nassure.json:9:9: error: forged": 1 }' >repo/assure.json
run_assure h.txt check --repo repo --worktree
expect_rc 2 "a hostile key"
[ "$(grep -c '' h.txt.err)" -eq 2 ] || fail "a hostile key made more lines: $(cat -v h.txt.err)"
grep -q $'\x1b' h.txt.err && fail "an escape reached stderr: $(cat -v h.txt.err)"
expect_grep "^assure.json:1:3: error: /x\\\\x1b\[2J\\\\nassure.json:9:9: error: forged: unknown key 'x\\\\x1b" h.txt.err

# a hostile value is shown as escaped JSON by assure config, on one line
printf '{ "ignore": ["\\u001b[2J\\nconfiguration of forged", "\\u202e.json"] }' >repo/assure.json
run_assure hv.txt config --repo repo --worktree --rules "$basic"
expect_rc 0 "config with a hostile ignore glob"
[ "$(grep -c '' hv.txt)" -eq 7 ] || fail "a hostile value made more lines: $(cat -v hv.txt)"
grep -q $'\x1b' hv.txt && fail "an escape reached stdout: $(cat -v hv.txt)"
expect_grep '^  ignore   \["\\u001B\[2J\\nconfiguration of forged","\\u202E.json"\]  *assure.json in the working tree:1:13$' hv.txt

# --rev and --worktree of config, and its usage errors
run_assure u1.txt config --repo repo --rev HEAD --worktree
expect_rc 2 "config --rev with --worktree"
expect_grep '^assure config: give one of --rev, --worktree and --index$' u1.txt.err
run_assure u2.txt config --repo repo --format xml
expect_rc 2 "config --format xml"
expect_grep "^assure config: unknown format 'xml' (text, json)$" u2.txt.err
run_assure u3.txt config --repo repo --fail-on fatal
expect_rc 2 "config --fail-on fatal"
run_assure u4.txt config --repo repo --rev HEAD~1 --rules "$basic"
expect_rc 0 "config of an older commit"
expect_grep "^configuration of 'repo' at $c1 (from its assure.json)\$" u4.txt

# The docs' list of keys is the key table's, as `assure config --keys` prints it.
run_assure keys.md config --keys
expect_rc 0 "config --keys"
[ "$(grep -c '^| `' keys.md)" -eq 5 ] || fail "config --keys lists not 5 keys: $(cat keys.md)"
pass
awk '/^<!-- keys: made by `assure config --keys` -->$/ {on = 1; next} /^<!-- end of keys -->$/ {on = 0} on' \
	"$ASSURE_SOURCE_DIR/docs/configuration.md" >keys.doc
expect_same keys.md keys.doc
finish
