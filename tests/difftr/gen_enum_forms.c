/* The families of enumerated forms (see README.md, "The enumeration"):
 * one builder per family, each making a function body from a form, its
 * operand sources and a stack height with the building blocks of
 * gen_enum.c. */
#include "gen_enum.h"

#include <stdio.h>
#include <string.h>


static void label_srcs(ectx *e, const char *what, const uint8_t *srcs, unsigned n)
{
    int len = snprintf(e->label, sizeof e->f->label, "%s", what);
    for (unsigned i = 0; i < n && len < (int)sizeof e->f->label; i++)
        len += snprintf(e->label + len, sizeof e->f->label - (size_t)len, "%s%s", i ? "," : " ",
                        SRC_NAMES[srcs[i]]);
}

/* Immediate forms: every i32 op with an immediate form, the constant
 * second or (for commutative/compare ops, swapped) first. */
static const char *const IMM_OPS[] = {
    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
    "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
};
#define NIMM (sizeof IMM_OPS / sizeof IMM_OPS[0])

struct imm_arg {
    const opinfo *op;
    bool const_first;
    uint8_t src;
};

static node *imm_core(ectx *e, const void *p)
{
    const struct imm_arg *x = p;
    node *s = source(e, x->src, T_I32, 0), *k = konst(e, T_I32, 1);
    return x->const_first ? mk_op(e->a, x->op, k, s) : mk_op(e->a, x->op, s, k);
}

static unsigned imm_holes(unsigned form) { (void)form; return 1; }

