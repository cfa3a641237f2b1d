/* Module-level validation rules: everything outside function bodies.
 *
 * The order follows the reference interpreter's check_module, so a module
 * breaking two rules reports the same one: imports and function types, then
 * globals, tables, memories, element and data segments (head); after the
 * bodies, the start function, the exports and the one-memory rule (tail).
 * Errors name the section and the entry ("import section, import 3") and the
 * offset of the offending part of it: the index, the limits, the instruction
 * of a constant expression, else the entry itself.
 */
#include "reader.h"
#include "features.h"
#include "validate_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MEMORY_PAGES 65536u
#define MAX_TABLE_SIZE 0xFFFFFFFFull

static bool invalid(wb_error *err, size_t off, const char *where, const char *why, uint32_t idx,
                    bool with_index)
{
    if (with_index)
        wb_error_set(err, WB_ERR_INVALID, off, where, "%s %u", why, idx);
    else
        wb_error_set(err, WB_ERR_INVALID, off, where, "%s", why);
    return false;
}

size_t wb_v_u32_offset(const wb_module *m, size_t first, uint32_t k)
{
    if (first > m->len)
        return first;
    wb_reader r = {m->bytes, m->bytes + first, m->bytes + m->len, NULL};
    uint32_t unused;
    for (uint32_t i = 0; i < k; i++) {
        if (!wb_read_u32(&r, &unused))
            break; /* the decoder read these bytes: cannot happen */
    }
    return wb_reader_offset(&r);
}

/* A type index inside a value type must name a type (`limit`: the types
 * it may name, ntypes, or up to and including its own in the type section). */
static bool check_valtype_in(wb_vt t, uint32_t limit, size_t off,
                             const char *where, wb_error *err)
{
    uint32_t h = wb_vt_type_index(t);
    if (h != UINT32_MAX && h >= limit)
        return invalid(err, off, where, "unknown type", h, true);
    if (wb_vt_is_valid(t) || t == WB_V128) /* v128 globals: SIMD */
        return true;
    if (t == WB_V128)
        return invalid(err, off, where, "SIMD type v128 is not supported", 0, false);
    return invalid(err, off, where, "invalid value type", 0, false);
}

static bool check_valtype_m(const wb_module *m, wb_vt t, size_t off, const char *where,
                            wb_error *err)
{
    return check_valtype_in(t, m->ntypes, off, where, err);
}

static bool check_limits(const wb_range *r, uint64_t bound, const char *bound_msg,
                         const char *where, wb_error *err)
{
    if (r->min > bound || (r->has_max && r->max > bound))
        return invalid(err, r->offset, where, bound_msg, 0, false);
    if (r->has_max && r->min > r->max)
        return invalid(err, r->offset, where, "size minimum must not be greater than maximum", 0,
                       false);
    return true;
}

static bool check_tabletype(const wb_module *m, const wb_tabletype *t, size_t off,
                            const char *where, wb_error *err)
{
    if (!wb_vt_is_ref(t->elem_type)) { /* the decoder should have caught it */
        wb_error_set(err, WB_ERR_MALFORMED, off, where, "malformed reference type");
        return false;
    }
    if (!check_valtype_m(m, t->elem_type, off, where, err))
        return false;
    /* a 64-bit table (table64) may declare any u64 size; instantiation
     * caps what it makes (WB_MAX_TABLE_ELEMS) */
    if (t->limits.is64)
        return check_limits(&t->limits, UINT64_MAX, "", where, err);
    return check_limits(&t->limits, MAX_TABLE_SIZE, "table size must be at most 2^32-1", where,
                        err);
}

/* A 64-bit memory (memory64) may declare up to 2^48 pages; read as 2.0
 * its limits flag is malformed, as 2.0's decoder says. */
static bool check_memtype(const wb_module *m, const wb_range *r, const char *where, wb_error *err)
{
    if (r->is64 && !(m->features & WB_FEATURE_MEMORY64)) {
        wb_error_set(err, WB_ERR_MALFORMED, r->offset, where, WB_FEATURE_LIMITS_64_IN_2_0);
        return false;
    }
    if (r->is64)
        return check_limits(r, (uint64_t)1 << 48, "memory size must be at most 2^48 pages", where,
                            err);
    return check_limits(r, MAX_MEMORY_PAGES, "memory size must be at most 65536 pages (4GiB)",
                        where, err);
}

