/* expand.c: words to fields, in POSIX's order: brace expansion (bash),
 * tilde, parameters, command substitution and arithmetic (left to right),
 * field splitting, pathname expansion, quote removal.
 *
 * Quote removal is implicit: the parser already separated quoted from
 * unquoted text. While a word is expanded each character carries a mark:
 * quoted (never split, never a pattern character), from an unquoted
 * expansion (split on $IFS), or unquoted literal text (a pattern character,
 * not split). Splitting is done as the characters arrive, so "" and "$@"
 * keep their exact POSIX meaning. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_GLOB = 0, M_QUOTED = 1 };
enum fb_mode { FB_FIELDS, FB_STRING, FB_PATTERN };

typedef struct {
    char *text;
    unsigned char *mask;
    size_t len;
} field;

struct fieldbuf {
    shctx *sh;
    enum fb_mode mode;
    sh_buf text, mask;
    bool started;     /* the field exists even when empty ("" or "$@") */
    bool after_ws;    /* a whitespace delimiter just ended a field */
    const char *ifs;
    field *out;
    int n, cap;
    bool failed;
};

static void fb_init(fieldbuf *fb, shctx *sh, enum fb_mode mode)
{
    memset(fb, 0, sizeof *fb);
    fb->sh = sh;
    fb->mode = mode;
    const char *ifs = var_value(sh, "IFS");
    fb->ifs = ifs ? ifs : " \t\n";
}

static void fb_push(fieldbuf *fb)
{
    if (fb->failed)
        return;
    if (fb->n >= SH_MAX_FIELDS) {
        shell_error(fb->sh, "expansion: more than %d words", SH_MAX_FIELDS);
        fb->failed = true;
        return;
    }
    if (fb->n == fb->cap) {
        fb->cap = fb->cap ? fb->cap * 2 : 4;
        fb->out = sh_realloc(fb->out, (size_t)fb->cap * sizeof *fb->out);
    }
    field *f = &fb->out[fb->n++];
    f->len = fb->text.len;
    f->text = sh_buf_take(&fb->text);
    f->mask = (unsigned char *)sh_buf_take(&fb->mask);
    fb->started = false;
}

static void fb_free(fieldbuf *fb)
{
    for (int i = 0; i < fb->n; i++) {
        free(fb->out[i].text);
        free(fb->out[i].mask);
    }
    free(fb->out);
    sh_buf_free(&fb->text);
    sh_buf_free(&fb->mask);
}

static bool too_big(fieldbuf *fb, size_t n)
{
    if (fb->text.len + n > SH_MAX_STRING) {
        if (!fb->failed)
            shell_error(fb->sh, "expansion: a word would be longer than %zu MiB", SH_MAX_STRING >> 20);
        fb->failed = true;
        return true;
    }
    return false;
}

static void put(fieldbuf *fb, char c, unsigned char m)
{
    sh_buf_addc(&fb->text, c);
    sh_buf_addc(&fb->mask, (char)m);
}

static bool is_ifs_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

void fb_add(fieldbuf *fb, const char *s, size_t n, bool quoted)
{
    if (fb->failed || too_big(fb, n))
        return;
    if (quoted || fb->mode != FB_FIELDS) {
        if (!n && quoted)
            fb->started = true;
        sh_buf_add(&fb->text, s, n);
        sh_buf_reserve(&fb->mask, n);
        memset(fb->mask.data + fb->mask.len, quoted ? M_QUOTED : M_GLOB, n);
        fb->mask.len += n;
        fb->mask.data[fb->mask.len] = 0;
        if (n)
            fb->after_ws = false;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c && strchr(fb->ifs, c)) {
            if (is_ifs_ws(c)) {
                if (fb->text.len || fb->started) {
                    fb_push(fb);
                    fb->after_ws = true;
                }
            } else {
                if (!fb->after_ws)
                    fb_push(fb);
                fb->after_ws = false;
            }
            continue;
        }
        put(fb, c, M_GLOB);
        fb->after_ws = false;
    }
}

