#!/usr/bin/env bash
# Runs the libFuzzer harnesses built by `make fuzz-build` (tests/fuzz/README.md).
#
#   run.sh BUILD NAME SECONDS   replay NAME's seeds and regressions, then fuzz it
#   run.sh BUILD all SECONDS    the same for every target, one after the other
#   SECONDS 0: replay only.
#
# Inputs: tests/fuzz/corpus/NAME (seeds, checked in), tests/fuzz/regress/NAME
# (inputs that once failed, checked in), BUILD/fuzz-corpus/NAME (what runs
# found, kept between runs, not checked in). A failing input is written to
# BUILD/fuzz-crashes/NAME/ and the run fails, saying how to reproduce it.
# FUZZ_JOBS (default 1) targets at a time, each one's output printed whole
# when it ends. `make test` runs them two at a time once unit and
# conformance are done (tests/fuzz/fuzz.mk), so that each has a core of its
# own for its SECONDS.
set -u
build=$1 which=$2 secs=$3
jobs=${FUZZ_JOBS:-1}
case $jobs in '' | *[!0-9]* | 0) echo "run.sh: FUZZ_JOBS wants a positive number" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
all=$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
names=$all
[ "$which" = all ] || names=$which
fails=0

run_one() {
  local name=$1 bin=$build/fuzz/fuzz_$1
  local seeds=$here/corpus/$1 regress=$here/regress/$1
  local work=$build/fuzz-corpus/$1 crashes=$build/fuzz-crashes/$1 log=$build/fuzz-logs/$1.log
  [ -x "$bin" ] || { echo "fuzz $name: no such target ($bin missing; targets: $(echo $all))"; return 1; }
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  # scratch files (fuzz_wasi's tree, rebuilt for every input) in a directory
  # of this run's own, in memory when /dev/shm allows (a disk makes it 3-20x slower)
  local shm=/dev/shm; [ -d $shm ] && [ -w $shm ] || shm=$build
  export TMPDIR=$(mktemp -d "$shm/wasmbox-fuzz-$1.XXXXXX")
  local opts=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/")
  [ -f "$here/$name.dict" ] && opts+=(-dict="$here/$name.dict")
  # Every checked-in input once: seeds must pass, and so must every regression.
  local files=()
  for d in "$seeds" "$regress"; do
    [ -d "$d" ] && for f in "$d"/*; do [ -f "$f" ] && files+=("$f"); done
  done
  if ((${#files[@]})) && ! "$bin" "${opts[@]}" "${files[@]}" >"$log" 2>&1; then
    echo "FAIL fuzz $name: a checked-in input fails; see $log"
    grep -a -m6 -e '^Running:' -e '^fuzz_[a-z_]*: ' -e 'ERROR:' -e '^SUMMARY' "$log" | cut -c1-300
    return 1
  fi
  echo "fuzz $name: ${#files[@]} seeds and regressions replayed"
  [ "$secs" -gt 0 ] || return 0
  local dirs=("$work")
  for d in "$seeds" "$regress"; do [ -d "$d" ] && dirs+=("$d"); done
  # through a pipe: fuzz_wasi limits the size of files it writes (RLIMIT_FSIZE)
  "$bin" "${opts[@]}" -max_total_time="$secs" -print_final_stats=1 "${dirs[@]}" 2>&1 | cat >"$log"
  local rc=${PIPESTATUS[0]}
  local execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  local corpus=$(ls "$work" | wc -l)
  if [ $rc -ne 0 ]; then
    local art=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
    echo "FAIL fuzz $name: exit $rc after ${execs:-?} executions; log $log"
    grep -a -m6 -e '^fuzz_[a-z_]*: ' -e 'ERROR:' -e '^SUMMARY' "$log" | cut -c1-300
    [ -n "$art" ] && echo "  input: $art (reproduce: $bin $art; when fixed, add it to tests/fuzz/regress/$name/)"
    return 1
  fi
  echo "fuzz $name: ${execs:-?} executions in $secs s, no failure (corpus $corpus found inputs)"
}

# Each target in a subshell of its own (its TMPDIR its own), its output in
# $out/NAME until it ends.
out=$(mktemp -d "${TMPDIR:-/tmp}/wasmbox-fuzz-run.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
declare -A running=()
# finish: waits for one target to end, prints its output, counts a failure.
finish() {
  local done_pid rc=0
  wait -n -p done_pid "${!running[@]}" || rc=$?
  cat "$out/${running[$done_pid]}"
  unset "running[$done_pid]"
  [ $rc -eq 0 ] || fails=$((fails + 1))
}
for n in $names; do
  while [ ${#running[@]} -ge "$jobs" ]; do finish; done
  (run_one "$n"; rc=$?
   [ -n "${TMPDIR:-}" ] && [[ $TMPDIR == */wasmbox-fuzz-$n.* ]] && rm -rf "$TMPDIR"
   exit $rc) >"$out/$n" 2>&1 &
  running[$!]=$n
done
while [ ${#running[@]} -gt 0 ]; do finish; done
[ $fails -eq 0 ]
