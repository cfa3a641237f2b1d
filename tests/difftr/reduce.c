/* Shrinks a diverging case (see reduce.h). Greedy, on the trees: remove a
 * statement, replace a value by a constant (0 or 1) or by one of its
 * operands of the same type, a block by its body, an if by one arm, a
 * branch by unreachable, an offset or constant by 0; keep each change that
 * still diverges, until none does. Candidates that no longer validate (a
 * branch whose label went away, a parameter consumed by something else)
 * are refused by emission or validation and simply not kept. */
#include "reduce.h"
#include "check.h"
#include "emit.h"
#include "exec.h"
#include "gen.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct reducer {
    gmod *m;
    uint32_t fi;
    uint64_t args[ARGS_MAX];
    uint64_t fuel;
    bool strict_nan;
    unsigned tests, kept;
} reducer;

static bool diverges(reducer *r)
{
    wbuf bin = {0};
    bool d = false;
    r->tests++;
    if (emit_module(r->m, &bin)) {
        char why[256];
        outcome a, b;
        wb_error err;
        if (wb_module_validate(bin.p, bin.n, &err)) {
            enum verdict v = run_pair(bin.p, bin.n, r->fi, &r->m->f[r->fi], r->args, r->fuel, true,
                                      why, sizeof why, &a, &b);
            d = v == DIVERGES || (r->strict_nan && v == NAN_ONLY);
        }
    }
    bf_free(&bin);
    return d;
}

/* Every place a node hangs from, in preorder. */
typedef struct slots {
    node ***at;     /* slot addresses */
    node **parent;  /* the node owning the slot (NULL: a function body) */
    size_t n, cap;
} slots;

static void add_slot(slots *s, node **slot, node *parent)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->at = realloc(s->at, s->cap * sizeof *s->at);
        s->parent = realloc(s->parent, s->cap * sizeof *s->parent);
        if (!s->at || !s->parent) {
            fprintf(stderr, "difftr: out of memory\n");
            exit(2);
        }
    }
    s->at[s->n] = slot;
    s->parent[s->n++] = parent;
}

static void collect(slots *s, node **slot, node *parent)
{
    node *n = *slot;
    if (!n)
        return;
    add_slot(s, slot, parent);
    for (unsigned i = 0; i < n->nkids; i++)
        collect(s, &n->kids[i], n);
}

static bool concrete(uint8_t t) { return (t >= T_I32 && t <= T_F64) || t == T_V128; }

/* Tries value v in *slot; keeps it if the case still diverges. */
static bool try_replace(reducer *r, node **slot, node *v)
{
    node *old = *slot;
    *slot = v;
    if (diverges(r)) {
        r->kept++;
        return true;
    }
    *slot = old;
    return false;
}

static bool try_field(reducer *r, uint64_t *field, uint64_t v)
{
    uint64_t old = *field;
    if (old == v)
        return false;
    *field = v;
    if (diverges(r)) {
        r->kept++;
        return true;
    }
    *field = old;
    return false;
}

/* The candidates for one node; true when one was kept. */
static bool shrink_node(reducer *r, node **slot, node *parent)
{
    arena *a = &r->m->ar;
    node *n = *slot;
    /* a statement of a sequence: remove it */
    if (parent && parent->kind == N_SEQ && n->nres == 0 && try_replace(r, slot, NULL))
        return true;
    if (n->nres == 1 && concrete(n->type) && n->kind != N_CONST && n->kind != N_LGET) {
        if (try_replace(r, slot, mk_const(a, n->type, 0)) ||
            try_replace(r, slot, mk_const(a, n->type, 1)))
            return true;
    }
    if (n->type == T_ANY && n->kind != N_UNREACHABLE &&
        try_replace(r, slot, mk(a, N_UNREACHABLE, T_ANY, n->nres, 0)))
        return true;
    /* an operand of the same shape instead of the node */
    for (unsigned i = 0; i < n->nkids; i++) {
        node *k = n->kids[i];
        if (k && k->nres == n->nres && (k->type == n->type || n->type == T_ANY) && try_replace(r, slot, k))
            return true;
    }
    /* an if by one arm (its condition then goes unevaluated) */
    if (n->kind == N_IF && !n->nparams) {
        for (unsigned i = 1; i < n->nkids; i++)
            if (n->kids[i] && try_replace(r, slot, n->kids[i]))
                return true;
    }
    if ((n->kind == N_LOAD || n->kind == N_STORE) && try_field(r, &n->imm, 0))
        return true;
    /* constants towards 0 or 1 (never back: no cycle) */
    if (n->kind == N_CONST && n->imm > 1 && (try_field(r, &n->imm, 0) || try_field(r, &n->imm, 1)))
        return true;
    if (n->kind == N_CONST && n->type == T_V128 && n->imm2 && try_field(r, &n->imm2, 0))
        return true;
    return false;
}

