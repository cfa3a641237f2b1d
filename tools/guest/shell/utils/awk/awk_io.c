/* awk_io.c: records in (RS as one character, "" for paragraphs, or a
 * regex as gawk has it), the main input over ARGV (assignments done when
 * reached), getline's files and commands, and output to stdout, files and
 * commands. There are no processes: "cmd | getline" runs cmd in the shell
 * to its end and reads what it printed; print | "cmd" collects the output
 * and runs cmd with it as stdin when the pipe is closed (close(), or at the
 * end); system() runs the command in the shell with awk's streams. */
#include "awk.h"
#include "../../internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#define READ_BLOCK (64 * 1024)
#define OUT_FLUSH (64 * 1024)

void areader_free(areader *r)
{
    sh_buf_free(&r->buf);
    r->pos = 0;
}

/* Reads at least one more block into r (or, when want is larger, up to
 * want bytes: a regex RS searches the whole buffer again after each fill,
 * so its reads double to keep that linear). False at the end. */
static bool fill_n(awk_state *a, areader *r, size_t want)
{
    if (r->eof || !r->in)
        return r->eof = true, false;
    if (r->buf.len - r->pos > AWK_MAX_RECORD) {
        awk_fatal(a, "a record is over %zu MiB (RS never matched): split the input first",
                  AWK_MAX_RECORD >> 20);
        r->eof = true;
        return false;
    }
    if (r->pos > 0 && r->pos >= r->buf.len / 2) {
        memmove(r->buf.data, r->buf.data + r->pos, r->buf.len - r->pos);
        r->buf.len -= r->pos;
        r->pos = 0;
    }
    if (want < READ_BLOCK)
        want = READ_BLOCK;
    size_t got = 0;
    while (got < want) {
        sh_buf_reserve(&r->buf, READ_BLOCK + 1);
        ssize_t k = sh_read(r->in, r->buf.data + r->buf.len, READ_BLOCK);
        if (k < 0) {
            sh_err(a->sh, "read error: %s", sh_strerror(errno));
            r->eof = true;
            break;
        }
        if (k == 0) {
            r->eof = true;
            break;
        }
        r->buf.len += (size_t)k;
        r->buf.data[r->buf.len] = 0;
        got += (size_t)k;
        if (want == READ_BLOCK)
            break;   /* one block is enough: what a pipe has now */
    }
    return got > 0;
}

static bool fill(awk_state *a, areader *r)
{
    return fill_n(a, r, READ_BLOCK);
}

static astr *take(areader *r, size_t start, size_t end, size_t next)
{
    astr *s = astr_new(r->buf.data + start, end - start);
    r->pos = next;
    return s;
}

static bool read_char_rs(awk_state *a, areader *r, char c, astr **rec)
{
    size_t scanned = 0;
    for (;;) {
        size_t from = r->pos + scanned;
        const char *hit = r->buf.len > from ? rx_memchr(r->buf.data + from, c, r->buf.len - from) : NULL;
        if (hit) {
            size_t e = (size_t)(hit - r->buf.data);
            *rec = take(r, r->pos, e, e + 1);
            return true;
        }
        scanned = r->buf.len - r->pos;
        size_t before = r->pos;
        if (!fill(a, r)) {
            if (r->buf.len > r->pos) {
                *rec = take(r, r->pos, r->buf.len, r->buf.len);
                return true;
            }
            return false;
        }
        (void)before;
    }
}

static bool read_paragraph(awk_state *a, areader *r, astr **rec)
{
    /* leading newlines are no record */
    for (;;) {
        while (r->pos < r->buf.len && r->buf.data[r->pos] == '\n')
            r->pos++;
        if (r->pos < r->buf.len)
            break;
        if (!fill(a, r))
            return false;
    }
    size_t scanned = 0;
    for (;;) {
        size_t from = r->pos + scanned;
        for (size_t i = from; i + 1 < r->buf.len; i++) {
            if (r->buf.data[i] == '\n' && r->buf.data[i + 1] == '\n') {
                *rec = take(r, r->pos, i, i + 2);
                return true;
            }
        }
        scanned = r->buf.len - r->pos ? r->buf.len - r->pos - 1 : 0;
        if (!fill(a, r)) {
            size_t e = r->buf.len;
            while (e > r->pos && r->buf.data[e - 1] == '\n')
                e--;
            if (e > r->pos) {
                *rec = take(r, r->pos, e, r->buf.len);
                return true;
            }
            r->pos = r->buf.len;
            return false;
        }
    }
}

