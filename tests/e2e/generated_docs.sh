#!/usr/bin/env bash
# End-to-end: the manual page and the bash completion are made from the command and option tables
# that --help prints, so they cannot drift: the committed docs/assure.1 and docs/assure.bash must
# be what the binary makes now (regenerate with `assure help --man >docs/assure.1` and
# `assure help --completion >docs/assure.bash`), every option of every command must be in both,
# the completion must complete, and the README must name every command.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
run_assure man.1 help --man
expect_rc 0 "help --man"
expect_same man.1 "$ASSURE_SOURCE_DIR/docs/assure.1"
run_assure completion.bash help --completion
expect_rc 0 "help --completion"
expect_same completion.bash "$ASSURE_SOURCE_DIR/docs/assure.bash"
commands=$(awk '/^commands:$/ {on = 1; next} on && /^  [a-z]/ {print $1} /^$/ {on = 0}' <("$ASSURE_BIN" help))
[ -n "$commands" ] || fail "assure help lists no commands"
for c in $commands; do
	"$ASSURE_BIN" help "$c" >help.txt
	for opt in $(grep -o -- '^  --[a-z-]*' help.txt | tr -d ' '); do
		grep -q -- "\\\\fB$(echo "$opt" | sed 's/-/\\\\-/g')\\\\fR" man.1 || fail "the manual page lacks $opt of $c"
		grep -q -- "$opt " completion.bash || fail "the completion lacks $opt of $c"
	done
	pass
	grep -q "assure $c\b" "$ASSURE_SOURCE_DIR/README.md" || fail "the README does not show the command '$c'"
	pass
done
# the completion completes
out=$(bash -c 'source completion.bash; COMP_WORDS=(assure ch); COMP_CWORD=1; _assure; echo "${COMPREPLY[*]}"')
[ "$out" = "check" ] || fail "completing 'assure ch' gave '$out'"
out=$(bash -c 'source completion.bash; COMP_WORDS=(assure check --fo); COMP_CWORD=2; _assure; echo "${COMPREPLY[*]}"')
[ "$out" = "--format" ] || fail "completing 'assure check --fo' gave '$out'"
pass
finish
