/* The generator's instruction table (see ops.h). */
#include "ops.h"

#include <string.h>

#define I T_I32
#define L T_I64
#define F T_F32
#define D T_F64
#define N T_NONE
#define V T_V128
#define UN(n, c, a, r) {n, c, OC_UN, a, N, r, 0, 0}
#define BIN(n, c, a, r) {n, c, OC_BIN, a, a, r, 0, 0}
#define LD(n, c, r, al) {n, c, OC_LOAD, I, N, r, al, 0}
#define ST(n, c, v, al) {n, c, OC_STORE, I, v, N, al, 0}
/* SIMD (0xFD prefix): c is the sub-opcode */
#define VUN(n, c, a, r) {n, 0xFD00 | c, OC_UN, a, N, r, 0, 0}
#define VBIN(n, c) {n, 0xFD00 | c, OC_BIN, V, V, V, 0, 0}
#define VSH(n, c) {n, 0xFD00 | c, OC_BIN, V, I, V, 0, 0}         /* shift by an i32 */
#define VEXT(n, c, r, k) {n, 0xFD00 | c, OC_UN, V, N, r, 0, k}    /* extract_lane */
#define VREP(n, c, s, k) {n, 0xFD00 | c, OC_BIN, V, s, V, 0, k}   /* replace_lane */
#define VLD(n, c, al) {n, 0xFD00 | c, OC_LOAD, I, N, V, al, 0}
#define VLDL(n, c, al, k) {n, 0xFD00 | c, OC_LANELD, I, V, V, al, k}
#define VSTL(n, c, al, k) {n, 0xFD00 | c, OC_LANEST, I, V, N, al, k}

