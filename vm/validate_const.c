/* Constant expressions: global initializers, segment offsets, element items.
 *
 * WebAssembly 2.0 allows t.const, ref.null, ref.func and global.get of an
 * imported immutable global; 3.0 (extended constant expressions) adds
 * i32/i64 add, sub and mul. The expression must leave exactly one value of
 * the wanted type. As in the reference interpreter, constness is checked
 * over the whole expression first ("constant expression required"), then the
 * types ("type mismatch"): a type error is noted where it happens and
 * reported once the whole expression is known to be constant. The typing
 * stack is at most one entry per two bytes of expression (every push is an
 * opcode and an immediate), so it is sized from the expression's length.
 * The bytes were already checked by the encoding pass (validate_scan.c).
 */
#include "instr.h"
#include "validate_internal.h"

#include <stdlib.h>

static bool expr_reader(const wb_module *m, wb_expr e, wb_reader *r)
{
    if (e.offset > m->len || e.len > m->len - e.offset)
        return false;
    *r = (wb_reader){m->bytes, m->bytes + e.offset, m->bytes + e.offset + e.len, NULL, false};
    return true;
}

/* The extended-constant arithmetic: the operand type of i32/i64 add, sub,
 * mul, or 0 for any other instruction. */
static uint8_t arith_type(wb_op op)
{
    switch (op) {
    case WB_OP_I32_ADD:
    case WB_OP_I32_SUB:
    case WB_OP_I32_MUL: return WB_I32;
    case WB_OP_I64_ADD:
    case WB_OP_I64_SUB:
    case WB_OP_I64_MUL: return WB_I64;
    default: return 0;
    }
}

bool wb_v_check_const(const wb_vctx *v, wb_expr e, uint8_t want, uint32_t nglobals_visible,
                      const char *where, wb_error *err)
{
    const wb_module *m = v->m;
    wb_reader r;
    if (!expr_reader(m, e, &r)) {
        wb_error_set(err, WB_ERR_MALFORMED, e.offset, where, "unexpected end");
        return false;
    }
    uint8_t small[32];
    size_t cap = e.len / 2 + 1;
    uint8_t *types = cap <= sizeof small ? small : malloc(cap);
    if (!types) {
        wb_error_set(err, WB_ERR_NOMEM, e.offset, where, "out of memory");
        return false;
    }
    size_t sp = 0;
    size_t last_offset = e.offset;
    bool ok = false;
    bool bad_ref = false;
    uint32_t bad_ref_index = 0;
    size_t bad_ref_offset = 0;
    /* the first operand type error, reported after constness */
    const wb_opinfo *bad_arith = NULL;
    size_t bad_arith_offset = 0;
    for (;;) {
        wb_instr in;
        if (wb_reader_done(&r) || !wb_read_instr(&r, &in)) {
            /* the encoding pass accepted these bytes, so this cannot happen */
            wb_error_set(err, WB_ERR_MALFORMED, wb_reader_offset(&r), where, "%s",
                         r.error ? r.error : "END opcode expected");
            goto out;
        }
        last_offset = in.offset;
        uint8_t t = arith_type(in.info->op);
        if (t) {
            bool fits = sp >= 2 && types[sp - 1] == t && types[sp - 2] == t;
            if (!fits && !bad_arith) {
                bad_arith = in.info;
                bad_arith_offset = in.offset;
            }
            sp = sp >= 2 ? sp - 2 : 0;
            types[sp++] = t;
            continue;
        }
        switch (in.info->op) {
        case WB_OP_END:
            goto typed;
        case WB_OP_I32_CONST: t = WB_I32; break;
        case WB_OP_I64_CONST: t = WB_I64; break;
        case WB_OP_F32_CONST: t = WB_F32; break;
        case WB_OP_F64_CONST: t = WB_F64; break;
        case WB_OP_V128_CONST: t = WB_V128; break;
        case WB_OP_REF_NULL: t = in.imm.ref_type; break;
        case WB_OP_REF_FUNC:
            /* an index error belongs to the typing step, after constness */
            if (in.imm.index >= v->nfuncs && !bad_ref) {
                bad_ref = true;
                bad_ref_index = in.imm.index;
                bad_ref_offset = in.offset;
            }
            t = WB_FUNCREF;
            break;
        case WB_OP_GLOBAL_GET: {
            /* only imported globals are visible to constant expressions */
            if (in.imm.index >= nglobals_visible || in.imm.index >= v->nglobals) {
                wb_error_set(err, WB_ERR_INVALID, in.offset, where, "unknown global %u",
                             in.imm.index);
                goto out;
            }
            const wb_globaltype *g = v->globals[in.imm.index];
            if (g->mutable_) {
                wb_error_set(err, WB_ERR_INVALID, in.offset, where,
                             "constant expression required (global %u is mutable)",
                             in.imm.index);
                goto out;
            }
            t = g->type;
            break;
        }
        default:
            wb_error_set(err, WB_ERR_INVALID, in.offset, where,
                         "constant expression required (%s is not constant)", in.info->name);
            goto out;
        }
        /* every push is at least two bytes: sp < cap */
        types[sp++] = t;
    }
typed:
    if (bad_ref) {
        wb_error_set(err, WB_ERR_INVALID, bad_ref_offset, where, "unknown function %u",
                     bad_ref_index);
    } else if (bad_arith) {
        wb_error_set(err, WB_ERR_INVALID, bad_arith_offset, where,
                     "type mismatch: %s needs two %s operands", bad_arith->name,
                     wb_vt_name(arith_type(bad_arith->op)));
    } else if (sp != 1 || types[0] != want) {
        if (sp == 0)
            wb_error_set(err, WB_ERR_INVALID, last_offset, where,
                         "type mismatch: expected %s, the expression is empty", wb_vt_name(want));
        else if (sp > 1)
            wb_error_set(err, WB_ERR_INVALID, last_offset, where,
                         "type mismatch: expected one %s, the expression leaves %zu values",
                         wb_vt_name(want), sp);
        else
            wb_error_set(err, WB_ERR_INVALID, last_offset, where,
                         "type mismatch: expected %s, got %s", wb_vt_name(want),
                         wb_vt_name(types[0]));
    } else {
        ok = true;
    }
out:
    if (types != small)
        free(types);
    return ok;
}

void wb_v_mark_const_refs(const wb_module *m, wb_expr e, bool *declared, uint32_t nfuncs)
{
    wb_reader r;
    if (!expr_reader(m, e, &r))
        return;
    wb_instr in;
    while (!wb_reader_done(&r) && wb_read_instr(&r, &in)) {
        if (in.info->op == WB_OP_REF_FUNC && in.imm.index < nfuncs)
            declared[in.imm.index] = true;
    }
}
