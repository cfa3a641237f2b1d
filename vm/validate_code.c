/* Function bodies: the spec's validation algorithm (appendix "Validation
 * Algorithm"), one pass, no recursion.
 *
 * Two stacks (validate_stack.c) live on the heap and grow as needed:
 *  - the operand stack of value types, where WB_VT_UNKNOWN is the bottom type
 *    that pops yield once the code is unreachable;
 *  - the control stack, one frame per open block: its label types, its result
 *    types, the operand height at entry and whether the rest of it is
 *    unreachable.
 * Instructions whose typing is fixed take their signature from the opcode
 * table ("params:results"); the rest are typed by hand below. Immediates are
 * checked first (indices, alignment), then the operands.
 *
 * The bytes were already accepted by the encoding pass (validate_scan.c), so
 * a read error here would be an inconsistency; it is still reported, never
 * trusted.
 */
#include "validate_code.h"
#include "profile_exc.h"
#include "features.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Types of the one-value block types, to point label types at. */
static const wb_vt k_single[] = {WB_I32, WB_I64, WB_F32, WB_F64, WB_V128, WB_FUNCREF, WB_EXTERNREF, WB_EXNREF};
#define K_SINGLE_N (sizeof k_single / sizeof k_single[0])

/* ---- label keys: an id per distinct type vector a label can have ---- */

/* Keys: 2*t / 2*t+1 for the params / results of type t; then one per single
 * value type; then the empty vector. */
static uint32_t key_of_single(const wb_code_checker *c, wb_vt t)
{
    for (uint32_t i = 0; i < K_SINGLE_N; i++) {
        if (k_single[i] == t)
            return 2 * c->v->m->ntypes + i;
    }
    return WB_VC_NO_KEY; /* a typed reference: checked every time */
}
static uint32_t key_empty(const wb_code_checker *c)
{
    return 2 * c->v->m->ntypes + (uint32_t)K_SINGLE_N;
}

/* ---- setup ---- */

static void make_sig(struct wb_vc_sig *s, const wb_opinfo *info);

wb_code_checker *wb_v_code_checker_new(const wb_vctx *v)
{
    wb_code_checker *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->v = v; /* sigs: each made on the op's first use (check_instr) */
    c->nkeys = 2 * (size_t)v->m->ntypes + K_SINGLE_N + 1;
    c->key_stamp = calloc(c->nkeys, sizeof *c->key_stamp);
    if (!c->key_stamp) {
        free(c);
        return NULL;
    }
    return c;
}

void wb_v_code_checker_free(wb_code_checker *c)
{
    if (!c)
        return;
    free(c->vals);
    free(c->ctrls);
    free(c->group_end);
    free(c->key_stamp);
    free(c->local_set);
    free(c->set_log);
    free(c);
}

/* ---- value types ---- */

/* A typed reference must name a type of the module. */
static bool check_vt(wb_code_checker *c, wb_vt t)
{
    uint32_t h = wb_vt_type_index(t);
    if (h != UINT32_MAX && h >= c->v->m->ntypes)
        return wb_vc_fail(c, "unknown type %u", h);
    return true;
}

/* ---- block types ---- */

typedef wb_vc_blocktype blocktype;

bool wb_vc_block_type(wb_code_checker *c, int64_t bt, blocktype *out)
{
    const wb_module *m = c->v->m;
    if (bt == WB_BLOCK_EMPTY) {
        *out = (blocktype){0, 0, NULL, NULL, key_empty(c), key_empty(c), 0};
        return true;
    }
    if (bt < 0) {
        wb_vt t = wb_block_vt(bt);
        if (t & WB_VT_REF) {
            if (!check_vt(c, t))
                return false;
            *out = (blocktype){0, 1, NULL, NULL, key_empty(c), WB_VC_NO_KEY, t};
            out->r = &out->single;
            return true;
        }
        for (uint32_t i = 0; i < K_SINGLE_N; i++) {
            if (k_single[i] == t) {
                *out = (blocktype){0, 1, NULL, &k_single[i], key_empty(c), key_of_single(c, t), 0};
                return true;
            }
        }
        /* the spec's decoder reads any other negative s33 as a (huge) type index */
        return wb_vc_fail(c, "unknown type %u", (uint32_t)bt);
    }
    if ((uint64_t)bt >= m->ntypes)
        return wb_vc_fail(c, "unknown type %llu", (unsigned long long)bt);
    const wb_mtype *ft = &m->types[bt];
    *out = (blocktype){.np = ft->nparams,
                       .nr = ft->nresults,
                       .p = ft->params,
                       .r = ft->results,
                       .params_key = 2 * (uint32_t)bt,
                       .results_key = 2 * (uint32_t)bt + 1};
    return true;
}

/* ---- locals ---- */

/* ---- non-defaultable locals (3.0) ----
 * A local of a non-null reference type has no zero: it must be set before
 * it is read. local_set[i] says it is on the current path; set_log lists the
 * locals set since each open block began, so a block's end (or else)
 * forgets them again (the spec's rule: what a block initialises is known
 * inside it only). Only functions with such locals pay (has_nondefault). */

