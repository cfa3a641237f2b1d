/* od: GNU's. -A d|o|x|n, -t a c d[SIZE] o[SIZE] u[SIZE] x[SIZE] f[SIZE]
 * (SIZE 1 2 4 8 or C S I L; f 4 8 or F D) with z for the printable bytes,
 * the old options -a -b -c -d -f -i -l -o -s -x, -j BYTES, -N BYTES, -w[N],
 * -v, --endian. Several -t print one line each per block, their columns
 * aligned as GNU aligns them; repeated blocks are "*" without -v. Floats
 * are printed in the fewest digits that read back to the same value, as
 * GNU 9.1 does. Long double (fL) is refused: wasm has none of the x86's. */
#include "../shell.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SPECS = 32 };

typedef struct {
    char kind;   /* a c d o u x f */
    int size;    /* bytes per field */
    int width;   /* digits of the widest value */
    bool z;      /* the printable bytes after the line */
    int pad;     /* spaces spread over a line so every type's line is as wide */
} spec;

typedef struct {
    spec s[MAX_SPECS];
    int n;
    char radix;          /* d o x n */
    bool big_endian;
} odopts;

static int field_width(char kind, int size)
{
    switch (kind) {
    case 'a': case 'c': return 3;
    case 'o': return size == 1 ? 3 : size == 2 ? 6 : size == 4 ? 11 : 22;
    case 'x': return size * 2;
    case 'u': return size == 1 ? 3 : size == 2 ? 5 : size == 4 ? 10 : 20;
    case 'd': return size == 1 ? 4 : size == 2 ? 6 : size == 4 ? 11 : 20;
    default: return size == 4 ? 15 : 23;
    }
}

static bool add_spec(shctx *sh, odopts *o, char kind, int size, bool z)
{
    if (o->n == MAX_SPECS) {
        sh_err(sh, "too many -t types (at most %d)", MAX_SPECS);
        return false;
    }
    o->s[o->n++] = (spec){kind, size, field_width(kind, size), z, 0};
    return true;
}

/* One -t argument: several types in a row ("x1z", "dIc"). */
static bool parse_type(shctx *sh, odopts *o, const char *arg)
{
    const char *p = arg;
    while (*p) {
        char kind = *p++;
        int size = 1;
        if (!strchr("acdoux f", kind) || kind == ' ') {
            sh_err(sh, "invalid character '%c' in type string %s", kind, sh_quote(sh, arg));
            return false;
        }
        if (strchr("doux", kind)) {
            size = 4;
            if (*p == 'C') size = 1, p++;
            else if (*p == 'S') size = 2, p++;
            else if (*p == 'I') size = 4, p++;
            else if (*p == 'L') size = 8, p++;
            else if (*p >= '0' && *p <= '9') {
                char *end;
                long v = strtol(p, &end, 10);
                if (v != 1 && v != 2 && v != 4 && v != 8) {
                    sh_err(sh, "invalid type string %s;\nthis system doesn't provide a %ld-byte integral type",
                           sh_quote(sh, arg), v);
                    return false;
                }
                size = (int)v;
                p = end;
            }
        } else if (kind == 'f') {
            size = 8;
            if (*p == 'F') size = 4, p++;
            else if (*p == 'D') size = 8, p++;
            else if (*p == 'L') {
                sh_err(sh, "long double (fL in %s) is not available in the sandbox; use fD", sh_quote(sh, arg));
                return false;
            } else if (*p >= '0' && *p <= '9') {
                char *end;
                long v = strtol(p, &end, 10);
                if (v != 4 && v != 8) {
                    sh_err(sh, "invalid type string %s;\nthis system doesn't provide a %ld-byte floating point type",
                           sh_quote(sh, arg), v);
                    return false;
                }
                size = (int)v;
                p = end;
            }
        }
        bool z = *p == 'z';
        if (z)
            p++;
        if (!add_spec(sh, o, kind, size, z))
            return false;
    }
    return true;
}

static uint64_t load(const unsigned char *p, int size, bool big)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
    return v;
}

/* The fewest significant digits that read back to the same value. */
static void fmt_float(char *buf, size_t n, double v, bool single)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (isnan(v) || (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v))
            return;
    }
}

