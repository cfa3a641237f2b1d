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

#include <stdbool.h>
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

/* Operands are slot offsets from fp (u32): every value lives at a place
 * known at translation time (a local, the function's constant area, or the
 * operand slot of its stack height). An instruction's operand offsets follow
 * its handler cell, packed two per cell (inputs in order, then the result),
 * then its immediates. E.g. i32.add: [h][a b][dst], i32.load: [h][addr dst]
 * [offset], i32.store: [h][addr value][offset].
 *
 * Instructions that exist only in translated code follow the WB_OP_* numbers: */
#define WB_XOPS(X)                                                               \
    X(FUEL)        /* [cost]: charge a straight-line stretch */                  \
    X(FUEL_POLL)   /* [cost]: same, and poll the interrupt flag */               \
    X(JMP)         /* [a=rel] */                                                 \
    X(BR_ADJ)      /* [a=rel b=arity][src dst]: copy arity slots, branch */      \
    X(BR_NZ)       /* [cond][a=rel b=cost]: branch when cond != 0; else charge  \
                      b, the fall-through stretch (likewise below) */            \
    X(BR_Z)        /* [cond][a=rel b=cost]: branch when cond == 0 */             \
    X(BRC_EQ)      /* [x y][a=rel b=cost]: fused i32 compare and branch */       \
    X(BRC_NE)                                                                    \
    X(BRC_LT_S)                                                                  \
    X(BRC_LT_U)                                                                  \
    X(BRC_GT_S)                                                                  \
    X(BRC_GT_U)                                                                  \
    X(BRC_LE_S)                                                                  \
    X(BRC_LE_U)                                                                  \
    X(BRC_GE_S)                                                                  \
    X(BRC_GE_U)                                                                  \
    X(BR_TAB)      /* [idx n][src arity][n+1 x (a=rel b=dst)] */                 \
    X(RET)         /* [src nresults][rec]: results to fp[0..), return */         \
    X(RET1)        /* [src 1][rec]: the same for exactly one result */          \
    X(EXIT)        /* (the first frame's return address): end the run */        \
    X(CALL_DEF)    /* [compiled*][argbase]: a function of this module */         \
    X(CALL_ANY)    /* [funcidx][argbase]: through inst->funcs (imports) */       \
    X(CALL_IND)    /* [table type_id][idx argbase]: call_indirect */             \
    X(BRC_EQ_I)    /* [x imm][a=rel b=cost]: the same against a constant */     \
    X(BRC_NE_I)                                                                  \
    X(BRC_LT_S_I)                                                                \
    X(BRC_LT_U_I)                                                                \
    X(BRC_GT_S_I)                                                                \
    X(BRC_GT_U_I)                                                                \
    X(BRC_LE_S_I)                                                                \
    X(BRC_LE_U_I)                                                                \
    X(BRC_GE_S_I)                                                                \
    X(BRC_GE_U_I)                                                                \
    X(ADD_I)       /* [a imm][dst]: i32 op with a constant second operand */     \
    X(SUB_I)                                                                     \
    X(MUL_I)                                                                     \
    X(AND_I)                                                                     \
    X(OR_I)                                                                      \
    X(XOR_I)                                                                     \
    X(SHL_I)                                                                     \
    X(SHR_S_I)                                                                   \
    X(SHR_U_I)                                                                   \
    X(ROTL_I)                                                                    \
    X(ROTR_I)                                                                    \
    X(EQ_I)                                                                      \
    X(NE_I)                                                                      \
    X(LT_S_I)                                                                    \
    X(LT_U_I)                                                                    \
    X(GT_S_I)                                                                    \
    X(GT_U_I)                                                                    \
    X(LE_S_I)                                                                    \
    X(LE_U_I)                                                                    \
    X(GE_S_I)                                                                    \
    X(GE_U_I)                                                                    \
    X(BR64_NZ)     /* [cond][a=rel b=cost]: i64 condition (i64.eqz fused) */    \
    X(BR64_Z)                                                                    \
    X(BRC64_EQ)    /* [x y][a=rel b=cost]: fused i64 compare and branch */      \
    X(BRC64_NE)                                                                  \
    X(BRC64_LT_S)                                                                \
    X(BRC64_LT_U)                                                                \
    X(BRC64_GT_S)                                                                \
    X(BRC64_GT_U)                                                                \
    X(BRC64_LE_S)                                                                \
    X(BRC64_LE_U)                                                                \
    X(BRC64_GE_S)                                                                \
    X(BRC64_GE_U)                                                                \
    X(MADD)        /* [a b][c dst]: i32 a * b + c (a mul feeding an add) */     \
    X(ADD3)        /* [a b][c dst]: i32 a + b + c (an add feeding an add) */   \
    X(XOR3)        /* [a b][c dst]: i32 a ^ b ^ c */                             \
    X(ROTL_XOR)    /* [a k][c dst]: rotl(a, k) ^ c, k a constant */              \
    X(AND_ADD)     /* [a b][c dst]: (a & b) + c */                               \
    X(XOR_ADD)     /* [a b][c dst]: (a ^ b) + c */                               \
    X(F64_MADD)    /* [a b][c dst]: f64 a * b + c, two roundings (not an FMA) */ \
    X(F64_MSUB)    /* a * b - c */                                               \
    X(F64_RMSUB)   /* c - a * b */                                               \
    X(MOV)         /* [src dst] */                                               \
    X(MOVI)        /* [dst][value]: a constant into a slot */                    \
    X(SEL)         /* [a b][cond dst] */

