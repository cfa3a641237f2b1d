/* The SIMD (v128) handlers: a fragment of run() in interp.c, included inside
 * it (it uses run()'s pc, fp, mem_base, mem_size and macros), kept apart so
 * the scalar handlers stay one screenful each.
 *
 * A v128 lives in two consecutive 8-byte slots, low half first (the
 * translator keeps them together; vm/README.md "SIMD (v128)"). Operands name
 * the low slot. A handler copies its operands out with memcpy (slots are
 * 8-byte aligned, a v128 16 bytes: no aligned 16-byte access is assumed),
 * computes on GCC vector types, and writes the result last, so a result may
 * be written over an operand. Lane i is bytes [i * size, (i + 1) * size),
 * little-endian, as in linear memory (interp.c refuses big-endian hosts).
 * Wrapping integer arithmetic is done on unsigned lanes (no signed overflow
 * in C); comparisons give all-ones or zero lanes, as vector compares do.
 */
#ifndef WASMBOX_VM_INTERP_SIMD_H
#define WASMBOX_VM_INTERP_SIMD_H

/* operands: O0 O1 in pc[1], O2 O3 in pc[2]; an immediate after them */
#define V_GET(T, name, slot) \
    T name;                  \
    memcpy(&name, fp + (slot), sizeof name)
#define V_PUT(slot, val)                        \
    do {                                        \
        __typeof__(val) v_ = (val);             \
        memcpy(fp + (slot), &v_, sizeof v_);    \
    } while (0)

/* [h][a dst]: r = expr(a) */
#define V_UNOP(id, T, expr)  \
    L_##id: {                \
        V_GET(T, a, O0);     \
        V_PUT(O1, (expr));   \
        NEXT_OP(id);         \
    }
/* [h][a b][dst]: r = expr(a, b) */
#define V_BINOP(id, T, expr) \
    L_##id: {                \
        V_GET(T, a, O0);     \
        V_GET(T, b, O1);     \
        V_PUT(O2, (expr));   \
        NEXT_OP(id);         \
    }
/* [h][a dst]: an i32 from a v128 */
#define V_TEST(id, T, fn)                \
    L_##id: {                            \
        V_GET(T, a, O0);                 \
        fp[O1] = (uint32_t)fn(a, sizeof a / sizeof a[0]); \
        NEXT_OP(id);                     \
    }

    /* v128.const never runs: the translator keeps its halves as constants */
L_V128_CONST:
    TRAP(WB_TRAP_UNREACHABLE);

    /* [h][addr dst][end]: the bounds check of every load (interp.c EA) */
L_V128_LOAD: {
    EA(fp[O0])
    wb_u8x16 v;
    memcpy(&v, mem_base + end - 16, 16);
    V_PUT(O1, v);
    NEXT_OP(V128_LOAD);
}
    /* [h][addr value][end] */
L_V128_STORE: {
    EA(fp[O0])
    memcpy(mem_base + end - 16, fp + O1, 16);
    NEXT_OP(V128_STORE);
}

    /* splat: [h][x dst] */
#define V_SPLAT(id, T, L, read)                        \
    L_##id: {                                          \
        L x = read;                                    \
        T r = (T){0} + x; /* GCC broadcasts the scalar */ \
        V_PUT(O1, r);                                  \
        NEXT_OP(id);                                   \
    }
    V_SPLAT(I8X16_SPLAT, wb_u8x16, uint8_t, (uint8_t)fp[O0])
    V_SPLAT(I16X8_SPLAT, wb_u16x8, uint16_t, (uint16_t)fp[O0])
    V_SPLAT(I32X4_SPLAT, wb_u32x4, uint32_t, (uint32_t)fp[O0])
    V_SPLAT(I64X2_SPLAT, wb_u64x2, uint64_t, fp[O0])
    V_SPLAT(F32X4_SPLAT, wb_u32x4, uint32_t, (uint32_t)fp[O0]) /* the bits: NaNs kept */
    V_SPLAT(F64X2_SPLAT, wb_u64x2, uint64_t, fp[O0])

    /* extract_lane: [h][a dst][lane]; the lane's bits, float NaNs kept */
#define V_EXTRACT(id, L, conv)                                   \
    L_##id: {                                                    \
        L x;                                                     \
        memcpy(&x, (const uint8_t *)(fp + O0) + pc[2].u * sizeof x, sizeof x); \
        fp[O1] = (conv);                                         \
        NEXT_OP(id);                                             \
    }
    V_EXTRACT(I8X16_EXTRACT_LANE_S, int8_t, (uint32_t)(int32_t)x)
    V_EXTRACT(I8X16_EXTRACT_LANE_U, uint8_t, (uint32_t)x)
    V_EXTRACT(I16X8_EXTRACT_LANE_S, int16_t, (uint32_t)(int32_t)x)
    V_EXTRACT(I16X8_EXTRACT_LANE_U, uint16_t, (uint32_t)x)
    V_EXTRACT(I32X4_EXTRACT_LANE, uint32_t, x)
    V_EXTRACT(I64X2_EXTRACT_LANE, uint64_t, x)
    V_EXTRACT(F32X4_EXTRACT_LANE, uint32_t, x)
    V_EXTRACT(F64X2_EXTRACT_LANE, uint64_t, x)

    /* replace_lane: [h][a x][dst][lane] */
