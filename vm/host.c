/* Host functions: creating them, and the bridge the interpreter uses to call
 * one (slots in, typed values to the host, slots back). */
#include "objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wb_func *wb_func_new_host(wb_store *store, const wb_functype *type, wb_host_fn fn, void *user)
{
    if (!store || !type || !fn)
        return NULL;
    if ((type->nparams && !type->params) || (type->nresults && !type->results))
        return NULL;
    for (uint32_t i = 0; i < type->nparams; i++)
        if (!wb_is_value_type((uint8_t)type->params[i]) || type->params[i] > 0xFF)
            return NULL;
    for (uint32_t i = 0; i < type->nresults; i++)
        if (!wb_is_value_type((uint8_t)type->results[i]) || type->results[i] > 0xFF)
            return NULL;

    wb_func *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->host_type.nparams = type->nparams;
    f->host_type.nresults = type->nresults;
    f->host_type.params = malloc((type->nparams ? type->nparams : 1) * sizeof(wb_vt));
    f->host_type.results = malloc((type->nresults ? type->nresults : 1) * sizeof(wb_vt));
    if (!f->host_type.params || !f->host_type.results) {
        wb_func_release(f);
        return NULL;
    }
    for (uint32_t i = 0; i < type->nparams; i++)
        f->host_type.params[i] = (uint8_t)type->params[i];
    for (uint32_t i = 0; i < type->nresults; i++)
        f->host_type.results[i] = (uint8_t)type->results[i];
    wb_mtype_count_slots(&f->host_type);
    f->type = &f->host_type;
    f->host = fn;
    f->user = user;
    f->type_id = wb_store_intern_type(store, &f->host_type);
    if (f->type_id == UINT32_MAX) {
        wb_func_release(f);
        return NULL;
    }
    f->type_view = wb_store_type_view(store, f->type_id);
    if (!wb_store_track(store, WB_OBJ_FUNC, f))
        return NULL;
    return f;
}

wb_store *wb_call_store(wb_call *call) { return call->store; }

wb_memory *wb_call_memory(wb_call *call) { return call->caller ? call->caller->mem0 : NULL; }

uint64_t wb_call_sequence(const wb_call *call) { return call->sequence; }

int wb_call_trap(wb_call *call, const char *message)
{
    /* Copied now: the host may free its text as soon as we return. A host
     * passing on the store's own message (a nested call's trap) needs no copy,
     * and an overlapping snprintf would be undefined. */
    if (message != call->store->trap_message)
        snprintf(call->store->trap_message, sizeof call->store->trap_message, "%s",
                 message ? message : wb_status_message(WB_TRAP_HOST));
    call->status = WB_TRAP_HOST;
    return 1;
}

int wb_call_exit(wb_call *call, int code)
{
    call->store->exit_code = code;
    snprintf(call->store->trap_message, sizeof call->store->trap_message, "exit with code %d", code);
    call->status = WB_EXIT;
    return 1;
}

static wb_status host_failed(wb_store *s, wb_status st, const char *message)
{
    wb_store_set_trap(s, st, message);
    return st;
}

wb_status wb_call_host(wb_store *s, wb_func *f, wb_instance *caller, uint64_t *slots)
{
    const wb_mtype *t = f->type;
    wb_value small[16];
    size_t n = (size_t)t->nparams + t->nresults;
    wb_value *vals = n <= 16 ? small : malloc(n * sizeof *vals);
    if (!vals)
        return host_failed(s, WB_TRAP_HOST, "out of host memory for a host call");
    wb_value *args = vals, *results = vals + t->nparams;
    /* a v128 takes two slots (vm/README.md "SIMD (v128)") */
    for (uint32_t i = 0, k = 0; i < t->nparams; k += t->params[i] == WB_V128 ? 2 : 1, i++)
        args[i] = wb_value_take(t->params[i], slots + k);
    for (uint32_t i = 0; i < t->nresults; i++)
        results[i] = wb_slot_to_value(t->results[i], 0);

    wb_call call = {.store = s, .caller = caller, .status = WB_OK, .sequence = ++s->host_calls};
    wb_status st = WB_OK;
    if (f->host(&call, f->user, args, results) != 0) {
        st = call.status;
        if (st == WB_TRAP_HOST || st == WB_EXIT)
            wb_store_set_trap(s, st, s->trap_message); /* text set by wb_call_trap/exit */
        else if (st == WB_EXCEPTION && s->exn)
            ; /* wb_call_throw: s->exn goes to the caller's handlers (interp_exc.c) */
        else
            st = host_failed(s, WB_TRAP_HOST, "host function failed without saying why");
    } else {
        uint32_t k = 0;
        for (uint32_t i = 0; i < t->nresults && st == WB_OK; i++) {
            /* A wrongly typed result would break the guest's typing: refuse it. */
            if (!wb_value_fits(&results[i], t->results[i]) ||
                (results[i].type == WB_EXNREF && !wb_store_owns_exn(s, results[i].of.exn)))
                st = host_failed(s, WB_TRAP_HOST, "host function returned a result of the wrong type");
            else
                k += wb_value_put(&results[i], slots + k);
        }
    }
    if (vals != small)
        free(vals);
    return st;
}
