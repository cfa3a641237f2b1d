/* Index-space lookups over a decoded module, and freeing it.
 *
 * Each index space (functions, tables, memories, globals) numbers the
 * imports of that kind first, then the module's own definitions. The
 * decoder builds m->spaces once so each lookup is O(1); a module built by
 * hand (tests) has no m->spaces and gets a scan of the imports instead. */
#include "decode_internal.h"

#include <stdlib.h>

/* Defined by lazy.c. Weak so that programs linking the decoder without
 * the translator (the decoder's unit tests) still link: there m->compiled is
 * always NULL and the function is never called. */
void wb_module_code_free(wb_module *m) __attribute__((weak));
/* Defined by validate.c, weak for the same programs (m->late is NULL there). */
void wb_validate_late_free(wb_module *m) __attribute__((weak));

/* The n-th import of `kind`, counting from 0; the caller checked n. */
static const wb_import *nth_import(const wb_module *m, uint8_t kind, uint32_t n)
{
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == kind && n-- == 0)
            return &m->imports[i];
    return NULL;
}

uint32_t wb_module_func_type_index(const wb_module *m, uint32_t funcidx)
{
    if (m->spaces)
        return m->spaces->func_type[funcidx];
    if (funcidx < m->nfunc_imports)
        return nth_import(m, WB_KIND_FUNC, funcidx)->desc.type_index;
    return m->func_type_indices[funcidx - m->nfunc_imports];
}

const wb_tabletype *wb_module_table_type(const wb_module *m, uint32_t idx)
{
    if (m->spaces)
        return m->spaces->table[idx];
    if (idx < m->ntable_imports)
        return &nth_import(m, WB_KIND_TABLE, idx)->desc.table;
    return &m->tables[idx - m->ntable_imports];
}

const wb_range *wb_module_memory_type(const wb_module *m, uint32_t idx)
{
    if (m->spaces)
        return m->spaces->memory[idx];
    if (idx < m->nmemory_imports)
        return &nth_import(m, WB_KIND_MEMORY, idx)->desc.memory;
    return &m->memories[idx - m->nmemory_imports];
}

const wb_globaltype *wb_module_global_type(const wb_module *m, uint32_t idx)
{
    if (m->spaces)
        return m->spaces->global[idx];
    if (idx < m->nglobal_imports)
        return &nth_import(m, WB_KIND_GLOBAL, idx)->desc.global;
    return &m->globals[idx - m->nglobal_imports].type;
}

uint32_t wb_module_tag_type_index(const wb_module *m, uint32_t idx)
{
    if (m->spaces)
        return m->spaces->tag_type[idx];
    if (idx < m->ntag_imports)
        return nth_import(m, WB_KIND_TAG, idx)->desc.type_index;
    return m->tags[idx - m->ntag_imports];
}

static void free_spaces(struct wb_index_spaces *s)
{
    if (!s)
        return;
    free(s->func_type);
    free(s->table);
    free(s->memory);
    free(s->global);
    free(s->tag_type);
    free(s);
}

bool wb_dec_index_spaces(wb_decoder *d)
{
    wb_module *m = d->m;
    /* Every total is at most a few times the module size (each entry took
     * at least a byte), so these allocations are bounded by the input. */
    struct wb_index_spaces *s = calloc(1, sizeof *s);
    if (s) {
        s->func_type = calloc((size_t)wb_module_total_funcs(m) + 1, sizeof *s->func_type);
        s->table = calloc((size_t)wb_module_total_tables(m) + 1, sizeof *s->table);
        s->memory = calloc((size_t)wb_module_total_memories(m) + 1, sizeof *s->memory);
        s->global = calloc((size_t)wb_module_total_globals(m) + 1, sizeof *s->global);
        s->tag_type = calloc((size_t)wb_module_total_tags(m) + 1, sizeof *s->tag_type);
    }
    if (!s || !s->func_type || !s->table || !s->memory || !s->global || !s->tag_type) {
        free_spaces(s);
        wb_error_set(d->err, WB_ERR_NOMEM, 0, "module", "out of memory");
        return false;
    }
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0, nx = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wb_import *im = &m->imports[i];
        switch (im->kind) {
        case WB_KIND_FUNC: s->func_type[nf++] = im->desc.type_index; break;
        case WB_KIND_TABLE: s->table[nt++] = &im->desc.table; break;
        case WB_KIND_MEMORY: s->memory[nm++] = &im->desc.memory; break;
        case WB_KIND_GLOBAL: s->global[ng++] = &im->desc.global; break;
        case WB_KIND_TAG: s->tag_type[nx++] = im->desc.type_index; break;
        }
    }
    for (uint32_t i = 0; i < m->nfuncs; i++)
        s->func_type[nf++] = m->func_type_indices[i];
    for (uint32_t i = 0; i < m->ntables; i++)
        s->table[nt++] = &m->tables[i];
    for (uint32_t i = 0; i < m->nmemories; i++)
        s->memory[nm++] = &m->memories[i];
    for (uint32_t i = 0; i < m->nglobals; i++)
        s->global[ng++] = &m->globals[i].type;
    for (uint32_t i = 0; i < m->ntags; i++)
        s->tag_type[nx++] = m->tags[i];
    m->spaces = s;
    return true;
}

void wb_module_destroy(wb_module *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; m->types && i < m->ntypes; i++) {
        free(m->types[i].params);
        free(m->types[i].results);
    }
    free(m->types);
    free(m->type_offsets);
    free(m->type_canon);
    free(m->type_group);
    for (uint32_t i = 0; m->imports && i < m->nimports; i++) {
        free(m->imports[i].module);
        free(m->imports[i].name);
    }
    free(m->imports);
    free(m->func_type_indices);
    free(m->tables);
    free(m->memories);
    free(m->globals);
    free(m->tags);
    for (uint32_t i = 0; m->exports && i < m->nexports; i++)
        free(m->exports[i].name);
    free(m->exports);
    for (uint32_t i = 0; m->elems && i < m->nelems; i++) {
        free(m->elems[i].func_indices);
        free(m->elems[i].exprs);
    }
    free(m->elems);
    free(m->code_entry);
    for (uint32_t i = 0; m->codes && i < m->ncodes; i++)
        free(m->codes[i].groups);
    free(m->codes);
    free(m->datas);
    for (uint32_t i = 0; m->customs && i < m->ncustoms; i++)
        free(m->customs[i].name);
    free(m->customs);
    for (uint32_t i = 0; m->func_names && i < m->nfunc_names; i++)
        free(m->func_names[i]);
    free(m->func_names);
    free_spaces(m->spaces);
    free(m->func_declared);
    if (m->late && wb_validate_late_free)
        wb_validate_late_free(m);
    if ((m->compiled || m->code_block) && wb_module_code_free)
        wb_module_code_free(m);
    free(m->bytes);
    free(m);
}
