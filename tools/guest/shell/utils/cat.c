/* cat: GNU's, with -n -b -s -E -T -v -A -e -t. "-" and no operand read
 * stdin. Errors: "cat: x: No such file or directory" and status 1, the
 * other files still printed. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    bool number, nonblank, squeeze, ends, tabs, nonprint;
    int64_t line;
    bool at_start; /* the next byte starts a line (numbering carries across files) */
    int blanks;    /* empty lines in a row (for -s) */
} catopt;

static bool plain(const catopt *o)
{
    return !o->number && !o->nonblank && !o->squeeze && !o->ends && !o->tabs && !o->nonprint;
}

static void show_char(sh_buf *b, const catopt *o, unsigned char c)
{
    if (c == '\t' && o->tabs) {
        sh_buf_adds(b, "^I");
        return;
    }
    if (o->nonprint && c != '\t' && c != '\n') {
        if (c >= 128) {
            sh_buf_adds(b, "M-");
            c -= 128;
        }
        if (c < 32) {
            sh_buf_addc(b, '^');
            sh_buf_addc(b, (char)(c + 64));
            return;
        }
        if (c == 127) {
            sh_buf_adds(b, "^?");
            return;
        }
    }
    sh_buf_addc(b, (char)c);
}

static bool cat_lines(shctx *sh, sh_stream *in, catopt *o, int *err)
{
    sh_buf line = {0}, out = {0};
    bool ok = true;
    for (;;) {
        ssize_t n = sh_getdelim(in, &line, '\n');
        if (n < 0) {
            *err = errno;
            ok = false;
            break;
        }
        if (n == 0)
            break;
        bool nl = line.data[n - 1] == '\n';
        size_t body = (size_t)n - nl;
        if (o->squeeze && body == 0 && nl) {
            if (++o->blanks > 1)
                continue;
        } else {
            o->blanks = 0;
        }
        out.len = 0;
        if ((o->nonblank && body > 0) || (o->number && !o->nonblank))
            sh_buf_printf(&out, "%6lld\t", (long long)++o->line);
        for (size_t i = 0; i < body; i++)
            show_char(&out, o, (unsigned char)line.data[i]);
        if (nl) {
            if (o->ends)
                sh_buf_addc(&out, '$');
            sh_buf_addc(&out, '\n');
        }
        if (!sh_write(sh_stdout(sh), out.data, out.len)) {
            ok = false;
            *err = -1;
            break;
        }
    }
    sh_buf_free(&line);
    sh_buf_free(&out);
    return ok;
}

static bool cat_raw(shctx *sh, sh_stream *in, int *err)
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
        if (!sh_write(sh_stdout(sh), buf, (size_t)n)) {
            *err = -1;
            return false;
        }
    }
}

int util_cat(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"number", SH_NO_ARG, 'n'},          {"number-nonblank", SH_NO_ARG, 'b'},
        {"squeeze-blank", SH_NO_ARG, 's'},   {"show-ends", SH_NO_ARG, 'E'},
        {"show-tabs", SH_NO_ARG, 'T'},       {"show-nonprinting", SH_NO_ARG, 'v'},
        {"show-all", SH_NO_ARG, 'A'},        {"help", SH_NO_ARG, 'H'},
        {NULL, 0, 0}};
    catopt o = {0};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "nbsETvAetu", lo)) != -1) {
        switch (c) {
        case 'n': o.number = true; break;
        case 'b': o.nonblank = true; break;
        case 's': o.squeeze = true; break;
        case 'E': o.ends = true; break;
        case 'T': o.tabs = true; break;
        case 'v': o.nonprint = true; break;
        case 'A': o.nonprint = o.ends = o.tabs = true; break;
        case 'e': o.nonprint = o.ends = true; break;
        case 't': o.nonprint = o.tabs = true; break;
        case 'u': break;
        case 'H':
            sh_puts(sh_stdout(sh), "Usage: cat [OPTION]... [FILE]...\nConcatenate FILE(s) to standard output.\n");
            return 0;
        default:
            return 1;
        }
    }
    char *dash[] = {"-", NULL};
    char **files = st.ind < argc ? argv + st.ind : dash;
    int nfiles = st.ind < argc ? argc - st.ind : 1;
    int status = 0;
    for (int i = 0; i < nfiles; i++) {
        const char *f = files[i];
        bool std = !strcmp(f, "-");
        sh_stream *in = std ? sh_stdin(sh) : sh_open(sh, f, O_RDONLY);
        if (!in) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, f));
            status = 1;
            continue;
        }
        int err = 0;
        bool ok = plain(&o) ? cat_raw(sh, in, &err) : cat_lines(sh, in, &o, &err);
        if (!std)
            sh_close(in);
        if (!ok) {
            if (err == -1)
                return 1; /* output failed: the shell reports it */
            sh_errno(sh, err, "%s", sh_quote_maybe(sh, f));
            status = 1;
        }
    }
    return status;
}
