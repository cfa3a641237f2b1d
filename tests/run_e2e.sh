#!/usr/bin/env bash
# Runs every tests/e2e/*.sh, one at a time, with the build directory as $1.
# A script exits 0 when it passed, 77 when it cannot run here (it prints why,
# e.g. no `unshare -n`), anything else when it failed. A skipped script is
# never a pass: the closing line "e2e: P passed, F failed, S skipped" counts
# it apart, and the run fails on a skip too unless ALLOW_SKIP=1.
set -u
build=$1
pass=0 fail=0 skip=0 failed=() skipped=()
for t in tests/e2e/*.sh; do
  [ -e "$t" ] || continue
  rc=0
  bash "$t" "$build" || rc=$?
  case $rc in
  0) pass=$((pass + 1)) ;;
  77) skip=$((skip + 1)); skipped+=("$t") ;;
  *) fail=$((fail + 1)); failed+=("$t (exit $rc)") ;;
  esac
done
for f in "${failed[@]}"; do echo "FAILED: $f"; done
for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${ALLOW_SKIP:-0}" != 1 ]; then
  echo "e2e: a skipped script is not a pass; make it runnable here, or accept the skip with ALLOW_SKIP=1"
  exit 1
fi
