/* The strict JSON reader (wbtool.h). Recursive descent, bounded depth; the
 * tree lives in an arena freed at once. Items of an array (members of an
 * object) are collected on one scratch stack shared by all levels and copied
 * to the arena when the container closes, so nothing is reallocated per
 * container and nothing leaks on an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbtool.h"

struct wt_arena_block {
    wt_arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
};

#define ARENA_BLOCK (64u << 10)
#define ALIGN _Alignof(max_align_t)

static void *arena_alloc(wt_arena_block **head, size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    wt_arena_block *b = *head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        if (cap > SIZE_MAX - sizeof *b)
            return NULL;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *head, b->used = 0, b->cap = cap;
        *head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

typedef struct {
    const unsigned char *start, *p, *end;
    wt_arena_block *arena;
    wt_json *items;          /* scratch stack of finished values */
    size_t nitems, capitems;
    wt_json_member *members; /* scratch stack of finished members */
    size_t nmembers, capmembers;
    wt_buf text;             /* a string being decoded */
    char *err;
    size_t errsz;
    bool failed;
} parser;

static bool fail_at(parser *ps, const unsigned char *at, const char *what)
{
    if (!ps->failed) {
        snprintf(ps->err, ps->errsz, "offset %zu: %s", (size_t)(at - ps->start), what);
        ps->failed = true;
    }
    return false;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static bool push_item(parser *ps, const wt_json *v)
{
    if (ps->nitems == ps->capitems) {
        size_t cap = ps->capitems ? ps->capitems * 2 : 64;
        wt_json *n = cap <= SIZE_MAX / sizeof *n ? realloc(ps->items, cap * sizeof *n) : NULL;
        if (!n)
            return fail_at(ps, ps->p, "out of memory");
        ps->items = n, ps->capitems = cap;
    }
    ps->items[ps->nitems++] = *v;
    return true;
}

static bool push_member(parser *ps, const wt_json_member *m)
{
    if (ps->nmembers == ps->capmembers) {
        size_t cap = ps->capmembers ? ps->capmembers * 2 : 64;
        wt_json_member *n = cap <= SIZE_MAX / sizeof *n ? realloc(ps->members, cap * sizeof *n) : NULL;
        if (!n)
            return fail_at(ps, ps->p, "out of memory");
        ps->members = n, ps->capmembers = cap;
    }
    ps->members[ps->nmembers++] = *m;
    return true;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* At the opening quote. Decodes into the arena: *out, *len. */
static bool parse_string(parser *ps, const char **out, size_t *len)
{
    const unsigned char *open = ps->p++;
    ps->text.len = 0;
    for (;;) {
        /* copy a run of plain bytes at once */
        const unsigned char *run = ps->p;
        while (ps->p < ps->end && *ps->p >= 0x20 && *ps->p < 0x80 && *ps->p != '"' && *ps->p != '\\')
            ps->p++;
        if (ps->p > run && !wt_buf_add(&ps->text, run, (size_t)(ps->p - run)))
            return fail_at(ps, run, "out of memory");
        if (ps->p == ps->end)
            return fail_at(ps, open, "unterminated string");
        unsigned char c = *ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c < 0x20)
            return fail_at(ps, ps->p, "control character in a string (escape it, e.g. \\n or \\u0001)");
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = wt_utf8_seq(ps->p, (size_t)(ps->end - ps->p), &cp);
            if (!k)
                return fail_at(ps, ps->p, "invalid UTF-8 in a string");
            if (!wt_buf_add(&ps->text, ps->p, k))
                return fail_at(ps, ps->p, "out of memory");
            ps->p += k;
            continue;
        }
        /* backslash */
        const unsigned char *esc = ps->p++;
        if (ps->p == ps->end)
            return fail_at(ps, esc, "unterminated string");
        char simple = 0;
        switch (*ps->p) {
        case '"': simple = '"'; break;
        case '\\': simple = '\\'; break;
        case '/': simple = '/'; break;
        case 'b': simple = '\b'; break;
        case 'f': simple = '\f'; break;
        case 'n': simple = '\n'; break;
        case 'r': simple = '\r'; break;
        case 't': simple = '\t'; break;
        case 'u': break;
        default: return fail_at(ps, esc, "invalid escape in a string");
        }
        if (simple) {
            ps->p++;
            if (!wt_buf_addc(&ps->text, simple))
                return fail_at(ps, esc, "out of memory");
            continue;
        }
        ps->p++; /* past 'u' */
        int u = ps->end - ps->p >= 4 ? hex4(ps->p) : -1;
        if (u < 0)
            return fail_at(ps, esc, "\\u needs four hex digits");
        ps->p += 4;
        uint32_t cp = (uint32_t)u;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail_at(ps, esc, "lone low surrogate in a \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u' ? hex4(ps->p + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return fail_at(ps, esc, "high surrogate in a \\u escape not followed by a low one");
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            ps->p += 6;
        }
        if (!wt_utf8_add(&ps->text, cp))
            return fail_at(ps, esc, "out of memory");
    }
    char *s = arena_alloc(&ps->arena, ps->text.len + 1);
    if (!s)
        return fail_at(ps, open, "out of memory");
    if (ps->text.len)
        memcpy(s, ps->text.data, ps->text.len);
    s[ps->text.len] = 0;
    *out = s;
    *len = ps->text.len;
    return true;
}

