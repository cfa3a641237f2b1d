/* Enumerated patterns: every rewrite of the translator (vm/translate.c,
 * vm/README.md "Execution design") with every combination of operand
 * sources, at every stack height, each in its own function. See README.md.
 *
 * A function is built as
 *     prologue (declared locals given values)
 *     prefix values (0..2 values left below the pattern: "height")
 *     core (the pattern, its operand holes filled from sources)
 *     sink (what consumes the core's value: return, local.set/tee, store...)
 *     folds of the prefix values into global g1, the result.
 * The prefix values stay on the stack under the core and are consumed at
 * the end by N_ONSTACK folds: they are the "older stack slots" below the
 * pattern, and may lazily read a local the pattern writes. */
#include "gen_enum.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- operand sources ---- */

const char *const SRC_NAMES[NSRC] = {
    "param", "decl", "const", "x+K", "K+x", "fresh", "fresh-imm", "older",
    "tee", "tee-local", "load", "call", "block", "global", "select",
};

const char *const SINK_NAMES[NSINK] = {
    "return", "set-decl", "set-param", "set-read", "tee", "store", "global.set", "drop",
    "br_if", "if", "call", "select",
};

#define NHELPERS 5 /* f0..f4: (t) -> t for i32, i64, f32, f64, v128 */

uint32_t new_local(ectx *e, uint8_t t)
{
    gfunc *f = e->f;
    if (f->nl == MAXL) {
        fprintf(stderr, "difftr: too many locals in an enumerated function\n");
        return 0;
    }
    f->locals[f->nl++] = t;
    return f->np + f->nl - 1u;
}

node *konst(ectx *e, uint8_t t, unsigned salt)
{
    rng r = {rng_mix(e->variant, salt)};
    if (t == T_V128) {
        uint64_t lo, hi;
        edge_v128(&r, &lo, &hi);
        return mk_v128(e->a, lo, hi);
    }
    return mk_const(e->a, t, edge_value(t, (uint32_t)((e->variant + salt * 7) % edge_count(t)), &r));
}

/* Small constants to add to addresses, and a few that wrap. */
node *addk(ectx *e, unsigned salt)
{
    static const uint32_t ks[] = {4, 8, 1, 0, 16, 0xFFFFFFFCu, 0x10000u, 0x7FFFFFFFu, 12, 2};
    return mk_const(e->a, T_I32, ks[(e->variant + salt * 3) % (sizeof ks / sizeof ks[0])]);
}

/* Parameters: p0, p1 are i32, p2, p3 are T. Another type gets a declared
 * local holding a constant. */
uint32_t param_of(ectx *e, uint8_t t, unsigned h)
{
    if (t == T_I32)
        return h % 2;
    if (t == e->T)
        return 2 + h % 2;
    return decl_of(e, t);
}

uint32_t decl_of(ectx *e, uint8_t t)
{
    if (e->decl[t] >= 0)
        return (uint32_t)e->decl[t];
    uint32_t d = new_local(e, t);
    e->decl[t] = (int)d;
    node *v = t == T_I32 || t == e->T ? mk_lget(e->a, e->f, param_of(e, t, 1)) : konst(e, t, 99);
    e->pro[e->npro++] = mk_lset(e->a, d, v);
    return d;
}

uint32_t teel_of(ectx *e, uint8_t t)
{
    if (e->teel[t] < 0)
        e->teel[t] = (int)new_local(e, t);
    return (uint32_t)e->teel[t];
}

const opinfo *natural_load(uint8_t t)
{
    static const char *const names[T_COUNT] = {NULL, "i32.load", "i64.load", "f32.load", "f64.load",
                                               [T_V128] = "v128.load"};
    return op_by_name(names[t]);
}

const opinfo *natural_store(uint8_t t)
{
    static const char *const names[T_COUNT] = {NULL, "i32.store", "i64.store", "f32.store", "f64.store",
                                               [T_V128] = "v128.store"};
    return op_by_name(names[t]);
}

