/* BLAKE2b (RFC 7693), unkeyed, 8 to 512 bits of output: b2sum, cksum -a
 * blake2b. Unlike MD5 and SHA the last block is compressed with a flag, so
 * a full block stays buffered until more input shows it is not the last. */
#include "digest.h"

#include <string.h>

/* SHA-512's initial values */
static const uint64_t IV[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};
static const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static uint64_t ror(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

#define G(a, b, c, d, x, y)              \
    do {                                 \
        v[a] = v[a] + v[b] + (x);        \
        v[d] = ror(v[d] ^ v[a], 32);     \
        v[c] = v[c] + v[d];              \
        v[b] = ror(v[b] ^ v[c], 24);     \
        v[a] = v[a] + v[b] + (y);        \
        v[d] = ror(v[d] ^ v[a], 16);     \
        v[c] = v[c] + v[d];              \
        v[b] = ror(v[b] ^ v[c], 63);     \
    } while (0)

static void compress(sh_digest_ctx *c, const uint8_t *b, bool last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        uint64_t x = 0;
        for (int k = 7; k >= 0; k--)
            x = x << 8 | b[8 * i + k];
        m[i] = x;
    }
    memcpy(v, c->h.q, 8 * sizeof *v);
    memcpy(v + 8, IV, sizeof IV);
    v[12] ^= c->bytes; /* the byte counter's low word; inputs here stay below 2^64 */
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r];
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        c->h.q[i] ^= v[i] ^ v[i + 8];
}

static void init(sh_digest_ctx *c, size_t outlen)
{
    memset(c, 0, sizeof *c);
    c->outlen = outlen ? outlen : 64;
    memcpy(c->h.q, IV, sizeof IV);
    c->h.q[0] ^= 0x01010000u ^ c->outlen; /* depth 1, fanout 1, no key */
}

static void update(sh_digest_ctx *c, const void *p, size_t n)
{
    const uint8_t *s = p;
    while (n) {
        if (c->fill == 128) { /* more input: the buffered block is not the last */
            c->bytes += 128;
            compress(c, c->block, false);
            c->fill = 0;
        }
        if (c->fill == 0 && n > 128) {
            c->bytes += 128;
            compress(c, s, false);
            s += 128;
            n -= 128;
            continue;
        }
        size_t take = 128 - c->fill < n ? 128 - c->fill : n;
        memcpy(c->block + c->fill, s, take);
        c->fill += take;
        s += take;
        n -= take;
    }
}

static void final(sh_digest_ctx *c, uint8_t *out)
{
    c->bytes += c->fill;
    memset(c->block + c->fill, 0, 128 - c->fill);
    compress(c, c->block, true);
    for (size_t i = 0; i < c->outlen; i++)
        out[i] = (uint8_t)(c->h.q[i / 8] >> (8 * (i % 8)));
}

const sh_digest_algo sh_blake2b = {"blake2b", "BLAKE2b", 64, init, update, final};