/* A function type's value types; the error names type i at its entry. */
/* `end`: one past the last type of i's recursion group, the types i may name */
static bool check_type(const wb_module *m, uint32_t i, uint32_t end, wb_error *err)
{
    const wb_mtype *t = &m->types[i];
    for (uint32_t k = 0; k < t->nparams + t->nresults; k++) {
        wb_vt vt = k < t->nparams ? t->params[k] : t->results[k - t->nparams];
        /* a type may name the types of its recursion group and earlier ones */
        if ((!wb_vt_is_valid(vt) && vt != WB_V128) || (vt & WB_VT_REF)) {
            char where[48];
            wb_v_where(where, sizeof where, "type section, type ", i);
            if (!check_valtype_in(vt, end, m->type_offsets ? m->type_offsets[i] : 0, where, err))
                return false;
        }
    }
    return true;
}

static bool check_types(const wb_module *m, wb_error *err)
{
    uint32_t end = 0;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        if (i >= end) /* a new group: where does it end */
            for (end = i + 1; m->type_group && end < m->ntypes && m->type_group[end] == i;)
                end++;
        if (!check_type(m, i, end, err))
            return false;
    }
    return true;
}

/* A tag's type (exception handling): a function type without results. */
static bool check_tagtype(const wb_module *m, uint32_t ti, size_t off, const char *where,
                          wb_error *err)
{
    if (ti >= m->ntypes)
        return invalid(err, off, where, "unknown type", ti, true);
    if (m->types[ti].nresults != 0)
        return invalid(err, off, where, "non-empty tag result type", 0, false);
    return true;
}

static bool check_tags(const wb_module *m, wb_error *err)
{
    char where[48];
    for (uint32_t i = 0; i < m->ntags; i++) {
        snprintf(where, sizeof where, "tag section, tag %u", m->ntag_imports + i);
        if (!check_tagtype(m, m->tags[i], m->tags_offset, where, err))
            return false;
    }
    return true;
}

static bool check_imports(const wb_module *m, wb_error *err)
{
    char where[48];
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wb_import *im = &m->imports[i];
        wb_v_where(where, sizeof where, "import section, import ", i);
        switch (im->kind) {
        case WB_KIND_FUNC:
            if (im->desc.type_index >= m->ntypes)
                return invalid(err, im->desc_offset, where, "unknown type", im->desc.type_index,
                               true);
            break;
        case WB_KIND_TABLE:
            if (!check_tabletype(m, &im->desc.table, im->desc_offset, where, err))
                return false;
            break;
        case WB_KIND_MEMORY:
            if (!check_memtype(m, &im->desc.memory, where, err))
                return false;
            break;
        case WB_KIND_GLOBAL:
            if (!check_valtype_m(m, im->desc.global.type, im->desc_offset, where, err))
                return false;
            break;
        case WB_KIND_TAG:
            if (!check_tagtype(m, im->desc.type_index, im->desc_offset, where, err))
                return false;
            break;
        default:
            wb_error_set(err, WB_ERR_MALFORMED, im->offset, where, "malformed import kind");
            return false;
        }
    }
    return true;
}

static bool check_functions(const wb_module *m, wb_error *err)
{
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        if (m->func_type_indices[i] >= m->ntypes) {
            char where[48];
            wb_v_where(where, sizeof where, "function section, function ", m->nfunc_imports + i);
            return invalid(err, wb_v_u32_offset(m, m->funcs_offset, i), where, "unknown type",
                           m->func_type_indices[i], true);
        }
    }
    return true;
}

static bool check_globals(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    char where[48];
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const wb_globaldef *g = &m->globals[i];
        wb_v_where(where, sizeof where, "global section, global ", m->nglobal_imports + i);
        if (!check_valtype_m(m, g->type.type, g->offset, where, err) ||
            !wb_v_check_const(v, g->init, g->type.type, wb_v_const_globals(m, i), where, err))
            return false;
    }
    return true;
}

