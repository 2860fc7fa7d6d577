#!/usr/bin/env bash
# End-to-end: the set-up scripts say what they do. ci/deps takes the set it installs for (build
# or test), and without root or sudo it installs nothing but names the missing packages and how
# to install them. ci/demo keeps its own remarks on standard error, so that its standard output
# is the report alone (checked on the script's text here; the demo run itself is the README's).
source "$(dirname "$0")/lib.sh"
cd "$TEST_TMP"
deps="$ASSURE_SOURCE_DIR/ci/deps"

set +e
"$deps" >out.txt 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "ci/deps without a set: exit $rc, expected 2"
expect_grep '^usage: ci/deps build|test' err.txt

# as a user who is not root, with no sudo on the PATH: nothing is installed, the packages are named
mkdir -p bin
chmod 755 "$TEST_TMP" bin
for tool in bash dpkg-query grep id env cat; do ln -sf "$(command -v "$tool")" bin/; done
set +e
# a copy in a folder the user can read: the checkout may be in a folder only root can enter
cp "$deps" bin/deps && chmod 755 bin/deps
setpriv --reuid=nobody --regid=nogroup --clear-groups env PATH="$TEST_TMP/bin" bash "$TEST_TMP/bin/deps" build no-such-package-of-assure >out.txt 2>err.txt
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "ci/deps as nobody without sudo: exit $rc, expected 1 ($(cat err.txt))"
expect_grep '^ci/deps: these Debian packages are missing: .*no-such-package-of-assure' err.txt
expect_grep '^ci/deps: install them as root (apt-get install .*no-such-package-of-assure.*) and run this again$' err.txt
[ ! -s out.txt ] || fail "ci/deps wrote to standard output: $(cat out.txt)"
pass

# every echo of ci/demo goes to standard error
grep -n 'echo' "$ASSURE_SOURCE_DIR/ci/demo" | grep -v '>&2' && fail "ci/demo echoes to standard output"
pass
finish
