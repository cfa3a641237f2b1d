/* Tables of references: slots holding wb_func * (funcref) or the host's
 * pointer (externref), 0 being null. Each table is capped at
 * WB_MAX_TABLE_ELEMS, and every element costs the store's memory budget
 * WB_TABLE_ELEM_BYTES, so many tables cannot add up to more than linear
 * memory may (the spec lets table.grow fail). */
#include "objects.h"

#include <stdlib.h>

wb_alloc_result wb_table_create(wb_store *s, wb_vt elem_type, uint32_t min, uint32_t max,
                                bool has_max, uint64_t init, wb_table **out)
{
    *out = NULL;
    if (!has_max)
        max = UINT32_MAX;
    uint64_t bytes = (uint64_t)min * WB_TABLE_ELEM_BYTES;
    if (min > max || min > WB_MAX_TABLE_ELEMS || !wb_store_charge(s, bytes))
        return WB_ALLOC_LIMIT;
    wb_table *t = calloc(1, sizeof *t);
    if (!t) {
        wb_store_refund(s, bytes);
        return WB_ALLOC_NOMEM;
    }
    t->elem_type = elem_type;
    t->size = min;
    t->max = max;
    t->has_max = has_max;
    t->max_declared = max;
    t->store = s;
    t->elems = calloc(min ? min : 1, sizeof *t->elems);
    if (!t->elems) {
        wb_store_refund(s, bytes);
        free(t);
        return WB_ALLOC_NOMEM;
    }
    for (uint32_t i = 0; init && i < min; i++)
        t->elems[i] = init;
    if (!wb_store_track(s, WB_OBJ_TABLE, t)) {
        wb_store_refund(s, bytes);
        return WB_ALLOC_NOMEM;
    }
    *out = t;
    return WB_ALLOC_OK;
}

void wb_table_release(wb_table *t)
{
    free(t->elems);
    free(t);
}

wb_table *wb_table_new(wb_store *store, wb_type elem_type, uint32_t min, uint32_t max,
                       bool has_max, wb_value init)
{
    if ((elem_type != WB_FUNCREF && elem_type != WB_EXTERNREF) || init.type != elem_type)
        return NULL;
    wb_table *t;
    if (wb_table_create(store, (wb_vt)elem_type, min, max, has_max, wb_value_to_slot(&init), &t) !=
        WB_ALLOC_OK)
        return NULL;
    return t;
}

/* A 64-bit table (table64) from the host: its maximum a u64 (UINT64_MAX
 * none), capped like any table's at WB_MAX_TABLE_ELEMS elements. */
wb_table *wb_table_new64(wb_store *store, wb_type elem_type, uint64_t min, uint64_t max,
                         wb_value init)
{
    if (min > UINT32_MAX)
        return NULL;
    bool has_max = max != UINT64_MAX;
    wb_table *t = wb_table_new(store, elem_type, (uint32_t)min,
                               max > UINT32_MAX ? UINT32_MAX : (uint32_t)max, has_max, init);
    if (t) {
        t->is64 = true;
        t->max_declared = has_max ? max : t->max;
    }
    return t;
}

bool wb_table_is64(const wb_table *t) { return t->is64; }

uint32_t wb_table_size(const wb_table *t) { return t->size; }

bool wb_table_get(const wb_table *t, uint32_t index, wb_value *out)
{
    if (index >= t->size)
        return false;
    *out = wb_slot_to_value(t->elem_type, t->elems[index]);
    return true;
}

bool wb_table_set(wb_table *t, uint32_t index, wb_value value)
{
    if (index >= t->size || !wb_value_fits(&value, t->elem_type))
        return false;
    if (value.type == WB_EXNREF && !wb_store_owns_exn(t->store, value.of.exn))
        return false;
    t->elems[index] = wb_value_to_slot(&value);
    return true;
}

int64_t wb_op_table_grow(wb_table *t, uint32_t delta, uint64_t init)
{
    uint32_t old = t->size;
    if (delta == 0)
        return old;
    if (delta > t->max - old || delta > WB_MAX_TABLE_ELEMS - old)
        return -1;
    uint64_t bytes = (uint64_t)delta * WB_TABLE_ELEM_BYTES;
    if (!wb_store_charge(t->store, bytes))
        return -1;
    uint32_t size = old + delta;
    uint64_t *elems = realloc(t->elems, (size_t)size * sizeof *elems);
    if (!elems) {
        wb_store_refund(t->store, bytes);
        return -1;
    }
    for (uint32_t i = old; i < size; i++)
        elems[i] = init;
    t->elems = elems;
    t->size = size;
    return old;
}
