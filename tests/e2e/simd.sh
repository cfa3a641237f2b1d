#!/usr/bin/env bash
# SIMD (v128), the first step (vm/README.md "SIMD (v128)"): every export of
# simd/basic.wat, under both translations, against results written by hand
# from the spec's definitions of the instructions; fuel of one unit per
# instruction; bounds traps of v128 loads; what the validator refuses (a
# lane index past the shape, v128 where it is not supported yet). The
# module is assembled by wabt's wat2wasm: wasmbox's text reader does not
# read v128.const's lane shapes yet.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
wasmbox=$build/wasmbox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wat2wasm --enable-relaxed-simd "$here/simd/basic.wat" -o "$tmp/s.wasm" || { echo "simd: wat2wasm failed"; exit 1; }
fail=0

# expect EXPORT ARGS... = OUTPUT: the call prints OUTPUT and exits 0
expect() {
    local args=() want
    while [ "$1" != "=" ]; do args+=("$1"); shift; done
    want=$2
    for opt in 1 0; do
        local got rc
        got=$("$wasmbox" run --opt=$opt --invoke "${args[@]:0:1}" "$tmp/s.wasm" "${args[@]:1}" 2>"$tmp/err")
        rc=$?
        if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
            echo "simd: --opt=$opt ${args[*]}: expected $want, got '$got' (exit $rc) $(cat "$tmp/err")"
            fail=1
        fi
    done
}

expect splat_add 5 7 = 105012              # [5+7, 5+100, ..]: 12 + 1000 * 105
expect mul64 = -9223372036854775802        # 0x4000000000000001 * 6 mod 2^64
expect sub64 = 9223372036854775807         # 0x8000000000000000 - 1
expect load_lane 0 = 240                   # byte 16 of the data: 0xf0
expect load_lane_s 0 = -16
expect load_lane 65519 = 0                 # the last 16 bytes of the page
expect load16 = -2                         # bytes fe ff
expect store 0 = -2454744368827155508      # bytes 16..23: 0xddeeff0099aabbcc
expect abs32 = -2147483648                 # |INT32_MIN| wraps
expect abs8 = 7
expect neg16 = 65535
expect bitmask_lt = 32805                  # lanes 0, 2, 5, 15 are negative
expect gt_u16 = 253                        # all but lane 1 (0xffff, 0x8000 are large unsigned)
expect le_s32 = 11                         # lanes 0, 1, 3
expect ge_s64 = 2
expect feq = 5                             # 1.5 == 1.5, -0 == 0; NaN is unequal
expect fne = 10
expect flt64 = 1
expect bitselect = 1234568085866942754     # 0x1122112211221122
expect andnot = 49344                      # 0xf0f0 & ~0x3c3c = 0xc0c0
expect not_xor_or = 3855                   # 0 | (0x0ff0 ^ 0x00ff)
expect any_true 0 = 0
expect any_true 5 = 1
expect any_true -9223372036854775808 = 1
expect all_true 1 = 1
expect all_true 0 = 0
expect all_true 65536 = 0                  # the lane takes the low 16 bits: 0
expect fbits = 2141192193                  # 0x7fa00001, a NaN's payload kept
expect f64lane 2.5 = 2.5
expect i8wrap = 16                         # 0xf0 + 0x20 mod 256
expect mul16 = 24464                       # 90000 mod 65536
expect mul32 = 131073                      # 0x10001^2 mod 2^32 = 0x20001
expect select 1 = 4
expect select 0 = 8
expect select_t 1 = 5
expect select_t 0 = 1
expect drop = 7
expect keep 1 = 30                         # the old 10 plus the 20 the branch kept
expect keep 0 = 40
expect swap = 116                          # 40 + (80 - 4)
expect loop 3 = 12
expect loop 1 = 4
expect call_add 10 = 13
expect call_pair = 18                      # 7 + 5 + lane 3 (6)
expect block_br 1 = 11
expect block_br 0 = 22
expect if_else 1 = 1
expect if_else 0 = 2
expect block_params 3 = 104                # 100 + (3 + 1)
expect call_indirect 0 = 7                 # 6 + 1
expect global 10 = 14                      # lane 3: 4 + 10
expect global_k = 7
expect relaxed_trunc nan = 0               # as trunc_sat: NaN to 0
expect relaxed_trunc -1.5 = -1
expect relaxed_trunc 3e9 = 2147483647      # saturated
expect relaxed_madd = 7
expect relaxed_madd_unfused = 0            # fused would give 2^-24
expect relaxed_dot = 32512                 # signed * signed: -128 * -127 * 2
expect relaxed_dot_add = 65025             # -128 * -127 * 4 + 1
expect relaxed_laneselect = 1234568085866942754
expect v128_result = "i32x4 0x00000001 0xfffffffe 0x80000000 0x00000004"

