/* util.c: the shared core of the utilities (shell.h): their streams, GNU
 * style messages and quoting, option parsing, numbers, the environment. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sh_stream *sh_stdin(shctx *sh)
{
    return sh->st.fds[0];
}

sh_stream *sh_stdout(shctx *sh)
{
    return sh->st.fds[1];
}

sh_stream *sh_stderr(shctx *sh)
{
    return sh->st.fds[2];
}

sh_stream *sh_fd_stream(shctx *sh, int fd)
{
    return fd >= 0 && fd < SH_NFD ? sh->st.fds[fd] : NULL;
}

const char *sh_name(shctx *sh)
{
    return sh->cmd_name ? sh->cmd_name : "shell";
}

const char *sh_cwd(shctx *sh)
{
    return sh->st.cwd;
}

bool sh_interrupted(shctx *sh)
{
    return sh->sigpipe || sh->fatal;
}

#ifndef ENOTCAPABLE
#define ENOTCAPABLE 76
#endif

const char *sh_strerror(int e)
{
#ifdef __wasi__
    if (e == ENOTCAPABLE)
        return "Permission denied (outside the sandbox's mapped directories)";
#endif
    return strerror(e);
}

/* A bash builtin's message starts as bash's do ("shell: line 3: printf:
 * ..."), a program's as GNU's ("cat: ..."). */
static void err_line(shctx *sh, const char *prefix, const char *msg, const char *suffix)
{
    sh_buf b = {0};
    if (sh->cmd_flags & CMD_BUILTIN) {
        sh_buf_printf(&b, "%s: ", sh->arg0 ? sh->arg0 : "shell");
        if (sh->lineno > 0)
            sh_buf_printf(&b, "line %d: ", sh->lineno);
    }
    sh_buf_printf(&b, "%s: %s%s%s\n", sh_name(sh), prefix, msg, suffix);
    sh_stream *e = sh_stderr(sh);
    if (e) {
        sh_write(e, b.data, b.len);
        sh_flush(e);
    }
    sh_buf_free(&b);
}

void sh_err(shctx *sh, const char *fmt, ...)
{
    sh_buf m = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    err_line(sh, "", m.data ? m.data : "", "");
    sh_buf_free(&m);
}

void sh_errno(shctx *sh, int e, const char *fmt, ...)
{
    sh_buf m = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    sh_buf_adds(&m, ": ");
    sh_buf_adds(&m, sh_strerror(e));
    err_line(sh, "", m.data, "");
    sh_buf_free(&m);
}

void sh_try_help(shctx *sh)
{
    sh_buf b = {0};
    sh_buf_printf(&b, "Try '%s --help' for more information.\n", sh_name(sh));
    sh_stream *e = sh_stderr(sh);
    if (e) {
        sh_write(e, b.data, b.len);
        sh_flush(e);
    }
    sh_buf_free(&b);
}

/* GNU's shell-escape quoting of file names (quotearg's
 * shell_escape_always_quoting_style): 'a b', "it's", 'a'$'\n''b'. Bytes
 * past ASCII are shown as they are (UTF-8 names stay readable). */
static void gnu_quote(sh_buf *b, const char *s, bool always)
{
    bool special = !*s, squote = false, ctrl = false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 32 || c == 127)
            ctrl = true;
        else if (c == '\'')
            squote = true;
        else if (strchr(" !\"$&()*;<=>?[\\]^`{|}", c) || ((c == '#' || c == '~') && p == s))
            special = true;
    }
    if (!special && !squote && !ctrl && !always) {
        sh_buf_adds(b, s);
        return;
    }
    if (squote && !ctrl && !strpbrk(s, "\"$`\\!")) {
        sh_buf_addc(b, '"');
        sh_buf_adds(b, s);
        sh_buf_addc(b, '"');
        return;
    }
    bool open = false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 32 || c == 127) {
            if (open)
                sh_buf_addc(b, '\'');
            open = false;
            static const char *esc = "abtnvfr";
            if (c >= 7 && c <= 13)
                sh_buf_printf(b, "$'\\%c'", esc[c - 7]);
            else
                sh_buf_printf(b, "$'\\%03o'", c);
            continue;
        }
        if (!open) {
            sh_buf_addc(b, '\'');
            open = true;
        }
        if (c == '\'')
            sh_buf_adds(b, "'\\''");
        else
            sh_buf_addc(b, (char)c);
    }
    if (open || !*s)
        sh_buf_addc(b, '\'');
    if (!*s)
        sh_buf_addc(b, '\'');
}

