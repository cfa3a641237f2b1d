/* The code map: for each translated function, which wasm instruction each
 * cell came from, so a trap can name the byte offset of the instruction that
 * trapped (and every caller's call). Built by translate.c while it emits
 * code; read only when a trap happens (trap_frames.c), so it costs nothing on
 * the path that runs.
 *
 * While translating, the map is a list of (first cell, instruction offset)
 * entries, one per change of offset. A fusion that deletes code it already
 * emitted rewinds the cell counter; the next note drops the entries of the
 * deleted cells, so each cell keeps the offset of the instruction whose
 * translation emitted it last (a fused instruction names the later of its
 * wasm instructions: the load or store of a fused address, the add of a
 * multiply-add, the branch of a compare-and-branch).
 *
 * Finished, it is a byte string of LEB128 pairs: the cell delta, then the
 * offset delta zigzag-encoded (offsets only grow in practice; the encoding
 * does not rely on it). About 2 bytes per wasm instruction that emits code
 * (vm/README.md "Traps" has the measured figures).
 */
#include "compiled.h"

#include <stdlib.h>
#include <string.h>

void wb_code_map_reset(wb_code_map_builder *b)
{
    b->n = 0;
}

void wb_code_map_note(wb_code_map_builder *b, uint32_t cell, size_t offset)
{
    while (b->n > 0 && b->cell[b->n - 1] >= cell)
        b->n--;
    if (b->n > 0 && b->offset[b->n - 1] == offset)
        return;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        uint32_t *c = realloc(b->cell, cap * sizeof *c);
        if (c)
            b->cell = c;
        size_t *o = realloc(b->offset, cap * sizeof *o);
        if (o)
            b->offset = o;
        if (!c || !o) {
            b->failed = true;
            return;
        }
        b->cap = cap;
    }
    b->cell[b->n] = cell;
    b->offset[b->n] = offset;
    b->n++;
}

static size_t put_leb(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        p[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return n;
}

bool wb_code_map_finish(const wb_code_map_builder *b, size_t base, uint8_t **out, uint32_t *len)
{
    *out = NULL;
    *len = 0;
    if (b->failed)
        return false;
    /* at most 10 bytes per LEB128 of 64 bits, two per entry */
    uint8_t *p = malloc(b->n * 20 + 1);
    if (!p)
        return false;
    size_t at = 0, prev_off = base;
    uint32_t prev_cell = 0;
    for (size_t i = 0; i < b->n; i++) {
        int64_t d = (int64_t)(b->offset[i] - prev_off);
        at += put_leb(p + at, b->cell[i] - prev_cell);
        at += put_leb(p + at, ((uint64_t)d << 1) ^ (uint64_t)(d >> 63));
        prev_cell = b->cell[i];
        prev_off = b->offset[i];
    }
    if (at > UINT32_MAX) {
        free(p);
        return false;
    }
    uint8_t *shrunk = realloc(p, at ? at : 1);
    *out = shrunk ? shrunk : p;
    *len = (uint32_t)at;
    return true;
}

void wb_code_map_free(wb_code_map_builder *b)
{
    free(b->cell);
    free(b->offset);
    memset(b, 0, sizeof *b);
}

static uint64_t get_leb(const uint8_t *p, size_t len, size_t *at)
{
    uint64_t v = 0;
    for (unsigned shift = 0; *at < len && shift < 64; shift += 7) {
        uint8_t byte = p[(*at)++];
        v |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            break;
    }
    return v;
}

size_t wb_code_map_offset(const struct wb_compiled *c, uint32_t cell)
{
    size_t at = 0, off = c->body_offset, found = c->body_offset;
    uint32_t pos = 0;
    while (at < c->map_len) {
        pos += (uint32_t)get_leb(c->map, c->map_len, &at);
        uint64_t z = get_leb(c->map, c->map_len, &at);
        off += (size_t)(int64_t)((z >> 1) ^ (~(z & 1) + 1));
        if (pos > cell)
            break;
        found = off;
    }
    return found;
}
