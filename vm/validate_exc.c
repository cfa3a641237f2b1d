/* Function bodies, the exception-handling instructions (vm/README.md
 * "Exception handling"): the 3.0 ones (throw, throw_ref, try_table with its
 * catch clauses) and the legacy ones toolchains still emit (try, catch,
 * catch_all, delegate, rethrow). Called by check_instr (validate_code.c)
 * for these ops only; the typing follows the spec's validation rules,
 * with 3.0's subtyping (wb_vt_sub: a catch_ref's (ref exn) fits a label of
 * exnref, a tag's (ref $t) one of funcref).
 *
 * Legacy frames: `try` pushes a frame of kind WB_OP_TRY; `catch` and
 * `catch_all` end the body (or the previous catch) as `else` ends an if's
 * arm and push a frame of kind WB_OP_CATCH / WB_OP_CATCH_ALL, so `rethrow`
 * can see which labels are catches; `delegate` ends a WB_OP_TRY frame in
 * place of `end`. A try_table's frame is a plain block (WB_OP_BLOCK): its
 * catch clauses are branches to labels outside it. */
#include "validate_code.h"

#include <stdio.h>
#include <string.h>

/* "i32 i64" for n types (cut short past the buffer). */
static const char *type_list(const wb_vt *ts, size_t n, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && at + 12 < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "", wb_vt_name(ts[i]));
    return buf;
}

/* Pops ts as wb_vc_pop_n does; a mismatch is told as the reference
 * interpreter tells it (the spec tests of exception handling match the
 * whole text): "instruction requires [i32] but stack has [i64]", the
 * stack's part being as many of its top values as were required. */
static bool pop_n_told(wb_code_checker *c, const wb_vt *ts, uint32_t n)
{
    const wb_vc_frame *f = &c->ctrls[c->nctrls - 1];
    size_t avail = c->nvals - f->height;
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        size_t depth = n - i; /* 1 = top */
        if (depth > avail)
            ok = f->unreachable;
        else {
            wb_vt have = c->vals[c->nvals - depth];
            ok = have == ts[i] || have == WB_VT_UNKNOWN || wb_vt_sub(c->v->m, have, ts[i]);
        }
    }
    if (ok)
        return wb_vc_pop_n(c, ts, n);
    char want[128], have[128];
    size_t k = avail < n ? avail : n;
    return wb_vc_fail(c, "type mismatch: instruction requires [%s] but stack has [%s]",
                      type_list(ts, n, want, sizeof want),
                      type_list(c->vals + c->nvals - k, k, have, sizeof have));
}

/* wb_vc_pop_ctrl, told as above; values left over: "block requires [] but
 * stack has [i32]". */
static bool pop_ctrl_told(wb_code_checker *c, wb_vc_frame *out)
{
    const wb_vc_frame *f = &c->ctrls[c->nctrls - 1];
    size_t had = c->nvals - f->height; /* the whole stack is named below */
    if (!pop_n_told(c, wb_vc_results(f), f->nresults))
        return false;
    if (c->nvals != f->height) {
        /* pops only move nvals down: the values popped are still there */
        char want[128], have[128];
        return wb_vc_fail(c, "type mismatch: block requires [%s] but stack has [%s]",
                          type_list(wb_vc_results(f), f->nresults, want, sizeof want),
                          type_list(c->vals + f->height, had, have, sizeof have));
    }
    /* the results are back on for wb_vc_pop_ctrl, which pops them again */
    if (!wb_vc_push_n(c, wb_vc_results(f), f->nresults) || !wb_vc_pop_ctrl(c, out))
        return false;
    if (c->has_nondefault)
        wb_vc_undo_sets(c, out->set_height);
    return true;
}

/* The params of tag x, or false (with the error) when there is no tag x. */
static bool tag_params(wb_code_checker *c, uint32_t x, const wb_mtype **out)
{
    const wb_module *m = c->v->m;
    if (x >= wb_module_total_tags(m))
        return wb_vc_fail(c, "unknown tag %u", x);
    *out = &m->types[wb_module_tag_type_index(m, x)]; /* its type checked with the module */
    return true;
}

/* A catch clause of a try_table: its values (the tag's params, then a
 * (ref exn) for the _ref kinds) must match the label's types. */
