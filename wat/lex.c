/* The lexer: source text to tokens, as the spec's text format (lexical
 * format) says. White space, line comments (;; ...), block comments ((; ;),
 * nested) and annotations ((@name ...), balanced) are dropped. Atoms are
 * maximal runs of idchars; a string must not touch an atom (a "reserved"
 * token in the spec), except in a quoted id $"...".
 */
#include "wat_internal.h"

#include <string.h>

static bool is_idchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != NULL;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

typedef struct lexer {
    wat_parser *p;
    const char *s;
    size_t len, pos;
    uint32_t line, col; /* of pos */
    uint32_t depth;     /* "(" tokens not yet closed */
    bool record;        /* record (@custom ...) in p->customs */
} lexer;

static void advance(lexer *l, size_t n)
{
    for (size_t k = 0; k < n && l->pos < l->len; k++) {
        if (l->s[l->pos] == '\n') {
            l->line++;
            l->col = 1;
        } else if (((unsigned char)l->s[l->pos] & 0xC0) != 0x80) {
            l->col++; /* columns count characters, not UTF-8 continuation bytes */
        }
        l->pos++;
    }
}

__attribute__((noreturn)) static void lex_fail(lexer *l, uint32_t line, uint32_t col, const char *what)
{
    wat_token t = {(uint32_t)l->pos, 0, line, col, TOK_EOF};
    wat_fail_at(l->p, &t, "%s", what);
}

/* Length in bytes of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t k = 1; k < need; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if ((need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return need;
}

bool wat_utf8_valid(const uint8_t *s, size_t n)
{
    for (size_t k = 0; k < n;) {
        size_t step = utf8_len(s + k, n - k);
        if (step == 0)
            return false;
        k += step;
    }
    return true;
}

/* Skips a block comment starting at "(;", nested ones included. */
static void skip_block_comment(lexer *l)
{
    uint32_t line = l->line, col = l->col;
    unsigned depth = 0;
    while (l->pos < l->len) {
        if (l->pos + 1 < l->len && l->s[l->pos] == '(' && l->s[l->pos + 1] == ';') {
            depth++;
            advance(l, 2);
        } else if (l->pos + 1 < l->len && l->s[l->pos] == ';' && l->s[l->pos + 1] == ')') {
            advance(l, 2);
            if (--depth == 0)
                return;
        } else {
            advance(l, 1);
        }
    }
    lex_fail(l, line, col, "unclosed block comment: expected ';)' before the end of the text");
}

/* Skips a string's body at '"'; returns false if it is not closed. */
static bool skip_string(lexer *l)
{
    advance(l, 1);
    while (l->pos < l->len) {
        unsigned char c = (unsigned char)l->s[l->pos];
        if (c == '"') {
            advance(l, 1);
            return true;
        }
        if (c == '\\' && l->pos + 1 < l->len) {
            advance(l, 2);
            continue;
        }
        if (c == '\n')
            return false;
        advance(l, 1);
    }
    return false;
}

static void push(lexer *l, wat_lexed *out, wat_tok_kind kind, size_t start, uint32_t line, uint32_t col)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        out->toks = wat_realloc(l->p, out->toks, cap * sizeof *out->toks);
        out->cap = cap;
    }
    wat_token *t = &out->toks[out->count++];
    t->pos = (uint32_t)start;
    t->len = (uint32_t)(l->pos - start);
    t->line = line;
    t->col = col;
    t->kind = (uint8_t)kind;
}

static void skip_annotation(lexer *l, wat_lexed *scratch);