static void imm_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct imm_arg x = {typed_op(T_I32, IMM_OPS[form / 2]), form % 2, srcs[0]};
    char what[48];
    snprintf(what, sizeof what, "imm %s%s", x.op->name, x.const_first ? " K-first" : "");
    label_srcs(e, what, srcs, 1);
    finish_value(e, imm_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* Binary ops of every type with two source operands (the i32 and i64
 * comparisons feed fused branches through the br_if/if sinks). */
static const char *const BIN_OPS[] = {
    "i32.add", "i32.sub", "i32.mul", "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_u",
    "i32.rotl", "i32.div_u", "i32.rem_s", "i32.eq", "i32.lt_s", "i32.ge_u",
    "i64.add", "i64.sub", "i64.mul", "i64.xor", "i64.shr_s", "i64.div_s", "i64.eq", "i64.lt_u",
    "i64.gt_s", "f32.add", "f32.mul", "f32.min", "f32.lt", "f64.add", "f64.sub", "f64.mul",
    "f64.max", "f64.copysign", "f64.ge",
};
#define NBIN (sizeof BIN_OPS / sizeof BIN_OPS[0])

struct bin_arg {
    const opinfo *op;
    const uint8_t *srcs;
};

static node *bin_core(ectx *e, const void *p)
{
    const struct bin_arg *x = p;
    return mk_op(e->a, x->op, source(e, x->srcs[0], x->op->a, 0), source(e, x->srcs[1], x->op->a, 1));
}

static unsigned two_holes(unsigned form) { (void)form; return 2; }

static uint8_t bin_type(unsigned form) { return op_by_name(BIN_OPS[form])->a; }

static void bin_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct bin_arg x = {op_by_name(BIN_OPS[form]), srcs};
    label_srcs(e, x.op->name, srcs, 2);
    finish_value(e, bin_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* Fused pairs: outer(inner(a, b), c) and outer(c, inner(a, b)). */
static const struct {
    const char *outer, *inner;
} PAIRS[] = {
    {"i32.add", "i32.mul"}, {"i32.add", "i32.add"}, {"i32.add", "i32.and"}, {"i32.add", "i32.xor"},
    {"i32.xor", "i32.xor"}, {"i32.xor", "i32.rotl"}, {"f64.add", "f64.mul"}, {"f64.sub", "f64.mul"},
    {"f64.mul", "f64.mul"}, {"f64.div", "f64.mul"},
};
#define NPAIRS (sizeof PAIRS / sizeof PAIRS[0])

struct pair_arg {
    unsigned pair;
    bool inner_second;
    const uint8_t *srcs;
};

static bool pair_rotl(unsigned pair) { return !strcmp(PAIRS[pair].inner, "i32.rotl"); }

static node *pair_core(ectx *e, const void *p)
{
    const struct pair_arg *x = p;
    const opinfo *outer = op_by_name(PAIRS[x->pair].outer), *inner = op_by_name(PAIRS[x->pair].inner);
    uint8_t t = outer->a;
    node *a = source(e, x->srcs[0], t, 0);
    node *b = pair_rotl(x->pair) ? mk_const(e->a, T_I32, 1 + (uint32_t)(e->variant % 40))
                                 : source(e, x->srcs[1], t, 1);
    node *c = source(e, x->srcs[pair_rotl(x->pair) ? 1 : 2], t, 2);
    node *in = mk_op(e->a, inner, a, b);
    return x->inner_second ? mk_op(e->a, outer, c, in) : mk_op(e->a, outer, in, c);
}

static unsigned pair_holes(unsigned form) { return pair_rotl(form / 2) ? 2 : 3; }

static void pair_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct pair_arg x = {form / 2, form % 2, srcs};
    char what[64];
    snprintf(what, sizeof what, "pair %s(%s%s)", PAIRS[x.pair].outer, PAIRS[x.pair].inner,
             x.inner_second ? " second" : "");
    label_srcs(e, what, srcs, pair_holes(form));
    finish_value(e, pair_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* Pairs of immediate forms: outer(inner(a, K1), K2), each constant also
 * first (then only the commutative ones fuse), for the translator's
 * [a k1][k2 dst] instructions (vm/opfamilies.h WB_IMM_PAIRS) and add of
 * add's constant folding; the constants are edge values (shift counts past
 * 31, all-ones masks, INT_MIN). */
static const struct {
    const char *outer, *inner;
} IPAIRS[] = {
    {"i32.add", "i32.mul"},   {"i32.shr_u", "i32.add"}, {"i32.and", "i32.shr_u"},
    {"i32.shr_u", "i32.and"}, {"i32.shl", "i32.xor"},   {"i32.xor", "i32.shl"},
    {"i32.shr_s", "i32.shl"}, {"i32.add", "i32.add"},
};
#define NIPAIRS (sizeof IPAIRS / sizeof IPAIRS[0])

struct ipair_arg {
    unsigned pair, order;
    const uint8_t *srcs;
};

static node *ipair_core(ectx *e, const void *p)
{
    const struct ipair_arg *x = p;
    const opinfo *outer = op_by_name(IPAIRS[x->pair].outer), *inner = op_by_name(IPAIRS[x->pair].inner);
    node *a = source(e, x->srcs[0], T_I32, 0);
    node *k1 = konst(e, T_I32, 11), *k2 = konst(e, T_I32, 12);
    node *in = x->order & 1 ? mk_op(e->a, inner, k1, a) : mk_op(e->a, inner, a, k1);
    return x->order & 2 ? mk_op(e->a, outer, k2, in) : mk_op(e->a, outer, in, k2);
}

static void ipair_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct ipair_arg x = {form / 4, form % 4, srcs};
    char what[64];
    snprintf(what, sizeof what, "ipair %s(%s%s(%s)%s)", IPAIRS[x.pair].outer, x.order & 2 ? "K, " : "",
             IPAIRS[x.pair].inner, x.order & 1 ? "K, a" : "a, K", x.order & 2 ? "" : ", K");
    label_srcs(e, what, srcs, 1);
    finish_value(e, ipair_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* Addresses of loads and stores. */
/* x-K: an i32.sub of a constant, folded into the access as x + (-K) */
enum addr_shape { A_ADD2, A_SHL, A_ADDK, A_KADD, A_PLAIN, A_ADDK2, A_SUBK, NSHAPES };
static const char *const SHAPE_NAMES[NSHAPES] = {"x+y", "x+(y<<2)", "x+K", "K+x", "x", "(x+K)+K", "x-K"};
static unsigned shape_holes(unsigned shape) { return shape <= A_SHL ? 2 : 1; }

static node *address(ectx *e, unsigned shape, const uint8_t *srcs)
{
    arena *a = e->a;
    node *x = source(e, srcs[0], T_I32, 0);
    switch (shape) {
    case A_ADD2: return mk_opn(a, "i32.add", x, source(e, srcs[1], T_I32, 1));
    case A_SHL:
        return mk_opn(a, "i32.add", x,
                      mk_opn(a, "i32.shl", source(e, srcs[1], T_I32, 1), mk_const(a, T_I32, 2)));
    case A_ADDK: return mk_opn(a, "i32.add", x, addk(e, 4));
    case A_KADD: return mk_opn(a, "i32.add", addk(e, 4), x);
    case A_ADDK2: return mk_opn(a, "i32.add", mk_opn(a, "i32.add", x, addk(e, 4)), addk(e, 5));
    case A_SUBK: return mk_opn(a, "i32.sub", x, addk(e, 6));
    default: return x;
    }
}

/* The last two leave offset + access size past 2^32 for the wider
 * accesses: the fused address forms keep offset + size in 32 bits, so the
 * translator must keep those accesses plain. */
static uint64_t mem_offset(ectx *e)
{
    static const uint64_t offs[] = {0, 0, 0, 4, 8, 16, 65532, 0xFFFFFFF0u, 0xFFFFFFFDu, 0xFFFFFFFFu};
    return offs[(e->variant / 7) % (sizeof offs / sizeof offs[0])];
}

static const opinfo *nth_memop(uint8_t cls, unsigned i)
{
    for (unsigned k = 0; k < NOPS; k++)
        if (OPS[k].cls == cls && i-- == 0)
            return &OPS[k];
    return NULL;
}
#define NLOADS 14
#define NSTORES 9

/* The address for the family's memory: memory 2 is 64-bit (memory64), its
 * address the i32 shape zero-extended (ADDR64's check, then the plain
 * access; the offsets past 2^32 trap there too). */
static node *mem_address(ectx *e, unsigned shape, const uint8_t *srcs)
{
    node *x = address(e, shape, srcs);
    return e->mem == MEM64 ? mk_opn(e->a, "i64.extend_i32_u", x, NULL) : x;
}

struct load_arg {
    const opinfo *op;
    unsigned shape;
    const uint8_t *srcs;
};

static node *load_core(ectx *e, const void *p)
{
    const struct load_arg *x = p;
    node *ld = mk_load(e->a, x->op, mem_offset(e), mem_address(e, x->shape, x->srcs));
    ld->mem = e->mem;
    return ld;
}

static unsigned load_holes(unsigned form) { return shape_holes(form % NSHAPES); }

static void load_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct load_arg x = {nth_memop(OC_LOAD, form / NSHAPES), form % NSHAPES, srcs};
    char what[64];
    snprintf(what, sizeof what, "%s [%s]", x.op->name, SHAPE_NAMES[x.shape]);
    label_srcs(e, what, srcs, load_holes(form));
    finish_value(e, load_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* The same on memory 1 (multi-memory): the address shapes that fuse on
 * memory 0 must stay plain between MEM_USE and MEM_USE0, their operands
 * settled before MEM_USE (vm/README.md "Several memories"). */
static void load1_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    e->mem = 1;
    load_build(e, form, srcs, height, combo);
    label_add(e, " memory 1");
    e->mem = 0;
}

/* A load feeding a multiply-add, add(mul(load, b), c) in every operand
 * order: the fused NAME_MADD forms (vm/opfamilies.h WB_LOAD_MADDS), from a
 * plain load (x) and from an _A one (x + K); the offsets include those whose
 * end passes 2^32 (the load must stay plain, its end kept in 64 bits).
 * Holes: the address, b, c. */
static const char *const LMADD_LOADS[] = {"i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s",
                                          "i32.load16_u"};
#define NLMADD_LOADS (sizeof LMADD_LOADS / sizeof LMADD_LOADS[0])
static const unsigned LMADD_SHAPES[] = {A_PLAIN, A_ADDK};
#define NLMADD (NLMADD_LOADS * 2 * 4)

struct lmadd_arg {
    unsigned load, shape, order;
    const uint8_t *srcs;
};

static node *lmadd_core(ectx *e, const void *p)
{
    const struct lmadd_arg *x = p;
    arena *a = e->a;
    node *ld = mk_load(a, op_by_name(LMADD_LOADS[x->load]), mem_offset(e), address(e, x->shape, x->srcs));
    node *b = source(e, x->srcs[1], T_I32, 1), *c = source(e, x->srcs[2], T_I32, 2);
    node *mul = x->order & 1 ? mk_opn(a, "i32.mul", b, ld) : mk_opn(a, "i32.mul", ld, b);
    return x->order & 2 ? mk_opn(a, "i32.add", c, mul) : mk_opn(a, "i32.add", mul, c);
}

static unsigned three_holes(unsigned form) { (void)form; return 3; }

static void lmadd_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct lmadd_arg x = {form / 8, LMADD_SHAPES[(form / 4) % 2], form % 4, srcs};
    char what[80];
    snprintf(what, sizeof what, "lmadd add(%smul(%s%s [%s]%s)%s)", x.order & 2 ? "c, " : "",
             x.order & 1 ? "b, " : "", LMADD_LOADS[x.load], SHAPE_NAMES[x.shape],
             x.order & 1 ? "" : ", b", x.order & 2 ? "" : ", c");
    label_srcs(e, what, srcs, 3);
    finish_value(e, lmadd_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* An f64.load feeding f64 add, sub or mul, the loaded value as the first
 * or the second operand: the fused F64_LOAD_* forms (vm/opfamilies.h
 * WB_LOAD_F64_OPS), from a plain load (x), an _A one (x + K) and x - K; the
 * offsets include those whose end passes 2^32 (the load stays plain and
 * traps). Holes: the address, b (an f64). The memory's random bytes hold
 * NaNs now and then, the constants NaNs with payloads (the operand order
 * of the NaN rule). */
static const char *const LF64_OPS[] = {"f64.add", "f64.sub", "f64.mul"};
static const unsigned LF64_SHAPES[] = {A_PLAIN, A_ADDK, A_SUBK};
#define NLF64 (3 * 2 * 3)

struct lf64_arg {
    unsigned op, shape, second;
    const uint8_t *srcs;
};

static node *lf64_core(ectx *e, const void *p)
{
    const struct lf64_arg *x = p;
    arena *a = e->a;
    node *ld = mk_load(a, op_by_name("f64.load"), mem_offset(e), address(e, x->shape, x->srcs));
    node *b = source(e, x->srcs[1], T_F64, 1);
    return x->second ? mk_opn(a, LF64_OPS[x->op], b, ld) : mk_opn(a, LF64_OPS[x->op], ld, b);
}

static uint8_t f64_type(unsigned form) { (void)form; return T_F64; }

/* The eighth session's nbody forms, after fload's own (forms NLF64_OPS
 * on): an f64 location updated by a product of three, stored back where it
 * was loaded (vm/opfamilies.h WB_F64_RMW_NBODY2), and a quotient by a
 * product with a square root (WB_F64_SQRT_NBODY2). */
#define NLF64_OPS NLF64
#define NFRMW (2 * 2 * 4)
#define NFSQRT 4

/* store(addr, load(addr) op p) or store(addr, p op load(addr)), p = (x *
 * K) * d: the load first is f64.load, F64_MUL3, the add or sub
 * (F64_RMW_ADD_MUL3, F64_RMW_SUB_MUL3); the product first is F64_MUL3,
 * then the load fused with the op (F64_RMW_RADD_MUL3, F64_RMW_RSUB_MUL3).
 * The address as `x`, `x+K`, `x-K` (each computed twice, as clang does:
 * the same slot or pending x + K) or nbody's `local.tee n (x-K)` for the
 * store, `local.get n` for the load; offsets as `load` (past 2^32 the
 * accesses stay plain and trap). Holes: the address, x (an f64: a fresh
 * one keeps the product from being F64_MUL3, the plain instructions then).
 * The stored value is read back. */
static const char *const FRMW_SHAPES[] = {"x", "x+K", "x-K", "tee x-K"};

static void frmw_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    static const unsigned shapes[] = {A_PLAIN, A_ADDK, A_SUBK, A_SUBK};
    unsigned op = form / 8, prod_first = (form / 4) % 2, shape = form % 4;
    arena *a = e->a;
    const char *opname = op ? "f64.sub" : "f64.add";
    char what[80];
    snprintf(what, sizeof what, "fload rmw %s(%s) [%s]", opname, prod_first ? "p, load" : "load, p",
             FRMW_SHAPES[shape]);
    label_srcs(e, what, srcs, 2);
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    uint64_t off = mem_offset(e);
    uint32_t n = shape == 3 ? new_local(e, T_I32) : 0;
    node *sa = address(e, shapes[shape], srcs);
    if (shape == 3)
        sa = mk_tee(a, e->f, n, sa);
    node *la = shape == 3 ? lget(e, n) : address(e, shapes[shape], srcs);
    node *p = mk_opn(a, "f64.mul", mk_opn(a, "f64.mul", source(e, srcs[1], T_F64, 1), konst(e, T_F64, 1)),
                     lget(e, decl_of(e, T_F64)));
    node *ld = mk_load(a, op_by_name("f64.load"), off, la);
    node *v = prod_first ? mk_opn(a, opname, p, ld) : mk_opn(a, opname, ld, p);
    node *st = mk_store(a, op_by_name("f64.store"), off, sa, v);
    node *back = mk_load(a, op_by_name("f64.load"), off, address(e, shapes[shape], srcs));
    assemble(e, prefix, np, mk_seq2(a, st, back));
    label_add(e, " h=%u", height);
}

/* c / (x * sqrt(y)): F64_RMDIV_SQRT, y the hole or nbody's `local.tee n
 * x` then `local.get n` (the same local); and two orders it does not take:
 * sqrt(y) * x (the square root first), (x * sqrt(y)) / c. Holes: x, y
 * (f64s); c an edge constant. */
struct fsqrt_arg {
    unsigned form;
    const uint8_t *srcs;
};

static node *fsqrt_core(ectx *e, const void *p)
{
    const struct fsqrt_arg *x = p;
    arena *a = e->a;
    node *c = konst(e, T_F64, 2), *m;
    if (x->form == 1) {
        uint32_t n = new_local(e, T_F64);
        m = mk_opn(a, "f64.mul", mk_tee(a, e->f, n, source(e, x->srcs[0], T_F64, 0)),
                   mk_opn(a, "f64.sqrt", lget(e, n), NULL));
    } else {
        node *r = mk_opn(a, "f64.sqrt", source(e, x->srcs[1], T_F64, 1), NULL);
        node *f = source(e, x->srcs[0], T_F64, 0);
        m = x->form == 2 ? mk_opn(a, "f64.mul", r, f) : mk_opn(a, "f64.mul", f, r);
    }
    return x->form == 3 ? mk_opn(a, "f64.div", m, c) : mk_opn(a, "f64.div", c, m);
}

static void fsqrt_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    static const char *const names[] = {"c / (x * sqrt(y))", "c / (tee n x * sqrt(n))",
                                        "c / (sqrt(y) * x)", "(x * sqrt(y)) / c"};
    struct fsqrt_arg x = {form, srcs};
    char what[80];
    snprintf(what, sizeof what, "fload sqrt %s", names[form]);
    label_srcs(e, what, srcs, 2);
    finish_value(e, fsqrt_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* nbody's inner loop body as clang -O2 emits it (bench/workloads/nbody.c
 * `advance`), straight-line: its translation is the eighth session's
 * joined pairs (vm/opfamilies.h WB_JOINS_NBODY2) between the fused forms
 * above. a (a->vx's address) and p (b's, at its mass) from the holes,
 * masked into the memory (form 0) or as they are (form 1: the accesses
 * trap now and then, each at its own load); a->x, a->y, a->z and a->mass
 * an f64 parameter, an edge constant, the declared f64 and their sum. The
 * result is mag; the memory the updates wrote is compared too. */
#define NFNBODY 3

/* Form 2: `advance`'s position updates, `x += dt * vx` for three
 * coordinates (F64_LOAD_MUL, F64_LOAD_RADD, f64.store: WB_JOINS3_NBODY2),
 * the first at constant addresses as clang unrolls them, the others at
 * the hole x (masked) + 0 / + 8 and + 24 / + 32, the second hole the
 * first's vx. The result is the last coordinate read back. */
static void fpos_build(ectx *e, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    arena *a = e->a;
    label_srcs(e, "fload nbody positions", srcs, 2);
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    uint32_t b = new_local(e, T_I32);
    node *dt = konst(e, T_F64, 4), *all[6];
    node *x = mk_opn(a, "i32.add", mk_opn(a, "i32.and", source(e, srcs[0], T_I32, 0), mk_const(a, T_I32, 0x7ff8)),
                     mk_const(a, T_I32, 64));
    unsigned n = 0;
    all[n++] = mk_lset(a, b, x);
    all[n++] = mk_store(a, op_by_name("f64.store"), 0, mk_const(a, T_I32, 1000),
                        mk_opn(a, "f64.add",
                               mk_opn(a, "f64.mul", mk_load(a, op_by_name("f64.load"), 24,
                                                            mk_opn(a, "i32.and", source(e, srcs[1], T_I32, 1),
                                                                   mk_const(a, T_I32, 0x7ff8))),
                                      dt),
                               mk_load(a, op_by_name("f64.load"), 0, mk_const(a, T_I32, 1000))));
    for (unsigned i = 0; i < 2; i++)
        all[n++] = mk_store(a, op_by_name("f64.store"), 8 * i, lget(e, b),
                            mk_opn(a, "f64.add",
                                   mk_opn(a, "f64.mul", mk_load(a, op_by_name("f64.load"), 24 + 8 * i, lget(e, b)),
                                          konst(e, T_F64, 4)),
                                   mk_load(a, op_by_name("f64.load"), 8 * i, lget(e, b))));
    all[n++] = mk_load(a, op_by_name("f64.load"), 8, lget(e, b));
    assemble(e, prefix, np, mk_seq(a, T_F64, 1, n, all));
    label_add(e, " h=%u", height);
}

static void fnbody_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    if (form == 2) {
        fpos_build(e, srcs, height, combo);
        return;
    }
    arena *a = e->a;
    char what[80];
    snprintf(what, sizeof what, "fload nbody inner loop%s", form ? " (addresses unmasked)" : "");
    label_srcs(e, what, srcs, 2);
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    uint32_t va = new_local(e, T_I32), vb = new_local(e, T_I32), vc = new_local(e, T_I32);
    uint32_t p = new_local(e, T_I32), q = new_local(e, T_I32);
    uint32_t ax = new_local(e, T_F64), ay = new_local(e, T_F64), az = new_local(e, T_F64);
    uint32_t am = new_local(e, T_F64), m = new_local(e, T_F64), dx = new_local(e, T_F64);
    uint32_t dy = new_local(e, T_F64), dz = new_local(e, T_F64), mag = new_local(e, T_F64);
    node *x = source(e, srcs[0], T_I32, 0), *y = source(e, srcs[1], T_I32, 1);
    if (!form) {
        x = mk_opn(a, "i32.add", mk_opn(a, "i32.and", x, mk_const(a, T_I32, 0x7ff8)), mk_const(a, T_I32, 64));
        y = mk_opn(a, "i32.add", mk_opn(a, "i32.and", y, mk_const(a, T_I32, 0x7ff8)), mk_const(a, T_I32, 64));
    }
#define F(op, l, r) mk_opn(a, op, l, r)
#define G(l) lget(e, l)
#define LD(addr) mk_load(a, op_by_name("f64.load"), 0, addr)
#define BACK(k) F("i32.sub", G(p), mk_const(a, T_I32, k))
    node *d2 = F("f64.add", F("f64.mul", mk_tee(a, e->f, dz, F("f64.sub", G(ay), LD(BACK(32)))), G(dz)),
                 F("f64.add", F("f64.mul", G(dx), G(dx)),
                   F("f64.mul", mk_tee(a, e->f, dy, F("f64.sub", G(az), LD(BACK(40)))), G(dy))));
    node *mg = mk_tee(a, e->f, mag,
                      F("f64.div", mk_const(a, T_F64, 0x3f847ae147ae147bull),
                        F("f64.mul", mk_tee(a, e->f, mag, d2), F("f64.sqrt", G(mag), NULL))));
    node *mdx = F("f64.mul", mk_tee(a, e->f, m, LD(G(p))), mk_tee(a, e->f, dx, F("f64.sub", G(ax), LD(BACK(48)))));
    node *upd[6];
    upd[0] = mk_store(a, op_by_name("f64.store"), 0, G(va), F("f64.sub", LD(G(va)), F("f64.mul", mdx, mg)));
    static const uint32_t d_of[3] = {1, 2, 0}; /* dy, dz, dx */
    uint32_t dl[3] = {dx, dy, dz}, vl[3] = {va, vb, vc};
    for (unsigned i = 1; i < 3; i++)
        upd[i] = mk_store(a, op_by_name("f64.store"), 0, G(vl[i]),
                          F("f64.sub", LD(G(vl[i])), F("f64.mul", F("f64.mul", G(m), G(dl[d_of[i - 1]])), G(mag))));
    for (unsigned i = 0; i < 3; i++)
        upd[3 + i] = mk_store(a, op_by_name("f64.store"), 0, mk_tee(a, e->f, q, BACK(24 - 8 * i)),
                              F("f64.add", F("f64.mul", F("f64.mul", G(am), G(dl[i])), G(mag)), LD(G(q))));
    node *all[16];
    unsigned n = 0;
    all[n++] = mk_lset(a, va, x);
    all[n++] = mk_lset(a, vb, F("i32.add", G(va), mk_const(a, T_I32, 8)));
    all[n++] = mk_lset(a, vc, F("i32.add", G(va), mk_const(a, T_I32, 16)));
    all[n++] = mk_lset(a, p, y);
    all[n++] = mk_lset(a, ax, G(2));
    all[n++] = mk_lset(a, ay, konst(e, T_F64, 3));
    all[n++] = mk_lset(a, az, G(decl_of(e, T_F64)));
    all[n++] = mk_lset(a, am, F("f64.add", F("f64.add", G(ax), G(ay)), G(az)));
    for (unsigned i = 0; i < 6; i++)
        all[n++] = upd[i];
    all[n++] = mk_lset(a, p, F("i32.add", G(p), mk_const(a, T_I32, 56)));
    all[n++] = F("f64.add", G(mag), F("f64.convert_i32_u", G(p), NULL));
#undef F
#undef G
#undef LD
#undef BACK
    assemble(e, prefix, np, mk_seq(a, T_F64, 1, n, all));
    label_add(e, " h=%u", height);
}

static void lf64_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    if (form >= NLF64_OPS + NFRMW + NFSQRT) {
        fnbody_build(e, form - NLF64_OPS - NFRMW - NFSQRT, srcs, height, combo);
        return;
    }
    if (form >= NLF64_OPS + NFRMW) {
        fsqrt_build(e, form - NLF64_OPS - NFRMW, srcs, height, combo);
        return;
    }
    if (form >= NLF64_OPS) {
        frmw_build(e, form - NLF64_OPS, srcs, height, combo);
        return;
    }
    struct lf64_arg x = {form / 6, LF64_SHAPES[(form / 2) % 3], form % 2, srcs};
    char what[80];
    snprintf(what, sizeof what, "fload %s(%sf64.load [%s]%s)", LF64_OPS[x.op], x.second ? "b, " : "",
             SHAPE_NAMES[x.shape], x.second ? "" : ", b");
    label_srcs(e, what, srcs, 2);
    finish_value(e, lf64_core, &x, height, combo, (unsigned)(combo % NSINK));
}

/* Stores: address holes, then the value hole; the stored location is read
 * back (through a copy of the address) as the result. */
static unsigned store_holes(unsigned form) { return shape_holes(form % NSHAPES) + 1; }

static void store_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    const opinfo *op = nth_memop(OC_STORE, form / NSHAPES);
    unsigned shape = form % NSHAPES, na = shape_holes(shape);
    char what[64];
    snprintf(what, sizeof what, "%s [%s]", op->name, SHAPE_NAMES[shape]);
    label_srcs(e, what, srcs, na + 1);
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    uint64_t off = mem_offset(e);
    node *st = mk_store(e->a, op, off, mem_address(e, shape, srcs), source(e, srcs[na], op->b, 2));
    /* read back: the natural load of the value type at the same address,
     * recomputed from the same sources */
    node *back = mk_load(e->a, natural_load(op->b), off, mem_address(e, shape, srcs));
    st->mem = back->mem = e->mem;
    assemble(e, prefix, np, mk_seq2(e->a, st, back));
    label_add(e, " h=%u", height);
}

