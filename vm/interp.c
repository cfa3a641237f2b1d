/* The interpreter: runs code made by translate.c (format in compiled.h).
 *
 * Direct threading: every instruction cell holds the address of its handler
 * (a label of run() taken with &&), and every handler ends with
 * `goto *pc->h`. A wasm->wasm call writes the caller's pc, fp and instance in
 * the callee's frame record (compiled.h) and continues in the same C
 * activation. Operands are frame slots named by offsets in the code (no
 * operand stack pointer at run time). Hot state lives in locals the compiler
 * keeps in registers: pc, fp (local 0), fuel, and the current instance's
 * memory base and size. Only host calls leave this C activation.
 * See vm/README.md "Execution design".
 */
#include "compiled.h"
#include "interp_ops.h"
#include "runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef WB_PAIR_PROFILE
#include "pair_profile.h"
#endif

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the interpreter reads linear memory as little-endian host values"
#endif

/* Pinning a value to a register (GCC's local register variables). Time the
 * sanitizer build before pinning another: with the call depth pinned to r15
 * as well, GCC 12's -O1 ASan+UBSan compile of this file went from 22 s to
 * more than 4.5 minutes and 1.9 GB (still running when stopped; the seventh
 * session, vm/README.md), and the pin bought no time. */
#if defined(__x86_64__) && defined(__GNUC__)
#define WB_REG(r) __asm__(r)
#else
#define WB_REG(r)
#endif

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)


