#!/usr/bin/env bash
# End-to-end: the Debian package holds a working tool. ci/package builds it (here from the test
# build), `dpkg-deb -x` unpacks it into a temporary folder, and the unpacked binary checks, lists
# and explains with the rules and examples the package carries.
source "$(dirname "$0")/lib.sh"
build=$(dirname "$ASSURE_BIN")
cd "$TEST_TMP"
deb=$("$ASSURE_SOURCE_DIR/ci/package" --build "$build" --out "$TEST_TMP" 2>package.err) || fail "ci/package: $(cat package.err)"
[ -s "$deb" ] || fail "no package at '$deb'"
pass
dpkg-deb -f "$deb" Package Depends >control.txt
expect_grep '^Package: assure$' control.txt
allocator=
if readelf -d "$ASSURE_BIN" | grep -q 'NEEDED.*\[libmimalloc\.so\.2\]'; then
	allocator=", libmimalloc2.0"
fi
expect_grep "^Depends: libc6, libgit2-1.5, libjansson4, libpcre2-8-0, libgmp10$allocator\$" control.txt
dpkg-deb -c "$deb" >contents.txt
for f in ./usr/bin/assure ./usr/share/assure/rules/lsc-saf/finance.json ./usr/share/man/man1/assure.1 \
	./usr/share/bash-completion/completions/assure ./usr/share/assure/fixtures/rules/FIN-001/expected.json; do
	grep -q " $f\$" contents.txt || fail "the package lacks $f"
	pass
done
dpkg-deb -x "$deb" unpacked
ASSURE_BIN="$TEST_TMP/unpacked/usr/bin/assure"
run_assure explain.txt explain FIN-001
expect_rc 0 "explain FIN-001 from the unpacked package"
run_assure check.txt check --as-of 2021-01-13 --fail-on none "$ASSURE_SOURCE_DIR/fixtures/rules/FIN-001/fail"
expect_rc 0 "check from the unpacked package"
expect_grep '\[FIN-001\]' check.txt
finish
