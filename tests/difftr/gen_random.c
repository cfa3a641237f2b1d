/* Random programs built from the pieces the translator rewrites (see
 * README.md): typed trees of values and statements with blocks, loops,
 * branches carrying values, if/else with results, select, calls (between
 * the generated functions, to the host and through the table), globals,
 * memory and memory.grow/size, references and table instructions, block
 * nests deeper and operand stacks higher than the translator's first
 * allocations. Every program is valid by construction and
 * terminates: loops branch back only through a counter local that nothing
 * else writes, calls go only to later functions (call_indirect may recurse;
 * the call depth limit and fuel end it, the same way in both runs). */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#define MAXDEPTH 6
#define NCOUNTERS 3
#define MAXLABELS 128

typedef struct rlabel {
    uint32_t lid;
    uint8_t kind;    /* N_BLOCK, N_IF, N_LOOP, or 0 for the function */
    uint8_t arity;   /* values a branch carries */
    uint8_t type;
} rlabel;

typedef struct rctx {
    rng r;
    gmod *m;
    arena *a;
    uint32_t fi;
    gfunc *f;
    rlabel labels[MAXLABELS];
    unsigned nlabels;
    uint32_t next_lid;
    int budget;                /* nodes left for this function */
    unsigned loops;            /* enclosing loops (each owns a counter) */
    uint32_t counter0;         /* first counter local; counters are not writable */
    uint32_t nwritable;        /* locals [0, nwritable) may be written */
} rctx;


static uint32_t pick(rctx *c, uint32_t n) { return rng_below(&c->r, n); }
static bool chance(rctx *c, unsigned pct) { return rng_pct(&c->r, pct); }

static uint8_t rand_type(rctx *c)
{
    static const uint8_t ts[] = {T_I32, T_I32, T_I32, T_I64, T_I64, T_F32, T_F64, T_F64, T_V128};
    return ts[pick(c, sizeof ts)];
}

static node *gen_value(rctx *c, uint8_t t, unsigned depth);
static node *gen_tref(rctx *c, uint32_t w, unsigned depth);
static node *gen_stmt(rctx *c, unsigned depth);

static node *konst(rctx *c, uint8_t t)
{
    if (t == T_V128) {
        uint64_t lo, hi;
        edge_v128(&c->r, &lo, &hi);
        return mk_v128(c->a, lo, hi);
    }
    if (chance(c, 40))
        return mk_const(c->a, t, edge_value(t, pick(c, edge_count(t)), &c->r));
    return mk_const(c->a, t, edge_value(t, UINT32_MAX, &c->r));
}

/* A local of type t (writable only: params and declared ones, no counter). */
static int find_local(rctx *c, uint8_t t, bool writable)
{
    uint32_t n = writable ? c->nwritable : c->f->np + c->f->nl;
    if (!n)
        return -1;
    uint32_t start = pick(c, n);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t l = (start + k) % n;
        if (local_type(c->f, l) == t)
            return (int)l;
    }
    return -1;
}

static node *leaf(rctx *c, uint8_t t)
{
    unsigned r = pick(c, 100);
    int l = find_local(c, t, false);
    if (r < 45 && l >= 0)
        return mk_lget(c->a, c->f, (uint32_t)l);
    if (r < 55 && t != T_V128) { /* (no v128 global) */
        uint32_t g = t == T_I32 ? (chance(c, 30) ? 4 : 0) : t == T_I64 ? 1 : t == T_F32 ? 2 : 3;
        return mk_gget(c->a, g);
    }
    if (r < 70 && t == T_I32 && l >= 0)
        return mk_opn(c->a, "i32.add", mk_lget(c->a, c->f, (uint32_t)l),
                      mk_const(c->a, T_I32, pick(c, 5) * 4)); /* a pending x + K */
    return konst(c, t);
}

/* An op of the class with result r (or storing b). SIMD reductions to a
 * scalar (extract_lane, any_true, all_true, bitmask) only through
 * gen_from_v128, at their own rate: scalar code keeps its scalar ops. */
static const opinfo *random_op(rctx *c, uint8_t cls, uint8_t r, uint8_t b)
{
    const opinfo *list[256];
    unsigned n = ops_matching(cls, r, b, list, 256), k = 0;
    for (unsigned i = 0; i < n; i++)
        if (!(list[i]->a == T_V128 && list[i]->r != T_V128 && cls == OC_UN))
            list[k++] = list[i];
    return k ? list[pick(c, k)] : NULL;
}

/* A unary or binary op node with its lane immediate (if any) at random. */
static node *lane_op(rctx *c, const opinfo *op, node *x, node *y)
{
    node *n = mk_op(c->a, op, x, y);
    n->idx = (uint32_t)rng_next(&c->r);
    return n;
}

static node *gen_addr(rctx *c, unsigned depth);
static uint64_t gen_offset(rctx *c);

/* A scalar of type t out of a v128: extract_lane of the shape whose lanes
 * are t, or (i32) any_true, all_true, bitmask. */
static node *gen_from_v128(rctx *c, uint8_t t, unsigned depth)
{
    const opinfo *list[32];
    unsigned n = 0;
    for (unsigned i = 0; i < NOPS && n < 32; i++)
        if (OPS[i].cls == OC_UN && OPS[i].a == T_V128 && OPS[i].r == t)
            list[n++] = &OPS[i];
    if (!n)
        return NULL;
    return lane_op(c, list[pick(c, n)], gen_value(c, T_V128, depth + 1), NULL);
}

/* The SIMD forms with immediates or operands of other types, which the
 * generic paths (unary and binary ops of gen_value, loads, v128.store) do
 * not make: splat, replace_lane, shifts by an i32, bitselect, shuffle,
 * loadN_lane, and storeN_lane followed by a value. */
