/* Calling a function from the embedder: check the arguments against the
 * type, move them into slots, run, move the results out. */
#include "objects.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void wb_func_release(wb_func *f)
{
    free(f->host_type.params);
    free(f->host_type.results);
    free(f);
}

void wb_func_type(const wb_func *f, wb_functype *out) { wb_functype_from(f->type, f->type_view, out); }

static wb_status bad_call(wb_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static wb_status bad_call(wb_store *s, const char *fmt, ...)
{
    char msg[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wb_store_set_trap(s, WB_BAD_CALL, msg);
    return WB_BAD_CALL;
}

wb_status wb_func_call(wb_store *s, wb_func *f, const wb_value *args, uint32_t nargs,
                       wb_value *results, uint32_t nresults)
{
    if (!f)
        return bad_call(s, "bad call: no function");
    const wb_mtype *t = f->type;
    if (nargs != t->nparams)
        return bad_call(s, "bad call: %u arguments given, the function takes %u", nargs, t->nparams);
    if (nresults != t->nresults)
        return bad_call(s, "bad call: room for %u results, the function returns %u", nresults,
                        t->nresults);
    if ((nargs && !args) || (nresults && !results))
        return bad_call(s, "bad call: missing argument or result array");
    for (uint32_t i = 0; i < nargs; i++) {
        wb_vt want = t->params[i];
        if (f->instance) /* a typed reference's type index, as the store's id */
            want = wb_vt_in_store(f->instance->type_ids, f->instance->module->ntypes, want);
        if (!wb_value_fits(&args[i], want))
            return bad_call(s, "bad call: argument %u has type 0x%x, not the function's%s", i,
                            (unsigned)args[i].type,
                            (unsigned)args[i].type == (unsigned)wb_vt_public(want)
                                ? " (a null or a function of another type for a typed reference)"
                                : "");
        if (args[i].type == WB_EXNREF && !wb_store_owns_exn(s, args[i].of.exn))
            return bad_call(s, "bad call: argument %u is an exnref of no exception of this store",
                            i);
    }

    if (s->nesting >= WB_MAX_NESTING) {
        wb_store_set_trap(s, WB_TRAP_STACK_EXHAUSTED, NULL);
        return WB_TRAP_STACK_EXHAUSTED;
    }

    uint32_t nslots = t->param_slots > t->result_slots ? t->param_slots : t->result_slots;
    uint64_t small[16];
    uint64_t *slots = small;
    if (nslots > 16) {
        slots = malloc((size_t)nslots * sizeof *slots);
        if (!slots) {
            wb_store_set_trap(s, WB_TRAP_HOST, "out of host memory for the call's arguments");
            return WB_TRAP_HOST;
        }
    }
    for (uint32_t i = 0, k = 0; i < nargs; i++)
        k += wb_value_put(&args[i], slots + k);

    if (s->nesting == 0)
        s->ntrap_frames = 0;
    s->nesting++;
    wb_status st = wb_interp_invoke(s, f, slots);
    s->nesting--;
    if (st == WB_OK) {
        s->status = WB_OK;
        for (uint32_t i = 0, k = 0; i < nresults; k += t->results[i] == WB_V128 ? 2 : 1, i++)
            results[i] = wb_value_take(t->results[i], slots + k);
    }
    if (slots != small)
        free(slots);
    return st;
}
