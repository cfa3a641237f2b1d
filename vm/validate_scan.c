/* The encoding pass: is an expression well-formed bytes?
 *
 * The spec's decoder parses every instruction (and the nesting of blocks)
 * before validation starts, so its errors win over any validation error. This
 * pass reproduces that order: it runs over every expression of the module
 * before any typing rule, and reports only WB_ERR_MALFORMED. It also takes the
 * few encoding rules wb_read_instr leaves to its callers:
 *  - a memarg's alignment field of 64 or more, bit 6 aside, which announces a
 *    memory index ("malformed memop flags"; 32 to 63 are well-formed in
 *    3.0, and the validator finds them larger than natural, but malformed
 *    in 2.0: wb_v_max_align_field);
 *  - without multi-memory (2.0), a memory index: memarg flag bit 6
 *    ("malformed memop flags") or memory.size/grow/fill/copy/init's index
 *    other than one 0x00 byte ("zero byte expected");
 *  - memory.init and data.drop need a data count section (when the module
 *    has data segments: without any, the index is simply unknown, which is
 *    how the spec tests' binaries made by wabt, which omits an empty data
 *    count, expect it: "unknown data segment", an invalid module);
 *  - select's type vector holds value types;
 *  - `else` only inside an `if`, and only once.
 * The nesting is kept as one byte per open block on a heap stack (no
 * recursion), so depth costs memory linear in the expression, never C stack.
 */
#include "features.h"
#include "profile_exc.h"
#include <string.h>
#include "instr.h"
#include "validate_internal.h"

#include <stdlib.h>

enum { OPEN_BLOCK, OPEN_IF, OPEN_ELSE, OPEN_TRY };

typedef struct nest {
    uint8_t *kinds;
    size_t n, cap;
} nest;

static bool nest_push(nest *s, uint8_t kind)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint8_t *k = realloc(s->kinds, cap);
        if (!k)
            return false;
        s->kinds = k;
        s->cap = cap;
    }
    s->kinds[s->n++] = kind;
    return true;
}

static bool fail(wb_error *err, wb_error_kind kind, size_t off, const char *where, const char *why)
{
    wb_error_set(err, kind, off, where, "%s", why);
    return false;
}

/* One instruction's extra encoding rules; false with err filled. */
static bool check_encoding(const wb_module *m, const wb_instr *in, nest *s, const char *where,
                           wb_error *err)
{
    if (wb_op_opens_block(in->info)) {
        if (!nest_push(s, in->info->op == WB_OP_IF    ? OPEN_IF
                          : in->info->op == WB_OP_TRY ? OPEN_TRY
                                                      : OPEN_BLOCK))
            return fail(err, WB_ERR_NOMEM, in->offset, where, "out of memory");
        return true;
    }
    switch (in->info->op) {
    case WB_OP_ELSE:
        /* the spec's decoder ends the block's instruction list at `else` and
         * then wants the block's `end` */
        if (s->n == 0 || s->kinds[s->n - 1] != OPEN_IF)
            return fail(err, WB_ERR_MALFORMED, in->offset, where, "END opcode expected");
        s->kinds[s->n - 1] = OPEN_ELSE;
        return true;
    case WB_OP_CATCH:
    case WB_OP_CATCH_ALL:
        /* legacy exceptions: the clauses of a try (the validator checks
         * their order) */
        if (s->n == 0 || s->kinds[s->n - 1] != OPEN_TRY)
            return fail(err, WB_ERR_MALFORMED, in->offset, where, "END opcode expected");
        return true;
    case WB_OP_DELEGATE:
        /* ends its try in place of an `end` */
        if (s->n == 0 || s->kinds[s->n - 1] != OPEN_TRY)
            return fail(err, WB_ERR_MALFORMED, in->offset, where, "END opcode expected");
        s->n--;
        return true;
    case WB_OP_MEMORY_INIT:
        if (!(m->features & WB_FEATURE_MULTI_MEMORY) && in->mem_explicit)
            return fail(err, WB_ERR_MALFORMED, in->offset, where, WB_FEATURE_MEMIDX);
        /* fall through */
    case WB_OP_DATA_DROP:
        if (!m->has_datacount && m->ndatas > 0)
            return fail(err, WB_ERR_MALFORMED, in->offset, where, "data count section required");
        return true;
    default:
        if (in->info->imm == WB_IMM_MEMARG || in->info->imm == WB_IMM_MEMARG_LANE) {
            if (!(m->features & WB_FEATURE_MULTI_MEMORY) && in->mem_explicit)
                return fail(err, WB_ERR_MALFORMED, in->offset, where, WB_FEATURE_MEMARG_INDEX);
            if (in->imm.memarg.align >= wb_v_max_align_field(m))
                return fail(err, WB_ERR_MALFORMED, in->offset, where, "malformed memop flags");
        }
        if ((in->info->imm == WB_IMM_MEMIDX || in->info->imm == WB_IMM_MEMORY_COPY) &&
            !(m->features & WB_FEATURE_MULTI_MEMORY) && in->mem_explicit)
            return fail(err, WB_ERR_MALFORMED, in->offset, where, WB_FEATURE_MEMIDX);
        return true;
    }
}

bool wb_v_scan_expr(const wb_module *m, wb_expr e, const char *where, wb_error *err)
{
    if (e.offset > m->len || e.len > m->len - e.offset)
        return fail(err, WB_ERR_MALFORMED, e.offset, where, "unexpected end");
    wb_reader r = {m->bytes, m->bytes + e.offset, m->bytes + e.offset + e.len, NULL};
    nest s = {NULL, 0, 0};
    bool ok = true;
    for (;;) {
        if (wb_reader_done(&r)) {
            /* the expression's bytes ran out with blocks (or itself) open */
            ok = fail(err, WB_ERR_MALFORMED, wb_reader_offset(&r), where,
                      "unexpected end of section or function");
            break;
        }
        wb_instr in;
        size_t at = wb_reader_offset(&r), narrow_at;
        const char *narrow_why;
        if (!wb_v_memarg_narrow(m, at, &narrow_at, &narrow_why)) {
            /* 2.0's u32 memory offset (validate_profile.c) */
            ok = fail(err, WB_ERR_MALFORMED, narrow_at, where, narrow_why);
            break;
        }
        if (!wb_read_instr(&r, &in)) {
            char feature[160];
            const char *why = r.error ? r.error : "illegal opcode";
            if (!strcmp(why, "illegal opcode") &&
                wb_feature_opcode_text(m->bytes + in.offset, r.end, feature, sizeof feature))
                why = feature;
            ok = fail(err, WB_ERR_MALFORMED, in.offset, where, why);
            break;
        }
        char exc[128];
        const char *not_2_0 = wb_profile_exc_instr(m->features, m->bytes, m->len, &in, exc, sizeof exc);
        if (not_2_0) {
            ok = fail(err, WB_ERR_MALFORMED, in.offset, where, not_2_0);
            break;
        }
        if (in.info->op == WB_OP_END) {
            if (s.n == 0) {
                /* the expression's own end: nothing may follow it */
                if (!wb_reader_done(&r))
                    ok = fail(err, WB_ERR_MALFORMED, wb_reader_offset(&r), where,
                              "section size mismatch");
                break;
            }
            s.n--;
            continue;
        }
        if (!check_encoding(m, &in, &s, where, err)) {
            ok = false;
            break;
        }
    }
    free(s.kinds);
    return ok;
}