static node *gen_simd(rctx *c, unsigned depth)
{
    arena *a = c->a;
    static const char *const splats[] = {"i8x16.splat", "i16x8.splat", "i32x4.splat",
                                         "i64x2.splat", "f32x4.splat", "f64x2.splat"};
    static const char *const reps[] = {"i8x16.replace_lane", "i16x8.replace_lane",
                                       "i32x4.replace_lane", "i64x2.replace_lane",
                                       "f32x4.replace_lane", "f64x2.replace_lane"};
    static const char *const shifts[] = {"i8x16.shl", "i8x16.shr_s", "i8x16.shr_u", "i16x8.shl",
                                         "i16x8.shr_s", "i16x8.shr_u", "i32x4.shl", "i32x4.shr_s",
                                         "i32x4.shr_u", "i64x2.shl", "i64x2.shr_s", "i64x2.shr_u"};
    static const char *const laneld[] = {"v128.load8_lane", "v128.load16_lane", "v128.load32_lane",
                                         "v128.load64_lane"};
    static const char *const lanest[] = {"v128.store8_lane", "v128.store16_lane",
                                         "v128.store32_lane", "v128.store64_lane"};
    switch (pick(c, 8)) {
    case 0: {
        const opinfo *op = op_by_name(splats[pick(c, 6)]);
        return mk_op(a, op, gen_value(c, op->a, depth + 1), NULL);
    }
    case 1: {
        const opinfo *op = op_by_name(reps[pick(c, 6)]);
        return lane_op(c, op, gen_value(c, T_V128, depth + 1), gen_value(c, op->b, depth + 1));
    }
    case 2: {
        const opinfo *op = op_by_name(shifts[pick(c, 12)]);
        node *count = chance(c, 50) ? konst(c, T_I32) : gen_value(c, T_I32, depth + 1);
        return mk_op(a, op, gen_value(c, T_V128, depth + 1), count);
    }
    case 3:
        return mk_op3(a, op_by_name("v128.bitselect"), gen_value(c, T_V128, depth + 1),
                      gen_value(c, T_V128, depth + 1), gen_value(c, T_V128, depth + 1));
    case 4:
        return lane_op(c, op_by_name("i8x16.shuffle"), gen_value(c, T_V128, depth + 1),
                       gen_value(c, T_V128, depth + 1));
    case 5: {
        node *ld = mk(a, N_LOAD, T_V128, 1, 2);
        ld->op = op_by_name(laneld[pick(c, 4)]);
        ld->imm = gen_offset(c);
        ld->idx = (uint32_t)rng_next(&c->r);
        ld->kids[0] = gen_addr(c, depth);
        ld->kids[1] = gen_value(c, T_V128, depth + 1);
        return ld;
    }
    case 6: {
        node *st = mk_store(a, op_by_name(lanest[pick(c, 4)]), gen_offset(c), gen_addr(c, depth),
                            gen_value(c, T_V128, depth + 1));
        st->idx = (uint32_t)rng_next(&c->r);
        return mk_seq2(a, st, gen_value(c, T_V128, depth + 1));
    }
    default:
        return konst(c, T_V128);
    }
}

/* Sequences the translator fuses or gives immediate forms. */
static node *piece(rctx *c, uint8_t t, unsigned depth)
{
    arena *a = c->a;
    if (t == T_I32) {
        static const char *const pairs[][2] = {
            {"i32.add", "i32.mul"}, {"i32.add", "i32.add"}, {"i32.add", "i32.and"},
            {"i32.add", "i32.xor"}, {"i32.xor", "i32.xor"}, {"i32.xor", "i32.rotl"},
        };
        unsigned k = pick(c, 9);
        if (k < 6) {
            node *x = gen_value(c, t, depth + 1), *y;
            y = k == 5 ? mk_const(a, T_I32, 1 + pick(c, 31)) : gen_value(c, t, depth + 1);
            node *in = mk_opn(a, pairs[k][1], x, y), *other = gen_value(c, t, depth + 1);
            return chance(c, 50) ? mk_opn(a, pairs[k][0], in, other) : mk_opn(a, pairs[k][0], other, in);
        }
        static const char *const imm[] = {"i32.add", "i32.shl", "i32.rotl", "i32.rotr", "i32.sub",
                                          "i32.and", "i32.lt_u", "i32.gt_s", "i32.shr_u"};
        node *x = gen_value(c, t, depth + 1), *kk = konst(c, T_I32);
        const char *name = imm[pick(c, sizeof imm / sizeof imm[0])];
        return chance(c, 75) ? mk_opn(a, name, x, kk) : mk_opn(a, name, kk, x);
    }
    if (t == T_F64) {
        node *x = gen_value(c, t, depth + 1), *y = gen_value(c, t, depth + 1),
             *z = gen_value(c, t, depth + 1);
        node *mul = mk_opn(a, "f64.mul", x, y);
        switch (pick(c, 3)) {
        case 0: return mk_opn(a, "f64.add", mul, z);
        case 1: return mk_opn(a, "f64.sub", mul, z);
        default: return chance(c, 50) ? mk_opn(a, "f64.sub", z, mul) : mk_opn(a, "f64.add", z, mul);
        }
    }
    const opinfo *op = random_op(c, OC_BIN, t, t);
    return mk_op(a, op, gen_value(c, t, depth + 1), konst(c, t));
}

