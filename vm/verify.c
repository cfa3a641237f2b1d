/* The translated-code verifier: after a function is translated (lazy.c,
 * before the code is published), walks its code and checks what the interpreter takes on trust. Built only with
 * -DWB_VERIFY (the SAN=1 build), where every module the spec suite, the
 * fuzzers and the tests load goes through it; a violation is a translator
 * bug, reported on stderr, and the process aborts.
 *
 * Checked, per function: the code starts with FUEL_POLL (calls charge its
 * cost without dispatching to it); every cell that starts an instruction
 * holds a known handler and the instruction ends within the code, which it
 * fills exactly; every slot operand is inside the frame (slot ranges of a
 * branch or return too); the frame record is where the function says;
 * every branch target is the start of an instruction, a FUEL cell for the
 * forward branches that charge their target (JMP and the conditional
 * branches), a FUEL_POLL cell for the loop forms; a call's code pointer is
 * a function of the module and an imported function index is in range;
 * every index an instruction carries (global, table, data and element
 * segment, function, type, tag) names one the module has, and memory
 * instructions only appear in a module with a memory; the handler table's
 * regions, clauses and landing points (check_handlers).
 *
 * The same checks, not aborting, vet code read back from a translation
 * cache (wb_code_check, code_serial.c). */
#include "code_walk.h"
#include "instr.h"
#include "runtime.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct vctx {
    const wb_module *m;
    const struct wb_compiled *c;
    uint32_t defidx;
    size_t at;
    jmp_buf *escape;          /* wb_code_check: report here instead of aborting */
    char *why;
    size_t whylen;
} vctx;

static void bad(const vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void bad(const vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (v->escape) {
        int n = snprintf(v->why, v->whylen, "function %u, cell %zu: ", v->m->nfunc_imports + v->defidx, v->at);
        if (n >= 0 && (size_t)n < v->whylen)
            vsnprintf(v->why + n, v->whylen - (size_t)n, fmt, ap);
        va_end(ap);
        longjmp(*v->escape, 1);
    }
    fprintf(stderr, "wasmbox: translated code of function %u fails verification at cell %zu: ",
            v->m->nfunc_imports + v->defidx, v->at);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static uint32_t half(const wb_cell *cell, int which) { return which ? cell->p.b : cell->p.a; }

/* The kind of target a branch needs: 0 any instruction, else the op. */
static unsigned target_kind(unsigned op)
{
    switch (op) {
    case WB_XOP_BR_ADJ:
    case WB_XOP_BR_TAB:
        return 0;
    case WB_XOP_BR_TAB_F:
        return WB_XOP_FUEL;
#define XOP(id, layout, synopsis)
#define XOP_LOOP(base, layout) case WB_XOP_##base##_L:
#include "xops.def"
#undef XOP
        return WB_XOP_FUEL_POLL;
    default:
        return WB_XOP_FUEL;
    }
}

static void check_slot(const vctx *v, uint32_t slot, uint32_t count)
{
    if ((uint64_t)slot + count > v->c->frame_slots)
        bad(v, "slot %u (+%u) outside the frame of %u slots", slot, count, v->c->frame_slots);
}

/* Whether p is one of m's function entries (they are one block). */
static bool is_function(const wb_module *m, const void *p)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)m->code_block;
    return m->code_block && a >= lo && a < lo + (uintptr_t)m->nfuncs * sizeof *m->code_block &&
           (a - lo) % sizeof *m->code_block == 0;
}

/* starts[]: 0 no instruction starts at this cell, 1 one does, JOINED_SECOND
 * one does that a joined pair's handler runs (opfamilies.h WB_JOINS) */
#define JOINED_SECOND 2

/* The second step of joined op `op`, or 0 when it is no joined pair or
 * triple; *third the triple's third step, else 0. */
static unsigned joined_second(unsigned op, unsigned *third)
{
    *third = 0;
    switch (op) {
#define JOIN_CASE(a, b)         \
    case WB_XOP_J_##a##_##b: \
        return WB_JOP_##b;
        WB_JOINS(JOIN_CASE)
#undef JOIN_CASE
#define JOIN3_CASE(a, b, c)                \
    case WB_XOP_J3_##a##_##b##_##c:        \
        *third = WB_JOP_##c;               \
        return WB_JOP_##b;
        WB_JOINS3(JOIN3_CASE)
#undef JOIN3_CASE
    default:
        return 0;
    }
}

static void check_target(const vctx *v, const unsigned char *starts, size_t cell, int32_t rel)
{
    int64_t target = (int64_t)cell + rel;
    if (target < 0 || (size_t)target >= v->c->ncells || !starts[target])
        bad(v, "branch target %lld is not an instruction", (long long)target);
    if (starts[target] == JOINED_SECOND)
        bad(v, "branch target %lld is the second of a joined pair", (long long)target);
}