static const char *quote_into(shctx *sh, const char *name, bool always)
{
    sh_buf b = {0};
    gnu_quote(&b, name, always);
    char *slot = sh->quote_buf[sh->quote_next];
    sh->quote_next = (sh->quote_next + 1) % 4;
    size_t n = b.len < sizeof sh->quote_buf[0] - 1 ? b.len : sizeof sh->quote_buf[0] - 1;
    memcpy(slot, b.data, n);
    slot[n] = 0;
    sh_buf_free(&b);
    return slot;
}

const char *sh_quote(shctx *sh, const char *name)
{
    return quote_into(sh, name, true);
}

const char *sh_quote_maybe(shctx *sh, const char *name)
{
    return quote_into(sh, name, false);
}

/* ---- options ---------------------------------------------------------------- */

static const sh_longopt *find_long(shctx *sh, const sh_longopt *lo, const char *name, size_t n, bool *ambiguous)
{
    const sh_longopt *found = NULL;
    *ambiguous = false;
    if (!lo)
        return NULL;
    for (const sh_longopt *o = lo; o->name; o++) {
        if (strncmp(o->name, name, n))
            continue;
        if (strlen(o->name) == n)
            return o;
        if (found && (found->has_arg != o->has_arg || found->val != o->val))
            *ambiguous = true;
        else if (!found)
            found = o;
    }
    if (*ambiguous) {
        sh_buf b = {0};
        sh_buf_printf(&b, "option '--%.*s' is ambiguous; possibilities:", (int)n, name);
        for (const sh_longopt *o = lo; o->name; o++)
            if (!strncmp(o->name, name, n))
                sh_buf_printf(&b, " '--%s'", o->name);
        sh_err(sh, "%s", b.data);
        sh_buf_free(&b);
        return NULL;
    }
    return found;
}

/* How many argv entries the option word at argv[i] takes (1 or 2). */
static int option_width(const char *a, const char *shortopts, const sh_longopt *lo)
{
    if (a[1] == '-') {
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        if (eq || !lo)
            return 1;
        const sh_longopt *match = NULL;
        for (const sh_longopt *o = lo; o->name; o++)
            if (!strncmp(o->name, name, n)) {
                if (strlen(o->name) == n) {
                    match = o;
                    break;
                }
                if (!match)
                    match = o;
            }
        return match && match->has_arg == SH_REQ_ARG ? 2 : 1;
    }
    for (const char *p = a + 1; *p; p++) {
        const char *o = strchr(shortopts, *p);
        if (!o || *p == ':')
            return 1;
        if (o[1] == ':') {
            if (o[2] == ':') /* optional: only attached */
                return 1;
            return p[1] ? 1 : 2;
        }
    }
    return 1;
}

/* GNU getopt's permutation, done once: options first, then "--" if there
 * was one, then operands (those after "--" last, in order). "--" stays in
 * argv, as GNU's getopt leaves it, so that argv[ind..argc) are exactly the
 * operands once sh_getopt has stepped over it. */
