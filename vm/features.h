/* Feature names for decoding errors (features.c). Internal to vm/. */
#ifndef WASMBOX_VM_FEATURES_H
#define WASMBOX_VM_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* If the instruction at p (bytes up to end) is one of a proposal this engine
 * does not have yet, writes "illegal opcode ...: FEATURE ... is not supported
 * yet" to buf and returns true. */
bool wb_feature_opcode_text(const uint8_t *p, const uint8_t *end, char *buf, size_t len);

/* The reasons given for other unsupported features, each starting with the
 * spec's text for the same bytes. */
#define WB_FEATURE_LIMITS_SHARED                                                                  \
    "integer too large: limits flag 0x02/0x03/0x06/0x07 (a shared memory: threads) is not supported yet"
#define WB_FEATURE_LIMITS_64_IN_2_0                                                               \
    "integer too large: limits flag 0x04/0x05 (a 64-bit memory or table: memory64, WebAssembly 3.0) in a " \
    "module read as 2.0"
#define WB_FEATURE_GC_TYPE                                                                        \
    "malformed function type: GC types (struct, array, rec, sub) are not supported yet"
#define WB_FEATURE_MEMIDX                                                                         \
    "zero byte expected: a memory index (multi-memory, WebAssembly 3.0) in a module read as 2.0"
#define WB_FEATURE_MEMARG_INDEX                                                                   \
    "malformed memop flags: bit 6 (a memory index: multi-memory, WebAssembly 3.0) in a module read as 2.0"
#define WB_FEATURE_GC_HEAP "GC's heap types (any, eq, i31, struct, array, none) are not supported yet"
#define WB_FEATURE_MULTI_MEMORY_IN_2_0 "multiple memories: multi-memory is WebAssembly 3.0, the module is read as 2.0"

#endif