/* Addresses: mostly in bounds, in the forms compilers emit. */
static node *gen_addr(rctx *c, unsigned depth)
{
    arena *a = c->a;
    int l = find_local(c, T_I32, false);
    node *base = l >= 0 && chance(c, 70) ? mk_lget(a, c->f, (uint32_t)l) : gen_value(c, T_I32, depth + 1);
    switch (pick(c, 7)) {
    case 0:
    case 1: return mk_opn(a, "i32.add", base, mk_const(a, T_I32, pick(c, 16) * 4));
    case 2:
        return mk_opn(a, "i32.add", base,
                      mk_opn(a, "i32.shl",
                             mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1),
                                    mk_const(a, T_I32, 0xFF)),
                             mk_const(a, T_I32, 2)));
    case 3: return mk_opn(a, "i32.add", base, gen_value(c, T_I32, depth + 1));
    case 4: return mk_const(a, T_I32, chance(c, 80) ? pick(c, 1024) : 65536 - pick(c, 16));
    case 5: return base;
    default:
        return mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1), mk_const(a, T_I32, 0xFFFC));
    }
}

/* An i64 address for the 64-bit memory 2: a 32-bit one zero-extended
 * (in bounds as often as gen_addr's), else one above 4 GiB whose low half
 * is in bounds, or near 2^64 so that adding the offset wraps: both trap. */
static node *gen_addr64(rctx *c, unsigned depth)
{
    arena *a = c->a;
    node *x = mk_opn(a, "i64.extend_i32_u", gen_addr(c, depth), NULL);
    switch (pick(c, 10)) {
    case 0: return mk_opn(a, "i64.add", x, mk_const(a, T_I64, (uint64_t)1 << 32));
    case 1: return mk_const(a, T_I64, UINT64_MAX - pick(c, 8));
    default: return x;
    }
}

/* A memarg offset for memory 2: gen_offset's. Not one of 2^32 or more:
 * wabt 1.0.32, which tests/e2e/translate_difftr.sh holds the generated
 * text and binaries to, reads offsets as u32 even with memory64 (the wrap
 * past 2^64 comes from addresses near 2^64 here, and offsets near 2^64 are
 * in tests/e2e/memory64.sh and the spec's memory64 files). */
static uint64_t gen_offset(rctx *c);
static uint64_t gen_offset64(rctx *c) { return gen_offset(c); }

static uint64_t gen_offset(rctx *c)
{
    unsigned r = pick(c, 100);
    if (r < 70)
        return 0;
    if (r < 92)
        return 1 + pick(c, 64);
    if (r < 97)
        return 65532;
    if (r < 99)
        return 0xFFFFFFF0u;
    return 0xFFFFFFFDu; /* offset + size past 2^32: the access stays plain */
}

/* A label a value branch may target: not a loop (loops are entered again
 * only through their counter), carrying `arity` values of t. */
static int find_label(rctx *c, unsigned arity, uint8_t t)
{
    if (!c->nlabels)
        return -1;
    unsigned start = pick(c, c->nlabels);
    for (unsigned k = 0; k < c->nlabels; k++) {
        const rlabel *l = &c->labels[(start + k) % c->nlabels];
        if (l->kind != N_LOOP && l->arity == arity && (!arity || l->type == t))
            return (int)((start + k) % c->nlabels);
    }
    return -1;
}

/* Callers keep nesting below MAXLABELS (gen_deep is the only deep one). */
static void push_label(rctx *c, node *n, uint8_t kind, unsigned arity, uint8_t t)
{
    n->lid = c->next_lid++;
    c->labels[c->nlabels++] = (rlabel){n->lid, kind, (uint8_t)arity, t};
}

static void pop_label(rctx *c) { c->nlabels--; }

/* Statements then (optionally) nres values of t. */
static node *gen_body(rctx *c, unsigned nres, uint8_t t, unsigned depth, unsigned maxstmts)
{
    node *items[12];
    unsigned n = 0, ns = pick(c, maxstmts + 1);
    for (unsigned i = 0; i < ns && c->budget > 0; i++)
        items[n++] = gen_stmt(c, depth + 1);
    for (unsigned i = 0; i < nres; i++)
        items[n++] = gen_value(c, t, depth + 1);
    return mk_seq(c->a, nres ? t : T_NONE, (uint8_t)nres, n, items);
}

/* block/if (result t^nres), optionally with one parameter (the body then
 * starts from N_ONSTACK). */
static node *gen_block(rctx *c, uint8_t kind, unsigned nres, uint8_t t, unsigned depth)
{
    arena *a = c->a;
    bool param = nres == 1 && chance(c, 20);
    unsigned nk = (param ? 1 : 0) + (kind == N_IF ? 3 : 1);
    node *b = mk(a, kind, nres ? t : T_NONE, (uint8_t)nres, nk);
    unsigned k = 0;
    if (param) {
        b->nparams = 1;
        b->ptype = t;
        b->kids[k++] = gen_value(c, t, depth + 1);
    }
    if (kind == N_IF)
        b->kids[k++] = gen_value(c, T_I32, depth + 1);
    push_label(c, b, kind, nres, t);
    for (unsigned arm = 0; arm < (kind == N_IF ? 2u : 1u); arm++) {
        node *body;
        if (param) {
            /* statements leave the parameter alone; then op(param, x) */
            node *items[8];
            unsigned n = 0, ns = pick(c, 3);
            for (unsigned i = 0; i < ns; i++)
                items[n++] = gen_stmt(c, depth + 1);
            const opinfo *op = random_op(c, OC_BIN, t, t);
            items[n++] = mk_op(a, op, mk(a, N_ONSTACK, t, 1, 0), gen_value(c, t, depth + 1));
            body = mk_seq(a, t, 1, n, items);
        } else {
            body = gen_body(c, nres, t, depth, 3);
        }
        b->kids[k++] = body;
    }
    if (kind == N_IF)
        b->flag = 1;
    pop_label(c);
    return b;
}

/* A loop run n times through its counter: (local.set C n) loop ... (br_if
 * loop (local.tee C (C - 1))) ... end. With a parameter, the back edge
 * carries op(param, x). */
