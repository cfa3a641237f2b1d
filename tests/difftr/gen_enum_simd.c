/* The `simd` family (see README.md, "The enumeration"): the shapes the
 * translator gives v128 values. It has no fused SIMD forms; what it does
 * specially is carry a v128 as two 8-byte stack entries (vm/README.md "SIMD
 * (v128)"): moves of both halves at block joins, branches and local writes,
 * constants whose halves are settled home before a SIMD instruction reads
 * them, `select` as two SELs, v128 locals mapped to two slots, calls with
 * v128 arguments and results. Each form is a core whose operand holes take
 * every source (v128 ones from the v128 parameters p2, p3; address and
 * scalar ones from p0, p1 or declared locals), then one of the sinks. */
#include "gen_enum.h"

#include <stdio.h>
#include <string.h>

enum sform_kind {
    SF_MOVE,   /* the source itself: only moves */
    SF_UN,     /* op(s0) */
    SF_BIN,    /* op(s0, s1) */
    SF_KSECOND,/* op(s0, v128 constant) */
    SF_KFIRST, /* op(v128 constant, s0) */
    SF_LANE,   /* op(s0) with lane `lane` (extract_lane, reductions) */
    SF_REPK,   /* replace_lane(s0, scalar constant) at `lane` */
    SF_REPS,   /* replace_lane(s0, scalar source s1) at `lane` */
    SF_SHIFTK, /* shift(s0, i32 constant `lane`) */
    SF_SHIFTS, /* shift(s0, i32 source s1) */
    SF_SPLAT,  /* splat(scalar source s0) */
    SF_SHUF,   /* i8x16.shuffle(s0, s1), lanes from `lane` */
    SF_BITSEL, /* bitselect(s0, s1, constant mask) */
    SF_LOAD,   /* op at (i32 source s0) offset `lane` */
    SF_LOADL,  /* loadN_lane (i32 source s0, v128 source s1) */
    SF_STORE,  /* v128.store (s0 address, s1 value), then v128.load back from p1 */
    SF_STOREL, /* storeN_lane (s0 address, s1 value), then v128.load back from p1 */
    SF_BRIF,   /* block (result v128) br_if 0 carrying s0 on p0, else s1 */
    SF_IF,     /* if (result v128) on p1: s0 else s1 */
    SF_SELECT, /* select s0 s1 on p0 (`lane`: typed) */
    SF_BRTAB,  /* block block s0 br_table on p0 end, s1, i32x4.add end */
    SF_LOOP,   /* loop (param v128): i32x4.add(param, s1), br_if back twice */
    SF_CALL,   /* i32x4.add(call f4(s0), s1) */
    SF_PAIR,   /* block (result v128 v128) s0 s1 (br_if 0 on p0) end, i8x16.sub */
};

