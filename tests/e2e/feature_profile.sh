#!/usr/bin/env bash
# The feature profile through `wasmbox run` (vm/README.md "The feature
# profile"): a module whose constant expressions read globals the module
# itself defines (3.0) runs under the default profile, with the values
# worked out by hand; `--wasm-version 2.0` refuses it with 2.0's "unknown
# global"; exception handling (try_table) runs under 3.0 and is an illegal
# opcode under 2.0; a mistyped version is a usage error.
set -u
build=$1
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# $base = 40; $off = $base + 2 = 42; $g64 = 3 * 7 = 21; $twice = 21 + 21 = 42;
# the data segment at $off puts byte 0x2a (42) at address 42.
cat >"$tmp/g.wat" <<'WAT'
(module
  (global $base i32 (i32.const 40))
  (global $off i32 (i32.add (global.get $base) (i32.const 2)))
  (global $g64 i64 (i64.mul (i64.const 3) (i64.const 7)))
  (global $twice i64 (i64.add (global.get $g64) (global.get $g64)))
  (memory 1)
  (data (global.get $off) "\2a")
  (func (export "off") (result i32) (global.get $off))
  (func (export "byte") (result i32) (i32.load8_u (global.get $off)))
  (func (export "before") (result i32) (i32.load8_u (i32.sub (global.get $off) (i32.const 1))))
  (func (export "twice") (result i64) (global.get $twice)))
WAT
check() { # $1: what, $2: expected output, $3: expected status, then the command
    local what=$1 want=$2 want_rc=$3 out rc=0
    shift 3
    out=$("$@" 2>&1) || rc=$?
    if [ "$out" != "$want" ] || [ "$rc" != "$want_rc" ]; then
        echo "feature_profile: $what: got status $rc, output '$out'; want $want_rc, '$want'"
        fail=1
    fi
}
for opt in 1 0; do
    check "off (opt $opt)" 42 0 "$wasmbox" run --opt $opt --invoke off "$tmp/g.wat"
    check "byte (opt $opt)" 42 0 "$wasmbox" run --opt $opt --invoke byte "$tmp/g.wat"
    check "before (opt $opt)" 0 0 "$wasmbox" run --opt $opt --invoke before "$tmp/g.wat"
    check "twice (opt $opt)" 42 0 "$wasmbox" run --opt $opt --invoke twice "$tmp/g.wat"
    check "3.0 named (opt $opt)" 42 0 "$wasmbox" run --opt $opt --wasm-version 3.0 --invoke off "$tmp/g.wat"
done
# global 1's initializer: global.get 0 at offset 0x29 (header 8 bytes, type
# section 11 (two types), function section 7 (four functions), memory
# section 5: the global section starts at 0x1f; its id, size and count, global
# 0's 5 bytes, global 1's type and mutability, then the instruction)
check "2.0 refuses" "wasmbox: $tmp/g.wat: global section, global 1, offset 0x29: unknown global 0" 1 \
    "$wasmbox" run --wasm-version 2.0 --invoke off "$tmp/g.wat"
# exception handling is 3.0's: try_table runs under the default profile, and
# 2.0 says "illegal opcode". Its offset: header 8 bytes, type section 7
# (0x08-0x0e), function section 4 (0x0f-0x12), export section 7 (0x13-0x19),
# the code section's id, size, count, body size and locals count: 0x1a-0x1e
printf '(module (func (export "f") (result i32) (try_table (result i32) (i32.const 7))))\n' >"$tmp/t.wat"
check "try_table under 3.0" 7 0 "$wasmbox" run --invoke f "$tmp/t.wat"
check "try_table under 2.0" "wasmbox: $tmp/t.wat: function 0, offset 0x1f: illegal opcode 0x1f: try_table (exception handling) is WebAssembly 3.0, not in the 2.0 profile" 1 \
    "$wasmbox" run --wasm-version 2.0 --invoke f "$tmp/t.wat"
out=$("$wasmbox" run --wasm-version 2.5 --invoke off "$tmp/g.wat" 2>&1)
rc=$?
if [ $rc != 2 ] || ! grep -q "wasm-version must be 2.0 or 3.0" <<<"$out"; then
    echo "feature_profile: --wasm-version 2.5: status $rc, '$out'"
    fail=1
fi
[ "$fail" = 0 ] && echo "feature_profile: ok"
exit $fail