static bool mark_set(wb_code_checker *c, uint32_t idx)
{
    if (!c->has_nondefault || c->local_set[idx])
        return true;
    if (c->nset_log == c->capset_log) {
        size_t cap = c->capset_log ? c->capset_log * 2 : 16;
        uint32_t *p = realloc(c->set_log, cap * sizeof *p);
        if (!p)
            return wb_vc_fail_kind(c, WB_ERR_NOMEM, "out of memory");
        c->set_log = p;
        c->capset_log = cap;
    }
    c->set_log[c->nset_log++] = idx;
    c->local_set[idx] = 1;
    return true;
}


static bool local_type(wb_code_checker *c, uint32_t idx, wb_vt *out)
{
    if (idx >= c->nlocals)
        return wb_vc_fail(c, "unknown local %u", idx);
    if (idx < WB_VC_FIRST_LOCALS) {
        *out = c->first_locals[idx];
        return true;
    }
    if (idx < c->type->nparams) {
        *out = c->type->params[idx];
        return true;
    }
    /* binary search for the group holding idx */
    size_t lo = 0, hi = c->code->ngroups;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->group_end[mid] <= idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out = c->code->groups[lo].type;
    return true;
}

/* The local declarations; errors point at them (their count). The locals
 * limit comes first: it bounds every frame the translator will size. */
static bool setup_locals(wb_code_checker *c)
{
    const wb_code *code = c->code;
    c->off = code->locals_offset;
    c->has_nondefault = false;
    uint64_t total = (uint64_t)c->type->nparams + code->nlocals;
    if (total > WB_MAX_LOCALS)
        return wb_vc_fail_kind(c, WB_ERR_LIMIT,
                               "too many locals: %llu, params included (implementation limit %u)",
                               (unsigned long long)total, WB_MAX_LOCALS);
    if (code->ngroups > c->capgroups) {
        uint64_t *g = realloc(c->group_end, code->ngroups * sizeof *g);
        if (!g)
            return wb_vc_fail_kind(c, WB_ERR_NOMEM, "out of memory");
        c->group_end = g;
        c->capgroups = code->ngroups;
    }
    uint64_t n = c->type->nparams, slots = 0;
    for (uint32_t i = 0; i < code->ngroups; i++) {
        wb_vt t = code->groups[i].type;
        if (!wb_vt_is_valid(t) && t != WB_V128)
            return wb_vc_fail(c, "invalid local type");
        if (!check_vt(c, t))
            return false;
        if (!wb_vt_defaultable(t))
            c->has_nondefault = true;
        n += code->groups[i].count;
        c->group_end[i] = n;
        slots += (uint64_t)code->groups[i].count * (t == WB_V128 ? 2 : 1);
    }
    c->nlocals = n;
    c->local_slots = slots; /* at most 2 * WB_MAX_LOCALS: fits a u32 */
    c->nset_log = 0;
    if (c->has_nondefault) {
        if (n > c->nlocal_set) {
            uint8_t *p = realloc(c->local_set, n);
            if (!p)
                return wb_vc_fail_kind(c, WB_ERR_NOMEM, "out of memory");
            c->local_set = p;
            c->nlocal_set = n;
        }
        /* params are set; declared locals are not, until a local.set */
        memset(c->local_set, 1, c->type->nparams);
        memset(c->local_set + c->type->nparams, 0, n - c->type->nparams);
        uint64_t k = c->type->nparams;
        for (uint32_t i = 0; i < code->ngroups; k += code->groups[i].count, i++)
            if (wb_vt_defaultable(code->groups[i].type))
                memset(c->local_set + k, 1, code->groups[i].count);
    }
    /* the first locals' types spelled out: most accesses are to them */
    uint32_t k = 0;
    for (; k < c->type->nparams && k < WB_VC_FIRST_LOCALS; k++)
        c->first_locals[k] = c->type->params[k];
    for (uint32_t i = 0; i < code->ngroups && k < WB_VC_FIRST_LOCALS; i++)
        for (uint32_t j = 0; j < code->groups[i].count && k < WB_VC_FIRST_LOCALS; j++)
            c->first_locals[k++] = code->groups[i].type;
    return true;
}

/* ---- instructions typed by the opcode table ---- */

static uint8_t sig_type(char ch)
{
    switch (ch) {
    case 'i':
        return WB_I32;
    case 'I':
        return WB_I64;
    case 'f':
        return WB_F32;
    case 'F':
        return WB_F64;
    case 'V':
        return WB_V128;
    default:
        return WB_VT_UNKNOWN;
    }
}

static void make_sig(struct wb_vc_sig *s, const wb_opinfo *info)
{
    s->made = true;
    s->typed = false;
    if (!wb_op_sig_typed(info))
        return;
    const char *colon = strchr(info->sig, ':');
    size_t len = strlen(info->sig);
    if (!colon || len > sizeof s->t) /* no such row: typed by hand, or refused */
        return;
    s->npop = (uint8_t)(colon - info->sig);
    s->npush = (uint8_t)(len - 1 - s->npop);
    for (size_t i = 0, k = 0; i < len; i++)
        if (info->sig[i] != ':')
            s->t[k++] = sig_type(info->sig[i]);
    s->typed = true;
}

/* Pops the operands (the last one first) and pushes the results. The
 * common case, exactly those types on top and room for the results, is one
 * compare; anything else takes the spec algorithm's steps, which give the
 * same outcome. */
