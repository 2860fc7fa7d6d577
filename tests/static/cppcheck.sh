#!/usr/bin/env bash
# cppcheck over src/ and include/, clean: every finding fails the test (ctest -R cppcheck).
# Usage: tests/static/cppcheck.sh BUILD_DIR   (a configured CMake build: its compile_commands.json
# gives each file's defines and include folders, so cppcheck reads the code as the compiler does;
# headers are checked through the files that include them).
# Checks: warning, style, performance, portability (errors are always on). Not information (it
# only says which system headers cppcheck did not read) and not unusedFunction (the public API is
# used by the tests, not by src/, and it cannot run with -j). Libraries: posix.cfg, and this
# folder's c11.cfg, jansson.cfg and pcre2.cfg. Suppressions: cppcheck.supp (whole checks, each with its
# reason) and /* cppcheck-suppress id ; reason */ comments above single false positives.
set -euo pipefail
build=${1:?usage: tests/static/cppcheck.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v cppcheck >/dev/null || {
	echo "FAIL: cppcheck is not installed (ci/deps test installs it)" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nfiles=$(python3 "$here/sources.py" "$build" "$root" "$tmp" | wc -l)
start=$(date +%s)
set +e
cppcheck -q -j"${ASSURE_STATIC_JOBS:-2}" --project="$tmp/compile_commands.json" \
	--enable=warning,style,performance,portability --inline-suppr \
	--suppressions-list="$here/cppcheck.supp" \
	--library=posix --library="$here/c11.cfg" --library="$here/jansson.cfg" --library="$here/pcre2.cfg" \
	--error-exitcode=1 --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	>"$tmp/cppcheck.out" 2>"$tmp/findings.txt"
rc=$?
set -e
sed -i "s|^$root/||" "$tmp/findings.txt"
sort -t: -k1,1 -k2,2n -k3,3n -u "$tmp/findings.txt" >"$tmp/sorted.txt"
n=$(grep -c ': \(error\|warning\|style\|performance\|portability\|information\): ' "$tmp/sorted.txt" || true)
cat "$tmp/cppcheck.out" "$tmp/sorted.txt"
echo "$(cppcheck --version): $nfiles files of src/ in $(($(date +%s) - start)) s, $n findings"
[ "$rc" -eq 0 ] && [ "$n" -eq 0 ] || {
	echo "FAIL: cppcheck found $n problems (rc $rc): fix them, or suppress a false positive where it is, saying why" >&2
	exit 1
}
echo "1 passed, 0 failed"