static void permute(sh_getopt_state *st, int argc, char **argv, const char *shortopts, const sh_longopt *lo)
{
    bool posix = shortopts[0] == '+';
    char **opts = sh_malloc(sizeof *opts * (size_t)(argc + 1));
    char **ops = sh_malloc(sizeof *ops * (size_t)(argc + 1));
    int no = 0, nops = 0, i = 1;
    char *dashdash = NULL;
    for (; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            dashdash = a;
            i++;
            break;
        }
        if (a[0] == '-' && a[1]) {
            int w = option_width(a, shortopts + posix, lo);
            opts[no++] = a;
            if (w == 2 && i + 1 < argc)
                opts[no++] = argv[++i];
            continue;
        }
        if (posix)
            break;
        ops[nops++] = a;
    }
    for (; i < argc; i++)
        ops[nops++] = argv[i];
    int k = 1;
    for (int j = 0; j < no; j++)
        argv[k++] = opts[j];
    st->nonopt_start = k;
    if (dashdash)
        argv[k++] = dashdash;
    for (int j = 0; j < nops; j++)
        argv[k++] = ops[j];
    for (; k < argc; k++)
        argv[k] = NULL;
    st->nonopt_end = 1 + no + (dashdash != NULL) + nops;
    free(opts);
    free(ops);
}

int sh_getopt(shctx *sh, sh_getopt_state *st, int argc, char **argv, const char *shortopts,
              const sh_longopt *longopts)
{
    if (st->nonopt_start < 0)
        permute(st, argc, argv, shortopts, longopts);
    if (shortopts[0] == '+')
        shortopts++;
    st->arg = NULL;
    if (st->pos == 0) {
        if (st->ind >= st->nonopt_start) {
            /* step over the "--" that permute kept (operands follow it) */
            if (st->ind == st->nonopt_start && st->ind < st->nonopt_end && !strcmp(argv[st->ind], "--"))
                st->ind++;
            return -1;
        }
        char *a = argv[st->ind];
        if (a[1] == '-') {
            st->ind++;
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            bool amb;
            const sh_longopt *o = find_long(sh, longopts, name, n, &amb);
            if (!o) {
                if (!amb)
                    sh_err(sh, "unrecognized option '--%.*s'", (int)n, name);
                sh_try_help(sh);
                return '?';
            }
            if (eq) {
                if (o->has_arg == SH_NO_ARG) {
                    sh_err(sh, "option '--%s' doesn't allow an argument", o->name);
                    sh_try_help(sh);
                    return '?';
                }
                st->arg = eq + 1;
            } else if (o->has_arg == SH_REQ_ARG) {
                if (st->ind >= st->nonopt_start) {
                    sh_err(sh, "option '--%s' requires an argument", o->name);
                    sh_try_help(sh);
                    return '?';
                }
                st->arg = argv[st->ind++];
            }
            return o->val;
        }
        st->pos = 1;
    }
    char *a = argv[st->ind];
    char c = a[st->pos++];
    const char *o = c == ':' ? NULL : strchr(shortopts, c);
    bool last = !a[st->pos];
    if (!o) {
        st->opt = c;
        if (last) {
            st->ind++;
            st->pos = 0;
        }
        sh_err(sh, "invalid option -- '%c'", c);
        sh_try_help(sh);
        return '?';
    }
    if (o[1] == ':') {
        if (!last) {
            st->arg = a + st->pos;
        } else if (o[2] != ':') {
            if (st->ind + 1 >= st->nonopt_start) {
                st->ind++;
                st->pos = 0;
                st->opt = c;
                sh_err(sh, "option requires an argument -- '%c'", c);
                sh_try_help(sh);
                return '?';
            }
            st->arg = argv[++st->ind];
        }
        st->ind++;
        st->pos = 0;
        return c;
    }
    if (last) {
        st->ind++;
        st->pos = 0;
    }
    return c;
}

bool sh_parse_int(const char *s, int64_t *out)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s)
        return false;
    *out = v;
    return true;
}

