/* cmp: GNU diffutils' cmp. FILE1 [FILE2 [SKIP1 [SKIP2]]] ("-" or no
 * FILE2 is stdin): "a b differ: byte N, line M" at the first difference,
 * -l every differing byte (offset, octal, octal), -b the bytes as well,
 * (GNU says "char" in the C locale, "byte" with -b), -s nothing (the status says), -n N at most N bytes, -i SKIP[:SKIP2]
 * bytes skipped first (1K and the like allowed). "cmp: EOF on a after byte
 * N, line M" when one is a prefix of the other. Exit 0 same, 1 different,
 * 2 trouble. Reads both in large blocks. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

enum { CMP_FIRST, CMP_ALL, CMP_SILENT };

typedef struct {
    sh_stream *s;
    const char *name;
    char *buf;
    size_t len, pos;
    bool eof;
} cmpin;

#define CMP_BLOCK 65536

/* Makes bytes available; false at end of input or on error (*err). */
static bool fill(cmpin *f, int *err)
{
    if (f->pos < f->len)
        return true;
    if (f->eof)
        return false;
    ssize_t n = sh_read(f->s, f->buf, CMP_BLOCK);
    if (n < 0) {
        *err = errno;
        f->eof = true;
        return false;
    }
    f->len = (size_t)n;
    f->pos = 0;
    f->eof = n == 0;
    return n > 0;
}

static bool skip(cmpin *f, int64_t n, int *err)
{
    while (n > 0 && fill(f, err)) {
        size_t k = f->len - f->pos;
        if ((int64_t)k > n)
            k = (size_t)n;
        f->pos += k;
        n -= (int64_t)k;
    }
    return !*err;
}

/* A byte as cat -v shows it (-b). */
static void show_byte(char *out, unsigned char c)
{
    size_t n = 0;
    if (c >= 128) {
        out[n++] = 'M';
        out[n++] = '-';
        c -= 128;
    }
    if (c < 32) {
        out[n++] = '^';
        out[n++] = (char)(c + 64);
    } else if (c == 127) {
        out[n++] = '^';
        out[n++] = '?';
    } else {
        out[n++] = (char)c;
    }
    out[n] = 0;
}

static bool parse_skip(shctx *sh, const char *s, int64_t *a, int64_t *b)
{
    const char *colon = strchr(s, ':');
    char first[64];
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    if (n >= sizeof first)
        n = sizeof first - 1;
    memcpy(first, s, n);
    first[n] = 0;
    bool ok = sh_parse_size(first, a);
    if (ok)
        ok = colon ? sh_parse_size(colon + 1, b) : (*b = *a, true);
    if (!ok) {
        sh_err(sh, "invalid --ignore-initial value %s", sh_quote(sh, s));
        sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
        sh_try_help(sh);
    }
    return ok;
}

