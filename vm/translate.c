/* Translation of validated function bodies into threaded code (compiled.h).
 *
 * One pass over each body (after a quick count of its constants). The
 * validator already proved the body well typed, so this pass tracks only what
 * the code layout needs: the operand height, where each operand currently
 * lives, the label stack, and the fuel cost of the current chain of
 * straight-line stretches. Code after br/br_table/return/unreachable is
 * skipped up to the matching else/end. See vm/README.md "Execution
 * design".
 *
 * Operands without stack traffic: a virtual stack records, per height, the
 * frame slot holding that value. local.get and constants push the local's or
 * the constant's own slot and emit nothing; an instruction reads its inputs
 * where they are and writes its result to the slot of its height (its
 * "home"); local.set retargets the previous instruction's result straight to
 * the local when it can. Before any control instruction every value is moved
 * to its home ("flush"), so control-flow joins always see the same layout.
 */
#include "compiled.h"
#include "instr.h"
#include "join_index.h"
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

enum { LBL_BLOCK, LBL_LOOP, LBL_IF, LBL_FUNC };

typedef struct label {
    uint8_t kind;
    bool targeted;          /* some branch (or an if's false edge) lands after its end */
    uint32_t height;        /* operand height below the block's params */
    uint32_t nparams, nresults; /* in slots (a v128 takes two) */
    const wb_vt *ptypes, *rtypes; /* the types, to mark v128 entries at else/end */
    uint32_t nptypes, nrtypes;
    size_t loop_start;      /* LBL_LOOP: cell branches go to */
    size_t patch_head;      /* chain of forward branch cells to patch (index + 1; 0 = none) */
    size_t if_false;        /* LBL_IF: cell of the false edge's target, until else/end; 0 = none */
    /* exception handling (translate_exc.h) */
    uint8_t exc;            /* EXC_NONE, EXC_TRY_TABLE, EXC_TRY (legacy, body), EXC_CATCH */
    uint32_t region;        /* EXC_TRY_TABLE / EXC_TRY: its handler region */
    uint32_t inner_region;  /* the region code inside this label is in (delegate's target) */
    uint32_t catch_depth;   /* EXC_CATCH: legacy catches open around and with it (its exn slot) */
} label;

typedef struct tr {
    const wb_module *m;
    const void *const *h;
    wb_cell *code;
    size_t n, cap;
    label *labels;
    size_t nlabels, cap_labels;
    uint32_t *vs;           /* per height: frame slot where the value is, or VS_CONST */
    uint32_t dirty;         /* entries below are in their home slots */
    uint32_t *lrefs;        /* per local: entries reading it */
    size_t cap_lrefs;
    uint64_t *vk;           /* per height: the constant, when vs is VS_CONST or VS_ADDK */
    uint32_t *vx;           /* per height: the slot x, when vs is VS_ADDK (x + vk) */
    uint8_t *vw;            /* per height: 1 on the high half of a v128 (two entries) */
    size_t cap_vs;
    uint32_t *lslot;        /* per local: its first slot, when some local is a v128 */
    uint8_t *lwide;         /* per local: 1 for a v128 (slots lslot, lslot + 1) */
    size_t cap_lslot;
    bool any_wide;          /* some local is a v128: lslot/lwide are in use */
    uint32_t height, max_height;
    uint32_t nlocals_total; /* params + declared locals */
    uint32_t rec;           /* first slot of the frame record */
    uint32_t sbase;         /* slot of operand height 0 */
    uint64_t *consts;       /* distinct constants, in slot order */
    uint32_t nconsts, cap_consts;
    uint32_t *chash;        /* open addressing: const index + 1; 0 = empty */
    uint32_t chash_size;
    size_t fuel_cell;       /* cell holding the current chain's cost (0: none) */
    uint64_t cost;          /* the current chain's cost so far */
    /* the [t c] cells of conditional branches: .p.b holds the
     * chain's cost up to the branch until its chain closes, then what the
     * chain has precharged beyond it, then (wb_fuel_chain_resolve) what a
     * taken branch charges */
    size_t *cbr;
    size_t ncbr, cap_cbr;
    size_t chain_cbr;       /* the first of cbr in the current chain */
    /* the last value-producing instruction, for retargeting and fusion */
    size_t last_start, last_end, last_dst_cell;
    bool last_dst_hi;
    unsigned last_op;
    /* cells of the last plain load a branch may test (WB_LOAD_BRANCHES),
     * and the offset of its wasm instruction */
    size_t load_start, load_end, load_off;
    /* the last i32 load a multiply-add may take (WB_LOAD_MADDS, plain or
     * _A form): its cells and offset; and an i32.mul emitted right after
     * it that multiplies its result (lmul_at: the mul's first cell, 0 =
     * none) */
    size_t mload_start, mload_end, mload_off;
    size_t lmul_at, lmul_load, lmul_off;
    /* the last f64.load an f64 add, sub or mul may take (WB_LOAD_F64_OPS,
     * plain or _A form): its first cell, its end (0 = none) and offset */
    size_t fload_start, fload_end, fload_off;
    unsigned last_branch_op; /* op of the last conditional branch emitted */
    size_t last_branch_at;  /* its handler cell */
    size_t mov_end;         /* end of the last MOV emitted (a next one joins it) */
    uint32_t nparams;
    size_t entry_end;       /* end of the function's first FUEL_POLL */
    bool reference;         /* WB_TRANSLATE_REFERENCE: no fusion, no lazy operands */
    bool any64;             /* the module has a 64-bit memory (memory64) */
    bool any_table64;       /* the module has a 64-bit table (table64) */
    size_t cur_off;         /* offset of the instruction being translated */
    wb_code_map_builder map; /* cell -> instruction offset, for trap locations */
    /* per cell: 1 where an instruction starts, 0 for the cells after a
     * handler's (join_pairs reads it; handlers may change in place, so
     * what the instruction is is read from its handler) */
    uint8_t *istart;
    /* exception handlers being built (translate_exc.h) */
    wb_exc_region *regions;
    uint32_t nregions, cap_regions;
    wb_exc_catch *catches;
    uint32_t ncatches, cap_catches;
    uint32_t cur_region;    /* innermost region open here, or WB_EXC_NONE */
    uint32_t catch_depth, max_catch_depth; /* legacy catches open (each keeps its exnref) */
    uint32_t *exn_patches;  /* RETHROW operand cells whose slot is a catch depth until the end */
    uint32_t nexn_patches, cap_exn_patches;
    bool failed;
} tr;

/* ---- code buffer ---- */

static void emit_raw(tr *t, wb_cell c)
{
    if (t->failed)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        wb_cell *p = realloc(t->code, cap * sizeof *p);
        if (!p) {
            t->failed = true;
            return;
        }
        t->code = p;
        uint8_t *q = realloc(t->istart, cap * sizeof *q);
        if (!q) {
            t->failed = true;
            return;
        }
        t->istart = q;
        t->cap = cap;
    }
    t->istart[t->n] = 0;
    t->code[t->n++] = c;
}

static void emit_op(tr *t, unsigned op)
{
    /* what emit_madd may fold in is the load just before the mul and the
     * mul just emitted: any other instruction (or code rewound over them)
     * ends that */
    if (t->n != t->mload_end)
        t->mload_end = 0;
    if (t->n <= t->lmul_at)
        t->lmul_at = 0;
    if (t->n != t->fload_end)
        t->fload_end = 0;
    wb_code_map_note(&t->map, (uint32_t)t->n, t->cur_off);
    wb_cell c;
    c.h = t->h[op];
    emit_raw(t, c);
    if (!t->failed)
        t->istart[t->n - 1] = 1;
}

static void emit_u(tr *t, uint64_t v)
{
    wb_cell c;
    c.u = v;
    emit_raw(t, c);
}

static void emit_pair(tr *t, uint32_t a, uint32_t b)
{
    wb_cell c;
    c.p.a = a;
    c.p.b = b;
    emit_raw(t, c);
}

/* ---- fuel stretches and branch targets ---- */

/* Fuel is charged per chain (vm/README.md "Fuel"): a stretch that starts
 * at a branch target begins a chain with a FUEL or FUEL_POLL cell holding
 * the cost of the whole chain, the stretches that only the fall-through of
 * a conditional branch enters included. A taken conditional branch charges
 * its target's chain less what its own chain precharged beyond it (its
 * [t c] cell's c, a signed amount); not taken, it charges nothing. */

/* Ends the current chain: its cost goes in its head's cell, and each of its
 * conditional branches keeps what the chain charged beyond it. */
static void close_stretch(tr *t)
{
    if (t->failed || !t->fuel_cell)
        return;
    t->code[t->fuel_cell].u = t->cost;
    for (size_t i = t->chain_cbr; i < t->ncbr; i++) {
        wb_cell *c = &t->code[t->cbr[i]];
        c->p.b = (uint32_t)(t->cost - c->p.b);
    }
    t->chain_cbr = t->ncbr;
}

/* Starts a chain with a FUEL or FUEL_POLL instruction. Returns its first
 * cell. */
static size_t begin_stretch(tr *t, bool poll)
{
    close_stretch(t);
    size_t at = t->n;
    emit_op(t, poll ? WB_XOP_FUEL_POLL : WB_XOP_FUEL);
    t->fuel_cell = t->n;
    emit_u(t, 0);
    t->cost = 0;
    return at;
}

/* The [t c] cell of a conditional branch: the target is set or patched
 * later; c notes the chain's cost up to and including the branch. */
static size_t emit_branch_cell(tr *t)
{
    size_t cell = t->n;
    emit_pair(t, 0, (uint32_t)t->cost);
    if (t->failed)
        return cell;
    if (t->ncbr == t->cap_cbr) {
        size_t cap = t->cap_cbr ? t->cap_cbr * 2 : 64;
        size_t *p = realloc(t->cbr, cap * sizeof *p);
        if (!p) {
            t->failed = true;
            return cell;
        }
        t->cbr = p;
        t->cap_cbr = cap;
    }
    t->cbr[t->ncbr++] = cell;
    return cell;
}

/* Once every chain is closed and every target set: a taken branch charges
 * its target chain's cost less what its own chain charged beyond it. Every
 * target is a FUEL or FUEL_POLL cell, whose cost follows it. */
static void resolve_branch_costs(tr *t)
{
    for (size_t i = 0; i < t->ncbr && !t->failed; i++) {
        wb_cell *c = &t->code[t->cbr[i]];
        size_t target = (size_t)((ptrdiff_t)t->cbr[i] + (int32_t)c->p.a);
        if (target + 1 >= t->n)
            continue; /* not reached: the verifier refuses such a target */
        uint64_t chain = t->code[target + 1].u;
        c->p.b = (uint32_t)(int32_t)((int64_t)chain - (int64_t)c->p.b);
    }
}

static void set_target(tr *t, size_t cell, size_t target)
{
    if (t->failed)
        return;
    t->code[cell].p.a = (uint32_t)(int32_t)((ptrdiff_t)target - (ptrdiff_t)cell);
}

/* Resolves every pending forward branch of l to `target`. */
static void patch_label(tr *t, label *l, size_t target)
{
    size_t at = l->patch_head;
    while (at && !t->failed) {
        size_t cell = at - 1;
        size_t next = t->code[cell].p.a;
        set_target(t, cell, target);
        at = next;
    }
    l->patch_head = 0;
}

/* Registers `cell` (whose .p.a gets the target) as a forward branch to l. */
static void add_patch(tr *t, label *l, size_t cell)
{
    if (t->failed)
        return;
    t->code[cell].p.a = (uint32_t)l->patch_head;
    l->patch_head = cell + 1;
    l->targeted = true;
}

/* Points the branch field of `cell` at label l (backward for loops). */
static void branch_to(tr *t, label *l, size_t cell)
{
    if (l->kind == LBL_LOOP)
        set_target(t, cell, l->loop_start);
    else
        add_patch(t, l, cell);
}

/* ---- the virtual operand stack ---- */

#define VS_CONST UINT32_MAX /* a constant not yet given a slot */
#define VS_ADDK (UINT32_MAX - 1) /* x + K (i32) not computed yet: vx, vk */
#define TRACKED(t, v) ((v) < (t)->nlocals_total)

static uint32_t home(const tr *t, uint32_t h) { return t->sbase + h; }

static bool reserve_vs(tr *t, uint32_t h)
{
    if (h < t->cap_vs)
        return true;
    size_t cap = t->cap_vs ? t->cap_vs * 2 : 64;
    while (cap <= h)
        cap *= 2;
    uint32_t *p = realloc(t->vs, cap * sizeof *p);
    if (p)
        t->vs = p;
    uint64_t *k = realloc(t->vk, cap * sizeof *k);
    if (k)
        t->vk = k;
    uint32_t *x = realloc(t->vx, cap * sizeof *x);
    if (x)
        t->vx = x;
    uint8_t *w = realloc(t->vw, cap);
    if (w)
        t->vw = w;
    if (!p || !k || !x || !w) {
        t->failed = true;
        return false;
    }
    t->cap_vs = cap;
    return true;
}

/* Invariants: every entry below t->dirty is in its home slot, and
 * t->lrefs[i] counts the entries that still read local i. They keep flush and
 * local.set proportional to what changed, not to the stack height (a
 * crafted body must not make translation quadratic). */
static void note_lazy(tr *t, uint32_t h)
{
    if (h < t->dirty)
        t->dirty = h;
}

static void push_at(tr *t, uint32_t slot)
{
    if (!reserve_vs(t, t->height))
        return;
    if (slot < t->nlocals_total) {
        if (TRACKED(t, slot))
            t->lrefs[slot]++;
        note_lazy(t, t->height);
    }
    t->vw[t->height] = 0;
    t->vs[t->height++] = slot;
    if (t->height > t->max_height)
        t->max_height = t->height;
}

/* Pushes a result in its home slot; returns that slot. */
static uint32_t push_home(tr *t)
{
    uint32_t slot = home(t, t->height);
    push_at(t, slot);
    return slot;
}

static uint32_t const_slot(tr *t, uint64_t v);
static void emit_movi(tr *t, uint64_t v, uint32_t dst);
static void emit_mov(tr *t, uint32_t src, uint32_t dst);

/* local.get (and the value a local.tee leaves): the local's own slot, or in
 * the reference translation a copy in the operand slot. */
static void push_local(tr *t, uint32_t local)
{
    if (t->reference) {
        emit_mov(t, local, home(t, t->height));
        push_home(t);
    } else {
        push_at(t, local);
    }
}

