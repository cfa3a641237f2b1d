/* Types: value types (with WebAssembly 3.0's typed references), heap types,
 * function types and type uses, and the type definitions of the type
 * section (func, and the GC's struct, array, sub and rec, read so that
 * modules using them are encoded; the engine decides what it runs).
 *
 * Encodings are the binary format's, as the reference interpreter writes
 * them: a nullable reference to an abstract heap type is its one-byte short
 * form ((ref null func) is funcref, 0x70), any other reference is 0x63
 * (nullable) or 0x64 then the heap type (an abstract type's byte, or a type
 * index as s33); a subtype that is final with no supertype is its composite
 * type alone, and a rec group of one type is that type alone.
 */
#include "module.h"

#include <string.h>

/* ---- heap and value types ---- */

/* Abstract heap types: the keyword, its byte, and the short name of the
 * nullable reference to it. */
static const struct {
    const char *heap, *ref;
    uint8_t byte;
} abstract[] = {
    {"func", "funcref", 0x70},         {"extern", "externref", 0x6F},
    {"any", "anyref", 0x6E},           {"eq", "eqref", 0x6D},
    {"i31", "i31ref", 0x6C},           {"struct", "structref", 0x6B},
    {"array", "arrayref", 0x6A},       {"exn", "exnref", 0x69},
    {"none", "nullref", 0x71},         {"noextern", "nullexternref", 0x72},
    {"nofunc", "nullfuncref", 0x73},   {"noexn", "nullexnref", 0x74},
};
#define NABSTRACT (sizeof abstract / sizeof abstract[0])

static void vt_byte(wat_vt *vt, uint8_t v)
{
    vt->b[vt->len++] = v;
}

/* A heap type at the cursor into vt: an abstract one's byte, or a type
 * index as s33. Fails when there is none. */
static void heaptype(wat_module *m, wat_vt *vt)
{
    wat_parser *p = m->p;
    const wat_token *t = wat_peek(p, 0);
    for (size_t k = 0; k < NABSTRACT; k++) {
        if (wat_is_atom(t, p->src, abstract[k].heap)) {
            wat_next(p);
            vt_byte(vt, abstract[k].byte);
            return;
        }
    }
    if (!wat_at_index(m))
        wat_fail_at(p, t, "expected a heap type (func, extern, any, eq, i31, struct, array, exn, none, "
                          "nofunc, noextern, noexn or a type index)");
    uint32_t idx = wat_index(m, SPACE_TYPE);
    /* s33 of a u32: at most 5 bytes */
    int64_t v = idx;
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7F);
        v >>= 7;
        bool done = v == 0 && !(byte & 0x40);
        vt_byte(vt, (uint8_t)(byte | (done ? 0 : 0x80)));
        if (done)
            return;
    }
}

void wat_heaptype(wat_module *m, wat_buf *b)
{
    wat_vt vt = {0};
    heaptype(m, &vt);
    wat_buf_bytes(m->p, b, vt.b, vt.len);
}

bool wat_valtype(wat_module *m, wat_vt *out)
{
    wat_parser *p = m->p;
    const wat_token *t = wat_peek(p, 0);
    static const struct {
        const char *name;
        uint8_t byte;
    } numeric[] = {{"i32", 0x7F}, {"i64", 0x7E}, {"f32", 0x7D}, {"f64", 0x7C}, {"v128", 0x7B}};
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < sizeof numeric / sizeof numeric[0]; k++) {
        if (wat_is_atom(t, p->src, numeric[k].name)) {
            wat_next(p);
            vt_byte(out, numeric[k].byte);
            return true;
        }
    }
    for (size_t k = 0; k < NABSTRACT; k++) {
        if (wat_is_atom(t, p->src, abstract[k].ref)) {
            wat_next(p);
            vt_byte(out, abstract[k].byte);
            return true;
        }
    }
    if (!wat_at_open(p, "ref"))
        return false;
    wat_next(p);
    wat_next(p);
    bool null = wat_is_atom(wat_peek(p, 0), p->src, "null");
    if (null)
        wat_next(p);
    wat_vt ht = {0};
    heaptype(m, &ht);
    wat_expect_rpar(p);
    if (null && ht.len == 1 && ht.b[0] >= 0x69) {
        *out = ht; /* (ref null func) is funcref: the short form */
        return true;
    }
    vt_byte(out, null ? 0x63 : 0x64);
    memcpy(out->b + 1, ht.b, ht.len);
    out->len = (uint8_t)(1 + ht.len);
    return true;
}