/* Unquoted literal text: pattern characters stay active, never split. */
static void fb_lit(fieldbuf *fb, const char *s, size_t n)
{
    if (fb->failed || too_big(fb, n))
        return;
    sh_buf_add(&fb->text, s, n);
    sh_buf_reserve(&fb->mask, n);
    memset(fb->mask.data + fb->mask.len, M_GLOB, n);
    fb->mask.len += n;
    fb->mask.data[fb->mask.len] = 0;
    if (n)
        fb->after_ws = false;
}

void fb_break(fieldbuf *fb)
{
    if (fb->mode != FB_FIELDS) {
        fb_add(fb, " ", 1, true);
        return;
    }
    if (fb->text.len || fb->started)
        fb_push(fb);
    fb->after_ws = false;
}

/* ---- tilde ------------------------------------------------------------------- */

/* ~ and ~/...: $HOME (the workspace); ~+ $PWD, ~- $OLDPWD. ~user: there are
 * no users in the sandbox, the text stays. Returns how many bytes of s the
 * prefix took (0: no expansion). */
static size_t tilde(fieldbuf *fb, const char *s, size_t n, bool word_end_after, const char *stops)
{
    size_t e = 1;
    while (e < n && !strchr(stops, s[e]))
        e++;
    if (e == n && !word_end_after)
        return 0; /* the prefix runs into a quoted or expanded part */
    const char *val = NULL;
    if (e == 1)
        val = var_value(fb->sh, "HOME");
    else if (e == 2 && s[1] == '+')
        val = var_value(fb->sh, "PWD");
    else if (e == 2 && s[1] == '-')
        val = var_value(fb->sh, "OLDPWD");
    if (!val)
        return 0;
    fb_add(fb, val, strlen(val), true);
    return e;
}

/* ---- the parts of a word --------------------------------------------------------- */

/* lit_splits: unquoted literal text is split like an expansion's result
 * (the word of ${x:-a b} is). */
static bool expand_parts(shctx *sh, const word *w, fieldbuf *fb, bool force_quoted, bool assign,
                         bool lit_splits);

static bool expand_arith_part(shctx *sh, const wpart *p, fieldbuf *fb, bool quoted)
{
    char *expr = expand_string(sh, p->u.arith);
    if (!expr)
        return false;
    int64_t v;
    bool ok = arith_eval(sh, expr, &v);
    free(expr);
    if (!ok) {
        if (sh->jump == J_NONE) {
            sh->jump = J_ABORT;
            sh->jump_n = 1;
        }
        return false;
    }
    char b[32];
    int n = snprintf(b, sizeof b, "%lld", (long long)v);
    fb_add(fb, b, (size_t)n, quoted);
    return true;
}

static bool expand_parts_in(shctx *sh, const word *w, fieldbuf *fb, bool force_quoted, bool assign,
                            bool lit_splits);

static bool expand_parts(shctx *sh, const word *w, fieldbuf *fb, bool force_quoted, bool assign,
                         bool lit_splits)
{
    if (!w)
        return true;
    if (!nest_enter(sh))
        return false;
    bool ok = expand_parts_in(sh, w, fb, force_quoted, assign, lit_splits);
    sh->nest--;
    return ok;
}

