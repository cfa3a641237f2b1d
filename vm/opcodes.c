/* The opcode table as data, and lookup by binary code. */
#include "opcodes.h"

#include <stddef.h>

const wb_opinfo wb_opinfo_table[WB_OP_COUNT] = {
#define OP(id, name, code, imm, sig, align) {WB_OP_##id, name, code, WB_IMM_##imm, sig, align},
#include "opcodes.def"
#undef OP
};

/* A switch expanded from the table: the compiler turns it into jump tables,
 * and there is no lazily built state to race on. */
const wb_opinfo *wb_opinfo_for_code(uint32_t code)
{
    switch (code) {
#define OP(id, name, code, imm, sig, align) \
    case code:                              \
        return &wb_opinfo_table[WB_OP_##id];
#include "opcodes.def"
#undef OP
    default:
        return NULL;
    }
}
