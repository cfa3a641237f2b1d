/* The tool's output (JSON text, already valid UTF-8 with no NUL) parsed into
 * the cJSON tree cJSON_ParseWithOpts would make, quickly, for the JSON a
 * tool result is made of: objects, arrays, strings with the short escapes,
 * true, false, null. cJSON reads a string a byte at a time, twice; here the
 * plain runs between escapes are found 8 bytes a step and copied whole,
 * which made a 64 KiB `read` result's parse ~6x cheaper (tools/README.md,
 * "Speed").
 *
 * Whatever is outside that subset (a number, a \u escape, a control byte in
 * a string, white space other than the four JSON names, nesting deeper than
 * FAST_MAX_DEPTH) and whatever is not valid JSON is left to cJSON: the
 * caller parses the text again with cJSON_ParseWithOpts and decides as it
 * always did. So this parser only ever accepts valid JSON, and for that the
 * tree is the one cJSON makes (tests/unit/test_bridge_result_parse.c
 * compares the two on many texts). */
#include "bridge_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FAST_MAX_DEPTH 64

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "plain_run reads words little-endian");

typedef struct scan {
    const char *p, *end;
} scan;

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

/* Bytes from p on before a quote, a backslash or a control byte: 8 bytes a
 * step, the word holding one found by its lowest flagged byte. (Each test
 * flags a byte below 0x20, or equal to '"' or '\\' after an xor, with the
 * high bit of that byte; a borrow may also flag bytes above a real one,
 * never below, so the lowest flag is exact. Little-endian: the first byte
 * in memory is the lowest.) */
static size_t plain_run(const char *p, const char *end)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t quotes = ones * '"', slashes = ones * '\\', spaces = ones * 0x20;
    size_t i = 0, n = (size_t)(end - p);
    while (n - i >= 8) {
        uint64_t w, q, b;
        memcpy(&w, p + i, 8);
        q = w ^ quotes;
        b = w ^ slashes;
        uint64_t hit = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - spaces) & ~w)) & highs;
        if (hit)
            return i + (size_t)__builtin_ctzll(hit) / 8;
        i += 8;
    }
    while (i < n && p[i] != '"' && p[i] != '\\' && (unsigned char)p[i] >= 0x20)
        i++;
    return i;
}

/* A string's value (s->p just past its opening quote), malloc'd; NULL
 * when it is outside the subset or unterminated. */
static char *string_value(scan *s)
{
    /* The value is never longer than its text: one pass to the closing
     * quote sizes it. */
    const char *q = s->p;
    for (;;) {
        q += plain_run(q, s->end);
        if (q >= s->end || (unsigned char)*q < 0x20)
            return NULL;
        if (*q == '"')
            break;
        if (q + 1 >= s->end)
            return NULL;
        q += 2; /* a backslash and the byte it escapes */
    }
    char *out = malloc((size_t)(q - s->p) + 1), *o = out;
    if (!out)
        return NULL;
    const char *p = s->p;
    while (p < q) {
        size_t run = plain_run(p, q);
        memcpy(o, p, run);
        o += run;
        p += run;
        if (p >= q)
            break;
        /* *p is a backslash: plain_run stopped, and q is past every one */
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = p[1] ? memchr(from, p[1], sizeof from - 1) : NULL;
        if (!k) { /* \u and anything invalid: cJSON's to decide */
            free(out);
            return NULL;
        }
        *o++ = to[k - from];
        p += 2;
    }
    *o = 0;
    s->p = q + 1;
    return out;
}

static bool literal(scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
        return false;
    s->p += n;
    return true;
}

static cJSON *value(scan *s, int depth);

static cJSON *container(scan *s, int depth, bool object)
{
    cJSON *c = object ? cJSON_CreateObject() : cJSON_CreateArray();
    if (!c)
        return NULL;
    s->p++; /* { or [ */
    skip_ws(s);
    char close = object ? '}' : ']';
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return c;
    }
    cJSON *last = NULL;
    for (;;) {
        char *key = NULL;
        if (object) {
            skip_ws(s);
            if (s->p >= s->end || *s->p != '"')
                goto fail;
            s->p++;
            key = string_value(s);
            if (!key)
                goto fail;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':') {
                free(key);
                goto fail;
            }
            s->p++;
        }
        cJSON *v = value(s, depth + 1);
        if (!v) {
            free(key);
            goto fail;
        }
        /* linked as cJSON links parsed items: child, next, and the first's
         * prev pointing at the last */
        v->string = key;
        if (last) {
            last->next = v;
            v->prev = last;
        } else {
            c->child = v;
        }
        last = v;
        c->child->prev = last;
        skip_ws(s);
        if (s->p >= s->end)
            goto fail;
        if (*s->p == ',') {
            s->p++;
            continue;
        }
        if (*s->p != close)
            goto fail;
        s->p++;
        return c;
    }
fail:
    cJSON_Delete(c);
    return NULL;
}

static cJSON *value(scan *s, int depth)
{
    if (depth > FAST_MAX_DEPTH)
        return NULL;
    skip_ws(s);
    if (s->p >= s->end)
        return NULL;
    switch (*s->p) {
    case '{':
        return container(s, depth, true);
    case '[':
        return container(s, depth, false);
    case '"': {
        s->p++;
        char *text = string_value(s);
        cJSON *v = text ? cJSON_CreateNull() : NULL;
        if (!v) {
            free(text);
            return NULL;
        }
        v->type = cJSON_String;
        v->valuestring = text; /* freed by cJSON_Delete, as a parsed string is */
        return v;
    }
    case 't':
        return literal(s, "true", 4) ? cJSON_CreateTrue() : NULL;
    case 'f':
        return literal(s, "false", 5) ? cJSON_CreateFalse() : NULL;
    case 'n':
        return literal(s, "null", 4) ? cJSON_CreateNull() : NULL;
    default:
        return NULL; /* numbers and anything else: cJSON's */
    }
}

cJSON *wbt_result_parse_fast(const char *text, size_t len, const char **end)
{
    scan s = {text, text + len};
    cJSON *v = value(&s, 0);
    if (v && end)
        *end = s.p;
    return v;
}
