/* Subtyping and equivalence of types, for 3.0's typed function references
 * (without GC). vm/README.md "Value types and subtyping".
 *
 * Equivalence of function types is iso-recursive: a type is equal to an
 * earlier one when their parameters and results are equal, reading a type
 * index inside as the canonical index of what it names, and a reference to
 * the type itself (a singleton recursion group) as "self". Computed once
 * per module, in type order, with a hash index (linear in the type
 * section; no recursion, so a hostile chain of types cannot exhaust the C
 * stack): m->type_canon[i] is the first type equivalent to type i. */
#include "validate_internal.h"

#include <stdlib.h>
#include <string.h>

#define HEAP_SELF (WB_HEAP_ABS | 0xFFu)

/* t as its type i's canonical form: indices through canon, itself as self. */
static wb_vt canon_vt(const uint32_t *canon, uint32_t ntypes, uint32_t i, wb_vt t)
{
    uint32_t h = wb_vt_type_index(t);
    if (h == UINT32_MAX || h > i || h >= ntypes)
        return t; /* abstract, or an index the validator refuses */
    return wb_vt_ref(wb_vt_nullable(t), h == i ? HEAP_SELF : canon[h]);
}

static uint32_t hash_type(const wb_module *m, const uint32_t *canon, uint32_t i)
{
    const wb_mtype *t = &m->types[i];
    uint32_t h = 2166136261u ^ t->nparams;
    for (uint32_t k = 0; k < t->nparams; k++)
        h = (h ^ canon_vt(canon, m->ntypes, i, t->params[k])) * 16777619u;
    h = (h ^ 0xFFFFu ^ t->nresults) * 16777619u;
    for (uint32_t k = 0; k < t->nresults; k++)
        h = (h ^ canon_vt(canon, m->ntypes, i, t->results[k])) * 16777619u;
    return h;
}

static bool same_type(const wb_module *m, const uint32_t *canon, uint32_t a, uint32_t b)
{
    const wb_mtype *x = &m->types[a], *y = &m->types[b];
    if (x->nparams != y->nparams || x->nresults != y->nresults)
        return false;
    for (uint32_t k = 0; k < x->nparams; k++)
        if (canon_vt(canon, m->ntypes, a, x->params[k]) != canon_vt(canon, m->ntypes, b, y->params[k]))
            return false;
    for (uint32_t k = 0; k < x->nresults; k++)
        if (canon_vt(canon, m->ntypes, a, x->results[k]) != canon_vt(canon, m->ntypes, b, y->results[k]))
            return false;
    return true;
}

bool wb_v_canon_types(wb_module *m)
{
    if (!m->typed_refs || m->type_canon || m->ntypes == 0)
        return true;
    uint32_t *canon = malloc(m->ntypes * sizeof *canon);
    size_t cap = 2;
    while (cap < (size_t)m->ntypes * 2)
        cap *= 2;
    uint32_t *index = calloc(cap, sizeof *index); /* type + 1, 0 empty */
    if (!canon || !index) {
        free(canon);
        free(index);
        return false;
    }
    for (uint32_t i = 0; i < m->ntypes; i++) {
        canon[i] = i;
        for (size_t s = hash_type(m, canon, i) & (cap - 1);; s = (s + 1) & (cap - 1)) {
            if (index[s] == 0) {
                index[s] = i + 1;
                break;
            }
            if (same_type(m, canon, index[s] - 1, i)) {
                canon[i] = index[s] - 1;
                break;
            }
        }
    }
    free(index);
    m->type_canon = canon;
    return true;
}

/* Whether heap type a is a subtype of heap type b. */
static bool heap_sub(const wb_module *m, uint32_t a, uint32_t b)
{
    if (a == b)
        return true;
    bool a_idx = !(a & WB_HEAP_ABS), b_idx = !(b & WB_HEAP_ABS);
    if (a_idx && b_idx) {
        if (a >= m->ntypes || b >= m->ntypes)
            return false;
        if (m->type_canon)
            return m->type_canon[a] == m->type_canon[b];
        /* no typed reference in the type section (only a body's block
         * types or ref.null name types): equal types are equal words */
        const wb_mtype *x = &m->types[a], *y = &m->types[b];
        return x->nparams == y->nparams && x->nresults == y->nresults &&
               !memcmp(x->params, y->params, x->nparams * sizeof *x->params) &&
               !memcmp(x->results, y->results, x->nresults * sizeof *x->results);
    }
    if (b == WB_HEAP_FUNC)
        return a_idx || a == WB_HEAP_NOFUNC;
    if (b == WB_HEAP_EXTERN)
        return a == WB_HEAP_NOEXTERN;
    if (b_idx)
        return a == WB_HEAP_NOFUNC;
    return false;
}

bool wb_vt_sub(const wb_module *m, wb_vt sub, wb_vt super)
{
    if (sub == super)
        return true;
    if (!wb_vt_is_ref(sub) || !wb_vt_is_ref(super))
        return false;
    if (wb_vt_nullable(sub) && !wb_vt_nullable(super))
        return false;
    return heap_sub(m, wb_vt_heap(sub), wb_vt_heap(super));
}