bool wat_vt_is_ref(const wat_vt *vt)
{
    return vt->len > 1 || (vt->len == 1 && vt->b[0] >= 0x69 && vt->b[0] <= 0x74);
}

wat_vt wat_reftype(wat_module *m)
{
    wat_vt t;
    const wat_token *at = wat_peek(m->p, 0);
    if (!wat_valtype(m, &t) || !wat_vt_is_ref(&t))
        wat_fail_at(m->p, at, "expected a reference type (funcref, externref, (ref null? heaptype), ...)");
    return t;
}

/* ---- function types and type uses ---- */

static bool functype_eq(const wat_functype *a, const wat_functype *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults && a->params_len == b->params_len &&
           a->len == b->len && memcmp(a->types, b->types, a->len) == 0;
}

static uint32_t add_type(wat_module *m, const wat_functype *ft)
{
    if (m->ntypes == m->types_cap) {
        m->types_cap = m->types_cap ? m->types_cap * 2 : 16;
        m->types = wat_realloc(m->p, m->types, m->types_cap * sizeof *m->types);
    }
    m->types[m->ntypes] = *ft;
    return m->ntypes++;
}

uint32_t wat_type_find_or_add(wat_module *m, const wat_functype *ft)
{
    /* Only a function type that is final, has no supertype and is alone in
     * its rec group is the type an inline type use means. */
    for (uint32_t k = 0; k < m->ntypes; k++)
        if (m->types[k].is_func && m->types[k].plain && functype_eq(&m->types[k], ft))
            return k;
    wat_functype t = *ft;
    t.is_func = t.plain = true;
    return add_type(m, &t);
}

/* (param ...)* (result ...)* into ft; param names to names when given. */
static void params_results(wat_module *m, wat_names *names, bool names_ok, wat_functype *ft)
{
    wat_parser *p = m->p;
    wat_buf params = {0}, results = {0};
    uint32_t nparams = 0, nresults = 0;
    wat_vt vt;
    while (wat_at_open(p, "param")) {
        wat_next(p);
        wat_next(p);
        const wat_token *id = wat_peek(p, 0);
        if (wat_tok_is_id(p, id)) {
            if (!names_ok)
                wat_fail_at(p, id, "unexpected name: parameters here cannot be named");
            wat_next(p);
            if (!wat_valtype(m, &vt))
                wat_fail(p, "expected a value type");
            wat_buf_bytes(p, &params, vt.b, vt.len);
            nparams++;
            if (names)
                wat_names_add(m, names, id, "local");
        } else {
            while (wat_valtype(m, &vt)) {
                wat_buf_bytes(p, &params, vt.b, vt.len);
                nparams++;
                if (names)
                    wat_names_add(m, names, NULL, "local");
            }
        }
        wat_expect_rpar(p);
    }
    while (wat_at_open(p, "result")) {
        wat_next(p);
        wat_next(p);
        while (wat_valtype(m, &vt)) {
            wat_buf_bytes(p, &results, vt.b, vt.len);
            nresults++;
        }
        wat_expect_rpar(p);
    }
    memset(ft, 0, sizeof *ft);
    ft->nparams = nparams;
    ft->nresults = nresults;
    ft->params_len = (uint32_t)params.len;
    ft->len = (uint32_t)(params.len + results.len);
    ft->types = wat_alloc(p, params.len + results.len);
    if (params.len)
        memcpy(ft->types, params.data, params.len);
    if (results.len)
        memcpy(ft->types + params.len, results.data, results.len);
    ft->is_func = true;
}

