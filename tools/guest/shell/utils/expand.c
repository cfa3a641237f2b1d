/* expand: GNU's. Tabs to spaces: -t N (every N columns), -t LIST (stops
 * "2,6,9", then "/N" every multiple of N or "+N" every N more; past the
 * last stop a tab is one space), -N as -t N, -i only blanks at the start
 * of a line. A backspace moves back one column. Bytes are columns. */
#include "../shell.h"
#include "../tabstops.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool expand_stream(shctx *sh, sh_stream *in, const tabstops *t, bool initial, int *rerr)
{
    sh_buf out = {0};
    char block[65536];
    uint64_t column = 0;
    size_t index = 0;
    bool convert = true, ok = true;
    ssize_t n;
    while (ok && (n = sh_read(in, block, sizeof block)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            char c = block[i];
            if (c != '\t' && c != '\b' && c != '\n') {
                /* a run of ordinary bytes: one column each, copied at once */
                ssize_t j = i + 1;
                while (j < n && block[j] != '\t' && block[j] != '\b' && block[j] != '\n')
                    j++;
                if (convert) {
                    column += (uint64_t)(j - i);
                    if (initial) /* -i: converting stops at the first non-blank */
                        for (ssize_t k = i; k < j && convert; k++)
                            convert = isblank((unsigned char)block[k]);
                }
                sh_buf_add(&out, block + i, (size_t)(j - i));
                i = j - 1;
                continue;
            }
            if (convert) {
                if (c == '\t') {
                    bool last;
                    uint64_t next = tabstops_next(t, column, &index, &last);
                    if (last)
                        next = column + 1;
                    if (next < column || next - column > SH_NO_LIMIT / 2) {
                        sh_err(sh, "input line is too long");
                        ok = false;
                        break;
                    }
                    sh_buf_reserve(&out, (size_t)(next - column));
                    memset(out.data + out.len, ' ', (size_t)(next - column) - 1);
                    out.len += (size_t)(next - column) - 1;
                    column = next;
                    c = ' ';
                } else if (c == '\b') {
                    column -= column > 0;
                    index -= index > 0;
                } else {
                    column++;
                }
                convert = !initial || isblank((unsigned char)c);
            }
            sh_buf_addc(&out, c);
            if (c == '\n') {
                column = 0;
                index = 0;
                convert = true;
            }
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

int util_expand(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"initial", SH_NO_ARG, 'i'}, {"tabs", SH_REQ_ARG, 't'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    tabstops t = {0};
    bool initial = false;
    int status = 0;
    /* -N is -t N: its spec is taken here, and the argument dropped */
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
    while ((c = sh_getopt(sh, &st, argc, v, "it:", lo)) != -1) {
        switch (c) {
        case 'i': initial = true; break;
        case 't':
            if (!tabstops_parse(sh, &t, st.arg)) {
                status = 1;
                goto done;
            }
            break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: expand [OPTION]... [FILE]...\n");
            goto done;
        default:
            status = 1;
            goto done;
        }
    }
    if (!tabstops_finish(sh, &t)) {
        status = 1;
        goto done;
    }
    int nfiles = argc - st.ind;
    for (int i = 0; i < (nfiles ? nfiles : 1) && !sh_interrupted(sh); i++) {
        const char *name = nfiles ? v[st.ind + i] : "-";
        sh_stream *in = sh_input(sh, name);
        if (!in) {
            status = 1;
            continue;
        }
        int rerr = 0;
        bool ok = expand_stream(sh, in, &t, initial, &rerr);
        sh_input_close(sh, in);
        if (rerr) {
            sh_errno(sh, rerr, "%s", sh_quote_maybe(sh, name));
            status = 1;
        } else if (!ok) {
            status = 1;
            break;
        }
    }
done:
    tabstops_free(&t);
    free(v);
    return status;
}
