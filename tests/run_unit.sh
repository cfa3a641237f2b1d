#!/usr/bin/env bash
# Runs each cmocka unit-test binary; fails if any fails. A binary that exits
# 77, or in which cmocka skipped a test ("N SKIPPED TEST(S)"), is counted as
# skipped, never as passed, and fails the run too unless ALLOW_SKIP=1.
# Prints a closing "unit: P passed, F failed, S skipped" line counting
# binaries.
#
# UNIT_JOBS (default 2) binaries run at once: under ASan+UBSan the 55 of
# them one after another were the longest job of `make test SAN=1`
# (tests/README.md "CI time"). Each one's output goes to a file of its own
# and is printed whole when it ends, under a line naming it and how it
# ended; never interleaved with another's. The binaries are started in the
# order given.
set -u
jobs=${UNIT_JOBS:-2}
case $jobs in '' | *[!0-9]* | 0) echo "run_unit.sh: UNIT_JOBS wants a positive number" >&2; exit 2 ;; esac
pass=0 fail=0 skip=0 failed=() skipped=()
dir=$(mktemp -d "${TMPDIR:-/tmp}/wasmbox-unit.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

# start I T: runs binary T (the I-th) in the background; its output goes to
# $dir/I.out, its exit status to $dir/I.rc.
declare -A running=()
start() {
  # the subshell's own stderr too: bash's line about a binary killed by a
  # signal belongs with that binary's output
  ("$2" </dev/null; echo $? >"$dir/$1.rc") >"$dir/$1.out" 2>&1 &
  running[$!]=$1
}
# finish PID: prints and counts the binary that process ran.
finish() {
  local i=${running[$1]} t rc nskipped what
  unset "running[$1]"
  t=${bins[$i]}
  read -r rc <"$dir/$i.rc" || rc=1
  nskipped=$(sed -n 's/^ *\([0-9][0-9]*\) SKIPPED TEST(S)$/\1/p' "$dir/$i.out")
  if [ "$rc" -eq 77 ] || { [ "$rc" -eq 0 ] && [ -n "$nskipped" ]; }; then
    skip=$((skip + 1)); skipped+=("$t${nskipped:+ ($nskipped tests)}") what=skipped
  elif [ "$rc" -eq 0 ]; then
    pass=$((pass + 1)) what=passed
  else
    fail=$((fail + 1)); failed+=("$t (exit $rc)") what="FAILED (exit $rc)"
  fi
  echo "=== unit: $t: $what"
  cat "$dir/$i.out"
}
bins=("$@")
for i in "${!bins[@]}"; do
  while [ ${#running[@]} -ge "$jobs" ]; do
    wait -n -p done_pid "${!running[@]}"
    finish "$done_pid"
  done
  start "$i" "${bins[$i]}"
done
while [ ${#running[@]} -gt 0 ]; do
  wait -n -p done_pid "${!running[@]}"
  finish "$done_pid"
done
for f in "${failed[@]}"; do echo "FAILED: $f"; done
for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
echo "unit: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${ALLOW_SKIP:-0}" != 1 ]; then
  echo "unit: a skipped test is not a pass; make it runnable here, or accept the skip with ALLOW_SKIP=1"
  exit 1
fi
