/* deflate.c: the gzip writer (flate.h). Each 64 KiB of input becomes one
 * fixed-Huffman block of literals and matches (LZ77 with one candidate per
 * 3-byte hash, in a 32 KiB window), or a stored block when that would be
 * smaller, so output never grows past the input by more than a few bytes
 * per block. */
#include "flate.h"

#include <stdlib.h>
#include <string.h>

#define WSIZE 32768u
#define BLOCK (64u << 10)
#define HBITS 15
#define MIN_MATCH 3
#define MAX_MATCH 258

struct sh_gzw {
    bool (*write)(void *ctx, const void *p, size_t n);
    void *ctx;
    unsigned char *buf;  /* [0, WSIZE) the window, then up to BLOCK new bytes */
    size_t start, end;   /* the new bytes: buf[start..end) */
    int32_t *head;       /* hash -> last position in buf, or -1 */
    sh_buf out;          /* compressed bytes not yet written */
    uint64_t bits;
    unsigned nbits;
    uint32_t crc;
    sh_crc32_tables crctab;
    uint16_t lit_code[288], dist_code[30]; /* the fixed codes, already reversed */
    uint8_t lit_len[288];
    uint64_t total;
    bool failed;
};

static void put(sh_gzw *w, uint32_t v, unsigned n)
{
    w->bits |= (uint64_t)v << w->nbits;
    w->nbits += n;
    while (w->nbits >= 8) {
        sh_buf_addc(&w->out, (char)(w->bits & 0xff));
        w->bits >>= 8;
        w->nbits -= 8;
    }
}

/* A Huffman code as deflate sends it: first bit first, so reversed. */
static uint16_t reversed(uint32_t code, unsigned len)
{
    uint32_t rev = 0;
    for (unsigned i = 0; i < len; i++)
        rev |= ((code >> i) & 1) << (len - 1 - i);
    return (uint16_t)rev;
}

/* RFC 1951 3.2.6's fixed codes, made once per writer. */
static void fixed_codes(sh_gzw *w)
{
    for (unsigned s = 0; s < 288; s++) {
        unsigned code, len;
        if (s < 144)
            code = 0x30 + s, len = 8;
        else if (s < 256)
            code = 0x190 + s - 144, len = 9;
        else if (s < 280)
            code = s - 256, len = 7;
        else
            code = 0xc0 + s - 280, len = 8;
        w->lit_code[s] = reversed(code, len);
        w->lit_len[s] = (uint8_t)len;
    }
    for (unsigned d = 0; d < 30; d++)
        w->dist_code[d] = reversed(d, 5);
}

static void put_literal(sh_gzw *w, unsigned sym)
{
    put(w, w->lit_code[sym], w->lit_len[sym]);
}

static const unsigned short len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
                                            31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
                                            227, 258};
static const unsigned char len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                            2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const unsigned short dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97,
                                             129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
                                             3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const unsigned char dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void put_match(sh_gzw *w, unsigned len, unsigned dist)
{
    int s = 28;
    while (len_base[s] > len)
        s--;
    if (len == 258)
        s = 28;
    else if (s == 28)
        s = 27;
    put_literal(w, 257 + (unsigned)s);
    put(w, len - len_base[s], len_extra[s]);
    int d = 29;
    while (dist_base[d] > dist)
        d--;
    put(w, w->dist_code[d], 5);
    put(w, dist - dist_base[d], dist_extra[d]);
}

static uint32_t hash3(const unsigned char *p)
{
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HBITS);
}

static bool flush_bytes(sh_gzw *w)
{
    if (w->failed)
        return false;
    if (w->out.len && !w->write(w->ctx, w->out.data, w->out.len))
        w->failed = true;
    w->out.len = 0;
    return !w->failed;
}