const opinfo *typed_op(uint8_t t, const char *suffix)
{
    char name[32];
    snprintf(name, sizeof name, "%s.%s", type_name(t), suffix);
    return op_by_name(name);
}

uint32_t global_of(uint8_t t) { return t == T_I32 ? 0 : t == T_I64 ? 1 : t == T_F32 ? 2 : 3; }
/* wasm index of f0..f4 (f4: v128) */
uint32_t helper_of(uint8_t t) { return t == T_V128 ? 5 : 1 + (t - T_I32); }

node *lget(ectx *e, uint32_t l) { return mk_lget(e->a, e->f, l); }

/* An instruction computing a t from two locals; which one depends on the
 * hole, so that a mul (hole 1) meets an add and fuses. */
node *fresh(ectx *e, uint8_t t, unsigned h)
{
    static const char *const ints[3] = {"sub", "mul", "xor"};
    static const char *const floats[3] = {"sub", "mul", "add"};
    static const char *const vecs[3] = {"i32x4.sub", "i16x8.mul", "v128.xor"};
    if (t == T_V128)
        return mk_opn(e->a, vecs[h % 3], lget(e, param_of(e, t, h)), lget(e, param_of(e, t, h + 1)));
    const char *s = t == T_I32 || t == T_I64 ? ints[h % 3] : floats[h % 3];
    return mk_op(e->a, typed_op(t, s), lget(e, param_of(e, t, h)), lget(e, param_of(e, t, h + 1)));
}

static node *block_value(ectx *e, node *body)
{
    node *b = mk(e->a, N_BLOCK, body->type, 1, 1);
    b->lid = e->next_lid++;
    b->kids[0] = body;
    return b;
}

node *source(ectx *e, unsigned s, uint8_t t, unsigned h)
{
    arena *a = e->a;
    uint32_t p = param_of(e, t, h);
    switch (s) {
    case S_PARAM: return lget(e, p);
    case S_DECL: return lget(e, decl_of(e, t));
    case S_CONST: return konst(e, t, h);
    case S_PENDING:
    case S_PENDING_C: {
        node *k = t == T_I32 ? addk(e, h) : konst(e, t, h + 10);
        node *x = lget(e, p);
        const opinfo *add = t == T_V128 ? op_by_name("i32x4.add") : typed_op(t, "add");
        return mk_op(a, add, s == S_PENDING ? x : k, s == S_PENDING ? k : x);
    }
    case S_FRESH: return fresh(e, t, h);
    case S_IMMRES:
        if (t == T_I32)
            return mk_opn(a, "i32.shl", lget(e, p), mk_const(a, T_I32, 2));
        if (t == T_I64)
            return mk_opn(a, "i64.shl", lget(e, p), mk_const(a, T_I64, 3));
        if (t == T_V128) /* a lane shift by a constant count */
            return mk_opn(a, "i32x4.shl", lget(e, p), mk_const(a, T_I32, 2));
        return mk_op(a, typed_op(t, "neg"), lget(e, p), NULL);
    case S_OLDER:
        return mk_seq2(a, fresh(e, t, h), mk_gset(a, 0, konst(e, T_I32, h + 20)));
    case S_TEE: return mk_tee(a, e->f, teel_of(e, t), fresh(e, t, h));
    case S_TEEL: return mk_tee(a, e->f, teel_of(e, t), lget(e, p));
    case S_LOAD:
        return mk_load(a, natural_load(t), 0,
                       mk_opn(a, "i32.add", lget(e, 0), mk_const(a, T_I32, 8 * (h + 1))));
    case S_CALL: {
        node *c = mk(a, N_CALL, t, 1, 1);
        c->idx = helper_of(t);
        c->kids[0] = lget(e, p);
        return c;
    }
    case S_BLOCK: return block_value(e, fresh(e, t, h));
    case S_GLOBAL: /* no v128 global: a splat of one */
        if (t == T_V128)
            return mk_opn(a, "i64x2.splat", mk_gget(a, 1), NULL);
        return mk_gget(a, global_of(t));
    case S_SELECT:
        return mk_select(a, t, lget(e, p), lget(e, param_of(e, t, h + 1)), lget(e, 1), h % 2);
    }
    return konst(e, t, h);
}