void wat_typeuse_parts(wat_module *m, wat_names *param_names, bool names_ok, bool *has_type, uint32_t *idx,
                       wat_functype *ft)
{
    wat_parser *p = m->p;
    *has_type = false;
    *idx = 0;
    if (wat_at_open(p, "type")) {
        wat_next(p);
        wat_next(p);
        /* A number past the types is the validator's to refuse ("unknown type"). */
        *idx = wat_index(m, SPACE_TYPE);
        wat_expect_rpar(p);
        *has_type = true;
    }
    const wat_token *at = wat_peek(p, 0);
    uint32_t names_before = param_names ? param_names->count : 0;
    params_results(m, param_names, names_ok, ft);
    if (*has_type && (*idx >= m->ntypes || !m->types[*idx].is_func)) {
        /* not a function type: the validator's to refuse, unless inline
         * params or results were given, which then cannot match */
        if (ft->nparams + ft->nresults)
            wat_fail_at(p, at, "inline function type given with type %u, which is not a function type the module "
                               "defines", *idx);
    } else if (*has_type) {
        const wat_functype *def = &m->types[*idx];
        if (ft->nparams + ft->nresults == 0) {
            /* (type x) alone: the params are the type's, unnamed */
            if (param_names)
                for (uint32_t k = 0; k < def->nparams; k++)
                    wat_names_add(m, param_names, NULL, "local");
            *ft = *def;
        } else if (!functype_eq(def, ft)) {
            if (param_names)
                param_names->count = names_before;
            wat_fail_at(p, at, "inline function type does not match type %u", *idx);
        }
    }
}

uint32_t wat_typeuse(wat_module *m, wat_names *param_names)
{
    bool has_type;
    uint32_t idx;
    wat_functype ft;
    wat_typeuse_parts(m, param_names, param_names != NULL, &has_type, &idx, &ft);
    return has_type ? idx : wat_type_find_or_add(m, &ft);
}

/* ---- type definitions ---- */

/* A field's type: (mut st)? with st a value type or a packed i8 / i16;
 * written st then its mutability byte. */
static void fieldtype(wat_module *m, wat_buf *b)
{
    wat_parser *p = m->p;
    bool mut = wat_at_open(p, "mut");
    if (mut) {
        wat_next(p);
        wat_next(p);
    }
    const wat_token *t = wat_peek(p, 0);
    wat_vt vt;
    if (wat_is_atom(t, p->src, "i8")) {
        wat_next(p);
        wat_buf_byte(p, b, 0x78);
    } else if (wat_is_atom(t, p->src, "i16")) {
        wat_next(p);
        wat_buf_byte(p, b, 0x77);
    } else if (wat_valtype(m, &vt)) {
        wat_buf_bytes(p, b, vt.b, vt.len);
    } else {
        wat_fail_at(p, t, "expected a field type (a value type, i8 or i16, or (mut ...))");
    }
    if (mut)
        wat_expect_rpar(p);
    wat_buf_byte(p, b, mut ? 0x01 : 0x00);
}

/* (struct (field $id? ft) | (field ft*) ...): 0x5F vec(fieldtype) */
static void struct_type(wat_module *m, wat_buf *b, wat_names *names_out)
{
    wat_parser *p = m->p;
    wat_buf fields = {0};
    wat_names names = {0};
    uint32_t n = 0;
    while (wat_at_open(p, "field")) {
        wat_next(p);
        wat_next(p);
        const wat_token *id = wat_peek(p, 0);
        if (wat_tok_is_id(p, id)) {
            wat_next(p);
            wat_names_add(m, &names, id, "field");
            fieldtype(m, &fields);
            n++;
        } else {
            while (wat_peek(p, 0)->kind != TOK_RPAR) {
                wat_names_add(m, &names, NULL, "field");
                fieldtype(m, &fields);
                n++;
            }
        }
        wat_expect_rpar(p);
    }
    wat_buf_byte(p, b, 0x5F);
    wat_buf_u32(p, b, n);
    wat_buf_bytes(p, b, fields.data, fields.len);
    *names_out = names;
}

/* A composite type at "(": func, struct or array, into b; ft gets a
 * function type's params and results (is_func false for the others). */
static void comptype(wat_module *m, wat_buf *b, wat_functype *ft)
{
    wat_parser *p = m->p;
    if (wat_at_open(p, "func")) {
        wat_next(p);
        wat_next(p);
        params_results(m, NULL, true, ft);
        wat_buf_byte(p, b, 0x60);
        wat_buf_u32(p, b, ft->nparams);
        wat_buf_bytes(p, b, ft->types, ft->params_len);
        wat_buf_u32(p, b, ft->nresults);
        wat_buf_bytes(p, b, ft->types + ft->params_len, ft->len - ft->params_len);
    } else if (wat_at_open(p, "struct")) {
        wat_next(p);
        wat_next(p);
        memset(ft, 0, sizeof *ft);
        struct_type(m, b, &ft->fields);
    } else if (wat_at_open(p, "array")) {
        wat_next(p);
        wat_next(p);
        wat_buf_byte(p, b, 0x5E);
        if (wat_at_open(p, "field")) {
            /* (array (field ft)): the same as (array ft) */
            wat_next(p);
            wat_next(p);
            fieldtype(m, b);
            wat_expect_rpar(p);
        } else {
            fieldtype(m, b);
        }
        memset(ft, 0, sizeof *ft);
    } else {
        wat_fail(p, "expected a composite type: (func ...), (struct ...) or (array ...)");
    }
    wat_expect_rpar(p);
}

