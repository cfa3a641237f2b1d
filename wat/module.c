/* Module fields and the sections they become.
 *
 * Two passes over the fields: the first binds every name of every index
 * space (imports first, as the text format requires) and reads the explicit
 * types, so that later fields can be named before they are defined; the
 * second encodes the fields in text order into one buffer per section,
 * adding implicit types (type uses without a matching explicit type) in
 * order of appearance, as the spec's abbreviation rules say. The sections
 * are then written in the binary format's order, empty ones left out.
 */
#include "module.h"

#include <string.h>

static const char *space_name(int space)
{
    static const char *const names[SPACE_COUNT] = {"type", "function", "table", "memory", "global", "tag",
                                                    "element segment", "data segment"};
    return names[space];
}

/* ---- names ---- */

int64_t wat_names_find(const wat_names *n, const char *s, uint32_t len)
{
    for (uint32_t k = 0; k < n->count; k++)
        if (n->items[k].len == len && len && memcmp(n->items[k].s, s, len) == 0)
            return k;
    return -1;
}

void wat_names_add(wat_module *m, wat_names *n, const wat_token *t, const char *what)
{
    wat_name name = {NULL, 0};
    if (t) {
        name = wat_id(m->p, t);
        if (wat_names_find(n, name.s, name.len) >= 0)
            wat_fail_at(m->p, t, "duplicate %s '%.*s'", what, (int)t->len, m->p->src + t->pos);
    }
    if (n->count == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 16;
        n->items = wat_realloc(m->p, n->items, n->cap * sizeof *n->items);
    }
    n->items[n->count++] = name;
}

/* An optional $id at the cursor, consumed; NULL when there is none. */
static const wat_token *opt_id(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    if (!wat_tok_is_id(m->p, t))
        return NULL;
    wat_next(m->p);
    return t;
}

bool wat_at_index(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    return wat_tok_is_id(m->p, t) || (wat_tok_is_num(m->p, t) && m->p->src[t->pos] != '-' && m->p->src[t->pos] != '+');
}

uint32_t wat_index(wat_module *m, int space)
{
    wat_parser *p = m->p;
    const wat_token *t = wat_peek(p, 0);
    if (wat_tok_is_id(p, t)) {
        wat_name name = wat_id(p, t);
        int64_t k = wat_names_find(&m->names[space], name.s, name.len);
        if (k < 0)
            wat_fail_at(p, t, "unknown %s '%.*s'", space_name(space), (int)t->len, p->src + t->pos);
        wat_next(p);
        return (uint32_t)k;
    }
    uint32_t v;
    if (t->kind != TOK_ATOM || !wat_parse_u32(p->src + t->pos, t->len, &v))
        wat_fail_at(p, t, "expected a %s index (a $name or a number below 2^32)", space_name(space));
    wat_next(p);
    return v;
}

/* ---- pass 1: names and explicit types ---- */

/* Skips to the ")" that closes the field whose "(" kw were read, and over it. */
static void skip_rest(wat_module *m)
{
    while (wat_peek(m->p, 0)->kind != TOK_RPAR) {
        if (wat_peek(m->p, 0)->kind == TOK_EOF)
            wat_fail(m->p, "expected ')'");
        wat_skip_sexpr(m->p);
    }
    wat_next(m->p);
}

static void skip_exports(wat_module *m)
{
    while (wat_at_open(m->p, "export"))
        wat_skip_sexpr(m->p);
}

static int field_space(wat_module *m, const wat_token *kw)
{
    const char *s = m->p->src;
    if (wat_is_atom(kw, s, "func"))
        return SPACE_FUNC;
    if (wat_is_atom(kw, s, "table"))
        return SPACE_TABLE;
    if (wat_is_atom(kw, s, "memory"))
        return SPACE_MEM;
    if (wat_is_atom(kw, s, "global"))
        return SPACE_GLOBAL;
    if (wat_is_atom(kw, s, "tag"))
        return SPACE_TAG;
    return -1;
}

static void note_import(wat_module *m, const wat_token *at, const char **first_def)
{
    if (*first_def)
        wat_fail_at(m->p, at, "import after %s: imports must come before every definition", *first_def);
}

