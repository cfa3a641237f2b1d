#!/usr/bin/env bash
# Runs every tests/e2e/*.sh with the build directory as $1; fails if any fails.
set -u
build=$1
pass=0 fail=0 failed=()
for t in tests/e2e/*.sh; do
  [ -e "$t" ] || continue
  if bash "$t" "$build"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
for f in "${failed[@]}"; do echo "FAILED: $f"; done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
