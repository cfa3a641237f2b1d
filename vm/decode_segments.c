/* The sections that carry segments and bodies: element, code, data. */
#include "decode_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Element segment flags (binary format 5.5.12): bit 0 set means passive or
 * (with bit 1) declarative; for an active segment bit 1 means an explicit
 * table index; bit 2 means items are expressions instead of function indices. */
enum { ELEM_NOT_ACTIVE = 1, ELEM_TABLE_OR_DECL = 2, ELEM_EXPRS = 4 };

static bool read_elem_type(wb_decoder *d, uint32_t flags, wb_vt *out)
{
    /* function indices make (ref func) items (3.0: never null); flag 4
     * (expressions, no type) is funcref */
    if ((flags & (ELEM_NOT_ACTIVE | ELEM_TABLE_OR_DECL)) == 0) {
        *out = flags & ELEM_EXPRS ? WB_FUNCREF : wb_vt_ref(false, WB_HEAP_FUNC);
        return true;
    }
    if (flags & ELEM_EXPRS)
        return wb_dec_reftype(d, out);
    size_t at = wb_reader_offset(&d->r);
    uint8_t kind;
    if (!wb_dec_u8(d, &kind))
        return false;
    if (kind != 0x00)
        return wb_dec_fail(d, at, "malformed element kind");
    *out = wb_vt_ref(false, WB_HEAP_FUNC);
    return true;
}

static bool read_elem_items(wb_decoder *d, wb_elemseg *e)
{
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_ELEM_ITEMS, "elements in a segment"))
        return false;
    e->count = n;
    e->items_offset = wb_reader_offset(&d->r);
    if (e->uses_exprs) {
        if (!(e->exprs = wb_dec_alloc(d, n, sizeof *e->exprs)))
            return false;
        for (uint32_t i = 0; i < n; i++)
            if (!wb_dec_const_expr(d, &e->exprs[i]))
                return false;
    } else {
        if (!(e->func_indices = wb_dec_alloc(d, n, sizeof *e->func_indices)))
            return false;
        for (uint32_t i = 0; i < n; i++)
            if (!wb_dec_u32(d, &e->func_indices[i]))
                return false;
    }
    return true;
}

bool wb_dec_element_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_ELEM_SEGMENTS, "element segments"))
        return false;
    if (!(m->elems = wb_dec_alloc(d, n, sizeof *m->elems)))
        return false;
    m->nelems = n;
    for (uint32_t i = 0; i < n; i++) {
        wb_elemseg *e = &m->elems[i];
        size_t at = wb_reader_offset(&d->r);
        e->entry_offset = at;
        uint32_t flags;
        if (!wb_dec_u32(d, &flags))
            return false;
        if (flags > 7)
            return wb_dec_fail(d, at, "malformed elements segment kind");
        if (!(flags & ELEM_NOT_ACTIVE))
            e->mode = WB_SEG_ACTIVE;
        else
            e->mode = (flags & ELEM_TABLE_OR_DECL) ? WB_SEG_DECLARATIVE : WB_SEG_PASSIVE;
        e->uses_exprs = (flags & ELEM_EXPRS) != 0;
        e->table_offset = at; /* table 0 is implicit unless flag 2 names one */
        if (e->mode == WB_SEG_ACTIVE) {
            if (flags & ELEM_TABLE_OR_DECL) {
                e->table_offset = wb_reader_offset(&d->r);
                if (!wb_dec_u32(d, &e->table))
                    return false;
            }
            if (!wb_dec_const_expr(d, &e->offset))
                return false;
        }
        if (!read_elem_type(d, flags, &e->elem_type) || !read_elem_items(d, e))
            return false;
    }
    return true;
}

/* The body of a code entry must end with the `end` opcode. When it does
 * not, the message mimics the reference interpreter, which parses a body
 * without stopping at the entry's size: we walk on from the body's start
 * past the entry, and report the first bad encoding, a misplaced `else`, the
 * module's end, or (when an `end` turns up beyond the entry) the size. A
 * body whose last byte is 0x0B only as an immediate is the validator's to
 * catch. */
static bool check_body_end(wb_decoder *d, size_t entry_start, size_t body, size_t end)
{
    if (end > body && d->m->bytes[end - 1] == 0x0B)
        return true;
    d->r.p = d->r.base + body;
    if (!wb_dec_walk_instrs(d))
        return false;
    return wb_dec_fail(d, entry_start, "section size mismatch");
}