static const struct sform {
    const char *op;
    uint8_t kind;
    uint32_t lane; /* lane, shift count, offset, or shuffle seed */
} SFORMS[] = {
    {"move", SF_MOVE, 0},
    {"i32x4.add", SF_BIN, 0}, {"i8x16.sub", SF_BIN, 0}, {"i16x8.mul", SF_BIN, 0},
    {"i64x2.mul", SF_BIN, 0}, {"v128.and", SF_BIN, 0}, {"v128.andnot", SF_BIN, 0},
    {"v128.or", SF_BIN, 0}, {"v128.xor", SF_BIN, 0}, {"i8x16.min_u", SF_BIN, 0},
    {"i16x8.max_s", SF_BIN, 0}, {"i32x4.lt_s", SF_BIN, 0}, {"i64x2.gt_s", SF_BIN, 0},
    {"f32x4.add", SF_BIN, 0}, {"f32x4.min", SF_BIN, 0}, {"f64x2.mul", SF_BIN, 0},
    {"f64x2.max", SF_BIN, 0}, {"f32x4.eq", SF_BIN, 0}, {"f64x2.pmin", SF_BIN, 0},
    {"i8x16.narrow_i16x8_s", SF_BIN, 0}, {"i8x16.swizzle", SF_BIN, 0},
    {"i32x4.dot_i16x8_s", SF_BIN, 0}, {"i16x8.q15mulr_sat_s", SF_BIN, 0},
    {"i8x16.avgr_u", SF_BIN, 0}, {"i16x8.extmul_low_i8x16_s", SF_BIN, 0},
    {"i8x16.add_sat_s", SF_BIN, 0},
    {"v128.not", SF_UN, 0}, {"f64x2.neg", SF_UN, 0}, {"f32x4.sqrt", SF_UN, 0},
    {"i16x8.extend_low_i8x16_s", SF_UN, 0}, {"f32x4.convert_i32x4_s", SF_UN, 0},
    {"i32x4.trunc_sat_f32x4_s", SF_UN, 0}, {"i8x16.popcnt", SF_UN, 0},
    {"f64x2.nearest", SF_UN, 0}, {"f64x2.promote_low_f32x4", SF_UN, 0},
    {"i32x4.add", SF_KSECOND, 0}, {"i32x4.add", SF_KFIRST, 0}, {"v128.and", SF_KSECOND, 0},
    {"f32x4.mul", SF_KFIRST, 0}, {"i8x16.sub", SF_KFIRST, 0},
    {"v128.any_true", SF_LANE, 0}, {"i8x16.all_true", SF_LANE, 0}, {"i32x4.bitmask", SF_LANE, 0},
    {"i8x16.extract_lane_s", SF_LANE, 5}, {"i16x8.extract_lane_u", SF_LANE, 7},
    {"i32x4.extract_lane", SF_LANE, 3}, {"i64x2.extract_lane", SF_LANE, 1},
    {"f32x4.extract_lane", SF_LANE, 2}, {"f64x2.extract_lane", SF_LANE, 0},
    {"i32x4.replace_lane", SF_REPK, 2}, {"i8x16.replace_lane", SF_REPK, 15},
    {"f64x2.replace_lane", SF_REPK, 1}, {"f32x4.replace_lane", SF_REPK, 0},
    {"i16x8.replace_lane", SF_REPS, 6}, {"i64x2.replace_lane", SF_REPS, 0},
    {"i8x16.shl", SF_SHIFTK, 9}, {"i16x8.shr_s", SF_SHIFTK, 17}, {"i64x2.shr_u", SF_SHIFTK, 63},
    {"i32x4.shl", SF_SHIFTK, 32}, {"i32x4.shr_s", SF_SHIFTS, 0},
    {"i8x16.splat", SF_SPLAT, 0}, {"i32x4.splat", SF_SPLAT, 0}, {"i64x2.splat", SF_SPLAT, 0},
    {"f32x4.splat", SF_SPLAT, 0}, {"f64x2.splat", SF_SPLAT, 0},
    {"i8x16.shuffle", SF_SHUF, 7}, {"i8x16.shuffle", SF_SHUF, 12345},
    {"v128.bitselect", SF_BITSEL, 0},
    {"v128.load", SF_LOAD, 16}, {"v128.load", SF_LOAD, 0xFFF0}, {"v128.load32_zero", SF_LOAD, 4},
    {"v128.load16_splat", SF_LOAD, 2}, {"v128.load8x8_s", SF_LOAD, 8},
    {"v128.load64_zero", SF_LOAD, 0xFFF8},
    {"v128.load8_lane", SF_LOADL, 3}, {"v128.load64_lane", SF_LOADL, 1},
    {"v128.load32_lane", SF_LOADL, 2},
    {"v128.store", SF_STORE, 0}, {"v128.store8_lane", SF_STOREL, 15},
    {"v128.store32_lane", SF_STOREL, 2}, {"v128.store64_lane", SF_STOREL, 1},
    {"br_if", SF_BRIF, 0}, {"if", SF_IF, 0}, {"select", SF_SELECT, 0},
    {"select (result v128)", SF_SELECT, 1}, {"br_table", SF_BRTAB, 0}, {"loop", SF_LOOP, 0},
    {"call", SF_CALL, 0}, {"block (result v128 v128)", SF_PAIR, 0},
};
_Static_assert(sizeof SFORMS / sizeof SFORMS[0] == NSIMDFORMS, "NSIMDFORMS (gen_enum.h)");

