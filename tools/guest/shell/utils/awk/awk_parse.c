/* awk_parse.c: tokens to the program tree, by recursive descent over
 * POSIX's grammar (precedence from lowest: assignment, ?:, ||, &&, in, ~,
 * relational, concatenation, additive, multiplicative, unary, ^, ++/--,
 * $, grouping). Names are resolved here: a function's parameters become
 * frame slots, every other name a global's index. Nesting is bounded
 * (AWK_MAX_PARSE_DEPTH), so no program can overflow the stack. */
#include "awk_lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    shctx *sh;
    const char *src, *name;
    size_t len;
    atoken *t;
    size_t nt, pos;
    aprog *prog;
    int fn;          /* the index of the function being parsed, or -1 (an index:
                        the table grows while a body calls functions not yet seen) */
    int depth;
    bool no_gt;      /* in print's list: '>' redirects */
    bool no_in;      /* in a for's head: 'in' belongs to the for */
    bool failed;
    int loops;       /* loops around: break/continue allowed */
} parser;

static const char *tok_desc(const atoken *t)
{
    switch (t->type) {
    case T_EOF: return "end of file";
    case T_NEWLINE: return "newline";
    default: return NULL;
    }
}

static void perr(parser *p, const atoken *t, const char *msg)
{
    if (p->failed)
        return;
    p->failed = true;
    const char *d = tok_desc(t);
    char buf[160];
    if (!msg) {
        if (d)
            snprintf(buf, sizeof buf, "syntax error (unexpected %s)", d);
        else
            snprintf(buf, sizeof buf, "syntax error");
        msg = buf;
    }
    awk_syntax_msg(p->sh, p->src, p->len, p->name, t->line, t->off, msg);
}

static atoken *tk(parser *p)
{
    return &p->t[p->pos];
}
static int ty(parser *p)
{
    return p->t[p->pos].type;
}
static int peek_ty(parser *p, size_t k)
{
    size_t i = p->pos + k;
    return i < p->nt ? p->t[i].type : T_EOF;
}
static void adv(parser *p)
{
    if (p->pos + 1 < p->nt)
        p->pos++;
}
static bool accept(parser *p, int type)
{
    if (ty(p) == type) {
        adv(p);
        return true;
    }
    return false;
}
static bool expect(parser *p, int type)
{
    if (accept(p, type))
        return true;
    perr(p, tk(p), NULL);
    return false;
}
static void opt_nl(parser *p)
{
    while (ty(p) == T_NEWLINE)
        adv(p);
}
static void skip_terms(parser *p)
{
    while (ty(p) == T_NEWLINE || ty(p) == T_SEMI)
        adv(p);
}

static anode *mk(parser *p, int op, int line)
{
    anode *n = sh_calloc(1, sizeof *n);
    n->op = (unsigned char)op;
    n->line = line;
    n->alloc_next = p->prog->all;
    p->prog->all = n;
    return n;
}

static bool enter(parser *p)
{
    if (++p->depth > AWK_MAX_PARSE_DEPTH) {
        char msg[96];
        snprintf(msg, sizeof msg, "syntax nested too deeply (limit %d levels)", AWK_MAX_PARSE_DEPTH);
        perr(p, tk(p), msg);
        return false;
    }
    return true;
}

/* ---- names ---------------------------------------------------------------- */
static int func_index(parser *p, const char *name, bool create)
{
    for (int i = 0; i < p->prog->nfuncs; i++)
        if (!strcmp(p->prog->funcs[i].name, name))
            return i;
    if (!create)
        return -1;
    aprog *g = p->prog;
    g->funcs = sh_realloc(g->funcs, (size_t)(g->nfuncs + 1) * sizeof *g->funcs);
    afunc *f = &g->funcs[g->nfuncs];
    memset(f, 0, sizeof *f);
    f->name = sh_strdup(name);
    return g->nfuncs++;
}

static int global_index(parser *p, const char *name)
{
    for (int i = 0; i < p->prog->nglobals; i++)
        if (!strcmp(p->prog->globals[i], name))
            return i;
    aprog *g = p->prog;
    g->globals = sh_realloc(g->globals, (size_t)(g->nglobals + 1) * sizeof *g->globals);
    g->globals[g->nglobals] = sh_strdup(name);
    return g->nglobals++;
}

