/* The declaration sections: type, import, function, table, memory, global,
 * export, start, data count. Each vector is allocated whole once its count
 * has passed wb_dec_len, and its count field set at once (entries zeroed),
 * so wb_module_destroy can free a half-read module. */
#include "decode_internal.h"
#include "profile_exc.h"
#include "features.h"

bool wb_dec_import_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_IMPORTS, "imports"))
        return false;
    if (!(m->imports = wb_dec_alloc(d, n, sizeof *m->imports)))
        return false;
    m->nimports = n;
    for (uint32_t i = 0; i < n; i++) {
        wb_import *im = &m->imports[i];
        im->offset = wb_reader_offset(&d->r);
        if (!wb_dec_name(d, &im->module, &im->module_len) ||
            !wb_dec_name(d, &im->name, &im->name_len))
            return false;
        size_t at = wb_reader_offset(&d->r);
        if (!wb_dec_u8(d, &im->kind))
            return false;
        im->desc_offset = wb_reader_offset(&d->r);
        switch (im->kind) {
        case WB_KIND_FUNC:
            if (!wb_dec_u32(d, &im->desc.type_index))
                return false;
            m->nfunc_imports++;
            break;
        case WB_KIND_TABLE:
            if (!wb_dec_tabletype(d, &im->desc.table))
                return false;
            m->ntable_imports++;
            break;
        case WB_KIND_MEMORY:
            if (!wb_dec_limits(d, &im->desc.memory))
                return false;
            m->nmemory_imports++;
            break;
        case WB_KIND_GLOBAL:
            if (!wb_dec_globaltype(d, &im->desc.global))
                return false;
            m->nglobal_imports++;
            break;
        case WB_KIND_TAG:
            if (!(m->features & WB_FEATURE_EXCEPTIONS))
                return wb_dec_fail(d, at, "malformed import kind 4 (a tag)" WB_PROFILE_EXC_WHY);
            if (!wb_dec_tagtype(d, &im->desc.type_index))
                return false;
            m->ntag_imports++;
            break;
        default:
            return wb_dec_fail(d, at, "malformed import kind");
        }
    }
    return true;
}

bool wb_dec_function_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, m->nfunc_imports, WB_MAX_FUNCS, "functions (imported and defined)"))
        return false;
    m->funcs_offset = wb_reader_offset(&d->r);
    if (!(m->func_type_indices = wb_dec_alloc(d, n, sizeof *m->func_type_indices)))
        return false;
    m->nfuncs = n;
    for (uint32_t i = 0; i < n; i++)
        if (!wb_dec_u32(d, &m->func_type_indices[i]))
            return false;
    return true;
}

bool wb_dec_table_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, m->ntable_imports, WB_MAX_TABLES, "tables (imported and defined)"))
        return false;
    if (!(m->tables = wb_dec_alloc(d, n, sizeof *m->tables)))
        return false;
    m->ntables = n;
    for (uint32_t i = 0; i < n; i++) {
        wb_tabletype *t = &m->tables[i];
        /* 3.0: 0x40 0x00, the table type, then an initialiser expression
         * (0x40 is no reference type, so the forms cannot be confused) */
        if (d->r.p < d->r.end && *d->r.p == 0x40) {
            size_t at = wb_reader_offset(&d->r);
            d->r.p++;
            uint8_t zero = 0;
            if (!wb_dec_u8(d, &zero))
                return false;
            if (zero != 0)
                return wb_dec_fail(d, at + 1, "malformed table type");
            if (!wb_dec_tabletype(d, t) || !wb_dec_const_expr(d, &t->init))
                return false;
            t->has_init = true;
        } else if (!wb_dec_tabletype(d, t)) {
            return false;
        }
    }
    return true;
}

bool wb_dec_memory_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    size_t at = wb_reader_offset(&d->r);
    if (!wb_dec_len(d, &n))
        return false;
    if (!(m->memories = wb_dec_alloc(d, n, sizeof *m->memories)))
        return false;
    m->nmemories = n;
    for (uint32_t i = 0; i < n; i++)
        if (!wb_dec_limits(d, &m->memories[i]))
            return false;
    /* checked after the entries (the count is bounded by the bytes left),
     * so that a count the section cannot hold is malformed, as the spec
     * says, not over our limit */
    uint64_t total = (uint64_t)m->nmemory_imports + n;
    return total <= WB_MAX_MEMORIES ||
           wb_dec_over_limit(d, at, "memories (imported and defined)", total, WB_MAX_MEMORIES);
}

bool wb_dec_global_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, m->nglobal_imports, WB_MAX_GLOBALS, "globals (imported and defined)"))
        return false;
    if (!(m->globals = wb_dec_alloc(d, n, sizeof *m->globals)))
        return false;
    m->nglobals = n;
    for (uint32_t i = 0; i < n; i++) {
        m->globals[i].offset = wb_reader_offset(&d->r);
        if (!wb_dec_globaltype(d, &m->globals[i].type) ||
            !wb_dec_const_expr(d, &m->globals[i].init))
            return false;
    }
    return true;
}

/* A tag type: attribute 0 (an exception), then its type's index. */
bool wb_dec_tagtype(wb_decoder *d, uint32_t *type_index)
{
    size_t at = wb_reader_offset(&d->r);
    uint8_t attr = 0;
    if (!wb_dec_u8(d, &attr))
        return false;
    if (attr != 0)
        return wb_dec_fail(d, at, "malformed tag attribute (only 0, an exception, exists)");
    return wb_dec_u32(d, type_index);
}

/* Section 13 (exception handling): each tag's type. */
bool wb_dec_tag_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, m->ntag_imports, WB_MAX_TAGS, "tags (imported and defined)"))
        return false;
    m->tags_offset = wb_reader_offset(&d->r);
    if (!(m->tags = wb_dec_alloc(d, n, sizeof *m->tags)))
        return false;
    m->ntags = n;
    for (uint32_t i = 0; i < n; i++)
        if (!wb_dec_tagtype(d, &m->tags[i]))
            return false;
    return true;
}

bool wb_dec_export_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_EXPORTS, "exports"))
        return false;
    if (!(m->exports = wb_dec_alloc(d, n, sizeof *m->exports)))
        return false;
    m->nexports = n;
    for (uint32_t i = 0; i < n; i++) {
        wb_export *ex = &m->exports[i];
        ex->offset = wb_reader_offset(&d->r);
        if (!wb_dec_name(d, &ex->name, &ex->name_len))
            return false;
        size_t at = wb_reader_offset(&d->r);
        if (!wb_dec_u8(d, &ex->kind))
            return false;
        if (ex->kind > WB_KIND_TAG)
            return wb_dec_fail(d, at, "malformed export kind");
        if (ex->kind == WB_KIND_TAG && !(m->features & WB_FEATURE_EXCEPTIONS))
            return wb_dec_fail(d, at, "malformed export kind 4 (a tag)" WB_PROFILE_EXC_WHY);
        ex->index_offset = wb_reader_offset(&d->r);
        if (!wb_dec_u32(d, &ex->index))
            return false;
    }
    return true;
}

bool wb_dec_start_section(wb_decoder *d)
{
    d->m->start_offset = wb_reader_offset(&d->r);
    if (!wb_dec_u32(d, &d->m->start))
        return false;
    d->m->has_start = true;
    return true;
}

bool wb_dec_datacount_section(wb_decoder *d)
{
    if (!wb_dec_u32(d, &d->m->datacount))
        return false;
    d->m->has_datacount = true;
    return true;
}
