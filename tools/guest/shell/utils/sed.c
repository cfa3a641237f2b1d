/* sed: GNU sed 4.9's stream editor. Options -n -e -f -E/-r -i[SUFFIX] -s -z
 * -l N -u --posix; commands s (flags g p N i/I m/M w), d D p P q Q = a i c y
 * n N h H g G x b t T : { } ! l r R w W z F, with every address form
 * (utils/sed_parse.c reads the script). Regexes are POSIX BRE (ERE with -E)
 * on the shell's linear-time engine: back-references in a regex are refused
 * with a message (\1 in a replacement works), and the `e` command and flag,
 * which run a command, are not available. The pattern space is bounded at
 * 64 MiB ("pattern space exceeds ..." and status 4), so a runaway loop ends
 * with a message instead of exhausting the sandbox's memory. Exit status 0,
 * 1 for a bad script, 2 when an input could not be read, 4 for an I/O
 * error, or q's/Q's code. */
#include "sed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SED_MAX_SPACE ((size_t)64 << 20)

typedef struct {
    shctx *sh;
    sed_script *sc;
    bool quiet, separate, zero;
    long wrap;              /* l's line length (-l) */
    /* input */
    char **files;
    int nfiles, fi;
    sh_stream *in;
    const char *in_name;
    bool in_std;
    sh_buf look;            /* the next line, read ahead to know which is the last */
    bool have_look, look_nl;
    bool eof;
    long lineno;
    /* state */
    sh_buf ps, hs;
    sh_buf spare;           /* where s builds its result (swapped with ps: no allocation a line) */
    bool ps_nl;             /* the current line ended with its newline */
    bool replaced, quit, error;
    int exit_code, status;
    sh_buf append;          /* a, r and R output, written at the end of the cycle */
    rx_prog *last_re;
    sed_out out;            /* stdout, or the in-place file */
    sh_stream **rfiles;     /* R commands' files, by command index */
} sed_run;

/* ---- output ------------------------------------------------------------- */

static bool emit(sed_run *r, sed_out *o, const char *s, size_t n, bool nl)
{
    char eol = r->zero ? '\0' : '\n';
    if (o->missing_newline && !sh_write(o->s, &eol, 1))
        goto fail;
    o->missing_newline = false;
    if (n && !sh_write(o->s, s, n))
        goto fail;
    if (nl) {
        if (!sh_write(o->s, &eol, 1))
            goto fail;
    } else {
        o->missing_newline = true;
    }
    return true;
fail:
    if (!r->error && errno != EPIPE)
        sh_errno(r->sh, errno, "couldn't write to %s", o->name ? o->name : "stdout");
    r->error = true;
    r->quit = true;
    return false;
}

static sed_out *out_of(sed_run *r, int idx)
{
    sed_out *o = &r->sc->outs[idx];
    return o->s == sh_stdout(r->sh) ? &r->out : o;
}

static void flush_append(sed_run *r)
{
    if (!r->append.len)
        return;
    char eol = r->zero ? '\0' : '\n';
    if (r->out.missing_newline && !sh_write(r->out.s, &eol, 1)) {
        r->error = true;
        r->quit = true;
        return;
    }
    r->out.missing_newline = false;
    if (!sh_write(r->out.s, r->append.data, r->append.len)) {
        r->error = true;
        r->quit = true;
    }
    r->append.len = 0;
}

/* ---- input -------------------------------------------------------------- */

static bool open_next(sed_run *r)
{
    while (r->fi < r->nfiles) {
        const char *name = r->files[r->fi++];
        if (!strcmp(name, "-")) {
            r->in = sh_stdin(r->sh);
            r->in_std = true;
            r->in_name = "-";
            return true;
        }
        struct stat st;
        if (strncmp(name, "/dev/", 5) && stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
            sh_err(r->sh, "couldn't edit %s: not a regular file", name);
            r->status = 2;
            continue;
        }
        r->in = sh_open(r->sh, name, O_RDONLY);
        if (!r->in) {
            sh_err(r->sh, "can't read %s: %s", name, sh_strerror(errno));
            r->status = 2;
            continue;
        }
        r->in_std = false;
        r->in_name = name;
        return true;
    }
    return false;
}

static void close_in(sed_run *r)
{
    if (r->in && !r->in_std)
        sh_close(r->in);
    r->in = NULL;
}

