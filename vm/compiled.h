/* The internal code format shared by translate.c (writer) and interp.c
 * (reader). Internal to vm/; see vm/README.md "Execution design".
 *
 * A function's code is an array of 8-byte cells. An instruction is one cell
 * holding its handler's address (direct threading: the interpreter does
 * `goto *pc->h`), followed by its operands and immediates, already decoded.
 * A frame is [params][locals][constants][record][operand slots]. Branch targets
 * are signed cell offsets relative to the cell that holds them, so code needs
 * no base register and no relocation.
 */
#ifndef WASMBOX_VM_COMPILED_H
#define WASMBOX_VM_COMPILED_H

#include "opcodes.h"
#include "opfamilies.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef union wb_cell {
    const void *h;           /* handler address (opcode cell) */
    uint64_t u;              /* constant, offset, count, pointer bits */
    struct {
        uint32_t a, b;       /* a: relative branch target (int32) or index; b: arity/height */
    } p;
    const void *ptr;
} wb_cell;

_Static_assert(sizeof(wb_cell) == 8, "code cells are 8 bytes");

/* Operands are slot offsets from fp (u32): every value lives at a place
 * known at translation time (a local, the function's constant area, or the
 * operand slot of its stack height). An instruction's operand offsets follow
 * its handler cell, packed two per cell (inputs in order, then the result),
 * then its immediates. E.g. i32.add: [h][a b][dst], i32.load: [h][addr dst]
 * [offset], i32.store: [h][addr value][offset]. Wasm instructions kept as
 * they are have that layout, from their signature and immediate kind
 * (opcodes.def); the translator-only ones (xops.def) state theirs. */
enum {
    WB_XOP_BASE = WB_OP_COUNT - 1,
#define XOP(id, layout, synopsis) WB_XOP_##id,
#include "xops.def"
#undef XOP
    WB_XOP_END
};
#define WB_NUM_HANDLERS (WB_XOP_END)

/* Cells of each instruction, handler included: WB_CELLS_<id> for the wasm
 * ones, WB_CELLS_X_<id> for the translator's. The interpreter advances pc by
 * these and nothing else. A wasm instruction's operands are its signature's
 * letters ("ii:i" = 3 slots, two a cell), then its immediate's cells; a
 * layout string has three characters a cell ("rr tc"). */
#define WB_SIG_CELLS(sig) ((sizeof(sig) - 2 + 1) / 2)
#define WB_LAYOUT_CELLS(layout) (1 + sizeof(layout) / 3)
enum {
#define OP(id, name, code, imm, sig, align, synopsis) \
    WB_CELLS_##id = 1 + WB_SIG_CELLS(sig) + WB_IMM_CELLS_##imm,
#include "opcodes.def"
#undef OP
#define XOP(id, layout, synopsis) WB_CELLS_X_##id = WB_LAYOUT_CELLS(layout),
#include "xops.def"
#undef XOP
};

/* Every call instruction has the same size: a return address is the cell
 * after the call, and the call is that many cells before it. */
#define WB_CALL_CELLS 3
_Static_assert(WB_CELLS_X_CALL_DEF == WB_CALL_CELLS && WB_CELLS_X_CALL_ANY == WB_CALL_CELLS &&
                   WB_CELLS_X_CALL_IND == WB_CALL_CELLS && WB_CELLS_X_CALL_REF == WB_CALL_CELLS,
               "call instructions are WB_CALL_CELLS cells");