static void scan_field(wat_module *m, const char **first_def)
{
    wat_parser *p = m->p;
    wat_expect_lpar(p);
    const wat_token *kw = wat_next(p);
    const char *s = p->src;
    int space = field_space(m, kw);
    if (wat_is_atom(kw, s, "type") || wat_is_atom(kw, s, "rec")) {
        /* names now, the definitions once every type name is bound
         * (a reference type may name a later type) */
        if (m->ntype_at == m->type_at_cap) {
            m->type_at_cap = m->type_at_cap ? m->type_at_cap * 2 : 16;
            m->type_at = wat_realloc(p, m->type_at, m->type_at_cap * sizeof *m->type_at);
        }
        m->type_at[m->ntype_at++] = p->i - 2;
        wat_bind_type_names(m, wat_is_atom(kw, s, "rec"));
        skip_rest(m);
        return;
    }
    if (wat_is_atom(kw, s, "import")) {
        for (int k = 0; k < 2; k++) {
            if (wat_peek(p, 0)->kind != TOK_STRING)
                wat_fail(p, "expected a string: an import names a module and a field");
            wat_next(p);
        }
        wat_expect_lpar(p);
        const wat_token *dk = wat_next(p);
        int ds = field_space(m, dk);
        if (ds < 0)
            wat_fail_at(p, dk, "expected an import kind (func, table, memory, global or tag)");
        note_import(m, kw, first_def);
        wat_names_add(m, &m->names[ds], opt_id(m), space_name(ds));
        if (ds == SPACE_MEM)
            wat_buf_byte(p, &m->mem64, wat_is_atom(wat_peek(p, 0), s, "i64"));
        skip_rest(m);
        skip_rest(m);
        return;
    }
    if (space >= 0) {
        const wat_token *id = opt_id(m);
        skip_exports(m);
        if (wat_at_open(p, "import")) {
            note_import(m, kw, first_def);
        } else if (!*first_def) {
            *first_def = space_name(space);
        }
        wat_names_add(m, &m->names[space], id, space_name(space));
        bool is64 = false;
        /* Inline (elem ...) / (data ...) make a segment of their own. */
        while (wat_peek(p, 0)->kind != TOK_RPAR && wat_peek(p, 0)->kind != TOK_EOF) {
            if (wat_is_atom(wat_peek(p, 0), s, "i64"))
                is64 = true; /* the address type: a memory's only bare i64 */
            if (space == SPACE_TABLE && wat_at_open(p, "elem"))
                wat_names_add(m, &m->names[SPACE_ELEM], NULL, "element segment");
            if (space == SPACE_MEM && wat_at_open(p, "data"))
                wat_names_add(m, &m->names[SPACE_DATA], NULL, "data segment");
            wat_skip_sexpr(p);
        }
        if (space == SPACE_MEM)
            wat_buf_byte(p, &m->mem64, is64);
        wat_expect_rpar(p);
        return;
    }
    if (wat_is_atom(kw, s, "elem") || wat_is_atom(kw, s, "data")) {
        int sp = wat_is_atom(kw, s, "elem") ? SPACE_ELEM : SPACE_DATA;
        wat_names_add(m, &m->names[sp], opt_id(m), space_name(sp));
        skip_rest(m);
        return;
    }
    if (wat_is_atom(kw, s, "export") || wat_is_atom(kw, s, "start")) {
        skip_rest(m);
        return;
    }
    wat_fail_at(p, kw, "expected a module field (type, rec, import, func, table, memory, tag, global, export, start, elem or data)");
}

/* ---- pass 2: encoding ---- */

static void name_string(wat_module *m, wat_buf *b)
{
    const wat_token *t = wat_peek(m->p, 0);
    size_t len;
    uint8_t *s = wat_string(m->p, t, &len);
    if (!wat_utf8_valid(s, len))
        wat_fail_at(m->p, t, "malformed UTF-8 encoding: a name must be valid UTF-8");
    wat_next(m->p);
    wat_buf_name(m->p, b, s, len);
}

bool wat_mem_is64(const wat_module *m, uint32_t idx)
{
    return idx < m->mem64.len && m->mem64.data[idx];
}

/* An optional address type (i32 or i64: memory64); true for i64. */
static bool addrtype(wat_module *m)
{
    const wat_token *t = wat_peek(m->p, 0);
    if (wat_is_atom(t, m->p->src, "i64") || wat_is_atom(t, m->p->src, "i32")) {
        wat_next(m->p);
        return m->p->src[t->pos + 1] == '6';
    }
    return false;
}

