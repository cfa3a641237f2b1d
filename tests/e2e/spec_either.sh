#!/usr/bin/env bash
# The spec runner's (either ...) result pattern (3.0 scripts; relaxed SIMD
# uses it): assert_return passes when the result is any one of the choices
# and fails, naming them, when it is none of them. Expected counts are
# written by hand.
set -u
build=$1
runner=$build/spec_runner
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/either.wast" <<'WAST'
(module
  (func (export "seven") (result i32) (i32.const 7))
  (func (export "pair") (result i32 f32) (i32.const 1) (f32.const 0.5)))
(assert_return (invoke "seven") (either (i32.const 1) (i32.const 7)))
(assert_return (invoke "seven") (either (i32.const 7)))
(assert_return (invoke "pair") (either (i32.const 2) (i32.const 1)) (either (f32.const nan:canonical) (f32.const 0.5)))
(assert_return (invoke "seven") (either (i32.const 1) (i32.const 2)))
(assert_return (invoke "seven") (either (i64.const 7) (f32.const 7)))
WAST
out=$("$runner" "$tmp/either.wast" 2>&1)
fail=0
# the module counts as a pass, like every module command
echo "$out" | grep -q "^either.wast: 4 passed, 2 failed," || { echo "spec_either: wrong counts"; fail=1; }
echo "$out" | grep -q "either.wast:7: assert_return: wrong result (expected either(i32:1 (0x00000001) | i32:2 (0x00000002))" ||
  { echo "spec_either: the failure at line 7 does not name the choices"; fail=1; }
echo "$out" | grep -q "either.wast:8: assert_return: wrong result" || { echo "spec_either: line 8 passed"; fail=1; }
[ $fail -eq 0 ] || { echo "$out"; exit 1; }
echo "spec_either: passed"
