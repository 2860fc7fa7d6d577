# lib.sh: shared helpers of the end-to-end tests (sourced, not run).
# Repositories are built at test time with fixed authors and dates, so commit ids and
# reports are the same on every machine.
set -euo pipefail
: "${ASSURE_BIN:?ASSURE_BIN must name the assure binary}"
: "${ASSURE_SOURCE_DIR:?ASSURE_SOURCE_DIR must name the source tree}"

TEST_TMP=$(mktemp -d)
trap 'rm -rf "$TEST_TMP"' EXIT
# Keep the user's and the system's git configuration out of the tests.
export HOME="$TEST_TMP/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$HOME"
export NO_COLOR=1 TZ=UTC LC_ALL=C

checks=0
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
pass() {
	checks=$((checks + 1))
}

# make_repo DIR: an empty repository on branch main.
make_repo() {
	git -c init.defaultBranch=main init -q "$1"
}

# commit_all DIR "YYYY-MM-DD HH:MM:SS" "subject" [author name] [author email]
commit_all() {
	local dir=$1 date=$2 subject=$3 name=${4:-"Test Author"} email=${5:-"author@example.nhs.uk"}
	git -C "$dir" add -A
	GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" GIT_AUTHOR_DATE="$date +0000" \
		GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" GIT_COMMITTER_DATE="$date +0000" \
		git -C "$dir" -c commit.gpgsign=false commit -q --allow-empty -m "$subject"
}

# run_assure OUTFILE ARGS...: runs assure, stdout to OUTFILE, stderr to OUTFILE.err; sets $rc.
run_assure() {
	local out=$1
	shift
	set +e
	"$ASSURE_BIN" "$@" >"$out" 2>"$out.err"
	rc=$?
	set -e
	last_out=$out
}

# expect_rc EXPECTED WHAT
expect_rc() {
	[ "$rc" -eq "$1" ] || fail "$2: exit code $rc, expected $1 (stderr: $(head -c 2000 "${last_out:-/dev/null}.err" 2>/dev/null))"
	pass
}