static bool expand_parts_in(shctx *sh, const word *w, fieldbuf *fb, bool force_quoted, bool assign,
                            bool lit_splits)
{
    for (int i = 0; i < w->nparts; i++) {
        const wpart *p = &w->parts[i];
        bool quoted = p->quoted || force_quoted;
        switch (p->kind) {
        case WP_LIT: {
            const char *s = p->u.lit.s;
            size_t n = p->u.lit.n;
            if (quoted) {
                fb_add(fb, s, n, true);
                break;
            }
            /* tilde: at the word's start, and after = and : in assignments */
            size_t k = 0;
            bool last = i == w->nparts - 1;
            if (fb->mode != FB_PATTERN && i == 0 && n && s[0] == '~')
                k = tilde(fb, s, n, last, assign ? "/:" : "/");
            if (lit_splits) {
                fb_add(fb, s + k, n - k, false);
                break;
            }
            if (!assign) {
                fb_lit(fb, s + k, n - k);
                break;
            }
            while (k < n) {
                const char *colon = memchr(s + k, ':', n - k);
                size_t e = colon ? (size_t)(colon - s) + 1 : n;
                fb_lit(fb, s + k, e - k);
                k = e;
                if (colon && k < n && s[k] == '~')
                    k += tilde(fb, s + k, n - k, last, "/:");
            }
            break;
        }
        case WP_PARAM:
            if (!expand_param(sh, p, fb, quoted))
                return false;
            break;
        case WP_CMDSUB: {
            char *out = command_subst(sh, p->u.cmd);
            if (!out)
                return false;
            fb_add(fb, out, strlen(out), quoted);
            free(out);
            break;
        }
        case WP_ARITH:
            if (!expand_arith_part(sh, p, fb, quoted))
                return false;
            break;
        case WP_PROCSUB: {
            char *path = process_subst(sh, p->u.cmd);
            if (!path)
                return false;
            fb_add(fb, path, strlen(path), true);
            free(path);
            break;
        }
        }
        if (fb->failed || sh->jump != J_NONE || sh->fatal)
            return false;
    }
    return !fb->failed;
}

/* ---- brace expansion (bash) ---------------------------------------------------- */

/* A word as items: a literal character (quoted or not) or a whole part. */
typedef struct {
    const wpart *part; /* NULL: a character */
    char c;
    bool quoted;
} item;

typedef struct {
    item *v;
    int n;
} items;

static bool brace_any(const word *w)
{
    for (int i = 0; i < w->nparts; i++)
        if (w->parts[i].kind == WP_LIT && !w->parts[i].quoted &&
            memchr(w->parts[i].u.lit.s, '{', w->parts[i].u.lit.n))
            return true;
    return false;
}

static items word_items(const word *w)
{
    int n = 0;
    for (int i = 0; i < w->nparts; i++)
        n += w->parts[i].kind == WP_LIT ? (int)w->parts[i].u.lit.n : 1;
    items r = {sh_malloc(sizeof(item) * (size_t)(n ? n : 1)), 0};
    for (int i = 0; i < w->nparts; i++) {
        const wpart *p = &w->parts[i];
        if (p->kind == WP_LIT) {
            for (size_t k = 0; k < p->u.lit.n; k++)
                r.v[r.n++] = (item){NULL, p->u.lit.s[k], p->quoted};
            if (!p->u.lit.n && p->quoted)
                r.v[r.n++] = (item){p, 0, true}; /* keeps "" */
        } else {
            r.v[r.n++] = (item){p, 0, p->quoted};
        }
    }
    return r;
}

static bool is_open(const item *it, char c)
{
    return !it->part && !it->quoted && it->c == c;
}

/* The items of [from,to) joined as literal text when all are unquoted
 * characters; false otherwise. */
static bool items_text(const items *it, int from, int to, sh_buf *out)
{
    for (int i = from; i < to; i++) {
        if (it->v[i].part || it->v[i].quoted)
            return false;
        sh_buf_addc(out, it->v[i].c);
    }
    return true;
}

typedef struct {
    items *v;
    int n, cap;
} itemlist;

static void il_push(itemlist *l, items it)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = sh_realloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = it;
}

static items concat3(const items *a, int a0, int a1, const item *mid, int nmid, const items *c, int c0)
{
    int n = (a1 - a0) + nmid + (c->n - c0);
    items r = {sh_malloc(sizeof(item) * (size_t)(n ? n : 1)), 0};
    for (int i = a0; i < a1; i++)
        r.v[r.n++] = a->v[i];
    for (int i = 0; i < nmid; i++)
        r.v[r.n++] = mid[i];
    for (int i = c0; i < c->n; i++)
        r.v[r.n++] = c->v[i];
    return r;
}

