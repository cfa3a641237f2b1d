#!/usr/bin/env bash
# The wasmbox CLI end to end: validate, run --invoke, results, traps, limits,
# usage errors, and their exit codes.
set -u
build=$1
wb=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # name expected-exit expected-stdout expected-stderr-substring -- command...
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local out; out=$(cat "$tmp/out")
  local err_ok=1
  if [ -n "$want_err" ]; then grep -qF -- "$want_err" "$tmp/err" || err_ok=0; fi
  if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] || [ "$err_ok" = 0 ]; then
    echo "FAIL $name: rc=$rc (want $want_rc) out=[$out] (want [$want_out]) err=[$(cat "$tmp/err")] (want ~[$want_err])"
    fails=$((fails + 1))
  fi
}
wat2wasm tests/examples/fib.wat -o "$tmp/fib.wasm"
printf '\0asm\1\0\0\0\1\5\1\140\0' >"$tmp/trunc.wasm"
printf 'not wasm' >"$tmp/junk.wasm"

check validate-ok 0 "" "" -- "$wb" validate "$tmp/fib.wasm"
check validate-junk 1 "" "magic header not detected" -- "$wb" validate "$tmp/junk.wasm"
check validate-trunc 1 "" "offset" -- "$wb" validate "$tmp/trunc.wasm"
check validate-missing 1 "" "No such file" -- "$wb" validate "$tmp/nope.wasm"
check validate-usage 2 "" "usage" -- "$wb" validate
check fib 0 "12586269025" "" -- "$wb" run --invoke fib "$tmp/fib.wasm" 50
check fib-0 0 "0" "" -- "$wb" run --invoke fib "$tmp/fib.wasm" 0
check div 0 "-3" "" -- "$wb" run --invoke div "$tmp/fib.wasm" -7 2
check div-unsigned-spelling 0 "-1" "" -- "$wb" run --invoke div "$tmp/fib.wasm" 4294967295 1
check div-zero 134 "" "wasmbox: trap: integer divide by zero" -- "$wb" run --invoke div "$tmp/fib.wasm" 1 0
check overflow 134 "" "wasmbox: trap: integer overflow" -- "$wb" run --invoke div "$tmp/fib.wasm" -2147483648 -1
check floats 0 "$(printf '0.3333333333333333\n0.33333334')" "" -- "$wb" run --invoke third "$tmp/fib.wasm" 1
check floats-inf 0 "$(printf 'inf\ninf')" "" -- "$wb" run --invoke third "$tmp/fib.wasm" inf
check floats-nan 0 "$(printf 'nan\nnan')" "" -- "$wb" run --invoke third "$tmp/fib.wasm" nan
check fuel 137 "" "wasmbox: limit: out of fuel" -- "$wb" run --fuel 100000 --invoke spin "$tmp/fib.wasm"
check bad-arg 2 "" "not a valid i32" -- "$wb" run --invoke div "$tmp/fib.wasm" x 1
check arg-count 2 "" "takes 2 argument" -- "$wb" run --invoke div "$tmp/fib.wasm" 1
check no-export 1 "" "no exported function 'nope'" -- "$wb" run --invoke nope "$tmp/fib.wasm"
check unknown-cmd 2 "" "unknown command" -- "$wb" frobnicate
[ "$fails" -eq 0 ] && echo "cli_basic: ok" || { echo "cli_basic: $fails failed"; exit 1; }