static bool apply_sig(wb_code_checker *c, const struct wb_vc_sig *s)
{
    const wb_vc_frame *top = &c->ctrls[c->nctrls - 1];
    size_t n = c->nvals, np = s->npop;
    if (c->vals && n - top->height >= np && n - np + s->npush <= c->capvals) {
        wb_vt *vals = c->vals + n - np;
        size_t i = 0;
        while (i < np && vals[i] == s->t[i]) /* at most three: no memcmp call */
            i++;
        if (i == np) {
            for (size_t k = 0; k < s->npush; k++)
                vals[k] = s->t[np + k];
            c->nvals = n - np + s->npush;
            return true;
        }
    }
    wb_vt t[8];
    for (size_t k = 0; k < (size_t)s->npop + s->npush; k++)
        t[k] = s->t[k];
    return wb_vc_pop_n(c, t, s->npop) && wb_vc_push_n(c, t + s->npop, s->npush);
}

/* ---- immediates ---- */

/* A memory instruction's memory must exist. Without multi-memory (2.0), an index the
 * encoding gave explicitly fails here too, so that the encoding pass
 * (validate_scan.c) reports it, as 2.0's decoder does. */
static bool need_memory(wb_code_checker *c, const wb_instr *in, uint32_t idx)
{
    if (!(c->v->m->features & WB_FEATURE_MULTI_MEMORY) && in->mem_explicit)
        return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "memory index in a 2.0 module");
    if (idx >= c->v->nmemories)
        return wb_vc_fail(c, "unknown memory %u", idx);
    return true;
}

static bool is64(const wb_code_checker *c, uint32_t mem)
{
    return wb_module_memory_type(c->v->m, mem)->is64;
}

/* A memarg's offset (a u64 since 3.0) must fit its memory's address type:
 * below 2^32 for a 32-bit memory, any u64 for a 64-bit one (memory64).
 * Read as 2.0, a larger one is malformed first (memarg_narrow). */
static bool check_offset(wb_code_checker *c, const wb_instr *in)
{
    if (!is64(c, in->mem) && in->imm.memarg.offset > UINT32_MAX)
        return wb_vc_fail(c, "offset out of range (%s: offset %llu)", in->info->name,
                          (unsigned long long)in->imm.memarg.offset);
    return true;
}

/* The signature of a memory instruction on a 64-bit memory (memory64):
 * its addresses and lengths are i64 (memory.copy between a 32- and a
 * 64-bit memory: each address its memory's type, the length i32). */
static void sig64(const wb_code_checker *c, const wb_instr *in, struct wb_vc_sig *s)
{
    bool d64 = is64(c, in->mem);
    switch (in->info->op) {
    case WB_OP_MEMORY_SIZE:
        if (d64)
            s->t[0] = WB_I64;
        return;
    case WB_OP_MEMORY_GROW:
        if (d64)
            s->t[0] = s->t[1] = WB_I64;
        return;
    case WB_OP_MEMORY_FILL:
        if (d64)
            s->t[0] = s->t[2] = WB_I64;
        return;
    case WB_OP_MEMORY_COPY: {
        bool s64 = is64(c, in->mem2);
        s->t[0] = d64 ? WB_I64 : WB_I32;
        s->t[1] = s64 ? WB_I64 : WB_I32;
        s->t[2] = d64 && s64 ? WB_I64 : WB_I32;
        return;
    }
    default: /* loads, stores, memory.init: the address comes first */
        if (d64)
            s->t[0] = WB_I64;
        return;
    }
}

/* A table's address type (table64): the type of its indices and sizes. */
static wb_vt table_at(const wb_tabletype *tt) { return tt->limits.is64 ? WB_I64 : WB_I32; }

/* The signature of table.size, table.init and table.copy when some table
 * is 64-bit: indices of a 64-bit table are i64; table.copy's length is i64
 * only between two 64-bit tables (the smaller address type, as the spec
 * says). The immediates were checked first, so the tables exist. */
static void table_sig64(const wb_code_checker *c, const wb_instr *in, struct wb_vc_sig *s)
{
    const wb_tabletype *const *tabs = c->v->tables;
    switch (in->info->op) {
    case WB_OP_TABLE_SIZE:
        s->t[0] = table_at(tabs[in->imm.index]);
        return;
    case WB_OP_TABLE_INIT: /* elem a into table b: [d s n] */
        s->t[0] = table_at(tabs[in->imm.pair.b]);
        return;
    case WB_OP_TABLE_COPY: { /* table a <- table b: [d s n] */
        bool d64 = tabs[in->imm.pair.a]->limits.is64, s64 = tabs[in->imm.pair.b]->limits.is64;
        s->t[0] = d64 ? WB_I64 : WB_I32;
        s->t[1] = s64 ? WB_I64 : WB_I32;
        s->t[2] = d64 && s64 ? WB_I64 : WB_I32;
        return;
    }
    default:
        return;
    }
}

static bool need_table(wb_code_checker *c, uint32_t idx, const wb_tabletype **out)
{
    if (idx >= c->v->ntables)
        return wb_vc_fail(c, "unknown table %u", idx);
    *out = c->v->tables[idx];
    return true;
}

static bool need_elem(wb_code_checker *c, uint32_t idx)
{
    if (idx >= c->v->m->nelems)
        return wb_vc_fail(c, "unknown elem segment %u", idx);
    return true;
}

