/* parse.c: shell source to AST, by recursive descent straight over the
 * characters (the shell's tokens depend on where they stand: a keyword only
 * starts a command, `}` ends a word only inside ${...}).
 *
 * The grammar is POSIX's (XCU 2.10) plus what bash scripts written by
 * agents use: `[[ ]]`, `(( ))`, `for ((;;))`, `function f`, `$'...'`,
 * `<<<`, `&>`, `|&`, `<(...)`, ${x/a/b}, ${x:1:2}, ${x^^}. Words keep their
 * structure (literal, quoted or not, and expansions), so expansion never
 * re-scans text. Errors are bash's: "shell: -c: line N: syntax error near
 * unexpected token `X'" and the line. Nesting is bounded
 * (SH_MAX_PARSE_DEPTH). This file: the arena, errors, blanks and keywords,
 * redirections, pipelines and lists, the entry points; words are in
 * parse_word.c, commands in parse_cmd.c, [[ ]] in parse_cond.c. */
#include "parse_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the arena of a unit ------------------------------------------------------ */
typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct sh_unit {
    int refs;
    block *blocks;
};

static sh_unit *unit_new(void)
{
    sh_unit *u = sh_calloc(1, sizeof *u);
    u->refs = 1;
    return u;
}

void sh_unit_ref(sh_unit *u)
{
    if (u)
        u->refs++;
}

void sh_unit_unref(sh_unit *u)
{
    if (!u || --u->refs > 0)
        return;
    for (block *b = u->blocks, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(u);
}

void *ps_alloc(sh_unit *u, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    block *b = u->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = sh_malloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = u->blocks;
        u->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *ps_strndup(sh_unit *u, const char *s, size_t n)
{
    char *d = ps_alloc(u, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ---- errors -------------------------------------------------------------------- */
/* An unterminated quote or ${ is reported at the line it started on (bash). */
void ps_fail_open(parser *p, int line, const char *what)
{
    if (p->failed)
        return;
    ps_fail(p, "unexpected EOF while looking for matching `%s'", what);
    p->err_line = line;
}
void ps_fail(parser *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&p->err, fmt, ap);
    va_end(ap);
}

/* The token at pos, as bash names it in "near unexpected token `X'". */
static void token_text(parser *p, sh_buf *out)
{
    static const char *ops[] = {";;&", "&>>", "<<<", "<<-", ";;", ";&", "&&", "||", "|&", ">>", "<<",
                                "<&", ">&", "<>", ">|", "&>", ";", "&", "|", "<", ">", "(", ")"};
    int c = pc(p);
    if (c == '\n') {
        sh_buf_adds(out, "newline");
        return;
    }
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i]);
        if (p->len - p->pos >= n && !memcmp(p->src + p->pos, ops[i], n)) {
            sh_buf_adds(out, ops[i]);
            return;
        }
    }
    size_t e = p->pos;
    while (e < p->len && !is_meta((unsigned char)p->src[e]))
        e++;
    sh_buf_add(out, p->src + p->pos, e - p->pos);
}

void ps_fail_token(parser *p)
{
    if (p->failed)
        return;
    if (pc(p) == -1) {
        ps_fail(p, "syntax error: unexpected end of file");
        return;
    }
    sh_buf t = {0};
    token_text(p, &t);
    /* bash shows the line the error is on after the message */
    size_t ls = p->pos, le = p->pos;
    while (ls > 0 && p->src[ls - 1] != '\n')
        ls--;
    while (le < p->len && p->src[le] != '\n')
        le++;
    ps_fail(p, "syntax error near unexpected token `%s'", t.data);
    sh_buf_printf(&p->err, "\n%.*s", (int)(le - ls), p->src + ls);
    sh_buf_free(&t);
}

bool ps_deeper(parser *p)
{
    if (++p->depth > SH_MAX_PARSE_DEPTH) {
        ps_fail(p, "syntax nested too deeply (more than %d levels)", SH_MAX_PARSE_DEPTH);
        return false;
    }
    return true;
}

/* ---- blanks, comments, newlines, here-documents -------------------------------- */

void ps_skip_blanks(parser *p)
{
    for (;;) {
        int c = pc(p);
        if (c == ' ' || c == '\t' || c == '\r') {
            p->pos++;
        } else if (c == '\\' && pc_at(p, 1) == '\n') {
            p->pos += 2;
            p->line++;
        } else if (c == '#') {
            while (pc(p) != -1 && pc(p) != '\n')
                p->pos++;
        } else {
            return;
        }
    }
}


/* Consumes a newline token; the bodies of pending here-documents follow it. */
void ps_eat_newline(parser *p)
{
    p->pos++;
    p->line++;
    if (p->nhd)
        ps_read_heredocs(p);
}

