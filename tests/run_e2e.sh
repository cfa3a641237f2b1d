#!/usr/bin/env bash
# Runs every tests/e2e/*.sh, one at a time, with the build directory as $1,
# then checks every audit record they wrote against policy/audit.schema.json
# (the scripts keep their logs in $WB_AUDIT_KEEP: tests/e2e/lib/keep_audit.sh).
# A script exits 0 when it passed, 77 when it cannot run here (it prints why,
# e.g. no `unshare -n`), anything else when it failed. A skipped script is
# never a pass: the closing line "e2e: P passed, F failed, S skipped" counts
# it apart, and the run fails on a skip too unless ALLOW_SKIP=1.
set -u
build=$1
pass=0 fail=0 skip=0 failed=() skipped=() took=()
keep=$build/audit-logs
rm -rf "$keep" && mkdir -p "$keep" || exit 1
export WB_AUDIT_KEEP
WB_AUDIT_KEEP=$(cd "$keep" && pwd)
for t in tests/e2e/*.sh; do
  [ -e "$t" ] || continue
  rc=0 start=$SECONDS
  bash "$t" "$build" || rc=$?
  took+=("$((SECONDS - start)) $t")
  case $rc in
  0) pass=$((pass + 1)) ;;
  77) skip=$((skip + 1)); skipped+=("$t") ;;
  *) fail=$((fail + 1)); failed+=("$t (exit $rc)") ;;
  esac
done
if python3 tests/tools/check_audit_schema.py policy/audit.schema.json "$keep"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); failed+=("the audit schema check of $keep")
fi
for f in "${failed[@]}"; do echo "FAILED: $f"; done
for s in "${skipped[@]}"; do echo "SKIPPED: $s"; done
# the slowest scripts (CI's time is watched: .ci/run)
printf '%s\n' "${took[@]}" | sort -rn | head -5 | sed 's/^\([0-9]*\) \(.*\)/e2e: slowest: \2 \1 s/'
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
if [ "$skip" -gt 0 ] && [ "${ALLOW_SKIP:-0}" != 1 ]; then
  echo "e2e: a skipped script is not a pass; make it runnable here, or accept the skip with ALLOW_SKIP=1"
  exit 1
fi
