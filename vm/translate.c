/* Translation of validated function bodies into threaded code (compiled.h).
 *
 * One pass over each body. The validator already proved the body well typed,
 * so this pass tracks only what the code layout needs: the operand height (a
 * number of 64-bit slots), the label stack, and the fuel cost of the current
 * straight-line stretch. Code after br/br_table/return/unreachable is skipped
 * up to the matching else/end. See vm/README.md "Execution design".
 */
#include "compiled.h"
#include "instr.h"
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

enum { LBL_BLOCK, LBL_LOOP, LBL_IF, LBL_FUNC };

typedef struct label {
    uint8_t kind;
    bool targeted;          /* some branch (or an if's false edge) lands after its end */
    uint32_t height;        /* operand height below the block's params */
    uint32_t nparams, nresults;
    size_t loop_start;      /* LBL_LOOP: cell branches go to */
    size_t patch_head;      /* chain of forward branch cells to patch (index + 1; 0 = none) */
    size_t if_false;        /* LBL_IF: cell of IF_FALSE's target, until else/end; 0 = none */
} label;

typedef struct tr {
    const wb_module *m;
    const void *const *h;
    wb_cell *code;
    size_t n, cap;
    label *labels;
    size_t nlabels, cap_labels;
    uint32_t height, max_height;
    uint32_t nlocals_total;
    size_t fuel_cell;       /* cell holding the current stretch's cost */
    uint64_t cost;
    bool failed;
} tr;

static void emit_raw(tr *t, wb_cell c)
{
    if (t->failed)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        wb_cell *p = realloc(t->code, cap * sizeof *p);
        if (!p) {
            t->failed = true;
            return;
        }
        t->code = p;
        t->cap = cap;
    }
    t->code[t->n++] = c;
}

static void emit_op(tr *t, unsigned op)
{
    wb_cell c;
    c.h = t->h[op];
    emit_raw(t, c);
}

static void emit_u(tr *t, uint64_t v)
{
    wb_cell c;
    c.u = v;
    emit_raw(t, c);
}

static void emit_pair(tr *t, uint32_t a, uint32_t b)
{
    wb_cell c;
    c.p.a = a;
    c.p.b = b;
    emit_raw(t, c);
}

static void grow_height(tr *t, uint32_t pops, uint32_t pushes)
{
    t->height = t->height - pops + pushes;
    if (t->height > t->max_height)
        t->max_height = t->height;
}

/* Ends the current stretch (its cost is now known) and starts a new one with a
 * FUEL or FUEL_POLL instruction. Returns the new stretch's first cell. */
static size_t begin_stretch(tr *t, bool poll)
{
    if (!t->failed && t->fuel_cell)
        t->code[t->fuel_cell].u = t->cost;
    size_t at = t->n;
    emit_op(t, poll ? WB_XOP_FUEL_POLL : WB_XOP_FUEL);
    t->fuel_cell = t->n;
    emit_u(t, 0);
    t->cost = 0;
    return at;
}

static void set_target(tr *t, size_t cell, size_t target)
{
    if (t->failed)
        return;
    t->code[cell].p.a = (uint32_t)(int32_t)((ptrdiff_t)target - (ptrdiff_t)cell);
}

/* Resolves every pending forward branch of l to `target`. */
static void patch_label(tr *t, label *l, size_t target)
{
    size_t at = l->patch_head;
    while (at && !t->failed) {
        size_t cell = at - 1;
        size_t next = t->code[cell].p.a;
        set_target(t, cell, target);
        at = next;
    }
    l->patch_head = 0;
}

/* Registers `cell` (whose .p.a gets the target) as a forward branch to l. */
static void add_patch(tr *t, label *l, size_t cell)
{
    if (t->failed)
        return;
    t->code[cell].p.a = (uint32_t)l->patch_head;
    l->patch_head = cell + 1;
    l->targeted = true;
}