void ps_skip_newlines(parser *p)
{
    for (;;) {
        ps_skip_blanks(p);
        if (pc(p) != '\n' || p->failed)
            return;
        ps_eat_newline(p);
    }
}

/* ---- keywords and operators -------------------------------------------------------- */

bool ps_at_word(parser *p, const char *kw)
{
    size_t n = strlen(kw);
    if (p->len - p->pos < n || memcmp(p->src + p->pos, kw, n))
        return false;
    int c = p->pos + n < p->len ? (unsigned char)p->src[p->pos + n] : -1;
    return is_meta(c);
}

bool ps_at_keyword(parser *p, const char *kw)
{
    ps_skip_blanks(p);
    return ps_at_word(p, kw);
}

bool ps_eat_keyword(parser *p, const char *kw)
{
    if (!ps_at_keyword(p, kw))
        return false;
    p->pos += strlen(kw);
    return true;
}

bool ps_expect_keyword(parser *p, const char *kw)
{
    ps_skip_newlines(p);
    if (p->failed)
        return false;
    if (ps_eat_keyword(p, kw))
        return true;
    ps_fail_token(p);
    return false;
}

bool ps_at_op(parser *p, const char *op)
{
    size_t n = strlen(op);
    return p->len - p->pos >= n && !memcmp(p->src + p->pos, op, n);
}

/* Where a command list ends: a closing keyword or operator. */
bool ps_at_list_end(parser *p)
{
    ps_skip_blanks(p);
    int c = pc(p);
    if (c == -1 || c == ')')
        return true;
    if (ps_at_op(p, ";;") || ps_at_op(p, ";&"))
        return true;
    static const char *kws[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}"};
    for (size_t i = 0; i < sizeof kws / sizeof *kws; i++)
        if (ps_at_word(p, kws[i]))
            return true;
    return false;
}

/* ---- nodes --------------------------------------------------------------------------- */

node *ps_new_node(parser *p, int kind)
{
    node *n = ps_alloc(p->unit, sizeof *n);
    n->kind = (unsigned char)kind;
    n->line = p->line;
    return n;
}

void ps_vec_push(vec *v, void *x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->v = sh_realloc(v->v, (size_t)v->cap * sizeof *v->v);
    }
    v->v[v->n++] = x;
}

void **ps_vec_finish(parser *p, vec *v)
{
    void **a = NULL;
    if (v->n) {
        a = ps_alloc(p->unit, (size_t)v->n * sizeof *a);
        memcpy(a, v->v, (size_t)v->n * sizeof *a);
    }
    free(v->v);
    v->v = NULL;
    return a;
}

/* ---- redirections -------------------------------------------------------------------- */

/* The delimiter of a here-document: the word with its quotes removed. */
static char *heredoc_delim(parser *p, size_t start, size_t end, bool *quoted)
{
    sh_buf d = {0};
    *quoted = false;
    for (size_t i = start; i < end; i++) {
        char c = p->src[i];
        if (c == '\\' && i + 1 < end) {
            *quoted = true;
            sh_buf_addc(&d, p->src[++i]);
        } else if (c == '\'' || c == '"') {
            *quoted = true;
            char q = c;
            for (i++; i < end && p->src[i] != q; i++)
                sh_buf_addc(&d, p->src[i]);
        } else {
            sh_buf_addc(&d, c);
        }
    }
    return sh_buf_take(&d);
}

