#!/usr/bin/env bash
# Random invocations of the shell's checksum, encoding and file utilities
# (tests/tools/shell_utils_fuzz.py): through the host build (under ASan/UBSan
# with SAN=1) and through wasmbox, every run must end with a valid result.
# SHELL_UTILS_FUZZ_SEED=N picks another seed.
set -u
build=$1
python3 tests/tools/shell_utils_fuzz.py --host "$build/tests/tools/shell_host" --wasmbox "$build/wasmbox" \
  --tool "$build/tools/shell.wasm" --seed "${SHELL_UTILS_FUZZ_SEED:-1}"