static void store1_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    e->mem = 1;
    store_build(e, form, srcs, height, combo);
    label_add(e, " memory 1");
    e->mem = 0;
}

/* The same on memory 2, 64-bit (memory64). */
static void load64_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    e->mem = MEM64;
    load_build(e, form, srcs, height, combo);
    label_add(e, " memory 2 (i64)");
    e->mem = 0;
}

static void store64_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    e->mem = MEM64;
    store_build(e, form, srcs, height, combo);
    label_add(e, " memory 2 (i64)");
    e->mem = 0;
}

/* Compare-and-branch: every i32/i64 comparison, eqz, and the i32
 * immediate comparisons, feeding br_if (plain, carrying a value past an
 * extra one, to the function), if (with and without else) and a loop's
 * back edge. */
enum bctx { B_BRIF, B_BRIF_MOVE, B_BRIF_RET, B_IF, B_IF_NOELSE, B_LOOP, NBCTX };
static const char *const BCTX_NAMES[NBCTX] = {"br_if", "br_if-move", "br_if-return", "if-else",
                                              "if", "loop"};
static const char *const CMP_OPS[] = {
    "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u", "i32.le_s", "i32.le_u",
    "i32.ge_s", "i32.ge_u", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u",
    "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u", "i32.eqz", "i64.eqz", "f64.lt",
};
#define NCMP (sizeof CMP_OPS / sizeof CMP_OPS[0])
/* Loads a branch tests (the load-and-branch fusion, vm/opfamilies.h
 * WB_LOAD_BRANCHES): the loaded value itself, eqz of it, each also through
 * a local.tee of a new local that the pattern's value then adds in (so the
 * value the fused load writes is checked too). */
static const char *const LOADBR_OPS[] = {"i32.load", "i32.load8_u"};
enum { LB_PLAIN, LB_EQZ, LB_TEE, LB_TEE_EQZ, NLBKIND };
#define NLOADBR (2 * NLBKIND)
/* And with a constant (second or first) as the condition: the bit-test
 * branch BR_AND_NZ / BR_AND_Z. */
#define NANDBR 2
/* forms: (NCMP + 10 immediate-second + 10 immediate-first + load
 * conditions + and conditions) x NBCTX */
#define NCMPFORMS (NCMP + 20 + NLOADBR + NANDBR)

static unsigned branch_holes(unsigned form)
{
    unsigned c = form / NBCTX;
    if (c >= NCMP)
        return 1;
    return op_by_name(CMP_OPS[c])->cls == OC_UN ? 1 : 2;
}

static node *cmp_node(ectx *e, unsigned c, const uint8_t *srcs, char *what, size_t len,
                      uint32_t *tee_local)
{
    if (c >= NCMP + 20 + NLOADBR) {
        bool first = c - NCMP - 20 - NLOADBR == 1;
        snprintf(what, len, "i32.and%s", first ? " K-first" : " K");
        node *s = source(e, srcs[0], T_I32, 0), *k = konst(e, T_I32, 1);
        return first ? mk_opn(e->a, "i32.and", k, s) : mk_opn(e->a, "i32.and", s, k);
    }
    if (c >= NCMP + 20) {
        unsigned i = c - NCMP - 20, kind = i % NLBKIND;
        static const char *const kinds[NLBKIND] = {"", " eqz", " tee", " tee eqz"};
        const opinfo *op = op_by_name(LOADBR_OPS[i / NLBKIND]);
        snprintf(what, len, "%s%s", op->name, kinds[kind]);
        node *v = mk_load(e->a, op, mem_offset(e), source(e, srcs[0], T_I32, 0));
        if (kind == LB_TEE || kind == LB_TEE_EQZ) {
            *tee_local = new_local(e, T_I32);
            v = mk_tee(e->a, e->f, *tee_local, v);
        }
        return kind == LB_EQZ || kind == LB_TEE_EQZ ? mk_opn(e->a, "i32.eqz", v, NULL) : v;
    }
    if (c >= NCMP) {
        unsigned i = (c - NCMP) % 10;
        bool first = c - NCMP >= 10;
        const opinfo *op = op_by_name(CMP_OPS[i]);
        snprintf(what, len, "%s%s", op->name, first ? " K-first" : " K");
        node *s = source(e, srcs[0], T_I32, 0), *k = konst(e, T_I32, 1);
        return first ? mk_op(e->a, op, k, s) : mk_op(e->a, op, s, k);
    }
    const opinfo *op = op_by_name(CMP_OPS[c]);
    snprintf(what, len, "%s", op->name);
    node *x = source(e, srcs[0], op->a, 0);
    return op->cls == OC_UN ? mk_op(e->a, op, x, NULL) : mk_op(e->a, op, x, source(e, srcs[1], op->a, 1));
}

/* The condition `cmp` in branch context `ctx`, after the prefix for
 * `height`; tee_local (or UINT32_MAX) is added into the value. */
static void branch_finish(ectx *e, unsigned ctx, node *cmp, uint32_t tee_local, node *const *prefix,
                          unsigned np, unsigned height, uint64_t combo)
{
    arena *a = e->a;
    node *main = NULL;
    switch (ctx) {
    case B_BRIF: {
        /* block (br_if 0 cmp) (global.set g0 7) end; global.get g0 */
        node *b = mk(a, N_BLOCK, T_NONE, 0, 1);
        b->lid = e->next_lid++;
        b->kids[0] = mk_seq2(a, brif(e, b->lid, 0, NULL, cmp), mk_gset(a, 0, mk_const(a, T_I32, 7)));
        main = mk_seq2(a, b, mk_gget(a, 0));
        break;
    }
    case B_BRIF_MOVE: {
        /* block (result i32) x (br_if 0 (v) cmp) i32.sub end: v moves over x */
        node *b = mk(a, N_BLOCK, T_I32, 1, 1);
        b->lid = e->next_lid++;
        node *v = source(e, (unsigned)((combo + 1) % NSRC), T_I32, 2);
        node *x = lget(e, 1);
        b->kids[0] = mk_opn(a, "i32.sub", x, brif(e, b->lid, 1, &v, cmp));
        main = b;
        break;
    }
    case B_BRIF_RET: {
        /* (br_if <function> (i32.const 77) cmp) then the fall-through value */
        node *v = mk_const(a, T_I32, 77);
        node *brr = brif(e, FUNC_LID, 1, &v, cmp);
        main = mk_seq2(a, mk_drop(a, brr), lget(e, 0));
        /* with a prefix the function's label has extra values below: the
         * branch must move its value to the frame's result slot */
        break;
    }
    case B_IF:
    case B_IF_NOELSE: {
        node *n = mk(a, N_IF, ctx == B_IF ? T_I32 : T_NONE, ctx == B_IF, ctx == B_IF ? 3 : 2);
        n->lid = e->next_lid++;
        n->kids[0] = cmp;
        if (ctx == B_IF) {
            n->flag = 1;
            n->kids[1] = source(e, (unsigned)((combo + 2) % NSRC), T_I32, 3);
            n->kids[2] = mk_const(a, T_I32, 6);
            main = n;
        } else {
            n->kids[1] = mk_gset(a, 0, mk_const(a, T_I32, 3));
            main = mk_seq2(a, n, mk_gget(a, 0));
        }
        break;
    }
    case B_LOOP: {
        /* block $out loop $l (br_if $out (eqz (tee c (c - 1)))) p0 += 1; (br_if $l cmp) end end
         * with c = 5 first: the comparison is the back edge, the counter
         * bounds it */
        uint32_t c = new_local(e, T_I32);
        node *out = mk(a, N_BLOCK, T_NONE, 0, 1), *loop = mk(a, N_LOOP, T_NONE, 0, 1);
        out->lid = e->next_lid++;
        loop->lid = e->next_lid++;
        node *dec = mk_tee(a, e->f, c, mk_opn(a, "i32.sub", lget(e, c), mk_const(a, T_I32, 1)));
        node *items[3] = {
            brif(e, out->lid, 0, NULL, mk_opn(a, "i32.eqz", dec, NULL)),
            mk_lset(a, 0, mk_opn(a, "i32.add", lget(e, 0), mk_const(a, T_I32, 1))),
            brif(e, loop->lid, 0, NULL, cmp),
        };
        loop->kids[0] = mk_seq(a, T_NONE, 0, 3, items);
        out->kids[0] = loop;
        node *all[3] = {mk_lset(a, c, mk_const(a, T_I32, 5)), out, lget(e, c)};
        main = mk_seq(a, T_I32, 1, 3, all);
        break;
    }
    }
    /* every context's value is an i32: add in what the tee wrote */
    if (tee_local != UINT32_MAX)
        main = mk_opn(a, "i32.add", main, lget(e, tee_local));
    assemble(e, prefix, np, main);
    label_add(e, " h=%u", height);
}

static void branch_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    unsigned ctx = form % NBCTX;
    char what[64], op[40];
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    uint32_t tee_local = UINT32_MAX;
    node *cmp = cmp_node(e, form / NBCTX, srcs, op, sizeof op, &tee_local);
    snprintf(what, sizeof what, "branch %s %s", op, BCTX_NAMES[ctx]);
    label_srcs(e, what, srcs, branch_holes(form));
    branch_finish(e, ctx, cmp, tee_local, prefix, np, height, combo);
}

/* A load compared with another value as a branch's condition, in every
 * branch context: the fused NAME_BRC_CMP forms (vm/opfamilies.h
 * WB_LOAD_CMP_BRANCHES), the loaded value first or second (the translator
 * swaps the comparison), from a plain load (x) or one at x + K, by form.
 * Holes: the address, the other operand. */
static const char *const LCB_LOADS[] = {"i32.load", "i32.load8_u", "i32.load16_s", "i32.load16_u"};
#define NLCB_LOADS (sizeof LCB_LOADS / sizeof LCB_LOADS[0])
#define NLCB (NLCB_LOADS * 10 * 2 * NBCTX)

static void lcmpbr_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    unsigned ctx = form % NBCTX, rest = form / NBCTX;
    bool second = rest % 2;
    const opinfo *cmp_op = op_by_name(CMP_OPS[(rest / 2) % 10]);
    const char *load = LCB_LOADS[rest / 20];
    unsigned shape = (form / 7) % 2 ? A_ADDK : A_PLAIN; /* both shapes across contexts */
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    node *ld = mk_load(e->a, op_by_name(load), mem_offset(e), address(e, shape, srcs));
    node *other = source(e, srcs[1], T_I32, 1);
    node *cmp = second ? mk_op(e->a, cmp_op, other, ld) : mk_op(e->a, cmp_op, ld, other);
    char what[96];
    snprintf(what, sizeof what, "lcmpbr %s(%s%s [%s]%s) %s", cmp_op->name, second ? "b, " : "", load,
             SHAPE_NAMES[shape], second ? "" : ", b", BCTX_NAMES[ctx]);
    label_srcs(e, what, srcs, 2);
    branch_finish(e, ctx, cmp, UINT32_MAX, prefix, np, height, combo);
}

/* Branches that move values: br, br_if and br_table to a block, a loop
 * (its parameters), an if and the function, carrying 0..2 values over
 * 0..2 extra values. */
enum mtarget { M_BLOCK, M_LOOP, M_IF, M_FUNC, NMTARGET };
enum mkind { M_BR, M_BRIF, M_BRTABLE, NMKIND };
static const char *const MT_NAMES[NMTARGET] = {"block", "loop", "if", "function"};
static const char *const MK_NAMES[NMKIND] = {"br", "br_if", "br_table"};
#define NMOVEFORMS (NMTARGET * NMKIND * 3 * 3)

static unsigned one_hole(unsigned form) { (void)form; return 1; }

/* With `nkeep` values of t on top of values of the types below[0..nbelow)
 * (below[nbelow - 1] just under them): appends to items what moves the top
 * values to new locals, folds the others into g1 and puts the top values
 * back; returns how many items. */
static unsigned keep_fold(ectx *e, node **items, unsigned nkeep, uint8_t t, unsigned nbelow,
                          const uint8_t *below)
{
    uint32_t keep[2];
    unsigned n = 0;
    for (unsigned i = nkeep; i-- > 0;) {
        keep[i] = new_local(e, t);
        items[n++] = mk_lset(e->a, keep[i], mk(e->a, N_ONSTACK, t, 1, 0));
    }
    for (unsigned i = nbelow; i-- > 0;)
        items[n++] = fold(e, below[i]);
    for (unsigned i = 0; i < nkeep; i++)
        items[n++] = lget(e, keep[i]);
    return n;
}

/* A branch of kind k to lid carrying vals, taken when cond (br_if) or when
 * idx selects it (br_table: [lid, other, lid], default other). */