/* Reads the next line into r->look (across files unless separate). */
static void read_ahead(sed_run *r)
{
    r->have_look = false;
    while (!r->eof) {
        if (!r->in && (r->separate || !open_next(r))) {
            r->eof = true;
            break;
        }
        ssize_t n = sh_getdelim(r->in, &r->look, r->zero ? '\0' : '\n');
        if (n > 0) {
            r->look_nl = r->look.data[n - 1] == (r->zero ? '\0' : '\n');
            if (r->look_nl)
                r->look.data[--r->look.len] = 0;
            r->have_look = true;
            return;
        }
        if (n < 0) {
            sh_err(r->sh, "read error on %s: %s", r->in_std ? "stdin" : r->in_name,
                   sh_strerror(errno));
            r->status = 2;
        }
        close_in(r);
        if (r->separate)
            r->eof = true;
    }
}

/* The next input line into the pattern space (replacing it, or appended
 * after a newline); false at the end of the input. */
static bool next_line(sed_run *r, bool append)
{
    if (!r->have_look)
        return false;
    if (append) {
        if (r->ps.len + 1 + r->look.len > SED_MAX_SPACE)
            return false;
        sh_buf_addc(&r->ps, '\n');
        sh_buf_add(&r->ps, r->look.data, r->look.len);
    } else {
        r->ps.len = 0;
        sh_buf_add(&r->ps, r->look.data ? r->look.data : "", r->look.len);
    }
    r->ps_nl = r->look_nl;
    r->lineno++;
    read_ahead(r);
    return true;
}

static bool is_last(sed_run *r)
{
    return !r->have_look;
}

/* ---- addresses ------------------------------------------------------------ */

static bool re_match(sed_run *r, rx_prog *re)
{
    if (!re)
        re = r->last_re;
    else
        r->last_re = re;
    return re && rx_is_match(re, r->ps.data ? r->ps.data : "", r->ps.len);
}

static bool match1(sed_run *r, const sed_addr *a)
{
    switch (a->kind) {
    case SA_LINE:
        return r->lineno == a->n;
    case SA_LAST:
        return is_last(r);
    case SA_RE:
        return re_match(r, a->re);
    case SA_STEP:
        if (a->step <= 0)
            return r->lineno == a->n;
        return r->lineno >= a->n && (r->lineno - a->n) % a->step == 0;
    }
    return false;
}

static bool selected(sed_run *r, sed_cmd *c)
{
    if (c->naddr == 0)
        return true;
    if (c->naddr == 1)
        return match1(r, &c->a1);
    if (c->in_range) {
        const sed_addr *a = &c->a2;
        switch (a->kind) {
        case SA_LINE:
            if (r->lineno >= a->n)
                c->in_range = false;
            if (r->lineno > a->n)
                return false; /* the range ended before this line (GNU) */
            break;
        case SA_PLUS:
            if (r->lineno >= c->range_end)
                c->in_range = false;
            break;
        case SA_TILDE:
            if (a->n <= 0 || r->lineno % a->n == 0)
                c->in_range = false;
            break;
        case SA_LAST:
            if (is_last(r))
                c->in_range = false;
            break;
        case SA_RE:
            if (re_match(r, a->re))
                c->in_range = false;
            break;
        }
        return true;
    }
    if (c->a1.kind == SA_ZERO || !match1(r, &c->a1))
        return false;
    const sed_addr *a = &c->a2;
    switch (a->kind) {
    case SA_LINE:
        c->in_range = a->n > r->lineno;
        break;
    case SA_PLUS:
        c->range_end = r->lineno + a->n;
        c->in_range = a->n > 0;
        break;
    case SA_TILDE:
        c->in_range = !(a->n <= 0 || r->lineno % a->n == 0);
        break;
    case SA_LAST:
        c->in_range = !is_last(r);
        break;
    case SA_RE:
        c->in_range = true;
        break;
    }
    return true;
}

/* Ranges start afresh for every file with -s and -i; 0,/re/ starts active. */
static void reset_ranges(sed_run *r)
{
    for (size_t k = 0; k < r->sc->ncmds; k++)
        r->sc->cmds[k].in_range = r->sc->cmds[k].a1.kind == SA_ZERO;
}