/* (type $id? (sub final? x* comptype) | comptype), at its "(": one subtype,
 * into b; alone tells whether it is its rec group's only type. */
static void type_def(wat_module *m, wat_buf *b, bool alone)
{
    wat_parser *p = m->p;
    wat_next(p); /* ( */
    wat_next(p); /* type */
    if (wat_tok_is_id(p, wat_peek(p, 0)))
        wat_next(p);
    wat_functype ft;
    if (wat_at_open(p, "sub")) {
        wat_next(p);
        wat_next(p);
        bool final = wat_is_atom(wat_peek(p, 0), p->src, "final");
        if (final)
            wat_next(p);
        wat_buf supers = {0};
        uint32_t nsupers = 0;
        while (wat_at_index(m)) {
            wat_buf_u32(p, &supers, wat_index(m, SPACE_TYPE));
            nsupers++;
        }
        if (final && nsupers == 0) {
            comptype(m, b, &ft);
        } else {
            wat_buf_byte(p, b, final ? 0x4F : 0x50);
            wat_buf_u32(p, b, nsupers);
            wat_buf_bytes(p, b, supers.data, supers.len);
            comptype(m, b, &ft);
        }
        ft.plain = alone && final && nsupers == 0;
        wat_expect_rpar(p);
    } else {
        comptype(m, b, &ft);
        ft.plain = alone;
    }
    wat_expect_rpar(p);
    add_type(m, &ft);
}

void wat_type_entry(wat_module *m)
{
    wat_parser *p = m->p;
    m->ntype_entries++;
    if (wat_at_open(p, "type")) {
        type_def(m, &m->sec_type, true);
        return;
    }
    /* (rec (type ...)*): 0x4E vec(subtype), or the type alone when it is one */
    wat_next(p);
    wat_next(p);
    size_t at = p->i;
    uint32_t n = 0;
    while (wat_at_open(p, "type")) {
        wat_skip_sexpr(p);
        n++;
    }
    p->i = at;
    if (n != 1) {
        wat_buf_byte(p, &m->sec_type, 0x4E);
        wat_buf_u32(p, &m->sec_type, n);
    }
    while (wat_at_open(p, "type"))
        type_def(m, &m->sec_type, n == 1);
    wat_expect_rpar(p);
}

void wat_bind_type_names(wat_module *m, bool rec)
{
    wat_parser *p = m->p;
    if (!rec) {
        wat_names_add(m, &m->names[SPACE_TYPE], wat_tok_is_id(p, wat_peek(p, 0)) ? wat_peek(p, 0) : NULL, "type");
        return;
    }
    while (wat_at_open(p, "type")) {
        const wat_token *id = wat_peek(p, 2);
        wat_names_add(m, &m->names[SPACE_TYPE], wat_tok_is_id(p, id) ? id : NULL, "type");
        wat_skip_sexpr(p);
    }
    if (wat_peek(p, 0)->kind != TOK_RPAR)
        wat_fail(p, "expected '(type ...)' in a rec group");
}

void wat_write_types(wat_module *m, wat_buf *out)
{
    wat_parser *p = m->p;
    uint32_t count = m->ntype_entries + (m->ntypes - m->nexplicit);
    if (count == 0)
        return;
    wat_buf sec = {0};
    wat_buf_u32(p, &sec, count);
    wat_buf_bytes(p, &sec, m->sec_type.data, m->sec_type.len);
    /* the implicit types, in order of appearance */
    for (uint32_t k = m->nexplicit; k < m->ntypes; k++) {
        const wat_functype *ft = &m->types[k];
        wat_buf_byte(p, &sec, 0x60);
        wat_buf_u32(p, &sec, ft->nparams);
        wat_buf_bytes(p, &sec, ft->types, ft->params_len);
        wat_buf_u32(p, &sec, ft->nresults);
        wat_buf_bytes(p, &sec, ft->types + ft->params_len, ft->len - ft->params_len);
    }
    wat_buf_section(p, out, 1, &sec);
}
