#!/usr/bin/env bash
# Typed function references (vm/README.md "Value types and subtyping"),
# under both translations: call_ref and return_call_ref (a million-deep
# tail recursion under a 4 KiB stack; the same with call_ref exhausting
# it), the null traps ("null function reference", "null reference"),
# br_on_null / br_on_non_null both ways, a non-nullable local, and the
# validation errors of the locals' initialisation rule, naming function and
# offset. typed/calls.wat is read by wasmbox's own text reader; its expected
# values are worked out by hand in its comments. The invalid modules are
# written here byte by byte, so their offsets are counted by hand.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# expect NAME RC STDOUT STDERR-PREFIX -- COMMAND...: lib/expect_both.sh
. "$here/lib/expect_both.sh"
run() { "$wasmbox" run --fuel 100000000 --timeout 60s "$@"; }
w=$here/typed/calls.wat

expect apply-double 0 10 "" -- run --invoke apply "$w" 1 5
expect apply-inc 0 6 "" -- run --invoke apply "$w" 0 5
# function 3 is call_null, 4 as_non_null_null (no imports; in text order)
expect call-null 134 "" "wasmbox: trap: null function reference in function 3 " -- run --invoke call_null "$w" 3
expect as-non-null-null 134 "" "wasmbox: trap: null reference in function 4 " -- run --invoke as_non_null_null "$w"
expect as-non-null-func 0 0 "" -- run --invoke as_non_null_func "$w"
expect br-on-null-taken 0 -1 "" -- run --invoke maybe_call "$w" 7
expect br-on-null-not-taken 0 42 "" -- run --invoke set_then_call "$w" 21
expect br-on-non-null-not-taken 0 8 "" -- run --invoke non_null_or "$w" 7
expect br-on-non-null-taken 0 14 "" -- run --invoke set_then_non_null "$w" 7
expect local-init 0 16 "" -- run --invoke local_init "$w" 8
b=$here/typed/branches.wat
expect br-on-null-carries 0 110 "" -- run --invoke a "$b" 5 1
expect br-on-null-falls 0 16 "" -- run --invoke a "$b" 5 0
expect br-on-null-const 0 7 "" -- run --invoke b "$b"
expect br-on-non-null-const 0 42 "" -- run --invoke c "$b" 41
expect return-call-ref-1e6 0 2000000 "" -- run --max-stack 4KiB --invoke down "$w" 1000000 0
expect call-ref-exhausts 134 "" "wasmbox: trap: call stack exhausted in function 12 " -- run --max-stack 4KiB --invoke down_call "$w" 1000000 0

# Non-defaultable locals. One type (func), one function of it with one
# local of type (ref func) (0x64 0x70). Offsets: magic and version 0x00-0x07,
# type section 0x08-0x0d, function section 0x0e-0x11, code section id 0x12,
# its size 0x13, count 0x14, body size 0x15, local declarations 0x16-0x19,
# the instructions from 0x1a.
mod() { # mod HEX-BODY-SIZE HEX-CODE-SIZE INSTRUCTIONS... -> stdout, a module
    local body=$1 code=$2
    shift 2
    printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a'"\\x$code"'\x01'"\\x$body"'\x01\x01\x64\x70'
    local b
    for b in "$@"; do printf "\\x$b"; done
}
# local.get 0 (0x1a) before any local.set: invalid. body 01 01 64 70 20 00 1a 0b
mod 08 0a 20 00 1a 0b >"$tmp/get_unset.wasm"
expect get-unset 1 "" "wasmbox: $tmp/get_unset.wasm: function 0, offset 0x1a: uninitialized local 0" -- "$wasmbox" validate "$tmp/get_unset.wasm"
# set inside a block (block 0x1a, ref.null func 0x1c, ref.as_non_null 0x1e,
# local.set 0x1f, end 0x21), read after it (0x22): invalid, the block's end
# forgets what it set. 16 bytes of body, 18 of section.
mod 10 12 02 40 d0 70 d4 21 00 0b 20 00 1a 0b >"$tmp/get_after_block.wasm"
expect get-after-block 1 "" "wasmbox: $tmp/get_after_block.wasm: function 0, offset 0x22: uninitialized local 0" -- "$wasmbox" validate "$tmp/get_after_block.wasm"
# the read inside the block, after the set: valid
mod 10 12 02 40 d0 70 d4 21 00 20 00 1a 0b 0b >"$tmp/get_in_block.wasm"
expect get-in-block 0 "" "" -- "$wasmbox" validate "$tmp/get_in_block.wasm"
# local.tee sets it too: ref.null func, ref.as_non_null, local.tee 0, drop,
# local.get 0, drop, end: valid (14 bytes of body, 16 of section)
mod 0e 10 d0 70 d4 22 00 1a 20 00 1a 0b >"$tmp/tee.wasm"
expect tee-sets 0 "" "" -- "$wasmbox" validate "$tmp/tee.wasm"

# the text printer reads typed references back: wat2wasm, wasm2wat, wat2wasm
# gives the same bytes
if "$wasmbox" wat2wasm "$w" -o "$tmp/c1.wasm" && "$wasmbox" wasm2wat "$tmp/c1.wasm" >"$tmp/c1.wat" &&
    "$wasmbox" wat2wasm "$tmp/c1.wat" -o "$tmp/c2.wasm" && cmp -s "$tmp/c1.wasm" "$tmp/c2.wasm"; then
    grep -q "call_ref 0" "$tmp/c1.wat" || { echo "typed_refs: wasm2wat printed no call_ref"; fail=1; }
else
    echo "typed_refs: wat2wasm / wasm2wat round trip of typed/calls.wat failed or differs"
    fail=1
fi

[ $fail = 0 ] && echo "typed_refs: ok"
exit $fail
