#!/usr/bin/env bash
# Mutation fuzzing of the sandbox shell with fixed seeds (tests/tools/shell_fuzz.py):
# mutated golden-test commands run inside the sandbox must end with a valid
# result or a limit, never a trap; parsed (never run) by the host build
# under ASan/UBSan with SAN=1, they must leave no sanitizer report.
# SHELL_FUZZ_SEED=N picks another seed.
set -u
build=$1
python3 tests/tools/shell_fuzz.py --wasmbox "$build/wasmbox" --tool "$build/tools/shell.wasm" \
  --host "$build/tests/tools/shell_host" --seed "${SHELL_FUZZ_SEED:-1}" tests/golden/shell/*.t