static node *gen_loop(rctx *c, unsigned nres, uint8_t t, unsigned depth)
{
    arena *a = c->a;
    uint32_t ctr = c->counter0 + c->loops;
    bool param = nres == 1 && chance(c, 35);
    node *loop = mk(a, N_LOOP, nres ? t : T_NONE, (uint8_t)nres, param ? 2 : 1);
    push_label(c, loop, N_LOOP, param ? 1 : 0, t);
    c->loops++;
    node *items[10];
    unsigned n = 0, ns = 1 + pick(c, 3);
    for (unsigned i = 0; i < ns; i++)
        items[n++] = gen_stmt(c, depth + 1);
    node *dec = mk_opn(a, "i32.sub", mk_lget(a, c->f, ctr), mk_const(a, T_I32, 1));
    node *cond;
    switch (pick(c, 3)) {
    case 0: cond = mk_tee(a, c->f, ctr, dec); break;
    case 1: cond = mk_opn(a, "i32.gt_s", mk_tee(a, c->f, ctr, dec), mk_const(a, T_I32, 0)); break;
    default: cond = mk_opn(a, "i32.ne", mk_const(a, T_I32, 0), mk_tee(a, c->f, ctr, dec)); break;
    }
    node *back = mk(a, N_BRIF, param ? t : T_NONE, param ? 1 : 0, param ? 2 : 1);
    back->idx = loop->lid;
    if (param) {
        const opinfo *op = random_op(c, OC_BIN, t, t);
        back->kids[0] = mk_op(a, op, mk(a, N_ONSTACK, t, 1, 0), gen_value(c, t, depth + 1));
        back->kids[1] = cond;
        items[n++] = back;
    } else {
        back->kids[0] = cond;
        items[n++] = back;
        if (nres)
            items[n++] = gen_value(c, t, depth + 1);
    }
    c->loops--;
    pop_label(c);
    if (param) {
        loop->nparams = 1;
        loop->ptype = t;
        loop->kids[0] = gen_value(c, t, depth + 1);
        loop->kids[1] = mk_seq(a, t, 1, n, items);
    } else {
        loop->kids[0] = mk_seq(a, nres ? t : T_NONE, (uint8_t)nres, n, items);
    }
    node *init = mk_lset(a, ctr, mk_const(a, T_I32, 1 + pick(c, 4)));
    return mk_seq2(a, init, loop);
}

/* A call of a later function (or the host) leaving nres values of t; with
 * `tail`, a return_call(_indirect) of one with this function's results
 * instead, polymorphic like return (type and nres are then ignored). */
static node *gen_call_as(rctx *c, uint8_t t, unsigned nres, unsigned depth, bool tail)
{
    arena *a = c->a;
    if (tail) {
        t = c->f->rtype;
        nres = c->f->nres;
    }
    /* candidates: later functions with the wanted results, the host */
    uint32_t cands[MAXF + 1], n = 0;
    for (uint32_t j = c->fi + 1; j < c->m->nf; j++)
        if (c->m->f[j].nres == nres && (!nres || c->m->f[j].rtype == t))
            cands[n++] = 1 + j;
    if (nres == 1 && t == T_I32)
        cands[n++] = HOST_MIX;
    if (!n)
        return NULL;
    uint32_t w = cands[pick(c, n)];
    bool indirect = chance(c, 25);
    /* call_ref / return_call_ref of a typed reference to w */
    bool by_ref = gen_typed_refs && !indirect && chance(c, 20);
    const gfunc *g = w == HOST_MIX ? NULL : &c->m->f[w - 1];
    unsigned np = g ? g->np : 2;
    uint8_t kind = indirect ? N_CALLIND : by_ref ? N_CALLREF : N_CALL;
    unsigned extra = indirect || by_ref ? 1 : 0;
    node *call = tail ? mk(a, kind, T_ANY, 1, np + extra)
                      : mk(a, kind, nres ? t : T_NONE, (uint8_t)nres, np + extra);
    call->idx = w;
    call->flag = tail;
    for (unsigned i = 0; i < np; i++)
        call->kids[i] = gen_value(c, g ? g->params[i] : T_I32, depth + 1);
    if (by_ref)
        call->kids[np] = gen_tref(c, w, depth + 1);
    if (indirect) {
        /* usually the intended entry (the import's is nf), as a constant or
         * computed (a pending x + K over a computed zero); sometimes any
         * index (another type, a null entry, out of the table: traps) */
        uint32_t entry = w == HOST_MIX ? c->m->nf : w - 1;
        unsigned r = pick(c, 10);
        if (gen_table64 && chance(c, 33)) {
            /* through the 64-bit table: an i64 index, the entry's, zero-
             * extended, or 2^32 + it (undefined element) */
            call->table = TABLE64;
            node *idx = mk_const(a, T_I32, entry);
            if (r >= 5)
                idx = mk_opn(a, "i32.add",
                             mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1), mk_const(a, T_I32, 0)),
                             idx);
            call->kids[np] = r == 9 ? mk_const(a, T_I64, ((uint64_t)1 << 32) + entry)
                                    : mk_opn(a, "i64.extend_i32_u", idx, NULL);
        } else if (r < 5)
            call->kids[np] = mk_const(a, T_I32, entry);
        else if (r < 8)
            call->kids[np] = mk_opn(a, "i32.add",
                                    mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1),
                                           mk_const(a, T_I32, 0)),
                                    mk_const(a, T_I32, entry));
        else
            call->kids[np] = mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1),
                                    mk_const(a, T_I32, 31));
    }
    return call;
}

static node *gen_call(rctx *c, uint8_t t, unsigned nres, unsigned depth)
{
    return gen_call_as(c, t, nres, depth, false);
}

/* br / br_table / return / return_call(_indirect) / unreachable: a value of
 * any type. */