const opinfo OPS[] = {
    LD("i32.load", 0x28, I, 2), LD("i64.load", 0x29, L, 3), LD("f32.load", 0x2A, F, 2),
    LD("f64.load", 0x2B, D, 3), LD("i32.load8_s", 0x2C, I, 0), LD("i32.load8_u", 0x2D, I, 0),
    LD("i32.load16_s", 0x2E, I, 1), LD("i32.load16_u", 0x2F, I, 1), LD("i64.load8_s", 0x30, L, 0),
    LD("i64.load8_u", 0x31, L, 0), LD("i64.load16_s", 0x32, L, 1), LD("i64.load16_u", 0x33, L, 1),
    LD("i64.load32_s", 0x34, L, 2), LD("i64.load32_u", 0x35, L, 2),
    ST("i32.store", 0x36, I, 2), ST("i64.store", 0x37, L, 3), ST("f32.store", 0x38, F, 2),
    ST("f64.store", 0x39, D, 3), ST("i32.store8", 0x3A, I, 0), ST("i32.store16", 0x3B, I, 1),
    ST("i64.store8", 0x3C, L, 0), ST("i64.store16", 0x3D, L, 1), ST("i64.store32", 0x3E, L, 2),
    UN("i32.eqz", 0x45, I, I), BIN("i32.eq", 0x46, I, I), BIN("i32.ne", 0x47, I, I),
    BIN("i32.lt_s", 0x48, I, I), BIN("i32.lt_u", 0x49, I, I), BIN("i32.gt_s", 0x4A, I, I),
    BIN("i32.gt_u", 0x4B, I, I), BIN("i32.le_s", 0x4C, I, I), BIN("i32.le_u", 0x4D, I, I),
    BIN("i32.ge_s", 0x4E, I, I), BIN("i32.ge_u", 0x4F, I, I),
    UN("i64.eqz", 0x50, L, I), BIN("i64.eq", 0x51, L, I), BIN("i64.ne", 0x52, L, I),
    BIN("i64.lt_s", 0x53, L, I), BIN("i64.lt_u", 0x54, L, I), BIN("i64.gt_s", 0x55, L, I),
    BIN("i64.gt_u", 0x56, L, I), BIN("i64.le_s", 0x57, L, I), BIN("i64.le_u", 0x58, L, I),
    BIN("i64.ge_s", 0x59, L, I), BIN("i64.ge_u", 0x5A, L, I),
    BIN("f32.eq", 0x5B, F, I), BIN("f32.ne", 0x5C, F, I), BIN("f32.lt", 0x5D, F, I),
    BIN("f32.gt", 0x5E, F, I), BIN("f32.le", 0x5F, F, I), BIN("f32.ge", 0x60, F, I),
    BIN("f64.eq", 0x61, D, I), BIN("f64.ne", 0x62, D, I), BIN("f64.lt", 0x63, D, I),
    BIN("f64.gt", 0x64, D, I), BIN("f64.le", 0x65, D, I), BIN("f64.ge", 0x66, D, I),
    UN("i32.clz", 0x67, I, I), UN("i32.ctz", 0x68, I, I), UN("i32.popcnt", 0x69, I, I),
    BIN("i32.add", 0x6A, I, I), BIN("i32.sub", 0x6B, I, I), BIN("i32.mul", 0x6C, I, I),
    BIN("i32.div_s", 0x6D, I, I), BIN("i32.div_u", 0x6E, I, I), BIN("i32.rem_s", 0x6F, I, I),
    BIN("i32.rem_u", 0x70, I, I), BIN("i32.and", 0x71, I, I), BIN("i32.or", 0x72, I, I),
    BIN("i32.xor", 0x73, I, I), BIN("i32.shl", 0x74, I, I), BIN("i32.shr_s", 0x75, I, I),
    BIN("i32.shr_u", 0x76, I, I), BIN("i32.rotl", 0x77, I, I), BIN("i32.rotr", 0x78, I, I),
    UN("i64.clz", 0x79, L, L), UN("i64.ctz", 0x7A, L, L), UN("i64.popcnt", 0x7B, L, L),
    BIN("i64.add", 0x7C, L, L), BIN("i64.sub", 0x7D, L, L), BIN("i64.mul", 0x7E, L, L),
    BIN("i64.div_s", 0x7F, L, L), BIN("i64.div_u", 0x80, L, L), BIN("i64.rem_s", 0x81, L, L),
    BIN("i64.rem_u", 0x82, L, L), BIN("i64.and", 0x83, L, L), BIN("i64.or", 0x84, L, L),
    BIN("i64.xor", 0x85, L, L), BIN("i64.shl", 0x86, L, L), BIN("i64.shr_s", 0x87, L, L),
    BIN("i64.shr_u", 0x88, L, L), BIN("i64.rotl", 0x89, L, L), BIN("i64.rotr", 0x8A, L, L),
    UN("f32.abs", 0x8B, F, F), UN("f32.neg", 0x8C, F, F), UN("f32.ceil", 0x8D, F, F),
    UN("f32.floor", 0x8E, F, F), UN("f32.trunc", 0x8F, F, F), UN("f32.nearest", 0x90, F, F),
    UN("f32.sqrt", 0x91, F, F), BIN("f32.add", 0x92, F, F), BIN("f32.sub", 0x93, F, F),
    BIN("f32.mul", 0x94, F, F), BIN("f32.div", 0x95, F, F), BIN("f32.min", 0x96, F, F),
    BIN("f32.max", 0x97, F, F), BIN("f32.copysign", 0x98, F, F),
    UN("f64.abs", 0x99, D, D), UN("f64.neg", 0x9A, D, D), UN("f64.ceil", 0x9B, D, D),
    UN("f64.floor", 0x9C, D, D), UN("f64.trunc", 0x9D, D, D), UN("f64.nearest", 0x9E, D, D),
    UN("f64.sqrt", 0x9F, D, D), BIN("f64.add", 0xA0, D, D), BIN("f64.sub", 0xA1, D, D),
    BIN("f64.mul", 0xA2, D, D), BIN("f64.div", 0xA3, D, D), BIN("f64.min", 0xA4, D, D),
    BIN("f64.max", 0xA5, D, D), BIN("f64.copysign", 0xA6, D, D),
    UN("i32.wrap_i64", 0xA7, L, I), UN("i32.trunc_f32_s", 0xA8, F, I),
    UN("i32.trunc_f32_u", 0xA9, F, I), UN("i32.trunc_f64_s", 0xAA, D, I),
    UN("i32.trunc_f64_u", 0xAB, D, I), UN("i64.extend_i32_s", 0xAC, I, L),
    UN("i64.extend_i32_u", 0xAD, I, L), UN("i64.trunc_f32_s", 0xAE, F, L),
    UN("i64.trunc_f32_u", 0xAF, F, L), UN("i64.trunc_f64_s", 0xB0, D, L),
    UN("i64.trunc_f64_u", 0xB1, D, L), UN("f32.convert_i32_s", 0xB2, I, F),
    UN("f32.convert_i32_u", 0xB3, I, F), UN("f32.convert_i64_s", 0xB4, L, F),
    UN("f32.convert_i64_u", 0xB5, L, F), UN("f32.demote_f64", 0xB6, D, F),
    UN("f64.convert_i32_s", 0xB7, I, D), UN("f64.convert_i32_u", 0xB8, I, D),
    UN("f64.convert_i64_s", 0xB9, L, D), UN("f64.convert_i64_u", 0xBA, L, D),
    UN("f64.promote_f32", 0xBB, F, D), UN("i32.reinterpret_f32", 0xBC, F, I),
    UN("i64.reinterpret_f64", 0xBD, D, L), UN("f32.reinterpret_i32", 0xBE, I, F),
    UN("f64.reinterpret_i64", 0xBF, L, D), UN("i32.extend8_s", 0xC0, I, I),
    UN("i32.extend16_s", 0xC1, I, I), UN("i64.extend8_s", 0xC2, L, L),
    UN("i64.extend16_s", 0xC3, L, L), UN("i64.extend32_s", 0xC4, L, L),
    UN("i32.trunc_sat_f32_s", 0xFC00, F, I), UN("i32.trunc_sat_f32_u", 0xFC01, F, I),
    UN("i32.trunc_sat_f64_s", 0xFC02, D, I), UN("i32.trunc_sat_f64_u", 0xFC03, D, I),
    UN("i64.trunc_sat_f32_s", 0xFC04, F, L), UN("i64.trunc_sat_f32_u", 0xFC05, F, L),
    UN("i64.trunc_sat_f64_s", 0xFC06, D, L), UN("i64.trunc_sat_f64_u", 0xFC07, D, L),
    /* SIMD, from the spec's opcode list (binary: 0xFD, then the sub-opcode) */
    VLD("v128.load", 0x00, 4), VLD("v128.load8x8_s", 0x01, 3), VLD("v128.load8x8_u", 0x02, 3),
    VLD("v128.load16x4_s", 0x03, 3), VLD("v128.load16x4_u", 0x04, 3),
    VLD("v128.load32x2_s", 0x05, 3), VLD("v128.load32x2_u", 0x06, 3),
    VLD("v128.load8_splat", 0x07, 0), VLD("v128.load16_splat", 0x08, 1),
    VLD("v128.load32_splat", 0x09, 2), VLD("v128.load64_splat", 0x0A, 3),
    VLD("v128.load32_zero", 0x5C, 2), VLD("v128.load64_zero", 0x5D, 3),
    {"v128.store", 0xFD0B, OC_STORE, I, V, N, 4, 0},
    VLDL("v128.load8_lane", 0x54, 0, 16), VLDL("v128.load16_lane", 0x55, 1, 8),
    VLDL("v128.load32_lane", 0x56, 2, 4), VLDL("v128.load64_lane", 0x57, 3, 2),
    VSTL("v128.store8_lane", 0x58, 0, 16), VSTL("v128.store16_lane", 0x59, 1, 8),
    VSTL("v128.store32_lane", 0x5A, 2, 4), VSTL("v128.store64_lane", 0x5B, 3, 2),
    {"i8x16.shuffle", 0xFD0D, OC_BIN, V, V, V, 0, SHUFFLE_LANES}, VBIN("i8x16.swizzle", 0x0E),
    VUN("i8x16.splat", 0x0F, I, V), VUN("i16x8.splat", 0x10, I, V), VUN("i32x4.splat", 0x11, I, V),
    VUN("i64x2.splat", 0x12, L, V), VUN("f32x4.splat", 0x13, F, V), VUN("f64x2.splat", 0x14, D, V),
    VEXT("i8x16.extract_lane_s", 0x15, I, 16), VEXT("i8x16.extract_lane_u", 0x16, I, 16),
    VREP("i8x16.replace_lane", 0x17, I, 16), VEXT("i16x8.extract_lane_s", 0x18, I, 8),
    VEXT("i16x8.extract_lane_u", 0x19, I, 8), VREP("i16x8.replace_lane", 0x1A, I, 8),
    VEXT("i32x4.extract_lane", 0x1B, I, 4), VREP("i32x4.replace_lane", 0x1C, I, 4),
    VEXT("i64x2.extract_lane", 0x1D, L, 2), VREP("i64x2.replace_lane", 0x1E, L, 2),
    VEXT("f32x4.extract_lane", 0x1F, F, 4), VREP("f32x4.replace_lane", 0x20, F, 4),
    VEXT("f64x2.extract_lane", 0x21, D, 2), VREP("f64x2.replace_lane", 0x22, D, 2),
    VBIN("i8x16.eq", 0x23), VBIN("i8x16.ne", 0x24), VBIN("i8x16.lt_s", 0x25), VBIN("i8x16.lt_u", 0x26),
    VBIN("i8x16.gt_s", 0x27), VBIN("i8x16.gt_u", 0x28), VBIN("i8x16.le_s", 0x29),
    VBIN("i8x16.le_u", 0x2A), VBIN("i8x16.ge_s", 0x2B), VBIN("i8x16.ge_u", 0x2C),
    VBIN("i16x8.eq", 0x2D), VBIN("i16x8.ne", 0x2E), VBIN("i16x8.lt_s", 0x2F), VBIN("i16x8.lt_u", 0x30),
    VBIN("i16x8.gt_s", 0x31), VBIN("i16x8.ge_u", 0x36),
    VBIN("i32x4.eq", 0x37), VBIN("i32x4.ne", 0x38), VBIN("i32x4.lt_s", 0x39), VBIN("i32x4.lt_u", 0x3A),
    VBIN("i32x4.gt_s", 0x3B), VBIN("i32x4.gt_u", 0x3C), VBIN("i32x4.le_s", 0x3D),
    VBIN("i32x4.le_u", 0x3E), VBIN("i32x4.ge_s", 0x3F), VBIN("i32x4.ge_u", 0x40),
    VBIN("f32x4.eq", 0x41), VBIN("f32x4.ne", 0x42), VBIN("f32x4.lt", 0x43), VBIN("f32x4.gt", 0x44),
    VBIN("f32x4.le", 0x45), VBIN("f32x4.ge", 0x46), VBIN("f64x2.eq", 0x47), VBIN("f64x2.ne", 0x48),
    VBIN("f64x2.lt", 0x49), VBIN("f64x2.gt", 0x4A), VBIN("f64x2.le", 0x4B), VBIN("f64x2.ge", 0x4C),
    VUN("v128.not", 0x4D, V, V), VBIN("v128.and", 0x4E), VBIN("v128.andnot", 0x4F),
    VBIN("v128.or", 0x50), VBIN("v128.xor", 0x51), {"v128.bitselect", 0xFD52, OC_TERN, V, V, V, 0, 0},
    VUN("v128.any_true", 0x53, V, I),
    VUN("f32x4.demote_f64x2_zero", 0x5E, V, V), VUN("f64x2.promote_low_f32x4", 0x5F, V, V),
    VUN("i8x16.abs", 0x60, V, V), VUN("i8x16.neg", 0x61, V, V), VUN("i8x16.popcnt", 0x62, V, V),
    VUN("i8x16.all_true", 0x63, V, I), VUN("i8x16.bitmask", 0x64, V, I),
    VBIN("i8x16.narrow_i16x8_s", 0x65), VBIN("i8x16.narrow_i16x8_u", 0x66),
    VUN("f32x4.ceil", 0x67, V, V), VUN("f32x4.floor", 0x68, V, V), VUN("f32x4.trunc", 0x69, V, V),
    VUN("f32x4.nearest", 0x6A, V, V),
    VSH("i8x16.shl", 0x6B), VSH("i8x16.shr_s", 0x6C), VSH("i8x16.shr_u", 0x6D),
    VBIN("i8x16.add", 0x6E), VBIN("i8x16.add_sat_s", 0x6F), VBIN("i8x16.add_sat_u", 0x70),
    VBIN("i8x16.sub", 0x71), VBIN("i8x16.sub_sat_s", 0x72), VBIN("i8x16.sub_sat_u", 0x73),
    VUN("f64x2.ceil", 0x74, V, V), VUN("f64x2.floor", 0x75, V, V),
    VBIN("i8x16.min_s", 0x76), VBIN("i8x16.min_u", 0x77), VBIN("i8x16.max_s", 0x78),
    VBIN("i8x16.max_u", 0x79), VUN("f64x2.trunc", 0x7A, V, V), VBIN("i8x16.avgr_u", 0x7B),
    VUN("i16x8.extadd_pairwise_i8x16_s", 0x7C, V, V), VUN("i32x4.extadd_pairwise_i16x8_u", 0x7F, V, V),
    VUN("i16x8.abs", 0x80, V, V), VUN("i16x8.neg", 0x81, V, V), VBIN("i16x8.q15mulr_sat_s", 0x82),
    VUN("i16x8.all_true", 0x83, V, I), VUN("i16x8.bitmask", 0x84, V, I),
    VBIN("i16x8.narrow_i32x4_s", 0x85), VBIN("i16x8.narrow_i32x4_u", 0x86),
    VUN("i16x8.extend_low_i8x16_s", 0x87, V, V), VUN("i16x8.extend_high_i8x16_s", 0x88, V, V),
    VUN("i16x8.extend_low_i8x16_u", 0x89, V, V), VUN("i16x8.extend_high_i8x16_u", 0x8A, V, V),
    VSH("i16x8.shl", 0x8B), VSH("i16x8.shr_s", 0x8C), VSH("i16x8.shr_u", 0x8D),
    VBIN("i16x8.add", 0x8E), VBIN("i16x8.add_sat_s", 0x8F), VBIN("i16x8.sub", 0x91),
    VBIN("i16x8.sub_sat_u", 0x93), VUN("f64x2.nearest", 0x94, V, V), VBIN("i16x8.mul", 0x95),
    VBIN("i16x8.min_s", 0x96), VBIN("i16x8.min_u", 0x97), VBIN("i16x8.max_s", 0x98),
    VBIN("i16x8.max_u", 0x99), VBIN("i16x8.extmul_low_i8x16_s", 0x9C),
    VBIN("i16x8.extmul_high_i8x16_u", 0x9F),
    VUN("i32x4.abs", 0xA0, V, V), VUN("i32x4.neg", 0xA1, V, V), VUN("i32x4.all_true", 0xA3, V, I),
    VUN("i32x4.bitmask", 0xA4, V, I), VUN("i32x4.extend_low_i16x8_s", 0xA7, V, V),
    VUN("i32x4.extend_high_i16x8_u", 0xAA, V, V),
    VSH("i32x4.shl", 0xAB), VSH("i32x4.shr_s", 0xAC), VSH("i32x4.shr_u", 0xAD),
    VBIN("i32x4.add", 0xAE), VBIN("i32x4.sub", 0xB1), VBIN("i32x4.mul", 0xB5),
    VBIN("i32x4.min_s", 0xB6), VBIN("i32x4.min_u", 0xB7), VBIN("i32x4.max_s", 0xB8),
    VBIN("i32x4.max_u", 0xB9), VBIN("i32x4.dot_i16x8_s", 0xBA),
    VBIN("i32x4.extmul_low_i16x8_s", 0xBC), VBIN("i32x4.extmul_high_i16x8_u", 0xBF),
    VUN("i64x2.abs", 0xC0, V, V), VUN("i64x2.neg", 0xC1, V, V), VUN("i64x2.all_true", 0xC3, V, I),
    VUN("i64x2.bitmask", 0xC4, V, I), VUN("i64x2.extend_low_i32x4_s", 0xC7, V, V),
    VUN("i64x2.extend_high_i32x4_u", 0xCA, V, V),
    VSH("i64x2.shl", 0xCB), VSH("i64x2.shr_s", 0xCC), VSH("i64x2.shr_u", 0xCD),
    VBIN("i64x2.add", 0xCE), VBIN("i64x2.sub", 0xD1), VBIN("i64x2.mul", 0xD5),
    VBIN("i64x2.eq", 0xD6), VBIN("i64x2.ne", 0xD7), VBIN("i64x2.lt_s", 0xD8), VBIN("i64x2.gt_s", 0xD9),
    VBIN("i64x2.le_s", 0xDA), VBIN("i64x2.ge_s", 0xDB), VBIN("i64x2.extmul_low_i32x4_s", 0xDC),
    VBIN("i64x2.extmul_high_i32x4_u", 0xDF),
    VUN("f32x4.abs", 0xE0, V, V), VUN("f32x4.neg", 0xE1, V, V), VUN("f32x4.sqrt", 0xE3, V, V),
    VBIN("f32x4.add", 0xE4), VBIN("f32x4.sub", 0xE5), VBIN("f32x4.mul", 0xE6), VBIN("f32x4.div", 0xE7),
    VBIN("f32x4.min", 0xE8), VBIN("f32x4.max", 0xE9), VBIN("f32x4.pmin", 0xEA), VBIN("f32x4.pmax", 0xEB),
    VUN("f64x2.abs", 0xEC, V, V), VUN("f64x2.neg", 0xED, V, V), VUN("f64x2.sqrt", 0xEF, V, V),
    VBIN("f64x2.add", 0xF0), VBIN("f64x2.sub", 0xF1), VBIN("f64x2.mul", 0xF2), VBIN("f64x2.div", 0xF3),
    VBIN("f64x2.min", 0xF4), VBIN("f64x2.max", 0xF5), VBIN("f64x2.pmin", 0xF6), VBIN("f64x2.pmax", 0xF7),
    VUN("i32x4.trunc_sat_f32x4_s", 0xF8, V, V), VUN("i32x4.trunc_sat_f32x4_u", 0xF9, V, V),
    VUN("f32x4.convert_i32x4_s", 0xFA, V, V), VUN("f32x4.convert_i32x4_u", 0xFB, V, V),
    VUN("i32x4.trunc_sat_f64x2_s_zero", 0xFC, V, V), VUN("i32x4.trunc_sat_f64x2_u_zero", 0xFD, V, V),
    VUN("f64x2.convert_low_i32x4_s", 0xFE, V, V), VUN("f64x2.convert_low_i32x4_u", 0xFF, V, V),
};
const unsigned NOPS = sizeof OPS / sizeof OPS[0];