static bool read_code_entry(wb_decoder *d, wb_code *c)
{
    c->size_offset = wb_reader_offset(&d->r);
    uint32_t size;
    if (!wb_dec_len(d, &size))
        return false;
    if (size > WB_MAX_BODY_BYTES)
        return wb_dec_over_limit(d, c->size_offset, "bytes in a function body", size,
                                 WB_MAX_BODY_BYTES);
    size_t start = wb_reader_offset(&d->r);
    size_t end = start + size;
    if (end > d->m->len) /* wb_dec_len allows a few bytes of slack */
        return wb_dec_fail(d, d->m->len, "unexpected end of section or function");

    size_t locals_at = start;
    c->locals_offset = start;
    uint32_t ngroups;
    if (!wb_dec_len(d, &ngroups))
        return false;
    if (!(c->groups = wb_dec_alloc(d, ngroups, sizeof *c->groups)))
        return false;
    c->ngroups = ngroups;
    uint64_t total = 0;
    for (uint32_t i = 0; i < ngroups; i++) {
        if (!wb_dec_u32(d, &c->groups[i].count) || !wb_dec_valtype(d, &c->groups[i].type))
            return false;
        total += c->groups[i].count; /* at most 2^32 groups of < 2^32: no overflow */
    }
    if (total > UINT32_MAX)
        return wb_dec_fail(d, locals_at, "too many locals");
    c->nlocals = (uint32_t)total;

    size_t body = wb_reader_offset(&d->r);
    if (body > end)
        return wb_dec_fail(d, start, "section size mismatch");
    if (!check_body_end(d, start, body, end))
        return false;
    c->body.offset = body;
    c->body.len = end - body;
    d->r.p = d->r.base + end;
    return true;
}

/* Whether d->index is this code section's own: entry 0 starts right after
 * the count, each entry's size field (read where the index says the entry
 * is) makes it end where the next one starts, the last ends the section.
 * So the index is the chain of sizes the walk would follow, checked in full.
 * Unlike the walk, the reads do not wait on each other: each one's place
 * comes from the index, not from the size read before it, so the CPU
 * overlaps their cache misses (one per entry, 47,826 in the large module of
 * bench/README.md "Large modules"). Mismatches are summed up, not branched
 * on, so that the compiler cannot take `want` for the place to read. */
static bool index_matches(const wb_decoder *d, uint32_t n)
{
    const uint32_t *e = d->index;
    const uint8_t *b = d->m->bytes;
    size_t end = d->section_end, want = wb_reader_offset(&d->r), bad = 0;
    if (d->nindex != n || end > d->m->len)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        size_t at = e[i];
        bad |= at ^ want;
        uint32_t size = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (at >= end || shift > 28)
                return false;
            uint8_t byte = b[at++];
            size |= (uint32_t)(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                break;
        }
        if (size > end - at)
            return false;
        want = at + size;
    }
    return (bad | (want ^ end)) == 0;
}

bool wb_dec_code_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_FUNCS, "function bodies"))
        return false;
    if (!(m->codes = wb_dec_alloc(d, n, sizeof *m->codes)))
        return false;
    m->ncodes = n;
    if (d->index && index_matches(d, n)) {
        /* each entry is decoded on first use (wb_dec_code_entry_late):
         * until then its wb_code is the allocation's zeroes, untouched
         * pages for a large module */
        m->code_entry = d->index;
        m->code_end = d->section_end;
        d->index = NULL; /* the module's */
        d->r.p = d->r.base + d->section_end;
        return true;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!read_code_entry(d, &m->codes[i]))
            return false;
    return true;
}

bool wb_dec_code_entry_late(wb_module *m, uint32_t i, wb_error *err)
{
    /* index_matches checked that the entry's size keeps it inside the
     * section and ends it where the next begins */
    size_t at = m->code_entry[i];
    char where[48]; /* named as the body checker names it: the walk's errors come at load */
    snprintf(where, sizeof where, "function %u", m->nfunc_imports + i);
    wb_decoder d = {
        .m = m,
        .r = {m->bytes, m->bytes + at, m->bytes + m->len, NULL},
        .err = err,
        .where = where,
        .in_section = true,
        .section_end = i + 1 < m->ncodes ? m->code_entry[i + 1] : m->code_end,
    };
    if (read_code_entry(&d, &m->codes[i]))
        return true;
    free(m->codes[i].groups);
    memset(&m->codes[i], 0, sizeof m->codes[i]);
    return false;
}

bool wb_dec_data_section(wb_decoder *d)
{
    wb_module *m = d->m;
    uint32_t n;
    if (!wb_dec_count(d, &n, 0, WB_MAX_DATA_SEGMENTS, "data segments"))
        return false;
    if (!(m->datas = wb_dec_alloc(d, n, sizeof *m->datas)))
        return false;
    m->ndatas = n;
    for (uint32_t i = 0; i < n; i++) {
        wb_dataseg *s = &m->datas[i];
        size_t at = wb_reader_offset(&d->r);
        uint32_t flags, len;
        s->entry_offset = at;
        if (!wb_dec_u32(d, &flags))
            return false;
        s->memory_offset = flags == 2 ? wb_reader_offset(&d->r) : at;
        switch (flags) {
        case 0:
            s->mode = WB_SEG_ACTIVE;
            if (!wb_dec_const_expr(d, &s->offset))
                return false;
            break;
        case 1:
            s->mode = WB_SEG_PASSIVE;
            break;
        case 2:
            s->mode = WB_SEG_ACTIVE;
            if (!wb_dec_u32(d, &s->memory) || !wb_dec_const_expr(d, &s->offset))
                return false;
            break;
        default:
            return wb_dec_fail(d, at, "malformed data segment kind");
        }
        if (!wb_dec_len(d, &len))
            return false;
        s->data_offset = wb_reader_offset(&d->r);
        s->len = len;
        if (!wb_dec_skip(d, len))
            return false;
    }
    return true;
}
