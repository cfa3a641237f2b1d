/* Instructions, plain and folded, driven by the one opcode table
 * (vm/opcodes.def: text name, code, immediate kind). Block instructions and
 * the immediates that the text writes differently from the binary (labels,
 * optional table and memory indices, memargs, select's result types) are
 * handled here; everything else is the table's.
 */
#include "module.h"

#include "../vm/opcodes.h"

#include <string.h>

/* The table read: vm/opcodes.def; tests/unit/test_wat_rows.c compiles this
 * file with rows the engine does not have yet, to test their text forms. */
#ifndef WAT_OPCODES_DEF
#define WAT_OPCODES_DEF "../vm/opcodes.def"
#endif
const wat_op wat_ops[] = {
#define OP(id, name, code, imm, sig, align, synopsis) {name, code, WB_IMM_##imm, align},
#include WAT_OPCODES_DEF
#undef OP
};
const size_t wat_op_count = sizeof wat_ops / sizeof wat_ops[0];

static uint32_t hash_name(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < len; k++)
        h = (h ^ (uint8_t)s[k]) * 16777619u;
    return h;
}

void wat_ops_index(wat_module *m)
{
    memset(m->op_hash, 0, sizeof m->op_hash);
    for (size_t k = 0; k < wat_op_count; k++) {
        const char *name = wat_ops[k].name;
        uint32_t h = hash_name(name, strlen(name)) % WAT_OP_HASH;
        bool dup = false;
        while (m->op_hash[h]) {
            /* The first row of a name wins: "select" is 0x1B; with result
             * types the reader switches to 0x1C itself. */
            if (strcmp(wat_ops[m->op_hash[h] - 1].name, name) == 0) {
                dup = true;
                break;
            }
            h = (h + 1) % WAT_OP_HASH;
        }
        if (!dup)
            m->op_hash[h] = (uint16_t)(k + 1);
    }
}

const wat_op *wat_op_find(const wat_module *m, const char *s, size_t len)
{
    uint32_t h = hash_name(s, len) % WAT_OP_HASH;
    while (m->op_hash[h]) {
        const wat_op *op = &wat_ops[m->op_hash[h] - 1];
        if (strlen(op->name) == len && memcmp(op->name, s, len) == 0)
            return op;
        h = (h + 1) % WAT_OP_HASH;
    }
    return NULL;
}

static void emit_code(wat_module *m, wat_buf *b, uint32_t code)
{
    if (code > 0xFFFF) {
        /* 0xFD0000 | sub-opcode (SIMD): the prefix, then the sub-opcode as u32 */
        wat_buf_byte(m->p, b, (uint8_t)(code >> 16));
        wat_buf_u32(m->p, b, code & 0xFFFF);
    } else if (code >= 0x100) {
        wat_buf_byte(m->p, b, (uint8_t)(code >> 8));
        wat_buf_u32(m->p, b, code & 0xFF);
    } else {
        wat_buf_byte(m->p, b, (uint8_t)code);
    }
}

/* ---- labels ---- */

/* Pushes the label named by t (an $id token, or NULL: unnamed). */
static void push_label_tok(wat_module *m, const wat_token *t)
{
    if (m->labels.count == m->labels.cap) {
        m->labels.cap = m->labels.cap ? m->labels.cap * 2 : 16;
        m->labels.items = wat_realloc(m->p, m->labels.items, m->labels.cap * sizeof *m->labels.items);
    }
    m->labels.items[m->labels.count++] = t ? wat_id(m->p, t) : (wat_name){NULL, 0};
}

/* An optional label $id at the cursor, consumed; NULL when there is none. */
static const wat_token *opt_label(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    if (!wat_tok_is_id(m->p, t))
        return NULL;
    wat_next(m->p);
    return t;
}

static void push_label(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    if (wat_tok_is_id(m->p, t)) {
        wat_next(m->p);
        /* Labels may shadow each other: no duplicate check. */
        if (m->labels.count == m->labels.cap) {
            m->labels.cap = m->labels.cap ? m->labels.cap * 2 : 16;
            m->labels.items = wat_realloc(m->p, m->labels.items, m->labels.cap * sizeof *m->labels.items);
        }
        m->labels.items[m->labels.count++] = wat_id(m->p, t);
    } else {
        wat_token none = {0, 0, 0, 0, TOK_EOF};
        (void)none;
        if (m->labels.count == m->labels.cap) {
            m->labels.cap = m->labels.cap ? m->labels.cap * 2 : 16;
            m->labels.items = wat_realloc(m->p, m->labels.items, m->labels.cap * sizeof *m->labels.items);
        }
        m->labels.items[m->labels.count++] = (wat_name){NULL, 0};
    }
}