const opinfo *op_by_name(const char *name)
{
    for (unsigned i = 0; i < NOPS; i++)
        if (!strcmp(OPS[i].name, name))
            return &OPS[i];
    return NULL;
}

uint8_t valtype_byte(uint8_t t)
{
    static const uint8_t bytes[T_COUNT] = {[T_I32] = 0x7F, [T_I64] = 0x7E, [T_F32] = 0x7D,
                                           [T_F64] = 0x7C, [T_FUNCREF] = 0x70,
                                           [T_V128] = 0x7B};
    return bytes[t];
}

const char *type_name(uint8_t t)
{
    static const char *const names[T_COUNT] = {"none", "i32", "i64", "f32", "f64", "funcref", "any", "v128"};
    return t < T_COUNT ? names[t] : "?";
}

unsigned type_bytes(uint8_t t) { return t == T_V128 ? 16 : t == T_I64 || t == T_F64 ? 8 : 4; }

unsigned ops_matching(uint8_t cls, uint8_t r, uint8_t b, const opinfo **out, unsigned max)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NOPS && n < max; i++) {
        const opinfo *o = &OPS[i];
        if (o->cls != cls)
            continue;
        if (cls == OC_STORE ? o->b != b : o->r != r)
            continue;
        if (cls == OC_BIN && b != T_NONE && (o->a != b || o->b != b))
            continue;
        out[n++] = o;
    }
    return n;
}
