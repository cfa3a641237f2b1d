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

    /* v128 globals: [h][x _][global] */
X_GLOBAL_GET_V128: {
    const wb_global *g_ = inst->globals[pc[2].u];
    uint64_t lo_ = g_->value, hi_ = g_->hi;
    fp[O0] = lo_;
    fp[O0 + 1] = hi_;
    NEXT_X(GLOBAL_GET_V128);
}
X_GLOBAL_SET_V128: {
    wb_global *g_ = inst->globals[pc[2].u];
    g_->value = fp[O0];
    g_->hi = fp[O0 + 1];
    NEXT_X(GLOBAL_SET_V128);
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

    /* ---- lane by lane, on plain arrays: loads, conversions, shapes that
     * change width, saturation ---- */
#define V_IN(T, name, slot)                     \
    T name[16 / sizeof(T)];                     \
    memcpy(name, fp + (slot), 16)
#define V_OUT(slot, name) memcpy(fp + (slot), name, 16)
/* [h][a dst]: r[i] = expr (a[i]); TA in, TR out, n result lanes */
#define V_MAP1(id, TA, TR, expr)                           \
    L_##id: {                                              \
        V_IN(TA, a, O0);                                   \
        TR r[16 / sizeof(TR)];                             \
        for (size_t i = 0; i < 16 / sizeof(TR); i++)       \
            r[i] = (expr);                                 \
        V_OUT(O1, r);                                      \
        NEXT_OP(id);                                       \
    }
/* [h][a b][dst]: r[i] = expr (a, b, i) */
#define V_MAP2(id, TA, TR, expr)                           \
    L_##id: {                                              \
        V_IN(TA, a, O0);                                   \
        V_IN(TA, b, O1);                                   \
        TR r[16 / sizeof(TR)];                             \
        for (size_t i = 0; i < 16 / sizeof(TR); i++)       \
            r[i] = (expr);                                 \
        V_OUT(O2, r);                                      \
        NEXT_OP(id);                                       \
    }

    /* loads that widen, splat or zero: [h][addr dst][end]; the access is
     * the row's size (8 bytes for the widening ones) */
#define V_LOAD_EXT(id, TM, TR)                             \
    L_##id: {                                              \
        EA(fp[O0])                                         \
        TM m[8 / sizeof(TM)];                              \
        memcpy(m, mem_base + end - 8, 8);                  \
        TR r[8 / sizeof(TM)];                              \
        for (size_t i = 0; i < 8 / sizeof(TM); i++)        \
            r[i] = (TR)m[i];                               \
        V_OUT(O1, r);                                      \
        NEXT_OP(id);                                       \
    }
    V_LOAD_EXT(V128_LOAD8X8_S, int8_t, int16_t)
    V_LOAD_EXT(V128_LOAD8X8_U, uint8_t, uint16_t)
    V_LOAD_EXT(V128_LOAD16X4_S, int16_t, int32_t)
    V_LOAD_EXT(V128_LOAD16X4_U, uint16_t, uint32_t)
    V_LOAD_EXT(V128_LOAD32X2_S, int32_t, int64_t)
    V_LOAD_EXT(V128_LOAD32X2_U, uint32_t, uint64_t)
#define V_LOAD_SPLAT(id, T)                                \
    L_##id: {                                              \
        EA(fp[O0])                                         \
        T x, r[16 / sizeof(T)];                            \
        memcpy(&x, mem_base + end - sizeof x, sizeof x);   \
        for (size_t i = 0; i < 16 / sizeof(T); i++)        \
            r[i] = x;                                      \
        V_OUT(O1, r);                                      \
        NEXT_OP(id);                                       \
    }
    V_LOAD_SPLAT(V128_LOAD8_SPLAT, uint8_t)
    V_LOAD_SPLAT(V128_LOAD16_SPLAT, uint16_t)
    V_LOAD_SPLAT(V128_LOAD32_SPLAT, uint32_t)
    V_LOAD_SPLAT(V128_LOAD64_SPLAT, uint64_t)