static node *branch(ectx *e, unsigned k, uint32_t lid, uint32_t other, unsigned arity, node *const *vals,
                    node *cond)
{
    arena *a = e->a;
    if (k == M_BRIF)
        return brif(e, lid, arity, vals, cond);
    node *b = mk(a, k == M_BR ? N_BR : N_BRTABLE, T_ANY, 0, arity + (k == M_BRTABLE));
    b->idx = lid;
    for (unsigned i = 0; i < arity; i++)
        b->kids[i] = vals[i];
    if (k == M_BRTABLE) {
        b->kids[arity] = cond;
        b->ntargets = 4;
        b->targets = arena_alloc(a, 4 * sizeof *b->targets);
        b->targets[0] = lid;
        b->targets[1] = other;
        b->targets[2] = lid;
        b->targets[3] = other;
    }
    return b;
}

static void move_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    arena *a = e->a;
    unsigned extra = form % 3, arity = (form / 3) % 3, kind = (form / 9) % NMKIND,
             target = form / (9 * NMKIND);
    uint8_t t = e->T;
    char what[64];
    snprintf(what, sizeof what, "move %s to %s arity %u extra %u", MK_NAMES[kind], MT_NAMES[target],
             arity, extra);
    label_srcs(e, what, srcs, 1);
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    node *vals[2], *extras[2];
    for (unsigned i = 0; i < arity; i++)
        vals[i] = source(e, i ? (unsigned)((combo + 4) % NSRC) : srcs[0], t, i);
    for (unsigned i = 0; i < extra; i++)
        extras[i] = source(e, (unsigned)((combo + 7 + i) % NSRC), T_I32, i + 2);
    /* cond / index: p1 (3 in vector 0: br_table picks `other`) */
    node *cond = lget(e, 1);
    node *main;
    if (target == M_FUNC) {
        /* a branch to the function carries its results: at least one value
         * (no values would need a void function; M_BLOCK covers arity 0) */
        if (arity == 0) {
            arity = 1;
            vals[0] = source(e, srcs[0], t, 0);
        }
        node *body[48];
        uint8_t below[8];
        unsigned nb = 0, nbelow = 0;
        node *br = branch(e, kind, FUNC_LID, FUNC_LID, arity, vals, cond);
        for (unsigned i = 0; i < e->npro; i++)
            body[nb++] = e->pro[i];
        for (unsigned i = 0; i < np; i++) {
            body[nb++] = prefix[i];
            below[nbelow++] = prefix[i]->type;
        }
        for (unsigned i = 0; i < extra; i++) {
            body[nb++] = extras[i];
            below[nbelow++] = T_I32;
        }
        body[nb++] = br;
        /* br_if falls through with its values on top of all the others */
        if (kind == M_BRIF)
            nb += keep_fold(e, body + nb, arity, t, nbelow, below);
        e->f->nres = (uint8_t)arity;
        e->f->rtype = t;
        e->f->body = mk_seq(a, kind == M_BRIF ? t : T_ANY, (uint8_t)arity, nb, body);
        label_add(e, " h=%u", height);
        return;
    }
    /* blocks: an outer block $o with the same arity gives br_table its
     * second target */
    node *o = mk(a, N_BLOCK, arity ? t : T_NONE, (uint8_t)arity, 1);
    o->lid = e->next_lid++;
    node *inner;
    uint32_t lid = e->next_lid++;
    uint32_t c = 0;
    if (target == M_LOOP) {
        /* c = 3; vals loop (param t^arity) (result t^arity) extras
         *   [fold params] ... branch to loop while (tee c (c-1)) ... */
        c = new_local(e, T_I32);
        inner = mk(a, N_LOOP, arity ? t : T_NONE, (uint8_t)arity, arity ? 2 : 1);
    } else if (target == M_IF) {
        inner = mk(a, N_IF, arity ? t : T_NONE, (uint8_t)arity, 3);
        inner->flag = 1;
    } else {
        inner = mk(a, N_BLOCK, arity ? t : T_NONE, (uint8_t)arity, 1);
    }
    inner->lid = lid;
    /* the inner body: extras, values, the branch, then what falls through */
    node *body[16];
    unsigned nb = 0;
    if (target == M_LOOP && arity) {
        /* the parameters: fold them away first (they are on the stack) */
        inner->nparams = (uint8_t)arity;
        inner->ptype = t;
        for (unsigned i = 0; i < arity; i++)
            body[nb++] = fold(e, t);
    }
    for (unsigned i = 0; i < extra; i++)
        body[nb++] = extras[i];
    node *bcond = cond;
    if (target == M_LOOP) {
        /* the counter, tested plainly or by a comparison (then fused into
         * the back edge) */
        node *dec = mk_tee(a, e->f, c, mk_opn(a, "i32.sub", lget(e, c), mk_const(a, T_I32, 1)));
        if (kind == M_BRTABLE)
            bcond = mk_opn(a, "i32.and", dec, mk_const(a, T_I32, 1));
        else
            bcond = combo % 2 ? mk_opn(a, "i32.gt_s", dec, mk_const(a, T_I32, 0)) : dec;
    }
    if (kind == M_BR && target == M_LOOP) {
        /* unconditional: only while the counter lasts */
        node *arm = mk(a, N_IF, T_NONE, 0, 2);
        arm->lid = e->next_lid++;
        arm->kids[0] = bcond;
        arm->kids[1] = branch(e, kind, lid, o->lid, arity, vals, NULL);
        body[nb++] = arm;
        for (unsigned i = 0; i < arity; i++)
            body[nb++] = source(e, srcs[0], t, i);
    } else if (kind == M_BR && target != M_LOOP) {
        body[nb++] = branch(e, kind, lid, o->lid, arity, vals, NULL);
    } else {
        body[nb++] = branch(e, kind, lid, o->lid, arity, vals, bcond);
    }
    /* what falls through (br_if, or the loop's counted br): keep the
     * values, fold the extras */
    if (kind == M_BRIF || (kind == M_BR && target == M_LOOP)) {
        static const uint8_t i32s[2] = {T_I32, T_I32};
        nb += keep_fold(e, body + nb, arity, t, extra, i32s);
    }
    node *seq = mk_seq(a, arity ? t : T_NONE, (uint8_t)arity, nb, body);
    if (target == M_LOOP) {
        /* loop params: the initial values come from before the loop */
        if (arity) {
            node *init[2];
            for (unsigned i = 0; i < arity; i++)
                init[i] = source(e, (unsigned)((combo + 9 + i) % NSRC), t, i + 1);
            inner->kids[0] = arity == 1 ? init[0] : mk_seq(a, t, 2, 2, init);
            inner->kids[1] = seq;
        } else {
            inner->kids[0] = seq;
        }
    } else if (target == M_IF) {
        /* if (p0) then body else values end */
        inner->kids[0] = lget(e, 0);
        inner->kids[1] = seq;
        node *ev[2];
        for (unsigned i = 0; i < arity; i++)
            ev[i] = mk_const(a, t == T_I32 ? T_I32 : t, 0x40 + i);
        inner->kids[2] = mk_seq(a, arity ? t : T_NONE, (uint8_t)arity, arity, ev);
    } else {
        inner->kids[0] = seq;
    }
    /* $o: inner, then (if the inner block leaves values) they fall out */
    o->kids[0] = inner;
    node *mitems[4];
    unsigned nm = 0;
    if (target == M_LOOP)
        mitems[nm++] = mk_lset(a, c, mk_const(a, T_I32, 3));
    mitems[nm++] = o;
    if (arity == 2) {
        uint32_t k2 = new_local(e, t);
        mitems[nm++] = mk_lset(a, k2, mk(a, N_ONSTACK, t, 1, 0));
        mitems[nm++] = mk_op(a, typed_op(t, t == T_I32 || t == T_I64 ? "xor" : "add"),
                             mk(a, N_ONSTACK, t, 1, 0), lget(e, k2));
    } else if (arity == 0) {
        mitems[nm++] = mk_gget(a, 1);
    }
    main = mk_seq(a, arity ? t : T_I64, 1, nm, mitems);
    assemble(e, prefix, np, main);
    label_add(e, " h=%u", height);
}

/* local.set / local.tee retargeting: producers of every kind written to
 * locals that are (or are not) their operands or read lazily below. */
enum producer { P_BIN, P_IMM, P_PENDING, P_LOADA, P_LOADX, P_MADD, P_ADD3, P_GLOBAL, P_SELECT,
                P_CALL, P_CMP, P_FMADD, P_I64, NPROD };
static const char *const PROD_NAMES[NPROD] = {"sub", "shl-K", "add-K", "load[x+K]", "load[x+y]",
                                              "madd", "add3", "global", "select", "call", "lt_s",
                                              "f64-madd", "i64.mul"};
enum ltarget { L_PARAM0, L_PARAM1, L_DECL, L_TEEL, L_NEW, L_READ, NLTARGET };
static const char *const LT_NAMES[NLTARGET] = {"param0", "param1", "decl", "tee-local", "new",
                                               "read-below"};
#define NLOCALFORMS (NPROD * NLTARGET * 2)

static node *producer(ectx *e, unsigned p, const uint8_t *srcs)
{
    arena *a = e->a;
    uint8_t t = p == P_FMADD ? T_F64 : p == P_I64 ? T_I64 : T_I32;
    node *x = source(e, srcs[0], t, 0), *y = source(e, srcs[1], t, 1);
    switch (p) {
    case P_BIN: return mk_opn(a, "i32.sub", x, y);
    case P_IMM: return mk_opn(a, "i32.shl", x, mk_const(a, T_I32, 3));
    case P_PENDING: return mk_opn(a, "i32.add", x, addk(e, 2));
    case P_LOADA: return mk_load(a, natural_load(T_I32), 0, mk_opn(a, "i32.add", x, addk(e, 2)));
    case P_LOADX: return mk_load(a, natural_load(T_I32), 4, mk_opn(a, "i32.add", x, y));
    case P_MADD: return mk_opn(a, "i32.add", mk_opn(a, "i32.mul", x, y), lget(e, 1));
    case P_ADD3: return mk_opn(a, "i32.add", lget(e, 1), mk_opn(a, "i32.add", x, y));
    case P_GLOBAL: return mk_seq2(a, mk_drop(a, x), mk_gget(a, 0));
    case P_SELECT: return mk_select(a, t, x, y, lget(e, 0), false);
    case P_CALL: return call1(e, helper_of(T_I32), T_I32, x);
    case P_CMP: return mk_opn(a, "i32.lt_s", x, y);
    case P_FMADD: return mk_opn(a, "f64.add", mk_opn(a, "f64.mul", x, y), lget(e, 2));
    default: return mk_opn(a, "i64.mul", x, y);
    }
}

static uint8_t local_forms_type(unsigned form)
{
    unsigned p = form / (NLTARGET * 2);
    return p == P_FMADD ? T_F64 : p == P_I64 ? T_I64 : T_I32;
}

static void local_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    arena *a = e->a;
    unsigned tee = form % 2, target = (form / 2) % NLTARGET, p = form / (NLTARGET * 2);
    char what[64];
    snprintf(what, sizeof what, "local.%s %s <- %s", tee ? "tee" : "set", LT_NAMES[target],
             PROD_NAMES[p]);
    label_srcs(e, what, srcs, 2);
    node *v = producer(e, p, srcs);
    uint8_t t = v->type;
    int reader = -1;
    uint32_t l;
    switch (target) {
    case L_PARAM0: l = param_of(e, t, 0); break;
    case L_PARAM1: l = param_of(e, t, 1); break;
    case L_DECL: l = decl_of(e, t); break;
    case L_TEEL: l = teel_of(e, t); break;
    case L_NEW: l = new_local(e, t); break;
    default: l = decl_of(e, t); reader = (int)l; break;
    }
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, reader, prefix);
    /* the producer again, after the write: it reads the new value */
    node *main = tee ? mk_tee(a, e->f, l, v) : mk_seq2(a, mk_lset(a, l, v), lget(e, l));
    node *again = producer(e, p, srcs);
    const opinfo *mix = typed_op(t, t == T_F64 ? "add" : "xor");
    assemble(e, prefix, np, mk_op(a, mix, main, again));
    label_add(e, " h=%u", height);
}

static unsigned entry_holes(unsigned form) { (void)form; return 0; }

/* Function entry: the zero writes the translator drops, next to writes it
 * must not drop. Three statements from a list, then every local read. */
enum entry_kind { E_ZERO32, E_ZERO64, E_ZEROF32, E_NEGZERO, E_TEE0, E_PARAM0, E_NONZERO, E_READ,
                  E_EMPTYBLOCK, E_COPY, E_INBLOCK, E_NOP, NENTRY };
static const char *const ENTRY_NAMES[NENTRY] = {"i32-0", "i64-0", "f32-0", "f64--0", "tee-0",
                                                "param-0", "i32-5", "read", "block", "copy",
                                                "0-in-block", "nop"};
#define NENTRYFORMS (NENTRY * NENTRY * NENTRY)