/* [idx n][src arity][n + 1 entries (target, dst)] */
static void check_br_table(const vctx *v, const unsigned char *starts, const unsigned *ops, size_t at,
                           unsigned want)
{
    const wb_cell *code = v->c->code;
    uint32_t n = code[at + 1].p.b, arity = code[at + 2].p.b;
    check_slot(v, code[at + 1].p.a, 1);
    check_slot(v, code[at + 2].p.a, arity);
    for (uint32_t e = 0; e <= n; e++) {
        size_t ci = at + 3 + e;
        check_target(v, starts, ci, (int32_t)code[ci].p.a);
        int64_t target = (int64_t)ci + (int32_t)code[ci].p.a;
        if (want && ops[target] != want)
            bad(v, "br_table target %lld is not a FUEL cell", (long long)target);
        check_slot(v, code[ci].p.b, arity);
    }
}

static void check_index(const vctx *v, uint64_t idx, uint64_t count, const char *what)
{
    if (idx >= count)
        bad(v, "%s %llu out of range (%llu)", what, (unsigned long long)idx, (unsigned long long)count);
}

/* The indices a wasm instruction kept as itself carries, and its memory. */
static void check_wasm_immediates(const vctx *v, unsigned op, const wb_cell *cell)
{
    const wb_module *m = v->m;
    const wb_opinfo *info = &wb_opinfo_table[op];
    switch (info->imm) {
    case WB_IMM_GLOBAL: check_index(v, cell->u, wb_module_total_globals(m), "global"); break;
    case WB_IMM_TABLE: check_index(v, cell->u, wb_module_total_tables(m), "table"); break;
    case WB_IMM_FUNC: check_index(v, cell->u, wb_module_total_funcs(m), "function"); break;
    case WB_IMM_DATA:
    case WB_IMM_MEMORY_INIT: check_index(v, cell->u, m->ndatas, "data segment"); break;
    case WB_IMM_ELEM: check_index(v, cell->u, m->nelems, "element segment"); break;
    case WB_IMM_LANE:
    case WB_IMM_MEMARG_LANE: /* the last cell: the lane (opcodes.def: align is its size) */
        check_index(v, cell->u, 16u >> info->align, "lane");
        break;
    case WB_IMM_SHUFFLE: /* 16 lane indices below 32 in the last two cells */
        for (int i = 0; i < 16; i++)
            check_index(v, ((const uint8_t *)(cell - 1))[i], 32, "shuffle lane");
        break;
    case WB_IMM_TABLE_INIT:
        check_index(v, cell->p.a, m->nelems, "element segment");
        check_index(v, cell->p.b, wb_module_total_tables(m), "table");
        break;
    case WB_IMM_TABLE_COPY:
        check_index(v, cell->p.a, wb_module_total_tables(m), "table");
        check_index(v, cell->p.b, wb_module_total_tables(m), "table");
        break;
    default: break;
    }
    bool memory = info->imm == WB_IMM_MEMARG || info->imm == WB_IMM_MEMARG_LANE || info->imm == WB_IMM_MEMIDX ||
                  info->imm == WB_IMM_MEMORY_INIT || info->imm == WB_IMM_MEMORY_COPY ||
                  op == WB_OP_MEMORY_FILL;
    if (memory && wb_module_total_memories(m) == 0)
        bad(v, "%s in a module without a memory", info->name);
}

/* The handler table (compiled.h wb_exc_table): regions inside the code and
 * nested as listed, each clause's tag in range, its values and exnref in
 * the frame, and where it continues a landing point as a branch target
 * is: an instruction, never a joined pair's second (join_pairs leaves
 * them alone); a legacy catch's a FUEL cell, which charges its stretch. */
