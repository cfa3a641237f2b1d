/* awk_eval.c: runs the program tree. Expressions return values; statements
 * set a->jump for next, nextfile, exit, return, break and continue, and a
 * runtime error sets a->fatal, which every loop and list checks, so that
 * control unwinds to util_awk without longjmp (wasm has none). Recursion
 * is bounded twice: user calls (AWK_MAX_CALL_DEPTH) and every nested
 * expression or statement (AWK_MAX_EVAL_NEST). */
#include "awk.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void awk_fatal(awk_state *a, const char *fmt, ...)
{
    if (a->fatal)
        return;
    a->fatal = true;
    a->exit_code = 2;
    sh_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    awk_flush(a, false);
    if (a->cur_line > 0)
        sh_err(a->sh, "%s:%d: fatal: %s", a->src_name, a->cur_line, b.data ? b.data : "");
    else   /* not in a statement: opening the input files */
        sh_err(a->sh, "fatal: %s", b.data ? b.data : "");
    sh_buf_free(&b);
}

static const aval uninit = {0, 0, NULL};

/* ---- variables ------------------------------------------------------------- */
static acell *raw_cell(awk_state *a, anode *var)
{
    return var->op == E_LOCAL ? &a->locals[var->sub] : &a->globals[var->sub];
}

acell *awk_cell(awk_state *a, anode *var)
{
    acell *c = raw_cell(a, var);
    while (c->kind == K_REF)
        c = c->ref;
    return c;
}

aarr *awk_cell_array(awk_state *a, acell *c, const char *name)
{
    while (c->kind == K_REF)
        c = c->ref;
    if (c->kind == K_UNTYPED) {
        c->kind = K_ARRAY;
        c->arr = aarr_new();
    }
    if (c->kind != K_ARRAY) {
        awk_fatal(a, "attempt to use scalar `%s' as an array", name);
        return NULL;
    }
    return c->arr;
}

static aarr *node_array(awk_state *a, anode *var)
{
    return awk_cell_array(a, raw_cell(a, var), var->str ? var->str->s : "?");
}

static aval get_var(awk_state *a, anode *n)
{
    if (n->op == E_VAR && n->sub == V_NF)
        awk_split_record(a);
    acell *c = awk_cell(a, n);
    if (c->kind == K_ARRAY) {
        awk_fatal(a, "attempt to use array `%s' in a scalar context", n->str->s);
        return uninit;
    }
    if (c->kind == K_UNTYPED)
        return uninit;
    return aval_copy(&c->v);
}

void awk_set_global(awk_state *a, int idx, aval v)
{
    if (idx == V_NF) {
        double d = aval_to_num(&v);
        aval_free(&v);
        awk_set_nf(a, d);
        return;
    }
    acell *c = &a->globals[idx];
    if (c->kind == K_ARRAY) {
        aval_free(&v);
        awk_fatal(a, "attempt to use array `%s' in a scalar context", a->prog->globals[idx]);
        return;
    }
    aval_free(&c->v);
    c->kind = K_SCALAR;
    c->v = v;
}

astr *awk_subscript(awk_state *a, anode *subs)
{
    if (!subs->next) {
        aval v = awk_eval(a, subs);
        astr *s = aval_to_str(a, &v, false);
        aval_free(&v);
        return s;
    }
    astr *sep = aval_to_str(a, &a->globals[V_SUBSEP].v, false);
    sh_buf b = {0};
    for (anode *e = subs; e; e = e->next) {
        if (e != subs)
            sh_buf_add(&b, sep->s, sep->len);
        aval v = awk_eval(a, e);
        astr *s = aval_to_str(a, &v, false);
        sh_buf_add(&b, s->s, s->len);
        astr_unref(s);
        aval_free(&v);
    }
    astr_unref(sep);
    astr *r = astr_new(b.data ? b.data : "", b.len);
    sh_buf_free(&b);
    return r;
}

/* An lvalue resolved once (its subscript or field number evaluated), read
 * and written after: a[i++] += 1 evaluates i++ once. */
typedef struct {
    anode *n;
    aarr *arr;
    astr *key;
    double field;
} lref;

