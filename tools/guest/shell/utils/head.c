/* head: GNU's. -n N lines (default 10), -n -N all but the last N, -c N
 * bytes, -c -N all but the last N; -N as -n N; suffixes (1K); -q, -v and
 * "==> FILE <==" headers for several files. It reads no further than it
 * needs: the rest stays in the stream for the next reader. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    bool bytes;
    bool all_but; /* -n -N / -c -N */
    int64_t count;
    char delim;
} headopt;

static bool write_out(shctx *sh, const char *p, size_t n)
{
    return sh_write(sh_stdout(sh), p, n);
}

/* The first count lines or bytes. false: a write failed (*err -1) or a read (*err errno). */
static bool head_first(shctx *sh, sh_stream *in, const headopt *o, int *err)
{
    int64_t left = o->count;
    if (o->bytes) {
        char buf[65536];
        while (left > 0) {
            ssize_t n = sh_read(in, buf, left < (int64_t)sizeof buf ? (size_t)left : sizeof buf);
            if (n < 0) {
                *err = errno;
                return false;
            }
            if (n == 0)
                return true;
            if (!write_out(sh, buf, (size_t)n)) {
                *err = -1;
                return false;
            }
            left -= n;
        }
        return true;
    }
    sh_buf line = {0};
    bool ok = true;
    while (left-- > 0) {
        ssize_t n = sh_getdelim(in, &line, o->delim);
        if (n < 0) {
            *err = errno;
            ok = false;
            break;
        }
        if (n == 0)
            break;
        if (!write_out(sh, line.data, (size_t)n)) {
            *err = -1;
            ok = false;
            break;
        }
    }
    sh_buf_free(&line);
    return ok;
}

/* All but the last count lines or bytes: the input is read whole. */
static bool head_all_but(shctx *sh, sh_stream *in, const headopt *o, int *err)
{
    sh_buf all = {0};
    if (!sh_read_all(in, &all, SH_NO_LIMIT)) {
        *err = errno;
        sh_buf_free(&all);
        return false;
    }
    size_t keep = all.len;
    if (o->bytes) {
        keep = (int64_t)all.len > o->count ? all.len - (size_t)o->count : 0;
    } else {
        /* count lines from the end (a last line without delimiter counts) */
        int64_t n = o->count;
        size_t i = all.len;
        if (n > 0 && i > 0 && all.data[i - 1] != o->delim) {
            while (i > 0 && all.data[i - 1] != o->delim)
                i--;
            n--;
        }
        while (n > 0 && i > 0) {
            i--; /* the delimiter ending this line */
            while (i > 0 && all.data[i - 1] != o->delim)
                i--;
            n--;
        }
        keep = n > 0 ? 0 : i;
    }
    bool ok = write_out(sh, all.data ? all.data : "", keep);
    if (!ok)
        *err = -1;
    sh_buf_free(&all);
    return ok;
}

/* -5 is -n 5 when it comes first (the old syntax) */
static char **old_syntax(shctx *sh, int *argc, char **argv)
{
    if (*argc < 2 || argv[1][0] != '-' || !isdigit((unsigned char)argv[1][1]))
        return NULL;
    char **v = sh_calloc((size_t)*argc + 2, sizeof *v);
    v[0] = argv[0];
    v[1] = "-n";
    v[2] = argv[1] + 1;
    for (int i = 2; i < *argc; i++)
        v[i + 1] = argv[i];
    (*argc)++;
    (void)sh;
    return v;
}

int util_head(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"lines", SH_REQ_ARG, 'n'}, {"bytes", SH_REQ_ARG, 'c'},
                                    {"quiet", SH_NO_ARG, 'q'},  {"silent", SH_NO_ARG, 'q'},
                                    {"verbose", SH_NO_ARG, 'v'}, {"zero-terminated", SH_NO_ARG, 'z'},
                                    {"help", SH_NO_ARG, 'h'},   {NULL, 0, 0}};
    char **conv = old_syntax(sh, &argc, argv);
    if (conv)
        argv = conv;
    headopt o = {false, false, 10, '\n'};
    int verbose = -1;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 0;
    while ((c = sh_getopt(sh, &st, argc, argv, "n:c:qvz0123456789", lo)) != -1) {
        switch (c) {
        case 'n':
        case 'c': {
            const char *a = st.arg;
            o.bytes = c == 'c';
            o.all_but = a[0] == '-';
            if (!sh_parse_size(a + (a[0] == '-' || a[0] == '+'), &o.count)) {
                if (o.count == INT64_MAX) /* too large: as good as "all" */
                    break;
                sh_err(sh, "invalid number of %s: %s", o.bytes ? "bytes" : "lines", sh_quote(sh, a));
                free(conv);
                return 1;
            }
            break;
        }
        case 'q': verbose = 0; break;
        case 'v': verbose = 1; break;
        case 'z': o.delim = 0; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: head [OPTION]... [FILE]...\n");
            free(conv);
            return 0;
        default:
            free(conv);
            return 1;
        }
    }
    char *dash[] = {"-", NULL};
    char **files = st.ind < argc ? argv + st.ind : dash;
    int nfiles = st.ind < argc ? argc - st.ind : 1;
    bool headers = verbose == 1 || (verbose == -1 && nfiles > 1);
    bool first = true;
    for (int i = 0; i < nfiles; i++) {
        const char *f = files[i];
        bool std = !strcmp(f, "-");
        sh_stream *in = std ? sh_stdin(sh) : sh_open(sh, f, O_RDONLY);
        if (!in) {
            sh_errno(sh, errno, "cannot open %s for reading", sh_quote(sh, f));
            status = 1;
            continue;
        }
        if (headers) {
            sh_buf h = {0};
            sh_buf_printf(&h, "%s==> %s <==\n", first ? "" : "\n", std ? "standard input" : f);
            write_out(sh, h.data, h.len);
            sh_buf_free(&h);
        }
        first = false;
        int err = 0;
        bool ok = o.all_but ? head_all_but(sh, in, &o, &err) : head_first(sh, in, &o, &err);
        if (!std)
            sh_close(in);
        if (!ok) {
            if (err == -1)
                break;
            sh_errno(sh, err, "error reading %s", sh_quote(sh, f));
            status = 1;
        }
    }
    free(conv);
    return status;
}
