#!/usr/bin/env bash
# The text format on the command line: `wasmbox wat2wasm` (its bytes held
# against wabt's wat2wasm, the reference program on this machine), `run`,
# `validate` and `disasm` on .wat files, and errors that name FILE:LINE:COL.
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
fib=tests/examples/fib.wat

# wat2wasm: the same bytes as wabt's wat2wasm
check wat2wasm 0 "" "" -- "$wb" wat2wasm "$fib" -o "$tmp/fib.wasm"
wat2wasm "$fib" -o "$tmp/fib.wabt.wasm"
cmp -s "$tmp/fib.wasm" "$tmp/fib.wabt.wasm" || { echo "FAIL wat2wasm: bytes differ from wabt's"; fails=$((fails + 1)); }
check wat2wasm-usage 2 "" "usage: wasmbox wat2wasm" -- "$wb" wat2wasm "$fib"
check wat2wasm-usage2 2 "" "usage: wasmbox wat2wasm" -- "$wb" wat2wasm -o "$tmp/x.wasm"
check wat2wasm-missing 1 "" "No such file" -- "$wb" wat2wasm "$tmp/nope.wat" -o "$tmp/x.wasm"

# run, validate, disasm read text as they read binaries
check run-wat 0 "6765" "" -- "$wb" run --invoke fib "$fib" 20
check run-wat-trap 134 "" "wasmbox: trap: integer divide by zero" -- "$wb" run --invoke div "$fib" 1 0
check validate-wat 0 "" "" -- "$wb" validate "$fib"
"$wb" disasm "$fib" >"$tmp/d1" 2>&1
"$wb" disasm "$tmp/fib.wasm" >"$tmp/d2" 2>&1
cmp -s "$tmp/d1" "$tmp/d2" || { echo "FAIL disasm-wat: differs from the binary's"; fails=$((fails + 1)); }

# text is recognised by its first bytes that are not white space
printf '\n  ;; a comment first\n(module (func (export "one") (result i32) i32.const 1))\n' >"$tmp/c.wat"
check comment-first 0 "1" "" -- "$wb" run --invoke one "$tmp/c.wat"
printf '(; block comment ;)(module (func (export "two") (result i32) i32.const 2))' >"$tmp/b.txt"
check block-comment-first 0 "2" "" -- "$wb" run --invoke two "$tmp/b.txt"
printf '(func (export "three") (result i32) i32.const 3)' >"$tmp/fields.wat"
check fields-only 0 "3" "" -- "$wb" run --invoke three "$tmp/fields.wat"

# errors: FILE:LINE:COL and what was expected
printf '(module\n  (func (i32.const 0x1_)))\n' >"$tmp/bad.wat"
check err-number 1 "" "$tmp/bad.wat:2:20: expected an i32 constant" -- "$wb" validate "$tmp/bad.wat"
check err-number-run 1 "" "$tmp/bad.wat:2:20: expected an i32 constant" -- "$wb" run --invoke f "$tmp/bad.wat"
check err-number-wat2wasm 1 "" "$tmp/bad.wat:2:20:" -- "$wb" wat2wasm "$tmp/bad.wat" -o "$tmp/bad.wasm"
[ -e "$tmp/bad.wasm" ] && { echo "FAIL err-number-wat2wasm: wrote a file"; fails=$((fails + 1)); }
printf '(module\n  (func\n    i32.foo))\n' >"$tmp/op.wat"
check err-operator 1 "" "$tmp/op.wat:3:5: unknown operator 'i32.foo'" -- "$wb" validate "$tmp/op.wat"
printf '(module (func (br $out)))' >"$tmp/label.wat"
check err-label 1 "" "$tmp/label.wat:1:19: unknown label '\$out'" -- "$wb" validate "$tmp/label.wat"
printf '(module (func' >"$tmp/open.wat"
check err-eof 1 "" "$tmp/open.wat:1:14: expected ')', found the end of the text" -- "$wb" validate "$tmp/open.wat"
# well-formed text, invalid module: the validator's message, no file written
printf '(module (func (result i32)))' >"$tmp/invalid.wat"
check invalid-validate 1 "" "type mismatch" -- "$wb" validate "$tmp/invalid.wat"
check invalid-wat2wasm 1 "" "type mismatch" -- "$wb" wat2wasm "$tmp/invalid.wat" -o "$tmp/invalid.wasm"
[ -e "$tmp/invalid.wasm" ] && { echo "FAIL invalid-wat2wasm: wrote a file"; fails=$((fails + 1)); }
# wasm2wat: text that reads back to the same bytes; usage; invalid modules refused
check wasm2wat 0 "" "" -- "$wb" wasm2wat "$tmp/fib.wasm" -o "$tmp/fib2.wat"
check wasm2wat-back 0 "" "" -- "$wb" wat2wasm "$tmp/fib2.wat" -o "$tmp/fib2.wasm"
cmp -s "$tmp/fib.wasm" "$tmp/fib2.wasm" || { echo "FAIL wasm2wat: the round trip changed the bytes"; fails=$((fails + 1)); }
"$wb" wasm2wat "$tmp/fib.wasm" >"$tmp/fib3.wat" 2>&1
cmp -s "$tmp/fib2.wat" "$tmp/fib3.wat" || { echo "FAIL wasm2wat-stdout: differs from -o"; fails=$((fails + 1)); }
grep -q '^  (func (;0;) (type 0) (local i64 i64 i64)$' "$tmp/fib3.wat" || { echo "FAIL wasm2wat-text: no fib function line"; fails=$((fails + 1)); }
check wasm2wat-usage 2 "" "usage: wasmbox wasm2wat" -- "$wb" wasm2wat
printf '\0asm\1\0\0\0\1\5\1\140\0\1\177\3\2\1\0\12\4\1\2\0\13' >"$tmp/invalid.bin"
check wasm2wat-invalid 1 "" "type mismatch" -- "$wb" wasm2wat "$tmp/invalid.bin"

# binaries are untouched
check binary-still 0 "6765" "" -- "$wb" run --invoke fib "$tmp/fib.wasm" 20

[ "$fails" -eq 0 ] && echo "wat_cli: ok" || { echo "wat_cli: $fails failed"; exit 1; }
