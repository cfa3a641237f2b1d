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

/* Whether any of select's types (read again from the bytes: the
 * instruction keeps only the first) is one of exn's. */
static bool select_names_exn(const uint8_t *bytes, size_t len, const wb_instr *in)
{
    /* the opcode 0x1C, then vec(valtype), all read before by wb_read_instr */
    wb_reader r = {bytes, bytes + in->offset + 1, bytes + len, NULL};
    uint32_t count;
    if (!wb_read_u32(&r, &count))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        wb_vt t;
        bool typed = false;
        if (!wb_read_valtype(&r, &t, &typed))
            return false;
        if (wb_vt_is_exn(t))
            return true;
    }
    return false;
}

const char *wb_profile_exc_instr_2_0(const uint8_t *bytes, size_t len, const wb_instr *in,
                                     char *buf, size_t buf_len)
{
    uint8_t op = bytes[in->offset];
    for (size_t i = 0; i < sizeof exc_ops / sizeof exc_ops[0]; i++) {
        if (exc_ops[i].op == op) {
            snprintf(buf, buf_len,
                     "illegal opcode 0x%02x: %s (exception handling) is WebAssembly 3.0, not "
                     "in the 2.0 profile",
                     op, exc_ops[i].name);
            return buf;
        }
    }
    /* exn's heap types where an instruction names a type */
    switch (in->info->imm) {
    case WB_IMM_REFTYPE:
        if (wb_vt_is_exn(in->imm.ref_type))
            return "malformed reference type" WB_PROFILE_EXC_WHY;
        break;
    case WB_IMM_BLOCKTYPE:
        if (in->imm.block_type < 0 && in->imm.block_type != WB_BLOCK_EMPTY &&
            wb_vt_is_exn(wb_block_vt(in->imm.block_type)))
            return "malformed value type" WB_PROFILE_EXC_WHY;
        break;
    case WB_IMM_SELECT_T:
        if (select_names_exn(bytes, len, in))
            return "malformed value type" WB_PROFILE_EXC_WHY;
        break;
    default:
        break;
    }
    return NULL;
}