/* ---- sinks and assembly ---- */

/* i32 condition from a value (a comparison when it is not i32 already). */
node *to_cond(ectx *e, node *v)
{
    arena *a = e->a;
    switch (v->type) {
    case T_I32: return v;
    case T_I64: return mk_opn(a, "i64.ne", v, mk_const(a, T_I64, 0));
    case T_F32: return mk_opn(a, "f32.lt", v, mk_const(a, T_F32, 0x3F000000u));
    case T_V128: return mk_opn(a, "v128.any_true", v, NULL);
    default: return mk_opn(a, "f64.ne", v, mk_const(a, T_F64, 0));
    }
}

node *brif(ectx *e, uint32_t lid, unsigned nvals, node *const *vals, node *cond)
{
    node *b = mk(e->a, N_BRIF, nvals ? vals[0]->type : T_NONE, (uint8_t)nvals, nvals + 1);
    b->idx = lid;
    for (unsigned i = 0; i < nvals; i++)
        b->kids[i] = vals[i];
    b->kids[nvals] = cond;
    return b;
}

node *call1(ectx *e, uint32_t wasm_index, uint8_t t, node *arg)
{
    node *c = mk(e->a, N_CALL, t, 1, 1);
    c->idx = wasm_index;
    c->kids[0] = arg;
    return c;
}

/* The core value consumed by `sink`; returns a node leaving one value. The
 * reader local of K_SET_READ is *reader. */
static node *apply_sink(ectx *e, node *core, unsigned sink, uint32_t reader)
{
    arena *a = e->a;
    uint8_t t = core->type;
    switch (sink) {
    case K_RET: return core;
    case K_SET_DECL: {
        uint32_t d = new_local(e, t);
        return mk_seq2(a, mk_lset(a, d, core), lget(e, d));
    }
    case K_SET_PARAM: {
        uint32_t p = param_of(e, t, 0);
        return mk_seq2(a, mk_lset(a, p, core), lget(e, p));
    }
    case K_SET_READ: return mk_seq2(a, mk_lset(a, reader, core), lget(e, reader));
    case K_TEE: return mk_tee(a, e->f, teel_of(e, t), core);
    case K_STORE:
        return mk_seq2(a, mk_store(a, natural_store(t), 64, lget(e, 1), core),
                       mk_load(a, natural_load(t), 64, lget(e, 1)));
    case K_GSET:
        if (t == T_V128) { /* no v128 global: its lane 1 to g1, the value through a tee */
            node *x = mk_tee(a, e->f, teel_of(e, t), core), *l1 = mk_opn(a, "i64x2.extract_lane", x, NULL);
            l1->idx = 1;
            return mk_seq2(a, mk_gset(a, 1, l1), lget(e, teel_of(e, t)));
        }
        return mk_seq2(a, mk_gset(a, global_of(t), core), mk_gget(a, global_of(t)));
    case K_DROP: return mk_seq2(a, mk_drop(a, core), mk_const(a, T_I32, 0));
    case K_BRIF: {
        node *b = mk(a, N_BLOCK, T_I32, 1, 1);
        b->lid = e->next_lid++;
        node *v = mk_const(a, T_I32, 11);
        b->kids[0] = mk_opn(a, "i32.add", brif(e, b->lid, 1, &v, to_cond(e, core)),
                            mk_const(a, T_I32, 22));
        return b;
    }
    case K_IF: {
        node *n = mk(a, N_IF, T_I32, 1, 3);
        n->lid = e->next_lid++;
        n->flag = 1;
        n->kids[0] = to_cond(e, core);
        n->kids[1] = mk_const(a, T_I32, 5);
        n->kids[2] = mk_const(a, T_I32, 6);
        return n;
    }
    case K_CALL: return call1(e, helper_of(t), t, core);
    case K_SELECT:
        if (t == T_I32)
            return mk_select(a, T_I32, lget(e, 0), lget(e, 1), core, false);
        return mk_select(a, t, core, konst(e, t, 5), lget(e, 0), true);
    }
    return core;
}