static node *gen_poly(rctx *c, unsigned depth)
{
    arena *a = c->a;
    unsigned r = pick(c, 10);
    if (r == 0)
        return mk(a, N_UNREACHABLE, T_ANY, 1, 0);
    node *tail = r == 1 || r == 2 ? gen_call_as(c, T_NONE, 0, depth, true) : NULL;
    if (tail)
        return tail;
    int li = c->nlabels ? (int)pick(c, c->nlabels) : -1;
    if (li < 0 || c->labels[li].kind == N_LOOP || r < 3) {
        node *ret = mk(a, N_RETURN, T_ANY, 1, c->f->nres);
        for (unsigned i = 0; i < c->f->nres; i++)
            ret->kids[i] = gen_value(c, c->f->rtype, depth + 1);
        return ret;
    }
    rlabel l = c->labels[li];
    bool table = chance(c, 50);
    node *br = mk(a, table ? N_BRTABLE : N_BR, T_ANY, 1, l.arity + (table ? 1 : 0));
    br->idx = l.lid;
    for (unsigned i = 0; i < l.arity; i++)
        br->kids[i] = gen_value(c, l.type, depth + 1);
    if (table) {
        unsigned nt = 2 + pick(c, 3);
        br->ntargets = (uint16_t)nt;
        br->targets = arena_alloc(a, nt * sizeof *br->targets);
        for (unsigned i = 0; i < nt; i++) {
            int o = find_label(c, l.arity, l.type);
            br->targets[i] = o >= 0 && chance(c, 60) ? c->labels[o].lid : l.lid;
        }
        br->kids[l.arity] = chance(c, 50) ? mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1),
                                                   mk_const(a, T_I32, 3))
                                          : gen_value(c, T_I32, depth + 1);
    }
    return br;
}

/* Two values of t consumed by one binary op: from a block with two
 * results (maybe branched to with both) or a call of a function with two. */
static node *gen_pair(rctx *c, uint8_t t, unsigned depth)
{
    arena *a = c->a;
    const opinfo *op = random_op(c, OC_BIN, t, t);
    node *two = NULL;
    if (chance(c, 40))
        two = gen_call(c, t, 2, depth);
    if (!two) {
        node *b = mk(a, N_BLOCK, t, 2, 1);
        push_label(c, b, N_BLOCK, 2, t);
        node *items[8];
        unsigned n = 0, ns = pick(c, 3);
        for (unsigned i = 0; i < ns; i++)
            items[n++] = gen_stmt(c, depth + 1);
        node *v0 = gen_value(c, t, depth + 1), *v1 = gen_value(c, t, depth + 1);
        if (chance(c, 50)) {
            node *bi = mk(a, N_BRIF, t, 2, 3);
            bi->idx = b->lid;
            bi->kids[0] = v0;
            bi->kids[1] = v1;
            bi->kids[2] = gen_value(c, T_I32, depth + 1);
            items[n++] = bi;
        } else {
            items[n++] = v0;
            items[n++] = v1;
        }
        pop_label(c);
        b->kids[0] = mk_seq(a, t, 2, n, items);
        two = b;
    }
    node *p = mk(a, N_PAIR, op->r, 1, 1);
    p->op = op;
    p->kids[0] = two;
    return p;
}

/* A table index: mostly in the table (its functions, the import, a null), at
 * times just past it or anywhere (traps). */
static node *table_index(rctx *c, unsigned depth)
{
    arena *a = c->a;
    if (chance(c, 60))
        return mk_const(a, T_I32, pick(c, c->m->nf + 4));
    return mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1), mk_const(a, T_I32, 15));
}

/* Table 0 mostly; the 64-bit one (TABLE64) a third of the time. */
bool gen_table64 = true;

static uint8_t pick_table(rctx *c) { return gen_table64 && chance(c, 33) ? TABLE64 : 0; }

/* An index, size or length for table `tab`: an i32 one for table 0; for
 * the 64-bit table an i64 one, the same values zero-extended, or now and
 * then one of 2^32 and more (low half in range: the check must not look
 * at the low half only). `mask`: the computed form's i32 mask. */
static node *table_operand(rctx *c, uint8_t tab, uint32_t small, uint32_t mask, unsigned depth)
{
    arena *a = c->a;
    if (tab != TABLE64) {
        if (chance(c, 60))
            return mk_const(a, T_I32, pick(c, small));
        return mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1), mk_const(a, T_I32, mask));
    }
    unsigned r = pick(c, 10);
    if (r < 5)
        return mk_const(a, T_I64, pick(c, small));
    if (r < 6)
        return mk_const(a, T_I64, ((uint64_t)(1 + pick(c, 2)) << 32) + pick(c, small));
    return mk_opn(a, "i64.extend_i32_u",
                  mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1), mk_const(a, T_I32, mask)),
                  NULL);
}

static node *tab_index(rctx *c, uint8_t tab, unsigned depth)
{
    return tab == TABLE64 ? table_operand(c, tab, c->m->nf + 4, 15, depth) : table_index(c, depth);
}

/* A table node on table `tab`. */
static node *on_table(node *n, uint8_t tab)
{
    n->table = tab;
    return n;
}

/* A typed reference to function w's type (3.0): mostly w itself, sometimes
 * null (call_ref traps "null function reference"), chosen by a typed
 * select, or through ref.as_non_null (of null: "null reference"). */
bool gen_typed_refs = true;

static node *gen_tref(rctx *c, uint32_t w, unsigned depth)
{
    unsigned r = pick(c, 100);
    uint8_t form = r < 55 ? TREF_FUNC : r < 65 ? TREF_NULL : r < 85 ? TREF_SELECT
                 : r < 97 ? TREF_AS_NON_NULL : TREF_NULL_AS;
    node *n = mk(c->a, N_TREF, T_FUNCREF, 1, form == TREF_SELECT ? 1 : 0);
    n->idx = w;
    n->flag = form;
    if (form == TREF_SELECT)
        n->kids[0] = gen_value(c, T_I32, depth + 1);
    return n;
}