static bool digits(parser *ps)
{
    const unsigned char *s = ps->p;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
        ps->p++;
    return ps->p > s;
}

static bool parse_number(parser *ps, wt_json *v)
{
    const unsigned char *s = ps->p;
    bool integral = true;
    if (*ps->p == '-')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '0') {
        ps->p++;
        if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            return fail_at(ps, s, "leading zeros are not allowed in a number");
    } else if (!digits(ps)) {
        return fail_at(ps, s, "invalid number");
    }
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        integral = false;
        if (!digits(ps))
            return fail_at(ps, s, "invalid number: digits must follow '.'");
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        integral = false;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (!digits(ps))
            return fail_at(ps, s, "invalid number: digits must follow the exponent");
    }
    ps->text.len = 0;
    if (!wt_buf_add(&ps->text, s, (size_t)(ps->p - s)))
        return fail_at(ps, s, "out of memory");
    v->type = WT_JSON_NUMBER;
    errno = 0;
    v->number = strtod(ps->text.data, NULL);
    if (errno == ERANGE && (v->number > 1 || v->number < -1))
        return fail_at(ps, s, "number too large");
    if (integral) {
        /* exact int64, or not an integer for us */
        const char *d = ps->text.data;
        bool neg = *d == '-';
        uint64_t mag = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        v->is_integer = true;
        for (d += neg; *d; d++) {
            unsigned dig = (unsigned)(*d - '0');
            if (mag > (lim - dig) / 10) {
                v->is_integer = false;
                break;
            }
            mag = mag * 10 + dig;
        }
        if (v->is_integer)
            v->integer = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    }
    return true;
}

static bool literal(parser *ps, const char *word, size_t n)
{
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail_at(ps, ps->p, "invalid literal (expected true, false or null)");
    ps->p += n;
    return true;
}

static int key_cmp(const void *a, const void *b)
{
    const wt_json_member *x = *(wt_json_member *const *)a, *y = *(wt_json_member *const *)b;
    size_t n = x->key_length < y->key_length ? x->key_length : y->key_length;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    return (x->key_length > y->key_length) - (x->key_length < y->key_length);
}

/* Sorting pointers keeps the check O(n log n) on huge objects. */
static bool check_duplicates(parser *ps, const wt_json_member *m, size_t n, const unsigned char *open)
{
    if (n < 2)
        return true;
    const wt_json_member **sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return fail_at(ps, open, "out of memory");
    for (size_t i = 0; i < n; i++)
        sorted[i] = &m[i];
    qsort(sorted, n, sizeof *sorted, key_cmp);
    for (size_t i = 1; i < n; i++) {
        if (key_cmp(&sorted[i - 1], &sorted[i]) == 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "duplicate key \"%.80s\" in an object", sorted[i]->key);
            free(sorted);
            return fail_at(ps, open, msg);
        }
    }
    free(sorted);
    return true;
}

static bool parse_value(parser *ps, wt_json *v, int depth);

static bool parse_array(parser *ps, wt_json *v, int depth)
{
    size_t base = ps->nitems;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
    } else {
        for (;;) {
            wt_json item;
            if (!parse_value(ps, &item, depth + 1) || !push_item(ps, &item))
                return false;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                continue;
            }
            if (ps->p < ps->end && *ps->p == ']') {
                ps->p++;
                break;
            }
            return fail_at(ps, ps->p, "expected ',' or ']' in an array");
        }
    }
    size_t n = ps->nitems - base;
    v->type = WT_JSON_ARRAY;
    v->count = n;
    if (n) {
        v->items = arena_alloc(&ps->arena, n * sizeof *v->items);
        if (!v->items)
            return fail_at(ps, ps->p, "out of memory");
        memcpy(v->items, ps->items + base, n * sizeof *v->items);
    }
    ps->nitems = base;
    return true;
}

