/* The store: limits, fuel, interruption, last trap, the object registry that
 * frees everything at the end, and the canonical function types. */
#include "objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wb_limits wb_default_limits(void)
{
    /* Depth 10000 lets the spec's deep (but finite) recursions run and makes
     * runaway recursion end as "call stack exhausted" long before the host's
     * own stack could overflow; 8 MiB of slots is 1M values, plenty for that
     * depth. */
    wb_limits l = {
        .fuel = UINT64_MAX,
        .max_memory = (uint64_t)WB_MAX_PAGES * WB_PAGE_SIZE,
        .max_stack = (size_t)8 << 20,
        .max_call_depth = 10000,
    };
    return l;
}

wb_store *wb_store_new(const wb_limits *limits)
{
    wb_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->limits = limits ? *limits : wb_default_limits();
    s->fuel_left = s->limits.fuel;
    s->fuel_start = s->limits.fuel;
    atomic_init(&s->interrupt, 0);
    s->status = WB_OK;
    s->features = WB_FEATURES_3_0;
    return s;
}

bool wb_store_track(wb_store *s, enum wb_object_kind kind, void *obj)
{
    if (s->nobjects == s->cap_objects) {
        size_t cap = s->cap_objects ? s->cap_objects * 2 : 16;
        void **objs = realloc(s->objects, cap * sizeof *objs);
        if (objs)
            s->objects = objs;
        uint8_t *kinds = objs ? realloc(s->object_kinds, cap) : NULL;
        if (kinds)
            s->object_kinds = kinds;
        if (!objs || !kinds) {
            /* The caller gave up ownership: release it so nothing leaks. */
            switch (kind) {
            case WB_OBJ_MODULE: wb_module_release(obj); break;
            case WB_OBJ_INSTANCE: wb_instance_release(obj); break;
            case WB_OBJ_FUNC: wb_func_release(obj); break;
            case WB_OBJ_MEMORY: wb_memory_release(obj); break;
            case WB_OBJ_TABLE: wb_table_release(obj); break;
            case WB_OBJ_GLOBAL: free(obj); break;
            case WB_OBJ_TAG: wb_tag_release(obj); break;
            case WB_OBJ_EXN: free(obj); break;
            }
            return false;
        }
        s->cap_objects = cap;
    }
    s->objects[s->nobjects] = obj;
    s->object_kinds[s->nobjects] = (uint8_t)kind;
    s->nobjects++;
    return true;
}

void wb_store_free(wb_store *s)
{
    if (!s)
        return;
    /* Newest first: nothing released here reads another object, but the
     * order keeps instances going before the modules they point into. */
    for (size_t i = s->nobjects; i-- > 0;) {
        void *obj = s->objects[i];
        switch ((enum wb_object_kind)s->object_kinds[i]) {
        case WB_OBJ_MODULE: wb_module_release(obj); break;
        case WB_OBJ_INSTANCE: wb_instance_release(obj); break;
        case WB_OBJ_FUNC: wb_func_release(obj); break;
        case WB_OBJ_MEMORY: wb_memory_release(obj); break;
        case WB_OBJ_TABLE: wb_table_release(obj); break;
        case WB_OBJ_GLOBAL: free(obj); break;
        case WB_OBJ_TAG: wb_tag_release(obj); break;
        case WB_OBJ_EXN: free(obj); break;
        }
    }
    free(s->objects);
    free(s->object_kinds);
    for (uint32_t i = 0; i < s->ntypes; i++) {
        free(s->types[i].params);
        free(s->types[i].results);
        free(s->type_views[i]);
    }
    free(s->types);
    free(s->type_views);
    free(s->type_hash);
    free(s->stack);
    free(s);
}

/* ---- fuel, interruption, results of the last run ---- */

void wb_store_set_fuel(wb_store *s, uint64_t fuel)
{
    s->fuel_left = fuel;
    s->fuel_start = fuel;
}

uint64_t wb_store_fuel_left(const wb_store *s) { return s->fuel_left; }

uint64_t wb_store_fuel_used_now(const wb_store *s)
{
    uint64_t left = __atomic_load_n(&s->fuel_left, __ATOMIC_RELAXED);
    return s->fuel_start >= left ? s->fuel_start - left : 0;
}

uint64_t wb_store_fuel_used(const wb_store *s)
{
    return s->fuel_start >= s->fuel_left ? s->fuel_start - s->fuel_left : 0;
}

void wb_store_interrupt(wb_store *s) { atomic_store(&s->interrupt, 1); }
void wb_store_clear_interrupt(wb_store *s) { atomic_store(&s->interrupt, 0); }

const char *wb_store_trap_message(const wb_store *s) { return s->trap_message; }
int wb_store_exit_code(const wb_store *s) { return s->exit_code; }
uint64_t wb_store_peak_memory(const wb_store *s) { return s->peak_memory; }
void wb_store_set_translation(wb_store *s, wb_translation mode) { s->translation = mode; }
/* ---- the memory budget ---- */

void wb_store_on_budget_refusal(wb_store *s, wb_budget_fn fn, void *user)
{
    s->on_refusal = fn;
    s->on_refusal_user = user;
}

bool wb_store_charge(wb_store *s, uint64_t bytes)
{
    if (bytes > s->limits.max_memory || s->mem_used > s->limits.max_memory - bytes) {
        if (s->on_refusal)
            s->on_refusal(s->on_refusal_user, bytes, s->mem_used, s->limits.max_memory);
        return false;
    }
    s->mem_used += bytes;
    if (s->mem_used > s->peak_memory)
        s->peak_memory = s->mem_used;
    return true;
}

void wb_store_refund(wb_store *s, uint64_t bytes) { s->mem_used -= bytes; }

void wb_store_set_trap(wb_store *s, wb_status status, const char *message)
{
    s->status = status;
    if (!message)
        message = wb_status_message(status);
    /* wb_call_trap already copied the host's text into trap_message. */
    if (message != s->trap_message)
        snprintf(s->trap_message, sizeof s->trap_message, "%s", message);
    /* an access to memory N > 0 (between MEM_USE and MEM_USE0) names it */
    if (status == WB_TRAP_MEMORY_OOB && s->mem_in_use && message != s->trap_message)
        snprintf(s->trap_message, sizeof s->trap_message, "%s (memory %u)", message, s->mem_in_use);
    s->mem_in_use = 0;
}
