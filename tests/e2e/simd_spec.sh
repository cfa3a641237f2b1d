#!/usr/bin/env bash
# The SIMD and relaxed SIMD spec files that pass whole (vm/README.md "SIMD
# (v128)"), read through wabt's wast2json (wasmbox's text reader does not
# read SIMD text yet, so conformance/run_spec3.sh cannot count them): each
# must pass every command it runs, at least as many as listed, under both
# translations. The list never shrinks. wabt 1.0.32 spells the relaxed dot
# products without "relaxed_" (same opcodes, 0xfd 0x112 and 0x113): those
# names are rewritten before conversion.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
runner=$build/spec_runner
suite=$("$here/../../conformance/suite_dir.sh" spec-testsuite-3.0) || { echo "simd_spec: no 3.0 suite"; exit 1; }
command -v wast2json >/dev/null || { echo "simd_spec: wast2json not found (Debian package wabt)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
while read -r file want; do
    [ -n "$file" ] || continue
    base=$(basename "$file" .wast)
    sed 's/i16x8\.relaxed_dot_i8x16_i7x16_s/i16x8.dot_i8x16_i7x16_s/g
         s/i32x4\.relaxed_dot_i8x16_i7x16_add_s/i32x4.dot_i8x16_i7x16_add_s/g' \
        "$suite/core/$file" >"$tmp/$base.wast"
    if ! wast2json --enable-relaxed-simd "$tmp/$base.wast" -o "$tmp/$base.json" 2>"$tmp/err"; then
        echo "simd_spec: wast2json $file failed: $(head -n 3 "$tmp/err")"
        fail=1
        continue
    fi
    for opt in 1 0; do
        last=$(WASMBOX_OPT=$opt "$runner" "$tmp/$base.json" 2>"$tmp/log" | tail -n 1)
        [ -n "$last" ] || last=$(tail -n 1 "$tmp/log")
        if [[ $last =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]] && [ "${BASH_REMATCH[2]}" = 0 ] &&
            [ "${BASH_REMATCH[1]}" -ge "$want" ]; then
            continue
        fi
        echo "simd_spec: $file under --opt=$opt: $last (want $want passed, 0 failed)"
        WASMBOX_OPT=$opt "$runner" -v "$tmp/$base.json" 2>&1 | grep -E "^[^ ]+:[0-9]+: " | head -n 5 |
            sed 's/^/    /'
        fail=1
    done
done <<'LIST'
simd/simd_align.wast 66
simd/simd_bit_shift.wast 237
simd/simd_bitwise.wast 169
simd/simd_boolean.wast 273
simd/simd_const.wast 577
simd/simd_conversions.wast 252
simd/simd_f32x4.wast 782
simd/simd_f32x4_arith.wast 1822
simd/simd_f32x4_cmp.wast 2601
simd/simd_f32x4_pmin_pmax.wast 3879
simd/simd_f32x4_rounding.wast 185
simd/simd_f64x2.wast 803
simd/simd_f64x2_arith.wast 1825
simd/simd_f64x2_cmp.wast 2679
simd/simd_f64x2_pmin_pmax.wast 3879
simd/simd_f64x2_rounding.wast 185
simd/simd_i16x8_arith.wast 194
simd/simd_i16x8_arith2.wast 170
simd/simd_i16x8_cmp.wast 465
simd/simd_i16x8_extadd_pairwise_i8x16.wast 21
simd/simd_i16x8_extmul_i8x16.wast 117
simd/simd_i16x8_q15mulr_sat_s.wast 30
simd/simd_i16x8_sat_arith.wast 218
simd/simd_i32x4_arith.wast 194
simd/simd_i32x4_arith2.wast 137
simd/simd_i32x4_cmp.wast 465
simd/simd_i32x4_dot_i16x8.wast 32
simd/simd_i32x4_extadd_pairwise_i16x8.wast 21
simd/simd_i32x4_extmul_i16x8.wast 117
simd/simd_i32x4_trunc_sat_f32x4.wast 107
simd/simd_i32x4_trunc_sat_f64x2.wast 107
simd/simd_i64x2_arith.wast 200
simd/simd_i64x2_arith2.wast 25
simd/simd_i64x2_cmp.wast 113
simd/simd_i64x2_extmul_i32x4.wast 117
simd/simd_i8x16_arith.wast 131
simd/simd_i8x16_arith2.wast 205
simd/simd_i8x16_cmp.wast 445
simd/simd_i8x16_sat_arith.wast 202
simd/simd_int_to_int_extend.wast 253
simd/simd_lane.wast 369
simd/simd_linking.wast 2
simd/simd_load.wast 36
simd/simd_load16_lane.wast 36
simd/simd_load32_lane.wast 24
simd/simd_load64_lane.wast 16
simd/simd_load8_lane.wast 52
simd/simd_load_extend.wast 98
simd/simd_load_splat.wast 122
simd/simd_load_zero.wast 33
simd/simd_select.wast 7
simd/simd_splat.wast 184
simd/simd_store.wast 25
simd/simd_store16_lane.wast 36
simd/simd_store32_lane.wast 24
simd/simd_store64_lane.wast 16
simd/simd_store8_lane.wast 52
relaxed-simd/i16x8_relaxed_q15mulr_s.wast 3
relaxed-simd/i32x4_relaxed_trunc.wast 1
relaxed-simd/i8x16_relaxed_swizzle.wast 6
relaxed-simd/relaxed_dot_product.wast 11
relaxed-simd/relaxed_laneselect.wast 12
relaxed-simd/relaxed_madd_nmadd.wast 19
relaxed-simd/relaxed_min_max.wast 25
LIST
[ $fail = 0 ] && echo "simd_spec: ok"
exit $fail
