#!/usr/bin/env bash
# The sandbox shell (tools/guest/shell) against hand-written expectations
# (tests/golden/shell/*.t, format in tests/tools/shell_golden.py): each case
# through the tool bridge (`wasmbox tool call shell`) with a fresh
# workspace; then the same cases through the shell built for the host (under
# ASan/UBSan with SAN=1), where any sanitizer report or leak fails the case.
set -u
build=$1
status=0
python3 tests/tools/shell_golden.py --wasmbox "$build/wasmbox" --tool "$build/tools/shell.wasm" \
  tests/golden/shell/*.t || status=1
python3 tests/tools/shell_golden.py --host "$build/tests/tools/shell_host" tests/golden/shell/*.t || status=1
exit $status
