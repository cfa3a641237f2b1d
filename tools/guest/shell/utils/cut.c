/* cut: GNU's. -b LIST / -c LIST (the same in the C locale) / -f LIST with
 * -d DELIM (default TAB) and -s; LIST is N, N-, N-M, -M, comma separated;
 * --complement, --output-delimiter, -z. A line without the delimiter is
 * printed whole with -f (unless -s). */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t lo, hi; /* 1-based, inclusive; hi SIZE_MAX: to the end */
} range;

typedef struct {
    range *r;
    size_t n;
    bool complement;
} list;

static bool selected(const list *l, size_t i)
{
    bool in = false;
    for (size_t k = 0; k < l->n && !in; k++)
        in = i >= l->r[k].lo && i <= l->r[k].hi;
    return in != l->complement;
}

static int cmp_range(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool parse_list(shctx *sh, const char *s, list *l, bool fields)
{
    const char *p = s;
    while (*p) {
        range r = {1, SIZE_MAX};
        bool have_lo = false, have_hi = false;
        if (isdigit((unsigned char)*p)) {
            r.lo = (size_t)strtoull(p, (char **)&p, 10);
            have_lo = true;
        }
        if (*p == '-') {
            p++;
            if (isdigit((unsigned char)*p)) {
                r.hi = (size_t)strtoull(p, (char **)&p, 10);
                have_hi = true;
            }
            if (!have_lo && !have_hi) {
                sh_err(sh, "invalid range with no endpoint: -");
                return false;
            }
        } else if (have_lo) {
            r.hi = r.lo;
        } else {
            sh_err(sh, "invalid %s value %s", fields ? "field" : "byte/character position", sh_quote(sh, p));
            return false;
        }
        if ((have_lo && r.lo == 0) || (have_hi && r.hi == 0)) {
            sh_err(sh, "%s", fields ? "fields are numbered from 1" : "byte/character positions are numbered from 1");
            return false;
        }
        if (r.hi < r.lo) {
            sh_err(sh, "invalid decreasing range");
            return false;
        }
        if (*p && *p != ',') {
            sh_err(sh, "invalid %s value %s", fields ? "field" : "byte/character position", sh_quote(sh, s));
            return false;
        }
        if (*p)
            p++;
        l->r = sh_realloc(l->r, sizeof *l->r * (l->n + 1));
        l->r[l->n++] = r;
    }
    if (!l->n) {
        sh_err(sh, "%s", fields ? "fields are numbered from 1" : "byte/character positions are numbered from 1");
        return false;
    }
    qsort(l->r, l->n, sizeof *l->r, cmp_range);
    return true;
}

int util_cut(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"bytes", SH_REQ_ARG, 'b'}, {"characters", SH_REQ_ARG, 'c'},
                                    {"fields", SH_REQ_ARG, 'f'}, {"delimiter", SH_REQ_ARG, 'd'},
                                    {"only-delimited", SH_NO_ARG, 's'}, {"complement", SH_NO_ARG, 'C'},
                                    {"output-delimiter", SH_REQ_ARG, 'O'}, {"zero-terminated", SH_NO_ARG, 'z'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    const char *spec = NULL, *outdelim = NULL;
    char mode = 0, delim = '\t', eol = '\n';
    bool delim_given = false, only = false, complement = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "b:c:f:d:snz", lo)) != -1) {
        switch (c) {
        case 'b':
        case 'c':
        case 'f':
            if (mode) {
                sh_err(sh, "only one list may be specified");
                sh_try_help(sh);
                return 1;
            }
            mode = (char)c;
            spec = st.arg;
            break;
        case 'd':
            if (strlen(st.arg) > 1) {
                sh_err(sh, "the delimiter must be a single character");
                sh_try_help(sh);
                return 1;
            }
            delim = st.arg[0];
            delim_given = true;
            break;
        case 's': only = true; break;
        case 'n': break;
        case 'C': complement = true; break;
        case 'O': outdelim = st.arg; break;
        case 'z': eol = 0; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: cut OPTION... [FILE]...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (!mode) {
        sh_err(sh, "you must specify a list of bytes, characters, or fields");
        sh_try_help(sh);
        return 1;
    }
    if (mode != 'f' && (delim_given || only)) {
        sh_err(sh, "%s", delim_given ? "an input delimiter may be specified only when operating on fields"
                                     : "suppressing non-delimited lines makes sense\n\tonly when operating on fields");
        sh_try_help(sh);
        return 1;
    }
    list l = {NULL, 0, complement};
    if (!parse_list(sh, spec, &l, mode == 'f')) {
        sh_try_help(sh);
        free(l.r);
        return 1;
    }
    char dstr[2] = {delim, 0};
    const char *od = outdelim ? outdelim : (mode == 'f' ? dstr : NULL);
    char *dash[] = {"-", NULL};
    char **files = st.ind < argc ? argv + st.ind : dash;
    int nfiles = st.ind < argc ? argc - st.ind : 1;
    int status = 0;
    sh_buf ln = {0}, out = {0};
    for (int i = 0; i < nfiles; i++) {
        sh_stream *in = sh_input(sh, files[i]);
        if (!in) {
            status = 1;
            continue;
        }
        for (;;) {
            ssize_t n = sh_getdelim(in, &ln, eol);
            if (n <= 0) {
                if (n < 0) {
                    sh_errno(sh, errno, "%s", sh_quote_maybe(sh, files[i]));
                    status = 1;
                }
                break;
            }
            size_t len = (size_t)n - (ln.data[n - 1] == eol);
            out.len = 0;
            if (mode == 'f') {
                if (!memchr(ln.data, delim, len)) {
                    if (!only) {
                        sh_buf_add(&out, ln.data, len);
                        sh_buf_addc(&out, eol);
                    }
                } else {
                    size_t field = 1, s = 0;
                    bool any = false;
                    for (size_t k = 0; k <= len; k++) {
                        if (k < len && ln.data[k] != delim)
                            continue;
                        if (selected(&l, field)) {
                            if (any)
                                sh_buf_adds(&out, od);
                            sh_buf_add(&out, ln.data + s, k - s);
                            any = true;
                        }
                        field++;
                        s = k + 1;
                    }
                    sh_buf_addc(&out, eol);
                }
            } else {
                bool prev = false;
                for (size_t k = 0; k < len; k++) {
                    bool sel = selected(&l, k + 1);
                    if (sel && od && !prev && out.len)
                        sh_buf_adds(&out, od);
                    if (sel)
                        sh_buf_addc(&out, ln.data[k]);
                    prev = sel;
                }
                sh_buf_addc(&out, eol);
            }
            if (!sh_write(sh_stdout(sh), out.data, out.len)) {
                sh_input_close(sh, in);
                status = 1;
                goto done;
            }
        }
        sh_input_close(sh, in);
    }
done:
    sh_buf_free(&ln);
    sh_buf_free(&out);
    free(l.r);
    return status;
}