/* A size of limits: a u64 (3.0's binary format has u64 sizes everywhere;
 * the validator bounds those of 32-bit memories and tables), or under the
 * 2.0 profile a u32 unless the memory or table is 64-bit. */
static uint64_t limit_size(wat_module *m, bool is64, const char *what)
{
    wat_parser *p = m->p;
    const wat_token *t = wat_peek(p, 0);
    uint64_t v;
    if (t->kind != TOK_ATOM || !wat_parse_u64(p->src + t->pos, t->len, &v) ||
        (!is64 && p->narrow_sizes && v > UINT32_MAX))
        wat_fail_at(p, t, "expected a %s size (a number below 2^%d)", what, is64 ? 64 : 32);
    wat_next(p);
    return v;
}

/* Limits: min max?, flags bit 0 for a maximum and bit 2 for 64 bits. */
static void limits_of(wat_module *m, wat_buf *b, bool is64)
{
    wat_parser *p = m->p;
    uint64_t min = limit_size(m, is64, "minimum"), max = 0;
    bool has_max = wat_tok_is_num(p, wat_peek(p, 0));
    if (has_max)
        max = limit_size(m, is64, "maximum");
    wat_buf_byte(p, b, (uint8_t)((has_max ? 0x01 : 0x00) | (is64 ? 0x04 : 0x00)));
    wat_buf_u64(p, b, min);
    if (has_max)
        wat_buf_u64(p, b, max);
}

/* addrtype? limits */
static void limits(wat_module *m, wat_buf *b)
{
    limits_of(m, b, addrtype(m));
}

static void tabletype(wat_module *m, wat_buf *b)
{
    wat_buf lim = {0};
    limits(m, &lim);
    wat_vt t = wat_reftype(m);
    wat_buf_bytes(m->p, b, t.b, t.len);
    wat_buf_bytes(m->p, b, lim.data, lim.len);
}

static void globaltype(wat_module *m, wat_buf *b)
{
    wat_vt vt;
    bool mut = wat_at_open(m->p, "mut");
    if (mut) {
        wat_next(m->p);
        wat_next(m->p);
        if (!wat_valtype(m, &vt))
            wat_fail(m->p, "expected a value type");
        wat_expect_rpar(m->p);
    } else if (!wat_valtype(m, &vt)) {
        wat_fail(m->p, "expected a global type (a value type or (mut ...))");
    }
    wat_buf_bytes(m->p, b, vt.b, vt.len);
    wat_buf_byte(m->p, b, mut ? 0x01 : 0x00);
}

/* (export "name")* of an entity of kind at index idx. */
static void inline_exports(wat_module *m, uint8_t kind, uint32_t idx)
{
    while (wat_at_open(m->p, "export")) {
        wat_next(m->p);
        wat_next(m->p);
        name_string(m, &m->sec_export);
        wat_buf_byte(m->p, &m->sec_export, kind);
        wat_buf_u32(m->p, &m->sec_export, idx);
        m->nexports++;
        wat_expect_rpar(m->p);
    }
}

/* (import "m" "n") inline: writes the names, returns whether it was there. */
static bool inline_import(wat_module *m)
{
    if (!wat_at_open(m->p, "import"))
        return false;
    wat_next(m->p);
    wat_next(m->p);
    name_string(m, &m->sec_import);
    name_string(m, &m->sec_import);
    wat_expect_rpar(m->p);
    m->nimports++;
    return true;
}

static void func_body(wat_module *m, uint32_t type)
{
    wat_parser *p = m->p;
    wat_buf_u32(p, &m->sec_func, type);
    m->nfuncs++;
    /* the locals' types, one wat_vt each */
    wat_vt *locals = NULL;
    uint32_t nlocals = 0, cap = 0;
    wat_vt vt;
    while (wat_at_open(p, "local")) {
        wat_next(p);
        wat_next(p);
        const wat_token *id = opt_id(m);
        for (;;) {
            if (!wat_valtype(m, &vt)) {
                if (id)
                    wat_fail(p, "expected a value type");
                break;
            }
            if (nlocals == cap) {
                cap = cap ? cap * 2 : 16;
                locals = wat_realloc(p, locals, cap * sizeof *locals);
            }
            locals[nlocals++] = vt;
            wat_names_add(m, &m->locals, id, "local");
            if (id)
                break;
        }
        wat_expect_rpar(p);
    }
    wat_buf body = {0};
    /* Runs of one type make one entry. */
    uint32_t groups = 0;
    for (uint32_t k = 0; k < nlocals;) {
        uint32_t j = k;
        while (j < nlocals && memcmp(&locals[j], &locals[k], sizeof vt) == 0)
            j++;
        groups++;
        k = j;
    }
    wat_buf_u32(p, &body, groups);
    for (uint32_t k = 0; k < nlocals;) {
        uint32_t j = k;
        while (j < nlocals && memcmp(&locals[j], &locals[k], sizeof vt) == 0)
            j++;
        wat_buf_u32(p, &body, j - k);
        wat_buf_bytes(p, &body, locals[k].b, locals[k].len);
        k = j;
    }
    m->labels.count = 0;
    wat_instrs(m, &body);
    wat_buf_byte(p, &body, 0x0B);
    wat_buf_u32(p, &m->sec_code, (uint32_t)body.len);
    wat_buf_bytes(p, &m->sec_code, body.data, body.len);
}