/* A variable reference: a parameter of the function being parsed, or a global. */
static anode *var_node(parser *p, const atoken *t)
{
    afunc *fn = p->fn >= 0 ? &p->prog->funcs[p->fn] : NULL;
    if (fn)
        for (int i = 0; i < fn->nparams; i++)
            if (!strcmp(fn->params[i], t->text)) {
                anode *n = mk(p, E_LOCAL, t->line);
                n->sub = i;
                n->str = astr_cstr(t->text);
                return n;
            }
    if (func_index(p, t->text, false) >= 0 && p->prog->funcs[func_index(p, t->text, false)].defined) {
        char msg[160];
        snprintf(msg, sizeof msg, "function `%.100s' used as a variable", t->text);
        perr(p, t, msg);
    }
    anode *n = mk(p, E_VAR, t->line);
    n->sub = global_index(p, t->text);
    n->str = astr_cstr(t->text);
    return n;
}

static bool is_lvalue(const anode *n)
{
    return n && (n->op == E_VAR || n->op == E_LOCAL || n->op == E_FIELD || n->op == E_INDEX);
}

/* ---- expressions ---------------------------------------------------------------- */
static anode *expr(parser *p);
static anode *ternary(parser *p);
static anode *concat_expr(parser *p);
static anode *unary(parser *p);
static anode *postfix(parser *p);
static anode *primary(parser *p);

static anode *expr_list(parser *p, int *count)
{
    anode *head = NULL, **tail = &head;
    int n = 0;
    for (;;) {
        anode *e = expr(p);
        if (!e)
            return NULL;
        *tail = e;
        tail = &e->next;
        n++;
        if (ty(p) != T_COMMA)
            break;
        adv(p);
        opt_nl(p);
    }
    if (count)
        *count = n;
    return head;
}

static anode *subscripts(parser *p)
{
    bool sg = p->no_gt, si = p->no_in;
    p->no_gt = p->no_in = false;
    anode *l = expr_list(p, NULL);
    p->no_gt = sg;
    p->no_in = si;
    if (!l || !expect(p, T_RBRACKET))
        return NULL;
    return l;
}

/* NAME, NAME[...], $expr: what getline and for-in assign to. */
static anode *lvalue(parser *p)
{
    atoken *t = tk(p);
    if (t->type == T_DOLLAR) {
        adv(p);
        anode *n = mk(p, E_FIELD, t->line);
        n->a = primary(p);
        return n->a ? n : NULL;
    }
    if (t->type != T_NAME) {
        perr(p, t, NULL);
        return NULL;
    }
    adv(p);
    anode *v = var_node(p, t);
    if (ty(p) == T_LBRACKET) {
        adv(p);
        anode *n = mk(p, E_INDEX, t->line);
        n->a = v;
        n->b = subscripts(p);
        return n->b ? n : NULL;
    }
    return v;
}

static bool starts_lvalue(int t)
{
    return t == T_NAME || t == T_DOLLAR;
}

/* getline [var] [< file] (after the keyword) */
static anode *simple_getline(parser *p, int line)
{
    anode *n = mk(p, E_GETLINE, line);
    n->sub = GL_PLAIN;
    if (starts_lvalue(ty(p))) {
        n->a = lvalue(p);
        if (!n->a)
            return NULL;
    }
    if (ty(p) == T_LT) {
        adv(p);
        n->sub = GL_FILE;
        n->b = postfix(p);
        if (!n->b)
            return NULL;
    }
    return n;
}

static anode *call_args(parser *p, int *count)
{
    /* after '(' */
    *count = 0;
    bool sg = p->no_gt, si = p->no_in;
    p->no_gt = p->no_in = false;
    anode *l = NULL;
    opt_nl(p);
    if (ty(p) != T_RPAREN)
        l = expr_list(p, count);
    p->no_gt = sg;
    p->no_in = si;
    opt_nl(p);
    if (p->failed || !expect(p, T_RPAREN))
        return NULL;
    return l;
}

