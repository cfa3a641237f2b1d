/* Instantiation in the order of the 2.0 spec (4.5.4): match imports,
 * allocate functions, tables, memories, globals (initializers in order),
 * resolve element segments, then run active element segments, active data
 * segments and the start function. A trap in a segment or the start function
 * fails instantiation but keeps the effects already made, because imported
 * tables and memories are shared with others. */
#include "objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The function index space (a pointer each) and, after it, the block of
 * the defined functions: one block, every entry written at instantiation,
 * so resident at once and in huge pages when large (wb_alloc_resident):
 * for the 47,826 functions of bench/README.md's large module, ~4.6 MB
 * that used to be mostly 4 KiB pages. */
static size_t funcs_bytes(const wb_module *m)
{
    size_t n = wb_module_total_funcs(m);
    return (n ? n : 1) * sizeof(wb_func *) + (size_t)m->nfuncs * sizeof(wb_func);
}

static wb_func *defined_funcs(const wb_instance *inst)
{
    size_t n = wb_module_total_funcs(inst->module);
    return (wb_func *)(void *)(inst->funcs + (n ? n : 1));
}

void wb_instance_release(wb_instance *inst)
{
    if (inst->elems)
        for (uint32_t i = 0; i < inst->module->nelems; i++)
            free(inst->elems[i].refs);
    free(inst->elems);
    /* Defined globals and tags live in one block each, whose start is the
     * first defined entry of the index space (see alloc_globals); defined
     * functions in inst->funcs's block (funcs_bytes). */
    const wb_module *m = inst->module;
    if (inst->globals && m->nglobals)
        free(inst->globals[m->nglobal_imports]);
    if (inst->tags && m->ntags)
        free(inst->tags[m->ntag_imports]);
    free(inst->tags);
    wb_free_resident(inst->funcs, funcs_bytes(m)); /* the defined functions' block with it */
    free(inst->tables);
    free(inst->memories);
    free(inst->globals);
    free(inst->data_dropped);
    free(inst->type_ids);
    free(inst);
}

static void *zalloc(size_t n, size_t size) { return calloc(n ? n : 1, size); }

static bool nomem(wb_error *err, const char *what)
{
    wb_error_set(err, WB_ERR_NOMEM, 0, "instantiation", "out of memory for %s", what);
    return false;
}

/* A table's or memory's minimum does not fit in the store's budget. */
static void over_budget(const wb_store *s, wb_error *err, size_t offset, const char *what,
                        uint32_t index, uint64_t bytes)
{
    wb_error_set(err, WB_ERR_LIMIT, offset, "instantiation",
                 "%s %u: minimum of %llu bytes does not fit in the store's memory limit "
                 "(%llu of %llu bytes in use)",
                 what, index, (unsigned long long)bytes, (unsigned long long)s->mem_used,
                 (unsigned long long)s->limits.max_memory);
}

static void alloc_funcs(wb_instance *inst, const wb_extern *imports)
{
    const wb_module *m = inst->module;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WB_KIND_FUNC)
            inst->funcs[k++] = imports[i].of.func;
    /* one block for all defined functions, after inst->funcs (funcs_bytes) */
    wb_func *block = defined_funcs(inst);
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        wb_func *f = &block[i];
        uint32_t ti = m->func_type_indices[i];
        f->type_id = inst->type_ids[ti];
        f->type = &m->types[ti];
        f->type_view = wb_store_type_view(inst->store, f->type_id);
        f->instance = inst;
        f->index = m->nfunc_imports + i;
        f->code = m->compiled ? m->compiled[i] : NULL;
        inst->funcs[k++] = f;
    }
}

