/* vars.c: shell variables and functions (hash tables a subshell copies
 * whole), parameters as expansion sees them ($?, $#, $1, $RANDOM ...), and
 * `local`'s dynamic scoping: a local saves the outer variable, restored when
 * its function returns. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct vartab {
    var **b;
    size_t nb, count;
};

struct functab {
    func **b;
    size_t nb, count;
};

static size_t hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

bool is_name_n(const char *s, size_t n)
{
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

bool is_name(const char *s)
{
    return is_name_n(s, strlen(s));
}

vartab *vars_new(void)
{
    vartab *t = sh_calloc(1, sizeof *t);
    t->nb = 64;
    t->b = sh_calloc(t->nb, sizeof *t->b);
    return t;
}

static var *var_copy(const var *v)
{
    var *c = sh_calloc(1, sizeof *c);
    c->name = sh_strdup(v->name);
    c->value = v->value ? sh_strdup(v->value) : NULL;
    c->flags = v->flags;
    return c;
}

static void var_free(var *v)
{
    free(v->name);
    free(v->value);
    free(v);
}

vartab *vars_clone(const vartab *t)
{
    vartab *c = sh_calloc(1, sizeof *c);
    c->nb = t->nb;
    c->count = t->count;
    c->b = sh_calloc(c->nb, sizeof *c->b);
    for (size_t i = 0; i < t->nb; i++) {
        var **tail = &c->b[i];
        for (var *v = t->b[i]; v; v = v->next) {
            *tail = var_copy(v);
            tail = &(*tail)->next;
        }
    }
    return c;
}

void vars_free(vartab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nb; i++)
        for (var *v = t->b[i], *n; v; v = n) {
            n = v->next;
            var_free(v);
        }
    free(t->b);
    free(t);
}

var *vars_get(vartab *t, const char *name)
{
    for (var *v = t->b[hash(name) % t->nb]; v; v = v->next)
        if (!strcmp(v->name, name))
            return v;
    return NULL;
}

static void vars_grow(vartab *t)
{
    size_t nb = t->nb * 2;
    var **b = sh_calloc(nb, sizeof *b);
    for (size_t i = 0; i < t->nb; i++)
        for (var *v = t->b[i], *n; v; v = n) {
            n = v->next;
            size_t h = hash(v->name) % nb;
            v->next = b[h];
            b[h] = v;
        }
    free(t->b);
    t->b = b;
    t->nb = nb;
}

var *vars_set(vartab *t, const char *name, const char *value, unsigned addflags)
{
    var *v = vars_get(t, name);
    if (!v) {
        if (t->count >= t->nb * 2)
            vars_grow(t);
        v = sh_calloc(1, sizeof *v);
        v->name = sh_strdup(name);
        size_t h = hash(name) % t->nb;
        v->next = t->b[h];
        t->b[h] = v;
        t->count++;
    }
    if (value) {
        char *nv = sh_strdup(value);
        free(v->value);
        v->value = nv;
        v->flags &= ~(unsigned)V_UNSET;
    } else if (!v->value) {
        v->flags |= V_UNSET;
    }
    v->flags |= addflags & ~(unsigned)V_UNSET;
    return v;
}

void vars_remove(vartab *t, const char *name)
{
    for (var **pp = &t->b[hash(name) % t->nb]; *pp; pp = &(*pp)->next)
        if (!strcmp((*pp)->name, name)) {
            var *v = *pp;
            *pp = v->next;
            var_free(v);
            t->count--;
            return;
        }
}

static int cmp_var(const void *a, const void *b)
{
    return strcmp((*(var *const *)a)->name, (*(var *const *)b)->name);
}

var **vars_list(vartab *t, size_t *n)
{
    var **a = sh_malloc((t->count + 1) * sizeof *a);
    size_t k = 0;
    for (size_t i = 0; i < t->nb; i++)
        for (var *v = t->b[i]; v; v = v->next)
            a[k++] = v;
    qsort(a, k, sizeof *a, cmp_var);
    *n = k;
    return a;
}

/* ---- functions ------------------------------------------------------------- */

functab *funcs_new(void)
{
    functab *t = sh_calloc(1, sizeof *t);
    t->nb = 32;
    t->b = sh_calloc(t->nb, sizeof *t->b);
    return t;
}

