/* Shared by the validator's files (internal to validate*.c):
 *   validate.c        the order of the checks, wb_validate itself;
 *   validate_module.c module-level rules (types, imports, limits, exports, ...);
 *   validate_const.c  constant expressions;
 *   validate_scan.c   the encoding pass over every expression (malformed bytes);
 *   validate_code.c   function bodies: the rule for each instruction;
 *   validate_stack.c  their operand and control stacks (validate_code.h).
 *
 * The lookups below check their index: the validator runs before anything
 * guarantees that indices are in range.
 */
#ifndef WASMBOX_VM_VALIDATE_INTERNAL_H
#define WASMBOX_VM_VALIDATE_INTERNAL_H

#include "limits.h"
#include "module.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bottom type of the spec's algorithm: what pops yield from the
 * polymorphic stack after unreachable/br/return/br_table. No value type is 0. */
#define WB_VT_UNKNOWN 0

/* Operand stack entries are capped (limits.h): a body can legitimately push
 * many values (calls with many results), but an interpreter could not run a
 * function with more operands than this anyway. Exceeding it is a
 * WB_ERR_LIMIT. */
#define WB_VALIDATE_MAX_OPERANDS WB_MAX_OPERANDS

const char *wb_vt_name(uint8_t t);

static inline bool wb_vt_is_num(uint8_t t)
{
    return t == WB_I32 || t == WB_I64 || t == WB_F32 || t == WB_F64;
}
static inline bool wb_vt_is_ref(uint8_t t) { return t == WB_FUNCREF || t == WB_EXTERNREF || t == WB_EXNREF; }
/* A value type this engine accepts (v128 decodes but never validates). */
static inline bool wb_vt_is_valid(uint8_t t) { return wb_vt_is_num(t) || wb_vt_is_ref(t); }

/* The index spaces, resolved once (imports of each kind are interleaved in
 * the import section, so looking them up on the fly would be quadratic).
 * Entries are NULL where a function's type index is out of range. */
typedef struct wb_vctx {
    const wb_module *m;
    const wb_mtype **func_types;
    uint32_t nfuncs;
    const wb_tabletype **tables;
    uint32_t ntables;
    const wb_globaltype **globals;
    uint32_t nglobals;
    uint32_t nmemories;
    const bool *declared; /* m->func_declared once filled */
} wb_vctx;

/* validate_scan.c: the malformed-bytes pass over one expression (a body or a
 * constant expression): every instruction must decode, blocks must nest, the
 * expression must end with the `end` that closes it and nothing may follow.
 * Reports WB_ERR_MALFORMED (or WB_ERR_NOMEM). `where` names the place. */
bool wb_v_scan_expr(const wb_module *m, wb_expr e, const char *where, wb_error *err);

/* validate_const.c: a constant expression of type `want`. Only the first
 * nglobals_visible globals (wb_v_const_globals) may be read, and only
 * immutable ones. */
bool wb_v_check_const(const wb_vctx *v, wb_expr e, uint8_t want, uint32_t nglobals_visible,
                      const char *where, wb_error *err);
/* Marks every function that ref.func names in a constant expression
 * (indices out of range are ignored: the checks report them). */
void wb_v_mark_const_refs(const wb_module *m, wb_expr e, bool *declared, uint32_t nfuncs);

/* validate_profile.c: where the feature profile (m->features) changes a rule.
 * How many globals a constant expression may read (the first N of the index
 * space): the imported ones, and under 3.0 those of the first
 * `defined_before` globals the module defines. */
uint32_t wb_v_const_globals(const wb_module *m, uint32_t defined_before);
/* The text for global.set of an immutable global (2.0 and 3.0 differ). */
const char *wb_v_text_immutable_global(const wb_module *m);
/* Under 2.0, re-reads the memarg of the memory instruction at opcode_offset
 * as two u32s: false, with the offset and reason of the malformed LEB128,
 * when 2.0 refuses what 3.0's u64 offset accepts. True otherwise. */
bool wb_v_memarg_narrow(const wb_module *m, size_t opcode_offset, size_t *bad_offset, const char **why);
/* A memarg's alignment field must be below this, or it is malformed. */
uint32_t wb_v_max_align_field(const wb_module *m);

/* validate_module.c: the offset of the k-th of the u32 LEBs that start at
 * `first` (function-section type indices, element function indices are kept
 * decoded, not their offsets: an error re-reads them). */
size_t wb_v_u32_offset(const wb_module *m, size_t first, uint32_t k);

/* validate_module.c: everything outside function bodies, in the reference
 * interpreter's order. Called in two parts around the bodies. */
bool wb_v_check_module_head(const wb_vctx *v, wb_error *err); /* types .. data */
bool wb_v_check_module_tail(const wb_vctx *v, wb_error *err); /* start, exports, memories */

/* validate_code.c: one defined function (index i among the defined ones). */
typedef struct wb_code_checker wb_code_checker;
wb_code_checker *wb_v_code_checker_new(const wb_vctx *v);
void wb_v_code_checker_free(wb_code_checker *c);
bool wb_v_check_body(wb_code_checker *c, uint32_t defined_index, wb_error *err);
/* Constant instructions of the body checked last (a translator bound). */
uint32_t wb_v_body_consts(const wb_code_checker *c);
/* Frame slots of the last checked body's declared locals (a v128 takes two). */
uint32_t wb_v_body_local_slots(const wb_code_checker *c);

/* What a vouched module keeps for checking its bodies late (validate.c:
 * wb_validate_vouched, wb_validate_body_late): the index spaces and, once
 * the first body is checked, a checker; used under translate_lock. */
struct wb_late_check {
    wb_vctx v;
    wb_code_checker *c;
};

#endif