/* Consumes the value on top of the stack (of type t) into global g1:
 * g1 ^= bits of the value. */
node *fold(ectx *e, uint8_t t)
{
    arena *a = e->a;
    node *v = mk(a, N_ONSTACK, t, 1, 0);
    if (t == T_I32)
        v = mk_opn(a, "i64.extend_i32_u", v, NULL);
    else if (t == T_F32)
        v = mk_opn(a, "i64.extend_i32_u", mk_opn(a, "i32.reinterpret_f32", v, NULL), NULL);
    else if (t == T_F64)
        v = mk_opn(a, "i64.reinterpret_f64", v, NULL);
    else if (t == T_V128) { /* through a local: both 64-bit lanes */
        uint32_t l = new_local(e, T_V128);
        node *lo = mk_opn(a, "i64x2.extract_lane", lget(e, l), NULL);
        node *hi = mk_opn(a, "i64x2.extract_lane", lget(e, l), NULL);
        hi->idx = 1;
        node *g = mk_gset(a, 1, mk_opn(a, "i64.xor", mk_opn(a, "i64.xor", lo, hi), mk_gget(a, 1)));
        node *items[2] = {mk_lset(a, l, v), g};
        return mk_seq(a, T_NONE, 0, 2, items);
    }
    return mk_gset(a, 1, mk_opn(a, "i64.xor", v, mk_gget(a, 1)));
}

/* The function body: prologue, prefix, main (leaving one value, or a
 * statement when result is given), folds, result. */
void assemble(ectx *e, node *const *prefix, unsigned nprefix, node *main)
{
    arena *a = e->a;
    node *items[64];
    unsigned n = 0;
    for (unsigned i = 0; i < e->npro; i++)
        items[n++] = e->pro[i];
    for (unsigned i = 0; i < nprefix; i++)
        items[n++] = prefix[i];
    node *result = main;
    if (nprefix) {
        uint32_t d = new_local(e, main->type);
        items[n++] = mk_lset(a, d, main);
        for (unsigned i = nprefix; i-- > 0;)
            items[n++] = fold(e, prefix[i]->type);
        result = lget(e, d);
    }
    items[n++] = result;
    e->f->nres = 1;
    e->f->rtype = result->type;
    e->f->body = mk_seq(a, result->type, 1, n, items);
}

/* The prefix for a height: values of T and i32 from rotating sources, plus
 * (first) a lazy read of `reader` when reader >= 0. */
unsigned make_prefix(ectx *e, unsigned height, uint64_t combo, int reader, node **prefix)
{
    unsigned n = 0;
    if (reader >= 0)
        prefix[n++] = lget(e, (uint32_t)reader);
    for (unsigned j = 0; j < height; j++) {
        unsigned s = (unsigned)((combo + 5 * j + 3) % NSRC);
        prefix[n++] = source(e, s, j == 0 ? e->T : T_I32, j + 3);
    }
    return n;
}

/* Standard finish for a value core: sink, prefix, assembly. */
void finish_value(ectx *e, node *(*core)(ectx *, const void *), const void *arg,
                         unsigned height, uint64_t combo, unsigned sink)
{
    node *prefix[8];
    int reader = -1;
    /* the reader's type is the core's: build the core first to learn it
     * (locals it creates come first, which is fine) */
    node *c = core(e, arg);
    if (sink == K_SET_READ)
        reader = (int)new_local(e, c->type);
    unsigned np = make_prefix(e, height, combo, reader, prefix);
    assemble(e, prefix, np, apply_sink(e, c, sink, reader < 0 ? 0 : (uint32_t)reader));
    label_add(e, " h=%u %s", height, SINK_NAMES[sink]);
}


