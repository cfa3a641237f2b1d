/* Internals of the text-format reader, shared by its files only.
 *
 * The text is first cut into tokens (lex.c), then a parser walks them with
 * one cursor (parse_*.c). Errors leave through longjmp to the entry point,
 * which frees everything the reader allocated: every allocation is owned by
 * the wat_parser (its buffers and arrays), so nothing leaks on that path.
 */
#ifndef WASMBOX_WAT_INTERNAL_H
#define WASMBOX_WAT_INTERNAL_H

#include "wat.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- growable byte buffer (buf.c) ---- */

typedef struct wat_buf {
    uint8_t *data;
    size_t len, cap;
} wat_buf;

/* ---- tokens (lex.c) ---- */

typedef enum wat_tok_kind {
    TOK_LPAR,
    TOK_RPAR,
    TOK_ATOM,   /* keyword, $id, number or reserved word: see lex helpers */
    TOK_STRING, /* "..." including its quotes */
    TOK_EOF,
} wat_tok_kind;

typedef struct wat_token {
    uint32_t pos, len;  /* bytes of the source */
    uint32_t line, col;
    uint8_t kind;
} wat_token;

typedef struct wat_lexed {
    wat_token *toks;
    size_t count, cap;
} wat_lexed;

struct wat_parser;

/* Where a `(@custom ...)` annotation stands in the source (the lexer
 * records them; custom.c reads them when the module they are in is
 * written). */
typedef struct wat_custom_at {
    uint32_t start, end;        /* "(@" .. just past its ")" */
    uint32_t body;              /* just past "(@custom" */
    uint32_t line, col;         /* of "(@" */
    uint32_t body_line, body_col;
    uint32_t depth;             /* parentheses open around it */
} wat_custom_at;

typedef struct wat_name {
    const char *s;
    uint32_t len;
} wat_name;

/* Whether bytes are valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool wat_utf8_valid(const uint8_t *s, size_t n);

/* Cuts src into tokens (comments, white space and annotations dropped);
 * the last token is TOK_EOF. Errors longjmp through p. */
void wat_lex(struct wat_parser *p, const char *src, size_t len, wat_lexed *out);

/* ---- numbers (num.c) ---- */

/* Integer literal of at most `bits` bits: signed or unsigned range
 * accepted (the text format's iN), result as the bit pattern. */
bool wat_parse_int(const char *s, size_t len, unsigned bits, uint64_t *out);
/* Unsigned literal (no sign) below 2^32. */
bool wat_parse_u32(const char *s, size_t len, uint32_t *out);
/* Unsigned literal (no sign) below 2^64: sizes and offsets of 64-bit
 * memories and tables. */
bool wat_parse_u64(const char *s, size_t len, uint64_t *out);
/* Float literals, exact: decimal and hex via glibc's correctly rounded
 * strtof/strtod (round to nearest even), inf, nan, nan:0xPAYLOAD. false on
 * a malformed literal or one that rounds to infinity. */
bool wat_parse_f32(const char *s, size_t len, uint32_t *bits);
bool wat_parse_f64(const char *s, size_t len, uint64_t *bits);

/* ---- v128 constants (simd.c) ---- */

/* A lane shape keyword at the cursor (i8x16 ... f64x2), consumed: its
 * number for the helpers below; fails when there is none. */
int wat_v128_shape(struct wat_parser *p);
unsigned wat_v128_lane_count(int shape);
unsigned wat_v128_lane_bits(int shape);
bool wat_v128_lane_is_float(int shape);
/* One lane literal of the shape, as its bits (floats exact, as f32.const). */
uint64_t wat_v128_lane(struct wat_parser *p, int shape);

/* ---- the parser's state (parse.c) ---- */


/* A name table for one index space. */
typedef struct wat_names {
    wat_name *items; /* index -> name (len 0: unnamed) */
    uint32_t count, cap;
} wat_names;


typedef struct wat_parser {
    jmp_buf fail;
    wat_error *err;
    const char *src;
    size_t src_len;
    wat_lexed lex;
    size_t i; /* cursor into lex.toks */
    unsigned depth; /* nesting of blocks and folded instructions being read */
    bool in_script; /* reading a .wast: "(module definition ...)" is allowed */
    /* The 2.0 profile (WAT_PROFILE_2_0): sizes of limits and memory offsets
     * of 32-bit memories and tables must be below 2^32 (malformed text
     * otherwise); 3.0 reads them as u64 and leaves them to the validator. */
    bool narrow_sizes;
    /* 2.0: an element segment's index form (flags 0-3) is funcref, and a
     * written `funcref (ref.func x)*` list takes it, as wabt writes it;
     * 3.0 reads that form as (ref func), so the list keeps its expressions */
    bool funcref_index_form;
    /* (@custom ...) annotations seen by the lexer, in source order */
    wat_custom_at *customs;
    size_t ncustoms, customs_cap;
    uint32_t *tok_depth; /* per token, parentheses open before it (custom.c, made when needed) */

    /* Everything allocated while reading, freed together. */
    void **allocs;
    size_t nallocs, allocs_cap;
} wat_parser;