static void push_const(tr *t, uint64_t v)
{
    if (t->reference) {
        /* the reference translation: every value is in its operand slot */
        emit_movi(t, v, home(t, t->height));
        push_home(t);
        return;
    }
    if (!reserve_vs(t, t->height))
        return;
    note_lazy(t, t->height);
    t->vk[t->height] = v;
    t->vw[t->height] = 0;
    t->vs[t->height++] = VS_CONST;
    if (t->height > t->max_height)
        t->max_height = t->height;
}

/* Pushes the pending value (x + K) mod 2^32: an i32.add of a constant is
 * computed only if something other than a load/store address needs it (a
 * store's value is usually computed after its address). */
static void push_addk(tr *t, uint32_t x, uint32_t k)
{
    if (!reserve_vs(t, t->height))
        return;
    if (TRACKED(t, x))
        t->lrefs[x]++;
    note_lazy(t, t->height);
    t->vk[t->height] = k;
    t->vx[t->height] = x;
    t->vw[t->height] = 0;
    t->vs[t->height++] = VS_ADDK;
    if (t->height > t->max_height)
        t->max_height = t->height;
}

/* The slot a stack entry reads (the local, constant or home), for reader
 * counts: a pending x + K reads x. */
static uint32_t reads_slot(const tr *t, uint32_t k)
{
    return t->vs[k] == VS_ADDK ? t->vx[k] : t->vs[k];
}

/* Is the value `depth` below the top a constant (not yet in a slot)? */
static bool is_const(const tr *t, uint32_t depth, uint64_t *v)
{
    uint32_t k = t->height - 1 - depth;
    if (t->vs[k] != VS_CONST)
        return false;
    *v = t->vk[k];
    return true;
}

/* Removes the top entry; returns where its value is (VS_CONST for a constant). */
static uint32_t drop_top(tr *t)
{
    t->height--;
    uint32_t v = t->vs[t->height], r = reads_slot(t, t->height);
    if (TRACKED(t, r))
        t->lrefs[r]--;
    if (t->height < t->dirty)
        t->dirty = t->height;
    return v;
}

static void emit_addk(tr *t, uint32_t x, uint32_t k, uint32_t dst);
static bool fresh_result(const tr *t, uint32_t slot);
static bool emit_imm_pair(tr *t, unsigned outer, uint32_t a, uint32_t k2, uint32_t dst);

/* Pops a value, giving a constant a slot of the constant area if it has none
 * and computing a pending x + K into its home slot. */
static uint32_t pop(tr *t)
{
    uint32_t v = drop_top(t);
    if (v == VS_CONST)
        return const_slot(t, t->vk[t->height]);
    if (v == VS_ADDK) {
        uint32_t h = home(t, t->height);
        emit_addk(t, t->vx[t->height], (uint32_t)t->vk[t->height], h);
        return h;
    }
    return v;
}

static void emit_movi(tr *t, uint64_t v, uint32_t dst)
{
    emit_op(t, WB_XOP_MOVI);
    emit_pair(t, dst, 0);
    emit_u(t, v);
}

/* A move right after a move becomes one MOV2 doing both in order (the
 * flush before a branch, a local.set that first saves the local's lazy
 * readers, loop-carried copies such as a hash's rotating variables). Only
 * the handler of the earlier MOV changes and a cell is added after it: no
 * code is deleted or reordered, and nothing branches between the two
 * (branch targets are FUEL, FUEL_POLL or RET cells). */
static void emit_mov(tr *t, uint32_t src, uint32_t dst)
{
    if (!t->reference && !t->failed && t->mov_end == t->n && t->n >= WB_CELLS_X_MOV &&
        t->code[t->n - WB_CELLS_X_MOV].h == t->h[WB_XOP_MOV]) {
        t->code[t->n - WB_CELLS_X_MOV].h = t->h[WB_XOP_MOV2];
        emit_pair(t, src, dst);
        t->mov_end = 0;
        return;
    }
    emit_op(t, WB_XOP_MOV);
    emit_pair(t, src, dst);
    t->mov_end = t->n;
}

/* Moves entry k to its home slot. */
static void settle(tr *t, uint32_t k)
{
    uint32_t h = home(t, k), v = t->vs[k];
    if (v == VS_CONST) {
        emit_movi(t, t->vk[k], h);
    } else if (v == VS_ADDK) {
        emit_addk(t, t->vx[k], (uint32_t)t->vk[k], h);
        t->last_end = 0;
        if (TRACKED(t, t->vx[k]))
            t->lrefs[t->vx[k]]--;
    } else if (v != h) {
        emit_mov(t, v, h);
        if (TRACKED(t, v))
            t->lrefs[v]--;
    }
    t->vs[k] = h;
}

/* Moves every value to its home slot. */
static void flush(tr *t)
{
    for (uint32_t k = t->dirty; k < t->height; k++)
        settle(t, k);
    t->dirty = t->height;
}

/* Before local `slot` is written: values still read from it move home. */
static bool has_readers(const tr *t, uint32_t slot) { return t->lrefs[slot] > 0; }

static void save_local_readers(tr *t, uint32_t slot)
{
    for (uint32_t k = t->height; k > t->dirty && has_readers(t, slot); k--) {
        if (reads_slot(t, k - 1) == slot)
            settle(t, k - 1);
    }
}

/* At else/end: the entries above the label's height are gone (after
 * unreachable code they may be stale); the new ones are at home. */
static void reset_vs(tr *t, uint32_t from, uint32_t new_height)
{
    for (uint32_t k = from; k < t->height; k++)
        if (TRACKED(t, reads_slot(t, k)))
            t->lrefs[reads_slot(t, k)]--;
    t->height = new_height;
    if (!reserve_vs(t, t->height))
        return;
    for (uint32_t k = from; k < t->height; k++) {
        t->vs[k] = home(t, k);
        t->vw[k] = 0; /* the caller marks v128 halves (mark_v128) */
    }
    if (t->height > t->max_height)
        t->max_height = t->height;
    /* entries below `from` were flushed when the block began */
    t->dirty = t->height;
}

