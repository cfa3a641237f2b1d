/* Loading modules into a store, and describing their imports and exports. */
#include "objects.h"

#include <stdlib.h>

void wb_module_release(wb_module *m)
{
    /* The store-side parts are ours to free; wb_module_destroy frees what
     * the decoder and validator built. */
    if (m->compiled) {
        for (uint32_t i = 0; i < m->nfuncs; i++)
            if (m->compiled[i])
                wb_compiled_free(m->compiled[i]);
        free(m->compiled);
        m->compiled = NULL;
    }
    free(m->type_ids);
    m->type_ids = NULL;
    wb_module_destroy(m);
}

wb_module *wb_module_load(wb_store *store, const uint8_t *bytes, size_t len, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    wb_module *m = wb_decode(bytes, len, err);
    if (!m)
        return NULL;
    if (!wb_validate(m, err)) {
        wb_module_destroy(m);
        return NULL;
    }
    m->store = store;
    m->type_ids = calloc(m->ntypes ? m->ntypes : 1, sizeof *m->type_ids);
    if (!m->type_ids) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "module", "out of memory for type ids");
        wb_module_release(m);
        return NULL;
    }
    for (uint32_t i = 0; i < m->ntypes; i++) {
        m->type_ids[i] = wb_store_intern_type(store, &m->types[i]);
        if (m->type_ids[i] == UINT32_MAX) {
            wb_error_set(err, WB_ERR_NOMEM, 0, "type section", "out of memory interning type %u", i);
            wb_module_release(m);
            return NULL;
        }
    }
    if (!wb_translate_module(m, err)) {
        wb_module_release(m);
        return NULL;
    }
    if (!wb_store_track(store, WB_OBJ_MODULE, m)) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "module", "out of memory");
        return NULL;
    }
    return m;
}

bool wb_module_validate(const uint8_t *bytes, size_t len, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    wb_module *m = wb_decode(bytes, len, err);
    if (!m)
        return false;
    bool ok = wb_validate(m, err);
    wb_module_destroy(m);
    return ok;
}

uint32_t wb_module_import_count(const wb_module *m) { return m->nimports; }
uint32_t wb_module_export_count(const wb_module *m) { return m->nexports; }

/* Fills the kind-specific part of a description. */
static void describe(const wb_module *m, uint8_t kind, uint32_t type_or_index, bool is_import_func,
                     const wb_import *imp, wb_extern_desc *out)
{
    out->kind = (wb_extern_kind)kind;
    switch (kind) {
    case WB_KIND_FUNC: {
        uint32_t ti = is_import_func ? type_or_index : wb_module_func_type_index(m, type_or_index);
        wb_functype_from(&m->types[ti], wb_store_type_view(m->store, m->type_ids[ti]), &out->func);
        break;
    }
    case WB_KIND_TABLE: {
        const wb_tabletype *t = imp ? &imp->desc.table : wb_module_table_type(m, type_or_index);
        out->ref_type = (wb_type)t->elem_type;
        out->limits = (wb_limits_range){t->limits.min, t->limits.max, t->limits.has_max};
        break;
    }
    case WB_KIND_MEMORY: {
        const wb_range *r = imp ? &imp->desc.memory : wb_module_memory_type(m, type_or_index);
        out->limits = (wb_limits_range){r->min, r->max, r->has_max};
        break;
    }
    case WB_KIND_GLOBAL: {
        const wb_globaltype *g = imp ? &imp->desc.global : wb_module_global_type(m, type_or_index);
        out->global_type = (wb_type)g->type;
        out->global_mutable = g->mutable_;
        break;
    }
    }
}

void wb_module_import(const wb_module *m, uint32_t i, wb_extern_desc *out)
{
    *out = (wb_extern_desc){0};
    if (i >= m->nimports)
        return;
    const wb_import *imp = &m->imports[i];
    out->module = imp->module;
    out->module_len = imp->module_len;
    out->name = imp->name;
    out->name_len = imp->name_len;
    describe(m, imp->kind, imp->kind == WB_KIND_FUNC ? imp->desc.type_index : 0, true, imp, out);
}

void wb_module_export(const wb_module *m, uint32_t i, wb_extern_desc *out)
{
    *out = (wb_extern_desc){0};
    if (i >= m->nexports)
        return;
    const wb_export *ex = &m->exports[i];
    out->name = ex->name;
    out->name_len = ex->name_len;
    describe(m, ex->kind, ex->index, false, NULL, out);
}