static wb_status run(wb_store *s, wb_func *f, uint64_t *base, const void *const **table_out)
{
    static const void *const handlers[WB_NUM_HANDLERS] = {
/* wasm instructions' handlers are L_<id>, the translator's X_<id> */
#define OP(id, name, code, imm, sig, align, synopsis) [WB_OP_##id] = &&L_##id,
#include "opcodes.def"
#undef OP
#define XOP(id, layout, synopsis) [WB_XOP_##id] = &&X_##id,
#include "xops.def"
#undef XOP
    };
    /* the first frame's return address: the last of these cells, so that
     * "the call before the return address" is a cell too (tail calls) */
    static const wb_cell exit_cells[WB_CALL_CELLS + 1] = {[WB_CALL_CELLS] = {.h = &&X_EXIT}};
    if (table_out) {
        *table_out = handlers;
        return WB_OK;
    }
#ifdef WB_PAIR_PROFILE
    wb_prof_init(handlers);
#endif


    uint64_t *const stack_end = s->stack + s->stack_slots;
    const uintptr_t stack_end_addr = (uintptr_t)stack_end;
    uint64_t *const saved_top = s->stack_top;
    const uint32_t saved_depth = s->depth;
    const uint32_t max_depth = s->limits.max_call_depth;
    uint32_t depth = saved_depth; /* not pinned to a register: pinned to r15, GCC 12's -O1 ASan compile of this file ran for minutes and GBs (vm/README.md) */
    /* Fuel in two parts, fuel_left = fuel_hi + fuel: at most FUEL_CHUNK
     * in the 32-bit `fuel`, the rest in fuel_hi. Every charge subtracts an
     * amount from the code, below 2^30 in size (a chain's cost, or what a
     * taken branch charges, negative for a refund), from `fuel`, which x86
     * does straight from the code cell (sub + js, the sign being the
     * test; a 64-bit counter needs a load first, as a 32-bit half cannot
     * be subtracted from a 64-bit register). A sign is the slow path
     * (REFILL): it takes the next chunk from fuel_hi, and it is where the
     * run polls s->interrupt, so no loop back-edge or call pays for a
     * poll: an interrupt stops the run within FUEL_CHUNK units of wasm
     * work (plus one chain), a few hundred microseconds. After every
     * charge `fuel` is below 2^31: a refund that takes it there is the
     * slow path too, so none can wrap it. */
    uint32_t fuel;
    uint64_t fuel_hi;
#define FUEL_CHUNK ((uint32_t)1 << 16)
#define FUEL_SET(total)                                                     \
    do {                                                                    \
        uint64_t t_ = (total);                                              \
        fuel = t_ < FUEL_CHUNK ? (uint32_t)t_ : FUEL_CHUNK;                 \
        fuel_hi = t_ - fuel;                                                \
    } while (0)
#define FUEL_TOTAL() (fuel_hi + fuel)
    FUEL_SET(s->fuel_left);
    wb_status status = WB_OK;

    wb_instance *inst = f->instance;
    struct wb_compiled *c = f->code;
    const wb_cell *pc = NULL; /* NULL until the first frame is set up (trap_frames.c) */
    uint64_t *fp = base;
    /* The current frame's return address and its caller's fp, also in its
     * record (rec[0], rec[1]), kept in registers (vm/README.md "Calls and
     * limits"): a return takes them from here, not from memory just
     * written, so the next instructions' loads do not wait on a store's
     * forwarding; the caller's pair is then reloaded from rec[3], rec[4]
     * (where the call saved it), in the shadow of the caller's code. */
    const wb_cell *lr_pc = &exit_cells[WB_CALL_CELLS];
    uint64_t *lr_fp = base;
/* leaving the frame whose record is rec (a return, a tail call): its
 * caller's pair, saved there by the call, becomes the link registers */
#define LINK_FROM_RECORD(rec)                                  \
    do {                                                       \
        lr_pc = (const wb_cell *)(uintptr_t)(rec)[3];          \
        lr_fp = (uint64_t *)(uintptr_t)(rec)[4];               \
    } while (0)
    /* GCC spills these in favour of colder values unless asked; they are
     * read by every load and store. */
    register uint8_t *mem_base WB_REG("r13") = NULL;
    register uint64_t mem_size WB_REG("r14") = 0;
    wb_func *callee;
    wb_instance *new_inst;
    uint64_t *nfp;
    wb_exn *exn; /* being thrown (throw_exn) */

#define RELOAD_MEM()                                      \
    do {                                                  \
        wb_memory *m_ = inst->mem0;                       \
        mem_base = m_ ? m_->data : NULL;                  \
        mem_size = m_ ? m_->size : 0;                     \
    } while (0)
#ifdef WB_PAIR_PROFILE
#define PROF_NOTE() wb_prof_note(pc->h)
#else
#define PROF_NOTE() ((void)0)
#endif
#define NEXT()             \
    do {                   \
        PROF_NOTE();       \
        goto *pc->h;       \
    } while (0)
#define DISPATCH(n)        \
    do {                   \
        pc += (n);         \
        NEXT();            \
    } while (0)
/* on to the next instruction: every handler steps over exactly its own
 * cells, as compiled.h counts them from the opcode tables */
#define NEXT_OP(id) DISPATCH(WB_CELLS_##id)
#define NEXT_X(id) DISPATCH(WB_CELLS_X_##id)
#define TRAP(st)           \
    do {                   \
        status = (st);     \
        goto trap;         \
    } while (0)
/* operand slots, packed two per cell after the handler */
#define O0 (pc[1].p.a)
#define O1 (pc[1].p.b)
#define O2 (pc[2].p.a)
#define O3 (pc[2].p.b)
/* An empty asm that makes `x` opaque: keeps GCC from turning the short
 * frame-setup loops into memset/memcpy calls, which cost more than the loop
 * for the few slots a typical frame has. */
#define OPAQUE(x) __asm__("" : "+r"(x))
/* A new frame at fp: zero the declared locals, copy the constants in. The
 * first four slots after the params are always zeroed with plain stores (the
 * translator makes every frame at least nparams + 4 slots), which covers the
 * common case of a few locals and no constants without a loop. Must run
 * before the frame record is written: those stores may reach into it. */
#define INIT_FRAME()                                                        \
    do {                                                                    \
        uint64_t *l_ = fp + c->nparams;                                     \
        l_[0] = 0;                                                          \
        l_[1] = 0;                                                          \
        l_[2] = 0;                                                          \
        l_[3] = 0;                                                          \
        if (UNLIKELY(c->init_loop)) {                                       \
            uint32_t nl_ = c->nlocals, nk_ = c->nconsts;                    \
            for (uint32_t i_ = 4; i_ < nl_; i_++) {                         \
                l_[i_] = 0;                                                 \
                OPAQUE(i_);                                                 \
            }                                                               \
            l_ += nl_;                                                      \
            const uint64_t *k_ = c->consts;                                 \
            for (uint32_t i_ = 0; i_ < nk_; i_++) {                         \
                l_[i_] = k_[i_];                                            \
                OPAQUE(i_);                                                 \
            }                                                               \
        }                                                                   \
    } while (0)
#define SETUP_FRAME()                                                       \
    do {                                                                    \
        INIT_FRAME();                                                       \
        pc = c->code;                                                       \
    } while (0)

/* Charges an amount from the code (a chain's cost, or what a taken branch
 * charges: negative for a refund): one subtract whose sign is the "out of
 * fuel" test (sub + js; a compare before the subtract costs one more
 * instruction at every charge point). A run short of fuel gets the amount
 * back before it traps, so fuel_left still says what was left. */
#ifdef WB_NO_FUEL
/* The bench-only build (bench/README.md "The cost of fuel"): no charge at
 * all. FUEL cells are still emitted and a chain that is fallen into still
 * dispatches its own (branches skip theirs), so this build keeps part of
 * metering's cost: the difference it shows is a lower bound. */
#define CHARGE(cost) ((void)(cost))
#else
#define CHARGE(cost)                                                        \
    do {                                                                    \
        fuel -= (uint32_t)(cost);                                           \
        if (UNLIKELY((int32_t)fuel < 0))                                    \
            REFILL(cost);                                                   \
    } while (0)
/* `fuel` went below 0 (or, after a refund, to 2^31 or more): give the
 * amount back, stop if interrupted (nothing of the stretch charged or
 * run), stop if the whole count is short of a charge (fuel_left then says
 * what was left), else take it from the whole count (a refund: give it)
 * and deal the next chunk. The amount is read again from the code (the
 * empty asm says memory may have changed), so the hot path keeps no
 * register for it and subtracts it straight from the cell. */
#define REFILL(cost)                                                        \
    do {                                                                    \
        __asm__("" ::: "memory");                                           \
        uint32_t c_ = (uint32_t)(cost);                                     \
        fuel += c_;                                                         \
        if (UNLIKELY(atomic_load_explicit(&s->interrupt, memory_order_relaxed))) \
            TRAP(WB_TRAP_INTERRUPTED);                                      \
        int64_t d_ = (int32_t)c_;                                           \
        if (d_ >= 0) {                                                      \
            if (UNLIKELY(FUEL_TOTAL() < (uint64_t)d_))                      \
                TRAP(WB_TRAP_OUT_OF_FUEL);                                  \
            FUEL_SET(FUEL_TOTAL() - (uint64_t)d_);                          \
        } else {                                                            \
            uint64_t w_ = FUEL_TOTAL(), r_ = (uint64_t)-d_;                 \
            FUEL_SET(w_ > UINT64_MAX - r_ ? UINT64_MAX : w_ + r_);          \
        }                                                                   \
    } while (0)
#endif
/* The interrupt poll of a run's start and of the no-fuel build (whose
 * charges, which poll on refill, are compiled out: it polls nowhere else,
 * so a bench-only build stops only at its end) */
#define POLL_INTERRUPT()                                                    \
    do {                                                                    \
        if (UNLIKELY(atomic_load_explicit(&s->interrupt, memory_order_relaxed))) \
            TRAP(WB_TRAP_INTERRUPTED);                                      \
    } while (0)

/* Work that is not O(1) (bulk memory and table instructions, growing)
 * costs fuel in proportion to the bytes it touches, on top of the
 * instruction's own unit: one unit per WB_FUEL_BULK_BYTES whole bytes, charged
 * before the work is done (vm/README.md "Fuel"). */
#ifdef WB_NO_FUEL
#define CHARGE_BYTES(bytes) ((void)(bytes))
#else
/* Taken from the chunk when it holds enough; otherwise the slow path,
 * which (like REFILL, and only there) polls the interrupt and deals out a
 * new chunk: a loop of small copies must still reach a poll. */
#define CHARGE_BYTES(bytes)                                                 \
    do {                                                                    \
        uint64_t u_ = (uint64_t)(bytes) / WB_FUEL_BULK_BYTES;               \
        if (LIKELY(u_ <= fuel)) {                                           \
            fuel -= (uint32_t)u_;                                           \
        } else {                                                            \
            POLL_INTERRUPT();                                               \
            if (UNLIKELY(FUEL_TOTAL() < u_))                                \
                TRAP(WB_TRAP_OUT_OF_FUEL);                                  \
            FUEL_SET(FUEL_TOTAL() - u_);                                    \
        }                                                                   \
    } while (0)
#endif

    /* The first frame: arguments are already at base. */
    if (depth >= max_depth || (size_t)(stack_end - base) < c->frame_slots)
        TRAP(WB_TRAP_STACK_EXHAUSTED);
    depth++;
    SETUP_FRAME();
    /* returning from this frame continues at X_EXIT, which ends the run */
    fp[c->rec] = (uintptr_t)&exit_cells[WB_CALL_CELLS];
    fp[c->rec + 1] = (uintptr_t)fp;
    fp[c->rec + 2] = (uintptr_t)inst;
    fp[c->rec + 3] = (uintptr_t)lr_pc;
    fp[c->rec + 4] = (uintptr_t)lr_fp;
    RELOAD_MEM();
    POLL_INTERRUPT(); /* the flag set before the call stops it at once */
    NEXT();

    /* ---- fuel, interrupts ---- */
X_FUEL:
    CHARGE(pc[1].u);
    NEXT_X(FUEL);
X_FUEL_POLL:
    /* the poll is the charge's (REFILL) */
    CHARGE(pc[1].u);
    NEXT_X(FUEL_POLL);

    /* ---- branches ---- */
#define JUMP_REL(cell) pc = (cell) + (int32_t)(cell)->p.a
/* A JMP back to a loop head does the head's FUEL_POLL itself (charge the
 * chain whose cost is in the head's cell; a run polls where it is dealt
 * fuel) and continues after it: one dispatch fewer per iteration. */
#define TO_POLL(cell)                                                       \
    do {                                                                    \
        JUMP_REL(cell);                                                     \
        CHARGE(pc[1].u);                                                    \
        NEXT_X(FUEL_POLL);                                                  \
    } while (0)
/* A JMP or BR_TAB_F lands on the FUEL cell that starts its target's chain
 * (the translator begins one at every forward branch target): charge it
 * here and continue after it, one dispatch fewer. */
#define TO_FUEL(cell)                                                       \
    do {                                                                    \
        JUMP_REL(cell);                                                     \
        CHARGE(pc[1].u);                                                    \
        NEXT_X(FUEL);                                                       \
    } while (0)
/* A taken conditional branch: its own chain was charged beyond it (the
 * stretches its fall-through would have run), so it charges the target's
 * chain less that, the signed amount in its [t c] cell, and continues
 * after the target's FUEL (FORWARD) or FUEL_POLL (LOOP_BACK) cell. Not
 * taken, it charges nothing (vm/README.md "Fuel"). */
#define TAKEN_TO(cell, head)                                                \
    do {                                                                    \
        const wb_cell *b_ = (cell);                                         \
        pc = b_ + (int32_t)b_->p.a;                                         \
        CHARGE(b_->p.b);                                                    \
        NEXT_X(head);                                                       \
    } while (0)
#define FORWARD(cell) TAKEN_TO(cell, FUEL)
#define LOOP_BACK(cell) TAKEN_TO(cell, FUEL_POLL)
/* A conditional branch [..][a=rel b=charge] (its last cell holds the
 * target and what a taken branch charges), and its loop form. */
/* STEP_COND_BR: the whole work of one (ends in a dispatch either way;
 * joined pairs use STEP_BRANCH below, which falls through). */
#define STEP_COND_BR(name, TAKEN, cond, ...)                         \
    {                                                                \
        __VA_ARGS__; /* the setup (may hold commas once expanded) */ \
        if (cond)                                                    \
            TAKEN(pc + WB_CELLS_X_##name - 1);                       \
        NEXT_X(name);                                                \
    }
#define COND_BR(name, setup, cond)                                   \
    X_##name: STEP_COND_BR(name, FORWARD, cond, setup)               \
    X_##name##_L: STEP_COND_BR(name##_L, LOOP_BACK, cond, setup)
X_JMP:
    TO_FUEL(pc + 1);
X_JMP_L:
    TO_POLL(pc + 1);
X_BR_ADJ: {
    /* dst <= src: a forward copy is safe when they overlap */
    uint32_t arity = pc[1].p.b;
    uint64_t *src = fp + O2, *dst = fp + O3;
    for (uint32_t i = 0; i < arity; i++)
        dst[i] = src[i];
    JUMP_REL(pc + 1);
    NEXT();
}
#define SETUP1 uint32_t x = (uint32_t)fp[O0]
#define SETUP2 uint32_t x = (uint32_t)fp[O0], y = (uint32_t)fp[O1]
#define SETUPI uint32_t x = (uint32_t)fp[O0], y = O1
    COND_BR(BR_NZ, SETUP1, x)
    COND_BR(BR_Z, SETUP1, !x)
    /* a bit test: an and with a constant feeding the branch */
    COND_BR(BR_AND_NZ, SETUPI, x & y)
    COND_BR(BR_AND_Z, SETUPI, !(x & y))
/* How each comparison of the family (opfamilies.h WB_CMPS) reads its
 * operands: CMP<signedness><width>. */
#define CMP_U32(v) ((uint32_t)(v))
#define CMP_S32(v) ((int32_t)(uint32_t)(v))
#define CMP_U64(v) ((uint64_t)(v))
#define CMP_S64(v) ((int64_t)(v))
#define SETUP64_1 uint64_t x = fp[O0]
#define SETUP64_2 uint64_t x = fp[O0], y = fp[O1]
    COND_BR(BR64_NZ, SETUP64_1, x)
    COND_BR(BR64_Z, SETUP64_1, !x)
#define CMP_BRANCHES(name, sg, rel, neg, swp)                                 \
    COND_BR(BRC_##name, SETUP2, CMP_##sg##32(x) rel CMP_##sg##32(y))          \
    COND_BR(BRC_##name##_I, SETUPI, CMP_##sg##32(x) rel CMP_##sg##32(y))      \
    COND_BR(BRC64_##name, SETUP64_2, CMP_##sg##64(x) rel CMP_##sg##64(y))
    WB_CMPS(CMP_BRANCHES)
/* br_table: the entry min(r, n), its values copied first; the entries
 * start at the layout's TT cell, the last one it counts */
#define BR_TABLE_ENTRY()                                                    \
    uint32_t n = O1, arity = O3;                                            \
    uint32_t i = (uint32_t)fp[O0];                                          \
    if (i > n)                                                              \
        i = n;                                                              \
    const wb_cell *e = pc + WB_CELLS_X_BR_TAB - 1 + i;                      \
    uint64_t *src = fp + O2, *dst = fp + e->p.b;                            \
    if (dst != src) {                                                       \
        for (uint32_t k = 0; k < arity; k++)                                \
            dst[k] = src[k];                                                \
    }
X_BR_TAB: {
    BR_TABLE_ENTRY();
    JUMP_REL(e);
    NEXT();
}
X_BR_TAB_F: {
    /* every target is a FUEL cell (no loop head among them): charge it
     * here, one dispatch fewer, as the other forward branches do */
    BR_TABLE_ENTRY();
    TO_FUEL(e);
}
X_RET: {
    /* read the record before the results may overwrite it */
    const uint64_t *rec = fp + pc[2].u;
    const wb_cell *rpc = lr_pc;
    uint64_t *rfp = lr_fp;
    wb_instance *rinst = (wb_instance *)(uintptr_t)rec[2];
    LINK_FROM_RECORD(rec);
    uint32_t nr = O1;
    uint64_t *src = fp + O0;
    if (src != fp) {
        for (uint32_t i = 0; i < nr; i++) {
            fp[i] = src[i];
            OPAQUE(i);
        }
    }
    depth--;
    pc = rpc;
    fp = rfp;
    /* Within one instance mem_base/mem_size are already current (a grow in
     * the callee reloaded them); a different instance needs its own. */
    if (UNLIKELY(rinst != inst)) {
        inst = rinst;
        RELOAD_MEM();
    }
    NEXT();
}
X_RET1: {
    /* the common case, one result: [src][rec] */
    const uint64_t *rec = fp + pc[2].u;
    const wb_cell *rpc = lr_pc;
    uint64_t *rfp = lr_fp;
    wb_instance *rinst = (wb_instance *)(uintptr_t)rec[2];
    LINK_FROM_RECORD(rec);
    fp[0] = fp[O0];
    depth--;
    pc = rpc;
    fp = rfp;
    if (UNLIKELY(rinst != inst)) {
        inst = rinst;
        RELOAD_MEM();
    }
    NEXT();
}
X_EXIT:
    goto done;

/* Entering a wasm callee c with its arguments at nfp, from the call
 * instruction at pc. One test for both limits, and for a callee not yet
 * translated (its frame size is WB_FRAME_UNTRANSLATED, larger than any
 * stack; acquire so that a callee another thread translated is seen
 * whole: a plain load on x86), the stack's as one address compare
 * (integers: no pointer past the stack is formed). The record keeps where
 * the caller continues and the caller's own link registers; the link
 * registers become this call's. SWITCH changes the instance when the
 * callee may be in another one (after the record, which keeps the
 * caller's). CALL_DEF has its own copy, with no instance to compare: 7%
 * fewer host instructions on fib (vm/README.md, "seventh session (calls)"). */
#define ENTER_WASM(slow, SWITCH)                                            \
    do {                                                                    \
        uintptr_t end_ = (uintptr_t)nfp +                                   \
            (uintptr_t)__atomic_load_n(&c->frame_slots, __ATOMIC_ACQUIRE) * sizeof(uint64_t); \
        if (UNLIKELY((depth >= max_depth) | (end_ > stack_end_addr)))       \
            goto slow;                                                      \
        uint64_t *rec_ = nfp + c->rec;                                      \
        uint64_t *caller_fp_ = fp;                                          \
        fp = nfp;                                                           \
        INIT_FRAME();                                                       \
        rec_[0] = (uintptr_t)(pc + WB_CALL_CELLS); /* the caller's next */  \
        rec_[1] = (uintptr_t)caller_fp_;                                    \
        rec_[2] = (uintptr_t)inst;                                          \
        rec_[3] = (uintptr_t)lr_pc; /* the caller's own return, for RET */  \
        rec_[4] = (uintptr_t)lr_fp;                                         \
        lr_pc = pc + WB_CALL_CELLS;                                         \
        lr_fp = caller_fp_;                                                 \
        depth++;                                                            \
        SWITCH;                                                             \
        /* the callee's first cell is FUEL_POLL [cost]: do its work here,  \
         * which saves a dispatch per call */                               \
        pc = c->code;                                                       \
        CHARGE(pc[1].u);                                                    \
        NEXT_X(FUEL_POLL);                                                  \
    } while (0)
    /* ---- calls ---- */
X_CALL_DEF:
    c = (struct wb_compiled *)pc[1].ptr;
    nfp = fp + pc[2].u;
    ENTER_WASM(call_def_slow, ((void)0));
call_def_slow:
    new_inst = inst;
    goto enter_slow;
X_CALL_ANY:
    callee = inst->funcs[pc[1].u];
    nfp = fp + pc[2].u;
    goto call_func;
/* callee = the function at table O0's element fp[O2], checked against module
 * type O1 (call_indirect and return_call_indirect) */
#define TABLE_CALLEE()                                                                       \
    do {                                                                                     \
        wb_table *t_ = inst->tables[O0];                                                     \
        uint32_t i_ = (uint32_t)fp[O2];                                                      \
        if (UNLIKELY(i_ >= t_->size))                                                        \
            TRAP(WB_TRAP_UNDEFINED_ELEMENT);                                                 \
        callee = (wb_func *)(uintptr_t)t_->elems[i_];                                        \
        if (UNLIKELY(!callee)) {                                                             \
            /* the spec's text names the element: "uninitialized element 2" */              \
            char text_[48];                                                                  \
            snprintf(text_, sizeof text_, "%s %u",                                           \
                     wb_status_message(WB_TRAP_UNINITIALIZED_ELEMENT), i_);                  \
            wb_store_set_trap(s, WB_TRAP_UNINITIALIZED_ELEMENT, text_);                      \
            status = WB_TRAP_UNINITIALIZED_ELEMENT;                                          \
            goto failed;                                                                     \
        }                                                                                    \
        if (UNLIKELY(callee->type_id != inst->type_ids[O1]))                                 \
            TRAP(WB_TRAP_INDIRECT_MISMATCH);                                                 \
    } while (0)
X_CALL_IND: {
    wb_table *t = inst->tables[O0];
    uint32_t i = (uint32_t)fp[O2];
    nfp = fp + O3;
    if (UNLIKELY(i >= t->size))
        TRAP(WB_TRAP_UNDEFINED_ELEMENT);
    callee = (wb_func *)(uintptr_t)t->elems[i];
    if (UNLIKELY(!callee)) {
        /* the spec's text names the element: "uninitialized element 2" */
        char text[48];
        snprintf(text, sizeof text, "%s %u", wb_status_message(WB_TRAP_UNINITIALIZED_ELEMENT), i);
        wb_store_set_trap(s, WB_TRAP_UNINITIALIZED_ELEMENT, text);
        status = WB_TRAP_UNINITIALIZED_ELEMENT;
        goto failed;
    }
    if (UNLIKELY(callee->type_id != inst->type_ids[O1]))
        TRAP(WB_TRAP_INDIRECT_MISMATCH);
    goto call_func;
}
/* call_ref: [h][ref _][args]. The validator proved the reference's type
 * (every way a function reaches a typed slot is checked: store_types.c),
 * so only null is left to test. */
X_CALL_REF:
    callee = (wb_func *)(uintptr_t)fp[O0];
    nfp = fp + pc[2].u;
    if (LIKELY(callee != NULL))
        goto call_func;
null_func_ref:
    wb_store_set_trap(s, WB_TRAP_NULL_REFERENCE, "null function reference");
    status = WB_TRAP_NULL_REFERENCE;
    goto failed;
call_func:
    if (!callee->instance) {
        uint32_t np = callee->type->param_slots, nr = callee->type->result_slots;
        /* Atomic (relaxed: a plain store on common CPUs) so that another
         * thread may read the count while the run is in a host call
         * (wb_store_fuel_used_now). */
        __atomic_store_n(&s->fuel_left, FUEL_TOTAL(), __ATOMIC_RELAXED);
        s->depth = depth;
        s->stack_top = nfp + (np > nr ? np : nr);
        status = wb_call_host(s, callee, inst, nfp);
        s->stack_top = saved_top;
        FUEL_SET(s->fuel_left); /* a new chunk: poll, as REFILL does */
        if (status != WB_OK) {
            if (status == WB_EXCEPTION && s->exn) {
                /* a host function threw (wb_call_throw): from this call
                 * (polled first: a loop catching a host's throws would
                 * otherwise never reach a poll) */
                exn = s->exn;
                POLL_INTERRUPT();
                goto throw_exn;
            }
            goto failed; /* wb_call_host recorded it */
        }
        POLL_INTERRUPT();
        RELOAD_MEM();
        DISPATCH(WB_CALL_CELLS);
    }
    c = callee->code;
    new_inst = callee->instance;
enter_wasm:
    ENTER_WASM(enter_slow, if (new_inst != inst) {
        inst = new_inst;
        RELOAD_MEM();
    });

enter_slow:
    /* the callee's first call translates it (lazy.c); pc is still the
     * call, so a failure is reported there */
    if (!wb_code_ready(c)) {
        wb_error err;
        if (!wb_code_ensure(new_inst->module, c, &err)) {
            wb_store_set_trap(s, WB_TRAP_HOST, err.message);
            status = WB_TRAP_HOST;
            goto failed;
        }
        goto enter_wasm;
    }
    /* another thread may have published the callee between enter_wasm's
     * look and wb_code_ready's: only a real limit traps */
    if (depth < max_depth &&
        (size_t)(stack_end - nfp) >= __atomic_load_n(&c->frame_slots, __ATOMIC_ACQUIRE))
        goto enter_wasm;
    TRAP(WB_TRAP_STACK_EXHAUSTED);

    /* ---- tail calls (vm/README.md "Tail calls") ----
     * [h][callee][args][record]: the callee takes the caller's frame over:
     * fp stays, the depth stays, the record (where the caller's caller
     * continues) is carried into the callee's record; its arguments are
     * moved down to fp[0]. Nothing grows, so a chain of tail calls of any
     * length runs in one frame. pc stays on the tail call until the callee
     * is entered, so a trap before (bad element, stack) is located there. */
X_TCALL_DEF:
    c = (struct wb_compiled *)pc[1].ptr;
    nfp = fp + pc[2].u;
    new_inst = inst;
    goto tail_wasm;
X_TCALL_ANY:
    callee = inst->funcs[pc[1].u];
    nfp = fp + pc[2].u;
    goto tail_func;
X_TCALL_IND:
    nfp = fp + O3;
    TABLE_CALLEE();
    goto tail_func;
X_TCALL_REF:
    callee = (wb_func *)(uintptr_t)fp[O0];
    nfp = fp + pc[2].u;
    if (UNLIKELY(!callee))
        goto null_func_ref;
    goto tail_func;
tail_func:
    if (!callee->instance) {
        /* a host function: call it as call does, then return its results
         * from this frame as return does (counted in slots: a v128 two) */
        uint32_t np = callee->type->param_slots, nr = callee->type->result_slots;
        __atomic_store_n(&s->fuel_left, FUEL_TOTAL(), __ATOMIC_RELAXED);
        s->depth = depth;
        s->stack_top = nfp + (np > nr ? np : nr);
        status = wb_call_host(s, callee, inst, nfp);
        s->stack_top = saved_top;
        FUEL_SET(s->fuel_left); /* a new chunk: poll, as REFILL does */
        const uint64_t *rec = fp + pc[3].u;
        if (status != WB_OK) {
            if (status == WB_EXCEPTION && s->exn) {
                /* the tail call's frame is gone: thrown from its caller's
                 * call (the exit cells, in no function, when none) */
                exn = s->exn;
                POLL_INTERRUPT();
                pc = (const wb_cell *)(uintptr_t)rec[0] - WB_CALL_CELLS;
                fp = (uint64_t *)(uintptr_t)rec[1]; /* lr: set where it lands */
                inst = (wb_instance *)(uintptr_t)rec[2];
                depth--;
                goto throw_exn;
            }
            goto failed;
        }
        POLL_INTERRUPT();
        const wb_cell *rpc = (const wb_cell *)(uintptr_t)rec[0];
        uint64_t *rfp = (uint64_t *)(uintptr_t)rec[1];
        wb_instance *rinst = (wb_instance *)(uintptr_t)rec[2];
        LINK_FROM_RECORD(rec);
        for (uint32_t i = 0; i < nr; i++) /* nfp > fp: copying upwards is safe */
            fp[i] = nfp[i];
        depth--;
        pc = rpc;
        fp = rfp;
        inst = rinst;
        RELOAD_MEM(); /* the host may have grown a memory */
        NEXT();
    }
    c = callee->code;
    new_inst = callee->instance;
tail_wasm: {
    /* the callee's frame starts where this one does: check it fits before
     * anything moves, so a trap is located at the tail call (an
     * untranslated callee fails this test too, WB_FRAME_UNTRANSLATED) */
    if (UNLIKELY((size_t)(stack_end - fp) < __atomic_load_n(&c->frame_slots, __ATOMIC_ACQUIRE)))
        goto tail_slow;
    /* read the record before the arguments may overwrite it */
    const uint64_t *rec = fp + pc[3].u;
    const wb_cell *rpc = (const wb_cell *)(uintptr_t)rec[0];
    uint64_t *rfp = (uint64_t *)(uintptr_t)rec[1];
    wb_instance *rinst = (wb_instance *)(uintptr_t)rec[2];
    /* enter_wasm saves the link registers in the callee's record: make
     * them the caller's caller's, as when the caller returned */
    LINK_FROM_RECORD(rec);
    /* the arguments sit above fp[0] (operand slots come after the record),
     * so an upward copy never reads a slot it already wrote */
    for (uint32_t i = 0, np = c->nparams; i < np; i++) {
        fp[i] = nfp[i];
        OPAQUE(i);
    }
    /* Now become the caller's caller at its call instruction, calling the
     * callee with its arguments at this frame: enter_wasm then writes the
     * record this frame had, and the depth comes back to what it was. */
    nfp = fp;
    pc = rpc - WB_CALL_CELLS;
    fp = rfp;
    depth--;
    if (rinst != inst) {
        inst = rinst;
        RELOAD_MEM();
    }
    goto enter_wasm;
}
tail_slow:
    if (!wb_code_ready(c)) {
        wb_error err;
        if (!wb_code_ensure(new_inst->module, c, &err)) {
            wb_store_set_trap(s, WB_TRAP_HOST, err.message);
            status = WB_TRAP_HOST;
            goto failed;
        }
        goto tail_wasm;
    }
    TRAP(WB_TRAP_STACK_EXHAUSTED);

    /* ---- moves, locals, globals ---- */
X_MOV:
    fp[O1] = fp[O0];
    NEXT_X(MOV);
X_MOV2:
    /* two moves in order: the second may read what the first wrote */
    fp[O1] = fp[O0];
    fp[O3] = fp[O2];
    NEXT_X(MOV2);
X_MOVI:
    fp[O0] = pc[2].u;
    NEXT_X(MOVI);
    /* f64 arithmetic in two passes (add, sub, mul, div and the fused
     * pairs): the plain C operators first, then, only when the result is a
     * NaN, the whole expression again with interp_ops.h's NaN rule, its
     * operands read again from their slots (nothing was written yet). A
     * NaN anywhere in the expression makes the result a NaN, so a result
     * that is not one is what the rule's helpers give too. Why: the
     * helpers keep both operands live for their NaN case, so GCC loaded
     * each into a general register and copied it to an SSE one (three
     * moves per operation); read only once, an operand is a memory operand
     * of mulsd/addsd. The empty asm makes the slow path load the slots
     * again instead of keeping the fast path's values. f64_plain_ picks
     * the plain operator in the helpers' stand-ins below (constant: folded
     * away). READ declares the operands (a statement list). */
#define F64_TWO_PASS(READ, expr)                                          \
    double r_;                                                            \
    {                                                                     \
        const int f64_plain_ = 1;                                         \
        READ r_ = (expr);                                                 \
    }                                                                     \
    if (UNLIKELY(r_ != r_)) {                                             \
        const int f64_plain_ = 0;                                         \
        __asm__("" ::: "memory");                                         \
        READ r_ = (expr);                                                 \
    }
#define F64_RESULT(dst, READ, expr)                                       \
    {                                                                     \
        F64_TWO_PASS(READ, expr)                                          \
        fp[dst] = wb_from_f64(r_);                                        \
    }
    /* fused pairs (opfamilies.h WB_FUSED_PAIRS): [a b][c dst], b a slot or
     * (IMM) the constant in the code. f64 products are rounded before the
     * add or subtract: exactly the two wasm instructions (-std=c11 means
     * -ffp-contract=off, so GCC never makes an FMA; float_exprs.wast's no_fma
     * tests check it) */
#define PAIR_GET_U32(v) ((uint32_t)(v))
#define PAIR_GET_F64(v) wb_f64(v)
#define PAIR_B_SLOT(type) PAIR_GET_##type(fp[O1])
#define PAIR_B_IMM(type) O1
#define FUSED_PAIR(name, outer, inner, where, type, bform, expr)          \
    X_##name: {                                                          \
        PAIR_BODY_##type(bform, expr)                                    \
        NEXT_X(name);                                                    \
    }
#define PAIR_BODY_U32(bform, expr)                                       \
    {                                                                    \
        uint32_t a = (uint32_t)fp[O0], b = PAIR_B_##bform(U32);          \
        uint32_t c = (uint32_t)fp[O2];                                   \
        fp[O3] = (uint32_t)(expr);                                       \
    }
#define PAIR_BODY_F64(bform, expr)                                       \
    F64_RESULT(O3, double a = wb_f64(fp[O0]); double b = PAIR_B_##bform(F64); \
               double c = wb_f64(fp[O2]);, expr)
    /* F64_RESULT's fast pass: the helpers' plain stand-ins (only here
     * and at FBIN64F: interp_simd.h calls the helpers themselves; a
     * function-like macro's own name in its body is the function) */
#define wb_f64_add(x, y) (f64_plain_ ? (x) + (y) : wb_f64_add(x, y))
#define wb_f64_sub(x, y) (f64_plain_ ? (x) - (y) : wb_f64_sub(x, y))
#define wb_f64_mul(x, y) (f64_plain_ ? (x) * (y) : wb_f64_mul(x, y))
#define wb_f64_div(x, y) (f64_plain_ ? (x) / (y) : wb_f64_div(x, y))
    WB_FUSED_PAIRS(FUSED_PAIR)
#undef wb_f64_add
#undef wb_f64_sub
#undef wb_f64_mul
#undef wb_f64_div
    /* pairs of immediate forms (opfamilies.h WB_IMM_PAIRS): [a k1][k2 dst] */
#define IMM_PAIR(name, outer, inner, expr)                                 \
    X_##name: {                                                           \
        uint32_t a = (uint32_t)fp[O0], k1 = O1, k2 = O2;                  \
        fp[O3] = (uint32_t)(expr);                                        \
        NEXT_X(name);                                                     \
    }
    WB_IMM_PAIRS(IMM_PAIR)
X_SEL:
    fp[O3] = (uint32_t)fp[O2] ? fp[O0] : fp[O1];
    NEXT_X(SEL);
L_GLOBAL_GET:
    fp[O0] = inst->globals[pc[2].u]->value;
    NEXT_OP(GLOBAL_GET);
L_GLOBAL_SET:
    inst->globals[pc[2].u]->value = fp[O0];
    NEXT_OP(GLOBAL_SET);

    /* ---- memory ----
 * The code holds where an access ends, offset + size (the translator adds
 * the access size in), so the bounds check is one add and one compare:
 * end = x + offset + size <= mem_size; the access starts at end - size,
 * which the load or store folds into its addressing. */
#define EA(slot)                                                     \
    uint64_t end = (uint64_t)(uint32_t)(slot) + pc[2].u;            \
    if (UNLIKELY(end > mem_size))                                  \
        goto trap_oob;
/* One body per access, instantiated for each way of forming the address
 * (EA: x + offset; EA_A: (x + K) + offset; EA_X: (x + y) + offset), and for
 * each load and store of opfamilies.h. */
#define LOAD_WITH(label, cells, EAM, T, conv)     \
    label: {                                      \
        EAM(fp[O0])                               \
        T v;                                      \
        memcpy(&v, mem_base + end - sizeof v, sizeof v); \
        fp[O1] = (conv);                          \
        DISPATCH(cells);                          \
    }
#define STORE_WITH(label, cells, EAM, T)          \
    label: {                                      \
        EAM(fp[O0])                               \
        T v = (T)fp[O1];                          \
        memcpy(mem_base + end - sizeof v, &v, sizeof v); \
        DISPATCH(cells);                          \
    }
    /* the same with the address x + K: [h][x dst|value][end K] */
#define EA_A(slot)                                                                \
    uint64_t end = (uint64_t)(uint32_t)((uint32_t)(slot) + pc[2].p.b) + pc[2].p.a; \
    if (UNLIKELY(end > mem_size))                                               \
        goto trap_oob;
    /* the same with the address x + y: [h][x dst|value][end y] */
#define EA_X(slot)                                                                     \
    uint64_t end = (uint64_t)(uint32_t)((uint32_t)(slot) + (uint32_t)fp[pc[2].p.b]) + pc[2].p.a; \
    if (UNLIKELY(end > mem_size))                                                    \
        goto trap_oob;
#define LOADS3(id, T, conv)                                                \
    LOAD_WITH(L_##id, WB_CELLS_##id, EA, T, conv)                          \
    LOAD_WITH(X_##id##_A, WB_CELLS_X_##id##_A, EA_A, T, conv)              \
    LOAD_WITH(X_##id##_X, WB_CELLS_X_##id##_X, EA_X, T, conv)
#define STORES3(id, T)                                                     \
    STORE_WITH(L_##id, WB_CELLS_##id, EA, T)                               \
    STORE_WITH(X_##id##_A, WB_CELLS_X_##id##_A, EA_A, T)                   \
    STORE_WITH(X_##id##_X, WB_CELLS_X_##id##_X, EA_X, T)
    WB_LOADS(LOADS3)
    WB_STORES(STORES3)
    /* a load feeding a multiply-add (opfamilies.h WB_LOAD_MADDS):
     * [x b][end K][c dst], the address as in the _A forms; the product and
     * the sum wrap mod 2^32 like i32.mul and i32.add */
#define STEP_LOAD_MADD(T, conv)                                           \
    {                                                                     \
        EA_A(fp[O0])                                                      \
        T v;                                                              \
        memcpy(&v, mem_base + end - sizeof v, sizeof v);                  \
        uint32_t a = (uint32_t)(conv);                                    \
        fp[pc[3].p.b] = (uint32_t)(a * (uint32_t)fp[O1] + (uint32_t)fp[pc[3].p.a]); \
    }
#define LOAD_MADD(id, T, conv)                                            \
    X_##id##_MADD: {                                                      \
        STEP_LOAD_MADD(T, conv)                                           \
        NEXT_X(id##_MADD);                                                \
    }
    WB_LOAD_MADDS(LOAD_MADD)
    /* an f64.load feeding an f64 add, sub or mul (opfamilies.h
     * WB_LOAD_F64_OPS): [x b][end K][dst _], the address as in the _A
     * forms, its bounds trap the load's (the code map gives these cells to
     * the load). Two passes as F64_RESULT does: the NaN pass reads the
     * memory again (its empty asm clobbers memory), which nothing has
     * written since the first. */
#define STEP_LOAD_F64_OP(expr)                                            \
    {                                                                     \
        EA_A(fp[O0])                                                      \
        F64_RESULT(pc[3].p.a, uint64_t u_; memcpy(&u_, mem_base + end - 8, 8); \
                   double l = wb_f64(u_); double b = wb_f64(fp[O1]);, expr) \
    }
#define LOAD_F64_OP(name, outer, loaded, expr)                            \
    X_##name: {                                                           \
        STEP_LOAD_F64_OP(expr)                                            \
        NEXT_X(name);                                                     \
    }
#define wb_f64_add(x, y) (f64_plain_ ? (x) + (y) : wb_f64_add(x, y))
#define wb_f64_sub(x, y) (f64_plain_ ? (x) - (y) : wb_f64_sub(x, y))
#define wb_f64_mul(x, y) (f64_plain_ ? (x) * (y) : wb_f64_mul(x, y))
    WB_LOAD_F64_OPS(LOAD_F64_OP)
    /* an f64 location updated by a product of three (opfamilies.h
     * WB_F64_RMW_NBODY2): [x a][end K][b c], the address as in the _A
     * forms, its bounds trap the load's (the code map gives these cells
     * to the load). Two passes (F64_TWO_PASS) as F64_RESULT, the result stored
     * instead of written to a slot; the NaN pass reads the memory again
     * behind the empty asm, and nothing has written it since the first. */
#define STEP_F64_RMW(expr)                                                \
    {                                                                     \
        EA_A(fp[O0])                                                      \
        F64_TWO_PASS(F64_RMW_READ, expr)                                  \
        uint64_t w_ = wb_from_f64(r_);                                    \
        memcpy(mem_base + end - 8, &w_, 8);                               \
    }
#define F64_RMW_READ                                                      \
    uint64_t u_;                                                          \
    memcpy(&u_, mem_base + end - 8, 8);                                   \
    double m = wb_f64(u_), a = wb_f64(fp[O1]);                            \
    double b = wb_f64(fp[pc[3].p.a]), c = wb_f64(fp[pc[3].p.b]);
#define F64_RMW(name, outer, product, expr)                               \
    X_##name: {                                                           \
        STEP_F64_RMW(expr)                                                \
        NEXT_X(name);                                                     \
    }
    WB_F64_RMW_NBODY2(F64_RMW)
#define wb_f64_div(x, y) (f64_plain_ ? (x) / (y) : wb_f64_div(x, y))
    /* a quotient by a product with a square root (opfamilies.h
     * WB_F64_SQRT_NBODY2): [a b][c dst], as the fused pairs */
#define F64_SQRT_PAIR(name, expr)                                         \
    X_##name: {                                                           \
        PAIR_BODY_F64(SLOT, expr)                                         \
        NEXT_X(name);                                                     \
    }
    WB_F64_SQRT_NBODY2(F64_SQRT_PAIR)
#undef wb_f64_add
#undef wb_f64_sub
#undef wb_f64_mul
#undef wb_f64_div

    /* ---- SIMD (v128): its own file, a fragment of this function ---- */
#include "interp_simd.h"

    /* A load whose value a branch tests: [h][addr dst][end][t c]. The
     * branch works from its own cell [t c] (pc moves there first), which
     * the code map gives to the br_if or if: a bounds trap is the load's,
     * an out-of-fuel trap on the fall-through the branch's, as unfused. */
/* the tested value: loaded (bounds checked, zero-extended from T), kept in
 * O1 as the unfused load would leave it, and in x for the test */
#define LOAD_TESTED(T)                                                     \
    EA(fp[O0])                                                            \
    T v;                                                                  \
    memcpy(&v, mem_base + end - sizeof v, sizeof v);                      \
    uint32_t x = v;                                                       \
    fp[O1] = x;
#define STEP_LOAD_BRANCH(name, T, cond, TAKEN)                             \
    {                                                                     \
        LOAD_TESTED(T)                                                    \
        pc += WB_CELLS_X_##name - 1;                                      \
        if (cond)                                                         \
            TAKEN(pc);                                                    \
        DISPATCH(1);                                                      \
    }
#define LOAD_BRANCH(name, T, cond, TAKEN) X_##name: STEP_LOAD_BRANCH(name, T, cond, TAKEN)
#define LOAD_BRANCHES(name, T)                                             \
    LOAD_BRANCH(name##_BR_NZ, T, x, FORWARD)                              \
    LOAD_BRANCH(name##_BR_Z, T, !x, FORWARD)                              \
    LOAD_BRANCH(name##_BR_NZ_L, T, x, LOOP_BACK)                          \
    LOAD_BRANCH(name##_BR_Z_L, T, !x, LOOP_BACK)
    WB_LOAD_BRANCHES(LOAD_BRANCHES)
    /* A load whose value an i32 comparison with slot y tests:
     * [h][x y][end K][t c], the address as in the _A forms, the branch from
     * its own cell as in LOAD_BRANCH (traps located as unfused). */
#define LOAD_CMP_BRANCH(id, T, conv, sg, rel, TAKEN)                       \
    X_##id: {                                                             \
        EA_A(fp[O0])                                                      \
        T v;                                                              \
        memcpy(&v, mem_base + end - sizeof v, sizeof v);                  \
        uint32_t x = (uint32_t)(conv), y = (uint32_t)fp[O1];              \
        pc += WB_CELLS_X_##id - 1;                                        \
        if (CMP_##sg##32(x) rel CMP_##sg##32(y))                          \
            TAKEN(pc);                                                    \
        DISPATCH(1);                                                      \
    }
#define LOAD_CMP_BRANCH1(load, T, conv, name, sg, rel, neg, swp)           \
    LOAD_CMP_BRANCH(load##_BRC_##name, T, conv, sg, rel, FORWARD)          \
    LOAD_CMP_BRANCH(load##_BRC_##name##_L, T, conv, sg, rel, LOOP_BACK)
#define LOAD_CMP_BRANCHES(load, T, conv) WB_CMPS_WITH(LOAD_CMP_BRANCH1, load, T, conv)
    WB_LOAD_CMP_BRANCHES(LOAD_CMP_BRANCHES)

L_MEMORY_SIZE:
    fp[O0] = mem_size / WB_PAGE_SIZE;
    NEXT_OP(MEMORY_SIZE);
L_MEMORY_GROW: {
    /* pages a grow can add are charged as zeroed bytes; one that exceeds the
     * memory's maximum fails without work and costs nothing extra */
    uint64_t delta = (uint32_t)fp[O0];
    if (delta <= inst->mem0->max_pages - mem_size / WB_PAGE_SIZE)
        CHARGE_BYTES(delta * WB_PAGE_SIZE);
    int64_t old = wb_memory_grow(inst->mem0, delta);
    fp[O1] = (uint32_t)old; /* -1 becomes 0xFFFFFFFF */
    RELOAD_MEM();
    NEXT_OP(MEMORY_GROW);
}
L_MEMORY_FILL: {
    uint64_t d = (uint32_t)fp[O0], n = (uint32_t)fp[O2];
    uint8_t val = (uint8_t)fp[O1];
    CHARGE_BYTES(n);
    if (UNLIKELY(d + n > mem_size))
        TRAP(WB_TRAP_MEMORY_OOB);
    if (n)
        memset(mem_base + d, val, n);
    NEXT_OP(MEMORY_FILL);
}
L_MEMORY_COPY: {
    uint64_t d = (uint32_t)fp[O0], src = (uint32_t)fp[O1], n = (uint32_t)fp[O2];
    CHARGE_BYTES(n);
    if (UNLIKELY(d + n > mem_size || src + n > mem_size))
        TRAP(WB_TRAP_MEMORY_OOB);
    if (n)
        memmove(mem_base + d, mem_base + src, n);
    NEXT_OP(MEMORY_COPY);
}
L_MEMORY_INIT: {
    CHARGE_BYTES((uint32_t)fp[O2]);
    wb_status st = wb_op_memory_init(inst, 0, (uint32_t)pc[3].u, (uint32_t)fp[O0], (uint32_t)fp[O1],
                                     (uint32_t)fp[O2]);
    if (UNLIKELY(st != WB_OK))
        TRAP(st);
    NEXT_OP(MEMORY_INIT);
}
L_DATA_DROP:
    inst->data_dropped[pc[1].u] = true;
    NEXT_OP(DATA_DROP);

    /* ---- memories other than memory 0: its own file, a fragment of this function ---- */
#include "interp_mem.h"

    /* ---- 64-bit tables: its own file, a fragment of this function ---- */
#include "interp_table64.h"

    /* ---- tables and references ---- */
L_TABLE_GET: {
    wb_table *t = inst->tables[pc[2].u];
    uint32_t i = (uint32_t)fp[O0];
    if (UNLIKELY(i >= t->size))
        TRAP(WB_TRAP_TABLE_OOB);
    fp[O1] = t->elems[i];
    NEXT_OP(TABLE_GET);
}
L_TABLE_SET: {
    wb_table *t = inst->tables[pc[2].u];
    uint32_t i = (uint32_t)fp[O0];
    if (UNLIKELY(i >= t->size))
        TRAP(WB_TRAP_TABLE_OOB);
    t->elems[i] = fp[O1];
    NEXT_OP(TABLE_SET);
}
L_TABLE_SIZE:
    fp[O0] = inst->tables[pc[2].u]->size;
    NEXT_OP(TABLE_SIZE);
L_TABLE_GROW: {
    /* [init n][dst][table]; elements a grow can add are charged as written */
    wb_table *gt = inst->tables[pc[3].u];
    uint64_t gn = (uint32_t)fp[O1];
    if (gn <= (uint64_t)gt->max - gt->size)
        CHARGE_BYTES(gn * sizeof(uint64_t));
    int64_t old = wb_op_table_grow(inst->tables[pc[3].u], (uint32_t)fp[O1], fp[O0]);
    fp[O2] = (uint32_t)old;
    NEXT_OP(TABLE_GROW);
}
L_TABLE_FILL: {
    wb_table *t = inst->tables[pc[3].u];
    uint64_t i = (uint32_t)fp[O0], n = (uint32_t)fp[O2];
    uint64_t val = fp[O1];
    CHARGE_BYTES(n * sizeof(uint64_t));
    if (UNLIKELY(i + n > t->size))
        TRAP(WB_TRAP_TABLE_OOB);
    for (uint64_t k = 0; k < n; k++)
        t->elems[i + k] = val;
    NEXT_OP(TABLE_FILL);
}
L_TABLE_COPY: {
    wb_table *dt = inst->tables[pc[3].p.a], *st = inst->tables[pc[3].p.b];
    uint64_t d = (uint32_t)fp[O0], src = (uint32_t)fp[O1], n = (uint32_t)fp[O2];
    CHARGE_BYTES(n * sizeof(uint64_t));
    if (UNLIKELY(d + n > dt->size || src + n > st->size))
        TRAP(WB_TRAP_TABLE_OOB);
    if (n)
        memmove(dt->elems + d, st->elems + src, n * sizeof *dt->elems);
    NEXT_OP(TABLE_COPY);
}
L_TABLE_INIT: {
    CHARGE_BYTES((uint64_t)(uint32_t)fp[O2] * sizeof(uint64_t));
    wb_status st = wb_op_table_init(inst, pc[3].p.b, pc[3].p.a, (uint32_t)fp[O0], (uint32_t)fp[O1],
                                    (uint32_t)fp[O2]);
    if (UNLIKELY(st != WB_OK))
        TRAP(st);
    NEXT_OP(TABLE_INIT);
}
L_ELEM_DROP:
    inst->elems[pc[1].u].count = 0;
    NEXT_OP(ELEM_DROP);
L_REF_IS_NULL:
    fp[O1] = fp[O0] == 0;
    NEXT_OP(REF_IS_NULL);
L_REF_FUNC:
    fp[O0] = (uint64_t)(uintptr_t)inst->funcs[pc[2].u];
    NEXT_OP(REF_FUNC);
L_REF_AS_NON_NULL:
    if (UNLIKELY(fp[O0] == 0))
        TRAP(WB_TRAP_NULL_REFERENCE);
    fp[O1] = fp[O0];
    NEXT_OP(REF_AS_NON_NULL);

    /* ---- integer arithmetic: [a b][dst] and [a dst] ---- */
#define BIN32(id, expr)                                              \
    L_##id: {                                                        \
        uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];         \
        fp[O2] = (uint32_t)(expr);                                   \
        NEXT_OP(id);                                                 \
    }
#define BIN64(id, expr)                                              \
    L_##id: {                                                        \
        uint64_t a = fp[O0], b = fp[O1];                             \
        fp[O2] = (uint64_t)(expr);                                   \
        NEXT_OP(id);                                                 \
    }
#define UN32(id, expr)                                               \
    L_##id: {                                                        \
        uint32_t a = (uint32_t)fp[O0];                               \
        fp[O1] = (uint32_t)(expr);                                   \
        NEXT_OP(id);                                                 \
    }
#define UN64(id, expr)                                               \
    L_##id: {                                                        \
        uint64_t a = fp[O0];                                         \
        fp[O1] = (uint64_t)(expr);                                   \
        NEXT_OP(id);                                                 \
    }
    UN32(I32_EQZ, a == 0)
    UN64(I64_EQZ, a == 0)

    /* [a imm][dst]: the second operand is a constant in the code */
#define BINI(name, expr)                                             \
    X_##name##_I: {                                                  \
        uint32_t a = (uint32_t)fp[O0], b = O1;                       \
        fp[O2] = (uint32_t)(expr);                                   \
        NEXT_X(name##_I);                                            \
    }
    /* the comparisons: i32, i64, and i32 against a constant */
#define CMP_OPS(name, sg, rel, neg, swp)                               \
    BIN32(I32_##name, CMP_##sg##32(a) rel CMP_##sg##32(b))             \
    BIN64(I64_##name, CMP_##sg##64(a) rel CMP_##sg##64(b))             \
    BINI(name, CMP_##sg##32(a) rel CMP_##sg##32(b))
    WB_CMPS(CMP_OPS)
    /* i32 operations that have an immediate form, both forms */
#define ALU32_OPS(name, expr, commutes) BIN32(I32_##name, expr) BINI(name, expr)
    WB_ALU32_IMM(ALU32_OPS)

    /* joined pairs (opfamilies.h WB_JOINS): the first step at pc, then pc
     * on to the second (so a trap there is located at it), then its step.
     * Each step is one instruction's handler without its dispatch. */
#define STEP_BINI(expr)                                              \
    {                                                                \
        uint32_t a = (uint32_t)fp[O0], b = O1;                       \
        fp[O2] = (uint32_t)(expr);                                   \
    }
#define STEP_BIN32(expr)                                             \
    {                                                                \
        uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];         \
        fp[O2] = (uint32_t)(expr);                                   \
    }
#define STEP_IMM_PAIR(expr)                                          \
    {                                                                \
        uint32_t a = (uint32_t)fp[O0], k1 = O1, k2 = O2;             \
        fp[O3] = (uint32_t)(expr);                                   \
    }
#define STEP_LOAD(T, conv)                                           \
    {                                                                \
        EA(fp[O0])                                                   \
        T v;                                                         \
        memcpy(&v, mem_base + end - sizeof v, sizeof v);             \
        fp[O1] = (conv);                                             \
    }
#define STEP_STORE(T)                                                \
    {                                                                \
        EA(fp[O0])                                                   \
        T v = (T)fp[O1];                                             \
        memcpy(mem_base + end - sizeof v, &v, sizeof v);             \
    }
#define STEP_BIN3(expr)                                              \
    {                                                                \
        uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];         \
        uint32_t c = (uint32_t)fp[O2];                               \
        fp[O3] = (uint32_t)(expr);                                   \
    }
#define STEP_ADD_I STEP_BINI(a + b)
#define STEP_SUB_I STEP_BINI(a - b)
#define STEP_AND_I STEP_BINI(a & b)
#define STEP_XOR_I STEP_BINI(a ^ b)
#define STEP_SHR_U_I STEP_BINI(a >> (b & 31))
#define STEP_SHR_U_AND_I STEP_IMM_PAIR((a >> (k1 & 31)) & k2)
#define STEP_MUL_ADD_I STEP_IMM_PAIR(a * k1 + k2)
#define STEP_I32_ADD STEP_BIN32(a + b)
#define STEP_I32_XOR STEP_BIN32(a ^ b)
#define STEP_I32_MUL STEP_BIN32(a * b)
#define STEP_I32_GT_S STEP_BIN32((int32_t)a > (int32_t)b)
#define STEP_LT_S_I STEP_BINI((int32_t)a < (int32_t)b)
#define STEP_MOV fp[O1] = fp[O0];
#define STEP_MOVI fp[O0] = pc[2].u;
#define STEP_SEL fp[O3] = (uint32_t)fp[O2] ? fp[O0] : fp[O1];
#define STEP_I32_LOAD STEP_LOAD(uint32_t, v)
#define STEP_I32_LOAD8_U STEP_LOAD(uint8_t, v)
#define STEP_I32_LOAD16_U STEP_LOAD(uint16_t, v)
#define STEP_I32_STORE STEP_STORE(uint32_t)
#define STEP_F64_LOAD STEP_LOAD(uint64_t, v)
#define STEP_F64_STORE STEP_STORE(uint64_t)
#define STEP_I32_LOAD16_S_MADD STEP_LOAD_MADD(int16_t, (uint32_t)(int32_t)v)
    /* f64 steps: F64_RESULT's two passes, the plain stand-ins defined
     * around WB_JOINS(JOINED) below */
#define STEP_F64_SUB                                                 \
    F64_RESULT(O2, double a = wb_f64(fp[O0]); double b = wb_f64(fp[O1]);, wb_f64_sub(a, b))
#define STEP_F64_MUL3 PAIR_BODY_F64(SLOT, wb_f64_mul(wb_f64_mul(a, b), c))
#define STEP_F64_LOAD_RADD STEP_LOAD_F64_OP(wb_f64_add(b, l))
#define STEP_MADD STEP_BIN3(a * b + c)
/* the steps of WB_JOINS_NBODY2 (their expressions opfamilies.h's rows) */
#define STEP_F64_BIN(expr)                                           \
    F64_RESULT(O2, double a = wb_f64(fp[O0]); double b = wb_f64(fp[O1]);, expr)
#define STEP_F64_MUL STEP_F64_BIN(wb_f64_mul(a, b))
#define STEP_F64_ADD STEP_F64_BIN(wb_f64_add(a, b))
#define STEP_F64_LOAD_RSUB STEP_LOAD_F64_OP(wb_f64_sub(b, l))
#define STEP_F64_LOAD_MUL STEP_LOAD_F64_OP(wb_f64_mul(l, b))
#define STEP_F64_RMADD PAIR_BODY_F64(SLOT, wb_f64_add(c, wb_f64_mul(a, b)))
#define STEP_F64_RMSUB PAIR_BODY_F64(SLOT, wb_f64_sub(c, wb_f64_mul(a, b)))
#define STEP_F64_RMDIV_SQRT PAIR_BODY_F64(SLOT, wb_f64_div(c, wb_f64_mul(a, sqrt(b))))
#define STEP_F64_RMW_SUB_MUL3 STEP_F64_RMW(wb_f64_sub(m, wb_f64_mul(wb_f64_mul(a, b), c)))
#define STEP_F64_RMW_RADD_MUL3 STEP_F64_RMW(wb_f64_add(wb_f64_mul(wb_f64_mul(a, b), c), m))
/* conditional branches: taken, they go to their target (charging and
 * dispatching there, as unjoined); not taken, the joined handler goes on,
 * to its second step or (a second) to its dispatch */
#define STEP_BRANCH(name, TAKEN, cond, ...)                          \
    {                                                                \
        __VA_ARGS__;                                                 \
        if (cond)                                                    \
            TAKEN(pc + WB_CELLS_X_##name - 1);                       \
    }
#define STEP_BR_NZ_L STEP_BRANCH(BR_NZ_L, LOOP_BACK, x, SETUP1)
#define STEP_BR_Z STEP_BRANCH(BR_Z, FORWARD, !x, SETUP1)
#define STEP_BRC_NE_L STEP_BRANCH(BRC_NE_L, LOOP_BACK, x != y, SETUP2)
#define STEP_BRC_EQ STEP_BRANCH(BRC_EQ, FORWARD, x == y, SETUP2)
#define STEP_BRC_EQ_I STEP_BRANCH(BRC_EQ_I, FORWARD, x == y, SETUPI)
#define STEP_BRC_GE_U_I STEP_BRANCH(BRC_GE_U_I, FORWARD, x >= y, SETUPI)
#define STEP_BRC_GT_U_I STEP_BRANCH(BRC_GT_U_I, FORWARD, x > y, SETUPI)
#define STEP_BRC_NE_I_L STEP_BRANCH(BRC_NE_I_L, LOOP_BACK, x != y, SETUPI)
/* a load-and-branch as a step: not taken, it falls through like the
 * branches above (a second or a triple's middle step); taken, pc is on its
 * branch cell as in STEP_LOAD_BRANCH */
#define STEP_LOAD_BRANCH_J(name, T, cond, TAKEN)                     \
    {                                                                \
        LOAD_TESTED(T)                                               \
        if (cond) {                                                  \
            pc += WB_CELLS_X_##name - 1;                             \
            TAKEN(pc);                                               \
        }                                                            \
    }
#define STEP_I32_LOAD_BR_Z STEP_LOAD_BRANCH_J(I32_LOAD_BR_Z, uint32_t, !x, FORWARD)
#define STEP_I32_LOAD8_U_BR_Z STEP_LOAD_BRANCH_J(I32_LOAD8_U_BR_Z, uint8_t, !x, FORWARD)
#define STEP_I32_LOAD_BR_NZ_L STEP_LOAD_BRANCH_J(I32_LOAD_BR_NZ_L, uint32_t, x, LOOP_BACK)
/* these branch either way: last steps only */
#define STEP_I32_LOAD16_S_BRC_LT_S_L                                 \
    {                                                                \
        EA_A(fp[O0])                                                 \
        int16_t v;                                                   \
        memcpy(&v, mem_base + end - sizeof v, sizeof v);             \
        uint32_t x = (uint32_t)(int32_t)v, y = (uint32_t)fp[O1];     \
        pc += WB_CELLS_X_I32_LOAD16_S_BRC_LT_S_L - 1;                \
        if ((int32_t)x < (int32_t)y)                                 \
            LOOP_BACK(pc);                                           \
        DISPATCH(1);                                                 \
    }
#define STEP_BR_TAB_F                                                \
    {                                                                \
        BR_TABLE_ENTRY();                                            \
        TO_FUEL(e);                                                  \
    }
/* the steps of opfamilies.h WB_JOINS3_KERNELS */
#define STEP_MOV2                                                    \
    {                                                                \
        fp[O1] = fp[O0]; /* in order, as X_MOV2 */                   \
        fp[O3] = fp[O2];                                             \
    }
#define STEP_LOAD_X(T, conv)                                         \
    {                                                                \
        EA_X(fp[O0])                                                 \
        T v;                                                         \
        memcpy(&v, mem_base + end - sizeof v, sizeof v);             \
        fp[O1] = (conv);                                             \
    }
#define STEP_I32_LOAD_X STEP_LOAD_X(uint32_t, v)
#define STEP_I32_LOAD8_U_X STEP_LOAD_X(uint8_t, v)
#define STEP_I32_STORE8_X                                            \
    {                                                                \
        EA_X(fp[O0])                                                 \
        uint8_t v = (uint8_t)fp[O1];                                 \
        memcpy(mem_base + end - sizeof v, &v, sizeof v);             \
    }
#define STEP_BRC_NE_I STEP_BRANCH(BRC_NE_I, FORWARD, x != y, SETUPI)
#define STEP_BRC_LT_U_I_L STEP_BRANCH(BRC_LT_U_I_L, LOOP_BACK, x < y, SETUPI)
#define STEP_I32_LOAD_A                                              \
    {                                                                \
        EA_A(fp[O0])                                                 \
        uint32_t v;                                                  \
        memcpy(&v, mem_base + end - sizeof v, sizeof v);             \
        fp[O1] = v;                                                  \
    }
#define STEP_I32_AND STEP_BIN32(a & b)
#define STEP_AND_ADD STEP_BIN3((a & b) + c)
#define STEP_XOR_ADD STEP_BIN3((a ^ b) + c)
/* the steps of opfamilies.h WB_JOINS3_ROT (the expressions of
 * WB_ROT_CHAINS) */
#define STEP_ROT_CHAIN3(expr)                                        \
    {                                                                \
        uint32_t a = (uint32_t)fp[O0], k1 = O1, k2 = O2, k3 = O3;    \
        fp[pc[3].p.a] = (uint32_t)(expr);                            \
    }
#define STEP_ROTL3_XOR STEP_ROT_CHAIN3(wb_rotl32(a, k1) ^ wb_rotl32(a, k2) ^ wb_rotl32(a, k3))
#define STEP_ROTL2_SHR_U_XOR STEP_ROT_CHAIN3(wb_rotl32(a, k1) ^ wb_rotl32(a, k2) ^ (a >> (k3 & 31)))
#define STEP_ADD3 STEP_BIN3(a + b + c)
#define JOINED(first, second)                                        \
    X_J_##first##_##second : {                                       \
        STEP_##first;                                                \
        pc += WB_JCELLS_##first;                                     \
        STEP_##second;                                               \
        DISPATCH(WB_JCELLS_##second); /* a branch dispatched itself */ \
    }
#define wb_f64_add(x, y) (f64_plain_ ? (x) + (y) : wb_f64_add(x, y))
#define wb_f64_sub(x, y) (f64_plain_ ? (x) - (y) : wb_f64_sub(x, y))
#define wb_f64_mul(x, y) (f64_plain_ ? (x) * (y) : wb_f64_mul(x, y))
#define wb_f64_div(x, y) (f64_plain_ ? (x) / (y) : wb_f64_div(x, y))
    WB_JOINS(JOINED)
#undef wb_f64_add
#undef wb_f64_sub
#undef wb_f64_mul
#undef wb_f64_div
    /* joined triples (opfamilies.h WB_JOINS3): the same with a third step */
#define JOINED3(first, second, third)                                \
    X_J3_##first##_##second##_##third : {                            \
        STEP_##first;                                                \
        pc += WB_JCELLS_##first;                                     \
        STEP_##second;                                               \
        pc += WB_JCELLS_##second;                                    \
        STEP_##third;                                                \
        DISPATCH(WB_JCELLS_##third); /* a branch dispatched itself */ \
    }
#define wb_f64_add(x, y) (f64_plain_ ? (x) + (y) : wb_f64_add(x, y))
#define wb_f64_mul(x, y) (f64_plain_ ? (x) * (y) : wb_f64_mul(x, y))
    WB_JOINS3(JOINED3)
#undef wb_f64_add
#undef wb_f64_mul

    /* rotate chains (opfamilies.h WB_ROT_CHAINS): [a k1][k2 dst] or
     * [a k1][k2 k3][dst _]; the operand read once, one slot written */
#define ROT_CHAIN(name, layout, expr)                                     \
    X_##name: {                                                           \
        uint32_t a = (uint32_t)fp[O0], k1 = O1, k2 = O2;                  \
        uint32_t k3 = WB_CELLS_X_##name == 3 ? 0 : O3;                    \
        (void)k3;                                                         \
        fp[WB_CELLS_X_##name == 3 ? O3 : pc[3].p.a] = (uint32_t)(expr);   \
        NEXT_X(name);                                                     \
    }
    WB_ROT_CHAINS(ROT_CHAIN)

    UN32(I32_CLZ, a ? (uint32_t)__builtin_clz(a) : 32u)
    UN32(I32_CTZ, a ? (uint32_t)__builtin_ctz(a) : 32u)
    UN32(I32_POPCNT, (uint32_t)__builtin_popcount(a))
L_I32_DIV_S: {
    uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    if (UNLIKELY(a == 0x80000000u && b == 0xFFFFFFFFu))
        TRAP(WB_TRAP_INT_OVERFLOW);
    fp[O2] = (uint32_t)((int32_t)a / (int32_t)b);
    NEXT_OP(I32_DIV_S);
}
L_I32_DIV_U: {
    uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    fp[O2] = a / b;
    NEXT_OP(I32_DIV_U);
}
L_I32_REM_S: {
    uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    fp[O2] = b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
    NEXT_OP(I32_REM_S);
}
L_I32_REM_U: {
    uint32_t a = (uint32_t)fp[O0], b = (uint32_t)fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    fp[O2] = a % b;
    NEXT_OP(I32_REM_U);
}
    UN64(I64_CLZ, a ? (uint64_t)__builtin_clzll(a) : 64u)
    UN64(I64_CTZ, a ? (uint64_t)__builtin_ctzll(a) : 64u)
    UN64(I64_POPCNT, (uint64_t)__builtin_popcountll(a))
    BIN64(I64_ADD, a + b)
    BIN64(I64_SUB, a - b)
    BIN64(I64_MUL, a * b)
    BIN64(I64_AND, a & b)
    BIN64(I64_OR, a | b)
    BIN64(I64_XOR, a ^ b)
    BIN64(I64_SHL, a << (b & 63))
    BIN64(I64_SHR_S, (uint64_t)((int64_t)a >> (b & 63)))
    BIN64(I64_SHR_U, a >> (b & 63))
    BIN64(I64_ROTL, wb_rotl64(a, b))
    BIN64(I64_ROTR, wb_rotr64(a, b))
L_I64_DIV_S: {
    uint64_t a = fp[O0], b = fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    if (UNLIKELY(a == 0x8000000000000000ull && b == UINT64_MAX))
        TRAP(WB_TRAP_INT_OVERFLOW);
    fp[O2] = (uint64_t)((int64_t)a / (int64_t)b);
    NEXT_OP(I64_DIV_S);
}
L_I64_DIV_U: {
    uint64_t a = fp[O0], b = fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    fp[O2] = a / b;
    NEXT_OP(I64_DIV_U);
}
L_I64_REM_S: {
    uint64_t a = fp[O0], b = fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    fp[O2] = b == UINT64_MAX ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
    NEXT_OP(I64_REM_S);
}
L_I64_REM_U: {
    uint64_t a = fp[O0], b = fp[O1];
    if (UNLIKELY(b == 0))
        TRAP(WB_TRAP_DIV_ZERO);
    fp[O2] = a % b;
    NEXT_OP(I64_REM_U);
}

    /* ---- floats ---- */
#define FBIN32(id, expr)                                             \
    L_##id: {                                                        \
        float a = wb_f32(fp[O0]), b = wb_f32(fp[O1]);                \
        fp[O2] = wb_from_f32(expr);                                  \
        NEXT_OP(id);                                                 \
    }
#define FBIN64(id, expr)                                             \
    L_##id: {                                                        \
        double a = wb_f64(fp[O0]), b = wb_f64(fp[O1]);               \
        fp[O2] = wb_from_f64(expr);                                  \
        NEXT_OP(id);                                                 \
    }
#define FCMP32(id, expr)                                             \
    L_##id: {                                                        \
        float a = wb_f32(fp[O0]), b = wb_f32(fp[O1]);                \
        fp[O2] = (expr) ? 1 : 0;                                     \
        NEXT_OP(id);                                                 \
    }
#define FCMP64(id, expr)                                             \
    L_##id: {                                                        \
        double a = wb_f64(fp[O0]), b = wb_f64(fp[O1]);               \
        fp[O2] = (expr) ? 1 : 0;                                     \
        NEXT_OP(id);                                                 \
    }
#define FUN32(id, expr)                                              \
    L_##id: {                                                        \
        float a = wb_f32(fp[O0]);                                    \
        fp[O1] = wb_from_f32(expr);                                  \
        NEXT_OP(id);                                                 \
    }
#define FUN64(id, expr)                                              \
    L_##id: {                                                        \
        double a = wb_f64(fp[O0]);                                   \
        fp[O1] = wb_from_f64(expr);                                  \
        NEXT_OP(id);                                                 \
    }
    FCMP32(F32_EQ, a == b)
    FCMP32(F32_NE, a != b)
    FCMP32(F32_LT, a < b)
    FCMP32(F32_GT, a > b)
    FCMP32(F32_LE, a <= b)
    FCMP32(F32_GE, a >= b)
    FCMP64(F64_EQ, a == b)
    FCMP64(F64_NE, a != b)
    FCMP64(F64_LT, a < b)
    FCMP64(F64_GT, a > b)
    FCMP64(F64_LE, a <= b)
    FCMP64(F64_GE, a >= b)

    /* abs, neg, copysign are bit operations: NaN payloads pass through */
    UN32(F32_ABS, a & 0x7FFFFFFFu)
    UN32(F32_NEG, a ^ 0x80000000u)
    BIN32(F32_COPYSIGN, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
    UN64(F64_ABS, a & 0x7FFFFFFFFFFFFFFFull)
    UN64(F64_NEG, a ^ 0x8000000000000000ull)
    BIN64(F64_COPYSIGN, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

    /* libm may return a signalling NaN unchanged; the spec wants it quieted */
    FUN32(F32_CEIL, a != a ? a + a : ceilf(a))
    FUN32(F32_FLOOR, a != a ? a + a : floorf(a))
    FUN32(F32_TRUNC, a != a ? a + a : truncf(a))
    FUN32(F32_NEAREST, a != a ? a + a : wb_nearestf(a))
    FUN32(F32_SQRT, sqrtf(a))
    FBIN32(F32_ADD, wb_f32_add(a, b))
    FBIN32(F32_SUB, wb_f32_sub(a, b))
    FBIN32(F32_MUL, wb_f32_mul(a, b))
    FBIN32(F32_DIV, wb_f32_div(a, b))
    FBIN32(F32_MIN, wb_f32_min(a, b))
    FBIN32(F32_MAX, wb_f32_max(a, b))
    FUN64(F64_CEIL, a != a ? a + a : ceil(a))
    FUN64(F64_FLOOR, a != a ? a + a : floor(a))
    FUN64(F64_TRUNC, a != a ? a + a : trunc(a))
    FUN64(F64_NEAREST, a != a ? a + a : wb_nearest(a))
    FUN64(F64_SQRT, sqrt(a))
#define FBIN64F(id, expr)                                            \
    L_##id:                                                          \
        F64_RESULT(O2, double a = wb_f64(fp[O0]); double b = wb_f64(fp[O1]);, expr) \
        NEXT_OP(id);
#define wb_f64_add(x, y) (f64_plain_ ? (x) + (y) : wb_f64_add(x, y))
#define wb_f64_sub(x, y) (f64_plain_ ? (x) - (y) : wb_f64_sub(x, y))
#define wb_f64_mul(x, y) (f64_plain_ ? (x) * (y) : wb_f64_mul(x, y))
#define wb_f64_div(x, y) (f64_plain_ ? (x) / (y) : wb_f64_div(x, y))
    FBIN64F(F64_ADD, wb_f64_add(a, b))
    FBIN64F(F64_SUB, wb_f64_sub(a, b))
    FBIN64F(F64_MUL, wb_f64_mul(a, b))
    FBIN64F(F64_DIV, wb_f64_div(a, b))
#undef wb_f64_add
#undef wb_f64_sub
#undef wb_f64_mul
#undef wb_f64_div
    FBIN64(F64_MIN, wb_f64_min(a, b))
    FBIN64(F64_MAX, wb_f64_max(a, b))

    /* ---- conversions ---- */
    UN64(I32_WRAP_I64, (uint32_t)a)
#define TRUNC(id, get, fits, result)                                 \
    L_##id: {                                                        \
        double x = (double)get(fp[O0]);                              \
        if (UNLIKELY(x != x))                                        \
            TRAP(WB_TRAP_INVALID_CONVERSION);                        \
        if (UNLIKELY(!fits(x)))                                      \
            TRAP(WB_TRAP_INT_OVERFLOW);                              \
        fp[O1] = (result);                                           \
        NEXT_OP(id);                                                 \
    }
    TRUNC(I32_TRUNC_F32_S, wb_f32, wb_fits_s32, (uint32_t)(int32_t)x)
    TRUNC(I32_TRUNC_F32_U, wb_f32, wb_fits_u32, (uint32_t)x)
    TRUNC(I32_TRUNC_F64_S, wb_f64, wb_fits_s32, (uint32_t)(int32_t)x)
    TRUNC(I32_TRUNC_F64_U, wb_f64, wb_fits_u32, (uint32_t)x)
    TRUNC(I64_TRUNC_F32_S, wb_f32, wb_fits_s64, (uint64_t)(int64_t)x)
    TRUNC(I64_TRUNC_F32_U, wb_f32, wb_fits_u64, (uint64_t)x)
    TRUNC(I64_TRUNC_F64_S, wb_f64, wb_fits_s64, (uint64_t)(int64_t)x)
    TRUNC(I64_TRUNC_F64_U, wb_f64, wb_fits_u64, (uint64_t)x)
#define SAT(id, get, fn)                                             \
    L_##id:                                                          \
        fp[O1] = fn((double)get(fp[O0]));                            \
        NEXT_OP(id);
    SAT(I32_TRUNC_SAT_F32_S, wb_f32, wb_sat_s32)
    SAT(I32_TRUNC_SAT_F32_U, wb_f32, wb_sat_u32)
    SAT(I32_TRUNC_SAT_F64_S, wb_f64, wb_sat_s32)
    SAT(I32_TRUNC_SAT_F64_U, wb_f64, wb_sat_u32)
    SAT(I64_TRUNC_SAT_F32_S, wb_f32, wb_sat_s64)
    SAT(I64_TRUNC_SAT_F32_U, wb_f32, wb_sat_u64)
    SAT(I64_TRUNC_SAT_F64_S, wb_f64, wb_sat_s64)
    SAT(I64_TRUNC_SAT_F64_U, wb_f64, wb_sat_u64)
    UN64(I64_EXTEND_I32_S, (uint64_t)(int64_t)(int32_t)(uint32_t)a)
    UN64(I64_EXTEND_I32_U, (uint32_t)a)
    UN32(F32_CONVERT_I32_S, wb_from_f32((float)(int32_t)a))
    UN32(F32_CONVERT_I32_U, wb_from_f32((float)a))
    UN64(F32_CONVERT_I64_S, wb_from_f32((float)(int64_t)a))
    UN64(F32_CONVERT_I64_U, wb_from_f32((float)a))
    UN64(F64_CONVERT_I32_S, wb_from_f64((double)(int32_t)(uint32_t)a))
    UN64(F64_CONVERT_I32_U, wb_from_f64((double)(uint32_t)a))
    UN64(F64_CONVERT_I64_S, wb_from_f64((double)(int64_t)a))
    UN64(F64_CONVERT_I64_U, wb_from_f64((double)a))
    UN64(F32_DEMOTE_F64, wb_from_f32((float)wb_f64(a)))
    UN64(F64_PROMOTE_F32, wb_from_f64((double)wb_f32(a)))
    UN64(I32_REINTERPRET_F32, (uint32_t)a)
    UN64(F32_REINTERPRET_I32, (uint32_t)a)
    UN64(I64_REINTERPRET_F64, a)
    UN64(F64_REINTERPRET_I64, a)
    UN32(I32_EXTEND8_S, (uint32_t)(int32_t)(int8_t)(uint8_t)a)
    UN32(I32_EXTEND16_S, (uint32_t)(int32_t)(int16_t)(uint16_t)a)
    UN64(I64_EXTEND8_S, (uint64_t)(int64_t)(int8_t)(uint8_t)a)
    UN64(I64_EXTEND16_S, (uint64_t)(int64_t)(int16_t)(uint16_t)a)
    UN64(I64_EXTEND32_S, (uint64_t)(int64_t)(int32_t)(uint32_t)a)

L_UNREACHABLE:
    TRAP(WB_TRAP_UNREACHABLE);

    /* ---- exceptions (vm/README.md "Exception handling"): a throw makes
     * or takes an exception and unwinds to its handler (interp_exc.c);
     * nothing else in the interpreter knows about handlers ---- */
X_THROW:
    exn = wb_exn_new(s, inst->tags[O0], fp + O1);
    if (UNLIKELY(!exn)) {
        wb_store_set_trap(s, WB_TRAP_HOST, "out of memory for an exception (the store's memory limit)");
        status = WB_TRAP_HOST;
        goto failed;
    }
    goto throw_exn;
X_THROW_REF:
    exn = (wb_exn *)(uintptr_t)fp[O0];
    if (LIKELY(exn != NULL))
        goto throw_exn;
    /* one status for every null where a reference is needed, the spec's
     * text naming which (as call_ref's) */
    wb_store_set_trap(s, WB_TRAP_NULL_REFERENCE, "null exception reference");
    status = WB_TRAP_NULL_REFERENCE;
    goto failed;
X_RETHROW:
    exn = (wb_exn *)(uintptr_t)fp[O0]; /* a catch wrote it: never null */
    goto throw_exn;
throw_exn: {
    struct wb_unwind u = {pc, fp, inst, depth, NULL};
    if (wb_exc_unwind(s, exn, &u, &exit_cells[WB_CALL_CELLS])) {
        pc = u.pc;
        fp = u.fp;
        lr_pc = (const wb_cell *)(uintptr_t)u.rec[0];
        lr_fp = (uint64_t *)(uintptr_t)u.rec[1];
        inst = u.inst;
        depth = u.depth;
        RELOAD_MEM();
        NEXT();
    }
    wb_store_set_exception(s, exn);
    status = WB_EXCEPTION;
    goto failed;
}

    /* Wasm instructions the translator never emits as such (control flow
     * becomes X_* cells; nop, drop, local.get and constants disappear into
     * operand slots). Reaching one is a translator bug: stop the run rather
     * than continue in an unknown state. */
L_NOP:
L_BLOCK:
L_LOOP:
L_IF:
L_ELSE:
L_END:
L_BR:
L_BR_IF:
L_BR_TABLE:
L_RETURN:
L_CALL:
L_CALL_INDIRECT:
L_RETURN_CALL:
L_RETURN_CALL_INDIRECT:
L_CALL_REF:
L_RETURN_CALL_REF:
L_BR_ON_NULL:
L_BR_ON_NON_NULL:
L_DROP:
L_SELECT:
L_SELECT_T:
L_LOCAL_GET:
L_LOCAL_SET:
L_LOCAL_TEE:
L_I32_CONST:
L_I64_CONST:
L_F32_CONST:
L_F64_CONST:
L_REF_NULL:
L_TRY:
L_CATCH:
L_CATCH_ALL:
L_DELEGATE:
L_THROW:
L_THROW_REF:
L_RETHROW:
L_TRY_TABLE:
    TRAP(WB_TRAP_UNREACHABLE);

    /* the bounds traps of the loads and stores (EA, EA_A, EA_X) set their
     * status here, in a volatile asm GCC cannot move: with a plain
     * assignment (TRAP's in each access, or here) GCC set status before
     * every bounds check, since the fast path does not read it: one
     * instruction per access */
trap_oob:
    status = WB_TRAP_MEMORY_OOB;
    __asm__ volatile("" : "+r"(status));
trap:
    wb_store_set_trap(s, status, NULL);
failed:
    if (status != WB_EXIT)
        wb_trap_frames_add(s, pc, fp);
    __atomic_store_n(&s->fuel_left, FUEL_TOTAL(), __ATOMIC_RELAXED);
    s->stack_top = saved_top;
    s->depth = saved_depth;
    return status;

done:
#ifdef WB_PAIR_PROFILE
    wb_prof_report();
#endif
    __atomic_store_n(&s->fuel_left, FUEL_TOTAL(), __ATOMIC_RELAXED);
    s->stack_top = saved_top;
    s->depth = saved_depth;
    return WB_OK;
}

const void *const *wb_interp_handlers(void)
{
    const void *const *table = NULL;
    (void)run(NULL, NULL, NULL, &table);
    return table;
}

static bool ensure_stack(wb_store *s)
{
    if (s->stack)
        return true;
    size_t n = s->limits.max_stack / sizeof(uint64_t);
    if (n == 0)
        return false;
    /* never room for WB_FRAME_UNTRANSLATED slots, so that the call entry's
     * stack test also catches untranslated callees (a 32 GiB cap) */
    if (n >= WB_FRAME_UNTRANSLATED)
        n = WB_FRAME_UNTRANSLATED - 1;
    s->stack = malloc(n * sizeof(uint64_t));
    if (!s->stack)
        return false;
    s->stack_slots = n;
    s->stack_top = s->stack;
    return true;
}

wb_status wb_interp_invoke(wb_store *s, wb_func *f, uint64_t *slots)
{
    if (!f->instance)
        return wb_call_host(s, f, NULL, slots);
    if (!ensure_stack(s)) {
        wb_store_set_trap(s, WB_TRAP_STACK_EXHAUSTED, NULL);
        return WB_TRAP_STACK_EXHAUSTED;
    }
    if (!s->stack_top)
        s->stack_top = s->stack;
    wb_error err;
    if (!wb_code_ensure(f->instance->module, f->code, &err)) {
        wb_store_set_trap(s, WB_TRAP_HOST, err.message);
        return WB_TRAP_HOST;
    }
    const struct wb_compiled *c = f->code;
    uint64_t *base = s->stack_top;
    size_t room = (size_t)(s->stack + s->stack_slots - base);
    size_t need = c->nparams > c->nresults ? c->nparams : c->nresults;
    if (room < need || room < c->frame_slots) {
        wb_store_set_trap(s, WB_TRAP_STACK_EXHAUSTED, NULL);
        return WB_TRAP_STACK_EXHAUSTED;
    }
    memcpy(base, slots, (size_t)c->nparams * sizeof *base);
    wb_status st = run(s, f, base, NULL);
    if (st == WB_OK)
        memcpy(slots, base, (size_t)c->nresults * sizeof *base);
    return st;
}
