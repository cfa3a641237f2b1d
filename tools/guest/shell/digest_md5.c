/* MD5 (RFC 1321), for md5sum and cksum -a md5. */
#include "digest.h"

#include <string.h>

/* floor(abs(sin(i + 1)) * 2^32), RFC 1321 3.4 */
static const uint32_t K[64] = {
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au,
    0xa8304613u, 0xfd469501u, 0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu,
    0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u, 0xf61e2562u, 0xc040b340u,
    0x265e5a51u, 0xe9b6c7aau, 0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu, 0xa9e3e905u, 0xfcefa3f8u,
    0x676f02d9u, 0x8d2a4c8au, 0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu,
    0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u, 0x289b7ec6u, 0xeaa127fau,
    0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u,
    0xffeff47du, 0x85845dd1u, 0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u,
    0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u,
};
static const uint8_t R[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void compress(sh_digest_ctx *c, const uint8_t *b)
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
               (uint32_t)b[4 * i + 3] << 24;
    uint32_t a = c->h.w[0], bb = c->h.w[1], cc = c->h.w[2], d = c->h.w[3];
    /* one loop per round, so that no step chooses its function: the
     * interpreter runs these for every 64 bytes */
#define STEP(F, g)                                                    \
    do {                                                              \
        uint32_t nb = bb + rol(a + (F) + K[i] + m[g], R[(i >> 4) * 4 + (i & 3)]); \
        a = d;                                                        \
        d = cc;                                                       \
        cc = bb;                                                      \
        bb = nb;                                                      \
    } while (0)
    int i = 0;
    for (; i < 16; i++)
        STEP((bb & cc) | (~bb & d), i);
    for (; i < 32; i++)
        STEP((d & bb) | (~d & cc), (5 * i + 1) & 15);
    for (; i < 48; i++)
        STEP(bb ^ cc ^ d, (3 * i + 5) & 15);
    for (; i < 64; i++)
        STEP(cc ^ (bb | ~d), (7 * i) & 15);
#undef STEP
    c->h.w[0] += a;
    c->h.w[1] += bb;
    c->h.w[2] += cc;
    c->h.w[3] += d;
}

static void init(sh_digest_ctx *c, size_t outlen)
{
    (void)outlen;
    memset(c, 0, sizeof *c);
    c->h.w[0] = 0x67452301u;
    c->h.w[1] = 0xefcdab89u;
    c->h.w[2] = 0x98badcfeu;
    c->h.w[3] = 0x10325476u;
}

static void update(sh_digest_ctx *c, const void *p, size_t n)
{
    sh_digest_blocks(c, p, n, 64, compress);
}

static void final(sh_digest_ctx *c, uint8_t *out)
{
    sh_digest_pad(c, 64, 8, false, compress);
    for (int i = 0; i < 16; i++)
        out[i] = (uint8_t)(c->h.w[i / 4] >> (8 * (i % 4)));
}

const sh_digest_algo sh_md5 = {"md5", "MD5", 16, init, update, final};
