/* Import matching (spec 2.0, 4.5.1 "External Typing" and import
 * subtyping): functions by equal type, tables and memories by limits
 * subtyping on their current size and maximum, globals by equal type and
 * mutability. Externs must come from the same store as the module. */
#include "objects.h"

#include <stdio.h>
#include <string.h>

static const char *kind_name(unsigned kind)
{
    switch (kind) {
    case WB_KIND_FUNC: return "a function";
    case WB_KIND_TABLE: return "a table";
    case WB_KIND_MEMORY: return "a memory";
    case WB_KIND_GLOBAL: return "a global";
    case WB_KIND_TAG: return "a tag";
    }
    return "an unknown kind";
}


/* Limits subtyping: the provided size is at least the required minimum, and
 * if a maximum is required, one is provided and it is no larger. */
static bool limits_match(uint64_t size, bool has_max, uint64_t max, const wb_range *want,
                         const char **why)
{
    if (size < want->min) {
        *why = "smaller than the import's minimum";
        return false;
    }
    if (want->has_max && !has_max) {
        *why = "no maximum, the import requires one";
        return false;
    }
    if (want->has_max && max > want->max) {
        *why = "maximum larger than the import's";
        return false;
    }
    return true;
}

static bool check(const wb_module *m, const uint32_t *ids, const wb_import *imp,
                  const wb_extern *ext, const char **why)
{
    if ((unsigned)ext->kind != imp->kind) {
        *why = kind_name(ext->kind);
        return false;
    }
    switch (imp->kind) {
    case WB_KIND_FUNC:
        if (!ext->of.func) {
            *why = "a null function";
            return false;
        }
        /* one store: equal types have one canonical id (no declared
         * subtypes among function types without GC) */
        if (ext->of.func->type_id != ids[imp->desc.type_index]) {
            *why = "a function of another type";
            return false;
        }
        return true;
    case WB_KIND_TABLE: {
        const wb_table *t = ext->of.table;
        if (!t) {
            *why = "a null table";
            return false;
        }
        if (t->elem_type != wb_vt_in_store(ids, m->ntypes, imp->desc.table.elem_type)) {
            *why = "a table of another element type";
            return false;
        }
        if (t->is64 != imp->desc.table.limits.is64) {
            *why = t->is64 ? "a 64-bit table (i64 indices) for a 32-bit one"
                           : "a 32-bit table for a 64-bit one (i64 indices)";
            return false;
        }
        return limits_match(t->size, t->has_max, t->max_declared, &imp->desc.table.limits, why);
    }
    case WB_KIND_MEMORY: {
        const wb_memory *mem = ext->of.memory;
        if (!mem) {
            *why = "a null memory";
            return false;
        }
        if (mem->is64 != imp->desc.memory.is64) {
            *why = mem->is64 ? "a 64-bit memory (i64 addresses) for a 32-bit one"
                             : "a 32-bit memory for a 64-bit one (i64 addresses)";
            return false;
        }
        return limits_match(mem->size / WB_PAGE_SIZE, mem->has_max, mem->max_declared,
                            &imp->desc.memory, why);
    }
    case WB_KIND_TAG:
        if (!ext->of.tag) {
            *why = "a null tag";
            return false;
        }
        /* as functions: equal types have one id in a store */
        if (ext->of.tag->type_id != ids[imp->desc.type_index]) {
            *why = "a tag of another type";
            return false;
        }
        return true;
    case WB_KIND_GLOBAL: {
        const wb_global *g = ext->of.global;
        if (!g) {
            *why = "a null global";
            return false;
        }
        wb_vt want = wb_vt_in_store(ids, m->ntypes, imp->desc.global.type);
        /* an immutable global may be of a subtype; a mutable one is exact */
        if (g->mutable_ != imp->desc.global.mutable_ ||
            (g->mutable_ ? g->type != want : !wb_store_vt_sub(g->type, want))) {
            *why = "a global of another type or mutability";
            return false;
        }
        return true;
    }
    }
    *why = "an unknown kind";
    return false;
}

bool wb_link_check_import(const wb_module *m, const uint32_t *ids, uint32_t i, const wb_extern *ext,
                          wb_error *err)
{
    const wb_import *imp = &m->imports[i];
    const char *why = "";
    if (check(m, ids, imp, ext, &why))
        return true;
    char where[160];
    snprintf(where, sizeof where, "import %u \"%.60s\".\"%.60s\"", i, imp->module, imp->name);
    wb_error_set(err, WB_ERR_LINK, imp->offset, where, "incompatible import type (expected %s, got %s)",
                 kind_name(imp->kind), why);
    return false;
}