static bool need_data(wb_code_checker *c, uint32_t idx)
{
    /* without a data count section there are no data segments (the
     * encoding pass rejected the other case) */
    const wb_module *m = c->v->m;
    if (idx >= (m->has_datacount ? m->datacount : m->ndatas))
        return wb_vc_fail(c, "unknown data segment %u", idx);
    /* the encoding pass's rule (validate_scan.c), failed here too so that
     * a body this checker accepts passes that pass (validate.c) */
    if (!m->has_datacount)
        return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "data count section required");
    return true;
}

/* Under the 2.0 profile a memarg's offset is a u32 (validate_profile.c):
 * a malformed one fails the body, and the encoding pass then reports it. */
static bool memarg_narrow(wb_code_checker *c, const wb_instr *in)
{
    size_t at;
    const char *why;
    if (wb_v_memarg_narrow(c->v->m, in->offset, &at, &why))
        return true;
    return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "%s", why);
}

/* Checks the immediates of an instruction the opcode table types. */
static bool check_fixed_immediates(wb_code_checker *c, const wb_instr *in)
{
    const wb_tabletype *t1 = NULL, *t2 = NULL;
    switch (in->info->imm) {
    case WB_IMM_MEMARG:
        if (!need_memory(c, in, in->mem) || !memarg_narrow(c, in))
            return false;
        if (in->imm.memarg.align > in->info->align)
            return wb_vc_fail(c, "alignment must not be larger than natural (%s: 2^%u > 2^%u)",
                              in->info->name, in->imm.memarg.align, in->info->align);
        /* after the alignment, as the spec's validator orders them */
        return check_offset(c, in);
    case WB_IMM_LANE: /* the row's align is log2 of the lane size */
        if (in->imm.lane >= 16u >> in->info->align)
            return wb_vc_fail(c, "invalid lane index (%s: lane %u of %u)", in->info->name,
                              in->imm.lane, 16u >> in->info->align);
        return true;
    case WB_IMM_MEMARG_LANE: /* the access is one lane: align is its size too */
        if (!need_memory(c, in, in->mem) || !memarg_narrow(c, in))
            return false;
        if (in->imm.memarg.align > in->info->align)
            return wb_vc_fail(c, "alignment must not be larger than natural (%s: 2^%u > 2^%u)",
                              in->info->name, in->imm.memarg.align, in->info->align);
        if (!check_offset(c, in))
            return false;
        if (in->imm.memarg.lane >= 16u >> in->info->align)
            return wb_vc_fail(c, "invalid lane index (%s: lane %u of %u)", in->info->name,
                              in->imm.memarg.lane, 16u >> in->info->align);
        return true;
    case WB_IMM_SHUFFLE:
        for (int i = 0; i < 16; i++)
            if (in->imm.v128[i] >= 32)
                return wb_vc_fail(c, "invalid lane index (i8x16.shuffle: lane %u of 32)", in->imm.v128[i]);
        return true;
    case WB_IMM_MEMIDX:
        return need_memory(c, in, in->mem);
    case WB_IMM_MEMORY_COPY:
        return need_memory(c, in, in->mem) && need_memory(c, in, in->mem2);
    case WB_IMM_MEMORY_INIT:
        return need_memory(c, in, in->mem) && need_data(c, in->imm.index);
    case WB_IMM_DATA:
        return need_data(c, in->imm.index);
    case WB_IMM_ELEM:
        return need_elem(c, in->imm.index);
    case WB_IMM_TABLE: /* table.size */
        return need_table(c, in->imm.index, &t1);
    case WB_IMM_TABLE_INIT: /* elem a into table b */
        if (!need_table(c, in->imm.pair.b, &t1) || !need_elem(c, in->imm.pair.a))
            return false;
        if (!wb_vt_sub(c->v->m, c->v->m->elems[in->imm.pair.a].elem_type, t1->elem_type))
            return wb_vc_fail(c, "type mismatch: table.init of %s segment into %s table",
                              wb_vt_name(c->v->m->elems[in->imm.pair.a].elem_type),
                              wb_vt_name(t1->elem_type));
        return true;
    case WB_IMM_TABLE_COPY: /* table a <- table b */
        if (!need_table(c, in->imm.pair.a, &t1) || !need_table(c, in->imm.pair.b, &t2))
            return false;
        if (!wb_vt_sub(c->v->m, t2->elem_type, t1->elem_type))
            return wb_vc_fail(c, "type mismatch: table.copy from %s table to %s table",
                              wb_vt_name(t2->elem_type), wb_vt_name(t1->elem_type));
        return true;
    default:
        return true;
    }
}

/* ---- branches ---- */

