#!/usr/bin/env bash
# The C sources follow the committed .clang-format.
source "$(dirname "$0")/lib.sh"
cd "$ASSURE_SOURCE_DIR"
command -v clang-format >/dev/null || fail "clang-format is not installed (ci/deps installs it)"
mapfile -t files < <(find src include tests -name '*.[ch]' | sort)
[ ${#files[@]} -gt 10 ] || fail "found only ${#files[@]} C files"
clang-format --dry-run --Werror "${files[@]}" || fail "run: clang-format -i \$(find src include tests -name '*.[ch]')"
pass
finish