static void field_func(wat_module *m)
{
    uint32_t idx = m->next[SPACE_FUNC]++;
    opt_id(m);
    inline_exports(m, 0x00, idx);
    m->locals.count = 0;
    if (inline_import(m)) {
        wat_buf_byte(m->p, &m->sec_import, 0x00);
        wat_buf_u32(m->p, &m->sec_import, wat_typeuse(m, &m->locals));
        return;
    }
    uint32_t type = wat_typeuse(m, &m->locals);
    func_body(m, type);
}

/* The items of an element list: as function indices (func_form, when every
 * item is a plain function reference) and as expressions. */
typedef struct elem_items {
    wat_buf funcs, exprs;
    uint32_t count;
    bool func_form;
} elem_items;

static void item_func(wat_module *m, elem_items *it, uint32_t f)
{
    wat_buf_u32(m->p, &it->funcs, f);
    wat_buf_byte(m->p, &it->exprs, 0xD2);
    wat_buf_u32(m->p, &it->exprs, f);
    wat_buf_byte(m->p, &it->exprs, 0x0B);
    it->count++;
}

static void item_expr(wat_module *m, elem_items *it, bool item_keyword)
{
    wat_buf e = {0};
    if (item_keyword) {
        wat_next(m->p);
        wat_next(m->p);
        wat_expr(m, &e);
        wat_expect_rpar(m->p);
    } else {
        wat_folded_expr(m, &e);
    }
    /* ref.func X end: keep X for the index form */
    bool is_ref_func = e.len >= 3 && e.data[0] == 0xD2 && e.data[e.len - 1] == 0x0B;
    if (is_ref_func) {
        size_t k = 1;
        while (k < e.len - 1 && (e.data[k] & 0x80))
            k++;
        is_ref_func = k == e.len - 2;
        if (is_ref_func)
            wat_buf_bytes(m->p, &it->funcs, e.data + 1, e.len - 2);
    }
    if (!is_ref_func)
        it->func_form = false;
    wat_buf_bytes(m->p, &it->exprs, e.data, e.len);
    it->count++;
}

static const wat_vt funcref = {1, {0x70}};

static bool is_funcref(const wat_vt *t)
{
    return t->len == 1 && t->b[0] == 0x70;
}

/* An element list: "func x*", "reftype item*", or bare x* (func). */
static wat_vt elem_list(wat_module *m, elem_items *it)
{
    wat_parser *p = m->p;
    memset(it, 0, sizeof *it);
    it->func_form = true;
    wat_vt type = funcref;
    if (wat_is_atom(wat_peek(p, 0), p->src, "func")) {
        wat_next(p);
        while (wat_at_index(m))
            item_func(m, it, wat_index(m, SPACE_FUNC));
        return type;
    }
    const wat_token *at = wat_peek(p, 0);
    wat_vt written;
    if (wat_valtype(m, &written)) {
        type = written;
        if (!wat_vt_is_ref(&type))
            wat_fail_at(p, at, "expected a reference type for the element segment");
        /* a written type stays under 3.0: the index form (flags 0..3) is
         * (ref func) there, so `funcref (ref.func 0)` keeps its expressions
         * (under 2.0 the index form is funcref: wabt's bytes) */
        if (!p->funcref_index_form)
            it->func_form = false;
        while (wat_peek(p, 0)->kind == TOK_LPAR)
            item_expr(m, it, wat_at_open(p, "item"));
        return type;
    }
    while (wat_at_index(m))
        item_func(m, it, wat_index(m, SPACE_FUNC));
    return type;
}