static bool read_regex_rs(awk_state *a, areader *r, rx_prog *re, astr **rec)
{
    for (;;) {
        rx_span m;
        size_t len = r->buf.len;
        bool found = false;
        if (len > r->pos) {
            rx_iter it = {r->pos, RX_NOPOS};
            while (rx_find_next(re, r->buf.data, len, &it, &m, 1)) {
                if (m.end > m.start) {
                    found = true;
                    break;
                }
            }
        }
        /* a match that touches the end may grow with more input */
        if (found && (m.end < len || r->eof)) {
            *rec = take(r, r->pos, m.start, m.end);
            return true;
        }
        if (!r->eof) {
            fill_n(a, r, r->buf.len - r->pos); /* the buffer may move: search again */
            continue;
        }
        if (r->buf.len > r->pos) {
            *rec = take(r, r->pos, r->buf.len, r->buf.len);
            return true;
        }
        return false;
    }
}

bool awk_read_record(awk_state *a, areader *r, astr **rec)
{
    acell *c = &a->globals[V_RS];
    astr *rs = aval_to_str(a, &c->v, false);
    bool ok;
    if (rs->len == 1) {
        ok = read_char_rs(a, r, rs->s[0], rec);
    } else if (rs->len == 0) {
        ok = read_paragraph(a, r, rec);
    } else {
        rx_prog *re = awk_rx_dynamic(a, rs);
        ok = re && read_regex_rs(a, r, re, rec);
    }
    astr_unref(rs);
    /* the buffer is dropped once it is used up, so a reader keeps little */
    if (r->pos == r->buf.len && r->buf.len > 4 * READ_BLOCK) {
        sh_buf_free(&r->buf);
        r->pos = 0;
    }
    return ok;
}

/* ---- the main input --------------------------------------------------------- */
static void set_num(awk_state *a, int idx, double d)
{
    awk_set_global(a, idx, aval_num(d));
}

static bool valid_name(const char *s, size_t n)
{
    if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

bool awk_operand_assign(awk_state *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || !valid_name(arg, (size_t)(eq - arg)))
        return false;
    int idx = -1;
    for (int i = 0; i < a->prog->nglobals; i++)
        if (strlen(a->prog->globals[i]) == (size_t)(eq - arg) && !memcmp(a->prog->globals[i], arg, (size_t)(eq - arg)))
            idx = i;
    sh_buf b = {0};
    awk_unescape(&b, eq + 1, strlen(eq + 1));
    astr *v = astr_new(b.data ? b.data : "", b.len);
    sh_buf_free(&b);
    if (idx < 0) {      /* a name the program never uses */
        astr_unref(v);
        return true;
    }
    if (idx == V_ENVIRON || idx == V_ARGV || a->globals[idx].kind == K_ARRAY) {
        astr_unref(v);
        awk_fatal(a, "cannot assign to array `%s' on the command line", a->prog->globals[idx]);
        return true;
    }
    awk_set_global(a, idx, aval_strnum(v));
    return true;
}

static bool open_next(awk_state *a)
{
    for (;;) {
        double argc = aval_to_num(&a->globals[V_ARGC].v);
        if (a->fatal)
            return false;
        /* ARGC may be anything: past ARGV's last numbered element there is nothing */
        aarr *args = awk_cell_array(a, &a->globals[V_ARGV], "ARGV");
        double last = 0;
        for (aelem *e = args ? args->first : NULL; e; e = e->next) {
            double k;
            if (awk_looks_numeric(e->key->s, e->key->len, &k) && k > last)
                last = k;
        }
        if (!((double)a->argi < argc) || (double)a->argi > last) {
            if (a->used_stdin)
                return false;
            /* no file operand at all: standard input */
            a->used_stdin = true;
            a->main = (areader){sh_stdin(a->sh), false, {0}, 0, false};
            a->main_open = true;
            set_num(a, V_FNR, 0);
            return true;
        }
        char key[24];
        size_t kn = sh_fmt_u64(key, (uint64_t)a->argi++);
        aarr *argv = awk_cell_array(a, &a->globals[V_ARGV], "ARGV");
        aelem *e = argv ? aarr_get(argv, key, kn, false) : NULL;
        if (!e)
            continue;
        astr *s = aval_to_str(a, &e->v, false);
        if (s->len == 0 || awk_operand_assign(a, s->s)) {
            astr_unref(s);
            if (a->fatal)
                return false;
            continue;
        }
        a->used_stdin = true; /* a file operand: stdin is not read by default */
        sh_stream *in;
        bool own = true;
        if (!strcmp(s->s, "-") || !strcmp(s->s, "/dev/stdin")) {
            in = sh_stdin(a->sh);
            own = false;
        } else {
            in = sh_open(a->sh, s->s, O_RDONLY);
            if (!in) {
                int e2 = errno;
                a->cur_line = 0;
                awk_fatal(a, "cannot open file '%s' for reading: %s", s->s, sh_strerror(e2));
                astr_unref(s);
                return false;
            }
            int64_t size;
            (void)size;
        }
        a->main = (areader){in, own, {0}, 0, false};
        a->main_open = true;
        awk_set_global(a, V_FILENAME, aval_strnum(s));
        set_num(a, V_FNR, 0);
        return true;
    }
}