static void entry_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    (void)srcs;
    (void)height;
    (void)combo;
    arena *a = e->a;
    gfunc *f = e->f;
    /* declared locals: i32 d0, i64 d1, f32 d2, f64 d3, i32 d4 */
    static const uint8_t types[5] = {T_I32, T_I64, T_F32, T_F64, T_I32};
    uint32_t d[5];
    for (unsigned i = 0; i < 5; i++)
        d[i] = new_local(e, types[i]);
    node *items[40];
    unsigned n = 0, reads = 0;
    int len = snprintf(e->label, sizeof f->label, "entry");
    for (unsigned k = 0, code = form; k < 3; k++, code /= NENTRY) {
        unsigned kind = code % NENTRY;
        len += snprintf(e->label + len, sizeof f->label - (size_t)len, " %s", ENTRY_NAMES[kind]);
        uint32_t l = d[k % 2 ? 4 : 0];
        switch (kind) {
        case E_ZERO32: items[n++] = mk_lset(a, l, mk_const(a, T_I32, 0)); break;
        case E_ZERO64: items[n++] = mk_lset(a, d[1], mk_const(a, T_I64, 0)); break;
        case E_ZEROF32: items[n++] = mk_lset(a, d[2], mk_const(a, T_F32, 0)); break;
        case E_NEGZERO: items[n++] = mk_lset(a, d[3], mk_const(a, T_F64, 0x8000000000000000ull)); break;
        case E_TEE0: items[n++] = mk_drop(a, mk_tee(a, f, l, mk_const(a, T_I32, 0))); break;
        case E_PARAM0: items[n++] = mk_lset(a, 0, mk_const(a, T_I32, 0)); break;
        case E_NONZERO: items[n++] = mk_lset(a, l, mk_const(a, T_I32, 5)); break;
        case E_READ: items[n++] = lget(e, l); reads++; break;
        case E_EMPTYBLOCK: {
            node *b = mk(a, N_BLOCK, T_NONE, 0, 1);
            b->lid = e->next_lid++;
            b->kids[0] = mk_seq(a, T_NONE, 0, 0, NULL);
            items[n++] = b;
            break;
        }
        case E_COPY: items[n++] = mk_lset(a, l, lget(e, 1)); break;
        case E_INBLOCK: {
            node *b = mk(a, N_BLOCK, T_NONE, 0, 1);
            b->lid = e->next_lid++;
            b->kids[0] = mk_lset(a, l, mk_const(a, T_I32, 0));
            items[n++] = b;
            break;
        }
        default: items[n++] = mk(a, N_NOP, T_NONE, 0, 0); break;
        }
        /* the zero write again, after whatever came before it */
        if (k == 2)
            items[n++] = mk_lset(a, d[0], mk_const(a, T_I32, 0));
    }
    /* result: every local's bits folded into one i64 (reads left on the
     * stack fold first) */
    for (unsigned i = 0; i < reads; i++)
        items[n++] = fold(e, T_I32);
    for (unsigned i = 0; i < 5; i++)
        items[n++] = mk_lget(a, f, d[i]);
    items[n++] = lget(e, 0);
    items[n++] = lget(e, 1);
    for (unsigned i = 0; i < 7; i++)
        items[n++] = fold(e, local_type(f, i < 2 ? 1 - i : d[6 - i]));
    items[n++] = mk_gget(a, 1);
    f->nres = 1;
    f->rtype = T_I64;
    f->body = mk_seq(a, T_I64, 1, n, items);
}

/* Joined pairs (vm/opfamilies.h WB_JOINS): shapes whose translation puts
 * a pair's two instructions next to each other, so that the translator's
 * last step runs them as one handler. Value shapes go to the sinks; the
 * shapes ending in a branch (the branch is the second step) go through
 * every branch context, the loop's giving the back-edge forms. x and y are
 * the holes; locals written are added into the value. */
enum jshape {
    J_ADDI_ADDI, J_STORE_MOV, J_MOV_LOAD, J_LOAD_STORE, J_MOVI_MOV, J_LOAD_ADDI, J_ADDI_STORE,
    J_LOAD_LOAD8, J_LOAD_LOAD16, J_LOAD16_LOAD16, J_LOAD16_ANDI, J_LOAD8_ANDI, J_SUBI_ANDI,
    J_XOR_ANDI, J_ANDI_XOR, J_ANDI_SEL, J_SHRAND_XORI, J_XORI_SHRU, J_SHRU_XOR, J_MULADD_SHRU,
    J_STORE_ADDI, J_ADDI_ADD, J_ADD_SUBI, J_LMADD_LMADD, J_GTS_SEL, J_LTSI_SEL, J_MUL_SHRAND,
    J_FSTORE_FLOAD, J_FSTORE_SUBI, J_FLOAD_FLOAD, J_MUL3_FSUB, J_MUL3_LRADD, J_LRADD_FSTORE,
    J_SHRAND_SHRAND,
    /* a forward branch first (not taken, the second runs): the shape is
     * the whole control structure, so these are value shapes */
    J_BRCEQI_BRTAB, J_BRCEQI_MOVI, J_BRZ_LOADBRNZL, J_BRCEQ_LOADBRNZL,
    /* joined triples (WB_JOINS3), value shapes too */
    J3_MOV_LOADBRZ_LCMPL, J3_STORE_MOV_BRNZL, J3_ADDI_LOAD8BRZ_MOV, J3_LOAD_ADDI_STORE,
    J3_MADD_ADDI_ADD, J3_L16_L16_MUL, J3_ANDI_SEL_SHRAND, J3_XORI_SHRU_XOR, J3_LOAD_L16_ANDI,
    J3_LOAD_L8_ANDI, J3_XOR_BRZ_LOADBRNZL, J3_SUBI_ANDI_BRCGEUI, J3_SUBI_ANDI_BRCGTUI,
    /* the kernels' triples (WB_JOINS3_KERNELS): sieve, sha256 */
    J3_STORE8X_ADD_BRCLTUIL, J3_ADDI_BRCEQI_LOAD8UX, J3_ROTL_ROTLXOR_ROTLXOR, J3_ROTL_ROTLXOR_SHRU,
    J3_ADD_ADD_BRCNEI, J3_LOADX_ADDI_MOV2, J3_MOV2_MOV2_MOV2, J3_LOADA_ADD_ANDADD, J3_XOR_AND_AND,
    J3_SUBI_LOADA_ADD, J3_STORE_ADDI_BRCNEIL,
    /* and two pairs (WB_JOINS_KERNELS), built with the triples */
    J_XORI_ANDADD, J_XORADD_LOADA,
    /* the rotate chains (WB_ROT_CHAINS) as a value's last instruction, and
     * the triples around them (WB_JOINS3_ROT) */
    J_ROT_CHAIN, J3_ROT3_ADD3_ROT3, J3_LOADA_ROT2SHR_ADD, NJV,
    /* branch shapes: the condition, the first step before it */
    J_MOV_LOADBRZ = NJV, J_MOV_BRNZ, J_SUBI_BRNZ, J_ADDI_BRCNE, J_ADDI_BRCNEI, J_ADDI_LOAD8BRZ,
    J_XOR_BRZ, J_ANDI_BRCEQ, NJSHAPES
};
static const char *const J_NAMES[NJSHAPES] = {
    "add_i add_i", "store mov", "mov load", "load store", "movi mov", "load add_i", "add_i store",
    "load load8_u", "load load16_u", "load16_u load16_u", "load16_u and_i", "load8_u and_i",
    "sub_i and_i", "xor and_i", "and_i xor", "and_i select", "shr_u&and_i xor_i", "xor_i shr_u_i",
    "shr_u_i xor", "mul+add_i shr_u_i", "store add_i", "add_i add", "add sub_i",
    "load16_s*b+c load16_s*b+c", "gt_s select", "lt_s_i select", "mul shr_u&and_i",
    "f64.store f64.load", "f64.store sub_i", "f64.load f64.load", "f64 mul3 sub",
    "f64 mul3 load+add", "f64 load+add store",
    "shr_u&and_i shr_u&and_i",
    "brc_eq_i br_table", "brc_eq_i movi", "br_z load-br_nz loop", "brc_eq load-br_nz loop",
    "mov load-br_z load16_s-brc_lt_s loop", "store mov br_nz loop", "add_i load8_u-br_z mov",
    "load add_i store", "madd add_i add", "load16_u load16_u mul", "and_i select shr_u&and_i",
    "xor_i shr_u_i xor", "load load16_u and_i", "load load8_u and_i", "xor br_z load-br_nz loop",
    "sub_i and_i brc_ge_u_i", "sub_i and_i brc_gt_u_i",
    "store8_x add brc_lt_u_i loop", "add_i brc_eq_i load8_u_x", "rotl3^ (was rotl_i rotl^ rotl^)",
    "rotl2^shr_u (was rotl_i rotl^ shr_u_i)", "add add brc_ne_i", "load_x add_i mov2", "mov2 mov2 mov2",
    "load_a add and+add", "xor and and", "sub_i load_a add", "store add_i brc_ne_i loop",
    "xor_i and+add", "xor+add load_a", "rotl2^ | rotl3^ | rotl2^shr_u", "rotl3^ add3 rotl3^",
    "load_a rotl2^shr_u add",
    "mov load-br_z", "mov br_nz", "sub_i br_nz", "add_i brc_ne", "add_i brc_ne_i",
    "add_i load8_u-br_z", "xor br_z", "and_i brc_eq",
};
#define NJOINFORMS (NJV + (NJSHAPES - NJV) * NBCTX)

struct join_arg {
    unsigned shape;
    const uint8_t *srcs;
    uint32_t l1, l2; /* locals the shape writes (new, zero unless written) */
};

static node *jk(ectx *e, uint32_t v) { return mk_const(e->a, T_I32, v); }
static node *jload(ectx *e, const char *op, node *addr) { return mk_load(e->a, op_by_name(op), 0, addr); }

static node *jblock(ectx *e, uint8_t kind, node *body)
{
    node *b = mk(e->a, kind, T_NONE, 0, 1);
    b->lid = e->next_lid++;
    b->kids[0] = body;
    return b;
}
static node *jbr(ectx *e, uint32_t lid)
{
    node *b = mk(e->a, N_BR, T_ANY, 0, 0);
    b->idx = lid;
    return b;
}

/* The shapes whose first step is a forward branch. */
static node *join_branch_first(ectx *e, const struct join_arg *j, node *x, node *y, uint32_t k)
{
    arena *a = e->a;
    node *l1 = lget(e, j->l1), *l2 = lget(e, j->l2);
    switch (j->shape) {
    case J_BRCEQI_BRTAB: {
        /* block $o block $b block $c (br_if $o (x == k)) (br_table $c $b $o $c p1)
         * end l1 = 11 br $o end l1 = 22 end; l1 + y */
        node *o = mk(a, N_BLOCK, T_NONE, 0, 1), *b = mk(a, N_BLOCK, T_NONE, 0, 1);
        o->lid = e->next_lid++;
        b->lid = e->next_lid++;
        node *bt = mk(a, N_BRTABLE, T_ANY, 0, 1);
        node *c = jblock(e, N_BLOCK, NULL);
        bt->ntargets = 4;
        bt->targets = arena_alloc(a, 4 * sizeof *bt->targets);
        bt->targets[0] = c->lid;
        bt->targets[1] = b->lid;
        bt->targets[2] = o->lid;
        bt->targets[3] = c->lid;
        bt->kids[0] = lget(e, 1);
        c->kids[0] = mk_seq2(a, brif(e, o->lid, 0, NULL, mk_opn(a, "i32.eq", x, jk(e, k))), bt);
        b->kids[0] = mk_seq(a, T_NONE, 0, 3, (node *[]){c, mk_lset(a, j->l1, jk(e, 11)), jbr(e, o->lid)});
        o->kids[0] = mk_seq2(a, b, mk_lset(a, j->l1, jk(e, 22)));
        return mk_seq2(a, o, mk_opn(a, "i32.add", l1, y));
    }
    case J_BRCEQI_MOVI: {
        /* block $o (br_if $o (x == k)) l1 = 0x1234 + k; l2 = y end; l1 ^ l2 */
        node *o = mk(a, N_BLOCK, T_NONE, 0, 1);
        o->lid = e->next_lid++;
        o->kids[0] = mk_seq(a, T_NONE, 0, 3,
                            (node *[]){brif(e, o->lid, 0, NULL, mk_opn(a, "i32.eq", x, jk(e, k))),
                                       mk_lset(a, j->l1, jk(e, 0x1234 + k)), mk_lset(a, j->l2, y)});
        return mk_seq2(a, o, mk_opn(a, "i32.xor", l1, l2));
    }
    default: {
        /* p = x; c = 3; block $out loop $l (br_if $out (eqz (tee c (c - 1))))
         * [(br_if $out (p == y))] (br_if $l (tee p (i32.load p))) end end;
         * p + c: a pointer chase whose loads may trap */
        uint32_t c = new_local(e, T_I32);
        node *out = mk(a, N_BLOCK, T_NONE, 0, 1);
        out->lid = e->next_lid++;
        node *loop = mk(a, N_LOOP, T_NONE, 0, 1);
        loop->lid = e->next_lid++;
        node *dec = mk_tee(a, e->f, c, mk_opn(a, "i32.sub", lget(e, c), jk(e, 1)));
        node *items[3];
        unsigned n = 0;
        items[n++] = brif(e, out->lid, 0, NULL, mk_opn(a, "i32.eqz", dec, NULL));
        if (j->shape == J_BRCEQ_LOADBRNZL)
            items[n++] = brif(e, out->lid, 0, NULL, mk_opn(a, "i32.eq", lget(e, j->l1), y));
        items[n++] = brif(e, loop->lid, 0, NULL, mk_tee(a, e->f, j->l1, jload(e, "i32.load", lget(e, j->l1))));
        loop->kids[0] = mk_seq(a, T_NONE, 0, n, items);
        out->kids[0] = loop;
        node *all[4] = {mk_lset(a, j->l1, x), mk_lset(a, c, jk(e, 3)), out,
                        mk_opn(a, "i32.add", l1, lget(e, c))};
        return mk_seq(a, T_I32, 1, 4, all);
    }
    }
}

/* p = x; q = y; v: the shapes whose holes wait in locals (their code then
 * stays out of the joined instructions) */
static node *holes_then(ectx *e, uint32_t p, node *x, uint32_t q, node *y, node *v)
{
    node *all[3] = {mk_lset(e->a, p, x), mk_lset(e->a, q, y), v};
    return mk_seq(e->a, T_I32, 1, 3, all);
}

/* The pointer-chasing loops of the joined triples: fresh locals c (the
 * counter) and r, block $out around loop $l, and the loop's first item,
 * (br_if $out (eqz (tee c (c - 1)))): at most 3 rounds. */
