/* Reading one instruction (opcode + immediates) from a body or constant
 * expression. Shared by the decoder (to find where a constant expression
 * ends), the validator and the translator, so immediates are decoded in one
 * place. Internal to vm/.
 *
 * wb_read_instr checks only the encoding (LEB rules, reserved zero bytes,
 * known opcodes); indices are not checked here: that is the validator's job.
 */
#ifndef WASMBOX_VM_INSTR_H
#define WASMBOX_VM_INSTR_H

#include "opcodes.h"
#include "reader.h"
#include "valtype.h"
#include "vm.h"

#include <stdbool.h>
#include <stdint.h>

/* Block types as read (s33): WB_BLOCK_EMPTY, a value type (negative: the
 * type byte read as a 7-bit signed LEB, e.g. 0x7F -> -1), or a type index. */
#define WB_BLOCK_EMPTY (-64)

typedef struct wb_instr {
    const wb_opinfo *info;
    size_t offset;                   /* of the opcode, in the module */
    union {
        int64_t block_type;          /* BLOCKTYPE */
        uint32_t index;              /* LABEL FUNC LOCAL GLOBAL TABLE DATA ELEM MEMORY_INIT(data) */
        struct {
            uint32_t type_index, table;
        } call_indirect;
        struct {
            uint32_t align;          /* as log2 */
            uint64_t offset;         /* a u64 since 3.0; 2^32 or more: refused for a 32-bit memory */
            uint8_t lane;            /* MEMARG_LANE: not yet checked */
        } memarg;
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        wb_vt ref_type;              /* REFTYPE: ref.null's (ref null ht) */
        uint8_t lane;                /* LANE: not yet checked against the shape */
        const uint8_t *v128;         /* V128, SHUFFLE: 16 bytes in the module */
        struct {
            uint32_t count;
            wb_vt type;              /* the first (count 1 is a validation rule) */
        } select_t;
        struct {
            uint32_t a, b;           /* TABLE_INIT: elem, table; TABLE_COPY: dst, src */
        } pair;
        struct {
            int64_t block_type;
            uint32_t count;          /* catch clauses */
            wb_reader catches;       /* positioned at the first (wb_catch_next) */
        } try_table;
        struct {
            uint32_t count;          /* targets, not counting the default */
            uint32_t default_target;
            wb_reader targets;       /* positioned at the first target */
        } br_table;
    } imm;
    /* Memory instructions only (MEMARG, MEMARG_LANE, MEMIDX, MEMORY_INIT,
     * MEMORY_COPY): the memory index (memory.copy: the destination's; mem2
     * the source's, 0 for the others), 0 when the encoding has none. mem_explicit: an index
     * was written the way only multi-memory may (memarg flag bit 6, or
     * memory.size/grow/fill/init/copy's index byte other than one 0x00),
     * which the 2.0 profile refuses (validate_scan.c). */
    uint32_t mem, mem2;
    bool mem_explicit;
} wb_instr;

/* Reads one instruction. On failure returns false with r->error set:
 * "illegal opcode", "zero byte expected", "unexpected end", or a LEB error. */
bool wb_read_instr(wb_reader *r, wb_instr *out);

/* Reads the next br_table target from *it (a copy of imm.br_table.targets). */
static inline uint32_t wb_br_table_next(wb_reader *it)
{
    uint32_t v = 0;
    (void)wb_read_u32(it, &v); /* cannot fail: wb_read_instr read them all */
    return v;
}

/* A block type's typed reference result is kept below this, as
 * WB_BLOCK_TYPED - vt (a 2.0 block type is a 7-bit negative or an index). */
#define WB_BLOCK_TYPED (-((int64_t)1 << 40))

/* The value type of a negative block type other than WB_BLOCK_EMPTY (0 if it
 * names none: the validator says "unknown type"). */
static inline wb_vt wb_block_vt(int64_t bt)
{
    if (bt <= WB_BLOCK_TYPED)
        return (wb_vt)(WB_BLOCK_TYPED - bt);
    switch ((uint8_t)(bt & 0x7F)) {
    case WB_I32: case WB_I64: case WB_F32: case WB_F64: case WB_V128:
    case WB_FUNCREF: case WB_EXTERNREF: case WB_EXNREF:
        return (uint8_t)(bt & 0x7F);
    case 0x74: /* nullexnref */
        return wb_vt_ref(true, WB_HEAP_NOEXN);
    default:
        return 0;
    }
}

/* One catch clause of a try_table (kinds as in the binary format). */
enum { WB_CATCH = 0, WB_CATCH_REF = 1, WB_CATCH_ALL = 2, WB_CATCH_ALL_REF = 3 };
typedef struct wb_catch {
    uint8_t kind;
    uint32_t tag;                    /* WB_CATCH, WB_CATCH_REF */
    uint32_t label;
} wb_catch;

/* Reads the next catch clause from *it (a copy of imm.try_table.catches). */
static inline wb_catch wb_catch_next(wb_reader *it)
{
    wb_catch k = {0, 0, 0};
    /* cannot fail: wb_read_instr read them all */
    (void)wb_read_u8(it, &k.kind);
    if (k.kind < WB_CATCH_ALL)
        (void)wb_read_u32(it, &k.tag);
    (void)wb_read_u32(it, &k.label);
    return k;
}

/* memarg_u32.c: false, with where and why, when the memory instruction at
 * opcode_offset has a memarg that 2.0's two u32 LEB128s cannot read (its
 * offset is u64 since 3.0; vm.h, WB_FEATURE_ENCODING_3). True for any other
 * instruction. */
bool wb_memarg_reads_as_u32(const uint8_t *bytes, size_t len, size_t opcode_offset, size_t *bad_offset,
                            const char **why);

#endif
