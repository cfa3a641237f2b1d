/* uniq: GNU's. Adjacent equal lines once; -c counts ("%7d "), -d only
 * repeated (one each), -D all repeated, -u only unique, -i without case,
 * -f N skips fields, -s N characters, -w N compares at most N; -z NUL
 * lines; [INPUT [OUTPUT]]. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

typedef struct {
    int64_t skip_fields, skip_chars, width;
    bool icase;
    char delim;
} uopt;

/* The part of a line that is compared. */
static void key(const uopt *o, const char *s, size_t n, const char **k, size_t *kn)
{
    size_t i = 0;
    if (n && s[n - 1] == o->delim)
        n--;
    for (int64_t f = 0; f < o->skip_fields; f++) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        while (i < n && !(s[i] == ' ' || s[i] == '\t'))
            i++;
    }
    i += (size_t)o->skip_chars < n - i ? (size_t)o->skip_chars : n - i;
    size_t len = n - i;
    if (o->width >= 0 && (size_t)o->width < len)
        len = (size_t)o->width;
    *k = s + i;
    *kn = len;
}

static bool same(const uopt *o, const sh_buf *a, const sh_buf *b)
{
    const char *ka, *kb;
    size_t na, nb;
    key(o, a->data, a->len, &ka, &na);
    key(o, b->data, b->len, &kb, &nb);
    if (na != nb)
        return false;
    return o->icase ? strncasecmp(ka, kb, na) == 0 : sh_memcmp(ka, kb, na) == 0;
}

int util_uniq(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"count", SH_NO_ARG, 'c'}, {"repeated", SH_NO_ARG, 'd'},
                                    {"all-repeated", SH_OPT_ARG, 'D'}, {"unique", SH_NO_ARG, 'u'},
                                    {"ignore-case", SH_NO_ARG, 'i'}, {"skip-fields", SH_REQ_ARG, 'f'},
                                    {"skip-chars", SH_REQ_ARG, 's'}, {"check-chars", SH_REQ_ARG, 'w'},
                                    {"zero-terminated", SH_NO_ARG, 'z'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    uopt o = {0, 0, -1, false, '\n'};
    bool count = false, dups = false, alldups = false, uniques = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "cdDuif:s:w:z", lo)) != -1) {
        int64_t v;
        switch (c) {
        case 'c': count = true; break;
        case 'd': dups = true; break;
        case 'D': alldups = true; break;
        case 'u': uniques = true; break;
        case 'i': o.icase = true; break;
        case 'z': o.delim = 0; break;
        case 'f':
        case 's':
        case 'w':
            if (!sh_parse_int(st.arg, &v) || v < 0) {
                sh_err(sh, "%s: invalid number of %s to %s", sh_quote(sh, st.arg),
                       c == 'f' ? "fields" : c == 's' ? "bytes" : "bytes", c == 'w' ? "compare" : "skip");
                return 1;
            }
            if (c == 'f')
                o.skip_fields = v;
            else if (c == 's')
                o.skip_chars = v;
            else
                o.width = v;
            break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n");
            return 0;
        default:
            return 1;
        }
    }
    if (count && alldups) {
        sh_err(sh, "printing all duplicated lines and repeat counts is meaningless");
        sh_try_help(sh);
        return 1;
    }
    int nops = argc - st.ind;
    if (nops > 2) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_try_help(sh);
        return 1;
    }
    sh_stream *in = sh_input(sh, nops >= 1 ? argv[st.ind] : "-");
    if (!in)
        return 1;
    sh_stream *out = sh_stdout(sh);
    sh_stream *opened = NULL;
    if (nops == 2 && strcmp(argv[st.ind + 1], "-")) {
        opened = out = sh_open(sh, argv[st.ind + 1], O_WRONLY | O_CREAT | O_TRUNC);
        if (!out) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, argv[st.ind + 1]));
            sh_input_close(sh, in);
            return 1;
        }
    }
    sh_buf prev = {0}, cur = {0};
    int64_t n = 0;
    int status = 0;
    bool have = false, ok = true;
    for (;;) {
        ssize_t r = sh_getdelim(in, &cur, o.delim);
        if (r < 0) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, nops ? argv[st.ind] : "-"));
            status = 1;
            break;
        }
        bool eof = r == 0;
        if (!eof && cur.data[cur.len - 1] != o.delim)
            sh_buf_addc(&cur, o.delim); /* the last line gets its delimiter */
        if (have && !eof && same(&o, &prev, &cur)) {
            n++;
            if (alldups) {
                if (n == 2)
                    ok = ok && sh_write(out, prev.data, prev.len);
                ok = ok && sh_write(out, cur.data, cur.len);
            }
            continue;
        }
        if (have && !alldups) {
            bool show = (!dups || n > 1) && (!uniques || n == 1);
            if (show) {
                if (count) { /* "%7lld " */
                    char num[32], d[24];
                    size_t k = sh_fmt_u64(d, (uint64_t)n), w = 0;
                    for (; w + k < 7; w++)
                        num[w] = ' ';
                    memcpy(num + w, d, k);
                    num[w + k] = ' ';
                    ok = ok && sh_write(out, num, w + k + 1);
                }
                ok = ok && sh_write(out, prev.data, prev.len);
            }
        }
        if (eof || !ok)
            break;
        sh_buf t = prev;
        prev = cur;
        cur = t;
        n = 1;
        have = true;
    }
    sh_buf_free(&prev);
    sh_buf_free(&cur);
    sh_input_close(sh, in);
    if (opened && !sh_close(opened)) {
        sh_errno(sh, errno, "write error");
        status = 1;
    }
    return ok ? status : 1;
}
