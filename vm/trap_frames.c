/* Where a trap happened: the wasm frames of the activation that stopped,
 * found only when a trap (or a host failure) ends a run, so the running path
 * pays nothing for it.
 *
 * The interpreter keeps no block or call stack of its own: a frame is its
 * slots, and the frame record (compiled.h) holds the caller's pc, fp and
 * instance. So the walk starts at the stopped pc and fp, finds the function
 * whose code holds pc (searching the store's modules: traps are rare), reads
 * the instruction offset from that function's code map, and continues with the
 * record's return pc (the cell after the caller's 3-cell call instruction)
 * and fp. It ends at the first record whose return pc lies in no function's
 * code (the interpreter's exit cell: the activation's first frame), or after
 * WB_MAX_TRAP_FRAMES frames. */
#include "compiled.h"
#include "objects.h"

/* The defined function of a module in the store whose code holds the cell
 * at address a (cells from `code` up to but excluding `code + ncells`). */
const struct wb_compiled *wb_find_code(const wb_store *s, uintptr_t a, const wb_module **mod)
{
    for (size_t i = 0; i < s->nobjects; i++) {
        if (s->object_kinds[i] != WB_OBJ_MODULE)
            continue;
        const wb_module *m = s->objects[i];
        if (!m->compiled)
            continue;
        for (uint32_t f = 0; f < m->nfuncs; f++) {
            const struct wb_compiled *c = m->compiled[f];
            if (!c || !wb_code_ready(c)) /* not translated (yet): nothing runs there */
                continue;
            uintptr_t lo = (uintptr_t)c->code, hi = (uintptr_t)(c->code + c->ncells);
            if (a >= lo && a < hi) {
                *mod = m;
                return c;
            }
        }
    }
    return NULL;
}

void wb_trap_frames_add(wb_store *s, const void *pc, const uint64_t *fp)
{
    uintptr_t at = (uintptr_t)pc;
    while (at && s->ntrap_frames < WB_MAX_TRAP_FRAMES) {
        const wb_module *m = NULL;
        const struct wb_compiled *c = wb_find_code(s, at, &m);
        if (!c)
            return;
        uint32_t cell = (uint32_t)((at - (uintptr_t)c->code) / sizeof(wb_cell));
        wb_frame *f = &s->trap_frames[s->ntrap_frames++];
        f->func_index = c->func_index;
        f->offset = wb_code_map_offset(c, cell);
        f->module = m;
        f->name = c->func_index < m->nfunc_names ? m->func_names[c->func_index] : NULL;
        /* the caller continues 3 cells after its call instruction */
        const uint64_t *rec = fp + c->rec;
        uintptr_t ret = (uintptr_t)rec[0];
        fp = (const uint64_t *)(uintptr_t)rec[1];
        at = ret >= 3 * sizeof(wb_cell) ? ret - 3 * sizeof(wb_cell) : 0;
        /* the exit cell is no function's code: find_code ends the walk */
    }
}

uint32_t wb_store_trap_frames(const wb_store *s, wb_frame *out, uint32_t max)
{
    uint32_t n = s->ntrap_frames < max ? s->ntrap_frames : max;
    for (uint32_t i = 0; i < n; i++)
        out[i] = s->trap_frames[i];
    return n;
}
