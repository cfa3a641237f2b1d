#!/usr/bin/env bash
# The sandbox shell's diff, patch, cmp, comm, join, paste and tsort against
# the GNU programs on this machine: generated cases (fixed seed), each run
# by both, outputs, statuses and the files left behind compared
# (tests/tools/shell_gnu_diff.py). Through the host build of the shell
# (under ASan/UBSan with SAN=1); the golden cases cover the sandbox build.
set -u
build=$1
for prog in diff patch cmp comm join paste tsort; do
  if ! command -v "$prog" > /dev/null; then
    echo "shell_gnu_diff: GNU $prog is not installed (.ci/install-deps installs it)"
    exit 77
  fi
done
python3 tests/tools/shell_gnu_diff.py "$build/tests/tools/shell_host" --seed "${SHELL_GNU_DIFF_SEED:-1}"