/* Loads and stores whose address is `x + K` (an i32.add with a constant just
 * before them, as compilers emit for arrays): [h][x dst|value][offset K]. */
#define WB_MEMOPS(X)                                                              \
    X(I32_LOAD) X(I64_LOAD) X(F32_LOAD) X(F64_LOAD) X(I32_LOAD8_S) X(I32_LOAD8_U)  \
    X(I32_LOAD16_S) X(I32_LOAD16_U) X(I64_LOAD8_S) X(I64_LOAD8_U) X(I64_LOAD16_S)  \
    X(I64_LOAD16_U) X(I64_LOAD32_S) X(I64_LOAD32_U) X(I32_STORE) X(I64_STORE)      \
    X(F32_STORE) X(F64_STORE) X(I32_STORE8) X(I32_STORE16) X(I64_STORE8)          \
    X(I64_STORE16) X(I64_STORE32)

/* Their _X forms take the address x + y of two slots (an i32.add just
 * before them): [h][x dst|value][offset y]. */

/* Branches that may go back to a loop head: their _L form jumps to the
 * head's FUEL_POLL cell but does its work itself and continues after it. */
#define WB_LOOPOPS(X)                                                             \
    X(JMP) X(BR_NZ) X(BR_Z) X(BRC_EQ) X(BRC_NE) X(BRC_LT_S) X(BRC_LT_U) X(BRC_GT_S) \
    X(BRC_GT_U) X(BRC_LE_S) X(BRC_LE_U) X(BRC_GE_S) X(BRC_GE_U) X(BRC_EQ_I)        \
    X(BRC_NE_I) X(BRC_LT_S_I) X(BRC_LT_U_I) X(BRC_GT_S_I) X(BRC_GT_U_I)           \
    X(BRC_LE_S_I) X(BRC_LE_U_I) X(BRC_GE_S_I) X(BRC_GE_U_I) X(BR64_NZ) X(BR64_Z)    \
    X(BRC64_EQ) X(BRC64_NE) X(BRC64_LT_S) X(BRC64_LT_U) X(BRC64_GT_S) X(BRC64_GT_U) \
    X(BRC64_LE_S) X(BRC64_LE_U) X(BRC64_GE_S) X(BRC64_GE_U)

enum {
    WB_XOP_BASE = WB_OP_COUNT - 1,
#define WB_XOP_ENUM(name) WB_XOP_##name,
    WB_XOPS(WB_XOP_ENUM)
#undef WB_XOP_ENUM
#define WB_XOP_MEM_ENUM(name) WB_XOP_##name##_A,
    WB_MEMOPS(WB_XOP_MEM_ENUM)
#undef WB_XOP_MEM_ENUM
#define WB_XOP_MEMX_ENUM(name) WB_XOP_##name##_X,
    WB_MEMOPS(WB_XOP_MEMX_ENUM)
#undef WB_XOP_MEMX_ENUM
#define WB_XOP_LOOP_ENUM(name) WB_XOP_##name##_L,
    WB_LOOPOPS(WB_XOP_LOOP_ENUM)
#undef WB_XOP_LOOP_ENUM
    WB_XOP_END
};
#define WB_NUM_HANDLERS (WB_XOP_END)

/* Fuel for work that is not O(1): one unit per this many bytes touched, on
 * top of the instruction's own unit. Bulk memory and table instructions
 * (memory.copy/fill/init, table.copy/fill/init: n bytes, n * 8 for table
 * elements), memory.grow and table.grow (the bytes the new pages or elements
 * take), and a call's frame set-up (declared locals zeroed and constants
 * copied, 8 bytes each: the callee's entry stretch costs that much more).
 * Charged before the work, so fuel bounds the work done. */
#define WB_FUEL_BULK_BYTES 64u

/* Slots of the frame record (where the caller continues), after the
 * constants: wasm->wasm calls keep no other state. */
#define WB_FRAME_RECORD 3

struct wb_compiled {
    wb_cell *code;
    size_t ncells;
    uint32_t func_index;     /* in the module's function index space */
    size_t body_offset;      /* of the body's first instruction, in the module */
    uint8_t *map;            /* code map (code_map.c): cell -> wasm instruction offset */
    uint32_t map_len;        /* bytes */
    uint32_t nparams, nresults;
    uint32_t nlocals;        /* declared locals, zeroed at entry */
    uint32_t frame_slots;    /* params + locals + constants + record + maximum operand height */
    uint32_t rec;            /* slot of the frame record: caller's pc, fp, instance */
    uint64_t *consts;        /* copied to fp[nparams + nlocals ..] at entry */
    uint32_t nconsts;
    uint32_t init_loop;      /* nlocals > 4 or nconsts > 0: frame set-up needs its loops */
};

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
