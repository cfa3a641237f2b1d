/* The type section: function types, and 3.0's recursion groups of them
 * (`rec`, 0x4E: types that may name each other; vm/README.md "Value types
 * and subtyping"). GC's type forms (struct, array, sub) are refused as
 * features not there yet. */
#include "decode_internal.h"
#include "features.h"

#include <stdlib.h>
#include <string.h>

static bool read_valtypes(wb_decoder *d, wb_vt **out, uint32_t *count, uint32_t limit,
                          const char *what)
{
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, limit, what))
        return false;
    wb_vt *types = wb_dec_alloc(d, n, sizeof *types);
    if (!types)
        return false;
    *out = types;
    *count = n;
    for (uint32_t i = 0; i < n; i++)
        if (!wb_dec_valtype(d, &types[i]))
            return false;
    return true;
}

/* One function type (0x60 params results) into t. */
static bool read_functype(wb_decoder *d, wb_mtype *t)
{
    size_t at = wb_reader_offset(&d->r);
    int64_t form;
    /* A 7-bit signed LEB: 0x60 is -0x20. */
    if (!wb_read_sleb(&d->r, 7, &form))
        return wb_dec_reader_fail(d, at);
    /* 0x5e array, 0x5f struct, 0x50/0x4f sub, 0x4e rec (inside a group): GC's */
    if (form == -0x22 || form == -0x21 || form == -0x30 || form == -0x31 || form == -0x32)
        return wb_dec_fail(d, at, WB_FEATURE_GC_TYPE);
    if (form != -0x20)
        return wb_dec_fail(d, at, "malformed function type");
    if (!read_valtypes(d, &t->params, &t->nparams, WB_MAX_PARAMS, "params") ||
        !read_valtypes(d, &t->results, &t->nresults, WB_MAX_RESULTS, "results"))
        return false;
    wb_mtype_count_slots(t);
    return true;
}

/* Room for `cap` types (the entries past the old count zeroed, so a
 * half-read module frees cleanly); the group array too once there is one. */
static bool grow(wb_decoder *d, uint32_t cap)
{
    wb_module *m = d->m;
    wb_mtype *t = realloc(m->types, (size_t)cap * sizeof *t);
    if (t)
        m->types = t;
    size_t *o = t ? realloc(m->type_offsets, (size_t)cap * sizeof *o) : NULL;
    if (o)
        m->type_offsets = o;
    uint32_t *g = o && m->type_group ? realloc(m->type_group, (size_t)cap * sizeof *g) : NULL;
    if (g)
        m->type_group = g;
    if (!t || !o || (m->type_group && !g))
        return wb_dec_alloc(d, SIZE_MAX, 2) != NULL; /* reports out of memory */
    memset(m->types + m->ntypes, 0, (size_t)(cap - m->ntypes) * sizeof *m->types);
    m->ntypes = cap;
    return true;
}

bool wb_dec_type_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_TYPES, "types"))
        return false;
    if (!(m->types = wb_dec_alloc(d, n, sizeof *m->types)) ||
        !(m->type_offsets = wb_dec_alloc(d, n, sizeof *m->type_offsets)))
        return false;
    m->ntypes = n; /* entries; a group of several types grows it */
    uint32_t k = 0; /* the next type index */
    for (uint32_t e = 0; e < n; e++) {
        size_t at = wb_reader_offset(&d->r);
        uint32_t size = 1;
        bool rec = d->r.p < d->r.end && *d->r.p == 0x4E;
        if (rec) {
            d->r.p++;
            size_t count_at = wb_reader_offset(&d->r);
            if (!wb_dec_u32(d, &size))
                return false;
            /* each type takes 3 bytes at least; every entry still to come, one type */
            if (size > wb_reader_left(&d->r) / 3 + 1)
                return wb_dec_fail(d, count_at, "unexpected end of section or function");
            uint64_t total = (uint64_t)k + size + (n - e - 1);
            if (total > WB_MAX_TYPES)
                return wb_error_set(d->err, WB_ERR_LIMIT, count_at, d->where,
                                    "too many types: %llu (implementation limit %u)",
                                    (unsigned long long)total, WB_MAX_TYPES),
                       false;
            if (size != 1 && !m->type_group) {
                /* the first group of several: every type so far is its own */
                if (!(m->type_group = wb_dec_alloc(d, m->ntypes, sizeof *m->type_group)))
                    return false;
                for (uint32_t i = 0; i < k; i++)
                    m->type_group[i] = i;
            }
            if (total > m->ntypes && !grow(d, (uint32_t)total))
                return false;
        }
        for (uint32_t j = 0; j < size; j++, k++) {
            m->type_offsets[k] = j == 0 ? at : wb_reader_offset(&d->r);
            if (m->type_group)
                m->type_group[k] = k - j;
            if (!read_functype(d, &m->types[k]))
                return false;
        }
    }
    m->ntypes = k; /* entries past k (empty groups) were never filled: zero */
    return true;
}
