# shellcheck shell=bash
# tests/bad-input/lib.sh: what a case's `setup` recipe may use (sourced by run.sh in a shell of
# its own, in the case's folder, with `set -euo pipefail`). Repositories get fixed authors and
# dates, so that commit ids, and so messages, are the same on every machine.
#
# Set by run.sh: $SRC (the source tree), $PACK (rules/lsc-saf), $FIXTURES, $LOG (the December
# 2020 action log of the fixtures: one GOV-001 at 25:5 as of 2021-01-13), $OUT (a folder outside
# the hashed one, for reports a case writes).

# git_repo DIR: an empty repository on branch main (DIR may hold files already).
git_repo() {
	git -c init.defaultBranch=main init -q "$1"
}

# commit DIR [SUBJECT] [DATE] [NAME] [EMAIL]: commit everything in DIR's working tree.
commit() {
	git -C "$1" add -A
	commit_index "$@"
}

# commit_index DIR [SUBJECT] [DATE] [NAME] [EMAIL]: commit what the index holds, as it is.
commit_index() {
	local dir=$1 subject=${2:-returns} date=${3:-"2021-01-10 10:00:00"}
	local name=${4:-"Test Author"} email=${5:-"author@example.nhs.uk"}
	GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" GIT_AUTHOR_DATE="$date +0000" \
		GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" GIT_COMMITTER_DATE="$date +0000" \
		git -C "$dir" -c commit.gpgsign=false commit -q --allow-empty -m "$subject"
}

# action_log FILE [CODE] [TEXT]: a one-action log whose action CODE ("A1") is overdue on
# 2021-01-13 (GOV-001 at line 2, column 14); TEXT, if given, is the action's title, raw JSON
# string content.
action_log() {
	local file=$1 code=${2:-A1} title=${3:-t}
	mkdir -p "$(dirname "$file")"
	printf '{"kind": "action_log", "schema": 1, "meeting": "ICS Board", "as_at": "2020-12-02",\n "actions": [{"code": "%s", "title": "%s", "lead": "L", "status": "Open", "due": "2020-12-01"}]}\n' \
		"$code" "$title" >"$file"
}

# log_repo DIR: a repository whose one commit holds the fixtures' log as returns/board/log.json.
log_repo() {
	git_repo "$1"
	mkdir -p "$1/returns/board"
	cp "$LOG" "$1/returns/board/log.json"
	commit "$1" "December action log"
}

# object DIR REV: the path of REV's loose object in repository DIR (made writable, to damage it).
object() {
	local id
	id=$(git -C "$1" rev-parse "$2")
	chmod u+w "$1/.git/objects/${id:0:2}/${id:2}"
	echo "$1/.git/objects/${id:0:2}/${id:2}"
}

# lfs_pointer FILE [SIZE]: what Git LFS commits in place of a file it keeps elsewhere.
lfs_pointer() {
	mkdir -p "$(dirname "$1")"
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' \
		4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393 "${2:-12345}" >"$1"
}