#define BRACE_MAX 100000

static bool seq_bound(const char *s, long long *v, bool *is_char, int *width)
{
    if (s[0] && !s[1] && isalpha((unsigned char)s[0])) {
        *v = (unsigned char)s[0];
        *is_char = true;
        *width = 0;
        return true;
    }
    char *end;
    const char *d = s + (*s == '-' || *s == '+');
    if (!isdigit((unsigned char)*d))
        return false;
    *v = strtoll(s, &end, 10);
    if (*end)
        return false;
    *is_char = false;
    *width = (d[0] == '0' && d[1]) ? (int)strlen(s) : 0;
    return true;
}

/* {a..b[..step]}: the words, or false when the text is not a sequence. */
static bool brace_seq(const char *t, itemlist *alts, bool *toobig)
{
    const char *dots = strstr(t, "..");
    if (!dots)
        return false;
    char a[64], b[64], c[64] = "";
    size_t la = (size_t)(dots - t);
    const char *rest = dots + 2;
    const char *dots2 = strstr(rest, "..");
    size_t lb = dots2 ? (size_t)(dots2 - rest) : strlen(rest);
    if (la >= sizeof a || lb >= sizeof b || (dots2 && strlen(dots2 + 2) >= sizeof c))
        return false;
    memcpy(a, t, la);
    a[la] = 0;
    memcpy(b, rest, lb);
    b[lb] = 0;
    if (dots2)
        strcpy(c, dots2 + 2);
    long long x, y, step = 1;
    bool cx, cy, cs;
    int wx, wy, ws;
    if (!seq_bound(a, &x, &cx, &wx) || !seq_bound(b, &y, &cy, &wy) || cx != cy)
        return false;
    if (dots2 && (!seq_bound(c, &step, &cs, &ws) || cs))
        return false;
    if (step < 0)
        step = -step;
    if (step == 0)
        step = 1;
    int width = wx > wy ? wx : wy;
    long long count = (x <= y ? (y - x) : (x - y)) / step + 1;
    if (count > BRACE_MAX) {
        *toobig = true;
        return true;
    }
    for (long long v = x, k = 0; k < count; k++, v += x <= y ? step : -step) {
        char buf[80];
        int n;
        if (cx)
            n = snprintf(buf, sizeof buf, "%c", (char)v);
        else if (width)
            n = snprintf(buf, sizeof buf, "%0*lld", v < 0 ? width : width, v);
        else
            n = snprintf(buf, sizeof buf, "%lld", v);
        items it = {sh_malloc(sizeof(item) * (size_t)(n ? n : 1)), 0};
        for (int i = 0; i < n; i++)
            it.v[it.n++] = (item){NULL, buf[i], true};
        il_push(alts, it);
    }
    return true;
}

/* Expands the first brace expression of it into out (recursively); false
 * when there is none. */
