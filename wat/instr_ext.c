/* The immediates of WebAssembly 3.0 instructions beyond the plain kinds:
 * exceptions (throw), typed function references (call_ref,
 * return_call_ref, br_on_null, br_on_non_null) and GC (the 0xFB family:
 * type and field indices, data and element segments, reference types and
 * br_on_cast's flags).
 *
 * Like SIMD's (simd.c), they are known here by opcode, a fixed fact of the
 * binary format, so that rows added to the opcode table for these
 * instructions are read whatever immediate kind the engine gives them. An
 * instruction is read only when its row is in the table (the name lookup
 * is the table's): without rows these are "unknown operator".
 */
#include "module.h"

#include <string.h>

/* A field of struct type `type`: a number, or a name its definition gave. */
static uint32_t field_index(wat_module *m, uint32_t type)
{
    wat_parser *p = m->p;
    const wat_token *t = wat_peek(p, 0);
    if (wat_tok_is_id(p, t)) {
        wat_name name = wat_id(p, t);
        int64_t k = type < m->ntypes ? wat_names_find(&m->types[type].fields, name.s, name.len) : -1;
        if (k < 0)
            wat_fail_at(p, t, "unknown field '%.*s' of type %u", (int)t->len, p->src + t->pos, type);
        wat_next(p);
        return (uint32_t)k;
    }
    uint32_t v;
    if (t->kind != TOK_ATOM || !wat_parse_u32(p->src + t->pos, t->len, &v))
        wat_fail_at(p, t, "expected a field (a $name or an index below 2^32)");
    wat_next(p);
    return v;
}

/* A reference type for ref.test / ref.cast / br_on_cast: its heap type into
 * ht and whether it is nullable. */
static bool cast_reftype(wat_module *m, wat_buf *ht)
{
    const wat_token *at = wat_peek(m->p, 0);
    wat_vt t = wat_reftype(m);
    (void)at;
    if (t.len == 1) {
        /* a short form: a nullable abstract type */
        wat_buf_byte(m->p, ht, t.b[0]);
        return true;
    }
    wat_buf_bytes(m->p, ht, t.b + 1, t.len - 1u);
    return t.b[0] == 0x63;
}

/* 0xFB sub-opcodes (GC). */
static bool gc_immediates(wat_module *m, wat_buf *b, uint32_t sub)
{
    wat_parser *p = m->p;
    uint32_t type;
    switch (sub) {
    case 0x00: /* struct.new */
    case 0x01: /* struct.new_default */
    case 0x06: /* array.new */
    case 0x07: /* array.new_default */
    case 0x0B: /* array.get */
    case 0x0C: /* array.get_s */
    case 0x0D: /* array.get_u */
    case 0x0E: /* array.set */
    case 0x10: /* array.fill */
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        return true;
    case 0x02: /* struct.get */
    case 0x03: /* struct.get_s */
    case 0x04: /* struct.get_u */
    case 0x05: /* struct.set */
        type = wat_index(m, SPACE_TYPE);
        wat_buf_u32(p, b, type);
        wat_buf_u32(p, b, field_index(m, type));
        return true;
    case 0x08: { /* array.new_fixed $t N */
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        const wat_token *t = wat_peek(p, 0);
        uint32_t n;
        if (t->kind != TOK_ATOM || !wat_parse_u32(p->src + t->pos, t->len, &n))
            wat_fail_at(p, t, "expected the number of elements (below 2^32)");
        wat_next(p);
        wat_buf_u32(p, b, n);
        return true;
    }
    case 0x09: /* array.new_data $t $d */
    case 0x12: /* array.init_data $t $d */
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        wat_buf_u32(p, b, wat_index(m, SPACE_DATA));
        m->uses_data_count = true;
        return true;
    case 0x0A: /* array.new_elem $t $e */
    case 0x13: /* array.init_elem $t $e */
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        wat_buf_u32(p, b, wat_index(m, SPACE_ELEM));
        return true;
    case 0x11: /* array.copy $dst $src */
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        return true;
    case 0x14: /* ref.test (ref ht) / 0x15 (ref null ht) */
    case 0x16: /* ref.cast (ref ht) / 0x17 (ref null ht) */ {
        wat_buf ht = {0};
        if (cast_reftype(m, &ht))
            b->data[b->len - 1]++; /* the nullable form is the next sub-opcode (one LEB byte) */
        wat_buf_bytes(p, b, ht.data, ht.len);
        return true;
    }
    case 0x18: /* br_on_cast $l rt1 rt2 */
    case 0x19: /* br_on_cast_fail $l rt1 rt2 */ {
        uint32_t label = wat_label_index(m);
        wat_buf ht1 = {0}, ht2 = {0};
        uint8_t flags = (uint8_t)(cast_reftype(m, &ht1) ? 0x01 : 0x00);
        flags |= (uint8_t)(cast_reftype(m, &ht2) ? 0x02 : 0x00);
        wat_buf_byte(p, b, flags);
        wat_buf_u32(p, b, label);
        wat_buf_bytes(p, b, ht1.data, ht1.len);
        wat_buf_bytes(p, b, ht2.data, ht2.len);
        return true;
    }
    default: return false; /* array.len, ref.i31, i31.get_*, the conversions: none */
    }
}

bool wat_ext_immediates(wat_module *m, wat_buf *b, const wat_op *op)
{
    wat_parser *p = m->p;
    if ((op->code >> 8) == 0xFB)
        return gc_immediates(m, b, op->code & 0xFF);
    switch (op->code) {
    case 0x08: /* throw $tag */
        wat_buf_u32(p, b, wat_index(m, SPACE_TAG));
        return true;
    case 0x09: /* rethrow $label (legacy) */
    case 0xD5: /* br_on_null $label */
    case 0xD6: /* br_on_non_null $label */
        wat_buf_u32(p, b, wat_label_index(m));
        return true;
    case 0x14: /* call_ref $t */
    case 0x15: /* return_call_ref $t */
        wat_buf_u32(p, b, wat_index(m, SPACE_TYPE));
        return true;
    default: return false;
    }
}
