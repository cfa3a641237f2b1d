/* A memarg read the 2.0 way, two u32 LEB128s, for the feature profile's
 * 2.0 side (vm.h, WB_FEATURE_ENCODING_3 off): wb_read_instr reads the
 * offset as 3.0's u64, which accepts bytes 2.0 calls malformed (a LEB128
 * of more than 5 bytes, a value of 2^32 or more) and names some errors
 * differently. Used only when loading under 2.0, and for memory
 * instructions only. */
#include "instr.h"

bool wb_memarg_reads_as_u32(const uint8_t *bytes, size_t len, size_t opcode_offset, size_t *bad_offset,
                            const char **why)
{
    if (opcode_offset >= len)
        return true;
    wb_reader r = {bytes, bytes + opcode_offset, bytes + len, NULL};
    uint8_t op = 0;
    uint32_t sub = 0, align, offset;
    if (!wb_read_u8(&r, &op) || ((op == 0xFC || op == 0xFD) && !wb_read_u32(&r, &sub)))
        return true; /* not a memarg's fault: wb_read_instr's own error stands */
    uint32_t code = op == 0xFC ? 0xFC00 | sub : op == 0xFD ? 0xFD0000 | sub : op;
    const wb_opinfo *info = (op == 0xFC && sub > 0xFF) || sub > 0xFFFF ? NULL : wb_opinfo_for_code(code);
    if (!info || (info->imm != WB_IMM_MEMARG && info->imm != WB_IMM_MEMARG_LANE))
        return true;
    if (!wb_read_u32(&r, &align))
        return true;
    size_t at = wb_reader_offset(&r);
    if (wb_read_u32(&r, &offset))
        return true;
    *bad_offset = at;
    *why = r.error ? r.error : "unexpected end";
    return false;
}
