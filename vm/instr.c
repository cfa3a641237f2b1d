/* Opcode + immediate decoding; see instr.h. */
#include "instr.h"
#include "features.h"

/* A memory index where 2.0 had a reserved 0x00 byte: a u32 in 3.0
 * (multi-memory); anything but the one byte 0x00 is marked explicit. */
static bool read_memidx(wb_reader *r, uint32_t *idx, bool *explicit_)
{
    const uint8_t *at = r->p;
    if (!wb_read_u32(r, idx))
        return false;
    if (*idx != 0 || r->p != at + 1)
        *explicit_ = true;
    return true;
}

/* The value and heap types in immediates (3.0's typed references), out of
 * wb_read_instr's way: rare, and the common instructions' path stays as it
 * was (bench/README.md start-up). */
__attribute__((noinline)) static bool read_typed_blocktype(wb_reader *r, int64_t *bt)
{
    uint32_t heap;
    if (!wb_read_heaptype(r, &heap))
        return false;
    *bt = WB_BLOCK_TYPED - (int64_t)wb_vt_ref(*bt == -0x1D, heap);
    return true;
}

/* A block type (s33): empty, a value type, a type index, or 0x63 / 0x64
 * (ref null? ht) with a heap type following. */
static inline bool read_blocktype(wb_reader *r, int64_t *bt)
{
    if (!wb_read_sleb(r, 33, bt))
        return false;
    if (__builtin_expect(*bt == -0x1D || *bt == -0x1C, 0))
        return read_typed_blocktype(r, bt);
    return true;
}

__attribute__((noinline)) static bool read_ref_null_type(wb_reader *r, wb_instr *out)
{
    uint32_t heap;
    const uint8_t *at = r->p;
    if (!wb_read_heaptype(r, &heap)) {
        if (r->p == at + 1 && at < r->end && !(*at & 0x40)) { /* not negative: 2.0's text */
            r->error = NULL;
            return wb_reader_fail(r, "malformed reference type");
        }
        return false;
    }
    out->imm.ref_type = wb_vt_ref(true, heap);
    return true;
}

__attribute__((noinline)) static bool read_select_types(wb_reader *r, wb_instr *out)
{
    uint32_t count;
    if (!wb_read_u32(r, &count))
        return false;
    out->imm.select_t.count = count;
    out->imm.select_t.type = 0;
    if (count > wb_reader_left(r))
        return wb_reader_fail(r, "unexpected end");
    for (uint32_t i = 0; i < count; i++) {
        wb_vt t;
        bool typed = false;
        if (!wb_read_valtype(r, &t, &typed))
            return false;
        if (i == 0)
            out->imm.select_t.type = t;
    }
    return true;
}

/* memarg: flags (alignment, and bit 6: a memory index follows), [memory],
 * offset. Flags of 2^7 or more stay in align: "malformed memop flags"
 * (validate_scan.c). */
static bool read_memarg(wb_reader *r, wb_instr *out)
{
    out->mem = out->mem2 = 0;
    out->mem_explicit = false;
    if (!wb_read_u32(r, &out->imm.memarg.align))
        return false;
    if ((out->imm.memarg.align & 0xC0) == 0x40) {
        out->imm.memarg.align &= ~0x40u;
        out->mem_explicit = true;
        if (!wb_read_u32(r, &out->mem))
            return false;
    }
    /* the offset is a u64 since 3.0 (memory64); 2.0's u32 reading is
     * memarg_u32.c's, and the validator refuses an offset of 2^32 or more
     * for a 32-bit memory */
    return wb_read_uleb(r, 64, &out->imm.memarg.offset);
}