# a v128 load or store past the end traps, in both translations
for opt in 1 0; do
    for f in load_lane store; do
        "$wasmbox" run --opt=$opt --invoke $f "$tmp/s.wasm" 65520 >/dev/null 2>"$tmp/err"
        rc=$?
        if [ "$rc" != 134 ] || ! grep -q "out of bounds memory access" "$tmp/err"; then
            echo "simd: --opt=$opt $f: expected an out-of-bounds trap (134), got $rc: $(cat "$tmp/err")"
            fail=1
        fi
    done
done

# one unit of fuel per instruction, SIMD ones included
for pair in "abs32 4" "splat_add 18"; do
    set -- $pair
    for opt in 1 0; do
        "$wasmbox" run --opt=$opt --report "$tmp/r.json" --invoke "$1" "$tmp/s.wasm" 3 4 >/dev/null 2>&1 ||
            "$wasmbox" run --opt=$opt --report "$tmp/r.json" --invoke "$1" "$tmp/s.wasm" >/dev/null 2>&1
        used=$(jq -r .fuel_used "$tmp/r.json" 2>/dev/null)
        if [ "$used" != "$2" ]; then
            echo "simd: --opt=$opt $1: expected fuel $2, got $used"
            fail=1
        fi
    done
done

# the validator: lane 16 of an i8x16 (the body at 0x17: no locals, then
# v128.const at 0x18, its 16 bytes, the lane instruction at 0x2a), and a
# shuffle lane of 32 (two v128.const, then the shuffle at 0x3c)
printf '\0asm\1\0\0\0\1\5\1\x60\0\1\x7f\3\2\1\0\x0a\x19\1\x17\0\xfd\x0c\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xfd\x16\x10\x0b' > "$tmp/lane.wasm"
out=$("$wasmbox" validate "$tmp/lane.wasm" 2>&1)
case $out in
*"function 0, offset 0x2a: invalid lane index (i8x16.extract_lane_u: lane 16 of 16)"*) ;;
*) echo "simd: lane 16: expected the lane error at 0x2a, got: $out"; fail=1 ;;
esac
z16='\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
printf "\\0asm\\1\\0\\0\\0\\1\\5\\1\\x60\\0\\1\\x7b\\3\\2\\1\\0\\x0a\\x3a\\1\\x38\\0\\xfd\\x0c$z16\\xfd\\x0c$z16\\xfd\\x0d\\0\\1\\2\\3\\4\\5\\6\\7\\x08\\x09\\x0a\\x0b\\x0c\\x0d\\x0e\\x20\\x0b" > "$tmp/shuffle.wasm"
out=$("$wasmbox" validate "$tmp/shuffle.wasm" 2>&1)
case $out in
*"function 0, offset 0x3c: invalid lane index (i8x16.shuffle: lane 32 of 32)"*) ;;
*) echo "simd: shuffle lane 32: expected the lane error at 0x3c, got: $out"; fail=1 ;;
esac

[ $fail = 0 ] && echo "simd: ok"
exit $fail