static void check_handlers(vctx *v, const unsigned char *starts, const unsigned *ops)
{
    const wb_exc_table *x = v->c->exc;
    if (!x)
        return;
    v->at = 0;
    for (uint32_t r = 0; r < x->nregions; r++) {
        const wb_exc_region *g = &x->regions[r];
        if (g->start > g->end || g->end > v->c->ncells)
            bad(v, "handler region %u [%u, %u) outside the code", r, g->start, g->end);
        if (g->parent != WB_EXC_NONE && g->parent >= r)
            bad(v, "handler region %u's parent %u does not come before it", r, g->parent);
        if (g->delegate != WB_EXC_NONE && g->delegate >= x->nregions)
            bad(v, "handler region %u delegates to region %u, out of range", r, g->delegate);
    }
    for (uint32_t i = 0; i < x->ncatches; i++) {
        const wb_exc_catch *k = &x->catches[i];
        if (k->region >= x->nregions || k->kind > WB_CATCH_ALL_REF)
            bad(v, "catch clause %u: region %u or kind %u out of range", i, k->region, k->kind);
        uint32_t slots = 0;
        if (k->kind == WB_CATCH || k->kind == WB_CATCH_REF) {
            check_index(v, k->tag, wb_module_total_tags(v->m), "tag");
            slots = v->m->types[wb_module_tag_type_index(v->m, k->tag)].param_slots;
        }
        v->at = k->target;
        check_target(v, starts, 0, (int32_t)k->target);
        bool legacy = k->exn_slot != WB_EXC_NONE && k->kind != WB_CATCH_REF &&
                      k->kind != WB_CATCH_ALL_REF;
        if (legacy && ops[k->target] != WB_XOP_FUEL)
            bad(v, "legacy catch clause %u continues at no FUEL cell", i);
        /* fuel per chain: a landing point never enters a chain in its
         * middle; a try_table's pad is the branch `br` would be, which
         * charges its target's chain (vm/README.md "Exception handling") */
        unsigned pad = ops[k->target];
        if (!legacy && pad != WB_XOP_JMP && pad != WB_XOP_JMP_L && pad != WB_XOP_BR_ADJ &&
            pad != WB_XOP_RET && pad != WB_XOP_RET1)
            bad(v, "try_table catch clause %u continues at no JMP, BR_ADJ or RET", i);
        check_slot(v, k->dst, slots);
        if (k->exn_slot != WB_EXC_NONE)
            check_slot(v, k->exn_slot, 1);
    }
}

static void check_function(const wb_code_walker *w, vctx *v, unsigned char *starts, unsigned *ops)
{
    const struct wb_compiled *c = v->c;
    const wb_cell *code = c->code;
    v->at = 0;
    if (c->ncells < 2 || code[0].h != wb_interp_handlers()[WB_XOP_FUEL_POLL])
        bad(v, "does not start with FUEL_POLL");
    /* pass 1: instruction starts */
    for (size_t at = 0; at < c->ncells;) {
        wb_code_instr in;
        v->at = at;
        if (!wb_code_decode(w, code, c->ncells, at, &in))
            bad(v, "no known instruction here, or it runs past the end");
        starts[at] = 1;
        ops[at] = in.op;
        at += in.cells;
    }
    /* a joined pair's handler runs the instruction after it as its second
     * step (a triple's, the two after it): each must be there, be that op,
     * and be no branch target */
    for (size_t at = 0; at < c->ncells; at++) {
        unsigned third = 0, second = starts[at] ? joined_second(ops[at], &third) : 0;
        if (!second)
            continue;
        wb_code_instr in;
        v->at = at;
        wb_code_decode_op(w, ops[at], code, c->ncells, at, &in); /* pass 1 named it */
        size_t nx = at + in.cells;
        if (nx >= c->ncells || !starts[nx] || ops[nx] != second)
            bad(v, "joined pair %s is not followed by its second instruction", in.name);
        starts[nx] = JOINED_SECOND;
        if (!third)
            continue;
        wb_code_instr in2;
        wb_code_decode_op(w, ops[nx], code, c->ncells, nx, &in2);
        size_t nx2 = nx + in2.cells;
        if (nx2 >= c->ncells || !starts[nx2] || ops[nx2] != third)
            bad(v, "joined triple %s is not followed by its third instruction", in.name);
        starts[nx2] = JOINED_SECOND;
    }
    /* pass 2: operands and targets */
    for (size_t at = 0; at < c->ncells;) {
        wb_code_instr in;
        v->at = at;
        wb_code_decode_op(w, ops[at], code, c->ncells, at, &in); /* pass 1 named it */
        if (in.op == WB_XOP_BR_TAB || in.op == WB_XOP_BR_TAB_F) {
            check_br_table(v, starts, ops, at, target_kind(in.op));
            at += in.cells;
            continue;
        }
        uint32_t count = 1;
        for (const char *l = in.layout; *l; l += l[2] ? 3 : 2)
            if (l[1] == 'n')
                count = half(&code[at + 1 + (size_t)(l - in.layout) / 3], 1);
        for (const char *l = in.layout; *l; l += l[2] ? 3 : 2) {
            size_t ci = at + 1 + (size_t)(l - in.layout) / 3;
            const wb_cell *cell = &code[ci];
            for (int side = 0; side < 2; side++) {
                char f = l[side];
                uint32_t val = half(cell, side);
                if (f == 'r' || f == 'w')
                    check_slot(v, val, count);
                else if (f == 'v' || f == 'x')
                    check_slot(v, val, 2);
                else if (f == 'a')
                    check_slot(v, val, 0);
                else if (f == 'm')
                    check_index(v, val, wb_module_total_memories(v->m), "memory");
                else if (f == 't') {
                    check_target(v, starts, ci, (int32_t)val);
                    int64_t target = (int64_t)ci + (int32_t)val;
                    unsigned want = target_kind(in.op);
                    if (want && ops[target] != want)
                        bad(v, "branch target %lld is not a %s cell", (long long)target,
                            want == WB_XOP_FUEL ? "FUEL" : "FUEL_POLL");
                }
            }
            /* the interpreter charges from a 32-bit counter whose sign is
             * the test (interp.c CHARGE): a chain's cost, and what a taken
             * branch charges (negative: a refund), stay below 2^30 in
             * size, so no charge or refund can wrap it */
            if (l[0] == 'C' && cell->u >= WB_FUEL_CHARGE_LIMIT)
                bad(v, "fuel cost %llu is 2^30 or more", (unsigned long long)cell->u);
            if (l[1] == 'c' && ((int32_t)cell->p.b >= (int32_t)WB_FUEL_CHARGE_LIMIT ||
                                (int32_t)cell->p.b <= -(int32_t)WB_FUEL_CHARGE_LIMIT))
                bad(v, "taken branch's fuel charge %d is 2^30 or more in size", (int32_t)cell->p.b);
            if (l[0] == 'S' && cell->u != c->rec)
                bad(v, "frame record at slot %llu, the function's is %u", (unsigned long long)cell->u, c->rec);
            if (l[0] == 'A')
                check_slot(v, (uint32_t)(cell->u > UINT32_MAX ? UINT32_MAX : cell->u), 0);
            if (l[0] == 'P' && !is_function(v->m, cell->ptr))
                bad(v, "call to code that is no function of the module");
            bool ind = in.op == WB_XOP_CALL_IND || in.op == WB_XOP_TCALL_IND;
            bool any = in.op == WB_XOP_CALL_ANY || in.op == WB_XOP_TCALL_ANY;
            if (ind && l == in.layout && cell->p.b >= v->m->ntypes)
                bad(v, "call_indirect of type %u, out of range", cell->p.b);
            if (l[0] == 'I' && any && cell->u >= wb_module_total_funcs(v->m))
                bad(v, "call of function %llu, out of range", (unsigned long long)cell->u);
            if (ind && l == in.layout)
                check_index(v, cell->p.a, wb_module_total_tables(v->m), "table");
            if (l[0] == 'I' && in.op == WB_XOP_MEMN_INIT)
                check_index(v, cell->u, v->m->ndatas, "data segment");
            if (in.op == WB_XOP_THROW && l == in.layout)
                check_index(v, cell->p.a, wb_module_total_tags(v->m), "tag");
            if (l[0] == 'I' && (in.op == WB_XOP_GLOBAL_GET_V128 || in.op == WB_XOP_GLOBAL_SET_V128))
                check_index(v, cell->u, wb_module_total_globals(v->m), "global");
        }
        if (in.op < WB_OP_COUNT) {
            /* the immediate is the last cell (code_walk.c's layouts) */
            if (wb_opinfo_table[in.op].imm_cells)
                check_wasm_immediates(v, in.op, &code[at + in.cells - 1]);
            else
                check_wasm_immediates(v, in.op, &code[at]);
        }
        /* the fused loads and stores (_A, _X) need no memory: they bounds-check
         * against the memory's size, 0 without one */
        at += in.cells;
    }
    check_handlers(v, starts, ops);
}

