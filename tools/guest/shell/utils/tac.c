/* tac: GNU's. The records of each file in reverse order; a record ends with
 * the separator (-s STRING, newline by default; an empty one is a NUL
 * byte), or begins with it (-b); -r makes the separator a basic regular
 * expression (wasi-libc's regcomp). Each input is read whole (bounded by
 * the run's memory), then written from the end. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t start, len; /* a separator's place in the data */
} sep;

typedef struct {
    sep *v;
    size_t n, cap;
} seps;

static void seps_add(seps *s, size_t start, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = sh_realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n].start = start;
    s->v[s->n].len = len;
    s->n++;
}

/* Every separator, left to right, not overlapping. */
static void find_fixed(const char *d, size_t n, const char *str, size_t slen, seps *out)
{
    size_t i = 0;
    if (slen == 1) {
        const char *p;
        while (i < n && (p = memchr(d + i, str[0], n - i))) {
            seps_add(out, (size_t)(p - d), 1);
            i = (size_t)(p - d) + 1;
        }
        return;
    }
    while (i + slen <= n) {
        const char *p = memchr(d + i, str[0], n - i);
        if (!p || (size_t)(p - d) + slen > n)
            break;
        if (!memcmp(p, str, slen)) {
            seps_add(out, (size_t)(p - d), slen);
            i = (size_t)(p - d) + slen;
        } else {
            i = (size_t)(p - d) + 1;
        }
    }
}

/* The same with a regular expression. regexec stops at a NUL byte, so the
 * search starts again after each one. An empty match separates nothing. */
static void find_regex(shctx *sh, const char *d, size_t n, regex_t *rx, seps *out)
{
    size_t i = 0;
    while (i < n && !sh_interrupted(sh)) {
        regmatch_t m;
        if (regexec(rx, d + i, 1, &m, i > 0 && d[i - 1] != '\n' ? REG_NOTBOL : 0) != 0) {
            const char *z = memchr(d + i, 0, n - i);
            if (!z)
                break;
            i = (size_t)(z - d) + 1;
            continue;
        }
        size_t s = i + (size_t)m.rm_so, e = i + (size_t)m.rm_eo;
        if (e == s) {
            i = s + 1;
            continue;
        }
        seps_add(out, s, e - s);
        i = e;
    }
}

/* Writes the records of d in reverse. */
static bool write_reversed(shctx *sh, const char *d, size_t n, const seps *s, bool before)
{
    sh_stream *out = sh_stdout(sh);
    if (s->n == 0)
        return sh_write(out, d, n);
    if (!before) {
        size_t tail = s->v[s->n - 1].start + s->v[s->n - 1].len;
        if (tail < n && !sh_write(out, d + tail, n - tail))
            return false;
        for (size_t k = s->n; k-- > 0;) {
            size_t from = k ? s->v[k - 1].start + s->v[k - 1].len : 0;
            size_t to = s->v[k].start + s->v[k].len;
            if (!sh_write(out, d + from, to - from))
                return false;
        }
        return true;
    }
    for (size_t k = s->n; k-- > 0;) {
        size_t from = s->v[k].start, to = k + 1 < s->n ? s->v[k + 1].start : n;
        if (!sh_write(out, d + from, to - from))
            return false;
    }
    return s->v[0].start == 0 || sh_write(out, d, s->v[0].start);
}

int util_tac(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"before", SH_NO_ARG, 'b'}, {"regex", SH_NO_ARG, 'r'},
                                    {"separator", SH_REQ_ARG, 's'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    bool before = false, regex = false;
    const char *separator = "\n";
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "brs:", lo)) != -1) {
        switch (c) {
        case 'b': before = true; break;
        case 'r': regex = true; break;
        case 's': separator = st.arg; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: tac [OPTION]... [FILE]...\n");
            return 0;
        default:
            return 1;
        }
    }
    size_t slen = strlen(separator);
    const char *fixed = slen ? separator : "";
    if (slen == 0)
        slen = 1; /* "" is the NUL byte, as GNU's tac takes it */
    regex_t rx;
    if (regex && *separator) {
        int e = regcomp(&rx, separator, 0);
        if (e) {
            char msg[256];
            regerror(e, &rx, msg, sizeof msg);
            sh_err(sh, "%s", msg);
            return 1;
        }
    } else {
        regex = false;
    }
    char *dash[] = {"-", NULL};
    char **files = st.ind < argc ? argv + st.ind : dash;
    int nfiles = st.ind < argc ? argc - st.ind : 1;
    int status = 0;
    for (int i = 0; i < nfiles && !sh_interrupted(sh); i++) {
        sh_stream *in = !strcmp(files[i], "-") ? sh_input(sh, "-") : sh_open(sh, files[i], O_RDONLY);
        if (!in) {
            sh_errno(sh, errno, "failed to open %s for reading", sh_quote(sh, files[i]));
            status = 1;
            continue;
        }
        sh_buf all = {0};
        bool ok = sh_read_all(in, &all, SH_NO_LIMIT);
        int err = errno;
        sh_input_close(sh, in);
        if (!ok) {
            sh_errno(sh, err, "%s: read error", sh_quote_maybe(sh, files[i]));
            sh_buf_free(&all);
            status = 1;
            continue;
        }
        seps s = {0};
        if (regex)
            find_regex(sh, all.data ? all.data : "", all.len, &rx, &s);
        else
            find_fixed(all.data ? all.data : "", all.len, fixed, slen, &s);
        ok = write_reversed(sh, all.data ? all.data : "", all.len, &s, before);
        free(s.v);
        sh_buf_free(&all);
        if (!ok) {
            status = 1;
            break;
        }
    }
    if (regex)
        regfree(&rx);
    return status;
}