bool wb_read_instr(wb_reader *r, wb_instr *out)
{
    out->offset = wb_reader_offset(r);
    uint8_t byte;
    if (!wb_read_u8(r, &byte))
        return false;
    uint32_t code = byte;
    if (byte == 0xFC) {
        uint32_t sub;
        if (!wb_read_u32(r, &sub))
            return false;
        if (sub > 0xFF)
            return wb_reader_fail(r, "illegal opcode");
        code = 0xFC00 | sub;
    } else if (byte == 0xFD) {
        /* SIMD: a u32 sub-opcode (the spec's are below 0x200) */
        uint32_t sub;
        if (!wb_read_u32(r, &sub))
            return false;
        if (sub > 0xFFFF)
            return wb_reader_fail(r, "illegal opcode");
        code = 0xFD0000 | sub;
    }
    const wb_opinfo *info = wb_opinfo_for_code(code);
    if (!info)
        return wb_reader_fail(r, "illegal opcode");
    out->info = info;

    /* the commonest kinds first, by conditional branches: on mixed code
     * the switch's one indirect jump mispredicts most of the time (it was
     * a third of validating a large module: bench/README.md "Large
     * modules") */
    if (info->imm == WB_IMM_NONE)
        return true;
    if (info->imm == WB_IMM_LOCAL)
        return wb_read_u32(r, &out->imm.index);
    switch (info->imm) {
    case WB_IMM_NONE:
        return true;
    case WB_IMM_BLOCKTYPE:
        return read_blocktype(r, &out->imm.block_type);
    case WB_IMM_LABEL:
    case WB_IMM_FUNC:
    case WB_IMM_LOCAL:
    case WB_IMM_GLOBAL:
    case WB_IMM_TABLE:
    case WB_IMM_DATA:
    case WB_IMM_ELEM:
    case WB_IMM_TYPE:
        return wb_read_u32(r, &out->imm.index);
    case WB_IMM_BR_TABLE: {
        uint32_t count;
        if (!wb_read_u32(r, &count))
            return false;
        if (count > wb_reader_left(r)) /* each target takes at least one byte */
            return wb_reader_fail(r, "unexpected end");
        out->imm.br_table.count = count;
        out->imm.br_table.targets = *r;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t t;
            if (!wb_read_u32(r, &t))
                return false;
        }
        return wb_read_u32(r, &out->imm.br_table.default_target);
    }
    case WB_IMM_CALL_INDIRECT:
        return wb_read_u32(r, &out->imm.call_indirect.type_index) &&
               wb_read_u32(r, &out->imm.call_indirect.table);
    case WB_IMM_MEMARG:
        return read_memarg(r, out);
    case WB_IMM_I32:
        return wb_read_s32(r, &out->imm.i32);
    case WB_IMM_I64:
        return wb_read_s64(r, &out->imm.i64);
    case WB_IMM_F32:
        return wb_read_f32_bits(r, &out->imm.f32_bits);
    case WB_IMM_F64:
        return wb_read_f64_bits(r, &out->imm.f64_bits);
    case WB_IMM_MEMIDX:
        out->mem2 = 0;
        out->mem_explicit = false;
        return read_memidx(r, &out->mem, &out->mem_explicit);
    case WB_IMM_REFTYPE:
        return read_ref_null_type(r, out);
    case WB_IMM_SELECT_T:
        return read_select_types(r, out);
    case WB_IMM_MEMORY_INIT:
        out->mem2 = 0;
        out->mem_explicit = false;
        return wb_read_u32(r, &out->imm.index) && read_memidx(r, &out->mem, &out->mem_explicit);
    case WB_IMM_MEMORY_COPY:
        out->mem_explicit = false;
        return read_memidx(r, &out->mem, &out->mem_explicit) &&
               read_memidx(r, &out->mem2, &out->mem_explicit);
    case WB_IMM_TABLE_INIT:
    case WB_IMM_TABLE_COPY:
        return wb_read_u32(r, &out->imm.pair.a) && wb_read_u32(r, &out->imm.pair.b);
    case WB_IMM_V128:
        return wb_read_bytes(r, 16, &out->imm.v128);
    case WB_IMM_LANE:
        return wb_read_u8(r, &out->imm.lane);
    case WB_IMM_MEMARG_LANE:
        return read_memarg(r, out) && wb_read_u8(r, &out->imm.memarg.lane);
    case WB_IMM_SHUFFLE:
        return wb_read_bytes(r, 16, &out->imm.v128);
    case WB_IMM_TAG:
        return wb_read_u32(r, &out->imm.index);
    case WB_IMM_TRY_TABLE: {
        uint32_t count;
        if (!read_blocktype(r, &out->imm.try_table.block_type) || !wb_read_u32(r, &count))
            return false;
        if (count > wb_reader_left(r)) /* each clause takes at least two bytes */
            return wb_reader_fail(r, "unexpected end");
        out->imm.try_table.count = count;
        out->imm.try_table.catches = *r;
        for (uint32_t i = 0; i < count; i++) {
            uint8_t kind;
            uint32_t v;
            if (!wb_read_u8(r, &kind))
                return false;
            if (kind > 3)
                return wb_reader_fail(r, "malformed catch clause");
            if (kind < 2 && !wb_read_u32(r, &v))
                return false;
            if (!wb_read_u32(r, &v))
                return false;
        }
        return true;
    }
    }
    return wb_reader_fail(r, "illegal opcode");
}