static bool check_catch(wb_code_checker *c, const wb_catch *k)
{
    static const char *const names[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
    const wb_mtype *t = NULL;
    if (k->kind < WB_CATCH_ALL && !tag_params(c, k->tag, &t))
        return false;
    const wb_vc_frame *f = NULL;
    if (!wb_vc_label(c, k->label, &f))
        return false;
    uint32_t n;
    const wb_vt *ts;
    wb_vc_label_types(f, &n, &ts);
    uint32_t np = t ? t->nparams : 0;
    bool ref = k->kind == WB_CATCH_REF || k->kind == WB_CATCH_ALL_REF;
    bool same = n == np + ref;
    for (uint32_t i = 0; same && i < np; i++)
        same = wb_vt_sub(c->v->m, t->params[i], ts[i]);
    if (same && ref)
        same = wb_vt_sub(c->v->m, wb_vt_ref(false, WB_HEAP_EXN), ts[np]);
    if (!same)
        return wb_vc_fail(c, "type mismatch: %s to label %u: the label takes %u value(s) of other types "
                             "than the clause gives (%u%s)",
                          names[k->kind], k->label, n, np, ref ? " and a (ref exn)" : "");
    return true;
}

/* Ends the innermost try (or catch) frame for a next clause, checking its
 * results; the frame is returned in *out. */
static bool end_arm(wb_code_checker *c, const char *what, wb_vc_frame *out)
{
    wb_op kind = c->ctrls[c->nctrls - 1].kind;
    if (kind != WB_OP_TRY && kind != WB_OP_CATCH) /* validate_scan.c checked a try is open */
        return wb_vc_fail(c, "%s after catch_all or outside a try body: a try takes its catch "
                             "clauses first, then at most one catch_all",
                          what);
    return pop_ctrl_told(c, out);
}

bool wb_vc_check_exc(wb_code_checker *c, const wb_instr *in)
{
    const wb_mtype *t = NULL;
    wb_vc_frame f = {0};
    switch (in->info->op) {
    case WB_OP_THROW:
        if (!tag_params(c, in->imm.index, &t) || !pop_n_told(c, t->params, t->nparams))
            return false;
        wb_vc_set_unreachable(c);
        return true;

    case WB_OP_THROW_REF:
        if (!wb_vc_pop(c, WB_EXNREF))
            return false;
        wb_vc_set_unreachable(c);
        return true;

    case WB_OP_TRY_TABLE: {
        wb_vc_blocktype bt;
        if (!wb_vc_block_type(c, in->imm.try_table.block_type, &bt))
            return false;
        if (!wb_vc_pop_n(c, bt.p, bt.np))
            return false;
        /* the clauses' labels are outside the try_table: checked before its
         * frame is pushed */
        wb_reader it = in->imm.try_table.catches;
        for (uint32_t i = 0; i < in->imm.try_table.count; i++) {
            wb_catch k = wb_catch_next(&it);
            if (!check_catch(c, &k))
                return false;
        }
        return wb_vc_push_ctrl(c, WB_OP_BLOCK, bt.np, bt.p, bt.nr, bt.r, bt.results_key);
    }

    case WB_OP_TRY: {
        wb_vc_blocktype bt;
        if (!wb_vc_block_type(c, in->imm.block_type, &bt) || !wb_vc_pop_n(c, bt.p, bt.np))
            return false;
        return wb_vc_push_ctrl(c, WB_OP_TRY, bt.np, bt.p, bt.nr, bt.r, bt.results_key);
    }

    case WB_OP_CATCH:
        if (!tag_params(c, in->imm.index, &t) || !end_arm(c, "catch", &f))
            return false;
        /* the handler starts from the try's height with the tag's values */
        return wb_vc_push_ctrl(c, WB_OP_CATCH, 0, NULL, f.nresults, wb_vc_results(&f), f.label_key) &&
               wb_vc_push_n(c, t->params, t->nparams);

    case WB_OP_CATCH_ALL:
        if (!end_arm(c, "catch_all", &f))
            return false;
        return wb_vc_push_ctrl(c, WB_OP_CATCH_ALL, 0, NULL, f.nresults, wb_vc_results(&f),
                               f.label_key);

    case WB_OP_DELEGATE: {
        if (c->ctrls[c->nctrls - 1].kind != WB_OP_TRY)
            return wb_vc_fail(c, "delegate must end a try body (this try has catch clauses)");
        if (!pop_ctrl_told(c, &f))
            return false;
        /* its label counts from outside the try */
        const wb_vc_frame *l = NULL;
        if (!wb_vc_label(c, in->imm.index, &l))
            return false;
        return wb_vc_push_n(c, wb_vc_results(&f), f.nresults);
    }

    case WB_OP_RETHROW: {
        const wb_vc_frame *l = NULL;
        if (!wb_vc_label(c, in->imm.index, &l))
            return false;
        if (l->kind != WB_OP_CATCH && l->kind != WB_OP_CATCH_ALL)
            return wb_vc_fail(c, "invalid rethrow label %u: not a catch or catch_all clause",
                              in->imm.index);
        wb_vc_set_unreachable(c);
        return true;
    }

    default:
        return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "illegal opcode %s", in->info->name);
    }
}

bool wb_vc_end_exc(wb_code_checker *c)
{
    wb_vc_frame f = {0};
    return pop_ctrl_told(c, &f) && wb_vc_push_n(c, wb_vc_results(&f), f.nresults);
}
