#!/usr/bin/env bash
# Runs every tests/e2e/*.sh with the build directory as $1, then checks every
# audit record they wrote against policy/audit.schema.json (the scripts keep
# their logs in $WB_AUDIT_KEEP: tests/e2e/lib/keep_audit.sh); fails if any
# of these fails.
set -u
build=$1
pass=0 fail=0 failed=()
keep=$build/audit-logs
rm -rf "$keep" && mkdir -p "$keep" || exit 1
export WB_AUDIT_KEEP
WB_AUDIT_KEEP=$(cd "$keep" && pwd)
for t in tests/e2e/*.sh; do
  [ -e "$t" ] || continue
  if bash "$t" "$build"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
if python3 tests/tools/check_audit_schema.py policy/audit.schema.json "$keep"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); failed+=("the audit schema check of $keep")
fi
for f in "${failed[@]}"; do echo "FAILED: $f"; done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
