#!/usr/bin/env bash
# End-to-end: the rules find returns by kind and key, never by where they are stored. The demo
# returns checked as they are laid out (returns/<year>/...) and moved to another layout
# (control-totals/<year>.json, orgs/<org>/<year>/mNN-finance.json, board/<date>/...) give the
# same findings, rule by rule and subject by subject, at the same lines and columns, with the
# same messages once each message's paths are mapped. Both runs count every JSON file as a
# return (returns.paths), since the second layout has no returns/ folder.
source "$(dirname "$0")/lib.sh"
pack="$ASSURE_SOURCE_DIR/rules/lsc-saf"
cd "$TEST_TMP"
mkdir -p a
cp -r "$ASSURE_SOURCE_DIR/fixtures/returns" a/returns

python3 - a b map.json <<'PY'
import json, os, re, shutil, sys
src, dst, mapfile = sys.argv[1:]
moves = {}
for dirpath, _, files in os.walk(src):
    for f in files:
        old = os.path.relpath(os.path.join(dirpath, f), src)
        m = (re.match(r"returns/([^/]+)/control_totals\.json$", old) and "control-totals/%s.json" % old.split("/")[1]) \
            or (re.match(r"returns/([^/]+)/m(\d\d)/finance/([^/]+)\.json$", old) and
                (lambda g: "orgs/%s/%s/m%s-finance.json" % (g[2], g[0], g[1]))(re.match(r"returns/([^/]+)/m(\d\d)/finance/([^/]+)\.json$", old).groups())) \
            or (re.match(r"returns/[^/]+/board/(.+)$", old) and "board/" + re.match(r"returns/[^/]+/board/(.+)$", old).group(1)) \
            or (re.match(r"returns/([^/]+)/(performance|schemes)/(.+)$", old) and
                (lambda g: "%s/%s/%s" % (g[1], g[0], g[2]))(re.match(r"returns/([^/]+)/(performance|schemes)/(.+)$", old).groups())) \
            or (re.match(r"returns/[^/]+/ccg/(.+)$", old) and "ccg/" + re.match(r"returns/[^/]+/ccg/(.+)$", old).group(1))
        assert m, "no new place for " + old
        assert m not in moves.values(), "two returns moved to " + m
        moves[old] = m
        os.makedirs(os.path.dirname(os.path.join(dst, m)), exist_ok=True)
        shutil.copy(os.path.join(src, old), os.path.join(dst, m))
json.dump(moves, open(mapfile, "w"), indent=1)
PY
pass

all=(--rules "$pack" --as-of 2021-01-13 --fail-on none --format json --param 'returns.paths=["**/*.json"]')
run_assure a.json check "${all[@]}" a
expect_rc 0 "check of the returns/ layout"
run_assure b.json check "${all[@]}" b
expect_rc 0 "check of the moved layout"

python3 - a.json b.json map.json <<'PY' || fail "the moved layout does not give the same findings"
import json, sys
a, b, moves = (json.load(open(p)) for p in sys.argv[1:])
def norm(findings, mapping):
    out = []
    for f in findings:
        msg = f["message"]
        for old, new in mapping.items():
            msg = msg.replace(old, new)
        out.append((f["rule"], mapping.get(f["path"], f["path"]), f["line"], f["column"], f["subject"], msg))
    return sorted(out)
fa, fb = norm(a["findings"], moves), norm(b["findings"], {})
bad = [f for f in fa + fb if f[0] in ("ASSURE-EVAL", "ASSURE-PARSE")]
assert not bad, bad
rules = sorted({f[0] for f in fa})
for needed in ("FIN-001", "FIN-002", "FIN-003", "SUB-001"):
    assert needed in rules, "the demo should raise %s: %s" % (needed, rules)
if fa != fb:
    for f in sorted(set(fa) - set(fb)):
        print("only in returns/:", f, file=sys.stderr)
    for f in sorted(set(fb) - set(fa)):
        print("only moved:", f, file=sys.stderr)
    sys.exit(1)
print("%d findings of %d rules, the same in both layouts" % (len(fa), len(rules)))
PY
pass
finish
