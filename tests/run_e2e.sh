#!/usr/bin/env bash
# Runs every tests/e2e/*.sh with the build directory as $1, then checks every
# audit record they wrote against policy/audit.schema.json (the scripts keep
# their logs in $WB_AUDIT_KEEP: tests/e2e/lib/keep_audit.sh).
# A script exits 0 when it passed, 77 when it cannot run here (it prints why,
# e.g. no `unshare -n`), anything else when it failed. A skipped script is
# never a pass: the closing line "e2e: P passed, F failed, S skipped" counts
# it apart, and the run fails on a skip too unless ALLOW_SKIP=1.
#
# In two parts, to keep CI's time down (tests/README.md "CI time"):
#  1. the scripts that do not time themselves, E2E_JOBS (default 2) at once,
#     the slowest first (the times of the last run in $build/e2e-logs/times,
#     else the list below), so that the cores are busy to the end;
#  2. then, one at a time and alone, the scripts with a line "# e2e: alone:
#     WHY" near their top: they check that a run ended within some time of a
#     deadline, which a second job on the CPUs would disturb.
# Each script's output goes to $build/e2e-logs/NAME.log and is printed whole
# when the script ends (never interleaved with another's), under a line
# naming it, whether it passed and how long it took.
set -u
build=$1
pass=0 fail=0 skip=0 failed=() skipped=() took=()
keep=$build/audit-logs
logs=$build/e2e-logs
rm -rf "$keep" && mkdir -p "$keep" "$logs" || exit 1
export WB_AUDIT_KEEP
WB_AUDIT_KEEP=$(cd "$keep" && pwd)
jobs=${E2E_JOBS:-2}
case $jobs in '' | *[!0-9]* | 0) echo "run_e2e.sh: E2E_JOBS wants a positive number" >&2; exit 2 ;; esac

# The slowest scripts, slowest first, as measured (2026-12-04; tests/README.md
# "CI time"), for a run without $logs/times (a fresh build, as in CI).
slow_first="translate_difftr guest_tools_golden fuzz_validate shell_golden
  guest_tools_webfetch guest_tools_hostile wat_bytes v8diff wat_roundtrip code_cache
  shell_tool bench_smoke awk_fuzz shell_curl guest_tools_limits wasi_links"

# ---- which scripts, in what order ----
lanes=() alone=()
for t in tests/e2e/*.sh; do
  [ -e "$t" ] || continue
  if head -5 "$t" | grep -q '^# e2e: alone:'; then alone+=("$t"); else lanes+=("$t"); fi
done
# weight NAME: the seconds it took last time, else a rank from slow_first.
declare -A last=()
if [ -f "$logs/times" ]; then
  while read -r s n; do last[$n]=$s; done <"$logs/times"
fi
weight() {
  local n=$1 i=0 s
  [ -n "${last[$n]:-}" ] && { echo "${last[$n]}"; return; }
  for s in $slow_first; do
    i=$((i + 1))
    [ "$s" = "$n" ] && { echo $((100000 - i)); return; }
  done
  echo 0
}
if [ ${#lanes[@]} -gt 0 ]; then
  mapfile -t lanes < <(for t in "${lanes[@]}"; do
    n=$(basename "$t" .sh); echo "$(weight "$n") $t"; done | sort -k1,1rn -k2 | cut -d' ' -f2)
fi

# ---- running them ----
# start T: runs script T in the background; its exit status and seconds go
# to $logs/NAME.rc.
start() {
  local n
  n=$(basename "$1" .sh)
  rm -f "$logs/$n.rc"
  (s=$SECONDS; bash "$1" "$build" >"$logs/$n.log" 2>&1 </dev/null; rc=$?
   echo "$rc $((SECONDS - s))" >"$logs/$n.rc") &
  running[$!]=$1
}
# finish PID: counts and prints the script that process ran.
finish() {
  local t=${running[$1]} n rc secs what
  unset "running[$1]"
  n=$(basename "$t" .sh)
  read -r rc secs <"$logs/$n.rc" || { rc=1 secs=0; }
  took+=("$secs $t")
  case $rc in
  0) pass=$((pass + 1)) what=passed ;;
  77) skip=$((skip + 1)); skipped+=("$t") what=skipped ;;
  *) fail=$((fail + 1)); failed+=("$t (exit $rc; its output: $logs/$n.log)") what="FAILED (exit $rc)" ;;
  esac
  echo "=== e2e: $t: $what in $secs s"
  cat "$logs/$n.log"
}
declare -A running=()
for t in "${lanes[@]}"; do
  while [ ${#running[@]} -ge "$jobs" ]; do
    wait -n -p done_pid "${!running[@]}"
    finish "$done_pid"
  done
  start "$t"
done
while [ ${#running[@]} -gt 0 ]; do
  wait -n -p done_pid "${!running[@]}"
  finish "$done_pid"
done
for t in "${alone[@]}"; do
  start "$t"
  wait -n -p done_pid "${!running[@]}"
  finish "$done_pid"
done
printf '%s\n' "${took[@]}" | sed 's|^\([0-9]*\) tests/e2e/\(.*\)\.sh$|\1 \2|' >"$logs/times"

if python3 tests/tools/check_audit_schema.py policy/audit.schema.json "$keep"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); failed+=("the audit schema check of $keep")
fi
for f in "${failed[@]}"; do echo "FAILED: $f"; done
for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
# the slowest scripts (CI's time is watched: .ci/run)
printf '%s\n' "${took[@]}" | sort -rn | head -5 | sed 's/^\([0-9]*\) \(.*\)/e2e: slowest: \2 \1 s/'
echo "e2e: ${#lanes[@]} scripts $jobs at a time, then ${#alone[@]} alone, in $SECONDS s"
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${ALLOW_SKIP:-0}" != 1 ]; then
  echo "e2e: a skipped script is not a pass; make it runnable here, or accept the skip with ALLOW_SKIP=1"
  exit 1
fi