/* After `end` or `else`: an optional id that must repeat the block's label. */
static void check_end_label(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    if (!wat_tok_is_id(m->p, t))
        return;
    const wat_name *l = &m->labels.items[m->labels.count - 1];
    wat_name name = wat_id(m->p, t);
    if (l->len != name.len || !l->len || memcmp(l->s, name.s, name.len) != 0)
        wat_fail_at(m->p, t, "mismatching label: '%.*s' does not name the block it ends", (int)t->len,
                    m->p->src + t->pos);
    wat_next(m->p);
}

uint32_t wat_label_index(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    if (wat_tok_is_id(m->p, t)) {
        wat_name name = wat_id(m->p, t);
        for (uint32_t k = m->labels.count; k-- > 0;) {
            const wat_name *l = &m->labels.items[k];
            if (l->len == name.len && l->len && memcmp(l->s, name.s, name.len) == 0) {
                wat_next(m->p);
                return m->labels.count - 1 - k;
            }
        }
        wat_fail_at(m->p, t, "unknown label '%.*s': no enclosing block has that name", (int)t->len,
                    m->p->src + t->pos);
    }
    uint32_t v;
    if (t->kind != TOK_ATOM || !wat_parse_u32(m->p->src + t->pos, t->len, &v))
        wat_fail_at(m->p, t, "expected a label (a $name or a depth below 2^32)");
    wat_next(m->p);
    return v;
}

/* ---- immediates ---- */

/* A block type: none, one result (its value type byte) or a type index. */
static void blocktype(wat_module *m, wat_buf *b)
{
    wat_functype ft;
    bool has_type;
    uint32_t idx;
    wat_typeuse_parts(m, NULL, false, &has_type, &idx, &ft);
    if (has_type && idx < m->ntypes && m->types[idx].is_func && m->types[idx].nparams == 0 &&
        m->types[idx].nresults <= 1) {
        /* (type x) of a type the short form can say: written short, as
         * wabt's wat2wasm does (both encodings mean the same) */
        if (m->types[idx].nresults)
            wat_buf_bytes(m->p, b, m->types[idx].types, m->types[idx].len);
        else
            wat_buf_byte(m->p, b, 0x40);
        return;
    }
    if (has_type) {
        wat_buf_s64(m->p, b, idx);
        return;
    }
    if (ft.nparams == 0 && ft.nresults == 0) {
        wat_buf_byte(m->p, b, 0x40);
    } else if (ft.nparams == 0 && ft.nresults == 1) {
        wat_buf_bytes(m->p, b, ft.types, ft.len);
    } else {
        wat_buf_s64(m->p, b, wat_type_find_or_add(m, &ft));
    }
}

static bool at_keyword_prefix(wat_module *m, const char *prefix)
{
    const wat_token *t = wat_peek(m->p, 0);
    size_t n = strlen(prefix);
    return t->kind == TOK_ATOM && t->len > n && memcmp(m->p->src + t->pos, prefix, n) == 0;
}

static uint32_t opt_index(wat_module *m, int space);

/* memidx? offset=? align=?: the flags (log2 alignment, bit 6 when a memory
 * other than 0 is named, then its index) and the offset, a u64 (under the
 * 2.0 profile below 2^32 unless the memory is 64-bit: larger is malformed
 * text there; under 3.0 the validator says "offset out of range"). */
