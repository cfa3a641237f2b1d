/* Unwinding (vm/README.md "Exception handling"): where a thrown exception
 * is caught. Runs only when something is thrown, so code that never
 * throws pays nothing: the translator writes each function's handlers in a
 * table (compiled.h wb_exc_table) and the interpreter keeps no handler
 * stack. The walk is the trap walk's (trap_frames.c): the function holding
 * pc, then the frame records, each frame's instance from the record (tags
 * are the instance's, so one module's code can catch different tags in
 * different instances). */
#include "compiled.h"
#include "instr.h"
#include "runtime.h"

#include <string.h>

/* The first clause of region r or its outer ones (delegates followed) that
 * catches exn; NULL when none does. */
static const wb_exc_catch *find_catch(const wb_exc_table *x, uint32_t r, const wb_instance *inst,
                                      const wb_exn *exn)
{
    uint32_t steps = 0; /* regions nest, so a walk is at most their number; bound it anyway */
    while (r != WB_EXC_NONE && r < x->nregions && steps++ <= x->nregions) {
        const wb_exc_region *reg = &x->regions[r];
        if (reg->is_delegate) {
            r = reg->delegate;
            continue;
        }
        for (uint32_t i = 0; i < x->ncatches; i++) {
            const wb_exc_catch *k = &x->catches[i];
            if (k->region != r)
                continue;
            if (k->kind == WB_CATCH_ALL || k->kind == WB_CATCH_ALL_REF || inst->tags[k->tag] == exn->tag)
                return k;
        }
        r = reg->parent;
    }
    return NULL;
}

/* The innermost region holding cell, or WB_EXC_NONE: regions are listed as
 * they open, so the last one holding it. */
static uint32_t region_of(const wb_exc_table *x, uint32_t cell)
{
    for (uint32_t r = x->nregions; r-- > 0;)
        if (x->regions[r].start <= cell && cell < x->regions[r].end)
            return r;
    return WB_EXC_NONE;
}

bool wb_exc_unwind(const wb_store *s, const wb_exn *exn, struct wb_unwind *at, const void *exit)
{
    uintptr_t a = (uintptr_t)at->pc;
    uint64_t *fp = at->fp;
    wb_instance *inst = at->inst;
    uint32_t depth = at->depth;
    for (;;) {
        const wb_module *m = NULL;
        const struct wb_compiled *c = wb_find_code(s, a, &m);
        if (!c)
            return false;
        if (c->exc) {
            uint32_t cell = (uint32_t)((a - (uintptr_t)c->code) / sizeof(wb_cell));
            const wb_exc_catch *k = find_catch(c->exc, region_of(c->exc, cell), inst, exn);
            if (k) {
                if (k->kind == WB_CATCH || k->kind == WB_CATCH_REF)
                    memcpy(fp + k->dst, exn->slots, (size_t)exn->nslots * sizeof *fp);
                if (k->exn_slot != WB_EXC_NONE)
                    fp[k->exn_slot] = (uintptr_t)exn;
                at->pc = c->code + k->target;
                at->fp = fp;
                at->inst = inst;
                at->depth = depth;
                at->rec = fp + c->rec;
                return true;
            }
        }
        /* to the caller, at its call instruction */
        const uint64_t *rec = fp + c->rec;
        uintptr_t ret = (uintptr_t)rec[0];
        if (ret == (uintptr_t)exit)
            return false;
        a = ret - WB_CALL_CELLS * sizeof(wb_cell);
        fp = (uint64_t *)(uintptr_t)rec[1];
        inst = (wb_instance *)(uintptr_t)rec[2];
        depth--;
    }
}
