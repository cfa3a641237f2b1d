/* parse_cond.c: [[ ]] conditional expressions: !, &&, ||, ( ), unary
 * tests (-f x), binary tests (==, =~ with its regex word, -eq, <, ...). */
#include "parse_internal.h"

#include <string.h>

/* ---- [[ conditional expressions ]] -------------------------------------------------- */

cond *ps_cond_or(parser *p);

static bool cond_skip(parser *p)
{
    ps_skip_newlines(p);
    return !p->failed;
}

static cond *new_cond(parser *p, int op)
{
    cond *c = ps_alloc(p->unit, sizeof *c);
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
    return ps_at_word(p, "]]") || ps_at_op(p, "&&") || ps_at_op(p, "||") || pc(p) == ')' || pc(p) == -1;
}

static cond *cond_primary(parser *p)
{
    if (!cond_skip(p))
        return NULL;
    if (pc(p) == '(') {
        p->pos++;
        if (!ps_deeper(p))
            return NULL;
        cond *c = ps_cond_or(p);
        if (!c || !cond_skip(p))
            return NULL;
        if (pc(p) != ')') {
            ps_fail_token(p);
            return NULL;
        }
        p->pos++;
        p->depth--;
        return c;
    }
    if (ps_at_word(p, "!")) {
        p->pos++;
        if (!ps_deeper(p))
            return NULL;
        cond *c = new_cond(p, C_NOT);
        c->l = cond_primary(p);
        p->depth--;
        return c->l ? c : NULL;
    }
    if (at_cond_end(p)) {
        ps_fail_token(p);
        return NULL;
    }
    word *a = ps_read_word(p, WM_NORMAL, false);
    if (!a) {
        if (!p->failed)
            ps_fail_token(p);
        return NULL;
    }
    ps_skip_blanks(p);
    const char *as = ps_word_plain(a);
    if (is_unary_test(as) && !at_cond_end(p)) {
        cond *c = new_cond(p, C_UNARY);
        c->opname = as;
        c->a = ps_read_word(p, WM_NORMAL, false);
        if (!c->a) {
            if (!p->failed)
                ps_fail_token(p);
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
        word *o = ps_read_word(p, WM_NORMAL, false);
        op = ps_word_plain(o);
        if (!is_binary_test(op)) {
            p->pos = save;
            ps_fail_token(p);
            return NULL;
        }
    }
    if (!op) {
        cond *c = new_cond(p, C_WORD);
        c->a = a;
        return c;
    }
    ps_skip_blanks(p);
    cond *c = new_cond(p, C_BINARY);
    c->opname = op;
    c->a = a;
    c->b = ps_read_word(p, strcmp(op, "=~") ? WM_NORMAL : WM_REGEX, false);
    if (!c->b || !c->b->nparts) {
        if (!p->failed)
            ps_fail_token(p);
        return NULL;
    }
    return c;
}

static cond *cond_and(parser *p)
{
    cond *l = cond_primary(p);
    while (l && cond_skip(p) && ps_at_op(p, "&&")) {
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

cond *ps_cond_or(parser *p)
{
    cond *l = cond_and(p);
    while (l && cond_skip(p) && ps_at_op(p, "||")) {
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
