/* Globals created by the embedder (instantiation makes its own the same way). */
#include "objects.h"

#include <stdlib.h>

wb_global *wb_global_new(wb_store *store, wb_type type, bool mutable_, wb_value value)
{
    if (!wb_is_value_type((uint8_t)type) || value.type != type)
        return NULL;
    wb_global *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->type = (uint8_t)type;
    g->mutable_ = mutable_;
    g->value = wb_value_to_slot(&value);
    if (!wb_store_track(store, WB_OBJ_GLOBAL, g))
        return NULL;
    return g;
}

wb_value wb_global_get(const wb_global *g) { return wb_slot_to_value(g->type, g->value); }

bool wb_global_set(wb_global *g, wb_value value)
{
    if (!g->mutable_ || value.type != g->type)
        return false;
    g->value = wb_value_to_slot(&value);
    return true;
}