#define V_LOAD_ZERO(id, T)                                 \
    L_##id: {                                              \
        EA(fp[O0])                                         \
        uint8_t r[16] = {0};                               \
        memcpy(r, mem_base + end - sizeof(T), sizeof(T));  \
        V_OUT(O1, r);                                      \
        NEXT_OP(id);                                       \
    }
    V_LOAD_ZERO(V128_LOAD32_ZERO, uint32_t)
    V_LOAD_ZERO(V128_LOAD64_ZERO, uint64_t)
    /* one lane from memory into v: [h][addr v][dst _][end][lane] */
#define V_LOAD_LANE(id, N)                                 \
    L_##id: {                                              \
        uint64_t end = (uint64_t)(uint32_t)fp[O0] + pc[3].u; \
        if (UNLIKELY(end > mem_size))                      \
            TRAP(WB_TRAP_MEMORY_OOB);                      \
        uint8_t r[16];                                     \
        memcpy(r, fp + O1, 16);                            \
        memcpy(r + pc[4].u * (N), mem_base + end - (N), (N)); \
        V_OUT(O2, r);                                      \
        NEXT_OP(id);                                       \
    }
    V_LOAD_LANE(V128_LOAD8_LANE, 1)
    V_LOAD_LANE(V128_LOAD16_LANE, 2)
    V_LOAD_LANE(V128_LOAD32_LANE, 4)
    V_LOAD_LANE(V128_LOAD64_LANE, 8)
    /* one lane of v to memory: [h][addr v][end][lane] */
#define V_STORE_LANE(id, N)                                \
    L_##id: {                                              \
        EA(fp[O0])                                         \
        memcpy(mem_base + end - (N), (const uint8_t *)(fp + O1) + pc[3].u * (N), (N)); \
        NEXT_OP(id);                                       \
    }
    V_STORE_LANE(V128_STORE8_LANE, 1)
    V_STORE_LANE(V128_STORE16_LANE, 2)
    V_STORE_LANE(V128_STORE32_LANE, 4)
    V_STORE_LANE(V128_STORE64_LANE, 8)

    /* shuffle: [h][a b][dst][s0..s7][s8..s15]; the translator and the
     * verifier keep every s below 32 */
L_I8X16_SHUFFLE: {
    uint8_t ab[32], r[16];
    memcpy(ab, fp + O0, 16);
    memcpy(ab + 16, fp + O1, 16);
    const uint8_t *s_ = (const uint8_t *)&pc[3];
    for (int i = 0; i < 16; i++)
        r[i] = ab[s_[i] & 31];
    V_OUT(O2, r);
    NEXT_OP(I8X16_SHUFFLE);
}
    V_MAP2(I8X16_SWIZZLE, uint8_t, uint8_t, b[i] < 16 ? a[b[i]] : 0)

    /* float lanes: the scalar instructions' rules, lane by lane (interp.c:
     * the first NaN operand quieted; rounding of a NaN quiets it) */
