/* Custom sections from custom annotations (the annotations proposal's
 * appendix, "Custom Annotations"):
 *
 *   (@custom "NAME" (before|after SECTION)? "BYTES"*)
 *
 * SECTION is one of type, import, func, table, memory, tag, global, export,
 * start, elem, datacount, code, data, or `first` (with before) / `last`
 * (with after); without a place the section goes after the last one. Each
 * becomes a custom section (id 0) named NAME holding the strings'
 * bytes, written where the place says whether or not that section is
 * there. A place is a gap between sections: (after type) and (before
 * import) name the same one; the customs of one gap go in the order of
 * the text. A
 * custom annotation is a module field: anywhere else it is an error
 * ("misplaced"). Every other annotation (@name, unknown ones) is dropped
 * by the lexer, as the proposal lets a reader do.
 */
#include "wat_internal.h"

#include <string.h>

/* The binary order of the known sections; a custom's gap is the index of
 * the section it goes before (NORDER: after the last). */
static const struct {
    const char *name;
    uint8_t id;
} order[] = {
    {"type", 1},   {"import", 2}, {"func", 3},      {"table", 4}, {"memory", 5},
    {"tag", 13},   {"global", 6}, {"export", 7},    {"start", 8}, {"elem", 9},
    {"datacount", 12}, {"code", 10}, {"data", 11},
};
#define NORDER (sizeof order / sizeof order[0])

/* Depth of parentheses open before token index i: one walk over the
 * tokens, made the first time a text with custom annotations needs it
 * (a script of many modules then costs one walk, not one per module). */
static uint32_t depth_before(wat_parser *p, size_t i)
{
    if (!p->tok_depth) {
        p->tok_depth = wat_alloc(p, (p->lex.count ? p->lex.count : 1) * sizeof *p->tok_depth);
        uint32_t d = 0;
        for (size_t k = 0; k < p->lex.count; k++) {
            p->tok_depth[k] = d;
            if (p->lex.toks[k].kind == TOK_LPAR)
                d++;
            else if (p->lex.toks[k].kind == TOK_RPAR && d)
                d--;
        }
    }
    return i < p->lex.count ? p->tok_depth[i] : 0;
}

static bool is_atom(const wat_parser *p, const wat_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->kind == TOK_ATOM && t->len == n && memcmp(p->src + t->pos, s, n) == 0;
}

/* Token i of a list ending with TOK_EOF, or that EOF past the end. */
static const wat_token *tok_at(const wat_lexed *l, size_t i)
{
    return &l->toks[i < l->count ? i : l->count - 1];
}

/* Reads one annotation's contents into *out (its place and its section's
 * bytes: name then data). */
static void read_custom(wat_parser *p, const wat_custom_at *c, wat_custom *out)
{
    wat_lexed toks = {0};
    wat_lex_custom(p, c, &toks);
    size_t i = 0;
    const wat_token *t = &toks.toks[i];
    if (t->kind != TOK_STRING)
        wat_fail_at(p, t, "expected the custom section's name (a string) after '(@custom'");
    size_t n;
    uint8_t *name = wat_string(p, t, &n);
    if (!wat_utf8_valid(name, n))
        wat_fail_at(p, t, "malformed UTF-8 encoding in the custom section's name");
    wat_buf_name(p, &out->bytes, name, n);
    t = tok_at(&toks, ++i);
    out->gap = NORDER; /* after the last section */
    if (t->kind == TOK_LPAR) {
        const wat_token *dir = tok_at(&toks, i + 1), *sec = tok_at(&toks, i + 2), *close = tok_at(&toks, i + 3);
        bool before = is_atom(p, dir, "before");
        if (!before && !is_atom(p, dir, "after"))
            wat_fail_at(p, dir, "expected a place: (before SECTION) or (after SECTION)");
        size_t k = 0;
        while (k < NORDER && !is_atom(p, sec, order[k].name))
            k++;
        if (k < NORDER) {
            out->gap = (uint32_t)(before ? k : k + 1);
        } else {
            if (before && is_atom(p, sec, "first"))
                out->gap = 0;
            else if (!before && is_atom(p, sec, "last"))
                out->gap = NORDER;
            else
                wat_fail_at(p, sec,
                            "expected a section to place the custom section %s: type, import, func, table, "
                            "memory, tag, global, export, start, elem, datacount, code, data, or %s",
                            before ? "before" : "after", before ? "first" : "last");
        }
        if (close->kind != TOK_RPAR)
            wat_fail_at(p, close, "expected ')' after the place");
        i += 4;
    }
    for (t = tok_at(&toks, i); t->kind == TOK_STRING; t = tok_at(&toks, ++i)) {
        uint8_t *data = wat_string(p, t, &n);
        wat_buf_bytes(p, &out->bytes, data, n);
    }
    if (t->kind != TOK_EOF)
        wat_fail_at(p, t, "expected the custom section's bytes (strings) or ')'");
}

void wat_customs_collect(wat_parser *p, bool whole, size_t first_tok, size_t end_tok, uint32_t field_depth,
                         wat_custom_list *out)
{
    memset(out, 0, sizeof *out);
    if (p->ncustoms == 0)
        return;
    /* a text of fields alone is the module: all of it */
    uint32_t from = 0, to = (uint32_t)p->src_len;
    if (whole) {
        from = p->lex.toks[first_tok].pos;
        to = p->lex.toks[end_tok].pos;
    }
    /* the customs are in source order: find the module's first by halving,
     * so a script of many modules and annotations stays linear */
    size_t lo = 0, hi = p->ncustoms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->customs[mid].start < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < p->ncustoms && p->customs[k].start < to; k++) {
        const wat_custom_at *c = &p->customs[k];
        if (c->depth != field_depth) {
            wat_token at = {c->start, 2, c->line, c->col, TOK_ATOM};
            wat_fail_at(p, &at, "misplaced @custom annotation: custom sections are module fields");
        }
        if (out->count == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 4;
            out->items = wat_realloc(p, out->items, cap * sizeof *out->items);
            out->cap = cap;
        }
        wat_custom *item = &out->items[out->count++];
        memset(item, 0, sizeof *item);
        read_custom(p, c, item);
    }
}

uint32_t wat_custom_depth_of(wat_parser *p, size_t tok)
{
    return p->ncustoms ? depth_before(p, tok) : 0;
}

void wat_customs_before(wat_parser *p, const wat_custom_list *l, wat_buf *out, uint8_t id)
{
    if (l->count == 0)
        return;
    uint32_t gap = 0;
    while (gap < NORDER && order[gap].id != id)
        gap++;
    for (size_t j = 0; j < l->count; j++)
        if (l->items[j].gap == gap)
            wat_buf_section(p, out, 0, &l->items[j].bytes);
}

void wat_customs_end(wat_parser *p, const wat_custom_list *l, wat_buf *out)
{
    for (size_t j = 0; j < l->count; j++)
        if (l->items[j].gap == NORDER)
            wat_buf_section(p, out, 0, &l->items[j].bytes);
}