void awk_close_main(awk_state *a)
{
    if (!a->main_open)
        return;
    if (a->main.own)
        sh_close(a->main.in);
    areader_free(&a->main);
    a->main_open = false;
}

bool awk_next_main(awk_state *a, astr **rec)
{
    if (a->main_done)
        return false;
    for (;;) {
        if (!a->main_open && !open_next(a)) {
            a->main_done = true;
            return false;
        }
        if (awk_read_record(a, &a->main, rec)) {
            set_num(a, V_NR, aval_to_num(&a->globals[V_NR].v) + 1);
            set_num(a, V_FNR, aval_to_num(&a->globals[V_FNR].v) + 1);
            return true;
        }
        awk_close_main(a);
        if (a->fatal || sh_interrupted(a->sh)) {
            a->main_done = true;
            return false;
        }
    }
}

/* ---- running commands --------------------------------------------------------- */
int awk_run_shell(awk_state *a, const char *cmd, const char *in, size_t inlen, sh_buf *out)
{
    shctx *sh = a->sh;
    awk_flush(a, true);
    sh_stream *old_in = sh->st.fds[0], *old_out = sh->st.fds[1], *mine_in = NULL, *pipe = NULL;
    if (in) {
        char *copy = sh_malloc(inlen + 1);
        memcpy(copy, in, inlen);
        copy[inlen] = 0;
        mine_in = stream_bytes(copy, inlen);
        sh->st.fds[0] = mine_in;
    }
    if (out) {
        pipe = stream_pipe(sh, SH_PIPE_MAX);
        sh->st.fds[1] = pipe;
    }
    const char *name = sh->cmd_name;
    unsigned flags = sh->cmd_flags;
    char *argv[] = {"sh", "-c", (char *)cmd, NULL};
    int charge = a->nest / AWK_LEVELS_PER_SHELL_LEVEL + 1;
    sh->nest += charge;
    int status = sh_run_program(sh, 3, argv);
    sh->nest -= charge;
    sh->cmd_name = name;
    sh->cmd_flags = flags;
    sh->st.fds[0] = old_in;
    sh->st.fds[1] = old_out;
    if (mine_in)
        stream_unref(mine_in);
    if (pipe) {
        size_t n;
        const char *d = stream_pipe_data(pipe, &n);
        sh_buf_add(out, d, n);
        stream_unref(pipe);
    }
    if (sh->fatal)
        a->fatal = true;
    return status;
}

/* ---- output ------------------------------------------------------------------ */
static bool write_all(awk_state *a, sh_stream *s, sh_buf *b)
{
    if (!b->len)
        return true;
    bool ok = sh_write(s, b->data, b->len);
    b->len = 0;
    if (!ok) {
        if (errno != EPIPE)
            awk_fatal(a, "write error: %s", sh_strerror(errno));
        else
            a->fatal = true;
    }
    return ok;
}

bool awk_flush(awk_state *a, bool all)
{
    bool ok = write_all(a, sh_stdout(a->sh), &a->out);
    if (all)
        for (aio *f = a->ios; f; f = f->next)
            if ((f->kind == IO_OUT || f->kind == IO_APPEND) && f->s) {
                ok = write_all(a, f->s, &f->out) && ok;
                sh_flush(f->s);
            }
    return ok;
}

static aio *find_io(awk_state *a, const char *name, size_t n, bool output)
{
    for (aio *f = a->ios; f; f = f->next) {
        bool fo = f->kind == IO_OUT || f->kind == IO_APPEND || f->kind == IO_PIPE_OUT;
        if (fo == output && strlen(f->name) == n && !memcmp(f->name, name, n))
            return f;
    }
    return NULL;
}

static aio *add_io(awk_state *a, const char *name, int kind)
{
    aio *f = sh_calloc(1, sizeof *f);
    f->name = sh_strdup(name);
    f->kind = kind;
    aio **pp = &a->ios;
    while (*pp)
        pp = &(*pp)->next;
    *pp = f;
    return f;
}

