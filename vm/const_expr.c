/* Evaluating constant expressions (global initializers, segment offsets,
 * element items) at instantiation, with the extended-constant arithmetic
 * (i32/i64 add, sub, mul, wrapping) and v128.const. The validator already
 * checked them, so this only computes; it still refuses anything unexpected
 * rather than trusting blindly. The value stack holds at most one value per
 * two bytes of expression (every push is an opcode and an immediate): a
 * small one on the C stack, a larger one allocated for the rare long
 * expression. A v128's high half is kept beside its low half (hi). */
#include "instr.h"
#include "objects.h"

#include <stdlib.h>
#include <string.h>

#define CONST_STACK 16

static bool eval(const wb_instance *inst, uint32_t globals_ready, wb_reader r, uint64_t *stack,
                 uint64_t *hi, size_t cap, uint64_t *out, uint64_t *out_hi)
{
    const wb_module *m = inst->module;
    size_t sp = 0;
    for (;;) {
        wb_instr in;
        if (!wb_read_instr(&r, &in))
            return false;
        wb_op op = in.info->op;
        if (op == WB_OP_END)
            break;
        if (op == WB_OP_I32_ADD || op == WB_OP_I32_SUB || op == WB_OP_I32_MUL ||
            op == WB_OP_I64_ADD || op == WB_OP_I64_SUB || op == WB_OP_I64_MUL) {
            if (sp < 2)
                return false;
            uint64_t b = stack[--sp], a = stack[sp - 1], v;
            switch (op) {
            case WB_OP_I32_ADD: v = (uint32_t)(a + b); break;
            case WB_OP_I32_SUB: v = (uint32_t)(a - b); break;
            case WB_OP_I32_MUL: v = (uint32_t)((uint32_t)a * (uint32_t)b); break;
            case WB_OP_I64_ADD: v = a + b; break;
            case WB_OP_I64_SUB: v = a - b; break;
            default: v = a * b; break;
            }
            stack[sp - 1] = v;
            hi[sp - 1] = 0;
            continue;
        }
        if (sp == cap)
            return false;
        hi[sp] = 0;
        switch (op) {
        case WB_OP_I32_CONST: stack[sp++] = (uint32_t)in.imm.i32; break;
        case WB_OP_I64_CONST: stack[sp++] = (uint64_t)in.imm.i64; break;
        case WB_OP_F32_CONST: stack[sp++] = in.imm.f32_bits; break;
        case WB_OP_F64_CONST: stack[sp++] = in.imm.f64_bits; break;
        case WB_OP_REF_NULL: stack[sp++] = 0; break;
        case WB_OP_REF_FUNC:
            if (in.imm.index >= wb_module_total_funcs(m))
                return false;
            stack[sp++] = (uint64_t)(uintptr_t)inst->funcs[in.imm.index];
            break;
        case WB_OP_GLOBAL_GET:
            if (in.imm.index >= globals_ready)
                return false;
            hi[sp] = inst->globals[in.imm.index]->hi;
            stack[sp++] = inst->globals[in.imm.index]->value;
            break;
        case WB_OP_V128_CONST:
            memcpy(&stack[sp], in.imm.v128, 8);
            memcpy(&hi[sp++], in.imm.v128 + 8, 8);
            break;
        default:
            return false;
        }
    }
    if (sp != 1)
        return false;
    *out = stack[0];
    if (out_hi)
        *out_hi = hi[0];
    return true;
}

bool wb_eval_const(const wb_instance *inst, uint32_t globals_ready, wb_expr expr, uint64_t *out,
                   uint64_t *out_hi)
{
    const wb_module *m = inst->module;
    if (expr.offset > m->len || expr.len > m->len - expr.offset)
        return false;
    wb_reader r = {.base = m->bytes, .p = m->bytes + expr.offset,
                   .end = m->bytes + expr.offset + expr.len, .error = NULL};
    uint64_t small[CONST_STACK], small_hi[CONST_STACK];
    size_t cap = expr.len / 2 + 1;
    if (cap <= CONST_STACK)
        return eval(inst, globals_ready, r, small, small_hi, CONST_STACK, out, out_hi);
    uint64_t *stack = malloc(2 * cap * sizeof *stack);
    if (!stack)
        return false;
    bool ok = eval(inst, globals_ready, r, stack, stack + cap, cap, out, out_hi);
    free(stack);
    return ok;
}