struct chase {
    uint32_t c, r;
    node *out, *loop;
};
static node *chase_begin(ectx *e, struct chase *ch)
{
    arena *a = e->a;
    ch->c = new_local(e, T_I32);
    ch->r = new_local(e, T_I32);
    ch->out = mk(a, N_BLOCK, T_NONE, 0, 1);
    ch->loop = mk(a, N_LOOP, T_NONE, 0, 1);
    ch->out->lid = e->next_lid++;
    ch->loop->lid = e->next_lid++;
    node *dec = mk_tee(a, e->f, ch->c, mk_opn(a, "i32.sub", lget(e, ch->c), jk(e, 1)));
    return brif(e, ch->out->lid, 0, NULL, mk_opn(a, "i32.eqz", dec, NULL));
}
/* p = x; r = y; c = 3; block $out loop $l items end end; then sum */
static node *chase_end(ectx *e, const struct chase *ch, uint32_t p, node *x, node *y,
                       unsigned n, node **items, node *sum)
{
    arena *a = e->a;
    ch->loop->kids[0] = mk_seq(a, T_NONE, 0, n, items);
    ch->out->kids[0] = ch->loop;
    node *all[5] = {mk_lset(a, p, x), mk_lset(a, ch->r, y), mk_lset(a, ch->c, jk(e, 3)), ch->out, sum};
    return mk_seq(a, T_I32, 1, 5, all);
}

/* The joined triples' shapes (l1, l2 the join's locals). The loops chase
 * pointers through the module's data (its words are mostly small), at
 * most 3 times (counter c), and may trap. */
static node *join_triple(ectx *e, const struct join_arg *j, node *x, node *y, uint32_t k)
{
    arena *a = e->a;
    uint32_t p = j->l1, q = j->l2;
    switch (j->shape) {
    case J3_MOV_LOADBRZ_LCMPL:
    case J3_STORE_MOV_BRNZL: {
        /* p = x; r = y; c = 3; block $out loop $l (br_if $out (eqz (tee c (c - 1))))
         * q = p; then either (br_if $out (eqz (tee p (load offset=4 q))))
         * (br_if $l (load16_s offset=6 p) < r): `while (*p && (*p)->key < k)`,
         * or p = load offset=4 q; (store offset=4 q r); r = q; (br_if $l p):
         * a list reversed; end end; p + q + c + r (y in a local: the
         * holes' code stays out of the triple) */
        struct chase ch;
        node *items[6];
        unsigned n = 0;
        items[n++] = chase_begin(e, &ch);
        uint32_t c = ch.c, r = ch.r;
        items[n++] = mk_lset(a, q, lget(e, p));
        node *next = mk_load(a, op_by_name("i32.load"), 4, lget(e, q));
        if (j->shape == J3_MOV_LOADBRZ_LCMPL) {
            items[n++] = brif(e, ch.out->lid, 0, NULL, mk_opn(a, "i32.eqz", mk_tee(a, e->f, p, next), NULL));
            node *key = mk_load(a, op_by_name("i32.load16_s"), 6, lget(e, p));
            items[n++] = brif(e, ch.loop->lid, 0, NULL, mk_opn(a, "i32.lt_s", key, lget(e, r)));
        } else {
            items[n++] = mk_lset(a, p, next);
            items[n++] = mk_store(a, op_by_name("i32.store"), 4, lget(e, q), lget(e, r));
            items[n++] = mk_lset(a, r, lget(e, q));
            items[n++] = brif(e, ch.loop->lid, 0, NULL, lget(e, p));
        }
        node *sum = mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, p), lget(e, q)),
                           mk_opn(a, "i32.add", lget(e, c), lget(e, r)));
        return chase_end(e, &ch, p, x, y, n, items, sum);
    }
    case J3_ADDI_LOAD8BRZ_MOV: {
        /* r = y; block $o l1 = x + k; (br_if $o (eqz (tee l2 (load8_u r)))); r = p0
         * end; l1 + l2 + r */
        uint32_t r = new_local(e, T_I32);
        node *o = mk(a, N_BLOCK, T_NONE, 0, 1);
        o->lid = e->next_lid++;
        node *cond = mk_opn(a, "i32.eqz", mk_tee(a, e->f, q, jload(e, "i32.load8_u", lget(e, r))), NULL);
        o->kids[0] = mk_seq(a, T_NONE, 0, 3,
                            (node *[]){mk_lset(a, p, mk_opn(a, "i32.add", x, jk(e, k))),
                                       brif(e, o->lid, 0, NULL, cond), mk_lset(a, r, lget(e, 0))});
        node *all[3] = {mk_lset(a, r, y), o,
                        mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, p), lget(e, q)), lget(e, r))};
        return mk_seq(a, T_I32, 1, 3, all);
    }
    case J3_LOAD_ADDI_STORE: {
        /* l1 = x; (store l1 (load l1) + k); (load l1) ^ y: `(*p)++` */
        node *st = mk_store(a, op_by_name("i32.store"), 0, lget(e, p),
                            mk_opn(a, "i32.add", jload(e, "i32.load", lget(e, p)), jk(e, k)));
        node *all[3] = {mk_lset(a, p, x), st, mk_opn(a, "i32.xor", jload(e, "i32.load", lget(e, p)), y)};
        return mk_seq(a, T_I32, 1, 3, all);
    }
    case J3_L16_L16_MUL:
    case J3_LOAD_L16_ANDI:
    case J3_LOAD_L8_ANDI: {
        /* p = x; q = y; then (load16_u p) * (load16_u q) ^ p1, or
         * (load16_u (load p)) == (q & 0xffff) [load8_u, & 255] (the
         * holes in locals: their code stays out of the triple) */
        node *v;
        if (j->shape == J3_L16_L16_MUL)
            v = mk_opn(a, "i32.xor",
                       mk_opn(a, "i32.mul", jload(e, "i32.load16_u", lget(e, p)), jload(e, "i32.load16_u", lget(e, q))),
                       lget(e, 1));
        else if (j->shape == J3_LOAD_L16_ANDI)
            v = mk_opn(a, "i32.eq", mk_load(a, op_by_name("i32.load16_u"), 4, jload(e, "i32.load", lget(e, p))),
                       mk_opn(a, "i32.and", lget(e, q), jk(e, 0xffff)));
        else
            v = mk_opn(a, "i32.xor", mk_load(a, op_by_name("i32.load8_u"), 1, jload(e, "i32.load", lget(e, p))),
                       mk_opn(a, "i32.and", lget(e, q), jk(e, 255)));
        return holes_then(e, p, x, q, y, v);
    }
    case J3_ANDI_SEL_SHRAND: {
        /* l1 = select(p0, p1, x & 1); l2 = (l1 >> k) & 0x7fff; l1 ^ l2 ^ y:
         * a CRC bit */
        node *all[3] = {
            mk_lset(a, p, mk_select(a, T_I32, lget(e, 0), lget(e, 1), mk_opn(a, "i32.and", x, jk(e, 1)), false)),
            mk_lset(a, q, mk_opn(a, "i32.and", mk_opn(a, "i32.shr_u", lget(e, p), jk(e, k)), jk(e, 0x7fff))),
            mk_opn(a, "i32.xor", mk_opn(a, "i32.xor", lget(e, p), lget(e, q)), y),
        };
        return mk_seq(a, T_I32, 1, 3, all);
    }
    case J3_XORI_SHRU_XOR: {
        /* p = y; (x ^ 0xa001) - ((p0 >> k) ^ p): the xor-immediate's result
         * waits in its home while the other two run */
        node *w = mk_opn(a, "i32.xor", mk_opn(a, "i32.shr_u", lget(e, 0), jk(e, k)), lget(e, p));
        return mk_seq2(a, mk_lset(a, p, y), mk_opn(a, "i32.sub", mk_opn(a, "i32.xor", x, jk(e, 0xa001)), w));
    }
    case J3_XOR_BRZ_LOADBRNZL: {
        /* p = x; r = y; c = 3; block $out loop $l (br_if $out (eqz (tee c (c - 1))))
         * (br_if $out (eqz (p ^ r))) (br_if $l (tee p (load p))) end end; p + c + r */
        struct chase ch;
        node *first = chase_begin(e, &ch);
        uint32_t c = ch.c, r = ch.r;
        node *items[3] = {
            first,
            brif(e, ch.out->lid, 0, NULL, mk_opn(a, "i32.eqz", mk_opn(a, "i32.xor", lget(e, p), lget(e, r)), NULL)),
            brif(e, ch.loop->lid, 0, NULL, mk_tee(a, e->f, p, jload(e, "i32.load", lget(e, p)))),
        };
        node *sum = mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, p), lget(e, c)), lget(e, r));
        return chase_end(e, &ch, p, x, y, 3, items, sum);
    }
    case J3_SUBI_ANDI_BRCGEUI:
    case J3_SUBI_ANDI_BRCGTUI: {
        /* l1 = 5; block $o (br_if $o ((x - k) & 255) >= 246 [> 245]) l1 = 7 end;
         * l1 + y: a character class test */
        bool ge = j->shape == J3_SUBI_ANDI_BRCGEUI;
        node *o = mk(a, N_BLOCK, T_NONE, 0, 1);
        o->lid = e->next_lid++;
        node *m = mk_opn(a, "i32.and", mk_opn(a, "i32.sub", x, jk(e, 43 + k)), jk(e, 255));
        node *cond = mk_opn(a, ge ? "i32.ge_u" : "i32.gt_u", m, jk(e, ge ? 246 : 245));
        o->kids[0] = mk_seq2(a, brif(e, o->lid, 0, NULL, cond), mk_lset(a, p, jk(e, 7)));
        node *all[3] = {mk_lset(a, p, jk(e, 5)), o, mk_opn(a, "i32.add", lget(e, p), y)};
        return mk_seq(a, T_I32, 1, 3, all);
    }
    case J3_STORE8X_ADD_BRCLTUIL: {
        /* p = x; r = (y & 7) + 1; loop $l (store8 (p + q) p0) q = r + q;
         * (br_if $l (q <u 20 + k)) end; p + q + r: sieve's inner loop
         * `for (; k <= SIZE; k += i) flags[k] = 0` (q starts at 0: at most
         * 21 + k iterations), its stores may trap */
        uint32_t r = new_local(e, T_I32);
        node *loop = mk(a, N_LOOP, T_NONE, 0, 1);
        loop->lid = e->next_lid++;
        node *items[3] = {
            mk_store(a, op_by_name("i32.store8"), 0, mk_opn(a, "i32.add", lget(e, p), lget(e, q)), lget(e, 0)),
            mk_lset(a, q, mk_opn(a, "i32.add", lget(e, r), lget(e, q))),
            brif(e, loop->lid, 0, NULL, mk_opn(a, "i32.lt_u", lget(e, q), jk(e, 20 + k))),
        };
        loop->kids[0] = mk_seq(a, T_NONE, 0, 3, items);
        node *all[4] = {mk_lset(a, p, x), mk_lset(a, r, mk_opn(a, "i32.add", mk_opn(a, "i32.and", y, jk(e, 7)), jk(e, 1))),
                        loop, mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, p), lget(e, q)), lget(e, r))};
        return mk_seq(a, T_I32, 1, 4, all);
    }
    case J3_ADDI_BRCEQI_LOAD8UX: {
        /* p = x; r = y; block $out loop $l q = q + 1; (br_if $out (q == 4 + k));
         * r = r ^ load8_u (q + p); br $l end end; p + q + r: sieve's outer
         * loop `for (; i <= SIZE; i++) if (flags[i])`, its loads may trap */
        uint32_t r = new_local(e, T_I32);
        node *out = mk(a, N_BLOCK, T_NONE, 0, 1), *loop = mk(a, N_LOOP, T_NONE, 0, 1);
        out->lid = e->next_lid++;
        loop->lid = e->next_lid++;
        node *ld = jload(e, "i32.load8_u", mk_opn(a, "i32.add", lget(e, q), lget(e, p)));
        node *items[4] = {
            mk_lset(a, q, mk_opn(a, "i32.add", lget(e, q), jk(e, 1))),
            brif(e, out->lid, 0, NULL, mk_opn(a, "i32.eq", lget(e, q), jk(e, 4 + k))),
            mk_lset(a, r, mk_opn(a, "i32.xor", lget(e, r), ld)),
            jbr(e, loop->lid),
        };
        loop->kids[0] = mk_seq(a, T_NONE, 0, 4, items);
        out->kids[0] = loop;
        node *all[4] = {mk_lset(a, p, x), mk_lset(a, r, y), out,
                        mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, p), lget(e, q)), lget(e, r))};
        return mk_seq(a, T_I32, 1, 4, all);
    }
    case J3_ROTL_ROTLXOR_ROTLXOR:
    case J3_ROTL_ROTLXOR_SHRU: {
        /* p = x; ((rotl p 26) ^ (rotl p 21 + k)) ^ (rotl p 7 [shr_u p 3 + k]) + y:
         * sha256's Sigma (sigma) functions */
        node *v = mk_opn(a, "i32.xor", mk_opn(a, "i32.rotl", lget(e, p), jk(e, 26)),
                         mk_opn(a, "i32.rotl", lget(e, p), jk(e, 21 + k)));
        node *w = j->shape == J3_ROTL_ROTLXOR_ROTLXOR ? mk_opn(a, "i32.rotl", lget(e, p), jk(e, 7))
                                                      : mk_opn(a, "i32.shr_u", lget(e, p), jk(e, 3 + k));
        return mk_seq2(a, mk_lset(a, p, x), mk_opn(a, "i32.add", mk_opn(a, "i32.xor", v, w), y));
    }
    case J3_ADD_ADD_BRCNEI: {
        /* p = x; q = y; block $o r = p + q; q = q + p1; (br_if $o (p != 252 + k));
         * r = r + 7 end; p ^ q ^ r: sha256's round end `e = d + t1; a = t1
         * + t2` and its loop test */
        uint32_t r = new_local(e, T_I32);
        node *o = mk(a, N_BLOCK, T_NONE, 0, 1);
        o->lid = e->next_lid++;
        node *items[4] = {
            mk_lset(a, r, mk_opn(a, "i32.add", lget(e, p), lget(e, q))),
            mk_lset(a, q, mk_opn(a, "i32.add", lget(e, q), lget(e, 1))),
            brif(e, o->lid, 0, NULL, mk_opn(a, "i32.ne", lget(e, p), jk(e, 252 + k))),
            mk_lset(a, r, mk_opn(a, "i32.add", lget(e, r), jk(e, 7))),
        };
        o->kids[0] = mk_seq(a, T_NONE, 0, 4, items);
        node *all[4] = {mk_lset(a, p, x), mk_lset(a, q, y), o,
                        mk_opn(a, "i32.xor", mk_opn(a, "i32.xor", lget(e, p), lget(e, q)), lget(e, r))};
        return mk_seq(a, T_I32, 1, 4, all);
    }
    case J3_LOADX_ADDI_MOV2: {
        /* p = x; q = y; r = load (p + q); p = p + 4 + k; s = q; q = p0;
         * r + p + q + s: sha256's `w[i]` load, `i++`, and the rotation's
         * first moves (the load may trap) */
        uint32_t r = new_local(e, T_I32), s2 = new_local(e, T_I32);
        node *all[7] = {
            mk_lset(a, p, x),
            mk_lset(a, q, y),
            mk_lset(a, r, jload(e, "i32.load", mk_opn(a, "i32.add", lget(e, p), lget(e, q)))),
            mk_lset(a, p, mk_opn(a, "i32.add", lget(e, p), jk(e, 4 + k))),
            mk_lset(a, s2, lget(e, q)),
            mk_lset(a, q, lget(e, 0)),
            mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, r), lget(e, p)),
                   mk_opn(a, "i32.add", lget(e, q), lget(e, s2))),
        };
        return mk_seq(a, T_I32, 1, 7, all);
    }
    case J3_MOV2_MOV2_MOV2: {
        /* p = x; q = y; then six moves, each reading what an earlier one
         * wrote or is about to overwrite: r = q; q = p; p = p0; s = r;
         * t = p1; u = s (sha256's `k = g, g = f, ...`); a sum of them all */
        uint32_t r = new_local(e, T_I32), s2 = new_local(e, T_I32), t2 = new_local(e, T_I32),
                 u = new_local(e, T_I32);
        node *sum = mk_opn(a, "i32.add", mk_opn(a, "i32.xor", lget(e, r), lget(e, q)),
                           mk_opn(a, "i32.xor", lget(e, p), lget(e, s2)));
        sum = mk_opn(a, "i32.add", sum, mk_opn(a, "i32.sub", lget(e, t2), lget(e, u)));
        node *all[9] = {
            mk_lset(a, p, x),        mk_lset(a, q, y),         mk_lset(a, r, lget(e, q)),
            mk_lset(a, q, lget(e, p)), mk_lset(a, p, lget(e, 0)), mk_lset(a, s2, lget(e, r)),
            mk_lset(a, t2, lget(e, 1)), mk_lset(a, u, lget(e, s2)), sum,
        };
        return mk_seq(a, T_I32, 1, 9, all);
    }
    case J3_LOADA_ADD_ANDADD:
    case J3_XOR_AND_AND:
    case J_XORI_ANDADD: {
        /* p = x; q = y; then sha256's round pieces, each ^ p1:
         * load (p + 4 + 4k) + ((q + p0) + (p & q)): `K[i]` and the adds of
         * t1, the and-add of Ch; (((q ^ p0) & p) ^ (q & p0)) + p1: Maj;
         * (q + p0) + (q & (p ^ -1)): Ch's `~e & g` */
        node *v;
        if (j->shape == J3_LOADA_ADD_ANDADD)
            v = mk_opn(a, "i32.add", jload(e, "i32.load", mk_opn(a, "i32.add", lget(e, p), jk(e, 4 + 4 * k))),
                       mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, q), lget(e, 0)),
                              mk_opn(a, "i32.and", lget(e, p), lget(e, q))));
        else if (j->shape == J3_XOR_AND_AND)
            v = mk_opn(a, "i32.add",
                       mk_opn(a, "i32.xor", mk_opn(a, "i32.and", mk_opn(a, "i32.xor", lget(e, q), lget(e, 0)), lget(e, p)),
                              mk_opn(a, "i32.and", lget(e, q), lget(e, 0))),
                       lget(e, 1));
        else
            v = mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, q), lget(e, 0)),
                       mk_opn(a, "i32.and", lget(e, q), mk_opn(a, "i32.xor", lget(e, p), jk(e, 0xffffffff))));
        return holes_then(e, p, x, q, y, mk_opn(a, "i32.xor", v, lget(e, 1)));
    }
    case J3_SUBI_LOADA_ADD: {
        /* p = x; (store (p - 60 - k) (load (p + 36) + y)); load (p - 60 - k):
         * sha256's schedule, `w[i] = w[i - 16] + ...` with the store's
         * address computed first (both accesses may trap) */
        node *addr = mk_opn(a, "i32.sub", lget(e, p), jk(e, 60 + k));
        node *st = mk_store(a, op_by_name("i32.store"), 0, addr,
                            mk_opn(a, "i32.add", jload(e, "i32.load", mk_opn(a, "i32.add", lget(e, p), jk(e, 36))), y));
        node *all[3] = {mk_lset(a, p, x), st, jload(e, "i32.load", mk_opn(a, "i32.sub", lget(e, p), jk(e, 60 + k)))};
        return mk_seq(a, T_I32, 1, 3, all);
    }
    case J3_STORE_ADDI_BRCNEIL: {
        /* p = x; q = y & 0; loop $l (store p q) q = q + 4; (br_if $l
         * (q != 12 + 4 (k mod 5))) end: the schedule's loop end, 3 to 7
         * times (the stores may trap); p ^ q ^ (load p) */
        node *loop = mk(a, N_LOOP, T_NONE, 0, 1);
        loop->lid = e->next_lid++;
        node *items[3] = {
            mk_store(a, op_by_name("i32.store"), 0, lget(e, p), lget(e, q)),
            mk_lset(a, q, mk_opn(a, "i32.add", lget(e, q), jk(e, 4))),
            brif(e, loop->lid, 0, NULL, mk_opn(a, "i32.ne", lget(e, q), jk(e, 12 + 4 * (k % 5)))),
        };
        loop->kids[0] = mk_seq(a, T_NONE, 0, 3, items);
        node *all[4] = {mk_lset(a, p, x), mk_lset(a, q, mk_opn(a, "i32.and", y, jk(e, 0))), loop,
                        mk_opn(a, "i32.xor", mk_opn(a, "i32.xor", lget(e, p), lget(e, q)), jload(e, "i32.load", lget(e, p)))};
        return mk_seq(a, T_I32, 1, 4, all);
    }
    case J_XORADD_LOADA: {
        /* p = x; q = y; q = (p ^ p0) + q; p1' = load (p + 8); sha256's
         * sigma0 sum then the `w[i - 2]` load (may trap); p + q + r */
        uint32_t r = new_local(e, T_I32);
        node *all[5] = {
            mk_lset(a, p, x),
            mk_lset(a, q, y),
            mk_lset(a, q, mk_opn(a, "i32.add", mk_opn(a, "i32.xor", lget(e, p), lget(e, 0)), lget(e, q))),
            mk_lset(a, r, jload(e, "i32.load", mk_opn(a, "i32.add", lget(e, p), jk(e, 8)))),
            mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, p), lget(e, q)), lget(e, r)),
        };
        return mk_seq(a, T_I32, 1, 5, all);
    }
    case J_ROT_CHAIN: {
        /* p = x; q = y; then by k, as the value's last instruction (the
         * sinks retarget its result), by k: (rotl p 26+k) ^ (rotl p 21),
         * then ^ (rotl p 7+8k) or ^ (shr_u p 3+8k) (counts past 31), or
         * (rotl p 7) first (no chain: its result is not the fresh one), or
         * p and q rotated (no chain: different slots) */
        unsigned form = k / 4; /* 0..4 */
        node *v = mk_opn(a, "i32.xor", mk_opn(a, "i32.rotl", lget(e, p), jk(e, 26 + k)),
                         mk_opn(a, "i32.rotl", lget(e, form == 4 ? q : p), jk(e, 21)));
        if (form == 1)
            v = mk_opn(a, "i32.xor", v, mk_opn(a, "i32.rotl", lget(e, p), jk(e, 7 + 8 * k)));
        else if (form == 2)
            v = mk_opn(a, "i32.xor", v, mk_opn(a, "i32.shr_u", lget(e, p), jk(e, 3 + 8 * k)));
        else if (form == 3)
            v = mk_opn(a, "i32.xor", mk_opn(a, "i32.rotl", lget(e, p), jk(e, 7)), v);
        return holes_then(e, p, x, q, y, v);
    }
    case J3_ROT3_ADD3_ROT3: {
        /* p = x; q = y; r = (p1 + Sigma1(p)) + p0; Sigma0(q) + r: sha256's
         * t1 sum and the Sigma0 after it */
        uint32_t r = new_local(e, T_I32);
        node *s1 = mk_opn(a, "i32.xor",
                          mk_opn(a, "i32.xor", mk_opn(a, "i32.rotl", lget(e, p), jk(e, 26)),
                                 mk_opn(a, "i32.rotl", lget(e, p), jk(e, 21 + k))),
                          mk_opn(a, "i32.rotl", lget(e, p), jk(e, 7)));
        node *s0 = mk_opn(a, "i32.xor",
                          mk_opn(a, "i32.xor", mk_opn(a, "i32.rotl", lget(e, q), jk(e, 30)),
                                 mk_opn(a, "i32.rotl", lget(e, q), jk(e, 19))),
                          mk_opn(a, "i32.rotl", lget(e, q), jk(e, 10 + k)));
        node *all[4] = {
            mk_lset(a, p, x),
            mk_lset(a, q, y),
            mk_lset(a, r, mk_opn(a, "i32.add", mk_opn(a, "i32.add", lget(e, 1), s1), lget(e, 0))),
            mk_opn(a, "i32.add", s0, lget(e, r)),
        };
        return mk_seq(a, T_I32, 1, 4, all);
    }
    case J3_LOADA_ROT2SHR_ADD: {
        /* p = x; q = y; q + sigma0(tee r (load (p + 4 + 4k))); then ^ r:
         * sha256's schedule, `w[i - 15]` loaded, its sigma0 added (the
         * load may trap) */
        uint32_t r = new_local(e, T_I32);
        node *ld = mk_tee(a, e->f, r, jload(e, "i32.load", mk_opn(a, "i32.add", lget(e, p), jk(e, 4 + 4 * k))));
        node *sg = mk_opn(a, "i32.xor",
                          mk_opn(a, "i32.xor", mk_opn(a, "i32.rotl", ld, jk(e, 25)),
                                 mk_opn(a, "i32.rotl", lget(e, r), jk(e, 14))),
                          mk_opn(a, "i32.shr_u", lget(e, r), jk(e, 3 + k)));
        return holes_then(e, p, x, q, y,
                          mk_opn(a, "i32.xor", mk_opn(a, "i32.add", lget(e, q), sg), lget(e, r)));
    }
    default: {
        /* J3_MADD_ADDI_ADD: l1 = x * y + l1; l2 = l2 + k; r = p1 + l2;
         * l1 ^ l2 ^ r (l1, l2 start at 0, so the sums are of new values) */
        uint32_t r = new_local(e, T_I32);
        node *all[5] = {
            mk_lset(a, p, mk_opn(a, "i32.add", mk_opn(a, "i32.mul", x, y), lget(e, p))),
            mk_lset(a, q, mk_opn(a, "i32.add", lget(e, q), jk(e, k))),
            mk_lset(a, r, mk_opn(a, "i32.add", lget(e, 1), lget(e, q))),
            mk_opn(a, "i32.xor", mk_opn(a, "i32.xor", lget(e, p), lget(e, q)), lget(e, r)),
        };
        return mk_seq(a, T_I32, 1, 4, all);
    }
    }
}