static bool one_pass(reducer *r)
{
    bool any = false;
    /* the other functions first: what is left of them should be little */
    for (uint32_t k = 0; k <= r->m->nf; k++) {
        uint32_t f = k < r->m->nf ? k : r->fi;
        if (k < r->m->nf && k == r->fi)
            continue;
        slots s = {0};
        collect(&s, &r->m->f[f].body, NULL);
        for (size_t i = 0; i < s.n; i++) {
            /* a kept change may have detached later slots: start again */
            if (shrink_node(r, s.at[i], s.parent[i])) {
                any = true;
                s.n = 0;
                collect(&s, &r->m->f[f].body, NULL);
                i = (size_t)-1;
            }
        }
        free(s.at);
        free(s.parent);
    }
    if (try_field(r, &r->m->data_seed, 0))
        any = true;
    for (unsigned g = 0; g < NGLOBALS; g++)
        if (try_field(r, &r->m->ginit[g], 0))
            any = true;
    return any;
}

static void print_invoke(FILE *out, const gmod *m, uint32_t fi, const uint64_t *args, uint64_t fuel)
{
    wbuf bin = {0};
    if (!emit_module(m, &bin))
        return;
    const gfunc *f = &m->f[fi];
    char why[256];
    outcome a, b;
    enum verdict v = run_pair(bin.p, bin.n, fi, f, args, fuel, false, why, sizeof why, &a, &b);
    fprintf(out, ";; invoke: f%u", fi);
    for (unsigned i = 0; i < f->np; i++) {
        char buf[64];
        format_arg(buf, sizeof buf, f->params[i], args, i);
        fprintf(out, " %s", buf);
    }
    if (b.status != WB_OK) {
        fprintf(out, " => trap: %s", b.message);
    } else {
        fputs(" =>", out);
        for (unsigned i = 0; i < f->nres; i++) {
            char buf[64];
            format_result(buf, sizeof buf, f->rtype, b.results, i);
            fprintf(out, " %s", buf);
        }
    }
    fprintf(out, "\n;;   (reference translation; optimised: %s)\n",
            v == SAME ? "the same" : why);
    bf_free(&bin);
}

void reduce_case(gmod *m, uint32_t fi, const char *id, uint64_t fuel, bool strict_nan, FILE *out)
{
    reducer r;
    memset(&r, 0, sizeof r);
    r.strict_nan = strict_nan;
    r.m = m;
    r.fi = fi;
    r.fuel = fuel;
    /* the runs check_module makes: each vector, then vector 0 with less
     * fuel than it needs */
    unsigned vec = 0;
    for (; vec <= NVECTORS; vec++) {
        gen_args(&m->f[fi], args_seed(id), vec % NVECTORS, r.args);
        if (vec == NVECTORS) {
            wbuf bin = {0};
            outcome a, b;
            char why[256];
            uint64_t need = 0;
            if (emit_module(m, &bin) &&
                run_pair(bin.p, bin.n, fi, &m->f[fi], r.args, fuel, false, why, sizeof why, &a, &b) != DIVERGES)
                need = a.fuel;
            bf_free(&bin);
            if (need < 2)
                continue;
            r.fuel = 1 + args_seed(id) % (need - 1);
        }
        if (diverges(&r))
            break;
    }
    if (vec > NVECTORS) {
        fprintf(out, ";; %s: no argument vector diverges on its own (in a fresh store)\n", id);
        return;
    }
    while (one_pass(&r))
        ;
    fprintf(out, ";; %s reduced (%u runs, %u changes kept), argument vector %u, fuel %" PRIu64 "\n",
            id, r.tests, r.kept, vec % NVECTORS, r.fuel);
    print_wat(out, m, (int)fi, true);
    /* every vector, for the regression test's invoke lines */
    for (unsigned v = 0; v < NVECTORS; v++) {
        uint64_t args[ARGS_MAX];
        gen_args(&m->f[fi], args_seed(id), v, args);
        print_invoke(out, m, fi, args, v == vec % NVECTORS ? r.fuel : fuel);
    }
}
