#!/usr/bin/env bash
# Runs one test script with every assure it starts under Valgrind (bin/assure, as ASSURE_BIN), and
# fails if Valgrind reported anything: an error (an invalid read or write, a jump on uninitialised
# memory, a bad free, ...) or a block definitely lost, in any run, whatever the test made of that
# run's exit code; otherwise it exits as the script did. ci/test runs the end-to-end tests so, in a
# build configured with -DASSURE_VALGRIND=ON (tests/valgrind/CMakeLists.txt). By hand:
#   ASSURE_VALGRIND_BIN=build/valgrind/assure ASSURE_SOURCE_DIR=$PWD tests/valgrind/run.sh tests/e2e/check.sh
#   ASSURE_VALGRIND_BIN=build/valgrind/assure ASSURE_SOURCE_DIR=$PWD ASSURE_BAD_INPUT_TIMEOUT=300 \
#     tests/valgrind/run.sh tests/bad-input/run.sh 'repo-*'
set -euo pipefail
test=${1:?usage: tests/valgrind/run.sh SCRIPT [ARG...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
command -v valgrind >/dev/null || {
	echo "FAIL: valgrind is not installed (ci/deps test installs it)" >&2
	exit 1
}
: "${ASSURE_VALGRIND_BIN:?ASSURE_VALGRIND_BIN must name the assure binary (a Debug build without sanitizers)}"
if nm "$ASSURE_VALGRIND_BIN" 2>/dev/null | grep -q __asan_init; then
	echo "FAIL: '$ASSURE_VALGRIND_BIN' is built with AddressSanitizer, which Valgrind cannot run" >&2
	exit 1
fi
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export ASSURE_VALGRIND_LOGS=$logs ASSURE_BIN="$here/bin/assure"
start=$(date +%s)
set +e
bash "$test" "$@"
rc=$?
set -e
runs=$(find "$logs" -name '*.log' | wc -l)
bad=$(find "$logs" -name '*.log' -size +0 | sort)
for f in $bad; do
	echo "== Valgrind's report of one run ($(basename "$f" .log)):" >&2
	cat "$f" >&2
done
echo "valgrind: $runs runs of assure in $(($(date +%s) - start)) s, $(echo "$bad" | grep -c . || true) with a report"
[ "$runs" -gt 0 ] || {
	echo "FAIL: $test ran no assure under Valgrind" >&2
	exit 1
}
[ -z "$bad" ] || {
	echo "FAIL: Valgrind reported errors or definitely lost memory (above)" >&2
	exit 1
}
exit "$rc"
