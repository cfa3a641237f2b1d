/* The parser's plumbing: errors, owned memory, byte buffers (LEB128 as the
 * binary format's encoding, always the shortest form), token helpers,
 * string literals, and the public entry points.
 */
#include "wat_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors and memory ---- */

static void describe_token(const wat_parser *p, const wat_token *t, char *buf, size_t len)
{
    switch (t->kind) {
    case TOK_LPAR: snprintf(buf, len, "'('"); return;
    case TOK_RPAR: snprintf(buf, len, "')'"); return;
    case TOK_EOF: snprintf(buf, len, "the end of the text"); return;
    default: break;
    }
    unsigned n = t->len > 40 ? 40 : t->len;
    snprintf(buf, len, "'%.*s%s'", (int)n, p->src + t->pos, t->len > 40 ? "..." : "");
}

void wat_fail_at(wat_parser *p, const wat_token *t, const char *fmt, ...)
{
    p->err->line = t->line;
    p->err->col = t->col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    /* "found X" when the message asks for something ("expected ..."). */
    if (t->kind != TOK_EOF || t->len == 0) {
        size_t used = strlen(p->err->message);
        if (strncmp(p->err->message, "expected", 8) == 0 && used < sizeof p->err->message) {
            char what[64];
            describe_token(p, t, what, sizeof what);
            snprintf(p->err->message + used, sizeof p->err->message - used, ", found %s", what);
        }
    }
    longjmp(p->fail, 1);
}

void wat_fail(wat_parser *p, const char *fmt, ...)
{
    const wat_token *t = wat_peek(p, 0);
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wat_fail_at(p, t, "%s", msg);
}

static void track(wat_parser *p, void *mem)
{
    if (p->nallocs == p->allocs_cap) {
        size_t cap = p->allocs_cap ? p->allocs_cap * 2 : 64;
        void **a = realloc(p->allocs, cap * sizeof *a);
        if (!a) {
            free(mem);
            p->err->line = p->err->col = 0;
            snprintf(p->err->message, sizeof p->err->message, "out of memory");
            longjmp(p->fail, 1);
        }
        p->allocs = a;
        p->allocs_cap = cap;
    }
    p->allocs[p->nallocs++] = mem;
}

__attribute__((noreturn)) static void out_of_memory(wat_parser *p)
{
    p->err->line = p->err->col = 0;
    snprintf(p->err->message, sizeof p->err->message, "out of memory");
    longjmp(p->fail, 1);
}

void *wat_alloc(wat_parser *p, size_t size)
{
    void *m = calloc(1, size ? size : 1);
    if (!m)
        out_of_memory(p);
    track(p, m);
    return m;
}

void *wat_realloc(wat_parser *p, void *old, size_t size)
{
    if (!old)
        return wat_alloc(p, size);
    /* Find the owner slot from the newest: growing arrays are recent. */
    for (size_t k = p->nallocs; k-- > 0;) {
        if (p->allocs[k] == old) {
            void *m = realloc(old, size ? size : 1);
            if (!m)
                out_of_memory(p);
            p->allocs[k] = m;
            return m;
        }
    }
    out_of_memory(p); /* not ours: cannot happen */
}

void wat_parser_free(wat_parser *p)
{
    for (size_t k = 0; k < p->nallocs; k++)
        free(p->allocs[k]);
    free(p->allocs);
    p->allocs = NULL;
    p->nallocs = p->allocs_cap = 0;
}

void wat_enter(wat_parser *p)
{
    if (++p->depth > WAT_MAX_DEPTH)
        wat_fail(p, "nesting deeper than %u levels (the reader's limit)", WAT_MAX_DEPTH);
}

void wat_leave(wat_parser *p)
{
    p->depth--;
}

/* ---- byte buffers ---- */

static void reserve(wat_parser *p, wat_buf *b, size_t n)
{
    if (b->cap - b->len >= n)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len < n)
        cap *= 2;
    b->data = wat_realloc(p, b->data, cap);
    b->cap = cap;
}

void wat_buf_byte(wat_parser *p, wat_buf *b, uint8_t v)
{
    reserve(p, b, 1);
    b->data[b->len++] = v;
}

void wat_buf_bytes(wat_parser *p, wat_buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    reserve(p, b, n);
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

void wat_buf_u32(wat_parser *p, wat_buf *b, uint32_t v)
{
    wat_buf_u64(p, b, v);
}

void wat_buf_u64(wat_parser *p, wat_buf *b, uint64_t v)
{
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        wat_buf_byte(p, b, (uint8_t)(byte | (v ? 0x80 : 0)));
    } while (v);
}

void wat_buf_s64(wat_parser *p, wat_buf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7F);
        /* arithmetic shift, written portably */
        v = v < 0 ? ~(~v >> 7) : v >> 7;
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        wat_buf_byte(p, b, (uint8_t)(byte | (done ? 0 : 0x80)));
        if (done)
            return;
    }
}