static bool resolve(awk_state *a, anode *n, lref *r)
{
    r->n = n;
    r->arr = NULL;
    r->key = NULL;
    if (n->op == E_INDEX) {
        r->key = awk_subscript(a, n->b);
        r->arr = node_array(a, n->a);
    } else if (n->op == E_FIELD) {
        aval v = awk_eval(a, n->a);
        r->field = aval_to_num(&v);
        aval_free(&v);
        if (!(r->field >= 0) && !a->fatal)
            awk_fatal(a, "attempt to access field %g", r->field);
    }
    return !a->fatal;
}

static void lref_done(lref *r)
{
    astr_unref(r->key);
    r->key = NULL;
}

static aval lref_get(awk_state *a, lref *r)
{
    switch (r->n->op) {
    case E_INDEX: {
        aelem *e = aarr_get(r->arr, r->key->s, r->key->len, true);
        return aval_copy(&e->v);
    }
    case E_FIELD:
        if (r->field > 1e15)
            return uninit;
        return awk_get_field(a, (size_t)r->field);
    default:
        return get_var(a, r->n);
    }
}

static void lref_set(awk_state *a, lref *r, aval v)
{
    anode *n = r->n;
    switch (n->op) {
    case E_INDEX: {
        aelem *e = aarr_get(r->arr, r->key->s, r->key->len, true);
        aval_free(&e->v);
        e->v = v;
        return;
    }
    case E_FIELD:
        if (r->field > 10000000) {
            aval_free(&v);
            awk_fatal(a, "field $%.0f is too far (limit 10000000)", r->field);
            return;
        }
        awk_set_field(a, (size_t)r->field, v);
        return;
    case E_VAR:
        awk_set_global(a, n->sub, v);
        return;
    default: {
        acell *c = raw_cell(a, n);
        if (c->kind == K_REF) {
            acell *t = awk_cell(a, n);
            if (t->kind == K_ARRAY) {
                aval_free(&v);
                awk_fatal(a, "attempt to use array `%s' in a scalar context", n->str->s);
                return;
            }
            c->kind = K_SCALAR; /* an untyped argument becomes this call's own scalar */
            c->ref = NULL;
            c->v = v;
            return;
        }
        if (c->kind == K_ARRAY) {
            aval_free(&v);
            awk_fatal(a, "attempt to use array `%s' in a scalar context", n->str->s);
            return;
        }
        aval_free(&c->v);
        c->kind = K_SCALAR;
        c->v = v;
        return;
    }
    }
}

void awk_assign(awk_state *a, anode *lv, aval v)
{
    lref r;
    if (!resolve(a, lv, &r)) {
        aval_free(&v);
        lref_done(&r);
        return;
    }
    lref_set(a, &r, v);
    lref_done(&r);
}

/* ---- arithmetic -------------------------------------------------------------- */
static double arith(awk_state *a, int op, double x, double y)
{
    switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
        if (y == 0) {
            awk_fatal(a, "division by zero attempted");
            return 0;
        }
        return x / y;
    case '%':
        if (y == 0) {
            awk_fatal(a, "division by zero attempted in `%%'");
            return 0;
        }
        return fmod(x, y);
    case '^': return pow(x, y);
    }
    return 0;
}

static aval do_assign(awk_state *a, anode *n)
{
    lref r;
    if (!resolve(a, n->a, &r)) {
        lref_done(&r);
        return uninit;
    }
    aval rhs = awk_eval(a, n->b);
    if (a->fatal) {
        aval_free(&rhs);
        lref_done(&r);
        return uninit;
    }
    aval nv;
    if (n->sub == '=') {
        nv = rhs;
    } else {
        aval old = lref_get(a, &r);
        nv = aval_num(arith(a, n->sub, aval_to_num(&old), aval_to_num(&rhs)));
        aval_free(&old);
        aval_free(&rhs);
    }
    aval ret = aval_copy(&nv);
    lref_set(a, &r, nv);
    lref_done(&r);
    return ret;
}

