#!/usr/bin/env bash
# End-to-end: a symbolic link is never followed when assure finds the returns itself: neither in
# a commit (git stores the link's target as text), nor in --worktree, nor in a folder given as a
# path, whether it points at a file or at a folder outside the repository. A path the operator
# names explicitly is read as named.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
log="$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json"
mkdir -p outside/board
printf '{"kind": "action_log", "schema": 1, "meeting": "OUTSIDE", "as_at": "2020-12-02",\n "actions": [{"code": "S1", "title": "t", "lead": "L", "status": "Open", "due": "2020-12-01"}]}\n' >outside/board/secret.json
make_repo repo
mkdir -p repo/returns/board
cp "$log" repo/returns/board/log.json
ln -s "$TEST_TMP/outside/board/secret.json" repo/returns/board/link.json
ln -s "$TEST_TMP/outside/board" repo/returns/linked-folder
commit_all repo "2021-01-10 10:00:00" "a log and two links"
before=$(cd repo && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum)

for mode in commit worktree folder; do
	case $mode in
	commit) run_assure "$mode.txt" check --repo repo --as-of 2021-01-13 ;;
	worktree) run_assure "$mode.txt" check --repo repo --worktree --as-of 2021-01-13 ;;
	folder) run_assure "$mode.txt" check repo/returns --as-of 2021-01-13 ;;
	esac
	expect_rc 1 "check ($mode)"
	grep -q 'S1\|link.json\|linked-folder' "$mode.txt" && fail "check ($mode) followed a link: $(cat "$mode.txt")"
	pass
	expect_grep ' in 1 file checked ' "$mode.txt"
done
run_assure audit.txt audit --repo repo --as-of 2021-01-13 --quiet
grep -q 'S1' audit.txt && fail "audit followed a link"
pass
[ "$before" = "$(cd repo && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum)" ] ||
	fail "the repository changed"
pass

run_assure named.txt check repo/returns/board/link.json --as-of 2021-01-13
expect_rc 1 "check of a link named on the command line"
expect_grep 'action S1 (L) was due' named.txt
finish