static anode *primary(parser *p)
{
    if (!enter(p))
        return NULL;
    atoken *t = tk(p);
    anode *n = NULL;
    switch (t->type) {
    case T_NUMBER:
        adv(p);
        n = mk(p, E_NUM, t->line);
        n->num = t->num;
        break;
    case T_STRING:
        adv(p);
        n = mk(p, E_STR, t->line);
        n->str = astr_new(t->text, t->len);
        break;
    case T_ERE: {
        adv(p);
        n = mk(p, E_REGEX, t->line);
        n->str = astr_new(t->text, t->len);
        char where[64];
        snprintf(where, sizeof where, "%s:%d", p->name, t->line);
        n->re = awk_rx_compile(p->sh, t->text, t->len, where);
        if (!n->re)
            p->failed = true;
        break;
    }
    case T_DOLLAR: {
        adv(p);
        n = mk(p, E_FIELD, t->line);
        int k = ty(p);
        if (k == T_INCR || k == T_DECR || k == T_MINUS || k == T_PLUS || k == T_NOT)
            n->a = unary(p);
        else
            n->a = primary(p);
        if (!n->a)
            n = NULL;
        break;
    }
    case T_LPAREN: {
        adv(p);
        bool sg = p->no_gt, si = p->no_in;
        p->no_gt = p->no_in = false;
        int count = 0;
        opt_nl(p);
        anode *l = expr_list(p, &count);
        p->no_gt = sg;
        p->no_in = si;
        opt_nl(p);
        if (!l || !expect(p, T_RPAREN))
            break;
        n = mk(p, count > 1 ? E_GROUPLIST : E_GROUP, t->line);
        n->a = l;
        if (count > 1 && ty(p) != T_IN && !p->no_gt) {
            /* (a, b) is only a subscript list before "in" (or print's list) */
            perr(p, tk(p), NULL);
            n = NULL;
        }
        break;
    }
    case T_INCR:
    case T_DECR: {
        adv(p);
        anode *lv = unary(p);
        if (!lv)
            break;
        if (!is_lvalue(lv)) {
            perr(p, t, "++ or -- applied to something that is not a variable");
            break;
        }
        n = mk(p, t->type == T_INCR ? E_PREINC : E_PREDEC, t->line);
        n->a = lv;
        break;
    }
    case T_NAME:
        adv(p);
        n = var_node(p, t);
        if (ty(p) == T_LBRACKET) {
            adv(p);
            anode *ix = mk(p, E_INDEX, t->line);
            ix->a = n;
            ix->b = subscripts(p);
            n = ix->b ? ix : NULL;
        }
        break;
    case T_FUNC_NAME: {
        adv(p);
        adv(p); /* '(' */
        n = mk(p, E_CALL, t->line);
        n->sub = func_index(p, t->text, true);
        n->str = astr_cstr(t->text);
        int count;
        n->a = call_args(p, &count);
        n->num = count;
        if (p->failed)
            n = NULL;
        break;
    }
    case T_BUILTIN: {
        adv(p);
        n = mk(p, E_BUILTIN, t->line);
        n->sub = t->sub;
        n->str = astr_cstr(t->text);
        int count = 0;
        if (ty(p) == T_LPAREN) {
            adv(p);
            n->a = call_args(p, &count);
            if (p->failed)
                return NULL;
        } else if (t->sub != B_LENGTH) {
            perr(p, tk(p), NULL);
            return NULL;
        }
        n->num = count;
        static const signed char min_args[] = {
            [B_LENGTH] = 0, [B_SUBSTR] = 2, [B_INDEX] = 2, [B_SPLIT] = 2, [B_SUB] = 2,
            [B_GSUB] = 2, [B_MATCH] = 2, [B_SPRINTF] = 1, [B_SIN] = 1, [B_COS] = 1,
            [B_ATAN2] = 2, [B_EXP] = 1, [B_LOG] = 1, [B_SQRT] = 1, [B_INT] = 1,
            [B_RAND] = 0, [B_SRAND] = 0, [B_TOLOWER] = 1, [B_TOUPPER] = 1, [B_SYSTEM] = 1,
            [B_CLOSE] = 1, [B_FFLUSH] = 0};
        static const signed char max_args[] = {
            [B_LENGTH] = 1, [B_SUBSTR] = 3, [B_INDEX] = 2, [B_SPLIT] = 3, [B_SUB] = 3,
            [B_GSUB] = 3, [B_MATCH] = 2, [B_SPRINTF] = 127, [B_SIN] = 1, [B_COS] = 1,
            [B_ATAN2] = 2, [B_EXP] = 1, [B_LOG] = 1, [B_SQRT] = 1, [B_INT] = 1,
            [B_RAND] = 0, [B_SRAND] = 1, [B_TOLOWER] = 1, [B_TOUPPER] = 1, [B_SYSTEM] = 1,
            [B_CLOSE] = 1, [B_FFLUSH] = 1};
        if (count < min_args[t->sub] || count > max_args[t->sub]) {
            char msg[96];
            snprintf(msg, sizeof msg, "%d arguments are wrong for %s", count, t->text);
            perr(p, t, msg);
            return NULL;
        }
        /* sub/gsub's target and split's array must be assignable */
        if ((t->sub == B_SUB || t->sub == B_GSUB) && count == 3 && !is_lvalue(n->a->next->next)) {
            perr(p, t, "the third argument of sub/gsub must be a variable, element or field");
            return NULL;
        }
        if (t->sub == B_SPLIT && n->a->next->op != E_VAR && n->a->next->op != E_LOCAL) {
            perr(p, t, "split's second argument must be an array name");
            return NULL;
        }
        break;
    }
    case T_GETLINE:
        adv(p);
        n = simple_getline(p, t->line);
        break;
    case T_MINUS:
    case T_PLUS:
    case T_NOT:
        n = unary(p);
        break;
    default:
        perr(p, t, NULL);
        break;
    }
    p->depth--;
    return p->failed ? NULL : n;
}

