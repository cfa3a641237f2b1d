/* Subtyping and equivalence of types, for 3.0's typed function references
 * (without GC). vm/README.md "Value types and subtyping".
 *
 * Equivalence is iso-recursive, by recursion group: a group equals an
 * earlier one of the same size when their types are pairwise equal,
 * reading a type index inside as the canonical index of what it names when
 * it is outside the group, and as its place in the group ("rec.N") when it
 * is inside (a type naming itself, in a group of one, is rec.0). Computed
 * once per module, group by group in order, with a hash index (linear in
 * the type section; no recursion, so a hostile chain of types cannot
 * exhaust the C stack): m->type_canon[i] is the first type equivalent to
 * type i. */
#include "validate_internal.h"

#include <stdlib.h>
#include <string.h>

/* The group [start, end) that holds type i. */
static uint32_t group_start(const wb_module *m, uint32_t i) { return m->type_group ? m->type_group[i] : i; }

/* t as seen from group [s, e): indices inside as rec.N, earlier ones canonical. */
static wb_vt canon_vt(const uint32_t *canon, uint32_t s, uint32_t e, wb_vt t)
{
    uint32_t h = wb_vt_type_index(t);
    if (h == UINT32_MAX || h >= e)
        return t; /* abstract, or an index the validator refuses */
    return wb_vt_ref(wb_vt_nullable(t), h >= s ? WB_HEAP_REC(h - s) : canon[h]);
}

static uint32_t hash_group(const wb_module *m, const uint32_t *canon, uint32_t s, uint32_t e)
{
    uint32_t h = 2166136261u ^ (e - s);
    for (uint32_t i = s; i < e; i++) {
        const wb_mtype *t = &m->types[i];
        h = (h ^ t->nparams) * 16777619u;
        for (uint32_t k = 0; k < t->nparams; k++)
            h = (h ^ canon_vt(canon, s, e, t->params[k])) * 16777619u;
        h = (h ^ 0xFFFFu ^ t->nresults) * 16777619u;
        for (uint32_t k = 0; k < t->nresults; k++)
            h = (h ^ canon_vt(canon, s, e, t->results[k])) * 16777619u;
    }
    return h;
}

/* Groups [a, a + n) and [b, b + n), type by type. */
static bool same_group(const wb_module *m, const uint32_t *canon, uint32_t a, uint32_t b, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++) {
        const wb_mtype *x = &m->types[a + j], *y = &m->types[b + j];
        if (x->nparams != y->nparams || x->nresults != y->nresults)
            return false;
        for (uint32_t k = 0; k < x->nparams; k++)
            if (canon_vt(canon, a, a + n, x->params[k]) != canon_vt(canon, b, b + n, y->params[k]))
                return false;
        for (uint32_t k = 0; k < x->nresults; k++)
            if (canon_vt(canon, a, a + n, x->results[k]) != canon_vt(canon, b, b + n, y->results[k]))
                return false;
    }
    return true;
}

bool wb_v_canon_types(wb_module *m)
{
    if ((!m->typed_refs && !m->type_group) || m->type_canon || m->ntypes == 0)
        return true;
    uint32_t *canon = malloc(m->ntypes * sizeof *canon);
    size_t cap = 2;
    while (cap < (size_t)m->ntypes * 2)
        cap *= 2;
    uint32_t *index = calloc(cap, sizeof *index); /* a group's first type + 1, 0 empty */
    if (!canon || !index) {
        free(canon);
        free(index);
        return false;
    }
    for (uint32_t s = 0, e; s < m->ntypes; s = e) {
        for (e = s + 1; e < m->ntypes && group_start(m, e) == s;)
            e++;
        for (uint32_t i = s; i < e; i++)
            canon[i] = i;
        for (size_t slot = hash_group(m, canon, s, e) & (cap - 1);; slot = (slot + 1) & (cap - 1)) {
            if (index[slot] == 0) {
                index[slot] = s + 1;
                break;
            }
            uint32_t o = index[slot] - 1, n = e - s;
            /* the group at o has n types too (o + n - 1 in it, o + n not) */
            if (o + n <= m->ntypes && group_start(m, o + n - 1) == o &&
                (o + n == m->ntypes || group_start(m, o + n) != o) && same_group(m, canon, o, s, n)) {
                for (uint32_t j = 0; j < n; j++)
                    canon[s + j] = o + j;
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
    if (!(a & WB_HEAP_ABS) && !(b & WB_HEAP_ABS)) {
        if (a >= m->ntypes || b >= m->ntypes)
            return false;
        if (m->type_canon)
            return m->type_canon[a] == m->type_canon[b];
        /* no typed reference in the type section (only a body's block
         * types or ref.null name types), groups of one: equal types are
         * equal words */
        if (m->type_group)
            return false;
        const wb_mtype *x = &m->types[a], *y = &m->types[b];
        return x->nparams == y->nparams && x->nresults == y->nresults &&
               !memcmp(x->params, y->params, x->nparams * sizeof *x->params) &&
               !memcmp(x->results, y->results, x->nresults * sizeof *x->results);
    }
    return wb_heap_sub_abstract(a, b);
}

bool wb_vt_sub(const wb_module *m, wb_vt sub, wb_vt super)
{
    if (sub == super)
        return true;
    return wb_vt_ref_sub_shape(sub, super) && heap_sub(m, wb_vt_heap(sub), wb_vt_heap(super));
}