static bool check_br_table(wb_code_checker *c, const wb_instr *in)
{
    if (!wb_vc_pop(c, WB_I32))
        return false;
    const wb_vc_frame *def = NULL;
    if (in->imm.br_table.count > WB_MAX_BR_TABLE_TARGETS)
        return wb_vc_fail_kind(c, WB_ERR_LIMIT,
                               "too many br_table targets: %u (implementation limit %u)",
                               in->imm.br_table.count, WB_MAX_BR_TABLE_TARGETS);
    if (!wb_vc_label(c, in->imm.br_table.default_target, &def))
        return false;
    uint32_t arity;
    const wb_vt *def_types;
    wb_vc_label_types(def, &arity, &def_types);
    /* Each target's label types must match the top `arity` operands, checked
     * in place (the spec pops and pushes them back). A type vector checked
     * once for this br_table need not be checked again: stamp it. */
    uint64_t serial = ++c->br_table_serial;
    if (def->label_key != WB_VC_NO_KEY)
        c->key_stamp[def->label_key] = serial;
    wb_reader it = in->imm.br_table.targets;
    wb_vc_frame *top = &c->ctrls[c->nctrls - 1];
    size_t avail = c->nvals - top->height;
    for (uint32_t k = 0; k < in->imm.br_table.count; k++) {
        const wb_vc_frame *f = NULL;
        if (!wb_vc_label(c, wb_br_table_next(&it), &f))
            return false;
        uint32_t n;
        const wb_vt *ts;
        wb_vc_label_types(f, &n, &ts);
        if (n != arity)
            return wb_vc_fail(c, "type mismatch: br_table targets with %u and %u values", n, arity);
        if (f->label_key != WB_VC_NO_KEY) {
            if (c->key_stamp[f->label_key] == serial)
                continue;
            c->key_stamp[f->label_key] = serial;
        }
        for (uint32_t i = 0; i < n; i++) {
            size_t depth = n - i; /* 1 = top of stack */
            if (depth > avail) {
                if (top->unreachable)
                    continue; /* the unknown bottom matches anything */
                return wb_vc_fail(
                    c, "type mismatch: br_table target needs %u values, the stack has %zu", n,
                    avail);
            }
            wb_vt t = c->vals[c->nvals - depth];
            if (t != WB_VT_UNKNOWN && t != ts[i] && !wb_vt_sub(c->v->m, t, ts[i]))
                return wb_vc_fail(c, "type mismatch: br_table target expects %s, got %s",
                                  wb_vt_name(ts[i]), wb_vt_name(t));
        }
    }
    if (!wb_vc_pop_n(c, def_types, arity))
        return false;
    wb_vc_set_unreachable(c);
    return true;
}

/* ---- calls ---- */

static bool apply_functype(wb_code_checker *c, const wb_mtype *t)
{
    return wb_vc_pop_n(c, t->params, t->nparams) && wb_vc_push_n(c, t->results, t->nresults);
}

/* "i32 i64" for a type's results (cut short with "..." past len). */
static const char *result_list(const wb_mtype *t, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < t->nresults && n < len; i++) {
        int k = snprintf(buf + n, len - n, "%s%s", i ? " " : "", wb_vt_name(t->results[i]));
        if (k < 0 || (size_t)k >= len - n) {
            snprintf(buf + (len > 4 ? len - 4 : 0), len > 4 ? 4 : len, "...");
            break;
        }
        n += (size_t)k;
    }
    return buf;
}

/* A tail call (return_call, return_call_indirect): the callee's results
 * become this function's, so they must be the same types (no subtyping
 * without typed references); what follows is unreachable, as after return. */
static bool apply_tail_functype(wb_code_checker *c, const wb_mtype *t, const char *name)
{
    const wb_mtype *own = c->type;
    bool same = t->nresults == own->nresults;
    for (uint32_t i = 0; same && i < t->nresults; i++)
        same = wb_vt_sub(c->v->m, t->results[i], own->results[i]);
    if (!same) {
        char theirs[64], ours[64];
        return wb_vc_fail(c, "type mismatch: %s: the callee's results [%s] are not this function's [%s]",
                          name, result_list(t, theirs, sizeof theirs),
                          result_list(own, ours, sizeof ours));
    }
    if (!wb_vc_pop_n(c, t->params, t->nparams))
        return false;
    wb_vc_set_unreachable(c);
    return true;
}

/* Pops a reference of any type (the unknown bottom too: *t WB_VT_UNKNOWN). */
static bool pop_ref(wb_code_checker *c, const char *name, wb_vt *t)
{
    if (!wb_vc_pop_expect(c, WB_VT_UNKNOWN, t))
        return false;
    if (*t != WB_VT_UNKNOWN && !wb_vt_is_ref(*t))
        return wb_vc_fail(c, "type mismatch: %s needs a reference, got %s", name, wb_vt_name(*t));
    return true;
}

/* ---- one instruction ---- */

static bool select_operand(wb_vt t) { return wb_vt_is_num(t) || t == WB_V128; }

