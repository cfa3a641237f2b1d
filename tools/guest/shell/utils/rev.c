/* rev: util-linux's. Each line with its characters in reverse order; a
 * last line without a newline stays without one. "-" is a file name, as in
 * util-linux 2.38. What the sandbox changes: util-linux reverses wide
 * characters and stops at bytes its locale cannot read (the C locale reads
 * no byte above 127); here a valid UTF-8 sequence is kept whole and every
 * other byte is one character, so UTF-8 text and binary bytes reverse too. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at p (1 for any other byte). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t k;
    if (p[0] < 0xc2 || p[0] > 0xf4)
        return 1;
    k = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    if (k > n)
        return 1;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 1;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
        (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
        return 1; /* overlong, surrogate, past U+10FFFF */
    return k;
}

/* s[0..n) reversed into out[0..n). */
static void reverse_chars(const char *s, size_t n, char *out)
{
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_len((const unsigned char *)s + i, n - i);
        memcpy(out + n - i - k, s + i, k);
        i += k;
    }
}

int util_rev(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"help", SH_NO_ARG, 'h'}, {"version", SH_NO_ARG, 'V'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "hV", lo)) != -1) {
        switch (c) {
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: rev [options] [file ...]\n\nReverse lines characterwise.\n");
            return 0;
        case 'V':
            sh_puts(sh_stdout(sh), "rev from util-linux 2.38.1\n");
            return 0;
        default:
            return 1;
        }
    }
    int status = 0;
    sh_buf line = {0}, out = {0};
    int nfiles = argc - st.ind;
    for (int i = 0; i < (nfiles ? nfiles : 1) && !sh_interrupted(sh); i++) {
        const char *name = nfiles ? argv[st.ind + i] : NULL;
        sh_stream *in = name ? sh_open(sh, name, O_RDONLY) : sh_input(sh, "-");
        if (!in) {
            sh_err(sh, "cannot open %s: %s", name, sh_strerror(errno));
            status = 1;
            continue;
        }
        ssize_t n;
        bool ok = true;
        while ((n = sh_getdelim(in, &line, '\n')) > 0) {
            size_t len = (size_t)n - (line.data[n - 1] == '\n');
            sh_buf_reserve(&out, (size_t)n);
            reverse_chars(line.data, len, out.data + out.len);
            out.len += len;
            if (len < (size_t)n)
                out.data[out.len++] = '\n';
            if (out.len >= 65536) {
                ok = sh_write(sh_stdout(sh), out.data, out.len);
                out.len = 0;
                if (!ok)
                    break;
            }
        }
        if (n < 0) {
            sh_err(sh, "%s: %s", name ? name : "stdin", sh_strerror(errno));
            status = 1;
        }
        if (name)
            sh_close(in);
        if (ok && out.len)
            ok = sh_write(sh_stdout(sh), out.data, out.len);
        out.len = 0;
        if (!ok) {
            status = 1;
            break;
        }
    }
    sh_buf_free(&line);
    sh_buf_free(&out);
    return status;
}