static const char *const NAMES[33] = {"nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl",
                                      "vt", "ff", "cr", "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak",
                                      "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp"};

/* v in base 8 (shift 3) or 16 (shift 4), zero-padded to width digits:
 * snprintf per field is most of od's time in the sandbox. */
static void digits(char *buf, uint64_t v, int width, int shift)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = width - 1; i >= 0; i--, v >>= shift)
        buf[i] = hex[v & ((1u << shift) - 1)];
    buf[width] = 0;
}

static void format_field(char *buf, size_t n, const spec *s, const unsigned char *p, bool big)
{
    uint64_t v = load(p, s->size, big);
    switch (s->kind) {
    case 'a': {
        int c = p[0] & 0x7f;
        if (c <= 32)
            snprintf(buf, n, "%s", NAMES[c]);
        else if (c == 127)
            snprintf(buf, n, "del");
        else
            buf[0] = (char)c, buf[1] = 0;
        break;
    }
    case 'c': {
        static const char esc[] = "\0\a\b\f\n\r\t\v";
        static const char *const str[] = {"\\0", "\\a", "\\b", "\\f", "\\n", "\\r", "\\t", "\\v"};
        const char *e = p[0] ? memchr(esc + 1, p[0], sizeof esc - 2) : esc;
        if (e)
            snprintf(buf, n, "%s", str[e - esc]);
        else if (p[0] >= 32 && p[0] < 127)
            buf[0] = (char)p[0], buf[1] = 0;
        else
            digits(buf, p[0], 3, 3);
        break;
    }
    case 'o': digits(buf, v, s->width, 3); break;
    case 'x': digits(buf, v, s->width, 4); break;
    case 'u': buf[sh_fmt_u64(buf, v)] = 0; break;
    case 'd': {
        int shift = 64 - 8 * s->size;
        int64_t sv = shift ? (int64_t)(v << shift) >> shift : (int64_t)v;
        snprintf(buf, n, "%lld", (long long)sv);
        break;
    }
    default:
        if (s->size == 4) {
            uint32_t u = (uint32_t)v;
            float f;
            memcpy(&f, &u, 4);
            fmt_float(buf, n, f, true);
        } else {
            double d;
            memcpy(&d, &v, 8);
            fmt_float(buf, n, d, false);
        }
    }
}

static void add_offset(sh_buf *b, const odopts *o, uint64_t off)
{
    if (o->radix == 'o')
        sh_buf_printf(b, "%07llo", (unsigned long long)off);
    else if (o->radix == 'd')
        sh_buf_printf(b, "%07llu", (unsigned long long)off);
    else if (o->radix == 'x')
        sh_buf_printf(b, "%06llx", (unsigned long long)off);
}

/* One block of width bytes (n of them real, the rest zero), every type. */
static void format_block(sh_buf *b, const odopts *o, uint64_t off, const unsigned char *blk, size_t n,
                         size_t width)
{
    for (int k = 0; k < o->n; k++) {
        const spec *s = &o->s[k];
        if (k == 0)
            add_offset(b, o, off);
        else if (o->radix != 'n')
            sh_buf_printf(b, "%*s", o->radix == 'x' ? 6 : 7, "");
        size_t fields = width / (size_t)s->size;
        size_t shown = (n + (size_t)s->size - 1) / (size_t)s->size;
        int pad_left = s->pad;
        for (size_t i = fields; i > fields - shown; i--) {
            int next = (int)((uint64_t)s->pad * (i - 1) / fields); /* 64-bit: -w can be 2^20 */
            int w = pad_left - next + s->width;
            char f[64];
            format_field(f, sizeof f, s, blk + (fields - i) * (size_t)s->size, o->big_endian);
            size_t len = strlen(f);
            size_t spaces = (size_t)w > len ? (size_t)w - len : 0;
            sh_buf_reserve(b, spaces + len);
            memset(b->data + b->len, ' ', spaces);
            memcpy(b->data + b->len + spaces, f, len + 1);
            b->len += spaces + len;
            pad_left = next;
        }
        if (s->z) {
            /* the columns of the fields not shown, then the bytes */
            size_t line = (size_t)s->pad + fields * (size_t)s->width;
            size_t used = (size_t)(s->pad - pad_left) + shown * (size_t)s->width;
            sh_buf_printf(b, "%*s  >", (int)(line - used), "");
            for (size_t i = 0; i < n; i++)
                sh_buf_addc(b, blk[i] >= 32 && blk[i] < 127 ? (char)blk[i] : '.');
            sh_buf_addc(b, '<');
        }
        sh_buf_addc(b, '\n');
    }
}

