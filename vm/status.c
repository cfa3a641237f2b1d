/* The texts of run results. Trap texts are the ones the spec tests expect in
 * assert_trap / assert_exhaustion, so the conformance runner can compare. */
#include "vm.h"

const char *wb_status_message(wb_status status)
{
    switch (status) {
    case WB_OK: return "ok";
    case WB_TRAP_UNREACHABLE: return "unreachable";
    case WB_TRAP_DIV_ZERO: return "integer divide by zero";
    case WB_TRAP_INT_OVERFLOW: return "integer overflow";
    case WB_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WB_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WB_TRAP_TABLE_OOB: return "out of bounds table access";
    case WB_TRAP_INDIRECT_MISMATCH: return "indirect call type mismatch";
    case WB_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WB_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WB_TRAP_NULL_REFERENCE: return "null reference";
    case WB_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WB_TRAP_OUT_OF_FUEL: return "out of fuel";
    case WB_TRAP_INTERRUPTED: return "interrupted";
    case WB_TRAP_HOST: return "host function trapped";
    case WB_EXIT: return "exit";
    case WB_BAD_CALL: return "bad call: wrong argument count or types";
    case WB_EXCEPTION: return "uncaught exception";
    }
    return "unknown status";
}