static anode *postfix(parser *p)
{
    anode *n = primary(p);
    if (n && is_lvalue(n) && (ty(p) == T_INCR || ty(p) == T_DECR)) {
        anode *q = mk(p, ty(p) == T_INCR ? E_POSTINC : E_POSTDEC, tk(p)->line);
        q->a = n;
        adv(p);
        return q;
    }
    return n;
}

static anode *binop(parser *p, int op, int sub, anode *l, anode *r, int line)
{
    if (!l || !r)
        return NULL;
    anode *n = mk(p, op, line);
    n->sub = sub;
    n->a = l;
    n->b = r;
    return n;
}

/* x ^ y: right-associative, and the exponent may carry a sign (2^-1). */
static anode *power(parser *p)
{
    anode *b = postfix(p);
    if (b && ty(p) == T_CARET) {
        int line = tk(p)->line;
        adv(p);
        if (!enter(p))
            return NULL;
        anode *e = (ty(p) == T_MINUS || ty(p) == T_PLUS || ty(p) == T_NOT) ? unary(p) : power(p);
        p->depth--;
        return binop(p, E_BINOP, '^', b, e, line);
    }
    return b;
}

static anode *unary(parser *p)
{
    atoken *t = tk(p);
    if (t->type == T_NOT || t->type == T_MINUS || t->type == T_PLUS) {
        adv(p);
        if (!enter(p))
            return NULL;
        anode *e = unary(p);
        p->depth--;
        if (!e)
            return NULL;
        if (t->type == T_MINUS && e->op == E_NUM) {
            e->num = -e->num;
            return e;
        }
        anode *n = mk(p, t->type == T_NOT ? E_NOT : t->type == T_MINUS ? E_NEG : E_UPLUS, t->line);
        n->a = e;
        return n;
    }
    return power(p);
}

static anode *multiplicative(parser *p)
{
    anode *l = unary(p);
    while (l && (ty(p) == T_STAR || ty(p) == T_SLASH || ty(p) == T_PERCENT)) {
        int op = ty(p) == T_STAR ? '*' : ty(p) == T_SLASH ? '/' : '%';
        int line = tk(p)->line;
        adv(p);
        l = binop(p, E_BINOP, op, l, unary(p), line);
    }
    return l;
}

static anode *additive(parser *p)
{
    anode *l = multiplicative(p);
    while (l && (ty(p) == T_PLUS || ty(p) == T_MINUS)) {
        int op = ty(p) == T_PLUS ? '+' : '-';
        int line = tk(p)->line;
        adv(p);
        l = binop(p, E_BINOP, op, l, multiplicative(p), line);
    }
    return l;
}

static bool starts_concat(parser *p)
{
    switch (ty(p)) {
    case T_NUMBER: case T_STRING: case T_ERE: case T_NAME: case T_FUNC_NAME: case T_BUILTIN:
    case T_DOLLAR: case T_NOT: case T_LPAREN: case T_INCR: case T_DECR: case T_MINUS:
    case T_PLUS:
        return true;
    case T_IN:
        return false;
    default:
        return false;
    }
}

static anode *concat_expr(parser *p)
{
    anode *l = additive(p);
    int n = 0;
    /* '-' and '+' after an operand subtract and add (additive took them);
     * '!' starts a concatenated operand only as "!x" cannot be "!=" here */
    while (l && starts_concat(p) && ty(p) != T_MINUS && ty(p) != T_PLUS && ty(p) != T_NOT) {
        if (++n > 10000 || !enter(p))
            return NULL;
        p->depth--;
        l = binop(p, E_CONCAT, 0, l, additive(p), l->line);
    }
    return l;
}

static anode *relational(parser *p)
{
    anode *l = concat_expr(p);
    for (;;) {
        if (!l)
            return NULL;
        int t = ty(p);
        if (t == T_PIPE && peek_ty(p, 1) == T_GETLINE) {
            int line = tk(p)->line;
            adv(p);
            adv(p);
            anode *g = mk(p, E_GETLINE, line);
            g->sub = GL_CMD;
            g->b = l;
            if (starts_lvalue(ty(p))) {
                g->a = lvalue(p);
                if (!g->a)
                    return NULL;
            }
            l = g;
            continue;
        }
        int cmp = t == T_LT ? '<' : t == T_LE ? 'l' : t == T_EQ ? '=' : t == T_NE ? '!' :
                  t == T_GE ? 'g' : (t == T_GT && !p->no_gt) ? '>' : 0;
        if (!cmp)
            return l;
        int line = tk(p)->line;
        adv(p);
        l = binop(p, E_CMP, cmp, l, concat_expr(p), line);
    }
}

