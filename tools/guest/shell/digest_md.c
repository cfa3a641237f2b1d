/* The block buffering and padding MD5, SHA-1 and SHA-2 share. */
#include "digest.h"

#include <string.h>

void sh_digest_blocks(sh_digest_ctx *c, const void *p, size_t n, size_t bs,
                      void (*compress)(sh_digest_ctx *c, const uint8_t *blk))
{
    const uint8_t *s = p;
    c->bytes += n;
    if (c->fill) {
        size_t take = bs - c->fill < n ? bs - c->fill : n;
        memcpy(c->block + c->fill, s, take);
        c->fill += take;
        s += take;
        n -= take;
        if (c->fill < bs)
            return;
        compress(c, c->block);
        c->fill = 0;
    }
    for (; n >= bs; s += bs, n -= bs)
        compress(c, s);
    memcpy(c->block, s, n);
    c->fill = n;
}

void sh_digest_pad(sh_digest_ctx *c, size_t bs, size_t lenbytes, bool big_endian,
                   void (*compress)(sh_digest_ctx *c, const uint8_t *blk))
{
    uint64_t bits = c->bytes * 8; /* SHA-384/512's 128-bit length: the top half is 0 here */
    c->block[c->fill++] = 0x80;
    if (c->fill > bs - lenbytes) {
        memset(c->block + c->fill, 0, bs - c->fill);
        compress(c, c->block);
        c->fill = 0;
    }
    memset(c->block + c->fill, 0, bs - c->fill);
    for (int i = 0; i < 8; i++)
        c->block[big_endian ? bs - 1 - (size_t)i : bs - lenbytes + (size_t)i] = (uint8_t)(bits >> (8 * i));
    compress(c, c->block);
    c->fill = 0;
}