functab *funcs_clone(const functab *t)
{
    functab *c = sh_calloc(1, sizeof *c);
    c->nb = t->nb;
    c->count = t->count;
    c->b = sh_calloc(c->nb, sizeof *c->b);
    for (size_t i = 0; i < t->nb; i++) {
        func **tail = &c->b[i];
        for (func *f = t->b[i]; f; f = f->next) {
            func *n = sh_calloc(1, sizeof *n);
            n->name = sh_strdup(f->name);
            n->body = f->body;
            n->text = f->text;
            n->unit = f->unit;
            sh_unit_ref(f->unit);
            *tail = n;
            tail = &n->next;
        }
    }
    return c;
}

static void func_free(func *f)
{
    free(f->name);
    sh_unit_unref(f->unit);
    free(f);
}

void funcs_free(functab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nb; i++)
        for (func *f = t->b[i], *n; f; f = n) {
            n = f->next;
            func_free(f);
        }
    free(t->b);
    free(t);
}

func *funcs_get(functab *t, const char *name)
{
    for (func *f = t->b[hash(name) % t->nb]; f; f = f->next)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

void funcs_set(functab *t, const char *name, node *body, const char *text, sh_unit *unit)
{
    func *f = funcs_get(t, name);
    sh_unit_ref(unit);
    if (f) {
        sh_unit_unref(f->unit);
    } else {
        f = sh_calloc(1, sizeof *f);
        f->name = sh_strdup(name);
        size_t h = hash(name) % t->nb;
        f->next = t->b[h];
        t->b[h] = f;
        t->count++;
    }
    f->body = body;
    f->text = text;
    f->unit = unit;
}

bool funcs_remove(functab *t, const char *name)
{
    for (func **pp = &t->b[hash(name) % t->nb]; *pp; pp = &(*pp)->next)
        if (!strcmp((*pp)->name, name)) {
            func *f = *pp;
            *pp = f->next;
            func_free(f);
            t->count--;
            return true;
        }
    return false;
}

static int cmp_func(const void *a, const void *b)
{
    return strcmp((*(func *const *)a)->name, (*(func *const *)b)->name);
}

func **funcs_list(functab *t, size_t *n)
{
    func **a = sh_malloc((t->count + 1) * sizeof *a);
    size_t k = 0;
    for (size_t i = 0; i < t->nb; i++)
        for (func *f = t->b[i]; f; f = f->next)
            a[k++] = f;
    qsort(a, k, sizeof *a, cmp_func);
    *n = k;
    return a;
}

/* ---- parameters --------------------------------------------------------------- */

static char *fmt_int(int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    return sh_strdup(b);
}

/* bash's RANDOM: 0..32767 from a 64-bit LCG seeded at start (or by assigning). */
static int next_random(shctx *sh)
{
    sh->random_state = sh->random_state * 6364136223846793005ull + 1442695040888963407ull;
    return (int)((sh->random_state >> 33) & 0x7fff);
}

const char *param_get(shctx *sh, const char *name, char **tmp)
{
    *tmp = NULL;
    if (!name[1] || isdigit((unsigned char)name[0])) {
        switch (name[0]) {
        case '?':
            return *tmp = fmt_int(sh->status);
        case '#':
            return *tmp = fmt_int(sh->st.npos);
        case '$':
            return *tmp = fmt_int(SH_PID);
        case '!':
            return sh->have_bg ? (*tmp = fmt_int(SH_PID + 1)) : NULL;
        case '-': {
            sh_buf b = {0};
            const sh_options *o = &sh->st.opt;
            if (o->errexit)
                sh_buf_addc(&b, 'e');
            if (o->noglob)
                sh_buf_addc(&b, 'f');
            sh_buf_addc(&b, 'h');
            if (o->nounset)
                sh_buf_addc(&b, 'u');
            if (o->xtrace)
                sh_buf_addc(&b, 'x');
            if (o->noclobber)
                sh_buf_addc(&b, 'C');
            sh_buf_adds(&b, "Bc");
            return *tmp = sh_buf_take(&b);
        }
        case '@':
        case '*': {
            sh_buf b = {0};
            for (int i = 0; i < sh->st.npos; i++) {
                if (i)
                    sh_buf_addc(&b, ' ');
                sh_buf_adds(&b, sh->st.pos[i]);
            }
            return *tmp = sh_buf_take(&b);
        }
        default:
            if (isdigit((unsigned char)name[0])) {
                long i = strtol(name, NULL, 10);
                if (i == 0)
                    return sh->arg0;
                return i <= sh->st.npos ? sh->st.pos[i - 1] : NULL;
            }
        }
    }
    var *v = vars_get(sh->st.vars, name);
    if (v && !(v->flags & V_UNSET))
        return v->value;
    if (v)
        return NULL;
    if (!strcmp(name, "RANDOM"))
        return *tmp = fmt_int(next_random(sh));
    if (!strcmp(name, "LINENO"))
        return *tmp = fmt_int(sh->lineno);
    if (!strcmp(name, "SECONDS"))
        return *tmp = fmt_int((now_ms() - sh->start_time) / 1000);
    if (!strcmp(name, "EPOCHSECONDS"))
        return *tmp = fmt_int(now_ms() / 1000);
    if (!strcmp(name, "BASH_SUBSHELL"))
        return *tmp = fmt_int(sh->subshell);
    if (!strcmp(name, "PIPESTATUS")) { /* the first element ($PIPESTATUS) */
        return *tmp = fmt_int(sh->npipestatus ? sh->pipestatus[0] : sh->status);
    }
    return NULL;
}

const char *var_value(shctx *sh, const char *name)
{
    var *v = vars_get(sh->st.vars, name);
    return v && !(v->flags & V_UNSET) ? v->value : NULL;
}

bool var_assign(shctx *sh, const char *name, const char *value, unsigned flags)
{
    var *v = vars_get(sh->st.vars, name);
    if (v && (v->flags & V_READONLY)) {
        shell_error(sh, "%s: readonly variable", name);
        return false;
    }
    char *num = NULL;
    if (value && ((v && (v->flags & V_INTEGER)) || (flags & V_INTEGER))) {
        int64_t r;
        if (!arith_eval(sh, value, &r))
            return false;
        value = num = fmt_int(r);
    }
    if (!strcmp(name, "RANDOM") && value) {
        sh->random_state = strtoull(value, NULL, 10);
        free(num);
        return true;
    }
    if (sh->st.opt.allexport)
        flags |= V_EXPORT;
    vars_set(sh->st.vars, name, value, flags);
    free(num);
    return true;
}

bool var_unset(shctx *sh, const char *name)
{
    var *v = vars_get(sh->st.vars, name);
    if (v && (v->flags & V_READONLY)) {
        builtin_error(sh, "%s: cannot unset: readonly variable", name);
        return false;
    }
    /* a local stays local (and unset) until its function returns */
    for (local_save *l = sh->st.locals; l; l = l->next)
        if (l->depth == sh->func_depth && !strcmp(l->name, name)) {
            if (v) {
                free(v->value);
                v->value = NULL;
                v->flags = V_UNSET;
            }
            return true;
        }
    vars_remove(sh->st.vars, name);
    return true;
}

void locals_pop(shctx *sh, int depth)
{
    while (sh->st.locals && sh->st.locals->depth >= depth) {
        local_save *l = sh->st.locals;
        sh->st.locals = l->next;
        vars_remove(sh->st.vars, l->name);
        if (l->saved) {
            var *v = vars_set(sh->st.vars, l->name, l->saved->value, l->saved->flags);
            v->flags = l->saved->flags;
            var_free(l->saved);
        }
        free(l->name);
        free(l);
    }
}

/* `declare -p` style: declare -x NAME="value" */
void var_print_decl(shctx *sh, sh_stream *out, const var *v, const char *cmd)
{
    (void)sh;
    sh_buf b = {0};
    sh_buf_adds(&b, cmd);
    sh_buf_adds(&b, " -");
    size_t mark = b.len;
    if (v->flags & V_INTEGER)
        sh_buf_addc(&b, 'i');
    if (v->flags & V_READONLY)
        sh_buf_addc(&b, 'r');
    if (v->flags & V_EXPORT)
        sh_buf_addc(&b, 'x');
    if (b.len == mark)
        sh_buf_addc(&b, '-');
    sh_buf_addc(&b, ' ');
    sh_buf_adds(&b, v->name);
    if (!(v->flags & V_UNSET) && v->value) {
        sh_buf_adds(&b, "=\"");
        for (const char *s = v->value; *s; s++) {
            if (strchr("\"\\$`", *s))
                sh_buf_addc(&b, '\\');
            sh_buf_addc(&b, *s);
        }
        sh_buf_addc(&b, '"');
    }
    sh_buf_addc(&b, '\n');
    sh_write(out, b.data, b.len);
    sh_buf_free(&b);
}

bool shell_chdir(shctx *sh, const char *abs)
{
    if (chdir(abs) != 0)
        return false;
    const char *old = var_value(sh, "PWD");
    vars_set(sh->st.vars, "OLDPWD", old ? old : sh->st.cwd, 0);
    char *c = sh_strdup(abs);
    free(sh->st.cwd);
    sh->st.cwd = c;
    vars_set(sh->st.vars, "PWD", c, 0);
    return true;
}