static anode *match_expr(parser *p)
{
    anode *l = relational(p);
    while (l && (ty(p) == T_MATCH || ty(p) == T_NOMATCH)) {
        int neg = ty(p) == T_NOMATCH;
        int line = tk(p)->line;
        adv(p);
        l = binop(p, E_MATCH, neg, l, relational(p), line);
    }
    return l;
}

static anode *in_expr(parser *p)
{
    anode *l = match_expr(p);
    while (l && ty(p) == T_IN && !p->no_in) {
        int line = tk(p)->line;
        adv(p);
        atoken *t = tk(p);
        if (!expect(p, T_NAME))
            return NULL;
        anode *n = mk(p, E_IN, line);
        n->a = (l->op == E_GROUPLIST || l->op == E_GROUP) ? l->a : l;
        n->b = var_node(p, t);
        l = n;
    }
    if (l && l->op == E_GROUPLIST && !p->no_gt) {
        perr(p, tk(p), NULL);
        return NULL;
    }
    return l;
}

static anode *and_expr(parser *p)
{
    anode *l = in_expr(p);
    while (l && ty(p) == T_AND) {
        int line = tk(p)->line;
        adv(p);
        opt_nl(p);
        l = binop(p, E_AND, 0, l, in_expr(p), line);
    }
    return l;
}

static anode *or_expr(parser *p)
{
    anode *l = and_expr(p);
    while (l && ty(p) == T_OR) {
        int line = tk(p)->line;
        adv(p);
        opt_nl(p);
        l = binop(p, E_OR, 0, l, and_expr(p), line);
    }
    return l;
}

static anode *ternary(parser *p)
{
    anode *c = or_expr(p);
    if (c && ty(p) == T_QUEST) {
        int line = tk(p)->line;
        adv(p);
        opt_nl(p);
        if (!enter(p))
            return NULL;
        anode *x = expr(p);
        opt_nl(p);
        if (!x || !expect(p, T_COLON)) {
            p->depth--;
            return NULL;
        }
        opt_nl(p);
        anode *y = expr(p);
        p->depth--;
        if (!y)
            return NULL;
        anode *n = mk(p, E_COND, line);
        n->a = c;
        n->b = x;
        n->c = y;
        return n;
    }
    return c;
}

static int assign_op(int t)
{
    switch (t) {
    case T_ASSIGN: return '=';
    case T_ADD_ASSIGN: return '+';
    case T_SUB_ASSIGN: return '-';
    case T_MUL_ASSIGN: return '*';
    case T_DIV_ASSIGN: return '/';
    case T_MOD_ASSIGN: return '%';
    case T_POW_ASSIGN: return '^';
    default: return 0;
    }
}

static anode *expr(parser *p)
{
    if (!enter(p))
        return NULL;
    anode *l = ternary(p);
    int op;
    if (l && is_lvalue(l) && (op = assign_op(ty(p))) != 0) {
        int line = tk(p)->line;
        adv(p);
        opt_nl(p);
        anode *r = expr(p);
        l = r ? binop(p, E_ASSIGN, op, l, r, line) : NULL;
    }
    p->depth--;
    return p->failed ? NULL : l;
}

/* ---- statements --------------------------------------------------------------------- */
static anode *stmt(parser *p);

static anode *block(parser *p)
{
    /* after '{' */
    int line = tk(p)->line;
    anode *head = NULL, **tail = &head;
    for (;;) {
        skip_terms(p);
        if (ty(p) == T_RBRACE) {
            adv(p);
            break;
        }
        if (ty(p) == T_EOF) {
            perr(p, tk(p), NULL);
            return NULL;
        }
        anode *s = stmt(p);
        if (!s)
            return NULL;
        *tail = s;
        while (s->next)
            s = s->next;
        tail = &s->next;
    }
    anode *b = mk(p, S_BLOCK, line);
    b->a = head;
    return b;
}

/* A simple statement ends with ';', a newline, or before '}'. */
static bool end_simple(parser *p)
{
    if (ty(p) == T_SEMI || ty(p) == T_NEWLINE) {
        adv(p);
        return true;
    }
    if (ty(p) == T_RBRACE || ty(p) == T_EOF)
        return true;
    perr(p, tk(p), NULL);
    return false;
}