static bool alloc_tables(wb_instance *inst, const wb_extern *imports, wb_error *err)
{
    const wb_module *m = inst->module;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WB_KIND_TABLE)
            inst->tables[k++] = imports[i].of.table;
    for (uint32_t i = 0; i < m->ntables; i++, k++) {
        const wb_tabletype *tt = &m->tables[i];
        uint32_t max = tt->limits.max > UINT32_MAX ? UINT32_MAX : (uint32_t)tt->limits.max;
        uint32_t min = tt->limits.min > UINT32_MAX ? UINT32_MAX : (uint32_t)tt->limits.min;
        wb_vt et = wb_vt_in_store(inst->type_ids, m->ntypes, tt->elem_type);
        switch (wb_table_create(inst->store, et, min, max, tt->limits.has_max, 0,
                                &inst->tables[k])) {
        case WB_ALLOC_OK:
            inst->tables[k]->is64 = tt->limits.is64;
            inst->tables[k]->max_declared = tt->limits.has_max ? tt->limits.max : UINT32_MAX;
            break;
        case WB_ALLOC_LIMIT:
            if (tt->limits.min > WB_MAX_TABLE_ELEMS)
                wb_error_set(err, WB_ERR_LIMIT, tt->limits.offset, "instantiation",
                             "table %u: minimum %llu elements is over the limit of %u", k,
                             (unsigned long long)tt->limits.min, WB_MAX_TABLE_ELEMS);
            else
                over_budget(inst->store, err, tt->limits.offset, "table", k,
                            tt->limits.min * WB_TABLE_ELEM_BYTES);
            return false;
        case WB_ALLOC_NOMEM: return nomem(err, "a table");
        }
    }
    return true;
}

/* 3.0 tables with an initialiser (after the imported globals it may read,
 * before the module's own globals and segments): every element its value. */
static bool init_tables(wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    for (uint32_t i = 0; i < m->ntables; i++) {
        const wb_tabletype *tt = &m->tables[i];
        if (!tt->has_init)
            continue;
        uint64_t v = 0;
        if (!wb_eval_const(inst, m->nglobal_imports, tt->init, &v, NULL)) {
            wb_error_set(err, WB_ERR_INVALID, tt->init.offset, "table section",
                         "table %u: initializer is not a constant expression", m->ntable_imports + i);
            return false;
        }
        wb_table *t = inst->tables[m->ntable_imports + i];
        for (uint32_t k = 0; k < t->size; k++)
            t->elems[k] = v;
    }
    return true;
}

static bool alloc_memories(wb_instance *inst, const wb_extern *imports, wb_error *err)
{
    const wb_module *m = inst->module;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WB_KIND_MEMORY)
            inst->memories[k++] = imports[i].of.memory;
    for (uint32_t i = 0; i < m->nmemories; i++, k++) {
        const wb_range *r = &m->memories[i];
        switch (wb_memory_create(inst->store, r->min, r->max, r->has_max, r->is64,
                                 &inst->memories[k])) {
        case WB_ALLOC_OK: break;
        case WB_ALLOC_LIMIT:
            over_budget(inst->store, err, r->offset, "memory", k, r->min * WB_PAGE_SIZE);
            return false;
        case WB_ALLOC_NOMEM: return nomem(err, "a memory");
        }
    }
    inst->mem0 = wb_module_total_memories(m) ? inst->memories[0] : NULL;
    return true;
}

static bool alloc_globals(wb_instance *inst, const wb_extern *imports, wb_error *err)
{
    const wb_module *m = inst->module;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WB_KIND_GLOBAL)
            inst->globals[k++] = imports[i].of.global;
    /* One block for all defined globals: the instance owns it. */
    wb_global *block = m->nglobals ? calloc(m->nglobals, sizeof *block) : NULL;
    if (m->nglobals && !block)
        return nomem(err, "globals");
    for (uint32_t i = 0; i < m->nglobals; i++, k++) {
        wb_global *g = &block[i];
        inst->globals[k] = g; /* placed first, so the instance frees the block */
        g->type = wb_vt_in_store(inst->type_ids, m->ntypes, m->globals[i].type.type);
        g->mutable_ = m->globals[i].type.mutable_;
        /* Only the globals before this one exist yet, which is all a valid
         * initializer may read. */
        if (!wb_eval_const(inst, k, m->globals[i].init, &g->value, &g->hi)) {
            wb_error_set(err, WB_ERR_INVALID, m->globals[i].init.offset, "global section",
                         "global %u: initializer is not a constant expression", k);
            return false;
        }
    }
    return true;
}

