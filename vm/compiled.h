/* The internal code format shared by translate.c (writer) and interp.c
 * (reader). Internal to vm/; see vm/README.md "Execution design".
 *
 * A function's code is an array of 8-byte cells. An instruction is one cell
 * holding its handler's address (direct threading: the interpreter does
 * `goto *pc->h`), followed by its immediates, already decoded. Branch targets
 * are signed cell offsets relative to the cell that holds them, so code needs
 * no base register and no relocation.
 */
#ifndef WASMBOX_VM_COMPILED_H
#define WASMBOX_VM_COMPILED_H

#include "opcodes.h"

#include <stddef.h>
#include <stdint.h>

typedef union wb_cell {
    const void *h;           /* handler address (opcode cell) */
    uint64_t u;              /* constant, offset, count, pointer bits */
    struct {
        uint32_t a, b;       /* a: relative branch target (int32) or index; b: arity/height */
    } p;
    const void *ptr;
} wb_cell;

_Static_assert(sizeof(wb_cell) == 8, "code cells are 8 bytes");

/* Instructions that exist only in translated code. Wasm instructions that map
 * one-to-one keep their WB_OP_* number; these follow them. */
#define WB_XOPS(X)                                                               \
    X(FUEL)        /* [cost]: charge a straight-line stretch */                  \
    X(FUEL_POLL)   /* [cost]: same, and poll the interrupt flag */               \
    X(JMP)         /* [a=rel]: branch, stack already in place */                 \
    X(BR_ADJ)      /* [a=rel b=arity][dst]: move arity slots to fp+dst, branch */ \
    X(BR_IF_JMP)   /* [a=rel]: pop; branch when non-zero */                      \
    X(BR_IF_ADJ)   /* [a=rel b=arity][dst]: pop; when non-zero as BR_ADJ */       \
    X(IF_FALSE)    /* [a=rel]: pop; branch when zero */                          \
    X(BR_TAB)      /* [a=n b=arity][n+1 x (a=rel b=dst)]: pop index, branch */   \
    X(RET)         /* [nresults]: results to fp[0..), return to the caller */    \
    X(CALL_DEF)    /* [compiled*]: call a function defined in this instance */   \
    X(CALL_ANY)    /* [funcidx]: call through inst->funcs (imports) */           \
    X(CALL_IND)    /* [a=table b=type_id]: call_indirect */                      \
    X(DROP1)       /* drop */                                                    \
    X(SEL)         /* select (typed or not) */

enum {
    WB_XOP_BASE = WB_OP_COUNT - 1,
#define WB_XOP_ENUM(name) WB_XOP_##name,
    WB_XOPS(WB_XOP_ENUM)
#undef WB_XOP_ENUM
    WB_XOP_END
};
#define WB_NUM_HANDLERS (WB_XOP_END)

struct wb_compiled {
    wb_cell *code;
    size_t ncells;
    uint32_t nparams, nresults;
    uint32_t nlocals;        /* declared locals, zeroed at entry */
    uint32_t frame_slots;    /* params + locals + maximum operand height */
};

/* The interpreter's handler addresses, indexed by WB_OP_* / WB_XOP_*. */
const void *const *wb_interp_handlers(void);

#endif
