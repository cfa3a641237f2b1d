/* Opcode identities and facts, expanded from opcodes.def. Internal to vm/. */
#ifndef WASMBOX_VM_OPCODES_H
#define WASMBOX_VM_OPCODES_H

#include <stdbool.h>
#include <stdint.h>

/* What follows an opcode in the binary. */
typedef enum wb_imm {
    WB_IMM_NONE,
    WB_IMM_BLOCKTYPE,     /* s33: 0x40, a value type, or a type index */
    WB_IMM_LABEL,         /* u32 label depth */
    WB_IMM_BR_TABLE,      /* vec(u32) then u32 default */
    WB_IMM_FUNC,          /* u32 function index */
    WB_IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
    WB_IMM_LOCAL,         /* u32 local index */
    WB_IMM_GLOBAL,        /* u32 global index */
    WB_IMM_TABLE,         /* u32 table index */
    WB_IMM_MEMARG,        /* u32 align (log2), u32 offset */
    WB_IMM_I32,           /* s32 */
    WB_IMM_I64,           /* s64 */
    WB_IMM_F32,           /* 4 bytes */
    WB_IMM_F64,           /* 8 bytes */
    WB_IMM_MEMIDX,        /* one byte, must be 0x00 ("zero byte expected") */
    WB_IMM_REFTYPE,       /* a heap type (s33): ref.null's */
    WB_IMM_SELECT_T,      /* vec(valtype) */
    WB_IMM_MEMORY_INIT,   /* u32 data index, then a 0x00 byte */
    WB_IMM_DATA,          /* u32 data index */
    WB_IMM_MEMORY_COPY,   /* two 0x00 bytes */
    WB_IMM_TABLE_INIT,    /* u32 element index, u32 table index */
    WB_IMM_ELEM,          /* u32 element index */
    WB_IMM_TABLE_COPY,    /* u32 destination table, u32 source table */
    WB_IMM_V128,          /* 16 bytes, little-endian (v128.const) */
    WB_IMM_LANE,          /* one byte: a lane index, below the shape's lane count */
    WB_IMM_MEMARG_LANE,   /* a memarg, then a lane index byte (v128.load8_lane ...) */
    WB_IMM_SHUFFLE,       /* 16 bytes: lane indices below 32 (i8x16.shuffle) */
    WB_IMM_TYPE,          /* u32 type index (call_ref, return_call_ref) */
    WB_IMM_TAG,           /* u32 tag index (exception handling) */
    WB_IMM_TRY_TABLE,     /* s33 block type, then vec(catch): kind byte 0-3, u32 tag (kinds
                           * 0 and 1), u32 label */
} wb_imm;

/* Cells an immediate takes after the operands when the translator emits an
 * instruction as itself (an index or offset a cell, a pair of indices one
 * cell; the others are not kept in the code). */
enum {
    WB_IMM_CELLS_NONE = 0,
    WB_IMM_CELLS_BLOCKTYPE = 0,
    WB_IMM_CELLS_LABEL = 0,
    WB_IMM_CELLS_BR_TABLE = 0,
    WB_IMM_CELLS_FUNC = 1,
    WB_IMM_CELLS_CALL_INDIRECT = 0,
    WB_IMM_CELLS_LOCAL = 0,
    WB_IMM_CELLS_GLOBAL = 1,
    WB_IMM_CELLS_TABLE = 1,
    WB_IMM_CELLS_MEMARG = 1,
    WB_IMM_CELLS_I32 = 0,
    WB_IMM_CELLS_I64 = 0,
    WB_IMM_CELLS_F32 = 0,
    WB_IMM_CELLS_F64 = 0,
    WB_IMM_CELLS_MEMIDX = 0,
    WB_IMM_CELLS_REFTYPE = 0,
    WB_IMM_CELLS_SELECT_T = 0,
    WB_IMM_CELLS_MEMORY_INIT = 1,
    WB_IMM_CELLS_DATA = 1,
    WB_IMM_CELLS_MEMORY_COPY = 0,
    WB_IMM_CELLS_TABLE_INIT = 1,
    WB_IMM_CELLS_ELEM = 1,
    WB_IMM_CELLS_TABLE_COPY = 1,
    WB_IMM_CELLS_V128 = 0,
    WB_IMM_CELLS_LANE = 1,
    WB_IMM_CELLS_MEMARG_LANE = 2, /* where the access ends, then the lane */
    WB_IMM_CELLS_SHUFFLE = 2,     /* the 16 lane indices, 8 a cell */
    WB_IMM_CELLS_TYPE = 0,
    WB_IMM_CELLS_TAG = 0,
    WB_IMM_CELLS_TRY_TABLE = 0,
};

typedef enum wb_op {
#define OP(id, name, code, imm, sig, align, synopsis) WB_OP_##id,
#include "opcodes.def"
#undef OP
    WB_OP_COUNT
} wb_op;

typedef struct wb_opinfo {
    wb_op op;
    const char *name;
    uint32_t code;
    wb_imm imm;
    const char *sig;  /* "params:results"; * a type worked out by hand; NULL: variable */
    uint8_t align;
    uint8_t imm_cells; /* WB_IMM_CELLS_<imm> */
    const char *synopsis;
} wb_opinfo;

extern const wb_opinfo wb_opinfo_table[WB_OP_COUNT];

/* The number of operands an instruction pops and pushes, from its
 * signature; false when that depends on immediates or context (sig NULL). */
bool wb_op_arity(const wb_opinfo *info, uint32_t *pops, uint32_t *pushes);
/* True when the signature types every operand (the validator applies it). */
bool wb_op_sig_typed(const wb_opinfo *info);

/* Whether an instruction opens a block (block, loop, if: those with a block
 * type), for the walkers that track nesting. `end` closes one; `else`
 * ends an if's first arm. */
static inline bool wb_op_opens_block(const wb_opinfo *info)
{
    return info->imm == WB_IMM_BLOCKTYPE || info->imm == WB_IMM_TRY_TABLE;
}
/* Whether an instruction closes a block: `end`, or a legacy `delegate`
 * (which ends its try without an `end`). */
static inline bool wb_op_closes_block(const wb_opinfo *info)
{
    return info->op == WB_OP_END || info->op == WB_OP_DELEGATE;
}
/* Whether an instruction ends one arm of a block and begins the next:
 * `else`, or a legacy `catch` / `catch_all`. */
static inline bool wb_op_next_arm(const wb_opinfo *info)
{
    return info->op == WB_OP_ELSE || info->op == WB_OP_CATCH || info->op == WB_OP_CATCH_ALL;
}
/* Names a memory (wb_instr.mem): loads, stores, memory.size/grow/fill/copy/init. */
static inline bool wb_op_is_memory(const wb_opinfo *info)
{
    switch (info->imm) {
    case WB_IMM_MEMARG:
    case WB_IMM_MEMARG_LANE:
    case WB_IMM_MEMIDX:
    case WB_IMM_MEMORY_INIT:
    case WB_IMM_MEMORY_COPY:
        return true;
    default:
        return false;
    }
}

/* Whether an instruction's signature has a v128 operand or result ('V'):
 * the translator gives each such value two consecutive slots. */
bool wb_op_has_v128(const wb_opinfo *info);

/* The instruction for a code (byte, 0xFC00|sub, or 0xFD0000|sub), or NULL if none. */
const wb_opinfo *wb_opinfo_for_code(uint32_t code);

#endif