void wat_memarg(wat_module *m, wat_buf *b, const wat_op *op, bool read_mem)
{
    uint32_t mem = read_mem ? opt_index(m, SPACE_MEM) : 0, align_log = op->align;
    uint64_t offset = 0;
    bool is64 = wat_mem_is64(m, mem);
    if (at_keyword_prefix(m, "offset=")) {
        const wat_token *t = wat_next(m->p);
        if (!wat_parse_u64(m->p->src + t->pos + 7, t->len - 7, &offset) || (!is64 && m->p->narrow_sizes && offset > UINT32_MAX))
            wat_fail_at(m->p, t, "malformed memory offset: expected offset=N with N below 2^%d", is64 ? 64 : 32);
    }
    if (at_keyword_prefix(m, "align=")) {
        const wat_token *t = wat_next(m->p);
        /* a u64 under 3.0 (the validator bounds it by the access size) */
        uint64_t a;
        if (!wat_parse_u64(m->p->src + t->pos + 6, t->len - 6, &a) || a == 0 || (a & (a - 1)) ||
            (m->p->narrow_sizes && a > UINT32_MAX))
            wat_fail_at(m->p, t, "malformed memory alignment: expected align=N with N a power of 2");
        align_log = 0;
        while (((uint64_t)1 << align_log) != a)
            align_log++;
    }
    if (mem) {
        wat_buf_u32(m->p, b, align_log | 0x40);
        wat_buf_u32(m->p, b, mem);
    } else {
        wat_buf_u32(m->p, b, align_log);
    }
    wat_buf_u64(m->p, b, offset);
}

static uint32_t opt_index(wat_module *m, int space)
{
    return wat_at_index(m) ? wat_index(m, space) : 0;
}

/* Whether two indices follow (table.init t e, memory.init m d). */
static bool two_indices(wat_module *m)
{
    const wat_token *a = wat_peek(m->p, 0), *b = wat_peek(m->p, 1);
    bool a_idx = wat_tok_is_id(m->p, a) || wat_tok_is_num(m->p, a);
    bool b_idx = wat_tok_is_id(m->p, b) || wat_tok_is_num(m->p, b);
    return a_idx && b_idx;
}

