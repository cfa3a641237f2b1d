/* The disassembler: translated code as text, one line per instruction, its
 * operands named by what they are and its synopsis from the opcode tables.
 * For people reading or debugging the translator (`wasmbox disasm`).
 *
 * Slots are named by the part of the frame they are in (compiled.h):
 * L<i> local i (params first), K<i> constant i (its value follows),
 * R<i> the frame record, S<h> the operand slot of height h. */
#include "code_walk.h"
#include "runtime.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    wb_print_fn print;
    void *user;
    char line[1024];
    size_t n;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(out *o, const char *fmt, ...)
{
    if (o->n >= sizeof o->line - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->line + o->n, sizeof o->line - o->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->n += (size_t)k < sizeof o->line - o->n ? (size_t)k : sizeof o->line - 1 - o->n;
}

static void flush_line(out *o)
{
    put(o, "\n");
    o->print(o->user, o->line);
    o->n = 0;
}

static void slot(out *o, const struct wb_compiled *c, uint32_t s)
{
    uint32_t locals = c->nparams + c->nlocals, sbase = c->rec + WB_FRAME_RECORD;
    if (s < locals)
        put(o, "L%u", s);
    else if (s < c->rec) {
        uint32_t k = s - locals;
        if (k < c->nconsts)
            put(o, "K%u(0x%" PRIx64 ")", k, c->consts[k]);
        else
            put(o, "K%u", k);
    } else if (s < sbase)
        put(o, "R%u", s - c->rec);
    else
        put(o, "S%u", s - sbase);
}

/* The function index of a compiled function of m, for a call's operand. */
static uint32_t func_of(const wb_module *m, const void *code)
{
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (m->compiled[i] == code)
            return m->nfunc_imports + i;
    return UINT32_MAX;
}

static void field(out *o, const wb_module *m, const struct wb_compiled *c, size_t cell_at, char f,
                  uint32_t v)
{
    switch (f) {
    case 'r': put(o, " "); slot(o, c, v); break;
    case 'w': put(o, " ->"); slot(o, c, v); break;
    case 'v': put(o, " v128 "); slot(o, c, v); break;
    case 'x': put(o, " -> v128 "); slot(o, c, v); break;
    case 'a': put(o, " args@"); slot(o, c, v); break;
    case 'k': put(o, " #%" PRId32, (int32_t)v); break;
    case 'e': put(o, " end +%" PRIu32, v); break;
    case 'o': put(o, " +%" PRIu32, v); break;
    case 't': put(o, " @%zu", (size_t)((int64_t)cell_at + (int32_t)v)); break;
    case 'c': put(o, " taken charge %" PRId32, (int32_t)v); break;
    case 'n': put(o, " n=%" PRIu32, v); break;
    case 'i': put(o, " %" PRIu32, v); break;
    case 'm': put(o, " memory %" PRIu32, v); break;
    default: break;
    }
    (void)m;
}

static void instr(out *o, const wb_module *m, const struct wb_compiled *c, size_t at,
                  const wb_code_instr *in)
{
    const wb_cell *code = c->code;
    put(o, "  %6zu  %-20s", at, in->name);
    size_t mark = o->n;
    const char *l = in->layout;
    for (size_t ci = at + 1; *l; l += l[2] ? 3 : 2, ci++) {
        const wb_cell *cell = &code[ci];
        if (l[0] >= 'A' && l[0] <= 'Z') {
            switch (l[0]) {
            case 'C': put(o, " cost %" PRIu64, cell->u); break;
            case 'K': put(o, " #0x%" PRIx64, cell->u); break;
            case 'E': put(o, " end +%" PRIu64, cell->u); break;
            case 'I':
                put(o, " %s%" PRIu64,
                    in->op == WB_XOP_CALL_ANY || in->op == WB_XOP_TCALL_ANY ? "func " : "", cell->u);
                break;
            case 'P': put(o, " func %" PRIu32, func_of(m, cell->ptr)); break;
            case 'A': put(o, " args@"); slot(o, c, (uint32_t)cell->u); break;
            case 'S': put(o, " "); slot(o, c, (uint32_t)cell->u); break;
            case 'T':
                for (uint32_t e = 0; e <= code[at + 1].p.b; e++) {
                    put(o, " [%s@%zu ->", e == code[at + 1].p.b ? "default " : "",
                        (size_t)((int64_t)(ci + e) + (int32_t)code[ci + e].p.a));
                    slot(o, c, code[ci + e].p.b);
                    put(o, "]");
                }
                break;
            default: break;
            }
            continue;
        }
        field(o, m, c, ci, l[0], cell->p.a);
        field(o, m, c, ci, l[1], cell->p.b);
    }
    size_t width = o->n - mark;
    put(o, "%*s  ; %s", width < 36 ? (int)(36 - width) : 0, "", in->synopsis);
    flush_line(o);
}

static bool function(out *o, const wb_code_walker *w, const wb_module *m, uint32_t defidx)
{
    const struct wb_compiled *c = m->compiled[defidx];
    uint32_t index = m->nfunc_imports + defidx;
    /* functions are translated on first call (lazy.c): a listing shows
     * every one, so it translates those not yet run (the module's code is
     * a cache the module may fill whatever its constness) */
    wb_error err;
    if (!wb_code_ensure((wb_module *)m, m->compiled[defidx], &err)) {
        put(o, "function %u: not translated: %s", index, err.message);
        flush_line(o);
        return false;
    }
    put(o, "function %u", index);
    if (index < m->nfunc_names && m->func_names[index])
        put(o, " <%s>", m->func_names[index]);
    put(o, ": %u params, %u locals, %u constants, frame record R0 at slot %u, frame %u slots, %zu cells",
        c->nparams, c->nlocals, c->nconsts, c->rec, c->frame_slots, c->ncells);
    flush_line(o);
    for (size_t at = 0; at < c->ncells;) {
        wb_code_instr in;
        if (!wb_code_decode(w, c->code, c->ncells, at, &in)) {
            put(o, "  %6zu  (not an instruction: the listing stops)", at);
            flush_line(o);
            return false;
        }
        instr(o, m, c, at, &in);
        at += in.cells;
    }
    return true;
}

bool wb_module_disasm(const wb_module *m, uint32_t func_index, wb_print_fn print, void *user)
{
    if (!m || !m->compiled || !print)
        return false;
    bool all = func_index == UINT32_MAX;
    if (!all && (func_index < m->nfunc_imports || func_index - m->nfunc_imports >= m->nfuncs))
        return false;
    wb_code_walker *w = malloc(sizeof *w);
    out *o = malloc(sizeof *o);
    if (!w || !o) {
        free(w);
        free(o);
        return false;
    }
    wb_code_walker_init(w);
    o->print = print;
    o->user = user;
    o->n = 0;
    bool ok = true;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        if (!all && m->nfunc_imports + i != func_index)
            continue;
        ok = function(o, w, m, i) && ok;
        if (all && i + 1 < m->nfuncs)
            print(user, "\n");
    }
    free(w);
    free(o);
    return ok;
}
