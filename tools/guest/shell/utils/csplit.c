/* csplit: GNU's. Splits FILE at PATTERNs into xx00, xx01 ... and prints
 * each file's size: N (before line N), /BRE/[+-OFFSET], %BRE%[OFFSET] (skip
 * to), {N} and {*} repeat the pattern before; -f prefix, -b suffix format
 * (one %d-like conversion), -n digits, -k keep files after an error, -s
 * quiet, -z no empty files, --suppress-matched. After an error the files
 * made are removed (unless -k) and the status is 1. The input is read
 * whole (bounded by the run's memory); regular expressions are wasi-libc's
 * BREs, matched against each line without its newline. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    bool regex, ignore, forever;
    regex_t rx;
    int64_t offset, lines, repeat;
    const char *arg;
} control;

typedef struct {
    shctx *sh;
    /* input: lines[1..n] (1-based, as GNU's numbers) */
    const char **line;
    size_t *len;
    int64_t n, first, cur; /* first line not yet written; last line looked at */
    /* output */
    const char *prefix, *suffix;
    int digits;
    bool keep, quiet, elide, suppress;
    int created;
    sh_stream *out;
    char *outname;
    int64_t bytes;
    bool failed;
} csplitter;

static char *file_name(const csplitter *c, int num)
{
    sh_buf b = {0};
    sh_buf_adds(&b, c->prefix);
    if (c->suffix)
        sh_buf_printf(&b, c->suffix, num); /* checked by check_suffix */
    else
        sh_buf_printf(&b, "%0*d", c->digits, num);
    return sh_buf_take(&b);
}

/* The -b format: text and exactly one conversion of an int (flags, width,
 * precision, d i u o x X), with %% allowed; false after GNU's message. The
 * conversion is rewritten to take an int whatever it was (d for u). */
static bool check_suffix(shctx *sh, const char *f)
{
    int convs = 0;
    for (const char *p = f; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        p++;
        p += strspn(p, "-+ #0'");
        p += strspn(p, "0123456789");
        if (*p == '.') {
            p++;
            p += strspn(p, "0123456789");
        }
        if (!*p || !strchr("diuoxX", *p)) {
            if (*p)
                sh_err(sh, "invalid conversion specifier in suffix: %c", *p);
            else
                sh_err(sh, "missing %% conversion specification in suffix");
            return false;
        }
        if (++convs > 1) {
            sh_err(sh, "too many %% conversion specifications in suffix");
            return false;
        }
    }
    if (convs == 0) {
        sh_err(sh, "missing %% conversion specification in suffix");
        return false;
    }
    return true;
}

static bool create_file(csplitter *c)
{
    free(c->outname);
    c->outname = file_name(c, c->created);
    c->out = sh_open(c->sh, c->outname, O_WRONLY | O_CREAT | O_TRUNC);
    if (!c->out) {
        sh_errno(c->sh, errno, "%s", sh_quote_maybe(c->sh, c->outname));
        c->failed = true;
        return false;
    }
    c->created++;
    c->bytes = 0;
    return true;
}

/* Closes the current file: its size on stdout, or it is removed when
 * empty with -z (and its number used again). */
static void close_file(csplitter *c)
{
    if (!c->out)
        return;
    if (!sh_close(c->out)) {
        sh_errno(c->sh, errno, "%s", sh_quote_maybe(c->sh, c->outname));
        c->failed = true;
    }
    c->out = NULL;
    if (c->bytes == 0 && c->elide) {
        unlink(c->outname); /* utilities' paths are relative to the shell's directory, as rm's */
        c->created--;
    } else if (!c->quiet) {
        char d[24];
        size_t k = sh_fmt_u64(d, (uint64_t)c->bytes);
        d[k++] = '\n';
        sh_write(sh_stdout(c->sh), d, k);
    }
}