int util_cmp(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"print-bytes", SH_NO_ARG, 'b'}, {"ignore-initial", SH_REQ_ARG, 'i'},
                                    {"verbose", SH_NO_ARG, 'l'}, {"bytes", SH_REQ_ARG, 'n'},
                                    {"quiet", SH_NO_ARG, 's'}, {"silent", SH_NO_ARG, 's'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    int mode = CMP_FIRST;
    bool bytes = false, list = false;
    int64_t limit = INT64_MAX, skip_a = 0, skip_b = 0;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "bi:ln:s", lo)) != -1) {
        switch (c) {
        case 'b': bytes = true; break;
        case 'l': list = true; break;
        case 's': mode = CMP_SILENT; break;
        case 'i': { /* given twice, the larger counts (as in GNU) */
            int64_t a, b;
            if (!parse_skip(sh, st.arg, &a, &b))
                return 2;
            skip_a = a > skip_a ? a : skip_a;
            skip_b = b > skip_b ? b : skip_b;
            break;
        }
        case 'n':
            if (!sh_parse_size(st.arg, &limit)) {
                sh_err(sh, "invalid --bytes value %s", sh_quote(sh, st.arg));
                sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
                sh_try_help(sh);
                return 2;
            }
            break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]\n");
            return 0;
        default:
            return 2;
        }
    }
    if (mode == CMP_SILENT && list) {
        sh_err(sh, "options -l and -s are incompatible");
        sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
        sh_try_help(sh);
        return 2;
    }
    if (list)
        mode = CMP_ALL;
    int nops = argc - st.ind;
    if (nops < 1) {
        sh_err(sh, "missing operand after %s", sh_quote(sh, argv[argc - 1]));
        sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
        sh_try_help(sh);
        return 2;
    }
    /* the skips are read before an operand too many is noticed, as in GNU */
    for (int k = 2; k < nops && k < 4; k++) {
        int64_t v;
        if (!sh_parse_size(argv[st.ind + k], &v)) {
            sh_err(sh, "invalid --ignore-initial value %s", sh_quote(sh, argv[st.ind + k]));
            sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
            sh_try_help(sh);
            return 2;
        }
        if (k == 2)
            skip_a = v;
        else
            skip_b = v;
    }
    if (nops > 4) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 4]));
        sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
        sh_try_help(sh);
        return 2;
    }
    cmpin f[2] = {{NULL, argv[st.ind], NULL, 0, 0, false},
                  {NULL, nops >= 2 ? argv[st.ind + 1] : "-", NULL, 0, 0, false}};
    for (int k = 0; k < 2; k++) {
        f[k].s = strcmp(f[k].name, "-") ? sh_open(sh, f[k].name, O_RDONLY) : sh_stdin(sh);
        if (!f[k].s) {
            if (mode != CMP_SILENT)
                sh_errno(sh, errno, "%s", f[k].name);
            if (k == 1 && strcmp(f[0].name, "-"))
                sh_close(f[0].s);
            return 2;
        }
    }
    /* -l's offsets are as wide as the largest one can be */
    int width = 1;
    if (mode == CMP_ALL) {
        int64_t max = limit, size[2];
        for (int k = 0; k < 2; k++)
            if (sh_stream_regular(f[k].s, &size[k])) {
                int64_t left = size[k] - (k ? skip_b : skip_a);
                max = left < 0 ? 0 : left < max ? left : max;
            }
        for (; max >= 10; max /= 10)
            width++;
    }
    int err = 0, status = 0;
    f[0].buf = sh_malloc(CMP_BLOCK);
    f[1].buf = sh_malloc(CMP_BLOCK);
    skip(&f[0], skip_a, &err);
    if (!err)
        skip(&f[1], skip_b, &err);
    int64_t offset = 0, line = 1;
    bool last_nl = false, ok = true;
    int ended = -1; /* which one ended first */
    sh_stream *out = sh_stdout(sh);
    while (!err && offset < limit && ok && !sh_interrupted(sh)) {
        bool h0 = fill(&f[0], &err), h1 = !err && fill(&f[1], &err);
        if (err)
            break;
        if (!h0 || !h1) {
            ended = !h0 && !h1 ? -1 : !h0 ? 0 : 1;
            break;
        }
        size_t n = f[0].len - f[0].pos;
        if (f[1].len - f[1].pos < n)
            n = f[1].len - f[1].pos;
        if ((int64_t)n > limit - offset)
            n = (size_t)(limit - offset);
        const unsigned char *a = (const unsigned char *)f[0].buf + f[0].pos,
                            *b = (const unsigned char *)f[1].buf + f[1].pos;
        size_t i = 0;
        while (i < n) {
            /* the equal stretch, its newlines counted */
            size_t j = i;
            if (mode == CMP_FIRST) {
                while (j < n && a[j] == b[j])
                    j++;
                for (const unsigned char *p = a + i; (p = memchr(p, '\n', (size_t)(a + j - p)));) {
                    line++;
                    p++;
                }
            } else {
                while (j < n && a[j] == b[j])
                    j++;
            }
            if (j > i)
                last_nl = a[j - 1] == '\n';
            offset += (int64_t)(j - i);
            i = j;
            if (i == n)
                break;
            /* a difference */
            status = 1;
            offset++;
            if (mode == CMP_SILENT) {
                ok = false;
                break;
            }
            char sa[8], sb[8];
            show_byte(sa, a[i]);
            show_byte(sb, b[i]);
            if (mode == CMP_FIRST) {
                if (bytes)
                    ok = sh_printf(out, "%s %s differ: byte %lld, line %lld is %3o %s %3o %s\n", f[0].name, f[1].name,
                                   (long long)offset, (long long)line, a[i], sa, b[i], sb);
                else
                    ok = sh_printf(out, "%s %s differ: char %lld, line %lld\n", f[0].name, f[1].name,
                                   (long long)offset, (long long)line);
                ok = false; /* done */
                break;
            }
            if (bytes)
                ok = sh_printf(out, "%*lld %3o %-4s %3o %s\n", width, (long long)offset, a[i], sa, b[i], sb);
            else
                ok = sh_printf(out, "%*lld %3o %3o\n", width, (long long)offset, a[i], b[i]);
            last_nl = a[i] == '\n' && b[i] == '\n';
            i++;
            if (!ok)
                break;
        }
        f[0].pos += i;
        f[1].pos += i;
    }
    if (err) {
        sh_errno(sh, err, "%s", f[0].eof && f[0].len == 0 ? f[1].name : f[0].name);
        status = 2;
    } else if (ended >= 0 && offset < limit && (status == 0 || mode == CMP_ALL)) {
        /* one is a prefix of the other */
        if (mode != CMP_SILENT) {
            sh_flush(out);
            const char *name = f[ended].name;
            if (offset == 0)
                sh_err(sh, "EOF on %s which is empty", name);
            else if (mode == CMP_ALL)
                sh_err(sh, "EOF on %s after byte %lld", name, (long long)offset);
            else if (last_nl)
                sh_err(sh, "EOF on %s after byte %lld, line %lld", name, (long long)offset, (long long)line - 1);
            else
                sh_err(sh, "EOF on %s after byte %lld, in line %lld", name, (long long)offset, (long long)line);
        }
        status = 1;
    }
    for (int k = 0; k < 2; k++) {
        free(f[k].buf);
        if (strcmp(f[k].name, "-"))
            sh_close(f[k].s);
    }
    return status;
}
