#!/usr/bin/env python3
"""Writes the entries of a CMake compile database that compile src/ (not tests/) to a new one.

Usage: sources.py BUILD_DIR SOURCE_DIR OUT_DIR
Writes OUT_DIR/compile_commands.json and prints the source files, one a line, sorted. The static
analysers read it (tests/static/cppcheck.sh, clang-tidy.sh), so they see each file as the compiler
does: the same defines, include folders and standard.
"""
import json
import os
import sys

build, root, out = sys.argv[1:]
with open(os.path.join(build, "compile_commands.json")) as f:
    entries = json.load(f)
src = os.path.join(os.path.realpath(root), "src") + os.sep
mine = sorted((e for e in entries if os.path.realpath(e["file"]).startswith(src)), key=lambda e: e["file"])
if not mine:
    sys.exit("sources.py: no file of %s in %s/compile_commands.json" % (src, build))
with open(os.path.join(out, "compile_commands.json"), "w") as f:
    json.dump(mine, f, indent=1)
for e in mine:
    print(e["file"])
