#!/usr/bin/env bash
# End-to-end: output that cannot be written is an error, never a quiet success: a full device
# (/dev/full) for every command that writes a report, and an --out whose folder cannot be made.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
make_repo repo
mkdir -p repo/returns/board
cp "$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json" repo/returns/board/log.json
commit_all repo "2021-01-10 10:00:00" "December action log"
[ -w /dev/full ] || fail "/dev/full is not writable here"
for cmd in "check --repo repo --as-of 2021-01-13" "check --repo repo --format json" \
	"audit --repo repo --quiet" "audit --repo repo --quiet --format json" \
	"history --repo repo --quiet" "rules list" "explain GOV-001"; do
	set +e
	# shellcheck disable=SC2086
	"$ASSURE_BIN" $cmd >/dev/full 2>full.err
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "$cmd to /dev/full: exit code $rc, expected 2 ($(cat full.err))"
	pass
	expect_grep 'cannot write output: No space left on device' full.err
done
# A report written piece by piece to --out is whole or not there: a device that fills up is
# named, and a write that fails half way (a file size limit) leaves the file that was there
# as it was and no temporary file beside it.
run_assure out.txt audit --repo repo --quiet --format json --out /dev/full
expect_rc 2 "audit --out /dev/full"
expect_grep "cannot write '/dev/full': No space left on device" out.txt.err
echo "the report before" >old.json
set +e
(trap '' XFSZ; ulimit -f 2; "$ASSURE_BIN" audit --repo repo --quiet --format json --out old.json) 2>big.err
rc=$?
set -e
[ "$rc" = 2 ] || fail "audit --out over a size limit: exit code $rc, expected 2 ($(cat big.err))"
pass
expect_grep "cannot write 'old.json': File too large" big.err
[ "$(cat old.json)" = "the report before" ] || fail "a failed audit --out changed the file that was there"
pass
! ls old.json.tmp-* >/dev/null 2>&1 || fail "a failed audit --out left its temporary file: $(ls old.json.tmp-*)"
pass
run_assure out.txt audit --repo repo --quiet --format json --fail-on none --out old.json
expect_rc 0 "audit --out over an old report"
python3 -c "import json, sys; json.load(open('old.json'))" || fail "audit --out did not replace the old report with a JSON document"
pass
echo x >afile
run_assure out.txt audit --repo repo --quiet --as-of 2021-01-13 --out afile/report.json
expect_rc 2 "audit --out under a file"
expect_grep "cannot write 'afile/report.json': Not a directory" out.txt.err
finish
