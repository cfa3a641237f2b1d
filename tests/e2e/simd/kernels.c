/* Loops clang vectorises to SIMD with -msimd128 (tests/e2e/simd_c.sh builds
 * this for wasm32-wasi with -O2 -msimd128 and natively with gcc, runs both
 * and compares what they print). Integer arithmetic of several widths,
 * saturation, min/max, shifts, compares, float lanes, byte shuffles. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1024

static uint8_t b8[N], c8[N];
static int16_t h16[N], g16[N];
static int32_t w32[N], v32[N];
static int64_t q64[N];
static float f32a[N], f32b[N];
static double f64a[N];

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

int main(void)
{
    for (int i = 0; i < N; i++) {
        b8[i] = (uint8_t)next();
        c8[i] = (uint8_t)next();
        h16[i] = (int16_t)next();
        g16[i] = (int16_t)next();
        w32[i] = (int32_t)(next() * 2654435761u);
        v32[i] = (int32_t)next() - (1 << 22);
        q64[i] = (int64_t)next() << 20;
        f32a[i] = (float)(int32_t)(next() & 0xFFFF) / 64.0f - 300.0f;
        f32b[i] = (float)(next() & 0xFFF) / 16.0f;
        f64a[i] = (double)(next() & 0xFFFFF) / 1024.0;
    }
    /* sums and dot products */
    uint32_t s8 = 0;
    for (int i = 0; i < N; i++)
        s8 += b8[i];
    int64_t dot16 = 0;
    for (int i = 0; i < N; i++)
        dot16 += (int32_t)h16[i] * g16[i];
    uint32_t mix = 0;
    for (int i = 0; i < N; i++)
        mix += (uint32_t)w32[i] * 3u ^ (uint32_t)v32[i] >> 3;
    int64_t s64 = 0;
    for (int i = 0; i < N; i++)
        s64 += q64[i] * 7 - (q64[i] >> 5);
    /* saturating add, min/max, averages, compares of bytes */
    uint8_t sat[N], mn[N], avg[N];
    for (int i = 0; i < N; i++) {
        unsigned t = (unsigned)b8[i] + c8[i];
        sat[i] = t > 255 ? 255 : (uint8_t)t;
        mn[i] = b8[i] < c8[i] ? b8[i] : c8[i];
        avg[i] = (uint8_t)(((unsigned)b8[i] + c8[i] + 1) >> 1);
    }
    uint32_t hs = 0, hm = 0, ha = 0, gt = 0;
    for (int i = 0; i < N; i++) {
        hs = hs * 31 + sat[i];
        hm = hm * 31 + mn[i];
        ha = ha * 31 + avg[i];
        gt += b8[i] > c8[i];
    }
    /* int32 max and abs, widening */
    int32_t mx = INT32_MIN;
    int64_t abssum = 0;
    for (int i = 0; i < N; i++) {
        mx = w32[i] > mx ? w32[i] : mx;
        abssum += v32[i] < 0 ? -(int64_t)v32[i] : v32[i];
    }
    /* floats: fused-free multiply-add, min, sqrt-free norms */
    float fdot = 0, fmin = 1e30f;
    for (int i = 0; i < N; i++) {
        f32a[i] = f32a[i] * 0.5f + f32b[i];
        fmin = f32a[i] < fmin ? f32a[i] : fmin;
    }
    for (int i = 0; i < N; i++)
        fdot += f32a[i] * f32b[i];
    double dsum = 0;
    for (int i = 0; i < N; i++)
        dsum += f64a[i] * f64a[i];
    /* byte reversal of 32-bit words (a shuffle) */
    uint32_t rev = 0;
    for (int i = 0; i < N; i++)
        rev ^= __builtin_bswap32((uint32_t)w32[i]) + (uint32_t)i;
    printf("s8 %u dot16 %lld mix %u s64 %lld\n", s8, (long long)dot16, mix, (long long)s64);
    printf("sat %u min %u avg %u gt %u\n", hs, hm, ha, gt);
    printf("max %d abssum %lld rev %u\n", mx, (long long)abssum, rev);
    printf("fdot %.6e fmin %.6e dsum %.10e\n", (double)fdot, (double)fmin, dsum);
    return 0;
}
