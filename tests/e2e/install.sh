#!/usr/bin/env bash
# End-to-end: an installation works where it is put. `cmake --install` into a prefix, then the
# prefix moved elsewhere: the binary finds the rules installed beside it (not the source tree's),
# and `assure explain` runs each rule's examples, which are installed with the rules.
source "$(dirname "$0")/lib.sh"
build=$(dirname "$ASSURE_BIN")
cd "$TEST_TMP"
cmake --install "$build" --prefix "$TEST_TMP/prefix" >install.log 2>&1 || fail "cmake --install: $(tail -5 install.log)"
pass
mv prefix moved
bin="$TEST_TMP/moved/bin/assure"
[ -x "$bin" ] || fail "no assure in the installed bin/"
pass
for f in share/man/man1/assure.1 share/bash-completion/completions/assure share/doc/assure/rules.md \
	share/doc/assure/configuration.md share/doc/assure/hooks.md share/assure/hooks/.pre-commit-hooks.yaml \
	share/assure/examples/github-actions.yml share/assure/examples/gitlab-ci.yml; do
	[ -s "moved/$f" ] || fail "the installation has no $f"
	pass
done
# the hook is installed as the program a bare repository runs, the same as the source tree's
[ -x moved/share/assure/hooks/pre-receive ] || fail "the installed pre-receive hook is not executable"
cmp -s moved/share/assure/hooks/pre-receive "$ASSURE_SOURCE_DIR/hooks/pre-receive" || fail "the installed hook differs"
pass
ASSURE_BIN="$bin"
run_assure list.txt rules list
expect_rc 0 "rules list of the moved installation"
expect_grep '^FIN-001 ' list.txt
run_assure params.txt rules params
expect_grep "(.*/moved/bin/../share/assure/rules/lsc-saf/finance.json)\$" params.txt
for id in FIN-001 GOV-001 SUB-001; do
	run_assure "$id.txt" explain "$id"
	expect_rc 0 "explain $id from the moved installation"
	expect_grep '^Example that raises it' "$id.txt"
done
finish