static aval do_incdec(awk_state *a, anode *n)
{
    lref r;
    if (!resolve(a, n->a, &r)) {
        lref_done(&r);
        return uninit;
    }
    aval old = lref_get(a, &r);
    double d = aval_to_num(&old);
    aval_free(&old);
    double nd = (n->op == E_PREINC || n->op == E_POSTINC) ? d + 1 : d - 1;
    lref_set(a, &r, aval_num(nd));
    lref_done(&r);
    return aval_num((n->op == E_PREINC || n->op == E_PREDEC) ? nd : d);
}

/* ---- regex matching ----------------------------------------------------------------- */
static rx_prog *regex_of(awk_state *a, anode *n, aval *tmp)
{
    if (n->op == E_REGEX)
        return n->re;
    *tmp = awk_eval(a, n);
    if (a->fatal)
        return NULL;
    astr *s = aval_to_str(a, tmp, false);
    rx_prog *re = awk_rx_dynamic(a, s);
    astr_unref(s);
    return re;
}

rx_prog *awk_regex_arg(awk_state *a, anode *n)
{
    aval tmp = uninit;
    rx_prog *re = regex_of(a, n, &tmp);
    aval_free(&tmp);
    return re;
}

/* ---- function calls ------------------------------------------------------------------- */
static aval call(awk_state *a, anode *n)
{
    afunc *f = &a->prog->funcs[n->sub];
    int nargs = (int)n->num;
    if (nargs > f->nparams) {
        awk_fatal(a, "function `%s' called with %d arguments, it takes %d", f->name, nargs, f->nparams);
        return uninit;
    }
    if (a->call_depth >= AWK_MAX_CALL_DEPTH) {
        awk_fatal(a, "function `%s': calls nested too deeply (limit %d)", f->name, AWK_MAX_CALL_DEPTH);
        return uninit;
    }
    acell *cells = sh_calloc((size_t)(f->nparams ? f->nparams : 1), sizeof *cells);
    int i = 0;
    for (anode *e = n->a; e && !a->fatal; e = e->next, i++) {
        if (e->op == E_VAR || e->op == E_LOCAL) {
            acell *c = awk_cell(a, e);
            if (c->kind == K_ARRAY || c->kind == K_UNTYPED) {
                /* arrays by reference; an untyped name may become one in the callee */
                cells[i].kind = K_REF;
                cells[i].ref = c;
                continue;
            }
        }
        cells[i].v = awk_eval(a, e);
        cells[i].kind = K_SCALAR;
    }
    aval ret = uninit;
    if (!a->fatal) {
        acell *saved = a->locals;
        int saved_line = a->cur_line;
        a->locals = cells;
        a->call_depth++;
        awk_exec(a, f->body);
        a->call_depth--;
        a->locals = saved;
        a->cur_line = saved_line;
        if (a->jump == AJ_RETURN) {
            a->jump = AJ_NONE;
            ret = a->retval;
            a->retval = uninit;
        }
    }
    for (int k = 0; k < f->nparams; k++) {
        if (cells[k].kind == K_SCALAR)
            aval_free(&cells[k].v);
        else if (cells[k].kind == K_ARRAY)
            aarr_free(cells[k].arr);
    }
    free(cells);
    return ret;
}

/* ---- getline ----------------------------------------------------------------------------- */
static aval do_getline(awk_state *a, anode *n)
{
    astr *rec = NULL;
    lref r = {0};
    if (n->a && !resolve(a, n->a, &r)) {
        lref_done(&r);
        return uninit;
    }
    double res;
    if (n->sub == GL_PLAIN) {
        if (a->in_end && a->main_done) {
            res = 0;
        } else {
            awk_flush(a, false);
            res = awk_next_main(a, &rec) ? 1 : 0;
        }
    } else {
        aval v = awk_eval(a, n->b);
        astr *name = aval_to_str(a, &v, false);
        aval_free(&v);
        areader *rd = a->fatal ? NULL : awk_input(a, n->sub == GL_CMD, name);
        astr_unref(name);
        if (!rd)
            res = -1;
        else
            res = awk_read_record(a, rd, &rec) ? 1 : 0;
    }
    if (a->fatal) {
        astr_unref(rec);
        lref_done(&r);
        return uninit;
    }
    if (res == 1) {
        if (n->a)
            lref_set(a, &r, aval_strnum(rec));
        else
            awk_set_record(a, rec, true);
    }
    lref_done(&r);
    return aval_num(res);
}

