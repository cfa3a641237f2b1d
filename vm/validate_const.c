/* Constant expressions: global initializers, segment offsets, element items.
 *
 * WebAssembly 2.0 allows only t.const, ref.null, ref.func and global.get of an
 * imported immutable global, and the expression must leave exactly one value
 * of the wanted type. As in the reference interpreter, constness is checked
 * over the whole expression first ("constant expression required"), then the
 * type ("type mismatch"). Every constant instruction pushes one value and pops
 * none, so the typing needs no stack: the count and the last type say it all.
 * The bytes were already checked by the encoding pass (validate_scan.c).
 */
#include "instr.h"
#include "validate_internal.h"

static bool expr_reader(const wb_module *m, wb_expr e, wb_reader *r)
{
    if (e.offset > m->len || e.len > m->len - e.offset)
        return false;
    *r = (wb_reader){m->bytes, m->bytes + e.offset, m->bytes + e.offset + e.len, NULL};
    return true;
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
    uint64_t count = 0;
    uint8_t last = WB_VT_UNKNOWN;
    size_t last_offset = e.offset;
    bool bad_ref = false;
    uint32_t bad_ref_index = 0;
    size_t bad_ref_offset = 0;
    for (;;) {
        wb_instr in;
        if (wb_reader_done(&r) || !wb_read_instr(&r, &in)) {
            /* the encoding pass accepted these bytes, so this cannot happen */
            wb_error_set(err, WB_ERR_MALFORMED, wb_reader_offset(&r), where, "%s",
                         r.error ? r.error : "END opcode expected");
            return false;
        }
        last_offset = in.offset;
        switch (in.info->op) {
        case WB_OP_END:
            goto typed;
        case WB_OP_I32_CONST: last = WB_I32; break;
        case WB_OP_I64_CONST: last = WB_I64; break;
        case WB_OP_F32_CONST: last = WB_F32; break;
        case WB_OP_F64_CONST: last = WB_F64; break;
        case WB_OP_V128_CONST: last = WB_V128; break;
        case WB_OP_REF_NULL: last = in.imm.ref_type; break;
        case WB_OP_REF_FUNC:
            /* an index error belongs to the typing step, after constness */
            if (in.imm.index >= v->nfuncs && !bad_ref) {
                bad_ref = true;
                bad_ref_index = in.imm.index;
                bad_ref_offset = in.offset;
            }
            last = WB_FUNCREF;
            break;
        case WB_OP_GLOBAL_GET: {
            /* only imported globals are visible to constant expressions */
            if (in.imm.index >= nglobals_visible || in.imm.index >= v->nglobals) {
                wb_error_set(err, WB_ERR_INVALID, in.offset, where, "unknown global %u",
                             in.imm.index);
                return false;
            }
            const wb_globaltype *g = v->globals[in.imm.index];
            if (g->mutable_) {
                wb_error_set(err, WB_ERR_INVALID, in.offset, where,
                             "constant expression required (global %u is mutable)",
                             in.imm.index);
                return false;
            }
            last = g->type;
            break;
        }
        default:
            wb_error_set(err, WB_ERR_INVALID, in.offset, where,
                         "constant expression required (%s is not constant)", in.info->name);
            return false;
        }
        count++;
    }
typed:
    if (bad_ref) {
        wb_error_set(err, WB_ERR_INVALID, bad_ref_offset, where, "unknown function %u",
                     bad_ref_index);
        return false;
    }
    if (count != 1 || last != want) {
        if (count == 0)
            wb_error_set(err, WB_ERR_INVALID, last_offset, where,
                         "type mismatch: expected %s, the expression is empty", wb_vt_name(want));
        else if (count > 1)
            wb_error_set(err, WB_ERR_INVALID, last_offset, where,
                         "type mismatch: expected one %s, the expression leaves %llu values",
                         wb_vt_name(want), (unsigned long long)count);
        else
            wb_error_set(err, WB_ERR_INVALID, last_offset, where,
                         "type mismatch: expected %s, got %s", wb_vt_name(want), wb_vt_name(last));
        return false;
    }
    return true;
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
