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
echo x >afile
run_assure out.txt audit --repo repo --quiet --as-of 2021-01-13 --out afile/report.json
expect_rc 2 "audit --out under a file"
expect_grep "cannot write 'afile/report.json': Not a directory" out.txt.err
finish