/* ---- expressions --------------------------------------------------------------------------- */
static aval concat(awk_state *a, anode *n)
{
    aval x = awk_eval(a, n->a);
    aval y = awk_eval(a, n->b);
    astr *s = aval_to_str(a, &x, false), *t = aval_to_str(a, &y, false);
    aval_free(&x);
    aval_free(&y);
    astr *r;
    if (s->len + t->len > ((size_t)1 << 30)) {
        awk_fatal(a, "string too long (over 1 GiB)");
        r = astr_new("", 0);
    } else {
        r = sh_malloc(sizeof *r + s->len + t->len + 1);
        r->ref = 1;
        r->len = s->len + t->len;
        memcpy(r->s, s->s, s->len);
        memcpy(r->s + s->len, t->s, t->len);
        r->s[r->len] = 0;
    }
    astr_unref(s);
    astr_unref(t);
    return aval_str(r);
}

static aval eval_inner(awk_state *a, anode *n)
{
    switch (n->op) {
    case E_NUM:
        return aval_num(n->num);
    case E_STR:
        return aval_str(astr_ref(n->str));
    case E_REGEX: {
        aval z = awk_get_field(a, 0);
        astr *s = aval_to_str(a, &z, false);
        bool m = awk_rx_match(n->re, s->s, s->len);
        astr_unref(s);
        aval_free(&z);
        return aval_num(m);
    }
    case E_GROUP:
        return awk_eval(a, n->a);
    case E_GROUPLIST:
        awk_fatal(a, "a list in parentheses is only a subscript before `in'");
        return uninit;
    case E_VAR:
    case E_LOCAL:
        return get_var(a, n);
    case E_FIELD: {
        aval v = awk_eval(a, n->a);
        double d = aval_to_num(&v);
        aval_free(&v);
        if (!(d >= 0)) {
            awk_fatal(a, "attempt to access field %g", d);
            return uninit;
        }
        if (d > 1e15)
            return uninit;
        return awk_get_field(a, (size_t)d);
    }
    case E_INDEX: {
        lref r;
        aval v = resolve(a, n, &r) ? lref_get(a, &r) : uninit;
        lref_done(&r);
        return v;
    }
    case E_ASSIGN:
        return do_assign(a, n);
    case E_COND: {
        aval c = awk_eval(a, n->a);
        bool t = aval_true(&c);
        aval_free(&c);
        return awk_eval(a, t ? n->b : n->c);
    }
    case E_AND:
    case E_OR: {
        aval x = awk_eval(a, n->a);
        bool t = aval_true(&x);
        aval_free(&x);
        if (n->op == E_AND ? !t : t)
            return aval_num(n->op == E_OR);
        aval y = awk_eval(a, n->b);
        t = aval_true(&y);
        aval_free(&y);
        return aval_num(t);
    }
    case E_NOT: {
        aval x = awk_eval(a, n->a);
        bool t = aval_true(&x);
        aval_free(&x);
        return aval_num(!t);
    }
    case E_BINOP: {
        aval x = awk_eval(a, n->a);
        aval y = awk_eval(a, n->b);
        double r = arith(a, n->sub, aval_to_num(&x), aval_to_num(&y));
        aval_free(&x);
        aval_free(&y);
        return aval_num(r);
    }
    case E_CMP: {
        aval x = awk_eval(a, n->a);
        aval y = awk_eval(a, n->b);
        int c = aval_compare(a, &x, &y);
        aval_free(&x);
        aval_free(&y);
        bool r = false;
        switch (n->sub) {
        case '<': r = c < 0; break;
        case 'l': r = c <= 0; break;
        case '=': r = c == 0; break;
        case '!': r = c != 0; break;
        case 'g': r = c >= 0; break;
        case '>': r = c > 0; break;
        }
        return aval_num(r);
    }
    case E_MATCH: {
        aval x = awk_eval(a, n->a);
        aval tmp = uninit;
        rx_prog *re = regex_of(a, n->b, &tmp);
        bool m = false;
        if (re) {
            astr *s = aval_to_str(a, &x, false);
            m = awk_rx_match(re, s->s, s->len);
            astr_unref(s);
        }
        aval_free(&x);
        aval_free(&tmp);
        return aval_num(n->sub ? !m : m);
    }
    case E_IN: {
        astr *k = awk_subscript(a, n->a);
        aarr *arr = node_array(a, n->b);
        bool in = arr && aarr_get(arr, k->s, k->len, false) != NULL;
        astr_unref(k);
        return aval_num(in);
    }
    case E_CONCAT:
        return concat(a, n);
    case E_NEG:
    case E_UPLUS: {
        aval x = awk_eval(a, n->a);
        double d = aval_to_num(&x);
        aval_free(&x);
        return aval_num(n->op == E_NEG ? -d : d);
    }
    case E_PREINC:
    case E_PREDEC:
    case E_POSTINC:
    case E_POSTDEC:
        return do_incdec(a, n);
    case E_CALL:
        return call(a, n);
    case E_BUILTIN:
        return awk_builtin(a, n);
    case E_GETLINE:
        return do_getline(a, n);
    }
    return uninit;
}

