/* parse.c: shell source to AST, by recursive descent straight over the
 * characters (the shell's tokens depend on where they stand: a keyword only
 * starts a command, `}` ends a word only inside ${...}).
 *
 * The grammar is POSIX's (XCU 2.10) plus what bash scripts written by
 * agents use: `[[ ]]`, `(( ))`, `for ((;;))`, `function f`, `$'...'`,
 * `<<<`, `&>`, `|&`, ${x/a/b}, ${x:1:2}, ${x^^}. Words keep their structure
 * (literal, quoted or not, and expansions), so expansion never re-scans text.
 * Errors are bash's: "shell: -c: line N: syntax error near unexpected token
 * `X'" and the line. Nesting is bounded (SH_MAX_PARSE_DEPTH). */
#include "internal.h"

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

static void *arena_alloc(sh_unit *u, size_t n)
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

static char *arena_strndup(sh_unit *u, const char *s, size_t n)
{
    char *d = arena_alloc(u, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ---- the parser --------------------------------------------------------------- */
typedef struct {
    redir *r;
    char *delim;
    bool strip_tabs;
    int line;
} heredoc;

struct parser {
    shctx *sh;
    char *src;
    size_t len, pos;
    const char *name;
    int line;
    sh_unit *unit;
    int depth;
    bool failed;
    sh_buf err;        /* the message, without the "shell: " prefix */
    int err_line;      /* the line the message names (0: where the parser is) */
    heredoc *hd;       /* here-documents whose bodies follow the next newline */
    int nhd, hdcap;
    bool owns_src;
};

enum wmode {
    WM_NORMAL,  /* a shell word: ends at a metacharacter */
    WM_DQ,      /* inside "...": ends at '"' */
    WM_BRACE,   /* the word of ${x:-word}: ends at '}' */
    WM_PAT,     /* the pattern of ${x/pat/rep}: ends at '/' or '}' */
    WM_OFFSET,  /* ${x:off:len}: ends at ':' or '}' */
    WM_ARITH,   /* $(( ... )): ends at '))' */
    WM_ARITHFOR,/* for (( a; b; c )): ends at ';' or '))' */
    WM_HEREDOC, /* a here-document body: ends at its end */
    WM_REGEX    /* the right side of =~: ends at a blank outside parentheses */
};

static word *read_word(parser *p, enum wmode mode, bool dq);
static node *parse_compound_list(parser *p);
static node *parse_command(parser *p);
static node *parse_and_or(parser *p);

static int pc(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->src[p->pos] : -1;
}

static int pc_at(const parser *p, size_t k)
{
    return p->pos + k < p->len ? (unsigned char)p->src[p->pos + k] : -1;
}

static bool is_meta(int c)
{
    return c == -1 || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' ||
           c == '<' || c == '>' || c == '(' || c == ')';
}

static void fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An unterminated quote or ${ is reported at the line it started on (bash). */
static void fail_open(parser *p, int line, const char *what)
{
    if (p->failed)
        return;
    fail(p, "unexpected EOF while looking for matching `%s'", what);
    p->err_line = line;
}
static void fail(parser *p, const char *fmt, ...)
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

static void fail_token(parser *p)
{
    if (p->failed)
        return;
    if (pc(p) == -1) {
        fail(p, "syntax error: unexpected end of file");
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
    fail(p, "syntax error near unexpected token `%s'", t.data);
    sh_buf_printf(&p->err, "\n%.*s", (int)(le - ls), p->src + ls);
    sh_buf_free(&t);
}

static bool deeper(parser *p)
{
    if (++p->depth > SH_MAX_PARSE_DEPTH) {
        fail(p, "syntax nested too deeply (more than %d levels)", SH_MAX_PARSE_DEPTH);
        return false;
    }
    return true;
}

/* ---- blanks, comments, newlines, here-documents -------------------------------- */

static void skip_blanks(parser *p)
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

static void read_heredocs(parser *p);

/* Consumes a newline token; the bodies of pending here-documents follow it. */
static void eat_newline(parser *p)
{
    p->pos++;
    p->line++;
    if (p->nhd)
        read_heredocs(p);
}

static void skip_newlines(parser *p)
{
    for (;;) {
        skip_blanks(p);
        if (pc(p) != '\n' || p->failed)
            return;
        eat_newline(p);
    }
}

/* A sub-parser over text, sharing the unit (backquotes, here-documents). */
static void sub_init(parser *sub, parser *p, char *text, size_t n, int line)
{
    memset(sub, 0, sizeof *sub);
    sub->sh = p->sh;
    sub->src = text;
    sub->len = n;
    sub->name = p->name;
    sub->line = line;
    sub->unit = p->unit;
    sub->depth = p->depth;
}

static void sub_done(parser *sub, parser *p)
{
    if (sub->failed && !p->failed) {
        p->failed = true;
        sh_buf_add(&p->err, sub->err.data, sub->err.len);
    }
    sh_buf_free(&sub->err);
    free(sub->hd);
}

static void read_heredocs(parser *p)
{
    int n = p->nhd;
    p->nhd = 0;
    for (int i = 0; i < n; i++) {
        heredoc *h = &p->hd[i];
        sh_buf body = {0};
        size_t dl = strlen(h->delim);
        bool found = false;
        while (p->pos < p->len) {
            size_t e = p->pos;
            while (e < p->len && p->src[e] != '\n')
                e++;
            size_t s = p->pos;
            if (h->strip_tabs)
                while (s < e && p->src[s] == '\t')
                    s++;
            p->pos = e < p->len ? e + 1 : e;
            p->line++;
            if (e - s == dl && !memcmp(p->src + s, h->delim, dl)) {
                found = true;
                break;
            }
            sh_buf_add(&body, p->src + s, e - s);
            sh_buf_addc(&body, '\n');
        }
        if (!found) {
            shell_msg(p->sh, "", p->line - 1,
                      "warning: here-document at line %d delimited by end-of-file (wanted `%s')",
                      h->line, h->delim);
        }
        word *w;
        if (h->r->heredoc_literal) {
            w = arena_alloc(p->unit, sizeof *w);
            w->parts = arena_alloc(p->unit, sizeof(wpart));
            w->nparts = 1;
            w->parts[0].kind = WP_LIT;
            w->parts[0].quoted = true;
            w->parts[0].u.lit.s = arena_strndup(p->unit, body.data ? body.data : "", body.len);
            w->parts[0].u.lit.n = body.len;
        } else {
            parser sub;
            sub_init(&sub, p, body.data ? body.data : (char *)"", body.len, h->line + 1);
            w = read_word(&sub, WM_HEREDOC, true);
            sub_done(&sub, p);
        }
        h->r->target = w;
        sh_buf_free(&body);
        free(h->delim);
    }
}

/* ---- words ----------------------------------------------------------------------- */
typedef struct {
    wpart *v;
    int n, cap;
    sh_buf lit;
    bool lit_quoted, have_lit;
} partsb;

static void pb_push(parser *p, partsb *b, wpart part)
{
    (void)p;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 4;
        b->v = sh_realloc(b->v, (size_t)b->cap * sizeof *b->v);
    }
    b->v[b->n++] = part;
}

static void pb_flush(parser *p, partsb *b)
{
    if (!b->have_lit)
        return;
    wpart w = {.kind = WP_LIT, .quoted = b->lit_quoted};
    w.u.lit.s = arena_strndup(p->unit, b->lit.data ? b->lit.data : "", b->lit.len);
    w.u.lit.n = b->lit.len;
    b->lit.len = 0;
    b->have_lit = false;
    pb_push(p, b, w);
}

static void pb_lit(parser *p, partsb *b, const char *s, size_t n, bool quoted)
{
    if (b->have_lit && b->lit_quoted != quoted)
        pb_flush(p, b);
    b->have_lit = true;
    b->lit_quoted = quoted;
    sh_buf_add(&b->lit, s, n);
}

static void pb_litc(parser *p, partsb *b, char c, bool quoted)
{
    pb_lit(p, b, &c, 1, quoted);
}

/* An empty quoted string: still makes a field ("" and ''). */
static void pb_empty_quoted(parser *p, partsb *b)
{
    pb_lit(p, b, "", 0, true);
}

static void pb_part(parser *p, partsb *b, wpart part)
{
    pb_flush(p, b);
    pb_push(p, b, part);
}

static void pb_word(parser *p, partsb *b, const word *w)
{
    pb_flush(p, b);
    for (int i = 0; i < w->nparts; i++)
        pb_push(p, b, w->parts[i]);
}

static word *pb_finish(parser *p, partsb *b)
{
    pb_flush(p, b);
    word *w = arena_alloc(p->unit, sizeof *w);
    w->nparts = b->n;
    if (b->n) {
        w->parts = arena_alloc(p->unit, (size_t)b->n * sizeof *w->parts);
        memcpy(w->parts, b->v, (size_t)b->n * sizeof *w->parts);
    }
    free(b->v);
    sh_buf_free(&b->lit);
    return w;
}

static void pb_drop(partsb *b)
{
    free(b->v);
    sh_buf_free(&b->lit);
}

/* Inside $(...): a command list up to the matching ')'. */
static node *parse_cmdsub(parser *p)
{
    if (!deeper(p))
        return NULL;
    node *n = parse_compound_list(p);
    skip_newlines(p);
    if (!p->failed) {
        if (pc(p) == ')')
            p->pos++;
        else if (pc(p) == -1)
            fail(p, "unexpected EOF while looking for matching `)'");
        else
            fail_token(p);
    }
    p->depth--;
    return n;
}

/* `...`: the text up to the closing backquote, with \$ \` \\ (and \" inside
 * double quotes) unescaped, parsed as a command list. */
static bool parse_backquote(parser *p, partsb *b, bool dq)
{
    int line = p->line;
    p->pos++;
    sh_buf text = {0};
    for (;;) {
        int c = pc(p);
        if (c == -1) {
            sh_buf_free(&text);
            fail_open(p, line, "`");
            return false;
        }
        p->pos++;
        if (c == '`')
            break;
        if (c == '\n')
            p->line++;
        if (c == '\\') {
            int d = pc(p);
            if (d == '$' || d == '`' || d == '\\' || (dq && d == '"')) {
                sh_buf_addc(&text, (char)d);
                p->pos++;
                continue;
            }
        }
        sh_buf_addc(&text, (char)c);
    }
    if (!deeper(p)) {
        sh_buf_free(&text);
        return false;
    }
    parser sub;
    sub_init(&sub, p, text.data ? text.data : (char *)"", text.len, line);
    node *n = parse_compound_list(&sub);
    skip_newlines(&sub);
    if (!sub.failed && pc(&sub) != -1)
        fail_token(&sub);
    sub_done(&sub, p);
    sh_buf_free(&text);
    p->depth--;
    wpart w = {.kind = WP_CMDSUB, .quoted = dq};
    w.u.cmd = n;
    pb_part(p, b, w);
    return !p->failed;
}

/* $'...': ANSI-C escapes. */
static bool parse_ansi(parser *p, partsb *b)
{
    int line = p->line;
    p->pos++; /* the quote */
    pb_empty_quoted(p, b);
    for (;;) {
        int c = pc(p);
        if (c == -1) {
            fail_open(p, line, "'");
            return false;
        }
        p->pos++;
        if (c == '\'')
            return true;
        if (c == '\n')
            p->line++;
        if (c != '\\') {
            pb_litc(p, b, (char)c, true);
            continue;
        }
        int d = pc(p);
        if (d == -1) {
            pb_litc(p, b, '\\', true);
            continue;
        }
        p->pos++;
        unsigned v;
        int k;
        switch (d) {
        case 'a': pb_litc(p, b, '\a', true); break;
        case 'b': pb_litc(p, b, '\b', true); break;
        case 'e':
        case 'E': pb_litc(p, b, 27, true); break;
        case 'f': pb_litc(p, b, '\f', true); break;
        case 'n': pb_litc(p, b, '\n', true); break;
        case 'r': pb_litc(p, b, '\r', true); break;
        case 't': pb_litc(p, b, '\t', true); break;
        case 'v': pb_litc(p, b, '\v', true); break;
        case '\\': pb_litc(p, b, '\\', true); break;
        case '\'': pb_litc(p, b, '\'', true); break;
        case '"': pb_litc(p, b, '"', true); break;
        case '?': pb_litc(p, b, '?', true); break;
        case 'c':
            if (pc(p) != -1) {
                pb_litc(p, b, (char)(pc(p) & 0x1f), true);
                p->pos++;
            }
            break;
        case 'x':
            v = 0;
            for (k = 0; k < 2 && isxdigit(pc(p)); k++, p->pos++)
                v = v * 16 + (unsigned)(isdigit(pc(p)) ? pc(p) - '0' : (tolower(pc(p)) - 'a' + 10));
            if (k)
                pb_litc(p, b, (char)v, true);
            else
                pb_lit(p, b, "\\x", 2, true);
            break;
        case 'u':
        case 'U': {
            int max = d == 'u' ? 4 : 8;
            v = 0;
            for (k = 0; k < max && isxdigit(pc(p)); k++, p->pos++)
                v = v * 16 + (unsigned)(isdigit(pc(p)) ? pc(p) - '0' : (tolower(pc(p)) - 'a' + 10));
            if (!k) {
                char t[2] = {'\\', (char)d};
                pb_lit(p, b, t, 2, true);
                break;
            }
            char u[4];
            int n = 0;
            if (v < 0x80) {
                u[n++] = (char)v;
            } else if (v < 0x800) {
                u[n++] = (char)(0xc0 | (v >> 6));
                u[n++] = (char)(0x80 | (v & 0x3f));
            } else if (v < 0x10000) {
                u[n++] = (char)(0xe0 | (v >> 12));
                u[n++] = (char)(0x80 | ((v >> 6) & 0x3f));
                u[n++] = (char)(0x80 | (v & 0x3f));
            } else if (v < 0x110000) {
                u[n++] = (char)(0xf0 | (v >> 18));
                u[n++] = (char)(0x80 | ((v >> 12) & 0x3f));
                u[n++] = (char)(0x80 | ((v >> 6) & 0x3f));
                u[n++] = (char)(0x80 | (v & 0x3f));
            }
            pb_lit(p, b, u, (size_t)n, true);
            break;
        }
        default:
            if (d >= '0' && d <= '7') {
                v = (unsigned)(d - '0');
                for (k = 1; k < 3 && pc(p) >= '0' && pc(p) <= '7'; k++, p->pos++)
                    v = v * 8 + (unsigned)(pc(p) - '0');
                pb_litc(p, b, (char)v, true);
            } else {
                char t[2] = {'\\', (char)d};
                pb_lit(p, b, t, 2, true);
            }
        }
    }
}

/* Skips to the '}' closing a ${ that cannot be parsed, for a runtime "bad
 * substitution" (bash reports it when the word is expanded, not parsed). */
static bool bad_subst(parser *p, partsb *b, size_t start, bool dq)
{
    int line = p->line;
    int depth = 1;
    while (pc(p) != -1) {
        int c = pc(p);
        p->pos++;
        if (c == '{')
            depth++;
        else if (c == '}' && --depth == 0)
            break;
        else if (c == '\n')
            p->line++;
    }
    if (depth) {
        fail_open(p, line, "}");
        return false;
    }
    wpart w = {.kind = WP_PARAM, .quoted = dq};
    w.u.param.name = NULL; /* NULL name: bad substitution of the text in arg */
    word *t = arena_alloc(p->unit, sizeof *t);
    t->parts = arena_alloc(p->unit, sizeof(wpart));
    t->nparts = 1;
    t->parts[0].kind = WP_LIT;
    t->parts[0].u.lit.s = arena_strndup(p->unit, p->src + start, p->pos - start);
    t->parts[0].u.lit.n = p->pos - start;
    w.u.param.arg = t;
    pb_part(p, b, w);
    return true;
}

static bool expect_brace(parser *p, int line)
{
    if (pc(p) == '}') {
        p->pos++;
        return true;
    }
    if (pc(p) == -1)
        fail_open(p, line, "}");
    return false;
}

/* After "${". */
static bool parse_brace(parser *p, partsb *b, bool dq)
{
    size_t start = p->pos - 2;
    int line = p->line;
    if (!deeper(p))
        return false;
    wpart w = {.kind = WP_PARAM, .quoted = dq};
    int c = pc(p);
    /* ${#}, ${#name}: length */
    if (c == '#' && pc_at(p, 1) != '}' && pc_at(p, 1) != -1) {
        int d = pc_at(p, 1);
        if (isalnum(d) || d == '_' || strchr("@*?-$!", d)) {
            p->pos++;
            w.u.param.op = P_LENGTH;
            c = pc(p);
        }
    } else if (c == '!' && (isalpha(pc_at(p, 1)) || pc_at(p, 1) == '_')) {
        p->pos++;
        w.u.param.indirect = true;
        c = pc(p);
    }
    size_t ns = p->pos;
    if (isalpha(c) || c == '_') {
        while (isalnum(pc(p)) || pc(p) == '_')
            p->pos++;
    } else if (isdigit(c)) {
        while (isdigit(pc(p)))
            p->pos++;
    } else if (c != -1 && strchr("@*#?-$!", c)) {
        p->pos++;
    } else {
        p->depth--;
        return bad_subst(p, b, start, dq);
    }
    w.u.param.name = arena_strndup(p->unit, p->src + ns, p->pos - ns);
    c = pc(p);
    bool ok = true;
    if (c == '}') {
        p->pos++;
    } else if (w.u.param.op == P_LENGTH) {
        p->depth--;
        return bad_subst(p, b, start, dq);
    } else {
        if (c == ':' && pc_at(p, 1) != -1 && strchr("-=+?", pc_at(p, 1))) {
            w.u.param.colon = true;
            p->pos++;
            c = pc(p);
        }
        if (c != -1 && strchr("-=+?", c)) {
            p->pos++;
            w.u.param.op = c == '-' ? P_DEFAULT : c == '=' ? P_ASSIGN : c == '+' ? P_ALT : P_ERROR;
            w.u.param.arg = read_word(p, WM_BRACE, dq);
            ok = !p->failed && expect_brace(p, line);
        } else if (!w.u.param.colon && (c == '#' || c == '%')) {
            p->pos++;
            bool twice = pc(p) == c;
            if (twice)
                p->pos++;
            w.u.param.op = c == '#' ? (twice ? P_RM_LPRE : P_RM_SPRE) : (twice ? P_RM_LSUF : P_RM_SSUF);
            w.u.param.arg = read_word(p, WM_BRACE, false);
            ok = !p->failed && expect_brace(p, line);
        } else if (c == '/') {
            p->pos++;
            w.u.param.op = P_SUB_ONE;
            if (pc(p) == '/') {
                w.u.param.op = P_SUB_ALL;
                p->pos++;
            } else if (pc(p) == '#') {
                w.u.param.op = P_SUB_PRE;
                p->pos++;
            } else if (pc(p) == '%') {
                w.u.param.op = P_SUB_SUF;
                p->pos++;
            }
            w.u.param.arg = read_word(p, WM_PAT, false);
            if (!p->failed && pc(p) == '/') {
                p->pos++;
                w.u.param.arg2 = read_word(p, WM_BRACE, dq);
            }
            ok = !p->failed && expect_brace(p, line);
        } else if (c == ':') {
            p->pos++;
            w.u.param.op = P_SUBSTR;
            w.u.param.arg = read_word(p, WM_OFFSET, false);
            if (!p->failed && pc(p) == ':') {
                p->pos++;
                w.u.param.arg2 = read_word(p, WM_OFFSET, false);
            }
            ok = !p->failed && expect_brace(p, line);
        } else if (c == '^' || c == ',') {
            p->pos++;
            bool twice = pc(p) == c;
            if (twice)
                p->pos++;
            w.u.param.op = c == '^' ? (twice ? P_UPPER : P_UPPER1) : (twice ? P_LOWER : P_LOWER1);
            w.u.param.arg = read_word(p, WM_BRACE, false);
            ok = !p->failed && expect_brace(p, line);
        } else {
            p->depth--;
            return bad_subst(p, b, start, dq); /* ${a[0]} included: it says arrays are not supported */
        }
    }
    p->depth--;
    if (!ok) {
        if (!p->failed)
            return bad_subst(p, b, start, dq);
        return false;
    }
    pb_part(p, b, w);
    return true;
}

/* After "$((": the expression up to "))"; NULL (not failed) when the
 * parentheses do not close that way: then it is $( (...) ). */
static word *read_arith(parser *p, enum wmode mode)
{
    word *w = read_word(p, mode, true);
    if (!w || p->failed)
        return NULL;
    if (pc(p) == ')' && pc_at(p, 1) == ')') {
        p->pos += 2;
        return w;
    }
    return NULL;
}

/* At '$'. */
static bool parse_dollar(parser *p, partsb *b, bool dq)
{
    int c = pc_at(p, 1);
    if (c == '{') {
        p->pos += 2;
        return parse_brace(p, b, dq);
    }
    if (c == '(') {
        if (pc_at(p, 2) == '(') {
            size_t save = p->pos;
            int line = p->line;
            p->pos += 3;
            word *w = read_arith(p, WM_ARITH);
            if (p->failed)
                return false;
            if (w) {
                wpart part = {.kind = WP_ARITH, .quoted = dq};
                part.u.arith = w;
                pb_part(p, b, part);
                return true;
            }
            p->pos = save;
            p->line = line;
        }
        p->pos += 2;
        wpart part = {.kind = WP_CMDSUB, .quoted = dq};
        part.u.cmd = parse_cmdsub(p);
        if (p->failed)
            return false;
        pb_part(p, b, part);
        return true;
    }
    if (!dq && c == '\'') {
        p->pos++;
        return parse_ansi(p, b);
    }
    if (!dq && c == '"') { /* $"..." is "..." (no message catalogs) */
        p->pos++;
        return true;
    }
    size_t ns = p->pos + 1;
    if (c != -1 && (isalpha(c) || c == '_')) {
        p->pos++;
        while (isalnum(pc(p)) || pc(p) == '_')
            p->pos++;
    } else if (c != -1 && (isdigit(c) || strchr("@*#?-$!", c))) {
        p->pos += 2;
    } else {
        pb_litc(p, b, '$', dq);
        p->pos++;
        return true;
    }
    wpart w = {.kind = WP_PARAM, .quoted = dq};
    w.u.param.name = arena_strndup(p->unit, p->src + ns, p->pos - ns);
    pb_part(p, b, w);
    return true;
}

static bool word_ends(parser *p, enum wmode mode, int c, int depth)
{
    switch (mode) {
    case WM_NORMAL:
        return is_meta(c);
    case WM_DQ:
        return c == '"' || c == -1;
    case WM_BRACE:
        return c == '}' || c == -1;
    case WM_PAT:
        return c == '/' || c == '}' || c == -1;
    case WM_OFFSET:
        return c == ':' || c == '}' || c == -1;
    case WM_ARITH:
        return c == -1 || (depth == 0 && c == ')');
    case WM_ARITHFOR:
        return c == -1 || (depth == 0 && (c == ')' || c == ';'));
    case WM_HEREDOC:
        return c == -1;
    case WM_REGEX:
        return c == -1 || (depth == 0 && (c == ' ' || c == '\t' || c == '\n' || c == ')' ||
                                         (c == '&' && pc_at(p, 1) == '&') ||
                                         (c == '|' && pc_at(p, 1) == '|')));
    }
    return true;
}

/* Reads a word in the given mode. dq: the word is inside double quotes
 * (its parts are quoted, ' is an ordinary character). NULL when no word
 * starts here (WM_NORMAL at a metacharacter). */
static word *read_word(parser *p, enum wmode mode, bool dq)
{
    partsb b = {0};
    size_t start = p->pos;
    int depth = 0;
    bool any = false;
    for (;;) {
        if (p->failed) {
            pb_drop(&b);
            return NULL;
        }
        int c = pc(p);
        if (mode == WM_NORMAL && c == '<' && pc_at(p, 1) == '(') {
            /* <(list): process substitution (bash) */
            p->pos += 2;
            wpart part = {.kind = WP_PROCSUB, .quoted = false};
            part.u.cmd = parse_cmdsub(p);
            if (p->failed)
                continue;
            pb_part(p, &b, part);
            any = true;
            continue;
        }
        if (mode == WM_NORMAL && c == '>' && pc_at(p, 1) == '(') {
            fail(p, "process substitution >(...) is not supported by this shell (write to a file, then read it)");
            continue;
        }
        if (word_ends(p, mode, c, depth))
            break;
        any = true;
        if (c == '\\') {
            int d = pc_at(p, 1);
            if (d == '\n' && mode != WM_HEREDOC) {
                p->pos += 2;
                p->line++;
                continue;
            }
            if (d == -1) {
                pb_litc(p, &b, '\\', dq);
                p->pos++;
                continue;
            }
            if (mode == WM_HEREDOC) {
                if (d == '$' || d == '`' || d == '\\') {
                    pb_litc(p, &b, (char)d, true);
                    p->pos += 2;
                } else if (d == '\n') {
                    p->pos += 2;
                    p->line++;
                } else {
                    pb_litc(p, &b, '\\', true);
                    p->pos++;
                }
                continue;
            }
            if (dq) {
                if (d == '$' || d == '`' || d == '"' || d == '\\' || (mode == WM_BRACE && d == '}')) {
                    pb_litc(p, &b, (char)d, true);
                    p->pos += 2;
                } else {
                    pb_litc(p, &b, '\\', true);
                    p->pos++;
                }
                continue;
            }
            pb_litc(p, &b, (char)d, true);
            p->pos += 2;
            continue;
        }
        if (c == '\'' && !dq && mode != WM_HEREDOC) {
            int qline = p->line;
            p->pos++;
            size_t s = p->pos;
            while (pc(p) != '\'' && pc(p) != -1) {
                if (pc(p) == '\n')
                    p->line++;
                p->pos++;
            }
            if (pc(p) == -1) {
                fail_open(p, qline, "'");
                continue;
            }
            pb_lit(p, &b, p->src + s, p->pos - s, true);
            p->pos++;
            continue;
        }
        if (c == '"' && mode != WM_HEREDOC && mode != WM_DQ) {
            int qline = p->line;
            p->pos++;
            word *inner = read_word(p, WM_DQ, true);
            if (p->failed)
                continue;
            if (pc(p) != '"') {
                fail_open(p, qline, "\"");
                continue;
            }
            p->pos++;
            if (!inner->nparts) /* "" is an empty word; "$@" may be none */
                pb_empty_quoted(p, &b);
            pb_word(p, &b, inner);
            continue;
        }
        if (c == '$') {
            parse_dollar(p, &b, dq || mode == WM_ARITH || mode == WM_ARITHFOR);
            continue;
        }
        if (c == '`') {
            parse_backquote(p, &b, dq);
            continue;
        }
        if (c == '\n')
            p->line++;
        if (mode == WM_ARITH || mode == WM_ARITHFOR || mode == WM_REGEX) {
            if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
        }
        pb_litc(p, &b, (char)c, dq);
        p->pos++;
    }
    if (p->failed) {
        pb_drop(&b);
        return NULL;
    }
    if (mode == WM_NORMAL && !any && p->pos == start) {
        pb_drop(&b);
        return NULL;
    }
    return pb_finish(p, &b);
}

/* The literal text of a word when it has no quoting and no expansion. */
static const char *word_plain(const word *w)
{
    if (w && w->nparts == 1 && w->parts[0].kind == WP_LIT && !w->parts[0].quoted)
        return w->parts[0].u.lit.s;
    return NULL;
}

/* ---- keywords and operators -------------------------------------------------------- */

static bool at_word(parser *p, const char *kw)
{
    size_t n = strlen(kw);
    if (p->len - p->pos < n || memcmp(p->src + p->pos, kw, n))
        return false;
    int c = p->pos + n < p->len ? (unsigned char)p->src[p->pos + n] : -1;
    return is_meta(c);
}

static bool at_keyword(parser *p, const char *kw)
{
    skip_blanks(p);
    return at_word(p, kw);
}

static bool eat_keyword(parser *p, const char *kw)
{
    if (!at_keyword(p, kw))
        return false;
    p->pos += strlen(kw);
    return true;
}

static bool expect_keyword(parser *p, const char *kw)
{
    skip_newlines(p);
    if (p->failed)
        return false;
    if (eat_keyword(p, kw))
        return true;
    fail_token(p);
    return false;
}

static bool at_op(parser *p, const char *op)
{
    size_t n = strlen(op);
    return p->len - p->pos >= n && !memcmp(p->src + p->pos, op, n);
}

/* Where a command list ends: a closing keyword or operator. */
static bool at_list_end(parser *p)
{
    skip_blanks(p);
    int c = pc(p);
    if (c == -1 || c == ')')
        return true;
    if (at_op(p, ";;") || at_op(p, ";&"))
        return true;
    static const char *kws[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}"};
    for (size_t i = 0; i < sizeof kws / sizeof *kws; i++)
        if (at_word(p, kws[i]))
            return true;
    return false;
}

/* ---- nodes --------------------------------------------------------------------------- */

static node *new_node(parser *p, int kind)
{
    node *n = arena_alloc(p->unit, sizeof *n);
    n->kind = (unsigned char)kind;
    n->line = p->line;
    return n;
}

typedef struct {
    void **v;
    int n, cap;
} vec;

static void vec_push(vec *v, void *x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->v = sh_realloc(v->v, (size_t)v->cap * sizeof *v->v);
    }
    v->v[v->n++] = x;
}

static void **vec_finish(parser *p, vec *v)
{
    void **a = NULL;
    if (v->n) {
        a = arena_alloc(p->unit, (size_t)v->n * sizeof *a);
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
static bool parse_redir(parser *p, redir **out)
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
        if (at_op(p, ops[i].op) && !(fd >= 0 && ops[i].op[0] == '&'))
            break;
    if (i == sizeof ops / sizeof *ops) {
        p->pos = save;
        return false;
    }
    p->pos += strlen(ops[i].op);
    redir *r = arena_alloc(p->unit, sizeof *r);
    r->op = (unsigned char)ops[i].kind;
    r->fd = fd >= 0 ? fd : ops[i].fd;
    skip_blanks(p);
    if (r->op == R_HEREDOC) {
        size_t ws = p->pos;
        word *w = read_word(p, WM_NORMAL, false);
        if (!w) {
            if (!p->failed)
                fail_token(p);
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
        r->target = arena_alloc(p->unit, sizeof(word));
    } else {
        r->target = read_word(p, WM_NORMAL, false);
        if (!r->target && !p->failed)
            fail_token(p);
    }
    *out = r;
    return true;
}

static bool parse_redirs(parser *p, redir **head)
{
    redir **tail = head;
    while (*tail)
        tail = &(*tail)->next;
    for (;;) {
        skip_blanks(p);
        redir *r;
        if (!parse_redir(p, &r))
            return !p->failed;
        if (p->failed)
            return false;
        *tail = r;
        tail = &r->next;
    }
}

/* ---- [[ conditional expressions ]] -------------------------------------------------- */

static cond *cond_or(parser *p);

static bool cond_skip(parser *p)
{
    skip_newlines(p);
    return !p->failed;
}

static cond *new_cond(parser *p, int op)
{
    cond *c = arena_alloc(p->unit, sizeof *c);
    c->op = (unsigned char)op;
    return c;
}

static bool is_unary_test(const char *s)
{
    return s && s[0] == '-' && s[1] && !s[2] && strchr("abcdefghknoprstuwxzGLNOSv", s[1]);
}

static bool is_binary_test(const char *s)
{
    static const char *ops[] = {"==", "=", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge",
                                "-nt", "-ot", "-ef"};
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(s, ops[i]))
            return true;
    return false;
}

static bool at_cond_end(parser *p)
{
    return at_word(p, "]]") || at_op(p, "&&") || at_op(p, "||") || pc(p) == ')' || pc(p) == -1;
}

static cond *cond_primary(parser *p)
{
    if (!cond_skip(p))
        return NULL;
    if (pc(p) == '(') {
        p->pos++;
        if (!deeper(p))
            return NULL;
        cond *c = cond_or(p);
        if (!c || !cond_skip(p))
            return NULL;
        if (pc(p) != ')') {
            fail_token(p);
            return NULL;
        }
        p->pos++;
        p->depth--;
        return c;
    }
    if (at_word(p, "!")) {
        p->pos++;
        if (!deeper(p))
            return NULL;
        cond *c = new_cond(p, C_NOT);
        c->l = cond_primary(p);
        p->depth--;
        return c->l ? c : NULL;
    }
    if (at_cond_end(p)) {
        fail_token(p);
        return NULL;
    }
    word *a = read_word(p, WM_NORMAL, false);
    if (!a) {
        if (!p->failed)
            fail_token(p);
        return NULL;
    }
    skip_blanks(p);
    const char *as = word_plain(a);
    if (is_unary_test(as) && !at_cond_end(p)) {
        cond *c = new_cond(p, C_UNARY);
        c->opname = as;
        c->a = read_word(p, WM_NORMAL, false);
        if (!c->a) {
            if (!p->failed)
                fail_token(p);
            return NULL;
        }
        return c;
    }
    const char *op = NULL;
    if (pc(p) == '<' || pc(p) == '>') {
        op = pc(p) == '<' ? "<" : ">";
        p->pos++;
    } else if (!at_cond_end(p)) {
        size_t save = p->pos;
        word *o = read_word(p, WM_NORMAL, false);
        op = word_plain(o);
        if (!is_binary_test(op)) {
            p->pos = save;
            fail_token(p);
            return NULL;
        }
    }
    if (!op) {
        cond *c = new_cond(p, C_WORD);
        c->a = a;
        return c;
    }
    skip_blanks(p);
    cond *c = new_cond(p, C_BINARY);
    c->opname = op;
    c->a = a;
    c->b = read_word(p, strcmp(op, "=~") ? WM_NORMAL : WM_REGEX, false);
    if (!c->b || !c->b->nparts) {
        if (!p->failed)
            fail_token(p);
        return NULL;
    }
    return c;
}

static cond *cond_and(parser *p)
{
    cond *l = cond_primary(p);
    while (l && cond_skip(p) && at_op(p, "&&")) {
        p->pos += 2;
        cond *c = new_cond(p, C_AND);
        c->l = l;
        c->r = cond_primary(p);
        if (!c->r)
            return NULL;
        l = c;
    }
    return p->failed ? NULL : l;
}

static cond *cond_or(parser *p)
{
    cond *l = cond_and(p);
    while (l && cond_skip(p) && at_op(p, "||")) {
        p->pos += 2;
        cond *c = new_cond(p, C_OR);
        c->l = l;
        c->r = cond_and(p);
        if (!c->r)
            return NULL;
        l = c;
    }
    return p->failed ? NULL : l;
}

/* ---- compound commands ------------------------------------------------------------ */

static node *parse_if(parser *p)
{
    node *n = new_node(p, N_IF);
    n->u.if_.cond = parse_compound_list(p);
    if (p->failed)
        return NULL;
    if (!n->u.if_.cond || !expect_keyword(p, "then")) {
        fail_token(p);
        return NULL;
    }
    n->u.if_.then = parse_compound_list(p);
    if (p->failed)
        return NULL;
    if (!n->u.if_.then) {
        fail_token(p);
        return NULL;
    }
    skip_newlines(p);
    if (eat_keyword(p, "elif")) {
        n->u.if_.els = parse_if(p);
        return n->u.if_.els ? n : NULL;
    }
    if (eat_keyword(p, "else")) {
        n->u.if_.els = parse_compound_list(p);
        if (p->failed)
            return NULL;
        if (!n->u.if_.els) {
            fail_token(p);
            return NULL;
        }
    }
    return expect_keyword(p, "fi") ? n : NULL;
}

static node *parse_do_group(parser *p)
{
    if (!expect_keyword(p, "do"))
        return NULL;
    node *body = parse_compound_list(p);
    if (p->failed)
        return NULL;
    if (!body) {
        fail_token(p);
        return NULL;
    }
    return expect_keyword(p, "done") ? body : NULL;
}

static node *parse_loop(parser *p, int kind)
{
    node *n = new_node(p, kind);
    n->u.loop.cond = parse_compound_list(p);
    if (p->failed)
        return NULL;
    if (!n->u.loop.cond) {
        fail_token(p);
        return NULL;
    }
    n->u.loop.body = parse_do_group(p);
    return n->u.loop.body ? n : NULL;
}

static node *parse_for(parser *p)
{
    skip_blanks(p);
    if (at_op(p, "((")) {
        node *n = new_node(p, N_CFOR);
        p->pos += 2;
        word *parts[3] = {0};
        for (int i = 0; i < 3; i++) {
            parts[i] = read_word(p, WM_ARITHFOR, true);
            if (p->failed)
                return NULL;
            if (i < 2) {
                if (pc(p) != ';') {
                    fail_token(p);
                    return NULL;
                }
                p->pos++;
            }
        }
        if (!at_op(p, "))")) {
            fail_token(p);
            return NULL;
        }
        p->pos += 2;
        n->u.cfor.init = parts[0];
        n->u.cfor.test = parts[1];
        n->u.cfor.step = parts[2];
        skip_blanks(p);
        if (pc(p) == ';')
            p->pos++;
        skip_newlines(p);
        if (eat_keyword(p, "{")) {
            n->u.cfor.body = parse_compound_list(p);
            if (p->failed || !n->u.cfor.body || !expect_keyword(p, "}")) {
                fail_token(p);
                return NULL;
            }
            return n;
        }
        n->u.cfor.body = parse_do_group(p);
        return n->u.cfor.body ? n : NULL;
    }
    node *n = new_node(p, N_FOR);
    word *v = read_word(p, WM_NORMAL, false);
    const char *name = word_plain(v);
    if (!name || !is_name(name)) {
        if (!p->failed) {
            if (v) {
                fail(p, "`%s': not a valid identifier", name ? name : "?");
            } else {
                fail_token(p);
            }
        }
        return NULL;
    }
    n->u.for_.var = name;
    skip_newlines(p);
    if (eat_keyword(p, "in")) {
        n->u.for_.has_in = true;
        vec words = {0};
        for (;;) {
            skip_blanks(p);
            word *w = read_word(p, WM_NORMAL, false);
            if (!w)
                break;
            vec_push(&words, w);
        }
        if (p->failed) {
            free(words.v);
            return NULL;
        }
        n->u.for_.nwords = words.n;
        n->u.for_.words = (word **)vec_finish(p, &words);
        skip_blanks(p);
        if (pc(p) == ';')
            p->pos++;
        else if (pc(p) != '\n') {
            fail_token(p);
            return NULL;
        }
    } else {
        skip_blanks(p);
        if (pc(p) == ';')
            p->pos++;
    }
    n->u.for_.body = parse_do_group(p);
    return n->u.for_.body ? n : NULL;
}

static node *parse_case(parser *p)
{
    node *n = new_node(p, N_CASE);
    skip_blanks(p);
    n->u.case_.subject = read_word(p, WM_NORMAL, false);
    if (!n->u.case_.subject) {
        if (!p->failed)
            fail_token(p);
        return NULL;
    }
    if (!expect_keyword(p, "in"))
        return NULL;
    vec items = {0};
    for (;;) {
        skip_newlines(p);
        if (p->failed)
            break;
        if (eat_keyword(p, "esac")) {
            n->u.case_.nitems = items.n;
            case_item **ptrs = (case_item **)vec_finish(p, &items);
            n->u.case_.items = arena_alloc(p->unit, sizeof(case_item) * (size_t)(n->u.case_.nitems + 1));
            for (int i = 0; i < n->u.case_.nitems; i++)
                n->u.case_.items[i] = *ptrs[i];
            return n;
        }
        case_item *it = arena_alloc(p->unit, sizeof *it);
        if (pc(p) == '(')
            p->pos++;
        vec pats = {0};
        for (;;) {
            skip_blanks(p);
            word *w = read_word(p, WM_NORMAL, false);
            if (!w) {
                if (!p->failed)
                    fail_token(p);
                break;
            }
            vec_push(&pats, w);
            skip_blanks(p);
            if (pc(p) == '|') {
                p->pos++;
                continue;
            }
            if (pc(p) == ')') {
                p->pos++;
                break;
            }
            fail_token(p);
            break;
        }
        if (p->failed) {
            free(pats.v);
            break;
        }
        it->npats = pats.n;
        it->pats = (word **)vec_finish(p, &pats);
        it->body = parse_compound_list(p);
        if (p->failed)
            break;
        skip_newlines(p);
        if (at_op(p, ";;&")) {
            p->pos += 3;
            it->end = CASE_TEST;
        } else if (at_op(p, ";;")) {
            p->pos += 2;
            it->end = CASE_BREAK;
        } else if (at_op(p, ";&")) {
            p->pos += 2;
            it->end = CASE_FALL;
        } else if (!at_keyword(p, "esac")) {
            fail_token(p);
            break;
        }
        vec_push(&items, it);
    }
    free(items.v);
    return NULL;
}

/* A function body: a compound command with its redirections. start: where
 * the definition began (its text is kept for `type` and `declare -f`). */
static node *parse_function_body(parser *p, const char *name, size_t start)
{
    skip_newlines(p);
    if (p->failed)
        return NULL;
    skip_blanks(p);
    bool compound = pc(p) == '(' || at_word(p, "{") || at_word(p, "if") || at_word(p, "while") ||
                    at_word(p, "until") || at_word(p, "for") || at_word(p, "case") || at_word(p, "[[");
    if (!compound) {
        (void)name;
        fail_token(p);
        return NULL;
    }
    node *body = parse_command(p);
    if (!body) {
        if (!p->failed)
            fail_token(p);
        return NULL;
    }
    node *f = new_node(p, N_FUNCDEF);
    f->u.func.name = name;
    f->u.func.body = body;
    f->u.func.text = arena_strndup(p->unit, p->src + start, p->pos - start);
    return f;
}

static bool is_assignment(const word *w, size_t *name_len, bool *append)
{
    if (!w->nparts || w->parts[0].kind != WP_LIT || w->parts[0].quoted)
        return false;
    const char *s = w->parts[0].u.lit.s;
    size_t n = w->parts[0].u.lit.n;
    size_t i = 0;
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
        i++;
    if (i < n && s[i] == '=') {
        *name_len = i;
        *append = false;
        return true;
    }
    if (i + 1 < n && s[i] == '+' && s[i + 1] == '=') {
        *name_len = i;
        *append = true;
        return true;
    }
    return false;
}

static node *parse_simple(parser *p)
{
    node *n = new_node(p, N_SIMPLE);
    vec words = {0}, assigns = {0};
    redir **rtail = &n->redirs;
    for (;;) {
        skip_blanks(p);
        if (p->failed)
            break;
        redir *r;
        if (parse_redir(p, &r)) {
            if (p->failed)
                break;
            *rtail = r;
            rtail = &r->next;
            continue;
        }
        if (is_meta(pc(p)) && !((pc(p) == '<' || pc(p) == '>') && pc_at(p, 1) == '('))
            break;
        size_t word_start = p->pos;
        word *w = read_word(p, WM_NORMAL, false);
        if (!w)
            break;
        size_t nl;
        bool append;
        if (!words.n && is_assignment(w, &nl, &append)) {
            if (pc(p) == '(' && w->parts[0].u.lit.n == nl + 1 + append && w->nparts == 1) {
                fail(p, "arrays are not supported by this shell (`%.*s=(...)')", (int)nl,
                     w->parts[0].u.lit.s);
                break;
            }
            assign *a = arena_alloc(p->unit, sizeof *a);
            a->name = arena_strndup(p->unit, w->parts[0].u.lit.s, nl);
            a->append = append;
            word *v = arena_alloc(p->unit, sizeof *v);
            size_t skip = nl + 1 + append;
            v->nparts = w->nparts;
            v->parts = w->parts;
            if (w->parts[0].u.lit.n == skip) {
                v->parts++;
                v->nparts--;
            } else {
                v->parts = arena_alloc(p->unit, sizeof(wpart) * (size_t)w->nparts);
                memcpy(v->parts, w->parts, sizeof(wpart) * (size_t)w->nparts);
                v->parts[0].u.lit.s += skip;
                v->parts[0].u.lit.n -= skip;
            }
            a->value = v;
            vec_push(&assigns, a);
            continue;
        }
        vec_push(&words, w);
        /* name () compound-command */
        if (words.n == 1 && !assigns.n && !n->redirs) {
            size_t save = p->pos;
            skip_blanks(p);
            if (pc(p) == '(') {
                p->pos++;
                skip_blanks(p);
                if (pc(p) == ')') {
                    p->pos++;
                    const char *name = word_plain(w);
                    free(words.v);
                    free(assigns.v);
                    if (!name) {
                        fail(p, "`%s': not a valid identifier", "function name");
                        return NULL;
                    }
                    return parse_function_body(p, name, word_start);
                }
                p->pos = save;
                skip_blanks(p);
                fail_token(p);
                break;
            }
            p->pos = save;
        }
    }
    if (p->failed) {
        free(words.v);
        free(assigns.v);
        return NULL;
    }
    n->u.simple.nwords = words.n;
    n->u.simple.words = (word **)vec_finish(p, &words);
    n->u.simple.nassigns = assigns.n;
    assign **ap = (assign **)vec_finish(p, &assigns);
    if (n->u.simple.nassigns) {
        n->u.simple.assigns = arena_alloc(p->unit, sizeof(assign) * (size_t)n->u.simple.nassigns);
        for (int i = 0; i < n->u.simple.nassigns; i++)
            n->u.simple.assigns[i] = *ap[i];
    }
    if (!n->u.simple.nwords && !n->u.simple.nassigns && !n->redirs)
        return NULL;
    return n;
}

static node *parse_command(parser *p)
{
    skip_blanks(p);
    if (p->failed)
        return NULL;
    int line = p->line;
    node *n = NULL;
    bool compound = true;
    if (!deeper(p))
        return NULL;
    if (at_op(p, "((")) {
        size_t save = p->pos;
        p->pos += 2;
        word *w = read_arith(p, WM_ARITH);
        if (p->failed)
            return NULL;
        if (w) {
            n = new_node(p, N_ARITH);
            n->u.arith.expr = w;
        } else {
            p->pos = save;
        }
    }
    if (n) {
    } else if (pc(p) == '(') {
        p->pos++;
        n = new_node(p, N_SUBSHELL);
        n->u.group.body = parse_compound_list(p);
        skip_newlines(p);
        if (p->failed)
            return NULL;
        if (!n->u.group.body || pc(p) != ')') {
            fail_token(p);
            return NULL;
        }
        p->pos++;
    } else if (eat_keyword(p, "{")) {
        n = new_node(p, N_GROUP);
        n->u.group.body = parse_compound_list(p);
        if (p->failed)
            return NULL;
        if (!n->u.group.body) {
            fail_token(p);
            return NULL;
        }
        if (!expect_keyword(p, "}"))
            return NULL;
    } else if (eat_keyword(p, "if")) {
        n = parse_if(p);
    } else if (eat_keyword(p, "while")) {
        n = parse_loop(p, N_WHILE);
    } else if (eat_keyword(p, "until")) {
        n = parse_loop(p, N_UNTIL);
    } else if (eat_keyword(p, "for")) {
        n = parse_for(p);
    } else if (eat_keyword(p, "case")) {
        n = parse_case(p);
    } else if (eat_keyword(p, "[[")) {
        n = new_node(p, N_COND);
        n->u.cond.c = cond_or(p);
        if (!n->u.cond.c || !cond_skip(p))
            return NULL;
        if (!eat_keyword(p, "]]")) {
            fail_token(p);
            return NULL;
        }
    } else if (at_keyword(p, "function")) {
        size_t start = p->pos;
        p->pos += 8;
        skip_blanks(p);
        word *w = read_word(p, WM_NORMAL, false);
        const char *name = word_plain(w);
        if (!name) {
            if (!p->failed)
                fail_token(p);
            return NULL;
        }
        skip_blanks(p);
        if (at_op(p, "()"))
            p->pos += 2;
        else if (pc(p) == '(') {
            p->pos++;
            skip_blanks(p);
            if (pc(p) != ')') {
                fail_token(p);
                return NULL;
            }
            p->pos++;
        }
        n = parse_function_body(p, name, start);
        compound = false;
    } else {
        n = parse_simple(p);
        compound = false;
    }
    p->depth--;
    if (!n || p->failed)
        return NULL;
    n->line = line;
    if (compound && !parse_redirs(p, &n->redirs))
        return NULL;
    return n;
}

static node *parse_pipeline(parser *p)
{
    skip_blanks(p);
    bool bang = false;
    while (at_word(p, "!")) {
        bang = !bang;
        p->pos++;
        skip_blanks(p);
    }
    if (at_keyword(p, "time")) { /* accepted and ignored: there is no clock to report */
        p->pos += 4;
        skip_blanks(p);
    }
    vec cmds = {0};
    for (;;) {
        if (at_list_end(p) && !p->failed) {
            fail_token(p);
            break;
        }
        node *c = parse_command(p);
        if (!c) {
            if (!p->failed)
                fail_token(p);
            break;
        }
        vec_push(&cmds, c);
        skip_blanks(p);
        if (at_op(p, "||") || !at_op(p, "|"))
            break;
        if (at_op(p, "|&")) { /* cmd |& cmd is cmd 2>&1 | cmd */
            redir *r = arena_alloc(p->unit, sizeof *r);
            r->op = R_DUPOUT;
            r->fd = 2;
            r->target = arena_alloc(p->unit, sizeof(word));
            r->target->parts = arena_alloc(p->unit, sizeof(wpart));
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
        skip_newlines(p);
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
    node *n = new_node(p, N_PIPELINE);
    n->line = ((node *)cmds.v[0])->line;
    n->u.pipe.bang = bang;
    n->u.pipe.n = cmds.n;
    n->u.pipe.cmds = (node **)vec_finish(p, &cmds);
    return n;
}

static node *parse_and_or(parser *p)
{
    node *l = parse_pipeline(p);
    for (;;) {
        if (!l)
            return NULL;
        skip_blanks(p);
        int kind;
        if (at_op(p, "&&"))
            kind = N_AND;
        else if (at_op(p, "||"))
            kind = N_OR;
        else
            return l;
        p->pos += 2;
        skip_newlines(p);
        node *n = new_node(p, kind);
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
            skip_blanks(p);
        else
            skip_newlines(p);
        if (p->failed || at_list_end(p))
            break;
        node *n = parse_and_or(p);
        if (!n)
            break;
        skip_blanks(p);
        bool bg = false;
        if (pc(p) == '&' && !at_op(p, "&&")) {
            bg = true;
            p->pos++;
        } else if (pc(p) == ';' && !at_op(p, ";;") && !at_op(p, ";&")) {
            p->pos++;
        } else if (pc(p) == '\n') {
            vec_push(&items, n);
            vec_push(&async, (void *)(uintptr_t)bg);
            if (toplevel) {
                eat_newline(p);
                break;
            }
            continue;
        } else {
            vec_push(&items, n);
            vec_push(&async, (void *)(uintptr_t)bg);
            if (!at_list_end(p) || (toplevel && pc(p) != -1))
                fail_token(p);
            break;
        }
        vec_push(&items, n);
        vec_push(&async, (void *)(uintptr_t)bg);
        if (toplevel) {
            skip_blanks(p);
            if (pc(p) == '\n') {
                eat_newline(p);
                break;
            }
            if (at_list_end(p) && pc(p) != -1) {
                fail_token(p);
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
    node *l = new_node(p, N_LIST);
    l->line = ((node *)items.v[0])->line;
    l->u.list.n = items.n;
    l->u.list.async = arena_alloc(p->unit, sizeof(bool) * (size_t)items.n);
    for (int i = 0; i < items.n; i++)
        l->u.list.async[i] = (bool)(uintptr_t)async.v[i];
    free(async.v);
    l->u.list.items = (node **)vec_finish(p, &items);
    return l;
}

static node *parse_compound_list(parser *p)
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
        skip_newlines(p);
        if (p->failed)
            break;
        if (pc(p) == -1)
            return NULL;
        if (at_list_end(p)) {
            fail_token(p);
            break;
        }
        node *n = parse_list(p, true);
        if (p->failed)
            break;
        if (pc(p) == -1 && p->nhd)
            read_heredocs(p);
        if (n)
            return n;
    }
    *err = true;
    report(p);
    p->pos = p->len;
    return NULL;
}