static anode *print_stmt(parser *p)
{
    atoken *t = tk(p);
    adv(p);
    anode *n = mk(p, t->type == T_PRINT ? S_PRINT : S_PRINTF, t->line);
    bool sg = p->no_gt;
    p->no_gt = true;
    int k = ty(p);
    if (k != T_SEMI && k != T_NEWLINE && k != T_RBRACE && k != T_GT && k != T_APPEND &&
        k != T_PIPE && k != T_EOF) {
        int count;
        n->a = expr_list(p, &count);
        if (!n->a) {
            p->no_gt = sg;
            return NULL;
        }
        if (count == 1 && n->a->op == E_GROUPLIST)
            n->a = n->a->a;
    }
    if (t->type == T_PRINTF && !n->a) {
        p->no_gt = sg;
        perr(p, tk(p), "printf: no format");
        return NULL;
    }
    k = ty(p);
    if (k == T_GT || k == T_APPEND || k == T_PIPE) {
        n->sub = k == T_GT ? RD_FILE : k == T_APPEND ? RD_APPEND : RD_PIPE;
        adv(p);
        n->b = concat_expr(p);
        if (!n->b) {
            p->no_gt = sg;
            return NULL;
        }
    }
    p->no_gt = sg;
    return n;
}

static anode *simple_stmt(parser *p)
{
    atoken *t = tk(p);
    anode *n;
    switch (t->type) {
    case T_PRINT:
    case T_PRINTF:
        return print_stmt(p);
    case T_NEXT:
    case T_NEXTFILE:
        adv(p);
        if (p->fn < 0 && p->loops < 0) {
            perr(p, t, t->type == T_NEXT ? "`next' used in a BEGIN or END action"
                                        : "`nextfile' used in a BEGIN or END action");
            return NULL;
        }
        return mk(p, t->type == T_NEXT ? S_NEXT : S_NEXTFILE, t->line);
    case T_EXIT:
    case T_RETURN:
        adv(p);
        if (t->type == T_RETURN && p->fn < 0) {
            perr(p, t, "`return' used outside function context");
            return NULL;
        }
        n = mk(p, t->type == T_EXIT ? S_EXIT : S_RETURN, t->line);
        if (ty(p) != T_SEMI && ty(p) != T_NEWLINE && ty(p) != T_RBRACE && ty(p) != T_EOF) {
            n->a = expr(p);
            if (!n->a)
                return NULL;
        }
        return n;
    case T_BREAK:
    case T_CONTINUE:
        adv(p);
        if (p->loops <= 0) {
            perr(p, t, t->type == T_BREAK ? "`break' is not allowed outside a loop"
                                          : "`continue' is not allowed outside a loop");
            return NULL;
        }
        return mk(p, t->type == T_BREAK ? S_BREAK : S_CONTINUE, t->line);
    case T_DELETE: {
        adv(p);
        atoken *nm = tk(p);
        if (!expect(p, T_NAME))
            return NULL;
        n = mk(p, S_DELETE, t->line);
        n->a = var_node(p, nm);
        if (accept(p, T_LBRACKET)) {
            n->b = subscripts(p);
            if (!n->b)
                return NULL;
        }
        return n;
    }
    default:
        n = mk(p, S_EXPR, t->line);
        n->a = expr(p);
        return n->a ? n : NULL;
    }
}

/* The body of if/while/for: a statement, maybe on the next line. */
static anode *body(parser *p, bool loop)
{
    opt_nl(p);
    if (ty(p) == T_SEMI) {
        int line = tk(p)->line;
        adv(p);
        return mk(p, S_BLOCK, line);
    }
    if (loop)
        p->loops = p->loops < 0 ? 1 : p->loops + 1;
    anode *s = stmt(p);
    if (loop)
        p->loops--;
    return s;
}