static node *join_core(ectx *e, const void *p)
{
    const struct join_arg *j = p;
    arena *a = e->a;
    node *x = source(e, j->srcs[0], T_I32, 0), *y = source(e, j->srcs[1], T_I32, 1);
    node *l1 = lget(e, j->l1), *l2 = lget(e, j->l2);
    uint32_t k = (uint32_t)(e->variant % 5) * 4 + 1;
    node *v;
    if (j->shape >= J3_MOV_LOADBRZ_LCMPL)
        return join_triple(e, j, x, y, k);
    if (j->shape >= J_BRCEQI_BRTAB)
        return join_branch_first(e, j, x, y, k);
    switch (j->shape) {
    case J_ADDI_ADDI:
        v = mk_seq2(a, mk_lset(a, j->l1, mk_opn(a, "i32.add", x, jk(e, k))),
                    mk_lset(a, j->l2, mk_opn(a, "i32.add", y, jk(e, 3))));
        return mk_seq2(a, v, mk_opn(a, "i32.xor", l1, l2));
    case J_STORE_MOV:
        v = mk_seq2(a, mk_store(a, op_by_name("i32.store"), 0, x, y), mk_lset(a, j->l1, lget(e, 0)));
        return mk_seq2(a, v, mk_opn(a, "i32.xor", l1, jload(e, "i32.load", lget(e, 1))));
    case J_MOV_LOAD:
        v = mk_lset(a, j->l1, y);
        return mk_seq2(a, v, mk_opn(a, "i32.xor", jload(e, "i32.load", x), l1));
    case J_LOAD_STORE:
        v = mk_store(a, op_by_name("i32.store"), 0, y, jload(e, "i32.load", x));
        return mk_seq2(a, v, jload(e, "i32.load", lget(e, 1)));
    case J_MOVI_MOV:
        v = mk_seq2(a, mk_lset(a, j->l1, jk(e, k + 0x100)), mk_lset(a, j->l2, y));
        return mk_seq2(a, v, mk_opn(a, "i32.add", mk_opn(a, "i32.xor", l1, l2), x));
    case J_LOAD_ADDI: return mk_opn(a, "i32.add", jload(e, "i32.load", x), jk(e, k));
    case J_ADDI_STORE:
        v = mk_store(a, op_by_name("i32.store"), 0, x, mk_opn(a, "i32.add", y, jk(e, k)));
        return mk_seq2(a, v, jload(e, "i32.load", lget(e, 0)));
    case J_LOAD_LOAD8: return mk_opn(a, "i32.xor", jload(e, "i32.load", x), jload(e, "i32.load8_u", y));
    case J_LOAD_LOAD16: return mk_opn(a, "i32.sub", jload(e, "i32.load", x), jload(e, "i32.load16_u", y));
    case J_LOAD16_LOAD16:
        return mk_opn(a, "i32.sub", jload(e, "i32.load16_u", x), jload(e, "i32.load16_u", y));
    case J_LOAD16_ANDI: return mk_opn(a, "i32.xor", mk_opn(a, "i32.and", jload(e, "i32.load16_u", x), jk(e, 0xff0f)), y);
    case J_LOAD8_ANDI: return mk_opn(a, "i32.xor", mk_opn(a, "i32.and", jload(e, "i32.load8_u", x), jk(e, 0x3c)), y);
    case J_SUBI_ANDI: return mk_opn(a, "i32.and", mk_opn(a, "i32.sub", x, jk(e, k)), jk(e, 0x7ffffff0));
    case J_XOR_ANDI: return mk_opn(a, "i32.and", mk_opn(a, "i32.xor", x, y), jk(e, 0xf0f0f0f1));
    case J_ANDI_XOR: return mk_opn(a, "i32.xor", mk_opn(a, "i32.and", x, jk(e, 0x8001)), y);
    case J_ANDI_SEL: return mk_select(a, T_I32, y, lget(e, 0), mk_opn(a, "i32.and", x, jk(e, 1 << (k % 32))), false);
    case J_SHRAND_XORI:
        return mk_opn(a, "i32.xor",
                      mk_opn(a, "i32.and", mk_opn(a, "i32.shr_u", x, jk(e, k + 28)), jk(e, 0x1f)),
                      jk(e, 0xa001));
    case J_XORI_SHRU: return mk_opn(a, "i32.shr_u", mk_opn(a, "i32.xor", x, jk(e, 0x80000001)), jk(e, k));
    case J_SHRU_XOR: return mk_opn(a, "i32.xor", mk_opn(a, "i32.shr_u", x, jk(e, k + 30)), y);
    case J_MULADD_SHRU:
        return mk_opn(a, "i32.shr_u",
                      mk_opn(a, "i32.add", mk_opn(a, "i32.mul", x, jk(e, 1103515245)), jk(e, 12345)),
                      jk(e, 16));
    case J_STORE_ADDI:
        v = mk_seq2(a, mk_store(a, op_by_name("i32.store"), 4, x, y),
                    mk_lset(a, j->l1, mk_opn(a, "i32.add", lget(e, 1), jk(e, k))));
        return mk_seq2(a, v, mk_opn(a, "i32.add", l1, jload(e, "i32.load", lget(e, 0))));
    case J_ADDI_ADD: return mk_opn(a, "i32.add", mk_opn(a, "i32.add", x, jk(e, k)), y);
    case J_LMADD_LMADD:
        /* s += a[i] * b; s += a[i + 1] * c: two multiply-adds of loaded
         * halves, the second summing the first's result */
        v = mk_opn(a, "i32.add", y, mk_opn(a, "i32.mul", jload(e, "i32.load16_s", x), lget(e, 0)));
        return mk_opn(a, "i32.add", v,
                      mk_opn(a, "i32.mul", mk_load(a, op_by_name("i32.load16_s"), 2, lget(e, 1)), lget(e, 0)));
    case J_GTS_SEL: return mk_select(a, T_I32, lget(e, 0), y, mk_opn(a, "i32.gt_s", x, y), false);
    case J_LTSI_SEL: return mk_select(a, T_I32, y, lget(e, 1), mk_opn(a, "i32.lt_s", x, jk(e, k + 0x7ffffff0)), false);
    case J_MUL_SHRAND:
        return mk_opn(a, "i32.and", mk_opn(a, "i32.shr_u", mk_opn(a, "i32.mul", x, y), jk(e, k)), jk(e, 0x3ff));
    case J_FSTORE_FLOAD:
        /* a[i] = b[j]; then the next element's load (nbody's updates); the
         * f64's bits are the value */
        v = mk_store(a, op_by_name("f64.store"), 8, x, jload(e, "f64.load", y));
        return mk_seq2(a, v, mk_opn(a, "i32.wrap_i64",
                                    mk_opn(a, "i64.reinterpret_f64", jload(e, "f64.load", lget(e, 1)), NULL),
                                    NULL));
    case J_FSTORE_SUBI:
        v = mk_store(a, op_by_name("f64.store"), 0, x, jload(e, "f64.load", y));
        return mk_seq2(a, v, mk_opn(a, "i32.sub", lget(e, 1), jk(e, k)));
    case J_FLOAD_FLOAD:
    case J_MUL3_FSUB:
    case J_MUL3_LRADD:
    case J_LRADD_FSTORE: {
        /* nbody's inner loop after its loads fused (vm/opfamilies.h
         * WB_LOAD_F64_OPS): copysign(load x, load p1) (two loads in a
         * row); load x - d * k * d (F64_MUL3 then f64.sub); d * k * d +
         * load p1 (F64_MUL3 then F64_LOAD_RADD); store y (d + load x)
         * (F64_LOAD_RADD then f64.store). d a declared f64 local, k an
         * edge constant; the f64's high bits (sign, exponent) are the
         * value, xored with the holes not used as addresses, or the
         * stored one read back */
        node *d = lget(e, decl_of(e, T_F64)), *d2 = lget(e, decl_of(e, T_F64));
        node *m = mk_opn(a, "f64.mul", mk_opn(a, "f64.mul", d, konst(e, T_F64, k)), d2);
        node *f, *st = NULL;
        if (j->shape == J_FLOAD_FLOAD) {
            f = mk_opn(a, "f64.copysign", jload(e, "f64.load", x), jload(e, "f64.load", lget(e, 1)));
            x = y;
        } else if (j->shape == J_MUL3_FSUB) {
            f = mk_opn(a, "f64.sub", jload(e, "f64.load", x), m);
            x = y;
        } else if (j->shape == J_MUL3_LRADD) {
            f = mk_opn(a, "f64.add", m, jload(e, "f64.load", lget(e, 1)));
            x = mk_opn(a, "i32.xor", x, y);
        } else {
            st = mk_store(a, op_by_name("f64.store"), 0, y,
                          mk_opn(a, "f64.add", lget(e, decl_of(e, T_F64)), jload(e, "f64.load", x)));
            f = jload(e, "f64.load", lget(e, 1));
        }
        node *hi = mk_opn(a, "i64.rotl", mk_opn(a, "i64.reinterpret_f64", f, NULL), mk_const(a, T_I64, 32));
        node *r = mk_opn(a, "i32.wrap_i64", hi, NULL);
        return st ? mk_seq2(a, st, r) : mk_opn(a, "i32.xor", r, x);
    }
    case J_SHRAND_SHRAND:
        /* l1 = x; ((l1 >> 2) & 15) * ((l1 >> 5) & 127) + y: CoreMark's
         * matrix_mul_matrix_bitextract */
        v = mk_opn(a, "i32.and", mk_opn(a, "i32.shr_u", l1, jk(e, 2)), jk(e, 15));
        v = mk_opn(a, "i32.mul", v, mk_opn(a, "i32.and", mk_opn(a, "i32.shr_u", lget(e, j->l1), jk(e, k)), jk(e, 127)));
        return mk_seq2(a, mk_lset(a, j->l1, x), mk_opn(a, "i32.add", v, y));
    default: /* J_ADD_SUBI */
        return mk_opn(a, "i32.sub", mk_opn(a, "i32.add", x, y), jk(e, k));
    }
}

