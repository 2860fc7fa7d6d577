#!/usr/bin/env bash
# End-to-end: every command of the README's "Using it" block runs as printed, on the demo
# repository, and exits 0 (clean) or 1 (findings), never 2 (a usage error or something that
# cannot be read). They run in a folder of their own, with the source tree's fixtures/ and
# rules/ beside them, the test's binary on the PATH and R the demo repository, as the README's
# first line sets them after ./ci/demo.
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
"$ASSURE_SOURCE_DIR/ci/make-demo-repo" demo >/dev/null
ln -s "$ASSURE_SOURCE_DIR/fixtures" fixtures
ln -s "$ASSURE_SOURCE_DIR/rules" rules
awk '/^## Using it$/ {on = 1} on && /^```sh$/ {block = 1; next} block && /^```$/ {exit} block {print}' \
	"$ASSURE_SOURCE_DIR/README.md" >commands.txt
[ "$(grep -c '^assure ' commands.txt)" -ge 10 ] || fail "the README's examples were not found: $(cat commands.txt)"
pass
head -1 commands.txt | grep -q '^export PATH=.*R=build/demo-repo$' || fail "the first line should set PATH and R"
pass
export PATH="$(dirname "$ASSURE_BIN"):$PATH" R=demo
n=0
while IFS= read -r line; do
	case "$line" in assure\ *) ;; *) continue ;; esac
	n=$((n + 1))
	set +e
	eval "$line" >"out.$n" 2>"err.$n"
	rc=$?
	set -e
	[ "$rc" -le 1 ] || fail "'$line' exited $rc: $(head -c 1000 "err.$n")"
	pass
done <commands.txt
[ -s audit-html/index.html ] || fail "the HTML audit of the README wrote no index.html"
pass
# the text the README quotes is the demo's, line for line
awk '/^Text output is one line per finding/ {on = 1} on && /^```$/ {if (in_block) exit; in_block = 1; next} in_block {print}' \
	"$ASSURE_SOURCE_DIR/README.md" >quoted.txt
[ -s quoted.txt ] || fail "the README quotes no output"
assure check --repo demo --as-of 2021-01-13 >demo.txt || true
while IFS= read -r q; do
	case "$q" in
	*"files checked"*) grep -qF "$(echo "$q" | sed 's/, commit [0-9a-f]*)//')" demo.txt || fail "the README's summary is not the demo's: $q" ;;
	*) grep -qxF "$q" demo.txt || fail "the README quotes a line the demo does not print: $q" ;;
	esac
	pass
done <quoted.txt
finish
