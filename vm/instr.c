/* Opcode + immediate decoding; see instr.h. */
#include "instr.h"
#include "features.h"

static bool read_zero_byte(wb_reader *r)
{
    uint8_t b;
    if (!wb_read_u8(r, &b))
        return false;
    if (b != 0)
        return wb_reader_fail(r, WB_FEATURE_MEMIDX);
    return true;
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
        return wb_read_sleb(r, 33, &out->imm.block_type);
    case WB_IMM_LABEL:
    case WB_IMM_FUNC:
    case WB_IMM_LOCAL:
    case WB_IMM_GLOBAL:
    case WB_IMM_TABLE:
    case WB_IMM_DATA:
    case WB_IMM_ELEM:
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
        return wb_read_u32(r, &out->imm.memarg.align) &&
               wb_read_uleb(r, 64, &out->imm.memarg.offset);
    case WB_IMM_I32:
        return wb_read_s32(r, &out->imm.i32);
    case WB_IMM_I64:
        return wb_read_s64(r, &out->imm.i64);
    case WB_IMM_F32:
        return wb_read_f32_bits(r, &out->imm.f32_bits);
    case WB_IMM_F64:
        return wb_read_f64_bits(r, &out->imm.f64_bits);
    case WB_IMM_MEMIDX:
        return read_zero_byte(r);
    case WB_IMM_REFTYPE:
        if (!wb_read_u8(r, &out->imm.ref_type))
            return false;
        if (out->imm.ref_type != WB_FUNCREF && out->imm.ref_type != WB_EXTERNREF &&
            out->imm.ref_type != WB_EXNREF)
            return wb_reader_fail(r, "malformed reference type");
        return true;
    case WB_IMM_SELECT_T: {
        uint32_t count;
        if (!wb_read_u32(r, &count))
            return false;
        out->imm.select_t.count = count;
        return wb_read_bytes(r, count, &out->imm.select_t.types);
    }
    case WB_IMM_MEMORY_INIT:
        return wb_read_u32(r, &out->imm.index) && read_zero_byte(r);
    case WB_IMM_MEMORY_COPY:
        return read_zero_byte(r) && read_zero_byte(r);
    case WB_IMM_TABLE_INIT:
    case WB_IMM_TABLE_COPY:
        return wb_read_u32(r, &out->imm.pair.a) && wb_read_u32(r, &out->imm.pair.b);
    case WB_IMM_V128:
        return wb_read_bytes(r, 16, &out->imm.v128);
    case WB_IMM_LANE:
        return wb_read_u8(r, &out->imm.lane);
    case WB_IMM_MEMARG_LANE:
        return wb_read_u32(r, &out->imm.memarg.align) && wb_read_uleb(r, 64, &out->imm.memarg.offset) &&
               wb_read_u8(r, &out->imm.memarg.lane);
    case WB_IMM_SHUFFLE:
        return wb_read_bytes(r, 16, &out->imm.v128);
    case WB_IMM_TAG:
        return wb_read_u32(r, &out->imm.index);
    case WB_IMM_TRY_TABLE: {
        uint32_t count;
        if (!wb_read_sleb(r, 33, &out->imm.try_table.block_type) || !wb_read_u32(r, &count))
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
