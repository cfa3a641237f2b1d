/* Compiling modules (store-independent, shared by reference; functions are
 * translated on first call, lazy.c), loading them
 * into a store, and describing their imports and exports. */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

/* A compiled module belongs to no store: stores that load or instantiate it
 * hold a reference each (wb_store_track), and the last one frees it. */
static void free_compiled(wb_module *m)
{
    wb_module_code_free(m);
    if (m->type_views) {
        for (uint32_t i = 0; i < m->ntypes; i++)
            free(m->type_views[i]);
        free(m->type_views);
        m->type_views = NULL;
    }
    wb_module_destroy(m);
}

void wb_module_ref(wb_module *m) { atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed); }

void wb_module_unref(wb_module *m)
{
    if (m && atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1)
        free_compiled(m);
}

void wb_module_release(wb_module *m) { wb_module_unref(m); }

/* The public API's view of each type: params then results as wb_type. */
static bool make_type_views(wb_module *m)
{
    m->type_views = calloc(m->ntypes ? m->ntypes : 1, sizeof *m->type_views);
    if (!m->type_views)
        return false;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const wb_mtype *t = &m->types[i];
        size_t n = (size_t)t->nparams + t->nresults;
        wb_type *v = malloc((n ? n : 1) * sizeof *v);
        if (!v)
            return false;
        for (uint32_t k = 0; k < t->nparams; k++)
            v[k] = wb_vt_public(t->params[k]);
        for (uint32_t k = 0; k < t->nresults; k++)
            v[t->nparams + k] = wb_vt_public(t->results[k]);
        m->type_views[i] = v;
    }
    return true;
}

/* Validates and prepares a decoded module (every function untranslated). */
static wb_module *compile_decoded(wb_module *m, wb_translation mode, bool vouched, wb_error *err)
{
    if (!m)
        return NULL;
    if (!(vouched ? wb_validate_vouched(m, err) : wb_validate(m, err))) {
        wb_module_destroy(m);
        return NULL;
    }
    atomic_init(&m->refs, 1);
    m->translation = mode;
    if (!make_type_views(m)) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "module", "out of memory for type views");
        free_compiled(m);
        return NULL;
    }
    if (!wb_code_prepare(m, err)) {
        free_compiled(m);
        return NULL;
    }
    return m;
}

wb_module *wb_module_compile_features(const uint8_t *bytes, size_t len, wb_translation mode,
                                      wb_features features, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    return compile_decoded(wb_decode_features(bytes, len, features, err), mode, false, err);
}

wb_module *wb_module_compile(const uint8_t *bytes, size_t len, wb_translation mode, wb_error *err)
{
    return wb_module_compile_features(bytes, len, mode, WB_FEATURES_3_0, err);
}

static wb_module *compile_owned(uint8_t *bytes, size_t len, wb_translation mode, wb_features features,
                                wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    return compile_decoded(wb_decode_owned_features(bytes, len, features, err), mode, false, err);
}

wb_module *wb_module_compile_owned(uint8_t *bytes, size_t len, wb_translation mode, wb_error *err)
{
    return compile_owned(bytes, len, mode, WB_FEATURES_3_0, err);
}

/* The store takes the reference (and frees the module if it cannot). */
static wb_module *track(wb_store *store, wb_module *m, wb_error *err)
{
    if (!m)
        return NULL;
    if (!wb_store_track(store, WB_OBJ_MODULE, m)) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "module", "out of memory");
        return NULL;
    }
    return m;
}

wb_module *wb_module_load(wb_store *store, const uint8_t *bytes, size_t len, wb_error *err)
{
    return track(store, wb_module_compile_features(bytes, len, store->translation, store->features, err),
                 err);
}

wb_module *wb_module_load_owned(wb_store *store, uint8_t *bytes, size_t len, wb_error *err)
{
    return track(store, compile_owned(bytes, len, store->translation, store->features, err), err);
}

wb_module *wb_module_load_owned_vouched(wb_store *store, uint8_t *bytes, size_t len, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    return track(store,
                 compile_decoded(wb_decode_owned_features(bytes, len, store->features, err),
                                 store->translation, true, err),
                 err);
}

wb_module *wb_module_track_compiled(wb_store *store, wb_module *m, bool vouched, wb_error *err)
{
    return track(store, compile_decoded(m, store->translation, vouched, err), err);
}

bool wb_module_vouch_held(const wb_module *m)
{
    return !atomic_load(&((wb_module *)m)->vouch_broken);
}

bool wb_module_validate(const uint8_t *bytes, size_t len, wb_error *err)
{
    return wb_module_validate_features(bytes, len, WB_FEATURES_3_0, err);
}

bool wb_module_validate_features(const uint8_t *bytes, size_t len, wb_features features, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    wb_module *m = wb_decode_features(bytes, len, features, err);
    if (!m)
        return false;
    bool ok = wb_validate(m, err);
    wb_module_destroy(m);
    return ok;
}

uint32_t wb_module_import_count(const wb_module *m) { return m->nimports; }
bool wb_module_memory_is64(const wb_module *m, uint32_t idx)
{
    return idx < wb_module_total_memories(m) && wb_module_memory_type(m, idx)->is64;
}
uint32_t wb_module_export_count(const wb_module *m) { return m->nexports; }

/* Fills the kind-specific part of a description. */
static void describe(const wb_module *m, uint8_t kind, uint32_t type_or_index, bool is_import_func,
                     const wb_import *imp, wb_extern_desc *out)
{
    out->kind = (wb_extern_kind)kind;
    switch (kind) {
    case WB_KIND_FUNC: {
        uint32_t ti = is_import_func ? type_or_index : wb_module_func_type_index(m, type_or_index);
        wb_functype_from(&m->types[ti], m->type_views[ti], &out->func);
        break;
    }
    case WB_KIND_TABLE: {
        const wb_tabletype *t = imp ? &imp->desc.table : wb_module_table_type(m, type_or_index);
        out->ref_type = wb_vt_public(t->elem_type);
        out->limits = (wb_limits_range){t->limits.min, t->limits.max, t->limits.has_max};
        out->is64 = t->limits.is64;
        break;
    }
    case WB_KIND_MEMORY: {
        const wb_range *r = imp ? &imp->desc.memory : wb_module_memory_type(m, type_or_index);
        out->limits = (wb_limits_range){r->min, r->max, r->has_max};
        out->is64 = r->is64;
        break;
    }
    case WB_KIND_TAG: {
        uint32_t ti = imp ? imp->desc.type_index : wb_module_tag_type_index(m, type_or_index);
        wb_functype_from(&m->types[ti], m->type_views[ti], &out->func);
        break;
    }
    case WB_KIND_GLOBAL: {
        const wb_globaltype *g = imp ? &imp->desc.global : wb_module_global_type(m, type_or_index);
        out->global_type = wb_vt_public(g->type);
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
