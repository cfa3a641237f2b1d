/* profile_exc.c: what exception handling's bytes are under a profile
 * without WB_FEATURE_EXCEPTIONS (2.0), where they are no instruction, type,
 * section or kind at all. Internal to vm/. */
#ifndef WASMBOX_VM_PROFILE_EXC_H
#define WASMBOX_VM_PROFILE_EXC_H

#include "instr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* NULL if the instruction `in` (read from bytes[0..len), which it indexes by
 * in->offset) is allowed under `features`; otherwise 2.0's text for it,
 * followed by why ("illegal opcode 0x0a: throw_ref (exception handling) is
 * WebAssembly 3.0, not in the 2.0 profile"), written into buf. */
const char *wb_profile_exc_instr_2_0(const uint8_t *bytes, size_t len, const wb_instr *in,
                                     char *buf, size_t buf_len);
/* Inline, since the decoder and the validator ask for every instruction and
 * a 3.0 module's answer is the bit alone (an out-of-line call was 25,000 of
 * hello world's 1.43M start-up instructions: bench/README.md "Start-up"). */
static inline const char *wb_profile_exc_instr(wb_features features, const uint8_t *bytes,
                                               size_t len, const wb_instr *in, char *buf,
                                               size_t buf_len)
{
    if (features & WB_FEATURE_EXCEPTIONS)
        return NULL;
    return wb_profile_exc_instr_2_0(bytes, len, in, buf, buf_len);
}

/* The suffix added to 2.0's texts for a tag section, a tag import or
 * export and exnref under the 2.0 profile. */
#define WB_PROFILE_EXC_WHY ": exception handling is WebAssembly 3.0, not in the 2.0 profile"

#endif
