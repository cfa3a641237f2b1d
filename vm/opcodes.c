/* The opcode table as data, and lookup by binary code. */
#include "opcodes.h"

#include <stddef.h>
#include <string.h>

const wb_opinfo wb_opinfo_table[WB_OP_COUNT] = {
#define OP(id, name, code, imm, sig, align, synopsis) \
    {WB_OP_##id, name, code, WB_IMM_##imm, sig, align, WB_IMM_CELLS_##imm, synopsis},
#include "opcodes.def"
#undef OP
};

/* A switch expanded from the table: the compiler turns it into jump tables,
 * and there is no lazily built state to race on. */
/* One-byte opcodes, the ones almost every instruction has, by table:
 * WB_OP_* + 1, 0 for none. A load where the switch below costs an
 * indirect jump that mispredicts on mixed code (12% of the validation of a
 * large module: bench/README.md "Large modules"). Built from the same rows;
 * prefixed codes (0xFC00 | n) all land on the spare last entry, never read,
 * which is why overriding initialisers are allowed here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const uint16_t one_byte[257] = {
#define OP(id, name, code, imm, sig, align, synopsis) [(code) < 256 ? (code) : 256] = WB_OP_##id + 1,
#include "opcodes.def"
#undef OP
};
#pragma GCC diagnostic pop

const wb_opinfo *wb_opinfo_for_code(uint32_t code)
{
    if (code < 256)
        return one_byte[code] ? &wb_opinfo_table[one_byte[code] - 1] : NULL;
    switch (code) {
#define OP(id, name, code, imm, sig, align, synopsis) \
    case code:                              \
        return &wb_opinfo_table[WB_OP_##id];
#include "opcodes.def"
#undef OP
    default:
        return NULL;
    }
}

bool wb_op_arity(const wb_opinfo *info, uint32_t *pops, uint32_t *pushes)
{
    if (!info->sig)
        return false;
    const char *colon = strchr(info->sig, ':');
    *pops = (uint32_t)(colon - info->sig);
    *pushes = (uint32_t)strlen(colon + 1);
    return true;
}

bool wb_op_sig_typed(const wb_opinfo *info) { return info->sig && !strchr(info->sig, '*'); }

bool wb_op_has_v128(const wb_opinfo *info) { return info->sig && strchr(info->sig, 'V'); }