static anode *stmt(parser *p)
{
    if (!enter(p))
        return NULL;
    atoken *t = tk(p);
    anode *n = NULL;
    int saved_loops = p->loops;
    switch (t->type) {
    case T_LBRACE:
        adv(p);
        n = block(p);
        break;
    case T_IF: {
        adv(p);
        if (!expect(p, T_LPAREN))
            break;
        n = mk(p, S_IF, t->line);
        n->a = expr(p);
        if (!n->a || !expect(p, T_RPAREN) || !(n->b = body(p, false))) {
            n = NULL;
            break;
        }
        size_t save = p->pos;
        skip_terms(p);
        if (ty(p) == T_ELSE) {
            adv(p);
            if (!(n->c = body(p, false)))
                n = NULL;
        } else {
            p->pos = save;
        }
        break;
    }
    case T_WHILE:
        adv(p);
        if (!expect(p, T_LPAREN))
            break;
        n = mk(p, S_WHILE, t->line);
        n->a = expr(p);
        if (!n->a || !expect(p, T_RPAREN))
            n = NULL;
        else if (ty(p) == T_SEMI || ty(p) == T_NEWLINE) {
            adv(p);      /* while (x); : an empty body */
            n->b = mk(p, S_BLOCK, t->line);
        } else if (!(n->b = body(p, true)))
            n = NULL;
        break;
    case T_DO: {
        adv(p);
        n = mk(p, S_DO, t->line);
        if (!(n->b = body(p, true))) {
            n = NULL;
            break;
        }
        skip_terms(p);
        if (!expect(p, T_WHILE) || !expect(p, T_LPAREN) || !(n->a = expr(p)) ||
            !expect(p, T_RPAREN) || !end_simple(p))
            n = NULL;
        break;
    }
    case T_FOR: {
        adv(p);
        if (!expect(p, T_LPAREN))
            break;
        if (ty(p) == T_NAME && peek_ty(p, 1) == T_IN && peek_ty(p, 2) == T_NAME &&
            peek_ty(p, 3) == T_RPAREN) {
            n = mk(p, S_FORIN, t->line);
            n->a = var_node(p, tk(p));
            adv(p);
            adv(p);
            n->b = var_node(p, tk(p));
            adv(p);
            adv(p);
            if (!(n->c = body(p, true)))
                n = NULL;
            break;
        }
        n = mk(p, S_FOR, t->line);
        if (ty(p) != T_SEMI && !(n->a = simple_stmt(p))) {
            n = NULL;
            break;
        }
        if (!expect(p, T_SEMI)) {
            n = NULL;
            break;
        }
        opt_nl(p);
        if (ty(p) != T_SEMI && !(n->b = expr(p))) {
            n = NULL;
            break;
        }
        if (!expect(p, T_SEMI)) {
            n = NULL;
            break;
        }
        opt_nl(p);
        if (ty(p) != T_RPAREN && !(n->c = simple_stmt(p))) {
            n = NULL;
            break;
        }
        if (!expect(p, T_RPAREN) || !(n->d = body(p, true)))
            n = NULL;
        break;
    }
    case T_SEMI:
        adv(p);
        n = mk(p, S_BLOCK, t->line);
        break;
    default:
        n = simple_stmt(p);
        if (n && !end_simple(p))
            n = NULL;
        break;
    }
    p->loops = saved_loops;
    p->depth--;
    return p->failed ? NULL : n;
}

/* ---- items ------------------------------------------------------------------------------ */
static void add_item(aitem **v, int *n, aitem it)
{
    *v = sh_realloc(*v, (size_t)(*n + 1) * sizeof **v);
    (*v)[(*n)++] = it;
}

static bool function_def(parser *p)
{
    atoken *kw = tk(p);
    adv(p);
    atoken *nm = tk(p);
    if (nm->type != T_NAME && nm->type != T_FUNC_NAME) {
        perr(p, nm, NULL);
        return false;
    }
    adv(p);
    for (int i = 0; i < p->prog->nglobals; i++)
        if (!strcmp(p->prog->globals[i], nm->text) && i >= V_NSPECIAL) {
            /* a global of that name was used before: awk refuses the clash */
            char msg[160];
            snprintf(msg, sizeof msg, "function name `%.100s' previously defined as a variable", nm->text);
            perr(p, nm, msg);
            return false;
        }
    int fi = func_index(p, nm->text, true);
    afunc *f = &p->prog->funcs[fi];
    if (f->defined) {
        char msg[160];
        snprintf(msg, sizeof msg, "function `%.100s' previously defined", nm->text);
        perr(p, nm, msg);
        return false;
    }
    f->defined = true;
    f->line = kw->line;
    if (!expect(p, T_LPAREN))
        return false;
    opt_nl(p);
    while (ty(p) != T_RPAREN) {
        atoken *a = tk(p);
        if (!expect(p, T_NAME))
            return false;
        for (int i = 0; i < f->nparams; i++)
            if (!strcmp(f->params[i], a->text)) {
                char msg[200];
                snprintf(msg, sizeof msg, "function `%.60s': parameter `%.60s' is named twice", f->name,
                         a->text);
                perr(p, a, msg);
                return false;
            }
        f->params = sh_realloc(f->params, (size_t)(f->nparams + 1) * sizeof *f->params);
        f->params[f->nparams++] = sh_strdup(a->text);
        opt_nl(p);
        if (ty(p) != T_RPAREN && !expect(p, T_COMMA))
            return false;
        opt_nl(p);
    }
    adv(p);
    opt_nl(p);
    if (!expect(p, T_LBRACE))
        return false;
    p->fn = fi;
    p->loops = 0;
    anode *b = block(p);
    p->fn = -1;
    /* f may have moved: funcs grows while the body is parsed */
    p->prog->funcs[fi].body = b;
    return b != NULL;
}