static bool brace_once(const items *it, itemlist *out, bool *toobig)
{
    for (int i = 0; i < it->n; i++) {
        if (!is_open(&it->v[i], '{') || (i > 0 && is_open(&it->v[i - 1], '$')))
            continue;
        int depth = 0, close = -1;
        bool comma = false;
        for (int j = i + 1; j < it->n; j++) {
            if (is_open(&it->v[j], '{'))
                depth++;
            else if (is_open(&it->v[j], '}')) {
                if (depth-- == 0) {
                    close = j;
                    break;
                }
            } else if (depth == 0 && is_open(&it->v[j], ','))
                comma = true;
        }
        if (close < 0)
            return false;
        itemlist alts = {0};
        if (comma) {
            int start = i + 1;
            depth = 0;
            for (int j = i + 1; j <= close; j++) {
                if (j < close && is_open(&it->v[j], '{'))
                    depth++;
                else if (j < close && is_open(&it->v[j], '}'))
                    depth--;
                if (j == close || (depth == 0 && is_open(&it->v[j], ','))) {
                    items a = {sh_malloc(sizeof(item) * (size_t)(j - start + 1)), 0};
                    for (int k = start; k < j; k++)
                        a.v[a.n++] = it->v[k];
                    il_push(&alts, a);
                    start = j + 1;
                }
            }
        } else {
            sh_buf t = {0};
            bool ok = items_text(it, i + 1, close, &t) && t.data && brace_seq(t.data, &alts, toobig);
            sh_buf_free(&t);
            if (*toobig)
                return true;
            if (!ok)
                continue; /* not a brace expression: look further on */
        }
        for (int k = 0; k < alts.n; k++) {
            items w = concat3(it, 0, i, alts.v[k].v, alts.v[k].n, it, close + 1);
            free(alts.v[k].v);
            if (out->n > BRACE_MAX) {
                *toobig = true;
                free(w.v);
                continue;
            }
            if (!brace_once(&w, out, toobig))
                il_push(out, w);
            else
                free(w.v);
        }
        free(alts.v);
        return true;
    }
    return false;
}

static word *items_word(const items *it)
{
    word *w = sh_calloc(1, sizeof *w);
    w->parts = sh_calloc((size_t)(it->n ? it->n : 1), sizeof(wpart));
    for (int i = 0; i < it->n; i++) {
        const item *x = &it->v[i];
        if (x->part) {
            w->parts[w->nparts++] = *x->part;
            continue;
        }
        /* each literal run becomes one part; text lives in a malloc'd copy */
        int j = i;
        while (j < it->n && !it->v[j].part && it->v[j].quoted == x->quoted)
            j++;
        char *s = sh_malloc((size_t)(j - i) + 1);
        for (int k = i; k < j; k++)
            s[k - i] = it->v[k].c;
        s[j - i] = 0;
        wpart p = {.kind = WP_LIT, .quoted = x->quoted};
        p.u.lit.s = s;
        p.u.lit.n = (size_t)(j - i);
        w->parts[w->nparts++] = p;
        i = j - 1;
    }
    return w;
}

static void word_free_tmp(word *w)
{
    for (int i = 0; i < w->nparts; i++)
        if (w->parts[i].kind == WP_LIT && (w->parts[i].u.lit.n || !w->parts[i].quoted))
            free((char *)w->parts[i].u.lit.s);
    free(w->parts);
    free(w);
}

/* ---- pathname expansion of the fields -------------------------------------------- */

static bool field_has_magic(const field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->mask[i] == M_GLOB && (f->text[i] == '*' || f->text[i] == '?' || f->text[i] == '['))
            return true;
    return false;
}

static char *field_pattern(const field *f)
{
    sh_buf b = {0};
    for (size_t i = 0; i < f->len; i++) {
        char c = f->text[i];
        if ((f->mask[i] == M_QUOTED && strchr("*?[]\\&", c)) || (f->mask[i] == M_GLOB && c == '\\'))
            sh_buf_addc(&b, '\\');
        sh_buf_addc(&b, c);
    }
    return sh_buf_take(&b);
}

typedef struct {
    char **v;
    int n, cap;
} strvec;

