#!/usr/bin/env bash
# End-to-end: the example pipelines of ci/examples/ run as written. The `assure` commands of the
# GitHub Actions workflow's `run:` steps and of the GitLab CI job's `script:` are read from the
# YAML (so that this test breaks when the examples change), run in a clone of the demo repository
# as the runner would (its checkout is the current folder), and what they write is what the rest
# of the file says to upload or publish, and valid: SARIF (ajv, the SARIF multitool), JUnit
# (xmllint), GitLab code quality.
source "$(dirname "$0")/lib.sh"
examples="$ASSURE_SOURCE_DIR/ci/examples"
cd "$TEST_TMP"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo >/dev/null
export PATH="$(dirname "$ASSURE_BIN"):$PATH"

# The commands and what the file does with their output, as the YAML has them.
python3 - "$examples/github-actions.yml" "$examples/gitlab-ci.yml" <<'PY'
import sys, yaml
gh = yaml.safe_load(open(sys.argv[1]))
steps = gh["jobs"]["check"]["steps"]
runs = [line.strip() for s in steps if "run" in s for line in s["run"].splitlines() if line.strip().startswith("assure ")]
assert len(runs) == 1, runs
upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
assert len(upload) == 1 and upload[0].get("if") == "always()", upload
assert gh["permissions"]["security-events"] == "write", gh["permissions"]
with open("github.cmd", "w") as f:
    f.write(runs[0] + "\n")
with open("github.sarif_file", "w") as f:
    f.write(upload[0]["with"]["sarif_file"] + "\n")
gl = yaml.safe_load(open(sys.argv[2]))["assure"]
script = [line.strip() for line in gl["script"] if line.strip().startswith("assure ")]
assert len(script) == 1, gl["script"]
reports = gl["artifacts"]["reports"]
assert gl["artifacts"]["when"] == "always", gl["artifacts"]
with open("gitlab.cmd", "w") as f:
    f.write(script[0] + "\n")
with open("gitlab.reports", "w") as f:
    f.write("%s %s\n" % (reports["codequality"], reports["junit"]))
PY
pass

# Each example builds assure from source: it installs every library package that ci/deps says a
# build needs (a library added to the build and not to the examples breaks their pipelines).
python3 - "$ASSURE_SOURCE_DIR/ci/deps" "$examples/github-actions.yml" "$examples/gitlab-ci.yml" <<'PY'
import re, sys
deps = re.search(r"^build=\(([^)]*)\)", open(sys.argv[1]).read(), re.M).group(1).split()
libs = [d for d in deps if d.endswith("-dev")]
assert "libgit2-dev" in libs, deps
for example in sys.argv[2:]:
    installed = set()
    for line in open(example):
        if "apt-get install" in line:
            installed.update(line.split("apt-get install", 1)[1].split())
    missing = [d for d in libs if d not in installed]
    assert not missing, "%s does not install %s" % (example, " ".join(missing))
PY
pass

# run_example NAME [BASE_VAR]: the command of NAME.cmd in a fresh clone of the demo (the
# runner's checkout); with BASE_VAR, as a pull or merge request's pipeline runs it: that variable
# names the request's base (the commit before the demo's last, as origin/base for GitHub's
# branch name and as an id for GitLab's).
run_example() {
	rm -rf "$1" && git clone -q demo "$1"
	local cmd
	cmd=$(cat "${1%-request}.cmd")
	set +e
	if [ -n "${2:-}" ]; then
		git -C "$1" update-ref refs/remotes/origin/base HEAD~1
		if [ "$2" = GITHUB_BASE_REF ]; then
			(cd "$1" && GITHUB_BASE_REF=base eval "$cmd" >../"$1.out" 2>../"$1.err")
		else
			(cd "$1" && CI_MERGE_REQUEST_DIFF_BASE_SHA=$(git rev-parse HEAD~1) eval "$cmd" >../"$1.out" 2>../"$1.err")
		fi
	else
		(cd "$1" && env -u GITHUB_BASE_REF -u CI_MERGE_REQUEST_DIFF_BASE_SHA bash -c "$cmd" >../"$1.out" 2>../"$1.err")
	fi
	rc=$?
	set -e
	last_out=$1.out
	[ "$rc" -le 1 ] || fail "'$cmd' exited $rc: $(head -c 2000 "$1.err")"
	pass
	grep -q ' files checked (' "$1.out" || fail "'$cmd' wrote no text report to the log: $(head -c 500 "$1.out")"
	pass
}

run_example github
sarif=github/$(cat github.sarif_file)
[ -s "$sarif" ] || fail "the workflow uploads $(cat github.sarif_file), which its check did not write"
pass
validate_sarif "$sarif"
python3 - "$sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["tool"]["driver"]["name"] == "assure" and run["results"], "no results in the workflow's SARIF"
PY
pass

run_example gitlab
read -r quality junit <gitlab.reports
[ -s "gitlab/$quality" ] || fail "the job publishes $quality, which its check did not write"
[ -s "gitlab/$junit" ] || fail "the job publishes $junit, which its check did not write"
pass
validate_gitlab "gitlab/$quality"
validate_junit "gitlab/$junit"
# both pipelines report the same findings: one evaluation, several formats
python3 - "$sarif" "gitlab/$quality" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
issues = json.load(open(sys.argv[2]))
assert len(results) == len(issues) > 0, (len(results), len(issues))
PY
pass
# A pull or merge request's pipeline reports only what the request brings: the findings of its
# base are counted as not shown, and the SARIF and code quality reports hold fewer results.
for example in github gitlab; do
	var=GITHUB_BASE_REF
	[ "$example" = gitlab ] && var=CI_MERGE_REQUEST_DIFF_BASE_SHA
	run_example "$example-request" "$var"
	expect_grep 'not shown' "$example-request.out"
done
python3 - "$sarif" github-request/"$(cat github.sarif_file)" "gitlab/$quality" "gitlab-request/$quality" <<'PY'
import json, sys
push = len(json.load(open(sys.argv[1]))["runs"][0]["results"])
pr = len(json.load(open(sys.argv[2]))["runs"][0]["results"])
assert pr < push, (pr, push)
assert len(json.load(open(sys.argv[4]))) < len(json.load(open(sys.argv[3])))
PY
pass
validate_sarif github-request/"$(cat github.sarif_file)"
validate_gitlab "gitlab-request/$quality"

# the checkout is left as it was cloned, but for the reports the pipeline asked for
[ -z "$(git -C gitlab status --porcelain --untracked-files=no)" ] || fail "the pipeline's check changed the checkout"
pass
finish