static bool resolve_elems(wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wb_elemseg *seg = &m->elems[i];
        wb_elem_state *st = &inst->elems[i];
        st->refs = zalloc(seg->count, sizeof *st->refs);
        if (!st->refs)
            return nomem(err, "an element segment");
        st->count = seg->count;
        for (uint32_t j = 0; j < seg->count; j++) {
            if (!seg->uses_exprs) {
                st->refs[j] = (uint64_t)(uintptr_t)inst->funcs[seg->func_indices[j]];
            } else if (!wb_eval_const(inst, wb_module_total_globals(m), seg->exprs[j],
                                      &st->refs[j], NULL)) {
                wb_error_set(err, WB_ERR_INVALID, seg->exprs[j].offset, "element section",
                             "segment %u item %u: not a constant expression", i, j);
                return false;
            }
        }
    }
    return true;
}

static bool eval_offset64(wb_instance *inst, wb_expr e, uint64_t *out, const char *where,
                          wb_error *err)
{
    if (!wb_eval_const(inst, wb_module_total_globals(inst->module), e, out, NULL)) {
        wb_error_set(err, WB_ERR_INVALID, e.offset, where, "offset is not a constant expression");
        return false;
    }
    return true;
}

/* A segment trapped: the error points at the segment's entry. */
static bool trapped(wb_store *s, wb_status st, wb_error *err, const char *what, uint32_t index,
                    size_t offset)
{
    char where[64];
    snprintf(where, sizeof where, "%s %u", what, index);
    wb_store_set_trap(s, st, NULL);
    wb_error_set(err, WB_ERR_TRAP, offset, where, "%s", wb_status_message(st));
    return false;
}

static bool init_segments(wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wb_elemseg *seg = &m->elems[i];
        if (seg->mode == WB_SEG_ACTIVE) {
            uint64_t dst64;
            if (!eval_offset64(inst, seg->offset, &dst64, "element section", err))
                return false;
            /* a 32-bit table's offset is an i32 (its slot's low half); a
             * 64-bit table's past 2^32 is past any table this engine makes */
            bool wide = wb_module_table_type(m, seg->table)->limits.is64;
            if (wide && dst64 > UINT32_MAX)
                return trapped(inst->store, WB_TRAP_TABLE_OOB, err, "element segment", i,
                               seg->entry_offset);
            wb_status st = wb_op_table_init(inst, seg->table, i, (uint32_t)dst64, 0, seg->count);
            if (st != WB_OK)
                return trapped(inst->store, st, err, "element segment", i, seg->entry_offset);
        }
        if (seg->mode != WB_SEG_PASSIVE)
            inst->elems[i].count = 0; /* elem.drop */
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wb_dataseg *seg = &m->datas[i];
        if (seg->mode != WB_SEG_ACTIVE)
            continue;
        uint64_t dst64;
        if (!eval_offset64(inst, seg->offset, &dst64, "data section", err))
            return false;
        /* a 32-bit memory's offset is an i32 (its slot's low half); a 64-bit
         * memory's past 2^32 is past any memory this engine makes */
        bool wide = wb_module_memory_type(m, seg->memory)->is64;
        if (wide && dst64 > UINT32_MAX)
            return trapped(inst->store, WB_TRAP_MEMORY_OOB, err, "data segment", i, seg->entry_offset);
        uint32_t dst = (uint32_t)dst64;
        wb_status st = wb_op_memory_init(inst, seg->memory, i, dst, 0, seg->len);
        if (st != WB_OK)
            return trapped(inst->store, st, err, "data segment", i, seg->entry_offset);
        inst->data_dropped[i] = true; /* data.drop */
    }
    return true;
}

static bool run_start(wb_instance *inst, wb_error *err)
{
    const wb_module *m = inst->module;
    if (!m->has_start)
        return true;
    uint64_t slots[1] = {0};
    if (inst->store->nesting == 0)
        inst->store->ntrap_frames = 0;
    wb_status st = wb_interp_invoke(inst->store, inst->funcs[m->start], slots);
    if (st == WB_OK)
        return true;
    wb_error_set(err, WB_ERR_TRAP, m->start_offset, "start function", "%s",
                 wb_store_trap_message(inst->store));
    return false;
}

