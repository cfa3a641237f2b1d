/* wc: GNU's. -l -w -c -m -L (default -lwc), one line per file and a
 * total for several. The width of the columns is GNU's: enough for the
 * sum of the regular files' sizes, at least 7 when an input is not a
 * regular file, 1 when only one count of one input is printed. The C
 * locale: -m counts bytes, words are runs of non-space bytes. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t lines, words, bytes, maxlen;
} counts;

enum { C_SPACE = 1, C_PRINT = 2 };

/* How many '\n' bytes s[0..n) holds: 8 bytes a step, the zero bytes of
 * w ^ "\n\n..." counted exactly with a popcount (the byte loop of
 * count_stream costs ~60 wasm instructions a byte, this ~2). */
static int64_t count_newlines(const char *s, size_t n)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, rep = 0x0A0A0A0A0A0A0A0Aull;
    int64_t c = 0;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        w ^= rep;
        /* a byte's high bit is set exactly when the byte is zero */
        c += __builtin_popcountll(~(((w & low7) + low7) | w | low7));
    }
    for (; n; s++, n--)
        c += *s == '\n';
    return c;
}

/* -c, -m and -l need no look at words or columns: bytes are counted by
 * the read, lines with count_newlines. */
static bool count_fast(sh_stream *in, counts *c, bool lines, int *err)
{
    char buf[65536];
    for (;;) {
        ssize_t n = sh_read(in, buf, sizeof buf);
        if (n < 0) {
            *err = errno;
            return false;
        }
        if (n == 0)
            return true;
        c->bytes += n;
        if (lines)
            c->lines += count_newlines(buf, (size_t)n);
    }
}

static bool count_stream(sh_stream *in, counts *c, int *err)
{
    char buf[65536];
    bool inword = false;
    int64_t col = 0;
    unsigned char cls[256];
    for (int i = 0; i < 256; i++)
        cls[i] = (unsigned char)((isspace(i) ? C_SPACE : 0) | (isprint(i) ? C_PRINT : 0));
    for (;;) {
        ssize_t n = sh_read(in, buf, sizeof buf);
        if (n < 0) {
            *err = errno;
            return false;
        }
        if (n == 0)
            break;
        c->bytes += n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n') {
                c->lines++;
                if (col > c->maxlen)
                    c->maxlen = col;
                col = 0;
            } else if (ch == '\t') {
                col += 8 - col % 8;
            } else if (ch == '\r' || ch == '\f') {
                col = 0;
            } else if (cls[ch] & C_PRINT) {
                col++;
            }
            bool space = cls[ch] & C_SPACE;
            if (!space && !inword)
                c->words++;
            inword = !space;
        }
    }
    if (col > c->maxlen)
        c->maxlen = col;
    return true;
}

typedef struct {
    bool l, w, c, m, L;
} which;

static void print_counts(shctx *sh, const counts *c, const which *wh, int width, const char *name)
{
    sh_buf b = {0};
    int64_t v[5] = {c->lines, c->words, c->bytes, c->bytes, c->maxlen};
    bool on[5] = {wh->l, wh->w, wh->m, wh->c, wh->L};
    bool first = true;
    for (int i = 0; i < 5; i++) {
        if (!on[i])
            continue;
        sh_buf_printf(&b, "%s%*lld", first ? "" : " ", width, (long long)v[i]);
        first = false;
    }
    if (name)
        sh_buf_printf(&b, " %s", name);
    sh_buf_addc(&b, '\n');
    sh_write(sh_stdout(sh), b.data, b.len);
    sh_buf_free(&b);
}

int util_wc(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"lines", SH_NO_ARG, 'l'}, {"words", SH_NO_ARG, 'w'},
                                    {"bytes", SH_NO_ARG, 'c'}, {"chars", SH_NO_ARG, 'm'},
                                    {"max-line-length", SH_NO_ARG, 'L'}, {"total", SH_REQ_ARG, 'T'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    which wh = {0};
    const char *total_mode = "auto";
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "lwcmL", lo)) != -1) {
        switch (c) {
        case 'l': wh.l = true; break;
        case 'w': wh.w = true; break;
        case 'c': wh.c = true; break;
        case 'm': wh.m = true; break;
        case 'L': wh.L = true; break;
        case 'T':
            total_mode = st.arg;
            if (strcmp(total_mode, "auto") && strcmp(total_mode, "always") && strcmp(total_mode, "only") &&
                strcmp(total_mode, "never")) {
                sh_err(sh, "invalid argument %s for '--total'", sh_quote(sh, total_mode));
                sh_try_help(sh);
                return 1;
            }
            break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: wc [OPTION]... [FILE]...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (!wh.l && !wh.w && !wh.c && !wh.m && !wh.L)
        wh.l = wh.w = wh.c = true;
    int nfiles = argc - st.ind;
    char *dash[] = {"-", NULL};
    char **files = nfiles ? argv + st.ind : dash;
    bool named = nfiles > 0;
    if (!nfiles)
        nfiles = 1;
    sh_stream **in = sh_calloc((size_t)nfiles, sizeof *in);
    int status = 0;
    /* the width comes from the inputs before any is read */
    int64_t regular_total = 0;
    int min_width = 1;
    for (int i = 0; i < nfiles; i++) {
        in[i] = sh_input(sh, files[i]);
        if (!in[i]) {
            status = 1;
            continue;
        }
        int64_t size;
        if (sh_stream_regular(in[i], &size))
            regular_total += size;
        else
            min_width = 7;
    }
    int width = 1;
    for (int64_t t = regular_total; t >= 10; t /= 10)
        width++;
    if (width < min_width)
        width = min_width;
    int ncounts = wh.l + wh.w + wh.c + wh.m + wh.L;
    if (nfiles == 1 && ncounts == 1)
        width = 1;
    counts total = {0};
    bool only = !strcmp(total_mode, "only");
    for (int i = 0; i < nfiles; i++) {
        if (!in[i])
            continue;
        counts cnt = {0};
        int err = 0;
        bool ok = wh.w || wh.L ? count_stream(in[i], &cnt, &err) : count_fast(in[i], &cnt, wh.l, &err);
        if (!ok) {
            sh_errno(sh, err, "%s", sh_quote_maybe(sh, files[i]));
            status = 1;
        }
        sh_input_close(sh, in[i]);
        total.lines += cnt.lines;
        total.words += cnt.words;
        total.bytes += cnt.bytes;
        if (cnt.maxlen > total.maxlen)
            total.maxlen = cnt.maxlen;
        if (!only)
            print_counts(sh, &cnt, &wh, width, named ? files[i] : NULL);
    }
    bool show_total = !strcmp(total_mode, "always") || only || (!strcmp(total_mode, "auto") && nfiles > 1);
    if (show_total)
        print_counts(sh, &total, &wh, only ? 1 : width, only ? NULL : "total");
    free(in);
    return status;
}