static void immediates(wat_module *m, wat_buf *b, const wat_op *op, const wat_token *at)
{
    wat_parser *p = m->p;
    /* 3.0 instructions whose immediates the plain kinds do not cover are
     * known by opcode (instr_ext.c, simd.c), whatever kind their rows have */
    if (wat_ext_immediates(m, b, op) || wat_simd_immediates(m, b, op))
        return;
    switch ((wb_imm)op->imm) {
    case WB_IMM_NONE:
        if (op->code == 0x1B && wat_at_open(p, "result")) {
            /* select with its result types: code 0x1C, vec(valtype) */
            b->len--;
            wat_buf_byte(p, b, 0x1C);
            wat_buf types = {0};
            uint32_t n = 0;
            while (wat_at_open(p, "result")) {
                wat_next(p);
                wat_next(p);
                wat_vt vt;
                while (wat_valtype(m, &vt)) {
                    wat_buf_bytes(p, &types, vt.b, vt.len);
                    n++;
                }
                wat_expect_rpar(p);
            }
            wat_buf_u32(p, b, n);
            wat_buf_bytes(p, b, types.data, types.len);
        }
        return;
    case WB_IMM_BLOCKTYPE: blocktype(m, b); return;
    case WB_IMM_LABEL: wat_buf_u32(p, b, wat_label_index(m)); return;
    case WB_IMM_BR_TABLE: {
        uint32_t labels[1024], n = 0;
        wat_buf extra = {0};
        bool spill = false;
        while (wat_at_index(m)) {
            uint32_t l = wat_label_index(m);
            if (n < 1024) {
                labels[n++] = l;
            } else {
                spill = true;
                wat_buf_u32(p, &extra, l);
                n++;
            }
        }
        if (n == 0)
            wat_fail_at(p, wat_peek(p, 0), "expected a label after br_table");
        /* The last label is the default, the rest the vector. */
        wat_buf_u32(p, b, n - 1);
        if (!spill) {
            for (uint32_t k = 0; k < n; k++)
                wat_buf_u32(p, b, labels[k]);
        } else {
            for (uint32_t k = 0; k < 1024; k++)
                wat_buf_u32(p, b, labels[k]);
            wat_buf_bytes(p, b, extra.data, extra.len);
        }
        return;
    }
    case WB_IMM_FUNC: wat_buf_u32(p, b, wat_index(m, SPACE_FUNC)); return;
    case WB_IMM_CALL_INDIRECT: {
        uint32_t table = opt_index(m, SPACE_TABLE);
        uint32_t type = wat_typeuse(m, NULL);
        wat_buf_u32(p, b, type);
        wat_buf_u32(p, b, table);
        return;
    }
    case WB_IMM_LOCAL: {
        const wat_token *t = wat_peek(p, 0);
        if (wat_tok_is_id(p, t)) {
            wat_name name = wat_id(p, t);
            int64_t k = wat_names_find(&m->locals, name.s, name.len);
            if (k < 0)
                wat_fail_at(p, t, "unknown local '%.*s'", (int)t->len, p->src + t->pos);
            wat_next(p);
            wat_buf_u32(p, b, (uint32_t)k);
            return;
        }
        uint32_t v;
        if (t->kind != TOK_ATOM || !wat_parse_u32(p->src + t->pos, t->len, &v))
            wat_fail_at(p, t, "expected a local (a $name or an index below 2^32)");
        wat_next(p);
        wat_buf_u32(p, b, v);
        return;
    }
    case WB_IMM_GLOBAL: wat_buf_u32(p, b, wat_index(m, SPACE_GLOBAL)); return;
    case WB_IMM_TABLE: wat_buf_u32(p, b, opt_index(m, SPACE_TABLE)); return;
    case WB_IMM_MEMARG: wat_memarg(m, b, op, true); return;
    case WB_IMM_I32:
    case WB_IMM_I64: {
        const wat_token *t = wat_peek(p, 0);
        uint64_t v;
        unsigned bits = op->imm == WB_IMM_I32 ? 32 : 64;
        if (t->kind != TOK_ATOM || !wat_parse_int(p->src + t->pos, t->len, bits, &v))
            wat_fail_at(p, t, "expected an i%u constant (signed or unsigned, in range)", bits);
        wat_next(p);
        if (bits == 32)
            wat_buf_s32(p, b, (int32_t)(uint32_t)v);
        else
            wat_buf_s64(p, b, (int64_t)v);
        return;
    }
    case WB_IMM_F32: {
        const wat_token *t = wat_peek(p, 0);
        uint32_t v;
        if (t->kind != TOK_ATOM || !wat_parse_f32(p->src + t->pos, t->len, &v))
            wat_fail_at(p, t, "expected an f32 constant (decimal, hex, inf, nan or nan:0x..., in range)");
        wat_next(p);
        uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
        wat_buf_bytes(p, b, le, 4);
        return;
    }
    case WB_IMM_F64: {
        const wat_token *t = wat_peek(p, 0);
        uint64_t v;
        if (t->kind != TOK_ATOM || !wat_parse_f64(p->src + t->pos, t->len, &v))
            wat_fail_at(p, t, "expected an f64 constant (decimal, hex, inf, nan or nan:0x..., in range)");
        wat_next(p);
        uint8_t le[8];
        for (int k = 0; k < 8; k++)
            le[k] = (uint8_t)(v >> (8 * k));
        wat_buf_bytes(p, b, le, 8);
        return;
    }
    case WB_IMM_MEMIDX: wat_buf_u32(p, b, opt_index(m, SPACE_MEM)); return;
    case WB_IMM_REFTYPE: wat_heaptype(m, b); return;
    case WB_IMM_SELECT_T: return; /* reached through "select (result ...)" above */
    case WB_IMM_MEMORY_INIT: {
        /* two indices: memory, then data; one: data */
        uint32_t mem = two_indices(m) ? wat_index(m, SPACE_MEM) : 0;
        uint32_t data = wat_index(m, SPACE_DATA);
        m->uses_data_count = true;
        wat_buf_u32(p, b, data);
        wat_buf_u32(p, b, mem);
        return;
    }
    case WB_IMM_DATA:
        m->uses_data_count = true;
        wat_buf_u32(p, b, wat_index(m, SPACE_DATA));
        return;
    case WB_IMM_MEMORY_COPY: {
        uint32_t dst = opt_index(m, SPACE_MEM);
        uint32_t src = wat_at_index(m) ? wat_index(m, SPACE_MEM) : dst;
        wat_buf_u32(p, b, dst);
        wat_buf_u32(p, b, src);
        return;
    }
    case WB_IMM_TABLE_INIT: {
        /* two indices: table, then element segment; one: the segment */
        uint32_t table = two_indices(m) ? wat_index(m, SPACE_TABLE) : 0;
        uint32_t elem = wat_index(m, SPACE_ELEM);
        wat_buf_u32(p, b, elem);
        wat_buf_u32(p, b, table);
        return;
    }
    case WB_IMM_ELEM: wat_buf_u32(p, b, wat_index(m, SPACE_ELEM)); return;
    case WB_IMM_TABLE_COPY: {
        uint32_t dst = 0, src = 0;
        if (wat_at_index(m)) {
            dst = wat_index(m, SPACE_TABLE);
            src = wat_index(m, SPACE_TABLE);
        }
        wat_buf_u32(p, b, dst);
        wat_buf_u32(p, b, src);
        return;
    }
    default: break; /* a kind of a row this reader does not know */
    }
    wat_fail_at(p, at, "internal: immediate kind %u not handled", op->imm);
}