/* A redirection at pos (with an optional fd number first), or false. */
bool ps_parse_redir(parser *p, redir **out)
{
    if ((pc(p) == '<' || pc(p) == '>') && pc_at(p, 1) == '(')
        return false; /* a process substitution is a word */
    size_t save = p->pos;
    int fd = -1;
    if (isdigit(pc(p))) {
        size_t e = p->pos;
        while (e < p->len && isdigit((unsigned char)p->src[e]))
            e++;
        if (e < p->len && (p->src[e] == '<' || p->src[e] == '>') && e - p->pos <= 4) {
            fd = atoi(p->src + p->pos);
            p->pos = e;
        } else {
            return false;
        }
    }
    static const struct {
        const char *op;
        int kind, fd;
    } ops[] = {
        {"&>>", R_APPENDERR, 1}, {"&>", R_OUTERR, 1},  {"<<<", R_HERESTR, 0}, {"<<-", R_HEREDOC, 0},
        {"<<", R_HEREDOC, 0},    {"<&", R_DUPIN, 0},    {"<>", R_RDWR, 0},     {"<", R_IN, 0},
        {">>", R_APPEND, 1},     {">&", R_DUPOUT, 1},   {">|", R_CLOBBER, 1},  {">", R_OUT, 1},
    };
    size_t i;
    for (i = 0; i < sizeof ops / sizeof *ops; i++)
        if (ps_at_op(p, ops[i].op) && !(fd >= 0 && ops[i].op[0] == '&'))
            break;
    if (i == sizeof ops / sizeof *ops) {
        p->pos = save;
        return false;
    }
    p->pos += strlen(ops[i].op);
    redir *r = ps_alloc(p->unit, sizeof *r);
    r->op = (unsigned char)ops[i].kind;
    r->fd = fd >= 0 ? fd : ops[i].fd;
    ps_skip_blanks(p);
    if (r->op == R_HEREDOC) {
        size_t ws = p->pos;
        word *w = ps_read_word(p, WM_NORMAL, false);
        if (!w) {
            if (!p->failed)
                ps_fail_token(p);
            return true;
        }
        bool quoted;
        char *delim = heredoc_delim(p, ws, p->pos, &quoted);
        r->heredoc_literal = quoted;
        if (p->nhd == p->hdcap) {
            p->hdcap = p->hdcap ? p->hdcap * 2 : 4;
            p->hd = sh_realloc(p->hd, (size_t)p->hdcap * sizeof *p->hd);
        }
        p->hd[p->nhd++] = (heredoc){r, delim, ops[i].op[2] == '-', p->line};
        /* an empty body until the newline supplies one */
        r->target = ps_alloc(p->unit, sizeof(word));
    } else {
        r->target = ps_read_word(p, WM_NORMAL, false);
        if (!r->target && !p->failed)
            ps_fail_token(p);
    }
    *out = r;
    return true;
}

bool ps_parse_redirs(parser *p, redir **head)
{
    redir **tail = head;
    while (*tail)
        tail = &(*tail)->next;
    for (;;) {
        ps_skip_blanks(p);
        redir *r;
        if (!ps_parse_redir(p, &r))
            return !p->failed;
        if (p->failed)
            return false;
        *tail = r;
        tail = &r->next;
    }
}

static node *parse_pipeline(parser *p)
{
    ps_skip_blanks(p);
    bool bang = false;
    while (ps_at_word(p, "!")) {
        bang = !bang;
        p->pos++;
        ps_skip_blanks(p);
    }
    if (ps_at_keyword(p, "time")) { /* accepted and ignored: there is no clock to report */
        p->pos += 4;
        ps_skip_blanks(p);
    }
    vec cmds = {0};
    for (;;) {
        if (ps_at_list_end(p) && !p->failed) {
            ps_fail_token(p);
            break;
        }
        node *c = ps_command(p);
        if (!c) {
            if (!p->failed)
                ps_fail_token(p);
            break;
        }
        ps_vec_push(&cmds, c);
        ps_skip_blanks(p);
        if (ps_at_op(p, "||") || !ps_at_op(p, "|"))
            break;
        if (ps_at_op(p, "|&")) { /* cmd |& cmd is cmd 2>&1 | cmd */
            redir *r = ps_alloc(p->unit, sizeof *r);
            r->op = R_DUPOUT;
            r->fd = 2;
            r->target = ps_alloc(p->unit, sizeof(word));
            r->target->parts = ps_alloc(p->unit, sizeof(wpart));
            r->target->nparts = 1;
            r->target->parts[0].kind = WP_LIT;
            r->target->parts[0].u.lit.s = "1";
            r->target->parts[0].u.lit.n = 1;
            redir **t = &c->redirs;
            while (*t)
                t = &(*t)->next;
            *t = r;
            p->pos++;
        }
        p->pos++;
        ps_skip_newlines(p);
    }
    if (p->failed) {
        free(cmds.v);
        return NULL;
    }
    if (cmds.n == 1 && !bang) {
        node *c = cmds.v[0];
        free(cmds.v);
        return c;
    }
    node *n = ps_new_node(p, N_PIPELINE);
    n->line = ((node *)cmds.v[0])->line;
    n->u.pipe.bang = bang;
    n->u.pipe.n = cmds.n;
    n->u.pipe.cmds = (node **)ps_vec_finish(p, &cmds);
    return n;
}

node *ps_and_or(parser *p)
{
    node *l = parse_pipeline(p);
    for (;;) {
        if (!l)
            return NULL;
        ps_skip_blanks(p);
        int kind;
        if (ps_at_op(p, "&&"))
            kind = N_AND;
        else if (ps_at_op(p, "||"))
            kind = N_OR;
        else
            return l;
        p->pos += 2;
        ps_skip_newlines(p);
        node *n = ps_new_node(p, kind);
        n->line = l->line;
        n->u.andor.l = l;
        n->u.andor.r = parse_pipeline(p);
        if (!n->u.andor.r)
            return NULL;
        l = n;
    }
}