/* Reads tokens until EOF (top) or the ")" closing an annotation (depth). */
static void lex_run(lexer *l, wat_lexed *out, bool annotation)
{
    unsigned depth = 0;
    while (l->pos < l->len) {
        unsigned char c = (unsigned char)l->s[l->pos];
        uint32_t line = l->line, col = l->col;
        size_t start = l->pos;
        if (is_space(c)) {
            advance(l, 1);
        } else if (c == ';' && l->pos + 1 < l->len && l->s[l->pos + 1] == ';') {
            /* a line comment ends at a newline: LF, CR or CR LF */
            while (l->pos < l->len && l->s[l->pos] != '\n' && l->s[l->pos] != '\r')
                advance(l, 1);
        } else if (c == '(' && l->pos + 1 < l->len && l->s[l->pos + 1] == ';') {
            skip_block_comment(l);
        } else if (!annotation && c == '(' && l->pos + 1 < l->len && l->s[l->pos + 1] == '@') {
            /* (inside an annotation a nested one is just parentheses: no recursion) */
            skip_annotation(l, out);
        } else if (c == '(') {
            advance(l, 1);
            if (annotation)
                depth++;
            else {
                push(l, out, TOK_LPAR, start, line, col);
                l->depth++;
            }
        } else if (c == ')') {
            advance(l, 1);
            if (annotation) {
                if (depth == 0)
                    return;
                depth--;
            } else {
                push(l, out, TOK_RPAR, start, line, col);
                if (l->depth)
                    l->depth--;
            }
        } else if (c == '"') {
            if (!skip_string(l))
                lex_fail(l, line, col, "unclosed string: expected '\"' before the end of the line");
            if (!annotation && l->pos < l->len && (is_idchar((unsigned char)l->s[l->pos]) || l->s[l->pos] == '"'))
                lex_fail(l, line, col, "unknown token: a string must be followed by a space or a parenthesis");
            if (!annotation)
                push(l, out, TOK_STRING, start, line, col);
        } else if (annotation) {
            /* inside an annotation any token goes, reserved ones too
             * (idchars, strings, , ; [ ] { } run together): only parens,
             * strings and comments matter; other characters are still
             * only printable ASCII */
            if (c < 0x20 || c >= 0x7F)
                lex_fail(l, line, col, "illegal character in an annotation (outside a string)");
            advance(l, 1);
        } else if (is_idchar(c)) {
            while (l->pos < l->len && is_idchar((unsigned char)l->s[l->pos]))
                advance(l, 1);
            if (l->pos < l->len && l->s[l->pos] == '"') {
                /* $"..." is a quoted identifier; anything else touching a string is reserved */
                if (l->pos - start != 1 || l->s[start] != '$')
                    lex_fail(l, line, col, "unknown token: an atom must be followed by a space or a parenthesis");
                if (!skip_string(l))
                    lex_fail(l, line, col, "unclosed string: expected '\"' before the end of the line");
                if (l->pos < l->len && (is_idchar((unsigned char)l->s[l->pos]) || l->s[l->pos] == '"'))
                    lex_fail(l, line, col, "unknown token: a string must be followed by a space or a parenthesis");
            }
            if (!annotation)
                push(l, out, TOK_ATOM, start, line, col);
        } else {
            lex_fail(l, line, col,
                     c >= 0x80 ? "unexpected character: non-ASCII text belongs in a string or a comment"
                               : "unexpected character: not part of any token");
        }
    }
    if (annotation)
        lex_fail(l, l->line, l->col, "unclosed annotation: expected ')' before the end of the text");
}

/* "(@name ...)": dropped with everything inside (balanced). */
static void skip_annotation(lexer *l, wat_lexed *scratch)
{
    uint32_t line = l->line, col = l->col;
    advance(l, 2);
    /* the name: idchars, or a string (3.0: (@"name" ...)) that is not
     * empty and is valid UTF-8 */
    if (l->pos >= l->len || (!is_idchar((unsigned char)l->s[l->pos]) && l->s[l->pos] != '"'))
        lex_fail(l, line, col, "empty annotation id: expected a name right after '(@'");
    if (l->s[l->pos] == '"') {
        wat_token name = {(uint32_t)l->pos, 0, l->line, l->col, TOK_STRING};
        if (!skip_string(l))
            lex_fail(l, name.line, name.col, "unclosed string: expected '\"' before the end of the line");
        name.len = (uint32_t)(l->pos - name.pos);
        size_t n;
        uint8_t *s = wat_string(l->p, &name, &n);
        if (n == 0)
            lex_fail(l, line, col, "empty annotation id: the name is an empty string");
        if (!wat_utf8_valid(s, n))
            lex_fail(l, name.line, name.col, "malformed UTF-8 encoding in an annotation id");
    }
    /* (@custom ...) becomes a custom section (custom.c): remember where */
    bool custom = l->record && l->len - l->pos >= 6 && memcmp(l->s + l->pos, "custom", 6) == 0 &&
                  (l->pos + 6 == l->len || !is_idchar((unsigned char)l->s[l->pos + 6]));
    wat_custom_at c = {(uint32_t)(l->pos - 2), 0, 0, line, col, 0, 0, l->depth};
    if (custom) {
        advance(l, 6);
        c.body = (uint32_t)l->pos;
        c.body_line = l->line;
        c.body_col = l->col;
    }
    lex_run(l, scratch, true);
    if (custom) {
        c.end = (uint32_t)l->pos;
        wat_parser *p = l->p;
        if (p->ncustoms == p->customs_cap) {
            size_t cap = p->customs_cap ? p->customs_cap * 2 : 8;
            p->customs = wat_realloc(p, p->customs, cap * sizeof *p->customs);
            p->customs_cap = cap;
        }
        p->customs[p->ncustoms++] = c;
    }
}

void wat_lex_custom(wat_parser *p, const wat_custom_at *c, wat_lexed *out)
{
    /* the contents, without the closing ")": lexed as ordinary text */
    lexer l = {p, p->src, c->end - 1, c->body, c->body_line, c->body_col, 0, false};
    lex_run(&l, out, false);
    push(&l, out, TOK_EOF, l.pos, l.line, l.col);
}

void wat_lex(wat_parser *p, const char *src, size_t len, wat_lexed *out)
{
    lexer l = {p, src, len, 0, 1, 1, 0, true};
    /* The source must be UTF-8 throughout (comments and strings too). */
    for (size_t k = 0; k < len;) {
        size_t n = utf8_len((const unsigned char *)src + k, len - k);
        if (n == 0) {
            l.pos = 0;
            l.line = 1;
            l.col = 1;
            advance(&l, k);
            lex_fail(&l, l.line, l.col, "malformed UTF-8 encoding in the text");
        }
        k += n;
    }
    lex_run(&l, out, false);
    push(&l, out, TOK_EOF, l.pos, l.line, l.col);
}