/* Writes one element segment: flags 0..7 as the binary format defines them. */
static void emit_elem(wat_module *m, int mode, uint32_t table, const wat_buf *offset, const wat_vt *type,
                      const elem_items *it)
{
    wat_parser *p = m->p;
    wat_buf *b = &m->sec_elem;
    bool exprs = !it->func_form || !is_funcref(type);
    m->nelems++;
    if (mode == 0 && table == 0 && is_funcref(type)) {
        wat_buf_byte(p, b, exprs ? 4 : 0);
        wat_buf_bytes(p, b, offset->data, offset->len);
    } else if (mode == 0) {
        wat_buf_byte(p, b, exprs ? 6 : 2);
        wat_buf_u32(p, b, table);
        wat_buf_bytes(p, b, offset->data, offset->len);
        if (exprs)
            wat_buf_bytes(p, b, type->b, type->len);
        else
            wat_buf_byte(p, b, 0x00);
    } else {
        wat_buf_byte(p, b, (uint8_t)((mode == 1 ? 1 : 3) | (exprs ? 4 : 0)));
        if (exprs)
            wat_buf_bytes(p, b, type->b, type->len);
        else
            wat_buf_byte(p, b, 0x00);
    }
    wat_buf_u32(p, b, it->count);
    if (exprs)
        wat_buf_bytes(p, b, it->exprs.data, it->exprs.len);
    else
        wat_buf_bytes(p, b, it->funcs.data, it->funcs.len);
}

static void const_zero_offset(wat_module *m, wat_buf *b, bool is64)
{
    wat_buf_byte(m->p, b, is64 ? 0x42 : 0x41);
    wat_buf_byte(m->p, b, 0x00);
    wat_buf_byte(m->p, b, 0x0B);
}

static void field_table(wat_module *m)
{
    wat_parser *p = m->p;
    uint32_t idx = m->next[SPACE_TABLE]++;
    opt_id(m);
    inline_exports(m, 0x01, idx);
    if (inline_import(m)) {
        wat_buf_byte(p, &m->sec_import, 0x01);
        tabletype(m, &m->sec_import);
        return;
    }
    m->ntables++;
    size_t at = p->i;
    bool is64 = addrtype(m);
    if (!wat_tok_is_num(p, wat_peek(p, 0))) {
        /* reftype (elem ...): a table just big enough, and its segment */
        wat_vt type = wat_reftype(m);
        if (!wat_at_open(p, "elem"))
            wat_fail(p, "expected '(elem ...)' or table limits");
        wat_next(p);
        wat_next(p);
        elem_items it;
        memset(&it, 0, sizeof it);
        it.func_form = true;
        if (wat_peek(p, 0)->kind == TOK_LPAR) {
            while (wat_peek(p, 0)->kind == TOK_LPAR)
                item_expr(m, &it, wat_at_open(p, "item"));
        } else {
            while (wat_at_index(m))
                item_func(m, &it, wat_index(m, SPACE_FUNC));
        }
        wat_expect_rpar(p);
        wat_buf_bytes(p, &m->sec_table, type.b, type.len);
        wat_buf_byte(p, &m->sec_table, is64 ? 0x05 : 0x01);
        wat_buf_u64(p, &m->sec_table, it.count);
        wat_buf_u64(p, &m->sec_table, it.count);
        wat_buf off = {0};
        const_zero_offset(m, &off, is64);
        m->next[SPACE_ELEM]++;
        emit_elem(m, 0, idx, &off, &type, &it);
        return;
    }
    p->i = at;
    wat_buf tt = {0};
    tabletype(m, &tt);
    if (wat_peek(p, 0)->kind != TOK_RPAR) {
        /* an initialiser for every entry: 0x40 0x00 tabletype expr, unless
         * it is ref.null of the table's own heap type, the default (the
         * reference interpreter writes the plain table type then) */
        wat_buf init = {0};
        wat_expr(m, &init);
        /* the table type starts with its reference type: one byte, or
         * 0x63/0x64 and the heap type, which ends at a byte below 0x80 */
        size_t ht = tt.data[0] == 0x63 || tt.data[0] == 0x64 ? 1 : 0, ht_end = ht;
        while (ht_end < tt.len && (tt.data[ht_end] & 0x80))
            ht_end++;
        ht_end++;
        bool is_default = init.len == 2 + (ht_end - ht) && init.data[0] == 0xD0 &&
                          memcmp(init.data + 1, tt.data + ht, ht_end - ht) == 0;
        if (!is_default) {
            wat_buf_byte(p, &m->sec_table, 0x40);
            wat_buf_byte(p, &m->sec_table, 0x00);
        }
        wat_buf_bytes(p, &m->sec_table, tt.data, tt.len);
        if (!is_default)
            wat_buf_bytes(p, &m->sec_table, init.data, init.len);
        return;
    }
    wat_buf_bytes(p, &m->sec_table, tt.data, tt.len);
}

