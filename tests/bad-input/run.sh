#!/usr/bin/env bash
# tests/bad-input/run.sh: the bad-input catalogue. Each folder under cases/ is one case, as data:
# a `case` file (the command lines to run, the exit code and the messages or findings expected),
# the input files it needs, and a `setup` recipe when the input must be built at test time (git
# repositories from a declared history with fixed authors and dates, big or strange inputs).
#
# For each case the driver copies the case's files into a fresh folder, runs its setup there,
# hashes everything in that folder (a repository's objects, refs, index, config and working tree
# are all files in it: their bytes, types, modes, link targets and modification times), runs each
# command line with $ASSURE_BIN (the sanitized build under ci/test), checks the exit code, the
# expected text and that no sanitizer spoke, and hashes the folder again: it must be unchanged.
# It prints one line per case and exits 1 naming every case that failed.
#
# Usage: run.sh [CASE...]   (names or shell patterns; all cases without arguments)
# The format of a case file is in tests/README.md ("How to add a bad-input case").
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../e2e/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/bad-input/lib.sh
source "$here/lib.sh"

: "${ASAN_OPTIONS:=detect_leaks=1:abort_on_error=1}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1}"
: "${LSAN_OPTIONS:=suppressions=$ASSURE_SOURCE_DIR/tests/lsan.supp:print_suppressions=0}"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
if ! grep -aq __asan_init "$ASSURE_BIN"; then
	echo "NOTE: $ASSURE_BIN is not built with -DASSURE_SANITIZE=ON: the cases check exit codes," \
		"messages and the repository, but no sanitizer watches them (ci/test builds one that does)"
fi
# Variables a case's command lines and checks may use.
export SRC="$ASSURE_SOURCE_DIR" PACK="$ASSURE_SOURCE_DIR/rules/lsc-saf"
export FIXTURES="$ASSURE_SOURCE_DIR/fixtures" LOG="$ASSURE_SOURCE_DIR/fixtures/returns/2020-21/board/action-log-2020-12.json"
# Longest a command may take before it counts as a hang.
limit=${ASSURE_BAD_INPUT_TIMEOUT:-60}

# state DIR: a hash of everything under DIR that a write would change.
state() {
	(
		cd "$1" || exit 1
		find . -printf '%y %m %s %T@ %l %p\0' | LC_ALL=C sort -z
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum
	) | sha256sum
}

# The one-line form of a text for a message: controls shown, cut short.
shown() { head -c "${2:-600}" "$1" | cat -v | tr '\n' '|'; }

case_failed() { # WHY
	why=$1
	return 1
}

# check_text STREAM-FILE KIND VALUE: one expectation on a captured stream
check_text() {
	local file=$1 kind=$2 value=$3
	case $kind in
	has) grep -qF -e "$value" "$file" || case_failed "'$value' not in $(basename "$file"): $(shown "$file")" ;;
	re) grep -qE -e "$value" "$file" || case_failed "/$value/ not in $(basename "$file"): $(shown "$file")" ;;
	not) ! grep -qF -e "$value" "$file" || case_failed "'$value' is in $(basename "$file"): $(shown "$file")" ;;
	not-re) ! grep -qE -e "$value" "$file" || case_failed "/$value/ matches $(basename "$file"): $(shown "$file")" ;;
	line) grep -qxF -e "$value" "$file" || case_failed "no line '$value' in $(basename "$file"): $(shown "$file")" ;;
	lines)
		local bad
		bad=$(grep -vE -e "$value" "$file" | head -3 | cat -v)
		[ -z "$bad" ] || case_failed "lines of $(basename "$file") not like /$value/: $bad"
		;;
	*) case_failed "unknown check '$(basename "$file")-$kind' in the case file" ;;
	esac
}

# printable FILE: no control byte but the newlines that end lines, no DEL
printable() {
	! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$1" ||
		case_failed "$(basename "$1") holds a control character: $(LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]' "$1" | head -2 | cat -v)"
}