static bool parse_object(parser *ps, wt_json *v, int depth)
{
    const unsigned char *open = ps->p;
    size_t base = ps->nmembers;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
    } else {
        for (;;) {
            wt_json_member m = {0};
            skip_ws(ps);
            if (ps->p == ps->end || *ps->p != '"')
                return fail_at(ps, ps->p, "expected a string key in an object");
            if (!parse_string(ps, &m.key, &m.key_length))
                return false;
            skip_ws(ps);
            if (ps->p == ps->end || *ps->p != ':')
                return fail_at(ps, ps->p, "expected ':' after an object key");
            ps->p++;
            if (!parse_value(ps, &m.value, depth + 1) || !push_member(ps, &m))
                return false;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                continue;
            }
            if (ps->p < ps->end && *ps->p == '}') {
                ps->p++;
                break;
            }
            return fail_at(ps, ps->p, "expected ',' or '}' in an object");
        }
    }
    size_t n = ps->nmembers - base;
    if (!check_duplicates(ps, ps->members + base, n, open))
        return false;
    v->type = WT_JSON_OBJECT;
    v->count = n;
    if (n) {
        v->members = arena_alloc(&ps->arena, n * sizeof *v->members);
        if (!v->members)
            return fail_at(ps, ps->p, "out of memory");
        memcpy(v->members, ps->members + base, n * sizeof *v->members);
    }
    ps->nmembers = base;
    return true;
}

static bool parse_value(parser *ps, wt_json *v, int depth)
{
    *v = (wt_json){0};
    skip_ws(ps);
    if (ps->p == ps->end)
        return fail_at(ps, ps->p, depth == 0 ? "empty input, expected a JSON value"
                                             : "unexpected end of input, expected a value");
    switch (*ps->p) {
    case '{':
    case '[':
        if (depth >= WT_JSON_MAX_DEPTH)
            return fail_at(ps, ps->p, "nested too deeply (more than 64 levels)");
        return *ps->p == '{' ? parse_object(ps, v, depth) : parse_array(ps, v, depth);
    case '"':
        v->type = WT_JSON_STRING;
        return parse_string(ps, &v->string, &v->length);
    case 't':
        v->type = WT_JSON_BOOL, v->boolean = true;
        return literal(ps, "true", 4);
    case 'f':
        v->type = WT_JSON_BOOL;
        return literal(ps, "false", 5);
    case 'n':
        v->type = WT_JSON_NULL;
        return literal(ps, "null", 4);
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
            return parse_number(ps, v);
        return fail_at(ps, ps->p, "unexpected character, expected a JSON value");
    }
}

static void arena_free(wt_arena_block *b)
{
    while (b) {
        wt_arena_block *next = b->next;
        free(b);
        b = next;
    }
}

bool wt_json_parse(wt_json_doc *doc, const char *text, size_t n, char *err, size_t errsz)
{
    parser ps = {.start = (const unsigned char *)text, .p = (const unsigned char *)text,
                 .end = (const unsigned char *)text + n, .err = err, .errsz = errsz};
    *doc = (wt_json_doc){0};
    bool ok = parse_value(&ps, &doc->root, 0);
    if (ok) {
        skip_ws(&ps);
        if (ps.p != ps.end)
            ok = fail_at(&ps, ps.p, "unexpected data after the JSON value");
    }
    free(ps.items);
    free(ps.members);
    wt_buf_free(&ps.text);
    if (!ok) {
        arena_free(ps.arena);
        *doc = (wt_json_doc){0};
        return false;
    }
    doc->arena = ps.arena;
    return true;
}

void wt_json_doc_free(wt_json_doc *doc)
{
    arena_free(doc->arena);
    *doc = (wt_json_doc){0};
}

const wt_json *wt_json_get(const wt_json *object, const char *key)
{
    if (!object || object->type != WT_JSON_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < object->count; i++) {
        const wt_json_member *m = &object->members[i];
        if (m->key_length == n && memcmp(m->key, key, n) == 0)
            return &m->value;
    }
    return NULL;
}

const char *wt_json_type_name(wt_json_type t)
{
    switch (t) {
    case WT_JSON_NULL: return "null";
    case WT_JSON_BOOL: return "a boolean";
    case WT_JSON_NUMBER: return "a number";
    case WT_JSON_STRING: return "a string";
    case WT_JSON_ARRAY: return "an array";
    case WT_JSON_OBJECT: return "an object";
    }
    return "a value";
}