wb_instance *wb_instantiate(wb_store *store, wb_module *m, const wb_extern *imports,
                            uint32_t nimports, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    if (nimports != m->nimports || (nimports && !imports)) {
        wb_error_set(err, WB_ERR_LINK, 0, "instantiation",
                     "unknown import: the module has %u imports, %u were given", m->nimports,
                     nimports);
        return NULL;
    }
    /* the module's types as the store's ids first: imports are matched by them */
    uint32_t *type_ids = wb_store_module_types(store, m);
    if (!type_ids) {
        nomem(err, "the module's types");
        return NULL;
    }
    for (uint32_t i = 0; i < nimports; i++)
        if (!wb_link_check_import(m, type_ids, i, &imports[i], err)) {
            free(type_ids);
            return NULL;
        }

    /* The store keeps the (shared) module alive as long as the instance:
     * its reference is tracked before the instance, so it is released
     * after it (wb_store_free goes newest first). */
    wb_module_ref(m);
    if (!wb_store_track(store, WB_OBJ_MODULE, m)) {
        free(type_ids);
        nomem(err, "an instance");
        return NULL;
    }
    wb_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        free(type_ids);
        nomem(err, "an instance");
        return NULL;
    }
    inst->module = m;
    inst->store = store;
    /* the module's types as this store's canonical ids (call_indirect
     * compares them with the callee's) */
    inst->type_ids = type_ids;
    inst->funcs = wb_alloc_resident(funcs_bytes(m));
    inst->tables = zalloc(wb_module_total_tables(m), sizeof *inst->tables);
    inst->memories = zalloc(wb_module_total_memories(m), sizeof *inst->memories);
    inst->globals = zalloc(wb_module_total_globals(m), sizeof *inst->globals);
    inst->tags = zalloc(wb_module_total_tags(m), sizeof *inst->tags);
    inst->elems = zalloc(m->nelems, sizeof *inst->elems);
    inst->data_dropped = zalloc(m->ndatas, sizeof *inst->data_dropped);
    if (!inst->type_ids || !inst->funcs || !inst->tables || !inst->memories || !inst->globals || !inst->tags ||
        !inst->elems || !inst->data_dropped) {
        wb_instance_release(inst);
        nomem(err, "an instance");
        return NULL;
    }
    /* From here on the store owns the instance, even if instantiation fails:
     * functions already placed in shared tables point into it. */
    if (!wb_store_track(store, WB_OBJ_INSTANCE, inst)) {
        nomem(err, "an instance");
        return NULL;
    }
    alloc_funcs(inst, imports);
    if (!alloc_tables(inst, imports, err) ||
        !alloc_memories(inst, imports, err) || !alloc_globals(inst, imports, err) || !init_tables(inst, err) ||
        !wb_instance_alloc_tags(inst, imports, err) ||
        !resolve_elems(inst, err) || !init_segments(inst, err) || !run_start(inst, err))
        return NULL;
    return inst;
}

const wb_module *wb_instance_module(const wb_instance *inst) { return inst->module; }

bool wb_instance_export(const wb_instance *inst, const char *name, size_t len, wb_extern *out)
{
    const wb_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wb_export *ex = &m->exports[i];
        if (ex->name_len != len || (len && memcmp(ex->name, name, len) != 0))
            continue;
        out->kind = (wb_extern_kind)ex->kind;
        switch (ex->kind) {
        case WB_KIND_FUNC: out->of.func = inst->funcs[ex->index]; break;
        case WB_KIND_TABLE: out->of.table = inst->tables[ex->index]; break;
        case WB_KIND_MEMORY: out->of.memory = inst->memories[ex->index]; break;
        case WB_KIND_GLOBAL: out->of.global = inst->globals[ex->index]; break;
        case WB_KIND_TAG: out->of.tag = inst->tags[ex->index]; break;
        default: return false;
        }
        return true;
    }
    return false;
}
