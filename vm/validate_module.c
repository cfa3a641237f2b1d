/* Module-level validation rules: everything outside function bodies.
 *
 * The order follows the reference interpreter's check_module, so a module
 * breaking two rules reports the same one: imports and function types, then
 * globals, tables, memories, element and data segments (head); after the
 * bodies, the start function, the exports and the one-memory rule (tail).
 * The decoded module carries no offsets for most entries; errors there name
 * the section and the entry, with the offset of an expression when there is
 * one.
 */
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

static bool check_valtype(uint8_t t, const char *where, wb_error *err)
{
    if (wb_vt_is_valid(t))
        return true;
    if (t == WB_V128)
        return invalid(err, 0, where, "SIMD type v128 is not supported", 0, false);
    return invalid(err, 0, where, "invalid value type", 0, false);
}

static bool check_limits(const wb_range *r, uint64_t bound, const char *bound_msg,
                         const char *where, wb_error *err)
{
    if (r->min > bound || (r->has_max && r->max > bound))
        return invalid(err, 0, where, bound_msg, 0, false);
    if (r->has_max && r->min > r->max)
        return invalid(err, 0, where, "size minimum must not be greater than maximum", 0, false);
    return true;
}

static bool check_tabletype(const wb_tabletype *t, const char *where, wb_error *err)
{
    if (!wb_vt_is_ref(t->elem_type)) { /* the decoder should have caught it */
        wb_error_set(err, WB_ERR_MALFORMED, 0, where, "malformed reference type");
        return false;
    }
    return check_limits(&t->limits, MAX_TABLE_SIZE, "table size must be at most 2^32-1", where,
                        err);
}

static bool check_memtype(const wb_range *r, const char *where, wb_error *err)
{
    return check_limits(r, MAX_MEMORY_PAGES, "memory size must be at most 65536 pages (4GiB)",
                        where, err);
}

static bool check_types(const wb_module *m, wb_error *err)
{
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const wb_mtype *t = &m->types[i];
        for (uint32_t k = 0; k < t->nparams; k++) {
            if (!check_valtype(t->params[k], "type section", err))
                return false;
        }
        for (uint32_t k = 0; k < t->nresults; k++) {
            if (!check_valtype(t->results[k], "type section", err))
                return false;
        }
    }
    return true;
}

static bool check_imports(const wb_module *m, wb_error *err)
{
    char where[48];
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wb_import *im = &m->imports[i];
        snprintf(where, sizeof where, "import %u", i);
        switch (im->kind) {
        case WB_KIND_FUNC:
            if (im->desc.type_index >= m->ntypes)
                return invalid(err, 0, where, "unknown type", im->desc.type_index, true);
            break;
        case WB_KIND_TABLE:
            if (!check_tabletype(&im->desc.table, where, err))
                return false;
            break;
        case WB_KIND_MEMORY:
            if (!check_memtype(&im->desc.memory, where, err))
                return false;
            break;
        case WB_KIND_GLOBAL:
            if (!check_valtype(im->desc.global.type, where, err))
                return false;
            break;
        default:
            wb_error_set(err, WB_ERR_MALFORMED, 0, where, "malformed import kind");
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
            snprintf(where, sizeof where, "function %u", m->nfunc_imports + i);
            return invalid(err, 0, where, "unknown type", m->func_type_indices[i], true);
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
        snprintf(where, sizeof where, "global %u", m->nglobal_imports + i);
        if (!check_valtype(g->type.type, where, err) ||
            !wb_v_check_const(v, g->init, g->type.type, m->nglobal_imports, where, err))
            return false;
    }
    return true;
}