/* Nesting deeper than this (blocks, folded instructions) is refused, so
 * that the recursive reader's stack stays bounded on any input. */
#define WAT_MAX_DEPTH 2000
/* Enters one level of nesting (fails past WAT_MAX_DEPTH); wat_leave leaves it. */
void wat_enter(struct wat_parser *p);
void wat_leave(struct wat_parser *p);

/* Reports an error at a token and leaves through p->fail. */
__attribute__((noreturn, format(printf, 3, 4))) void wat_fail_at(wat_parser *p, const wat_token *t,
                                                                 const char *fmt, ...);
__attribute__((noreturn, format(printf, 2, 3))) void wat_fail(wat_parser *p, const char *fmt, ...);
/* Memory owned by the parser (freed at the end); never NULL. */
void *wat_alloc(wat_parser *p, size_t size);
void *wat_realloc(wat_parser *p, void *old, size_t size);
void wat_parser_free(wat_parser *p);

void wat_buf_byte(wat_parser *p, wat_buf *b, uint8_t v);
void wat_buf_bytes(wat_parser *p, wat_buf *b, const void *data, size_t n);
void wat_buf_u32(wat_parser *p, wat_buf *b, uint32_t v); /* unsigned LEB128, minimal */
void wat_buf_u64(wat_parser *p, wat_buf *b, uint64_t v); /* unsigned LEB128, minimal */
void wat_buf_s32(wat_parser *p, wat_buf *b, int32_t v);  /* signed LEB128, minimal */
void wat_buf_s64(wat_parser *p, wat_buf *b, int64_t v);
void wat_buf_name(wat_parser *p, wat_buf *b, const uint8_t *s, size_t n); /* vec(byte) */
/* Appends section `id` holding body when body is not empty. */
void wat_buf_section(wat_parser *p, wat_buf *out, uint8_t id, const wat_buf *body);

/* ---- token helpers (parse.c) ---- */

const wat_token *wat_peek(wat_parser *p, size_t ahead);
const wat_token *wat_next(wat_parser *p);
bool wat_is_atom(const wat_token *t, const char *src, const char *word);
/* Whether the cursor is at "(" followed by keyword word. */
bool wat_at_open(wat_parser *p, const char *word);
void wat_expect_lpar(wat_parser *p);
void wat_expect_rpar(wat_parser *p);
/* A keyword is an atom starting with a lower-case letter; an id "$...". */
bool wat_tok_is_id(const wat_parser *p, const wat_token *t);
bool wat_tok_is_num(const wat_parser *p, const wat_token *t);
/* The name of an $id token, without the $: its characters, or for a quoted
 * id $"..." its decoded bytes (which must be valid UTF-8 and not empty);
 * two spellings of one name compare equal. */
wat_name wat_id(wat_parser *p, const wat_token *t);
/* Decodes a string token (escapes) into bytes, owned by the parser. */
uint8_t *wat_string(wat_parser *p, const wat_token *t, size_t *len);
/* lex.c: the tokens of a custom annotation's contents (after "(@custom",
 * before its ")"), positions in p->src, ending with TOK_EOF. */
void wat_lex_custom(wat_parser *p, const wat_custom_at *c, wat_lexed *out);
/* Skips one balanced S-expression or atom at the cursor. */
void wat_skip_sexpr(wat_parser *p);

/* Reads a module at the cursor ("(module ...)" when whole is true, the
 * fields up to the closing paren or EOF otherwise) into out. Used by the
 * .wast reader too. */
void wat_read_module(wat_parser *p, bool whole, wat_buf *out);

/* ---- custom sections from (@custom ...) (custom.c) ---- */

typedef struct wat_custom {
    uint32_t gap;   /* the known section it goes before, by binary order; 13: the end */
    wat_buf bytes;  /* the section's contents: name, then data */
} wat_custom;

typedef struct wat_custom_list {
    wat_custom *items;
    size_t count, cap;
} wat_custom_list;

/* The custom annotations of the module whose tokens are [first_tok,
 * end_tok] (whole: `(module` to its `)`; otherwise the whole text): those at
 * field_depth (its fields' level) read into out; one at any other depth is
 * an error. */
void wat_customs_collect(wat_parser *p, bool whole, size_t first_tok, size_t end_tok, uint32_t field_depth,
                         wat_custom_list *out);
/* Parentheses open before token tok (0 when the text has no custom
 * annotations: it is only needed then). */
uint32_t wat_custom_depth_of(wat_parser *p, size_t tok);
/* Writes the custom sections that go just before section `id` (whether or
 * not it is written), and those after the last section. */
void wat_customs_before(wat_parser *p, const wat_custom_list *l, wat_buf *out, uint8_t id);
void wat_customs_end(wat_parser *p, const wat_custom_list *l, wat_buf *out);

#endif