/* and-or lists separated by ; & and newlines, up to a closing keyword; NULL
 * when empty. At top level (toplevel), a newline ends it. */
static node *parse_list(parser *p, bool toplevel)
{
    vec items = {0};
    vec async = {0};
    for (;;) {
        if (toplevel)
            ps_skip_blanks(p);
        else
            ps_skip_newlines(p);
        if (p->failed || ps_at_list_end(p))
            break;
        node *n = ps_and_or(p);
        if (!n)
            break;
        ps_skip_blanks(p);
        bool bg = false;
        if (pc(p) == '&' && !ps_at_op(p, "&&")) {
            bg = true;
            p->pos++;
        } else if (pc(p) == ';' && !ps_at_op(p, ";;") && !ps_at_op(p, ";&")) {
            p->pos++;
        } else if (pc(p) == '\n') {
            ps_vec_push(&items, n);
            ps_vec_push(&async, (void *)(uintptr_t)bg);
            if (toplevel) {
                ps_eat_newline(p);
                break;
            }
            continue;
        } else {
            ps_vec_push(&items, n);
            ps_vec_push(&async, (void *)(uintptr_t)bg);
            if (!ps_at_list_end(p) || (toplevel && pc(p) != -1))
                ps_fail_token(p);
            break;
        }
        ps_vec_push(&items, n);
        ps_vec_push(&async, (void *)(uintptr_t)bg);
        if (toplevel) {
            ps_skip_blanks(p);
            if (pc(p) == '\n') {
                ps_eat_newline(p);
                break;
            }
            if (ps_at_list_end(p) && pc(p) != -1) {
                ps_fail_token(p);
                break;
            }
        }
    }
    if (p->failed || !items.n) {
        free(items.v);
        free(async.v);
        return NULL;
    }
    if (items.n == 1 && !async.v[0]) {
        node *n = items.v[0];
        free(items.v);
        free(async.v);
        return n;
    }
    node *l = ps_new_node(p, N_LIST);
    l->line = ((node *)items.v[0])->line;
    l->u.list.n = items.n;
    l->u.list.async = ps_alloc(p->unit, sizeof(bool) * (size_t)items.n);
    for (int i = 0; i < items.n; i++)
        l->u.list.async[i] = (bool)(uintptr_t)async.v[i];
    free(async.v);
    l->u.list.items = (node **)ps_vec_finish(p, &items);
    return l;
}

node *ps_compound_list(parser *p)
{
    return parse_list(p, false);
}

/* ---- entry points ------------------------------------------------------------------ */

parser *sh_parser_new(shctx *sh, const char *src, size_t len, const char *name, int first_line)
{
    parser *p = sh_calloc(1, sizeof *p);
    p->sh = sh;
    p->src = sh_strndup(src, len);
    p->owns_src = true;
    p->len = len;
    p->name = name;
    p->line = first_line;
    p->unit = unit_new();
    return p;
}

void sh_parser_free(parser *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nhd; i++)
        free(p->hd[i].delim);
    free(p->hd);
    if (p->owns_src)
        free(p->src);
    sh_buf_free(&p->err);
    sh_unit_unref(p->unit);
    free(p);
}

/* Where a syntax error was found, as bash says it: "-c: " for the tool's
 * command, "eval: " for eval, nothing for a script (whose name leads). */
static const char *where(const parser *p)
{
    if (!p->name || !strcmp(p->name, "-c"))
        return "-c: ";
    if (!strcmp(p->name, "eval"))
        return "eval: ";
    return "";
}

static void report(parser *p)
{
    char *msg = p->err.data ? p->err.data : "syntax error";
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = 0;
    int line = p->err_line ? p->err_line : p->line;
    shell_msg(p->sh, where(p), line, "%s", msg);
    if (nl) {
        shell_msg(p->sh, where(p), line, "`%s'", nl + 1);
        *nl = '\n';
    }
}

node *sh_parse_next(parser *p, bool *err, sh_unit **unit)
{
    *err = false;
    *unit = p->unit;
    for (;;) {
        ps_skip_newlines(p);
        if (p->failed)
            break;
        if (pc(p) == -1)
            return NULL;
        if (ps_at_list_end(p)) {
            ps_fail_token(p);
            break;
        }
        node *n = parse_list(p, true);
        if (p->failed)
            break;
        if (pc(p) == -1 && p->nhd)
            ps_read_heredocs(p);
        if (n)
            return n;
    }
    *err = true;
    report(p);
    p->pos = p->len;
    return NULL;
}