static bool check_tables_and_memories(const wb_module *m, wb_error *err)
{
    char where[48];
    for (uint32_t i = 0; i < m->ntables; i++) {
        snprintf(where, sizeof where, "table %u", m->ntable_imports + i);
        if (!check_tabletype(&m->tables[i], where, err))
            return false;
    }
    for (uint32_t i = 0; i < m->nmemories; i++) {
        snprintf(where, sizeof where, "memory %u", m->nmemory_imports + i);
        if (!check_memtype(&m->memories[i], where, err))
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
        snprintf(where, sizeof where, "element segment %u", i);
        if (!wb_vt_is_ref(s->elem_type)) { /* the decoder should have caught it */
            wb_error_set(err, WB_ERR_MALFORMED, 0, where, "malformed reference type");
            return false;
        }
        for (uint32_t k = 0; k < s->count; k++) {
            if (s->uses_exprs) {
                if (!wb_v_check_const(v, s->exprs[k], s->elem_type, m->nglobal_imports, where,
                                      err))
                    return false;
            } else if (s->func_indices[k] >= v->nfuncs) {
                return invalid(err, 0, where, "unknown function", s->func_indices[k], true);
            }
        }
        if (s->mode != WB_SEG_ACTIVE)
            continue;
        if (s->table >= v->ntables)
            return invalid(err, s->offset.offset, where, "unknown table", s->table, true);
        if (v->tables[s->table]->elem_type != s->elem_type) {
            wb_error_set(err, WB_ERR_INVALID, s->offset.offset, where,
                         "type mismatch: segment of %s, table %u of %s", wb_vt_name(s->elem_type),
                         s->table, wb_vt_name(v->tables[s->table]->elem_type));
            return false;
        }
        if (!wb_v_check_const(v, s->offset, WB_I32, m->nglobal_imports, where, err))
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
        snprintf(where, sizeof where, "data segment %u", i);
        if (d->memory >= v->nmemories)
            return invalid(err, d->offset.offset, where, "unknown memory", d->memory, true);
        if (!wb_v_check_const(v, d->offset, WB_I32, m->nglobal_imports, where, err))
            return false;
    }
    return true;
}

bool wb_v_check_module_head(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    return check_types(m, err) && check_imports(m, err) && check_functions(m, err) &&
           check_globals(v, err) && check_tables_and_memories(m, err) && check_elems(v, err) &&
           check_datas(v, err);
}

/* ---- tail ---- */

static bool check_start(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    if (!m->has_start)
        return true;
    if (m->start >= v->nfuncs)
        return invalid(err, 0, "start section", "unknown function", m->start, true);
    const wb_mtype *t = v->func_types[m->start];
    if (t->nparams != 0 || t->nresults != 0)
        return invalid(err, 0, "start section",
                       "start function must not have parameters or results", 0, false);
    return true;
}

static int compare_export_names(const void *a, const void *b)
{
    const wb_export *x = *(const wb_export *const *)a;
    const wb_export *y = *(const wb_export *const *)b;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = n ? memcmp(x->name, y->name, n) : 0;
    if (c)
        return c;
    return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static bool check_exports(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    char where[48];
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wb_export *e = &m->exports[i];
        snprintf(where, sizeof where, "export %u", i);
        switch (e->kind) {
        case WB_KIND_FUNC:
            if (e->index >= v->nfuncs)
                return invalid(err, 0, where, "unknown function", e->index, true);
            break;
        case WB_KIND_TABLE:
            if (e->index >= v->ntables)
                return invalid(err, 0, where, "unknown table", e->index, true);
            break;
        case WB_KIND_MEMORY:
            if (e->index >= v->nmemories)
                return invalid(err, 0, where, "unknown memory", e->index, true);
            break;
        case WB_KIND_GLOBAL:
            if (e->index >= v->nglobals)
                return invalid(err, 0, where, "unknown global", e->index, true);
            break;
        default:
            wb_error_set(err, WB_ERR_MALFORMED, 0, where, "malformed export kind");
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
    qsort(sorted, m->nexports, sizeof *sorted, compare_export_names);
    bool ok = true;
    for (uint32_t i = 1; i < m->nexports; i++) {
        if (compare_export_names(&sorted[i - 1], &sorted[i]) == 0) {
            /* names may hold any UTF-8, NUL included: print a safe prefix */
            wb_error_set(err, WB_ERR_INVALID, 0, "export section", "duplicate export name \"%.*s\"",
                         (int)(sorted[i]->name_len > 64 ? 64 : sorted[i]->name_len),
                         sorted[i]->name);
            ok = false;
            break;
        }
    }
    free(sorted);
    return ok;
}

bool wb_v_check_module_tail(const wb_vctx *v, wb_error *err)
{
    if (!check_start(v, err) || !check_exports(v, err))
        return false;
    if (v->nmemories > 1)
        return invalid(err, 0, "memory section", "multiple memories", 0, false);
    return true;
}