aval awk_eval(awk_state *a, anode *n)
{
    if (a->fatal)
        return uninit;
    if (++a->nest > a->nest_limit) {
        awk_fatal(a, "expressions or calls nested too deeply (limit %d levels)", a->nest_limit);
        a->nest--;
        return uninit;
    }
    aval v = eval_inner(a, n);
    a->nest--;
    return v;
}

/* ---- statements ----------------------------------------------------------------------------- */
static void print_stmt(awk_state *a, anode *s)
{
    sh_buf b = a->line;   /* reused from print to print */
    a->line = (sh_buf){0};
    b.len = 0;
    if (s->op == S_PRINT) {
        if (!s->a) {
            if (a->record)
                sh_buf_add(&b, a->record->s, a->record->len);
        } else {
            astr *ofs = aval_to_str(a, &a->globals[V_OFS].v, false);
            for (anode *e = s->a; e && !a->fatal; e = e->next) {
                if (e != s->a)
                    sh_buf_add(&b, ofs->s, ofs->len);
                const char *fp;
                size_t fn;
                if (e->op == E_FIELD && e->a->op == E_NUM && e->a->num >= 0 && e->a->num < 1e9 &&
                    awk_field_slice(a, (size_t)e->a->num, &fp, &fn)) {
                    sh_buf_add(&b, fp, fn);   /* print $3: the bytes, no value made */
                    continue;
                }
                aval v = awk_eval(a, e);
                astr *t = aval_to_str(a, &v, true);
                sh_buf_add(&b, t->s, t->len);
                astr_unref(t);
                aval_free(&v);
            }
            astr_unref(ofs);
        }
        astr *ors = aval_to_str(a, &a->globals[V_ORS].v, false);
        sh_buf_add(&b, ors->s, ors->len);
        astr_unref(ors);
    } else {
        aval f = awk_eval(a, s->a);
        astr *fs = aval_to_str(a, &f, false);
        aval_free(&f);
        awk_format(a, &b, fs->s, fs->len, s->a->next);
        astr_unref(fs);
    }
    astr *target = NULL;
    if (s->b && !a->fatal) {
        aval t = awk_eval(a, s->b);
        target = aval_to_str(a, &t, false);
        aval_free(&t);
    }
    if (!a->fatal)
        awk_output(a, s->sub, target, b.data ? b.data : "", b.len);
    astr_unref(target);
    if (b.cap > (1 << 20) || a->line.data)
        sh_buf_free(&b);  /* a huge line is not kept; nor one a nested print replaced */
    else
        a->line = b;
}

static bool cond_true(awk_state *a, anode *e)
{
    if (!e)
        return true;
    aval v = awk_eval(a, e);
    bool t = aval_true(&v);
    aval_free(&v);
    return t && !a->fatal;
}

