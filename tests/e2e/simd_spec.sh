#!/usr/bin/env bash
# The SIMD spec files that pass whole (vm/README.md "SIMD (v128)"), read
# through wabt's wast2json (wasmbox's text reader does not read SIMD text
# yet, so conformance/run_spec3.sh cannot count them): each must pass every
# command it runs, at least as many as listed, under both translations. A
# file joins the list when its instructions land; the list never shrinks.
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
    if ! wast2json "$suite/core/simd/$file" -o "$tmp/$base.json" 2>"$tmp/err"; then
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
simd_align.wast 66
simd_bit_shift.wast 237
simd_bitwise.wast 169
simd_boolean.wast 273
simd_const.wast 577
simd_conversions.wast 252
simd_f32x4.wast 782
simd_f32x4_arith.wast 1822
simd_f32x4_cmp.wast 2601
simd_f32x4_pmin_pmax.wast 3879
simd_f32x4_rounding.wast 185
simd_f64x2.wast 803
simd_f64x2_arith.wast 1825
simd_f64x2_cmp.wast 2679
simd_f64x2_pmin_pmax.wast 3879
simd_f64x2_rounding.wast 185
simd_i16x8_arith.wast 194
simd_i16x8_arith2.wast 170
simd_i16x8_cmp.wast 465
simd_i16x8_extadd_pairwise_i8x16.wast 21
simd_i16x8_extmul_i8x16.wast 117
simd_i16x8_q15mulr_sat_s.wast 30
simd_i16x8_sat_arith.wast 218
simd_i32x4_arith.wast 194
simd_i32x4_arith2.wast 137
simd_i32x4_cmp.wast 465
simd_i32x4_dot_i16x8.wast 32
simd_i32x4_extadd_pairwise_i16x8.wast 21
simd_i32x4_extmul_i16x8.wast 117
simd_i32x4_trunc_sat_f32x4.wast 107
simd_i32x4_trunc_sat_f64x2.wast 107
simd_i64x2_arith.wast 200
simd_i64x2_arith2.wast 25
simd_i64x2_cmp.wast 113
simd_i64x2_extmul_i32x4.wast 117
simd_i8x16_arith.wast 131
simd_i8x16_arith2.wast 205
simd_i8x16_cmp.wast 445
simd_i8x16_sat_arith.wast 202
simd_int_to_int_extend.wast 253
simd_lane.wast 369
simd_linking.wast 2
simd_load.wast 36
simd_load16_lane.wast 36
simd_load32_lane.wast 24
simd_load64_lane.wast 16
simd_load8_lane.wast 52
simd_load_extend.wast 98
simd_load_splat.wast 122
simd_load_zero.wast 33
simd_select.wast 7
simd_splat.wast 184
simd_store.wast 25
simd_store16_lane.wast 36
simd_store32_lane.wast 24
simd_store64_lane.wast 16
simd_store8_lane.wast 52
LIST
[ $fail = 0 ] && echo "simd_spec: ok"
exit $fail
