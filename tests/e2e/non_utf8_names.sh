#!/usr/bin/env bash
# End-to-end: git allows any bytes in a name. A return whose file name is not UTF-8, in a
# repository whose own path is not UTF-8 either, keeps its findings attached to it (none lost,
# none doubled, no false ASSURE-EVAL), and its name survives byte for byte: as \xNN in text and
# in JSON's "path", and exactly in "path_base64" (docs/report-format.md).
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
log="$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json"
repo=$'repo\xfe'
bad=$'returns/board/bad\xff\xfename.json'
make_repo "$repo"
mkdir -p "$repo/returns/board"
cp "$log" "$repo/$bad"
cp "$log" "$repo/returns/board/good.json"
commit_all "$repo" "2021-01-10 10:00:00" "two copies of the December log"

run_assure alone.json check "$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json" --as-of 2021-01-13 --format json
run_assure check.json check --repo "$repo" --as-of 2021-01-13 --format json
expect_rc 1 "check"
python3 - "$bad" <<'PY' || fail "the JSON report does not keep the findings with their file"
import base64, json, os, sys
bad = os.fsencode(sys.argv[1])
alone = [(f["rule"], f["pointer"]) for f in json.load(open("alone.json"))["findings"]]
d = json.load(open("check.json"))
assert d["complete"], "the run is incomplete"
assert not [f for f in d["findings"] if f["rule"].startswith("ASSURE-")], "a false ASSURE finding"
by_path = {}
for f in d["findings"]:
    assert "path" in f, f
    by_path.setdefault(f["path"], []).append(f)
assert sorted(by_path) == ["returns/board/bad\\xff\\xfename.json", "returns/board/good.json"], sorted(by_path)
for path, fs in by_path.items():
    assert sorted((f["rule"], f["pointer"]) for f in fs) == sorted(alone), (path, fs)
for f in by_path["returns/board/bad\\xff\\xfename.json"]:
    assert base64.b64decode(f["path_base64"]) == bad, f
for f in by_path["returns/board/good.json"]:
    assert "path_base64" not in f, f
src = d["source"]
assert src["repository"] == "repo\\xfe" and base64.b64decode(src["repository_base64"]) == b"repo\xfe", src
PY
pass

run_assure check.txt check --repo "$repo" --as-of 2021-01-13
expect_grep '^returns/board/bad\\xff\\xfename.json:25:5: error: \[GOV-001\]' check.txt
[ "$(grep -c '^returns/board/bad\\xff\\xfename.json:' check.txt)" = "$(grep -c '^returns/board/good.json:' check.txt)" ] ||
	fail "the two copies have different findings: $(cat check.txt)"
pass

run_assure audit.json audit --repo "$repo" --as-of 2021-01-13 --format json --quiet
expect_rc 1 "audit"
python3 - "$bad" <<'PY' || fail "the audit JSON does not keep the name"
import base64, json, os, sys
bad = os.fsencode(sys.argv[1])
d = json.load(open("audit.json"))
ch = [c for c in d["commits"][0]["changes"] if "path_base64" in c]
assert len(ch) == 1 and base64.b64decode(ch[0]["path_base64"]) == bad, d["commits"][0]["changes"]
PY
pass
run_assure history.json history --repo "$repo" --as-of 2021-01-13 --format json --quiet
expect_rc 0 "history"
expect_grep '"path_base64": "cmV0dXJucy9ib2FyZC9iYWT//m5hbWUuanNvbg=="' history.json
finish