#define V_FLOATS(SH, F, U, SIGN, sfx, fmin, fmax, fadd, fsub, fmul, fdiv)  \
    V_MAP1(SH##_CEIL, F, F, a[i] != a[i] ? a[i] + a[i] : ceil##sfx(a[i]))  \
    V_MAP1(SH##_FLOOR, F, F, a[i] != a[i] ? a[i] + a[i] : floor##sfx(a[i])) \
    V_MAP1(SH##_TRUNC, F, F, a[i] != a[i] ? a[i] + a[i] : trunc##sfx(a[i])) \
    V_MAP1(SH##_NEAREST, F, F, a[i] != a[i] ? a[i] + a[i] : wb_nearest##sfx(a[i])) \
    V_MAP1(SH##_ABS, U, U, a[i] & ~(U)SIGN)                              \
    V_MAP1(SH##_NEG, U, U, a[i] ^ (U)SIGN)                               \
    V_MAP1(SH##_SQRT, F, F, sqrt##sfx(a[i]))                             \
    V_MAP2(SH##_ADD, F, F, fadd(a[i], b[i]))                             \
    V_MAP2(SH##_SUB, F, F, fsub(a[i], b[i]))                             \
    V_MAP2(SH##_MUL, F, F, fmul(a[i], b[i]))                             \
    V_MAP2(SH##_DIV, F, F, fdiv(a[i], b[i]))                             \
    V_MAP2(SH##_MIN, F, F, fmin(a[i], b[i]))                             \
    V_MAP2(SH##_MAX, F, F, fmax(a[i], b[i]))                             \
    V_MAP2(SH##_PMIN, U, U, wb_v_bits_lt##sfx(b[i], a[i]) ? b[i] : a[i])  \
    V_MAP2(SH##_PMAX, U, U, wb_v_bits_lt##sfx(a[i], b[i]) ? b[i] : a[i])
    V_FLOATS(F32X4, float, uint32_t, 0x80000000u, f, wb_f32_min, wb_f32_max, wb_f32_add, wb_f32_sub,
             wb_f32_mul, wb_f32_div)
    V_FLOATS(F64X2, double, uint64_t, 0x8000000000000000ull, , wb_f64_min, wb_f64_max, wb_f64_add,
             wb_f64_sub, wb_f64_mul, wb_f64_div)

    /* conversions */
L_F32X4_DEMOTE_F64X2_ZERO: {
    V_IN(double, a, O0);
    float r[4] = {(float)a[0], (float)a[1], 0, 0};
    V_OUT(O1, r);
    NEXT_OP(F32X4_DEMOTE_F64X2_ZERO);
}
L_F64X2_PROMOTE_LOW_F32X4: {
    V_IN(float, a, O0);
    double r[2] = {a[0], a[1]};
    V_OUT(O1, r);
    NEXT_OP(F64X2_PROMOTE_LOW_F32X4);
}
    V_MAP1(I32X4_TRUNC_SAT_F32X4_S, float, uint32_t, wb_sat_s32(a[i]))
    V_MAP1(I32X4_TRUNC_SAT_F32X4_U, float, uint32_t, wb_sat_u32(a[i]))
    V_MAP1(F32X4_CONVERT_I32X4_S, int32_t, float, (float)a[i])
    V_MAP1(F32X4_CONVERT_I32X4_U, uint32_t, float, (float)a[i])
    V_MAP1(I32X4_TRUNC_SAT_F64X2_S_ZERO, double, uint32_t, i < 2 ? wb_sat_s32(a[i]) : 0)
    V_MAP1(I32X4_TRUNC_SAT_F64X2_U_ZERO, double, uint32_t, i < 2 ? wb_sat_u32(a[i]) : 0)
    V_MAP1(F64X2_CONVERT_LOW_I32X4_S, int32_t, double, (double)a[i])
    V_MAP1(F64X2_CONVERT_LOW_I32X4_U, uint32_t, double, (double)a[i])

    /* integers that change width or saturate */
    V_MAP1(I8X16_POPCNT, uint8_t, uint8_t, (uint8_t)__builtin_popcount(a[i]))
#define V_NARROW(id, TA, TR, lo, hi)                                       \
    L_##id: {                                                              \
        V_IN(TA, a, O0);                                                   \
        V_IN(TA, b, O1);                                                   \
        TR r[16 / sizeof(TR)];                                             \
        const size_t n_ = 16 / sizeof(TA);                                 \
        for (size_t i = 0; i < n_; i++) {                                  \
            r[i] = (TR)wb_v_clamp(a[i], lo, hi);                           \
            r[n_ + i] = (TR)wb_v_clamp(b[i], lo, hi);                      \
        }                                                                  \
        V_OUT(O2, r);                                                      \
        NEXT_OP(id);                                                       \
    }
    V_NARROW(I8X16_NARROW_I16X8_S, int16_t, int8_t, INT8_MIN, INT8_MAX)
    V_NARROW(I8X16_NARROW_I16X8_U, int16_t, uint8_t, 0, UINT8_MAX)
    V_NARROW(I16X8_NARROW_I32X4_S, int32_t, int16_t, INT16_MIN, INT16_MAX)
    V_NARROW(I16X8_NARROW_I32X4_U, int32_t, uint16_t, 0, UINT16_MAX)
    V_MAP2(I16X8_Q15MULR_SAT_S, int16_t, int16_t,
           (int16_t)wb_v_clamp(((int32_t)a[i] * b[i] + 0x4000) >> 15, INT16_MIN, INT16_MAX))
    V_MAP2(I32X4_DOT_I16X8_S, int16_t, uint32_t,
           (uint32_t)((int32_t)a[2 * i] * b[2 * i]) + (uint32_t)((int32_t)a[2 * i + 1] * b[2 * i + 1]))
    V_MAP1(I16X8_EXTADD_PAIRWISE_I8X16_S, int8_t, int16_t, (int16_t)(a[2 * i] + a[2 * i + 1]))
    V_MAP1(I16X8_EXTADD_PAIRWISE_I8X16_U, uint8_t, uint16_t, (uint16_t)(a[2 * i] + a[2 * i + 1]))
    V_MAP1(I32X4_EXTADD_PAIRWISE_I16X8_S, int16_t, int32_t, (int32_t)a[2 * i] + a[2 * i + 1])
    V_MAP1(I32X4_EXTADD_PAIRWISE_I16X8_U, uint16_t, uint32_t, (uint32_t)a[2 * i] + a[2 * i + 1])

    /* shifts: [h][a n][dst], the count taken modulo the lane's bits; a
     * signed right shift is arithmetic (GCC defines it so) */
#define V_SHIFTS(SH, S, U, BITS)                                                       \
    L_##SH##_SHL: {                                                                    \
        V_IN(U, a, O0);                                                                \
        unsigned n_ = (unsigned)fp[O1] & (BITS - 1);                                   \
        for (size_t i = 0; i < 16 / sizeof(U); i++)                                    \
            a[i] = (U)(a[i] << n_);                                                    \
        V_OUT(O2, a);                                                                  \
        NEXT_OP(SH##_SHL);                                                             \
    }                                                                                  \
    L_##SH##_SHR_S: {                                                                  \
        V_IN(S, a, O0);                                                                \
        unsigned n_ = (unsigned)fp[O1] & (BITS - 1);                                   \
        for (size_t i = 0; i < 16 / sizeof(S); i++)                                    \
            a[i] = (S)(a[i] >> n_);                                                    \
        V_OUT(O2, a);                                                                  \
        NEXT_OP(SH##_SHR_S);                                                           \
    }                                                                                  \
    L_##SH##_SHR_U: {                                                                  \
        V_IN(U, a, O0);                                                                \
        unsigned n_ = (unsigned)fp[O1] & (BITS - 1);                                   \
        for (size_t i = 0; i < 16 / sizeof(U); i++)                                    \
            a[i] = (U)(a[i] >> n_);                                                    \
        V_OUT(O2, a);                                                                  \
        NEXT_OP(SH##_SHR_U);                                                           \
    }
    V_SHIFTS(I8X16, int8_t, uint8_t, 8)
    V_SHIFTS(I16X8, int16_t, uint16_t, 16)
    V_SHIFTS(I32X4, int32_t, uint32_t, 32)
    V_SHIFTS(I64X2, int64_t, uint64_t, 64)

#define V_SAT(SH, S, U, SMIN, SMAX, UMAX)                                              \
    V_MAP2(SH##_ADD_SAT_S, S, S, (S)wb_v_clamp((int32_t)a[i] + b[i], SMIN, SMAX))        \
    V_MAP2(SH##_ADD_SAT_U, U, U, (U)wb_v_clamp((int32_t)a[i] + b[i], 0, UMAX))           \
    V_MAP2(SH##_SUB_SAT_S, S, S, (S)wb_v_clamp((int32_t)a[i] - b[i], SMIN, SMAX))        \
    V_MAP2(SH##_SUB_SAT_U, U, U, (U)wb_v_clamp((int32_t)a[i] - b[i], 0, UMAX))
    V_SAT(I8X16, int8_t, uint8_t, INT8_MIN, INT8_MAX, UINT8_MAX)
    V_SAT(I16X8, int16_t, uint16_t, INT16_MIN, INT16_MAX, UINT16_MAX)
#define V_MINMAX(SH, S, U)                                                 \
    V_MAP2(SH##_MIN_S, S, S, a[i] < b[i] ? a[i] : b[i])                    \
    V_MAP2(SH##_MIN_U, U, U, a[i] < b[i] ? a[i] : b[i])                    \
    V_MAP2(SH##_MAX_S, S, S, a[i] > b[i] ? a[i] : b[i])                    \
    V_MAP2(SH##_MAX_U, U, U, a[i] > b[i] ? a[i] : b[i])
    V_MINMAX(I8X16, int8_t, uint8_t)
    V_MINMAX(I16X8, int16_t, uint16_t)
    V_MINMAX(I32X4, int32_t, uint32_t)
    V_MAP2(I8X16_AVGR_U, uint8_t, uint8_t, (uint8_t)(((unsigned)a[i] + b[i] + 1) >> 1))
    V_MAP2(I16X8_AVGR_U, uint16_t, uint16_t, (uint16_t)(((unsigned)a[i] + b[i] + 1) >> 1))

    /* extend: the low or high half's lanes, widened; extmul: the same of a
     * and b, multiplied (in 64 bits: no overflow in C, and the product
     * always fits the wider lane) */
#define V_EXTEND(id, TA, TR, HALF)                                         \
    V_MAP1(id, TA, TR, (TR)a[i + (HALF) * (8 / sizeof(TA))])
#define V_EXTENDS(D, S, TS, TU, TDS, TDU)                                  \
    V_EXTEND(D##_EXTEND_LOW_##S##_S, TS, TDS, 0)                           \
    V_EXTEND(D##_EXTEND_HIGH_##S##_S, TS, TDS, 1)                          \
    V_EXTEND(D##_EXTEND_LOW_##S##_U, TU, TDU, 0)                           \
    V_EXTEND(D##_EXTEND_HIGH_##S##_U, TU, TDU, 1)                          \
    V_MAP2(D##_EXTMUL_LOW_##S##_S, TS, TDS, (TDS)((int64_t)a[i] * b[i]))   \
    V_MAP2(D##_EXTMUL_HIGH_##S##_S, TS, TDS,                               \
           (TDS)((int64_t)a[i + 8 / sizeof(TS)] * b[i + 8 / sizeof(TS)]))   \
    V_MAP2(D##_EXTMUL_LOW_##S##_U, TU, TDU, (TDU)((uint64_t)a[i] * b[i]))  \
    V_MAP2(D##_EXTMUL_HIGH_##S##_U, TU, TDU,                               \
           (TDU)((uint64_t)a[i + 8 / sizeof(TU)] * b[i + 8 / sizeof(TU)]))
    V_EXTENDS(I16X8, I8X16, int8_t, uint8_t, int16_t, uint16_t)
    V_EXTENDS(I32X4, I16X8, int16_t, uint16_t, int32_t, uint32_t)
    V_EXTENDS(I64X2, I32X4, int32_t, uint32_t, int64_t, uint64_t)

    /* relaxed SIMD: each the deterministic choice its row names */
    V_MAP2(I8X16_RELAXED_SWIZZLE, uint8_t, uint8_t, b[i] < 16 ? a[b[i]] : 0)
    V_MAP1(I32X4_RELAXED_TRUNC_F32X4_S, float, uint32_t, wb_sat_s32(a[i]))
    V_MAP1(I32X4_RELAXED_TRUNC_F32X4_U, float, uint32_t, wb_sat_u32(a[i]))
    V_MAP1(I32X4_RELAXED_TRUNC_F64X2_S_ZERO, double, uint32_t, i < 2 ? wb_sat_s32(a[i]) : 0)
    V_MAP1(I32X4_RELAXED_TRUNC_F64X2_U_ZERO, double, uint32_t, i < 2 ? wb_sat_u32(a[i]) : 0)
/* [h][a b][c dst]: r[i] = expr (a, b, c, i) */
#define V_MAP3(id, TA, TR, expr)                           \
    L_##id: {                                              \
        V_IN(TA, a, O0);                                   \
        V_IN(TA, b, O1);                                   \
        V_IN(TA, c, O2);                                   \
        TR r[16 / sizeof(TR)];                             \
        for (size_t i = 0; i < 16 / sizeof(TR); i++)       \
            r[i] = (expr);                                 \
        V_OUT(O3, r);                                      \
        NEXT_OP(id);                                       \
    }
    V_MAP3(F32X4_RELAXED_MADD, float, float, wb_f32_add(wb_f32_mul(a[i], b[i]), c[i]))
    V_MAP3(F32X4_RELAXED_NMADD, float, float, wb_f32_add(-wb_f32_mul(a[i], b[i]), c[i]))
    V_MAP3(F64X2_RELAXED_MADD, double, double, wb_f64_add(wb_f64_mul(a[i], b[i]), c[i]))
    V_MAP3(F64X2_RELAXED_NMADD, double, double, wb_f64_add(-wb_f64_mul(a[i], b[i]), c[i]))
    V_MAP3(I8X16_RELAXED_LANESELECT, uint64_t, uint64_t, (a[i] & c[i]) | (b[i] & ~c[i]))
    V_MAP3(I16X8_RELAXED_LANESELECT, uint64_t, uint64_t, (a[i] & c[i]) | (b[i] & ~c[i]))
    V_MAP3(I32X4_RELAXED_LANESELECT, uint64_t, uint64_t, (a[i] & c[i]) | (b[i] & ~c[i]))
    V_MAP3(I64X2_RELAXED_LANESELECT, uint64_t, uint64_t, (a[i] & c[i]) | (b[i] & ~c[i]))
    V_MAP2(F32X4_RELAXED_MIN, float, float, wb_f32_min(a[i], b[i]))
    V_MAP2(F32X4_RELAXED_MAX, float, float, wb_f32_max(a[i], b[i]))
    V_MAP2(F64X2_RELAXED_MIN, double, double, wb_f64_min(a[i], b[i]))
    V_MAP2(F64X2_RELAXED_MAX, double, double, wb_f64_max(a[i], b[i]))
    V_MAP2(I16X8_RELAXED_Q15MULR_S, int16_t, int16_t,
           (int16_t)wb_v_clamp(((int32_t)a[i] * b[i] + 0x4000) >> 15, INT16_MIN, INT16_MAX))
    V_MAP2(I16X8_RELAXED_DOT_I8X16_I7X16_S, int8_t, uint16_t,
           (uint16_t)((int32_t)a[2 * i] * b[2 * i] + (int32_t)a[2 * i + 1] * b[2 * i + 1]))
L_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S: {
    V_IN(int8_t, a, O0);
    V_IN(int8_t, b, O1);
    V_IN(uint32_t, c, O2);
    uint32_t r[4];
    for (size_t i = 0; i < 4; i++) {
        int32_t s_ = 0; /* at most 4 * 128 * 128: no overflow */
        for (size_t j = 0; j < 4; j++)
            s_ += (int32_t)a[4 * i + j] * b[4 * i + j];
        r[i] = (uint32_t)s_ + c[i];
    }
    V_OUT(O3, r);
    NEXT_OP(I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);
}

#endif
