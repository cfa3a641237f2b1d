/* SM3 (GB/T 32905-2016), for cksum -a sm3 as GNU 9.1 offers it. */
#include "digest.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n)
{
    n &= 31;
    return n ? (x << n) | (x >> (32 - n)) : x;
}

static uint32_t p0(uint32_t x)
{
    return x ^ rol(x, 9) ^ rol(x, 17);
}

static uint32_t p1(uint32_t x)
{
    return x ^ rol(x, 15) ^ rol(x, 23);
}

static void compress(sh_digest_ctx *c, const uint8_t *b)
{
    uint32_t w[68], s[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 68; i++)
        w[i] = p1(w[i - 16] ^ w[i - 9] ^ rol(w[i - 3], 15)) ^ rol(w[i - 13], 7) ^ w[i - 6];
    memcpy(s, c->h.w, sizeof s);
    for (int j = 0; j < 64; j++) {
        uint32_t t = j < 16 ? 0x79cc4519u : 0x7a879d8au;
        uint32_t ss1 = rol(rol(s[0], 12) + s[4] + rol(t, j), 7);
        uint32_t ss2 = ss1 ^ rol(s[0], 12);
        uint32_t ff = j < 16 ? s[0] ^ s[1] ^ s[2] : (s[0] & s[1]) | (s[0] & s[2]) | (s[1] & s[2]);
        uint32_t gg = j < 16 ? s[4] ^ s[5] ^ s[6] : (s[4] & s[5]) | (~s[4] & s[6]);
        uint32_t tt1 = ff + s[3] + ss2 + (w[j] ^ w[j + 4]);
        uint32_t tt2 = gg + s[7] + ss1 + w[j];
        s[3] = s[2];
        s[2] = rol(s[1], 9);
        s[1] = s[0];
        s[0] = tt1;
        s[7] = s[6];
        s[6] = rol(s[5], 19);
        s[5] = s[4];
        s[4] = p0(tt2);
    }
    for (int i = 0; i < 8; i++)
        c->h.w[i] ^= s[i];
}

static void init(sh_digest_ctx *c, size_t outlen)
{
    (void)outlen;
    static const uint32_t iv[8] = {0x7380166fu, 0x4914b2b9u, 0x172442d7u, 0xda8a0600u,
                                   0xa96f30bcu, 0x163138aau, 0xe38dee4du, 0xb0fb0e4eu};
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
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(c->h.w[i / 4] >> (24 - 8 * (i % 4)));
}

const sh_digest_algo sh_sm3 = {"sm3", "SM3", 32, init, update, final};
