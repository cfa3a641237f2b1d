/* Deterministic pseudo-random numbers (splitmix64): the same seed gives the
 * same programs, arguments and memory on every machine. */
#ifndef DIFFTR_RNG_H
#define DIFFTR_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the tiny modulo bias does not matter here). */
static inline uint32_t rng_below(rng *r, uint32_t n) { return (uint32_t)(rng_next(r) % n); }

/* True with probability pct/100. */
static inline int rng_pct(rng *r, unsigned pct) { return rng_below(r, 100) < pct; }

/* A seed for a sub-stream, so that changing one part of a program does not
 * shift the random choices of the others. */
static inline uint64_t rng_mix(uint64_t a, uint64_t b)
{
    rng r = {a ^ (b * 0xD6E8FEB86659FD93ull)};
    return rng_next(&r);
}

#endif