# run_case DIR: 0 when every expectation holds; otherwise 1 with $why set
run_case() {
	local dir=$1 name
	name=$(basename "$dir")
	local base="$TEST_TMP/$name"
	local work="$base/work"
	export OUT="$base/out" STDOUT="$base/stdout" STDERR="$base/stderr"
	mkdir -p "$work" "$OUT"
	why=""
	# the case's input files, then its recipe
	(cd "$dir" && find . -mindepth 1 -maxdepth 1 ! -name case ! -name setup -exec cp -a {} "$work/" \;)
	if [ -f "$dir/setup" ]; then
		# a shell of its own, so that the recipe stops at its first failing command
		bash -euo pipefail -c 'source "$1" && cd "$2" && source "$3"' setup "$here/lib.sh" "$work" "$dir/setup" \
			>"$base/setup.log" 2>&1 ||
			{
				case_failed "setup failed: $(shown "$base/setup.log")"
				return 1
			}
	fi
	local runs=() expect=() envs=() key value line
	local want_exit="" to=""
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '' | '#'*) continue ;; esac
		key=${line%%:*}
		value=${line#*:}
		value=${value# }
		case $key in
		run) runs+=("$value") ;;
		exit) want_exit=$value ;;
		env) envs+=("$value") ;;
		stdout-to) to=$value ;;
		class | known-defect) ;;
		stdout | stderr | stdout-* | stderr-* | printable | verify) expect+=("$key" "$value") ;;
		*)
			case_failed "unknown key '$key' in the case file"
			return 1
			;;
		esac
	done <"$dir/case"
	[ ${#runs[@]} -gt 0 ] || {
		case_failed "the case has no run: line"
		return 1
	}
	[ -n "$want_exit" ] || {
		case_failed "the case has no exit: line"
		return 1
	}
	local before after
	before=$(state "$work")
	local r argv rc
	for r in "${runs[@]}"; do
		if ! eval "argv=($r)"; then
			case_failed "cannot split the run line: $r"
			return 1
		fi
		(
			cd "$work" || exit 125
			for e in "${envs[@]}"; do eval "export $e"; done
			exec timeout -k 5 "$limit" "$ASSURE_BIN" "${argv[@]}"
		) >"${to:-$STDOUT}" 2>"$STDERR" </dev/null
		rc=$?
		[ -z "$to" ] || : >"$STDOUT"
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			case_failed "'$r' did not finish in $limit s"
			return 1
		fi
		if grep -qE 'Sanitizer|runtime error:' "$STDERR"; then
			case_failed "'$r': a sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error:|#[0-3] ' "$STDERR" | tr '\n' '|')"
			return 1
		fi
		[ "$rc" = "$want_exit" ] || {
			case_failed "'$r': exit code $rc, expected $want_exit (stderr: $(shown "$STDERR" 400))"
			return 1
		}
		local i
		for ((i = 0; i < ${#expect[@]}; i += 2)); do
			key=${expect[i]}
			value=${expect[i + 1]}
			case $key in
			stdout) check_text "$STDOUT" has "$value" ;;
			stderr) check_text "$STDERR" has "$value" ;;
			stdout-* | stderr-*) check_text "$base/${key%%-*}" "${key#*-}" "$value" ;;
			printable)
				local f
				for f in $value; do
					case $f in stdout) f=$STDOUT ;; stderr) f=$STDERR ;; *) f="$OUT/$f" ;; esac
					printable "$f" || break
				done
				;;
			verify) (cd "$base" && eval "$value") >"$base/verify.log" 2>&1 ||
				case_failed "'$r': verify '$value' failed: $(shown "$base/verify.log")" ;;
			esac
			[ -z "$why" ] || {
				why="'$r': $why"
				return 1
			}
		done
	done
	after=$(state "$work")
	[ "$before" = "$after" ] || {
		case_failed "the input folder changed (a write to the repository or its working tree)"
		return 1
	}
	return 0
}

mapfile -t all < <(find "$here/cases" -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort)
selected=()
for d in "${all[@]}"; do
	n=$(basename "$d")
	if [ $# -eq 0 ]; then
		selected+=("$d")
		continue
	fi
	for pat in "$@"; do
		# shellcheck disable=SC2053
		[[ $n == $pat ]] && selected+=("$d") && break
	done
done
[ ${#selected[@]} -gt 0 ] || fail "no case matches: $*"

failed=() known=0 ok=0
declare -A by_class=()
for d in "${selected[@]}"; do
	n=$(basename "$d")
	[ -f "$d/case" ] || fail "$n: no case file"
	class=$(sed -n 's/^class: *//p' "$d/case")
	defect=$(sed -n 's/^known-defect: *//p' "$d/case")
	[ -n "$class" ] || fail "$n: the case file has no class: line"
	by_class[$class]=$((${by_class[$class]:-0} + 1))
	t0=${EPOCHREALTIME/./}
	if run_case "$d"; then
		ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
		secs=$((ms / 1000)).$((ms % 1000 / 100))
		if [ -n "$defect" ]; then
			echo "FAIL $n: passes, but is marked known-defect: remove the mark ($defect)"
			failed+=("$n")
		else
			echo "ok   $n (${secs}s)"
			ok=$((ok + 1))
		fi
	elif [ -n "$defect" ]; then
		why=${why//$'\n'/|}
		echo "XFAIL $n: known defect, $defect ($why)"
		known=$((known + 1))
	else
		why=${why//$'\n'/|}
		echo "FAIL $n: $why"
		failed+=("$n")
	fi
done
classes=""
for c in $(printf '%s\n' "${!by_class[@]}" | sort); do classes+=" $c=${by_class[$c]}"; done
echo "${#selected[@]} cases:$classes"
echo "$ok passed, $known known defects, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ] || {
	echo "failed: ${failed[*]}" >&2
	exit 1
}
