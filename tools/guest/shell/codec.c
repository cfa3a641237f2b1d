/* base64, base32 and basenc: one encoder and one decoder over a table of
 * encodings. Encoding reads whole groups (3 bytes for base64, 5 for
 * base32, 4 for Z85) and wraps lines at -w columns (76 by default, 0 never,
 * then no final newline). Decoding takes characters one at a time into a
 * bit accumulator, so a 64 KiB block, a newline or a bad character can fall
 * anywhere; a bad character or an unfinished group ends with "invalid
 * input" (status 1) after the bytes decoded before it, as GNU does. */
#include "codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *alphabet;
    int bits;       /* per character (Z85: none, it is base 85) */
    int group;      /* characters per padded group; 0: no padding */
    int in_group;   /* bytes an encoded group takes */
} encoding;

static const char Z85[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

static const encoding ENC[] = {
    [SH_ENC_BASE64] = {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 6, 4, 3},
    [SH_ENC_BASE64URL] = {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 6, 4, 3},
    [SH_ENC_BASE32] = {"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 5, 8, 5},
    [SH_ENC_BASE32HEX] = {"0123456789ABCDEFGHIJKLMNOPQRSTUV", 5, 8, 5},
    [SH_ENC_BASE16] = {"0123456789ABCDEF", 4, 0, 1},
    [SH_ENC_BASE2MSBF] = {"01", 1, 0, 1},
    [SH_ENC_BASE2LSBF] = {"01", 1, 0, 1},
    [SH_ENC_Z85] = {Z85, 0, 0, 4},
};

/* ---- encoding ------------------------------------------------------------ */

typedef struct {
    shctx *sh;
    sh_buf out;
    int64_t wrap, col;
} writer;

/* The caller reserved room (at most 16 bytes out per byte in, newlines
 * included), so a character is one store: this is the inner loop. */
static inline void put(writer *w, char c)
{
    w->out.data[w->out.len++] = c;
    if (w->wrap && ++w->col == w->wrap) {
        w->out.data[w->out.len++] = '\n';
        w->col = 0;
    }
}

static bool flush(writer *w)
{
    bool ok = sh_write(sh_stdout(w->sh), w->out.data ? w->out.data : "", w->out.len);
    w->out.len = 0;
    return ok;
}

/* One group of n bytes (n <= in_group; fewer only at the end). */
static void encode_group(writer *w, int enc, const unsigned char *p, size_t n)
{
    const encoding *e = &ENC[enc];
    if (enc == SH_ENC_Z85) {
        uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        char c[5];
        for (int i = 4; i >= 0; i--, v /= 85)
            c[i] = Z85[v % 85];
        for (int i = 0; i < 5; i++)
            put(w, c[i]);
        return;
    }
    if (enc == SH_ENC_BASE2MSBF || enc == SH_ENC_BASE2LSBF) {
        for (int i = 0; i < 8; i++)
            put(w, (char)('0' + ((p[0] >> (enc == SH_ENC_BASE2MSBF ? 7 - i : i)) & 1)));
        return;
    }
    uint64_t acc = 0;
    for (size_t i = 0; i < (size_t)e->in_group; i++)
        acc = acc << 8 | (i < n ? p[i] : 0);
    int total = e->in_group * 8;
    int chars = (int)((n * 8 + (size_t)e->bits - 1) / (size_t)e->bits);
    int all = e->group ? e->group : total / e->bits;
    for (int i = 0; i < all; i++) {
        if (i < chars)
            put(w, e->alphabet[(acc >> (total - (i + 1) * e->bits)) & ((1u << e->bits) - 1)]);
        else
            put(w, '=');
    }
}

static int encode(shctx *sh, sh_stream *in, int enc, int64_t wrap)
{
    const encoding *e = &ENC[enc];
    writer w = {sh, {0}, wrap, 0};
    size_t g = (size_t)e->in_group, have = 0;
    unsigned char *buf = sh_malloc(65536 + 8);
    int status = 0;
    for (;;) {
        ssize_t n = sh_read(in, buf + have, 65536);
        if (n < 0) {
            sh_errno(sh, errno, "read error");
            status = 1;
            break;
        }
        have += (size_t)n;
        size_t whole = have - have % g, i;
        sh_buf_reserve(&w.out, have * 17 + 64); /* base2 -w 1: 16 bytes out per byte in */
        if (enc == SH_ENC_BASE64 || enc == SH_ENC_BASE64URL) {
            /* the common case, without encode_group's generality */
            const char *al = ENC[enc].alphabet;
            for (i = 0; i < whole; i += 3) {
                uint32_t v = (uint32_t)buf[i] << 16 | (uint32_t)buf[i + 1] << 8 | buf[i + 2];
                put(&w, al[v >> 18]);
                put(&w, al[(v >> 12) & 63]);
                put(&w, al[(v >> 6) & 63]);
                put(&w, al[v & 63]);
            }
        } else {
            for (i = 0; i < whole; i += g)
                encode_group(&w, enc, buf + i, g);
        }
        memmove(buf, buf + whole, have - whole);
        have -= whole;
        if (!flush(&w) || sh_interrupted(sh)) {
            free(buf);
            sh_buf_free(&w.out);
            return 1;
        }
        if (n == 0)
            break;
    }
    sh_buf_reserve(&w.out, 128);
    if (!status && have) {
        if (enc == SH_ENC_Z85) {
            sh_err(sh, "invalid input (length must be multiple of 4 characters)");
            status = 1;
        } else {
            encode_group(&w, enc, buf, have);
        }
    }
    if (wrap && w.col)
        sh_buf_addc(&w.out, '\n');
    free(buf);
    bool ok = flush(&w);
    sh_buf_free(&w.out);
    return ok ? status : 1;
}

/* ---- decoding -------------------------------------------------------------- */

typedef struct {
    int enc;
    signed char val[256];
    uint64_t acc;   /* bits (Z85: the value) not yet output */
    int nbits;
    int count;      /* characters of the current group */
    int pads;       /* '=' seen in it */
} decoder;

/* Padding may start after this many characters of a group: base64 2 or 3,
 * base32 2, 4, 5 or 7 (where the bits end on a byte). */
static bool pad_allowed(int enc, int count)
{
    if (ENC[enc].bits == 6)
        return count == 2 || count == 3;
    return count == 2 || count == 4 || count == 5 || count == 7;
}

/* One character; false when it is not valid here. out has room reserved
 * (at most one byte out per character in). */
static bool decode_char(decoder *d, unsigned char c, sh_buf *out)
{
    const encoding *e = &ENC[d->enc];
    if (c == '=' && e->group) {
        if (!d->pads && !pad_allowed(d->enc, d->count))
            return false;
        d->pads++;
        if (d->count + d->pads == e->group) {
            d->count = d->pads = 0;
            d->acc = 0;
            d->nbits = 0;
        }
        return true;
    }
    int v = d->val[c];
    if (v < 0 || d->pads)
        return false;
    if (d->enc == SH_ENC_Z85) {
        d->acc = d->acc * 85 + (uint64_t)v;
        if (++d->count == 5) {
            if (d->acc > 0xffffffffu)
                return false;
            for (int i = 3; i >= 0; i--)
                out->data[out->len++] = (char)(d->acc >> (8 * i));
            d->acc = 0;
            d->count = 0;
        }
        return true;
    }
    if (d->enc == SH_ENC_BASE2LSBF)
        d->acc |= (uint64_t)v << d->nbits;
    else
        d->acc = d->acc << e->bits | (uint64_t)v;
    d->nbits += e->bits;
    if (d->nbits >= 8) {
        if (d->enc == SH_ENC_BASE2LSBF) {
            out->data[out->len++] = (char)d->acc;
            d->acc = 0;
        } else {
            out->data[out->len++] = (char)(d->acc >> (d->nbits - 8));
            d->acc &= (1u << (d->nbits - 8)) - 1;
        }
        d->nbits -= 8;
    }
    if (e->group)
        d->count = (d->count + 1) % e->group;
    else if (d->enc != SH_ENC_Z85)
        d->count = d->nbits ? 1 : 0;
    return true;
}

static int decode(shctx *sh, sh_stream *in, int enc, bool ignore_garbage)
{
    decoder d = {.enc = enc};
    memset(d.val, -1, sizeof d.val);
    for (int i = 0; ENC[enc].alphabet[i]; i++)
        d.val[(unsigned char)ENC[enc].alphabet[i]] = (signed char)i;
    unsigned char *buf = sh_malloc(65536);
    sh_buf out = {0};
    int status = 0;
    bool done = false;
    while (!done) {
        ssize_t n = sh_read(in, buf, 65536);
        if (n < 0) {
            sh_errno(sh, errno, "read error");
            status = 1;
            break;
        }
        if (n == 0)
            break;
        out.len = 0;
        sh_buf_reserve(&out, (size_t)n + 8);
        bool b64 = enc == SH_ENC_BASE64 || enc == SH_ENC_BASE64URL;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            if (b64 && d.count == 0 && i + 4 <= n) {
                /* the common case: four characters of a whole group */
                int a0 = d.val[c], a1 = d.val[buf[i + 1]], a2 = d.val[buf[i + 2]], a3 = d.val[buf[i + 3]];
                if ((a0 | a1 | a2 | a3) >= 0) {
                    uint32_t v = (uint32_t)a0 << 18 | (uint32_t)a1 << 12 | (uint32_t)a2 << 6 | (uint32_t)a3;
                    out.data[out.len++] = (char)(v >> 16);
                    out.data[out.len++] = (char)(v >> 8);
                    out.data[out.len++] = (char)v;
                    i += 3;
                    continue;
                }
            }
            if (c == '\n')
                continue;
            bool garbage = d.val[c] < 0 && !(c == '=' && ENC[enc].group);
            if (garbage && ignore_garbage)
                continue;
            if (!decode_char(&d, c, &out)) {
                status = 1;
                done = true;
                break;
            }
        }
        if (!sh_write(sh_stdout(sh), out.data ? out.data : "", out.len) || sh_interrupted(sh)) {
            free(buf);
            sh_buf_free(&out);
            return 1;
        }
    }
    if (!status && (d.count || d.pads)) { /* an unfinished group */
        status = 1;
        done = true;
    }
    if (done)
        sh_err(sh, "invalid input");
    free(buf);
    sh_buf_free(&out);
    return status;
}

/* ---- the utilities --------------------------------------------------------------- */

int sh_codec_main(shctx *sh, int argc, char **argv, int enc)
{
    enum { O_HELP = 256 };
    static const sh_longopt lo[] = {
        {"decode", SH_NO_ARG, 'd'},
        {"ignore-garbage", SH_NO_ARG, 'i'},
        {"wrap", SH_REQ_ARG, 'w'},
        {"base64", SH_NO_ARG, 1000 + SH_ENC_BASE64},
        {"base64url", SH_NO_ARG, 1000 + SH_ENC_BASE64URL},
        {"base32", SH_NO_ARG, 1000 + SH_ENC_BASE32},
        {"base32hex", SH_NO_ARG, 1000 + SH_ENC_BASE32HEX},
        {"base16", SH_NO_ARG, 1000 + SH_ENC_BASE16},
        {"base2msbf", SH_NO_ARG, 1000 + SH_ENC_BASE2MSBF},
        {"base2lsbf", SH_NO_ARG, 1000 + SH_ENC_BASE2LSBF},
        {"z85", SH_NO_ARG, 1000 + SH_ENC_Z85},
        {"help", SH_NO_ARG, O_HELP},
        {NULL, 0, 0}};
    static const sh_longopt lo_plain[] = {{"decode", SH_NO_ARG, 'd'}, {"ignore-garbage", SH_NO_ARG, 'i'},
                                          {"wrap", SH_REQ_ARG, 'w'},  {"help", SH_NO_ARG, O_HELP},
                                          {NULL, 0, 0}};
    bool basenc = enc == SH_ENC_NONE, dec = false, ig = false;
    int64_t wrap = 76;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "diw:", basenc ? lo : lo_plain)) != -1) {
        if (c >= 1000) {
            enc = c - 1000;
            continue;
        }
        switch (c) {
        case 'd': dec = true; break;
        case 'i': ig = true; break;
        case 'w':
            if (!sh_parse_int(st.arg, &wrap) || wrap < 0) {
                sh_err(sh, "invalid wrap size: %s", sh_quote(sh, st.arg));
                return 1;
            }
            break;
        case O_HELP:
            sh_printf(sh_stdout(sh),
                      "Usage: %s [OPTION]... [FILE]\n%s encode or decode FILE, or standard input, to standard output.\n"
                      "  -d, --decode  -i, --ignore-garbage  -w, --wrap=COLS (76; 0: no wrapping)\n%s",
                      sh_name(sh), basenc ? "basenc" : ENC[enc].bits == 6 ? "Base64" : "Base32",
                      basenc ? "  --base64 --base64url --base32 --base32hex --base16 --base2msbf --base2lsbf --z85\n"
                             : "");
            return 0;
        default:
            return 1;
        }
    }
    if (enc == SH_ENC_NONE) {
        sh_err(sh, "missing encoding type");
        sh_try_help(sh);
        return 1;
    }
    if (argc - st.ind > 1) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 1]));
        sh_try_help(sh);
        return 1;
    }
    const char *file = st.ind < argc ? argv[st.ind] : "-";
    sh_stream *in = sh_input(sh, file);
    if (!in)
        return 1;
    int status = dec ? decode(sh, in, enc, ig) : encode(sh, in, enc, wrap);
    sh_input_close(sh, in);
    return status;
}