/* ---- commands ------------------------------------------------------------- */

static void add_case(sh_buf *b, const char *s, size_t n, int *mode, int *once)
{
    if (!*mode && !*once) { /* no \U \L \u \l in effect: the bytes as they are */
        sh_buf_add(b, s, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int m = *once ? *once : *mode;
        *once = 0;
        if ((m == 'U' || m == 'u') && c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 32);
        else if ((m == 'L' || m == 'l') && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        sh_buf_addc(b, (char)c);
    }
}

static bool substitute(sed_run *r, sed_cmd *c)
{
    rx_prog *re = c->re ? c->re : r->last_re;
    if (!re)
        return false;
    r->last_re = re;
    const char *ps = r->ps.data ? r->ps.data : "";
    size_t len = r->ps.len, done = 0;
    long count = 0, want = c->num > 0 ? c->num : 1;
    rx_iter it = RX_ITER_INIT;
    rx_span caps[10];
    sh_buf res = r->spare;
    res.len = 0;
    bool did = false;
    while (rx_find_next(re, ps, len, &it, caps, c->ncaps)) {
        if (++count < want)
            continue;
        sh_buf_add(&res, ps + done, caps[0].start - done);
        int mode = 0, once = 0;
        for (size_t k = 0; k < c->nrepl; k++) {
            const sed_rpart *p = &c->repl[k];
            if (p->kind == RP_LIT) {
                add_case(&res, c->text + p->off, p->len, &mode, &once);
            } else if (p->kind == RP_GROUP) {
                rx_span g = (size_t)p->group < c->ncaps ? caps[p->group] : (rx_span){RX_NOPOS, RX_NOPOS};
                if (g.start != RX_NOPOS)
                    add_case(&res, ps + g.start, g.end - g.start, &mode, &once);
            } else if (p->group == 'l' || p->group == 'u') {
                once = p->group;
            } else {
                mode = p->group == 'E' ? 0 : p->group;
                once = 0;
            }
        }
        done = caps[0].end;
        did = true;
        if (res.len > SED_MAX_SPACE)
            break;
        if (!c->global)
            break;
    }
    if (!did) {
        r->spare = res;
        return false;
    }
    sh_buf_add(&res, ps + done, len - done);
    r->spare = r->ps;
    r->ps = res;
    return true;
}

/* l: the pattern space unambiguously, folded at the line length. */
static void list(sed_run *r, long width)
{
    sh_buf b = {0};
    size_t col = 0;
    if (width < 0)
        width = r->wrap;
    for (size_t i = 0; i < r->ps.len; i++) {
        unsigned char c = (unsigned char)r->ps.data[i];
        char esc[8];
        const char *from = "\\\a\b\f\n\r\t\v", *to = "\\abfnrtv";
        const char *f = c ? strchr(from, c) : NULL;
        if (f)
            snprintf(esc, sizeof esc, "\\%c", to[f - from]);
        else if (c < 32 || c >= 127)
            snprintf(esc, sizeof esc, "\\%03o", c);
        else
            snprintf(esc, sizeof esc, "%c", c);
        size_t w = strlen(esc);
        if (width > 1 && col + w > (size_t)width - 1) {
            sh_buf_adds(&b, "\\\n");
            col = 0;
        }
        sh_buf_adds(&b, esc);
        col += w;
    }
    sh_buf_addc(&b, '$');
    emit(r, &r->out, b.data, b.len, true);
    sh_buf_free(&b);
}

static void queue_file(sed_run *r, sed_cmd *c, size_t idx, bool one_line)
{
    if (!one_line) {
        sh_stream *s = sh_open(r->sh, c->text, O_RDONLY);
        if (!s)
            return; /* GNU: a file r cannot read is silently ignored */
        sh_read_all(s, &r->append, SED_MAX_SPACE);
        sh_close(s);
        return;
    }
    if (!r->rfiles[idx]) {
        r->rfiles[idx] = sh_open(r->sh, c->text, O_RDONLY);
        if (!r->rfiles[idx])
            return;
    }
    sh_buf line = {0};
    ssize_t n = sh_getdelim(r->rfiles[idx], &line, '\n');
    if (n > 0) {
        sh_buf_add(&r->append, line.data, (size_t)n);
        if (line.data[n - 1] != '\n')
            sh_buf_addc(&r->append, '\n');
    }
    sh_buf_free(&line);
}

static bool space_ok(sed_run *r)
{
    if (r->ps.len <= SED_MAX_SPACE && r->hs.len <= SED_MAX_SPACE)
        return true;
    sh_err(r->sh, "pattern space exceeds %zu MiB: stopped", SED_MAX_SPACE >> 20);
    r->error = true;
    r->quit = true;
    return false;
}

enum { END_PRINT, END_DELETE, END_RESTART };

/* Runs the script over the pattern space; how the cycle ends. */
static int run_script(sed_run *r)
{
    sed_script *sc = r->sc;
    size_t pc = 0;
    while (pc < sc->ncmds) {
        if (sh_interrupted(r->sh) || r->error) {
            r->quit = true;
            return END_DELETE;
        }
        sed_cmd *c = &sc->cmds[pc];
        bool sel = selected(r, c) != c->negate;
        if (!sel) {
            pc = c->cmd == '{' ? (size_t)c->jump + 1 : pc + 1;
            continue;
        }
        pc++;
        switch (c->cmd) {
        case '{': case '}': case ':':
            break;
        case '=': {
            char num[32];
            int n = snprintf(num, sizeof num, "%ld\n", r->lineno);
            emit(r, &r->out, num, (size_t)n - 1, true);
            break;
        }
        case 'a':
            sh_buf_add(&r->append, c->text, c->text_len);
            break;
        case 'i':
            emit(r, &r->out, c->text, c->text_len - 1, true);
            break;
        case 'c':
            if (c->naddr < 2 || c->negate || !c->in_range)
                emit(r, &r->out, c->text, c->text_len - 1, true);
            return END_DELETE;
        case 'd':
            return END_DELETE;
        case 'D': {
            char *nl = r->ps.len ? memchr(r->ps.data, '\n', r->ps.len) : NULL;
            if (!nl)
                return END_DELETE;
            size_t cut = (size_t)(nl - r->ps.data) + 1;
            memmove(r->ps.data, r->ps.data + cut, r->ps.len - cut);
            r->ps.len -= cut;
            r->ps.data[r->ps.len] = 0;
            return END_RESTART;
        }
        case 'g':
            r->ps.len = 0;
            sh_buf_add(&r->ps, r->hs.data ? r->hs.data : "", r->hs.len);
            break;
        case 'G':
            sh_buf_addc(&r->ps, '\n');
            sh_buf_add(&r->ps, r->hs.data ? r->hs.data : "", r->hs.len);
            if (!space_ok(r))
                return END_DELETE;
            break;
        case 'h':
            r->hs.len = 0;
            sh_buf_add(&r->hs, r->ps.data ? r->ps.data : "", r->ps.len);
            break;
        case 'H':
            sh_buf_addc(&r->hs, '\n');
            sh_buf_add(&r->hs, r->ps.data ? r->ps.data : "", r->ps.len);
            if (!space_ok(r))
                return END_DELETE;
            break;
        case 'x': {
            sh_buf t = r->ps;
            r->ps = r->hs;
            r->hs = t;
            break;
        }
        case 'l':
            list(r, c->num);
            break;
        case 'n':
            if (is_last(r)) {
                r->quit = true; /* GNU: no next line, so print and stop */
                return END_PRINT;
            }
            if (!r->quiet)
                emit(r, &r->out, r->ps.data, r->ps.len, r->ps_nl);
            flush_append(r);
            next_line(r, false);
            break;
        case 'N':
            if (is_last(r)) {
                r->quit = true;
                return END_PRINT;
            }
            flush_append(r);
            if (!next_line(r, true) && !space_ok(r))
                return END_DELETE;
            break;
        case 'p':
            emit(r, &r->out, r->ps.data, r->ps.len, r->ps_nl);
            break;
        case 'P': {
            char *nl = r->ps.len ? memchr(r->ps.data, '\n', r->ps.len) : NULL;
            emit(r, &r->out, r->ps.data, nl ? (size_t)(nl - r->ps.data) : r->ps.len,
                 nl || r->ps_nl);
            break;
        }
        case 'q':
            r->exit_code = (int)c->num;
            r->quit = true;
            return END_PRINT;
        case 'Q':
            r->exit_code = (int)c->num;
            r->quit = true;
            return END_DELETE;
        case 'r':
            queue_file(r, c, pc - 1, false);
            break;
        case 'R':
            queue_file(r, c, pc - 1, true);
            break;
        case 'w':
            if (c->wfile >= 0)
                emit(r, out_of(r, c->wfile), r->ps.data, r->ps.len, r->ps_nl);
            break;
        case 'W':
            if (c->wfile >= 0) {
                char *nl = r->ps.len ? memchr(r->ps.data, '\n', r->ps.len) : NULL;
                emit(r, out_of(r, c->wfile), r->ps.data,
                     nl ? (size_t)(nl - r->ps.data) : r->ps.len, true);
            }
            break;
        case 's':
            if (substitute(r, c)) {
                r->replaced = true;
                if (!space_ok(r))
                    return END_DELETE;
                if (c->print)
                    emit(r, &r->out, r->ps.data, r->ps.len, r->ps_nl);
                if (c->wfile >= 0)
                    emit(r, out_of(r, c->wfile), r->ps.data, r->ps.len, r->ps_nl);
            }
            break;
        case 'y':
            for (size_t i = 0; i < r->ps.len; i++)
                r->ps.data[i] = (char)c->ymap[(unsigned char)r->ps.data[i]];
            break;
        case 'z':
            r->ps.len = 0;
            if (r->ps.data)
                r->ps.data[0] = 0;
            break;
        case 'F':
            emit(r, &r->out, r->in_std || !r->in_name ? "-" : r->in_name,
                 strlen(r->in_std || !r->in_name ? "-" : r->in_name), true);
            break;
        case 'b':
            pc = c->jump < 0 ? sc->ncmds : (size_t)c->jump;
            break;
        case 't':
            if (r->replaced) {
                r->replaced = false;
                pc = c->jump < 0 ? sc->ncmds : (size_t)c->jump;
            }
            break;
        case 'T':
            if (!r->replaced)
                pc = c->jump < 0 ? sc->ncmds : (size_t)c->jump;
            else
                r->replaced = false;
            break;
        }
        if (r->quit && r->error)
            return END_DELETE;
    }
    return END_PRINT;
}

/* Runs the script over the current input (all files, or one with -s/-i). */
static void run_input(sed_run *r)
{
    r->lineno = r->separate ? 0 : r->lineno;
    read_ahead(r);
    bool restart = false;
    while (!r->quit) {
        if (!restart) {
            if (!next_line(r, false))
                break;
            r->replaced = false;
        }
        int end = run_script(r);
        restart = false;
        if (end == END_PRINT && !r->quiet)
            emit(r, &r->out, r->ps.data, r->ps.len, r->ps_nl);
        flush_append(r);
        restart = end == END_RESTART; /* D: again, without reading a line */
    }
    close_in(r);
    r->have_look = false;
    r->eof = false;
}

/* -i: each file edited through a temporary file beside it, renamed over it
 * at the end (after a backup when a suffix was given). */
static void edit_in_place(sed_run *r, const char *file, const char *suffix)
{
    struct stat st;
    if (!strcmp(file, "-")) {
        sh_err(r->sh, "couldn't edit -: not a regular file");
        r->status = 4;
        return;
    }
    if (stat(file, &st) != 0) {
        sh_err(r->sh, "can't read %s: %s", file, sh_strerror(errno));
        r->status = 2;
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        sh_err(r->sh, "couldn't edit %s: not a regular file", file);
        r->status = 4;
        return;
    }
    const char *slash = strrchr(file, '/');
    sh_buf tmp = {0};
    if (slash)
        sh_buf_add(&tmp, file, (size_t)(slash - file) + 1);
    size_t dirlen = tmp.len;
    sh_stream *s = NULL;
    for (int k = 0; k < 100 && !s; k++) {
        tmp.len = dirlen;
        sh_buf_printf(&tmp, "sed%06d", (int)((st.st_ino + (unsigned)k * 7919u) % 1000000));
        s = sh_open(r->sh, tmp.data, O_WRONLY | O_CREAT | O_EXCL);
        if (!s && errno != EEXIST)
            break;
    }
    if (!s) {
        sh_err(r->sh, "couldn't open temporary file %s: %s", tmp.data, sh_strerror(errno));
        r->status = 4;
        sh_buf_free(&tmp);
        return;
    }
    char *one[1] = {(char *)file};
    r->files = one;
    r->nfiles = 1;
    r->fi = 0;
    r->out = (sed_out){(char *)file, s, false};
    if (!open_next(r)) {
        sh_close(s);
        remove(tmp.data);
        sh_buf_free(&tmp);
        return;
    }
    reset_ranges(r);
    run_input(r);
    bool ok = sh_close(s);
    r->out.s = NULL;
    if (!ok) {
        sh_err(r->sh, "couldn't close %s: %s", tmp.data, sh_strerror(errno));
        remove(tmp.data);
        r->status = 4;
    } else {
        if (suffix && *suffix) {
            sh_buf bak = {0};
            const char *star = strchr(suffix, '*');
            if (star) {
                const char *base = slash ? slash + 1 : file;
                if (slash && !strchr(suffix, '/'))
                    sh_buf_add(&bak, file, (size_t)(slash - file) + 1);
                for (const char *q = suffix; *q; q++)
                    if (*q == '*')
                        sh_buf_adds(&bak, base);
                    else
                        sh_buf_addc(&bak, *q);
            } else {
                sh_buf_adds(&bak, file);
                sh_buf_adds(&bak, suffix);
            }
            if (rename(file, bak.data) != 0) {
                sh_err(r->sh, "cannot rename %s: %s", file, sh_strerror(errno));
                r->status = 4;
            }
            sh_buf_free(&bak);
        }
        if (rename(tmp.data, file) != 0) {
            sh_err(r->sh, "cannot rename %s: %s", tmp.data, sh_strerror(errno));
            remove(tmp.data);
            r->status = 4;
        }
    }
    sh_buf_free(&tmp);
}

enum { O_POSIX = 256, O_HELP, O_VERSION, O_DEBUG, O_SANDBOX, O_FOLLOW };

int util_sed(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"quiet", SH_NO_ARG, 'n'}, {"silent", SH_NO_ARG, 'n'},
        {"expression", SH_REQ_ARG, 'e'}, {"file", SH_REQ_ARG, 'f'},
        {"regexp-extended", SH_NO_ARG, 'E'}, {"in-place", SH_OPT_ARG, 'i'},
        {"separate", SH_NO_ARG, 's'}, {"null-data", SH_NO_ARG, 'z'},
        {"zero-terminated", SH_NO_ARG, 'z'}, {"line-length", SH_REQ_ARG, 'l'},
        {"unbuffered", SH_NO_ARG, 'u'}, {"posix", SH_NO_ARG, O_POSIX},
        {"debug", SH_NO_ARG, O_DEBUG}, {"sandbox", SH_NO_ARG, O_SANDBOX},
        {"follow-symlinks", SH_NO_ARG, O_FOLLOW}, {"help", SH_NO_ARG, O_HELP},
        {"version", SH_NO_ARG, O_VERSION}, {NULL, 0, 0}};
    sh_buf text = {0};
    char **where = NULL;
    size_t *starts = NULL, npieces = 0;
    bool have_script = false, quiet = false, in_place = false, separate = false, zero = false;
    bool ere = false;
    const char *suffix = NULL;
    long wrap = 70;
    int status = 0;
    sed_script sc;
    memset(&sc, 0, sizeof sc);
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "ne:f:Eri::szl:u", lo)) != -1) {
        switch (c) {
        case '?':
            status = 1;
            goto done;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: sed [OPTION]... {script-only-if-no-other-script} "
                                   "[input-file]...\n");
            goto done;
        case O_VERSION:
            sh_puts(sh_stdout(sh), "sed (GNU sed) 4.9 (wasmbox sandbox shell)\n");
            goto done;
        case 'n': quiet = true; break;
        case 'E': case 'r': ere = true; break;
        case 's': separate = true; break;
        case 'z': zero = true; break;
        case 'u': case O_POSIX: case O_DEBUG: case O_SANDBOX: case O_FOLLOW: break;
        case 'i':
            in_place = true;
            separate = true;
            suffix = st.arg;
            break;
        case 'l': {
            int64_t v;
            if (!sh_parse_int(st.arg, &v) || v < 0) {
                sh_err(sh, "invalid line length: %s", st.arg);
                status = 1;
                goto done;
            }
            wrap = (long)v;
            break;
        }
        case 'e': case 'f': {
            if (npieces)
                sh_buf_addc(&text, '\n');
            starts = sh_realloc(starts, (npieces + 1) * sizeof *starts);
            where = sh_realloc(where, (npieces + 1) * sizeof *where);
            starts[npieces] = text.len;
            sh_buf w = {0};
            if (c == 'e') {
                size_t k = 0;
                for (size_t j = 0; j < npieces; j++)
                    k += strncmp(where[j], "file ", 5) != 0;
                sh_buf_printf(&w, "-e expression #%zu", k + 1);
                sh_buf_adds(&text, st.arg);
            } else {
                sh_buf_printf(&w, "file %s", st.arg);
                sh_stream *in = sh_input(sh, st.arg);
                if (!in) {
                    sh_buf_free(&w);
                    status = 1;
                    goto done;
                }
                size_t before = text.len;
                bool ok = sh_read_all(in, &text, SH_NO_LIMIT);
                sh_input_close(sh, in);
                if (!ok) {
                    sh_errno(sh, errno, "couldn't read %s", st.arg);
                    sh_buf_free(&w);
                    status = 1;
                    goto done;
                }
                if (text.len > before && text.data[text.len - 1] == '\n')
                    text.data[--text.len] = 0;
            }
            where[npieces++] = sh_buf_take(&w);
            have_script = true;
            break;
        }
        }
    }
    while (argc > st.ind && !argv[argc - 1])
        argc--; /* the option parser took "--" out and left a NULL at the end */
    int op = st.ind;
    if (!have_script) {
        if (op >= argc) {
            sh_puts(sh_stderr(sh), "Usage: sed [OPTION]... {script-only-if-no-other-script} "
                                   "[input-file]...\n");
            status = 1;
            goto done;
        }
        starts = sh_realloc(starts, sizeof *starts);
        where = sh_realloc(where, sizeof *where);
        starts[0] = 0;
        where[0] = sh_strdup("-e expression #1");
        npieces = 1;
        sh_buf_adds(&text, argv[op++]);
    }
    /* POSIX: a script whose first line is exactly "#n" is run as with -n */
    if (text.len >= 2 && text.data[0] == '#' && text.data[1] == 'n' &&
        (text.len == 2 || text.data[2] == '\n'))
        quiet = true;
    sc.ere = ere;
    sc.zero = zero;
    if (!sed_parse(sh, &sc, text.data ? text.data : "", text.len, where, starts, npieces)) {
        status = 1;
        goto done;
    }
    sed_run r;
    memset(&r, 0, sizeof r);
    r.sh = sh;
    r.sc = &sc;
    r.quiet = quiet;
    r.separate = separate;
    r.zero = zero;
    r.wrap = wrap;
    r.rfiles = sh_calloc(sc.ncmds + 1, sizeof *r.rfiles);
    char *stdin_only[1] = {"-"};
    if (in_place) {
        if (op >= argc) {
            sh_err(sh, "no input files");
            status = 4; /* GNU's status for it */
            free(r.rfiles);
            goto done;
        }
        for (int i = op; i < argc && !r.quit; i++)
            edit_in_place(&r, argv[i], suffix);
    } else {
        r.out = (sed_out){NULL, sh_stdout(sh), false};
        r.files = op < argc ? argv + op : stdin_only;
        r.nfiles = op < argc ? argc - op : 1;
        reset_ranges(&r);
        if (separate) {
            while (!r.quit && r.fi < r.nfiles) {
                if (!open_next(&r))
                    break;
                reset_ranges(&r);
                run_input(&r);
            }
        } else {
            run_input(&r);
        }
    }
    for (size_t k = 0; k <= sc.ncmds; k++)
        if (r.rfiles[k])
            sh_close(r.rfiles[k]);
    free(r.rfiles);
    sh_buf_free(&r.ps);
    sh_buf_free(&r.hs);
    sh_buf_free(&r.spare);
    sh_buf_free(&r.look);
    sh_buf_free(&r.append);
    status = r.error ? 4 : r.exit_code ? r.exit_code : r.status;
done:
    sed_script_free(sh, &sc);
    for (size_t k = 0; k < npieces; k++)
        free(where[k]);
    free(where);
    free(starts);
    sh_buf_free(&text);
    return status;
}