/* ---- instructions ---- */

static const wat_op *find_op(wat_module *m, const wat_token *t)
{
    if (t->kind != TOK_ATOM)
        wat_fail_at(m->p, t, "expected an instruction");
    const wat_op *op = wat_op_find(m, m->p->src + t->pos, t->len);
    if (!op)
        wat_fail_at(m->p, t, "unknown operator '%.*s'", (int)(t->len > 40 ? 40 : t->len), m->p->src + t->pos);
    return op;
}

static bool at_block_end(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    const char *s = m->p->src;
    return t->kind == TOK_RPAR || t->kind == TOK_EOF || wat_is_atom(t, s, "end") || wat_is_atom(t, s, "else") ||
           wat_is_atom(t, s, "catch") || wat_is_atom(t, s, "catch_all") || wat_is_atom(t, s, "delegate");
}

/* The codes of the exception blocks and their parts. */
enum { OP_TRY = 0x06, OP_CATCH = 0x07, OP_DELEGATE = 0x18, OP_CATCH_ALL = 0x19, OP_TRY_TABLE = 0x1F };

static bool is_block_part(uint32_t code)
{
    return code == 0x05 || code == 0x0B || code == OP_CATCH || code == OP_CATCH_ALL || code == OP_DELEGATE;
}

static void instr(wat_module *m, wat_buf *b);

/* block / loop / if written plainly: ... end */
static void plain_block(wat_module *m, wat_buf *b, const wat_op *op)
{
    wat_parser *p = m->p;
    wat_enter(p);
    push_label(m);
    emit_code(m, b, op->code);
    blocktype(m, b);
    while (!at_block_end(m))
        instr(m, b);
    if (op->code == 0x04 && wat_is_atom(wat_peek(p, 0), p->src, "else")) {
        wat_next(p);
        check_end_label(m);
        wat_buf_byte(p, b, 0x05);
        while (!at_block_end(m))
            instr(m, b);
    }
    if (!wat_is_atom(wat_peek(p, 0), p->src, "end"))
        wat_fail(p, "expected 'end' closing the %s", op->name);
    wat_next(p);
    check_end_label(m);
    m->labels.count--;
    wat_buf_byte(p, b, 0x0B);
    wat_leave(p);
}

static void folded(wat_module *m, wat_buf *b);
static void folded_body(wat_module *m, wat_buf *b);

/* try_table's handlers, (catch $tag $l) (catch_ref $tag $l) (catch_all $l)
 * (catch_all_ref $l), as vec(catch): kinds 0-3, the tag, the label. The
 * labels are resolved outside the try_table (its own is not in scope). */
static void catch_clauses(wat_module *m, wat_buf *b)
{
    static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
    wat_parser *p = m->p;
    wat_buf cs = {0};
    uint32_t n = 0;
    for (;;) {
        uint8_t kind = 0;
        while (kind < 4 && !wat_at_open(p, kinds[kind]))
            kind++;
        if (kind == 4)
            break;
        wat_next(p);
        wat_next(p);
        wat_buf_byte(p, &cs, kind);
        if (kind < 2)
            wat_buf_u32(p, &cs, wat_index(m, SPACE_TAG));
        wat_buf_u32(p, &cs, wat_label_index(m));
        wat_expect_rpar(p);
        n++;
    }
    wat_buf_u32(p, b, n);
    wat_buf_bytes(p, b, cs.data, cs.len);
}