/* The operands as one stream: reads up to n bytes, moving to the next file
 * at the end of one; 0 at the end of the last. */
typedef struct {
    shctx *sh;
    char **files;
    int nfiles, next;
    sh_stream *cur;
    bool failed;
} inputs;

static ssize_t read_inputs(inputs *in, unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (!in->cur) {
            if (in->next >= in->nfiles)
                break;
            in->cur = sh_input(in->sh, in->files[in->next++]);
            if (!in->cur) {
                in->failed = true;
                continue;
            }
        }
        ssize_t r = sh_read(in->cur, p + got, n - got);
        if (r < 0) {
            sh_errno(in->sh, errno, "%s", sh_quote_maybe(in->sh, in->files[in->next - 1]));
            in->failed = true;
        }
        if (r <= 0) {
            sh_input_close(in->sh, in->cur);
            in->cur = NULL;
            continue;
        }
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static bool parse_bytes(shctx *sh, const char *arg, char opt, int64_t *out)
{
    /* GNU takes 0x and 0 prefixes here too */
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 0);
    if (end != arg && !errno && v >= 0 && !*end) {
        *out = v;
        return true;
    }
    if (sh_parse_size(arg, out))
        return true;
    sh_err(sh, "invalid -%c argument %s", opt, sh_quote(sh, arg));
    return false;
}