/* Data strings up to the closing ")". */
static void data_strings(wat_module *m, wat_buf *bytes)
{
    while (wat_peek(m->p, 0)->kind == TOK_STRING) {
        size_t len;
        uint8_t *s = wat_string(m->p, wat_next(m->p), &len);
        wat_buf_bytes(m->p, bytes, s, len);
    }
}

static void emit_data(wat_module *m, bool active, uint32_t mem, const wat_buf *offset, const wat_buf *bytes)
{
    wat_parser *p = m->p;
    wat_buf *b = &m->sec_data;
    m->ndatas++;
    if (!active) {
        wat_buf_byte(p, b, 0x01);
    } else if (mem == 0) {
        wat_buf_byte(p, b, 0x00);
        wat_buf_bytes(p, b, offset->data, offset->len);
    } else {
        wat_buf_byte(p, b, 0x02);
        wat_buf_u32(p, b, mem);
        wat_buf_bytes(p, b, offset->data, offset->len);
    }
    wat_buf_u32(p, b, (uint32_t)bytes->len);
    wat_buf_bytes(p, b, bytes->data, bytes->len);
}

static void field_memory(wat_module *m)
{
    wat_parser *p = m->p;
    uint32_t idx = m->next[SPACE_MEM]++;
    opt_id(m);
    inline_exports(m, 0x02, idx);
    if (inline_import(m)) {
        wat_buf_byte(p, &m->sec_import, 0x02);
        limits(m, &m->sec_import);
        return;
    }
    m->nmems++;
    bool is64 = addrtype(m);
    if (wat_at_open(p, "data")) {
        wat_next(p);
        wat_next(p);
        wat_buf bytes = {0};
        data_strings(m, &bytes);
        wat_expect_rpar(p);
        uint64_t pages = (bytes.len + 65535) / 65536;
        wat_buf_byte(p, &m->sec_mem, is64 ? 0x05 : 0x01);
        wat_buf_u64(p, &m->sec_mem, pages);
        wat_buf_u64(p, &m->sec_mem, pages);
        wat_buf off = {0};
        const_zero_offset(m, &off, is64);
        m->next[SPACE_DATA]++;
        emit_data(m, true, idx, &off, &bytes);
        return;
    }
    limits_of(m, &m->sec_mem, is64);
}

static void field_global(wat_module *m)
{
    uint32_t idx = m->next[SPACE_GLOBAL]++;
    opt_id(m);
    inline_exports(m, 0x03, idx);
    if (inline_import(m)) {
        wat_buf_byte(m->p, &m->sec_import, 0x03);
        globaltype(m, &m->sec_import);
        return;
    }
    m->nglobals++;
    globaltype(m, &m->sec_global);
    wat_expr(m, &m->sec_global);
}

/* A tag's type: attribute 0 (an exception), then its type use. */
static void tagtype(wat_module *m, wat_buf *b)
{
    wat_buf_byte(m->p, b, 0x00);
    m->locals.count = 0;
    wat_buf_u32(m->p, b, wat_typeuse(m, &m->locals));
}

static void field_tag(wat_module *m)
{
    uint32_t idx = m->next[SPACE_TAG]++;
    opt_id(m);
    inline_exports(m, 0x04, idx);
    if (inline_import(m)) {
        wat_buf_byte(m->p, &m->sec_import, 0x04);
        tagtype(m, &m->sec_import);
        return;
    }
    m->ntags++;
    tagtype(m, &m->sec_tag);
}