/* GNU's cleanup after an error: close, then remove every file made. */
static void fail(csplitter *c)
{
    close_file(c);
    c->failed = true;
    if (c->keep)
        return;
    for (int i = c->created; i-- > 0;) {
        char *name = file_name(c, i);
        unlink(name);
        free(name);
    }
    c->created = 0;
}

static bool save(csplitter *c, int64_t i)
{
    if (c->out && !sh_write(c->out, c->line[i], c->len[i])) {
        sh_errno(c->sh, errno, "write error for %s", sh_quote(c->sh, c->outname));
        return false;
    }
    c->bytes += (int64_t)c->len[i];
    return true;
}

/* The first line not yet written, or 0 at the end (it moves cur along). */
static int64_t remove_line(csplitter *c)
{
    if (c->first > c->n)
        return 0;
    if (c->cur < c->first)
        c->cur = c->first;
    return c->first++;
}

static bool have_line(const csplitter *c, int64_t i)
{
    return i >= c->first && i <= c->n;
}

static void line_error(csplitter *c, const control *p, int64_t rep, const char *what)
{
    sh_buf m = {0};
    sh_buf_printf(&m, "%s: %s", sh_quote(c->sh, p->arg), what);
    if (rep)
        sh_buf_printf(&m, " on repetition %lld", (long long)rep);
    sh_err(c->sh, "%s", m.data);
    sh_buf_free(&m);
}

static bool do_lines(csplitter *c, const control *p, int64_t rep)
{
    int64_t last = p->lines * (rep + 1);
    if (!create_file(c))
        return false;
    if (c->suppress && !have_line(c, c->cur + 1)) {
        line_error(c, p, rep, "line number out of range");
        return false;
    }
    for (int64_t ln = c->first; ln < last; ln++) {
        int64_t i = remove_line(c);
        if (!i) {
            line_error(c, p, rep, "line number out of range");
            return false;
        }
        if (!save(c, i))
            return false;
    }
    close_file(c);
    if (c->suppress)
        remove_line(c);
    if (!c->suppress && !have_line(c, c->cur + 1)) {
        line_error(c, p, rep, "line number out of range");
        return false;
    }
    return true;
}

static bool matches(const control *p, const char *s, size_t n)
{
    if (n && s[n - 1] == '\n')
        n--;
    char *z = sh_strndup(s, n); /* regexec reads up to a NUL */
    bool m = regexec(&p->rx, z, 0, NULL, 0) == 0;
    free(z);
    return m;
}

/* Returns 1 on success, 0 on error, -1 when {*} ran out of input (done). */
static int do_regex(csplitter *c, const control *p, int64_t rep)
{
    if (!p->ignore && !create_file(c))
        return 0;
    for (;;) {
        int64_t i = ++c->cur;
        if (!have_line(c, i)) {
            if (p->forever) {
                while (!p->ignore && (i = remove_line(c)))
                    if (!save(c, i))
                        return 0;
                close_file(c);
                return -1;
            }
            line_error(c, p, rep, "match not found");
            if (!p->ignore) {
                while ((i = remove_line(c)))
                    if (!save(c, i))
                        return 0;
            }
            return 0;
        }
        if (sh_interrupted(c->sh))
            return 0;
        if (matches(p, c->line[i], c->len[i]))
            break;
        if (p->offset >= 0) { /* no need to keep lines: the first one kept goes out now */
            int64_t r = remove_line(c);
            if (!p->ignore && !save(c, r))
                return 0;
        }
    }
    int64_t brk = c->cur + p->offset;
    if (c->first > brk) {
        line_error(c, p, 0, "line number out of range");
        return 0;
    }
    for (int64_t k = brk - c->first; k > 0; k--) {
        int64_t i = remove_line(c);
        if (!i) {
            line_error(c, p, 0, "line number out of range");
            return 0;
        }
        if (!p->ignore && !save(c, i))
            return 0;
    }
    if (!p->ignore)
        close_file(c);
    if (p->offset > 0)
        c->cur = brk;
    if (c->suppress)
        remove_line(c);
    return 1;
}