static bool check_instr(wb_code_checker *c, const wb_instr *in, bool *function_done)
{
    const wb_vctx *v = c->v;
    const wb_tabletype *tt = NULL;
    wb_vt t = 0, t1 = 0, t2 = 0;

    struct wb_vc_sig *sig = &c->sigs[in->info->op];
    if (__builtin_expect(!sig->made, 0)) /* a few dozen ops in a body, of hundreds */
        make_sig(sig, in->info);
    if (sig->typed) {
        if (!check_fixed_immediates(c, in))
            return false;
        if (__builtin_expect(c->v->any64, 0) && wb_op_is_memory(in->info)) {
            struct wb_vc_sig s64 = *sig;
            sig64(c, in, &s64);
            return apply_sig(c, &s64);
        }
        if (__builtin_expect(c->v->any_table64, 0) &&
            (in->info->op == WB_OP_TABLE_SIZE || in->info->op == WB_OP_TABLE_INIT ||
             in->info->op == WB_OP_TABLE_COPY)) {
            struct wb_vc_sig s64 = *sig;
            table_sig64(c, in, &s64);
            return apply_sig(c, &s64);
        }
        return apply_sig(c, sig);
    }

    switch (in->info->op) {
    case WB_OP_UNREACHABLE:
        wb_vc_set_unreachable(c);
        return true;

    case WB_OP_BLOCK:
    case WB_OP_LOOP:
    case WB_OP_IF: {
        blocktype bt = {0};
        if (!wb_vc_block_type(c, in->imm.block_type, &bt))
            return false;
        if (in->info->op == WB_OP_IF && !wb_vc_pop(c, WB_I32))
            return false;
        if (!wb_vc_pop_n(c, bt.p, bt.np))
            return false;
        uint32_t key = in->info->op == WB_OP_LOOP ? bt.params_key : bt.results_key;
        return wb_vc_push_ctrl(c, in->info->op, bt.np, bt.p, bt.nr, bt.r, key);
    }

    case WB_OP_ELSE: {
        wb_vc_frame f = {0};
        if (c->ctrls[c->nctrls - 1].kind != WB_OP_IF)
            return wb_vc_fail_kind(c, WB_ERR_MALFORMED,
                                   "END opcode expected"); /* scan catches it */
        if (!wb_vc_pop_ctrl(c, &f))
            return false;
        if (c->has_nondefault)
            wb_vc_undo_sets(c, f.set_height);
        return wb_vc_push_ctrl(c, WB_OP_ELSE, f.nparams, f.params, f.nresults, wb_vc_results(&f),
                               f.label_key);
    }

    case WB_OP_END: {
        wb_op kind = c->ctrls[c->nctrls - 1].kind;
        if (kind == WB_OP_TRY || kind == WB_OP_CATCH || kind == WB_OP_CATCH_ALL)
            return wb_vc_end_exc(c);
        wb_vc_frame f = {0};
        if (!wb_vc_pop_ctrl(c, &f))
            return false;
        if (c->has_nondefault)
            wb_vc_undo_sets(c, f.set_height);
        /* an `if` without `else` has an empty else branch: it must turn the
         * params into the results unchanged */
        if (f.kind == WB_OP_IF &&
            (f.nparams != f.nresults ||
             (f.nparams && memcmp(f.params, wb_vc_results(&f), f.nparams * sizeof *f.params) != 0)))
            return wb_vc_fail(
                c, "type mismatch: if without else must have the same params and results");
        if (c->nctrls == 0) {
            *function_done = true;
            return true;
        }
        return wb_vc_push_n(c, wb_vc_results(&f), f.nresults);
    }

    case WB_OP_BR: {
        const wb_vc_frame *f = NULL;
        uint32_t n;
        const wb_vt *ts;
        if (!wb_vc_label(c, in->imm.index, &f))
            return false;
        wb_vc_label_types(f, &n, &ts);
        if (!wb_vc_pop_n(c, ts, n))
            return false;
        wb_vc_set_unreachable(c);
        return true;
    }

    case WB_OP_BR_IF: {
        const wb_vc_frame *f = NULL;
        uint32_t n;
        const wb_vt *ts;
        if (!wb_vc_label(c, in->imm.index, &f) || !wb_vc_pop(c, WB_I32))
            return false;
        wb_vc_label_types(f, &n, &ts);
        return wb_vc_pop_n(c, ts, n) && wb_vc_push_n(c, ts, n);
    }

    case WB_OP_BR_TABLE:
        return check_br_table(c, in);

    case WB_OP_RETURN:
        if (!wb_vc_pop_n(c, c->type->results, c->type->nresults))
            return false;
        wb_vc_set_unreachable(c);
        return true;

    case WB_OP_CALL:
        if (in->imm.index >= v->nfuncs)
            return wb_vc_fail(c, "unknown function %u", in->imm.index);
        return apply_functype(c, v->func_types[in->imm.index]);

    case WB_OP_RETURN_CALL:
        if (in->imm.index >= v->nfuncs)
            return wb_vc_fail(c, "unknown function %u", in->imm.index);
        return apply_tail_functype(c, v->func_types[in->imm.index], "return_call");

    case WB_OP_CALL_INDIRECT:
    case WB_OP_RETURN_CALL_INDIRECT: {
        uint32_t ti = in->imm.call_indirect.type_index;
        const char *name = in->info->name;
        if (!need_table(c, in->imm.call_indirect.table, &tt))
            return false;
        if (ti >= v->m->ntypes)
            return wb_vc_fail(c, "unknown type %u", ti);
        if (!wb_vt_sub(v->m, tt->elem_type, WB_FUNCREF))
            return wb_vc_fail(c, "type mismatch: %s needs a funcref table, table %u holds %s", name,
                              in->imm.call_indirect.table, wb_vt_name(tt->elem_type));
        if (!wb_vc_pop(c, table_at(tt)))
            return false;
        if (in->info->op == WB_OP_RETURN_CALL_INDIRECT)
            return apply_tail_functype(c, &v->m->types[ti], name);
        return apply_functype(c, &v->m->types[ti]);
    }

    case WB_OP_CALL_REF:
    case WB_OP_RETURN_CALL_REF: {
        uint32_t ti = in->imm.index;
        if (ti >= v->m->ntypes)
            return wb_vc_fail(c, "unknown type %u", ti);
        if (!wb_vc_pop(c, wb_vt_ref(true, ti)))
            return false;
        if (in->info->op == WB_OP_RETURN_CALL_REF)
            return apply_tail_functype(c, &v->m->types[ti], "return_call_ref");
        return apply_functype(c, &v->m->types[ti]);
    }

    case WB_OP_REF_AS_NON_NULL:
        if (!pop_ref(c, in->info->name, &t))
            return false;
        return wb_vc_push(c, t == WB_VT_UNKNOWN ? t : wb_vt_non_null(t));

    case WB_OP_BR_ON_NULL: {
        const wb_vc_frame *f = NULL;
        uint32_t n;
        const wb_vt *ts;
        if (!wb_vc_label(c, in->imm.index, &f) || !pop_ref(c, in->info->name, &t))
            return false;
        wb_vc_label_types(f, &n, &ts);
        return wb_vc_pop_n(c, ts, n) && wb_vc_push_n(c, ts, n) &&
               wb_vc_push(c, t == WB_VT_UNKNOWN ? t : wb_vt_non_null(t));
    }

    case WB_OP_BR_ON_NON_NULL: {
        const wb_vc_frame *f = NULL;
        uint32_t n;
        const wb_vt *ts;
        if (!wb_vc_label(c, in->imm.index, &f))
            return false;
        wb_vc_label_types(f, &n, &ts);
        /* the label takes the reference as its last value */
        if (n == 0 || !wb_vt_is_ref(ts[n - 1]))
            return wb_vc_fail(c, "type mismatch: br_on_non_null's label must take a reference last");
        if (!pop_ref(c, in->info->name, &t))
            return false;
        if (t != WB_VT_UNKNOWN && !wb_vt_sub(v->m, wb_vt_non_null(t), ts[n - 1]))
            return wb_vc_fail(c, "type mismatch: br_on_non_null's label expects %s, got %s",
                              wb_vt_name(ts[n - 1]), wb_vt_name(wb_vt_non_null(t)));
        return wb_vc_pop_n(c, ts, n - 1) && wb_vc_push_n(c, ts, n - 1);
    }

    case WB_OP_DROP:
        return wb_vc_pop(c, WB_VT_UNKNOWN);

    case WB_OP_SELECT:
        if (!wb_vc_pop(c, WB_I32) || !wb_vc_pop_expect(c, WB_VT_UNKNOWN, &t1) ||
            !wb_vc_pop_expect(c, WB_VT_UNKNOWN, &t2))
            return false;
        /* untyped select is for numbers and v128 only (unknown counts as a
         * number) */
        if ((t1 != WB_VT_UNKNOWN && !select_operand(t1)) ||
            (t2 != WB_VT_UNKNOWN && !select_operand(t2)))
            return wb_vc_fail(c,
                              "type mismatch: select without a type needs numeric operands, got %s",
                              wb_vt_name(select_operand(t1) || t1 == WB_VT_UNKNOWN ? t2 : t1));
        if (t1 != t2 && t1 != WB_VT_UNKNOWN && t2 != WB_VT_UNKNOWN)
            return wb_vc_fail(c, "type mismatch: select operands %s and %s", wb_vt_name(t2),
                              wb_vt_name(t1));
        return wb_vc_push(c, t1 == WB_VT_UNKNOWN ? t2 : t1);

    case WB_OP_SELECT_T:
        if (in->imm.select_t.count != 1)
            return wb_vc_fail(c, "invalid result arity");
        t = in->imm.select_t.type;
        if (!check_vt(c, t))
            return false;
        if (!wb_vt_is_valid(t) && t != WB_V128)
            return wb_vc_fail(c, "SIMD type v128 is not supported");
        return wb_vc_pop(c, WB_I32) && wb_vc_pop(c, t) && wb_vc_pop(c, t) && wb_vc_push(c, t);

    case WB_OP_LOCAL_GET:
        if (!local_type(c, in->imm.index, &t))
            return false;
        if (c->has_nondefault && !c->local_set[in->imm.index])
            return wb_vc_fail(c, "uninitialized local %u: a local of type %s must be set before it is read",
                              in->imm.index, wb_vt_name(t));
        return wb_vc_push(c, t);
    case WB_OP_LOCAL_SET:
        return local_type(c, in->imm.index, &t) && wb_vc_pop(c, t) && mark_set(c, in->imm.index);
    case WB_OP_LOCAL_TEE:
        return local_type(c, in->imm.index, &t) && wb_vc_pop(c, t) && wb_vc_push(c, t) &&
               mark_set(c, in->imm.index);

    case WB_OP_GLOBAL_GET:
        if (in->imm.index >= v->nglobals)
            return wb_vc_fail(c, "unknown global %u", in->imm.index);
        return wb_vc_push(c, v->globals[in->imm.index]->type);
    case WB_OP_GLOBAL_SET:
        if (in->imm.index >= v->nglobals)
            return wb_vc_fail(c, "unknown global %u", in->imm.index);
        if (!v->globals[in->imm.index]->mutable_)
            return wb_vc_fail(c, "%s: global.set of global %u", wb_v_text_immutable_global(v->m),
                              in->imm.index);
        return wb_vc_pop(c, v->globals[in->imm.index]->type);

    /* indices, sizes and lengths have the table's address type (table64) */
    case WB_OP_TABLE_GET:
        return need_table(c, in->imm.index, &tt) && wb_vc_pop(c, table_at(tt)) &&
               wb_vc_push(c, tt->elem_type);
    case WB_OP_TABLE_SET:
        return need_table(c, in->imm.index, &tt) && wb_vc_pop(c, tt->elem_type) &&
               wb_vc_pop(c, table_at(tt));
    case WB_OP_TABLE_GROW:
        return need_table(c, in->imm.index, &tt) && wb_vc_pop(c, table_at(tt)) &&
               wb_vc_pop(c, tt->elem_type) && wb_vc_push(c, table_at(tt));
    case WB_OP_TABLE_FILL:
        return need_table(c, in->imm.index, &tt) && wb_vc_pop(c, table_at(tt)) &&
               wb_vc_pop(c, tt->elem_type) && wb_vc_pop(c, table_at(tt));

    case WB_OP_REF_NULL:
        return check_vt(c, in->imm.ref_type) && wb_vc_push(c, in->imm.ref_type);
    case WB_OP_REF_IS_NULL:
        if (!wb_vc_pop_expect(c, WB_VT_UNKNOWN, &t))
            return false;
        if (t != WB_VT_UNKNOWN && !wb_vt_is_ref(t))
            return wb_vc_fail(c, "type mismatch: ref.is_null needs a reference, got %s",
                              wb_vt_name(t));
        return wb_vc_push(c, WB_I32);
    case WB_OP_TRY:
    case WB_OP_CATCH:
    case WB_OP_CATCH_ALL:
    case WB_OP_DELEGATE:
    case WB_OP_RETHROW:
    case WB_OP_THROW:
    case WB_OP_THROW_REF:
    case WB_OP_TRY_TABLE:
        return wb_vc_check_exc(c, in);

    case WB_OP_REF_FUNC:
        if (in->imm.index >= v->nfuncs)
            return wb_vc_fail(c, "unknown function %u", in->imm.index);
        if (!v->declared || !v->declared[in->imm.index])
            return wb_vc_fail(c, "undeclared function reference %u", in->imm.index);
        /* (ref $t): a non-null reference of the function's own type (3.0) */
        return wb_vc_push(c, wb_vt_ref(false, wb_module_func_type_index(v->m, in->imm.index)));

    default:
        return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "illegal opcode %s", in->info->name);
    }
}