static bool item(parser *p)
{
    atoken *t = tk(p);
    aprog *g = p->prog;
    if (t->type == T_FUNCTION)
        return function_def(p);
    if (t->type == T_BEGIN || t->type == T_END) {
        adv(p);
        if (!expect(p, T_LBRACE))
            return false;
        p->loops = -1;  /* next is not allowed */
        anode *b = block(p);
        if (!b)
            return false;
        add_item(t->type == T_BEGIN ? &g->begin : &g->end, t->type == T_BEGIN ? &g->nbegin : &g->nend,
                 (aitem){NULL, NULL, b});
        return true;
    }
    aitem it = {NULL, NULL, NULL};
    p->loops = 0;
    if (t->type != T_LBRACE) {
        it.pattern = expr(p);
        if (!it.pattern)
            return false;
        if (accept(p, T_COMMA)) {
            opt_nl(p);
            it.pattern2 = expr(p);
            if (!it.pattern2)
                return false;
        }
    }
    if (accept(p, T_LBRACE)) {
        it.action = block(p);
        if (!it.action)
            return false;
    } else if (ty(p) != T_NEWLINE && ty(p) != T_SEMI && ty(p) != T_EOF) {
        perr(p, tk(p), NULL);
        return false;
    }
    add_item(&g->main, &g->nmain, it);
    return true;
}

static const char *const special_names[V_NSPECIAL] = {
    [V_NF] = "NF", [V_NR] = "NR", [V_FNR] = "FNR", [V_FS] = "FS", [V_OFS] = "OFS",
    [V_ORS] = "ORS", [V_RS] = "RS", [V_SUBSEP] = "SUBSEP", [V_RSTART] = "RSTART",
    [V_RLENGTH] = "RLENGTH", [V_FILENAME] = "FILENAME", [V_CONVFMT] = "CONVFMT",
    [V_OFMT] = "OFMT", [V_ENVIRON] = "ENVIRON", [V_ARGC] = "ARGC", [V_ARGV] = "ARGV",
};

aprog *awk_parse(shctx *sh, const char *src, size_t len, const char *name)
{
    size_t nt;
    atoken *t = awk_lex(sh, src, len, name, &nt);
    if (!t)
        return NULL;
    aprog *g = sh_calloc(1, sizeof *g);
    for (int i = 0; i < V_NSPECIAL; i++) {
        g->globals = sh_realloc(g->globals, (size_t)(g->nglobals + 1) * sizeof *g->globals);
        g->globals[g->nglobals++] = sh_strdup(special_names[i]);
    }
    parser p = {sh, src, name, len, t, nt, 0, g, -1, 0, false, false, false, 0};
    for (;;) {
        skip_terms(&p);
        if (ty(&p) == T_EOF)
            break;
        if (!item(&p))
            break;
    }
    if (!p.failed) {
        for (int i = 0; i < g->nfuncs; i++)
            if (!g->funcs[i].defined) {
                /* find a call to name it where it is */
                for (size_t k = 0; k < nt; k++)
                    if (t[k].type == T_FUNC_NAME && !strcmp(t[k].text, g->funcs[i].name)) {
                        char msg[160];
                        snprintf(msg, sizeof msg, "function `%.100s' called but never defined",
                                 g->funcs[i].name);
                        perr(&p, &t[k], msg);
                        break;
                    }
                break;
            }
    }
    if (!p.failed)
        for (int i = 0; i < g->nfuncs; i++)
            for (int k = 0; k < g->nglobals; k++)
                if (!strcmp(g->globals[k], g->funcs[i].name)) {
                    char msg[160];
                    snprintf(msg, sizeof msg, "function name `%.100s' used as a variable", g->funcs[i].name);
                    perr(&p, &t[0], msg);
                    break;
                }
    awk_tokens_free(t, nt);
    if (p.failed) {
        awk_prog_free(g);
        return NULL;
    }
    return g;
}

void awk_prog_free(aprog *g)
{
    if (!g)
        return;
    for (anode *n = g->all, *nx; n; n = nx) {
        nx = n->alloc_next;
        astr_unref(n->str);
        if (n->re)
            rx_free(n->re);
        free(n);
    }
    for (int i = 0; i < g->nfuncs; i++) {
        free(g->funcs[i].name);
        for (int k = 0; k < g->funcs[i].nparams; k++)
            free(g->funcs[i].params[k]);
        free(g->funcs[i].params);
    }
    free(g->funcs);
    for (int i = 0; i < g->nglobals; i++)
        free(g->globals[i]);
    free(g->globals);
    free(g->begin);
    free(g->end);
    free(g->main);
    free(g);
}