static void field_import(wat_module *m)
{
    wat_parser *p = m->p;
    name_string(m, &m->sec_import);
    name_string(m, &m->sec_import);
    m->nimports++;
    wat_expect_lpar(p);
    const wat_token *kw = wat_next(p);
    int space = field_space(m, kw);
    m->next[space]++;
    opt_id(m);
    wat_buf *b = &m->sec_import;
    switch (space) {
    case SPACE_FUNC:
        wat_buf_byte(p, b, 0x00);
        m->locals.count = 0;
        wat_buf_u32(p, b, wat_typeuse(m, &m->locals));
        break;
    case SPACE_TABLE: wat_buf_byte(p, b, 0x01); tabletype(m, b); break;
    case SPACE_MEM: wat_buf_byte(p, b, 0x02); limits(m, b); break;
    case SPACE_TAG: wat_buf_byte(p, b, 0x04); tagtype(m, b); break;
    default: wat_buf_byte(p, b, 0x03); globaltype(m, b); break;
    }
    wat_expect_rpar(p);
}

static void field_export(wat_module *m)
{
    wat_parser *p = m->p;
    name_string(m, &m->sec_export);
    wat_expect_lpar(p);
    const wat_token *kw = wat_next(p);
    int space = field_space(m, kw);
    if (space < 0)
        wat_fail_at(p, kw, "expected an export kind (func, table, memory, global or tag)");
    wat_buf_byte(p, &m->sec_export, (uint8_t)(space - SPACE_FUNC));
    wat_buf_u32(p, &m->sec_export, wat_index(m, space));
    m->nexports++;
    wat_expect_rpar(p);
}

static void field_elem(wat_module *m)
{
    wat_parser *p = m->p;
    m->next[SPACE_ELEM]++;
    opt_id(m);
    int mode = 1; /* 0 active, 1 passive, 2 declarative */
    uint32_t table = 0;
    wat_buf offset = {0};
    if (wat_is_atom(wat_peek(p, 0), p->src, "declare")) {
        wat_next(p);
        mode = 2;
    } else {
        if (wat_at_open(p, "table")) {
            wat_next(p);
            wat_next(p);
            table = wat_index(m, SPACE_TABLE);
            wat_expect_rpar(p);
            mode = 0;
        }
        if (wat_at_open(p, "offset")) {
            wat_next(p);
            wat_next(p);
            wat_expr(m, &offset);
            wat_expect_rpar(p);
            mode = 0;
        } else if (wat_peek(p, 0)->kind == TOK_LPAR && !wat_at_open(p, "ref")) {
            wat_folded_expr(m, &offset);
            mode = 0;
        } else if (mode == 0) {
            wat_fail(p, "expected an offset: (offset ...) or a folded instruction");
        }
    }
    elem_items it;
    wat_vt type = elem_list(m, &it);
    emit_elem(m, mode, table, &offset, &type, &it);
}

static void field_data(wat_module *m)
{
    wat_parser *p = m->p;
    m->next[SPACE_DATA]++;
    opt_id(m);
    bool active = false;
    uint32_t mem = 0;
    wat_buf offset = {0};
    if (wat_at_open(p, "memory")) {
        wat_next(p);
        wat_next(p);
        mem = wat_index(m, SPACE_MEM);
        wat_expect_rpar(p);
        active = true;
    }
    if (wat_at_open(p, "offset")) {
        wat_next(p);
        wat_next(p);
        wat_expr(m, &offset);
        wat_expect_rpar(p);
        active = true;
    } else if (wat_peek(p, 0)->kind == TOK_LPAR) {
        wat_folded_expr(m, &offset);
        active = true;
    } else if (active) {
        wat_fail(p, "expected an offset: (offset ...) or a folded instruction");
    }
    wat_buf bytes = {0};
    data_strings(m, &bytes);
    emit_data(m, active, mem, &offset, &bytes);
}

static void encode_field(wat_module *m)
{
    wat_parser *p = m->p;
    wat_expect_lpar(p);
    const wat_token *kw = wat_next(p);
    const char *s = p->src;
    if (wat_is_atom(kw, s, "type") || wat_is_atom(kw, s, "rec")) {
        skip_rest(m);
        return;
    }
    if (wat_is_atom(kw, s, "func"))
        field_func(m);
    else if (wat_is_atom(kw, s, "table"))
        field_table(m);
    else if (wat_is_atom(kw, s, "memory"))
        field_memory(m);
    else if (wat_is_atom(kw, s, "global"))
        field_global(m);
    else if (wat_is_atom(kw, s, "tag"))
        field_tag(m);
    else if (wat_is_atom(kw, s, "import"))
        field_import(m);
    else if (wat_is_atom(kw, s, "export"))
        field_export(m);
    else if (wat_is_atom(kw, s, "elem"))
        field_elem(m);
    else if (wat_is_atom(kw, s, "data"))
        field_data(m);
    else if (wat_is_atom(kw, s, "start")) {
        const wat_token *t = wat_peek(p, 0);
        if (m->has_start)
            wat_fail_at(p, t, "multiple start sections: a module has at most one (start ...)");
        m->start = wat_index(m, SPACE_FUNC);
        m->has_start = true;
    }
    wat_expect_rpar(p);
}