/* A funcref: null, a function, a table element, a local, a select. */
static node *gen_ref(rctx *c, unsigned depth)
{
    arena *a = c->a;
    int l = find_local(c, T_FUNCREF, false);
    unsigned r = depth >= MAXDEPTH ? pick(c, 50) : pick(c, 100);
    if (r < 20)
        return mk(a, N_REFNULL, T_FUNCREF, 1, 0);
    if (r < 45) {
        /* any function: the element segment declares them all */
        node *f = mk(a, N_REFFUNC, T_FUNCREF, 1, 0);
        f->idx = pick(c, c->m->nf + 1);
        return f;
    }
    if (r < 60 && l >= 0)
        return mk_lget(a, c->f, (uint32_t)l);
    if (r < 85) {
        uint8_t tab = pick_table(c);
        return on_table(mk_kids(a, N_TGET, T_FUNCREF, 1, tab_index(c, tab, depth), NULL), tab);
    }
    if (r < 92 && (l = find_local(c, T_FUNCREF, true)) >= 0)
        return mk_tee(a, c->f, (uint32_t)l, gen_ref(c, depth + 1));
    return mk_select(a, T_FUNCREF, gen_ref(c, depth + 1), gen_ref(c, depth + 1),
                     gen_value(c, T_I32, depth + 1), true);
}

/* An i32 from the table or a reference. */
static node *gen_table_value(rctx *c, unsigned depth)
{
    arena *a = c->a;
    switch (pick(c, gen_typed_refs ? 4 : 3)) {
    case 3: /* br_on_non_null in a block of its own */
        return mk_kids(a, N_NONNULL, T_I32, 1, gen_tref(c, pick(c, c->m->nf + 1), depth + 1), NULL);
    case 0: return mk_kids(a, N_REFISNULL, T_I32, 1, gen_ref(c, depth + 1), NULL);
    case 1:
        if (gen_table64 && chance(c, 33)) /* the 64-bit table's size is an i64 */
            return mk_opn(a, "i32.wrap_i64", on_table(mk(a, N_TSIZE, T_I64, 1, 0), TABLE64), NULL);
        return mk(a, N_TSIZE, T_I32, 1, 0);
    default: {
        uint8_t tab = pick_table(c);
        if (tab != TABLE64)
            return mk_kids(a, N_TGROW, T_I32, 1, gen_ref(c, depth + 1),
                           chance(c, 50) ? mk_const(a, T_I32, pick(c, 3))
                                         : mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1),
                                                  mk_const(a, T_I32, 3)),
                           NULL);
        /* an i64 delta (2^32 and more: -1, an i64) and an i64 result */
        node *g = mk_kids(a, N_TGROW, T_I64, 1, gen_ref(c, depth + 1),
                          table_operand(c, tab, 3, 3, depth), NULL);
        return mk_opn(a, "i32.wrap_i64", on_table(g, tab), NULL);
    }
    }
}

/* 17..56 nested blocks (more than the translator's first label stack),
 * some with a value under the inner one, and a br_if from the innermost
 * to one of them. */
static node *gen_deep(rctx *c, uint8_t t, unsigned depth)
{
    arena *a = c->a;
    unsigned k = 17 + pick(c, 40);
    if (c->nlabels + k + 16 >= MAXLABELS) /* room for the blocks nested inside */
        return leaf(c, t);
    node *blocks[64];
    for (unsigned i = 0; i < k; i++) {
        blocks[i] = mk(a, N_BLOCK, t, 1, 1);
        push_label(c, blocks[i], N_BLOCK, 1, t);
    }
    node *b = mk(a, N_BRIF, t, 1, 2);
    b->idx = blocks[pick(c, k)]->lid;
    b->kids[0] = gen_value(c, t, depth + 1);
    b->kids[1] = gen_value(c, T_I32, depth + 1);
    node *inner = b;
    const opinfo *op = random_op(c, OC_BIN, t, t);
    for (unsigned i = k; i-- > 0;) {
        blocks[i]->kids[0] = chance(c, 30) ? mk_op(a, op, leaf(c, t), inner) : inner;
        inner = blocks[i];
    }
    c->nlabels -= k;
    c->budget -= (int)k;
    return inner;
}

/* x1 op (x2 op (... op xn)) with n = 40..120: all xi are on the stack at
 * once (more than the translator's first virtual stack). */
static node *gen_wide(rctx *c, uint8_t t)
{
    arena *a = c->a;
    unsigned n = 40 + pick(c, 81);
    const opinfo *op = random_op(c, OC_BIN, t, t);
    node *acc = leaf(c, t);
    for (unsigned i = 1; i < n; i++)
        acc = mk_op(a, op, chance(c, 20) ? mk_load(a, random_op(c, OC_LOAD, t, T_NONE), 0,
                                                    mk_const(a, T_I32, pick(c, 256)))
                                         : leaf(c, t),
                    acc);
    c->budget -= (int)n / 4;
    return acc;
}

