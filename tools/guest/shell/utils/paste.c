/* paste: GNU's. The lines of the files side by side, joined by TAB or the
 * -d LIST delimiters in turn (\n \t \\ \0 and the like; \0 or '' for
 * none); a file that has ended gives empty fields. -s puts each file's
 * lines on one line instead, -z uses NUL-ended lines. "-" is stdin, and
 * "paste - -" reads it two lines at a time. */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The delimiters of -d: each is one byte, or none (\0). delims[i] < 0 is
 * none. false (after GNU's message) on a trailing lone backslash. */
static bool parse_delims(shctx *sh, const char *s, int **out, size_t *n)
{
    size_t len = strlen(s);
    int *d = sh_malloc((len + 1) * sizeof *d);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            d[k++] = (unsigned char)s[i];
            continue;
        }
        if (++i == len) {
            sh_err(sh, "delimiter list ends with an unescaped backslash: %s", s);
            free(d);
            return false;
        }
        switch (s[i]) {
        case 'n': d[k++] = '\n'; break;
        case 't': d[k++] = '\t'; break;
        case 'b': d[k++] = '\b'; break;
        case 'f': d[k++] = '\f'; break;
        case 'r': d[k++] = '\r'; break;
        case 'v': d[k++] = '\v'; break;
        case '0': d[k++] = -1; break;
        default: d[k++] = (unsigned char)s[i]; break;
        }
    }
    if (k == 0)
        d[k++] = -1; /* an empty list: no delimiter */
    *out = d;
    *n = k;
    return true;
}

static void add_delim(sh_buf *b, int d)
{
    if (d >= 0)
        sh_buf_addc(b, (char)d);
}

/* The next line of s without its end; 0 at the end, -1 on error. */
static ssize_t get_line(sh_stream *s, sh_buf *line, char eol)
{
    ssize_t n = sh_getdelim(s, line, eol);
    if (n > 0 && line->data[line->len - 1] == eol)
        line->data[--line->len] = 0;
    return n;
}

static bool flush_if_big(sh_stream *out, sh_buf *b, bool force)
{
    if (b->len && (force || b->len >= 65536)) {
        bool ok = sh_write(out, b->data, b->len);
        b->len = 0;
        return ok;
    }
    return true;
}

int util_paste(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"delimiters", SH_REQ_ARG, 'd'}, {"serial", SH_NO_ARG, 's'},
                                    {"zero-terminated", SH_NO_ARG, 'z'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    const char *dlist = "\t";
    bool serial = false;
    char eol = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "d:sz", lo)) != -1) {
        switch (c) {
        case 'd': dlist = st.arg; break;
        case 's': serial = true; break;
        case 'z': eol = 0; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: paste [OPTION]... [FILE]...\n");
            return 0;
        default:
            return 1;
        }
    }
    int *delims;
    size_t nd;
    if (!parse_delims(sh, dlist, &delims, &nd))
        return 1;
    int nfiles = argc - st.ind;
    char *dash[] = {"-"};
    char **names = nfiles ? argv + st.ind : dash;
    if (!nfiles)
        nfiles = 1;
    sh_stream **in = sh_calloc((size_t)nfiles, sizeof *in);
    int status = 0;
    for (int i = 0; i < nfiles; i++) {
        in[i] = sh_input(sh, names[i]);
        if (!in[i]) {
            status = 1;
            break;
        }
    }
    sh_stream *out = sh_stdout(sh);
    sh_buf row = {0}, line = {0};
    bool ok = true;
    if (status) {
        /* GNU opens every file before it writes anything */
    } else if (serial) {
        for (int i = 0; i < nfiles && ok; i++) {
            size_t d = 0;
            bool first = true;
            ssize_t n;
            while ((n = get_line(in[i], &line, eol)) > 0 && ok) {
                if (!first)
                    add_delim(&row, delims[d++ % nd]);
                first = false;
                sh_buf_add(&row, line.data, line.len);
                ok = flush_if_big(out, &row, false);
            }
            if (n < 0) {
                sh_errno(sh, errno, "%s", names[i]);
                status = 1;
            }
            sh_buf_addc(&row, eol);
        }
    } else {
        bool *ended = sh_calloc((size_t)nfiles, sizeof *ended);
        int open = nfiles;
        while (open > 0 && ok && !sh_interrupted(sh)) {
            size_t start = row.len;
            bool any = false;
            for (int i = 0; i < nfiles; i++) {
                if (i)
                    add_delim(&row, delims[(size_t)(i - 1) % nd]);
                if (ended[i])
                    continue;
                ssize_t n = get_line(in[i], &line, eol);
                if (n < 0) {
                    sh_errno(sh, errno, "%s", names[i]);
                    status = 1;
                }
                if (n <= 0) {
                    ended[i] = true;
                    open--;
                    continue;
                }
                any = true;
                sh_buf_add(&row, line.data, line.len);
            }
            if (!any) {
                row.len = start;
                break;
            }
            sh_buf_addc(&row, eol);
            ok = flush_if_big(out, &row, false);
        }
        free(ended);
    }
    if (ok && !flush_if_big(out, &row, true))
        ok = false;
    for (int i = 0; i < nfiles && in[i]; i++)
        sh_input_close(sh, in[i]);
    free(in);
    free(delims);
    sh_buf_free(&row);
    sh_buf_free(&line);
    return ok ? status : 1;
}
