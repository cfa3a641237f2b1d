/* A message as one line of compact JSON, byte for byte what
 * cJSON_PrintUnformatted writes (tests/unit/test_mcp_json.c compares the
 * two), only faster on long strings.
 *
 * Why: a tools/call answer is mostly one long string (a file's numbered
 * lines), and cJSON prints a string by looking at each byte twice, once to
 * size the escapes and once to write them, ~26 host instructions a byte:
 * 5% of a `read` call's CPU in bench-mcp. Here a run of bytes that need no
 * escape is found 8 bytes at a time and copied whole. Numbers are rare (a
 * few per answer) and printed by cJSON itself, so their spelling never
 * differs from its own. */
#include "mcp_internal.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char *data;
    size_t len, cap;
    bool failed;
} out;

static bool reserve(out *o, size_t extra)
{
    if (o->failed)
        return false;
    if (extra > SIZE_MAX / 4 - o->len) {
        o->failed = true;
        return false;
    }
    size_t need = o->len + extra;
    if (need <= o->cap)
        return true;
    size_t cap = o->cap ? o->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(o->data, cap);
    if (!p) {
        o->failed = true;
        return false;
    }
    o->data = p;
    o->cap = cap;
    return true;
}

static void add(out *o, const void *p, size_t n)
{
    if (reserve(o, n)) {
        memcpy(o->data + o->len, p, n);
        o->len += n;
    }
}

/* Bytes from s on that cJSON copies as they are: anything but a control
 * byte (< 0x20), '"' and '\\' (it leaves DEL and bytes >= 0x80 alone). A
 * word is skipped when none of its bytes can be one of those; the tests
 * may flag a plain byte after one that is not (a borrow), never miss one. */
static size_t plain_run(const unsigned char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
        uint64_t hit = ((w - ones * 0x20) | (q - ones) | (bs - ones)) & ~w & highs;
        if (hit)
            break;
        i += 8;
    }
    while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
        i++;
    return i;
}

static void add_string(out *o, const char *str)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s);
    if (!reserve(o, n + 2))
        return;
    o->data[o->len++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = plain_run(s + i, n - i);
        add(o, s + i, run);
        i += run;
        if (i == n || !reserve(o, 6))
            break;
        unsigned char c = s[i++];
        char *e = o->data + o->len;
        e[0] = '\\';
        size_t len = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default: /* the other control bytes, as cJSON spells them */
            e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
            len = 6;
        }
        o->len += len;
    }
    add(o, "\"", 1);
}

/* Deeper than cJSON's own parse limit (1000) lets no message come; a tree
 * built by code could be deeper, so the walk is bounded all the same. */
#define MAX_DEPTH 10000

static void add_value(out *o, const cJSON *v, int depth)
{
    if (depth > MAX_DEPTH) {
        o->failed = true;
        return;
    }
    switch (v->type & 0xFF) {
    case cJSON_NULL:
        add(o, "null", 4);
        return;
    case cJSON_False:
        add(o, "false", 5);
        return;
    case cJSON_True:
        add(o, "true", 4);
        return;
    case cJSON_String:
        add_string(o, v->valuestring);
        return;
    case cJSON_Raw:
        if (!v->valuestring) {
            o->failed = true; /* cJSON refuses it too */
            return;
        }
        add(o, v->valuestring, strlen(v->valuestring));
        return;
    case cJSON_Number: {
        /* cJSON_PrintUnformatted prints only the item, not its siblings */
        char *text = cJSON_PrintUnformatted(v);
        if (!text) {
            o->failed = true;
            return;
        }
        add(o, text, strlen(text));
        cJSON_free(text);
        return;
    }
    case cJSON_Array:
    case cJSON_Object: {
        bool object = (v->type & 0xFF) == cJSON_Object;
        add(o, object ? "{" : "[", 1);
        for (const cJSON *c = v->child; c && !o->failed; c = c->next) {
            if (c != v->child)
                add(o, ",", 1);
            if (object) {
                add_string(o, c->string);
                add(o, ":", 1);
            }
            add_value(o, c, depth + 1);
        }
        add(o, object ? "}" : "]", 1);
        return;
    }
    default:
        o->failed = true; /* cJSON_Invalid: cJSON prints nothing either */
    }
}

/* (declared in mcp_internal.h) */
char *mcp_json_line(const cJSON *msg, size_t *len)
{
    out o = {0};
    if (!msg) {
        *len = 0;
        return NULL;
    }
    add_value(&o, msg, 0);
    add(&o, "\n", 2); /* and a NUL, not counted: C string users are safe */
    if (o.failed) {
        free(o.data);
        *len = 0;
        return NULL;
    }
    *len = o.len - 1;
    return o.data;
}