static void sv_push(strvec *sv, char *s)
{
    if (sv->n + 1 >= sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = sh_realloc(sv->v, (size_t)sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

/* Moves fb's fields into out, globbing where asked; false on failglob. */
static bool fields_out(shctx *sh, fieldbuf *fb, strvec *out, bool glob)
{
    bool ok = true;
    for (int i = 0; i < fb->n; i++) {
        field *f = &fb->out[i];
        if (ok && glob && !sh->st.opt.noglob && field_has_magic(f)) {
            char *pat = field_pattern(f);
            int before = out->n;
            if (glob_expand(sh, pat, &out->v, &out->n, &out->cap)) {
                free(pat);
                free(f->text);
                free(f->mask);
                continue;
            }
            out->n = before;
            if (sh->st.opt.failglob) {
                shell_error(sh, "no match: %s", f->text);
                ok = false;
            }
            free(pat);
            if (sh->st.opt.nullglob || !ok) {
                free(f->text);
                free(f->mask);
                continue;
            }
        }
        if (out->n + 1 >= out->cap) {
            out->cap = out->cap ? out->cap * 2 : 8;
            out->v = sh_realloc(out->v, (size_t)out->cap * sizeof *out->v);
        }
        out->v[out->n++] = f->text;
        out->v[out->n] = NULL;
        free(f->mask);
    }
    fb->n = 0;
    return ok;
}

static bool expand_one_word(shctx *sh, const word *w, strvec *out)
{
    fieldbuf fb;
    fb_init(&fb, sh, FB_FIELDS);
    bool ok = expand_parts(sh, w, &fb, false, false, false);
    if (ok && (fb.text.len || fb.started))
        fb_push(&fb);
    if (ok && !fb.failed)
        ok = fields_out(sh, &fb, out, true);
    else
        ok = false;
    fb_free(&fb);
    return ok;
}

static void expansion_failed(shctx *sh)
{
    /* bash drops the rest of the line after an expansion error */
    if (sh->jump == J_NONE && !sh->fatal) {
        sh->jump = J_ABORT;
        sh->jump_n = 1;
    }
}

char **expand_words(shctx *sh, word **words, int n, int *argc)
{
    strvec out = {0};
    sv_push(&out, NULL);
    out.n = 0;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        const word *w = words[i];
        if (brace_any(w)) {
            items it = word_items(w);
            itemlist l = {0};
            bool toobig = false;
            bool any = brace_once(&it, &l, &toobig);
            free(it.v);
            if (toobig) {
                shell_error(sh, "brace expansion: more than %d words", BRACE_MAX);
                ok = false;
            }
            if (any && !toobig) {
                for (int k = 0; k < l.n && ok; k++) {
                    word *bw = items_word(&l.v[k]);
                    ok = expand_one_word(sh, bw, &out);
                    word_free_tmp(bw);
                }
            }
            for (int k = 0; k < l.n; k++)
                free(l.v[k].v);
            free(l.v);
            if (any || toobig)
                continue;
        }
        ok = expand_one_word(sh, w, &out);
    }
    if (!ok) {
        sh_strv_free(out.v);
        expansion_failed(sh);
        return NULL;
    }
    *argc = out.n;
    return out.v;
}

static char *expand_to_string(shctx *sh, const word *w, enum fb_mode mode, bool assign, bool force_quoted)
{
    fieldbuf fb;
    fb_init(&fb, sh, mode);
    if (!expand_parts(sh, w, &fb, force_quoted, assign, false) || fb.failed) {
        fb_free(&fb);
        expansion_failed(sh);
        return NULL;
    }
    char *r;
    if (mode == FB_PATTERN) {
        field f = {fb.text.data ? fb.text.data : "", (unsigned char *)(fb.mask.data ? fb.mask.data : ""),
                   fb.text.len};
        r = field_pattern(&f);
    } else {
        r = sh_buf_take(&fb.text);
    }
    fb_free(&fb);
    return r;
}

char *expand_string(shctx *sh, const word *w)
{
    return expand_to_string(sh, w, FB_STRING, false, false);
}

char *expand_assign(shctx *sh, const word *w)
{
    return expand_to_string(sh, w, FB_STRING, true, false);
}

char *expand_pattern(shctx *sh, const word *w)
{
    return expand_to_string(sh, w, FB_PATTERN, false, false);
}

char *expand_heredoc(shctx *sh, const word *w)
{
    return expand_to_string(sh, w, FB_STRING, false, true);
}

/* For param.c: the expansion of an operator's word into the same fields. */
bool expand_param_word(shctx *sh, const word *w, fieldbuf *fb, bool quoted)
{
    return expand_parts(sh, w, fb, quoted, false, true);
}