unsigned simd_holes(unsigned form)
{
    switch (SFORMS[form].kind) {
    case SF_MOVE: case SF_UN: case SF_KSECOND: case SF_KFIRST: case SF_LANE: case SF_REPK:
    case SF_SHIFTK: case SF_SPLAT: case SF_LOAD:
        return 1;
    default:
        return 2;
    }
}

uint8_t simd_type(unsigned form) { (void)form; return T_V128; }

struct simd_arg {
    const struct sform *f;
    const uint8_t *srcs;
};

static node *vsrc(ectx *e, const struct simd_arg *x, unsigned h) { return source(e, x->srcs[h], T_V128, h); }

/* A block of one v128 result around body (its lid given). */
static node *vblock(ectx *e, uint8_t kind, unsigned nres, node *body)
{
    node *b = mk(e->a, kind, T_V128, (uint8_t)nres, 1);
    b->lid = e->next_lid++;
    b->kids[0] = body;
    return b;
}

static node *simd_core(ectx *e, const void *p)
{
    const struct simd_arg *x = p;
    const struct sform *f = x->f;
    arena *a = e->a;
    const opinfo *op = op_by_name(f->op);
    node *n;
    switch (f->kind) {
    case SF_MOVE: return vsrc(e, x, 0);
    case SF_UN: return mk_op(a, op, vsrc(e, x, 0), NULL);
    case SF_BIN: return mk_op(a, op, vsrc(e, x, 0), vsrc(e, x, 1));
    case SF_KSECOND: return mk_op(a, op, vsrc(e, x, 0), konst(e, T_V128, 3));
    case SF_KFIRST: return mk_op(a, op, konst(e, T_V128, 3), vsrc(e, x, 0));
    case SF_LANE:
        n = mk_op(a, op, vsrc(e, x, 0), NULL);
        n->idx = f->lane;
        return n;
    case SF_REPK:
    case SF_REPS:
        n = mk_op(a, op, vsrc(e, x, 0),
                  f->kind == SF_REPK ? konst(e, op->b, 4) : source(e, x->srcs[1], op->b, 1));
        n->idx = f->lane;
        return n;
    case SF_SHIFTK: return mk_op(a, op, vsrc(e, x, 0), mk_const(a, T_I32, f->lane));
    case SF_SHIFTS: return mk_op(a, op, vsrc(e, x, 0), source(e, x->srcs[1], T_I32, 1));
    case SF_SPLAT: return mk_op(a, op, source(e, x->srcs[0], op->a, 0), NULL);
    case SF_SHUF:
        n = mk_op(a, op, vsrc(e, x, 0), vsrc(e, x, 1));
        n->idx = f->lane;
        return n;
    case SF_BITSEL: return mk_op3(a, op, vsrc(e, x, 0), vsrc(e, x, 1), konst(e, T_V128, 5));
    case SF_LOAD: return mk_load(a, op, f->lane, source(e, x->srcs[0], T_I32, 0));
    case SF_LOADL:
        n = mk(a, N_LOAD, T_V128, 1, 2);
        n->op = op;
        n->imm = 4;
        n->idx = f->lane;
        n->kids[0] = source(e, x->srcs[0], T_I32, 0);
        n->kids[1] = vsrc(e, x, 1);
        return n;
    case SF_STORE:
    case SF_STOREL:
        n = mk_store(a, op, 32, source(e, x->srcs[0], T_I32, 0), vsrc(e, x, 1));
        n->idx = f->lane;
        return mk_seq2(a, n, mk_load(a, op_by_name("v128.load"), 32, lget(e, 1)));
    case SF_BRIF: {
        node *b = vblock(e, N_BLOCK, 1, NULL);
        node *v = vsrc(e, x, 0);
        node *items[2] = {mk_drop(a, brif(e, b->lid, 1, &v, lget(e, 0))), vsrc(e, x, 1)};
        b->kids[0] = mk_seq(a, T_V128, 1, 2, items);
        return b;
    }
    case SF_IF: {
        n = mk(a, N_IF, T_V128, 1, 3);
        n->lid = e->next_lid++;
        n->flag = 1;
        n->kids[0] = lget(e, 1);
        n->kids[1] = mk_seq(a, T_V128, 1, 1, (node *[]){vsrc(e, x, 0)});
        n->kids[2] = mk_seq(a, T_V128, 1, 1, (node *[]){vsrc(e, x, 1)});
        return n;
    }
    case SF_SELECT: return mk_select(a, T_V128, vsrc(e, x, 0), vsrc(e, x, 1), lget(e, 0), f->lane);
    case SF_BRTAB: {
        node *outer = vblock(e, N_BLOCK, 1, NULL), *inner = vblock(e, N_BLOCK, 1, NULL);
        node *bt = mk(a, N_BRTABLE, T_ANY, 1, 2);
        bt->ntargets = 3;
        bt->targets = arena_alloc(a, 3 * sizeof *bt->targets);
        bt->targets[0] = inner->lid;
        bt->targets[1] = outer->lid;
        bt->targets[2] = inner->lid;
        bt->kids[0] = vsrc(e, x, 0);
        bt->kids[1] = mk_opn(a, "i32.and", lget(e, 0), mk_const(a, T_I32, 3));
        inner->kids[0] = mk_seq(a, T_V128, 1, 1, &bt);
        outer->kids[0] = mk_seq(a, T_V128, 1, 1,
                                (node *[]){mk_opn(a, "i32x4.add", inner, vsrc(e, x, 1))});
        return outer;
    }
    case SF_LOOP: {
        uint32_t ctr = new_local(e, T_I32);
        node *loop = mk(a, N_LOOP, T_V128, 1, 2);
        loop->lid = e->next_lid++;
        loop->nparams = 1;
        loop->ptype = T_V128;
        loop->kids[0] = vsrc(e, x, 0);
        node *v = mk_opn(a, "i32x4.add", mk(a, N_ONSTACK, T_V128, 1, 0), vsrc(e, x, 1));
        node *dec = mk_tee(a, e->f, ctr, mk_opn(a, "i32.sub", lget(e, ctr), mk_const(a, T_I32, 1)));
        node *back = brif(e, loop->lid, 1, &v, dec);
        loop->kids[1] = mk_seq(a, T_V128, 1, 1, &back);
        return mk_seq2(a, mk_lset(a, ctr, mk_const(a, T_I32, 3)), loop);
    }
    case SF_CALL: return mk_opn(a, "i32x4.add", call1(e, helper_of(T_V128), T_V128, vsrc(e, x, 0)),
                                vsrc(e, x, 1));
    case SF_PAIR: {
        node *b = mk(a, N_BLOCK, T_V128, 2, 1);
        b->lid = e->next_lid++;
        node *vals[2] = {vsrc(e, x, 0), vsrc(e, x, 1)};
        b->kids[0] = mk_seq(a, T_V128, 2, 1, (node *[]){brif(e, b->lid, 2, vals, lget(e, 0))});
        node *pair = mk(a, N_PAIR, T_V128, 1, 1);
        pair->op = op_by_name("i8x16.sub");
        pair->kids[0] = b;
        return pair;
    }
    }
    return vsrc(e, x, 0);
}

void simd_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo)
{
    struct simd_arg x = {&SFORMS[form], srcs};
    int len = snprintf(e->label, sizeof e->f->label, "simd %s", SFORMS[form].op);
    for (unsigned i = 0; i < simd_holes(form) && len < (int)sizeof e->f->label; i++)
        len += snprintf(e->label + len, sizeof e->f->label - (size_t)len, "%s%s", i ? "," : " ",
                        SRC_NAMES[srcs[i]]);
    finish_value(e, simd_core, &x, height, combo, (unsigned)(combo % NSINK));
}