/* try_table label? blocktype catch* instr* end (folded: up to ")") */
static void try_table(wat_module *m, wat_buf *b, bool is_folded)
{
    wat_parser *p = m->p;
    const wat_token *label = opt_label(m);
    wat_buf_byte(p, b, OP_TRY_TABLE);
    blocktype(m, b);
    catch_clauses(m, b);
    push_label_tok(m, label);
    while (!at_block_end(m))
        instr(m, b);
    if (is_folded) {
        wat_expect_rpar(p);
    } else {
        if (!wat_is_atom(wat_peek(p, 0), p->src, "end"))
            wat_fail(p, "expected 'end' closing the try_table");
        wat_next(p);
        check_end_label(m);
    }
    m->labels.count--;
    wat_buf_byte(p, b, 0x0B);
}

/* Legacy exceptions, plain: try label? bt instr* (catch x instr*)*
 * (catch_all instr*)? end, or try label? bt instr* delegate l (its label
 * resolved outside the try, and no end). */
static void legacy_try(wat_module *m, wat_buf *b)
{
    wat_parser *p = m->p;
    push_label(m);
    wat_buf_byte(p, b, OP_TRY);
    blocktype(m, b);
    while (!at_block_end(m))
        instr(m, b);
    bool caught = false; /* delegate only ends a try without handlers */
    while (wat_is_atom(wat_peek(p, 0), p->src, "catch")) {
        wat_next(p);
        caught = true;
        wat_buf_byte(p, b, OP_CATCH);
        wat_buf_u32(p, b, wat_index(m, SPACE_TAG));
        while (!at_block_end(m))
            instr(m, b);
    }
    if (wat_is_atom(wat_peek(p, 0), p->src, "catch_all")) {
        wat_next(p);
        caught = true;
        wat_buf_byte(p, b, OP_CATCH_ALL);
        while (!at_block_end(m))
            instr(m, b);
    }
    if (!caught && wat_is_atom(wat_peek(p, 0), p->src, "delegate")) {
        wat_next(p);
        m->labels.count--;
        wat_buf_byte(p, b, OP_DELEGATE);
        wat_buf_u32(p, b, wat_label_index(m));
        return;
    }
    if (!wat_is_atom(wat_peek(p, 0), p->src, "end"))
        wat_fail(p, "expected 'end' closing the try");
    wat_next(p);
    check_end_label(m);
    m->labels.count--;
    wat_buf_byte(p, b, 0x0B);
}

/* Legacy exceptions, folded: (try label? bt (do instr*) (catch x instr*)*
 * (catch_all instr*)?) or (try label? bt (do instr*) (delegate l)). */
static void legacy_try_folded(wat_module *m, wat_buf *b)
{
    wat_parser *p = m->p;
    push_label(m);
    wat_buf_byte(p, b, OP_TRY);
    blocktype(m, b);
    if (!wat_at_open(p, "do"))
        wat_fail(p, "expected '(do ...)' in a folded try");
    wat_next(p);
    wat_next(p);
    while (!at_block_end(m))
        instr(m, b);
    wat_expect_rpar(p);
    bool caught = false; /* delegate only ends a try without handlers */
    while (wat_at_open(p, "catch")) {
        wat_next(p);
        wat_next(p);
        caught = true;
        wat_buf_byte(p, b, OP_CATCH);
        wat_buf_u32(p, b, wat_index(m, SPACE_TAG));
        while (!at_block_end(m))
            instr(m, b);
        wat_expect_rpar(p);
    }
    if (wat_at_open(p, "catch_all")) {
        wat_next(p);
        wat_next(p);
        caught = true;
        wat_buf_byte(p, b, OP_CATCH_ALL);
        while (!at_block_end(m))
            instr(m, b);
        wat_expect_rpar(p);
    }
    if (!caught && wat_at_open(p, "delegate")) {
        wat_next(p);
        wat_next(p);
        m->labels.count--;
        wat_buf_byte(p, b, OP_DELEGATE);
        wat_buf_u32(p, b, wat_label_index(m));
        wat_expect_rpar(p);
        wat_expect_rpar(p);
        return;
    }
    wat_expect_rpar(p);
    m->labels.count--;
    wat_buf_byte(p, b, 0x0B);
}