/* After a loop's body: true to go on. Handles break and continue. */
static bool loop_next(awk_state *a, bool *brk)
{
    *brk = false;
    if (a->jump == AJ_BREAK) {
        a->jump = AJ_NONE;
        *brk = true;
        return false;
    }
    if (a->jump == AJ_CONTINUE)
        a->jump = AJ_NONE;
    if (a->jump || a->fatal)
        return false;
    if (sh_interrupted(a->sh)) {
        a->fatal = true;
        return false;
    }
    return true;
}

static void forin(awk_state *a, anode *s)
{
    aarr *arr = node_array(a, s->b);
    if (!arr)
        return;
    /* the keys as they are now: the body may add or delete */
    size_t n = arr->n, i = 0;
    astr **keys = sh_malloc((n ? n : 1) * sizeof *keys);
    for (aelem *e = arr->first; e; e = e->next)
        keys[i++] = astr_ref(e->key);
    bool brk;
    for (i = 0; i < n; i++) {
        awk_assign(a, s->a, aval_str(astr_ref(keys[i])));
        if (a->fatal)
            break;
        awk_exec(a, s->c);
        if (!loop_next(a, &brk))
            break;
    }
    for (i = 0; i < n; i++)
        astr_unref(keys[i]);
    free(keys);
}

static void exec_one(awk_state *a, anode *s)
{
    a->cur_line = s->line;
    bool brk;
    switch (s->op) {
    case S_EXPR: {
        aval v = awk_eval(a, s->a);
        aval_free(&v);
        break;
    }
    case S_PRINT:
    case S_PRINTF:
        print_stmt(a, s);
        break;
    case S_BLOCK:
        awk_exec(a, s->a);
        break;
    case S_IF:
        if (cond_true(a, s->a))
            awk_exec(a, s->b);
        else if (s->c && !a->fatal)
            awk_exec(a, s->c);
        break;
    case S_WHILE:
        while (cond_true(a, s->a)) {
            awk_exec(a, s->b);
            if (!loop_next(a, &brk))
                break;
        }
        break;
    case S_DO:
        do {
            awk_exec(a, s->b);
            if (!loop_next(a, &brk))
                break;
        } while (cond_true(a, s->a));
        break;
    case S_FOR:
        if (s->a)
            exec_one(a, s->a);
        while (!a->fatal && cond_true(a, s->b)) {
            awk_exec(a, s->d);
            if (!loop_next(a, &brk))
                break;
            if (s->c)
                exec_one(a, s->c);
        }
        break;
    case S_FORIN:
        forin(a, s);
        break;
    case S_NEXT:
    case S_NEXTFILE:
        if (!a->in_main) {
            awk_fatal(a, "`%s' cannot be called from a BEGIN or END rule", s->op == S_NEXT ? "next" : "nextfile");
            break;
        }
        a->jump = s->op == S_NEXT ? AJ_NEXT : AJ_NEXTFILE;
        break;
    case S_EXIT:
        if (s->a) {
            aval v = awk_eval(a, s->a);
            double d = fmod(trunc(aval_to_num(&v)), 256.0);
            a->exit_code = isnan(d) ? 0 : (int)(d < 0 ? d + 256 : d);
            aval_free(&v);
        }
        a->jump = AJ_EXIT;
        break;
    case S_RETURN:
        aval_free(&a->retval);
        a->retval = s->a ? awk_eval(a, s->a) : uninit;
        a->jump = AJ_RETURN;
        break;
    case S_BREAK:
        a->jump = AJ_BREAK;
        break;
    case S_CONTINUE:
        a->jump = AJ_CONTINUE;
        break;
    case S_DELETE: {
        aarr *arr = node_array(a, s->a);
        if (!arr)
            break;
        if (!s->b) {
            aarr_clear(arr);
        } else {
            astr *k = awk_subscript(a, s->b);
            aarr_delete(arr, k->s, k->len);
            astr_unref(k);
        }
        break;
    }
    }
}

int awk_exec(awk_state *a, anode *s)
{
    for (; s && !a->fatal && !a->jump; s = s->next) {
        if (++a->nest > a->nest_limit) {
            awk_fatal(a, "statements or calls nested too deeply (limit %d levels)", a->nest_limit);
            a->nest--;
            break;
        }
        exec_one(a, s);
        a->nest--;
    }
    return a->jump;
}