void wb_verify_function(const wb_module *m, uint32_t defidx, const struct wb_compiled *c)
{
    wb_code_walker *w = malloc(sizeof *w);
    unsigned char *starts = calloc(c->ncells ? c->ncells : 1, sizeof *starts);
    unsigned *ops = calloc(c->ncells ? c->ncells : 1, sizeof *ops);
    if (w && starts && ops) {
        wb_code_walker_init(w);
        vctx v = {m, c, defidx, 0, NULL, NULL, 0};
        check_function(w, &v, starts, ops);
    }
    free(w);
    free(starts);
    free(ops);
}

bool wb_code_check(const wb_module *m, uint32_t defidx, const struct wb_compiled *c,
                   const struct wb_code_walker *w, char *why, size_t whylen)
{
    /* volatile: read again after the longjmp */
    unsigned char *volatile starts = calloc(c->ncells ? c->ncells : 1, sizeof *starts);
    unsigned *volatile ops = calloc(c->ncells ? c->ncells : 1, sizeof *ops);
    volatile bool ok = false;
    if (starts && ops) {
        jmp_buf escape;
        vctx v = {m, c, defidx, 0, &escape, why, whylen};
        if (setjmp(escape) == 0) {
            check_function(w, &v, starts, ops);
            ok = true;
        }
    } else {
        snprintf(why, whylen, "out of memory");
    }
    free(starts);
    free(ops);
    return ok;
}

void wb_verify_module(const wb_module *m)
{
    for (uint32_t i = 0; m->compiled && i < m->nfuncs; i++)
        if (wb_code_ready(m->compiled[i]))
            wb_verify_function(m, i, m->compiled[i]);
}