/* The patterns into controls; false after GNU's message. */
static bool parse_patterns(shctx *sh, int argc, char **argv, control *ctl, int *nctl)
{
    int64_t last = 0;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        control *p = &ctl[n];
        memset(p, 0, sizeof *p);
        p->arg = argv[i];
        const char *a = argv[i];
        if (a[0] == '/' || a[0] == '%') {
            const char *close = strrchr(a + 1, a[0]);
            if (!close) {
                sh_err(sh, "%s: closing delimiter '%c' missing", a, a[0]);
                goto bad;
            }
            p->regex = true;
            p->ignore = a[0] == '%';
            if (close[1] && !sh_parse_int(close + 1, &p->offset)) {
                sh_err(sh, "%s: integer expected after delimiter", sh_quote(sh, a));
                goto bad;
            }
            char *re = sh_strndup(a + 1, (size_t)(close - a - 1));
            int e = regcomp(&p->rx, re, 0);
            free(re);
            if (e) {
                char msg[200];
                regerror(e, &p->rx, msg, sizeof msg);
                sh_err(sh, "%s: invalid regular expression: %s", sh_quote(sh, a), msg);
                goto bad;
            }
        } else {
            int64_t v;
            if (!sh_parse_int(a, &v) || v < 0 || a[0] == '-' || a[0] == ' ') {
                sh_err(sh, "%s: invalid pattern", sh_quote(sh, a));
                goto bad;
            }
            if (v == 0) {
                sh_err(sh, "%s: line number must be greater than zero", a);
                goto bad;
            }
            if (v < last) {
                sh_err(sh, "line number %s is smaller than preceding line number, %lld", sh_quote(sh, a),
                       (long long)last);
                goto bad;
            }
            if (v == last)
                sh_err(sh, "warning: line number %s is the same as preceding line number", sh_quote(sh, a));
            last = v;
            p->lines = v;
        }
        n++;
        if (i + 1 < argc && argv[i + 1][0] == '{') {
            const char *r = argv[++i];
            size_t k = strlen(r);
            if (r[k - 1] != '}') {
                sh_err(sh, "%s: '}' is required in repeat count", sh_quote(sh, r));
                goto bad;
            }
            if (k == 3 && r[1] == '*') {
                p->forever = true;
            } else {
                char *num = sh_strndup(r + 1, k - 2), *open = sh_strndup(r, k - 1);
                bool ok = sh_parse_int(num, &p->repeat) && p->repeat >= 0 && num[0] != '-' && num[0] != ' ';
                if (!ok) /* GNU quotes it without its '}' */
                    sh_err(sh, "%s}: integer required between '{' and '}'", sh_quote(sh, open));
                free(num);
                free(open);
                if (!ok)
                    goto bad;
            }
        }
    }
    *nctl = n;
    return true;
bad:
    *nctl = n;
    return false;
}