# expect_same ACTUAL EXPECTED_FILE: compare with a golden file; ASSURE_UPDATE_GOLDEN=1 rewrites it.
expect_same() {
	if [ "${ASSURE_UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
	fi
	diff -u "$2" "$1" >&2 || fail "$1 differs from $2"
	pass
}

# expect_grep PATTERN FILE
expect_grep() {
	grep -q -e "$1" "$2" || fail "'$1' not found in $2: $(head -c 2000 "$2")"
	pass
}

# repo_state DIR: everything that would show a write to the repository.
repo_state() {
	(cd "$1" && GIT_OPTIONAL_LOCKS=0 git status --porcelain=v1 --ignored && find .git -type f -printf '%p %s %T@\n' | sort | sha1sum)
}

finish() {
	echo "$checks passed, 0 failed"
}

# The validators of the report formats (tests/tools/install puts them in ASSURE_TEST_TOOLS, a
# folder of the build tree; ctest's test_tools fixture and ci/test run it). A missing validator
# fails the test: it is never a reason to skip one.
test_tools() {
	local dir=${ASSURE_TEST_TOOLS:-}
	[ -n "$dir" ] || fail "ASSURE_TEST_TOOLS is not set (ctest sets it; by hand: tests/tools/install DIR and ASSURE_TEST_TOOLS=DIR)"
	[ -x "$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] && [ -d "$dir/node_modules/ajv" ] ||
		fail "the validators are not installed in '$dir' (run tests/tools/install '$dir')"
	echo "$dir"
}

# validate_sarif FILE...: each file valid against the SARIF 2.1.0 schema of tests/assets/sarif/
# (ajv) and with no error and no warning from Microsoft's SARIF multitool with GitHub's rules
# (its notes are listed in docs/formats.md).
validate_sarif() {
	local tools f
	tools=$(test_tools)
	command -v node >/dev/null || fail "node is missing (ci/deps test installs it)"
	node "$ASSURE_SOURCE_DIR/tests/tools/validate-sarif.js" "$tools/node_modules" \
		"$ASSURE_SOURCE_DIR/tests/assets/sarif/sarif-schema-2.1.0-errata01-os.migrated-draft07.json" "$@" >"$TEST_TMP/ajv.log" 2>&1 ||
		fail "SARIF not valid against the schema: $(head -c 3000 "$TEST_TMP/ajv.log")"
	pass
	for f in "$@"; do
		rm -f "$TEST_TMP/multitool.sarif"
		# a .NET program: without ICU (libicu, which ci/deps installs) it needs invariant globalization
		DOTNET_CLI_TELEMETRY_OPTOUT=1 "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" validate "$f" \
			-o "$TEST_TMP/multitool.sarif" --rule-kind "Gh;Sarif" --level "Error;Warning" >"$TEST_TMP/multitool.log" 2>&1 ||
			fail "the SARIF multitool failed on $f: $(head -c 3000 "$TEST_TMP/multitool.log")"
		python3 - "$TEST_TMP/multitool.sarif" "$f" <<'PY' || fail "the SARIF multitool found problems in $f"
import json, sys
log = json.load(open(sys.argv[1]))
found = [r for run in log["runs"] for r in run.get("results", []) if r.get("level", "warning") in ("error", "warning")]
for r in found:
    print("%s: %s %s: %s" % (sys.argv[2], r.get("level", "warning"), r["ruleId"], r["message"].get("arguments") or r["message"].get("text")), file=sys.stderr)
assert log["runs"][0]["invocations"][0].get("executionSuccessful", False), "the multitool's run failed"
sys.exit(1 if found else 0)
PY
		pass
	done
}

# validate_junit FILE...: valid against both JUnit schemas of tests/assets/junit/ (xmllint).
validate_junit() {
	local xsd f
	command -v xmllint >/dev/null || fail "xmllint is missing (ci/deps test installs libxml2-utils)"
	for f in "$@"; do
		for xsd in windyroad-JUnit.xsd jenkins-xunit-junit-10.xsd; do
			xmllint --noout --schema "$ASSURE_SOURCE_DIR/tests/assets/junit/$xsd" "$f" >"$TEST_TMP/xmllint.log" 2>&1 ||
				fail "$f is not valid against $xsd: $(head -c 3000 "$TEST_TMP/xmllint.log")"
			pass
		done
	done
}

# validate_gitlab FILE...: GitLab code quality: an array of issues, each with a description,
# check_name, a fingerprint unique in the file, a severity GitLab knows, location.path and
# location.lines.begin (a positive integer).
validate_gitlab() {
	python3 - "$@" <<'PY' || fail "not a GitLab code quality report: $*"
import json, sys
for name in sys.argv[1:]:
    doc = json.load(open(name))
    assert isinstance(doc, list), "%s: not an array" % name
    seen = set()
    for i, issue in enumerate(doc):
        where = "%s[%d]" % (name, i)
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}, (where, sorted(issue))
        for key in ("description", "check_name", "fingerprint"):
            assert isinstance(issue[key], str) and issue[key], (where, key)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker"), (where, issue["severity"])
        assert issue["fingerprint"] not in seen, (where, "fingerprint repeated")
        seen.add(issue["fingerprint"])
        loc = issue["location"]
        assert isinstance(loc["path"], str) and loc["path"], where
        begin = loc["lines"]["begin"]
        assert isinstance(begin, int) and not isinstance(begin, bool) and begin >= 1, (where, begin)
PY
	pass
}

# validate_github FILE: every line one workflow command (::error, ::warning or ::notice with
# only file, line, col and title properties), no control byte but the newlines that end lines,
# and no unescaped % , : in a property or % in a message that would change what GitHub reads.
validate_github() {
	python3 - "$1" <<'PY' || fail "not one GitHub workflow command a line: $1"
import re, sys
data = open(sys.argv[1], "rb").read()
assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", data), "a control byte: %r" % data[:300]
prop = rb"[^%,:\n]*(?:%(?:25|0D|0A|3A|2C)[^%,:\n]*)*"
line_re = re.compile(rb"::(error|warning|notice) ((file=" + prop + rb",line=[0-9]+,col=[0-9]+|file=" + prop + rb"),)?title=" + prop + rb"::[^%\n]*(?:%(?:25|0D|0A)[^%\n]*)*")
lines = data.split(b"\n")
assert lines[-1] == b"", "no newline at the end"
for n, line in enumerate(lines[:-1], 1):
    assert line_re.fullmatch(line), "line %d: %r" % (n, line)
PY
	pass
}