void label_add(ectx *e, const char *fmt, ...)
{
    size_t len = strlen(e->label);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->label + len, sizeof e->f->label - len, fmt, ap);
    va_end(ap);
}

/* ---- the families' items ---- */

static uint64_t ipow(uint64_t b, unsigned e)
{
    uint64_t r = 1;
    while (e--)
        r *= b;
    return r;
}

static uint64_t form_size(const family *fm, unsigned form)
{
    return ipow(NSRC, fm->holes(form)) * fm->heights;
}

unsigned enum_nfamilies(void) { return NFAMILIES; }
const char *enum_family_name(unsigned fam) { return FAMILIES[fam].name; }

uint64_t enum_family_size(unsigned fam)
{
    uint64_t n = 0;
    for (unsigned f = 0; f < FAMILIES[fam].nforms; f++)
        n += form_size(&FAMILIES[fam], f);
    return n;
}

/* Helpers f0..f4: (t) -> t, so calls have callees of every type. */
void enum_module_init(gmod *m)
{
    arena *a = &m->ar;
    m->nf = 0;
    m->data_seed = 0xD1FF7E57ull;
    m->ginit[0] = 0x12345678u;
    m->ginit[1] = 0x0FEDCBA987654321ull;
    m->ginit[2] = 0x40490FDBu;
    m->ginit[3] = 0x400921FB54442D18ull;
    m->ginit[4] = 0xCAFEu;
    static const uint8_t types[NHELPERS] = {T_I32, T_I64, T_F32, T_F64, T_V128};
    for (unsigned h = 0; h < NHELPERS; h++) {
        uint8_t t = types[h];
        gfunc *f = &m->f[m->nf++];
        memset(f, 0, sizeof *f);
        f->np = 1;
        f->params[0] = t;
        f->nres = 1;
        f->rtype = t;
        node *x = mk_lget(a, f, 0);
        node *v;
        if (t == T_I32)
            v = mk_opn(a, "i32.add", mk_opn(a, "i32.mul", x, mk_const(a, t, 3)), mk_const(a, t, 1));
        else if (t == T_I64)
            v = mk_opn(a, "i64.xor", x, mk_const(a, t, 0x5555AAAA5555AAAAull));
        else if (t == T_V128)
            v = mk_opn(a, "i8x16.add", x, mk_v128(a, 0x0102030405060708ull, 0x1112131415161718ull));
        else
            v = mk_op(a, typed_op(t, "neg"), x, NULL);
        f->body = mk_seq(a, t, 1, 1, &v);
        snprintf(f->label, sizeof f->label, "helper (%s) -> %s", type_name(t), type_name(t));
    }
}

void enum_add_function(gmod *m, unsigned fam, uint64_t idx)
{
    const family *fm = &FAMILIES[fam];
    unsigned form = 0;
    while (form < fm->nforms && idx >= form_size(fm, form))
        idx -= form_size(fm, form++);
    if (form == fm->nforms)
        return;
    unsigned height = (unsigned)(idx % fm->heights);
    uint64_t combo = idx / fm->heights;
    unsigned holes = fm->holes(form);
    uint8_t srcs[4] = {0};
    uint64_t c = combo;
    for (unsigned i = 0; i < holes; i++, c /= NSRC)
        srcs[i] = (uint8_t)(c % NSRC);
    gfunc *f = &m->f[m->nf++];
    memset(f, 0, sizeof *f);
    ectx e;
    memset(&e, 0, sizeof e);
    e.m = m;
    e.a = &m->ar;
    e.f = f;
    e.T = fm->type(form);
    e.variant = rng_mix(fam * 1000003ull + form, combo);
    e.next_lid = 1;
    e.label = f->label;
    for (unsigned t = 0; t < T_COUNT; t++)
        e.decl[t] = e.teel[t] = -1;
    f->np = 4;
    f->params[0] = f->params[1] = T_I32;
    f->params[2] = f->params[3] = e.T;
    fm->build(&e, form, srcs, height, combo);
}
