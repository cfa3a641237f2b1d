/* parse_word.c: words: quoting, $ expansions (${...} with its operators,
 * $(...), $((...)), $'...'), backquotes, <(...), and the bodies of
 * here-documents (read after the newline that follows their operator). */
#include "parse_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void ps_read_heredocs(parser *p)
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
            w = ps_alloc(p->unit, sizeof *w);
            w->parts = ps_alloc(p->unit, sizeof(wpart));
            w->nparts = 1;
            w->parts[0].kind = WP_LIT;
            w->parts[0].quoted = true;
            w->parts[0].u.lit.s = ps_strndup(p->unit, body.data ? body.data : "", body.len);
            w->parts[0].u.lit.n = body.len;
        } else {
            parser sub;
            sub_init(&sub, p, body.data ? body.data : (char *)"", body.len, h->line + 1);
            w = ps_read_word(&sub, WM_HEREDOC, true);
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
    w.u.lit.s = ps_strndup(p->unit, b->lit.data ? b->lit.data : "", b->lit.len);
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
    word *w = ps_alloc(p->unit, sizeof *w);
    w->nparts = b->n;
    if (b->n) {
        w->parts = ps_alloc(p->unit, (size_t)b->n * sizeof *w->parts);
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
node *ps_cmdsub(parser *p)
{
    if (!ps_deeper(p))
        return NULL;
    node *n = ps_compound_list(p);
    ps_skip_newlines(p);
    if (!p->failed) {
        if (pc(p) == ')')
            p->pos++;
        else if (pc(p) == -1)
            ps_fail(p, "unexpected EOF while looking for matching `)'");
        else
            ps_fail_token(p);
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
            ps_fail_open(p, line, "`");
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
    if (!ps_deeper(p)) {
        sh_buf_free(&text);
        return false;
    }
    parser sub;
    sub_init(&sub, p, text.data ? text.data : (char *)"", text.len, line);
    node *n = ps_compound_list(&sub);
    ps_skip_newlines(&sub);
    if (!sub.failed && pc(&sub) != -1)
        ps_fail_token(&sub);
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
            ps_fail_open(p, line, "'");
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
        ps_fail_open(p, line, "}");
        return false;
    }
    wpart w = {.kind = WP_PARAM, .quoted = dq};
    w.u.param.name = NULL; /* NULL name: bad substitution of the text in arg */
    word *t = ps_alloc(p->unit, sizeof *t);
    t->parts = ps_alloc(p->unit, sizeof(wpart));
    t->nparts = 1;
    t->parts[0].kind = WP_LIT;
    t->parts[0].u.lit.s = ps_strndup(p->unit, p->src + start, p->pos - start);
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
        ps_fail_open(p, line, "}");
    return false;
}

/* After "${". */
static bool parse_brace(parser *p, partsb *b, bool dq)
{
    size_t start = p->pos - 2;
    int line = p->line;
    if (!ps_deeper(p))
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
    w.u.param.name = ps_strndup(p->unit, p->src + ns, p->pos - ns);
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
            w.u.param.arg = ps_read_word(p, WM_BRACE, dq);
            ok = !p->failed && expect_brace(p, line);
        } else if (!w.u.param.colon && (c == '#' || c == '%')) {
            p->pos++;
            bool twice = pc(p) == c;
            if (twice)
                p->pos++;
            w.u.param.op = c == '#' ? (twice ? P_RM_LPRE : P_RM_SPRE) : (twice ? P_RM_LSUF : P_RM_SSUF);
            w.u.param.arg = ps_read_word(p, WM_BRACE, false);
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
            w.u.param.arg = ps_read_word(p, WM_PAT, false);
            if (!p->failed && pc(p) == '/') {
                p->pos++;
                w.u.param.arg2 = ps_read_word(p, WM_BRACE, dq);
            }
            ok = !p->failed && expect_brace(p, line);
        } else if (c == ':') {
            p->pos++;
            w.u.param.op = P_SUBSTR;
            w.u.param.arg = ps_read_word(p, WM_OFFSET, false);
            if (!p->failed && pc(p) == ':') {
                p->pos++;
                w.u.param.arg2 = ps_read_word(p, WM_OFFSET, false);
            }
            ok = !p->failed && expect_brace(p, line);
        } else if (c == '^' || c == ',') {
            p->pos++;
            bool twice = pc(p) == c;
            if (twice)
                p->pos++;
            w.u.param.op = c == '^' ? (twice ? P_UPPER : P_UPPER1) : (twice ? P_LOWER : P_LOWER1);
            w.u.param.arg = ps_read_word(p, WM_BRACE, false);
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
word *ps_read_arith(parser *p, enum wmode mode)
{
    word *w = ps_read_word(p, mode, true);
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
            word *w = ps_read_arith(p, WM_ARITH);
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
        part.u.cmd = ps_cmdsub(p);
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
    w.u.param.name = ps_strndup(p->unit, p->src + ns, p->pos - ns);
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
word *ps_read_word(parser *p, enum wmode mode, bool dq)
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
            part.u.cmd = ps_cmdsub(p);
            if (p->failed)
                continue;
            pb_part(p, &b, part);
            any = true;
            continue;
        }
        if (mode == WM_NORMAL && c == '>' && pc_at(p, 1) == '(') {
            ps_fail(p, "process substitution >(...) is not supported by this shell (write to a file, then read it)");
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
                ps_fail_open(p, qline, "'");
                continue;
            }
            pb_lit(p, &b, p->src + s, p->pos - s, true);
            p->pos++;
            continue;
        }
        if (c == '"' && mode != WM_HEREDOC && mode != WM_DQ) {
            int qline = p->line;
            p->pos++;
            word *inner = ps_read_word(p, WM_DQ, true);
            if (p->failed)
                continue;
            if (pc(p) != '"') {
                ps_fail_open(p, qline, "\"");
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
const char *ps_word_plain(const word *w)
{
    if (w && w->nparts == 1 && w->parts[0].kind == WP_LIT && !w->parts[0].quoted)
        return w->parts[0].u.lit.s;
    return NULL;
}