/* A branch's loop form has its base's layout. */
#define XOP(id, layout, synopsis)
#define XOP_LOOP(base, layout)                                                 \
    _Static_assert(WB_CELLS_X_##base == WB_LAYOUT_CELLS(layout), "loop form of " #base);
#include "xops.def"
#undef XOP

/* A joined pair's handler is its first step's cells (opfamilies.h
 * WB_JOINS): the layout written for it must agree with the step's op. */
#define WB_JOIN_ASSERT(first, second)                                          \
    _Static_assert(WB_CELLS_X_J_##first##_##second == WB_JCELLS_##first &&      \
                       WB_LAYOUT_CELLS(WB_JLAY_##second) == WB_JCELLS_##second, \
                   "joined pair " #first " " #second);
WB_JOINS(WB_JOIN_ASSERT)
#undef WB_JOIN_ASSERT
#define WB_JOIN3_ASSERT(first, second, third)                                         \
    _Static_assert(WB_CELLS_X_J3_##first##_##second##_##third == WB_JCELLS_##first &&   \
                       WB_LAYOUT_CELLS(WB_JLAY_##second) == WB_JCELLS_##second &&        \
                       WB_LAYOUT_CELLS(WB_JLAY_##third) == WB_JCELLS_##third,            \
                   "joined triple " #first " " #second " " #third);
WB_JOINS3(WB_JOIN3_ASSERT)
#undef WB_JOIN3_ASSERT

/* Fuel for work that is not O(1): one unit per this many bytes touched, on
 * top of the instruction's own unit. Bulk memory and table instructions
 * (memory.copy/fill/init, table.copy/fill/init: n bytes, n * 8 for table
 * elements), memory.grow and table.grow (the bytes the new pages or elements
 * take), and a call's frame set-up (declared locals zeroed and constants
 * copied, 8 bytes each: the callee's entry stretch costs that much more).
 * Charged before the work, so fuel bounds the work done. */
#define WB_FUEL_BULK_BYTES 64u

/* Every fuel charge the code holds (a chain's cost, what a taken branch
 * charges or refunds) is below this in size, so the interpreter's 32-bit
 * counter, whose sign is its test, never wraps (verify.c checks it). A
 * chain's cost is at most its function's instructions (a body is at most
 * WB_MAX_BODY_BYTES) plus its frame set-up, far below it. */
#define WB_FUEL_CHARGE_LIMIT (1u << 30)

/* Slots of the frame record, after the constants: where the caller
 * continues (its pc, fp, instance) and the caller's own return pc and fp
 * (interp.c keeps the current frame's pair in registers, the link
 * registers, and saves the caller's here). wasm->wasm calls keep no other
 * state. */
#define WB_FRAME_RECORD 5

/* A function's exception handlers (vm/README.md "Exception handling"),
 * built by the translator, read only when something is thrown. A region
 * is the cells of one try_table's or legacy try's body; regions nest as
 * the blocks do and are listed in the order they open, so the last one
 * holding a cell is the innermost. */
#define WB_EXC_NONE UINT32_MAX
typedef struct wb_exc_catch {
    uint32_t region;         /* whose clause it is (clauses are listed in order) */
    uint8_t kind;            /* WB_CATCH .. WB_CATCH_ALL_REF (instr.h); legacy catch is
                              * WB_CATCH, catch_all WB_CATCH_ALL, with an exn slot */
    uint32_t tag;            /* module tag index (WB_CATCH, WB_CATCH_REF) */
    uint32_t target;         /* cell the handler continues at */
    uint32_t dst;            /* slot of the first value */
    uint32_t exn_slot;       /* where the exnref goes, or WB_EXC_NONE */
} wb_exc_catch;
typedef struct wb_exc_region {
    uint32_t start, end;     /* cells [start, end) */
    uint32_t parent;         /* the region around it, or WB_EXC_NONE */
    uint32_t delegate;       /* a legacy delegate: the region its exceptions go to
                              * (WB_EXC_NONE: the caller); else WB_EXC_NONE */
    bool is_delegate;
} wb_exc_region;
typedef struct wb_exc_table {
    wb_exc_region *regions;
    uint32_t nregions;
    wb_exc_catch *catches;
    uint32_t ncatches;
} wb_exc_table;

static inline void wb_exc_table_free(wb_exc_table *t)
{
    if (t) {
        free(t->regions);
        free(t->catches);
        free(t);
    }
}

struct wb_compiled {
    wb_cell *code;
    size_t ncells;
    uint32_t func_index;     /* in the module's function index space */
    size_t body_offset;      /* of the body's first instruction, in the module */
    uint8_t *map;            /* code map (code_map.c): cell -> wasm instruction offset */
    uint32_t map_len;        /* bytes */
    uint32_t nparams, nresults;
    uint32_t nlocals;        /* slots of the declared locals (a v128 takes two), zeroed at entry */
    /* params + locals + constants + record + maximum operand height, or
     * WB_FRAME_UNTRANSLATED until the function is translated (lazy.c): the
     * publication flag, written last with a release store, read with
     * acquire loads (wb_code_ready) wherever the function might not be
     * translated yet. The sentinel is larger than any value stack
     * (interp.c caps it below), so the call entry's stack test catches an
     * untranslated callee at no extra cost. */
    uint32_t frame_slots;
    uint32_t rec;            /* slot of the frame record (WB_FRAME_RECORD) */
    uint64_t *consts;        /* copied to fp[nparams + nlocals ..] at entry */
    uint32_t nconsts;
    uint32_t init_loop;      /* nlocals > 4 or nconsts > 0: frame set-up needs its loops */
    wb_exc_table *exc;       /* its handlers; NULL in a function without try */
};

#define WB_FRAME_UNTRANSLATED UINT32_MAX

/* Whether c's code may be read (its fields are all written). */
static inline bool wb_code_ready(const struct wb_compiled *c)
{
    return __atomic_load_n(&c->frame_slots, __ATOMIC_ACQUIRE) != WB_FRAME_UNTRANSLATED;
}

/* The code map (code_map.c): which wasm instruction each cell came from. */
typedef struct wb_code_map_builder {
    uint32_t *cell;          /* first cell of each entry */
    size_t *offset;          /* its instruction's offset in the module */
    size_t n, cap;
    bool failed;
} wb_code_map_builder;
void wb_code_map_reset(wb_code_map_builder *b);
/* Cells from `cell` on come from the instruction at `offset` (drops the
 * entries of cells at or after `cell`: code deleted by a fusion). */
void wb_code_map_note(wb_code_map_builder *b, uint32_t cell, size_t offset);
bool wb_code_map_finish(const wb_code_map_builder *b, size_t base, uint8_t **out, uint32_t *len);
void wb_code_map_free(wb_code_map_builder *b);
/* The offset of the wasm instruction that cell `cell` of c belongs to. */
size_t wb_code_map_offset(const struct wb_compiled *c, uint32_t cell);

/* The interpreter's handler addresses, indexed by WB_OP_* / WB_XOP_*. */
const void *const *wb_interp_handlers(void);

#endif
