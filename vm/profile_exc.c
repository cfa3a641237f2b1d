/* Exception handling under the 2.0 profile (vm.h, WB_FEATURE_EXCEPTIONS):
 * 2.0's suite expects its opcodes to be illegal and exnref to be no type,
 * so the decoder and the validator ask here about each instruction they
 * read. The instruction reader itself knows no profile (the translator and
 * the interpreter share it), hence a check after it. */
#include "profile_exc.h"

#include <stdio.h>

/* The one-byte opcodes of exception handling, both encodings. */
static const struct {
    uint8_t op;
    const char *name;
} exc_ops[] = {
    {0x06, "try"},    {0x07, "catch"},     {0x08, "throw"},     {0x09, "rethrow"},
    {0x0a, "throw_ref"}, {0x18, "delegate"}, {0x19, "catch_all"}, {0x1f, "try_table"},
};

/* exnref (0x69) as a block type: the byte read as a 7-bit signed LEB128. */
enum { BLOCK_EXNREF = (int)WB_EXNREF - 0x80 };

const char *wb_profile_exc_instr(wb_features features, const uint8_t *bytes, const wb_instr *in,
                                 char *buf, size_t len)
{
    if (features & WB_FEATURE_EXCEPTIONS)
        return NULL;
    uint8_t op = bytes[in->offset];
    for (size_t i = 0; i < sizeof exc_ops / sizeof exc_ops[0]; i++) {
        if (exc_ops[i].op == op) {
            snprintf(buf, len,
                     "illegal opcode 0x%02x: %s (exception handling) is WebAssembly 3.0, not "
                     "in the 2.0 profile",
                     op, exc_ops[i].name);
            return buf;
        }
    }
    /* exnref where an instruction names a type */
    switch (in->info->imm) {
    case WB_IMM_REFTYPE:
        if (in->imm.ref_type == WB_EXNREF)
            return "malformed reference type" WB_PROFILE_EXC_WHY;
        break;
    case WB_IMM_BLOCKTYPE:
        if (in->imm.block_type == BLOCK_EXNREF)
            return "malformed value type" WB_PROFILE_EXC_WHY;
        break;
    case WB_IMM_SELECT_T:
        for (uint32_t i = 0; i < in->imm.select_t.count; i++)
            if (in->imm.select_t.types[i] == WB_EXNREF)
                return "malformed value type" WB_PROFILE_EXC_WHY;
        break;
    default:
        break;
    }
    return NULL;
}
