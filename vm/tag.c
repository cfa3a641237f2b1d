/* Exception handling's objects (vm/README.md "Exception handling"): tags
 * (an instance's, or the host's wb_tag_new) and the exceptions thrown,
 * which exnref values point at. Both live until their store is freed; an
 * exception is charged to the store's memory budget, so a guest that
 * throws without end runs out of budget, never of host memory. */
#include "objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool wb_instance_alloc_tags(wb_instance *inst, const wb_extern *imports, wb_error *err)
{
    const wb_module *m = inst->module;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WB_KIND_TAG)
            inst->tags[k++] = imports[i].of.tag;
    if (!m->ntags)
        return true;
    /* one block for the defined tags, placed first so the instance frees it */
    wb_tag *block = calloc(m->ntags, sizeof *block);
    if (!block) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "instantiation", "out of memory for tags");
        return false;
    }
    for (uint32_t i = 0; i < m->ntags; i++, k++) {
        block[i].type = &m->types[m->tags[i]];
        block[i].type_id = inst->type_ids[m->tags[i]];
        block[i].instance = inst;
        block[i].index = k;
        inst->tags[k] = &block[i];
    }
    return true;
}

wb_tag *wb_tag_new(wb_store *store, const wb_functype *type)
{
    if (!store || !type || type->nresults != 0 || (type->nparams && !type->params))
        return NULL;
    for (uint32_t i = 0; i < type->nparams; i++)
        if (type->params[i] > 0xFF || !wb_is_value_type((uint8_t)type->params[i]))
            return NULL;
    wb_tag *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->host_type.nparams = type->nparams;
    t->host_type.params = malloc((type->nparams ? type->nparams : 1) * sizeof(wb_vt));
    if (!t->host_type.params) {
        free(t);
        return NULL;
    }
    for (uint32_t i = 0; i < type->nparams; i++)
        t->host_type.params[i] = (uint8_t)type->params[i];
    wb_mtype_count_slots(&t->host_type);
    t->type = &t->host_type;
    t->type_id = wb_store_intern_type(store, &t->host_type);
    if (t->type_id == UINT32_MAX) {
        wb_tag_release(t);
        return NULL;
    }
    if (!wb_store_track(store, WB_OBJ_TAG, t))
        return NULL;
    return t;
}

void wb_tag_release(wb_tag *t)
{
    free(t->host_type.params);
    free(t);
}

wb_exn *wb_exn_new(wb_store *s, wb_tag *tag, const uint64_t *slots)
{
    uint32_t n = tag->type->param_slots;
    size_t size = sizeof(wb_exn) + (size_t)n * sizeof(uint64_t);
    /* charged with what keeping it costs besides its bytes: the
     * allocator's header and the store's tracking entry */
    uint64_t bytes = (uint64_t)size + WB_EXN_OVERHEAD;
    if (!wb_store_charge(s, bytes))
        return NULL;
    wb_exn *e = malloc(size);
    if (!e) {
        wb_store_refund(s, bytes);
        return NULL;
    }
    e->tag = tag;
    e->nslots = n;
    if (n)
        memcpy(e->slots, slots, (size_t)n * sizeof *slots);
    if (!wb_store_track(s, WB_OBJ_EXN, e)) /* frees e */
        return NULL;
    return e;
}

void wb_tag_describe(const wb_tag *tag, char *buf, size_t len)
{
    if (!tag) {
        snprintf(buf, len, "(none)");
        return;
    }
    if (!tag->instance) {
        snprintf(buf, len, "(host)");
        return;
    }
    const wb_module *m = tag->instance->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wb_export *ex = &m->exports[i];
        if (ex->kind == WB_KIND_TAG && ex->index == tag->index) {
            snprintf(buf, len, "\"%.*s\"", (int)(ex->name_len < 100 ? ex->name_len : 100), ex->name);
            return;
        }
    }
    snprintf(buf, len, "index %u", tag->index);
}

void wb_store_set_exception(wb_store *s, wb_exn *exn)
{
    char name[128];
    wb_tag_describe(exn->tag, name, sizeof name);
    s->exn = exn;
    s->status = WB_EXCEPTION;
    snprintf(s->trap_message, sizeof s->trap_message, "uncaught exception: tag %s", name);
}

bool wb_store_exception(const wb_store *s, wb_tag **tag, wb_value *args, uint32_t max,
                        uint32_t *nargs)
{
    if (!s || s->status != WB_EXCEPTION || !s->exn)
        return false;
    const wb_exn *e = s->exn;
    const wb_mtype *t = e->tag->type;
    if (tag)
        *tag = e->tag;
    if (nargs)
        *nargs = t->nparams;
    for (uint32_t i = 0, k = 0; i < t->nparams && args; k += t->params[i] == WB_V128 ? 2 : 1, i++)
        if (i < max)
            args[i] = wb_value_take(t->params[i], e->slots + k);
    return true;
}

int wb_call_throw(wb_call *call, wb_tag *tag, const wb_value *args)
{
    wb_store *s = call->store;
    if (!tag || (tag->type->nparams && !args))
        return wb_call_trap(call, "wb_call_throw: no tag, or no values for its params");
    const wb_mtype *t = tag->type;
    uint64_t *slots = calloc(t->param_slots ? t->param_slots : 1, sizeof *slots);
    if (!slots)
        return wb_call_trap(call, "out of host memory for an exception");
    for (uint32_t i = 0, k = 0; i < t->nparams; i++) {
        if ((unsigned)args[i].type != t->params[i] ||
            (args[i].type == WB_EXNREF && args[i].of.exn != NULL)) {
            free(slots);
            return wb_call_trap(call, "wb_call_throw: a value is not of the tag's type (or a "
                                      "non-null exnref, which the host cannot make)");
        }
        k += wb_value_put(&args[i], slots + k);
    }
    wb_exn *e = wb_exn_new(s, tag, slots);
    free(slots);
    if (!e)
        return wb_call_trap(call, "out of memory for an exception (the store's memory limit)");
    s->exn = e;
    call->status = WB_EXCEPTION;
    return 1;
}

bool wb_store_owns_exn(const wb_store *s, const wb_exn *e)
{
    if (!e)
        return true; /* null */
    for (size_t i = s->nobjects; i-- > 0;) /* newest first: the usual case */
        if (s->object_kinds[i] == WB_OBJ_EXN && s->objects[i] == e)
            return true;
    return false;
}