static bool push_label(tr *t, uint8_t kind, uint32_t nparams, uint32_t nresults)
{
    if (t->nlabels == t->cap_labels) {
        size_t cap = t->cap_labels ? t->cap_labels * 2 : 16;
        label *p = realloc(t->labels, cap * sizeof *p);
        if (!p) {
            t->failed = true;
            return false;
        }
        t->labels = p;
        t->cap_labels = cap;
    }
    label *l = &t->labels[t->nlabels++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->nparams = nparams;
    l->nresults = nresults;
    l->height = t->height - nparams;
    return true;
}

static void block_arity(const wb_module *m, int64_t bt, uint32_t *np, uint32_t *nr)
{
    if (bt == WB_BLOCK_EMPTY) {
        *np = 0;
        *nr = 0;
    } else if (bt < 0) {
        *np = 0;
        *nr = 1;
    } else {
        *np = m->types[bt].nparams;
        *nr = m->types[bt].nresults;
    }
}

/* Emits a branch to label depth `depth`. cond: br_if (pops first). */
static void emit_branch(tr *t, uint32_t depth, bool cond)
{
    label *l = &t->labels[t->nlabels - 1 - depth];
    uint32_t arity = l->kind == LBL_LOOP ? l->nparams : l->nresults;
    uint32_t h = t->height;
    if (l->kind == LBL_FUNC && !cond) {
        emit_op(t, WB_XOP_RET);
        emit_u(t, arity);
        return;
    }
    if (l->kind == LBL_FUNC) {
        /* br_if to the function label: skip a RET when the condition is 0 */
        emit_op(t, WB_XOP_IF_FALSE);
        size_t cell = t->n;
        emit_pair(t, 0, 0);
        emit_op(t, WB_XOP_RET);
        emit_u(t, arity);
        set_target(t, cell, t->n);
        return;
    }
    bool adjust = h - arity != l->height;
    unsigned op = cond ? (adjust ? WB_XOP_BR_IF_ADJ : WB_XOP_BR_IF_JMP)
                       : (adjust ? WB_XOP_BR_ADJ : WB_XOP_JMP);
    emit_op(t, op);
    size_t cell = t->n;
    emit_pair(t, 0, arity);
    if (adjust)
        emit_u(t, t->nlocals_total + l->height);
    if (l->kind == LBL_LOOP) {
        set_target(t, cell, l->loop_start);
    } else {
        add_patch(t, l, cell);
    }
}

/* Skips unreachable instructions up to the else/end that closes the current
 * block; returns false at a read error (cannot happen after validation). */
static bool skip_unreachable(wb_reader *r, wb_instr *in)
{
    uint32_t depth = 0;
    for (;;) {
        if (!wb_read_instr(r, in))
            return false;
        switch (in->info->op) {
        case WB_OP_BLOCK:
        case WB_OP_LOOP:
        case WB_OP_IF:
            depth++;
            break;
        case WB_OP_ELSE:
            if (depth == 0)
                return true;
            break;
        case WB_OP_END:
            if (depth == 0)
                return true;
            depth--;
            break;
        default:
            break;
        }
    }
}

/* Operand counts of an instruction with a fixed signature "params:results". */
static void sig_counts(const char *sig, uint32_t *pops, uint32_t *pushes)
{
    uint32_t a = 0, b = 0;
    const char *p = sig;
    while (*p && *p != ':')
        a++, p++;
    if (*p == ':')
        p++;
    while (*p)
        b++, p++;
    *pops = a;
    *pushes = b;
}

static bool translate_body(tr *t, const wb_module *m, uint32_t defidx, struct wb_compiled *c,
                           struct wb_compiled **all, wb_error *err)
{
    const wb_mtype *ft = &m->types[m->func_type_indices[defidx]];
    const wb_code *code = &m->codes[defidx];
    c->nparams = ft->nparams;
    c->nresults = ft->nresults;
    c->nlocals = code->nlocals;
    uint64_t total = (uint64_t)ft->nparams + code->nlocals;
    if (total > UINT32_MAX / 2) {
        wb_error_set(err, WB_ERR_LIMIT, code->size_offset, "code section", "too many locals");
        return false;
    }
    t->nlocals_total = (uint32_t)total;
    t->height = 0;
    t->max_height = 0;
    t->n = 0;
    t->nlabels = 0;
    t->fuel_cell = 0;
    t->cost = 0;

    wb_reader r = {m->bytes, m->bytes + code->body.offset, m->bytes + code->body.offset + code->body.len,
                   NULL};
    push_label(t, LBL_FUNC, 0, ft->nresults);
    begin_stretch(t, true);

    wb_instr in;
    bool reachable = true;
    while (t->nlabels > 0 && !t->failed) {
        if (!reachable) {
            if (!skip_unreachable(&r, &in))
                goto bad;
        } else if (!wb_read_instr(&r, &in)) {
            goto bad;
        }
        wb_op op = in.info->op;
        if (reachable)
            t->cost++;
        switch (op) {
        case WB_OP_NOP:
            break;
        case WB_OP_UNREACHABLE:
            emit_op(t, WB_OP_UNREACHABLE);
            reachable = false;
            break;
        case WB_OP_BLOCK:
        case WB_OP_LOOP:
        case WB_OP_IF: {
            uint32_t np, nr;
            block_arity(m, in.imm.block_type, &np, &nr);
            if (op == WB_OP_IF) {
                emit_op(t, WB_XOP_IF_FALSE);
                size_t cell = t->n;
                emit_pair(t, 0, 0);
                t->height--;
                if (!push_label(t, LBL_IF, np, nr))
                    break;
                t->labels[t->nlabels - 1].if_false = cell;
                begin_stretch(t, false);
            } else if (op == WB_OP_LOOP) {
                if (!push_label(t, LBL_LOOP, np, nr))
                    break;
                t->labels[t->nlabels - 1].loop_start = begin_stretch(t, true);
            } else {
                push_label(t, LBL_BLOCK, np, nr);
            }
            break;
        }
        case WB_OP_ELSE: {
            label *l = &t->labels[t->nlabels - 1];
            if (reachable) {
                emit_op(t, WB_XOP_JMP);
                size_t cell = t->n;
                emit_pair(t, 0, 0);
                add_patch(t, l, cell);
            }
            size_t at = begin_stretch(t, false);
            set_target(t, l->if_false, at);
            l->if_false = 0;
            t->height = l->height + l->nparams;
            reachable = true;
            break;
        }
        case WB_OP_END: {
            label l = t->labels[--t->nlabels];
            if (l.kind == LBL_FUNC) {
                if (reachable) {
                    emit_op(t, WB_XOP_RET);
                    emit_u(t, l.nresults);
                }
                if (l.targeted) {
                    /* br_table entries reach the function's end here */
                    size_t at = t->n;
                    emit_op(t, WB_XOP_RET);
                    emit_u(t, l.nresults);
                    patch_label(t, &l, at);
                }
                begin_stretch(t, false); /* closes the last stretch's cost */
                t->n -= 2;
                break;
            }
            if (l.if_false) /* if without else: the false edge lands after end */
                l.targeted = true;
            if (l.targeted) {
                size_t at = begin_stretch(t, false);
                patch_label(t, &l, at);
                if (l.if_false)
                    set_target(t, l.if_false, at);
                reachable = true;
            }
            /* Else nothing branches here: after an unreachable end, the code
             * that follows is unreachable too. */
            t->height = l.height + l.nresults;
            if (t->height > t->max_height)
                t->max_height = t->height;
            break;
        }
        case WB_OP_BR:
            emit_branch(t, in.imm.index, false);
            reachable = false;
            break;
        case WB_OP_BR_IF:
            t->height--;
            emit_branch(t, in.imm.index, true);
            begin_stretch(t, false);
            break;
        case WB_OP_BR_TABLE: {
            t->height--;
            uint32_t n = in.imm.br_table.count;
            wb_reader it = in.imm.br_table.targets;
            /* every target has the same arity (validated) */
            label *d = &t->labels[t->nlabels - 1 - in.imm.br_table.default_target];
            uint32_t arity = d->kind == LBL_LOOP ? d->nparams : d->nresults;
            emit_op(t, WB_XOP_BR_TAB);
            emit_pair(t, n, arity);
            for (uint32_t i = 0; i <= n && !t->failed; i++) {
                uint32_t depth = i < n ? wb_br_table_next(&it) : in.imm.br_table.default_target;
                label *l = &t->labels[t->nlabels - 1 - depth];
                size_t cell = t->n;
                emit_pair(t, 0, t->nlocals_total + l->height);
                if (l->kind == LBL_LOOP)
                    set_target(t, cell, l->loop_start);
                else
                    add_patch(t, l, cell);
            }
            reachable = false;
            break;
        }
        case WB_OP_RETURN:
            emit_op(t, WB_XOP_RET);
            emit_u(t, ft->nresults);
            reachable = false;
            break;
        case WB_OP_CALL:
        case WB_OP_CALL_INDIRECT: {
            uint32_t ti = op == WB_OP_CALL ? wb_module_func_type_index(m, in.imm.index)
                                           : in.imm.call_indirect.type_index;
            const wb_mtype *ct = &m->types[ti];
            if (op == WB_OP_CALL_INDIRECT) {
                t->height--;
                emit_op(t, WB_XOP_CALL_IND);
                emit_pair(t, in.imm.call_indirect.table, m->type_ids[ti]);
            } else if (in.imm.index >= m->nfunc_imports) {
                emit_op(t, WB_XOP_CALL_DEF);
                wb_cell cc;
                cc.ptr = all[in.imm.index - m->nfunc_imports];
                emit_raw(t, cc);
            } else {
                emit_op(t, WB_XOP_CALL_ANY);
                emit_u(t, in.imm.index);
            }
            /* host calls write results over the arguments: keep room for both */
            uint32_t room = ct->nresults > ct->nparams ? ct->nresults : ct->nparams;
            grow_height(t, 0, room);
            t->height -= room;
            grow_height(t, ct->nparams, ct->nresults);
            break;
        }
        case WB_OP_DROP:
            emit_op(t, WB_XOP_DROP1);
            t->height--;
            break;
        case WB_OP_SELECT:
        case WB_OP_SELECT_T:
            emit_op(t, WB_XOP_SEL);
            t->height -= 2;
            break;
        case WB_OP_LOCAL_GET:
        case WB_OP_LOCAL_SET:
        case WB_OP_LOCAL_TEE:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            if (op == WB_OP_LOCAL_GET)
                grow_height(t, 0, 1);
            else if (op == WB_OP_LOCAL_SET)
                t->height--;
            break;
        case WB_OP_GLOBAL_GET:
        case WB_OP_GLOBAL_SET:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            if (op == WB_OP_GLOBAL_GET)
                grow_height(t, 0, 1);
            else
                t->height--;
            break;
        case WB_OP_TABLE_GET:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            break;
        case WB_OP_TABLE_SET:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            t->height -= 2;
            break;
        case WB_OP_TABLE_GROW:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            t->height--;
            break;
        case WB_OP_TABLE_FILL:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            t->height -= 3;
            break;
        case WB_OP_REF_NULL:
            emit_op(t, op);
            grow_height(t, 0, 1);
            break;
        case WB_OP_REF_IS_NULL:
            emit_op(t, op);
            break;
        case WB_OP_REF_FUNC:
            emit_op(t, op);
            emit_u(t, in.imm.index);
            grow_height(t, 0, 1);
            break;
        default: {
            /* fixed-signature instructions: numeric, memory, bulk */
            const char *sig = in.info->sig;
            if (!sig)
                goto bad;
            emit_op(t, op);
            switch (in.info->imm) {
            case WB_IMM_MEMARG:
                emit_u(t, in.imm.memarg.offset);
                break;
            case WB_IMM_I32:
                emit_u(t, (uint32_t)in.imm.i32);
                break;
            case WB_IMM_I64:
                emit_u(t, (uint64_t)in.imm.i64);
                break;
            case WB_IMM_F32:
                emit_u(t, in.imm.f32_bits);
                break;
            case WB_IMM_F64:
                emit_u(t, in.imm.f64_bits);
                break;
            case WB_IMM_MEMORY_INIT:
            case WB_IMM_DATA:
            case WB_IMM_ELEM:
            case WB_IMM_TABLE:
                emit_u(t, in.imm.index);
                break;
            case WB_IMM_TABLE_INIT:
            case WB_IMM_TABLE_COPY:
                emit_pair(t, in.imm.pair.a, in.imm.pair.b);
                break;
            default:
                break;
            }
            uint32_t pops, pushes;
            sig_counts(sig, &pops, &pushes);
            grow_height(t, pops, pushes);
            break;
        }
        }
        if (in.info->op == WB_OP_END && t->nlabels == 0)
            break;
    }
    if (t->failed) {
        wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
        return false;
    }
    uint64_t frame = (uint64_t)t->nlocals_total + t->max_height;
    if (frame > UINT32_MAX) {
        wb_error_set(err, WB_ERR_LIMIT, code->size_offset, "code section", "function frame too large");
        return false;
    }
    c->frame_slots = (uint32_t)frame;
    c->code = malloc((t->n ? t->n : 1) * sizeof *c->code);
    if (!c->code) {
        wb_error_set(err, WB_ERR_NOMEM, code->size_offset, "code section", "out of memory translating");
        return false;
    }
    memcpy(c->code, t->code, t->n * sizeof *c->code);
    c->ncells = t->n;
    return true;

bad:
    wb_error_set(err, WB_ERR_INVALID, in.offset, "code section",
                 "translator could not read a validated body");
    return false;
}

bool wb_translate_module(wb_module *m, wb_error *err)
{
    m->compiled = calloc(m->nfuncs ? m->nfuncs : 1, sizeof *m->compiled);
    if (!m->compiled) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "code section", "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        m->compiled[i] = calloc(1, sizeof **m->compiled);
        if (!m->compiled[i]) {
            wb_error_set(err, WB_ERR_NOMEM, 0, "code section", "out of memory");
            return false;
        }
    }
    tr t;
    memset(&t, 0, sizeof t);
    t.m = m;
    t.h = wb_interp_handlers();
    bool ok = true;
    for (uint32_t i = 0; i < m->nfuncs && ok; i++)
        ok = translate_body(&t, m, i, m->compiled[i], m->compiled, err);
    free(t.code);
    free(t.labels);
    return ok;
}

void wb_compiled_free(struct wb_compiled *c)
{
    if (!c)
        return;
    free(c->code);
    free(c);
}
