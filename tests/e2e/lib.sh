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
