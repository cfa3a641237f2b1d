/* The JSON writer (wbtool.h): strings always come out as valid JSON in valid
 * UTF-8. Invalid bytes are replaced rather than refused because what tools
 * print is mostly file contents shown to a model: a Latin-1 comment in a
 * source file should cost one U+FFFD, not the whole result. */
#include <stdio.h>
#include <string.h>

#include "wbtool.h"

/* The bytes of w that need a look of their own, as the high bit of each:
 * a control byte (< 0x20), one >= 0x7F (DEL, UTF-8), '"' or '\\'. A byte
 * above one that truly needs a look may be flagged too (a borrow or a
 * carry), never one below it, and none is ever missed: so w is plain when
 * this is 0, and else its lowest flag is the first byte to look at. */
static uint64_t special_bytes(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
    uint64_t low = (w - ones * 0x20) & ~w;     /* a byte < 0x20 */
    uint64_t high = w | (w + ones);            /* a byte >= 0x7F */
    uint64_t quote = (q - ones) & ~q, slash = (bs - ones) & ~bs;
    return (low | high | quote | slash) & highs;
}

/* Room for `extra` bytes written for one input byte, then the `rest` of the
 * input as plain bytes and the NUL: kept true all along, so that plain runs
 * are copied without a check of their own. */
static bool room(wt_buf *b, size_t extra, size_t rest)
{
    return b->cap - b->len >= extra + rest + 1 || wt_buf_reserve(b, extra + rest);
}

size_t wt_json_plain_run(const unsigned char *p, size_t n)
{
    static bool plain[256], ready;
    if (!ready) {
        for (int c = 0x20; c < 0x7F; c++)
            plain[c] = c != '"' && c != '\\';
        ready = true;
    }
    size_t i = 0;
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t special = special_bytes(w);
        if (special)
            return i + ((size_t)__builtin_ctzll(special) >> 3);
        i += 8;
    }
    while (i < n && plain[p[i]])
        i++;
    return i;
}

bool wt_json_add_string(wt_buf *b, const char *s, size_t n)
{
    return wt_buf_addc(b, '"') && wt_json_add_escaped(b, s, n) && wt_buf_addc(b, '"');
}

bool wt_json_add_escaped(wt_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    /* most text needs no escape: one reservation, then plain copies */
    if (!wt_buf_reserve(b, n + 1) || !room(b, 0, n))
        return false;
    size_t i = 0;
    while (i < n) {
        /* 8 bytes a step while they are plain (~6 instructions a byte in
         * the interpreter against ~8 for a table); the word that is not
         * says where its first special byte is, so a line's '\n' or '\t'
         * costs no byte-by-byte walk to it */
        size_t run = wt_json_plain_run(p + i, n - i);
        /* the plain run fits: room() holds (checked above, then before
         * every escape) */
        if (run) {
            memcpy(b->data + b->len, p + i, run);
            b->len += run;
            b->data[b->len] = 0;
            i += run;
        }
        if (i == n)
            break;
        unsigned char c = p[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = wt_utf8_seq(p + i, n - i, &cp);
            if (!room(b, 4, n - i - 1))
                return false;
            memcpy(b->data + b->len, k ? (const void *)(p + i) : "\xEF\xBF\xBD", k ? k : 3);
            b->len += k ? k : 3;
            b->data[b->len] = 0;
            i += k ? k : 1;
            continue;
        }
        /* an escape is written in place: one per line (\n), and often one
         * more (\t), so a call of wt_buf_add each would cost more than it */
        if (!room(b, 6, n - i - 1))
            return false;
        char *e = b->data + b->len;
        e[0] = '\\';
        size_t len = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\t': e[1] = 't'; break;
        case '\r': e[1] = 'r'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default: /* other controls and DEL */
            e[1] = 'u', e[2] = '0', e[3] = '0';
            e[4] = hex[c >> 4], e[5] = hex[c & 15];
            len = 6;
        }
        b->len += len;
        b->data[b->len] = 0;
        i++;
    }
    return true;
}

bool wt_json_add_value(wt_buf *b, const wt_json *v)
{
    switch (v->type) {
    case WT_JSON_NULL:
        return wt_buf_adds(b, "null");
    case WT_JSON_BOOL:
        return wt_buf_adds(b, v->boolean ? "true" : "false");
    case WT_JSON_NUMBER:
        if (v->is_integer)
            return wt_buf_printf(b, "%lld", (long long)v->integer);
        return wt_buf_printf(b, "%.17g", v->number);
    case WT_JSON_STRING:
        return wt_json_add_string(b, v->string, v->length);
    case WT_JSON_ARRAY:
        if (!wt_buf_addc(b, '['))
            return false;
        for (size_t i = 0; i < v->count; i++)
            if ((i && !wt_buf_addc(b, ',')) || !wt_json_add_value(b, &v->items[i]))
                return false;
        return wt_buf_addc(b, ']');
    case WT_JSON_OBJECT:
        if (!wt_buf_addc(b, '{'))
            return false;
        for (size_t i = 0; i < v->count; i++) {
            const wt_json_member *m = &v->members[i];
            if ((i && !wt_buf_addc(b, ',')) || !wt_json_add_string(b, m->key, m->key_length) ||
                !wt_buf_addc(b, ':') || !wt_json_add_value(b, &m->value))
                return false;
        }
        return wt_buf_addc(b, '}');
    }
    return false;
}
