/* SIMD (v128) text forms: v128.const with its lane shapes, and the
 * immediates of the 0xFD instructions that the plain kinds do not cover
 * (i8x16.shuffle's 16 lane indices, extract/replace_lane's lane index,
 * v128.loadN_lane/storeN_lane's memarg then lane index).
 *
 * The instructions themselves (names, codes 0xFD0000 | sub-opcode) are rows
 * of the opcode table like every other; the row's immediate kind
 * (WB_IMM_V128, _SHUFFLE, _LANE, _MEMARG_LANE) says which form to read.
 */
#include "module.h"

#include "../vm/opcodes.h"

#include <string.h>

/* ---- v128 constants ---- */

static const struct {
    const char *name;
    uint8_t lanes, bits; /* lane count and width */
    bool is_float;
} shapes[] = {
    {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
    {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true},
};

int wat_v128_shape(wat_parser *p)
{
    const wat_token *t = wat_peek(p, 0);
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        if (wat_is_atom(t, p->src, shapes[k].name)) {
            wat_next(p);
            return (int)k;
        }
    }
    wat_fail_at(p, t, "expected a v128 lane shape (i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2)");
}

unsigned wat_v128_lane_count(int shape)
{
    return shapes[shape].lanes;
}

unsigned wat_v128_lane_bits(int shape)
{
    return shapes[shape].bits;
}

bool wat_v128_lane_is_float(int shape)
{
    return shapes[shape].is_float;
}

uint64_t wat_v128_lane(wat_parser *p, int shape)
{
    const wat_token *t = wat_peek(p, 0);
    const char *s = p->src + t->pos;
    unsigned bits = shapes[shape].bits;
    uint64_t v = 0;
    if (shapes[shape].is_float) {
        uint32_t f;
        bool ok = t->kind == TOK_ATOM &&
                  (bits == 32 ? wat_parse_f32(s, t->len, &f) : wat_parse_f64(s, t->len, &v));
        if (!ok)
            wat_fail_at(p, t, "expected an f%u lane of %s (decimal, hex, inf, nan or nan:0x..., in range)", bits,
                        shapes[shape].name);
        if (bits == 32)
            v = f;
    } else if (t->kind != TOK_ATOM || !wat_parse_int(s, t->len, bits, &v)) {
        wat_fail_at(p, t, "expected an i%u lane of %s (signed or unsigned, in range)", bits, shapes[shape].name);
    }
    wat_next(p);
    return v;
}

/* shape lane*: 16 bytes, lanes little-endian in order */
static void v128_const(wat_parser *p, wat_buf *b)
{
    int shape = wat_v128_shape(p);
    unsigned bytes = shapes[shape].bits / 8;
    for (unsigned k = 0; k < shapes[shape].lanes; k++) {
        uint64_t v = wat_v128_lane(p, shape);
        for (unsigned j = 0; j < bytes; j++)
            wat_buf_byte(p, b, (uint8_t)(v >> (8 * j)));
    }
}

/* ---- lane indices ---- */

/* A lane index: a u8 in the text (the validator checks it against the
 * shape). */
static uint8_t lane_index(wat_parser *p)
{
    const wat_token *t = wat_peek(p, 0);
    uint32_t v;
    if (t->kind != TOK_ATOM || !wat_parse_u32(p->src + t->pos, t->len, &v) || v > 255)
        wat_fail_at(p, t, "expected a lane index (a number below 256)");
    wat_next(p);
    return (uint8_t)v;
}

static bool is_index_token(const wat_parser *p, const wat_token *t)
{
    return wat_tok_is_id(p, t) ||
           (wat_tok_is_num(p, t) && p->src[t->pos] != '-' && p->src[t->pos] != '+');
}

static bool is_memarg_token(const wat_parser *p, const wat_token *t)
{
    return t->kind == TOK_ATOM && ((t->len > 7 && memcmp(p->src + t->pos, "offset=", 7) == 0) ||
                                   (t->len > 6 && memcmp(p->src + t->pos, "align=", 6) == 0));
}

bool wat_simd_immediates(wat_module *m, wat_buf *b, const wat_op *op)
{
    wat_parser *p = m->p;
    switch ((wb_imm)op->imm) {
    case WB_IMM_V128: /* v128.const */
        v128_const(p, b);
        return true;
    case WB_IMM_SHUFFLE: /* i8x16.shuffle: 16 lane indices */
        for (int k = 0; k < 16; k++)
            wat_buf_byte(p, b, lane_index(p));
        return true;
    case WB_IMM_LANE: /* extract_lane, replace_lane */
        wat_buf_byte(p, b, lane_index(p));
        return true;
    case WB_IMM_MEMARG_LANE: {
        /* v128.loadN_lane / storeN_lane: memidx? memarg lane. A number
         * first is the memory index only when more than the lane follows
         * it (another number or offset=/align=), as the spec's text says. */
        const wat_token *a = wat_peek(p, 0), *next = wat_peek(p, 1);
        bool has_mem = wat_tok_is_id(p, a) ||
                       (is_index_token(p, a) && (is_index_token(p, next) || is_memarg_token(p, next)));
        wat_memarg(m, b, op, has_mem);
        wat_buf_byte(p, b, lane_index(p));
        return true;
    }
    default:
        return false;
    }
}
