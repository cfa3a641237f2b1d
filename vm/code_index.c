/* The code section's index as bytes, for a translation cache to keep
 * beside the translated code (tools/code_cache.c): per function body, the
 * offset of its code entry. A later load of the same bytes given it
 * (wb_module_load_owned_vouched_indexed) checks it against the section in
 * one pass whose reads overlap (decode_segments.c, index_matches) and
 * decodes each entry on first use, instead of walking the entries one
 * after another at start: the walk waits on a cache miss per entry, since
 * each entry's size gives the next one's place (bench/README.md "Large
 * modules"). The bytes are untrusted: an index that is not the section's
 * own is not used, the module is then validated in full.
 *
 * Format (little-endian): "WBINDEX1" u32 count, count u32 offsets. */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC "WBINDEX1"
#define HEAD 12

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> 8 * i);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool wb_module_code_index(const wb_module *m, uint8_t **out, size_t *len)
{
    size_t n = m->ncodes, size = HEAD + 4 * n;
    uint8_t *p = malloc(size);
    if (!p)
        return false;
    memcpy(p, MAGIC, 8);
    put32(p + 8, (uint32_t)n);
    /* modules are at most WB_MAX_MODULE_BYTES (1 GiB): offsets fit a u32 */
    for (size_t i = 0; i < n; i++)
        put32(p + HEAD + 4 * i, m->code_entry ? m->code_entry[i] : (uint32_t)m->codes[i].size_offset);
    *out = p;
    *len = size;
    return true;
}

/* The offsets, from malloc; NULL if the bytes are not an index. */
static uint32_t *parse(const uint8_t *b, size_t len, uint32_t *n)
{
    if (len < HEAD || memcmp(b, MAGIC, 8))
        return NULL;
    *n = get32(b + 8);
    if (*n > WB_MAX_FUNCS || len != HEAD + 4 * (size_t)*n)
        return NULL;
    uint32_t *e = malloc(*n ? 4 * (size_t)*n : 1);
    for (uint32_t i = 0; e && i < *n; i++)
        e[i] = get32(b + HEAD + 4 * (size_t)i);
    return e;
}

wb_module *wb_module_load_owned_vouched_indexed(wb_store *store, uint8_t *bytes, size_t len,
                                                const uint8_t *index, size_t index_len,
                                                bool *index_ok, wb_error *err)
{
    uint32_t n = 0;
    uint32_t *e = parse(index, index_len, &n);
    *index_ok = false;
    if (!e)
        return wb_module_load_owned(store, bytes, len, err);
    if (err)
        err->kind = WB_ERR_NONE;
    wb_module *m = wb_decode_owned_indexed(bytes, len, store->features, e, n, err);
    if (!m)
        return NULL;
    /* a module without a code section never looked at the index */
    *index_ok = m->code_entry || (!m->ncodes && !n);
    return wb_module_track_compiled(store, m, *index_ok, err);
}