static node *gen_value(rctx *c, uint8_t t, unsigned depth)
{
    arena *a = c->a;
    if (t == T_FUNCREF)
        return gen_ref(c, depth);
    c->budget--;
    if (depth >= MAXDEPTH || c->budget <= 0 || chance(c, 25))
        return leaf(c, t);
    if (t == T_V128 && chance(c, 30))
        return gen_simd(c, depth);
    if (t != T_V128 && chance(c, 3)) {
        node *x = gen_from_v128(c, t, depth);
        if (x)
            return x;
    }
    unsigned r = pick(c, 100);
    if (r < 14) {
        const opinfo *op = random_op(c, OC_BIN, t, T_NONE);
        node *x = gen_value(c, op->a, depth + 1), *y;
        y = chance(c, 30) ? konst(c, op->b) : gen_value(c, op->b, depth + 1);
        return chance(c, 80) || op->a != op->b ? lane_op(c, op, x, y) : lane_op(c, op, y, x);
    }
    if (r < 22) {
        const opinfo *op = random_op(c, OC_UN, t, T_NONE);
        if (op)
            return lane_op(c, op, gen_value(c, op->a, depth + 1), NULL);
        return leaf(c, t);
    }
    if (r < 38)
        return piece(c, t, depth);
    if (r < 48) {
        const opinfo *op = random_op(c, OC_LOAD, t, T_NONE);
        if (chance(c, 15)) { /* memory 2, 64-bit: ADDR64 before the plain load */
            node *ld = mk_load(a, op, gen_offset64(c), gen_addr64(c, depth));
            ld->mem = MEM64;
            return ld;
        }
        node *ld = mk_load(a, op, gen_offset(c), gen_addr(c, depth));
        ld->mem = chance(c, 25); /* memory 1: MEM_USE around the plain load */
        return ld;
    }
    if (r < 53) {
        int l = find_local(c, t, true);
        if (l >= 0)
            return mk_tee(a, c->f, (uint32_t)l, gen_value(c, t, depth + 1));
        return leaf(c, t);
    }
    if (r < 57)
        return mk_select(a, t, gen_value(c, t, depth + 1), gen_value(c, t, depth + 1),
                         gen_value(c, T_I32, depth + 1), chance(c, 50));
    if (r < 63) {
        node *call = gen_call(c, t, 1, depth);
        return call ? call : leaf(c, t);
    }
    if (r < 68)
        return gen_block(c, N_BLOCK, 1, t, depth);
    if (r < 72)
        return gen_block(c, N_IF, 1, t, depth);
    if (r < 75 && c->loops < NCOUNTERS)
        return gen_loop(c, 1, t, depth);
    if (r < 80) {
        int li = find_label(c, 1, t);
        if (li >= 0) {
            node *v = gen_value(c, t, depth + 1);
            if (gen_typed_refs && chance(c, 15)) {
                /* br_on_null of a typed reference, carrying v */
                node *b = mk(a, N_BRONNULL, t, 1, 2);
                b->idx = c->labels[li].lid;
                b->kids[0] = v;
                b->kids[1] = gen_tref(c, pick(c, c->m->nf + 1), depth + 1);
                return b;
            }
            node *b = mk(a, N_BRIF, t, 1, 2);
            b->idx = c->labels[li].lid;
            b->kids[0] = v;
            b->kids[1] = gen_value(c, T_I32, depth + 1);
            return b;
        }
        return leaf(c, t);
    }
    if (r < 87) {
        node *s = gen_stmt(c, depth + 1), *v = gen_value(c, t, depth + 1);
        return chance(c, 50) ? mk_seq2(a, s, v) : mk_seq2(a, v, s);
    }
    if (r < 90 && t == T_I32) {
        if (chance(c, 50)) {
            node *z = mk(a, N_MSIZE, T_I32, 1, 0);
            z->mem = chance(c, 30);
            return z;
        }
        node *g = mk(a, N_MGROW, T_I32, 1, 1);
        g->mem = chance(c, 30);
        g->kids[0] = chance(c, 50) ? mk_const(a, T_I32, pick(c, 2))
                                   : mk_opn(a, "i32.and", gen_value(c, T_I32, depth + 1),
                                            mk_const(a, T_I32, 1));
        return g;
    }
    if (r < 90 && t == T_I64) { /* memory 2's size and grow are i64 */
        if (chance(c, 50)) {
            node *z = mk(a, N_MSIZE, T_I64, 1, 0);
            z->mem = MEM64;
            return z;
        }
        node *g = mk(a, N_MGROW, T_I64, 1, 1);
        g->mem = MEM64;
        g->kids[0] = chance(c, 70) ? mk_const(a, T_I64, pick(c, 2))
                                   : mk_const(a, T_I64, ((uint64_t)1 << 32) + 1);
        return g;
    }
    if (r < 93)
        return gen_pair(c, t, depth);
    if (r < 95)
        return gen_poly(c, depth);
    if (r < 97 && t == T_I32)
        return gen_table_value(c, depth);
    if (r == 97)
        return gen_deep(c, t, depth);
    if (r == 98 && chance(c, 30))
        return gen_wide(c, t);
    return leaf(c, t);
}