static bool check_tables_and_memories(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    char where[48];
    for (uint32_t i = 0; i < m->ntables; i++) {
        const wb_tabletype *t = &m->tables[i];
        wb_v_where(where, sizeof where, "table section, table ", m->ntable_imports + i);
        if (!check_tabletype(m, t, t->limits.offset, where, err))
            return false;
        /* a table of non-null references needs a first value (3.0) */
        if (t->has_init &&
            !wb_v_check_const(v, t->init, t->elem_type, m->nglobal_imports, where, err))
            return false;
        if (!t->has_init && !wb_vt_nullable(t->elem_type))
            return invalid(err, t->limits.offset, where,
                           "type mismatch: a table of non-null references needs an initialiser",
                           0, false);
    }
    for (uint32_t i = 0; i < m->nmemories; i++) {
        wb_v_where(where, sizeof where, "memory section, memory ", m->nmemory_imports + i);
        if (!check_memtype(m, &m->memories[i], where, err))
            return false;
    }
    return true;
}

static bool check_elems(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    char where[48];
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wb_elemseg *s = &m->elems[i];
        wb_v_where(where, sizeof where, "element section, segment ", i);
        if (wb_vt_is_ref(s->elem_type) &&
            !check_valtype_m(m, s->elem_type, s->entry_offset, where, err))
            return false;
        if (!wb_vt_is_ref(s->elem_type)) { /* the decoder should have caught it */
            wb_error_set(err, WB_ERR_MALFORMED, s->entry_offset, where, "malformed reference type");
            return false;
        }
        for (uint32_t k = 0; k < s->count; k++) {
            if (s->uses_exprs) {
                if (!wb_v_check_const(v, s->exprs[k], s->elem_type,
                                      wb_v_const_globals(m, m->nglobals), where, err))
                    return false;
            } else if (s->func_indices[k] >= v->nfuncs) {
                return invalid(err, wb_v_u32_offset(m, s->items_offset, k), where,
                               "unknown function", s->func_indices[k], true);
            }
        }
        if (s->mode != WB_SEG_ACTIVE)
            continue;
        if (s->table >= v->ntables)
            return invalid(err, s->table_offset, where, "unknown table", s->table, true);
        if (!wb_vt_sub(m, s->elem_type, v->tables[s->table]->elem_type)) {
            wb_error_set(err, WB_ERR_INVALID, s->table_offset, where,
                         "type mismatch: segment of %s, table %u of %s", wb_vt_name(s->elem_type),
                         s->table, wb_vt_name(v->tables[s->table]->elem_type));
            return false;
        }
        /* the offset has the table's address type (i64: table64) */
        uint8_t at = v->tables[s->table]->limits.is64 ? WB_I64 : WB_I32;
        if (!wb_v_check_const(v, s->offset, at, wb_v_const_globals(m, m->nglobals), where, err))
            return false;
    }
    return true;
}

static bool check_datas(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    char where[48];
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wb_dataseg *d = &m->datas[i];
        if (d->mode != WB_SEG_ACTIVE)
            continue;
        wb_v_where(where, sizeof where, "data section, segment ", i);
        if (d->memory >= v->nmemories)
            return invalid(err, d->memory_offset, where, "unknown memory", d->memory, true);
        /* a 64-bit memory's offset is an i64 */
        uint8_t at = wb_module_memory_type(m, d->memory)->is64 ? WB_I64 : WB_I32;
        if (!wb_v_check_const(v, d->offset, at, wb_v_const_globals(m, m->nglobals), where, err))
            return false;
    }
    return true;
}

bool wb_v_check_module_head(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    return check_types(m, err) && check_imports(m, err) && check_functions(m, err) &&
           check_tags(m, err) &&
           check_globals(v, err) && check_tables_and_memories(v, err) && check_elems(v, err) &&
           check_datas(v, err);
}

/* ---- tail ---- */