bool sh_parse_size(const char *s, int64_t *out)
{
    *out = 0;
    if (!isdigit((unsigned char)*s))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE) {
        *out = INT64_MAX;
        return false;
    }
    static const struct {
        const char *suffix;
        unsigned long long mult;
    } sfx[] = {{"", 1},
               {"b", 512},
               {"kB", 1000ull},
               {"K", 1024ull},
               {"KiB", 1024ull},
               {"k", 1024ull},
               {"MB", 1000ull * 1000},
               {"M", 1ull << 20},
               {"MiB", 1ull << 20},
               {"GB", 1000ull * 1000 * 1000},
               {"G", 1ull << 30},
               {"GiB", 1ull << 30},
               {"TB", 1000ull * 1000 * 1000 * 1000},
               {"T", 1ull << 40},
               {"TiB", 1ull << 40},
               {"PB", 1000ull * 1000 * 1000 * 1000 * 1000},
               {"P", 1ull << 50},
               {"PiB", 1ull << 50},
               {"EB", 1000ull * 1000 * 1000 * 1000 * 1000 * 1000},
               {"E", 1ull << 60},
               {"EiB", 1ull << 60}};
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        if (strcmp(end, sfx[i].suffix))
            continue;
        if (v > (unsigned long long)INT64_MAX / sfx[i].mult) {
            *out = INT64_MAX;
            return false;
        }
        *out = (int64_t)(v * sfx[i].mult);
        return true;
    }
    return false;
}

/* ---- input operands --------------------------------------------------------- */

sh_stream *sh_input(shctx *sh, const char *path)
{
    if (!strcmp(path, "-"))
        return sh_stdin(sh) ? sh_stdin(sh) : stream_null();
    sh_stream *s = sh_open(sh, path, O_RDONLY);
    if (!s)
        sh_errno(sh, errno, "%s", sh_quote_maybe(sh, path));
    return s;
}

void sh_input_close(shctx *sh, sh_stream *s)
{
    if (s && s != sh_stdin(sh) && s != stream_null())
        sh_close(s);
}

bool sh_stream_regular(sh_stream *s, int64_t *size)
{
    int fd = sh_stream_fd(s);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    *size = st.st_size;
    return true;
}

/* ---- environment -------------------------------------------------------------- */

const char *sh_getenv(shctx *sh, const char *name)
{
    var *v = vars_get(sh->st.vars, name);
    if (v && (v->flags & V_EXPORT) && !(v->flags & V_UNSET))
        return v->value;
    return NULL;
}

char **sh_environ(shctx *sh)
{
    size_t n;
    var **all = vars_list(sh->st.vars, &n);
    char **env = sh_malloc(sizeof *env * (n + 1));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        var *v = all[i];
        if (!(v->flags & V_EXPORT) || (v->flags & V_UNSET))
            continue;
        sh_buf b = {0};
        sh_buf_printf(&b, "%s=%s", v->name, v->value ? v->value : "");
        env[k++] = sh_buf_take(&b);
    }
    env[k] = NULL;
    free(all);
    return env;
}

/* ---- sorting ------------------------------------------------------------------ */

static void merge_pass(char *v, char *tmp, size_t n, size_t size, int (*cmp)(const void *, const void *, void *),
                       void *ctx)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_pass(v, tmp, h, size, cmp, ctx);
    merge_pass(v + h * size, tmp, n - h, size, cmp, ctx);
    if (cmp(v + (h - 1) * size, v + h * size, ctx) <= 0)
        return;
    memcpy(tmp, v, h * size);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (cmp(v + j * size, tmp + i * size, ctx) < 0)
            memcpy(v + k++ * size, v + j++ * size, size);
        else
            memcpy(v + k++ * size, tmp + i++ * size, size);
    }
    if (i < h)
        memcpy(v + k * size, tmp + i * size, (h - i) * size);
}

void sh_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *ctx)
{
    if (n < 2)
        return;
    char *tmp = sh_malloc((n / 2 + 1) * size);
    merge_pass(base, tmp, n, size, cmp, ctx);
    free(tmp);
}

/* ---- fast helpers ------------------------------------------------------------- */

int sh_memcmp(const void *pa, const void *pb, size_t n)
{
    const unsigned char *a = pa, *b = pb;
    while (n >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            break;
        a += 8;
        b += 8;
        n -= 8;
    }
    for (; n; n--, a++, b++)
        if (*a != *b)
            return *a < *b ? -1 : 1;
    return 0;
}

size_t sh_fmt_u64(char *buf, uint64_t v)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = t[n - 1 - i];
    return n;
}
