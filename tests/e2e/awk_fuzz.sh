#!/usr/bin/env bash
# Mutation fuzzing of the shell's awk with a fixed seed (tests/tools/awk_fuzz.py):
# mutated awk programs from utils_awk.t run inside the sandbox must end with a
# valid result or a limit, never a trap; those that cannot write a file or
# run a command also run in the host build (under ASan/UBSan with SAN=1),
# where they must leave no sanitizer report. AWK_FUZZ_SEED=N picks another seed.
set -u
build=$1
python3 tests/tools/awk_fuzz.py --wasmbox "$build/wasmbox" --tool "$build/tools/shell.wasm" \
  --host "$build/tests/tools/shell_host" --seed "${AWK_FUZZ_SEED:-1}" tests/golden/shell/utils_awk.t