static uint32_t const_slot(tr *t, uint64_t v)
{
    uint32_t mask = t->chash_size - 1;
    uint32_t i = (uint32_t)((v * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (t->chash[i]) {
        uint32_t ci = t->chash[i] - 1;
        if (t->consts[ci] == v)
            return t->nlocals_total + ci;
        i = (i + 1) & mask;
    }
    /* the pre-count guarantees room */
    t->consts[t->nconsts] = v;
    t->chash[i] = ++t->nconsts;
    return t->nlocals_total + t->nconsts - 1;
}

/* ---- instructions with slot operands ---- */

/* Emits op with npop inputs from the virtual stack, npush (0 or 1) result in
 * its home slot, then nimm immediate cells (the caller emits them). */
static void emit_fixed(tr *t, unsigned op, uint32_t npop, uint32_t npush)
{
    uint32_t ops[4];
    for (uint32_t i = npop; i > 0; i--)
        ops[i - 1] = pop(t);
    size_t start = t->n;
    emit_op(t, op);
    uint32_t nops = npop;
    if (npush)
        ops[nops++] = push_home(t);
    for (uint32_t i = 0; i < nops; i += 2)
        emit_pair(t, ops[i], i + 1 < nops ? ops[i + 1] : 0);
    if (npush) {
        t->last_start = start;
        t->last_end = t->n;
        t->last_dst_cell = start + 1 + npop / 2;
        t->last_dst_hi = (npop & 1) != 0;
        t->last_op = op;
    }
}

/* ---- memories other than memory 0 (vm/README.md "Several memories") ----
 * A load, store, memory.size or memory.fill of memory m > 0 is emitted as
 * itself between MEM_USE m and MEM_USE0, which swap memory m's base and
 * size into the registers every memory handler reads: memory 0's code is
 * untouched. Its operands are settled home first, so that popping them
 * emits nothing after MEM_USE (settling writes only their own homes: the
 * one rule of "Deleting emitted code" holds), and nothing fuses with it
 * (no address form, no load-and-branch, no retargeting of its result).
 * memory.grow, memory.copy and memory.init get forms naming their
 * memories (MEMN_*). */
static void emit_v128_op(tr *t, const wb_instr *in);
static void emit_imm(tr *t, const wb_instr *in);
static uint32_t access_size(const wb_opinfo *info);


static bool mem_is64(const tr *t, uint32_t mem)
{
    return t->any64 && wb_module_memory_type(t->m, mem)->is64;
}

/* Stack entries an instruction's operands take (a v128 two). */
static uint32_t operand_entries(const wb_opinfo *info)
{
    uint32_t n = 0;
    for (const char *p = info->sig; *p && *p != ':'; p++)
        n += *p == 'v' ? 2 : 1;
    return n;
}

/* RANGE64 [a n][m flags]: a 64-bit memory's range checked before a bulk
 * instruction (vm/README.md "64-bit memories"). */
static void emit_range64(tr *t, uint32_t a, uint32_t n, uint32_t mem, bool a64, bool n64)
{
    emit_op(t, WB_XOP_RANGE64);
    emit_pair(t, a, n);
    emit_pair(t, mem, (a64 ? 1u : 0u) | (n64 ? 2u : 0u));
}

static void emit_mem_n(tr *t, const wb_instr *in, uint32_t pops, uint32_t pushes)
{
    wb_op op = in->info->op;
    bool d64 = mem_is64(t, in->mem);
    if (op == WB_OP_MEMORY_GROW) {
        emit_fixed(t, d64 ? WB_XOP_MEM64_GROW : WB_XOP_MEMN_GROW, 1, 1);
        emit_pair(t, in->mem, 0);
    } else if (op == WB_OP_MEMORY_COPY || op == WB_OP_MEMORY_INIT) {
        uint32_t n = pop(t), src = pop(t), dst = pop(t);
        if (op == WB_OP_MEMORY_COPY) {
            bool s64 = mem_is64(t, in->mem2);
            if (d64)
                emit_range64(t, dst, n, in->mem, true, s64);
            if (s64)
                emit_range64(t, src, n, in->mem2, true, d64);
        } else if (d64) {
            emit_range64(t, dst, n, in->mem, true, false);
        }
        if (in->mem == 0 && in->mem2 == 0) { /* memory 0 (64-bit): the plain form */
            emit_op(t, op);
            emit_pair(t, dst, src);
            emit_pair(t, n, 0);
            if (op == WB_OP_MEMORY_INIT)
                emit_u(t, in->imm.index);
        } else {
            emit_op(t, op == WB_OP_MEMORY_COPY ? WB_XOP_MEMN_COPY : WB_XOP_MEMN_INIT);
            emit_pair(t, dst, src);
            emit_pair(t, n, in->mem);
            if (op == WB_OP_MEMORY_COPY)
                emit_pair(t, in->mem2, 0);
            else
                emit_u(t, in->imm.index);
        }
    } else {
        uint32_t entries = operand_entries(in->info);
        if (entries > t->height) /* a validated body cannot, but never read below the stack */
            entries = t->height;
        uint32_t first = t->height - entries;
        for (uint32_t k = first; k < t->height; k++)
            settle(t, k);
        if (in->mem) {
            emit_op(t, WB_XOP_MEM_USE);
            emit_pair(t, in->mem, 0);
        }
        if (d64 && (in->info->imm == WB_IMM_MEMARG || in->info->imm == WB_IMM_MEMARG_LANE)) {
            uint64_t size = access_size(in->info), off = in->imm.memarg.offset;
            emit_op(t, WB_XOP_ADDR64);
            emit_pair(t, home(t, first), 0);
            emit_u(t, off > UINT64_MAX - size ? UINT64_MAX : off + size);
        } else if (d64 && op == WB_OP_MEMORY_FILL) {
            emit_range64(t, home(t, first), home(t, first + 2), in->mem, true, true);
        }
        if (wb_op_has_v128(in->info)) {
            emit_v128_op(t, in);
        } else {
            emit_fixed(t, op, pops, pushes);
            emit_imm(t, in);
        }
        if (in->mem)
            emit_op(t, WB_XOP_MEM_USE0);
    }
    t->last_end = 0; /* the result stays in its home: no local.set retargets it */
}

/* ---- 64-bit tables (vm/README.md "64-bit tables") ----
 * An instruction on a 64-bit table is its plain form after one TAB64_IDX
 * per i64 operand (an index or a length), which traps when the operand is
 * 2^32 or more: past the end of any table this engine makes (at most
 * WB_MAX_TABLE_ELEMS elements), so the spec's check would trap too. The
 * plain handler then reads the low halves and computes the same access.
 * Operands are settled home first, as for MEM_USE above, so the checks
 * read their homes and popping them emits nothing after. table.grow has
 * its own form (an i64 delta, an i64 -1); table.size needs nothing (the
 * size it writes is zero-extended). */
static bool table_is64(const tr *t, uint32_t idx)
{
    return t->any_table64 && wb_module_table_type(t->m, idx)->limits.is64;
}

static void emit_tab64_idx(tr *t, uint32_t slot, wb_status trap)
{
    emit_op(t, WB_XOP_TAB64_IDX);
    emit_pair(t, slot, (uint32_t)trap);
}

/* False (nothing emitted) when the instruction needs no 64-bit form. */
static bool emit_table64(tr *t, const wb_instr *in, uint32_t pops, uint32_t pushes)
{
    wb_op op = in->info->op;
    bool wide[3] = {false, false, false}; /* which operands are i64 */
    switch (op) {
    case WB_OP_TABLE_GET:
    case WB_OP_TABLE_SET:
        wide[0] = table_is64(t, in->imm.index);
        break;
    case WB_OP_TABLE_FILL: /* [i v n] */
        wide[0] = wide[2] = table_is64(t, in->imm.index);
        break;
    case WB_OP_TABLE_INIT: /* elem a into table b: [d s n] */
        wide[0] = table_is64(t, in->imm.pair.b);
        break;
    case WB_OP_TABLE_COPY: /* table a <- table b: the length i64 when both are */
        wide[0] = table_is64(t, in->imm.pair.a);
        wide[1] = table_is64(t, in->imm.pair.b);
        wide[2] = wide[0] && wide[1];
        break;
    case WB_OP_TABLE_GROW: /* [init n] */
        if (!table_is64(t, in->imm.index))
            return false;
        emit_fixed(t, WB_XOP_TABLE64_GROW, 2, 1);
        emit_pair(t, in->imm.index, 0);
        t->last_end = 0;
        return true;
    default:
        return false;
    }
    if (!wide[0] && !wide[1] && !wide[2])
        return false;
    if (pops > t->height || pops > 3) /* a validated body cannot */
        return false;
    uint32_t first = t->height - pops;
    for (uint32_t k = first; k < t->height; k++)
        settle(t, k);
    for (uint32_t k = 0; k < pops; k++)
        if (wide[k])
            emit_tab64_idx(t, home(t, first + k), WB_TRAP_TABLE_OOB);
    emit_fixed(t, op, pops, pushes);
    emit_imm(t, in);
    t->last_end = 0; /* the result stays in its home: no local.set retargets it */
    return true;
}

/* ---- v128 values ----
 * A v128 is two entries of the virtual stack, the low half first, the high
 * one marked in vw; a v128 local has two consecutive slots (lslot). So
 * everything that moves values (flush, branches, local writes and their
 * saves) moves a v128 as two 8-byte halves, unchanged. A SIMD instruction
 * names a v128 by its low slot and reads that slot and the next: before it
 * runs, both halves must be in one pair of slots (a local's, or their two
 * homes). A pair split apart (a constant, a half settled by a local
 * write's save) is settled home first, which writes only the two entries'
 * own homes (the one rule holds; "Deleting emitted code" in README.md).
 * Halves of constants never take constant slots: they are settled with
 * MOVI, so the validator's constant count still bounds the area. */
static uint32_t pop_v128(tr *t)
{
    uint32_t hi = t->height - 1, lo = hi - 1;
    if (!(t->vs[lo] < VS_ADDK && t->vs[hi] == t->vs[lo] + 1)) {
        settle(t, lo);
        settle(t, hi);
    }
    (void)drop_top(t);
    return drop_top(t);
}

/* Pushes a v128 result in its two home slots; returns the low one. */
static uint32_t push_home_v128(tr *t)
{
    uint32_t lo = push_home(t);
    (void)push_home(t);
    if (!t->failed)
        t->vw[t->height - 1] = 1;
    return lo;
}

static void emit_imm(tr *t, const wb_instr *in);

/* An instruction with a v128 operand or result (opcodes.def 'V'): the
 * operands from the virtual stack, a v128 one as its low slot, the result
 * in its home (two slots for a v128), then the immediates. Its result is
 * never retargeted by a following local.set (that moves one slot). */
static void emit_v128_op(tr *t, const wb_instr *in)
{
    const char *sig = in->info->sig, *colon = strchr(sig, ':');
    uint32_t npop = (uint32_t)(colon - sig), ops[4];
    for (uint32_t i = npop; i > 0; i--)
        ops[i - 1] = sig[i - 1] == 'V' ? pop_v128(t) : pop(t);
    emit_op(t, in->info->op);
    uint32_t nops = npop;
    if (colon[1])
        ops[nops++] = colon[1] == 'V' ? push_home_v128(t) : push_home(t);
    for (uint32_t i = 0; i < nops; i += 2)
        emit_pair(t, ops[i], i + 1 < nops ? ops[i + 1] : 0);
    emit_imm(t, in);
    t->last_end = 0;
}

/* v128.const: two constants, like any other until an instruction uses them. */
static void push_v128_const(tr *t, const uint8_t *bytes)
{
    uint64_t lo, hi;
    memcpy(&lo, bytes, 8); /* little-endian, as the interpreter is (interp.c) */
    memcpy(&hi, bytes + 8, 8);
    if (t->reference) {
        emit_movi(t, lo, home(t, t->height));
        (void)push_home(t);
        emit_movi(t, hi, home(t, t->height));
        (void)push_home(t);
    } else {
        push_const(t, lo);
        push_const(t, hi);
    }
    if (!t->failed)
        t->vw[t->height - 1] = 1;
}

/* Is the top value a v128 (its two entries)? */
static bool top_is_v128(const tr *t, uint32_t depth)
{
    return t->height > depth && t->vw[t->height - 1 - depth];
}

/* select of two v128 values: one SEL per half, on the same condition. The
 * first writes the low home of the result, which only the first operand's
 * low half may sit in, and that SEL has read it already. */
static void emit_select_v128(tr *t)
{
    uint32_t c = pop(t), b = pop_v128(t), a = pop_v128(t);
    uint32_t dst = push_home_v128(t);
    emit_op(t, WB_XOP_SEL);
    emit_pair(t, a, b);
    emit_pair(t, c, dst);
    emit_op(t, WB_XOP_SEL);
    emit_pair(t, a + 1, b + 1);
    emit_pair(t, c, dst + 1);
    t->last_end = 0;
}

/* A local's first slot: its index, unless some local before it is a v128. */
static uint32_t local_slot(const tr *t, uint32_t idx) { return t->any_wide ? t->lslot[idx] : idx; }
static bool local_is_v128(const tr *t, uint32_t idx) { return t->any_wide && t->lwide[idx]; }

/* Bytes a load or store touches: its natural alignment (opcodes.def). */
static uint32_t access_size(const wb_opinfo *info) { return 1u << info->align; }

/* The immediates of an instruction kept as itself, after its operands: as
 * many cells as opcodes.h WB_IMM_CELLS_<kind> says (the verifier checks it).
 * A result stays retargetable by a following local.set: the caller moves
 * last_end past them. */
static void emit_imm(tr *t, const wb_instr *in)
{
    switch (in->info->imm) {
    case WB_IMM_MEMARG:
        /* where the access ends (xops.def "e"): one bounds test at run time */
        emit_u(t, (uint64_t)in->imm.memarg.offset + access_size(in->info));
        break;
    case WB_IMM_FUNC:
    case WB_IMM_GLOBAL:
    case WB_IMM_TABLE:
    case WB_IMM_MEMORY_INIT:
    case WB_IMM_DATA:
    case WB_IMM_ELEM:
        emit_u(t, in->imm.index);
        break;
    case WB_IMM_TABLE_INIT:
    case WB_IMM_TABLE_COPY:
        emit_pair(t, in->imm.pair.a, in->imm.pair.b);
        break;
    case WB_IMM_LANE:
        emit_u(t, in->imm.lane);
        break;
    case WB_IMM_MEMARG_LANE:
        emit_u(t, (uint64_t)in->imm.memarg.offset + access_size(in->info));
        emit_u(t, in->imm.memarg.lane);
        break;
    case WB_IMM_SHUFFLE: {
        uint64_t lo, hi;
        memcpy(&lo, in->imm.v128, 8);
        memcpy(&hi, in->imm.v128 + 8, 8);
        emit_u(t, lo);
        emit_u(t, hi);
        break;
    }
    default:
        break;
    }
}

/* i32 binary instructions with a constant second operand: the constant goes
 * in the code ([a imm][dst]) instead of the constant area. `swap` is the
 * form to use when the constant is the first operand (0: none). */
static const struct {
    unsigned op, imm, swap;
} imm_forms[] = {
#define ALU_IMM_FORM(name, expr, commutes) \
    {WB_OP_I32_##name, WB_XOP_##name##_I, (commutes) ? WB_XOP_##name##_I : 0},
    WB_ALU32_IMM(ALU_IMM_FORM)
#undef ALU_IMM_FORM
#define CMP_IMM_FORM(name, sg, rel, neg, swp) {WB_OP_I32_##name, WB_XOP_##name##_I, WB_XOP_##swp##_I},
    WB_CMPS(CMP_IMM_FORM)
#undef CMP_IMM_FORM
};

static bool imm_form(unsigned op, unsigned *imm_op, unsigned *swap)
{
    for (size_t i = 0; i < sizeof imm_forms / sizeof imm_forms[0]; i++) {
        if (imm_forms[i].op == op) {
            *imm_op = imm_forms[i].imm;
            *swap = imm_forms[i].swap;
            return true;
        }
    }
    return false;
}

/* Is op one of the immediate forms ([a imm][dst]: one slot operand)? */
static bool is_imm_op(unsigned op)
{
    for (size_t i = 0; i < sizeof imm_forms / sizeof imm_forms[0]; i++)
        if (imm_forms[i].imm == op)
            return true;
    return false;
}

/* Emits an i32 binary op in its immediate form when an operand is a
 * constant; returns false when it does not apply. */
static bool emit_bin_imm(tr *t, unsigned op)
{
    unsigned imm_op, swap;
    uint64_t k;
    if (t->reference || t->height < 2 || !imm_form(op, &imm_op, &swap))
        return false;
    if (is_const(t, 0, &k)) {
        (void)drop_top(t);
    } else if (swap && is_const(t, 1, &k)) {
        /* constant first: drop it from under the top */
        uint32_t top = t->height - 1;
        t->vs[top - 1] = t->vs[top];
        t->vk[top - 1] = t->vk[top];
        t->vx[top - 1] = t->vx[top];
        t->height--;
        note_lazy(t, top - 1);
        imm_op = swap;
    } else {
        return false;
    }
    uint32_t a = pop(t);
    /* x must stay valid until the add is computed: a local, a constant, or
     * this entry's own home (a swapped operand may sit in the home of the
     * height above, which the next value overwrites) */
    if (imm_op == WB_XOP_ADD_I && (a < t->sbase || a == home(t, t->height))) {
        push_addk(t, a, (uint32_t)k);
        return true;
    }
    if (emit_imm_pair(t, imm_op, a, (uint32_t)k, home(t, t->height))) {
        (void)push_home(t);
        return true;
    }
    size_t start = t->n;
    emit_op(t, imm_op);
    emit_pair(t, a, (uint32_t)k);
    uint32_t dst = push_home(t);
    emit_pair(t, dst, 0);
    t->last_start = start;
    t->last_end = t->n;
    t->last_dst_cell = start + 2;
    t->last_dst_hi = false;
    t->last_op = imm_op;
    return true;
}

/* An immediate form `outer` of the fresh result `a` of the last emitted
 * instruction, itself an immediate form: one [x k1][k2 dst] instruction
 * (opfamilies.h WB_IMM_PAIRS; add after add adds the constants). Deletes
 * the inner op; nothing is emitted between the deletion and the pair, and
 * `a`, a fresh result in a home slot, has no other reader, so the rule
 * ("deleting emitted code") holds. Returns false when it does not apply. */
static bool emit_imm_pair(tr *t, unsigned outer, uint32_t a, uint32_t k2, uint32_t dst)
{
    static const struct {
        unsigned outer, inner, fused;
    } pairs[] = {
#define IMM_PAIR_FORM(name, outer, inner, expr) {outer, inner, WB_XOP_##name},
        WB_IMM_PAIRS(IMM_PAIR_FORM)
#undef IMM_PAIR_FORM
        {WB_XOP_ADD_I, WB_XOP_ADD_I, WB_XOP_ADD_I},
    };
    if (t->reference || !fresh_result(t, a) || a < t->sbase)
        return false;
    unsigned fop = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (pairs[i].outer == outer && pairs[i].inner == t->last_op)
            fop = pairs[i].fused;
    if (!fop || t->last_end - t->last_start != WB_CELLS_X_ADD_I)
        return false;
    uint32_t x = t->code[t->last_start + 1].p.a, k1 = t->code[t->last_start + 1].p.b;
    t->n = t->last_start;
    size_t start = t->n;
    emit_op(t, fop);
    if (fop == WB_XOP_ADD_I) {
        emit_pair(t, x, k1 + k2); /* (x + k1) + k2 = x + (k1 + k2), mod 2^32 */
        emit_pair(t, dst, 0);
        t->last_dst_hi = false;
    } else {
        emit_pair(t, x, k1);
        emit_pair(t, k2, dst);
        t->last_dst_hi = true;
    }
    t->last_start = start;
    t->last_end = t->n;
    t->last_dst_cell = start + 2;
    t->last_op = fop;
    return true;
}

/* ADD_I [x K][dst], recorded as the last result (so local.set can retarget
 * it and a load/store fuse it). */
static void emit_addk(tr *t, uint32_t x, uint32_t k, uint32_t dst)
{
    if (emit_imm_pair(t, WB_XOP_ADD_I, x, k, dst))
        return;
    size_t start = t->n;
    emit_op(t, WB_XOP_ADD_I);
    emit_pair(t, x, k);
    emit_pair(t, dst, 0);
    t->last_start = start;
    t->last_end = t->n;
    t->last_dst_cell = start + 2;
    t->last_dst_hi = false;
    t->last_op = WB_XOP_ADD_I;
}

/* ---- deleting emitted code: the one rule ----
 *
 * A fusion may delete the instruction emitted last (D: the cells from
 * last_start, nothing emitted after it) and emit in its place one
 * instruction F that does D's work as well as its own. D's work then happens
 * when F runs. Between the deletion and F, the fusion may have to emit code
 * for the other values F reads: computing a pending x + K into its home slot
 * when it is popped, or the moves of a flush before a branch. That code used
 * to run after D and now runs before D's work, so it must not write a slot D
 * read (D would see the new value) and must not read the slot D wrote (D no
 * longer writes it). `may_fold_last` checks exactly that, for the stack
 * entries whose code the fusion will emit, and every fusion that deletes D
 * asks it first; when it says no, the fusion is not done and the plain
 * instructions are emitted.
 *
 * The facts the rest of the translator relies on, so that this is the only
 * check needed:
 * - code emitted for stack entry k writes only home(k): a stack entry reads a
 *   local, a constant, or its own home slot, never another entry's home (the
 *   constant-first swap in emit_bin_imm is undone before anything is
 *   emitted), and an instruction writes the home of its result's height;
 * - every handler reads all its operands before it writes its result, so an
 *   instruction may write a slot it reads (local.set retargeting a result to
 *   a local the instruction reads; results written in place);
 * - local.set retargets D's result to the local only when no stack entry
 *   still reads that local (the reader counts);
 * - a pending x + K folded into the load or store that uses it was never
 *   emitted, so folding it deletes nothing: its x (a local, a constant or
 *   its own home) is written by no code emitted for another entry, and a
 *   write to a local x first computes the pending value (save_local_readers).
 */

/* The code the translator emits for stack entry k when a fusion pops it
 * (settle false: only a pending x + K needs code) or when a flush moves it
 * home (settle true: anything not yet at home). Returns false when there is
 * none; else *writes is the slot the code writes (home(k)) and *reads the one
 * it reads (UINT32_MAX for a constant). */
static bool entry_code(const tr *t, uint32_t k, bool settle, uint32_t *writes, uint32_t *reads)
{
    uint32_t v = t->vs[k];
    *writes = home(t, k);
    if (v == VS_ADDK) {
        *reads = t->vx[k];
        return true;
    }
    if (!settle || v == home(t, k))
        return false;
    *reads = v == VS_CONST ? UINT32_MAX : v;
    return true;
}

/* The slots read by the last emitted instruction, for the instructions
 * fusions delete: binary [a b][dst], immediate forms [a imm][dst], eqz
 * [a dst]. Returns how many. */
static unsigned last_reads(const tr *t, uint32_t out[2])
{
    const wb_cell *ops = &t->code[t->last_start + 1];
    out[0] = ops->p.a;
    if (is_imm_op(t->last_op) || t->last_op == WB_OP_I32_EQZ || t->last_op == WB_OP_I64_EQZ)
        return 1;
    out[1] = ops->p.b;
    return 2;
}

/* The rule above: may an emitted instruction that read the nr slots r and
 * wrote dst be deleted and its work folded into an instruction emitted
 * after the code for stack entries [from, to) (popped, or settled when
 * `settle`)? */
static bool may_fold(const tr *t, uint32_t from, uint32_t to, bool settle, const uint32_t *r,
                     unsigned nr, uint32_t dst)
{
    for (uint32_t k = from; k < to; k++) {
        uint32_t w, rd;
        if (!entry_code(t, k, settle, &w, &rd))
            continue;
        for (unsigned i = 0; i < nr; i++)
            if (w == r[i])
                return false;
        if (rd == dst)
            return false;
    }
    return true;
}

/* may_fold for the last emitted instruction. */
static bool may_fold_last(const tr *t, uint32_t from, uint32_t to, bool settle)
{
    uint32_t r[2];
    unsigned nr = last_reads(t, r);
    uint32_t dst = t->last_dst_hi ? t->code[t->last_dst_cell].p.b : t->code[t->last_dst_cell].p.a;
    return may_fold(t, from, to, settle, r, nr, dst);
}

/* A load or store whose address was just computed by ADD_I (or I32_ADD of
 * two slots): drop the add and emit the fused form that adds the constant
 * (the slot) itself (32-bit wrap, then the 64-bit offset, exactly as the two
 * instructions would). SUB_I's x - K is x + (-K) mod 2^32: the same form
 * (nbody's `p[-6]`). Leaving x - K pending like x + K was tried: nbody
 * the same, sha256 +1.1% host instructions (2.838 -> 2.871). */
static bool emit_mem_fused(tr *t, const wb_opinfo *info, uint32_t npop, uint32_t npush,
                           uint32_t offset)
{
    unsigned op = info->op;
    static const unsigned fused[WB_OP_COUNT] = {
#define LOAD_A(name, type, conv) [WB_OP_##name] = WB_XOP_##name##_A,
#define STORE_A(name, type) [WB_OP_##name] = WB_XOP_##name##_A,
        WB_LOADS(LOAD_A) WB_STORES(STORE_A)
#undef LOAD_A
#undef STORE_A
    };
    static const unsigned fused_x[WB_OP_COUNT] = {
#define LOAD_X(name, type, conv) [WB_OP_##name] = WB_XOP_##name##_X,
#define STORE_X(name, type) [WB_OP_##name] = WB_XOP_##name##_X,
        WB_LOADS(LOAD_X) WB_STORES(STORE_X)
#undef LOAD_X
#undef STORE_X
    };
    /* the fused forms keep where the access ends in 32 bits (xops.def "e");
     * an offset within a few bytes of 2^32 stays with the plain form */
    uint64_t end64 = (uint64_t)offset + access_size(info);
    if (t->reference || op >= WB_OP_COUNT || !fused[op] || t->height < npop || end64 > UINT32_MAX)
        return false;
    uint32_t end = (uint32_t)end64;
    uint32_t k = t->height - npop; /* the address */
    if (t->vs[k] == VS_ADDK) {
        /* a pending x + K: the access adds it itself */
        uint32_t x = t->vx[k], add = (uint32_t)t->vk[k];
        uint32_t value = npop == 2 ? pop(t) : 0;
        (void)drop_top(t);
        size_t start = t->n;
        emit_op(t, fused[op]);
        if (npush) {
            uint32_t dst = push_home(t);
            emit_pair(t, x, dst);
            t->last_start = start;
            t->last_dst_cell = start + 1;
            t->last_dst_hi = true;
            t->last_op = fused[op];
        } else {
            emit_pair(t, x, value);
        }
        emit_pair(t, end, add);
        t->last_end = npush ? t->n : 0;
        return true;
    }
    uint32_t h = home(t, k);
    if (t->vs[k] != h || !t->last_end || t->last_end != t->n || t->failed ||
        (t->last_op != WB_XOP_ADD_I && t->last_op != WB_OP_I32_ADD && t->last_op != WB_XOP_SUB_I))
        return false;
    bool two_slots = t->last_op == WB_OP_I32_ADD;
    /* ADD_I is [x K][dst], I32_ADD is [x y][dst]: both have dst at .a of the
     * third cell */
    if (t->code[t->last_start + 2].p.a != h)
        return false;
    /* a store's value may be a pending x + K, computed before the access */
    if (npop == 2 && !may_fold_last(t, k + 1, k + 2, false))
        return false;
    uint32_t x = t->code[t->last_start + 1].p.a, add = t->code[t->last_start + 1].p.b;
    if (t->last_op == WB_XOP_SUB_I)
        add = -add;
    unsigned fop = two_slots ? fused_x[op] : fused[op];
    t->n = t->last_start;
    uint32_t value = npop == 2 ? pop(t) : 0;
    (void)drop_top(t);
    size_t start = t->n;
    emit_op(t, fop);
    if (npush) {
        uint32_t dst = push_home(t);
        emit_pair(t, x, dst);
        t->last_start = start;
        t->last_dst_cell = start + 1;
        t->last_dst_hi = true;
        t->last_op = fop;
    } else {
        emit_pair(t, x, value);
    }
    emit_pair(t, end, add);
    t->last_end = npush ? t->n : 0;
    return true;
}

/* ---- a load feeding a multiply-add ----
 * `s += a[i] * b` is a load, an i32.mul of its fresh result and an i32.add:
 * one [x b][end K][c dst] instruction (opfamilies.h WB_LOAD_MADDS). The
 * load is noted when emitted (note_madd_load), the mul that multiplies its
 * result right after it too (note_load_mul); emit_madd then deletes both
 * under the rule above, checked for each. */
static const struct {
    unsigned plain, addk, fused;
} load_madd_forms[] = {
#define LOAD_MADD_FORM(name, type, conv) {WB_OP_##name, WB_XOP_##name##_A, WB_XOP_##name##_MADD},
    WB_LOAD_MADDS(LOAD_MADD_FORM)
#undef LOAD_MADD_FORM
};

/* The load at cell `at`, plain ([addr dst][end]) or _A ([x dst][end K]),
 * one of WB_LOAD_MADDS, as the address x + K, its access's end (in 32 bits,
 * as the fused forms keep it) and its result slot; returns the wasm load
 * (WB_OP_*), or 0. */
static unsigned load_parts(const tr *t, size_t at, uint32_t *x, uint32_t *k, uint32_t *end,
                           uint32_t *dst)
{
    const wb_cell *ld = &t->code[at];
    for (size_t i = 0; i < sizeof load_madd_forms / sizeof load_madd_forms[0]; i++) {
        if (ld->h == t->h[load_madd_forms[i].addk]) {
            *end = ld[2].p.a;
            *k = ld[2].p.b;
        } else if (ld->h == t->h[load_madd_forms[i].plain] && ld[2].u <= UINT32_MAX) {
            *end = (uint32_t)ld[2].u;
            *k = 0; /* (x + 0) mod 2^32 + offset: the plain load's address */
        } else {
            continue;
        }
        *x = ld[1].p.a;
        *dst = ld[1].p.b;
        return load_madd_forms[i].plain;
    }
    return 0;
}

/* load_parts, returning the load's multiply-add form (WB_XOP_*_MADD). */
static unsigned load_madd_parts(const tr *t, size_t at, uint32_t *x, uint32_t *k, uint32_t *end,
                                uint32_t *dst)
{
    unsigned load = load_parts(t, at, x, k, end, dst);
    for (size_t i = 0; load && i < sizeof load_madd_forms / sizeof load_madd_forms[0]; i++)
        if (load_madd_forms[i].plain == load)
            return load_madd_forms[i].fused;
    return 0;
}

/* A load was emitted at cell `at` (wasm offset `off`), the last
 * instruction: note it if a multiply-add may take it. */
static void note_madd_load(tr *t, size_t at, size_t off)
{
    uint32_t x, k, end, dst;
    if (t->reference || t->failed || !load_madd_parts(t, at, &x, &k, &end, &dst))
        return;
    t->mload_start = at;
    t->mload_end = t->n;
    t->mload_off = off;
}

/* An i32.mul was emitted at cell `at`: note it if it multiplies the fresh
 * result of the load just before it, in that load's home slot (which
 * nothing reads once the mul has popped it), by another slot. */
static void note_load_mul(tr *t, size_t at)
{
    uint32_t x, k, end, dst;
    t->lmul_at = 0;
    if (t->reference || t->failed || !t->mload_end || t->mload_end != at ||
        !load_madd_parts(t, t->mload_start, &x, &k, &end, &dst) || dst < t->sbase)
        return;
    uint32_t a = t->code[at + 1].p.a, b = t->code[at + 1].p.b;
    if ((a == dst) == (b == dst))
        return; /* not its operand, or both (a square) */
    t->lmul_at = at;
    t->lmul_load = t->mload_start;
    t->lmul_off = t->mload_off;
}

/* The offset of the wasm instruction the cell `cell` was emitted for. */
static size_t map_offset_at(const tr *t, size_t cell)
{
    for (size_t i = t->map.n; i > 0; i--)
        if (t->map.cell[i - 1] <= cell)
            return t->map.offset[i - 1];
    return t->cur_off;
}

/* Is an instruction of handler `op` emitted at cell `at`, its cells up to
 * (not including) `next`? */
static bool emitted_at(const tr *t, size_t at, size_t cells, size_t next, unsigned op)
{
    return at + cells == next && t->istart[at] == 1 && t->code[at].h == t->h[op];
}

/* A binary op whose operand is the fresh result of the op just emitted: one
 * [a b][c dst] instruction instead of both. i32: mul+add (MADD), add+add
 * (ADD3), xor+xor (XOR3), rotl-by-constant+xor (ROTL_XOR), and+add, xor+add;
 * f64: mul+add (F64_MADD), mul-c (F64_MSUB), c-mul (F64_RMSUB), mul*c
 * (F64_MUL3, F64_RMUL3), c/mul (F64_RMDIV). Deletes the
 * first op: "deleting emitted code" above. */
static bool emit_madd(tr *t, unsigned op)
{
    enum { ANY = 3, FIRST = 1, SECOND = 2 }; /* where the earlier op's result may be */
    static const struct {
        unsigned op, prev, where, fused;
    } pairs[] = {
#define PAIR(name, outer, inner, where, type, b, expr) {outer, inner, where, WB_XOP_##name},
        WB_FUSED_PAIRS(PAIR)
#undef PAIR
    };
    unsigned mul = 0, first = 0, second = 0;
    for (size_t i = 0; !t->reference && i < sizeof pairs / sizeof pairs[0]; i++) {
        if (pairs[i].op == op && pairs[i].prev == t->last_op) {
            mul = pairs[i].prev;
            if (pairs[i].where & FIRST)
                first = pairs[i].fused;
            if (pairs[i].where & SECOND)
                second = pairs[i].fused;
        }
    }
    if (!mul)
        return false;
    if (t->height < 2 || !t->last_end || t->last_end != t->n || t->failed || t->last_op != mul)
        return false;
    uint32_t top = t->height - 1, dst = t->code[t->last_start + 2].p.a;
    uint32_t m; /* which entry holds the product */
    if (t->vs[top] == dst && dst == home(t, top))
        m = top;
    else if (t->vs[top - 1] == dst && dst == home(t, top - 1))
        m = top - 1;
    else
        return false;
    unsigned fop = m == top ? second : first;
    if (!fop)
        return false; /* no fused form for this operand order (F64_RMDIV: c / (a * b) only) */
    uint32_t other = m == top ? top - 1 : top;
    /* the other operand may be a pending x + K, computed before F */
    if (!may_fold_last(t, other, other + 1, false))
        return false;
    uint32_t a = t->code[t->last_start + 1].p.a, b = t->code[t->last_start + 1].p.b;
    /* F64_RMDIV whose product's second factor is the fresh result of an
     * f64.sqrt emitted just before the mul (nbody's `dt / (d2 *
     * sqrt(d2))`): the sqrt goes too (F64_RMDIV_SQRT, eighth session). Its
     * result was an operand home at or above the product's, which dies
     * with the div; the code popping c emits must not write what the sqrt
     * read nor read what it wrote (the rule above, for it too). */
    size_t sq_at = 0;
    if (fop == WB_XOP_F64_RMDIV && t->last_start >= WB_CELLS_F64_SQRT) {
        size_t at = t->last_start - WB_CELLS_F64_SQRT;
        uint32_t sin = t->code[at + 1].p.a, sd = t->code[at + 1].p.b;
        if (emitted_at(t, at, WB_CELLS_F64_SQRT, t->last_start, WB_OP_F64_SQRT) && b == sd &&
            a != sd && sd >= home(t, top) && may_fold(t, other, other + 1, false, &sin, 1, sd)) {
            sq_at = at;
            b = sin;
            fop = WB_XOP_F64_RMDIV_SQRT;
        }
    }
    /* the mul's factor loaded just before it: the load goes too */
    uint32_t lx, lk, lend, ldst;
    unsigned lop = 0;
    if (fop == WB_XOP_MADD && t->lmul_at && t->lmul_at == t->last_start &&
        (lop = load_madd_parts(t, t->lmul_load, &lx, &lk, &lend, &ldst)) != 0 &&
        !may_fold(t, other, other + 1, false, &lx, 1, ldst))
        lop = 0;
    size_t load_off = t->lmul_off;
    t->n = lop ? t->lmul_load : sq_at ? sq_at : t->last_start; /* drop the first op(s); popping may emit code in their place */
    uint32_t c1 = pop(t), c2 = pop(t);
    uint32_t c = m == top ? c2 : c1;
    size_t start = t->n;
    if (lop) {
        /* [x b][end K][c dst], b the mul's other factor; located at the
         * load, the only part that can trap */
        size_t off = t->cur_off;
        t->cur_off = load_off;
        emit_op(t, lop);
        t->cur_off = off;
        emit_pair(t, lx, a == ldst ? b : a);
        emit_pair(t, lend, lk);
        uint32_t d = push_home(t);
        emit_pair(t, c, d);
        t->last_start = start;
        t->last_end = t->n;
        t->last_dst_cell = start + 3;
        t->last_dst_hi = true;
        t->last_op = lop;
        return true;
    }
    emit_op(t, fop);
    emit_pair(t, a, b);
    uint32_t d = push_home(t);
    emit_pair(t, c, d);
    t->last_start = start;
    t->last_end = t->n;
    t->last_dst_cell = start + 2;
    t->last_dst_hi = true;
    t->last_op = fop;
    return true;
}

/* ---- rotate chains (opfamilies.h WB_ROT_CHAINS) ----
 * An i32.xor of the fresh result of ROTL_I or SHR_U_I (the inner op, just
 * emitted) and the fresh result of the instruction just before that, a
 * ROTL_I or ROTL2_XOR of the same slot: both deleted, one instruction in
 * their place. The other operand is in its home slot, so popping it emits
 * nothing: no code comes between the deletions and the chain, and the two
 * fresh results (home slots) have no other reader, so the rule above holds.
 * The slot rotated must not be the earlier op's result (it would then
 * rotate its own rotation). Returns false when it does not apply. */
static bool emit_rot_chain(tr *t, unsigned op)
{
    if (t->reference || t->failed || op != WB_OP_I32_XOR || t->height < 2 || !t->last_end ||
        t->last_end != t->n || (t->last_op != WB_XOP_ROTL_I && t->last_op != WB_XOP_SHR_U_I))
        return false;
    size_t at = t->last_start;
    uint32_t a = t->code[at + 1].p.a, k = t->code[at + 1].p.b, d = t->code[at + 2].p.a;
    uint32_t top = t->height - 1, m; /* which entry holds the inner op's result */
    if (t->vs[top] == d && d == home(t, top))
        m = top;
    else if (t->vs[top - 1] == d && d == home(t, top - 1))
        m = top - 1;
    else
        return false;
    uint32_t other = m == top ? top - 1 : top, c = home(t, other);
    if (t->vs[other] != c || at == 0)
        return false;
    size_t p = at - 1; /* the instruction before the inner op */
    while (p > 0 && !t->istart[p])
        p--;
    const wb_cell *pr = &t->code[p];
    unsigned fop;
    uint32_t k1 = pr[1].p.b, k2 = 0;
    if (t->istart[p] != 1 || pr[1].p.a != a || a == c)
        return false;
    if (pr->h == t->h[WB_XOP_ROTL_I] && p + WB_CELLS_X_ROTL_I == at && pr[2].p.a == c &&
        t->last_op == WB_XOP_ROTL_I) {
        fop = WB_XOP_ROTL2_XOR;
    } else if (pr->h == t->h[WB_XOP_ROTL2_XOR] && p + WB_CELLS_X_ROTL2_XOR == at && pr[2].p.b == c) {
        k2 = pr[2].p.a;
        fop = t->last_op == WB_XOP_ROTL_I ? WB_XOP_ROTL3_XOR : WB_XOP_ROTL2_SHR_U_XOR;
    } else {
        return false;
    }
    t->n = p;
    (void)pop(t); /* both in home slots: no code */
    (void)pop(t);
    size_t start = t->n;
    emit_op(t, fop);
    emit_pair(t, a, k1);
    if (fop == WB_XOP_ROTL2_XOR) {
        emit_pair(t, k, push_home(t));
        t->last_dst_cell = start + 2;
        t->last_dst_hi = true;
    } else {
        emit_pair(t, k2, k);
        emit_pair(t, push_home(t), 0);
        t->last_dst_cell = start + 3;
        t->last_dst_hi = false;
    }
    t->last_start = start;
    t->last_end = t->n;
    t->last_op = fop;
    return true;
}

/* ---- an f64.load feeding an f64 add, sub or mul ----
 * `a->x - b->x`: the load is noted when emitted (note_f64_load); when the
 * operation right after it takes its fresh result as one operand, both are
 * one [x b][end K][dst _] instruction (opfamilies.h WB_LOAD_F64_OPS),
 * the load deleted under the rule above. It is located at the load (the
 * only part that can trap). Measured on nbody: vm/README.md "Issue 12,
 * seventh session". */

/* The f64.load at cell `at`, plain ([addr dst][end]) or _A ([x dst][end
 * K]), as the address x + K, its access's end in 32 bits and its result
 * slot; false when it is neither. */
static bool f64_load_parts(const tr *t, size_t at, uint32_t *x, uint32_t *k, uint32_t *end,
                           uint32_t *dst)
{
    const wb_cell *ld = &t->code[at];
    if (ld->h == t->h[WB_XOP_F64_LOAD_A]) {
        *end = ld[2].p.a;
        *k = ld[2].p.b;
    } else if (ld->h == t->h[WB_OP_F64_LOAD] && ld[2].u <= UINT32_MAX) {
        *end = (uint32_t)ld[2].u;
        *k = 0; /* (x + 0) mod 2^32 + offset: the plain load's address */
    } else {
        return false;
    }
    *x = ld[1].p.a;
    *dst = ld[1].p.b;
    return true;
}

/* A load was emitted at cell `at` (wasm offset `off`), the last
 * instruction: note it if it is an f64.load an operation may take. */
static void note_f64_load(tr *t, size_t at, size_t off)
{
    uint32_t x, k, end, dst;
    if (t->reference || t->failed || !f64_load_parts(t, at, &x, &k, &end, &dst))
        return;
    t->fload_start = at;
    t->fload_end = t->n;
    t->fload_off = off;
}

/* f64 `op` (add, sub or mul) whose one operand is the fresh result of the
 * f64.load just emitted, in that load's home slot: the fused form. */
static bool emit_load_f64(tr *t, unsigned op)
{
    static const struct {
        unsigned op, loaded, fused;
    } forms[] = {
#define LOAD_F64_FORM(name, outer, loaded, expr) {outer, loaded, WB_XOP_##name},
        WB_LOAD_F64_OPS(LOAD_F64_FORM)
#undef LOAD_F64_FORM
    };
    uint32_t x, k, end, ldst;
    if (t->reference || t->failed || t->height < 2 || !t->fload_end || t->fload_end != t->n ||
        !t->last_end || t->last_end != t->n || t->last_start != t->fload_start ||
        !f64_load_parts(t, t->fload_start, &x, &k, &end, &ldst) || ldst < t->sbase)
        return false;
    uint32_t top = t->height - 1;
    uint32_t m; /* which entry holds the loaded value */
    if (t->vs[top] == ldst && ldst == home(t, top))
        m = top;
    else if (t->vs[top - 1] == ldst && ldst == home(t, top - 1))
        m = top - 1;
    else
        return false;
    unsigned loaded = m == top ? 2 : 1, fop = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (forms[i].op == op && forms[i].loaded == loaded)
            fop = forms[i].fused;
    uint32_t other = m == top ? top - 1 : top;
    /* popping the other operand emits code only for a pending x + K (not
     * an f64); asked all the same, as every deleting fusion does */
    if (!fop || !may_fold(t, other, other + 1, false, &x, 1, ldst))
        return false;
    t->n = t->fload_start; /* drop the load; popping may emit code in its place */
    uint32_t c1 = pop(t), c2 = pop(t);
    uint32_t b = m == top ? c2 : c1;
    size_t start = t->n, off = t->cur_off;
    t->cur_off = t->fload_off;
    emit_op(t, fop);
    t->cur_off = off;
    emit_pair(t, x, b);
    emit_pair(t, end, k);
    uint32_t d = push_home(t);
    emit_pair(t, d, 0);
    t->last_start = start;
    t->last_end = t->n;
    t->last_dst_cell = start + 3;
    t->last_dst_hi = false;
    t->last_op = fop;
    return true;
}

/* ---- an f64 location updated by a product of three (eighth session) ----
 * nbody's `a->v -= dx * m * mag` is f64.load, F64_MUL3, f64.sub of the two,
 * f64.store to the load's address; `b->v += ...` F64_MUL3 then
 * F64_LOAD_RADD (the load fused with the add), f64.store. When the store's
 * address is the load's (the same slot, not written since the load: only
 * the deleted instructions ran in between, writing operand homes above
 * the address), the three instructions and the store are one
 * [x a][end K][b c] instruction (opfamilies.h WB_F64_RMW_NBODY2), located
 * at the load: the store has the same address and end, so only the load
 * can trap. The deleted instructions' results were operand homes at or
 * above the stored value's, which nothing reads once the store has popped
 * it; popping the store's operands emits no code (the value is at home,
 * the address a slot or a pending x + K folded here), so the rule of
 * "deleting emitted code" holds with nothing emitted in between. */

/* F64_MUL3 ([a b][c dst]) ending at cell `next`: its three factors in f[],
 * its product's slot in *dst. */
static bool mul3_before(const tr *t, size_t next, uint32_t f[3], uint32_t *dst)
{
    size_t at = next - WB_CELLS_X_F64_MUL3;
    if (next < WB_CELLS_X_F64_MUL3 || !emitted_at(t, at, WB_CELLS_X_F64_MUL3, next, WB_XOP_F64_MUL3))
        return false;
    f[0] = t->code[at + 1].p.a;
    f[1] = t->code[at + 1].p.b;
    f[2] = t->code[at + 2].p.a;
    *dst = t->code[at + 2].p.b;
    return true;
}

/* An f64.store (memory 0, its offset `offset`) whose value is such an
 * update of the location it stores to: the fused form. */
static bool emit_f64_rmw(tr *t, uint64_t offset)
{
    static const struct {
        unsigned outer, product, fused;
    } forms[] = {
#define RMW_FORM(name, outer, product, expr) {outer, product, WB_XOP_##name},
        WB_F64_RMW_NBODY2(RMW_FORM)
#undef RMW_FORM
    };
    uint64_t end64 = offset + 8;
    if (t->reference || t->failed || t->height < 2 || !t->last_end || t->last_end != t->n ||
        offset > UINT32_MAX || end64 > UINT32_MAX)
        return false;
    uint32_t top = t->height - 1, ad = top - 1, val = home(t, top);
    uint32_t vdst = t->last_dst_hi ? t->code[t->last_dst_cell].p.b : t->code[t->last_dst_cell].p.a;
    if (t->vs[top] != val || vdst != val)
        return false;
    /* the store's address as x + K */
    uint32_t sx, sk = 0;
    if (t->vs[ad] == VS_ADDK) {
        sx = t->vx[ad];
        sk = (uint32_t)t->vk[ad];
    } else if (t->vs[ad] == VS_CONST) {
        return false;
    } else {
        sx = t->vs[ad];
    }
    uint32_t x, k, end, f[3], pdst, ldst = 0;
    unsigned outer = 0, product = 0;
    size_t start, load_at;
    const wb_cell *last = &t->code[t->last_start];
    if (t->last_op == WB_XOP_F64_LOAD_ADD || t->last_op == WB_XOP_F64_LOAD_RADD ||
        t->last_op == WB_XOP_F64_LOAD_SUB || t->last_op == WB_XOP_F64_LOAD_RSUB) {
        /* F64_MUL3, then the load fused with the add or sub taking it:
         * [x b][end K][dst _] */
        if (!emitted_at(t, t->last_start, WB_CELLS_X_F64_LOAD_RADD, t->n, t->last_op) ||
            !mul3_before(t, t->last_start, f, &pdst) ||
            last[1].p.b != pdst)
            return false;
        x = last[1].p.a;
        end = last[2].p.a;
        k = last[2].p.b;
        outer = t->last_op == WB_XOP_F64_LOAD_ADD || t->last_op == WB_XOP_F64_LOAD_RADD ? WB_OP_F64_ADD
                                                                                       : WB_OP_F64_SUB;
        /* F64_LOAD_ADD is l + b: the product second */
        product = t->last_op == WB_XOP_F64_LOAD_ADD || t->last_op == WB_XOP_F64_LOAD_SUB ? 2 : 1;
        start = t->last_start - WB_CELLS_X_F64_MUL3;
        load_at = t->last_start;
    } else if (t->last_op == WB_OP_F64_ADD || t->last_op == WB_OP_F64_SUB) {
        /* f64.load, F64_MUL3, then the add or sub of their results:
         * [s1 s2][dst _] */
        uint32_t s1 = last[1].p.a, s2 = last[1].p.b;
        if (t->last_start < WB_CELLS_X_F64_MUL3 + WB_CELLS_F64_LOAD ||
            !emitted_at(t, t->last_start, WB_CELLS_F64_ADD, t->n, t->last_op) ||
            !mul3_before(t, t->last_start, f, &pdst))
            return false;
        size_t mul_at = t->last_start - WB_CELLS_X_F64_MUL3;
        load_at = mul_at - WB_CELLS_F64_LOAD;
        if (!(emitted_at(t, load_at, WB_CELLS_F64_LOAD, mul_at, WB_OP_F64_LOAD) ||
              emitted_at(t, load_at, WB_CELLS_X_F64_LOAD_A, mul_at, WB_XOP_F64_LOAD_A)) ||
            !f64_load_parts(t, load_at, &x, &k, &end, &ldst))
            return false;
        if (s1 == ldst && s2 == pdst)
            product = 2;
        else if (s1 == pdst && s2 == ldst)
            product = 1;
        else
            return false;
        /* the product must not have read the loaded value: the fused form
         * reads its factors, not the slot the load no longer writes */
        if (ldst < val || f[0] == ldst || f[1] == ldst || f[2] == ldst)
            return false;
        outer = t->last_op;
        start = load_at;
    } else {
        return false;
    }
    /* the same location; the deleted results in operand homes that die
     * with the store (at or above the stored value's); the address not one
     * of them, so the store read it as the load did */
    if (x != sx || k != sk || end != (uint32_t)end64 || pdst == ldst || pdst < val || sx >= val)
        return false;
    unsigned fop = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (forms[i].outer == outer && forms[i].product == product)
            fop = forms[i].fused;
    if (!fop)
        return false;
    size_t off = t->cur_off;
    t->cur_off = map_offset_at(t, load_at);
    t->n = start;
    (void)drop_top(t); /* the value: at home, no code */
    (void)drop_top(t); /* the address: a slot, or the pending x + K folded here */
    emit_op(t, fop);
    t->cur_off = off;
    emit_pair(t, x, f[0]);
    emit_pair(t, end, k);
    emit_pair(t, f[1], f[2]);
    t->last_end = 0;
    return true;
}

/* True when the value just popped (in `slot`) was produced by the last
 * emitted instruction and nothing was emitted since. */
static bool fresh_result(const tr *t, uint32_t slot)
{
    return t->last_end && t->last_end == t->n && !t->failed &&
           (t->last_dst_hi ? t->code[t->last_dst_cell].p.b : t->code[t->last_dst_cell].p.a) == slot;
}

static void local_write(tr *t, uint32_t local, bool tee)
{
    uint64_t k;
    if (is_const(t, 0, &k)) {
        (void)drop_top(t);
        if (k == 0 && local >= t->nparams && t->n == t->entry_end && t->nlabels == 1) {
            /* Nothing but such zero writes has run yet: declared locals still
             * hold their entry zero (clang starts functions this way). */
            t->last_end = 0;
            if (tee)
                push_local(t, local);
            return;
        }
        save_local_readers(t, local);
        emit_movi(t, k, local);
        t->last_end = 0;
        if (tee)
            push_local(t, local);
        return;
    }
    uint32_t v = pop(t);
    if (v != local) {
        if (!t->reference && !has_readers(t, local) && v == home(t, t->height) &&
            fresh_result(t, v)) {
            /* the producer writes the local directly */
            if (t->last_dst_hi)
                t->code[t->last_dst_cell].p.b = local;
            else
                t->code[t->last_dst_cell].p.a = local;
        } else {
            save_local_readers(t, local);
            emit_mov(t, v, local);
        }
    }
    t->last_end = 0;
    if (tee)
        push_local(t, local);
}

/* Fused compare-and-branch ops for the comparisons (i32, i32 against a
 * constant, i64), and their negations, from the comparison family; and the
 * bit test of an and with a constant. */
static unsigned fused_branch(unsigned op, bool negate)
{
    static const struct {
        unsigned op, br, neg;
    } map[] = {
#define CMP_BRANCH(name, sg, rel, neg, swp)                                   \
    {WB_OP_I32_##name, WB_XOP_BRC_##name, WB_XOP_BRC_##neg},                  \
    {WB_XOP_##name##_I, WB_XOP_BRC_##name##_I, WB_XOP_BRC_##neg##_I},         \
    {WB_OP_I64_##name, WB_XOP_BRC64_##name, WB_XOP_BRC64_##neg},
        WB_CMPS(CMP_BRANCH)
#undef CMP_BRANCH
        /* a bit test, `if (x & K)` */
        {WB_XOP_AND_I, WB_XOP_BR_AND_NZ, WB_XOP_BR_AND_Z},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].op == op)
            return negate ? map[i].neg : map[i].br;
    return 0;
}

static const struct {
    unsigned load, nz, z;
} load_branch_forms[] = {
#define LOAD_BR_FORM(name, type) {WB_OP_##name, WB_XOP_##name##_BR_NZ, WB_XOP_##name##_BR_Z},
    WB_LOAD_BRANCHES(LOAD_BR_FORM)
#undef LOAD_BR_FORM
};

/* Is op a load a branch may test (opfamilies.h WB_LOAD_BRANCHES)? */
static bool is_branch_load(unsigned op)
{
    for (size_t i = 0; i < sizeof load_branch_forms / sizeof load_branch_forms[0]; i++)
        if (load_branch_forms[i].load == op)
            return true;
    return false;
}

/* A branch on the value a plain i32.load (or load8_u) just loaded into slot
 * c (its home, or a local it was retargeted to and the condition reads), or
 * on `eqz` of it: one instruction that loads into the same slot and
 * branches. Deletes the load (and the eqz) under the rule above, checked
 * here for both: the flush emitted before the fused load must not write the
 * load's address or result slot, nor read its result. Its cells keep the
 * load's offset in the code map, its branch cell the branch's (traps are
 * located as unfused). Returns the cell taking the target, or 0 when it
 * does not apply (nothing emitted). */
static size_t emit_load_branch(tr *t, uint32_t c, bool negate)
{
    if (t->reference || t->failed || !t->load_end || t->load_start + WB_CELLS_I32_LOAD != t->load_end)
        return 0;
    const wb_cell *ld = &t->code[t->load_start];
    unsigned load = 0;
    for (size_t i = 0; i < sizeof load_branch_forms / sizeof load_branch_forms[0]; i++)
        if (ld->h == t->h[load_branch_forms[i].load])
            load = (unsigned)i;
    if (ld->h != t->h[load_branch_forms[load].load])
        return 0;
    uint32_t addr = ld[1].p.a, dst = ld[1].p.b;
    bool zero = false; /* branch when the loaded value is 0 */
    if (t->load_end == t->n && dst == c) {
        /* the load is the last instruction and c its result */
    } else if (t->last_op == WB_OP_I32_EQZ && t->last_start == t->load_end && c == home(t, t->height) &&
               fresh_result(t, c) && t->code[t->last_start + 1].p.a == dst) {
        zero = true; /* br_if (i32.eqz (load)) */
    } else {
        return 0;
    }
    for (uint32_t k = t->dirty; k < t->height; k++) {
        uint32_t w, rd;
        if (entry_code(t, k, true, &w, &rd) && (w == addr || w == dst || rd == dst))
            return 0;
    }
    unsigned op = zero != negate ? load_branch_forms[load].z : load_branch_forms[load].nz;
    uint64_t end = ld[2].u;
    size_t branch_off = t->cur_off;
    t->n = t->load_start;
    t->last_end = 0;
    t->load_end = 0;
    flush(t);
    t->last_branch_at = t->n;
    t->cur_off = t->load_off;
    emit_op(t, op);
    t->last_branch_op = op;
    emit_pair(t, addr, dst);
    emit_u(t, end);
    t->cur_off = branch_off;
    wb_code_map_note(&t->map, (uint32_t)t->n, branch_off);
    return emit_branch_cell(t);
}

/* A branch on an i32 comparison of the value a load just loaded with a
 * slot, `while ((*p)->key < k)`: one NAME_BRC_CMP [x y][end K][t c]
 * (opfamilies.h WB_LOAD_CMP_BRANCHES), the comparison swapped when the
 * loaded value was its second operand. The load (noted by note_madd_load,
 * its result fresh in its home slot) must be just before the comparison,
 * and the comparison's result the condition. Deletes both under the rule
 * above, checked for each against the flush before the branch; cells map
 * as load-and-branch's do. Returns the cell taking the target, or 0 when it
 * does not apply (nothing emitted). */
static size_t emit_load_cmp_branch(tr *t, uint32_t c, bool negate)
{
    static const struct {
        unsigned op, neg, swp;
    } cmps[] = {
#define CMP_ROW(name, sg, rel, neg, swp) {WB_OP_I32_##name, WB_OP_I32_##neg, WB_OP_I32_##swp},
        WB_CMPS(CMP_ROW)
#undef CMP_ROW
    };
    static const struct {
        unsigned load, cmp, fused;
    } forms[] = {
#define LCB_FORM1(load, type, conv, name, sg, rel, neg, swp) {WB_OP_##load, WB_OP_I32_##name, WB_XOP_##load##_BRC_##name},
#define LCB_FORM(load, type, conv) WB_CMPS_WITH(LCB_FORM1, load, type, conv)
        WB_LOAD_CMP_BRANCHES(LCB_FORM)
#undef LCB_FORM
#undef LCB_FORM1
    };
    if (t->reference || t->failed || !t->mload_end || t->mload_end != t->last_start ||
        c != home(t, t->height) || !fresh_result(t, c))
        return 0;
    size_t ci = 0;
    while (ci < sizeof cmps / sizeof cmps[0] && cmps[ci].op != t->last_op)
        ci++;
    uint32_t lx, lk, lend, ldst;
    unsigned load = load_parts(t, t->mload_start, &lx, &lk, &lend, &ldst);
    if (ci == sizeof cmps / sizeof cmps[0] || !load || ldst < t->sbase)
        return 0;
    uint32_t a = t->code[t->last_start + 1].p.a, b = t->code[t->last_start + 1].p.b;
    if ((a == ldst) == (b == ldst))
        return 0; /* not its operand, or both */
    unsigned cmp = a == ldst ? cmps[ci].op : cmps[ci].swp;
    for (size_t i = 0; negate && i < sizeof cmps / sizeof cmps[0]; i++)
        if (cmps[i].op == cmp) {
            cmp = cmps[i].neg;
            break;
        }
    unsigned fop = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (forms[i].load == load && forms[i].cmp == cmp)
            fop = forms[i].fused;
    /* the flush below emits code before the fused branch: the rule, for the
     * comparison (the last instruction) and for the load */
    if (!fop || !may_fold_last(t, t->dirty, t->height, true) ||
        !may_fold(t, t->dirty, t->height, true, &lx, 1, ldst))
        return 0;
    size_t branch_off = t->cur_off, load_off = t->mload_off;
    t->n = t->mload_start;
    t->last_end = 0;
    t->load_end = 0;
    t->mload_end = 0;
    flush(t);
    t->last_branch_at = t->n;
    t->cur_off = load_off;
    emit_op(t, fop);
    t->last_branch_op = fop;
    emit_pair(t, lx, a == ldst ? b : a);
    emit_pair(t, lend, lk);
    t->cur_off = branch_off;
    wb_code_map_note(&t->map, (uint32_t)t->n, branch_off);
    return emit_branch_cell(t);
}

/* Pops a condition and emits "branch when it is true (or false, negate)";
 * returns the cell whose .p.a takes the target. A condition just computed by
 * an i32 comparison or eqz is fused into the branch. The other values are
 * flushed home before the branch. */
static size_t emit_cond_branch(tr *t, bool negate)
{
    uint32_t c = pop(t);
    unsigned op = 0;
    uint32_t x = 0, y = 0;
    size_t cell = emit_load_branch(t, c, negate);
    if (!cell)
        cell = emit_load_cmp_branch(t, c, negate);
    if (cell)
        return cell;
    if (!t->reference && c == home(t, t->height) && fresh_result(t, c)) {
        unsigned last = t->last_op;
        const wb_cell *cells = &t->code[t->last_start];
        if (last == WB_OP_I32_EQZ) {
            x = cells[1].p.a;
            op = negate ? WB_XOP_BR_NZ : WB_XOP_BR_Z;
        } else if (last == WB_OP_I64_EQZ) {
            x = cells[1].p.a;
            op = negate ? WB_XOP_BR64_NZ : WB_XOP_BR64_Z;
        } else if ((op = fused_branch(last, negate)) != 0) {
            x = cells[1].p.a;
            y = cells[1].p.b;
        }
        /* the flush below emits code before the branch: the rule above */
        if (op && !may_fold_last(t, t->dirty, t->height, true))
            op = 0;
        if (op)
            t->n = t->last_start; /* drop the comparison: the branch does it */
    }
    t->last_end = 0;
    if (!op) {
        x = c;
        op = negate ? WB_XOP_BR_Z : WB_XOP_BR_NZ;
    }
    flush(t);
    t->last_branch_at = t->n;
    emit_op(t, op);
    t->last_branch_op = op;
    emit_pair(t, x, y);
    return emit_branch_cell(t);
}

/* ---- labels and branches ---- */

/* The loop form of a branch op (xops.def XOP_LOOP). */
static unsigned loop_form(unsigned op)
{
    static const unsigned form[WB_NUM_HANDLERS] = {
#define XOP(id, layout, synopsis)
#define XOP_LOOP(base, layout) [WB_XOP_##base] = WB_XOP_##base##_L,
#include "xops.def"
#undef XOP
    };
    return op < WB_NUM_HANDLERS && form[op] ? form[op] : op;
}

static bool push_label(tr *t, uint8_t kind, uint32_t nparams, uint32_t nresults)
{
    if (t->nlabels == t->cap_labels) {
        size_t cap = t->cap_labels ? t->cap_labels * 2 : 16;
        label *p = realloc(t->labels, cap * sizeof *p);
        if (!p) {
            t->failed = true;
            return false;
        }
        t->labels = p;
        t->cap_labels = cap;
    }
    label *l = &t->labels[t->nlabels++];
    memset(l, 0, sizeof *l);
    l->region = WB_EXC_NONE;
    l->inner_region = t->cur_region;
    l->kind = kind;
    l->nparams = nparams;
    l->nresults = nresults;
    l->height = t->height - nparams;
    return true;
}

/* A block's param and result types, from its block type. */
typedef struct bsig {
    const wb_vt *p, *r;
    uint32_t np, nr;
} bsig;

static bsig block_sig(const wb_module *m, int64_t bt)
{
    static const wb_vt valtypes[] = {WB_I32, WB_I64, WB_F32, WB_F64, WB_V128, WB_FUNCREF, WB_EXTERNREF};
    bsig s = {NULL, NULL, 0, 0};
    if (bt == WB_BLOCK_EMPTY)
        return s;
    if (bt < 0) {
        wb_vt vt = wb_block_vt(bt);
        if (wb_vt_is_ref(vt)) /* any reference: one slot, as a funcref */
            vt = WB_FUNCREF;
        for (size_t i = 0; i < sizeof valtypes / sizeof valtypes[0]; i++)
            if (valtypes[i] == vt)
                s.r = &valtypes[i];
        s.nr = 1; /* validated: one of them */
        return s;
    }
    s.p = m->types[bt].params;
    s.np = m->types[bt].nparams;
    s.r = m->types[bt].results;
    s.nr = m->types[bt].nresults;
    return s;
}

/* Pushes a block's label: arities in slots, the types kept for else/end. */
static bool push_block(tr *t, uint8_t kind, const bsig *s)
{
    if (!push_label(t, kind, wb_types_slots(s->p, s->np), wb_types_slots(s->r, s->nr)))
        return false;
    label *l = &t->labels[t->nlabels - 1];
    l->ptypes = s->p;
    l->nptypes = s->np;
    l->rtypes = s->r;
    l->nrtypes = s->nr;
    return true;
}

/* Marks the high halves of the v128 values among n values of these types
 * whose entries start at height `base` (after reset_vs or a call). */
static void mark_v128(tr *t, uint32_t base, const wb_vt *types, uint32_t n)
{
    for (uint32_t i = 0, k = base; i < n && !t->failed; i++, k++)
        if (types[i] == WB_V128)
            t->vw[++k] = 1;
}

static uint32_t label_arity(const label *l)
{
    return l->kind == LBL_LOOP ? l->nparams : l->nresults;
}

/* RET (RET1 for one result) taking the results from slot `src`. */
static void emit_ret(tr *t, uint32_t src, uint32_t nresults)
{
    emit_op(t, nresults == 1 ? WB_XOP_RET1 : WB_XOP_RET);
    emit_pair(t, src, nresults);
    emit_u(t, t->rec);
}

static void emit_return(tr *t, uint32_t nresults)
{
    flush(t);
    emit_ret(t, home(t, t->height - nresults), nresults);
}

/* return_call, return_call_indirect: the callee takes this frame over
 * (vm/README.md "Tail calls"). Laid out as the calls are, plus the frame
 * record's slot, from which the callee's record is copied. */
static void emit_tail_call(tr *t, const wb_instr *in, struct wb_compiled *const *all)
{
    const wb_module *m = t->m;
    bool indirect = in->info->op == WB_OP_RETURN_CALL_INDIRECT;
    bool by_ref = in->info->op == WB_OP_RETURN_CALL_REF;
    uint32_t ti = indirect ? in->imm.call_indirect.type_index
                  : by_ref ? in->imm.index
                           : wb_module_func_type_index(m, in->imm.index);
    const wb_mtype *ct = &m->types[ti];
    uint32_t idx = indirect || by_ref ? pop(t) : 0;
    flush(t);
    /* frame slots, as call counts them: a v128 argument takes two */
    uint32_t argbase = home(t, t->height - ct->param_slots);
    if (by_ref) {
        emit_op(t, WB_XOP_TCALL_REF);
        emit_pair(t, idx, 0);
        emit_u(t, argbase);
    } else if (indirect) {
        if (table_is64(t, in->imm.call_indirect.table)) /* an i64 index */
            emit_tab64_idx(t, idx, WB_TRAP_UNDEFINED_ELEMENT);
        emit_op(t, WB_XOP_TCALL_IND);
        emit_pair(t, in->imm.call_indirect.table, ti);
        emit_pair(t, idx, argbase);
    } else if (in->imm.index >= m->nfunc_imports) {
        emit_op(t, WB_XOP_TCALL_DEF);
        wb_cell cc;
        cc.ptr = all[in->imm.index - m->nfunc_imports];
        emit_raw(t, cc);
        emit_u(t, argbase);
    } else {
        emit_op(t, WB_XOP_TCALL_ANY);
        emit_u(t, in->imm.index);
        emit_u(t, argbase);
    }
    emit_u(t, t->rec);
    /* a host callee writes its results over the arguments, in this frame */
    uint32_t base_h = t->height - ct->param_slots;
    uint32_t room = ct->result_slots > ct->param_slots ? ct->result_slots : ct->param_slots;
    if (base_h + room > t->max_height)
        t->max_height = base_h + room;
    t->height = base_h;
    t->dirty = base_h;
    t->last_end = 0;
}

/* Unconditional branch to label depth `depth`, values already flushed. */
static void emit_jump(tr *t, uint32_t depth)
{
    label *l = &t->labels[t->nlabels - 1 - depth];
    uint32_t arity = label_arity(l);
    if (l->kind == LBL_FUNC) {
        emit_ret(t, home(t, t->height - arity), arity);
        return;
    }
    if (t->height - arity == l->height) {
        emit_op(t, l->kind == LBL_LOOP ? WB_XOP_JMP_L : WB_XOP_JMP);
        size_t cell = t->n;
        emit_pair(t, 0, 0);
        branch_to(t, l, cell);
        return;
    }
    emit_op(t, WB_XOP_BR_ADJ);
    size_t cell = t->n;
    emit_pair(t, 0, arity);
    emit_pair(t, home(t, t->height - arity), home(t, l->height));
    branch_to(t, l, cell);
}

/* Returns the branch cell whose fall-through continues the chain, or 0
 * when the fall-through is not the next instruction (a new chain starts
 * there). */
static size_t emit_br_if(tr *t, uint32_t depth)
{
    label *l = &t->labels[t->nlabels - 1 - depth];
    uint32_t arity = label_arity(l);
    bool simple = l->kind != LBL_FUNC && t->height - 1 - arity == l->height;
    if (simple) {
        size_t cell = emit_cond_branch(t, false);
        if (l->kind == LBL_LOOP && !t->failed)
            t->code[t->last_branch_at].h = t->h[loop_form(t->last_branch_op)];
        branch_to(t, l, cell);
        return cell;
    }
    /* values must move (or the function returns): skip a full branch when
     * the condition is false */
    size_t skip = emit_cond_branch(t, true);
    emit_jump(t, depth);
    set_target(t, skip, t->n);
    return 0;
}

/* br_on_null / br_on_non_null (typed function references): a branch on a
 * reference slot being 0 (null) or not, as BR64_Z / BR64_NZ test it. The
 * reference is on top: br_on_null branches without it (the label's values
 * are below it) and keeps it on the fall-through; br_on_non_null branches
 * with it (the label's last value) and drops it on the fall-through.
 * Everything is flushed home first, so the reference stays in its home
 * slot across the branch and the label's values are where a branch wants
 * them; the branch itself is emit_br_if's, with the condition read from
 * that slot instead of popped. */
static size_t emit_br_on_null(tr *t, uint32_t depth, bool on_non_null)
{
    flush(t);
    uint32_t ref = home(t, t->height - 1);
    if (!on_non_null)
        (void)pop(t); /* the label's values are now on top */
    label *l = &t->labels[t->nlabels - 1 - depth];
    uint32_t arity = label_arity(l);
    bool simple = l->kind != LBL_FUNC && t->height - arity == l->height;
    size_t cell = 0;
    unsigned take = on_non_null ? WB_XOP_BR64_NZ : WB_XOP_BR64_Z;
    unsigned skip_op = on_non_null ? WB_XOP_BR64_Z : WB_XOP_BR64_NZ;
    t->last_end = 0;
    t->last_branch_at = t->n;
    emit_op(t, simple ? take : skip_op);
    t->last_branch_op = simple ? take : skip_op;
    emit_pair(t, ref, 0);
    size_t at = emit_branch_cell(t);
    if (simple) {
        if (l->kind == LBL_LOOP && !t->failed)
            t->code[t->last_branch_at].h = t->h[loop_form(take)];
        branch_to(t, l, at);
        cell = at;
    } else {
        emit_jump(t, depth);
        set_target(t, at, t->n);
    }
    if (on_non_null)
        (void)pop(t); /* not taken: the null is dropped */
    else
        push_home(t); /* not taken: the reference, still in its home slot */
    return cell;
}

#include "translate_exc.h"

/* ---- the body ---- */

/* Skips unreachable instructions up to the else/end that closes the current
 * block; returns false at a read error (cannot happen after validation). */
static bool skip_unreachable(wb_reader *r, wb_instr *in)
{
    uint32_t depth = 0;
    for (;;) {
        if (!wb_read_instr(r, in))
            return false;
        if (wb_op_opens_block(in->info)) {
            depth++;
        } else if (wb_op_next_arm(in->info) || wb_op_closes_block(in->info)) {
            if (depth == 0)
                return true;
            if (wb_op_closes_block(in->info))
                depth--;
        }
    }
}

static bool prepare_consts(tr *t, uint32_t max)
{
    if (max + 1 > t->cap_consts) {
        uint64_t *c = realloc(t->consts, ((size_t)max + 1) * sizeof *c);
        if (!c)
            return false;
        t->consts = c;
        t->cap_consts = max + 1;
    }
    uint32_t hs = 16;
    while (hs < 2 * (max + 1))
        hs *= 2;
    if (hs > t->chash_size) {
        uint32_t *h = realloc(t->chash, (size_t)hs * sizeof *h);
        if (!h)
            return false;
        t->chash = h;
        t->chash_size = hs;
    }
    memset(t->chash, 0, (size_t)t->chash_size * sizeof *t->chash);
    t->nconsts = 0;
    return true;
}

/* Where each local lives when some param or declared local is a v128 (two
 * slots); otherwise local i is slot i and nothing is built. */
static bool map_locals(tr *t, const wb_mtype *ft, const wb_code *code)
{
    t->any_wide = code->local_slots != code->nlocals || ft->param_slots != ft->nparams;
    if (!t->any_wide)
        return true;
    size_t n = (size_t)ft->nparams + code->nlocals;
    if (n > t->cap_lslot) {
        uint32_t *s = realloc(t->lslot, n * sizeof *s);
        if (s)
            t->lslot = s;
        uint8_t *w = realloc(t->lwide, n);
        if (w)
            t->lwide = w;
        if (!s || !w)
            return false;
        t->cap_lslot = n;
    }
    uint32_t i = 0, slot = 0;
    for (; i < ft->nparams; i++) {
        t->lslot[i] = slot;
        t->lwide[i] = ft->params[i] == WB_V128;
        slot += t->lwide[i] ? 2 : 1;
    }
    for (uint32_t g = 0; g < code->ngroups; g++) {
        bool wide = code->groups[g].type == WB_V128;
        for (uint32_t j = 0; j < code->groups[g].count; j++, i++) {
            t->lslot[i] = slot;
            t->lwide[i] = wide;
            slot += wide ? 2 : 1;
        }
    }
    return true;
}

static void join_pairs(tr *t);

static bool translate_body(tr *t, const wb_module *m, uint32_t defidx, struct wb_compiled *c,
                           struct wb_compiled **all, wb_error *err)
{
    const wb_mtype *ft = &m->types[m->func_type_indices[defidx]];
    const wb_code *code = &m->codes[defidx];
    c->nparams = ft->param_slots; /* frame slots: a v128 takes two */
    c->nresults = ft->result_slots;
    c->nlocals = code->local_slots;
    c->func_index = m->nfunc_imports + defidx;
    c->body_offset = code->body.offset;
    /* validation counted the body's constant instructions */
    uint32_t maxconsts = code->max_consts;
    /* validation bounds params + locals (limits.h), so the frame fits in a
     * u32; whether it fits in a store's value stack is checked at each call */
    uint64_t total = (uint64_t)ft->param_slots + code->local_slots;
    if (!prepare_consts(t, maxconsts) || !map_locals(t, ft, code)) {
        wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
        return false;
    }
    t->nlocals_total = (uint32_t)total;
    t->rec = t->nlocals_total + maxconsts;
    t->sbase = t->rec + WB_FRAME_RECORD;
    c->rec = t->rec;
    t->dirty = 0;
    if (total > t->cap_lrefs) {
        uint32_t *p = realloc(t->lrefs, (size_t)total * sizeof *p);
        if (!p) {
            wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
            return false;
        }
        t->lrefs = p;
        t->cap_lrefs = total;
    }
    if (total)
        memset(t->lrefs, 0, (size_t)total * sizeof *t->lrefs);
    t->height = 0;
    t->max_height = 0;
    t->n = 0;
    t->nlabels = 0;
    t->fuel_cell = 0;
    t->cost = 0;
    t->ncbr = 0;
    t->chain_cbr = 0;
    t->last_end = 0;
    t->load_end = 0;
    t->mload_end = 0;
    t->lmul_at = 0;
    t->fload_end = 0;
    t->mov_end = 0;
    t->cur_off = code->body.offset;
    wb_code_map_reset(&t->map);

    wb_reader r = {m->bytes, m->bytes + code->body.offset, m->bytes + code->body.offset + code->body.len,
                   NULL};
    t->cur_region = WB_EXC_NONE;
    t->nregions = t->ncatches = t->nexn_patches = 0;
    t->catch_depth = t->max_catch_depth = 0;
    push_label(t, LBL_FUNC, 0, ft->result_slots);
    begin_stretch(t, true);
    t->nparams = ft->param_slots;
    t->entry_end = t->n;

    wb_instr in;
    bool reachable = true;
    while (t->nlabels > 0 && !t->failed) {
        if (!reachable) {
            if (!skip_unreachable(&r, &in))
                goto bad;
        } else if (!wb_read_instr(&r, &in)) {
            goto bad;
        }
        wb_op op = in.info->op;
        t->cur_off = in.offset;
        if (reachable)
            t->cost++;
        switch (op) {
        case WB_OP_NOP:
            break;
        case WB_OP_UNREACHABLE:
            emit_op(t, WB_OP_UNREACHABLE);
            reachable = false;
            break;
        case WB_OP_BLOCK:
        case WB_OP_LOOP: {
            bsig bs = block_sig(m, in.imm.block_type);
            flush(t);
            if (!push_block(t, op == WB_OP_LOOP ? LBL_LOOP : LBL_BLOCK, &bs))
                break;
            if (op == WB_OP_LOOP)
                t->labels[t->nlabels - 1].loop_start = begin_stretch(t, true);
            break;
        }
        case WB_OP_IF: {
            bsig bs = block_sig(m, in.imm.block_type);
            size_t cell = emit_cond_branch(t, true);
            if (!push_block(t, LBL_IF, &bs))
                break;
            t->labels[t->nlabels - 1].if_false = cell;
            /* the then arm continues the chain (precharged with it) */
            break;
        }
        case WB_OP_ELSE: {
            label *l = &t->labels[t->nlabels - 1];
            if (reachable) {
                flush(t);
                emit_op(t, WB_XOP_JMP);
                size_t cell = t->n;
                emit_pair(t, 0, 0);
                add_patch(t, l, cell);
            }
            size_t at = begin_stretch(t, false);
            set_target(t, l->if_false, at);
            l->if_false = 0;
            reset_vs(t, l->height, l->height + l->nparams);
            mark_v128(t, l->height, l->ptypes, l->nptypes);
            reachable = true;
            break;
        }
        case WB_OP_TRY_TABLE:
            emit_try_table(t, &in);
            break;
        case WB_OP_TRY:
            emit_try(t, &in);
            break;
        case WB_OP_CATCH:
        case WB_OP_CATCH_ALL:
            emit_catch(t, &in, reachable);
            reachable = true;
            break;
        case WB_OP_THROW:
            emit_throw(t, in.imm.index);
            reachable = false;
            break;
        case WB_OP_THROW_REF:
            emit_throw_ref(t);
            reachable = false;
            break;
        case WB_OP_RETHROW:
            emit_rethrow(t, in.imm.index);
            reachable = false;
            break;
        case WB_OP_DELEGATE:
            if (reachable)
                flush(t);
            emit_delegate(t, &in);
            /* then as the try's end */
            /* fall through */
        case WB_OP_END: {
            if (reachable)
                flush(t);
            end_exc_label(t, &t->labels[t->nlabels - 1]);
            label l = t->labels[--t->nlabels];
            if (l.kind == LBL_FUNC) {
                if (reachable)
                    emit_return(t, l.nresults);
                if (l.targeted) {
                    /* br_table entries reach the function's end here */
                    size_t at = t->n;
                    emit_ret(t, home(t, 0), l.nresults);
                    patch_label(t, &l, at);
                }
                close_stretch(t);
                break;
            }
            if (l.if_false) /* if without else: the false edge lands after end */
                l.targeted = true;
            if (l.targeted) {
                size_t at = begin_stretch(t, false);
                patch_label(t, &l, at);
                if (l.if_false)
                    set_target(t, l.if_false, at);
                reachable = true;
            }
            /* Else nothing branches here: after an unreachable end, the code
             * that follows is unreachable too. */
            reset_vs(t, l.height, l.height + l.nresults);
            mark_v128(t, l.height, l.rtypes, l.nrtypes);
            break;
        }
        case WB_OP_BR:
            flush(t);
            emit_jump(t, in.imm.index);
            reachable = false;
            break;
        case WB_OP_BR_ON_NULL:
        case WB_OP_BR_ON_NON_NULL: {
            /* the fall-through continues the chain; a branch that must
             * move values first skips to a new one */
            if (!emit_br_on_null(t, in.imm.index, op == WB_OP_BR_ON_NON_NULL))
                begin_stretch(t, false);
            break;
        }
        case WB_OP_BR_IF: {
            /* the fall-through continues the chain; a branch that must
             * move values first skips to a new one */
            if (!emit_br_if(t, in.imm.index))
                begin_stretch(t, false);
            break;
        }
        case WB_OP_BR_TABLE: {
            uint32_t idx = pop(t);
            flush(t);
            uint32_t n = in.imm.br_table.count;
            wb_reader it = in.imm.br_table.targets;
            /* every target has the same arity (validated) */
            label *d = &t->labels[t->nlabels - 1 - in.imm.br_table.default_target];
            uint32_t arity = label_arity(d);
            /* when every target is a block's or an if's end, each is a FUEL
             * cell: BR_TAB_F charges it itself (a loop head is a FUEL_POLL
             * cell, the function's end its RET) */
            bool forward = d->kind == LBL_BLOCK || d->kind == LBL_IF;
            wb_reader pre = it;
            for (uint32_t i = 0; i < n && forward && !t->failed; i++) {
                uint8_t kind = t->labels[t->nlabels - 1 - wb_br_table_next(&pre)].kind;
                forward = kind == LBL_BLOCK || kind == LBL_IF;
            }
            emit_op(t, forward ? WB_XOP_BR_TAB_F : WB_XOP_BR_TAB);
            emit_pair(t, idx, n);
            emit_pair(t, home(t, t->height - arity), arity);
            for (uint32_t i = 0; i <= n && !t->failed; i++) {
                uint32_t depth = i < n ? wb_br_table_next(&it) : in.imm.br_table.default_target;
                label *l = &t->labels[t->nlabels - 1 - depth];
                size_t cell = t->n;
                emit_pair(t, 0, home(t, l->height));
                branch_to(t, l, cell);
            }
            reachable = false;
            break;
        }
        case WB_OP_RETURN:
            emit_return(t, ft->result_slots);
            reachable = false;
            break;
        case WB_OP_CALL:
        case WB_OP_CALL_INDIRECT:
        case WB_OP_CALL_REF: {
            uint32_t ti = op == WB_OP_CALL       ? wb_module_func_type_index(m, in.imm.index)
                          : op == WB_OP_CALL_REF ? in.imm.index
                                                 : in.imm.call_indirect.type_index;
            const wb_mtype *ct = &m->types[ti];
            uint32_t idx = op != WB_OP_CALL ? pop(t) : 0;
            flush(t);
            uint32_t argbase = home(t, t->height - ct->param_slots);
            if (op == WB_OP_CALL_REF) {
                emit_op(t, WB_XOP_CALL_REF);
                emit_pair(t, idx, 0);
                emit_u(t, argbase);
            } else if (op == WB_OP_CALL_INDIRECT) {
                if (table_is64(t, in.imm.call_indirect.table)) /* an i64 index */
                    emit_tab64_idx(t, idx, WB_TRAP_UNDEFINED_ELEMENT);
                emit_op(t, WB_XOP_CALL_IND);
                emit_pair(t, in.imm.call_indirect.table, ti); /* the instance maps it to an id */
                emit_pair(t, idx, argbase);
            } else if (in.imm.index >= m->nfunc_imports) {
                emit_op(t, WB_XOP_CALL_DEF);
                wb_cell cc;
                cc.ptr = all[in.imm.index - m->nfunc_imports];
                emit_raw(t, cc);
                emit_u(t, argbase);
            } else {
                emit_op(t, WB_XOP_CALL_ANY);
                emit_u(t, in.imm.index);
                emit_u(t, argbase);
            }
            /* host calls write results over the arguments: keep room for both */
            uint32_t base_h = t->height - ct->param_slots;
            uint32_t room = ct->result_slots > ct->param_slots ? ct->result_slots : ct->param_slots;
            if (base_h + room > t->max_height)
                t->max_height = base_h + room;
            t->height = base_h;
            t->dirty = base_h; /* flushed above */
            for (uint32_t i = 0; i < ct->result_slots; i++)
                push_home(t);
            mark_v128(t, base_h, ct->results, ct->nresults);
            t->last_end = 0;
            break;
        }
        case WB_OP_RETURN_CALL:
        case WB_OP_RETURN_CALL_INDIRECT:
        case WB_OP_RETURN_CALL_REF:
            emit_tail_call(t, &in, all);
            reachable = false;
            break;
        case WB_OP_DROP:
            if (top_is_v128(t, 0))
                (void)drop_top(t);
            (void)drop_top(t);
            break;
        case WB_OP_SELECT:
        case WB_OP_SELECT_T:
            if (top_is_v128(t, 1))
                emit_select_v128(t);
            else
                emit_fixed(t, WB_XOP_SEL, 3, 1);
            break;
        case WB_OP_LOCAL_GET: {
            uint32_t s = local_slot(t, in.imm.index);
            push_local(t, s);
            if (local_is_v128(t, in.imm.index)) {
                push_local(t, s + 1);
                if (!t->failed)
                    t->vw[t->height - 1] = 1;
            }
            break;
        }
        case WB_OP_LOCAL_SET:
        case WB_OP_LOCAL_TEE: {
            uint32_t s = local_slot(t, in.imm.index);
            if (local_is_v128(t, in.imm.index)) {
                /* the high half is on top */
                local_write(t, s + 1, false);
                local_write(t, s, false);
                if (op == WB_OP_LOCAL_TEE) {
                    push_local(t, s);
                    push_local(t, s + 1);
                    if (!t->failed)
                        t->vw[t->height - 1] = 1;
                }
            } else {
                local_write(t, s, op == WB_OP_LOCAL_TEE);
            }
            break;
        }
        case WB_OP_V128_CONST:
            push_v128_const(t, in.imm.v128);
            break;
        case WB_OP_I32_CONST:
            push_const(t, (uint32_t)in.imm.i32);
            break;
        case WB_OP_I64_CONST:
            push_const(t, (uint64_t)in.imm.i64);
            break;
        case WB_OP_F32_CONST:
            push_const(t, in.imm.f32_bits);
            break;
        case WB_OP_F64_CONST:
            push_const(t, in.imm.f64_bits);
            break;
        case WB_OP_REF_NULL:
            push_const(t, 0);
            break;
        default: {
            /* instructions kept as they are: numeric, memory, bulk, globals,
             * tables, references; their operand counts from the table */
            uint32_t pops, pushes;
            if (!wb_op_arity(in.info, &pops, &pushes))
                goto bad;
            if (t->any_table64 && emit_table64(t, &in, pops, pushes))
                break;
            if (wb_op_is_memory(in.info) &&
                (in.mem || in.mem2 || mem_is64(t, in.mem) || mem_is64(t, in.mem2))) {
                emit_mem_n(t, &in, pops, pushes);
                break;
            }
            if (wb_op_has_v128(in.info)) {
                emit_v128_op(t, &in);
                break;
            }
            if ((op == WB_OP_GLOBAL_GET || op == WB_OP_GLOBAL_SET) &&
                wb_module_global_type(m, in.imm.index)->type == WB_V128) {
                /* a v128 global: its own forms, two slots */
                uint32_t v = op == WB_OP_GLOBAL_SET ? pop_v128(t) : push_home_v128(t);
                emit_op(t, op == WB_OP_GLOBAL_SET ? WB_XOP_GLOBAL_SET_V128 : WB_XOP_GLOBAL_GET_V128);
                emit_pair(t, v, 0);
                emit_u(t, in.imm.index);
                t->last_end = 0;
                break;
            }
            if (emit_bin_imm(t, op))
                break;
            if (emit_rot_chain(t, op))
                break;
            if (emit_madd(t, op))
                break;
            if (emit_load_f64(t, op))
                break;
            if (op == WB_OP_F64_STORE && emit_f64_rmw(t, in.imm.memarg.offset))
                break;
            if (in.info->imm == WB_IMM_MEMARG &&
                emit_mem_fused(t, in.info, pops, pushes, in.imm.memarg.offset)) {
                if (pushes) {
                    note_madd_load(t, t->last_start, in.offset);
                    note_f64_load(t, t->last_start, in.offset);
                }
                break;
            }
            size_t start = t->n;
            emit_fixed(t, op, pops, pushes);
            emit_imm(t, &in);
            if (pushes)
                t->last_end = t->n; /* immediates belong to the instruction */
            if (op == WB_OP_I32_MUL)
                note_load_mul(t, start);
            else if (in.info->imm == WB_IMM_MEMARG && pushes) {
                note_madd_load(t, start, in.offset);
                note_f64_load(t, start, in.offset);
            }
            if (is_branch_load(op)) {
                t->load_start = start;
                t->load_end = t->n;
                t->load_off = in.offset;
            }
            break;
        }
        }
        if ((op == WB_OP_END || op == WB_OP_DELEGATE) && t->nlabels == 0)
            break;
    }
    /* the legacy catches' exn slots go after the operand slots */
    uint32_t exn_slots = finish_exc(t, c, t->sbase + t->max_height);
    if (t->failed) {
        wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
        return false;
    }
    /* a call zeroes the declared locals and copies the constants in: its
     * entry chain pays for that work too (compiled.h WB_FUEL_BULK_BYTES);
     * the constants counted before translation, so that both translations
     * charge the same */
    if (!t->failed && t->n > 1)
        t->code[1].u += (total - ft->param_slots + maxconsts) * sizeof(uint64_t) / WB_FUEL_BULK_BYTES;
    uint64_t frame = (uint64_t)t->sbase + t->max_height + exn_slots;
    if (frame < (uint64_t)ft->param_slots + 4)
        frame = (uint64_t)ft->param_slots + 4; /* the interpreter zeroes 4 slots after the params */
    if (frame > UINT32_MAX / 2) {
        wb_error_set(err, WB_ERR_LIMIT, code->size_offset, "code section", "function frame too large");
        return false;
    }
    c->frame_slots = (uint32_t)frame;
    c->code = malloc((t->n ? t->n : 1) * sizeof *c->code);
    c->nconsts = t->nconsts;
    c->init_loop = c->nlocals > 4 || c->nconsts > 0;
    c->consts = malloc((t->nconsts ? t->nconsts : 1) * sizeof *c->consts);
    if (!c->code || !c->consts) {
        wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
        return false;
    }
    resolve_branch_costs(t);
    if (!t->reference)
        join_pairs(t);
    memcpy(c->code, t->code, t->n * sizeof *c->code);
    c->ncells = t->n;
    memcpy(c->consts, t->consts, (size_t)t->nconsts * sizeof *c->consts);
    if (!wb_code_map_finish(&t->map, c->body_offset, &c->map, &c->map_len)) {
        wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
        return false;
    }
    return true;

bad:
    wb_error_set(err, WB_ERR_INVALID, in.offset, "code section",
                 "translator could not read a validated body");
    return false;
}

/* The last step of the optimised translation: every run of three adjacent
 * instructions listed in opfamilies.h WB_JOINS3, then every pair of adjacent
 * instructions listed in opfamilies.h WB_JOINS, gets the joined handler on
 * its first cell (the pair's cells are left as they are: nothing is
 * deleted, moved or reordered, so the rule of "deleting emitted code" is
 * not involved). An instruction is what its handler says (MOV2 and the
 * loop forms change handlers in place); a joined second is never the
 * first of another pair. No
 * branch lands on a second: targets are FUEL, FUEL_POLL and RET cells, and
 * return addresses follow calls, which are no step (the verifier checks).
 * Nor does an exception: where a catch clause continues (a try_table's
 * landing pad, a legacy catch's FUEL cell) is a branch target too, so it
 * is marked and never taken as a second, whatever its handler. */
#define ISTART_LANDING 2
static void join_pairs(tr *t)
{
    for (uint32_t i = 0; i < t->ncatches; i++)
        if (t->catches[i].target < t->n && t->istart[t->catches[i].target])
            t->istart[t->catches[i].target] = ISTART_LANDING;
    for (size_t at = 0; at < t->n; at++) {
        if (!t->istart[at])
            continue;
        const wb_join_lead *l = wb_join_lead_of(t->code[at].h);
        if (!l)
            continue;
        bool tripled = false; /* a triple first: it saves two dispatches */
        for (size_t i = 0; i < l->n3 && !tripled; i++) {
            const wb_join3 *j = l->rows3[i];
            size_t nx = at + j->first_cells, nx2 = nx + j->second_cells;
            if (nx2 >= t->n || t->istart[nx] != 1 || t->istart[nx2] != 1 ||
                t->code[nx].h != t->h[j->second] || t->code[nx2].h != t->h[j->third])
                continue;
            t->code[at].h = t->h[j->joined];
            at = nx2; /* the second and third are taken */
            tripled = true;
        }
        if (tripled)
            continue;
        for (size_t i = 0; i < l->n2; i++) {
            const wb_join2 *j = l->rows2[i];
            size_t nx = at + j->first_cells;
            if (nx >= t->n || t->istart[nx] != 1 || t->code[nx].h != t->h[j->second])
                continue;
            t->code[at].h = t->h[j->joined];
            at = nx; /* the second is taken */
            break;
        }
    }
}

/* One function, into *out (zeroed by the caller; the caller publishes it:
 * lazy.c). Calls to defined functions point at their m->compiled entries,
 * which exist before any is translated. The scratch state lives only for
 * this call, so any number of threads may translate different functions of
 * one module at once. */
bool wb_translate_function(const wb_module *m, uint32_t defidx, struct wb_compiled *out,
                           wb_error *err)
{
    tr t;
    memset(&t, 0, sizeof t);
    t.m = m;
    t.h = wb_interp_handlers();
    t.reference = m->translation == WB_TRANSLATE_REFERENCE;
    for (uint32_t i = 0; i < wb_module_total_memories(m); i++)
        t.any64 |= wb_module_memory_type(m, i)->is64;
    for (uint32_t i = 0; i < wb_module_total_tables(m); i++)
        t.any_table64 |= wb_module_table_type(m, i)->limits.is64;
    bool ok = translate_body(&t, m, defidx, out, m->compiled, err);
    free(t.code);
    free(t.istart);
    free(t.cbr);
    free(t.labels);
    free(t.vs);
    free(t.vk);
    free(t.vx);
    free(t.vw);
    free(t.lslot);
    free(t.lwide);
    free(t.lrefs);
    free(t.consts);
    free(t.chash);
    free(t.regions);
    free(t.catches);
    free(t.exn_patches);
    wb_code_map_free(&t.map);
    return ok;
}
