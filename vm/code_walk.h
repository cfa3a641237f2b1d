/* Reading translated code back (code_walk.c), for the disassembler and the
 * verifier. Internal to vm/. */
#ifndef WASMBOX_VM_CODE_WALK_H
#define WASMBOX_VM_CODE_WALK_H

#include "compiled.h"

typedef struct wb_handler_op {
    const void *h;
    unsigned op;
} wb_handler_op;

/* Handler addresses sorted, to find an instruction from its first cell;
 * and for each op the op wb_code_decode names for its handler (several
 * never-emitted ops share one), so a caller that knows the op skips the
 * search. */
typedef struct wb_code_walker {
    wb_handler_op by_h[WB_NUM_HANDLERS];
    unsigned canon[WB_NUM_HANDLERS];
} wb_code_walker;

typedef struct wb_code_instr {
    unsigned op;              /* WB_OP_* or WB_XOP_* */
    const char *name;         /* "i32.add", "BRC_LT_S" */
    const char *synopsis;
    const char *layout;       /* xops.def notation: "rr w_" (a table made once) */
    size_t cells;             /* handler included; br_table's entries too */
} wb_code_instr;

/* Also makes, once a process, every op's layout (code_walk.c). */
void wb_code_walker_init(wb_code_walker *w);
/* The instruction starting at code[at]; false when that cell holds no known
 * handler, or the instruction would run past ncells. */
bool wb_code_decode(const wb_code_walker *w, const wb_cell *code, size_t ncells, size_t at,
                    wb_code_instr *out);
/* The same when the caller knows code[at] holds op's handler (it set the
 * cell from op, or an earlier wb_code_decode of that cell named op): no
 * search of the handler table. op must be below WB_NUM_HANDLERS. */
bool wb_code_decode_op(const wb_code_walker *w, unsigned op, const wb_cell *code, size_t ncells,
                       size_t at, wb_code_instr *out);

#endif