/* Compresses buf[start..end) as one block (last: the final one). */
static bool block(sh_gzw *w, bool last)
{
    size_t mark = w->out.len;
    uint64_t mbits = w->bits;
    unsigned mnbits = w->nbits;
    put(w, last ? 1 : 0, 1);
    put(w, 1, 2); /* fixed Huffman */
    const unsigned char *b = w->buf;
    size_t i = w->start;
    while (i < w->end) {
        unsigned best = 0, dist = 0;
        if (i + MIN_MATCH <= w->end) {
            uint32_t h = hash3(b + i);
            int32_t cand = w->head[h];
            w->head[h] = (int32_t)i;
            if (cand >= 0 && i - (size_t)cand <= WSIZE && b[cand] == b[i]) {
                size_t max = w->end - i < MAX_MATCH ? w->end - i : MAX_MATCH;
                size_t n = 0;
                while (n < max && b[(size_t)cand + n] == b[i + n])
                    n++;
                if (n >= MIN_MATCH) {
                    best = (unsigned)n;
                    dist = (unsigned)(i - (size_t)cand);
                }
            }
        }
        if (best) {
            put_match(w, best, dist);
            for (size_t k = 1; k < best && i + k + MIN_MATCH <= w->end; k++)
                w->head[hash3(b + i + k)] = (int32_t)(i + k);
            i += best;
        } else {
            put_literal(w, b[i]);
            i++;
        }
    }
    put_literal(w, 256);
    size_t n = w->end - w->start;
    if (w->out.len - mark > n + 5) { /* stored is smaller: say it that way */
        w->out.len = mark;
        w->bits = mbits;
        w->nbits = mnbits;
        /* a stored block holds at most 65535 bytes: as many as it takes */
        for (size_t off = 0; off < n || off == 0;) {
            size_t k = n - off < 65535 ? n - off : 65535;
            put(w, last && off + k == n ? 1 : 0, 1);
            put(w, 0, 2);
            if (w->nbits)
                put(w, 0, 8 - w->nbits);
            put(w, (uint32_t)k, 16);
            put(w, (uint32_t)k ^ 0xffff, 16);
            sh_buf_add(&w->out, b + w->start + off, k);
            off += k;
            if (n == 0)
                break;
        }
    }
    return flush_bytes(w);
}

/* Keeps the last WSIZE bytes as the window for the next block. */
static void slide(sh_gzw *w)
{
    if (w->end <= WSIZE) {
        w->start = w->end;
        return;
    }
    size_t shift = w->end - WSIZE;
    memmove(w->buf, w->buf + shift, WSIZE);
    for (size_t i = 0; i < (1u << HBITS); i++)
        w->head[i] = w->head[i] >= (int32_t)shift ? w->head[i] - (int32_t)shift : -1;
    w->start = w->end = WSIZE;
}

sh_gzw *sh_gzw_new(bool (*write)(void *ctx, const void *p, size_t n), void *ctx)
{
    sh_gzw *w = sh_calloc(1, sizeof *w);
    w->write = write;
    w->ctx = ctx;
    w->buf = sh_malloc(WSIZE + BLOCK);
    w->head = sh_malloc(sizeof *w->head << HBITS);
    for (size_t i = 0; i < (1u << HBITS); i++)
        w->head[i] = -1;
    sh_crc32_init(&w->crctab);
    fixed_codes(w);
    /* gzip header: no name, no time (the archive's bytes are the same
     * whenever they are made), OS 255 (unknown). */
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
    sh_buf_add(&w->out, hdr, sizeof hdr);
    return w;
}

bool sh_gzw_write(sh_gzw *w, const void *p, size_t n)
{
    const unsigned char *s = p;
    w->crc = sh_crc32(&w->crctab, w->crc, p, n);
    w->total += n;
    while (n > 0 && !w->failed) {
        size_t room = WSIZE + BLOCK - w->end;
        size_t k = n < room ? n : room;
        memcpy(w->buf + w->end, s, k);
        w->end += k;
        s += k;
        n -= k;
        if (w->end == WSIZE + BLOCK) {
            if (!block(w, false))
                return false;
            slide(w);
        }
    }
    return !w->failed;
}

void sh_gzw_free(sh_gzw *w)
{
    if (!w)
        return;
    free(w->buf);
    free(w->head);
    sh_buf_free(&w->out);
    free(w);
}

bool sh_gzw_finish(sh_gzw *w)
{
    bool ok = !w->failed && block(w, true);
    if (ok) {
        if (w->nbits)
            put(w, 0, 8 - w->nbits);
        put(w, w->crc & 0xffff, 16);
        put(w, w->crc >> 16, 16);
        put(w, (uint32_t)w->total & 0xffff, 16);
        put(w, (uint32_t)(w->total >> 16) & 0xffff, 16);
        ok = flush_bytes(w);
    }
    sh_gzw_free(w);
    return ok;
}
