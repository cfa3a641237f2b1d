/* comm: GNU's. Two sorted files, line by line: lines only in the first,
 * only in the second, in both, in three columns; -1 -2 -3 leave a column
 * out, --output-delimiter=STR, --total, -z (NUL-ended lines),
 * --check-order / --nocheck-order. By default input found unsorted is
 * reported ("comm: file 1 is not in sorted order") once lines that do not
 * pair have been seen, and the status is then 1. Lines compare as bytes
 * (the C locale). */
#include "../shell.h"

#include <errno.h>
#include <string.h>

enum { ORDER_DEFAULT, ORDER_CHECK, ORDER_NONE };

typedef struct {
    sh_stream *s;
    const char *name;
    sh_buf line[3];    /* this line, the one before and the one before that */
    int cur, prev, prev2;
    uint64_t nread;
    bool have;
} commin;

static int compare(const sh_buf *a, const sh_buf *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = sh_memcmp(a->data, b->data, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The next line (its delimiter dropped) into line[cur]; false at the end
 * or on error. */
static bool next_line(commin *f, char delim, int *err)
{
    f->prev2 = f->prev;
    f->prev = f->cur;
    f->cur = (f->cur + 1) % 3;
    sh_buf *l = &f->line[f->cur];
    ssize_t n = sh_getdelim(f->s, l, delim);
    if (n < 0)
        *err = errno;
    if (n <= 0) {
        f->have = false;
        return false;
    }
    if (l->data[l->len - 1] == delim)
        l->data[--l->len] = 0;
    f->have = true;
    f->nread++;
    return true;
}

int util_comm(shctx *sh, int argc, char **argv)
{
    enum { OPT_DELIM = 256, OPT_TOTAL, OPT_CHECK, OPT_NOCHECK, OPT_HELP };
    static const sh_longopt lo[] = {{"output-delimiter", SH_REQ_ARG, OPT_DELIM}, {"total", SH_NO_ARG, OPT_TOTAL},
                                    {"check-order", SH_NO_ARG, OPT_CHECK}, {"nocheck-order", SH_NO_ARG, OPT_NOCHECK},
                                    {"zero-terminated", SH_NO_ARG, 'z'}, {"help", SH_NO_ARG, OPT_HELP},
                                    {NULL, 0, 0}};
    bool show[3] = {true, true, true}, total = false;
    const char *delim = "\t";
    size_t delim_len = 1;
    char eol = '\n';
    int order = ORDER_DEFAULT;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "123z", lo)) != -1) {
        switch (c) {
        case '1': show[0] = false; break;
        case '2': show[1] = false; break;
        case '3': show[2] = false; break;
        case 'z': eol = 0; break;
        case OPT_DELIM:
            delim = st.arg;
            /* an empty delimiter is a NUL, as in GNU */
            delim_len = *st.arg ? strlen(st.arg) : 1;
            break;
        case OPT_TOTAL: total = true; break;
        case OPT_CHECK: order = ORDER_CHECK; break;
        case OPT_NOCHECK: order = ORDER_NONE; break;
        case OPT_HELP:
            sh_puts(sh_stdout(sh), "Usage: comm [OPTION]... FILE1 FILE2\n");
            return 0;
        default:
            return 1;
        }
    }
    int nops = argc - st.ind;
    if (nops != 2) {
        if (nops < 2)
            sh_err(sh, "missing operand after %s", sh_quote(sh, argv[argc - 1]));
        else
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_try_help(sh);
        return 1;
    }
    commin f[2];
    memset(f, 0, sizeof f);
    for (int k = 0; k < 2; k++) {
        f[k].name = argv[st.ind + k];
        f[k].s = sh_input(sh, f[k].name);
        if (!f[k].s) {
            if (k)
                sh_input_close(sh, f[0].s);
            return 1;
        }
    }
    int err = 0, status = 0;
    bool warned[2] = {false, false}, unpaired = false, ok = true;
    int64_t count[3] = {0, 0, 0};
    sh_buf out = {0};
    sh_stream *so = sh_stdout(sh);
    next_line(&f[0], eol, &err);
    next_line(&f[1], eol, &err);
    while ((f[0].have || f[1].have) && !err && ok && !sh_interrupted(sh)) {
        int ord = !f[0].have ? 1 : !f[1].have ? -1 : compare(&f[0].line[f[0].cur], &f[1].line[f[1].cur]);
        int col = ord == 0 ? 2 : ord > 0 ? 1 : 0;
        const sh_buf *l = &f[ord > 0].line[f[ord > 0].cur];
        count[col]++;
        if (ord != 0)
            unpaired = true;
        if (show[col]) {
            for (int k = 0; k < col; k++)
                if (show[k])
                    sh_buf_add(&out, delim, delim_len);
            sh_buf_add(&out, l->data, l->len);
            sh_buf_addc(&out, eol);
            if (out.len >= 65536) {
                ok = sh_write(so, out.data, out.len);
                out.len = 0;
            }
        }
        for (int k = 0; k < 2 && ok; k++) {
            if ((k == 0 && ord > 0) || (k == 1 && ord < 0))
                continue;
            /* the new line against the one before; at the end, the last
             * two again, as lines that do not pair may have been seen
             * since they were read (GNU does the same) */
            const sh_buf *a, *b;
            if (next_line(&f[k], eol, &err)) {
                a = &f[k].line[f[k].prev];
                b = &f[k].line[f[k].cur];
            } else if (f[k].nread >= 2 && !err) {
                a = &f[k].line[f[k].prev2];
                b = &f[k].line[f[k].prev];
            } else {
                continue;
            }
            bool check = order == ORDER_CHECK || (order == ORDER_DEFAULT && unpaired);
            if (check && !warned[k] && compare(a, b) > 0) {
                ok = ok && (!out.len || sh_write(so, out.data, out.len));
                out.len = 0;
                sh_flush(so);
                sh_err(sh, "file %d is not in sorted order", k + 1);
                warned[k] = true;
                if (order == ORDER_CHECK) {
                    status = 1;
                    ok = false;
                }
            }
        }
    }
    if (err) {
        sh_errno(sh, err, "%s", sh_quote_maybe(sh, f[0].have ? f[1].name : f[0].name));
        status = 1;
    }
    if (ok && total && !err) {
        for (int k = 0; k < 3; k++) {
            char num[24];
            sh_buf_add(&out, num, sh_fmt_u64(num, (uint64_t)count[k]));
            sh_buf_add(&out, delim, delim_len);
        }
        sh_buf_adds(&out, "total");
        sh_buf_addc(&out, eol);
    }
    if (out.len && !sh_write(so, out.data, out.len))
        status = 1;
    sh_buf_free(&out);
    if (!err && order == ORDER_DEFAULT && (warned[0] || warned[1])) {
        sh_flush(so);
        sh_err(sh, "input is not in sorted order");
        status = 1;
    }
    for (int k = 0; k < 2; k++) {
        for (int b = 0; b < 3; b++)
            sh_buf_free(&f[k].line[b]);
        sh_input_close(sh, f[k].s);
    }
    return status;
}
