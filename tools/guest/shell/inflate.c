/* inflate.c: gzip/zlib/raw deflate decoding (flate.h), written from RFC
 * 1950-1952. Every length, distance and code is checked against what came
 * before: hostile input ends in SH_FLATE_BAD_DATA, never past a buffer. */
#include "flate.h"

#include <stdlib.h>
#include <string.h>

#define IN_SIZE (64u << 10)
#define WSIZE 32768u               /* deflate's farthest distance */
#define OUT_SIZE (WSIZE + (64u << 10))
#define FAST_BITS 9

typedef struct {
    short count[16];  /* codes of each length */
    short symbol[288]; /* symbols in canonical order */
    unsigned short fast[1 << FAST_BITS]; /* next FAST_BITS bits -> symbol << 4 | length (0: slow) */
} huff;

typedef struct {
    sh_flate_io *io;
    sh_buf *why;
    unsigned char *in;
    size_t in_pos, in_len;
    uint64_t in_total;  /* bytes consumed from io before in[0] */
    bool in_end;
    uint64_t bits;
    unsigned nbits;
    unsigned char *out;
    size_t out_pos, out_flushed;
    uint64_t out_total; /* bytes produced (for distances and ISIZE) */
    uint32_t crc, adler_a, adler_b;
    sh_crc32_tables crctab;
    int format;
    int status;         /* first failure, SH_FLATE_* */
    huff lit, dist;
} inflater;

static int fail(inflater *z, const char *what)
{
    if (!z->status) {
        z->status = SH_FLATE_BAD_DATA;
        uint64_t at = z->in_total + z->in_pos - z->nbits / 8;
        sh_buf_printf(z->why, "%s (at byte %llu of the compressed data)", what,
                      (unsigned long long)at);
    }
    return z->status;
}

static void refill(inflater *z)
{
    while (z->nbits <= 56) {
        if (z->in_pos == z->in_len) {
            if (z->in_end || z->status)
                return;
            z->in_total += z->in_len;
            z->in_pos = z->in_len = 0;
            ssize_t n = z->io->read(z->io->rctx, z->in, IN_SIZE);
            if (n < 0) {
                z->status = SH_FLATE_READ_ERROR;
                z->in_end = true;
                return;
            }
            if (n == 0) {
                z->in_end = true;
                return;
            }
            z->in_len = (size_t)n;
        }
        z->bits |= (uint64_t)z->in[z->in_pos++] << z->nbits;
        z->nbits += 8;
    }
}

/* n (<= 32) bits, or -1 after recording the failure. */
static int64_t getbits(inflater *z, unsigned n)
{
    if (z->nbits < n)
        refill(z);
    if (z->nbits < n) {
        fail(z, "unexpected end of the compressed data");
        return -1;
    }
    uint64_t v = z->bits & ((1ull << n) - 1);
    z->bits >>= n;
    z->nbits -= n;
    return (int64_t)v;
}

void sh_crc32_init(sh_crc32_tables *tab)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        tab->t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int k = 1; k < 4; k++)
            tab->t[k][i] = (tab->t[k - 1][i] >> 8) ^ tab->t[0][tab->t[k - 1][i] & 0xff];
}

