/* A module's types in a store, and value types at run time ("store value
 * types"): a typed reference's heap there is the store's canonical type id
 * (types.c), not a module's index, so objects of different modules compare
 * by one word (import matching, the embedder's checks). vm/README.md
 * "Value types and subtyping". */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

wb_vt wb_vt_in_store(const uint32_t *ids, uint32_t ntypes, wb_vt t)
{
    uint32_t h = wb_vt_type_index(t);
    if (h == UINT32_MAX || h >= ntypes)
        return t;
    return wb_vt_ref(wb_vt_nullable(t), ids[h]);
}

/* Type k's words as seen from its group [s, e): indices inside as rec.N,
 * earlier ones as their store ids; into buf (nparams + nresults words). */
static void translate(const uint32_t *ids, uint32_t s, uint32_t e, const wb_mtype *t, wb_vt *buf)
{
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++) {
        wb_vt v = k < t->nparams ? t->params[k] : t->results[k - t->nparams];
        uint32_t h = wb_vt_type_index(v);
        if (h != UINT32_MAX && h < e)
            v = wb_vt_ref(wb_vt_nullable(v), h >= s ? WB_HEAP_REC(h - s) : ids[h]);
        buf[k] = v;
    }
}

static bool has_typed(const wb_vt *ts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (ts[i] & WB_VT_REF)
            return true;
    return false;
}

/* The group [s, e) as one store entry (its id names the group in its
 * members' rec_group): every member's words, each member led by its counts;
 * rec_group UINT32_MAX marks it as no function's type. */
static uint32_t intern_group(wb_store *st, const wb_module *m, const uint32_t *ids, uint32_t s,
                             uint32_t e)
{
    size_t n = 0;
    for (uint32_t i = s; i < e; i++)
        n += 2 + (size_t)m->types[i].nparams + m->types[i].nresults;
    if (n > UINT32_MAX)
        return UINT32_MAX;
    wb_vt *buf = malloc(n * sizeof *buf);
    if (!buf)
        return UINT32_MAX;
    size_t k = 0;
    for (uint32_t i = s; i < e; i++) {
        const wb_mtype *t = &m->types[i];
        buf[k++] = t->nparams;
        buf[k++] = t->nresults;
        translate(ids, s, e, t, buf + k);
        k += (size_t)t->nparams + t->nresults;
    }
    wb_mtype g = {.nparams = (uint32_t)n, .params = buf, .results = buf, .rec_group = UINT32_MAX};
    uint32_t id = wb_store_intern_type(st, &g);
    free(buf);
    return id;
}

uint32_t *wb_store_module_types(wb_store *st, const wb_module *m)
{
    uint32_t *ids = malloc((m->ntypes ? m->ntypes : 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (uint32_t s = 0, e; s < m->ntypes; s = e) {
        for (e = s + 1; e < m->ntypes && m->type_group && m->type_group[e] == s;)
            e++;
        uint32_t gid = e - s > 1 ? intern_group(st, m, ids, s, e) : 0;
        if (gid == UINT32_MAX) {
            free(ids);
            return NULL;
        }
        for (uint32_t i = s; i < e; i++) {
            const wb_mtype *t = &m->types[i];
            if (e - s == 1 && !has_typed(t->params, t->nparams) && !has_typed(t->results, t->nresults)) {
                ids[i] = wb_store_intern_type(st, t);
            } else {
                size_t n = (size_t)t->nparams + t->nresults;
                wb_vt *buf = malloc((n ? n : 1) * sizeof *buf);
                if (!buf) {
                    free(ids);
                    return NULL;
                }
                translate(ids, s, e, t, buf);
                wb_mtype copy = *t;
                copy.params = buf;
                copy.results = buf + t->nparams;
                copy.rec_group = e - s > 1 ? gid + 1 : 0;
                copy.rec_pos = i - s;
                ids[i] = wb_store_intern_type(st, &copy);
                free(buf);
            }
            /* a store id must fit a value type's heap field, below rec.N */
            if (ids[i] == UINT32_MAX || ids[i] > WB_MAX_TYPES) {
                free(ids);
                return NULL;
            }
        }
    }
    return ids;
}

bool wb_store_vt_sub(wb_vt sub, wb_vt super)
{
    if (sub == super)
        return true;
    if (!wb_vt_ref_sub_shape(sub, super))
        return false;
    /* two different store ids never match: equal types have one id */
    uint32_t a = wb_vt_heap(sub), b = wb_vt_heap(super);
    return a == b || wb_heap_sub_abstract(a, b);
}

bool wb_value_fits(const wb_value *v, wb_vt t)
{
    if ((unsigned)v->type != (unsigned)wb_vt_public(t))
        return false;
    if (!(t & WB_VT_REF))
        return true;
    const void *p = v->type == WB_FUNCREF  ? (const void *)v->of.func
                    : v->type == WB_EXNREF ? (const void *)v->of.exn
                                           : v->of.ext;
    if (!p)
        return wb_vt_nullable(t);
    uint32_t h = wb_vt_heap(t);
    if (h & WB_HEAP_ABS) /* nofunc / noextern / noexn hold only null */
        return h == WB_HEAP_FUNC || h == WB_HEAP_EXTERN || h == WB_HEAP_EXN;
    return v->of.func->type_id == h;
}