bool awk_output(awk_state *a, int rd, astr *target, const char *p, size_t n)
{
    if (rd == RD_NONE || ((rd == RD_FILE || rd == RD_APPEND) &&
                          (!strcmp(target->s, "/dev/stdout") || !strcmp(target->s, "-")))) {
        sh_buf_add(&a->out, p, n);
        if (a->out.len >= OUT_FLUSH)
            return awk_flush(a, false);
        return true;
    }
    if (rd != RD_PIPE && !strcmp(target->s, "/dev/stderr")) {
        awk_flush(a, false);
        return sh_write(sh_stderr(a->sh), p, n);
    }
    if (target->len == 0) {
        awk_fatal(a, "expression for `%s' redirection has null string value",
                  rd == RD_PIPE ? "|" : rd == RD_APPEND ? ">>" : ">");
        return false;
    }
    aio *f = find_io(a, target->s, target->len, true);
    if (!f) {
        if (rd == RD_PIPE) {
            f = add_io(a, target->s, IO_PIPE_OUT);
        } else {
            int flags = O_WRONLY | O_CREAT | (rd == RD_APPEND ? O_APPEND : O_TRUNC);
            sh_stream *s = sh_open(a->sh, target->s, flags);
            if (!s) {
                awk_fatal(a, "cannot redirect to '%s': %s", target->s, sh_strerror(errno));
                return false;
            }
            f = add_io(a, target->s, rd == RD_APPEND ? IO_APPEND : IO_OUT);
            f->s = s;
            f->own = true;
        }
    }
    if (f->kind == IO_PIPE_OUT && f->out.len + n > AWK_PIPE_MAX) {
        awk_fatal(a, "output to pipe '%s' is over %zu MiB (the sandbox runs the command when "
                     "the pipe is closed, with all of it as input)", f->name, AWK_PIPE_MAX >> 20);
        return false;
    }
    sh_buf_add(&f->out, p, n);
    if (f->kind != IO_PIPE_OUT && f->out.len >= OUT_FLUSH)
        return write_all(a, f->s, &f->out);
    return true;
}

/* ---- input for getline ---------------------------------------------------------- */
areader *awk_input(awk_state *a, bool cmd, astr *name)
{
    aio *f = find_io(a, name->s, name->len, false);
    if (f)
        return &f->rd;
    if (cmd) {
        sh_buf out = {0};
        int st = awk_run_shell(a, name->s, NULL, 0, &out);
        f = add_io(a, name->s, IO_PIPE_IN);
        f->status = st;
        f->rd.buf = out;
        f->rd.eof = true;
        return &f->rd;
    }
    sh_stream *s;
    bool own = true;
    if (!strcmp(name->s, "-") || !strcmp(name->s, "/dev/stdin")) {
        s = sh_stdin(a->sh);
        own = false;
    } else {
        s = sh_open(a->sh, name->s, O_RDONLY);
        if (!s)
            return NULL;
    }
    f = add_io(a, name->s, IO_IN);
    f->s = s;
    f->own = own;
    f->rd.in = s;
    return &f->rd;
}

/* Finishes one stream: writes or runs what it holds. The status. */
static int finish(awk_state *a, aio *f)
{
    int st = 0;
    switch (f->kind) {
    case IO_OUT:
    case IO_APPEND:
        if (!write_all(a, f->s, &f->out))
            st = -1;
        if (f->own && !sh_close(f->s) && st == 0) {
            awk_fatal(a, "close of '%s' failed: %s", f->name, sh_strerror(errno));
            st = -1;
        }
        break;
    case IO_PIPE_OUT:
        st = awk_run_shell(a, f->name, f->out.data ? f->out.data : "", f->out.len, NULL);
        break;
    case IO_IN:
        if (f->own)
            sh_close(f->s);
        break;
    case IO_PIPE_IN:
        st = f->status;
        break;
    }
    sh_buf_free(&f->out);
    areader_free(&f->rd);
    free(f->name);
    free(f);
    return st;
}

int awk_close(awk_state *a, astr *name)
{
    /* a name may be open for reading and for writing: both are closed */
    int st = -1;
    for (aio **pp = &a->ios; *pp;) {
        aio *f = *pp;
        if (strlen(f->name) == name->len && !memcmp(f->name, name->s, name->len)) {
            *pp = f->next;
            st = finish(a, f);
        } else {
            pp = &f->next;
        }
    }
    return st;
}

bool awk_close_all(awk_state *a)
{
    bool ok = awk_flush(a, false);
    while (a->ios) {
        aio *f = a->ios;
        a->ios = f->next;
        if (a->fatal && f->kind == IO_PIPE_OUT) {
            /* after an error, commands are not run */
            sh_buf_free(&f->out);
            free(f->name);
            free(f);
            continue;
        }
        if (finish(a, f) < 0)
            ok = false;
    }
    return awk_flush(a, false) && ok;
}
