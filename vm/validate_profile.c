/* The validator's side of the feature profile (vm.h, "the feature
 * profile"): the rules and texts that differ between WebAssembly 2.0 and
 * 3.0, each read once per module or per error, never per instruction run.
 */
#include "instr.h"
#include "validate_internal.h"

uint32_t wb_v_const_globals(const wb_module *m, uint32_t defined_before)
{
    /* 2.0: a constant expression sees the imported globals only. 3.0: a
     * global's initializer sees the imported globals and the globals
     * defined before it; segments see them all (callers pass m->nglobals).
     * Tables, read before any global is defined, see the imported ones. */
    if (!(m->features & WB_FEATURE_CONST_MODULE_GLOBALS))
        return m->nglobal_imports;
    return m->nglobal_imports + (defined_before < m->nglobals ? defined_before : m->nglobals);
}

const char *wb_v_text_immutable_global(const wb_module *m)
{
    return (m->features & WB_FEATURE_TEXTS_3) ? "immutable global" : "global is immutable";
}

bool wb_v_memarg_narrow(const wb_module *m, size_t opcode_offset, size_t *bad_offset, const char **why)
{
    /* 2.0 reads a memarg's offset as a u32; wb_read_instr reads 3.0's u64 */
    if (m->features & WB_FEATURE_ENCODING_3)
        return true;
    return wb_memarg_reads_as_u32(m->bytes, m->len, opcode_offset, bad_offset, why);
}

uint32_t wb_v_max_align_field(const wb_module *m)
{
    /* 3.0: 0-63 (bit 6 announces a memory index); 2.0: 0-31 */
    return (m->features & WB_FEATURE_ENCODING_3) ? 64 : 32;
}