/* ---- the module ---- */

static void section_vec(wat_parser *p, wat_buf *out, uint8_t id, uint32_t count, const wat_buf *body)
{
    if (count == 0)
        return;
    wat_buf sec = {0};
    wat_buf_u32(p, &sec, count);
    wat_buf_bytes(p, &sec, body->data, body->len);
    wat_buf_section(p, out, id, &sec);
}

void wat_read_module(wat_parser *p, bool whole, wat_buf *out)
{
    wat_module *m = wat_alloc(p, sizeof *m);
    m->p = p;
    wat_ops_index(m);
    /* (@custom ...) fields sit one level inside (module ...), or at the
     * top of a text of fields alone */
    size_t module_tok = p->i;
    uint32_t field_depth = wat_custom_depth_of(p, module_tok) + (whole ? 1 : 0);
    if (whole) {
        wat_expect_lpar(p);
        wat_next(p); /* module */
        if (p->in_script && wat_is_atom(wat_peek(p, 0), p->src, "definition"))
            wat_next(p); /* a script's (module definition ...) */
        opt_id(m);
    }
    size_t first = p->i;
    const char *first_def = NULL;
    while (wat_peek(p, 0)->kind == TOK_LPAR)
        scan_field(m, &first_def);
    for (uint32_t k = 0; k < m->ntype_at; k++) {
        p->i = m->type_at[k];
        wat_type_entry(m);
    }
    m->nexplicit = m->ntypes;
    p->i = first;
    while (wat_peek(p, 0)->kind == TOK_LPAR)
        encode_field(m);
    if (whole)
        wat_expect_rpar(p);
    wat_custom_list cl;
    /* up to the module's ")" (whole), or the end of the text */
    wat_customs_collect(p, whole, module_tok, whole ? p->i - 1 : p->i, field_depth, &cl);

    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    wat_buf_bytes(p, out, header, sizeof header);
    wat_customs_before(p, &cl, out, 1);
    wat_write_types(m, out);
    wat_customs_before(p, &cl, out, 2);
    section_vec(p, out, 2, m->nimports, &m->sec_import);
    wat_customs_before(p, &cl, out, 3);
    section_vec(p, out, 3, m->nfuncs, &m->sec_func);
    wat_customs_before(p, &cl, out, 4);
    section_vec(p, out, 4, m->ntables, &m->sec_table);
    wat_customs_before(p, &cl, out, 5);
    section_vec(p, out, 5, m->nmems, &m->sec_mem);
    wat_customs_before(p, &cl, out, 13);
    section_vec(p, out, 13, m->ntags, &m->sec_tag); /* the tag section comes before the globals */
    wat_customs_before(p, &cl, out, 6);
    section_vec(p, out, 6, m->nglobals, &m->sec_global);
    wat_customs_before(p, &cl, out, 7);
    section_vec(p, out, 7, m->nexports, &m->sec_export);
    wat_customs_before(p, &cl, out, 8);
    if (m->has_start) {
        wat_buf st = {0};
        wat_buf_u32(p, &st, m->start);
        wat_buf_section(p, out, 8, &st);
    }
    wat_customs_before(p, &cl, out, 9);
    section_vec(p, out, 9, m->nelems, &m->sec_elem);
    wat_customs_before(p, &cl, out, 12);
    if (m->uses_data_count && m->ndatas > 0) {
        wat_buf dc = {0};
        wat_buf_u32(p, &dc, m->ndatas);
        wat_buf_section(p, out, 12, &dc);
    }
    wat_customs_before(p, &cl, out, 10);
    section_vec(p, out, 10, m->nfuncs, &m->sec_code);
    wat_customs_before(p, &cl, out, 11);
    section_vec(p, out, 11, m->ndatas, &m->sec_data);
    wat_customs_end(p, &cl, out);
}