uint32_t sh_crc32(const sh_crc32_tables *tab, uint32_t crc, const void *p, size_t n)
{
    const unsigned char *b = p;
    crc = ~crc;
    for (; n >= 4; n -= 4, b += 4) {
        crc ^= (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        crc = tab->t[3][crc & 0xff] ^ tab->t[2][(crc >> 8) & 0xff] ^ tab->t[1][(crc >> 16) & 0xff] ^
              tab->t[0][crc >> 24];
    }
    for (; n > 0; n--, b++)
        crc = tab->t[0][(crc ^ *b) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* Hands out[out_flushed..out_pos) to the writer, checksumming it. */
static bool flush_out(inflater *z)
{
    size_t n = z->out_pos - z->out_flushed;
    if (!n)
        return true;
    const unsigned char *p = z->out + z->out_flushed;
    if (z->format == SH_FLATE_GZIP) {
        z->crc = sh_crc32(&z->crctab, z->crc, p, n);
    } else if (z->format == SH_FLATE_ZLIB) {
        for (size_t i = 0; i < n;) { /* sums reduced every 5552 bytes, as RFC 1950 allows */
            size_t k = n - i < 5552 ? n - i : 5552;
            for (size_t j = 0; j < k; j++) {
                z->adler_a += p[i + j];
                z->adler_b += z->adler_a;
            }
            z->adler_a %= 65521;
            z->adler_b %= 65521;
            i += k;
        }
    }
    z->out_flushed = z->out_pos;
    if (!z->io->write(z->io->wctx, p, n)) {
        z->status = SH_FLATE_WRITE_STOPPED;
        return false;
    }
    return true;
}

/* Room for n more output bytes, keeping the last WSIZE for distances. */
static bool room(inflater *z, size_t n)
{
    if (z->out_pos + n <= OUT_SIZE)
        return true;
    if (!flush_out(z))
        return false;
    memmove(z->out, z->out + z->out_pos - WSIZE, WSIZE);
    z->out_pos = z->out_flushed = WSIZE;
    return true;
}

/* A canonical code from lengths; false when over-subscribed. An incomplete
 * code is allowed (a single distance code is), and a missing code is found
 * when it is used. */
static bool build(huff *h, const unsigned char *len, int n)
{
    short offs[16];
    memset(h->count, 0, sizeof h->count);
    memset(h->fast, 0, sizeof h->fast);
    for (int s = 0; s < n; s++)
        h->count[len[s]]++;
    h->count[0] = 0;
    int left = 1;
    for (int l = 1; l < 16; l++) {
        left <<= 1;
        left -= h->count[l];
        if (left < 0)
            return false;
    }
    offs[1] = 0;
    for (int l = 1; l < 15; l++)
        offs[l + 1] = (short)(offs[l] + h->count[l]);
    for (int s = 0; s < n; s++)
        if (len[s])
            h->symbol[offs[len[s]]++] = (short)s;
    /* The fast table: codes of up to FAST_BITS bits, bit-reversed (deflate
     * sends a code's first bit first). */
    int code = 0, idx = 0;
    for (int l = 1; l <= FAST_BITS; l++) {
        for (int k = 0; k < h->count[l]; k++, code++, idx++) {
            unsigned rev = 0;
            for (int b = 0; b < l; b++)
                rev |= (unsigned)((code >> b) & 1) << (l - 1 - b);
            for (unsigned f = rev; f < (1u << FAST_BITS); f += 1u << l)
                h->fast[f] = (unsigned short)(h->symbol[idx] << 4 | l);
        }
        code <<= 1;
    }
    return true;
}

/* The next symbol of h, or -1. */
static int decode(inflater *z, const huff *h)
{
    if (z->nbits < 15)
        refill(z);
    unsigned e = h->fast[z->bits & ((1u << FAST_BITS) - 1)];
    if (e && (e & 15) <= z->nbits) {
        z->bits >>= e & 15;
        z->nbits -= e & 15;
        return e >> 4;
    }
    int code = 0, first = 0, index = 0;
    for (unsigned l = 1; l < 16; l++) {
        if (l > z->nbits)
            break;
        code |= (int)((z->bits >> (l - 1)) & 1);
        int count = h->count[l];
        if (code - count < first) {
            z->bits >>= l;
            z->nbits -= l;
            return h->symbol[index + (code - first)];
        }
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    fail(z, z->nbits < 15 && z->in_end ? "unexpected end of the compressed data"
                                        : "invalid Huffman code");
    return -1;
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

static int codes(inflater *z)
{
    for (;;) {
        int sym = decode(z, &z->lit);
        if (sym < 0)
            return z->status;
        if (sym < 256) {
            if (!room(z, 1))
                return z->status;
            z->out[z->out_pos++] = (unsigned char)sym;
            z->out_total++;
            continue;
        }
        if (sym == 256)
            return 0;
        sym -= 257;
        if (sym >= 29)
            return fail(z, "invalid literal/length code");
        int64_t x = getbits(z, len_extra[sym]);
        if (x < 0)
            return z->status;
        size_t len = len_base[sym] + (size_t)x;
        int ds = decode(z, &z->dist);
        if (ds < 0)
            return z->status;
        if (ds >= 30)
            return fail(z, "invalid distance code");
        x = getbits(z, dist_extra[ds]);
        if (x < 0)
            return z->status;
        size_t d = dist_base[ds] + (size_t)x;
        if (d > z->out_total)
            return fail(z, "invalid distance too far back");
        if (!room(z, len))
            return z->status;
        unsigned char *o = z->out + z->out_pos;
        for (size_t i = 0; i < len; i++) /* may overlap itself: byte by byte */
            o[i] = o[(ptrdiff_t)i - (ptrdiff_t)d];
        z->out_pos += len;
        z->out_total += len;
    }
}

static int stored(inflater *z)
{
    getbits(z, z->nbits % 8);
    int64_t len = getbits(z, 16), nlen = getbits(z, 16);
    if (len < 0 || nlen < 0)
        return z->status;
    if ((len ^ 0xffff) != nlen)
        return fail(z, "stored block length does not match its complement");
    while (len > 0) {
        if (!room(z, 1))
            return z->status;
        if (z->nbits >= 8) {
            z->out[z->out_pos++] = (unsigned char)z->bits;
            z->bits >>= 8;
            z->nbits -= 8;
            len--;
            z->out_total++;
            continue;
        }
        if (z->in_pos == z->in_len) {
            refill(z);
            if (z->nbits < 8)
                return fail(z, "unexpected end of the compressed data");
            continue;
        }
        size_t k = z->in_len - z->in_pos, space = OUT_SIZE - z->out_pos;
        if (k > (size_t)len)
            k = (size_t)len;
        if (k > space)
            k = space;
        memcpy(z->out + z->out_pos, z->in + z->in_pos, k);
        z->in_pos += k;
        z->out_pos += k;
        z->out_total += k;
        len -= (int64_t)k;
    }
    return 0;
}

static int fixed(inflater *z)
{
    unsigned char l[288];
    int i = 0;
    for (; i < 144; i++)
        l[i] = 8;
    for (; i < 256; i++)
        l[i] = 9;
    for (; i < 280; i++)
        l[i] = 7;
    for (; i < 288; i++)
        l[i] = 8;
    build(&z->lit, l, 288);
    for (i = 0; i < 30; i++)
        l[i] = 5;
    build(&z->dist, l, 30);
    return codes(z);
}

static int dynamic(inflater *z)
{
    static const unsigned char order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
                                            11, 4, 12, 3, 13, 2, 14, 1, 15};
    int64_t hlit = getbits(z, 5), hdist = getbits(z, 5), hclen = getbits(z, 4);
    if (hlit < 0 || hdist < 0 || hclen < 0)
        return z->status;
    int nlen = (int)hlit + 257, ndist = (int)hdist + 1, ncode = (int)hclen + 4;
    if (nlen > 286 || ndist > 30)
        return fail(z, "too many length or distance codes");
    unsigned char lengths[320] = {0};
    for (int i = 0; i < ncode; i++) {
        int64_t v = getbits(z, 3);
        if (v < 0)
            return z->status;
        lengths[order[i]] = (unsigned char)v;
    }
    if (!build(&z->lit, lengths, 19))
        return fail(z, "invalid code lengths code");
    memset(lengths, 0, sizeof lengths);
    for (int i = 0; i < nlen + ndist;) {
        int sym = decode(z, &z->lit);
        if (sym < 0)
            return z->status;
        if (sym < 16) {
            lengths[i++] = (unsigned char)sym;
            continue;
        }
        unsigned char rep = 0;
        int64_t n;
        if (sym == 16) {
            if (i == 0)
                return fail(z, "repeat with no first length");
            rep = lengths[i - 1];
            n = getbits(z, 2);
            n = n < 0 ? n : 3 + n;
        } else if (sym == 17) {
            n = getbits(z, 3);
            n = n < 0 ? n : 3 + n;
        } else {
            n = getbits(z, 7);
            n = n < 0 ? n : 11 + n;
        }
        if (n < 0)
            return z->status;
        if (i + n > nlen + ndist)
            return fail(z, "too many code lengths");
        while (n--)
            lengths[i++] = rep;
    }
    if (lengths[256] == 0)
        return fail(z, "no end-of-block code");
    if (!build(&z->lit, lengths, nlen) || !build(&z->dist, lengths + nlen, ndist))
        return fail(z, "invalid literal/length or distance code lengths");
    return codes(z);
}

/* One raw deflate stream, up to its last block. */
static int deflate_stream(inflater *z)
{
    for (;;) {
        int64_t last = getbits(z, 1), type = getbits(z, 2);
        if (last < 0 || type < 0)
            return z->status;
        int r = type == 0 ? stored(z) : type == 1 ? fixed(z) : type == 2 ? dynamic(z)
                                                                        : fail(z, "invalid block type");
        if (r)
            return r;
        if (last)
            return flush_out(z) ? 0 : z->status;
    }
}

static int byte(inflater *z)
{
    int64_t v = getbits(z, 8);
    return v < 0 ? -1 : (int)v;
}

static int gzip_header(inflater *z)
{
    int id1 = byte(z), id2 = byte(z), cm = byte(z), flg = byte(z);
    if (flg < 0)
        return z->status;
    if (id1 != 0x1f || id2 != 0x8b)
        return fail(z, "not in gzip format");
    if (cm != 8)
        return fail(z, "unknown compression method");
    if (flg & 0xe0)
        return fail(z, "reserved gzip flags set");
    for (int i = 0; i < 6; i++) /* MTIME, XFL, OS */
        if (byte(z) < 0)
            return z->status;
    if (flg & 4) {
        int lo = byte(z), hi = byte(z);
        if (hi < 0)
            return z->status;
        for (int n = lo | hi << 8; n > 0; n--)
            if (byte(z) < 0)
                return z->status;
    }
    for (int f = 8; f <= 16; f <<= 1) { /* FNAME, FCOMMENT: zero-terminated */
        if (flg & f) {
            int c;
            while ((c = byte(z)) > 0)
                ;
            if (c < 0)
                return z->status;
        }
    }
    if (flg & 2)
        if (byte(z) < 0 || byte(z) < 0)
            return z->status;
    return 0;
}

static int64_t le32(inflater *z)
{
    int64_t v = 0;
    for (int i = 0; i < 4; i++) {
        int b = byte(z);
        if (b < 0)
            return -1;
        v |= (int64_t)b << (8 * i);
    }
    return v;
}

/* After a gzip member: another member, trailing zeros (ignored) or the end. */
static bool another_member(inflater *z)
{
    getbits(z, z->nbits % 8);
    for (;;) {
        refill(z);
        if (z->nbits < 8)
            return false;
        if ((z->bits & 0xff) == 0x1f)
            return true;
        if ((z->bits & 0xff) != 0)
            return false; /* trailing garbage: gzip ignores it too */
        getbits(z, 8);
    }
}

bool sh_is_gzip(const void *p, size_t n)
{
    const unsigned char *b = p;
    return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

int sh_inflate(int format, sh_flate_io *io, sh_buf *why)
{
    inflater *z = sh_calloc(1, sizeof *z);
    z->io = io;
    z->why = why;
    z->format = format;
    z->in = sh_malloc(IN_SIZE);
    z->out = sh_malloc(OUT_SIZE);
    sh_crc32_init(&z->crctab);
    int r = 0;
    if (format == SH_FLATE_RAW) {
        r = deflate_stream(z);
    } else if (format == SH_FLATE_ZLIB) {
        int cmf = byte(z), flg = byte(z);
        z->adler_a = 1;
        if (flg < 0)
            r = z->status;
        else if ((cmf & 15) != 8 || (cmf * 256 + flg) % 31 != 0 || (flg & 0x20))
            r = fail(z, "not a zlib stream (or one with a preset dictionary)");
        else if (!(r = deflate_stream(z))) {
            getbits(z, z->nbits % 8);
            int64_t a = 0;
            for (int i = 0; i < 4 && a >= 0; i++) {
                int b = byte(z);
                a = b < 0 ? -1 : a << 8 | b;
            }
            if (a < 0)
                r = z->status;
            else if ((uint32_t)a != (z->adler_b << 16 | z->adler_a))
                r = fail(z, "Adler-32 checksum mismatch");
        }
    } else {
        do {
            z->crc = 0;
            uint64_t start = z->out_total;
            if ((r = gzip_header(z)) || (r = deflate_stream(z)))
                break;
            getbits(z, z->nbits % 8);
            int64_t crc = le32(z), size = le32(z);
            if (size < 0) {
                r = z->status;
                break;
            }
            if ((uint32_t)crc != z->crc) {
                r = fail(z, "CRC-32 checksum mismatch");
                break;
            }
            if ((uint32_t)size != (uint32_t)(z->out_total - start)) {
                r = fail(z, "length mismatch");
                break;
            }
        } while (another_member(z));
        if (!r && z->status == SH_FLATE_READ_ERROR)
            r = z->status;
    }
    if (!r && z->status)
        r = z->status;
    free(z->in);
    free(z->out);
    free(z);
    return r;
}