/* (if label? blocktype folded* (then instr*) (else instr*)?) */
static void folded_if(wat_module *m, wat_buf *b)
{
    wat_parser *p = m->p;
    push_label(m);
    wat_buf bt = {0};
    blocktype(m, &bt);
    while (wat_peek(p, 0)->kind == TOK_LPAR && !wat_at_open(p, "then"))
        folded(m, b);
    wat_buf_byte(p, b, 0x04);
    wat_buf_bytes(p, b, bt.data, bt.len);
    if (!wat_at_open(p, "then"))
        wat_fail(p, "expected '(then ...)' in a folded if");
    wat_next(p);
    wat_next(p);
    while (!at_block_end(m))
        instr(m, b);
    wat_expect_rpar(p);
    if (wat_at_open(p, "else")) {
        wat_next(p);
        wat_next(p);
        wat_buf_byte(p, b, 0x05);
        while (!at_block_end(m))
            instr(m, b);
        wat_expect_rpar(p);
    }
    wat_expect_rpar(p);
    m->labels.count--;
    wat_buf_byte(p, b, 0x0B);
}

/* A folded instruction at "(": its operands first, then itself. */
static void folded(wat_module *m, wat_buf *b)
{
    wat_enter(m->p);
    folded_body(m, b);
    wat_leave(m->p);
}

static void folded_body(wat_module *m, wat_buf *b)
{
    wat_parser *p = m->p;
    wat_expect_lpar(p);
    const wat_token *t = wat_next(p);
    const wat_op *op = find_op(m, t);
    if (op->code == 0x02 || op->code == 0x03) {
        push_label(m);
        emit_code(m, b, op->code);
        blocktype(m, b);
        while (!at_block_end(m))
            instr(m, b);
        wat_expect_rpar(p);
        m->labels.count--;
        wat_buf_byte(p, b, 0x0B);
        return;
    }
    if (op->code == 0x04) {
        folded_if(m, b);
        return;
    }
    if (op->code == OP_TRY_TABLE) {
        try_table(m, b, true);
        return;
    }
    if (op->code == OP_TRY) {
        legacy_try_folded(m, b);
        return;
    }
    if (is_block_part(op->code))
        wat_fail_at(p, t, "unexpected '%s': not an instruction of its own", op->name);
    size_t start = b->len;
    emit_code(m, b, op->code);
    immediates(m, b, op, t);
    size_t op_end = b->len;
    while (wat_peek(p, 0)->kind == TOK_LPAR)
        folded(m, b);
    wat_expect_rpar(p);
    /* Move the instruction's bytes after its operands' bytes. */
    size_t n = op_end - start, rest = b->len - op_end;
    if (rest) {
        m->scratch.len = 0;
        wat_buf_bytes(p, &m->scratch, b->data + start, n);
        memmove(b->data + start, b->data + op_end, rest);
        memcpy(b->data + start + rest, m->scratch.data, n);
    }
}

static void instr(wat_module *m, wat_buf *b)
{
    wat_parser *p = m->p;
    const wat_token *t = wat_peek(p, 0);
    if (t->kind == TOK_LPAR) {
        folded(m, b);
        return;
    }
    wat_next(p);
    const wat_op *op = find_op(m, t);
    if (op->code == 0x02 || op->code == 0x03 || op->code == 0x04) {
        plain_block(m, b, op);
        return;
    }
    if (op->code == OP_TRY_TABLE) {
        wat_enter(p);
        try_table(m, b, false);
        wat_leave(p);
        return;
    }
    if (op->code == OP_TRY) {
        wat_enter(p);
        legacy_try(m, b);
        wat_leave(p);
        return;
    }
    if (is_block_part(op->code))
        wat_fail_at(p, t, "unexpected '%s': no block is open", op->name);
    emit_code(m, b, op->code);
    immediates(m, b, op, t);
}

void wat_instrs(wat_module *m, wat_buf *b)
{
    while (!at_block_end(m))
        instr(m, b);
}

void wat_expr(wat_module *m, wat_buf *b)
{
    m->labels.count = 0;
    wat_instrs(m, b);
    wat_buf_byte(m->p, b, 0x0B);
}

void wat_folded_expr(wat_module *m, wat_buf *b)
{
    m->labels.count = 0;
    folded(m, b);
    wat_buf_byte(m->p, b, 0x0B);
}