/* A branch shape's condition: the first step, then the condition the
 * branch fuses (its second step). */
static node *join_cond(ectx *e, unsigned shape, const uint8_t *srcs, uint32_t l1)
{
    arena *a = e->a;
    node *x = source(e, srcs[0], T_I32, 0), *y = source(e, srcs[1], T_I32, 1);
    uint32_t k = (uint32_t)(e->variant % 5) * 4 + 1;
    switch (shape) {
    case J_MOV_LOADBRZ: return mk_seq2(a, mk_lset(a, l1, y), mk_opn(a, "i32.eqz", jload(e, "i32.load", x), NULL));
    case J_MOV_BRNZ: return mk_seq2(a, mk_lset(a, l1, y), x);
    case J_SUBI_BRNZ: return mk_opn(a, "i32.sub", x, jk(e, k));
    case J_ADDI_BRCNE:
        return mk_seq2(a, mk_lset(a, l1, mk_opn(a, "i32.add", y, jk(e, k))), mk_opn(a, "i32.ne", x, lget(e, 1)));
    case J_ADDI_BRCNEI:
        return mk_seq2(a, mk_lset(a, l1, mk_opn(a, "i32.add", y, jk(e, k))), mk_opn(a, "i32.ne", x, jk(e, 7)));
    case J_ADDI_LOAD8BRZ:
        return mk_seq2(a, mk_lset(a, l1, mk_opn(a, "i32.add", y, jk(e, k))),
                       mk_opn(a, "i32.eqz", jload(e, "i32.load8_u", x), NULL));
    case J_ANDI_BRCEQ: return mk_opn(a, "i32.eq", mk_opn(a, "i32.and", x, jk(e, 0xff0f)), y);
    default: /* J_XOR_BRZ */
        return mk_opn(a, "i32.xor", x, y);
    }
}

static void join_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct join_arg j = {form < NJV ? form : NJV + (form - NJV) / NBCTX, srcs, 0, 0};
    char what[64];
    j.l1 = new_local(e, T_I32);
    j.l2 = new_local(e, T_I32);
    if (j.shape < NJV) {
        snprintf(what, sizeof what, "join %s", J_NAMES[j.shape]);
        label_srcs(e, what, srcs, 2);
        finish_value(e, join_core, &j, height, combo, (unsigned)(combo % NSINK));
        return;
    }
    unsigned ctx = (form - NJV) % NBCTX;
    snprintf(what, sizeof what, "join %s %s", J_NAMES[j.shape], BCTX_NAMES[ctx]);
    label_srcs(e, what, srcs, 2);
    node *prefix[8];
    unsigned np = make_prefix(e, height, combo, -1, prefix);
    branch_finish(e, ctx, join_cond(e, j.shape, srcs, j.l1), j.l1, prefix, np, height, combo);
}

static unsigned local_holes(unsigned form) { (void)form; return 2; }

/* Each family's operand type T (parameters p2, p3 have it). */
static uint8_t i32_type(unsigned form) { (void)form; return T_I32; }
static uint8_t pair_type(unsigned form) { return op_by_name(PAIRS[form / 2].outer)->a; }
static uint8_t load_type(unsigned form) { return nth_memop(OC_LOAD, form / NSHAPES)->r; }
static uint8_t store_type(unsigned form) { return nth_memop(OC_STORE, form / NSHAPES)->b; }
static uint8_t branch_type(unsigned form)
{
    unsigned c = form / NBCTX;
    return c < NCMP ? op_by_name(CMP_OPS[c])->a : T_I32;
}
/* the carried values' type: all four, across arities and kinds */
static uint8_t move_type(unsigned form) { return (uint8_t)(T_I32 + (form / 3) % 4); }

const family FAMILIES[] = {
    {"imm", NIMM * 2, imm_holes, i32_type, imm_build, NHEIGHT},
    {"bin", NBIN, two_holes, bin_type, bin_build, NHEIGHT},
    {"pair", NPAIRS * 2, pair_holes, pair_type, pair_build, NHEIGHT},
    {"ipair", NIPAIRS * 4, one_hole, i32_type, ipair_build, NHEIGHT},
    {"load", NLOADS * NSHAPES, load_holes, load_type, load_build, NHEIGHT},
    {"store", NSTORES * NSHAPES, store_holes, store_type, store_build, NHEIGHT},
    {"branch", NCMPFORMS * NBCTX, branch_holes, branch_type, branch_build, NHEIGHT},
    {"move", NMOVEFORMS, one_hole, move_type, move_build, NHEIGHT},
    {"local", NLOCALFORMS, local_holes, local_forms_type, local_build, NHEIGHT},
    {"entry", NENTRYFORMS, entry_holes, i32_type, entry_build, 1},
    {"lmadd", NLMADD, three_holes, i32_type, lmadd_build, NHEIGHT},
    {"fload", NLF64_OPS + NFRMW + NFSQRT + NFNBODY, two_holes, f64_type, lf64_build, NHEIGHT},
    {"lcmpbr", NLCB, two_holes, i32_type, lcmpbr_build, NHEIGHT},
    {"join", NJOINFORMS, two_holes, i32_type, join_build, NHEIGHT},
    {"mload", NLOADS * NSHAPES, load_holes, load_type, load1_build, NHEIGHT},
    {"mstore", NSTORES * NSHAPES, store_holes, store_type, store1_build, NHEIGHT},
    {"wload", NLOADS * NSHAPES, load_holes, load_type, load64_build, NHEIGHT},
    {"wstore", NSTORES * NSHAPES, store_holes, store_type, store64_build, NHEIGHT},
    {"simd", NSIMDFORMS, simd_holes, simd_type, simd_build, NHEIGHT},
};
const unsigned NFAMILIES = sizeof FAMILIES / sizeof FAMILIES[0];
