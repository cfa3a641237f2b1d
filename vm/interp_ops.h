/* Numeric helpers for the interpreter: bit moves between slots and floats,
 * and the float operations whose spec semantics differ from plain C. Internal
 * to vm/. Every function here is total: no UB for any input.
 */
#ifndef WASMBOX_VM_INTERP_OPS_H
#define WASMBOX_VM_INTERP_OPS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Floats travel as bit patterns in 64-bit slots (f32 in the low half). */
static inline float wb_f32(uint64_t slot)
{
    uint32_t bits = (uint32_t)slot;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline uint64_t wb_from_f32(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

static inline double wb_f64(uint64_t slot)
{
    double d;
    memcpy(&d, &slot, sizeof d);
    return d;
}

static inline uint64_t wb_from_f64(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

/* nearest (round to nearest, ties to even) without libm: the interpreter
 * is what keeps libm linked, and loading it makes ~380 KB resident at every
 * start (bench/README.md "Start-up"). For |a| < 2^52 (2^23), adding 2^52
 * rounds away the fraction in the default rounding mode, which nothing here
 * changes, and subtracting it back is exact; larger magnitudes are whole
 * already. copysign keeps the sign of results that round to zero (-0.4 ->
 * -0). Callers quiet NaNs first, as with libm's nearbyint. */
static inline double wb_nearest(double a)
{
    if (!(fabs(a) < 0x1p52))
        return a;
    return copysign((fabs(a) + 0x1p52) - 0x1p52, a);
}

static inline float wb_nearestf(float a)
{
    if (!(fabsf(a) < 0x1p23f))
        return a;
    return copysignf((fabsf(a) + 0x1p23f) - 0x1p23f, a);
}

/* Arithmetic with one NaN rule for every handler, fused or not: a NaN result
 * is the first NaN operand, quieted, or the hardware's NaN when no operand is
 * one (inf - inf). That is what x86 gives `a op b` with the operands in that
 * order; the spec allows any NaN, but the optimised and the reference
 * translation must agree bit for bit, and a compiler may swap the operands
 * of a commutative operation or of a fused pair (tests/translate/regress/
 * difftr-f64-fused-nan-order.wat). */
static inline double wb_f64_nan_first(double r, double a, double b)
{
    if (__builtin_expect(r == r, 1))
        return r;
    if (a != a)
        return wb_f64(wb_from_f64(a) | 0x0008000000000000ull);
    if (b != b)
        return wb_f64(wb_from_f64(b) | 0x0008000000000000ull);
    return r;
}

static inline float wb_f32_nan_first(float r, float a, float b)
{
    if (__builtin_expect(r == r, 1))
        return r;
    if (a != a)
        return wb_f32(wb_from_f32(a) | 0x00400000u);
    if (b != b)
        return wb_f32(wb_from_f32(b) | 0x00400000u);
    return r;
}

static inline double wb_f64_add(double a, double b) { return wb_f64_nan_first(a + b, a, b); }
static inline double wb_f64_sub(double a, double b) { return wb_f64_nan_first(a - b, a, b); }
static inline double wb_f64_mul(double a, double b) { return wb_f64_nan_first(a * b, a, b); }
static inline double wb_f64_div(double a, double b) { return wb_f64_nan_first(a / b, a, b); }
static inline float wb_f32_add(float a, float b) { return wb_f32_nan_first(a + b, a, b); }
static inline float wb_f32_sub(float a, float b) { return wb_f32_nan_first(a - b, a, b); }
static inline float wb_f32_mul(float a, float b) { return wb_f32_nan_first(a * b, a, b); }
static inline float wb_f32_div(float a, float b) { return wb_f32_nan_first(a / b, a, b); }

/* min/max: NaN if either is NaN; -0 < +0. Equal operands can only differ in
 * the sign of zero, so OR of the bits (min) or AND (max) picks the right one. */
static inline float wb_f32_min(float a, float b)
{
    if (a != a || b != b)
        return a + b; /* a NaN, quieted: an arithmetic NaN as the spec allows */
    if (a == b)
        return wb_f32(wb_from_f32(a) | wb_from_f32(b));
    return a < b ? a : b;
}

static inline float wb_f32_max(float a, float b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wb_f32(wb_from_f32(a) & wb_from_f32(b));
    return a > b ? a : b;
}

static inline double wb_f64_min(double a, double b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wb_f64(wb_from_f64(a) | wb_from_f64(b));
    return a < b ? a : b;
}

static inline double wb_f64_max(double a, double b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wb_f64(wb_from_f64(a) & wb_from_f64(b));
    return a > b ? a : b;
}

/* Saturating truncations (trunc_sat): NaN -> 0, out of range -> the bound.
 * Every bound below is exactly representable as a double, and every f32 is
 * exactly representable as a double, so comparing in double is exact. */
static inline uint32_t wb_sat_s32(double x)
{
    if (x != x)
        return 0;
    if (!(x > -2147483649.0))
        return (uint32_t)INT32_MIN;
    if (!(x < 2147483648.0))
        return (uint32_t)INT32_MAX;
    return (uint32_t)(int32_t)x;
}

static inline uint32_t wb_sat_u32(double x)
{
    if (x != x || !(x > -1.0))
        return 0;
    if (!(x < 4294967296.0))
        return UINT32_MAX;
    return (uint32_t)x;
}

static inline uint64_t wb_sat_s64(double x)
{
    if (x != x)
        return 0;
    if (!(x >= -9223372036854775808.0))
        return (uint64_t)INT64_MIN;
    if (!(x < 9223372036854775808.0))
        return (uint64_t)INT64_MAX;
    return (uint64_t)(int64_t)x;
}

static inline uint64_t wb_sat_u64(double x)
{
    if (x != x || !(x > -1.0))
        return 0;
    if (!(x < 18446744073709551616.0))
        return UINT64_MAX;
    return (uint64_t)x;
}

/* Range tests for the trapping truncations (NaN already excluded). */
static inline int wb_fits_s32(double x) { return x > -2147483649.0 && x < 2147483648.0; }
static inline int wb_fits_u32(double x) { return x > -1.0 && x < 4294967296.0; }
static inline int wb_fits_s64(double x) { return x >= -9223372036854775808.0 && x < 9223372036854775808.0; }
static inline int wb_fits_u64(double x) { return x > -1.0 && x < 18446744073709551616.0; }

static inline uint32_t wb_rotl32(uint32_t a, uint32_t n)
{
    n &= 31;
    return (a << n) | (a >> ((32 - n) & 31));
}

static inline uint32_t wb_rotr32(uint32_t a, uint32_t n)
{
    n &= 31;
    return (a >> n) | (a << ((32 - n) & 31));
}

static inline uint64_t wb_rotl64(uint64_t a, uint64_t n)
{
    n &= 63;
    return (a << n) | (a >> ((64 - n) & 63));
}

static inline uint64_t wb_rotr64(uint64_t a, uint64_t n)
{
    n &= 63;
    return (a >> n) | (a << ((64 - n) & 63));
}

/* v128 lanes (GCC vector extensions; interp_simd.h). Operations on them
 * work lane by lane in the lane type, without C's integer promotions, so
 * unsigned lanes wrap as wasm's integer lanes do. */
typedef uint8_t wb_u8x16 __attribute__((vector_size(16)));
typedef int8_t wb_i8x16 __attribute__((vector_size(16)));
typedef uint16_t wb_u16x8 __attribute__((vector_size(16)));
typedef int16_t wb_i16x8 __attribute__((vector_size(16)));
typedef uint32_t wb_u32x4 __attribute__((vector_size(16)));
typedef int32_t wb_i32x4 __attribute__((vector_size(16)));
typedef uint64_t wb_u64x2 __attribute__((vector_size(16)));
typedef int64_t wb_i64x2 __attribute__((vector_size(16)));
typedef float wb_f32x4 __attribute__((vector_size(16)));
typedef double wb_f64x2 __attribute__((vector_size(16)));

/* 1 when no lane of a (n lanes) is 0 */
#define wb_v_all_true(a, n)                        \
    __extension__({                                \
        int ok_ = 1;                               \
        for (size_t i_ = 0; i_ < (n); i_++)        \
            ok_ &= (a)[i_] != 0;                   \
        ok_;                                       \
    })
/* the top bit of each lane of a (n unsigned lanes), lane i in bit i */
#define wb_v_bitmask(a, n)                                                   \
    __extension__({                                                          \
        uint32_t m_ = 0;                                                     \
        for (size_t i_ = 0; i_ < (n); i_++)                                  \
            m_ |= (uint32_t)(((a)[i_] >> (sizeof((a)[0]) * 8 - 1)) & 1) << i_; \
        m_;                                                                  \
    })

/* x clamped to [lo, hi] (saturating narrows and arithmetic) */
static inline int64_t wb_v_clamp(int64_t x, int64_t lo, int64_t hi) { return x < lo ? lo : x > hi ? hi : x; }
/* pmin/pmax compare float lanes but return an operand's bits unchanged */
static inline int wb_v_bits_ltf(uint32_t x, uint32_t y)
{
    float a, b;
    memcpy(&a, &x, 4);
    memcpy(&b, &y, 4);
    return a < b;
}
static inline int wb_v_bits_lt(uint64_t x, uint64_t y)
{
    double a, b;
    memcpy(&a, &x, 8);
    memcpy(&b, &y, 8);
    return a < b;
}

#endif
