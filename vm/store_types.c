/* A module's types in a store, and value types at run time ("store value
 * types"): a typed reference's heap there is the store's canonical type id
 * (types.c), not a module's index, so objects of different modules compare
 * by one word (import matching, the embedder's checks). vm/README.md
 * "Value types and subtyping". */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

/* A reference inside a type to that type itself (a recursion group of
 * one): the same mark for every module, so such types canonicalise alike. */
#define HEAP_SELF (WB_HEAP_ABS | 0xFFu)

wb_vt wb_vt_in_store(const uint32_t *ids, uint32_t ntypes, wb_vt t)
{
    uint32_t h = wb_vt_type_index(t);
    if (h == UINT32_MAX || h >= ntypes)
        return t;
    return wb_vt_ref(wb_vt_nullable(t), ids[h]);
}

static bool has_typed(const wb_vt *ts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (ts[i] & WB_VT_REF)
            return true;
    return false;
}

/* The type's words with type indices as store ids (earlier types) or the
 * self mark; into buf (nparams + nresults words). */
static void translate(const uint32_t *ids, uint32_t i, const wb_mtype *t, wb_vt *buf)
{
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++) {
        wb_vt v = k < t->nparams ? t->params[k] : t->results[k - t->nparams];
        uint32_t h = wb_vt_type_index(v);
        if (h != UINT32_MAX && h <= i)
            v = wb_vt_ref(wb_vt_nullable(v), h == i ? HEAP_SELF : ids[h]);
        buf[k] = v;
    }
}

uint32_t *wb_store_module_types(wb_store *s, const wb_module *m)
{
    uint32_t *ids = malloc((m->ntypes ? m->ntypes : 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const wb_mtype *t = &m->types[i];
        if (!has_typed(t->params, t->nparams) && !has_typed(t->results, t->nresults)) {
            ids[i] = wb_store_intern_type(s, t);
        } else {
            size_t n = (size_t)t->nparams + t->nresults;
            wb_vt *buf = malloc((n ? n : 1) * sizeof *buf);
            if (!buf) {
                free(ids);
                return NULL;
            }
            translate(ids, i, t, buf);
            wb_mtype copy = *t;
            copy.params = buf;
            copy.results = buf + t->nparams;
            ids[i] = wb_store_intern_type(s, &copy);
            free(buf);
        }
        /* a store id must fit a value type's heap field */
        if (ids[i] == UINT32_MAX || ids[i] >= WB_HEAP_ABS) {
            free(ids);
            return NULL;
        }
    }
    return ids;
}

bool wb_store_vt_sub(wb_vt sub, wb_vt super)
{
    if (sub == super)
        return true;
    if (!wb_vt_is_ref(sub) || !wb_vt_is_ref(super))
        return false;
    if (wb_vt_nullable(sub) && !wb_vt_nullable(super))
        return false;
    uint32_t a = wb_vt_heap(sub), b = wb_vt_heap(super);
    if (a == b)
        return true;
    bool a_idx = !(a & WB_HEAP_ABS), b_idx = !(b & WB_HEAP_ABS);
    if (b == WB_HEAP_FUNC)
        return a_idx || a == WB_HEAP_NOFUNC;
    if (b == WB_HEAP_EXTERN)
        return a == WB_HEAP_NOEXTERN;
    if (b_idx)
        return a == WB_HEAP_NOFUNC;
    return false; /* two store ids: equal types have one id */
}

bool wb_value_fits(const wb_value *v, wb_vt t)
{
    if ((unsigned)v->type != (unsigned)wb_vt_public(t))
        return false;
    if (!(t & WB_VT_REF))
        return true;
    const void *p = v->type == WB_FUNCREF ? (const void *)v->of.func : v->of.ext;
    if (!p)
        return wb_vt_nullable(t);
    uint32_t h = wb_vt_heap(t);
    if (h & WB_HEAP_ABS)
        return h == WB_HEAP_FUNC || h == WB_HEAP_EXTERN; /* nofunc / noextern hold only null */
    return v->of.func->type_id == h;
}
