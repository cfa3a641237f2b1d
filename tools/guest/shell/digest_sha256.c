/* SHA-256 and SHA-224 (FIPS 180-4), for sha256sum, sha224sum and cksum -a. */
#include "digest.h"

#include <string.h>

/* the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes */
static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};
/* the square roots of the first 8 primes (SHA-256); the low halves of
 * SHA-384's (SHA-224) */
static const uint32_t IV256[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu,
    0x1f83d9abu, 0x5be0cd19u,
};
static const uint32_t IV224[8] = {
    0xc1059ed8u, 0x367cd507u, 0x3070dd17u, 0xf70e5939u, 0xffc00b31u, 0x68581511u,
    0x64f98fa7u, 0xbefa4fa4u,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress(sh_digest_ctx *c, const uint8_t *b)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    /* the eight working variables in locals, not an array shifted each
     * round: the interpreter runs this loop for every 64 bytes */
    uint32_t a = c->h.w[0], b_ = c->h.w[1], cc = c->h.w[2], d = c->h.w[3];
    uint32_t e = c->h.w[4], f = c->h.w[5], g = c->h.w[6], h = c->h.w[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b_) ^ (a & cc) ^ (b_ & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b_;
        b_ = a;
        a = t1 + t2;
    }
    c->h.w[0] += a;
    c->h.w[1] += b_;
    c->h.w[2] += cc;
    c->h.w[3] += d;
    c->h.w[4] += e;
    c->h.w[5] += f;
    c->h.w[6] += g;
    c->h.w[7] += h;
}

static void init256(sh_digest_ctx *c, size_t outlen)
{
    (void)outlen;
    memset(c, 0, sizeof *c);
    memcpy(c->h.w, IV256, sizeof IV256);
}

static void init224(sh_digest_ctx *c, size_t outlen)
{
    (void)outlen;
    memset(c, 0, sizeof *c);
    memcpy(c->h.w, IV224, sizeof IV224);
}

static void update(sh_digest_ctx *c, const void *p, size_t n)
{
    sh_digest_blocks(c, p, n, 64, compress);
}

static void put(sh_digest_ctx *c, uint8_t *out, size_t n)
{
    sh_digest_pad(c, 64, 8, true, compress);
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(c->h.w[i / 4] >> (24 - 8 * (i % 4)));
}

static void final256(sh_digest_ctx *c, uint8_t *out)
{
    put(c, out, 32);
}

static void final224(sh_digest_ctx *c, uint8_t *out)
{
    put(c, out, 28);
}

const sh_digest_algo sh_sha256 = {"sha256", "SHA256", 32, init256, update, final256};
const sh_digest_algo sh_sha224 = {"sha224", "SHA224", 28, init224, update, final224};
