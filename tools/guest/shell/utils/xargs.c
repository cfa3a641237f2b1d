/* xargs: GNU's. Builds command lines from its input and runs them (as
 * programs: in a copy of the shell's state, never a shell function, stdin
 * /dev/null): items split on blanks and newlines with '...', "..." and \
 * quoting, or -0 / -d DELIM; -n MAX items, -L MAX lines, -I REPL (one line
 * at a time, REPL replaced in the arguments), -r (nothing when there is no
 * input), -t (trace on stderr), -a FILE, -E EOF, -x, -s SIZE; -P runs them
 * one after the other (there is one thread). The status is GNU's: 123 if a
 * command failed, 124 if one returned 255 (xargs stops), 125 if one was
 * killed, 126/127 if it could not run / does not exist. */
#include "../internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char **v;
    size_t n, cap;
} strs;

static void push(strs *s, char *x)
{
    if (s->n + 1 >= s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = sh_realloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
    s->v[s->n] = NULL;
}

static void clear(strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    s->n = 0;
}

typedef struct {
    sh_stream *in;
    int delim;      /* -1: blanks and quotes */
    const char *eof_str;
    bool eof;
    int lines_read; /* lines that ended the last item batch (for -L) */
} reader;

/* The next item; NULL at the end. err set for an unmatched quote. */
static char *next_item(shctx *sh, reader *r, bool *err, bool *line_end)
{
    *line_end = false;
    if (r->eof)
        return NULL;
    sh_buf b = {0};
    char c;
    if (r->delim >= 0) {
        for (;;) {
            ssize_t k = sh_read(r->in, &c, 1);
            if (k <= 0) {
                r->eof = true;
                if (!b.len) {
                    sh_buf_free(&b);
                    return NULL;
                }
                break;
            }
            if (c == (char)r->delim) {
                *line_end = true;
                break;
            }
            sh_buf_addc(&b, c);
        }
        return sh_buf_take(&b);
    }
    bool any = false;
    char q = 0;
    for (;;) {
        ssize_t k = sh_read(r->in, &c, 1);
        if (k <= 0) {
            r->eof = true;
            if (q) {
                sh_err(sh, "unmatched %s quote; by default quotes are special to xargs unless you use the -0 option",
                       q == '\'' ? "single" : "double");
                *err = true;
                sh_buf_free(&b);
                return NULL;
            }
            break;
        }
        if (q) {
            if (c == q)
                q = 0;
            else if (c == '\n') {
                sh_err(sh, "unmatched %s quote; by default quotes are special to xargs unless you use the -0 option",
                       q == '\'' ? "single" : "double");
                *err = true;
                sh_buf_free(&b);
                return NULL;
            } else
                sh_buf_addc(&b, c);
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n') {
            if (c == '\n')
                *line_end = true;
            if (any)
                break;
            continue;
        }
        any = true;
        if (c == '\'' || c == '"') {
            q = c;
            continue;
        }
        if (c == '\\') {
            if (sh_read(r->in, &c, 1) != 1)
                break;
        }
        sh_buf_addc(&b, c);
    }
    if (!any) {
        sh_buf_free(&b);
        return NULL;
    }
    char *item = sh_buf_take(&b);
    if (r->eof_str && !strcmp(item, r->eof_str)) {
        free(item);
        r->eof = true;
        return NULL;
    }
    return item;
}

/* -I: a whole line, leading blanks dropped */
static char *next_line(reader *r)
{
    sh_buf line = {0};
    for (;;) {
        ssize_t n = sh_getdelim(r->in, &line, r->delim >= 0 ? r->delim : '\n');
        if (n <= 0) {
            r->eof = true;
            sh_buf_free(&line);
            return NULL;
        }
        size_t len = line.len;
        if (len && line.data[len - 1] == (r->delim >= 0 ? r->delim : '\n'))
            len--;
        size_t s = 0;
        if (r->delim < 0)
            while (s < len && (line.data[s] == ' ' || line.data[s] == '\t'))
                s++;
        if (s == len && r->delim < 0)
            continue;
        char *x = sh_strndup(line.data + s, len - s);
        sh_buf_free(&line);
        if (r->eof_str && !strcmp(x, r->eof_str)) {
            free(x);
            r->eof = true;
            return NULL;
        }
        return x;
    }
}

static char *replace(const char *arg, const char *repl, const char *with)
{
    sh_buf b = {0};
    size_t rl = strlen(repl);
    for (const char *p = arg; *p;) {
        const char *m = rl ? strstr(p, repl) : NULL;
        if (!m) {
            sh_buf_adds(&b, p);
            break;
        }
        sh_buf_add(&b, p, (size_t)(m - p));
        sh_buf_adds(&b, with);
        p = m + rl;
    }
    return sh_buf_take(&b);
}

/* Runs one command line; false when xargs must stop. */
static bool run(shctx *sh, strs *cmd, bool trace, int *status)
{
    if (trace) {
        sh_buf t = {0};
        for (size_t i = 0; i < cmd->n; i++) {
            if (i)
                sh_buf_addc(&t, ' ');
            sh_buf_adds(&t, cmd->v[i]);
        }
        sh_buf_addc(&t, '\n');
        sh_write(sh_stderr(sh), t.data, t.len);
        sh_buf_free(&t);
    }
    /* the command's stdin is /dev/null (GNU's), not the items */
    sh_stream *in = sh->st.fds[0];
    sh->st.fds[0] = stream_null();
    int st = sh_run_program(sh, (int)cmd->n, cmd->v);
    sh->st.fds[0] = in;
    if (st == 255) {
        sh_err(sh, "%s: exited with status 255; aborting", cmd->v[0]);
        *status = 124;
        return false;
    }
    if (st == 141 || sh_interrupted(sh)) {
        *status = 125;
        return false;
    }
    if (st == 126 || st == 127) {
        *status = st;
        return false;
    }
    if (st)
        *status = 123;
    return true;
}

int util_xargs(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"null", SH_NO_ARG, '0'}, {"delimiter", SH_REQ_ARG, 'd'},
                                    {"max-args", SH_REQ_ARG, 'n'}, {"max-lines", SH_OPT_ARG, 'L'},
                                    {"replace", SH_OPT_ARG, 'i'}, {"no-run-if-empty", SH_NO_ARG, 'r'},
                                    {"verbose", SH_NO_ARG, 't'}, {"arg-file", SH_REQ_ARG, 'a'},
                                    {"eof", SH_OPT_ARG, 'e'}, {"max-procs", SH_REQ_ARG, 'P'},
                                    {"max-chars", SH_REQ_ARG, 's'}, {"exit", SH_NO_ARG, 'x'},
                                    {"interactive", SH_NO_ARG, 'p'}, {"open-tty", SH_NO_ARG, 'o'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    reader r = {sh_stdin(sh), -1, NULL, false, 0};
    int64_t max_args = 0, max_lines = 0;
    const char *repl = NULL, *argfile = NULL;
    bool no_empty = false, trace = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "+0d:n:L:I:i::rta:E:e::P:s:xpo", lo)) != -1) {
        int64_t v;
        switch (c) {
        case '0': r.delim = 0; break;
        case 'd':
            r.delim = (unsigned char)(st.arg[0] == '\\' && st.arg[1] == 'n' ? '\n'
                                    : st.arg[0] == '\\' && st.arg[1] == 't' ? '\t' : st.arg[0]);
            break;
        case 'n':
        case 'L':
        case 's':
        case 'P':
            if (!st.arg && c == 'L') {
                max_lines = 1;
                break;
            }
            if (!sh_parse_int(st.arg, &v)) {
                sh_err(sh, "invalid number %s for -%c option", sh_quote(sh, st.arg), c);
                sh_try_help(sh);
                return 1;
            }
            if (v < (c == 'P' ? 0 : 1)) {
                sh_err(sh, "value %s for -%c option should be >= %d", st.arg, c, c == 'P' ? 0 : 1);
                sh_try_help(sh);
                return 1;
            }
            if (c == 'n')
                max_args = v;
            else if (c == 'L')
                max_lines = v;
            break;
        case 'I':
        case 'i':
            repl = st.arg ? st.arg : "{}";
            break;
        case 'r': no_empty = true; break;
        case 't': trace = true; break;
        case 'a': argfile = st.arg; break;
        case 'E':
        case 'e': r.eof_str = st.arg; break;
        case 'x':
        case 'p':
        case 'o': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n");
            return 0;
        default:
            return 1;
        }
    }
    sh_stream *opened = NULL;
    if (argfile && strcmp(argfile, "-")) {
        opened = r.in = sh_open(sh, argfile, O_RDONLY);
        if (!r.in) {
            sh_errno(sh, errno, "Cannot open input file %s", sh_quote(sh, argfile));
            return 1;
        }
    }
    strs base = {0}, cmd = {0};
    if (st.ind < argc) {
        for (int i = st.ind; i < argc; i++)
            push(&base, sh_strdup(argv[i]));
    } else {
        push(&base, sh_strdup("echo"));
    }
    int status = 0;
    bool err = false, ran = false;
    if (repl) {
        for (char *line; (line = next_line(&r));) {
            clear(&cmd);
            for (size_t i = 0; i < base.n; i++)
                push(&cmd, replace(base.v[i], repl, line));
            free(line);
            ran = true;
            if (!run(sh, &cmd, trace, &status))
                break;
        }
    } else {
        bool more = true;
        while (more) {
            clear(&cmd);
            for (size_t i = 0; i < base.n; i++)
                push(&cmd, sh_strdup(base.v[i]));
            int64_t items = 0, lines = 0;
            for (;;) {
                bool line_end;
                char *it = next_item(sh, &r, &err, &line_end);
                if (!it) {
                    more = false;
                    break;
                }
                push(&cmd, it);
                items++;
                if (line_end)
                    lines++;
                if ((max_args && items >= max_args) || (max_lines && lines >= max_lines))
                    break;
            }
            if (err)
                break;
            if (!items && (no_empty || ran))
                break;
            ran = true;
            if (!run(sh, &cmd, trace, &status))
                break;
        }
    }
    clear(&cmd);
    free(cmd.v);
    clear(&base);
    free(base.v);
    if (opened)
        sh_close(opened);
    return err ? 1 : status;
}
