/* Reading translated code back: which instruction a cell starts, its layout
 * and its length. The disassembler and the verifier walk code with it; the
 * interpreter never does (it knows each instruction's size at compile time).
 *
 * Layouts are xops.def's notation. A translator-only instruction states
 * its own; a wasm instruction kept as itself has the one its signature and
 * immediate give (opcodes.def): its reads and writes two a cell, then its
 * immediate's cells. */
#include "code_walk.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *layout, *synopsis;
} xinfo[WB_XOP_END - WB_OP_COUNT] = {
#define XOP(id, layout, synopsis) [WB_XOP_##id - WB_OP_COUNT] = {#id, layout, synopsis},
#include "xops.def"
#undef XOP
};

static int by_handler(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const wb_handler_op *)a)->h, y = (uintptr_t)((const wb_handler_op *)b)->h;
    return x < y ? -1 : x > y;
}

/* Every op's layout and length in cells (br_table's entries not counted),
 * made once a process: working them out for each instruction (a layout
 * built from the op's signature, strlen) was most of what checking cached
 * code cost, more than translating the functions again. */
static struct op_layout {
    char text[48];
    size_t cells;
    bool ok;   /* false: never emitted as itself, or too long */
} layouts[WB_NUM_HANDLERS];
static pthread_once_t layouts_made = PTHREAD_ONCE_INIT;

static bool wasm_layout(const wb_opinfo *info, char *out, size_t len);

static void make_layouts(void)
{
    for (unsigned op = 0; op < WB_NUM_HANDLERS; op++) {
        struct op_layout *l = &layouts[op];
        if (op < WB_OP_COUNT) {
            l->ok = wasm_layout(&wb_opinfo_table[op], l->text, sizeof l->text);
        } else {
            size_t n = strlen(xinfo[op - WB_OP_COUNT].layout);
            l->ok = n + 1 <= sizeof l->text;
            if (l->ok)
                memcpy(l->text, xinfo[op - WB_OP_COUNT].layout, n + 1);
        }
        l->cells = l->ok ? 1 + (strlen(l->text) + 1) / 3 : 0;
    }
}

void wb_code_walker_init(wb_code_walker *w)
{
    pthread_once(&layouts_made, make_layouts);
    const void *const *h = wb_interp_handlers();
    for (unsigned op = 0; op < WB_NUM_HANDLERS; op++) {
        w->by_h[op].h = h[op];
        w->by_h[op].op = op;
    }
    qsort(w->by_h, WB_NUM_HANDLERS, sizeof w->by_h[0], by_handler);
    /* each op's canonical op: the lowest with the same handler address */
    for (size_t i = 0; i < WB_NUM_HANDLERS;) {
        size_t j = i;
        unsigned low = w->by_h[i].op;
        for (; j < WB_NUM_HANDLERS && w->by_h[j].h == w->by_h[i].h; j++)
            if (w->by_h[j].op < low)
                low = w->by_h[j].op;
        for (; i < j; i++)
            w->canon[w->by_h[i].op] = low;
    }
}

/* The layout of a wasm instruction kept as itself. */
static bool wasm_layout(const wb_opinfo *info, char *out, size_t len)
{
    if (info->op == WB_OP_UNREACHABLE) {
        out[0] = 0; /* its handler cell only */
        return true;
    }
    uint32_t pops, pushes;
    if (!wb_op_arity(info, &pops, &pushes))
        return false; /* control, calls: never emitted as themselves */
    size_t at = 0, slots = pops + pushes;
    /* a v128 operand (signature V) is two slots from the one named */
    const char *sig = info->sig;
    for (size_t i = 0; i < slots; i += 2) {
        for (size_t k = i; k < i + 2; k++) {
            if (k >= slots) {
                out[at++] = '_';
                continue;
            }
            bool wide = sig[k < pops ? k : k + 1] == 'V'; /* skip the ':' */
            out[at++] = k < pops ? (wide ? 'v' : 'r') : (wide ? 'x' : 'w');
        }
        out[at++] = ' ';
    }
    const char *imm = "";
    switch (info->imm_cells ? info->imm : WB_IMM_NONE) {
    case WB_IMM_MEMARG: imm = "EE "; break;
    case WB_IMM_MEMARG_LANE: imm = "EE II "; break;
    case WB_IMM_SHUFFLE: imm = "KK KK "; break;
    case WB_IMM_TABLE_INIT:
    case WB_IMM_TABLE_COPY: imm = "ii "; break;
    case WB_IMM_NONE: break;
    default: imm = "II "; break;
    }
    if (at + strlen(imm) + 1 > len)
        return false;
    memcpy(out + at, imm, strlen(imm) + 1);
    at += strlen(imm);
    if (at > 0)
        out[at - 1] = 0; /* no trailing space */
    else
        out[0] = 0;
    return true;
}

bool wb_code_decode(const wb_code_walker *w, const wb_cell *code, size_t ncells, size_t at,
                    wb_code_instr *out)
{
    if (at >= ncells)
        return false;
    size_t lo = 0, hi = WB_NUM_HANDLERS;
    uintptr_t h = (uintptr_t)code[at].h;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)w->by_h[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == WB_NUM_HANDLERS || (uintptr_t)w->by_h[lo].h != h)
        return false;
    /* several wasm ops share no handler, but the never-emitted ones share a
     * trap label: the lowest op number with this address (canon) */
    return wb_code_decode_op(w, w->by_h[lo].op, code, ncells, at, out);
}

bool wb_code_decode_op(const wb_code_walker *w, unsigned op, const wb_cell *code, size_t ncells,
                       size_t at, wb_code_instr *out)
{
    if (at >= ncells || op >= WB_NUM_HANDLERS)
        return false;
    op = w->canon[op];
    out->op = op;
    if (!layouts[op].ok)
        return false;
    if (op < WB_OP_COUNT) {
        out->name = wb_opinfo_table[op].name;
        out->synopsis = wb_opinfo_table[op].synopsis;
    } else {
        out->name = xinfo[op - WB_OP_COUNT].name;
        out->synopsis = xinfo[op - WB_OP_COUNT].synopsis;
    }
    out->layout = layouts[op].text;
    size_t cells = layouts[op].cells;
    if (op == WB_XOP_BR_TAB || op == WB_XOP_BR_TAB_F) {
        /* "rn rn TT": n + 1 entries, the first at the TT cell */
        if (at + 1 >= ncells)
            return false;
        cells += code[at + 1].p.b;
    }
    if (cells > ncells - at)
        return false;
    out->cells = cells;
    return true;
}
