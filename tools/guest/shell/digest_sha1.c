/* SHA-1 (FIPS 180-4), for sha1sum and cksum -a sha1. */
#include "digest.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void compress(sh_digest_ctx *c, const uint8_t *b)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = c->h.w[0], bb = c->h.w[1], cc = c->h.w[2], d = c->h.w[3], e = c->h.w[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (bb & cc) | (~bb & d);
            k = 0x5a827999u;
        } else if (i < 40) {
            f = bb ^ cc ^ d;
            k = 0x6ed9eba1u;
        } else if (i < 60) {
            f = (bb & cc) | (bb & d) | (cc & d);
            k = 0x8f1bbcdcu;
        } else {
            f = bb ^ cc ^ d;
            k = 0xca62c1d6u;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = cc;
        cc = rol(bb, 30);
        bb = a;
        a = t;
    }
    c->h.w[0] += a;
    c->h.w[1] += bb;
    c->h.w[2] += cc;
    c->h.w[3] += d;
    c->h.w[4] += e;
}

static void init(sh_digest_ctx *c, size_t outlen)
{
    (void)outlen;
    static const uint32_t iv[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
    memset(c, 0, sizeof *c);
    memcpy(c->h.w, iv, sizeof iv);
}

static void update(sh_digest_ctx *c, const void *p, size_t n)
{
    sh_digest_blocks(c, p, n, 64, compress);
}

static void final(sh_digest_ctx *c, uint8_t *out)
{
    sh_digest_pad(c, 64, 8, true, compress);
    for (int i = 0; i < 20; i++)
        out[i] = (uint8_t)(c->h.w[i / 4] >> (24 - 8 * (i % 4)));
}

const sh_digest_algo sh_sha1 = {"sha1", "SHA1", 20, init, update, final};