int util_csplit(shctx *sh, int argc, char **argv)
{
    enum { SUPPRESS = 256 };
    static const sh_longopt lo[] = {{"suffix-format", SH_REQ_ARG, 'b'}, {"prefix", SH_REQ_ARG, 'f'},
                                    {"keep-files", SH_NO_ARG, 'k'}, {"suppress-matched", SH_NO_ARG, SUPPRESS},
                                    {"digits", SH_REQ_ARG, 'n'}, {"quiet", SH_NO_ARG, 's'},
                                    {"silent", SH_NO_ARG, 's'}, {"elide-empty-files", SH_NO_ARG, 'z'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    csplitter c = {0};
    c.sh = sh;
    c.prefix = "xx";
    c.digits = 2;
    sh_getopt_state st = SH_GETOPT_INIT;
    int ch;
    /* '+': a pattern like -5 is not an option once FILE is seen */
    while ((ch = sh_getopt(sh, &st, argc, argv, "+b:f:kn:sqz", lo)) != -1) {
        int64_t v;
        switch (ch) {
        case 'b': c.suffix = st.arg; break;
        case 'f': c.prefix = st.arg; break;
        case 'k': c.keep = true; break;
        case SUPPRESS: c.suppress = true; break;
        case 'n':
            if (!sh_parse_int(st.arg, &v) || v < 0 || v > 64) {
                sh_err(sh, "invalid number: %s", sh_quote(sh, st.arg));
                return 1;
            }
            c.digits = (int)v;
            break;
        case 's':
        case 'q': c.quiet = true; break;
        case 'z': c.elide = true; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: csplit [OPTION]... FILE PATTERN...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (argc - st.ind < 2) {
        if (argc <= st.ind)
            sh_err(sh, "missing operand");
        else
            sh_err(sh, "missing operand after %s", sh_quote(sh, argv[argc - 1]));
        sh_try_help(sh);
        return 1;
    }
    if (c.suffix && !check_suffix(sh, c.suffix))
        return 1;
    const char *inname = argv[st.ind];
    sh_stream *in = !strcmp(inname, "-") ? sh_input(sh, "-") : sh_open(sh, inname, O_RDONLY);
    if (!in) {
        sh_errno(sh, errno, "cannot open %s for reading", sh_quote(sh, inname));
        return 1;
    }
    int npat = argc - st.ind - 1;
    control *ctl = sh_calloc((size_t)npat + 1, sizeof *ctl);
    int nctl = 0;
    sh_buf all = {0};
    int status = 0;
    if (!parse_patterns(sh, npat, argv + st.ind + 1, ctl, &nctl)) {
        status = 1;
        goto done;
    }
    if (!sh_read_all(in, &all, SH_NO_LIMIT)) {
        sh_errno(sh, errno, "read error");
        status = 1;
        goto done;
    }
    if (all.len == 0) {
        sh_err(sh, "input disappeared");
        status = 1;
        goto done;
    }
    /* the lines, 1-based */
    size_t cap = 1024;
    c.line = sh_malloc(cap * sizeof *c.line);
    c.len = sh_malloc(cap * sizeof *c.len);
    for (size_t i = 0; i < all.len;) {
        const char *e = memchr(all.data + i, '\n', all.len - i);
        size_t end = e ? (size_t)(e - all.data) + 1 : all.len;
        if ((size_t)c.n + 2 > cap) {
            cap *= 2;
            c.line = sh_realloc(c.line, cap * sizeof *c.line);
            c.len = sh_realloc(c.len, cap * sizeof *c.len);
        }
        c.n++;
        c.line[c.n] = all.data + i;
        c.len[c.n] = end - i;
        i = end;
    }
    c.first = 1;
    c.cur = 0;
    bool ok = true, finished = false;
    for (int i = 0; i < nctl && ok && !finished; i++) {
        for (int64_t j = 0; ok && (ctl[i].forever || j <= ctl[i].repeat); j++) {
            if (ctl[i].regex) {
                int r = do_regex(&c, &ctl[i], j);
                ok = r != 0;
                if (r < 0) {
                    finished = true;
                    break;
                }
            } else {
                ok = do_lines(&c, &ctl[i], j);
            }
            if (sh_interrupted(sh))
                ok = false;
        }
    }
    if (ok && !finished) { /* the rest, in one more file */
        ok = create_file(&c);
        for (int64_t i; ok && (i = remove_line(&c));)
            ok = save(&c, i);
        close_file(&c);
    }
    if (!ok || c.failed) {
        fail(&c);
        status = 1;
    }
done:
    for (int i = 0; i < nctl; i++)
        if (ctl[i].regex)
            regfree(&ctl[i].rx);
    free(ctl);
    free(c.line);
    free(c.len);
    free(c.outname);
    sh_buf_free(&all);
    sh_input_close(sh, in);
    return status;
}
