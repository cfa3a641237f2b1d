/* tail: GNU's. -n N the last N lines (default 10), -n +N from line N on,
 * -c N / -c +N the same in bytes, -N and +N as the old syntax, -q, -v and
 * headers. -f/-F cannot follow anything in the sandbox (nothing else runs
 * while tail waits): the end is printed and tail says so. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    bool bytes;
    bool from_start; /* +N */
    int64_t count;
    char delim;
} tailopt;

static bool tail_stream(shctx *sh, sh_stream *in, const tailopt *o, int *err)
{
    sh_buf all = {0};
    if (o->from_start) {
        /* skip count-1 units, copy the rest as it comes */
        int64_t skip = o->count > 0 ? o->count - 1 : 0;
        char buf[65536];
        if (!o->bytes) {
            sh_buf line = {0};
            while (skip > 0) {
                ssize_t n = sh_getdelim(in, &line, o->delim);
                if (n < 0) {
                    *err = errno;
                    sh_buf_free(&line);
                    return false;
                }
                if (n == 0)
                    break;
                skip--;
            }
            sh_buf_free(&line);
        }
        for (;;) {
            ssize_t n = sh_read(in, buf, sizeof buf);
            if (n < 0) {
                *err = errno;
                return false;
            }
            if (n == 0)
                return true;
            size_t from = 0;
            if (o->bytes && skip > 0) {
                from = skip < n ? (size_t)skip : (size_t)n;
                skip -= (int64_t)from;
            }
            if (!sh_write(sh_stdout(sh), buf + from, (size_t)n - from)) {
                *err = -1;
                return false;
            }
        }
    }
    if (!sh_read_all(in, &all, SH_NO_LIMIT)) {
        *err = errno;
        sh_buf_free(&all);
        return false;
    }
    size_t start;
    if (o->bytes) {
        start = (int64_t)all.len > o->count ? all.len - (size_t)o->count : 0;
    } else {
        int64_t n = o->count;
        size_t i = all.len;
        if (i > 0 && all.data[i - 1] == o->delim)
            i--; /* the last line's own delimiter */
        while (n > 0 && i > 0) {
            while (i > 0 && all.data[i - 1] != o->delim)
                i--;
            if (--n > 0 && i > 0)
                i--;
        }
        start = o->count == 0 ? all.len : i;
    }
    bool ok = sh_write(sh_stdout(sh), all.data ? all.data + start : "", all.len - start);
    if (!ok)
        *err = -1;
    sh_buf_free(&all);
    return ok;
}

/* -5, +5, -5c, +5c as the first argument (the old syntax); *num is the
 * allocated count to free. */
static char **old_syntax(int *argc, char **argv, char **num_out)
{
    if (*argc < 2)
        return NULL;
    const char *a = argv[1];
    if (!((a[0] == '-' || a[0] == '+') && isdigit((unsigned char)a[1])))
        return NULL;
    size_t n = strlen(a);
    bool bytes = a[n - 1] == 'c';
    bool lines = a[n - 1] == 'l';
    for (size_t i = 1; i < n - (bytes || lines); i++)
        if (!isdigit((unsigned char)a[i]))
            return NULL;
    char **v = sh_calloc((size_t)*argc + 2, sizeof *v);
    v[0] = argv[0];
    v[1] = bytes ? "-c" : "-n";
    char *num = sh_malloc(n + 1);
    memcpy(num, a, n - (bytes || lines));
    num[n - (bytes || lines)] = 0;
    if (num[0] == '-')
        num[0] = ' '; /* -5 means the last 5: no sign */
    v[2] = num[0] == ' ' ? num + 1 : num;
    for (int i = 2; i < *argc; i++)
        v[i + 1] = argv[i];
    (*argc)++;
    *num_out = num;
    return v;
}

int util_tail(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"lines", SH_REQ_ARG, 'n'}, {"bytes", SH_REQ_ARG, 'c'},
                                    {"quiet", SH_NO_ARG, 'q'},  {"silent", SH_NO_ARG, 'q'},
                                    {"verbose", SH_NO_ARG, 'v'}, {"follow", SH_OPT_ARG, 'f'},
                                    {"zero-terminated", SH_NO_ARG, 'z'}, {"retry", SH_NO_ARG, 'r'},
                                    {"pid", SH_REQ_ARG, 'p'}, {"sleep-interval", SH_REQ_ARG, 's'},
                                    {"help", SH_NO_ARG, 'h'},   {NULL, 0, 0}};
    char *num = NULL;
    char **conv = old_syntax(&argc, argv, &num);
    if (conv)
        argv = conv;
    tailopt o = {false, false, 10, '\n'};
    int verbose = -1;
    bool follow = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 0;
    while ((c = sh_getopt(sh, &st, argc, argv, "n:c:qvfFzs:", lo)) != -1) {
        switch (c) {
        case 'n':
        case 'c': {
            const char *a = st.arg;
            o.bytes = c == 'c';
            o.from_start = a[0] == '+';
            if (!sh_parse_size(a + (a[0] == '-' || a[0] == '+'), &o.count) && o.count != INT64_MAX) {
                sh_err(sh, "invalid number of %s: %s", o.bytes ? "bytes" : "lines", sh_quote(sh, a));
                status = 1;
                goto done;
            }
            break;
        }
        case 'q': verbose = 0; break;
        case 'v': verbose = 1; break;
        case 'f':
        case 'F': follow = true; break;
        case 'z': o.delim = 0; break;
        case 'r':
        case 'p':
        case 's': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: tail [OPTION]... [FILE]...\n");
            goto done;
        default:
            status = 1;
            goto done;
        }
    }
    char *dash[] = {"-", NULL};
    char **files = st.ind < argc ? argv + st.ind : dash;
    int nfiles = st.ind < argc ? argc - st.ind : 1;
    bool headers = verbose == 1 || (verbose == -1 && nfiles > 1);
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
            sh_buf_printf(&h, "%s==> %s <==\n", i ? "\n" : "", std ? "standard input" : f);
            sh_write(sh_stdout(sh), h.data, h.len);
            sh_buf_free(&h);
        }
        int err = 0;
        bool ok = tail_stream(sh, in, &o, &err);
        if (!std)
            sh_close(in);
        if (!ok) {
            if (err == -1)
                break;
            sh_errno(sh, err, "error reading %s", sh_quote(sh, f));
            status = 1;
        }
    }
    if (follow)
        sh_err(sh, "-f: nothing can be followed in the sandbox (no other command runs while tail "
                   "waits): the end was printed and tail stopped");
done:
    free(num);
    free(conv);
    return status;
}
