/* fold: GNU's. Breaks lines longer than WIDTH columns (-w, 80 by default;
 * -N as -w N): a tab moves to the next multiple of 8, a backspace back one
 * column, a carriage return to column 0; -b counts bytes instead; -s breaks
 * after the last blank (space or tab) before the limit when there is one.
 * Bytes are columns, as in GNU's fold (which has no multibyte support). */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t width;
    bool bytes, spaces;
} foldopt;

static size_t adjust_column(const foldopt *o, size_t column, unsigned char c)
{
    if (o->bytes)
        return column + 1;
    if (c == '\b')
        return column > 0 ? column - 1 : 0;
    if (c == '\r')
        return 0;
    if (c == '\t')
        return column + 8 - column % 8;
    return column + 1;
}

/* Without -s nothing is taken back, so output can go straight out: a run
 * of ordinary bytes (one column each) is copied up to the width at once;
 * the rest as GNU's loop does it. */
static bool fold_direct(shctx *sh, sh_stream *in, const foldopt *o, int *rerr)
{
    sh_buf out = {0};
    size_t column = 0;
    bool line_empty = true, ok = true;
    char block[65536];
    ssize_t n;
    while (ok && (n = sh_read(in, block, sizeof block)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)block[i];
            if (c == '\n') {
                sh_buf_addc(&out, '\n');
                column = 0;
                line_empty = true;
                continue;
            }
            bool plain = o->bytes || (c != '\b' && c != '\r' && c != '\t');
            if (plain && column < o->width) {
                ssize_t j = i + 1, room = (ssize_t)(o->width - column);
                while (j < n && j - i < room && block[j] != '\n' &&
                       (o->bytes || (block[j] != '\b' && block[j] != '\r' && block[j] != '\t')))
                    j++;
                sh_buf_add(&out, block + i, (size_t)(j - i));
                column += (size_t)(j - i);
                line_empty = false;
                i = j - 1;
                continue;
            }
            for (;;) {
                column = adjust_column(o, column, c);
                if (column <= o->width || line_empty)
                    break;
                sh_buf_addc(&out, '\n');
                column = 0;
                line_empty = true;
            }
            sh_buf_addc(&out, (char)c);
            line_empty = false;
        }
        if (out.len >= 65536) {
            ok = sh_write(sh_stdout(sh), out.data, out.len);
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

/* One input, byte by byte over blocks; the line being built is in line,
 * finished output in out (written when it grows past 64 KiB). */
static bool fold_stream(shctx *sh, sh_stream *in, const foldopt *o, int *rerr)
{
    if (!o->spaces)
        return fold_direct(sh, in, o, rerr);
    sh_buf line = {0}, out = {0};
    size_t column = 0;
    bool ok = true;
    char block[65536];
    ssize_t n;
    while (ok && (n = sh_read(in, block, sizeof block)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)block[i];
            if (c == '\n') {
                sh_buf_add(&out, line.data ? line.data : "", line.len);
                sh_buf_addc(&out, '\n');
                line.len = 0;
                column = 0;
                continue;
            }
            for (;;) { /* GNU's "rescan": c is placed after a break */
                column = adjust_column(o, column, c);
                if (column <= o->width)
                    break;
                if (o->spaces) {
                    size_t end = line.len;
                    while (end > 0 && !isblank((unsigned char)line.data[end - 1]))
                        end--;
                    if (end > 0) {
                        sh_buf_add(&out, line.data, end);
                        sh_buf_addc(&out, '\n');
                        memmove(line.data, line.data + end, line.len - end);
                        line.len -= end;
                        column = 0;
                        for (size_t k = 0; k < line.len; k++)
                            column = adjust_column(o, column, (unsigned char)line.data[k]);
                        continue;
                    }
                }
                if (line.len == 0) /* a character wider than the line */
                    break;
                sh_buf_add(&out, line.data, line.len);
                sh_buf_addc(&out, '\n');
                line.len = 0;
                column = 0;
            }
            sh_buf_addc(&line, (char)c);
        }
        if (out.len >= 65536) {
            ok = sh_write(sh_stdout(sh), out.data, out.len);
            out.len = 0;
        }
        if (sh_interrupted(sh))
            ok = false;
    }
    if (ok && n < 0) {
        *rerr = errno;
        ok = false;
    }
    if (line.len)
        sh_buf_add(&out, line.data, line.len);
    if (out.len && !sh_write(sh_stdout(sh), out.data, out.len) && ok) {
        ok = false;
    }
    sh_buf_free(&line);
    sh_buf_free(&out);
    return ok;
}

int util_fold(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"bytes", SH_NO_ARG, 'b'}, {"spaces", SH_NO_ARG, 's'},
                                    {"width", SH_REQ_ARG, 'w'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    foldopt o = {80, false, false};
    /* -N is -w N (the old syntax) */
    char **v = sh_calloc((size_t)argc + 1, sizeof *v);
    char **made = sh_calloc((size_t)argc + 1, sizeof *made);
    for (int i = 0; i < argc; i++) {
        v[i] = argv[i];
        if (i > 0 && !strcmp(argv[i], "--"))
            break;
        if (i > 0 && argv[i][0] == '-' && isdigit((unsigned char)argv[i][1])) {
            size_t k = strlen(argv[i]);
            made[i] = sh_malloc(k + 3);
            memcpy(made[i], "-w", 2);
            memcpy(made[i] + 2, argv[i] + 1, k);
            v[i] = made[i];
        }
    }
    for (int i = 0; i < argc; i++)
        if (!v[i])
            v[i] = argv[i];
    int status = 0;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, v, "bsw:", lo)) != -1) {
        switch (c) {
        case 'b': o.bytes = true; break;
        case 's': o.spaces = true; break;
        case 'w': {
            int64_t w;
            bool digits = st.arg[0] != 0 && strspn(st.arg, "0123456789") == strlen(st.arg);
            if (!sh_parse_int(st.arg, &w) || w < 1) {
                /* GNU's three messages: too large, zero, not a number */
                if (digits && !sh_parse_int(st.arg, &w))
                    sh_err(sh, "invalid number of columns: %s: Value too large for defined data type",
                           sh_quote(sh, st.arg));
                else if (digits)
                    sh_err(sh, "invalid number of columns: %s: Numerical result out of range",
                           sh_quote(sh, st.arg));
                else
                    sh_err(sh, "invalid number of columns: %s", sh_quote(sh, st.arg));
                status = 1;
                goto done;
            }
            o.width = (size_t)w;
            break;
        }
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: fold [OPTION]... [FILE]...\n");
            goto done;
        default:
            status = 1;
            goto done;
        }
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
        bool ok = fold_stream(sh, in, &o, &rerr);
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
    for (int i = 0; i < argc; i++)
        free(made[i]);
    free(made);
    free(v);
    return status;
}