void wat_buf_s32(wat_parser *p, wat_buf *b, int32_t v)
{
    wat_buf_s64(p, b, v);
}

void wat_buf_name(wat_parser *p, wat_buf *b, const uint8_t *s, size_t n)
{
    wat_buf_u32(p, b, (uint32_t)n);
    wat_buf_bytes(p, b, s, n);
}

void wat_buf_section(wat_parser *p, wat_buf *out, uint8_t id, const wat_buf *body)
{
    if (body->len == 0)
        return;
    wat_buf_byte(p, out, id);
    wat_buf_u32(p, out, (uint32_t)body->len);
    wat_buf_bytes(p, out, body->data, body->len);
}

/* ---- tokens ---- */

const wat_token *wat_peek(wat_parser *p, size_t ahead)
{
    size_t k = p->i + ahead;
    if (k >= p->lex.count)
        k = p->lex.count - 1; /* the EOF token */
    return &p->lex.toks[k];
}

const wat_token *wat_next(wat_parser *p)
{
    const wat_token *t = wat_peek(p, 0);
    if (p->i < p->lex.count - 1)
        p->i++;
    return t;
}

bool wat_is_atom(const wat_token *t, const char *src, const char *word)
{
    size_t n = strlen(word);
    return t->kind == TOK_ATOM && t->len == n && memcmp(src + t->pos, word, n) == 0;
}

bool wat_at_open(wat_parser *p, const char *word)
{
    return wat_peek(p, 0)->kind == TOK_LPAR && wat_is_atom(wat_peek(p, 1), p->src, word);
}

void wat_expect_lpar(wat_parser *p)
{
    if (wat_peek(p, 0)->kind != TOK_LPAR)
        wat_fail(p, "expected '('");
    wat_next(p);
}

void wat_expect_rpar(wat_parser *p)
{
    if (wat_peek(p, 0)->kind != TOK_RPAR)
        wat_fail(p, "expected ')'");
    wat_next(p);
}

bool wat_tok_is_id(const wat_parser *p, const wat_token *t)
{
    return t->kind == TOK_ATOM && t->len > 1 && p->src[t->pos] == '$';
}

