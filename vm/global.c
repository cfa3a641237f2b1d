/* Globals created by the embedder (instantiation makes its own the same way). */
#include "objects.h"

#include <stdlib.h>

/* The value's slot, and a v128's high half (vm/README.md "SIMD (v128)"). */
static void set_value(wb_global *g, const wb_value *v)
{
    uint64_t slots[2] = {0, 0};
    (void)wb_value_put(v, slots);
    g->value = slots[0];
    g->hi = slots[1];
}

wb_global *wb_global_new(wb_store *store, wb_type type, bool mutable_, wb_value value)
{
    if (!wb_is_value_type((uint8_t)type) || value.type != type ||
        (type == WB_EXNREF && !wb_store_owns_exn(store, value.of.exn)))
        return NULL;
    wb_global *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->type = (wb_vt)type;
    g->mutable_ = mutable_;
    set_value(g, &value);
    if (!wb_store_track(store, WB_OBJ_GLOBAL, g))
        return NULL;
    return g;
}

wb_value wb_global_get(const wb_global *g)
{
    uint64_t slots[2] = {g->value, g->hi};
    return wb_value_take(g->type, slots);
}

bool wb_global_set(wb_global *g, wb_value value)
{
    if (!g->mutable_ || !wb_value_fits(&value, g->type))
        return false;
    if (value.type == WB_EXNREF && value.of.exn) /* a global knows no store to check it with */
        return false;
    set_value(g, &value);
    return true;
}