int util_od(shctx *sh, int argc, char **argv)
{
    enum { O_ENDIAN = 256, O_HELP };
    static const sh_longopt lo[] = {
        {"address-radix", SH_REQ_ARG, 'A'}, {"skip-bytes", SH_REQ_ARG, 'j'}, {"read-bytes", SH_REQ_ARG, 'N'},
        {"format", SH_REQ_ARG, 't'},        {"output-duplicates", SH_NO_ARG, 'v'}, {"width", SH_OPT_ARG, 'w'},
        {"endian", SH_REQ_ARG, O_ENDIAN},   {"help", SH_NO_ARG, O_HELP}, {NULL, 0, 0}};
    odopts o = {.radix = 'o'};
    int64_t skip = 0, limit = -1, width = 16;
    bool all = false, width_given = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "A:j:N:t:vw::abcdfilosx", lo)) != -1) {
        bool ok = true;
        switch (c) {
        case 'A':
            if (strlen(st.arg) != 1 || !strchr("doxn", st.arg[0])) {
                sh_err(sh, "invalid output address radix '%c'; it must be one character from [doxn]", st.arg[0]);
                return 1;
            }
            o.radix = st.arg[0];
            break;
        case 'j': ok = parse_bytes(sh, st.arg, 'j', &skip); break;
        case 'N': ok = parse_bytes(sh, st.arg, 'N', &limit); break;
        case 't': ok = parse_type(sh, &o, st.arg); break;
        case 'v': all = true; break;
        case 'w':
            width_given = true;
            width = 32;
            if (st.arg && (!sh_parse_int(st.arg, &width) || width < 1 || width > 1 << 20)) {
                sh_err(sh, "invalid -w argument %s", sh_quote(sh, st.arg));
                return 1;
            }
            break;
        case 'a': ok = add_spec(sh, &o, 'a', 1, false); break;
        case 'b': ok = add_spec(sh, &o, 'o', 1, false); break;
        case 'c': ok = add_spec(sh, &o, 'c', 1, false); break;
        case 'd': ok = add_spec(sh, &o, 'u', 2, false); break;
        case 'f': ok = add_spec(sh, &o, 'f', 4, false); break;
        case 'i': ok = add_spec(sh, &o, 'd', 4, false); break;
        case 'l': ok = add_spec(sh, &o, 'd', 8, false); break;
        case 'o': ok = add_spec(sh, &o, 'o', 2, false); break;
        case 's': ok = add_spec(sh, &o, 'd', 2, false); break;
        case 'x': ok = add_spec(sh, &o, 'x', 2, false); break;
        case O_ENDIAN:
            if (!strcmp(st.arg, "big") || !strcmp(st.arg, "little")) {
                o.big_endian = st.arg[0] == 'b';
            } else {
                sh_err(sh, "invalid argument %s for '--endian'\nValid arguments are:\n  - 'big'\n  - 'little'",
                       sh_quote(sh, st.arg));
                sh_try_help(sh);
                return 1;
            }
            break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: od [OPTION]... [FILE]...\nWrite an unambiguous representation, octal bytes "
                                   "by default, of FILE to standard output.\n"
                                   "  -A RADIX -j BYTES -N BYTES -t TYPE -v -w[BYTES] --endian=big|little\n"
                                   "  -a -b -c -d -f -i -l -o -s -x\n");
            return 0;
        default:
            return 1;
        }
        if (!ok)
            return 1;
    }
    if (o.n == 0)
        add_spec(sh, &o, 'o', 2, false);
    /* a line holds a whole number of the largest field */
    int lcm = 1;
    for (int k = 0; k < o.n; k++)
        if (o.s[k].size > lcm)
            lcm = o.s[k].size; /* sizes are powers of two: the largest is the lcm */
    if (width % lcm) {
        if (width_given)
            sh_err(sh, "warning: invalid width %lld; using %d instead", (long long)width, lcm);
        width = lcm;
    }
    int line_width = 0;
    for (int k = 0; k < o.n; k++) {
        int w = (o.s[k].width + 1) * (int)(width / o.s[k].size);
        if (w > line_width)
            line_width = w;
    }
    for (int k = 0; k < o.n; k++)
        o.s[k].pad = line_width - o.s[k].width * (int)(width / o.s[k].size);

    char *dash[] = {"-", NULL};
    inputs in = {sh, st.ind < argc ? argv + st.ind : dash, st.ind < argc ? argc - st.ind : 1, 0, NULL, false};
    unsigned char *blk = sh_calloc(2, (size_t)width + 8), *prev = blk + width + 8;
    uint64_t off = 0;
    int status = 0;
    /* -j: read and drop */
    while (skip > 0) {
        size_t want = skip < (int64_t)width ? (size_t)skip : (size_t)width;
        ssize_t r = read_inputs(&in, blk, want);
        if (r <= 0)
            break;
        skip -= r;
        off += (uint64_t)r;
    }
    if (skip > 0) {
        sh_err(sh, "cannot skip past end of combined input");
        free(blk);
        return 1;
    }
    bool have_prev = false, starred = false;
    sh_buf out = {0};
    for (;;) {
        size_t want = (size_t)width;
        if (limit >= 0 && (uint64_t)limit < want)
            want = (size_t)limit;
        ssize_t r = want ? read_inputs(&in, blk, want) : 0;
        if (r <= 0)
            break;
        if (limit >= 0)
            limit -= r;
        memset(blk + r, 0, (size_t)width + 8 - (size_t)r);
        if (!all && have_prev && (size_t)r == (size_t)width && !memcmp(blk, prev, (size_t)width)) {
            if (!starred)
                sh_buf_adds(&out, "*\n");
            starred = true;
        } else {
            format_block(&out, &o, off, blk, (size_t)r, (size_t)width);
            starred = false;
        }
        have_prev = (size_t)r == (size_t)width;
        memcpy(prev, blk, (size_t)width);
        off += (uint64_t)r;
        if (out.len >= 65536) {
            if (!sh_write(sh_stdout(sh), out.data, out.len) || sh_interrupted(sh)) {
                sh_buf_free(&out);
                free(blk);
                if (in.cur)
                    sh_input_close(sh, in.cur);
                return 1;
            }
            out.len = 0;
        }
    }
    if (o.radix != 'n') {
        add_offset(&out, &o, off);
        sh_buf_addc(&out, '\n');
    }
    if (!sh_write(sh_stdout(sh), out.data ? out.data : "", out.len))
        status = 1;
    sh_buf_free(&out);
    free(blk);
    if (in.cur)
        sh_input_close(sh, in.cur);
    return in.failed ? 1 : status;
}
