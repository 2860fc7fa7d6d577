#!/usr/bin/env bash
# clang-tidy over src/ (and, through its files, the headers of src/ and include/assure/), clean:
# every finding fails the test (ctest -R clang_tidy).
# Usage: tests/static/clang-tidy.sh BUILD_DIR [FILE...]   (a configured CMake build: clang-tidy
# reads its compile_commands.json, so each file is read with the compiler's defines and include
# folders; FILEs, paths under src/, check only those).
# The checks are those of the checked-in .clang-tidy at the top of the tree, which says why each
# check that is off is off. ASSURE_STATIC_JOBS files at a time (2); most of the time is
# clang-analyzer's. A false positive is silenced where it is, by /* NOLINT(check): reason */ or
# /* NOLINTNEXTLINE(check): reason */, never by turning a check off for a file.
set -euo pipefail
build=${1:?usage: tests/static/clang-tidy.sh BUILD_DIR [FILE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || {
	echo "FAIL: clang-tidy is not installed (ci/deps test installs it)" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/sources.py" "$build" "$root" "$tmp" >"$tmp/files.txt"
if [ $# -gt 0 ]; then
	for f in "$@"; do
		grep -Fx "$root/$f" "$tmp/files.txt" || { echo "FAIL: '$f' is not a file of src/ in the build" >&2; exit 1; }
	done >"$tmp/some.txt"
	mv "$tmp/some.txt" "$tmp/files.txt"
fi
start=$(date +%s)
mkdir "$tmp/out"
# one output file per source, so that the runs at once do not mix their lines
i=0
while IFS= read -r f; do
	i=$((i + 1))
	(
		set +e
		"$tidy" -p "$tmp" --quiet "$f" >"$tmp/out/$i.txt" 2>&1
		echo "$? $f" >"$tmp/out/$i.rc"
	) &
	while [ "$(jobs -rp | wc -l)" -ge "${ASSURE_STATIC_JOBS:-2}" ]; do
		wait -n || true
	done
done <"$tmp/files.txt"
wait
secs=$(($(date +%s) - start))
# a header's finding is reported by every file that includes it: list each once
cat "$tmp"/out/*.txt | grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' | sed "s|^$root/||" |
	sort -t: -k1,1 -k2,2n -k3,3n -u >"$tmp/all.txt" || true
# known false positives in files this branch does not edit (clang-tidy.known): dropped only when
# the file, the check and the flagged line's text all match; an entry that matches nothing fails
python3 - "$root" "$here/clang-tidy.known" "$tmp/all.txt" "$tmp/findings.txt" "$tmp/stale.txt" <<'PY'
import re, sys
root, known_file, all_file, out_file, stale_file = sys.argv[1:]
known = []
for line in open(known_file):
    if line.strip() and not line.startswith("#"):
        path, check, text, _why = (f.strip() for f in line.split(" | ", 3))
        known.append([path, check, text, 0])
kept = []
for f in open(all_file):
    m = re.match(r"([^:]+):(\d+):\d+: \w+: .*\[([^\],]+)", f)
    hit = None
    if m:
        path, n, check = m.group(1), int(m.group(2)), m.group(3)
        with open("%s/%s" % (root, path), errors="replace") as src:
            text = src.read().split("\n")[n - 1].strip()
        hit = next((k for k in known if k[:3] == [path, check, text]), None)
    if hit:
        hit[3] += 1
        print("known false positive (clang-tidy.known): " + f.rstrip())
    else:
        kept.append(f)
open(out_file, "w").writelines(kept)
open(stale_file, "w").writelines("%s | %s | %s\n" % tuple(k[:3]) for k in known if not k[3])
PY
n=$(wc -l <"$tmp/findings.txt")
failed=0
if [ -s "$tmp/stale.txt" ] && [ $# -eq 0 ]; then
	echo "clang-tidy.known lists what clang-tidy no longer finds (remove it):" >&2
	cat "$tmp/stale.txt" >&2
	failed=$((failed + 1))
fi
for rc in "$tmp"/out/*.rc; do
	read -r code file <"$rc"
	if [ "$code" -ne 0 ] && ! grep -qE ': (warning|error): ' "${rc%.rc}.txt"; then
		echo "clang-tidy failed on $file (exit $code) without a finding:" >&2
		cat "${rc%.rc}.txt" >&2
		failed=$((failed + 1))
	fi
done
cat "$tmp/findings.txt"
echo "$("$tidy" --version | grep -o 'LLVM version [0-9.]*'): $i files of src/ in $secs s, $n findings"
if [ "$n" -ne 0 ] || [ "$failed" -ne 0 ]; then
	echo "FAIL: clang-tidy found $n problems: fix them, or silence a false positive where it is, saying why" >&2
	echo "(the full text of a finding: clang-tidy -p $build FILE)" >&2
	exit 1
fi
echo "1 passed, 0 failed"