bool wb_v_check_body(wb_code_checker *c, uint32_t i, wb_error *err)
{
    const wb_module *m = c->v->m;
    c->err = err;
    c->code = &m->codes[i];
    c->type = c->v->func_types[m->nfunc_imports + i];
    c->off = c->code->body.offset;
    wb_v_where(c->where, sizeof c->where, "function ", m->nfunc_imports + i);
    c->nvals = 0;
    c->nctrls = 0;
    c->nconsts = 0;
    if (!c->type) /* validate_module.c checked the type index first */
        return wb_vc_fail(c, "unknown type");
    if (!setup_locals(c))
        return false;
    c->off = c->code->body.offset;

    wb_expr body = c->code->body;
    if (body.offset > m->len || body.len > m->len - body.offset)
        return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "unexpected end");
    wb_reader r = {m->bytes, m->bytes + body.offset, m->bytes + body.offset + body.len, NULL};
    uint32_t ti = m->func_type_indices[i];
    if (!wb_vc_push_ctrl(c, WB_OP_END, 0, NULL, c->type->nresults, c->type->results, 2 * ti + 1))
        return false;

    bool done = false;
    while (!done) {
        wb_instr in;
        if (wb_reader_done(&r)) {
            c->off = wb_reader_offset(&r);
            return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "END opcode expected");
        }
        if (!wb_read_instr(&r, &in)) {
            c->off = in.offset;
            char feature[160];
            const char *why = r.error ? r.error : "illegal opcode";
            if (!strcmp(why, "illegal opcode") &&
                wb_feature_opcode_text(r.base + in.offset, r.end, feature, sizeof feature))
                why = feature;
            return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "%s", why);
        }
        c->off = in.offset;
        char exc[128];
        const char *not_2_0 = wb_profile_exc_instr(m->features, m->bytes, m->len, &in, exc, sizeof exc);
        if (not_2_0)
            return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "%s", not_2_0);
        if (!check_instr(c, &in, &done))
            return false;
        /* the translator sizes the constant area by this bound, which
         * spares it a decoding pass of its own (wb_code.max_consts) */
        switch (in.info->op) {
        case WB_OP_I32_CONST:
        case WB_OP_I64_CONST:
        case WB_OP_F32_CONST:
        case WB_OP_F64_CONST:
        case WB_OP_REF_NULL:
            c->nconsts++;
            break;
        default:
            break;
        }
    }
    if (!wb_reader_done(&r)) {
        c->off = wb_reader_offset(&r);
        return wb_vc_fail_kind(c, WB_ERR_MALFORMED, "section size mismatch");
    }
    return true;
}

uint32_t wb_v_body_consts(const wb_code_checker *c) { return c->nconsts; }

uint32_t wb_v_body_local_slots(const wb_code_checker *c) { return (uint32_t)c->local_slots; }