static node *gen_stmt(rctx *c, unsigned depth)
{
    arena *a = c->a;
    c->budget--;
    unsigned r = depth >= MAXDEPTH || c->budget <= 0 ? pick(c, 40) : pick(c, 100);
    if (r < 25) {
        const opinfo *op = random_op(c, OC_STORE, T_NONE, rand_type(c));
        node *addr = gen_addr(c, depth);
        if (chance(c, 15)) { /* memory 2, 64-bit */
            node *st = mk_store(a, op, gen_offset64(c), gen_addr64(c, depth),
                                gen_value(c, op->b, depth + 1));
            st->mem = MEM64;
            return st;
        }
        if (op->b == T_V128 && chance(c, 40)) { /* storeN_lane */
            static const char *const lanest[] = {"v128.store8_lane", "v128.store16_lane",
                                                 "v128.store32_lane", "v128.store64_lane"};
            node *st = mk_store(a, op_by_name(lanest[pick(c, 4)]), gen_offset(c), addr,
                                gen_value(c, T_V128, depth + 1));
            st->idx = (uint32_t)rng_next(&c->r);
            return st;
        }
        node *st = mk_store(a, op, gen_offset(c), addr, gen_value(c, op->b, depth + 1));
        st->mem = chance(c, 25);
        return st;
    }
    if (r < 45) {
        uint8_t t = rand_type(c);
        int l = find_local(c, t, true);
        if (l >= 0)
            return mk_lset(a, (uint32_t)l, gen_value(c, t, depth + 1));
    }
    if (r < 52) {
        uint32_t g = pick(c, 4);
        return mk_gset(a, g, gen_value(c, GLOBAL_TYPES[g], depth + 1));
    }
    if (r < 58)
        return mk_drop(a, gen_value(c, rand_type(c), depth + 1));
    if (r < 62) {
        node *call = gen_call(c, T_NONE, 0, depth);
        if (call)
            return call;
    }
    if (r < 70) {
        int li = find_label(c, 0, T_NONE);
        if (li >= 0) {
            node *b = mk(a, N_BRIF, T_NONE, 0, 1);
            b->idx = c->labels[li].lid;
            b->kids[0] = gen_value(c, T_I32, depth + 1);
            return b;
        }
    }
    if (r < 77)
        return gen_block(c, N_BLOCK, 0, T_NONE, depth);
    if (r < 84)
        return gen_block(c, N_IF, 0, T_NONE, depth);
    if (r < 90 && c->loops < NCOUNTERS)
        return gen_loop(c, 0, T_NONE, depth);
    if (r < 93) {
        node *n = mk(a, chance(c, 50) ? N_MFILL : N_MCOPY, T_NONE, 0, 3);
        n->kids[0] = gen_addr(c, depth);
        n->kids[1] = n->kind == N_MFILL ? gen_value(c, T_I32, depth + 1) : gen_addr(c, depth);
        n->kids[2] = mk_const(a, T_I32, pick(c, 40));
        n->mem = chance(c, 30);
        n->mem2 = n->kind == N_MCOPY && chance(c, 30);
        return n;
    }
    if (r < 95) {
        int li = find_label(c, 0, T_NONE);
        if (li >= 0 && chance(c, 30)) {
            node *b = mk(a, N_BR, T_ANY, 0, 0);
            b->idx = c->labels[li].lid;
            return b;
        }
    }
    if (r < 96) {
        uint8_t tab = pick_table(c);
        if (chance(c, 60))
            return on_table(mk_kids(a, N_TSET, T_NONE, 0, tab_index(c, tab, depth),
                                    gen_ref(c, depth + 1), NULL), tab);
        node *len = tab == TABLE64 ? table_operand(c, tab, 4, 3, depth) : mk_const(a, T_I32, pick(c, 4));
        return on_table(mk_kids(a, N_TFILL, T_NONE, 0, tab_index(c, tab, depth),
                                gen_ref(c, depth + 1), len, NULL), tab);
    }
    if (r < 97)
        return mk(a, N_NOP, T_NONE, 0, 0);
    uint8_t t = rand_type(c);
    int l = find_local(c, t, true);
    if (l >= 0)
        return mk_lset(a, (uint32_t)l, leaf(c, t));
    return mk_drop(a, leaf(c, t));
}

void gen_random_module(gmod *m, uint64_t seed)
{
    arena *a = &m->ar;
    rctx c;
    memset(&c, 0, sizeof c);
    c.r.s = seed;
    c.m = m;
    c.a = a;
    m->data_seed = rng_next(&c.r) | 1;
    for (unsigned g = 0; g < NGLOBALS; g++)
        m->ginit[g] = edge_value(GLOBAL_TYPES[g], pick(&c, edge_count(GLOBAL_TYPES[g]) + 3), &c.r);
    m->nf = 2 + pick(&c, 6);
    /* signatures first: calls need their callees' */
    for (uint32_t i = 0; i < m->nf; i++) {
        gfunc *f = &m->f[i];
        memset(f, 0, sizeof *f);
        f->np = (uint8_t)pick(&c, MAXP + 1);
        for (unsigned p = 0; p < f->np; p++)
            f->params[p] = rand_type(&c);
        unsigned r = pick(&c, 100);
        f->nres = r < 15 ? 0 : r < 85 ? 1 : 2;
        f->rtype = rand_type(&c);
        /* sometimes many locals (frame set-up loops), sometimes a funcref */
        f->nl = (uint8_t)(chance(&c, 20) ? 8 + pick(&c, MAXL - NCOUNTERS - 8) : pick(&c, 7));
        for (unsigned l = 0; l < f->nl; l++)
            f->locals[l] = chance(&c, 8) ? T_FUNCREF : rand_type(&c);
        for (unsigned k = 0; k < NCOUNTERS; k++)
            f->locals[f->nl++] = T_I32;
        snprintf(f->label, sizeof f->label, "random function %u of seed %llu", i,
                 (unsigned long long)seed);
    }
    for (uint32_t i = 0; i < m->nf; i++) {
        gfunc *f = &m->f[i];
        c.fi = i;
        c.f = f;
        c.nlabels = 0;
        c.next_lid = 1;
        c.loops = 0;
        c.budget = 30 + (int)pick(&c, 150);
        c.counter0 = f->np + f->nl - NCOUNTERS;
        c.nwritable = c.counter0;
        c.labels[c.nlabels++] = (rlabel){FUNC_LID, 0, f->nres, f->rtype};
        f->body = gen_body(&c, f->nres, f->rtype, 0, 8);
        /* a quarter end in a tail call instead, as compiled code often does */
        node *tail = chance(&c, 25) ? gen_call_as(&c, T_NONE, 0, 0, true) : NULL;
        if (tail) {
            node *items[2] = {gen_body(&c, 0, T_NONE, 0, 8), tail};
            f->body = mk_seq(c.a, f->nres ? f->rtype : T_NONE, f->nres, 2, items);
        }
    }
}
