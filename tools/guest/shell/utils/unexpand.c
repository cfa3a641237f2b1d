/* unexpand: GNU's. Blanks to tabs: by default only the blanks at the start
 * of a line, -a all of them (a single space before a stop stays a space),
 * --first-only only the leading ones even with -t; -t N / -t LIST as in
 * expand (and implies -a), -N as -t N. Bytes are columns. */
#include "../shell.h"
#include "../tabstops.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t column, next_tab;
    size_t index;
    bool convert, prev_blank, one_blank_before_stop;
    sh_buf pending; /* blanks not written yet */
} line_state;

static void line_start(line_state *l)
{
    l->column = l->next_tab = 0;
    l->index = 0;
    l->convert = l->prev_blank = true;
    l->one_blank_before_stop = false;
    l->pending.len = 0;
}

/* GNU's unexpand loop for one byte; output into out. false: a line too long. */
static bool unexpand_byte(shctx *sh, line_state *l, const tabstops *t, bool all, char c, sh_buf *out)
{
    if (l->convert) {
        bool blank = isblank((unsigned char)c);
        if (blank) {
            bool last;
            l->next_tab = tabstops_next(t, l->column, &l->index, &last);
            if (last)
                l->convert = false;
            if (l->convert) {
                if (l->next_tab < l->column) {
                    sh_err(sh, "input line is too long");
                    return false;
                }
                if (c == '\t') {
                    l->column = l->next_tab;
                    if (l->pending.len)
                        l->pending.data[0] = '\t';
                } else {
                    l->column++;
                    if (!(l->prev_blank && l->column == l->next_tab)) {
                        /* not yet time to convert: keep the blank */
                        if (l->column == l->next_tab)
                            l->one_blank_before_stop = true;
                        sh_buf_addc(&l->pending, c);
                        l->prev_blank = true;
                        return true;
                    }
                    /* the pending blanks become one tab */
                    sh_buf_reserve(&l->pending, 1);
                    l->pending.data[0] = c = '\t';
                }
                /* drop them, unless one blank was just before the stop */
                l->pending.len = l->one_blank_before_stop;
            }
        } else if (c == '\b') {
            l->column -= l->column > 0;
            l->next_tab = l->column;
            l->index -= l->index > 0;
        } else {
            l->column++;
        }
        if (l->pending.len) {
            if (l->pending.len > 1 && l->one_blank_before_stop)
                l->pending.data[0] = '\t';
            sh_buf_add(out, l->pending.data, l->pending.len);
            l->pending.len = 0;
            l->one_blank_before_stop = false;
        }
        l->prev_blank = blank;
        l->convert = l->convert && (all || blank);
    }
    sh_buf_addc(out, c);
    if (c == '\n')
        line_start(l);
    return true;
}

static bool unexpand_stream(shctx *sh, sh_stream *in, const tabstops *t, bool all, line_state *l, int *rerr)
{
    sh_buf out = {0};
    char block[65536];
    bool ok = true;
    ssize_t n;
    while (ok && (n = sh_read(in, block, sizeof block)) > 0) {
        for (ssize_t i = 0; i < n && ok; i++) {
            char c = block[i];
            if (c != '\n' && c != '\b' && c != ' ' && c != '\t') {
                /* a run of other bytes: what unexpand_byte does to each, at once
                 * (blanks in the C locale are space and tab) */
                ssize_t j = i + 1;
                while (j < n && block[j] != '\n' && block[j] != '\b' && block[j] != ' ' && block[j] != '\t')
                    j++;
                if (l->convert) {
                    l->column += (uint64_t)(j - i);
                    if (l->pending.len) {
                        if (l->pending.len > 1 && l->one_blank_before_stop)
                            l->pending.data[0] = '\t';
                        sh_buf_add(&out, l->pending.data, l->pending.len);
                        l->pending.len = 0;
                        l->one_blank_before_stop = false;
                    }
                    l->prev_blank = false;
                    l->convert = all;
                }
                sh_buf_add(&out, block + i, (size_t)(j - i));
                i = j - 1;
                continue;
            }
            ok = unexpand_byte(sh, l, t, all, c, &out);
        }
        if (out.len >= 65536) {
            ok = ok && sh_write(sh_stdout(sh), out.data, out.len);
            out.len = 0;
        }
        if (sh_interrupted(sh))
            ok = false;
    }
    if (ok && n < 0) {
        *rerr = errno;
        ok = false;
    }
    if (out.len && !sh_write(sh_stdout(sh), out.data, out.len))
        ok = false;
    sh_buf_free(&out);
    return ok;
}

int util_unexpand(shctx *sh, int argc, char **argv)
{
    enum { FIRST_ONLY = 256 };
    static const sh_longopt lo[] = {{"all", SH_NO_ARG, 'a'}, {"first-only", SH_NO_ARG, FIRST_ONLY},
                                    {"tabs", SH_REQ_ARG, 't'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    tabstops t = {0};
    bool all = false, first_only = false;
    int status = 0;
    line_state l = {0};
    /* -N is -t N (without -a): its spec is taken here, and the argument dropped */
    char **v = sh_calloc((size_t)argc + 1, sizeof *v);
    int vc = 0;
    bool dashdash = false;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && !dashdash && argv[i][0] == '-' && isdigit((unsigned char)argv[i][1])) {
            if (!tabstops_parse(sh, &t, argv[i] + 1)) {
                status = 1;
                goto done;
            }
            continue;
        }
        dashdash = dashdash || (i > 0 && !strcmp(argv[i], "--"));
        v[vc++] = argv[i];
    }
    argc = vc;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, v, "at:", lo)) != -1) {
        switch (c) {
        case 'a': all = true; break;
        case FIRST_ONLY: first_only = true; break;
        case 't':
            all = true;
            if (!tabstops_parse(sh, &t, st.arg)) {
                status = 1;
                goto done;
            }
            break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: unexpand [OPTION]... [FILE]...\n");
            goto done;
        default:
            status = 1;
            goto done;
        }
    }
    if (first_only)
        all = false;
    if (!tabstops_finish(sh, &t)) {
        status = 1;
        goto done;
    }
    /* GNU reads its files as one stream: a line may go on into the next file */
    line_start(&l);
    int nfiles = argc - st.ind;
    for (int i = 0; i < (nfiles ? nfiles : 1) && !sh_interrupted(sh); i++) {
        const char *name = nfiles ? v[st.ind + i] : "-";
        sh_stream *in = sh_input(sh, name);
        if (!in) {
            status = 1;
            continue;
        }
        int rerr = 0;
        bool ok = unexpand_stream(sh, in, &t, all, &l, &rerr);
        sh_input_close(sh, in);
        if (rerr) {
            sh_errno(sh, rerr, "%s", sh_quote_maybe(sh, name));
            status = 1;
        } else if (!ok) {
            status = 1;
            break;
        }
    }
    if (l.pending.len && !sh_interrupted(sh))
        sh_write(sh_stdout(sh), l.pending.data, l.pending.len);
done:
    sh_buf_free(&l.pending);
    tabstops_free(&t);
    free(v);
    return status;
}