#define V_REPLACE(id, L)                                         \
    L_##id: {                                                    \
        V_GET(wb_u8x16, r, O0);                                  \
        L x = (L)fp[O1];                                         \
        memcpy((uint8_t *)&r + pc[3].u * sizeof x, &x, sizeof x); \
        V_PUT(O2, r);                                            \
        NEXT_OP(id);                                             \
    }
    V_REPLACE(I8X16_REPLACE_LANE, uint8_t)
    V_REPLACE(I16X8_REPLACE_LANE, uint16_t)
    V_REPLACE(I32X4_REPLACE_LANE, uint32_t)
    V_REPLACE(I64X2_REPLACE_LANE, uint64_t)
    V_REPLACE(F32X4_REPLACE_LANE, uint32_t)
    V_REPLACE(F64X2_REPLACE_LANE, uint64_t)

    /* comparisons: all ones where true (a vector compare's -1), else 0 */
#define V_ICMPS(SH, S, U)                                  \
    V_BINOP(SH##_EQ, U, a == b)                            \
    V_BINOP(SH##_NE, U, a != b)                            \
    V_BINOP(SH##_LT_S, S, a < b)                           \
    V_BINOP(SH##_LT_U, U, a < b)                           \
    V_BINOP(SH##_GT_S, S, a > b)                           \
    V_BINOP(SH##_GT_U, U, a > b)                           \
    V_BINOP(SH##_LE_S, S, a <= b)                          \
    V_BINOP(SH##_LE_U, U, a <= b)                          \
    V_BINOP(SH##_GE_S, S, a >= b)                          \
    V_BINOP(SH##_GE_U, U, a >= b)
    V_ICMPS(I8X16, wb_i8x16, wb_u8x16)
    V_ICMPS(I16X8, wb_i16x8, wb_u16x8)
    V_ICMPS(I32X4, wb_i32x4, wb_u32x4)
    V_BINOP(I64X2_EQ, wb_u64x2, a == b)
    V_BINOP(I64X2_NE, wb_u64x2, a != b)
    V_BINOP(I64X2_LT_S, wb_i64x2, a < b)
    V_BINOP(I64X2_GT_S, wb_i64x2, a > b)
    V_BINOP(I64X2_LE_S, wb_i64x2, a <= b)
    V_BINOP(I64X2_GE_S, wb_i64x2, a >= b)
    /* IEEE comparisons: false with a NaN, except ne */
#define V_FCMPS(SH, F)                                     \
    V_BINOP(SH##_EQ, F, a == b)                            \
    V_BINOP(SH##_NE, F, a != b)                            \
    V_BINOP(SH##_LT, F, a < b)                             \
    V_BINOP(SH##_GT, F, a > b)                             \
    V_BINOP(SH##_LE, F, a <= b)                            \
    V_BINOP(SH##_GE, F, a >= b)
    V_FCMPS(F32X4, wb_f32x4)
    V_FCMPS(F64X2, wb_f64x2)

    /* bitwise */
    V_UNOP(V128_NOT, wb_u64x2, ~a)
    V_BINOP(V128_AND, wb_u64x2, a & b)
    V_BINOP(V128_ANDNOT, wb_u64x2, a & ~b)
    V_BINOP(V128_OR, wb_u64x2, a | b)
    V_BINOP(V128_XOR, wb_u64x2, a ^ b)
L_V128_BITSELECT: { /* [h][a b][c dst] */
    V_GET(wb_u64x2, a, O0);
    V_GET(wb_u64x2, b, O1);
    V_GET(wb_u64x2, m, O2);
    V_PUT(O3, (a & m) | (b & ~m));
    NEXT_OP(V128_BITSELECT);
}
L_V128_ANY_TRUE: {
    V_GET(wb_u64x2, a, O0);
    fp[O1] = (a[0] | a[1]) != 0;
    NEXT_OP(V128_ANY_TRUE);
}

    /* integer lanes: wrapping arithmetic on unsigned lanes; abs through the
     * sign mask (|INT_MIN| is INT_MIN, as the spec's modular abs) */
#define V_INTS(SH, S, U, BITS)                                         \
    V_UNOP(SH##_ABS, U, (a ^ (U)((S)a >> (BITS - 1))) - (U)((S)a >> (BITS - 1))) \
    V_UNOP(SH##_NEG, U, -a)                                            \
    V_TEST(SH##_ALL_TRUE, U, wb_v_all_true)                            \
    V_TEST(SH##_BITMASK, U, wb_v_bitmask)                              \
    V_BINOP(SH##_ADD, U, a + b)                                        \
    V_BINOP(SH##_SUB, U, a - b)
    V_INTS(I8X16, wb_i8x16, wb_u8x16, 8)
    V_INTS(I16X8, wb_i16x8, wb_u16x8, 16)
    V_INTS(I32X4, wb_i32x4, wb_u32x4, 32)
    V_INTS(I64X2, wb_i64x2, wb_u64x2, 64)
    V_BINOP(I16X8_MUL, wb_u16x8, a * b)
    V_BINOP(I32X4_MUL, wb_u32x4, a * b)
    V_BINOP(I64X2_MUL, wb_u64x2, a * b)

#endif
