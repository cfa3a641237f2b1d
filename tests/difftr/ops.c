/* The generator's instruction table (see ops.h). */
#include "ops.h"

#include <string.h>

#define I T_I32
#define L T_I64
#define F T_F32
#define D T_F64
#define N T_NONE
#define UN(n, c, a, r) {n, c, OC_UN, a, N, r, 0}
#define BIN(n, c, a, r) {n, c, OC_BIN, a, a, r, 0}
#define LD(n, c, r, al) {n, c, OC_LOAD, I, N, r, al}
#define ST(n, c, v, al) {n, c, OC_STORE, I, v, N, al}

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
                                           [T_F64] = 0x7C, [T_FUNCREF] = 0x70};
    return bytes[t];
}

const char *type_name(uint8_t t)
{
    static const char *const names[T_COUNT] = {"none", "i32", "i64", "f32", "f64", "funcref", "any"};
    return t < T_COUNT ? names[t] : "?";
}

unsigned type_bytes(uint8_t t) { return t == T_I64 || t == T_F64 ? 8 : 4; }

unsigned ops_matching(uint8_t cls, uint8_t r, uint8_t b, const opinfo **out, unsigned max)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NOPS && n < max; i++) {
        const opinfo *o = &OPS[i];
        if (o->cls != cls)
            continue;
        if (cls == OC_STORE ? o->b != b : o->r != r)
            continue;
        if (cls == OC_BIN && b != T_NONE && o->a != b)
            continue;
        out[n++] = o;
    }
    return n;
}
