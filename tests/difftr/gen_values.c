/* Edge-case values and argument vectors (see gen.h). */
#include "gen.h"

#include <string.h>

static const uint32_t EDGE_I32[] = {
    0, 1, 0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 2, 4, 8, 16, 31, 32, 33, 100, 255, 256,
    0xFFFCu, 0xFFFFu, 0x10000u, 0xFFF8u, 0xFFFDu, 0x1FFFCu, 0x2FFFCu, 0xFFFFFFFCu, 0xFFFFFFF8u,
    0x12345678u, 0x3F800000u, 0x7FC00000u, 0xDEADBEEFu,
};
static const uint64_t EDGE_I64[] = {
    0, 1, 0xFFFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFull,
    0x100000000ull, 0x7FFFFFFFull, 0x80000000ull, 63, 64, 65, 0xFFFCull, 0xFFFFFFFF80000000ull,
    0x0123456789ABCDEFull,
};
static const uint32_t EDGE_F32[] = {
    0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x7FC00000u, 0xFFC00000u, 0x7FA00001u,
    0x7F800000u, 0xFF800000u, 0x7F7FFFFFu, 0x00000001u, 0x3F000000u, 0x4F000000u, 0x4F800000u,
    0xCF000000u, 0x5F000000u, 0x3FC00000u, 0x4B000001u,
};
static const uint64_t EDGE_F64[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull,
    0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF4000000000001ull, 0x7FF0000000000000ull,
    0xFFF0000000000000ull, 0x7FEFFFFFFFFFFFFFull, 0x0000000000000001ull, 0x3FE0000000000000ull,
    0x41E0000000000000ull, 0x41F0000000000000ull, 0xC1E0000000000000ull, 0x43E0000000000000ull,
    0xC3E0000000000000ull, 0x3FF8000000000000ull, 0x4330000000000001ull,
};
#define COUNT(a) (uint32_t)(sizeof a / sizeof a[0])

uint32_t edge_count(uint8_t type)
{
    switch (type) {
    case T_I32: return COUNT(EDGE_I32);
    case T_I64: return COUNT(EDGE_I64);
    case T_F32: return COUNT(EDGE_F32);
    default: return COUNT(EDGE_F64);
    }
}

uint64_t edge_value(uint8_t type, uint32_t pick, rng *r)
{
    uint32_t n = edge_count(type);
    if (pick >= n) {
        uint64_t v = rng_next(r);
        /* random, but often small: small values make interesting addresses,
         * shift counts and loop bounds */
        if (v % 3 == 0)
            v = (v >> 8) % 300;
        return type == T_I32 || type == T_F32 ? (uint32_t)v : v;
    }
    switch (type) {
    case T_I32: return EDGE_I32[pick];
    case T_I64: return EDGE_I64[pick];
    case T_F32: return EDGE_F32[pick];
    default: return EDGE_F64[pick];
    }
}

void edge_v128(rng *r, uint64_t *lo, uint64_t *hi)
{
    uint64_t half[2] = {0, 0};
    unsigned shape = (unsigned)rng_below(r, 9);
    if (shape == 6) { /* all ones: every lane -1, a true mask */
        *lo = *hi = UINT64_MAX;
        return;
    }
    if (shape == 7) { /* alternating true/false masks, or zero */
        *lo = *hi = rng_pct(r, 50) ? 0xFFFFFFFF00000000ull : 0;
        return;
    }
    for (unsigned h = 0; h < 2; h++) {
        switch (shape) {
        case 0: /* i8 lanes: bytes of edge i32s */
        case 1: /* i16 lanes */
            for (unsigned k = 0; k < 64; k += shape ? 16 : 8) {
                uint64_t v = edge_value(T_I32, rng_below(r, COUNT(EDGE_I32) + 4), r);
                half[h] |= (v & (shape ? 0xFFFFu : 0xFFu)) << k;
            }
            break;
        case 2: /* i32 lanes */
        case 3: /* f32 lanes */
            for (unsigned k = 0; k < 64; k += 32) {
                uint8_t t = shape == 2 ? T_I32 : T_F32;
                half[h] |= edge_value(t, rng_below(r, edge_count(t) + 2), r) << k;
            }
            break;
        case 4: half[h] = edge_value(T_I64, rng_below(r, COUNT(EDGE_I64) + 2), r); break;
        case 5: half[h] = edge_value(T_F64, rng_below(r, COUNT(EDGE_F64) + 2), r); break;
        default: half[h] = rng_next(r); break;
        }
    }
    *lo = half[0];
    *hi = half[1];
}

/* Vector 0: small, distinct numbers (in-bounds addresses, short loops,
 * non-zero divisors); 1: near the end of the memory; 2..: edge cases mixed
 * with random values. */
void gen_args(const gfunc *f, uint64_t seed, unsigned vector, uint64_t *args)
{
    rng r = {rng_mix(seed, vector + 1)};
    for (unsigned i = 0; i < f->np; i++) {
        uint8_t t = f->params[i];
        uint64_t v;
        if (t == T_V128) { /* vector 0: small i32 lanes; else edge cases */
            uint64_t hi;
            if (vector == 0) {
                v = (uint64_t)(16 + i) | (uint64_t)(3 + i) << 32;
                hi = (uint64_t)(100 + i) | (uint64_t)(7 + i) << 32;
            } else {
                edge_v128(&r, &v, &hi);
            }
            args[MAXP + i] = hi;
        } else if (vector == 0) {
            static const uint32_t small[] = {16, 3, 100, 7, 40, 1};
            v = small[i % 6];
            if (t == T_F32)
                v = 0x40400000u + (uint64_t)i * 0x100000u; /* 3.0, 3.5, ... */
            else if (t == T_F64)
                v = 0x4008000000000000ull + (uint64_t)i * 0x8000000000000ull;
        } else if (vector == 1 && t == T_I32) {
            static const uint32_t high[] = {65532, 1, 65535, 0, 65528, 2};
            v = high[i % 6];
        } else {
            v = edge_value(t, rng_below(&r, edge_count(t) + 4), &r);
        }
        args[i] = v;
    }
}