bool wat_tok_is_num(const wat_parser *p, const wat_token *t)
{
    if (t->kind != TOK_ATOM)
        return false;
    char c = p->src[t->pos];
    if ((c == '+' || c == '-') && t->len > 1)
        c = p->src[t->pos + 1];
    return c >= '0' && c <= '9';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(wat_parser *p, wat_buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        wat_buf_byte(p, b, (uint8_t)cp);
    } else if (cp < 0x800) {
        wat_buf_byte(p, b, (uint8_t)(0xC0 | (cp >> 6)));
        wat_buf_byte(p, b, (uint8_t)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        wat_buf_byte(p, b, (uint8_t)(0xE0 | (cp >> 12)));
        wat_buf_byte(p, b, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        wat_buf_byte(p, b, (uint8_t)(0x80 | (cp & 0x3F)));
    } else {
        wat_buf_byte(p, b, (uint8_t)(0xF0 | (cp >> 18)));
        wat_buf_byte(p, b, (uint8_t)(0x80 | ((cp >> 12) & 0x3F)));
        wat_buf_byte(p, b, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        wat_buf_byte(p, b, (uint8_t)(0x80 | (cp & 0x3F)));
    }
}

uint8_t *wat_string(wat_parser *p, const wat_token *t, size_t *len)
{
    if (t->kind != TOK_STRING)
        wat_fail_at(p, t, "expected a string");
    const char *s = p->src + t->pos + 1;
    size_t n = t->len - 2;
    wat_buf b = {0};
    reserve(p, &b, n + 1);
    for (size_t k = 0; k < n;) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x20 || c == 0x7F) {
            wat_token at = *t;
            at.col += (uint32_t)k + 1;
            wat_fail_at(p, &at, "control character in a string: write it as an escape (\\%02x)", c);
        }
        if (c != '\\') {
            wat_buf_byte(p, &b, c);
            k++;
            continue;
        }
        wat_token at = *t;
        at.col += (uint32_t)k + 1;
        if (k + 1 >= n)
            wat_fail_at(p, &at, "unknown escape in a string: expected t, n, r, \", ', \\, u{...} or two hex digits");
        char e = s[k + 1];
        switch (e) {
        case 't': wat_buf_byte(p, &b, '\t'); k += 2; continue;
        case 'n': wat_buf_byte(p, &b, '\n'); k += 2; continue;
        case 'r': wat_buf_byte(p, &b, '\r'); k += 2; continue;
        case '"': wat_buf_byte(p, &b, '"'); k += 2; continue;
        case '\'': wat_buf_byte(p, &b, '\''); k += 2; continue;
        case '\\': wat_buf_byte(p, &b, '\\'); k += 2; continue;
        case 'u': {
            size_t j = k + 2;
            if (j >= n || s[j] != '{')
                wat_fail_at(p, &at, "malformed \\u escape: expected \\u{HEX}");
            j++;
            uint32_t cp = 0;
            size_t start = j;
            while (j < n && (hexval(s[j]) >= 0 || (s[j] == '_' && j > start))) {
                if (s[j] != '_') {
                    cp = cp * 16 + (uint32_t)hexval(s[j]);
                    if (cp > 0x10FFFF)
                        wat_fail_at(p, &at, "malformed \\u escape: beyond U+10FFFF");
                }
                j++;
            }
            if (j == start || j >= n || s[j] != '}' || s[j - 1] == '_')
                wat_fail_at(p, &at, "malformed \\u escape: expected \\u{HEX}");
            if (cp >= 0xD800 && cp <= 0xDFFF)
                wat_fail_at(p, &at, "malformed \\u escape: a surrogate is not a character");
            put_utf8(p, &b, cp);
            k = j + 1;
            continue;
        }
        default:
            if (k + 2 < n && hexval(e) >= 0 && hexval(s[k + 2]) >= 0) {
                wat_buf_byte(p, &b, (uint8_t)(hexval(e) * 16 + hexval(s[k + 2])));
                k += 3;
                continue;
            }
            wat_fail_at(p, &at, "unknown escape in a string: expected t, n, r, \", ', \\, u{...} or two hex digits");
        }
    }
    *len = b.len;
    return b.data;
}

wat_name wat_id(wat_parser *p, const wat_token *t)
{
    if (t->len > 1 && p->src[t->pos + 1] == '"') {
        wat_token str = *t;
        str.pos++;
        str.len--;
        str.kind = TOK_STRING;
        size_t n;
        uint8_t *s = wat_string(p, &str, &n);
        if (n == 0)
            wat_fail_at(p, t, "empty identifier: $\"\" names nothing");
        if (!wat_utf8_valid(s, n))
            wat_fail_at(p, t, "malformed UTF-8 encoding in an identifier");
        return (wat_name){(const char *)s, (uint32_t)n};
    }
    return (wat_name){p->src + t->pos + 1, t->len - 1};
}

void wat_skip_sexpr(wat_parser *p)
{
    const wat_token *t = wat_next(p);
    if (t->kind != TOK_LPAR)
        return;
    unsigned depth = 1;
    while (depth) {
        t = wat_next(p);
        if (t->kind == TOK_LPAR)
            depth++;
        else if (t->kind == TOK_RPAR)
            depth--;
        else if (t->kind == TOK_EOF)
            wat_fail_at(p, t, "expected ')'");
    }
}

/* ---- entry points ---- */

bool wat_is_text(const uint8_t *bytes, size_t len)
{
    size_t k = 0;
    while (k < len && (bytes[k] == ' ' || bytes[k] == '\t' || bytes[k] == '\n' || bytes[k] == '\r'))
        k++;
    if (k >= len)
        return false;
    return bytes[k] == '(' || (bytes[k] == ';' && k + 1 < len && bytes[k + 1] == ';');
}

bool wat_to_wasm(const char *text, size_t len, uint8_t **out, size_t *out_len, wat_error *err)
{
    return wat_to_wasm_profile(text, len, WAT_PROFILE_3_0, out, out_len, err);
}

bool wat_to_wasm_profile(const char *text, size_t len, wat_profile profile, uint8_t **out, size_t *out_len,
                         wat_error *err)
{
    wat_parser p;
    memset(&p, 0, sizeof p);
    memset(err, 0, sizeof *err);
    p.err = err;
    p.narrow_sizes = profile == WAT_PROFILE_2_0;
    p.funcref_index_form = profile == WAT_PROFILE_2_0;
    *out = NULL;
    *out_len = 0;
    if (len > UINT32_MAX) {
        snprintf(err->message, sizeof err->message, "text larger than 4 GiB");
        return false;
    }
    wat_buf mod = {0};
    if (setjmp(p.fail)) {
        wat_parser_free(&p);
        return false;
    }
    p.src = text;
    p.src_len = len;
    wat_lex(&p, text, len, &p.lex);
    bool whole = wat_at_open(&p, "module");
    wat_read_module(&p, whole, &mod);
    if (wat_peek(&p, 0)->kind != TOK_EOF)
        wat_fail(&p, "expected the end of the text after the module");
    uint8_t *bytes = malloc(mod.len ? mod.len : 1);
    if (!bytes) {
        wat_parser_free(&p);
        snprintf(err->message, sizeof err->message, "out of memory");
        return false;
    }
    memcpy(bytes, mod.data, mod.len);
    *out = bytes;
    *out_len = mod.len;
    wat_parser_free(&p);
    return true;
}
