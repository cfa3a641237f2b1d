/* The spec algorithm's two stacks for one function body: operands (value
 * types, WB_VT_UNKNOWN for the polymorphic bottom) and control frames. Both
 * live on the heap and grow as needed, capped by limits.h (WB_MAX_OPERANDS,
 * WB_MAX_BLOCK_DEPTH: a WB_ERR_LIMIT). */
#include "validate_code.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

bool wb_vc_fail_kind(wb_code_checker *c, wb_error_kind kind, const char *fmt, ...)
{
    char reason[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    wb_error_set(c->err, kind, c->off, c->where, "%s", reason);
    return false;
}

/* ---- operand stack ---- */

/* Makes room for `extra` more operands. */
bool wb_vc_reserve(wb_code_checker *c, size_t extra)
{
    if (extra <= c->capvals - c->nvals)
        return true;
    if (extra > WB_VALIDATE_MAX_OPERANDS - c->nvals)
        return wb_vc_fail_kind(c, WB_ERR_LIMIT, "operand stack deeper than %u values",
                               WB_VALIDATE_MAX_OPERANDS);
    size_t cap = c->capvals ? c->capvals : 256;
    while (cap - c->nvals < extra)
        cap *= 2;
    if (cap > WB_VALIDATE_MAX_OPERANDS)
        cap = WB_VALIDATE_MAX_OPERANDS;
    wb_vt *p = realloc(c->vals, cap * sizeof *p);
    if (!p)
        return wb_vc_fail_kind(c, WB_ERR_NOMEM, "out of memory");
    c->vals = p;
    c->capvals = cap;
    return true;
}

bool wb_vc_push(wb_code_checker *c, wb_vt t)
{
    if (c->nvals == c->capvals && !wb_vc_reserve(c, 1))
        return false;
    c->vals[c->nvals++] = t;
    return true;
}

bool wb_vc_push_n(wb_code_checker *c, const wb_vt *ts, uint32_t n)
{
    if (n == 0)
        return true;
    if (!wb_vc_reserve(c, n))
        return false;
    memcpy(c->vals + c->nvals, ts, n * sizeof *ts);
    c->nvals += n;
    return true;
}

/* Pops one operand that must match `want` (WB_VT_UNKNOWN: any); *got is what
 * was popped (WB_VT_UNKNOWN from the polymorphic stack). */
bool wb_vc_pop_expect(wb_code_checker *c, wb_vt want, wb_vt *got)
{
    wb_vc_frame *f = &c->ctrls[c->nctrls - 1];
    if (c->nvals == f->height) {
        if (f->unreachable) {
            *got = WB_VT_UNKNOWN;
            return true;
        }
        if (want == WB_VT_UNKNOWN)
            return wb_vc_fail(c, "type mismatch: expected a value, the stack is empty");
        return wb_vc_fail(c, "type mismatch: expected %s, the stack is empty", wb_vt_name(want));
    }
    wb_vt t = c->vals[--c->nvals];
    if (want != WB_VT_UNKNOWN && t != WB_VT_UNKNOWN && t != want && !wb_vt_sub(c->v->m, t, want))
        return wb_vc_fail(c, "type mismatch: expected %s, got %s", wb_vt_name(want), wb_vt_name(t));
    *got = t;
    return true;
}

bool wb_vc_pop(wb_code_checker *c, wb_vt want)
{
    wb_vt got = 0;
    return wb_vc_pop_expect(c, want, &got);
}

/* Pops ts (the last one first). Fast paths: the exact types on top; and once
 * only the unknown bottom of an unreachable frame is left, the rest would all
 * pop as unknown. The cost of an instruction is still the arity of its type
 * or label in the worst case (as in the spec's algorithm). */
bool wb_vc_pop_n(wb_code_checker *c, const wb_vt *ts, uint32_t n)
{
    if (n == 0)
        return true;
    /* common case first: exactly these types on top (one memcmp) */
    const wb_vc_frame *top = &c->ctrls[c->nctrls - 1];
    if (n <= c->nvals - top->height && memcmp(c->vals + c->nvals - n, ts, n * sizeof *ts) == 0) {
        c->nvals -= n;
        return true;
    }
    for (uint32_t i = n; i-- > 0;) {
        wb_vc_frame *f = &c->ctrls[c->nctrls - 1];
        if (c->nvals == f->height && f->unreachable)
            return true;
        if (!wb_vc_pop(c, ts[i]))
            return false;
    }
    return true;
}

/* ---- control stack ---- */

bool wb_vc_push_ctrl(wb_code_checker *c, wb_op kind, uint32_t np, const wb_vt *p, uint32_t nr,
                     const wb_vt *r, uint32_t label_key)
{
    /* the function's own frame is not a block: it is ctrls[0] */
    if (c->nctrls > WB_MAX_BLOCK_DEPTH)
        return wb_vc_fail_kind(c, WB_ERR_LIMIT,
                               "too many nested blocks: %zu (implementation limit %u)",
                               c->nctrls, WB_MAX_BLOCK_DEPTH);
    if (c->nctrls == c->capctrls) {
        size_t cap = c->capctrls ? c->capctrls * 2 : 32;
        wb_vc_frame *f = realloc(c->ctrls, cap * sizeof *f);
        if (!f)
            return wb_vc_fail_kind(c, WB_ERR_NOMEM, "out of memory");
        c->ctrls = f;
        c->capctrls = cap;
    }
    c->ctrls[c->nctrls++] = (wb_vc_frame){
        .kind = kind,
        .unreachable = false,
        .nparams = np,
        .nresults = nr,
        .params = p,
        .results = r,
        .height = c->nvals,
        .label_key = label_key,
        .set_height = c->nset_log,
    };
    /* one typed reference result (a block type's, or a frame's copied at
     * else): kept in the frame, no array outlives it */
    if (nr == 1 && (*r & WB_VT_REF)) {
        wb_vc_frame *f = &c->ctrls[c->nctrls - 1];
        f->single_result = *r;
        f->results = NULL;
    }
    return wb_vc_push_n(c, p, np);
}

/* Pops the innermost frame's results and checks nothing else is left. */
bool wb_vc_pop_ctrl(wb_code_checker *c, wb_vc_frame *out)
{
    wb_vc_frame f = c->ctrls[c->nctrls - 1];
    if (!wb_vc_pop_n(c, wb_vc_results(&f), f.nresults))
        return false;
    if (c->nvals != f.height)
        return wb_vc_fail(c,
                          "type mismatch: %zu value(s) left on the stack at the end of the block",
                          c->nvals - f.height);
    c->nctrls--;
    *out = f;
    return true;
}

void wb_vc_set_unreachable(wb_code_checker *c)
{
    wb_vc_frame *f = &c->ctrls[c->nctrls - 1];
    c->nvals = f->height;
    f->unreachable = true;
}

void wb_vc_label_types(const wb_vc_frame *f, uint32_t *n, const wb_vt **ts)
{
    if (f->kind == WB_OP_LOOP) {
        *n = f->nparams;
        *ts = f->params;
    } else {
        *n = f->nresults;
        *ts = wb_vc_results(f);
    }
}

bool wb_vc_label(wb_code_checker *c, uint32_t depth, const wb_vc_frame **out)
{
    if (depth >= c->nctrls)
        return wb_vc_fail(c, "unknown label %u", depth);
    *out = &c->ctrls[c->nctrls - 1 - depth];
    return true;
}