static bool check_start(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    if (!m->has_start)
        return true;
    if (m->start >= v->nfuncs)
        return invalid(err, m->start_offset, "start section", "unknown function", m->start, true);
    const wb_mtype *t = v->func_types[m->start];
    if (t->nparams != 0 || t->nresults != 0)
        return invalid(err, m->start_offset, "start section",
                       "start function must not have parameters or results", 0, false);
    return true;
}

static int compare_names(const wb_export *x, const wb_export *y)
{
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = n ? memcmp(x->name, y->name, n) : 0;
    if (c)
        return c;
    return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

/* By name, then by position: the second of two equal neighbours is the later
 * export, so the first repeat in the section is the one reported. */
static int compare_exports(const void *a, const void *b)
{
    const wb_export *x = *(const wb_export *const *)a;
    const wb_export *y = *(const wb_export *const *)b;
    int c = compare_names(x, y);
    if (c)
        return c;
    return (x > y) - (x < y);
}

static bool check_exports(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    char where[48];
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wb_export *e = &m->exports[i];
        wb_v_where(where, sizeof where, "export section, export ", i);
        size_t at = e->index_offset;
        switch (e->kind) {
        case WB_KIND_FUNC:
            if (e->index >= v->nfuncs)
                return invalid(err, at, where, "unknown function", e->index, true);
            break;
        case WB_KIND_TABLE:
            if (e->index >= v->ntables)
                return invalid(err, at, where, "unknown table", e->index, true);
            break;
        case WB_KIND_MEMORY:
            if (e->index >= v->nmemories)
                return invalid(err, at, where, "unknown memory", e->index, true);
            break;
        case WB_KIND_GLOBAL:
            if (e->index >= v->nglobals)
                return invalid(err, at, where, "unknown global", e->index, true);
            break;
        case WB_KIND_TAG:
            if (e->index >= wb_module_total_tags(m))
                return invalid(err, at, where, "unknown tag", e->index, true);
            break;
        default:
            wb_error_set(err, WB_ERR_MALFORMED, e->offset, where, "malformed export kind");
            return false;
        }
    }
    if (m->nexports < 2)
        return true;
    /* sorted, equal names are neighbours: n log n, not n^2 */
    const wb_export **sorted = malloc(m->nexports * sizeof *sorted);
    if (!sorted) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "export section", "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < m->nexports; i++)
        sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, compare_exports);
    const wb_export *dup = NULL; /* the earliest export repeating an earlier name */
    for (uint32_t i = 1; i < m->nexports; i++) {
        if (compare_names(sorted[i - 1], sorted[i]) == 0 && (!dup || sorted[i] < dup))
            dup = sorted[i];
    }
    free(sorted);
    if (!dup)
        return true;
    wb_v_where(where, sizeof where, "export section, export ", (uint32_t)(dup - m->exports));
    /* names may hold any UTF-8, NUL included: print a safe prefix */
    wb_error_set(err, WB_ERR_INVALID, dup->offset, where, "duplicate export name \"%.*s\"",
                 (int)(dup->name_len > 64 ? 64 : dup->name_len), dup->name);
    return false;
}

/* Read as 2.0, at most one memory (3.0 has multi-memory): the error points
 * at the second one, imported or defined. */
static bool check_one_memory(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    if (v->nmemories <= 1 || (m->features & WB_FEATURE_MULTI_MEMORY))
        return true;
    uint32_t seen = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        if (m->imports[i].kind == WB_KIND_MEMORY && ++seen == 2) {
            char where[48];
            wb_v_where(where, sizeof where, "import section, import ", i);
            return invalid(err, m->imports[i].desc_offset, where, WB_FEATURE_MULTI_MEMORY_IN_2_0, 0,
                           false);
        }
    }
    uint32_t k = 1 - seen; /* the defined memory that is the second one */
    char where[48];
    wb_v_where(where, sizeof where, "memory section, memory ", seen + k);
    return invalid(err, m->memories[k].offset, where, WB_FEATURE_MULTI_MEMORY_IN_2_0, 0, false);
}

bool wb_v_check_module_tail(const wb_vctx *v, wb_error *err)
{
    return check_start(v, err) && check_exports(v, err) && check_one_memory(v, err);
}
